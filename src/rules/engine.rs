//! The one rules engine. `State::check` says whether an event may be appended now (and
//! if not, which rule refuses, with the numbers); `State::apply` folds an accepted event
//! into the state. Recording a command and verifying a bundle both go through
//! `State::step`, so the township replays exactly the rules the secretary was held to.
//!
//! Pure: no I/O, no clock. "Today" is the date of the entry's own timestamp in China
//! Standard Time; the recorder stamps entries with the (pinnable) clock.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::category::Category;
use super::event::*;
use super::people::{HEAD_OF_HOUSEHOLD, HouseholdId};
use super::policy::{ConsultationUnit, Policy, Threshold};
use super::refusal::{DatedBy, KeyRotationProblem, ObjectionWithdrawal, Refusal, VoteBase};
use super::roster::{Roster, RosterHistory};
use super::stage::{Action, Meeting, Stage};

/// The longest posting period a notice may state: a year. (A mistyped `--days 100000`
/// would post a notice until the year 2300, and a period past the calendar's end cannot
/// be printed at all.)
pub const MAX_POSTING_DAYS: u32 = 366;

/// The local date of an instant (China Standard Time, UTC+8, no daylight saving).
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    let cst = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    t.with_timezone(&cst).date_naive()
}

/// One consultation round (民议): the scope fixed at opening and the latest record per
/// household (or, when 民议 counts adults, per adult: then each key of `scope`, `left`
/// and `records` is a person's `HOUSEHOLD:NAME`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Round {
    pub round: u32,
    pub opened: NaiveDate,
    /// Whether the scope is adults rather than households (fixed by the policy in force
    /// when the round opened).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub adults: bool,
    pub scope: BTreeSet<HouseholdId>,
    /// Households that left scope by a recorded roster change, with its reason.
    pub left: BTreeMap<HouseholdId, String>,
    pub records: BTreeMap<HouseholdId, ConsentEvent>,
    /// Page ranges of attached scanned signature sheets.
    pub sheets: Vec<(u32, u32)>,
    /// The day of each key's latest objection in this round (recorded under the rules of
    /// 2026-12-03), kept when a later record replaces it: no record of that key is dated
    /// before it, so an objection taken back cannot be dated away.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub objected: BTreeMap<HouseholdId, NaiveDate>,
    /// Set when the round is compacted ([`Round::compacted`]): what it keeps of the
    /// `scope` and `records` it dropped.
    #[serde(skip)]
    pub compacted: Option<RoundSummary>,
}

/// What a compacted round keeps of its scope and records: its tally, and the date of its
/// last record (the notices print it as the day 民议 closed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundSummary {
    pub tally: RoundTally,
    pub last_record: Option<NaiveDate>,
}

/// Where a round stands: the numbers `consult status` and `resolve` use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundTally {
    /// The round counts adults: every list names people as `HOUSEHOLD:NAME`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub adults: bool,
    pub in_scope: u64,
    pub consented: u64,
    pub objected: Vec<HouseholdId>,
    pub missing: Vec<HouseholdId>,
    pub no_evidence: Vec<HouseholdId>,
    pub uncovered_pages: Vec<u32>,
}

impl Round {
    pub fn in_scope(&self) -> impl Iterator<Item = &HouseholdId> {
        self.scope.iter().filter(|h| !self.left.contains_key(*h))
    }

    /// What of the scope a roster `next` takes out of it: a household with no active member
    /// left; when the round counts adults, a person no longer an active member.
    pub fn leaving(&self, next: &Roster) -> Vec<HouseholdId> {
        let active = self.active_on(next);
        self.in_scope().filter(|k| !active(k)).cloned().collect()
    }

    /// Whether a key of this round's scope (a household, or `HOUSEHOLD:NAME` when the round
    /// counts adults) is active on the roster `next`.
    fn active_on<'a>(&self, next: &'a Roster) -> impl Fn(&String) -> bool + 'a {
        let adults = self.adults;
        let households = match adults {
            false => next.active_households(),
            true => BTreeSet::new(),
        };
        move |key: &String| match adults {
            false => households.contains(key),
            true => key.split_once(':').is_some_and(|(household, name)| {
                next.get(household, name).is_some_and(|p| p.status.active())
            }),
        }
    }

    /// What of those that left scope a roster `next` makes active again (a roster change
    /// corrected: the household had not moved out after all). Its opinion is needed again.
    pub fn returning(&self, next: &Roster) -> Vec<HouseholdId> {
        let active = self.active_on(next);
        self.left.keys().filter(|k| active(k)).cloned().collect()
    }

    /// Whether `key` of the scope has consented with its signature on record (a scan
    /// covering its sheet page, or evidence of its own), as the tally counts it.
    pub fn consented(&self, key: &str) -> bool {
        self.records.get(key).is_some_and(|r| {
            r.opinion == Opinion::Consent
                && (r.evidence.is_some() || r.sheet_page.is_some_and(|p| self.page_covered(p)))
        })
    }

    fn page_covered(&self, page: u32) -> bool {
        self.sheets.iter().any(|(a, b)| *a <= page && page <= *b)
    }

    /// The date of the round's last record, if any.
    pub fn last_record(&self) -> Option<NaiveDate> {
        match &self.compacted {
            Some(c) => c.last_record,
            None => self.records.values().map(|r| r.date).max(),
        }
    }

    /// The round without its scope and records, keeping what is read of them once no
    /// entry can add to the round: its tally and last record date.
    pub fn compacted(&self) -> Round {
        let Round {
            round,
            opened,
            adults,
            scope: _,
            left,
            records: _,
            sheets,
            objected: _,
            compacted,
        } = self;
        Round {
            round: *round,
            opened: *opened,
            adults: *adults,
            scope: BTreeSet::new(),
            left: left.clone(),
            records: BTreeMap::new(),
            sheets: sheets.clone(),
            objected: BTreeMap::new(),
            compacted: Some(compacted.clone().unwrap_or_else(|| RoundSummary {
                tally: self.tally(),
                last_record: self.last_record(),
            })),
        }
    }

    pub fn tally(&self) -> RoundTally {
        if let Some(c) = &self.compacted {
            return c.tally.clone();
        }
        let mut t = RoundTally {
            adults: self.adults,
            in_scope: 0,
            consented: 0,
            objected: vec![],
            missing: vec![],
            no_evidence: vec![],
            uncovered_pages: vec![],
        };
        // Both are ordered by household: walked side by side, not looked up (this runs
        // over every household of a round when it is resolved and when it is compacted).
        let mut records = self.records.iter().peekable();
        for h in self.in_scope() {
            t.in_scope += 1;
            while records.next_if(|(k, _)| *k < h).is_some() {}
            let record = records.next_if(|(k, _)| *k == h).map(|(_, r)| r);
            match record {
                None => t.missing.push(h.clone()),
                Some(r) if r.opinion == Opinion::Object => t.objected.push(h.clone()),
                Some(r) => {
                    let evidenced =
                        r.evidence.is_some() || r.sheet_page.is_some_and(|p| self.page_covered(p));
                    if evidenced {
                        t.consented += 1;
                    } else {
                        t.no_evidence.push(h.clone());
                        if let Some(p) = r.sheet_page {
                            t.uncovered_pages.push(p);
                        }
                    }
                }
            }
        }
        t.uncovered_pages.sort_unstable();
        t.uncovered_pages.dedup();
        t
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    pub n: u32,
    pub date: NaiveDate,
    pub from: String,
    pub text: String,
    pub reply: Option<ReplyEvent>,
}

/// One step in a matter's history, as shown by `show`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub stage: Stage,
    pub idx: u64,
    pub event: Event,
}

/// A matter (事项) and everything recorded about it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Matter {
    pub id: String,
    pub title: String,
    pub text: String,
    pub category: Category,
    pub amount: Option<Fen>,
    pub by: Vec<String>,
    pub stage: Stage,
    /// The latest date recorded for this matter: later steps may not be dated before it.
    pub last_date: NaiveDate,
    pub steps: Vec<Step>,
    /// The plan as last adopted at 商议 (version counts 商议 rounds).
    pub plan_version: u32,
    pub plan: Option<String>,
    pub budget: Option<Fen>,
    pub funding: Option<String>,
    pub rounds: Vec<Round>,
    pub objections: Vec<Objection>,
    pub spent: Fen,
}

impl Matter {
    /// The latest date recorded for this matter that a new step may not precede, and what
    /// carries it: its steps (a posting photo aside: it never moved the matter's date), the
    /// consents standing in its rounds, its objections and their replies.
    ///
    /// Not the scans of signature sheets: they are filed when they are scanned, often after
    /// the resolution whose consents they show, so a scan filed today does not stop the
    /// resolution being recorded with its own, earlier, date. And not a consent since
    /// replaced by the household's corrected one: a consent recorded with a wrong date
    /// (today, `--date` left out) is put right by recording it again. Both only ever lower
    /// the bound `last_date` keeps, so every log the rules accepted before still passes.
    /// A closed matter's records may be compacted away: its closing step was dated on or
    /// after every standing consent, so the answer is the same.
    pub fn latest_dated(&self) -> (NaiveDate, DatedBy) {
        self.latest_dated_with(true)
    }

    /// [`Matter::latest_dated`], with the completion in force (`completions`), or, for a
    /// correction of it, the latest of the other steps alone: it stands in the place of
    /// the completion it corrects, whose date may be the mistake, so an objection or reply
    /// recorded since does not date it. A completion since corrected is never counted.
    pub fn latest_dated_with(&self, completions: bool) -> (NaiveDate, DatedBy) {
        let in_force = self
            .steps
            .iter()
            .rposition(|s| matches!(s.event, Event::Complete(_)))
            .filter(|_| completions);
        let mut latest: Option<(NaiveDate, DatedBy)> = None;
        // Of steps with equal dates, the last recorded is named; a consent, objection or
        // reply only when it is later than every step (a step is what the secretary knows
        // the matter by).
        let mut see = |date: NaiveDate, by: &dyn Fn() -> DatedBy, step: bool| {
            let later = latest
                .as_ref()
                .is_none_or(|(d, _)| date > *d || (step && date == *d));
            if later {
                latest = Some((date, by()));
            }
        };
        for (i, s) in self.steps.iter().enumerate() {
            let date = match &s.event {
                Event::Complete(_) if Some(i) != in_force => continue,
                Event::Motion(e) => e.date,
                Event::Proposal(e) | Event::Discussion(e) => e.date,
                Event::Review(e) | Event::Resolution(e) => e.date,
                Event::ConsultOpen(e) => e.date,
                Event::Publish(e) => e.date,
                Event::Implement(e) => e.date,
                Event::Complete(e) => e.date,
                Event::Revise(e) => {
                    see(e.date, &|| DatedBy::Revised, true);
                    continue;
                }
                Event::Withdraw(e) => e.date,
                _ => continue,
            };
            see(date, &|| DatedBy::Step(s.stage), true);
        }
        if !completions {
            return latest.unwrap_or((self.last_date, DatedBy::Step(self.stage)));
        }
        for r in &self.rounds {
            for (household, c) in &r.records {
                see(
                    c.date,
                    &|| DatedBy::Consent {
                        household: household.clone(),
                    },
                    false,
                );
            }
        }
        for o in &self.objections {
            see(o.date, &|| DatedBy::Objection { n: o.n }, false);
            if let Some(reply) = &o.reply {
                see(reply.date, &|| DatedBy::Reply { n: o.n }, false);
            }
        }
        latest.unwrap_or((self.last_date, DatedBy::Step(self.stage)))
    }

    /// Drops what only an open matter needs — each round's scope and per-household
    /// records, the household list of each 民议 opening — keeping every round's tally.
    /// For a replay that holds a decade in bounded memory (the verifier): once a matter is
    /// closed (`Stage::is_closed`) the rules never read these again (only objections and
    /// replies may follow, and they read the objections), and `show`'s view is unchanged
    /// (it prints tallies, not records). Not for a state that is stored or printed from.
    pub fn compact(&mut self) {
        *self = self.compacted();
    }

    /// What [`Matter::compact`] leaves, as a copy made without copying what it drops (the
    /// records and scopes): `check` keeps this and hands the whole matter to another
    /// thread, which compares its consent rows and digests its snapshot row.
    pub fn compacted(&self) -> Matter {
        // Every field named: a new one must be decided on here.
        let Matter {
            id,
            title,
            text,
            category,
            amount,
            by,
            stage,
            last_date,
            steps,
            plan_version,
            plan,
            budget,
            funding,
            rounds,
            objections,
            spent,
        } = self;
        Matter {
            id: id.clone(),
            title: title.clone(),
            text: text.clone(),
            category: *category,
            amount: *amount,
            by: by.clone(),
            stage: *stage,
            last_date: *last_date,
            steps: steps
                .iter()
                .map(|s| Step {
                    stage: s.stage,
                    idx: s.idx,
                    event: match &s.event {
                        Event::ConsultOpen(e) => Event::ConsultOpen(ConsultOpenEvent {
                            id: e.id.clone(),
                            date: e.date,
                            round: e.round,
                            households: Vec::new(),
                            adults: Vec::new(),
                            attachments: e.attachments.clone(),
                        }),
                        other => other.clone(),
                    },
                })
                .collect(),
            plan_version: *plan_version,
            plan: plan.clone(),
            budget: *budget,
            funding: funding.clone(),
            rounds: rounds.iter().map(Round::compacted).collect(),
            objections: objections.clone(),
            spent: *spent,
        }
    }

    /// Compacts each round no entry can add to any more — every round once the matter has
    /// moved on from 民议, all but the current one while it is there — and drops the
    /// household list of their 民议 openings (as [`Matter::compact`] does for a closed
    /// matter). For the same replays as `compact`: a resolved matter may wait a year for
    /// its result notice, and its 2,000 records are never read again (its notices print
    /// the tally and last record date that the round keeps). A lawful log cannot add to a
    /// past round; in a log that does (the verifier applies a refused step and reports it as
    /// `E-RULE`), the round keeps counting as it stood when its matter moved on.
    pub fn compact_past_rounds(&mut self) {
        let open = match self.stage {
            Stage::Consultation => self.rounds.last().map(|r| r.round),
            _ => None,
        };
        for r in &mut self.rounds {
            if r.compacted.is_none() && Some(r.round) != open {
                *r = r.compacted();
            }
        }
        for s in &mut self.steps {
            if let Event::ConsultOpen(e) = &mut s.event
                && Some(e.round) != open
                && !(e.households.is_empty() && e.adults.is_empty())
            {
                e.households = Vec::new();
                e.adults = Vec::new();
            }
        }
    }

    pub fn current_round(&self) -> Option<&Round> {
        self.rounds.last()
    }

    fn last_step(&self, stage: Stage) -> Option<&Step> {
        self.steps.iter().rev().find(|s| s.stage == stage)
    }

    pub fn published(&self, kind: NoticeKind) -> Option<&PublishEvent> {
        self.steps.iter().rev().find_map(|s| match &s.event {
            Event::Publish(p) if p.kind == kind => Some(p),
            _ => None,
        })
    }

    /// The budget 商议 adopted: the latest discussion that named one. (`budget` starts as
    /// the villagers' estimate in their motion, which no meeting adopted.)
    pub fn adopted_budget(&self) -> Option<Fen> {
        self.steps.iter().rev().find_map(|s| match &s.event {
            Event::Discussion(d) => d.budget,
            _ => None,
        })
    }

    pub fn resolution(&self) -> Option<&VoteEvent> {
        self.last_step(Stage::Resolution)
            .and_then(|s| match &s.event {
                Event::Resolution(v) => Some(v),
                _ => None,
            })
    }
}

/// Everything the rules need to judge the next entry.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub genesis: Option<Genesis>,
    /// The village key in force (hex), and every key ever used (never reused).
    pub key: Option<String>,
    pub past_keys: BTreeSet<String>,
    pub policy: Policy,
    /// Each change of the policy after `init`'s: (the day the new policy came into force —
    /// the day after it was recorded, China time —, the policy in force until then),
    /// oldest first. A day's meetings are judged by one policy whatever the order they and
    /// a change that day are typed in (a meeting date has no hour). A meeting is judged by
    /// the policy in force on its date ([`State::policy_on`]; rules of 2026-12-03): the
    /// village's rules of that day, not of the day it was typed in. Empty while the policy
    /// never changed.
    pub policy_changes: Vec<(NaiveDate, Policy)>,
    pub roster: RosterHistory,
    pub matters: BTreeMap<String, Matter>,
    /// Recorded matters whose state was not loaded (`crate::snapshot` loads only the
    /// matters a command needs; closed ones stay here). Empty after a full replay. The rules
    /// read other matters only to number a new motion (`next_id`), which counts both.
    pub unloaded: BTreeSet<String>,
    /// Entries applied so far (the next entry's index).
    pub size: u64,
    pub last_time: Option<DateTime<Utc>>,
    /// The objection contact as last changed after `init` (`None`: as the genesis names
    /// it).
    pub supervisor: Option<SupervisionEvent>,
}

/// Verifies a key rotation's signatures; supplied by the caller so the engine stays free
/// of cryptographic code (`crate::record` implements it).
pub type RotationVerifier = fn(&KeyRotateEvent, Option<&str>) -> Result<(), KeyRotationProblem>;

/// Rules that came in with liuyi on 2026-11-30 (a proxy's relation and written authority,
/// a roster change not dated back before an open matter's steps, a policy no laxer than
/// the law) judge entries recorded from that day on (China time). An entry recorded before
/// is judged by the rules it was recorded under, as a policy entry's rules apply from the
/// entry on (SPEC §3): a record kept by an earlier liuyi checks, exports and verifies as
/// it did.
pub fn under_rules_of_2026_11_30(time: DateTime<Utc>) -> bool {
    time >= RULES_OF_2026_11_30
}

const RULES_OF_2026_11_30: DateTime<Utc> =
    DateTime::from_timestamp(1_795_968_000, 0).expect("2026-11-30T00:00:00+08:00 is a valid time");

/// Rules that came in with liuyi on 2026-12-03: a roster change does not take out of an
/// open 民议's scope a household or person that has not consented while its people are
/// still in the village under another household number (`Refusal::ScopeLeftByMove`).
/// An entry recorded before is judged as it was.
pub fn under_rules_of_2026_12_03(time: DateTime<Utc>) -> bool {
    time >= RULES_OF_2026_12_03
}

const RULES_OF_2026_12_03: DateTime<Utc> =
    DateTime::from_timestamp(1_796_227_200, 0).expect("2026-12-03T00:00:00+08:00 is a valid time");

/// Rules that came in with liuyi on 2026-12-02 (what the record may hold as text and as
/// files: `rules::text`) judge entries recorded from that day on (China time). Recording
/// has refused what they refuse since 2026-12-01, by the command's own checks; a replay
/// (`check`, `verify`) now refuses it in a signed entry too. An entry recorded before is
/// judged as it was.
pub fn under_rules_of_2026_12_02(time: DateTime<Utc>) -> bool {
    time >= RULES_OF_2026_12_02
}

const RULES_OF_2026_12_02: DateTime<Utc> =
    DateTime::from_timestamp(1_796_140_800, 0).expect("2026-12-02T00:00:00+08:00 is a valid time");

fn check_date(date: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    if date > today {
        Err(Refusal::DateInFuture { date, today })
    } else {
        Ok(())
    }
}

fn nonempty(s: &str, field: &'static str) -> Result<(), Refusal> {
    if s.trim().is_empty() {
        Err(Refusal::EmptyField { field })
    } else {
        Ok(())
    }
}

impl State {
    /// The objection contact in force, (contact, phone): as last changed after `init`,
    /// else as the genesis names it.
    pub fn objection_contact(&self) -> (Option<&str>, Option<&str>) {
        match (&self.supervisor, &self.genesis) {
            (Some(e), _) => (e.supervisor.as_deref(), e.phone.as_deref()),
            (None, Some(g)) => (g.supervisor.as_deref(), g.phone.as_deref()),
            (None, None) => (None, None),
        }
    }

    pub fn origin(&self) -> Option<&str> {
        self.genesis.as_ref().map(|g| g.origin.as_str())
    }

    pub fn matter(&self, id: &str) -> Result<&Matter, Refusal> {
        self.matters
            .get(id)
            .ok_or_else(|| Refusal::UnknownMatter { id: id.to_string() })
    }

    /// The ID the next motion dated `date` gets: `YYYY-NNN`, numbered within the year.
    pub fn next_id(&self, date: NaiveDate) -> String {
        let prefix = format!("{:04}-", date.year());
        let n = self
            .matters
            .keys()
            .chain(self.unloaded.iter())
            .filter(|k| k.starts_with(&prefix))
            .count()
            + 1;
        format!("{prefix}{n:03}")
    }

    /// The roster in force on `date`, or the refusal that says there is none.
    pub fn roster_on(&self, date: NaiveDate) -> Result<&Roster, Refusal> {
        self.roster.on(date).ok_or(Refusal::NoRoster {
            date,
            first: self.roster.first_date(),
        })
    }

    /// The adults a 民议 opened on `date` asks, as `HOUSEHOLD:NAME` (every adult of an active
    /// household, from the roster in force then), when the policy in force counts adults;
    /// none when it counts households.
    pub fn scope_adults(&self, date: NaiveDate) -> Result<Vec<String>, Refusal> {
        Ok(match self.policy.consultation_unit {
            ConsultationUnit::Households => Vec::new(),
            ConsultationUnit::Adults => {
                let roster = self.roster_on(date)?;
                roster.adults(date).iter().map(|p| p.key()).collect()
            }
        })
    }

    /// 应到 for a meeting on `date`, from the roster in force then.
    pub fn expected(&self, meeting: Meeting, date: NaiveDate) -> Result<u64, Refusal> {
        let r = self.roster_on(date)?;
        Ok(match meeting {
            Meeting::BranchCommittee => r.branch_committee().len(),
            Meeting::TwoCommittees => r.two_committees().len(),
            Meeting::PartyMembers => r.voting_party_members().len(),
            Meeting::Representatives => r.representatives_assembly().len(),
            Meeting::Villagers => r.adults(date).len(),
        } as u64)
    }

    /// Checks and applies one event: the single entry point for recording and replay.
    pub fn step(
        &mut self,
        time: DateTime<Utc>,
        event: &Event,
        verify_rotation: RotationVerifier,
    ) -> Result<(), Refusal> {
        self.check(time, event, verify_rotation)?;
        self.apply(time, event);
        Ok(())
    }

    /// Like [`State::step`], taking the event: a household's consent record is then kept
    /// as it came instead of copied (nearly every entry of a decade is one).
    pub fn step_owned(
        &mut self,
        time: DateTime<Utc>,
        event: Event,
        verify_rotation: RotationVerifier,
    ) -> Result<(), (Refusal, Event)> {
        if let Err(r) = self.check(time, &event, verify_rotation) {
            return Err((r, event));
        }
        self.apply_owned(time, event);
        Ok(())
    }

    /// Like [`State::apply`], taking the event (see [`State::step_owned`]).
    pub fn apply_owned(&mut self, time: DateTime<Utc>, event: Event) {
        let Event::Consent(c) = event else {
            self.apply(time, &event);
            return;
        };
        // What `apply` does for a consent, with the record moved in.
        self.size += 1;
        self.last_time = Some(time);
        if let Some(m) = self.matters.get_mut(&c.id) {
            record_consent(m, c, under_rules_of_2026_12_03(time));
        }
    }

    /// Whether `event`, stamped `time`, may be appended as entry number `self.size`.
    pub fn check(
        &self,
        time: DateTime<Utc>,
        event: &Event,
        verify_rotation: RotationVerifier,
    ) -> Result<(), Refusal> {
        self.check_as(
            time,
            event,
            verify_rotation,
            under_rules_of_2026_11_30(time),
            under_rules_of_2026_12_02(time),
            under_rules_of_2026_12_03(time),
        )
    }

    /// [`State::check`] for an event being recorded now: the rules of 2026-11-30 and of
    /// 2026-12-02 hold whatever the clock says, so a computer whose clock is set back before that day
    /// records nothing they refuse (replaying judges the entry by its time, as
    /// [`State::check`] does, so a record kept by an earlier liuyi still checks).
    pub fn check_recording(
        &self,
        time: DateTime<Utc>,
        event: &Event,
        verify_rotation: RotationVerifier,
    ) -> Result<(), Refusal> {
        self.check_as(time, event, verify_rotation, true, true, true)
    }

    fn check_as(
        &self,
        time: DateTime<Utc>,
        event: &Event,
        verify_rotation: RotationVerifier,
        rules_2026_11_30: bool,
        rules_2026_12_02: bool,
        rules_2026_12_03: bool,
    ) -> Result<(), Refusal> {
        if let Some(last) = self.last_time
            && time < last
        {
            return Err(Refusal::ClockBehind { last, now: time });
        }
        if rules_2026_12_02 && let Some(r) = super::text::problem(event) {
            return Err(r);
        }
        let today = local_date(time);
        // Which policy judges a meeting: (by its date, by the one current): see
        // `policies_for`.
        let by = (rules_2026_12_03, !under_rules_of_2026_12_03(time));
        match event {
            Event::Genesis(_) => {
                if self.size != 0 {
                    return Err(Refusal::NotGenesis { idx: self.size });
                }
                Ok(())
            }
            _ if self.genesis.is_none() => Err(Refusal::GenesisMissing),
            Event::Policy(p) => {
                if let Some((field, value)) = p.policy.invalid() {
                    return Err(Refusal::InvalidPolicy { field, value });
                }
                // Not while a 民议 round is open: the households were asked, and objected or
                // not, under the share in force (a share lowered once an objection is known
                // would pass it).
                let (from, to) = (
                    self.policy.consultation_consent,
                    p.policy.consultation_consent,
                );
                if rules_2026_12_03
                    && from != to
                    && let Some((m, round)) = self
                        .matters
                        .values()
                        .filter(|m| m.stage == Stage::Consultation)
                        .find_map(|m| Some((m, m.current_round()?)))
                {
                    return Err(Refusal::ConsentShareDuringRound {
                        id: m.id.clone(),
                        round: round.round,
                        from,
                        to,
                    });
                }
                match p.policy.below_law() {
                    Some((rule, floor)) if rules_2026_11_30 => {
                        Err(Refusal::PolicyBelowLaw { rule, floor })
                    }
                    _ => Ok(()),
                }
            }
            Event::KeyRotate(k) => self.check_rotation(k, today, verify_rotation),
            Event::Supervision(s) => {
                check_date(s.date, today)?;
                if let Some(last) = self.supervisor.as_ref().map(|p| p.date)
                    && s.date < last
                {
                    return Err(Refusal::SupervisionDateBackwards { date: s.date, last });
                }
                if s.supervisor.is_none() && s.phone.is_none() {
                    return Err(Refusal::SupervisionEmpty);
                }
                for (v, field) in [(&s.supervisor, "supervisor"), (&s.phone, "phone")] {
                    if let Some(v) = v {
                        nonempty(v, field)?;
                    }
                }
                Ok(())
            }
            Event::Roster(r) => self.check_roster(r, today, rules_2026_11_30, rules_2026_12_03),
            Event::Motion(m) => self.check_motion(m, today),
            Event::Proposal(m) => self.under_policies(m.date, by, |pol| {
                self.check_meeting(m, today, Action::Propose, Meeting::BranchCommittee, pol)
            }),
            Event::Discussion(m) => {
                self.under_policies(m.date, by, |pol| {
                    self.check_meeting(m, today, Action::Discuss, Meeting::TwoCommittees, pol)
                })?;
                // The funding it adopts against its budget, as the notices will print it
                // (rules of 2026-12-02; `discuss` refused the same before, so a record an
                // earlier liuyi kept holds none). How a text names its amounts is judged
                // when it is recorded only: liuyi refused less of it before 2026-12-01.
                if rules_2026_12_02 && m.decision == Decision::Adopt {
                    let mt = self.matter(&m.id)?;
                    let text = m.funding.as_deref().or(mt.funding.as_deref());
                    let budget = m.budget.or(mt.adopted_budget());
                    if let Some(p) = super::funding::problem(None, text, budget) {
                        return Err(Refusal::Funding(p));
                    }
                }
                Ok(())
            }
            Event::Review(v) => {
                self.under_policies(v.date, by, |pol| self.check_review(v, today, pol))
            }
            Event::ConsultOpen(o) => {
                // A round is asked under the 民议 share and unit in force on its opening day
                // and keeps them (they do not change while it is open): one dated back
                // before the day the rules in force now took effect would be judged by
                // rules its day did not have (rules of 2026-12-03).
                if by.0
                    && let Some(since) = self.consultation_rules_since(o.date)
                {
                    return Err(Refusal::OpenBeforeConsultationRule {
                        id: o.id.clone(),
                        date: o.date,
                        since,
                    });
                }
                self.check_open(o, today)
            }
            Event::Consent(c) => self.check_consent(c, today, rules_2026_11_30, rules_2026_12_03),
            Event::Sheet(s) => self.check_sheet(s, today),
            Event::Resolution(v) => {
                self.under_policies(v.date, by, |pol| self.check_resolution(v, today, pol))
            }
            Event::Publish(p) => {
                self.under_policies(p.date, by, |pol| self.check_publish(p, today, pol))
            }
            Event::Posted(p) => self.check_posted(p, today),
            Event::Objection(o) => self.check_objection(o, today),
            Event::Reply(r) => self.check_reply(r, today),
            Event::Implement(i) => {
                let m = self.at(&i.id, Action::Implement, i.date, today)?;
                nonempty(&i.note, "note")?;
                if i.spent.is_some_and(|s| s < 0) {
                    return Err(Refusal::NegativeAmount { field: "spent" });
                }
                let _ = m;
                Ok(())
            }
            Event::Complete(c) => {
                self.check_completion(c, today)?;
                if c.spent < 0 || c.spent_by.iter().any(|s| s.amount < 0) {
                    return Err(Refusal::NegativeAmount { field: "spent" });
                }
                if !c.spent_by.is_empty() {
                    let sum: Fen = c.spent_by.iter().map(|s| s.amount).sum();
                    if sum != c.spent {
                        return Err(Refusal::SpentBreakdown {
                            total: c.spent,
                            sum,
                        });
                    }
                }
                if c.accepted_by.iter().all(|a| a.trim().is_empty()) {
                    return Err(Refusal::EmptyField {
                        field: "accepted_by",
                    });
                }
                Ok(())
            }
            Event::Revise(r) => {
                self.at(&r.id, Action::Revise, r.date, today)?;
                nonempty(&r.reason, "reason")
            }
            Event::Withdraw(r) => {
                self.at(&r.id, Action::Withdraw, r.date, today)?;
                nonempty(&r.reason, "reason")
            }
        }
    }

    /// A completion: at a stage it may be recorded at, and dated on or after the matter's
    /// dates. Recorded again once completed (before the result notice), it corrects the
    /// last completion: it names that entry and says why, and it is dated by the matter's
    /// other dates, not by the completion it replaces (whose date may be the mistake).
    fn check_completion(&self, c: &CompleteEvent, today: NaiveDate) -> Result<(), Refusal> {
        let m = self.at_stage(&c.id, Action::Complete, c.date, today)?;
        let last = m
            .steps
            .iter()
            .rev()
            .find(|s| matches!(s.event, Event::Complete(_)))
            .map(|s| s.idx);
        let correcting = m.stage == Stage::Completed;
        if (correcting && c.corrects != last) || (!correcting && c.corrects.is_some()) {
            return Err(Refusal::CorrectionTarget {
                id: c.id.clone(),
                expected: last.filter(|_| correcting),
                given: c.corrects,
            });
        }
        if !correcting {
            if c.correction.is_some() {
                return Err(Refusal::CorrectionTarget {
                    id: c.id.clone(),
                    expected: None,
                    given: None,
                });
            }
            self.at(&c.id, Action::Complete, c.date, today)?;
            return Ok(());
        }
        nonempty(c.correction.as_deref().unwrap_or_default(), "correction")?;
        let (bound, by) = m.latest_dated_with(false);
        if c.date < bound {
            return Err(Refusal::DateBackwards {
                id: c.id.clone(),
                date: c.date,
                last: bound,
                by,
            });
        }
        Ok(())
    }

    /// The matter `id`, if `action` is allowed at its stage on `date`.
    fn at(
        &self,
        id: &str,
        action: Action,
        date: NaiveDate,
        today: NaiveDate,
    ) -> Result<&Matter, Refusal> {
        let m = self.at_stage(id, action, date, today)?;
        // `last_date` bounds what `latest_dated` finds (every date it reads raised it), and
        // it is kept as entries are applied: a step on or after it needs no walk over the
        // matter's records.
        if date >= m.last_date {
            return Ok(m);
        }
        let (last, by) = m.latest_dated();
        if date < last {
            return Err(Refusal::DateBackwards {
                id: id.to_string(),
                date,
                last,
                by,
            });
        }
        Ok(m)
    }

    fn check_rotation(
        &self,
        k: &KeyRotateEvent,
        today: NaiveDate,
        verify: RotationVerifier,
    ) -> Result<(), Refusal> {
        check_date(k.date, today)?;
        let why = |why| Refusal::KeyRotation { why };
        if self.key.as_deref() != Some(k.old.as_str()) {
            return Err(why(KeyRotationProblem::OldIsNotCurrent));
        }
        if k.old == k.new {
            return Err(why(KeyRotationProblem::SameKey));
        }
        if self.past_keys.contains(&k.new) {
            return Err(why(KeyRotationProblem::KeyReused));
        }
        nonempty(&k.reason, "reason")?;
        verify(k, None).map_err(why)
    }

    fn check_roster(
        &self,
        r: &RosterEvent,
        today: NaiveDate,
        rules_2026_11_30: bool,
        rules_2026_12_03: bool,
    ) -> Result<(), Refusal> {
        check_date(r.date, today)?;
        if let Some(last) = self.roster.latest_date()
            && r.date < last
        {
            return Err(Refusal::RosterDateBackwards { date: r.date, last });
        }
        // Nor before what an open matter recorded against the roster of its day. (Closed
        // matters are not loaded by a writing command, so they cannot bind it alike.)
        for m in self
            .matters
            .values()
            .filter(|m| rules_2026_11_30 && !m.stage.is_closed() && r.date < m.last_date)
        {
            let (last, by) = m.latest_dated();
            if r.date < last {
                return Err(Refusal::RosterBeforeStep {
                    date: r.date,
                    id: m.id.clone(),
                    last,
                    by,
                });
            }
        }
        if r.changes.is_empty() {
            return Err(Refusal::NoChanges);
        }
        let mut next = self.roster.latest().cloned().unwrap_or_default();
        next.apply(&r.changes)
            .map_err(|key| Refusal::RosterInconsistent { key })?;
        // Only who left an open round's scope and is active again comes back into it.
        for (id, households) in &r.returns {
            let returning = self
                .matters
                .get(id)
                .filter(|m| m.stage == Stage::Consultation)
                .and_then(|m| m.current_round())
                .map(|round| round.returning(&next))
                .unwrap_or_default();
            if let Some(h) = households.iter().find(|h| !returning.contains(h)) {
                return Err(Refusal::NotReturning {
                    id: id.clone(),
                    household: h.clone(),
                });
            }
        }
        if rules_2026_12_03 {
            self.check_moves(&next)?;
        }
        if r.reason.as_deref().is_none_or(|s| s.trim().is_empty()) {
            for m in self
                .matters
                .values()
                .filter(|m| m.stage == Stage::Consultation)
            {
                if let Some(round) = m.current_round() {
                    let leaving = round.leaving(&next);
                    if !leaving.is_empty() {
                        return Err(Refusal::ScopeLeftWithoutReason {
                            id: m.id.clone(),
                            households: leaving,
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// SPEC §1: a household leaves 民议's scope only by merging, moving out or having no
    /// members left. One whose people (as the round opened) are still in the village under
    /// another household number (renumbered, split off, merged, now or by an earlier change)
    /// has not left: if it objected, its objection stands until the matter is revised; if it
    /// has not consented (with its signature on record), it is asked under its number first
    /// — a merge into a household of the round's scope aside: that household speaks for it.
    /// A household that consented may go: its consent stays in the record. Nor are the
    /// people of a household that objected deleted from the roster (as an entry made in
    /// error) while the round is open: it signed. And one of the people of a household that
    /// left scope, coming back into the village, comes back under its number (it returns
    /// into scope, `returns`), not under one outside the scope. A person is known across
    /// households by name and birth date.
    fn check_moves(&self, next: &Roster) -> Result<(), Refusal> {
        let Some(before) = self.roster.latest() else {
            return Ok(());
        };
        for m in self
            .matters
            .values()
            .filter(|m| m.stage == Stage::Consultation)
        {
            let Some(round) = m.current_round() else {
                continue;
            };
            // The roster as the round opened: the version of its day, and the one before
            // it (a day's imports are kept as one version, so changes made later that day
            // are in the first).
            let at_open: Vec<&Roster> = [round.opened.pred_opt(), Some(round.opened)]
                .into_iter()
                .flatten()
                .filter_map(|d| self.roster.on(d))
                .collect();
            let scope_key = |q: &super::people::Person| match round.adults {
                true => q.key(),
                false => q.household.clone(),
            };
            // The people of a scope key as the round opened.
            let people_of = |key: &str| -> Vec<&super::people::Person> {
                let mut people: Vec<&super::people::Person> = Vec::new();
                for r in &at_open {
                    let found: Vec<&super::people::Person> = match key.split_once(':') {
                        Some((household, name)) => r.get(household, name).into_iter().collect(),
                        None => r.members_of(key),
                    };
                    for p in found.into_iter().filter(|p| p.status.active()) {
                        if !people
                            .iter()
                            .any(|q| q.name == p.name && q.household == p.household)
                        {
                            people.push(p);
                        }
                    }
                }
                people
            };
            // Where `p` is in the village on `next` under another scope key than `key`.
            let elsewhere = |p: &super::people::Person, key: &str| {
                next.people().find(|q| {
                    q.status.active()
                        && q.name == p.name
                        && q.birth_date == p.birth_date
                        && scope_key(q) != key
                })
            };
            let outside = |to: &str| !round.in_scope().any(|k| k == to);
            let leaving = round.leaving(next);
            for key in &leaving {
                if round.consented(key) {
                    continue;
                }
                let objected = round
                    .records
                    .get(key)
                    .is_some_and(|c| c.opinion == Opinion::Object);
                if objected {
                    let members: Vec<&super::people::Person> = match key.split_once(':') {
                        Some((household, name)) => {
                            before.get(household, name).into_iter().collect()
                        }
                        None => before.members_of(key),
                    };
                    if let Some(p) = members.into_iter().find(|p| {
                        p.status.active()
                            && next.get(&p.household, &p.name).is_none()
                            && elsewhere(p, key).is_none()
                    }) {
                        return Err(Refusal::ObjectorDeleted {
                            id: m.id.clone(),
                            round: round.round,
                            key: key.clone(),
                            person: p.key(),
                        });
                    }
                }
                for p in people_of(key) {
                    if let Some(q) = elsewhere(p, key)
                        && (objected || outside(&scope_key(q)))
                    {
                        return Err(Refusal::ScopeLeftByMove {
                            id: m.id.clone(),
                            round: round.round,
                            key: key.clone(),
                            person: p.key(),
                            to: q.household.clone(),
                            objected,
                        });
                    }
                }
            }
            // Those that left by an earlier change: their people back in the village, now,
            // under a number outside the scope.
            // (One active again under its own number returns, by `returns`.)
            let returning = round.returning(next);
            for key in round.left.keys().filter(|k| !returning.contains(*k)) {
                if round.consented(key) {
                    continue;
                }
                for p in people_of(key) {
                    if let Some(q) = elsewhere(p, key)
                        && outside(&scope_key(q))
                        && !before
                            .get(&q.household, &q.name)
                            .is_some_and(|b| b.status.active())
                    {
                        return Err(Refusal::ScopeReturnElsewhere {
                            id: m.id.clone(),
                            round: round.round,
                            key: key.clone(),
                            person: p.key(),
                            to: q.household.clone(),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn check_motion(&self, m: &MotionEvent, today: NaiveDate) -> Result<(), Refusal> {
        check_date(m.date, today)?;
        let expected = self.next_id(m.date);
        if m.id != expected {
            return Err(Refusal::WrongId {
                id: m.id.clone(),
                expected,
            });
        }
        nonempty(&m.title, "title")?;
        nonempty(&m.text, "text")?;
        if m.amount.is_some_and(|a| a < 0) {
            return Err(Refusal::NegativeAmount { field: "amount" });
        }
        if m.by.is_empty() {
            return Err(Refusal::EmptyField { field: "by" });
        }
        let roster = self.roster_on(m.date)?;
        for key in &m.by {
            let (hh, name) = key.split_once(':').unwrap_or(("", key));
            let p = roster
                .get(hh, name)
                .ok_or_else(|| Refusal::ProposerUnknown { name: key.clone() })?;
            if !p.status.active() {
                return Err(Refusal::ProposerInactive { name: key.clone() });
            }
            if !p.is_adult_on(m.date) {
                return Err(Refusal::ProposerMinor {
                    name: key.clone(),
                    age: p.age_on(m.date),
                });
            }
        }
        Ok(())
    }

    /// 应到 recorded must equal the roster's, and present must be possible and a quorum.
    fn check_attendance(
        &self,
        meeting: Meeting,
        date: NaiveDate,
        expected: u64,
        present: u64,
        quorum: Threshold,
    ) -> Result<(), Refusal> {
        let roster_expected = self.expected(meeting, date)?;
        if roster_expected == 0 {
            return Err(Refusal::NoMembers { meeting, date });
        }
        if expected != roster_expected {
            return Err(Refusal::ExpectedMismatch {
                meeting,
                recorded: expected,
                roster: roster_expected,
            });
        }
        if present > expected {
            return Err(Refusal::PresentOverExpected {
                meeting,
                present,
                expected,
            });
        }
        if !quorum.met(present, expected) {
            return Err(Refusal::Quorum {
                meeting,
                present,
                expected,
                threshold: quorum,
            });
        }
        Ok(())
    }

    fn check_meeting(
        &self,
        m: &MeetingEvent,
        today: NaiveDate,
        action: Action,
        meeting: Meeting,
        pol: &Policy,
    ) -> Result<(), Refusal> {
        self.at(&m.id, action, m.date, today)?;
        let quorum = match meeting {
            Meeting::BranchCommittee => pol.proposal_quorum,
            _ => pol.discussion_quorum,
        };
        self.check_attendance(meeting, m.date, m.expected, m.present, quorum)?;
        if m.decision == Decision::Decline
            && m.reason.as_deref().is_none_or(|r| r.trim().is_empty())
        {
            return Err(Refusal::DeclineNeedsReason);
        }
        for (v, field) in [(m.budget, "budget")] {
            if v.is_some_and(|v| v < 0) {
                return Err(Refusal::NegativeAmount { field });
            }
        }
        Ok(())
    }

    fn check_votes(v: &VoteEvent) -> Result<(), Refusal> {
        if v.for_ + v.against + v.abstain > v.present {
            return Err(Refusal::VotesOverPresent {
                for_: v.for_,
                against: v.against,
                abstain: v.abstain,
                present: v.present,
            });
        }
        Ok(())
    }

    /// An adopted vote must pass; a declined one must not have passed.
    /// A meeting that declines says why, in writing.
    fn decline_reason(v: &VoteEvent) -> Result<(), Refusal> {
        if v.decision == Decision::Decline
            && v.reason.as_deref().is_none_or(|r| r.trim().is_empty())
        {
            return Err(Refusal::DeclineNeedsReason);
        }
        Ok(())
    }

    fn check_outcome(
        v: &VoteEvent,
        meeting: Meeting,
        base: u64,
        base_is: VoteBase,
        threshold: Threshold,
    ) -> Result<(), Refusal> {
        Self::decline_reason(v)?;
        let passed = threshold.met(v.for_, base);
        match (v.decision, passed) {
            (Decision::Adopt, false) => Err(Refusal::VoteFailed {
                meeting,
                for_: v.for_,
                base,
                base_is,
                threshold,
            }),
            (Decision::Decline, true) => Err(Refusal::DeclineContradictsVote {
                meeting,
                for_: v.for_,
                base,
                base_is,
            }),
            _ => Ok(()),
        }
    }

    fn check_review(&self, v: &VoteEvent, today: NaiveDate, pol: &Policy) -> Result<(), Refusal> {
        self.at(&v.id, Action::Review, v.date, today)?;
        let meeting = Meeting::PartyMembers;
        self.check_attendance(meeting, v.date, v.expected, v.present, pol.review_quorum)?;
        Self::check_votes(v)?;
        Self::check_outcome(v, meeting, v.expected, VoteBase::Expected, pol.review_pass)
    }

    fn check_open(&self, o: &ConsultOpenEvent, today: NaiveDate) -> Result<(), Refusal> {
        let m = self.at(&o.id, Action::ConsultOpen, o.date, today)?;
        let expected = m.rounds.len() as u32 + 1;
        if o.round != expected {
            return Err(Refusal::RoundMismatch {
                id: o.id.clone(),
                round: o.round,
                expected,
            });
        }
        let roster = self.roster_on(o.date)?;
        let scope = roster.active_household_ids();
        let mut recorded: Vec<&str> = o.households.iter().map(String::as_str).collect();
        recorded.sort_unstable();
        // Each household once, and exactly the roster's.
        if recorded != scope {
            return Err(Refusal::ScopeMismatch {
                id: o.id.clone(),
                recorded: o.households.len(),
                roster: scope.len(),
            });
        }
        // When 民议 counts adults, each adult of those households once, and exactly the
        // roster's on the opening day; else none.
        let adults = self.scope_adults(o.date)?;
        let mut recorded: Vec<&String> = o.adults.iter().collect();
        recorded.sort_unstable();
        let mut expected: Vec<&String> = adults.iter().collect();
        expected.sort_unstable();
        if recorded != expected {
            return Err(Refusal::AdultsScopeMismatch {
                id: o.id.clone(),
                recorded: o.adults.len(),
                roster: adults.len(),
            });
        }
        if scope.is_empty()
            || (self.policy.consultation_unit == ConsultationUnit::Adults && adults.is_empty())
        {
            return Err(Refusal::NoMembers {
                meeting: Meeting::Villagers,
                date: o.date,
            });
        }
        Ok(())
    }

    fn open_round(
        &self,
        id: &str,
        round: u32,
        action: Action,
    ) -> Result<(&Matter, &Round), Refusal> {
        let m = self.matter(id)?;
        if !action.allowed(m.stage) {
            return Err(Refusal::WrongStage {
                id: id.to_string(),
                stage: m.stage,
                action,
            });
        }
        let r = m.current_round().ok_or(Refusal::WrongStage {
            id: id.to_string(),
            stage: m.stage,
            action,
        })?;
        if r.round != round {
            return Err(Refusal::RoundMismatch {
                id: id.to_string(),
                round,
                expected: r.round,
            });
        }
        Ok((m, r))
    }

    fn check_consent(
        &self,
        c: &ConsentEvent,
        today: NaiveDate,
        rules_2026_11_30: bool,
        rules_2026_12_03: bool,
    ) -> Result<(), Refusal> {
        let (_, r) = self.open_round(&c.id, c.round, Action::ConsultRecord)?;
        check_date(c.date, today)?;
        if c.date < r.opened {
            return Err(Refusal::DateBackwards {
                id: c.id.clone(),
                date: c.date,
                last: r.opened,
                by: DatedBy::Step(Stage::Consultation),
            });
        }
        // A person is named when, and only when, the round counts adults.
        if r.adults != c.person.is_some() {
            return Err(Refusal::ConsultationUnitMismatch {
                id: c.id.clone(),
                adults: r.adults,
                household: c.household.clone(),
            });
        }
        let key = c.key();
        if let Some(reason) = r.left.get(key.as_ref()) {
            return Err(Refusal::LeftScope {
                id: c.id.clone(),
                household: key.into_owned(),
                reason: reason.clone(),
            });
        }
        if !r.scope.contains(key.as_ref()) {
            // A number that lost its leading zeros (Excel reads a 户号 column as numbers)
            // and stands for exactly one household in scope: say which.
            let meant = (!key.contains(':') && key.bytes().all(|b| b.is_ascii_digit()))
                .then(|| {
                    let digits = key.trim_start_matches('0');
                    let mut like = r.scope.iter().filter(|s| {
                        !r.left.contains_key(s.as_str())
                            && s.len() > key.len()
                            && s.bytes().all(|b| b.is_ascii_digit())
                            && s.trim_start_matches('0') == digits
                    });
                    match (like.next(), like.next()) {
                        (Some(one), None) => Some(one.clone()),
                        _ => None,
                    }
                })
                .flatten();
            return Err(Refusal::NotInScope {
                id: c.id.clone(),
                household: key.into_owned(),
                meant,
            });
        }
        nonempty(&c.signer, "signer")?;
        // An adult present or reached remotely signs for themself.
        if let Some(person) = &c.person
            && matches!(c.method, Method::InPerson | Method::Remote)
            && c.signer != *person
        {
            return Err(Refusal::SignerNotThePerson {
                household: c.household.clone(),
                person: person.clone(),
                signer: c.signer.clone(),
            });
        }
        // A member of the household signs as one; anyone else only by proxy (委托). No
        // member the roster on the day lists as deceased or moved out signs for it, and a
        // member who is a minor does not sign for it by proxy either. (A proxy from outside
        // is not looked up: a name alone does not tell a namesake. Before 2026-11-30 a
        // proxy was not looked up at all.)
        let by_proxy = c.method == Method::Proxy;
        let roster = self.roster_on(c.date)?;
        match roster
            .get(&c.household, &c.signer)
            .filter(|_| !by_proxy || rules_2026_11_30)
        {
            Some(p) if !p.status.active() => {
                return Err(Refusal::SignerGone {
                    household: c.household.clone(),
                    signer: c.signer.clone(),
                    status: p.status,
                });
            }
            // The household is represented by its head or by an adult member.
            Some(p) if p.relation != HEAD_OF_HOUSEHOLD && !p.is_adult_on(c.date) => {
                return Err(Refusal::SignerNotAdult {
                    household: c.household.clone(),
                    signer: c.signer.clone(),
                    age: p.age_on(c.date),
                });
            }
            Some(_) => {}
            None if by_proxy => {}
            None => {
                return Err(Refusal::SignerNotInHousehold {
                    household: c.household.clone(),
                    signer: c.signer.clone(),
                });
            }
        }
        if by_proxy && rules_2026_11_30 {
            // 签字留痕 for a proxy: who they are to the household, and the written
            // authorisation behind a consent.
            if c.relation.as_deref().is_none_or(|s| s.trim().is_empty()) {
                return Err(Refusal::ProxyNeedsRelation {
                    household: c.key().into_owned(),
                });
            }
            if c.opinion == Opinion::Consent && c.evidence.is_none() {
                return Err(Refusal::ProxyNeedsMandate {
                    household: c.key().into_owned(),
                });
            }
        }
        // An objection stands until the household (in a round of adults, the villager) takes
        // it back itself, on or after the day it objected (rules of 2026-12-03): a record
        // dated before it, or signed by a proxy, or for a villager by another member, does
        // not replace it (it did, and the matter was resolved before the objection was made),
        // unless that proxy or member is the one who objected for them.
        // The day of its latest objection is a floor for every later record of the key,
        // even once the objection is taken back (a consent dated on or after it, then
        // "corrected" to a day before, resolved the matter before the objection).
        if rules_2026_12_03
            && let Some(&objected) = r.objected.get(key.as_ref())
            && c.date < objected
        {
            return Err(Refusal::ObjectionStands {
                id: c.id.clone(),
                household: key.into_owned(),
                objected,
                problem: ObjectionWithdrawal::Earlier { date: c.date },
            });
        }
        if rules_2026_12_03
            && let Some(prev) = r.records.get(key.as_ref())
            && prev.opinion == Opinion::Object
        {
            let problem = if c.date < prev.date {
                Some(ObjectionWithdrawal::Earlier { date: c.date })
            } else if (c.method == Method::Proxy || (r.adults && !c.method.own()))
                // The one who objected for them (a proxy) may take it back as they gave it,
                // or restate it; nobody else replaces it, by a consent or by an objection
                // of their own (which made them the one who objected).
                && !(c.method == prev.method && c.signer == prev.signer)
            {
                Some(ObjectionWithdrawal::NotByItself {
                    signer: c.signer.clone(),
                    method: c.method,
                })
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(Refusal::ObjectionStands {
                    id: c.id.clone(),
                    household: key.into_owned(),
                    objected: prev.date,
                    problem,
                });
            }
        }
        match c.opinion {
            Opinion::Object if c.reason.as_deref().is_none_or(|s| s.trim().is_empty()) => {
                Err(Refusal::ObjectionNeedsReason {
                    household: c.key().into_owned(),
                })
            }
            Opinion::Consent if c.evidence.is_none() && c.sheet_page.is_none() => {
                Err(Refusal::ConsentNeedsEvidence {
                    household: c.key().into_owned(),
                })
            }
            _ if c.sheet_page == Some(0) => Err(Refusal::BadPages { first: 0, last: 0 }),
            _ => Ok(()),
        }
    }

    fn check_sheet(&self, s: &SheetEvent, today: NaiveDate) -> Result<(), Refusal> {
        let (_, r) = self.open_round(&s.id, s.round, Action::ConsultAttach)?;
        check_date(s.date, today)?;
        if s.date < r.opened {
            return Err(Refusal::DateBackwards {
                id: s.id.clone(),
                date: s.date,
                last: r.opened,
                by: DatedBy::Step(Stage::Consultation),
            });
        }
        if s.first_page == 0 || s.first_page > s.last_page {
            return Err(Refusal::BadPages {
                first: s.first_page,
                last: s.last_page,
            });
        }
        Ok(())
    }

    /// The 民议 share is the one in force (it cannot change while a round is open, and a
    /// round does not open on a day under another: `check_open`); the meeting's own rules
    /// are `pol`'s.
    fn check_resolution(
        &self,
        v: &VoteEvent,
        today: NaiveDate,
        pol: &Policy,
    ) -> Result<(), Refusal> {
        let m = self.at(&v.id, Action::Resolve, v.date, today)?;
        if let Some(r) = m.current_round() {
            let t = r.tally();
            let p = &self.policy;
            if !p.consultation_passes(&t) {
                return Err(Refusal::ConsultationIncomplete {
                    id: v.id.clone(),
                    adults: t.adults,
                    in_scope: t.in_scope,
                    consented: t.consented,
                    objected: t.objected,
                    missing: t.missing,
                    no_evidence: t.no_evidence,
                    uncovered_pages: t.uncovered_pages,
                    required: (p.consultation_consent != Threshold::ALL).then(|| {
                        let share = p.consultation_consent;
                        (share, share.minimum(t.in_scope))
                    }),
                });
            }
        }
        Self::check_votes(v)?;
        let land = pol.land_categories.contains(&m.category);
        let body = v.body.unwrap_or(Body::Representatives);
        let meeting = match body {
            Body::Representatives => Meeting::Representatives,
            Body::Villagers => Meeting::Villagers,
        };
        match body {
            Body::Representatives => {
                self.check_attendance(
                    meeting,
                    v.date,
                    v.expected,
                    v.present,
                    pol.representatives_quorum,
                )?;
            }
            Body::Villagers => {
                let roster = self.roster_on(v.date)?;
                let adults = roster.adults(v.date).len() as u64;
                let households = roster.active_households().len() as u64;
                if adults == 0 {
                    return Err(Refusal::NoMembers {
                        meeting,
                        date: v.date,
                    });
                }
                if v.expected != adults {
                    return Err(Refusal::ExpectedMismatch {
                        meeting,
                        recorded: v.expected,
                        roster: adults,
                    });
                }
                if v.present > adults {
                    return Err(Refusal::PresentOverExpected {
                        meeting,
                        present: v.present,
                        expected: adults,
                    });
                }
                if v.households_expected != Some(households) {
                    return Err(Refusal::ExpectedMismatch {
                        meeting,
                        recorded: v.households_expected.unwrap_or(0),
                        roster: households,
                    });
                }
                if let Some(hp) = v.households_present
                    && hp > households
                {
                    return Err(Refusal::HouseholdsPresentOver {
                        present: hp,
                        households,
                    });
                }
                let ta = pol.villagers_quorum_adults;
                let th = pol.villagers_quorum_households;
                // Either quorum suffices: the households represented are needed only when
                // the adults present fall short.
                match v.households_present {
                    _ if ta.met(v.present, adults) => {}
                    None => {
                        return Err(Refusal::HouseholdsPresentMissing {
                            adults_present: v.present,
                            adults,
                            households,
                            adults_threshold: ta,
                            households_threshold: th,
                        });
                    }
                    Some(hp) if th.met(hp, households) => {}
                    Some(hp) => {
                        return Err(Refusal::VillagersQuorum {
                            adults_present: v.present,
                            adults,
                            households_present: hp,
                            households,
                            adults_threshold: ta,
                            households_threshold: th,
                        });
                    }
                }
            }
        }
        if land && v.decision == Decision::Decline {
            Self::decline_reason(v)?;
            // The vote passed only if it met both rules; a decline contradicts it only then
            // (a majority of those present under ⅔ of all members is a failed vote).
            let all = pol.land_pass.met(v.for_, v.expected);
            let present = pol.resolution_pass.met(v.for_, v.present);
            if all && present {
                return Err(Refusal::DeclineContradictsVote {
                    meeting,
                    for_: v.for_,
                    base: v.expected,
                    base_is: VoteBase::AllMembers,
                });
            }
            return Ok(());
        }
        if land {
            // Land and collective-asset matters: two thirds of ALL members of the body.
            Self::check_outcome(v, meeting, v.expected, VoteBase::AllMembers, pol.land_pass)?;
        }
        Self::check_outcome(
            v,
            meeting,
            v.present,
            VoteBase::Present,
            pol.resolution_pass,
        )
    }

    /// Proof of posting: after the notice was published (printed), not before it, and with
    /// the proof itself attached. The matter's stage and dates are not moved by it.
    fn check_posted(&self, p: &PostedEvent, today: NaiveDate) -> Result<(), Refusal> {
        let m = self.matter(&p.id)?;
        let Some(published) = m.published(p.kind) else {
            return Err(Refusal::PostedUnpublished {
                id: p.id.clone(),
                kind: p.kind,
            });
        };
        check_date(p.date, today)?;
        if p.date < published.date {
            return Err(Refusal::DateBackwards {
                id: p.id.clone(),
                date: p.date,
                last: published.date,
                by: DatedBy::Step(match p.kind {
                    NoticeKind::Resolution => Stage::ResolutionPublished,
                    NoticeKind::Result => Stage::ResultPublished,
                }),
            });
        }
        if p.attachments.is_empty() {
            return Err(Refusal::EmptyField { field: "attach" });
        }
        Ok(())
    }

    fn check_publish(
        &self,
        p: &PublishEvent,
        today: NaiveDate,
        pol: &Policy,
    ) -> Result<(), Refusal> {
        let action = match p.kind {
            NoticeKind::Resolution => Action::PublishResolution,
            NoticeKind::Result => Action::PublishResult,
        };
        let m = self.matter(&p.id)?;
        if m.published(p.kind).is_some() {
            return Err(Refusal::AlreadyPublished {
                id: p.id.clone(),
                kind: p.kind,
            });
        }
        self.at(&p.id, action, p.date, today)?;
        if p.days < pol.min_posting_days {
            return Err(Refusal::PostingTooShort {
                days: p.days,
                min: pol.min_posting_days,
            });
        }
        if p.days > MAX_POSTING_DAYS {
            return Err(Refusal::PostingTooLong {
                days: p.days,
                max: MAX_POSTING_DAYS,
            });
        }
        nonempty(&p.place, "place")?;
        if p.kind == NoticeKind::Result {
            let open: Vec<u32> = m
                .objections
                .iter()
                .filter(|o| o.reply.is_none())
                .map(|o| o.n)
                .collect();
            if !open.is_empty() {
                return Err(Refusal::UnrepliedObjections {
                    id: p.id.clone(),
                    numbers: open,
                });
            }
        }
        Ok(())
    }

    /// Matter `id`, if `action` is allowed at its stage and `date` is not to come; unlike
    /// [`State::at`], the matter's other dates do not bind.
    fn at_stage(
        &self,
        id: &str,
        action: Action,
        date: NaiveDate,
        today: NaiveDate,
    ) -> Result<&Matter, Refusal> {
        let m = self.matter(id)?;
        if !action.allowed(m.stage) {
            return Err(Refusal::WrongStage {
                id: id.to_string(),
                stage: m.stage,
                action,
            });
        }
        check_date(date, today)?;
        Ok(m)
    }

    /// An objection is dated on or after the first notice was posted (the resolution's),
    /// not after the implementation recorded since: one received during the posting and
    /// written down later keeps its true date.
    fn check_objection(&self, o: &ObjectionEvent, today: NaiveDate) -> Result<(), Refusal> {
        let m = self.at_stage(&o.id, Action::Objection, o.date, today)?;
        // The first notice: an objection to the resolution may be written down after the
        // result is posted.
        if let Some(s) = m
            .steps
            .iter()
            .find(|s| matches!(s.event, Event::Publish(_)))
            && let Event::Publish(p) = &s.event
            && o.date < p.date
        {
            return Err(Refusal::DateBackwards {
                id: o.id.clone(),
                date: o.date,
                last: p.date,
                by: DatedBy::Step(s.stage),
            });
        }
        let expected = m.objections.len() as u32 + 1;
        if o.n != expected {
            return Err(Refusal::ObjectionNumber {
                id: o.id.clone(),
                n: o.n,
                expected,
            });
        }
        nonempty(&o.from, "from")?;
        nonempty(&o.text, "text")
    }

    fn check_reply(&self, r: &ReplyEvent, today: NaiveDate) -> Result<(), Refusal> {
        let m = self.at_stage(&r.id, Action::Reply, r.date, today)?;
        let o = m
            .objections
            .iter()
            .find(|o| o.n == r.n)
            .ok_or(Refusal::UnknownObjection {
                id: r.id.clone(),
                n: r.n,
            })?;
        // A reply follows its objection (and nothing else of the matter binds it).
        if r.date < o.date {
            return Err(Refusal::DateBackwards {
                id: r.id.clone(),
                date: r.date,
                last: o.date,
                by: DatedBy::Objection { n: o.n },
            });
        }
        if o.reply.is_some() {
            return Err(Refusal::AlreadyReplied {
                id: r.id.clone(),
                n: r.n,
            });
        }
        nonempty(&r.text, "text")
    }

    /// The policy in force on `date`: the one a change on a later day replaced, else the
    /// policy in force now. A policy recorded on a day is in force from the next day on
    /// (see [`State::policy_changes`]).
    pub fn policy_on(&self, date: NaiveDate) -> &Policy {
        self.policy_changes
            .iter()
            .find(|(from, _)| *from > date)
            .map_or(&self.policy, |(_, p)| p)
    }

    /// The policies a meeting of `date` is judged by: the one in force on its date (rules
    /// of 2026-12-03: `by_date`), and the one in force when it was recorded (`by_current`:
    /// an entry recorded before 2026-12-03 was judged so, and is still; one recorded now
    /// with the clock set back is judged by both).
    pub fn policies_for(&self, date: NaiveDate, by_date: bool, by_current: bool) -> Vec<&Policy> {
        let mut v = Vec::with_capacity(2);
        if by_date {
            v.push(self.policy_on(date));
        }
        if by_current && !v.iter().any(|p| std::ptr::eq(*p, &self.policy)) {
            v.push(&self.policy);
        }
        v
    }

    /// `check` of a meeting (or notice) of `date` under each policy it is judged by
    /// (`by`: by its date, by the one current; [`State::policies_for`]), a refusal said to
    /// be of its day's policy where that is not the one in force now ([`State::under`]).
    fn under_policies(
        &self,
        date: NaiveDate,
        by: (bool, bool),
        check: impl Fn(&Policy) -> Result<(), Refusal>,
    ) -> Result<(), Refusal> {
        for pol in self.policies_for(date, by.0, by.1) {
            check(pol).map_err(|r| self.under(pol, date, r))?;
        }
        Ok(())
    }

    /// The day the 民议 share and unit in force now took effect, when another was in force
    /// on `date` or any day since (`None`: the same ever since `date`): the policy of
    /// `date`, the one each later change replaced, and the one in force now are compared.
    fn consultation_rules_since(&self, date: NaiveDate) -> Option<NaiveDate> {
        let differs = |p: &Policy| {
            p.consultation_consent != self.policy.consultation_consent
                || p.consultation_unit != self.policy.consultation_unit
        };
        (self.policy_changes.iter())
            .filter(|(from, p)| *from > date && differs(p))
            .map(|(from, _)| *from)
            .next_back()
    }

    /// `r` as judged under `pol`: said to be the policy of `date` when it is not the one in
    /// force now and judged otherwise than it would (a refusal the policies agree on, or
    /// that no policy decides — a wrong stage, a date — is told as it is).
    fn under(&self, pol: &Policy, date: NaiveDate, r: Refusal) -> Refusal {
        let policy_made_it = !std::ptr::eq(pol, &self.policy)
            && matches!(
                r,
                Refusal::Quorum { .. }
                    | Refusal::VoteFailed { .. }
                    | Refusal::DeclineContradictsVote { .. }
                    | Refusal::VillagersQuorum { .. }
                    | Refusal::HouseholdsPresentMissing { .. }
                    | Refusal::PostingTooShort { .. }
            );
        match policy_made_it {
            true => Refusal::UnderPolicyOf {
                date,
                refusal: Box::new(r),
            },
            false => r,
        }
    }

    /// Adds the roster version an accepted roster entry makes; returns its active households.
    /// `apply` calls it, and so does `crate::snapshot` when it rebuilds the roster history
    /// from the log's roster entries (the matters' side of a roster change is in their
    /// snapshots).
    pub fn push_roster(&mut self, r: &RosterEvent) -> BTreeSet<HouseholdId> {
        let mut next = self.roster.latest().cloned().unwrap_or_default();
        let _ = next.apply(&r.changes);
        let active = next.active_households();
        self.roster.push(r.date, next);
        active
    }

    /// Folds an accepted event into the state. Call only after `check` said yes.
    pub fn apply(&mut self, time: DateTime<Utc>, event: &Event) {
        let idx = self.size;
        self.size += 1;
        self.last_time = Some(time);
        let step = |stage: Stage| Step {
            stage,
            idx,
            event: event.clone(),
        };
        match event {
            Event::Genesis(g) => {
                self.key = Some(g.key.clone());
                self.past_keys.insert(g.key.clone());
                self.genesis = Some(g.clone());
            }
            Event::Policy(p) => {
                // `init`'s policy (the entry after the genesis) changes nothing in force.
                let before = std::mem::replace(&mut self.policy, p.policy.clone());
                if idx > 1 {
                    let from = local_date(time).succ_opt().unwrap_or(NaiveDate::MAX);
                    self.policy_changes.push((from, before));
                }
            }
            Event::Supervision(s) => self.supervisor = Some(s.clone()),
            Event::KeyRotate(k) => {
                self.key = Some(k.new.clone());
                self.past_keys.insert(k.new.clone());
            }
            Event::Roster(r) => {
                self.push_roster(r);
                let reason = r.reason.clone().unwrap_or_default();
                let roster = self.roster.latest().expect("just pushed");
                for m in self
                    .matters
                    .values_mut()
                    .filter(|m| m.stage == Stage::Consultation)
                {
                    if let Some(round) = m.rounds.last_mut() {
                        for h in round.leaving(roster) {
                            round.left.entry(h).or_insert_with(|| reason.clone());
                        }
                        for h in r.returns.get(&m.id).into_iter().flatten() {
                            round.left.remove(h);
                        }
                    }
                }
            }
            Event::Motion(e) => {
                self.matters.insert(
                    e.id.clone(),
                    Matter {
                        id: e.id.clone(),
                        title: e.title.clone(),
                        text: e.text.clone(),
                        category: e.category,
                        amount: e.amount,
                        by: e.by.clone(),
                        stage: Stage::Motion,
                        last_date: e.date,
                        steps: vec![step(Stage::Motion)],
                        plan_version: 0,
                        plan: None,
                        budget: e.amount,
                        funding: None,
                        rounds: vec![],
                        objections: vec![],
                        spent: 0,
                    },
                );
            }
            _ => {
                let Some(id) = event.matter() else { return };
                let Some(m) = self.matters.get_mut(id) else {
                    return;
                };
                apply_to_matter(m, event, step, under_rules_of_2026_12_03(time));
            }
        }
    }
}

fn decided(d: Decision, next: Stage) -> Stage {
    if d == Decision::Adopt {
        next
    } else {
        Stage::Declined
    }
}

/// A household's consent: recorded in the matter's current round, and its date the
/// matter's latest if later (both ways of applying one come here).
/// Records `c` in its matter's current round; `keeps_objection` (rules of 2026-12-03):
/// an objection's day is kept as that key's floor.
fn record_consent(m: &mut Matter, c: ConsentEvent, keeps_objection: bool) {
    let date = c.date;
    if let Some(r) = m.rounds.last_mut() {
        if keeps_objection && c.opinion == Opinion::Object {
            let floor = r.objected.entry(c.key().into_owned()).or_insert(date);
            *floor = (*floor).max(date);
        }
        r.records.insert(c.key().into_owned(), c);
    }
    if date > m.last_date {
        m.last_date = date;
    }
}

fn apply_to_matter(
    m: &mut Matter,
    event: &Event,
    step: impl Fn(Stage) -> Step,
    keeps_objection: bool,
) {
    let date = match event {
        Event::Proposal(e) => {
            m.stage = decided(e.decision, Stage::Proposal);
            m.steps.push(step(Stage::Proposal));
            e.date
        }
        Event::Discussion(e) => {
            m.stage = decided(e.decision, Stage::Discussion);
            m.plan_version += 1;
            if e.plan.is_some() {
                m.plan = e.plan.clone();
            }
            if e.budget.is_some() {
                m.budget = e.budget;
            }
            if e.funding.is_some() {
                m.funding = e.funding.clone();
            }
            m.steps.push(step(Stage::Discussion));
            e.date
        }
        Event::Review(e) => {
            m.stage = decided(e.decision, Stage::Review);
            m.steps.push(step(Stage::Review));
            e.date
        }
        Event::ConsultOpen(e) => {
            m.stage = Stage::Consultation;
            // When 民议 counts adults, the round's scope is the adults.
            let adults = !e.adults.is_empty();
            let scope = if adults { &e.adults } else { &e.households };
            m.rounds.push(Round {
                round: e.round,
                opened: e.date,
                adults,
                scope: scope.iter().cloned().collect(),
                left: BTreeMap::new(),
                records: BTreeMap::new(),
                sheets: vec![],
                objected: BTreeMap::new(),
                compacted: None,
            });
            m.steps.push(step(Stage::Consultation));
            e.date
        }
        Event::Consent(e) => {
            record_consent(m, e.clone(), keeps_objection);
            return;
        }
        Event::Sheet(e) => {
            if let Some(r) = m.rounds.last_mut() {
                r.sheets.push((e.first_page, e.last_page));
            }
            e.date
        }
        Event::Resolution(e) => {
            m.stage = decided(e.decision, Stage::Resolution);
            m.steps.push(step(Stage::Resolution));
            e.date
        }
        Event::Publish(e) => {
            m.stage = match e.kind {
                NoticeKind::Resolution => Stage::ResolutionPublished,
                NoticeKind::Result => Stage::ResultPublished,
            };
            m.steps.push(step(m.stage));
            e.date
        }
        Event::Posted(e) => {
            let stage = match e.kind {
                NoticeKind::Resolution => Stage::ResolutionPublished,
                NoticeKind::Result => Stage::ResultPublished,
            };
            m.steps.push(step(stage));
            m.last_date
        }
        Event::Objection(e) => {
            m.objections.push(Objection {
                n: e.n,
                date: e.date,
                from: e.from.clone(),
                text: e.text.clone(),
                reply: None,
            });
            e.date
        }
        Event::Reply(e) => {
            if let Some(o) = m.objections.iter_mut().find(|o| o.n == e.n) {
                o.reply = Some(e.clone());
            }
            e.date
        }
        Event::Implement(e) => {
            m.stage = Stage::Implementation;
            m.spent += e.spent.unwrap_or(0);
            m.steps.push(step(Stage::Implementation));
            e.date
        }
        Event::Complete(e) => {
            m.stage = Stage::Completed;
            m.spent = e.spent;
            m.steps.push(step(Stage::Completed));
            if e.corrects.is_some() {
                // The completion corrected no longer dates the matter (it may be dated
                // later than the correction): its latest date is found again.
                m.last_date = m.latest_dated().0;
                return;
            }
            e.date
        }
        Event::Revise(e) => {
            // Back to 商议: the plan gets a new version and passes 审议 and 民议 again.
            m.stage = Stage::Proposal;
            m.steps.push(step(Stage::Proposal));
            e.date
        }
        Event::Withdraw(e) => {
            m.stage = Stage::Withdrawn;
            m.steps.push(step(Stage::Withdrawn));
            e.date
        }
        _ => return,
    };
    if date > m.last_date {
        m.last_date = date;
    }
}
