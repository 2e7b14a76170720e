//! Fuzz target: arbitrary bytes -> decode -> `formats::hotfix_ps` sniff and parse; must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_inventory::formats::hotfix_ps;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = w2k8_inventory::decode(data, "fuzz.txt", None) {
        let _ = hotfix_ps::sniff(&d.text);
        let _ = hotfix_ps::parse(&d.text, "fuzz.txt");
    }
});
