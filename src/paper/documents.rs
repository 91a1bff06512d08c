//! The five documents: what each template may and must say, and how the record's data becomes
//! the template's values. Dates are written the Chinese way (2026年3月1日), money as figures and
//! capitals ([`super::money`]).

use chrono::{Datelike, Duration, NaiveDate};

use super::TemplateVersion;
use super::model::*;
use super::money::{format_yuan, to_chinese_capital};
use super::template::{Spec, Values};

/// 2026年3月1日
pub(crate) fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Last day of a posting period (`days` days including the first).
pub(crate) fn posting_end(p: &Posting) -> NaiveDate {
    // A hostile bundle may state any period: past the calendar's end, the end is its last day.
    p.from
        .checked_add_signed(Duration::days(i64::from(p.days.max(1)) - 1))
        .unwrap_or(NaiveDate::MAX)
}

/// 100% or 99.7% (rounded down, so 364/365 never shows as 100%).
pub(crate) fn rate(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "—".into();
    }
    let permille = u64::from(part) * 1000 / u64::from(whole);
    if permille % 10 == 0 {
        format!("{}%", permille / 10)
    } else {
        format!("{}.{}%", permille / 10, permille % 10)
    }
}

fn names(v: &[String]) -> String {
    v.join("、")
}

/// Figures without the ¥ sign, for table cells under a （元） header.
fn amount(fen: i64) -> String {
    format_yuan(fen).replacen('¥', "", 1)
}

const VERIFY_FIELDS: [&str; 4] = ["origin", "log_size", "root_short", "root_hex"];

fn verification(v: &mut Values, ver: &Verification) {
    v.set("origin", ver.origin.clone());
    v.set("log_size", ver.log_size.to_string());
    v.set(
        "root_short",
        ver.root_hex.chars().take(16).collect::<String>(),
    );
    v.set("root_hex", ver.root_hex.clone());
}

/// What the QR code encodes.
pub(crate) fn qr_text(ver: &Verification) -> String {
    format!("liuyi:{}:{}:{}", ver.origin, ver.log_size, ver.root_hex)
}

macro_rules! fields {
    ($($f:expr),* $(,)?) => { &[$($f),*, VERIFY_FIELDS[0], VERIFY_FIELDS[1], VERIFY_FIELDS[2], VERIFY_FIELDS[3]] };
}

pub(crate) const RESOLUTION: Spec = Spec {
    name: "resolution_notice.zh.txt",
    fields: fields![
        "village",
        "township",
        "county",
        "matter_id",
        "title",
        "category",
        "motion_date",
        "proposers",
        "proposal_date",
        "proposal_expected",
        "proposal_present",
        "discussion_date",
        "discussion_expected",
        "discussion_present",
        "review_date",
        "review_expected",
        "review_present",
        "review_yes",
        "review_no",
        "review_abstain",
        "consultation_period",
        "consultation_when",
        "consultation_opened",
        "consultation_closed",
        "consultation_in_scope",
        "consultation_consented",
        "consultation_method",
        "consultation_unit",
        "consultation_rate",
        "consultation_earlier",
        "consultation_signed",
        "consultation_objected",
        "consultation_short",
        "consultation_left",
        "no_spending",
        "resolution_date",
        "resolution_body",
        "resolution_expected",
        "resolution_present",
        "resolution_yes",
        "resolution_no",
        "resolution_abstain",
        "resolution_households_present",
        "resolution_households",
        "resolution_text",
        "budget_figures",
        "budget_capital",
        "posting_from",
        "posting_to",
        "posting_days",
        "posting_place",
        "supervisor",
        "supervisor_phone",
        "issuers",
        "notice_date",
    ],
    lists: &[("funding", &["name", "amount"])],
    required: &[
        "village",
        "matter_id",
        "title",
        "motion_date",
        "proposal_date",
        "proposal_expected",
        "proposal_present",
        "discussion_date",
        "discussion_expected",
        "discussion_present",
        "review_date",
        "review_expected",
        "review_present",
        "review_yes",
        "review_no",
        "review_abstain",
        "consultation_in_scope",
        "consultation_consented",
        "consultation_method",
        "consultation_unit",
        "resolution_date",
        "resolution_body",
        "resolution_expected",
        "resolution_present",
        "resolution_yes",
        "resolution_no",
        "resolution_abstain",
        "resolution_text",
        "budget_figures",
        "budget_capital",
        "funding.name",
        "funding.amount",
        "posting_from",
        "posting_to",
        "posting_place",
        "supervisor",
        "supervisor_phone",
        "township",
        "issuers",
        "notice_date",
        "origin",
        "log_size",
        "root_short",
    ],
    required_blocks: &["title", "signature", "verification"],
};

pub(crate) fn resolution_values(n: &ResolutionNotice, version: TemplateVersion) -> Values {
    let mut v = Values::default();
    // Free text set under one of the notice's own numbered sections (2026.11 on).
    let free = |text: &str| free_text(text, version);
    v.set("village", n.village.clone());
    v.set("township", n.township.clone());
    v.set("county", n.county.clone());
    v.set("matter_id", n.matter_id.clone());
    v.set("title", n.title.clone());
    v.set("category", n.category.clone());
    v.set("motion_date", date_zh(n.motion.date));
    v.set("proposers", names(&n.motion.proposers));
    for (key, m) in [
        ("proposal", &n.proposal),
        ("discussion", &n.discussion),
        ("review", &n.review),
    ] {
        let (d, e, p) = match key {
            "proposal" => ("proposal_date", "proposal_expected", "proposal_present"),
            "discussion" => (
                "discussion_date",
                "discussion_expected",
                "discussion_present",
            ),
            _ => ("review_date", "review_expected", "review_present"),
        };
        v.set(d, date_zh(m.date));
        v.set(e, m.expected.to_string());
        v.set(p, m.present.to_string());
    }
    v.set("review_yes", n.review_votes.yes.to_string());
    v.set("review_no", n.review_votes.no.to_string());
    v.set("review_abstain", n.review_votes.abstain.to_string());
    let c = &n.consultation;
    v.set("consultation_opened", date_zh(c.opened));
    v.set("consultation_closed", date_zh(c.closed));
    v.set(
        "consultation_period",
        format!("{}至{}", date_zh(c.opened), date_zh(c.closed)),
    );
    // A 民议 of one day is that day (2026.6 on; 2026.5 printed it as a range).
    v.set(
        "consultation_when",
        if c.opened == c.closed {
            date_zh(c.opened)
        } else {
            format!("{}至{}", date_zh(c.opened), date_zh(c.closed))
        },
    );
    v.set("consultation_in_scope", c.in_scope.to_string());
    v.set("consultation_consented", c.consented.to_string());
    let (method, unit) = match c.adults {
        false => ("逐户征求意见", "户"),
        true => ("逐人征求成年村民意见", "人"),
    };
    v.set("consultation_method", method);
    v.set("consultation_unit", unit);
    v.set("consultation_rate", rate(c.consented, c.in_scope));
    // Who gave an opinion, who objected, who did not sign (2026.9 on: a policy below
    // 100 % lets a matter resolve with objections, which the board must show).
    v.set(
        "consultation_signed",
        c.in_scope.saturating_sub(c.unsigned).to_string(),
    );
    v.set("consultation_objected", c.objected.to_string());
    if c.consented < c.in_scope {
        // Who objected, who did not sign, who signed consent without its evidence (a page
        // with no scan): each said, none counted as another.
        let no_evidence = c
            .in_scope
            .saturating_sub(c.consented + c.objected + c.unsigned);
        let mut parts = vec![
            format!("反对{}{unit}", c.objected),
            format!("未签字{}{unit}", c.unsigned),
        ];
        if no_evidence > 0 {
            parts.push(format!("签字同意但缺留痕{no_evidence}{unit}"));
        }
        v.set("consultation_short", parts.join("，"));
    }
    if !c.earlier.is_empty() {
        v.set("consultation_earlier", earlier_rounds(c, unit));
    }
    if !c.left.is_empty() {
        v.set("consultation_left", left_scope(c, unit));
    }
    if n.budget_recorded && n.budget_fen == 0 && n.funding.is_empty() {
        v.set("no_spending", "是");
    }
    let r = &n.resolution;
    v.set("resolution_date", date_zh(r.meeting.date));
    v.set(
        "resolution_body",
        match r.body {
            ResolutionBody::Representatives => "村民代表会议",
            ResolutionBody::Villagers => "村民会议",
        },
    );
    v.set("resolution_expected", r.meeting.expected.to_string());
    v.set("resolution_present", r.meeting.present.to_string());
    v.set("resolution_yes", r.votes.yes.to_string());
    v.set("resolution_no", r.votes.no.to_string());
    v.set("resolution_abstain", r.votes.abstain.to_string());
    if let Some(h) = &r.households {
        v.set("resolution_households_present", h.present.to_string());
        v.set("resolution_households", h.total.to_string());
    }
    v.set("resolution_text", free(&n.resolution_text));
    v.set("budget_figures", format_yuan(n.budget_fen));
    v.set("budget_capital", to_chinese_capital(n.budget_fen));
    v.list("funding");
    for f in &n.funding {
        v.push(
            "funding",
            vec![("name", f.name.clone()), ("amount", amount(f.amount_fen))],
        );
    }
    posting(&mut v, &n.posting);
    v.set("supervisor", n.supervision.contact.clone());
    v.set("supervisor_phone", n.supervision.phone.clone());
    v.set("issuers", n.issuers.join("\n"));
    v.set("notice_date", date_zh(n.notice_date));
    verification(&mut v, &n.verification);
    unrecorded_resolution(&mut v, n);
    v
}

/// The rounds sent back to 商议, in a sentence each, and which round the table shows.
fn earlier_rounds(c: &ConsultationStage, unit: &str) -> String {
    let mut s = format!("本事项共进行{}轮民议。", c.earlier.len() + 1);
    for e in &c.earlier {
        s += &format!(
            "第{}轮应征求意见{}{unit}，签字同意{}{unit}，反对{}{unit}，{}退回商议修改方案（理由：{}）。",
            e.round,
            e.in_scope,
            e.consented,
            e.objected,
            date_zh(e.revised),
            e.reason.trim_end_matches(['。', '.'])
        );
    }
    s += "修改后的方案重新经过商议、审议，上表所列为最后一轮民议。";
    s
}

/// At most this many of those that left the 民议's scope are named on the notice; more are
/// counted, and the list is the village committee's.
const LEFT_NAMED: usize = 10;

/// Those that left the 民议's scope by a roster change during it, in a sentence (2026.11):
/// how many, not counted in the figures before it, and (up to [`LEFT_NAMED`]) which and
/// why, as the 民议 sheet names them.
fn left_scope(c: &ConsultationStage, unit: &str) -> String {
    let n = c.left.len();
    let mut s = format!("民议期间另有{n}{unit}按花名册变更退出征求范围，不计入应征求意见{unit}数");
    if n > LEFT_NAMED {
        s += "（名单可向村民委员会查阅）。";
        return s;
    }
    let who: Vec<String> = c
        .left
        .iter()
        .map(|(key, why)| {
            // Counting adults, the key is the person: 户号:姓名.
            let who = match key.split_once(':') {
                Some((household, name)) => format!("{household}户{name}"),
                None => key.clone(),
            };
            let why = why.trim().trim_end_matches(['。', '.', '；', ';']);
            match why.is_empty() {
                true => who,
                false => format!("{who}（{why}）"),
            }
        })
        .collect();
    s += &format!("：{}。", who.join("、"));
    s
}

fn posting(v: &mut Values, p: &Posting) {
    v.set("posting_from", date_zh(p.from));
    v.set("posting_to", date_zh(posting_end(p)));
    v.set("posting_days", p.days.to_string());
    v.set("posting_place", p.place.clone());
}

pub(crate) const RESULT: Spec = Spec {
    name: "result_notice.zh.txt",
    fields: fields![
        "village",
        "township",
        "county",
        "matter_id",
        "title",
        "resolution_date",
        "resolution_posting_open",
        "overspend_reason",
        "delivered",
        "started",
        "completed",
        "contractor",
        "contractor_selection",
        "budget_total",
        "actual_total",
        "difference_total",
        "budget_capital",
        "actual_capital",
        "acceptance_date",
        "acceptance_by",
        "acceptance_conclusion",
        "supervision_opinion",
        "supervision_stop",
        "delivered_stop",
        "contractor_selection_stop",
        "acceptance_stop",
        "overspend_stop",
        "no_money",
        "objection_count",
        "posting_from",
        "posting_to",
        "posting_days",
        "posting_place",
        "supervisor",
        "supervisor_phone",
        "issuers",
        "notice_date",
    ],
    lists: &[
        ("costs", &["source", "budget", "actual", "difference"]),
        (
            "objections",
            &["from", "date", "text", "reply", "reply_when"],
        ),
    ],
    required: &[
        "village",
        "matter_id",
        "title",
        "delivered",
        "started",
        "completed",
        "contractor",
        "contractor_selection",
        "costs.source",
        "costs.budget",
        "costs.actual",
        "budget_total",
        "actual_total",
        "acceptance_date",
        "acceptance_by",
        "supervision_opinion",
        "objections.from",
        "objections.text",
        "objections.reply",
        "posting_from",
        "posting_to",
        "posting_place",
        "supervisor",
        "supervisor_phone",
        "township",
        "issuers",
        "notice_date",
        "origin",
        "log_size",
        "root_short",
    ],
    required_blocks: &["title", "signature", "verification"],
};

pub(crate) fn result_values(n: &ResultNotice, version: TemplateVersion) -> Values {
    let mut v = Values::default();
    let free = |text: &str| free_text(text, version);
    v.set("village", n.village.clone());
    v.set("township", n.township.clone());
    v.set("county", n.county.clone());
    v.set("matter_id", n.matter_id.clone());
    v.set("title", n.title.clone());
    v.set("resolution_date", date_zh(n.resolution_date));
    v.set("delivered", free(&n.delivered));
    if let Some(day) = n.started {
        v.set("started", date_zh(day));
    }
    v.set("completed", date_zh(n.completed));
    v.set("contractor", n.contractor.clone());
    v.set("contractor_selection", n.contractor_selection.clone());
    v.list("costs");
    let (mut b, mut a) = (0i64, 0i64);
    // The lines of a final cost not split by source hold no final cost of their own.
    let spent = |c: &CostLine| {
        if n.spent_unsplit.is_some() {
            0
        } else {
            c.actual_fen
        }
    };
    for c in &n.costs {
        b = b.saturating_add(c.budget_fen);
        a = a.saturating_add(spent(c));
        v.push(
            "costs",
            vec![
                ("source", c.source.clone()),
                ("budget", amount(c.budget_fen)),
                ("actual", amount(c.actual_fen)),
                (
                    "difference",
                    amount(c.budget_fen.saturating_sub(c.actual_fen)),
                ),
            ],
        );
    }
    if let Some(s) = n.spent_unsplit {
        a = s;
    }
    v.set("budget_total", format_yuan(b));
    v.set("actual_total", format_yuan(a));
    v.set("difference_total", format_yuan(b.saturating_sub(a)));
    v.set("budget_capital", to_chinese_capital(b));
    v.set("actual_capital", to_chinese_capital(a));
    v.set("acceptance_date", date_zh(n.acceptance.date));
    v.set("acceptance_by", names(&n.acceptance.by));
    v.set("acceptance_conclusion", free(&n.acceptance.conclusion));
    v.set("supervision_opinion", free(&n.supervision_opinion));
    // 2026.8 ends the opinion as a sentence (同意 → 同意。), and says a matter that spent
    // nothing and budgeted nothing does not involve money, where a table of 0.00 and
    // 人民币零元整 was printed (earlier templates do not name either value).
    let opinion = n.supervision_opinion.trim_end();
    if version.ends_quoted_text_once() {
        // 2026.13: each text the notice quotes ends as a sentence, once.
        for (stop, text) in [
            ("supervision_stop", n.supervision_opinion.as_str()),
            ("delivered_stop", &n.delivered),
            ("contractor_selection_stop", &n.contractor_selection),
            ("acceptance_stop", &n.acceptance.conclusion),
            (
                "overspend_stop",
                n.overspend_reason.as_deref().unwrap_or(""),
            ),
        ] {
            if !text.trim().is_empty() && !ends_a_sentence(text) {
                v.set(stop, "。");
            }
        }
    } else if !opinion.is_empty() && !opinion.ends_with(['。', '！', '？', '.', '!', '?', '；'])
    {
        v.set("supervision_stop", "。");
    }
    let spent = a;
    let budgeted: i64 = n
        .costs
        .iter()
        .filter(|c| c.budget_recorded)
        .fold(0, |a, c| a.saturating_add(c.budget_fen));
    if spent == 0 && budgeted == 0 {
        v.set("no_money", "1");
    }
    // Only beside an overspend the notice prints (a log written by other means may hold a
    // reason for spending within the budget: it would read as an overspend): the total's,
    // or from 2026.13 on one source's (`complete` asks the reason for either).
    let source_over = version.explains_a_source_overspend()
        && n.costs
            .iter()
            .any(|c| c.budget_recorded && c.actual_fen > c.budget_fen);
    if let Some(r) = n
        .overspend_reason
        .as_ref()
        .filter(|_| n.budget_recorded && (a > b || source_over))
    {
        v.set("overspend_reason", free(r));
    }
    v.set("objection_count", n.objections.len().to_string());
    // Set (to the posting's last day) only while the resolution is still posted: the
    // template then says no objection was received *so far*.
    if let Some(until) = n.resolution_posted_until
        && n.notice_date <= until
    {
        v.set("resolution_posting_open", date_zh(until));
    }
    v.list("objections");
    for o in &n.objections {
        v.push(
            "objections",
            vec![
                ("from", o.from.clone()),
                ("date", date_zh(o.date)),
                ("text", o.text.clone()),
                (
                    "reply",
                    o.reply.clone().unwrap_or_else(|| "（尚未答复）".into()),
                ),
                // Printed by 2026.8's template only (the model of an earlier version's notice
                // holds no reply date).
                (
                    "reply_when",
                    o.reply_date
                        .filter(|_| o.reply.is_some())
                        .map(|d| format!("（{}答复）", date_zh(d)))
                        .unwrap_or_default(),
                ),
            ],
        );
    }
    posting(&mut v, &n.posting);
    v.set("supervisor", n.supervision.contact.clone());
    v.set("supervisor_phone", n.supervision.phone.clone());
    v.set("issuers", n.issuers.join("\n"));
    v.set("notice_date", date_zh(n.notice_date));
    verification(&mut v, &n.verification);
    unrecorded_result(&mut v, n, version);
    v
}

/// Whether `text` ends a sentence itself (。！？, ；, or their ASCII forms, before any closing
/// quote or bracket): a notice that quotes it adds no 。 of its own (2026.13 on).
fn ends_a_sentence(text: &str) -> bool {
    let t = text
        .trim_end()
        .trim_end_matches(['”', '’', '」', '』', '）', ')', '"', '\'']);
    t.ends_with(['。', '！', '？', '.', '!', '?', '；', '…'])
}

/// Free text as a notice of `version` sets it ([`as_sub_level`] from 2026.11).
fn free_text(text: &str, version: TemplateVersion) -> String {
    match version.sets_free_text_as_sub_level() {
        true => as_sub_level(text),
        false => text.to_string(),
    }
}

/// The levels of a document's own numbering, after GB/T 9704: 一、 then （一） then 1. then
/// （1）.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    First,
    Second,
    Third,
    Fourth,
}

const NUMERALS: [char; 13] = [
    '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '〇', '零',
];

/// The number a line begins with (after any indent): its level, the number as written (二,
/// 2) and the bytes the marker takes. A numeral followed by another (三、四月份, 1、2号楼,
/// 1.2公里) is a figure, not a marker.
fn leading_number(line: &str) -> Option<(Level, &str, usize)> {
    /// The numerals `s` begins with (Chinese or ASCII), and what follows them.
    fn digits(s: &str, chinese: bool) -> (&str, &str) {
        let n = s
            .char_indices()
            .find(|(_, c)| {
                if chinese {
                    !NUMERALS.contains(c)
                } else {
                    !c.is_ascii_digit()
                }
            })
            .map_or(s.len(), |(i, _)| i);
        s.split_at(n)
    }
    let first = line.chars().next()?;
    if NUMERALS.contains(&first) {
        let (number, rest) = digits(line, true);
        let after = rest.strip_prefix('、')?;
        if after.starts_with(NUMERALS) {
            return None;
        }
        return Some((Level::First, number, line.len() - after.len()));
    }
    if first == '（' || first == '(' {
        let inner = &line[first.len_utf8()..];
        let chinese = inner.starts_with(NUMERALS);
        let (number, rest) = digits(inner, chinese);
        if number.is_empty() || (!chinese && number.len() > 3) {
            return None;
        }
        let after = rest.strip_prefix(['）', ')'])?;
        let level = if chinese {
            Level::Second
        } else {
            Level::Fourth
        };
        return Some((level, number, line.len() - after.len()));
    }
    if first.is_ascii_digit() {
        let (number, rest) = digits(line, false);
        if number.len() > 3 {
            return None;
        }
        let after = rest.strip_prefix(['.', '．', '、'])?;
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return Some((Level::Third, number, line.len() - after.len()));
    }
    None
}

/// 十二 → 12, 一百零五 → 105, 一〇一 → 101 (1 to 999; anything else: `None`).
fn chinese_number(s: &str) -> Option<u32> {
    let (mut total, mut pending) = (0u32, None::<u32>);
    for c in s.chars() {
        match c {
            '百' => total += pending.take().unwrap_or(1) * 100,
            '十' => total += pending.take().unwrap_or(1) * 10,
            _ => {
                let d = NUMERALS[..9]
                    .iter()
                    .position(|n| *n == c)
                    .map_or(0, |i| i as u32 + 1);
                pending = Some(pending.unwrap_or(0).checked_mul(10)?.checked_add(d)?);
            }
        }
    }
    let n = total.checked_add(pending.unwrap_or(0))?;
    (1..=999).contains(&n).then_some(n)
}

/// Free text printed under one of the notice's own numbered sections (二、决议内容,
/// 四、村务监督委员会意见…), its own numbering one level down, as GB/T 9704 numbers the levels
/// under 一、: when a line begins 一、 (the notice's level), every line's leading 一、 becomes
/// （一）, a （一） becomes `1.`, a `1.` becomes （1）; a （1）, the fourth level, is kept. Text
/// with no line at the first level already reads as under the section, and is printed as it
/// is. The record's text is not changed: only how 2026.11 prints it.
pub(crate) fn as_sub_level(text: &str) -> String {
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '\u{3000}']).len();
    if !text
        .split('\n')
        .any(|l| matches!(leading_number(&l[indent(l)..]), Some((Level::First, ..))))
    {
        return text.to_string();
    }
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            let (lead, rest) = line.split_at(indent(line));
            let Some((level, number, len)) = leading_number(rest) else {
                return line.to_string();
            };
            let down = match level {
                Level::First => format!("（{number}）"),
                Level::Second => match chinese_number(number) {
                    Some(n) => format!("{n}."),
                    None => return line.to_string(),
                },
                Level::Third => format!("（{number}）"),
                Level::Fourth => return line.to_string(),
            };
            format!(
                "{lead}{down}{}",
                rest[len..].trim_start_matches([' ', '\u{3000}'])
            )
        })
        .collect();
    lines.join("\n")
}

pub(crate) const CONSULTATION: Spec = Spec {
    name: "consultation_sheet.zh.txt",
    fields: fields![
        "village",
        "township",
        "matter_id",
        "title",
        "round",
        "opened",
        "snapshot_id",
        "snapshot_short",
        "snapshot_hash",
        "household_count",
        "snapshot_count",
        "due_count",
        "unit",
        "adults",
    ],
    lists: &[("households", &["seq", "household", "head", "left_mark"])],
    required: &[
        "village",
        "matter_id",
        "title",
        "round",
        "snapshot_id",
        "snapshot_short",
        "households.household",
        "households.head",
        "origin",
        "log_size",
        "root_short",
    ],
    required_blocks: &["title", "pagehead", "pagenumber", "verification"],
};

/// What the 签字 cell of a row says when its household (or person) left the 民议's scope
/// by a roster change since the round opened: one line in the cell, so the row keeps its
/// height and every row its page.
const LEFT_MARK: &str = "已退出征求范围";

pub(crate) fn consultation_values(s: &ConsultationSheet) -> Values {
    let mut v = Values::default();
    v.set("village", s.village.clone());
    v.set("township", s.township.clone());
    v.set("matter_id", s.matter_id.clone());
    v.set("title", s.title.clone());
    v.set("round", s.round.to_string());
    v.set("opened", date_zh(s.opened));
    v.set("snapshot_id", s.snapshot_id.clone());
    v.set(
        "snapshot_short",
        s.snapshot_hash_hex.chars().take(12).collect::<String>(),
    );
    v.set("snapshot_hash", s.snapshot_hash_hex.clone());
    // Every row of the sheet as the round opened (what its checksum covers): those that
    // left scope since keep their rows, marked, so no row changes its page.
    v.set("household_count", s.households.len().to_string());
    v.set("snapshot_count", s.households.len().to_string());
    v.set(
        "due_count",
        s.households.len().saturating_sub(s.left.len()).to_string(),
    );
    v.set("unit", if s.adults { "人" } else { "户" });
    v.set("adults", if s.adults { "1" } else { "" });
    v.list("households");
    for (i, h) in s.households.iter().enumerate() {
        let key = match s.adults {
            true => format!("{}:{}", h.household, h.head),
            false => h.household.clone(),
        };
        let left = s.left.iter().any(|(k, _)| *k == key);
        v.push(
            "households",
            vec![
                ("seq", (i + 1).to_string()),
                ("household", h.household.clone()),
                ("head", h.head.clone()),
                ("left_mark", if left { LEFT_MARK } else { "" }.to_string()),
            ],
        );
    }
    verification(&mut v, &s.verification);
    v
}

pub(crate) const MOTION: Spec = Spec {
    name: "motion_receipt.zh.txt",
    fields: fields![
        "village",
        "township",
        "matter_id",
        "title",
        "category",
        "text",
        "proposers",
        "you",
        "proposer_count",
        "received",
        "estimated",
        "attachments",
    ],
    lists: &[],
    required: &[
        "village",
        "matter_id",
        "title",
        "text",
        "proposers",
        "received",
        "origin",
        "log_size",
        "root_short",
    ],
    required_blocks: &["title", "verification"],
};

/// How the receipt and the reply address the proposers: one as 您, several as 你们.
fn you(proposers: usize) -> &'static str {
    match proposers {
        1 => "您",
        _ => "你们",
    }
}

pub(crate) fn motion_values(m: &MotionReceipt) -> Values {
    let mut v = Values::default();
    v.set("village", m.village.clone());
    v.set("township", m.township.clone());
    v.set("matter_id", m.matter_id.clone());
    v.set("title", m.title.clone());
    v.set("category", m.category.clone());
    v.set("text", m.text.clone());
    v.set("proposers", names(&m.proposers));
    v.set("you", you(m.proposers.len()));
    v.set("proposer_count", m.proposers.len().to_string());
    v.set("received", date_zh(m.received));
    v.set(
        "estimated",
        match m.estimated_fen {
            Some(f) => format!("{}（{}）", format_yuan(f), to_chinese_capital(f)),
            None => "—".into(),
        },
    );
    // 无 rather than "共0份".
    v.set(
        "attachments",
        match m.attachments {
            0 => "无".to_string(),
            n => format!("书面动议扫描件及附件共{n}份"),
        },
    );
    verification(&mut v, &m.verification);
    v
}

pub(crate) const REPLY: Spec = Spec {
    name: "motion_reply.zh.txt",
    fields: fields![
        "village",
        "township",
        "matter_id",
        "title",
        "proposers",
        "you",
        "received",
        "declined_by",
        "declined",
        "reason",
        "issuer",
        "today",
        "supervision_contact",
    ],
    lists: &[],
    required: &[
        "village",
        "matter_id",
        "title",
        "proposers",
        "received",
        "declined_by",
        "declined",
        "issuer",
        "origin",
        "log_size",
        "root_short",
    ],
    required_blocks: &["title", "verification"],
};

pub(crate) fn reply_values(r: &MotionReply) -> Values {
    let mut v = Values::default();
    v.set("village", r.village.clone());
    v.set("township", r.township.clone());
    v.set("matter_id", r.matter_id.clone());
    v.set("title", r.title.clone());
    v.set("proposers", names(&r.proposers));
    v.set("you", you(r.proposers.len()));
    v.set("received", date_zh(r.received));
    v.set("declined_by", r.declined_by.clone());
    v.set("declined", date_zh(r.declined));
    if !r.reason.trim().is_empty() {
        // One sentence, ended once.
        let reason = r.reason.trim();
        let ended = reason.ends_with(['。', '！', '？', '.', '!', '?']);
        v.set(
            "reason",
            format!("{reason}{}", if ended { "" } else { "。" }),
        );
    }
    v.set("issuer", r.issuer.clone());
    v.set("today", date_zh(r.declined));
    // The committee's contact and phone, as far as the record has them (the notices' own
    // fallbacks, 村务监督委员会 and —, say nothing here).
    let contact = [
        (r.supervision.contact != "村务监督委员会")
            .then(|| format!("联系人：{}", r.supervision.contact)),
        (r.supervision.phone != "—").then(|| format!("电话：{}", r.supervision.phone)),
    ];
    let contact: Vec<String> = contact.into_iter().flatten().collect();
    v.set(
        "supervision_contact",
        match contact.is_empty() {
            true => String::new(),
            false => format!("（{}）", contact.join("，")),
        },
    );
    verification(&mut v, &r.verification);
    v
}

pub(crate) const SIGNIN: Spec = Spec {
    name: "signin_sheet.zh.txt",
    fields: fields![
        "village",
        "township",
        "matter_id",
        "title",
        "meeting",
        "stage",
        "date",
        "expected",
    ],
    lists: &[("members", &["seq", "household", "name", "role"])],
    required: &[
        "village",
        "matter_id",
        "title",
        "meeting",
        "date",
        "expected",
        "members.name",
        "origin",
        "log_size",
        "root_short",
    ],
    required_blocks: &["title", "pagenumber", "verification"],
};

/// (stage, meeting) labels of a sign-in sheet.
pub(crate) fn meeting_labels(k: MeetingKind) -> (&'static str, &'static str) {
    match k {
        MeetingKind::Proposal => ("提议", "党组织（支部委员会）会议"),
        MeetingKind::Discussion => ("商议", "“两委”联席会议"),
        MeetingKind::Review => ("审议", "党员大会"),
        MeetingKind::Resolution(ResolutionBody::Representatives) => ("决议", "村民代表会议"),
        MeetingKind::Resolution(ResolutionBody::Villagers) => ("决议", "村民会议"),
    }
}

pub(crate) fn signin_values(s: &SigninSheet) -> Values {
    let mut v = Values::default();
    let (stage, meeting) = meeting_labels(s.kind);
    v.set("village", s.village.clone());
    v.set("township", s.township.clone());
    v.set("matter_id", s.matter_id.clone());
    v.set("title", s.title.clone());
    v.set("meeting", meeting);
    v.set("stage", stage);
    v.set("date", date_zh(s.date));
    v.set(
        "expected",
        s.members.iter().filter(|m| m.counted).count().to_string(),
    );
    v.list("members");
    for (i, m) in s.members.iter().enumerate() {
        v.push(
            "members",
            vec![
                ("seq", (i + 1).to_string()),
                ("household", m.household.clone()),
                ("name", m.name.clone()),
                ("role", m.role.clone()),
            ],
        );
    }
    verification(&mut v, &s.verification);
    v
}

// What a notice prints where the record holds no figure, and where money ran over: the
// template's `if=` blocks then say 未列预算 or 资金来源未列明 instead of printing a ¥0.00
// budget or a source nobody named; a cell the plan did not budget prints as —, and an
// overspent remainder as 超支 ¥… rather than a negative 结余.

/// What a cell prints when the record holds no figure.
const NONE: &str = "—";

/// Figures without the ¥ sign (table cells under a （元） header), overspending as 超支.
fn remainder(fen: i64, with_sign: bool) -> String {
    let figures = |f: i64| {
        let s = format_yuan(f);
        if with_sign {
            s
        } else {
            s.replacen('¥', "", 1)
        }
    };
    if fen < 0 {
        format!("超支{}", figures(fen.saturating_neg()))
    } else {
        figures(fen)
    }
}

/// What is left of a budget, as the result notice's 结余或超支 column prints it: an
/// overspend as 超支, and from 2026.11 a surplus as 结余 (before, a bare 7,500.00 beside
/// 超支20,000.00); nothing left either way is 0.00.
fn difference(fen: i64, with_sign: bool, version: TemplateVersion) -> String {
    if fen > 0 && version.labels_the_surplus() {
        format!("结余{}", remainder(fen, with_sign))
    } else {
        remainder(fen, with_sign)
    }
}

/// 决议公开: no budget recorded → no budget figures (the template says 未列预算), and the
/// funding text, if any, printed as recorded without an amount.
fn unrecorded_resolution(v: &mut Values, n: &ResolutionNotice) {
    if n.budget_recorded {
        return;
    }
    v.scalars.remove("budget_figures");
    v.scalars.remove("budget_capital");
    if let Some(items) = v.lists.get_mut("funding") {
        for item in items {
            item.insert("amount", NONE.into());
        }
    }
}

/// 实施结果公开: lines the plan did not budget print — for budget and remainder; no budget at
/// all → no budget total or capitals (the template says 未列预算); overspending → 超支.
fn unrecorded_result(v: &mut Values, n: &ResultNotice, version: TemplateVersion) {
    let mut items = Vec::new();
    for c in &n.costs {
        // Budget assigned to no source, or a source's budget beside a final cost recorded
        // as one sum (2026.10): no final cost or remainder of its own.
        let unsplit = c.source == super::model::UNSPLIT_BUDGET || n.spent_unsplit.is_some();
        let (budget, difference) = if unsplit {
            (remainder(c.budget_fen, false), NONE.to_string())
        } else if c.budget_recorded {
            (
                remainder(c.budget_fen, false),
                difference(c.budget_fen.saturating_sub(c.actual_fen), false, version),
            )
        } else {
            (NONE.to_string(), NONE.to_string())
        };
        items.push(
            [
                ("source", c.source.clone()),
                ("budget", budget),
                (
                    "actual",
                    if unsplit {
                        NONE.to_string()
                    } else {
                        remainder(c.actual_fen, false)
                    },
                ),
                ("difference", difference),
            ]
            .into_iter()
            .collect(),
        );
    }
    v.lists.insert("costs", items);
    let actual: i64 = n.spent_unsplit.unwrap_or_else(|| {
        n.costs
            .iter()
            .fold(0, |a, c| a.saturating_add(c.actual_fen))
    });
    if n.budget_recorded {
        // Lines the plan did not budget count nothing toward the budget.
        let budget: i64 = n
            .costs
            .iter()
            .filter(|c| c.budget_recorded)
            .fold(0, |a, c| a.saturating_add(c.budget_fen));
        v.set(
            "difference_total",
            difference(budget.saturating_sub(actual), true, version),
        );
    } else {
        v.scalars.remove("budget_capital");
        v.set("budget_total", "未列预算");
        v.set("difference_total", NONE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overspending_is_never_a_negative_remainder() {
        assert_eq!(remainder(-1_400_000, true), "超支¥14,000.00");
        assert_eq!(remainder(-1_400_000, false), "超支14,000.00");
        assert_eq!(remainder(50, false), "0.50");
        // 2026.11 says which a remainder is; nothing left is neither.
        let v11 = TemplateVersion::V2026_11;
        assert_eq!(difference(750_000, false, v11), "结余7,500.00");
        assert_eq!(difference(750_000, true, v11), "结余¥7,500.00");
        assert_eq!(difference(-2_000_000, false, v11), "超支20,000.00");
        assert_eq!(difference(0, false, v11), "0.00");
        assert_eq!(
            difference(750_000, false, TemplateVersion::V2026_10),
            "7,500.00"
        );
    }

    #[test]
    fn free_text_at_the_notices_level_is_set_a_level_down() {
        let text = "会议决定：\n一、同意实施。\n二、分两期：\n（一）路基；\n(二) 路面，\n\
                    1. 五月开工；\n2、七月完工；\n（1）雨天顺延。\n  十一、其他。";
        assert_eq!(
            as_sub_level(text),
            "会议决定：\n（一）同意实施。\n（二）分两期：\n1.路基；\n2.路面，\n\
             （1）五月开工；\n（2）七月完工；\n（1）雨天顺延。\n  （十一）其他。"
        );
        // Under the notice's sections already: printed as it is.
        for text in [
            "（一）同意实施。\n（二）分两期。",
            "1. 同意实施。\n2. 分两期。",
            "同意实施村东主干道硬化工程。",
        ] {
            assert_eq!(as_sub_level(text), text);
        }
        // Figures are not markers: 三、四月份, 1.2公里, 1、2号楼.
        let text = "一、工期：\n三、四月份施工\n1.2公里\n1、2号楼之间";
        assert_eq!(
            as_sub_level(text),
            "（一）工期：\n三、四月份施工\n1.2公里\n1、2号楼之间"
        );
        assert_eq!(as_sub_level("三、四月份施工"), "三、四月份施工");
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("九十九", 99),
            ("一百零五", 105),
            ("一〇一", 101),
        ] {
            assert_eq!(chinese_number(s), Some(n), "{s}");
        }
        assert_eq!(chinese_number("〇"), None);
        // A （一） whose number cannot be read is left as it is.
        assert_eq!(as_sub_level("一、甲\n（〇）乙"), "（一）甲\n（〇）乙");
    }

    #[test]
    fn a_posting_period_past_the_calendars_end_ends_there() {
        let p = |days| Posting {
            from: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            days,
            place: "村务公开栏".into(),
        };
        assert_eq!(
            posting_end(&p(15)),
            NaiveDate::from_ymd_opt(2026, 3, 15).unwrap()
        );
        assert_eq!(
            posting_end(&p(0)),
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
        );
        assert_eq!(posting_end(&p(u32::MAX)), NaiveDate::MAX);
    }
}
