//! `liuyi check` catches what an SQLite tool can do behind liuyi's back.

use crate::harness::*;
use crate::matter::matter_until;

/// Records the consent of the first person living in the village to 2026-001's round (on
/// sheet page 1), and returns them.
fn record_one(v: &Village) -> liuyi::demo::Villager {
    record_one_with(v, &[], &[])
}

/// `record_one` with `env` and `extra` flags.
fn record_one_with(v: &Village, env: &[(&str, &str)], extra: &[&str]) -> liuyi::demo::Villager {
    let people = v.people();
    let p = people.iter().find(|p| p.status == "在村").unwrap().clone();
    let mut args = vec![
        "consult",
        "2026-001",
        "record",
        &p.household,
        "--consent",
        "--signer",
        &p.name,
        "--sheet-page",
        "1",
    ];
    args.extend_from_slice(extra);
    v.run_env(env, &args).ok();
    p
}

/// `check --json` on `v`: it must find a problem (exit 4); its report.
#[track_caller]
fn problems_found(v: &Village) -> serde_json::Value {
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 4, "{}", o.stderr);
    o.json()
}

fn sql(v: &Village, statements: &str) {
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute_batch(statements).unwrap();
}

/// The problem with `code` in a `check --json` report.
fn problem_with(report: &serde_json::Value, code: &str) -> serde_json::Value {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .unwrap_or_else(|| panic!("no {code}: {report:#}"))
        .clone()
}

/// Triggers kept under their names but rewritten through `PRAGMA writable_schema` to do
/// nothing: checkpoints could then be deleted and check still passed (it counted names).
#[test]
fn triggers_rewritten_to_do_nothing_are_caught() {
    let v = matter_until("review");
    v.run(&["check"]).ok();
    sql(
        &v,
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = replace(sql, 'SELECT RAISE(ABORT', 'SELECT coalesce(1')
         WHERE type = 'trigger';
         PRAGMA writable_schema = OFF;",
    );
    // The neutered guards let the older checkpoints go (SPEC: every checkpoint is kept).
    sql(
        &v,
        "DELETE FROM checkpoints WHERE size < (SELECT max(size) FROM checkpoints);",
    );
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 4, "{}", o.stdout);
    let j = o.json();
    let p = problem_with(&j, "E-DB-TRIGGERS");
    let m = p["message"].as_str().unwrap();
    assert!(
        m.contains("被改写") && m.contains("entries_no_delete") && m.contains("checkpoints_extend"),
        "{m}"
    );
}

/// A table's definition rewritten through `PRAGMA writable_schema` (STRICT or a CHECK
/// taken off) is reported, with every other problem; a value that then does not fit the
/// table, where check reads it, ends the report there instead of stopping check with a
/// raw SQLite error (exit 1, nothing reported).
#[test]
fn tables_redefined_through_writable_schema_are_caught() {
    let v = matter_until("review");
    let fresh = std::fs::read(v.db()).unwrap();
    let redefine = |table: &str, from: &str, to: &str| {
        sql(
            &v,
            &format!(
                "PRAGMA writable_schema = ON;
                 UPDATE sqlite_schema SET sql = replace(sql, '{from}', '{to}')
                 WHERE type = 'table' AND name = '{table}';
                 PRAGMA writable_schema = OFF;"
            ),
        );
    };
    let names = |j: &serde_json::Value| {
        let p = problem_with(j, "E-DB-SCHEMA");
        assert_eq!(p["location"], "sqlite_schema", "{j}");
        p["message"].as_str().unwrap().to_string()
    };
    // STRICT taken off the log's table: nothing else changed, and still not a pass.
    redefine("entries", ") STRICT", ")");
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 4, "{}", o.stdout);
    let j = o.json();
    assert_eq!(j["ok"], false);
    assert_eq!(j["problems"].as_array().unwrap().len(), 1, "{j}");
    let m = names(&j);
    assert!(m.contains("entries") && m.contains("表定义被改写"), "{m}");
    // A stored leaf as text: where check reads it, the report ends, saying what stopped it.
    sql(
        &v,
        "INSERT INTO entries SELECT max(idx) + 1, (SELECT leaf FROM entries ORDER BY idx DESC LIMIT 1), \
         'not a hash', X'7B7D' FROM entries;",
    );
    let o = v.run(&["check", "--json", "--lang", "en"]);
    assert_eq!(o.code, 4, "{}{}", o.stdout, o.stderr);
    let j = o.json();
    let m = names(&j);
    assert!(
        m.contains("(entries)") && m.contains("check stopped there"),
        "{m}"
    );
    assert!(m.contains("leaf"), "{m}");
    // A writing command stops there too, with the integrity exit code and what to do,
    // recording nothing.
    let before = v.db_bytes();
    let e = v.refused(
        4,
        &[
            "withdraw",
            "2026-001",
            "--reason",
            "重复",
            "--date",
            "2026-03-20",
        ],
    );
    assert!(
        e.contains("E-DB-SCHEMA") && e.contains("请勿继续录入"),
        "{e}"
    );
    assert!(v.db_bytes() == before);
    // A CHECK taken off a projection, and a row that breaks it: both reported.
    std::fs::write(v.db(), &fresh).unwrap();
    redefine("people", "CHECK (sex IN (''男'',''女''))", "");
    sql(
        &v,
        "UPDATE people SET sex = '?' WHERE rowid = (SELECT min(rowid) FROM people);",
    );
    let j = problems_found(&v);
    let m = names(&j);
    assert!(m.contains("people") && !m.contains("entries"), "{m}");
    problem_with(&j, "E-PROJ");
    // Hidden behind a comment, STRICT gone is still gone; spacing and comments alone are
    // not a change.
    std::fs::write(v.db(), &fresh).unwrap();
    redefine("checkpoints", ") STRICT", ") -- STRICT");
    assert!(names(&problems_found(&v)).contains("checkpoints"));
    std::fs::write(v.db(), &fresh).unwrap();
    redefine("checkpoints", ") STRICT", ")   /* the log''s */  STRICT");
    v.run(&["check"]).ok();
    // SQLite reads a definition up to its first NUL: STRICT after one is gone, and a
    // definition stored as a blob is loaded as its text (a review found both passing, or
    // stopping check with exit 1).
    for rewrite in [
        "replace(sql, ') STRICT', ') --' || char(0) || char(10) || 'STRICT')",
        "CAST(replace(sql, ') STRICT', ')') AS BLOB)",
    ] {
        std::fs::write(v.db(), &fresh).unwrap();
        sql(
            &v,
            &format!(
                "PRAGMA writable_schema = ON;
                 UPDATE sqlite_schema SET sql = {rewrite} WHERE name = 'entries';
                 PRAGMA writable_schema = OFF;"
            ),
        );
        let o = v.run(&["check", "--json"]);
        assert_eq!(o.code, 4, "{rewrite}: {}{}", o.stdout, o.stderr);
        assert!(names(&o.json()).contains("entries"), "{rewrite}");
    }
    // Objects liuyi never makes: reported by type and name (SQLite's own statistics, from
    // ANALYZE, are not liuyi's to judge).
    std::fs::write(v.db(), &fresh).unwrap();
    sql(
        &v,
        "CREATE INDEX by_signer ON consents(signer); CREATE VIEW v AS SELECT 1;
         CREATE TABLE notes(x); ANALYZE;",
    );
    let o = v.run(&["check", "--json", "--lang", "en"]);
    assert_eq!(o.code, 4, "{}{}", o.stdout, o.stderr);
    let m = names(&o.json());
    assert!(m.contains("index by_signer, table notes, view v"), "{m}");
    // A column renamed: `check` reports the table, and a command that reads it says the
    // file was damaged or altered (exit 4), not SQLite's "no such column" with exit 1.
    std::fs::write(v.db(), &fresh).unwrap();
    sql(&v, "ALTER TABLE matters RENAME COLUMN view TO v;");
    assert!(names(&problems_found(&v)).contains("matters"));
    for args in [&["list"][..], &["status"]] {
        let e = v.refused(4, args);
        assert!(
            e.contains("已损坏") && e.contains("no such column"),
            "{args:?}: {e}"
        );
    }
    // A table dropped (here an empty one, which nothing stops dropping).
    std::fs::write(v.db(), &fresh).unwrap();
    sql(&v, "DROP TABLE cosigned;");
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 4, "{}{}", o.stdout, o.stderr);
    assert!(names(&o.json()).contains("cosigned"));
}

/// Runs `change` with the triggers that would refuse it dropped, then puts them back as
/// they were: a change with another tool that leaves no trace in the schema.
fn behind_the_triggers(v: &Village, triggers: &[&str], change: &str) {
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let mut restore = String::new();
    for t in triggers {
        let sql: String = c
            .query_row("SELECT sql FROM sqlite_schema WHERE name = ?1", [t], |r| {
                r.get(0)
            })
            .unwrap();
        restore += &format!("{sql};\n");
        c.execute_batch(&format!("DROP TRIGGER {t};")).unwrap();
    }
    c.execute_batch(change).unwrap();
    c.execute_batch(&restore).unwrap();
}

/// A checkpoint moved to a size no log has (-1) sorted before the others as a huge number,
/// and `check` then verified no checkpoint at all: the last one's signature could be
/// anything (a sweep found it). It is reported, and the others are verified.
#[test]
fn a_checkpoint_at_an_impossible_size_is_reported_and_the_rest_verified() {
    let v = matter_until("review");
    behind_the_triggers(
        &v,
        &["checkpoints_no_update"],
        "UPDATE checkpoints SET size = -1 WHERE size = (SELECT min(size) FROM checkpoints);
         UPDATE checkpoints SET note = substr(note, 1, length(note) - 6) || 'AAAAA' || char(10)
           WHERE size = (SELECT max(size) FROM checkpoints);",
    );
    let j = problems_found(&v);
    let p = problem_with(&j, "E-CKPT-SIZE");
    assert_eq!(p["location"], "checkpoints[-1]", "{j}");
    assert!(p["message"].as_str().unwrap().contains("-1"), "{j}");
    problem_with(&j, "E-CKPT-SIG");
    // Alone, it is still reported.
    let v = matter_until("review");
    behind_the_triggers(
        &v,
        &["checkpoints_no_update"],
        "UPDATE checkpoints SET size = 0 WHERE size = (SELECT min(size) FROM checkpoints);",
    );
    let j = problems_found(&v);
    assert_eq!(j["problems"].as_array().unwrap().len(), 1, "{j}");
    assert_eq!(
        problem_with(&j, "E-CKPT-SIZE")["location"],
        "checkpoints[0]"
    );
}

/// A stored file's size column (what `export` declares for it) is compared with its bytes;
/// a file whose data is not a blob at all is reported as altered, where `check` stopped
/// with exit 1 and "cannot open value of type null" (a sweep found both).
#[test]
fn a_stored_file_s_size_and_data_are_what_its_row_holds() {
    let v = matter_until("consented");
    let fresh = v.db_bytes();
    behind_the_triggers(
        &v,
        &["attachments_no_update"],
        "UPDATE attachments SET size = size + 1 WHERE rowid = 1;",
    );
    let j = problems_found(&v);
    let p = problem_with(&j, "E-ATT-SIZE");
    assert!(
        p["location"].as_str().unwrap().starts_with("attachments/"),
        "{j}"
    );
    assert_eq!(j["problems"].as_array().unwrap().len(), 1, "{j}");
    // NULL data, STRICT taken off for the change and put back.
    std::fs::write(v.db(), &fresh).unwrap();
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let table: String = c
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'attachments'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(c);
    sql(
        &v,
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = 'CREATE TABLE attachments (sha256 PRIMARY KEY, size, data)'
         WHERE name = 'attachments';
         PRAGMA writable_schema = OFF;",
    );
    behind_the_triggers(
        &v,
        &["attachments_no_update"],
        "UPDATE attachments SET data = NULL WHERE rowid = 1;",
    );
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute_batch("PRAGMA writable_schema = ON;").unwrap();
    c.execute(
        "UPDATE sqlite_schema SET sql = ?1 WHERE name = 'attachments'",
        [&table],
    )
    .unwrap();
    drop(c);
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 4, "{}{}", o.stdout, o.stderr);
    let j = o.json();
    problem_with(&j, "E-ATT-HASH");
}

#[test]
fn an_entry_edited_after_dropping_the_triggers_is_caught() {
    let v = matter_until("review");
    v.run(&["check"]).ok();
    // Change the review's "for" count inside the stored bytes, as someone with the
    // sqlite3 tool could.
    sql(&v, "DROP TRIGGER entries_no_update;
             UPDATE entries SET bytes = CAST(replace(CAST(bytes AS TEXT), '\"for\":38', '\"for\":40') AS BLOB)
             WHERE CAST(bytes AS TEXT) LIKE '%\"type\":\"review\"%';");
    let j = problems_found(&v);
    assert_eq!(j["ok"], false);
    let p = &j["problems"][0];
    assert!(
        p["location"].as_str().unwrap().starts_with("entries["),
        "{p}"
    );
    // The log's size (not where the walk stopped), and a message that does not repeat
    // the location and code its fields give.
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let size: i64 = c
        .query_row("SELECT count(*) FROM entries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(j["entries"], size, "{j}");
    let message = p["message"].as_str().unwrap();
    assert!(
        !message.contains("entries[") && !message.contains("[E-"),
        "{message}"
    );
    // The human report words the place in the user's language: in Chinese 第 N 条记录
    // (it printed `entries[N]`), in English as the JSON gives it.
    let at = p["location"].as_str().unwrap();
    let idx: u64 = at["entries[".len()..at.find(']').unwrap()].parse().unwrap();
    let o = v.run(&["check"]);
    assert_eq!(o.code, 4);
    assert!(
        o.stderr.contains(&format!("\n第 {idx} 条记录 [E-")),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("entries["), "{}", o.stderr);
    let o = v.run(&["check", "--lang", "en"]);
    assert_eq!(o.code, 4);
    assert!(o.stderr.contains(&format!("\n{at} [E-")), "{}", o.stderr);
}

/// The review's entry rewritten by `edit`, its leaf column recomputed (its trigger dropped).
fn rewrite_review_entry(v: &Village, edit: impl FnOnce(Vec<u8>) -> Vec<u8>) {
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute_batch("DROP TRIGGER entries_no_update;").unwrap();
    let (idx, bytes): (i64, Vec<u8>) = c
        .query_row(
            "SELECT idx, bytes FROM entries WHERE CAST(bytes AS TEXT) LIKE '%\"type\":\"review\"%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let edited = edit(bytes);
    let leaf = liuyi::record::merkle::leaf_hash(&edited);
    c.execute(
        "UPDATE entries SET bytes = ?1, leaf = ?2 WHERE idx = ?3",
        rusqlite::params![edited, leaf.to_vec(), idx],
    )
    .unwrap();
}

#[test]
fn an_edit_that_recomputes_the_leaf_is_still_caught_by_the_chain_or_signature() {
    let v = matter_until("review");
    rewrite_review_entry(&v, |bytes| {
        String::from_utf8(bytes)
            .unwrap()
            .replace("\"against\":1", "\"against\":0")
            .into_bytes()
    });
    let j = problems_found(&v);
    let code = j["problems"][0]["code"].as_str().unwrap().to_string();
    assert!(
        ["E-CKPT-ROOT", "E-LOG-CHAIN"].contains(&code.as_str()),
        "{j}"
    );
}

/// An entry rewritten as JSON that is not in the canonical form (a space added), its leaf
/// recomputed: reported as E-LOG-ENTRY in the user's words. The English message printed the
/// Rust name of the error (`NotCanonical`).
#[test]
fn a_non_canonical_entry_is_described_in_words() {
    let v = matter_until("review");
    rewrite_review_entry(&v, |bytes| {
        let mut edited = b"{ ".to_vec();
        edited.extend_from_slice(&bytes[1..]);
        edited
    });
    for (lang, words) in [("zh", "标准格式"), ("en", "canonical form")] {
        let o = v.run(&["--lang", lang, "check", "--json"]);
        assert_eq!(o.code, 4);
        let j = o.json();
        let p = problem_with(&j, "E-LOG-ENTRY");
        let m = p["message"].as_str().unwrap();
        assert!(m.contains(words) && !m.contains("NotCanonical"), "{m}");
    }
}

/// A row planted in the attachments table under the hash of a scan not yet attached (by
/// someone with the sqlite3 tool and no key): attaching the scan is refused with exit 4 and
/// records nothing. It was recorded against the planted row, and the scan itself was never
/// stored: `check` then failed for good.
#[test]
fn a_planted_attachment_row_is_not_taken_for_the_file() {
    use sha2::Digest;
    let v = matter_until("consultation");
    let scan = b"%PDF-1.4 scanned sheet page 1";
    let f = v.write("sheet.pdf", scan);
    let sha = hex::encode(sha2::Sha256::digest(scan));
    sql(
        &v,
        &format!(
            "INSERT INTO attachments(sha256, size, data) VALUES ('{sha}', {}, CAST('FORGED' AS BLOB));",
            scan.len()
        ),
    );
    let args = [
        "consult",
        "2026-001",
        "attach",
        path_str(&f),
        "--pages",
        "1-1",
    ];
    let e = v.refused(4, &args);
    assert!(e.contains(&sha) && e.contains("liuyi check"), "{e}");
    let mut en = vec!["--lang", "en"];
    en.extend(args);
    let e = v.refused(4, &en);
    assert!(e.contains("does not hold this file"), "{e}");
}

#[test]
fn a_projection_edited_directly_is_caught() {
    let v = matter_until("review");
    sql(
        &v,
        "UPDATE matters SET stage = 'resolution' WHERE id = '2026-001';",
    );
    assert_eq!(problems_found(&v)["problems"][0]["code"], "E-PROJ");
}

#[test]
fn triggers_refuse_rewrites_from_any_connection() {
    let v = matter_until("motion");
    let c = rusqlite::Connection::open(v.db()).unwrap();
    assert!(
        c.execute("UPDATE entries SET bytes = x'00' WHERE idx = 0", [])
            .is_err()
    );
    assert!(c.execute("DELETE FROM entries WHERE idx = 0", []).is_err());
    assert!(c.execute("INSERT OR REPLACE INTO entries(idx, prev, leaf, bytes) SELECT idx, prev, leaf, x'00' FROM entries WHERE idx = 1", []).is_err());
    assert!(
        c.execute(
            "INSERT INTO entries(idx, prev, leaf, bytes) VALUES (999, NULL, x'00', x'00')",
            []
        )
        .is_err()
    );
    drop(c);
    v.run(&["check"]).ok();
}

#[test]
fn a_file_that_is_not_a_liuyi_database_is_refused() {
    let v = Village::empty();
    std::fs::write(v.db(), b"hello, this is not sqlite").unwrap();
    let o = v.run(&["list"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("不是六议记录库"), "{}", o.stderr);
    let other = Village::empty();
    rusqlite::Connection::open(other.db())
        .unwrap()
        .execute_batch("CREATE TABLE t(x);")
        .unwrap();
    let o = other.run(&["list"]);
    assert_eq!(o.code, 2);
    // Neither is a record `check` could report on: still exit 2.
    assert_eq!(other.run(&["check", "--json"]).code, 2);
}

/// A record whose header was changed with the sqlite3 tool (its application id, or its
/// schema version set to 0): commands refuse to open it, and `check` reports it as a
/// finding, in its JSON, exit 4. It printed no JSON and exit 2, "not a liuyi database".
#[test]
fn a_record_whose_header_was_changed_is_reported_by_check() {
    for pragma in ["PRAGMA application_id = 0;", "PRAGMA user_version = 0;"] {
        let v = matter_until("motion");
        sql(&v, pragma);
        let o = v.run(&["check", "--json"]);
        assert_eq!(o.code, 4, "{pragma}: {}{}", o.stdout, o.stderr);
        let j = o.json();
        assert_eq!(j["ok"], false);
        let p = problem_with(&j, "E-DB-SCHEMA");
        assert!(
            p["message"]
                .as_str()
                .unwrap()
                .contains("文件头被其他工具改过"),
            "{p}"
        );
        assert_eq!(v.run(&["list"]).code, 2);
    }
    // A version above this liuyi's (a newer liuyi's, or set up with another tool): JSON for
    // the township's tools too, exit 2 as before.
    let v = matter_until("motion");
    sql(&v, "PRAGMA user_version = 99;");
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    let j = o.json();
    assert_eq!(j["ok"], false);
    assert!(
        problem_with(&j, "E-DB-VERSION")["message"]
            .as_str()
            .unwrap()
            .contains("格式版本 99"),
        "{j}"
    );
}

/// The state snapshot is a cache: `check` compares it with a full replay, row by row.
#[test]
fn a_tampered_state_snapshot_is_caught() {
    let v = matter_until("review");
    v.run(&["check"]).ok();
    sql(
        &v,
        "UPDATE snapshot_matters SET state = replace(state, '\"present\":40', '\"present\":41');",
    );
    let j = problems_found(&v);
    assert_eq!(j["problems"][0]["location"], "snapshot/2026-001", "{j}");
}

/// A projection row that is not even text (bytes that are not UTF-8, written with the
/// sqlite3 tool) is one more edited row to report with the rest, not a reason to stop
/// checking (`check` used to stop at the first with an error, reporting nothing).
#[test]
fn projection_rows_that_are_not_text_are_reported_with_the_rest() {
    let v = matter_until("review");
    v.run(&["check"]).ok();
    sql(
        &v,
        "UPDATE snapshot_matters SET state = CAST(x'7bff7d' AS TEXT) WHERE id = '2026-001';
         UPDATE matters SET view = CAST(x'7bff7d' AS TEXT) WHERE id = '2026-001';
         UPDATE people SET name = CAST(x'e5ff' AS TEXT)
           WHERE rowid = (SELECT min(rowid) FROM people);",
    );
    let j = problems_found(&v);
    let locations: Vec<&str> = j["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["location"].as_str().unwrap())
        .collect();
    assert!(locations.contains(&"snapshot/2026-001"), "{j}");
    assert!(locations.contains(&"matters/2026-001"), "{j}");
    assert!(locations.iter().any(|l| l.starts_with("people/")), "{j}");
    // A command reading such a row says the file was damaged or altered and what to do,
    // with the integrity exit code, where it gave a raw decoding error and exit 1.
    let before = v.db_bytes();
    for args in [&["list"][..], &["roster", "list"]] {
        let e = v.refused(4, args);
        assert!(
            e.contains("已损坏") && e.contains("联系乡镇"),
            "{args:?}: {e}"
        );
    }
    assert!(v.db_bytes() == before);
    // A view that is text but not its JSON (cut short): the same, naming the row, where
    // `show` and `status` gave serde's bare "EOF while parsing a value" and exit 1.
    let v = matter_until("review");
    sql(
        &v,
        "UPDATE matters SET view = substr(view, 1, 20) WHERE id = '2026-001';",
    );
    for args in [
        &["show", "2026-001"][..],
        &["status"],
        &["show", "2026-001", "--json"],
    ] {
        let e = v.refused(4, args);
        assert!(
            e.contains("已损坏") && e.contains("matters/2026-001"),
            "{args:?}: {e}"
        );
    }
    // The village row of the snapshot.
    let v = matter_until("review");
    sql(&v, "UPDATE snapshot SET state = CAST(x'ff' AS TEXT);");
    let j = problems_found(&v);
    assert_eq!(j["problems"][0]["location"], "snapshot/village", "{j}");
    // The same for a snapshot row whose key is not text (named as read).
    let v = matter_until("review");
    sql(
        &v,
        "UPDATE snapshot_matters SET id = CAST(x'32ff' AS TEXT) WHERE id = '2026-001';",
    );
    let j = problems_found(&v);
    assert!(
        j["problems"][0]["location"]
            .as_str()
            .unwrap()
            .starts_with("snapshot/2"),
        "{j}"
    );
    // Rows added that cannot be read are reported too: each stands for nothing in the
    // record, so nothing else would name it (a review found `check` passing them by).
    for (added, location) in [
        (
            "INSERT INTO people SELECT household, name || 'X', relation, sex, 'garbage', party,
               representative, committee, status FROM people LIMIT 1",
            "people/",
        ),
        (
            "INSERT INTO matters SELECT '2026-999', CAST(x'e5ff' AS TEXT), category, stage, view
               FROM matters LIMIT 1",
            "matters/2026-999",
        ),
        (
            "INSERT INTO snapshot_matters SELECT CAST(x'32ff' AS TEXT), stage, state
               FROM snapshot_matters LIMIT 1",
            "snapshot/2",
        ),
        (
            "INSERT INTO consents SELECT CAST(x'32ff' AS TEXT), round, household, opinion, signer,
               date FROM consents LIMIT 1",
            "consents/2",
        ),
    ] {
        let v = matter_until("consented");
        v.run(&["check"]).ok();
        sql(&v, added);
        let j = problems_found(&v);
        assert!(
            j["problems"][0]["location"]
                .as_str()
                .unwrap()
                .starts_with(location),
            "{added}: {j}"
        );
    }
}

/// The same for a checkpoint's or a cosigned checkpoint's note: reported as a note that is
/// not the village's, where it stands.
#[test]
fn notes_that_are_not_text_are_reported_where_they_stand() {
    // A cosigned note, the village's own with a line added whose bytes are not UTF-8 (read
    // with U+FFFD alone, it would pass as a cosigner's line and keep the village's
    // signature): reported by check, and export refuses to ship it (nothing written).
    let v = matter_until("review");
    sql(
        &v,
        "INSERT INTO cosigned(size, note)
           SELECT size, note || CAST(x'e280942078ff20414141414141413d0a' AS TEXT)
           FROM checkpoints ORDER BY size LIMIT 1;",
    );
    let j = problems_found(&v);
    let at: i64 = rusqlite::Connection::open(v.db())
        .unwrap()
        .query_row("SELECT size FROM cosigned", [], |r| r.get(0))
        .unwrap();
    let size = at;
    let at = format!("cosigned[{at}]");
    assert_eq!(problem_with(&j, "E-CKPT-COSIG")["location"], at, "{j}");
    let zip = v.dir.path().join("bundle.zip");
    let o = v.run(&["export", "--all", "-o", zip.to_str().unwrap()]);
    assert_eq!(o.code, 4, "{}", o.stderr);
    // Placed in the user's language (Chinese here).
    assert!(
        o.stderr
            .contains(&format!("第 {size} 条处的乡镇副署检查点 [E-CKPT-COSIG]")),
        "{}",
        o.stderr
    );
    assert!(!zip.exists());
    // A checkpoint's note.
    let v = matter_until("review");
    sql(
        &v,
        "DROP TRIGGER checkpoints_no_update;
         UPDATE checkpoints SET note = CAST(x'e5ff' AS TEXT)
           WHERE size = (SELECT min(size) FROM checkpoints);",
    );
    let j = problems_found(&v);
    let first: i64 = rusqlite::Connection::open(v.db())
        .unwrap()
        .query_row("SELECT min(size) FROM checkpoints", [], |r| r.get(0))
        .unwrap();
    let found = |code: &str| problem_with(&j, code)["location"].clone();
    assert_eq!(
        found("E-CKPT-MALFORMED"),
        format!("checkpoints[{first}]"),
        "{j}"
    );
    assert_eq!(found("E-DB-TRIGGERS"), "sqlite_schema", "{j}");
}

/// The snapshot is a cache anyone with the sqlite3 tool can rewrite. A writing command
/// judges the next step against it, then signs: it must use only a snapshot its own key
/// signed, or it would sign a step the rules forbid (which `check` would then report, and
/// `export` refuse, for good).
#[test]
fn a_hand_edited_snapshot_cannot_make_a_command_sign_a_step_the_rules_forbid() {
    // The village row's policy: the minimum posting period cut from 15 days to 1.
    let v = matter_until("resolution");
    sql(
        &v,
        "UPDATE snapshot SET state = replace(state, '\"min_posting_days\":15', '\"min_posting_days\":1');",
    );
    let publish = |days: &str| {
        [
            "publish",
            "2026-001",
            "resolution",
            "--days",
            days,
            "--date",
            "2026-04-26",
        ]
        .map(String::from)
    };
    let e = v.refused(3, &publish("1").each_ref().map(String::as_str));
    assert!(e.contains("15"), "the recorded policy's 15 days: {e}");
    // `check` reports the edited row; a lawful step rewrites it.
    assert_eq!(
        problems_found(&v)["problems"][0]["location"],
        "snapshot/village"
    );
    v.run(&publish("15").each_ref().map(String::as_str)).ok();
    v.run(&["check"]).ok();

    // A matter's row: its stage moved on from 商议 to 审议, so that 民议 could open without
    // the party members' review.
    let v = matter_until("discussion");
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let row: String = c
        .query_row(
            "SELECT state FROM snapshot_matters WHERE id = '2026-001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut m: serde_json::Value = serde_json::from_str(&row).unwrap();
    assert_eq!(m["stage"], "discussion");
    m["stage"] = "review".into();
    c.execute(
        "UPDATE snapshot_matters SET stage = 'review', state = ?1 WHERE id = '2026-001'",
        [m.to_string()],
    )
    .unwrap();
    let e = v.refused(3, &["consult", "2026-001", "open", "--date", "2026-03-18"]);
    assert!(e.contains("商议"), "judged at the recorded 商议: {e}");
}

/// Entries rewritten consistently (bytes, leaf hash) by someone without the key, and the
/// snapshot dropped so that the next command replays them: the command would sign a
/// checkpoint vouching for them. It refuses, since the last signed checkpoint is not this
/// log, and records nothing.
#[test]
fn a_command_does_not_sign_over_entries_rewritten_since_the_last_checkpoint() {
    use sha2::Digest;
    let v = matter_until("review");
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let (idx, bytes): (i64, Vec<u8>) = c
        .query_row(
            "SELECT idx, bytes FROM entries ORDER BY idx DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let edited = text
        .replace("\"for\":38", "\"for\":37")
        .replace("\"against\":1", "\"against\":2");
    assert_ne!(edited, text);
    let leaf = sha2::Sha256::new()
        .chain_update([0u8])
        .chain_update(edited.as_bytes())
        .finalize()
        .to_vec();
    drop(c);
    // The trigger put back after: a command refuses a file whose triggers are gone before
    // it looks at the log.
    behind_the_triggers(
        &v,
        &["entries_no_update"],
        &format!(
            "DELETE FROM snapshot; DELETE FROM snapshot_matters;
             UPDATE entries SET bytes = X'{}', leaf = X'{}' WHERE idx = {idx};",
            hex::encode(edited.as_bytes()),
            hex::encode(&leaf)
        ),
    );
    let e = v.refused(4, &["consult", "2026-001", "open", "--date", "2026-03-18"]);
    assert!(e.contains("E-CKPT-ROOT"), "{e}");
    assert!(e.contains("请勿继续录入"), "{e}");
    assert_eq!(
        problems_found(&v)["problems"][0]["code"],
        "E-CKPT-ROOT",
        "check finds the same"
    );
}

/// A snapshot that does not match the log (missing, or left behind by an older size) is not
/// used: the command replays the log, records, and writes a fresh snapshot.
#[test]
fn a_missing_or_stale_snapshot_falls_back_to_replay_and_is_rebuilt() {
    let v = matter_until("review");
    sql(&v, "DELETE FROM snapshot; DELETE FROM snapshot_matters;");
    v.run(&["check"]).ok();
    v.run(&["consult", "2026-001", "open"]).ok();
    v.run(&["check"]).ok();
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let rows: i64 = c
        .query_row("SELECT count(*) FROM snapshot_matters", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1);
    // Stale: claims an older size; the next command must not trust it.
    sql(&v, "UPDATE snapshot SET size = size - 1;");
    v.run(&["consult", "2026-001", "status"]).ok();
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 4, "a stale snapshot is reported: {}", o.stdout);
    record_one(&v);
    v.run(&["check"]).ok();
    // An earlier version's unsigned village row (plain JSON): no command uses it, `check`
    // does not count it a problem, and the next writing command replaces it.
    sql(
        &v,
        "UPDATE snapshot SET state = substr(state, instr(state, ' ') + 1);",
    );
    let state = |v: &Village| -> String {
        rusqlite::Connection::open(v.db())
            .unwrap()
            .query_row("SELECT state FROM snapshot", [], |r| r.get(0))
            .unwrap()
    };
    assert!(state(&v).starts_with('{'));
    v.run(&["check"]).ok();
    // A writing command (the same consent again would record nothing: on page 2 now).
    let p = record_one(&v);
    v.run(&[
        "consult",
        "2026-001",
        "record",
        &p.household,
        "--consent",
        "--signer",
        &p.name,
        "--sheet-page",
        "2",
    ])
    .ok();
    assert!(!state(&v).starts_with('{'), "signed again");
    v.run(&["check"]).ok();
}

/// `check` compacts a matter as it closes (its 2,000 consents need not stay in memory for a
/// decade): what it compared then and what it compares at the end must still catch an
/// edit to a closed matter's rows, and must not flag one that had an objection afterwards.
#[test]
fn a_closed_matter_is_still_checked_row_by_row() {
    let v = matter_until("result_published");
    v.run(&["check"]).ok();
    // Unchanged since it closed: its row is compared whole.
    let closed = std::fs::read(v.db()).unwrap();
    sql(
        &v,
        "UPDATE snapshot_matters SET state = replace(state, '\"present\":40', '\"present\":41');",
    );
    assert_eq!(
        problems_found(&v)["problems"][0]["location"],
        "snapshot/2026-001"
    );
    std::fs::write(v.db(), &closed).unwrap();
    // An objection after the result notice changes the closed matter's rows: still fine.
    v.run(&[
        "objection",
        "2026-001",
        "--from",
        "李四",
        "--text",
        "路面有裂缝",
        "--date",
        "2026-09-30",
    ])
    .ok();
    v.run(&["check"]).ok();
    let fresh = std::fs::read(v.db()).unwrap();
    let caught = |statements: &str, location: &str| {
        std::fs::write(v.db(), &fresh).unwrap();
        sql(&v, statements);
        let o = v.run(&["check", "--json"]);
        assert_eq!(o.code, 4, "{statements}: {}", o.stderr);
        let j = o.json();
        let found = j["problems"][0]["location"].as_str().unwrap().to_string();
        assert!(found.starts_with(location), "{statements}: {j}");
    };
    // Its snapshot row: a vote count, and a consent inside a round.
    caught(
        "UPDATE snapshot_matters SET state = replace(state, '\"present\":40', '\"present\":41');",
        "snapshot/2026-001",
    );
    caught(
        "UPDATE snapshot_matters SET state = replace(state, '\"opinion\":\"consent\"', '\"opinion\":\"object\"');",
        "snapshot/2026-001",
    );
    // Its consent rows: one changed, one removed, one added.
    caught(
        "UPDATE consents SET signer = '王五' WHERE (matter, round, household) = \
         (SELECT matter, round, household FROM consents ORDER BY 1, 2, 3 LIMIT 1);",
        "consents/2026-001/",
    );
    caught(
        "DELETE FROM consents WHERE (matter, round, household) = \
         (SELECT matter, round, household FROM consents ORDER BY 1 DESC, 2 DESC, 3 DESC LIMIT 1);",
        "consents/2026-001",
    );
    caught(
        "INSERT INTO consents SELECT matter, round + 5, household, opinion, signer, date \
         FROM consents LIMIT 1;",
        "consents/2026-001",
    );
    std::fs::write(v.db(), &fresh).unwrap();
    v.run(&["check"]).ok();
}

/// A database made by earlier versions: its consents table a rowid table with an index on
/// the same key (before it was keyed WITHOUT ROWID), its pages SQLite's default 4 KB
/// (before new databases had 32 KB ones). Such databases are not rewritten; every command
/// and `check` must read and write them as before.
/// (Made under its own name, as those versions made it: a table renamed into place would
/// be stored as `CREATE TABLE "consents"`, which no version of liuyi made.)
const EARLIER_CONSENTS: &str = "
    ALTER TABLE consents RENAME TO consents_now;
    CREATE TABLE consents (
        matter    TEXT NOT NULL,
        round     INTEGER NOT NULL,
        household TEXT NOT NULL,
        opinion   TEXT NOT NULL CHECK (opinion IN ('consent','object')),
        signer    TEXT NOT NULL,
        date      TEXT NOT NULL,
        PRIMARY KEY (matter, round, household)
    ) STRICT;
    INSERT INTO consents SELECT * FROM consents_now;
    DROP TABLE consents_now;
    PRAGMA page_size = 4096;
    VACUUM;";

fn page_size(v: &Village) -> i64 {
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap()
}

fn consents_layout(v: &Village) -> String {
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.query_row(
        "SELECT sql FROM sqlite_schema WHERE name = 'consents'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn a_database_made_by_earlier_versions_works_and_checks_the_same() {
    let v = matter_until("consultation");
    assert!(consents_layout(&v).contains("WITHOUT ROWID"));
    assert_eq!(page_size(&v), liuyi::store::PAGE_SIZE);
    sql(&v, EARLIER_CONSENTS);
    assert!(!consents_layout(&v).contains("WITHOUT ROWID"));
    assert_eq!(page_size(&v), 4096);
    v.run(&["check"]).ok();
    // Consents recorded into it, and read back by `consult status` and `check`.
    let before = v.run(&["consult", "2026-001", "status", "--json"]).json();
    let p = record_one(&v);
    let after = v.run(&["consult", "2026-001", "status", "--json"]).json();
    let missing = |j: &serde_json::Value| j["missing"].as_array().unwrap().len();
    // Recorded, its sheet not yet attached: still missing, and listed as lacking evidence.
    assert_eq!(missing(&after), missing(&before), "{after}");
    assert!(
        after["no_evidence"]
            .as_array()
            .unwrap()
            .contains(&p.household.clone().into())
            && !before["no_evidence"]
                .as_array()
                .unwrap()
                .contains(&p.household.clone().into()),
        "{after}"
    );
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let stored: String = c
        .query_row(
            "SELECT signer FROM consents WHERE matter = '2026-001' AND household = ?1",
            [&p.household],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, p.name);
    drop(c);
    v.run(&["check"]).ok();
    assert!(!consents_layout(&v).contains("WITHOUT ROWID"));
    assert_eq!(page_size(&v), 4096);
    // An edit of a consent row is still caught.
    sql(
        &v,
        "UPDATE consents SET signer = '王五' WHERE rowid = (SELECT min(rowid) FROM consents);",
    );
    let j = problems_found(&v);
    assert_eq!(j["problems"][0]["code"], "E-PROJ", "{j}");
    assert!(
        j["problems"][0]["location"]
            .as_str()
            .unwrap()
            .starts_with("consents/2026-001"),
        "{j}"
    );
}

/// `generate` (the benchmarks' data) refuses a village too small to staff, with the
/// minimum, and makes nothing; at the minimum it makes a village that checks.
#[test]
fn generate_refuses_too_few_households_and_makes_a_village_that_checks() {
    let v = Village::empty();
    let out = v.dir.path().join("gen");
    let generate = |households: &str, seed: &str| {
        v.run(&[
            "generate",
            "--households",
            households,
            "--years",
            "1",
            "--matters",
            "2",
            "--seed",
            seed,
            "--out",
            path_str(&out),
        ])
    };
    // Refused with exit 2, saying `says`, and nothing made.
    let refused = |households: &str, seed: &str, says: &[&str]| {
        let o = generate(households, seed);
        assert_eq!(o.code, 2, "{}", o.stderr);
        assert!(says.iter().all(|s| o.stderr.contains(s)), "{}", o.stderr);
        assert!(!o.stderr.contains("panic"), "{}", o.stderr);
        assert!(!out.exists());
    };
    refused("30", "2026", &["--households 30", "60"]);
    // Enough households, but a seed whose village has 74 people who can hold its 75
    // offices: refused before anything is made, naming both numbers and the seed.
    refused("60", "5846", &["74", "75", "5846"]);
    let made = generate("60", "2026");
    made.ok();
    // Each consent carries the page of the printed 民议 sheet that lists its household,
    // as a secretary copies it from the paper: no import warns of pages off the sheet.
    assert!(!made.stderr.contains("页码不符"), "{}", made.stderr);
    let db = out.join("liuyi.db");
    let o = v.run(&["--db", path_str(&db), "check", "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.json()["ok"], true);
    assert!(o.json()["entries"].as_u64().unwrap() > 100);
}

/// What the township cosigned must still be this log: a log cut back under the cosigned
/// size and continued (a rollback), or a cosigned row that is not this log's checkpoint
/// (a fork), is caught by `check` (both passed it; only the township's register noticed).
/// A cosigned row the village key never signed proves nothing and is reported as such.
#[test]
fn a_log_cut_back_under_what_the_township_cosigned_is_caught() {
    let d = crate::bundle::demo();
    let t = tempfile::tempdir().unwrap();
    let db = t.path().join("v.db");
    std::fs::copy(d.db(), &db).unwrap();
    let env = [("LIUYI_LANG", "en"), ("LIUYI_NOW", "2026-09-30T03:00:00Z")];
    let run = |args: &[&str]| run_on(&db, &d.key(), &env, args);
    let c = rusqlite::Connection::open(&db).unwrap();
    let cosigned: i64 = c
        .query_row("SELECT max(size) FROM cosigned", [], |r| r.get(0))
        .unwrap();
    let cut: i64 = c
        .query_row(
            "SELECT max(size) FROM checkpoints WHERE size < ?1 - 1",
            [cosigned],
            |r| r.get(0),
        )
        .unwrap();
    // A fresh copy for the second case, before this one is cut.
    let db2 = t.path().join("w.db");
    std::fs::copy(&db, &db2).unwrap();
    let db2_clean = t.path().join("w0.db");
    std::fs::copy(&db, &db2_clean).unwrap();
    // Cut back with the sqlite3 tool (triggers dropped and put back), the state cache
    // cleared: the secretary's next command refuses to continue it (it signed on, as if the
    // cut entries never were), and `check` says why.
    let triggers: Vec<String> = c
        .prepare("SELECT sql FROM sqlite_schema WHERE name IN ('entries_no_delete', 'checkpoints_no_delete')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(triggers.len(), 2);
    c.execute_batch(&format!(
        "DROP TRIGGER entries_no_delete; DROP TRIGGER checkpoints_no_delete;
         DELETE FROM entries WHERE idx >= {cut}; DELETE FROM checkpoints WHERE size > {cut};
         {}; {};
         DELETE FROM snapshot; DELETE FROM snapshot_matters; DELETE FROM matters;",
        triggers[0], triggers[1]
    ))
    .unwrap();
    drop(c);
    let before = std::fs::read(&db).unwrap();
    let o = run(&[
        "implement",
        "2026-001",
        "--note",
        "补记",
        "--date",
        "2026-07-11",
    ]);
    assert_eq!(o.code, 4, "{}", o.stderr);
    assert!(
        o.stderr.contains("E-ROLLBACK") && o.stderr.contains(&format!("cosigned[{cosigned}]")),
        "{}",
        o.stderr
    );
    assert!(std::fs::read(&db).unwrap() == before, "nothing recorded");
    let o = run(&["check", "--json"]);
    assert_eq!(o.code, 4, "{}", o.stdout);
    let j = o.json();
    let p = problem_with(&j, "E-ROLLBACK");
    assert_eq!(p["location"], format!("cosigned[{cosigned}]"));
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains(&format!("cosigned a log of {cosigned} entries")),
        "{p}"
    );
    // A cosigned row the village key never signed (made with another tool) is no evidence
    // of anything: reported as such, not as a rollback or a fork. Here a genuine note made
    // to claim a longer log (it was a false E-ROLLBACK accusation).
    let c = rusqlite::Connection::open(&db2).unwrap();
    let note: String = c
        .query_row("SELECT note FROM cosigned ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let mut lines: Vec<&str> = note.lines().collect();
    lines[1] = "900";
    c.execute(
        "INSERT INTO cosigned(size, note) VALUES (900, ?1)",
        [lines.join("\n") + "\n"],
    )
    .unwrap();
    drop(c);
    // `check` names the first problem (code, place), and the secretary's next command does
    // not sign on beside it.
    let judged = |code: &str, place: &str| {
        let o = run_on(&db2, &d.key(), &env, &["check", "--json"]);
        assert_eq!(o.code, 4, "{}", o.stdout);
        let j = o.json();
        assert_eq!(j["problems"][0]["code"], code, "{j:#}");
        assert_eq!(j["problems"][0]["location"], place, "{j:#}");
        let o = run_on(
            &db2,
            &d.key(),
            &env,
            &["implement", "2026-001", "--note", "补记"],
        );
        assert_eq!(o.code, 4);
        assert!(o.stderr.contains(code), "{}", o.stderr);
    };
    judged("E-CKPT-COSIG", "cosigned[900]");
    // A fork: the village key signed another log at the cosigned size than this one.
    std::fs::copy(&db2_clean, &db2).unwrap();
    let c = rusqlite::Connection::open(&db2).unwrap();
    let (key, _) = liuyi::record::keys::read_key_file(&d.key()).unwrap();
    let cp = liuyi::record::note::Checkpoint {
        origin: crate::bundle::ORIGIN.into(),
        size: cosigned as u64,
        root: [7; 32],
    };
    let other = liuyi::record::note::sign_checkpoint(&key, crate::bundle::ORIGIN, &cp).unwrap();
    c.execute(
        "INSERT INTO cosigned(size, note) VALUES (?1, ?2)",
        rusqlite::params![cosigned, other],
    )
    .unwrap();
    drop(c);
    judged("E-FORK", &format!("cosigned[{cosigned}]"));
    std::fs::copy(&db2_clean, &db2).unwrap();
    // A cosigned row that is not a checkpoint at all.
    let c = rusqlite::Connection::open(&db2).unwrap();
    c.execute(
        "INSERT INTO cosigned(size, note) VALUES (?1, 'not a checkpoint')",
        [cosigned],
    )
    .unwrap();
    drop(c);
    judged("E-CKPT-COSIG", &format!("cosigned[{cosigned}]"));
}

/// The township's cosignatures stored in the record are checked by `check` against the
/// township key the record pinned at its first import: a township line altered, or the
/// cosigned rows deleted (the pinned key left), is E-CKPT-COSIG with its place (both gave
/// ok).
#[test]
fn the_stored_township_cosignatures_are_checked() {
    let d = crate::bundle::demo();
    let t = tempfile::tempdir().unwrap();
    let db = t.path().join("v.db");
    let env = [("LIUYI_LANG", "en")];
    let check = || run_on(&db, &d.key(), &env, &["check", "--json"]);
    // `sql` run with the trigger `name` dropped, and the trigger put back as it was.
    let without = |name: &str, sql: &str, params: &[&dyn rusqlite::ToSql]| {
        let c = rusqlite::Connection::open(&db).unwrap();
        let trigger: String = c
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .unwrap();
        c.execute_batch(&format!("DROP TRIGGER {name};")).unwrap();
        c.execute(sql, params).unwrap();
        c.execute_batch(&format!("{trigger};")).unwrap();
    };
    std::fs::copy(d.db(), &db).unwrap();
    check().ok();
    let (size, note): (i64, String) = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT size, note FROM cosigned ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // One bit of the township's signature (its line is the last), key id and time kept.
    let last = note.trim_end().lines().last().unwrap();
    let (head, sig) = last.rsplit_once(' ').unwrap();
    let b64 = &base64::engine::general_purpose::STANDARD;
    let mut raw = base64::Engine::decode(b64, sig).unwrap();
    raw[20] ^= 1;
    let edited = note.replace(
        last,
        &format!("{head} {}", base64::Engine::encode(b64, &raw)),
    );
    without(
        "cosigned_no_update",
        "UPDATE cosigned SET note = ?1",
        &[&edited],
    );
    let o = check();
    assert_eq!(o.code, 4, "{}", o.stdout);
    let j = o.json();
    let p = &j["problems"][0];
    assert_eq!(p["code"], "E-CKPT-COSIG", "{j:#}");
    assert_eq!(p["location"], format!("cosigned[{size}]"), "{j:#}");
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("no valid cosignature by the township key this record pinned"),
        "{j:#}"
    );
    std::fs::copy(d.db(), &db).unwrap();
    without("cosigned_no_delete", "DELETE FROM cosigned", &[]);
    let o = check();
    assert_eq!(o.code, 4, "{}", o.stdout);
    let j = o.json();
    let p = &j["problems"][0];
    assert_eq!(p["code"], "E-CKPT-COSIG", "{j:#}");
    assert_eq!(p["location"], "cosigned", "{j:#}");
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains(&format!("imported the checkpoint cosigned at size {size}")),
        "{j:#}"
    );
}

/// What `check` finds is said in the user's language, not in the program's debug names
/// (it printed "检查点格式无效：CarriageReturn" and "BadSignature { name: … }").
#[test]
fn problems_are_worded_in_the_users_language() {
    let v = matter_until("review");
    sql(
        &v,
        "DROP TRIGGER checkpoints_no_update;
         UPDATE checkpoints SET note = replace(note, char(10), char(13) || char(10))
         WHERE size = (SELECT max(size) FROM checkpoints);",
    );
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 4);
    let m = o.json()["problems"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        m.starts_with("检查点格式无效：") && !m.contains("CarriageReturn"),
        "{m}"
    );
}

/// An attachment replaced by `INSERT OR REPLACE` from the sqlite3 tool, its trigger dropped
/// first (REPLACE deletes the old row without firing the delete trigger): `check` reports
/// both, and `export` refuses to ship it (hashing what it copies) instead of handing the
/// township a bundle that fails, and leaves no bundle behind.
#[test]
fn export_refuses_an_attachment_replaced_behind_liuyis_back() {
    let v = matter_until("consented");
    let sha: String = rusqlite::Connection::open(v.db())
        .unwrap()
        .query_row("SELECT sha256 FROM attachments LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute_batch("DROP TRIGGER attachments_no_replace;")
        .unwrap();
    c.execute(
        "INSERT OR REPLACE INTO attachments(sha256, size, data) \
         VALUES (?1, 18, CAST('scan of pages 1-18' AS BLOB))",
        [&sha],
    )
    .unwrap();
    drop(c);
    let codes: Vec<String> = problems_found(&v)["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect();
    assert!(
        codes.contains(&"E-ATT-HASH".to_string()) && codes.contains(&"E-DB-TRIGGERS".to_string()),
        "check finds both: {codes:?}"
    );
    let out = v.dir.path().join("b.zip");
    let e = v.refused(4, &["export", "--all", "-o", path_str(&out)]);
    assert!(e.contains("E-ATT-HASH") && e.contains(&sha), "{e}");
    assert!(!out.exists(), "no bundle");
    let names: Vec<_> = std::fs::read_dir(v.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("b.zip"))
        .collect();
    assert!(names.is_empty(), "no temporary file left: {names:?}");
}

/// The last command's entries and checkpoint cut off with the sqlite3 tool (nothing
/// cosigned yet), or the last entry rewritten: the snapshot the village key signed still
/// says how far the log went and how it ended. The secretary's next command refuses to
/// sign on (it did, and its new snapshot row then erased the evidence).
#[test]
fn a_command_does_not_sign_on_after_its_own_last_entries_were_cut() {
    let v = matter_until("review");
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let size: i64 = c
        .query_row("SELECT max(size) FROM checkpoints", [], |r| r.get(0))
        .unwrap();
    drop(c);
    behind_the_triggers(
        &v,
        &["entries_no_delete", "checkpoints_no_delete"],
        &format!(
            "DELETE FROM entries WHERE idx = {last}; DELETE FROM checkpoints WHERE size = {size};",
            last = size - 1
        ),
    );
    let e = v.refused(4, &["consult", "2026-001", "open", "--date", "2026-03-18"]);
    assert!(
        e.contains("E-ROLLBACK") && e.contains(&format!("记到第 {size} 条")),
        "{e}"
    );
    let o = v.run(&["--lang", "en", "consult", "2026-001", "open"]);
    assert_eq!(o.code, 4);
    assert!(o.stderr.contains("it was cut back"), "{}", o.stderr);
    // `check` says so too, and only that: the query tables and the snapshot show the longer
    // log, and were named as edited (E-PROJ, "changed directly") when it is the log that
    // was cut.
    let j = problems_found(&v);
    let p = problem_with(&j, "E-ROLLBACK");
    assert_eq!(p["location"], "snapshot/village", "{j:#}");
    assert_eq!(j["problems"].as_array().unwrap().len(), 1, "{j:#}");
    // And the shortened record is not exported: its bundle passed `verify`, and a township
    // registering the village would have pinned it.
    let zip = v.dir.path().join("cut.zip");
    let e = v.refused(4, &["export", "--all", "-o", path_str(&zip)]);
    assert!(
        e.contains("E-ROLLBACK") && e.contains(&format!("记到第 {size} 条")),
        "{e}"
    );
    assert!(!zip.exists());
}

/// The same cut, past a change of key: the snapshot is signed by the new key, which the
/// shortened log no longer knows, and it was taken for an edited projection (E-PROJ) while
/// `export` shipped the shortened log. The snapshot names the key in force here as one it
/// retired: it is the cut, reported as such, and `export` refuses it.
#[test]
fn a_cut_past_a_change_of_key_is_a_rollback() {
    let v = matter_until("review");
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let size: i64 = c
        .query_row("SELECT max(size) FROM checkpoints", [], |r| r.get(0))
        .unwrap();
    drop(c);
    let new_key = v.dir.path().join("new.key");
    v.run(&[
        "key",
        "rotate",
        "--new-key",
        path_str(&new_key),
        "--reason",
        "换届",
    ])
    .ok();
    v.run(&[
        "--key",
        path_str(&new_key),
        "consult",
        "2026-001",
        "open",
        "--date",
        "2026-03-18",
    ])
    .ok();
    behind_the_triggers(
        &v,
        &["entries_no_delete", "checkpoints_no_delete"],
        &format!(
            "DELETE FROM entries WHERE idx >= {size}; DELETE FROM checkpoints WHERE size > {size};"
        ),
    );
    let j = problems_found(&v);
    let p = problem_with(&j, "E-ROLLBACK");
    assert_eq!(p["location"], "snapshot/village", "{j:#}");
    assert_eq!(j["problems"].as_array().unwrap().len(), 1, "{j:#}");
    let zip = v.dir.path().join("cut.zip");
    let e = v.refused(4, &["export", "--all", "-o", path_str(&zip)]);
    assert!(e.contains("E-ROLLBACK"), "{e}");
    assert!(!zip.exists());
    // A writing command says so too, with either key file (each sent the secretary to the
    // other: "retired by a rotation", "not this record's key").
    for key in [v.key(), new_key.clone()] {
        let e = v.refused(
            4,
            &[
                "--key",
                path_str(&key),
                "consult",
                "2026-001",
                "open",
                "--date",
                "2026-03-19",
            ],
        );
        assert!(e.contains("E-ROLLBACK"), "{e}");
    }
}

/// A stored file no entry names, whose bytes are not what its name (their hash) says, was
/// put there with another tool: `check` passed it.
#[test]
fn a_stored_file_that_is_not_its_hash_is_caught_even_unreferenced() {
    let v = matter_until("motion");
    let zeros = "0".repeat(64);
    sql(
        &v,
        &format!("INSERT INTO attachments(sha256, size, data) VALUES ('{zeros}', 1, x'78')"),
    );
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 4, "{}", o.stdout);
    let j = o.json();
    assert_eq!(j["problems"][0]["code"], "E-ATT-HASH", "{j:#}");
    assert_eq!(
        j["problems"][0]["location"],
        format!("attachments/{zeros}"),
        "{j:#}"
    );
}

/// A record re-signed throughout with another key passes every test of the file alone;
/// the village's own key file tells. `check` holds the key file (beside the database or
/// `--key`) to the keys of record: another key is E-TRUST, exit 4; no key file (an
/// auditor's copy) is fine.
#[test]
fn check_holds_the_key_file_to_the_keys_of_record() {
    let v = Village::with_roster();
    v.run(&["check"]).ok();
    let other = Village::with_roster();
    let k = path_str(&other.key()).to_string();
    let o = v.run(&["--key", &k, "check", "--json"]);
    assert_eq!(o.code, 4, "{}{}", o.stdout, o.stderr);
    let j = o.json();
    assert_eq!(j["ok"], false);
    assert_eq!(j["problems"][0]["code"], "E-TRUST", "{j}");
    assert!(
        j["problems"][0]["location"].as_str().unwrap().contains(&k),
        "{j}"
    );
    // (The test villages share one origin: the key file names this record's, as a record
    // re-signed throughout with another key would keep it.)
    let e = v.run(&["--key", &k, "check"]).stderr;
    assert!(
        e.contains("从未用它签过名") && e.contains("被人用别的密钥重新签名过"),
        "{e}"
    );
    v.run(&["--key", "none.key", "check"]).ok();
}

/// A command recorded with the clock set ahead (here ten years) leaves an entry from the
/// future: every later command is refused until that time (times never go back), the
/// township's verify reports it, and so does the village's own `check` (E-LOG-FUTURE,
/// exit 4), naming the first such entry; within a day of slack it is not reported.
#[test]
fn check_reports_an_entry_from_the_future() {
    let v = matter_until("consultation");
    let n = v.run(&["check", "--json"]).ok().json()["entries"]
        .as_u64()
        .unwrap();
    let p = record_one_at(&v, "2036-12-01T10:00:00+08:00");
    let o = v.run(&["check", "--json"]);
    assert_eq!(o.code, 4, "{}", o.stdout);
    let j = o.json();
    assert_eq!(j["problems"][0]["code"], "E-LOG-FUTURE", "{j}");
    assert_eq!(j["problems"][0]["location"], format!("entries[{n}]"), "{j}");
    let e = v.run(&["check"]).stderr;
    assert!(
        e.contains("2036-12-01 10:00") && e.contains("时钟调快"),
        "{e}"
    );
    // A clock problem is not said to be tampering.
    assert!(!e.contains("记录可能被改动"), "{e}");
    // The next command, with the clock right, is refused and told where to look.
    let e = v.refused(
        3,
        &[
            "consult",
            "2026-001",
            "record",
            &p.household,
            "--consent",
            "--signer",
            &p.name,
            "--sheet-page",
            "1",
            "--date",
            "2026-03-20",
        ],
    );
    assert!(e.contains("liuyi check"), "{e}");
    // Less than a day ahead of this clock is within the slack.
    let w = matter_until("consultation");
    record_one_at(&w, "2026-10-31T09:00:00+08:00");
    w.run(&["check"]).ok();
    // Every entry ahead, from the first: this computer's clock is the likelier fault.
    let o = v.run_env(&[("LIUYI_NOW", "2020-01-01T10:00:00+08:00")], &["check"]);
    assert_eq!(o.code, 4);
    assert!(
        o.stderr.contains("每一条都晚于本机当前时间") && o.stderr.contains("本机时钟慢了"),
        "{}",
        o.stderr
    );
}

/// `record_one`, with the clock at `now`.
fn record_one_at(v: &Village, now: &str) -> liuyi::demo::Villager {
    record_one_with(v, &[("LIUYI_NOW", now)], &["--date", "2026-03-20"])
}

/// A command records nothing on a file whose triggers or tables another tool changed: it
/// is refused with exit 4, naming what was changed (it signed entry after entry on top of
/// them, while `check` said to stop recording).
#[test]
fn a_command_records_nothing_on_a_file_whose_structure_was_altered() {
    let v = matter_until("motion");
    let by = v
        .people()
        .into_iter()
        .find(|p| p.relation == "户主" && p.status == "在村" && p.birth.0 < 1990)
        .map(|p| format!("{}:{}", p.household, p.name))
        .unwrap();
    let motion = ["motion", "--title", "新动议", "--text", "内容", "--by", &by];
    for change in [
        "DROP TRIGGER entries_no_update;",
        "CREATE INDEX mine ON consents(signer);",
    ] {
        let w = matter_until("motion");
        sql(&w, change);
        let e = w.refused(4, &motion);
        assert!(
            e.contains("E-DB-TRIGGERS") || e.contains("E-DB-SCHEMA"),
            "{change}: {e}"
        );
    }
    // Untouched, the same command records.
    v.run(&motion).ok();
}

/// A matter's projection row edited with the sqlite3 tool: the next command on that matter
/// is refused with exit 4 and records nothing. It rewrote the row, and `check` then passed:
/// the evidence was gone.
#[test]
fn a_command_does_not_rewrite_a_forged_projection_row() {
    let v = matter_until("review");
    sql(
        &v,
        "UPDATE matters SET title = title || '（已取消）' WHERE id = '2026-001';",
    );
    let e = v.refused(4, &["consult", "2026-001", "open", "--date", "2026-03-18"]);
    assert!(
        e.contains("E-PROJ") && e.contains("matters/2026-001"),
        "{e}"
    );
    let j = problems_found(&v);
    problem_with(&j, "E-PROJ");
}

/// A row of the people projection edited with the sqlite3 tool: a roster import, which
/// rewrites that table whole, is refused (exit 4) instead of erasing the edited row that
/// `check` reports.
#[test]
fn a_roster_import_does_not_rewrite_a_forged_people_row() {
    let v = Village::with_roster();
    let mut people = v.people();
    sql(
        &v,
        &format!(
            "UPDATE people SET name = '改' WHERE household = '{}' AND name = '{}';",
            people[0].household, people[0].name
        ),
    );
    people[1].status = "外出";
    let f = v.write("r.csv", liuyi::demo::roster_csv(&people).as_bytes());
    let e = v.refused(
        4,
        &["roster", "import", path_str(&f), "--date", "2026-02-01"],
    );
    assert!(e.contains("E-PROJ") && e.contains("people/"), "{e}");
    problem_with(&problems_found(&v), "E-PROJ");
}

/// A household's consent row edited with the sqlite3 tool: recording that household again
/// (a changed consent) is refused with exit 4 instead of rewriting the row and erasing
/// what `check` reports; another household records as before.
#[test]
fn a_consent_does_not_rewrite_a_forged_consent_row() {
    let v = matter_until("consultation");
    let p = record_one(&v);
    sql(
        &v,
        &format!(
            "UPDATE consents SET opinion = 'object' WHERE matter = '2026-001' AND household = '{}';",
            p.household
        ),
    );
    let e = v.refused(
        4,
        &[
            "consult",
            "2026-001",
            "record",
            &p.household,
            "--object",
            "改变主意",
            "--signer",
            &p.name,
            "--sheet-page",
            "1",
        ],
    );
    assert!(
        e.contains("E-PROJ") && e.contains(&format!("consents/2026-001/1/{}", p.household)),
        "{e}"
    );
    problem_with(&problems_found(&v), "E-PROJ");
}

/// A signing key put among the stored files (with any SQLite tool; recording refuses it):
/// `check` reports it, whatever else is right, since the record now gives the key away.
#[test]
fn a_signing_key_among_the_stored_files_is_reported() {
    let v = Village::with_roster();
    let key = std::fs::read(v.key()).unwrap();
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&key))
    };
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute(
        "INSERT INTO attachments (sha256, size, data) VALUES (?1, ?2, ?3)",
        rusqlite::params![sha, key.len() as i64, key],
    )
    .unwrap();
    drop(c);
    let out = v.run(&["check", "--json"]);
    assert_eq!(out.code, 4, "{}", out.stdout);
    let j = out.json();
    assert!(
        j["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["code"] == "E-ATT-KEY" && p["location"] == format!("attachments/{sha}")),
        "{j:#}"
    );
    let text = v.run(&["check"]).stderr;
    assert!(
        text.contains("含有签名私钥") && text.contains("liuyi key rotate"),
        "{text}"
    );
    // The key replaced, as the message says: the file keeps the old key for good (the
    // record is append-only), no longer the key in force, and `check` passes again.
    let new_key = v.dir.path().join("new.key");
    v.run(&[
        "key",
        "rotate",
        "--new-key",
        path_str(&new_key),
        "--reason",
        "密钥泄露",
    ])
    .ok();
    let out = v.run(&["--key", path_str(&new_key), "check", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    // Writing with the retired key is refused as the village's old key, not as another
    // village's, and says which key file to use.
    let e = v.refused(2, &["supervision", "set", "--phone", "13900000000"]);
    assert!(
        e.contains("本村换钥前的旧密钥") && e.contains("换钥时生成的新密钥文件"),
        "{e}"
    );
}

/// A scan swapped behind liuyi's back: `check` named the file by its hash alone, where
/// `verify` names the entry, matter and step that reference it. Both, and `export`'s
/// refusal, now say which entry it is; the JSON `location` stays the file's name.
#[test]
fn a_swapped_scan_is_placed_by_the_entry_that_names_it() {
    let v = matter_until("consented");
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let (idx, bytes): (i64, Vec<u8>) = c
        .query_row(
            "SELECT idx, bytes FROM entries WHERE CAST(bytes AS TEXT) LIKE '%\"type\":\"consult.sheet\"%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(c);
    let entry: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let sha = entry["body"]["scan"]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    behind_the_triggers(
        &v,
        &["attachments_no_update"],
        &format!(
            "UPDATE attachments SET data = CAST('another scan' AS BLOB) WHERE sha256 = '{sha}';"
        ),
    );
    let o = v.run(&["check"]);
    assert_eq!(o.code, 4, "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!(
            "attachments/{sha}（第 {idx} 条记录（事项 2026-001，民议签字表）） [E-ATT-HASH]"
        )),
        "{}",
        o.stderr
    );
    let o = v.run(&["--lang", "en", "check"]);
    assert!(
        o.stderr.contains(&format!(
            "attachments/{sha} (entries[{idx}] (matter 2026-001, consult.sheet)) [E-ATT-HASH]"
        )),
        "{}",
        o.stderr
    );
    // The tools' form is the file's name, as it was.
    let j = problems_found(&v);
    assert_eq!(
        problem_with(&j, "E-ATT-HASH")["location"],
        format!("attachments/{sha}"),
        "{j:#}"
    );
    let out = v.dir.path().join("b.zip");
    let e = v.refused(4, &["export", "--all", "-o", path_str(&out)]);
    assert!(
        e.contains(&format!(
            "attachments/{sha}（第 {idx} 条记录（事项 2026-001，民议签字表））"
        )),
        "{e}"
    );
}

/// The index of the review's entry.
fn review_idx(v: &Village) -> i64 {
    rusqlite::Connection::open(v.db())
        .unwrap()
        .query_row(
            "SELECT idx FROM entries WHERE CAST(bytes AS TEXT) LIKE '%\"type\":\"review\"%'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// Entry `idx` rewritten by `edit` with the sqlite3 tool, its leaf recomputed, the
/// trigger put back.
fn rewrite_entry(v: &Village, idx: i64, edit: impl FnOnce(String) -> String) {
    let c = rusqlite::Connection::open(v.db()).unwrap();
    let bytes: Vec<u8> = c
        .query_row("SELECT bytes FROM entries WHERE idx = ?1", [idx], |r| {
            r.get(0)
        })
        .unwrap();
    drop(c);
    let edited = edit(String::from_utf8(bytes.clone()).unwrap()).into_bytes();
    assert_ne!(edited, bytes, "the edit changes the entry");
    let leaf = hex::encode(liuyi::record::merkle::leaf_hash(&edited));
    behind_the_triggers(
        v,
        &["entries_no_update"],
        &format!(
            "UPDATE entries SET bytes = x'{}', leaf = x'{leaf}' WHERE idx = {idx};",
            hex::encode(&edited)
        ),
    );
}

/// A consent entry rewritten with the sqlite3 tool inside the import that recorded it
/// (no checkpoint right after it), its leaf recomputed: `check` named the entry after it
/// (E-LOG-CHAIN, "does not follow the previous one") and never the one edited; an edit that
/// breaks a rule was reported as the village breaking it (E-RULE alone). The broken link now
/// names the entry before it as the one that no longer hashes to what it links to, and the
/// rule is said to be the altered text's, after the link.
#[test]
fn an_entry_rewritten_mid_log_is_named_by_the_link_after_it() {
    let v = matter_until("consented");
    let c = rusqlite::Connection::open(v.db()).unwrap();
    // The third consent of the import: an entry follows it in the same command.
    let idx: i64 = c
        .query_row(
            "SELECT idx FROM entries WHERE CAST(bytes AS TEXT) LIKE '%\"type\":\"consult.record\"%'
             ORDER BY idx LIMIT 1 OFFSET 2",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let checkpoints: i64 = c
        .query_row(
            "SELECT count(*) FROM checkpoints WHERE size = ?1",
            [idx + 1],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(checkpoints, 0, "no checkpoint right after entry {idx}");
    drop(c);
    let page = |s: String| {
        let at = s.find("\"sheet_page\":").unwrap() + "\"sheet_page\":".len();
        let end = at + s[at..].find(|c: char| !c.is_ascii_digit()).unwrap();
        let n: u32 = s[at..end].parse().unwrap();
        format!("{}{}{}", &s[..at], n + 1, &s[end..])
    };
    // A change no rule sees: the sheet page.
    let fresh = v.db_bytes();
    rewrite_entry(&v, idx, page);
    let j = problems_found(&v);
    assert_eq!(j["problems"].as_array().unwrap().len(), 1, "{j:#}");
    let p = &j["problems"][0];
    assert_eq!(p["code"], "E-LOG-CHAIN", "{j:#}");
    assert_eq!(p["location"], format!("entries[{}]", idx + 1), "{j:#}");
    let o = v.run(&["check"]);
    assert!(
        o.stderr.contains(&format!(
            "第 {} 条记录 [E-LOG-CHAIN] 哈希链断裂：第 {idx} 条记录（事项 2026-001，民议意见）的内容与本条所链接的哈希不符：它在签名后被改动过",
            idx + 1
        )),
        "{}",
        o.stderr
    );
    let o = v.run(&["--lang", "en", "check"]);
    assert!(
        o.stderr.contains(&format!(
            "entries[{idx}] (matter 2026-001, consult.record) does not hash to what this entry links to: it was altered after it was signed"
        )),
        "{}",
        o.stderr
    );

    // A change the rules refuse: a signer who is no member of the household.
    std::fs::write(v.db(), &fresh).unwrap();
    rewrite_entry(&v, idx, |s| s.replace("\"signer\":\"", "\"signer\":\"外人"));
    let j = problems_found(&v);
    let codes: Vec<&str> = (j["problems"].as_array().unwrap().iter())
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["E-LOG-CHAIN", "E-RULE"], "{j:#}");
    assert_eq!(
        j["problems"][1]["location"],
        format!("entries[{idx}] (matter 2026-001, consult.record)")
    );
    let o = v.run(&["check"]);
    assert!(
        o.stderr.contains(&format!(
            "第 {idx} 条记录（事项 2026-001，民议意见） [E-RULE] 此处在签名后被改动过（见第 {} 条记录的 E-LOG-CHAIN）；下面这条程序规则是被改动后的内容违反的，不是村里当时的做法：签字人 外人",
            idx + 1
        )),
        "{}",
        o.stderr
    );
    let o = v.run(&["--lang", "en", "check"]);
    assert!(
        o.stderr.contains(&format!(
            "[E-RULE] this was altered after it was signed (see E-LOG-CHAIN at entries[{}]); the rule below is broken by the altered text, not by a step the village took: ",
            idx + 1
        )),
        "{}",
        o.stderr
    );
}

/// The last entry of a command rewritten, its leaf recomputed: `check` said only that the
/// checkpoint's root does not match. It now says which entries the checkpoint covers and,
/// the checkpoint before it matching, which entry was changed — and a rule the changed
/// entry breaks is the change's.
#[test]
fn the_last_entry_rewritten_is_named_by_the_checkpoint_after_it() {
    for (edit, rule) in [
        (
            ("\"date\":\"2026-03-15\"", "\"date\":\"2026-03-14\""),
            false,
        ),
        // More votes for than members present.
        (("\"for\":38", "\"for\":48"), true),
    ] {
        let v = matter_until("review");
        let idx = review_idx(&v);
        rewrite_entry(&v, idx, |s| s.replace(edit.0, edit.1));
        let size = idx + 1;
        let j = problems_found(&v);
        let p = &j["problems"][0];
        assert_eq!(p["code"], "E-CKPT-ROOT", "{j:#}");
        assert_eq!(p["location"], format!("checkpoints[{size}]"), "{j:#}");
        let codes: Vec<&str> = (j["problems"].as_array().unwrap().iter())
            .map(|p| p["code"].as_str().unwrap())
            .collect();
        let expected: &[&str] = if rule {
            &["E-CKPT-ROOT", "E-RULE"]
        } else {
            &["E-CKPT-ROOT"]
        };
        assert_eq!(codes, expected, "{j:#}");
        let o = v.run(&["check"]);
        assert!(
            o.stderr.contains(&format!(
                "第 {size} 条处的检查点 [E-CKPT-ROOT] 这个检查点（覆盖第 0–{idx} 条记录）的树根与现有记录不符，而它自身的签名成立：记录在签名后被改动过。第 {idx} 条处的检查点仍与记录相符，被改动的是其后这一条：第 {idx} 条记录（事项 2026-001，审议）"
            )),
            "{}",
            o.stderr
        );
        if rule {
            assert!(
                o.stderr.contains(&format!(
                    "[E-RULE] 此处在签名后被改动过（见第 {size} 条处的检查点的 E-CKPT-ROOT）"
                )),
                "{}",
                o.stderr
            );
        }
        let o = v.run(&["--lang", "en", "check"]);
        assert!(
            o.stderr.contains(&format!(
                "checkpoints[{size}] [E-CKPT-ROOT] this checkpoint (covering entries 0-{idx}) does not match the log, and its own signature holds: the log was changed after it was signed. The checkpoint at size {idx} still matches, so the entry changed is the one after it: entries[{idx}] (matter 2026-001, review)"
            )),
            "{}",
            o.stderr
        );
    }
}

/// A copy of the record from before a change of key, used with the new key file: an
/// honest mistake (a backup restored after the change) was told "not this record's key"
/// and, by `check`, that the database could not be trusted. The key file names the record
/// it was made for: the same village's key, never used here, is said to be a later key,
/// and the copy an older one.
#[test]
fn a_copy_from_before_a_change_of_key_is_told_as_such() {
    let v = matter_until("review");
    let before = v.dir.path().join("before.db");
    std::fs::copy(v.db(), &before).unwrap();
    let new_key = v.dir.path().join("new.key");
    v.run(&[
        "key",
        "rotate",
        "--new-key",
        path_str(&new_key),
        "--reason",
        "换届",
    ])
    .ok();
    let o = v.run(&[
        "--db",
        path_str(&before),
        "--key",
        path_str(&new_key),
        "consult",
        "2026-001",
        "open",
        "--date",
        "2026-03-18",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("是本村的密钥") && o.stderr.contains("换钥之前的旧记录库"),
        "{}",
        o.stderr
    );
    let o = v.run(&[
        "--db",
        path_str(&before),
        "--key",
        path_str(&new_key),
        "check",
    ]);
    assert_eq!(o.code, 4, "{}", o.stderr);
    assert!(
        o.stderr.contains("换钥之前的旧记录库") && !o.stderr.contains("记录可能被改动或损坏"),
        "{}",
        o.stderr
    );
    // `key show`, where the messages send the secretary, says the same (it said to give the
    // current key file: the old key, which records on the old copy, forking the record).
    let o = v.run(&[
        "--db",
        path_str(&before),
        "--key",
        path_str(&new_key),
        "key",
        "show",
    ]);
    assert!(o.ok().stdout.contains("换钥之前的旧记录库"), "{}", o.stdout);
    // Another village's key is still another village's.
    let other = v.dir.path().join("other.key");
    liuyi::record::keys::write_new_key_file(
        &other,
        &liuyi::record::keys::SecretKey::generate().unwrap(),
        "liuyi/370102001001",
    )
    .unwrap();
    let o = v.run(&[
        "--db",
        path_str(&before),
        "--key",
        path_str(&other),
        "consult",
        "2026-001",
        "open",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("不是本村记录的签名密钥"), "{}", o.stderr);
    let o = v.run(&["--key", path_str(&other), "check"]);
    assert_eq!(o.code, 4);
    assert!(
        o.stderr
            .contains("是另一份记录（记录标识 liuyi/370102001001）的密钥")
            && !o.stderr.contains("记录可能被改动或损坏"),
        "{}",
        o.stderr
    );
}

/// A snapshot row an earlier liuyi wrote keeps no policy history: `check` takes it as it
/// is (it is signed, and of that form), and a writing command replays the log instead of
/// using it when the policy changed since `init` (so that a meeting is judged by the policy
/// of its day), then writes the row in this version's form.
#[test]
fn a_snapshot_row_without_the_policy_history_is_replayed_not_called_altered() {
    let v = Village::early_with_roster();
    let mut policy = v.run(&["policy", "show", "--json"]).ok().json();
    policy["min_posting_days"] = 20.into();
    let f = v.write("p.json", policy.to_string().as_bytes());
    v.run(&["policy", "set", path_str(&f), "--reason", "村规民约"])
        .ok();
    let state = || -> String {
        let c = rusqlite::Connection::open(v.db()).unwrap();
        c.query_row("SELECT state FROM snapshot", [], |r| r.get(0))
            .unwrap()
    };
    assert!(state().contains("\"policy_changes\""), "{}", state());
    // As an earlier liuyi wrote it: the same row without the field, signed by the key.
    let s = state();
    let (_, json) = s.split_once(' ').unwrap();
    let mut j: serde_json::Value = serde_json::from_str(json).unwrap();
    j.as_object_mut().unwrap().remove("policy_changes");
    let json = j.to_string();
    let key = liuyi::record::read_key_file(&v.key()).unwrap().0;
    let sig = key.sign(&liuyi::record::note::pae(
        "application/vnd.liuyi.snapshot+json",
        json.as_bytes(),
    ));
    let c = rusqlite::Connection::open(v.db()).unwrap();
    c.execute(
        "UPDATE snapshot SET state = ?1",
        [format!("{} {json}", hex::encode(sig))],
    )
    .unwrap();
    drop(c);
    v.run(&["check"]).ok();
    // The next writing command replays and writes the row whole.
    let by = v
        .people()
        .into_iter()
        .find(|p| p.relation == "户主" && p.status == "在村" && p.birth.0 < 1990)
        .map(|p| format!("{}:{}", p.household, p.name))
        .unwrap();
    v.run(&[
        "motion",
        "--title",
        "村口路灯安装",
        "--text",
        "安装路灯",
        "--by",
        &by,
        "--date",
        "2026-01-05",
    ])
    .ok();
    assert!(state().contains("\"policy_changes\""), "{}", state());
    v.run(&["check"]).ok();
}
