//! `liuyi township ...` (the township's register and witness) and `liuyi checkpoint import`
//! (the village storing a township-cosigned checkpoint). See `crate::township`.

use std::path::{Path, PathBuf};

use crate::bundle::export::Scope;
use crate::bundle::verify::{Options, origin_of, verify};
use crate::cli::{TownshipArgs, TownshipCmd};
use crate::cmd::Ctx;
use crate::cmd::bundle::print_report;
use crate::error::{Error, Result, Usage};
use crate::i18n::township as msg;
use crate::record::keys::{PublicKey, SecretKey, write_new_key_file};
use crate::record::note::{Checkpoint, Note, cosign};
use crate::township::register::{Cosigned, Register, Village};
use crate::township::{Asked, Baseline, Freshness, TownshipUsage};

fn paths(a: &TownshipArgs) -> (PathBuf, PathBuf) {
    let db = a
        .township_db
        .clone()
        .unwrap_or_else(|| crate::app::default_db().with_file_name("township.db"));
    let key = db.with_file_name("township.key");
    (db, key)
}

fn open(db: &Path) -> Result<Register> {
    if !db.is_file() {
        return Err(Usage::Township(TownshipUsage::NotInitialised(db.to_path_buf())).into());
    }
    Ok(Register::open(db)?)
}

/// The township's key, checked against the one its register was made with.
fn township_key(db: &Register, key: &Path) -> Result<(String, SecretKey)> {
    let (name, hex) = db.township()?;
    let (k, kname) = crate::record::keys::read_key_file(key).map_err(|e| Error::TownshipKey {
        path: key.to_path_buf(),
        err: e,
    })?;
    if k.public().to_hex() != hex {
        return Err(Usage::WrongKey {
            fingerprint: k.public().fingerprint(),
            expected: hex,
        }
        .into());
    }
    let _ = name;
    Ok((kname, k))
}

fn hexs(h: &[u8; 32]) -> String {
    hex::encode(h)
}

pub fn run(ctx: &Ctx, a: &TownshipArgs) -> Result<()> {
    let (db, key) = paths(a);
    match &a.cmd {
        TownshipCmd::Init { name } => {
            // The name signs every cosignature: one the note syntax cannot carry was
            // silently replaced by "township" (and an empty one accepted).
            if !crate::record::keys::is_valid_key_name(name) {
                return Err(Usage::Township(TownshipUsage::BadName(name.clone())).into());
            }
            if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            if db.exists() {
                return Err(Usage::OutputExists(db).into());
            }
            let k = SecretKey::generate().map_err(|e| Error::Internal(format!("{e:?}")))?;
            let key_name = name.clone();
            write_new_key_file(&key, &k, &key_name).map_err(|e| Error::TownshipKey {
                path: key.clone(),
                err: e,
            })?;
            let now = crate::log::time_string(ctx.now);
            Register::create(&db, name, &k.public().to_hex(), &now)?;
            ctx.say(&msg::initialised(ctx.lang, name, &db, &key, &k.public()));
            Ok(())
        }
        TownshipCmd::Register { bundle } => {
            crate::cmd::bundle::bundle_file(bundle)?;
            let reg = open(&db)?;
            let (_, tkey) = reg.township()?;
            let township = PublicKey::from_hex(&tkey).ok();
            // A village registered before: its bundle is checked as `cosign` checks it, with
            // the key pinned then and against the checkpoint last cosigned (an older or
            // rewritten copy is not "already registered").
            let known = match origin_of(bundle) {
                Some(origin) => reg.village(&origin)?,
                None => None,
            };
            if let Some(v) = known {
                return register_again(ctx, &reg, &v, township, bundle);
            }
            let rep = verify(
                bundle,
                &Options {
                    township,
                    progress: true,
                    now: Some(ctx.now),
                    ..Options::default()
                },
            );
            if !rep.ok() || rep.genesis_leaf.is_none() {
                print_report(ctx, &rep, false)?;
                return Err(Error::Integrity(Vec::new()));
            }
            for w in &rep.warnings {
                ctx.say(&crate::i18n::bundle::verify_warning(ctx.lang, w));
            }
            // The checkpoint verified now becomes the baseline every later bundle is held
            // to: only a bundle whose every file and notice was checked may set it.
            if let Some(scope) = rep.scope.clone().filter(|s| *s != Scope::All) {
                return Err(Usage::Township(TownshipUsage::PartialBundle(
                    scope,
                    Asked::RegisterNew,
                ))
                .into());
            }
            let origin = rep.origin.clone().unwrap_or_default();
            if let Some(v) = reg.village(&origin)? {
                // Its first line was not read as this village's genesis a moment ago.
                return register_again(ctx, &reg, &v, township, bundle);
            }
            let leaf = rep.genesis_leaf.map(|h| hexs(&h)).unwrap_or_default();
            let vkey = rep.genesis_key.clone().unwrap_or_default();
            // What the secretary's `liuyi key show` prints: after a rotation, not the
            // genesis key (which stays pinned: the record's rotations lead from it).
            let in_force = (rep.keys.last().map(|(_, k)| k.clone())).unwrap_or(vkey.clone());
            let pk =
                PublicKey::from_hex(&in_force).map_err(|e| Error::Internal(format!("{e:?}")))?;
            // The checkpoint verified now is the baseline a later bundle must extend.
            let Some((size, note)) = rep.latest.clone() else {
                print_report(ctx, &rep, false)?;
                return Err(Error::Integrity(Vec::new()));
            };
            let root = rep.roots.get(&size).map(hexs).unwrap_or_default();
            reg.atomically(|reg| -> Result<()> {
                reg.add_village(&Village {
                    origin: origin.clone(),
                    genesis_leaf: leaf,
                    key: vkey,
                    registered: crate::log::time_string(ctx.now),
                })?;
                reg.add_key(&origin, rep.entries, &in_force)?;
                if let Some(g) = &rep.genesis_entry {
                    reg.add_genesis(&origin, g)?;
                }
                reg.add_verified(
                    &origin,
                    &Cosigned {
                        size,
                        root,
                        note,
                        time: ctx.now.timestamp().max(0) as u64,
                    },
                )?;
                Ok(())
            })?;
            ctx.say(&msg::registered(
                ctx.lang,
                &origin,
                &pk,
                rep.entries,
                bundle,
            ));
            Ok(())
        }
        TownshipCmd::Cosign { bundle, out } => cosign_cmd(ctx, &db, &key, bundle, out),
        TownshipCmd::Status(j) => {
            let reg = open(&db)?;
            let (name, tkey) = reg.township()?;
            let mut rows = Vec::new();
            for v in reg.villages()? {
                let last = reg.last_cosigned(&v.origin)?;
                let verified = reg.last_verified(&v.origin)?;
                let (key, since) = match reg.key_in_force_since(&v.origin)? {
                    Some((key, size)) => (key, Some(size)),
                    None => (v.key.clone(), None),
                };
                let name = reg
                    .genesis(&v.origin)?
                    .and_then(|g| crate::township::VillageName::of(&g, &v.genesis_leaf));
                rows.push(crate::township::StatusRow {
                    village: v,
                    name,
                    key_in_force: key,
                    seen_since: since,
                    cosigned: last,
                    verified,
                });
            }
            let fingerprint = |hex: &str| {
                PublicKey::from_hex(hex)
                    .map(|k| k.fingerprint())
                    .unwrap_or_default()
            };
            if j.json {
                let list: Vec<serde_json::Value> = rows
                    .iter()
                    .map(|row| {
                        let (v, key, c) = (&row.village, &row.key_in_force, &row.cosigned);
                        serde_json::json!({
                            "origin": v.origin,
                            // Added: the village's name, township and county, from its
                            // genesis entry (null for a village registered before the
                            // register kept it, until its next register or cosign).
                            "village": row.name.as_ref().map(|n| serde_json::json!({
                                "name": n.village,
                                "township": n.township,
                                "county": n.county,
                            })),
                            // `key` stays the key pinned at registration, as before.
                            "key": v.key,
                            "key_in_force": key,
                            // Added: the two keys' fingerprints (what `liuyi key show`
                            // prints, to read over the phone), whether the village has
                            // changed its key since it was registered, and the size of the
                            // first verified bundle that ended with the key in force.
                            "key_fingerprint": fingerprint(&v.key),
                            "key_in_force_fingerprint": fingerprint(key),
                            "key_changed": *key != v.key,
                            "key_in_force_seen_size": row.seen_since,
                            "genesis": v.genesis_leaf,
                            "registered": v.registered,
                            "cosigned_size": c.as_ref().map(|c| c.size),
                            "cosigned_time": c.as_ref().map(|c| c.time),
                            // The same time as RFC 3339, as every other time liuyi prints
                            // (`cosigned_time` stays: scripts read its seconds).
                            "cosigned_at": c.as_ref().and_then(|c| {
                                chrono::DateTime::from_timestamp(c.time as i64, 0)
                                    .map(crate::log::time_string)
                            }),
                            // Added: the largest checkpoint `register` verified, which with
                            // the one cosigned sets what a later bundle must extend.
                            "verified_size": row.verified.as_ref().map(|c| c.size),
                            "verified_root": row.verified.as_ref().map(|c| c.root.clone()),
                            "verified_at": row.verified.as_ref().and_then(|c| {
                                chrono::DateTime::from_timestamp(c.time as i64, 0)
                                    .map(crate::log::time_string)
                            }),
                        })
                    })
                    .collect();
                ctx.print_json(
                    &serde_json::json!({"township": name, "key": tkey, "villages": list}),
                );
            } else {
                ctx.say(&msg::status(ctx.lang, &name, &tkey, &rows));
            }
            Ok(())
        }
        TownshipCmd::Countersign { request, out } => {
            let reg = open(&db)?;
            let (_, tk) = township_key(&reg, &key)?;
            crate::cmd::key::countersign(ctx, &reg, &tk, request, out)
        }
    }
}

/// `register` of a village registered before: verified and checked as for `cosign`; the
/// register keeps the key in force the bundle ends with (what `status` shows) and the
/// checkpoint it verified (the new baseline), and its pinned origin, genesis and key are
/// not changed.
fn register_again(
    ctx: &Ctx,
    reg: &Register,
    v: &Village,
    township: Option<PublicKey>,
    bundle: &Path,
) -> Result<()> {
    let fresh = verify_registered(ctx, reg, v, township, bundle, Asked::Register)?;
    let time = ctx.now.timestamp().max(0) as u64;
    reg.atomically(|reg| -> Result<()> {
        reg.add_key(&v.origin, fresh.latest.0, &fresh.key)?;
        if let Some(g) = &fresh.genesis {
            reg.add_genesis(&v.origin, g)?;
        }
        reg.add_verified(
            &v.origin,
            &Cosigned {
                size: fresh.latest.0,
                root: fresh.root.clone(),
                note: fresh.latest.1.clone(),
                time,
            },
        )?;
        Ok(())
    })?;
    let pk = PublicKey::from_hex(&fresh.key).map_err(|e| Error::Internal(format!("{e:?}")))?;
    ctx.say(&msg::already_registered(ctx.lang, &v.origin, &pk, bundle));
    Ok(())
}

/// A bundle of a registered village that the township may vouch for.
struct Fresh {
    /// The checkpoint last cosigned for the village (its log extends it).
    last: Option<Cosigned>,
    /// The bundle's latest checkpoint: (size, note text).
    latest: (u64, String),
    /// Its root (hex).
    root: String,
    /// The village key in force at its end (hex): the genesis key, or the last rotation's.
    key: String,
    /// The genesis entry's bytes (the one pinned: its leaf was checked).
    genesis: Option<Vec<u8>>,
}

/// Verifies `bundle` as a later bundle of the registered village `v`: with the village key
/// pinned at registration, the township's key and the root at the baseline's size; the
/// whole log (not one year's or one matter's); its genesis the one pinned; and its log an
/// extension of the baseline: the larger of the checkpoint last cosigned and the one
/// `register` last verified. A refusal is told here (exit 4: the report,
/// or E-ANCHOR / E-ROLLBACK / E-FORK with both checkpoints); nothing is written.
fn verify_registered(
    ctx: &Ctx,
    reg: &Register,
    v: &Village,
    township: Option<PublicKey>,
    bundle: &Path,
    asked: Asked,
) -> Result<Fresh> {
    let origin = v.origin.clone();
    let last = reg.last_cosigned(&origin)?;
    // The baseline: the larger of the checkpoint last cosigned and the one `register` last
    // verified (a registered village's fork or older copy is not cosigned first).
    let verified = reg.last_verified(&origin)?;
    let baseline = match (&last, verified) {
        (Some(c), Some(r)) if r.size > c.size => Some((Baseline::Registered, r)),
        (Some(c), _) => Some((
            Baseline::Cosigned,
            Cosigned {
                size: c.size,
                root: c.root.clone(),
                note: c.note.clone(),
                time: c.time,
            },
        )),
        (None, Some(r)) => Some((Baseline::Registered, r)),
        (None, None) => None,
    };
    let rep = verify(
        bundle,
        &Options {
            trust: PublicKey::from_hex(&v.key).ok(),
            township,
            roots_at: baseline.iter().map(|(_, c)| c.size).collect(),
            progress: true,
            require_cosignature: false,
            now: Some(ctx.now),
        },
    );
    // A bundle of one year or one matter (a genuine scoped export, or a full one whose
    // unsigned FORMAT line was edited to excuse missing files) is not the whole record the
    // cosignature vouches for; and its log ends where its scope does, which would read as
    // a rollback beside the last cosigned size.
    if let Some(scope) = rep.scope.clone().filter(|s| *s != Scope::All) {
        return Err(Usage::Township(TownshipUsage::PartialBundle(scope, asked)).into());
    }
    if !rep.ok() {
        print_report(ctx, &rep, false)?;
    }
    // What verified with a note (a notice this build cannot re-render, checked by its hash
    // only): the township sees it before it vouches for the record, as `verify` shows it.
    for w in &rep.warnings {
        ctx.say(&crate::i18n::bundle::verify_warning(ctx.lang, w));
    }
    let refuse = |f: Freshness| -> Result<Fresh> {
        ctx.tell(&msg::freshness(ctx.lang, &f, asked));
        Err(Error::Integrity(Vec::new()))
    };
    let leaf = rep.genesis_leaf.map(|h| hexs(&h)).unwrap_or_default();
    if leaf != v.genesis_leaf {
        return refuse(Freshness::Anchor {
            origin,
            pinned: v.genesis_leaf.clone(),
            found: leaf,
        });
    }
    let Some((size, note_text)) = rep.latest.clone() else {
        return Err(Error::Internal("no checkpoint".into()));
    };
    if let Some((baseline, c)) = &baseline {
        let baseline = *baseline;
        if size < c.size {
            return refuse(Freshness::Rollback {
                baseline,
                origin,
                old_size: c.size,
                new_size: size,
                old_note: c.note.clone(),
                new_note: note_text,
            });
        }
        let root = rep.roots.get(&c.size).map(hexs).unwrap_or_default();
        if root != c.root {
            // Shown as the checkpoints printed beside them spell a root (base64), so the
            // two can be matched by eye; the register keeps hex.
            let b64 = |h: &str| {
                hex::decode(h)
                    .map(|b| base64::Engine::encode(&base64::engine::general_purpose::STANDARD, b))
                    .unwrap_or_else(|_| h.to_string())
            };
            return refuse(Freshness::Fork {
                baseline,
                origin,
                size: c.size,
                old_root: b64(&c.root),
                new_root: b64(&root),
                old_note: c.note.clone(),
                new_note: note_text,
            });
        }
    }
    let key = (rep.keys.last().map(|(_, k)| k.clone())).unwrap_or_else(|| v.key.clone());
    // The village's key changed since the register last saw it (a change of secretary, a
    // lost key): verified, and said, so the township can ask the village about it.
    let known = reg
        .key_in_force(&v.origin)?
        .unwrap_or_else(|| v.key.clone());
    if known != key
        && let (Ok(old), Ok(new)) = (PublicKey::from_hex(&known), PublicKey::from_hex(&key))
    {
        let at = rep.keys.last().map(|(from, _)| *from).unwrap_or_default();
        ctx.say(&msg::key_changed(ctx.lang, &v.origin, &old, &new, at));
    }
    let root = rep.roots.get(&size).map(hexs).unwrap_or_default();
    Ok(Fresh {
        last,
        latest: (size, note_text),
        root,
        key,
        genesis: rep.genesis_entry,
    })
}

fn cosign_cmd(ctx: &Ctx, db: &Path, key: &Path, bundle: &Path, out: &Path) -> Result<()> {
    crate::fsutil::check_output(out)?;
    crate::cmd::bundle::bundle_file(bundle)?;
    let reg = open(db)?;
    let (kname, tk) = township_key(&reg, key)?;
    // Which village? Its genesis, the log's first line, says; the bundle is then verified
    // once, with that village's pins.
    let Some(origin) = origin_of(bundle) else {
        let rep = verify(
            bundle,
            &Options {
                township: Some(tk.public()),
                now: Some(ctx.now),
                ..Options::default()
            },
        );
        // A log without a genesis (empty, or a first line that is not one) never
        // verifies: the report says why (exit 4).
        print_report(ctx, &rep, false)?;
        return Err(Error::Integrity(Vec::new()));
    };
    let Some(v) = reg.village(&origin)? else {
        return Err(Usage::Township(TownshipUsage::NotRegistered(origin)).into());
    };
    let Fresh {
        last,
        latest: (size, note_text),
        key: in_force,
        genesis,
        ..
    } = verify_registered(ctx, &reg, &v, Some(tk.public()), bundle, Asked::Cosign)?;
    let note = Note::parse(note_text.as_bytes()).map_err(|e| Error::Internal(format!("{e:?}")))?;
    let cp = Checkpoint::parse_body(&note.text).map_err(|e| Error::Internal(format!("{e:?}")))?;
    let time = ctx.now.timestamp().max(0) as u64;
    let line =
        cosign(&tk, &kname, &note.text, time).map_err(|e| Error::Internal(format!("{e:?}")))?;
    // Keep the village's signature, drop any earlier cosignature by this township key.
    let mut cosigned = note.clone();
    cosigned.sigs.retain(|s| s.name != kname);
    let text = format!("{cosigned}{line}");
    crate::fsutil::write_new(out, text.as_bytes())?;
    reg.add_cosigned(
        &origin,
        &Cosigned {
            size,
            root: hexs(&cp.root),
            note: text.clone(),
            time,
        },
    )?;
    reg.add_key(&origin, size, &in_force)?;
    // A village registered before the register kept genesis entries gains its row here.
    if let Some(g) = &genesis {
        reg.add_genesis(&origin, g)?;
    }
    ctx.say(&msg::cosigned(
        ctx.lang,
        &origin,
        size,
        out,
        last.map(|c| c.size),
        &tk.public().to_hex(),
    ));
    Ok(())
}

/// `liuyi checkpoint import FILE`: stores a township-cosigned checkpoint in the village
/// record after checking the village's own signature, that it is one of our checkpoints,
/// and that the township's cosignature verifies by the township key: the one the record
/// pinned, or on the first import the one given with `--township-key`, which it then pins.
pub fn import_checkpoint(ctx: &Ctx, file: &Path, township_key: Option<&str>) -> Result<()> {
    let given = township_key
        .map(crate::cmd::bundle::parse_township_key_arg)
        .transpose()?;
    let data = crate::cmd::read_capped(file, crate::record::note::MAX_NOTE_BYTES as u64)?;
    let bad = |d: String| Error::from(Usage::Township(TownshipUsage::BadRequest(d)));
    let note =
        Note::parse(&data).map_err(|e| bad(crate::i18n::record::describe_note(&e, ctx.lang)))?;
    let cp = Checkpoint::parse_body(&note.text)
        .map_err(|e| bad(crate::i18n::record::describe_note(&e, ctx.lang)))?;
    let mut store = crate::store::Store::open(&ctx.db)?;
    let (replay, _) = crate::check::load_fast(&store, &[], None)?;
    let origin = replay.state.origin().unwrap_or_default().to_string();
    let stored = store
        .checkpoints()?
        .into_iter()
        .find(|(s, _, _)| *s == cp.size)
        .map(|(_, n, _)| n);
    // The record's own checkpoint at that size, read once: the same text is the same
    // checkpoint; with every signature of ours in the note too, it is ours.
    let stored_note = stored
        .as_deref()
        .and_then(|n| Note::parse(n.as_bytes()).ok());
    let same_text = stored_note.as_ref().is_some_and(|n| n.text == note.text);
    let ours = same_text
        && stored_note
            .as_ref()
            .is_some_and(|n| n.sigs.iter().all(|s| note.sigs.contains(s)));
    if cp.origin == origin && !ours {
        // Signed by a key this village has had, yet not this file's checkpoint at that
        // size: the file lost entries since (a rollback) or holds another history (a
        // fork). Evidence against the file, not a wrong file given.
        let by_village = (replay.state.past_keys.iter())
            .chain(replay.state.key.iter())
            .filter_map(|hex| PublicKey::from_hex(hex).ok())
            .any(|k| crate::record::note::verify_note(&note, &origin, &k).is_ok());
        // A copy from before a change of key does not know the key that signed the
        // checkpoint; the township's cosignature (by the key pinned, else the key given,
        // never the village's own) still says it is this village's record.
        let by_township = if by_village {
            None
        } else {
            let pinned = store
                .township_key()?
                .and_then(|(hex, _)| PublicKey::from_hex(&hex).ok());
            let own = |k: &PublicKey| {
                (replay.state.past_keys.iter())
                    .chain(replay.state.key.iter())
                    .any(|v| *v == k.to_hex())
            };
            pinned
                .or(given.filter(|k| !own(k)))
                .filter(|k| crate::bundle::verify::find_cosignature(&note, k).is_some())
                .map(|k| k.fingerprint())
        };
        // The same checkpoint with other signature lines is not another history.
        if (by_village || by_township.is_some()) && !same_text {
            ctx.tell(&msg::signed_checkpoint_not_here(
                ctx.lang,
                cp.size,
                replay.state.size,
                &String::from_utf8_lossy(&data),
                stored.as_deref(),
                by_township.as_deref(),
            ));
            return Err(Error::Integrity(Vec::new()));
        }
    }
    if cp.origin != origin || !ours {
        return Err(bad(msg::not_ours(ctx.lang, cp.size, &cp.origin, &origin)));
    }
    let cosigs = note
        .sigs
        .iter()
        .filter(|s| s.sig.len() == 72 && s.name != origin)
        .count();
    if cosigs == 0 {
        return Err(bad(msg::no_cosignature(ctx.lang)));
    }
    // The township's key: the one the record pinned (a key given must be it), else the one
    // given, which this import pins. Without either nothing tells the township's line from
    // one anyone could add.
    let pinned = store.township_key()?;
    let mut unchecked = false;
    let t = match (&given, &pinned) {
        // The village's own key given as the township's: the record would pin a key the
        // village holds, and its own "cosignatures" would be taken as the township's.
        (Some(t), _)
            if (replay.state.past_keys.iter())
                .chain(replay.state.key.iter())
                .any(|k| *k == t.to_hex()) =>
        {
            return Err(Usage::Township(TownshipUsage::TownshipKeyIsTheVillages {
                fingerprint: t.fingerprint(),
            })
            .into());
        }
        // The wrong key given (exit 2, as another village's checkpoint is the wrong
        // file): the record and the file may both be sound.
        (Some(t), Some((p, size))) if t.to_hex() != *p => {
            let expected = crate::check::TownshipExpected::Pinned {
                fingerprint: crate::check::fingerprint_of(p),
                size: *size,
            };
            return Err(Usage::Township(TownshipUsage::ImportNotTheTownship {
                given: t.fingerprint(),
                expected,
            })
            .into());
        }
        (Some(t), _) => Some(*t),
        (None, Some((p, _))) => match PublicKey::from_hex(p) {
            Ok(k) => Some(k),
            Err(_) => {
                ctx.tell(&msg::pinned_key_unreadable(ctx.lang));
                return Err(Error::Integrity(Vec::new()));
            }
        },
        // SPEC §4's `checkpoint import FILE`, with no key given or pinned: imported as
        // before, unchecked and said so; nothing pinned, so `check` cannot verify it
        // until an import with --township-key pins the key.
        (None, None) => {
            unchecked = true;
            None
        }
    };
    if let Some(t) = &t {
        // Its cosignature must verify: a line anyone could add is not kept as the
        // township's word. A line that names this key and does not verify was altered
        // or forged: a verification failure (exit 4). No line by this key at all is the
        // wrong file or the wrong key (exit 2).
        if crate::bundle::verify::find_cosignature(&note, t).is_none() {
            if !crate::bundle::verify::claims_cosignature(&note, t) {
                return Err(Usage::Township(TownshipUsage::ImportNoCosignatureBy {
                    fingerprint: t.fingerprint(),
                })
                .into());
            }
            ctx.tell(&msg::cosignature_not_by(ctx.lang, &t.fingerprint()));
            return Err(Error::Integrity(Vec::new()));
        }
        // A key pinned now must be the one whose cosignatures the record already holds
        // (from before the key was pinned).
        if pinned.is_none()
            && let Some(expected) = crate::check::TownshipOfRecord::read(&store)?.judge(&t.to_hex())
        {
            return Err(Usage::Township(TownshipUsage::ImportNotTheTownship {
                given: t.fingerprint(),
                expected,
            })
            .into());
        }
    }
    let township = t;
    // One line per cosigner: a note with two from the same key is refused by every
    // verifier (C2SP), so a second line is never merged in beside a first.
    let same = |a: &crate::record::note::NoteSig, b: &crate::record::note::NoteSig| {
        a.name == b.name && a.key_id == b.key_id
    };
    for (i, a) in note.sigs.iter().enumerate() {
        if note.sigs[..i].iter().any(|b| same(a, b)) {
            return Err(bad(msg::cosigner_twice(ctx.lang, &a.name)));
        }
    }
    // Keep every cosignature already imported for this size (township, county, …).
    // Another line from a cosigner already imported is taken only when it is the
    // township's and verifies by the key given (a re-cosigning, or the genuine line
    // after a bad one); without the key nothing tells which of the two is genuine.
    let township_line = |sig: &crate::record::note::NoteSig| {
        township.as_ref().is_some_and(|t| {
            sig.key_id
                == crate::record::note::key_id(
                    &sig.name,
                    crate::record::note::ALG_COSIGNATURE_V1,
                    &t.to_bytes(),
                )
        })
    };
    let mut merged = note.clone();
    if let Some((_, prev)) = store.cosigned()?.into_iter().rfind(|(s, _)| *s == cp.size)
        && let Ok(prev) = Note::parse(prev.as_bytes())
    {
        for sig in prev.sigs.into_iter().rev() {
            // A line under the township's name by another key (imported unchecked before
            // the key was pinned) is not the township's word: the verified line replaces it.
            let impostor = !township_line(&sig)
                && merged
                    .sigs
                    .iter()
                    .any(|s| s.name == sig.name && township_line(s));
            match merged.sigs.iter().find(|s| same(s, &sig)) {
                None if impostor => {}
                None => merged.sigs.insert(0, sig),
                Some(s) if *s == sig || township_line(s) => {}
                Some(_) => {
                    return Err(bad(msg::cosigner_conflict(ctx.lang, &sig.name)));
                }
            }
        }
        merged.sigs.sort_by_key(|s| s.name != origin);
    }
    // The same cosignatures already held (the same file imported twice) change nothing,
    // and are said to; pinning the township key now is a change.
    // (Pinning the key beside a checkpoint already held imports nothing: said as such.)
    let (added, pinned_now) = match (&pinned, &township) {
        (None, Some(t)) => (
            store.add_cosigned_pinning(cp.size, &merged.to_string(), &t.to_hex())?,
            Some(t.fingerprint()),
        ),
        _ => (store.add_cosigned(cp.size, &merged.to_string())?, None),
    };
    match (added, pinned_now) {
        (true, _) => ctx.say(&msg::imported(ctx.lang, cp.size)),
        (false, Some(fingerprint)) => {
            ctx.say(&msg::key_pinned_only(ctx.lang, cp.size, &fingerprint))
        }
        (false, None) => ctx.say(&msg::already_held(ctx.lang, cp.size)),
    }
    if unchecked {
        ctx.tell(&msg::cosignature_unchecked(ctx.lang));
    }
    Ok(())
}
