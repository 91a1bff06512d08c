//! Streaming tests: flat memory for a large entry, the zip bomb stopping at its declared size,
//! CRC and size mismatches found at the end of the stream.

use std::fs;
use std::io::{self, Read};

use super::alloc::peak_heap;
use super::raw::{self, RawEntry};
use super::*;

/// A deterministic, mildly compressible source of `left` bytes that holds no buffer.
struct Pattern {
    left: u64,
    state: u32,
}

impl Read for Pattern {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        for b in &mut buf[..n] {
            self.state = self.state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            *b = b"abcdefgh"[(self.state >> 28) as usize % 8];
        }
        self.left -= n as u64;
        Ok(n)
    }
}

#[test]
fn fifty_megabytes_with_flat_memory() {
    const LEN: u64 = 50 << 20;
    let dir = tempdir();
    let p = dir.path().join("big.zip");
    let ((), written) = peak_heap(|| {
        let mut w = BundleWriter::create(&p).unwrap();
        w.add_file(
            "attachments/big.txt",
            Method::Deflate,
            Pattern {
                left: LEN,
                state: 1,
            },
        )
        .unwrap();
        w.add_file(
            "attachments/big.bin",
            Method::Stored,
            Pattern {
                left: LEN,
                state: 2,
            },
        )
        .unwrap();
        w.finish().unwrap();
    });
    let (crcs, read) = peak_heap(|| {
        let b = BundleReader::open(&p, Caps::default()).unwrap();
        let mut out = Vec::new();
        for name in ["attachments/big.txt", "attachments/big.bin"] {
            let mut r = b.open_entry(name).unwrap();
            let mut h = crc32fast::Hasher::new();
            let mut buf = vec![0u8; 64 * 1024];
            let mut n = 0u64;
            loop {
                let k = r.read(&mut buf).unwrap();
                if k == 0 {
                    break;
                }
                h.update(&buf[..k]);
                n += k as u64;
            }
            assert_eq!(n, LEN);
            out.push(h.finalize());
        }
        out
    });
    let mut want = Vec::new();
    for state in [1, 2] {
        let mut h = crc32fast::Hasher::new();
        let mut src = Pattern { left: LEN, state };
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let k = src.read(&mut buf).unwrap();
            if k == 0 {
                break;
            }
            h.update(&buf[..k]);
        }
        want.push(h.finalize());
    }
    assert_eq!(crcs, want);
    // 100 MB went through each side; neither held more than a few buffers.
    eprintln!("peak heap: writer {written} bytes, reader {read} bytes");
    assert!(written < 4 << 20, "writer peak heap {written} bytes");
    assert!(read < 2 << 20, "reader peak heap {read} bytes");
}

#[test]
fn zip_bomb_stops_at_declared_size() {
    // 10 MB of zeros deflated (about 10 kB), declared as 1 KB with the CRC of those 1 KB.
    let zeros = vec![0u8; 10 << 20];
    let mut e = RawEntry::deflated("bomb.txt", &zeros);
    e.size = 1024;
    e.crc = crc32fast::hash(&zeros[..1024]);
    drop(zeros);
    let zip = raw::build(b"", &[e], b"");
    let dir = tempdir();
    let (_, r) = open_bytes(dir.path(), "bomb.zip", &zip);
    let b = r.unwrap_or_else(|r| panic!("{r}"));
    let (result, peak) = peak_heap(|| {
        let mut r = b.open_entry("bomb.txt").unwrap();
        let mut got = 0u64;
        let mut buf = vec![0u8; 64 * 1024];
        let err = loop {
            match r.read(&mut buf) {
                Ok(0) => panic!("bomb read to the end"),
                Ok(n) => got += n as u64,
                Err(e) => break e,
            }
        };
        // Every later read repeats the error.
        assert!(r.read(&mut buf).is_err());
        (got, ContainerProblem::from_io(&err).cloned().unwrap())
    });
    let (got, problem) = result;
    assert_eq!(got, 1024);
    assert_eq!(problem.code, codes::BOMB);
    assert_eq!(problem.location, "bomb.txt");
    assert_eq!(problem.kind, ProblemKind::Bomb { limit: 1024 });
    eprintln!("zip bomb: peak heap {peak} bytes");
    assert!(peak < 1 << 20, "peak heap {peak} bytes");
}

#[test]
fn declared_size_over_caps_is_refused_before_reading() {
    let zeros = vec![0u8; 1 << 20];
    let e = RawEntry::deflated("z", &zeros);
    let zip = raw::build(b"", &[e], b"");
    let dir = tempdir();
    let p = dir.path().join("z.zip");
    fs::write(&p, &zip).unwrap();
    let caps = Caps {
        max_entry_size: 1000,
        ..Caps::default()
    };
    let rep = report(BundleReader::open(&p, caps));
    let pr = find(&rep, codes::STRUCT, "z");
    assert_eq!(
        pr.kind,
        ProblemKind::EntryTooLarge {
            size: 1 << 20,
            cap: 1000
        }
    );
    let caps = Caps {
        max_total_size: 1000,
        ..Caps::default()
    };
    let rep = report(BundleReader::open(&p, caps));
    assert!(matches!(
        rep.problems[0].kind,
        ProblemKind::TotalTooLarge {
            total: 1_048_576,
            cap: 1000
        }
    ));
}

#[test]
fn crc_mismatch_after_flipping_a_stored_byte() {
    let dir = tempdir();
    let mut zip = sample_bundle(dir.path());
    // "FORMAT" is stored first: its data starts after a 30 + 6 byte header.
    zip[36 + 3] ^= 0x20;
    let (_, r) = open_bytes(dir.path(), "flip.zip", &zip);
    let b = r.unwrap_or_else(|r| panic!("{r}"));
    let mut v = Vec::new();
    let err = b
        .open_entry("FORMAT")
        .unwrap()
        .read_to_end(&mut v)
        .unwrap_err();
    let p = ContainerProblem::from_io(&err).unwrap();
    assert_eq!((p.code, p.location.as_str()), (codes::CRC, "FORMAT"));
    assert_eq!(
        p.expected.as_deref(),
        Some(format!("{:08x}", crc32fast::hash(b"villagerecord-bundle/v1\n")).as_str())
    );
    // The other entries are untouched.
    let mut v = Vec::new();
    b.open_entry("log/entries.jsonl")
        .unwrap()
        .read_to_end(&mut v)
        .unwrap();
}

#[test]
fn short_and_corrupt_deflate_data() {
    let data = b"hello hello hello hello".repeat(50);
    let dir = tempdir();
    // Declared larger than what the stream holds.
    let mut e = RawEntry::deflated("short", &data);
    e.size += 10;
    let (_, r) = open_bytes(dir.path(), "short.zip", &raw::build(b"", &[e], b""));
    let b = r.unwrap();
    let err = b
        .open_entry("short")
        .unwrap()
        .read_to_end(&mut Vec::new())
        .unwrap_err();
    assert_eq!(ContainerProblem::from_io(&err).unwrap().code, codes::SIZE);

    // Garbage instead of deflate.
    let mut e = RawEntry::deflated("junk", &data);
    e.data = vec![0xff; 40];
    let (_, r) = open_bytes(dir.path(), "junk.zip", &raw::build(b"", &[e], b""));
    let b = r.unwrap();
    let err = b
        .open_entry("junk")
        .unwrap()
        .read_to_end(&mut Vec::new())
        .unwrap_err();
    let code = ContainerProblem::from_io(&err).unwrap().code;
    assert!(code == codes::DATA || code == codes::SIZE, "{code}");

    // Bytes hidden after the end of the deflate stream, inside the compressed size.
    let mut e = RawEntry::deflated("tail", &data);
    e.data.extend_from_slice(b"hidden");
    let (_, r) = open_bytes(dir.path(), "tail.zip", &raw::build(b"", &[e], b""));
    let b = r.unwrap();
    let err = b
        .open_entry("tail")
        .unwrap()
        .read_to_end(&mut Vec::new())
        .unwrap_err();
    let p = ContainerProblem::from_io(&err).unwrap();
    assert_eq!(p.kind, ProblemKind::DataTrailing { bytes: 6 });
}
