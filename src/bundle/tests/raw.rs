//! A field-by-field ZIP builder for hostile test archives. Defaults match what the real
//! writer produces, so a test changes only the field it is about.

use std::io::Write;

use flate2::Compression;
use flate2::write::DeflateEncoder;

use super::super::format::*;

#[derive(Clone)]
pub struct RawEntry {
    /// Name in the central directory.
    pub name: Vec<u8>,
    /// Name in the local header (default: the same).
    pub local_name: Option<Vec<u8>>,
    pub method: u16,
    pub local_method: Option<u16>,
    pub flags: u16,
    pub crc: u32,
    /// Declared uncompressed size (both headers).
    pub size: u32,
    /// Declared size in the local header only, if different.
    pub local_size: Option<u32>,
    /// The bytes after the local header, as stored (already compressed).
    pub data: Vec<u8>,
    pub made_by: u16,
    pub ext_attr: u32,
    pub cd_extra: Vec<u8>,
    pub local_extra: Vec<u8>,
    /// Bytes written after the data (a data descriptor).
    pub after: Vec<u8>,
    /// The central directory's local-header offset, if it should lie.
    pub offset: Option<u32>,
    /// Write no local header or data (a central-directory record only).
    pub cd_only: bool,
}

impl RawEntry {
    pub fn stored(name: &str, data: &[u8]) -> Self {
        RawEntry {
            name: name.as_bytes().to_vec(),
            local_name: None,
            method: 0,
            local_method: None,
            flags: 0,
            crc: crc32fast::hash(data),
            size: data.len() as u32,
            local_size: None,
            data: data.to_vec(),
            made_by: VERSION_MADE_BY,
            ext_attr: EXTERNAL_ATTRS,
            cd_extra: Vec::new(),
            local_extra: Vec::new(),
            after: Vec::new(),
            offset: None,
            cd_only: false,
        }
    }

    pub fn deflated(name: &str, data: &[u8]) -> Self {
        let mut e = DeflateEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).expect("deflate");
        let mut r = RawEntry::stored(name, data);
        r.method = 8;
        r.data = e.finish().expect("deflate");
        r
    }
}

/// Extra-field bytes: id, length, data.
pub fn extra(id: u16, data: &[u8]) -> Vec<u8> {
    let mut r = Rec::default();
    r.u16(id).u16(data.len() as u16).bytes(data);
    r.0
}

/// Builds an archive: `prefix`, the entries, the central directory, the EOCD with `comment`.
pub fn build(prefix: &[u8], entries: &[RawEntry], comment: &[u8]) -> Vec<u8> {
    let mut out = prefix.to_vec();
    let mut offsets = Vec::new();
    for e in entries {
        offsets.push(out.len() as u32);
        if e.cd_only {
            continue;
        }
        let name = e.local_name.as_ref().unwrap_or(&e.name);
        let mut r = Rec::default();
        r.u32(LFH_SIG)
            .u16(VERSION_NEEDED)
            .u16(e.flags)
            .u16(e.local_method.unwrap_or(e.method))
            .u16(DOS_TIME)
            .u16(DOS_DATE)
            .u32(e.crc)
            .u32(e.data.len() as u32)
            .u32(e.local_size.unwrap_or(e.size))
            .u16(name.len() as u16)
            .u16(e.local_extra.len() as u16)
            .bytes(name)
            .bytes(&e.local_extra)
            .bytes(&e.data)
            .bytes(&e.after);
        out.extend_from_slice(&r.0);
    }
    let cd_start = out.len() as u32;
    for (e, &off) in entries.iter().zip(&offsets) {
        let mut r = Rec::default();
        r.u32(CDH_SIG)
            .u16(e.made_by)
            .u16(VERSION_NEEDED)
            .u16(e.flags)
            .u16(e.method)
            .u16(DOS_TIME)
            .u16(DOS_DATE)
            .u32(e.crc)
            .u32(e.data.len() as u32)
            .u32(e.size)
            .u16(e.name.len() as u16)
            .u16(e.cd_extra.len() as u16)
            .u16(0)
            .u16(0)
            .u16(0)
            .u32(e.ext_attr)
            .u32(e.offset.unwrap_or(off))
            .bytes(&e.name)
            .bytes(&e.cd_extra);
        out.extend_from_slice(&r.0);
    }
    let cd_size = out.len() as u32 - cd_start;
    let mut r = Rec::default();
    r.u32(EOCD_SIG)
        .u16(0)
        .u16(0)
        .u16(entries.len() as u16)
        .u16(entries.len() as u16)
        .u32(cd_size)
        .u32(cd_start - prefix.len() as u32)
        .u16(comment.len() as u16)
        .bytes(comment);
    out.extend_from_slice(&r.0);
    out
}

/// Position of the EOCD in an archive without a comment.
pub fn eocd_pos(zip: &[u8]) -> usize {
    zip.len() - EOCD_LEN as usize
}
