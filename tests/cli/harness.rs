//! A small harness: a temporary village with a pinned clock, a runner that captures
//! stdout, stderr and the exit code, and a helper asserting a refusal changed nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Village {
    pub dir: tempfile::TempDir,
    pub now: String,
    pub lang: &'static str,
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Out {
    fn from(o: std::process::Output) -> Out {
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Out {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        self
    }
}

/// The binary under test; `LIUYI_TEST_BIN` points a long soak at a copy, so rebuilding
/// meanwhile does not swap the binary under it.
pub fn bin() -> PathBuf {
    std::env::var_os("LIUYI_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_liuyi")))
}

impl Village {
    /// An empty directory; nothing initialised.
    pub fn empty() -> Village {
        Village {
            dir: tempfile::tempdir().unwrap(),
            now: "2026-10-30T10:00:00+08:00".into(),
            lang: "zh",
        }
    }

    /// Initialised, with the generated 365-household roster imported on 2026-01-05.
    pub fn with_roster() -> Village {
        Village::with_roster_and(&["--supervisor", "王建国", "--phone", "13800138000"])
    }

    /// [`Village::with_roster`], `init` given `contact` (the objection contact's flags).
    pub fn with_roster_and(contact: &[&str]) -> Village {
        Village::with_roster_at(Village::empty(), contact)
    }

    /// [`Village::with_roster`] made early in the year (2026-01-05), so that what is
    /// recorded next (a policy, say) comes before the matters' steps; its clock is left
    /// there.
    pub fn early_with_roster() -> Village {
        let mut v = Village::empty();
        v.now = "2026-01-05T10:00:00+08:00".into();
        Village::with_roster_at(v, &["--supervisor", "王建国", "--phone", "13800138000"])
    }

    /// [`Village::with_roster_and`] recorded with `v`'s clock.
    pub fn with_roster_at(v: Village, contact: &[&str]) -> Village {
        let mut init = vec![
            "init",
            "--village",
            "清河村",
            "--township",
            "城关镇",
            "--county",
            "平安县",
            "--code",
            "130102001001",
        ];
        init.extend_from_slice(contact);
        v.run(&init).ok();
        let people = liuyi::demo::village(liuyi::demo::VillageSpec::default());
        let csv = v.write("roster.csv", liuyi::demo::roster_csv(&people).as_bytes());
        v.run(&[
            "roster",
            "import",
            csv.to_str().unwrap(),
            "--date",
            "2026-01-05",
        ])
        .ok();
        v
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("v.db")
    }

    pub fn key(&self) -> PathBuf {
        self.dir.path().join("v.key")
    }

    pub fn write(&self, name: &str, data: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, data).unwrap();
        p
    }

    pub fn run(&self, args: &[&str]) -> Out {
        self.run_env(&[], args)
    }

    /// `run` with extra environment variables (the test hooks of README "Reliability").
    pub fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Out {
        let o = self
            .command(args)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        Out::from(o)
    }

    /// The command `run` would start, for tests that spawn, race or kill it.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.args(args)
            .env("LIUYI_DB", self.db())
            .env("LIUYI_KEY", self.key())
            .env("LIUYI_NOW", &self.now)
            .env("LIUYI_LANG", self.lang)
            .env_remove("LIUYI_TOWNSHIP_DB");
        for hook in [
            "LIUYI_TEST_MAX_PAGES",
            "LIUYI_TEST_BUSY_MS",
            "LIUYI_TEST_FAIL_WRITE",
            "LIUYI_TEST_RULES_BY_CLOCK",
        ] {
            c.env_remove(hook);
        }
        c
    }

    pub fn db_bytes(&self) -> Vec<u8> {
        std::fs::read(self.db()).unwrap()
    }

    /// Runs a command that must be refused with `code`; the database must not change by a
    /// single byte. Returns stderr.
    #[track_caller]
    pub fn refused(&self, code: i32, args: &[&str]) -> String {
        self.refused_env(&[], code, args)
    }

    /// `refused` with extra environment variables.
    #[track_caller]
    pub fn refused_env(&self, env: &[(&str, &str)], code: i32, args: &[&str]) -> String {
        let before = self.db_bytes();
        let o = self.run_env(env, args);
        assert_eq!(
            o.code, code,
            "args {args:?}\nstdout: {}\nstderr: {}",
            o.stdout, o.stderr
        );
        assert!(!o.stderr.trim().is_empty(), "a refusal must explain itself");
        assert!(
            before == self.db_bytes(),
            "database changed after a refusal: {args:?}"
        );
        o.stderr
    }

    /// The people of the generated roster.
    pub fn people(&self) -> Vec<liuyi::demo::Villager> {
        liuyi::demo::village(liuyi::demo::VillageSpec::default())
    }
}

/// The first village representative among `people`: who collects 民议 signatures.
pub fn collector(people: &[liuyi::demo::Villager]) -> String {
    people
        .iter()
        .find(|p| p.representative)
        .unwrap()
        .name
        .clone()
}

/// Runs liuyi on the database `db` with the key file `key`, and `env` set.
pub fn run_on(db: &Path, key: &Path, env: &[(&str, &str)], args: &[&str]) -> Out {
    let mut c = Command::new(bin());
    c.args(args).env("LIUYI_DB", db).env("LIUYI_KEY", key);
    for (k, v) in env {
        c.env(k, v);
    }
    Out::from(c.output().unwrap())
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `init` of 清河村 with its objection contact (no village code: the origin is the key's).
pub const INIT_ARGS: [&str; 11] = [
    "init",
    "--village",
    "清河村",
    "--township",
    "城关镇",
    "--county",
    "平安县",
    "--supervisor",
    "王建国",
    "--phone",
    "13800138000",
];
