//! The canonical-JSON and log-entry parsers: no panic, and accepted bytes re-encode
//! identically.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = liuyi::record::canonical::parse_canonical(data) {
        let again = liuyi::record::canonical::to_canonical(&v).expect("re-encodes");
        assert_eq!(again, data);
    }
    if let Ok(e) = liuyi::log::Entry::parse(data) {
        assert_eq!(e.to_bytes().expect("re-encodes"), data);
    }
});
