//! The record's cryptographic core: canonical entry bytes, RFC 6962 Merkle hashing, C2SP
//! signed notes and checkpoints, and Ed25519 keys.
//!
//! This module owns formats and checks that are pure functions of bytes (plus the key file
//! on disk). It does not own the SQLite log, the order of entries, who may sign what, or any
//! user-facing wording: sentences live in `crate::i18n::record`.

pub mod canonical;
pub mod canonical_ser;
pub mod keys;
pub mod merkle;
pub mod note;

pub use canonical::{CanonError, nfc, parse_canonical, to_canonical};
pub use keys::{KeyError, KeyFileProblem, PublicKey, SecretKey, read_key_file, write_new_key_file};
pub use merkle::{CompactRange, Hash, MerkleError, leaf_hash, node_hash, root};
pub use note::{
    Checkpoint, Note, NoteError, NoteSig, cosign, key_id, pae, sign_checkpoint, verify_cosignature,
    verify_note, vkey,
};

/// The SHA-256 (hex) and length of everything `rd` yields, streamed through `buf`.
pub fn sha256_of_reader(
    rd: &mut (impl std::io::Read + ?Sized),
    buf: &mut [u8],
) -> std::io::Result<(String, u64)> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut n = 0u64;
    loop {
        match rd.read(buf) {
            Ok(0) => break,
            Ok(k) => {
                h.update(&buf[..k]);
                n += k as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok((hex::encode(h.finalize()), n))
}

/// Any failure from this module, for callers that handle them together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    Canon(CanonError),
    Merkle(MerkleError),
    Note(NoteError),
    Key(KeyError),
}

impl From<CanonError> for RecordError {
    fn from(e: CanonError) -> Self {
        RecordError::Canon(e)
    }
}

impl From<MerkleError> for RecordError {
    fn from(e: MerkleError) -> Self {
        RecordError::Merkle(e)
    }
}

impl From<NoteError> for RecordError {
    fn from(e: NoteError) -> Self {
        RecordError::Note(e)
    }
}

impl From<KeyError> for RecordError {
    fn from(e: KeyError) -> Self {
        RecordError::Key(e)
    }
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::record::describe(self, crate::i18n::Lang::En))
    }
}

impl std::error::Error for RecordError {}
