//! ZIP record layouts shared by the writer and the reader: signatures, fixed sizes, the
//! constants this crate writes, little-endian helpers, extra-field parsing and positional file
//! reads (so several entry readers can share one `File`).
//!
//! References: PKWARE APPNOTE 6.3.x, sections 4.3 (records) and 4.5 (extra fields).

use std::fs::File;
use std::io;

pub const LFH_SIG: u32 = 0x0403_4b50;
pub const CDH_SIG: u32 = 0x0201_4b50;
pub const EOCD_SIG: u32 = 0x0605_4b50;
pub const Z64_EOCD_SIG: u32 = 0x0606_4b50;
pub const Z64_LOC_SIG: u32 = 0x0706_4b50;
pub const DD_SIG: u32 = 0x0807_4b50;

pub const LFH_LEN: u64 = 30;
pub const CDH_LEN: u64 = 46;
pub const EOCD_LEN: u64 = 22;
pub const Z64_EOCD_LEN: u64 = 56;
pub const Z64_LOC_LEN: u64 = 20;

pub const ZIP64_EXTRA_ID: u16 = 0x0001;
/// Extra fields that mean the entry is encrypted: PKWARE strong encryption, WinZip AES.
pub const ENCRYPTION_EXTRA_IDS: [u16; 2] = [0x0017, 0x9901];
/// Extra fields that give a different name or comment than the header (a parser
/// differential: some tools show one, others the other): Info-ZIP Unicode path and comment.
pub const FORBIDDEN_EXTRA_IDS: [u16; 2] = [0x7075, 0x6375];

/// 32-bit size/offset sentinel meaning "see the ZIP64 extra field".
pub const U32_SENTINEL: u32 = 0xFFFF_FFFF;
/// 16-bit count sentinel meaning "see the ZIP64 end record".
pub const U16_SENTINEL: u16 = 0xFFFF;

/// Flag bits: 0 encrypted, 6 strong encryption, 13 masked central directory.
pub const FLAGS_ENCRYPTED: u16 = (1 << 0) | (1 << 6) | (1 << 13);
/// Flag bits accepted: 1-2 deflate options, 3 data descriptor, 11 UTF-8 names.
pub const FLAGS_ALLOWED: u16 = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 11);
pub const FLAG_DATA_DESCRIPTOR: u16 = 1 << 3;

/// What the writer puts in every entry: MS-DOS date 1980-01-01 00:00:00.
pub const DOS_TIME: u16 = 0;
pub const DOS_DATE: u16 = (1 << 5) | 1;
/// "Version made by": Unix (3), spec version 4.5.
pub const VERSION_MADE_BY: u16 = (3 << 8) | 45;
pub const VERSION_NEEDED: u16 = 20;
pub const VERSION_NEEDED_ZIP64: u16 = 45;
/// External attributes: a regular file, mode 0644.
pub const EXTERNAL_ATTRS: u32 = 0o100644 << 16;

pub fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

pub fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

pub fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// Little-endian record builder for the writer.
#[derive(Default)]
pub struct Rec(pub Vec<u8>);

impl Rec {
    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    pub fn bytes(&mut self, v: &[u8]) -> &mut Self {
        self.0.extend_from_slice(v);
        self
    }
}

/// One extra field: its id and data.
pub struct Extra<'a> {
    pub id: u16,
    pub data: &'a [u8],
}

/// Splits an extra-field block. Returns the fields, or the id of the first malformed one
/// (a header or length running past the block, or an id that appears twice).
pub fn parse_extras(block: &[u8]) -> Result<Vec<Extra<'_>>, u16> {
    let mut out: Vec<Extra<'_>> = Vec::new();
    let mut at = 0usize;
    while at < block.len() {
        if block.len() - at < 4 {
            return Err(0xFFFF);
        }
        let id = u16_at(block, at);
        let len = u16_at(block, at + 2) as usize;
        let start = at + 4;
        let Some(data) = block.get(start..start + len) else {
            return Err(id);
        };
        if out.iter().any(|e| e.id == id) {
            return Err(id);
        }
        out.push(Extra { id, data });
        at = start + len;
    }
    Ok(out)
}

/// Reads exactly `buf.len()` bytes at `pos` without moving any shared file cursor.
pub fn read_exact_at(file: &File, mut buf: &mut [u8], mut pos: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match read_at(file, buf, pos) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                pos += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(unix)]
pub fn read_at(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, pos)
}

#[cfg(windows)]
pub fn read_at(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, pos)
}

/// A byte range of a file, read positionally.
pub struct Section<'a> {
    pub file: &'a File,
    pub pos: u64,
    pub end: u64,
}

impl io::Read for Section<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.end.saturating_sub(self.pos);
        if left == 0 || buf.is_empty() {
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = read_at(self.file, &mut buf[..want], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}
