//! `liuyi supervision show | set`: where villagers take objections — the village affairs
//! supervision committee's contact and phone that every notice prints. `init` records them
//! in the genesis entry; a change (an election, a new number) is a `supervision` entry, so
//! each notice names the contact in force when it was printed.

use crate::cli::SupervisionSetArgs;
use crate::cmd::{Ctx, Writer, text};
use crate::error::{Result, Usage};
use crate::i18n::cli as msg;
use crate::rules::event::SupervisionEvent;
use crate::rules::{Event, State};

/// The contact in force: (contact, phone, the day it last changed, if it did after `init`).
fn in_force(s: &State) -> (Option<String>, Option<String>, Option<chrono::NaiveDate>) {
    match (&s.supervisor, &s.genesis) {
        (Some(e), _) => (e.supervisor.clone(), e.phone.clone(), Some(e.date)),
        (None, Some(g)) => (g.supervisor.clone(), g.phone.clone(), None),
        (None, None) => (None, None, None),
    }
}

pub fn show(ctx: &Ctx, json: bool) -> Result<()> {
    let (_, replay) = crate::cmd::read_state(ctx, &[])?;
    let (supervisor, phone, since) = in_force(&replay.state);
    if json {
        ctx.print_json(&serde_json::json!({
            "supervisor": supervisor,
            "phone": phone,
            "since": since.map(|d| d.to_string()),
        }));
    } else {
        ctx.say(&msg::supervision_text(
            ctx.lang,
            supervisor.as_deref(),
            phone.as_deref(),
            since,
        ));
    }
    Ok(())
}

pub fn set(ctx: &Ctx, a: &SupervisionSetArgs) -> Result<()> {
    let given = |v: &Option<String>, what: &'static str| -> Result<Option<String>> {
        match v {
            None => Ok(None),
            Some(v) if v.trim().is_empty() => Err(Usage::EmptyText { what }.into()),
            Some(v) => Ok(Some(text(v.trim()))),
        }
    };
    let supervisor = given(&a.supervisor, "supervisor")?;
    let phone = given(&a.phone, "phone")?;
    if let Some(p) = &phone {
        crate::cmd::init::check_phone(p)?;
    }
    let reason = a
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(text);
    let date = ctx.date(&a.date)?;
    let mut w = Writer::open(ctx)?;
    let (old_supervisor, old_phone, _) = in_force(w.state());
    // What is not given stays as it is.
    let supervisor = supervisor.or(old_supervisor.clone());
    let phone = phone.or(old_phone.clone());
    if supervisor == old_supervisor && phone == old_phone {
        ctx.say(&msg::supervision_unchanged(ctx.lang));
        return Ok(());
    }
    w.append(Event::Supervision(SupervisionEvent {
        date,
        supervisor: supervisor.clone(),
        phone: phone.clone(),
        reason,
    }))?;
    w.commit()?;
    ctx.say(&msg::supervision_text(
        ctx.lang,
        supervisor.as_deref(),
        phone.as_deref(),
        Some(date),
    ));
    Ok(())
}
