//! Output files (`-o`): temporary files never collide nor outlive their run (Ctrl-C,
//! SIGTERM, a kill), a notice whose PDF cannot be placed after its step was recorded says
//! so, and `-o` paths that name no file are refused as bad input.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::harness::*;
use crate::matter::matter_until;

/// The hidden temporary files of `name` in `dir` (`.<name>.partial-…`).
fn partials(dir: &Path, name: &str) -> Vec<PathBuf> {
    let prefix = format!(".{name}.partial-");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&prefix)
        })
        .collect();
    found.sort();
    found
}

/// `publish 2026-001 resolution` posted 15 days from 2026-04-26, its PDF to `out`.
fn publish_to(out: &Path) -> [&str; 9] {
    [
        "publish",
        "2026-001",
        "resolution",
        "--days",
        "15",
        "--date",
        "2026-04-26",
        "-o",
        path_str(out),
    ]
}

/// Sends `signal` (`-INT`, `-TERM`) to `child`.
fn send(signal: &str, child: &std::process::Child) {
    let killed = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
}

/// Starts `args` stopped right after it made its temporary file (`LIUYI_TEST_FAIL_WRITE=hang`),
/// waits for that file, sends `signal`, and returns the exit code.
fn interrupted(v: &Village, args: &[&str], out: &Path, signal: &str) -> i32 {
    let mut child = v
        .command(args)
        .env("LIUYI_TEST_FAIL_WRITE", "hang")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let name = out.file_name().unwrap().to_str().unwrap();
    let t = Instant::now();
    while partials(v.dir.path(), name).is_empty() {
        assert!(t.elapsed() < Duration::from_secs(60), "no temporary file");
        std::thread::sleep(Duration::from_millis(20));
    }
    send(signal, &child);
    child.wait().unwrap().code().unwrap_or(-1)
}

/// Ctrl-C (SIGINT) or SIGTERM while a bundle or a notice is being written removes its
/// temporary file (an export's can be hundreds of MB) and exits with 130; no file appears
/// under the final name. They used to stay for good.
#[test]
fn an_interrupted_write_leaves_no_temporary_file() {
    let v = matter_until("resolution");
    let bundle = v.dir.path().join("审计包.zip");
    let export = ["export", "--all", "-o", path_str(&bundle)];
    assert_eq!(interrupted(&v, &export, &bundle, "-INT"), 130);
    assert!(partials(v.dir.path(), "审计包.zip").is_empty());
    assert!(!bundle.exists());
    let form = v.dir.path().join("签到表.pdf");
    let args = [
        "form",
        "2026-001",
        "signin",
        "--meeting",
        "discussion",
        "-o",
        path_str(&form),
    ];
    assert_eq!(interrupted(&v, &args, &form, "-TERM"), 130);
    assert!(partials(v.dir.path(), "签到表.pdf").is_empty());
    assert!(!form.exists());
    v.run(&["check"]).ok();
    v.run(&export).ok();
    assert!(bundle.exists());
}

/// A run that writes `X` removes the stale `.X.partial-*` files of processes that are gone
/// (a kill, a power cut), in the old name form too, and leaves those of a live process (it
/// may be writing one now). A stale file can no longer make the command refuse with a
/// false "already exists".
#[test]
fn stale_temporary_files_of_dead_processes_are_removed() {
    let v = matter_until("resolution");
    let bundle = v.dir.path().join("b.zip");
    // Above the largest process id Linux gives (2^22): no process has it.
    let dead = [
        ".b.zip.partial-4194305-00ff00ff00ff00ff",
        ".b.zip.partial-4194305",
    ];
    let live = format!(".b.zip.partial-{}-0123456789abcdef", std::process::id());
    for n in dead.iter().copied().chain([live.as_str()]) {
        age(&v.write(n, &vec![0u8; 1000]));
    }
    // A fresh one of a process unknown here may be a live run in a container or on another
    // computer sharing the folder: left alone.
    let fresh = v.write(".b.zip.partial-4194306-00aa", b"live elsewhere");
    v.run(&["export", "--all", "-o", path_str(&bundle)]).ok();
    assert!(bundle.exists());
    let mut kept = vec![v.dir.path().join(&live), fresh];
    kept.sort();
    assert_eq!(
        partials(v.dir.path(), "b.zip"),
        kept,
        "the dead process's old files removed, the live one's and a fresh one kept"
    );
    // The same for the writer of notices and forms.
    let pdf = v.dir.path().join("表.pdf");
    age(&v.write(".表.pdf.partial-4194305-abcdef", b"stale"));
    v.run(&["form", "2026-001", "motion", "-o", path_str(&pdf)])
        .ok();
    assert!(partials(v.dir.path(), "表.pdf").is_empty());
}

/// Starts `args` with `LIUYI_TEST_FAIL_WRITE=hang-held`, sends SIGINT once it says it is in
/// a held moment (between a commit and its file taking its name), and returns the exit code
/// and what it printed.
fn interrupted_held(v: &Village, args: &[&str]) -> (i32, String) {
    use std::io::{BufRead, Read};
    let mut child = v
        .command(args)
        .env("LIUYI_TEST_FAIL_WRITE", "hang-held")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "the run ended without reaching the held moment"
        );
        if line.trim() == "held" {
            break;
        }
    }
    send("-INT", &child);
    std::io::copy(&mut stderr, &mut std::io::sink()).unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    (child.wait().unwrap().code().unwrap_or(-1), out)
}

/// Ctrl-C in the moment after `publish` committed and before its PDF took its name used to
/// remove the PDF of a notice now recorded (and `init`'s record, its key file written). The
/// interrupt now waits for that moment to end: both are there, the run says so, and it exits
/// with 130.
#[test]
fn ctrl_c_after_a_commit_waits_for_its_file() {
    let v = matter_until("resolution");
    let out = v.dir.path().join("决议公告.pdf");
    let publish = publish_to(&out);
    let (code, said) = interrupted_held(&v, &publish);
    assert_eq!(code, 130);
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    assert!(said.contains("决议公告.pdf"), "{said}");
    assert!(partials(v.dir.path(), "决议公告.pdf").is_empty());
    v.refused(3, &publish);
    v.run(&["check"]).ok();

    let fresh = Village::empty();
    let init = [
        "init",
        "--village",
        "清河村",
        "--township",
        "城关镇",
        "--county",
        "平安县",
    ];
    let (code, said) = interrupted_held(&fresh, &init);
    assert_eq!(code, 130);
    assert!(fresh.db().exists() && fresh.key().exists());
    assert!(said.contains("清河村"), "{said}");
    fresh.run(&["check"]).ok();
    let left: Vec<_> = std::fs::read_dir(fresh.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// `publish -o` whose PDF cannot take its name once the step is committed (a disk gone full,
/// an I/O error, a file put there meanwhile): it used to say only that the write failed
/// (exit 1, or exit 2 "already exists", which promises nothing changed) while the notice was
/// recorded, and a retry was refused as already published. It now says the step WAS
/// recorded and how to print the notice, with exit 1.
#[test]
fn a_notice_not_placed_after_the_commit_says_it_was_recorded() {
    let v = matter_until("resolution");
    let out = v.dir.path().join("决议公告.pdf");
    let publish = publish_to(&out);
    let o = v.run_env(&[("LIUYI_TEST_FAIL_WRITE", "link")], &publish);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("已经记录为公开")
            && o.stderr.contains("不要再运行 publish")
            && o.stderr.contains("磁盘已满")
            && o.stderr
                .contains("liuyi notice 2026-001 resolution -o 公告.pdf"),
        "{}",
        o.stderr
    );
    assert!(
        o.stdout.contains("2026-001"),
        "the step is said recorded: {}",
        o.stdout
    );
    assert!(!out.exists());
    assert!(partials(v.dir.path(), "决议公告.pdf").is_empty());
    // Recorded indeed: publishing again is refused, the re-print works.
    v.refused(3, &publish);
    v.run(&["notice", "2026-001", "resolution", "-o", path_str(&out)])
        .ok();
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    v.run(&["check"]).ok();

    // In English, for the result notice.
    let mut v2 = matter_until("resolution");
    v2.lang = "en";
    let out2 = v2.dir.path().join("notice.pdf");
    let o = v2.run_env(&[("LIUYI_TEST_FAIL_WRITE", "link")], &publish_to(&out2));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("WAS recorded as published")
            && o.stderr
                .contains("liuyi notice 2026-001 resolution -o notice.pdf"),
        "{}",
        o.stderr
    );
}

/// `-o newdir/` (a directory, there or not) gave exit 1 "cannot read or write newdir/ (Not a
/// directory)"; `-o -` silently wrote a file named `-`. Both are bad input now: exit 2, the
/// record unchanged, nothing written, and a message saying to give a file path.
#[test]
fn output_paths_that_name_no_file_are_bad_input() {
    let v = matter_until("resolution");
    let there = v.dir.path().join("there");
    std::fs::create_dir(&there).unwrap();
    for dir in ["newdir/", "there/"] {
        let p = format!("{}/{dir}", v.dir.path().display());
        for args in [
            vec!["export", "--all", "-o", &p],
            vec!["form", "2026-001", "motion", "-o", &p],
            vec![
                "publish",
                "2026-001",
                "resolution",
                "--date",
                "2026-04-26",
                "-o",
                &p,
            ],
        ] {
            let e = v.refused(2, &args);
            assert!(
                e.contains("是目录而不是文件") && e.contains("请给出文件路径"),
                "{args:?}: {e}"
            );
        }
    }
    assert!(!v.dir.path().join("newdir").exists());
    assert_eq!(std::fs::read_dir(&there).unwrap().count(), 0);
    for args in [
        vec!["export", "--all", "-o", "-"],
        vec!["form", "2026-001", "motion", "-o", "-"],
        vec![
            "publish",
            "2026-001",
            "resolution",
            "--date",
            "2026-04-26",
            "-o",
            "-",
        ],
    ] {
        let before = v.db_bytes();
        let o: Out = v
            .command(&args)
            .current_dir(v.dir.path())
            .output()
            .unwrap()
            .into();
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains("请在 -o 后给出文件名"), "{}", o.stderr);
        assert!(before == v.db_bytes());
        assert!(
            !v.dir.path().join("-").exists(),
            "{args:?} wrote a file named -"
        );
    }
    let mut v = v;
    v.lang = "en";
    let e = v.refused(2, &["export", "--all", "-o", "-"]);
    assert!(e.contains("Give a file name after -o"), "{e}");
    let e = v.refused(2, &["export", "--all", "-o", "newdir/"]);
    assert!(e.contains("names a directory, not a file"), "{e}");
}

/// Sets `f`'s time two hours back (a temporary file is stale only after an hour).
fn age(f: &std::path::Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(f)
        .unwrap()
        .set_modified(then)
        .unwrap();
}

/// An environment variable set but empty is read as unset (SPEC §4 gives each a default):
/// `LIUYI_DB=` was refused as "--db has no value", which was never typed, and `LIUYI_LANG=`
/// as an unsupported language "".
#[test]
fn an_empty_environment_variable_is_read_as_unset() {
    let v = Village::with_roster();
    let home = tempfile::tempdir().unwrap();
    let o = v.run_env(
        &[
            ("LIUYI_DB", ""),
            ("HOME", home.path().to_str().unwrap()),
            ("XDG_DATA_HOME", ""),
        ],
        &["status"],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("liuyi/liuyi.db") && !o.stderr.contains("--db <PATH>"),
        "the default database is looked for: {}",
        o.stderr
    );
    // The key beside the database, the default language.
    v.run_env(&[("LIUYI_KEY", ""), ("LIUYI_LANG", "")], &["status"])
        .ok();
    let o = v.run_env(
        &[("LIUYI_KEY", ""), ("LIUYI_LANG", "")],
        &["motion", "--title", "t"],
    );
    assert!(
        o.stderr.contains("错误"),
        "Chinese by default: {}",
        o.stderr
    );
    let o = v.run_env(&[("LIUYI_TOWNSHIP_DB", "")], &["township", "status"]);
    assert!(o.stderr.contains("township.db"), "{}", o.stderr);
}

/// `demo --out` into a directory holding the user's own files writes nothing (it replaced
/// their roster.csv and plans, then stopped half-way at the first notice that was there).
#[test]
fn the_demo_replaces_no_file_of_the_users() {
    let e = Village::empty();
    let out = e.dir.path().join("mine");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("roster.csv"), "MINE").unwrap();
    let o = e.run(&["demo", "--out", path_str(&out)]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("不是空目录"), "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(out.join("roster.csv")).unwrap(),
        "MINE"
    );
    let left: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(left.len(), 1, "nothing written beside the user's file");
    // A new directory, and an empty one, are written as before.
    let fresh = e.dir.path().join("fresh");
    e.run(&["demo", "--out", path_str(&fresh)]).ok();
    assert!(fresh.join("qinghe.db").is_file() && fresh.join("roster.csv").is_file());
    let empty = e.dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    e.run(&["demo", "--out", path_str(&empty)]).ok();
    assert!(empty.join("qinghe.db").is_file());
}
