//! Hardening at the command line: a full disk at every point of a write, failed file writes,
//! two terminals at once, damaged and foreign database files, and real-world roster and
//! consent files (encodings, Excel, odd dates) — each failure a clean refusal that changes
//! nothing. The crash (SIGKILL) harness is in `crash.rs`.

use std::time::{Duration, Instant};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::harness::*;
use crate::matter::matter_until;

fn page_count(v: &Village) -> i64 {
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap()
}

fn consult_status(v: &Village) -> serde_json::Value {
    v.run(&["consult", "2026-001", "status", "--json"])
        .ok()
        .json()
}

fn consent_file(v: &Village) -> std::path::PathBuf {
    let people = v.people();
    let collector = collector(&people);
    v.write(
        "consents.csv",
        liuyi::demo::consent_csv(&people, &collector, "2026-03-25", None).as_bytes(),
    )
}

/// SQLite's I/O-error loop, with a full disk: the database may grow by k pages, for
/// k = 0, 1, 2, … until the write fits. Every shorter run must fail cleanly and leave the
/// database byte-identical; the first that fits must record everything.
#[test]
fn a_full_disk_at_every_point_of_a_consent_import_changes_nothing() {
    let v = matter_until("consultation");
    let file = consent_file(&v);
    let base = page_count(&v);
    let mut faults = 0;
    for extra in 0.. {
        let cap = (base + extra).to_string();
        let before = v.db_bytes();
        let o = v.run_env(
            &[("LIUYI_TEST_MAX_PAGES", &cap)],
            &["consult", "2026-001", "import", path_str(&file)],
        );
        if o.code == 0 {
            break;
        }
        faults += 1;
        assert_eq!(o.code, 1, "cap {cap}: {}", o.stderr);
        assert!(o.stderr.contains("磁盘已满"), "{}", o.stderr);
        assert!(before == v.db_bytes(), "database changed at cap {cap}");
        assert!(extra < 400, "never fits");
    }
    assert!(faults > 3, "the import needed {faults} more pages");
    eprintln!("disk-full fault points injected in one consent import: {faults}");
    v.run(&["check"]).ok();
    // Every household recorded; none counts until the sheets are attached, so each is
    // both missing and listed as lacking evidence, and the counts add up (SPEC §4).
    let s = consult_status(&v);
    assert_eq!(s["no_evidence"].as_array().unwrap().len(), 365, "{s}");
    assert_eq!(s["missing"], s["no_evidence"], "{s}");
    assert_eq!(s["consented"], 0, "{s}");
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(show["consultation"]["missing"], s["missing"]);
    let status = v.run(&["status", "--json"]).ok().json();
    assert_eq!(
        status["proposals"][0]["consultation"]["missing"],
        s["missing"]
    );
    let sheets = v.write("sheets.pdf", b"%PDF-1.4 scanned sheets");
    v.run(&[
        "consult",
        "2026-001",
        "attach",
        path_str(&sheets),
        "--pages",
        "1-20",
    ])
    .ok();
    let s = consult_status(&v);
    let count = |k: &str| s[k].as_u64().unwrap();
    assert_eq!(
        count("in_scope"),
        count("consented") + count("objected") + s["missing"].as_array().unwrap().len() as u64,
        "{s}"
    );
}

#[test]
fn a_full_disk_refuses_roster_imports_and_stages_in_both_languages() {
    let mut v = matter_until("motion");
    let mut people = v.people();
    for p in people.iter_mut().take(300) {
        p.status = "外出";
    }
    let f = v.write("r2.csv", liuyi::demo::roster_csv(&people).as_bytes());
    let full = [("LIUYI_TEST_MAX_PAGES", "1")];
    let e = v.refused_env(
        &full,
        1,
        &["roster", "import", path_str(&f), "--date", "2026-03-10"],
    );
    assert!(e.contains("磁盘已满") && e.contains("未写入"), "{e}");
    let scan = v.write("scan.pdf", &vec![7u8; 300_000]);
    v.lang = "en";
    let e = v.refused_env(
        &full,
        1,
        &[
            "propose",
            "2026-001",
            "--present",
            "5",
            "--decision",
            "adopt",
            "--date",
            "2026-03-06",
            "--attach",
            path_str(&scan),
        ],
    );
    assert!(
        e.contains("disk is full") && e.contains("nothing was written"),
        "{e}"
    );
    v.run(&["check"]).ok();
}

/// A PDF that cannot be written (full disk at create, mid-write, fsync, or link) never
/// appears under its final name, leaves no temporary file behind, and — before the link —
/// leaves the database unchanged: the posting is not recorded without its notice.
#[test]
fn a_failed_notice_write_leaves_no_file_and_records_nothing() {
    let v = matter_until("resolution");
    let out = v.dir.path().join("决议公告.pdf");
    let publish = [
        "publish",
        "2026-001",
        "resolution",
        "--days",
        "15",
        "--date",
        "2026-04-26",
        "-o",
        path_str(&out),
    ];
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(v.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let files = listing();
    for step in ["create", "write", "sync"] {
        let e = v.refused_env(&[("LIUYI_TEST_FAIL_WRITE", step)], 1, &publish);
        assert!(e.contains("决议公告.pdf"), "{step}: {e}");
        assert!(!out.exists(), "{step}: a notice under its final name");
        assert_eq!(listing(), files, "{step}: a temporary file left behind");
    }
    // The link comes after the commit: the step is recorded (and said so, `output.rs`), the
    // file is not there, and the notice can be re-printed byte-identical from the record.
    let o = v.run_env(&[("LIUYI_TEST_FAIL_WRITE", "link")], &publish);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(!out.exists());
    assert_eq!(listing(), files);
    v.run(&["check"]).ok();
    v.run(&["notice", "2026-001", "resolution", "-o", path_str(&out)])
        .ok();
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    // On a USB stick formatted FAT32 or exFAT there are no hard links: the notice is
    // renamed into place instead (it used to fail after the commit, exit 1, no PDF), and
    // still never replaces a file.
    let stick = v.dir.path().join("U盘.pdf");
    let reprint = ["notice", "2026-001", "resolution", "-o", path_str(&stick)];
    let o = v.run_env(&[("LIUYI_TEST_FAIL_WRITE", "link-unsupported")], &reprint);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(std::fs::read(&stick).unwrap(), std::fs::read(&out).unwrap());
    let e = v.refused_env(
        &[("LIUYI_TEST_FAIL_WRITE", "link-unsupported")],
        2,
        &reprint,
    );
    assert!(e.contains("U盘.pdf"), "{e}");
    // Re-prints (and forms) go through the same writer.
    let form = v.dir.path().join("再次打印.pdf");
    for step in ["create", "write", "sync", "link"] {
        let o = v.run_env(
            &[("LIUYI_TEST_FAIL_WRITE", step)],
            &["notice", "2026-001", "resolution", "-o", path_str(&form)],
        );
        assert_eq!(o.code, 1, "{step}: {}", o.stderr);
        assert!(!form.exists(), "{step}");
    }
}

/// A reading command finding the record held exclusively (another process in the middle of
/// writing it) waits the whole busy timeout, as README says, before refusing as busy. It
/// gave up after 5 s, not 10: its first read (the file's application id) came before the
/// timeout was set, under rusqlite's default of 5 s.
#[test]
fn a_command_waits_the_busy_timeout_from_its_first_read() {
    let v = matter_until("motion");
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let t = Instant::now();
    let o = v.run_env(&[("LIUYI_TEST_BUSY_MS", "1500")], &["status"]);
    let waited = t.elapsed();
    c.execute_batch("COMMIT").unwrap();
    assert_eq!(o.code, 1, "{}", o.stdout);
    assert!(
        o.stderr.contains("另一个六议命令正在使用记录库"),
        "{}",
        o.stderr
    );
    assert!(
        waited >= Duration::from_millis(1400) && waited < Duration::from_millis(4500),
        "waited {waited:?}, not the busy timeout of 1.5 s"
    );
    v.run(&["status"]).ok();
}

/// A second command while another holds the record waits for the busy timeout, then
/// refuses with exit 1 and the "another command" message; nothing changes.
#[test]
fn a_second_command_refuses_cleanly_while_another_holds_the_record() {
    let v = matter_until("motion");
    // Read the bytes before taking the lock and after releasing it: closing any other file
    // descriptor of the database in this process would drop this process's POSIX locks.
    let before = v.db_bytes();
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute_batch("BEGIN IMMEDIATE").unwrap();
    let propose = [
        "propose",
        "2026-001",
        "--present",
        "5",
        "--decision",
        "adopt",
        "--date",
        "2026-03-06",
    ];
    let t = Instant::now();
    let o = v.run_env(&[("LIUYI_TEST_BUSY_MS", "300")], &propose);
    assert_eq!(o.code, 1, "{}", o.stdout);
    assert!(
        o.stderr.contains("另一个六议命令正在使用记录库"),
        "{}",
        o.stderr
    );
    assert!(t.elapsed() >= Duration::from_millis(250), "it waited first");
    // Reading while a command holds the write lock works (rollback journal, RESERVED lock).
    v.run(&["list", "--json"]).ok();
    c.execute_batch("COMMIT").unwrap();
    drop(c);
    assert!(
        before == v.db_bytes(),
        "the refused command changed the database"
    );
    v.run(&propose).ok();
    v.run(&["check"]).ok();
}

#[test]
fn a_second_command_waits_for_the_first_to_finish() {
    let v = matter_until("motion");
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute_batch("BEGIN IMMEDIATE").unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(600));
        c.execute_batch("COMMIT").unwrap();
    });
    let t = Instant::now();
    v.run(&[
        "propose",
        "2026-001",
        "--present",
        "5",
        "--decision",
        "adopt",
        "--date",
        "2026-03-06",
    ])
    .ok();
    assert!(t.elapsed() >= Duration::from_millis(500));
    holder.join().unwrap();
    v.run(&["check"]).ok();
}

/// Two terminals recording motions at the same time: every command succeeds (the later one
/// waits), every motion is there once, with its own ID, and the record checks.
#[test]
fn two_processes_racing_lose_nothing() {
    let v = Village::with_roster();
    let head = v
        .people()
        .into_iter()
        .find(|p| p.relation == "户主" && p.birth.0 < 1990)
        .unwrap();
    let by = format!("{}:{}", head.household, head.name);
    let per_terminal = 4;
    let terminals: Vec<_> = (0..2)
        .map(|t| {
            let cmds: Vec<_> = (0..per_terminal)
                .map(|i| {
                    let title = format!("终端{t}事项{i}");
                    v.command(&[
                        "motion",
                        "--title",
                        &title,
                        "--text",
                        "说明",
                        "--by",
                        &by,
                        "--date",
                        "2026-03-02",
                    ])
                })
                .collect();
            std::thread::spawn(move || {
                cmds.into_iter()
                    .map(|mut c| c.output().unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for t in terminals {
        for o in t.join().unwrap() {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        }
    }
    let list = v.run(&["list", "--json"]).ok().json();
    let mut titles: Vec<String> = list["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), 2 * per_terminal, "{list}");
    let ids: Vec<&str> = list["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "2026-001", "2026-002", "2026-003", "2026-004", "2026-005", "2026-006", "2026-007",
            "2026-008"
        ]
    );
    v.run(&["check"]).ok();
}

#[test]
fn a_database_from_a_newer_liuyi_is_refused() {
    let v = matter_until("motion");
    rusqlite::Connection::open(v.db())
        .unwrap()
        .pragma_update(None, "user_version", liuyi::store::SCHEMA_VERSION + 1)
        .unwrap();
    let newer = (liuyi::store::SCHEMA_VERSION + 1).to_string();
    for args in [
        &["list"][..],
        &["check"],
        &["revise", "2026-001", "--reason", "x"],
    ] {
        let e = v.refused(2, args);
        assert!(e.contains("更新版本") && e.contains(&newer), "{e}");
    }
}

/// A version 1 database (before attachments_no_replace) is brought up to date by the first
/// command that opens it, and checks; after that, `INSERT OR REPLACE` of a stored file from
/// the sqlite3 tool is refused like any other rewrite.
#[test]
fn a_version_1_database_is_brought_up_to_date() {
    let v = matter_until("consented");
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute_batch("DROP TRIGGER attachments_no_replace; PRAGMA user_version = 1;")
        .unwrap();
    drop(c);
    // `check` judges the file as it finds it, and leaves it so (it used to migrate it
    // first, putting back a trigger someone may have dropped).
    let before = v.db_bytes();
    v.run(&["check"]).ok();
    assert!(v.db_bytes() == before, "check wrote to the file");
    v.run(&["list"]).ok();
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let version: i32 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, liuyi::store::SCHEMA_VERSION);
    let replaced = c.execute(
        "INSERT OR REPLACE INTO attachments(sha256, size, data) \
         SELECT sha256, 3, CAST('abc' AS BLOB) FROM attachments LIMIT 1",
        [],
    );
    assert!(
        replaced
            .unwrap_err()
            .to_string()
            .contains("attachments are immutable")
    );
    drop(c);
    v.run(&["check"]).ok();
    // Dropped again: `check` counts it missing.
    rusqlite::Connection::open(v.db())
        .unwrap()
        .execute_batch("DROP TRIGGER attachments_no_replace;")
        .unwrap();
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 4);
    assert_eq!(o.json()["problems"][0]["code"], "E-DB-TRIGGERS");
}

#[test]
fn a_missing_database_is_refused_with_what_to_do() {
    let v = Village::empty();
    let e = v.refused_missing(&["list"]);
    assert!(e.contains("liuyi init"), "{e}");
    assert!(!v.db().exists());
}

impl Village {
    /// Like `refused`, for a database that does not exist (and must not be created).
    fn refused_missing(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(o.code, 2, "{}", o.stderr);
        assert!(!self.db().exists());
        o.stderr
    }
}

/// The first problem's message of `check --json` on `v`.
fn o_message(v: &Village) -> String {
    v.run(&["check", "--json"]).json()["problems"][0]["message"].to_string()
}

/// A database cut short (a copy that stopped half-way) is reported by `check` with exit 4
/// and `E-DB-INTEGRITY`, and every other command refuses it with exit 4 without writing.
#[test]
fn a_truncated_database_is_detected() {
    let v = matter_until("review");
    let full = v.db_bytes();
    std::fs::write(v.db(), &full[..full.len() / 2]).unwrap();
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 4, "{}", o.stderr);
    assert_eq!(o.json()["problems"][0]["code"], "E-DB-INTEGRITY");
    let e = v.refused(4, &["consult", "2026-001", "open", "--date", "2026-03-18"]);
    assert!(e.contains("已损坏") && e.contains("备份"), "{e}");
    // Cut by one byte (the last page short), or a header naming a schema format no SQLite
    // writes (offset 44): the same report, where both stopped `check` with exit 1 and
    // SQLite's bare "disk I/O error" or "unsupported file format" (a sweep found them).
    let mut format5 = full.clone();
    format5[44..48].copy_from_slice(&[0, 0, 0, 5]);
    for (what, bytes) in [("short", &full[..full.len() - 1]), ("format", &format5[..])] {
        std::fs::write(v.db(), bytes).unwrap();
        let o = v.run(&["check", "--json"]);
        assert_eq!(o.code, 4, "{what}: {}", o.stderr);
        assert_eq!(o.json()["problems"][0]["code"], "E-DB-INTEGRITY", "{what}");
    }
    assert!(o_message(&v).contains("unsupported file format"));
    // The demo's record cut by one byte: its last page is read by a stream (a scan's
    // bytes), which SQLite ends with a short read, once a bare "disk I/O error" with exit 1.
    let e = Village::empty();
    let out = e.dir.path().join("demo");
    e.run(&["demo", "--out", path_str(&out)]).ok();
    let db = out.join("qinghe.db");
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&db, &bytes[..bytes.len() - 1]).unwrap();
    let o = run_on(&db, &out.join("qinghe.key"), &[], &["check", "--json"]);
    assert_eq!(o.code, 4, "{}", o.stderr);
    let m = o.json()["problems"][0]["message"].to_string();
    assert!(m.contains("short read"), "{m}");
    // No command reads a schema in a format SQLite does not know.
    let e = v.refused(4, &["list"]);
    assert!(e.contains("已损坏"), "{e}");
}

/// A database copied while a write was under way (its pages half-changed, the rollback
/// journal left behind) is detected by `check`; the same file with its hot journal beside
/// it recovers to the last committed state, byte for byte.
#[test]
fn a_copy_taken_mid_write_without_its_journal_is_detected() {
    let v = matter_until("review");
    let committed = v.db_bytes();
    let dir = v.dir.path();
    // A writer that is half-way: a tiny page cache makes SQLite spill changed pages into
    // the database file before the commit, after syncing the journal.
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute_batch(
        "PRAGMA cache_size = 1; BEGIN IMMEDIATE;
         UPDATE people SET name = name || '某' ;
         INSERT INTO attachments(sha256, size, data)
           VALUES (printf('%064d', 1), 200000, zeroblob(200000));",
    )
    .unwrap();
    let journal = dir.join("v.db-journal");
    assert!(journal.exists(), "a hot journal while the write is open");
    let torn = v.db_bytes();
    assert!(
        torn != committed,
        "pages were spilled into the database file"
    );
    std::fs::write(dir.join("copy.db"), &torn).unwrap();
    std::fs::write(dir.join("pair.db"), &torn).unwrap();
    std::fs::copy(&journal, dir.join("pair.db-journal")).unwrap();
    drop(c); // the writer gives up: rolled back
    assert!(v.db_bytes() == committed);
    v.run(&["check"]).ok();

    let at = |name: &str| {
        let mut w = Village::empty();
        w.dir = tempfile::tempdir_in(dir).unwrap();
        std::fs::copy(dir.join(name), w.db()).unwrap();
        if dir.join(format!("{name}-journal")).exists() {
            std::fs::copy(
                dir.join(format!("{name}-journal")),
                w.dir.path().join("v.db-journal"),
            )
            .unwrap();
        }
        std::fs::copy(v.key(), w.key()).unwrap();
        w
    };
    let copy = at("copy.db");
    let o = copy.run(&["check", "--json"]);
    assert_eq!(o.code, 4, "the torn copy must not check: {}", o.stdout);
    let pair = at("pair.db");
    pair.run(&["check"]).ok();
    assert!(
        pair.db_bytes() == committed,
        "the hot journal rolled it back"
    );
    pair.run(&["consult", "2026-001", "open", "--date", "2026-03-18"])
        .ok();
}

// ---- real-world input files, end to end ----

fn init(v: &Village) {
    v.run(&[
        "init",
        "--village",
        "清河村",
        "--township",
        "城关镇",
        "--county",
        "平安县",
    ])
    .ok();
}

/// The roster the way an office exports it: a header, then one line per person.
fn roster_text(
    v: &Village,
    header: &str,
    date: impl Fn((i32, u32, u32)) -> String,
    quote: bool,
) -> String {
    let mut s = format!("{header}\n");
    for p in v.people() {
        let cells = [
            p.household.clone(),
            p.name.clone(),
            p.relation.to_string(),
            if p.male { "男" } else { "女" }.to_string(),
            date(p.birth),
            p.party.to_string(),
            if p.representative { "是" } else { "否" }.to_string(),
            p.committee.to_string(),
            p.status.to_string(),
        ];
        let cells: Vec<String> = if quote {
            cells.iter().map(|c| format!("\"{c}\"")).collect()
        } else {
            cells.to_vec()
        };
        s += &cells.join(",");
        s += "\n";
    }
    s
}

const ZH: &str = "户号,姓名,与户主关系,性别,出生日期,党员,村民代表,两委,状态";
const EN: &str = "household,name,relation,sex,birth_date,party,representative,committee,status";

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
            c => c,
        })
        .collect()
}

fn roster_json(v: &Village) -> serde_json::Value {
    v.run(&["roster", "list", "--json"]).ok().json()
}

/// Every spelling of the same roster imports to the same people.
#[test]
fn real_world_roster_files_import_end_to_end() {
    let reference = Village::empty();
    init(&reference);
    let plain = roster_text(
        &reference,
        ZH,
        |(y, m, d)| format!("{y:04}-{m:02}-{d:02}"),
        false,
    );
    let f = reference.write("plain.csv", plain.as_bytes());
    reference
        .run(&["roster", "import", path_str(&f), "--date", "2026-01-05"])
        .ok();
    let expected = roster_json(&reference);
    assert!(expected["count"].as_u64().unwrap() > 700);

    let gb = |s: &str| encoding_rs::GB18030.encode(s).0.into_owned();
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("utf8-bom-crlf-blank-lines.csv", {
            let mut b = b"\xEF\xBB\xBF".to_vec();
            b.extend(plain.replace('\n', "\r\n").as_bytes());
            b.extend(b"\r\n\r\n,,,,,,,,\r\n\r\n");
            b
        }),
        (
            "gb18030-slashes.csv",
            gb(&roster_text(
                &reference,
                ZH,
                |(y, m, d)| format!("{y}/{m}/{d}"),
                false,
            )),
        ),
        (
            "full-width-dates-quoted.csv",
            roster_text(
                &reference,
                ZH,
                |(y, m, d)| full_width(&format!("{y}年{m}月{d}日")),
                true,
            )
            .into_bytes(),
        ),
        (
            "english-headers.csv",
            roster_text(&reference, EN, |(y, m, d)| format!("{y}.{m}.{d}"), false).into_bytes(),
        ),
        ("excel.xlsx", roster_xlsx(&reference, ZH, None)),
        ("excel-english.xlsx", roster_xlsx(&reference, EN, None)),
    ];
    for (name, bytes) in variants {
        let v = Village::empty();
        init(&v);
        let f = v.write(name, &bytes);
        v.run(&["roster", "import", path_str(&f), "--date", "2026-01-05"])
            .ok();
        assert_eq!(roster_json(&v), expected, "{name}");
        v.run(&["check"]).ok();
    }
}

/// The roster as a workbook: text cells, birth dates as date cells; `bad` puts a text in
/// one birth-date cell (data row index, text).
fn roster_xlsx(v: &Village, header: &str, bad: Option<(usize, &str)>) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in header.split(',').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (i, p) in v.people().iter().enumerate() {
        let r = i as u32 + 1;
        let text = [
            p.household.as_str(),
            p.name.as_str(),
            p.relation,
            if p.male { "男" } else { "女" },
        ];
        for (c, t) in text.iter().enumerate() {
            sheet.write_string(r, c as u16, *t).unwrap();
        }
        match bad {
            Some((row, t)) if row == i => {
                sheet.write_string(r, 4, t).unwrap();
            }
            _ => {
                let (y, m, d) = p.birth;
                let dt = ExcelDateTime::from_ymd(y as u16, m as u8, d as u8).unwrap();
                sheet.write_datetime_with_format(r, 4, dt, &date).unwrap();
            }
        }
        let rest = [
            p.party,
            if p.representative { "是" } else { "否" },
            p.committee,
            p.status,
        ];
        for (c, t) in rest.iter().enumerate() {
            if !t.is_empty() {
                sheet.write_string(r, c as u16 + 5, *t).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// A bad file changes nothing, and the message names the line (CSV) or the cell (XLSX).
#[test]
fn a_bad_roster_file_names_the_line_or_cell_and_changes_nothing() {
    let v = Village::with_roster();
    let mut csv = roster_text(&v, ZH, |(y, m, d)| format!("{y:04}-{m:02}-{d:02}"), false);
    // Line 7 (the header is line 1): a two-digit year.
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let cells: Vec<&str> = lines[6].split(',').collect();
    let mut cells: Vec<String> = cells.iter().map(|s| s.to_string()).collect();
    cells[4] = "65-3-2".into();
    lines[6] = cells.join(",");
    csv = lines.join("\n");
    let f = v.write("bad.csv", csv.as_bytes());
    let e = v.refused(
        2,
        &["roster", "import", path_str(&f), "--date", "2026-02-01"],
    );
    assert!(e.contains("第 7 行") && e.contains("65-3-2"), "{e}");

    // Row 6 of the sheet, column E (birth date): a text that is not a date.
    let x = v.write("bad.xlsx", &roster_xlsx(&v, ZH, Some((4, "三月初二"))));
    let e = v.refused(
        2,
        &["roster", "import", path_str(&x), "--date", "2026-02-01"],
    );
    assert!(e.contains("E6"), "{e}");
    v.run(&["check"]).ok();
}

/// A consent file in GBK with CRLF, a quoted reason holding a comma, and slashed dates
/// imports whole; one bad household among hundreds refuses the whole file by its line.
#[test]
fn real_world_consent_files_all_or_nothing() {
    let v = matter_until("consultation");
    let people = v.people();
    let collector = collector(&people);
    let good = liuyi::demo::consent_csv(&people, &collector, "2026/3/25", None);
    let lines: Vec<&str> = good.lines().collect();
    assert!(lines.len() > 300);
    // One household objects, with a reason that holds a comma.
    let objector: Vec<String> = lines[10].split(',').map(str::to_string).collect();
    let mut objecting = objector.clone();
    objecting[2] = "反对".into();
    objecting[3] = "\"路线经过我家耕地,需要另行协商\"".into();

    // First the bad file: an unknown household on line 200.
    let mut bad: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    let mut row: Vec<String> = bad[199].split(',').map(str::to_string).collect();
    row[0] = "9999".into();
    bad[199] = row.join(",");
    let f = v.write("bad.csv", bad.join("\n").as_bytes());
    let e = v.refused(3, &["consult", "2026-001", "import", path_str(&f)]);
    assert!(e.contains("200") && e.contains("9999"), "{e}");
    assert_eq!(consult_status(&v)["consented"], 0);

    let mut text: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    text[10] = objecting.join(",");
    let text = text.join("\r\n") + "\r\n\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    let f = v.write("good.csv", &gbk);
    v.run(&["consult", "2026-001", "import", path_str(&f)]).ok();
    let s = consult_status(&v);
    // Every household answered; none counts until the sheets are attached.
    assert_eq!(s["objected"], 1, "{s}");
    assert_eq!(s["missing"], s["no_evidence"], "{s}");
    assert_eq!(s["missing"].as_array().unwrap().len(), 364, "{s}");
    v.run(&["check"]).ok();
}

/// Very large and binary files are refused at once, before anything is parsed.
#[test]
fn huge_and_binary_files_are_refused_quickly() {
    let v = matter_until("consultation");
    let huge = v.dir.path().join("huge.csv");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    let mut junk = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut x: u32 = 12345;
    for _ in 0..200_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        junk.push(x as u8);
    }
    let binary = v.write("photo.csv", &junk);
    let zip_junk = v.write("fake.xlsx", &[b"PK\x03\x04".as_slice(), &junk].concat());
    for f in [&huge, &binary, &zip_junk] {
        for args in [
            vec!["roster", "import", path_str(f), "--date", "2026-02-01"],
            vec!["consult", "2026-001", "import", path_str(f)],
        ] {
            let t = Instant::now();
            let e = v.refused(2, &args);
            assert!(
                t.elapsed() < Duration::from_secs(5),
                "{args:?} took {:?}",
                t.elapsed()
            );
            assert!(!e.contains("panicked"), "{e}");
        }
    }
    let e = v.refused(2, &["roster", "import", path_str(&huge)]);
    assert!(e.contains("MB") || e.contains("字节"), "{e}");
}

// ---- every user-facing refusal: its exit code, its words, and nothing changed ----

/// Each `Usage` variant and each refusal about files, keys and paper that the other test
/// files do not already cover, against a village with a consultation open.
#[test]
fn every_usage_refusal_changes_nothing() {
    let v = matter_until("consultation");
    let head = v
        .people()
        .into_iter()
        .find(|p| p.relation == "户主" && p.birth.0 < 1990)
        .unwrap();
    let by = format!("{}:{}", head.household, head.name);
    let scan = v.write("scan.pdf", b"%PDF-1.4 scan");
    let binary = v.write("plan.txt", b"\x00\x01\x02\xff\xfe binary\x00");
    let header_only = v.write(
        "empty.csv",
        "户号,签字人,意见,理由,方式,征求人,日期,页码\r\n\r\n".as_bytes(),
    );
    let existing = v.write("exists.pdf", b"an earlier notice");
    let motion = |extra: &[&str]| {
        let mut a = vec![
            "motion",
            "--title",
            "修路",
            "--text",
            "修路",
            "--by",
            by.as_str(),
        ];
        a.extend_from_slice(extra);
        a.iter().map(|s| s.to_string()).collect::<Vec<String>>()
    };
    let cases: Vec<(i32, Vec<String>, &str)> = vec![
        (
            2,
            s(&[
                "consult",
                "2026-001",
                "attach",
                path_str(&scan),
                "--pages",
                "5-3",
            ]),
            "5-3",
        ),
        // Written as the form asks, but no such day: said so, not "use YYYY-MM-DD".
        (
            2,
            motion(&["--date", "2026-02-29"]),
            "日期“2026-02-29”没有这一天",
        ),
        // Another form of a date: refused (SPEC: YYYY-MM-DD), with what to type instead.
        (
            2,
            motion(&["--date", "2026/2/28"]),
            "日期“2026/2/28”请按 YYYY-MM-DD 写成 2026-02-28",
        ),
        (
            2,
            motion(&["--date", "２０２６年２月２８日"]),
            "写成 2026-02-28（半角数字",
        ),
        (2, motion(&["--date", "28/02/2026"]), "请用 YYYY-MM-DD"),
        (
            2,
            s(&["--lang", "fr", "list"]),
            "--lang 只能是 zh（中文）或 en（English）",
        ),
        (
            2,
            motion(&["--by", "0001:无此人"])
                .into_iter()
                .take(6)
                .chain(s(&["0001:无此人"]))
                .collect(),
            "无此人",
        ),
        (
            2,
            s(&["motion", "--title", "   ", "--text", "修路", "--by", &by]),
            "标题不能为空",
        ),
        (2, s(&["objection", "2026-001"]), "--from"),
        (
            2,
            s(&[
                "discuss",
                "2026-001",
                "--present",
                "7",
                "--decision",
                "adopt",
                "--plan-file",
                path_str(&binary),
            ]),
            "不是文本文件",
        ),
        (
            2,
            s(&["consult", "2026-001", "import", path_str(&header_only)]),
            "没有数据行",
        ),
        (
            2,
            s(&[
                "form",
                "2026-001",
                "consultation",
                "-o",
                path_str(&existing),
            ]),
            "不会覆盖",
        ),
        (
            3,
            s(&[
                "notice",
                "2026-001",
                "result",
                "-o",
                path_str(&v.dir.path().join("r.pdf")),
            ]),
            "2026-001",
        ),
        (
            2,
            s(&[
                "propose",
                "2026-009",
                "--present",
                "5",
                "--decision",
                "adopt",
            ]),
            "2026-009",
        ),
        (2, motion(&["--amount", "-5"]), "-5"),
        (
            2,
            s(&[
                "export",
                "--year",
                "2019",
                "-o",
                path_str(&v.dir.path().join("y.zip")),
            ]),
            "没有 2019 年的记录，未导出。",
        ),
    ];
    for (code, args, words) in &cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let e = v.refused(*code, &a);
        assert!(e.contains(words), "{a:?}: {e}");
    }
    assert!(!v.dir.path().join("r.pdf").exists());
    assert!(!v.dir.path().join("y.zip").exists());
    assert_eq!(std::fs::read(&existing).unwrap(), b"an earlier notice");

    // The wrong village's key, and no key at all.
    let other = Village::empty();
    init(&other);
    let wrong = path_str(&other.key()).to_string();
    let e = v.refused_env(&[("LIUYI_KEY", &wrong)], 2, &a(&motion(&[])));
    assert!(e.contains("不是本村记录的签名密钥"), "{e}");
    // Both keys by their fingerprints, as `key show` prints the village's (the record's
    // was printed as 64 hex digits, which no one can compare with a fingerprint).
    let shown = v.run(&["key", "show", "--json"]).ok().json();
    let fp = shown["fingerprint"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!fp.is_empty(), "{shown}");
    assert!(e.contains(&format!("记录中密钥的指纹 {fp}")), "{e}");
    let e = v.refused_env(&[("LIUYI_KEY", "/nonexistent/v.key")], 2, &a(&motion(&[])));
    assert!(e.contains("--key"), "{e}");
    // A file that is not a liuyi database is refused byte-for-byte untouched.
    let not_db = Village::empty();
    std::fs::write(not_db.db(), b"SQLite format 3\0 but not really").unwrap();
    not_db.refused(2, &["list"]);
    not_db.refused(2, &["check"]);
    // init refuses a bad code before creating anything.
    let fresh = Village::empty();
    let o = fresh.run(&[
        "init",
        "--village",
        "清河村",
        "--township",
        "城关镇",
        "--county",
        "平安县",
        "--code",
        "12ab",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("12ab"), "{}", o.stderr);
    assert!(!fresh.db().exists() && !fresh.key().exists());
    let o = fresh.run(&[
        "init",
        "--village",
        "  ",
        "--township",
        "城关镇",
        "--county",
        "平安县",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("不能为空"), "{}", o.stderr);
    assert!(!fresh.db().exists() && !fresh.key().exists());
    // The code is the record's identity for good (12 digits); the phone is printed on
    // every notice for objections. Both were taken as anything (`1234`, `abc`).
    let init = |extra: &[&str]| {
        let mut args = vec![
            "init",
            "--village",
            "清河村",
            "--township",
            "城关镇",
            "--county",
            "平安县",
        ];
        args.extend_from_slice(extra);
        fresh.run(&args)
    };
    for (extra, words) in [
        (&["--code", "1234"][..], "应为 12 位数字"),
        (&["--phone", "abc"][..], "电话“abc”无效"),
        (&["--phone", "1"][..], "电话“1”无效"),
    ] {
        let o = init(extra);
        assert_eq!(o.code, 2, "{extra:?}: {}", o.stderr);
        assert!(o.stderr.contains(words), "{extra:?}: {}", o.stderr);
        assert!(!fresh.db().exists() && !fresh.key().exists());
    }
    // Without an objection contact the record is made, with a note that says what the
    // notices will print and the command that records it.
    let o = init(&["--phone", "０３１１－１２３４５６７，13800138000"]);
    o.ok();
    assert!(
        o.stderr.contains("未填写 --supervisor")
            && o.stderr.contains("没有联系电话时，公告不能公开")
            && o.stderr
                .contains("liuyi supervision set --supervisor 姓名 --phone 电话"),
        "{}",
        o.stderr
    );
    v.run(&["check"]).ok();
}

fn s(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

fn a(xs: &[String]) -> Vec<&str> {
    xs.iter().map(String::as_str).collect()
}

/// Output into a pipe that is already closed (`liuyi … 2>&1 | head -1`) is not a crash:
/// the command exits with its own code (a message on stderr used to panic, exit 101).
#[test]
fn a_closed_output_pipe_does_not_crash() {
    let v = Village::empty();
    for args in [&["list"][..], &["verify", "missing.zip"]] {
        let mut child = std::process::Command::new(bin())
            .arg("--db")
            .arg(v.db())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        drop(child.stderr.take());
        let code = child.wait().unwrap().code();
        assert!(matches!(code, Some(2..=4)), "{args:?}: {code:?}");
    }
}

/// `check` compares the triggers by name, and a migration that finds its trigger already
/// made (another command migrated the file in between) completes: a version set back to 1
/// neither hides a dropped trigger nor raises a false alarm, and a trigger liuyi never
/// makes is reported by name.
#[test]
fn triggers_are_checked_by_name_whatever_the_version_says() {
    let v = matter_until("motion");
    let sql = |s: &str| {
        rusqlite::Connection::open(v.db())
            .unwrap()
            .execute_batch(s)
            .unwrap()
    };
    let problems = |v: &Village| -> Vec<(String, String)> {
        let o = v.run(&["check", "--json"]);
        o.json()["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["code"].as_str().unwrap().to_string(),
                    p["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // Every trigger there, the version said to be 1: a later version's trigger is liuyi's
    // too, nothing to report.
    sql("PRAGMA user_version = 1;");
    v.run(&["check"]).ok();
    // One dropped, the version set back so that fewer are expected: still reported.
    sql("DROP TRIGGER entries_no_update; PRAGMA user_version = 1;");
    let p = problems(&v);
    assert_eq!(p[0].0, "E-DB-TRIGGERS", "{p:?}");
    // Put back, and another added in place of one dropped: the count is right, the set not.
    sql("CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries \
         BEGIN SELECT RAISE(ABORT, 'liuyi: entries are append-only'); END;");
    v.run(&["check"]).ok();
    sql("DROP TRIGGER cosigned_no_update; \
         CREATE TRIGGER quiet AFTER INSERT ON entries BEGIN SELECT 1; END;");
    let p = problems(&v);
    assert_eq!(p[0].0, "E-DB-TRIGGERS", "{p:?}");
    assert!(
        p[0].1.contains("quiet") && p[0].1.contains("不属于本程序"),
        "{p:?}"
    );
}

#[test]
fn a_pipe_or_a_device_given_as_a_file_is_refused_at_once() {
    let v = matter_until("resolution_published");
    let fifo = v.dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Each of these waited forever for a writer (or read /dev/zero up to the size cap).
    let cases: [&[&str]; 5] = [
        // The key file too (opening it waited for a writer before reading anything).
        &[
            "--key",
            path_str(&fifo),
            "implement",
            "2026-001",
            "--note",
            "开工",
        ],
        &[
            "implement",
            "2026-001",
            "--note",
            "开工",
            "--attach",
            path_str(&fifo),
        ],
        &["roster", "import", path_str(&fifo)],
        &[
            "implement",
            "2026-001",
            "--note",
            "开工",
            "--attach",
            "/dev/zero",
        ],
        &["verify", path_str(&fifo)],
    ];
    for args in cases {
        let t0 = Instant::now();
        let e = v.refused(2, args);
        assert!(e.contains("不是普通文件"), "{args:?}: {e}");
        assert!(t0.elapsed() < Duration::from_secs(30), "{args:?}");
    }
}

#[test]
fn a_key_file_others_can_read_is_refused_in_one_sentence() {
    use std::os::unix::fs::PermissionsExt;
    let v = matter_until("motion");
    std::fs::set_permissions(v.key(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = v.refused(2, &["withdraw", "2026-001", "--reason", "重复"]);
    // It printed "错误：警告：…", a warning inside an error.
    assert!(
        e.starts_with("错误：密钥文件") && e.contains("不予使用") && e.contains("chmod 600"),
        "{e}"
    );
    // The right file, only too open: not told to give another with --key.
    assert!(!e.contains("请用 --key 指定"), "{e}");
    // A key file that may not be read (a directory here, as a test user reads every file):
    // the reason in the user's language, and a sentence's end before the advice.
    let dir_key = v.dir.path().join("keydir");
    std::fs::create_dir(&dir_key).unwrap();
    let e = v.refused(
        2,
        &[
            "--key",
            path_str(&dir_key),
            "withdraw",
            "2026-001",
            "--reason",
            "重复",
        ],
    );
    assert!(!e.contains("os error"), "{e}");
}

#[test]
fn a_directory_given_as_the_record_is_not_called_missing() {
    let v = matter_until("motion");
    let dir = v.dir.path().to_str().unwrap().to_string();
    let o = v.run(&["--db", &dir, "list"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("不是六议记录库文件") && !o.stderr.contains("找不到"),
        "{}",
        o.stderr
    );
    // A name given as HOUSEHOLD:NAME: the example does not repeat the household.
    let e = v.refused(
        2,
        &[
            "motion",
            "--title",
            "修路",
            "--text",
            "修路",
            "--by",
            "0002:无此人",
        ],
    );
    assert!(e.contains("例如 0012:无此人。"), "{e}");
}

/// `check` holds the record's write lock while it reads it through several connections: a
/// command recording meanwhile made the projections look edited (a review found 25 of 40
/// runs beside a loop of motions reporting tampering). With another command holding the
/// record, `check` waits and then says so, as any command does, and judges nothing.
#[test]
fn check_holds_the_record_while_it_reads_it() {
    let v = matter_until("review");
    // The bytes are read before the lock and after it (closing another descriptor of the
    // file in this process would drop the lock).
    let before = v.db_bytes();
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute_batch("BEGIN IMMEDIATE;").unwrap();
    let o = v.run_env(&[("LIUYI_TEST_BUSY_MS", "200")], &["check"]);
    c.execute_batch("ROLLBACK;").unwrap();
    drop(c);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stderr.contains("另一个六议命令正在使用记录库"),
        "{}",
        o.stderr
    );
    assert!(v.db_bytes() == before);
    v.run(&["check"]).ok();
    // A command waiting for `check` gets the record once it is done, unchanged meanwhile.
    v.run(&["consult", "2026-001", "open", "--date", "2026-03-18"])
        .ok();
    v.run(&["check"]).ok();
}

/// A key file on a file system without hard links (a FAT32 or exFAT USB stick) is renamed
/// into place, mode 0600, never over a file (`init` and `key rotate` failed there: "cannot
/// write the key file: Operation not permitted").
#[test]
fn a_key_file_is_written_where_there_are_no_hard_links() {
    use std::os::unix::fs::PermissionsExt;
    let v = Village::empty();
    let no_links = [("LIUYI_TEST_FAIL_WRITE", "link-unsupported")];
    let o = v.run_env(&no_links, &INIT_ARGS);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let mode = std::fs::metadata(v.key()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    v.run(&["check"]).ok();
    let new_key = v.dir.path().join("new.key");
    let o = v.run_env(
        &no_links,
        &[
            "key",
            "rotate",
            "--new-key",
            path_str(&new_key),
            "--reason",
            "换届",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let mode = std::fs::metadata(&new_key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

/// A workbook given to `verify` as the bundle (the roster, say) is the wrong file (exit 2,
/// said what it looks like); it was reported as a damaged bundle (exit 4).
#[test]
fn a_workbook_given_as_the_bundle_is_the_wrong_file() {
    let v = Village::empty();
    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "户号").unwrap();
    let path = v.dir.path().join("roster.xlsx");
    book.save(&path).unwrap();
    let o = v.run(&["--lang", "en", "verify", path_str(&path)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("an Excel or Word file"), "{}", o.stderr);
}
