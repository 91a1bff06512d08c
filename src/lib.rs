//! liuyi library crate: see README.md "Architecture" for the code map.
pub mod bundle;
pub mod i18n;
pub mod input;
pub mod paper;
pub mod record;
pub mod rules;
