//! The pure rules engine: no I/O, no clock. See README "Architecture".
pub mod people;
