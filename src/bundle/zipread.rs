//! The bundle reader: validates a whole ZIP file treated as hostile input, then streams entry
//! data with hard caps. Nothing is ever written to disk.
//!
//! [`BundleReader::open`] parses the end-of-central-directory record (and the ZIP64 locator and
//! end record when present) and the central directory with its own bounded reads, checks every
//! entry's name, flags, method, attributes, extra fields and sizes against [`Caps`], compares
//! every local header with its central-directory record, and checks that the entries, the
//! central directory and the end records account for every byte of the file exactly once (no
//! prepended, hidden, overlapping or trailing bytes). It collects every problem it finds and
//! returns them all; only a clean container yields a reader. [`EntryReader`] then inflates one
//! entry with flat memory, stops at the declared size, and checks the size and CRC-32 at the end.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::bufread::DeflateDecoder;

use super::format::*;
use super::names::{escape_name, name_faults};
use super::zipwrite::show_path;
use super::{Caps, ContainerProblem, ContainerReport, Method, ProblemKind};

/// How far before the end record the reader looks for it: the longest comment plus 1 MiB of
/// appended data (reported as trailing data). Past that the file is "not a ZIP".
const TAIL_SCAN: u64 = EOCD_LEN + 0xFFFF + (1 << 20);

/// One validated entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The name: ASCII, on the allowlist.
    pub name: String,
    pub method: Method,
    /// Declared uncompressed size.
    pub size: u64,
    pub compressed_size: u64,
    pub crc32: u32,
    data_start: u64,
}

/// A validated bundle. See the module documentation.
#[derive(Debug)]
pub struct BundleReader {
    file: File,
    path: PathBuf,
    entries: Vec<Entry>,
    /// Indices into `entries` in name order (names are unique: a duplicate is refused), so
    /// a lookup needs no second copy of each name (a decade's bundle holds 15,000).
    by_name: Vec<u32>,
}

/// Problems collected so far, with the cap on how many are kept.
struct Problems {
    list: Vec<ContainerProblem>,
    cap: usize,
    omitted: u64,
    location: String,
}

impl Problems {
    fn push(&mut self, p: ContainerProblem) {
        if self.list.len() < self.cap {
            self.list.push(p);
        } else {
            self.omitted += 1;
        }
    }
    /// Records an archive-level problem (these are few, so the cap is applied in `finish`).
    fn here(&mut self, kind: ProblemKind) -> &mut ContainerProblem {
        let p = ContainerProblem::new(kind, self.location.clone());
        self.list.push(p);
        self.list.last_mut().expect("just pushed")
    }
    fn finish(mut self) -> Vec<ContainerProblem> {
        if self.list.len() > self.cap {
            self.omitted += (self.list.len() - self.cap) as u64;
            self.list.truncate(self.cap);
        }
        if self.omitted > 0 {
            let p = ContainerProblem::new(
                ProblemKind::TooManyProblems {
                    omitted: self.omitted,
                },
                self.location.clone(),
            );
            self.list.push(p);
        }
        self.list
    }
}

/// Validation stopped: the problem that stops it has been recorded.
struct Stop;

/// A central-directory record, resolved (ZIP64 values applied), with its own problems.
struct Cd {
    raw_name: Vec<u8>,
    flags: u16,
    method: u16,
    crc: u32,
    csize: u64,
    usize: u64,
    offset: u64,
    problems: Vec<ContainerProblem>,
    data_start: Option<u64>,
}

/// The longest escaped name a problem's place prints whole: a hostile name of 60,000 bytes
/// made a line of 60 KB.
const PLACE_NAME_CHARS: usize = 200;

/// `escaped` (of a name of `bytes` bytes) cut to [`PLACE_NAME_CHARS`] characters, saying
/// how long the name is.
fn shortened(escaped: String, bytes: usize) -> String {
    match escaped.char_indices().nth(PLACE_NAME_CHARS) {
        Some((cut, _)) => format!("{}…({bytes} bytes)", &escaped[..cut]),
        None => escaped,
    }
}

impl Cd {
    /// Where a problem is: the entry's name, escaped. Made when a problem needs it, not
    /// kept beside every entry (a hostile directory may hold a million).
    fn loc(&self) -> String {
        shortened(escape_name(&self.raw_name), self.raw_name.len())
    }

    fn problem(&mut self, kind: ProblemKind) -> &mut ContainerProblem {
        let p = ContainerProblem::new(kind, self.loc());
        // One report per kind per entry (the same fault often shows in both headers).
        match self.problems.iter().position(|q| q.kind == p.kind) {
            Some(i) => &mut self.problems[i],
            None => {
                self.problems.push(p);
                self.problems.last_mut().expect("just pushed")
            }
        }
    }
    fn mismatch(&mut self, field: &'static str, cd: impl ToString, local: impl ToString) {
        let p = self.problem(ProblemKind::LocalHeaderMismatch { field });
        p.expected = Some(cd.to_string());
        p.found = Some(local.to_string());
    }
}

impl BundleReader {
    /// Validates the whole container at `path`. Returns a reader only if no problem was found;
    /// otherwise a report listing every problem (capped at `caps.max_problems`).
    pub fn open(path: impl AsRef<Path>, caps: Caps) -> Result<BundleReader, ContainerReport> {
        let path = path.as_ref().to_path_buf();
        let mut probs = Problems {
            list: Vec::new(),
            cap: caps.max_problems.max(1),
            omitted: 0,
            location: show_path(&path),
        };
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) => {
                probs.here(ProblemKind::Io {
                    detail: e.to_string(),
                });
                return Err(ContainerReport {
                    path,
                    problems: probs.finish(),
                });
            }
        };
        let result = validate(&file, &caps, &mut probs);
        match result {
            Ok(cds) if probs.list.is_empty() && probs.omitted == 0 => {
                let mut entries: Vec<Entry> = Vec::with_capacity(cds.len());
                for cd in cds {
                    // ASCII by now (names are checked): moved, not copied.
                    let name = String::from_utf8(cd.raw_name)
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                    entries.push(Entry {
                        name,
                        method: if cd.method == 0 {
                            Method::Stored
                        } else {
                            Method::Deflate
                        },
                        size: cd.usize,
                        compressed_size: cd.csize,
                        crc32: cd.crc,
                        data_start: cd.data_start.unwrap_or(0),
                    });
                }
                let mut by_name: Vec<u32> = (0..entries.len() as u32).collect();
                by_name.sort_unstable_by(|&a, &b| {
                    entries[a as usize].name.cmp(&entries[b as usize].name)
                });
                Ok(BundleReader {
                    file,
                    path,
                    entries,
                    by_name,
                })
            }
            _ => Err(ContainerReport {
                path,
                problems: probs.finish(),
            }),
        }
    }

    /// The bundle file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The validated entries, in central-directory order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry called `name`, if any.
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.by_name
            .binary_search_by(|&i| self.entries[i as usize].name.as_str().cmp(name))
            .ok()
            .map(|k| &self.entries[self.by_name[k] as usize])
    }

    /// Streams the entry called `name`, capped at its declared size.
    pub fn open_entry(&self, name: &str) -> Result<EntryReader<'_>, ContainerProblem> {
        self.open_entry_limited(name, u64::MAX)
    }

    /// Streams the entry called `name`; refuses at once if its declared size is over `cap`
    /// (for example the size recorded in the signed log), and errors while reading if the
    /// data inflates past the declared size.
    pub fn open_entry_limited(
        &self,
        name: &str,
        cap: u64,
    ) -> Result<EntryReader<'_>, ContainerProblem> {
        let Some(e) = self.entry(name) else {
            return Err(ContainerProblem::new(
                ProblemKind::NotFound,
                escape_name(name.as_bytes()),
            ));
        };
        if e.size > cap {
            return Err(ContainerProblem::new(
                ProblemKind::DeclaredOverCap { size: e.size, cap },
                e.name.clone(),
            )
            .with(format!("<= {cap}"), e.size));
        }
        let section = Section {
            file: &self.file,
            pos: e.data_start,
            end: e.data_start + e.compressed_size,
        };
        let src = match e.method {
            Method::Stored => Src::Stored(section),
            Method::Deflate => Src::Deflate(DeflateDecoder::new(BufReader::with_capacity(
                64 * 1024,
                section,
            ))),
        };
        Ok(EntryReader {
            src,
            location: e.name.clone(),
            declared: e.size,
            produced: 0,
            crc: crc32fast::Hasher::new(),
            expected_crc: e.crc32,
            state: State::Reading,
        })
    }
}

fn read_exact(file: &File, buf: &mut [u8], pos: u64, probs: &mut Problems) -> Result<(), Stop> {
    read_exact_at(file, buf, pos).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            probs.here(ProblemKind::EndRecordCut);
        } else {
            probs.here(ProblemKind::Io {
                detail: e.to_string(),
            });
        }
        Stop
    })
}

/// The end records, resolved.
struct End {
    count: u64,
    cd_size: u64,
    cd_offset: u64,
    /// Where the central directory must end (the ZIP64 end record, or the EOCD).
    cd_end: u64,
    /// The locator's offset of the ZIP64 end record, and where that record really is.
    z64: Option<(u64, u64)>,
}

fn find_end(file: &File, probs: &mut Problems) -> Result<End, Stop> {
    let len = file
        .metadata()
        .map_err(|e| {
            probs.here(ProblemKind::Io {
                detail: e.to_string(),
            });
            Stop
        })?
        .len();
    if len < EOCD_LEN {
        probs.here(ProblemKind::NoEndRecord { file_len: len }).found = Some(format!("{len} bytes"));
        return Err(Stop);
    }
    let scan = len.min(TAIL_SCAN);
    let tail_start = len - scan;
    let mut tail = vec![0u8; scan as usize];
    read_exact(file, &mut tail, tail_start, probs)?;
    let mut found = None;
    let mut cut = false;
    for i in (0..tail.len().saturating_sub(3)).rev() {
        if u32_at(&tail, i) != EOCD_SIG {
            continue;
        }
        if i + EOCD_LEN as usize > tail.len() {
            cut = true;
            continue;
        }
        let clen = u16_at(&tail, i + 20) as usize;
        if i + EOCD_LEN as usize + clen > tail.len() {
            cut = true;
            continue;
        }
        found = Some(i);
        break;
    }
    let Some(i) = found else {
        let kind = if cut {
            ProblemKind::EndRecordCut
        } else {
            ProblemKind::NoEndRecord { file_len: len }
        };
        probs.here(kind);
        return Err(Stop);
    };
    let eocd = &tail[i..i + EOCD_LEN as usize];
    let eocd_pos = tail_start + i as u64;
    let clen = u16_at(eocd, 20) as u64;
    let trailing = len - (eocd_pos + EOCD_LEN + clen);
    if trailing > 0 {
        probs
            .here(ProblemKind::TrailingData { bytes: trailing })
            .with_values("0 bytes", format!("{trailing} bytes"));
    }
    if clen > 0 {
        probs.here(ProblemKind::ArchiveComment { len: clen });
    }
    let (disk, cd_disk) = (u16_at(eocd, 4), u16_at(eocd, 6));
    let (n_disk, n_total) = (u16_at(eocd, 8), u16_at(eocd, 10));
    let (cd_size32, cd_off32) = (u32_at(eocd, 12), u32_at(eocd, 16));
    let mut multi = disk != 0 || cd_disk != 0 || n_disk != n_total;

    let needs_z64 =
        n_total == U16_SENTINEL || cd_size32 == U32_SENTINEL || cd_off32 == U32_SENTINEL;
    let mut loc = [0u8; Z64_LOC_LEN as usize];
    let has_loc = eocd_pos >= Z64_LOC_LEN && {
        read_exact(file, &mut loc, eocd_pos - Z64_LOC_LEN, probs)?;
        u32_at(&loc, 0) == Z64_LOC_SIG
    };
    let end = if has_loc {
        let loc_pos = eocd_pos - Z64_LOC_LEN;
        let (z_disk, z_off, disks) = (u32_at(&loc, 4), u64_at(&loc, 8), u32_at(&loc, 16));
        multi |= z_disk != 0 || disks > 1;
        let Some(z_pos) = loc_pos.checked_sub(Z64_EOCD_LEN) else {
            probs.here(ProblemKind::BadZip64End);
            return Err(Stop);
        };
        let mut z = [0u8; Z64_EOCD_LEN as usize];
        read_exact(file, &mut z, z_pos, probs)?;
        if u32_at(&z, 0) != Z64_EOCD_SIG || u64_at(&z, 4) != Z64_EOCD_LEN - 12 {
            probs.here(ProblemKind::BadZip64End);
            return Err(Stop);
        }
        multi |= u32_at(&z, 16) != 0 || u32_at(&z, 20) != 0 || u64_at(&z, 24) != u64_at(&z, 32);
        let (count, cd_size, cd_offset) = (u64_at(&z, 32), u64_at(&z, 40), u64_at(&z, 48));
        let agrees = (n_total == U16_SENTINEL || n_total as u64 == count)
            && (cd_size32 == U32_SENTINEL || cd_size32 as u64 == cd_size)
            && (cd_off32 == U32_SENTINEL || cd_off32 as u64 == cd_offset);
        if !agrees {
            probs.here(ProblemKind::BadZip64End);
        }
        End {
            count,
            cd_size,
            cd_offset,
            cd_end: z_pos,
            z64: Some((z_off, z_pos)),
        }
    } else if needs_z64 {
        probs.here(ProblemKind::BadZip64End);
        return Err(Stop);
    } else {
        End {
            count: n_total as u64,
            cd_size: cd_size32 as u64,
            cd_offset: cd_off32 as u64,
            cd_end: eocd_pos,
            z64: None,
        }
    };
    if multi {
        probs.here(ProblemKind::MultiDisk);
    }
    Ok(end)
}

fn validate(file: &File, caps: &Caps, probs: &mut Problems) -> Result<Vec<Cd>, Stop> {
    let end = find_end(file, probs)?;
    let Some(cd_start) = end.cd_end.checked_sub(end.cd_size) else {
        probs
            .here(ProblemKind::CentralDirOutOfRange)
            .with_values(format!("<= {}", end.cd_end), end.cd_size);
        return Err(Stop);
    };
    let Some(base) = cd_start.checked_sub(end.cd_offset) else {
        probs
            .here(ProblemKind::CentralDirOutOfRange)
            .with_values(format!("<= {cd_start}"), end.cd_offset);
        return Err(Stop);
    };
    if base > 0 {
        probs
            .here(ProblemKind::PrependedData { bytes: base })
            .with_values("0", base);
    }
    if let Some((z_off, z_pos)) = end.z64
        && z_off.checked_add(base) != Some(z_pos)
    {
        probs.here(ProblemKind::BadZip64End);
    }
    if end.count > caps.max_entries {
        probs
            .here(ProblemKind::TooManyEntries {
                count: end.count,
                cap: caps.max_entries,
            })
            .with_values(format!("<= {}", caps.max_entries), end.count);
        return Err(Stop);
    }
    if end.count.saturating_mul(CDH_LEN) > end.cd_size {
        probs
            .here(ProblemKind::CentralDirMalformed { index: 0 })
            .with_values(
                format!(">= {} bytes", end.count.saturating_mul(CDH_LEN)),
                format!("{} bytes", end.cd_size),
            );
        return Err(Stop);
    }

    let mut cds = read_central_dir(file, &end, cd_start, caps, probs)?;

    // Duplicates and case collisions: the entries in order of their names with case
    // ignored (then of their place), so that each after the first of a run is reported
    // against that first, with no second copy of any name.
    let folded = |i: u32| cds[i as usize].raw_name.iter().map(u8::to_ascii_lowercase);
    let mut order: Vec<u32> = (0..cds.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| folded(a).cmp(folded(b)).then(a.cmp(&b)));
    let mut clashes: Vec<(usize, usize)> = Vec::new();
    let mut first = 0usize;
    for k in 1..order.len() {
        if folded(order[k]).eq(folded(order[first])) {
            clashes.push((order[k] as usize, order[first] as usize));
        } else {
            first = k;
        }
    }
    drop(order);
    clashes.sort_unstable();
    for (i, j) in clashes {
        let other = cds[j].loc();
        if cds[j].raw_name == cds[i].raw_name {
            cds[i].problem(ProblemKind::Duplicate);
        } else {
            cds[i].problem(ProblemKind::CaseCollision { other });
        }
    }

    let total = cds.iter().fold(0u64, |t, c| t.saturating_add(c.usize));
    if total > caps.max_total_size {
        probs
            .here(ProblemKind::TotalTooLarge {
                total,
                cap: caps.max_total_size,
            })
            .with_values(format!("<= {}", caps.max_total_size), total);
    }

    // Local headers, and the byte range each entry occupies.
    let mut regions: Vec<(u64, u64, usize)> = Vec::with_capacity(cds.len());
    let mut all_placed = true;
    for (i, cd) in cds.iter_mut().enumerate() {
        match check_local(file, cd, base, cd_start) {
            Ok(Some(r)) => regions.push((r.0, r.1, i)),
            Ok(None) => all_placed = false,
            Err(e) => {
                probs.here(ProblemKind::Io {
                    detail: e.to_string(),
                });
                return Err(Stop);
            }
        }
    }
    regions.sort_unstable();
    let mut cursor = base;
    let mut owner: Option<usize> = None;
    for &(start, stop, i) in &regions {
        if start < cursor {
            let other = owner.map(|o| cds[o].loc()).unwrap_or_default();
            cds[i]
                .problem(ProblemKind::Overlap { other })
                .with_values(format!("start >= {cursor}"), start);
        } else if start > cursor && all_placed {
            report_gap(probs, cursor, start);
        }
        if stop > cursor {
            cursor = stop;
            owner = Some(i);
        }
    }
    if cursor < cd_start && all_placed {
        report_gap(probs, cursor, cd_start);
    }

    // Entry problems, in central-directory order.
    for cd in &mut cds {
        for p in cd.problems.drain(..) {
            probs.push(p);
        }
    }
    Ok(cds)
}

fn report_gap(probs: &mut Problems, start: u64, end: u64) {
    if start == 0 {
        probs
            .here(ProblemKind::PrependedData { bytes: end })
            .with_values("0", end);
    } else {
        probs.here(ProblemKind::HiddenData { start, end }).found =
            Some(format!("{} bytes at {start}..{end}", end - start));
    }
}

trait WithValues {
    fn with_values(&mut self, expected: impl ToString, found: impl ToString);
}

impl WithValues for ContainerProblem {
    fn with_values(&mut self, expected: impl ToString, found: impl ToString) {
        self.expected = Some(expected.to_string());
        self.found = Some(found.to_string());
    }
}

fn read_central_dir(
    file: &File,
    end: &End,
    cd_start: u64,
    caps: &Caps,
    probs: &mut Problems,
) -> Result<Vec<Cd>, Stop> {
    let mut r = BufReader::with_capacity(
        64 * 1024,
        Section {
            file,
            pos: cd_start,
            end: end.cd_end,
        },
    );
    let mut cds = Vec::new();
    let mut consumed = 0u64;
    let mut fixed = [0u8; CDH_LEN as usize];
    for index in 0..end.count {
        let malformed = |probs: &mut Problems, e: io::Error| {
            if e.kind() == io::ErrorKind::UnexpectedEof {
                probs.here(ProblemKind::CentralDirMalformed { index }).found =
                    Some(format!("header {index} runs past the central directory"));
            } else {
                probs.here(ProblemKind::Io {
                    detail: e.to_string(),
                });
            }
            Stop
        };
        r.read_exact(&mut fixed).map_err(|e| malformed(probs, e))?;
        if u32_at(&fixed, 0) != CDH_SIG {
            probs
                .here(ProblemKind::CentralDirMalformed { index })
                .with_values(
                    format!("{CDH_SIG:08x}"),
                    format!("{:08x}", u32_at(&fixed, 0)),
                );
            return Err(Stop);
        }
        let (n, m, k) = (
            u16_at(&fixed, 28) as usize,
            u16_at(&fixed, 30) as usize,
            u16_at(&fixed, 32) as usize,
        );
        let mut var = vec![0u8; n + m + k];
        r.read_exact(&mut var).map_err(|e| malformed(probs, e))?;
        consumed += CDH_LEN + (n + m + k) as u64;
        let raw_name = var[..n].to_vec();
        let mut cd = Cd {
            raw_name,
            flags: u16_at(&fixed, 8),
            method: u16_at(&fixed, 10),
            crc: u32_at(&fixed, 16),
            csize: u32_at(&fixed, 20) as u64,
            usize: u32_at(&fixed, 24) as u64,
            offset: u32_at(&fixed, 42) as u64,
            problems: Vec::new(),
            data_start: None,
        };
        let made_by = u16_at(&fixed, 4);
        let mut disk = u16_at(&fixed, 34) as u32;
        let ext_attr = u32_at(&fixed, 38);

        let faults = name_faults(&cd.raw_name, caps.max_name_len);
        if !faults.is_empty() {
            cd.problem(ProblemKind::BadName { faults });
        }
        let (flags, method) = (cd.flags, cd.method);
        check_flags_method(&mut cd, flags, method);
        // Extra fields, and the ZIP64 values they carry.
        let mut z64: &[u8] = &[];
        match parse_extras(&var[n..n + m]) {
            Err(id) => {
                cd.problem(ProblemKind::BadExtraField { id });
            }
            Ok(extras) => {
                for x in &extras {
                    check_extra_id(&mut cd, x.id);
                    if x.id == ZIP64_EXTRA_ID {
                        z64 = x.data;
                    }
                }
            }
        }
        let mut at = 0usize;
        let mut take64 = |cd: &mut Cd, v: &mut u64| {
            if *v == U32_SENTINEL as u64 {
                if z64.len() >= at + 8 {
                    *v = u64_at(z64, at);
                    at += 8;
                } else {
                    cd.problem(ProblemKind::BadExtraField { id: ZIP64_EXTRA_ID });
                }
            }
        };
        let (mut us, mut cs, mut off) = (cd.usize, cd.csize, cd.offset);
        take64(&mut cd, &mut us);
        take64(&mut cd, &mut cs);
        take64(&mut cd, &mut off);
        (cd.usize, cd.csize, cd.offset) = (us, cs, off);
        if disk == U16_SENTINEL as u32 {
            if z64.len() >= at + 4 {
                disk = u32_at(z64, at);
            } else {
                cd.problem(ProblemKind::BadExtraField { id: ZIP64_EXTRA_ID });
            }
        }
        if disk != 0 {
            cd.problem(ProblemKind::MultiDisk);
        }
        // File type: Unix mode for Unix/macOS hosts, the MS-DOS directory bit for any host.
        let host = made_by >> 8;
        if host == 3 || host == 19 {
            let mode = ext_attr >> 16;
            match mode & 0o170000 {
                0 | 0o100000 => {}
                0o120000 => {
                    cd.problem(ProblemKind::Symlink)
                        .with_values("regular file", format!("mode {mode:o}"));
                }
                0o040000 => {
                    cd.problem(ProblemKind::Directory);
                }
                _ => {
                    cd.problem(ProblemKind::SpecialFile { mode })
                        .with_values("regular file", format!("mode {mode:o}"));
                }
            }
        }
        if ext_attr & 0x10 != 0 {
            cd.problem(ProblemKind::Directory);
        }
        if k > 0 {
            cd.problem(ProblemKind::EntryComment);
        }
        if cd.method == 0 && cd.csize != cd.usize {
            let (u, c) = (cd.usize, cd.csize);
            cd.problem(ProblemKind::StoredSizeMismatch)
                .with_values(u, c);
        }
        if cd.usize > caps.max_entry_size {
            let (size, cap) = (cd.usize, caps.max_entry_size);
            cd.problem(ProblemKind::EntryTooLarge { size, cap })
                .with_values(format!("<= {cap}"), size);
        }
        cds.push(cd);
    }
    let trailing = end.cd_size - consumed.min(end.cd_size);
    if trailing > 0 {
        probs.here(ProblemKind::CentralDirTrailing { bytes: trailing });
    }
    Ok(cds)
}

fn check_flags_method(cd: &mut Cd, flags: u16, method: u16) {
    if flags & FLAGS_ENCRYPTED != 0 {
        cd.problem(ProblemKind::Encrypted);
    }
    let odd = flags & !(FLAGS_ALLOWED | FLAGS_ENCRYPTED);
    if odd != 0 {
        cd.problem(ProblemKind::UnsupportedFlags { flags: odd })
            .with_values("0", format!("{odd:#06x}"));
    }
    if method != 0 && method != 8 {
        cd.problem(ProblemKind::UnsupportedMethod { method })
            .with_values("0 or 8", method);
    }
}

fn check_extra_id(cd: &mut Cd, id: u16) {
    if ENCRYPTION_EXTRA_IDS.contains(&id) {
        cd.problem(ProblemKind::Encrypted);
    }
    if FORBIDDEN_EXTRA_IDS.contains(&id) {
        cd.problem(ProblemKind::ForbiddenExtraField { id });
    }
}

/// Checks the local header of `cd` against it. Returns the byte range the entry occupies
/// (local header to end of data or data descriptor), or `None` if it cannot be placed.
fn check_local(
    file: &File,
    cd: &mut Cd,
    base: u64,
    cd_start: u64,
) -> io::Result<Option<(u64, u64)>> {
    let offset = cd.offset;
    let missing = |cd: &mut Cd| {
        cd.problem(ProblemKind::LocalHeaderMissing { offset });
        Ok(None)
    };
    let Some(pos) = base.checked_add(offset) else {
        return missing(cd);
    };
    if pos.saturating_add(LFH_LEN) > cd_start {
        return missing(cd);
    }
    let mut h = [0u8; LFH_LEN as usize];
    read_exact_at(file, &mut h, pos)?;
    if u32_at(&h, 0) != LFH_SIG {
        return missing(cd);
    }
    let (n, m) = (u16_at(&h, 26) as u64, u16_at(&h, 28) as u64);
    let data_start = pos + LFH_LEN + n + m;
    if data_start > cd_start {
        cd.problem(ProblemKind::DataOutOfRange);
        return Ok(None);
    }
    let mut var = vec![0u8; (n + m) as usize];
    read_exact_at(file, &mut var, pos + LFH_LEN)?;
    let (name, extra) = var.split_at(n as usize);
    if name != cd.raw_name.as_slice() {
        let (a, b) = (cd.loc(), escape_name(name));
        cd.mismatch("name", a, b);
    }
    let (flags, method) = (u16_at(&h, 6), u16_at(&h, 8));
    if flags != cd.flags {
        cd.mismatch(
            "flags",
            format!("{:#06x}", cd.flags),
            format!("{flags:#06x}"),
        );
    }
    if method != cd.method {
        cd.mismatch("method", cd.method, method);
    }
    check_flags_method(cd, flags, method);
    let mut z64: Option<&[u8]> = None;
    match parse_extras(extra) {
        Err(id) => {
            cd.problem(ProblemKind::BadExtraField { id });
        }
        Ok(extras) => {
            for x in &extras {
                check_extra_id(cd, x.id);
                if x.id == ZIP64_EXTRA_ID {
                    z64 = Some(x.data);
                }
            }
        }
    }
    let crc = u32_at(&h, 14);
    let (mut cs, mut us) = (u32_at(&h, 18) as u64, u32_at(&h, 22) as u64);
    // In a local header the ZIP64 extra holds the uncompressed then the compressed size.
    let zd = z64.unwrap_or(&[]);
    let mut at = 0usize;
    for v in [&mut us, &mut cs] {
        if *v == U32_SENTINEL as u64 {
            if zd.len() >= at + 8 {
                *v = u64_at(zd, at);
                at += 8;
            } else {
                cd.problem(ProblemKind::BadExtraField { id: ZIP64_EXTRA_ID });
            }
        }
    }
    let dd = flags & FLAG_DATA_DESCRIPTOR != 0;
    let fields = [
        ("crc-32", cd.crc as u64, crc as u64),
        ("compressed size", cd.csize, cs),
        ("size", cd.usize, us),
    ];
    for (field, want, got) in fields {
        // With a data descriptor the local values may be zero (written before the data).
        if got != want && !(dd && got == 0) {
            if field == "crc-32" {
                cd.mismatch(field, format!("{want:08x}"), format!("{got:08x}"));
            } else {
                cd.mismatch(field, want, got);
            }
        }
    }
    let Some(data_end) = data_start.checked_add(cd.csize).filter(|&e| e <= cd_start) else {
        let found = format!("{data_start} + {}", cd.csize);
        cd.problem(ProblemKind::DataOutOfRange)
            .with_values(format!("end <= {cd_start}"), found);
        return Ok(None);
    };
    cd.data_start = Some(data_start);
    let mut stop = data_end;
    if dd {
        let mut d = [0u8; 24];
        let avail = (cd_start - data_end).min(24) as usize;
        read_exact_at(file, &mut d[..avail], data_end)?;
        let d = &d[..avail];
        let wide_first = z64.is_some();
        let mut len = None;
        for (sig, wide) in [
            (true, wide_first),
            (true, !wide_first),
            (false, wide_first),
            (false, !wide_first),
        ] {
            if let Some(l) = descriptor_matches(d, sig, wide, cd) {
                len = Some(l);
                break;
            }
        }
        match len {
            Some(l) => stop += l,
            None => {
                cd.problem(ProblemKind::DataDescriptorMismatch);
            }
        }
    }
    Ok(Some((pos, stop)))
}

fn descriptor_matches(d: &[u8], sig: bool, wide: bool, cd: &Cd) -> Option<u64> {
    let off = if sig { 4 } else { 0 };
    let need = off + 4 + if wide { 16 } else { 8 };
    if d.len() < need || (sig && u32_at(d, 0) != DD_SIG) {
        return None;
    }
    let crc = u32_at(d, off);
    let (cs, us) = if wide {
        (u64_at(d, off + 4), u64_at(d, off + 12))
    } else {
        (u32_at(d, off + 4) as u64, u32_at(d, off + 8) as u64)
    };
    (crc == cd.crc && cs == cd.csize && us == cd.usize).then_some(need as u64)
}

enum Src<'a> {
    Stored(Section<'a>),
    Deflate(DeflateDecoder<BufReader<Section<'a>>>),
}

enum State {
    Reading,
    Done,
    Failed(ContainerProblem),
}

/// Streams one entry's uncompressed bytes. Never yields more than the declared size; at the
/// end checks that the data was exactly the declared size, that the compressed stream used
/// exactly its compressed size, and the CRC-32. Errors are `io::Error`s of kind `InvalidData`
/// carrying a [`ContainerProblem`] (see [`ContainerProblem::from_io`]); once an error is
/// returned every later read returns it again.
pub struct EntryReader<'a> {
    src: Src<'a>,
    location: String,
    declared: u64,
    produced: u64,
    crc: crc32fast::Hasher,
    expected_crc: u32,
    state: State,
}

impl EntryReader<'_> {
    /// Bytes yielded so far.
    pub fn position(&self) -> u64 {
        self.produced
    }

    fn problem(&self, kind: ProblemKind) -> ContainerProblem {
        ContainerProblem::new(kind, self.location.clone())
    }

    fn src_read(&mut self, buf: &mut [u8]) -> Result<usize, ContainerProblem> {
        loop {
            let r = match &mut self.src {
                Src::Stored(s) => s.read(buf),
                Src::Deflate(d) => d.read(buf),
            };
            match r {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.io_problem(e)),
            }
        }
    }

    fn io_problem(&self, e: io::Error) -> ContainerProblem {
        match (&self.src, e.kind()) {
            (
                Src::Deflate(_),
                io::ErrorKind::InvalidInput
                | io::ErrorKind::InvalidData
                | io::ErrorKind::UnexpectedEof,
            ) => self.problem(ProblemKind::DataCorrupt {
                detail: e.to_string(),
            }),
            _ => self.problem(ProblemKind::Io {
                detail: e.to_string(),
            }),
        }
    }

    fn step(&mut self, buf: &mut [u8]) -> Result<usize, ContainerProblem> {
        let left = self.declared - self.produced;
        if left == 0 {
            self.finish()?;
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.src_read(&mut buf[..want])?;
        if n == 0 {
            let (d, p) = (self.declared, self.produced);
            let mut e = self.problem(ProblemKind::SizeMismatch);
            e.with_values(format!("{d} bytes"), format!("{p} bytes"));
            return Err(e);
        }
        self.crc.update(&buf[..n]);
        self.produced += n as u64;
        Ok(n)
    }

    fn finish(&mut self) -> Result<(), ContainerProblem> {
        let mut probe = [0u8; 1];
        if self.src_read(&mut probe)? > 0 {
            let limit = self.declared;
            let mut e = self.problem(ProblemKind::Bomb { limit });
            e.with_values(format!("{limit} bytes"), format!("more than {limit} bytes"));
            return Err(e);
        }
        if let Src::Deflate(d) = &mut self.src {
            let inner = d.get_mut();
            let buffered = inner.fill_buf().map(|b| b.len() as u64).unwrap_or(0);
            let s = inner.get_ref();
            let rest = buffered + s.end.saturating_sub(s.pos);
            if rest > 0 {
                return Err(self.problem(ProblemKind::DataTrailing { bytes: rest }));
            }
        }
        let got = self.crc.clone().finalize();
        if got != self.expected_crc {
            let mut e = self.problem(ProblemKind::CrcMismatch);
            e.with_values(format!("{:08x}", self.expected_crc), format!("{got:08x}"));
            return Err(e);
        }
        Ok(())
    }
}

impl Read for EntryReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &self.state {
            State::Failed(p) => return Err(p.clone().into_io()),
            State::Done => return Ok(0),
            State::Reading => {}
        }
        if buf.is_empty() {
            return Ok(0);
        }
        match self.step(buf) {
            Ok(0) => {
                self.state = State::Done;
                Ok(0)
            }
            Ok(n) => Ok(n),
            Err(p) => {
                self.state = State::Failed(p.clone());
                Err(p.into_io())
            }
        }
    }
}
