//! Whether an open CVE can be reached on this host (issue 20): the
//! configuration the bundle shows (`reg-mitigations.txt`, `services.txt`,
//! `netstat.txt`, `firewall.txt`, `roles.txt`, see
//! [`w2k8_inventory::config`]) checked against Microsoft's documented
//! mitigations ([`w2k8_catalog::mitigations`]).
//!
//! Each row's state is checked part by part: it *holds*, *fails* (the
//! evidence shows otherwise) or is *unknown* (the file that would tell is
//! missing or was not read). The verdict on a CVE:
//!
//! * `not_reachable`: a `strong` row that `removes` the exposure holds, and
//!   it only asks for the component to be absent, stopped, disabled or
//!   closed (services, roles, ports);
//! * `mitigated`: a `strong` `removes` row holds that sets a registry value
//!   (Microsoft's workaround is in place);
//! * `reduced`: a `strong` `reduces` row holds, or a port closed by the host
//!   firewall is still open to some remote addresses;
//! * `exposed`: every row fails (the evidence shows none of the documented
//!   mitigations in place), or the CVE has no documented mitigation at all
//!   (the component is part of the assessed product: "no mitigation known,
//!   isolate");
//! * `unknown`: otherwise. A `medium` row (an inference, not Microsoft's
//!   words) never decides: when only such rows hold, the verdict is
//!   `unknown` and the row is shown. Missing or partial configuration files
//!   therefore give `unknown`, never `mitigated`.
//!
//! Evidence that contradicts itself (a service stopped while its port
//! listens) is a conflict: the verdict is `unknown` and the conflict is said.
use crate::assessment::{Assessment, Exposure};
use serde::Serialize;
use w2k8_catalog::mitigations::{self, Condition, Effect, Mitigation, ServiceWant, Strength};
use w2k8_core::Evidence;
use w2k8_inventory::config::{FirewallConfig, HostConfig, InboundPolicy, RegLookup, RegValue, ServiceState};
use w2k8_inventory::formats::reg_mitigations::service_key;
use w2k8_inventory::Host;

/// Whether an open CVE can be reached on the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reachability {
    /// The component is absent, stopped, disabled or closed (a strong row holds).
    NotReachable,
    /// Microsoft's workaround is in place (a strong `removes` row holds).
    Mitigated,
    /// The bundle does not tell (files missing or unreadable, only inferred rows hold, or conflicting evidence).
    Unknown,
    /// A strong `reduces` row holds: an attack path is closed, exposure remains.
    Reduced,
    /// Reachable: no documented mitigation holds.
    Exposed,
}

impl Reachability {
    /// Whether this counts as reachable (exposed or only reduced).
    pub fn is_reachable(self) -> bool {
        matches!(self, Reachability::Exposed | Reachability::Reduced)
    }

    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Reachability::NotReachable => "not_reachable",
            Reachability::Mitigated => "mitigated",
            Reachability::Unknown => "unknown",
            Reachability::Reduced => "reduced",
            Reachability::Exposed => "exposed",
        }
    }
}

/// A place in the bundle: `{file, line}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// The file, relative to the bundle.
    pub file: String,
    /// The 1-based line, when there is one.
    pub line: Option<u32>,
}

impl From<&Evidence> for Place {
    fn from(e: &Evidence) -> Place {
        Place { file: e.file.clone(), line: e.line }
    }
}

/// The documented mitigation that decided (or, for a `medium` row, was seen
/// to hold without deciding) a CVE's reachability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MitigationRef {
    /// The mitigation's id (`disable_smb1_server`, `require_nla`, ...).
    pub by: String,
    /// The lines that show its state.
    pub evidence: Vec<Place>,
    /// Its first source (Microsoft's page that states it).
    pub source: String,
    /// All its sources.
    pub sources: Vec<String>,
    /// `removes` or `reduces`.
    pub effect: Effect,
    /// `strong` or `medium`.
    pub strength: Strength,
    /// What it breaks, and caveats (from the table).
    pub side_effects: String,
}

/// One condition's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Check {
    Holds(Vec<Evidence>),
    /// The port is closed to most addresses but the firewall admits some.
    HoldsScoped(Vec<Evidence>),
    Fails(Evidence, String),
    Unknown(String),
}

fn reg_matches(v: &RegValue, data: &str) -> bool {
    if data.is_empty() {
        return v.data.trim().is_empty();
    }
    match data.parse::<u64>() {
        Ok(n) => v.number() == Some(n),
        Err(_) => v.data.trim().eq_ignore_ascii_case(data),
    }
}

fn check_reg(cfg: &HostConfig, key: &str, name: &str, data: &str) -> Check {
    let Some(reg) = &cfg.registry else {
        return Check::Unknown("reg-mitigations.txt not in the bundle".to_string());
    };
    match reg.lookup(key, name) {
        RegLookup::Value(v) if reg_matches(v, data) => Check::Holds(vec![v.evidence.clone()]),
        RegLookup::Value(v) => {
            Check::Fails(v.evidence.clone(), format!("{key}\\{name} is {} (wanted {data})", v.data.trim()))
        }
        RegLookup::NoValue(e) => Check::Fails(e.clone(), format!("{key}\\{name} is not set (wanted {data})")),
        RegLookup::Absent(e) => Check::Fails(e.clone(), format!("{key} does not exist (wanted {name}={data})")),
        RegLookup::NotShown => Check::Unknown(format!("{key}\\{name} not shown by the bundle")),
    }
}

fn not_listed(cfg: &HostConfig, name: &str) -> Option<Evidence> {
    let t = cfg.services.as_ref()?;
    (t.complete && t.get(name).is_none()).then(|| Evidence::new(format!("service {name} not installed"), &t.file, None))
}

fn check_service(cfg: &HostConfig, name: &str, want: ServiceWant) -> Check {
    match want {
        ServiceWant::Stopped => {
            let Some(t) = &cfg.services else {
                return Check::Unknown("services.txt not in the bundle".to_string());
            };
            match t.get(name) {
                Some(s) => match s.state {
                    Some(ServiceState::Stopped) => Check::Holds(vec![s.evidence.clone()]),
                    Some(_) => Check::Fails(s.evidence.clone(), format!("service {name} is not stopped")),
                    None => Check::Unknown(format!("the state of service {name} was not read")),
                },
                None => match not_listed(cfg, name) {
                    Some(e) => Check::Holds(vec![e]),
                    None => Check::Unknown(format!("service {name} not in a complete list")),
                },
            }
        }
        ServiceWant::Disabled => {
            let key = service_key(name);
            let via_reg = cfg.registry.as_ref().map(|r| r.lookup(&key, "Start"));
            match via_reg {
                // Start 4 = disabled.
                Some(RegLookup::Value(v)) if v.number() == Some(4) => Check::Holds(vec![v.evidence.clone()]),
                Some(RegLookup::Value(v)) => Check::Fails(
                    v.evidence.clone(),
                    format!("service {name} start type is {} (disabled is 4)", v.data.trim()),
                ),
                // The service's key does not exist: not installed.
                Some(RegLookup::Absent(e)) => Check::Holds(vec![e.clone()]),
                _ => match not_listed(cfg, name) {
                    Some(e) => Check::Holds(vec![e]),
                    None => Check::Unknown(format!("the start type of service {name} is not shown")),
                },
            }
        }
    }
}

/// What the host firewall does to inbound TCP `port`.
enum Fw {
    Blocked(Vec<Evidence>),
    Scoped(Evidence),
    Open(Evidence, String),
    Unknown(String),
}

/// What the host firewall does to inbound TCP `port`: its profiles first,
/// then its rules.
fn firewall_on_port(fw: &FirewallConfig, port: u16) -> Fw {
    if fw.profiles.len() < 3 {
        return Fw::Unknown("not every firewall profile is shown".to_string());
    }
    if let Some(verdict) = open_or_unread_profile(fw) {
        return verdict;
    }
    let profiles: Vec<Evidence> = fw.profiles.iter().map(|p| p.evidence.clone()).collect();
    if fw.profiles.iter().all(|p| p.inbound == Some(InboundPolicy::BlockAlways)) {
        return Fw::Blocked(profiles);
    }
    if !fw.rules_shown {
        return Fw::Unknown("the firewall rules are not in firewall.txt".to_string());
    }
    if !fw.unreadable_rules.is_empty() {
        return Fw::Unknown(format!("{} firewall rule(s) were not read", fw.unreadable_rules.len()));
    }
    // A block rule wins over any allow rule: look for one first.
    if let Some(e) = blocking_rule(fw, port) {
        return Fw::Blocked(vec![e]);
    }
    allow_rules(fw, port, profiles)
}

/// `Open` when a profile is off or admits inbound traffic, `Unknown` when
/// one was not read; `None` when every profile is on and blocks by default.
fn open_or_unread_profile(fw: &FirewallConfig) -> Option<Fw> {
    for p in &fw.profiles {
        match (p.name.as_ref(), p.on, p.inbound) {
            (Some(_), Some(false), _) | (Some(_), _, Some(InboundPolicy::Allow)) => {
                return Some(Fw::Open(
                    p.evidence.clone(),
                    format!("the {} firewall profile admits inbound traffic", p.name.as_deref().unwrap_or("?")),
                ));
            }
            (Some(_), Some(true), Some(_)) => {}
            _ => return Some(Fw::Unknown("a firewall profile was not read (localized?)".to_string())),
        }
    }
    None
}

/// True when rule `r` is an enabled inbound rule that may cover TCP.
fn applies(r: &&w2k8_inventory::config::FirewallRule) -> bool {
    r.enabled == Some(true) && r.inbound == Some(true) && r.covers_tcp() != Some(false)
}

/// The evidence of a rule that blocks TCP `port` from any address in every
/// profile.
fn blocking_rule(fw: &FirewallConfig, port: u16) -> Option<Evidence> {
    for r in fw.rules.iter().filter(applies) {
        if r.covers_port(port) == Some(true) && r.allow == Some(false) {
            let all = r.profiles.as_ref().is_some_and(|ps| {
                ps.iter().any(|p| p == "any")
                    || ["domain", "private", "public"].iter().all(|w| ps.iter().any(|p| p == w))
            });
            if all && r.remote_any() == Some(true) && r.covers_tcp() == Some(true) {
                return Some(r.evidence.clone());
            }
        }
    }
    None
}

/// What the allow rules do to TCP `port`; `Blocked` by the `profiles` when
/// none admits it.
fn allow_rules(fw: &FirewallConfig, port: u16, profiles: Vec<Evidence>) -> Fw {
    let mut scoped: Option<Evidence> = None;
    let mut unknown_port = false;
    for r in fw.rules.iter().filter(applies) {
        match (r.covers_port(port), r.allow) {
            (Some(true), Some(true)) => match r.remote_any() {
                Some(true) => {
                    return Fw::Open(
                        r.evidence.clone(),
                        format!("firewall rule `{}` admits TCP {port} from any address", r.name),
                    );
                }
                _ => scoped = Some(r.evidence.clone()),
            },
            (None, Some(true)) => unknown_port = true,
            _ => {}
        }
    }
    if unknown_port {
        return Fw::Unknown(format!("an allow rule's ports (e.g. `RPC`) may include TCP {port}"));
    }
    match scoped {
        Some(e) => Fw::Scoped(e),
        None => Fw::Blocked(profiles),
    }
}

fn check_port(cfg: &HostConfig, port: u16) -> Check {
    let Some(l) = &cfg.listeners else {
        return Check::Unknown("netstat.txt not in the bundle".to_string());
    };
    let listening = l.tcp_listening(port);
    let Some(first) = listening.first() else {
        return Check::Holds(vec![Evidence::new(format!("nothing listens on TCP {port}"), &l.file, None)]);
    };
    let Some(fw) = &cfg.firewall else {
        return Check::Unknown(format!(
            "TCP {port} listens ({}) and firewall.txt is not in the bundle",
            first.evidence.location()
        ));
    };
    match firewall_on_port(fw, port) {
        Fw::Blocked(mut ev) => {
            ev.insert(0, first.evidence.clone());
            Check::Holds(ev)
        }
        Fw::Scoped(e) => Check::HoldsScoped(vec![first.evidence.clone(), e]),
        Fw::Open(e, why) => {
            Check::Fails(first.evidence.clone(), format!("TCP {port} listens and {why} ({})", e.location()))
        }
        Fw::Unknown(why) => Check::Unknown(format!("TCP {port} listens ({}); {why}", first.evidence.location())),
    }
}

fn check_role(cfg: &HostConfig, id: &str) -> Check {
    let Some(r) = &cfg.roles else {
        return Check::Unknown("roles.txt (servermanagercmd -query) not in the bundle".to_string());
    };
    match r.installed(id) {
        Some(o) => Check::Fails(o.evidence.clone(), format!("role {id} is installed")),
        None => Check::Holds(vec![Evidence::new(format!("role {id} not installed"), &r.file, None)]),
    }
}

fn check(cfg: &HostConfig, c: &Condition) -> Check {
    match c {
        Condition::Reg { key, name, data } => check_reg(cfg, key, name, data),
        Condition::Service { name, want } => check_service(cfg, name, *want),
        Condition::TcpPortClosed(p) => check_port(cfg, *p),
        Condition::RoleAbsent(id) => check_role(cfg, id),
    }
}

/// One row's answer: all parts hold (with the evidence, and whether a port
/// is only scoped), one fails, or it is unknown.
#[derive(Debug)]
enum RowCheck {
    Holds { evidence: Vec<Evidence>, scoped: bool },
    Fails(Evidence, String),
    Unknown(String),
}

fn check_row(cfg: &HostConfig, m: &Mitigation) -> RowCheck {
    let mut evidence = Vec::new();
    let mut scoped = false;
    let mut unknown: Option<String> = None;
    for c in &m.conditions {
        match check(cfg, c) {
            Check::Holds(e) => evidence.extend(e),
            Check::HoldsScoped(e) => {
                scoped = true;
                evidence.extend(e);
            }
            Check::Fails(e, why) => return RowCheck::Fails(e, why),
            Check::Unknown(why) => unknown = unknown.or(Some(why)),
        }
    }
    match unknown {
        Some(why) => RowCheck::Unknown(why),
        None => RowCheck::Holds { evidence, scoped },
    }
}

/// The verdict on one CVE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// The verdict.
    pub reachability: Reachability,
    /// The mitigation that decided it, or a medium one seen to hold.
    pub mitigation: Option<MitigationRef>,
    /// Why, in short sentences with `file:line`; conflicts start with `conflict:`.
    pub notes: Vec<String>,
}

fn reference(m: &Mitigation, evidence: &[Evidence]) -> MitigationRef {
    MitigationRef {
        by: m.id.clone(),
        evidence: evidence.iter().map(Place::from).collect(),
        source: m.sources.first().cloned().unwrap_or_default(),
        sources: m.sources.clone(),
        effect: m.effect,
        strength: m.strength,
        side_effects: m.side_effects.clone(),
    }
}

fn absent_kind(m: &Mitigation) -> bool {
    m.conditions.iter().all(|c| !matches!(c, Condition::Reg { .. }))
}

/// Judges `cve` on the host configuration `cfg` with the table rows `rows`.
pub fn judge(cfg: &HostConfig, rows: &[&Mitigation]) -> Judged {
    if rows.is_empty() {
        return Judged {
            reachability: Reachability::Exposed,
            mitigation: None,
            notes: vec!["no documented mitigation: only the update (or isolating the host) closes it".to_string()],
        };
    }
    let checks: Vec<(&Mitigation, RowCheck)> = rows.iter().map(|m| (*m, check_row(cfg, m))).collect();
    let mut notes = conflict_notes(&checks);
    let conflict = !notes.is_empty();
    let verdict = verdict(&checks, conflict, &mut notes);
    Judged { reachability: verdict.0, mitigation: verdict.1, notes }
}

/// Conflicts: a row saying the component is stopped holds while another
/// row of the same component fails because its port listens.
fn conflict_notes(checks: &[(&Mitigation, RowCheck)]) -> Vec<String> {
    let mut notes = Vec::new();
    for (m, c) in checks {
        if let RowCheck::Holds { evidence, .. } = c {
            let stopped =
                m.conditions.iter().any(|x| matches!(x, Condition::Service { want: ServiceWant::Stopped, .. }));
            if !stopped {
                continue;
            }
            for (o, oc) in checks {
                if let RowCheck::Fails(e, why) = oc {
                    if o.component == m.component
                        && o.conditions.iter().any(|x| matches!(x, Condition::TcpPortClosed(_)))
                    {
                        let shown = evidence.first().map(Evidence::location).unwrap_or_default();
                        notes.push(format!("conflict: {} holds ({shown}) but {why} ({})", m.id, e.location()));
                    }
                }
            }
        }
    }
    notes
}

/// The first row of `strength` and `effect` that holds: the row, its evidence, and whether a port is only scoped.
fn holds<'m>(
    checks: &[(&'m Mitigation, RowCheck)],
    strength: Strength,
    effect: Effect,
) -> Option<(&'m Mitigation, Vec<Evidence>, bool)> {
    checks.iter().find_map(|(m, c)| match c {
        RowCheck::Holds { evidence, scoped } if m.strength == strength && m.effect == effect => {
            Some((*m, evidence.clone(), *scoped))
        }
        _ => None,
    })
}

/// The verdict and the mitigation behind it, from the rows' checks (strong
/// rows decide; a conflict leaves it unknown), adding its notes.
fn verdict(
    checks: &[(&Mitigation, RowCheck)],
    conflict: bool,
    notes: &mut Vec<String>,
) -> (Reachability, Option<MitigationRef>) {
    let strong_removes = holds(checks, Strength::Strong, Effect::Removes);
    let strong_reduces = holds(checks, Strength::Strong, Effect::Reduces);
    if conflict {
        let seen = strong_removes.clone().or(strong_reduces.clone());
        (Reachability::Unknown, seen.map(|(m, e, _)| reference(m, &e)))
    } else if let Some((m, e, scoped)) = strong_removes {
        let r = if scoped {
            notes.push(
                "the port is closed except to the addresses a firewall rule admits: reduced, not removed".to_string(),
            );
            Reachability::Reduced
        } else if absent_kind(m) {
            Reachability::NotReachable
        } else {
            Reachability::Mitigated
        };
        (r, Some(reference(m, &e)))
    } else if let Some((m, e, _)) = strong_reduces {
        (Reachability::Reduced, Some(reference(m, &e)))
    } else if let Some((m, e, _)) =
        holds(checks, Strength::Medium, Effect::Removes).or(holds(checks, Strength::Medium, Effect::Reduces))
    {
        notes.push(format!(
            "{} holds, but the table marks it `medium` (its mapping to Microsoft's text is an inference): not counted",
            m.id
        ));
        (Reachability::Unknown, Some(reference(m, &e)))
    } else {
        (unproven(checks, notes), None)
    }
}

/// No row holds: exposed when every row fails, else unknown, with each row's reason.
fn unproven(checks: &[(&Mitigation, RowCheck)], notes: &mut Vec<String>) -> Reachability {
    if checks.iter().all(|(_, c)| matches!(c, RowCheck::Fails(..))) {
        for (m, c) in checks {
            if let RowCheck::Fails(e, why) = c {
                notes.push(format!("{} not in place: {why} ({})", m.id, e.location()));
            }
        }
        Reachability::Exposed
    } else {
        for (m, c) in checks {
            if let RowCheck::Unknown(why) = c {
                notes.push(format!("{}: {why}", m.id));
            }
        }
        Reachability::Unknown
    }
}

/// Judges every open CVE of `a` on `host`'s configuration, fills
/// `reachability`, `mitigation` and `reachability_notes` of each
/// `exposure[]` entry, counts `summary.reachable_kev` (null when a KEV CVE is
/// unknown), and ranks the entries the evidence shows closed (mitigated,
/// not reachable) after the others within the same KEV class.
pub fn apply(a: &mut Assessment<'_>, host: &Host) {
    let cfg = &host.facts.config;
    for e in &mut a.exposure {
        let j = judge(cfg, &mitigations::for_cve(e.cve));
        e.reachability = j.reachability;
        e.mitigation = j.mitigation.map(Box::new);
        e.reachability_notes = j.notes;
    }
    let class = |e: &Exposure| {
        let kev = e.kev.is_some();
        // Only what the evidence shows closed (mitigated, not reachable) moves down: an unknown
        // verdict keeps its risk rank, so a bundle without the files ranks as before.
        let closed = matches!(e.reachability, Reachability::Mitigated | Reachability::NotReachable);
        (kev && e.kev.as_ref().is_some_and(|k| k.ransomware), kev, !closed)
    };
    // Nothing shown closed (a bundle without the configuration files): the
    // order stands, and the large entries need not be moved. Otherwise a
    // stable sort by cached key: it sorts (key, index) pairs and swaps the
    // entries into place, where `sort_by_key` would take a scratch copy of
    // the list (a megabyte of fresh pages on a badly patched host).
    if a.exposure.iter().any(|e| matches!(e.reachability, Reachability::Mitigated | Reachability::NotReachable)) {
        a.exposure.sort_by_cached_key(|e| std::cmp::Reverse(class(e)));
    }
    recount(a);
}

/// `summary.reachable_kev` and `summary.reachability_unknown` from the exposure list.
pub(crate) fn recount(a: &mut Assessment<'_>) {
    let kev: Vec<&Exposure> = a.exposure.iter().filter(|e| e.kev.is_some()).collect();
    a.summary.reachable_kev = if kev.iter().any(|e| e.reachability == Reachability::Unknown) {
        None
    } else {
        Some(kev.iter().filter(|e| e.reachability.is_reachable()).count())
    };
    a.summary.reachable = a.exposure.iter().filter(|e| e.reachability.is_reachable()).count();
    a.summary.reachability_unknown = a.exposure.iter().filter(|e| e.reachability == Reachability::Unknown).count();
}
