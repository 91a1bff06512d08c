//! Tests for the container layer: round trips through the writer and reader, and hostile
//! archives (hand-crafted bytes) that the reader must reject with the right code and place.
//!
//! `raw` builds ZIP files field by field so a test can make the local header and the central
//! directory disagree, overlap entries, and so on. `alloc` counts this thread's heap use so
//! memory bounds can be asserted.

pub(crate) mod alloc;
mod hostile;
mod raw;
mod stream;
mod write;

use std::fs;
use std::path::{Path, PathBuf};

use super::*;

pub(super) fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// Sorted names in `dir` (to assert nothing else appeared).
pub(super) fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Writes `bytes` as `name` in `dir` and opens it with default caps.
pub(super) fn open_bytes(
    dir: &Path,
    name: &str,
    bytes: &[u8],
) -> (PathBuf, Result<BundleReader, ContainerReport>) {
    let p = dir.join(name);
    fs::write(&p, bytes).expect("write");
    let r = BundleReader::open(&p, Caps::default());
    (p, r)
}

/// Expects a report (not a reader).
pub(super) fn report(r: Result<BundleReader, ContainerReport>) -> ContainerReport {
    match r {
        Ok(b) => panic!("expected problems, bundle opened with {:?}", b.entries()),
        Err(rep) => {
            assert!(!rep.problems.is_empty());
            for p in &rep.problems {
                assert_eq!(p.code, p.kind.code());
            }
            rep
        }
    }
}

/// Asserts some problem has `code` at `location`, and returns it.
#[track_caller]
pub(super) fn find<'a>(
    rep: &'a ContainerReport,
    code: &str,
    location: &str,
) -> &'a ContainerProblem {
    rep.problems
        .iter()
        .find(|p| p.code == code && p.location == location)
        .unwrap_or_else(|| panic!("no {code} at {location:?} in:\n{rep}"))
}

/// A small valid bundle written with the writer; returns its bytes.
pub(super) fn sample_bundle(dir: &Path) -> Vec<u8> {
    let p = dir.join("sample.zip");
    let mut w = BundleWriter::create(&p).expect("create");
    w.add_bytes("FORMAT", Method::Stored, b"villagerecord-bundle/v1\n")
        .expect("add");
    let log: Vec<u8> = (0..200)
        .flat_map(|i| format!("{{\"idx\":{i},\"kind\":\"note\"}}\n").into_bytes())
        .collect();
    w.add_bytes("log/entries.jsonl", Method::Deflate, &log)
        .expect("add");
    w.add_bytes("attachments/00ff.txt", Method::Stored, &[b'x'; 3000])
        .expect("add");
    w.finish().expect("finish");
    let bytes = fs::read(&p).expect("read");
    fs::remove_file(&p).expect("rm");
    bytes
}

#[test]
fn every_kind_has_both_sentences() {
    use crate::i18n::Lang;
    use crate::i18n::bundle::describe;
    let kinds = [
        ProblemKind::NoEndRecord { file_len: 3 },
        ProblemKind::BadName {
            faults: vec![NameFault::ParentSegment, NameFault::Backslash],
        },
        ProblemKind::CaseCollision {
            other: "A.txt".into(),
        },
        ProblemKind::Bomb { limit: 1024 },
        ProblemKind::LocalHeaderMismatch { field: "name" },
        ProblemKind::TooManyProblems { omitted: 4 },
    ];
    for k in &kinds {
        let zh = describe(k, Lang::Zh);
        let en = describe(k, Lang::En);
        assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{k:?}");
    }
    assert!(describe(&kinds[1], Lang::Zh).contains(".."));
    assert!(describe(&kinds[3], Lang::En).contains("1024"));
}
