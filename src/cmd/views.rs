//! `liuyi show | list | status`: read the projections (fast at any log size); the JSON
//! shapes are SPEC §4's.

use serde_json::Value;

use crate::cli::ShowArgs;
use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::i18n::cli as msg;
use crate::rules::{Refusal, Stage};
use crate::store::Store;

fn view(row: &crate::store::MatterRow) -> Result<Value> {
    serde_json::from_str(&row.view).map_err(|e| damaged(row, e))
}

/// A stored view that does not parse: liuyi writes each from the record, so the file was
/// damaged or edited (`check` names the row), never an internal error.
fn damaged(row: &crate::store::MatterRow, e: serde_json::Error) -> Error {
    Error::Store(crate::store::StoreError::Corrupt(format!(
        "matters/{}: {e}",
        row.id
    )))
}

pub fn show(ctx: &Ctx, a: &ShowArgs) -> Result<()> {
    let store = Store::open(&ctx.db)?;
    let row = store
        .matter(&a.id)?
        .ok_or_else(|| Refusal::UnknownMatter { id: a.id.clone() })?;
    let mut v = view(&row)?;
    // At 民议 the resolution is next only once the opinions meet the policy (as `status`
    // says): decided as it is printed, the stored view keeps its shape.
    if row.stage == Stage::Consultation.as_str()
        && let Some(action) = consultations_now(&store, std::slice::from_ref(&a.id))?
            .pop()
            .and_then(|c| c.instead)
    {
        v["next"] = Value::from(crate::views::action_code(action));
    }
    // A completed or closed matter that owes an objection its answer: the answer is next
    // (the result notice waits for it), as `status` says; decided as it is printed, the
    // stored view keeps its shape.
    let owes = v
        .get("objections")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|o| o["reply"].is_null()));
    if owes && Stage::parse(&row.stage).is_some_and(|s| s == Stage::Completed || s.is_closed()) {
        v["next"] = Value::from(crate::views::action_code(crate::rules::Action::Reply));
    }
    if a.json {
        ctx.print_json(&crate::views::printed_matter(v));
    } else {
        ctx.say(&msg::show_matter(ctx.lang, &v));
    }
    Ok(())
}

/// A matter at 民议 as it stands: whether it passes, and what comes next instead of the
/// resolution when it does not.
struct ConsultationNow {
    id: String,
    passes: bool,
    instead: Option<crate::rules::Action>,
}

/// For each matter of `ids` at 民议: whether its current round meets the village's policy
/// (a share below 100 % may be met with an objection standing), and, when it does not,
/// what comes next instead of the resolution: with a household objecting, a revision (the
/// text also names a changed opinion); else collecting the consents missing, or the scans
/// of their sheets. Asked of the state (`status`, `show`).
fn consultations_now(store: &Store, ids: &[String]) -> Result<Vec<ConsultationNow>> {
    use crate::rules::Action;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let want: Vec<&str> = ids.iter().map(String::as_str).collect();
    let (replay, _) = crate::check::load_fast(store, &want, None)?;
    let mut out = Vec::new();
    for id in ids {
        let Some(r) = replay
            .state
            .matters
            .get(id)
            .filter(|m| m.stage == Stage::Consultation)
            .and_then(|m| m.current_round())
        else {
            continue;
        };
        let tally = r.tally();
        let passes = replay.state.policy.consultation_passes(&tally);
        let action = if !tally.objected.is_empty() {
            Action::Revise
        } else if !tally.missing.is_empty() {
            Action::ConsultRecord
        } else {
            Action::ConsultAttach
        };
        out.push(ConsultationNow {
            id: id.clone(),
            passes,
            instead: (!passes).then_some(action),
        });
    }
    Ok(out)
}

pub fn list(ctx: &Ctx, json: bool) -> Result<()> {
    let store = Store::open(&ctx.db)?;
    let rows = store.matters()?;
    if json {
        let items: Vec<Value> = rows
            .iter()
            .map(|r| serde_json::json!({"id": r.id, "title": r.title, "stage": r.stage, "category": r.category}))
            .collect();
        ctx.print_json(&serde_json::json!({ "proposals": items }));
    } else {
        ctx.say(&msg::list_matters(ctx.lang, &rows));
    }
    Ok(())
}

/// The fields of a matter's view that `status` prints.
#[derive(serde::Deserialize)]
struct Brief {
    next: Option<String>,
    last_date: Option<String>,
    stages: Vec<BriefStep>,
    objections: Vec<BriefObjection>,
}

#[derive(serde::Deserialize)]
struct BriefStep {
    date: Option<String>,
}

/// The day a matter came to its stage: the date of its latest dated step (a scan filed
/// today, or a proof of posting, moves its last date but not its stage). The last date
/// when no step has one.
fn stage_since(v: &Value) -> Value {
    v.get("stages")
        .and_then(Value::as_array)
        .and_then(|s| {
            s.iter()
                .rev()
                .find_map(|s| s.get("date").filter(|d| d.is_string()))
        })
        .or_else(|| v.get("last_date"))
        .cloned()
        .unwrap_or(Value::Null)
}

#[derive(serde::Deserialize)]
struct BriefObjection {
    n: u32,
    reply: Option<serde::de::IgnoredAny>,
}

pub fn status(ctx: &Ctx, json: bool) -> Result<()> {
    let store = Store::open(&ctx.db)?;
    let mut items = Vec::new();
    for row in store.matters()? {
        let stage = Stage::parse(&row.stage).unwrap_or(Stage::Motion);
        // Only an open consultation needs the whole view; for the others (a decade holds
        // a thousand) read just the fields status prints, skipping the rest unparsed.
        let v = if stage == Stage::Consultation {
            view(&row)?
        } else {
            let brief: Brief = serde_json::from_str(&row.view).map_err(|e| damaged(&row, e))?;
            serde_json::json!({
                "next": brief.next,
                "last_date": brief.last_date,
                "stages": brief.stages.iter().map(|s| serde_json::json!({"date": s.date})).collect::<Vec<_>>(),
                "objections": brief.objections.iter().map(|o| serde_json::json!({
                    "n": o.n,
                    "reply": o.reply.as_ref().map(|_| true),
                })).collect::<Vec<_>>(),
            })
        };
        let next = v.get("next").cloned().unwrap_or(Value::Null);
        let mut item = serde_json::json!({
            "id": row.id,
            "title": row.title,
            "stage": row.stage,
            "next": next,
            "next_command": next.as_str().and_then(|_| crate::rules::stage::next_action(stage)).map(|a| crate::i18n::rules::action_command(a, &row.id)),
            "since": stage_since(&v),
            "closed": stage.is_closed(),
        });
        if stage == Stage::Consultation {
            // As `consult status --json` prints it (`missing` counts the unevidenced too).
            item["consultation"] = v
                .get("consultation")
                .cloned()
                .map(crate::views::printed_round)
                .unwrap_or(Value::Null);
        }
        let open: Vec<Value> = v
            .get("objections")
            .and_then(|o| o.as_array())
            .map(|a| {
                a.iter()
                    .filter(|o| o.get("reply").is_none_or(|r| r.is_null()))
                    .filter_map(|o| o.get("n").cloned())
                    .collect()
            })
            .unwrap_or_default();
        // A closed matter (the result posted, or withdrawn) still owes an answer to an
        // objection received before: that is what is pending; so does a completed one,
        // whose result notice waits for the answer (`publish result` refuses until then).
        if (stage.is_closed() || stage == Stage::Completed)
            && let Some(n) = open.first().and_then(Value::as_u64)
        {
            item["next"] = Value::from(crate::views::action_code(crate::rules::Action::Reply));
            item["next_command"] = Value::from(crate::i18n::rules::reply_command(
                &row.id,
                n,
                crate::i18n::Lang::En,
            ));
        }
        item["unanswered_objections"] = Value::Array(open);
        items.push(item);
    }
    // Whether each open 民议 lets its matter be resolved is the village's policy's to say
    // (a share below 100 % may be met with an objection standing): asked of the state,
    // only when a matter is at 民议.
    let open: Vec<String> = items
        .iter()
        .filter(|i| i.get("consultation").is_some())
        .filter_map(|i| i["id"].as_str().map(str::to_string))
        .collect();
    for ConsultationNow {
        id,
        passes,
        instead,
    } in consultations_now(&store, &open)?
    {
        let Some(item) = items.iter_mut().find(|i| i["id"] == id.as_str()) else {
            continue;
        };
        // Only a matter at 民议 (a resolved one keeps its rounds too: setting `passes`
        // on it made up a `consultation` of nulls, printed as "null/null").
        if item.get("consultation").is_none_or(Value::is_null) {
            continue;
        }
        item["consultation"]["passes"] = Value::Bool(passes);
        if let Some(action) = instead {
            item["next"] = Value::from(crate::views::action_code(action));
            item["next_command"] = Value::from(crate::i18n::rules::action_command(action, &id));
        }
    }
    if json {
        ctx.print_json(&serde_json::json!({ "proposals": items }));
    } else {
        ctx.say(&msg::status_text(ctx.lang, &items));
    }
    Ok(())
}
