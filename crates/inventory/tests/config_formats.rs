//! The reachability formats of issue 20 against their fixtures (truth in each folder's README, written by hand),
//! plus property tests: the parsers never panic, and what they return is bounded by the input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::type_complexity,
    clippy::too_many_lines
)]
use proptest::prelude::*;
use std::path::PathBuf;
use w2k8_inventory::config::{InboundPolicy, RegLookup, ServiceState};
use w2k8_inventory::formats::{netsh_firewall, netstat, reg_mitigations, roles, sc_queryex, Format};
use w2k8_inventory::Facts;

fn fixture(rel: &str) -> (String, String) {
    let p: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", rel].iter().collect();
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let d = w2k8_inventory::decode(&bytes, rel, None).unwrap();
    (d.text, d.encoding)
}

fn parse(format: Format, rel: &str) -> Facts {
    let (text, _) = fixture(rel);
    assert_eq!(Format::sniff(&text), Some(format), "{rel}: sniffed as");
    format.parse(&text, rel).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn reg_mitigations_collector_file() {
    for rel in ["reg-mitigations/collector_smb1_off_spooler_disabled.txt", "reg-mitigations/utf16le_bom.txt"] {
        let r = parse(Format::RegMitigations, rel).config.registry.unwrap();
        let value = |key: &str, name: &str| match r.lookup(key, name) {
            RegLookup::Value(v) => Some((v.number(), v.evidence.line)),
            other => panic!("{rel} {key}\\{name}: {other:?}"),
        };
        let absent = |key: &str, name: &str| match r.lookup(key, name) {
            RegLookup::Absent(e) => e.line,
            other => panic!("{rel} {key}\\{name}: {other:?}"),
        };
        let smb = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters";
        assert_eq!(value(smb, "SMB1"), Some((Some(0), Some(20))));
        let rdp = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp";
        assert_eq!(value(rdp, "UserAuthentication"), Some((Some(1), Some(13))));
        assert_eq!(value(rdp, "PortNumber"), Some((Some(3389), Some(12))));
        assert_eq!(
            absent("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Printers", "RegisterSpoolerRemoteRpcEndPoint"),
            Some(23)
        );
        assert_eq!(value("HKLM\\SYSTEM\\CurrentControlSet\\Services\\Spooler", "Start"), Some((Some(4), Some(28))));
        assert_eq!(absent("HKLM\\SYSTEM\\CurrentControlSet\\Services\\WebClient", "Start"), Some(30));
        assert_eq!(value("HKLM\\SYSTEM\\CurrentControlSet\\Services\\TermService", "Start"), Some((Some(3), Some(34))));
        // Not queried at all: unknown.
        assert_eq!(r.lookup("HKLM\\SOFTWARE\\Microsoft\\Gdiplus", "DisableTIFFCodec"), RegLookup::NotShown);
    }
    let (_, enc) = fixture("reg-mitigations/utf16le_bom.txt");
    assert!(enc.starts_with("UTF-16LE"), "{enc}");
}

#[test]
fn reg_mitigations_without_markers_knows_less() {
    let r = parse(Format::RegMitigations, "reg-mitigations/no_markers.txt").config.registry.unwrap();
    let smb = "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters";
    assert!(
        matches!(r.lookup(smb, "SMB1"), RegLookup::Value(v) if v.number() == Some(1) && v.evidence.line == Some(3))
    );
    // Without markers a key not shown is not known to be absent.
    assert_eq!(r.lookup("HKLM\\SYSTEM\\CurrentControlSet\\Services\\Spooler", "Start"), RegLookup::NotShown);
}

#[test]
fn sc_queryex_states_by_number() {
    for rel in ["sc-queryex/en_2008.txt", "sc-queryex/utf16le_bom.txt", "sc-queryex/localized_words_cp850.txt"] {
        let t = parse(Format::ScQueryex, rel).config.services.unwrap();
        let got: Vec<(&str, Option<ServiceState>, Option<u32>, Option<u32>)> =
            t.services.iter().map(|s| (s.name.as_str(), s.state, s.evidence.line, s.pid)).collect();
        assert_eq!(
            got,
            [
                ("DNS", Some(ServiceState::Running), Some(5), Some(1480)),
                ("LanmanServer", Some(ServiceState::Running), Some(17), Some(1032)),
                ("Spooler", Some(ServiceState::Stopped), Some(29), None),
                ("TermService", Some(ServiceState::Running), Some(40), Some(1220)),
            ],
            "{rel}"
        );
        assert!(t.complete, "{rel}");
    }
    let (_, enc) = fixture("sc-queryex/localized_words_cp850.txt");
    assert_eq!(enc, "cp850");
    let cut = parse(Format::ScQueryex, "sc-queryex/cut_off.txt").config.services.unwrap();
    assert!(!cut.complete);
    assert_eq!(cut.get("Spooler").map(|s| s.state), Some(None));
}

#[test]
fn netstat_listeners_by_structure() {
    for rel in ["netstat-ano/en_2008.txt", "netstat-ano/utf16le_bom.txt", "netstat-ano/de_cp850.txt"] {
        let t = parse(Format::Netstat, rel).config.listeners.unwrap();
        assert_eq!(t.rows, 11, "{rel}");
        let tcp: Vec<(u16, Option<u32>)> = [53u16, 135, 445, 3389, 139]
            .iter()
            .flat_map(|p| t.tcp_listening(*p).into_iter().map(|l| (l.port, l.evidence.line)).collect::<Vec<_>>())
            .collect();
        assert_eq!(
            tcp,
            [
                (53, Some(5)),
                (135, Some(6)),
                (135, Some(12)),
                (445, Some(7)),
                (445, Some(13)),
                (3389, Some(8)),
                (139, Some(9))
            ],
            "{rel}"
        );
        assert!(t.tcp_listening(51544).is_empty());
        assert_eq!(t.listeners.iter().filter(|l| l.proto == "UDP").count(), 2);
    }
}

#[test]
fn netsh_english_profiles_and_rules() {
    for rel in ["netsh-advfirewall/en_2008r2.txt", "netsh-advfirewall/utf16le_bom.txt"] {
        let fw = parse(Format::NetshFirewall, rel).config.firewall.unwrap();
        let profiles: Vec<(Option<&str>, Option<bool>, Option<InboundPolicy>, Option<u32>)> =
            fw.profiles.iter().map(|p| (p.name.as_deref(), p.on, p.inbound, p.evidence.line)).collect();
        assert_eq!(
            profiles,
            [
                (Some("domain"), Some(true), Some(InboundPolicy::Block), Some(2)),
                (Some("private"), Some(true), Some(InboundPolicy::Block), Some(18)),
                (Some("public"), Some(false), Some(InboundPolicy::Block), Some(23)),
            ]
        );
        let rules: Vec<(&str, Option<bool>, Option<bool>, Option<u32>)> =
            fw.rules.iter().map(|r| (r.name.as_str(), r.allow, r.remote_any(), r.evidence.line)).collect();
        assert_eq!(
            rules,
            [
                ("Remote Desktop (TCP-In)", Some(true), Some(true), Some(30)),
                ("File and Printer Sharing (SMB-In)", Some(true), Some(false), Some(44)),
                ("w2k8-block-msmq", Some(false), Some(true), Some(58)),
                ("Core Networking - Packet Too Big (ICMPv6-In)", Some(true), Some(true), Some(72)),
            ]
        );
        assert_eq!(fw.rules[1].profiles.as_deref(), Some(&["domain".to_string()][..]));
        assert_eq!(fw.rules[2].covers_port(1801), Some(true));
        assert!(fw.unreadable_rules.is_empty(), "{rel}: {:?}", fw.unreadable_rules);
    }
}

#[test]
fn netsh_localized_is_unknown_not_guessed() {
    let f = parse(Format::NetshFirewall, "netsh-advfirewall/de_cp850.txt");
    let fw = f.config.firewall.unwrap();
    assert_eq!(fw.profiles.len(), 2);
    assert!(fw.profiles.iter().all(|p| p.name.is_none() && p.on.is_none() && p.inbound == Some(InboundPolicy::Block)));
    assert_eq!(fw.rules.len(), 1);
    assert_eq!(fw.unreadable_rules.len(), 1);
    assert_eq!(f.notes.len(), 2, "{:?}", f.notes);
}

#[test]
fn servermanagercmd_installed_ids() {
    for rel in ["servermanagercmd/en_dc_print.txt", "servermanagercmd/utf16le_bom.txt"] {
        let r = parse(Format::Roles, rel).config.roles.unwrap();
        let got: Vec<(&str, Option<u32>)> = r.installed.iter().map(|o| (o.value.as_str(), o.evidence.line)).collect();
        assert_eq!(
            got,
            [
                ("AD-Domain-Services", Some(3)),
                ("ADDS-Domain-Controller", Some(4)),
                ("DNS", Some(6)),
                ("Print-Services", Some(9)),
                ("Print-Server", Some(10)),
            ]
        );
        assert_eq!(r.listed, 10);
    }
}

#[test]
fn new_sniffers_leave_the_old_fixtures_alone() {
    let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures"].iter().collect();
    let mine = [Format::RegMitigations, Format::ScQueryex, Format::Netstat, Format::NetshFirewall, Format::Roles];
    let mut checked = 0;
    for folder in [
        "wmic-qfe/real",
        "wmic-qfe/synthetic",
        "get-hotfix",
        "reg-query",
        "reg-reboot",
        "wmic",
        "wmic-logicaldisk",
        "servicing-packages",
        "systeminfo/real",
        "systeminfo/synthetic",
    ] {
        let Ok(entries) = std::fs::read_dir(dir.join(folder)) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() || p.extension().is_some_and(|x| x == "md") {
                continue;
            }
            let Ok(bytes) = std::fs::read(&p) else { continue };
            let Ok(text) = w2k8_inventory::decode(&bytes, "f", None).map(|d| d.text) else { continue };
            for f in mine {
                assert!(!f.recognises(&text), "{}: claimed by {}", p.display(), f.name());
            }
            checked += 1;
        }
    }
    assert!(checked >= 22, "only {checked} fixtures checked");
}

fn total(f: &Facts) -> usize {
    let c = &f.config;
    c.registry.as_ref().map_or(0, |r| r.values.len() + r.keys.len() + r.queried.len())
        + c.services.as_ref().map_or(0, |s| s.services.len())
        + c.listeners.as_ref().map_or(0, |l| l.listeners.len())
        + c.firewall.as_ref().map_or(0, |fw| fw.profiles.len() + fw.rules.len())
        + c.roles.as_ref().map_or(0, |r| r.installed.len())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn never_panic_and_bounded(s in "\\PC*") {
        let lines = s.split('\n').count();
        for (sniff, parse) in [
            (reg_mitigations::sniff as fn(&str) -> bool, reg_mitigations::parse as fn(&str, &str) -> Result<Facts, w2k8_inventory::ParseError>),
            (sc_queryex::sniff, sc_queryex::parse),
            (netstat::sniff, netstat::parse),
            (netsh_firewall::sniff, netsh_firewall::parse),
            (roles::sniff, roles::parse),
        ] {
            let _ = sniff(&s);
            if let Ok(f) = parse(&s, "fuzz.txt") {
                prop_assert!(total(&f) <= 3 * lines);
            }
        }
    }

    #[test]
    fn never_panic_on_format_like_text(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("w2k8-query: HKLM\\SYSTEM\\CurrentControlSet\\Services\\Spooler Start".to_string()),
                Just("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Spooler".to_string()),
                Just("    Start    REG_DWORD    0x4".to_string()),
                Just("SERVICE_NAME: Spooler".to_string()),
                Just("        STATE              : 4  RUNNING".to_string()),
                Just("        PID                : 99999999999".to_string()),
                Just("  TCP    0.0.0.0:445            0.0.0.0:0              LISTENING       4".to_string()),
                Just("  TCP    [::]:99999             [::]:0                 LISTENING".to_string()),
                Just("Rule Name:                            X".to_string()),
                Just("Domain Profile Settings:".to_string()),
                Just("----------------------------------------------------------------------".to_string()),
                Just("LocalPort:                            1-2,x,65535-1".to_string()),
                Just("Firewall Policy                       BlockInbound,AllowOutbound".to_string()),
                Just("[X] DNS Server  [DNS]".to_string()),
                "[ -~\u{e9}\u{444}]{0,60}",
            ],
            0..30,
        )
    ) {
        let text = lines.join("\r\n");
        for f in [Format::RegMitigations, Format::ScQueryex, Format::Netstat, Format::NetshFirewall, Format::Roles] {
            let _ = f.recognises(&text);
            if let Ok(facts) = f.parse(&text, "fuzz.txt") {
                prop_assert!(total(&facts) <= 3 * lines.len().max(1));
            }
        }
    }

    /// A generated netstat table gives back its listeners.
    #[test]
    fn netstat_round_trips(ports in proptest::collection::btree_set(1u16..65535, 2..30)) {
        let rows: String = ports.iter().map(|p| format!("  TCP    0.0.0.0:{p}    0.0.0.0:0    LISTENING    4\r\n")).collect();
        let text = format!("\r\nActive Connections\r\n\r\n  Proto  Local Address  Foreign Address  State  PID\r\n{rows}");
        prop_assert!(netstat::sniff(&text));
        let t = netstat::parse(&text, "n").unwrap().config.listeners.unwrap();
        let got: Vec<u16> = t.listeners.iter().map(|l| l.port).collect();
        prop_assert_eq!(got, ports.into_iter().collect::<Vec<_>>());
    }
}
