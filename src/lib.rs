//! liuyi (六议) library crate: everything but `main`. See README.md "Architecture" for
//! the code map and the invariants.

// Errors here are data-rich (a refusal carries every number its message needs) and are
// taken once per command, never in a loop: their size costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

pub mod app;
pub mod bundle;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod demo;
pub mod error;
pub mod fsutil;
#[cfg(test)]
mod fuzz_tests;
pub mod i18n;
pub mod input;
pub mod keychange;
pub mod location;
pub mod log;
pub mod notice;
pub mod paper;
pub mod progress;
pub mod record;
pub mod rules;
pub mod snapshot;
pub mod store;
pub mod township;
pub mod views;
