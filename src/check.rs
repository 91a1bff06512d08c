//! Replaying the stored log: the one loop that re-derives the state from the exact stored
//! bytes, used to load the state before every command (stopping at the first problem)
//! and by `liuyi check`, which also verifies every checkpoint signature, the attachments,
//! SQLite's own integrity and the projections.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

pub use crate::location::Location;
use crate::log::{Entry, EntryProblem};
use crate::record::merkle::{self, CompactRange, Hash};
use crate::rules::State;
use crate::rules::engine::Matter;
use crate::rules::refusal::Refusal;
use crate::store::{SchemaRow, Store, StoredEntry};

/// One integrity problem: a stable code, where it is, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: &'static str,
    pub location: Location,
    #[serde(skip)]
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    Sqlite(String),
    /// An entry stamped more than a day after this computer's clock (`now`): recorded
    /// with a clock set ahead, or the clock here is behind. Times never go back, so the
    /// first such entry is named.
    EntryInFuture {
        time: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
        /// Every entry is (the first one is): this computer's clock is the likelier fault.
        all: bool,
    },
    /// The key file given to `check` (beside the database, or `--key`) is none of the keys
    /// the record was ever signed with: the record was re-signed with another key, or the
    /// file is another village's. Fingerprints of the file's key and the key in force.
    KeyFileForeign {
        file: String,
        current: String,
    },
    /// The key file (fingerprint `file`) is this village's (its origin is the record's)
    /// but none of the record's keys: most likely a key from a rotation this copy of the
    /// record does not have (an older copy, or one cut back).
    KeyFileLater {
        file: String,
        current: String,
    },
    /// The key file (fingerprint `file`) names another record (`named`, its origin): the
    /// key of another village, given by mistake.
    KeyFileOtherRecord {
        file: String,
        current: String,
        named: String,
    },
    /// The key file is a key the record says was lost (replaced by a lost-key rotation the
    /// township countersigned): the record went on without its holder, who has it here.
    KeyFileLost {
        file: String,
        current: String,
    },
    /// `found` of the `expected` triggers present, and triggers liuyi never makes.
    TriggersMissing {
        found: usize,
        expected: usize,
        extra: Vec<String>,
    },
    /// Triggers present under liuyi's names that do something else.
    TriggersAltered {
        names: Vec<String>,
    },
    /// liuyi's tables dropped, or defined otherwise than liuyi defines them (STRICT or a
    /// CHECK taken off through `PRAGMA writable_schema`): what they hold is no longer held
    /// to its types and values.
    /// Tables, views or indexes liuyi never makes: (type, name).
    SchemaExtra {
        objects: Vec<(String, String)>,
    },
    /// The file's header (application id, schema version) is not liuyi's while its log
    /// table is: changed with another tool, so no command opens it.
    HeaderAltered {
        application_id: i64,
        user_version: i64,
    },
    TablesAltered {
        names: Vec<String>,
        /// What SQLite said when `check` stopped, on such a file (a value that does not
        /// fit a table, most likely); what the passes had found by then is not reported.
        stopped: Option<String>,
    },
    IndexGap {
        expected: u64,
        found: u64,
    },
    LeafMismatch,
    ChainBroken,
    /// The entry before this one (`prev`, its place) does not hash to what this entry
    /// links to: `prev` was altered after it was signed, or this entry's link was. With
    /// `this_altered`, the next entry does not link to this one either: this entry is the
    /// one altered (its link among what changed).
    LinkMismatch {
        prev: Location,
        this_altered: bool,
    },
    /// What was found on an entry the chain or a checkpoint shows altered (`by`: the place
    /// of the problem that shows it, with its `code`): a consequence of the alteration, not
    /// a step the village took.
    Altered {
        by: Location,
        code: &'static str,
        inner: Box<ProblemKind>,
    },
    Entry(EntryProblem),
    WrongOrigin {
        expected: String,
        found: String,
    },
    EntryIndex {
        expected: u64,
        found: u64,
    },
    /// A stored step that the rules would not have allowed.
    Rule(Refusal),
    NoCheckpoint,
    /// A stored checkpoint at a size no log has (zero or below).
    CheckpointImpossible {
        size: i64,
    },
    Unsigned {
        signed: u64,
        entries: u64,
    },
    CheckpointMalformed(crate::record::note::NoteError),
    CheckpointRoot,
    /// The checkpoint of `size` entries does not match the log. The one at `after` entries
    /// (0: none) did and is signed, so the change lies in the entries `changed` spans (from,
    /// to: the places of the first and last of them; the same place for one entry).
    /// `signed`: this checkpoint's own signature holds, so it is the log that changed (else
    /// the checkpoint itself was altered, or both). `later` checkpoints after it, to size
    /// `last`, fail the same way (they cover the same change) and are not listed.
    RootMismatch {
        size: u64,
        after: u64,
        changed: (Location, Location),
        signed: bool,
        later: u64,
        last: u64,
    },
    /// A checkpoint of `size` entries after `first` (a [`ProblemKind::RootMismatch`]), in
    /// the same run of checkpoints that no longer match: the same change. Listed for the
    /// tools that read `--json` (each checkpoint as before); the human report counts it in
    /// `first`'s `later` instead of printing it.
    RootMismatchAlso {
        size: u64,
        first: Location,
    },
    /// The township cosigned a log longer than this one: entries were removed.
    CosignedBeyond {
        size: u64,
        entries: u64,
    },
    /// The township cosigned another log at this size than the one here.
    CosignedDiffers {
        size: u64,
    },
    /// A stored cosigned checkpoint the village key did not sign: not made from this record
    /// (added or altered with another tool), so it proves nothing about it.
    CosignedNotOurs {
        size: u64,
    },
    /// A stored cosigned checkpoint with no valid cosignature by the township key the
    /// record pinned (fingerprint): its line altered, or added by another key.
    CosignatureNotByTownship {
        size: u64,
        fingerprint: String,
    },
    /// The township key was pinned when the checkpoint cosigned at `size` was imported,
    /// and no cosigned checkpoint of that size is stored: removed with another tool.
    CosignedMissing {
        size: u64,
    },
    /// The village signs with the township's key (`fingerprint`) as the record knows it.
    TownshipKeyAsVillage {
        fingerprint: String,
    },
    /// A lost-key rotation countersigned by `found` (a key's fingerprint), which is not the
    /// township key the record knows.
    RotationAuthority {
        found: String,
        expected: TownshipExpected,
    },
    /// The state snapshot the village key signed is of a log of `size` entries, which this
    /// one (`entries`) is not: cut back (`size` > `entries`) or rewritten at its end.
    SnapshotAhead {
        size: u64,
        entries: u64,
    },
    CheckpointSignature(crate::record::note::NoteError),
    /// No village key is in force at the checkpoint's size.
    CheckpointNoKey,
    CheckpointFrontier,
    /// A re-rendered notice differs from the one recorded.
    NoticeMismatch {
        expected: String,
        found: String,
    },
    /// A notice made by other templates or another font re-renders differently, and its
    /// stored copy may be printed only from a record proved by the village key.
    NoticeUnproved {
        made_by: String,
    },
    /// The notice re-renders as recorded, but the key file's key (fingerprint) signed no
    /// record that contains it: the record was changed after it was signed, or the key file
    /// is not this village's.
    NoticeNotSigned {
        fingerprint: String,
    },
    AttachmentMissing {
        sha256: String,
    },
    AttachmentHash {
        sha256: String,
        found: String,
    },
    AttachmentSize {
        sha256: String,
        expected: u64,
        found: u64,
    },
    Projection {
        table: &'static str,
        key: String,
    },
    /// A stored file's row gives another size than the length of its bytes.
    AttachmentSizeColumn {
        sha256: String,
        column: u64,
        found: u64,
    },
    /// A file in the record holds a signing key (`record::KEY_MARKER`): whoever has the
    /// record has the key.
    AttachmentHoldsKey {
        sha256: String,
    },
}

/// A file the entries reference: the size they give it, and the first entry that names it
/// (where `check` places a problem with the file, as `verify` places it by its log line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRef {
    pub size: u64,
    pub first: u64,
}

/// The replay state: feed stored entries in order.
pub struct Replay {
    pub state: State,
    pub range: CompactRange,
    pub last_leaf: Option<Hash>,
    /// The village key in force after each entry that changed it: (size from, key hex).
    pub keys: Vec<(u64, String)>,
    /// Every attachment referenced by the entries fed, by its SHA-256 (a state loaded from
    /// the snapshot starts empty, and a lean replay keeps none: only `check`, which replays
    /// everything, reads it).
    pub attachments: BTreeMap<String, FileRef>,
    /// Indices and leaf hashes of the roster entries (the snapshot rebuilds the roster
    /// history from them, and checks their bytes against the leaves it signed).
    pub roster_entries: Vec<(u64, Hash)>,
    /// What the snapshot signed of each matter's row (a state loaded from the snapshot;
    /// empty after a replay): its stage and digest, checked as a row is loaded and carried
    /// over for the rows a command does not rewrite.
    pub snapshot_rows: crate::snapshot::Rows,
    /// A lean replay: each matter is compacted as it closes (`Matter::compact`), each
    /// consultation round as its matter moves on from it (`Matter::compact_past_rounds`),
    /// and `attachments` stays empty, so memory stays bounded by the open matters, not the
    /// decade. Only for a replay whose state is not stored or compared row by row
    /// afterwards (the verifier, export's confirmation, a notice re-print).
    pub lean: bool,
    /// The matters the last entry fed closed (`Stage::is_closed`): `check` takes their
    /// consent rows and a digest, then compacts them.
    pub closed: Vec<String>,
    /// Each lost-key rotation fed: (its index, the countersigning key, hex), judged against
    /// the township the record knows (`TownshipOfRecord`). Empty in a state loaded from the
    /// snapshot.
    pub countersigned: Vec<(u64, String)>,
    /// Keys a lost-key rotation replaced (hex): not handed over by their holder.
    pub lost_keys: BTreeSet<String>,
}

impl Default for Replay {
    fn default() -> Self {
        Replay {
            state: State::default(),
            range: CompactRange::new(),
            last_leaf: None,
            keys: Vec::new(),
            attachments: BTreeMap::new(),
            roster_entries: Vec::new(),
            snapshot_rows: crate::snapshot::Rows::new(),
            lean: false,
            closed: Vec::new(),
            countersigned: Vec::new(),
            lost_keys: BTreeSet::new(),
        }
    }
}

fn at(idx: u64) -> Location {
    Location::entry(idx, None)
}

/// Where a problem with a readable entry is: its index, matter and step
/// (`entries[12] (matter 2026-001, review)`), as `verify` places a log line.
fn at_event(idx: u64, event: &crate::rules::Event) -> Location {
    Location::entry(idx, Some(event))
}

/// Entry `idx` whose bytes do not read as an entry.
fn unreadable(idx: u64, x: EntryProblem) -> Problem {
    problem("E-LOG-ENTRY", at(idx), ProblemKind::Entry(x))
}

impl Replay {
    /// Checks the entry's place in the chain, its bytes, and the rules; then applies it.
    pub fn feed(&mut self, e: &StoredEntry) -> Result<(), Problem> {
        self.feed_inner(e, false)
    }

    /// Like [`Replay::feed`], but a step the rules refuse is still applied, and its
    /// refusal returned as `Ok(Some(problem))`: the verifier reports every unlawful step
    /// instead of stopping at the first (SPEC §6). Chain and format problems still stop.
    pub fn feed_audit(&mut self, e: &StoredEntry) -> Result<Option<Problem>, Problem> {
        let before = self.state.size;
        let r = self.feed_inner(e, true);
        self.audited(before, r)
    }

    /// An audit feed's result: a rule refusal of a step that was applied anyway is a
    /// finding (`Ok(Some)`), anything else that failed stops the replay.
    fn audited(&self, before: u64, r: Result<(), Problem>) -> Result<Option<Problem>, Problem> {
        match r {
            Err(p) if matches!(p.kind, ProblemKind::Rule(_)) && self.state.size == before + 1 => {
                Ok(Some(p))
            }
            Err(p) => Err(p),
            Ok(()) => Ok(None),
        }
    }

    fn feed_inner(&mut self, e: &StoredEntry, force: bool) -> Result<(), Problem> {
        let leaf = merkle::leaf_hash(&e.bytes);
        self.feed_read(e, leaf, || Entry::parse(&e.bytes), force)
    }

    /// Like [`Replay::feed`], for a stored entry whose bytes another thread has already
    /// hashed (`leaf`) and parsed (`parsed`): `check` reads and parses on one core while
    /// the rules run on another.
    pub fn feed_prepared<E: std::borrow::Borrow<Entry>>(
        &mut self,
        e: &StoredEntry,
        leaf: Hash,
        parsed: Result<E, crate::log::EntryProblem>,
    ) -> Result<(), Problem> {
        self.feed_read(e, leaf, || parsed, false)
    }

    /// Like [`Replay::feed_prepared`], taking the parsed entry: a household's consent
    /// record is moved into the state instead of copied ([`State::step_owned`]).
    ///
    /// [`State::step_owned`]: crate::rules::State::step_owned
    pub fn feed_prepared_owned(
        &mut self,
        e: &StoredEntry,
        leaf: Hash,
        parsed: Result<Entry, crate::log::EntryProblem>,
    ) -> Result<(), Problem> {
        self.continues(e, &leaf)?;
        let entry = parsed.map_err(|x| unreadable(e.idx, x))?;
        let crate::rules::Event::Consent(c) = &entry.event else {
            return self.feed_entry(&entry, leaf, false);
        };
        // What `feed_entry` does for a consent, which changes no key, no roster and no
        // matter's stage, and whose only attachment is its evidence.
        let evidence = (c.evidence.as_ref())
            .filter(|_| !self.lean)
            .map(|a| (a.sha256.clone(), a.size));
        self.envelope(&entry)?;
        let expected = self.state.size;
        self.closed.clear();
        let time = entry.time;
        if let Err((r, event)) =
            self.state
                .step_owned(time, entry.event, crate::keychange::verify_rotation)
        {
            return Err(problem(
                "E-RULE",
                at_event(expected, &event),
                ProblemKind::Rule(r),
            ));
        }
        if let Some((sha, size)) = evidence {
            self.attachments.entry(sha).or_insert(FileRef {
                size,
                first: expected,
            });
        }
        self.accept(leaf);
        Ok(())
    }

    /// The entry with this leaf is the replay's last: added to the tree and the chain.
    fn accept(&mut self, leaf: Hash) {
        self.range.push(leaf);
        self.last_leaf = Some(leaf);
    }

    fn feed_read<E: std::borrow::Borrow<Entry>>(
        &mut self,
        e: &StoredEntry,
        leaf: Hash,
        parse: impl FnOnce() -> Result<E, crate::log::EntryProblem>,
        force: bool,
    ) -> Result<(), Problem> {
        self.continues(e, &leaf)?;
        let entry = parse().map_err(|x| unreadable(e.idx, x))?;
        self.feed_entry(entry.borrow(), leaf, force)
    }

    /// Whether stored entry `e`, whose bytes hash to `leaf`, is the next entry of this
    /// replay: its index, its own leaf column and its link to the last entry fed.
    pub fn continues(&self, e: &StoredEntry, leaf: &Hash) -> Result<(), Problem> {
        let expected = self.state.size;
        // The location is written only for a problem (this runs for every entry).
        let p = |code, kind| Problem {
            code,
            location: at(e.idx),
            kind,
        };
        if e.idx != expected {
            return Err(p(
                "E-LOG-ORDER",
                ProblemKind::IndexGap {
                    expected,
                    found: e.idx,
                },
            ));
        }
        if e.leaf.as_slice() != leaf.as_slice() {
            return Err(p("E-LOG-LEAF", ProblemKind::LeafMismatch));
        }
        if e.prev.as_deref() != self.last_leaf.as_ref().map(|h| h.as_slice()) {
            return Err(p("E-LOG-CHAIN", ProblemKind::ChainBroken));
        }
        Ok(())
    }

    /// Like [`Replay::feed_audit`], for a reader that has already hashed the entry's bytes
    /// (`leaf`) and parsed them strictly (`entry`): the bundle verifier, which reads each
    /// line once.
    pub fn feed_parsed_audit(
        &mut self,
        entry: &Entry,
        leaf: Hash,
    ) -> Result<Option<Problem>, Problem> {
        let before = self.state.size;
        let r = self.feed_entry(entry, leaf, true);
        self.audited(before, r)
    }

    /// The checks on an entry's envelope: its index, its link to the last entry fed, its
    /// origin (and a genesis entry's own).
    fn envelope(&self, entry: &Entry) -> Result<(), Problem> {
        let expected = self.state.size;
        let p = |code, kind| Problem {
            code,
            location: at_event(expected, &entry.event),
            kind,
        };
        if entry.idx != expected {
            return Err(p(
                "E-LOG-ORDER",
                ProblemKind::EntryIndex {
                    expected,
                    found: entry.idx,
                },
            ));
        }
        if entry.prev != self.last_leaf {
            return Err(p("E-LOG-CHAIN", ProblemKind::ChainBroken));
        }
        if let Some(origin) = self.state.origin()
            && origin != entry.origin
        {
            return Err(p(
                "E-LOG-ORIGIN",
                ProblemKind::WrongOrigin {
                    expected: origin.to_string(),
                    found: entry.origin.clone(),
                },
            ));
        }
        if let crate::rules::Event::Genesis(g) = &entry.event
            && g.origin != entry.origin
        {
            return Err(p(
                "E-LOG-ORIGIN",
                ProblemKind::WrongOrigin {
                    expected: g.origin.clone(),
                    found: entry.origin.clone(),
                },
            ));
        }
        Ok(())
    }

    /// The checks that need the entry's meaning: its index and link, its origin, the
    /// rules; then the step is applied and the leaf added to the tree.
    fn feed_entry(&mut self, entry: &Entry, leaf: Hash, force: bool) -> Result<(), Problem> {
        self.envelope(entry)?;
        let expected = self.state.size;
        let p = |code, kind| Problem {
            code,
            location: at_event(expected, &entry.event),
            kind,
        };
        // Only these events can change the village key: no copy of it for the others.
        let key_before = matches!(
            entry.event,
            crate::rules::Event::Genesis(_) | crate::rules::Event::KeyRotate(_)
        )
        .then(|| self.state.key.clone());
        // Whether this entry closes its matter. A household's consent never moves a
        // matter's stage (nearly every entry is one): no looking the matter up for it.
        let moves_stage = !matches!(entry.event, crate::rules::Event::Consent(_));
        let was_closed = moves_stage
            && entry
                .event
                .matter()
                .and_then(|id| self.state.matters.get(id))
                .is_some_and(|m| m.stage.is_closed());
        self.closed.clear();
        let mut refused = None;
        if let Err(r) = self
            .state
            .step(entry.time, &entry.event, crate::keychange::verify_rotation)
        {
            if !force {
                return Err(p("E-RULE", ProblemKind::Rule(r)));
            }
            // Audit replay: record the refusal, apply the step as recorded, go on.
            self.state.apply(entry.time, &entry.event);
            refused = Some(p("E-RULE", ProblemKind::Rule(r)));
        }
        if let Some(before) = key_before
            && self.state.key != before
            && let Some(k) = &self.state.key
        {
            self.keys.push((self.state.size, k.clone()));
        }
        if matches!(entry.event, crate::rules::Event::Roster(_)) {
            self.roster_entries.push((entry.idx, leaf));
        }
        if let crate::rules::Event::KeyRotate(k) = &entry.event
            && let Some(t) = k.authority.strip_prefix(crate::keychange::BY_TOWNSHIP)
        {
            self.countersigned.push((entry.idx, t.to_string()));
            self.lost_keys.insert(k.old.clone());
        }
        if !self.lean {
            let first = entry.idx;
            for a in entry.event.attachments() {
                (self.attachments.entry(a.sha256.clone())).or_insert(FileRef {
                    size: a.size,
                    first,
                });
            }
            if let crate::rules::Event::Publish(p) = &entry.event
                && let Some(n) = &p.notice
            {
                (self.attachments.entry(n.sha256.clone())).or_insert(FileRef {
                    size: n.size,
                    first,
                });
            }
        }
        if moves_stage
            && let Some(id) = entry.event.matter()
            && let Some(m) = self.state.matters.get_mut(id)
        {
            if m.stage.is_closed() && !was_closed {
                if self.lean {
                    m.compact();
                } else {
                    self.closed.push(id.to_string());
                }
            } else if self.lean {
                m.compact_past_rounds();
            }
        }
        self.accept(leaf);
        match refused {
            Some(p) => Err(p),
            None => Ok(()),
        }
    }

    /// The village key that must sign a checkpoint of `size` entries.
    pub fn key_at(&self, size: u64) -> Option<&str> {
        self.keys
            .iter()
            .rev()
            .find(|(from, _)| *from <= size)
            .map(|(_, k)| k.as_str())
    }
}

/// Loads the state by replaying the whole log, stopping at the first problem.
pub fn load(store: &Store) -> crate::error::Result<Replay> {
    let mut replay = Replay::default();
    let mut first: Option<Problem> = None;
    let r = store.for_each_entry(|e| {
        replay.feed(&e).map_err(|p| {
            first = Some(p);
            String::new()
        })
    })?;
    if r.is_err()
        && let Some(p) = first
    {
        return Err(crate::error::Error::Integrity(vec![p]));
    }
    Ok(replay)
}

/// Replays the whole log through the rules to confirm it holds together, stopping at the
/// first problem, without keeping the state: closed matters are compacted as they close
/// and the bytes are read and parsed on a second thread (`export` runs this first).
/// `visit` sees each entry once it has passed.
pub fn confirm(store: &Store, mut visit: impl FnMut(u64, &Entry)) -> crate::error::Result<()> {
    let mut replay = Replay {
        lean: true,
        ..Replay::default()
    };
    let mut first: Option<Problem> = None;
    let r = for_each_prepared(store, |e, leaf, parsed| {
        let entry = match parsed {
            Ok(entry) => entry,
            Err(x) => {
                first = Some(unreadable(e.idx, x));
                return Err(String::new());
            }
        };
        replay
            .feed_prepared(e, leaf, Ok::<_, crate::log::EntryProblem>(&entry))
            .map_err(|p| {
                first = Some(p);
                String::new()
            })?;
        visit(e.idx, &entry);
        Ok(())
    })?;
    if r.is_err()
        && let Some(p) = first
    {
        return Err(crate::error::Error::Integrity(vec![p]));
    }
    // A log that holds together may still be shorter than the file shows it was (its last
    // entries deleted, with their checkpoints): a bundle of it would pass `verify`, and a
    // township registering the village would pin the shortened record.
    if let Some(p) = rolled_back(store, &replay)? {
        return Err(crate::error::Error::Integrity(vec![p]));
    }
    Ok(())
}

/// Loads the state a command needs: from the snapshot when it matches the log and its last
/// checkpoint (the open matters and those in `want`), else by replaying the whole log.
/// Returns whether the snapshot was used.
/// A writing command gives its `key`, the only one whose snapshot it trusts.
pub fn load_fast(
    store: &Store,
    want: &[&str],
    key: Option<&crate::record::keys::PublicKey>,
) -> crate::error::Result<(Replay, bool)> {
    match crate::snapshot::load(store, want, key)? {
        Some(r) => Ok((r, true)),
        None => Ok((load(store)?, false)),
    }
}

/// The log's last checkpoint must be signed for this state (its size, root and frontier)
/// by the village key in force, and the log must not be shorter than what the township
/// cosigned: what a writing command checks before it signs a checkpoint that vouches for
/// every entry before it. A log edited since (entries rewritten and the snapshot dropped,
/// so that the command replays them) or cut back under the cosigned size is refused, not
/// signed.
pub fn signed_head(store: &Store, replay: &Replay) -> crate::error::Result<()> {
    let size = replay.state.size;
    let problem = match store.last_checkpoint()? {
        None => problem("E-CKPT-NONE", "checkpoints", ProblemKind::NoCheckpoint),
        Some((signed, _, _)) if signed != size => problem(
            "E-CKPT-SIZE",
            at(signed.min(size)),
            ProblemKind::Unsigned {
                signed,
                entries: size,
            },
        ),
        Some((_, note, frontier)) => {
            match check_checkpoint(replay, size, &note, &frontier, &mut Vec::new(), None) {
                Some(p) => p,
                None => match rolled_back(store, replay)? {
                    Some(p) => p,
                    None => return Ok(()),
                },
            }
        }
    };
    Err(crate::error::Error::Integrity(vec![problem]))
}

/// Whether the file itself shows this log (as replayed: `replay`) to be shorter than, or
/// other than, one it held before: what the township last cosigned is beyond it or not its
/// checkpoint at that size, or the state snapshot the village key signed is of a longer log
/// or of another entry at its end. A writing command would sign on as if that never was.
fn rolled_back(store: &Store, replay: &Replay) -> crate::error::Result<Option<Problem>> {
    let size = replay.state.size;
    if let Some((cosigned, note)) = store.cosigned()?.pop() {
        let loc = Location::Cosigned(cosigned);
        let vouched = cosigned > size && cosigned_by(pinned_township(store)?.as_ref(), &note);
        if !(vouched || village_signed(replay, cosigned, &note)) {
            return Ok(Some(problem(
                "E-CKPT-COSIG",
                loc,
                ProblemKind::CosignedNotOurs { size: cosigned },
            )));
        }
        if cosigned > size {
            return Ok(Some(problem(
                "E-ROLLBACK",
                loc,
                ProblemKind::CosignedBeyond {
                    size: cosigned,
                    entries: size,
                },
            )));
        }
        let text = |n: &str| {
            crate::record::note::Note::parse(n.as_bytes())
                .ok()
                .map(|n| n.text)
        };
        let ours = store.checkpoint_note(cosigned)?;
        if ours.as_deref().and_then(text).is_none() || ours.as_deref().and_then(text) != text(&note)
        {
            return Ok(Some(problem(
                "E-FORK",
                loc,
                ProblemKind::CosignedDiffers { size: cosigned },
            )));
        }
    }
    snapshot_ahead(store, replay)
}

/// Whether the state snapshot the village key in force signed is of a longer log than
/// `replay`, or of another entry at its end: the log lost entries after it was signed (a
/// tail deleted with another tool, an older copy put back). The query tables and the
/// snapshot then show the longer log, so comparing them with this one names them as
/// edited, when it is the log that was cut.
fn snapshot_ahead(store: &Store, replay: &Replay) -> crate::error::Result<Option<Problem>> {
    let size = replay.state.size;
    let key = replay
        .state
        .key
        .as_deref()
        .and_then(|k| crate::record::keys::PublicKey::from_hex(k).ok());
    let ahead = |end: u64| {
        problem(
            "E-ROLLBACK",
            "snapshot/village",
            ProblemKind::SnapshotAhead {
                size: end,
                entries: size,
            },
        )
    };
    if let Some(key) = key
        && let Some(end) = crate::snapshot::signed_end(store, Some(&key))?
        && (end.size > size
            || (end.size == size && end.last_leaf != replay.last_leaf.map(hex::encode)))
    {
        return Ok(Some(ahead(end.size)));
    }
    // Signed by a key this log does not know, which names the key in force here as one it
    // retired: the log was cut back past a change of key (the rotation went with the cut).
    if let Some(ours) = replay.state.key.as_ref()
        && let Some(end) = crate::snapshot::signed_end(store, None)?
        && end.key.as_ref() != Some(ours)
        && end.past_keys.contains(ours)
        && end.size > size
    {
        return Ok(Some(ahead(end.size)));
    }
    Ok(None)
}

/// Whether a stored cosigned checkpoint carries a valid cosignature by `township` (the key
/// the record pinned). Beyond the log's end, such a checkpoint shows the log was that long,
/// whichever village key signed it (a later one, lost with the entries cut).
fn cosigned_by(township: Option<&crate::record::keys::PublicKey>, note: &str) -> bool {
    township.is_some_and(|k| {
        crate::record::note::Note::parse(note.as_bytes())
            .ok()
            .and_then(|n| crate::bundle::verify::find_cosignature(&n, k))
            .is_some()
    })
}

/// The township key the record pinned, parsed.
fn pinned_township(store: &Store) -> crate::error::Result<Option<crate::record::keys::PublicKey>> {
    Ok(store
        .township_key()?
        .and_then(|(hex, _)| crate::record::keys::PublicKey::from_hex(&hex).ok()))
}

/// Whether a stored cosigned checkpoint of `size` carries the village's signature, by the
/// key in force at its size (beyond the log's end: at the end). Only such a note is evidence
/// of what the log was; any other is reported as not this record's.
fn village_signed(replay: &Replay, size: u64, note: &str) -> bool {
    let origin = replay.state.origin().unwrap_or_default();
    let key = replay
        .key_at(size.min(replay.state.size))
        .and_then(|k| crate::record::keys::PublicKey::from_hex(k).ok());
    match (key, crate::record::note::Note::parse(note.as_bytes())) {
        (Some(k), Ok(n)) => crate::record::note::verify_note(&n, origin, &k).is_ok(),
        _ => false,
    }
}

/// The township key a lost-key rotation should have been countersigned by, as the record
/// knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TownshipExpected {
    /// The township key (fingerprint) the record pinned when it imported the checkpoint
    /// cosigned at `size`.
    Pinned { fingerprint: String, size: u64 },
    /// The key (fingerprint) that countersigned the record's earlier lost-key rotation,
    /// at entry `idx`.
    Rotation { fingerprint: String, idx: u64 },
    /// The cosigners (their names, as their lines give them) of the checkpoint the record
    /// holds cosigned at `size`, none of whom is the rotation's countersigning key.
    Cosigned { size: u64, names: Vec<String> },
}

/// What the local record knows of its township, to judge who may countersign a lost-key
/// rotation: the key that countersigned an earlier one (in the log), and the township's
/// cosignatures on the checkpoints it imported (`checkpoint import`), which name their
/// key only by a 4-byte id, so a countersigning key is asked to verify each. A record
/// with neither cannot tell a township from another; the township's register and
/// `verify --township-key`, which pin the township key, can.
pub struct TownshipOfRecord {
    /// The township key the record pinned, else the countersigning key of the log's first
    /// lost-key rotation: (hex, where it is from).
    pub key: Option<(String, TownshipExpected)>,
    /// The stored cosigned checkpoints in force that carry a cosignature: (size, note).
    cosigned: Vec<(u64, crate::record::note::Note)>,
}

/// A cosignature line (C2SP cosignature/v1: 8 bytes of time and 64 of signature), not a
/// village signature.
fn is_cosignature(s: &crate::record::note::NoteSig) -> bool {
    s.sig.len() == 72
}

impl TownshipOfRecord {
    /// The pinned township key and the stored cosigned checkpoints (a rotation's
    /// countersigner is added by [`TownshipOfRecord::judge_log`]).
    pub fn read(store: &Store) -> crate::error::Result<TownshipOfRecord> {
        let cosigned = store
            .cosigned()?
            .into_iter()
            .filter_map(|(size, note)| {
                let n = crate::record::note::Note::parse(note.as_bytes()).ok()?;
                n.sigs.iter().any(is_cosignature).then_some((size, n))
            })
            .collect();
        let key = store.township_key()?.map(|(hex, size)| {
            let expected = TownshipExpected::Pinned {
                fingerprint: fingerprint_of(&hex),
                size,
            };
            (hex, expected)
        });
        Ok(TownshipOfRecord { key, cosigned })
    }

    /// Whether `k` is the township's key as the record knows it: the pinned key, or the key
    /// of a valid cosignature on a stored cosigned checkpoint.
    pub fn is_township(&self, k: &crate::record::keys::PublicKey) -> bool {
        self.key.as_ref().is_some_and(|(hex, _)| *hex == k.to_hex())
            || self
                .cosigned
                .iter()
                .any(|(_, note)| crate::bundle::verify::find_cosignature(note, k).is_some())
    }

    /// Whether `authority` (hex) may countersign a lost-key rotation of this record: it must
    /// be the key of the earlier rotation, and every stored cosigned checkpoint must carry a
    /// valid cosignature by it. `None`: nothing the record holds says otherwise.
    pub fn judge(&self, authority: &str) -> Option<TownshipExpected> {
        if let Some((key, expected)) = &self.key
            && key != authority
        {
            return Some(expected.clone());
        }
        let pk = crate::record::keys::PublicKey::from_hex(authority).ok();
        self.cosigned.iter().find_map(|(size, note)| {
            let by_it = pk
                .as_ref()
                .is_some_and(|k| crate::bundle::verify::find_cosignature(note, k).is_some());
            (!by_it).then(|| TownshipExpected::Cosigned {
                size: *size,
                names: note
                    .sigs
                    .iter()
                    .filter(|s| is_cosignature(s))
                    .map(|s| s.name.clone())
                    .collect(),
            })
        })
    }

    /// Judges the log's lost-key rotations in order (`replay.countersigned`): the first one
    /// that passes names the key the later ones must have. The problems, with their places.
    pub fn judge_log(&mut self, replay: &Replay) -> Vec<Problem> {
        let mut problems = Vec::new();
        // The village never signs with the township's key: one that does could cosign and
        // countersign for itself (a change of secretary to the township's key file).
        for (from, hex) in &replay.keys {
            if let Ok(k) = crate::record::keys::PublicKey::from_hex(hex)
                && self.is_township(&k)
            {
                let idx = from.saturating_sub(1);
                problems.push(problem(
                    "E-KEY-TOWNSHIP",
                    Location::Entry {
                        idx,
                        what: Some(crate::location::What {
                            matter: None,
                            event: if idx == 0 { "genesis" } else { "key.rotate" },
                        }),
                    },
                    ProblemKind::TownshipKeyAsVillage {
                        fingerprint: k.fingerprint(),
                    },
                ));
            }
        }
        for (idx, authority) in &replay.countersigned {
            match self.judge(authority) {
                Some(expected) => problems.push(problem(
                    "E-KEY-AUTHORITY",
                    Location::Entry {
                        idx: *idx,
                        what: Some(crate::location::What {
                            matter: None,
                            event: "key.rotate",
                        }),
                    },
                    ProblemKind::RotationAuthority {
                        found: fingerprint_of(authority),
                        expected,
                    },
                )),
                None if self.key.is_none() => {
                    let expected = TownshipExpected::Rotation {
                        fingerprint: fingerprint_of(authority),
                        idx: *idx,
                    };
                    self.key = Some((authority.clone(), expected));
                }
                None => {}
            }
        }
        problems
    }
}

/// A key's fingerprint, from its hex (the hex itself when it is not a key).
pub fn fingerprint_of(hex: &str) -> String {
    crate::record::keys::PublicKey::from_hex(hex)
        .map(|k| k.fingerprint())
        .unwrap_or_else(|_| hex.to_string())
}

/// Replays only the first `size` entries: the record as it stood at that point.
/// A lean replay (`Replay::lean`): matters closed by then are compacted, and so are the
/// consultation rounds their matters had moved on from; the notices print a round's tally
/// and last record date, which it keeps.
pub fn load_until(store: &Store, size: u64) -> crate::error::Result<Replay> {
    let mut replay = Replay {
        lean: true,
        ..Replay::default()
    };
    let mut first: Option<Problem> = None;
    let _ = for_each_prepared(store, |e, leaf, parsed| {
        if replay.state.size >= size {
            return Err(String::new());
        }
        replay.feed_prepared_owned(e, leaf, parsed).map_err(|p| {
            first = Some(p);
            String::new()
        })
    })?;
    if let Some(p) = first {
        return Err(crate::error::Error::Integrity(vec![p]));
    }
    Ok(replay)
}

/// Entry `idx` as stored, proved to be the entry that `key` signed for the log `origin`
/// (the name the key file gives): the entries from the last checkpoint at or before it to
/// the first checkpoint after it of at least `signed_from` entries are hashed onto the
/// earlier checkpoint's stored frontier, and must give the root of the later checkpoint,
/// whose signature by `key` is verified. Nothing read from the database is trusted: a
/// changed entry or frontier gives another root (one giving the same root would be a
/// SHA-256 collision), and only `key`'s holder can sign another.
///
/// `signed_from` is where `key` began to sign (the log size after the rotation entry that
/// handed the village over to it; 0 for the key the village began with): an entry recorded
/// before a change of secretary is proved by the new key's first checkpoint, whose root
/// covers every entry before it. Only the key given proves anything: a key that signed
/// before it, whoever holds it now, is not asked. The caller finds `signed_from` in the
/// snapshot, which is not trusted: a wrong one finds a checkpoint `key` did not sign, or
/// none, and the entry is not proved.
///
/// `None` when the entry cannot be proved this way (no such checkpoint yet, one signed by
/// another key, or anything that does not match): the caller then replays the log instead.
/// It reads the entries between the two checkpoints (one command's, when the key signed the
/// next; after a change of secretary, every entry up to the new key's first checkpoint),
/// streamed and hashed, where a replay reads, parses and judges every entry before `idx`.
pub fn proved_entry(
    store: &Store,
    idx: u64,
    key: &crate::record::keys::PublicKey,
    signed_from: u64,
    origin: &str,
) -> crate::error::Result<Option<Vec<u8>>> {
    let (before, after) = store.checkpoints_around(idx, signed_from)?;
    let Some((to, note)) = after else {
        return Ok(None);
    };
    let mut range = match before {
        Some((_, frontier)) => match CompactRange::from_bytes(&frontier) {
            Ok(r) => r,
            Err(_) => return Ok(None),
        },
        None => CompactRange::new(),
    };
    let from = range.size();
    if from > idx || to <= idx {
        return Ok(None);
    }
    let Ok(parsed) = crate::record::note::Note::parse(note.as_bytes()) else {
        return Ok(None);
    };
    let Ok(cp) = crate::record::note::Checkpoint::parse_body(&parsed.text) else {
        return Ok(None);
    };
    if cp.size != to
        || cp.origin != origin
        || crate::record::note::verify_note(&parsed, origin, key).is_err()
    {
        return Ok(None);
    }
    let mut found = None;
    let mut in_order = true;
    store.for_each_entry_bytes(from, to, |i, bytes| {
        in_order = i == range.size();
        if in_order {
            range.push(merkle::leaf_hash(bytes));
            if i == idx {
                found = Some(bytes.to_vec());
            }
        }
        in_order
    })?;
    if !in_order || range.size() != to || range.root() != cp.root {
        return Ok(None);
    }
    Ok(found)
}

/// The result of `liuyi check`.
#[derive(Debug, Serialize)]
pub struct Report {
    pub ok: bool,
    pub entries: u64,
    pub problems: Vec<Problem>,
    /// The village keys of record, when the log was replayed to its end: the key in force,
    /// every key it was ever signed with, and those a lost-key rotation replaced
    /// (`cmd::check` holds the key file to them).
    pub keys: Option<(String, BTreeSet<String>, BTreeSet<String>)>,
    /// The record's origin (its genesis), when the log was replayed to its end.
    pub origin: Option<String>,
}

fn problem(code: &'static str, location: impl Into<Location>, kind: ProblemKind) -> Problem {
    Problem {
        code,
        location: location.into(),
        kind,
    }
}

/// Verifies one stored checkpoint note against the replayed log at its size. `after`: the
/// size of the last checkpoint verified before it, when the caller verified every one
/// before it (`check`): a root that does not match then says where the change must be
/// (`ProblemKind::RootMismatch`, its places without matter and step: the caller has the
/// store to read them).
fn check_checkpoint(
    replay: &Replay,
    size: u64,
    note: &str,
    frontier: &[u8],
    parsed_keys: &mut Vec<(String, crate::record::keys::PublicKey)>,
    after: Option<u64>,
) -> Option<Problem> {
    let loc = Location::Checkpoint(size);
    let origin = replay.state.origin().unwrap_or_default();
    let parsed = match crate::record::note::Note::parse(note.as_bytes()) {
        Ok(n) => n,
        Err(e) => {
            return Some(problem(
                "E-CKPT-MALFORMED",
                loc,
                ProblemKind::CheckpointMalformed(e),
            ));
        }
    };
    let cp = match crate::record::note::Checkpoint::parse_body(&parsed.text) {
        Ok(c) => c,
        Err(e) => {
            return Some(problem(
                "E-CKPT-MALFORMED",
                loc,
                ProblemKind::CheckpointMalformed(e),
            ));
        }
    };
    if cp.origin != origin || cp.size != size || cp.root != replay.range.root() {
        let Some(after) = after else {
            return Some(problem("E-CKPT-ROOT", loc, ProblemKind::CheckpointRoot));
        };
        // Its own signature says whether it is the village's checkpoint (and the log
        // changed) or was itself altered.
        let signed = (replay.key_at(size))
            .and_then(|k| crate::record::keys::PublicKey::from_hex(k).ok())
            .is_some_and(|k| crate::record::note::verify_note(&parsed, origin, &k).is_ok());
        let last = Location::entry(size.saturating_sub(1), None);
        let changed = match after + 1 == size {
            true => (last.clone(), last),
            false => (Location::entry(after, None), last),
        };
        return Some(problem(
            "E-CKPT-ROOT",
            loc,
            ProblemKind::RootMismatch {
                size,
                after,
                changed,
                signed,
                later: 0,
                last: size,
            },
        ));
    }
    let Some(key_hex) = replay.key_at(size) else {
        return Some(problem("E-CKPT-SIG", loc, ProblemKind::CheckpointNoKey));
    };
    // Each key is parsed once (a parse decompresses a curve point); a village has few.
    let cached = parsed_keys.iter().position(|(hex, _)| hex == key_hex);
    let key_index = match cached {
        Some(i) => Ok(i),
        None => crate::record::keys::PublicKey::from_hex(key_hex).map(|k| {
            parsed_keys.push((key_hex.to_string(), k));
            parsed_keys.len() - 1
        }),
    };
    let key = match key_index {
        Ok(i) => &parsed_keys[i].1,
        Err(e) => {
            return Some(problem(
                "E-CKPT-SIG",
                loc,
                ProblemKind::CheckpointSignature(crate::record::note::NoteError::Key(e)),
            ));
        }
    };
    if let Err(e) = crate::record::note::verify_note(&parsed, origin, key) {
        return Some(problem(
            "E-CKPT-SIG",
            loc,
            ProblemKind::CheckpointSignature(e),
        ));
    }
    if frontier != replay.range.to_bytes().as_slice() {
        return Some(problem(
            "E-CKPT-FRONTIER",
            loc,
            ProblemKind::CheckpointFrontier,
        ));
    }
    None
}

/// `liuyi check`: SQLite integrity, the chain, every checkpoint signature, the
/// attachments and the projections. Reports the first problem of the log pass (what
/// follows a break is not meaningful) and every problem of the other passes.
pub fn check(store: &Store) -> crate::error::Result<Report> {
    // First, and apart: with a table's definition not ours, a value of any type may be in
    // any column, and reading one where liuyi's types are expected stops the passes below.
    // That is reported as what it is, with where the reading stopped.
    let schema = store.schema_rows()?;
    let tables = tables_altered(&schema, store.version());
    let Some(tables) = tables else {
        return passes(store, &schema);
    };
    match passes(store, &schema) {
        Ok(mut report) => {
            let at = report
                .problems
                .iter()
                .position(|p| p.code != "E-DB-INTEGRITY" && !p.code.starts_with("E-LOG"))
                .unwrap_or(report.problems.len());
            report.problems.insert(at, tables);
            report.ok = false;
            Ok(report)
        }
        Err(crate::error::Error::Store(
            crate::store::StoreError::Sqlite(m) | crate::store::StoreError::Corrupt(m),
        )) => {
            let mut tables = tables;
            if let ProblemKind::TablesAltered { stopped, .. } = &mut tables.kind {
                *stopped = Some(m);
            }
            Ok(Report {
                ok: false,
                entries: store.entry_count().unwrap_or(0),
                problems: vec![tables],
                keys: None,
                origin: None,
            })
        }
        Err(e) => Err(e),
    }
}

/// The triggers and other objects of the file's schema that are not liuyi's: triggers
/// dropped, rewritten or added, and tables, views or indexes liuyi never makes.
fn objects_altered(schema: &[SchemaRow], version: i32) -> Vec<Problem> {
    let mut problems = Vec::new();
    // By name: a trigger dropped and another added (or the version set back to one with
    // fewer) is not the same set, whatever the count.
    let triggers: Vec<&SchemaRow> = schema.iter().filter(|r| r.kind == "trigger").collect();
    let present: Vec<String> = triggers.iter().map(|r| r.name.clone()).collect();
    let expected = crate::store::expected_triggers(version);
    // Those of a later version are liuyi's too: `check` reads the file as it finds it, and
    // a file whose version was set back keeps them (each is judged by its SQL below).
    let known = crate::store::expected_triggers(crate::store::SCHEMA_VERSION);
    // Present under its name, but made to do something else (its body rewritten through
    // `PRAGMA writable_schema`): as good as dropped.
    let altered: Vec<String> = triggers
        .iter()
        .filter(|r| {
            known.contains(&r.name.as_str()) && !crate::store::trigger_is_ours(&r.name, &r.sql)
        })
        .map(|r| r.name.clone())
        .collect();
    if !altered.is_empty() {
        problems.push(problem(
            "E-DB-TRIGGERS",
            "sqlite_schema",
            ProblemKind::TriggersAltered { names: altered },
        ));
    }
    let found = expected
        .iter()
        .filter(|n| present.iter().any(|p| p == *n))
        .count();
    // Tables, views and indexes liuyi never makes: harmless to the record as such, but
    // put there with another tool, and an index can make liuyi's own writes fail (a unique
    // one over a column that repeats).
    // Those of a later version are liuyi's too, as with the triggers.
    let tables = crate::store::expected_tables(crate::store::SCHEMA_VERSION);
    let objects: Vec<(String, String)> = schema
        .iter()
        .filter(|r| r.kind != "trigger" && (r.kind != "table" || !tables.contains(&r.name)))
        .map(|r| (r.kind.clone(), r.name.clone()))
        .collect();
    if !objects.is_empty() {
        problems.push(problem(
            "E-DB-SCHEMA",
            "sqlite_schema",
            ProblemKind::SchemaExtra { objects },
        ));
    }
    let extra: Vec<String> = present
        .iter()
        .filter(|p| !known.contains(&p.as_str()))
        .cloned()
        .collect();
    if found != expected.len() || !extra.is_empty() {
        problems.push(problem(
            "E-DB-TRIGGERS",
            "sqlite_schema",
            ProblemKind::TriggersMissing {
                found,
                expected: expected.len(),
                extra,
            },
        ));
    }
    problems
}

/// What another tool changed in the file's structure (E-DB-SCHEMA, E-DB-TRIGGERS), read from
/// its schema alone: a command records nothing on top of it (the triggers guard what it
/// writes, and its checkpoint would vouch for the file), and says to run `check`.
pub fn schema_problems(store: &Store) -> crate::error::Result<Vec<Problem>> {
    let schema = store.schema_rows()?;
    let mut problems: Vec<Problem> = tables_altered(&schema, store.version())
        .into_iter()
        .collect();
    problems.extend(objects_altered(&schema, store.version()));
    Ok(problems)
}

/// A projection row that is not what the record makes of it (E-PROJ).
pub fn projection_altered(table: &'static str, key: String) -> Problem {
    problem(
        "E-PROJ",
        format!("{table}/{key}"),
        ProblemKind::Projection { table, key },
    )
}

/// The tables of schema.sql dropped or defined otherwise in the file, as one problem.
fn tables_altered(schema: &[SchemaRow], version: i32) -> Option<Problem> {
    let names: Vec<String> = crate::store::expected_tables(version)
        .into_iter()
        .filter(|name| {
            !schema.iter().any(|r| {
                r.kind == "table" && r.name == *name && crate::store::table_is_ours(name, &r.sql)
            })
        })
        .collect();
    (!names.is_empty()).then(|| {
        problem(
            "E-DB-SCHEMA",
            "sqlite_schema",
            ProblemKind::TablesAltered {
                names,
                stopped: None,
            },
        )
    })
}

/// The passes of `check`, on a file whose tables are liuyi's (or reported not to be).
fn passes(store: &Store, schema: &[SchemaRow]) -> crate::error::Result<Report> {
    // The two halves of the work are independent until the end: the log pass (parse,
    // rules, signatures) on this thread, the file pass (SQLite's integrity check, hashing
    // every stored attachment) on a second connection, on the second core.
    let path = store.path().to_path_buf();
    std::thread::scope(|scope| {
        let files = scope.spawn(move || file_pass(&path));
        let log = log_pass(store);
        let files = files
            .join()
            .map_err(|_| crate::error::Error::Internal("the attachment pass panicked".into()))?;
        finish(store, schema, log?, files?)
    })
}

/// What the second connection found: SQLite's own findings, for every stored attachment
/// the SHA-256 and length of its bytes as stored, and what the comparisons at the end
/// need of the stored projections that no replay decides (read here, while the log is
/// replayed, rather than after it on one core).
struct FilePass {
    integrity: Vec<String>,
    /// Stored file → (SHA-256 and length of its bytes, the size its row says).
    hashes: BTreeMap<String, (String, u64, u64)>,
    /// The stored files that hold a signing key, with its public key when the key line is
    /// whole.
    keyed: Vec<(String, Option<String>)>,
    snapshot_rows: Vec<crate::snapshot::StoredRow>,
    consent_counts: BTreeMap<String, u64>,
}

fn file_pass(path: &std::path::Path) -> crate::error::Result<FilePass> {
    let store = Store::open_as_found(path)?;
    let mut hashes = BTreeMap::new();
    let mut keyed = Vec::new();
    let mut buf = vec![0u8; 1 << 20];
    for (sha, column) in store.attachment_list()? {
        let found = match store
            .with_attachment(&sha, |rd, _| crate::record::digest_of_reader(rd, &mut buf))
        {
            // A stream that stops part-way (a damaged page of the file) is a damaged file.
            Ok(found) => found
                .transpose()
                .map_err(|err| crate::store::StoreError::Corrupt(err.to_string()))?,
            // Not a blob (NULL, a number: a hostile file), which SQLite will not stream:
            // hashed as the bytes it holds, so it is reported as the altered file it is.
            Err(crate::store::StoreError::Sqlite(_)) => match store.attachment_value(&sha)? {
                Some(b) => Some(
                    crate::record::digest_of_reader(&mut &b[..], &mut buf)
                        .map_err(|e| crate::store::StoreError::Corrupt(e.to_string()))?,
                ),
                None => None,
            },
            Err(e) => return Err(e.into()),
        };
        if let Some(d) = found {
            if d.holds_key {
                let leaked = d.key_line.as_deref().and_then(crate::record::leaked_key);
                keyed.push((sha.clone(), leaked));
            }
            hashes.insert(sha, (d.sha256, d.len, column));
        }
    }
    let integrity = store.integrity()?;
    let snapshot_rows = crate::snapshot::stored_rows(&store)?;
    let consent_counts = store.consent_counts()?;
    Ok(FilePass {
        integrity,
        hashes,
        keyed,
        snapshot_rows,
        consent_counts,
    })
}

/// The log pass of `check`: every entry through the replay, every checkpoint verified
/// at its size. Stops at the first problem (what follows a break is not meaningful).
struct LogPass {
    replay: Replay,
    checkpoints: Vec<(u64, String, Vec<u8>)>,
    /// The sizes of stored checkpoints that no log can have (zero or below).
    impossible: Vec<i64>,
    /// The problem the walk stopped at, with what explains it (`explain`).
    problems: Vec<Problem>,
    closing: Closing,
}

fn log_pass(store: &Store) -> crate::error::Result<LogPass> {
    // A checkpoint's size is a number of entries, at least one. One stored at zero or
    // below (SQLite's sign; liuyi's trigger refuses it, another tool need not) is set apart
    // and reported: left in, it sorted before the others as a huge number, and the walk,
    // waiting for the log to reach it, verified no checkpoint at all.
    let (impossible, checkpoints): (Vec<_>, Vec<_>) = store
        .checkpoints()?
        .into_iter()
        .partition(|(size, _, _)| *size == 0 || *size > i64::MAX as u64);
    let impossible = impossible.into_iter().map(|(s, _, _)| s as i64).collect();
    let mut next_cp = 0usize;
    // The size of the last checkpoint verified (0: none yet).
    let mut verified = 0u64;
    let mut replay = Replay::default();
    let mut log_problem: Option<Problem> = None;
    let mut parsed_keys = Vec::new();
    // A matter that closes is compacted here and handed whole to a thread of its own,
    // which compares its consent rows with the stored ones and digests its snapshot row
    // (a third of this thread's work when it was done here). Few wait: memory stays
    // bounded by a handful of matters.
    let path = store.path().to_path_buf();
    let (to_closer, closed) = std::sync::mpsc::sync_channel::<(String, Matter)>(4);
    // On a terminal: a bar over the entries (a decade's record takes seconds).
    const STEP: u64 = 4096;
    let progress = crate::progress::Progress::new(store.log_end()?.0, "check");
    let (walk, closing) = std::thread::scope(|s| {
        let closer = s.spawn(move || Closing::run(&path, closed));
        let walk = for_each_prepared(store, |e, leaf, parsed| {
            if e.idx % STEP == STEP - 1 {
                progress.inc(STEP);
            }
            if let Err(p) = replay.feed_prepared_owned(e, leaf, parsed) {
                log_problem = Some(p);
                return Err(String::new());
            }
            for id in std::mem::take(&mut replay.closed) {
                if let Some(m) = replay.state.matters.get_mut(&id) {
                    let kept = m.compacted();
                    let whole = std::mem::replace(m, kept);
                    // The closer is gone only if it failed: its error is reported below.
                    to_closer.send((id, whole)).map_err(|_| String::new())?;
                }
            }
            while next_cp < checkpoints.len() && checkpoints[next_cp].0 <= replay.state.size {
                let (size, note, frontier) = &checkpoints[next_cp];
                if *size == replay.state.size {
                    if let Some(p) = check_checkpoint(
                        &replay,
                        *size,
                        note,
                        frontier,
                        &mut parsed_keys,
                        Some(verified),
                    ) {
                        log_problem = Some(p);
                        return Err(String::new());
                    }
                    verified = *size;
                }
                next_cp += 1;
            }
            Ok(())
        });
        drop(to_closer);
        let closing = closer.join().unwrap_or_else(|_| {
            Err(crate::error::Error::Internal(
                "the closing pass panicked".into(),
            ))
        });
        (walk, closing)
    });
    let closing = closing?;
    // A walk stopped by a problem has recorded it in `log_problem`.
    let _stopped = walk?;
    let problems = match log_problem {
        Some(p) => explain(store, &replay, &checkpoints, verified, p)?,
        None => Vec::new(),
    };
    Ok(LogPass {
        replay,
        checkpoints,
        impossible,
        problems,
        closing,
    })
}

/// The problem `check`'s walk stopped at, with what the entries around it say of it, as
/// `verify` says it of a bundle: a broken link names the entry before it, which no longer
/// hashes to what the link holds (and the entry itself when the next one does not link to
/// it either); a checkpoint that does not match names the entries the change lies in, and
/// their matter and step; a rule broken by an entry that does not hash to what the next
/// entry, or the checkpoint right after it, holds is said to be the alteration's, after the
/// problem that shows it. `verified`: the size of the last checkpoint verified.
fn explain(
    store: &Store,
    replay: &Replay,
    checkpoints: &[(u64, String, Vec<u8>)],
    verified: u64,
    mut p: Problem,
) -> crate::error::Result<Vec<Problem>> {
    let leaf_of = |idx: u64| -> crate::error::Result<Option<Hash>> {
        Ok(store.entry(idx)?.map(|e| merkle::leaf_hash(&e.bytes)))
    };
    // Whether entry `idx + 1` links to entry `idx`'s bytes as stored, by its `prev` column
    // and the `prev` its bytes hold (`None`: there is no such entry).
    let next_links = |idx: u64| -> crate::error::Result<Option<bool>> {
        let (Some(leaf), Some(next)) = (leaf_of(idx)?, store.entry(idx + 1)?) else {
            return Ok(None);
        };
        let in_bytes = Entry::parse(&next.bytes).map(|e| e.prev == Some(leaf));
        Ok(Some(
            next.prev.as_deref() == Some(leaf.as_slice()) && in_bytes.unwrap_or(true),
        ))
    };
    match (&p.location, &mut p.kind) {
        (Location::Entry { idx, .. }, ProblemKind::ChainBroken) if *idx > 0 => {
            let idx = *idx;
            p.kind = ProblemKind::LinkMismatch {
                prev: entry_place(store, idx - 1),
                this_altered: next_links(idx)? == Some(false),
            };
            Ok(vec![p])
        }
        (_, ProblemKind::RootMismatch { changed, .. }) => {
            let place = |l: &Location| match l {
                Location::Entry { idx, .. } => entry_place(store, *idx),
                other => other.clone(),
            };
            *changed = (place(&changed.0), place(&changed.1));
            Ok(vec![p])
        }
        (Location::Entry { idx, .. }, ProblemKind::Rule(_)) => {
            let idx = *idx;
            // The entry the rule refused, and the link the next entry holds to it.
            if next_links(idx)? == Some(false) {
                // Placed as the walk would have placed it, had the rules let it on.
                let by = problem(
                    "E-LOG-CHAIN",
                    at(idx + 1),
                    ProblemKind::LinkMismatch {
                        prev: entry_place(store, idx),
                        this_altered: false,
                    },
                );
                return Ok(altered(by, p));
            }
            // The last entry: the checkpoint right after it, if any, over the log as it
            // stood before it and this entry's bytes.
            let Some((size, note, _)) = checkpoints.iter().find(|(s, _, _)| *s == idx + 1) else {
                return Ok(vec![p]);
            };
            let (Some(leaf), Ok(parsed)) = (
                leaf_of(idx)?,
                crate::record::note::Note::parse(note.as_bytes()),
            ) else {
                return Ok(vec![p]);
            };
            let Ok(cp) = crate::record::note::Checkpoint::parse_body(&parsed.text) else {
                return Ok(vec![p]);
            };
            let mut range = replay.range.clone();
            if range.size() != idx {
                return Ok(vec![p]);
            }
            range.push(leaf);
            if cp.root == range.root() {
                // Signed as it is: the village recorded it (an older liuyi's rules).
                return Ok(vec![p]);
            }
            let signed = (replay.key_at(*size))
                .and_then(|k| crate::record::keys::PublicKey::from_hex(k).ok())
                .is_some_and(|k| {
                    let origin = replay.state.origin().unwrap_or_default();
                    crate::record::note::verify_note(&parsed, origin, &k).is_ok()
                });
            let here = entry_place(store, idx);
            let one = verified == idx;
            let by = problem(
                "E-CKPT-ROOT",
                Location::Checkpoint(*size),
                ProblemKind::RootMismatch {
                    size: *size,
                    after: verified,
                    changed: match one {
                        true => (here.clone(), here),
                        false => (entry_place(store, verified), here),
                    },
                    signed,
                    later: 0,
                    last: *size,
                },
            );
            // Only a change narrowed to this one entry, under the village's signature, is
            // this entry's.
            if one && signed {
                Ok(altered(by, p))
            } else {
                Ok(vec![by, p])
            }
        }
        _ => Ok(vec![p]),
    }
}

/// `shown` (a problem on an entry that `by` shows altered), said as the alteration's
/// consequence, after `by`.
fn altered(by: Problem, shown: Problem) -> Vec<Problem> {
    let consequence = Problem {
        code: shown.code,
        location: shown.location,
        kind: ProblemKind::Altered {
            by: by.location.clone(),
            code: by.code,
            inner: Box::new(shown.kind),
        },
    };
    vec![by, consequence]
}

/// One stored entry with its leaf hash and its parse, made on the reading thread.
/// (The parse is taken out when it is handed on.)
type Prepared = (
    StoredEntry,
    Hash,
    Option<Result<Entry, crate::log::EntryProblem>>,
);

/// Every stored entry in order, read, hashed and parsed on a second thread (its own
/// connection) in batches, handed to `f` on this one. `f` stops the walk with `Err`.
fn for_each_prepared(
    store: &Store,
    mut f: impl FnMut(&StoredEntry, Hash, Result<Entry, crate::log::EntryProblem>) -> Result<(), String>,
) -> crate::error::Result<Result<(), String>> {
    // Batches are capped by entries and by bytes, and few wait: memory stays a few MB.
    const BATCH: usize = 512;
    const BATCH_BYTES: usize = 1 << 20;
    const REUSE_BYTES: usize = 4096;
    let path = store.path().to_path_buf();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Prepared>>(4);
    // Read entries go back to the reading thread, to be filled again there.
    let (back, returned) = std::sync::mpsc::channel::<Vec<Prepared>>();
    std::thread::scope(|s| {
        let reader = s.spawn(move || -> crate::error::Result<()> {
            let store = Store::open_as_found(&path)?;
            let mut batch = Vec::with_capacity(BATCH);
            let mut bytes = 0usize;
            // The entries the rules are done with come back to be filled again (their
            // buffers reused). A batch is taken back whenever spare entries or batches run
            // out, so at most a few wait; at most two batches' worth of entries are kept,
            // and a large buffer is let go: what is kept stays a few MB.
            let spare = std::cell::RefCell::new((Vec::<StoredEntry>::new(), Vec::new()));
            let take_back = |spare: &mut (Vec<StoredEntry>, Vec<Vec<Prepared>>)| {
                let Ok(mut done) = returned.try_recv() else {
                    return;
                };
                for (mut e, _, _) in done.drain(..) {
                    if spare.0.len() < 2 * BATCH {
                        if e.bytes.capacity() > REUSE_BYTES {
                            e.bytes = Vec::new();
                        }
                        spare.0.push(e);
                    }
                }
                spare.1.push(done);
            };
            let slot = || {
                let mut spare = spare.borrow_mut();
                if spare.0.is_empty() {
                    take_back(&mut spare);
                }
                spare.0.pop().unwrap_or_default()
            };
            let r = store.for_each_entry_into(slot, |e| {
                let leaf = merkle::leaf_hash(&e.bytes);
                let parsed = Entry::parse(&e.bytes);
                bytes += e.bytes.len();
                batch.push((e, leaf, Some(parsed)));
                if batch.len() == BATCH || bytes >= BATCH_BYTES {
                    bytes = 0;
                    let next = {
                        let mut spare = spare.borrow_mut();
                        if spare.1.is_empty() {
                            take_back(&mut spare);
                        }
                        spare.1.pop().unwrap_or_else(|| Vec::with_capacity(BATCH))
                    };
                    let full = std::mem::replace(&mut batch, next);
                    // The receiver is gone: it stopped the walk.
                    tx.send(full).map_err(|_| String::new())?;
                }
                Ok(())
            })?;
            if r.is_ok() && !batch.is_empty() {
                let _ = tx.send(batch);
            }
            Ok(())
        });
        let mut result = Ok(());
        'batches: for mut batch in rx.iter() {
            for (e, leaf, parsed) in batch.iter_mut() {
                let Some(parsed) = parsed.take() else {
                    continue;
                };
                if let Err(stop) = f(e, *leaf, parsed) {
                    result = Err(stop);
                    break 'batches;
                }
            }
            // The reader has stopped if this fails; the batch is freed here then.
            let _ = back.send(std::mem::take(&mut batch));
        }
        drop(rx);
        match reader.join() {
            Ok(Ok(())) => Ok(result),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(crate::error::Error::Internal(
                "the log reader panicked".into(),
            )),
        }
    })
}

/// What `check` keeps of each matter it compacted as it closed (so that memory holds the
/// open matters, not a decade of consents): its consent rows were compared with the
/// stored ones then and there (they cannot change once the matter is closed), and the
/// digest of its steps and rounds stands in for them when its snapshot row is compared.
#[derive(Default)]
pub struct Closing {
    /// Matter → what it was as it closed.
    pub digests: BTreeMap<String, ClosedMatter>,
    /// Matter → number of consent rows it had.
    pub counted: BTreeMap<String, u64>,
    /// Keys of consent rows found to differ from the stored ones.
    pub mismatches: Vec<String>,
}

impl Closing {
    /// Takes each closed matter in turn (whole, as it closed) until the log pass is done.
    fn run(
        path: &std::path::Path,
        matters: std::sync::mpsc::Receiver<(String, Matter)>,
    ) -> crate::error::Result<Closing> {
        let store = Store::open_as_found(path)?;
        let mut closing = Closing::default();
        for (id, m) in matters {
            closing.close(&store, &id, &m)?;
        }
        Ok(closing)
    }

    fn close(&mut self, store: &Store, id: &str, m: &Matter) -> crate::error::Result<()> {
        // The stored rows against the records, in the same order (round, household),
        // streamed: the first that differs (or that one side has beyond the other) is named.
        let mut rebuilt = m
            .rounds
            .iter()
            .flat_map(|r| r.records.iter().map(move |(h, c)| (r.round, h, c)));
        let mut mismatch: Option<String> = None;
        let mut date = String::new();
        store.for_each_consent_of(id, |row| {
            if mismatch.is_some() {
                return;
            }
            let Some((round, household, c)) = rebuilt.next() else {
                mismatch = Some(format!(
                    "{id}/{}/{}",
                    row.round,
                    String::from_utf8_lossy(row.household.unwrap_or_default())
                ));
                return;
            };
            put_date(&mut date, c.date);
            let same = row.round == i64::from(round)
                && row.household == Some(household.as_bytes())
                && row.opinion == Some(crate::views::opinion_name(c.opinion).as_bytes())
                && row.signer == Some(c.signer.as_bytes())
                && row.date == Some(date.as_bytes());
            if !same {
                mismatch = Some(format!("{id}/{round}/{household}"));
            }
        })?;
        if mismatch.is_none()
            && let Some((round, household, _)) = rebuilt.next()
        {
            mismatch = Some(format!("{id}/{round}/{household}"));
        }
        self.mismatches.extend(mismatch);
        let count: usize = m.rounds.iter().map(|r| r.records.len()).sum();
        self.counted.insert(id.to_string(), count as u64);
        self.digests.insert(
            id.to_string(),
            ClosedMatter {
                row: crate::snapshot::matter_row_digest(m),
                objections: m.objections.clone(),
                last_date: m.last_date,
                steps: m.steps.len(),
            },
        );
        Ok(())
    }
}

/// `d` as chrono displays it (`%Y-%m-%d`), into `out` (`crate::rules::event::ymd`).
fn put_date(out: &mut String, d: chrono::NaiveDate) {
    out.clear();
    match crate::rules::event::ymd(d) {
        Some(b) => out.push_str(std::str::from_utf8(&b).unwrap_or_default()),
        None => {
            let _ = write!(out, "{d}");
        }
    }
}

/// A matter as it closed: the digest of its snapshot row then, and the only fields that
/// may change afterwards (objections and replies may still come, and move its last date;
/// the proof that a notice was posted, `posted`, adds a step).
pub struct ClosedMatter {
    pub row: Hash,
    pub objections: Vec<crate::rules::engine::Objection>,
    pub last_date: chrono::NaiveDate,
    /// How many steps it had: those after are the ones recorded since it closed.
    pub steps: usize,
}

fn consent_key(c: &crate::store::ConsentRow) -> String {
    format!("{}/{}/{}", c.matter, c.round, c.household)
}

fn finish(
    store: &Store,
    schema: &[SchemaRow],
    log: LogPass,
    files: FilePass,
) -> crate::error::Result<Report> {
    let LogPass {
        replay,
        checkpoints,
        impossible,
        problems: log_problems,
        closing,
    } = log;
    let mut problems = Vec::new();
    let entries = replay.state.size;
    // The log pass comes first in the report: it names the entry that was touched.
    let log_broken = !log_problems.is_empty();
    problems.extend(log_problems);
    for size in impossible {
        problems.push(problem(
            "E-CKPT-SIZE",
            format!("checkpoints[{size}]"),
            ProblemKind::CheckpointImpossible { size },
        ));
    }
    for msg in files.integrity {
        problems.push(problem(
            "E-DB-INTEGRITY",
            "sqlite",
            ProblemKind::Sqlite(msg),
        ));
    }
    problems.extend(objects_altered(schema, store.version()));
    if log_broken {
        // What follows a break in the log cannot be judged against it. The report still
        // counts the log's entries, not where the walk stopped.
        return Ok(Report {
            ok: false,
            entries: store.log_end()?.0,
            problems,
            keys: None,
            origin: None,
        });
    }
    match checkpoints.last() {
        None => problems.push(problem(
            "E-CKPT-NONE",
            "checkpoints",
            ProblemKind::NoCheckpoint,
        )),
        Some((size, _, _)) if *size != entries => problems.push(problem(
            "E-CKPT-SIZE",
            at((*size).min(entries)),
            ProblemKind::Unsigned {
                signed: *size,
                entries,
            },
        )),
        _ => {}
    }
    // What the township cosigned (`checkpoint import`) must still be this log: a log cut
    // back (and perhaps continued) below a cosigned size, or rewritten under it, is not the
    // one the township saw. (The township's own signature is checked by the township.)
    // `checkpoints` is in size order; the few cosigned rows are looked up in it.
    let body = |note: &str| {
        crate::record::note::Note::parse(note.as_bytes())
            .ok()
            .map(|n| n.text)
    };
    // And each must carry a valid cosignature by the township key the record pinned at
    // its first import: a line altered, or one by another key, is not the township's word.
    let pinned = store.township_key()?;
    let pinned_key = pinned
        .as_ref()
        .and_then(|(k, _)| crate::record::keys::PublicKey::from_hex(k).ok());
    let stored = store.cosigned()?;
    if let Some((_, at)) = &pinned
        && !stored.iter().any(|(size, _)| size == at)
    {
        problems.push(problem(
            "E-CKPT-COSIG",
            "cosigned",
            ProblemKind::CosignedMissing { size: *at },
        ));
    }
    // Said after what the rows show of the log (a rollback, a fork): that is the graver.
    let mut not_by_township = Vec::new();
    for (size, note) in stored {
        let loc = Location::Cosigned(size);
        let by_township = cosigned_by(pinned_key.as_ref(), &note);
        // Beyond the log, the township's word shows it was that long, whichever village
        // key signed it.
        let vouched = size > entries && by_township;
        if !(vouched || village_signed(&replay, size, &note)) {
            problems.push(problem(
                "E-CKPT-COSIG",
                loc,
                ProblemKind::CosignedNotOurs { size },
            ));
            continue;
        }
        if let Some((hex, _)) = &pinned
            && !by_township
        {
            not_by_township.push(problem(
                "E-CKPT-COSIG",
                loc.clone(),
                ProblemKind::CosignatureNotByTownship {
                    size,
                    fingerprint: fingerprint_of(hex),
                },
            ));
        }
        if size > entries {
            problems.push(problem(
                "E-ROLLBACK",
                loc,
                ProblemKind::CosignedBeyond { size, entries },
            ));
            continue;
        }
        let ours = checkpoints
            .binary_search_by_key(&size, |(s, _, _)| *s)
            .ok()
            .and_then(|i| body(&checkpoints[i].1));
        if ours.is_none() || body(&note) != ours {
            problems.push(problem(
                "E-FORK",
                loc,
                ProblemKind::CosignedDiffers { size },
            ));
        }
    }
    problems.extend(not_by_township);
    // A lost-key rotation countersigned by another key than the township's the record
    // knows (one that cosigned its checkpoints, or countersigned an earlier rotation): a
    // takeover with a township of one's own.
    problems.extend(TownshipOfRecord::read(store)?.judge_log(&replay));
    // A stored file is placed by the entry that first names it (its matter and step), as
    // `verify` places it by its log line: a hash alone does not say which scan it is.
    let place = |sha: &str| stored_file_place(store, sha, replay.attachments.get(sha));
    for (sha, r) in &replay.attachments {
        let loc = place(sha);
        match files.hashes.get(sha) {
            None => problems.push(problem(
                "E-ATT-MISSING",
                loc,
                ProblemKind::AttachmentMissing {
                    sha256: sha.clone(),
                },
            )),
            Some((found, found_len, _)) => {
                let found = found.clone();
                if &found != sha {
                    problems.push(problem(
                        "E-ATT-HASH",
                        loc,
                        ProblemKind::AttachmentHash {
                            sha256: sha.clone(),
                            found,
                        },
                    ));
                } else if *found_len != r.size {
                    problems.push(problem(
                        "E-ATT-SIZE",
                        loc,
                        ProblemKind::AttachmentSize {
                            sha256: sha.clone(),
                            expected: r.size,
                            found: *found_len,
                        },
                    ));
                }
            }
        }
    }
    // A stored file no entry names must still be what its name says (liuyi stores a file
    // only under the hash of its bytes): one that is not was put there with another tool,
    // and an export of it would carry it.
    for (sha, (found, _, _)) in &files.hashes {
        if found != sha && !replay.attachments.contains_key(sha) {
            problems.push(problem(
                "E-ATT-HASH",
                format!("attachments/{sha}"),
                ProblemKind::AttachmentHash {
                    sha256: sha.clone(),
                    found: found.clone(),
                },
            ));
        }
    }
    // A signing key in a stored file: the record gives the key to whoever it is handed to
    // (the township archives the bundle). Whatever its date, it is to be known — unless it
    // is a key of the village's that a rotation has since retired (the record keeps it for
    // good; it signs nothing new, and failing every check after could not be mended).
    for (sha, leaked) in &files.keyed {
        let retired = leaked.as_ref().is_some_and(|k| {
            replay.state.key.as_ref() != Some(k) && replay.state.past_keys.contains(k)
        });
        if retired {
            continue;
        }
        problems.push(problem(
            "E-ATT-KEY",
            place(sha),
            ProblemKind::AttachmentHoldsKey {
                sha256: sha.clone(),
            },
        ));
    }
    // The size a stored file's row gives is what `export` declares for it: it must be the
    // length of the bytes stored.
    for (sha, (_, len, column)) in &files.hashes {
        if len != column {
            problems.push(problem(
                "E-ATT-SIZE",
                place(sha),
                ProblemKind::AttachmentSizeColumn {
                    sha256: sha.clone(),
                    column: *column,
                    found: *len,
                },
            ));
        }
    }
    // The snapshot the village key signed is of a longer log: this one was cut back. What
    // the query tables and the snapshot hold is the longer log's, and comparing them with
    // this one would name them as edited; the cut is the problem, and it is reported in their
    // place.
    if let Some(p) = snapshot_ahead(store, &replay)? {
        problems.push(p);
        return Ok(Report {
            ok: false,
            entries,
            problems,
            keys: None,
            origin: None,
        });
    }
    let (matters, people, consents) = crate::views::projections(&replay.state);
    let stored = store.matters_readable()?;
    compare(
        "matters",
        &matters,
        &stored.rows,
        |m| m.id.clone(),
        &mut problems,
    );
    unreadable_rows("matters", &stored.unreadable, &mut problems);
    let stored = store.people_readable()?;
    compare("people", &people, &stored.rows, |p| p.key(), &mut problems);
    unreadable_rows("people", &stored.unreadable, &mut problems);
    // Consents: the compacted matters' rows were compared as each closed; the open ones'
    // now; and no matter may hold more stored rows than the record gives it.
    let mut stored = Vec::new();
    let mut keys = closing.mismatches.clone();
    for id in replay.state.matters.keys() {
        if !closing.digests.contains_key(id) {
            let read = store.consents_of_readable(id)?;
            stored.extend(read.rows);
            keys.extend(read.unreadable);
        }
    }
    keys.extend(first_difference(&consents, &stored, consent_key));
    let mut expected = closing.counted.clone();
    for c in &consents {
        *expected.entry(c.matter.clone()).or_default() += 1;
    }
    let counts = &files.consent_counts;
    let all: BTreeSet<&String> = counts.keys().chain(expected.keys()).collect();
    for m in all {
        if counts.get(m).copied().unwrap_or(0) != expected.get(m).copied().unwrap_or(0) {
            keys.push(m.clone());
            break;
        }
    }
    if let Some(key) = keys.into_iter().min() {
        problems.push(problem(
            "E-PROJ",
            format!("consents/{key}"),
            ProblemKind::Projection {
                table: "consents",
                key,
            },
        ));
    }
    problems.extend(crate::snapshot::compare(
        store,
        &replay,
        &closing.digests,
        &files.snapshot_rows,
    )?);
    Ok(Report {
        ok: problems.is_empty(),
        entries,
        problems,
        keys: replay
            .state
            .key
            .clone()
            .map(|k| (k, replay.state.past_keys.clone(), replay.lost_keys.clone())),
        origin: replay.state.origin().map(str::to_string),
    })
}

/// Where a stored file is: `attachments/<sha256>`, with the entry that first names it
/// (`r`; none for a file no entry names), its matter and step read from the entry as stored.
/// Only for a file with a problem: the entry is read again for it.
pub fn stored_file_place(store: &Store, sha: &str, r: Option<&FileRef>) -> Location {
    let name = format!("attachments/{sha}");
    match r {
        None => Location::Name(name),
        Some(r) => Location::Stored {
            name,
            at: Box::new(entry_place(store, r.first)),
        },
    }
}

/// Entry `idx` of the local record as a place, with its matter and step when it reads.
pub fn entry_place(store: &Store, idx: u64) -> Location {
    let event = store
        .entry(idx)
        .ok()
        .flatten()
        .and_then(|e| Entry::parse(&e.bytes).ok())
        .map(|e| e.event);
    Location::entry(idx, event.as_ref())
}

/// The key of the first row where two ordered lists differ (or of the first row one has
/// beyond the other).
fn first_difference<T: PartialEq>(
    rebuilt: &[T],
    stored: &[T],
    key: impl Fn(&T) -> String,
) -> Option<String> {
    if let Some((a, _)) = rebuilt.iter().zip(stored.iter()).find(|(a, b)| a != b) {
        return Some(key(a));
    }
    let n = rebuilt.len().min(stored.len());
    rebuilt.get(n).or(stored.get(n)).map(key)
}

/// A row of `table` a hostile file made unreadable (`store::Readable`) is one more edited
/// row: the first is reported, unless comparing the rest already named it.
fn unreadable_rows(table: &'static str, keys: &[String], problems: &mut Vec<Problem>) {
    let Some(key) = keys.first() else {
        return;
    };
    let location = format!("{table}/{key}");
    if !problems.iter().any(|p| p.location == location.as_str()) {
        problems.push(problem(
            "E-PROJ",
            location,
            ProblemKind::Projection {
                table,
                key: key.clone(),
            },
        ));
    }
}

fn compare<T: PartialEq>(
    table: &'static str,
    rebuilt: &[T],
    stored: &[T],
    key: impl Fn(&T) -> String,
    problems: &mut Vec<Problem>,
) {
    let mismatch = rebuilt
        .iter()
        .zip(stored.iter())
        .find(|(a, b)| a != b)
        .map(|(a, _)| key(a));
    let key = match mismatch {
        Some(k) => Some(k),
        None if rebuilt.len() != stored.len() => {
            let longer = if rebuilt.len() > stored.len() {
                rebuilt
            } else {
                stored
            };
            Some(key(&longer[rebuilt.len().min(stored.len())]))
        }
        None => None,
    };
    if let Some(key) = key {
        problems.push(problem(
            "E-PROJ",
            format!("{table}/{key}"),
            ProblemKind::Projection { table, key },
        ));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn consent_dates_replace_what_the_buffer_held() {
        // The digits themselves are `rules::event::ymd`'s (tested there); here, that the
        // buffer is replaced, and a year outside 0..=9999 is written as chrono writes it.
        let mut out = String::from("left over, longer than a date");
        for (y, m, day) in [(2024, 3, 9), (10000, 1, 1), (-1, 6, 30), (999, 10, 31)] {
            let d = chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
            super::put_date(&mut out, d);
            assert_eq!(out, d.to_string());
        }
    }
}
