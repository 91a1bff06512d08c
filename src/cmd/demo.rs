//! `liuyi demo`: a realistic village (365 households) and a road-hardening matter walked
//! through every stage by the same command functions the secretary uses — including an
//! objection at 民议, a revision and a second consultation — then a readable summary.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::cli::*;
use crate::cmd::{self, Ctx};
use crate::demo::{VillageSpec, Villager, consent_csv_on, roster_csv, village};
use crate::error::{Error, Result};

/// The demo's clock: fixed, so every run records the same entries.
pub const DEMO_NOW: &str = "2026-09-30T10:00:00+08:00";

/// Writes one of the demo's files, never over a file that is there (the directory was
/// empty, so one there now is not the demo's).
fn write(path: &Path, data: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                crate::error::Usage::OutputExists(path.to_path_buf()).into()
            }
            _ => Error::io(path, e),
        })?;
    f.write_all(data).map_err(|e| Error::io(path, e))
}

fn demo_dir(out: &Option<PathBuf>) -> Result<PathBuf> {
    let dir = match out {
        Some(d) => d.clone(),
        None => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            std::env::temp_dir().join(format!("liuyi-demo-{}-{nanos}", std::process::id()))
        }
    };
    // The demo writes a dozen files (roster.csv, plan-v1.txt, the notices...): into an
    // empty or new directory only, so none of the user's own is replaced.
    if out.is_some()
        && let Ok(mut entries) = std::fs::read_dir(&dir)
        && entries.next().is_some()
    {
        return Err(crate::error::Usage::DemoDirNotEmpty(dir).into());
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    Ok(dir)
}

pub fn run(parent: &Ctx, a: &DemoArgs) -> Result<()> {
    let started = Instant::now();
    let dir = demo_dir(&a.out)?;
    let lang = parent.lang;
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339(DEMO_NOW)
        .expect("fixed date")
        .with_timezone(&Utc);
    let ctx = Ctx {
        lang,
        db: dir.join("qinghe.db"),
        key: dir.join("qinghe.key"),
        now,
        quiet: true,
    };
    if ctx.db.exists() || ctx.key.exists() {
        return Err(crate::error::Usage::OutputExists(ctx.db.clone()).into());
    }

    cmd::init::run(
        &ctx,
        &InitArgs {
            village: "清河村".into(),
            township: "城关镇".into(),
            county: "平安县".into(),
            code: Some("130102001001".into()),
            supervisor: Some("王建国".into()),
            phone: Some("13800138000".into()),
        },
    )?;
    let people = village(VillageSpec::default());
    let roster_path = dir.join("roster.csv");
    write(&roster_path, roster_csv(&people).as_bytes())?;
    let t = Instant::now();
    cmd::roster::import(&ctx, &roster_path, &Some("2026-01-05".into()), &None)?;
    let roster_ms = t.elapsed().as_millis();
    let active: Vec<&Villager> = people.iter().filter(|p| p.status != "迁出").collect();

    // 动议: three villagers ask in writing for the main road to be hardened.
    let by: Vec<String> = active
        .iter()
        .filter(|p| p.relation == "户主" && p.birth.0 < 1990)
        .take(3)
        .map(|p| format!("{}:{}", p.household, p.name))
        .collect();
    let scan = dir.join("motion-scan.txt");
    write(
        &scan,
        "动议书（扫描件）：请求硬化村内主干道，全长1.2公里。联名："
            .to_string()
            .as_bytes(),
    )?;
    cmd::stages::motion(&ctx, &MotionArgs {
        title: "村内主干道硬化工程".into(),
        text: Some("村内主干道为土路，雨天泥泞，学生上学、农产品外运不便。提议将村口至村小学段约1.2公里道路硬化为水泥路面，宽4.5米。".into()),
        text_file: None,
        by: by.clone(),
        date: Some("2026-03-02".into()),
        category: "public_works".into(),
        amount: Some("326000".into()),
        attach: vec![scan],
        again: false,
    })?;
    let id = "2026-001".to_string();

    cmd::stages::propose(
        &ctx,
        &ProposeArgs {
            id: id.clone(),
            present: 5,
            decision: DecisionArg::Adopt,
            plan_file: None,
            reason: None,
            date: Some("2026-03-06".into()),
            attach: vec![],
        },
    )?;

    let plan = dir.join("plan-v1.txt");
    write(&plan, "建设内容：村口至村小学道路硬化1.2公里，宽4.5米，C30混凝土路面厚20厘米。\n资金：预算32.6万元，其中一事一议财政奖补20万元，村集体经济收入12.6万元。\n工期：2026年5月至7月。\n责任人：村委会主任。".as_bytes())?;
    let discuss = |ctx: &Ctx, date: &str, plan: &Path| {
        cmd::stages::discuss(
            ctx,
            &DiscussArgs {
                id: id.clone(),
                present: 7,
                decision: DecisionArg::Adopt,
                plan_file: Some(plan.to_path_buf()),
                budget: Some("326000".into()),
                funding: Some("一事一议财政奖补200000元；村集体经济收入126000元".into()),
                reason: None,
                date: Some(date.into()),
                attach: vec![],
            },
        )
    };
    discuss(&ctx, "2026-03-10", &plan)?;
    let review = |ctx: &Ctx, date: &str| {
        cmd::stages::review(
            ctx,
            &ReviewArgs {
                id: id.clone(),
                present: 40,
                for_: 38,
                against: 1,
                abstain: 1,
                decision: DecisionArg::Adopt,
                reason: None,
                date: Some(date.into()),
                attach: vec![],
            },
        )
    };
    review(&ctx, "2026-03-15")?;

    // 民议 round 1: one household objects.
    let collector = active
        .iter()
        .find(|p| p.representative)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let objector_hh = active
        .iter()
        .filter(|p| p.relation == "户主")
        .nth(126)
        .map(|p| p.household.clone())
        .unwrap_or_default();
    cmd::consult::run(
        &ctx,
        &ConsultArgs {
            id: id.clone(),
            action: ConsultCmd::Open {
                date: Some("2026-03-18".into()),
                attach: vec![],
            },
        },
    )?;
    // Each household on the page of the printed sheet that lists it (the scan is that
    // print), and the scan's pages the sheet's.
    let pages1 = sheet_pages(&ctx, &id)?;
    let c1 = dir.join("consult-round1.csv");
    write(
        &c1,
        consent_csv_on(
            &people,
            &collector,
            "2026-03-25",
            Some((&objector_hh, "道路拓宽占用我家门前晒场")),
            Some(&pages1),
        )
        .as_bytes(),
    )?;
    let t = Instant::now();
    cmd::consult::run(
        &ctx,
        &ConsultArgs {
            id: id.clone(),
            action: ConsultCmd::Import { file: c1 },
        },
    )?;
    let consent_ms = t.elapsed().as_millis();
    let sheets = dir.join("sheets-round1.txt");
    let last1 = pages1.values().copied().max().unwrap_or(1);
    write(
        &sheets,
        format!("signature sheets, round 1, pages 1-{last1} (scan)").as_bytes(),
    )?;
    cmd::consult::run(
        &ctx,
        &ConsultArgs {
            id: id.clone(),
            action: ConsultCmd::Attach {
                file: sheets,
                pages: Some(format!("1-{last1}")),
                date: Some("2026-03-26".into()),
                again: false,
            },
        },
    )?;
    let refused = cmd::stages::resolve(
        &ctx,
        &ResolveArgs {
            id: id.clone(),
            body: BodyArg::Representatives,
            present: 30,
            for_: 29,
            against: 1,
            abstain: 0,
            households_present: None,
            text_file: None,
            text: None,
            decision: DecisionArg::Adopt,
            reason: None,
            date: Some("2026-03-28".into()),
            attach: vec![],
        },
    );
    let refusal = match refused {
        Err(Error::Refused(r)) => Some((1, crate::i18n::rules::refusal(&r, lang))),
        other => {
            return Err(Error::Internal(format!(
                "the demo expected a refusal at resolution, got {:?}",
                other.err()
            )));
        }
    };
    cmd::stages::revise(
        &ctx,
        &ReasonArgs {
            id: id.clone(),
            reason: format!("{objector_hh} 户反对：调整线形，避开其门前晒场"),
            date: Some("2026-04-02".into()),
        },
    )?;
    let plan2 = dir.join("plan-v2.txt");
    write(&plan2, "建设内容：村口至村小学道路硬化1.2公里，宽4.5米；K0+640至K0+700段向东偏移3米，避开农户晒场。\n资金：预算32.6万元，其中一事一议财政奖补20万元，村集体经济收入12.6万元。\n工期：2026年5月至7月。\n责任人：村委会主任。".as_bytes())?;
    discuss(&ctx, "2026-04-06", &plan2)?;
    review(&ctx, "2026-04-10")?;
    cmd::consult::run(
        &ctx,
        &ConsultArgs {
            id: id.clone(),
            action: ConsultCmd::Open {
                date: Some("2026-04-12".into()),
                attach: vec![],
            },
        },
    )?;
    let pages2 = sheet_pages(&ctx, &id)?;
    let c2 = dir.join("consult-round2.csv");
    write(
        &c2,
        consent_csv_on(&people, &collector, "2026-04-18", None, Some(&pages2)).as_bytes(),
    )?;
    cmd::consult::run(
        &ctx,
        &ConsultArgs {
            id: id.clone(),
            action: ConsultCmd::Import { file: c2 },
        },
    )?;
    let sheets2 = dir.join("sheets-round2.txt");
    let last2 = pages2.values().copied().max().unwrap_or(1);
    write(
        &sheets2,
        format!("signature sheets, round 2, pages 1-{last2} (scan)").as_bytes(),
    )?;
    cmd::consult::run(
        &ctx,
        &ConsultArgs {
            id: id.clone(),
            action: ConsultCmd::Attach {
                file: sheets2,
                pages: Some(format!("1-{last2}")),
                date: Some("2026-04-19".into()),
                again: false,
            },
        },
    )?;

    let text = dir.join("resolution.txt");
    write(&text, "同意实施村内主干道硬化工程：村口至村小学段1.2公里，宽4.5米，预算32.6万元（一事一议财政奖补20万元，村集体经济收入12.6万元），2026年5月至7月施工，由村委会组织实施，村务监督委员会全程监督。".as_bytes())?;
    cmd::stages::resolve(
        &ctx,
        &ResolveArgs {
            id: id.clone(),
            body: BodyArg::Representatives,
            present: 30,
            for_: 29,
            against: 1,
            abstain: 0,
            households_present: None,
            text_file: Some(text),
            text: None,
            decision: DecisionArg::Adopt,
            reason: None,
            date: Some("2026-04-25".into()),
            attach: vec![],
        },
    )?;
    let notice1 = dir.join("resolution-notice.pdf");
    cmd::stages::publish(
        &ctx,
        &PublishArgs {
            id: id.clone(),
            kind: NoticeArg::Resolution,
            days: Some(15),
            place: Some("村委会公告栏".into()),
            date: Some("2026-04-26".into()),
            out: Some(notice1.clone()),
            font: None,
            attach: vec![],
        },
    )?;
    cmd::stages::objection(
        &ctx,
        &ObjectionArgs {
            id: id.clone(),
            reply: None,
            from: Some(active[40].name.clone()),
            text: Some("施工期间车辆如何通行？".into()),
            date: Some("2026-04-30".into()),
            attach: vec![],
            again: false,
        },
    )?;
    cmd::stages::objection(
        &ctx,
        &ObjectionArgs {
            id: id.clone(),
            reply: Some(ObjectionCmd::Reply {
                n: 1,
                text: "分段半幅施工，另一半幅保持通行；学生上下学时段暂停施工。".into(),
                date: Some("2026-05-03".into()),
                attach: vec![],
            }),
            from: None,
            text: None,
            date: None,
            attach: vec![],
            again: false,
        },
    )?;
    cmd::stages::implement(
        &ctx,
        &ImplementArgs {
            id: id.clone(),
            note: "施工单位进场，开始路基整理".into(),
            spent: Some("50000".into()),
            contractor: Some("平安县路桥工程有限公司".into()),
            date: Some("2026-05-20".into()),
            attach: vec![],
            again: false,
        },
    )?;
    cmd::stages::implement(
        &ctx,
        &ImplementArgs {
            id: id.clone(),
            note: "完成混凝土路面浇筑".into(),
            spent: Some("240000".into()),
            contractor: None,
            date: Some("2026-07-10".into()),
            attach: vec![],
            again: false,
        },
    )?;
    cmd::stages::complete(
        &ctx,
        &CompleteArgs {
            id: id.clone(),
            spent: "318500".into(),
            accepted_by: vec!["镇建设办李工".into(), "村务监督委员会王建国".into()],
            delivered: Some("村口至村小学段水泥路1.2公里，宽4.5米".into()),
            contractor: Some("平安县路桥工程有限公司".into()),
            procurement: Some("公开比选（三家报价，最低价中选）".into()),
            supervision: Some("工程质量合格，资金使用未超预算".into()),
            acceptance: "工程质量合格，同意交付使用".into(),
            spent_by: vec![
                "一事一议财政奖补=200000".into(),
                "村集体经济收入=118500".into(),
            ],
            date: Some("2026-08-15".into()),
            attach: vec![],
            overspend_reason: None,
            correction: None,
        },
    )?;
    let notice2 = dir.join("result-notice.pdf");
    cmd::stages::publish(
        &ctx,
        &PublishArgs {
            id: id.clone(),
            kind: NoticeArg::Result,
            days: Some(15),
            place: Some("村委会公告栏".into()),
            date: Some("2026-08-18".into()),
            out: Some(notice2.clone()),
            font: None,
            attach: vec![],
        },
    )?;

    // The round-2 signature sheet, as it would be printed for the representatives.
    let sheet = dir.join("consultation-sheet.pdf");
    cmd::notice::form(
        &ctx,
        &FormArgs {
            id: id.clone(),
            kind: FormKind::Consultation,
            out: sheet.clone(),
            meeting: None,
            date: None,
            font: None,
        },
    )?;

    let store = crate::store::Store::open(&ctx.db)?;
    let report = crate::check::check(&store)?;
    if !report.ok {
        return Err(Error::Integrity(report.problems));
    }
    let replay = crate::check::load(&store)?;
    drop(store);

    // The township's side: export the bundle, verify it offline, register the village,
    // cosign its checkpoint; the village imports the cosigned checkpoint.
    let bundle = dir.join("qinghe-bundle.zip");
    let t = Instant::now();
    cmd::bundle::export_cmd(
        &ctx,
        &ExportArgs {
            all: true,
            year: None,
            proposal: None,
            out: bundle.clone(),
        },
    )?;
    let export_ms = t.elapsed().as_millis();
    let t = Instant::now();
    let opts = crate::bundle::verify::Options {
        trust: None,
        township: None,
        roots_at: vec![],
        progress: false,
        require_cosignature: false,
        now: Some(ctx.now),
    };
    let verified = crate::bundle::verify::verify(&bundle, &opts);
    let verify_ms = t.elapsed().as_millis();
    if !verified.ok() {
        return Err(Error::Internal(format!(
            "the demo bundle did not verify: {:?}",
            verified.problems
        )));
    }
    let township = |cmd: TownshipCmd| TownshipArgs {
        township_db: Some(dir.join("township.db")),
        cmd,
    };
    cmd::township::run(
        &ctx,
        &township(TownshipCmd::Init {
            name: "chengguan.township".into(),
        }),
    )?;
    cmd::township::run(
        &ctx,
        &township(TownshipCmd::Register {
            bundle: bundle.clone(),
        }),
    )?;
    let cosigned = dir.join("checkpoint-cosigned.txt");
    cmd::township::run(
        &ctx,
        &township(TownshipCmd::Cosign {
            bundle: bundle.clone(),
            out: cosigned.clone(),
        }),
    )?;
    // The township's key file is at hand here; a village is given its public key (its
    // signing key file itself is refused there).
    let (township_key, _) = crate::record::read_key_file(&dir.join("township.key"))
        .map_err(|e| Error::Internal(format!("the demo's township key: {e:?}")))?;
    let township_key = township_key.public().to_hex();
    cmd::township::import_checkpoint(&ctx, &cosigned, Some(&township_key))?;
    let township_line =
        crate::i18n::demo::township_line(lang, verified.entries, export_ms, verify_ms);

    let files = [&notice1, &notice2, &sheet, &bundle, &cosigned]
        .iter()
        .map(|p| {
            (
                p.file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default(),
                std::fs::metadata(p).map(|m| m.len() as usize).unwrap_or(0),
            )
        })
        .collect();
    let facts = crate::i18n::demo::Facts {
        roster_ms,
        consent_ms,
        total_ms: started.elapsed().as_millis(),
        entries: report.entries,
        refusal,
        township: township_line,
        files,
        dir: dir.display().to_string(),
        db: ctx.db.display().to_string(),
        key: ctx.key.display().to_string(),
    };
    parent.say(&crate::i18n::demo::summary(
        &replay.state,
        &id,
        &facts,
        lang,
    ));
    Ok(())
}

/// The page of the printed 民议 sheet of `id`'s open round each household is listed on.
pub(crate) fn sheet_pages(ctx: &Ctx, id: &str) -> Result<std::collections::BTreeMap<String, u32>> {
    let store = crate::store::Store::open(&ctx.db)?;
    let (replay, _) = crate::check::load_fast(&store, &[id], None)?;
    let at = cmd::notice::verification(&replay);
    let sheet = crate::notice::consultation_sheet(&replay.state, id, at).map_err(Error::Notice)?;
    crate::paper::consultation_sheet_pages(&sheet, &crate::paper::Fonts::bundled())
        .map_err(|e| Error::Notice(crate::notice::NoticeError::Paper(e)))
}
