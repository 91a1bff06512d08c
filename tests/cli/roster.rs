//! Roster import: all or nothing, every problem listed by line; re-import records only
//! the differences; `roster list --json`.

use crate::harness::*;

#[test]
fn init_creates_a_private_key_and_never_overwrites() {
    let v = Village::empty();
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
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(v.key()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let key = std::fs::read(v.key()).unwrap();
    let e = v.refused(
        2,
        &[
            "init",
            "--village",
            "清河村",
            "--township",
            "城关镇",
            "--county",
            "平安县",
        ],
    );
    assert!(e.contains("已存在"), "{e}");
    assert_eq!(
        std::fs::read(v.key()).unwrap(),
        key,
        "the key was not touched"
    );
}

#[test]
fn init_refuses_when_only_the_key_exists() {
    let v = Village::empty();
    std::fs::write(v.key(), b"someone else's key").unwrap();
    let o = v.run(&[
        "init",
        "--village",
        "清河村",
        "--township",
        "城关镇",
        "--county",
        "平安县",
    ]);
    assert_eq!(o.code, 2);
    assert!(!v.db().exists());
    assert_eq!(std::fs::read(v.key()).unwrap(), b"someone else's key");
}

#[test]
fn a_bad_roster_is_refused_whole_with_every_line() {
    let v = Village::empty();
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
    let csv = "户号,姓名,与户主关系,性别,出生日期,党员,村民代表,两委,状态\n\
               0001,张三,户主,男,1970-01-01,否,否,,在村\n\
               0001,李四,户主,女,1972-02-30,否,否,,在村\n\
               0002,王五,户主,男,1980-01-01,也许,否,,在村\n";
    let f = v.write("bad.csv", csv.as_bytes());
    let e = v.refused(
        2,
        &["roster", "import", path_str(&f), "--date", "2026-01-05"],
    );
    assert!(e.contains("3") && e.contains("4"), "lines named: {e}");
    assert!(e.contains("1972-02-30") && e.contains("也许"), "{e}");
    let list = v.run(&["roster", "list", "--json"]).ok().json();
    assert_eq!(list["count"], 0, "nothing imported");
}

#[test]
fn reimport_records_only_the_differences() {
    let v = Village::with_roster();
    let mut people = v.people();
    let before = v.run(&["roster", "list", "--json"]).ok().json();
    assert_eq!(before["count"].as_u64().unwrap() as usize, people.len());
    // One villager moves out, one is born.
    people[0].status = "迁出";
    people.push(liuyi::demo::Villager {
        household: people[1].household.clone(),
        name: "新生儿".into(),
        relation: "孙子",
        male: true,
        birth: (2026, 2, 1),
        party: "否",
        representative: false,
        committee: "",
        status: "在村",
    });
    let f = v.write("r2.csv", liuyi::demo::roster_csv(&people).as_bytes());
    let o = v
        .run(&[
            "roster",
            "import",
            path_str(&f),
            "--date",
            "2026-02-10",
            "--reason",
            "年度更新",
        ])
        .ok()
        .stdout
        .clone();
    assert!(o.contains("新增 1 人，变更 1 人，删除 0 人"), "{o}");
    // Importing the same file again changes nothing.
    let same = v
        .run(&["roster", "import", path_str(&f), "--date", "2026-02-10"])
        .ok()
        .stdout
        .clone();
    assert!(same.contains("相同"), "{same}");
    v.run(&["check"]).ok();
}

#[test]
fn gbk_roster_with_crlf_imports() {
    let v = Village::empty();
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
    let csv = liuyi::demo::roster_csv(&v.people()).replace('\n', "\r\n");
    let (gbk, _, bad) = encoding_rs::GBK.encode(&csv);
    assert!(!bad);
    let f = v.write("gbk.csv", &gbk);
    v.run(&["roster", "import", path_str(&f), "--date", "2026-01-05"])
        .ok();
    assert_eq!(
        v.run(&["roster", "list", "--json"]).ok().json()["count"]
            .as_u64()
            .unwrap() as usize,
        v.people().len()
    );
}

/// A move-out dated back before the 民议 that counted the household is refused (exit 3,
/// nothing recorded), naming the matter, its step and what to do; dated the day it is
/// recorded, with the real day in the reason, it is taken.
#[test]
fn a_roster_change_is_not_dated_back_before_an_open_matters_steps() {
    let mut v = crate::matter::matter_until("consultation");
    // Rules of 2026-11-30 (a record kept before is judged as it was kept).
    v.now = "2026-12-01T10:00:00+08:00".into();
    let mut people = v.people();
    people[0].status = "迁出";
    let f = v.write("r2.csv", liuyi::demo::roster_csv(&people).as_bytes());
    let import = |date: &'static str| {
        vec![
            "roster",
            "import",
            path_str(&f),
            "--date",
            date,
            "--reason",
            "2月1日迁出",
        ]
    };
    let e = v.refused(3, &import("2026-02-01"));
    assert!(
        e.contains("2026-001") && e.contains("2026-02-01") && e.contains("--reason"),
        "{e}"
    );
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    let last = show["stages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["date"].as_str())
        .max()
        .unwrap()
        .to_string();
    assert!(
        e.contains(&last),
        "names the latest step's date {last}: {e}"
    );
    v.run(&[
        "roster",
        "import",
        path_str(&f),
        "--date",
        &last,
        "--reason",
        "2月1日迁出",
    ])
    .ok();
    v.run(&["check"]).ok();
}

/// A household that objected, then left the 民议's scope by a roster change (marked moved
/// out), comes back into scope when the roster is corrected, whatever the computer's clock
/// says: its objection stands again, the import says so, and its consent can be recorded.
/// It stayed out for good, and the matter resolved at "100 %" without it. (An entry an
/// earlier liuyi wrote keeps it out, as kept: the engine's tests hold that.)
#[test]
fn a_household_brought_back_by_a_roster_correction_is_in_scope_again() {
    for now in ["2026-12-02T10:00:00+08:00", "2026-11-20T10:00:00+08:00"] {
        let mut v = crate::matter::matter_until("consultation");
        v.now = now.into();
        let people = v.people();
        let head = people
            .iter()
            .find(|p| p.relation == "户主" && p.status == "在村")
            .unwrap()
            .clone();
        let h = head.household.clone();
        let before = v
            .run(&["consult", "2026-001", "status", "--json"])
            .ok()
            .json();
        let in_scope = before["in_scope"].as_u64().unwrap();
        v.run(&[
            "consult",
            "2026-001",
            "record",
            &h,
            "--object",
            "占用晒场",
            "--signer",
            &head.name,
            "--sheet-page",
            "1",
            "--date",
            "2026-03-26",
        ])
        .ok();
        let mut moved = people.clone();
        for p in moved.iter_mut().filter(|p| p.household == h) {
            p.status = "迁出";
        }
        let out = v.write("out.csv", liuyi::demo::roster_csv(&moved).as_bytes());
        let back = v.write("back.csv", liuyi::demo::roster_csv(&people).as_bytes());
        let import = |f: &std::path::Path, reason: &str| {
            v.run(&[
                "roster",
                "import",
                path_str(f),
                "--date",
                "2026-03-27",
                "--reason",
                reason,
            ])
        };
        import(&out, "迁出").ok();
        let st = v
            .run(&["consult", "2026-001", "status", "--json"])
            .ok()
            .json();
        assert_eq!(st["in_scope"].as_u64(), Some(in_scope - 1), "{st:#}");
        let o = import(&back, "更正：未迁出");
        assert!(
            o.ok().stderr.contains(&format!(
                "{h} 此前因花名册变动离开了事项 2026-001 本轮民议的范围"
            )),
            "{now}: {}",
            o.stderr
        );
        let st = v
            .run(&["consult", "2026-001", "status", "--json"])
            .ok()
            .json();
        assert_eq!(st["in_scope"].as_u64(), Some(in_scope), "{now}: {st:#}");
        assert_eq!(st["objecting"], serde_json::json!([h]), "{now}: {st:#}");
        v.run(&[
            "consult",
            "2026-001",
            "record",
            &h,
            "--consent",
            "--signer",
            &head.name,
            "--sheet-page",
            "1",
            "--date",
            "2026-03-27",
        ])
        .ok();
        let st = v
            .run(&["consult", "2026-001", "status", "--json"])
            .ok()
            .json();
        assert_eq!(st["objected"], 0, "{st:#}");
        v.run(&["check"]).ok();
    }
}

/// Bringing back someone the roster had as deceased, or leaving people out of the file, is
/// a correction: without --reason it is refused (exit 2, nothing imported), naming them;
/// with one it is recorded.
#[test]
fn a_roster_import_that_revives_or_drops_people_needs_a_reason() {
    let v = Village::with_roster();
    let mut people = v.people();
    people[0].status = "死亡";
    let dead = v.write("dead.csv", liuyi::demo::roster_csv(&people).as_bytes());
    v.run(&[
        "roster",
        "import",
        path_str(&dead),
        "--date",
        "2026-02-01",
        "--reason",
        "去世",
    ])
    .ok();
    let old = v.write("old.csv", liuyi::demo::roster_csv(&v.people()).as_bytes());
    let e = v.refused(
        2,
        &["roster", "import", path_str(&old), "--date", "2026-02-02"],
    );
    let key = format!("{}:{}", people[0].household, people[0].name);
    assert!(e.contains(&key) && e.contains("--reason"), "{e}");
    let mut fewer = v.people();
    let gone = fewer.pop().unwrap();
    let fewer = v.write("fewer.csv", liuyi::demo::roster_csv(&fewer).as_bytes());
    let e = v.refused(
        2,
        &["roster", "import", path_str(&fewer), "--date", "2026-02-02"],
    );
    assert!(
        e.contains(&format!("{}:{}", gone.household, gone.name)),
        "{e}"
    );
    // In English, one person is one person, and the refusal's label is not the rules' word.
    let e = v.refused(
        2,
        &[
            "--lang",
            "en",
            "roster",
            "import",
            path_str(&fewer),
            "--date",
            "2026-02-02",
        ],
    );
    assert!(e.contains("1 person is not in this file"), "{e}");
    v.run(&[
        "roster",
        "import",
        path_str(&old),
        "--date",
        "2026-02-02",
        "--reason",
        "误登为死亡，更正",
    ])
    .ok();
    v.run(&["check"]).ok();
}

/// A birth date after the roster's date is named by its line, with what to do.
#[test]
fn a_birth_after_the_roster_date_is_named_by_its_line() {
    let v = Village::empty();
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
    let mut people = v.people();
    people[3].birth = (2026, 5, 1);
    let csv = liuyi::demo::roster_csv(&people);
    let line = csv
        .lines()
        .position(|l| l.contains(&people[3].name) && l.contains("2026-05-01"))
        .expect("the row")
        + 1;
    let f = v.write("r.csv", csv.as_bytes());
    let e = v.refused(
        2,
        &["roster", "import", path_str(&f), "--date", "2026-01-05"],
    );
    assert!(
        e.contains(&format!("第 {line} 行")) && e.contains("2026-05-01") && e.contains("--date"),
        "{e}"
    );

    // With a problem of the file itself beside it (an impossible date on another line), both
    // are listed in one attempt, in line order: the birth was listed only once the other
    // was mended.
    let bad_line = csv
        .lines()
        .position(|l| l.contains(&people[5].name))
        .unwrap()
        + 1;
    let bad = csv
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == bad_line {
                let mut cells: Vec<&str> = l.split(',').collect();
                cells[4] = "1970-02-30";
                cells.join(",")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let f = v.write("r2.csv", bad.as_bytes());
    let e = v.refused(
        2,
        &["roster", "import", path_str(&f), "--date", "2026-01-05"],
    );
    let (at_birth, at_bad) = (
        e.find(&format!("第 {line} 行"))
            .unwrap_or_else(|| panic!("{e}")),
        e.find(&format!("第 {bad_line} 行"))
            .unwrap_or_else(|| panic!("{e}")),
    );
    assert!(e.contains("文件有 2 处问题"), "{e}");
    assert_eq!(at_bad < at_birth, bad_line < line, "{e}");
}

/// `roster list` speaks the user's language: in English, sex, party, committee and status
/// in English words too.
#[test]
fn roster_list_in_english_says_its_values_in_english() {
    let v = Village::with_roster();
    let out = v
        .run(&["--lang", "en", "roster", "list"])
        .ok()
        .stdout
        .clone();
    assert!(out.contains("resident") && out.contains("female"), "{out}");
    for zh in ["在村", "否"] {
        assert!(!out.contains(&format!("\t{zh}\t")), "{zh}: {out}");
    }
    let out = v.run(&["roster", "list"]).ok().stdout.clone();
    assert!(out.contains("\t在村"), "{out}");
}

/// Roles no one can hold would change the 应到 of the meetings: a child marked party member,
/// representative or committee member, a 支委 who is not a full party member. The whole file
/// is refused, each problem by its line, nothing imported.
#[test]
fn impossible_roles_are_refused_by_line() {
    let v = Village::empty();
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
    let mut people = v.people();
    let child = people
        .iter()
        .position(|p| p.party == "否" && !p.representative && p.committee.is_empty())
        .unwrap();
    people[child].birth = (2025, 1, 1);
    people[child].party = "是";
    people[child].representative = true;
    people[child].committee = "两委";
    let branch = people.iter().position(|p| p.committee == "支委").unwrap();
    people[branch].party = "否";
    let csv = liuyi::demo::roster_csv(&people);
    let line_of = |name: &str| {
        csv.lines()
            .position(|l| l.split(',').nth(1) == Some(name))
            .unwrap()
            + 1
    };
    let (child_line, branch_line) = (line_of(&people[child].name), line_of(&people[branch].name));
    let f = v.write("r.csv", csv.as_bytes());
    let e = v.refused(
        2,
        &["roster", "import", path_str(&f), "--date", "2026-01-05"],
    );
    assert!(e.contains("文件有 4 处问题"), "{e}");
    assert!(
        e.contains(&format!(
            "第 {child_line} 行：党员填了“是”，但此人在 2026-01-05（名册日期）只有 1 岁"
        )),
        "{e}"
    );
    assert!(
        e.contains(&format!("第 {child_line} 行：村民代表填了“是”")),
        "{e}"
    );
    assert!(
        e.contains(&format!("第 {child_line} 行：两委填了“两委”")),
        "{e}"
    );
    assert!(
        e.contains(&format!(
            "第 {branch_line} 行：两委填了“支委”，但党员一栏不是“是”"
        )),
        "{e}"
    );
    let list = v.run(&["roster", "list", "--json"]).ok().json();
    assert_eq!(list["count"], 0, "nothing imported");
    // In English too.
    let mut en = v;
    en.lang = "en";
    let e = en.refused(
        2,
        &["roster", "import", path_str(&f), "--date", "2026-01-05"],
    );
    assert!(
        e.contains("under 18") && e.contains("full party member"),
        "{e}"
    );
}

/// A roster file whose household numbers lost their leading zeros (Excel read the column as
/// numbers) is refused against the recorded roster, each household by its line: imported, it
/// removed every household and added each again as another.
#[test]
fn a_roster_that_lost_the_recorded_zeros_is_refused() {
    let v = Village::with_roster();
    let csv = liuyi::demo::roster_csv(&v.people());
    let stripped: String = csv
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                return format!("{l}\n");
            }
            let (h, rest) = l.split_once(',').unwrap();
            let h = h.trim_start_matches('0');
            format!("{h},{rest}\n")
        })
        .collect();
    let line_of_1 = stripped.lines().position(|l| l.starts_with("1,")).unwrap() + 1;
    let f = v.write("stripped.csv", stripped.as_bytes());
    // Three digits where the record has four: the same.
    let three: String = csv
        .lines()
        .enumerate()
        .map(|(i, l)| match (i, l.strip_prefix('0')) {
            (0, _) | (_, None) => format!("{l}\n"),
            (_, Some(rest)) => format!("{rest}\n"),
        })
        .collect();
    let t = v.write("three.csv", three.as_bytes());
    let e = v.refused(
        2,
        &["roster", "import", path_str(&t), "--date", "2026-02-01"],
    );
    assert!(e.contains("户号“001”在已记录的花名册中是“0001”"), "{e}");
    let e = v.refused(
        2,
        &["roster", "import", path_str(&f), "--date", "2026-02-01"],
    );
    assert!(
        e.contains(&format!("第 {line_of_1} 行"))
            && e.contains("户号“1”在已记录的花名册中是“0001”"),
        "{e}"
    );
    let e = v.refused(
        2,
        &[
            "--lang",
            "en",
            "roster",
            "import",
            path_str(&f),
            "--date",
            "2026-02-01",
        ],
    );
    assert!(e.contains("\"0001\" in the recorded roster"), "{e}");
    // The file as recorded still imports (nothing changed).
    let f = v.write("same.csv", csv.as_bytes());
    v.run(&["roster", "import", path_str(&f), "--date", "2026-02-01"])
        .ok();
}

/// A roster dated before the last one, and a file too large to be a roster: each refusal
/// says what to do next (they only said what was wrong).
#[test]
fn roster_refusals_say_what_to_do() {
    let v = Village::with_roster();
    let mut people = v.people();
    people[0].status = "外出";
    let f = v.write("r.csv", liuyi::demo::roster_csv(&people).as_bytes());
    let e = v.refused(
        3,
        &["roster", "import", path_str(&f), "--date", "2026-01-04"],
    );
    assert!(
        e.contains("--date 2026-01-05 或更晚") && e.contains("--reason"),
        "{e}"
    );
    let big = v.write("big.csv", &vec![b'a'; 21 * 1024 * 1024]);
    let e = v.refused(2, &["roster", "import", path_str(&big)]);
    assert!(e.contains("请确认选对了文件"), "{e}");
}

/// An import of more than 500 changes is recorded in several entries. A household whose
/// members all move out while a new member joins stays active, and so in the 民议's scope:
/// it was refused as leaving it without a reason (its members' departures fell in one entry
/// and the newcomer in the next), and with a reason it left and came back between them.
#[test]
fn a_large_import_judges_who_leaves_by_the_whole_import() {
    let v = crate::matter::matter_until("consultation");
    let mut people = v.people();
    let h = people
        .iter()
        .filter(|p| p.status == "在村")
        .map(|p| p.household.clone())
        .find(|h| h.as_str() > "0100")
        .unwrap();
    let members = people.iter().filter(|p| p.household == h).count();
    let mut template = people
        .iter()
        .find(|p| p.relation != "户主" && p.status == "在村")
        .unwrap()
        .clone();
    template.household = "0001".into();
    // Newcomers in household 0001 sort before household h's changes, so that h's members'
    // departures end the first entry of 500 changes and its newcomer opens the second.
    for i in 0..(500 - members) {
        let mut p = template.clone();
        p.name = format!("新人{i:03}");
        people.push(p);
    }
    for p in people.iter_mut().filter(|p| p.household == h) {
        p.status = "迁出";
    }
    let mut newcomer = template.clone();
    newcomer.household = h.clone();
    newcomer.name = "龥".into();
    newcomer.relation = "户主";
    people
        .iter_mut()
        .filter(|p| p.household == h && p.relation == "户主")
        .for_each(|p| p.relation = "其他");
    people.push(newcomer);
    let f = v.write("big.csv", liuyi::demo::roster_csv(&people).as_bytes());
    let o = v.run(&["roster", "import", path_str(&f), "--date", "2026-03-18"]);
    assert!(!o.ok().stderr.contains("回到范围"), "{}", o.stderr);
    let st = v
        .run(&["consult", "2026-001", "status", "--json"])
        .ok()
        .json();
    assert_eq!(st["left_scope"], serde_json::json!({}), "{st:#}");
    v.run(&["check"]).ok();
}

/// A household number that begins with another's (00366 beside 0036) is an honest roster:
/// `check` read it as an edited `people` row (its rows were compared in the roster's key
/// order, `household:name`, where the stored table is ordered by household, then name).
#[test]
fn a_household_number_that_begins_with_another_checks() {
    let v = Village::with_roster();
    let mut csv = liuyi::demo::roster_csv(&v.people());
    assert!(
        csv.contains("\n0036,"),
        "the demo roster has household 0036"
    );
    csv.push_str("00366,张零,户主,女,1960-02-09,否,否,,在村\n");
    let f = v.write("more.csv", csv.as_bytes());
    v.run(&["roster", "import", path_str(&f), "--date", "2026-02-01"])
        .ok();
    let out = v.run(&["check", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["ok"], true);
}

/// Households merged: the members of one moved into another are said to have moved, not
/// to have been deleted (the secretary read "删除 4 人" as people lost).
#[test]
fn a_merge_of_households_is_told_as_people_moving() {
    let v = Village::with_roster();
    let people = v.people();
    let csv = liuyi::demo::roster_csv(&people);
    let n = people.iter().filter(|p| p.household == "0002").count();
    assert!(n > 0);
    let merged: String = csv
        .lines()
        .map(|l| match l.strip_prefix("0002,") {
            Some(rest) => format!("0001,{}\n", rest.replacen(",户主,", ",其他,", 1)),
            None => format!("{l}\n"),
        })
        .collect();
    let f = v.write("merged.csv", merged.as_bytes());
    let out = v.run(&[
        "roster",
        "import",
        path_str(&f),
        "--date",
        "2026-02-01",
        "--reason",
        "两户合户",
    ]);
    out.ok();
    assert!(
        out.stdout.contains(&format!("转入别户 {n} 人，删除 0 人")),
        "{}",
        out.stdout
    );
}

#[test]
fn a_household_that_objected_does_not_leave_scope_by_a_new_number() {
    // A review found the objecting household renumbered on the roster (--reason 户号重编)
    // left 民议's scope, and the matter resolved at "100 %": `check` and `verify` passed.
    let v = crate::matter::matter_until("consultation");
    let mut people = v.people();
    let objector = people
        .iter()
        .find(|p| p.status == "在村" && p.relation == "户主")
        .unwrap()
        .clone();
    v.run(&[
        "consult",
        "2026-001",
        "record",
        &objector.household,
        "--object",
        "占地",
        "--signer",
        &objector.name,
        "--sheet-page",
        "1",
        "--date",
        "2026-03-20",
    ])
    .ok();
    for p in people
        .iter_mut()
        .filter(|p| p.household == objector.household)
    {
        p.household = "9001".into();
    }
    let csv = v.write(
        "renumbered.csv",
        liuyi::demo::roster_csv(&people).as_bytes(),
    );
    let before = v.db_bytes();
    let args = [
        "roster",
        "import",
        path_str(&csv),
        "--date",
        "2026-03-21",
        "--reason",
        "户号重编",
    ];
    let e = v.refused(3, &args);
    assert!(
        e.contains(&format!("{} 户在这一轮中反对", objector.household))
            && e.contains("变更后在 9001 户")
            && e.contains("户号变更、分户或合户不是退出民议范围的理由")
            && e.contains("请先对事项 2026-001 执行 revise"),
        "{e}"
    );
    assert!(v.db_bytes() == before, "nothing recorded");
    let mut en = vec!["--lang", "en"];
    en.extend_from_slice(&args);
    let e = v.refused(3, &en);
    assert!(
        e.contains(&format!(
            "household {} objected in that round",
            objector.household
        )) && e.contains("household 9001"),
        "{e}"
    );
    // A household not asked yet, renumbered: asked under its number first.
    let mut people = v.people();
    let other = people
        .iter()
        .find(|p| p.status == "在村" && p.relation == "户主" && p.household != objector.household)
        .unwrap()
        .clone();
    for p in people.iter_mut().filter(|p| p.household == other.household) {
        p.household = "9002".into();
    }
    let csv = v.write(
        "renumbered2.csv",
        liuyi::demo::roster_csv(&people).as_bytes(),
    );
    let e = v.refused(
        3,
        &[
            "roster",
            "import",
            path_str(&csv),
            "--date",
            "2026-03-21",
            "--reason",
            "户号重编",
        ],
    );
    assert!(
        e.contains(&format!("{} 户尚未签字同意", other.household))
            && e.contains(&format!(
                "liuyi consult 2026-001 record {}",
                other.household
            ))
            && e.contains("变更后在 9002 户"),
        "{e}"
    );
    assert!(v.db_bytes() == before, "nothing recorded");
    // The objection still holds the matter at 民议.
    let j = v
        .run(&["consult", "2026-001", "status", "--json"])
        .ok()
        .json();
    assert_eq!(j["objected"], 1, "{j}");
    assert_eq!(j["complete"], false, "{j}");
}

#[test]
fn the_consent_share_is_not_lowered_while_a_round_is_open() {
    // A review lowered 民议's share to four fifths once a household had objected, and the
    // matter resolved over the objection.
    let v = crate::matter::matter_until("consultation");
    let mut p = v.run(&["policy", "show", "--json"]).ok().json();
    p["consultation_consent"] = serde_json::json!({"num": 4, "den": 5, "strict": false});
    let f = v.write("p.json", p.to_string().as_bytes());
    let before = v.db_bytes();
    let e = v.refused(3, &["policy", "set", path_str(&f), "--reason", "八成即可"]);
    assert!(
        e.contains("事项 2026-001 第 1 轮民议正在进行")
            && e.contains("现为「全部」")
            && e.contains("改为「五分之四以上」")
            && e.contains("revise"),
        "{e}"
    );
    assert!(v.db_bytes() == before, "nothing recorded");
    // Other rules change as before, the share kept.
    p["consultation_consent"] = serde_json::json!({"num": 1, "den": 1, "strict": false});
    p["min_posting_days"] = serde_json::json!(20);
    let f = v.write("p2.json", p.to_string().as_bytes());
    v.run(&["policy", "set", path_str(&f), "--reason", "公示期延长"])
        .ok();
}

/// A move needs no reason (a change of life, not a correction), and the refusal of a
/// deletion without one names only who is deleted: a review found the people of a
/// renumbered household told they "will be deleted from the roster".
#[test]
fn people_who_move_are_not_told_they_are_deleted() {
    let v = Village::with_roster();
    let people = v.people();
    let csv = liuyi::demo::roster_csv(&people);
    let n = people.iter().filter(|p| p.household == "0002").count();
    let gone = people
        .iter()
        .find(|p| p.household == "0003" && p.relation != "户主")
        .unwrap();
    let gone_line = csv
        .lines()
        .find(|l| l.starts_with(&format!("0003,{},", gone.name)))
        .unwrap()
        .to_string();
    let merged: String = csv
        .lines()
        .map(|l| match l.strip_prefix("0002,") {
            Some(rest) => format!("0001,{}\n", rest.replacen(",户主,", ",其他,", 1)),
            None => format!("{l}\n"),
        })
        .collect();
    // A deletion beside the move: refused, naming the deleted person alone.
    let deleted = merged.replace(&format!("{gone_line}\n"), "");
    let f = v.write("deleted.csv", deleted.as_bytes());
    let before = v.db_bytes();
    let e = v.refused(
        2,
        &["roster", "import", path_str(&f), "--date", "2026-02-01"],
    );
    assert!(
        e.contains(&format!("0003:{}", gone.name)) && !e.contains("0002:"),
        "{e}"
    );
    assert!(v.db_bytes() == before);
    // The move alone: recorded without a reason, told as moving.
    let f = v.write("merged.csv", merged.as_bytes());
    let out = v.run(&["roster", "import", path_str(&f), "--date", "2026-02-01"]);
    out.ok();
    assert!(
        out.stdout.contains(&format!("转入别户 {n} 人，删除 0 人")),
        "{}",
        out.stdout
    );
    v.run(&["check"]).ok();
}

/// A roster imported without --date takes effect on the day of the import: a motion of an
/// earlier day is refused saying so, and importing the same roster again with the earlier
/// date is refused as a roster dated back (it said "the same roster, nothing recorded",
/// exit 0, and the motion was refused as before). `init` names --date in its next step.
#[test]
fn a_roster_is_not_dated_back_and_the_refusal_says_from_when_it_holds() {
    let v = Village::empty();
    let o = v.run(&INIT_ARGS);
    o.ok();
    assert!(
        o.stdout.contains("roster import 花名册.csv --date"),
        "{}",
        o.stdout
    );
    let people = liuyi::demo::village(liuyi::demo::VillageSpec::default());
    let csv = v.write("roster.csv", liuyi::demo::roster_csv(&people).as_bytes());
    v.run(&["roster", "import", path_str(&csv)]).ok();
    let by = people.iter().find(|p| p.relation == "户主").unwrap();
    let e = v.refused(
        3,
        &[
            "motion",
            "--title",
            "道路硬化",
            "--text",
            "x",
            "--by",
            &by.name,
            "--date",
            "2026-03-02",
        ],
    );
    assert!(
        e.contains("本记录的花名册自 2026-10-30 起生效") && e.contains("另建一份记录"),
        "{e}"
    );
    let e = v.refused(
        3,
        &["roster", "import", path_str(&csv), "--date", "2026-01-05"],
    );
    assert!(
        e.contains("花名册不能倒签日期") && e.contains("不能再导入 2026-01-05 生效的花名册"),
        "{e}"
    );
}

/// One person (name and birth date) listed in two households is recorded and noted: the
/// engine takes them as one person (it said nothing).
#[test]
fn a_person_in_two_households_is_noted() {
    let v = Village::with_roster();
    let mut people = v.people();
    let twin = people
        .iter()
        .find(|p| p.relation != "户主" && p.status == "在村")
        .unwrap()
        .clone();
    let other = people
        .iter()
        .find(|p| p.household != twin.household && p.relation == "户主")
        .unwrap()
        .household
        .clone();
    let mut copy = twin.clone();
    copy.household = other.clone();
    copy.relation = "女";
    people.push(copy);
    let f = v.write("r.csv", liuyi::demo::roster_csv(&people).as_bytes());
    let o = v.run(&["roster", "import", path_str(&f), "--date", "2026-02-01"]);
    o.ok();
    let said = format!("{}{}", o.stdout, o.stderr);
    assert!(
        said.contains(&format!("注意：{}（", twin.name))
            && said.contains(&twin.household)
            && said.contains(&other),
        "{said}"
    );
    // An import without such a person says nothing of it.
    let o = v.run(&[
        "roster",
        "import",
        path_str(&v.write(
            "s.csv",
            liuyi::demo::roster_csv(&v.people()[..10]).as_bytes(),
        )),
        "--date",
        "2026-02-02",
        "--reason",
        "x",
    ]);
    assert!(!format!("{}{}", o.stdout, o.stderr).contains("同名同生日"));
}
