//! Input readers: roster and consent files (CSV or XLSX, as village staff export them from
//! Chinese Excel) → validated domain data, or the complete list of what is wrong.
//!
//! Owns: format and encoding detection, caps on hostile files, normalisation of every text
//! (NFC, half-width, trimmed), header mapping, date parsing, and per-file validation (one
//! 户主 per household, no duplicate member, one consent row per household, …). A file is
//! accepted whole or refused whole with every problem and its line or cell. Does not own:
//! anything that needs the clock or the record (future dates, households in scope, roster
//! differences): the caller checks those; `roster::check_not_future` helps with the first.
//! The sentences for problems live in `crate::i18n::input`.
//!
//! Code map: `table` (bytes → rows, header mapping) over `decode` (text encodings) and
//! `xlsx` (the only user of calamine); `normalize`; `dates`; `roster`; `consents`;
//! `problem` (the problem data).

pub mod consents;
pub mod dates;
pub(crate) mod decode;
mod fields;
pub(crate) mod normalize;
pub mod problem;
pub mod roster;
pub mod table;
#[cfg(test)]
pub(crate) mod testutil;
mod xlsx;

pub use consents::{ConsentRow, Method, read_consents};
pub use dates::{DateProblem, parse_date};
pub use problem::{Encoding, Field, InputProblem, ProblemKind};
pub use roster::{RosterEntry, read_roster, read_roster_entries};
pub use table::Limits;

/// Whether the first bytes of a file read as text in an encoding the readers take
/// (UTF-8, UTF-16 with a BOM, GB18030/GBK).
pub fn looks_like_text(head: &[u8]) -> bool {
    decode::looks_like_text(head)
}
