//! The exact reader of the commonest entry: one household's 民议 record
//! (`consult.record`, 99 % of a decade's log).
//!
//! It accepts only bytes laid out exactly as [`Entry::to_bytes`] writes such an entry —
//! keys in canonical order, strings with nothing to escape and in NFC, integers in their
//! one spelling, dates and times as chrono writes them — so what it accepts is canonical
//! by construction, and the entry need not be written again to be compared with its bytes
//! (that comparison was a third of reading the log). Anything else — an escape in a name,
//! a field it does not know, a number too large, any other type — is `None`, "not read
//! here": the general readers decide, and name what is wrong. `fuzz_tests` checks that
//! whatever it reads, the general reader reads the same and writes back to the same bytes.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::{Entry, FORMAT_VERSION};
use crate::record::canonical::{MAX_ENTRY_BYTES, MAX_SAFE_INTEGER};
use crate::rules::Event;
use crate::rules::event::{AttachmentRef, ConsentEvent, Method, Opinion};

/// How every consent entry ends (`type` and `v` sort last).
const TAIL: &[u8] = b",\"type\":\"consult.record\",\"v\":1}";
const _: () = assert!(FORMAT_VERSION == 1, "TAIL spells the format version");

/// The entry these bytes say, if they are a consent entry in the exact layout.
pub(crate) fn read(bytes: &[u8]) -> Option<Entry> {
    if bytes.len() > MAX_ENTRY_BYTES || !bytes.ends_with(TAIL) {
        return None;
    }
    // Valid UTF-8 as a whole (one pass, mostly ASCII) rather than string by string: every
    // string ends at an ASCII quote, so each is then a slice of valid text.
    let text = std::str::from_utf8(bytes).ok()?;
    let mut c = Cursor {
        s: text,
        b: bytes,
        pos: 0,
    };
    c.lit(b"{\"body\":{")?;
    let mut first = true;
    let collector = if c.key(&mut first, "collector") {
        Some(c.str()?.to_string())
    } else {
        None
    };
    c.need(&mut first, "date")?;
    let date = c.date()?;
    let evidence = if c.key(&mut first, "evidence") {
        Some(c.attachment()?)
    } else {
        None
    };
    c.need(&mut first, "household")?;
    let household = c.str()?.to_string();
    c.need(&mut first, "id")?;
    let id = c.str()?.to_string();
    c.need(&mut first, "method")?;
    let method = match c.str()? {
        "in-person" => Method::InPerson,
        "same-household" => Method::SameHousehold,
        "remote" => Method::Remote,
        "proxy" => Method::Proxy,
        _ => return None,
    };
    c.need(&mut first, "opinion")?;
    let opinion = match c.str()? {
        "consent" => Opinion::Consent,
        "object" => Opinion::Object,
        _ => return None,
    };
    let person = if c.key(&mut first, "person") {
        Some(c.str()?.to_string())
    } else {
        None
    };
    let reason = if c.key(&mut first, "reason") {
        Some(c.str()?.to_string())
    } else {
        None
    };
    let relation = if c.key(&mut first, "relation") {
        Some(c.str()?.to_string())
    } else {
        None
    };
    c.need(&mut first, "round")?;
    let round = u32::try_from(c.int()?).ok()?;
    let sheet_page = if c.key(&mut first, "sheet_page") {
        Some(u32::try_from(c.int()?).ok()?)
    } else {
        None
    };
    c.need(&mut first, "signer")?;
    let signer = c.str()?.to_string();
    c.lit(b"},\"idx\":")?;
    let idx = c.int()?;
    c.lit(b",\"origin\":")?;
    let origin = c.str()?.to_string();
    let prev = if c.peek(b",\"prev\":") {
        c.lit(b",\"prev\":\"")?;
        let h = c.hash()?;
        c.lit(b"\"")?;
        Some(h)
    } else {
        None
    };
    c.lit(b",\"time\":")?;
    let time = c.time()?;
    c.lit(TAIL)?;
    if c.pos != bytes.len() {
        return None;
    }
    Some(Entry {
        idx,
        origin,
        prev,
        time,
        event: Event::Consent(ConsentEvent {
            id,
            round,
            household,
            date,
            opinion,
            signer,
            method,
            person,
            reason,
            relation,
            collector,
            evidence,
            sheet_page,
        }),
    })
}

struct Cursor<'a> {
    /// The entry, known to be valid UTF-8 ...
    s: &'a str,
    /// ... and its bytes.
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a [u8] {
        &self.b[self.pos..]
    }

    fn peek(&self, s: &[u8]) -> bool {
        self.rest().starts_with(s)
    }

    fn lit(&mut self, s: &[u8]) -> Option<()> {
        self.peek(s).then(|| self.pos += s.len())
    }

    /// `"name":` (after a comma unless it is the object's first key), if it comes next.
    fn key(&mut self, first: &mut bool, name: &str) -> bool {
        let start = self.pos;
        let found = (*first || self.lit(b",").is_some())
            && self.lit(b"\"").is_some()
            && self.lit(name.as_bytes()).is_some()
            && self.lit(b"\":").is_some();
        if found {
            *first = false;
        } else {
            self.pos = start;
        }
        found
    }

    fn need(&mut self, first: &mut bool, name: &str) -> Option<()> {
        self.key(first, name).then_some(())
    }

    /// A string the canonical writer writes as it is: no quote, backslash or control
    /// character inside, in NFC (and valid UTF-8, as the whole entry is).
    fn str(&mut self) -> Option<&'a str> {
        self.lit(b"\"")?;
        let rest = self.rest();
        let end = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest[end] != b'"' {
            return None;
        }
        let s = self.s.get(self.pos..self.pos + end)?;
        if !crate::record::canonical::is_nfc(s) {
            return None;
        }
        self.pos += end + 1;
        Some(s)
    }

    /// A non-negative integer in its canonical spelling (no sign, no leading zero, no
    /// fraction or exponent), at most 2^53 − 1.
    fn int(&mut self) -> Option<u64> {
        let rest = self.rest();
        let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 || n > 16 || (n > 1 && rest[0] == b'0') {
            return None;
        }
        let v = rest[..n]
            .iter()
            .fold(0u64, |v, &b| v * 10 + u64::from(b - b'0'));
        if v > MAX_SAFE_INTEGER as u64 {
            return None;
        }
        self.pos += n;
        Some(v)
    }

    /// Exactly `n` decimal digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let d = self.rest().get(..n)?;
        if !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += n;
        Some(d.iter().fold(0, |v, &b| v * 10 + u32::from(b - b'0')))
    }

    /// `YYYY-MM-DD`, unquoted: how chrono writes a date of the years 0–9999.
    fn ymd(&mut self) -> Option<NaiveDate> {
        let y = self.digits(4)?;
        self.lit(b"-")?;
        let m = self.digits(2)?;
        self.lit(b"-")?;
        let d = self.digits(2)?;
        NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
    }

    fn date(&mut self) -> Option<NaiveDate> {
        self.lit(b"\"")?;
        let d = self.ymd()?;
        self.lit(b"\"")?;
        Some(d)
    }

    /// `"YYYY-MM-DDTHH:MM:SSZ"`: how an entry's time is written (whole seconds, UTC).
    fn time(&mut self) -> Option<DateTime<Utc>> {
        self.lit(b"\"")?;
        let d = self.ymd()?;
        self.lit(b"T")?;
        let h = self.digits(2)?;
        self.lit(b":")?;
        let m = self.digits(2)?;
        self.lit(b":")?;
        let s = self.digits(2)?;
        self.lit(b"Z\"")?;
        Some(d.and_time(NaiveTime::from_hms_opt(h, m, s)?).and_utc())
    }

    /// 64 lower-case hex digits (`hex::encode` writes lower case).
    fn hash(&mut self) -> Option<[u8; 32]> {
        // Every consent entry carries one (2 million on a decade): a table, and one test
        // of all 64 digits at the end instead of a branch per digit.
        const NIBBLE: [u8; 256] = {
            let mut t = [0xffu8; 256];
            let mut i = 0;
            while i < 10 {
                t[b'0' as usize + i] = i as u8;
                i += 1;
            }
            let mut i = 0;
            while i < 6 {
                t[b'a' as usize + i] = 10 + i as u8;
                i += 1;
            }
            t
        };
        let hex = self.rest().get(..64)?;
        let mut h = [0u8; 32];
        let mut bad = 0u8;
        for (byte, pair) in h.iter_mut().zip(hex.chunks_exact(2)) {
            let (hi, lo) = (NIBBLE[pair[0] as usize], NIBBLE[pair[1] as usize]);
            bad |= hi | lo;
            *byte = (hi << 4) | (lo & 0x0f);
        }
        if bad & 0xf0 != 0 {
            return None;
        }
        self.pos += 64;
        Some(h)
    }

    /// `{"name":…,"sha256":…,"size":…}`.
    fn attachment(&mut self) -> Option<AttachmentRef> {
        self.lit(b"{\"name\":")?;
        let name = self.str()?.to_string();
        self.lit(b",\"sha256\":")?;
        let sha256 = self.str()?.to_string();
        self.lit(b",\"size\":")?;
        let size = self.int()?;
        self.lit(b"}")?;
        Some(AttachmentRef { sha256, size, name })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn consent(shape: usize) -> Entry {
        let attachment = AttachmentRef {
            sha256: "ab".repeat(32),
            size: 123_456_789,
            name: "第3页 扫描.pdf".into(),
        };
        let odd = shape % 2 == 1;
        Entry {
            idx: [1, 9, 10, 4_503_599_627_370_495][shape % 4],
            origin: "liuyi/130102001001".into(),
            prev: (shape != 0).then_some([shape as u8; 32]),
            time: NaiveDate::from_ymd_opt(2016 + shape as i32, 1 + shape as u32 % 12, 28)
                .unwrap()
                .and_hms_opt(shape as u32 % 24, 59, 7)
                .unwrap()
                .and_utc(),
            event: Event::Consent(ConsentEvent {
                id: format!("2016-{:03}", shape),
                round: 1 + shape as u32,
                household: format!("{:04}", shape * 37),
                date: NaiveDate::from_ymd_opt(2016, 2, 1 + shape as u32).unwrap(),
                opinion: if shape % 3 == 2 {
                    Opinion::Object
                } else {
                    Opinion::Consent
                },
                signer: ["梁慧", "欧阳 娜娜", "Zoë", ""][shape % 4].into(),
                method: Method::ALL[shape % 4],
                person: (shape % 5 == 3).then(|| "欧阳 娜娜".into()),
                relation: (shape % 3 != 1).then(|| ["户主", "妻", "委托：侄子"][shape % 3].into()),
                reason: (shape % 3 == 2).then(|| "占用了我家的地".into()),
                collector: odd.then(|| "贺超".into()),
                evidence: (shape % 4 >= 2).then(|| attachment.clone()),
                sheet_page: (!odd).then_some(shape as u32 * 1000),
            }),
        }
    }

    /// Consent entries of every shape: each optional field present and absent, texts in
    /// Chinese and with spaces, numbers of one to sixteen digits, the first entry.
    pub(crate) fn consents() -> Vec<Entry> {
        (0..12).map(consent).collect()
    }

    #[test]
    fn every_shape_of_a_written_consent_is_read_back_exactly() {
        for e in consents() {
            let bytes = e.to_bytes().unwrap();
            assert_eq!(
                read(&bytes).as_ref(),
                Some(&e),
                "{}",
                String::from_utf8_lossy(&bytes)
            );
            assert_eq!(Entry::parse_fast(&bytes).as_ref(), Some(&e));
        }
        // A link with every hex digit, read back; a digit spoiled at either end of each
        // range ('/', ':', '`', 'g') or in capitals is not read here.
        let mut e = consent(5);
        let prev: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0xa5);
        e.prev = Some(prev);
        let bytes = e.to_bytes().unwrap();
        assert_eq!(read(&bytes), Some(e.clone()));
        let text = String::from_utf8(bytes).unwrap();
        let hex = hex::encode(prev);
        assert!(
            ('0'..='9').chain('a'..='f').all(|c| hex.contains(c)),
            "{hex}"
        );
        for (at, bad) in [(0, '/'), (17, ':'), (40, '`'), (63, 'g'), (5, 'A')] {
            let mut spoiled = hex.clone();
            spoiled.replace_range(at..at + 1, &bad.to_string());
            let s = text.replace(&hex, &spoiled);
            assert_eq!(read(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn what_it_does_not_read_the_general_readers_decide() {
        let e = consent(3);
        let bytes = String::from_utf8(e.to_bytes().unwrap()).unwrap();
        // Canonical, but not in the exact layout: a quote in a name must be escaped.
        let mut quoted = e.clone();
        if let Event::Consent(c) = &mut quoted.event {
            c.signer = "王\"二\"".into();
        }
        let qb = quoted.to_bytes().unwrap();
        assert_eq!(read(&qb), None);
        assert_eq!(Entry::parse(&qb), Ok(quoted));
        // A leap second: chrono writes it back as read, so it is canonical; rare enough to
        // be left to the general reader.
        let leap = bytes.replace("T03:59:07Z", "T03:59:60Z");
        assert_eq!(read(leap.as_bytes()), None);
        assert!(Entry::parse(leap.as_bytes()).is_ok());
        // Not canonical at all: each refused here, and by the general readers.
        let spoiled = [
            bytes.replace("\"round\":4", "\"round\":04"),
            bytes.replace("\"round\":4", "\"round\":4.0"),
            bytes.replace("\"round\":4", "\"round\":4294967296"),
            bytes.replace("\"household\":\"0111\",", ""),
            bytes.replace(
                "\"collector\":\"贺超\",",
                "\"collector\":\"贺超\",\"collector\":\"贺超\",",
            ),
            bytes.replace("\"date\":\"2016-02-04\"", "\"date\":\"2016-2-4\""),
            bytes.replace("\"date\":\"2016-02-04\"", "\"date\":\"2016-02-30\""),
            bytes.replace("T03:59:07Z", "T03:59:07+00:00"),
            bytes.replace(
                &hex::encode([3u8; 32]),
                &hex::encode([3u8; 32]).to_uppercase().replace('3', "A"),
            ),
            bytes.replace("\"method\":\"proxy\"", "\"method\":\"Proxy\""),
            bytes.replace("\"v\":1}", "\"v\":2}"),
            bytes.replace("{\"body\":{", "{ \"body\":{"),
            // Text not in NFC (the signer Zoë of another entry, decomposed).
            String::from_utf8(consent(2).to_bytes().unwrap())
                .unwrap()
                .replace("Zoë", "Zoe\u{308}"),
            format!("{bytes}\n"),
        ];
        for s in spoiled {
            assert_ne!(s, bytes);
            assert_eq!(read(s.as_bytes()), None, "{s}");
            assert!(Entry::parse(s.as_bytes()).is_err(), "{s}");
        }
    }
}
