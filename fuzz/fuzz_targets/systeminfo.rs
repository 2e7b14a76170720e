//! Fuzzes the systeminfo reader: arbitrary bytes are decoded, sniffed and
//! parsed; nothing may panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_inventory::{decode, formats::systeminfo};

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode(data, "fuzz", None) {
        let _ = systeminfo::sniff(&d.text);
        let _ = systeminfo::parse(&d.text, "fuzz");
        let _ = systeminfo::label_language(&d.text);
    }
});
