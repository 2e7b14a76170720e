//! Fuzz target: arbitrary bytes -> decode -> `formats::servicing_dir` sniff and parse; must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_inventory::formats::servicing_dir;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = w2k8_inventory::decode(data, "fuzz.txt", None) {
        let _ = servicing_dir::sniff(&d.text);
        let _ = servicing_dir::parse(&d.text, "fuzz.txt");
    }
});
