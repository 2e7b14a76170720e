//! Integration tests of the wmic qfe, Get-HotFix, reg query, wmic and
//! servicing\Packages readers over the fixtures in `tests/fixtures/`
//! (real captures where they exist, synthetic ones otherwise: see each
//! folder's README.md), plus property tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use proptest::prelude::*;
use std::path::PathBuf;
use w2k8_core::{Arch, Date, FileVersion, Kb};
use w2k8_inventory::formats::{hotfix_ps, qfe, reg, servicing_dir, wmic, Format};
use w2k8_inventory::Facts;

fn fixture(rel: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", rel].iter().collect();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    w2k8_inventory::decode(&bytes, rel, None).unwrap_or_else(|e| panic!("{e}")).text
}

fn parse(format: Format, rel: &str) -> Facts {
    let text = fixture(rel);
    assert_eq!(Format::sniff(&text), Some(format), "{rel} must be sniffed as {}", format.name());
    format.parse(&text, rel).unwrap_or_else(|e| panic!("{e}"))
}

fn kb(n: u32) -> Kb {
    Kb::new(n).unwrap_or_else(|| panic!("KB{n}"))
}

fn date(s: &str) -> Date {
    s.parse().unwrap_or_else(|_| panic!("{s}"))
}

fn strict_kb_ids(f: &Facts) -> usize {
    f.hotfixes
        .iter()
        .filter(|h| h.id.strip_prefix("KB").is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())))
        .count()
}

// ---------------------------------------------------------------- wmic qfe

/// The truth of each real capture, counted by hand from the file (see
/// `fixtures/wmic-qfe/README.md`): data rows, rows whose HotFixID is
/// `KBnnnn`, the highest KB, and the host.
#[test]
fn real_qfe_captures_match_index_truth() {
    let table: &[(&str, usize, usize, u32, &str)] = &[
        ("neg_wesng_srv2012r2_u1_qfe_utf16.txt", 154, 154, 4489881, "SRV12R2U1X64"),
        ("neg_wesng_srv2012r2_x64_ru_qfe_utf8.txt", 7, 7, 2999226, "DC"),
        ("neg_wesng_win7_sp1_x64_qfe_utf16.txt", 271, 271, 4467107, "WIN7SP1X64"),
        ("neg_wesng_xp_sp3_x86_qfe_file1_utf16.txt", 262, 120, 2934207, "WINXPSP3"),
        ("wesng_vista_sp1_x64_qfe_utf16.txt", 174, 171, 2555917, "WINVISTASP0X64"),
        ("wesng_vista_sp2_x64_qfe_utf16.txt", 175, 172, 2555917, "WINVISTASP0X64"),
    ];
    for (name, rows, strict, highest, host) in table {
        let f = parse(Format::WmicQfe, &format!("wmic-qfe/real/{name}"));
        assert_eq!(f.hotfixes.len(), *rows, "{name}: data rows");
        assert_eq!(strict_kb_ids(&f), *strict, "{name}: rows with HotFixID KBnnnn");
        assert_eq!(f.hotfixes.iter().filter_map(|h| h.kb).max(), Some(kb(*highest)), "{name}: highest KB");
        assert_eq!(f.host_name.as_ref().map(|h| h.value.as_str()), Some(*host), "{name}: host");
        // Every row has its own line as evidence, in order, after the header.
        let lines: Vec<u32> = f.hotfixes.iter().filter_map(|h| h.evidence.line).collect();
        assert_eq!(lines.len(), *rows);
        assert!(lines.windows(2).all(|w| w.first() < w.get(1)), "{name}: evidence lines increase");
    }
}

#[test]
fn vista_capture_decodes_filetime_and_odd_ids() {
    let f = parse(Format::WmicQfe, "wmic-qfe/real/wesng_vista_sp1_x64_qfe_utf16.txt");
    let guid = f.hotfixes.first().unwrap_or_else(|| panic!("no rows"));
    assert_eq!(guid.id, "{7A068575-C5DB-43D9-BE20-3895D0C69B17}");
    assert_eq!(guid.kb, None);
    assert_eq!(guid.installed_on, Some(date("2019-03-21")));
    assert_eq!(guid.evidence.line, Some(2));
    let second = f.hotfixes.get(1).unwrap_or_else(|| panic!("row 2"));
    assert_eq!((second.id.as_str(), second.kb), ("KB937286", Some(kb(937286))));
    assert_eq!(second.installed_on, Some(date("2019-03-21")), "01d4dfd0fb4eb361");
    assert_eq!(second.description.as_deref(), Some("Update"));
    let bare: Vec<_> = f.hotfixes.iter().filter(|h| h.id == "943729" || h.id == "940157").collect();
    assert_eq!(bare.len(), 2);
    assert!(bare.iter().all(|h| h.kb.is_some()));
    // Every row of this capture has a readable date (hex or YYYYMMDD).
    assert_eq!(f.hotfixes.iter().filter(|h| h.installed_on.is_none()).count(), 0);
    assert!(f.notes.is_empty(), "{:?}", f.notes);
}

#[test]
fn xp_capture_takes_kb_of_file_1_rows_from_service_pack_in_effect() {
    let f = parse(Format::WmicQfe, "wmic-qfe/real/neg_wesng_xp_sp3_x86_qfe_file1_utf16.txt");
    let first = f.hotfixes.first().unwrap_or_else(|| panic!("no rows"));
    assert_eq!((first.id.as_str(), first.kb), ("File 1", Some(kb(2115168))));
    let file1 = f.hotfixes.iter().filter(|h| h.id == "File 1").count();
    assert_eq!(file1, f.hotfixes.iter().filter(|h| h.id == "File 1" && h.kb.is_some()).count());
    let ie8 = f.hotfixes.iter().find(|h| h.id == "KB2510531-IE8").unwrap_or_else(|| panic!("IE8 row"));
    assert_eq!(ie8.kb, Some(kb(2510531)));
    assert_eq!(ie8.installed_on, Some(date("2016-12-31")));
    assert_eq!(ie8.description.as_deref(), Some("Security Update for Windows Internet Explorer 8 (KB2510531)"));
    let q = f.hotfixes.iter().find(|h| h.id == "Q147222").unwrap_or_else(|| panic!("Q row"));
    assert_eq!(q.kb, Some(kb(147222)));
    // Every row resolves to a KB one way or another.
    assert_eq!(f.hotfixes.iter().filter(|h| h.kb.is_none()).count(), 0);
}

#[test]
fn russian_capture_skips_prompt_line_and_realigns_rows() {
    let f = parse(Format::WmicQfe, "wmic-qfe/real/neg_wesng_srv2012r2_x64_ru_qfe_utf8.txt");
    assert_eq!(f.hotfixes.first().map(|h| h.evidence.line), Some(Some(3)));
    assert!(f.hotfixes.iter().take(6).all(|h| h.installed_on == Some(date("2014-03-18"))));
    assert_eq!(f.hotfixes.last().and_then(|h| h.installed_on), Some(date("2020-04-17")));
    assert_eq!(f.hotfixes.get(5).and_then(|h| h.description.clone()).as_deref(), Some("Hotfix"));
    assert!(f.notes.iter().any(|n| n.contains("before the wmic qfe header")), "{:?}", f.notes);
    assert!(f.notes.iter().any(|n| n.contains("not aligned")), "{:?}", f.notes);
}

const SP2_KBS: [u32; 4] = [4493730, 4474419, 4538484, 5022340];
const SP2_DATES: [&str; 4] = ["2019-04-10", "2019-09-25", "2020-02-12", "2023-01-11"];

fn assert_sp2_hotfixes(f: &Facts, rel: &str) {
    let kbs: Vec<Option<Kb>> = f.hotfixes.iter().map(|h| h.kb).collect();
    assert_eq!(kbs, SP2_KBS.iter().map(|n| Kb::new(*n)).collect::<Vec<_>>(), "{rel}");
    let dates: Vec<Option<Date>> = f.hotfixes.iter().map(|h| h.installed_on).collect();
    assert_eq!(dates, SP2_DATES.iter().map(|d| Some(date(d))).collect::<Vec<_>>(), "{rel}");
    assert_eq!(f.host_name.as_ref().map(|h| h.value.as_str()), Some("SRV2008SP2"), "{rel}");
}

#[test]
fn synthetic_qfe_forms() {
    for rel in [
        "wmic-qfe/synthetic/srv2008sp2_x64_list_full_utf16.txt",
        "wmic-qfe/synthetic/srv2008sp2_x64_csv_utf16.csv",
        "wmic-qfe/synthetic/srv2008sp2_6003_table_utf16.txt",
    ] {
        let f = parse(Format::WmicQfe, rel);
        assert_sp2_hotfixes(&f, rel);
        assert_eq!(f.hotfixes.get(1).and_then(|h| h.description.clone()).as_deref(), Some("Security Update"), "{rel}");
        assert!(f.notes.is_empty(), "{rel}: {:?}", f.notes);
    }
    let f = parse(Format::WmicQfe, "wmic-qfe/synthetic/srv2008sp2_x64_list_full_utf16.txt");
    // Evidence is the HotFixID= line: records start at line 3, 13 lines each.
    let lines: Vec<Option<u32>> = f.hotfixes.iter().map(|h| h.evidence.line).collect();
    assert_eq!(lines, vec![Some(7), Some(20), Some(33), Some(46)]);
    let f = parse(Format::WmicQfe, "wmic-qfe/synthetic/srv2008sp2_x64_csv_utf16.csv");
    assert_eq!(f.hotfixes.first().map(|h| h.evidence.line), Some(Some(3)));
    let f = parse(Format::WmicQfe, "wmic-qfe/synthetic/srv2008sp2_get_hotfixid_installedon_utf16.txt");
    assert_eq!(f.hotfixes.iter().filter_map(|h| h.kb).collect::<Vec<_>>(), SP2_KBS.map(kb).to_vec());
    assert_eq!(f.host_name, None);
}

// -------------------------------------------------------------- Get-HotFix

#[test]
fn get_hotfix_table() {
    let rel = "get-hotfix/srv2008sp2_get_hotfix_table_utf16.txt";
    let f = parse(Format::GetHotFix, rel);
    assert_sp2_hotfixes(&f, rel);
    assert_eq!(f.hotfixes.first().map(|h| h.evidence.line), Some(Some(4)));
    assert_eq!(f.hotfixes.first().map(|h| h.evidence.fact.as_str()), Some("hotfix KB4493730"));
    assert!(f.notes.is_empty(), "{:?}", f.notes);
}

#[test]
fn get_hotfix_export_csv() {
    for (rel, first_line) in [
        ("get-hotfix/srv2008sp2_export_csv_ascii.csv", 3),
        ("get-hotfix/srv2008sp2_export_csv_notypeinformation_ascii.csv", 2),
    ] {
        let f = parse(Format::GetHotFix, rel);
        assert_sp2_hotfixes(&f, rel);
        assert_eq!(f.hotfixes.first().map(|h| h.evidence.line), Some(Some(first_line)), "{rel}");
        assert_eq!(f.hotfixes.get(3).and_then(|h| h.description.clone()).as_deref(), Some("Security Update"));
    }
}

// --------------------------------------------------------------- reg query

#[test]
fn reg_current_version() {
    let f = parse(Format::RegQuery, "reg-query/srv2008sp2_x64_currentversion.txt");
    let v = |o: &Option<w2k8_core::Observed<String>>| o.as_ref().map(|o| (o.value.clone(), o.evidence.line));
    assert_eq!(v(&f.os_name), Some(("Windows Server (R) 2008 Standard".into(), Some(11))));
    assert_eq!(v(&f.os_version), Some(("6.0.6003".into(), Some(4))));
    assert_eq!(f.build.as_ref().map(|b| b.value), Some(6003));
    assert_eq!(v(&f.service_pack), Some(("Service Pack 2".into(), Some(16))));
    assert_eq!(f.service_pack_number.as_ref().map(|b| b.value), Some(2));
    assert_eq!(v(&f.edition_id), Some(("ServerStandard".into(), Some(12))));
    assert_eq!(v(&f.build_lab), Some(("6003.20489.amd64fre.vistasp2_ldr_escrow.190320-1700".into(), Some(14))));
    assert_eq!(v(&f.product_id), Some(("92577-082-2500446-76907".into(), Some(13))));
    assert!(f.packages.is_empty());
    assert!(f.notes.is_empty(), "{:?}", f.notes);
}

const PKG_KBS: [Option<u32>; 9] = [
    None,
    Some(2999226),
    Some(2864202),
    Some(3211306),
    Some(4493730),
    Some(958690),
    Some(960803),
    Some(978601),
    Some(979744),
];

#[test]
fn reg_cbs_packages_listing() {
    let f = parse(Format::RegQuery, "reg-query/srv2008sp2_x64_cbs_packages.txt");
    assert_eq!(f.packages.iter().map(|p| p.kb.map(Kb::number)).collect::<Vec<_>>(), PKG_KBS.to_vec());
    let p = f.packages.get(4).unwrap_or_else(|| panic!("package"));
    assert_eq!(p.identity, "Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.3");
    assert_eq!((p.arch.as_deref(), p.version.as_deref(), p.current_state), (Some("amd64"), Some("6.0.1.3"), None));
    assert_eq!(p.evidence.line, Some(7));
    assert!(f.packages.iter().all(|p| p.counts_as_installed()));
}

#[test]
fn reg_cbs_packages_recursive() {
    let f = parse(Format::RegQuery, "reg-query/srv2008sp2_x64_cbs_packages_s.txt");
    assert_eq!(f.packages.iter().map(|p| p.kb.map(Kb::number)).collect::<Vec<_>>(), PKG_KBS.to_vec());
    let states: Vec<Option<u32>> = f.packages.iter().map(|p| p.current_state).collect();
    assert_eq!(
        states,
        vec![
            Some(0x70),
            Some(0x70),
            Some(0x50),
            Some(0x65),
            Some(0x70),
            Some(0x70),
            Some(0x70),
            Some(0x70),
            Some(0x70)
        ]
    );
    assert_eq!(f.packages.iter().filter(|p| p.counts_as_installed()).count(), 8);
    assert_eq!(f.packages.first().map(|p| p.evidence.line), Some(Some(2)));
}

#[test]
fn reg_bundle_and_errors() {
    let f = parse(Format::RegQuery, "reg-query/srv2008sp2_bundle_appended.txt");
    assert_eq!(f.os_name.as_ref().map(|o| o.value.as_str()), Some("Windows Server (R) 2008 Standard"));
    assert_eq!(f.build.as_ref().map(|o| (o.value, o.evidence.line)), Some((6003, Some(7))));
    assert_eq!(f.os_version, None, "CurrentVersion was not queried");
    assert_eq!(f.arch.as_ref().map(|o| o.value), Some(Arch::X64));
    assert_eq!(f.notes.len(), 1, "{:?}", f.notes);
    let f = parse(Format::RegQuery, "reg-query/not_found.txt");
    assert_eq!(f, Facts { notes: f.notes.clone(), ..Facts::default() });
    assert_eq!(f.notes.len(), 1);
}

// -------------------------------------------------------------------- wmic

#[test]
fn wmic_os_list() {
    let f = parse(Format::Wmic, "wmic/srv2008sp2_x64_os_list_utf16.txt");
    assert_eq!(f.os_name.as_ref().map(|o| o.value.as_str()), Some("Microsoft® Windows Server® 2008 Standard"));
    assert_eq!(f.build.as_ref().map(|o| (o.value, o.evidence.line)), Some((6003, Some(3))));
    assert_eq!(f.os_version.as_ref().map(|o| o.value.as_str()), Some("6.0.6003"));
    assert_eq!(f.os_sku.as_ref().map(|o| o.value), Some(7));
    assert_eq!(f.arch.as_ref().map(|o| o.value), Some(Arch::X64));
    assert_eq!(f.arch_text.as_ref().map(|o| o.value.as_str()), Some("64-bit"));
    assert_eq!(f.service_pack.as_ref().map(|o| o.value.as_str()), Some("Service Pack 2"));
    assert_eq!(f.service_pack_number.as_ref().map(|o| o.value), Some(2));
    assert_eq!(f.host_name.as_ref().map(|o| o.value.as_str()), Some("SRV2008SP2"));
    assert_eq!(f.kernel_version, None);
}

#[test]
fn wmic_datafile_and_table() {
    let f = parse(Format::Wmic, "wmic/srv2008sp2_x64_ntoskrnl_version_utf16.txt");
    assert_eq!(
        f.kernel_version.as_ref().map(|o| (o.value, o.evidence.line)),
        Some((FileVersion::new(6, 0, 6003, 20489), Some(3)))
    );
    assert_eq!(f.os_version, None);
    let f = parse(Format::Wmic, "wmic/srv2008sp2_os_get_caption_version_utf16.txt");
    assert_eq!(f.os_name.as_ref().map(|o| o.value.as_str()), Some("Microsoft® Windows Server® 2008 Standard"));
    assert_eq!(f.os_version.as_ref().map(|o| (o.value.as_str(), o.evidence.line)), Some(("6.0.6003", Some(2))));
}

// ------------------------------------------------------ servicing\Packages

#[test]
fn servicing_packages_listing() {
    let f = parse(Format::ServicingPackages, "servicing-packages/srv2008sp2_x64_dir_b.txt");
    assert_eq!(f.packages.len(), 10);
    let kbs: Vec<Option<u32>> = f.packages.iter().map(|p| p.kb.map(Kb::number)).collect();
    assert_eq!(
        kbs,
        vec![
            None,
            Some(2999226),
            Some(2999226),
            Some(2864202),
            Some(3211306),
            Some(4493730),
            Some(958690),
            Some(960803),
            Some(978601),
            Some(979744)
        ]
    );
    // The .mum line (the second of each .cat/.mum pair) is the evidence.
    assert_eq!(
        f.packages.iter().map(|p| p.evidence.line).collect::<Vec<_>>(),
        (1..=10).map(|i| Some(i * 2)).collect::<Vec<_>>()
    );
    assert!(f.packages.iter().all(|p| p.current_state.is_none() && p.counts_as_installed()));
    assert!(f.notes.is_empty(), "{:?}", f.notes);
}

// ------------------------------------------------------------- sniffing

/// Each fixture is claimed by its own format only; none of these sniffers
/// claims another's input, nor the systeminfo fixtures.
#[test]
fn sniffers_do_not_claim_each_others_inputs() {
    let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures"].iter().collect();
    let mine = [Format::WmicQfe, Format::GetHotFix, Format::RegQuery, Format::Wmic, Format::ServicingPackages];
    let folders = [
        ("wmic-qfe/real", Some(Format::WmicQfe)),
        ("wmic-qfe/synthetic", Some(Format::WmicQfe)),
        ("get-hotfix", Some(Format::GetHotFix)),
        ("reg-query", Some(Format::RegQuery)),
        ("wmic", Some(Format::Wmic)),
        ("servicing-packages", Some(Format::ServicingPackages)),
        ("systeminfo", None),
    ];
    let mut checked = 0;
    for (folder, owner) in folders {
        let Ok(entries) = std::fs::read_dir(dir.join(folder)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() || p.extension().is_some_and(|x| x == "md") {
                continue;
            }
            let rel = format!("{folder}/{}", e.file_name().to_string_lossy());
            let Ok(bytes) = std::fs::read(&p) else { continue };
            let Ok(text) = w2k8_inventory::decode(&bytes, &rel, None).map(|d| d.text) else { continue };
            for f in mine {
                assert_eq!(f.recognises(&text), owner == Some(f), "{rel}: {} sniff", f.name());
            }
            checked += 1;
        }
    }
    assert!(checked >= 22, "only {checked} fixtures checked");
}

// -------------------------------------------------------- property tests

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic(s in "\\PC*") {
        for f in [qfe::parse, hotfix_ps::parse, reg::parse, wmic::parse, servicing_dir::parse] {
            let _ = f(&s, "fuzz.txt");
        }
        for f in [qfe::sniff, hotfix_ps::sniff, reg::sniff, wmic::sniff, servicing_dir::sniff] {
            let _ = f(&s);
        }
    }

    #[test]
    fn parsers_never_panic_on_format_like_text(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("HotFixID=KB123456".to_string()),
                Just("Node,Caption,CSName,HotFixID,InstalledOn".to_string()),
                Just("Caption  CSName  HotFixID  InstalledOn".to_string()),
                Just("Source Description HotFixID".to_string()),
                Just("------ ----------- --------".to_string()),
                Just("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion".to_string()),
                Just("    CurrentState    REG_DWORD    0x70".to_string()),
                Just("Package_for_KB1~31bf3856ad364e35~amd64~~6.0.1.0.mum".to_string()),
                Just("Version=6.0.6003.20489".to_string()),
                "[ -~\u{e9}\u{444}]{0,60}",
            ],
            0..20,
        )
    ) {
        let text = lines.join("\r\n");
        for f in [qfe::parse, hotfix_ps::parse, reg::parse, wmic::parse, servicing_dir::parse] {
            let _ = f(&text, "fuzz.txt");
        }
    }

    /// A generated `wmic os` list gives back its values.
    #[test]
    fn wmic_list_round_trips(
        build in 1000u32..30000,
        sku in 0u32..200,
        sp in 0u32..5,
        host in "[A-Z][A-Z0-9-]{0,14}",
        caption in "Microsoft Windows [A-Za-z0-9 ]{0,30}[A-Za-z0-9]",
    ) {
        let text = format!(
            "\r\n\r\nBuildNumber={build}\r\nCaption={caption}\r\nCSName={host}\r\nOperatingSystemSKU={sku}\r\nServicePackMajorVersion={sp}\r\nVersion=6.0.{build}\r\n\r\n"
        );
        prop_assert!(wmic::sniff(&text));
        prop_assert!(!qfe::sniff(&text));
        let f = wmic::parse(&text, "os.txt").map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(f.build.map(|o| o.value), Some(build));
        prop_assert_eq!(f.os_sku.map(|o| o.value), Some(sku));
        prop_assert_eq!(f.service_pack_number.map(|o| o.value), Some(sp));
        prop_assert_eq!(f.host_name.map(|o| o.value), Some(host));
        prop_assert_eq!(f.os_name.map(|o| o.value), Some(caption));
        prop_assert_eq!(f.os_version.map(|o| o.value), Some(format!("6.0.{build}")));
    }

    /// A generated `reg query /s` of the Packages key gives back every
    /// package, its KB and its CurrentState.
    #[test]
    fn reg_packages_round_trip(pkgs in proptest::collection::vec((1000u32..9_999_999, 0u32..0x100, 0u32..20), 1..30)) {
        let root = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages";
        let mut text = String::new();
        for (i, (n, state, rev)) in pkgs.iter().enumerate() {
            text.push_str(&format!("\r\n{root}\\Package_{i}_for_KB{n}~31bf3856ad364e35~amd64~~6.0.1.{rev}\r\n    CurrentState    REG_DWORD    0x{state:x}\r\n"));
        }
        prop_assert!(reg::sniff(&text));
        let f = reg::parse(&text, "cbs.txt").map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(f.packages.len(), pkgs.len());
        for (p, (n, state, rev)) in f.packages.iter().zip(&pkgs) {
            prop_assert_eq!(p.kb, Kb::new(*n));
            prop_assert_eq!(p.current_state, Some(*state));
            prop_assert_eq!(p.version.clone(), Some(format!("6.0.1.{rev}")));
        }
    }

    /// A generated `wmic qfe /format:csv` gives back its KBs and dates.
    #[test]
    fn qfe_csv_round_trips(rows in proptest::collection::vec((1000u32..9_999_999, 1u32..=12, 1u32..=28, 2008i32..2030), 1..40)) {
        let mut text = String::from("\r\nNode,Caption,CSName,Description,FixComments,HotFixID,InstallDate,InstalledBy,InstalledOn,Name,ServicePackInEffect,Status\r\n");
        for (n, m, d, y) in &rows {
            text.push_str(&format!("SRV1,http://support.microsoft.com/?kbid={n},SRV1,Update,,KB{n},,NT AUTHORITY\\SYSTEM,{m}/{d}/{y},,,\r\n"));
        }
        prop_assert!(qfe::sniff(&text));
        prop_assert!(!wmic::sniff(&text) && !hotfix_ps::sniff(&text) && !reg::sniff(&text) && !servicing_dir::sniff(&text));
        let f = qfe::parse(&text, "qfe.csv").map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(f.hotfixes.len(), rows.len());
        let any_day_over_12 = rows.iter().any(|(_, _, d, _)| *d > 12);
        for (h, (n, m, d, y)) in f.hotfixes.iter().zip(&rows) {
            prop_assert_eq!(h.kb, Kb::new(*n));
            if any_day_over_12 || m == d {
                prop_assert_eq!(h.installed_on, Date::new(*y, *m, *d));
            }
        }
    }

    /// A generated `dir /b` listing gives back one package per .mum.
    #[test]
    fn servicing_listing_round_trips(kbs in proptest::collection::btree_set(1000u32..9_999_999, 1..40)) {
        let mut text = String::new();
        for n in &kbs {
            text.push_str(&format!("Package_for_KB{n}~31bf3856ad364e35~x86~~6.0.1.0.cat\r\nPackage_for_KB{n}~31bf3856ad364e35~x86~~6.0.1.0.mum\r\n"));
        }
        prop_assert!(servicing_dir::sniff(&text));
        let f = servicing_dir::parse(&text, "pk.txt").map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(f.packages.iter().filter_map(|p| p.kb).collect::<Vec<_>>(), kbs.iter().filter_map(|n| Kb::new(*n)).collect::<Vec<_>>());
    }
}
