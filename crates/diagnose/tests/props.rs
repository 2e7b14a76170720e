//! Property tests: arbitrary bytes never panic any parser; generated CBS and
//! WindowsUpdate logs round-trip their events.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
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

/// The keywords after which a `0x` code is the line's code, as real logs print them.
const HEX_FORMS: [&str; 8] = [
    "Failed to install. [HRESULT = 0x{x} - SOME_SYMBOL]",
    "Failed to open package with identity Foo hr=0x{x}",
    "SPI: Failed opening parent package KB936330~31bf3856ad364e35~amd64~~ hr 0x{x}",
    "WARNING: Failed to filter search results, error = 0x{x}",
    "FATAL: CBS called Error with 0x{x}, ",
    "FATAL: UH: 0x{x}: EvaluateApplicability failed in CCbs::EvaluateApplicability",
    "WARNING: WinHttp: ShouldFileBeDownloaded failed with 0x{x}",
    "WER: Generating failure report for package: P, status: 0x{x}, failure source: Execute",
];

/// Forms without `0x`.
const BARE_FORMS: [&str; 4] = [
    "WARNING: Send failed with hr = {x}.",
    "  # WARNING: Failed to find updates with error code {x}",
    "00000012@2019/7/10:03:00:21.123 (F) : Error {x} [Warning,Facility=FACILITY_NTSSPI,Code={low} (0x{lowx})] originated in function F expression: (null)",
    "DownloadManager *FAILED* [{x}] Error occurred while downloading update",
];

proptest! {
    #[test]
    fn every_code_form_reads_back(code in 0x8000_0000u32..=0xFFFF_FFFF, form in 0usize..12, upper in any::<bool>()) {
        let x = if upper { format!("{code:08X}") } else { format!("{code:08x}") };
        let low = code & 0xFFFF;
        let template = HEX_FORMS.get(form).or_else(|| BARE_FORMS.get(form - HEX_FORMS.len())).copied().unwrap_or("");
        let line = template.replace("{x}", &x).replace("{low}", &low.to_string()).replace("{lowx}", &format!("{low:x}"));
        let found = w2k8_diagnose::hresult::find_code(&line);
        prop_assert_eq!(found.map(|f| f.code), Some(code), "{}", line);
    }

    #[test]
    fn gle_and_decompositions_are_never_the_code(code in any::<u32>(), low in any::<u16>()) {
        let gle = format!("(F) Installer: X\tErrorCode: {code:08x}\tPhase: 31[gle=0x{code:08x}]");
        prop_assert_eq!(w2k8_diagnose::hresult::find_code(&gle), None);
        let d = format!("[Warning,Facility=FACILITY_NTSSPI,Code={low} (0x{low:x})]");
        prop_assert_eq!(w2k8_diagnose::hresult::find_code(&d), None);
    }

    #[test]
    fn windowsupdate_layouts_agree(entries in proptest::collection::vec((0usize..4, 0x8007_2EE2u32..0x8007_2F00, 1usize..5), 1..30)) {
        // Tab-separated, as the agent writes it, and with every tab collapsed to a
        // run of spaces, as blogs paste it: the same events.
        let msgs = [
            ("Misc", "WARNING: Send failed with hr = {x}."),
            ("Misc", "WARNING: WinHttp: SendRequestUsingProxy failed for <http://wsus01/selfupdate/wuident.cab>. error 0x{x}"),
            ("Handler", "FATAL: CBS called Error with 0x{x}, "),
            ("AU", "  # WARNING: Download failed, error = 0x{x}"),
        ];
        let (mut tabs, mut spaces) = (String::new(), String::new());
        for (m, code, run) in &entries {
            let (component, msg) = msgs[*m];
            let msg = msg.replace("{x}", &format!("{code:08x}"));
            tabs.push_str(&format!("2016-09-08\t10:48:43:109\t 848\t604\t{component}\t{msg}\n"));
            let sp = " ".repeat(*run);
            spaces.push_str(&format!("2016-09-08{sp}10:48:43:109{sp}848{sp}604{sp}{component}{sp}{msg}\n"));
        }
        let read = |t: &str| {
            let mut evs = Vec::new();
            windowsupdate::parse(t.as_bytes(), "WindowsUpdate.log", &mut |e| evs.push(e)).map(|_| evs)
        };
        let (a, b) = (read(&tabs).unwrap(), read(&spaces).unwrap());
        prop_assert_eq!(a.len(), entries.len());
        prop_assert_eq!(a.len(), b.len());
        for ((x, y), (_, code, _)) in a.iter().zip(&b).zip(&entries) {
            prop_assert_eq!((x.line, x.hresult, x.phase, x.level), (y.line, y.hresult, y.phase, y.level));
            prop_assert_eq!(x.hresult, Some(*code));
        }
    }

    #[test]
    fn a_report_event_wrapped_at_80_columns_reads_as_one(kb in 1_000_000u32..9_999_999, code in 0x8007_0001u32..0x8007_FFFF) {
        let line = format!(
            "2023-02-06\t11:45:33:713\t1188\t1418\tReport\tREPORT EVENT: {{87F8BCEC-FE1A-47A9-886D-E56112D19E42}}\t2023-02-06 11:45:28:713+0900\t1\t182\t101\t{{53367D29-F57A-442B-9F49-DC50B1334BD4}}\t205\t{code:08X}\tLegacy Update\tFailure\tContent Install\tInstallation Failure: Windows failed to install the following update with error 0x{code:08X}: Some Rollup for Windows Server 2008 SP2 (KB{kb})."
        );
        // A console: tabs expanded to 8-column stops, then wrapped at 80 columns.
        let mut expanded = String::new();
        for c in line.chars() {
            if c == '\t' {
                let n = 8 - expanded.chars().count() % 8;
                expanded.push_str(&" ".repeat(n));
            } else {
                expanded.push(c);
            }
        }
        let chars: Vec<char> = expanded.chars().collect();
        let wrapped: String = chars.chunks(80).map(|c| c.iter().collect::<String>() + "\n").collect();
        let mut evs = Vec::new();
        windowsupdate::parse(wrapped.as_bytes(), "WindowsUpdate.log", &mut |e| evs.push(e)).unwrap();
        prop_assert_eq!(evs.len(), 1);
        prop_assert_eq!(evs[0].line, 1);
        prop_assert_eq!(evs[0].hresult, Some(code));
        prop_assert_eq!(evs[0].kb.map(|k| k.number()), Some(kb));
    }

    #[test]
    fn version_scan_is_a_slice_of_the_text(s in "\\PC{0,200}", build in prop_oneof![Just(6002u32), Just(7601), Just(9200), Just(9600), 10240u32..26100]) {
        prop_assert!(w2k8_diagnose::version::scan_build(&s).is_none_or(|v| s.contains(v)));
        let (major, minor) = w2k8_diagnose::version::nt_of_build(build).unwrap();
        let t = format!("{s} Component: x_{major}.{minor}.{build}.1234_none");
        let v = w2k8_diagnose::version::scan_build(&t).unwrap();
        prop_assert!(v.starts_with(&format!("{major}.{minor}.{build}")) || s.contains(v), "{}", v);
    }
}
