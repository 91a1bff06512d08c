//! `liuyi init`: creates the key file (0600, never overwritten) and the database, and
//! records the genesis and default policy entries under the first signed checkpoint.

use crate::cli::InitArgs;
use crate::cmd::{Ctx, Writer, text};
use crate::error::{Error, Result, Usage};
use crate::i18n::cli as msg;
use crate::record::keys::{SecretKey, write_new_key_file};
use crate::rules::event::{Genesis, PolicyEvent};
use crate::rules::{Event, Policy};
use crate::store::{Store, StoreError};

/// The log's identity: `liuyi/<division code>`, or `liuyi/<16 hex of the key>` without
/// a code. ASCII, no spaces or '+', as C2SP origins must be.
pub fn origin_for(code: Option<&str>, key_hex: &str) -> String {
    match code {
        Some(c) => format!("liuyi/{c}"),
        None => format!("liuyi/{}", &key_hex[..16]),
    }
}

/// The longest objection contact and phone a notice prints (a name, or a committee with
/// its chair; a number or two with an extension).
pub const MAX_SUPERVISOR: usize = 32;
pub const MAX_PHONE: usize = 40;

/// The objection contact as recorded, refused when longer than a notice prints.
pub fn supervisor_text(s: &str) -> Result<String> {
    let t = text(s);
    let len = t.chars().count();
    if len > MAX_SUPERVISOR {
        return Err(Usage::TextTooLong {
            what: "supervisor",
            len,
            max: MAX_SUPERVISOR,
        }
        .into());
    }
    Ok(t)
}

/// The phone as recorded, refused unless it is a phone number as written on a notice:
/// digits, with the separators a number is written with (0311-12345678, 138 0013 8000,
/// 0311-1234567转801). Full-width digits and signs as a Chinese input method types them, and
/// two numbers side by side, are numbers too; they are recorded in their ASCII forms, so the
/// number prints and breaks as a number.
pub fn phone_text(p: &str) -> Result<String> {
    let len = p.chars().count();
    if len > MAX_PHONE {
        return Err(Usage::TextTooLong {
            what: "phone",
            len,
            max: MAX_PHONE,
        }
        .into());
    }
    let digit = |c: &char| c.is_ascii_digit() || ('０'..='９').contains(c);
    let allowed =
        |c: char| digit(&c) || c.is_whitespace() || "-－—+＋()（）转分机、/／，,;；.".contains(c);
    if p.chars().filter(digit).count() < 7 || !p.chars().all(allowed) {
        return Err(Usage::BadPhone(p.to_string()).into());
    }
    Ok(text(p)
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '－' => '-',
            '＋' => '+',
            '（' => '(',
            '）' => ')',
            '／' => '/',
            _ => c,
        })
        .collect())
}

pub fn run(ctx: &Ctx, a: &InitArgs) -> Result<()> {
    let code = match &a.code {
        Some(c) => {
            let c = c.trim();
            // The statistical division code of a village (村级) is 12 digits; the origin
            // made from it is the record's identity for good.
            if c.len() != 12 || !c.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Usage::BadCode(c.to_string()).into());
            }
            Some(c.to_string())
        }
        None => None,
    };
    // Printed on every notice as where objections go.
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().filter(|v| !v.trim().is_empty())
    }
    let phone = given(&a.phone).map(phone_text).transpose()?;
    let supervisor = given(&a.supervisor).map(supervisor_text).transpose()?;
    for (v, what) in [
        (&a.village, "village"),
        (&a.township, "township"),
        (&a.county, "county"),
    ] {
        if v.trim().is_empty() {
            return Err(Usage::EmptyText { what }.into());
        }
    }
    // Refuse before creating anything if either file exists.
    if ctx.db.exists() {
        return Err(StoreError::Exists(ctx.db.clone()).into());
    }
    if ctx.key.exists() {
        return Err(Error::Key {
            path: ctx.key.clone(),
            err: crate::record::keys::KeyError::AlreadyExists {
                path: ctx.key.clone(),
            },
        });
    }
    if let Some(dir) = ctx.db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let key = SecretKey::generate().map_err(|e| Error::Key {
        path: ctx.key.clone(),
        err: e,
    })?;
    let key_hex = key.public().to_hex();
    let origin = origin_for(code.as_deref(), &key_hex);
    // The record is made under a temporary name beside its own and takes its name only
    // when whole (genesis, policy and first checkpoint committed, the file closed), after
    // the key file is written: a command cut short (a kill, a power cut) leaves no
    // half-made record under the name, and neither file to refuse a second `init`
    // but in the moment between the two links.
    sweep_stale_temporaries(&ctx.db);
    let tmp = temporary_beside(&ctx.db)?;
    // Removed by the interrupt handler (with its journal) should Ctrl-C come first. The
    // name is new (random), so nothing else's file is on the list.
    crate::fsutil::register_temp(&tmp);
    crate::fsutil::register_temp(&journal_of(&tmp));
    // Once the key file is written, Ctrl-C waits until the record has its name and this
    // run has said so (`held` lives to the end): an interrupt between the two left a key
    // with no record.
    let mut held = None;
    let result = (|| {
        // An error names the record, not its temporary name.
        let store = Store::create(&tmp).map_err(|e| match e {
            StoreError::Sqlite(m) => StoreError::Sqlite(
                m.replace(&tmp.display().to_string(), &ctx.db.display().to_string()),
            ),
            e => e,
        })?;
        let mut w = Writer::new_record(store, key.duplicate(), ctx.now);
        // The names are on every notice and form, and can never be changed: a character
        // the bundled font lacks is heard of now, as every recording command tells it.
        w.glyph_note = (!ctx.quiet).then_some(ctx.lang);
        w.append(Event::Genesis(Genesis {
            origin: origin.clone(),
            village: text(&a.village),
            township: text(&a.township),
            county: text(&a.county),
            code,
            supervisor,
            phone,
            key: key_hex.clone(),
        }))?;
        w.append(Event::Policy(PolicyEvent {
            policy: Policy::default(),
            reason: None,
        }))?;
        let committed = w.commit()?;
        held = Some(crate::fsutil::hold_interrupts());
        write_new_key_file(&ctx.key, &key, &origin).map_err(|e| Error::Key {
            path: ctx.key.clone(),
            err: e,
        })?;
        crate::fsutil::test_pause_held();
        // Renamed, never replacing a file (a FAT32 stick has no hard links).
        use crate::bundle::{WriteError, rename_noreplace};
        match rename_noreplace(&tmp, &ctx.db) {
            Ok(()) => {
                crate::fsutil::sync_dir(&ctx.db);
                Ok(committed)
            }
            Err(e) => {
                // The key was made for this record only: it goes with it.
                let _ = std::fs::remove_file(&ctx.key);
                Err(match e {
                    WriteError::Exists { .. } => StoreError::Exists(ctx.db.clone()).into(),
                    WriteError::Io(e) => Error::io(&ctx.db, e),
                    other => Error::Internal(other.to_string()),
                })
            }
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    let _ = std::fs::remove_file(journal_of(&tmp));
    crate::fsutil::unregister_temp(&tmp);
    crate::fsutil::unregister_temp(&journal_of(&tmp));
    match result {
        Ok(_) => {
            let fp = crate::record::keys::PublicKey::from_hex(&key_hex)
                .map(|k| k.fingerprint())
                .unwrap_or_default();
            ctx.say(&msg::initialised(
                ctx.lang,
                &text(&a.village),
                &origin,
                &ctx.db,
                &ctx.key,
                &fp,
            ));
            let given = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
            if !given(&a.supervisor) || !given(&a.phone) {
                ctx.tell(&msg::no_objection_contact(ctx.lang));
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Removes what an `init` killed an hour or more ago left beside `db`: its temporary
/// record and journal (`.清河村.db.init-<hex>`), never a file an `init` running now uses.
fn sweep_stale_temporaries(db: &std::path::Path) {
    let Some(name) = db.file_name() else {
        return;
    };
    let prefix = format!(".{}.init-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(crate::fsutil::dir_of(db)) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) && crate::fsutil::untouched_long(&e)
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// A new name for the record being made, hidden beside `db` (`.清河村.db.init-<hex>`).
fn temporary_beside(db: &std::path::Path) -> Result<std::path::PathBuf> {
    let suffix = crate::fsutil::random_suffix().map_err(|e| Error::Internal(e.to_string()))?;
    let mut name = std::ffi::OsString::from(".");
    name.push(db.file_name().unwrap_or_default());
    name.push(format!(".init-{suffix}"));
    Ok(db.with_file_name(name))
}

/// SQLite's rollback journal of the database at `db`.
fn journal_of(db: &std::path::Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-journal");
    std::path::PathBuf::from(name)
}
