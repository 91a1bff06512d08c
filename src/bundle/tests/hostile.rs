//! Hostile archives (research §3.4, Z01-Z10): each must be rejected at open with the right
//! code and place, and nothing may be written anywhere.

use std::fs;

use super::raw::{self, RawEntry, extra};
use super::*;

fn ok_entry() -> RawEntry {
    RawEntry::stored("FORMAT", b"villagerecord-bundle/v1\n")
}

#[test]
fn zip_slip_names_are_rejected_and_nothing_is_written() {
    let dir = tempdir();
    let work = dir.path().join("work");
    fs::create_dir(&work).unwrap();
    let bad = [
        ("../x", "../x"),
        ("..\\x", "..\\x"),
        ("/x", "/x"),
        ("C:\\x", "C:\\x"),
        ("a/../../x", "a/../../x"),
        ("../../evil.txt", "../../evil.txt"),
        ("/etc/x", "/etc/x"),
        ("\\\\server\\share\\x", "\\\\server\\share\\x"),
        ("checkpoint:evil", "checkpoint:evil"),
        ("CON", "CON"),
        ("nul.txt", "nul.txt"),
        ("a.", "a."),
        ("a ", "a "),
        ("x\0y", "x\\u{0}y"),
        ("line\nbreak", "line\\u{a}break"),
        ("村委.txt", "\\u{6751}\\u{59d4}.txt"),
        ("a//b", "a//b"),
    ];
    let parent_before = listing(dir.path());
    for (name, shown) in bad {
        let zip = raw::build(b"", &[ok_entry(), RawEntry::stored(name, b"evil")], b"");
        let p = work.join("slip.zip");
        fs::write(&p, &zip).unwrap();
        let rep = report(BundleReader::open(&p, Caps::default()));
        let pr = find(&rep, codes::PATH, shown);
        assert!(matches!(pr.kind, ProblemKind::BadName { .. }), "{name:?}");
        assert_eq!(rep.problems.len(), 1, "{name:?}: {rep}");
        fs::remove_file(&p).unwrap();
        // Nothing appeared next to the bundle or above it.
        assert_eq!(listing(&work), Vec::<String>::new(), "{name:?}");
        assert_eq!(listing(dir.path()), parent_before, "{name:?}");
    }
    // A raw non-UTF-8 name is escaped byte by byte.
    let mut e = RawEntry::stored("x", b"1");
    e.name = b"a\xffb".to_vec();
    let (_, r) = open_bytes(&work, "raw.zip", &raw::build(b"", &[e], b""));
    find(&report(r), codes::PATH, "a\\x{ff}b");
    // A name of 60,000 bytes is shown by its first 200 characters and its length, not
    // printed whole (found by review, session 28).
    let long = format!("{}\n", "a".repeat(59_999));
    let (_, r) = open_bytes(
        &work,
        "long.zip",
        &raw::build(b"", &[ok_entry(), RawEntry::stored(&long, b"1")], b""),
    );
    let rep = report(r);
    let shown = format!("{}…(60000 bytes)", "a".repeat(200));
    find(&rep, codes::PATH, &shown);
}

#[test]
fn duplicates_and_case_collisions() {
    let dir = tempdir();
    let zip = raw::build(
        b"",
        &[
            RawEntry::stored("a.txt", b"1"),
            RawEntry::stored("a.txt", b"2"),
            RawEntry::stored("Log/X", b"3"),
            RawEntry::stored("log/x", b"4"),
        ],
        b"",
    );
    let (_, r) = open_bytes(dir.path(), "dup.zip", &zip);
    let rep = report(r);
    assert_eq!(
        find(&rep, codes::DUPLICATE, "a.txt").kind,
        ProblemKind::Duplicate
    );
    assert_eq!(
        find(&rep, codes::DUPLICATE, "log/x").kind,
        ProblemKind::CaseCollision {
            other: "Log/X".into()
        }
    );
    assert_eq!(rep.problems.len(), 2, "{rep}");
}

/// Runs out of name order, longer than two: each later entry is reported against the
/// first of its run (by place in the directory), in directory order.
#[test]
fn duplicates_are_reported_against_the_first_of_their_run_in_directory_order() {
    let dir = tempdir();
    let zip = raw::build(
        b"",
        &[
            RawEntry::stored("b", b"1"),
            RawEntry::stored("B", b"2"),
            RawEntry::stored("a", b"3"),
            RawEntry::stored("A", b"4"),
            RawEntry::stored("b", b"5"),
        ],
        b"",
    );
    let (_, r) = open_bytes(dir.path(), "runs.zip", &zip);
    let rep = report(r);
    let got: Vec<(String, ProblemKind)> = rep
        .problems
        .iter()
        .map(|p| (p.location.clone(), p.kind.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("B".into(), ProblemKind::CaseCollision { other: "b".into() }),
            ("A".into(), ProblemKind::CaseCollision { other: "a".into() }),
            ("b".into(), ProblemKind::Duplicate),
        ],
        "{rep}"
    );
}

#[test]
fn overlapping_entries_bomb() {
    // Fifield's construction in miniature: entry A's stored data is entry B's local header and
    // data, so B's bytes are read twice. Built by hand: A at 0 quotes B.
    let kernel = b"kernel kernel kernel";
    let b = RawEntry::stored("b", kernel);
    let b_alone = raw::build(b"", std::slice::from_ref(&b), b"");
    let b_local = &b_alone[..30 + 1 + kernel.len()];
    let a = RawEntry::stored("a", b_local);
    // Lay out A (which contains B), then a CD with A at 0 and B at A's data start.
    let mut zip = raw::build(b"", std::slice::from_ref(&a), b"");
    let cd_at = 30 + 1 + b_local.len();
    zip.truncate(cd_at);
    let mut b_cd = b.clone();
    b_cd.offset = Some(31);
    b_cd.cd_only = true;
    let mut a_cd = a;
    a_cd.offset = Some(0);
    a_cd.cd_only = true;
    // Only central records (cd_only), so this is a CD at 0 and an EOCD; move it after `zip`.
    let mut cd = raw::build(b"", &[a_cd, b_cd], b"");
    let eocd = raw::eocd_pos(&cd);
    let cd_size = u32::from_le_bytes(cd[eocd + 12..eocd + 16].try_into().unwrap());
    cd[eocd + 16..eocd + 20].copy_from_slice(&(cd_at as u32).to_le_bytes());
    assert_eq!(cd_size as usize, eocd);
    zip.extend_from_slice(&cd);

    let dir = tempdir();
    let (_, r) = open_bytes(dir.path(), "overlap.zip", &zip);
    let rep = report(r);
    let pr = find(&rep, codes::STRUCT, "b");
    assert_eq!(pr.kind, ProblemKind::Overlap { other: "a".into() });

    // Two central records pointing at one local header.
    let mut x = RawEntry::stored("x", b"same");
    let mut y = x.clone();
    y.cd_only = true;
    y.offset = Some(0);
    x.offset = Some(0);
    let zip = raw::build(b"", &[x, y], b"");
    let (_, r) = open_bytes(dir.path(), "same.zip", &zip);
    let rep = report(r);
    assert!(matches!(
        find(&rep, codes::DUPLICATE, "x").kind,
        ProblemKind::Duplicate
    ));
    assert!(
        rep.problems
            .iter()
            .any(|p| matches!(p.kind, ProblemKind::Overlap { .. })),
        "{rep}"
    );
}

#[test]
fn truncated_at_every_eighth_and_inside_the_end_record() {
    let dir = tempdir();
    let zip = sample_bundle(dir.path());
    let len = zip.len();
    let mut cuts: Vec<usize> = (0..8).map(|k| len * k / 8).collect();
    cuts.extend([len - 1, len - 5, len - 21, len - 22, len - 23]);
    for cut in cuts {
        let (p, r) = open_bytes(dir.path(), "cut.zip", &zip[..cut]);
        let rep = report(r);
        let pr = &rep.problems[0];
        assert_eq!(pr.code, codes::TRUNCATED, "cut at {cut}/{len}: {rep}");
        assert_eq!(pr.location, p.to_string_lossy(), "cut at {cut}");
        assert_eq!(rep.problems.len(), 1, "cut at {cut}: {rep}");
    }
    // Not a ZIP at all.
    let (_, r) = open_bytes(
        dir.path(),
        "text.zip",
        b"hello, this is not a zip file at all",
    );
    assert!(report(r).has(codes::TRUNCATED));
    // Missing file.
    let rep = report(BundleReader::open(
        dir.path().join("missing.zip"),
        Caps::default(),
    ));
    assert_eq!(rep.problems[0].code, codes::IO);
}

#[test]
fn prepended_appended_concatenated_and_commented() {
    let dir = tempdir();
    let zip = sample_bundle(dir.path());

    let mut pre = b"MZ junk before".to_vec();
    pre.extend_from_slice(&zip);
    let (p, r) = open_bytes(dir.path(), "pre.zip", &pre);
    let rep = report(r);
    let pr = find(&rep, codes::STRUCT, &p.to_string_lossy());
    assert_eq!(pr.kind, ProblemKind::PrependedData { bytes: 14 });

    let mut post = zip.clone();
    post.extend_from_slice(b"appended junk");
    let (p, r) = open_bytes(dir.path(), "post.zip", &post);
    let rep = report(r);
    assert_eq!(
        find(&rep, codes::STRUCT, &p.to_string_lossy()).kind,
        ProblemKind::TrailingData { bytes: 13 }
    );

    // Two whole archives joined: whichever end record a tool picks, the other archive is
    // extra bytes.
    let mut two = zip.clone();
    two.extend_from_slice(&raw::build(b"", &[RawEntry::stored("evil", b"x")], b""));
    let (p, r) = open_bytes(dir.path(), "two.zip", &two);
    let rep = report(r);
    assert_eq!(
        find(&rep, codes::STRUCT, &p.to_string_lossy()).kind,
        ProblemKind::PrependedData {
            bytes: zip.len() as u64
        }
    );

    let commented = raw::build(b"", &[ok_entry()], b"hello");
    let (p, r) = open_bytes(dir.path(), "comment.zip", &commented);
    let rep = report(r);
    assert_eq!(
        find(&rep, codes::STRUCT, &p.to_string_lossy()).kind,
        ProblemKind::ArchiveComment { len: 5 }
    );

    // Bytes hidden between two entries.
    let mut a = ok_entry();
    a.after = b"HIDDEN".to_vec();
    let zip = raw::build(b"", &[a, RawEntry::stored("b", b"b")], b"");
    let (p, r) = open_bytes(dir.path(), "hidden.zip", &zip);
    let rep = report(r);
    assert!(matches!(
        find(&rep, codes::STRUCT, &p.to_string_lossy()).kind,
        ProblemKind::HiddenData { .. }
    ));
}

#[test]
fn encrypted_symlink_method_and_flags() {
    let dir = tempdir();
    let mut enc = RawEntry::stored("enc", b"x");
    enc.flags = 1;
    let mut aes = RawEntry::stored("aes", b"x");
    aes.method = 99;
    aes.cd_extra = extra(0x9901, &[2, 0, b'A', b'E', 3, 0, 0]);
    aes.local_extra = aes.cd_extra.clone();
    let mut link = RawEntry::stored("link", b"/etc/passwd");
    link.ext_attr = 0o120777 << 16;
    let mut dirent = RawEntry::stored("d", b"");
    dirent.ext_attr = (0o040755 << 16) | 0x10;
    let mut lzma = RawEntry::stored("lzma", b"x");
    lzma.method = 14;
    let mut patched = RawEntry::stored("patched", b"x");
    patched.flags = 1 << 5;
    let mut upath = RawEntry::stored("upath", b"x");
    upath.cd_extra = extra(0x7075, b"\x01\0\0\0\0../evil");
    let zip = raw::build(
        b"",
        &[ok_entry(), enc, aes, link, dirent, lzma, patched, upath],
        b"",
    );
    let (_, r) = open_bytes(dir.path(), "x.zip", &zip);
    let rep = report(r);
    assert_eq!(
        find(&rep, codes::STRUCT, "enc").kind,
        ProblemKind::Encrypted
    );
    assert_eq!(
        find(&rep, codes::STRUCT, "aes").kind,
        ProblemKind::UnsupportedMethod { method: 99 }
    );
    assert!(
        rep.problems
            .iter()
            .any(|p| p.location == "aes" && p.kind == ProblemKind::Encrypted)
    );
    assert_eq!(find(&rep, codes::STRUCT, "link").kind, ProblemKind::Symlink);
    assert_eq!(find(&rep, codes::STRUCT, "d").kind, ProblemKind::Directory);
    let m = find(&rep, codes::STRUCT, "lzma");
    assert_eq!(m.kind, ProblemKind::UnsupportedMethod { method: 14 });
    assert_eq!(
        (m.expected.as_deref(), m.found.as_deref()),
        (Some("0 or 8"), Some("14"))
    );
    assert!(matches!(
        find(&rep, codes::STRUCT, "patched").kind,
        ProblemKind::UnsupportedFlags { .. }
    ));
    assert_eq!(
        find(&rep, codes::STRUCT, "upath").kind,
        ProblemKind::ForbiddenExtraField { id: 0x7075 }
    );
    // Every problem reported, none about FORMAT, each once.
    assert!(rep.problems.iter().all(|p| p.location != "FORMAT"));
    assert_eq!(rep.problems.len(), 8, "{rep}");
}

#[test]
fn local_header_disagrees_with_central_directory() {
    let dir = tempdir();
    let mut name = RawEntry::stored("checkpoint", b"x");
    name.local_name = Some(b"checkpoinx".to_vec());
    let mut size = RawEntry::stored("size", b"abc");
    size.local_size = Some(2);
    let mut method = RawEntry::deflated("method", b"abc");
    method.local_method = Some(0);
    let mut offset = RawEntry::stored("offset", b"abc");
    offset.offset = Some(1);
    let zip = raw::build(b"", &[name, size, method, offset], b"");
    let (_, r) = open_bytes(dir.path(), "lfh.zip", &zip);
    let rep = report(r);
    let p = find(&rep, codes::STRUCT, "checkpoint");
    assert_eq!(p.kind, ProblemKind::LocalHeaderMismatch { field: "name" });
    assert_eq!(
        (p.expected.as_deref(), p.found.as_deref()),
        (Some("checkpoint"), Some("checkpoinx"))
    );
    let p = find(&rep, codes::STRUCT, "size");
    assert_eq!(p.kind, ProblemKind::LocalHeaderMismatch { field: "size" });
    assert_eq!(
        (p.expected.as_deref(), p.found.as_deref()),
        (Some("3"), Some("2"))
    );
    assert_eq!(
        find(&rep, codes::STRUCT, "method").kind,
        ProblemKind::LocalHeaderMismatch { field: "method" }
    );
    assert_eq!(
        find(&rep, codes::STRUCT, "offset").kind,
        ProblemKind::LocalHeaderMissing { offset: 1 }
    );
}

#[test]
fn data_descriptor_is_accepted_when_it_agrees() {
    let dir = tempdir();
    let data = b"described later";
    let mut e = RawEntry::deflated("dd", data);
    e.flags = 1 << 3;
    let mut dd = super::super::format::Rec::default();
    dd.u32(super::super::format::DD_SIG)
        .u32(e.crc)
        .u32(e.data.len() as u32)
        .u32(e.size);
    e.after = dd.0;
    let good = raw::build(b"", &[e.clone()], b"");
    let (_, r) = open_bytes(dir.path(), "dd.zip", &good);
    let b = r.unwrap_or_else(|r| panic!("{r}"));
    let mut v = Vec::new();
    std::io::Read::read_to_end(&mut b.open_entry("dd").unwrap(), &mut v).unwrap();
    assert_eq!(v, data);

    let mut bad = e;
    bad.after[4] ^= 1;
    let (_, r) = open_bytes(dir.path(), "dd-bad.zip", &raw::build(b"", &[bad], b""));
    assert_eq!(
        find(&report(r), codes::STRUCT, "dd").kind,
        ProblemKind::DataDescriptorMismatch
    );
}

#[test]
fn end_record_lies() {
    let dir = tempdir();
    let zip = raw::build(b"", &[ok_entry(), RawEntry::stored("b", b"b")], b"");
    let eocd = raw::eocd_pos(&zip);

    let mut multi = zip.clone();
    multi[eocd + 4] = 1;
    let (_, r) = open_bytes(dir.path(), "multi.zip", &multi);
    assert!(
        report(r)
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::MultiDisk)
    );

    let mut far = zip.clone();
    far[eocd + 16..eocd + 20].copy_from_slice(&100_000u32.to_le_bytes());
    let (_, r) = open_bytes(dir.path(), "far.zip", &far);
    assert_eq!(
        report(r).problems[0].kind,
        ProblemKind::CentralDirOutOfRange
    );

    let mut count = zip.clone();
    count[eocd + 8] = 3;
    count[eocd + 10] = 3;
    let (_, r) = open_bytes(dir.path(), "count.zip", &count);
    assert!(matches!(
        report(r).problems[0].kind,
        ProblemKind::CentralDirMalformed { .. }
    ));

    let mut fewer = zip.clone();
    fewer[eocd + 8] = 1;
    fewer[eocd + 10] = 1;
    let (_, r) = open_bytes(dir.path(), "fewer.zip", &fewer);
    assert!(matches!(
        report(r).problems[0].kind,
        ProblemKind::CentralDirTrailing { .. }
    ));

    // Sentinels without a ZIP64 record.
    let mut z = zip.clone();
    z[eocd + 12..eocd + 16].copy_from_slice(&u32::MAX.to_le_bytes());
    let (_, r) = open_bytes(dir.path(), "z64.zip", &z);
    assert_eq!(report(r).problems[0].kind, ProblemKind::BadZip64End);
}

#[test]
fn entry_count_cap() {
    let dir = tempdir();
    let entries: Vec<RawEntry> = (0..50)
        .map(|i| RawEntry::stored(&format!("f{i}"), b"x"))
        .collect();
    let zip = raw::build(b"", &entries, b"");
    let p = dir.path().join("many.zip");
    fs::write(&p, &zip).unwrap();
    let caps = Caps {
        max_entries: 10,
        ..Caps::default()
    };
    let rep = report(BundleReader::open(&p, caps));
    assert_eq!(
        rep.problems[0].kind,
        ProblemKind::TooManyEntries { count: 50, cap: 10 }
    );
    assert!(BundleReader::open(&p, Caps::default()).is_ok());

    // By default, one more member than 200,000 (what keeps a hostile directory's validation
    // inside verify's memory) is refused before any member is read.
    // (Written by liuyi's own writer, which gives the count in a ZIP64 end record.)
    let big = dir.path().join("big.zip");
    let mut w = crate::bundle::zipwrite::BundleWriter::create(&big).unwrap();
    for i in 0..200_001 {
        w.add_bytes(&format!("f{i}"), Method::Stored, b"").unwrap();
    }
    w.finish().unwrap();
    let rep = report(BundleReader::open(&big, Caps::default()));
    assert_eq!(
        rep.problems[0].kind,
        ProblemKind::TooManyEntries {
            count: 200_001,
            cap: 200_000
        }
    );

    // The report itself is capped.
    let bad: Vec<RawEntry> = (0..50)
        .map(|i| RawEntry::stored(&format!("../f{i}"), b"x"))
        .collect();
    let zip = raw::build(b"", &bad, b"");
    fs::write(&p, &zip).unwrap();
    let caps = Caps {
        max_problems: 5,
        ..Caps::default()
    };
    let rep = report(BundleReader::open(&p, caps));
    assert_eq!(rep.problems.len(), 6);
    assert_eq!(
        rep.problems[5].kind,
        ProblemKind::TooManyProblems { omitted: 45 }
    );
}

#[test]
fn self_extractor_style_absolute_offsets() {
    // Junk in front, with every offset pointing at the real (absolute) positions: the offsets
    // agree, but the first local header is not at 0.
    let dir = tempdir();
    let prefix = b"#!/bin/sh\nexit 0\n";
    let mut zip = raw::build(prefix, &[ok_entry()], b"");
    let eocd = raw::eocd_pos(&zip);
    let cd_off = u32::from_le_bytes(zip[eocd + 16..eocd + 20].try_into().unwrap());
    let abs = cd_off + prefix.len() as u32;
    zip[eocd + 16..eocd + 20].copy_from_slice(&abs.to_le_bytes());
    let (p, r) = open_bytes(dir.path(), "sfx.zip", &zip);
    let rep = report(r);
    assert_eq!(
        find(&rep, codes::STRUCT, &p.to_string_lossy()).kind,
        ProblemKind::PrependedData {
            bytes: prefix.len() as u64
        }
    );
    assert_eq!(rep.problems.len(), 1, "{rep}");
}

#[test]
fn zip64_end_records_that_lie() {
    let dir = tempdir();
    let p = dir.path().join("z.zip");
    let mut w = BundleWriter::create(&p).unwrap();
    w.zip64_from(10, 2);
    w.add_bytes("a", Method::Stored, &[1u8; 100]).unwrap();
    w.add_bytes("b", Method::Deflate, &[2u8; 100]).unwrap();
    w.finish().unwrap();
    let zip = fs::read(&p).unwrap();
    assert!(BundleReader::open(&p, Caps::default()).is_ok());
    let eocd = raw::eocd_pos(&zip);
    let loc = eocd - 20;
    let z64 = loc - 56;

    // The locator points somewhere else.
    let mut bad = zip.clone();
    bad[loc + 8] ^= 1;
    let (_, r) = open_bytes(dir.path(), "loc.zip", &bad);
    assert!(
        report(r)
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::BadZip64End)
    );

    // The ZIP64 record's entry count disagrees with the central directory.
    let mut bad = zip.clone();
    bad[z64 + 32] = 3;
    bad[z64 + 24] = 3;
    let (_, r) = open_bytes(dir.path(), "count.zip", &bad);
    assert!(!report(r).problems.is_empty());

    // The ZIP64 record's signature is damaged: the sentinels cannot be resolved.
    let mut bad = zip.clone();
    bad[z64] ^= 0xff;
    let (_, r) = open_bytes(dir.path(), "sig.zip", &bad);
    assert_eq!(report(r).problems[0].kind, ProblemKind::BadZip64End);

    // A sentinel size in a central record without the ZIP64 value behind it.
    let mut bad = zip.clone();
    let cd = bad
        .windows(4)
        .position(|w| w == super::super::format::CDH_SIG.to_le_bytes())
        .unwrap();
    bad[cd + 30] = 0; // extra length 0: the ZIP64 extra is no longer part of the record
    let (_, r) = open_bytes(dir.path(), "extra.zip", &bad);
    let rep = report(r);
    assert!(rep.has(codes::STRUCT), "{rep}");
}
