//! `liuyi verify`: checks an audit bundle offline, without unpacking it to disk, and reports
//! every problem it finds with a stable code, its place and expected vs found.
//!
//! Phases, in order: the container (`BundleReader`: names, structure, caps), FORMAT and the
//! file list (nothing off the layout, see `export`), the log streamed line by line (framing,
//! canonical bytes, index, `prev` chain, origin — each line on its own, so a broken link is
//! one problem and not a cascade — then the procedure: every entry replayed through the
//! rules engine with `check::Replay::feed_audit`, which reports a refused step and goes on),
//! every checkpoint (root at its size, signature by the key valid at that size per the
//! rotation history, nothing unsigned after the last one), the township's cosignatures when
//! its key is pinned, the attachments and notices (present, size, SHA-256 streamed through
//! the reader; no unreferenced file), and the notices re-rendered from the record.
//!
//! Memory stays flat: the log and attachments are streamed; what is kept is one Merkle
//! frontier, the roots at checkpoint sizes, and the reference list (hash, size, line).
//! Words live in `crate::i18n::bundle`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::bundle::export::{FORMAT_LINE, FORMAT_NAME, LOG_NAME, README_NAME, Scope};
use crate::bundle::{BundleReader, Caps, ContainerProblem};
use crate::check::{self, Replay};
use crate::location::Location;
use crate::log::{Entry, EntryProblem};
use crate::notice::PublishModel;
use crate::record::canonical::MAX_ENTRY_BYTES;
use crate::record::keys::PublicKey;
use crate::record::merkle::{CompactRange, Hash, leaf_hash};
use crate::record::note::{
    ALG_COSIGNATURE_V1, Checkpoint, MAX_NOTE_BYTES, Note, NoteError, key_id, verify_cosignature,
    verify_note,
};
use crate::rules::Event;

/// Most problems listed; the rest are counted.
pub const MAX_PROBLEMS: usize = 1000;

/// What the caller pins and asks for.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// The village key the genesis entry must name (`--trust`).
    pub trust: Option<PublicKey>,
    /// The township key that cosignatures and lost-key rotations must come from.
    pub township: Option<PublicKey>,
    /// Sizes at which the caller wants the log's Merkle root (the township's last cosigned
    /// size, to detect a fork).
    pub roots_at: Vec<u64>,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// `verify --township-key`: warn when the record carries no valid cosignature by that
    /// key (nothing then rules out a rollback; the township's register does). The
    /// township's own register and cosign do not ask; cosignatures by other witnesses are
    /// ignored, as C2SP says.
    pub require_cosignature: bool,
    /// The verifier's clock: an entry stamped more than [`CLOCK_SLACK_HOURS`] after it
    /// cannot have been recorded yet (`E-LOG-FUTURE`). `None`: not checked.
    pub now: Option<chrono::DateTime<chrono::Utc>>,
}

/// How far ahead of the verifier's clock an entry's time may be before it is reported:
/// the village's laptop clock and the township's may differ by some hours.
pub const CLOCK_SLACK_HOURS: i64 = 24;

/// Hand-editing of the log file, found in its framing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Framing {
    ByteOrderMark,
    CarriageReturn,
    NoFinalNewline,
    EmptyLine,
    LineTooLong { cap: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The ZIP container (see `crate::bundle::ProblemKind`).
    Container(ContainerProblem),
    /// A log, checkpoint or attachment problem worded like `liuyi check`'s.
    Log(check::ProblemKind),
    Framing(Framing),
    /// FORMAT is missing or names another format.
    Format {
        found: String,
    },
    /// A required file is missing.
    Missing,
    /// The log holds no entry: no genesis, so no village, key or checkpoint to verify.
    LogEmpty,
    /// A file off the bundle layout, or an attachment no entry references.
    Extra,
    /// `checkpoints/<N>.txt` holds a checkpoint of another size.
    CheckpointName {
        name: u64,
        size: u64,
    },
    /// A checkpoint of another village.
    CheckpointOrigin {
        expected: String,
        found: String,
    },
    /// A checkpoint covering more entries than the bundle has.
    CheckpointBeyond {
        size: u64,
        entries: u64,
    },
    /// A checkpoint signed by a village key that was not the key at its size.
    KeyNotValid {
        fingerprint: String,
        size: u64,
        valid_from: u64,
        valid_to: Option<u64>,
    },
    /// A cosigned checkpoint whose body is not the village's checkpoint at that size.
    CosignedBody,
    /// The first entry stamped after the verifier's clock (and the slack): the rules take
    /// each entry's own time as "today", so a log made up with times to come would pass
    /// every date rule (a posting period already run out, a date never in the future).
    EntryInFuture {
        time: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    },
    /// A cosigned checkpoint signed by the village's key that is not this log's at its
    /// size: beyond the log's end (a rollback) or another history (a fork).
    CosignedElsewhere {
        size: u64,
        entries: u64,
    },
    /// A cosigned checkpoint that is the bundle's own checkpoint at its size, which the log
    /// no longer matches (its E-CKPT-ROOT says where): the log was changed after the
    /// township cosigned it.
    CosignedLogChanged {
        size: u64,
        /// The place of the E-CKPT-ROOT problem that says where.
        root: Location,
    },
    /// No valid cosignature by the pinned township key.
    Cosignature {
        fingerprint: String,
    },

    /// The genesis key is not the trusted key.
    Trust {
        expected: String,
        found: String,
        /// The trusted key is one the record changed to, from this size on.
        later: Option<u64>,
    },
    /// A lost-key rotation countersigned by a key that is not the pinned township key.
    RotationAuthority {
        found: String,
        pinned: String,
    },
    /// The village signs with the township's own key (the genesis key or a change of key
    /// to it): a village holding the key that cosigns and countersigns for every village
    /// could vouch for itself and take over any village's record.
    TownshipKeyAsVillage {
        fingerprint: String,
    },
    /// The FORMAT scope selects no entry of the log.
    ScopeSelectsNothing {
        scope: String,
    },
    /// The log goes on past what the FORMAT scope selects (with a matter outside it).
    ScopeNotAtEnd {
        scope: String,
        matter: String,
    },
    /// A lost-key rotation in a record verified against a pinned village key (`--trust`)
    /// with no township key to confirm its countersignature: anyone with a copy of the
    /// database can "countersign" a takeover with a key of their own.
    RotationUnconfirmed {
        found: String,
    },
    /// A re-rendered notice differs from the one recorded.
    NoticeDiffers {
        expected: String,
        found: String,
    },
    /// Attachment hash, size or presence (with the bundle name as location).
    Attachment(check::ProblemKind),
    /// The record does not render as a notice (the data the notice needs is not there).
    NoticeRender {
        detail: String,
    },
    /// A village key that is weak, small-order or not canonical.
    WeakKey {
        detail: String,
    },
    /// What was found on a line the chain or a checkpoint shows altered (`by`: the place of
    /// the problem that shows it, with its `code`): a consequence of the alteration (a rule
    /// the altered text breaks, a notice that no longer re-renders), not a step the village
    /// took.
    Altered {
        by: Location,
        code: &'static str,
        inner: Box<Kind>,
    },
    /// Problems past the list's cap, counted; `stopped`: the log was not read past this
    /// many lines once the cap was reached (a bundle of millions of broken lines).
    TooMany {
        omitted: u64,
        stopped: Option<u64>,
    },
}

/// One problem (or warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: &'static str,
    pub location: Location,
    pub kind: Kind,
}

/// Notes that are not problems: what could not be checked and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The procedure replay stopped at this line (the log is broken there).
    ReplayStopped { line: u64 },
    /// Attachments of matters outside the bundle's scope are not included.
    OutOfScope { count: usize },
    /// No `--trust`: the record's key was not compared with a known one (a log re-signed
    /// end to end by another key is consistent); its fingerprint, to be compared.
    KeyUnpinned {
        fingerprint: String,
        /// The key in force at the end, when the record changed keys: (fingerprint, the
        /// size it signs from).
        now: Option<(String, u64)>,
    },
    /// The log could not be read: its checkpoints were not checked.
    CheckpointsUnchecked { count: usize },
    /// The log could not be read to its end: these files were not checked (what refers
    /// to them is not known).
    FilesUnchecked { count: usize },
    /// Cosignatures present but no township key pinned to check them.
    CosignaturesUnchecked { count: usize },
    /// `--township-key` given, and no checkpoint carries a valid cosignature by it: a
    /// rollback (cosigned/ dropped with the entries after it) cannot be ruled out.
    NotCosignedBy { fingerprint: String },
    /// A lost-key rotation whose township countersignature was not checked (no key pinned).
    RotationUnpinned { line: u64, key: String },
    /// A file holds a signing key of the village's that a rotation has since retired.
    RetiredKeyInFile { file: String },
    /// README.txt is not the text `export` writes for this record (or is missing).
    ReadmeAltered { missing: bool },
    /// Notices could not be re-rendered by this build.
    NoRenderer { count: usize },
    /// A notice made by other templates or fonts: the stored hash still proves the bytes.
    CannotReproduce {
        line: u64,
        template: String,
        font: String,
    },
}

/// The whole result.
#[derive(Debug, Default)]
pub struct Report {
    pub entries: u64,
    pub origin: Option<String>,
    pub scope: Option<Scope>,
    pub genesis_leaf: Option<Hash>,
    pub genesis_key: Option<String>,
    /// The genesis entry's exact bytes (the village, township and county it names: the
    /// township's register keeps them).
    pub genesis_entry: Option<Vec<u8>>,
    /// The village key in force after each change: (size from, key hex).
    pub keys: Vec<(u64, String)>,
    /// The largest checkpoint: (size, note text as in the bundle).
    pub latest: Option<(u64, String)>,
    pub root: Option<Hash>,
    pub roots: BTreeMap<u64, Hash>,
    /// Cosigned sizes whose township cosignature verified, with its time.
    pub cosigned: Vec<(u64, u64)>,
    /// The last log line the scope selects, and the place of the first line after it about
    /// a matter outside the scope, with that matter (a scoped export ends with what it selects).
    pub scope_end: (Option<u64>, Option<(Location, String)>),
    pub problems: Vec<Problem>,
    pub warnings: Vec<Warning>,
    omitted: u64,
    /// Where the first problem not listed is: the place of `E-TOO-MANY`.
    first_omitted: Location,
    /// The place of the last line before each checkpoint's size (the line of entry
    /// `size - 1`, with its matter and step): where a checkpoint that no longer matches
    /// names the one entry it can be narrowed to.
    ends: BTreeMap<u64, Location>,
    /// The log pass stopped after this many lines, the problem cap reached.
    log_stopped: Option<u64>,
    /// The log could not be read to its end (a container problem, or the problem cap
    /// reached): what the rest of the bundle is checked against is not known, so it is
    /// not called extra or beyond.
    log_cut: bool,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn push(&mut self, code: &'static str, location: impl Into<Location>, kind: Kind) {
        self.push_with(code, || (location.into(), kind));
    }

    /// Like `push`, making the location and kind only for a problem that is listed: past
    /// the list's end a problem is only counted (a hostile log can have millions).
    fn push_with(&mut self, code: &'static str, make: impl FnOnce() -> (Location, Kind)) {
        if self.problems.len() < MAX_PROBLEMS {
            let (location, kind) = make();
            self.problems.push(Problem {
                code,
                location,
                kind,
            });
        } else {
            if self.omitted == 0 {
                self.first_omitted = make().0;
            }
            self.omitted += 1;
        }
    }

    /// Like `push`, at position `slot` (a place recorded earlier with `problems.len()`).
    fn insert_at(&mut self, slot: usize, code: &'static str, location: Location, kind: Kind) {
        if self.problems.len() < MAX_PROBLEMS {
            let at = slot.min(self.problems.len());
            self.problems.insert(
                at,
                Problem {
                    code,
                    location,
                    kind,
                },
            );
        } else {
            if self.omitted == 0 {
                self.first_omitted = location;
            }
            self.omitted += 1;
        }
    }

    /// The list is full and a problem was left off: reading on would only count more.
    fn capped(&self) -> bool {
        self.omitted > 0
    }

    fn finish(&mut self) {
        if self.omitted > 0 {
            self.problems.push(Problem {
                code: "E-TOO-MANY",
                location: std::mem::take(&mut self.first_omitted),
                kind: Kind::TooMany {
                    omitted: self.omitted,
                    stopped: self.log_stopped,
                },
            });
        }
    }

    pub fn has(&self, code: &str) -> bool {
        self.problems.iter().any(|p| p.code == code)
    }
}

/// Where a log line is: `log/entries.jsonl:LINE (entry N, matter M, type T)`.
fn line_loc(line: u64, entry: Option<&Entry>) -> Location {
    Location::line(line, entry.map(|e| &e.event))
}

fn entry_code(p: &EntryProblem) -> &'static str {
    match p {
        EntryProblem::NotCanonical(_) => "E-LOG-NONCANON",
        _ => "E-LOG-ENTRY",
    }
}

/// Reads a small whole entry (FORMAT, a checkpoint) with a cap.
fn read_small(r: &BundleReader, name: &str, cap: usize) -> Result<Vec<u8>, ContainerProblem> {
    let mut rd = r.open_entry_limited(name, cap as u64)?;
    let mut out = Vec::new();
    rd.read_to_end(&mut out).map_err(|e| {
        ContainerProblem::from_io(&e)
            .cloned()
            .unwrap_or_else(|| io_problem(name, &e))
    })?;
    Ok(out)
}

fn io_problem(name: &str, e: &std::io::Error) -> ContainerProblem {
    ContainerProblem::new(
        crate::bundle::ProblemKind::Io {
            detail: e.to_string(),
        },
        name.to_string(),
    )
}

/// Parses `prefix<digits>suffix` with canonical decimal digits.
fn numbered(name: &str, prefix: &str, suffix: &str) -> Option<u64> {
    let d = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
    let n: u64 = d.parse().ok()?;
    (n.to_string() == d).then_some(n)
}

fn hex64(name: &str, prefix: &str, suffix: &str) -> Option<String> {
    let h = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
    (h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .then(|| h.to_string())
}

/// One referenced file: expected size, the first line referring to it, in scope or not.
struct Ref {
    size: u64,
    /// Where the log names it: line, entry, matter and step (`line_loc`).
    at: Location,
    in_scope: bool,
}

/// The origin named by the genesis entry, the first line of the bundle's log, read without
/// checking anything else: which village's pins (key, last cosigned size) to verify the
/// bundle with. `None` when that line cannot be read as a genesis entry; `verify` then says
/// why.
pub fn origin_of(path: &Path) -> Option<String> {
    let reader = BundleReader::open(path, Caps::default()).ok()?;
    let rd = reader.open_entry(LOG_NAME).ok()?;
    let mut line = Vec::new();
    BufReader::new(rd.take(MAX_ENTRY_BYTES as u64 + 1))
        .read_until(b'\n', &mut line)
        .ok()?;
    let line = line.strip_suffix(b"\n")?;
    match Entry::parse(line).ok()?.event {
        Event::Genesis(g) => Some(g.origin),
        _ => None,
    }
}

/// Verifies the bundle at `path`.
pub fn verify(path: &Path, opts: &Options) -> Report {
    let mut rep = Report::default();
    let reader = match BundleReader::open(path, Caps::default()) {
        Ok(r) => r,
        Err(report) => {
            for p in report.problems {
                let loc = p.location.clone();
                rep.push(p.code, loc, Kind::Container(p));
            }
            rep.finish();
            return rep;
        }
    };

    // FORMAT.
    match read_small(&reader, FORMAT_NAME, 4096) {
        Err(p) if p.kind == crate::bundle::ProblemKind::NotFound => {
            rep.push("E-BUNDLE-FORMAT", FORMAT_NAME, Kind::Missing);
            rep.finish();
            return rep;
        }
        Err(p) => {
            rep.push(p.code, p.location.clone(), Kind::Container(p));
            rep.finish();
            return rep;
        }
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut lines = text.strip_suffix('\n').unwrap_or("\u{0}").split('\n');
            let first = lines.next().unwrap_or_default();
            let scope = lines.next().and_then(Scope::parse_line);
            if first != FORMAT_LINE || scope.is_none() || lines.next().is_some() {
                rep.push(
                    "E-BUNDLE-FORMAT",
                    FORMAT_NAME,
                    Kind::Format {
                        // Line by line, each quoted (a line break shown as \u{a} read as
                        // code, not as the file's two lines).
                        found: text
                            .split_terminator('\n')
                            .map(|l| format!("\"{}\"", crate::bundle::escape_control(l)))
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                );
                rep.finish();
                return rep;
            }
            rep.scope = scope;
        }
    }
    let scope = rep.scope.clone().unwrap_or(Scope::All);

    // The file list.
    // Names borrowed from the reader's directory (a decade's bundle holds 15,000 files).
    let mut checkpoints: BTreeMap<u64, &str> = BTreeMap::new();
    let mut cosigned: BTreeMap<u64, &str> = BTreeMap::new();
    let mut files: BTreeSet<&str> = BTreeSet::new();
    for e in reader.entries() {
        let n = e.name.as_str();
        if n == FORMAT_NAME || n == README_NAME || n == LOG_NAME {
            continue;
        }
        if let Some(size) = numbered(n, "checkpoints/", ".txt") {
            checkpoints.insert(size, n);
        } else if let Some(size) = numbered(n, "cosigned/", ".txt") {
            cosigned.insert(size, n);
        } else if hex64(n, "attachments/", "").is_some() || hex64(n, "notices/", ".pdf").is_some() {
            files.insert(n);
        } else {
            rep.push("E-BUNDLE-EXTRA", n, Kind::Extra);
        }
    }
    if reader.entry(LOG_NAME).is_none() {
        rep.push("E-BUNDLE-MISSING", LOG_NAME, Kind::Missing);
        rep.finish();
        return rep;
    }

    // The log.
    let mut want: BTreeSet<u64> = checkpoints.keys().copied().collect();
    want.extend(cosigned.keys().copied());
    want.extend(opts.roots_at.iter().copied());
    let mut refs: BTreeMap<String, Ref> = BTreeMap::new();
    // While the log is replayed on this thread, the second core hashes the stored files:
    // the name of each says what its hash must be, and a stored (uncompressed) entry costs
    // no more to read than its bytes in the file. Deflated ones (notices, small) wait for
    // the size the log records, which caps how much they may inflate to.
    //
    // One hasher per core, taking the files in turn: hashing is the longest part of a bundle
    // of scans, and once the notices are rendered the cores it shared with them are free.
    let stored: Vec<&str> = files
        .iter()
        .copied()
        .filter(|n| {
            reader.entry(n).is_some_and(|e| {
                e.method == crate::bundle::Method::Stored && e.compressed_size == e.size
            })
        })
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let hashers = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4));
    let mut hashed = std::thread::scope(|s| {
        let reader = &reader;
        let (stored, next) = (&stored, &next);
        let hashers: Vec<_> = (0..hashers)
            .map(|_| {
                s.spawn(move || {
                    let mut done = BTreeMap::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&n) = stored.get(i) else {
                            return done;
                        };
                        done.insert(n, hash_entry(reader, n, u64::MAX));
                    }
                })
            })
            .collect();
        let (log, mut rendered, panicked) =
            with_renderers(|tx| LogPass::run(reader, opts, &scope, &want, &mut refs, &mut rep, tx));
        let LogPass {
            replay,
            lines,
            rendered: mut on_this_thread,
        } = log;
        rendered.append(&mut on_this_thread);
        if panicked {
            rep.push(
                "E-NOTICE-RENDER",
                LOG_NAME,
                Kind::NoticeRender {
                    detail: "a renderer stopped".into(),
                },
            );
        }
        // Each finding goes where the log pass met its notice (last first, so the
        // earlier places stay put).
        rendered.sort_by_key(|r| (r.slot, r.seq));
        for r in rendered.into_iter().rev() {
            if let Some((code, location, kind)) = r.problem {
                rep.insert_at(r.slot, code, location, kind);
            }
        }
        rep.entries = lines;
        rep.keys = replay.keys;
        // After a change of secretary, the key the secretary reads out (`key show`) is the
        // one in force now, not the genesis key: say both. And a `--trust` key that the
        // record changed to later is told as such, not as "not that village's record"
        // (trust still anchors at the genesis: a later key alone cannot vouch for the
        // history before it).
        if let Some((from, current)) = rep.keys.last().cloned()
            && rep.genesis_key.as_ref() != Some(&current)
            && let Ok(current) = PublicKey::from_hex(&current)
        {
            for w in rep.warnings.iter_mut() {
                if let Warning::KeyUnpinned { now, .. } = w {
                    *now = Some((current.fingerprint(), from));
                }
            }
        }
        if let Some(t) = &opts.trust {
            let later = rep
                .keys
                .iter()
                .find(|(_, k)| *k == t.to_hex() && rep.genesis_key.as_ref() != Some(k))
                .map(|(from, _)| *from);
            for p in rep.problems.iter_mut() {
                if let Kind::Trust { later: l, .. } = &mut p.kind {
                    *l = later;
                }
            }
        }
        // The FORMAT line is not signed: a scope must be the one the log was cut for
        // (the log ends with what the scope selects), or renaming it would excuse any
        // attachment from being shipped.
        if scope != Scope::All && lines > 0 && !rep.log_cut {
            match rep.scope_end.clone() {
                (None, _) => rep.push(
                    "E-SCOPE",
                    FORMAT_NAME,
                    Kind::ScopeSelectsNothing {
                        scope: scope.line(),
                    },
                ),
                (Some(_), Some((place, matter))) => rep.push(
                    "E-SCOPE",
                    place,
                    Kind::ScopeNotAtEnd {
                        scope: scope.line(),
                        matter,
                    },
                ),
                _ => {}
            }
        }
        // An empty log is no record at all (no genesis, no village, no checkpoint): it
        // must not pass as "verified, 0 entries".
        if lines == 0 && !rep.log_cut && reader.entry(LOG_NAME).is_some() {
            rep.push("E-LOG-EMPTY", LOG_NAME, Kind::LogEmpty);
        }
        // While the other cores may still be hashing. Without the whole log there is no
        // origin, key or root to judge a checkpoint by (the log's own problem says why):
        // each would be reported as another village's, or beyond the log.
        if rep.origin.is_some() && !rep.log_cut {
            verify_checkpoints(reader, opts, &checkpoints, &cosigned, &mut rep);
        } else if !checkpoints.is_empty() {
            rep.warnings.push(Warning::CheckpointsUnchecked {
                count: checkpoints.len(),
            });
        }
        mark_altered(&mut rep);
        let mut all = BTreeMap::new();
        for h in hashers {
            all.append(&mut h.join().unwrap_or_default());
        }
        all
    });

    // Attachments and notices.
    let bar = crate::bundle::export::progress(
        if opts.progress { refs.len() as u64 } else { 0 },
        "attachments",
    );
    let mut out_of_scope = 0;
    for (name, r) in &refs {
        bar.inc(1);
        if !files.remove(name.as_str()) {
            if r.in_scope {
                let sha = name
                    .trim_start_matches("attachments/")
                    .trim_start_matches("notices/")
                    .trim_end_matches(".pdf")
                    .to_string();
                rep.push(
                    "E-ATT-MISSING",
                    Location::File {
                        name: name.clone(),
                        at: Box::new(r.at.clone()),
                    },
                    Kind::Attachment(check::ProblemKind::AttachmentMissing { sha256: sha }),
                );
            } else {
                out_of_scope += 1;
            }
            continue;
        }
        check_file(&reader, name, r, hashed.remove(name.as_str()), &mut rep);
    }
    bar.finish_and_clear();
    if out_of_scope > 0 {
        rep.warnings.push(Warning::OutOfScope {
            count: out_of_scope,
        });
    }
    if rep.log_cut {
        if !files.is_empty() {
            rep.warnings
                .push(Warning::FilesUnchecked { count: files.len() });
        }
    } else {
        for name in files {
            rep.push("E-BUNDLE-EXTRA", name, Kind::Extra);
        }
    }
    readme_check(&reader, &mut rep);
    rep.finish();
    rep
}

/// What the chain and the checkpoints show altered, said as such. A lone broken link at
/// line L shows line L - 1 altered (it no longer hashes to what L links to); two in a row,
/// at L and L + 1, show line L altered (its link among what changed), and its own problem
/// says so; a checkpoint narrowed to one entry shows that entry altered. A rule the altered
/// text breaks, or a notice that no longer re-renders from it, read as the village's own
/// doing: they are marked as the alteration's consequence and put after the problem that
/// shows it.
fn mark_altered(rep: &mut Report) {
    use check::ProblemKind::{LinkMismatch, RootMismatch};
    let breaks: BTreeSet<u64> = (rep.problems.iter())
        .filter_map(|p| match (&p.location, &p.kind) {
            (Location::Line { line, .. }, Kind::Log(LinkMismatch { .. })) => Some(*line),
            _ => None,
        })
        .collect();
    // Altered line → the problem that shows it (its place and code).
    let mut altered: BTreeMap<u64, (Location, &'static str)> = BTreeMap::new();
    for p in rep.problems.iter_mut() {
        match (&p.location, &mut p.kind) {
            (Location::Line { line, .. }, Kind::Log(LinkMismatch { this_altered, .. })) => {
                *this_altered = breaks.contains(&(line + 1));
                let shown = if *this_altered { *line } else { line - 1 };
                (altered.entry(shown)).or_insert_with(|| (p.location.clone(), p.code));
            }
            (
                _,
                Kind::Log(RootMismatch {
                    changed: (from, to),
                    signed: true,
                    ..
                }),
            ) if from == to => {
                if let Location::Line { line, .. } = to {
                    (altered.entry(*line)).or_insert_with(|| (p.location.clone(), p.code));
                }
            }
            _ => {}
        }
    }
    if altered.is_empty() {
        return;
    }
    let consequence = |p: &Problem| match (&p.location, p.code) {
        (Location::Line { line, .. }, "E-RULE" | "E-NOTICE-DIFFERS" | "E-NOTICE-RENDER") => {
            altered.get(line).cloned()
        }
        _ => None,
    };
    let mut moved = Vec::new();
    let mut i = 0;
    while i < rep.problems.len() {
        match consequence(&rep.problems[i]) {
            Some((by, code)) => {
                let mut p = rep.problems.remove(i);
                let inner = std::mem::replace(&mut p.kind, Kind::Missing);
                p.kind = Kind::Altered {
                    by,
                    code,
                    inner: Box::new(inner),
                };
                moved.push(p);
            }
            None => i += 1,
        }
    }
    for p in moved {
        let Kind::Altered { by, code, .. } = &p.kind else {
            continue;
        };
        let shows = |q: &Problem| q.code == *code && q.location == *by;
        let after = |q: &Problem| matches!(&q.kind, Kind::Altered { by: b, .. } if b == by);
        let at = match rep.problems.iter().position(shows) {
            Some(j) => {
                let mut j = j + 1;
                while j < rep.problems.len() && after(&rep.problems[j]) {
                    j += 1;
                }
                j
            }
            None => rep.problems.len(),
        };
        rep.problems.insert(at, p);
    }
}

/// README.txt is not signed, but it is what a person opening the bundle reads first: when
/// it is not the text `export` writes for this record (edited, damaged, missing, or
/// written by another version), a warning says not to follow it.
fn readme_check(reader: &BundleReader, rep: &mut Report) {
    let (Some(origin), Some((size, note))) = (&rep.origin, &rep.latest) else {
        return;
    };
    if *size != rep.entries {
        return;
    }
    let root = note.lines().nth(2).unwrap_or_default();
    let scope = rep.scope.clone().unwrap_or(Scope::All).line();
    let expected = crate::i18n::bundle::readme(origin, *size, root, &scope);
    let found = read_small(reader, README_NAME, 64 * 1024).ok();
    if found.as_deref() != Some(expected.as_bytes()) {
        rep.warnings.push(Warning::ReadmeAltered {
            missing: reader.entries().iter().all(|e| e.name != README_NAME),
        });
    }
}

fn load_note(reader: &BundleReader, name: &str, rep: &mut Report) -> Option<String> {
    match read_small(reader, name, MAX_NOTE_BYTES) {
        Ok(b) => match String::from_utf8(b) {
            Ok(s) => Some(s),
            Err(_) => {
                rep.push(
                    "E-CKPT-MALFORMED",
                    name,
                    Kind::Log(check::ProblemKind::CheckpointMalformed(NoteError::NotUtf8)),
                );
                None
            }
        },
        Err(p) => {
            let code = if matches!(p.kind, crate::bundle::ProblemKind::DeclaredOverCap { .. }) {
                "E-CKPT-MALFORMED"
            } else {
                p.code
            };
            rep.push(code, name, Kind::Container(p));
            None
        }
    }
}

fn parse_checkpoint(
    text: &str,
    name: &str,
    size: u64,
    origin: &str,
    rep: &mut Report,
) -> Option<(Note, Checkpoint)> {
    let malformed = |rep: &mut Report, e: &NoteError| {
        rep.push(
            "E-CKPT-MALFORMED",
            name,
            Kind::Log(check::ProblemKind::CheckpointMalformed(e.clone())),
        )
    };
    let note = match Note::parse(text.as_bytes()) {
        Ok(n) => n,
        Err(e) => {
            malformed(rep, &e);
            return None;
        }
    };
    let cp = match Checkpoint::parse_body(&note.text) {
        Ok(c) => c,
        Err(e) => {
            malformed(rep, &e);
            return None;
        }
    };
    if cp.size != size {
        rep.push(
            "E-CKPT-MALFORMED",
            name,
            Kind::CheckpointName {
                name: size,
                size: cp.size,
            },
        );
        return None;
    }
    if cp.origin != origin {
        rep.push(
            "E-CKPT-ORIGIN",
            name,
            Kind::CheckpointOrigin {
                expected: origin.to_string(),
                found: cp.origin.clone(),
            },
        );
        return None;
    }
    Some((note, cp))
}

/// Checks each checkpoint (and cosigned checkpoint) against the roots the log pass kept:
/// its size, its root, the village signature by the key valid at its size, and a pinned
/// township's cosignature.
fn verify_checkpoints(
    reader: &BundleReader,
    opts: &Options,
    checkpoints: &BTreeMap<u64, &str>,
    cosigned: &BTreeMap<u64, &str>,
    rep: &mut Report,
) {
    let entries = rep.entries;
    let origin = rep.origin.clone().unwrap_or_default();
    // Each key parsed once (a parse decompresses a curve point).
    let keys: Vec<(u64, Option<PublicKey>)> = rep
        .keys
        .iter()
        .map(|(from, hex)| (*from, PublicKey::from_hex(hex).ok()))
        .collect();
    let mut bodies: BTreeMap<u64, String> = BTreeMap::new();
    // The last checkpoint that matched the log and whose signature holds: every entry
    // before it is as signed.
    let mut good = 0u64;
    // The checkpoints whose root the log no longer matches (their text), and the problem
    // that says so for each: a cosigned checkpoint that is one of them is not another
    // history of the record, but this one changed since.
    let mut unmatched: BTreeMap<u64, (String, Location)> = BTreeMap::new();
    // The problem of the checkpoint that began the current run of checkpoints that do not
    // match: those after it in the run cover the same change and are counted in it.
    let mut run: Option<usize> = None;
    for (&size, name) in checkpoints {
        let in_run = run.take();
        let Some(text) = load_note(reader, name, rep) else {
            continue;
        };
        let Some((note, cp)) = parse_checkpoint(&text, name, size, &origin, rep) else {
            continue;
        };
        if size > entries {
            rep.push(
                "E-CKPT-SIZE",
                *name,
                Kind::CheckpointBeyond { size, entries },
            );
            continue;
        }
        if Some(&cp.root) != rep.roots.get(&size) {
            if let Some(Problem {
                kind: Kind::Log(check::ProblemKind::RootMismatch { later, last, .. }),
                location,
                ..
            }) = in_run.and_then(|i| rep.problems.get_mut(i))
            {
                *later += 1;
                *last = size;
                let first = location.clone();
                if cosigned.contains_key(&size) {
                    unmatched.insert(size, (note.text.clone(), first.clone()));
                }
                rep.push(
                    "E-CKPT-ROOT",
                    *name,
                    Kind::Log(check::ProblemKind::RootMismatchAlso { size, first }),
                );
                run = in_run;
                continue;
            }
            if cosigned.contains_key(&size) {
                unmatched.insert(size, (note.text.clone(), Location::from(*name)));
            }
            // Its own signature says whether it is the village's checkpoint (and the log
            // changed) or was itself altered.
            let signed = key_index_at(&keys, size)
                .and_then(|i| keys[i].1.as_ref())
                .is_some_and(|k| verify_note(&note, &origin, k).is_ok());
            // The entries after the last good checkpoint, to this one's last: one entry
            // is named whole (its matter and step).
            let to = (rep.ends.get(&size).cloned()).unwrap_or_else(|| Location::line(size, None));
            let from = if good + 1 == size {
                to.clone()
            } else {
                Location::line(good + 1, None)
            };
            let changed = (from, to);
            let before = rep.problems.len();
            rep.push(
                "E-CKPT-ROOT",
                *name,
                Kind::Log(check::ProblemKind::RootMismatch {
                    size,
                    after: good,
                    changed,
                    signed,
                    later: 0,
                    last: size,
                }),
            );
            if rep.problems.len() > before {
                run = Some(before);
            }
            continue;
        }
        if check_village_sig(&note, &origin, size, &keys, name, rep) {
            good = size;
            // Kept only where a cosigned checkpoint must repeat it.
            if cosigned.contains_key(&size) {
                bodies.insert(size, note.text.clone());
            }
            if rep.latest.as_ref().is_none_or(|(s, _)| *s < size) {
                rep.latest = Some((size, text));
            }
        }
    }
    match checkpoints.keys().next_back() {
        None => rep.push(
            "E-CKPT-NONE",
            "checkpoints/",
            Kind::Log(check::ProblemKind::NoCheckpoint),
        ),
        Some(&last) if last < entries => rep.push(
            "E-CKPT-SIZE",
            line_loc(last + 1, None),
            Kind::Log(check::ProblemKind::Unsigned {
                signed: last,
                entries,
            }),
        ),
        _ => {}
    }
    rep.root = rep.roots.get(&entries).copied();

    // Cosigned checkpoints.
    let mut unchecked = 0;
    // A cosigned checkpoint of another history of this village (E-ROLLBACK, E-FORK).
    let mut evidence = false;
    for (&size, name) in cosigned {
        let Some(text) = load_note(reader, name, rep) else {
            continue;
        };
        let Some((note, cp)) = parse_checkpoint(&text, name, size, &origin, rep) else {
            continue;
        };
        if let Some((text, root)) = unmatched.get(&size)
            && *text == note.text
        {
            // The bundle's own checkpoint, cosigned, that the log no longer matches: not
            // another history, but this one changed since (E-CKPT-ROOT says where). Still
            // a cosigned history the log departs from, so still E-FORK, said as it is.
            rep.push(
                "E-FORK",
                *name,
                Kind::CosignedLogChanged {
                    size,
                    root: root.clone(),
                },
            );
            continue;
        }
        if bodies.get(&size) != Some(&note.text) {
            // Signed by one of this village's keys, yet not this log's checkpoint at that
            // size: this log lost entries since (a rollback) or holds another history.
            let village_signed = (keys.iter().filter_map(|(_, k)| k.as_ref()))
                .any(|k| verify_note(&note, &origin, k).is_ok());
            // Another history where its root is not the log's own at that size (known
            // from the log itself, whether or not the log's checkpoint file is there).
            let other = size > entries || rep.roots.get(&size) != Some(&cp.root);
            if village_signed && other {
                evidence = true;
                let code = if size > entries {
                    "E-ROLLBACK"
                } else {
                    "E-FORK"
                };
                rep.push(code, *name, Kind::CosignedElsewhere { size, entries });
            } else {
                rep.push("E-CKPT-COSIG", *name, Kind::CosignedBody);
            }
            continue;
        }
        if !check_village_sig(&note, &origin, size, &keys, name, rep) {
            continue;
        }
        match &opts.township {
            None => unchecked += 1,
            Some(t) => {
                let pk = t.to_bytes();
                let claims = note
                    .sigs
                    .iter()
                    .any(|s| s.key_id == key_id(&s.name, ALG_COSIGNATURE_V1, &pk));
                match find_cosignature(&note, t) {
                    Some(time) => rep.cosigned.push((size, time)),
                    // A line that claims the pinned key but does not verify is forged.
                    None if claims => rep.push(
                        "E-CKPT-COSIG",
                        *name,
                        Kind::Cosignature {
                            fingerprint: t.fingerprint(),
                        },
                    ),
                    None => {}
                }
            }
        }
    }
    if opts.require_cosignature
        && rep.cosigned.is_empty()
        && !evidence
        && let Some(t) = &opts.township
    {
        // Nothing shows this log to be one the township saw: cosigned/ may have been
        // dropped with the entries after it (a rollback re-signed by the village key).
        // Not a problem by itself (a record never cosigned is not tampered with, and a
        // lost-key rotation needs this key to verify at all): a warning that says so.
        rep.warnings.push(Warning::NotCosignedBy {
            fingerprint: t.fingerprint(),
        });
    }
    if unchecked > 0 {
        rep.warnings
            .push(Warning::CosignaturesUnchecked { count: unchecked });
    }
}

/// The key valid for a checkpoint of `size`: the last change at or before `size`.
fn key_index_at<K>(keys: &[(u64, K)], size: u64) -> Option<usize> {
    keys.iter().rposition(|(from, _)| *from <= size)
}

/// Verifies the village signature with the key valid at `size`; reports a signature by a
/// village key valid at another size as `E-KEY-VALIDITY`.
fn check_village_sig(
    note: &Note,
    origin: &str,
    size: u64,
    keys: &[(u64, Option<PublicKey>)],
    name: &str,
    rep: &mut Report,
) -> bool {
    let valid = key_index_at(keys, size);
    let key = valid.and_then(|i| keys[i].1.as_ref());
    let err = match key {
        Some(k) => match verify_note(note, origin, k) {
            Ok(()) => return true,
            Err(e) => e,
        },
        None => NoteError::NoSignature {
            name: origin.to_string(),
        },
    };
    // Signed by another of the village's keys, outside its validity?
    for (i, (from, k)) in keys.iter().enumerate() {
        if Some(i) == valid {
            continue;
        }
        if let Some(k) = k
            && verify_note(note, origin, k).is_ok()
        {
            rep.push(
                "E-KEY-VALIDITY",
                name,
                Kind::KeyNotValid {
                    fingerprint: k.fingerprint(),
                    size,
                    valid_from: *from,
                    valid_to: keys.get(i + 1).map(|(f, _)| f - 1),
                },
            );
            return false;
        }
    }
    rep.push(
        "E-CKPT-SIG",
        name,
        Kind::Log(check::ProblemKind::CheckpointSignature(err)),
    );
    false
}

/// The time of a valid cosignature by `township` (any name), if there is one.
pub fn find_cosignature(note: &Note, township: &PublicKey) -> Option<u64> {
    let pk = township.to_bytes();
    note.sigs
        .iter()
        .filter(|s| s.key_id == key_id(&s.name, ALG_COSIGNATURE_V1, &pk))
        .find_map(|s| verify_cosignature(note, &s.name, township).ok())
}

/// Whether some line of `note` claims to be a cosignature by `township` (its key id), valid
/// or not: a line that claims it and does not verify was altered or forged; a note with no
/// such line was simply not cosigned by that key.
pub fn claims_cosignature(note: &Note, township: &PublicKey) -> bool {
    let pk = township.to_bytes();
    note.sigs
        .iter()
        .any(|s| s.key_id == key_id(&s.name, ALG_COSIGNATURE_V1, &pk))
}

/// Reads entry `name` whole (refused at once if it declares more than `cap` bytes):
/// the SHA-256 and length of what it holds, or the container problem met on the way
/// (a CRC mismatch, data past the declared size, an I/O error).
fn hash_entry(
    reader: &BundleReader,
    name: &str,
    cap: u64,
) -> Result<crate::record::Digested, ContainerProblem> {
    let mut rd = reader.open_entry_limited(name, cap)?;
    let mut buf = vec![0u8; 256 * 1024];
    crate::record::digest_of_reader(&mut rd, &mut buf).map_err(|e| {
        ContainerProblem::from_io(&e)
            .cloned()
            .unwrap_or_else(|| io_problem(name, &e))
    })
}

/// Checks one referenced file against the size the log records and the hash its name
/// carries; `hashed` is what the parallel pass already found, if it read this file.
fn check_file(
    reader: &BundleReader,
    name: &str,
    r: &Ref,
    hashed: Option<Result<crate::record::Digested, ContainerProblem>>,
    rep: &mut Report,
) {
    let sha = name
        .trim_start_matches("attachments/")
        .trim_start_matches("notices/")
        .trim_end_matches(".pdf")
        .to_string();
    let declared = reader.entry(name).map(|e| e.size).unwrap_or(0);
    let result = match hashed {
        // The same refusal the capped read gives: declared over what the log records.
        Some(_) if declared > r.size => Err(ContainerProblem::new(
            crate::bundle::ProblemKind::DeclaredOverCap {
                size: declared,
                cap: r.size,
            },
            name,
        )),
        Some(h) => h,
        None => hash_entry(reader, name, r.size),
    };
    let place = Location::File {
        name: name.to_string(),
        at: Box::new(r.at.clone()),
    };
    let crate::record::Digested {
        sha256: found,
        len: n_total,
        holds_key,
        key_line,
    } = match result {
        Ok(x) => x,
        Err(p) => {
            if let crate::bundle::ProblemKind::DeclaredOverCap { size, cap } = p.kind {
                rep.push(
                    "E-ATT-SIZE",
                    place,
                    Kind::Attachment(check::ProblemKind::AttachmentSize {
                        sha256: sha,
                        expected: cap,
                        found: size,
                    }),
                );
            } else {
                rep.push(p.code, name, Kind::Container(p));
            }
            return;
        }
    };
    // A signing key in the bundle: the township would archive and pass on the village's
    // key. Said whatever else is wrong with the file; a key of the village's a rotation
    // has since retired is said as a warning (the record keeps it for good).
    let leaked = key_line.as_deref().and_then(crate::record::leaked_key);
    let retired = leaked.as_ref().is_some_and(|k| {
        rep.keys.last().map(|(_, now)| now) != Some(k) && rep.keys.iter().any(|(_, x)| x == k)
    });
    if retired {
        rep.warnings.push(Warning::RetiredKeyInFile {
            file: name.to_string(),
        });
    } else if holds_key {
        rep.push(
            "E-ATT-KEY",
            place.clone(),
            Kind::Attachment(check::ProblemKind::AttachmentHoldsKey {
                sha256: sha.clone(),
            }),
        );
    }
    if n_total != r.size {
        rep.push(
            "E-ATT-SIZE",
            place,
            Kind::Attachment(check::ProblemKind::AttachmentSize {
                sha256: sha,
                expected: r.size,
                found: n_total,
            }),
        );
        return;
    }
    if found != sha {
        rep.push(
            "E-ATT-HASH",
            place,
            Kind::Attachment(check::ProblemKind::AttachmentHash { sha256: sha, found }),
        );
    }
}

/// The document a notice was printed from, taken from the record as of the publish entry
/// (`state` before it, the log of `size` entries with `root`), to be re-rendered with the
/// templates of the version it names (every version this build keeps) and the bundled fonts.
/// `None` when the notice was made by templates this build does not keep or by other fonts:
/// it cannot be reproduced here, which is not tampering (the stored hash still proves the
/// bytes).
fn notice_model(
    state: &crate::rules::State,
    ev: &crate::rules::event::PublishEvent,
    origin: &str,
    size: u64,
    root: Hash,
) -> Option<Result<PublishModel, String>> {
    let n = ev.notice.as_ref()?;
    let version = crate::paper::TemplateVersion::parse(&n.template_version)?;
    if n.font_version != crate::paper::Fonts::bundled().version() {
        return None;
    }
    let at = crate::paper::model::Verification {
        origin: origin.to_string(),
        log_size: size,
        root_hex: hex::encode(root),
    };
    Some(crate::notice::publish_model(state, ev, at, version).map_err(|e| format!("{e:?}")))
}

/// A notice to re-render on another core. `slot` is where its problem, if any, goes in the
/// report (the number of problems when it was met), so the report reads as if rendered
/// in place; `seq` orders notices that share a slot.
struct RenderJob {
    slot: usize,
    seq: usize,
    location: Location,
    expected: String,
    model: PublishModel,
}

/// What re-rendering a notice found: `None` if it is the recorded one.
struct Rendered {
    slot: usize,
    seq: usize,
    problem: Option<(&'static str, Location, Kind)>,
}

fn render_job(job: RenderJob) -> Rendered {
    let fonts = crate::paper::Fonts::bundled();
    let problem = match job.model.render(&fonts) {
        Ok(pdf) => {
            let found = hex::encode(Sha256::digest(&pdf));
            if found == job.expected {
                None
            } else {
                Some((
                    "E-NOTICE-DIFFERS",
                    job.location,
                    Kind::NoticeDiffers {
                        expected: job.expected,
                        found,
                    },
                ))
            }
        }
        Err(e) => Some((
            "E-NOTICE-RENDER",
            job.location,
            Kind::NoticeRender {
                detail: format!("{e:?}"),
            },
        )),
    };
    Rendered {
        slot: job.slot,
        seq: job.seq,
        problem,
    }
}

/// Runs `log` (the log pass, which sends notices to re-render) while a pool of workers
/// renders them; the findings are put back where the log pass met each notice.
fn with_renderers<T>(
    log: impl FnOnce(&std::sync::mpsc::SyncSender<RenderJob>) -> T,
) -> (T, Vec<Rendered>, bool) {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    let (tx, rx) = std::sync::mpsc::sync_channel::<RenderJob>(4 * workers);
    let rx = std::sync::Mutex::new(rx);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => break,
                        };
                        match job {
                            Ok(job) => out.push(render_job(job)),
                            Err(_) => break,
                        }
                    }
                    out
                })
            })
            .collect();
        let t = log(&tx);
        drop(tx);
        let mut all = Vec::new();
        let mut panicked = false;
        for h in handles {
            match h.join() {
                Ok(v) => all.extend(v),
                Err(_) => panicked = true,
            }
        }
        (t, all, panicked)
    })
}

/// The streaming pass over `log/entries.jsonl`.
struct LogPass {
    replay: Replay,
    lines: u64,
    /// Notices rendered on this thread (when no worker was left to take them).
    rendered: Vec<Rendered>,
}

impl LogPass {
    fn run(
        reader: &BundleReader,
        opts: &Options,
        scope: &Scope,
        want: &BTreeSet<u64>,
        refs: &mut BTreeMap<String, Ref>,
        rep: &mut Report,
        render: &std::sync::mpsc::SyncSender<RenderJob>,
    ) -> LogPass {
        let mut pass = LogPass {
            replay: Replay {
                lean: true,
                ..Replay::default()
            },
            lines: 0,
            rendered: Vec::new(),
        };
        let rd = match reader.open_entry(LOG_NAME) {
            Ok(r) => r,
            Err(p) => {
                rep.push(p.code, LOG_NAME, Kind::Container(p));
                rep.log_cut = true;
                return pass;
            }
        };
        let declared = reader.entry(LOG_NAME).map(|e| e.size).unwrap_or(0);
        let bar = crate::bundle::export::progress(if opts.progress { declared } else { 0 }, "log");
        let mut rd = BufReader::with_capacity(256 * 1024, rd);
        let cap = MAX_ENTRY_BYTES + 1;
        let mut tree = CompactRange::new();
        let mut prev_leaf: Option<Hash> = None;
        let mut alive = true;
        let mut future_reported = false;
        let mut prev_entry: Option<Entry> = None;
        let mut seen_framing: BTreeSet<&'static str> = BTreeSet::new();
        let mut line_buf: Vec<u8> = Vec::new();
        let mut unshown = 0u64;
        let mut framing = |rep: &mut Report, f: Framing, line: u64| {
            let key = match f {
                Framing::ByteOrderMark => "bom",
                Framing::CarriageReturn => "cr",
                Framing::NoFinalNewline => "nl",
                Framing::EmptyLine => "empty",
                Framing::LineTooLong { .. } => "long",
            };
            if seen_framing.insert(key) {
                rep.push("E-LOG-FRAMING", line_loc(line, None), Kind::Framing(f));
            }
        };
        loop {
            // The problem list is full: every further line would only be counted (a small
            // ZIP can inflate to a billion empty lines). Reading stops here, and the rest of
            // the bundle is treated as after a log cut short.
            if rep.capped() {
                rep.log_stopped = Some(pass.lines);
                rep.log_cut = true;
                break;
            }
            // One line, capped.
            line_buf.clear();
            let mut too_long = false;
            let mut ended = false;
            let mut got_any = false;
            loop {
                let buf = match rd.fill_buf() {
                    Ok(b) => b,
                    Err(e) => {
                        let p = ContainerProblem::from_io(&e)
                            .cloned()
                            .unwrap_or_else(|| io_problem(LOG_NAME, &e));
                        rep.push(p.code, LOG_NAME, Kind::Container(p));
                        rep.log_cut = true;
                        bar.finish_and_clear();
                        return pass;
                    }
                };
                if buf.is_empty() {
                    break;
                }
                got_any = true;
                let (take, nl) = match buf.iter().position(|&b| b == b'\n') {
                    Some(i) => (i + 1, true),
                    None => (buf.len(), false),
                };
                let data = &buf[..if nl { take - 1 } else { take }];
                if line_buf.len() + data.len() <= cap {
                    line_buf.extend_from_slice(data);
                } else {
                    too_long = true;
                }
                rd.consume(take);
                // The bar moves a buffer at a time, not a line at a time (each move reads
                // the clock; a bundle of millions of empty lines was mostly that).
                unshown += take as u64;
                if unshown >= 1 << 20 {
                    bar.inc(std::mem::take(&mut unshown));
                }
                if nl {
                    ended = true;
                    break;
                }
            }
            if !got_any {
                break;
            }
            pass.lines += 1;
            let line = pass.lines;
            if !ended {
                framing(rep, Framing::NoFinalNewline, line);
            }
            if too_long {
                framing(
                    rep,
                    Framing::LineTooLong {
                        cap: MAX_ENTRY_BYTES,
                    },
                    line,
                );
            }
            if line == 1 && line_buf.starts_with(b"\xEF\xBB\xBF") {
                framing(rep, Framing::ByteOrderMark, line);
            }
            if line_buf.contains(&b'\r') {
                framing(rep, Framing::CarriageReturn, line);
            }
            if line_buf.is_empty() {
                framing(rep, Framing::EmptyLine, line);
            }
            let idx = line - 1;
            let bytes = std::mem::take(&mut line_buf);
            let leaf = leaf_hash(&bytes);
            // Structural checks, line by line, independent of what came before.
            let parsed = Entry::parse(&bytes);
            let mut broken = too_long;
            match &parsed {
                Err(e) => {
                    rep.push_with(entry_code(e), || {
                        (
                            line_loc(line, None),
                            Kind::Log(check::ProblemKind::Entry(e.clone())),
                        )
                    });
                    broken = true;
                }
                Ok(entry) => {
                    // Where this line is, for a problem (made only when there is one).
                    let loc = || line_loc(line, Some(entry));
                    if entry.idx != idx {
                        rep.push(
                            "E-LOG-ORDER",
                            loc(),
                            Kind::Log(check::ProblemKind::EntryIndex {
                                expected: idx,
                                found: entry.idx,
                            }),
                        );
                        broken = true;
                    }
                    if entry.prev != prev_leaf {
                        // In its place, the line before does not hash to what this one
                        // links to: that line was altered (or this link was), and it is
                        // named. Out of place, an entry was removed or inserted.
                        let kind = if entry.idx == idx && line > 1 {
                            check::ProblemKind::LinkMismatch {
                                prev: line_loc(line - 1, prev_entry.as_ref()),
                                this_altered: false,
                            }
                        } else {
                            check::ProblemKind::ChainBroken
                        };
                        rep.push("E-LOG-CHAIN", loc(), Kind::Log(kind));
                        broken = true;
                    }
                    match (&rep.origin, &entry.event) {
                        (None, Event::Genesis(g)) if idx == 0 => {
                            if let Err(e) = PublicKey::from_hex(&g.key) {
                                rep.push(
                                    "E-KEY-WEAK",
                                    loc(),
                                    Kind::WeakKey {
                                        detail: format!("{e:?}"),
                                    },
                                );
                            }
                            rep.origin = Some(g.origin.clone());
                            rep.genesis_leaf = Some(leaf);
                            rep.genesis_key = Some(g.key.clone());
                            rep.genesis_entry = Some(bytes.clone());
                            // Without --trust, any key that signs a consistent log passes:
                            // say which key this one is, to be compared by phone.
                            if opts.trust.is_none()
                                && let Ok(k) = PublicKey::from_hex(&g.key)
                            {
                                rep.warnings.push(Warning::KeyUnpinned {
                                    fingerprint: k.fingerprint(),
                                    now: None,
                                });
                            }
                            if let Some(t) = &opts.trust
                                && t.to_hex() != g.key
                            {
                                let found = PublicKey::from_hex(&g.key)
                                    .map(|k| k.fingerprint())
                                    .unwrap_or_else(|_| g.key.clone());
                                rep.push(
                                    "E-TRUST",
                                    loc(),
                                    Kind::Trust {
                                        expected: t.fingerprint(),
                                        found,
                                        later: None,
                                    },
                                );
                            }
                        }
                        _ => {}
                    }
                    let origin_ok = match &rep.origin {
                        Some(o) => *o == entry.origin,
                        None => true,
                    };
                    if !origin_ok {
                        rep.push(
                            "E-LOG-ORIGIN",
                            loc(),
                            Kind::Log(check::ProblemKind::WrongOrigin {
                                expected: rep.origin.clone().unwrap_or_default(),
                                found: entry.origin.clone(),
                            }),
                        );
                        broken = true;
                    }
                    let village_key = match &entry.event {
                        Event::Genesis(g) if idx == 0 => Some(&g.key),
                        Event::KeyRotate(k) => Some(&k.new),
                        _ => None,
                    };
                    if let (Some(k), Some(t)) = (village_key, &opts.township)
                        && *k == t.to_hex()
                    {
                        rep.push(
                            "E-KEY-TOWNSHIP",
                            loc(),
                            Kind::TownshipKeyAsVillage {
                                fingerprint: t.fingerprint(),
                            },
                        );
                    }
                    if let Event::KeyRotate(k) = &entry.event
                        && let Err(e) = PublicKey::from_hex(&k.new)
                    {
                        rep.push(
                            "E-KEY-WEAK",
                            loc(),
                            Kind::WeakKey {
                                detail: format!("{e:?}"),
                            },
                        );
                    }
                    if let Event::KeyRotate(k) = &entry.event
                        && let Some(t) = k.authority.strip_prefix(crate::keychange::BY_TOWNSHIP)
                    {
                        match &opts.township {
                            Some(p) if p.to_hex() != t => rep.push(
                                "E-KEY-AUTHORITY",
                                loc(),
                                Kind::RotationAuthority {
                                    found: t.to_string(),
                                    pinned: p.to_hex(),
                                },
                            ),
                            Some(_) => {}
                            // The trusted village key no longer signs past this entry, and
                            // nothing says who countersigned: the record cannot be said to
                            // be the trusted village's.
                            None if opts.trust.is_some() => rep.push(
                                "E-KEY-AUTHORITY",
                                loc(),
                                Kind::RotationUnconfirmed {
                                    found: t.to_string(),
                                },
                            ),
                            None => rep.warnings.push(Warning::RotationUnpinned {
                                line,
                                key: t.to_string(),
                            }),
                        }
                    }
                    let matter = entry.event.matter();
                    if scope.selects(matter) {
                        rep.scope_end = (Some(line), None);
                    } else if let Some(m) = matter
                        && !scope.covers(Some(m))
                        && rep.scope_end.1.is_none()
                    {
                        rep.scope_end.1 = Some((line_loc(line, Some(entry)), m.to_string()));
                    }
                    let in_scope = scope.covers(matter);
                    for a in entry.event.attachments() {
                        refs.entry(crate::bundle::export::attachment_name(&a.sha256))
                            .or_insert_with(|| Ref {
                                size: a.size,
                                at: line_loc(line, Some(entry)),
                                in_scope,
                            });
                    }
                    if let Event::Publish(p) = &entry.event
                        && let Some(n) = &p.notice
                    {
                        refs.entry(crate::bundle::export::notice_name(&n.sha256))
                            .or_insert_with(|| Ref {
                                size: n.size,
                                at: line_loc(line, Some(entry)),
                                in_scope,
                            });
                    }
                }
            }
            // The procedure: replay through the rules engine while the log holds together.
            if alive && broken {
                alive = false;
                rep.warnings.push(Warning::ReplayStopped { line });
            }
            if let Ok(entry) = &parsed
                && !future_reported
                && let Some(now) = opts.now
                && entry.time > now + chrono::Duration::hours(CLOCK_SLACK_HOURS)
            {
                // Times never go back (E-RULE otherwise), so one report names the first.
                future_reported = true;
                rep.push(
                    "E-LOG-FUTURE",
                    line_loc(line, Some(entry)),
                    Kind::EntryInFuture {
                        time: entry.time,
                        now,
                    },
                );
            }
            if alive && let Ok(entry) = &parsed {
                if let Event::Publish(p) = &entry.event
                    && let Some(n) = &p.notice
                {
                    let origin = rep.origin.clone().unwrap_or_default();
                    match notice_model(&pass.replay.state, p, &origin, idx, tree.root()) {
                        None => rep.warnings.push(Warning::CannotReproduce {
                            line,
                            template: n.template_version.clone(),
                            font: n.font_version.clone(),
                        }),
                        Some(Ok(model)) => {
                            let job = RenderJob {
                                slot: rep.problems.len(),
                                seq: line as usize,
                                location: line_loc(line, Some(entry)),
                                expected: n.sha256.clone(),
                                model,
                            };
                            // A closed channel means no worker is left: render here.
                            if let Err(std::sync::mpsc::SendError(job)) = render.send(job) {
                                pass.rendered.push(render_job(job));
                            }
                        }
                        Some(Err(detail)) => rep.push(
                            "E-NOTICE-RENDER",
                            line_loc(line, Some(entry)),
                            Kind::NoticeRender { detail },
                        ),
                    }
                }
                match pass.replay.feed_parsed_audit(entry, leaf) {
                    Ok(None) => {}
                    Ok(Some(p)) | Err(p @ check::Problem { .. })
                        if matches!(p.kind, check::ProblemKind::Rule(_)) =>
                    {
                        rep.push("E-RULE", line_loc(line, Some(entry)), Kind::Log(p.kind));
                    }
                    Ok(Some(p)) | Err(p) => {
                        rep.push(p.code, line_loc(line, Some(entry)), Kind::Log(p.kind));
                        alive = false;
                        rep.warnings.push(Warning::ReplayStopped { line });
                    }
                }
            }
            tree.push(leaf);
            prev_leaf = Some(leaf);
            if want.contains(&line) {
                rep.roots.insert(line, tree.root());
                rep.ends.insert(line, line_loc(line, parsed.as_ref().ok()));
            }
            // Kept for the next line's place, should its link not fit (moved, not copied).
            prev_entry = parsed.ok();
            line_buf = bytes;
        }
        bar.inc(unshown);
        bar.finish_and_clear();
        rep.roots.insert(pass.lines, tree.root());
        pass
    }
}
