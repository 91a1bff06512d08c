//! `liuyi supervision show | set`: where villagers take objections — the village affairs
//! supervision committee's contact and phone that every notice prints. `init` records them
//! in the genesis entry; a change (an election, a new number) is a `supervision` entry, so
//! each notice names the contact in force when it was printed.

use crate::cli::SupervisionSetArgs;
use crate::cmd::{Ctx, Writer, init, opt_text};
use crate::error::{Result, Usage};
use crate::i18n::cli as msg;
use crate::rules::event::SupervisionEvent;
use crate::rules::{Event, Refusal};

pub fn show(ctx: &Ctx, json: bool) -> Result<()> {
    let (_, replay) = crate::cmd::read_state(ctx, &[])?;
    let (supervisor, phone) = replay.state.objection_contact();
    let change = replay.state.supervisor.as_ref();
    if json {
        ctx.print_json(&serde_json::json!({
            "supervisor": supervisor,
            "phone": phone,
            "since": change.map(|c| c.date.to_string()),
            "reason": change.and_then(|c| c.reason.clone()),
        }));
    } else {
        ctx.say(&msg::supervision_text(
            ctx.lang,
            supervisor,
            phone,
            change.map(|c| c.date),
        ));
    }
    Ok(())
}

pub fn set(ctx: &Ctx, a: &SupervisionSetArgs) -> Result<()> {
    let empty = |v: &Option<String>| v.as_deref().is_some_and(|v| v.trim().is_empty());
    for (v, what) in [(&a.supervisor, "supervisor"), (&a.phone, "phone")] {
        if empty(v) {
            return Err(Usage::EmptyText { what }.into());
        }
    }
    let supervisor = a
        .supervisor
        .as_deref()
        .map(init::supervisor_text)
        .transpose()?;
    let phone = a.phone.as_deref().map(init::phone_text).transpose()?;
    let reason = opt_text(&a.reason);
    let date = ctx.date(&a.date)?;
    // Judged before "unchanged", so a date to come is refused either way.
    if date > ctx.today() {
        return Err(Refusal::DateInFuture {
            date,
            today: ctx.today(),
        }
        .into());
    }
    let mut w = Writer::open(ctx)?;
    let (old_supervisor, old_phone) = w.state().objection_contact();
    let (old_supervisor, old_phone) = (
        old_supervisor.map(str::to_string),
        old_phone.map(str::to_string),
    );
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
