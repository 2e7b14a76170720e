//! Fuzz target: arbitrary bytes -> decode -> `formats::roles` sniff and parse; must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_inventory::formats::roles;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = w2k8_inventory::decode(data, "fuzz.txt", None) {
        let _ = roles::sniff(&d.text);
        let _ = roles::parse(&d.text, "fuzz.txt");
    }
});
