//! Fuzzes the decoder: any bytes, detected or forced to every encoding,
//! must decode or be refused, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_inventory::{decode, TextEncoding};

fuzz_target!(|data: &[u8]| {
    let _ = decode(data, "fuzz", None);
    if let Some((&first, rest)) = data.split_first() {
        let forced = TextEncoding::ALL[usize::from(first) % TextEncoding::ALL.len()];
        let _ = decode(rest, "fuzz", Some(forced));
    }
});
