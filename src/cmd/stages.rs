//! The stage commands: `motion`, `propose`, `discuss`, `review`, `resolve`, `publish`,
//! `objection`, `implement`, `complete`, `revise`, `withdraw`. Each builds one event from
//! its arguments and the roster in force, and hands it to the rules engine.

use crate::cli::*;
use crate::cmd::{Ctx, Writer, opt_text, parse_yuan, read_text_file, text};
use crate::error::{Error, Result, Usage};
use crate::i18n::cli as msg;
use crate::rules::event::*;
use crate::rules::roster::NameProblem;
use crate::rules::{Category, Event, Meeting};

fn decision(d: DecisionArg) -> Decision {
    match d {
        DecisionArg::Adopt => Decision::Adopt,
        DecisionArg::Decline => Decision::Decline,
    }
}

/// `NAME` or `HOUSEHOLD:NAME` on the roster in force on `date` → `HOUSEHOLD:NAME`.
pub fn resolve_person(w: &Writer, given: &str, date: chrono::NaiveDate) -> Result<String> {
    let roster = w.state().roster_on(date)?;
    match roster.resolve(&text(given)) {
        Ok(p) => Ok(p.key()),
        Err(NameProblem::Unknown { name }) => Err(Usage::UnknownName { name }.into()),
        Err(NameProblem::Ambiguous { name, candidates }) => {
            Err(Usage::AmbiguousName { name, candidates }.into())
        }
    }
}

/// A list of names as typed: clap splits on ',', and a secretary typing Chinese writes ，
/// or 、 just as often ("任云志，田民凤", "王监督、高国云"). Blank names are dropped.
fn split_names(given: &[String]) -> Vec<String> {
    given
        .iter()
        .flat_map(|g| g.split([',', '，', '、']))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

fn done(ctx: &Ctx, w: Writer, id: &str) -> Result<()> {
    done_saying(ctx, w, id, None)
}

/// `done`, with a line said first once the step is committed (an objection's number).
fn done_saying(ctx: &Ctx, w: Writer, id: &str, first: Option<String>) -> Result<()> {
    let stage = w.state().matters.get(id).map(|m| m.stage);
    let owed = unanswered_objections(&w, id).first().copied();
    let c = w.commit()?;
    if let Some(line) = first {
        ctx.say(&line);
    }
    if let Some(stage) = stage {
        ctx.say(&msg::recorded_owing(ctx.lang, id, stage, c.size, owed));
    }
    Ok(())
}

/// The objections to `id` not yet answered, by number: the work may go on, but the result
/// notice waits for every answer (heard at each step of the work, not first then).
fn unanswered_objections(w: &Writer, id: &str) -> Vec<u32> {
    w.state()
        .matter(id)
        .map(|m| {
            m.objections
                .iter()
                .filter(|o| o.reply.is_none())
                .map(|o| o.n)
                .collect()
        })
        .unwrap_or_default()
}

/// The same files, whatever they were called when attached (a scan attached again under
/// another name is the same scan).
fn same_files(a: &[AttachmentRef], b: &[AttachmentRef]) -> bool {
    fn shas(x: &[AttachmentRef]) -> Vec<&str> {
        let mut v: Vec<&str> = x.iter().map(|r| r.sha256.as_str()).collect();
        v.sort_unstable();
        v
    }
    shas(a) == shas(b)
}

/// A motion that says what `b` says: the same day, title, text, category, amount,
/// proposers (in any order) and files. Its ID is the next one, so it is not compared.
fn same_motion(a: &MotionEvent, b: &MotionEvent) -> bool {
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort_unstable();
        v
    };
    a.date == b.date
        && a.title == b.title
        && a.text == b.text
        && a.category == b.category
        && a.amount == b.amount
        && sorted(&a.by) == sorted(&b.by)
        && same_files(&a.attachments, &b.attachments)
}

/// An implementation step that says what `b` says: the same day, note, amount, contractor
/// and files.
fn same_implement(a: &ImplementEvent, b: &ImplementEvent) -> bool {
    a.date == b.date
        && a.note == b.note
        && a.spent == b.spent
        && a.contractor == b.contractor
        && same_files(&a.attachments, &b.attachments)
}

pub fn motion(ctx: &Ctx, a: &MotionArgs) -> Result<()> {
    let date = ctx.date(&a.date)?;
    let category =
        Category::parse(&a.category).ok_or_else(|| Usage::BadCategory(a.category.clone()))?;
    let body = match (&a.text, &a.text_file) {
        (Some(t), _) => text(t),
        (None, Some(f)) => read_text_file(f)?,
        (None, None) => String::new(),
    };
    let amount = a.amount.as_deref().map(parse_yuan).transpose()?;
    let title = text(&a.title);
    if let Some(rest) = title.strip_prefix("关于")
        && !rest.trim().is_empty()
    {
        return Err(Usage::TitleStartsWithAbout {
            without: rest.trim().to_string(),
        }
        .into());
    }
    let mut w = Writer::open(ctx)?;
    let mut by = Vec::new();
    for name in &split_names(&a.by) {
        let key = resolve_person(&w, name, date)?;
        if !by.contains(&key) {
            by.push(key);
        }
    }
    let attachments = w.attach_all(&a.attach)?;
    let id = w.state().next_id(date);
    let event = MotionEvent {
        id: id.clone(),
        date,
        title,
        text: body,
        category,
        by,
        amount,
        attachments,
    };
    if !a.again {
        // The matters of the same title (the projection says which; each is then read
        // from the record itself): one whose motion is this one is most likely this
        // command run before.
        let titled = w.store.matter_ids_titled(&event.title)?;
        for other in titled {
            w.load_matter(&other)?;
            let same = w.state().matters.get(&other).is_some_and(|m| {
                m.steps.iter().any(|s| match &s.event {
                    Event::Motion(e) => same_motion(e, &event),
                    _ => false,
                })
            });
            if same {
                return Err(Usage::Repeated {
                    command: "motion",
                    id: other,
                    objection: None,
                    date,
                }
                .into());
            }
        }
    }
    w.append(Event::Motion(event))?;
    let c = w.commit()?;
    ctx.say(&id);
    if !ctx.quiet {
        ctx.tell(&msg::motion_recorded(ctx.lang, &id, c.size));
    }
    Ok(())
}

pub fn propose(ctx: &Ctx, a: &ProposeArgs) -> Result<()> {
    let date = ctx.date(&a.date)?;
    let plan = a.plan_file.as_deref().map(read_text_file).transpose()?;
    let mut w = Writer::open_matter(ctx, &a.id)?;
    let expected = w.state().expected(Meeting::BranchCommittee, date)?;
    let attachments = w.attach_all(&a.attach)?;
    w.append(Event::Proposal(MeetingEvent {
        id: a.id.clone(),
        date,
        expected,
        present: a.present,
        decision: decision(a.decision),
        reason: opt_text(&a.reason),
        plan,
        budget: None,
        funding: None,
        attachments,
    }))?;
    done(ctx, w, &a.id)
}

pub fn discuss(ctx: &Ctx, a: &DiscussArgs) -> Result<()> {
    let date = ctx.date(&a.date)?;
    let plan = a.plan_file.as_deref().map(read_text_file).transpose()?;
    let budget = a.budget.as_deref().map(parse_yuan).transpose()?;
    let mut w = Writer::open_matter(ctx, &a.id)?;
    let expected = w.state().expected(Meeting::TwoCommittees, date)?;
    // The plan as it will stand: what this meeting gives, else what it had. A funding
    // text that names an amount for every source must add up to the budget, and one that
    // names amounts must name them for every source in figures: the notice prints each
    // source with its amount (`rules::funding`; a replay judges the same from 2026-12-02).
    // Amounts with no budget to add up to are refused too (they were checked against the
    // motion's estimate, which no meeting adopts).
    let m = w.state().matter(&a.id)?;
    let given = opt_text(&a.funding);
    let funding = given.clone().or_else(|| m.funding.clone());
    if a.decision != DecisionArg::Decline
        && let Some(p) = crate::rules::funding::problem(
            given.as_deref(),
            funding.as_deref(),
            budget.or(m.adopted_budget()),
        )
    {
        use crate::rules::funding::Problem;
        return Err(match p {
            Problem::Mismatch { parts, sum, budget } => {
                Usage::FundingMismatch { parts, sum, budget }
            }
            Problem::WithoutBudget { parts, sum } => Usage::FundingWithoutBudget { parts, sum },
            Problem::Unsplit(u) => Usage::FundingUnsplit(u),
        }
        .into());
    }
    let attachments = w.attach_all(&a.attach)?;
    w.append(Event::Discussion(MeetingEvent {
        id: a.id.clone(),
        date,
        expected,
        present: a.present,
        decision: decision(a.decision),
        reason: opt_text(&a.reason),
        plan,
        budget,
        funding: opt_text(&a.funding),
        attachments,
    }))?;
    done(ctx, w, &a.id)
}

pub fn review(ctx: &Ctx, a: &ReviewArgs) -> Result<()> {
    let date = ctx.date(&a.date)?;
    let mut w = Writer::open_matter(ctx, &a.id)?;
    let expected = w.state().expected(Meeting::PartyMembers, date)?;
    let attachments = w.attach_all(&a.attach)?;
    w.append(Event::Review(VoteEvent {
        id: a.id.clone(),
        date,
        body: None,
        expected,
        present: a.present,
        for_: a.for_,
        against: a.against,
        abstain: a.abstain,
        households_expected: None,
        households_present: None,
        decision: decision(a.decision),
        reason: opt_text(&a.reason),
        text: None,
        attachments,
    }))?;
    done(ctx, w, &a.id)
}

pub fn resolve(ctx: &Ctx, a: &ResolveArgs) -> Result<()> {
    let date = ctx.date(&a.date)?;
    let resolution_text = match (&a.text, &a.text_file) {
        (Some(t), _) => opt_text(&Some(t.clone())),
        (None, Some(f)) => Some(read_text_file(f)?),
        (None, None) => None,
    };
    let mut w = Writer::open_matter(ctx, &a.id)?;
    let (body, meeting) = match a.body {
        BodyArg::Representatives => (Body::Representatives, Meeting::Representatives),
        BodyArg::Villagers => (Body::Villagers, Meeting::Villagers),
    };
    let expected = w.state().expected(meeting, date)?;
    let households_expected = match body {
        Body::Villagers => Some(w.state().roster_on(date)?.active_households().len() as u64),
        Body::Representatives => None,
    };
    // Each household represented is represented by an adult at the meeting. Checked here,
    // as the vote is recorded, not by the engine: records made before this check may hold
    // such a count, and replaying them must still succeed.
    if body == Body::Villagers
        && let Some(hp) = a.households_present
        && hp > a.present
    {
        return Err(crate::rules::Refusal::HouseholdsOverAdults {
            households_present: hp,
            adults_present: a.present,
        }
        .into());
    }
    if body == Body::Villagers && a.households_present == Some(0) && a.present > 0 {
        return Err(crate::rules::Refusal::NoHouseholdRepresented {
            adults_present: a.present,
        }
        .into());
    }
    if body == Body::Representatives && a.households_present.is_some() {
        return Err(Usage::HouseholdsPresentNotForRepresentatives.into());
    }
    // 组织法 Art. 29: representatives are four fifths or more of the assembly's members,
    // women representatives a third or more. Said, not refused: the resolution stands on
    // its quorum and vote; the makeup is the village's to put right at its next election.
    let makeup = (body == Body::Representatives)
        .then(|| -> Result<Option<(usize, usize, usize)>> {
            let roster = w.state().roster_on(date)?;
            let members = roster.representatives_assembly();
            let reps: Vec<_> = members.iter().filter(|p| p.representative).collect();
            let women = reps
                .iter()
                .filter(|p| p.sex == crate::rules::people::Sex::Female)
                .count();
            let c = members.len();
            Ok((reps.len() * 5 < c * 4 || women * 3 < c).then_some((c, reps.len(), women)))
        })
        .transpose()?
        .flatten();
    let attachments = w.attach_all(&a.attach)?;
    w.append(Event::Resolution(VoteEvent {
        id: a.id.clone(),
        date,
        body: Some(body),
        expected,
        present: a.present,
        for_: a.for_,
        against: a.against,
        abstain: a.abstain,
        households_expected,
        households_present: if body == Body::Villagers {
            a.households_present
        } else {
            None
        },
        decision: decision(a.decision),
        reason: opt_text(&a.reason),
        text: resolution_text,
        attachments,
    }))?;
    done(ctx, w, &a.id)?;
    if let Some((members, reps, women)) = makeup {
        ctx.tell(&msg::representatives_makeup(ctx.lang, members, reps, women));
    }
    Ok(())
}

/// Where a notice is posted when `--place` is not given.
const DEFAULT_PLACE: &str = "村务公开栏";

pub fn publish(ctx: &Ctx, a: &PublishArgs) -> Result<()> {
    let date = ctx.date(&a.date)?;
    let mut w = Writer::open_matter(ctx, &a.id)?;
    let kind = crate::cmd::notice::notice_kind(a.kind);
    // The law's 15 days (组织法 Art. 35) hold for every posting recorded now, whatever an
    // older policy says: one set before liuyi refused laxer policies (2026-11-30) may ask
    // fewer. Judged here, where a posting is recorded; the engine replays a record by the
    // policy in force, as it was kept.
    // Left out, the period is the least the notice's day asks: the most any policy it is
    // judged by asks (its day's; with the clock before 2026-12-03, the one current too).
    let before_rules = !crate::rules::engine::under_rules_of_2026_12_03(ctx.now);
    let least = (w.state().policies_for(date, true, before_rules).iter())
        .map(|p| p.min_posting_days)
        .fold(crate::rules::policy::LAW_MIN_POSTING_DAYS, u32::max);
    let days = a.days.unwrap_or(least);
    if days < crate::rules::policy::LAW_MIN_POSTING_DAYS {
        return Err(Error::Refused(
            crate::rules::refusal::Refusal::PostingTooShort {
                days,
                min: crate::rules::policy::LAW_MIN_POSTING_DAYS,
            },
        ));
    }
    // Recorded and printed on a Chinese notice: the same words in either language.
    let place = opt_text(&a.place).unwrap_or_else(|| DEFAULT_PLACE.to_string());
    let attachments = w.attach_all(&a.attach)?;
    let event = PublishEvent {
        id: a.id.clone(),
        kind,
        date,
        days,
        place,
        notice: None,
        attachments,
    };
    // Judge the posting first, so a refused step never prints paper.
    crate::cmd::check_event_texts(&Event::Publish(event.clone()))?;
    // The rules first: a matter with no resolution yet is told so, not first sent to set
    // the supervision committee's phone.
    w.state().check(
        ctx.now,
        &Event::Publish(event.clone()),
        crate::keychange::verify_rotation,
    )?;
    // Where villagers take objections is printed on the notice: not a blank.
    if w.state()
        .objection_contact()
        .1
        .is_none_or(|p| p.trim().is_empty())
    {
        return Err(Usage::NoObjectionContact.into());
    }
    let (event, pdf) =
        crate::cmd::notice::with_notice(&mut w, event, a.out.as_deref(), a.font.as_deref())?;
    w.append(Event::Publish(event))?;
    let stage = w.state().matters.get(&a.id).map(|m| m.stage);
    // The PDF is written and synced before the commit (a full disk refuses the whole
    // step) and takes its final name after it (no notice of a step that was not recorded).
    let pending = match &a.out {
        Some(path) => Some((path, crate::fsutil::prepare_new(path, &pdf)?)),
        None => None,
    };
    // From the commit until the PDF has its name and the run has said so (`_held` lives
    // to the end), Ctrl-C waits: a notice recorded whose PDF an interrupt removed would
    // need a re-print the secretary may never know of.
    let _held = pending.as_ref().map(|_| crate::fsutil::hold_interrupts());
    let c = w.commit()?;
    crate::fsutil::test_pause_held();
    match pending {
        Some((path, pending)) => {
            // Recorded now: a PDF that cannot take its name (a disk gone full, an I/O
            // error, a file put there meanwhile) is an output failure of a step that was
            // recorded, said as such with how to re-print it, not "nothing changed".
            if let Err(e) = pending.finish() {
                if let Some(stage) = stage {
                    ctx.say(&msg::recorded(ctx.lang, &a.id, stage, c.size));
                }
                return Err(Error::NoticeNotPlaced {
                    id: a.id.clone(),
                    kind,
                    cause: Box::new(e),
                });
            }
            ctx.say(&msg::notice_written(ctx.lang, path, pdf.len()));
        }
        // Recorded, and its notice kept in the record: how to print it.
        None => ctx.say(&msg::notice_not_written(ctx.lang, &a.id, a.kind)),
    }
    if let Some(stage) = stage {
        ctx.say(&msg::recorded(ctx.lang, &a.id, stage, c.size));
        let also = msg::after_publish(ctx.lang, &a.id, stage);
        if !also.is_empty() {
            ctx.say(&also);
        }
    }
    Ok(())
}

/// `liuyi posted ID resolution|result --attach PHOTO`: proof that the printed notice went up.
pub fn posted(ctx: &Ctx, a: &PostedArgs) -> Result<()> {
    let date = ctx.date(&a.date)?;
    let mut w = Writer::open_matter(ctx, &a.id)?;
    let attachments = w.attach_all(&a.attach)?;
    let kind = crate::cmd::notice::notice_kind(a.kind);
    // The same photos as proof of the same notice's posting again: most likely this
    // command run twice (`show` then listed the posting twice).
    let earlier = w
        .state()
        .matter(&a.id)?
        .steps
        .iter()
        .find_map(|s| match &s.event {
            Event::Posted(p) if p.kind == kind && same_files(&p.attachments, &attachments) => {
                Some(p.date)
            }
            _ => None,
        });
    if let Some(earlier) = earlier.filter(|_| !a.again) {
        return Err(Usage::Repeated {
            command: "posted",
            id: a.id.clone(),
            objection: None,
            date: earlier,
        }
        .into());
    }
    w.append(Event::Posted(PostedEvent {
        id: a.id.clone(),
        kind,
        date,
        note: opt_text(&a.note),
        attachments,
    }))?;
    done(ctx, w, &a.id)
}

pub fn objection(ctx: &Ctx, a: &ObjectionArgs) -> Result<()> {
    let mut w = Writer::open_matter(ctx, &a.id)?;
    match &a.reply {
        Some(ObjectionCmd::Reply {
            n,
            text: t,
            date,
            attach,
        }) => {
            let date = ctx.date(date)?;
            let attachments = w.attach_all(attach)?;
            w.append(Event::Reply(ReplyEvent {
                id: a.id.clone(),
                n: *n,
                date,
                text: text(t),
                attachments,
            }))?;
        }
        None => {
            let (Some(from), Some(t)) = (&a.from, &a.text) else {
                return Err(Usage::ObjectionNeeds.into());
            };
            let date = ctx.date(&a.date)?;
            let n = w.state().matter(&a.id)?.objections.len() as u32 + 1;
            let attachments = w.attach_all(&a.attach)?;
            let (from, t) = (text(from), text(t));
            let earlier = w
                .state()
                .matter(&a.id)?
                .objections
                .iter()
                .find(|o| o.from == from && o.text == t && o.date == date);
            if let Some(o) = earlier.filter(|_| !a.again) {
                return Err(Usage::Repeated {
                    command: "objection",
                    id: a.id.clone(),
                    objection: Some(o.n),
                    date,
                }
                .into());
            }
            w.append(Event::Objection(ObjectionEvent {
                id: a.id.clone(),
                n,
                date,
                from,
                text: t,
                attachments,
            }))?;
            // Its number is what a reply names: say it.
            let first = msg::objection_recorded(ctx.lang, &a.id, n);
            return done_saying(ctx, w, &a.id, Some(first));
        }
    }
    done(ctx, w, &a.id)
}

pub fn implement(ctx: &Ctx, a: &ImplementArgs) -> Result<()> {
    let date = ctx.date(&a.date)?;
    let spent = a.spent.as_deref().map(parse_yuan).transpose()?;
    let mut w = Writer::open_matter(ctx, &a.id)?;
    let attachments = w.attach_all(&a.attach)?;
    let event = ImplementEvent {
        id: a.id.clone(),
        date,
        note: text(&a.note),
        spent,
        contractor: opt_text(&a.contractor),
        attachments,
    };
    // The same step again (spending counted twice) is most likely this command run before.
    let repeated = w
        .state()
        .matter(&a.id)?
        .steps
        .iter()
        .any(|s| match &s.event {
            Event::Implement(e) => same_implement(e, &event),
            _ => false,
        });
    if repeated && !a.again {
        return Err(Usage::Repeated {
            command: "implement",
            id: a.id.clone(),
            objection: None,
            date,
        }
        .into());
    }
    let before = w
        .state()
        .matter(&a.id)
        .map(|m| (m.adopted_budget(), m.spent))?;
    let unanswered = unanswered_objections(&w, &a.id);
    w.append(Event::Implement(event))?;
    done(ctx, w, &a.id)?;
    if !unanswered.is_empty() {
        ctx.tell(&msg::objections_unanswered(ctx.lang, &a.id, &unanswered));
    }
    // Heard now, not first at completion: the spending recorded has gone past the budget.
    if let ((Some(budget), recorded), Some(s)) = (before, spent)
        && recorded + s > budget
    {
        ctx.tell(&msg::spending_past_budget(
            ctx.lang,
            &a.id,
            budget,
            recorded + s,
        ));
    }
    Ok(())
}

pub fn complete(ctx: &Ctx, a: &CompleteArgs) -> Result<()> {
    // Checked now; a correction given no date keeps the date of the completion it corrects.
    let given_date = a.date.as_ref().map(|_| ctx.date(&a.date)).transpose()?;
    let spent = parse_yuan(&a.spent)?;
    let mut spent_by = Vec::new();
    for item in &a.spent_by {
        let (source, amount) = item
            .rsplit_once('=')
            .filter(|(s, _)| !s.trim().is_empty())
            .ok_or_else(|| Usage::BadSpentBy(item.clone()))?;
        spent_by.push(SourceAmount {
            source: text(source.trim()),
            amount: parse_yuan(amount.trim())?,
        });
    }
    // The cost by source must make up the final cost (the rules refuse it too; said here as
    // the bad input it is, with the figures, as `discuss` says of a funding text).
    let sum = spent_by
        .iter()
        .try_fold(0i64, |a, s| a.checked_add(s.amount));
    if !spent_by.is_empty() && sum != Some(spent) {
        return Err(Usage::SpentByMismatch {
            parts: spent_by
                .iter()
                .map(|s| (s.source.clone(), s.amount))
                .collect(),
            sum: sum.unwrap_or(i64::MAX),
            spent,
        }
        .into());
    }
    let mut w = Writer::open_matter(ctx, &a.id)?;
    // Where the plan's funding text names its sources, money can only come from those: a
    // source it does not name would print with no budget and a negative remainder.
    let mut sources = 0;
    // The first source spent past what the plan gave it: (name, its amount, spent).
    let mut source_over: Option<(String, Fen, Fen)> = None;
    if let Ok(mt) = w.state().matter(&a.id) {
        let known = match (mt.funding.as_deref(), mt.adopted_budget()) {
            (Some(t), Some(b)) => crate::notice::split_funding(t, b),
            _ => None,
        };
        if let Some(known) = known {
            sources = known.len();
            source_over = known.iter().find_map(|s| {
                let budgeted = s.amount_fen;
                let spent: Fen = (spent_by.iter())
                    .filter(|x| x.source == s.name)
                    .map(|x| x.amount)
                    .sum();
                (spent > budgeted).then(|| (s.name.clone(), budgeted, spent))
            });
            let names: Vec<String> = known.into_iter().map(|s| s.name).collect();
            if let Some(x) = spent_by.iter().find(|x| !names.contains(&x.source)) {
                return Err(Usage::UnknownSource {
                    source: x.source.clone(),
                    known: names,
                }
                .into());
            }
        }
    }
    // Spending past the budget prints as 超支 on the result notice: villagers read why
    // beside it, so the reason is asked for now (and only then). The budget is the one
    // 商议 adopted, as the notice prints it (not the motion's estimate).
    // What implementation recorded as spent (a completion recorded before set the matter's
    // figure to its own final cost: a correction is held to the steps, not to it).
    // And whether a step named the contractor: the result notice prints that one when the
    // completion gives none.
    let (budget, (recorded, contractor_recorded), before) = w
        .state()
        .matter(&a.id)
        .map(|m| {
            let implemented = m
                .steps
                .iter()
                .filter_map(|s| match &s.event {
                    Event::Implement(i) => Some(i),
                    _ => None,
                })
                .fold((0 as Fen, false), |(spent, named), i| {
                    (
                        spent + i.spent.unwrap_or(0),
                        named || i.contractor.is_some(),
                    )
                });
            // The completion in force, with its entry, when the matter is completed: this
            // one corrects it.
            let before = m
                .steps
                .iter()
                .rev()
                .find_map(|s| match &s.event {
                    Event::Complete(c) => Some((s.idx, c.clone())),
                    _ => None,
                })
                .filter(|_| m.stage == crate::rules::Stage::Completed);
            (m.adopted_budget(), implemented, before)
        })
        .unwrap_or((None, (0, false), None));
    let date = match (given_date, &before) {
        (Some(d), _) => d,
        (None, Some((_, c))) => c.date,
        (None, None) => ctx.today(),
    };
    let supervision = opt_text(&a.supervision);
    let overspend_reason = opt_text(&a.overspend_reason);
    match (budget, &overspend_reason) {
        (Some(b), None) if spent > b => {
            return Err(Usage::OverspendNeedsReason { budget: b, spent }.into());
        }
        (b, Some(_)) if b.is_none_or(|b| spent <= b) && source_over.is_none() => {
            return Err(Usage::OverspendReasonUnneeded { budget: b, spent }.into());
        }
        _ => {}
    }
    if let (Some((source, budget, spent)), None) = (source_over, &overspend_reason) {
        return Err(Usage::SourceOverspendNeedsReason {
            source,
            budget,
            spent,
        }
        .into());
    }
    let attachments = w.attach_all(&a.attach)?;
    let mut event = CompleteEvent {
        id: a.id.clone(),
        date,
        spent,
        accepted_by: split_names(&a.accepted_by)
            .iter()
            .map(|s| text(s))
            .collect(),
        delivered: opt_text(&a.delivered),
        contractor: opt_text(&a.contractor),
        procurement: opt_text(&a.procurement),
        supervision: supervision.clone(),
        conclusion: opt_text(&Some(a.acceptance.clone())),
        spent_by,
        attachments,
        overspend_reason,
        corrects: None,
        correction: None,
    };
    // The completion as it stands, given again: the command run twice, not a correction.
    let as_given = |c: &CompleteEvent| CompleteEvent {
        corrects: None,
        correction: None,
        ..c.clone()
    };
    if let Some((_, before)) = &before
        && as_given(before) == event
    {
        return Err(Usage::Repeated {
            command: "complete",
            id: a.id.clone(),
            objection: None,
            date: before.date,
        }
        .into());
    }
    // A correction says what it corrects (the entry, filled in here) and why (SPEC §2).
    event.correction = opt_text(&a.correction);
    if let Some((idx, before)) = &before {
        if event.correction.is_none() {
            return Err(Usage::CorrectionNeedsReason {
                id: a.id.clone(),
                entry: *idx,
                date: before.date,
            }
            .into());
        }
        event.corrects = Some(*idx);
    }
    let unanswered = unanswered_objections(&w, &a.id);
    w.append(Event::Complete(event))?;
    done(ctx, w, &a.id)?;
    if !unanswered.is_empty() {
        ctx.tell(&msg::objections_unanswered(ctx.lang, &a.id, &unanswered));
    }
    if before.is_some() {
        ctx.tell(&msg::completion_corrected(ctx.lang, &a.id));
    }
    // The secretary hears of the overspend now, with its share of the budget, not first
    // from the result notice's 超支 line.
    if let Some(budget) = budget.filter(|b| spent > *b) {
        ctx.tell(&msg::overspent(ctx.lang, budget, spent));
    }
    if spent < recorded {
        ctx.tell(&msg::final_below_recorded(ctx.lang, &a.id, spent, recorded));
    }
    if supervision.is_none() {
        ctx.tell(&msg::no_supervision_opinion(ctx.lang, &a.id));
    }
    // What the result notice prints as "—" or as one total (SPEC §5: the contractor and how
    // it was chosen, the final cost by source).
    let unsaid_contractor = (opt_text(&a.contractor).is_none() && !contractor_recorded)
        || opt_text(&a.procurement).is_none();
    let unsplit = sources > 1 && a.spent_by.is_empty();
    if unsaid_contractor || unsplit {
        ctx.tell(&msg::result_notice_gaps(
            ctx.lang,
            &a.id,
            unsaid_contractor,
            unsplit,
        ));
    }
    Ok(())
}

pub fn revise(ctx: &Ctx, a: &ReasonArgs) -> Result<()> {
    reason_event(ctx, a, true)
}

pub fn withdraw(ctx: &Ctx, a: &ReasonArgs) -> Result<()> {
    reason_event(ctx, a, false)
}

fn reason_event(ctx: &Ctx, a: &ReasonArgs, revise: bool) -> Result<()> {
    let date = ctx.date(&a.date)?;
    let mut w = Writer::open_matter(ctx, &a.id)?;
    let e = ReasonEvent {
        id: a.id.clone(),
        date,
        reason: text(&a.reason),
    };
    w.append(if revise {
        Event::Revise(e)
    } else {
        Event::Withdraw(e)
    })?;
    // A revision leaves the matter at 「提议」 (adopted, its plan to be discussed again):
    // said in words first, as what it is.
    let first = revise.then(|| msg::revised(ctx.lang, &a.id));
    done_saying(ctx, w, &a.id, first)
}

#[cfg(test)]
mod tests {
    use super::split_names;

    #[test]
    fn names_split_on_ascii_and_full_width_commas_and_the_enumeration_comma() {
        let given = [
            "任云志，田民凤".to_string(),
            "王监督、 高国云".into(),
            "李工,".into(),
        ];
        assert_eq!(
            split_names(&given),
            ["任云志", "田民凤", "王监督", "高国云", "李工"]
        );
    }
}
