//! Text normalisation applied once to every cell read from a file: NFC, full-width ASCII
//! and the ideographic space to half-width, surrounding whitespace trimmed. Also the check
//! for characters that must never reach the record (control and invisible formatting
//! characters), and header-name folding for column matching.

use unicode_normalization::UnicodeNormalization;

/// NFC, full-width → half-width for U+FF01..U+FF5E and U+3000, trimmed.
///
/// Only the ASCII range is folded (not NFKC): NFKC would also rewrite characters such as
/// `①` or `㈠` that a name may legitimately hold.
pub(crate) fn clean(s: &str) -> String {
    let folded: String = s.nfc().map(half_width).collect();
    let trimmed = folded.trim();
    if trimmed.len() == folded.len() {
        folded
    } else {
        trimmed.to_string()
    }
}

pub(crate) fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// A character that must not be stored: C0/C1 controls (tab and newlines included), and the
/// invisible formatting characters that make two names look equal or reorder what a
/// terminal shows (zero-width spaces and joiners, bidirectional overrides, BOM, soft hyphen).
pub(crate) fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{AD}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// The first forbidden character in `s`, allowing `\n` when `allow_newline`.
pub(crate) fn first_forbidden(s: &str, allow_newline: bool) -> Option<char> {
    s.chars()
        .find(|&c| is_forbidden(c) && !(allow_newline && c == '\n'))
}

/// Folds a header for matching: cleaned, lower case, an annotation in brackets dropped
/// (`党员(是/预备/否)`), spaces, `_`, `-` and required-field stars removed.
pub(crate) fn fold_header(s: &str) -> String {
    let s = clean(s);
    let s = match s.find(['(', '[']) {
        Some(i) if i > 0 => &s[..i],
        _ => &s[..],
    };
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '*'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Folds an English enumeration value: lower case, `-` and spaces as `_`.
pub(crate) fn fold_value(s: &str) -> String {
    s.chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_letters_and_spaces_fold() {
        assert_eq!(clean("\u{3000}１９６５ＡＢ　"), "1965AB");
        assert_eq!(clean("张三（小）"), "张三(小)");
        // NFC: e + combining acute becomes é.
        assert_eq!(clean("e\u{301}"), "\u{e9}");
    }

    #[test]
    fn header_folding_ignores_spacing_case_and_annotations() {
        assert_eq!(fold_header(" 户 号 "), "户号");
        assert_eq!(fold_header("Birth_Date"), "birthdate");
        assert_eq!(fold_header("党员（是/预备/否）"), "党员");
        assert_eq!(fold_header("*姓名"), "姓名");
    }

    #[test]
    fn forbidden_characters() {
        assert_eq!(first_forbidden("张\u{200B}三", false), Some('\u{200B}'));
        assert_eq!(first_forbidden("a\nb", true), None);
        assert_eq!(first_forbidden("a\nb", false), Some('\n'));
        assert_eq!(first_forbidden("买买提·艾力", false), None);
    }
}
