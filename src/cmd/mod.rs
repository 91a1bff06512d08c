//! One file per command family. Each turns parsed arguments into events, runs them
//! through the rules engine (`Writer::append`), and commits them with one signed
//! checkpoint (`Writer::commit`). Nothing is written unless every event was accepted.

pub mod bundle;
pub mod check;
pub mod consult;
pub mod demo;
pub mod generate;
pub mod init;
pub mod key;
pub mod notice;
pub mod policy;
pub mod roster;
pub mod stages;
pub mod supervision;
pub mod township;
pub mod views;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use crate::check::{Replay, load_fast};
use crate::error::{Error, Result, Usage};
use crate::i18n::Lang;
use crate::log::Entry;
use crate::record::canonical::nfc;
use crate::record::keys::{SecretKey, read_key_file};
use crate::record::note::{Checkpoint, sign_checkpoint};
use crate::rules::engine::local_date;
use crate::rules::event::{AttachmentRef, Fen};
use crate::rules::{Event, State};
use crate::store::{Batch, FileBytes, NewFile, Store};

/// Largest file we attach or read as text (SQLite blobs top out at 1 GB).
pub const MAX_ATTACHMENT: u64 = 256 * 1024 * 1024;
pub const MAX_TEXT_FILE: u64 = 1024 * 1024;

/// What every command knows: language, paths and the (pinnable) clock.
pub struct Ctx {
    pub lang: Lang,
    pub db: PathBuf,
    pub key: PathBuf,
    pub now: DateTime<Utc>,
    /// Suppress normal output (the demo drives commands and prints its own summary).
    pub quiet: bool,
}

impl Ctx {
    pub fn today(&self) -> NaiveDate {
        local_date(self.now)
    }

    /// `--date D`, or today.
    pub fn date(&self, arg: &Option<String>) -> Result<NaiveDate> {
        match arg {
            None => Ok(self.today()),
            Some(s) => parse_date(s),
        }
    }

    /// Prints a line on stdout (a closed pipe is not an error).
    pub fn say(&self, text: &str) {
        if self.quiet {
            return;
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
    }

    /// Prints a line on stderr (a closed pipe is not an error: `eprintln!` panics on one).
    pub fn tell(&self, text: &str) {
        to_stderr(text);
    }

    pub fn print_json(&self, v: &serde_json::Value) {
        let text = serde_json::to_string_pretty(v).unwrap_or_default();
        self.say(&text);
    }
}

/// A line on stderr, ignoring a closed pipe (`liuyi verify … 2>&1 | head -1` must still exit
/// with its own code, not a panic's).
pub fn to_stderr(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

pub fn parse_date(s: &str) -> Result<NaiveDate> {
    let t = s.trim();
    let d = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| Usage::BadDate(s.to_string()))?;
    if d.format("%Y-%m-%d").to_string() != t {
        return Err(Usage::BadDate(s.to_string()).into());
    }
    Ok(d)
}

/// Yuan with up to two decimals ("326000", "326000.5", "326,000.00") → fen.
pub fn parse_yuan(s: &str) -> Result<Fen> {
    let bad = || Error::Usage(Usage::BadAmount(s.to_string()));
    let t = s.trim().trim_start_matches(['¥', '￥']);
    // "326000元整" and "32.6万元" as amounts are written on Chinese forms.
    let t = t.strip_suffix('整').unwrap_or(t).trim_end();
    let t = t.strip_suffix('元').unwrap_or(t).trim_end();
    let (t, wan) = match t.strip_suffix('万') {
        Some(rest) => (rest.trim_end(), true),
        None => (t, false),
    };
    let t: String = t.replace('，', ",");
    // Commas only as thousands separators (326,000.50): elsewhere a comma is a decimal
    // point or two figures side by side, and dropping it would record another amount.
    let t: String = match t.split_once('.').map_or(t.as_str(), |(i, _)| i) {
        int if int.contains(',') => {
            let mut groups = int.split(',');
            let first = groups.next().unwrap_or_default();
            let grouped = (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3);
            if !grouped || t.split_once('.').is_some_and(|(_, f)| f.contains(',')) {
                return Err(bad());
            }
            t.replace(',', "")
        }
        _ if t.contains(',') => return Err(bad()),
        _ => t,
    };
    if t.starts_with('-') {
        return Err(Error::Usage(Usage::AmountNegative(s.to_string())));
    }
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    // In 万 (ten thousand yuan) a fen is the sixth decimal.
    let (places, digits) = if wan { (6, 9) } else { (2, 13) };
    if t.ends_with('.')
        || int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > places
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    if int.trim_start_matches('0').len() > digits {
        return Err(Error::Usage(Usage::AmountTooLarge(s.to_string())));
    }
    if wan {
        let whole: i64 = int.parse().map_err(|_| bad())?;
        let part: i64 = format!("{frac:0<6}").parse().map_err(|_| bad())?;
        return Ok(whole * 1_000_000 + part);
    }
    let yuan: i64 = int.parse().map_err(|_| bad())?;
    let mut fen: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| bad())?
    };
    if frac.len() == 1 {
        fen *= 10;
    }
    Ok(yuan * 100 + fen)
}

/// Opens a regular file for reading if it is at most `max` bytes (a pipe or a device is
/// refused: it could block or never end).
fn open_capped(path: &Path, max: u64) -> Result<std::fs::File> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() && !meta.is_dir() {
        return Err(Usage::NotAFile {
            path: path.to_path_buf(),
        }
        .into());
    }
    if meta.len() > max {
        return Err(too_large(path, meta.len(), max));
    }
    std::fs::File::open(path).map_err(|e| Error::io(path, e))
}

const _: () = assert!(crate::cmd::roster::MAX_ROSTER_FILE == crate::cmd::consult::MAX_CONSENT_FILE);

fn too_large(path: &Path, size: u64, max: u64) -> Error {
    // What the file was given as, told by the cap its reader set.
    let given_as = match max {
        MAX_TEXT_FILE => crate::error::FileUse::Text,
        // (The consent file's cap is the roster's, as asserted below.)
        crate::cmd::roster::MAX_ROSTER_FILE => crate::error::FileUse::Table,
        _ => crate::error::FileUse::Small,
    };
    Usage::FileTooLarge {
        path: path.to_path_buf(),
        size,
        max,
        given_as,
    }
    .into()
}

/// Reads a whole file with a size cap.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>> {
    let file = open_capped(path, max)?;
    let mut data = Vec::with_capacity(file.metadata().map_or(0, |m| m.len()) as usize);
    use std::io::Read;
    file.take(max + 1)
        .read_to_end(&mut data)
        .map_err(|e| Error::io(path, e))?;
    if data.len() as u64 > max {
        return Err(too_large(path, data.len() as u64, max));
    }
    Ok(data)
}

/// The SHA-256 (hex) and size of a file to attach, with a size cap, read a piece at a
/// time: it is not held in memory, its bytes go from the file to the database at commit.
/// An empty file (it evidences nothing) and a signing key file are refused.
pub fn hash_capped(path: &Path, max: u64) -> Result<(String, u64)> {
    use std::io::Read;
    let as_attachment = |e: Error| match e {
        Error::Usage(Usage::FileTooLarge {
            path, size, max, ..
        }) => Error::Usage(Usage::FileTooLarge {
            path,
            size,
            max,
            given_as: crate::error::FileUse::Attachment,
        }),
        e => e,
    };
    let mut file = open_capped(path, max).map_err(as_attachment)?.take(max + 1);
    let mut buf = vec![0u8; 1 << 20];
    let crate::record::Digested {
        sha256,
        len: size,
        holds_key: key,
        ..
    } = crate::record::digest_of_reader(&mut file, &mut buf).map_err(|e| Error::io(path, e))?;
    if size > max {
        return Err(as_attachment(too_large(path, size, max)));
    }
    let path = path.to_path_buf();
    if size == 0 {
        return Err(Usage::EmptyFile { path }.into());
    }
    if key {
        return Err(Usage::SecretKeyFile { path }.into());
    }
    Ok((sha256, size))
}

// A signing key found anywhere in a file or a text to record is refused: a key pasted into
// a plan is as lost as one attached (`record::KEY_MARKER`).
use crate::record::holds_key;

/// Words the next-step hints put where the secretary types a value (`--signer 签字人`): a
/// hint copied as it stands would record them as a name or a text on a notice.
const PLACEHOLDERS: &[&str] = &[
    "签字人",
    "异议人",
    "异议内容",
    "答复内容",
    "进展情况",
    "验收人",
    "理由",
    "张贴地点",
];

/// A text file (plan, resolution text) in UTF-8 (BOM allowed), UTF-16 with a BOM or
/// GB18030, as the roster reader accepts them; NFC. A key file is refused (its text would be
/// recorded and printed), and so is a control or invisible formatting character, naming the
/// file and its line (not the flag the text would have come from).
pub fn read_text_file(path: &Path) -> Result<String> {
    let data = read_capped(path, MAX_TEXT_FILE)?;
    if holds_key(&data) {
        return Err(Usage::SecretKeyFile {
            path: path.to_path_buf(),
        }
        .into());
    }
    let not_text = || Usage::NotText {
        path: path.to_path_buf(),
    };
    let text = match crate::input::decode::decode(&data) {
        Ok((text, _)) => text,
        // UTF-8 with a NUL in it is text with a character that cannot be recorded: said
        // below with its line, not as "not a text file".
        Err(p) if matches!(p.kind, crate::input::ProblemKind::Binary { .. }) => {
            let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&data);
            std::str::from_utf8(body)
                .map_err(|_| not_text())?
                .to_string()
        }
        Err(_) => return Err(not_text().into()),
    };
    // Also once decoded: a key file saved as UTF-16 names the file, not a field.
    if crate::record::text_holds_key(&text) {
        return Err(Usage::SecretKeyFile {
            path: path.to_path_buf(),
        }
        .into());
    }
    let lines = line_ends(&text);
    if let Some((i, ch)) = lines
        .char_indices()
        .find(|&(_, c)| crate::input::normalize::is_forbidden(c) && c != '\n')
    {
        return Err(Usage::ForbiddenCharInFile {
            path: path.to_path_buf(),
            line: lines[..i].matches('\n').count() + 1,
            ch,
        }
        .into());
    }
    let text = text_of(&text);
    if text.is_empty() {
        return Err(Usage::EmptyText { what: "file" }.into());
    }
    Ok(text)
}

/// NFC-normalised, trimmed user text. Line ends become `\n` and tabs spaces (a tab does
/// not print); any other control character is refused when the event is recorded.
pub fn text(s: &str) -> String {
    text_of(s)
}

fn text_of(s: &str) -> String {
    nfc(line_ends(s).trim())
}

/// Line ends as `\n`, tabs as spaces.
fn line_ends(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace(['\r'], "\n")
        .replace('\t', " ")
}

use crate::rules::text::SINGLE_LINE;

/// Every text of `event` that would be recorded is one that can be (see `check_texts`).
pub fn check_event_texts(event: &Event) -> Result<()> {
    let value = serde_json::to_value(event).map_err(|e| Error::Internal(e.to_string()))?;
    check_texts(&value, "")
}

/// Every text of an event that would be recorded: no control or invisible formatting
/// character, and no line break in a one-line field (SPEC: every bad input refused).
fn check_texts(v: &serde_json::Value, field: &str) -> Result<()> {
    use serde_json::Value;
    match v {
        Value::String(s) if crate::record::text_holds_key(s) => Err(Usage::SecretKeyText {
            field: field.to_string(),
        }
        .into()),
        Value::String(s) if PLACEHOLDERS.contains(&s.as_str()) => Err(Usage::PlaceholderText {
            field: field.to_string(),
            value: s.clone(),
        }
        .into()),
        Value::String(s) => {
            let multi = !SINGLE_LINE.contains(&field);
            match crate::input::normalize::first_forbidden(s, multi) {
                Some(ch) => Err(Usage::ForbiddenChar {
                    field: field.to_string(),
                    ch,
                }
                .into()),
                None => Ok(()),
            }
        }
        Value::Array(a) => a.iter().try_for_each(|x| check_texts(x, field)),
        Value::Object(o) => o.iter().try_for_each(|(k, x)| check_texts(x, k)),
        _ => Ok(()),
    }
}

pub fn opt_text(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| text(s)).filter(|s| !s.is_empty())
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// An open write transaction: the state as of now, and the events this command appends.
pub struct Writer {
    pub store: Store,
    pub replay: Replay,
    key: SecretKey,
    now: DateTime<Utc>,
    entries: Vec<crate::store::NewEntry>,
    attachments: Vec<NewFile>,
    touched: BTreeSet<String>,
    /// (matter, household) of the consents this command records: the only consent rows
    /// that change (rewriting a whole 2,000-household round on every step was the cost).
    consents: BTreeSet<(String, String)>,
    roster_changed: bool,
    /// The state came from the snapshot (else it was replayed, and commit rewrites every
    /// matter's snapshot row).
    from_snapshot: bool,
    /// Where to tell the secretary, once committed, of characters the bundled font lacks
    /// (`None`: say nothing, as for the generator).
    glyph_note: Option<Lang>,
}

impl Writer {
    /// Opens the database, takes the write lock, loads the state and the key.
    pub fn open(ctx: &Ctx) -> Result<Writer> {
        Writer::open_inner(ctx, None, &[])
    }

    /// `open`, making sure the state of matter `id` is loaded (commands that read it).
    pub fn open_matter(ctx: &Ctx, id: &str) -> Result<Writer> {
        Writer::open_inner(ctx, None, &[id])
    }

    /// For a lost-key rotation only: opens with `key` (the NEW village key) instead of the
    /// key file; the rules still refuse anything but a rotation countersigned as required.
    pub fn open_recovery(ctx: &Ctx, key: SecretKey) -> Result<Writer> {
        Writer::open_inner(ctx, Some(key), &[])
    }

    /// Signs this command's checkpoint with `key` (after a rotation: the new key).
    pub fn sign_with(&mut self, key: SecretKey) {
        self.key = key;
    }

    fn open_inner(ctx: &Ctx, recovery: Option<SecretKey>, want: &[&str]) -> Result<Writer> {
        let mut store = Store::open(&ctx.db)?;
        store.begin_write()?;
        // Tables, triggers or other objects changed with another tool (read from the schema
        // alone, at no cost): nothing is recorded and signed on top of them, and `check`
        // says what was done. The file's rows are `check`'s to judge.
        let altered = crate::check::schema_problems(&store)?;
        if !altered.is_empty() {
            return Err(Error::Integrity(altered));
        }
        let recovering = recovery.is_some();
        let key = match recovery {
            Some(k) => k,
            None => load_key(&ctx.key)?,
        };
        let pk = key.public().to_hex();
        // The name a key file carries is the origin of the record it was made for: a key of
        // this village the record never used was made by a rotation this copy lacks.
        // (Asked only once the key is found not to be the record's.)
        let wrong = |store: &Store, expected: String| -> Error {
            let ours = !recovering
                && crate::record::keys::read_key_file(&ctx.key).is_ok_and(|(_, named)| {
                    store.origin().ok().flatten().is_some_and(|o| o == named)
                });
            match ours {
                true => Usage::LaterKey {
                    fingerprint: key.public().fingerprint(),
                    expected,
                },
                false => Usage::WrongKey {
                    fingerprint: key.public().fingerprint(),
                    expected,
                },
            }
            .into()
        };
        // Another village's key file (or a past one): said at once, from the snapshot's
        // signed key, before anything is replayed (a forged row naming another key only
        // makes the command refuse; `check` reports the row).
        // (Unless the snapshot is of a longer log than the file holds: the log was cut back,
        // which the replay below says, whichever key is given.)
        if !recovering
            && let Some(end) = crate::snapshot::signed_end(&store, None)?
            && let Some(named) = end.key
            && named != pk
            && end.size <= store.log_end()?.0
        {
            // A key of the village's that a rotation retired: said so (it read as another
            // village's key).
            return Err(match end.past_keys.contains(&pk) {
                true => Usage::RetiredKey {
                    fingerprint: key.public().fingerprint(),
                    expected: named,
                }
                .into(),
                false => wrong(&store, named),
            });
        }
        // The snapshot only under this key's signature; a lost-key recovery, whose new key
        // signed nothing yet, replays the log.
        let (replay, from_snapshot) = if recovering {
            (crate::check::load(&store)?, false)
        } else {
            load_fast(&store, want, Some(&key.public()))?
        };
        // Nothing may be back-dated: a clock behind the last entry is refused up front.
        if let Some(last) = replay.state.last_time
            && ctx.now < last
        {
            return Err(crate::rules::Refusal::ClockBehind { last, now: ctx.now }.into());
        }
        // This command's checkpoint will vouch for every entry before it: they must be
        // the ones the village key last signed. (Judged before the key given: a log cut back
        // past a change of key names the other key, and each key file would send the
        // secretary to the other.)
        crate::check::signed_head(&store, &replay)?;
        if !recovering && replay.state.key.as_deref() != Some(pk.as_str()) {
            return Err(wrong(&store, replay.state.key.clone().unwrap_or_default()));
        }
        Ok(Writer {
            store,
            replay,
            key,
            now: ctx.now,
            entries: vec![],
            attachments: vec![],
            touched: BTreeSet::new(),
            consents: BTreeSet::new(),
            roster_changed: false,
            from_snapshot,
            glyph_note: (!ctx.quiet).then_some(ctx.lang),
        })
    }

    /// A brand-new record (init): no entries yet.
    pub fn new_record(store: Store, key: SecretKey, now: DateTime<Utc>) -> Writer {
        Writer {
            store,
            replay: Replay::default(),
            key,
            now,
            entries: vec![],
            attachments: vec![],
            touched: BTreeSet::new(),
            consents: BTreeSet::new(),
            roster_changed: false,
            from_snapshot: false,
            glyph_note: None,
        }
    }

    pub fn state(&self) -> &State {
        &self.replay.state
    }

    /// Hashes a file to attach and returns its reference (stored with the entries). Its
    /// bytes are read again at commit, straight into the database, and must still be these.
    pub fn attach(&mut self, path: &Path) -> Result<AttachmentRef> {
        let (sha, size) = hash_capped(path, MAX_ATTACHMENT)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        Ok(self.stage(sha, size, FileBytes::At(path.to_path_buf()), &name))
    }

    /// Attaches bytes made by this command (a notice's PDF).
    pub fn attach_bytes(&mut self, data: Vec<u8>, name: &str) -> AttachmentRef {
        let (sha, size) = (sha256_hex(&data), data.len() as u64);
        self.stage(sha, size, FileBytes::Held(data), name)
    }

    fn stage(&mut self, sha256: String, size: u64, bytes: FileBytes, name: &str) -> AttachmentRef {
        // A file's name is a label: a character that cannot be recorded becomes `_`.
        let name: String = nfc(name)
            .chars()
            .map(|c| {
                if crate::input::normalize::is_forbidden(c) {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let r = AttachmentRef {
            sha256: sha256.clone(),
            size,
            name,
        };
        if !self.attachments.iter().any(|f| f.sha256 == sha256) {
            self.attachments.push(NewFile {
                sha256,
                size,
                bytes,
            });
        }
        r
    }

    /// Attaches each of `paths`, refusing the same bytes given twice (the same path
    /// repeated, or a photo saved under two names): one step's proof lists a file once.
    pub fn attach_all(&mut self, paths: &[PathBuf]) -> Result<Vec<AttachmentRef>> {
        let mut out: Vec<AttachmentRef> = Vec::with_capacity(paths.len());
        for (i, p) in paths.iter().enumerate() {
            let r = self.attach(p)?;
            if let Some(j) = out.iter().position(|o| o.sha256 == r.sha256) {
                return Err(Usage::SameFileTwice {
                    first: paths[j].clone(),
                    second: paths[i].clone(),
                }
                .into());
            }
            out.push(r);
        }
        Ok(out)
    }

    /// Runs one event through the rules; on success it will be committed.
    pub fn append(&mut self, event: Event) -> Result<()> {
        if let Some(id) = event.matter()
            && !crate::snapshot::ensure(&self.store, &mut self.replay, id)?
        {
            self.replay_instead()?;
        }
        check_event_texts(&event)?;
        let idx = self.replay.state.size;
        let origin = self
            .replay
            .state
            .origin()
            .map(str::to_string)
            .unwrap_or_else(|| match &event {
                Event::Genesis(g) => g.origin.clone(),
                _ => String::new(),
            });
        let entry = Entry {
            idx,
            origin,
            prev: self.replay.last_leaf,
            time: self.now,
            event,
        };
        let bytes = entry.to_bytes().map_err(|e| match e {
            crate::log::EntryProblem::NotCanonical(
                crate::record::canonical::CanonError::TooLarge { len },
            ) => Error::Usage(Usage::EntryTooLarge {
                size: len,
                max: crate::record::canonical::MAX_ENTRY_BYTES,
            }),
            e => Error::Internal(format!("{e:?}")),
        })?;
        let stored = crate::store::StoredEntry {
            idx,
            prev: entry.prev.map(|p| p.to_vec()),
            leaf: crate::record::merkle::leaf_hash(&bytes).to_vec(),
            bytes,
        };
        // Recorded now: the rules of 2026-11-30 to 2026-12-03 hold whatever this computer's
        // clock says (replay, below and in `check`, judges by the entry's time). Test hook
        // `LIUYI_TEST_RULES_BY_CLOCK`: record as liuyi did before, for the tests of records
        // an earlier liuyi kept.
        if !crate::rules::engine::under_rules_of_2026_12_03(self.now)
            && std::env::var_os("LIUYI_TEST_RULES_BY_CLOCK").is_none()
        {
            self.replay
                .state
                .check_recording(self.now, &entry.event, crate::keychange::verify_rotation)
                .map_err(Error::Refused)?;
        }
        // The matter's projection row is rewritten at commit: it must be what the record
        // made of the matter until now, or the rewrite would erase the evidence of a row
        // edited with another tool (`check` reports it; this command records nothing).
        if let Some(id) = entry.event.matter()
            && !self.touched.contains(id)
            && let Some(m) = self.replay.state.matters.get(id)
            && self.store.matter(id)?.as_ref() != Some(&crate::views::matter_row(m))
        {
            return Err(Error::Integrity(vec![crate::check::projection_altered(
                "matters",
                id.to_string(),
            )]));
        }
        // A household's consent row is rewritten at commit: it must be the record's until
        // now (none if none), for the same reason (a point lookup by its key).
        if let Event::Consent(c) = &entry.event
            && let Some(m) = self.replay.state.matters.get(&c.id)
        {
            let key = c.key();
            if !self.consents.contains(&(c.id.clone(), key.to_string())) {
                let ours = (m.rounds.iter())
                    .find(|r| r.round == c.round)
                    .and_then(|r| r.records.get(key.as_ref()))
                    .map(|rec| crate::views::consent_row(&c.id, c.round, &key, rec));
                if self.store.consent_row(&c.id, c.round, &key)? != ours {
                    return Err(Error::Integrity(vec![crate::check::projection_altered(
                        "consents",
                        format!("{}/{}/{key}", c.id, c.round),
                    )]));
                }
            }
        }
        // A roster change rewrites the people projection whole: it must be the roster the
        // record holds until now (an edited row would vanish with the evidence of it).
        if matches!(entry.event, Event::Roster(_)) && !self.roster_changed {
            let by_key = |p: &crate::rules::people::Person| (p.household.clone(), p.name.clone());
            let mut rows = self.store.people()?;
            rows.sort_by_key(by_key);
            let mut ours: Vec<crate::rules::people::Person> = (self.replay.state.roster.latest())
                .map(|r| r.people().cloned().collect())
                .unwrap_or_default();
            ours.sort_by_key(by_key);
            if rows != ours {
                let differs = rows
                    .iter()
                    .zip(&ours)
                    .find(|(a, b)| a != b)
                    .map(|(a, _)| a)
                    .or(rows.get(ours.len()))
                    .or(ours.get(rows.len()))
                    .map(|p| format!("{}:{}", p.household, p.name))
                    .unwrap_or_default();
                return Err(Error::Integrity(vec![crate::check::projection_altered(
                    "people", differs,
                )]));
            }
        }
        match self.replay.feed(&stored) {
            Ok(()) => {}
            Err(p) => {
                return Err(match p.kind {
                    crate::check::ProblemKind::Rule(r) => Error::Refused(r),
                    _ => Error::Internal(format!("{p:?}")),
                });
            }
        }
        if let Some(id) = entry.event.matter() {
            self.touched.insert(id.to_string());
            if let Event::Consent(c) = &entry.event {
                self.consents.insert((c.id.clone(), c.key().into_owned()));
            }
        }
        if matches!(entry.event, Event::Roster(_)) {
            self.roster_changed = true;
            // A roster change can take households out of open consultations.
            let open: Vec<String> = self
                .replay
                .state
                .matters
                .values()
                .filter(|m| m.stage == crate::rules::Stage::Consultation)
                .map(|m| m.id.clone())
                .collect();
            self.touched.extend(open);
        }
        let leaf: [u8; 32] = stored.leaf.as_slice().try_into().expect("32 bytes");
        self.entries.push((idx, entry.prev, leaf, stored.bytes));
        Ok(())
    }

    /// Makes sure the state of matter `id` is loaded (a command that reads another matter
    /// than its own, as `motion` looking for the one it would repeat).
    pub fn load_matter(&mut self, id: &str) -> Result<()> {
        if !crate::snapshot::ensure(&self.store, &mut self.replay, id)? {
            self.replay_instead()?;
        }
        Ok(())
    }

    /// A matter's snapshot row is not the one the snapshot signed: the state is rebuilt
    /// from the log instead, with this command's entries so far fed again, and commit
    /// rewrites every matter's row.
    fn replay_instead(&mut self) -> Result<()> {
        let mut replay = crate::check::load(&self.store)?;
        crate::check::signed_head(&self.store, &replay)?;
        for (idx, prev, leaf, bytes) in &self.entries {
            replay
                .feed(&crate::store::StoredEntry {
                    idx: *idx,
                    prev: prev.map(|p| p.to_vec()),
                    leaf: leaf.to_vec(),
                    bytes: bytes.clone(),
                })
                .map_err(|p| Error::Internal(format!("{p:?}")))?;
        }
        self.replay = replay;
        self.from_snapshot = false;
        Ok(())
    }

    pub fn appended(&self) -> usize {
        self.entries.len()
    }

    /// Signs a checkpoint over the whole log and commits everything in one transaction.
    pub fn commit(mut self) -> Result<Committed> {
        let state = &self.replay.state;
        let origin = state.origin().unwrap_or_default().to_string();
        let size = self.replay.range.size();
        let root = self.replay.range.root();
        let note = sign_checkpoint(
            &self.key,
            &origin,
            &Checkpoint {
                origin: origin.clone(),
                size,
                root,
            },
        )
        .map_err(|e| Error::Internal(format!("{e:?}")))?;
        let mut batch = Batch {
            attachments: std::mem::take(&mut self.attachments),
            entries: std::mem::take(&mut self.entries),
            checkpoint: Some((size, note, self.replay.range.to_bytes())),
            ..Batch::default()
        };
        for id in &self.touched {
            if let Some(m) = state.matters.get(id) {
                batch.matters.push(crate::views::matter_row(m));
                batch
                    .consents
                    .extend(crate::views::consent_rows(m).into_iter().filter(|r| {
                        self.consents
                            .contains(&(r.matter.clone(), r.household.clone()))
                    }));
            }
        }
        // The snapshot: every matter after a replay, else the ones this command changed;
        // the village row signs every row's digest.
        let mut rows = if self.from_snapshot {
            std::mem::take(&mut self.replay.snapshot_rows)
        } else {
            crate::snapshot::Rows::new()
        };
        for m in state.matters.values() {
            if !self.from_snapshot || self.touched.contains(&m.id) {
                let row = crate::snapshot::matter_row(m);
                rows.insert(row.0.clone(), crate::snapshot::row_ref(&row.1, &row.2));
                batch.snapshot_matters.push(row);
            }
        }
        batch.snapshot = Some(crate::snapshot::village_row(&self.replay, rows, &self.key));
        if self.roster_changed {
            batch.people = Some(
                state
                    .roster
                    .latest()
                    .map(|r| r.people().cloned().collect())
                    .unwrap_or_default(),
            );
        }
        let entries = batch.entries.len();
        // What was recorded is printed later: a character the font lacks is caught then, at
        // `publish`, long after the secretary typed it. It is recorded (it is what was
        // written); the secretary hears of it now.
        let lacking = match self.glyph_note {
            Some(_) => {
                let fonts = crate::paper::Fonts::bundled();
                let mut all = Vec::new();
                for (_, _, _, bytes) in &batch.entries {
                    for c in fonts.lacking(&String::from_utf8_lossy(bytes)) {
                        if !all.contains(&c) {
                            all.push(c);
                        }
                    }
                }
                all
            }
            None => Vec::new(),
        };
        self.store.commit(batch)?;
        if let Some(lang) = self.glyph_note
            && !lacking.is_empty()
        {
            to_stderr(&crate::i18n::paper::lacking_glyphs(lang, &lacking));
        }
        Ok(Committed {
            size,
            root,
            entries,
        })
    }
}

pub struct Committed {
    pub size: u64,
    pub root: [u8; 32],
    pub entries: usize,
}

pub fn load_key(path: &Path) -> Result<SecretKey> {
    read_key_file(path)
        .map(|(k, _name)| k)
        .map_err(|e| Error::Key {
            path: path.to_path_buf(),
            err: e,
        })
}

/// Opens the database (no write lock) and loads the state, with matter `want` if given.
pub fn read_state(ctx: &Ctx, want: &[&str]) -> Result<(Store, Replay)> {
    let store = Store::open(&ctx.db)?;
    let (replay, _) = load_fast(&store, want, None)?;
    Ok((store, replay))
}

/// `--json` asked one JSON document of `verify` or `check`, and a township's tools read it:
/// a file that cannot be verified at all (missing, another kind of file, an unreadable
/// key) is one problem in the usual shape, `code` at the file, with the error's words
/// (E-IO instead of `code` for a failure of the machine, exit 1). The error is returned as
/// it is (its exit code, its words on standard error too).
pub fn json_failure(ctx: &Ctx, code: &str, location: &std::path::Path, e: Error) -> Error {
    let code = if e.exit_code() == 1 { "E-IO" } else { code };
    let message = crate::i18n::cli::error_message(&e, ctx.lang, false);
    let prefix = ctx.lang.pick("错误：", "error: ");
    ctx.print_json(&serde_json::json!({
        "ok": false,
        "entries": 0,
        "problems": [{
            "code": code,
            "location": location.display().to_string(),
            "message": message.strip_prefix(prefix).unwrap_or(&message),
        }],
    }));
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_parses_to_fen() {
        assert_eq!(parse_yuan("326000").unwrap(), 32_600_000);
        assert_eq!(parse_yuan("326000.5").unwrap(), 32_600_050);
        assert_eq!(parse_yuan("326,000.05").unwrap(), 32_600_005);
        assert_eq!(parse_yuan("¥12").unwrap(), 1200);
        // As a secretary writes it: with 元, or a full-width comma.
        assert_eq!(parse_yuan("326000元").unwrap(), 32_600_000);
        assert_eq!(parse_yuan("326，000.5 元").unwrap(), 32_600_050);
        assert_eq!(parse_yuan("1,326,000").unwrap(), 132_600_000);
        // As Chinese forms write amounts: 元整, and 万 (ten thousand yuan).
        assert_eq!(parse_yuan("326000元整").unwrap(), 32_600_000);
        assert_eq!(parse_yuan("32.6万").unwrap(), 32_600_000);
        assert_eq!(parse_yuan("32.65万元").unwrap(), 32_650_000);
        assert_eq!(parse_yuan("0.000001万").unwrap(), 1);
        assert_eq!(parse_yuan("5万元整").unwrap(), 5_000_000);
        assert!(parse_yuan("1.0000001万").is_err());
        assert!(parse_yuan("万").is_err());
        assert!(matches!(
            parse_yuan("9999999999万"),
            Err(Error::Usage(Usage::AmountTooLarge(_)))
        ));
        // A comma that is not a thousands separator would record another amount.
        for other in [
            "326000，5",
            "12,5",
            "200000，126000",
            "1,2345",
            "326,000.5,0",
        ] {
            assert!(
                matches!(parse_yuan(other), Err(Error::Usage(Usage::BadAmount(_)))),
                "{other}"
            );
        }
        // Too many digits is said as such, not as a format fault.
        assert!(matches!(
            parse_yuan("99999999999999"),
            Err(Error::Usage(Usage::AmountTooLarge(_)))
        ));
        assert_eq!(parse_yuan("0000000000000012").unwrap(), 1200);
        assert!(matches!(
            parse_yuan("-5"),
            Err(Error::Usage(Usage::AmountNegative(_)))
        ));
        for bad in [
            "",
            "-5",
            "1.234",
            "abc",
            "1e5",
            "12.",
            ".5",
            "99999999999999",
        ] {
            assert!(parse_yuan(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2026-03-02").is_ok());
        for bad in ["2026-3-2", "2026/03/02", "2026-02-30", "today"] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
