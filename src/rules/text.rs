//! What the record may hold as text and as files, judged on every entry (from the rules of
//! 2026-12-02 on, `engine::under_rules_of_2026_12_02`): no control or invisible formatting
//! character, no line break in a one-line field, no signing key, no title that begins with
//! 关于, no empty file. Recording has refused these since 2026-12-01 (`cmd::check_event_texts`,
//! with the flag to fix); here a replay (`check`, `verify`) refuses a signed entry that holds
//! them, as one the rules would not have recorded.

use super::event::{AttachmentRef, Event};
use super::refusal::Refusal;

/// The fields that hold one line (a name, a place, a title): a line break there is refused.
pub const SINGLE_LINE: &[&str] = &[
    "accepted_by",
    "authority",
    "by",
    "category",
    "code",
    "collector",
    "contractor",
    "county",
    "from",
    "household",
    "id",
    "name",
    "phone",
    "place",
    "procurement",
    "relation",
    "signer",
    "source",
    "supervisor",
    "title",
    "township",
    "village",
];

/// The SHA-256 of no bytes: a file that evidences nothing.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The first thing in `event` the record may not hold, as a refusal.
pub fn problem(event: &Event) -> Option<Refusal> {
    if let Some(a) = event.attachments().into_iter().find(|a| empty(a)) {
        return Some(Refusal::EmptyFile {
            name: a.name.clone(),
        });
    }
    match event {
        // Two million of them in a decade: their few fields, not the whole event as JSON.
        Event::Consent(c) => [
            ("id", Some(&c.id)),
            ("household", Some(&c.household)),
            ("person", c.person.as_ref()),
            ("signer", Some(&c.signer)),
            ("reason", c.reason.as_ref()),
            ("relation", c.relation.as_ref()),
            ("collector", c.collector.as_ref()),
            ("name", c.evidence.as_ref().map(|e| &e.name)),
        ]
        .into_iter()
        .find_map(|(field, v)| v.and_then(|v| in_text(field, v))),
        Event::Motion(m) => match m.title.strip_prefix("关于") {
            Some(rest) if !rest.trim().is_empty() => Some(Refusal::TitleStartsWithAbout {
                title: m.title.clone(),
            }),
            _ => in_value(&serde_json::to_value(event).ok()?, ""),
        },
        _ => in_value(&serde_json::to_value(event).ok()?, ""),
    }
}

fn empty(a: &AttachmentRef) -> bool {
    a.size == 0 || a.sha256 == EMPTY_SHA256
}

fn in_value(v: &serde_json::Value, field: &str) -> Option<Refusal> {
    use serde_json::Value;
    match v {
        Value::String(s) => in_text(field, s),
        Value::Array(a) => a.iter().find_map(|x| in_value(x, field)),
        Value::Object(o) => o.iter().find_map(|(k, x)| in_value(x, k)),
        _ => None,
    }
}

fn in_text(field: &str, s: &str) -> Option<Refusal> {
    if crate::record::text_holds_key(s) {
        return Some(Refusal::KeyInText {
            field: field.to_string(),
        });
    }
    let multi = !SINGLE_LINE.contains(&field);
    crate::input::normalize::first_forbidden(s, multi).map(|ch| Refusal::UnrecordableText {
        field: field.to_string(),
        ch,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::event::*;

    fn consent(signer: &str, reason: Option<&str>) -> Event {
        Event::Consent(ConsentEvent {
            id: "2026-001".into(),
            round: 1,
            household: "0001".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
            opinion: Opinion::Object,
            signer: signer.into(),
            method: Method::InPerson,
            person: None,
            reason: reason.map(str::to_string),
            relation: None,
            collector: None,
            evidence: None,
            sheet_page: Some(1),
        })
    }

    #[test]
    fn what_the_record_may_not_hold_is_named_by_its_field() {
        assert_eq!(problem(&consent("张三", Some("占地\n太多"))), None);
        assert_eq!(
            problem(&consent("张\u{202E}三", None)),
            Some(Refusal::UnrecordableText {
                field: "signer".into(),
                ch: '\u{202E}'
            })
        );
        assert_eq!(
            problem(&consent("张三\n李四", None)),
            Some(Refusal::UnrecordableText {
                field: "signer".into(),
                ch: '\n'
            })
        );
        assert_eq!(
            problem(&consent("张三", Some("PRIVATE+KEY+liuyi/1+ab+CD"))),
            Some(Refusal::KeyInText {
                field: "reason".into()
            })
        );
        let mut with_scan = consent("张三", None);
        if let Event::Consent(c) = &mut with_scan {
            c.evidence = Some(AttachmentRef {
                sha256: EMPTY_SHA256.into(),
                size: 0,
                name: "委托书.jpg".into(),
            });
        }
        assert_eq!(
            problem(&with_scan),
            Some(Refusal::EmptyFile {
                name: "委托书.jpg".into()
            })
        );
    }
}
