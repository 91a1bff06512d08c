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

/// What every signing key file liuyi writes (the village's, the township's) holds before
/// the secret: `PRIVATE+KEY+<name>+…` (`keys::write_new_key_file`). Found in a file or a
/// text, it is a key given away.
pub const KEY_MARKER: &[u8] = b"PRIVATE+KEY+";

/// [`KEY_MARKER`] as UTF-8 (and ASCII), UTF-16LE and UTF-16BE: a key file saved again
/// by a text editor as "Unicode" is still the key. Made once.
fn key_markers() -> &'static [Vec<u8>; 3] {
    static MARKERS: std::sync::LazyLock<[Vec<u8>; 3]> = std::sync::LazyLock::new(|| {
        let le = KEY_MARKER.iter().flat_map(|b| [*b, 0]).collect();
        let be = KEY_MARKER.iter().flat_map(|b| [0, *b]).collect();
        [KEY_MARKER.to_vec(), le, be]
    });
    &MARKERS
}

/// Whether `bytes` (a file's, undecoded) hold a signing key ([`KEY_MARKER`], in UTF-8 or
/// UTF-16).
pub fn holds_key(bytes: &[u8]) -> bool {
    key_markers()
        .iter()
        .any(|m| memchr::memmem::find(bytes, m).is_some())
}

/// Whether a text holds a signing key: decoded, only its UTF-8 form can be in it (every
/// text of every entry is asked, on replay too).
pub fn text_holds_key(s: &str) -> bool {
    memchr::memmem::find(s.as_bytes(), KEY_MARKER).is_some()
}

/// A file's bytes as streamed: their SHA-256 (hex), length, and whether they hold a signing
/// key ([`KEY_MARKER`], found across the reads too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digested {
    pub sha256: String,
    pub len: u64,
    pub holds_key: bool,
    /// The first key line found (`PRIVATE+KEY+…`, to its line end, decoded from UTF-16 if so
    /// written), to tell which key it is ([`leaked_key`]).
    pub key_line: Option<String>,
}

/// How much is kept from where a key's marker begins: a key line, in UTF-16 too.
const KEY_TEXT: usize = 512;

/// [`sha256_of_reader`], also looking for a signing key in the bytes (`check` and `verify`:
/// a key in the record is a key the township would archive and pass on).
pub fn digest_of_reader(
    rd: &mut (impl std::io::Read + ?Sized),
    buf: &mut [u8],
) -> std::io::Result<Digested> {
    use sha2::{Digest, Sha256};
    let markers = key_markers();
    let finders: Vec<memchr::memmem::Finder> =
        markers.iter().map(memchr::memmem::Finder::new).collect();
    let first = |hay: &[u8]| finders.iter().filter_map(|f| f.find(hay)).min();
    let keep = markers.iter().map(Vec::len).max().unwrap_or(1) - 1;
    let mut h = Sha256::new();
    let mut n = 0u64;
    // From the marker on, once found.
    let mut key: Option<Vec<u8>> = None;
    // The last bytes of what was read, joined to the next read's first: a marker split
    // across two reads.
    let mut carry: Vec<u8> = Vec::with_capacity(2 * keep);
    loop {
        match rd.read(buf) {
            Ok(0) => break,
            Ok(k) => {
                let read = &buf[..k];
                h.update(read);
                n += k as u64;
                match key.as_mut() {
                    Some(t) => {
                        let more = KEY_TEXT.saturating_sub(t.len()).min(k);
                        t.extend_from_slice(&read[..more]);
                    }
                    None => {
                        let head = k.min(keep);
                        carry.extend_from_slice(&read[..head]);
                        if let Some(p) = first(&carry) {
                            let mut t = carry[p..].to_vec();
                            let more = KEY_TEXT.saturating_sub(t.len()).min(k - head);
                            t.extend_from_slice(&read[head..head + more]);
                            key = Some(t);
                        } else if let Some(p) = first(read) {
                            key = Some(read[p..k.min(p + KEY_TEXT)].to_vec());
                        }
                        if k >= keep {
                            carry.clear();
                            carry.extend_from_slice(&read[k - keep..]);
                        } else {
                            let drop = carry.len().saturating_sub(keep);
                            carry.drain(..drop);
                        }
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Digested {
        sha256: hex::encode(h.finalize()),
        len: n,
        holds_key: key.is_some(),
        key_line: key.map(|t| key_line(&t)),
    })
}

/// The key line that `bytes` (from a marker on) begin with, decoded: UTF-16LE or BE when
/// the marker was found so written, else UTF-8.
fn key_line(bytes: &[u8]) -> String {
    let utf16 = |pick: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = bytes.chunks_exact(2).map(|c| pick([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    };
    let text = match bytes {
        [_, 0, ..] => utf16(u16::from_le_bytes),
        [0, _, ..] => utf16(u16::from_be_bytes),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    };
    text.split('\n')
        .next()
        .unwrap_or_default()
        .trim_end_matches('\r')
        .to_string()
}

/// The public key (hex) of the signing key a found key line holds, if it is a whole one.
pub fn leaked_key(line: &str) -> Option<String> {
    keys::parse_key_text(&format!("{line}\n"))
        .ok()
        .map(|(k, _)| k.public().to_hex())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that yields `step` bytes at a time.
    struct Drip<'a>(&'a [u8], usize);

    impl std::io::Read for Drip<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_key_is_found_wherever_the_reads_split_it() {
        let mut data = vec![b'x'; 100];
        data.extend_from_slice(b"PRIVATE+KEY+liuyi/130102001001+abcd+AAAA\n");
        data.extend_from_slice(&[b'y'; 50]);
        let whole = {
            use sha2::{Digest, Sha256};
            hex::encode(Sha256::digest(&data))
        };
        for step in [1, 3, 5, 7, 11, 12, 13, 64, 101, 105, 4096] {
            let mut buf = vec![0u8; 4096];
            let d = digest_of_reader(&mut Drip(&data, step), &mut buf).unwrap();
            assert!(d.holds_key, "read {step} bytes at a time");
            assert_eq!(
                (d.sha256.as_str(), d.len),
                (whole.as_str(), data.len() as u64)
            );
        }
        // Saved again as UTF-16 (Notepad's "Unicode"), either byte order, with its BOM.
        let text = String::from_utf8(data.clone()).unwrap();
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for utf16 in [le, be] {
            assert!(holds_key(&utf16));
            for step in [1, 7, 23, 24, 25, 4096] {
                let mut buf = vec![0u8; 4096];
                let d = digest_of_reader(&mut Drip(&utf16, step), &mut buf).unwrap();
                assert!(d.holds_key, "UTF-16 read {step} bytes at a time");
            }
        }
        // Which key: the line found, in either encoding, names it.
        let line = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
        let public = keys::parse_key_text(&format!("{line}\n"))
            .unwrap()
            .0
            .public()
            .to_hex();
        let in_utf16: Vec<u8> = format!("备份\r\n{line}\r\n")
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        for (bytes, step) in [(format!("x{line}\ny").into_bytes(), 5), (in_utf16, 7)] {
            let mut buf = vec![0u8; 4096];
            let d = digest_of_reader(&mut Drip(&bytes, step), &mut buf).unwrap();
            assert_eq!(d.key_line.as_deref(), Some(line));
            assert_eq!(leaked_key(line), Some(public.clone()));
        }
        let clean = b"PRIVATE+KEY is not the marker; PRIVATE-KEY+ neither".repeat(9);
        for step in [1, 5, 12, 4096] {
            let mut buf = vec![0u8; 4096];
            let d = digest_of_reader(&mut Drip(&clean, step), &mut buf).unwrap();
            assert!(!d.holds_key, "{step}");
        }
    }
}
