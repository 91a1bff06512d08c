//! What the log records: one typed event per entry, with the exact stored field names.
//!
//! An entry's bytes are `{"body":{…},"idx":N,"origin":"…","prev":"…","time":"…","type":"…","v":1}`
//! in canonical JSON (see `crate::record::canonical`). This file fixes the `type` and
//! `body` of every event; `crate::log` adds the envelope. Options are omitted when absent
//! (the canonical form has no nulls), and unknown fields are refused.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::category::Category;
use super::people::HouseholdId;
use super::policy::Policy;
use super::roster::RosterChange;

/// `d` as chrono displays it (`%Y-%m-%d`), without the formatting machinery, for the years
/// 0 to 9999 (`None` for the others). A decade holds 2 million consent dates, written to
/// snapshot rows and compared by `check`; formatting each was a few % of that.
pub fn ymd(d: NaiveDate) -> Option<[u8; 10]> {
    use chrono::Datelike;
    let y = d.year();
    if !(0..=9999).contains(&y) {
        return None;
    }
    let mut b = *b"0000-00-00";
    let mut put = |at: usize, width: usize, mut n: u32| {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, 4, y as u32);
    put(5, 2, d.month());
    put(8, 2, d.day());
    Some(b)
}

/// Serialises a date exactly as chrono's `Serialize` does (its `Display` as a string),
/// through [`ymd`].
fn serialize_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    match ymd(*d) {
        Some(b) => s.serialize_str(std::str::from_utf8(&b).unwrap_or_default()),
        None => d.serialize(s),
    }
}

/// Money in fen (分), never floating point.
pub type Fen = i64;

/// A file kept in the database and named by the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub size: u64,
    /// Display name only (the file's base name when attached), NFC.
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Adopt,
    Decline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// 村民代表会议
    Representatives,
    /// 村民会议
    Villagers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Opinion {
    Consent,
    Object,
}

/// How a household's signature was collected (民议).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// 在场签字
    InPerson,
    /// 同户代签
    SameHousehold,
    /// 远程确认
    Remote,
    /// 委托
    Proxy,
}

impl Method {
    /// The signer gives their own opinion (present, or reached remotely): in a 民议 that
    /// asks each adult, a record naming no adult is the signer's.
    pub fn own(self) -> bool {
        matches!(self, Method::InPerson | Method::Remote)
    }

    pub const ALL: [Method; 4] = [
        Method::InPerson,
        Method::SameHousehold,
        Method::Remote,
        Method::Proxy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::InPerson => "in-person",
            Method::SameHousehold => "same-household",
            Method::Remote => "remote",
            Method::Proxy => "proxy",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Method::InPerson => "在场",
            Method::SameHousehold => "同户代签",
            Method::Remote => "远程确认",
            Method::Proxy => "委托",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        let s = s.trim();
        Method::ALL
            .into_iter()
            .find(|m| m.as_str() == s || m.label_zh() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Resolution,
    Result,
}

/// The PDF a publish entry printed: its hash proves the bytes; the versions say which
/// templates and font made it, so a verifier from another version can say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintedNotice {
    pub sha256: String,
    pub size: u64,
    pub template_version: String,
    pub font_version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    pub origin: String,
    pub village: String,
    pub township: String,
    pub county: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The village signing key (hex of the 32-byte ed25519 public key).
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterEvent {
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub changes: Vec<RosterChange>,
    /// What these changes bring back into an open 民议's scope, by matter: households (or,
    /// in a round that counts adults, people) that had left it by an earlier roster change
    /// and are active again (a move-out corrected). Their opinion is needed again. Written
    /// since session 22; an entry without it brings no one back, as an earlier liuyi kept
    /// them out of scope for good.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub returns: std::collections::BTreeMap<String, Vec<HouseholdId>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MotionEvent {
    pub id: String,
    pub date: NaiveDate,
    pub title: String,
    pub text: String,
    pub category: Category,
    /// Proposers as `HOUSEHOLD:NAME`.
    pub by: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Fen>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
}

/// 提议 (支委会) and 商议 (两委联席会): a meeting that decides adopt or decline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingEvent {
    pub id: String,
    pub date: NaiveDate,
    /// 应到: computed from the roster on `date`; replay recomputes and compares.
    pub expected: u64,
    /// 实到
    pub present: u64,
    pub decision: Decision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// 商议 only: the plan (scope, schedule, person responsible).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Fen>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
}

/// 审议 (党员大会) and 决议 (村民代表会议 / 村民会议): a meeting that votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteEvent {
    pub id: String,
    pub date: NaiveDate,
    /// 决议 only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// 应到: voting party members (审议), composition (村民代表会议) or adults (村民会议).
    pub expected: u64,
    pub present: u64,
    #[serde(rename = "for")]
    pub for_: u64,
    pub against: u64,
    pub abstain: u64,
    /// 村民会议 only: households in the village and households represented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households_expected: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub households_present: Option<u64>,
    pub decision: Decision,
    /// Why the meeting declined (the written reply to the proposers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsultOpenEvent {
    pub id: String,
    pub date: NaiveDate,
    pub round: u32,
    /// The households in scope, fixed now (a snapshot of active households).
    pub households: Vec<HouseholdId>,
    /// When the policy has 民议 count adults: the adults in scope, fixed now, each as
    /// `HOUSEHOLD:NAME` (every adult of an active household on the opening day). Absent when
    /// it counts households.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adults: Vec<String>,
    /// Scans or photos kept with this step (SPEC: every stage can carry attachments);
    /// absent in entries made before it could.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentEvent {
    pub id: String,
    pub round: u32,
    pub household: HouseholdId,
    #[serde(serialize_with = "serialize_date")]
    pub date: NaiveDate,
    pub opinion: Opinion,
    pub signer: String,
    pub method: Method,
    /// When 民议 counts adults: the adult whose opinion this is (a name of `household`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The signer's relation to the household (SPEC §1, stage 5): a member's from the
    /// roster, a proxy's as given. Absent in records made before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<AttachmentRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet_page: Option<u32>,
}

impl ConsentEvent {
    /// Whose opinion this is, as a round's scope names it: the household, or when 民议
    /// counts adults, the person as `HOUSEHOLD:NAME`. (Borrowed for a household: judging
    /// two million of them in a decade's replay copies no name.)
    pub fn key(&self) -> std::borrow::Cow<'_, str> {
        match &self.person {
            Some(name) => format!("{}:{name}", self.household).into(),
            None => self.household.as_str().into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetEvent {
    pub id: String,
    pub round: u32,
    pub date: NaiveDate,
    pub first_page: u32,
    pub last_page: u32,
    pub scan: AttachmentRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishEvent {
    pub id: String,
    pub kind: NoticeKind,
    pub date: NaiveDate,
    pub days: u32,
    pub place: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<PrintedNotice>,
    /// Scans or photos kept with this step (SPEC: every stage can carry attachments);
    /// absent in entries made before it could.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
}

/// Proof that a notice was posted (a photo of the board, a signed record of posting),
/// recorded after the `publish` that printed it: the paper goes up after it is printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostedEvent {
    pub id: String,
    pub kind: NoticeKind,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub attachments: Vec<AttachmentRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectionEvent {
    pub id: String,
    pub n: u32,
    pub date: NaiveDate,
    pub from: String,
    pub text: String,
    /// Scans or photos kept with this step (SPEC: every stage can carry attachments);
    /// absent in entries made before it could.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyEvent {
    pub id: String,
    pub n: u32,
    pub date: NaiveDate,
    pub text: String,
    /// Scans or photos kept with this step (SPEC: every stage can carry attachments);
    /// absent in entries made before it could.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImplementEvent {
    pub id: String,
    pub date: NaiveDate,
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spent: Option<Fen>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contractor: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompleteEvent {
    pub id: String,
    pub date: NaiveDate,
    /// Final cost.
    pub spent: Fen,
    /// 验收: who accepted the work.
    pub accepted_by: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contractor: Option<String>,
    /// How the contractor was chosen (招标, 比选, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procurement: Option<String>,
    /// 村务监督委员会 opinion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervision: Option<String>,
    /// 验收结论 (the acceptance's conclusion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conclusion: Option<String>,
    /// Final cost by funding source, when the village accounts for it that way; sums to
    /// `spent`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spent_by: Vec<SourceAmount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
    /// Why the final cost is over the budget (超支原因), printed on the result notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overspend_reason: Option<String>,
    /// A completion recorded again, before the result notice, corrects the last one: the
    /// entry (its index) it corrects, and why (SPEC §2: a correction is a new entry that
    /// says what it corrects and why). The result notice prints the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
}

/// An amount from one funding source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceAmount {
    pub source: String,
    pub amount: Fen,
}

/// `revise` (back to 商议) and `withdraw`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonEvent {
    pub id: String,
    pub date: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyEvent {
    pub policy: Policy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Who villagers contact about an objection (the 村务监督委员会's contact and phone), as
/// changed after `init` (an election, a new number): every notice printed afterwards names
/// them. Each field is the contact in force from then on, not a difference; `None` is not
/// recorded (printed as at `init`: the committee's name, a dash for the phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupervisionEvent {
    /// The day the change took effect (e.g. the committee's election).
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A change of village key, signed by the old and the new key (or the township's key
/// when the old one is lost) over the DSSE PAE of the body without `signatures`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRotateEvent {
    pub date: NaiveDate,
    pub old: String,
    pub new: String,
    pub reason: String,
    /// `old` (secretary change) or `township` (lost key).
    pub authority: String,
    /// Base64 signatures: by the old key (or township key) and by the new key.
    pub signatures: Vec<String>,
}

/// Every kind of log entry. `type` spellings are stable: the township's tools read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body")]
pub enum Event {
    #[serde(rename = "genesis")]
    Genesis(Genesis),
    #[serde(rename = "policy")]
    Policy(PolicyEvent),
    #[serde(rename = "roster")]
    Roster(RosterEvent),
    #[serde(rename = "motion")]
    Motion(MotionEvent),
    #[serde(rename = "proposal")]
    Proposal(MeetingEvent),
    #[serde(rename = "discussion")]
    Discussion(MeetingEvent),
    #[serde(rename = "review")]
    Review(VoteEvent),
    #[serde(rename = "consult.open")]
    ConsultOpen(ConsultOpenEvent),
    #[serde(rename = "consult.record")]
    Consent(ConsentEvent),
    #[serde(rename = "consult.sheet")]
    Sheet(SheetEvent),
    #[serde(rename = "resolution")]
    Resolution(VoteEvent),
    #[serde(rename = "publish")]
    Publish(PublishEvent),
    #[serde(rename = "publish.posted")]
    Posted(PostedEvent),
    #[serde(rename = "objection")]
    Objection(ObjectionEvent),
    #[serde(rename = "objection.reply")]
    Reply(ReplyEvent),
    #[serde(rename = "implement")]
    Implement(ImplementEvent),
    #[serde(rename = "complete")]
    Complete(CompleteEvent),
    #[serde(rename = "revise")]
    Revise(ReasonEvent),
    #[serde(rename = "withdraw")]
    Withdraw(ReasonEvent),
    #[serde(rename = "key.rotate")]
    KeyRotate(KeyRotateEvent),
    #[serde(rename = "supervision")]
    Supervision(SupervisionEvent),
}

impl Event {
    /// The matter this event belongs to, if any.
    pub fn matter(&self) -> Option<&str> {
        match self {
            Event::Genesis(_)
            | Event::Policy(_)
            | Event::Roster(_)
            | Event::KeyRotate(_)
            | Event::Supervision(_) => None,
            Event::Motion(e) => Some(&e.id),
            Event::Proposal(e) | Event::Discussion(e) => Some(&e.id),
            Event::Review(e) | Event::Resolution(e) => Some(&e.id),
            Event::ConsultOpen(e) => Some(&e.id),
            Event::Consent(e) => Some(&e.id),
            Event::Sheet(e) => Some(&e.id),
            Event::Publish(e) => Some(&e.id),
            Event::Posted(e) => Some(&e.id),
            Event::Objection(e) => Some(&e.id),
            Event::Reply(e) => Some(&e.id),
            Event::Implement(e) => Some(&e.id),
            Event::Complete(e) => Some(&e.id),
            Event::Revise(e) | Event::Withdraw(e) => Some(&e.id),
        }
    }

    /// Every attachment this event references.
    pub fn attachments(&self) -> Vec<&AttachmentRef> {
        match self {
            Event::Motion(e) => e.attachments.iter().collect(),
            Event::Proposal(e) | Event::Discussion(e) => e.attachments.iter().collect(),
            Event::Review(e) | Event::Resolution(e) => e.attachments.iter().collect(),
            Event::Consent(e) => e.evidence.iter().collect(),
            Event::Sheet(e) => vec![&e.scan],
            Event::Implement(e) => e.attachments.iter().collect(),
            Event::Complete(e) => e.attachments.iter().collect(),
            Event::ConsultOpen(e) => e.attachments.iter().collect(),
            Event::Publish(e) => e.attachments.iter().collect(),
            Event::Posted(e) => e.attachments.iter().collect(),
            Event::Objection(e) => e.attachments.iter().collect(),
            Event::Reply(e) => e.attachments.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The stored `type` spelling (the serde renames above; a test checks they agree).
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::Genesis(_) => "genesis",
            Event::Policy(_) => "policy",
            Event::Roster(_) => "roster",
            Event::Motion(_) => "motion",
            Event::Proposal(_) => "proposal",
            Event::Discussion(_) => "discussion",
            Event::Review(_) => "review",
            Event::ConsultOpen(_) => "consult.open",
            Event::Consent(_) => "consult.record",
            Event::Sheet(_) => "consult.sheet",
            Event::Resolution(_) => "resolution",
            Event::Publish(_) => "publish",
            Event::Posted(_) => "publish.posted",
            Event::Objection(_) => "objection",
            Event::Reply(_) => "objection.reply",
            Event::Implement(_) => "implement",
            Event::Complete(_) => "complete",
            Event::Revise(_) => "revise",
            Event::Withdraw(_) => "withdraw",
            Event::KeyRotate(_) => "key.rotate",
            Event::Supervision(_) => "supervision",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same JSON bytes as chrono's own `Serialize`, inside and outside 0..=9999.
    #[test]
    fn dates_serialise_as_chrono_does() {
        let mine = |d: NaiveDate| {
            let mut out = Vec::new();
            serialize_date(&d, &mut serde_json::Serializer::new(&mut out)).unwrap();
            String::from_utf8(out).unwrap()
        };
        let mut d = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..900 {
            assert_eq!(mine(d), serde_json::to_string(&d).unwrap());
            d = d.succ_opt().unwrap();
        }
        for (y, m, day) in [
            (0, 1, 1),
            (9, 3, 4),
            (999, 10, 31),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 30),
        ] {
            let d = NaiveDate::from_ymd_opt(y, m, day).unwrap();
            assert_eq!(mine(d), serde_json::to_string(&d).unwrap(), "{d}");
            assert_eq!(ymd(d).is_some(), (0..=9999).contains(&y));
        }
        // And inside a consent record, as snapshot rows and log entries hold it.
        let c = ConsentEvent {
            id: "2024-007".into(),
            round: 1,
            household: "H0001".into(),
            date: NaiveDate::from_ymd_opt(2024, 3, 9).unwrap(),
            opinion: Opinion::Consent,
            signer: "张三".into(),
            method: Method::InPerson,
            person: None,
            relation: None,
            reason: None,
            collector: None,
            evidence: None,
            sheet_page: Some(3),
        };
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains(r#""date":"2024-03-09""#), "{json}");
        let back: ConsentEvent = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
    }
}
