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

pub use fonts::Fonts;
pub use model::*;

use crate::i18n::Lang;
use template::{Spec, Values};

/// Version of the wording templates. Bump it whenever a file in `templates/` changes (a test
/// holds the templates' digest to make that impossible to forget): the record stores it with
/// every printed notice, so a verifier built from other templates can say "made by version X"
/// instead of calling a difference tampering. Also bumped when the same wording prints to
/// other bytes: 2026.2 deflates at the fast level and draws the QR code with one fixed mask;
/// 2026.3 prints 未列预算 / 资金来源未列明 instead of an unrecorded ¥0.00 budget or source,
/// overspending as 超支, and a receipt without attachments as 无; 2026.4 issues the result
/// notice from the village committee and the 村务监督委员会, and prints a plan's budget that
/// names no source beside a final cost split by source (it printed a ¥0.00 budget).
pub const TEMPLATE_VERSION: &str = "2026.4";

const RESOLUTION_TEMPLATE: &str = include_str!("../../templates/resolution_notice.zh.txt");
const RESULT_TEMPLATE: &str = include_str!("../../templates/result_notice.zh.txt");
const CONSULTATION_TEMPLATE: &str = include_str!("../../templates/consultation_sheet.zh.txt");
const MOTION_TEMPLATE: &str = include_str!("../../templates/motion_receipt.zh.txt");
const SIGNIN_TEMPLATE: &str = include_str!("../../templates/signin_sheet.zh.txt");

/// What made a PDF: templates and font. Stored with each printed notice.
pub fn render_version(fonts: &Fonts) -> String {
    format!("templates {TEMPLATE_VERSION}; font {}", fonts.version())
}

/// Why a document could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperError {
    /// The font has no glyph for `ch`, which appears in `field`.
    MissingGlyph { ch: char, field: String },
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
    let template = template::parse(spec, source)?.select(&values);
    for (i, line) in source.lines().enumerate() {
        if !line.starts_with('#') {
            fonts.check(&format!("{}:{}", spec.name, i + 1), line)?;
        }
    }
    for (k, v) in &values.scalars {
        fonts.check(k, v)?;
    }
    for (list, items) in &values.lists {
        for (i, item) in items.iter().enumerate() {
            for (k, v) in item {
                fonts.check(&format!("{list}[{i}].{k}"), v)?;
            }
        }
    }
    let qr = documents::qr_text(verification);
    let layout = layout::render(fonts, &template, &values, &qr);
    pdf::save(layout, fonts, &meta)
}

fn seed(kind: &str, fonts: &Fonts, input: &dyn fmt::Debug) -> String {
    format!("{kind}\n{}\n{input:?}", render_version(fonts))
}

/// 决议公开: the resolution notice.
pub fn render_resolution_notice(
    n: &ResolutionNotice,
    fonts: &Fonts,
) -> Result<Vec<u8>, PaperError> {
    let meta = pdf::Meta {
        title: format!("{}关于{}的决议公告", n.village, n.title),
        subject: "决议公开",
        date: n.notice_date,
        seed: seed("resolution_notice", fonts, n),
    };
    let values = documents::resolution_values(n);
    render(
        &documents::RESOLUTION,
        RESOLUTION_TEMPLATE,
        values,
        fonts,
        &n.verification,
        meta,
    )
}

/// 实施结果公开: the result notice.
pub fn render_result_notice(n: &ResultNotice, fonts: &Fonts) -> Result<Vec<u8>, PaperError> {
    let meta = pdf::Meta {
        title: format!("{}关于{}实施结果的公告", n.village, n.title),
        subject: "实施结果公开",
        date: n.notice_date,
        seed: seed("result_notice", fonts, n),
    };
    let values = documents::result_values(n);
    render(
        &documents::RESULT,
        RESULT_TEMPLATE,
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
    let meta = pdf::Meta {
        title: format!("{}“{}”民议签字表", s.village, s.title),
        subject: "民议签字表",
        date: s.opened,
        seed: seed("consultation_sheet", fonts, s),
    };
    let values = documents::consultation_values(s);
    render(
        &documents::CONSULTATION,
        CONSULTATION_TEMPLATE,
        values,
        fonts,
        &s.verification,
        meta,
    )
}

/// The receipt for a written motion.
pub fn render_motion_receipt(m: &MotionReceipt, fonts: &Fonts) -> Result<Vec<u8>, PaperError> {
    let meta = pdf::Meta {
        title: format!("{}村民书面动议受理回执", m.village),
        subject: "动议受理回执",
        date: m.received,
        seed: seed("motion_receipt", fonts, m),
    };
    let values = documents::motion_values(m);
    render(
        &documents::MOTION,
        MOTION_TEMPLATE,
        values,
        fonts,
        &m.verification,
        meta,
    )
}

/// A meeting sign-in sheet listing the 应到 members.
pub fn render_signin_sheet(s: &SigninSheet, fonts: &Fonts) -> Result<Vec<u8>, PaperError> {
    let (_, meeting) = documents::meeting_labels(s.kind);
    let meta = pdf::Meta {
        title: format!("{}{}签到表", s.village, meeting),
        subject: "会议签到表",
        date: s.date,
        seed: seed("signin_sheet", fonts, s),
    };
    let values = documents::signin_values(s);
    render(
        &documents::SIGNIN,
        SIGNIN_TEMPLATE,
        values,
        fonts,
        &s.verification,
        meta,
    )
}

/// The bundled templates, by file name (for `--help`-style listings and the digest test).
pub fn templates() -> [(&'static str, &'static str); 5] {
    [
        (documents::RESOLUTION.name, RESOLUTION_TEMPLATE),
        (documents::RESULT.name, RESULT_TEMPLATE),
        (documents::CONSULTATION.name, CONSULTATION_TEMPLATE),
        (documents::MOTION.name, MOTION_TEMPLATE),
        (documents::SIGNIN.name, SIGNIN_TEMPLATE),
    ]
}
