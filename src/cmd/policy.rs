//! `liuyi policy show | set`: the thresholds of SPEC §3 as data. A change is a new policy
//! entry in the log, so a replay applies the rule in force at each step.

use std::path::Path;

use crate::cmd::{Ctx, Writer, read_capped, text};
use crate::error::{Error, PolicyFileProblem, Result, Usage};
use crate::i18n::cli as msg;
use crate::rules::event::PolicyEvent;
use crate::rules::{Event, Policy};

pub fn show(ctx: &Ctx, json: bool) -> Result<()> {
    let (_, replay) = crate::cmd::read_state(ctx, &[])?;
    let p = &replay.state.policy;
    if json {
        ctx.print_json(&serde_json::to_value(p).map_err(|e| Error::Internal(e.to_string()))?);
    } else {
        ctx.say(&msg::policy_text(ctx.lang, p));
    }
    Ok(())
}

pub fn set(ctx: &Ctx, file: &Path, reason: &str) -> Result<()> {
    let data = read_capped(file, 64 * 1024)?;
    let policy = parse(&data).map_err(|problem| Usage::BadPolicyFile {
        path: file.display().to_string(),
        problem,
    })?;
    let mut w = Writer::open(ctx)?;
    if w.state().policy == policy {
        ctx.say(&msg::policy_unchanged(ctx.lang));
        return Ok(());
    }
    w.append(Event::Policy(PolicyEvent {
        policy: policy.clone(),
        reason: Some(text(reason)),
    }))?;
    w.commit()?;
    ctx.say(&msg::policy_text(ctx.lang, &policy));
    Ok(())
}

/// A policy file as `policy show --json` prints it (a UTF-8 BOM, as Notepad writes, is
/// allowed) → the policy, or what is wrong with it as data the messages word in the user's
/// language: the parser's own (English) words are never shown. The JSON is read first as
/// a value, so a field whose value has the wrong type is named with its path
/// (`review_pass.num`), checked against the shape of the default policy.
pub(crate) fn parse(data: &[u8]) -> std::result::Result<Policy, PolicyFileProblem> {
    use serde_json::error::Category;
    let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| match e.classify() {
            Category::Eof => PolicyFileProblem::Truncated,
            _ => PolicyFileProblem::NotJson {
                line: e.line(),
                column: e.column(),
            },
        })?;
    let template = serde_json::to_value(Policy::default()).expect("the default policy serialises");
    if !value.is_object() {
        return Err(PolicyFileProblem::WrongType {
            field: String::new(),
            expected: JsonKind::Object,
        });
    }
    check_shape(&value, &template, "")?;
    // A category listed twice is shown twice by `policy show`; the engine, which replays
    // policies earlier liuyi recorded, does not judge it.
    if let Some(list) = value["land_categories"].as_array() {
        for (i, c) in list.iter().enumerate() {
            if list[..i].contains(c) {
                return Err(PolicyFileProblem::Repeated {
                    field: "land_categories".into(),
                    value: c.as_str().unwrap_or_default().to_string(),
                });
            }
        }
    }
    serde_json::from_value::<Policy>(value.clone()).map_err(|e| {
        let text = e.to_string();
        let quoted = |prefix: &str| {
            text.strip_prefix(prefix)
                .and_then(|r| r.strip_prefix('`'))
                .and_then(|r| r.split_once('`'))
                .map(|(f, _)| f.to_string())
        };
        if let Some(f) = quoted("missing field ") {
            return PolicyFileProblem::Missing(f);
        }
        if let Some(f) = quoted("unknown field ") {
            return PolicyFileProblem::Unknown(f);
        }
        // The field whose value serde refused: the first one that, put alone into the
        // default policy, fails too.
        let field = value.as_object().and_then(|o| {
            o.iter()
                .find(|(k, v)| {
                    let mut one = template.clone();
                    one[k.as_str()] = (*v).clone();
                    serde_json::from_value::<Policy>(one).is_err()
                })
                .map(|(k, _)| k.clone())
        });
        match quoted("unknown variant ") {
            Some(value) => PolicyFileProblem::UnknownValue {
                field: field.unwrap_or_default(),
                value,
                accepted: text
                    .split_once("expected")
                    .map(|(_, list)| {
                        list.split('`')
                            .skip(1)
                            .step_by(2)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            None => PolicyFileProblem::BadValue {
                field: field.unwrap_or_default(),
            },
        }
    })
}

use crate::error::JsonKind;

/// `value` has the JSON types of `template` wherever both have a field (a missing or
/// unknown field is serde's to name); numbers must be whole and fit the policy's `u32`.
fn check_shape(
    value: &serde_json::Value,
    template: &serde_json::Value,
    path: &str,
) -> std::result::Result<(), PolicyFileProblem> {
    use serde_json::Value;
    let wrong = |expected| {
        Err(PolicyFileProblem::WrongType {
            field: path.to_string(),
            expected,
        })
    };
    match (template, value) {
        (Value::Number(_), Value::Number(n)) => match n.as_u64() {
            Some(x) if x <= u64::from(u32::MAX) => Ok(()),
            Some(_) => Err(PolicyFileProblem::NumberTooLarge {
                field: path.to_string(),
                value: n.to_string(),
                max: u64::from(u32::MAX),
            }),
            None => Err(PolicyFileProblem::NotWholeNumber {
                field: path.to_string(),
                value: n.to_string(),
            }),
        },
        (Value::Number(_), _) => wrong(JsonKind::Number),
        (Value::Bool(_), Value::Bool(_)) | (Value::String(_), Value::String(_)) => Ok(()),
        (Value::Bool(_), _) => wrong(JsonKind::Bool),
        (Value::String(_), _) => wrong(JsonKind::Text),
        (Value::Object(t), Value::Object(v)) => {
            for (k, x) in v {
                if let Some(tx) = t.get(k) {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    check_shape(x, tx, &p)?;
                }
            }
            Ok(())
        }
        (Value::Object(_), _) => wrong(JsonKind::Object),
        (Value::Array(t), Value::Array(v)) => match t.first() {
            Some(tx) => v
                .iter()
                .enumerate()
                .try_for_each(|(i, x)| check_shape(x, tx, &format!("{path}[{i}]"))),
            None => Ok(()),
        },
        (Value::Array(_), _) => wrong(JsonKind::List),
        (Value::Null, _) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn default_json() -> serde_json::Value {
        serde_json::to_value(Policy::default()).unwrap()
    }

    fn problem(v: &serde_json::Value) -> PolicyFileProblem {
        parse(v.to_string().as_bytes()).expect_err("refused")
    }

    #[test]
    fn a_bom_is_accepted() {
        let mut data = b"\xEF\xBB\xBF".to_vec();
        data.extend(default_json().to_string().as_bytes());
        assert_eq!(parse(&data), Ok(Policy::default()));
    }

    #[test]
    fn each_problem_names_its_field_in_the_users_language() {
        let mut v = default_json();
        v["min_posting_days"] = (-1).into();
        let p = problem(&v);
        assert_eq!(
            p,
            PolicyFileProblem::NotWholeNumber {
                field: "min_posting_days".into(),
                value: "-1".into()
            }
        );
        let zh = crate::i18n::cli::policy_file_problem(&p, Lang::Zh);
        assert_eq!(
            zh,
            "字段 min_posting_days 的值 -1 不是非负整数（不能带负号或小数点）"
        );
        let mut v = default_json();
        v["review_pass"]["num"] = serde_json::json!(15.0);
        assert_eq!(
            problem(&v),
            PolicyFileProblem::NotWholeNumber {
                field: "review_pass.num".into(),
                value: "15.0".into()
            }
        );
        // A whole number too large for the policy is said to be so, with the largest.
        let mut v = default_json();
        v["consultation_consent"]["den"] = serde_json::json!(4_294_967_296u64);
        let p = problem(&v);
        assert_eq!(
            crate::i18n::cli::policy_file_problem(&p, Lang::Zh),
            "字段 consultation_consent.den 的值 4294967296 太大：最大为 4294967295"
        );
        let mut v = default_json();
        v["review_pass"]["strict"] = "yes".into();
        assert_eq!(
            problem(&v),
            PolicyFileProblem::WrongType {
                field: "review_pass.strict".into(),
                expected: JsonKind::Bool
            }
        );
        let mut v = default_json();
        v["consultation_unit"] = "people".into();
        let p = problem(&v);
        assert_eq!(
            p,
            PolicyFileProblem::UnknownValue {
                field: "consultation_unit".into(),
                value: "people".into(),
                accepted: vec!["households".into(), "adults".into()]
            }
        );
        let zh = crate::i18n::cli::policy_file_problem(&p, Lang::Zh);
        assert!(zh.contains("households、adults"), "{zh}");
        let mut v = default_json();
        v["land_categories"] = serde_json::json!(["land_contract", 3]);
        assert_eq!(
            problem(&v),
            PolicyFileProblem::WrongType {
                field: "land_categories[1]".into(),
                expected: JsonKind::Text
            }
        );
        assert_eq!(
            parse(b"{\"min_posting_days\": 15,"),
            Err(PolicyFileProblem::Truncated)
        );
        assert_eq!(
            parse(b"{\n  min_posting_days: 15}"),
            Err(PolicyFileProblem::NotJson { line: 2, column: 3 })
        );
        for p in [
            PolicyFileProblem::Truncated,
            PolicyFileProblem::NotJson { line: 2, column: 3 },
            PolicyFileProblem::BadValue { field: "x".into() },
        ] {
            let zh = crate::i18n::cli::policy_file_problem(&p, Lang::Zh);
            assert!(!zh.is_ascii() && !zh.contains("expected"), "{zh}");
        }
    }
}
