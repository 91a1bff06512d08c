//! `liuyi export` and `liuyi verify`: the township's audit bundle (see `crate::bundle::export`
//! and `crate::bundle::verify`), and reading keys given on the command line.

use std::path::{Path, PathBuf};

use base64::Engine as _;

use crate::bundle::export::{Scope, export, valid_id};
use crate::bundle::verify::{Options, Report, verify};
use crate::cli::{ExportArgs, VerifyArgs};
use crate::cmd::Ctx;
use crate::error::{Error, Result, Usage};
use crate::i18n::bundle as msg;
use crate::record::keys::{PublicKey, parse_key_text};
use crate::record::note::parse_vkey;
use crate::store::Store;

pub fn export_cmd(ctx: &Ctx, a: &ExportArgs) -> Result<()> {
    crate::fsutil::check_output(&a.out)?;
    let scope = if let Some(y) = a.year {
        Scope::Year(y)
    } else if let Some(id) = &a.proposal {
        if !valid_id(id) {
            return Err(Usage::NothingToExport(Scope::Proposal(id.clone())).into());
        }
        Scope::Proposal(id.clone())
    } else {
        Scope::All
    };
    let store = Store::open(&ctx.db)?;
    // Export only what verifies locally (`export` replays the log through the rules
    // first): a bundle is evidence, not a copy of a broken file.
    let e = export(&store, &scope, &a.out, ctx.lang)?;
    ctx.say(&msg::exported(
        ctx.lang,
        &e.path,
        e.entries,
        e.attachments,
        e.notices,
        e.bytes,
    ));
    Ok(())
}

/// A public key given as a verifier key (`name+id+base64`), 64 hex digits, or a file
/// holding either or a liuyi/C2SP secret key file (its public half is used).
/// The township's public key, as a village gives it (`checkpoint import`, `key rotate
/// --lost`): as [`parse_key_arg`], but the township's signing key file itself is refused. A
/// village holding it could forge the township's cosignatures, which are what rules a
/// rollback or a fork out.
pub fn parse_township_key_arg(arg: &str) -> Result<PublicKey> {
    refuse_village_key_as_townships(arg)?;
    let path = Path::new(arg);
    let private = match path.is_file() {
        true => {
            crate::cmd::read_capped(path, 64 * 1024).is_ok_and(|d| crate::record::holds_key(&d))
        }
        false => crate::record::holds_key(arg.as_bytes()),
    };
    if private {
        let k = parse_key_arg(arg)?;
        return Err(Usage::TownshipPrivateKey {
            fingerprint: k.fingerprint(),
            vkey_hex: k.to_hex(),
        }
        .into());
    }
    parse_key_arg(arg)
}

/// A `--township-key` that is a village's key file (private or public), as its name says
/// (a village key is named for its log's origin, `liuyi/...`): the secretary's one key
/// file given to the flag that asks for "a key". Said as that mix-up (exit 2), not as the
/// township's key in a village's hands, nor as a village signing with the township's key.
pub fn refuse_village_key_as_townships(arg: &str) -> Result<()> {
    let path = Path::new(arg);
    let text = match path.is_file() {
        true => match crate::cmd::read_capped(path, 64 * 1024)
            .ok()
            .and_then(|d| String::from_utf8(d).ok())
        {
            Some(t) => t,
            None => return Ok(()),
        },
        false => arg.to_string(),
    };
    let t = text.trim();
    let named = parse_key_text(&format!("{t}\n"))
        .map(|(k, name)| (k.public(), name))
        .or_else(|_| parse_vkey(t).map(|(name, pk)| (pk, name)));
    match named {
        Ok((pk, name)) if name.starts_with("liuyi/") => Err(Usage::VillageKeyAsTownships {
            origin: name,
            fingerprint: pk.fingerprint(),
        }
        .into()),
        _ => Ok(()),
    }
}

pub fn parse_key_arg(arg: &str) -> Result<PublicKey> {
    let bad = || Error::from(Usage::BadKeyArg(arg.to_string()));
    let path = Path::new(arg);
    let text = if path.is_file() {
        // A key file is a line: anything larger (a bundle, a scan) is no key, said as such
        // (not with the size limit of a roster file).
        let data = crate::cmd::read_capped(path, 64 * 1024).map_err(|_| bad())?;
        String::from_utf8(data).map_err(|_| bad())?
    } else {
        arg.to_string()
    };
    let t = text.trim();
    if let Ok((k, _)) = parse_key_text(&format!("{t}\n")) {
        return Ok(k.public());
    }
    if let Ok((_, pk)) = parse_vkey(t) {
        return Ok(pk);
    }
    if t.len() == 64 {
        match PublicKey::from_hex(&t.to_ascii_lowercase()) {
            Ok(pk) => return Ok(pk),
            // A key is given, but one no honest key generation makes: said as such (it
            // was "not a key", with the advice to give the 64 hex digits it was).
            Err(crate::record::keys::KeyError::Weak) => {
                return Err(Usage::WeakKeyArg(t.to_string()).into());
            }
            // 64 hex digits, as asked, that are no usable key (not on the curve, or a
            // point written in a non-canonical way): not "give 64 hex digits".
            Err(_) if t.bytes().all(|b| b.is_ascii_hexdigit()) => {
                return Err(Usage::UnusableKeyArg(t.to_string()).into());
            }
            Err(_) => {}
        }
    }
    // A bare base64 key (0x01 || 32 bytes) as the last resort.
    if let Ok(b) = base64::engine::general_purpose::STANDARD.decode(t)
        && b.len() == 33
        && b[0] == crate::record::keys::ALG_ED25519
        && let Ok(pk) = PublicKey::from_slice(&b[1..])
    {
        return Ok(pk);
    }
    Err(bad())
}

pub fn short_root(root: &[u8; 32]) -> String {
    base64::engine::general_purpose::STANDARD.encode(root)
}

/// Prints the report (text or JSON) and turns it into the exit status.
pub fn print_report(ctx: &Ctx, rep: &Report, json: bool) -> Result<()> {
    if json {
        let problems: Vec<serde_json::Value> = rep
            .problems
            .iter()
            .map(|p| {
                let full = msg::verify_problem(ctx.lang, p);
                let prefix = crate::i18n::placed(ctx.lang, &p.location, p.code);
                let message = full.strip_prefix(&prefix).unwrap_or(&full);
                let mut v =
                    serde_json::json!({"code": p.code, "location": p.location.to_string(), "message": message});
                if let crate::bundle::verify::Kind::Container(c) = &p.kind
                    && let (Some(e), Some(f)) = (&c.expected, &c.found)
                {
                    v["expected"] = e.clone().into();
                    v["found"] = f.clone().into();
                }
                v
            })
            .collect();
        let warnings: Vec<String> = rep
            .warnings
            .iter()
            .map(|w| msg::verify_warning(ctx.lang, w))
            .collect();
        ctx.print_json(&serde_json::json!({
            "ok": rep.ok(),
            "entries": rep.entries,
            "problems": problems,
            "warnings": warnings,
            "origin": rep.origin,
            "root": rep.root.map(|r| short_root(&r)),
            "scope": rep.scope.as_ref().map(|s| s.line()),
        }));
    } else {
        // A checkpoint failing with the one before it is counted in that one's line.
        let folded = |p: &&crate::bundle::verify::Problem| {
            matches!(
                p.kind,
                crate::bundle::verify::Kind::Log(
                    crate::check::ProblemKind::RootMismatchAlso { .. }
                )
            )
        };
        for p in rep.problems.iter().filter(|p| !folded(p)) {
            ctx.say(&msg::verify_problem(ctx.lang, p));
        }
        for w in &rep.warnings {
            ctx.say(&msg::verify_warning(ctx.lang, w));
        }
        if rep.ok() {
            ctx.say(&msg::verified(
                ctx.lang,
                rep.origin.as_deref().unwrap_or_default(),
                rep.entries,
                &rep.root.map(|r| short_root(&r)).unwrap_or_default(),
                rep.cosigned.last().copied(),
                rep.scope.as_ref(),
            ));
        }
    }
    if rep.ok() {
        Ok(())
    } else {
        if !json {
            ctx.tell(&msg::not_verified(ctx.lang, rep.problems.len()));
        }
        Err(Error::Integrity(Vec::new()))
    }
}

/// A bundle the user names must be a file that is there: a mistyped name or a folder is
/// bad input (exit 2, worded like any missing file), not a damaged bundle (exit 4).
pub fn bundle_file(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Err(err) => Err(Error::Io {
            path: path.to_path_buf(),
            err,
        }),
        Ok(m) if m.is_dir() => Err(Error::Io {
            path: path.to_path_buf(),
            err: std::io::ErrorKind::IsADirectory.into(),
        }),
        Ok(m) if !m.is_file() => Err(crate::error::Usage::NotAFile {
            path: path.to_path_buf(),
        }
        .into()),
        Ok(_) => {
            // Plainly another kind of file (a notice, the village's database): the wrong
            // file given. Anything else, however damaged, is judged as a bundle.
            let mut head = [0u8; 16];
            let n = std::fs::File::open(path)
                .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
                .map_err(|e| Error::io(path, e))?;
            let kind = if head[..n].starts_with(b"%PDF-") {
                Some("pdf")
            } else if head[..n].starts_with(b"SQLite format 3\0") {
                Some("sqlite")
            } else if head[..n].starts_with(b"PK\x03\x04") && is_office_not_bundle(path)? {
                // A workbook or a document (a ZIP of its own kind): the roster, say.
                Some("office")
            } else if !head[..n].starts_with(b"PK") && is_text_not_zip(path)? {
                // A signed checkpoint, a roster or a request given for the bundle: text
                // from its first byte, and no ZIP directory at its end (a bundle with bytes
                // put before it still has one, and is judged as a bundle).
                Some("text")
            } else {
                None
            };
            match kind {
                Some(kind) => Err(crate::error::Usage::NotABundle {
                    path: path.to_path_buf(),
                    kind,
                }
                .into()),
                None => Ok(()),
            }
        }
    }
}

/// Whether the ZIP at `path` is an Office file (XLSX, DOCX: its directory, in the last
/// 64 KB, names `[Content_Types].xml`) and no bundle (it names no `FORMAT`).
fn is_office_not_bundle(path: &Path) -> Result<bool> {
    let tail = tail_of(path)?;
    let names = |n: &[u8]| tail.windows(n.len()).any(|w| w == n);
    Ok(names(b"[Content_Types].xml") && !names(b"FORMAT"))
}

/// The last 64 KB of the file at `path`: where a ZIP's directory ends.
fn tail_of(path: &Path) -> Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let len = f.metadata().map_err(|e| Error::io(path, e))?.len();
    f.seek(SeekFrom::Start(len.saturating_sub(64 * 1024)))
        .map_err(|e| Error::io(path, e))?;
    let mut tail = Vec::new();
    f.read_to_end(&mut tail).map_err(|e| Error::io(path, e))?;
    Ok(tail)
}

/// Whether the file at `path` is text (its first 4 KB read as UTF-8, GBK or UTF-16, cut
/// anywhere in a character at the end) with no ZIP end-of-directory record in its last
/// 64 KB.
fn is_text_not_zip(path: &Path) -> Result<bool> {
    use std::io::Read;
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = Vec::new();
    f.take(4096)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    // UTF-8, GBK (the CSV Chinese Excel writes) or UTF-16 with its BOM.
    if !crate::input::looks_like_text(&head) {
        return Ok(false);
    }
    Ok(!tail_of(path)?.windows(4).any(|w| w == b"PK\x05\x06"))
}

pub fn verify_cmd(ctx: &Ctx, a: &VerifyArgs) -> Result<()> {
    let opts = (|| {
        bundle_file(&a.file)?;
        Ok(Options {
            trust: a.trust.as_deref().map(parse_key_arg).transpose()?,
            township: a
                .township_key
                .as_deref()
                .map(|t| refuse_village_key_as_townships(t).and_then(|()| parse_key_arg(t)))
                .transpose()?,
            roots_at: vec![],
            progress: !a.json,
            require_cosignature: a.township_key.is_some(),
            now: Some(ctx.now),
        })
    })();
    let opts = match opts {
        Ok(o) => o,
        Err(e) if a.json => return Err(crate::cmd::json_failure(ctx, "E-INPUT", &a.file, e)),
        Err(e) => return Err(e),
    };
    let rep = verify(&a.file, &opts);
    // The key the village changed to, given as --trust, and nothing else wrong: the wrong
    // key given (exit 2), told with the key to give, not a bundle "that may have been
    // altered" (exit 4).
    if let [
        crate::bundle::verify::Problem {
            kind:
                crate::bundle::verify::Kind::Trust {
                    expected,
                    found,
                    later: Some(from),
                },
            ..
        },
    ] = rep.problems.as_slice()
    {
        let wrong = Error::from(Usage::TrustLaterKey {
            bundle: a.file.clone(),
            given: expected.clone(),
            from: *from,
            first: found.clone(),
        });
        if a.json {
            let _ = print_report(ctx, &rep, true);
        } else {
            for w in &rep.warnings {
                ctx.say(&msg::verify_warning(ctx.lang, w));
            }
        }
        return Err(wrong);
    }
    print_report(ctx, &rep, a.json)
}

pub fn bundle_path(p: &Path) -> PathBuf {
    p.to_path_buf()
}
