//! The audit bundle's container: a strict ZIP writer and a strict, validating ZIP reader.
//!
//! This module knows nothing about what the bundle means (log, checkpoints, attachments); it
//! owns only the ZIP layer. [`BundleWriter`] writes a deterministic archive (fixed timestamps
//! and permissions, entries in the order added, ASCII names from one allowlist, ZIP64 only when
//! sizes need it) to a temporary name and links it to its final name without ever overwriting.
//! [`BundleReader`] treats the file as hostile: it parses the end records and the central
//! directory itself, cross-checks every local header, accounts for every byte of the file, and
//! reports every problem it finds (each with a stable code) before anything is read. Entry data
//! is then streamed with a hard cap and a CRC-32 check, never unpacked to disk.
//!
//! Problems are data ([`ContainerProblem`], [`ProblemKind`]); the sentences that describe them
//! in Chinese and English live in `crate::i18n::bundle`.

pub mod export;
mod format;
mod names;
pub mod verify;
mod zipread;
mod zipwrite;

#[cfg(test)]
pub(crate) mod tests;

use std::fmt;
use std::path::PathBuf;

pub use names::{MAX_NAME_LEN, NameFault, escape_control, escape_name, name_faults};
pub use zipread::{BundleReader, Entry, EntryReader};
pub(crate) use zipwrite::rename_noreplace;
pub use zipwrite::{BundleWriter, EntrySummary, WriteError};

/// How an entry's data is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Method 0: the bytes as they are.
    Stored,
    /// Method 8: raw deflate.
    Deflate,
}

impl Method {
    pub(crate) fn code(self) -> u16 {
        match self {
            Method::Stored => 0,
            Method::Deflate => 8,
        }
    }
}

/// Limits the reader enforces. The defaults are generous for a decade of a village's records;
/// callers (for example `verify` with sizes from the signed log) can tighten them.
///
/// `max_entries` also bounds `verify`'s memory before anything is proved: each member of the
/// central directory costs about 190 bytes while it is validated, so 200,000 hostile empty
/// members take about 54 MB (a million took 261 MB), inside the 64 MB `verify` keeps to. A
/// decade of a large village's bundle holds about 15,000 members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Most entries in one bundle.
    pub max_entries: u64,
    /// Largest declared uncompressed size of one entry, in bytes.
    pub max_entry_size: u64,
    /// Largest sum of declared uncompressed sizes, in bytes.
    pub max_total_size: u64,
    /// Longest entry name, in bytes.
    pub max_name_len: usize,
    /// Most problems listed in one report; the rest are counted in a final `TooManyProblems`.
    pub max_problems: usize,
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            max_entries: 200_000,
            max_entry_size: 4 << 30,
            max_total_size: 64 << 30,
            max_name_len: MAX_NAME_LEN,
            max_problems: 1000,
        }
    }
}

/// Stable problem codes. The CLI prints them and `--json` carries them; never change one.
pub mod codes {
    /// The file is not a complete ZIP: no end-of-central-directory record (cut short, empty,
    /// or not a ZIP at all), or an end record that is cut.
    pub const TRUNCATED: &str = "E-ZIP-TRUNCATED";
    /// An entry name is off the allowlist (zip-slip and friends).
    pub const PATH: &str = "E-ZIP-PATH";
    /// Two entries with the same name, or names equal when case is ignored.
    pub const DUPLICATE: &str = "E-ZIP-DUPLICATE";
    /// Anything else wrong with the structure: extra bytes, encryption, links, methods,
    /// local header vs central directory, overlaps, caps.
    pub const STRUCT: &str = "E-ZIP-STRUCT";
    /// An entry inflates past its declared size.
    pub const BOMB: &str = "E-ZIP-BOMB";
    /// An entry's data ends before its declared size.
    pub const SIZE: &str = "E-ZIP-SIZE";
    /// An entry's CRC-32 does not match.
    pub const CRC: &str = "E-ZIP-CRC";
    /// An entry's compressed data is corrupt, or has bytes after its end.
    pub const DATA: &str = "E-ZIP-DATA";
    /// The caller asked for an entry the bundle does not have.
    pub const NOT_FOUND: &str = "E-ZIP-NOTFOUND";
    /// The bundle could not be read (permissions, disk error).
    pub const IO: &str = "E-ZIP-IO";
}

/// What is wrong, as data. Each kind maps to exactly one code ([`ProblemKind::code`]); the
/// sentences are in `crate::i18n::bundle::describe`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// Reading the file failed.
    Io { detail: String },
    /// No end-of-central-directory record anywhere near the end of the file.
    NoEndRecord { file_len: u64 },
    /// An end record (EOCD, ZIP64 locator or ZIP64 end record) is cut or unreadable.
    EndRecordCut,
    /// Bytes before the first entry (prepended data, or a second archive in front).
    PrependedData { bytes: u64 },
    /// Bytes after the end record (appended data, or a second archive behind).
    TrailingData { bytes: u64 },
    /// The archive has a comment.
    ArchiveComment { len: u64 },
    /// Bytes between entries, or between the last entry and the central directory, that no
    /// entry accounts for.
    HiddenData { start: u64, end: u64 },
    /// The archive claims to span several disks, or an entry starts on another disk.
    MultiDisk,
    /// The end record needs ZIP64 values but there is no valid ZIP64 record, or the ZIP64
    /// record disagrees with the end record.
    BadZip64End,
    /// The central directory lies (partly) outside the file or after where it is.
    CentralDirOutOfRange,
    /// The central directory cannot be parsed (bad signature, runs past its declared size).
    CentralDirMalformed { index: u64 },
    /// The central directory has bytes after its last header.
    CentralDirTrailing { bytes: u64 },
    /// More entries than the cap.
    TooManyEntries { count: u64, cap: u64 },
    /// The sum of declared sizes is over the cap.
    TotalTooLarge { total: u64, cap: u64 },
    /// The name is off the allowlist.
    BadName { faults: Vec<NameFault> },
    /// The same name appears twice.
    Duplicate,
    /// The name equals another one when case is ignored (they collide on Windows and macOS).
    CaseCollision { other: String },
    /// The entry is encrypted (flag bit 0/6/13, or an AES / strong-encryption extra field).
    Encrypted,
    /// General-purpose flags this reader does not accept (patched data, reserved bits).
    UnsupportedFlags { flags: u16 },
    /// Compression method other than stored (0) or deflate (8).
    UnsupportedMethod { method: u16 },
    /// A symbolic link (Unix mode 0o120000).
    Symlink,
    /// A directory entry.
    Directory,
    /// Some other special file (device, FIFO, socket).
    SpecialFile { mode: u32 },
    /// A stored entry whose compressed and uncompressed sizes differ.
    StoredSizeMismatch,
    /// Declared uncompressed size over the per-entry cap.
    EntryTooLarge { size: u64, cap: u64 },
    /// An extra field is malformed (length past its end, repeated id, ZIP64 values missing).
    BadExtraField { id: u16 },
    /// An extra field that changes how the entry is read (Info-ZIP Unicode path/comment).
    ForbiddenExtraField { id: u16 },
    /// The entry has a comment.
    EntryComment,
    /// No local header where the central directory says the entry starts.
    LocalHeaderMissing { offset: u64 },
    /// A local header field differs from the central directory.
    LocalHeaderMismatch { field: &'static str },
    /// The entry's data runs past the start of the central directory.
    DataOutOfRange,
    /// The data descriptor after the data is missing or disagrees with the central directory.
    DataDescriptorMismatch,
    /// The entry's bytes overlap another entry's (the overlapped-file zip bomb).
    Overlap { other: String },
    /// The entry inflates past its declared size.
    Bomb { limit: u64 },
    /// The entry's data ended before its declared size.
    SizeMismatch,
    /// The entry's CRC-32 is wrong.
    CrcMismatch,
    /// The entry's compressed data is corrupt.
    DataCorrupt { detail: String },
    /// The entry's compressed stream ends before its compressed size does.
    DataTrailing { bytes: u64 },
    /// The declared size is over the cap the caller gave for this entry.
    DeclaredOverCap { size: u64, cap: u64 },
    /// No entry of that name.
    NotFound,
    /// The report was cut at the cap; this many more problems were not listed.
    TooManyProblems { omitted: u64 },
}

impl ProblemKind {
    /// The stable code for this kind.
    pub fn code(&self) -> &'static str {
        use ProblemKind::*;
        match self {
            Io { .. } => codes::IO,
            NoEndRecord { .. } | EndRecordCut => codes::TRUNCATED,
            BadName { .. } => codes::PATH,
            Duplicate | CaseCollision { .. } => codes::DUPLICATE,
            Bomb { .. } => codes::BOMB,
            SizeMismatch => codes::SIZE,
            CrcMismatch => codes::CRC,
            DataCorrupt { .. } | DataTrailing { .. } => codes::DATA,
            NotFound => codes::NOT_FOUND,
            PrependedData { .. }
            | TrailingData { .. }
            | ArchiveComment { .. }
            | HiddenData { .. }
            | MultiDisk
            | BadZip64End
            | CentralDirOutOfRange
            | CentralDirMalformed { .. }
            | CentralDirTrailing { .. }
            | TooManyEntries { .. }
            | TotalTooLarge { .. }
            | Encrypted
            | UnsupportedFlags { .. }
            | UnsupportedMethod { .. }
            | Symlink
            | Directory
            | SpecialFile { .. }
            | StoredSizeMismatch
            | EntryTooLarge { .. }
            | BadExtraField { .. }
            | ForbiddenExtraField { .. }
            | EntryComment
            | LocalHeaderMissing { .. }
            | LocalHeaderMismatch { .. }
            | DataOutOfRange
            | DataDescriptorMismatch
            | Overlap { .. }
            | DeclaredOverCap { .. }
            | TooManyProblems { .. } => codes::STRUCT,
        }
    }
}

/// One problem with a bundle's container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerProblem {
    /// Stable code, one of [`codes`]; always `kind.code()`.
    pub code: &'static str,
    /// Where: the entry name (escaped with [`escape_name`]) for a problem with one entry, or
    /// the bundle's file path (control characters escaped) for a problem with the archive.
    pub location: String,
    /// What the bundle should have had, where that applies.
    pub expected: Option<String>,
    /// What it had.
    pub found: Option<String>,
    /// The problem as data.
    pub kind: ProblemKind,
}

impl ContainerProblem {
    pub fn new(kind: ProblemKind, location: impl Into<String>) -> Self {
        ContainerProblem {
            code: kind.code(),
            location: location.into(),
            expected: None,
            found: None,
            kind,
        }
    }

    /// Adds expected and found values.
    pub fn with(mut self, expected: impl fmt::Display, found: impl fmt::Display) -> Self {
        self.expected = Some(expected.to_string());
        self.found = Some(found.to_string());
        self
    }

    /// The problem carried inside an `io::Error` returned by [`EntryReader`]'s `read`, if any.
    pub fn from_io(err: &std::io::Error) -> Option<&ContainerProblem> {
        err.get_ref()?.downcast_ref::<ContainerProblem>()
    }

    pub(crate) fn into_io(self) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, self)
    }
}

/// English, for logs and `Debug`-style output; user-facing text goes through
/// `crate::i18n::bundle::describe`.
impl fmt::Display for ContainerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.code,
            self.location,
            crate::i18n::bundle::describe(&self.kind, crate::i18n::Lang::En)
        )?;
        if let (Some(e), Some(x)) = (&self.expected, &self.found) {
            write!(f, " (expected {e}, found {x})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContainerProblem {}

/// Every problem found in one bundle. Returned by [`BundleReader::open`] when the container is
/// not clean; never empty in that case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerReport {
    /// The bundle file that was checked.
    pub path: PathBuf,
    /// The problems, in the order found (archive-level first, then by central-directory order).
    pub problems: Vec<ContainerProblem>,
}

impl ContainerReport {
    /// True if some problem has this code.
    pub fn has(&self, code: &str) -> bool {
        self.problems.iter().any(|p| p.code == code)
    }

    /// The problems with this code.
    pub fn with_code<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a ContainerProblem> {
        self.problems.iter().filter(move |p| p.code == code)
    }
}

impl fmt::Display for ContainerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContainerReport {}
