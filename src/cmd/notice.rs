//! Paper from the record: the notice printed as a posting is recorded (`publish`), its
//! byte-identical re-print (`notice`), and the printable forms (`form`).

use std::path::Path;

use crate::cli::{FormArgs, FormKind, MeetingArg, NoticeArg, NoticeArgs};
use crate::cmd::{Ctx, Writer, sha256_hex};
use crate::error::{Error, Result, Usage};
use crate::i18n::cli as msg;
use crate::notice::{self, NoticeError};
use crate::paper::{self, Fonts, model::Verification};
use crate::rules::event::{NoticeKind, PrintedNotice, PublishEvent};
use crate::rules::{Event, Meeting, Refusal};
use crate::store::Store;

/// The bundled typeface, or a village's own (`--font`).
pub fn fonts(font: Option<&Path>) -> Result<Fonts> {
    match font {
        None => Ok(Fonts::bundled()),
        Some(p) => Fonts::from_file(p).map_err(|e| Error::Notice(NoticeError::Paper(e))),
    }
}

pub(crate) fn verification(replay: &crate::check::Replay) -> Verification {
    Verification {
        origin: replay.state.origin().unwrap_or_default().to_string(),
        log_size: replay.state.size,
        root_hex: hex::encode(replay.range.root()),
    }
}

/// Renders the notice `event` prints, stores the PDF with the entry and records its hash
/// and the versions that made it. Refuses up front if `out` exists.
pub fn with_notice(
    w: &mut Writer,
    mut event: PublishEvent,
    out: Option<&Path>,
    font: Option<&Path>,
) -> Result<(PublishEvent, Vec<u8>)> {
    if let Some(p) = out {
        crate::fsutil::check_output(p)?;
        if p.exists() {
            return Err(Usage::OutputExists(p.to_path_buf()).into());
        }
    }
    let fonts = fonts(font)?;
    let at = verification(&w.replay);
    let bytes = notice::render_publish(
        &w.replay.state,
        &event,
        at,
        &fonts,
        paper::TemplateVersion::CURRENT,
    )
    .map_err(Error::Notice)?;
    let name = format!("{}-{}.pdf", event.id, kind_word(event.kind));
    let r = w.attach_bytes(bytes.clone(), &name);
    event.notice = Some(PrintedNotice {
        sha256: r.sha256,
        size: r.size,
        template_version: paper::TemplateVersion::CURRENT.as_str().to_string(),
        font_version: fonts.version(),
    });
    Ok((event, bytes))
}

fn kind_word(k: NoticeKind) -> &'static str {
    match k {
        NoticeKind::Resolution => "resolution",
        NoticeKind::Result => "result",
    }
}

pub fn write_pdf(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::fsutil::write_new(path, bytes)
}

/// The notice a command line names.
pub fn notice_kind(a: NoticeArg) -> NoticeKind {
    match a {
        NoticeArg::Resolution => NoticeKind::Resolution,
        NoticeArg::Result => NoticeKind::Result,
    }
}

/// `liuyi notice ID resolution|result -o FILE.pdf`: prints the notice as it was posted.
///
/// What the notice records (its hash, the versions that made it) is read from the log's
/// publish entry, never from the snapshot, which only says where that entry is. When the
/// entry is proved signed by the village key of the key file, even one that took over
/// after the notice was posted ([`proved_publish`]), the stored copy of the posted PDF with
/// the hash it records is printed at once: those are the posted bytes, whatever else the
/// database holds. Otherwise the notice is re-rendered from the record as it stood when it
/// was posted (a replay of the log up to it: seconds on a decade's record) and printed only
/// if it is byte-identical to the one recorded, and, when there is a key file, only if its
/// key signed a record containing it; a notice made by templates this build does not keep
/// or by another font is refused with what to do (`--key`), since nothing but the key
/// proves which stored copy was posted.
pub fn reprint(ctx: &Ctx, a: &NoticeArgs) -> Result<()> {
    crate::fsutil::check_output(&a.out)?;
    if a.out.exists() {
        return Err(Usage::OutputExists(a.out.clone()).into());
    }
    let kind = notice_kind(a.kind);
    let store = Store::open(&ctx.db)?;
    let (full, _) = crate::check::load_fast(&store, &[&a.id], None)?;
    let m = full.state.matter(&a.id)?;
    let idx = m
        .steps
        .iter()
        .find_map(|s| match &s.event {
            Event::Publish(p) if p.kind == kind => Some(s.idx),
            _ => None,
        })
        .ok_or_else(|| Refusal::NotPublished {
            id: a.id.clone(),
            kind,
        })?;
    let given = fonts(a.font.as_deref())?;
    let bundled = Fonts::bundled();
    let (given_version, bundled_version) = (given.version(), bundled.version());
    // The font that made the notice, if this build has it: the one given, else the
    // bundled one (a notice made with it is re-printed with it whatever `--font` says: a
    // re-rendering by another font cannot be the posted bytes).
    let font_for = |n: &PrintedNotice| {
        if n.font_version == given_version {
            Some(&given)
        } else if n.font_version == bundled_version {
            Some(&bundled)
        } else {
            None
        }
    };
    let made_by =
        |n: &PrintedNotice| format!("templates {}; font {}", n.template_version, n.font_version);
    // Made by templates this build keeps and by a font it has: re-rendered, it must be the
    // same.
    let reproducible = |n: &PrintedNotice| {
        paper::TemplateVersion::parse(&n.template_version).is_some() && font_for(n).is_some()
    };
    let village_key = village_key(ctx, &full.keys);
    let proved = proved_publish(&store, idx, &a.id, kind, village_key.as_ref())?;
    if let Some(n) = proved.as_ref().and_then(|p| p.notice.as_ref())
        && let Some(b) = store
            .attachment(&n.sha256)?
            .filter(|b| sha256_hex(b) == n.sha256)
    {
        write_pdf(&a.out, &b)?;
        if reproducible(n) {
            ctx.say(&msg::notice_written(ctx.lang, &a.out, b.len()));
            if a.font.is_some() && font_for(n).is_some_and(|f| std::ptr::eq(f, &bundled)) {
                ctx.say(&msg::reprinted_in_bundled_font(ctx.lang));
            }
        } else {
            ctx.say(&msg::notice_stored_copy(ctx.lang, &a.out, &made_by(n)));
        }
        return Ok(());
    }
    let before = crate::check::load_until(&store, idx)?;
    let was_proved = proved.is_some();
    let ev = match proved {
        Some(ev) => ev,
        None => publish_in_log(&store, &before, idx, &a.id, kind)?,
    };
    // Made by templates this build does not keep, or by another font: a re-rendering
    // cannot be the posted bytes, and only the key could prove a stored copy.
    if let Some(n) = ev.notice.as_ref().filter(|n| !reproducible(n)) {
        return Err(Error::Integrity(vec![crate::check::Problem {
            code: "E-NOTICE",
            location: format!("{}/{}", a.id, kind_word(kind)).into(),
            kind: crate::check::ProblemKind::NoticeUnproved {
                made_by: made_by(n),
            },
        }]));
    }
    let version = ev
        .notice
        .as_ref()
        .and_then(|n| paper::TemplateVersion::parse(&n.template_version))
        .unwrap_or(paper::TemplateVersion::CURRENT);
    let fonts = ev.notice.as_ref().and_then(font_for).unwrap_or(&given);
    let bytes = notice::render_publish(&before.state, &ev, verification(&before), fonts, version)
        .map_err(Error::Notice)?;
    match &ev.notice {
        Some(n) if n.sha256 != sha256_hex(&bytes) => {
            Err(Error::Integrity(vec![crate::check::Problem {
                code: "E-NOTICE",
                location: format!("{}/{}", a.id, kind_word(kind)).into(),
                kind: crate::check::ProblemKind::NoticeMismatch {
                    expected: n.sha256.clone(),
                    found: sha256_hex(&bytes),
                },
            }]))
        }
        _ => {
            // The replay checks no signature: with a key file, the notice is printed only if
            // its key signed a record containing it. The publish entry is the one at `idx`
            // (the replay has just read it there), which the key did not prove above.
            if !was_proved && let Some(k) = &village_key {
                return Err(Error::Integrity(vec![crate::check::Problem {
                    code: "E-NOTICE",
                    location: format!("{}/{}", a.id, kind_word(kind)).into(),
                    kind: crate::check::ProblemKind::NoticeNotSigned {
                        fingerprint: k.key.fingerprint(),
                    },
                }]));
            }
            write_pdf(&a.out, &bytes)?;
            ctx.say(&msg::notice_written(ctx.lang, &a.out, bytes.len()));
            if a.font.is_some() && std::ptr::eq(fonts, &bundled) {
                ctx.say(&msg::reprinted_in_bundled_font(ctx.lang));
            }
            Ok(())
        }
    }
}

/// The village key a key file names, for proving entries: its public half, the log it
/// names and where it began to sign.
struct VillageKey {
    key: crate::record::keys::PublicKey,
    origin: String,
    /// The log size from which the key signs (after the rotation that handed over to it;
    /// its latest term if it had two), as the snapshot's key list `keys` says (not trusted:
    /// a wrong value only makes a proof fail). 0 when the list does not name it.
    signed_from: u64,
}

/// The key file's village key, if the file can be read. Only its public half is used: a key
/// file other users can read (which writing commands warn about) still proves.
fn village_key(ctx: &Ctx, keys: &[(u64, String)]) -> Option<VillageKey> {
    let (key, origin, _) = crate::record::keys::read_key_file_with_warnings(&ctx.key).ok()?;
    let key = key.public();
    let hex = key.to_hex();
    let signed_from = keys
        .iter()
        .rev()
        .find(|(_, k)| *k == hex)
        .map_or(0, |(from, _)| *from);
    Some(VillageKey {
        key,
        origin,
        signed_from,
    })
}

/// The publish event of matter `id`'s `kind` notice, when its entry is proved without
/// replaying the log: the entry at `idx` (where the snapshot says it is, which is not
/// trusted) proved signed by the village key of the key file for the log the key file names
/// (`check::proved_entry`; after a change of secretary, by the new key's first checkpoint,
/// [`VillageKey::signed_from`]), and that entry the publish entry asked for. `None` sends
/// the caller to replay: no readable key file, a key that signed no checkpoint after the
/// entry (another village's, or one retired before the notice), a record changed since, an
/// entry that is not that publish entry.
fn proved_publish(
    store: &Store,
    idx: u64,
    id: &str,
    kind: NoticeKind,
    key: Option<&VillageKey>,
) -> Result<Option<PublishEvent>> {
    let Some(k) = key else {
        return Ok(None);
    };
    let origin = &k.origin;
    let Some(entry) = crate::check::proved_entry(store, idx, &k.key, k.signed_from, origin)? else {
        return Ok(None);
    };
    Ok(match crate::log::Entry::parse(&entry) {
        Ok(e) if e.origin == *origin => match e.event {
            Event::Publish(p) if p.id == id && p.kind == kind => Some(p),
            _ => None,
        },
        _ => None,
    })
}

/// The publish event at `idx`, read from the log right after the replay `before` of the
/// entries ahead of it (so the entry is the one the chain continues with), and refused unless
/// it is matter `id`'s `kind` notice: the snapshot that said where it is would be wrong.
fn publish_in_log(
    store: &Store,
    before: &crate::check::Replay,
    idx: u64,
    id: &str,
    kind: NoticeKind,
) -> Result<PublishEvent> {
    let snapshot_wrong = || {
        Error::Integrity(vec![crate::check::Problem {
            code: "E-PROJ",
            location: format!("snapshot/{id}").into(),
            kind: crate::check::ProblemKind::Projection {
                table: "snapshot",
                key: id.to_string(),
            },
        }])
    };
    let e = store
        .entry(idx)?
        .filter(|_| before.state.size == idx)
        .ok_or_else(snapshot_wrong)?;
    before
        .continues(&e, &crate::record::merkle::leaf_hash(&e.bytes))
        .map_err(|p| Error::Integrity(vec![p]))?;
    match crate::log::Entry::parse(&e.bytes).map(|e| e.event) {
        Ok(Event::Publish(p)) if p.id == id && p.kind == kind => Ok(p),
        _ => Err(snapshot_wrong()),
    }
}

/// `liuyi form ID consultation|motion|signin -o FILE.pdf`.
pub fn form(ctx: &Ctx, a: &FormArgs) -> Result<()> {
    // The meeting and its date are a sign-in sheet's; another form prints what the record
    // holds (a reply is dated the day of the decline), and would ignore them unsaid.
    if a.kind != FormKind::Signin {
        let flag = match (&a.meeting, &a.date) {
            (Some(_), _) => Some("--meeting"),
            (None, Some(_)) => Some("--date"),
            (None, None) => None,
        };
        if let Some(flag) = flag {
            return Err(Usage::SigninOnly(flag).into());
        }
    }
    crate::fsutil::check_output(&a.out)?;
    if a.out.exists() {
        return Err(Usage::OutputExists(a.out.clone()).into());
    }
    let store = Store::open(&ctx.db)?;
    let (replay, _) = crate::check::load_fast(&store, &[&a.id], None)?;
    let state = &replay.state;
    let m = state.matter(&a.id)?;
    let at = verification(&replay);
    let fonts = fonts(a.font.as_deref())?;
    let bytes = match a.kind {
        FormKind::Consultation => {
            // The sheet lists the households the opening fixed: none before it.
            if m.current_round().is_none() {
                return Err(Error::Notice(crate::notice::NoticeError::Missing {
                    id: a.id.clone(),
                    what: "consultation",
                }));
            }
            paper::render_consultation_sheet(
                &notice::consultation_sheet(state, &a.id, at).map_err(Error::Notice)?,
                &fonts,
            )
        }
        FormKind::Reply => paper::render_motion_reply(
            &notice::motion_reply(state, &a.id, at).map_err(Error::Notice)?,
            &fonts,
        ),
        FormKind::Motion => paper::render_motion_receipt(
            &notice::motion_receipt(state, &a.id, at).map_err(Error::Notice)?,
            &fonts,
        ),
        FormKind::Signin => {
            let meeting = match a.meeting {
                Some(MeetingArg::Proposal) => Meeting::BranchCommittee,
                Some(MeetingArg::Discussion) => Meeting::TwoCommittees,
                Some(MeetingArg::Review) => Meeting::PartyMembers,
                Some(MeetingArg::Representatives) => Meeting::Representatives,
                Some(MeetingArg::Villagers) => Meeting::Villagers,
                None => notice::signin_meeting(m).ok_or_else(|| Usage::NoMeetingDue {
                    id: a.id.clone(),
                    stage: m.stage,
                })?,
            };
            let date = ctx.date(&a.date)?;
            paper::render_signin_sheet(
                &notice::signin_sheet(state, &a.id, meeting, date, at).map_err(Error::Notice)?,
                &fonts,
            )
        }
    }
    .map_err(|e| Error::Notice(NoticeError::Paper(e)))?;
    write_pdf(&a.out, &bytes)?;
    ctx.say(&msg::form_written(ctx.lang, &a.out, bytes.len()));
    Ok(())
}
