//! Integration tests: the real `liuyi` binary, driven as the secretary would, with exact
//! exit codes, JSON fields, and the database byte-identical after every refusal.

mod harness;

mod bundle;
mod check;
mod crash;
mod gacha;
mod hardening;
mod input;
mod matter;
mod output;
mod paper;
mod refusals;
mod roster;
mod township;
