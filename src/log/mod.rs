//! The log's entry envelope: how an `Event` becomes the exact stored bytes and back, and
//! the replay of stored entries through the rules engine.
//!
//! Entry bytes are canonical JSON (`crate::record::canonical`):
//! `{"body":{…},"idx":N,"origin":"…","prev":"<hex>","time":"<RFC 3339 UTC>","type":"…","v":1}`
//! (`prev` absent only for entry 0). Parsing is strict: the bytes must be exactly the
//! canonical encoding of what they say, so a re-encoded or hand-edited entry is caught.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::record::canonical;
use crate::record::merkle::{self, Hash};
use crate::rules::Event;

pub(crate) mod consent;

pub const FORMAT_VERSION: u64 = 1;

/// One entry as stored: its bytes and where it sits in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub idx: u64,
    pub origin: String,
    pub prev: Option<Hash>,
    pub time: DateTime<Utc>,
    pub event: Event,
}

/// Why stored bytes are not a valid entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryProblem {
    /// Not canonical JSON (the detail says how; worded only when shown: a hostile log can
    /// have millions of such lines).
    NotCanonical(crate::record::canonical::CanonError),
    /// The envelope is missing a field or has a wrong one.
    Envelope(String),
    /// The body does not match its `type`.
    Body(String),
    Version(u64),
}

pub fn time_string(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Entry {
    /// The canonical bytes of this entry: written straight from the typed entry
    /// (`canonical_ser`); should that writer stop, the `Value` route decides (and names
    /// the problem).
    pub fn to_bytes(&self) -> Result<Vec<u8>, EntryProblem> {
        match self.write_envelope() {
            Some(bytes) => Ok(bytes),
            None => self.to_bytes_via_value(),
        }
    }

    /// The envelope in its sorted key order (body, idx, origin, prev, time, type, v), the
    /// body by the canonical writer; `None` if that writer stops.
    fn write_envelope(&self) -> Option<Vec<u8>> {
        use crate::record::canonical::write_str;
        use std::io::Write as _;
        let mut out = Vec::with_capacity(512);
        out.extend_from_slice(b"{\"body\":");
        write_body(&self.event, &mut out).ok()?;
        if self.idx > canonical::MAX_SAFE_INTEGER as u64 {
            return None;
        }
        let _ = write!(out, ",\"idx\":{},\"origin\":", self.idx);
        write_str(&self.origin, &mut out).ok()?;
        if let Some(p) = self.prev {
            out.extend_from_slice(b",\"prev\":\"");
            out.extend_from_slice(hex::encode(p).as_bytes());
            out.push(b'"');
        }
        out.extend_from_slice(b",\"time\":");
        write_str(&time_string(self.time), &mut out).ok()?;
        out.extend_from_slice(b",\"type\":");
        write_str(self.event.type_name(), &mut out).ok()?;
        let _ = write!(out, ",\"v\":{FORMAT_VERSION}}}");
        (out.len() <= canonical::MAX_ENTRY_BYTES).then_some(out)
    }

    /// The canonical bytes by way of a `serde_json::Value` tree: the reference route.
    pub fn to_bytes_via_value(&self) -> Result<Vec<u8>, EntryProblem> {
        let ev =
            serde_json::to_value(&self.event).map_err(|e| EntryProblem::Body(e.to_string()))?;
        let Value::Object(mut obj) = ev else {
            return Err(EntryProblem::Body("event is not an object".into()));
        };
        obj.insert("v".into(), Value::from(FORMAT_VERSION));
        obj.insert("origin".into(), Value::from(self.origin.clone()));
        obj.insert("idx".into(), Value::from(self.idx));
        if let Some(p) = self.prev {
            obj.insert("prev".into(), Value::from(hex::encode(p)));
        }
        obj.insert("time".into(), Value::from(time_string(self.time)));
        canonical::to_canonical(&Value::Object(obj)).map_err(EntryProblem::NotCanonical)
    }

    /// Parses stored bytes strictly: canonical, known envelope, body matching its type.
    ///
    /// Three readers, one rule. A household's consent, nearly every entry of a long log, is
    /// read by `consent::read`, which accepts only the exact layout such an entry is
    /// written in. Other common entries are read by [`Entry::parse_fast`] (a typed
    /// read, accepted only if the entry re-encodes to exactly these bytes); anything it does
    /// not accept goes through [`Entry::parse_strict`], which accepts the same bytes and
    /// names what is wrong with the others. `fuzz_tests` checks that the three agree.
    pub fn parse(bytes: &[u8]) -> Result<Entry, EntryProblem> {
        if let Some(e) = consent::read(bytes) {
            return Ok(e);
        }
        match Entry::parse_fast(bytes) {
            Some(e) => Ok(e),
            None => Entry::parse_strict(bytes),
        }
    }

    /// The fast reader: `serde_json` reads the envelope and the typed body straight from the
    /// bytes (no intermediate tree), and the entry is accepted only if it re-encodes to the
    /// very same bytes. That is sound on its own: `to_canonical` writes only the canonical
    /// subset (NFC text, safe integers, no floats or nulls, sorted keys, one escape per
    /// character), so equal bytes are canonical and say exactly this entry. Duplicate
    /// fields are refused by the typed read or lost in the re-encoding, never accepted.
    /// `None` means "not accepted here", not "invalid": the strict reader decides.
    pub fn parse_fast(bytes: &[u8]) -> Option<Entry> {
        if bytes.len() > canonical::MAX_ENTRY_BYTES {
            return None;
        }
        let raw: RawEnvelope = serde_json::from_slice(bytes).ok()?;
        if raw.v != FORMAT_VERSION {
            return None;
        }
        let event = event_from(&raw.kind, raw.body.get())?;
        let prev = match raw.prev {
            None => None,
            Some(s) => {
                let mut h = [0u8; 32];
                hex::decode_to_slice(s.as_bytes(), &mut h).ok()?;
                Some(h)
            }
        };
        let time = DateTime::parse_from_rfc3339(&raw.time)
            .ok()?
            .with_timezone(&Utc);
        let entry = Entry {
            idx: raw.idx,
            origin: raw.origin,
            prev,
            time,
            event,
        };
        (entry.to_bytes().ok()?.as_slice() == bytes).then_some(entry)
    }

    /// The strict reader: the canonical JSON reader first (which names the first
    /// non-canonical byte), then the envelope field by field, then the body.
    pub fn parse_strict(bytes: &[u8]) -> Result<Entry, EntryProblem> {
        let v = canonical::parse_canonical(bytes).map_err(EntryProblem::NotCanonical)?;
        let Value::Object(mut obj) = v else {
            return Err(EntryProblem::Envelope("not an object".into()));
        };
        let take = |obj: &mut Map<String, Value>, k: &str| obj.remove(k);
        let version = take(&mut obj, "v")
            .and_then(|v| v.as_u64())
            .ok_or(EntryProblem::Envelope("v".into()))?;
        if version != FORMAT_VERSION {
            return Err(EntryProblem::Version(version));
        }
        let origin = take(&mut obj, "origin")
            .and_then(|v| v.as_str().map(str::to_string))
            .ok_or(EntryProblem::Envelope("origin".into()))?;
        let idx = take(&mut obj, "idx")
            .and_then(|v| v.as_u64())
            .ok_or(EntryProblem::Envelope("idx".into()))?;
        let prev = match take(&mut obj, "prev") {
            None => None,
            Some(Value::String(s)) => {
                let mut h = [0u8; 32];
                hex::decode_to_slice(&s, &mut h)
                    .map_err(|_| EntryProblem::Envelope("prev".into()))?;
                if hex::encode(h) != s {
                    return Err(EntryProblem::Envelope("prev".into()));
                }
                Some(h)
            }
            Some(_) => return Err(EntryProblem::Envelope("prev".into())),
        };
        let time_s = take(&mut obj, "time")
            .and_then(|v| v.as_str().map(str::to_string))
            .ok_or(EntryProblem::Envelope("time".into()))?;
        let time = DateTime::parse_from_rfc3339(&time_s)
            .map_err(|_| EntryProblem::Envelope("time".into()))?
            .with_timezone(&Utc);
        if time_string(time) != time_s {
            return Err(EntryProblem::Envelope("time".into()));
        }
        for k in obj.keys() {
            if k != "type" && k != "body" {
                return Err(EntryProblem::Envelope(k.clone()));
            }
        }
        let event: Event = serde_json::from_value(Value::Object(obj))
            .map_err(|e| EntryProblem::Body(e.to_string()))?;
        let entry = Entry {
            idx,
            origin,
            prev,
            time,
            event,
        };
        // One meaning, one spelling: serde's readers are lenient in places (chrono reads
        // "2026-04- 2" as 2026-04-02), so what was read must write back to the same bytes.
        if entry.to_bytes()? != bytes {
            return Err(EntryProblem::Body(
                "a field is not in its one stored spelling".into(),
            ));
        }
        Ok(entry)
    }

    pub fn leaf(bytes: &[u8]) -> Hash {
        merkle::leaf_hash(bytes)
    }
}

/// An event's body (what follows `"body":`), by the canonical writer, one level deep.
fn write_body(e: &Event, out: &mut Vec<u8>) -> Result<(), crate::record::canonical_ser::Error> {
    use crate::record::canonical_ser::write_canonical as w;
    match e {
        Event::Genesis(b) => w(b, out, 1),
        Event::Policy(b) => w(b, out, 1),
        Event::Roster(b) => w(b, out, 1),
        Event::Motion(b) => w(b, out, 1),
        Event::Proposal(b) | Event::Discussion(b) => w(b, out, 1),
        Event::Review(b) | Event::Resolution(b) => w(b, out, 1),
        Event::ConsultOpen(b) => w(b, out, 1),
        Event::Consent(b) => w(b, out, 1),
        Event::Sheet(b) => w(b, out, 1),
        Event::Publish(b) => w(b, out, 1),
        Event::Posted(b) => w(b, out, 1),
        Event::Objection(b) => w(b, out, 1),
        Event::Reply(b) => w(b, out, 1),
        Event::Implement(b) => w(b, out, 1),
        Event::Complete(b) => w(b, out, 1),
        Event::Revise(b) | Event::Withdraw(b) => w(b, out, 1),
        Event::KeyRotate(b) => w(b, out, 1),
        Event::Supervision(b) => w(b, out, 1),
    }
}

/// The envelope as the fast reader sees it; the body is kept as its raw bytes until the
/// `type` (which sorts after it) says what it is.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvelope<'a> {
    #[serde(borrow)]
    body: &'a RawValue,
    idx: u64,
    origin: String,
    #[serde(default)]
    prev: Option<String>,
    time: String,
    #[serde(rename = "type")]
    kind: String,
    v: u64,
}

/// The typed body for a stored `type` spelling (the same spellings as `Event`'s serde
/// renames; a test checks every variant reads back through here).
fn event_from(kind: &str, body: &str) -> Option<Event> {
    use serde_json::from_str as r;
    Some(match kind {
        "genesis" => Event::Genesis(r(body).ok()?),
        "policy" => Event::Policy(r(body).ok()?),
        "roster" => Event::Roster(r(body).ok()?),
        "motion" => Event::Motion(r(body).ok()?),
        "proposal" => Event::Proposal(r(body).ok()?),
        "discussion" => Event::Discussion(r(body).ok()?),
        "review" => Event::Review(r(body).ok()?),
        "consult.open" => Event::ConsultOpen(r(body).ok()?),
        "consult.record" => Event::Consent(r(body).ok()?),
        "consult.sheet" => Event::Sheet(r(body).ok()?),
        "resolution" => Event::Resolution(r(body).ok()?),
        "publish" => Event::Publish(r(body).ok()?),
        "publish.posted" => Event::Posted(r(body).ok()?),
        "objection" => Event::Objection(r(body).ok()?),
        "objection.reply" => Event::Reply(r(body).ok()?),
        "implement" => Event::Implement(r(body).ok()?),
        "complete" => Event::Complete(r(body).ok()?),
        "revise" => Event::Revise(r(body).ok()?),
        "withdraw" => Event::Withdraw(r(body).ok()?),
        "key.rotate" => Event::KeyRotate(r(body).ok()?),
        "supervision" => Event::Supervision(r(body).ok()?),
        _ => return None,
    })
}
