//! Signed notes, checkpoint bodies and verifier keys.
#![no_main]
use libfuzzer_sys::fuzz_target;
use liuyi::record::note::{Checkpoint, Note, parse_vkey};

fuzz_target!(|data: &[u8]| {
    if let Ok(n) = Note::parse(data) {
        let _ = Checkpoint::parse_body(&n.text);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(cp) = Checkpoint::parse_body(text) {
            assert_eq!(cp.body(), text);
        }
        let _ = parse_vkey(text.trim_end());
    }
});
