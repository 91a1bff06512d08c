//! Why the rules engine refused a step: data only, with every number the message needs.
//! `crate::i18n::rules` turns each variant into a sentence that names the rule, the
//! numbers, and what to do next.

use chrono::{DateTime, NaiveDate, Utc};

use super::event::NoticeKind;
use super::people::HouseholdId;
use super::policy::Threshold;
use super::stage::{Action, Meeting, Stage};

/// What a vote's "for" count is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteBase {
    /// 应到 (审议: voting party members)
    Expected,
    /// 实到
    Present,
    /// all members of the body (land and collective-asset matters)
    AllMembers,
}

/// What of a matter carries the date a new step may not precede.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatedBy {
    /// One of its steps, at this stage.
    Step(Stage),
    /// Its plan sent back to 商议 (`revise`).
    Revised,
    /// The consent or objection standing for this household (`户号` or `户号:姓名`) in
    /// its 民议.
    Consent { household: String },
    /// Objection `n`.
    Objection { n: u32 },
    /// The reply to objection `n`.
    Reply { n: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `refusal`, judged by the village's policy in force on the meeting's `date`, which
    /// is not the one in force now (so that `policy show` is not all the secretary sees).
    UnderPolicyOf {
        date: NaiveDate,
        refusal: Box<Refusal>,
    },
    /// A completion recorded again must correct the last one (naming its entry, with a
    /// reason), and only a completed matter's: `expected` is the entry to name, if any.
    CorrectionTarget {
        id: String,
        expected: Option<u64>,
        given: Option<u64>,
    },
    /// Something other than genesis at the start of the log, or genesis later.
    NotGenesis {
        idx: u64,
    },
    GenesisMissing,
    /// A policy rule out of range: its field and value (`review_pass`, `5/3`).
    InvalidPolicy {
        field: &'static str,
        value: String,
    },
    /// A roster change brings `person` (`HOUSEHOLD:NAME` as the round opened), of `key`,
    /// which left an open 民议's scope by an earlier change without consenting, back into
    /// the village under household `to`, outside the scope (rules of 2026-12-03).
    ScopeReturnElsewhere {
        id: String,
        round: u32,
        key: HouseholdId,
        person: String,
        to: HouseholdId,
    },
    /// A roster change deletes `person` (`HOUSEHOLD:NAME`), taking out of an open 民议's
    /// scope `key`, which objected in that round (rules of 2026-12-03).
    ObjectorDeleted {
        id: String,
        round: u32,
        key: HouseholdId,
        person: String,
    },
    /// A policy that changes 民议's consent share while matter `id`'s round `round` is
    /// open (rules of 2026-12-03): a round is judged by the share it was asked under.
    ConsentShareDuringRound {
        id: String,
        round: u32,
        from: Threshold,
        to: Threshold,
    },
    /// A policy with a rule laxer than the law (`Policy::below_law`).
    PolicyBelowLaw {
        rule: &'static str,
        floor: super::policy::LawFloor,
    },
    /// The computer's clock is earlier than the last recorded entry.
    ClockBehind {
        last: DateTime<Utc>,
        now: DateTime<Utc>,
    },
    DateInFuture {
        date: NaiveDate,
        today: NaiveDate,
    },
    DateBackwards {
        id: String,
        date: NaiveDate,
        last: NaiveDate,
        /// What recorded `last`: the message names it, and how to put it right.
        by: DatedBy,
    },
    RosterDateBackwards {
        date: NaiveDate,
        last: NaiveDate,
    },
    /// A roster change dated before what an open matter has recorded (judged against
    /// the roster of its day).
    /// A roster change that says it brings `household` back into matter `id`'s open 民议
    /// scope, where it had not left it, or is not active again.
    NotReturning {
        id: String,
        household: HouseholdId,
    },
    RosterBeforeStep {
        date: NaiveDate,
        id: String,
        last: NaiveDate,
        by: DatedBy,
    },
    /// A change of the objection contact dated before the previous change.
    SupervisionDateBackwards {
        date: NaiveDate,
        last: NaiveDate,
    },
    /// A change of the objection contact that names neither a contact nor a phone.
    SupervisionEmpty,
    RosterInconsistent {
        key: String,
    },
    NoChanges,
    /// `roster import` dated before the record's first roster (the same roster or not).
    RosterBeforeFirst {
        date: NaiveDate,
        first: NaiveDate,
    },
    NoRoster {
        date: NaiveDate,
        /// The day the record's first roster took effect, if one was imported (after
        /// `date`: a roster is never dated back before it).
        first: Option<NaiveDate>,
    },
    /// A roster change takes households out of an open consultation without a reason.
    ScopeLeftWithoutReason {
        id: String,
        households: Vec<HouseholdId>,
    },
    /// A roster change takes out of an open consultation's scope a household (or, when
    /// 民议 counts adults, a person: `key` is then `HOUSEHOLD:NAME`) that has not consented,
    /// though `person` (`HOUSEHOLD:NAME` before the change) is still in the village, now in
    /// household `to`: a new household number, a split or a merge is no leaving (rules of
    /// 2026-12-03). `objected`: the key's objection stands (else it has no record yet, and
    /// `to` is not in the round's scope).
    ScopeLeftByMove {
        id: String,
        round: u32,
        key: HouseholdId,
        person: String,
        to: HouseholdId,
        objected: bool,
    },
    UnknownMatter {
        id: String,
    },
    WrongId {
        id: String,
        expected: String,
    },
    WrongStage {
        id: String,
        stage: Stage,
        action: Action,
    },
    EmptyField {
        field: &'static str,
    },
    /// The funding a discussion adopts cannot be printed source by source, or does not add
    /// up to the budget, or names amounts with no budget (rules of 2026-12-02).
    Funding(super::funding::Problem),
    /// A file in the entry has no bytes: it evidences nothing (rules of 2026-12-02).
    EmptyFile {
        name: String,
    },
    /// A text holds a character liuyi never records (a control or invisible formatting
    /// character; a line break in a one-line field) (rules of 2026-12-02).
    UnrecordableText {
        field: String,
        ch: char,
    },
    /// A text holds a signing key (rules of 2026-12-02).
    KeyInText {
        field: String,
    },
    /// A motion's title begins with 关于, which every notice title already says (rules of
    /// 2026-12-02).
    TitleStartsWithAbout {
        title: String,
    },
    NegativeAmount {
        field: &'static str,
    },
    ProposerUnknown {
        name: String,
    },
    ProposerInactive {
        name: String,
    },
    ProposerMinor {
        name: String,
        age: i32,
    },
    NoMembers {
        meeting: Meeting,
        date: NaiveDate,
    },
    ExpectedMismatch {
        meeting: Meeting,
        recorded: u64,
        roster: u64,
    },
    PresentOverExpected {
        meeting: Meeting,
        present: u64,
        expected: u64,
    },
    VotesOverPresent {
        for_: u64,
        against: u64,
        abstain: u64,
        present: u64,
    },
    Quorum {
        meeting: Meeting,
        present: u64,
        expected: u64,
        threshold: Threshold,
    },
    VillagersQuorum {
        adults_present: u64,
        adults: u64,
        households_present: u64,
        households: u64,
        adults_threshold: Threshold,
        households_threshold: Threshold,
    },
    /// A villagers' meeting short of the adults' quorum that did not say how many
    /// households were represented (the other way to a quorum).
    HouseholdsPresentMissing {
        adults_present: u64,
        adults: u64,
        households: u64,
        adults_threshold: Threshold,
        households_threshold: Threshold,
    },
    /// More households represented than adults present: each is represented by one.
    HouseholdsOverAdults {
        households_present: u64,
        adults_present: u64,
    },
    /// A 民议 opened on a day before the 民议 share or unit in force now took effect
    /// (`since`): the round would be asked under rules its day did not have.
    OpenBeforeConsultationRule {
        id: String,
        date: NaiveDate,
        since: NaiveDate,
    },
    /// Adults present at a villagers' meeting, yet no household represented (each adult
    /// present represents a household): the notice would say 0 户.
    NoHouseholdRepresented {
        adults_present: u64,
    },
    HouseholdsPresentOver {
        present: u64,
        households: u64,
    },
    VoteFailed {
        meeting: Meeting,
        for_: u64,
        base: u64,
        base_is: VoteBase,
        threshold: Threshold,
    },
    /// `--decision decline` although the vote passed.
    DeclineContradictsVote {
        meeting: Meeting,
        for_: u64,
        base: u64,
        base_is: VoteBase,
    },
    DeclineNeedsReason,
    RoundMismatch {
        id: String,
        round: u32,
        expected: u32,
    },
    ScopeMismatch {
        id: String,
        recorded: usize,
        roster: usize,
    },
    /// The adults an opening lists are not the roster's adults on that day (民议 counting
    /// adults), or it lists adults when the policy counts households.
    AdultsScopeMismatch {
        id: String,
        recorded: usize,
        roster: usize,
    },
    /// A household's or a person's key, as the round's scope names it.
    NotInScope {
        id: String,
        household: HouseholdId,
        /// The one household in scope this number is short of, its leading zeros lost
        /// (`1` for `0001`: Excel reads a 户号 column as numbers).
        meant: Option<HouseholdId>,
    },
    /// A household (or person) that was in the round's scope and left it by a recorded
    /// roster change (moved out, deceased), with that change's reason.
    LeftScope {
        id: String,
        household: HouseholdId,
        reason: String,
    },
    /// A record names a person in a round that counts households, or none in one that
    /// counts adults.
    ConsultationUnitMismatch {
        id: String,
        adults: bool,
        household: HouseholdId,
    },
    /// When 民议 counts adults, an adult present (or reached remotely) signs for themself.
    SignerNotThePerson {
        household: HouseholdId,
        person: String,
        signer: String,
    },
    SignerNotInHousehold {
        household: HouseholdId,
        signer: String,
    },
    /// The signer is a member of the household whom the roster on the day lists as
    /// deceased or moved out.
    SignerGone {
        household: HouseholdId,
        signer: String,
        status: super::people::Status,
    },
    /// A proxy signature that does not say who the proxy is to the household.
    ProxyNeedsRelation {
        household: HouseholdId,
    },
    /// A consent signed by proxy without the written authorisation (委托书) as evidence.
    ProxyNeedsMandate {
        household: HouseholdId,
    },
    /// A household is represented by its head or an adult member (village-law.md, 民议).
    SignerNotAdult {
        household: HouseholdId,
        signer: String,
        age: i32,
    },
    ObjectionNeedsReason {
        household: HouseholdId,
    },
    /// A consent that would replace a standing objection of the same household (or
    /// villager) but is dated before it, or is not given by the household (the villager)
    /// itself.
    ObjectionStands {
        id: String,
        household: HouseholdId,
        objected: NaiveDate,
        problem: ObjectionWithdrawal,
    },
    ConsentNeedsEvidence {
        household: HouseholdId,
    },
    BadPages {
        first: u32,
        last: u32,
    },
    ConsultationIncomplete {
        id: String,
        /// The round counts adults (the lists name people), not households.
        adults: bool,
        in_scope: u64,
        consented: u64,
        objected: Vec<HouseholdId>,
        missing: Vec<HouseholdId>,
        no_evidence: Vec<HouseholdId>,
        uncovered_pages: Vec<u32>,
        /// A village policy that asks less than every one: its share and the consents that
        /// meet it (`None` under the 100 % rule).
        required: Option<(crate::rules::policy::Threshold, u64)>,
    },
    PostingTooShort {
        days: u32,
        min: u32,
    },
    PostingTooLong {
        days: u32,
        max: u32,
    },
    AlreadyPublished {
        id: String,
        kind: NoticeKind,
    },
    /// Proof of posting for a notice that was never published (printed).
    PostedUnpublished {
        id: String,
        kind: NoticeKind,
    },
    ObjectionNumber {
        id: String,
        n: u32,
        expected: u32,
    },
    UnknownObjection {
        id: String,
        n: u32,
    },
    AlreadyReplied {
        id: String,
        n: u32,
    },
    UnrepliedObjections {
        id: String,
        numbers: Vec<u32>,
    },
    KeyRotation {
        why: KeyRotationProblem,
    },
    /// A notice that was never posted cannot be re-printed.
    NotPublished {
        id: String,
        kind: NoticeKind,
    },
    /// The cost by funding source does not add up to the final cost.
    SpentBreakdown {
        total: i64,
        sum: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRotationProblem {
    OldIsNotCurrent,
    SameKey,
    BadKey,
    BadSignature,
    UnknownAuthority,
    KeyReused,
}

/// Why a consent does not take back a household's objection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectionWithdrawal {
    /// Dated before the objection.
    Earlier { date: NaiveDate },
    /// Signed by a proxy, or (a round of adults) by someone other than the villager.
    NotByItself {
        signer: String,
        method: crate::rules::event::Method,
    },
}
