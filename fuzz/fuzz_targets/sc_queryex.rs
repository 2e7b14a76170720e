//! Fuzz target: arbitrary bytes -> decode -> `formats::sc_queryex` sniff and parse; must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_inventory::formats::sc_queryex;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = w2k8_inventory::decode(data, "fuzz.txt", None) {
        let _ = sc_queryex::sniff(&d.text);
        let _ = sc_queryex::parse(&d.text, "fuzz.txt");
    }
});
