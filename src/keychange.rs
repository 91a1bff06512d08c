//! Village key rotation (SPEC §6): on a change of secretary a `key.rotate` entry is
//! signed by the old and the new key; when the old key is lost, by the township's key
//! and the new key. Signatures cover the DSSE PAE of the canonical body without its
//! `signatures` field, under a payload type of its own, so they cannot be replayed as
//! anything else.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::record::canonical::to_canonical;
use crate::record::keys::PublicKey;
use crate::record::note::pae;
use crate::rules::event::KeyRotateEvent;
use crate::rules::refusal::KeyRotationProblem;

pub const PAYLOAD_TYPE: &str = "application/vnd.liuyi.keyrotate.v1+json";
/// `authority` when the old key signs.
pub const BY_OLD_KEY: &str = "old";
/// `authority` prefix when the township countersigns: `township:<hex key>`.
pub const BY_TOWNSHIP: &str = "township:";

/// The exact bytes every rotation signature covers.
pub fn message(k: &KeyRotateEvent) -> Vec<u8> {
    let mut unsigned = k.clone();
    unsigned.signatures.clear();
    let v = serde_json::to_value(&unsigned).unwrap_or_default();
    let body = to_canonical(&v).unwrap_or_default();
    pae(PAYLOAD_TYPE, &body)
}

fn check_sig(key_hex: &str, msg: &[u8], sig_b64: &str) -> Result<(), KeyRotationProblem> {
    let key = PublicKey::from_hex(key_hex).map_err(|_| KeyRotationProblem::BadKey)?;
    let sig = STANDARD
        .decode(sig_b64)
        .map_err(|_| KeyRotationProblem::BadSignature)?;
    key.verify_strict(msg, &sig)
        .map_err(|_| KeyRotationProblem::BadSignature)
}

/// Checks both signatures of a rotation. The township key named in a `township:`
/// authority is checked here for the signature only (the rules see the log, not the
/// township); whether it IS the township's key is judged against what the local record
/// knows of its township (`check::TownshipOfRecord`: by `key rotate --countersigned`
/// before it records, and by `check`), and by the township register and
/// `verify --township-key`, which pin it.
pub fn verify_rotation(
    k: &KeyRotateEvent,
    _pinned_township: Option<&str>,
) -> Result<(), KeyRotationProblem> {
    PublicKey::from_hex(&k.new).map_err(|_| KeyRotationProblem::BadKey)?;
    if k.signatures.len() != 2 {
        return Err(KeyRotationProblem::BadSignature);
    }
    let msg = message(k);
    let first_key = if k.authority == BY_OLD_KEY {
        k.old.as_str()
    } else if let Some(t) = k.authority.strip_prefix(BY_TOWNSHIP) {
        t
    } else {
        return Err(KeyRotationProblem::UnknownAuthority);
    };
    check_sig(first_key, &msg, &k.signatures[0])?;
    check_sig(&k.new, &msg, &k.signatures[1])
}
