//! Mutation fuzzing of every parser that reads bytes from outside, run by `cargo test`:
//! the canonical-JSON parser, the log entry parser, the signed-note and checkpoint parsers,
//! the roster and consent readers (CSV in every encoding, and XLSX) and the bundle ZIP
//! reader. Each target starts from real seeds (entries and a checkpoint from the demo
//! record, the sample roster, a written bundle) and applies 1–8 random mutations (bit
//! flips, interesting bytes, deletions, duplications, dictionary tokens, splices).
//!
//! Properties: no panic; each input finishes within `MAX_TIME`; the heap this thread holds
//! stays under a bound proportional to the input (the counting allocator of
//! `bundle::tests::alloc`); and where a parser promises canonical bytes, what it accepts
//! re-encodes to the same bytes. Coverage-guided runs of the same targets live in `fuzz/`
//! (cargo-fuzz, nightly). `LIUYI_FUZZ_ITERS=N` sets the inputs per target (default small
//! enough for a few seconds in all); `LIUYI_FUZZ_SEED` replays.

use std::time::{Duration, Instant};

use crate::bundle::tests::alloc::peak_heap;

/// Longest any single input may take (debug build, loaded machine).
const MAX_TIME: Duration = Duration::from_secs(3);

const ENTRIES: &[u8] = include_bytes!("../fuzz/seeds/entries.jsonl");
const CHECKPOINT: &str = include_str!("../fuzz/seeds/checkpoint.txt");

const TOKENS: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"null",
    b"true",
    b"1e5",
    b"-0",
    b"9007199254740993",
    b"18446744073709551616",
    b"0.5",
    b"\xEF\xBB\xBF",
    b"\r\n",
    b"\n",
    b"\n\n",
    b"\xe2\x80\x94 ",
    b"+",
    b" ",
    b"\t",
    b"\x00",
    b"\xff\xfe",
    b"\"type\"",
    b"\"idx\"",
    b"\"prev\"",
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"PK\x05\x06",
    b"PK\x06\x06",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    "户号".as_bytes(),
    "１９６５年".as_bytes(),
    b"=cmd|' /C calc'!A0",
    b"\"\"\"",
    b",,,,,,,,",
];

pub(crate) struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn iters(default: usize) -> usize {
    std::env::var("LIUYI_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn seed() -> u64 {
    std::env::var("LIUYI_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6c69_7579_6675_7a7a)
}

/// One to eight random mutations of `input`, with `others` for splicing.
pub(crate) fn mutate(rng: &mut Rng, input: &[u8], others: &[&[u8]]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        let len = b.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                b[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                b[i] = [0, 0xff, 0x7f, 0x80, b'"', b'0', b'9', b'\n'][rng.below(8)];
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                b.drain(i..i + n);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                let chunk = b[i..i + n].to_vec();
                let at = rng.below(len + 1);
                b.splice(at..at, chunk);
            }
            4 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                b.splice(at..at, t.iter().copied());
            }
            5 if len > 0 => b.truncate(rng.below(len)),
            6 if !others.is_empty() => {
                let o = others[rng.below(others.len())];
                let (i, j) = (rng.below(len + 1), rng.below(o.len() + 1));
                b.truncate(i);
                b.extend_from_slice(&o[j..]);
            }
            7 if len > 0 => {
                // An ASCII digit run made long (integers past u64, huge counts).
                let at = rng.below(len + 1);
                let n = 1 + rng.below(40);
                b.splice(at..at, std::iter::repeat_n(b'9', n));
            }
            _ if len > 4 => {
                // Overwrite a 4-byte little-endian field with an extreme value (ZIP sizes,
                // offsets, counts).
                let i = rng.below(len - 3);
                let v: u32 = [0, 1, 0xffff_ffff, 0x7fff_ffff, 0xffff][rng.below(5)];
                b[i..i + 4].copy_from_slice(&v.to_le_bytes());
            }
            _ => {}
        }
    }
    b
}

/// Runs `target` on `n` mutations of the seeds, asserting time and heap bounds; returns
/// how many inputs ran.
fn fuzz(
    name: &str,
    seeds: &[Vec<u8>],
    n: usize,
    heap: impl Fn(usize) -> usize,
    target: impl Fn(&[u8]),
) -> usize {
    let mut rng = Rng(seed() ^ (name.len() as u64 * 0x9E37_79B9));
    let others: Vec<&[u8]> = seeds.iter().map(Vec::as_slice).collect();
    let t0 = Instant::now();
    for i in 0..n {
        let input = if i < seeds.len() {
            seeds[i].clone()
        } else {
            let s = &seeds[rng.below(seeds.len())];
            mutate(&mut rng, s, &others)
        };
        let t = Instant::now();
        let ((), peak) = peak_heap(|| target(&input));
        let took = t.elapsed();
        assert!(
            took < MAX_TIME,
            "{name}: input {i} took {took:?}: {}",
            hex::encode(&input[..input.len().min(2000)])
        );
        assert!(
            peak <= heap(input.len()),
            "{name}: input {i} held {peak} bytes of heap for {} input bytes: {}",
            input.len(),
            hex::encode(&input[..input.len().min(2000)])
        );
    }
    eprintln!("fuzz {name}: {n} inputs in {:?}", t0.elapsed());
    n
}

fn entry_seeds() -> Vec<Vec<u8>> {
    ENTRIES
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

#[test]
fn fuzz_canonical_json_and_entries() {
    let seeds = entry_seeds();
    assert!(seeds.len() >= 10);
    let n = iters(20_000);
    fuzz(
        "canonical",
        &seeds,
        n,
        |len| 64 * len + (1 << 20),
        |b| {
            if let Ok(v) = crate::record::canonical::parse_canonical(b) {
                let again = crate::record::canonical::to_canonical(&v).expect("re-encodes");
                assert_eq!(again, b, "accepted bytes that are not canonical");
            }
            // The direct writer writes what the Value route writes, and refuses what it
            // refuses (any JSON serde_json reads: floats, nulls, non-NFC text, big numbers).
            if let Ok(v) = serde_json::from_slice::<serde_json::Value>(b) {
                let direct = crate::record::canonical_ser::to_canonical_bytes(&v);
                let reference = crate::record::canonical::to_canonical(&v);
                match (direct, reference) {
                    (Ok(d), Ok(r)) => assert_eq!(d, r, "the canonical writers differ"),
                    (Ok(_), Err(e)) => panic!("direct writer accepted what is refused: {e:?}"),
                    (Err(e), Ok(_)) => panic!("direct writer refused: {e:?}"),
                    (Err(_), Err(_)) => {}
                }
            }
        },
    );
    fuzz(
        "entry",
        &seeds,
        n,
        |len| 64 * len + (1 << 20),
        |b| {
            use crate::log::Entry;
            let strict = Entry::parse_strict(b);
            match Entry::parse_fast(b) {
                // The fast reader accepts nothing the strict one refuses, reads the same.
                Some(fast) => assert_eq!(Ok(&fast), strict.as_ref(), "the readers differ"),
                // Whatever the strict reader accepts, the fast one reads too (else the
                // log would be read the slow way without anyone noticing).
                None => assert!(strict.is_err(), "only the strict reader accepted it"),
            }
            if let Ok(e) = strict {
                assert_eq!(e.to_bytes().expect("re-encodes"), b, "entry round trip");
                assert_eq!(
                    e.to_bytes_via_value().expect("re-encodes"),
                    b,
                    "value route"
                );
            }
        },
    );
    // The exact reader of consent entries, from consents of every shape mutated.
    let consents: Vec<Vec<u8>> = crate::log::consent::tests::consents()
        .iter()
        .map(|e| e.to_bytes().unwrap())
        .chain(seeds.iter().filter(|s| s.ends_with(b"\"v\":1}")).cloned())
        .collect();
    let read = std::cell::Cell::new(0usize);
    fuzz(
        "consent entry",
        &consents,
        n,
        |len| 64 * len + (1 << 20),
        |b| {
            use crate::log::Entry;
            let strict = Entry::parse_strict(b);
            if let Some(e) = crate::log::consent::read(b) {
                // It reads nothing the strict reader refuses, reads it the same, and
                // what it reads is written back to the very same bytes.
                assert_eq!(Ok(&e), strict.as_ref(), "the readers differ");
                assert_eq!(e.to_bytes().expect("re-encodes"), b, "consent round trip");
                read.set(read.get() + 1);
            }
        },
    );
    // Not a target that refuses everything: the seeds, and some mutations, are read.
    assert!(read.get() > consents.len(), "{} read", read.get());
}

#[test]
fn fuzz_notes_and_checkpoints() {
    let note = CHECKPOINT.as_bytes().to_vec();
    let body = CHECKPOINT.split("\n\n").next().unwrap().to_string() + "\n";
    let seeds = vec![note, body.into_bytes()];
    let n = iters(30_000);
    fuzz(
        "note",
        &seeds,
        n,
        |len| 64 * len + (1 << 20),
        |b| {
            if let Ok(note) = crate::record::note::Note::parse(b) {
                let _ = crate::record::note::Checkpoint::parse_body(&note.text);
            }
            if let Ok(text) = std::str::from_utf8(b) {
                if let Ok(cp) = crate::record::note::Checkpoint::parse_body(text) {
                    assert_eq!(cp.body(), text, "checkpoint body round trip");
                }
                let _ = crate::record::note::parse_vkey(text.trim_end());
            }
        },
    );
}

#[test]
fn fuzz_roster_and_consent_readers() {
    use crate::input::testutil::{SAMPLE, sample_xlsx};
    let sample: String = SAMPLE.lines().take(30).collect::<Vec<_>>().join("\n");
    let gbk = encoding_rs::GBK.encode(&sample).0.into_owned();
    let consents = "户号,签字人,意见,理由,方式,征求人,日期,页码\n0001,张三,同意,,在场,李四,2026/3/25,1\n0002,王五,反对,\"路太窄,需拓宽\",远程确认,李四,２０２６年３月２５日,1\n";
    let text_seeds = vec![
        sample.clone().into_bytes(),
        gbk,
        consents.as_bytes().to_vec(),
    ];
    let n = iters(1500);
    let read = |b: &[u8]| {
        let _ = crate::input::roster::read_roster(b);
        let _ = crate::input::consents::read_consents(b);
    };
    fuzz("csv", &text_seeds, n, |len| 256 * len + (4 << 20), read);
    let xlsx_seeds = vec![sample_xlsx()];
    fuzz("xlsx", &xlsx_seeds, n, |_| 64 << 20, read);
}

#[test]
fn fuzz_bundle_zip_reader() {
    use std::io::Read;

    use crate::bundle::{BundleReader, BundleWriter, Caps, Method};
    let dir = tempfile::tempdir().unwrap();
    let seed_path = dir.path().join("seed.zip");
    let mut w = BundleWriter::create(&seed_path).unwrap();
    w.add_bytes("FORMAT", Method::Stored, b"villagerecord-bundle/v1\n")
        .unwrap();
    w.add_bytes("log/entries.jsonl", Method::Deflate, ENTRIES)
        .unwrap();
    w.add_bytes("checkpoints/5.txt", Method::Stored, CHECKPOINT.as_bytes())
        .unwrap();
    w.finish().unwrap();
    let seeds = vec![std::fs::read(&seed_path).unwrap()];
    let caps = Caps {
        max_entries: 1000,
        max_entry_size: 8 << 20,
        max_total_size: 32 << 20,
        ..Caps::default()
    };
    let path = dir.path().join("input.zip");
    let n = iters(1500);
    fuzz(
        "zip",
        &seeds,
        n,
        |_| 16 << 20,
        |b| {
            std::fs::write(&path, b).unwrap();
            if let Ok(r) = BundleReader::open(&path, caps) {
                let names: Vec<String> = r.entries().iter().map(|e| e.name.clone()).collect();
                for name in names {
                    if let Ok(mut e) = r.open_entry(&name) {
                        let mut buf = [0u8; 8192];
                        while let Ok(k) = e.read(&mut buf) {
                            if k == 0 {
                                break;
                            }
                        }
                    }
                }
            }
        },
    );
}

/// Found by `fuzz_canonical_json_and_entries` (LIUYI_FUZZ_SEED=7): chrono reads a date
/// with a space for its leading zero, so a second spelling of a stored entry parsed.
#[test]
fn regression_an_entry_date_in_a_second_spelling_is_refused() {
    let seeds = entry_seeds();
    let revise = seeds
        .iter()
        .find(|e| e.windows(15).any(|w| w == b"\"type\":\"revise\""))
        .expect("a revise entry");
    assert!(crate::log::Entry::parse(revise).is_ok());
    let text = String::from_utf8(revise.clone()).unwrap();
    let date = text.split("\"date\":\"").nth(1).unwrap()[..10].to_string();
    let spaced = format!("{} {}", &date[..8], &date[9..]);
    assert_eq!(&date[8..9], "0", "{date}");
    let mutated = text.replacen(&date, &spaced, 1);
    assert!(
        crate::log::Entry::parse(mutated.as_bytes()).is_err(),
        "{mutated}"
    );
}
