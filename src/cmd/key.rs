//! `liuyi key show | key rotate`: the village key and its rotation (SPEC §6).
//!
//! A change of secretary: `key rotate --new-key PATH` appends a `key.rotate` entry signed by
//! the old and the new key (`crate::keychange`), and the checkpoint of that command is signed
//! with the NEW key. A lost key, offline with files:
//! 1. village: `key rotate --lost --new-key NEW --township-key TKEY -o request.json`
//!    (records nothing; the request carries the rotation signed by the new key);
//! 2. township: `township countersign request.json -o signed.json`;
//! 3. village: `key rotate --lost --new-key NEW --countersigned signed.json` (recorded and
//!    signed with the new key; the rules check both signatures, the verifier checks the
//!    countersigning key against the pinned township key).

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use crate::check::{TownshipOfRecord, fingerprint_of};
use crate::cli::{KeyCmd, RotateArgs};
use crate::cmd::bundle::parse_township_key_arg;
use crate::cmd::{Ctx, Writer, load_key, read_state, text};
use crate::error::{Error, Result, Usage};
use crate::i18n::township as msg;
use crate::keychange::{BY_OLD_KEY, BY_TOWNSHIP, message};
use crate::record::keys::{PublicKey, SecretKey, read_key_file, write_new_key_file};
use crate::rules::Event;
use crate::rules::event::KeyRotateEvent;
use crate::township::TownshipUsage;
use crate::township::register::Register;

pub fn run(ctx: &Ctx, c: &KeyCmd) -> Result<()> {
    match c {
        KeyCmd::Show(a) => {
            let (_, replay) = read_state(ctx, &[])?;
            let origin = replay.state.origin().unwrap_or_default().to_string();
            let hex = replay.state.key.clone().unwrap_or_default();
            let pk = PublicKey::from_hex(&hex).map_err(|e| Error::Internal(format!("{e:?}")))?;
            let file = key_file_state(&ctx.key, &pk, &origin, &replay.state.past_keys);
            if a.json {
                ctx.print_json(&serde_json::json!({
                    "origin": origin,
                    "public_key": pk.to_hex(),
                    "fingerprint": pk.fingerprint(),
                    "verifier_key": crate::record::note::vkey(&origin, &pk),
                    "key_file": {
                        "path": ctx.key.display().to_string(),
                        "status": file.word(),
                        "fingerprint": match &file {
                            KeyFileState::Other(fp) | KeyFileState::Later(fp) => Some(fp.clone()),
                            KeyFileState::Current => Some(pk.fingerprint()),
                            _ => None,
                        },
                        "matches": matches!(file, KeyFileState::Current),
                    },
                }));
            } else {
                ctx.say(&msg::key_show(ctx.lang, &origin, &pk));
                ctx.say(&msg::key_file_state(ctx.lang, &ctx.key, &file));
            }
            Ok(())
        }
        KeyCmd::Rotate(a) => rotate(ctx, a),
    }
}

/// What the key file given by `--key` is, against the record's current key.
pub enum KeyFileState {
    /// The record's current key: new entries can be signed.
    Current,
    /// Another key, with its fingerprint (a retired key, another village's).
    Other(String),
    /// A key of this village (the file names the record's origin) the record never used:
    /// made by a change of key this copy of the record does not hold (an older copy).
    Later(String),
    Missing,
    /// Present but unusable (malformed, unreadable), worded.
    Unusable(crate::record::keys::KeyError),
}

impl KeyFileState {
    /// The stable spelling in `key show --json`.
    pub fn word(&self) -> &'static str {
        match self {
            KeyFileState::Current => "current",
            KeyFileState::Other(_) => "other_key",
            KeyFileState::Later(_) => "later_key",
            KeyFileState::Missing => "missing",
            KeyFileState::Unusable(_) => "unusable",
        }
    }
}

fn key_file_state(
    path: &Path,
    current: &PublicKey,
    origin: &str,
    past: &std::collections::BTreeSet<String>,
) -> KeyFileState {
    match read_key_file(path) {
        Ok((k, _)) if k.public().to_hex() == current.to_hex() => KeyFileState::Current,
        Ok((k, named)) if named == origin && !past.contains(&k.public().to_hex()) => {
            KeyFileState::Later(k.public().fingerprint())
        }
        Ok((k, _)) => KeyFileState::Other(k.public().fingerprint()),
        Err(crate::record::keys::KeyError::Missing { .. }) => KeyFileState::Missing,
        Err(e) => KeyFileState::Unusable(e),
    }
}

fn key_err(path: &Path, e: crate::record::keys::KeyError) -> Error {
    Error::Key {
        path: path.to_path_buf(),
        err: e,
    }
}

/// Reads the new key file, or a fresh key if there is none (`true`: not yet saved; see
/// `save_key`).
fn new_key_unsaved(
    store: &crate::store::Store,
    path: &Path,
    origin: &str,
    township: &PublicKey,
) -> Result<(SecretKey, bool)> {
    if path.exists() {
        let (k, named) = read_key_file(path).map_err(|e| key_err(path, e))?;
        vet_new_key(
            store,
            path,
            &k.public(),
            &named,
            origin,
            Some(&township.to_hex()),
        )?;
        return Ok((k, false));
    }
    let k = SecretKey::generate().map_err(|e| Error::Internal(format!("{e:?}")))?;
    Ok((k, true))
}

/// Refuses a new key that is not the village's to take: a key file made for another
/// village or for the township (`named`: the name the file carries), or the township's
/// key as the record knows it (pinned, or the key of a cosignature it holds) or as the
/// command names it (`township`, hex: the key given or the countersigner).
fn vet_new_key(
    store: &crate::store::Store,
    path: &Path,
    k: &PublicKey,
    named: &str,
    origin: &str,
    township: Option<&str>,
) -> Result<()> {
    if township == Some(k.to_hex().as_str()) || TownshipOfRecord::read(store)?.is_township(k) {
        return Err(Usage::Township(TownshipUsage::NewKeyIsTheTownships {
            path: path.to_path_buf(),
            fingerprint: k.fingerprint(),
        })
        .into());
    }
    if named != origin {
        return Err(Usage::Township(TownshipUsage::NewKeyOfAnother {
            path: path.to_path_buf(),
            named: named.to_string(),
            origin: origin.to_string(),
        })
        .into());
    }
    Ok(())
}

/// Reads the new key file, or makes it (0600, never overwriting) if it does not exist. A
/// file there must be the village's to take ([`vet_new_key`]).
fn new_key(store: &crate::store::Store, path: &Path, name: &str) -> Result<SecretKey> {
    if path.exists() {
        let (k, named) = read_key_file(path).map_err(|e| key_err(path, e))?;
        vet_new_key(store, path, &k.public(), &named, name, None)?;
        return Ok(k);
    }
    let k = SecretKey::generate().map_err(|e| Error::Internal(format!("{e:?}")))?;
    write_new_key_file(path, &k, name).map_err(|e| key_err(path, e))?;
    Ok(k)
}

fn sig(k: &SecretKey, ev: &KeyRotateEvent) -> String {
    B64.encode(k.sign(&message(ev)))
}

fn bad(d: String) -> Error {
    Usage::Township(TownshipUsage::BadRequest(d)).into()
}

/// A lost-key request (or its countersigned answer) as `key rotate --lost` writes it: the
/// whole JSON and its event. Anything else is refused in the user's words (the JSON
/// reader's own are English and name Rust types).
fn read_request(ctx: &Ctx, data: &[u8]) -> Result<(serde_json::Value, KeyRotateEvent)> {
    let req: serde_json::Value = serde_json::from_slice(data).map_err(|e| {
        bad(msg::request_unreadable(
            ctx.lang,
            Some((e.line(), e.column())),
        ))
    })?;
    let ev: KeyRotateEvent = serde_json::from_value(req["event"].clone())
        .map_err(|_| bad(msg::request_unreadable(ctx.lang, None)))?;
    Ok((req, ev))
}

fn rotate(ctx: &Ctx, a: &RotateArgs) -> Result<()> {
    let reason = text(a.reason.as_deref().unwrap_or_default());
    if let Some(file) = &a.countersigned {
        // Lost key, step 3: record the countersigned rotation.
        let data = crate::cmd::read_capped(file, 64 * 1024)?;
        let (req, ev) = read_request(ctx, &data)?;
        let (store, replay) = read_state(ctx, &[])?;
        let origin = replay.state.origin().unwrap_or_default().to_string();
        let (newk, named) = read_key_file(&a.new_key).map_err(|e| key_err(&a.new_key, e))?;
        if newk.public().to_hex() != ev.new || req["origin"] != origin.as_str() {
            return Err(bad(msg::request_mismatch(ctx.lang)));
        }
        let countersigner = ev.authority.strip_prefix(BY_TOWNSHIP);
        vet_new_key(
            &store,
            &a.new_key,
            &newk.public(),
            &named,
            &origin,
            countersigner,
        )?;
        // The request was made at this record's end (its last checkpoint): one made from
        // another copy (an older backup, a fork) is not this record's to take. A request
        // of the earlier format names none; the township judged it.
        if let Some(made_at) = req.get("checkpoint").and_then(|c| c.as_str()) {
            let ours = store.last_checkpoint()?.map(|(size, note, _)| (size, note));
            if ours.as_ref().map(|(_, note)| note.as_str()) != Some(made_at) {
                let made_size = req.get("size").and_then(|s| s.as_u64()).unwrap_or(0);
                return Err(bad(msg::request_from_another_copy(
                    ctx.lang,
                    made_size,
                    ours.map(|(size, _)| size).unwrap_or(0),
                )));
            }
        }
        drop((store, replay));
        let mut w = Writer::open_recovery(ctx, newk)?;
        // Only the village's own township may countersign: when the record knows it (it
        // cosigned the checkpoints imported here, or countersigned an earlier rotation),
        // a countersignature by any other key is a takeover with a township of one's own.
        let mut township = TownshipOfRecord::read(&w.store)?;
        township.judge_log(&w.replay);
        if let Some(t) = ev.authority.strip_prefix(BY_TOWNSHIP)
            && let Some(expected) = township.judge(t)
        {
            ctx.tell(&msg::countersigned_by_another(
                ctx.lang,
                &fingerprint_of(t),
                &expected,
            ));
            return Err(Error::Integrity(Vec::new()));
        }
        w.append(Event::KeyRotate(ev.clone()))?;
        let c = w.commit()?;
        let pk = PublicKey::from_hex(&ev.new).map_err(|e| Error::Internal(format!("{e:?}")))?;
        ctx.say(&msg::rotated(ctx.lang, &pk, &a.new_key, c.size));
        return Ok(());
    }
    if reason.is_empty() {
        return Err(Usage::EmptyText { what: "--reason" }.into());
    }
    if a.lost {
        // Lost key, step 1: a request for the township.
        let Some(t) = &a.township_key else {
            return Err(bad(msg::lost_needs(ctx.lang)));
        };
        let Some(out) = &a.out else {
            return Err(bad(msg::lost_needs(ctx.lang)));
        };
        crate::fsutil::check_output(out)?;
        let tk = parse_township_key_arg(t)?;
        // The request names this record's size and last checkpoint: the record must hold
        // together to that checkpoint (replayed whole, not read from its snapshot), and not
        // be shorter than it was (a copy cut back, its checkpoints with it), as a writing
        // command is held before it signs.
        let store = crate::store::Store::open(&ctx.db)?;
        let replay = crate::check::load(&store)?;
        crate::check::signed_head(&store, &replay)?;
        if let Some(expected) = TownshipOfRecord::read(&store)?.judge(&tk.to_hex()) {
            return Err(Usage::Township(TownshipUsage::NotTheTownship {
                given: tk.fingerprint(),
                expected,
            })
            .into());
        }
        let origin = replay.state.origin().unwrap_or_default().to_string();
        let old = replay.state.key.clone().unwrap_or_default();
        // A fresh key is saved only once the request is ready to take its name: a request
        // that cannot be written (no such folder, a file already there) leaves no key.
        let (newk, fresh) = new_key_unsaved(&store, &a.new_key, &origin, &tk)?;
        let mut ev = KeyRotateEvent {
            date: ctx.today(),
            old,
            new: newk.public().to_hex(),
            reason,
            authority: format!("{BY_TOWNSHIP}{}", tk.to_hex()),
            signatures: vec![],
        };
        ev.signatures = vec![String::new(), sig(&newk, &ev)];
        // The record's size and root the request is made at, as the record's last
        // checkpoint, signed by the key declared lost (the file holds it; the key is not
        // needed): the township refuses a request made from a copy older than what it
        // last verified or cosigned (a backup, a stolen copy). `size` is for a person to
        // read; the township judges the signed checkpoint.
        let Some((size, checkpoint, _)) = store.last_checkpoint()? else {
            return Err(Error::Internal("no checkpoint covers the log".into()));
        };
        let req = serde_json::json!({
            "origin": origin,
            "event": ev,
            "size": size,
            "checkpoint": checkpoint,
        });
        let text = serde_json::to_string_pretty(&req).unwrap_or_default() + "\n";
        let pending = crate::fsutil::prepare_new(out, text.as_bytes())?;
        if fresh {
            write_new_key_file(&a.new_key, &newk, &origin).map_err(|e| key_err(&a.new_key, e))?;
        }
        if let Err(e) = pending.finish() {
            if fresh {
                let _ = std::fs::remove_file(&a.new_key);
            }
            return Err(e);
        }
        ctx.say(&msg::request_written(ctx.lang, out, &newk.public()));
        return Ok(());
    }
    // Change of secretary: old and new key sign; the checkpoint is signed with the new one.
    let mut w = Writer::open(ctx)?;
    let old = load_key(&ctx.key)?;
    let origin = w.state().origin().unwrap_or_default().to_string();
    let newk = new_key(&w.store, &a.new_key, &origin)?;
    let mut ev = KeyRotateEvent {
        date: ctx.today(),
        old: old.public().to_hex(),
        new: newk.public().to_hex(),
        reason,
        authority: BY_OLD_KEY.into(),
        signatures: vec![],
    };
    ev.signatures = vec![sig(&old, &ev), sig(&newk, &ev)];
    w.append(Event::KeyRotate(ev))?;
    let pk = newk.public();
    w.sign_with(newk);
    let c = w.commit()?;
    ctx.say(&msg::rotated(ctx.lang, &pk, &a.new_key, c.size));
    Ok(())
}

/// The record a lost-key request was made from is not older than what the township last
/// verified or cosigned for the village: its checkpoint (signed by the key declared lost,
/// which the database holds) is at that size or beyond, and at that size the same root.
/// A copy from before (a backup, a stolen copy) would otherwise be handed the village's
/// record: the rotation it carries is recorded on the copy, and a later bundle from it is
/// refused as a rollback only after the new key is out. A request made by an earlier liuyi
/// names no size: it is read and refused (exit 2), to be made again with this version;
/// taking it would let anyone pass the check by deleting the field.
fn request_is_current(
    ctx: &Ctx,
    reg: &Register,
    origin: &str,
    req: &serde_json::Value,
    old: &str,
) -> Result<()> {
    use crate::record::note::{Checkpoint, Note, verify_note};
    let Some(text) = req.get("checkpoint").and_then(|c| c.as_str()) else {
        return Err(bad(msg::request_without_size(ctx.lang)));
    };
    let note = Note::parse(text.as_bytes()).map_err(|_| bad(msg::request_mismatch(ctx.lang)))?;
    let cp =
        Checkpoint::parse_body(&note.text).map_err(|_| bad(msg::request_mismatch(ctx.lang)))?;
    let key = PublicKey::from_hex(old).map_err(|_| bad(msg::request_mismatch(ctx.lang)))?;
    if cp.origin != origin
        || verify_note(&note, origin, &key).is_err()
        || req.get("size").and_then(|s| s.as_u64()) != Some(cp.size)
    {
        return Err(bad(msg::request_mismatch(ctx.lang)));
    }
    let baseline = [reg.last_cosigned(origin)?, reg.last_verified(origin)?]
        .into_iter()
        .flatten()
        .max_by_key(|c| c.size);
    let Some(base) = baseline else {
        return Ok(());
    };
    let root = hex::encode(cp.root);
    if cp.size < base.size || (cp.size == base.size && root != base.root) {
        ctx.tell(&msg::request_not_current(
            ctx.lang,
            origin,
            (cp.size, text),
            (base.size, &base.note),
        ));
        return Err(Error::Integrity(Vec::new()));
    }
    Ok(())
}

/// `township countersign REQUEST -o FILE`: the township signs a lost-key rotation for a
/// registered village, naming itself as the authority.
pub fn countersign(
    ctx: &Ctx,
    reg: &Register,
    tk: &SecretKey,
    request: &Path,
    out: &Path,
) -> Result<()> {
    crate::fsutil::check_output(out)?;
    let data = crate::cmd::read_capped(request, 64 * 1024)?;
    let (mut req, mut ev) = read_request(ctx, &data)?;
    let origin = req["origin"].as_str().unwrap_or_default().to_string();
    let Some(village) = reg.village(&origin)? else {
        return Err(Usage::Township(TownshipUsage::NotRegistered(origin)).into());
    };
    if ev.authority != format!("{BY_TOWNSHIP}{}", tk.public().to_hex()) || ev.signatures.len() != 2
    {
        return Err(bad(msg::request_mismatch(ctx.lang)));
    }
    let newk = PublicKey::from_hex(&ev.new).map_err(|_| bad(msg::request_mismatch(ctx.lang)))?;
    let m = message(&ev);
    let s = B64.decode(&ev.signatures[1]).unwrap_or_default();
    newk.verify_strict(&m, &s)
        .map_err(|_| bad(msg::request_mismatch(ctx.lang)))?;
    // Only the key in force may be declared lost: a stale copy of the database from before
    // a change of secretary names a retired key, whose holder handed it over.
    let in_force = reg.key_in_force(&origin)?.unwrap_or(village.key);
    if ev.old != in_force {
        ctx.tell(&msg::not_the_key_in_force(
            ctx.lang,
            &origin,
            &fingerprint_of(&in_force),
            &fingerprint_of(&ev.old),
        ));
        return Err(Error::Integrity(Vec::new()));
    }
    request_is_current(ctx, reg, &origin, &req, &ev.old)?;
    ev.signatures[0] = B64.encode(tk.sign(&m));
    req["event"] = serde_json::to_value(&ev).unwrap_or_default();
    let text = serde_json::to_string_pretty(&req).unwrap_or_default() + "\n";
    crate::fsutil::write_new(out, text.as_bytes())?;
    let old = PublicKey::from_hex(&ev.old)
        .map(|k| k.fingerprint())
        .unwrap_or_default();
    ctx.say(&msg::countersigned(ctx.lang, &origin, &old, &newk, out));
    Ok(())
}
