//! The bundle ZIP reader: open, then read every entry to its end.
#![no_main]
use std::io::Read;

use libfuzzer_sys::fuzz_target;
use liuyi::bundle::{BundleReader, Caps};

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("liuyi-fuzz-{}.zip", std::process::id()));
    std::fs::write(&path, data).unwrap();
    let caps = Caps {
        max_entries: 1000,
        max_entry_size: 8 << 20,
        max_total_size: 32 << 20,
        ..Caps::default()
    };
    if let Ok(r) = BundleReader::open(&path, caps) {
        let names: Vec<String> = r.entries().iter().map(|e| e.name.clone()).collect();
        for name in names {
            if let Ok(mut e) = r.open_entry(&name) {
                let mut buf = [0u8; 8192];
                while let Ok(k) = e.read(&mut buf) {
                    if k == 0 {
                        break;
                    }
                }
            }
        }
    }
});
