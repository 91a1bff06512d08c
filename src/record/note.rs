//! C2SP signed notes, tlog checkpoints, cosignature/v1, and DSSE PAE.
//!
//! This file owns the exact text formats: the checkpoint body, the signed-note envelope
//! (text, blank line, `— name base64(keyid‖sig)` lines), key ids and verifier keys, the
//! township's cosignature, and the PAE wrapper that binds a payload type into what a key
//! signs. It does not decide which keys are trusted at which log size (the rules engine),
//! and it does not store notes.
//!
//! Parsing is strict and never repairs: a note that is not byte-for-byte what we would
//! write back is refused, so `Note::to_string` reproduces the input exactly.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::{Digest, Sha256};

use super::keys::{ALG_ED25519, KeyError, PublicKey, SecretKey, is_valid_key_name};
use super::merkle::Hash;

/// Note key type byte for a C2SP tlog-cosignature (Ed25519).
pub const ALG_COSIGNATURE_V1: u8 = 0x04;
/// Largest note we accept. A checkpoint with 100 signatures is under 10 KiB.
pub const MAX_NOTE_BYTES: usize = 64 * 1024;
/// Most signature lines we accept (Go's `note.Open` limit; the spec requires at least 16).
pub const MAX_SIGNATURES: usize = 100;
const SIG_PREFIX: &str = "\u{2014} ";

/// Why a note, checkpoint, verifier key or signature was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteError {
    /// Larger than [`MAX_NOTE_BYTES`].
    TooLarge { len: usize },
    /// Not valid UTF-8.
    NotUtf8,
    /// Contains a carriage return: the file was opened and saved by a text editor (CRLF).
    CarriageReturn,
    /// Starts with a byte-order mark: also the mark of a text editor.
    ByteOrderMark,
    /// Contains a control character other than newline.
    ControlCharacter,
    /// Not text, a blank line, and signature lines.
    Malformed,
    /// More than [`MAX_SIGNATURES`] signature lines.
    TooManySignatures { count: usize },
    /// A checkpoint body that is not `origin\nsize\nbase64(root)\n`.
    BadCheckpoint,
    /// A key name that is empty or contains whitespace or `+`.
    InvalidName { name: String },
    /// A verifier key string that does not parse or whose id does not match.
    BadVerifierKey,
    /// The public key itself is refused.
    Key(KeyError),
    /// No signature line from this key.
    NoSignature { name: String },
    /// The same key signed more than once.
    DuplicateSignature { name: String },
    /// A signature line from this key that does not verify.
    BadSignature { name: String },
}

impl std::fmt::Display for NoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::record::describe_note(
            self,
            crate::i18n::Lang::En,
        ))
    }
}

impl std::error::Error for NoteError {}

/// A tlog checkpoint: the log's identity, its size and its RFC 6962 root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
}

impl Checkpoint {
    /// The note text: `origin\nsize\nbase64(root)\n`, no extension lines.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root)
        )
    }

    /// Parses a checkpoint body strictly: exactly three lines, the size in decimal without
    /// leading zeros, the root as padded standard base64 of 32 bytes. Extension lines are
    /// refused: we never write them and C2SP calls them unauditable.
    pub fn parse_body(text: &str) -> Result<Checkpoint, NoteError> {
        let rest = text.strip_suffix('\n').ok_or(NoteError::BadCheckpoint)?;
        let mut lines = rest.split('\n');
        let (Some(origin), Some(size), Some(root), None) =
            (lines.next(), lines.next(), lines.next(), lines.next())
        else {
            return Err(NoteError::BadCheckpoint);
        };
        if !is_valid_key_name(origin) {
            return Err(NoteError::BadCheckpoint);
        }
        let size_ok = !size.is_empty()
            && size.bytes().all(|b| b.is_ascii_digit())
            && (size == "0" || !size.starts_with('0'));
        if !size_ok {
            return Err(NoteError::BadCheckpoint);
        }
        let size: u64 = size.parse().map_err(|_| NoteError::BadCheckpoint)?;
        let root_bytes = B64.decode(root).map_err(|_| NoteError::BadCheckpoint)?;
        let root: Hash = root_bytes
            .try_into()
            .map_err(|_| NoteError::BadCheckpoint)?;
        let cp = Checkpoint {
            origin: origin.to_string(),
            size,
            root,
        };
        // The decoder is canonical already; this makes "never repair" explicit.
        if cp.body() != text {
            return Err(NoteError::BadCheckpoint);
        }
        Ok(cp)
    }
}

/// The C2SP key id: the first 4 bytes of SHA-256(name ‖ "\n" ‖ type byte ‖ public key).
/// Only a lookup hint; trust comes from the configured key.
pub fn key_id(name: &str, alg: u8, pubkey: &[u8; 32]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([0x0A, alg]);
    h.update(pubkey);
    let d = h.finalize();
    [d[0], d[1], d[2], d[3]]
}

/// The verifier key string `name+hexid+base64(0x01‖pubkey)`, for copy and paste.
pub fn vkey(name: &str, pubkey: &PublicKey) -> String {
    let pk = pubkey.to_bytes();
    let mut data = vec![ALG_ED25519];
    data.extend_from_slice(&pk);
    format!(
        "{name}+{}+{}",
        hex::encode(key_id(name, ALG_ED25519, &pk)),
        B64.encode(data)
    )
}

/// Parses a verifier key string, checking the id against the name and key.
pub fn parse_vkey(s: &str) -> Result<(String, PublicKey), NoteError> {
    let mut parts = s.splitn(3, '+');
    let (Some(name), Some(id_hex), Some(key64)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(NoteError::BadVerifierKey);
    };
    if !is_valid_key_name(name)
        || id_hex.len() != 8
        || !id_hex
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(NoteError::BadVerifierKey);
    }
    let data = B64.decode(key64).map_err(|_| NoteError::BadVerifierKey)?;
    let Some((&ALG_ED25519, key)) = data.split_first() else {
        return Err(NoteError::BadVerifierKey);
    };
    let pk = PublicKey::from_slice(key).map_err(NoteError::Key)?;
    if hex::encode(key_id(name, ALG_ED25519, &pk.to_bytes())) != id_hex {
        return Err(NoteError::BadVerifierKey);
    }
    Ok((name.to_string(), pk))
}

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSig {
    pub name: String,
    pub key_id: [u8; 4],
    /// What follows the key id: 64 bytes for Ed25519, 8 + 64 for a cosignature.
    pub sig: Vec<u8>,
}

impl NoteSig {
    /// The line as it appears in a note, with its newline.
    pub fn to_line(&self) -> String {
        let mut blob = self.key_id.to_vec();
        blob.extend_from_slice(&self.sig);
        format!("{SIG_PREFIX}{} {}\n", self.name, B64.encode(blob))
    }
}

/// A signed note: the signed text (ending in a newline) and its signature lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    pub sigs: Vec<NoteSig>,
}

impl std::fmt::Display for Note {
    /// The exact bytes of the note: text, blank line, signature lines.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)?;
        f.write_str("\n")?;
        for s in &self.sigs {
            f.write_str(&s.to_line())?;
        }
        Ok(())
    }
}

impl Note {
    /// Parses a signed note strictly (C2SP signed-note, as Go's `note.Open`), without
    /// verifying any signature.
    pub fn parse(bytes: &[u8]) -> Result<Note, NoteError> {
        if bytes.len() > MAX_NOTE_BYTES {
            return Err(NoteError::TooLarge { len: bytes.len() });
        }
        let s = std::str::from_utf8(bytes).map_err(|_| NoteError::NotUtf8)?;
        // Report hand-editing first and distinctly: it is the likeliest cause and the
        // fix (get the original file again) differs from a forgery.
        if s.starts_with('\u{feff}') {
            return Err(NoteError::ByteOrderMark);
        }
        if s.contains('\r') {
            return Err(NoteError::CarriageReturn);
        }
        if s.chars().any(|c| c != '\n' && (c.is_control())) {
            return Err(NoteError::ControlCharacter);
        }
        let split = s.rfind("\n\n").ok_or(NoteError::Malformed)?;
        let text = &s[..split + 1];
        let sig_block = &s[split + 2..];
        if sig_block.is_empty() || !sig_block.ends_with('\n') {
            return Err(NoteError::Malformed);
        }
        let mut sigs = Vec::new();
        for line in sig_block[..sig_block.len() - 1].split('\n') {
            if sigs.len() == MAX_SIGNATURES {
                return Err(NoteError::TooManySignatures {
                    count: sig_block.matches('\n').count(),
                });
            }
            let rest = line.strip_prefix(SIG_PREFIX).ok_or(NoteError::Malformed)?;
            let (name, b64) = rest.split_once(' ').ok_or(NoteError::Malformed)?;
            if !is_valid_key_name(name) || b64.is_empty() {
                return Err(NoteError::Malformed);
            }
            let blob = B64.decode(b64).map_err(|_| NoteError::Malformed)?;
            if blob.len() < 5 {
                return Err(NoteError::Malformed);
            }
            let key_id = [blob[0], blob[1], blob[2], blob[3]];
            sigs.push(NoteSig {
                name: name.to_string(),
                key_id,
                sig: blob[4..].to_vec(),
            });
        }
        let note = Note {
            text: text.to_string(),
            sigs,
        };
        if note.to_string() != s {
            return Err(NoteError::Malformed);
        }
        Ok(note)
    }

    /// The one signature line from `name` with key id `id`. Several lines from the same
    /// key are refused rather than deduplicated: we never write them.
    fn find_sig(&self, name: &str, id: [u8; 4]) -> Result<&NoteSig, NoteError> {
        let mut found = self
            .sigs
            .iter()
            .filter(|s| s.name == name && s.key_id == id);
        let first = found.next().ok_or_else(|| NoteError::NoSignature {
            name: name.to_string(),
        })?;
        if found.next().is_some() {
            return Err(NoteError::DuplicateSignature {
                name: name.to_string(),
            });
        }
        Ok(first)
    }
}

fn check_name(name: &str) -> Result<(), NoteError> {
    if is_valid_key_name(name) {
        Ok(())
    } else {
        Err(NoteError::InvalidName {
            name: name.to_string(),
        })
    }
}

/// Signs a checkpoint with the log key and returns the whole note text. Fails only for an
/// invalid key name or origin (so nothing unparseable is ever written).
pub fn sign_checkpoint(key: &SecretKey, name: &str, cp: &Checkpoint) -> Result<String, NoteError> {
    check_name(name)?;
    let text = cp.body();
    Checkpoint::parse_body(&text)?;
    let sig = key.sign(text.as_bytes());
    let note = Note {
        text,
        sigs: vec![NoteSig {
            name: name.to_string(),
            key_id: key_id(name, ALG_ED25519, &key.public().to_bytes()),
            sig: sig.to_vec(),
        }],
    };
    Ok(note.to_string())
}

/// Verifies the Ed25519 note signature of (`name`, `pubkey`) over the note's exact text.
/// Signatures from other keys are ignored, as C2SP requires (that is what makes key
/// rotation and cosigning possible).
pub fn verify_note(note: &Note, name: &str, pubkey: &PublicKey) -> Result<(), NoteError> {
    let id = key_id(name, ALG_ED25519, &pubkey.to_bytes());
    let sig = note.find_sig(name, id)?;
    pubkey
        .verify_strict(note.text.as_bytes(), &sig.sig)
        .map_err(|_| NoteError::BadSignature {
            name: name.to_string(),
        })
}

/// The message a cosigner signs (C2SP tlog-cosignature, Ed25519 variant).
fn cosignature_message(body: &str, time: u64) -> Vec<u8> {
    format!("cosignature/v1\ntime {time}\n{body}").into_bytes()
}

/// Cosigns a checkpoint body (the note text, without signature lines) as of `time`
/// (POSIX seconds) and returns the signature line to append to the note.
pub fn cosign(key: &SecretKey, name: &str, body: &str, time: u64) -> Result<String, NoteError> {
    check_name(name)?;
    Checkpoint::parse_body(body)?;
    let sig = key.sign(&cosignature_message(body, time));
    let mut blob = time.to_be_bytes().to_vec();
    blob.extend_from_slice(&sig);
    Ok(NoteSig {
        name: name.to_string(),
        key_id: key_id(name, ALG_COSIGNATURE_V1, &key.public().to_bytes()),
        sig: blob,
    }
    .to_line())
}

/// Verifies the cosignature of (`name`, `pubkey`) on a checkpoint note and returns the time
/// it carries. Whether that time is plausible is the caller's policy.
pub fn verify_cosignature(note: &Note, name: &str, pubkey: &PublicKey) -> Result<u64, NoteError> {
    let id = key_id(name, ALG_COSIGNATURE_V1, &pubkey.to_bytes());
    let line = note.find_sig(name, id)?;
    let bad = || NoteError::BadSignature {
        name: name.to_string(),
    };
    let (time_bytes, sig) = line.sig.split_first_chunk::<8>().ok_or_else(bad)?;
    let time = u64::from_be_bytes(*time_bytes);
    pubkey
        .verify_strict(&cosignature_message(&note.text, time), sig)
        .map_err(|_| bad())?;
    Ok(time)
}

/// DSSE pre-authentication encoding: `"DSSEv1" SP len(type) SP type SP len(body) SP body`,
/// lengths in ASCII decimal. Binding the payload type into the signed bytes stops a
/// signature made for one kind of statement from being replayed as another.
pub fn pae(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::keys::parse_key_text;

    const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    const PETER_SKEY: &str =
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz\n";
    const ENOCH_VKEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    const TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                        then you don't know what your problem is.\n";
    const PETER_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    const ENOCH_SIG: &str = "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    fn peter() -> (SecretKey, PublicKey) {
        let (k, _) = parse_key_text(PETER_SKEY).unwrap();
        let pk = k.public();
        (k, pk)
    }

    fn checkpoint() -> Checkpoint {
        Checkpoint {
            origin: "liuyi.example/370102".into(),
            size: 42,
            root: crate::record::merkle::leaf_hash(b"x"),
        }
    }

    #[test]
    fn key_id_vectors() {
        // c2sp.org/signed-note example verifier key.
        let (name, pk) =
            parse_vkey("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
                .unwrap();
        assert_eq!(name, "example.com/foo");
        assert_eq!(
            key_id(&name, ALG_ED25519, &pk.to_bytes()),
            [0x53, 0x0d, 0x90, 0x3a]
        );
        // golang.org/x/mod sumdb/note note_test.go.
        let (name, pk) = parse_vkey(PETER_VKEY).unwrap();
        assert_eq!(
            key_id(&name, ALG_ED25519, &pk.to_bytes()),
            [0xc7, 0x4f, 0x20, 0xa3]
        );
        assert_eq!(vkey(&name, &pk), PETER_VKEY);
        assert_eq!(peter().1, pk);
    }

    /// Go note_test TestNewVerifier: every proper substring and every single-byte increment
    /// of a valid verifier key must be refused.
    #[test]
    fn mangled_vkeys_are_refused() {
        let b = PETER_VKEY.as_bytes();
        for i in 0..=b.len() {
            for j in i + 1..=b.len() {
                if i != 0 || j != b.len() {
                    let s = String::from_utf8_lossy(&b[i..j]);
                    assert!(parse_vkey(&s).is_err(), "{s}");
                }
            }
        }
        let mut m = b.to_vec();
        for i in 0..m.len() {
            m[i] = m[i].wrapping_add(1);
            let s = String::from_utf8_lossy(&m).to_string();
            assert!(parse_vkey(&s).is_err(), "{s}");
            m[i] = m[i].wrapping_sub(1);
        }
        // Wrong-length key and unknown algorithm, each with a recomputed id (from Go).
        assert!(
            parse_vkey(
                "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="
            )
            .is_err()
        );
        assert!(
            parse_vkey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
                .is_err()
        );
    }

    /// Go note_test TestSign: deterministic Ed25519 gives the exact published signature.
    #[test]
    fn signs_like_go() {
        let (k, pk) = peter();
        let sig = k.sign(TEXT.as_bytes());
        let line = NoteSig {
            name: "PeterNeumann".into(),
            key_id: key_id("PeterNeumann", ALG_ED25519, &pk.to_bytes()),
            sig: sig.to_vec(),
        }
        .to_line();
        assert_eq!(line, PETER_SIG);
    }

    /// Go note_test TestOpen, adapted to our stricter rules.
    #[test]
    fn open_like_go() {
        let (_, peter_pk) = peter();
        let (_, enoch_pk) = parse_vkey(ENOCH_VKEY).unwrap();
        let msg = format!("{TEXT}\n{PETER_SIG}{ENOCH_SIG}");
        let n = Note::parse(msg.as_bytes()).unwrap();
        assert_eq!(n.text, TEXT);
        assert_eq!(n.sigs.len(), 2);
        assert_eq!(n.to_string(), msg);
        verify_note(&n, "PeterNeumann", &peter_pk).unwrap();
        verify_note(&n, "EnochRoot", &enoch_pk).unwrap();
        // A key the note does not carry.
        let other = SecretKey::from_seed(&[9; 32]).public();
        assert_eq!(
            verify_note(&n, "Someone", &other),
            Err(NoteError::NoSignature {
                name: "Someone".into()
            })
        );

        // 101 signatures: refused (our cap, like Go's).
        let many = format!("{TEXT}\n{}", PETER_SIG.repeat(101));
        assert!(matches!(
            Note::parse(many.as_bytes()),
            Err(NoteError::TooManySignatures { .. })
        ));
        // 100 parse, but the repeated key is refused at verification.
        let hundred = format!("{TEXT}\n{}", PETER_SIG.repeat(100));
        let n = Note::parse(hundred.as_bytes()).unwrap();
        assert_eq!(
            verify_note(&n, "PeterNeumann", &peter_pk),
            Err(NoteError::DuplicateSignature {
                name: "PeterNeumann".into()
            })
        );

        // Invalid signature from a known key.
        let bad = format!("{TEXT}\n{}ABCD{}", &PETER_SIG[..60], &PETER_SIG[60..]);
        let n = Note::parse(bad.as_bytes()).unwrap();
        assert_eq!(
            verify_note(&n, "PeterNeumann", &peter_pk),
            Err(NoteError::BadSignature {
                name: "PeterNeumann".into()
            })
        );

        let bad_msgs = [
            TEXT.to_string(),
            format!("{TEXT}\n"),
            format!("{TEXT}\n{}", &PETER_SIG[..PETER_SIG.len() - 1]),
            format!(
                "{TEXT}\n\u{2014} Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
            ),
            format!("{TEXT}\n{PETER_SIG}Unexpected line.\n"),
            format!("{TEXT}\n{}", PETER_SIG.replace('\u{2014}', "-")),
            format!(
                "{TEXT}\n{}",
                PETER_SIG.replace("PeterNeumann", "Peter+Neumann")
            ),
        ];
        for m in &bad_msgs {
            assert_eq!(Note::parse(m.as_bytes()), Err(NoteError::Malformed), "{m}");
        }
        assert_eq!(
            Note::parse(format!("\u{1}{TEXT}\n{PETER_SIG}").as_bytes()),
            Err(NoteError::ControlCharacter)
        );
        // U+00FF is a letter, not a bad byte; but it changes the text, so the signature fails.
        let n = Note::parse(format!("\u{ff}{TEXT}\n{PETER_SIG}").as_bytes()).unwrap();
        assert!(verify_note(&n, "PeterNeumann", &peter_pk).is_err());
        let mut raw = format!("{TEXT}\n{PETER_SIG}").into_bytes();
        raw.insert(0, 0xff);
        assert_eq!(Note::parse(&raw), Err(NoteError::NotUtf8));
    }

    #[test]
    fn hand_edited_notes_are_reported_as_such() {
        let (k, _) = peter();
        let note = sign_checkpoint(&k, "PeterNeumann", &checkpoint()).unwrap();
        let crlf = note.replace('\n', "\r\n");
        assert_eq!(Note::parse(crlf.as_bytes()), Err(NoteError::CarriageReturn));
        let bom = format!("\u{feff}{note}");
        assert_eq!(Note::parse(bom.as_bytes()), Err(NoteError::ByteOrderMark));
        let huge = "a".repeat(MAX_NOTE_BYTES + 1);
        assert!(matches!(
            Note::parse(huge.as_bytes()),
            Err(NoteError::TooLarge { .. })
        ));
    }

    #[test]
    fn checkpoint_round_trip_and_verification() {
        let (k, pk) = peter();
        let cp = checkpoint();
        let text = sign_checkpoint(&k, "liuyi.example/370102", &cp).unwrap();
        let note = Note::parse(text.as_bytes()).unwrap();
        assert_eq!(note.to_string(), text);
        assert_eq!(Checkpoint::parse_body(&note.text).unwrap(), cp);
        verify_note(&note, "liuyi.example/370102", &pk).unwrap();
        // Same key under another name: different key id, so not found.
        assert!(verify_note(&note, "PeterNeumann", &pk).is_err());
        // A changed size breaks the signature.
        let forged = text.replacen("\n42\n", "\n43\n", 1);
        let n = Note::parse(forged.as_bytes()).unwrap();
        assert!(matches!(
            verify_note(&n, "liuyi.example/370102", &pk),
            Err(NoteError::BadSignature { .. })
        ));
        // An unknown extra signature line is ignored.
        let extra = format!("{text}{ENOCH_SIG}");
        let n = Note::parse(extra.as_bytes()).unwrap();
        verify_note(&n, "liuyi.example/370102", &pk).unwrap();
        // 17 signature lines are accepted (the spec's minimum is 16).
        let seventeen = format!("{text}{}", ENOCH_SIG.repeat(16));
        assert_eq!(Note::parse(seventeen.as_bytes()).unwrap().sigs.len(), 17);
        assert!(matches!(
            sign_checkpoint(&k, "bad name", &cp),
            Err(NoteError::InvalidName { .. })
        ));
        let bad_origin = Checkpoint {
            origin: "has space".into(),
            ..cp
        };
        assert_eq!(
            sign_checkpoint(&k, "x", &bad_origin),
            Err(NoteError::BadCheckpoint)
        );
    }

    #[test]
    fn checkpoint_body_mutations_are_refused() {
        let good = checkpoint().body();
        assert_eq!(Checkpoint::parse_body(&good).unwrap(), checkpoint());
        let root_b64 = B64.encode(checkpoint().root);
        let o = "liuyi.example/370102";
        let bad = [
            format!("{o}\n042\n{root_b64}\n"),
            format!("{o}\n+42\n{root_b64}\n"),
            format!("{o}\n-42\n{root_b64}\n"),
            format!("{o}\n 42\n{root_b64}\n"),
            format!("{o}\n42 \n{root_b64}\n"),
            format!("{o}\n\n{root_b64}\n"),
            format!("{o}\n18446744073709551616\n{root_b64}\n"),
            format!("{o}\n42\n{}\n", B64.encode([0u8; 31])),
            format!("{o}\n42\n{}\n", B64.encode([0u8; 33])),
            format!("{o}\n42\n{}\n", root_b64.trim_end_matches('=')),
            format!("{o}\n42\n{root_b64}"),
            format!("{o}\n42\n{root_b64}\nextension line\n"),
            format!("{o}\n42\n{root_b64}\n\n"),
            format!("\n42\n{root_b64}\n"),
            format!("has space\n42\n{root_b64}\n"),
            format!("a+b\n42\n{root_b64}\n"),
            format!("{o}\n42\n"),
        ];
        for b in &bad {
            assert_eq!(
                Checkpoint::parse_body(b),
                Err(NoteError::BadCheckpoint),
                "{b:?}"
            );
        }
        let max = Checkpoint {
            size: u64::MAX,
            ..checkpoint()
        };
        assert_eq!(Checkpoint::parse_body(&max.body()).unwrap(), max);
        let zero = Checkpoint {
            size: 0,
            ..checkpoint()
        };
        assert_eq!(Checkpoint::parse_body(&zero.body()).unwrap(), zero);
    }

    #[test]
    fn cosignature_round_trip() {
        let (log_key, _) = peter();
        let witness = SecretKey::from_seed(&[5; 32]);
        let wpk = witness.public();
        let wname = "township.370102.example/witness";
        let note_text = sign_checkpoint(&log_key, "liuyi.example/370102", &checkpoint()).unwrap();
        let body = checkpoint().body();
        let line = cosign(&witness, wname, &body, 1_700_000_000).unwrap();
        let cosigned = format!("{note_text}{line}");
        let note = Note::parse(cosigned.as_bytes()).unwrap();
        assert_eq!(note.to_string(), cosigned);
        assert_eq!(verify_cosignature(&note, wname, &wpk), Ok(1_700_000_000));
        // The cosignature key id uses type 0x04, so it is not an ordinary note signature.
        assert!(matches!(
            verify_note(&note, wname, &wpk),
            Err(NoteError::NoSignature { .. })
        ));
        // Without the cosignature/v1 header, or over the body plus signature lines: refused.
        for msg in [
            body.clone().into_bytes(),
            format!("cosignature/v1\ntime 1700000000\n{note_text}").into_bytes(),
        ] {
            let sig = witness.sign(&msg);
            let mut blob = 1_700_000_000u64.to_be_bytes().to_vec();
            blob.extend_from_slice(&sig);
            let forged = NoteSig {
                name: wname.into(),
                key_id: key_id(wname, ALG_COSIGNATURE_V1, &wpk.to_bytes()),
                sig: blob,
            };
            let n = Note::parse(format!("{note_text}{}", forged.to_line()).as_bytes()).unwrap();
            assert!(matches!(
                verify_cosignature(&n, wname, &wpk),
                Err(NoteError::BadSignature { .. })
            ));
        }
        // A changed time breaks it.
        let mut n = note.clone();
        let last = n.sigs.last_mut().unwrap();
        last.sig[7] ^= 1;
        assert!(verify_cosignature(&n, wname, &wpk).is_err());
        // A truncated blob is refused, not a panic.
        let mut n = note.clone();
        n.sigs.last_mut().unwrap().sig.truncate(3);
        assert!(verify_cosignature(&n, wname, &wpk).is_err());
    }

    /// Every truncation and every single-byte change of a cosigned checkpoint either fails
    /// to parse or fails to verify; none panics.
    #[test]
    fn mutations_never_verify_and_never_panic() {
        let (log_key, log_pk) = peter();
        let witness = SecretKey::from_seed(&[5; 32]);
        let wname = "w";
        let cp = checkpoint();
        let signed = sign_checkpoint(&log_key, "log", &cp).unwrap();
        let full = format!(
            "{signed}{}",
            cosign(&witness, wname, &cp.body(), 7).unwrap()
        );
        let b = full.as_bytes();
        let verifies = |bytes: &[u8]| {
            Note::parse(bytes).is_ok_and(|n| {
                verify_note(&n, "log", &log_pk).is_ok()
                    && verify_cosignature(&n, wname, &witness.public()).is_ok()
                    && Checkpoint::parse_body(&n.text).is_ok()
            })
        };
        assert!(verifies(b));
        for i in 0..b.len() {
            assert!(!verifies(&b[..i]), "truncated at {i}");
            for delta in [1u8, 0x80] {
                let mut m = b.to_vec();
                m[i] = m[i].wrapping_add(delta);
                assert!(!verifies(&m), "byte {i} + {delta}");
            }
        }
    }

    #[test]
    fn pae_matches_dsse_spec_example() {
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
    }
}
