//! Where a problem of `check` or `verify` is, as data.
//!
//! Its `Display` is the stable machine form that the JSON `location` field carries and the
//! township's tools read (`entries[12] (matter 2026-001, review)`,
//! `log/entries.jsonl:18 (entry 17, matter 2027-001, motion)`, `checkpoints[40]`); it never
//! changes with the user's language. A person reads it through `i18n::place`, which words the
//! same place in Chinese (`log/entries.jsonl 第 18 行（第 17 条记录，事项 2027-001，动议）`)
//! and gives the machine form in English, as liuyi always printed it.

use std::fmt;
use std::path::PathBuf;

/// What a readable entry is: the matter it belongs to (if any) and its stored type name
/// (`Event::type_name`, e.g. `motion`, `key.rotate`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct What {
    pub matter: Option<String>,
    pub event: &'static str,
}

impl What {
    pub fn of(event: &crate::rules::Event) -> What {
        What {
            matter: event.matter().map(str::to_string),
            event: event.type_name(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Named as it is in both languages: a file of the bundle, a table row
    /// (`proposals/2026-001`), `sqlite`; empty for a problem with no one place.
    Name(String),
    /// An entry of the local record, by index, with what it is when it reads.
    Entry { idx: u64, what: Option<What> },
    /// A line of the bundle's `log/entries.jsonl` (from 1: entry `line - 1`), with what its
    /// entry is when it reads.
    Line { line: u64, what: Option<What> },
    /// A file of the bundle, placed by the log line that first names it.
    File { name: String, at: Box<Location> },
    /// A file stored in the local record (`attachments/<sha256>`), placed by the entry that
    /// first names it. Its machine form is the name alone, as `check --json` always gave
    /// it; a person is told the entry too (`i18n::place`), as `verify` tells it.
    Stored { name: String, at: Box<Location> },
    /// The local record's checkpoint at this size.
    Checkpoint(u64),
    /// The township-cosigned checkpoint the local record holds at this size.
    Cosigned(u64),
    /// The village key file (beside the database, or `--key`).
    KeyFile(PathBuf),
}

impl Location {
    /// Entry `idx`, with its matter and type when it reads.
    pub fn entry(idx: u64, event: Option<&crate::rules::Event>) -> Location {
        Location::Entry {
            idx,
            what: event.map(What::of),
        }
    }

    /// Line `line` of the bundle's log, with its matter and type when it reads.
    pub fn line(line: u64, event: Option<&crate::rules::Event>) -> Location {
        Location::Line {
            line,
            what: event.map(What::of),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Location::Name(n) if n.is_empty())
    }
}

impl From<String> for Location {
    fn from(s: String) -> Location {
        Location::Name(s)
    }
}

impl From<&str> for Location {
    fn from(s: &str) -> Location {
        Location::Name(s.to_string())
    }
}

impl Default for Location {
    fn default() -> Location {
        Location::Name(String::new())
    }
}

/// A place compares with its machine form (callers and tests look a problem up by it).
impl PartialEq<&str> for Location {
    fn eq(&self, other: &&str) -> bool {
        match self {
            Location::Name(n) => n == other,
            _ => self.to_string().as_str() == *other,
        }
    }
}

/// The machine form: what `--json` gives as `location`, and the English human form.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Name(n) => f.write_str(n),
            Location::Entry { idx, what } => {
                write!(f, "entries[{idx}]")?;
                match what {
                    Some(What {
                        matter: Some(m),
                        event,
                    }) => write!(f, " (matter {m}, {event})"),
                    Some(What {
                        matter: None,
                        event,
                    }) => write!(f, " ({event})"),
                    None => Ok(()),
                }
            }
            Location::Line { line, what } => {
                write!(
                    f,
                    "{}:{line} (entry {}",
                    crate::bundle::export::LOG_NAME,
                    line.saturating_sub(1)
                )?;
                if let Some(w) = what {
                    if let Some(m) = &w.matter {
                        write!(f, ", matter {m}")?;
                    }
                    write!(f, ", {}", w.event)?;
                }
                f.write_str(")")
            }
            Location::File { name, at } => write!(f, "{name} ({at})"),
            Location::Stored { name, .. } => f.write_str(name),
            Location::Checkpoint(size) => write!(f, "checkpoints[{size}]"),
            Location::Cosigned(size) => write!(f, "cosigned[{size}]"),
            Location::KeyFile(path) => write!(f, "key:{}", path.display()),
        }
    }
}

impl serde::Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(matter: Option<&str>, event: &'static str) -> Option<What> {
        Some(What {
            matter: matter.map(str::to_string),
            event,
        })
    }

    /// The machine forms the township's tools read, exactly as liuyi wrote them before
    /// locations were data.
    #[test]
    fn machine_forms_are_unchanged() {
        let cases = [
            (Location::from("FORMAT"), "FORMAT"),
            (
                Location::Entry {
                    idx: 12,
                    what: None,
                },
                "entries[12]",
            ),
            (
                Location::Entry {
                    idx: 12,
                    what: what(Some("2026-001"), "review"),
                },
                "entries[12] (matter 2026-001, review)",
            ),
            (
                Location::Entry {
                    idx: 3,
                    what: what(None, "key.rotate"),
                },
                "entries[3] (key.rotate)",
            ),
            (
                Location::Line {
                    line: 18,
                    what: what(Some("2027-001"), "motion"),
                },
                "log/entries.jsonl:18 (entry 17, matter 2027-001, motion)",
            ),
            (
                Location::Line {
                    line: 2,
                    what: what(None, "policy"),
                },
                "log/entries.jsonl:2 (entry 1, policy)",
            ),
            (
                Location::Line {
                    line: 1,
                    what: None,
                },
                "log/entries.jsonl:1 (entry 0)",
            ),
            (
                Location::File {
                    name: "attachments/ab".into(),
                    at: Box::new(Location::Line {
                        line: 5,
                        what: what(Some("2026-001"), "motion"),
                    }),
                },
                "attachments/ab (log/entries.jsonl:5 (entry 4, matter 2026-001, motion))",
            ),
            (Location::Checkpoint(40), "checkpoints[40]"),
            (Location::Cosigned(40), "cosigned[40]"),
            (Location::KeyFile("/a/liuyi.key".into()), "key:/a/liuyi.key"),
        ];
        for (loc, text) in cases {
            assert_eq!(loc.to_string(), text);
            assert_eq!(serde_json::to_value(&loc).unwrap(), text);
            assert_eq!(loc, text);
            // English prints the machine form, as liuyi always did.
            assert_eq!(crate::i18n::place(crate::i18n::Lang::En, &loc), text);
        }
    }

    /// A file stored in the local record: its machine form stays its name (what `check
    /// --json` always gave), and a person is told the entry that names it, in English too.
    #[test]
    fn a_stored_file_is_its_name_for_tools_and_placed_by_its_entry_for_people() {
        let stored = Location::Stored {
            name: "attachments/ab".into(),
            at: Box::new(Location::Entry {
                idx: 48,
                what: what(Some("2026-001"), "consult.sheet"),
            }),
        };
        assert_eq!(stored.to_string(), "attachments/ab");
        assert_eq!(serde_json::to_value(&stored).unwrap(), "attachments/ab");
        assert_eq!(stored, "attachments/ab");
        assert_eq!(
            crate::i18n::place(crate::i18n::Lang::En, &stored),
            "attachments/ab (entries[48] (matter 2026-001, consult.sheet))"
        );
    }

    /// The same places worded for a Chinese reader: no English word, the entry counted as
    /// the other Chinese messages count it (第 N 条记录, the index; a line 第 N 行).
    #[test]
    fn chinese_places_read_as_chinese() {
        let zh = |loc: &Location| crate::i18n::place(crate::i18n::Lang::Zh, loc);
        let line = Location::Line {
            line: 18,
            what: what(Some("2027-001"), "motion"),
        };
        assert_eq!(
            zh(&line),
            "log/entries.jsonl 第 18 行（第 17 条记录，事项 2027-001，动议）"
        );
        assert_eq!(
            zh(&Location::Line {
                line: 1,
                what: None
            }),
            "log/entries.jsonl 第 1 行（第 0 条记录）"
        );
        assert_eq!(
            zh(&Location::Entry {
                idx: 12,
                what: what(Some("2026-001"), "consult.record"),
            }),
            "第 12 条记录（事项 2026-001，民议意见）"
        );
        assert_eq!(
            zh(&Location::Entry {
                idx: 3,
                what: what(None, "key.rotate"),
            }),
            "第 3 条记录（更换密钥）"
        );
        assert_eq!(zh(&Location::Entry { idx: 3, what: None }), "第 3 条记录");
        assert_eq!(
            zh(&Location::File {
                name: "attachments/ab".into(),
                at: Box::new(line),
            }),
            "attachments/ab（log/entries.jsonl 第 18 行（第 17 条记录，事项 2027-001，动议））"
        );
        let stored = Location::Stored {
            name: "attachments/ab".into(),
            at: Box::new(Location::Entry {
                idx: 48,
                what: what(Some("2026-001"), "consult.sheet"),
            }),
        };
        assert_eq!(
            zh(&stored),
            "attachments/ab（第 48 条记录（事项 2026-001，民议签字表））"
        );
        assert_eq!(zh(&Location::Checkpoint(40)), "第 40 条处的检查点");
        assert_eq!(zh(&Location::Cosigned(40)), "第 40 条处的乡镇副署检查点");
        assert_eq!(
            zh(&Location::KeyFile("/a/liuyi.key".into())),
            "密钥文件 /a/liuyi.key"
        );
        assert_eq!(zh(&Location::from("sqlite_schema")), "sqlite_schema");
    }

    /// Every entry type has a Chinese name (a new event type without one would print its
    /// stored English name in Chinese output).
    #[test]
    fn every_entry_type_has_a_chinese_name() {
        for name in [
            "genesis",
            "policy",
            "roster",
            "motion",
            "proposal",
            "discussion",
            "review",
            "consult.open",
            "consult.record",
            "consult.sheet",
            "resolution",
            "publish",
            "publish.posted",
            "objection",
            "objection.reply",
            "implement",
            "complete",
            "revise",
            "withdraw",
            "key.rotate",
            "supervision",
        ] {
            let zh = crate::i18n::entry_type_name(name, crate::i18n::Lang::Zh);
            assert!(!zh.is_ascii(), "{name}: {zh}");
            assert_eq!(
                crate::i18n::entry_type_name(name, crate::i18n::Lang::En),
                name
            );
        }
    }
}
