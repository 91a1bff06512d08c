//! What the record looks like from outside: the JSON documents of SPEC §4 (`show`, `list`,
//! `status`, `consult status`) and the projection rows stored for fast queries. All are
//! derived from the rules state, so `check` can rebuild and compare them.

use serde_json::{Map, Value, json};

use crate::rules::engine::{Matter, Round};
use crate::rules::event::Event;
use crate::rules::stage::next_action;
use crate::rules::{Action, State};
use crate::store::{ConsentRow, MatterRow};

/// The `next` field of `status --json`: a stable action name.
pub fn action_code(a: Action) -> &'static str {
    match a {
        Action::Propose => "propose",
        Action::Discuss => "discuss",
        Action::Review => "review",
        Action::ConsultOpen => "consult_open",
        Action::ConsultRecord => "consult_record",
        Action::ConsultAttach => "consult_attach",
        Action::Resolve => "resolve",
        Action::PublishResolution => "publish_resolution",
        Action::PublishResult => "publish_result",
        Action::Objection => "objection",
        Action::Reply => "reply",
        Action::Implement => "implement",
        Action::Complete => "complete",
        Action::Revise => "revise",
        Action::Withdraw => "withdraw",
    }
}

/// `consult ID status --json`.
pub fn round_json(r: &Round) -> Value {
    let t = r.tally();
    let mut v = json!({
        "round": r.round,
        "opened": r.opened.to_string(),
        "in_scope": t.in_scope,
        "consented": t.consented,
        "objected": t.objected.len(),
        "objecting": t.objected,
        "missing": t.missing,
        "no_evidence": t.no_evidence,
        "uncovered_pages": t.uncovered_pages,
        "left_scope": r.left,
        "complete": t.in_scope > 0 && t.consented == t.in_scope,
    });
    // Counting adults (the village's policy), every list names people as HOUSEHOLD:NAME.
    // Absent when counting households, so that earlier views stand as they were stored.
    if r.adults {
        v["unit"] = Value::from("adults");
    }
    v
}

/// A round's JSON as printed (`consult status --json`, `show --json`): its `missing` lists
/// every one in scope whose consent does not count yet, those with no answer and those
/// signed without evidence (also listed apart as `no_evidence`), so that `in_scope` is
/// `consented` + `objected` + the length of `missing` (SPEC §4). The stored views keep
/// the two lists apart, as they always were (`check` compares them).
pub fn printed_round(mut v: Value) -> Value {
    if let Some(extra) = v.get("no_evidence").and_then(Value::as_array).cloned()
        && !extra.is_empty()
        && let Some(missing) = v.get_mut("missing").and_then(Value::as_array_mut)
    {
        missing.extend(extra);
        missing.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        missing.dedup();
    }
    v
}

/// `show --json` as printed: each round through [`printed_round`].
pub fn printed_matter(mut v: Value) -> Value {
    // The budget 商议 adopted (`budget_fen` is the motion's estimate until one does), added
    // as printed: the stored view keeps its shape, which `check` compares.
    let adopted = v
        .get("stages")
        .and_then(Value::as_array)
        .and_then(|stages| {
            stages
                .iter()
                .rev()
                .filter(|s| s["stage"] == "discussion")
                .find_map(|s| s.get("budget").and_then(Value::as_i64))
        });
    if let Some(o) = v.as_object_mut() {
        o.insert("adopted_budget_fen".into(), adopted.into());
    }
    if let Some(c) = v.get_mut("consultation") {
        *c = printed_round(c.take());
    }
    if let Some(rounds) = v.get_mut("rounds").and_then(Value::as_array_mut) {
        for r in rounds {
            *r = printed_round(r.take());
        }
    }
    v
}

/// One history step: its stage, entry index, event type and every recorded field.
fn step_json(stage: &str, idx: u64, event: &Event) -> Value {
    let mut obj = Map::new();
    obj.insert("stage".into(), Value::from(stage));
    obj.insert("entry".into(), Value::from(idx));
    obj.insert("type".into(), Value::from(event.type_name()));
    if let Ok(Value::Object(o)) = serde_json::to_value(event)
        && let Some(Value::Object(body)) = o.get("body")
    {
        for (k, v) in body {
            // The scope lists are the round's (`consultation`), not the step's: a compacted
            // matter drops them.
            if k != "id" && k != "households" && k != "adults" {
                obj.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(obj)
}

/// `show ID --json`.
pub fn matter_json(m: &Matter) -> Value {
    let stages: Vec<Value> = m
        .steps
        .iter()
        .map(|s| step_json(s.stage.as_str(), s.idx, &s.event))
        .collect();
    let consultation = match m.current_round() {
        Some(r) => round_json(r),
        None => {
            json!({"in_scope": 0, "consented": 0, "objected": 0, "missing": [], "complete": false})
        }
    };
    let rounds: Vec<Value> = m.rounds.iter().map(round_json).collect();
    let objections: Vec<Value> = m
        .objections
        .iter()
        .map(|o| {
            json!({
                "n": o.n, "date": o.date.to_string(), "from": o.from, "text": o.text,
                "reply": o.reply.as_ref().map(|r| json!({"date": r.date.to_string(), "text": r.text})),
            })
        })
        .collect();
    json!({
        "id": m.id,
        "title": m.title,
        "text": m.text,
        "category": m.category.as_str(),
        "category_label": m.category.label_zh(),
        "stage": m.stage.as_str(),
        "next": next_action(m.stage).map(action_code),
        "by": m.by,
        "amount_fen": m.amount,
        "plan_version": m.plan_version,
        "plan": m.plan,
        "budget_fen": m.budget,
        "funding": m.funding,
        "spent_fen": m.spent,
        "last_date": m.last_date.to_string(),
        "stages": stages,
        "consultation": consultation,
        "rounds": rounds,
        "objections": objections,
    })
}

/// The projection rows for every matter, the current roster and the latest consent per
/// household: what `check` compares with the stored tables.
pub fn projections(
    state: &State,
) -> (
    Vec<MatterRow>,
    Vec<crate::rules::people::Person>,
    Vec<ConsentRow>,
) {
    let matters = state.matters.values().map(matter_row).collect();
    let mut people: Vec<crate::rules::people::Person> = state
        .roster
        .latest()
        .map(|r| r.people().cloned().collect())
        .unwrap_or_default();
    // In the stored table's order (by household, then name). The roster's own key,
    // `household:name`, orders a household before another it is the start of ("00366:…"
    // before "0036:…"), which had made an honest roster read as edited.
    people.sort_by(|a, b| (&a.household, &a.name).cmp(&(&b.household, &b.name)));
    let mut consents = Vec::new();
    for m in state.matters.values() {
        consents.extend(consent_rows(m));
    }
    consents.sort();
    (matters, people, consents)
}

pub fn matter_row(m: &Matter) -> MatterRow {
    MatterRow {
        id: m.id.clone(),
        title: m.title.clone(),
        category: m.category.as_str().to_string(),
        stage: m.stage.as_str().to_string(),
        view: matter_json(m).to_string(),
    }
}

/// How an opinion is stored in the `consents` table.
pub fn opinion_name(o: crate::rules::event::Opinion) -> &'static str {
    match o {
        crate::rules::event::Opinion::Consent => "consent",
        crate::rules::event::Opinion::Object => "object",
    }
}

pub fn consent_rows(m: &Matter) -> Vec<ConsentRow> {
    let mut out = Vec::new();
    for r in &m.rounds {
        for (h, c) in &r.records {
            out.push(consent_row(&m.id, r.round, h, c));
        }
    }
    out
}

/// The `consents` row of one household's (or person's) record in one round.
pub fn consent_row(
    matter: &str,
    round: u32,
    household: &str,
    c: &crate::rules::event::ConsentEvent,
) -> ConsentRow {
    ConsentRow {
        matter: matter.to_string(),
        round,
        household: household.to_string(),
        opinion: opinion_name(c.opinion).into(),
        signer: c.signer.clone(),
        date: c.date.to_string(),
    }
}
