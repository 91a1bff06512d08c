//! Roster and consent files: CSV in any encoding, or XLSX.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = liuyi::input::roster::read_roster(data);
    let _ = liuyi::input::consents::read_consents(data);
});
