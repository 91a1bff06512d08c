//! The plain data a notice or form is made from.
//!
//! The caller (the `publish`, `notice` and `form` commands) projects these from the signed
//! record; this module only describes them. Everything is owned and plain: text as `String`
//! (already NFC-normalised by the record), money as integer fen, dates as `NaiveDate`, counts as
//! integers. Nothing here reads a clock: every date printed comes from these structs, which is
//! what makes re-rendering byte-identical.

use std::fmt;

use chrono::NaiveDate;

/// Which log state the paper witnesses: printed as a short block and as a QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The village's log origin (the checkpoint's first line).
    pub origin: String,
    /// Number of entries in the log at the checkpoint the paper was printed from.
    pub log_size: u64,
    /// The checkpoint's root hash, lowercase hex (64 digits).
    pub root_hex: String,
}

/// A meeting held during the procedure: date, 应到 and 实到.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub date: NaiveDate,
    /// 应到: members entitled to attend (or to vote, for the party members' meeting).
    pub expected: u32,
    /// 实到: members present.
    pub present: u32,
}

/// A vote at a meeting: 同意 / 反对 / 弃权.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Votes {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

/// Which body took the resolution (决议).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolutionBody {
    /// 村民代表会议
    Representatives,
    /// 村民会议
    Villagers,
}

/// 动议: the written motion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MotionStage {
    /// Date the written motion was received.
    pub date: NaiveDate,
    /// Names of the villagers who signed it.
    pub proposers: Vec<String>,
}

/// 民议: the household consultation.
#[derive(Clone, PartialEq, Eq)]
pub struct ConsultationStage {
    pub opened: NaiveDate,
    /// Date of the last signature collected.
    pub closed: NaiveDate,
    /// Households in scope (the roster snapshot, less recorded departures).
    pub in_scope: u32,
    /// Households that signed consent with evidence.
    pub consented: u32,
    /// Households that objected (a village whose policy asks less than 100 % may resolve
    /// with some; printed from 2026.9).
    pub objected: u32,
    /// Households that did not sign at all (as `objected`; those that signed consent without
    /// its evidence are the rest: in scope, less consented, objected and unsigned).
    pub unsigned: u32,
    /// It asked each adult (the village's policy), not each household: the counts are
    /// people.
    pub adults: bool,
    /// The rounds before this one, each sent back to 商议 (2026.6 on; empty for an earlier
    /// version's notice): the board tells a household that objected what became of it.
    pub earlier: Vec<EarlierRound>,
    /// Those in scope when the round opened who left it by a recorded roster change before
    /// the resolution (a household that moved out, perhaps after it had signed): 户号, or
    /// 户号:姓名 in a round that counts adults, and the change's reason. Not counted in
    /// `in_scope`; printed from 2026.11 (empty for an earlier version's notice), so the
    /// board says why the count is less than the sheet's.
    pub left: Vec<(String, String)>,
}

/// A 民议 round that did not carry the matter: its counts, and the revision that ended it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierRound {
    pub round: u32,
    pub in_scope: u32,
    pub consented: u32,
    pub objected: u32,
    /// The day the plan was sent back to 商议, and why.
    pub revised: NaiveDate,
    pub reason: String,
}

/// The Debug text seeds the PDF's /ID (`paper::seed`): `adults`, `earlier` and `left` are
/// written only when set, so that a notice without them has the text, and the bytes, it had before
/// they were kept.
impl fmt::Debug for ConsultationStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ConsultationStage");
        d.field("opened", &self.opened)
            .field("closed", &self.closed)
            .field("in_scope", &self.in_scope)
            .field("consented", &self.consented);
        if self.adults {
            d.field("adults", &self.adults);
        }
        if !self.earlier.is_empty() {
            d.field("earlier", &self.earlier);
        }
        // Objections in the round that carried the matter: only under a policy that asks
        // less than 100 %, and only in a 2026.9 notice's model (0 for an earlier one).
        if self.objected > 0 {
            d.field("objected", &self.objected);
        }
        if self.unsigned > 0 {
            d.field("unsigned", &self.unsigned);
        }
        // Who left scope during the round: only in a 2026.11 notice's model.
        if !self.left.is_empty() {
            d.field("left", &self.left);
        }
        d.finish()
    }
}

/// 决议: the resolution meeting.
#[derive(Clone, PartialEq, Eq)]
pub struct ResolutionStage {
    pub body: ResolutionBody,
    pub meeting: Meeting,
    pub votes: Votes,
    /// A villagers' meeting that recorded the households represented (its quorum may be met
    /// by them rather than by the adults present): printed from 2026.5 on, `None` for an
    /// earlier version's notice.
    pub households: Option<MeetingHouseholds>,
}

/// The households represented at a villagers' meeting, and the village's households then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingHouseholds {
    pub present: u32,
    pub total: u32,
}

/// As for [`ConsultationStage`]: `households` in the /ID seed only when set, so a notice of
/// an earlier version keeps its bytes.
impl fmt::Debug for ResolutionStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ResolutionStage {
            body,
            meeting,
            votes,
            households,
        } = self;
        let mut d = f.debug_struct("ResolutionStage");
        d.field("body", body)
            .field("meeting", meeting)
            .field("votes", votes);
        if let Some(h) = households {
            d.field("households", h);
        }
        d.finish()
    }
}

/// One funding source of the approved plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingSource {
    /// e.g. 村集体经济收入, 上级财政奖补资金, 一事一议筹资.
    pub name: String,
    pub amount_fen: i64,
}

/// Where and how long a notice is posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// First day on the board.
    pub from: NaiveDate,
    /// Posting period in days (the last day is `from + days − 1`).
    pub days: u32,
    /// e.g. 村务公开栏（村委会大院）.
    pub place: String,
}

/// The objection channel: the village affairs supervision committee (村务监督委员会).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervision {
    /// Contact person (usually its chair).
    pub contact: String,
    pub phone: String,
}

/// 决议公开: the notice posted after the resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolutionNotice {
    pub village: String,
    pub township: String,
    pub county: String,
    /// The matter's ID, e.g. `2026-003`.
    pub matter_id: String,
    /// The matter's title, e.g. 村东主干道硬化工程.
    pub title: String,
    /// The category's Chinese label, e.g. 公益事业建设.
    pub category: String,
    pub motion: MotionStage,
    /// 提议: 村党组织（支委会）.
    pub proposal: Meeting,
    /// 商议: 两委联席会议.
    pub discussion: Meeting,
    /// 审议: 党员大会 (应到 = voting members).
    pub review: Meeting,
    pub review_votes: Votes,
    pub consultation: ConsultationStage,
    pub resolution: ResolutionStage,
    /// The resolution as adopted (may contain line breaks between paragraphs).
    pub resolution_text: String,
    /// The plan's budget; meaningless when `budget_recorded` is false.
    pub budget_fen: i64,
    /// Whether the plan recorded a budget at all: a notice never prints a budget of ¥0.00
    /// that nobody recorded (it says 未列预算).
    pub budget_recorded: bool,
    /// Empty when the plan recorded no funding text: a notice never invents a source.
    pub funding: Vec<FundingSource>,
    pub posting: Posting,
    pub supervision: Supervision,
    /// Issuing bodies, printed bottom right one per line, e.g. 中共清河村支部委员会, 清河村民委员会.
    pub issuers: Vec<String>,
    pub notice_date: NaiveDate,
    pub verification: Verification,
}

/// The cost line that carries budget the plan assigned to no source (all of it, when the plan
/// named no funding) beside a final cost split by source: its own final cost and remainder
/// are not recorded (printed as —).
pub const UNSPLIT_BUDGET: &str = "预算未按来源列明";

/// The one cost line of a notice before 2026.10 whose `complete` recorded the final cost as one
/// sum beside a plan with several sources (2026.10 lists the sources' budgets instead, and
/// prints one 合计 row: see [`ResultNotice::spent_unsplit`]).
pub const UNSPLIT_COST: &str = "合计（决算未按来源分列）";

/// Final cost against budget for one funding source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostLine {
    pub source: String,
    /// Meaningless when `budget_recorded` is false.
    pub budget_fen: i64,
    /// Whether the plan budgeted this line (a source money came from that the plan did not
    /// name, or a plan without a budget, has none: printed as —, never as 0.00).
    pub budget_recorded: bool,
    pub actual_fen: i64,
}

/// 验收: acceptance of the finished work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    pub date: NaiveDate,
    /// Who accepted it, e.g. 镇农业农村办 张伟、村务监督委员会 李秀英.
    pub by: Vec<String>,
    /// The acceptance's conclusion, e.g. 工程质量合格，同意交付使用.
    pub conclusion: String,
}

/// An objection received during a posting, with the village's reply.
#[derive(Clone, PartialEq, Eq)]
pub struct Objection {
    pub from: String,
    pub date: NaiveDate,
    pub text: String,
    /// `None` while unanswered.
    pub reply: Option<String>,
    /// The day of the reply, printed from 2026.8 (`None` for an earlier version's notice).
    pub reply_date: Option<NaiveDate>,
}

/// As for [`ConsultationStage`]: `reply_date` in the /ID seed only when set, so a notice of
/// an earlier version keeps its bytes.
impl fmt::Debug for Objection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Every field named: a new one must be decided on here (and in the seed).
        let Objection {
            from,
            date,
            text,
            reply,
            reply_date,
        } = self;
        let mut d = f.debug_struct("Objection");
        d.field("from", from)
            .field("date", date)
            .field("text", text)
            .field("reply", reply);
        if let Some(r) = reply_date {
            d.field("reply_date", r);
        }
        d.finish()
    }
}

/// 实施结果公开: the notice posted after completion and acceptance.
#[derive(Clone, PartialEq, Eq)]
pub struct ResultNotice {
    pub village: String,
    pub township: String,
    pub county: String,
    pub matter_id: String,
    pub title: String,
    /// Date of the resolution the work carried out.
    pub resolution_date: NaiveDate,
    /// What was delivered, e.g. 村东主干道硬化1.2公里，宽4.5米.
    pub delivered: String,
    /// The first implementation step's day; `None` when none was recorded (2026.9 on: an
    /// earlier version printed the completion day).
    pub started: Option<NaiveDate>,
    pub completed: NaiveDate,
    pub contractor: String,
    /// How the contractor was chosen, e.g. 经镇公共资源交易平台公开比选.
    pub contractor_selection: String,
    pub costs: Vec<CostLine>,
    /// Whether the plan recorded a budget (otherwise the notice says 未列预算).
    pub budget_recorded: bool,
    pub acceptance: Acceptance,
    /// The supervision committee's opinion on the implementation.
    pub supervision_opinion: String,
    pub supervision: Supervision,
    pub objections: Vec<Objection>,
    pub posting: Posting,
    pub issuers: Vec<String>,
    pub notice_date: NaiveDate,
    pub verification: Verification,
    /// The last day the resolution notice was posted: when this notice comes on or before
    /// it, "no objection received in the posting period" is not yet known, and 2026.5 says
    /// "so far". `None` for an earlier version's notice (or a record without a posted
    /// resolution).
    pub resolution_posted_until: Option<NaiveDate>,
    /// Why the final cost is over the budget, as `complete` recorded it (2026.5 on).
    pub overspend_reason: Option<String>,
    /// The final cost, when `complete` recorded it as one sum beside a plan whose budget
    /// names several sources with their amounts (2026.10 on): `costs` then holds each
    /// source's budget, its own final cost not recorded (printed as —), and the notice
    /// prints one 合计 row. `None` otherwise, and in an earlier version's model (which held
    /// one line, 合计（决算未按来源分列）, printed above the table's own 合计).
    pub spent_unsplit: Option<i64>,
}

/// As for [`ConsultationStage`]: `resolution_posted_until`, `overspend_reason` and
/// `spent_unsplit` in the /ID seed only when set, so a notice of an earlier version keeps its bytes.
impl fmt::Debug for ResultNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Every field named: a new one must be decided on here (and in the seed).
        let ResultNotice {
            village,
            township,
            county,
            matter_id,
            title,
            resolution_date,
            delivered,
            started,
            completed,
            contractor,
            contractor_selection,
            costs,
            budget_recorded,
            acceptance,
            supervision_opinion,
            supervision,
            objections,
            posting,
            issuers,
            notice_date,
            verification,
            resolution_posted_until,
            overspend_reason,
            spent_unsplit,
        } = self;
        let mut d = f.debug_struct("ResultNotice");
        d.field("village", village)
            .field("township", township)
            .field("county", county)
            .field("matter_id", matter_id)
            .field("title", title)
            .field("resolution_date", resolution_date)
            .field("delivered", delivered);
        // A start day as before (the bytes of an earlier version's notice); none recorded
        // only in a 2026.9 notice's model.
        match started {
            Some(day) => d.field("started", day),
            None => d.field("started", &"none"),
        };
        d.field("completed", completed)
            .field("contractor", contractor)
            .field("contractor_selection", contractor_selection)
            .field("costs", costs)
            .field("budget_recorded", budget_recorded)
            .field("acceptance", acceptance)
            .field("supervision_opinion", supervision_opinion)
            .field("supervision", supervision)
            .field("objections", objections)
            .field("posting", posting)
            .field("issuers", issuers)
            .field("notice_date", notice_date)
            .field("verification", verification);
        if let Some(until) = resolution_posted_until {
            d.field("resolution_posted_until", until);
        }
        if let Some(r) = overspend_reason {
            d.field("overspend_reason", r);
        }
        if let Some(s) = spent_unsplit {
            d.field("spent_unsplit", s);
        }
        d.finish()
    }
}

/// One household row of the 民议 signature sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdRow {
    /// 户号
    pub household: String,
    /// 户主 name
    pub head: String,
}

/// The 民议 signature sheet: one row per household in scope when the round opened.
#[derive(Clone, PartialEq, Eq)]
pub struct ConsultationSheet {
    pub village: String,
    pub township: String,
    pub matter_id: String,
    pub title: String,
    /// Consultation round (1 unless the plan was revised).
    pub round: u32,
    pub opened: NaiveDate,
    /// ID of the roster snapshot that fixed the households in scope.
    pub snapshot_id: String,
    /// SHA-256 of the snapshot, lowercase hex (printed short).
    pub snapshot_hash_hex: String,
    pub households: Vec<HouseholdRow>,
    pub verification: Verification,
    /// One row per adult (the village's policy asks each adult), not per household: each
    /// row's `head` is then the adult's name.
    pub adults: bool,
    /// Those the snapshot listed who left scope since by a recorded roster change: (户号 or
    /// 户号:姓名, the change's reason). Still rows of the sheet (each keeps its page), their
    /// 签字 cell marked.
    pub left: Vec<(String, String)>,
}

/// As for [`ConsultationStage`]: `adults` in the /ID seed only when set.
impl fmt::Debug for ConsultationSheet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ConsultationSheet");
        d.field("village", &self.village)
            .field("township", &self.township)
            .field("matter_id", &self.matter_id)
            .field("title", &self.title)
            .field("round", &self.round)
            .field("opened", &self.opened)
            .field("snapshot_id", &self.snapshot_id)
            .field("snapshot_hash_hex", &self.snapshot_hash_hex)
            .field("households", &self.households)
            .field("verification", &self.verification);
        if self.adults {
            d.field("adults", &self.adults);
        }
        if !self.left.is_empty() {
            d.field("left", &self.left);
        }
        d.finish()
    }
}

/// The written reply to the villagers whose motion was declined (动议答复书; SPEC §1, stage
/// 2: a declined motion gets a written reply and closes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MotionReply {
    pub village: String,
    pub township: String,
    pub matter_id: String,
    pub title: String,
    pub proposers: Vec<String>,
    pub received: NaiveDate,
    /// The meeting that declined it, as printed (村党组织（支委会）, 村民代表会议…).
    pub declined_by: String,
    pub declined: NaiveDate,
    /// Empty when none was recorded.
    pub reason: String,
    /// Who issues the reply (the village party branch, or the village committee).
    pub issuer: String,
    /// Where a proposer takes a disagreement: the supervision committee's contact, as the
    /// notices print it.
    pub supervision: Supervision,
    pub verification: Verification,
}

/// The receipt handed to villagers for a written motion (动议受理回执).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MotionReceipt {
    pub village: String,
    pub township: String,
    pub matter_id: String,
    pub title: String,
    pub category: String,
    pub text: String,
    pub proposers: Vec<String>,
    pub received: NaiveDate,
    /// Estimated amount, if the motion named one.
    pub estimated_fen: Option<i64>,
    /// Number of attached scans (the written motion itself, photos…).
    pub attachments: u32,
    pub verification: Verification,
}

/// The four meetings that have sign-in sheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingKind {
    /// 提议: 村党组织（支委会）会议
    Proposal,
    /// 商议: 两委联席会议
    Discussion,
    /// 审议: 党员大会
    Review,
    /// 决议: 村民代表会议 or 村民会议
    Resolution(ResolutionBody),
}

/// A member expected at a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// 户号: a villagers' meeting counts households too, and two people may share a name.
    pub household: String,
    pub name: String,
    /// e.g. 支委, 村委, 正式党员, 村民代表, 村民; 预备党员（列席） at a party members'
    /// meeting, where they attend without a vote.
    pub role: String,
    /// Counted in the meeting's 应到 (not so a probationary party member).
    pub counted: bool,
}

/// A meeting sign-in sheet listing the 应到 members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigninSheet {
    pub village: String,
    pub township: String,
    pub matter_id: String,
    pub title: String,
    pub kind: MeetingKind,
    pub date: NaiveDate,
    pub members: Vec<Member>,
    pub verification: Verification,
}
