//! Property tests: arbitrary bytes never panic any parser; generated CBS and
//! WindowsUpdate logs round-trip their events.
use proptest::prelude::*;
use w2k8_diagnose::{cbs, checksur, codes, windowsupdate, EventKind, Level};

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = cbs::parse(b.as_slice(), "f", &mut |_| {});
        let _ = windowsupdate::parse(b.as_slice(), "f", &mut |_| {});
        let _ = checksur::parse(b.as_slice(), "f", &mut |_| {});
        let _ = w2k8_diagnose::diagnose_bytes("f", &b);
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,300}") {
        let _ = w2k8_diagnose::diagnose_bytes("f", s.as_bytes());
        let _ = codes::parse_code(&s);
    }

    #[test]
    fn cbs_round_trip(entries in proptest::collection::vec((any::<bool>(), 0u32..0x7FFF_FFFF, 1000u32..9_999_999, 0u8..60), 1..60)) {
        let mut text = String::new();
        for (err, code, kb, sec) in &entries {
            let level = if *err { "Error" } else { "Info" };
            let hr = if *err { code | 0x8000_0000 } else { *code };
            text.push_str(&format!(
                "2019-07-10 03:00:{sec:02}, {level:<22}CBS    Failed for Package_for_KB{kb}~31bf3856ad364e35~amd64~~6.0.1.0 [HRESULT = 0x{hr:08x} - X]\r\n"
            ));
        }
        let mut evs = Vec::new();
        let stats = cbs::parse(text.as_bytes(), "CBS.log", &mut |e| evs.push(e)).unwrap();
        let errs: Vec<_> = entries.iter().enumerate().filter(|(_, e)| e.0).collect();
        prop_assert_eq!(stats.lines, entries.len() as u64);
        prop_assert_eq!(evs.len(), errs.len());
        prop_assert_eq!(stats.noise as usize, entries.len() - errs.len());
        for (ev, (i, (_, code, kb, sec))) in evs.iter().zip(errs) {
            prop_assert_eq!(ev.line, i as u64 + 1);
            prop_assert_eq!(ev.kind.clone(), EventKind::Error);
            prop_assert_eq!(ev.level, Level::Error);
            prop_assert_eq!(ev.hresult, Some(code | 0x8000_0000));
            prop_assert_eq!(ev.kb.map(|k| k.number()), Some(*kb));
            let t = format!("2019-07-10 03:00:{sec:02}");
            prop_assert_eq!(ev.time.as_deref(), Some(t.as_str()));
        }
    }

    #[test]
    fn wu_round_trip(entries in proptest::collection::vec((any::<bool>(), 0x8000_0001u32..0xFFFF_FFFF, 1000u32..9_999_999), 1..40)) {
        let mut text = String::new();
        for (ok, code, kb) in &entries {
            let (res, c) = if *ok { ("Success", 0) } else { ("Failure", *code) };
            text.push_str(&format!(
                "2020-02-12\t03:05:44:713\t 964\tb14\tReport\tREPORT EVENT: {{A}}\t2020-02-12 03:05:44:709-0500\t1\t182\t101\t{{B}}\t201\t{c:08X}\tAutomaticUpdates\t{res}\tContent Install\tInstallation {res}: Windows failed to install the following update with error 0x{c:08X}: Update (KB{kb}).\n"
            ));
        }
        let mut evs = Vec::new();
        windowsupdate::parse(text.as_bytes(), "WindowsUpdate.log", &mut |e| evs.push(e)).unwrap();
        prop_assert_eq!(evs.len(), entries.len());
        for (ev, (ok, code, kb)) in evs.iter().zip(&entries) {
            let is_success = matches!(ev.kind, EventKind::WuResult { success: true, .. });
            prop_assert_eq!(is_success, *ok);
            prop_assert_eq!(ev.kb.map(|k| k.number()), Some(*kb));
            if !ok { prop_assert_eq!(ev.hresult, Some(*code)); }
        }
    }

    #[test]
    fn code_forms_round_trip(code in any::<u32>()) {
        let hex = format!("0x{code:08x}");
        prop_assert_eq!(codes::parse_code(&hex).unwrap()[0].code, code);
        prop_assert_eq!(codes::parse_code(&format!("{code:08X}")).unwrap()[0].code, code);
        // Decimal input; 8 plain digits are read as hex (how Windows Update prints codes).
        let dec = (code as i32).to_string();
        let want = if dec.len() == 8 && !dec.starts_with('-') {
            u32::from_str_radix(&dec, 16).ok()
        } else if (code as i32) < 0 || code > 0xFFFF {
            Some(code)
        } else {
            Some(codes::hresult_from_win32(code))
        };
        prop_assert_eq!(codes::parse_code(&dec).map(|v| v[0].code).ok(), want);
        prop_assert_eq!(codes::lookup(code).hex, format!("0x{code:08X}"));
    }
}
