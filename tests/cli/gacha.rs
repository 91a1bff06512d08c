//! A pastoral gacha of 20 households with a long name (巴音查干嘎查), walked through its
//! first matter as its secretary would: the paper a review found wrong there (the
//! verification block alone on a last page, a doubled full stop, the 民议 sheet's pages
//! after a household left its scope, a page beyond the sheet).

use crate::harness::*;

/// Text of each page of `pdf`, whitespace removed.
pub fn pages_of(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let n = doc.get_pages().len() as u32;
    (1..=n)
        .map(|p| {
            doc.extract_text(&[p])
                .unwrap()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        })
        .collect()
}

/// The roster: five officers and fifteen herders, each a household of one.
fn roster() -> String {
    let mut csv = String::from("户号,姓名,与户主关系,性别,出生日期,党员,村民代表,两委,状态\n");
    csv.push_str("0001,巴特尔,户主,男,1970-01-01,是,否,支委,在村\n");
    csv.push_str("0002,其其格,户主,女,1972-02-02,是,否,两委,在村\n");
    csv.push_str("0003,乌力吉,户主,男,1975-03-03,是,否,支委,在村\n");
    csv.push_str("0004,萨仁,户主,女,1980-04-04,否,是,村委,在村\n");
    csv.push_str("0005,额尔敦,户主,男,1982-05-05,否,是,,在村\n");
    for i in 6..=20 {
        csv.push_str(&format!("{i:04},牧民{i},户主,男,1985-01-01,否,否,,在村\n"));
    }
    csv
}

/// The head of household `h` (0001 to 0020).
pub fn head(h: u32) -> String {
    ["巴特尔", "其其格", "乌力吉", "萨仁", "额尔敦"]
        .get(h as usize - 1)
        .map(|s| s.to_string())
        .unwrap_or_else(|| format!("牧民{h}"))
}

/// Runs `args` on `v` at 09:00 on `day`, expecting success.
pub fn on(v: &mut Village, day: &str, args: &[&str]) -> Out {
    v.now = format!("{day}T09:00:00+08:00");
    let o = v.run(args);
    o.ok();
    o
}

/// The gacha with matter 2026-001 (草场围栏建设) at 民议, opened on 2026-02-05.
pub fn at_consultation() -> Village {
    let mut v = Village::empty();
    on(
        &mut v,
        "2026-01-05",
        &[
            "init",
            "--village",
            "巴音查干嘎查",
            "--township",
            "明安图镇",
            "--county",
            "正镶白旗",
            "--supervisor",
            "其木格",
            "--phone",
            "0479-1234567",
        ],
    );
    let csv = v.write("roster.csv", roster().as_bytes());
    let csv = path_str(&csv).to_string();
    on(
        &mut v,
        "2026-01-05",
        &["roster", "import", &csv, "--date", "2026-01-05"],
    );
    let steps: [(&str, &[&str]); 5] = [
        (
            "2026-02-01",
            &[
                "motion",
                "--title",
                "草场围栏建设",
                "--text",
                "围栏",
                "--by",
                "巴特尔",
                "--category",
                "public_works",
                "--date",
                "2026-02-01",
            ],
        ),
        (
            "2026-02-02",
            &[
                "propose",
                "2026-001",
                "--present",
                "3",
                "--decision",
                "adopt",
                "--date",
                "2026-02-02",
            ],
        ),
        (
            "2026-02-03",
            &[
                "discuss",
                "2026-001",
                "--present",
                "4",
                "--decision",
                "adopt",
                "--budget",
                "50000",
                "--funding",
                "嘎查集体经济收入50000元",
                "--date",
                "2026-02-03",
            ],
        ),
        (
            "2026-02-04",
            &[
                "review",
                "2026-001",
                "--present",
                "3",
                "--for",
                "3",
                "--against",
                "0",
                "--abstain",
                "0",
                "--date",
                "2026-02-04",
            ],
        ),
        (
            "2026-02-05",
            &["consult", "2026-001", "open", "--date", "2026-02-05"],
        ),
    ];
    for (day, args) in steps {
        on(&mut v, day, args);
    }
    v
}

/// Every household's consent recorded on 2026-02-08 with its page of the sheet printed at
/// the opening (`pages`: household → page), and the scan of its pages attached.
pub fn all_consent(v: &mut Village, households: &[u32], pages: &dyn Fn(u32) -> u32) {
    let scan = v.write("sheet-scan.txt", b"scan");
    let scan = path_str(&scan).to_string();
    let last = households
        .iter()
        .map(|h| pages(*h))
        .max()
        .unwrap()
        .to_string();
    on(
        v,
        "2026-02-08",
        &[
            "consult",
            "2026-001",
            "attach",
            &scan,
            "--pages",
            &format!("1-{last}"),
            "--date",
            "2026-02-08",
        ],
    );
    for &h in households {
        let (id, who, page) = (format!("{h:04}"), head(h), pages(h).to_string());
        on(
            v,
            "2026-02-08",
            &[
                "consult",
                "2026-001",
                "record",
                &id,
                "--consent",
                "--signer",
                &who,
                "--sheet-page",
                &page,
                "--date",
                "2026-02-08",
            ],
        );
    }
}

/// The page of the sheet printed at the opening each household's row is on, read from it.
pub fn sheet_pages(pdf: &[u8]) -> impl Fn(u32) -> u32 {
    let pages = pages_of(pdf);
    move |h| {
        let row = format!("{h:04}{}", head(h));
        pages
            .iter()
            .position(|p| p.contains(&row))
            .expect("every row printed") as u32
            + 1
    }
}

/// Prints `form 2026-001 consultation` to `name` and returns it.
pub fn sheet(v: &Village, name: &str) -> Vec<u8> {
    let out = v.dir.path().join(name);
    v.run(&["form", "2026-001", "consultation", "-o", path_str(&out)])
        .ok();
    std::fs::read(&out).unwrap()
}

/// The gacha's matter resolved (2026-02-10) and its resolution notice posted (2026-02-11).
pub fn resolved() -> Village {
    let mut v = at_consultation();
    let opened = sheet(&v, "sheet-at-opening.pdf");
    all_consent(&mut v, &(1..=20).collect::<Vec<_>>(), &sheet_pages(&opened));
    on(
        &mut v,
        "2026-02-10",
        &[
            "resolve",
            "2026-001",
            "--body",
            "representatives",
            "--present",
            "3",
            "--for",
            "3",
            "--against",
            "0",
            "--abstain",
            "0",
            "--text",
            "同意建设。",
            "--date",
            "2026-02-10",
        ],
    );
    let out = v.dir.path().join("resolution.pdf");
    on(
        &mut v,
        "2026-02-11",
        &[
            "publish",
            "2026-001",
            "resolution",
            "--date",
            "2026-02-11",
            "-o",
            path_str(&out),
        ],
    );
    v
}

/// Completes the matter on 2026-03-01 with `flags` besides the cost and the acceptance, and
/// posts its result notice on 2026-03-02: the PDF.
pub fn result_notice(v: &mut Village, flags: &[&str]) -> Vec<u8> {
    let mut args = vec![
        "complete",
        "2026-001",
        "--spent",
        "50000",
        "--accepted-by",
        "其其格",
        "--contractor",
        "某建筑公司",
        "--procurement",
        "比选",
        "--date",
        "2026-03-01",
    ];
    args.extend_from_slice(flags);
    on(v, "2026-03-01", &args);
    let out = v.dir.path().join("result.pdf");
    on(
        v,
        "2026-03-02",
        &[
            "publish",
            "2026-001",
            "result",
            "--date",
            "2026-03-02",
            "-o",
            path_str(&out),
        ],
    );
    std::fs::read(&out).unwrap()
}

/// The review's case: the supervision committee's opinion of 160 characters fills the
/// result notice's second page to where the verification block, too wide to sit beside
/// 巴音查干嘎查村务监督委员会, went to a third page of its own (核验信息…, the QR code and
/// nothing else). From 2026.13 the notice's ending — 特此公告, the issuers, the date and the
/// block — is on one page, and the notice re-prints to the same bytes.
#[test]
fn the_verification_block_is_on_the_issuers_page() {
    let mut v = resolved();
    let opinion: String = "工程质量合格，资金使用规范"
        .repeat(20)
        .chars()
        .take(160)
        .collect();
    let pdf = result_notice(
        &mut v,
        &["--delivered", "草场围栏10公里", "--supervision", &opinion],
    );
    let pages = pages_of(&pdf);
    let last = pages.last().unwrap();
    for what in [
        "特此公告",
        "巴音查干嘎查村民委员会",
        "巴音查干嘎查村务监督委员会",
        "2026年3月2日",
        "核验信息（村务记录）",
        "扫码或用liuyiverify核对",
    ] {
        assert!(
            last.contains(what),
            "{what} not on the last page: {pages:#?}"
        );
    }
    let again = v.dir.path().join("again.pdf");
    v.run(&["notice", "2026-001", "result", "-o", path_str(&again)])
        .ok();
    assert_eq!(std::fs::read(&again).unwrap(), pdf);
    v.run(&["check"]).ok();
}

/// What was delivered, written as a sentence (草场围栏10公里。), is printed with its own full
/// stop only: the result notice printed 草场围栏10公里。。 (2026.12).
#[test]
fn a_delivered_text_ending_with_a_full_stop_is_not_stopped_twice() {
    let mut v = resolved();
    let pdf = result_notice(
        &mut v,
        &["--delivered", "草场围栏10公里。", "--supervision", "同意。"],
    );
    let text = pages_of(&pdf).concat();
    assert!(
        text.contains("建设（实施）内容：草场围栏10公里。完工日期"),
        "{text}"
    );
    assert!(text.contains("确定方式：比选。二、"), "{text}");
    assert!(!text.contains("。。"), "{text}");
}

/// The review's case: household 0020 moves out during 民议 with a long reason. The sheet
/// printed again and the page check of `consult record` are the sheet printed when the
/// round opened: 0015 stays on its page (the check said page 2 of a sheet that printed it
/// on page 1, and the re-print moved it there too, under a note naming who left), and
/// 0020 keeps its row, marked 已退出征求范围, with the same round, snapshot and checksum.
#[test]
fn the_sheet_printed_again_pages_as_the_one_signed() {
    let mut v = at_consultation();
    let opened = sheet(&v, "sheet-at-opening.pdf");
    let at_opening = sheet_pages(&opened);
    let moved = roster().replace(
        "0020,牧民20,户主,男,1985-01-01,否,否,,在村",
        "0020,牧民20,户主,男,1985-01-01,否,否,,迁出",
    );
    let moved = v.write("roster2.csv", moved.as_bytes());
    let moved = path_str(&moved).to_string();
    on(
        &mut v,
        "2026-02-06",
        &[
            "roster",
            "import",
            &moved,
            "--date",
            "2026-02-06",
            "--reason",
            "0020户牧民20一家四口于2026年2月6日全户迁往锡林浩特市定居，户口已随迁，承包草场由嘎查依法收回另行发包，经嘎查两委会议研究确认",
        ],
    );
    let page = at_opening(15).to_string();
    let o = on(
        &mut v,
        "2026-02-07",
        &[
            "consult",
            "2026-001",
            "record",
            "0015",
            "--consent",
            "--signer",
            "牧民15",
            "--sheet-page",
            &page,
            "--date",
            "2026-02-07",
        ],
    );
    assert!(!o.stderr.contains("页码不符"), "{}", o.stderr);
    let again = sheet(&v, "sheet-again.pdf");
    let (before, after) = (pages_of(&opened), pages_of(&again));
    assert_eq!(after.len(), before.len());
    let now = sheet_pages(&again);
    for h in 1..=20 {
        assert_eq!(now(h), at_opening(h), "{h:04}");
    }
    // The page head and scope line as at the opening; 0020's row marked.
    let head = |p: &str| p[..p.find("事项编号").unwrap()].to_string();
    assert_eq!(head(&after[0]), head(&before[0]));
    let text = after.concat();
    assert!(text.contains("200020牧民20已退出征求范围"), "{text}");
    assert!(text.contains("应签户数：19户"), "{text}");
    assert!(!text.contains("锡林浩特"), "{text}");
}

/// A 页码 beyond the round's 民议 sheet (2 pages for the gacha's 20 households) is refused,
/// by `consult record --sheet-page` and by `consult import` (exit 2, naming the household
/// or the line, the page and the sheet's pages, nothing recorded): the import took page 5
/// of a 4-page sheet with a reminder, and `consult status` then asked for a scan of page 5.
#[test]
fn a_page_beyond_the_sheet_is_refused() {
    let mut v = at_consultation();
    let opened = sheet(&v, "sheet-at-opening.pdf");
    assert_eq!(pages_of(&opened).len(), 2);
    let row = sheet_pages(&opened)(15);
    let status = |v: &Village| {
        v.run(&["consult", "2026-001", "status"])
            .ok()
            .stdout
            .clone()
    };
    let before = status(&v);
    v.now = "2026-02-07T09:00:00+08:00".into();
    let o = v.run(&[
        "consult",
        "2026-001",
        "record",
        "0015",
        "--consent",
        "--signer",
        "牧民15",
        "--sheet-page",
        "5",
        "--date",
        "2026-02-07",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!(
            "页码 5 超出事项 2026-001 本轮民议签字表（共 2 页），未记录 0015 的意见。\
             请按签字纸面上的页码登记（签字表上这一户在第 {row} 页）"
        )),
        "{}",
        o.stderr
    );
    let file = v.write(
        "consents.csv",
        "户号,签字人,意见,日期,页码\n0014,牧民14,同意,2026-02-07,1\n0015,牧民15,同意,2026-02-07,5\n"
            .as_bytes(),
    );
    let o = v.run(&["consult", "2026-001", "import", path_str(&file)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!(
            "第 3 行：0015 的页码 5 超出本轮民议签字表（共 2 页）。签字表上这一户在第 {row} 页"
        )),
        "{}",
        o.stderr
    );
    assert_eq!(status(&v), before, "nothing recorded");
    assert!(!before.contains("第 5 页"), "{before}");
    // In English too.
    let o = v.run(&[
        "--lang",
        "en",
        "consult",
        "2026-001",
        "record",
        "0015",
        "--consent",
        "--signer",
        "牧民15",
        "--sheet-page",
        "3",
        "--date",
        "2026-02-07",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("page 3 is beyond matter 2026-001's 民议 sheet for this round (2 pages)"),
        "{}",
        o.stderr
    );
    // A scan of pages the sheet does not have (found by session 28's fixer: it was taken,
    // and its pages counted as covered).
    let scan = v.write("scan.txt", b"scan");
    let before = v.db_bytes();
    let o = v.run(&[
        "consult",
        "2026-001",
        "attach",
        path_str(&scan),
        "--pages",
        "2-3",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains(
            "本轮民议签字表（按开始民议时的范围打印）共 2 页，扫描件却标为第 2-3 页，未记录"
        ),
        "{}",
        o.stderr
    );
    assert_eq!(v.db_bytes(), before);
    v.run(&[
        "consult",
        "2026-001",
        "attach",
        path_str(&scan),
        "--pages",
        "1-2",
    ])
    .ok();
    // Within the sheet, recorded.
    let page = row.to_string();
    v.run(&[
        "consult",
        "2026-001",
        "record",
        "0015",
        "--consent",
        "--signer",
        "牧民15",
        "--sheet-page",
        &page,
        "--date",
        "2026-02-07",
    ])
    .ok();
}
