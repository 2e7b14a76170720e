//! The configuration that decides whether a vulnerable component can be
//! reached (issue 20): registry values Microsoft's workarounds name, the
//! services and their states, the listening ports, the host firewall and the
//! installed roles.
//!
//! Every part is optional: `None` means the bundle does not hold the file
//! that would tell (an older collector, a command that failed), which a
//! reader must treat as *unknown*, never as "off" or "safe". Each value keeps
//! the [`Evidence`] (file, line) it was read from.
use serde::Serialize;
use w2k8_core::{Evidence, Observed};

/// What the configuration files of a bundle show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HostConfig {
    /// `reg-mitigations.txt`: the values of the keys Microsoft's workarounds name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<RegistryConfig>,
    /// `services.txt`: `sc queryex type= service state= all`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub services: Option<ServiceTable>,
    /// `netstat.txt`: `netstat -ano`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listeners: Option<ListenerTable>,
    /// `firewall.txt`: `netsh advfirewall show allprofiles` and `... firewall show rule name=all`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firewall: Option<FirewallConfig>,
    /// `roles.txt`: `servermanagercmd -query`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<RoleList>,
}

impl HostConfig {
    /// True when the bundle holds none of the configuration files.
    pub fn is_empty(&self) -> bool {
        self.registry.is_none()
            && self.services.is_none()
            && self.listeners.is_none()
            && self.firewall.is_none()
            && self.roles.is_none()
    }

    /// Takes every part `other` has and `self` lacks (the first file of a kind wins;
    /// a second one is named in `notes`).
    pub fn absorb(&mut self, other: HostConfig, notes: &mut Vec<String>) {
        fn take<T>(slot: &mut Option<T>, new: Option<T>, what: &str, notes: &mut Vec<String>) {
            match (slot.is_some(), new) {
                (false, new) => *slot = new,
                (true, Some(_)) => notes.push(format!("a second {what} file was ignored (the first one is used)")),
                (true, None) => {}
            }
        }
        take(&mut self.registry, other.registry, "reg-mitigations", notes);
        take(&mut self.services, other.services, "sc queryex", notes);
        take(&mut self.listeners, other.listeners, "netstat", notes);
        take(&mut self.firewall, other.firewall, "netsh advfirewall", notes);
        take(&mut self.roles, other.roles, "roles", notes);
    }
}

// ------------------------------------------------------------------ registry

/// One registry value of `reg-mitigations.txt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegValue {
    /// The key, normalised to `HKLM\...` (see [`canonical_key`]).
    pub key: String,
    /// The value name; `(Default)` for the key's unnamed value.
    pub name: String,
    /// The type as reg.exe prints it (`REG_DWORD`, ...).
    pub kind: String,
    /// The data as printed (`0x1`, text).
    pub data: String,
    /// Where it was read.
    pub evidence: Evidence,
}

impl RegValue {
    /// The data as a number: a `REG_DWORD`/`REG_QWORD` (`0x...` or decimal).
    pub fn number(&self) -> Option<u64> {
        if !self.kind.starts_with("REG_DWORD") && self.kind != "REG_QWORD" {
            return None;
        }
        let d = self.data.trim();
        match d.strip_prefix("0x").or_else(|| d.strip_prefix("0X")) {
            Some(hex) => u64::from_str_radix(hex, 16).ok(),
            None => d.parse().ok(),
        }
    }
}

/// One `reg query` the collector ran (its `w2k8-query:` marker line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegQuery {
    /// The key queried, normalised to `HKLM\...`.
    pub key: String,
    /// The value asked for with `/v`, when one was.
    pub value: Option<String>,
    /// The marker line.
    pub evidence: Evidence,
}

/// What `reg-mitigations.txt` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegistryConfig {
    /// The queries the collector ran (empty for a file without markers: then
    /// a key not shown is unknown, not absent).
    pub queried: Vec<RegQuery>,
    /// The keys shown (key lines), normalised, each with its line.
    pub keys: Vec<Observed<String>>,
    /// Their values.
    pub values: Vec<RegValue>,
}

/// The answer of [`RegistryConfig::lookup`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegLookup<'a> {
    /// The value is there.
    Value(&'a RegValue),
    /// The key is shown, without this value (the line of the key).
    NoValue(&'a Evidence),
    /// The collector queried the key (or this value) and reg.exe printed
    /// nothing: it does not exist (the marker line).
    Absent(&'a Evidence),
    /// The file does not say.
    NotShown,
}

/// `HKEY_LOCAL_MACHINE\X` -> `HKLM\X`, trailing `\` and spaces removed.
pub fn canonical_key(path: &str) -> String {
    let p = path.trim().trim_end_matches('\\');
    let upper_prefix =
        |pre: &str| p.len() >= pre.len() && p.get(..pre.len()).is_some_and(|x| x.eq_ignore_ascii_case(pre));
    if upper_prefix("HKEY_LOCAL_MACHINE\\") {
        return format!("HKLM\\{}", p.get("HKEY_LOCAL_MACHINE\\".len()..).unwrap_or(""));
    }
    if upper_prefix("HKLM\\") {
        return format!("HKLM\\{}", p.get(5..).unwrap_or(""));
    }
    p.to_string()
}

impl RegistryConfig {
    /// What the file says about value `name` of `key` (any spelling of the root).
    pub fn lookup(&self, key: &str, name: &str) -> RegLookup<'_> {
        let key = canonical_key(key);
        if let Some(v) =
            self.values.iter().find(|v| v.key.eq_ignore_ascii_case(&key) && v.name.eq_ignore_ascii_case(name))
        {
            return RegLookup::Value(v);
        }
        let whole = self.queried.iter().find(|q| q.key.eq_ignore_ascii_case(&key) && q.value.is_none());
        let this = self.queried.iter().find(|q| {
            q.key.eq_ignore_ascii_case(&key) && q.value.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(name))
        });
        if let Some(k) = self.keys.iter().find(|k| k.value.eq_ignore_ascii_case(&key)) {
            // Shown whole (or by a file without markers): the value is not there.
            // Shown by `/v OTHER` only: it says nothing of this value.
            if whole.is_some() || this.is_some() || self.queried.is_empty() {
                return RegLookup::NoValue(&k.evidence);
            }
            return RegLookup::NotShown;
        }
        match whole.or(this) {
            Some(q) => RegLookup::Absent(&q.evidence),
            None => RegLookup::NotShown,
        }
    }
}

// ------------------------------------------------------------------ services

/// A service's current state, by the number `sc` prints (MS-SCMR
/// `SERVICE_STATUS_PROCESS.dwCurrentState`, 1..7); the word after the number
/// is not read (it may be localized).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    /// 1 SERVICE_STOPPED.
    Stopped,
    /// 2 SERVICE_START_PENDING.
    StartPending,
    /// 3 SERVICE_STOP_PENDING.
    StopPending,
    /// 4 SERVICE_RUNNING.
    Running,
    /// 5 SERVICE_CONTINUE_PENDING.
    ContinuePending,
    /// 6 SERVICE_PAUSE_PENDING.
    PausePending,
    /// 7 SERVICE_PAUSED.
    Paused,
}

impl ServiceState {
    /// The state of number `n`, when it is one of the seven.
    pub fn from_number(n: u32) -> Option<ServiceState> {
        Some(match n {
            1 => ServiceState::Stopped,
            2 => ServiceState::StartPending,
            3 => ServiceState::StopPending,
            4 => ServiceState::Running,
            5 => ServiceState::ContinuePending,
            6 => ServiceState::PausePending,
            7 => ServiceState::Paused,
            _ => return None,
        })
    }

    /// Whether the service's code may be running (anything but stopped).
    pub fn may_run(self) -> bool {
        self != ServiceState::Stopped
    }
}

/// One service of `sc queryex`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceEntry {
    /// The short name (`Spooler`).
    pub name: String,
    /// The display name as printed (localized).
    pub display_name: Option<String>,
    /// The state, `None` when its line is missing or unreadable.
    pub state: Option<ServiceState>,
    /// The state line (or the `SERVICE_NAME:` line when there is none).
    pub evidence: Evidence,
    /// The process id, when shown and not 0.
    pub pid: Option<u32>,
}

/// What `services.txt` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceTable {
    /// The services, in file order.
    pub services: Vec<ServiceEntry>,
    /// False when the listing is visibly cut off (sc's "more data" message,
    /// a last block without its state): a service not listed is then
    /// unknown, not "not installed".
    pub complete: bool,
    /// The file, for "not listed" evidence.
    pub file: String,
}

impl ServiceTable {
    /// The service named `name` (any case).
    pub fn get(&self, name: &str) -> Option<&ServiceEntry> {
        self.services.iter().find(|s| s.name.eq_ignore_ascii_case(name))
    }
}

// ------------------------------------------------------------------ netstat

/// One socket of `netstat -ano` that accepts traffic: a TCP listener (its
/// foreign address is the unspecified `0.0.0.0:0` / `[::]:0`, whatever the
/// localized state word says) or a UDP endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listener {
    /// `TCP` or `UDP`.
    pub proto: String,
    /// The local address as printed, without the port (`0.0.0.0`, `[::]`, `127.0.0.1`).
    pub address: String,
    /// The local port.
    pub port: u16,
    /// The owning process id.
    pub pid: Option<u32>,
    /// Where it was read.
    pub evidence: Evidence,
}

impl Listener {
    /// Bound to a loopback address only: not reachable from the network.
    pub fn loopback_only(&self) -> bool {
        let a = self.address.trim_start_matches('[').trim_end_matches(']');
        a.starts_with("127.") || a == "::1"
    }
}

/// What `netstat.txt` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ListenerTable {
    /// TCP listeners and UDP endpoints.
    pub listeners: Vec<Listener>,
    /// The file, for "nothing listens" evidence.
    pub file: String,
    /// Rows read (all states), to tell an empty table from a failed command.
    pub rows: usize,
}

impl ListenerTable {
    /// The TCP listeners on `port` reachable from the network (not loopback-only).
    pub fn tcp_listening(&self, port: u16) -> Vec<&Listener> {
        self.listeners.iter().filter(|l| l.proto == "TCP" && l.port == port && !l.loopback_only()).collect()
    }
}

// ------------------------------------------------------------------ firewall

/// The inbound part of a profile's `Firewall Policy` (`BlockInbound,AllowOutbound`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InboundPolicy {
    /// `BlockInbound`: what no allow rule admits is blocked.
    Block,
    /// `BlockInboundAlways`: every inbound connection is blocked, allow rules too.
    BlockAlways,
    /// `AllowInbound`: everything is admitted.
    Allow,
}

/// One profile of `netsh advfirewall show allprofiles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirewallProfile {
    /// `domain`, `private`, `public`, or `None` when the header is not recognised (localized).
    pub name: Option<String>,
    /// `State ON` / `OFF`; `None` when the label or value is not recognised.
    pub on: Option<bool>,
    /// The inbound policy, `None` when not shown or not recognised.
    pub inbound: Option<InboundPolicy>,
    /// The profile's header line.
    pub evidence: Evidence,
}

/// One rule of `netsh advfirewall firewall show rule name=all`, as far as it
/// was read (English labels and values only; anything else stays `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirewallRule {
    /// The rule's name.
    pub name: String,
    /// `Enabled: Yes/No`.
    pub enabled: Option<bool>,
    /// `Direction: In` (true) / `Out`.
    pub inbound: Option<bool>,
    /// `Profiles:` lower-cased (`domain`, `private`, `public`, or `any`).
    pub profiles: Option<Vec<String>>,
    /// `RemoteIP:` as printed.
    pub remote_ip: Option<String>,
    /// `Protocol:` upper-cased (`TCP`, `UDP`, `ANY`, ...).
    pub protocol: Option<String>,
    /// `LocalPort:` as printed (`3389`, `139,445`, `Any`, `RPC`, `1024-65535`).
    pub local_port: Option<String>,
    /// `Action: Allow` (true) / `Block` (false); `Bypass` stays `None`.
    pub allow: Option<bool>,
    /// The rule's name line.
    pub evidence: Evidence,
}

impl FirewallRule {
    /// Whether the rule's local ports include `port`: `Some(true/false)`, or
    /// `None` when they are not readable (or a keyword such as `RPC`).
    pub fn covers_port(&self, port: u16) -> Option<bool> {
        let lp = self.local_port.as_deref()?.trim();
        if lp.eq_ignore_ascii_case("any") {
            return Some(true);
        }
        let mut unknown = false;
        for part in lp.split(',').map(str::trim) {
            if let Some((a, b)) = part.split_once('-') {
                match (a.trim().parse::<u16>(), b.trim().parse::<u16>()) {
                    (Ok(a), Ok(b)) if a <= port && port <= b => return Some(true),
                    (Ok(_), Ok(_)) => {}
                    _ => unknown = true,
                }
            } else {
                match part.parse::<u16>() {
                    Ok(p) if p == port => return Some(true),
                    Ok(_) => {}
                    Err(_) => unknown = true,
                }
            }
        }
        if unknown {
            None
        } else {
            Some(false)
        }
    }

    /// Whether the rule applies to TCP: `None` when the protocol is unreadable.
    pub fn covers_tcp(&self) -> Option<bool> {
        let p = self.protocol.as_deref()?;
        Some(p == "TCP" || p == "ANY" || p == "6")
    }

    /// Whether the rule admits any remote address (`Any`), `None` when unreadable.
    pub fn remote_any(&self) -> Option<bool> {
        self.remote_ip.as_deref().map(|r| r.trim().eq_ignore_ascii_case("any"))
    }
}

/// What `firewall.txt` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FirewallConfig {
    /// The profiles (`show allprofiles`), in file order.
    pub profiles: Vec<FirewallProfile>,
    /// The rules (`show rule name=all`), in file order.
    pub rules: Vec<FirewallRule>,
    /// True when the rule listing is in the file.
    pub rules_shown: bool,
    /// Rule blocks whose fields could not all be read (localized labels):
    /// their name lines. Any port judgement that a rule could change is
    /// then unknown.
    pub unreadable_rules: Vec<Evidence>,
}

// ------------------------------------------------------------------ roles

/// What `roles.txt` shows (`servermanagercmd -query`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RoleList {
    /// The ids (`[DNS]`, `[AD-Domain-Services]`, ...) of the roles, role
    /// services and features marked installed (`[X]`), each with its line.
    pub installed: Vec<Observed<String>>,
    /// Every id listed, installed or not.
    pub listed: usize,
    /// The file, for "not installed" evidence.
    pub file: String,
}

impl RoleList {
    /// The installed entry `id` (any case).
    pub fn installed(&self, id: &str) -> Option<&Observed<String>> {
        self.installed.iter().find(|r| r.value.eq_ignore_ascii_case(id))
    }
}
