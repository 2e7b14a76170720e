//! The isolation plan (issue 20): for the reachable KEV and critical CVEs
//! that no update available to the host fixes, the concrete, reversible
//! changes Microsoft documents, each with its undo, what it breaks and its
//! sources. The commands are those of `data/mitigations/isolation.md`
//! (cmd.exe on 2008 / 2008 R2); the roles the host serves (`roles.txt`)
//! change the advice: a step that would stop what the role is for is kept
//! but marked with a `role_warning` saying what breaks, never silently
//! proposed.
use crate::assessment::{Assessment, FixStatus};
use crate::reachability::Reachability;
use serde::Serialize;
use w2k8_catalog::mitigations::{self, Effect};
use w2k8_catalog::Severity;
use w2k8_inventory::config::{HostConfig, RegLookup};
use w2k8_inventory::formats::reg_mitigations::service_key;
use w2k8_inventory::Host;

/// The syntax sources (isolation.md's table).
const SC_CONFIG: &str = "https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/sc-config";
const REG_ADD: &str = "https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/reg-add";
const NETSH_FW: &str =
    "https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/netsh-advfirewall-firewall-control-firewall-behavior";
const KB2696547: &str = "https://support.microsoft.com/help/2696547";

/// One change of the isolation plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IsolationStep {
    /// The mitigation id of `data/mitigations/mitigations.csv`.
    pub id: String,
    /// The component it isolates.
    pub component: String,
    /// The reachable CVEs it addresses.
    pub cves: Vec<String>,
    /// `removes` or `reduces` (from the table).
    pub effect: Effect,
    /// The cmd.exe lines that make the change (elevated prompt).
    pub command: Vec<String>,
    /// The cmd.exe lines that undo it.
    pub undo: Vec<String>,
    /// What breaks.
    pub breaks: String,
    /// Whether a restart is needed before it holds.
    pub restart: bool,
    /// The sources: the mitigation's, then the command syntax.
    pub source: Vec<String>,
    /// Set when a role the host serves makes the step harmful: what it would break. Scripts leave such
    /// steps commented out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_warning: Option<String>,
}

/// The isolation part of a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Isolation {
    /// The changes, in the order to make them.
    pub steps: Vec<IsolationStep>,
    /// Reachable KEV or critical CVEs with no fix available and no host-level step: only network isolation
    /// (segmentation, a perimeter firewall) or replacing the host helps.
    pub no_step_known: Vec<String>,
    /// KEV or critical CVEs with no fix available whose reachability is `unknown` (the bundle lacks or cannot
    /// read the configuration that would tell): no step is generated for them, and none is shown safe.
    pub not_judged: Vec<String>,
}

/// `sc config` start type of a registry `Start` value.
fn start_word(n: u64) -> Option<&'static str> {
    match n {
        2 => Some("auto"),
        3 => Some("demand"),
        4 => Some("disabled"),
        _ => None,
    }
}

/// The undo of a service change: the start type the bundle recorded, else Microsoft's default named by
/// isolation.md, said so.
fn restore_service(cfg: &HostConfig, name: &str, default: &str) -> Vec<String> {
    let recorded = cfg.registry.as_ref().and_then(|r| match r.lookup(&service_key(name), "Start") {
        RegLookup::Value(v) => v.number().and_then(start_word).filter(|w| *w != "disabled"),
        _ => None,
    });
    match recorded {
        Some(w) => vec![format!("sc config {name} start= {w}"), format!("sc start {name}")],
        None => vec![
            format!(
                "rem the bundle does not show {name}'s start type before the change: {default} is Microsoft's default"
            ),
            format!("sc config {name} start= {default}"),
            format!("sc start {name}"),
        ],
    }
}

fn stop_service(name: &str) -> Vec<String> {
    vec![format!("sc stop {name}"), format!("sc config {name} start= disabled")]
}

/// The role id installed on the host, with its line, when the bundle shows it.
fn role(cfg: &HostConfig, id: &str) -> Option<String> {
    cfg.roles.as_ref()?.installed(id).map(|o| o.evidence.location())
}

/// The commands for mitigation `id`, when isolation.md gives them: (command, undo, breaks, restart, syntax
/// source, role warning).
#[allow(clippy::type_complexity)]
fn commands(
    id: &str,
    cfg: &HostConfig,
) -> Option<(Vec<String>, Vec<String>, String, bool, &'static str, Option<String>)> {
    let smb_key = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters";
    let dc = role(cfg, "AD-Domain-Services");
    Some(match id {
        "disable_smb1_server" => (
            vec![format!("reg add \"{smb_key}\" /v SMB1 /t REG_DWORD /d 0 /f")],
            vec![format!("reg add \"{smb_key}\" /v SMB1 /t REG_DWORD /d 1 /f")],
            "SMB1-only clients (XP/2003, old NAS, copiers, scanners) can no longer use this host's shares; holds after a restart".to_string(),
            true,
            KB2696547,
            None,
        ),
        "stop_spooler" => (
            vec!["sc stop Spooler".to_string(), "sc config Spooler start= disabled".to_string()],
            restore_service(cfg, "Spooler", "auto"),
            "all printing from and through this host stops, local printing too".to_string(),
            false,
            SC_CONFIG,
            role(cfg, "Print-Services").map(|at| format!("this host is a print server ({at}): stopping the spooler ends printing for every client it serves; decide with its owners, or move the printers first")),
        ),
        "require_nla" => (
            vec!["reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\" /v UserAuthentication /t REG_DWORD /d 1 /f".to_string()],
            vec!["reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\" /v UserAuthentication /t REG_DWORD /d 0 /f".to_string()],
            "Remote Desktop clients without Network Level Authentication (CredSSP) can no longer connect; a Group Policy value overrides this one".to_string(),
            false,
            REG_ADD,
            None,
        ),
        "disable_rdp" => (
            stop_service("TermService"),
            restore_service(cfg, "TermService", "demand"),
            "all Remote Desktop access ends, sessions are disconnected: keep console or out-of-band access".to_string(),
            false,
            SC_CONFIG,
            None,
        ),
        "block_tcp_139_445_inbound" => (
            vec!["netsh advfirewall firewall add rule name=\"w2k8-block-smb\" dir=in action=block protocol=TCP localport=139,445 profile=any".to_string()],
            vec!["netsh advfirewall firewall delete rule name=\"w2k8-block-smb\"".to_string()],
            "file and printer sharing, admin shares, remote management over SMB and named pipes".to_string(),
            false,
            NETSH_FW,
            dc.clone().map(|at| format!("this host is a domain controller ({at}): closing 445 breaks SYSVOL/NETLOGON and Group Policy for the domain; never on a DC")),
        ),
        "dns_tcp_receive_packet_size" => (
            vec![
                "reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Services\\DNS\\Parameters\" /v TcpReceivePacketSize /t REG_DWORD /d 0xFF00 /f".to_string(),
                "net stop DNS".to_string(),
                "net start DNS".to_string(),
            ],
            vec![
                "reg delete \"HKLM\\SYSTEM\\CurrentControlSet\\Services\\DNS\\Parameters\" /v TcpReceivePacketSize /f".to_string(),
                "net stop DNS".to_string(),
                "net start DNS".to_string(),
            ],
            "DNS responses over TCP larger than 65,280 bytes are dropped (rare); DNS restarts once".to_string(),
            false,
            REG_ADD,
            None,
        ),
        "disable_webclient" => (
            stop_service("WebClient"),
            restore_service(cfg, "WebClient", "demand"),
            "WebDAV shares and \\\\host@SSL\\ paths stop working".to_string(),
            false,
            SC_CONFIG,
            None,
        ),
        "msmq_not_running" => (
            stop_service("MSMQ"),
            restore_service(cfg, "MSMQ", "auto"),
            "applications that use Message Queuing stop receiving messages".to_string(),
            false,
            SC_CONFIG,
            None,
        ),
        "block_tcp_1801_inbound" => (
            vec!["netsh advfirewall firewall add rule name=\"w2k8-block-msmq\" dir=in action=block protocol=TCP localport=1801 profile=any".to_string()],
            vec!["netsh advfirewall firewall delete rule name=\"w2k8-block-msmq\"".to_string()],
            "remote MSMQ clients cannot send to this host".to_string(),
            false,
            NETSH_FW,
            None,
        ),
        "disable_atmfd_registry" => (
            vec!["reg add \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows\" /v DisableATMFD /t REG_DWORD /d 1 /f".to_string()],
            vec!["reg add \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows\" /v DisableATMFD /t REG_DWORD /d 0 /f".to_string()],
            "Type 1 / CFF OpenType fonts from third-party applications stop rendering; holds after a restart".to_string(),
            true,
            REG_ADD,
            None,
        ),
        _ => return None,
    })
}

/// The isolation plan for `a` on `host`.
pub fn isolation(a: &Assessment, host: &Host) -> Isolation {
    let cfg = &host.facts.config;
    let mut out = Isolation::default();
    for e in &a.exposure {
        let candidate =
            e.status == FixStatus::NoFixAvailableToYou && (e.kev.is_some() || e.severity == Severity::Critical);
        if candidate && e.reachability == Reachability::Unknown {
            out.not_judged.push(e.cve.to_string());
        }
        let wanted = candidate && matches!(e.reachability, Reachability::Exposed | Reachability::Reduced);
        if !wanted {
            continue;
        }
        let mut rows = mitigations::for_cve(e.cve);
        // Strong rows first, then those that remove over those that reduce.
        rows.sort_by_key(|m| (m.strength != mitigations::Strength::Strong, m.effect != Effect::Removes));
        let mut found = false;
        for m in rows {
            // The mitigation already in place (it made the CVE only `reduced`) needs no step.
            if e.mitigation.as_ref().is_some_and(|r| r.by == m.id) {
                continue;
            }
            let Some((command, undo, breaks, restart, syntax, role_warning)) = commands(&m.id, cfg) else { continue };
            found = true;
            if let Some(s) = out.steps.iter_mut().find(|s| s.id == m.id) {
                if !s.cves.iter().any(|c| c == e.cve) {
                    s.cves.push(e.cve.to_string());
                }
                break;
            }
            let mut source = m.sources.clone();
            source.push(syntax.to_string());
            out.steps.push(IsolationStep {
                id: m.id.clone(),
                component: m.component.clone(),
                cves: vec![e.cve.to_string()],
                effect: m.effect,
                command,
                undo,
                breaks: format!("{breaks} (table: {})", m.side_effects),
                restart,
                source,
                role_warning,
            });
            // One change per CVE: the strongest the table documents.
            break;
        }
        if !found {
            out.no_step_known.push(e.cve.to_string());
        }
    }
    out
}
