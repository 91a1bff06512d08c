//! `liuyi consult ID open | record | import | attach | status`: 民议, household by
//! household. `import` records a whole file of opinions in one command (one checkpoint,
//! one signature), all or nothing.

use std::path::Path;

use crate::cli::{ConsultArgs, ConsultCmd, MethodArg};
use crate::cmd::{Ctx, Writer, opt_text, read_capped, text};
use crate::error::{Error, Result, Usage};
use crate::i18n::cli as msg;
use crate::rules::event::*;
use crate::rules::{Event, Refusal};

pub fn run(ctx: &Ctx, a: &ConsultArgs) -> Result<()> {
    match &a.action {
        ConsultCmd::Open { date, attach } => open(ctx, &a.id, date, attach),
        ConsultCmd::Record {
            household,
            consent,
            object,
            signer,
            method,
            relation,
            collector,
            evidence,
            sheet_page,
            date,
        } => {
            let date = ctx.date(date)?;
            let mut w = Writer::open_matter(ctx, &a.id)?;
            let round = current_round(&w, &a.id, crate::rules::Action::ConsultRecord)?;
            let evidence = evidence.as_deref().map(|p| w.attach(p)).transpose()?;
            let (opinion, reason) = if *consent {
                (Opinion::Consent, None)
            } else {
                (Opinion::Object, opt_text(object))
            };
            let (signer, method) = (text(signer), method_of(*method));
            let (household, person) = whose(&w, &a.id, &text(household), &signer, method);
            let relation = relation_of(&w, opt_text(relation), &household, &signer, method, date);
            // A household (or person) recorded before in this round: the new record stands
            // in its place, which the secretary is told.
            let key = match &person {
                Some(p) => format!("{household}:{p}"),
                None => household.clone(),
            };
            let replaced = w
                .state()
                .matter(&a.id)?
                .current_round()
                .and_then(|r| r.records.get(&key))
                .map(|c| (c.date, c.opinion, c.signer.clone()));
            let event = Event::Consent(ConsentEvent {
                id: a.id.clone(),
                round,
                household,
                date,
                opinion,
                signer,
                method,
                person,
                reason,
                relation,
                collector: opt_text(collector),
                evidence,
                sheet_page: *sheet_page,
            });
            // The same record again (the command run twice): nothing to record, as
            // `import` does for its rows (it used to append a second identical entry).
            if already_recorded(&w, &a.id, &event, false) {
                ctx.say(&msg::consent_already_recorded(ctx.lang, &key));
                return Ok(());
            }
            let given: Vec<(String, u32)> = sheet_page.iter().map(|p| (key.clone(), *p)).collect();
            let paging = sheet_paging(&w, &a.id, &given);
            // A page the sheet does not have: its scan would be asked for.
            if let Some(p) = &paging
                && let Some(page) = sheet_page.filter(|n| *n > p.pages)
            {
                return Err(Usage::PageBeyondSheet {
                    id: a.id.clone(),
                    row: p.rows.get(&key).copied(),
                    key,
                    page,
                    pages: p.pages,
                    adults: p.adults,
                }
                .into());
            }
            let off = pages_off_the_sheet(paging.as_ref(), &given);
            w.append(event)?;
            let tally = tally_line(ctx, &w, &a.id);
            w.commit()?;
            if let Some(off) = off {
                ctx.tell(&msg::pages_off_the_sheet(ctx.lang, &a.id, &off));
            }
            if let Some((date, opinion, signer)) = replaced {
                ctx.say(&msg::consent_replaced(
                    ctx.lang, &key, date, opinion, &signer,
                ));
            }
            ctx.say(&tally);
            Ok(())
        }
        ConsultCmd::Import { file } => import(ctx, &a.id, file),
        ConsultCmd::Attach {
            file,
            pages,
            date,
            again,
        } => {
            let date = ctx.date(date)?;
            let (first, last) = match pages {
                None => (1, 1),
                Some(p) => parse_pages(p)?,
            };
            let mut w = Writer::open_matter(ctx, &a.id)?;
            let round = current_round(&w, &a.id, crate::rules::Action::ConsultAttach)?;
            // Pages the sheet does not have (a typo): their scan would be taken as the
            // evidence of rows no page holds.
            if let Some(p) = sheet_paging(&w, &a.id, &[(String::new(), last)])
                && last > p.pages
            {
                return Err(Usage::ScanBeyondSheet {
                    id: a.id.clone(),
                    first,
                    last,
                    pages: p.pages,
                }
                .into());
            }
            let scan = w.attach(file)?;
            // The same bytes for the same pages of this round: most likely the command run
            // twice (the scan would be counted as evidence twice).
            let earlier = match *again {
                true => None,
                false => sheet_recorded(&w, &a.id, round, (first, last), &scan.sha256)?,
            };
            if let Some(when) = earlier {
                return Err(Usage::Repeated {
                    command: "consult attach",
                    id: a.id.clone(),
                    objection: None,
                    date: when,
                }
                .into());
            }
            w.append(Event::Sheet(SheetEvent {
                id: a.id.clone(),
                round,
                date,
                first_page: first,
                last_page: last,
                scan,
            }))?;
            let tally = tally_line(ctx, &w, &a.id);
            w.commit()?;
            if pages.is_none() {
                // SPEC §4 leaves --pages out: the scan is taken as page 1, and said so.
                ctx.tell(&msg::scan_taken_as_page_one(ctx.lang));
            }
            ctx.say(&tally);
            Ok(())
        }
        ConsultCmd::Status(j) => status(ctx, &a.id, j.json),
    }
}

/// The day a scan with these bytes was recorded for these sheet pages of `round`, if it
/// was. The state keeps only each round's page ranges; the entries since the round opened
/// are read only when this range is among them.
fn sheet_recorded(
    w: &Writer,
    id: &str,
    round: u32,
    pages: (u32, u32),
    sha256: &str,
) -> Result<Option<chrono::NaiveDate>> {
    let m = w.state().matter(id)?;
    let in_round = m
        .rounds
        .iter()
        .any(|r| r.round == round && r.sheets.contains(&pages));
    let opened = m.steps.iter().rev().find_map(|s| match &s.event {
        Event::ConsultOpen(e) if e.round == round => Some(s.idx),
        _ => None,
    });
    let (true, Some(mut from)) = (in_round, opened) else {
        return Ok(None);
    };
    loop {
        let page = w.store.entries_page(from, 1024)?;
        let Some(last) = page.last() else {
            return Ok(None);
        };
        from = last.idx + 1;
        for stored in &page {
            if let Ok(crate::log::Entry {
                event: Event::Sheet(e),
                ..
            }) = crate::log::Entry::parse(&stored.bytes)
                && e.id == id
                && e.round == round
                && (e.first_page, e.last_page) == pages
                && e.scan.sha256 == sha256
            {
                return Ok(Some(e.date));
            }
        }
    }
}

fn method_of(m: MethodArg) -> Method {
    match m {
        MethodArg::InPerson => Method::InPerson,
        MethodArg::SameHousehold => Method::SameHousehold,
        MethodArg::Remote => Method::Remote,
        MethodArg::Proxy => Method::Proxy,
    }
}

/// "3-5" or "3" → (3, 5).
pub fn parse_pages(s: &str) -> Result<(u32, u32)> {
    let bad = || Error::Usage(Usage::BadPages(s.to_string()));
    let t = s.trim();
    let (a, b) = t.split_once(['-', '–', '~']).unwrap_or((t, t));
    let a: u32 = a.trim().parse().map_err(|_| bad())?;
    let b: u32 = b.trim().parse().map_err(|_| bad())?;
    if a == 0 || a > b {
        return Err(bad());
    }
    Ok((a, b))
}

/// The household and, when the open round counts adults, the person an opinion is of:
/// `HOUSEHOLD:NAME` names both; a household alone, in a round that counts adults, is the
/// signer's own opinion when they sign in person or remotely. (A person named where the
/// round counts households, or none where it counts adults, is for the rules to refuse.)
fn whose(
    w: &Writer,
    id: &str,
    given: &str,
    signer: &str,
    method: Method,
) -> (String, Option<String>) {
    if let Some((household, name)) = given.split_once([':', '：']) {
        return (household.trim().to_string(), Some(name.trim().to_string()));
    }
    let own = counts_adults(w, id) && method.own();
    (given.to_string(), own.then(|| signer.to_string()))
}

/// Whether the open round of `id` asks each adult (the policy when it opened).
fn counts_adults(w: &Writer, id: &str) -> bool {
    w.state()
        .matters
        .get(id)
        .and_then(|m| m.current_round())
        .is_some_and(|r| r.adults)
}

/// The open round of `id`, for `action` (refused as that action at any other stage).
fn current_round(w: &Writer, id: &str, action: crate::rules::Action) -> Result<u32> {
    let m = w.state().matter(id)?;
    match m.current_round() {
        Some(r) if m.stage == crate::rules::Stage::Consultation => Ok(r.round),
        _ => Err(Refusal::WrongStage {
            id: id.to_string(),
            stage: m.stage,
            action,
        }
        .into()),
    }
}

fn tally_line(ctx: &Ctx, w: &Writer, id: &str) -> String {
    match w.state().matters.get(id).and_then(|m| m.current_round()) {
        Some(r) => msg::consult_tally(ctx.lang, id, &r.tally()),
        None => String::new(),
    }
}

fn open(ctx: &Ctx, id: &str, date: &Option<String>, attach: &[std::path::PathBuf]) -> Result<()> {
    let date = ctx.date(date)?;
    let mut w = Writer::open_matter(ctx, id)?;
    let attachments = w.attach_all(attach)?;
    let m = w.state().matter(id)?;
    let round = m.rounds.len() as u32 + 1;
    let roster = w.state().roster_on(date)?;
    let households: Vec<String> = roster.active_households().into_iter().collect();
    // The policy in force says whether each household or each adult is asked.
    let adults = w.state().scope_adults(date)?;
    let (n, counting_adults) = match adults.len() {
        0 => (households.len(), false),
        n => (n, true),
    };
    w.append(Event::ConsultOpen(ConsultOpenEvent {
        id: id.to_string(),
        date,
        round,
        households,
        adults,
        attachments,
    }))?;
    let consent = w.state().policy.consultation_consent;
    w.commit()?;
    ctx.say(&msg::consult_opened(
        ctx.lang,
        id,
        round,
        n,
        counting_adults,
        consent,
        date,
    ));
    Ok(())
}

pub const MAX_CONSENT_FILE: u64 = 20 * 1024 * 1024;

/// The refused rows of a consent file listed by line; the rest are counted.
const MAX_REFUSED_ROWS: usize = 30;

/// The signer's relation to the household (SPEC §1, stage 5): as given, else a member's
/// from the roster on the day (a proxy is not on it: only what is given).
fn relation_of(
    w: &Writer,
    given: Option<String>,
    household: &str,
    signer: &str,
    method: crate::rules::event::Method,
    date: chrono::NaiveDate,
) -> Option<String> {
    given.or_else(|| {
        if method == crate::rules::event::Method::Proxy {
            return None;
        }
        let roster = w.state().roster_on(date).ok()?;
        roster.get(household, signer).map(|p| p.relation.clone())
    })
}

fn import(ctx: &Ctx, id: &str, file: &Path) -> Result<()> {
    let data = read_capped(file, MAX_CONSENT_FILE)?;
    // The file is read as the open round counts: each household, or each adult.
    let mut w = Writer::open_matter(ctx, id)?;
    let round = current_round(&w, id, crate::rules::Action::ConsultRecord)?;
    let adults = counts_adults(&w, id);
    let (rows, problems) = crate::input::consents::read_consents_partly(&data, adults);
    if rows.is_empty() && problems.is_empty() {
        return Err(Usage::NothingToImport.into());
    }
    let today = ctx.today();
    let given: Vec<(u64, String, u32)> = rows
        .iter()
        .filter_map(|r| {
            let key = match &r.person {
                Some(p) => format!("{}:{p}", r.household),
                None => r.household.clone(),
            };
            r.page.map(|p| (r.line, key, p))
        })
        .collect();
    let keyed: Vec<(String, u32)> = given.iter().map(|(_, k, p)| (k.clone(), *p)).collect();
    let paging = sheet_paging(&w, id, &keyed);
    // Rows that give a page the sheet does not have: the file is refused, naming them.
    let beyond: Vec<(u64, String)> = paging
        .as_ref()
        .map(|p| {
            given
                .iter()
                .filter(|(_, _, page)| *page > p.pages)
                .map(|(line, key, page)| {
                    let told = crate::i18n::paper::page_beyond_the_sheet(
                        ctx.lang,
                        id,
                        Some(*line),
                        key,
                        *page,
                        p.pages,
                        p.rows.get(key).copied(),
                        p.adults,
                    );
                    (*line, told)
                })
                .collect()
        })
        .unwrap_or_default();
    let off = pages_off_the_sheet(paging.as_ref(), &keyed);
    let progress = crate::progress::Progress::new(rows.len() as u64, "import");
    let mut refused = Vec::new();
    let mut more = 0;
    let mut skipped = 0;
    let mut changed = Vec::new();
    for row in &rows {
        progress.inc(1);
        let date = row.date.unwrap_or(today);
        let relation = relation_of(
            &w,
            row.relation.clone(),
            &row.household,
            &row.signer,
            row.method,
            date,
        );
        // The reader named the adult of each row already (a round that asks each adult).
        let (household, person) = (row.household.clone(), row.person.clone());
        let event = Event::Consent(ConsentEvent {
            id: id.to_string(),
            round,
            household,
            person,
            date,
            opinion: if row.consent {
                Opinion::Consent
            } else {
                Opinion::Object
            },
            signer: row.signer.clone(),
            method: row.method,
            reason: row.reason.clone(),
            relation,
            collector: row.collector.clone(),
            evidence: None,
            sheet_page: row.page,
        });
        // A row already recorded as it stands (the same file imported twice, or a row
        // repeated) is not recorded again: the log would hold the same consent twice.
        if already_recorded(&w, id, &event, row.date.is_none()) {
            skipped += 1;
            continue;
        }
        // A household whose earlier record in this round said otherwise: this row now
        // stands in its place, which the secretary is told (as `record` tells it).
        if let Event::Consent(c) = &event
            && let Some(prev) = w
                .state()
                .matter(id)
                .ok()
                .and_then(|m| m.current_round())
                .and_then(|r| r.records.get(c.key().as_ref()))
            && prev.opinion != c.opinion
        {
            changed.push((c.key().into_owned(), prev.opinion, c.opinion));
        }
        // A consent by proxy needs the written authorisation, which no row carries: said
        // at once (the rules would first ask for a relation the row may lack, and the
        // secretary would fill it in only to be told the row cannot be imported at all).
        let outcome = match &event {
            Event::Consent(c) if c.method == Method::Proxy && c.opinion == Opinion::Consent => {
                Err(Error::Refused(crate::rules::Refusal::ProxyNeedsMandate {
                    household: c.key().into_owned(),
                }))
            }
            _ => w.append(event),
        };
        // A refused row refuses the whole file, naming its line. A refused step is not
        // applied, so the rows after it are still judged: the secretary sees every refused
        // row at once (the first few dozen), not one per attempt.
        match outcome {
            Ok(()) => {}
            Err(Error::Refused(refusal)) if refused.len() < MAX_REFUSED_ROWS => {
                refused.push((row.line, refusal));
            }
            Err(Error::Refused(_)) => more += 1,
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() || !beyond.is_empty() {
        // Every problem of the file at once, in line order: what the reader found, the
        // pages beyond the sheet, and what the rules refused of the rows it could read
        // (exit 2, as bad input).
        let mut told: Vec<(u64, String)> = problems
            .iter()
            .map(|p| {
                let line = p.line.unwrap_or(0);
                (line, crate::i18n::input::describe(p, ctx.lang))
            })
            .chain(beyond)
            .collect();
        told.extend(
            refused
                .iter()
                .map(|(line, r)| (*line, msg::row_refused(*line, id, r, ctx.lang))),
        );
        told.sort_by_key(|(line, _)| *line);
        let mut list: Vec<String> = told.into_iter().map(|(_, s)| s).collect();
        if more > 0 {
            list.push(msg::more_rows_refused(more, ctx.lang));
        }
        return Err(Usage::InputProblems(list).into());
    }
    if !refused.is_empty() {
        return Err(Error::RefusedRows {
            id: id.to_string(),
            rows: refused,
            more,
        });
    }
    let tally = tally_line(ctx, &w, id);
    let imported = w.appended();
    if imported > 0 {
        w.commit()?;
        ctx.say(&msg::consents_imported(ctx.lang, imported, adults));
        if !changed.is_empty() {
            ctx.say(&msg::consents_changed(ctx.lang, &changed, adults));
        }
        if let Some(off) = off {
            ctx.tell(&msg::pages_off_the_sheet(ctx.lang, id, &off));
        }
    }
    if skipped > 0 {
        ctx.say(&msg::consents_already_recorded(
            ctx.lang,
            skipped,
            imported == 0,
            adults,
        ));
    }
    ctx.say(&tally);
    Ok(())
}

/// The round's 民议 sheet as this liuyi lays it out — as printed when the round opened
/// (the sheet the collectors carried: a household that left scope since still has its row
/// there, on its page) — when pages were `given`: each row's page and the sheet's pages.
/// Nothing when no page was given or the sheet cannot be laid out.
fn sheet_paging(w: &Writer, id: &str, given: &[(String, u32)]) -> Option<SheetPaging> {
    if given.is_empty() {
        return None;
    }
    let state = w.state();
    let at = crate::paper::model::Verification {
        origin: state.origin().unwrap_or_default().to_string(),
        log_size: state.size,
        root_hex: "0".repeat(64),
    };
    let sheet = crate::notice::consultation_sheet(state, id, at).ok()?;
    let (rows, pages) =
        crate::paper::consultation_sheet_paging(&sheet, &crate::paper::Fonts::bundled()).ok()?;
    Some(SheetPaging {
        rows,
        pages,
        adults: sheet.adults,
    })
}

/// What [`sheet_paging`] found.
struct SheetPaging {
    /// The page each row (household, or 户号:姓名) is printed on.
    rows: std::collections::BTreeMap<String, u32>,
    /// The pages of the printed sheet.
    pages: u32,
    adults: bool,
}

/// The sheet pages given (household or person → 页码) within the sheet that are not where
/// this liuyi prints that row ([`sheet_paging`]): (key, given, printed), with the sheet's
/// pages. Said, not refused: a sheet printed by an earlier liuyi may have paged otherwise,
/// and the paper is what was signed. (A page beyond the sheet is refused before.)
fn pages_off_the_sheet(paging: Option<&SheetPaging>, given: &[(String, u32)]) -> Option<PagesOff> {
    let paging = paging?;
    let off: Vec<(String, u32, Option<u32>)> = given
        .iter()
        .filter(|(_, page)| *page <= paging.pages)
        .filter_map(|(key, page)| {
            let at = paging.rows.get(key).copied();
            (at != Some(*page)).then(|| (key.clone(), *page, at))
        })
        .collect();
    (!off.is_empty()).then_some(PagesOff {
        pages: paging.pages,
        off,
        adults: paging.adults,
    })
}

/// What [`pages_off_the_sheet`] found.
pub struct PagesOff {
    /// The pages of the printed sheet.
    pub pages: u32,
    pub off: Vec<(String, u32, Option<u32>)>,
    /// The round asks each adult: its rows are people.
    pub adults: bool,
}

/// Whether household `event.household`'s record in the open round is `event` already (its
/// date aside when the file gave none, since it would be today's).
fn already_recorded(w: &Writer, id: &str, event: &Event, undated: bool) -> bool {
    let Event::Consent(c) = event else {
        return false;
    };
    let Some(prev) = w
        .state()
        .matters
        .get(id)
        .and_then(|m| m.current_round())
        .and_then(|r| r.records.get(c.key().as_ref()))
    else {
        return false;
    };
    let mut c = c.clone();
    if undated {
        c.date = prev.date;
    }
    *prev == c
}

fn status(ctx: &Ctx, id: &str, json: bool) -> Result<()> {
    let (_, replay) = crate::cmd::read_state(ctx, &[id])?;
    let m = replay.state.matter(id)?;
    let Some(r) = m.current_round() else {
        return Err(Usage::NoConsultation {
            id: id.to_string(),
            stage: m.stage,
        }
        .into());
    };
    if json {
        ctx.print_json(&crate::views::printed_round(crate::views::round_json(r)));
    } else {
        ctx.say(&msg::consult_status(
            ctx.lang,
            id,
            r,
            m.stage,
            &replay.state.policy,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        assert_eq!(parse_pages("3-5").unwrap(), (3, 5));
        assert_eq!(parse_pages("7").unwrap(), (7, 7));
        assert!(parse_pages("0-2").is_err());
        assert!(parse_pages("5-3").is_err());
        assert!(parse_pages("a").is_err());
    }
}
