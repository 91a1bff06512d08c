//! Bytes of a text file → `String`, refusing what cannot be read exactly.
//!
//! The order of guesses: a BOM decides (UTF-8, UTF-16 LE/BE); then a NUL byte means a
//! binary file; then valid UTF-8 is UTF-8; then GB18030 (which includes GBK), as Chinese
//! Excel writes "CSV". Decoding never replaces a byte: a byte that cannot be read is refused
//! with its offset and line. One guard against misreading: a file whose valid UTF-8 prefix
//! already holds non-ASCII text is a damaged UTF-8 file, not GBK, and is refused as UTF-8
//! (GB18030 would "decode" it into nonsense without an error).

use encoding_rs::{DecoderResult, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use super::problem::{Encoding, Fatal, InputProblem, ProblemKind};

/// Decodes `bytes` (already size-checked) into text without a BOM.
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, Encoding), Fatal> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return strict(rest, 3, Encoding::Utf8Bom).map(|s| (s, Encoding::Utf8Bom));
    }
    for (bom, enc) in [
        (b"\xFF\xFE", Encoding::Utf16Le),
        (b"\xFE\xFF", Encoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let text = strict(rest, 2, enc)?;
            if let Some(i) = text.find('\0') {
                // Offset in the file: two bytes per UTF-16 unit before it, plus the BOM.
                let units: usize = text[..i].chars().map(char::len_utf16).sum();
                return Err(binary(2 + 2 * units as u64));
            }
            return Ok((text, enc));
        }
    }
    if let Some(i) = bytes.iter().position(|&b| b == 0) {
        return Err(binary(i as u64));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), Encoding::Utf8)),
        Err(e) => {
            let prefix = &bytes[..e.valid_up_to()];
            if !prefix.is_ascii() {
                strict(bytes, 0, Encoding::Utf8).map(|s| (s, Encoding::Utf8))
            } else {
                strict(bytes, 0, Encoding::Gb18030).map(|s| (s, Encoding::Gb18030))
            }
        }
    }
}

/// Whether `head`, the first bytes of a file, reads as text in an encoding [`decode`] takes
/// (UTF-8, UTF-16 with its BOM, GB18030), allowing for a character cut at its end.
pub(crate) fn looks_like_text(head: &[u8]) -> bool {
    !head.is_empty() && (0..4.min(head.len())).any(|cut| decode(&head[..head.len() - cut]).is_ok())
}

fn binary(offset: u64) -> Fatal {
    Box::new(InputProblem::file(ProblemKind::Binary { offset }))
}

/// Decodes without replacement; `skipped` is the BOM length, to report file offsets.
fn strict(bytes: &[u8], skipped: usize, enc: Encoding) -> Result<String, Fatal> {
    let encoding = match enc {
        Encoding::Utf8 | Encoding::Utf8Bom => UTF_8,
        Encoding::Utf16Le => UTF_16LE,
        Encoding::Utf16Be => UTF_16BE,
        Encoding::Gb18030 => GB18030,
    };
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len()),
    );
    let mut read = 0;
    loop {
        let (result, n) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut out, true);
        read += n;
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => out.reserve(bytes.len() - read + 16),
            DecoderResult::Malformed(bad, after) => {
                let end = read - after as usize;
                let start = end.saturating_sub(bad as usize);
                let shown: Vec<String> = bytes[start..end.min(start + 4)]
                    .iter()
                    .map(|b| format!("{b:02X}"))
                    .collect();
                // `out` holds exactly the text before the bad bytes.
                let line = 1 + out.matches('\n').count() as u64;
                return Err(Box::new(
                    InputProblem::line(
                        line,
                        ProblemKind::NotDecodable {
                            encoding: enc,
                            offset: (skipped + start) as u64,
                        },
                    )
                    .with_value(shown.join(" ")),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_plain_utf8() {
        assert_eq!(
            decode("户号\n".as_bytes()).unwrap(),
            ("户号\n".into(), Encoding::Utf8)
        );
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend("户号".as_bytes());
        assert_eq!(decode(&b).unwrap(), ("户号".into(), Encoding::Utf8Bom));
        let mut le = vec![0xFF, 0xFE];
        le.extend("户号,a".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap(), ("户号,a".into(), Encoding::Utf16Le));
        let mut be = vec![0xFE, 0xFF];
        be.extend("户号,a".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap(), ("户号,a".into(), Encoding::Utf16Be));
    }

    #[test]
    fn gbk_is_read_as_gb18030() {
        let (bytes, _, _) = encoding_rs::GBK.encode("户号,姓名\n0001,张三\n");
        assert_eq!(
            decode(&bytes).unwrap(),
            ("户号,姓名\n0001,张三\n".into(), Encoding::Gb18030)
        );
    }

    #[test]
    fn undecodable_bytes_are_refused_with_offset_and_line() {
        // Valid UTF-8 Chinese, then a stray byte on line 2: damaged UTF-8, not GBK.
        let mut b = "户号\n张".as_bytes().to_vec();
        b.push(0xFF);
        let p = decode(&b).unwrap_err();
        assert_eq!(p.line, Some(2));
        assert_eq!(
            p.kind,
            ProblemKind::NotDecodable {
                encoding: Encoding::Utf8,
                offset: 10
            }
        );
        assert_eq!(p.value.as_deref(), Some("FF"));
        // ASCII, then bytes that are neither UTF-8 nor GB18030.
        let p = decode(b"a,b\nc,\xFF\xFF").unwrap_err();
        assert_eq!(p.line, Some(2));
        assert!(matches!(
            p.kind,
            ProblemKind::NotDecodable {
                encoding: Encoding::Gb18030,
                offset: 6
            }
        ));
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(
            decode(b"abc\0def").unwrap_err().kind,
            ProblemKind::Binary { offset: 3 }
        );
        let mut le = vec![0xFF, 0xFE];
        le.extend("ab\0".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            decode(&le).unwrap_err().kind,
            ProblemKind::Binary { offset: 6 }
        );
    }
}
