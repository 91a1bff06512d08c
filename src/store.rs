//! The only module that speaks SQL. SQLite as an application file format: application_id
//! and user_version set and checked, STRICT tables and append-only triggers from
//! `schema.sql`, synchronous=FULL with a rollback journal (so the `.db` file alone is the
//! whole record after every commit), defensive mode, and one IMMEDIATE transaction per
//! command taken before the command reads the log, so two terminals cannot interleave.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::rules::people::Person;

/// "liuy" in ASCII: identifies a liuyi database in the SQLite header (offset 68).
pub const APPLICATION_ID: i32 = 0x6c69_7579;
/// Schema versions are an append-only list; this binary knows up to this one.
pub const SCHEMA_VERSION: i32 = 3;
const SCHEMA: &str = include_str!("../schema.sql");

/// What each version adds to the one before: (version, the statement in `schema.sql` that
/// begins with this text, up to its `END;`, or its `;` for a table). A database of an
/// earlier version is brought up to date when a command opens it.
const MIGRATIONS: &[(i32, &str)] = &[
    (2, "CREATE TRIGGER attachments_no_replace"),
    (3, "CREATE TABLE township "),
    (3, "CREATE TRIGGER township_no_update"),
    (3, "CREATE TRIGGER township_no_delete"),
];

/// The statement of `schema.sql` starting at `start`, through its `END;` (a trigger) or
/// its `;` (a table, whose definition has no `;` inside).
fn schema_statement(start: &str) -> &'static str {
    let from = SCHEMA
        .find(start)
        .expect("the migration's statement is in schema.sql");
    let end = if start.starts_with("CREATE TABLE ") {
        ";"
    } else {
        "END;"
    };
    let len = SCHEMA[from..].find(end).expect("a statement ends") + end.len();
    &SCHEMA[from..from + len]
}

/// Brings the database up to this binary's schema, in one transaction; the version it is
/// then at. The version is read again inside the transaction, and each trigger made only if
/// absent: another command may have migrated the file since it was opened.
fn migrate(conn: &Connection) -> Result<i32> {
    let run = || -> Result<i32> {
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let version: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let mut sql = String::new();
        for (v, start) in MIGRATIONS.iter().filter(|(v, _)| *v > version) {
            sql += &schema_statement(start)
                .replacen("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1)
                .replacen("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1);
            sql += &format!(" PRAGMA user_version = {v};");
        }
        sql += " COMMIT;";
        conn.execute_batch(&sql)?;
        Ok(version.max(SCHEMA_VERSION))
    };
    run().inspect_err(|_| {
        let _ = conn.execute_batch("ROLLBACK");
    })
}

#[derive(Debug)]
pub enum StoreError {
    /// The file exists already (init never overwrites).
    Exists(PathBuf),
    /// No database at this path.
    Missing(PathBuf),
    /// The file is not a liuyi database.
    NotLiuyi(PathBuf),
    /// Made by a newer liuyi.
    TooNew {
        path: PathBuf,
        version: i32,
    },
    /// Another liuyi command holds the database.
    Busy,
    /// The disk is full (or the database reached its size limit).
    Full,
    /// SQLite found the file damaged (truncated, overwritten, copied mid-write).
    Corrupt(String),
    /// A row of the attachments table stands under this hash, but its bytes are not the
    /// file's: planted or changed with another tool. Recording the file against it would
    /// lose the file (the row is never replaced).
    AttachmentAltered {
        sha256: String,
    },
    /// A file named to attach changed (or could no longer be read) between the command
    /// reading its arguments and storing it.
    FileChanged {
        path: PathBuf,
        detail: String,
    },
    /// The file (or the folder its journal goes in) may not be written: permissions, a
    /// read-only medium.
    ReadOnly(String),
    /// The file is there but cannot be opened (permissions: another user's file, or a
    /// folder that may not be entered).
    CannotOpen(String),
    Sqlite(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::{Error as E, ErrorCode};
        // A stored value of another type or range than its column's, or text that is not
        // UTF-8: STRICT tables and liuyi's writes never hold one, so the file was altered
        // with another tool (`check` says how). Never a plain error with exit 1.
        if let E::InvalidColumnType(..)
        | E::FromSqlConversionFailure(..)
        | E::IntegralValueOutOfRange(..)
        | E::Utf8Error(..) = e
        {
            return StoreError::Corrupt(e.to_string());
        }
        // The file ends inside a page (cut short by a byte or a few), or its header names a
        // schema format no SQLite writes: damaged, as a truncated page is. Or its schema is
        // not the one liuyi made: a table, column or collation its statements name is gone
        // (renamed, dropped with another tool).
        const SQLITE_IOERR_SHORT_READ: std::ffi::c_int = 522;
        let not_ours = |m: &str| {
            m == "unsupported file format"
                || [
                    "no such table: ",
                    "no such column: ",
                    "no such collation sequence: ",
                ]
                .iter()
                .any(|p| m.starts_with(p))
        };
        match &e {
            E::SqliteFailure(f, _) if f.extended_code == SQLITE_IOERR_SHORT_READ => {
                return StoreError::Corrupt(format!(
                    "{e} (a short read: the file ends part-way through a page)"
                ));
            }
            E::SqliteFailure(_, Some(m)) | E::SqlInputError { msg: m, .. } if not_ours(m) => {
                return StoreError::Corrupt(e.to_string());
            }
            _ => {}
        }
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::DiskFull) => StoreError::Full,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(e.to_string()),
            Some(ErrorCode::CannotOpen) => StoreError::CannotOpen(e.to_string()),
            Some(ErrorCode::NotADatabase) => StoreError::NotLiuyi(PathBuf::new()),
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt(e.to_string()),
            _ => StoreError::Sqlite(e.to_string()),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// One stored log entry.
#[derive(Default)]
pub struct StoredEntry {
    pub idx: u64,
    pub prev: Option<Vec<u8>>,
    pub leaf: Vec<u8>,
    pub bytes: Vec<u8>,
}

/// A file to store with the command's entries, under the SHA-256 and size its entries
/// reference.
pub struct NewFile {
    pub sha256: String,
    pub size: u64,
    pub bytes: FileBytes,
}

pub enum FileBytes {
    /// Made by the command (a notice's PDF).
    Held(Vec<u8>),
    /// A file the user named, hashed when the command read its arguments: its bytes are
    /// copied from it into the database at commit, and must hash the same.
    At(PathBuf),
}

/// A matter's projection row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatterRow {
    pub id: String,
    pub title: String,
    pub category: String,
    pub stage: String,
    pub view: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConsentRow {
    pub matter: String,
    pub round: u32,
    pub household: String,
    pub opinion: String,
    pub signer: String,
    pub date: String,
}

/// A stored consent row of one matter, borrowed from SQLite (see
/// [`Store::for_each_consent_of`]): each text field's bytes, as stored (`None` if the field
/// is not text). `check` compares them with what it expects; it need not decode them.
pub struct ConsentRef<'a> {
    pub round: i64,
    pub household: Option<&'a [u8]>,
    pub opinion: Option<&'a [u8]>,
    pub signer: Option<&'a [u8]>,
    pub date: Option<&'a [u8]>,
}

/// One entry to insert: (idx, prev leaf, leaf, exact bytes).
pub type NewEntry = (u64, Option<[u8; 32]>, [u8; 32], Vec<u8>);

/// Everything one command writes, committed together or not at all.
#[derive(Default)]
pub struct Batch {
    pub attachments: Vec<NewFile>,
    /// (idx, prev, leaf, bytes)
    pub entries: Vec<NewEntry>,
    /// (size, note, frontier)
    pub checkpoint: Option<(u64, String, Vec<u8>)>,
    pub matters: Vec<MatterRow>,
    /// The whole current roster, when it changed.
    pub people: Option<Vec<Person>>,
    pub consents: Vec<ConsentRow>,
    /// The engine state snapshot: (size, JSON), and (id, stage, JSON) per changed matter.
    pub snapshot: Option<(u64, String)>,
    pub snapshot_matters: Vec<(String, String, String)>,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    in_write: bool,
    /// The schema version of the file as opened (after any migration).
    version: i32,
}

/// Set only by `liuyi generate`: commits skip fsync (synchronous=OFF) while a benchmark
/// record is built; the generator syncs each file once at the end. Same bytes, no durability
/// promise in between — never set by a secretary's command.
static BULK: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Turns on bulk mode for the rest of this process (see `BULK`).
pub fn set_bulk_mode() {
    BULK.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// The page size of a new database (SQLite's default is 4 KB). A decade's file is half
/// scanned pages kept as blobs, and SQLite reads a blob one page at a time: with 32 KB
/// pages `check` reads the same bytes in an eighth of the reads (on the decade generated
/// both ways: about 8 % less wall time, system CPU 2.9 → 1.7 s), while a 2,000-consent
/// import writes a little more (123 against 107 ms). README "Performance" has the runs. A
/// database made before keeps its page size: SQLite reads every size the same way.
pub const PAGE_SIZE: i64 = 32 * 1024;

/// How long a command waits for another one to finish before refusing with `Busy`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Test hooks, read here and nowhere else (README "Reliability"):
/// `LIUYI_TEST_BUSY_MS` shortens the busy timeout; `LIUYI_TEST_MAX_PAGES` caps the database
/// size in pages (SQLite's `max_page_count`, never below the current size), so a test can
/// make any write hit "disk full".
fn test_hook(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.trim().parse().ok()
}

/// The busy timeout (`LIUYI_TEST_BUSY_MS` in tests).
pub(crate) fn busy_timeout() -> Duration {
    test_hook("LIUYI_TEST_BUSY_MS").map_or(BUSY_TIMEOUT, Duration::from_millis)
}

/// Opens `path` with the busy timeout set before anything is read: rusqlite's own default
/// (5 s) would otherwise govern the first reads (the application id, the version), and a
/// command finding the record held gave up after 5 s, not 10.
pub(crate) fn open_conn(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(busy_timeout())?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(busy_timeout())?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "recursive_triggers", "ON")?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    let bulk = BULK.load(std::sync::atomic::Ordering::SeqCst);
    conn.pragma_update(None, "synchronous", if bulk { "OFF" } else { "FULL" })?;
    Ok(())
}

impl Store {
    /// Creates a new database; refuses if anything exists at `path`.
    pub fn create(path: &Path) -> Result<Store> {
        if path.exists() {
            return Err(StoreError::Exists(path.to_path_buf()));
        }
        let conn = open_conn(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        // Before the first write: the page size is fixed when the file is made.
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION}; {SCHEMA} COMMIT;"
        ))?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            in_write: false,
            version: SCHEMA_VERSION,
        })
    }

    /// Opens an existing liuyi database, refusing other files and newer versions; one of an
    /// earlier version is brought up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, true)
    }

    /// Like [`Store::open`], leaving the file as it is found: what `check` reads (it must
    /// not change what it judges: migrating would put back a trigger someone dropped from
    /// a file set back to version 1), and every second connection a command opens beside
    /// its first (which migrated, if anything did).
    pub fn open_as_found(path: &Path) -> Result<Store> {
        Self::open_with(path, false)
    }

    fn open_with(path: &Path, migrating: bool) -> Result<Store> {
        if !path.is_file() {
            // A directory or a device there is not a record liuyi could have made.
            if path.exists() {
                return Err(StoreError::NotLiuyi(path.to_path_buf()));
            }
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let conn = open_conn(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let not_liuyi = || StoreError::NotLiuyi(path.to_path_buf());
        let app: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| match StoreError::from(e) {
                StoreError::NotLiuyi(_) => not_liuyi(),
                other => other,
            })?;
        if app != APPLICATION_ID {
            return Err(not_liuyi());
        }
        let version: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                version,
            });
        }
        if version < 1 {
            return Err(not_liuyi());
        }
        configure(&conn)?;
        // An earlier version's database is brought up to date; one that cannot be written
        // now (read-only, or busy) is used as it is and checked against its own version.
        let version = if version < SCHEMA_VERSION && migrating {
            migrate(&conn).unwrap_or(version)
        } else {
            version
        };
        if let Some(pages) = test_hook("LIUYI_TEST_MAX_PAGES") {
            conn.pragma_update(None, "max_page_count", pages as i64)?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            in_write: false,
            version,
        })
    }

    /// The file's schema version.
    pub fn version(&self) -> i32 {
        self.version
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Takes the write lock before the command reads anything (BEGIN IMMEDIATE), so the
    /// state it judges is the state it appends to. Waits up to the busy timeout.
    pub fn begin_write(&mut self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.in_write = true;
        Ok(())
    }

    /// Writes the batch and commits; on any error everything is rolled back.
    pub fn commit(&mut self, batch: Batch) -> Result<()> {
        if !self.in_write {
            self.begin_write()?;
        }
        let r = self
            .write_batch(&batch)
            .and_then(|_| Ok(self.conn.execute_batch("COMMIT")?));
        if r.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        self.in_write = false;
        r
    }

    /// Ends a write transaction without writing (a refusal).
    pub fn rollback(&mut self) {
        if self.in_write {
            let _ = self.conn.execute_batch("ROLLBACK");
            self.in_write = false;
        }
    }

    /// Stores one file unless a file of this hash is stored already. The row is made with a
    /// zeroblob of the file's size and the bytes are then written in place, a piece at a
    /// time, so that no copy of a large scan is held in memory (binding it as a value made
    /// five: the bound copy, and the row built and rebuilt around the insert's trigger;
    /// 1.2 GB for a 200 MB scan, now 25 MB). A named file is read again here and must still
    /// have the hash and size its entry records.
    fn put_attachment(&self, f: &NewFile) -> Result<()> {
        const PIECE: usize = 4 << 20;
        let c = &self.conn;
        let stored: bool = c
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM attachments WHERE sha256 = ?1)")?
            .query_row([&f.sha256], |r| r.get(0))?;
        if stored {
            // The row must hold this file: one planted under its hash with the sqlite3 tool
            // would stand for it, and the file itself would never be stored.
            let mut buf = vec![0u8; 1 << 20];
            let found = self
                .with_attachment(&f.sha256, |rd, _| {
                    crate::record::sha256_of_reader(rd, &mut buf)
                })
                .ok()
                .flatten()
                .and_then(|r| r.ok());
            if found != Some((f.sha256.clone(), f.size)) {
                return Err(StoreError::AttachmentAltered {
                    sha256: f.sha256.clone(),
                });
            }
            return Ok(());
        }
        // Bound as a zeroblob, not written zeroblob(?2): SQLite computes that expression once
        // as a constant and copies it into the row, which writes out every zero byte.
        c.prepare_cached("INSERT INTO attachments(sha256, size, data) VALUES (?1, ?2, ?3)")?
            .execute(params![
                f.sha256,
                f.size as i64,
                rusqlite::blob::ZeroBlob(f.size)
            ])?;
        let mut blob = c.blob_open(
            rusqlite::MAIN_DB,
            "attachments",
            "data",
            c.last_insert_rowid(),
            false,
        )?;
        match &f.bytes {
            FileBytes::Held(data) => {
                for (i, piece) in data.chunks(PIECE).enumerate() {
                    blob.write_at(piece, i * PIECE)?;
                }
            }
            FileBytes::At(path) => {
                use sha2::Digest;
                use std::io::Read;
                let changed = |detail: String| StoreError::FileChanged {
                    path: path.clone(),
                    detail,
                };
                let file = std::fs::File::open(path).map_err(|e| changed(e.to_string()))?;
                // One byte past the recorded size tells a file that grew.
                let mut file = file.take(f.size + 1);
                let (mut hash, mut at) = (sha2::Sha256::new(), 0usize);
                let mut buf = vec![0u8; PIECE.min(f.size as usize + 1)];
                loop {
                    let n = match file.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(changed(e.to_string())),
                    };
                    if (at + n) as u64 > f.size {
                        return Err(changed(format!("> {} B", f.size)));
                    }
                    hash.update(&buf[..n]);
                    blob.write_at(&buf[..n], at)?;
                    at += n;
                }
                if at as u64 != f.size || hex::encode(hash.finalize()) != f.sha256 {
                    return Err(changed(format!("{at} B")));
                }
            }
        }
        Ok(blob.close()?)
    }

    fn write_batch(&self, b: &Batch) -> Result<()> {
        let c = &self.conn;
        for f in &b.attachments {
            self.put_attachment(f)?;
        }
        {
            let mut st = c.prepare_cached(
                "INSERT INTO entries(idx, prev, leaf, bytes) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (idx, prev, leaf, bytes) in &b.entries {
                st.execute(params![
                    *idx as i64,
                    prev.as_ref().map(|p| p.as_slice()),
                    leaf.as_slice(),
                    bytes
                ])?;
            }
        }
        if let Some((size, note, frontier)) = &b.checkpoint {
            c.execute(
                "INSERT INTO checkpoints(size, note, frontier) VALUES (?1, ?2, ?3)",
                params![*size as i64, note, frontier],
            )?;
        }
        {
            let mut st = c.prepare_cached(
                "INSERT INTO matters(id, title, category, stage, view) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) DO UPDATE SET title = excluded.title, category = excluded.category,
                 stage = excluded.stage, view = excluded.view",
            )?;
            for m in &b.matters {
                st.execute(params![m.id, m.title, m.category, m.stage, m.view])?;
            }
        }
        if let Some(people) = &b.people {
            c.execute("DELETE FROM people", [])?;
            let mut st = c.prepare_cached(
                "INSERT INTO people(household, name, relation, sex, birth_date, party, representative, committee, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for p in people {
                let s = |v: &dyn erased::Word| v.word();
                st.execute(params![
                    p.household,
                    p.name,
                    p.relation,
                    s(&p.sex),
                    p.birth_date.format("%Y-%m-%d").to_string(),
                    s(&p.party),
                    p.representative as i64,
                    s(&p.committee),
                    s(&p.status)
                ])?;
            }
        }
        {
            let mut st = c.prepare_cached(
                "INSERT INTO consents(matter, round, household, opinion, signer, date) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(matter, round, household) DO UPDATE SET opinion = excluded.opinion,
                 signer = excluded.signer, date = excluded.date",
            )?;
            for r in &b.consents {
                st.execute(params![
                    r.matter,
                    r.round as i64,
                    r.household,
                    r.opinion,
                    r.signer,
                    r.date
                ])?;
            }
        }
        if let Some((size, state)) = &b.snapshot {
            c.prepare_cached(
                "INSERT INTO snapshot(k, size, state) VALUES (0, ?1, ?2)
                 ON CONFLICT(k) DO UPDATE SET size = excluded.size, state = excluded.state",
            )?
            .execute(params![*size as i64, state])?;
        }
        {
            let mut st = c.prepare_cached(
                "INSERT INTO snapshot_matters(id, stage, state) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET stage = excluded.stage, state = excluded.state",
            )?;
            for (id, stage, state) in &b.snapshot_matters {
                st.execute(params![id, stage, state])?;
            }
        }
        Ok(())
    }

    /// The state snapshot row: (size, JSON).
    pub fn snapshot(&self) -> Result<Option<(u64, String)>> {
        Ok(self
            .conn
            .query_row("SELECT size, state FROM snapshot WHERE k = 0", [], |r| {
                Ok((r.get::<_, i64>(0)? as u64, marked_text(r, 1)?))
            })
            .optional()?)
    }

    /// Matter `id`'s snapshot row: (stage, JSON).
    pub fn snapshot_matter(&self, id: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT stage, state FROM snapshot_matters WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Matter `id`'s snapshot row's state, as the bytes SQLite holds (`None` if there is no
    /// such row or its state is not text).
    pub fn snapshot_matter_bytes(&self, id: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .prepare_cached("SELECT state FROM snapshot_matters WHERE id = ?1")?
            .query_row([id], |r| {
                Ok(match r.get_ref(0)? {
                    rusqlite::types::ValueRef::Text(b) => Some(b.to_vec()),
                    _ => None,
                })
            })
            .optional()?
            .flatten())
    }

    /// Calls `f(id, stage, state)` on every matter snapshot in id order, streaming, the
    /// state as the bytes SQLite holds (`None` if the column is not text: a hostile file).
    /// A row whose id or stage is not text is given with both read as [`lossy`] text and
    /// no state (so `check` reports it).
    pub fn for_each_snapshot_matter(
        &self,
        mut f: impl FnMut(String, String, Option<&[u8]>),
    ) -> Result<()> {
        let mut st = self
            .conn
            .prepare("SELECT id, stage, state FROM snapshot_matters ORDER BY id")?;
        let mut rows = st.query([])?;
        while let Some(row) = rows.next()? {
            let text = |i| row.get_ref(i).ok().and_then(|v| v.as_str().ok());
            let (Some(id), Some(stage)) = (text(0), text(1)) else {
                f(lossy(row, 0), lossy(row, 1), None);
                continue;
            };
            let state = match row.get_ref(2)? {
                rusqlite::types::ValueRef::Text(b) => Some(b),
                _ => None,
            };
            f(id.to_string(), stage.to_string(), state);
        }
        Ok(())
    }

    /// One stored entry by index.
    pub fn entry(&self, idx: u64) -> Result<Option<StoredEntry>> {
        Ok(self
            .conn
            .prepare_cached("SELECT idx, prev, leaf, bytes FROM entries WHERE idx = ?1")?
            .query_row([idx as i64], |row| {
                Ok(StoredEntry {
                    idx: row.get::<_, i64>(0)? as u64,
                    prev: row.get(1)?,
                    leaf: row.get(2)?,
                    bytes: row.get(3)?,
                })
            })
            .optional()?)
    }

    /// The record's origin, as its first entry (the genesis) names it; `None` for an empty
    /// log or a first entry that does not read as a genesis.
    pub fn origin(&self) -> Result<Option<String>> {
        let bytes: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT bytes FROM entries WHERE idx = 0", [], |r| r.get(0))
            .optional()?;
        Ok(bytes
            .and_then(|b| crate::log::Entry::parse(&b).ok())
            .and_then(|e| match e.event {
                crate::rules::Event::Genesis(g) => Some(g.origin),
                _ => None,
            }))
    }

    /// The number of entries and the last entry's leaf hash, from the index (no count).
    pub fn log_end(&self) -> Result<(u64, Option<Vec<u8>>)> {
        let last = self
            .conn
            .query_row(
                "SELECT idx, leaf FROM entries ORDER BY idx DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, Vec<u8>>(1)?)),
            )
            .optional()?;
        Ok(match last {
            Some((idx, leaf)) => (idx + 1, Some(leaf)),
            None => (0, None),
        })
    }

    pub fn entry_count(&self) -> Result<u64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM entries", [], |r| r.get::<_, i64>(0))?
            as u64)
    }

    /// Calls `f` on every entry in index order, streaming (memory stays flat).
    pub fn for_each_entry(
        &self,
        f: impl FnMut(StoredEntry) -> std::result::Result<(), String>,
    ) -> Result<std::result::Result<(), String>> {
        self.for_each_entry_into(StoredEntry::default, f)
    }

    /// Like [`Store::for_each_entry`], filling the entries `slot` gives (their buffers
    /// reused: `check` hands back the entries it is done with, and reading a decade then
    /// allocates nothing per entry).
    pub fn for_each_entry_into(
        &self,
        mut slot: impl FnMut() -> StoredEntry,
        mut f: impl FnMut(StoredEntry) -> std::result::Result<(), String>,
    ) -> Result<std::result::Result<(), String>> {
        /// Column `i`, a blob, copied into `dst`; any other type is the error reading it
        /// as a blob gives.
        fn fill(row: &rusqlite::Row, i: usize, dst: &mut Vec<u8>) -> Result<()> {
            match row.get_ref(i)? {
                rusqlite::types::ValueRef::Blob(b) => {
                    dst.clear();
                    dst.extend_from_slice(b);
                }
                _ => *dst = row.get(i)?,
            }
            Ok(())
        }
        let mut st = self
            .conn
            .prepare("SELECT idx, prev, leaf, bytes FROM entries ORDER BY idx")?;
        let mut rows = st.query([])?;
        while let Some(row) = rows.next()? {
            let mut e = slot();
            e.idx = row.get::<_, i64>(0)? as u64;
            if row.get_ref(1)? == rusqlite::types::ValueRef::Null {
                e.prev = None;
            } else {
                fill(row, 1, e.prev.get_or_insert_with(Vec::new))?;
            }
            fill(row, 2, &mut e.leaf)?;
            fill(row, 3, &mut e.bytes)?;
            if let Err(stop) = f(e) {
                return Ok(Err(stop));
            }
        }
        Ok(Ok(()))
    }

    /// The stored bytes of entries `from..to` in order, each handed to `f` with its index
    /// as SQLite holds it (nothing copied): what hashing a run of the log needs. Stops at
    /// the first `false` from `f`.
    pub fn for_each_entry_bytes(
        &self,
        from: u64,
        to: u64,
        mut f: impl FnMut(u64, &[u8]) -> bool,
    ) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "SELECT idx, bytes FROM entries WHERE idx >= ?1 AND idx < ?2 ORDER BY idx",
        )?;
        let clamp = |n: u64| n.min(i64::MAX as u64) as i64;
        let mut rows = st.query(params![clamp(from), clamp(to)])?;
        while let Some(row) = rows.next()? {
            let idx = row.get::<_, i64>(0)? as u64;
            // The column is a STRICT table's BLOB; anything else (a hostile file) is handed
            // over as the bytes it has, and hashes to a leaf no signed root contains.
            let go = match row.get_ref(1)? {
                rusqlite::types::ValueRef::Blob(b) | rusqlite::types::ValueRef::Text(b) => {
                    f(idx, b)
                }
                _ => f(idx, &[]),
            };
            if !go {
                break;
            }
        }
        Ok(())
    }

    /// The last checkpoint: (size, note, frontier).
    pub fn last_checkpoint(&self) -> Result<Option<(u64, String, Vec<u8>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT size, note, frontier FROM checkpoints ORDER BY size DESC LIMIT 1",
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, marked_text(r, 1)?, r.get(2)?)),
            )
            .optional()?)
    }

    /// The note of the checkpoint at `size`, if there is one.
    pub fn checkpoint_note(&self, size: u64) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT note FROM checkpoints WHERE size = ?1")?
            .query_row([size as i64], |r| marked_text(r, 0))
            .optional()?)
    }

    /// Every checkpoint: (size, note, frontier), in size order.
    pub fn checkpoints(&self) -> Result<Vec<(u64, String, Vec<u8>)>> {
        let mut st = self
            .conn
            .prepare("SELECT size, note, frontier FROM checkpoints ORDER BY size")?;
        let rows = st.query_map([], |r| {
            Ok((r.get::<_, i64>(0)? as u64, marked_text(r, 1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The checkpoints either side of entry `idx`: the last at or before it, (size,
    /// frontier), and the first after it of at least `min_size` entries, (size, note).
    #[allow(clippy::type_complexity)]
    pub fn checkpoints_around(
        &self,
        idx: u64,
        min_size: u64,
    ) -> Result<(Option<(u64, Vec<u8>)>, Option<(u64, String)>)> {
        let before = self
            .conn
            .query_row(
                "SELECT size, frontier FROM checkpoints WHERE size <= ?1
                 ORDER BY size DESC LIMIT 1",
                [idx as i64],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
            )
            .optional()?;
        let after = self
            .conn
            .query_row(
                "SELECT size, note FROM checkpoints WHERE size > ?1 AND size >= ?2
                 ORDER BY size LIMIT 1",
                [idx as i64, min_size.min(i64::MAX as u64) as i64],
                |r| Ok((r.get::<_, i64>(0)? as u64, marked_text(r, 1)?)),
            )
            .optional()?;
        Ok((before, after))
    }

    pub fn cosigned(&self) -> Result<Vec<(u64, String)>> {
        let mut st = self.conn.prepare(
            "SELECT size, note FROM cosigned
                 WHERE id IN (SELECT max(id) FROM cosigned GROUP BY size) ORDER BY size",
        )?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, marked_text(r, 1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// The township key the record pinned (hex) and the cosigned size it was pinned at;
    /// `None` in a file of a version before the table, or before any import pinned one.
    pub fn township_key(&self) -> Result<Option<(String, u64)>> {
        if self.version < 3 {
            return Ok(None);
        }
        Ok(self
            .conn
            .query_row("SELECT key, size FROM township WHERE id = 1", [], |r| {
                Ok((marked_text(r, 0)?, r.get::<_, i64>(1)?.max(0) as u64))
            })
            .optional()?)
    }

    /// Stores a cosigned checkpoint and, with `pin`, pins the township key it was checked
    /// by: both or neither.
    pub fn add_cosigned_pinning(&mut self, size: u64, note: &str, pin: &str) -> Result<bool> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO township(id, key, size) VALUES (1, ?1, ?2)",
            params![pin, size as i64],
        )?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO cosigned(size, note) VALUES (?1, ?2)",
            params![size as i64, note],
        )?;
        tx.commit()?;
        Ok(n == 1)
    }

    pub fn add_cosigned(&mut self, size: u64, note: &str) -> Result<bool> {
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO cosigned(size, note) VALUES (?1, ?2)",
            params![size as i64, note],
        )?;
        Ok(n == 1)
    }

    /// Up to `limit` entries from index `from` on, in index order (export streams the log
    /// in such pages so memory stays flat).
    pub fn entries_page(&self, from: u64, limit: u64) -> Result<Vec<StoredEntry>> {
        let mut st = self.conn.prepare_cached(
            "SELECT idx, prev, leaf, bytes FROM entries WHERE idx >= ?1 ORDER BY idx LIMIT ?2",
        )?;
        let rows = st.query_map(params![from as i64, limit as i64], |row| {
            Ok(StoredEntry {
                idx: row.get::<_, i64>(0)? as u64,
                prev: row.get(1)?,
                leaf: row.get(2)?,
                bytes: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Streams one attachment's bytes to `f` without loading it whole (SQLite incremental
    /// blob I/O). `None` if there is no such attachment.
    pub fn with_attachment<R>(
        &self,
        sha256: &str,
        f: impl FnOnce(&mut dyn std::io::Read, u64) -> R,
    ) -> Result<Option<R>> {
        let row: Option<(i64, i64)> = self
            .conn
            .query_row(
                "SELECT rowid, size FROM attachments WHERE sha256 = ?1",
                [sha256],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((rowid, size)) = row else {
            return Ok(None);
        };
        let mut blob =
            self.conn
                .blob_open(rusqlite::MAIN_DB, "attachments", "data", rowid, true)?;
        Ok(Some(f(&mut blob, size as u64)))
    }

    /// The stored value of an attachment's `data` as bytes, whatever its type (for `check`,
    /// where a hostile file holds something SQLite cannot stream as a blob: text as its
    /// bytes, a number in digits, NULL as nothing).
    pub fn attachment_value(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        use rusqlite::types::ValueRef;
        Ok(self
            .conn
            .query_row(
                "SELECT data FROM attachments WHERE sha256 = ?1",
                [sha256],
                |r| {
                    Ok(match r.get_ref(0)? {
                        ValueRef::Blob(b) | ValueRef::Text(b) => b.to_vec(),
                        ValueRef::Integer(n) => n.to_string().into_bytes(),
                        ValueRef::Real(x) => x.to_string().into_bytes(),
                        ValueRef::Null => Vec::new(),
                    })
                },
            )
            .optional()?)
    }

    pub fn attachment(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row(
                "SELECT data FROM attachments WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// (sha256, size) of every stored attachment.
    pub fn attachment_list(&self) -> Result<Vec<(String, u64)>> {
        let mut st = self
            .conn
            .prepare("SELECT sha256, size FROM attachments ORDER BY sha256")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    pub fn matters(&self) -> Result<Vec<MatterRow>> {
        Ok(self.matter_rows(false)?.rows)
    }

    /// [`Store::matters`], with the rows a hostile file made unreadable set apart (see
    /// [`Readable`]): what `check` compares with the record.
    pub fn matters_readable(&self) -> Result<Readable<MatterRow>> {
        self.matter_rows(true)
    }

    fn matter_rows(&self, lenient: bool) -> Result<Readable<MatterRow>> {
        let mut st = self
            .conn
            .prepare("SELECT id, title, category, stage, view FROM matters ORDER BY id")?;
        read_rows(&mut st, [], lenient, |r| lossy(r, 0), matter_from_row)
    }

    /// The IDs of the matters whose projection row has `title` (a hint only: the caller
    /// reads each matter from the record).
    pub fn matter_ids_titled(&self, title: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare("SELECT id FROM matters WHERE title = ?1 ORDER BY id")?;
        let ids = st
            .query_map([title], |r| r.get::<_, String>(0))?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(ids)
    }

    pub fn matter(&self, id: &str) -> Result<Option<MatterRow>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, title, category, stage, view FROM matters WHERE id = ?1",
                [id],
                matter_from_row,
            )
            .optional()?)
    }

    /// The roster projection, as JSON-able rows in key order.
    pub fn people(&self) -> Result<Vec<Person>> {
        Ok(self.people_rows(false)?.rows)
    }

    /// [`Store::people`], with the rows a hostile file made unreadable set apart (see
    /// [`Readable`]; also a row whose values are no person's): what `check` compares.
    pub fn people_readable(&self) -> Result<Readable<Person>> {
        self.people_rows(true)
    }

    fn people_rows(&self, lenient: bool) -> Result<Readable<Person>> {
        let mut st = self.conn.prepare(
            "SELECT household, name, relation, sex, birth_date, party, representative, committee, status
             FROM people ORDER BY household, name",
        )?;
        let key = |r: &rusqlite::Row<'_>| format!("{}:{}", lossy(r, 0), lossy(r, 1));
        read_rows(&mut st, [], lenient, key, |r| {
            let j = serde_json::json!({
                "household": r.get::<_, String>(0)?,
                "name": r.get::<_, String>(1)?,
                "relation": r.get::<_, String>(2)?,
                "sex": r.get::<_, String>(3)?,
                "birth_date": r.get::<_, String>(4)?,
                "party": r.get::<_, String>(5)?,
                "representative": r.get::<_, i64>(6)? == 1,
                "committee": r.get::<_, String>(7)?,
                "status": r.get::<_, String>(8)?,
            });
            // Values no person has (a date that is no date) read as a row not readable.
            serde_json::from_value(j).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
            })
        })
    }

    /// The stored consent rows of one matter, in (round, household) order, with the rows a
    /// hostile file made unreadable set apart (see [`Readable`]): what `check` compares.
    pub fn consents_of_readable(&self, matter: &str) -> Result<Readable<ConsentRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT matter, round, household, opinion, signer, date FROM consents \
             WHERE matter = ?1 ORDER BY round, household",
        )?;
        let key =
            |r: &rusqlite::Row<'_>| format!("{}/{}/{}", lossy(r, 0), lossy(r, 1), lossy(r, 2));
        read_rows(&mut st, [matter], true, key, |r| {
            Ok(ConsentRow {
                matter: r.get(0)?,
                round: r.get::<_, i64>(1)? as u32,
                household: r.get(2)?,
                opinion: r.get(3)?,
                signer: r.get(4)?,
                date: r.get(5)?,
            })
        })
    }

    /// Like [`Store::consents_of_readable`], row by row and without copying: `f` sees each
    /// row's text fields as the bytes SQLite holds (a field that is not text reads as `None`).
    pub fn for_each_consent_of(
        &self,
        matter: &str,
        mut f: impl FnMut(ConsentRef<'_>),
    ) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "SELECT round, household, opinion, signer, date FROM consents \
             WHERE matter = ?1 ORDER BY round, household",
        )?;
        let mut rows = st.query([matter])?;
        while let Some(r) = rows.next()? {
            let text = |i: usize| match r.get_ref(i) {
                Ok(rusqlite::types::ValueRef::Text(b)) => Some(b),
                _ => None,
            };
            f(ConsentRef {
                round: r.get::<_, i64>(0)?,
                household: text(1),
                opinion: text(2),
                signer: text(3),
                date: text(4),
            });
        }
        Ok(())
    }

    /// The stored consent row of one household (or person) in one round, if there is one.
    pub fn consent_row(
        &self,
        matter: &str,
        round: u32,
        household: &str,
    ) -> Result<Option<ConsentRow>> {
        let mut st = self.conn.prepare_cached(
            "SELECT opinion, signer, date FROM consents \
             WHERE matter = ?1 AND round = ?2 AND household = ?3",
        )?;
        Ok(st
            .query_row(params![matter, i64::from(round), household], |r| {
                Ok(ConsentRow {
                    matter: matter.to_string(),
                    round,
                    household: household.to_string(),
                    opinion: r.get(0)?,
                    signer: r.get(1)?,
                    date: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// The number of stored consent rows per matter (a matter id that is not text read as
    /// [`lossy`] text: it is then no matter of the record's, and counted as such).
    pub fn consent_counts(&self) -> Result<BTreeMap<String, u64>> {
        let mut st = self
            .conn
            .prepare("SELECT matter, count(*) FROM consents GROUP BY matter")?;
        let rows = st.query_map([], |r| Ok((lossy(r, 0), r.get::<_, i64>(1)? as u64)))?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (matter, n) = row?;
            *out.entry(matter).or_default() += n;
        }
        Ok(out)
    }

    /// SQLite's own `integrity_check` and `foreign_key_check`: the messages, empty if ok.
    pub fn integrity(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut st = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        for r in rows {
            let r = r?;
            if r != "ok" {
                out.push(r);
            }
        }
        let mut st = self.conn.prepare("PRAGMA foreign_key_check")?;
        let n = st.query_map([], |_| Ok(()))?.count();
        if n > 0 {
            out.push(format!("foreign_key_check: {n} rows"));
        }
        Ok(out)
    }

    /// Every table, view, index and trigger in the file, with its SQL, SQLite's own tables
    /// and indexes left out: what `check` compares with schema.sql (someone may have dropped
    /// a table or trigger, rewritten a definition through `PRAGMA writable_schema` — STRICT
    /// taken off, a CHECK removed, a trigger that no longer refuses — or added an object
    /// liuyi never makes). Read once, ordered by type and name.
    pub fn schema_rows(&self) -> Result<Vec<SchemaRow>> {
        let mut st = self.conn.prepare(
            "SELECT CAST(type AS TEXT), CAST(name AS TEXT), CAST(coalesce(sql, '') AS TEXT)
             FROM sqlite_schema
             WHERE type = 'trigger'
                OR (type IN ('table', 'view', 'index')
                    AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\')
             ORDER BY type, name",
        )?;
        // Read as SQLite reads a definition: a blob as its bytes' text (SQLite loads it so).
        let rows = st.query_map([], |r| {
            Ok(SchemaRow {
                kind: marked_text(r, 0)?,
                name: marked_text(r, 1)?,
                sql: marked_text(r, 2)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// For tests of crash and disk-full handling: cap the database size in pages.
    pub fn set_max_pages(&self, pages: u64) -> Result<()> {
        self.conn
            .pragma_update(None, "max_page_count", pages as i64)?;
        Ok(())
    }
}

/// A note or the snapshot's village row, as text. Bytes that are not UTF-8 (a hostile
/// file) are read as [`UNREADABLE`] followed by the text with U+FFFD in their place: no note
/// or row is ever stored with a NUL, so such a text fails to parse where it stands (a note:
/// a control character, reported by `check`; the village row: not this version's, reported
/// by `check` and replaced by the next command), rather than the read failing, and a
/// U+FFFD in a legitimate note (a cosigner's name) is told apart from one put there.
fn marked_text(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<String> {
    match r.get_ref(i)? {
        rusqlite::types::ValueRef::Text(b) => Ok(match std::str::from_utf8(b) {
            Ok(s) => s.to_string(),
            Err(_) => format!("{UNREADABLE}{}", String::from_utf8_lossy(b)),
        }),
        _ => r.get(i),
    }
}

/// A `matters` row selected as `id, title, category, stage, view`.
fn matter_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MatterRow> {
    Ok(MatterRow {
        id: r.get(0)?,
        title: r.get(1)?,
        category: r.get(2)?,
        stage: r.get(3)?,
        view: r.get(4)?,
    })
}

/// What [`marked_text`] puts before a text that was not UTF-8.
pub const UNREADABLE: char = '\u{0}';

/// Rows read for `check` (`lenient`): those a hostile file made unreadable (text that is
/// not UTF-8, a value of another type than the column's or that no row of the record has)
/// are set apart under their keys, read as [`lossy`] text, rather than failing the whole
/// read, so that `check` reports each with every other difference instead of stopping.
pub struct Readable<T> {
    pub rows: Vec<T>,
    pub unreadable: Vec<String>,
}

/// Every row `st` gives, `map`ped; with `lenient`, the unreadable ones set apart under
/// their `key`s (else the first fails the read).
fn read_rows<T>(
    st: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
    lenient: bool,
    key: impl Fn(&rusqlite::Row<'_>) -> String,
    map: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Readable<T>> {
    let mut out = Readable {
        rows: Vec::new(),
        unreadable: Vec::new(),
    };
    let mut rows = st.query(params)?;
    while let Some(r) = rows.next()? {
        match map(r) {
            Ok(v) => out.rows.push(v),
            Err(
                rusqlite::Error::Utf8Error(..)
                | rusqlite::Error::FromSqlConversionFailure(..)
                | rusqlite::Error::InvalidColumnType(..),
            ) if lenient => out.unreadable.push(key(r)),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}

/// Column `i` as text, whatever it holds: bytes that are not UTF-8 with U+FFFD in their
/// place, a number in digits (what a report names a row by).
fn lossy(r: &rusqlite::Row<'_>, i: usize) -> String {
    use rusqlite::types::ValueRef;
    match r.get_ref(i) {
        Ok(ValueRef::Text(b) | ValueRef::Blob(b)) => String::from_utf8_lossy(b).into_owned(),
        Ok(ValueRef::Integer(n)) => n.to_string(),
        Ok(ValueRef::Real(x)) => x.to_string(),
        Ok(ValueRef::Null) | Err(_) => String::new(),
    }
}

/// Stored spellings of the roster enumerations (their serde names).
mod erased {
    pub trait Word {
        fn word(&self) -> String;
    }
    impl<T: serde::Serialize> Word for T {
        fn word(&self) -> String {
            match serde_json::to_value(self) {
                Ok(serde_json::Value::String(s)) => s,
                _ => String::new(),
            }
        }
    }
}

/// The triggers a database of `version` has (check reports any dropped or added):
/// schema.sql's, less those later versions added.
pub fn expected_triggers(version: i32) -> Vec<&'static str> {
    let later: Vec<&str> = MIGRATIONS
        .iter()
        .filter(|(v, _)| *v > version)
        .filter_map(|(_, start)| start.strip_prefix("CREATE TRIGGER "))
        .collect();
    SCHEMA
        .split("CREATE TRIGGER ")
        .skip(1)
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|name| !later.contains(name))
        .collect()
}

/// One object of the file's schema as `sqlite_schema` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaRow {
    /// `table`, `view`, `index` or `trigger`.
    pub kind: String,
    pub name: String,
    /// Its definition, `''` where SQLite keeps none.
    pub sql: String,
}

/// SQL with its white space collapsed and no final `;` (SQLite stores a statement without
/// it): how a statement is spaced does not matter, what it does does.
///
/// Read as SQLite reads a stored definition: only up to its first NUL (so nothing after one
/// is counted as there), and white space only what SQLite's tokenizer takes for it (space,
/// tab, line feed, form feed, carriage return); any other space character (U+00A0, U+3000)
/// is part of a name to SQLite, and kept.
fn normalize_sql(sql: &str) -> String {
    // Comments are kept: a `--` may sit inside a quoted string, and cutting there let a
    // rewritten trigger that never fires read as ours. (liuyi's triggers have none.)
    let sql = sql.split('\0').next().unwrap_or_default();
    sql.split([' ', '\t', '\n', '\x0c', '\r'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(';')
        .to_string()
}

/// `sql` with its comments taken out, read as SQLite reads it: `--` to the end of the line
/// and `/* */` are comments only outside a quoted string or name ('…', "…", `…`, […]),
/// so what is left is what SQLite runs, and a comment cannot hide a difference.
fn without_comments(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                out.push(c);
                // A quote doubled inside is the character itself; `]` is never escaped.
                while let Some(q) = chars.next() {
                    out.push(q);
                    if q == close {
                        if close != ']' && chars.peek() == Some(&close) {
                            out.push(close);
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                for q in chars.by_ref() {
                    if q == '\n' {
                        break;
                    }
                }
                out.push(' ');
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = '\0';
                for q in chars.by_ref() {
                    if last == '*' && q == '/' {
                        break;
                    }
                    last = q;
                }
                out.push(' ');
            }
            _ => out.push(c),
        }
    }
    out
}

/// The tables a database of `version` has: schema.sql's, by name, less those later
/// versions added.
pub fn expected_tables(version: i32) -> Vec<String> {
    let later: Vec<&str> = MIGRATIONS
        .iter()
        .filter(|(v, _)| *v > version)
        .filter_map(|(_, start)| start.strip_prefix("CREATE TABLE "))
        .map(str::trim)
        .collect();
    without_comments(SCHEMA)
        .split("CREATE TABLE ")
        .skip(1)
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|name| !later.contains(name))
        .map(str::to_string)
        .collect()
}

/// A file refused as not liuyi's whose log table is liuyi's all the same: its header (the
/// application id, or a schema version below 1) was changed with another tool. Its
/// application id and schema version as found; `None` for a file that is not a liuyi
/// record at all, or unreadable.
pub fn foreign_header_on_our_log(path: &Path) -> Option<(i64, i64)> {
    let conn = open_conn(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    conn.pragma_update(None, "trusted_schema", "OFF").ok()?;
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'entries'",
            [],
            |r| r.get(0),
        )
        .ok()?;
    if !table_is_ours("entries", &sql) {
        return None;
    }
    let app: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .ok()?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .ok()?;
    let ours = app == i64::from(APPLICATION_ID) && version >= 1;
    (!ours).then_some((app, version))
}

/// Whether `sql` is table `name` as liuyi makes it: schema.sql's statement, comments and
/// spacing aside, or the consents table of databases made before it was keyed WITHOUT
/// ROWID (ab303e6), which are read and written as they are.
pub fn table_is_ours(name: &str, sql: &str) -> bool {
    let schema = without_comments(SCHEMA);
    let start = format!("CREATE TABLE {name} ");
    let Some(from) = schema.find(&start) else {
        return false;
    };
    let Some(len) = schema[from..].find(';') else {
        return false;
    };
    let ours = normalize_sql(&schema[from..from + len]);
    // Cut at the first NUL here, before the comments go, although `normalize_sql` cuts
    // there too: SQLite reads no further, but a NUL inside a comment (`/* NUL */ STRICT`)
    // would go with the comment, and what follows it would then be compared as if SQLite
    // had read it.
    let found = normalize_sql(&without_comments(
        sql.split('\0').next().unwrap_or_default(),
    ));
    let earlier = (name == "consents").then(|| ours.replace(") STRICT, WITHOUT ROWID", ") STRICT"));
    found == ours || Some(found) == earlier
}

/// Whether `sql` is trigger `name` as liuyi makes it: schema.sql's statement, or the one
/// databases made before the snapshot (cde54fe) have (the extend triggers counted rows).
pub fn trigger_is_ours(name: &str, sql: &str) -> bool {
    let start = format!("CREATE TRIGGER {name} ");
    let Some(from) = SCHEMA.find(&start) else {
        return false;
    };
    let Some(len) = SCHEMA[from..].find("END;") else {
        return false;
    };
    let ours = normalize_sql(&SCHEMA[from..from + len + "END;".len()]);
    let found = normalize_sql(sql);
    let legacy = ours.replace(
        "coalesce((SELECT max(idx) FROM entries) + 1, 0)",
        "(SELECT count(*) FROM entries)",
    );
    found == ours || found == legacy
}

impl Drop for Store {
    /// A command that stops half-way (an error, a refusal) leaves nothing behind.
    fn drop(&mut self) {
        self.rollback();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small generated village's database, in `dir`.
    fn village(dir: &Path) -> PathBuf {
        let ctx = crate::cmd::Ctx {
            lang: crate::i18n::Lang::En,
            db: dir.join("unused.db"),
            key: dir.join("unused.key"),
            now: chrono::Utc::now(),
            quiet: true,
        };
        let out = dir.join("village");
        crate::cmd::generate::run(
            &ctx,
            &crate::cli::GenerateArgs {
                households: crate::cmd::generate::MIN_HOUSEHOLDS,
                years: 1,
                matters: 2,
                scans_mb: 0,
                villages: 1,
                start_year: 2016,
                seed: 3,
                open_consultation: false,
                out: out.clone(),
            },
        )
        .unwrap();
        out.join("liuyi.db")
    }

    #[test]
    fn a_table_is_ours_however_spaced_and_commented_and_not_once_redefined() {
        let tables = expected_tables(SCHEMA_VERSION);
        assert_eq!(
            tables,
            [
                "entries",
                "checkpoints",
                "cosigned",
                "township",
                "attachments",
                "matters",
                "people",
                "consents",
                "snapshot",
                "snapshot_matters"
            ]
        );
        // A version 2 file has no township table.
        assert!(!expected_tables(2).contains(&"township".to_string()));
        assert_eq!(expected_tables(2).len(), tables.len() - 1);
        // Every table as a new database stores it.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("t.db")).unwrap();
        let present: Vec<(String, String)> = store
            .schema_rows()
            .unwrap()
            .into_iter()
            .filter(|r| r.kind == "table")
            .map(|r| (r.name, r.sql))
            .collect();
        assert_eq!(present.len(), tables.len());
        for (name, sql) in &present {
            assert!(table_is_ours(name, sql), "{name}: {sql}");
        }
        let entries = &present.iter().find(|(n, _)| n == "entries").unwrap().1;
        assert!(
            entries.contains("-- 0-based"),
            "comments are stored: {entries}"
        );
        let respaced = entries.replace("    ", "\t").replace("(\n", "( ");
        assert!(table_is_ours("entries", &respaced));
        // STRICT taken off, or commented out, or a column's type changed: not ours.
        assert!(!table_is_ours("entries", &entries.replace(") STRICT", ")")));
        assert!(!table_is_ours(
            "entries",
            &entries.replace(") STRICT", ") -- STRICT")
        ));
        assert!(!table_is_ours(
            "entries",
            &entries.replace(") STRICT", ") /* STRICT */")
        ));
        assert!(!table_is_ours(
            "entries",
            &entries.replace("leaf  BLOB", "leaf  ANY")
        ));
        // Another table's definition under this name.
        assert!(!table_is_ours("matters", entries));
        assert!(!table_is_ours("no_such_table", entries));
        // A `--` inside a quoted string is not a comment: cutting there would hide the
        // rest of the line (here, a CHECK made always true).
        let people = &present.iter().find(|(n, _)| n == "people").unwrap().1;
        let hidden = people.replace(
            "CHECK (sex IN ('男','女'))",
            "CHECK (sex IN ('男','女') OR '--' IS NOT NULL)",
        );
        assert!(!table_is_ours("people", &hidden));
        assert_eq!(
            without_comments("a '--' \"--\" `--` [--] b -- c\nd /* e */ f 'x''--' g"),
            "a '--' \"--\" `--` [--] b  d   f 'x''--' g"
        );
        // SQLite reads a definition only up to a NUL: what follows one is not there, in a
        // comment or not (a review found STRICT kept after one).
        for hidden in [") --\0\nSTRICT", ") /* \0 */ STRICT", ")\0 STRICT"] {
            let cut = entries.replace(") STRICT", hidden);
            assert!(!table_is_ours("entries", &cut), "{cut:?}");
        }
        // A space SQLite takes for a letter (U+00A0, U+3000) is not spacing.
        for odd in ['\u{a0}', '\u{3000}'] {
            let joined = people.replace("sex IN", &format!("sex{odd}IN"));
            assert!(!table_is_ours("people", &joined));
        }
        // The consents table of databases made before it was keyed WITHOUT ROWID, and no
        // other table without its WITHOUT ROWID or STRICT.
        let consents = &present.iter().find(|(n, _)| n == "consents").unwrap().1;
        let earlier = consents.replace(") STRICT, WITHOUT ROWID", ") STRICT");
        assert_ne!(&earlier, consents);
        assert!(table_is_ours("consents", &earlier));
        assert!(!table_is_ours(
            "consents",
            &consents.replace(") STRICT, WITHOUT ROWID", ") WITHOUT ROWID")
        ));
        assert!(!table_is_ours(
            "consents",
            &consents.replace(") STRICT, WITHOUT ROWID", ")")
        ));
    }

    #[test]
    fn a_trigger_is_ours_however_spaced_and_not_once_rewritten() {
        let stored = "CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries\n\
                      BEGIN   SELECT RAISE(ABORT, 'liuyi: entries are append-only'); END";
        assert!(trigger_is_ours("entries_no_update", stored));
        let neutered = stored.replace("SELECT RAISE(ABORT", "SELECT coalesce(1");
        assert!(!trigger_is_ours("entries_no_update", &neutered));
        // A `--` inside a string is not a comment: cut there, this one read as ours.
        let hidden = "CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries\n\
                      BEGIN SELECT RAISE(ABORT, 'liuyi:--') WHERE 0 AND ('\n\
                      entries are append-only'); END";
        assert!(!trigger_is_ours("entries_no_update", hidden));
        // Another trigger's body under this name.
        assert!(!trigger_is_ours(
            "entries_no_delete",
            &stored.replace("entries_no_update", "entries_no_delete")
        ));
        // As databases made before the snapshot have it (it counted the rows).
        let legacy = "CREATE TRIGGER entries_extend BEFORE INSERT ON entries
WHEN NEW.idx IS NOT (SELECT count(*) FROM entries)
  OR NEW.prev IS NOT (SELECT leaf FROM entries ORDER BY idx DESC LIMIT 1)
BEGIN SELECT RAISE(ABORT, 'liuyi: entry does not extend the chain'); END";
        assert!(trigger_is_ours("entries_extend", legacy));
        assert!(!trigger_is_ours("no_such_trigger", legacy));
    }

    #[test]
    fn a_file_is_stored_once_with_its_bytes_written_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("a.db")).unwrap();
        // Larger than one 4 MB write, not a multiple of it; and an empty file.
        let big: Vec<u8> = (0..9_000_001u32).map(|i| (i * 7 % 251) as u8).collect();
        // Under their true hashes: a row already under a file's hash must hold that file.
        let sha = |d: &[u8]| {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(d))
        };
        let (big_sha, empty_sha) = (sha(&big), sha(b""));
        let batch = || Batch {
            attachments: [
                (&big_sha, &big),
                (&empty_sha, &Vec::new()),
                (&big_sha, &big),
            ]
            .map(|(sha, data)| NewFile {
                sha256: sha.clone(),
                size: data.len() as u64,
                bytes: FileBytes::Held(data.clone()),
            })
            .into(),
            ..Batch::default()
        };
        store.commit(batch()).unwrap();
        // Again in a later command: already stored, not an error, not stored twice.
        store.commit(batch()).unwrap();
        let mut want = vec![(big_sha.clone(), big.len() as u64), (empty_sha.clone(), 0)];
        want.sort();
        assert_eq!(store.attachment_list().unwrap(), want);
        assert_eq!(store.attachment(&big_sha).unwrap().unwrap(), big);
        assert_eq!(
            store.attachment(&empty_sha).unwrap().unwrap(),
            Vec::<u8>::new()
        );
    }

    #[test]
    fn a_named_file_is_stored_only_if_it_still_has_its_hash_and_size() {
        use sha2::Digest;
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("a.db")).unwrap();
        let path = dir.path().join("scan.pdf");
        let bytes: Vec<u8> = (0..5_000_000u32).map(|i| (i % 253) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let sha = hex::encode(sha2::Sha256::digest(&bytes));
        let file = |sha: &str, size: usize| Batch {
            attachments: vec![NewFile {
                sha256: sha.to_string(),
                size: size as u64,
                bytes: FileBytes::At(path.clone()),
            }],
            ..Batch::default()
        };
        let refused = |r: Result<()>| match r {
            Err(StoreError::FileChanged { path: p, .. }) => assert_eq!(p, path),
            other => panic!("{:?}", other.err()),
        };
        // Changed since it was hashed: other bytes, fewer bytes, more bytes.
        refused(store.commit(file(&"0".repeat(64), bytes.len())));
        refused(store.commit(file(&sha, bytes.len() + 1)));
        refused(store.commit(file(&sha, bytes.len() - 1)));
        assert!(store.attachment_list().unwrap().is_empty(), "rolled back");
        store.commit(file(&sha, bytes.len())).unwrap();
        assert_eq!(store.attachment(&sha).unwrap().unwrap(), bytes);
    }

    #[test]
    fn entries_read_into_reused_buffers_are_the_entries_stored() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&village(dir.path())).unwrap();
        let mut fresh = Vec::new();
        store
            .for_each_entry(|e| {
                fresh.push((e.idx, e.prev, e.leaf, e.bytes));
                Ok(())
            })
            .unwrap()
            .unwrap();
        assert!(fresh.len() > 100);
        assert_eq!(fresh[0].1, None);
        // Every slot handed in holds left-over bytes longer than any entry, and a link.
        let junk = || StoredEntry {
            idx: 99,
            prev: Some(vec![7; 40]),
            leaf: vec![8; 70],
            bytes: vec![9; 1 << 16],
        };
        let mut reused = Vec::new();
        store
            .for_each_entry_into(junk, |e| {
                reused.push((e.idx, e.prev, e.leaf, e.bytes));
                Ok(())
            })
            .unwrap()
            .unwrap();
        assert!(fresh == reused);
    }

    /// A write refused because the file (or its folder) is read-only is its own error,
    /// worded with what to check: it used to be SQLite's raw "attempt to write a readonly
    /// database" with nothing else.
    #[test]
    fn a_read_only_file_is_said_to_be_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        drop(Store::create(&path).unwrap());
        let c = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let e = StoreError::from(c.execute_batch("CREATE TABLE x (a)").unwrap_err());
        assert!(matches!(e, StoreError::ReadOnly(_)), "{e:?}");
        let m = crate::i18n::cli::error_message(
            &crate::error::Error::Store(e),
            crate::i18n::Lang::Zh,
            true,
        );
        assert!(
            m.contains("只读") && m.contains("本次未记录任何内容"),
            "{m}"
        );
    }

    /// A record SQLite cannot open (another user's file: permissions) is said so, with what
    /// to check: it was SQLite's bare "unable to open database file", in English.
    #[test]
    fn a_record_that_cannot_be_opened_is_said_so() {
        // Made as SQLite makes it when the file may not be read (the tests run as a user
        // who may read every file).
        let raw = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
            Some("unable to open database file".into()),
        );
        let e = StoreError::from(raw);
        assert!(matches!(e, StoreError::CannotOpen(_)), "{e:?}");
        let m = crate::i18n::cli::error_message(
            &crate::error::Error::Store(e),
            crate::i18n::Lang::Zh,
            true,
        );
        assert!(m.contains("打不开") && m.contains("权限"), "{m}");
    }
}
