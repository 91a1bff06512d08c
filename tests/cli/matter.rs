//! A whole matter through every stage, from the command line, with the JSON a township's
//! tools read.

use crate::harness::*;

/// The resolution `matter_until` records: representatives, 29 of 30 for.
pub const RESOLVE: [&str; 16] = [
    "resolve",
    "2026-001",
    "--body",
    "representatives",
    "--present",
    "30",
    "--for",
    "29",
    "--against",
    "1",
    "--abstain",
    "0",
    "--text",
    "同意实施",
    "--date",
    "2026-04-25",
];

/// Imports the consent file `csv` into 2026-001's open round (as `c1.csv`), and attaches
/// the scan of its sheets, pages 1-19.
pub fn import_and_attach(v: &Village, csv: &str) {
    let csv = v.write("c1.csv", csv.as_bytes());
    v.run(&["consult", "2026-001", "import", path_str(&csv)])
        .ok();
    let scan = v.write("sheets.pdf", b"scan of pages 1-19");
    v.run(&[
        "consult",
        "2026-001",
        "attach",
        path_str(&scan),
        "--pages",
        "1-19",
        "--date",
        "2026-03-26",
    ])
    .ok();
}

/// Drives matter 2026-001 up to (and including) `until`, returning the village.
pub fn matter_until(until: &str) -> Village {
    matter_until_in(Village::with_roster(), until)
}

/// [`matter_until`] in the village `v` (initialised, with the generated roster).
pub fn matter_until_in(v: Village, until: &str) -> Village {
    matter_in(
        v,
        until,
        &["--amount", "326000"],
        &[
            "--budget",
            "326000",
            "--funding",
            "财政奖补20万元；村集体经济收入12.6万元",
        ],
        &["--spent", "318500", "--accepted-by", "镇建设办李工,王建国"],
    )
}

/// `matter_until` with the money flags of `motion` (`--amount`) and `discuss` (`--budget`,
/// `--funding`), and the flags of `complete` (`--spent`, `--spent-by`, `--accepted-by`).
pub fn matter_with(until: &str, motion: &[&str], discuss: &[&str], complete: &[&str]) -> Village {
    matter_in(Village::with_roster(), until, motion, discuss, complete)
}

/// [`matter_with`] in the village `v` (initialised, with the generated roster).
pub fn matter_in(
    v: Village,
    until: &str,
    motion: &[&str],
    discuss: &[&str],
    complete: &[&str],
) -> Village {
    let people = v.people();
    let proposers: Vec<String> = people
        .iter()
        .filter(|p| p.relation == "户主" && p.status != "迁出" && p.birth.0 < 1990)
        .take(2)
        .map(|p| format!("{}:{}", p.household, p.name))
        .collect();
    let steps: Vec<(&str, Vec<String>)> = vec![
        (
            "motion",
            vec![
                "motion".into(),
                "--title".into(),
                "村内主干道硬化工程".into(),
                "--text".into(),
                "硬化村口至村小学道路".into(),
                "--by".into(),
                proposers.join(","),
                "--date".into(),
                "2026-03-02".into(),
                "--category".into(),
                "public_works".into(),
            ]
            .into_iter()
            .chain(s(motion))
            .collect(),
        ),
        (
            "proposal",
            s(&[
                "propose",
                "2026-001",
                "--present",
                "5",
                "--decision",
                "adopt",
                "--date",
                "2026-03-06",
            ]),
        ),
        (
            "discussion",
            s(&[
                "discuss",
                "2026-001",
                "--present",
                "7",
                "--decision",
                "adopt",
                "--date",
                "2026-03-10",
            ])
            .into_iter()
            .chain(s(discuss))
            .collect(),
        ),
        (
            "review",
            s(&[
                "review",
                "2026-001",
                "--present",
                "40",
                "--for",
                "38",
                "--against",
                "1",
                "--abstain",
                "1",
                "--date",
                "2026-03-15",
            ]),
        ),
        (
            "consultation",
            s(&["consult", "2026-001", "open", "--date", "2026-03-18"]),
        ),
    ];
    for (stage, args) in steps {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        v.run(&a).ok();
        if stage == until {
            return v;
        }
    }
    let collector = collector(&people);
    let csv = liuyi::demo::consent_csv(&people, &collector, "2026-03-25", None);
    import_and_attach(&v, &csv);
    if until == "consented" {
        return v;
    }
    let rest: Vec<(&str, Vec<String>)> = vec![
        ("resolution", s(&RESOLVE)),
        (
            "resolution_published",
            s(&[
                "publish",
                "2026-001",
                "resolution",
                "--days",
                "15",
                "--place",
                "村委会公告栏",
                "--date",
                "2026-04-26",
            ]),
        ),
        (
            "implementation",
            s(&[
                "implement",
                "2026-001",
                "--note",
                "施工单位进场",
                "--spent",
                "50000",
                "--date",
                "2026-05-20",
            ]),
        ),
        (
            "completed",
            s(&["complete", "2026-001", "--date", "2026-08-15"])
                .into_iter()
                .chain(s(complete))
                .collect(),
        ),
        (
            "result_published",
            s(&[
                "publish",
                "2026-001",
                "result",
                "--days",
                "15",
                "--place",
                "村委会公告栏",
                "--date",
                "2026-08-18",
            ]),
        ),
    ];
    for (stage, args) in rest {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        v.run(&a).ok();
        if stage == until {
            return v;
        }
    }
    v
}

fn s(a: &[&str]) -> Vec<String> {
    a.iter().map(|x| x.to_string()).collect()
}

#[test]
fn a_matter_walks_through_every_stage_and_the_record_checks() {
    let v = matter_until("result_published");
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(show["id"], "2026-001");
    assert_eq!(show["title"], "村内主干道硬化工程");
    assert_eq!(show["category"], "public_works");
    assert_eq!(show["stage"], "result_published");
    let stages: Vec<&str> = show["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        stages,
        [
            "motion",
            "proposal",
            "discussion",
            "review",
            "consultation",
            "resolution",
            "resolution_published",
            "implementation",
            "completed",
            "result_published"
        ]
    );
    let review = &show["stages"][3];
    assert_eq!(review["expected"], 43, "probationary members do not vote");
    assert_eq!(review["for"], 38);
    assert_eq!(
        show["stages"][5]["expected"], 33,
        "28 representatives + 5 village-committee members"
    );
    assert_eq!(show["consultation"]["in_scope"], 365);
    assert_eq!(show["consultation"]["consented"], 365);
    assert_eq!(show["consultation"]["missing"].as_array().unwrap().len(), 0);
    assert_eq!(show["budget_fen"], 32_600_000);

    let list = v.run(&["list", "--json"]).ok().json();
    assert_eq!(list["proposals"][0]["id"], "2026-001");
    assert_eq!(list["proposals"][0]["stage"], "result_published");
    let status = v.run(&["status", "--json"]).ok().json();
    assert_eq!(status["proposals"][0]["stage"], "result_published");
    assert!(status["proposals"][0]["next"].is_null());

    let check = v.run(&["check", "--json"]).ok().json();
    assert_eq!(check["ok"], true);
    assert!(check["entries"].as_u64().unwrap() > 370);
    assert_eq!(check["problems"].as_array().unwrap().len(), 0);
}

#[test]
fn status_names_the_next_step_for_each_open_matter() {
    let v = matter_until("review");
    let status = v.run(&["status", "--json"]).ok().json();
    assert_eq!(status["proposals"][0]["id"], "2026-001");
    assert_eq!(status["proposals"][0]["stage"], "review");
    assert_eq!(status["proposals"][0]["next"], "consult_open");
    let text = v.run(&["status"]).ok().stdout.clone();
    assert!(text.contains("liuyi consult 2026-001 open"), "{text}");
    // While 民议 lacks consents, the next thing is to go on collecting them; the
    // resolution comes after (it used to be named as the next step at 0 of 365).
    v.run(&["consult", "2026-001", "open", "--date", "2026-03-18"])
        .ok();
    let text = v.run(&["status"]).ok().stdout.clone();
    assert!(
        text.contains("下一步：继续征求民议意见（liuyi consult 2026-001 status 查看尚缺的户和签字表页），达到要求后：liuyi resolve 2026-001 --body representatives --present 到会人数 --for 同意票数"),
        "{text}"
    );
    // JSON says so too: collecting consents is next, not the resolution (which the rules
    // would refuse); `next_command` keeps the English placeholders of JSON.
    let j = v.run(&["status", "--json"]).ok().json();
    assert_eq!(j["proposals"][0]["next"], "consult_record", "{j}");
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(show["next"], "consult_record", "{show}");
    assert_eq!(
        j["proposals"][0]["next_command"],
        "liuyi consult 2026-001 record HOUSEHOLD --consent --signer NAME"
    );
    // A household objecting holds the resolution back whatever else comes in: the way on
    // is a revision or its changed opinion.
    let people = v.people();
    let p = people.iter().find(|p| p.status == "在村").unwrap();
    v.run(&[
        "consult",
        "2026-001",
        "record",
        &p.household,
        "--object",
        "占地",
        "--signer",
        &p.name,
        "--sheet-page",
        "1",
        "--date",
        "2026-03-20",
    ])
    .ok();
    let text = v.run(&["status"]).ok().stdout.clone();
    assert!(
        text.contains(
            "下一步：有 1 户反对：可用 liuyi revise 2026-001 --reason 理由 退回商议修改方案"
        ),
        "{text}"
    );
    let j = v.run(&["status", "--json"]).ok().json();
    assert_eq!(j["proposals"][0]["next"], "revise", "{j}");
    // `show` says what `status` says (it named the resolution, which would be refused).
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(show["next"], "revise", "{show}");
    let text = v.run(&["show", "2026-001"]).ok().stdout.clone();
    assert!(text.contains("下一步：liuyi revise 2026-001"), "{text}");
    // A villager's objection at 民议 is that household's opinion: a refused `objection`
    // says how to record it, and does not send the secretary to the resolution.
    let e = v.refused(
        3,
        &["objection", "2026-001", "--from", &p.name, "--text", "占地"],
    );
    assert!(
        e.contains("记为该户的意见：liuyi consult 2026-001 record 户号 --object 理由")
            && e.contains("liuyi consult 2026-001 status")
            && !e.contains("下一步应为：liuyi resolve"),
        "{e}"
    );
    let v = matter_until("consented");
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(show["next"], "resolve", "{show}");
    let text = v.run(&["status"]).ok().stdout.clone();
    assert!(
        text.contains("下一步：liuyi resolve 2026-001 --body representatives --present 到会人数")
            && !text.contains("继续征求"),
        "{text}"
    );
    let j = v.run(&["status", "--json"]).ok().json();
    assert_eq!(j["proposals"][0]["next"], "resolve", "{j}");
    // At 民议 since it opened: the scans filed the day after the consents (the sheets'
    // pages; `consult attach` takes no date) do not move the day the matter came to its
    // stage.
    assert_eq!(j["proposals"][0]["since"], "2026-03-18", "{j}");
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(
        show["last_date"], "2026-03-26",
        "the scan is the latest activity"
    );
}

/// A resolved matter beside one at 民议: `status` printed "民议：null/null 户已签字同意" for
/// the resolved one (its rounds were taken for an open consultation), and Chinese next
/// steps had English placeholders (--spent YUAN, -o FILE.pdf).
#[test]
fn status_of_a_resolved_matter_beside_an_open_consultation() {
    let v = matter_until("resolution");
    let people = v.people();
    let by = people
        .iter()
        .find(|p| p.relation == "户主" && p.status == "在村" && p.birth.0 < 1990)
        .map(|p| format!("{}:{}", p.household, p.name))
        .unwrap();
    for args in [
        vec![
            "motion",
            "--title",
            "路灯",
            "--text",
            "安装路灯",
            "--by",
            &by,
            "--date",
            "2026-05-02",
        ],
        vec![
            "propose",
            "2026-002",
            "--present",
            "5",
            "--decision",
            "adopt",
            "--date",
            "2026-05-03",
        ],
        vec![
            "discuss",
            "2026-002",
            "--present",
            "7",
            "--decision",
            "adopt",
            "--budget",
            "1000",
            "--funding",
            "村集体1000元",
            "--date",
            "2026-05-04",
        ],
        vec![
            "review",
            "2026-002",
            "--present",
            "40",
            "--for",
            "40",
            "--against",
            "0",
            "--abstain",
            "0",
            "--date",
            "2026-05-05",
        ],
        vec!["consult", "2026-002", "open", "--date", "2026-05-06"],
    ] {
        v.run(&args).ok();
    }
    let text = v.run(&["status"]).ok().stdout.clone();
    assert!(!text.contains("null"), "{text}");
    assert!(
        text.contains("liuyi publish 2026-001 resolution -o 决议公告.pdf")
            && text.contains("民议：0/")
            && !text.contains("FILE.pdf"),
        "{text}"
    );
    let j = v.run(&["status", "--json"]).ok().json();
    assert!(j["proposals"][0].get("consultation").is_none(), "{j}");
    assert_eq!(j["proposals"][1]["consultation"]["passes"], false, "{j}");
}

#[test]
fn consult_status_lists_missing_households() {
    let v = matter_until("consultation");
    let people = v.people();
    let head = people.iter().find(|p| p.relation == "户主").unwrap();
    v.run(&[
        "consult",
        "2026-001",
        "record",
        &head.household,
        "--consent",
        "--signer",
        &head.name,
        "--sheet-page",
        "1",
        "--date",
        "2026-03-20",
    ])
    .ok();
    let st = v
        .run(&["consult", "2026-001", "status", "--json"])
        .ok()
        .json();
    assert_eq!(st["in_scope"], 365);
    assert_eq!(
        st["consented"], 0,
        "a sheet page without its scan is not yet evidence"
    );
    // Still missing until its sheet page is attached (and listed as lacking evidence).
    assert_eq!(st["missing"].as_array().unwrap().len(), 365);
    assert_eq!(st["no_evidence"].as_array().unwrap().len(), 1);
    assert_eq!(st["complete"], false);
    // The text names the page without a scan and how to attach it (it named only the
    // household lacking evidence).
    let text = v
        .run(&["consult", "2026-001", "status"])
        .ok()
        .stdout
        .clone();
    assert!(
        text.contains("签字表第 1 页尚无扫描件：liuyi consult 2026-001 attach 扫描件 --pages 1"),
        "{text}"
    );
    let scan = v.write("p1.pdf", b"page one");
    v.run(&[
        "consult",
        "2026-001",
        "attach",
        path_str(&scan),
        "--pages",
        "1",
    ])
    .ok();
    let st = v
        .run(&["consult", "2026-001", "status", "--json"])
        .ok()
        .json();
    assert_eq!(st["consented"], 1);
    assert_eq!(st["missing"].as_array().unwrap().len(), 364);
}

#[test]
fn objection_revision_and_second_round_stay_in_the_record() {
    let v = matter_until("consultation");
    let people = v.people();
    let collector = collector(&people);
    let objector = people
        .iter()
        .find(|p| p.relation == "户主" && p.status != "迁出")
        .unwrap()
        .household
        .clone();
    let csv = v.write(
        "c1.csv",
        liuyi::demo::consent_csv(
            &people,
            &collector,
            "2026-03-25",
            Some((&objector, "占用晒场")),
        )
        .as_bytes(),
    );
    v.run(&["consult", "2026-001", "import", path_str(&csv)])
        .ok();
    let err = v.refused(
        3,
        &[
            "resolve",
            "2026-001",
            "--body",
            "representatives",
            "--present",
            "30",
            "--for",
            "29",
            "--against",
            "1",
            "--abstain",
            "0",
            "--date",
            "2026-03-28",
        ],
    );
    assert!(
        err.contains(&objector),
        "the refusal names the objecting household: {err}"
    );
    assert!(err.contains("364"), "{err}");
    v.run(&[
        "revise",
        "2026-001",
        "--reason",
        "调整线形",
        "--date",
        "2026-04-02",
    ])
    .ok();
    // The round sent back is shown as it ended, said to be over (it read as still open).
    let o = v.run(&["consult", "2026-001", "status"]);
    assert!(
        o.ok()
            .stdout
            .contains("第 1 轮（2026-03-18 开始，已结束；事项现处于「提议」阶段），结束时："),
        "{}",
        o.stdout
    );
    v.run(&[
        "discuss",
        "2026-001",
        "--present",
        "7",
        "--decision",
        "adopt",
        "--date",
        "2026-04-06",
    ])
    .ok();
    v.run(&[
        "review",
        "2026-001",
        "--present",
        "40",
        "--for",
        "38",
        "--against",
        "1",
        "--abstain",
        "1",
        "--date",
        "2026-04-10",
    ])
    .ok();
    v.run(&["consult", "2026-001", "open", "--date", "2026-04-12"])
        .ok();
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(show["rounds"].as_array().unwrap().len(), 2);
    assert_eq!(show["plan_version"], 2);
    assert_eq!(show["rounds"][0]["objected"], 1);
    assert_eq!(show["consultation"]["round"], 2);
    assert_eq!(show["consultation"]["consented"], 0);
}

#[test]
fn demo_runs_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    // A --db given to demo is not used, and it says so (it was silently ignored).
    let mine = dir.path().join("mine.db");
    let o = std::process::Command::new(bin())
        .args([
            "--db",
            mine.to_str().unwrap(),
            "demo",
            "--out",
            out.to_str().unwrap(),
        ])
        .env("LIUYI_LANG", "en")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("demo does not use --db"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!mine.exists());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("365 households in scope, 365 signed consent (100 %)"),
        "{text}"
    );
    assert!(text.contains("refused by the rules"), "{text}");
    // The way to record a step of one's own names the demo's key file, which is not the
    // liuyi.key a writing command looks for beside the database.
    let key = out.join("qinghe.key");
    assert!(
        text.contains(&format!("--key {} motion", key.display())),
        "{text}"
    );
    // The objection raised while the resolution notice was posted is told where it falls,
    // between the notice and the work, with its reply's date (it came last, after the
    // result notice months later).
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?}: {text}"))
    };
    let objection = line_of("objection 1 during posting");
    assert!(line_of("resolution published") < objection, "{text}");
    assert!(objection < line_of("implementation:"), "{text}");
    assert!(
        text.lines()
            .nth(objection)
            .unwrap()
            .contains("→ 2026-05-03 reply:"),
        "{text}"
    );
    for pdf in [
        "resolution-notice.pdf",
        "result-notice.pdf",
        "consultation-sheet.pdf",
    ] {
        assert!(
            std::fs::read(out.join(pdf)).unwrap().starts_with(b"%PDF"),
            "{pdf}"
        );
    }
    let o = std::process::Command::new(bin())
        .args([
            "--db",
            out.join("qinghe.db").to_str().unwrap(),
            "show",
            "2026-001",
            "--json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["stage"], "result_published");
    assert_eq!(v["rounds"].as_array().unwrap().len(), 2);
}

#[test]
fn consult_status_says_the_matter_can_be_resolved_only_while_it_is_at_consultation() {
    let v = matter_until("consented");
    let o = v.run(&["consult", "2026-001", "status"]);
    o.ok();
    assert!(
        o.stdout.contains("已全部签字同意，可以决议。"),
        "{}",
        o.stdout
    );
    let v = matter_until("resolution");
    let o = v.run(&["consult", "2026-001", "status"]);
    o.ok();
    assert!(
        o.stdout
            .contains("已全部签字同意。事项现处于「决议」阶段。")
            && o.stdout.contains("已结束")
            && !o.stdout.contains("可以决议"),
        "{}",
        o.stdout
    );
}

#[test]
fn consult_status_before_the_consultation_says_to_open_it() {
    let v = matter_until("review");
    let e = v.refused(2, &["consult", "2026-001", "status"]);
    // It said 不能登记民议意见 (a status records nothing).
    assert!(
        e.contains("还没有开始民议") && e.contains("liuyi consult 2026-001 open"),
        "{e}"
    );
}

/// 提议 records an initial plan (SPEC §1, stage 2), shown with the step.
#[test]
fn a_proposal_records_its_initial_plan() {
    let v = matter_until("motion");
    let plan = v.write(
        "plan.txt",
        "初步方案：硬化村口至村小学道路约1.2公里。".as_bytes(),
    );
    v.run(&[
        "propose",
        "2026-001",
        "--present",
        "5",
        "--decision",
        "adopt",
        "--plan-file",
        path_str(&plan),
        "--date",
        "2026-03-06",
    ])
    .ok();
    let j = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(
        step(&j, "stage", "proposal")["plan"],
        "初步方案：硬化村口至村小学道路约1.2公里。",
        "{j:#}"
    );
}

/// 民议 records the signer's relation to the household (SPEC §1, stage 5): a member's from
/// the roster, a proxy's as given, in `consult record` and in an import file's 关系 column
/// (an objection there: a consent by proxy carries the authorisation, a file, so it is
/// recorded one by one).
#[test]
fn a_consent_records_the_signers_relation() {
    let v = matter_until("consultation");
    let people = v.people();
    let head = people.iter().find(|p| p.relation == "户主").unwrap();
    let other = people
        .iter()
        .find(|p| p.relation == "户主" && p.household != head.household)
        .unwrap();
    let record = |household: &str, signer: &str, extra: &[&str]| {
        let mut args = vec![
            "consult",
            "2026-001",
            "record",
            household,
            "--consent",
            "--signer",
            signer,
            "--sheet-page",
            "1",
            "--date",
            "2026-03-20",
        ];
        args.extend_from_slice(extra);
        v.run(&args).ok();
    };
    record(&head.household, &head.name, &[]);
    let mandate = v.write("mandate.jpg", b"scan of the written authorisation");
    v.run(&[
        "consult",
        "2026-001",
        "record",
        &other.household,
        "--consent",
        "--signer",
        "赵委托",
        "--method",
        "proxy",
        "--relation",
        "受托人（侄子）",
        "--evidence",
        path_str(&mandate),
        "--date",
        "2026-03-20",
    ])
    .ok();
    // A third by import, with the column.
    let third = people
        .iter()
        .find(|p| {
            p.relation == "户主" && p.household != head.household && p.household != other.household
        })
        .unwrap();
    let f = v.write(
        "c.csv",
        format!(
            "户号,签字人,意见,理由,方式,关系,日期,页码\n{},孙代签,反对,占地,委托,邻居（受托）,2026-03-21,\n",
            third.household
        )
        .as_bytes(),
    );
    v.run(&["consult", "2026-001", "import", path_str(&f)]).ok();
    // As recorded in the log.
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let entries: Vec<serde_json::Value> = c
        .prepare("SELECT bytes FROM entries ORDER BY idx")
        .unwrap()
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .unwrap()
        .map(|b| serde_json::from_slice(&b.unwrap()).unwrap())
        .collect();
    let relation_of = |household: &str| {
        entries
            .iter()
            .find(|e| e["type"] == "consult.record" && e["body"]["household"] == household)
            .map(|e| e["body"]["relation"].clone())
            .unwrap()
    };
    assert_eq!(relation_of(&head.household), "户主");
    assert_eq!(relation_of(&other.household), "受托人（侄子）");
    // Cells from a file are folded to half-width brackets, as every cell is.
    assert_eq!(relation_of(&third.household), "邻居(受托)");
    v.run(&["check"]).ok();
}

/// Every stage can carry attachments (SPEC §1): the 民议 opening, the postings, objections
/// and replies too. Each is in the record and in the bundle, and the bundle verifies.
#[test]
fn the_opening_the_postings_objections_and_replies_carry_attachments() {
    let v = matter_until("resolution");
    let file = |name: &str| v.write(name, format!("scan of {name}").as_bytes());
    let (notice_photo, objection_scan, reply_scan) =
        (file("posted.jpg"), file("objection.pdf"), file("reply.pdf"));
    let out = v.dir.path().join("r.pdf");
    v.run(&[
        "publish",
        "2026-001",
        "resolution",
        "--date",
        "2026-04-26",
        "--attach",
        path_str(&notice_photo),
        "-o",
        path_str(&out),
    ])
    .ok();
    let o = v.run(&[
        "objection",
        "2026-001",
        "--from",
        "0007:村民",
        "--text",
        "施工期间如何通行？",
        "--date",
        "2026-04-28",
        "--attach",
        path_str(&objection_scan),
    ]);
    o.ok();
    // The number its reply names is printed, with the command.
    assert!(
        o.stdout
            .contains("第 1 条异议。答复后请记录：liuyi objection 2026-001 reply 1"),
        "{}",
        o.stdout
    );
    v.run(&[
        "objection",
        "2026-001",
        "reply",
        "1",
        "--text",
        "半幅施工。",
        "--date",
        "2026-04-29",
        "--attach",
        path_str(&reply_scan),
    ])
    .ok();
    let j = v.run(&["show", "2026-001", "--json"]).ok().json();
    let published = step(&j, "stage", "resolution_published");
    assert_eq!(published["attachments"][0]["name"], "posted.jpg", "{j:#}");
    v.run(&["check"]).ok();
    let bundle = v.dir.path().join("b.zip");
    v.run(&["export", "--all", "-o", path_str(&bundle)]).ok();
    let o = v.run(&["verify", path_str(&bundle), "--json"]);
    assert_eq!(o.code, 0, "{}", o.stdout);
    // The three files are in the bundle under their hashes.
    let names = crate::bundle::parts(&bundle);
    for f in [&notice_photo, &objection_scan, &reply_scan] {
        let sha = liuyi::cmd::sha256_hex(&std::fs::read(f).unwrap());
        assert!(
            names
                .iter()
                .any(|(n, _)| *n == format!("attachments/{sha}")),
            "{f:?}"
        );
    }
    // The 民议 opening: the notice of the consultation, say.
    let v = matter_until("review");
    let scan = v.write("open.jpg", b"notice of the consultation");
    v.run(&[
        "consult",
        "2026-001",
        "open",
        "--date",
        "2026-03-18",
        "--attach",
        path_str(&scan),
    ])
    .ok();
    let j = v.run(&["show", "2026-001", "--json"]).ok().json();
    let open = step(&j, "type", "consult.open");
    assert_eq!(open["attachments"][0]["name"], "open.jpg", "{j:#}");
    v.run(&["check"]).ok();
}

/// The first step of `show --json` whose `key` is `value`.
fn step(show: &serde_json::Value, key: &str, value: &str) -> serde_json::Value {
    show["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s[key] == value)
        .unwrap_or_else(|| panic!("no step with {key} {value}: {show:#}"))
        .clone()
}

/// Proof that a notice went up (SPEC: every stage can carry attachments; the photo is taken
/// after `publish` printed the notice): recorded after the publish, never before it.
#[test]
fn a_posted_notice_is_proved_after_it_is_published() {
    let v = matter_until("resolution_published");
    let photo = v.write("board.jpg", b"photo of the notice on the board");
    // Not a scan of the 民议 sheet either, and said as such (it was refused as recording a
    // household's opinion).
    let e = v.refused(3, &["consult", "2026-001", "attach", path_str(&photo)]);
    assert!(e.contains("不能附签字表扫描件"), "{e}");
    // The result notice was never printed: nothing to prove.
    let e = v.refused(
        3,
        &["posted", "2026-001", "result", "--attach", path_str(&photo)],
    );
    assert!(
        e.contains("还没有公开") && e.contains("liuyi publish"),
        "{e}"
    );
    // Not dated before the notice it proves.
    let e = v.refused(
        3,
        &[
            "posted",
            "2026-001",
            "resolution",
            "--attach",
            path_str(&photo),
            "--date",
            "2026-04-20",
        ],
    );
    assert!(e.contains("2026-04-20"), "{e}");
    let o = v.run(&[
        "posted",
        "2026-001",
        "resolution",
        "--attach",
        path_str(&photo),
        "--note",
        "村委会公告栏",
        "--date",
        "2026-04-27",
    ]);
    // The proof recorded is not asked for again (the hint after a notice is publish's).
    assert!(!o.ok().stdout.contains("留存张贴凭证"), "{}", o.stdout);
    let j = v.run(&["show", "2026-001", "--json"]).ok().json();
    let proof = step(&j, "type", "publish.posted");
    assert_eq!(proof["attachments"][0]["name"], "board.jpg", "{j:#}");
    assert_eq!(j["stage"], "resolution_published");
    // One photo given twice to one command, or saved under two names, is one proof:
    // refused before anything is recorded, naming both (it was listed twice as the proof).
    let copy = v.write("board-copy.jpg", b"photo of the notice on the board");
    let twice = |first: &str, second: &str, lang: &str| {
        v.refused(
            2,
            &[
                "posted",
                "2026-001",
                "resolution",
                "--attach",
                first,
                "--attach",
                second,
                "--date",
                "2026-04-28",
                "--again",
                "--lang",
                lang,
            ],
        )
    };
    let e = twice(path_str(&photo), path_str(&copy), "zh");
    assert!(
        e.contains("board.jpg 与 ")
            && e.contains("board-copy.jpg 内容完全相同")
            && e.contains("本次未记录"),
        "{e}"
    );
    let e = twice(path_str(&photo), path_str(&photo), "zh");
    assert!(e.contains("board.jpg 附了两次"), "{e}");
    let e = twice(path_str(&copy), path_str(&photo), "en");
    assert!(
        e.contains("hold the same bytes") && e.contains("Nothing recorded"),
        "{e}"
    );
    // The same photo again is the command run twice: refused (it was recorded, and `show`
    // listed 决议公开 once more), unless --again says it is another posting.
    let again = [
        "posted",
        "2026-001",
        "resolution",
        "--attach",
        path_str(&photo),
        "--date",
        "2026-04-28",
    ];
    let e = v.refused(2, &again);
    assert!(
        e.contains("同样的文件登记过这份公告的张贴凭证（2026-04-27）") && e.contains("--again"),
        "{e}"
    );
    // `show` names the proof as what it proves, not as the stage again.
    let shown = v.run(&["show", "2026-001"]).ok().stdout.clone();
    assert!(
        shown.contains("2026-04-27 决议公告张贴凭证") && shown.matches(" 决议公开").count() == 1,
        "{shown}"
    );
    // The next step is still the work itself, dated as before.
    v.run(&[
        "implement",
        "2026-001",
        "--note",
        "施工单位进场",
        "--date",
        "2026-04-27",
    ])
    .ok();
    v.run(&["check"]).ok();
    let bundle = v.dir.path().join("b.zip");
    v.run(&["export", "--all", "-o", path_str(&bundle)]).ok();
    let o = v.run(&["verify", path_str(&bundle), "--json"]);
    assert_eq!(o.code, 0, "{}", o.stdout);
}

/// The README's session typed as it stands, months after the meetings: a scan of the
/// sheets attached without `--date` (so dated the day it is entered) and one household
/// recorded without `--date`. The scan does not hold the resolution back; the undated
/// consent does, and the refusal names the household and how to put it right — which then
/// works. (Both used to leave the matter stuck for good, or recorded under a false date.)
#[test]
fn an_undated_scan_or_consent_entered_later_does_not_leave_the_matter_stuck() {
    let v = matter_until("consented");
    let scan = v.write("page20.pdf", b"scan of page 20");
    v.run(&[
        "consult",
        "2026-001",
        "attach",
        path_str(&scan),
        "--pages",
        "20",
    ])
    .ok();
    let people = v.people();
    let p = people.iter().find(|p| p.status == "在村").unwrap();
    let record = |date: &[&str]| {
        let mut a = vec![
            "consult",
            "2026-001",
            "record",
            &p.household,
            "--consent",
            "--signer",
            &p.name,
            "--sheet-page",
            "20",
        ];
        a.extend_from_slice(date);
        let o = v.run(&a);
        o.ok();
        o.stdout.clone()
    };
    record(&[]);
    let e = v.refused(3, &RESOLVE);
    let today = &v.now[..10];
    assert!(
        e.contains(&format!("户 {} 的民议意见日期是 {today}", p.household))
            && e.contains("本步日期 2026-04-25 不能早于它")
            && e.contains(&format!("liuyi consult 2026-001 record {}", p.household))
            && e.contains("--date 正确日期"),
        "{e}"
    );
    let out = record(&["--date", "2026-03-25"]);
    // The secretary is told the new record stands in the place of the earlier one.
    assert!(
        out.contains(&format!(
            "{} 在本轮已有记录（{today}，同意，签字人 {}），现以本次登记为准。",
            p.household, p.name
        )),
        "{out}"
    );
    // The same command once more: nothing recorded (it appended a second identical
    // entry), said so, and the database unchanged.
    let before = v.db_bytes();
    let out = record(&["--date", "2026-03-25"]);
    assert!(
        out.contains(&format!(
            "户号 {} 的意见已照样录入过，未重复记录",
            p.household
        )),
        "{out}"
    );
    assert_eq!(v.db_bytes(), before);
    v.run(&RESOLVE).ok();
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(show["stage"], "resolution", "{show:#}");
    v.run(&["check"]).ok();
}

/// A consent file saved from Excel with the 户号 column as numbers (`1` for `0001`): every
/// row is refused, each naming the household it stands for and how to keep the zeros.
#[test]
fn a_consent_file_whose_household_numbers_lost_their_zeros_says_which_was_meant() {
    let v = matter_until("consultation");
    let people = v.people();
    let csv = liuyi::demo::consent_csv(&people, &collector(&people), "2026-03-25", None);
    let mut lines = csv.lines();
    let mut stripped = format!("{}\n", lines.next().unwrap());
    for l in lines {
        let (h, rest) = l.split_once(',').unwrap();
        stripped += &format!("{},{rest}\n", h.trim_start_matches('0'));
    }
    let f = v.write("excel.csv", stripped.as_bytes());
    let e = v.refused(3, &["consult", "2026-001", "import", path_str(&f)]);
    assert!(
        e.contains("第 2 行：户号 1 不在事项 2026-001 本轮民议范围内；范围内有户号 0001，是否少了前面的 0？")
            && e.contains("请把户号列设为“文本”格式"),
        "{e}"
    );
}

/// A funding text that names an amount for every source must add up to the budget: the
/// notice prints each source with its amount, so figures that do not add up are refused
/// (exit 2, nothing recorded), saying by how much; one that adds up is recorded.
#[test]
fn funding_amounts_that_do_not_add_up_to_the_budget_are_refused() {
    let v = matter_until("proposal");
    let discuss = |funding: &str| {
        vec![
            "discuss".to_string(),
            "2026-001".into(),
            "--present".into(),
            "7".into(),
            "--decision".into(),
            "adopt".into(),
            "--budget".into(),
            "326000".into(),
            "--funding".into(),
            funding.into(),
            "--date".into(),
            "2026-03-10".into(),
        ]
    };
    let args = discuss("一事一议财政奖补200000元；村集体经济收入100000元");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let e = v.refused(2, &args);
    assert!(
        e.contains("一事一议财政奖补")
            && e.contains("300,000.00")
            && e.contains("326,000.00")
            && e.contains("26,000.00")
            && e.contains("--funding"),
        "{e}"
    );
    // A total stated first is the text's total: its parts must make it up, and it the
    // budget.
    let args = discuss("总投资300000元，其中一事一议财政奖补200000元，村集体经济收入100000元");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let e = v.refused(2, &args);
    assert!(e.contains("300,000.00") && e.contains("26,000.00"), "{e}");
    // Amounts with no budget (the motion's estimate is no budget): refused, with the
    // budget they make.
    let mut no_budget = discuss("一事一议财政奖补30000元；村集体经济收入25000元");
    no_budget.drain(6..8);
    let args: Vec<&str> = no_budget.iter().map(String::as_str).collect();
    let e = v.refused(2, &args);
    assert!(
        e.contains("合计 ¥55,000.00") && e.contains("--budget 55000"),
        "{e}"
    );
    // Amounts for some sources only, or in words: the notice could not print them source
    // by source (it printed the whole text beside the whole budget). Refused, naming the
    // part, and nothing recorded.
    let before = v.db_bytes();
    for (funding, says) in [
        (
            "财政奖补200000元，集体投工投劳",
            &["“集体投工投劳”没有写金额", "--plan-file"][..],
        ),
        (
            "财政奖补二十万元，集体十二万六千元",
            &["“财政奖补二十万元”，金额的写法公告读不出", "半角阿拉伯数字"],
        ),
        (
            "财政奖补２０００００元；村集体１２６０００元",
            &["“财政奖补２０００００元”，金额的写法公告读不出"],
        ),
        (
            "财政奖补200,000元；村集体126,000元",
            &["“财政奖补200,000元”，金额里的千位逗号"],
        ),
    ] {
        let args = discuss(funding);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let e = v.refused(2, &args);
        assert!(says.iter().all(|s| e.contains(s)), "{e}");
    }
    let mut en = vec!["--lang".to_string(), "en".into()];
    en.extend(discuss("state subsidy 200000 yuan; collective 126000 yuan"));
    let args: Vec<&str> = en.iter().map(String::as_str).collect();
    let e = v.refused(2, &args);
    assert!(
        e.contains("\"state subsidy 200000 yuan\", the notice cannot read the amount"),
        "{e}"
    );
    assert!(v.db_bytes() == before, "a refusal changed the database");
    let args = discuss("总投资326000元，其中一事一议财政奖补200000元，村集体经济收入126000元");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = v.run(&args);
    o.ok();
    assert!(!o.stderr.contains("资金来源"), "{}", o.stderr);
}

/// An objection to a posted result is pending until answered: `status` lists the matter
/// with the reply to make (text and JSON), and drops it once answered.
#[test]
fn status_lists_an_unanswered_objection_to_a_posted_result() {
    let v = matter_until("result_published");
    assert!(v.run(&["status"]).ok().stdout.contains("没有待办事项"));
    v.run(&[
        "objection",
        "2026-001",
        "--from",
        "梁静红",
        "--text",
        "决算有疑问",
    ])
    .ok();
    let out = v.run(&["status"]).ok().stdout.clone();
    assert!(
        out.contains("2026-001")
            && out.contains("liuyi objection 2026-001 reply 1")
            && out.contains("未答复异议：第 1 条"),
        "{out}"
    );
    let j = v.run(&["status", "--json"]).ok().json();
    let item = &j["proposals"][0];
    assert_eq!(item["next"], "reply", "{j}");
    // An objection that does not exist is bad input (exit 2), as a matter that does not.
    let e = v.refused(
        2,
        &["objection", "2026-001", "reply", "9", "--text", "已答复"],
    );
    assert!(e.contains("没有第 9 条异议"), "{e}");
    assert_eq!(item["unanswered_objections"], serde_json::json!([1]), "{j}");
    v.run(&[
        "objection",
        "2026-001",
        "reply",
        "1",
        "--text",
        "已复核票据",
    ])
    .ok();
    assert!(v.run(&["status"]).ok().stdout.contains("没有待办事项"));
    assert!(v.run(&["status", "--json"]).ok().json()["proposals"][0]["next"].is_null());
}

/// An objection to the posted resolution left unanswered when the matter is completed or
/// withdrawn: `status` sends the secretary to answer it (it sent them to `publish result`,
/// refused until then, and a withdrawn matter's objection could never be answered), and
/// the answer is recorded.
#[test]
fn an_objection_is_answered_after_completion_and_after_withdrawal() {
    for until in ["completed", "withdrawn"] {
        let v = matter_until("resolution_published");
        v.run(&[
            "objection",
            "2026-001",
            "--from",
            "梁静红",
            "--text",
            "施工占道",
        ])
        .ok();
        if until == "completed" {
            let o = v.run(&[
                "complete",
                "2026-001",
                "--spent",
                "320000",
                "--accepted-by",
                "王建国",
                "--supervision",
                "同意",
                "--contractor",
                "某公司",
                "--procurement",
                "比选",
            ]);
            o.ok();
            // Its next step is the answer (it named `publish result`, refused until then).
            assert!(
                o.stdout
                    .contains("下一步：liuyi objection 2026-001 reply 1"),
                "{}",
                o.stdout
            );
        } else {
            v.run(&["withdraw", "2026-001", "--reason", "资金不到位"])
                .ok();
            // No new objection is taken on a withdrawn matter.
            v.refused(
                3,
                &[
                    "objection",
                    "2026-001",
                    "--from",
                    "梁静红",
                    "--text",
                    "又一条",
                ],
            );
        }
        let j = v.run(&["status", "--json"]).ok().json();
        assert_eq!(j["proposals"][0]["next"], "reply", "{until}: {j}");
        let out = v.run(&["status"]).ok().stdout.clone();
        assert!(
            out.contains("liuyi objection 2026-001 reply 1"),
            "{until}: {out}"
        );
        // `show` says the same.
        let j = v.run(&["show", "2026-001", "--json"]).ok().json();
        assert_eq!(j["next"], "reply", "{until}: {j}");
        let out = v.run(&["show", "2026-001"]).ok().stdout.clone();
        assert!(
            out.contains("下一步：liuyi objection 2026-001 reply 1"),
            "{until}: {out}"
        );
        v.run(&[
            "objection",
            "2026-001",
            "reply",
            "1",
            "--text",
            "已协调施工方",
        ])
        .ok();
        let j = v.run(&["status", "--json"]).ok().json();
        let next = &j["proposals"][0]["next"];
        match until {
            "completed" => assert_eq!(next, "publish_result", "{j}"),
            _ => assert!(next.is_null(), "{j}"),
        }
        v.run(&["check"]).ok();
    }
}

/// Money heard of as it happens: implementation spending recorded past the budget, a
/// final cost below what was recorded as spent, and a completion without the supervision
/// committee's opinion (which the result notice prints) are each recorded with a note
/// saying so; the usual completion gets none.
#[test]
fn spending_past_the_budget_a_final_below_it_and_no_supervision_opinion_are_noted() {
    let v = matter_until("resolution_published");
    let implement = |spent: &str, date: &str| {
        v.run(&[
            "implement",
            "2026-001",
            "--note",
            "付款",
            "--spent",
            spent,
            "--date",
            date,
        ])
        .ok()
        .stderr
        .clone()
    };
    let e = implement("300000", "2026-05-20");
    assert!(!e.contains("超出预算"), "{e}");
    let e = implement("30000", "2026-06-20");
    assert!(
        e.contains("已登记的实施支出合计 ¥330,000.00，超出预算 ¥326,000.00"),
        "{e}"
    );
    let o = v
        .run(&[
            "complete",
            "2026-001",
            "--spent",
            "320000",
            "--accepted-by",
            "王建国",
            "--date",
            "2026-08-15",
        ])
        .ok()
        .stderr
        .clone();
    assert!(
        o.contains("决算 ¥320,000.00 少于事项 2026-001 实施中已登记的支出合计 ¥330,000.00")
            && o.contains("--supervision"),
        "{o}"
    );
    let v = matter_until("resolution_published");
    let o = v
        .run(&[
            "complete",
            "2026-001",
            "--spent",
            "318500",
            "--accepted-by",
            "王建国",
            "--supervision",
            "工程质量合格",
            "--contractor",
            "平安县路桥公司",
            "--procurement",
            "村民代表会议比选",
            "--spent-by",
            "财政奖补=200000",
            "--spent-by",
            "村集体经济收入=118500",
            "--date",
            "2026-08-15",
        ])
        .ok()
        .stderr
        .clone();
    assert!(!o.contains("提醒"), "{o}");
}

/// An import row that changes what a household said earlier in the round stands in its
/// place, and the import says so, naming the household and the change (as `record` does).
#[test]
fn an_import_that_changes_a_recorded_opinion_says_whose() {
    let v = matter_until("consultation");
    let people = v.people();
    let csv = liuyi::demo::consent_csv(&people, &collector(&people), "2026-03-25", None);
    let first = csv.lines().nth(1).unwrap().to_string();
    let household = first.split(',').next().unwrap().to_string();
    let signer = first.split(',').nth(1).unwrap().to_string();
    v.run(&[
        "consult",
        "2026-001",
        "record",
        &household,
        "--object",
        "占地",
        "--signer",
        &signer,
        "--date",
        "2026-03-20",
    ])
    .ok();
    let f = v.write("c.csv", csv.as_bytes());
    let out = v
        .run(&["consult", "2026-001", "import", path_str(&f)])
        .ok()
        .stdout
        .clone();
    assert!(
        out.contains("其中 1 户改变了本轮原登记的意见")
            && out.contains(&format!("{household}（反对→同意）")),
        "{out}"
    );
}

/// The proof that the result notice was posted, recorded after the matter closed (the result
/// published): `check` still passes. It compared the snapshot row with the matter as it
/// closed, objections and last date aside, and reported the step the proof adds as an
/// edited row (E-PROJ), telling the secretary to stop recording.
#[test]
fn a_proof_posted_after_the_result_keeps_the_record_checking() {
    let v = matter_until("result_published");
    let photo = v.write("board.jpg", b"photo of the result notice on the board");
    v.run(&["check"]).ok();
    v.run(&["posted", "2026-001", "result", "--attach", path_str(&photo)])
        .ok();
    v.run(&["check"]).ok();
    // And an objection after it, then its reply: still one record.
    v.run(&[
        "objection",
        "2026-001",
        "--from",
        "村民甲",
        "--text",
        "路面有裂缝",
    ])
    .ok();
    v.run(&[
        "objection",
        "2026-001",
        "reply",
        "1",
        "--text",
        "已安排修补",
    ])
    .ok();
    v.run(&[
        "posted",
        "2026-001",
        "resolution",
        "--attach",
        path_str(&photo),
    ])
    .ok();
    v.run(&["check"]).ok();
}

/// `complete` without the final cost by source, when the plan names two, and without the
/// contractor: told that the result notice prints the total only and "—" (given all of
/// them, nothing is said: `spending_past_the_budget_…`).
#[test]
fn complete_says_what_the_result_notice_will_lack() {
    let v = matter_until("implementation");
    let o = v.run(&[
        "complete",
        "2026-001",
        "--spent",
        "318500",
        "--accepted-by",
        "镇建设办李工,王建国",
        "--supervision",
        "同意",
        "--date",
        "2026-08-15",
    ]);
    o.ok();
    assert!(
        o.stderr
            .contains("决算没有按资金来源分列（--spent-by 来源=金额）")
            && o.stderr.contains("施工单位（--contractor）或其确定方式"),
        "{}",
        o.stderr
    );
}

/// The contractor an implementation step recorded is the one the result notice prints:
/// `complete` without `--contractor` then does not say the notice prints "—" for it (it
/// did, and the secretary typed it again), only that how it was chosen is not given.
#[test]
fn complete_knows_the_contractor_implementation_recorded() {
    let v = matter_until("resolution_published");
    v.run(&[
        "implement",
        "2026-001",
        "--note",
        "施工单位进场",
        "--contractor",
        "平安县路桥工程有限公司",
        "--date",
        "2026-05-20",
    ])
    .ok();
    let complete = |extra: &[&str]| {
        let mut args = vec![
            "complete",
            "2026-001",
            "--spent",
            "318500",
            "--spent-by",
            "财政奖补=200000",
            "--spent-by",
            "村集体经济收入=118500",
            "--accepted-by",
            "镇建设办李工,王建国",
            "--supervision",
            "同意",
            "--date",
            "2026-08-15",
        ];
        args.extend_from_slice(extra);
        v.run(&args)
    };
    let o = complete(&["--procurement", "公开比选"]);
    assert!(!o.ok().stderr.contains("--contractor"), "{}", o.stderr);
}

/// What a step's output says comes next, besides the next stage: after the resolution
/// notice, the work's progress and the proof of posting (only `complete` was named, and
/// `implement` and `posted` never); after a revision, where the matter went back to (it
/// read as 「提议」 only).
#[test]
fn the_next_steps_name_what_may_come_before_the_next_stage() {
    let v = matter_until("resolution");
    let out = v.dir.path().join("n.pdf");
    let o = v.run(&[
        "publish",
        "2026-001",
        "resolution",
        "--date",
        "2026-04-26",
        "-o",
        path_str(&out),
    ]);
    let said = o.ok().stdout.clone();
    assert!(
        said.contains("下一步：liuyi complete 2026-001")
            && said.contains("liuyi implement 2026-001 --note 进展情况")
            && said.contains("liuyi posted 2026-001 resolution --attach 照片"),
        "{said}"
    );
    let v = matter_until("review");
    let o = v.run(&["--lang", "en", "revise", "2026-001", "--reason", "方案调整"]);
    assert!(
        o.ok()
            .stdout
            .contains("sent back to discussion: matter 2026-001"),
        "{}",
        o.stdout
    );
}

/// A 页码 that is not where the sheet prints the household's row (a typo) was taken without
/// a word, and once those pages were scanned the consent counted as evidenced by the wrong
/// sheet. It is recorded (a sheet printed by an earlier liuyi may page otherwise) and said,
/// with the page the row is printed on; a page beyond the sheet (page 99 of a sheet that
/// has fewer) is refused (exit 2).
#[test]
fn a_sheet_page_off_the_printed_sheet_is_said() {
    let v = matter_until("consultation");
    let people = v.people();
    let p = people.iter().find(|p| p.status == "在村").unwrap();
    let record = |page: &str| {
        v.run(&[
            "consult",
            "2026-001",
            "record",
            &p.household,
            "--consent",
            "--signer",
            &p.name,
            "--sheet-page",
            page,
            "--date",
            "2026-03-20",
        ])
    };
    let o = record("99");
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("页码 99 超出事项 2026-001 本轮民议签字表"),
        "{}",
        o.stderr
    );
    let o = record("2");
    let said = o.ok().stderr.clone();
    assert!(
        said.contains(&format!("{} 登记为第 2 页，签字表上在第 1 页", p.household)),
        "{said}"
    );
    // The page the row is printed on: nothing said.
    let o = record("1");
    assert!(!o.ok().stderr.contains("登记为第"), "{}", o.stderr);
}

/// The work started and completed with a villager's objection unanswered, and the
/// secretary heard of it first when the result notice was refused: each step of the work
/// says so, until it is answered.
#[test]
fn the_work_is_told_of_an_unanswered_objection() {
    let v = matter_until("resolution_published");
    v.run(&[
        "objection",
        "2026-001",
        "--from",
        "0007:村民",
        "--text",
        "选址离我家太近",
        "--date",
        "2026-04-27",
    ])
    .ok();
    let implement = |date: &str| {
        v.run(&[
            "implement",
            "2026-001",
            "--note",
            "施工单位进场",
            "--date",
            date,
        ])
    };
    let o = implement("2026-04-28");
    assert!(
        o.ok()
            .stderr
            .contains("事项 2026-001 还有 1 条异议未答复（第 1 条）"),
        "{}",
        o.stderr
    );
    v.run(&[
        "objection",
        "2026-001",
        "reply",
        "1",
        "--text",
        "已调整选址",
        "--date",
        "2026-04-29",
    ])
    .ok();
    let o = implement("2026-04-30");
    assert!(!o.ok().stderr.contains("异议未答复"), "{}", o.stderr);
}

/// The sheet the collectors carried is the one printed when the round opened: a household
/// that moved out since keeps its row there. The pages were compared with a sheet printed
/// now, without it, so a right page was called wrong (and a wrong one passed); the sheet
/// printed now is that sheet again, every row on its page.
#[test]
fn sheet_pages_are_those_of_the_sheet_as_opened() {
    let v = matter_until("consultation");
    let pages_now = || {
        let store = liuyi::store::Store::open(&v.db()).unwrap();
        let replay = liuyi::check::load(&store).unwrap();
        let at = liuyi::paper::model::Verification {
            origin: "x".into(),
            log_size: 1,
            root_hex: "0".repeat(64),
        };
        let sheet = liuyi::notice::consultation_sheet(&replay.state, "2026-001", at).unwrap();
        liuyi::paper::consultation_sheet_pages(&sheet, &liuyi::paper::Fonts::bundled()).unwrap()
    };
    let printed = pages_now();
    // The first household on page 2, and two households of page 1 moving out before it.
    let (second, _) = printed.iter().find(|(_, p)| **p == 2).unwrap();
    let mut people = v.people();
    let leaving: Vec<String> = printed
        .iter()
        .filter(|(_, p)| **p == 1)
        .take(2)
        .map(|(h, _)| h.clone())
        .collect();
    for p in people.iter_mut().filter(|p| leaving.contains(&p.household)) {
        p.status = "迁出";
    }
    let f = v.write("moved.csv", liuyi::demo::roster_csv(&people).as_bytes());
    v.run(&[
        "roster",
        "import",
        path_str(&f),
        "--date",
        "2026-03-19",
        "--reason",
        "全户迁出",
    ])
    .ok();
    assert_eq!(
        pages_now(),
        printed,
        "printed now, every row stays on its page"
    );
    let signer = people
        .iter()
        .find(|p| &p.household == second && p.status == "在村" && p.relation == "户主")
        .unwrap();
    let o = v.run(&[
        "consult",
        "2026-001",
        "record",
        second,
        "--consent",
        "--signer",
        &signer.name,
        "--sheet-page",
        "2",
        "--date",
        "2026-03-20",
    ]);
    assert!(!o.ok().stderr.contains("登记为第"), "{}", o.stderr);
}

/// One funding source spent past what the plan gave it prints as 超支 on the result notice:
/// its reason is asked for, as for a total over the budget (found by review, session 28:
/// the notice printed 超支40,000.00 with no word why).
#[test]
fn a_source_spent_past_its_share_needs_a_reason() {
    let v = matter_until("resolution_published");
    let complete = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = [
            "complete",
            "2026-001",
            "--spent",
            "318500",
            "--accepted-by",
            "王建国",
            "--supervision",
            "工程质量合格",
            "--spent-by",
            "财政奖补=250000",
            "--spent-by",
            "村集体经济收入=68500",
            "--date",
            "2026-08-15",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let before = v.db_bytes();
    let args = complete(&[]);
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let e = v.refused(2, &a);
    assert!(
        e.contains("资金来源“财政奖补”实际支出 ¥250,000.00 超出方案所列 ¥200,000.00")
            && e.contains("--overspend-reason"),
        "{e}"
    );
    assert_eq!(v.db_bytes(), before);
    let args = complete(&["--overspend-reason", "材料涨价，经村民代表会议同意调剂"]);
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    v.run(&a).ok();
    // The result notice prints it beside that source's 超支 (it did only beside a total
    // over the budget).
    let pdf = v.dir.path().join("result.pdf");
    v.run(&[
        "publish",
        "2026-001",
        "result",
        "--days",
        "15",
        "--date",
        "2026-08-20",
        "-o",
        path_str(&pdf),
    ])
    .ok();
    let text = crate::gacha::pages_of(&std::fs::read(&pdf).unwrap()).concat();
    assert!(
        text.contains("超支原因：材料涨价，经村民代表会议同意调剂。"),
        "{text}"
    );
}

/// A representatives' meeting whose makeup falls short of 组织法 Art. 29 (representatives
/// four fifths of its members, women representatives a third) is recorded, and the
/// secretary is told, with the numbers (found by review, session 28: nothing was said).
#[test]
fn a_representatives_meeting_short_of_its_legal_makeup_is_said() {
    let v = matter_until("consented");
    // The demo village's assembly meets both: nothing said.
    let ok = v.dir.path().join("ok.db");
    std::fs::copy(v.db(), &ok).unwrap();
    let o = run_on(&ok, &v.key(), &[("LIUYI_NOW", v.now.as_str())], &RESOLVE);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stderr.contains("第二十九条"), "{}", o.stderr);
    // Twenty representatives step down: 13 members, 8 representatives.
    let mut people = v.people();
    let mut n = 0;
    for p in people.iter_mut().filter(|p| p.representative) {
        if n < 20 {
            p.representative = false;
            n += 1;
        }
    }
    let csv = v.write("r.csv", liuyi::demo::roster_csv(&people).as_bytes());
    v.run(&[
        "roster",
        "import",
        path_str(&csv),
        "--date",
        "2026-04-20",
        "--reason",
        "换届",
    ])
    .ok();
    let o = v.run(&[
        "resolve",
        "2026-001",
        "--body",
        "representatives",
        "--present",
        "13",
        "--for",
        "12",
        "--against",
        "1",
        "--abstain",
        "0",
        "--date",
        "2026-04-25",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("组成人员 13 人，其中村民代表 8 人")
            && o.stderr.contains("五分之四以上（至少 11 人）"),
        "{}",
        o.stderr
    );
    v.run(&["check"]).ok();
}
