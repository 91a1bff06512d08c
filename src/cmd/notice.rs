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

fn verification(replay: &crate::check::Replay) -> Verification {
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
    if let Some(p) = out
        && p.exists()
    {
        return Err(Usage::OutputExists(p.to_path_buf()).into());
    }
    let fonts = fonts(font)?;
    let at = verification(&w.replay);
    let bytes =
        notice::render_publish(&w.replay.state, &event, at, &fonts).map_err(Error::Notice)?;
    let name = format!("{}-{}.pdf", event.id, kind_word(event.kind));
    let r = w.attach_bytes(bytes.clone(), &name);
    event.notice = Some(PrintedNotice {
        sha256: r.sha256,
        size: r.size,
        template_version: paper::TEMPLATE_VERSION.to_string(),
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

/// `liuyi notice ID resolution|result -o FILE.pdf`: prints the notice as it was posted.
///
/// When the publish entry can be proved signed by this village's key ([`proved_copy`]) and
/// the posted PDF is stored with the hash it records, that copy is printed at once.
/// Otherwise the notice is re-rendered from the record as it stood when it was posted (a
/// replay of the log up to it: seconds on a decade's record); it must be byte-identical to
/// the one recorded, or, made by other templates or another font, the stored copy with the
/// recorded hash is printed instead.
pub fn reprint(ctx: &Ctx, a: &NoticeArgs) -> Result<()> {
    if a.out.exists() {
        return Err(Usage::OutputExists(a.out.clone()).into());
    }
    let kind = match a.kind {
        NoticeArg::Resolution => NoticeKind::Resolution,
        NoticeArg::Result => NoticeKind::Result,
    };
    let store = Store::open(&ctx.db)?;
    let (full, _) = crate::check::load_fast(&store, &[&a.id])?;
    let m = full.state.matter(&a.id)?;
    let (idx, ev) = m
        .steps
        .iter()
        .find_map(|s| match &s.event {
            Event::Publish(p) if p.kind == kind => Some((s.idx, p.clone())),
            _ => None,
        })
        .ok_or_else(|| Refusal::NotPublished {
            id: a.id.clone(),
            kind,
        })?;
    let fonts = fonts(a.font.as_deref())?;
    let ours = paper::render_version(&fonts);
    if let Some((n, b)) = proved_copy(ctx, &store, idx, &a.id, kind)? {
        write_pdf(&a.out, &b)?;
        let made_by = format!("templates {}; font {}", n.template_version, n.font_version);
        if made_by == ours {
            ctx.say(&msg::notice_written(ctx.lang, &a.out, b.len()));
        } else {
            ctx.say(&msg::notice_stored_copy(ctx.lang, &a.out, &made_by));
        }
        return Ok(());
    }
    let before = crate::check::load_until(&store, idx)?;
    let bytes = notice::render_publish(&before.state, &ev, verification(&before), &fonts)
        .map_err(Error::Notice)?;
    let recorded = ev.notice.clone();
    let same = recorded
        .as_ref()
        .is_none_or(|n| n.sha256 == sha256_hex(&bytes));
    if same {
        write_pdf(&a.out, &bytes)?;
        ctx.say(&msg::notice_written(ctx.lang, &a.out, bytes.len()));
        return Ok(());
    }
    let n = recorded.expect("checked above");
    let stored = store
        .attachment(&n.sha256)?
        .filter(|b| sha256_hex(b) == n.sha256);
    let made_by = format!("templates {}; font {}", n.template_version, n.font_version);
    match stored {
        Some(b) if made_by != ours => {
            // Made by other templates or another font: print the recorded copy.
            write_pdf(&a.out, &b)?;
            ctx.say(&msg::notice_stored_copy(ctx.lang, &a.out, &made_by));
            Ok(())
        }
        _ => Err(Error::Integrity(vec![crate::check::Problem {
            code: "E-NOTICE",
            location: format!("{}/{}", a.id, kind_word(kind)),
            kind: crate::check::ProblemKind::NoticeMismatch {
                expected: n.sha256,
                found: sha256_hex(&bytes),
            },
        }])),
    }
}

/// The posted PDF of matter `id`'s `kind` notice, when it is proved without replaying the
/// log: the publish entry at `idx` (where the snapshot says it is, which is not trusted)
/// proved signed by the village key of the key file (`check::proved_entry`), and the
/// stored copy with the hash that entry records. `None` sends the caller to re-render:
/// no readable key file, a key rotated since, an entry that is not that publish entry,
/// no stored copy with that hash.
fn proved_copy(
    ctx: &Ctx,
    store: &Store,
    idx: u64,
    id: &str,
    kind: NoticeKind,
) -> Result<Option<(PrintedNotice, Vec<u8>)>> {
    let Ok((key, _)) = crate::record::keys::read_key_file(&ctx.key) else {
        return Ok(None);
    };
    let Some(entry) = crate::check::proved_entry(store, idx, &key.public())? else {
        return Ok(None);
    };
    let notice = match crate::log::Entry::parse(&entry.bytes).map(|e| e.event) {
        Ok(Event::Publish(p)) if p.id == id && p.kind == kind => p.notice,
        _ => None,
    };
    let Some(n) = notice else {
        return Ok(None);
    };
    Ok(store
        .attachment(&n.sha256)?
        .filter(|b| sha256_hex(b) == n.sha256)
        .map(|b| (n, b)))
}

/// `liuyi form ID consultation|motion|signin -o FILE.pdf`.
pub fn form(ctx: &Ctx, a: &FormArgs) -> Result<()> {
    if a.out.exists() {
        return Err(Usage::OutputExists(a.out.clone()).into());
    }
    let store = Store::open(&ctx.db)?;
    let (replay, _) = crate::check::load_fast(&store, &[&a.id])?;
    let state = &replay.state;
    let m = state.matter(&a.id)?;
    let at = verification(&replay);
    let fonts = fonts(a.font.as_deref())?;
    let bytes = match a.kind {
        FormKind::Consultation => {
            if m.current_round().is_none() {
                return Err(Refusal::WrongStage {
                    id: a.id.clone(),
                    stage: m.stage,
                    action: crate::rules::Action::ConsultRecord,
                }
                .into());
            }
            paper::render_consultation_sheet(
                &notice::consultation_sheet(state, &a.id, at).map_err(Error::Notice)?,
                &fonts,
            )
        }
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
                None => notice::signin_meeting(m).ok_or_else(|| Refusal::WrongStage {
                    id: a.id.clone(),
                    stage: m.stage,
                    action: crate::rules::Action::Resolve,
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
