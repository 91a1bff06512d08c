//! Entry names: the one allowlist both the writer and the reader apply, and the escaping used
//! whenever a name read from a (possibly hostile) bundle is printed.
//!
//! A valid name is 1..=`max_len` bytes of ASCII, made of segments `[A-Za-z0-9._-]+` separated
//! by single `/`, with no `.` or `..` segment, no segment ending in `.`, and no Windows device
//! name (`CON`, `nul.txt`, `COM1`, ...) as a segment's stem. Everything else (backslashes,
//! colons, drive letters, absolute paths, control characters, non-ASCII) is refused, and the
//! reasons are listed so a report can say exactly what is wrong.

use std::fmt::Write as _;

/// Why a name is off the allowlist. One name may have several faults; all are reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameFault {
    /// The name is empty.
    Empty,
    /// The name is longer than the cap (bytes).
    TooLong { len: usize, cap: usize },
    /// Starts with `/` (an absolute path).
    Absolute,
    /// Starts with a drive letter such as `C:`.
    DriveLetter,
    /// Contains `\` (a Windows path separator).
    Backslash,
    /// Contains `:` (drive letters, NTFS alternate data streams).
    Colon,
    /// Contains a `..` segment (escapes the target directory).
    ParentSegment,
    /// Contains a `.` segment.
    DotSegment,
    /// Contains an empty segment (`a//b`, trailing `/`).
    EmptySegment,
    /// Ends in `/`: a folder entry, which a bundle never has (another zip tool re-packed
    /// the files).
    Directory,
    /// Contains a control character (NUL, newline, DEL, ...).
    ControlChar,
    /// Contains a byte outside ASCII.
    NonAscii,
    /// Contains an ASCII character outside `[A-Za-z0-9._-/]` (the first such one).
    Disallowed { ch: char },
    /// A segment is a Windows device name (`CON`, `nul.txt`, `LPT1`, ...).
    WindowsDevice { segment: String },
    /// A segment ends with `.` (Windows strips it, so two names could collide).
    TrailingDot,
}

/// The longest name the writer accepts, and the reader's default cap.
pub const MAX_NAME_LEN: usize = 255;

const DEVICES: [&str; 6] = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

/// Checks `name` (raw bytes as stored in the ZIP) against the allowlist.
/// Returns every fault found, in a stable order; an empty vector means the name is valid.
pub fn name_faults(name: &[u8], max_len: usize) -> Vec<NameFault> {
    let mut faults = Vec::new();
    if name.is_empty() {
        faults.push(NameFault::Empty);
        return faults;
    }
    if name.len() > max_len {
        faults.push(NameFault::TooLong {
            len: name.len(),
            cap: max_len,
        });
    }
    if name[0] == b'/' {
        faults.push(NameFault::Absolute);
    }
    if name.len() >= 2 && name[0].is_ascii_alphabetic() && name[1] == b':' {
        faults.push(NameFault::DriveLetter);
    }
    if name.contains(&b'\\') {
        faults.push(NameFault::Backslash);
    }
    if name.contains(&b':') {
        faults.push(NameFault::Colon);
    }
    if name.iter().any(|b| b.is_ascii_control()) {
        faults.push(NameFault::ControlChar);
    }
    if !name.is_ascii() {
        faults.push(NameFault::NonAscii);
    }
    if let Some(&b) = name.iter().find(|&&b| {
        b.is_ascii_graphic() && !(b.is_ascii_alphanumeric() || b"._-/\\:".contains(&b)) || b == b' '
    }) {
        faults.push(NameFault::Disallowed { ch: b as char });
    }
    // Segment rules. A `\` is also treated as a separator here so `..\x` is named as a
    // parent-directory escape, which is what it is on Windows.
    let mut parent = false;
    let mut dot = false;
    let mut empty = false;
    let mut trailing_dot = false;
    let mut device = None;
    let body = if name[0] == b'/' { &name[1..] } else { name };
    // A folder entry (`attachments/`): said as such, not as an empty segment.
    let body = match body.strip_suffix(b"/") {
        Some(rest) if !rest.is_empty() => {
            faults.push(NameFault::Directory);
            rest
        }
        _ => body,
    };
    for seg in body.split(|&b| b == b'/' || b == b'\\') {
        match seg {
            b"" => empty = true,
            b"." => dot = true,
            b".." => parent = true,
            _ => {
                if seg.ends_with(b".") {
                    trailing_dot = true;
                }
                if device.is_none() && is_device(seg) {
                    device = Some(String::from_utf8_lossy(seg).into_owned());
                }
            }
        }
    }
    if parent {
        faults.push(NameFault::ParentSegment);
    }
    if dot {
        faults.push(NameFault::DotSegment);
    }
    if empty {
        faults.push(NameFault::EmptySegment);
    }
    if trailing_dot {
        faults.push(NameFault::TrailingDot);
    }
    if let Some(segment) = device {
        faults.push(NameFault::WindowsDevice { segment });
    }
    faults
}

/// `CON`, `con.txt`, `COM1`, `lpt9.pdf`: the stem before the first `.` is a device name.
fn is_device(seg: &[u8]) -> bool {
    let stem = seg.split(|&b| b == b'.').next().unwrap_or(seg);
    let Ok(stem) = std::str::from_utf8(stem) else {
        return false;
    };
    let upper = stem.to_ascii_uppercase();
    if DEVICES.contains(&upper.as_str()) {
        return true;
    }
    let b = upper.as_bytes();
    b.len() == 4 && (upper.starts_with("COM") || upper.starts_with("LPT")) && b[3].is_ascii_digit()
}

/// Escapes a name for printing: printable ASCII is kept, control characters and non-ASCII
/// characters become `\u{..}`, and bytes that are not valid UTF-8 become `\x{..}`.
pub fn escape_name(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    for chunk in raw.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_char(&mut out, c, false);
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{{{b:02x}}}");
        }
    }
    out
}

/// Escapes text for printing where non-ASCII is legitimate (a Chinese folder name in the
/// bundle's own path): only control characters are escaped.
pub fn escape_control(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_char(&mut out, c, true);
    }
    out
}

fn push_char(out: &mut String, c: char, keep_non_ascii: bool) {
    if c.is_control() || (!c.is_ascii() && !keep_non_ascii) {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faults(s: &str) -> Vec<NameFault> {
        name_faults(s.as_bytes(), MAX_NAME_LEN)
    }

    #[test]
    fn good_names() {
        for n in [
            "FORMAT",
            "log/entries.jsonl",
            "attachments/0a1b.pdf",
            "a-b_c.d/e",
            ".hidden",
        ] {
            assert_eq!(faults(n), vec![], "{n}");
        }
    }

    #[test]
    fn bad_names() {
        use NameFault::*;
        assert_eq!(faults(""), vec![Empty]);
        assert_eq!(faults("../x"), vec![ParentSegment]);
        assert_eq!(faults("..\\x"), vec![Backslash, ParentSegment]);
        assert_eq!(faults("/x"), vec![Absolute]);
        assert_eq!(faults("C:\\x"), vec![DriveLetter, Backslash, Colon]);
        assert_eq!(faults("a/../../x"), vec![ParentSegment]);
        assert_eq!(faults("a//b"), vec![EmptySegment]);
        assert_eq!(faults("a/"), vec![Directory]);
        assert_eq!(faults("a//"), vec![Directory, EmptySegment]);
        assert_eq!(faults("./a"), vec![DotSegment]);
        assert_eq!(faults("a\0b"), vec![ControlChar]);
        assert_eq!(faults("村.txt"), vec![NonAscii]);
        assert_eq!(faults("a b"), vec![Disallowed { ch: ' ' }]);
        assert_eq!(faults("checkpoint:evil"), vec![Colon]);
        assert_eq!(
            faults("nul.txt"),
            vec![WindowsDevice {
                segment: "nul.txt".into()
            }]
        );
        assert_eq!(
            faults("x/COM1"),
            vec![WindowsDevice {
                segment: "COM1".into()
            }]
        );
        assert_eq!(faults("a."), vec![TrailingDot]);
        assert_eq!(faults("\\\\server\\share\\x")[0], Backslash);
        assert_eq!(
            name_faults(&[b'a'; 300], MAX_NAME_LEN),
            vec![TooLong { len: 300, cap: 255 }]
        );
        // Device names only match whole stems.
        assert_eq!(faults("console.txt"), vec![]);
        assert_eq!(faults("COM10"), vec![]);
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_name(b"a/b.txt"), "a/b.txt");
        assert_eq!(escape_name(b"a\nb\0"), "a\\u{a}b\\u{0}");
        assert_eq!(escape_name("村".as_bytes()), "\\u{6751}");
        assert_eq!(escape_name(b"\xff"), "\\x{ff}");
        assert_eq!(escape_control("C:\\村\n"), "C:\\村\\u{a}");
    }
}
