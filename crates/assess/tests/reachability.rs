//! Reachability (issue 20) on the inventory fixtures. Expected verdicts and lines are written by hand from the
//! fixtures (their READMEs) and `data/mitigations/mitigations.csv`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::type_complexity,
    clippy::too_many_lines
)]
use std::path::PathBuf;
use w2k8_assess::reachability::{judge, Reachability};
use w2k8_assess::{assess, Options, Programme};
use w2k8_catalog::mitigations::{for_cve, Condition, Effect, Mitigation, Strength};
use w2k8_catalog::Catalog;
use w2k8_core::{Arch, Date, Evidence, Kb, Observed};
use w2k8_inventory::config::HostConfig;
use w2k8_inventory::formats::Format;
use w2k8_inventory::{Facts, Host, Hotfix};

fn fixture(rel: &str) -> String {
    let p: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "inventory", "tests", "fixtures", rel].iter().collect();
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{rel}: {e}"));
    w2k8_inventory::decode(&bytes, rel, None).unwrap().text
}

fn config_from(parts: &[(Format, &str, String)]) -> HostConfig {
    let mut cfg = HostConfig::default();
    for (f, name, text) in parts {
        let facts = f.parse(text, name).unwrap_or_else(|e| panic!("{e}"));
        cfg.absorb(facts.config, &mut Vec::new());
    }
    cfg
}

/// The full configuration of the fixtures, each under its bundle name.
fn full(firewall: String, services: String, reg: String) -> HostConfig {
    config_from(&[
        (Format::RegMitigations, "reg-mitigations.txt", reg),
        (Format::ScQueryex, "services.txt", services),
        (Format::Netstat, "netstat.txt", fixture("netstat-ano/en_2008.txt")),
        (Format::NetshFirewall, "firewall.txt", firewall),
        (Format::Roles, "roles.txt", fixture("servermanagercmd/en_dc_print.txt")),
    ])
}

fn fixtures_config() -> HostConfig {
    full(
        fixture("netsh-advfirewall/en_2008r2.txt"),
        fixture("sc-queryex/en_2008.txt"),
        fixture("reg-mitigations/collector_smb1_off_spooler_disabled.txt"),
    )
}

fn places(j: &w2k8_assess::reachability::Judged) -> Vec<String> {
    j.mitigation
        .as_ref()
        .map(|m| {
            m.evidence.iter().map(|p| format!("{}:{}", p.file, p.line.map_or("-".into(), |l| l.to_string()))).collect()
        })
        .unwrap_or_default()
}

#[test]
fn smb1_off_is_mitigated_with_its_line() {
    let j = judge(&fixtures_config(), &for_cve(id("CVE-2017-0144")));
    assert_eq!(j.reachability, Reachability::Mitigated, "{:?}", j.notes);
    let m = j.mitigation.as_ref().unwrap();
    assert_eq!(m.by, "disable_smb1_server");
    assert_eq!(m.source, "https://learn.microsoft.com/en-us/security-updates/securitybulletins/2017/ms17-010");
    assert_eq!(places(&j), ["reg-mitigations.txt:20"]);
}

#[test]
fn nla_only_reduces_bluekeep() {
    let j = judge(&fixtures_config(), &for_cve(id("CVE-2019-0708")));
    assert_eq!(j.reachability, Reachability::Reduced, "{:?}", j.notes);
    let m = j.mitigation.as_ref().unwrap();
    assert_eq!((m.by.as_str(), m.effect), ("require_nla", Effect::Reduces));
    assert_eq!(places(&j), ["reg-mitigations.txt:13"]);
}

#[test]
fn stopped_and_disabled_spooler_is_not_reachable() {
    let j = judge(&fixtures_config(), &for_cve(id("CVE-2021-34527")));
    assert_eq!(j.reachability, Reachability::NotReachable, "{:?}", j.notes);
    assert_eq!(j.mitigation.as_ref().unwrap().by, "stop_spooler");
    assert_eq!(places(&j), ["services.txt:29", "reg-mitigations.txt:28"]);
}

#[test]
fn dns_server_without_the_workaround_is_exposed() {
    let j = judge(&fixtures_config(), &for_cve(id("CVE-2020-1350")));
    assert_eq!(j.reachability, Reachability::Exposed, "{:?}", j.notes);
    assert!(j.mitigation.is_none());
    // Each documented mitigation is said not to be in place, with its line.
    assert!(j.notes.iter().any(|n| n.contains("reg-mitigations.txt:24")), "{:?}", j.notes);
    assert!(j.notes.iter().any(|n| n.contains("roles.txt:6")), "{:?}", j.notes);
    assert!(j.notes.iter().any(|n| n.contains("services.txt:5")), "{:?}", j.notes);
}

#[test]
fn missing_files_are_unknown_never_mitigated() {
    let none = HostConfig::default();
    for cve in ["CVE-2017-0144", "CVE-2019-0708", "CVE-2021-34527", "CVE-2020-1350"] {
        let j = judge(&none, &for_cve(id(cve)));
        assert_eq!(j.reachability, Reachability::Unknown, "{cve}");
        assert!(j.mitigation.is_none(), "{cve}");
    }
    // Only the registry file: the Spooler's state is not known, so not "not reachable".
    let reg_only = config_from(&[(
        Format::RegMitigations,
        "reg-mitigations.txt",
        fixture("reg-mitigations/collector_smb1_off_spooler_disabled.txt"),
    )]);
    assert_eq!(judge(&reg_only, &for_cve(id("CVE-2021-34527"))).reachability, Reachability::Unknown);
    // A CVE with no documented mitigation (Win32k EoP, KEV) is exposed whatever the files.
    let j = judge(&none, &for_cve(id("CVE-2019-1458")));
    assert_eq!((j.reachability, j.mitigation.is_none()), (Reachability::Exposed, true));
}

#[test]
fn localized_firewall_leaves_port_rows_unknown() {
    let cfg = full(
        fixture("netsh-advfirewall/de_cp850.txt"),
        fixture("sc-queryex/en_2008.txt"),
        fixture("reg-mitigations/collector_smb1_off_spooler_disabled.txt"),
    );
    // MSMQ rows: port 1801 (nothing listens: holds) and the MSMQ service (not installed in a complete list: holds).
    let j = judge(&cfg, &for_cve(id("CVE-2023-21554")));
    assert_eq!(j.reachability, Reachability::NotReachable, "{:?}", j.notes);
    // A strong port row on a listening port: the firewall cannot be read, so unknown.
    let row = Mitigation {
        cve: id("CVE-1999-0001"),
        component: "rdp".into(),
        id: "test_block_3389".into(),
        effect: Effect::Removes,
        state: "port:tcp/3389=closed".into(),
        conditions: vec![Condition::TcpPortClosed(3389)],
        side_effects: String::new(),
        sources: vec!["https://example.org/".into()],
        strength: Strength::Strong,
        line: 0,
    };
    let j = judge(&cfg, &[&row]);
    assert_eq!(j.reachability, Reachability::Unknown, "{:?}", j.notes);
    assert!(j.notes.iter().any(|n| n.contains("netstat.txt:8")), "{:?}", j.notes);
}

#[test]
fn firewall_scoped_allow_reduces_and_block_rule_closes() {
    let fw = fixture("netsh-advfirewall/en_2008r2.txt")
        .replace("State                                 OFF", "State                                 ON ");
    let fw =
        fw.replace("State                                 ON \r\n", "State                                 ON\r\n");
    let cfg =
        full(fw, fixture("sc-queryex/en_2008.txt"), fixture("reg-mitigations/collector_smb1_off_spooler_disabled.txt"));
    let row = |port: u16| Mitigation {
        cve: id("CVE-1999-0001"),
        component: "x".into(),
        id: format!("test_block_{port}"),
        effect: Effect::Removes,
        state: format!("port:tcp/{port}=closed"),
        conditions: vec![Condition::TcpPortClosed(port)],
        side_effects: String::new(),
        sources: vec!["https://example.org/".into()],
        strength: Strength::Strong,
        line: 0,
    };
    // 445 listens (netstat.txt:7); the SMB rule (firewall.txt:44) admits only LocalSubnet: reduced.
    let j = judge(&cfg, &[&row(445)]);
    assert_eq!(j.reachability, Reachability::Reduced, "{:?}", j.notes);
    assert_eq!(places(&j), ["netstat.txt:7", "firewall.txt:44"]);
    // 3389 listens and the RDP rule admits any address: exposed.
    assert_eq!(judge(&cfg, &[&row(3389)]).reachability, Reachability::Exposed);
    // 135 listens and no rule admits it, every profile ON and BlockInbound: closed by the firewall.
    let j = judge(&cfg, &[&row(135)]);
    assert_eq!(j.reachability, Reachability::NotReachable, "{:?}", j.notes);
    assert_eq!(places(&j), ["netstat.txt:6", "firewall.txt:2", "firewall.txt:18", "firewall.txt:23"]);
}

#[test]
fn stopped_server_service_with_445_listening_is_a_conflict() {
    let services = fixture("sc-queryex/en_2008.txt").replacen("        STATE              : 4  RUNNING\r\n                                (STOPPABLE, PAUSABLE, IGNORES_SHUTDOWN)", "        STATE              : 1  STOPPED", 1);
    let reg = fixture("reg-mitigations/collector_smb1_off_spooler_disabled.txt")
        + "w2k8-query: HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer Start\r\n\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\r\n    Start    REG_DWORD    0x4\r\n";
    let cfg = full(fixture("netsh-advfirewall/en_2008r2.txt"), services, reg);
    let j = judge(&cfg, &for_cve(id("CVE-2017-0144")));
    assert_eq!(j.reachability, Reachability::Unknown, "{:?}", j.notes);
    assert!(
        j.notes.iter().any(|n| n.starts_with("conflict: disable_server_service holds (services.txt:17)")
            && n.contains("netstat.txt:7")),
        "{:?}",
        j.notes
    );
}

fn host(kbs: &[u32], config: HostConfig) -> Host {
    let o = |v: String, line: u32| Some(Observed::new(v, Evidence::new("x", "systeminfo.txt", Some(line))));
    Host {
        facts: Facts {
            host_name: o("SRV1".into(), 2),
            os_name: o("Microsoft Windows Server 2008 Standard".into(), 3),
            os_version: o("6.0.6003".into(), 4),
            build: Some(Observed::new(6003, Evidence::new("x", "systeminfo.txt", Some(4)))),
            service_pack_number: Some(Observed::new(2, Evidence::new("x", "systeminfo.txt", Some(4)))),
            arch: Some(Observed::new(Arch::X64, Evidence::new("x", "systeminfo.txt", Some(15)))),
            hotfixes: kbs
                .iter()
                .map(|n| Hotfix {
                    id: format!("KB{n}"),
                    kb: Kb::new(*n),
                    installed_on: None,
                    description: None,
                    evidence: Evidence::new("hotfix", "systeminfo.txt", Some(33)),
                })
                .collect(),
            hotfix_count_declared: Some(Observed::new(
                kbs.len() as u32,
                Evidence::new("x", "systeminfo.txt", Some(33)),
            )),
            config,
            ..Facts::default()
        },
        ..Host::default()
    }
}

#[test]
fn assessment_carries_reachability_and_counts_honestly() {
    let today = Date::new(2026, 11, 25).unwrap();
    let opts = Options { programme: Some(Programme::None) };
    // April 2019 rollup, no ESU: BlueKeep and PrintNightmare open.
    let bare = assess(&host(&[4493471], HostConfig::default()), Catalog::embedded(), today, &opts).unwrap();
    let bk = bare.exposure.iter().find(|e| e.cve == "CVE-2019-0708").unwrap();
    assert_eq!(bk.reachability, Reachability::Unknown);
    assert_eq!(bare.summary.reachable_kev, None, "unknown KEV reachability is never counted");
    assert!(bare.summary.reachability_unknown > 0);

    let a = assess(&host(&[4493471], fixtures_config()), Catalog::embedded(), today, &opts).unwrap();
    let bk = a.exposure.iter().find(|e| e.cve == "CVE-2019-0708").unwrap();
    assert_eq!(
        (bk.reachability, bk.mitigation.as_ref().map(|m| m.by.as_str())),
        (Reachability::Reduced, Some("require_nla"))
    );
    let pn = a.exposure.iter().find(|e| e.cve == "CVE-2021-34527").unwrap();
    assert_eq!(pn.reachability, Reachability::NotReachable);
    let json = serde_json::to_value(&a).unwrap();
    let e = json["exposure"].as_array().unwrap().iter().find(|e| e["cve"] == "CVE-2019-0708").unwrap();
    assert_eq!(e["reachability"], "reduced");
    assert_eq!(e["mitigation"]["by"], "require_nla");
    assert_eq!(e["mitigation"]["evidence"][0]["file"], "reg-mitigations.txt");
    assert_eq!(e["mitigation"]["evidence"][0]["line"], 13);
    assert!(json["summary"].get("reachable_kev").is_some());
    let e = bare.exposure.iter().find(|e| e.cve == "CVE-2021-34527").unwrap();
    assert!(e.mitigation.is_none());
}

#[test]
fn isolation_steps_for_reachable_kev_without_a_fix() {
    let today = Date::new(2026, 11, 25).unwrap();
    let opts = Options { programme: Some(Programme::None) };
    // The Spooler running and its start type not disabled: PrintNightmare (no fix without ESU) is exposed.
    let services = fixture("sc-queryex/en_2008.txt").replacen(
        "        STATE              : 1  STOPPED",
        "        STATE              : 4  RUNNING",
        1,
    );
    let reg = fixture("reg-mitigations/collector_smb1_off_spooler_disabled.txt").replacen(
        "    Start    REG_DWORD    0x4",
        "    Start    REG_DWORD    0x2",
        1,
    );
    let cfg = full(fixture("netsh-advfirewall/en_2008r2.txt"), services, reg);
    let h = host(&[4493471], cfg);
    let a = assess(&h, Catalog::embedded(), today, &opts).unwrap();
    let pn = a.exposure.iter().find(|e| e.cve == "CVE-2021-34527").unwrap();
    assert_eq!(pn.reachability, Reachability::Exposed, "{:?}", pn.reachability_notes);
    let p = w2k8_assess::plan(&a, &h, Catalog::embedded(), &w2k8_assess::PlanOptions::default(), &|_| None);
    let spool = p.isolation.steps.iter().find(|s| s.id == "stop_spooler").expect("a spooler step");
    assert!(spool.cves.iter().any(|c| c == "CVE-2021-34527"));
    assert_eq!(spool.command, ["sc stop Spooler", "sc config Spooler start= disabled"]);
    // The start type the bundle recorded (Start 2 = auto) is what the undo restores.
    assert_eq!(spool.undo, ["sc config Spooler start= auto", "sc start Spooler"]);
    // roles.txt line 9: Print Services. The step says what breaks instead of being proposed silently.
    assert!(
        spool.role_warning.as_deref().is_some_and(|w| w.contains("print server (roles.txt:9)")),
        "{:?}",
        spool.role_warning
    );
    // SIGRed (KEV, July 2020, no fix without ESU) on this DNS server: the documented registry workaround.
    let dns = p.isolation.steps.iter().find(|s| s.id == "dns_tcp_receive_packet_size").expect("a DNS step");
    assert!(dns.cves.iter().any(|c| c == "CVE-2020-1350"));
    assert_eq!(dns.command[0], "reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Services\\DNS\\Parameters\" /v TcpReceivePacketSize /t REG_DWORD /d 0xFF00 /f");
    assert_eq!(
        dns.undo[0],
        "reg delete \"HKLM\\SYSTEM\\CurrentControlSet\\Services\\DNS\\Parameters\" /v TcpReceivePacketSize /f"
    );
    assert_eq!(dns.source[0], "https://msrc.microsoft.com/update-guide/vulnerability/CVE-2020-1350");
    // A reachable KEV CVE with no documented host change is listed, not dropped.
    assert!(!p.isolation.no_step_known.is_empty());
    let json = serde_json::to_value(&p).unwrap();
    assert!(json["isolation"]["steps"][0]["command"].is_array());
    assert!(json["isolation"]["steps"][0]["undo"].is_array());
    assert!(json["isolation"]["steps"][0]["breaks"].is_string());
}

#[test]
fn no_step_from_an_unknown_judgement() {
    // A bundle without the configuration files: PrintNightmare (KEV, no fix without ESU) cannot be judged. The
    // plan generates no step for it and lists it under `not_judged` instead of dropping it.
    let today = Date::new(2026, 11, 25).unwrap();
    let opts = Options { programme: Some(Programme::None) };
    let h = host(&[4493471], HostConfig::default());
    let a = assess(&h, Catalog::embedded(), today, &opts).unwrap();
    let p = w2k8_assess::plan(&a, &h, Catalog::embedded(), &w2k8_assess::PlanOptions::default(), &|_| None);
    assert!(p.isolation.steps.is_empty(), "{:?}", p.isolation.steps);
    // CVEs with no documented mitigation at all are `exposed` whatever the bundle holds: they stay in
    // `no_step_known`, never in `not_judged`.
    assert!(p.isolation.no_step_known.iter().all(|c| !p.isolation.not_judged.contains(c)));
    assert!(p.isolation.not_judged.iter().any(|c| c == "CVE-2021-34527"));
    // BlueKeep has a fix available to this host (May 2019, in extended support): install it, nothing to judge.
    assert!(!p.isolation.not_judged.iter().any(|c| c == "CVE-2019-0708"));
    let json = serde_json::to_value(&p).unwrap();
    assert!(json["isolation"]["not_judged"].as_array().unwrap().iter().any(|c| c == "CVE-2021-34527"));
}

fn id(text: &str) -> w2k8_core::CveId {
    text.parse().unwrap()
}
