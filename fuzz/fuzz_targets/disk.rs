//! Fuzz target: arbitrary bytes -> decode -> `formats::disk` sniff and parse; must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_inventory::formats::disk;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = w2k8_inventory::decode(data, "fuzz.txt", None) {
        let _ = disk::sniff(&d.text);
        let _ = disk::parse(&d.text, "fuzz.txt");
    }
});
