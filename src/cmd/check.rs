//! `liuyi check`: re-verifies the whole local record; exit 4 with the place of the first
//! problem.

use crate::check::{Problem, ProblemKind, Report};
use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::i18n::cli as msg;
use crate::store::{Store, StoreError};

pub fn run(ctx: &Ctx, json: bool) -> Result<()> {
    // A file SQLite finds damaged (cut short, copied mid-write without its journal) is a
    // finding of `check` like any other, with its code, not an I/O error.
    let report = match Store::open_as_found(&ctx.db)
        .map_err(Error::from)
        .and_then(|mut store| {
            hold(&mut store)?;
            let report = crate::check::check(&store)?;
            Ok(hold_clock(ctx, &store, report))
        }) {
        Err(Error::Store(StoreError::Corrupt(m))) => damaged(m),
        // A newer liuyi's file (or one whose version was set up with another tool): said as
        // a newer liuyi's, which it may be, with what to do if not; in the JSON too, for the
        // township's tools, with the same exit code.
        Err(e @ Error::Store(StoreError::TooNew { .. })) if json => {
            if let Error::Store(StoreError::TooNew { version, .. }) = &e {
                let message = crate::i18n::cli::too_new_problem(ctx.lang, *version);
                ctx.print_json(&serde_json::json!({
                    "ok": false,
                    "entries": 0,
                    "problems": [{"code": "E-DB-VERSION", "location": "sqlite_header", "message": message}],
                }));
            }
            return Err(e);
        }
        // Refused as not liuyi's while its log is liuyi's: a header changed with another
        // tool is a finding (exit 4, in the JSON), not a wrong path.
        Err(e @ Error::Store(StoreError::NotLiuyi(_))) => {
            match crate::store::foreign_header_on_our_log(&ctx.db) {
                Some((application_id, user_version)) => Report {
                    ok: false,
                    entries: 0,
                    keys: None,
                    origin: None,
                    problems: vec![Problem {
                        code: "E-DB-SCHEMA",
                        location: "sqlite_header".into(),
                        kind: ProblemKind::HeaderAltered {
                            application_id,
                            user_version,
                        },
                    }],
                },
                None if json => {
                    return Err(crate::cmd::json_failure(ctx, "E-INPUT", &ctx.db, e));
                }
                None => return Err(e),
            }
        }
        Err(e) if json => {
            return Err(crate::cmd::json_failure(ctx, "E-INPUT", &ctx.db, e));
        }
        other => other?,
    };
    let report = hold_key_file(ctx, report);
    if json {
        let problems: Vec<serde_json::Value> = report
            .problems
            .iter()
            .map(|p| {
                // The message without the location and code its own fields carry (as
                // `verify --json` gives it).
                let full = msg::problem(ctx.lang, p);
                let prefix = crate::i18n::placed(ctx.lang, &p.location, p.code);
                let message = full.strip_prefix(&prefix).unwrap_or(&full);
                serde_json::json!({"code": p.code, "location": p.location.to_string(), "message": message})
            })
            .collect();
        ctx.print_json(
            &serde_json::json!({"ok": report.ok, "entries": report.entries, "problems": problems}),
        );
    } else if report.ok {
        ctx.say(&msg::check_ok(ctx.lang, report.entries));
    }
    if report.ok {
        Ok(())
    } else if json {
        Err(Error::Integrity(Vec::new()))
    } else {
        Err(Error::Integrity(report.problems))
    }
}

/// The key file (beside the database, or `--key`) against the keys of record: a record
/// re-signed throughout with another key passes every other test, and only the village's
/// own key tells. A missing file is fine (an auditor's copy has none); a key this village
/// handed over is fine (a copy kept from before a change of secretary), but not one the
/// record says was lost: whoever has it did not hand it over; an unreadable one is for the
/// writing commands to refuse.
fn hold_key_file(ctx: &Ctx, mut report: Report) -> Report {
    let Some((current, past, lost)) = &report.keys else {
        return report;
    };
    let Ok((k, named)) = crate::record::keys::read_key_file(&ctx.key) else {
        return report;
    };
    let ours = report.origin.as_deref().is_some_and(|o| o == named);
    // A key file names the record it was made for (its origin, `liuyi/…`).
    let other_record = !ours && report.origin.is_some() && named.starts_with("liuyi/");
    let public = k.public();
    let hex = public.to_hex();
    if hex == *current || (past.contains(&hex) && !lost.contains(&hex)) {
        return report;
    }
    let current = crate::record::keys::PublicKey::from_hex(current)
        .map(|p| p.fingerprint())
        .unwrap_or_else(|_| current.clone());
    let file = public.fingerprint();
    report.problems.push(Problem {
        code: "E-TRUST",
        location: crate::location::Location::KeyFile(ctx.key.clone()),
        kind: if lost.contains(&hex) {
            ProblemKind::KeyFileLost { file, current }
        } else if ours {
            ProblemKind::KeyFileLater { file, current }
        } else if other_record {
            ProblemKind::KeyFileOtherRecord {
                file,
                current,
                named,
            }
        } else {
            ProblemKind::KeyFileForeign { file, current }
        },
    });
    report.ok = false;
    report
}

/// The record's times against this computer's clock, as the township's `verify` holds
/// them (`E-LOG-FUTURE`, with the same day of slack): an entry from the future was recorded
/// with a clock set ahead, and stops every later command (times never go back) until that
/// time comes; the secretary learns it here, not from the township. Times only go forward
/// (the rules), so the first such entry is found by bisection.
fn hold_clock(ctx: &Ctx, store: &Store, mut report: Report) -> Report {
    let bound = ctx.now + chrono::Duration::hours(crate::bundle::verify::CLOCK_SLACK_HOURS);
    let time = |idx: u64| -> Option<chrono::DateTime<chrono::Utc>> {
        let e = store.entry(idx).ok()??;
        crate::log::Entry::parse(&e.bytes).ok().map(|e| e.time)
    };
    let n = report.entries;
    if n == 0 || time(n - 1).is_none_or(|t| t <= bound) {
        return report;
    }
    // The first entry past the bound: entries before `lo` are not, `hi` is.
    let (mut lo, mut hi) = (0, n - 1);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if time(mid).is_some_and(|t| t > bound) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let Some(first) = time(hi) else {
        return report;
    };
    report.problems.push(Problem {
        code: "E-LOG-FUTURE",
        location: crate::location::Location::entry(hi, None),
        kind: ProblemKind::EntryInFuture {
            time: first,
            now: ctx.now,
            all: hi == 0,
        },
    });
    report.ok = false;
    report
}

/// Holds the record's write lock while `check` reads it through several connections, so
/// that no command appends between their reads (a command recording meanwhile made the
/// projections look edited). A command then waits, or refuses as busy. A file that cannot
/// be written (read-only) cannot change under `check` either: it is read as it is.
fn hold(store: &mut Store) -> Result<()> {
    match store.begin_write() {
        Err(StoreError::Busy) => Err(StoreError::Busy.into()),
        _ => Ok(()),
    }
}

fn damaged(message: String) -> Report {
    Report {
        ok: false,
        entries: 0,
        keys: None,
        origin: None,
        problems: vec![Problem {
            code: "E-DB-INTEGRITY",
            location: "sqlite".into(),
            kind: ProblemKind::Sqlite(message),
        }],
    }
}
