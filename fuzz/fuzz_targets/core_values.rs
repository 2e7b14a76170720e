//! Fuzz target: arbitrary text -> the value parsers of w2k8-core (`CveId`, accepted-risk `Target`, `Kb`,
//! `Date`, `FileVersion`, `Timestamp`); must never panic, and whatever parses must print back to a form that parses to the
//! same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w2k8_core::{accept::Target, CveId, Date, FileVersion, Kb, Timestamp};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(id) = s.parse::<CveId>() {
        assert_eq!(CveId::canonical(&id.to_string()), Some(id));
    }
    let _ = CveId::canonical(s);
    if let Ok(t) = s.parse::<Target>() {
        assert_eq!(t.to_string().parse::<Target>().ok(), Some(t));
    }
    if let Ok(k) = s.parse::<Kb>() {
        assert_eq!(k.to_string().parse::<Kb>().ok(), Some(k));
    }
    let _ = s.parse::<Date>();
    let _ = s.parse::<FileVersion>();
    if let Ok(t) = s.parse::<Timestamp>() {
        assert_eq!(t.to_string().parse::<Timestamp>().ok(), Some(t));
    }
});
