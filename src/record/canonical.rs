//! Canonical JSON for log entries: a strict subset of RFC 8785 (JCS).
//!
//! This file owns the byte form of an entry: `to_canonical` turns a `serde_json::Value` into
//! the one byte string that is hashed, and `parse_canonical` accepts a byte string only if it
//! is exactly that form (it rejects, never repairs). It does not know what fields an entry
//! has; that belongs to the log store and the rules engine.
//!
//! The subset: objects, arrays, strings, `true`/`false`, and integers within ±(2^53−1).
//! Floats and `null` are refused because JCS would serialise them through IEEE-754 doubles,
//! which silently loses precision (research §1.5). Text must be NFC: JCS itself does no
//! normalisation, so two spellings of the same name would otherwise hash differently.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};
use unicode_normalization::UnicodeNormalization;

/// Largest integer JCS can carry exactly (2^53 − 1), per I-JSON.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;
/// One entry may not exceed this many bytes: big files go in attachments, not entries.
pub const MAX_ENTRY_BYTES: usize = 1 << 20;
/// Arrays and objects may nest this deep; deeper input is hostile, not a village decision.
pub const MAX_DEPTH: usize = 64;

/// Why a value or a byte string is not canonical. Offsets are byte offsets into the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CanonError {
    /// The bytes are not valid UTF-8 (offset of the first bad byte).
    NotUtf8 { offset: usize },
    /// Not JSON at all, or JSON we never write (e.g. a lone surrogate escape).
    Syntax { offset: usize },
    /// The same key appears twice in one object.
    DuplicateKey { key: String },
    /// A number with a fraction or exponent.
    Float,
    /// A `null`.
    Null,
    /// An integer outside ±(2^53−1).
    IntegerOutOfRange,
    /// A string (key or value) that is not in Unicode NFC.
    NotNfc { text: String },
    /// Valid JSON in our subset, but not byte-for-byte the canonical form.
    NotCanonical,
    /// Larger than [`MAX_ENTRY_BYTES`].
    TooLarge { len: usize },
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

impl std::fmt::Display for CanonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::record::describe_canon(
            self,
            crate::i18n::Lang::En,
        ))
    }
}

impl std::error::Error for CanonError {}

/// Normalises text to NFC. Call this once, where text enters the program (typed input,
/// roster files), never on data read back from the log: the log must already be NFC.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Serialises `v` in canonical form. Fails on anything outside the subset.
pub fn to_canonical(v: &Value) -> Result<Vec<u8>, CanonError> {
    let mut out = Vec::new();
    write_value(v, &mut out, 0)?;
    if out.len() > MAX_ENTRY_BYTES {
        return Err(CanonError::TooLarge { len: out.len() });
    }
    Ok(out)
}

fn write_value(v: &Value, out: &mut Vec<u8>, depth: usize) -> Result<(), CanonError> {
    match v {
        Value::Null => Err(CanonError::Null),
        Value::Bool(true) => {
            out.extend_from_slice(b"true");
            Ok(())
        }
        Value::Bool(false) => {
            out.extend_from_slice(b"false");
            Ok(())
        }
        Value::Number(n) => {
            let i = number_to_i64(n)?;
            use std::io::Write as _;
            let _ = write!(out, "{i}");
            Ok(())
        }
        Value::String(s) => write_str(s, out),
        Value::Array(items) => {
            if depth >= MAX_DEPTH {
                return Err(CanonError::TooDeep);
            }
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out, depth + 1)?;
            }
            out.push(b']');
            Ok(())
        }
        Value::Object(map) => {
            if depth >= MAX_DEPTH {
                return Err(CanonError::TooDeep);
            }
            // serde_json's Map is a BTreeMap ordered by UTF-8 bytes; JCS orders by UTF-16
            // code units. The two differ once keys mix BMP characters above U+E000 with
            // astral ones (e.g. "€"/"😀"/"דּ"), so sort explicitly.
            // For ASCII keys (every key we write) the two orders agree: skip the sort.
            let mut keys: Vec<&String> = map.keys().collect();
            if !keys.iter().all(|k| k.is_ascii()) {
                keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            }
            out.push(b'{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(k, out)?;
                out.push(b':');
                write_value(&map[k.as_str()], out, depth + 1)?;
            }
            out.push(b'}');
            Ok(())
        }
    }
}

fn number_to_i64(n: &Number) -> Result<i64, CanonError> {
    if let Some(i) = n.as_i64() {
        if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) {
            return Ok(i);
        }
        return Err(CanonError::IntegerOutOfRange);
    }
    if n.as_u64().is_some() {
        // A u64 that does not fit i64 is far beyond 2^53.
        return Err(CanonError::IntegerOutOfRange);
    }
    Err(CanonError::Float)
}

/// Whether `s` is in NFC, as `unicode_normalization::is_nfc` says, answered at once for
/// the text a village writes: ASCII and the CJK ideographs (U+3400–U+9FFF, Extension A
/// and the Unified block), each a starter that composes with nothing (NFC quick check
/// "yes"), so any string of them is in NFC. Anything else is asked of the library. A
/// decade's replay asks this of every name in two million consents.
pub(crate) fn is_nfc(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0x00..=0x7f => i += 1,
            // A `str` is valid UTF-8: a lead byte E3 (with 90–BF next: U+3400–U+3FFF)
            // or E4–E9 (U+4000–U+9FFF) starts three bytes.
            0xe3 if b[i + 1] >= 0x90 => i += 3,
            0xe4..=0xe9 => i += 3,
            _ => return unicode_normalization::is_nfc(s),
        }
    }
    true
}

/// Writes `s` as a canonical JSON string (refusing text not in NFC).
pub(crate) fn write_str(s: &str, out: &mut Vec<u8>) -> Result<(), CanonError> {
    // Fast path: nothing to escape (ASCII text is NFC; other text is checked).
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') && is_nfc(s) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        return Ok(());
    }
    if !is_nfc(s) {
        return Err(CanonError::NotNfc {
            text: s.to_string(),
        });
    }
    out.push(b'"');
    for ch in s.chars() {
        match ch {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
    Ok(())
}

/// Parses an entry's bytes, accepting them only if they are exactly canonical.
///
/// serde_json is not used for parsing because it silently keeps the last of two duplicate
/// keys; a forger could then show one value to us and another to a different parser.
pub fn parse_canonical(bytes: &[u8]) -> Result<Value, CanonError> {
    if bytes.len() > MAX_ENTRY_BYTES {
        return Err(CanonError::TooLarge { len: bytes.len() });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| CanonError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
    };
    p.skip_ws();
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos != p.s.len() {
        return Err(CanonError::Syntax { offset: p.pos });
    }
    // Every string was checked for NFC and every number for range while parsing, so a
    // failure here can only be a layout difference: whitespace, key order, escapes, `-0`.
    let canon = to_canonical(&v)?;
    if canon != bytes {
        return Err(CanonError::NotCanonical);
    }
    Ok(v)
}

/// A small strict JSON reader (RFC 8259 grammar) over bytes already known to be UTF-8.
struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn syntax(&self) -> CanonError {
        CanonError::Syntax { offset: self.pos }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect_literal(&mut self, lit: &[u8]) -> Result<(), CanonError> {
        if self.s[self.pos..].starts_with(lit) {
            self.pos += lit.len();
            Ok(())
        } else {
            Err(self.syntax())
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, CanonError> {
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Value::String(s))
            }
            Some(b't') => self.expect_literal(b"true").map(|_| Value::Bool(true)),
            Some(b'f') => self.expect_literal(b"false").map(|_| Value::Bool(false)),
            Some(b'n') => {
                self.expect_literal(b"null")?;
                Err(CanonError::Null)
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.syntax()),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, CanonError> {
        if depth >= MAX_DEPTH {
            return Err(CanonError::TooDeep);
        }
        self.pos += 1; // '{'
        // Collect into a BTreeMap first so a duplicate is seen before serde_json's Map
        // could overwrite it.
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(Map::new()));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.syntax());
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.syntax());
            }
            self.pos += 1;
            self.skip_ws();
            let v = self.value(depth + 1)?;
            if map.contains_key(&key) {
                return Err(CanonError::DuplicateKey { key });
            }
            map.insert(key, v);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map.into_iter().collect()));
                }
                _ => return Err(self.syntax()),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, CanonError> {
        if depth >= MAX_DEPTH {
            return Err(CanonError::TooDeep);
        }
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.syntax()),
            }
        }
    }

    fn number(&mut self) -> Result<Value, CanonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        let int_digits = &self.s[int_start..self.pos];
        if int_digits.is_empty() || (int_digits.len() > 1 && int_digits[0] == b'0') {
            return Err(CanonError::Syntax { offset: int_start });
        }
        let mut is_float = false;
        if self.peek() == Some(b'.') {
            is_float = true;
            self.pos += 1;
            let frac_start = self.pos;
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
            if self.pos == frac_start {
                return Err(self.syntax());
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            is_float = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            let exp_start = self.pos;
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
            if self.pos == exp_start {
                return Err(self.syntax());
            }
        }
        if is_float {
            return Err(CanonError::Float);
        }
        // At most 16 digits can be within 2^53 − 1 (9007199254740991); refuse longer ones
        // before parsing so no overflow is possible.
        if int_digits.len() > 16 {
            return Err(CanonError::IntegerOutOfRange);
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).map_err(|_| self.syntax())?;
        let i: i64 = text.parse().map_err(|_| self.syntax())?;
        if !(-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) {
            return Err(CanonError::IntegerOutOfRange);
        }
        Ok(Value::Number(Number::from(i)))
    }

    fn hex4(&mut self) -> Result<u32, CanonError> {
        let digits = self
            .s
            .get(self.pos..self.pos + 4)
            .ok_or(CanonError::Syntax { offset: self.pos })?;
        let mut v = 0u32;
        for &d in digits {
            let n = (d as char).to_digit(16).ok_or(self.syntax())?;
            v = v * 16 + n;
        }
        self.pos += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, CanonError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.pos;
            // Copy a run of plain bytes at once. The input is valid UTF-8 and '"', '\\' and
            // control bytes are ASCII, so a run never splits a character.
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            let run = std::str::from_utf8(&self.s[start..self.pos]).map_err(|_| self.syntax())?;
            out.push_str(run);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self.peek().ok_or(self.syntax())?;
                    self.pos += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let at = self.pos - 2;
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                // A high surrogate must be followed by an escaped low one.
                                if !self.s[self.pos..].starts_with(b"\\u") {
                                    return Err(CanonError::Syntax { offset: at });
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(CanonError::Syntax { offset: at });
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else if (0xDC00..0xE000).contains(&hi) {
                                return Err(CanonError::Syntax { offset: at });
                            } else {
                                hi
                            };
                            out.push(char::from_u32(cp).ok_or(CanonError::Syntax { offset: at })?);
                        }
                        _ => {
                            return Err(CanonError::Syntax {
                                offset: self.pos - 1,
                            });
                        }
                    }
                }
                // A raw control character, or the input ended inside the string.
                _ => return Err(self.syntax()),
            }
        }
        if !is_nfc(&out) {
            return Err(CanonError::NotNfc { text: out });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canon(v: &Value) -> String {
        String::from_utf8(to_canonical(v).unwrap()).unwrap()
    }

    #[test]
    fn the_quick_nfc_answer_is_the_librarys() {
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        // Every character the quick path passes is a starter (combining class 0) the
        // library's quick check says "yes" to: a string of them is in NFC whatever their
        // order.
        let quick = (0u32..0x80).chain(0x3400..=0x9fff);
        for c in quick.filter_map(char::from_u32) {
            assert_eq!(
                is_nfc_quick(std::iter::once(c)),
                IsNormalized::Yes,
                "U+{:04X}",
                c as u32
            );
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(c),
                0,
                "U+{:04X}",
                c as u32
            );
            assert!(is_nfc(&c.to_string()));
        }
        // Beside them, just outside the ranges and mixed in: the same answer as the
        // library's, for text in NFC and not (a decomposed é, an ideographic tone mark
        // U+302A, a compatibility ideograph U+F900, Hangul jamo that compose).
        let parts = [
            "a",
            "村",
            "\u{3400}",
            "\u{33ff}",
            "\u{9fff}",
            "\u{a000}",
            "e\u{301}",
            "é",
            "\u{302a}",
            "\u{302b}",
            "\u{f900}",
            "\u{1100}\u{1161}",
            "가",
            "、",
            "（",
            "１",
            "😀",
            "\u{301}",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    let s = format!("{a}{b}{c}");
                    assert_eq!(is_nfc(&s), unicode_normalization::is_nfc(&s), "{s:?}");
                }
            }
        }
        assert!(!is_nfc("村e\u{301}"));
        assert!(!is_nfc("王\u{f900}"));
    }

    #[test]
    fn sorts_keys_and_drops_whitespace() {
        let v = json!({"b": 1, "a": [true, false, "x"], "c": {"z": -5, "y": "é"}});
        assert_eq!(
            canon(&v),
            r#"{"a":[true,false,"x"],"b":1,"c":{"y":"é","z":-5}}"#
        );
    }

    #[test]
    fn keys_sort_by_utf16_code_units() {
        // UTF-16 order puts U+20AC before U+1F600 (a surrogate pair, 0xD83D…) before U+FF21,
        // while UTF-8 byte order would put the emoji last.
        let v = json!({"\u{ff21}": 3, "\u{1f600}": 2, "\u{20ac}": 1});
        assert_eq!(canon(&v), "{\"\u{20ac}\":1,\"\u{1f600}\":2,\"\u{ff21}\":3}");
        // RFC 8785's own example key U+FB33 is a composition exclusion: NFC rewrites it, so
        // our subset refuses it as text that was not normalised at input.
        assert!(matches!(
            to_canonical(&json!({"\u{fb33}": 1})),
            Err(CanonError::NotNfc { .. })
        ));
    }

    #[test]
    fn string_escaping_follows_jcs() {
        let v = json!("q\"b\\s/\u{8}\u{c}\n\r\t\u{1}\u{1f}\u{7f}é");
        assert_eq!(
            canon(&v),
            "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\u{7f}é\""
        );
        // No raw newline can appear in the output, whatever the input.
        let out = to_canonical(&json!({"a\nb": "c\nd"})).unwrap();
        assert!(!out.contains(&b'\n'));
    }

    #[test]
    fn rejects_floats_nulls_and_big_integers() {
        assert_eq!(to_canonical(&json!(1.0)), Err(CanonError::Float));
        assert_eq!(to_canonical(&json!(-0.0)), Err(CanonError::Float));
        assert_eq!(to_canonical(&json!({"a": null})), Err(CanonError::Null));
        assert_eq!(
            to_canonical(&json!(9007199254740992u64)),
            Err(CanonError::IntegerOutOfRange)
        );
        assert_eq!(
            to_canonical(&json!(-9007199254740992i64)),
            Err(CanonError::IntegerOutOfRange)
        );
        assert_eq!(
            to_canonical(&json!(u64::MAX)),
            Err(CanonError::IntegerOutOfRange)
        );
        assert_eq!(canon(&json!(9007199254740991u64)), "9007199254740991");
        assert_eq!(canon(&json!(-9007199254740991i64)), "-9007199254740991");
    }

    #[test]
    fn rejects_non_nfc_keys_and_values() {
        let nfd = "e\u{301}";
        assert!(matches!(
            to_canonical(&json!({ nfd: 1 })),
            Err(CanonError::NotNfc { .. })
        ));
        assert!(matches!(
            to_canonical(&json!([nfd])),
            Err(CanonError::NotNfc { .. })
        ));
        assert_eq!(nfc(nfd), "\u{e9}");
        assert_eq!(canon(&json!([nfc(nfd)])), "[\"\u{e9}\"]");
    }

    #[test]
    fn round_trip() {
        let v = json!({
            "origin": "村/370102",
            "idx": 12,
            "prev": "00ff",
            "body": {"amount_fen": 123456, "names": ["张三", "李四"], "ok": true, "neg": -1},
            "empty": {}, "list": []
        });
        let bytes = to_canonical(&v).unwrap();
        assert_eq!(parse_canonical(&bytes).unwrap(), v);
    }

    #[test]
    fn parse_rejects_every_non_canonical_spelling() {
        let cases: &[(&[u8], CanonError)] = &[
            (br#"{"b":1,"a":2}"#, CanonError::NotCanonical),
            (br#"{"a": 1}"#, CanonError::NotCanonical),
            (b"{\"a\":1}\n", CanonError::NotCanonical),
            (br#" {"a":1}"#, CanonError::NotCanonical),
            (br#"{"a":"\u00e9"}"#, CanonError::NotCanonical),
            (br#"{"a":"\/"}"#, CanonError::NotCanonical),
            (br#"{"a":"\u000A"}"#, CanonError::NotCanonical),
            (br#"{"a":-0}"#, CanonError::NotCanonical),
            (br#"{"a":1.0}"#, CanonError::Float),
            (br#"{"a":1e3}"#, CanonError::Float),
            (br#"{"a":null}"#, CanonError::Null),
            (br#"{"a":9007199254740992}"#, CanonError::IntegerOutOfRange),
            (
                br#"{"a":123456789012345678901234567890}"#,
                CanonError::IntegerOutOfRange,
            ),
            (
                br#"{"a":1,"a":2}"#,
                CanonError::DuplicateKey { key: "a".into() },
            ),
            (
                br#"{"a":{"x":1},"a":{"x":1}}"#,
                CanonError::DuplicateKey { key: "a".into() },
            ),
            (br#"{"a":01}"#, CanonError::Syntax { offset: 5 }),
            (br#"{"a":1,}"#, CanonError::Syntax { offset: 7 }),
            (br#"{"a":"\ud800"}"#, CanonError::Syntax { offset: 6 }),
            (br#"{"a":"\udc00"}"#, CanonError::Syntax { offset: 6 }),
            (b"{\"a\":\"x\ny\"}", CanonError::Syntax { offset: 7 }),
            (br#"{"a":1}x"#, CanonError::Syntax { offset: 7 }),
            (br#"{"a":tru}"#, CanonError::Syntax { offset: 5 }),
            (b"", CanonError::Syntax { offset: 0 }),
            (b"{\"a\":\"\xff\"}", CanonError::NotUtf8 { offset: 6 }),
            (b"\xef\xbb\xbf{}", CanonError::Syntax { offset: 0 }),
        ];
        for (input, want) in cases {
            assert_eq!(
                parse_canonical(input).as_ref(),
                Err(want),
                "input {:?}",
                String::from_utf8_lossy(input)
            );
        }
        let nfd = "{\"a\":\"e\u{301}\"}";
        assert!(matches!(
            parse_canonical(nfd.as_bytes()),
            Err(CanonError::NotNfc { .. })
        ));
        let nfd_key = "{\"e\u{301}\":1}";
        assert!(matches!(
            parse_canonical(nfd_key.as_bytes()),
            Err(CanonError::NotNfc { .. })
        ));
    }

    #[test]
    fn parse_accepts_escaped_astral_only_in_canonical_form() {
        // A surrogate pair escape decodes fine but is not how we write the character.
        assert_eq!(
            parse_canonical(br#"["\ud83d\ude00"]"#),
            Err(CanonError::NotCanonical)
        );
        assert_eq!(
            parse_canonical("[\"\u{1f600}\"]".as_bytes()).unwrap(),
            json!(["\u{1f600}"])
        );
    }

    #[test]
    fn caps_size_and_depth() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(parse_canonical(deep.as_bytes()), Err(CanonError::TooDeep));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse_canonical(ok.as_bytes()).is_ok());
        // Hostile depth well past any stack limit is refused, not a crash.
        let hostile = "[".repeat(100_000);
        assert_eq!(
            parse_canonical(hostile.as_bytes()),
            Err(CanonError::TooDeep)
        );
        let big = format!("[\"{}\"]", "a".repeat(MAX_ENTRY_BYTES));
        assert!(matches!(
            parse_canonical(big.as_bytes()),
            Err(CanonError::TooLarge { .. })
        ));
    }

    #[test]
    fn truncations_never_panic() {
        let bytes = to_canonical(&json!({"a": ["é", 1, {"b": "\u{1}"}], "c": true})).unwrap();
        for i in 0..bytes.len() {
            assert!(parse_canonical(&bytes[..i]).is_err());
        }
    }
}
