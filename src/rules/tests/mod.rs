//! Exhaustive tests of the rules engine, driven only through `State::step` with real
//! events (never by poking fields). This module holds the test DSL: a village whose
//! counts sit exactly where each boundary needs them, a harness that records every
//! accepted entry (for replay) and proves that a refusal changes nothing, and builders
//! that produce a valid event for any action on any matter.

mod consultation;
mod dates;
mod meetings;
mod paths;
mod replay;
mod stages;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use super::category::Category;
use super::engine::{Matter, State};
use super::event::*;
use super::people::{Committee, HouseholdId, Party, Person, Sex, Status};
use super::refusal::{DatedBy, KeyRotationProblem, Refusal};
use super::roster::RosterChange;
use super::stage::{Action, Meeting, Stage};

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// An entry time whose local date (UTC+8) is `date`: noon in China, 04:00 UTC.
pub fn noon(date: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(4, 0, 0).unwrap())
}

pub fn accept_rotation(_: &KeyRotateEvent, _: Option<&str>) -> Result<(), KeyRotationProblem> {
    Ok(())
}

pub fn reject_rotation(_: &KeyRotateEvent, _: Option<&str>) -> Result<(), KeyRotationProblem> {
    Err(KeyRotationProblem::BadSignature)
}

/// A 64-hex key made of one repeated digit.
pub fn key(c: char) -> String {
    c.to_string().repeat(64)
}

pub fn att(name: &str) -> AttachmentRef {
    let seed: u32 = name.bytes().map(u32::from).sum();
    AttachmentRef {
        sha256: format!("{seed:064x}"),
        size: 1024,
        name: name.to_string(),
    }
}

pub fn genesis() -> Event {
    Event::Genesis(Genesis {
        origin: "liuyi.example/test-village".into(),
        village: "测试村".into(),
        township: "测试镇".into(),
        county: "测试县".into(),
        code: None,
        supervisor: Some("监委会主任".into()),
        phone: Some("13800000000".into()),
        key: key('a'),
    })
}

pub fn head_name(hh: &str) -> String {
    format!("村民{hh}")
}

pub fn person(hh: &str, name: &str, relation: &str, birth: &str) -> Person {
    Person {
        household: hh.into(),
        name: name.into(),
        relation: relation.into(),
        sex: Sex::Female,
        birth_date: d(birth),
        party: Party::None,
        representative: false,
        committee: Committee::None,
        status: Status::Resident,
    }
}

pub fn head(hh: &str) -> Person {
    person(hh, &head_name(hh), "户主", "1970-01-01")
}

/// Date of the first roster entry (and of genesis).
pub const ROSTER_DATE: &str = "2026-01-10";
/// The day the young member of household 0010 turns 18.
pub const BIRTHDAY: &str = "2026-05-10";

/// The standard village. Households 0001–0050 are active, each with a head born 1970:
///
/// | households | head is |
/// |---|---|
/// | 0001–0003 | 两委 (支委 + 村委), 正式党员, 村民代表 |
/// | 0004–0005 | 支委, 正式党员 |
/// | 0006–0007 | 村委 |
/// | 0008–0032 | 村民代表, 正式党员 |
/// | 0033–0045 | 正式党员 |
/// | 0046–0047 | 预备党员 |
/// | 0048–0050 | nobody in particular |
///
/// Plus: in 0008 a deceased 正式党员 who was a representative; in 0009 a moved-out 村委
/// member who is a 正式党员; in 0010 a member born on 2008-05-10 (18 on `BIRTHDAY`); in
/// 0011 a child; in 0012 an adult spouse who is away (外出, still counted); household
/// 0098 has only a deceased member and 0099 only a moved-out one (neither is active).
///
/// Counts: 支委 5; 两委 7 (each person once); voting party members 43 (+2 预备);
/// 村民代表会议 composition 30 (5 村委 + 28 代表, 3 of them both); active households 50;
/// adults 51 the day before `BIRTHDAY`, 52 from it.
pub fn village() -> Vec<Person> {
    let mut v = Vec::new();
    for i in 1..=50u32 {
        let hh = format!("{i:04}");
        let mut p = head(&hh);
        match i {
            1..=3 => {
                p.committee = Committee::Both;
                p.party = Party::Full;
                p.representative = true;
            }
            4..=5 => {
                p.committee = Committee::Branch;
                p.party = Party::Full;
            }
            6..=7 => p.committee = Committee::Village,
            8..=32 => {
                p.representative = true;
                p.party = Party::Full;
            }
            33..=45 => p.party = Party::Full,
            46..=47 => p.party = Party::Probationary,
            _ => {}
        }
        v.push(p);
    }
    let mut dead = person("0008", "故党员", "父", "1940-01-01");
    dead.status = Status::Deceased;
    dead.party = Party::Full;
    dead.representative = true;
    v.push(dead);
    let mut gone = person("0009", "迁党员", "子", "1980-01-01");
    gone.status = Status::MovedOut;
    gone.party = Party::Full;
    gone.committee = Committee::Village;
    v.push(gone);
    v.push(person("0010", "满十八", "女", "2008-05-10"));
    v.push(person("0011", "小孩", "子", "2015-01-01"));
    let mut away = person("0012", "外出妻", "配偶", "1975-01-01");
    away.status = Status::Away;
    v.push(away);
    let mut d98 = head("0098");
    d98.status = Status::Deceased;
    d98.representative = true;
    v.push(d98);
    let mut m99 = head("0099");
    m99.status = Status::MovedOut;
    v.push(m99);
    v
}

pub fn hh(i: u32) -> HouseholdId {
    format!("{i:04}")
}

/// The harness: a state, the clock the next entry is stamped with, and every accepted
/// entry (for replay).
#[derive(Clone)]
pub struct H {
    pub s: State,
    pub now: DateTime<Utc>,
    pub log: Vec<(DateTime<Utc>, Event)>,
}

impl H {
    /// Genesis only, stamped at noon on `ROSTER_DATE`.
    pub fn bare() -> H {
        let mut h = H {
            s: State::default(),
            now: noon(d(ROSTER_DATE)),
            log: vec![],
        };
        h.ok(genesis());
        h
    }

    /// Genesis and a roster of `people` dated `ROSTER_DATE`; then the clock is set to the
    /// end of 2026 so that no ordinary stage date is in the future.
    pub fn with(people: Vec<Person>) -> H {
        let mut h = H::bare();
        h.ok(Event::Roster(RosterEvent {
            date: d(ROSTER_DATE),
            reason: Some("首次导入".into()),
            changes: people
                .into_iter()
                .map(|person| RosterChange::Add { person })
                .collect(),
            returns: Default::default(),
        }));
        h.now = noon(d("2026-12-31"));
        h
    }

    /// The standard village (see `village`).
    pub fn new() -> H {
        H::with(village())
    }

    /// Records `policy` early in the year (2026-02-01, before the matters' steps, which
    /// are dated from March on), so it is in force on their dates; the clock is then set
    /// back to where it was.
    #[track_caller]
    pub fn policy_early(&mut self, policy: super::Policy, reason: &str) {
        let now = self.now;
        self.now = noon(d("2026-02-01"));
        self.ok(Event::Policy(PolicyEvent {
            policy,
            reason: Some(reason.into()),
        }));
        self.now = now;
    }

    pub fn step(&mut self, e: Event) -> Result<(), Refusal> {
        let stages = |s: &State| -> Vec<Stage> { s.matters.values().map(|m| m.stage).collect() };
        let before = stages(&self.s);
        let r = self.s.step(self.now, &e, accept_rotation);
        if let Event::Consent(_) = e {
            // `check` relies on it: a household's consent never moves any matter's stage.
            assert_eq!(stages(&self.s), before, "a consent moved a stage: {e:?}");
        }
        if r.is_ok() {
            self.log.push((self.now, e));
        }
        r
    }

    #[track_caller]
    pub fn ok(&mut self, e: Event) {
        if let Err(r) = self.step(e.clone()) {
            panic!("refused {r:?}\nevent: {e:?}");
        }
    }

    /// Steps `e`, which must be refused, and proves the refusal left the state unchanged.
    #[track_caller]
    pub fn refuse(&mut self, e: Event) -> Refusal {
        self.refuse_with(e, accept_rotation)
    }

    #[track_caller]
    pub fn refuse_with(&mut self, e: Event, verifier: super::engine::RotationVerifier) -> Refusal {
        let before = format!("{:?}", self.s);
        match self.s.step(self.now, &e, verifier) {
            Ok(()) => panic!("accepted, expected a refusal: {e:?}"),
            Err(r) => {
                assert_eq!(
                    before,
                    format!("{:?}", self.s),
                    "a refusal changed the state"
                );
                r
            }
        }
    }

    pub fn check(&self, e: &Event) -> Result<(), Refusal> {
        self.s.check(self.now, e, accept_rotation)
    }

    pub fn matter(&self, id: &str) -> &Matter {
        self.s.matter(id).unwrap()
    }

    pub fn stage(&self, id: &str) -> Stage {
        self.matter(id).stage
    }

    pub fn expected(&self, meeting: Meeting, date: NaiveDate) -> u64 {
        self.s.expected(meeting, date).unwrap()
    }

    /// The day after the matter's last recorded date.
    pub fn next_date(&self, id: &str) -> NaiveDate {
        self.matter(id).last_date + Duration::days(1)
    }

    pub fn person(&self, hh: &str, name: &str) -> Person {
        self.s
            .roster
            .latest()
            .unwrap()
            .get(hh, name)
            .unwrap()
            .clone()
    }

    /// A roster entry that updates one person.
    pub fn roster_update(
        &self,
        date: &str,
        reason: Option<&str>,
        hh: &str,
        name: &str,
        f: impl FnOnce(&mut Person),
    ) -> Event {
        let mut p = self.person(hh, name);
        f(&mut p);
        Event::Roster(RosterEvent {
            date: d(date),
            reason: reason.map(str::to_string),
            changes: vec![RosterChange::Update { person: p }],
            returns: Default::default(),
        })
    }

    // ----- event builders: each returns an event that passes with the standard village -----

    pub fn motion_by(&self, date: NaiveDate, by: &[&str], category: Category) -> MotionEvent {
        MotionEvent {
            id: self.s.next_id(date),
            date,
            title: "硬化村东道路".into(),
            text: "村东道路雨天泥泞，请求硬化。".into(),
            category,
            by: by.iter().map(|s| s.to_string()).collect(),
            amount: Some(32_600_000),
            attachments: vec![att("motion.pdf")],
        }
    }

    pub fn motion(&self, date: NaiveDate) -> Event {
        Event::Motion(self.motion_by(
            date,
            &["0048:村民0048", "0049:村民0049"],
            Category::PublicWorks,
        ))
    }

    pub fn meeting(&self, id: &str, date: NaiveDate, meeting: Meeting) -> MeetingEvent {
        let expected = self.expected(meeting, date);
        let discussion = meeting == Meeting::TwoCommittees;
        MeetingEvent {
            id: id.into(),
            date,
            expected,
            present: expected,
            decision: Decision::Adopt,
            reason: None,
            plan: discussion.then(|| "村东道路 1.2 公里水泥硬化".to_string()),
            budget: discussion.then_some(32_600_000),
            funding: discussion.then(|| "一事一议财政奖补、村集体收入".to_string()),
            attachments: vec![att("minutes.pdf")],
        }
    }

    pub fn proposal(&self, id: &str, date: NaiveDate) -> MeetingEvent {
        self.meeting(id, date, Meeting::BranchCommittee)
    }

    pub fn discussion(&self, id: &str, date: NaiveDate) -> MeetingEvent {
        self.meeting(id, date, Meeting::TwoCommittees)
    }

    /// A unanimous 党员大会 with every voting member present.
    pub fn review(&self, id: &str, date: NaiveDate) -> VoteEvent {
        let n = self.expected(Meeting::PartyMembers, date);
        VoteEvent {
            id: id.into(),
            date,
            body: None,
            expected: n,
            present: n,
            for_: n,
            against: 0,
            abstain: 0,
            households_expected: None,
            households_present: None,
            decision: Decision::Adopt,
            reason: None,
            text: None,
            attachments: vec![],
        }
    }

    /// Opens the next round with exactly the active households on `date` (and their
    /// adults, when the policy has 民议 count adults).
    pub fn open(&self, id: &str, date: NaiveDate) -> ConsultOpenEvent {
        let roster = self.s.roster.on(date).unwrap();
        let adults = self.s.scope_adults(date).unwrap();
        ConsultOpenEvent {
            id: id.into(),
            date,
            round: self.matter(id).rounds.len() as u32 + 1,
            households: roster.active_households().into_iter().collect(),
            adults,
            attachments: vec![],
        }
    }

    pub fn current_round(&self, id: &str) -> u32 {
        self.matter(id)
            .current_round()
            .map(|r| r.round)
            .unwrap_or(1)
    }

    /// The head of `household` consents in person, with a scanned form as evidence.
    pub fn consent(&self, id: &str, household: &str, date: NaiveDate) -> ConsentEvent {
        ConsentEvent {
            id: id.into(),
            round: self.current_round(id),
            household: household.into(),
            date,
            opinion: Opinion::Consent,
            signer: head_name(household),
            method: Method::InPerson,
            person: None,
            relation: None,
            reason: None,
            collector: Some("村民0008".into()),
            evidence: Some(att(&format!("consent-{household}.jpg"))),
            sheet_page: None,
        }
    }

    pub fn objecting(&self, id: &str, household: &str, date: NaiveDate) -> ConsentEvent {
        ConsentEvent {
            opinion: Opinion::Object,
            reason: Some("路线占用我家菜地".into()),
            evidence: None,
            ..self.consent(id, household, date)
        }
    }

    pub fn sheet(&self, id: &str, first: u32, last: u32, date: NaiveDate) -> SheetEvent {
        SheetEvent {
            id: id.into(),
            round: self.current_round(id),
            date,
            first_page: first,
            last_page: last,
            scan: att(&format!("sheet-{first}-{last}.pdf")),
        }
    }

    /// A unanimous 村民代表会议 with the whole composition present.
    pub fn resolution(&self, id: &str, date: NaiveDate) -> VoteEvent {
        let n = self.expected(Meeting::Representatives, date);
        VoteEvent {
            body: Some(Body::Representatives),
            expected: n,
            present: n,
            for_: n,
            text: Some("同意硬化村东道路".into()),
            ..self.review(id, date)
        }
    }

    /// A 村民会议 with `present` adults and `hp` households present, `for_` votes for.
    pub fn villagers(
        &self,
        id: &str,
        date: NaiveDate,
        present: u64,
        hp: u64,
        for_: u64,
    ) -> VoteEvent {
        let roster = self.s.roster.on(date).unwrap();
        VoteEvent {
            body: Some(Body::Villagers),
            expected: roster.adults(date).len() as u64,
            present,
            for_,
            households_expected: Some(roster.active_households().len() as u64),
            households_present: Some(hp),
            ..self.resolution(id, date)
        }
    }

    pub fn publish(&self, id: &str, kind: NoticeKind, date: NaiveDate) -> PublishEvent {
        PublishEvent {
            id: id.into(),
            kind,
            date,
            days: 15,
            place: "村务公开栏".into(),
            notice: None,
            attachments: vec![],
        }
    }

    pub fn objection(&self, id: &str, date: NaiveDate) -> ObjectionEvent {
        ObjectionEvent {
            id: id.into(),
            n: self.matter(id).objections.len() as u32 + 1,
            date,
            from: "0050:村民0050".into(),
            text: "预算偏高".into(),
            attachments: vec![],
        }
    }

    pub fn reply(&self, id: &str, n: u32, date: NaiveDate) -> ReplyEvent {
        ReplyEvent {
            id: id.into(),
            n,
            date,
            text: "已按市场价复核".into(),
            attachments: vec![],
        }
    }

    pub fn implement(&self, id: &str, date: NaiveDate) -> ImplementEvent {
        ImplementEvent {
            id: id.into(),
            date,
            note: "开工".into(),
            spent: Some(10_000_000),
            contractor: Some("某建筑公司".into()),
            attachments: vec![att("contract.pdf")],
        }
    }

    pub fn complete(&self, id: &str, date: NaiveDate) -> CompleteEvent {
        CompleteEvent {
            id: id.into(),
            date,
            spent: 32_000_000,
            accepted_by: vec!["村民0001".into(), "村民0006".into()],
            delivered: Some("道路 1.2 公里".into()),
            contractor: Some("某建筑公司".into()),
            procurement: Some("比选".into()),
            supervision: Some("无异议".into()),
            conclusion: None,
            spent_by: vec![],
            attachments: vec![],
            overspend_reason: None,
            corrects: None,
            correction: None,
        }
    }

    /// A completion of a completed matter: the correction of its last completion.
    pub fn correction(&self, id: &str, date: NaiveDate) -> CompleteEvent {
        let last = self
            .matter(id)
            .steps
            .iter()
            .rev()
            .find(|s| matches!(s.event, Event::Complete(_)))
            .map(|s| s.idx);
        CompleteEvent {
            supervision: Some("补记：工程按决议实施，同意验收".into()),
            corrects: last,
            correction: Some("补记村务监督委员会意见".into()),
            ..self.complete(id, date)
        }
    }

    pub fn reason(&self, id: &str, date: NaiveDate, reason: &str) -> ReasonEvent {
        ReasonEvent {
            id: id.into(),
            date,
            reason: reason.into(),
        }
    }

    /// A valid event for `action` on matter `id`, dated the day after its last date
    /// (consultation records and sheets: its last date). Where the action is allowed at
    /// the matter's stage this event passes (Reply needs an objection to exist).
    pub fn action_event(&self, id: &str, action: Action) -> Event {
        let next = self.next_date(id);
        let last = self.matter(id).last_date;
        match action {
            Action::Propose => Event::Proposal(self.proposal(id, next)),
            Action::Discuss => Event::Discussion(self.discussion(id, next)),
            Action::Review => Event::Review(self.review(id, next)),
            Action::ConsultOpen => Event::ConsultOpen(self.open(id, next)),
            Action::ConsultRecord => Event::Consent(self.consent(id, "0001", last)),
            Action::ConsultAttach => Event::Sheet(self.sheet(id, 1, 10, last)),
            Action::Resolve => Event::Resolution(self.resolution(id, next)),
            Action::PublishResolution => {
                Event::Publish(self.publish(id, NoticeKind::Resolution, next))
            }
            Action::PublishResult => Event::Publish(self.publish(id, NoticeKind::Result, next)),
            Action::Objection => Event::Objection(self.objection(id, next)),
            Action::Reply => Event::Reply(self.reply(id, 1, next)),
            Action::Implement => Event::Implement(self.implement(id, next)),
            Action::Complete if self.matter(id).stage == Stage::Completed => {
                Event::Complete(self.correction(id, next))
            }
            Action::Complete => Event::Complete(self.complete(id, next)),
            Action::Revise => Event::Revise(self.reason(id, next, "方案需调整")),
            Action::Withdraw => Event::Withdraw(self.reason(id, next, "提议人撤回")),
        }
    }

    /// Every in-scope household of the current round consents.
    pub fn consent_all(&mut self, id: &str) {
        let r = self.matter(id).current_round().unwrap();
        let date = r.opened;
        let scope: Vec<HouseholdId> = r.in_scope().cloned().collect();
        for h in scope {
            let e = Event::Consent(self.consent(id, &h, date));
            self.ok(e);
        }
    }

    /// Files a new motion dated 2026-03-02 and walks it, by real events, to `to`.
    pub fn drive(&mut self, to: Stage) -> String {
        let date = d("2026-03-02");
        let id = self.s.next_id(date);
        self.ok(self.motion(date));
        self.advance(&id, to);
        assert_eq!(self.stage(&id), to);
        id
    }

    /// Walks matter `id` forward along the ordinary path until it reaches `to`.
    pub fn advance(&mut self, id: &str, to: Stage) {
        use Stage::*;
        let path: &[Action] = match to {
            Motion => &[],
            Proposal => &[Action::Propose],
            Discussion => &[Action::Propose, Action::Discuss],
            Review => &[Action::Propose, Action::Discuss, Action::Review],
            Consultation | Resolution | ResolutionPublished | Implementation | Completed
            | ResultPublished => &[
                Action::Propose,
                Action::Discuss,
                Action::Review,
                Action::ConsultOpen,
                Action::Resolve,
                Action::PublishResolution,
                Action::Implement,
                Action::Complete,
                Action::PublishResult,
            ],
            Declined => {
                let mut p = self.proposal(id, self.next_date(id));
                p.decision = Decision::Decline;
                p.reason = Some("不属于村级事务".into());
                self.ok(Event::Proposal(p));
                return;
            }
            Withdrawn => &[Action::Withdraw],
        };
        for &a in path {
            if self.stage(id) == to {
                break;
            }
            if a.allowed(self.stage(id)) {
                self.ok(self.action_event(id, a));
                if a == Action::ConsultOpen {
                    self.consent_all(id);
                }
            }
        }
    }
}
