//! `liuyi demo`: a realistic village (365 households) and a road-hardening matter walked
//! through every stage by the same command functions the secretary uses — including an
//! objection at 民议, a revision and a second consultation — then a readable summary.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::cli::*;
use crate::cmd::{self, Ctx};
use crate::demo::{VillageSpec, Villager, consent_csv, roster_csv, village};
use crate::error::{Error, Result};
use crate::i18n::{Lang, cli as msg};

/// The demo's clock: fixed, so every run records the same entries.
pub const DEMO_NOW: &str = "2026-09-30T10:00:00+08:00";

fn write(path: &Path, data: &[u8]) -> Result<()> {
    std::fs::write(path, data).map_err(|e| Error::io(path, e))
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
    let mut log: Vec<String> = Vec::new();
    let mut step = |zh: String, en: String| log.push(lang.pick(zh, en));

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
    step(
        format!(
            "建立清河村记录，导入花名册：{} 人，{} 户在册（{} ms）",
            people.len(),
            365,
            roster_ms
        ),
        format!(
            "created the record of 清河村 and imported the roster: {} people, 365 active households ({roster_ms} ms)",
            people.len()
        ),
    );

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
    })?;
    let id = "2026-001".to_string();
    step(
        format!(
            "{id} 动议：{} 等 3 名村民书面提出“村内主干道硬化工程”",
            by[0]
        ),
        format!(
            "{id} motion: three villagers, {} first, ask in writing for the main road to be hardened",
            by[0]
        ),
    );

    cmd::stages::propose(
        &ctx,
        &ProposeArgs {
            id: id.clone(),
            present: 5,
            decision: DecisionArg::Adopt,
            reason: None,
            date: Some("2026-03-06".into()),
            attach: vec![],
        },
    )?;
    step(
        "提议：支委会应到 5 人实到 5 人，同意提交商议".into(),
        "proposal: branch committee, 5 of 5 present, adopted".into(),
    );

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
    step(
        "商议：两委联席会应到 7 人实到 7 人，形成方案第 1 版，预算 ¥326,000.00".into(),
        "discussion: the two committees, 7 of 7 present, plan version 1, budget ¥326,000.00".into(),
    );
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
                date: Some(date.into()),
                attach: vec![],
            },
        )
    };
    review(&ctx, "2026-03-15")?;
    step("审议：党员大会应到 43 名正式党员（2 名预备党员不计），实到 40，同意 38".into(), "review: party members' meeting, 43 voting members (2 probationary excluded), 40 present, 38 for".into());

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
            },
        },
    )?;
    let c1 = dir.join("consult-round1.csv");
    write(
        &c1,
        consent_csv(
            &people,
            &collector,
            "2026-03-25",
            Some((&objector_hh, "道路拓宽占用我家门前晒场")),
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
    write(&sheets, b"signature sheets, round 1, pages 1-19 (scan)")?;
    cmd::consult::run(
        &ctx,
        &ConsultArgs {
            id: id.clone(),
            action: ConsultCmd::Attach {
                file: sheets,
                pages: Some("1-19".into()),
                date: Some("2026-03-26".into()),
            },
        },
    )?;
    step(
        format!(
            "民议第 1 轮：365 户中 364 户签字同意，{objector_hh} 户反对（道路拓宽占用门前晒场）；导入 365 户意见用时 {consent_ms} ms"
        ),
        format!(
            "consultation round 1: 364 of 365 households signed consent, household {objector_hh} objected (the widened road takes its drying yard); importing 365 opinions took {consent_ms} ms"
        ),
    );
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
            date: Some("2026-03-28".into()),
            attach: vec![],
        },
    );
    match refused {
        Err(Error::Refused(r)) => step(
            format!(
                "试图决议 → 被规则拒绝：{}",
                crate::i18n::rules::refusal(&r, lang)
            ),
            format!(
                "attempt to resolve → refused by the rules: {}",
                crate::i18n::rules::refusal(&r, lang)
            ),
        ),
        other => {
            return Err(Error::Internal(format!(
                "the demo expected a refusal at resolution, got {:?}",
                other.err()
            )));
        }
    }
    cmd::stages::revise(
        &ctx,
        &ReasonArgs {
            id: id.clone(),
            reason: format!("{objector_hh} 户反对：调整线形，避开其门前晒场"),
            date: Some("2026-04-02".into()),
        },
    )?;
    step(
        "退回商议：调整线形，避开反对户门前晒场".into(),
        "sent back to discussion: the route is moved clear of the objecting household's yard"
            .into(),
    );
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
            },
        },
    )?;
    let c2 = dir.join("consult-round2.csv");
    write(
        &c2,
        consent_csv(&people, &collector, "2026-04-18", None).as_bytes(),
    )?;
    cmd::consult::run(
        &ctx,
        &ConsultArgs {
            id: id.clone(),
            action: ConsultCmd::Import { file: c2 },
        },
    )?;
    let sheets2 = dir.join("sheets-round2.txt");
    write(&sheets2, b"signature sheets, round 2, pages 1-19 (scan)")?;
    cmd::consult::run(
        &ctx,
        &ConsultArgs {
            id: id.clone(),
            action: ConsultCmd::Attach {
                file: sheets2,
                pages: Some("1-19".into()),
                date: Some("2026-04-19".into()),
            },
        },
    )?;
    step("方案第 2 版：商议、审议通过；民议第 2 轮 365/365 户签字同意（100%）".into(), "plan version 2 discussed and reviewed again; consultation round 2: 365/365 households signed consent (100 %)".into());

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
            date: Some("2026-04-25".into()),
            attach: vec![],
        },
    )?;
    step(
        "决议：村民代表会议应到 33 人（村委委员与村民代表），实到 30，同意 29，反对 1".into(),
        "resolution: representatives' meeting, 33 members, 30 present, 29 for, 1 against".into(),
    );
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
        },
    )?;
    step(
        "决议公开：2026-04-26 起在村委会公告栏公示 15 天".into(),
        "resolution published: posted on the village committee board for 15 days from 2026-04-26"
            .into(),
    );
    cmd::stages::objection(
        &ctx,
        &ObjectionArgs {
            id: id.clone(),
            reply: None,
            from: Some(active[40].name.clone()),
            text: Some("施工期间车辆如何通行？".into()),
            date: Some("2026-04-30".into()),
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
            }),
            from: None,
            text: None,
            date: None,
        },
    )?;
    step(
        "公示期内收到 1 条意见（施工期间通行），已书面答复".into(),
        "one question received during posting (traffic during works), answered in writing".into(),
    );
    cmd::stages::implement(
        &ctx,
        &ImplementArgs {
            id: id.clone(),
            note: "施工单位进场，开始路基整理".into(),
            spent: Some("50000".into()),
            contractor: Some("平安县路桥工程有限公司".into()),
            date: Some("2026-05-20".into()),
            attach: vec![],
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
        },
    )?;
    step("实施与验收：决算 ¥318,500.00（预算 ¥326,000.00），2026-08-15 验收合格".into(), "implementation and acceptance: final cost ¥318,500.00 (budget ¥326,000.00), accepted on 2026-08-15".into());
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
        },
    )?;
    step(
        "实施结果公开：2026-08-18 起公示 15 天".into(),
        "result published: posted for 15 days from 2026-08-18".into(),
    );

    let store = crate::store::Store::open(&ctx.db)?;
    let report = crate::check::check(&store)?;
    if !report.ok {
        return Err(Error::Integrity(report.problems));
    }
    let entries = report.entries;
    drop(store);
    let elapsed = started.elapsed().as_millis();
    let mut out = String::new();
    out += lang.pick(
        "六议两公开 演示：清河村（城关镇，平安县）\n",
        "liuyi demo: 清河村 (城关镇, 平安县)\n",
    );
    for (i, l) in log.iter().enumerate() {
        out += &format!("{:>2}. {l}\n", i + 1);
    }
    out += &match lang {
        Lang::Zh => format!(
            "校验：{entries} 条记录，哈希链与全部签名检查点无误。\n文件目录：{}\n  数据库 qinghe.db，密钥 qinghe.key\n全程用时 {elapsed} ms。\n自己试试：\n  liuyi --db {} show 2026-001\n  liuyi --db {} status",
            dir.display(),
            ctx.db.display(),
            ctx.db.display()
        ),
        Lang::En => format!(
            "check: {entries} entries; chain and every signed checkpoint verified.\nfiles in: {}\n  database qinghe.db, key qinghe.key\ntook {elapsed} ms.\ntry:\n  liuyi --db {} show 2026-001\n  liuyi --db {} status",
            dir.display(),
            ctx.db.display(),
            ctx.db.display()
        ),
    };
    parent.say(&out);
    let _ = msg::default_place(lang);
    Ok(())
}
