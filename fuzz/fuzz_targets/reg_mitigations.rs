//! Fuzz target: arbitrary bytes -> decode -> `formats::reg_mitigations` sniff and parse; must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_inventory::formats::reg_mitigations;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = w2k8_inventory::decode(data, "fuzz.txt", None) {
        let _ = reg_mitigations::sniff(&d.text);
        let _ = reg_mitigations::parse(&d.text, "fuzz.txt");
    }
});
