//! From the record to paper: projects a matter in the rules state onto the paper models
//! (`crate::paper::model`) and renders them. Used when a posting is recorded
//! (`publish -o`), when a notice is re-printed (`notice`), for forms (`form`), and by the
//! township's verifier, which re-renders every notice from the replayed record and
//! compares bytes. Deterministic: every date and number comes from the record.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::paper::{self, Fonts, PaperError, TemplateVersion, model as m};
use crate::rules::engine::{Matter, Round};
use crate::rules::event::{
    Body, CompleteEvent, Decision, Event, MeetingEvent, NoticeKind, PublishEvent, VoteEvent,
};
use crate::rules::{Meeting, Stage, State};

/// Why a document cannot be made from the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeError {
    /// The matter lacks a step the document reports (e.g. no resolution yet).
    Missing {
        id: String,
        what: &'static str,
    },
    Paper(PaperError),
}

impl From<PaperError> for NoticeError {
    fn from(e: PaperError) -> Self {
        NoticeError::Paper(e)
    }
}

type R<T> = Result<T, NoticeError>;

fn missing(id: &str, what: &'static str) -> NoticeError {
    NoticeError::Missing {
        id: id.to_string(),
        what,
    }
}

fn last_event<'a, T>(mt: &'a Matter, pick: impl Fn(&'a Event) -> Option<&'a T>) -> Option<&'a T> {
    mt.steps.iter().rev().find_map(|s| pick(&s.event))
}

fn meeting_of(e: &MeetingEvent) -> m::Meeting {
    m::Meeting {
        date: e.date,
        expected: e.expected as u32,
        present: e.present as u32,
    }
}

fn vote_meeting(v: &VoteEvent) -> (m::Meeting, m::Votes) {
    (
        m::Meeting {
            date: v.date,
            expected: v.expected as u32,
            present: v.present as u32,
        },
        m::Votes {
            yes: v.for_ as u32,
            no: v.against as u32,
            abstain: v.abstain as u32,
        },
    )
}

/// The display name of a `HOUSEHOLD:NAME` key.
fn name_of(key: &str) -> String {
    key.split_once(':')
        .map(|(_, n)| n)
        .unwrap_or(key)
        .to_string()
}

/// Who issues the 决议公开 notice: the village committee and the party organisation
/// (SPEC §1, stage 7).
pub fn issuers(village: &str) -> Vec<String> {
    vec![
        format!("中共{village}支部委员会"),
        format!("{village}村民委员会"),
    ]
}

/// Who issues the 实施结果公开 notice: the village committee and the 村务监督委员会
/// (SPEC §1, stage 9).
pub fn result_issuers(village: &str) -> Vec<String> {
    vec![
        format!("{village}村民委员会"),
        format!("{village}村务监督委员会"),
    ]
}

/// The funding sources a notice prints. Nothing recorded, nothing printed: no funding text
/// gives no source (never an invented "村集体经济收入"). With a budget, a text such as
/// "一事一议财政奖补200000元；村集体经济收入12.6万元" is split into sources if every part names
/// an amount and they add up to the budget ([`split_funding`]); otherwise the whole text is one
/// source for the whole budget (never an invented split). Without a budget the whole text is
/// one source, its amount meaningless (the notice says 未列预算).
pub fn funding_sources(text: Option<&str>, budget: Option<i64>) -> Vec<m::FundingSource> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
    if let Some(split) = budget.and_then(|b| split_funding(t, b)) {
        return split;
    }
    vec![m::FundingSource {
        name: t.to_string(),
        amount_fen: budget.unwrap_or(0),
    }]
}

/// Splits a funding text into named amounts, if every part names one and they add up to
/// `budget` ([`crate::rules::funding::split`]).
pub fn split_funding(text: &str, budget: i64) -> Option<Vec<m::FundingSource>> {
    let parts = crate::rules::funding::split(text, budget)?;
    Some(
        parts
            .into_iter()
            .map(|(name, amount_fen)| m::FundingSource { name, amount_fen })
            .collect(),
    )
}

/// Where objections go: the contact as last changed (`liuyi supervision set`), else as
/// `init` recorded it.
fn supervision(state: &State) -> m::Supervision {
    let (supervisor, phone) = state.objection_contact();
    m::Supervision {
        contact: supervisor.unwrap_or("村务监督委员会").to_string(),
        phone: phone.unwrap_or("—").to_string(),
    }
}

fn consultation(round: &Round, version: TemplateVersion) -> m::ConsultationStage {
    let t = round.tally();
    let closed = round.last_record().unwrap_or(round.opened);
    m::ConsultationStage {
        adults: round.adults,
        opened: round.opened,
        closed,
        in_scope: t.in_scope as u32,
        consented: t.consented as u32,
        objected: match version.prints_only_the_record() {
            true => t.objected.len() as u32,
            false => 0,
        },
        unsigned: match version.prints_only_the_record() {
            true => t.missing.len() as u32,
            false => 0,
        },
        earlier: Vec::new(),
        // Who left scope by a roster change during the round (2026.11 on): the board says
        // why the count is less than the sheet's.
        left: match version.prints_who_left_scope() {
            true => round
                .left
                .iter()
                .map(|(h, why)| (h.clone(), why.clone()))
                .collect(),
            false => Vec::new(),
        },
    }
}

/// The budget and funding text a notice prints: from 2026.9 what 商议 adopted (the latest
/// discussion that named one); before, the matter's, which is the motion's estimate when no
/// discussion named a budget.
fn adopted(mt: &Matter, version: TemplateVersion) -> (Option<i64>, Option<&str>) {
    if !version.prints_only_the_record() {
        return (mt.budget, mt.funding.as_deref());
    }
    (mt.adopted_budget(), mt.funding.as_deref())
}

/// The 民议 rounds of `mt` before its current one, each with the revision that ended it
/// (the first `revise` recorded after the round opened).
fn earlier_rounds(mt: &Matter) -> Vec<m::EarlierRound> {
    let opened: Vec<u64> = mt
        .steps
        .iter()
        .filter(|s| matches!(s.event, Event::ConsultOpen(_)))
        .map(|s| s.idx)
        .collect();
    let last = mt.rounds.len().saturating_sub(1);
    mt.rounds[..last]
        .iter()
        .zip(opened)
        .filter_map(|(r, at)| {
            let revised = mt.steps.iter().find_map(|s| match &s.event {
                Event::Revise(e) if s.idx > at => Some(e),
                _ => None,
            })?;
            let t = r.tally();
            Some(m::EarlierRound {
                round: r.round,
                in_scope: t.in_scope as u32,
                consented: t.consented as u32,
                objected: t.objected.len() as u32,
                revised: revised.date,
                reason: revised.reason.clone(),
            })
        })
        .collect()
}

fn place(g: &crate::rules::event::Genesis) -> (String, String, String) {
    (g.village.clone(), g.township.clone(), g.county.clone())
}

/// The village, the matter and its written motion (where the notices, the receipt and the
/// reply start).
fn with_motion<'a>(
    state: &'a State,
    id: &str,
) -> R<(
    &'a crate::rules::event::Genesis,
    &'a Matter,
    &'a crate::rules::event::MotionEvent,
)> {
    let g = state
        .genesis
        .as_ref()
        .ok_or_else(|| missing(id, "genesis"))?;
    let mt = state.matter(id).map_err(|_| missing(id, "matter"))?;
    let motion = last_event(mt, |e| {
        if let Event::Motion(x) = e {
            Some(x)
        } else {
            None
        }
    })
    .ok_or_else(|| missing(id, "motion"))?;
    Ok((g, mt, motion))
}

/// The 决议公开 notice for matter `id`, as the record stands (before its publish entry).
pub fn resolution_notice(
    state: &State,
    ev: &PublishEvent,
    at: m::Verification,
    version: TemplateVersion,
) -> R<m::ResolutionNotice> {
    let id = &ev.id;
    let (g, mt, motion) = with_motion(state, id)?;
    let proposal = last_event(mt, |e| {
        if let Event::Proposal(x) = e {
            Some(x)
        } else {
            None
        }
    })
    .ok_or_else(|| missing(id, "proposal"))?;
    let discussion = last_event(mt, |e| {
        if let Event::Discussion(x) = e {
            Some(x)
        } else {
            None
        }
    })
    .ok_or_else(|| missing(id, "discussion"))?;
    let review = last_event(mt, |e| {
        if let Event::Review(x) = e {
            Some(x)
        } else {
            None
        }
    })
    .ok_or_else(|| missing(id, "review"))?;
    let resolution = mt.resolution().ok_or_else(|| missing(id, "resolution"))?;
    let round = mt
        .current_round()
        .ok_or_else(|| missing(id, "consultation"))?;
    let (review_meeting, review_votes) = vote_meeting(review);
    let (res_meeting, res_votes) = vote_meeting(resolution);
    let (budget, funding) = adopted(mt, version);
    let (village, township, county) = place(g);
    Ok(m::ResolutionNotice {
        village,
        township,
        county,
        matter_id: id.clone(),
        title: mt.title.clone(),
        category: mt.category.label_zh().to_string(),
        motion: m::MotionStage {
            date: motion.date,
            proposers: motion.by.iter().map(|k| name_of(k)).collect(),
        },
        proposal: meeting_of(proposal),
        discussion: meeting_of(discussion),
        review: review_meeting,
        review_votes,
        consultation: m::ConsultationStage {
            earlier: if version.prints_earlier_rounds() {
                earlier_rounds(mt)
            } else {
                Vec::new()
            },
            ..consultation(round, version)
        },
        resolution: m::ResolutionStage {
            body: match resolution.body {
                Some(Body::Villagers) => m::ResolutionBody::Villagers,
                _ => m::ResolutionBody::Representatives,
            },
            meeting: res_meeting,
            votes: res_votes,
            households: meeting_households(resolution)
                .filter(|_| version.prints_meeting_households()),
        },
        resolution_text: resolution
            .text
            .clone()
            .or_else(|| mt.plan.clone())
            .unwrap_or_else(|| match version.prints_only_the_record() {
                // Not the proposers' words as what the meeting resolved.
                true => format!(
                    "会议表决通过本事项，决议未另附文字。本事项的内容见村民书面动议：{}",
                    mt.text
                ),
                false => mt.text.clone(),
            }),
        budget_fen: budget.unwrap_or(0),
        budget_recorded: budget.is_some(),
        funding: funding_sources(funding, budget),
        posting: m::Posting {
            from: ev.date,
            days: ev.days,
            place: ev.place.clone(),
        },
        supervision: supervision(state),
        issuers: issuers(&g.village),
        notice_date: ev.date,
        verification: at,
    })
}

/// The cost lines of a result notice, and the final cost when `complete` recorded it as one
/// sum beside a plan that split its budget among several sources (2026.10 on: each source's
/// budget is listed, its own final cost not recorded, and the total is the notice's one 合计
/// row; an earlier version printed one line 合计（决算未按来源分列） above that 合计).
fn costs(
    adopted: (Option<i64>, Option<&str>),
    c: &CompleteEvent,
    version: TemplateVersion,
) -> (Vec<m::CostLine>, Option<i64>) {
    let budgeted = adopted.0.is_some();
    let budget = adopted.0.unwrap_or(0);
    let sources = funding_sources(adopted.1, adopted.0);
    if !c.spent_by.is_empty() {
        // Every source of the plan, and every source money actually came from (the plan
        // named no budget for the latter: printed as —, never as 0.00).
        let mut lines: Vec<m::CostLine> = sources
            .iter()
            .map(|s| m::CostLine {
                source: s.name.clone(),
                budget_fen: s.amount_fen,
                budget_recorded: budgeted,
                actual_fen: c
                    .spent_by
                    .iter()
                    .filter(|x| x.source == s.name)
                    .map(|x| x.amount)
                    .sum(),
            })
            .collect();
        for x in c
            .spent_by
            .iter()
            .filter(|x| !sources.iter().any(|s| s.name == x.source))
        {
            lines.push(m::CostLine {
                source: x.source.clone(),
                budget_fen: 0,
                budget_recorded: false,
                actual_fen: x.amount,
            });
        }
        // Budget the plan did not assign to a source (all of it, when the plan named no
        // funding) is a line of its own: the totals are the plan's budget, never ¥0.00.
        let assigned = sources
            .iter()
            .fold(0i64, |a, s| a.saturating_add(s.amount_fen));
        if budgeted && assigned != budget {
            lines.push(m::CostLine {
                source: m::UNSPLIT_BUDGET.into(),
                budget_fen: budget.saturating_sub(assigned),
                budget_recorded: true,
                actual_fen: 0,
            });
        }
        return (lines, None);
    }
    if sources.len() > 1 && version.prints_one_total() {
        let lines = sources
            .iter()
            .map(|s| m::CostLine {
                source: s.name.clone(),
                budget_fen: s.amount_fen,
                budget_recorded: budgeted,
                actual_fen: 0,
            })
            .collect();
        return (lines, Some(c.spent));
    }
    let source = match sources.as_slice() {
        [one] => one.name.clone(),
        [] => "资金来源未列明".into(),
        // The record has no split of the final cost by source: say so rather than invent one.
        _ => m::UNSPLIT_COST.into(),
    };
    let line = m::CostLine {
        source,
        budget_fen: budget,
        budget_recorded: budgeted,
        actual_fen: c.spent,
    };
    (vec![line], None)
}

/// The households represented at a villagers' meeting that recorded them.
fn meeting_households(v: &VoteEvent) -> Option<m::MeetingHouseholds> {
    if v.body != Some(Body::Villagers) {
        return None;
    }
    Some(m::MeetingHouseholds {
        present: u32::try_from(v.households_present?).unwrap_or(u32::MAX),
        total: u32::try_from(v.households_expected?).unwrap_or(u32::MAX),
    })
}

/// The 实施结果公开 notice for matter `id`.
pub fn result_notice(
    state: &State,
    ev: &PublishEvent,
    at: m::Verification,
    version: TemplateVersion,
) -> R<m::ResultNotice> {
    let id = &ev.id;
    let g = state
        .genesis
        .as_ref()
        .ok_or_else(|| missing(id, "genesis"))?;
    let mt = state.matter(id).map_err(|_| missing(id, "matter"))?;
    let resolution = mt.resolution().ok_or_else(|| missing(id, "resolution"))?;
    let complete = last_event(mt, |e| {
        if let Event::Complete(x) = e {
            Some(x)
        } else {
            None
        }
    })
    .ok_or_else(|| missing(id, "completion"))?;
    let implements: Vec<_> = mt
        .steps
        .iter()
        .filter_map(|s| {
            if let Event::Implement(x) = &s.event {
                Some(x)
            } else {
                None
            }
        })
        .collect();
    let adopted = adopted(mt, version);
    let (costs, spent_unsplit) = costs(adopted, complete, version);
    let started = match version.prints_only_the_record() {
        true => implements.first().map(|i| i.date),
        false => Some(implements.first().map_or(complete.date, |i| i.date)),
    };
    let contractor = match version.names_every_contractor() {
        true => {
            let mut names: Vec<&str> = Vec::new();
            let given = implements.iter().filter_map(|i| i.contractor.as_deref());
            for c in given.chain(complete.contractor.as_deref()) {
                if !c.trim().is_empty() && !names.contains(&c) {
                    names.push(c);
                }
            }
            match names.is_empty() {
                true => "—".to_string(),
                false => names.join("、"),
            }
        }
        false => complete
            .contractor
            .clone()
            .or_else(|| implements.iter().rev().find_map(|i| i.contractor.clone()))
            .unwrap_or_else(|| "—".into()),
    };
    let (village, township, county) = place(g);
    Ok(m::ResultNotice {
        village,
        township,
        county,
        matter_id: id.clone(),
        title: mt.title.clone(),
        resolution_date: resolution.date,
        delivered: complete
            .delivered
            .clone()
            .unwrap_or_else(|| mt.title.clone()),
        started,
        completed: complete.date,
        contractor,
        contractor_selection: complete.procurement.clone().unwrap_or_else(|| "—".into()),
        costs,
        budget_recorded: adopted.0.is_some(),
        acceptance: m::Acceptance {
            date: complete.date,
            by: complete.accepted_by.clone(),
            conclusion: complete
                .conclusion
                .clone()
                .unwrap_or_else(|| "验收合格".into()),
        },
        // None given to `complete`: said as such from 2026.7 (无 read as "no objection").
        supervision_opinion: complete.supervision.clone().unwrap_or_else(|| {
            if version.says_no_supervision_opinion_recorded() {
                "竣工验收登记时未记录村务监督委员会意见。".into()
            } else {
                "无".into()
            }
        }),
        supervision: supervision(state),
        objections: mt
            .objections
            .iter()
            .map(|o| m::Objection {
                from: o.from.clone(),
                date: o.date,
                text: o.text.clone(),
                reply: o.reply.as_ref().map(|r| r.text.clone()),
                reply_date: o.reply.as_ref().map(|r| r.date),
            })
            .collect(),
        posting: m::Posting {
            from: ev.date,
            days: ev.days,
            place: ev.place.clone(),
        },
        issuers: result_issuers(&g.village),
        notice_date: ev.date,
        verification: at,
        resolution_posted_until: resolution_posted_until(mt)
            .filter(|_| version.prints_result_notes()),
        overspend_reason: complete
            .overspend_reason
            .clone()
            .filter(|_| version.prints_result_notes()),
        spent_unsplit,
    })
}

/// The last day the matter's resolution notice is posted (its latest posting: the rules
/// publish it once, but a log written otherwise is read as the board would show it).
fn resolution_posted_until(mt: &Matter) -> Option<chrono::NaiveDate> {
    mt.steps.iter().rev().find_map(|s| match &s.event {
        Event::Publish(p) if p.kind == NoticeKind::Resolution => {
            Some(paper::posting_end(&m::Posting {
                from: p.date,
                days: p.days,
                place: String::new(),
            }))
        }
        _ => None,
    })
}

/// Renders the notice a publish event prints, by the templates of `version`. `state` is
/// the record just before the publish entry; `at` names that log state (size = the publish
/// entry's index).
pub fn render_publish(
    state: &State,
    ev: &PublishEvent,
    at: m::Verification,
    fonts: &Fonts,
    version: TemplateVersion,
) -> R<Vec<u8>> {
    publish_model(state, ev, at, version)?.render(fonts)
}

/// A notice's document, taken from the record and ready to print without it: the verifier
/// builds it on the log's thread and renders it on another core.
#[derive(Debug, Clone)]
pub struct PublishModel {
    /// The templates that print it (the version the record names).
    pub version: TemplateVersion,
    pub document: PublishDocument,
}

#[derive(Debug, Clone)]
pub enum PublishDocument {
    Resolution(m::ResolutionNotice),
    Result(m::ResultNotice),
}

/// The document the publish event `ev` prints by the templates of `version`, from the
/// record as it stands before it.
pub fn publish_model(
    state: &State,
    ev: &PublishEvent,
    at: m::Verification,
    version: TemplateVersion,
) -> R<PublishModel> {
    let document = match ev.kind {
        NoticeKind::Resolution => {
            PublishDocument::Resolution(resolution_notice(state, ev, at, version)?)
        }
        NoticeKind::Result => PublishDocument::Result(result_notice(state, ev, at, version)?),
    };
    Ok(PublishModel { version, document })
}

impl PublishModel {
    pub fn render(&self, fonts: &Fonts) -> R<Vec<u8>> {
        Ok(match &self.document {
            PublishDocument::Resolution(n) => {
                paper::render_resolution_notice_as(n, fonts, self.version)?
            }
            PublishDocument::Result(n) => paper::render_result_notice_as(n, fonts, self.version)?,
        })
    }
}

/// The 民议 signature sheet for the current round of `id`, as printed when the round opened:
/// every household (or adult) of its scope, those that left it since by a roster change
/// included and marked — what the collectors carried, and what a consent's 页码 refers to.
/// Printed again later it pages the same, and the page check of `consult record` and
/// `consult import` lays out this very sheet.
pub fn consultation_sheet(state: &State, id: &str, at: m::Verification) -> R<m::ConsultationSheet> {
    let g = state
        .genesis
        .as_ref()
        .ok_or_else(|| missing(id, "genesis"))?;
    let mt = state.matter(id).map_err(|_| missing(id, "matter"))?;
    let round = mt
        .current_round()
        .ok_or_else(|| missing(id, "consultation"))?;
    let roster = state
        .roster_on(round.opened)
        .map_err(|_| missing(id, "roster"))?;
    let households: Vec<m::HouseholdRow> = round
        .scope
        .iter()
        .map(|h| {
            // Counting adults, the key is the person: their household and name.
            if round.adults
                && let Some((household, name)) = h.split_once(':')
            {
                return m::HouseholdRow {
                    household: household.to_string(),
                    head: name.to_string(),
                };
            }
            let head = roster
                .head_of(h)
                .or_else(|| roster.members_of(h).into_iter().next())
                .map(|p| p.name.clone())
                .unwrap_or_default();
            m::HouseholdRow {
                household: h.clone(),
                head,
            }
        })
        .collect();
    let mut hasher = Sha256::new();
    for h in &round.scope {
        hasher.update(h.as_bytes());
        hasher.update(b"\n");
    }
    Ok(m::ConsultationSheet {
        village: g.village.clone(),
        township: g.township.clone(),
        matter_id: id.to_string(),
        title: mt.title.clone(),
        round: round.round,
        opened: round.opened,
        snapshot_id: format!("{id}-R{}", round.round),
        snapshot_hash_hex: hex::encode(hasher.finalize()),
        adults: round.adults,
        households,
        left: round
            .left
            .iter()
            .map(|(h, why)| (h.clone(), why.clone()))
            .collect(),
        verification: at,
    })
}

/// The receipt for the written motion of `id`.
pub fn motion_receipt(state: &State, id: &str, at: m::Verification) -> R<m::MotionReceipt> {
    let (g, mt, motion) = with_motion(state, id)?;
    Ok(m::MotionReceipt {
        village: g.village.clone(),
        township: g.township.clone(),
        matter_id: id.to_string(),
        title: mt.title.clone(),
        category: mt.category.label_zh().to_string(),
        text: mt.text.clone(),
        proposers: motion.by.iter().map(|k| name_of(k)).collect(),
        received: motion.date,
        estimated_fen: motion.amount,
        attachments: motion.attachments.len() as u32,
        verification: at,
    })
}

/// The written reply to the proposers of a motion a meeting declined (SPEC §1: a declined
/// motion gets a written reply and closes), from the step that declined it.
pub fn motion_reply(state: &State, id: &str, at: m::Verification) -> R<m::MotionReply> {
    let (g, mt, motion) = with_motion(state, id)?;
    let branch = format!("中共{}支部委员会", g.village);
    let committee = format!("{}村民委员会", g.village);
    let (declined_by, date, reason, issuer) = mt
        .steps
        .iter()
        .rev()
        .find_map(|s| match &s.event {
            Event::Proposal(e) if e.decision == Decision::Decline => {
                Some(("村党组织（支委会）", e.date, e.reason.clone(), &branch))
            }
            Event::Discussion(e) if e.decision == Decision::Decline => Some((
                "村党组织和村民委员会联席会议",
                e.date,
                e.reason.clone(),
                &committee,
            )),
            Event::Review(e) if e.decision == Decision::Decline => {
                Some(("党员大会", e.date, e.reason.clone(), &branch))
            }
            Event::Resolution(e) if e.decision == Decision::Decline => Some((
                match e.body {
                    Some(Body::Villagers) => "村民会议",
                    _ => "村民代表会议",
                },
                e.date,
                e.reason.clone(),
                &committee,
            )),
            _ => None,
        })
        .filter(|_| mt.stage == Stage::Declined)
        .ok_or_else(|| {
            let what = if mt.stage == Stage::Withdrawn {
                "withdrawn"
            } else {
                "decline"
            };
            missing(id, what)
        })?;
    Ok(m::MotionReply {
        village: g.village.clone(),
        township: g.township.clone(),
        matter_id: id.to_string(),
        title: mt.title.clone(),
        proposers: motion.by.iter().map(|k| name_of(k)).collect(),
        received: motion.date,
        declined_by: declined_by.to_string(),
        declined: date,
        reason: reason.unwrap_or_default(),
        issuer: issuer.clone(),
        supervision: supervision(state),
        verification: at,
    })
}

/// Which meeting a sign-in sheet is for: the next one the matter needs, unless given.
pub fn signin_meeting(mt: &Matter) -> Option<Meeting> {
    match mt.stage {
        Stage::Motion => Some(Meeting::BranchCommittee),
        Stage::Proposal => Some(Meeting::TwoCommittees),
        Stage::Discussion => Some(Meeting::PartyMembers),
        Stage::Consultation | Stage::Review => Some(Meeting::Representatives),
        _ => None,
    }
}

/// The sign-in sheet listing the 应到 members of `meeting` on `date`.
pub fn signin_sheet(
    state: &State,
    id: &str,
    meeting: Meeting,
    date: NaiveDate,
    at: m::Verification,
) -> R<m::SigninSheet> {
    let g = state
        .genesis
        .as_ref()
        .ok_or_else(|| missing(id, "genesis"))?;
    let mt = state.matter(id).map_err(|_| missing(id, "matter"))?;
    let roster = state.roster_on(date).map_err(|_| missing(id, "roster"))?;
    let role = |p: &crate::rules::people::Person| -> String {
        let mut r = Vec::new();
        if p.committee.on_branch() {
            r.push("支委");
        }
        if p.committee.on_village() {
            r.push("村委");
        }
        if p.representative {
            r.push("村民代表");
        }
        match p.party {
            crate::rules::people::Party::Full if r.is_empty() => r.push("正式党员"),
            crate::rules::people::Party::Probationary if meeting == Meeting::PartyMembers => {
                r.push("预备党员（列席）")
            }
            _ => {}
        }
        if r.is_empty() {
            r.push("村民");
        }
        r.join("、")
    };
    let people = match meeting {
        Meeting::BranchCommittee => roster.branch_committee(),
        Meeting::TwoCommittees => roster.two_committees(),
        // Probationary members attend without a vote: listed after those 应到.
        Meeting::PartyMembers => {
            let mut all = roster.voting_party_members();
            all.extend(roster.probationary_party_members());
            all
        }
        Meeting::Representatives => roster.representatives_assembly(),
        Meeting::Villagers => roster.adults(date),
    };
    let kind = match meeting {
        Meeting::BranchCommittee => m::MeetingKind::Proposal,
        Meeting::TwoCommittees => m::MeetingKind::Discussion,
        Meeting::PartyMembers => m::MeetingKind::Review,
        Meeting::Representatives => m::MeetingKind::Resolution(m::ResolutionBody::Representatives),
        Meeting::Villagers => m::MeetingKind::Resolution(m::ResolutionBody::Villagers),
    };
    Ok(m::SigninSheet {
        village: g.village.clone(),
        township: g.township.clone(),
        matter_id: id.to_string(),
        title: mt.title.clone(),
        kind,
        date,
        members: people
            .into_iter()
            .map(|p| m::Member {
                household: p.household.clone(),
                counted: !(meeting == Meeting::PartyMembers
                    && p.party == crate::rules::people::Party::Probationary),
                name: p.name.clone(),
                role: role(p),
            })
            .collect(),
        verification: at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funding_text_splits_only_when_it_adds_up() {
        let b = Some(32_600_000);
        let s = funding_sources(Some("一事一议财政奖补200000元；村集体经济收入126000元"), b);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, "一事一议财政奖补");
        assert_eq!(s[1].amount_fen, 12_600_000);
        let s = funding_sources(Some("财政奖补20万元，村集体12.6万元"), b);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].amount_fen, 12_600_000);
        // Does not add up: one line, the whole text, the whole budget.
        let s = funding_sources(Some("财政奖补20万元，村集体10万元"), b);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].amount_fen, 32_600_000);
        let s = funding_sources(Some("村集体经济收入"), Some(100));
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn nothing_recorded_invents_no_source() {
        assert!(funding_sources(None, Some(5)).is_empty());
        assert!(funding_sources(None, None).is_empty());
        assert!(funding_sources(Some("  "), Some(5)).is_empty());
        // Without a budget the text is printed as recorded, not split against nothing.
        let s = funding_sources(Some("财政奖补20万元，村集体12.6万元"), None);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].name, "财政奖补20万元，村集体12.6万元");
    }

    #[test]
    fn funding_text_takes_spaces_and_the_common_separators() {
        let b = 32_600_000;
        for text in [
            "财政奖补200000元；村集体126000元",
            "上级补助 200000 元，村集体收入 126000 元",
            "上级补助200000元;村集体收入126000元",
            "上级补助 20 万元、村集体收入 12.6万 元",
            "上级补助：200000元, 村集体收入：126000",
        ] {
            let s = split_funding(text, b).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(s.len(), 2, "{text}");
            assert_eq!(s[0].amount_fen, 20_000_000, "{text}");
            assert_eq!(s[1].amount_fen, 12_600_000, "{text}");
            assert!(!s[1].name.ends_with(' ') && !s[1].name.is_empty(), "{text}");
        }
        assert!(split_funding("上级补助 200000 元", b).is_none());
    }
}
