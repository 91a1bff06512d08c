//! `liuyi generate` (hidden): large, realistic, deterministic records for benchmarks — a
//! village of thousands of households over a decade, or a township of many villages.
//!
//! Every step goes through the same command functions the secretary uses (`cmd::stages`,
//! `cmd::consult`, `cmd::roster`), in-process, with a pinned clock: the entries, checkpoints,
//! attachments and projections are exactly what recording them by hand would produce, and
//! `liuyi check` passes on the result. Only the speed of `Writer::open` (the state
//! snapshot) makes this take minutes instead of hours.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

use crate::cli::*;
use crate::cmd::{self, Ctx};
use crate::demo::{Rng, VillageSpec, Villager, consent_csv_on, roster_csv, village};
use crate::error::{Error, Result, Usage};

fn write(path: &Path, data: &[u8]) -> Result<()> {
    std::fs::write(path, data).map_err(|e| Error::io(path, e))
}

/// 20:00 China Standard Time on `date`: after anything dated that day.
fn evening(date: NaiveDate) -> DateTime<Utc> {
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
    cst.from_local_datetime(&date.and_hms_opt(20, 0, 0).expect("valid time"))
        .single()
        .expect("fixed offset")
        .with_timezone(&Utc)
}

/// What happens on one day in the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Task {
    /// The yearly roster update (before anything else that day).
    Roster(i32),
    /// Step `s` of matter `g` (global number, in motion order).
    Step(usize, u8),
}

/// Days after its motion at which each step of a matter is recorded.
const STEPS: &[(u8, i64)] = &[
    (0, 0),   // motion
    (1, 3),   // propose
    (2, 6),   // discuss
    (3, 9),   // review
    (4, 12),  // consult open
    (5, 18),  // consult import (every active household)
    (6, 19),  // consult attach (the scanned signature sheets)
    (7, 21),  // resolve
    (8, 22),  // publish the resolution notice
    (9, 25),  // objection (every fifth matter)
    (10, 27), // reply
    (11, 40), // implement
    (12, 60), // complete
    (13, 62), // publish the result notice
];

const TITLES: &[&str] = &[
    "村内道路硬化",
    "饮水工程改造",
    "路灯安装",
    "文化广场修建",
    "排水沟清淤",
    "村小学校舍维修",
    "农田水利设施维修",
    "垃圾收集点建设",
    "桥梁加固",
    "卫生室改造",
];

/// Below this, `generate` refuses outright: a village's committees, party members and
/// representatives are drawn from its people (`demo::OFFICES`), and under about 60
/// households many seeds run out. At or above it, each village's people are counted
/// before anything is made, for the rare seed that still runs out.
pub const MIN_HOUSEHOLDS: usize = 60;

pub fn run(parent: &Ctx, a: &GenerateArgs) -> Result<()> {
    if a.households < MIN_HOUSEHOLDS {
        return Err(crate::error::Usage::TooFewHouseholds {
            asked: a.households,
            min: MIN_HOUSEHOLDS,
        }
        .into());
    }
    for k in 0..a.villages.max(1) {
        let seed = a.seed + k as u64;
        let spec = VillageSpec {
            households: a.households,
            seed,
        };
        if let Err(found) = crate::demo::try_village(spec) {
            return Err(Usage::TooFewForOffices {
                households: a.households,
                seed,
                found,
                needed: crate::demo::OFFICES,
            }
            .into());
        }
    }
    let started = Instant::now();
    std::fs::create_dir_all(&a.out).map_err(|e| Error::io(&a.out, e))?;
    crate::store::set_bulk_mode();
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(a.villages.max(1));
    let results: Vec<Result<Vec<(usize, u64)>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::SeqCst);
                        if k >= a.villages.max(1) {
                            return Ok(done);
                        }
                        let dir = if a.villages > 1 {
                            a.out.join(format!("village-{:02}", k + 1))
                        } else {
                            a.out.clone()
                        };
                        let entries = one_village(parent, a, k, &dir)?;
                        done.push((k, entries));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::Internal("panic".into())))
            })
            .collect()
    });
    let mut total = 0;
    for r in results {
        for (_, n) in r? {
            total += n;
        }
    }
    parent.say(&format!(
        "generated {} village(s), {total} entries in {:.1} s: {}",
        a.villages.max(1),
        started.elapsed().as_secs_f64(),
        a.out.display()
    ));
    Ok(())
}

/// Proposer candidates: the committee members (always active adults in the generator).
fn proposers(people: &[Villager]) -> Vec<String> {
    people
        .iter()
        .filter(|p| !p.committee.is_empty())
        .map(|p| format!("{}:{}", p.household, p.name))
        .collect()
}

/// A yearly roster update: about 1 % of ordinary villagers leave for work or come back.
/// Office holders never change, so meeting sizes stay fixed.
fn yearly_changes(people: &mut [Villager], rng: &mut Rng) {
    for p in people.iter_mut() {
        let ordinary = p.committee.is_empty() && p.party == "否" && !p.representative;
        if ordinary && p.status != "迁出" && rng.below(100) == 0 {
            p.status = if p.status == "在村" {
                "外出"
            } else {
                "在村"
            };
        }
    }
}

/// Deterministic incompressible bytes standing in for a scanned page.
fn scan_bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        out.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    out.truncate(len);
    out
}

fn one_village(parent: &Ctx, a: &GenerateArgs, k: usize, dir: &Path) -> Result<u64> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = dir.join("generate-tmp");
    std::fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let db = dir.join("liuyi.db");
    if db.exists() {
        return Err(Usage::OutputExists(db).into());
    }
    let seed = a.seed + k as u64;
    let mut rng = Rng::new(seed ^ 0x5ca1ab1e);
    let first_year = a.start_year;
    let mut ctx = Ctx {
        lang: parent.lang,
        db,
        key: dir.join("liuyi.key"),
        now: evening(NaiveDate::from_ymd_opt(first_year, 1, 5).expect("valid date")),
        quiet: true,
    };
    cmd::init::run(
        &ctx,
        &InitArgs {
            village: format!("清河{}村", k + 1),
            township: "城关镇".into(),
            county: "平安县".into(),
            code: Some(format!("1301020010{:02}", (k + 1) % 100)),
            supervisor: Some("王建国".into()),
            phone: Some("13800138000".into()),
        },
    )?;
    // Counted in `run` before anything was made: this village staffs its offices.
    let mut people = village(VillageSpec {
        households: a.households,
        seed,
    });
    let by = proposers(&people);
    // The roster as of the last update: people born since appear in the next January's.
    let mut current: Vec<Villager> = Vec::new();

    // The schedule: a roster update each January, matters spread over each year.
    let years = a.years.max(1) as i32;
    let per_year = a.matters.div_ceil(years as usize).max(1);
    let mut tasks: Vec<(NaiveDate, Task)> = Vec::new();
    let mut starts = Vec::new();
    for y in 0..years {
        let year = first_year + y;
        tasks.push((
            NaiveDate::from_ymd_opt(year, 1, 5).expect("valid date"),
            Task::Roster(year),
        ));
        for j in 0..per_year {
            let g = y as usize * per_year + j;
            if g >= a.matters {
                break;
            }
            let start = NaiveDate::from_ymd_opt(year, 1, 10).expect("valid date")
                + Duration::days((j * 330 / per_year) as i64);
            starts.push(start);
            for (s, off) in STEPS {
                if (*s == 9 || *s == 10) && g % 5 != 4 {
                    continue;
                }
                tasks.push((start + Duration::days(*off), Task::Step(g, *s)));
            }
        }
    }
    tasks.sort();
    let scan_size = (a.scans_mb * 1024 * 1024) / a.matters.max(1) as u64;
    let mut ids: Vec<String> = vec![String::new(); a.matters + 1];
    let mut last = NaiveDate::from_ymd_opt(first_year, 1, 5).expect("valid date");
    let mut per_year_count: std::collections::BTreeMap<i32, usize> = Default::default();
    let progress = crate::progress::Progress::new(tasks.len() as u64, "generate");
    for (date, task) in tasks {
        last = date;
        ctx.now = evening(date);
        let d = Some(date.format("%Y-%m-%d").to_string());
        match task {
            Task::Roster(year) => {
                if year != first_year {
                    yearly_changes(&mut people, &mut rng);
                }
                let born = |v: &Villager| {
                    NaiveDate::from_ymd_opt(v.birth.0, v.birth.1, v.birth.2)
                        .is_some_and(|b| b <= date)
                };
                current = people.iter().filter(|v| born(v)).cloned().collect();
                let path = tmp.join("roster.csv");
                write(&path, roster_csv(&current).as_bytes())?;
                cmd::roster::import(&ctx, &path, &d, &None)?;
            }
            Task::Step(g, s) => step(
                &ctx,
                &tmp,
                &current,
                &by,
                &mut ids,
                &mut per_year_count,
                g,
                s,
                &d,
                scan_size,
                &mut rng,
            )?,
        }
        progress.inc(1);
    }
    progress.finish();
    if a.open_consultation {
        // One more matter, walked to an open 民议; its consents are left for the benchmark.
        let g = a.matters;
        let start = last + Duration::days(7);
        for (s, off) in &STEPS[..5] {
            let date = start + Duration::days(*off);
            ctx.now = evening(date);
            let d = Some(date.format("%Y-%m-%d").to_string());
            step(
                &ctx,
                &tmp,
                &current,
                &by,
                &mut ids,
                &mut per_year_count,
                g,
                *s,
                &d,
                0,
                &mut rng,
            )?;
        }
        let date = start + Duration::days(18);
        let collector = current
            .iter()
            .find(|p| p.representative)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let pages = cmd::demo::sheet_pages(&ctx, &ids[g])?;
        let csv = consent_csv_on(
            &current,
            &collector,
            &date.format("%Y-%m-%d").to_string(),
            None,
            Some(&pages),
        );
        write(&dir.join("consents.csv"), csv.as_bytes())?;
        let now = evening(date).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        write(
            &dir.join("open-consultation.txt"),
            format!("{} {now}\n", ids[g]).as_bytes(),
        )?;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    let store = crate::store::Store::open(&ctx.db)?;
    let n = store.entry_count()?;
    drop(store);
    // Bulk mode skipped every fsync: make the finished file durable once.
    std::fs::File::open(&ctx.db)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(&ctx.db, e))?;
    Ok(n)
}

#[allow(clippy::too_many_arguments)]
fn step(
    ctx: &Ctx,
    tmp: &Path,
    people: &[Villager],
    by: &[String],
    ids: &mut [String],
    per_year: &mut std::collections::BTreeMap<i32, usize>,
    g: usize,
    s: u8,
    d: &Option<String>,
    scan_size: u64,
    rng: &mut Rng,
) -> Result<()> {
    let date = crate::cmd::parse_date(d.as_deref().unwrap_or_default())?;
    let id = ids[g].clone();
    let title = TITLES[g % TITLES.len()];
    match s {
        0 => {
            let n = per_year.entry(date.year()).or_insert(0);
            *n += 1;
            ids[g] = format!("{:04}-{:03}", date.year(), n);
            cmd::stages::motion(
                ctx,
                &MotionArgs {
                    title: format!("{title}（{}）", ids[g]),
                    text: Some(format!(
                        "村民联名提议：{title}，方便群众生产生活。编号{}。",
                        ids[g]
                    )),
                    text_file: None,
                    by: vec![by[g % by.len()].clone()],
                    date: d.clone(),
                    category: "public_works".into(),
                    amount: Some(format!("{}", 50_000 + (g % 37) * 7_000)),
                    attach: vec![],
                    again: false,
                },
            )
        }
        1 => cmd::stages::propose(
            ctx,
            &ProposeArgs {
                id,
                present: 5,
                decision: DecisionArg::Adopt,
                plan_file: None,
                reason: None,
                date: d.clone(),
                attach: vec![],
            },
        ),
        2 => {
            let plan = tmp.join("plan.txt");
            write(
                &plan,
                format!("建设内容：{title}。\n资金：一事一议财政奖补与村集体经济收入。\n工期：三个月。\n责任人：村委会主任。").as_bytes(),
            )?;
            cmd::stages::discuss(
                ctx,
                &DiscussArgs {
                    id,
                    present: 7,
                    decision: DecisionArg::Adopt,
                    plan_file: Some(plan),
                    budget: Some(format!("{}", 50_000 + (g % 37) * 7_000)),
                    funding: Some("一事一议财政奖补与村集体经济收入".into()),
                    reason: None,
                    date: d.clone(),
                    attach: vec![],
                },
            )
        }
        3 => cmd::stages::review(
            ctx,
            &ReviewArgs {
                id,
                present: 40,
                for_: 38,
                against: 1,
                abstain: 1,
                decision: DecisionArg::Adopt,
                reason: None,
                date: d.clone(),
                attach: vec![],
            },
        ),
        4 => cmd::consult::run(
            ctx,
            &ConsultArgs {
                id,
                action: ConsultCmd::Open {
                    date: d.clone(),
                    attach: vec![],
                },
            },
        ),
        5 => {
            let collector = people
                .iter()
                .find(|p| p.representative)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            // Each household on the page of the printed sheet that lists it, as a
            // secretary copies it from the paper.
            let pages = cmd::demo::sheet_pages(ctx, &id)?;
            let file = tmp.join("consents.csv");
            write(
                &file,
                consent_csv_on(
                    people,
                    &collector,
                    d.as_deref().unwrap_or_default(),
                    None,
                    Some(&pages),
                )
                .as_bytes(),
            )?;
            cmd::consult::run(
                ctx,
                &ConsultArgs {
                    id,
                    action: ConsultCmd::Import { file },
                },
            )
        }
        6 => {
            // The scan is the printed sheet, all its pages.
            let last = cmd::demo::sheet_pages(ctx, &id)?
                .values()
                .copied()
                .max()
                .unwrap_or(1);
            let file = tmp.join(format!("sheets-{id}.bin"));
            let data = if scan_size > 0 {
                scan_bytes(rng, scan_size as usize)
            } else {
                format!("signature sheets {id}").into_bytes()
            };
            write(&file, &data)?;
            let r = cmd::consult::run(
                ctx,
                &ConsultArgs {
                    id,
                    action: ConsultCmd::Attach {
                        file: file.clone(),
                        pages: Some(format!("1-{last}")),
                        date: d.clone(),
                        again: false,
                    },
                },
            );
            let _ = std::fs::remove_file(&file);
            r
        }
        7 => cmd::stages::resolve(
            ctx,
            &ResolveArgs {
                id,
                body: BodyArg::Representatives,
                present: 30,
                for_: 29,
                against: 1,
                abstain: 0,
                households_present: None,
                text_file: None,
                text: Some(format!(
                    "同意实施{title}，由村委会组织实施，村务监督委员会全程监督。"
                )),
                decision: DecisionArg::Adopt,
                reason: None,
                date: d.clone(),
                attach: vec![],
            },
        ),
        8 | 13 => cmd::stages::publish(
            ctx,
            &PublishArgs {
                id,
                kind: if s == 8 {
                    NoticeArg::Resolution
                } else {
                    NoticeArg::Result
                },
                days: Some(15),
                place: Some("村委会公告栏".into()),
                date: d.clone(),
                out: None,
                font: None,
                attach: vec![],
            },
        ),
        9 => cmd::stages::objection(
            ctx,
            &ObjectionArgs {
                id,
                reply: None,
                from: Some(people[g % people.len()].name.clone()),
                text: Some("施工期间车辆如何通行？".into()),
                date: d.clone(),
                attach: vec![],
                again: false,
            },
        ),
        10 => cmd::stages::objection(
            ctx,
            &ObjectionArgs {
                id,
                reply: Some(ObjectionCmd::Reply {
                    n: 1,
                    text: "分段半幅施工，另一半幅保持通行。".into(),
                    date: d.clone(),
                    attach: vec![],
                }),
                from: None,
                text: None,
                date: None,
                attach: vec![],
                again: false,
            },
        ),
        11 => cmd::stages::implement(
            ctx,
            &ImplementArgs {
                id,
                note: "施工单位进场".into(),
                spent: Some("20000".into()),
                contractor: Some("平安县建设工程有限公司".into()),
                date: d.clone(),
                attach: vec![],
                again: false,
            },
        ),
        _ => cmd::stages::complete(
            ctx,
            &CompleteArgs {
                id,
                spent: format!("{}", 45_000 + (g % 37) * 7_000),
                accepted_by: vec!["镇建设办李工".into(), "村务监督委员会王建国".into()],
                delivered: Some(format!("{title}完成")),
                contractor: Some("平安县建设工程有限公司".into()),
                procurement: Some("公开比选".into()),
                supervision: Some("质量合格，资金使用未超预算".into()),
                acceptance: "工程质量合格，同意交付使用".into(),
                spent_by: vec![],
                date: d.clone(),
                attach: vec![],
                overspend_reason: None,
                correction: None,
            },
        ),
    }
}
