//! `liuyi roster import | list`: a validated roster file in, its differences from the
//! current roster recorded as roster entries (all or nothing).

use std::path::Path;

use crate::cmd::{Ctx, Writer, opt_text, read_capped, read_state};
use crate::error::{Result, Usage};
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
    let (entries, problems) =
        input::roster::read_roster_lenient(&data, &input::table::Limits::DEFAULT);
    // The file's own problems, then the checks that need the roster's date on the rows that
    // read, all listed at once in line order (a problem of the whole file first): births
    // after it, and roles no one of that age or party standing can hold (they would change
    // quorums).
    let mut dated: Vec<(u64, String)> = problems
        .iter()
        .map(|p| {
            // "N more problems not listed" stays last.
            let at = match p.kind {
                input::problem::ProblemKind::TooManyProblems { .. } => u64::MAX,
                _ => p.line.unwrap_or(0),
            };
            (at, crate::i18n::input::describe(p, ctx.lang))
        })
        .collect();
    dated.extend(
        entries
            .iter()
            .filter(|e| e.person.birth_date > date)
            .map(|e| {
                let p = &e.person;
                (
                    e.line,
                    msg::born_after(ctx.lang, e.line, &p.key(), p.birth_date, date),
                )
            }),
    );
    dated.extend(input::roster::check_roles(&entries, date).iter().map(|p| {
        (
            p.line.unwrap_or(0),
            crate::i18n::input::describe(p, ctx.lang),
        )
    }));
    // Each household's first line, for what is found against the recorded roster.
    let mut lines: Vec<(String, u64)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for e in &entries {
        if seen.insert(e.person.household.as_str()) {
            lines.push((e.person.household.clone(), e.line));
        }
    }
    let people: Vec<_> = entries.into_iter().map(|e| e.person).collect();
    if !dated.is_empty() {
        // Stable: the file's problems of a line before the dated ones of the same line.
        dated.sort_by_key(|(line, _)| *line);
        return Err(Usage::InputProblems(dated.into_iter().map(|(_, m)| m).collect()).into());
    }
    let mut w = Writer::open(ctx)?;
    let old = w.state().roster.latest().cloned().unwrap_or_default();
    let lost = lost_zeros(&old, &lines);
    if !lost.is_empty() {
        return Err(Usage::InputProblems(
            lost.iter()
                .map(|p| crate::i18n::input::describe(p, ctx.lang))
                .collect(),
        )
        .into());
    }
    let new = Roster::from_people(people);
    let mut changes = old.diff(&new);
    // A large import is recorded in several entries, each judged on its own roster: who
    // arrives or is active comes first, who goes last, so that no household seems to leave
    // a 民议's scope (or come back into it) between two entries of one import when the
    // import as a whole keeps it active (a head of household who died, a member added).
    changes.sort_by_key(|c| match c {
        crate::rules::roster::RosterChange::Add { .. } => 0,
        crate::rules::roster::RosterChange::Update { person } if person.status.active() => 1,
        crate::rules::roster::RosterChange::Update { .. } => 2,
        crate::rules::roster::RosterChange::Remove { .. } => 3,
    });
    // The same roster again, dated before the record's first one (the secretary who
    // imported it without --date, now typing in earlier meetings): a roster is never dated
    // back, and "nothing recorded" left them believing it was. (A changed one is refused
    // by the engine as a roster dated back, with what to do about a change.)
    if changes.is_empty()
        && let Some(first) = w.state().roster.first_date()
        && date < first
    {
        return Err(crate::error::Error::Refused(
            crate::rules::Refusal::RosterBeforeFirst { date, first },
        ));
    }
    if changes.is_empty() {
        ctx.say(&msg::roster_unchanged(ctx.lang, new.len()));
        return Ok(());
    }
    let reason = opt_text(reason);
    // A person taken out of one household and added to another (same name, same birth
    // date: households merged or split) moved; nobody was deleted. (A move needs no reason:
    // it is a change of life, not a correction. One that takes a household out of an open
    // 民议 is judged by the rules.)
    let movers: std::collections::BTreeSet<(String, String)> = {
        use crate::rules::roster::RosterChange;
        let before = w.state().roster.latest();
        let mut arrivals: Vec<(&str, chrono::NaiveDate)> = changes
            .iter()
            .filter_map(|c| match c {
                RosterChange::Add { person } => Some((person.name.as_str(), person.birth_date)),
                _ => None,
            })
            .collect();
        changes
            .iter()
            .filter_map(|c| match c {
                RosterChange::Remove { household, name } => {
                    let born = before
                        .and_then(|r| r.get(household, name))
                        .map(|p| p.birth_date)?;
                    let i = arrivals.iter().position(|a| *a == (name.as_str(), born))?;
                    arrivals.swap_remove(i);
                    Some((household.clone(), name.clone()))
                }
                _ => None,
            })
            .collect()
    };
    let moved = movers.len();
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
                crate::rules::roster::RosterChange::Remove { household, name }
                    if !movers.contains(&(household.clone(), name.clone())) =>
                {
                    dropped.push(format!("{household}:{name}"));
                }
                crate::rules::roster::RosterChange::Remove { .. } => {}
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
    let (added, removed) = (added - moved, removed - moved);
    let mut returned: Vec<(String, String)> = Vec::new();
    for chunk in changes.chunks(CHUNK) {
        // Who left an open 民议's scope by an earlier roster change and is active again
        // comes back into it (their opinion is needed again), said in the entry.
        let mut next = w.state().roster.latest().cloned().unwrap_or_default();
        let _ = next.apply(chunk);
        let mut returns = std::collections::BTreeMap::new();
        for m in w
            .state()
            .matters
            .values()
            .filter(|m| m.stage == crate::rules::Stage::Consultation)
        {
            if let Some(round) = m.current_round() {
                let back = round.returning(&next);
                if !back.is_empty() {
                    returned.extend(back.iter().map(|h| (m.id.clone(), h.clone())));
                    returns.insert(m.id.clone(), back);
                }
            }
        }
        w.append(Event::Roster(RosterEvent {
            date,
            reason: reason.clone(),
            changes: chunk.to_vec(),
            returns,
        }))?;
    }
    let households = new.active_households().len();
    w.commit()?;
    for (id, household) in &returned {
        ctx.tell(&msg::back_in_scope(ctx.lang, id, household));
    }
    ctx.say(&msg::roster_imported(
        ctx.lang,
        new.len(),
        households,
        msg::RosterCounts {
            added,
            updated,
            moved,
            removed,
        },
        date,
    ));
    // One person (a name and a birth date) listed active in two households: the engine
    // takes them as one person (a married daughter still listed at her parents' too), so
    // the counts of adults and who moved may not be what the roster means. Said, not
    // refused: two namesakes born on one day are possible.
    for (name, birth, households) in listed_twice(&new) {
        ctx.tell(&msg::person_in_two_households(
            ctx.lang,
            &name,
            birth,
            &households,
        ));
    }
    Ok(())
}

/// Each active person (name and birth date) the roster lists in more than one household,
/// with those households, at most ten.
fn listed_twice(roster: &Roster) -> Vec<(String, chrono::NaiveDate, Vec<String>)> {
    let mut by_person: std::collections::BTreeMap<(&str, chrono::NaiveDate), Vec<&str>> =
        std::collections::BTreeMap::new();
    for p in roster.people().filter(|p| p.status.active()) {
        by_person
            .entry((p.name.as_str(), p.birth_date))
            .or_default()
            .push(p.household.as_str());
    }
    by_person
        .into_iter()
        .filter(|(_, hs)| hs.len() > 1)
        .take(10)
        .map(|((name, birth), hs)| {
            (
                name.to_string(),
                birth,
                hs.into_iter().map(str::to_string).collect(),
            )
        })
        .collect()
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

/// Households of the file (id, first line) that the recorded roster has only with more
/// leading zeros: `1` or `001` where the record has `0001` and the file has no `0001`. A
/// file of unpadded numbers is taken as written when nothing says otherwise
/// (`input::roster`); the record says otherwise. Every one is listed, by line.
fn lost_zeros(old: &Roster, lines: &[(String, u64)]) -> Vec<input::problem::InputProblem> {
    use input::problem::{Field, InputProblem, ProblemKind};
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let in_file: std::collections::HashSet<&str> = lines.iter().map(|(h, _)| h.as_str()).collect();
    // Recorded ids with leading zeros, by their number without them.
    let recorded: std::collections::HashSet<&str> =
        old.people().map(|p| p.household.as_str()).collect();
    let mut padded: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for &h in &recorded {
        if digits(h) && h.len() > 1 && h.starts_with('0') && !in_file.contains(h) {
            padded.insert(h.trim_start_matches('0'), h);
        }
    }
    let mut found = Vec::new();
    for (h, line) in lines {
        if digits(h)
            && !recorded.contains(h.as_str())
            && let Some(was) = padded.get(h.trim_start_matches('0'))
            && was.len() > h.len()
        {
            found.push(
                InputProblem::line(
                    *line,
                    ProblemKind::HouseholdIdLostZerosRecorded {
                        recorded: was.to_string(),
                    },
                )
                .with_column(Field::Household)
                .with_value(h.clone()),
            );
        }
    }
    found
}
