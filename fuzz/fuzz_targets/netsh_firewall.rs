//! Fuzz target: arbitrary bytes -> decode -> `formats::netsh_firewall` sniff and parse; must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_inventory::formats::netsh_firewall;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = w2k8_inventory::decode(data, "fuzz.txt", None) {
        let _ = netsh_firewall::sniff(&d.text);
        let _ = netsh_firewall::parse(&d.text, "fuzz.txt");
    }
});
