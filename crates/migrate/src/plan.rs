//! The migration plan of one host: lifecycle, in-place chains, side-by-side
//! and cloud paths, role caveats and a recommendation.
//!
//! Every rule and date comes from the embedded tables ([`crate::data`]); the
//! planner only combines them with what the bundle says about the host.
use crate::data::{self, HopRow, Support};
use crate::version::{Target, Version};
use serde::Serialize;
use std::collections::BTreeSet;
use w2k8_assess::product::{identify, Family, Identity};
use w2k8_core::{Arch, Date};
use w2k8_inventory::Host;

/// Why a host cannot be planned for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotMigratable {
    /// The host is not Windows Server 2008 or 2008 R2 (named in the message).
    Unsupported(String),
}

impl std::fmt::Display for NotMigratable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotMigratable::Unsupported(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for NotMigratable {}

/// A statement with the page it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sourced {
    /// The statement (paraphrased from the source).
    pub text: String,
    /// Source URL.
    pub source: String,
}

impl Sourced {
    fn new(text: impl Into<String>, source: impl Into<String>) -> Sourced {
        Sourced { text: text.into(), source: source.into() }
    }
}

/// What the plan knows about the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostSummary {
    /// Host name, when the bundle gives it.
    pub host_name: Option<String>,
    /// The product as w2k8 names it, e.g. `Windows Server 2008 SP2`.
    pub product: String,
    /// The release (2008 or 2008 R2).
    pub version: Version,
    /// Build number.
    pub build: Option<u32>,
    /// Service pack number.
    pub service_pack: Option<u32>,
    /// Edition, e.g. `Enterprise`.
    pub edition: Option<String>,
    /// `x86`, `x64` or `ia64`, when the bundle tells.
    pub arch: Option<String>,
    /// Server Core, full installation, or not told.
    pub server_core: Option<bool>,
    /// The host is a domain controller (ProductType 2 or OS Configuration).
    pub domain_controller: bool,
}

/// One lifecycle date and how long ago it passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    /// What ends, e.g. `extended support`.
    pub what: String,
    /// The date.
    pub date: Date,
    /// Days from the date to the plan's `as_of` (negative: still ahead).
    pub days_ago: i64,
}

/// Lifecycle dates of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lifecycle {
    /// Product name.
    pub product: String,
    /// End of mainstream support.
    pub mainstream_end: Option<Date>,
    /// End of extended support.
    pub extended_end: Option<Date>,
    /// End of the last paid ESU year.
    pub esu_end: Option<Date>,
    /// End of the Azure-only ESU year.
    pub esu_azure_end: Option<Date>,
    /// End of each paid ESU year.
    pub esu_year_ends: Vec<Date>,
    /// Each date with its distance from `as_of`.
    pub milestones: Vec<Milestone>,
    /// Remarks from the data (e.g. why a date is empty).
    pub note: String,
    /// Source URL.
    pub source: String,
}

impl Lifecycle {
    /// The lifecycle of `product` from the embedded table, with days counted to `as_of`.
    pub fn of(product: &str, as_of: Date) -> Option<Lifecycle> {
        let r = data::lifecycle(product)?;
        let mut milestones = Vec::new();
        let mut push = |what: &str, d: Option<Date>| {
            if let Some(date) = d {
                milestones.push(Milestone { what: what.to_string(), date, days_ago: date.days_until(as_of) });
            }
        };
        push("mainstream support", r.mainstream_end);
        push("extended support", r.extended_end);
        for (i, d) in r.esu_year_ends.iter().enumerate() {
            push(&format!("ESU year {}", i + 1), Some(*d));
        }
        if r.esu_azure_end != r.esu_year_ends.last().copied() {
            push("ESU in Azure (extra year)", r.esu_azure_end);
        }
        Some(Lifecycle {
            product: r.product.clone(),
            mainstream_end: r.mainstream_end,
            extended_end: r.extended_end,
            esu_end: r.esu_year_ends.last().copied(),
            esu_azure_end: r.esu_azure_end,
            esu_year_ends: r.esu_year_ends.clone(),
            milestones,
            note: r.edition_note.clone(),
            source: r.source_url.clone(),
        })
    }
}

/// The kind of a path off 2008.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathKind {
    /// Upgrade the installed system, hop by hop.
    InPlace,
    /// New server, roles and data moved over.
    SideBySide,
    /// Rehost the machine in Azure.
    Cloud,
}

impl PathKind {
    /// Readable name.
    pub fn name(self) -> &'static str {
        match self {
            PathKind::InPlace => "in-place upgrade",
            PathKind::SideBySide => "side-by-side migration",
            PathKind::Cloud => "cloud rehost",
        }
    }
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// Start, e.g. `Windows Server 2008`.
    pub from: String,
    /// Destination.
    pub to: String,
    /// Edition(s) this hop allows, e.g. `Standard or Datacenter`.
    pub edition: String,
    /// What must be true before the hop starts.
    pub requires: Vec<Sourced>,
    /// Rules and remarks (edition, Server Core, ...).
    pub notes: Vec<Sourced>,
    /// Source of the hop itself.
    pub source: String,
}

/// A way off 2008.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Path {
    /// In place, side by side or cloud.
    pub kind: PathKind,
    /// The hops, in order (empty when the path is blocked before it starts).
    pub hops: Vec<Hop>,
    /// Whether the path is supported for this host.
    pub supported: bool,
    /// Why not, when it is not.
    pub blocked_by: Vec<Sourced>,
    /// Trade-offs and remarks.
    pub trade_offs: Vec<Sourced>,
    /// Current status (e.g. the Azure ESU year has ended), when relevant.
    pub status: Option<String>,
}

/// A direct hop that would make the chain shorter but is not supported: every
/// refused hop from the start, and refused hops from a chain's versions to the
/// target or to another version on a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// Start.
    pub from: Version,
    /// Destination.
    pub to: Version,
    /// `no` or `unconfirmed`.
    pub supported: Support,
    /// Why.
    pub reason: String,
    /// Source URL.
    pub source: String,
}

/// A role that blocks or changes the path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caveat {
    /// The role, e.g. `domain controller`.
    pub role: String,
    /// What it means for the move.
    pub text: String,
    /// It blocks the target until dealt with.
    pub blocks: bool,
    /// Source URL.
    pub source: String,
}

/// What w2k8 recommends, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recommendation {
    /// The recommended path.
    pub kind: PathKind,
    /// One sentence.
    pub summary: String,
    /// The reasons.
    pub reasons: Vec<String>,
}

/// The whole plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Migration {
    /// The host.
    pub host: HostSummary,
    /// Destination.
    pub target: Version,
    /// Day the "days ago" figures are counted to.
    pub as_of: Date,
    /// Lifecycle of the host's release.
    pub lifecycle: Lifecycle,
    /// Lifecycle of the destination.
    pub target_lifecycle: Option<Lifecycle>,
    /// In-place chains (every shortest supported chain, or one blocked path), side-by-side, cloud.
    pub paths: Vec<Path>,
    /// Direct hops that would shorten the chain and why they are not taken.
    pub refused_shortcuts: Vec<Refusal>,
    /// Role caveats.
    pub caveats: Vec<Caveat>,
    /// The recommendation.
    pub recommendation: Recommendation,
    /// Caveats about the plan itself (missing facts).
    pub notes: Vec<String>,
}

/// Research rows (from-prefix, to-prefix) of `upgrade-paths.csv` the planner quotes.
pub const PATH_ROWS_USED: [(&str, &str); 14] = [
    ROW_X86,
    ROW_STANDARD,
    ROW_DATACENTER,
    ROW_CORE_SWITCH,
    ROW_CORE_CONVERT,
    ROW_LANGUAGE,
    ROW_WSMT_2008R2,
    ROW_WSMT_2012,
    ROW_AZURE_ESU,
    ROW_AZURE_IMAGE,
    ROW_DC,
    ROW_FFL,
    ROW_FRS,
    ROW_OLD_DCS,
];
const ROW_X86: (&str, &str) = ("Windows Server 2008 (32-bit)", "Windows Server 2008 R2 or any later");
const ROW_STANDARD: (&str, &str) = ("Windows Server Standard (any version)", "Standard or Datacenter");
const ROW_DATACENTER: (&str, &str) = ("Windows Server Datacenter (any version)", "Standard of newer");
const ROW_CORE_SWITCH: (&str, &str) = ("Server Core installation", "Server with Desktop Experience");
const ROW_CORE_CONVERT: (&str, &str) = ("Windows Server 2008 Server Core install", "Windows Server 2012 R2 Server");
const ROW_LANGUAGE: (&str, &str) = ("Any language", "different language");
const ROW_WSMT_2008R2: (&str, &str) =
    ("Windows Server 2003 / 2008 / 2008 R2 roles", "Windows Server 2008 R2 (migration");
const ROW_WSMT_2012: (&str, &str) =
    ("Windows Server 2003 / 2008 / 2008 R2 / 2012 roles", "Windows Server 2012 / 2012 R2");
const ROW_AZURE_ESU: (&str, &str) = ("Windows Server 2008 / 2008 R2 (on-premises)", "Azure virtual machine");
const ROW_AZURE_IMAGE: (&str, &str) = ("Windows Server 2008 / 2008 R2 (on-premises)", "Azure (specialized");
const ROW_DC: (&str, &str) = ("Domain controller (any)", "newer Windows Server DC");
const ROW_FFL: (&str, &str) = ("Forest at Windows Server 2008 forest functional level", "add Windows Server 2019");
const ROW_FRS: (&str, &str) = ("Domain with SYSVOL on FRS", "add Windows Server 2019 DC");
const ROW_OLD_DCS: (&str, &str) = ("Windows Server 2008 R2 and older DCs", "keep serving");

/// A research row as a sourced statement (empty when the row is missing, which the tests rule out).
fn row(key: (&str, &str)) -> Option<Sourced> {
    data::path_row(key.0, key.1).map(|r| Sourced::new(r.notes.clone(), r.source_url.clone()))
}

fn arch_name(a: Arch) -> &'static str {
    match a {
        Arch::X86 => "x86",
        Arch::X64 => "x64",
        Arch::Ia64 => "ia64",
    }
}

/// Plans the way from `host` to `target`, counting days to `as_of`.
pub fn plan(host: &Host, target: Target, as_of: Date) -> Result<Migration, NotMigratable> {
    let id = identify(host);
    plan_identity(host, &id, target, as_of)
}

fn plan_identity(host: &Host, id: &Identity, target: Target, as_of: Date) -> Result<Migration, NotMigratable> {
    let version = release_of(id)?;
    let arch = host.facts.arch.as_ref().map(|a| a.value);
    let summary = summarize(host, id, version);
    let notes = plan_notes(&summary);
    let target_v = target.version();
    let lifecycle = lifecycle_or_empty(version, as_of);
    let target_lifecycle = Lifecycle::of(target_v.name(), as_of);

    let (in_place, chain_nodes) = in_place_paths(&summary, target_v);
    let refused_shortcuts = if in_place.iter().any(|p| p.supported) || arch_ok(arch) {
        refusals(version, &chain_nodes, target_v)
    } else {
        Vec::new()
    };
    let caveats = if summary.domain_controller { dc_caveats(target_v) } else { Vec::new() };
    let side = side_by_side(&summary, target_v);
    let cloud = cloud(&summary, &lifecycle, as_of);
    let recommendation = recommend(&summary, &in_place, &caveats, &lifecycle, as_of, target_v);
    let mut paths = in_place;
    paths.push(side);
    paths.push(cloud);
    Ok(Migration {
        host: summary,
        target: target_v,
        as_of,
        lifecycle,
        target_lifecycle,
        paths,
        refused_shortcuts,
        caveats,
        recommendation,
        notes,
    })
}

/// The release the host runs, or why it cannot be planned for.
fn release_of(id: &Identity) -> Result<Version, NotMigratable> {
    match id.family {
        Family::Ws2008 => Ok(Version::Ws2008),
        Family::Ws2008R2 => Ok(Version::Ws2008R2),
        other => Err(NotMigratable::Unsupported(format!(
            "{} ({}): `w2k8 migrate` plans from Windows Server 2008 or 2008 R2 only",
            other.name(),
            id.product
        ))),
    }
}

/// What the plan knows about the host, from its facts and identity.
fn summarize(host: &Host, id: &Identity, version: Version) -> HostSummary {
    let f = &host.facts;
    let arch = f.arch.as_ref().map(|a| a.value);
    let domain_controller = f.product_type.as_ref().is_some_and(|p| p.value == 2)
        || f.os_configuration.as_ref().is_some_and(|c| c.value.to_lowercase().contains("domain controller"));
    HostSummary {
        host_name: f.host_name.as_ref().map(|h| h.value.clone()),
        product: id.product.clone(),
        version,
        build: id.build,
        service_pack: id.service_pack,
        edition: id.edition.clone(),
        arch: arch.map(|a| arch_name(a).to_string()),
        server_core: id.server_core,
        domain_controller,
    }
}

/// Caveats about the plan: the facts the bundle does not give.
fn plan_notes(summary: &HostSummary) -> Vec<String> {
    let mut notes = Vec::new();
    if summary.arch.is_none() {
        notes.push(
            "the bundle does not give the architecture: in-place chains are shown as for x64 (32-bit 2008 has no in-place path)"
                .to_string(),
        );
    }
    if summary.server_core.is_none() {
        notes.push("the bundle does not say whether this is a Server Core installation".to_string());
    }
    notes.push(
        "roles other than domain controller are not visible in the bundle: check each role's migration guide"
            .to_string(),
    );
    notes
}

/// The lifecycle of `version`, or one with no dates when the table lacks it.
fn lifecycle_or_empty(version: Version, as_of: Date) -> Lifecycle {
    Lifecycle::of(version.name(), as_of).unwrap_or_else(|| Lifecycle {
        product: version.name().to_string(),
        mainstream_end: None,
        extended_end: None,
        esu_end: None,
        esu_azure_end: None,
        esu_year_ends: Vec::new(),
        milestones: Vec::new(),
        note: String::new(),
        source: String::new(),
    })
}

fn arch_ok(arch: Option<Arch>) -> bool {
    matches!(arch, None | Some(Arch::X64))
}

/// Every chain with the fewest hops from `from` to `to` over supported hops.
pub fn shortest_chains(from: Version, to: Version) -> Vec<Vec<&'static HopRow>> {
    let supported: Vec<&HopRow> = data::tables().hops.iter().filter(|h| h.supported == Support::Yes).collect();
    let mut chains: Vec<Vec<&HopRow>> = vec![Vec::new()];
    for _ in 0..Version::ALL.len() {
        let done: Vec<Vec<&HopRow>> = chains
            .iter()
            .filter(|c| c.last().map(|h| h.to) == Some(to) || (c.is_empty() && from == to))
            .cloned()
            .collect();
        if !done.is_empty() {
            return done;
        }
        let mut next = Vec::new();
        for c in &chains {
            let at = c.last().map(|h| h.to).unwrap_or(from);
            for h in supported.iter().filter(|h| h.from == at && h.to <= to) {
                let mut n = c.clone();
                n.push(h);
                next.push(n);
            }
        }
        if next.is_empty() {
            return Vec::new();
        }
        chains = next;
    }
    Vec::new()
}

fn base_edition(edition: &str) -> &str {
    edition.strip_suffix(" without Hyper-V").unwrap_or(edition)
}

/// Editions reachable from `from_editions` by a hop whose edition rule is `rule`.
fn apply_edition_rule(rule: &str, from_editions: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |e: &str| {
        if !out.iter().any(|o| o == e) {
            out.push(e.to_string());
        }
    };
    for e in from_editions {
        let base = base_edition(e);
        if rule == "*" {
            add(base);
            if base == "Standard" {
                add("Datacenter");
            }
            continue;
        }
        for pair in rule.split(';') {
            if let Some((src, dsts)) = pair.split_once('>') {
                if src == base {
                    dsts.split('|').for_each(&mut add);
                }
            }
        }
    }
    out
}

fn join_or(v: &[String]) -> String {
    match v {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

fn in_place_paths(h: &HostSummary, target: Version) -> (Vec<Path>, BTreeSet<Version>) {
    let mut nodes = BTreeSet::new();
    if let Some(reasons) = arch_blocks(h, target) {
        return (vec![blocked_in_place(reasons)], nodes);
    }
    let chains = shortest_chains(h.version, target);
    let start_editions: Vec<String> = match &h.edition {
        Some(e) => vec![base_edition(e).to_string()],
        None => ["Standard", "Enterprise", "Datacenter", "Web"].iter().map(|s| s.to_string()).collect(),
    };
    if let Some(reason) = edition_blocks(h, &chains, &start_editions) {
        return (vec![blocked_in_place(vec![reason])], nodes);
    }
    if chains.is_empty() {
        return (
            vec![blocked_in_place(vec![Sourced::new(format!("no supported in-place chain to {}", target.name()), "")])],
            nodes,
        );
    }
    let mut paths = Vec::new();
    for chain in chains {
        paths.push(chain_path(h, &chain, &start_editions, &mut nodes));
    }
    if nodes.is_empty() {
        nodes.insert(h.version);
    }
    (paths, nodes)
}

/// An in-place path blocked before it starts, for `reasons`.
fn blocked_in_place(reasons: Vec<Sourced>) -> Path {
    Path {
        kind: PathKind::InPlace,
        hops: Vec::new(),
        supported: false,
        blocked_by: reasons,
        trade_offs: Vec::new(),
        status: None,
    }
}

/// Why the host's architecture (x86, Itanium) rules out any in-place path.
fn arch_blocks(h: &HostSummary, target: Version) -> Option<Vec<Sourced>> {
    match h.arch.as_deref() {
        Some("x86") => {
            let mut reasons: Vec<Sourced> = row(ROW_X86).into_iter().collect();
            if let Some(hr) = data::hop(Version::Ws2008, Version::Ws2012) {
                reasons.push(Sourced::new(hr.notes.clone(), hr.source_url.clone()));
            }
            Some(reasons)
        }
        Some("ia64") => {
            let mut reasons = vec![Sourced::new(
                "No upgrade table lists an Itanium-based edition as a source: the 2008 -> 2012 and 2008 R2 -> 2012/2012 R2 \
                 tables name Standard, Enterprise, Datacenter and Web only, and 2012 is x64-only.",
                data::hop(Version::Ws2008, Version::Ws2012).map(|h| h.source_url.clone()).unwrap_or_default(),
            )];
            if let Some(r) =
                data::requirements(Version::Ws2012R2, target).into_iter().find(|r| r.requirement.contains("x64"))
            {
                reasons.push(Sourced::new(
                    format!("{} requires an x64 processor: {}", target.name(), r.requirement),
                    r.source_url.clone(),
                ));
            }
            Some(reasons)
        }
        _ => None,
    }
}

/// Why the host's edition is no upgrade source for the first hop of the chains.
fn edition_blocks(h: &HostSummary, chains: &[Vec<&HopRow>], start_editions: &[String]) -> Option<Sourced> {
    let (Some(e), Some(first)) = (&h.edition, chains.first().and_then(|c| c.first())) else { return None };
    if !apply_edition_rule(&first.editions, start_editions).is_empty() {
        return None;
    }
    Some(Sourced::new(
        format!(
            "{} {e} is not an upgrade source in the edition table (it lists Standard, Enterprise, Datacenter and Web)",
            h.version.name()
        ),
        first.source_url.clone(),
    ))
}

/// The supported in-place path along `chain`, adding its versions to `nodes`.
fn chain_path(h: &HostSummary, chain: &[&HopRow], start_editions: &[String], nodes: &mut BTreeSet<Version>) -> Path {
    let mut editions = start_editions.to_vec();
    let mut hops = Vec::new();
    for (i, hr) in chain.iter().enumerate() {
        nodes.insert(hr.from);
        nodes.insert(hr.to);
        let next = apply_edition_rule(&hr.editions, &editions);
        hops.push(in_place_hop(h, i == 0, hr, &editions, &next));
        editions = next;
    }
    Path {
        kind: PathKind::InPlace,
        hops,
        supported: true,
        blocked_by: Vec::new(),
        trade_offs: row(ROW_LANGUAGE).into_iter().collect(),
        status: None,
    }
}

/// One hop of an in-place chain (`first`: the hop off the host itself),
/// from the `editions` reached so far to the `next` ones.
fn in_place_hop(h: &HostSummary, first: bool, hr: &HopRow, editions: &[String], next: &[String]) -> Hop {
    let mut edition = join_or(next);
    if h.edition.is_none() && first {
        edition = format!("per edition: {} (the bundle does not give the edition)", hr.editions.replace(';', "; "));
    }
    let mut requires = if first { first_hop_requires(h, hr) } else { Vec::new() };
    for r in data::requirements(hr.from, hr.to) {
        requires.push(Sourced::new(r.requirement.clone(), r.source_url.clone()));
    }
    let mut notes = Vec::new();
    if hr.editions == "*" {
        let rule = if editions.iter().any(|e| e == "Standard") { ROW_STANDARD } else { ROW_DATACENTER };
        notes.extend(row(rule));
    } else {
        notes.push(Sourced::new(hr.notes.clone(), hr.source_url.clone()));
        if h.edition.as_deref().is_some_and(|e| e.ends_with(" without Hyper-V")) {
            notes.push(Sourced::new(
                "the edition table does not name the editions without Hyper-V: taken as their base edition",
                hr.source_url.clone(),
            ));
        }
    }
    match h.server_core {
        Some(true) => {
            edition.push_str(" (Server Core)");
            notes.extend(row(ROW_CORE_SWITCH));
            if hr.to == Version::Ws2012R2 {
                notes.extend(row(ROW_CORE_CONVERT));
            }
        }
        None if hr.to == Version::Ws2012R2 => notes.extend(row(ROW_CORE_CONVERT)),
        _ => {}
    }
    Hop {
        from: if first { h.product.clone() } else { hr.from.name().to_string() },
        to: hr.to.name().to_string(),
        edition,
        requires,
        notes,
        source: hr.source_url.clone(),
    }
}

/// What the first hop needs of the host itself: its service pack, x64, and
/// the domain-controller steps.
fn first_hop_requires(h: &HostSummary, hr: &HopRow) -> Vec<Sourced> {
    let mut requires = Vec::new();
    if !hr.requires.is_empty() {
        let need: Option<u32> = hr.requires.rsplit(' ').next().and_then(|n| n.parse().ok());
        let text = match (need, h.service_pack) {
            (Some(n), Some(have)) if have < n => {
                format!("{} (this host has service pack {have}: install {} first)", hr.requires, hr.requires)
            }
            (Some(_), Some(_)) => format!("{} (installed)", hr.requires),
            _ => format!("{} (not confirmed from the bundle)", hr.requires),
        };
        requires.push(Sourced::new(text, hr.source_url.clone()));
    }
    if h.arch.is_none() {
        requires.push(Sourced::new(
            "a 64-bit (x64) installation: 32-bit 2008 has no in-place path",
            row(ROW_X86).map(|s| s.source).unwrap_or_default(),
        ));
    }
    if h.domain_controller {
        if let Some(dc) = row(ROW_DC) {
            requires.push(dc);
        }
    }
    requires
}

fn refusals(start: Version, nodes: &BTreeSet<Version>, target: Version) -> Vec<Refusal> {
    let mut from: BTreeSet<Version> = nodes.clone();
    from.insert(start);
    data::tables()
        .hops
        .iter()
        .filter(|h| h.supported != Support::Yes && from.contains(&h.from) && h.to <= target)
        .filter(|h| h.from == start || h.to == target || nodes.contains(&h.to))
        .map(|h| Refusal {
            from: h.from,
            to: h.to,
            supported: h.supported,
            reason: h.notes.clone(),
            source: h.source_url.clone(),
        })
        .collect()
}

fn dc_caveats(target: Version) -> Vec<Caveat> {
    let mut out = Vec::new();
    let mut add = |key: (&str, &str), blocks: bool, extra: &str| {
        if let Some(s) = row(key) {
            out.push(Caveat {
                role: "domain controller".to_string(),
                text: format!("{}{extra}", s.text),
                blocks,
                source: s.source,
            });
        }
    };
    add(ROW_DC, false, "");
    add(ROW_OLD_DCS, false, "");
    add(ROW_FFL, target >= Version::Ws2019, "");
    add(
        ROW_FRS,
        target >= Version::Ws2019,
        " The bundle does not show whether SYSVOL replicates with FRS or DFS-R: check before promoting the new DC.",
    );
    out
}

fn side_by_side(h: &HostSummary, target: Version) -> Path {
    let mut notes: Vec<Sourced> = Vec::new();
    notes.extend(row(ROW_WSMT_2008R2));
    notes.extend(row(ROW_WSMT_2012));
    let mut requires = Vec::new();
    for r in data::requirements(Version::Ws2022, target).into_iter().filter(|r| r.from.is_none()) {
        requires.push(Sourced::new(r.requirement.clone(), r.source_url.clone()));
    }
    if h.domain_controller {
        notes.extend(row(ROW_DC));
    }
    let source = row(ROW_WSMT_2012).map(|s| s.source).unwrap_or_default();
    Path {
        kind: PathKind::SideBySide,
        hops: vec![Hop {
            from: h.product.clone(),
            to: format!("{} (clean install on a new server)", target.name()),
            edition: "any edition you license for the new server (installation option chosen freely)".to_string(),
            requires,
            notes,
            source,
        }],
        supported: true,
        blocked_by: Vec::new(),
        trade_offs: vec![
            Sourced::new(
                "Needs a second server (physical or virtual) while roles and data move; the new system starts clean, \
                 with nothing carried over from 2008.",
                "",
            ),
            Sourced::new(
                "The Windows Server Migration Tools guides in the data cover destinations up to 2012 R2; for a newer \
                 destination use each role's current migration guide.",
                "",
            ),
        ],
        status: None,
    }
}

fn cloud(h: &HostSummary, lc: &Lifecycle, as_of: Date) -> Path {
    let mut notes: Vec<Sourced> = Vec::new();
    notes.extend(row(ROW_AZURE_ESU));
    notes.extend(row(ROW_AZURE_IMAGE));
    let source = row(ROW_AZURE_ESU).map(|s| s.source).unwrap_or_default();
    let mut blocked_by = Vec::new();
    if matches!(h.arch.as_deref(), Some("x86") | Some("ia64")) {
        blocked_by.push(Sourced::new(
            format!(
                "the sourced Azure rehost paths are for x64 Windows Server 2008/2008 R2; not confirmed for {}",
                h.arch.as_deref().unwrap_or_default()
            ),
            source.clone(),
        ));
    }
    let status = lc.esu_azure_end.map(|end| {
        let ago = end.days_until(as_of);
        if ago > 0 {
            format!(
                "the Azure-only ESU year ended on {end} ({ago} days ago): a rehosted {} no longer receives security updates",
                h.version.name()
            )
        } else {
            format!("Azure ESU runs until {end} ({} days left)", -ago)
        }
    });
    Path {
        kind: PathKind::Cloud,
        hops: vec![Hop {
            from: h.product.clone(),
            to: "Azure virtual machine (rehost)".to_string(),
            edition: h.edition.clone().unwrap_or_else(|| "unchanged".to_string()),
            requires: Vec::new(),
            notes,
            source,
        }],
        supported: blocked_by.is_empty(),
        blocked_by,
        trade_offs: vec![Sourced::new(
            format!(
                "The operating system stays {}: rehosting moves the machine, it does not upgrade it.",
                h.version.name()
            ),
            row(ROW_AZURE_IMAGE).map(|s| s.source).unwrap_or_default(),
        )],
        status,
    }
}

/// The recommended path for `h` and why: side by side for a domain
/// controller, a long or blocked in-place chain; in place for a short one.
fn recommend(
    h: &HostSummary,
    in_place: &[Path],
    caveats: &[Caveat],
    lc: &Lifecycle,
    as_of: Date,
    target: Version,
) -> Recommendation {
    let mut reasons = Vec::new();
    let best = in_place.iter().filter(|p| p.supported).map(|p| p.hops.len()).min();
    let kind = if h.domain_controller {
        domain_controller_reasons(caveats, target, &mut reasons);
        PathKind::SideBySide
    } else if let Some(n) = best {
        in_place_verdict(in_place, n, as_of, &mut reasons)
    } else {
        for p in in_place {
            reasons.extend(p.blocked_by.iter().map(|b| b.text.clone()));
        }
        reasons.push("a migration to a new server is the only way off".to_string());
        PathKind::SideBySide
    };
    lifecycle_reasons(lc, as_of, &mut reasons);
    let summary = recommendation_summary(kind, h.domain_controller, target);
    Recommendation { kind, summary, reasons }
}

/// Why a domain controller is replaced side by side: the practice, then each blocking caveat.
fn domain_controller_reasons(caveats: &[Caveat], target: Version, reasons: &mut Vec<String>) {
    reasons.push("this is a domain controller: Microsoft recommends promoting new domain controllers on clean installs and demoting the old ones".to_string());
    for c in caveats.iter().filter(|c| c.blocks) {
        reasons.push(format!("before a {} domain controller joins: {}", target.name(), c.text));
    }
}

/// In place when the shortest supported chain (`n` upgrades) is short,
/// side by side when it takes three or more; the reasons either way.
fn in_place_verdict(in_place: &[Path], n: usize, as_of: Date, reasons: &mut Vec<String>) -> PathKind {
    let chain = in_place.iter().find(|p| p.supported && p.hops.len() == n).map(chain_text).unwrap_or_default();
    if n >= 3 {
        reasons
            .push(format!("in place takes {n} upgrades in a row ({chain}), each a full setup run with its own risk"));
        let end = Lifecycle::of(Version::Ws2012R2.name(), as_of).and_then(|l| l.extended_end);
        if let Some(end) = end.filter(|e| e.days_until(as_of) > 0) {
            reasons.push(format!(
                "the intermediate releases are themselves out of extended support (Windows Server 2012 R2 since {end})"
            ));
        }
        PathKind::SideBySide
    } else {
        reasons.push(format!(
            "a supported in-place chain of {n} upgrade(s) exists ({chain}) and keeps roles, settings and data"
        ));
        PathKind::InPlace
    }
}

/// A path's products in order: `Windows Server 2008 -> ... -> Windows Server 2012`.
fn chain_text(p: &Path) -> String {
    let mut v: Vec<String> = p.hops.first().map(|x| x.from.clone()).into_iter().collect();
    v.extend(p.hops.iter().map(|x| x.to.clone()));
    v.join(" -> ")
}

/// The lifecycle reasons: extended support over, and the Azure ESU year over.
fn lifecycle_reasons(lc: &Lifecycle, as_of: Date, reasons: &mut Vec<String>) {
    if let Some(end) = lc.extended_end {
        reasons.push(format!("{} left extended support on {end}, {} days ago", lc.product, end.days_until(as_of)));
    }
    if let Some(end) = lc.esu_azure_end {
        if end.days_until(as_of) > 0 {
            reasons.push(format!(
                "cloud rehost is not recommended: even the Azure-only ESU year ended on {end} ({} days ago)",
                end.days_until(as_of)
            ));
        }
    }
}

/// The recommendation's one-line summary for `kind`.
fn recommendation_summary(kind: PathKind, domain_controller: bool, target: Version) -> String {
    match kind {
        PathKind::SideBySide if domain_controller => format!(
            "Build new {} domain controllers side by side, move the FSMO roles, then demote and retire this one.",
            target.name()
        ),
        PathKind::SideBySide => {
            format!("Migrate side by side: build a new {} server and move roles and data to it.", target.name())
        }
        PathKind::InPlace => format!("Upgrade in place to {} along the chain below.", target.name()),
        PathKind::Cloud => format!("Rehost in Azure, then plan the move to {}.", target.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use w2k8_core::{Evidence, Observed};
    use w2k8_inventory::Facts;

    fn o<T>(v: T) -> Option<Observed<T>> {
        Some(Observed::new(v, Evidence::new("x", "f.txt", Some(1))))
    }

    #[test]
    fn research_rows_used_by_the_planner_exist() {
        for (from, to) in PATH_ROWS_USED {
            assert!(crate::data::path_row(from, to).is_some(), "{from} -> {to}");
        }
    }

    fn host(version: &str, build: u32, sku: u32, arch: Arch, product_type: u32) -> Host {
        let name = if version.starts_with("6.1") {
            "Microsoft Windows Server 2008 R2 Enterprise"
        } else {
            "Microsoft Windows Server 2008 Enterprise"
        };
        Host {
            facts: Facts {
                os_name: o(name.to_string()),
                os_version: o(version.to_string()),
                build: o(build),
                os_sku: o(sku),
                arch: o(arch),
                product_type: o(product_type),
                ..Facts::default()
            },
            ..Host::default()
        }
    }

    fn day() -> Date {
        Date::new(2026, 1, 14).unwrap_or(Date::from_days(0))
    }

    fn chains(m: &Migration) -> Vec<String> {
        m.paths
            .iter()
            .filter(|p| p.kind == PathKind::InPlace && p.supported)
            .map(|p| p.hops.iter().map(|h| h.to.trim_start_matches("Windows Server ")).collect::<Vec<_>>().join(">"))
            .collect()
    }

    #[test]
    fn shortest_chains_table() {
        let key = |v: Vec<Vec<&HopRow>>| -> Vec<String> {
            v.iter().map(|c| c.iter().map(|h| h.to.key()).collect::<Vec<_>>().join(">")).collect()
        };
        let cases: [(Version, Version, &[&str]); 6] = [
            (Version::Ws2008, Version::Ws2019, &["2012>2012r2>2019", "2012>2016>2019"]),
            (Version::Ws2008, Version::Ws2022, &["2012>2016>2022"]),
            (Version::Ws2008, Version::Ws2025, &["2012>2012r2>2025", "2012>2016>2025"]),
            (Version::Ws2008R2, Version::Ws2019, &["2012r2>2019"]),
            (Version::Ws2008R2, Version::Ws2022, &["2012>2016>2022", "2012r2>2016>2022", "2012r2>2019>2022"]),
            (Version::Ws2008R2, Version::Ws2025, &["2012r2>2025"]),
        ];
        for (from, to, want) in cases {
            assert_eq!(key(shortest_chains(from, to)), want, "{from} -> {to}");
        }
    }

    #[test]
    fn x64_2008_to_2019() {
        let m = plan(&host("6.0.6003", 6003, 10, Arch::X64, 3), Target::Ws2019, day());
        let m = m.map_err(|e| e.to_string());
        let Ok(m) = m else { panic!("{m:?}") };
        assert_eq!(chains(&m), ["2012>2012 R2>2019", "2012>2016>2019"]);
        let first = &m.paths[0].hops[0];
        assert_eq!(first.edition, "Standard or Datacenter");
        assert_eq!(first.requires[0].text, "Service Pack 2 (installed)");
        let refused: Vec<String> =
            m.refused_shortcuts.iter().map(|r| format!("{}>{}", r.from.key(), r.to.key())).collect();
        assert_eq!(refused, ["2008>2008r2", "2008>2012r2", "2008>2016", "2008>2019", "2012>2019"]);
        assert_eq!(m.recommendation.kind, PathKind::SideBySide);
        assert_eq!(m.lifecycle.extended_end.map(|d| d.to_string()).as_deref(), Some("2020-01-14"));
        assert_eq!(
            m.lifecycle.milestones.iter().find(|x| x.what == "extended support").map(|x| x.days_ago),
            Some(2192)
        );
    }

    #[test]
    fn x86_and_itanium_are_blocked() {
        for arch in [Arch::X86, Arch::Ia64] {
            let Ok(m) = plan(&host("6.0.6002", 6002, 10, arch, 3), Target::Ws2022, day()) else { panic!() };
            assert_eq!(m.paths.len(), 3);
            assert!(!m.paths[0].supported);
            assert!(m.paths[0].hops.is_empty());
            assert!(!m.paths[0].blocked_by.is_empty());
            assert!(m.paths[1].supported);
            assert!(!m.paths[2].supported);
            assert_eq!(m.recommendation.kind, PathKind::SideBySide);
            assert!(m.refused_shortcuts.is_empty());
        }
    }

    #[test]
    fn r2_sp1_to_2025_is_in_place_two_hops() {
        let Ok(m) = plan(&host("6.1.7601", 7601, 10, Arch::X64, 3), Target::Ws2025, day()) else { panic!() };
        assert_eq!(chains(&m), ["2012 R2>2025"]);
        assert_eq!(m.recommendation.kind, PathKind::InPlace);
        assert_eq!(m.paths[0].hops[0].requires[0].text, "Service Pack 1 (installed)");
    }

    #[test]
    fn rtm_needs_service_pack_first() {
        let Ok(m) = plan(&host("6.1.7600", 7600, 7, Arch::X64, 3), Target::Ws2019, day()) else { panic!() };
        assert_eq!(
            m.paths[0].hops[0].requires[0].text,
            "Service Pack 1 (this host has service pack 0: install Service Pack 1 first)"
        );
    }

    #[test]
    fn domain_controller_caveats() {
        let Ok(m) = plan(&host("6.0.6002", 6002, 8, Arch::X64, 2), Target::Ws2019, day()) else { panic!() };
        assert!(m.host.domain_controller);
        assert_eq!(m.caveats.len(), 4);
        assert_eq!(m.caveats.iter().filter(|c| c.blocks).count(), 2);
        assert_eq!(m.recommendation.kind, PathKind::SideBySide);
        assert!(m.recommendation.summary.contains("domain controllers"));
    }

    #[test]
    fn other_windows_is_refused() {
        let h = host("6.3.9600", 9600, 7, Arch::X64, 3);
        assert!(matches!(plan(&h, Target::Ws2019, day()), Err(NotMigratable::Unsupported(_))));
    }

    #[test]
    fn edition_rules() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let table = "Standard>Standard|Datacenter;Enterprise>Standard|Datacenter;Datacenter>Datacenter;Web>Standard";
        assert_eq!(apply_edition_rule(table, &s(&["Enterprise"])), s(&["Standard", "Datacenter"]));
        assert_eq!(apply_edition_rule(table, &s(&["Web"])), s(&["Standard"]));
        assert_eq!(apply_edition_rule(table, &s(&["Foundation"])), Vec::<String>::new());
        assert_eq!(apply_edition_rule("*", &s(&["Datacenter"])), s(&["Datacenter"]));
        assert_eq!(apply_edition_rule("*", &s(&["Standard without Hyper-V"])), s(&["Standard", "Datacenter"]));
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;
    use w2k8_core::{Evidence, Observed};
    use w2k8_inventory::Facts;

    fn o<T>(v: T) -> Option<Observed<T>> {
        Some(Observed::new(v, Evidence::new("x", "f.txt", Some(1))))
    }

    proptest! {
        /// Any combination of facts plans or is refused; it never panics, and a
        /// plan always has a side-by-side and a cloud path.
        #[test]
        fn any_facts_never_panic(
            name in "\\PC{0,60}",
            version in "[0-9.]{0,10}",
            build in 0u32..20000,
            sku in 0u32..80,
            arch in 0u8..4,
            sp in proptest::option::of(0u32..4),
            pt in 0u32..4,
            config in "\\PC{0,30}",
            t in 0u8..3,
        ) {
            let arch = match arch { 0 => Some(Arch::X86), 1 => Some(Arch::X64), 2 => Some(Arch::Ia64), _ => None };
            let host = Host {
                facts: Facts {
                    os_name: o(name),
                    os_version: o(version),
                    build: o(build),
                    os_sku: o(sku),
                    arch: arch.and_then(o),
                    service_pack_number: sp.and_then(o),
                    product_type: o(pt),
                    os_configuration: o(config),
                    ..Facts::default()
                },
                ..Host::default()
            };
            let target = [Target::Ws2019, Target::Ws2022, Target::Ws2025][usize::from(t)];
            if let Ok(m) = plan(&host, target, Date::from_days(20_000)) {
                prop_assert!(m.paths.iter().any(|p| p.kind == PathKind::SideBySide && p.supported));
                prop_assert!(m.paths.iter().any(|p| p.kind == PathKind::Cloud));
                let _ = crate::render::text(&m);
                let _ = crate::render::markdown(&m);
            }
        }
    }
}
