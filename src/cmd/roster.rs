//! `liuyi roster import | list`: a validated roster file in, its differences from the
//! current roster recorded as roster entries (all or nothing).

use std::path::Path;

use crate::cmd::{Ctx, Writer, opt_text, read_capped, read_state};
use crate::error::{Error, Result, Usage};
use crate::i18n::cli as msg;
use crate::input;
use crate::rules::Event;
use crate::rules::event::RosterEvent;
use crate::rules::roster::Roster;

/// Roster files above this are refused before parsing.
pub const MAX_ROSTER_FILE: u64 = 20 * 1024 * 1024;
/// Changes per roster entry: keeps every entry well under the entry size cap.
const CHUNK: usize = 500;

pub fn import(
    ctx: &Ctx,
    file: &Path,
    date: &Option<String>,
    reason: &Option<String>,
) -> Result<()> {
    let date = ctx.date(date)?;
    let data = read_capped(file, MAX_ROSTER_FILE)?;
    let entries = input::roster::read_roster_entries(&data).map_err(|problems| {
        Error::Usage(Usage::InputProblems(
            problems
                .iter()
                .map(|p| crate::i18n::input::describe(p, ctx.lang))
                .collect(),
        ))
    })?;
    // Checks that need the roster's date, every problem in line order: births after it,
    // and roles no one of that age or party standing can hold (they would change quorums).
    let mut dated: Vec<(u64, String)> = entries
        .iter()
        .filter(|e| e.person.birth_date > date)
        .map(|e| {
            let p = &e.person;
            (
                e.line,
                msg::born_after(ctx.lang, e.line, &p.key(), p.birth_date, date),
            )
        })
        .collect();
    dated.extend(input::roster::check_roles(&entries, date).iter().map(|p| {
        (
            p.line.unwrap_or(0),
            crate::i18n::input::describe(p, ctx.lang),
        )
    }));
    let people: Vec<_> = entries.into_iter().map(|e| e.person).collect();
    if !dated.is_empty() {
        dated.sort_by_key(|(line, _)| *line);
        return Err(Usage::InputProblems(dated.into_iter().map(|(_, m)| m).collect()).into());
    }
    let mut w = Writer::open(ctx)?;
    let new = Roster::from_people(people);
    let old = w.state().roster.latest().cloned().unwrap_or_default();
    let changes = old.diff(&new);
    if changes.is_empty() {
        ctx.say(&msg::roster_unchanged(ctx.lang, new.len()));
        return Ok(());
    }
    let reason = opt_text(reason);
    // A correction, not a change of life: someone the roster had as deceased or moved out
    // is back, or someone is gone from the file. Said why (SPEC §2), or an old file
    // imported by mistake would quietly bring people back.
    if reason.is_none() {
        let mut revived = Vec::new();
        let mut dropped = Vec::new();
        for c in &changes {
            match c {
                crate::rules::roster::RosterChange::Update { person } => {
                    if let Some(before) = old.get(&person.household, &person.name)
                        && !before.status.active()
                        && person.status.active()
                    {
                        revived.push(person.key());
                    }
                }
                crate::rules::roster::RosterChange::Remove { household, name } => {
                    dropped.push(format!("{household}:{name}"));
                }
                crate::rules::roster::RosterChange::Add { .. } => {}
            }
        }
        if !revived.is_empty() || !dropped.is_empty() {
            return Err(Usage::RosterCorrectionNeedsReason { revived, dropped }.into());
        }
    }
    let (mut added, mut updated, mut removed) = (0, 0, 0);
    for c in &changes {
        match c {
            crate::rules::roster::RosterChange::Add { .. } => added += 1,
            crate::rules::roster::RosterChange::Update { .. } => updated += 1,
            crate::rules::roster::RosterChange::Remove { .. } => removed += 1,
        }
    }
    for chunk in changes.chunks(CHUNK) {
        w.append(Event::Roster(RosterEvent {
            date,
            reason: reason.clone(),
            changes: chunk.to_vec(),
        }))?;
    }
    let households = new.active_households().len();
    w.commit()?;
    ctx.say(&msg::roster_imported(
        ctx.lang,
        new.len(),
        households,
        added,
        updated,
        removed,
        date,
    ));
    Ok(())
}

pub fn list(ctx: &Ctx, json: bool) -> Result<()> {
    let (store, _) = read_state(ctx, &[])?;
    let people = store.people()?;
    if json {
        ctx.print_json(&serde_json::json!({ "people": people, "count": people.len() }));
        return Ok(());
    }
    ctx.say(&msg::roster_table(ctx.lang, &people));
    Ok(())
}
