//! Fuzz target: arbitrary bytes -> decode -> `formats::netstat` sniff and parse; must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_inventory::formats::netstat;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = w2k8_inventory::decode(data, "fuzz.txt", None) {
        let _ = netstat::sniff(&d.text);
        let _ = netstat::parse(&d.text, "fuzz.txt");
    }
});
