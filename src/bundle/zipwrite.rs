//! The bundle writer: a deterministic, streaming ZIP writer that never shows a half-written
//! file under its final name and never overwrites one.
//!
//! It writes to `.<name>.partial-<pid>-<hex>` in the final directory (`fsutil::create_partial`), streams each entry (stored or
//! deflate) while computing its CRC-32, then seeks back to fill in the local header, so there
//! are no data descriptors. Output depends only on the names, methods and bytes added: every
//! entry has the timestamp 1980-01-01 00:00, mode 0644, no comment, and no extra field unless
//! ZIP64 needs one. `finish` fsyncs the file, links it to the final name without replacing
//! anything (hard link, else `renameat2(RENAME_NOREPLACE)`), and fsyncs the directory.
//! Dropping an unfinished writer removes the temporary file.

use std::collections::HashMap;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::DeflateEncoder;

use super::Method;
use super::format::*;
use super::names::{MAX_NAME_LEN, NameFault, escape_control, escape_name, name_faults};

const CHUNK: usize = 64 * 1024;

/// Why writing a bundle failed. The sentences are in `crate::i18n::bundle::describe_write_error`.
#[derive(Debug)]
pub enum WriteError {
    /// The final path already exists (checked on `create` and again when linking).
    Exists { path: PathBuf },
    /// The final path has no file name.
    BadPath { path: PathBuf },
    /// The entry name is off the allowlist (escaped for printing).
    BadName {
        name: String,
        faults: Vec<NameFault>,
    },
    /// An entry of that name was already added.
    DuplicateName { name: String },
    /// An entry whose name differs only in case was already added.
    CaseCollision { name: String, other: String },
    /// Reading the data for an entry failed.
    Source { name: String, err: io::Error },
    /// Writing the bundle file failed.
    Io(io::Error),
    /// An earlier entry failed half-way; the bundle is abandoned.
    Poisoned,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::bundle::describe_write_error(
            self,
            crate::i18n::Lang::En,
        ))
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteError::Source { err, .. } | WriteError::Io(err) => Some(err),
            _ => None,
        }
    }
}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// What was written for one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntrySummary {
    pub name: String,
    pub method: Method,
    pub size: u64,
    pub compressed_size: u64,
    pub crc32: u32,
}

struct CdRecord {
    name: String,
    method: u16,
    crc: u32,
    csize: u64,
    usize: u64,
    offset: u64,
}

/// The file under the temporary name, with an optional failpoint for tests.
pub(crate) struct Sink {
    file: File,
    written: u64,
    fail_after: Option<u64>,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let buf = match self.fail_after {
            Some(limit) => {
                let left = limit.saturating_sub(self.written);
                if left == 0 && !buf.is_empty() {
                    return Err(io::Error::other("failpoint: write budget exhausted"));
                }
                &buf[..buf.len().min(usize::try_from(left).unwrap_or(usize::MAX))]
            }
            None => buf,
        };
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Seek for Sink {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.file.seek(pos)
    }
}

/// Counts bytes written through it (the compressed size).
struct Counter<W> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for Counter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Thresholds at which ZIP64 fields are used. Real values in production; tests lower them to
/// exercise the ZIP64 code paths with small files.
#[derive(Clone, Copy)]
pub(crate) struct Zip64At {
    pub size: u64,
    pub count: u64,
}

impl Default for Zip64At {
    fn default() -> Self {
        Zip64At {
            size: U32_SENTINEL as u64,
            count: U16_SENTINEL as u64,
        }
    }
}

/// Writes one bundle. See the module documentation.
pub struct BundleWriter {
    out: Option<BufWriter<Sink>>,
    temp_path: PathBuf,
    final_path: PathBuf,
    entries: Vec<CdRecord>,
    /// Lower-cased name -> name as added, for duplicate and case-collision checks.
    folded: HashMap<String, String>,
    pos: u64,
    poisoned: bool,
    done: bool,
    zip64_at: Zip64At,
}

enum EntryFail {
    Source(io::Error),
    Sink(io::Error),
}

impl From<io::Error> for EntryFail {
    fn from(e: io::Error) -> Self {
        EntryFail::Sink(e)
    }
}

impl BundleWriter {
    /// Starts a bundle that will appear at `final_path` when [`finish`](Self::finish)
    /// succeeds. Refuses if `final_path` exists.
    pub fn create(final_path: impl AsRef<Path>) -> Result<Self, WriteError> {
        let final_path = final_path.as_ref().to_path_buf();
        if final_path.file_name().is_none() {
            return Err(WriteError::BadPath { path: final_path });
        }
        if fs::symlink_metadata(&final_path).is_ok() {
            return Err(WriteError::Exists { path: final_path });
        }
        // `.<name>.partial-<pid>-<hex>`, a new name never met before, removed by the
        // interrupt handler on Ctrl-C; stale ones of processes gone are removed first.
        let (file, temp_path) = crate::fsutil::create_partial(&final_path)?;
        Ok(BundleWriter {
            out: Some(BufWriter::with_capacity(
                4 * CHUNK,
                Sink {
                    file,
                    written: 0,
                    fail_after: None,
                },
            )),
            temp_path,
            final_path,
            entries: Vec::new(),
            folded: HashMap::new(),
            pos: 0,
            poisoned: false,
            done: false,
            zip64_at: Zip64At::default(),
        })
    }

    /// The temporary file being written.
    pub fn temp_path(&self) -> &Path {
        &self.temp_path
    }

    /// Test hook: every write to the file fails once `bytes` have been written.
    #[cfg(test)]
    pub(crate) fn fail_after(&mut self, bytes: u64) {
        if let Some(out) = self.out.as_mut() {
            out.get_mut().fail_after = Some(bytes);
        }
    }

    /// Test hook: use ZIP64 fields from these (small) sizes and counts on.
    #[cfg(test)]
    pub(crate) fn zip64_from(&mut self, size: u64, count: u64) {
        self.zip64_at = Zip64At { size, count };
    }

    /// Adds the in-memory `data` as entry `name`.
    pub fn add_bytes(
        &mut self,
        name: &str,
        method: Method,
        data: &[u8],
    ) -> Result<EntrySummary, WriteError> {
        self.add_file(name, method, data)
    }

    /// Streams `reader` to its end as entry `name`. Memory use does not depend on the size.
    /// A bad or duplicate name is refused and the writer stays usable; an I/O failure
    /// abandons the bundle (later calls return [`WriteError::Poisoned`]).
    pub fn add_file<R: Read>(
        &mut self,
        name: &str,
        method: Method,
        reader: R,
    ) -> Result<EntrySummary, WriteError> {
        if self.poisoned || self.out.is_none() {
            return Err(WriteError::Poisoned);
        }
        let faults = name_faults(name.as_bytes(), MAX_NAME_LEN);
        if !faults.is_empty() {
            return Err(WriteError::BadName {
                name: escape_name(name.as_bytes()),
                faults,
            });
        }
        // Valid names are ASCII, so ASCII case folding is complete.
        let folded = name.to_ascii_lowercase();
        if let Some(other) = self.folded.get(&folded) {
            return Err(if other == name {
                WriteError::DuplicateName {
                    name: name.to_string(),
                }
            } else {
                WriteError::CaseCollision {
                    name: name.to_string(),
                    other: other.clone(),
                }
            });
        }
        match self.write_entry(name, method, reader) {
            Ok(rec) => {
                let summary = EntrySummary {
                    name: name.to_string(),
                    method,
                    size: rec.usize,
                    compressed_size: rec.csize,
                    crc32: rec.crc,
                };
                self.folded.insert(folded, name.to_string());
                self.entries.push(rec);
                Ok(summary)
            }
            Err(e) => {
                self.poisoned = true;
                Err(match e {
                    EntryFail::Source(err) => WriteError::Source {
                        name: name.to_string(),
                        err,
                    },
                    EntryFail::Sink(err) => WriteError::Io(err),
                })
            }
        }
    }

    fn write_entry<R: Read>(
        &mut self,
        name: &str,
        method: Method,
        mut reader: R,
    ) -> Result<CdRecord, EntryFail> {
        let t = self.zip64_at.size;
        let out = self.out.as_mut().ok_or(EntryFail::Sink(io::Error::other(
            "bundle writer already closed",
        )))?;
        let offset = self.pos;
        let placeholder = local_header(name, method.code(), 0, 0, 0, false);
        out.write_all(&placeholder)?;
        let data_start = offset + placeholder.len() as u64;

        let mut crc = crc32fast::Hasher::new();
        let mut usize = 0u64;
        let mut buf = vec![0u8; CHUNK];
        let csize = match method {
            Method::Stored => {
                loop {
                    let n = read_some(&mut reader, &mut buf)?;
                    if n == 0 {
                        break;
                    }
                    crc.update(&buf[..n]);
                    usize += n as u64;
                    out.write_all(&buf[..n])?;
                }
                usize
            }
            Method::Deflate => {
                let mut enc = DeflateEncoder::new(
                    Counter {
                        inner: &mut *out,
                        n: 0,
                    },
                    Compression::fast(),
                );
                loop {
                    let n = read_some(&mut reader, &mut buf)?;
                    if n == 0 {
                        break;
                    }
                    crc.update(&buf[..n]);
                    usize += n as u64;
                    enc.write_all(&buf[..n])?;
                }
                enc.finish()?.n
            }
        };
        let crc = crc.finalize();
        let zip64 = usize >= t || csize >= t;
        let mut end = data_start + csize;
        if zip64 {
            // The local header grows by a 20-byte ZIP64 extra field: move the data up.
            out.flush()?;
            shift_up(out.get_mut(), data_start, end, 20)?;
            end += 20;
        }
        let header = local_header(name, method.code(), crc, csize, usize, zip64);
        out.seek(SeekFrom::Start(offset))?;
        out.write_all(&header)?;
        out.seek(SeekFrom::Start(end))?;
        self.pos = end;
        Ok(CdRecord {
            name: name.to_string(),
            method: method.code(),
            crc,
            csize,
            usize,
            offset,
        })
    }

    /// Writes the central directory and end records, fsyncs, and links the file to its final
    /// name without overwriting. Returns the final path.
    pub fn finish(mut self) -> Result<PathBuf, WriteError> {
        if self.poisoned {
            return Err(WriteError::Poisoned);
        }
        let Some(mut out) = self.out.take() else {
            return Err(WriteError::Poisoned);
        };
        let t = self.zip64_at.size;
        let cd_start = self.pos;
        let mut cd_size = 0u64;
        for e in &self.entries {
            let rec = central_header(e, t);
            out.write_all(&rec)?;
            cd_size += rec.len() as u64;
        }
        let count = self.entries.len() as u64;
        let zip64 = count >= self.zip64_at.count || cd_size >= t || cd_start >= t;
        let mut end = Rec::default();
        if zip64 {
            let z64_pos = cd_start + cd_size;
            end.u32(Z64_EOCD_SIG)
                .u64(Z64_EOCD_LEN - 12)
                .u16(VERSION_MADE_BY)
                .u16(VERSION_NEEDED_ZIP64)
                .u32(0)
                .u32(0)
                .u64(count)
                .u64(count)
                .u64(cd_size)
                .u64(cd_start);
            end.u32(Z64_LOC_SIG).u32(0).u64(z64_pos).u32(1);
        }
        let count16 = if count >= self.zip64_at.count {
            U16_SENTINEL
        } else {
            count as u16
        };
        end.u32(EOCD_SIG)
            .u16(0)
            .u16(0)
            .u16(count16)
            .u16(count16)
            .u32(clip32(cd_size, t))
            .u32(clip32(cd_start, t))
            .u16(0);
        out.write_all(&end.0)?;
        out.flush()?;
        let sink = out.into_inner().map_err(|e| e.into_error())?;
        sink.file.sync_all()?;
        drop(sink);
        let published = publish(&self.temp_path, &self.final_path);
        if published.is_ok() {
            self.done = true;
        }
        published?;
        Ok(self.final_path.clone())
    }
}

impl Drop for BundleWriter {
    fn drop(&mut self) {
        if !self.done {
            drop(self.out.take());
            let _ = fs::remove_file(&self.temp_path);
        }
        crate::fsutil::unregister_temp(&self.temp_path);
    }
}

/// Reads into `buf`, retrying on `Interrupted`; errors are the source's.
fn read_some<R: Read>(reader: &mut R, buf: &mut [u8]) -> Result<usize, EntryFail> {
    loop {
        match reader.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(EntryFail::Source(e)),
        }
    }
}

/// Moves the bytes `[start, end)` of the file up by `by`, copying from the end down.
fn shift_up(sink: &mut Sink, start: u64, end: u64, by: u64) -> io::Result<()> {
    let mut buf = vec![0u8; CHUNK];
    let mut hi = end;
    while hi > start {
        let lo = hi.saturating_sub(CHUNK as u64).max(start);
        let n = (hi - lo) as usize;
        sink.file.seek(SeekFrom::Start(lo))?;
        sink.file.read_exact(&mut buf[..n])?;
        sink.seek(SeekFrom::Start(lo + by))?;
        sink.write_all(&buf[..n])?;
        hi = lo;
    }
    Ok(())
}

fn clip32(v: u64, t: u64) -> u32 {
    if v >= t { U32_SENTINEL } else { v as u32 }
}

fn local_header(name: &str, method: u16, crc: u32, csize: u64, usize: u64, zip64: bool) -> Vec<u8> {
    let mut r = Rec::default();
    r.u32(LFH_SIG)
        .u16(if zip64 {
            VERSION_NEEDED_ZIP64
        } else {
            VERSION_NEEDED
        })
        .u16(0)
        .u16(method)
        .u16(DOS_TIME)
        .u16(DOS_DATE)
        .u32(crc);
    if zip64 {
        r.u32(U32_SENTINEL).u32(U32_SENTINEL);
    } else {
        r.u32(csize as u32).u32(usize as u32);
    }
    r.u16(name.len() as u16).u16(if zip64 { 20 } else { 0 });
    r.bytes(name.as_bytes());
    if zip64 {
        r.u16(ZIP64_EXTRA_ID).u16(16).u64(usize).u64(csize);
    }
    r.0
}

fn central_header(e: &CdRecord, t: u64) -> Vec<u8> {
    // When either size needs ZIP64 both go in the extra field, as in the local header, so the
    // two extra fields have the same length (some tools assume they do).
    let big = e.usize >= t || e.csize >= t;
    let size32 = |v: u64| if big { U32_SENTINEL } else { v as u32 };
    let mut extra = Rec::default();
    if big {
        extra.u64(e.usize).u64(e.csize);
    }
    if e.offset >= t {
        extra.u64(e.offset);
    }
    let zip64 = !extra.0.is_empty();
    let mut r = Rec::default();
    r.u32(CDH_SIG)
        .u16(VERSION_MADE_BY)
        .u16(if zip64 {
            VERSION_NEEDED_ZIP64
        } else {
            VERSION_NEEDED
        })
        .u16(0)
        .u16(e.method)
        .u16(DOS_TIME)
        .u16(DOS_DATE)
        .u32(e.crc)
        .u32(size32(e.csize))
        .u32(size32(e.usize))
        .u16(e.name.len() as u16)
        .u16(if zip64 { extra.0.len() as u16 + 4 } else { 0 })
        .u16(0)
        .u16(0)
        .u16(0)
        .u32(EXTERNAL_ATTRS)
        .u32(clip32(e.offset, t))
        .bytes(e.name.as_bytes());
    if zip64 {
        r.u16(ZIP64_EXTRA_ID)
            .u16(extra.0.len() as u16)
            .bytes(&extra.0);
    }
    r.0
}

/// Makes `temp` visible as `final_path`, failing (and leaving `final_path` alone) if it exists.
fn publish(temp: &Path, final_path: &Path) -> Result<(), WriteError> {
    match fs::hard_link(temp, final_path) {
        Ok(()) => {
            let _ = fs::remove_file(temp);
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(WriteError::Exists {
                path: final_path.to_path_buf(),
            });
        }
        // No hard links here (FAT, some network shares): rename without replacing.
        Err(_) => rename_noreplace(temp, final_path)?,
    }
    sync_dir(final_path);
    Ok(())
}

/// Renames `temp` to `final_path` unless that exists (for file systems without hard links).
#[cfg(target_os = "linux")]
pub(crate) fn rename_noreplace(temp: &Path, final_path: &Path) -> Result<(), WriteError> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let to_c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes()).map_err(|_| WriteError::BadPath {
            path: p.to_path_buf(),
        })
    };
    let (from, to) = (to_c(temp)?, to_c(final_path)?);
    // SAFETY: both pointers are valid NUL-terminated strings for the duration of the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EEXIST) => Err(WriteError::Exists {
            path: final_path.to_path_buf(),
        }),
        // The filesystem does not support the flag: fall back to check-then-rename.
        Some(libc::EINVAL) | Some(libc::ENOSYS) => rename_checked(temp, final_path),
        _ => Err(WriteError::Io(err)),
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn rename_noreplace(temp: &Path, final_path: &Path) -> Result<(), WriteError> {
    rename_checked(temp, final_path)
}

/// Last resort: a small window remains between the check and the rename.
fn rename_checked(temp: &Path, final_path: &Path) -> Result<(), WriteError> {
    if fs::symlink_metadata(final_path).is_ok() {
        return Err(WriteError::Exists {
            path: final_path.to_path_buf(),
        });
    }
    fs::rename(temp, final_path)?;
    Ok(())
}

/// Fsyncs the directory holding `path` so the new name survives a power cut. Best effort:
/// some filesystems refuse to fsync a directory, and the file itself is already durable.
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// For messages: a path with control characters escaped.
pub(crate) fn show_path(p: &Path) -> String {
    escape_control(&p.to_string_lossy())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fallback used where hard links are not available (FAT): never replaces.
    #[test]
    fn rename_fallbacks_never_replace() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        for rename in [rename_noreplace, rename_checked] {
            fs::write(&a, b"new").unwrap();
            fs::write(&b, b"old").unwrap();
            assert!(matches!(rename(&a, &b), Err(WriteError::Exists { .. })));
            assert_eq!(fs::read(&b).unwrap(), b"old");
            fs::remove_file(&b).unwrap();
            rename(&a, &b).unwrap();
            assert!(!a.exists());
            assert_eq!(fs::read(&b).unwrap(), b"new");
            fs::remove_file(&b).unwrap();
        }
    }
}
