//! The township register: a small SQLite file of its own (not the village database), with
//! its own application_id and schema. The only place township SQL lives. Rows are
//! append-only (triggers refuse UPDATE and DELETE): a pinned village key or a cosigned
//! checkpoint is never rewritten; the latest cosigned checkpoint is the largest size, and
//! the village key in force is the one a verified bundle of the largest size ended with
//! (`village_keys`: a rotation is a new row, the pinned genesis key stays). The checkpoint
//! of each bundle `register` verified is kept too (`verified`): with the last cosigned
//! one, the baseline a later bundle must extend. So is each village's genesis entry
//! (`village_genesis`), for the name `status` shows.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::store::StoreError;

/// What went wrong with the township register: the store's kinds of failure, kept apart
/// from the village record's so that they are worded for the register (its own flag, its
/// own remedy), not as the village's record.
#[derive(Debug)]
pub struct RegisterError(pub StoreError);

impl From<StoreError> for RegisterError {
    fn from(e: StoreError) -> Self {
        RegisterError(e)
    }
}

impl From<rusqlite::Error> for RegisterError {
    fn from(e: rusqlite::Error) -> Self {
        RegisterError(StoreError::from(e))
    }
}

/// "liut" in ASCII.
pub const APPLICATION_ID: i32 = 0x6c69_7574;
/// 2: `village_keys` (a version 1 register gains it when opened).
/// 3: `verified` (a version 1 or 2 register gains it when opened).
/// 4: `village_genesis` (an earlier register gains it when opened).
pub const SCHEMA_VERSION: i32 = 4;

const SCHEMA: &str = "
CREATE TABLE township (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    name    TEXT NOT NULL,
    key     TEXT NOT NULL CHECK (length(key) = 64),   -- public key hex
    created TEXT NOT NULL
) STRICT;
CREATE TABLE villages (
    origin       TEXT PRIMARY KEY,
    genesis_leaf TEXT NOT NULL CHECK (length(genesis_leaf) = 64),
    key          TEXT NOT NULL CHECK (length(key) = 64), -- the genesis key
    registered   TEXT NOT NULL
) STRICT;
CREATE TABLE cosigned (
    origin TEXT NOT NULL REFERENCES villages(origin),
    size   INTEGER NOT NULL CHECK (size > 0),
    root   TEXT NOT NULL CHECK (length(root) = 64),
    note   TEXT NOT NULL,                               -- the cosigned checkpoint, as written
    time   INTEGER NOT NULL,
    PRIMARY KEY (origin, size)
) STRICT;
CREATE TRIGGER township_no_update BEFORE UPDATE ON township BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER township_no_delete BEFORE DELETE ON township BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER villages_no_update BEFORE UPDATE ON villages BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER villages_no_delete BEFORE DELETE ON villages BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER cosigned_no_update BEFORE UPDATE ON cosigned BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER cosigned_no_delete BEFORE DELETE ON cosigned BEGIN SELECT RAISE(ABORT, 'append-only'); END;
";

/// What version 2 added (`village_keys`), also made in a version 1 register when opened.
const SCHEMA_V2: &str = "
CREATE TABLE IF NOT EXISTS village_keys (
    origin TEXT NOT NULL REFERENCES villages(origin),
    size   INTEGER NOT NULL CHECK (size > 0),           -- a verified bundle's entries
    key    TEXT NOT NULL CHECK (length(key) = 64),      -- the village key in force there
    PRIMARY KEY (origin, size)
) STRICT;
CREATE TRIGGER IF NOT EXISTS village_keys_no_update BEFORE UPDATE ON village_keys BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER IF NOT EXISTS village_keys_no_delete BEFORE DELETE ON village_keys BEGIN SELECT RAISE(ABORT, 'append-only'); END;
";

/// What version 3 added (`verified`: the checkpoint of each bundle `register` verified, the
/// baseline a later bundle must extend as it must extend the last cosigned one), also made
/// in a version 1 or 2 register when opened.
const SCHEMA_V3: &str = "
CREATE TABLE IF NOT EXISTS verified (
    origin TEXT NOT NULL REFERENCES villages(origin),
    size   INTEGER NOT NULL CHECK (size > 0),
    root   TEXT NOT NULL CHECK (length(root) = 64),
    note   TEXT NOT NULL,                               -- the village's checkpoint, as in the bundle
    time   INTEGER NOT NULL,
    PRIMARY KEY (origin, size)
) STRICT;
CREATE TRIGGER IF NOT EXISTS verified_no_update BEFORE UPDATE ON verified BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER IF NOT EXISTS verified_no_delete BEFORE DELETE ON verified BEGIN SELECT RAISE(ABORT, 'append-only'); END;
";

/// What version 4 added (`village_genesis`: each village's genesis entry, exactly as its
/// bundle holds it, whose leaf hash is the one pinned: the village's name, township and
/// county that `status` prints beside its origin), also made in an earlier register when
/// opened. A village registered before it gains its row at its next `register` or `cosign`.
const SCHEMA_V4: &str = "
CREATE TABLE IF NOT EXISTS village_genesis (
    origin TEXT PRIMARY KEY REFERENCES villages(origin),
    entry  BLOB NOT NULL                                -- the genesis entry's exact bytes
) STRICT;
CREATE TRIGGER IF NOT EXISTS village_genesis_no_update BEFORE UPDATE ON village_genesis BEGIN SELECT RAISE(ABORT, 'append-only'); END;
CREATE TRIGGER IF NOT EXISTS village_genesis_no_delete BEFORE DELETE ON village_genesis BEGIN SELECT RAISE(ABORT, 'append-only'); END;
";

pub struct Village {
    pub origin: String,
    pub genesis_leaf: String,
    pub key: String,
    pub registered: String,
}

pub struct Cosigned {
    pub size: u64,
    pub root: String,
    pub note: String,
    pub time: u64,
}

pub struct Register {
    conn: Connection,
}

fn configure(c: &Connection) -> Result<(), RegisterError> {
    c.busy_timeout(crate::store::busy_timeout())?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    c.pragma_update(None, "trusted_schema", "OFF")?;
    c.pragma_update(None, "journal_mode", "DELETE")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

impl Register {
    pub fn create(
        path: &Path,
        name: &str,
        key_hex: &str,
        now: &str,
    ) -> Result<Register, RegisterError> {
        if path.exists() {
            return Err(StoreError::Exists(path.to_path_buf()).into());
        }
        let conn = crate::store::open_conn(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        configure(&conn)?;
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION}; {SCHEMA} {SCHEMA_V2} {SCHEMA_V3} {SCHEMA_V4}"
        ))?;
        conn.execute(
            "INSERT INTO township(id, name, key, created) VALUES (1, ?1, ?2, ?3)",
            params![name, key_hex, now],
        )?;
        conn.execute_batch("COMMIT")?;
        Ok(Register { conn })
    }

    pub fn open(path: &Path) -> Result<Register, RegisterError> {
        if !path.is_file() {
            return Err(StoreError::Missing(path.to_path_buf()).into());
        }
        // The busy timeout is set before the first read (see `store::open_conn`); a
        // register held by another command is busy, not "not a register".
        let conn = crate::store::open_conn(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        let app: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| match StoreError::from(e) {
                StoreError::Busy => StoreError::Busy,
                _ => StoreError::NotLiuyi(path.to_path_buf()),
            })?;
        if app != APPLICATION_ID {
            return Err(StoreError::NotLiuyi(path.to_path_buf()).into());
        }
        let v: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if v > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                version: v,
            }
            .into());
        }
        configure(&conn)?;
        if v < SCHEMA_VERSION {
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; {SCHEMA_V2} {SCHEMA_V3} {SCHEMA_V4} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))?;
        }
        Ok(Register { conn })
    }

    /// (name, public key hex).
    pub fn township(&self) -> Result<(String, String), RegisterError> {
        Ok(self
            .conn
            .query_row("SELECT name, key FROM township WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?)
    }

    pub fn village(&self, origin: &str) -> Result<Option<Village>, RegisterError> {
        Ok(self
            .conn
            .query_row(
                "SELECT origin, genesis_leaf, key, registered FROM villages WHERE origin = ?1",
                [origin],
                |r| {
                    Ok(Village {
                        origin: r.get(0)?,
                        genesis_leaf: r.get(1)?,
                        key: r.get(2)?,
                        registered: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn villages(&self) -> Result<Vec<Village>, RegisterError> {
        let mut st = self.conn.prepare(
            "SELECT origin, genesis_leaf, key, registered FROM villages ORDER BY origin",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Village {
                origin: r.get(0)?,
                genesis_leaf: r.get(1)?,
                key: r.get(2)?,
                registered: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn add_village(&self, v: &Village) -> Result<(), RegisterError> {
        self.conn.execute(
            "INSERT INTO villages(origin, genesis_leaf, key, registered) VALUES (?1, ?2, ?3, ?4)",
            params![v.origin, v.genesis_leaf, v.key, v.registered],
        )?;
        Ok(())
    }

    pub fn last_cosigned(&self, origin: &str) -> Result<Option<Cosigned>, RegisterError> {
        self.largest_checkpoint("cosigned", origin)
    }

    /// The largest checkpoint `register` verified for the village (not cosigned).
    pub fn last_verified(&self, origin: &str) -> Result<Option<Cosigned>, RegisterError> {
        self.largest_checkpoint("verified", origin)
    }

    /// The row of the largest size in `table` (`cosigned` or `verified`, which have the
    /// same columns) for `origin`.
    fn largest_checkpoint(
        &self,
        table: &'static str,
        origin: &str,
    ) -> Result<Option<Cosigned>, RegisterError> {
        let sql = format!(
            "SELECT size, root, note, time FROM {table} WHERE origin = ?1 ORDER BY size DESC LIMIT 1"
        );
        Ok(self
            .conn
            .query_row(&sql, [origin], |r| {
                Ok(Cosigned {
                    size: r.get::<_, i64>(0)? as u64,
                    root: r.get(1)?,
                    note: r.get(2)?,
                    time: r.get::<_, i64>(3)? as u64,
                })
            })
            .optional()?)
    }

    /// Records the checkpoint of a bundle `register` verified (the first at a size is kept).
    pub fn add_verified(&self, origin: &str, c: &Cosigned) -> Result<(), RegisterError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO verified(origin, size, root, note, time) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![origin, c.size as i64, c.root, c.note, c.time as i64],
        )?;
        Ok(())
    }

    /// Runs `f` in one transaction: every row it adds, or none.
    pub fn atomically<T, E: From<RegisterError>>(
        &self,
        f: impl FnOnce(&Self) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| E::from(e.into()))?;
        match f(self) {
            Ok(t) => {
                self.conn
                    .execute_batch("COMMIT")
                    .map_err(|e| E::from(e.into()))?;
                Ok(t)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// The village key in force at the end of the largest verified bundle (register or
    /// cosign), if one was recorded: after a rotation, not the genesis key.
    pub fn key_in_force(&self, origin: &str) -> Result<Option<String>, RegisterError> {
        Ok(self
            .conn
            .query_row(
                "SELECT key FROM village_keys WHERE origin = ?1 ORDER BY size DESC LIMIT 1",
                [origin],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The key in force (as `key_in_force`) and the size of the first verified bundle that
    /// ended with it since the register last saw another key: where the township learned
    /// of the change (a rotation happens before that size; the register keeps no entry
    /// index of it). `None` before any bundle was recorded here.
    pub fn key_in_force_since(&self, origin: &str) -> Result<Option<(String, u64)>, RegisterError> {
        Ok(self
            .conn
            .query_row(
                "WITH now AS (SELECT key FROM village_keys WHERE origin = ?1 ORDER BY size DESC LIMIT 1)
                 SELECT k.key, min(k.size) FROM village_keys k, now
                 WHERE k.origin = ?1 AND k.key = now.key
                   AND k.size > coalesce((SELECT max(size) FROM village_keys
                                          WHERE origin = ?1 AND key <> now.key), 0)
                 GROUP BY k.key",
                [origin],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64)),
            )
            .optional()?)
    }

    /// Records the key in force at the end of a verified bundle of `size` entries (the
    /// first one recorded at a size is kept).
    pub fn add_key(&self, origin: &str, size: u64, key: &str) -> Result<(), RegisterError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO village_keys(origin, size, key) VALUES (?1, ?2, ?3)",
            params![origin, size as i64, key],
        )?;
        Ok(())
    }

    /// Keeps the village's genesis entry (its exact bytes; the first one kept stays). The
    /// caller has checked that they hash to the genesis leaf pinned for `origin`.
    pub fn add_genesis(&self, origin: &str, entry: &[u8]) -> Result<(), RegisterError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO village_genesis(origin, entry) VALUES (?1, ?2)",
            params![origin, entry],
        )?;
        Ok(())
    }

    /// The village's genesis entry as kept (`None`: registered before version 4, and no
    /// bundle of it seen since).
    pub fn genesis(&self, origin: &str) -> Result<Option<Vec<u8>>, RegisterError> {
        Ok(self
            .conn
            .query_row(
                "SELECT entry FROM village_genesis WHERE origin = ?1",
                [origin],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records a cosigned checkpoint (a re-cosign of the same size is kept as the first).
    pub fn add_cosigned(&self, origin: &str, c: &Cosigned) -> Result<(), RegisterError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO cosigned(origin, size, root, note, time) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![origin, c.size as i64, c.root, c.note, c.time as i64],
        )?;
        Ok(())
    }
}
