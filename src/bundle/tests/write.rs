//! Writer tests: round trip, determinism, name refusal, never overwriting, and failure
//! half-way never leaving a file under the final name.

use std::fs;
use std::io::Read;

use super::*;

fn read_all(b: &BundleReader, name: &str) -> Vec<u8> {
    let mut v = Vec::new();
    b.open_entry(name)
        .expect("open entry")
        .read_to_end(&mut v)
        .expect("read entry");
    v
}

#[test]
fn round_trip_and_order() {
    let dir = tempdir();
    let p = dir.path().join("b.zip");
    let mut w = BundleWriter::create(&p).unwrap();
    let s = w.add_bytes("FORMAT", Method::Stored, b"v1\n").unwrap();
    assert_eq!((s.size, s.compressed_size), (3, 3));
    let big: Vec<u8> = (0..100_000u32)
        .flat_map(|i| (i % 251).to_le_bytes())
        .collect();
    let s = w
        .add_bytes("log/entries.jsonl", Method::Deflate, &big)
        .unwrap();
    assert_eq!(s.crc32, crc32fast::hash(&big));
    assert!(s.compressed_size < s.size);
    w.add_bytes("empty", Method::Deflate, b"").unwrap();
    w.add_bytes("empty-stored", Method::Stored, b"").unwrap();
    assert_eq!(w.finish().unwrap(), p);
    assert_eq!(listing(dir.path()), vec!["b.zip"]);

    let b = BundleReader::open(&p, Caps::default()).unwrap();
    let names: Vec<&str> = b.entries().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["FORMAT", "log/entries.jsonl", "empty", "empty-stored"]
    );
    assert_eq!(read_all(&b, "FORMAT"), b"v1\n");
    assert_eq!(read_all(&b, "log/entries.jsonl"), big);
    assert_eq!(read_all(&b, "empty"), b"");
    assert_eq!(read_all(&b, "empty-stored"), b"");
    let e = b.entry("log/entries.jsonl").unwrap();
    assert_eq!((e.method, e.size), (Method::Deflate, big.len() as u64));

    // Two readers over one file do not disturb each other.
    let mut r1 = b.open_entry("log/entries.jsonl").unwrap();
    let mut r2 = b.open_entry("log/entries.jsonl").unwrap();
    let (mut a1, mut a2) = ([0u8; 7], [0u8; 7]);
    r1.read_exact(&mut a1).unwrap();
    r2.read_exact(&mut a2).unwrap();
    assert_eq!(a1, a2);

    let miss = b.open_entry("nope").err().unwrap();
    assert_eq!(
        (miss.code, miss.location.as_str()),
        (codes::NOT_FOUND, "nope")
    );
    let over = b.open_entry_limited("log/entries.jsonl", 10).err().unwrap();
    assert_eq!(over.code, codes::STRUCT);
    assert!(matches!(
        over.kind,
        ProblemKind::DeclaredOverCap { cap: 10, .. }
    ));
}

#[test]
fn output_is_deterministic() {
    let a = tempdir();
    let b = tempdir();
    assert_eq!(sample_bundle(a.path()), sample_bundle(b.path()));
    // Fixed timestamp, mode and made-by in every central header.
    let bytes = sample_bundle(a.path());
    let cd = bytes
        .windows(4)
        .position(|w| w == super::super::format::CDH_SIG.to_le_bytes())
        .unwrap();
    assert_eq!(&bytes[cd + 12..cd + 16], &[0, 0, 0x21, 0]);
    assert_eq!(&bytes[cd + 38..cd + 42], &(0o100644u32 << 16).to_le_bytes());
}

#[test]
fn writer_refuses_bad_and_duplicate_names() {
    let dir = tempdir();
    let p = dir.path().join("b.zip");
    let mut w = BundleWriter::create(&p).unwrap();
    for bad in [
        "../x",
        "..\\x",
        "/x",
        "C:\\x",
        "a/../../x",
        "a//b",
        "村.txt",
        "x\0",
        "",
    ] {
        match w.add_bytes(bad, Method::Stored, b"x") {
            Err(WriteError::BadName { faults, .. }) => assert!(!faults.is_empty(), "{bad}"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    w.add_bytes("a.txt", Method::Stored, b"1").unwrap();
    assert!(matches!(
        w.add_bytes("a.txt", Method::Stored, b"2"),
        Err(WriteError::DuplicateName { .. })
    ));
    assert!(matches!(
        w.add_bytes("A.TXT", Method::Stored, b"2"),
        Err(WriteError::CaseCollision { .. })
    ));
    // Refused names do not poison the writer.
    w.add_bytes("b.txt", Method::Stored, b"2").unwrap();
    w.finish().unwrap();
    let b = BundleReader::open(&p, Caps::default()).unwrap();
    assert_eq!(b.entries().len(), 2);
}

#[test]
fn never_overwrites() {
    let dir = tempdir();
    let p = dir.path().join("b.zip");
    fs::write(&p, b"precious").unwrap();
    assert!(matches!(
        BundleWriter::create(&p),
        Err(WriteError::Exists { .. })
    ));
    assert_eq!(fs::read(&p).unwrap(), b"precious");

    // The name appears while the bundle is being written: finish refuses, keeps it, cleans up.
    let q = dir.path().join("c.zip");
    let mut w = BundleWriter::create(&q).unwrap();
    w.add_bytes("x", Method::Stored, b"x").unwrap();
    fs::write(&q, b"someone else's").unwrap();
    assert!(matches!(w.finish(), Err(WriteError::Exists { .. })));
    assert_eq!(fs::read(&q).unwrap(), b"someone else's");
    assert_eq!(listing(dir.path()), vec!["b.zip", "c.zip"]);
}

#[test]
fn failure_mid_write_leaves_no_final_file() {
    let dir = tempdir();
    let p = dir.path().join("b.zip");
    // Fails while streaming an entry.
    let mut w = BundleWriter::create(&p).unwrap();
    assert!(w.temp_path().exists());
    assert!(!p.exists());
    w.fail_after(100_000);
    let data = vec![7u8; 1_000_000];
    assert!(matches!(
        w.add_file("big", Method::Stored, &data[..]),
        Err(WriteError::Io(_))
    ));
    assert!(matches!(
        w.add_bytes("more", Method::Stored, b"x"),
        Err(WriteError::Poisoned)
    ));
    assert!(!p.exists());
    assert!(matches!(w.finish(), Err(WriteError::Poisoned)));
    assert!(!p.exists());
    assert_eq!(listing(dir.path()), Vec::<String>::new());

    // Fails while writing the central directory in finish.
    let mut w = BundleWriter::create(&p).unwrap();
    // The entry costs 1035 bytes plus a 35-byte header rewrite; the central directory fails.
    w.fail_after(1_035 + 35 + 10);
    w.add_bytes("small", Method::Stored, &[1u8; 1000]).unwrap();
    assert!(matches!(w.finish(), Err(WriteError::Io(_))));
    assert_eq!(listing(dir.path()), Vec::<String>::new());

    // The source fails half-way.
    struct Flaky(usize);
    impl Read for Flaky {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::Error::other("disk gone"));
            }
            self.0 -= 1;
            buf[0] = 1;
            Ok(1)
        }
    }
    let mut w = BundleWriter::create(&p).unwrap();
    assert!(matches!(
        w.add_file("x", Method::Deflate, Flaky(10)),
        Err(WriteError::Source { .. })
    ));
    drop(w);
    assert_eq!(listing(dir.path()), Vec::<String>::new());

    // A crash (no destructor) leaves only the temporary name, never the final one.
    let mut w = BundleWriter::create(&p).unwrap();
    w.add_bytes("x", Method::Stored, b"x").unwrap();
    let temp = w.temp_path().to_path_buf();
    std::mem::forget(w);
    assert!(!p.exists());
    assert!(temp.exists());
    let temp_name = temp.file_name().unwrap().to_string_lossy().into_owned();
    assert!(temp_name.starts_with(".b.zip.partial-"), "{temp_name}");
    fs::remove_file(temp).unwrap();
}

#[test]
fn zip64_fields_round_trip() {
    // Lowered thresholds make small entries use the ZIP64 extra field, sentinel sizes, the
    // ZIP64 end record and locator: the same code paths as a > 4 GiB bundle.
    let dir = tempdir();
    let p = dir.path().join("z.zip");
    let mut w = BundleWriter::create(&p).unwrap();
    w.zip64_from(1000, 3);
    let big: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 256) as u8).collect();
    w.add_bytes("small", Method::Stored, b"tiny").unwrap();
    w.add_bytes("big-stored", Method::Stored, &big).unwrap();
    w.add_bytes("big-deflate", Method::Deflate, &big).unwrap();
    w.add_bytes("after", Method::Stored, b"last").unwrap();
    w.finish().unwrap();
    let bytes = fs::read(&p).unwrap();
    let has = |sig: u32| bytes.windows(4).any(|w| w == sig.to_le_bytes());
    assert!(has(super::super::format::Z64_EOCD_SIG));
    assert!(has(super::super::format::Z64_LOC_SIG));
    let b = BundleReader::open(&p, Caps::default()).unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(b.entries().len(), 4);
    assert_eq!(read_all(&b, "small"), b"tiny");
    assert_eq!(read_all(&b, "big-stored"), big);
    assert_eq!(read_all(&b, "big-deflate"), big);
    assert_eq!(read_all(&b, "after"), b"last");
}

/// Writes and reads back a real > 4 GiB entry (about 4.1 GiB of disk, minutes).
#[test]
#[ignore]
fn zip64_over_4_gib() {
    let dir = tempdir();
    let p = dir.path().join("huge.zip");
    let len = (4u64 << 30) + 1_000_000;
    let mut w = BundleWriter::create(&p).unwrap();
    w.add_bytes("head", Method::Stored, b"head").unwrap();
    w.add_file("huge", Method::Stored, std::io::repeat(0).take(len))
        .unwrap();
    w.add_bytes("tail", Method::Deflate, b"tail").unwrap();
    w.finish().unwrap();
    let caps = Caps {
        max_entry_size: 8 << 30,
        ..Caps::default()
    };
    let b = BundleReader::open(&p, caps).unwrap_or_else(|r| panic!("{r}"));
    assert_eq!(b.entry("huge").unwrap().size, len);
    let n = std::io::copy(&mut b.open_entry("huge").unwrap(), &mut std::io::sink()).unwrap();
    assert_eq!(n, len);
    assert_eq!(read_all(&b, "tail"), b"tail");
}
