//! Input usability: files that are not there, keys that cannot be used, names and dates as
//! a secretary types them. Every message in the user's language, with what to do next.

use crate::harness::*;
use crate::matter::matter_until;
use std::path::Path;

#[test]
fn a_missing_input_file_is_bad_input_in_the_users_language() {
    let v = matter_until("consultation");
    let p = v
        .people()
        .into_iter()
        .find(|p| p.relation == "户主" && p.status != "迁出" && p.birth.0 < 1990)
        .unwrap();
    let by = format!("{}:{}", p.household, p.name);
    let motion = [
        "motion",
        "--title",
        "路",
        "--by",
        &by,
        "--date",
        "2026-03-20",
    ];
    for args in [
        vec!["roster", "import", "nofile.csv"],
        vec!["consult", "2026-001", "import", "nofile.csv"],
        vec![
            "consult",
            "2026-001",
            "record",
            "0001",
            "--consent",
            "--signer",
            "某",
            "--evidence",
            "nofile.jpg",
        ],
        vec![
            "discuss",
            "2026-001",
            "--present",
            "7",
            "--decision",
            "adopt",
            "--plan-file",
            "nofile.txt",
        ],
        [&motion[..], &["--text", "申请", "--attach", "nofile.pdf"]].concat(),
        [&motion[..], &["--text-file", "nofile.txt"]].concat(),
    ] {
        let e = v.refused(2, &args);
        assert!(e.contains("找不到文件 nofile."), "{args:?}: {e}");
        assert!(
            !e.contains("os error") && !e.contains("No such file"),
            "{e}"
        );
    }
    let e = v.refused(2, &["--lang", "en", "roster", "import", "nofile.csv"]);
    assert!(e.contains("file nofile.csv not found"), "{e}");
}

#[test]
fn an_output_in_a_missing_directory_is_bad_input() {
    let v = matter_until("consultation");
    for args in [
        vec!["form", "2026-001", "consultation", "-o", "nodir/x.pdf"],
        vec!["export", "--all", "-o", "nodir/x.zip"],
    ] {
        let e = v.refused(2, &args);
        assert!(e.contains("目录 nodir 不存在"), "{args:?}: {e}");
        assert!(!e.contains("os error"), "{e}");
    }
    let e = v.refused(
        2,
        &[
            "--lang",
            "en",
            "form",
            "2026-001",
            "consultation",
            "-o",
            "nodir/x.pdf",
        ],
    );
    assert!(e.contains("the directory nodir does not exist"), "{e}");
}

#[test]
fn a_missing_key_file_is_worded_not_debug_printed() {
    let v = matter_until("motion");
    let args = [
        "--key",
        "nokey.key",
        "propose",
        "2026-001",
        "--present",
        "5",
        "--decision",
        "adopt",
    ];
    let e = v.refused(2, &args);
    assert!(
        e.contains("找不到密钥文件 nokey.key") && e.contains("--key"),
        "{e}"
    );
    assert!(!e.contains("Missing") && !e.contains("path:"), "{e}");
    let mut en = vec!["--lang", "en"];
    en.extend(args);
    let e = v.refused(2, &en);
    assert!(
        e.contains("nokey.key does not exist") && e.contains("--key"),
        "{e}"
    );
    assert!(e.starts_with("error: the key file"), "one sentence: {e}");
}

#[test]
fn names_may_be_separated_by_full_width_commas_and_enumeration_commas() {
    let v = Village::with_roster();
    let heads: Vec<String> = v
        .people()
        .into_iter()
        .filter(|p| p.relation == "户主" && p.status != "迁出" && p.birth.0 < 1990)
        .take(3)
        .map(|p| format!("{}:{}", p.household, p.name))
        .collect();
    let by = format!("{}，{}、{}", heads[0], heads[1], heads[2]);
    v.run(&[
        "motion",
        "--title",
        "路",
        "--text",
        "申请",
        "--by",
        &by,
        "--date",
        "2026-03-02",
    ])
    .ok();
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    let motion = show["stages"][0].to_string();
    for h in &heads {
        let name = h.split_once(':').unwrap().1;
        assert!(motion.contains(name), "{name} in {motion}");
    }
}

#[test]
fn accepted_by_names_split_on_full_width_commas() {
    let v = crate::matter::matter_with(
        "completed",
        &[],
        &[],
        &["--spent", "318500", "--accepted-by", "王监督，高国云、李工"],
    );
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    let done = show["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "completed")
        .unwrap()
        .to_string();
    assert!(done.contains(r#"["王监督","高国云","李工"]"#), "{done}");
}

#[test]
fn a_bad_liuyi_now_asks_for_an_rfc_3339_time() {
    let v = Village::with_roster();
    let e = v.refused_env(&[("LIUYI_NOW", "2026-04-01")], 2, &["roster", "list"]);
    assert!(
        e.contains("LIUYI_NOW")
            && e.contains("RFC 3339")
            && e.contains("2026-04-01T09:00:00+08:00"),
        "{e}"
    );
    assert!(!e.contains("YYYY-MM-DD"), "{e}");
    let e = v.refused_env(
        &[("LIUYI_NOW", "2026-04-01"), ("LIUYI_LANG", "en")],
        2,
        &["roster", "list"],
    );
    assert!(e.contains("use an RFC 3339 time"), "{e}");
}

#[test]
fn key_show_says_whether_the_key_file_is_the_current_key_and_takes_json() {
    let v = Village::with_roster();
    let j = v.run(&["key", "show", "--json"]).ok().json();
    assert_eq!(j["key_file"]["status"], "current");
    assert_eq!(j["key_file"]["matches"], true);
    assert_eq!(j["public_key"].as_str().unwrap().len(), 64);
    assert!(j["origin"].as_str().unwrap().starts_with("liuyi/"), "{j}");
    assert_eq!(j["fingerprint"], j["key_file"]["fingerprint"]);
    let out = v.run(&["key", "show"]).ok().stdout.clone();
    assert!(out.contains("是本村当前的签名密钥"), "{out}");

    let j = v
        .run(&["--key", "nokey.key", "key", "show", "--json"])
        .ok()
        .json();
    assert_eq!(j["key_file"]["status"], "missing");
    assert_eq!(j["key_file"]["matches"], false);
    let out = v
        .run(&["--key", "nokey.key", "key", "show"])
        .ok()
        .stdout
        .clone();
    assert!(out.contains("密钥文件 nokey.key 不存在"), "{out}");

    // Another village's key file (it names its own record; the test villages share one).
    let other = v.dir.path().join("other.key");
    liuyi::record::keys::write_new_key_file(
        &other,
        &liuyi::record::keys::SecretKey::generate().unwrap(),
        "liuyi/370102001001",
    )
    .unwrap();
    let k = path_str(&other).to_string();
    let j = v.run(&["--key", &k, "key", "show", "--json"]).ok().json();
    assert_eq!(j["key_file"]["status"], "other_key");
    assert_ne!(j["key_file"]["fingerprint"], j["fingerprint"]);
    let out = v
        .run(&["--lang", "en", "--key", &k, "key", "show"])
        .ok()
        .stdout
        .clone();
    assert!(
        out.contains("is not the record's current signing key"),
        "{out}"
    );
}

/// A bundle that is not there, or a folder given for it, is bad input (exit 2), not a
/// damaged bundle (it was exit 4, E-ZIP-IO, with the system's English words).
#[test]
fn a_missing_bundle_is_bad_input_not_a_verification_failure() {
    let v = Village::empty();
    let dir = v.dir.path().to_str().unwrap().to_string();
    for (args, words) in [
        (vec!["verify", "nofile.zip"], "找不到文件 nofile.zip"),
        (
            vec!["verify", "nofile.zip", "--json"],
            "找不到文件 nofile.zip",
        ),
        (vec!["verify", &dir], "是一个目录，不是文件"),
        (
            vec!["township", "register", "nofile.zip"],
            "找不到文件 nofile.zip",
        ),
    ] {
        let o = v.run(&args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains(words), "{args:?}: {}", o.stderr);
    }
}

/// The choices typed on the command line also take their Chinese words (`--decision 通过`,
/// `--body 村民代表会议`, `publish ID 决议`), and a wrong one lists each with its word.
#[test]
fn command_line_choices_take_their_chinese_words() {
    let v = crate::matter::matter_until("motion");
    let e = v.refused(
        2,
        &[
            "propose",
            "2026-001",
            "--present",
            "5",
            "--decision",
            "好",
            "--date",
            "2026-03-06",
        ],
    );
    assert!(
        e.contains("可用的值：adopt（通过）、decline（否决）"),
        "{e}"
    );
    v.run(&[
        "propose",
        "2026-001",
        "--present",
        "5",
        "--decision",
        "通过",
        "--date",
        "2026-03-06",
    ])
    .ok();
    let j = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(j["stage"], "proposal", "{j:#}");
}

/// A signing key is never recorded (SPEC §2): the key file given as an attachment, as
/// evidence or as a text file is refused (exit 2, nothing recorded), whatever its name.
#[test]
fn a_key_file_is_never_recorded() {
    let v = matter_until("consultation");
    let key = std::fs::read(v.key()).unwrap();
    let copy = v.write("扫描件.pdf", &key);
    let motion = |flag: &'static str, file: &Path| {
        vec![
            "motion".to_string(),
            "--title".into(),
            "修桥".into(),
            "--text".into(),
            "修桥".into(),
            "--by".into(),
            by(&v),
            flag.into(),
            path_str(file).into(),
            "--date".into(),
            "2026-03-20".into(),
        ]
    };
    // Saved again as UTF-16 (Notepad's "Unicode"): still the key (it was recorded, and a
    // bundle carried it to the township).
    let text = String::from_utf8(key.clone()).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let utf16 = v.write("密钥备份.txt", &utf16);
    for file in [v.key(), copy.clone(), utf16] {
        let args = motion("--attach", &file);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let e = v.refused(2, &args);
        assert!(
            e.contains("签名密钥文件") && e.contains("不进记录库"),
            "{e}"
        );
    }
    let e = v.refused(
        2,
        &[
            "discuss",
            "2026-001",
            "--present",
            "7",
            "--decision",
            "adopt",
            "--plan-file",
            path_str(&copy),
            "--date",
            "2026-03-20",
        ],
    );
    assert!(e.contains("签名密钥文件"), "{e}");
    let e = v.refused(
        2,
        &[
            "--lang",
            "en",
            "consult",
            "2026-001",
            "record",
            "0001",
            "--consent",
            "--signer",
            "某人",
            "--evidence",
            path_str(&copy),
            "--date",
            "2026-03-20",
        ],
    );
    assert!(e.contains("signing key file"), "{e}");
}

/// An empty file evidences nothing: refused as a sheet scan, as evidence and as an
/// attachment (exit 2, nothing recorded), so a failed scan cannot complete 民议.
#[test]
fn an_empty_file_is_not_evidence_nor_an_attachment() {
    let v = matter_until("consultation");
    let empty = v.write("空.pdf", b"");
    let e = v.refused(
        2,
        &[
            "consult",
            "2026-001",
            "attach",
            path_str(&empty),
            "--pages",
            "1-19",
            "--date",
            "2026-03-26",
        ],
    );
    assert!(e.contains("空文件") && e.contains("空.pdf"), "{e}");
    v.refused(
        2,
        &[
            "consult",
            "2026-001",
            "record",
            "0001",
            "--consent",
            "--signer",
            "某人",
            "--evidence",
            path_str(&empty),
            "--date",
            "2026-03-20",
        ],
    );
    let e = v.refused(
        2,
        &[
            "--lang",
            "en",
            "motion",
            "--title",
            "修桥",
            "--text",
            "修桥",
            "--by",
            &by(&v),
            "--attach",
            path_str(&empty),
            "--date",
            "2026-03-20",
        ],
    );
    assert!(e.contains("is empty (0 bytes)"), "{e}");
}

/// A text file under the file limit whose entry would pass the entry limit (its line
/// breaks written escaped) is bad input with the numbers, not an internal error.
#[test]
fn a_text_too_large_for_one_entry_is_bad_input() {
    let v = matter_until("consultation");
    let text = "修路。\n".repeat(100_000);
    assert!(text.len() < 1024 * 1024);
    let f = v.write("长文.txt", text.as_bytes());
    let e = v.refused(
        2,
        &[
            "motion",
            "--title",
            "长文",
            "--text-file",
            path_str(&f),
            "--by",
            &by(&v),
            "--date",
            "2026-03-20",
        ],
    );
    assert!(
        e.contains("超过每条记录 1048576 字节的上限") && e.contains("--attach"),
        "{e}"
    );
    assert!(!e.contains("NotCanonical"), "{e}");
}

/// A household head of the generated roster who may propose (`HOUSEHOLD:NAME`).
fn by(v: &Village) -> String {
    let p = v
        .people()
        .into_iter()
        .find(|p| p.relation == "户主" && p.status != "迁出" && p.birth.0 < 1990)
        .unwrap();
    format!("{}:{}", p.household, p.name)
}

/// The place a notice is posted is recorded and printed on a Chinese notice: left out, it
/// is 村务公开栏 whatever the language of the messages.
#[test]
fn the_default_posting_place_does_not_follow_the_message_language() {
    let v = matter_until("resolution");
    let out = v.dir.path().join("公告.pdf");
    v.run(&[
        "--lang",
        "en",
        "publish",
        "2026-001",
        "resolution",
        "--days",
        "15",
        "--date",
        "2026-04-26",
        "-o",
        path_str(&out),
    ])
    .ok();
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    let publish = show["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["type"] == "publish")
        .unwrap();
    assert_eq!(publish["place"], "村务公开栏", "{publish}");
}

/// A scan attached without `--pages` is taken as page 1 (SPEC §4 leaves the flag out),
/// and the secretary is told so, with how to give the pages; with `--pages`, nothing.
#[test]
fn a_scan_without_pages_is_said_to_be_page_one() {
    let v = matter_until("consultation");
    let scan = v.write("扫描.pdf", b"scan");
    let o = v.run(&[
        "consult",
        "2026-001",
        "attach",
        path_str(&scan),
        "--date",
        "2026-03-26",
    ]);
    o.ok();
    assert!(
        o.stderr.contains("按签字表第 1 页登记") && o.stderr.contains("--pages 1-19"),
        "{}",
        o.stderr
    );
    let scan = v.write("扫描2.pdf", b"scan of 2-3");
    let o = v.run(&[
        "consult",
        "2026-001",
        "attach",
        path_str(&scan),
        "--pages",
        "2-3",
        "--date",
        "2026-03-26",
    ]);
    o.ok();
    assert!(!o.stderr.contains("--pages"), "{}", o.stderr);
}

/// A key anywhere, not only at a file's start, is never recorded: pasted into a text, after
/// a line of a text file, or across the read boundary of a large attachment (exit 2).
#[test]
fn a_key_inside_a_text_or_a_file_is_never_recorded() {
    let v = matter_until("consultation");
    let key = String::from_utf8(std::fs::read(v.key()).unwrap()).unwrap();
    let by = by(&v);
    let motion = |flag: &str, value: &str| -> Vec<String> {
        [
            "motion",
            "--title",
            "修桥",
            flag,
            value,
            "--by",
            &by,
            "--date",
            "2026-03-20",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let args = motion("--text", &format!("方案如下 {}", key.trim()));
    let e = v.refused(2, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(e.contains("含有签名密钥"), "{e}");
    let f = v.write("方案.txt", format!("方案如下\n{key}").as_bytes());
    let args = motion("--text-file", path_str(&f));
    let e = v.refused(2, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(e.contains("签名密钥"), "{e}");
    // A key file saved as UTF-16 (Notepad's "Unicode") is named as the file it is.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(key.encode_utf16().flat_map(u16::to_le_bytes));
    let f = v.write("方案16.txt", &utf16);
    let args = motion("--text-file", path_str(&f));
    let e = v.refused(2, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        e.contains("签名密钥文件") && e.contains("方案16.txt"),
        "{e}"
    );
    // The marker straddles the first 1 MiB read of an attachment.
    let mut big = vec![b'%'; (1 << 20) - 5];
    big.extend_from_slice(key.as_bytes());
    let f = v.write("扫描.pdf", &big);
    let mut args = motion("--text", "修桥");
    args.extend(["--attach".to_string(), path_str(&f).to_string()]);
    let e = v.refused(2, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(e.contains("签名密钥文件"), "{e}");
}

/// A next-step hint copied as it stands (`--note 进展情况`) records no placeholder as a
/// text of the record (exit 2, saying which).
#[test]
fn a_hints_placeholder_is_not_recorded() {
    let v = matter_until("resolution_published");
    let e = v.refused(
        2,
        &[
            "implement",
            "2026-001",
            "--note",
            "进展情况",
            "--date",
            "2026-05-20",
        ],
    );
    assert!(e.contains("占位词“进展情况”"), "{e}");
}

/// A text file saved as UTF-16 (Notepad's "Unicode") is read as the roster reader reads
/// one; a control character in a text file is named with the file and its line.
#[test]
fn text_files_in_utf16_are_read_and_bad_characters_name_the_file() {
    let v = matter_until("consultation");
    let text = "修建村东头的排水沟。\r\n长约 300 米。";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let f = v.write("动议.txt", &utf16);
    let motion = |f: &Path| {
        vec![
            "motion".to_string(),
            "--title".into(),
            "修排水沟".into(),
            "--text-file".into(),
            path_str(f).into(),
            "--by".into(),
            by(&v),
            "--date".into(),
            "2026-03-20".into(),
        ]
    };
    let args = motion(&f);
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let id = v.run(&a).ok().stdout.trim().to_string();
    let id = id
        .split_whitespace()
        .find(|w| w.starts_with("2026-"))
        .unwrap_or(&id)
        .to_string();
    let j = v.run(&["show", &id, "--json"]).ok().json();
    assert!(j.to_string().contains("长约 300 米"), "{j}");
    let f = v.write("方案.txt", "第一段\n第二段有\u{202E}反转".as_bytes());
    let args = motion(&f);
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let e = v.refused(2, &a);
    assert!(
        e.contains("方案.txt") && e.contains("第 2 行") && e.contains("U+202E"),
        "{e}"
    );
    assert!(!e.contains("（--text）"), "{e}");
}

/// `policy set`: a file saved with a BOM is read; a wrong value is said in the user's
/// language with its field, never in the JSON parser's English.
#[test]
fn policy_files_are_read_with_a_bom_and_refused_in_words() {
    let v = Village::with_roster();
    let p = v.run(&["policy", "show", "--json"]).ok().json();
    let mut posting = p.clone();
    posting["min_posting_days"] = 20.into();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(posting.to_string().as_bytes());
    let f = v.write("规则.json", &bom);
    v.run(&["policy", "set", path_str(&f), "--reason", "村民会议决定"])
        .ok();
    let j = v.run(&["policy", "show", "--json"]).ok().json();
    assert_eq!(j["min_posting_days"], 20);
    let mut bad = p.clone();
    bad["min_posting_days"] = (-1).into();
    let f = v.write("负数.json", bad.to_string().as_bytes());
    let e = v.refused(2, &["policy", "set", path_str(&f), "--reason", "x"]);
    assert!(
        e.contains("字段 min_posting_days 的值 -1 不是非负整数") && !e.contains("invalid"),
        "{e}"
    );
    let mut bad = p.clone();
    bad["review_pass"]["num"] = serde_json::json!(15.0);
    let f = v.write("小数.json", bad.to_string().as_bytes());
    let e = v.refused(2, &["policy", "set", path_str(&f), "--reason", "x"]);
    assert!(
        e.contains("review_pass.num") && e.contains("15.0") && !e.contains("floating"),
        "{e}"
    );
    // A fraction out of range names its rule and value (it said only that some rule was).
    let mut bad = p.clone();
    bad["review_pass"]["num"] = 5.into();
    bad["review_pass"]["den"] = 3.into();
    let f = v.write("五分之三.json", bad.to_string().as_bytes());
    let e = v.refused(2, &["policy", "set", path_str(&f), "--reason", "x"]);
    assert!(e.contains("review_pass 的值 5/3"), "{e}");
    let e = v.refused(
        2,
        &[
            "--lang",
            "en",
            "policy",
            "set",
            path_str(&f),
            "--reason",
            "x",
        ],
    );
    assert!(e.contains("review_pass is 5/3"), "{e}");
    // Laxer than the law (posted 7 days, not 15): refused though this village's clock
    // (2026-10-30) is before the day the rule came in, which let it through before.
    let mut lax = p.clone();
    lax["min_posting_days"] = 7.into();
    let f = v.write("七天.json", lax.to_string().as_bytes());
    let before = v.db_bytes();
    let e = v.refused(3, &["policy", "set", path_str(&f), "--reason", "x"]);
    assert!(
        e.contains("规则设置低于法定要求") && e.contains("15"),
        "{e}"
    );
    assert_eq!(v.db_bytes(), before);
}

/// A file too large for what it is given as is refused with advice for that use: a scan
/// to attach (scan again at a lower resolution), a text file (attach a long document), not
/// the roster's advice about spreadsheets, which every oversized file got.
#[test]
fn a_file_too_large_is_told_what_to_do_for_its_use() {
    let v = Village::with_roster();
    let by = v
        .people()
        .into_iter()
        .find(|p| p.relation == "户主")
        .unwrap()
        .name;
    let big = v.dir.path().join("big.pdf");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap();
    let motion = |more: &[&str]| {
        let mut a = vec![
            "motion",
            "--title",
            "修路",
            "--by",
            &by,
            "--date",
            "2026-03-02",
        ];
        a.extend_from_slice(more);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let args = motion(&["--text", "修路", "--attach", path_str(&big)]);
    let e = v.refused(2, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        e.contains("附件") && e.contains("重新扫描") && !e.contains("花名册"),
        "{e}"
    );
    let text = v.write("t.txt", &vec![b'a'; 1_100_000]);
    let args = motion(&["--text-file", path_str(&text)]);
    let e = v.refused(2, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        e.contains("文本文件") && e.contains("--attach") && !e.contains("花名册"),
        "{e}"
    );
}
