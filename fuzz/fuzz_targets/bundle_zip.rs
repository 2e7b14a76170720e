//! Fuzz target: arbitrary bytes as an uploaded `.zip` bundle (and as a single
//! file) -> `bundle::load_bytes`; must never panic, hang or allocate past the
//! limits, whatever the archive claims.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_inventory::bundle::{load_bytes, LoadOptions};

fuzz_target!(|data: &[u8]| {
    // Small limits so a fuzzed zip bomb is refused fast.
    let opts = LoadOptions {
        max_file_size: 1 << 20,
        max_total_size: 4 << 20,
        max_entries: 64,
        lenient: true,
        ..LoadOptions::default()
    };
    let _ = load_bytes("fuzz.zip", data, &opts);
    let _ = load_bytes("fuzz.txt", data, &opts);
});
