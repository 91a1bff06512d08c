//! Paper from the command line: the posted notice is stored with its hash, re-prints are
//! byte-identical, forms list every household.

use crate::harness::*;
use crate::matter::{matter_until, matter_with};

fn sha256(b: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(b))
}

fn text_of(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    // Lines break anywhere in Chinese text: compare without the breaks.
    doc.extract_text(&pages)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Publishes matter 2026-001's result notice (with `extra` flags) and returns the PDF it
/// wrote.
fn post_result(v: &Village, extra: &[&str]) -> Vec<u8> {
    let out = v.dir.path().join("result.pdf");
    let mut args = vec!["publish", "2026-001", "result"];
    args.extend_from_slice(extra);
    args.extend(["-o", path_str(&out)]);
    v.run(&args).ok();
    std::fs::read(&out).unwrap()
}

/// Publishes matter 2026-001's resolution notice (dated 2026-04-26, with `extra` flags) and
/// returns the PDF it wrote.
fn post_resolution(v: &Village, extra: &[&str]) -> Vec<u8> {
    let out = v.dir.path().join("notice.pdf");
    let mut args = vec!["publish", "2026-001", "resolution", "--date", "2026-04-26"];
    args.extend_from_slice(extra);
    args.extend(["-o", path_str(&out)]);
    v.run(&args).ok();
    std::fs::read(&out).unwrap()
}

#[test]
fn the_posted_notice_is_recorded_and_reprints_byte_identical() {
    let v = matter_until("resolution");
    let pdf = post_resolution(&v, &["--days", "15", "--place", "村委会公告栏"]);
    assert!(pdf.starts_with(b"%PDF"));
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(show["adopted_budget_fen"], 32_600_000, "{show:#}");
    let publish = show["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "resolution_published")
        .unwrap()
        .clone();
    assert_eq!(
        publish["notice"]["sha256"],
        sha256(&pdf),
        "the record holds the hash of the posted PDF"
    );
    assert!(
        publish["notice"]["template_version"]
            .as_str()
            .unwrap()
            .len()
            > 3
    );
    // Later entries do not change the re-print: it is made from the record as posted.
    v.run(&[
        "implement",
        "2026-001",
        "--note",
        "开工",
        "--date",
        "2026-05-20",
    ])
    .ok();
    let again = v.dir.path().join("again.pdf");
    v.run(&["notice", "2026-001", "resolution", "-o", path_str(&again)])
        .ok();
    assert!(
        std::fs::read(&again).unwrap() == pdf,
        "re-print is byte-identical"
    );
    let text = text_of(&pdf);
    for needle in [
        "清河村",
        "决议公告",
        "全体村民",
        "¥326,000.00",
        "人民币叁拾贰万陆仟元整",
        "365",
        "特此公告",
        "村委会公告栏",
        "王建国",
        "13800138000",
        "城关镇",
        "2026-001",
    ] {
        assert!(text.contains(needle), "missing {needle} in:\n{text}");
    }
    // Never overwrites.
    v.refused(
        2,
        &["notice", "2026-001", "resolution", "-o", path_str(&again)],
    );
}

#[test]
fn a_reprint_never_prints_other_bytes_than_the_recorded_hash() {
    // A re-print re-renders the notice from the record as it was then; when that cannot give
    // the recorded bytes (another font), it prints the stored copy of the posted PDF, and
    // only if that copy has the recorded hash.
    let v = matter_until("resolution");
    let pdf = post_resolution(&v, &[]);
    let sha = sha256(&pdf);
    let other_face = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/fonts/NotoSerifSC-liuyi-Bold.ttf"
    );
    // Another font given, for a notice the bundled font made: the notice is what was
    // posted, and the font is said to be unused (it was a false alarm of tampering when no
    // key proved the stored copy).
    // Re-printed with the other font (and `before` the command): the posted bytes, and
    // what was said.
    let with_font = |name: &str, before: &[&str]| {
        let out = v.dir.path().join(name);
        let mut args = before.to_vec();
        args.extend([
            "notice",
            "2026-001",
            "resolution",
            "--font",
            other_face,
            "-o",
            path_str(&out),
        ]);
        let o = v.run(&args);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(std::fs::read(&out).unwrap() == pdf, "{name}");
        o.stdout.clone()
    };
    let said = with_font("a.pdf", &[]);
    assert!(said.contains("当初用程序自带字体生成"), "{said}");
    // The stored copy altered behind liuyi's back: never printed; the notice is re-rendered
    // from the record, byte-identical to the posted one.
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute_batch("DROP TRIGGER attachments_no_update;")
        .unwrap();
    let n = c
        .execute(
            "UPDATE attachments SET data = CAST('%PDF-1.7 forged' AS BLOB) WHERE sha256 = ?1",
            [&sha],
        )
        .unwrap();
    assert_eq!(n, 1, "the posted PDF is stored under its hash");
    drop(c);
    let b = v.dir.path().join("b.pdf");
    v.run(&["notice", "2026-001", "resolution", "-o", path_str(&b)])
        .ok();
    assert!(
        std::fs::read(&b).unwrap() == pdf,
        "re-rendered, not the altered copy"
    );
    // Without a good copy, and with another font given: re-rendered with the font that
    // made it, byte-identical, and the other font said to be unused.
    let said = with_font("c.pdf", &[]);
    assert!(said.contains("--font 未使用"), "{said}");
    // Without the key, the same (it was refused as an integrity failure, exit 4).
    let no_key = v.dir.path().join("none.key");
    with_font("d.pdf", &["--key", path_str(&no_key)]);
}

/// The publish entry recording the notice with hash `sha`: (idx, bytes).
fn publish_entry(c: &rusqlite::Connection, sha: &str) -> (i64, Vec<u8>) {
    c.query_row(
        "SELECT idx, bytes FROM entries WHERE instr(CAST(bytes AS TEXT), ?1) > 0
         AND instr(CAST(bytes AS TEXT), '\"publish\"') > 0",
        [sha],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// Entry 1 of the village's log made unreadable (a byte appended, the trigger that forbids
/// it dropped): every replay stops there. Returns the connection that did it.
fn damage_entry_1(v: &Village) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute_batch("DROP TRIGGER entries_no_update;").unwrap();
    let n = c
        .execute(
            "UPDATE entries SET bytes = CAST(bytes || ' ' AS BLOB) WHERE idx = 1",
            [],
        )
        .unwrap();
    assert_eq!(n, 1);
    c
}

/// The frontier of the last checkpoint at or before entry `idx` (where a proof of it starts)
/// with one bit of its hashes flipped, its size kept (the trigger that forbids it dropped).
fn flip_frontier_before(c: &rusqlite::Connection, idx: i64) {
    let (size, mut frontier): (i64, Vec<u8>) = c
        .query_row(
            "SELECT size, frontier FROM checkpoints WHERE size <= ?1 ORDER BY size DESC LIMIT 1",
            [idx],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(frontier.len() > 8);
    *frontier.last_mut().unwrap() ^= 1;
    c.execute_batch("DROP TRIGGER IF EXISTS checkpoints_no_update;")
        .unwrap();
    c.execute(
        "UPDATE checkpoints SET frontier = ?1 WHERE size = ?2",
        rusqlite::params![frontier, size],
    )
    .unwrap();
}

/// A change of secretary: `key rotate` run with the key file `from`, handing over to the new
/// key file `to`.
fn hand_over(v: &Village, from: &std::path::Path, to: &std::path::Path) {
    v.run_env(
        &[("LIUYI_KEY", path_str(from))],
        &[
            "key",
            "rotate",
            "--new-key",
            path_str(to),
            "--reason",
            "换届",
        ],
    )
    .ok();
}

/// Matter 2026-001 with its resolution notice posted and implementation begun (so the
/// publish entry is not the last): (village, the posted PDF).
fn posted_then_implemented() -> (Village, Vec<u8>) {
    let v = matter_until("resolution");
    let pdf = post_resolution(&v, &[]);
    v.run(&[
        "implement",
        "2026-001",
        "--note",
        "开工",
        "--date",
        "2026-05-20",
    ])
    .ok();
    (v, pdf)
}

#[test]
fn a_reprint_proved_by_the_signed_checkpoint_needs_no_replay_and_nothing_else_proves_it() {
    // The publish entry proved against the next checkpoint's signed root (by the village key
    // of the key file) prints the stored copy without replaying the log: a damaged earlier
    // entry, which stops every replay, does not stop it. Without that proof (no key file,
    // another key, a changed frontier) the re-print replays and is refused on the damage.
    let (v, pdf) = posted_then_implemented();
    let c = damage_entry_1(&v);
    let out = |name: &str| v.dir.path().join(name);

    let proved = out("proved.pdf");
    let o = v.run(&["notice", "2026-001", "resolution", "-o", path_str(&proved)]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(std::fs::read(&proved).unwrap() == pdf, "the posted bytes");
    // Only the key's public half is used: a key file others can read still proves.
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(v.key(), std::fs::Permissions::from_mode(0o644)).unwrap();
        let loose = out("loose.pdf");
        let o = v.run(&["notice", "2026-001", "resolution", "-o", path_str(&loose)]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(std::fs::read(&loose).unwrap() == pdf);
        std::fs::set_permissions(v.key(), std::fs::Permissions::from_mode(0o600)).unwrap();
    }

    let no_key = out("no-key.pdf");
    let e = v.refused_env(
        &[("LIUYI_KEY", path_str(&out("missing.key")))],
        4,
        &["notice", "2026-001", "resolution", "-o", path_str(&no_key)],
    );
    assert!(e.contains("E-LOG-LEAF"), "the replay meets the damage: {e}");
    assert!(!no_key.exists());

    let other = Village::with_roster();
    let other_key = out("other.pdf");
    v.refused_env(
        &[("LIUYI_KEY", path_str(&other.key()))],
        4,
        &[
            "notice",
            "2026-001",
            "resolution",
            "-o",
            path_str(&other_key),
        ],
    );
    assert!(!other_key.exists());

    // The frontier the proof starts from (the checkpoint before the publish entry) with
    // one bit of its hashes flipped, its size kept.
    let (idx, _) = publish_entry(&c, &sha256(&pdf));
    flip_frontier_before(&c, idx);
    let forged_frontier = out("frontier.pdf");
    v.refused(
        4,
        &[
            "notice",
            "2026-001",
            "resolution",
            "-o",
            path_str(&forged_frontier),
        ],
    );
    assert!(!forged_frontier.exists());
}

#[test]
fn after_changes_of_secretary_the_new_key_still_proves_a_notice_posted_before() {
    // Posted under the first key, then handed over twice. Each key file proves the publish
    // entry with the first checkpoint its key signed after it (the new keys' roots cover
    // every entry before them), and the stored copy prints without a replay: a damaged
    // earlier entry, which stops every replay, does not stop it.
    let (v, pdf) = posted_then_implemented();
    let second = v.dir.path().join("second.key");
    let third = v.dir.path().join("third.key");
    hand_over(&v, &v.key(), &second);
    hand_over(&v, &second, &third);
    let c = damage_entry_1(&v);
    for (key, name) in [
        (&third, "third.pdf"),
        (&second, "second.pdf"),
        (&v.key(), "first.pdf"),
    ] {
        let (code, printed) = reprint(&v, &[("LIUYI_KEY", path_str(key))], name);
        assert_eq!(code, 0, "proved by {name}");
        assert!(printed.as_deref() == Some(&pdf[..]), "the posted bytes");
    }

    // Any entry changed between the notice and the newest key's first checkpoint (here the
    // first hand-over's recorded old key) no longer gives the root that key signed: nothing
    // is proved, and the re-print replays into the damage.
    let (first_rotation, bytes): (i64, Vec<u8>) = c
        .query_row(
            "SELECT idx, bytes FROM entries WHERE instr(CAST(bytes AS TEXT), '\"key.rotate\"') > 0
             ORDER BY idx LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let other = Village::with_roster();
    let (other_key, _) = liuyi::record::keys::read_key_file(&other.key()).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let old_hex = text
        .split("\"old\":\"")
        .nth(1)
        .and_then(|t| t.get(..64))
        .unwrap()
        .to_string();
    let forged = text.replace(&old_hex, &other_key.public().to_hex());
    assert_ne!(forged, text);
    c.execute(
        "UPDATE entries SET bytes = CAST(?1 AS BLOB) WHERE idx = ?2",
        rusqlite::params![forged, first_rotation],
    )
    .unwrap();
    let (code, printed) = reprint(&v, &[("LIUYI_KEY", path_str(&third))], "forged.pdf");
    assert_eq!(code, 4, "replayed into the damage");
    assert!(printed.is_none());
}

#[test]
fn a_retired_key_cannot_make_the_new_key_file_print_a_forged_notice() {
    // The outgoing secretary keeps the old key file. After the hand-over they rewrite the
    // publish entry to record a forged PDF (stored beside the genuine one) and sign, with the
    // old key, the checkpoint right after it again over the changed root; the checkpoint
    // frontiers are left as they were. The new key file does not take the old key's word
    // for anything: its own first checkpoint no longer matches, the re-print replays, and
    // the re-rendered notice is not the forged one. Nothing is printed.
    let (v, pdf) = posted_then_implemented();
    let new_key = v.dir.path().join("new.key");
    hand_over(&v, &v.key(), &new_key);
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let forged = b"%PDF-1.7 a forged notice".to_vec();
    c.execute(
        "INSERT INTO attachments(sha256, size, data) VALUES (?1, ?2, ?3)",
        rusqlite::params![sha256(&forged), forged.len() as i64, forged],
    )
    .unwrap();
    let sha = sha256(&pdf);
    let (p, entry) = publish_entry(&c, &sha);
    let (from, frontier): (i64, Vec<u8>) = c
        .query_row(
            "SELECT size, frontier FROM checkpoints WHERE size <= ?1 ORDER BY size DESC LIMIT 1",
            [p],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let to: i64 = c
        .query_row(
            "SELECT size FROM checkpoints WHERE size > ?1 ORDER BY size LIMIT 1",
            [p],
            |r| r.get(0),
        )
        .unwrap();
    let text = String::from_utf8(entry).unwrap();
    let forged_text = text.replace(&sha, &sha256(&forged)).replace(
        &format!("\"size\":{}", pdf.len()),
        &format!("\"size\":{}", forged.len()),
    );
    assert_ne!(forged_text, text);
    let leaf = liuyi::record::merkle::leaf_hash(forged_text.as_bytes());
    c.execute_batch("DROP TRIGGER entries_no_update; DROP TRIGGER checkpoints_no_update;")
        .unwrap();
    c.execute(
        "UPDATE entries SET bytes = ?1, leaf = ?2 WHERE idx = ?3",
        rusqlite::params![forged_text.as_bytes(), leaf.to_vec(), p],
    )
    .unwrap();
    let mut range = liuyi::record::merkle::CompactRange::from_bytes(&frontier).unwrap();
    for i in from..to {
        let b: Vec<u8> = c
            .query_row("SELECT bytes FROM entries WHERE idx = ?1", [i], |r| {
                r.get(0)
            })
            .unwrap();
        range.push(liuyi::record::merkle::leaf_hash(&b));
    }
    let (old, origin) = liuyi::record::keys::read_key_file(&v.key()).unwrap();
    let cp = liuyi::record::note::Checkpoint {
        origin: origin.clone(),
        size: to as u64,
        root: range.root(),
    };
    let note = liuyi::record::note::sign_checkpoint(&old, &origin, &cp).unwrap();
    c.execute(
        "UPDATE checkpoints SET note = ?1 WHERE size = ?2",
        rusqlite::params![note, to],
    )
    .unwrap();
    let (code, printed) = reprint(&v, &[("LIUYI_KEY", path_str(&new_key))], "forged.pdf");
    assert_eq!(code, 4, "refused");
    assert!(
        printed.is_none(),
        "nothing printed, least of all the forged PDF"
    );
}

#[test]
fn with_a_key_file_a_replayed_notice_is_printed_only_if_the_key_signed_it() {
    // A replay checks no signature, so a re-render that matches the record proves nothing by
    // itself. Without a key file that is all there is, and the notice prints. With a key
    // file, the notice prints only if that key signed a record containing it: another
    // village's key, or a checkpoint frontier changed after signing, is refused (E-NOTICE,
    // saying what to do), nothing printed.
    let (v, pdf) = posted_then_implemented();
    let no_key = [("LIUYI_KEY", "/nonexistent/liuyi.key")];
    assert_eq!(reprint(&v, &no_key, "unkeyed.pdf"), (0, Some(pdf.clone())));
    let other = Village::with_roster();
    let out = v.dir.path().join("other.pdf");
    let o = v.run_env(
        &[("LIUYI_KEY", path_str(&other.key()))],
        &["notice", "2026-001", "resolution", "-o", path_str(&out)],
    );
    assert_eq!((o.code, out.exists()), (4, false), "{}", o.stderr);
    assert!(
        o.stderr.contains("E-NOTICE")
            && o.stderr.contains("没有签署含有这份公告的记录")
            && o.stderr.contains("liuyi check"),
        "{}",
        o.stderr
    );

    let c = rusqlite::Connection::open(v.db()).unwrap();
    let (idx, _) = publish_entry(&c, &sha256(&pdf));
    flip_frontier_before(&c, idx);
    assert_eq!(reprint(&v, &[], "keyed.pdf"), (4, None));
    assert_eq!(reprint(&v, &no_key, "unkeyed2.pdf"), (0, Some(pdf)));
}

/// Matter 2026-001 with its resolution notice posted and a later entry, and a forged PDF
/// stored beside the genuine one (inserting is what the append-only triggers allow).
struct ForgedCopy {
    v: Village,
    /// The posted PDF and its hash.
    pdf: Vec<u8>,
    sha: String,
    forged: Vec<u8>,
    /// A connection to the village's database, and the publish entry: (idx, bytes).
    db: rusqlite::Connection,
    idx: i64,
    entry: Vec<u8>,
}

fn posted_with_a_forged_copy() -> ForgedCopy {
    let (v, pdf) = posted_then_implemented();
    let forged = b"%PDF-1.7 a forged notice".to_vec();
    let db = rusqlite::Connection::open(v.db()).unwrap();
    db.execute(
        "INSERT INTO attachments(sha256, size, data) VALUES (?1, ?2, ?3)",
        rusqlite::params![sha256(&forged), forged.len() as i64, forged],
    )
    .unwrap();
    let sha = sha256(&pdf);
    let (idx, entry) = publish_entry(&db, &sha);
    ForgedCopy {
        v,
        pdf,
        sha,
        forged,
        db,
        idx,
        entry,
    }
}

/// Runs `notice 2026-001 resolution` (with `env`) into a new file: (exit code, the bytes
/// printed if any).
fn reprint(v: &Village, env: &[(&str, &str)], name: &str) -> (i32, Option<Vec<u8>>) {
    let out = v.dir.path().join(name);
    let o = v.run_env(
        env,
        &["notice", "2026-001", "resolution", "-o", path_str(&out)],
    );
    (o.code, std::fs::read(&out).ok())
}

/// Re-printing 2026-001's resolution notice is refused with `code` (the database
/// unchanged) and leaves no file; returns what it said.
#[track_caller]
fn reprint_refused(v: &Village, code: i32) -> String {
    let out = v.dir.path().join("refused.pdf");
    let e = v.refused(
        code,
        &["notice", "2026-001", "resolution", "-o", path_str(&out)],
    );
    assert!(!out.exists(), "nothing printed: {e}");
    e
}

#[test]
fn a_rewritten_publish_entry_cannot_make_a_reprint_print_a_forged_pdf() {
    // The publish entry rewritten to record the forged PDF's hash (its leaf recomputed, the
    // trigger dropped): the entry no longer gives the signed root, so nothing proves the
    // forged copy; the re-print replays, finds the notice re-rendered from the record is not
    // the one the entry records, and refuses. With the entry also claiming other templates
    // (whose stored copy would be printed), it still refuses: only the key proves a copy.
    let ForgedCopy {
        v,
        pdf,
        sha,
        forged,
        db: c,
        idx,
        entry,
    } = posted_with_a_forged_copy();
    let genuine_text = String::from_utf8(entry).unwrap();
    c.execute_batch("DROP TRIGGER entries_no_update;").unwrap();
    let rewrite = |text: String| {
        let leaf = {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            h.update([0u8]);
            h.update(text.as_bytes());
            h.finalize().to_vec()
        };
        c.execute(
            "UPDATE entries SET bytes = ?1, leaf = ?2 WHERE idx = ?3",
            rusqlite::params![text.as_bytes(), leaf, idx],
        )
        .unwrap();
    };
    let forged_text = genuine_text.replace(&sha, &sha256(&forged)).replace(
        &format!("\"size\":{}", pdf.len()),
        &format!("\"size\":{}", forged.len()),
    );
    assert_ne!(forged_text, genuine_text);
    rewrite(forged_text.clone());
    let (code, printed) = reprint(&v, &[], "a.pdf");
    assert_eq!((code, printed), (4, None), "refused, nothing printed");
    let other_templates =
        forged_text.replace("\"template_version\":\"", "\"template_version\":\"x");
    assert_ne!(other_templates, forged_text);
    rewrite(other_templates);
    let e = reprint_refused(&v, 4);
    assert!(e.contains("--key"), "says what to do: {e}");
    assert!(
        e.contains(&format!(
            "本程序无法重新生成的版本或字体制作（templates x{}",
            liuyi::paper::TEMPLATE_VERSION
        )),
        "{e}"
    );
}

#[test]
fn a_forged_snapshot_row_cannot_steer_a_reprint_to_a_forged_pdf() {
    // The snapshot is a cache anyone who can write the file can rewrite (no trigger guards
    // it): its row of the matter made to record the forged PDF's hash from other templates
    // (whose stored copy a re-print prints), its publish step pointed at the next entry, or
    // its resolution notice relabelled as the result notice. The village row signs every
    // matter row's digest, so a forged row is never used: the command replays the log, and
    // prints the genuine notice (with the key file or without) or refuses the result notice
    // the record has not posted.
    let ForgedCopy {
        v,
        pdf,
        sha,
        forged,
        db: c,
        idx,
        ..
    } = posted_with_a_forged_copy();
    let row: String = c
        .query_row(
            "SELECT state FROM snapshot_matters WHERE id = '2026-001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let forged_row = row
        .replace(&sha, &sha256(&forged))
        .replace("\"template_version\":\"", "\"template_version\":\"x");
    assert_ne!(forged_row, row);
    let set = |state: &str| {
        c.execute(
            "UPDATE snapshot_matters SET state = ?1 WHERE id = '2026-001'",
            [state],
        )
        .unwrap();
    };
    set(&forged_row);
    assert_eq!(reprint(&v, &[], "keyed.pdf"), (0, Some(pdf.clone())));
    let no_key = [("LIUYI_KEY", "/nonexistent/liuyi.key")];
    assert_eq!(reprint(&v, &no_key, "unkeyed.pdf"), (0, Some(pdf.clone())));

    let step = format!("\"stage\":\"resolution_published\",\"idx\":{idx},");
    assert!(forged_row.contains(&step), "{step}");
    set(&forged_row.replace(
        &step,
        &format!("\"stage\":\"resolution_published\",\"idx\":{},", idx + 1),
    ));
    for (env, name) in [(&[][..], "moved.pdf"), (&no_key[..], "moved-unkeyed.pdf")] {
        assert_eq!(reprint(&v, env, name), (0, Some(pdf.clone())), "{name}");
    }

    // The row made to say the resolution's publish entry posted the result notice: the
    // resolution notice is not printed as the result notice, which the record has not
    // posted.
    let as_result = row.replacen("\"kind\":\"resolution\"", "\"kind\":\"result\"", 1);
    assert_ne!(as_result, row);
    set(&as_result);
    for (env, name) in [
        (&[][..], "as-result.pdf"),
        (&no_key[..], "as-result-unkeyed.pdf"),
    ] {
        let out = v.dir.path().join(name);
        let o = v.run_env(env, &["notice", "2026-001", "result", "-o", path_str(&out)]);
        assert_eq!((o.code, out.exists()), (3, false), "{name}: {}", o.stderr);
        assert!(o.stderr.contains("尚未公开"), "{}", o.stderr);
    }
}

#[test]
fn a_notice_not_yet_posted_cannot_be_reprinted() {
    let v = matter_until("resolution");
    let e = reprint_refused(&v, 3);
    assert!(e.contains("尚未公开"), "{e}");
}

#[test]
fn the_signature_sheet_lists_every_household_in_scope() {
    let v = matter_until("consultation");
    let out = v.dir.path().join("sheet.pdf");
    v.run(&["form", "2026-001", "consultation", "-o", path_str(&out)])
        .ok();
    let pdf = std::fs::read(&out).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert!(doc.get_pages().len() >= 18, "365 households paginate");
    let text = text_of(&pdf);
    for hh in ["0001", "0183", "0365"] {
        assert!(text.contains(hh), "household {hh} on the sheet");
    }
    assert!(
        !text.contains("0366"),
        "moved-out households are not in scope"
    );
    // Its foot: the households due and blanks for the tally, and the signatures of the
    // representative, a supervision committee member and the branch secretary.
    assert!(
        text.contains("应签户数：365户")
            && text.contains("同意率：")
            && text.contains("征求人（村民代表）签字")
            && text.contains("村务监督委员会成员签字")
            && text.contains("村党组织书记签字"),
        "{text}"
    );
}

#[test]
fn receipts_and_signin_sheets_print() {
    let v = matter_until("motion");
    let r = v.dir.path().join("receipt.pdf");
    v.run(&["form", "2026-001", "motion", "-o", path_str(&r)])
        .ok();
    assert!(text_of(&std::fs::read(&r).unwrap()).contains("村内主干道硬化工程"));
    let s = v.dir.path().join("signin.pdf");
    v.run(&[
        "form",
        "2026-001",
        "signin",
        "-o",
        path_str(&s),
        "--date",
        "2026-03-06",
    ])
    .ok();
    let text = text_of(&std::fs::read(&s).unwrap());
    assert!(text.contains("签到"), "{text}");

    // A matter that no meeting is due for (withdrawn): the sheet must name its meeting.
    v.run(&["withdraw", "2026-001", "--reason", "合并办理"])
        .ok();
    let late = v.dir.path().join("late.pdf");
    let e = v.refused(2, &["form", "2026-001", "signin", "-o", path_str(&late)]);
    assert!(
        e.contains("「已撤回」阶段，没有待开的会议") && e.contains("--meeting"),
        "{e}"
    );
    assert!(!late.exists());
    v.run(&[
        "form",
        "2026-001",
        "signin",
        "--meeting",
        "proposal",
        "-o",
        path_str(&late),
    ])
    .ok();
    assert!(text_of(&std::fs::read(&late).unwrap()).contains("签到"));
    // The party members' meeting: 应到 counts full members; probationary members are
    // listed after them, attending without a vote; every row has its 户号.
    let people = v.people();
    let active = |p: &&liuyi::demo::Villager| p.status == "在村" || p.status == "外出";
    let full = people
        .iter()
        .filter(active)
        .filter(|p| p.party == "是")
        .count();
    let probationary = people
        .iter()
        .filter(active)
        .find(|p| p.party == "预备")
        .expect("the generated village has a probationary member");
    let review = v.dir.path().join("review.pdf");
    v.run(&[
        "form",
        "2026-001",
        "signin",
        "--meeting",
        "review",
        "-o",
        path_str(&review),
    ])
    .ok();
    let text = text_of(&std::fs::read(&review).unwrap());
    assert!(
        text.contains(&format!("应到：{full}人"))
            && text.contains("户号")
            && text.contains(&probationary.name)
            && text.contains(&probationary.household)
            && text.contains("预备党员（列席）"),
        "{text}"
    );
}

/// The default completion of `matter_with`, and the 2026-08-18 result notice's PDF text.
const COMPLETE: [&str; 4] = ["--spent", "318500", "--accepted-by", "镇建设办李工,王建国"];

fn result_text(v: &Village) -> String {
    text_of(&post_result(v, &["--date", "2026-08-18"]))
}

fn resolution_text(v: &Village) -> String {
    let out = v.dir.path().join("resolution.pdf");
    v.run(&["notice", "2026-001", "resolution", "-o", path_str(&out)])
        .ok();
    text_of(&std::fs::read(&out).unwrap())
}

#[test]
fn a_plan_without_budget_or_funding_prints_neither() {
    let v = matter_with("completed", &[], &[], &COMPLETE);
    let t = resolution_text(&v);
    assert!(t.contains("本事项未列预算，未列资金来源。"), "{t}");
    assert!(!t.contains("¥0.00") && !t.contains("零元整"), "{t}");
    assert!(!t.contains("村集体经济收入"), "{t}");
    let t = result_text(&v);
    assert!(t.contains("决算总额¥318,500.00"), "{t}");
    assert!(t.contains("本事项未列预算。"), "{t}");
    assert!(t.contains("资金来源未列明—318,500.00—"), "{t}");
    assert!(
        !t.contains("0.00（大写：人民币零元整）") && !t.contains("村集体经济收入"),
        "{t}"
    );
}

#[test]
fn a_budget_without_funding_text_names_no_source() {
    let v = matter_with("completed", &[], &["--budget", "326000"], &COMPLETE);
    let t = resolution_text(&v);
    assert!(
        t.contains("项目预算¥326,000.00（大写：人民币叁拾贰万陆仟元整），资金来源未列明。"),
        "{t}"
    );
    assert!(!t.contains("村集体经济收入"), "{t}");
    let t = result_text(&v);
    assert!(
        t.contains("资金来源未列明326,000.00318,500.00结余7,500.00"),
        "{t}"
    );
}

#[test]
fn a_budget_without_funding_keeps_its_total_beside_a_cost_split_by_source() {
    let v = matter_with(
        "completed",
        &[],
        &["--budget", "326000"],
        &[
            "--spent",
            "318500",
            "--spent-by",
            "财政=200000",
            "--spent-by",
            "村集体=118500",
            "--accepted-by",
            "李工",
        ],
    );
    let t = result_text(&v);
    // The sources money came from have no budget of their own (—); the plan's budget is
    // its own line, and the totals are against it (it printed ¥0.00 and 超支 ¥318,500.00).
    assert!(t.contains("财政—200,000.00—"), "{t}");
    assert!(
        t.contains("村集体—118,500.00—预算未按来源列明326,000.00——合计"),
        "{t}"
    );
    assert!(t.contains("合计¥326,000.00¥318,500.00结余¥7,500.00"), "{t}");
    assert!(!t.contains("超支¥"), "{t}");
    // Issued by the village committee and the 村务监督委员会 (SPEC §1, stage 9).
    assert!(
        t.contains("清河村村民委员会清河村村务监督委员会2026年8月18日"),
        "{t}"
    );
}

/// 2026.10: a final cost recorded as one sum (`complete` without `--spent-by`) beside a plan
/// that split its budget among sources lists each source's budget with its 决算 as —, and
/// prints one 合计 row. 2026.9 printed a row 合计（决算未按来源分列） above a second 合计 with
/// the same figures.
#[test]
fn a_final_cost_not_split_by_source_has_one_total_row() {
    let v = matter_until("completed");
    let t = result_text(&v);
    assert!(
        t.contains(
            "财政奖补200,000.00——村集体经济收入126,000.00——合计¥326,000.00¥318,500.00结余¥7,500.00"
        ),
        "{t}"
    );
    assert_eq!(t.matches("合计").count(), 1, "{t}");
    assert!(!t.contains("决算未按来源分列"), "{t}");
}

#[test]
fn funding_text_with_spaces_is_split_into_sources() {
    let v = matter_with(
        "resolution_published",
        &[],
        &[
            "--budget",
            "326000",
            "--funding",
            "上级补助 200000 元，村集体收入 126000 元",
        ],
        &COMPLETE,
    );
    let t = resolution_text(&v);
    assert!(
        t.contains("上级补助200,000.00村集体收入126,000.00合计¥326,000.00"),
        "{t}"
    );
}

#[test]
fn spent_by_must_name_a_source_of_the_plan_as_source_equals_amount() {
    let v = matter_with(
        "implementation",
        &[],
        &[
            "--budget",
            "326000",
            "--funding",
            "财政奖补200000元；村集体126000元",
        ],
        &COMPLETE,
    );
    let base = [
        "complete",
        "2026-001",
        "--spent",
        "326000",
        "--accepted-by",
        "王建国",
        "--date",
        "2026-08-15",
    ];
    let run = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend_from_slice(extra);
        v.refused(2, &a)
    };
    let e = run(&[
        "--spent-by",
        "上级补助=200000",
        "--spent-by",
        "村集体=126000",
    ]);
    assert!(
        e.contains("“上级补助”不在方案列明的资金来源中（财政奖补、村集体）"),
        "{e}"
    );
    let e = run(&["--spent-by", "财政奖补200000"]);
    assert!(e.contains("来源=金额"), "{e}");
    // Amounts that do not make up the final cost: bad input (exit 2, as a funding text that
    // does not add up to the budget; it was a rule refusal, exit 3), with the figures.
    let e = run(&[
        "--spent-by",
        "财政奖补=200000",
        "--spent-by",
        "村集体=126001",
    ]);
    assert!(
        e.contains("决算合计 ¥326,001.00（财政奖补 ¥200,000.00、村集体 ¥126,001.00）")
            && e.contains("相差 ¥1.00"),
        "{e}"
    );
    let mut en = base.to_vec();
    en.extend(["--spent-by", "上级补助=326000", "--lang", "en"]);
    let e = v.refused(2, &en);
    assert!(
        e.contains("not among the plan's funding sources (财政奖补, 村集体)"),
        "{e}"
    );
    // The plan's own names are accepted.
    let mut ok = base.to_vec();
    ok.extend([
        "--spent-by",
        "财政奖补=200000",
        "--spent-by",
        "村集体=126000",
    ]);
    v.run(&ok).ok();
}

#[test]
fn overspending_prints_as_overspent_not_a_negative_remainder() {
    let v = matter_with(
        "completed",
        &[],
        &[
            "--budget",
            "326000",
            "--funding",
            "上级补助200000元，村集体收入126000元",
        ],
        &[
            "--spent",
            "340000",
            "--spent-by",
            "上级补助=200000",
            "--spent-by",
            "村集体收入=140000",
            "--accepted-by",
            "王建国",
            "--overspend-reason",
            "增设排水边沟",
        ],
    );
    let t = result_text(&v);
    assert!(t.contains("超支原因：增设排水边沟"), "{t}");
    assert!(
        t.contains("村集体收入126,000.00140,000.00超支14,000.00"),
        "{t}"
    );
    assert!(
        t.contains("合计¥326,000.00¥340,000.00超支¥14,000.00"),
        "{t}"
    );
    assert!(!t.contains("-¥") && !t.contains("-14,000"), "{t}");
}

#[test]
fn a_receipt_without_attachments_says_none() {
    let v = matter_until("motion");
    let r = v.dir.path().join("receipt.pdf");
    v.run(&["form", "2026-001", "motion", "-o", path_str(&r)])
        .ok();
    let t = text_of(&std::fs::read(&r).unwrap());
    assert!(t.contains("附件无"), "{t}");
    assert!(!t.contains("共0份"), "{t}");
}

/// `complete` over budget: recorded (it happened), and the secretary told now, with the
/// numbers, not first by the result notice; within budget nothing is said.
#[test]
fn completing_over_budget_warns_with_the_numbers() {
    let v = matter_until("implementation");
    let complete = |v: &Village, spent: &str, lang: &str, reason: Option<&str>| {
        let mut args = vec![
            "--lang",
            lang,
            "complete",
            "2026-001",
            "--date",
            "2026-08-15",
            "--spent",
            spent,
            "--accepted-by",
            "王建国",
        ];
        if let Some(r) = reason {
            args.extend(["--overspend-reason", r]);
        }
        v.run(&args)
    };
    // Over the budget, the reason is asked for: nothing is recorded without it.
    let db = v.db_bytes();
    let o = complete(&v, "340000", "zh", None);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("实际支出 ¥340,000.00 超出预算 ¥326,000.00，超支 ¥14,000.00")
            && o.stderr.contains("--overspend-reason"),
        "{}",
        o.stderr
    );
    assert_eq!(v.db_bytes(), db);
    let o = complete(&v, "340000", "zh", Some("钢材涨价，经村民代表会议同意追加"));
    o.ok();
    assert!(
        o.stderr
            .contains("实际支出 ¥340,000.00 超出预算 ¥326,000.00，超支 ¥14,000.00（4.2%）"),
        "{}",
        o.stderr
    );
    assert_eq!(
        v.run(&["show", "2026-001", "--json"]).ok().json()["stage"],
        "completed"
    );
    let t = result_text(&v);
    assert!(
        t.contains("超支原因：钢材涨价，经村民代表会议同意追加") && t.contains("超支"),
        "{t}"
    );
    let v = matter_until("implementation");
    let o = complete(&v, "326000.01", "en", Some("rounding"));
    o.ok();
    assert!(
        o.stderr
            .contains("over the budget ¥326,000.00 by ¥0.01 (0.0%)"),
        "{}",
        o.stderr
    );
    // Within the budget there is nothing to explain: a reason is refused, none is needed.
    let v = matter_until("implementation");
    let db = v.db_bytes();
    let o = complete(&v, "326000", "zh", Some("无"));
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("未超出预算 ¥326,000.00"), "{}", o.stderr);
    assert_eq!(v.db_bytes(), db);
    let o = complete(&v, "326000", "zh", None);
    o.ok();
    assert!(!o.stderr.contains("超支"), "{}", o.stderr);
    assert!(!result_text(&v).contains("超支原因"));
}

/// A character the bundled font lacks is recorded as written, and the secretary is told at
/// once (it used to surface only at `publish`, weeks later, as a refusal); text the font
/// covers says nothing.
#[test]
fn a_character_the_font_lacks_is_noted_when_recorded() {
    let v = Village::with_roster();
    let by = v
        .people()
        .iter()
        .find(|p| p.relation == "户主" && p.status == "在村" && p.birth.0 < 1990)
        .map(|p| format!("{}:{}", p.household, p.name))
        .unwrap();
    let motion = |title: &str, lang: &str| {
        v.run(&[
            "--lang",
            lang,
            "motion",
            "--title",
            title,
            "--text",
            "修缮祠堂屋顶",
            "--by",
            &by,
            "--category",
            "public_works",
            "--date",
            "2026-03-02",
        ])
    };
    let o = motion("修缮𠮷家祠堂", "zh");
    o.ok();
    assert!(
        o.stderr.contains("已记录，但内置字体没有 “𠮷”（U+20BB7）") && o.stderr.contains("--font"),
        "{}",
        o.stderr
    );
    // Another matter (the same one again would be refused as a repeat).
    let o = motion("修缮𠮷家祠堂后院", "en");
    o.ok();
    assert!(
        o.stderr.contains("the bundled font lacks '𠮷' (U+20BB7)"),
        "{}",
        o.stderr
    );
    let o = motion("修缮祠堂", "zh");
    o.ok();
    assert!(!o.stderr.contains("字体"), "nothing to say: {}", o.stderr);
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(show["title"], "修缮𠮷家祠堂", "recorded as written");
    // `init` too: the village's name is on every notice and form and never changes (it
    // said nothing, and every form was refused later).
    let fresh = Village::empty();
    let o = fresh.run(&[
        "init",
        "--village",
        "囍村",
        "--township",
        "城关镇",
        "--county",
        "平安县",
        "--phone",
        "13800138000",
    ]);
    assert!(
        o.ok()
            .stderr
            .contains("已记录，但内置字体没有 “囍”（U+56CD）"),
        "{}",
        o.stderr
    );
    fresh.run(&["check"]).ok();
}

/// A village whose policy has 民议 ask each adult (SPEC §3): the opening fixes the adults,
/// each signs for themself, the sheet and the notice count people, and the record checks,
/// exports and verifies.
#[test]
fn a_village_that_asks_each_adult_consults_person_by_person() {
    // The village decides so in January: in force before its matter's 民议 opens.
    let mut v = Village::early_with_roster();
    let mut policy = v.run(&["policy", "show", "--json"]).ok().json();
    policy["consultation_unit"] = "adults".into();
    let file = v.write("policy.json", policy.to_string().as_bytes());
    v.run(&[
        "policy",
        "set",
        path_str(&file),
        "--reason",
        "村民会议决定逐人征求意见",
    ])
    .ok();
    v.now = "2026-10-30T10:00:00+08:00".into();
    let v = crate::matter::matter_until_in(v, "review");
    // Adults of an active household on the opening day, as the roster says.
    let day = (2026, 3, 18);
    let adults: Vec<_> = v
        .people()
        .into_iter()
        .filter(|p| matches!(p.status, "在村" | "外出"))
        .filter(|p| (p.birth.0 + 18, p.birth.1, p.birth.2) <= day)
        .collect();
    let o = v.run(&["consult", "2026-001", "open", "--date", "2026-03-18"]);
    o.ok();
    assert!(
        o.stdout
            .contains(&format!("范围内共 {} 名成年村民", adults.len())),
        "{}",
        o.stdout
    );
    let pending = v.run(&["status"]);
    assert!(
        pending
            .stdout
            .contains(&format!("民议：0/{} 人已签字同意", adults.len())),
        "{}",
        pending.stdout
    );
    let status = v
        .run(&["consult", "2026-001", "status", "--json"])
        .ok()
        .json();
    assert_eq!(status["unit"], "adults");
    assert_eq!(status["in_scope"], adults.len());
    let first = &adults[0];
    let key = format!("{}:{}", first.household, first.name);
    assert_eq!(status["missing"][0], key.as_str());

    // The sheet: a row per adult, headed 姓名.
    let sheet = v.dir.path().join("sheet.pdf");
    v.run(&["form", "2026-001", "consultation", "-o", path_str(&sheet)])
        .ok();
    let t = text_of(&std::fs::read(&sheet).unwrap());
    assert!(
        t.contains(&format!("共{}人", adults.len())) && t.contains("姓名"),
        "{t}"
    );
    assert!(
        t.contains(&format!("{}{}", first.household, first.name)),
        "{t}"
    );

    // The household alone is not enough when someone else signs: whose opinion is it?
    let other = adults
        .iter()
        .find(|p| p.household == first.household && p.name != first.name);
    if let Some(other) = other {
        let e = v.refused(
            3,
            &[
                "consult",
                "2026-001",
                "record",
                &first.household,
                "--consent",
                "--signer",
                &other.name,
                "--method",
                "same-household",
                "--sheet-page",
                "1",
            ],
        );
        assert!(e.contains(&format!("格式 {}:姓名", first.household)), "{e}");
    }

    // The first adult by hand, named with a full-width colon as a Chinese keyboard types it.
    let named = format!("{}：{}", first.household, first.name);
    v.run(&[
        "consult",
        "2026-001",
        "record",
        &named,
        "--consent",
        "--signer",
        &first.name,
        "--sheet-page",
        "1",
        "--date",
        "2026-03-25",
    ])
    .ok();
    // The others from a file with a 姓名 column, one row per adult: every other row leaves
    // it empty, the signer's own opinion given in person. Then the scans of its pages.
    let mut csv = String::from("户号,姓名,签字人,意见,页码,日期\n");
    for (i, p) in adults.iter().enumerate().skip(1) {
        let page = 1 + i / 20;
        let name = if i % 2 == 0 { p.name.as_str() } else { "" };
        csv += &format!("{},{name},{},同意,{page},2026-03-25\n", p.household, p.name);
    }
    let csv = v.write("adults.csv", csv.as_bytes());
    let o = v.run(&["consult", "2026-001", "import", path_str(&csv)]);
    o.ok();
    assert!(
        o.stdout
            .contains(&format!("已导入 {} 人的意见", adults.len() - 1)),
        "{}",
        o.stdout
    );
    let pages = format!("1-{}", 1 + (adults.len() - 1) / 20);
    let scan = v.write("sheets.pdf", b"scanned sheets");
    v.run(&[
        "consult",
        "2026-001",
        "attach",
        path_str(&scan),
        "--pages",
        &pages,
        "--date",
        "2026-03-26",
    ])
    .ok();
    v.run(&crate::matter::RESOLVE).ok();
    let t = text_of(&post_resolution(&v, &["--days", "15", "--place", "公告栏"]));
    let n = adults.len();
    assert!(t.contains("逐人征求成年村民意见"), "{t}");
    assert!(
        t.contains(&format!("应征求意见{n}人，签字同意{n}人")),
        "{t}"
    );

    // The record checks, and the township's replay accepts it.
    v.run(&["check"]).ok();
    let bundle = v.dir.path().join("bundle.zip");
    v.run(&["export", "--all", "-o", path_str(&bundle)]).ok();
    let report = v.run(&["verify", path_str(&bundle), "--json"]).ok().json();
    assert_eq!(report["ok"], true, "{report}");
}

/// `publish` without `-o` records the step and keeps the notice with the record; it says
/// so and how to print it (it used to say nothing of the PDF), and that command prints it.
#[test]
fn publish_without_an_output_says_how_to_print_the_notice() {
    let v = crate::matter::matter_until("resolution");
    let o = v.run(&[
        "publish",
        "2026-001",
        "resolution",
        "--days",
        "15",
        "--place",
        "村委会公告栏",
        "--date",
        "2026-04-26",
    ]);
    o.ok();
    assert!(
        o.stdout.contains(
            "公告 PDF 未写出；它已随记录保存，打印：liuyi notice 2026-001 resolution -o 公告.pdf"
        ),
        "{}",
        o.stdout
    );
    let out = v.dir.path().join("公告.pdf");
    v.run(&["notice", "2026-001", "resolution", "-o", path_str(&out)])
        .ok();
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
}

/// The 民议 sheet before the consultation is opened: nothing to print yet, said as what is
/// missing and what to run (it said the matter "cannot record a household's opinion").
#[test]
fn the_consultation_sheet_before_the_opening_says_what_to_run() {
    let v = crate::matter::matter_until("review");
    let out = v.dir.path().join("sheet.pdf");
    let e = v.refused(
        3,
        &["form", "2026-001", "consultation", "-o", path_str(&out)],
    );
    assert!(
        e.contains("不予打印：事项 2026-001 还没有记录民议。")
            && e.contains("liuyi consult 2026-001 open")
            && !e.contains("不能登记民议意见"),
        "{e}"
    );
    assert!(!out.exists());
}

/// A villagers' meeting whose quorum rests on the households represented prints them on the
/// resolution notice; a result notice posted while the resolution notice is still up says
/// no objection came in *so far*. Both notices reprint byte for byte, `check` passes, and
/// the township's `verify` re-renders them (templates 2026.5) without a difference.
#[test]
fn a_villagers_meeting_and_an_early_result_notice_print_what_is_known() {
    let v = matter_until("consented");
    v.run(&[
        "resolve",
        "2026-001",
        "--body",
        "villagers",
        "--present",
        "300",
        "--households-present",
        "260",
        "--for",
        "290",
        "--against",
        "0",
        "--abstain",
        "0",
        "--date",
        "2026-04-25",
    ])
    .ok();
    // Posted from 2026-04-26 for 15 days: up until 2026-05-10.
    let resolution = post_resolution(&v, &["--days", "15", "--place", "村委会公告栏"]);
    let t = text_of(&resolution);
    assert!(
        t.contains("决议环节村民会议有260户的代表参加（全村共365户）。"),
        "{t}"
    );
    for (cmd, date) in [("implement", "2026-04-28"), ("complete", "2026-05-08")] {
        let mut args = vec![cmd, "2026-001", "--date", date];
        if cmd == "implement" {
            args.extend(["--note", "开工"]);
        } else {
            args.extend(["--spent", "318500", "--accepted-by", "镇建设办李工"]);
        }
        v.run(&args).ok();
    }
    let result = post_result(
        &v,
        &[
            "--days",
            "15",
            "--place",
            "村委会公告栏",
            "--date",
            "2026-05-10",
        ],
    );
    let t = text_of(&result);
    assert!(
        t.contains("决议公示期至2026年5月10日止，尚未届满；截至本公告发布之日未收到异议。"),
        "{t}"
    );
    assert!(!t.contains("决议公示期内未收到异议"), "{t}");
    for (kind, posted) in [("resolution", &resolution), ("result", &result)] {
        let again = v.dir.path().join(format!("again-{kind}.pdf"));
        v.run(&["notice", "2026-001", kind, "-o", path_str(&again)])
            .ok();
        assert_eq!(&std::fs::read(&again).unwrap(), posted, "{kind}");
    }
    v.run(&["check"]).ok();
    let bundle = v.dir.path().join("b.zip");
    v.run(&["export", "--all", "-o", path_str(&bundle)]).ok();
    let (code, j) = crate::bundle::verify(&bundle, &[]);
    assert_eq!(code, 0, "{j:#}");
    assert!(
        !j["warnings"].to_string().contains("reproduc"),
        "every notice re-rendered: {j:#}"
    );
}

/// The objection contact changed after `init` (an election, a new number) is what the next
/// notices print; a notice posted before keeps the contact of its day. A bad phone is
/// refused with nothing recorded; the same contact again records nothing. `check` and the
/// township's `verify` (which re-renders every notice) agree.
#[test]
fn a_changed_supervision_contact_is_printed_on_later_notices() {
    let v = matter_until("resolution");
    let before = text_of(&post_resolution(&v, &[]));
    let shown = v.run(&["supervision", "show", "--json"]).ok().json();
    let (old_name, old_phone) = (
        shown["supervisor"].as_str().unwrap().to_string(),
        shown["phone"].as_str().unwrap().to_string(),
    );
    assert!(
        before.contains(&old_name) && before.contains(&old_phone),
        "{before}"
    );
    assert_eq!(shown["since"], serde_json::Value::Null);

    let db = v.db_bytes();
    let e = v.refused(2, &["supervision", "set", "--phone", "12345"]);
    assert!(e.contains("电话“12345”无效"), "{e}");
    assert_eq!(v.db_bytes(), db, "a refusal records nothing");
    let same = v.run(&["supervision", "set", "--phone", &old_phone]);
    assert!(same.ok().stdout.contains("未作记录"), "{}", same.stdout);
    assert_eq!(v.db_bytes(), db, "the same contact records nothing");

    let set = v.run(&[
        "supervision",
        "set",
        "--supervisor",
        "赵德明",
        "--phone",
        "0311-87654321",
        "--reason",
        "村务监督委员会换届",
        "--date",
        "2026-05-02",
    ]);
    assert!(
        set.ok().stdout.contains("赵德明") && set.stdout.contains("2026-05-02"),
        "{}",
        set.stdout
    );
    let shown = v.run(&["supervision", "show", "--json"]).ok().json();
    assert_eq!(shown["supervisor"], "赵德明");
    assert_eq!(shown["phone"], "0311-87654321");
    assert_eq!(shown["since"], "2026-05-02");
    // Only the phone: the contact stays.
    v.run(&[
        "supervision",
        "set",
        "--phone",
        "0311-87654322",
        "--date",
        "2026-05-03",
    ])
    .ok();
    let shown = v.run(&["supervision", "show", "--json"]).ok().json();
    assert_eq!(
        (shown["supervisor"].as_str(), shown["phone"].as_str()),
        (Some("赵德明"), Some("0311-87654322"))
    );

    v.run(&[
        "implement",
        "2026-001",
        "--note",
        "开工",
        "--date",
        "2026-05-20",
    ])
    .ok();
    v.run(&[
        "complete",
        "2026-001",
        "--spent",
        "318500",
        "--accepted-by",
        "镇建设办李工",
        "--date",
        "2026-08-15",
    ])
    .ok();
    let after = result_text(&v);
    assert!(
        after.contains("联系人：赵德明，电话：0311-87654322"),
        "{after}"
    );
    assert!(!after.contains(&old_name), "{after}");
    // The resolution notice posted before the change reprints as it was posted.
    assert_eq!(resolution_text(&v), before);
    v.run(&["check"]).ok();
    let bundle = v.dir.path().join("b.zip");
    v.run(&["export", "--all", "-o", path_str(&bundle)]).ok();
    let (code, j) = crate::bundle::verify(&bundle, &[]);
    assert_eq!(code, 0, "{j:#}");
}

/// A declined motion gets a written reply (SPEC §1, stage 2): `form ID reply` prints it
/// with the meeting that declined it, the day and the recorded reason, to the proposers.
/// A matter not declined has none to print (exit 3, as another form of a step not taken).
#[test]
fn a_declined_motion_gets_a_written_reply() {
    let v = matter_until("motion");
    let out = v.dir.path().join("reply.pdf");
    let e = v.refused(3, &["form", "2026-001", "reply", "-o", path_str(&out)]);
    assert!(e.contains("liuyi form 2026-001 motion"), "{e}");
    assert!(!out.exists());
    // A withdrawn matter was not declined: said so, not "no decline recorded yet".
    let w = matter_until("motion");
    w.run(&[
        "withdraw",
        "2026-001",
        "--reason",
        "重复提交",
        "--date",
        "2026-03-05",
    ])
    .ok();
    let e = w.refused(3, &["form", "2026-001", "reply", "-o", path_str(&out)]);
    assert!(e.contains("已撤回") && !e.contains("还没有记录"), "{e}");
    v.run(&[
        "propose",
        "2026-001",
        "--present",
        "5",
        "--decision",
        "decline",
        "--reason",
        "该路段已列入县道改造计划",
        "--date",
        "2026-03-06",
    ])
    .ok();
    v.run(&["form", "2026-001", "答复书", "-o", path_str(&out)])
        .ok();
    let text = text_of(&std::fs::read(&out).unwrap());
    let motion = v.run(&["show", "2026-001", "--json"]).ok().json();
    let title = motion["title"].as_str().unwrap().to_string();
    for want in [
        "村民书面动议答复书",
        "村党组织（支委会）研究，决定不予通过",
        "2026年3月6日",
        "理由：该路段已列入县道改造计划。",
        &title,
        "支部委员会",
        // Where a disagreement goes, with the contact the notices print (the village's
        // init gave 王建国 and 13800138000).
        "可向村务监督委员会（联系人：王建国，电话：13800138000）反映",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    // A sign-in sheet's date given to the reply is refused, not ignored unsaid.
    let other = v.dir.path().join("reply2.pdf");
    let e = v.refused(
        2,
        &[
            "form",
            "2026-001",
            "reply",
            "-o",
            path_str(&other),
            "--date",
            "2030-01-02",
        ],
    );
    assert!(e.contains("--date 只用于签到表"), "{e}");
    assert!(!other.exists());
}

/// Templates 2026.9 print only what the record holds. A motion's estimate (`--amount`) is
/// not a budget 商议 adopted: without `discuss --budget` the notices say no budget was set
/// (they printed the estimate as 项目预算, and the result notice a 结余 against it). A
/// resolution recorded without text is said to be one (the motion's words were printed as
/// what the meeting resolved). A completion without implementation steps has no start day
/// (the completion day was printed as 开工日期), and a failed acceptance is not 通过验收.
#[test]
fn the_notices_print_no_budget_text_or_start_day_the_record_does_not_hold() {
    let v = matter_with("consented", &["--amount", "5000"], &[], &[]);
    let resolve: Vec<&str> = crate::matter::RESOLVE
        .iter()
        .copied()
        .filter(|a| !["--text", "同意实施"].contains(a))
        .collect();
    v.run(&resolve).ok();
    let text = text_of(&post_resolution(
        &v,
        &["--days", "15", "--place", "村委会公告栏"],
    ));
    assert!(
        text.contains("本事项未列预算") && !text.contains("5,000.00"),
        "{text}"
    );
    assert!(
        text.contains(
            "会议表决通过本事项，决议未另附文字。本事项的内容见村民书面动议：硬化村口至村小学道路"
        ),
        "{text}"
    );
    // `show` calls the figure what it is; `--json` gives the adopted budget beside it.
    let j = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert_eq!(
        (j["budget_fen"].clone(), j["adopted_budget_fen"].clone()),
        (serde_json::json!(500000), serde_json::Value::Null),
        "{j:#}"
    );
    let shown = v.run(&["show", "2026-001"]).ok().stdout.clone();
    assert!(
        shown.contains("估算金额（动议，商议未定预算）：¥5000.00") && !shown.contains("预算：¥"),
        "{shown}"
    );
    // Spending past the estimate is no overspend: no budget was adopted (a reason for it
    // was required, and printed as 超支原因 beside 本事项未列预算).
    let o = v.run(&[
        "complete",
        "2026-001",
        "--spent",
        "6000",
        "--accepted-by",
        "王建国",
        "--acceptance",
        "不合格，责令返工",
        "--date",
        "2026-05-20",
    ]);
    // Without --supervision: the note says what the notice prints (it said 无).
    let unrecorded = "竣工验收登记时未记录村务监督委员会意见。";
    assert!(
        o.ok().stderr.contains(unrecorded) && !o.stderr.contains("“无”"),
        "{}",
        o.stderr
    );
    // Nor the contractor: the note says the notice prints "—" (no funding sources to split
    // the cost by, so nothing said of them).
    assert!(
        o.stderr
            .contains("施工单位（--contractor）或其确定方式（--procurement")
            && !o.stderr.contains("--spent-by"),
        "{}",
        o.stderr
    );
    let text = text_of(&post_result(
        &v,
        &[
            "--days",
            "15",
            "--place",
            "村委会公告栏",
            "--date",
            "2026-05-21",
        ],
    ));
    assert!(
        text.contains("现已完工并组织验收")
            && !text.contains("通过验收")
            && text.contains("验收结论：不合格，责令返工"),
        "{text}"
    );
    assert!(text.contains(unrecorded), "{text}");
    assert!(
        text.contains("完工日期：2026年5月20日（未记录开工日期）") && !text.contains("开工日期："),
        "{text}"
    );
    assert!(
        text.contains("本事项未列预算")
            && text.contains("6,000.00")
            && !text.contains("5,000.00")
            && !text.contains("超支原因"),
        "{text}"
    );
    v.run(&["check"]).ok();
}

/// A completion recorded without the supervision committee's opinion could never be given
/// it: `complete` was refused at 已完成, and the result notice, which the committee issues,
/// printed that none was recorded. It is recorded again until the result notice is out, as
/// a correction (SPEC §2): it names the completion it corrects and says why, keeps its date
/// unless given one (an earlier one too: the date may be the mistake), and the notice
/// prints the last; the same completion again is the command run twice.
#[test]
fn a_completion_is_put_right_before_the_result_notice() {
    let v = matter_until("completed");
    let mut again = vec![
        "complete",
        "2026-001",
        "--spent",
        "318500",
        "--accepted-by",
        "镇建设办李工,王建国",
        "--supervision",
        "经监督，工程按决议实施，同意验收",
    ];
    // Without saying why: refused, with the entry it would correct and how.
    let e = v.refused(2, &again);
    assert!(
        e.contains("已于 2026-08-15 登记竣工验收") && e.contains("--correction"),
        "{e}"
    );
    again.extend(["--correction", "补记村务监督委员会意见"]);
    let o = v.run(&again);
    assert!(
        o.ok().stderr.contains("竣工验收已重新登记（更正）"),
        "{}",
        o.stderr
    );
    let j = v.run(&["show", "2026-001", "--json"]).ok().json();
    let steps = j["stages"].as_array().unwrap();
    let (first, last) = (&steps[steps.len() - 2], &steps[steps.len() - 1]);
    assert_eq!(last["corrects"], first["entry"], "{j:#}");
    assert_eq!(last["date"], "2026-08-15", "the date it corrects: {j:#}");
    let shown = v.run(&["show", "2026-001"]).ok().stdout.clone();
    assert!(
        shown.contains("2026-08-15 竣工验收（更正）　补记村务监督委员会意见"),
        "{shown}"
    );
    // The first completion's date was the mistake: a correction may be dated before it
    // (not before the work it completes).
    let mut earlier = again.clone();
    earlier.extend(["--date", "2026-08-10", "--delivered", "道路1.2公里"]);
    v.run(&earlier).ok();
    let mut before_work = again.clone();
    before_work.extend(["--date", "2026-05-19", "--delivered", "道路1.3公里"]);
    let e = v.refused(3, &before_work);
    assert!(e.contains("2026-05-20"), "{e}");
    let e = v.refused(2, &earlier);
    assert!(e.contains("已按完全相同的内容登记过（2026-08-10）"), "{e}");
    let text = text_of(&post_result(
        &v,
        &[
            "--days",
            "15",
            "--place",
            "村委会公告栏",
            "--date",
            "2026-08-18",
        ],
    ));
    assert!(
        text.contains("经监督，工程按决议实施，同意验收")
            && !text.contains("竣工验收登记时未记录村务监督委员会意见")
            && text.contains("2026年8月10日"),
        "{text}"
    );
    // Once the result notice is out, the completion it printed stands.
    let mut late = again.clone();
    late.extend(["--date", "2026-08-20"]);
    let e = v.refused(3, &late);
    assert!(e.contains("竣工验收"), "{e}");
    v.run(&["check"]).ok();
    let bundle = v.dir.path().join("b.zip");
    v.run(&["export", "--all", "-o", path_str(&bundle)]).ok();
    let o = v.run(&["verify", path_str(&bundle), "--json"]);
    assert_eq!(o.code, 0, "{}", o.stdout);
}

/// A village with no supervision phone yet, publishing before its matter has a resolution:
/// told first that there is none (it was sent to set the phone, then refused again).
#[test]
fn publish_says_the_matter_is_not_resolved_before_asking_for_the_phone() {
    let v = crate::matter::matter_in(
        Village::with_roster_and(&[]),
        "review",
        &["--amount", "326000"],
        &["--budget", "326000"],
        &[],
    );
    let e = v.refused(3, &["publish", "2026-001", "resolution"]);
    assert!(!e.contains("supervision set"), "{e}");
    assert!(e.contains("审议"), "{e}");
    let v = crate::matter::matter_in(
        Village::with_roster_and(&[]),
        "resolution",
        &["--amount", "326000"],
        &["--budget", "326000"],
        &[],
    );
    let e = v.refused(2, &["publish", "2026-001", "resolution"]);
    assert!(e.contains("liuyi supervision set"), "{e}");
}

/// 2026.11: a household that signed and then moved out during the 民议 (a roster change
/// recorded with its reason) is told of on the resolution notice, as `consult status` and
/// the 民议 sheet tell of it, beside the counts that leave it out; and a resolution written
/// 一、二、 is set under the notice's 二、决议内容 as （一）（二）, the record's text unchanged.
#[test]
fn the_resolution_notice_tells_of_a_household_that_left_the_consultation() {
    let v = matter_until("consented");
    let people = v.people();
    let h = people
        .iter()
        .find(|p| p.relation == "户主" && p.status == "在村")
        .unwrap()
        .household
        .clone();
    let in_scope = v
        .run(&["consult", "2026-001", "status", "--json"])
        .ok()
        .json()["in_scope"]
        .as_u64()
        .unwrap();
    let mut moved = people.clone();
    for p in moved.iter_mut().filter(|p| p.household == h) {
        p.status = "迁出";
    }
    let f = v.write("moved.csv", liuyi::demo::roster_csv(&moved).as_bytes());
    v.run(&[
        "roster",
        "import",
        path_str(&f),
        "--date",
        "2026-03-27",
        "--reason",
        "全户迁出",
    ])
    .ok();
    let status = v
        .run(&["consult", "2026-001", "status"])
        .ok()
        .stdout
        .clone();
    assert!(
        status.contains(&format!("已退出范围：{h}（全户迁出）")),
        "{status}"
    );
    let text = "一、同意实施村内主干道硬化工程。\n二、工程分两期实施。";
    let file = v.write("resolution.txt", text.as_bytes());
    let mut resolve = crate::matter::RESOLVE.to_vec();
    let at = resolve.iter().position(|a| *a == "--text").unwrap();
    resolve.splice(at..at + 2, ["--text-file", path_str(&file)]);
    v.run(&resolve).ok();
    let t = text_of(&post_resolution(
        &v,
        &["--days", "15", "--place", "村委会公告栏"],
    ));
    let n = in_scope - 1;
    assert!(
        t.contains(&format!(
            "民议环节应征求意见{n}户，签字同意{n}户（{n}/{n}），同意率100%，均签字留痕。\
             民议期间另有1户按花名册变更退出征求范围，不计入应征求意见户数：{h}（全户迁出）。"
        )),
        "{t}"
    );
    assert!(
        t.contains(
            "二、决议内容（一）同意实施村内主干道硬化工程。（二）工程分两期实施。三、预算及资金来源"
        ),
        "{t}"
    );
    let show = v.run(&["show", "2026-001", "--json"]).ok().json();
    assert!(
        show.to_string().contains(&text.replace('\n', "\\n")),
        "{show:#}"
    );
    v.run(&["check"]).ok();
}

/// Templates 2026.12 keep a date in running text whole, as 2026.10 did in table cells: the
/// result notice printed 完工日期：2026年8月 at a line's end and 15日 on the next.
#[test]
fn a_date_in_running_text_is_not_broken_from_2026_12() {
    let v = matter_until("completed");
    let pdf = post_result(
        &v,
        &[
            "--days",
            "15",
            "--place",
            "村委会公告栏",
            "--date",
            "2026-08-18",
        ],
    );
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let lines: Vec<String> = doc
        .extract_text(&pages)
        .unwrap()
        .lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    assert!(
        lines.iter().any(|l| l.starts_with("2026年8月15日")),
        "the date, whole, begins the next line: {lines:#?}"
    );
    assert!(
        !lines.iter().any(|l| l.ends_with("2026年8月")),
        "{lines:#?}"
    );
}

/// 2026.14: the result notice names every contractor the record holds, in order (it named
/// only the last, so the first of two who shared the work was not on the board).
#[test]
fn the_result_notice_names_every_contractor() {
    let v = matter_until("resolution_published");
    for (note, spent, contractor, date) in [
        ("一标段进场", "100000", "甲建筑公司", "2026-05-01"),
        ("二标段进场", "150000", "乙路桥公司", "2026-06-01"),
        ("二标段续建", "50000", "乙路桥公司", "2026-06-20"),
    ] {
        v.run(&[
            "implement",
            "2026-001",
            "--note",
            note,
            "--spent",
            spent,
            "--contractor",
            contractor,
            "--date",
            date,
        ])
        .ok();
    }
    v.run(&[
        "complete",
        "2026-001",
        "--spent",
        "300000",
        "--accepted-by",
        "王建国",
        "--supervision",
        "同意",
        "--procurement",
        "比选",
        "--date",
        "2026-08-15",
    ])
    .ok();
    let text = text_of(&post_result(&v, &["--date", "2026-08-18"]));
    assert!(
        text.contains("施工（承接）单位：甲建筑公司、乙路桥公司，确定方式：比选"),
        "{text}"
    );
}

/// A written motion of a few paragraphs: its receipt keeps the signature, seal and date on
/// the page that shows the motion (they went over to a second page with the verification
/// block, which did not fit beside the signer's long line), and a receipt carries page
/// numbers.
#[test]
fn a_receipt_keeps_its_signature_with_the_motion() {
    let v = Village::with_roster();
    let text = v.write(
        "m.txt",
        "我村东片至村小学道路为土路，雨天泥泞，学生上下学和农产品运输十分不便。经我们几户商量，提议将该段道路硬化，长约1.2公里，宽4.5米，所需资金请村里统筹申请一事一议财政奖补，不足部分由村集体经济收入解决。\n恳请村党支部研究。\n此致\n".as_bytes(),
    );
    let by = v
        .people()
        .into_iter()
        .filter(|p| p.relation == "户主")
        .take(2)
        .map(|p| format!("{}:{}", p.household, p.name))
        .collect::<Vec<_>>()
        .join(",");
    v.run(&[
        "motion",
        "--title",
        "村东道路硬化工程",
        "--text-file",
        path_str(&text),
        "--by",
        &by,
        "--amount",
        "300000",
        "--date",
        "2026-09-01",
    ])
    .ok();
    let r = v.dir.path().join("receipt.pdf");
    v.run(&["form", "2026-001", "motion", "-o", path_str(&r)])
        .ok();
    let pdf = std::fs::read(&r).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    assert_eq!(doc.get_pages().len(), 1);
    let text = text_of(&pdf);
    assert!(
        text.contains("受理人签字")
            && text.contains("村民委员会（盖章）")
            && text.contains("第1页共1页"),
        "{text}"
    );
}

/// A --font that is no font file (a text file, a path that is not there) is bad input
/// (exit 2, it was 1), said in the user's language with what to give instead.
#[test]
fn a_font_that_is_no_font_file_is_bad_input() {
    let v = matter_until("resolution");
    let not_font = v.write("x.txt", b"hello");
    let missing = v.dir.path().join("none.ttf");
    for (font, says) in [
        (path_str(&not_font), "不是 TrueType/OpenType 字体文件"),
        (path_str(&missing), "找不到这个文件"),
    ] {
        let out = v.dir.path().join("n.pdf");
        let e = v.refused(
            2,
            &[
                "publish",
                "2026-001",
                "resolution",
                "--date",
                "2026-04-26",
                "--font",
                font,
                "-o",
                path_str(&out),
            ],
        );
        assert!(e.contains(says) && e.contains("--font"), "{e}");
        assert!(!out.exists());
    }
}
