-- liuyi database schema, version 3 (PRAGMA user_version = 3; version 1 had no
-- attachments_no_replace, version 2 no township table; `Store::open` adds them).
-- The log (entries, checkpoints, attachments) is the truth and is append-only; every other
-- table is a projection rebuilt from the log and compared by `liuyi check`.

CREATE TABLE entries (
    idx   INTEGER PRIMARY KEY,           -- 0-based; equals the Merkle leaf index
    prev  BLOB,                          -- leaf hash of entry idx-1; NULL only for idx 0
    leaf  BLOB NOT NULL,                 -- SHA-256(0x00 || bytes)
    bytes BLOB NOT NULL                  -- the exact canonical JSON, as hashed and signed
) STRICT;

CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'liuyi: entries are append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'liuyi: entries are append-only'); END;
-- Any insert must extend the chain: next index, and prev = the last entry's leaf hash.
-- (max(idx) + 1, not count(*): the same number on an append-only log, found in the index
-- instead of by counting millions of rows on every insert.)
-- (INSERT OR REPLACE would delete first: recursive_triggers makes that delete fire
-- entries_no_delete on our own connection; the index rule refuses it on any connection.)
CREATE TRIGGER entries_extend BEFORE INSERT ON entries
WHEN NEW.idx IS NOT coalesce((SELECT max(idx) FROM entries) + 1, 0)
  OR NEW.prev IS NOT (SELECT leaf FROM entries ORDER BY idx DESC LIMIT 1)
BEGIN SELECT RAISE(ABORT, 'liuyi: entry does not extend the chain'); END;

-- One signed checkpoint after every command (C2SP signed note), with the Merkle frontier
-- at that size so the next command need not rehash the whole log.
CREATE TABLE checkpoints (
    size     INTEGER PRIMARY KEY,
    note     TEXT NOT NULL,
    frontier BLOB NOT NULL
) STRICT;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'liuyi: checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'liuyi: checkpoints are append-only'); END;
CREATE TRIGGER checkpoints_extend BEFORE INSERT ON checkpoints
WHEN NEW.size IS NOT coalesce((SELECT max(idx) FROM entries) + 1, 0)
  OR NEW.size <= coalesce((SELECT max(size) FROM checkpoints), 0)
BEGIN SELECT RAISE(ABORT, 'liuyi: checkpoint must cover the whole log'); END;

-- Township-cosigned checkpoints imported with `liuyi checkpoint import`. A later import
-- for the same size (another cosigner) appends the note with every signature so far; the
-- newest row per size is the one in force.
CREATE TABLE cosigned (
    id   INTEGER PRIMARY KEY,
    size INTEGER NOT NULL,
    note TEXT NOT NULL,
    UNIQUE (size, note)
) STRICT;
CREATE TRIGGER cosigned_no_update BEFORE UPDATE ON cosigned
BEGIN SELECT RAISE(ABORT, 'liuyi: cosigned checkpoints are append-only'); END;
CREATE TRIGGER cosigned_no_delete BEFORE DELETE ON cosigned
BEGIN SELECT RAISE(ABORT, 'liuyi: cosigned checkpoints are append-only'); END;

-- The township's public key (hex), pinned by the first `checkpoint import` (given with
-- --township-key), with the size of the cosigned checkpoint then imported: every stored
-- cosignature must verify by it, a cosignature by another key is not imported, and a
-- lost-key rotation countersigned by another key is refused. (Added in version 3.)
CREATE TABLE township (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    key  TEXT NOT NULL CHECK (length(key) = 64),
    size INTEGER NOT NULL
) STRICT;
CREATE TRIGGER township_no_update BEFORE UPDATE ON township
BEGIN SELECT RAISE(ABORT, 'liuyi: the township key is pinned'); END;
CREATE TRIGGER township_no_delete BEFORE DELETE ON township
BEGIN SELECT RAISE(ABORT, 'liuyi: the township key is pinned'); END;

-- Scans, minutes, notices: content-addressed by the SHA-256 of their bytes.
CREATE TABLE attachments (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size   INTEGER NOT NULL CHECK (size >= 0),
    data   BLOB NOT NULL
) STRICT;
CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments
BEGIN SELECT RAISE(ABORT, 'liuyi: attachments are immutable'); END;
CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments
BEGIN SELECT RAISE(ABORT, 'liuyi: attachments are immutable'); END;
-- INSERT OR REPLACE would delete the stored file first (from a connection without
-- recursive_triggers, without firing attachments_no_delete): a file is stored once, never
-- again under the same hash. (Added in version 2.)
CREATE TRIGGER attachments_no_replace BEFORE INSERT ON attachments
WHEN EXISTS (SELECT 1 FROM attachments WHERE sha256 = NEW.sha256)
BEGIN SELECT RAISE(ABORT, 'liuyi: attachments are immutable'); END;

-- Projections (rebuilt from the log; `check` compares them).
CREATE TABLE matters (
    id       TEXT PRIMARY KEY,
    title    TEXT NOT NULL,
    category TEXT NOT NULL,
    stage    TEXT NOT NULL CHECK (stage IN ('motion','proposal','discussion','review',
             'consultation','resolution','resolution_published','implementation',
             'completed','result_published','declined','withdrawn')),
    view     TEXT NOT NULL                -- the `show --json` document
) STRICT;

CREATE TABLE people (
    household      TEXT NOT NULL,
    name           TEXT NOT NULL,
    relation       TEXT NOT NULL,
    sex            TEXT NOT NULL CHECK (sex IN ('男','女')),
    birth_date     TEXT NOT NULL,
    party          TEXT NOT NULL CHECK (party IN ('是','预备','否')),
    representative INTEGER NOT NULL CHECK (representative IN (0,1)),
    committee      TEXT NOT NULL CHECK (committee IN ('支委','村委','两委','')),
    status         TEXT NOT NULL CHECK (status IN ('在村','外出','迁出','死亡')),
    PRIMARY KEY (household, name)
) STRICT;

-- One row per household per round. WITHOUT ROWID: the key is the table, so there is no
-- second copy of 2 million keys to write on import and for integrity_check to cross-check
-- (databases made before this layout keep a rowid table and an index; both read the same).
CREATE TABLE consents (
    matter    TEXT NOT NULL,
    round     INTEGER NOT NULL,
    household TEXT NOT NULL,
    opinion   TEXT NOT NULL CHECK (opinion IN ('consent','object')),
    signer    TEXT NOT NULL,
    date      TEXT NOT NULL,
    PRIMARY KEY (matter, round, household)
) STRICT, WITHOUT ROWID;

-- The rules engine's state, so a command need not replay the whole log (`src/snapshot.rs`).
-- A cache like the projections: written in the same transaction as the entries, used only
-- when its size equals the last signed checkpoint's, compared with a full replay by
-- `liuyi check`, and never exported or trusted by `verify`.
CREATE TABLE snapshot (
    k     INTEGER PRIMARY KEY CHECK (k = 0),  -- one row
    size  INTEGER NOT NULL,                   -- log size the state is as of
    state TEXT NOT NULL                       -- JSON: everything but matters and rosters
) STRICT;

-- One row per matter: the engine's `Matter` as JSON, and its stage (to load open ones).
CREATE TABLE snapshot_matters (
    id    TEXT PRIMARY KEY,
    stage TEXT NOT NULL,
    state TEXT NOT NULL
) STRICT;
