//! Fuzz the checksur log parser: arbitrary bytes must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = w2k8_diagnose::checksur::parse(data, "fuzz.log", &mut |_| {});
    let _ = w2k8_diagnose::diagnose_bytes("fuzz.log", data);
});
