//! The isolation plan (issue 20): for the reachable KEV and critical CVEs
//! that no update available to the host fixes, the concrete, reversible
//! changes Microsoft documents, each with its undo, what it breaks and its
//! sources. The commands are those of `data/mitigations/isolation.md`
//! (cmd.exe on 2008 / 2008 R2); the roles the host serves (`roles.txt`)
//! change the advice: a step that would stop what the role is for is kept
//! but marked with a `role_warning` saying what breaks, never silently
//! proposed.
use crate::assessment::{Assessment, Exposure, FixStatus};
use crate::reachability::Reachability;
use crate::subnet::{Subnets, REMOTE_ADDRESSES_SOURCE};
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
    pub cves: Vec<w2k8_core::CveId>,
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
    /// The management subnets of `--allow-from`, when given: port rules then admit only them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_from: Option<String>,
    /// What the reader needs to know about the steps (firewall off, no `--allow-from`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
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

/// The change isolation.md gives for one mitigation.
struct Commands {
    /// The cmd.exe lines that make the change.
    command: Vec<String>,
    /// The cmd.exe lines that undo it.
    undo: Vec<String>,
    /// What breaks.
    breaks: String,
    /// Whether a restart is needed before it holds.
    restart: bool,
    /// The command syntax source.
    syntax: &'static str,
    /// What a role the host serves would lose.
    role_warning: Option<String>,
}

/// The commands for mitigation `id`, when isolation.md gives them.
fn commands(id: &str, cfg: &HostConfig) -> Option<Commands> {
    service_commands(id, cfg).or_else(|| registry_commands(id)).or_else(|| firewall_commands(id, cfg))
}

/// The mitigations that stop and disable a service.
fn service_commands(id: &str, cfg: &HostConfig) -> Option<Commands> {
    let (name, default, breaks, role_warning) = match id {
        "stop_spooler" => (
            "Spooler",
            "auto",
            "all printing from and through this host stops, local printing too",
            role(cfg, "Print-Services").map(|at| format!("this host is a print server ({at}): stopping the spooler ends printing for every client it serves; decide with its owners, or move the printers first")),
        ),
        "disable_rdp" => (
            "TermService",
            "demand",
            "all Remote Desktop access ends, sessions are disconnected: keep console or out-of-band access",
            None,
        ),
        "disable_webclient" => ("WebClient", "demand", "WebDAV shares and \\\\host@SSL\\ paths stop working", None),
        "msmq_not_running" => ("MSMQ", "auto", "applications that use Message Queuing stop receiving messages", None),
        _ => return None,
    };
    Some(Commands {
        command: stop_service(name),
        undo: restore_service(cfg, name, default),
        breaks: breaks.to_string(),
        restart: false,
        syntax: SC_CONFIG,
        role_warning,
    })
}

/// The mitigations that set a registry value.
fn registry_commands(id: &str) -> Option<Commands> {
    let smb_key = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters";
    let (command, undo, breaks, restart, syntax) = match id {
        "disable_smb1_server" => (
            vec![format!("reg add \"{smb_key}\" /v SMB1 /t REG_DWORD /d 0 /f")],
            vec![format!("reg add \"{smb_key}\" /v SMB1 /t REG_DWORD /d 1 /f")],
            "SMB1-only clients (XP/2003, old NAS, copiers, scanners) can no longer use this host's shares; holds after a restart",
            true,
            KB2696547,
        ),
        "require_nla" => (
            vec!["reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\" /v UserAuthentication /t REG_DWORD /d 1 /f".to_string()],
            vec!["reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp\" /v UserAuthentication /t REG_DWORD /d 0 /f".to_string()],
            "Remote Desktop clients without Network Level Authentication (CredSSP) can no longer connect; a Group Policy value overrides this one",
            false,
            REG_ADD,
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
            "DNS responses over TCP larger than 65,280 bytes are dropped (rare); DNS restarts once",
            false,
            REG_ADD,
        ),
        "disable_atmfd_registry" => (
            vec!["reg add \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows\" /v DisableATMFD /t REG_DWORD /d 1 /f".to_string()],
            vec!["reg add \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows\" /v DisableATMFD /t REG_DWORD /d 0 /f".to_string()],
            "Type 1 / CFF OpenType fonts from third-party applications stop rendering; holds after a restart",
            true,
            REG_ADD,
        ),
        _ => return None,
    };
    Some(Commands { command, undo, breaks: breaks.to_string(), restart, syntax, role_warning: None })
}

/// The mitigations that add a host firewall rule blocking inbound ports.
fn firewall_commands(id: &str, cfg: &HostConfig) -> Option<Commands> {
    let (command, undo, breaks, role_warning) = match id {
        "block_tcp_139_445_inbound" => (
            "netsh advfirewall firewall add rule name=\"w2k8-block-smb\" dir=in action=block protocol=TCP localport=139,445 profile=any",
            "netsh advfirewall firewall delete rule name=\"w2k8-block-smb\"",
            "file and printer sharing, admin shares, remote management over SMB and named pipes",
            role(cfg, "AD-Domain-Services").map(|at| format!("this host is a domain controller ({at}): closing 445 breaks SYSVOL/NETLOGON and Group Policy for the domain; never on a DC")),
        ),
        "block_tcp_1801_inbound" => (
            "netsh advfirewall firewall add rule name=\"w2k8-block-msmq\" dir=in action=block protocol=TCP localport=1801 profile=any",
            "netsh advfirewall firewall delete rule name=\"w2k8-block-msmq\"",
            "remote MSMQ clients cannot send to this host",
            None,
        ),
        _ => return None,
    };
    Some(Commands {
        command: vec![command.to_string()],
        undo: vec![undo.to_string()],
        breaks: breaks.to_string(),
        restart: false,
        syntax: NETSH_FW,
        role_warning,
    })
}

/// The isolation plan for `a` on `host`. With `allow_from` (the management
/// subnets), port blocks become rules that admit only those subnets, and the
/// remote-administration ports that listen on the host get one such rule
/// each.
pub fn isolation(a: &Assessment, host: &Host, allow_from: Option<&Subnets>) -> Isolation {
    let cfg = &host.facts.config;
    let mut out = Isolation { allow_from: allow_from.map(Subnets::to_string), ..Isolation::default() };
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
        if !add_step(&mut out, e, cfg, allow_from) {
            out.no_step_known.push(e.cve.to_string());
        }
    }
    if !out.steps.is_empty() || !out.no_step_known.is_empty() {
        add_notes(&mut out, cfg, allow_from);
    }
    out
}

/// Adds the strongest step the table documents for `e` (or names `e`'s CVE
/// in that step when it is already planned); false when no step is known.
fn add_step(out: &mut Isolation, e: &Exposure, cfg: &HostConfig, allow_from: Option<&Subnets>) -> bool {
    let mut rows = mitigations::for_cve(e.cve);
    // Strong rows first, then those that remove over those that reduce.
    rows.sort_by_key(|m| (m.strength != mitigations::Strength::Strong, m.effect != Effect::Removes));
    for m in rows {
        // The mitigation already in place (it made the CVE only `reduced`) needs no step.
        if e.mitigation.as_ref().is_some_and(|r| r.by == m.id) {
            continue;
        }
        let Some(Commands { mut command, mut undo, mut breaks, restart, syntax, role_warning }) = commands(&m.id, cfg)
        else {
            continue;
        };
        let mut effect = m.effect;
        if let Some(mgmt) = allow_from.filter(|_| m.id.starts_with("block_tcp_")) {
            scope_to(&mut command, &mut undo, mgmt);
            breaks = format!("only {mgmt} can still reach the port: {breaks} for every other address");
            // A port open to the management subnet is still reachable from it.
            effect = Effect::Reduces;
        }
        if let Some(s) = out.steps.iter_mut().find(|s| s.id == m.id) {
            if !s.cves.contains(&e.cve) {
                s.cves.push(e.cve);
            }
            return true;
        }
        let mut source = m.sources.clone();
        source.push(syntax.to_string());
        if allow_from.is_some() && m.id.starts_with("block_tcp_") {
            source.push(REMOTE_ADDRESSES_SOURCE.to_string());
        }
        out.steps.push(IsolationStep {
            id: m.id.clone(),
            component: m.component.clone(),
            cves: vec![e.cve],
            effect,
            command,
            undo,
            breaks: format!("{breaks} (table: {})", m.side_effects),
            restart,
            source,
            role_warning,
        });
        // One change per CVE: the strongest the table documents.
        return true;
    }
    false
}

/// The notes on a plan with steps: the management-port rules (or how to
/// get them), and a firewall that is off.
fn add_notes(out: &mut Isolation, cfg: &HostConfig, allow_from: Option<&Subnets>) {
    match allow_from {
        Some(mgmt) => management_ports(cfg, mgmt, out),
        None => out.notes.push(format!(
            "pass --allow-from SUBNET (your management subnet, e.g. 10.0.50.0/24) to add firewall rules that \
             admit only it to the remote-administration ports ({}) that listen on this host",
            port_list()
        )),
    }
    if let Some(note) = firewall_off_note(cfg) {
        out.notes.push(note);
    }
}

/// The remote-administration ports `--allow-from` restricts, with what uses them.
const MANAGEMENT_PORTS: [(u16, &str, &str); 5] = [
    (135, "rpc_endpoint_mapper", "RPC (remote MMC consoles, WMI, DCOM, remote service control)"),
    (445, "smb_server", "SMB (file and printer sharing, admin shares, named pipes)"),
    (3389, "rdp", "Remote Desktop"),
    (5985, "winrm", "WinRM over HTTP (PowerShell remoting, remote management)"),
    (5986, "winrm", "WinRM over HTTPS"),
];

fn port_list() -> String {
    MANAGEMENT_PORTS.iter().map(|(p, ..)| p.to_string()).collect::<Vec<_>>().join(", ")
}

/// Rewrites a port-block rule (`w2k8-block-...`) into one that blocks every
/// address outside `mgmt`, and its undo to delete that rule.
fn scope_to(command: &mut [String], undo: &mut [String], mgmt: &Subnets) {
    let outside = mgmt.outside();
    for line in command.iter_mut().chain(undo.iter_mut()) {
        *line = line.replace("name=\"w2k8-block-", "name=\"w2k8-mgmt-only-");
        if line.contains(" add rule ") {
            *line = line.replace(" profile=any", &format!(" remoteip={outside} profile=any"));
        }
    }
}

/// What breaks for clients outside the management subnet, given the roles the host serves: a warning that
/// leaves the step out of the script.
fn port_role_warning(cfg: &HostConfig, port: u16) -> Option<String> {
    let roles: &[(&str, &str)] = match port {
        445 => &[
            ("AD-Domain-Services", "a domain controller: clients outside it lose SYSVOL/NETLOGON and Group Policy"),
            ("File-Services", "a file server: clients outside it lose its shares"),
            ("FS-FileServer", "a file server: clients outside it lose its shares"),
            ("Print-Services", "a print server: clients outside it can no longer print through it"),
        ],
        135 => &[(
            "AD-Domain-Services",
            "a domain controller: clients outside it lose RPC to the directory (logons, replication)",
        )],
        3389 => &[
            ("Terminal-Services", "a terminal server: users outside it can no longer connect"),
            ("TS-Terminal-Server", "a terminal server: users outside it can no longer connect"),
            ("Remote-Desktop-Services", "a Remote Desktop server: users outside it can no longer connect"),
            ("RDS-RD-Server", "a Remote Desktop server: users outside it can no longer connect"),
        ],
        _ => &[],
    };
    roles
        .iter()
        .find_map(|(id, what)| role(cfg, id).map(|at| format!("this host is {what} ({at}); decide with its owners")))
}

/// One rule per remote-administration port that listens (or, without
/// `netstat.txt`, may listen) and no step already restricts.
fn management_ports(cfg: &HostConfig, mgmt: &Subnets, out: &mut Isolation) {
    let outside = mgmt.outside();
    for (port, component, what) in MANAGEMENT_PORTS {
        let done =
            out.steps.iter().any(|s| s.command.iter().any(|c| c.contains(" add rule ") && rule_has_port(c, port)));
        if done {
            continue;
        }
        let seen = match &cfg.listeners {
            Some(l) => {
                let open: Vec<_> = l.tcp_listening(port).into_iter().filter(|x| !x.loopback_only()).collect();
                match open.first() {
                    Some(x) => format!("listens on this host ({})", x.evidence.location()),
                    None => continue,
                }
            }
            None => {
                "netstat.txt is not in the bundle, so the rule is added whether or not anything listens".to_string()
            }
        };
        let name = format!("w2k8-mgmt-only-tcp-{port}");
        out.steps.push(IsolationStep {
            id: format!("restrict_tcp_{port}_to_management"),
            component: component.to_string(),
            cves: Vec::new(),
            effect: Effect::Reduces,
            command: vec![format!(
                "netsh advfirewall firewall add rule name=\"{name}\" dir=in action=block protocol=TCP localport={port} remoteip={outside} profile=any"
            )],
            undo: vec![format!("netsh advfirewall firewall delete rule name=\"{name}\"")],
            breaks: format!(
                "{what} from outside {mgmt} stops; TCP {port} {seen}. General network isolation for a host that \
                 cannot be patched: it narrows who can reach the port, it fixes no CVE"
            ),
            restart: false,
            source: vec![NETSH_FW.to_string(), REMOTE_ADDRESSES_SOURCE.to_string()],
            role_warning: port_role_warning(cfg, port),
        });
    }
}

/// Whether a `netsh ... add rule` line's `localport=` names `port`.
fn rule_has_port(line: &str, port: u16) -> bool {
    line.split_whitespace()
        .filter_map(|w| w.strip_prefix("localport="))
        .any(|ports| ports.split(',').any(|p| p.parse::<u16>() == Ok(port)))
}

/// Firewall rules hold only in profiles where the firewall is on.
fn firewall_off_note(cfg: &HostConfig) -> Option<String> {
    let fw = cfg.firewall.as_ref()?;
    let off: Vec<String> = fw
        .profiles
        .iter()
        .filter(|p| p.on == Some(false))
        .map(|p| format!("the {} profile ({})", p.name.as_deref().unwrap_or("unnamed"), p.evidence.location()))
        .collect();
    (!off.is_empty()).then(|| {
        format!(
            "the Windows Firewall is off in {}: a netsh rule takes effect only in profiles where it is on \
             (`netsh advfirewall set allprofiles state on` turns it on, and with it the default inbound block: \
             check the allow rules first)",
            off.join(", ")
        )
    })
}
