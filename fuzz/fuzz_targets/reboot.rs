//! Fuzz target: arbitrary bytes -> decode -> `formats::reboot` sniff and parse; must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_inventory::formats::reboot;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = w2k8_inventory::decode(data, "fuzz.txt", None) {
        let _ = reboot::sniff(&d.text);
        let _ = reboot::parse(&d.text, "fuzz.txt");
    }
});
