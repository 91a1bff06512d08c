//! The state snapshot: the rules engine's `State` kept beside the log so that a command
//! loads what it needs instead of replaying a decade of entries.
//!
//! What is stored (tables `snapshot` and `snapshot_matters`, written by `Writer::commit` in
//! the same transaction as the entries): the village part of the state (genesis, keys,
//! policy, clock, the index and leaf of each roster entry, and each matter row's stage and
//! digest), signed by the key that signed the checkpoint, and one JSON row per matter. The
//! roster history is not copied: it is rebuilt from the log's own roster entries, through
//! the engine's `State::push_roster`.
//!
//! A writing command uses the snapshot only under its own key's signature (and a matter row
//! only if it is the one signed): the rules must never judge a step against state someone
//! edited with the sqlite3 tool, since the command then signs it.
//!
//! What is loaded: the village part, the roster history, every matter that is not closed
//! (the rules look across open matters when the roster changes) and the matters a command
//! names; the others are known by id only (`State::unloaded`). The snapshot is used only
//! when its size equals the log's and the last signed checkpoint's, and its frontier gives
//! that checkpoint's root; otherwise the caller replays the whole log. It is a cache: the
//! engine still judges every new event, `liuyi check` rebuilds the state from the log and
//! compares every row (`compare`), and `verify` never reads it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::check::{Problem, ProblemKind, Replay};
use crate::record::keys::{PublicKey, SecretKey};
use crate::record::merkle::CompactRange;
use crate::record::note::pae;
use crate::rules::engine::Matter;
use crate::rules::event::{Genesis, RosterEvent, SupervisionEvent};
use crate::rules::policy::Policy;
use crate::rules::{Stage, State};
use crate::store::Store;
use sha2::Digest as _;

/// Just the type and body of a stored roster entry.
#[derive(Deserialize)]
struct RosterEntry {
    #[serde(rename = "type")]
    kind: String,
    body: RosterEvent,
}

/// What the village row signs of one matter's row: its stage (which decides whether a
/// command loads it) and the SHA-256 of its JSON.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RowRef {
    pub stage: String,
    pub sha256: String,
}

/// Matter id → its row's [`RowRef`].
pub type Rows = BTreeMap<String, RowRef>;

/// The signature's payload type (DSSE PAE): a snapshot signature cannot pass for any
/// other statement the village key signs.
const PAYLOAD_TYPE: &str = "application/vnd.liuyi.snapshot+json";

/// The village part of the state, as stored in `snapshot.state` after its signature.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Village {
    size: u64,
    genesis: Option<Genesis>,
    key: Option<String>,
    past_keys: BTreeSet<String>,
    policy: Policy,
    /// The policies in force before each change (written only once the policy changed
    /// after `init`: a record whose policy never changed keeps the row's earlier form).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    policy_changes: Vec<(chrono::NaiveDate, Policy)>,
    last_time: Option<DateTime<Utc>>,
    last_leaf: Option<String>,
    keys: Vec<(u64, String)>,
    /// (index, leaf hash) of each roster entry.
    roster_entries: Vec<(u64, String)>,
    /// Every matter's row (so a missing, added, swapped or older row is noticed).
    rows: Rows,
    /// The objection contact as last changed (written only once changed: a record that
    /// never changed it keeps the row's earlier form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    supervisor: Option<SupervisionEvent>,
}

fn village(replay: &Replay, rows: Rows) -> Village {
    let s = &replay.state;
    Village {
        size: s.size,
        genesis: s.genesis.clone(),
        key: s.key.clone(),
        past_keys: s.past_keys.clone(),
        policy: s.policy.clone(),
        policy_changes: s.policy_changes.clone(),
        last_time: s.last_time,
        last_leaf: replay.last_leaf.map(hex::encode),
        keys: replay.keys.clone(),
        roster_entries: replay
            .roster_entries
            .iter()
            .map(|(i, leaf)| (*i, hex::encode(leaf)))
            .collect(),
        rows,
        supervisor: s.supervisor.clone(),
    }
}

/// The `snapshot` row for this replay, whose matters' rows are `rows`: (size, state),
/// the state being the hex signature by `key` of the village JSON, a space, and the JSON.
///
/// The snapshot is a cache anyone who can write the file can rewrite; a writing command
/// trusts it only under the key it signs with, so that it never signs a step judged
/// against a state its own key did not write (a hand-edited policy, say).
pub fn village_row(replay: &Replay, rows: Rows, key: &SecretKey) -> (u64, String) {
    let v = village(replay, rows);
    let json = serde_json::to_string(&v).unwrap_or_default();
    let sig = key.sign(&pae(PAYLOAD_TYPE, json.as_bytes()));
    (v.size, format!("{} {json}", hex::encode(sig)))
}

/// The village row's parts: its JSON, read only once `key` (given, or else the key the
/// row names, which proves only that the row is whole) verifies the signature over it.
fn open_village(state: &str, key: Option<&PublicKey>) -> Option<Village> {
    let (sig, json) = state.split_once(' ')?;
    let sig = hex::decode(sig).ok()?;
    let v: Village = serde_json::from_str(json).ok()?;
    let named;
    let key = match key {
        Some(k) => k,
        None => {
            named = PublicKey::from_hex(v.key.as_deref()?).ok()?;
            &named
        }
    };
    key.verify_strict(&pae(PAYLOAD_TYPE, json.as_bytes()), &sig)
        .ok()?;
    Some(v)
}

/// What the village row says of the log it was written for, once a signature over it
/// verifies: by `key`, or (`None`) by the key the row names.
pub struct SignedEnd {
    /// The village key the row names.
    pub key: Option<String>,
    /// The keys the record was signed with before it (retired by rotations).
    pub past_keys: BTreeSet<String>,
    pub size: u64,
    /// The last entry's leaf, hex.
    pub last_leaf: Option<String>,
}

/// The village row's [`SignedEnd`], if it is signed as asked. A writing command given
/// another key file is told so from it at once (instead of after replaying a decade to find
/// the key the log names), and one finds in it how far the log its key signed went.
pub fn signed_end(
    store: &Store,
    key: Option<&PublicKey>,
) -> crate::error::Result<Option<SignedEnd>> {
    Ok(store
        .snapshot()?
        .and_then(|(_, state)| open_village(&state, key))
        .map(|v| SignedEnd {
            key: v.key,
            past_keys: v.past_keys,
            size: v.size,
            last_leaf: v.last_leaf,
        }))
}

/// The `snapshot_matters` row for a matter: (id, stage, JSON).
pub fn matter_row(m: &Matter) -> (String, String, String) {
    (
        m.id.clone(),
        m.stage.as_str().to_string(),
        serde_json::to_string(m).unwrap_or_default(),
    )
}

/// What the village row signs of a matter row (`matter_row`'s stage and JSON).
pub fn row_ref(stage: &str, json: &str) -> RowRef {
    RowRef {
        stage: stage.to_string(),
        sha256: hex::encode(sha2::Sha256::digest(json.as_bytes())),
    }
}

/// The SHA-256 of a matter's snapshot row (`matter_row(m).2`), serialised straight into
/// the hash.
///
/// `check` takes it of every matter as it closes, every consent of its rounds included
/// (two million in a decade). serde_json spent most of that time on its generic path for
/// each key and short string; [`RowWriter`] writes the rounds' households and consents
/// itself, byte for byte as serde_json does (the tests hold the two equal), and leaves
/// everything else to serde_json.
pub fn matter_row_digest(m: &Matter) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut w = RowWriter(HashWriter::new());
    if w.matter(m).is_err() {
        // As `matter_row`: a matter that does not serialise is the empty row.
        return Sha256::digest(b"").into();
    }
    w.0.finish()
}

/// Writes a matter's snapshot row as `serde_json::to_string` does (derive order, the
/// same skipped fields, the same escapes). Each struct is taken apart without `..`, so a
/// field added to `Matter`, `Round` or `ConsentEvent` does not compile until it is
/// written here too.
struct RowWriter(HashWriter);

impl RowWriter {
    fn raw(&mut self, b: &[u8]) {
        self.0.put(b);
    }

    /// Any value, through serde_json.
    fn json<T: Serialize + ?Sized>(&mut self, v: &T) -> serde_json::Result<()> {
        serde_json::to_writer(&mut self.0, v)
    }

    /// A JSON string: as it is when nothing in it needs an escape (serde_json escapes only
    /// `"`, `\\` and control characters), else through serde_json.
    fn str(&mut self, s: &str) -> serde_json::Result<()> {
        if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            self.raw(b"\"");
            self.raw(s.as_bytes());
            self.raw(b"\"");
            Ok(())
        } else {
            self.json(s)
        }
    }

    fn uint(&mut self, n: u64) {
        let mut buf = itoa::Buffer::new();
        self.raw(buf.format(n).as_bytes());
    }

    /// A date as chrono's `Serialize` and `event::serialize_date` write it.
    fn date(&mut self, d: chrono::NaiveDate) -> serde_json::Result<()> {
        match crate::rules::event::ymd(d) {
            Some(b) => {
                self.raw(b"\"");
                self.raw(&b);
                self.raw(b"\"");
                Ok(())
            }
            None => self.json(&d),
        }
    }

    fn matter(&mut self, m: &Matter) -> serde_json::Result<()> {
        let Matter {
            id,
            title,
            text,
            category,
            amount,
            by,
            stage,
            last_date,
            steps,
            plan_version,
            plan,
            budget,
            funding,
            rounds,
            objections,
            spent,
        } = m;
        self.raw(b"{\"id\":");
        self.str(id)?;
        self.raw(b",\"title\":");
        self.str(title)?;
        self.raw(b",\"text\":");
        self.str(text)?;
        self.raw(b",\"category\":");
        self.json(category)?;
        self.raw(b",\"amount\":");
        self.json(amount)?;
        self.raw(b",\"by\":");
        self.json(by)?;
        self.raw(b",\"stage\":");
        self.json(stage)?;
        self.raw(b",\"last_date\":");
        self.json(last_date)?;
        self.raw(b",\"steps\":");
        self.json(steps)?;
        self.raw(b",\"plan_version\":");
        self.uint(u64::from(*plan_version));
        self.raw(b",\"plan\":");
        self.json(plan)?;
        self.raw(b",\"budget\":");
        self.json(budget)?;
        self.raw(b",\"funding\":");
        self.json(funding)?;
        self.raw(b",\"rounds\":[");
        for (i, r) in rounds.iter().enumerate() {
            if i > 0 {
                self.raw(b",");
            }
            self.round(r)?;
        }
        self.raw(b"],\"objections\":");
        self.json(objections)?;
        self.raw(b",\"spent\":");
        self.json(spent)?;
        self.raw(b"}");
        Ok(())
    }

    fn round(&mut self, r: &crate::rules::engine::Round) -> serde_json::Result<()> {
        let crate::rules::engine::Round {
            round,
            opened,
            adults,
            scope,
            left,
            records,
            sheets,
            objected,
            compacted: _,
        } = r;
        self.raw(b"{\"round\":");
        self.uint(u64::from(*round));
        self.raw(b",\"opened\":");
        self.date(*opened)?;
        if *adults {
            self.raw(b",\"adults\":true");
        }
        self.raw(b",\"scope\":[");
        for (i, h) in scope.iter().enumerate() {
            if i > 0 {
                self.raw(b",");
            }
            self.str(h)?;
        }
        self.raw(b"],\"left\":");
        self.json(left)?;
        self.raw(b",\"records\":{");
        for (i, (h, c)) in records.iter().enumerate() {
            if i > 0 {
                self.raw(b",");
            }
            self.str(h)?;
            self.raw(b":");
            self.consent(c)?;
        }
        self.raw(b"},\"sheets\":");
        self.json(sheets)?;
        if !objected.is_empty() {
            self.raw(b",\"objected\":");
            self.json(objected)?;
        }
        self.raw(b"}");
        Ok(())
    }

    fn consent(&mut self, c: &crate::rules::event::ConsentEvent) -> serde_json::Result<()> {
        use crate::rules::event::{ConsentEvent, Method, Opinion};
        let ConsentEvent {
            id,
            round,
            household,
            date,
            opinion,
            signer,
            method,
            person,
            reason,
            relation,
            collector,
            evidence,
            sheet_page,
        } = c;
        self.raw(b"{\"id\":");
        self.str(id)?;
        self.raw(b",\"round\":");
        self.uint(u64::from(*round));
        self.raw(b",\"household\":");
        self.str(household)?;
        self.raw(b",\"date\":");
        self.date(*date)?;
        self.raw(b",\"opinion\":");
        self.raw(match opinion {
            Opinion::Consent => b"\"consent\"",
            Opinion::Object => b"\"object\"",
        });
        self.raw(b",\"signer\":");
        self.str(signer)?;
        self.raw(b",\"method\":");
        self.raw(match method {
            Method::InPerson => b"\"in-person\"".as_slice(),
            Method::SameHousehold => b"\"same-household\"",
            Method::Remote => b"\"remote\"",
            Method::Proxy => b"\"proxy\"",
        });
        for (key, v) in [
            (b",\"person\":".as_slice(), person),
            (b",\"reason\":", reason),
            (b",\"relation\":", relation),
            (b",\"collector\":", collector),
        ] {
            if let Some(v) = v {
                self.raw(key);
                self.str(v)?;
            }
        }
        if let Some(e) = evidence {
            self.raw(b",\"evidence\":");
            self.json(e)?;
        }
        if let Some(p) = sheet_page {
            self.raw(b",\"sheet_page\":");
            self.uint(u64::from(*p));
        }
        self.raw(b"}");
        Ok(())
    }
}

/// SHA-256 of what is written to it. A serialiser writes a few bytes at a time; they are
/// gathered before hashing (a decade's matters are 2 million consents' worth of small
/// writes, and each hasher update has its own cost).
struct HashWriter {
    hash: sha2::Sha256,
    buf: Vec<u8>,
}

impl HashWriter {
    const CAPACITY: usize = 1 << 16;

    fn new() -> Self {
        HashWriter {
            hash: <sha2::Sha256 as sha2::Digest>::new(),
            buf: Vec::with_capacity(Self::CAPACITY),
        }
    }

    fn finish(mut self) -> [u8; 32] {
        use sha2::Digest;
        self.hash.update(&self.buf);
        self.hash.finalize().into()
    }

    #[inline]
    fn put(&mut self, data: &[u8]) {
        if self.buf.len() + data.len() > Self::CAPACITY {
            self.spill(data);
        } else {
            self.buf.extend_from_slice(data);
        }
    }

    #[cold]
    fn spill(&mut self, data: &[u8]) {
        use sha2::Digest;
        self.hash.update(&self.buf);
        self.buf.clear();
        if data.len() >= Self::CAPACITY {
            self.hash.update(data);
        } else {
            self.buf.extend_from_slice(data);
        }
    }
}

impl std::io::Write for HashWriter {
    #[inline]
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.put(data);
        Ok(data.len())
    }

    // serde_json writes every token with `write_all`: the default one loops over `write`
    // and was most of the digest's time.
    #[inline]
    fn write_all(&mut self, data: &[u8]) -> std::io::Result<()> {
        self.put(data);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn stage_open(stage: &str) -> bool {
    Stage::parse(stage).is_none_or(|s| !s.is_closed())
}

/// Loads the state from the snapshot with the open matters and those in `want`, or `None`
/// when there is no usable snapshot (then replay the log). A writing command gives its
/// `key`: the village row must bear that key's signature. Without one (reading commands),
/// the key the row names: a row damaged by accident is not used, a forged one may be
/// (what reading commands print is a projection; `check` compares it with the log).
pub fn load(
    store: &Store,
    want: &[&str],
    key: Option<&PublicKey>,
) -> crate::error::Result<Option<Replay>> {
    let Some((size, state)) = store.snapshot()? else {
        return Ok(None);
    };
    let (entries, last_leaf) = store.log_end()?;
    let Some((signed, note, frontier)) = store.last_checkpoint()? else {
        return Ok(None);
    };
    if size != entries || signed != entries {
        return Ok(None);
    }
    let Some(v) = open_village(&state, key) else {
        return Ok(None);
    };
    if v.policy_changes.is_empty() && !policy_never_changed(store, &v.policy)? {
        // A row an earlier liuyi wrote (it kept no policy history) of a record whose
        // policy changed since `init`: replayed, so that a meeting is judged by the policy
        // of its day; the command then writes the row in this version's form.
        return Ok(None);
    }
    if v.last_leaf != last_leaf.map(hex::encode) || v.size != size {
        return Ok(None);
    }
    // The frontier must be the one the last signed checkpoint's root was computed from.
    let Ok(range) = CompactRange::from_bytes(&frontier) else {
        return Ok(None);
    };
    let root_ok = crate::record::note::Note::parse(note.as_bytes())
        .ok()
        .and_then(|n| crate::record::note::Checkpoint::parse_body(&n.text).ok())
        .is_some_and(|cp| cp.size == size && cp.root == range.root());
    if !root_ok || range.size() != size {
        return Ok(None);
    }
    let mut state = State {
        genesis: v.genesis,
        key: v.key,
        past_keys: v.past_keys,
        policy: v.policy,
        policy_changes: v.policy_changes,
        size,
        last_time: v.last_time,
        supervisor: v.supervisor,
        ..State::default()
    };
    // The roster history from the log's roster entries, each the bytes whose leaf the row
    // signed. These bytes were judged when they were appended and `check` re-parses them
    // strictly; here only their body is read (the strict parse of a 2,000-household
    // roster was most of a command's time), and the entries of one day are applied as one
    // version, as `RosterHistory::push` keeps them.
    let mut roster_entries = Vec::with_capacity(v.roster_entries.len());
    let mut day: Option<RosterEvent> = None;
    for (idx, leaf) in &v.roster_entries {
        let Some(e) = store.entry(*idx)? else {
            return Ok(None);
        };
        let hash = crate::record::merkle::leaf_hash(&e.bytes);
        if hex::encode(hash) != *leaf {
            return Ok(None);
        }
        roster_entries.push((*idx, hash));
        let Ok(RosterEntry { kind, body: r }) = serde_json::from_slice::<RosterEntry>(&e.bytes)
        else {
            return Ok(None);
        };
        if kind != "roster" {
            return Ok(None);
        }
        match &mut day {
            Some(d) if d.date == r.date => d.changes.extend(r.changes),
            _ => {
                if let Some(d) = day.take() {
                    state.push_roster(&d);
                }
                day = Some(r);
            }
        }
    }
    if let Some(d) = day {
        state.push_roster(&d);
    }
    let mut replay = Replay {
        state,
        range,
        last_leaf: v
            .last_leaf
            .and_then(|h| hex::decode(h).ok()?.try_into().ok()),
        keys: v.keys,
        attachments: BTreeMap::new(),
        roster_entries,
        snapshot_rows: Rows::new(),
        lean: false,
        closed: Vec::new(),
        // Not kept in the snapshot: a lost-key recovery, which judges them, replays, and
        // so does `check`, which holds the key file to them.
        countersigned: Vec::new(),
        lost_keys: BTreeSet::new(),
    };
    for (id, row) in &v.rows {
        if stage_open(&row.stage) || want.contains(&id.as_str()) {
            if !load_matter(store, &mut replay.state, id, row)? {
                return Ok(None);
            }
        } else {
            replay.state.unloaded.insert(id.clone());
        }
    }
    replay.snapshot_rows = v.rows;
    Ok(Some(replay))
}

/// Loads matter `id` from its row, which must be the one the village row signed.
fn load_matter(
    store: &Store,
    state: &mut State,
    id: &str,
    row: &RowRef,
) -> crate::error::Result<bool> {
    let Some((stage, json)) = store.snapshot_matter(id)? else {
        return Ok(false);
    };
    if row_ref(&stage, &json) != *row {
        return Ok(false);
    }
    match serde_json::from_str::<Matter>(&json) {
        Ok(m) if m.id == id && m.stage.as_str() == stage => {
            state.matters.insert(id.to_string(), m);
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Loads matter `id` if the state knows it only by id. `false` when its row is not the
/// one the village row signed (the caller then replays the log).
pub fn ensure(store: &Store, replay: &mut Replay, id: &str) -> crate::error::Result<bool> {
    if !replay.state.unloaded.contains(id) {
        return Ok(true);
    }
    let Some(row) = replay.snapshot_rows.get(id) else {
        return Ok(false);
    };
    if !load_matter(store, &mut replay.state, id, row)? {
        return Ok(false);
    }
    replay.state.unloaded.remove(id);
    Ok(true)
}

/// Whether `now`, the policy a snapshot row holds without a policy history, is `init`'s
/// (entry 1, or the default policy when that entry is not a policy): a row an earlier
/// liuyi wrote holds no history either, and one whose policy is not `init`'s has one it
/// lacks. (A policy changed and changed back under an earlier liuyi is not told.)
fn policy_never_changed(store: &Store, now: &Policy) -> crate::error::Result<bool> {
    let first = match store.entry(1)? {
        Some(e) => match crate::log::Entry::parse(&e.bytes) {
            Ok(crate::log::Entry {
                event: crate::rules::Event::Policy(p),
                ..
            }) => p.policy,
            Ok(_) => Policy::default(),
            // A damaged entry is `check`'s to report; the signed row stands meanwhile (a
            // re-print proved by a checkpoint needs no replay, which the damage stops).
            Err(_) => return Ok(true),
        },
        None => Policy::default(),
    };
    Ok(first == *now)
}

/// `check`: the stored snapshot against the state rebuilt from the whole log. An absent
/// snapshot is fine (commands then replay); a present one must match row for row.
///
/// A matter compacted as it closed (`closed`: its id → the digest of its steps and rounds
/// before compaction) is compared by parts: the stored row must be the one spelling of
/// what it holds, its steps and rounds must have that digest, and everything else must
/// equal the rebuilt matter.
pub fn compare(
    store: &Store,
    replay: &Replay,
    closed: &BTreeMap<String, crate::check::ClosedMatter>,
    stored: &[StoredRow],
) -> crate::error::Result<Vec<Problem>> {
    let mut problems = Vec::new();
    let bad = |key: String| Problem {
        code: "E-PROJ",
        location: format!("snapshot/{key}").into(),
        kind: ProblemKind::Projection {
            table: "snapshot",
            key,
        },
    };
    let present = store.snapshot()?;
    // The rows the village row signed, when it is in this version's form; one made by an
    // earlier version (plain JSON, unsigned) is not used by any command, and the next
    // writing command replaces it.
    let mut signed_rows: Option<Rows> = None;
    if let Some((size, state)) = &present
        && !state.starts_with('{')
    {
        let key = replay
            .state
            .key
            .as_deref()
            .and_then(|k| PublicKey::from_hex(k).ok());
        let ok = match key.as_ref().and_then(|k| open_village(state, Some(k))) {
            Some(v) => {
                let rows_match = v.rows.len() == replay.state.matters.len()
                    && v.rows.iter().all(|(id, r)| {
                        replay
                            .state
                            .matters
                            .get(id)
                            .is_some_and(|m| m.stage.as_str() == r.stage)
                    });
                // A row without a policy history may be an earlier liuyi's, which kept
                // none (commands replay such a row when the policy changed since `init`).
                let mut rebuilt = village(replay, v.rows.clone());
                if v.policy_changes.is_empty() {
                    rebuilt.policy_changes.clear();
                }
                let ok = rows_match && *size == replay.state.size && v == rebuilt;
                signed_rows = Some(v.rows);
                ok
            }
            None => false,
        };
        if !ok {
            problems.push(bad("village".into()));
        }
    }
    let mut seen = BTreeSet::new();
    let mut first_bad: Option<String> = None;
    for StoredRow { id, stage, sha256 } in stored {
        let ok = match sha256 {
            None => false,
            Some(sha256) => {
                let signed = signed_rows.as_ref().is_none_or(|rows| {
                    rows.get(id).is_some_and(|r| {
                        r.stage == *stage && r.sha256 == hex::encode(sha256.as_slice())
                    })
                });
                signed
                    && match (replay.state.matters.get(id), closed.get(id)) {
                        (None, _) => false,
                        (Some(m), None) => {
                            m.id == *id
                                && m.stage.as_str() == stage
                                && matter_row_digest(m) == *sha256
                        }
                        (Some(m), Some(c)) => {
                            stage == m.stage.as_str() && same_compacted(store, m, c, id, sha256)?
                        }
                    }
            }
        };
        if !ok && first_bad.is_none() {
            first_bad = Some(id.clone());
        }
        seen.insert(id);
    }
    if first_bad.is_none() && (present.is_some() || !seen.is_empty()) {
        first_bad = replay
            .state
            .matters
            .keys()
            .find(|k| !seen.contains(*k))
            .cloned();
    }
    problems.extend(first_bad.map(bad));
    Ok(problems)
}

/// Whether the stored row whose SHA-256 is `sha256` is the snapshot row of `m`, a matter
/// compacted as it closed (`c`: what it was then). The stored row must be the one spelling
/// of a matter that, with the fields a closed matter may still change (objections, last
/// date, steps added since) set back to what they were as it closed, is the row it had then,
/// and whose current values of those fields are the rebuilt ones. (Only then is the row itself read again.)
fn same_compacted(
    store: &Store,
    m: &Matter,
    c: &crate::check::ClosedMatter,
    id: &str,
    sha256: &[u8; 32],
) -> crate::error::Result<bool> {
    use sha2::{Digest, Sha256};
    let digest = |b: &[u8]| <[u8; 32]>::from(Sha256::digest(b));
    let unchanged =
        m.last_date == c.last_date && m.objections == c.objections && m.steps.len() == c.steps;
    if unchanged {
        return Ok(*sha256 == c.row);
    }
    // Read again, it must still be the row whose digest was taken.
    let Some(bytes) = store.snapshot_matter_bytes(id)? else {
        return Ok(false);
    };
    if digest(&bytes) != *sha256 {
        return Ok(false);
    }
    let Ok(json) = String::from_utf8(bytes) else {
        return Ok(false);
    };
    let Ok(mut stored) = serde_json::from_str::<Matter>(&json) else {
        return Ok(false);
    };
    if stored.id != id || serde_json::to_string(&stored).ok().as_deref() != Some(json.as_str()) {
        return Ok(false);
    }
    // The steps recorded since it closed (a `posted` proof) are the rebuilt ones, after
    // the ones it had then.
    let since = |steps: &[crate::rules::engine::Step]| steps.get(c.steps..).map(<[_]>::to_vec);
    if stored.objections != m.objections
        || stored.last_date != m.last_date
        || stored.steps.len() != m.steps.len()
        || since(&stored.steps) != since(&m.steps)
    {
        return Ok(false);
    }
    stored.objections = c.objections.clone();
    stored.last_date = c.last_date;
    stored.steps.truncate(c.steps);
    Ok(serde_json::to_string(&stored).is_ok_and(|s| digest(s.as_bytes()) == c.row))
}

/// One stored `snapshot_matters` row as `check` compares it: its id and stage, and the
/// SHA-256 of its JSON (`None` if the column does not hold text). Read on `check`'s second
/// connection while the log is replayed, so the comparison at the end reads no row again
/// (but a closed matter's that changed since it closed).
pub struct StoredRow {
    pub id: String,
    pub stage: String,
    pub sha256: Option<[u8; 32]>,
}

/// Every stored matter snapshot row, in id order, as [`StoredRow`]s.
pub fn stored_rows(store: &Store) -> crate::error::Result<Vec<StoredRow>> {
    use sha2::{Digest, Sha256};
    let mut out = Vec::new();
    store.for_each_snapshot_matter(|id, stage, state| {
        out.push(StoredRow {
            id,
            stage,
            sha256: state.map(|b| Sha256::digest(b).into()),
        });
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::HashWriter;
    use sha2::Digest;
    use std::io::Write;

    #[test]
    fn the_gathering_hasher_gives_the_digest_of_everything_written() {
        // Writes of every size around the buffer's capacity, in a deterministic mix.
        let data: Vec<u8> = (0..(5 * HashWriter::CAPACITY + 77))
            .map(|i| (i * 31 % 251) as u8)
            .collect();
        let cap = HashWriter::CAPACITY;
        for sizes in [
            vec![1usize, 3, 17],
            vec![cap - 1, 1, 2],
            vec![cap, 5],
            vec![cap + 1, 10, cap * 2],
            vec![7, cap * 3],
        ] {
            let mut w = HashWriter::new();
            let (mut at, mut k) = (0, 0);
            while at < data.len() {
                let n = sizes[k % sizes.len()].min(data.len() - at);
                w.write_all(&data[at..at + n]).unwrap();
                at += n;
                k += 1;
            }
            assert_eq!(
                w.finish(),
                <[u8; 32]>::from(sha2::Sha256::digest(&data)),
                "{sizes:?}"
            );
        }
        assert_eq!(
            HashWriter::new().finish(),
            <[u8; 32]>::from(sha2::Sha256::digest(b""))
        );
    }
}
