//! The pure rules engine: stages, policy (thresholds as data), quorum arithmetic, and the
//! engine that says yes (apply this event) or no (this refusal). Used by recording AND by
//! verification. No I/O, no clock, no SQL, no cryptography.
// A refusal is the cold path and carries every number its message needs (the largest,
// `ConsultationIncomplete`, lists households); boxing it would change the shape that
// `crate::i18n` destructures for no measurable gain.
#![allow(clippy::result_large_err)]
pub mod category;
pub mod engine;
pub mod event;
pub mod funding;
pub mod people;
pub mod policy;
pub mod refusal;
pub mod roster;
pub mod stage;
pub mod text;

pub use category::Category;
pub use engine::{Matter, Round, RoundTally, State};
pub use event::Event;
pub use policy::{Policy, Threshold};
pub use refusal::Refusal;
pub use stage::{Action, Meeting, Stage};

#[cfg(test)]
mod tests;
