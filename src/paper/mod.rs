//! Paper: the public notices and printed forms, derived from the signed record.
//!
//! A pure rendering library — plain data in ([`model`]), PDF bytes out — with no database, no
//! clock and no randomness, so the same record always yields the same bytes and a verifier can
//! re-render a notice and compare. This is the only module that touches printpdf.
//!
//! How a document is made:
//! 1. [`documents`] turns the model into template values (Chinese dates, money in figures and
//!    capitals);
//! 2. [`template`] parses the wording in `templates/*.zh.txt` (compiled in) and refuses a
//!    template that lost a required field;
//! 3. every value and every template character is checked against the font
//!    ([`PaperError::MissingGlyph`] names the character and the field: never a blank box);
//! 4. [`layout`] sets the blocks on A4 pages after GB/T 9704, breaking lines with
//!    [`linebreak`];
//! 5. [`pdf`] embeds only the glyphs used and writes the bytes with fixed metadata.
//!
//! Not here: choosing *which* data to print (the commands do that from the record), storing
//! the PDF and its hash (the record does), wording of errors (`crate::i18n::paper`).

mod documents;
mod fonts;
mod layout;
pub mod linebreak;
pub mod model;
pub mod money;
mod pdf;
pub mod samples;
mod template;

#[cfg(test)]
mod tests;

use std::fmt;

pub(crate) use documents::posting_end;
pub use fonts::Fonts;
pub use model::*;

use crate::i18n::Lang;
use template::{Spec, Values};

/// Version of the wording templates. Bump it whenever a notice template changes (a test
/// holds the templates' digest to make that impossible to forget): the record stores it with
/// every printed notice, and a notice is re-rendered (by `verify`, and by `notice` when it
/// cannot print the stored copy) with the version that printed it, so the templates of every
/// version a record may name are kept ([`TemplateVersion`]). Also bumped when the same
/// wording prints to other bytes: 2026.2 deflates at the fast level and draws the QR code
/// with one fixed mask; 2026.3 prints 未列预算 / 资金来源未列明 instead of an unrecorded ¥0.00
/// budget or source, overspending as 超支, and a receipt without attachments as 无; 2026.4
/// issues the result notice from the village committee and the 村务监督委员会, and prints a
/// plan's budget that names no source beside a final cost split by source (it printed a
/// ¥0.00 budget); 2026.5 prints the households represented at a villagers' meeting that
/// recorded them, and a result notice posted while the resolution was still posted says no
/// objection was received *so far* instead of "in the posting period", prints the reason
/// `complete` recorded for spending over the budget, and breaks a long
/// title between words (清河村关于村内主干道硬化工程 / 实施结果的公告, not 硬 / 化); 2026.6's
/// resolution notice tells of the 民议 rounds sent back to 商议 before the one that carried
/// the matter (their counts, the day and the reason), and of a plan with a budget of ¥0.00
/// and no source says 本事项不涉及资金支出 (it said 资金来源未列明); from 2026.6 every
/// paragraph of a text with several is indented, not only its first (both notices), and a
/// 民议 of one day prints as that day, not as a range from it to itself; 2026.7 breaks lines
/// as print does: a number stays with its unit (…4月 / 25日, not …25 / 日), 第 with its
/// number, no paragraph ends with one character alone, and a lead-in ending with ：
/// (资金来源如下：) moves to the next page with what it leads in to; a result notice whose
/// completion recorded no supervision opinion says so instead of printing 无; 2026.8 lets a
/// table row too tall for what is left of a page go on to the next under the repeated head
/// (a long objection and its reply ran off the foot of the page), and keeps a heading with
/// the head and first lines of its table; its result notice prints the day of each reply to
/// an objection, says 本事项不涉及资金支出 for a
/// matter that budgeted and spent nothing (it printed a table of 0.00 and 人民币零元整) and
/// ends the supervision committee's opinion as a sentence; 2026.9 prints only what the record
/// holds ([`TemplateVersion::prints_only_the_record`]): the budget 商议 adopted, a resolution
/// without text as such, a 民议 row with its objections, no start day that was not recorded,
/// and 组织验收 rather than 通过验收; 2026.10 prints one 合计 row when the final cost was not
/// split by source (each source's budget listed, its 决算 —; 2026.9 printed a row
/// 合计（决算未按来源分列） above a second 合计 with the same figures,
/// [`TemplateVersion::prints_one_total`]), keeps a date in a table cell whole in wider date
/// columns (a range breaks at 至; [`TemplateVersion::keeps_dates_whole_in_cells`]), and keeps
/// the issuers within the margin for a long village name
/// ([`TemplateVersion::fits_the_issuers`]); 2026.11 sets free text numbered at the notice's
/// own level (a resolution's 一、二、三、 under 二、决议内容) a level down, （一）（二）（三）
/// ([`TemplateVersion::sets_free_text_as_sub_level`]), and labels a surplus 结余 as it
/// labels an overspend 超支 ([`TemplateVersion::labels_the_surplus`]), and its resolution
/// notice tells of those that left the 民议's scope by a roster change during it
/// ([`TemplateVersion::prints_who_left_scope`]); 2026.12 keeps a date in running text whole
/// as in table cells ([`TemplateVersion::keeps_dates_whole_in_text`]); 2026.13 keeps a
/// notice's ending on one page, the verification block with the issuers it follows
/// ([`TemplateVersion::keeps_the_ending_together`]), and its result notice ends a quoted
/// text with one full stop, not two ([`TemplateVersion::ends_quoted_text_once`]); 2026.14
/// names every contractor on the result notice ([`TemplateVersion::names_every_contractor`])
/// and widens the resolution notice's count columns, so that 2000户 is not broken, and the
/// result notice's amount columns, so that a total of ten figures is not.
pub const TEMPLATE_VERSION: &str = TemplateVersion::CURRENT.as_str();

/// The template versions this build renders: the current one for new notices, and each
/// earlier one a record may name, kept byte for byte (their notice templates live in
/// `templates/<version>/`; the forms, which the record does not store, have one version).
/// Versions before 2026.4 are not kept: a notice they printed is proved by its stored hash
/// and reported as "made by another version" when re-rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TemplateVersion {
    V2026_4,
    V2026_5,
    V2026_6,
    V2026_7,
    V2026_8,
    V2026_9,
    V2026_10,
    V2026_11,
    V2026_12,
    V2026_13,
    V2026_14,
}

impl TemplateVersion {
    pub const CURRENT: TemplateVersion = TemplateVersion::V2026_14;
    pub const ALL: [TemplateVersion; 11] = [
        TemplateVersion::V2026_4,
        TemplateVersion::V2026_5,
        TemplateVersion::V2026_6,
        TemplateVersion::V2026_7,
        TemplateVersion::V2026_8,
        TemplateVersion::V2026_9,
        TemplateVersion::V2026_10,
        TemplateVersion::V2026_11,
        TemplateVersion::V2026_12,
        TemplateVersion::V2026_13,
        TemplateVersion::V2026_14,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            TemplateVersion::V2026_4 => "2026.4",
            TemplateVersion::V2026_5 => "2026.5",
            TemplateVersion::V2026_6 => "2026.6",
            TemplateVersion::V2026_7 => "2026.7",
            TemplateVersion::V2026_8 => "2026.8",
            TemplateVersion::V2026_9 => "2026.9",
            TemplateVersion::V2026_10 => "2026.10",
            TemplateVersion::V2026_11 => "2026.11",
            TemplateVersion::V2026_12 => "2026.12",
            TemplateVersion::V2026_13 => "2026.13",
            TemplateVersion::V2026_14 => "2026.14",
        }
    }

    /// The version a record names, if this build renders it.
    pub fn parse(s: &str) -> Option<TemplateVersion> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Whether notices of this version print the households represented at a villagers'
    /// meeting (2026.5 on). The models leave the fact out for an earlier version (and
    /// rendering drops it), so its notices keep their bytes.
    pub fn prints_meeting_households(self) -> bool {
        self >= TemplateVersion::V2026_5
    }

    /// Whether a result notice of this version says no objection came in *so far* while the
    /// resolution is still posted, and prints the reason for an overspend (2026.5 on; left
    /// out of an earlier version's model).
    pub fn prints_result_notes(self) -> bool {
        self >= TemplateVersion::V2026_5
    }

    /// Whether a title too long for a line breaks where the village, 关于, the matter's
    /// title and the notice's name meet, rather than inside a word (2026.5 on).
    pub fn breaks_titles_at_pieces(self) -> bool {
        self >= TemplateVersion::V2026_5
    }

    /// Whether every paragraph of a text with several is indented, not only its first
    /// (2026.6 on).
    pub fn indents_every_paragraph(self) -> bool {
        self >= TemplateVersion::V2026_6
    }

    /// Whether a resolution notice of this version tells of the 民议 rounds sent back to
    /// 商议 before the one that carried the matter, and says so plainly when the plan
    /// spends nothing (2026.6 on; left out of an earlier version's model).
    pub fn prints_earlier_rounds(self) -> bool {
        self >= TemplateVersion::V2026_6
    }

    /// Whether lines break as print does (2026.7 on): a number is not parted from its unit
    /// (2026年4月|25日, never 25|日), a paragraph does not end with one character alone,
    /// and a lead-in ending with ： (资金来源如下：) is not left at the foot of a page.
    pub fn breaks_like_print(self) -> bool {
        self >= TemplateVersion::V2026_7
    }

    /// Whether a table row too tall for what is left of a page goes on to the next under the
    /// repeated head (a long objection and its reply ran off the foot of the page, and the
    /// page number was printed over it), and a heading is kept with its table (2026.8 on).
    pub fn flows_tables(self) -> bool {
        self >= TemplateVersion::V2026_8
    }

    /// Whether a result notice whose `complete` recorded no supervision opinion says so
    /// (竣工验收登记时未记录村务监督委员会意见。) rather than 无, which reads as "the committee
    /// had nothing to object" (2026.7 on).
    pub fn says_no_supervision_opinion_recorded(self) -> bool {
        self >= TemplateVersion::V2026_7
    }

    /// Whether a notice of this version prints only what the record holds (2026.9 on): the
    /// budget 商议 adopted (not the villagers' estimate in their motion), a resolution
    /// recorded without text as such (not the motion's words as what the meeting resolved),
    /// the 民议's objections and unsigned households when the village's policy let it
    /// resolve with some, no start day when no implementation step was recorded, and a
    /// completion whose acceptance is told by its conclusion (not 通过验收 whatever it said).
    pub fn prints_only_the_record(self) -> bool {
        self >= TemplateVersion::V2026_9
    }

    /// Whether a result notice of this version prints one 合计 row when `complete` recorded
    /// the final cost as one sum beside a plan with several sources, listing each source's
    /// budget with its final cost as — (2026.10 on; before, a row 合计（决算未按来源分列）
    /// stood above a second 合计 with the same figures).
    pub fn prints_one_total(self) -> bool {
        self >= TemplateVersion::V2026_10
    }

    /// Whether a date in a table cell is kept whole (2026年4月30日, never 2026年4月 / 30日;
    /// a range breaks at 至), its notices' date columns wide enough for one (2026.10 on).
    pub fn keeps_dates_whole_in_cells(self) -> bool {
        self >= TemplateVersion::V2026_10
    }

    /// Whether the issuers and date at the foot are kept within the margin, set smaller (to
    /// 12 pt) or on more lines for a long village name (2026.10 on; before, a name of about
    /// 21 characters ran 中共…支部委员会 off the page's right edge).
    pub fn fits_the_issuers(self) -> bool {
        self >= TemplateVersion::V2026_10
    }

    /// Whether free text a notice sets under one of its own numbered sections (the
    /// resolution under 二、决议内容, the supervision committee's opinion under
    /// 四、村务监督委员会意见, what was delivered, the acceptance's conclusion, the reason
    /// for an overspend) has its own numbering set a level down when it uses the notice's
    /// level: 一、 as （一）, （一） as 1., 1. as （1） (2026.11 on; before, a resolution
    /// numbered 一、二、三、 read as the notice's own sections between 二、决议内容 and
    /// 三、预算及资金来源).
    pub fn sets_free_text_as_sub_level(self) -> bool {
        self >= TemplateVersion::V2026_11
    }

    /// Whether a result notice's 结余或超支 column labels a surplus 结余 as it labels an
    /// overspend 超支 (结余7,500.00; 2026.11 on: before, a surplus was a bare 7,500.00 beside
    /// 超支20,000.00).
    pub fn labels_the_surplus(self) -> bool {
        self >= TemplateVersion::V2026_11
    }

    /// Whether a date in running text is kept whole as in table cells (2026年8月15日, never
    /// 2026年8月 / 15日 at a line's end; 2026.12 on).
    pub fn keeps_dates_whole_in_text(self) -> bool {
        self >= TemplateVersion::V2026_12
    }

    /// Whether a resolution notice tells of those that left the 民议's scope by a recorded
    /// roster change during it (民议期间另有1户按花名册变更退出征求范围…: 2026.11 on; before,
    /// a household that signed and then moved out was in no count and no line of the notice,
    /// though `consult status` and the 民议 sheet named it).
    pub fn prints_who_left_scope(self) -> bool {
        self >= TemplateVersion::V2026_11
    }

    /// Whether the ending of a notice stays on one page: the paragraph before the issuers,
    /// the issuers and date, and the verification block when it cannot sit beside them (a
    /// village name of six characters or more makes the issuers too wide for it) (2026.13 on;
    /// before, the verification block could stand alone on a last page).
    pub fn keeps_the_ending_together(self) -> bool {
        self >= TemplateVersion::V2026_13
    }

    /// Whether a result notice ends each recorded text it quotes as a sentence once: 。
    /// after what was delivered, how the contractor was chosen, the acceptance's conclusion,
    /// an overspend's reason and the supervision committee's opinion only when the text
    /// does not end one itself (a closing quote or bracket after its stop counted) (2026.13
    /// on; before, 草场围栏10公里。 printed as 草场围栏10公里。。, and the reason had no
    /// stop).
    pub fn ends_quoted_text_once(self) -> bool {
        self >= TemplateVersion::V2026_13
    }

    /// The result notice prints the overspend's reason beside one source spent past its
    /// budget, not only beside a total over it (2026.13 on; before, a source's 超支 printed
    /// with no word why, though `complete` had asked for it).
    pub fn explains_a_source_overspend(self) -> bool {
        self >= TemplateVersion::V2026_13
    }

    /// The result notice names every contractor the record holds, in the order they
    /// came (those of the implementation steps, then the completion's), not only the last
    /// (2026.14 on; before, the first of two contractors who shared the work was left off).
    pub fn names_every_contractor(self) -> bool {
        self >= TemplateVersion::V2026_14
    }

    fn notice_templates(self) -> (&'static str, &'static str) {
        match self {
            TemplateVersion::V2026_4 => (RESOLUTION_TEMPLATE_2026_4, RESULT_TEMPLATE_2026_4),
            // 2026.6 changed the resolution notice only, 2026.7 how lines break.
            TemplateVersion::V2026_5 => (RESOLUTION_TEMPLATE_2026_5, RESULT_TEMPLATE_2026_7),
            TemplateVersion::V2026_6 | TemplateVersion::V2026_7 => {
                (RESOLUTION_TEMPLATE_2026_8, RESULT_TEMPLATE_2026_7)
            }
            // 2026.8: how tables flow, and the result notice's wording.
            TemplateVersion::V2026_8 => (RESOLUTION_TEMPLATE_2026_8, RESULT_TEMPLATE_2026_8),
            // 2026.9: the 民议 row's counts, and the result notice's start day and opening.
            TemplateVersion::V2026_9 => (RESOLUTION_TEMPLATE_2026_9, RESULT_TEMPLATE_2026_9),
            // 2026.10: one 合计 row for a final cost not split by source, whole dates in cells.
            TemplateVersion::V2026_10 => (RESOLUTION_TEMPLATE_2026_10, RESULT_TEMPLATE_2026_10),
            // 2026.12 changed the line breaking only: the same templates.
            TemplateVersion::V2026_11 | TemplateVersion::V2026_12 => {
                (RESOLUTION_TEMPLATE_2026_13, RESULT_TEMPLATE_2026_12)
            }
            // 2026.13: where the ending goes, and the result notice's full stops.
            TemplateVersion::V2026_13 => (RESOLUTION_TEMPLATE_2026_13, RESULT_TEMPLATE_2026_13),
            // 2026.14: every contractor of the record; the resolution notice's count
            // columns wide enough for 2000户, the result notice's amounts for a total of
            // ten figures.
            TemplateVersion::V2026_14 => (RESOLUTION_TEMPLATE, RESULT_TEMPLATE),
        }
    }
}

impl fmt::Display for TemplateVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const RESOLUTION_TEMPLATE_2026_4: &str =
    include_str!("../../templates/2026.4/resolution_notice.zh.txt");
const RESULT_TEMPLATE_2026_4: &str = include_str!("../../templates/2026.4/result_notice.zh.txt");
const RESOLUTION_TEMPLATE_2026_5: &str =
    include_str!("../../templates/2026.5/resolution_notice.zh.txt");
/// The notices 2026.8 printed (its resolution notice: 2026.6's wording).
const RESOLUTION_TEMPLATE_2026_8: &str =
    include_str!("../../templates/2026.8/resolution_notice.zh.txt");
const RESULT_TEMPLATE_2026_8: &str = include_str!("../../templates/2026.8/result_notice.zh.txt");
const RESOLUTION_TEMPLATE_2026_9: &str =
    include_str!("../../templates/2026.9/resolution_notice.zh.txt");
const RESULT_TEMPLATE_2026_9: &str = include_str!("../../templates/2026.9/result_notice.zh.txt");
const RESOLUTION_TEMPLATE_2026_10: &str =
    include_str!("../../templates/2026.10/resolution_notice.zh.txt");
const RESULT_TEMPLATE_2026_10: &str = include_str!("../../templates/2026.10/result_notice.zh.txt");
/// The result notice 2026.11 and 2026.12 printed.
const RESULT_TEMPLATE_2026_12: &str = include_str!("../../templates/2026.12/result_notice.zh.txt");
/// The result notice 2026.13 printed.
const RESULT_TEMPLATE_2026_13: &str = include_str!("../../templates/2026.13/result_notice.zh.txt");
/// The resolution notice 2026.11 to 2026.13 printed.
const RESOLUTION_TEMPLATE_2026_13: &str =
    include_str!("../../templates/2026.13/resolution_notice.zh.txt");
const RESOLUTION_TEMPLATE: &str = include_str!("../../templates/resolution_notice.zh.txt");
const RESULT_TEMPLATE: &str = include_str!("../../templates/result_notice.zh.txt");
/// The result notice 2026.5 to 2026.7 printed.
const RESULT_TEMPLATE_2026_7: &str = include_str!("../../templates/2026.7/result_notice.zh.txt");
const CONSULTATION_TEMPLATE: &str = include_str!("../../templates/consultation_sheet.zh.txt");
const MOTION_TEMPLATE: &str = include_str!("../../templates/motion_receipt.zh.txt");
const SIGNIN_TEMPLATE: &str = include_str!("../../templates/signin_sheet.zh.txt");
const REPLY_TEMPLATE: &str = include_str!("../../templates/motion_reply.zh.txt");

/// What makes a PDF now: the current templates and `fonts`.
pub fn render_version(fonts: &Fonts) -> String {
    version_line(TemplateVersion::CURRENT, fonts)
}

/// What made a PDF: templates and font (the /ID seed's first line).
fn version_line(version: TemplateVersion, fonts: &Fonts) -> String {
    format!("templates {version}; font {}", fonts.version())
}

/// Why a document could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperError {
    /// The font has no glyph for `ch`, which appears in `field`.
    MissingGlyph { ch: char, field: String },
    /// The font has no glyph for several characters: each with the field it is first
    /// found in (named all at once, so one correction mends them all).
    MissingGlyphs { missing: Vec<(char, String)> },
    /// The template lacks a field (or block, written `@kind`) the document requires.
    TemplateMissingField { template: String, field: String },
    /// The template names a field the document does not provide.
    TemplateUnknownField {
        template: String,
        line: usize,
        field: String,
    },
    /// The template is malformed.
    TemplateSyntax {
        template: String,
        line: usize,
        reason: String,
    },
    /// A font could not be read or used.
    Font { source: String, reason: String },
    /// A font given with `--font` that sets no Chinese (it lacks `ch`, which every notice and
    /// form prints): named as such, not as one character of a template's line.
    FontWithoutChinese { source: String, ch: char },
    /// The PDF could not be written.
    Pdf { reason: String },
}

impl PaperError {
    /// The message for the user, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        crate::i18n::paper::error(self, lang)
    }
}

impl fmt::Display for PaperError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::default()))
    }
}

impl std::error::Error for PaperError {}

/// Checks every value and the template's own text against the font, then lays out and writes.
fn render(
    spec: &Spec,
    source: &str,
    values: Values,
    fonts: &Fonts,
    verification: &Verification,
    meta: pdf::Meta<'_>,
) -> Result<Vec<u8>, PaperError> {
    let layout = lay_out(spec, source, &values, fonts, verification, meta.version)?;
    pdf::save(layout, fonts, &meta)
}

/// What [`render`] lays out, before it is written.
fn lay_out<'a>(
    spec: &Spec,
    source: &str,
    values: &Values,
    fonts: &'a Fonts,
    verification: &Verification,
    version: TemplateVersion,
) -> Result<layout::Layout<'a>, PaperError> {
    let template = template::parse(spec, source)?.select(values);
    for (i, line) in source.lines().enumerate() {
        if !line.starts_with('#') {
            fonts.check(&format!("{}:{}", spec.name, i + 1), line)?;
        }
    }
    // Every character the font lacks in the values, each with the first field it is in.
    let mut missing: Vec<(char, String)> = Vec::new();
    let mut note = |field: String, text: &str| {
        for ch in fonts.lacking(text) {
            if !missing.iter().any(|(c, _)| *c == ch) {
                missing.push((ch, field.clone()));
            }
        }
    };
    for (k, v) in &values.scalars {
        note(k.to_string(), v);
    }
    for (list, items) in &values.lists {
        for (i, item) in items.iter().enumerate() {
            for (k, v) in item {
                note(format!("{list}[{i}].{k}"), v);
            }
        }
    }
    match missing.len() {
        0 => {}
        1 => {
            let (ch, field) = missing.remove(0);
            return Err(PaperError::MissingGlyph { ch, field });
        }
        _ => return Err(PaperError::MissingGlyphs { missing }),
    }
    let qr = documents::qr_text(verification);
    Ok(layout::render(
        fonts,
        &template,
        values,
        &qr,
        layout::Style {
            titles_at_pieces: version.breaks_titles_at_pieces(),
            indent_every_paragraph: version.indents_every_paragraph(),
            breaking: linebreak::Breaking {
                numbers_keep_units: version.breaks_like_print(),
                no_lone_last_character: version.breaks_like_print(),
                dates_whole: version.keeps_dates_whole_in_cells(),
                dates_whole_in_text: version.keeps_dates_whole_in_text(),
            },
            lead_in_keeps_with_next: version.breaks_like_print(),
            tables_flow: version.flows_tables(),
            fits_signature: version.fits_the_issuers(),
            keeps_ending_together: version.keeps_the_ending_together(),
        },
    ))
}

/// A form (sheet, receipt, reply): printed for the secretary's use by the current templates;
/// no entry names its version. What its PDF's metadata and /ID seed are made of.
struct Form<'a> {
    kind: &'static str,
    title: String,
    subject: &'static str,
    date: chrono::NaiveDate,
    input: &'a dyn fmt::Debug,
}

impl<'a> Form<'a> {
    fn new(
        kind: &'static str,
        title: String,
        subject: &'static str,
        date: chrono::NaiveDate,
        input: &'a dyn fmt::Debug,
    ) -> Self {
        Form {
            kind,
            title,
            subject,
            date,
            input,
        }
    }

    fn render(
        self,
        spec: &Spec,
        source: &str,
        values: Values,
        fonts: &Fonts,
        verification: &Verification,
    ) -> Result<Vec<u8>, PaperError> {
        let meta = pdf::Meta {
            title: self.title,
            subject: self.subject,
            date: self.date,
            seed: seed(self.kind, TemplateVersion::CURRENT, fonts, self.input),
            version: TemplateVersion::CURRENT,
        };
        render(spec, source, values, fonts, verification, meta)
    }
}

fn seed(kind: &str, version: TemplateVersion, fonts: &Fonts, input: &dyn fmt::Debug) -> String {
    format!("{kind}\n{}\n{input:?}", version_line(version, fonts))
}

/// 决议公开: the resolution notice, by the current templates.
pub fn render_resolution_notice(
    n: &ResolutionNotice,
    fonts: &Fonts,
) -> Result<Vec<u8>, PaperError> {
    render_resolution_notice_as(n, fonts, TemplateVersion::CURRENT)
}

/// The resolution notice as `version` printed it (`n` made for that version).
pub fn render_resolution_notice_as(
    n: &ResolutionNotice,
    fonts: &Fonts,
    version: TemplateVersion,
) -> Result<Vec<u8>, PaperError> {
    // What a later version added is not this version's: its notices keep their bytes.
    let kept;
    let later = (!version.prints_meeting_households() && n.resolution.households.is_some())
        || (!version.prints_earlier_rounds() && !n.consultation.earlier.is_empty())
        || (!version.prints_who_left_scope() && !n.consultation.left.is_empty());
    let n = if later {
        let mut m = n.clone();
        if !version.prints_meeting_households() {
            m.resolution.households = None;
        }
        if !version.prints_earlier_rounds() {
            m.consultation.earlier.clear();
        }
        if !version.prints_who_left_scope() {
            m.consultation.left.clear();
        }
        kept = m;
        &kept
    } else {
        n
    };
    let meta = pdf::Meta {
        title: format!("{}关于{}的决议公告", n.village, n.title),
        subject: "决议公开",
        date: n.notice_date,
        seed: seed("resolution_notice", version, fonts, n),
        version,
    };
    let values = documents::resolution_values(n, version);
    render(
        &documents::RESOLUTION,
        version.notice_templates().0,
        values,
        fonts,
        &n.verification,
        meta,
    )
}

/// 实施结果公开: the result notice, by the current templates.
pub fn render_result_notice(n: &ResultNotice, fonts: &Fonts) -> Result<Vec<u8>, PaperError> {
    render_result_notice_as(n, fonts, TemplateVersion::CURRENT)
}

/// The result notice as `version` printed it (`n` made for that version).
pub fn render_result_notice_as(
    n: &ResultNotice,
    fonts: &Fonts,
    version: TemplateVersion,
) -> Result<Vec<u8>, PaperError> {
    let kept;
    let later = (!version.prints_result_notes()
        && (n.resolution_posted_until.is_some() || n.overspend_reason.is_some()))
        || (!version.flows_tables() && n.objections.iter().any(|o| o.reply_date.is_some()))
        || (!version.prints_one_total() && n.spent_unsplit.is_some());
    let n = if later {
        let mut m = n.clone();
        if !version.prints_result_notes() {
            m.resolution_posted_until = None;
            m.overspend_reason = None;
        }
        // The reply's day is printed from 2026.8.
        if !version.flows_tables() {
            for o in &mut m.objections {
                o.reply_date = None;
            }
        }
        // Before 2026.10, a final cost not split by source was one line of its own.
        if !version.prints_one_total()
            && let Some(spent) = m.spent_unsplit.take()
        {
            m.costs = vec![CostLine {
                source: UNSPLIT_COST.into(),
                budget_fen: m
                    .costs
                    .iter()
                    .fold(0, |a, c| a.saturating_add(c.budget_fen)),
                budget_recorded: m.budget_recorded,
                actual_fen: spent,
            }];
        }
        kept = m;
        &kept
    } else {
        n
    };
    let meta = pdf::Meta {
        title: format!("{}关于{}实施结果的公告", n.village, n.title),
        subject: "实施结果公开",
        date: n.notice_date,
        seed: seed("result_notice", version, fonts, n),
        version,
    };
    let values = documents::result_values(n, version);
    render(
        &documents::RESULT,
        version.notice_templates().1,
        values,
        fonts,
        &n.verification,
        meta,
    )
}

/// The 民议 signature sheet: one row per household in scope, paginated.
pub fn render_consultation_sheet(
    s: &ConsultationSheet,
    fonts: &Fonts,
) -> Result<Vec<u8>, PaperError> {
    let title = format!("{}“{}”民议签字表", s.village, s.title);
    let form = Form::new("consultation_sheet", title, "民议签字表", s.opened, s);
    let values = documents::consultation_values(s);
    form.render(
        &documents::CONSULTATION,
        CONSULTATION_TEMPLATE,
        values,
        fonts,
        &s.verification,
    )
}

/// The page of the printed 民议 sheet ([`render_consultation_sheet`]) each household's row
/// starts on, by household (or person, in a round that counts adults) as the sheet lists
/// them: what a consent's 页码 is when the scanned sheet is that print.
pub fn consultation_sheet_pages(
    s: &ConsultationSheet,
    fonts: &Fonts,
) -> Result<std::collections::BTreeMap<String, u32>, PaperError> {
    consultation_sheet_paging(s, fonts).map(|(rows, _)| rows)
}

/// [`consultation_sheet_pages`], and how many pages the printed sheet has.
pub fn consultation_sheet_paging(
    s: &ConsultationSheet,
    fonts: &Fonts,
) -> Result<(std::collections::BTreeMap<String, u32>, u32), PaperError> {
    let values = documents::consultation_values(s);
    let layout = lay_out(
        &documents::CONSULTATION,
        CONSULTATION_TEMPLATE,
        &values,
        fonts,
        &s.verification,
        TemplateVersion::CURRENT,
    )?;
    let pages = u32::try_from(layout.pages.len()).unwrap_or(u32::MAX);
    let rows = layout.table_rows.first().cloned().unwrap_or_default();
    let rows = s
        .households
        .iter()
        .zip(rows)
        .map(|(h, page)| {
            let key = if s.adults {
                format!("{}:{}", h.household, h.head)
            } else {
                h.household.clone()
            };
            (key, u32::try_from(page).unwrap_or(u32::MAX))
        })
        .collect();
    Ok((rows, pages))
}

/// The receipt for a written motion.
pub fn render_motion_receipt(m: &MotionReceipt, fonts: &Fonts) -> Result<Vec<u8>, PaperError> {
    let title = format!("{}村民书面动议受理回执", m.village);
    let form = Form::new("motion_receipt", title, "动议受理回执", m.received, m);
    let values = documents::motion_values(m);
    form.render(
        &documents::MOTION,
        MOTION_TEMPLATE,
        values,
        fonts,
        &m.verification,
    )
}

/// The written reply to the proposers of a declined motion.
pub fn render_motion_reply(r: &MotionReply, fonts: &Fonts) -> Result<Vec<u8>, PaperError> {
    let title = format!("{}村民书面动议答复书", r.village);
    let form = Form::new("motion_reply", title, "动议答复书", r.declined, r);
    let values = documents::reply_values(r);
    form.render(
        &documents::REPLY,
        REPLY_TEMPLATE,
        values,
        fonts,
        &r.verification,
    )
}

/// A meeting sign-in sheet listing the 应到 members.
pub fn render_signin_sheet(s: &SigninSheet, fonts: &Fonts) -> Result<Vec<u8>, PaperError> {
    let (_, meeting) = documents::meeting_labels(s.kind);
    let title = format!("{}{}签到表", s.village, meeting);
    let form = Form::new("signin_sheet", title, "会议签到表", s.date, s);
    let values = documents::signin_values(s);
    form.render(
        &documents::SIGNIN,
        SIGNIN_TEMPLATE,
        values,
        fonts,
        &s.verification,
    )
}

/// The current templates, by file name (for `--help`-style listings and the digest test).
pub fn templates() -> [(&'static str, &'static str); 6] {
    [
        (documents::RESOLUTION.name, RESOLUTION_TEMPLATE),
        (documents::RESULT.name, RESULT_TEMPLATE),
        (documents::CONSULTATION.name, CONSULTATION_TEMPLATE),
        (documents::MOTION.name, MOTION_TEMPLATE),
        (documents::SIGNIN.name, SIGNIN_TEMPLATE),
        (documents::REPLY.name, REPLY_TEMPLATE),
    ]
}

/// The notice templates kept for earlier versions, by version and file name (the digest
/// test holds them unchanged).
pub fn kept_templates() -> Vec<(TemplateVersion, &'static str, &'static str)> {
    TemplateVersion::ALL
        .into_iter()
        .filter(|v| *v != TemplateVersion::CURRENT)
        .flat_map(|v| {
            let (resolution, result) = v.notice_templates();
            [
                (v, documents::RESOLUTION.name, resolution),
                (v, documents::RESULT.name, result),
            ]
        })
        .collect()
}
