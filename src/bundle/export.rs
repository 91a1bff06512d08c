//! `liuyi export`: writes the township's audit bundle from the village database.
//!
//! Layout (ASCII names only; see README "Bundle"):
//! `FORMAT` (`liuyi-bundle/v1` and a scope line), `README.txt` (zh + en, not trusted),
//! `log/entries.jsonl` (each stored entry's exact bytes + "\n", in index order),
//! `checkpoints/<size>.txt` (every stored checkpoint note, exactly as stored),
//! `cosigned/<size>.txt` (township-cosigned checkpoints the village imported),
//! `attachments/<sha256hex>` (every referenced attachment, named by hash only: the original
//! file name lives in the signed entry, an extension here would be unsigned metadata), and
//! `notices/<sha256hex>.pdf` (every printed notice; always a PDF, so the extension is fixed).
//!
//! A scoped export (`--year`, `--proposal`) carries the log prefix up to the first checkpoint
//! covering the last entry of the selection, with every checkpoint in it, and only the
//! attachments the selection references; FORMAT names the scope so `verify` tolerates the
//! other matters' attachments being absent (and only that: everything included is checked).
//!
//! This module owns the layout and streams from the store; the ZIP layer is `BundleWriter`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::bundle::{BundleWriter, Method, WriteError};
use crate::error::{Error, Result, Usage};
use crate::i18n::Lang;
use crate::rules::Event;
use crate::store::Store;
use sha2::{Digest, Sha256};

/// The first line of FORMAT.
pub const FORMAT_LINE: &str = "liuyi-bundle/v1";
pub const FORMAT_NAME: &str = "FORMAT";
pub const README_NAME: &str = "README.txt";
pub const LOG_NAME: &str = "log/entries.jsonl";

/// What a bundle covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Year(i32),
    Proposal(String),
}

impl Scope {
    /// The FORMAT scope line (without newline).
    pub fn line(&self) -> String {
        match self {
            Scope::All => "scope all".into(),
            Scope::Year(y) => format!("scope year {y}"),
            Scope::Proposal(id) => format!("scope proposal {id}"),
        }
    }

    pub fn parse_line(s: &str) -> Option<Scope> {
        let rest = s.strip_prefix("scope ")?;
        if rest == "all" {
            return Some(Scope::All);
        }
        if let Some(y) = rest.strip_prefix("year ") {
            let n: i32 = y.parse().ok()?;
            return (n.to_string() == y && (1000..=9999).contains(&n)).then_some(Scope::Year(n));
        }
        let id = rest.strip_prefix("proposal ")?;
        valid_id(id).then(|| Scope::Proposal(id.to_string()))
    }

    /// Whether an entry about `matter` (None: a village-wide entry) is in scope.
    pub fn covers(&self, matter: Option<&str>) -> bool {
        match (self, matter) {
            (Scope::All, _) | (_, None) => true,
            (Scope::Year(y), Some(m)) => m.starts_with(&format!("{y}-")),
            (Scope::Proposal(id), Some(m)) => m == id,
        }
    }

    /// Whether an entry about `matter` is what was asked for (village-wide entries are
    /// carried for context but do not extend the selection).
    pub fn selects(&self, matter: Option<&str>) -> bool {
        match self {
            Scope::All => true,
            _ => matter.is_some() && self.covers(matter),
        }
    }
}

/// A matter id as the FORMAT line may carry it: short, ASCII letters, digits and `-`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The bundle name of an attachment or notice.
pub fn attachment_name(sha: &str) -> String {
    format!("attachments/{sha}")
}
pub fn notice_name(sha: &str) -> String {
    format!("notices/{sha}.pdf")
}

/// What was written.
pub struct Exported {
    pub path: PathBuf,
    pub entries: u64,
    pub checkpoints: usize,
    pub attachments: usize,
    pub notices: usize,
    pub bytes: u64,
}

/// Streams the log in pages as one `Read` (entry bytes + "\n").
struct LogReader<'a> {
    store: &'a Store,
    next: u64,
    end: u64,
    page: std::collections::VecDeque<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
    bar: &'a indicatif::ProgressBar,
}

impl Read for LogReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.cur.len() {
            if let Some(mut e) = self.page.pop_front() {
                e.push(b'\n');
                self.cur = e;
                self.pos = 0;
                self.bar.inc(1);
                continue;
            }
            if self.next >= self.end {
                return Ok(0);
            }
            let n = (self.end - self.next).min(512);
            let page = self
                .store
                .entries_page(self.next, n)
                .map_err(|e| std::io::Error::other(format!("{e:?}")))?;
            if page.is_empty() {
                return Err(std::io::Error::other("log ended early"));
            }
            self.next += page.len() as u64;
            self.page.extend(page.into_iter().map(|e| e.bytes));
        }
        let n = buf.len().min(self.cur.len() - self.pos);
        buf[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn write_err(path: &Path, e: WriteError) -> Error {
    match e {
        WriteError::Exists { path } => Usage::OutputExists(path).into(),
        WriteError::Io(err) => Error::io(path, err),
        other => Error::Internal(other.to_string()),
    }
}

/// A progress bar on stderr when it is a terminal, hidden otherwise (`crate::progress`).
pub fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    crate::progress::bar(len, what)
}

/// Writes the bundle for `scope` to `out` (never overwriting), after replaying the whole log
/// through the rules: a log that does not hold together is refused, not exported.
pub fn export(store: &Store, scope: &Scope, out: &Path, lang: Lang) -> Result<Exported> {
    // Pass 1 (streaming, with the replay): which entries the scope selects, what they
    // reference.
    let mut last_selected: Option<u64> = None;
    let mut origin = String::new();
    // SHA-256 → the first entry that names it (where a refusal places the file).
    let mut attachments: BTreeMap<String, u64> = BTreeMap::new();
    let mut notices: BTreeMap<String, u64> = BTreeMap::new();
    let mut all_refs: Vec<(u64, bool, String, u64)> = Vec::new();
    let total = store.entry_count()?;
    crate::check::confirm(store, |idx, entry| {
        if let Event::Genesis(g) = &entry.event {
            origin = g.origin.clone();
        }
        let m = entry.event.matter();
        if scope.selects(m) {
            last_selected = Some(idx);
        }
        if scope.covers(m) {
            for a in entry.event.attachments() {
                all_refs.push((idx, false, a.sha256.clone(), a.size));
            }
            if let Event::Publish(p) = &entry.event
                && let Some(n) = &p.notice
            {
                all_refs.push((idx, true, n.sha256.clone(), n.size));
            }
        }
    })?;
    let Some(last) = last_selected else {
        return Err(Usage::NothingToExport(scope.clone()).into());
    };
    let checkpoints = store.checkpoints()?;
    let Some(size) = checkpoints.iter().map(|(s, _, _)| *s).find(|s| *s > last) else {
        return Err(Error::Internal("no checkpoint covers the log".into()));
    };
    // A note whose bytes were not UTF-8 (`store::UNREADABLE`) was changed with another
    // tool: refused here, as `check` reports it, not shipped for the township's `verify` to
    // find far from its cause.
    let cosigned = store.cosigned()?;
    let unreadable = checkpoints
        .iter()
        .filter(|(s, note, _)| *s <= size && note.starts_with(crate::store::UNREADABLE))
        .map(|(s, _, _)| crate::check::Problem {
            code: "E-CKPT-MALFORMED",
            location: crate::location::Location::Checkpoint(*s),
            kind: crate::check::ProblemKind::CheckpointMalformed(
                crate::record::note::NoteError::NotUtf8,
            ),
        })
        .chain(
            cosigned
                .iter()
                .filter(|(s, note)| *s <= size && note.starts_with(crate::store::UNREADABLE))
                .map(|(s, _)| crate::check::Problem {
                    code: "E-CKPT-COSIG",
                    location: crate::location::Location::Cosigned(*s),
                    kind: crate::check::ProblemKind::CosignedNotOurs { size: *s },
                }),
        )
        .collect::<Vec<_>>();
    if !unreadable.is_empty() {
        return Err(Error::Integrity(unreadable));
    }
    for (idx, notice, sha, _) in all_refs {
        if idx < size {
            let map = if notice {
                &mut notices
            } else {
                &mut attachments
            };
            map.entry(sha).or_insert(idx);
        }
    }

    let mut w = BundleWriter::create(out).map_err(|e| write_err(out, e))?;
    let we = |e| write_err(out, e);
    let format = format!("{FORMAT_LINE}\n{}\n", scope.line());
    w.add_bytes(FORMAT_NAME, Method::Stored, format.as_bytes())
        .map_err(we)?;
    let root = checkpoints
        .iter()
        .find(|(s, _, _)| *s == size)
        .and_then(|(_, note, _)| note.lines().nth(2).map(str::to_string))
        .unwrap_or_default();
    let readme = crate::i18n::bundle::readme(&origin, size, &root, &scope.line());
    w.add_bytes(README_NAME, Method::Deflate, readme.as_bytes())
        .map_err(we)?;
    let _ = lang;

    let bar = progress(size + (attachments.len() + notices.len()) as u64, "export");
    let log = LogReader {
        store,
        next: 0,
        end: size.min(total),
        page: Default::default(),
        cur: Vec::new(),
        pos: 0,
        bar: &bar,
    };
    w.add_file(LOG_NAME, Method::Deflate, log).map_err(we)?;
    let mut n_cp = 0;
    for (s, note, _) in checkpoints.iter().filter(|(s, _, _)| *s <= size) {
        w.add_bytes(
            &format!("checkpoints/{s}.txt"),
            Method::Deflate,
            note.as_bytes(),
        )
        .map_err(we)?;
        n_cp += 1;
    }
    for (s, note) in cosigned.iter().filter(|(s, _)| *s <= size) {
        w.add_bytes(
            &format!("cosigned/{s}.txt"),
            Method::Deflate,
            note.as_bytes(),
        )
        .map_err(we)?;
    }
    for (names, map) in [(false, &attachments), (true, &notices)] {
        for (sha, &first) in map {
            let name = if names {
                notice_name(sha)
            } else {
                attachment_name(sha)
            };
            // Where a refusal places the file: with the entry that names it, as `check` does.
            let place = || crate::location::Location::Stored {
                name: name.clone(),
                at: Box::new(crate::check::entry_place(store, first)),
            };
            // Hashed as it is copied: a stored file that is not the one the log names (bit
            // rot, or an edit with the sqlite3 tool) is refused, not shipped.
            let r = store.with_attachment(sha, |reader, _| {
                let mut hashing = Hashing {
                    inner: reader,
                    hash: Sha256::new(),
                };
                let written = w.add_file(&name, Method::Stored, &mut hashing);
                (written, hex::encode(hashing.hash.finalize()))
            })?;
            match r {
                Some((written, found)) => {
                    written.map_err(we)?;
                    if found != *sha {
                        return Err(Error::Integrity(vec![crate::check::Problem {
                            code: "E-ATT-HASH",
                            location: place(),
                            kind: crate::check::ProblemKind::AttachmentHash {
                                sha256: sha.clone(),
                                found,
                            },
                        }]));
                    }
                }
                None => {
                    return Err(Error::Integrity(vec![crate::check::Problem {
                        code: "E-ATT-MISSING",
                        location: place(),
                        kind: crate::check::ProblemKind::AttachmentMissing {
                            sha256: sha.clone(),
                        },
                    }]));
                }
            }
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    let path = w.finish().map_err(we)?;
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(Exported {
        path,
        entries: size,
        checkpoints: n_cp,
        attachments: attachments.len(),
        notices: notices.len(),
        bytes,
    })
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: std::io::Read> std::io::Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}
