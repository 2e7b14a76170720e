//! Fuzz the error-code parser of `w2k8 explain`: arbitrary text must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(codes) = w2k8_diagnose::codes::parse_code(s) {
            for c in codes {
                let _ = w2k8_diagnose::codes::lookup(c.code);
            }
        }
    }
});
