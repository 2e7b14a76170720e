//! What a Windows Server 2008 host is missing and which CVEs are still open
//! on it: the output of `w2k8 assess`.
//!
//! The rules, each from the servicing model the data and its sources
//! describe:
//!
//! * **Cumulative rollups.** Each Security Monthly Quality Rollup contains
//!   every fix of the earlier rollups and of the security-only updates of its
//!   own and earlier months, from the start of the model (Microsoft,
//!   "Simplified servicing for Windows 7 and Windows 8.1: the latest
//!   improvements": "installing the latest Monthly Rollup will ensure you
//!   have all fixes since the start of the model"). For Windows Server 2008
//!   SP2 the model starts in September 2018 (`data/servicing/`). So a
//!   rollup or security-only update of a month up to the newest installed
//!   rollup (or the kernel's rollup level) is not missing, and the smallest
//!   set that covers every later month is one update: the newest rollup.
//! * **Supersedence.** An installed update makes every update it supersedes,
//!   directly or through a chain (MSRC's `Supersedes`), unnecessary. Chains
//!   may hold cycles and targets outside the catalog: the walks
//!   ([`crate::supersede`]) terminate and report them.
//! * **CVE closure.** A CVE is open on the host only if no update that fixes
//!   it on one of the host's products is installed, superseded by an
//!   installed update, or contained in an installed rollup. Either twin
//!   (rollup or security-only) closes it.
//! * **Honesty about old updates.** The rollups are not stated to contain
//!   fixes released before the model started. A stand-alone update of that
//!   era (released before 2018-09-11, or with a KB number below the first
//!   rollup's, KB4458010, when MSRC re-posted it later) that no
//!   supersedence chain connects to an installed or rollup-era update is
//!   reported as `unknown`, with the reason, never as `missing`.
//! * **Products.** The host's rows are chosen by architecture and Server Core
//!   (full-install rows when the bundle does not tell, said in a note);
//!   Internet Explorer and .NET Framework rows only when the bundle shows
//!   that version installed; other components are "not assessed".
//! * **Servicing stacks.** An installed servicing stack update closes what
//!   an older SSU fixes (e.g. CVE-2020-1346, fixed by the July 2020 SSU
//!   KB4565353): an SSU replaces the servicing stack as a whole. This is an
//!   assumption, not a statement of the MSRC data, which gives no
//!   supersedence between 2008 SP2 SSUs.
//! * **Programmes.** Updates released after the chosen programme ended are
//!   not "missing": their CVEs are "no fix available to you".
use crate::programme::{self, Programme, ProgrammeChoice};
use crate::standing::{standing, NotAssessed, Standing};
use crate::supersede;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use w2k8_catalog::{facts, Catalog, Cve, OsFamily, Severity, Update, UpdateKind};
use w2k8_core::hash::{FastMap, FastSet};
use w2k8_core::{Arch, Date, Evidence, Kb};
use w2k8_inventory::Host;

/// The first Windows Server 2008 SP2 monthly rollup (September 2018): the
/// start of the rollup model.
const FIRST_ROLLUP: u32 = 4_458_010;

/// Options of an assessment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The programme (`--esu`); inferred from the installed updates when `None`.
    pub programme: Option<Programme>,
}

/// One update the host should install.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// The KB.
    pub kb: Kb,
    /// Its title, when known.
    pub title: Option<String>,
    /// Release date (or the first day of the sourced month).
    pub released: Option<Date>,
    /// Kind of update.
    pub kind: UpdateKind,
    /// The KBs it supersedes directly, as MSRC states.
    pub supersedes: Vec<Kb>,
    /// The other not-installed updates it makes unnecessary (for a rollup: the
    /// later rollups it contains), ascending by date.
    pub replaces: Vec<Kb>,
    /// The CVEs open on this host that it closes.
    pub cves: Vec<String>,
    /// The highest severity over those CVEs.
    pub max_severity: Option<Severity>,
    /// How many of those CVEs are in CISA KEV.
    pub kev_count: usize,
    /// Why it is in the list.
    pub why: String,
}

/// KEV membership as the exposure list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KevRef {
    /// The date CISA added it.
    pub date_added: Date,
    /// Known ransomware campaign use.
    pub ransomware: bool,
}

/// Whether a fix for an open CVE can be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixStatus {
    /// An update in the chosen programme fixes it.
    FixAvailable,
    /// Only updates released after the programme ended fix it.
    NoFixAvailableToYou,
}

/// One CVE open on the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exposure<'c> {
    /// `CVE-YYYY-NNNN` (or an MSRC advisory id).
    pub cve: &'c str,
    /// MSRC's title.
    pub title: &'c str,
    /// The affected component.
    pub component: &'c str,
    /// Highest severity.
    pub severity: Severity,
    /// Impact, e.g. `Remote Code Execution`.
    pub impact: &'c str,
    /// The updates that fix it on this host's products (for old stand-alone
    /// fixes: the rollup-era updates that supersede them), ascending.
    pub fixed_by: Vec<Kb>,
    /// Whether the programme gives access to one of them.
    pub status: FixStatus,
    /// For `no_fix_available_to_you`: the day the programme's updates ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programme_ended: Option<Date>,
    /// CISA KEV: date added and ransomware use, or null.
    pub kev: Option<KevRef>,
    /// Public exploit links from the data.
    pub exploits: &'c [String],
}

/// An old update whose status the data cannot establish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unknown {
    /// The KB (the end of its supersedence chain).
    pub kb: Kb,
    /// Its title, when known.
    pub title: Option<String>,
    /// Its release date.
    pub released: Option<Date>,
    /// Why the answer is "unknown".
    pub reason: String,
    /// The CVEs on this host whose only fixes lead to it.
    pub cves: Vec<String>,
}

/// A product other than the OS: assessed or not, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// The component as MSRC names it, e.g. `Internet Explorer 9`.
    pub name: String,
    /// True when the bundle shows it installed and its rows were used.
    pub assessed: bool,
    /// What the bundle shows, or `not assessed: not in the bundle`.
    pub detail: String,
    /// Where the bundle shows it.
    pub evidence: Option<Evidence>,
}

/// Which track (monthly rollup or security-only) the answer recommends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackAdvice {
    /// The track the installed updates follow (`monthly_rollup`, `security_only`, `mixed`, or null).
    pub current: Option<String>,
    /// The recommended track.
    pub recommended: String,
    /// Why.
    pub why: String,
    /// The security-only updates that staying on that track would need instead, oldest first.
    pub security_only_alternative: Vec<Kb>,
}

/// Counts for a summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Updates in `missing`.
    pub missing: usize,
    /// CVEs in `exposure`.
    pub open_cves: usize,
    /// Of those, with a fix available in the programme.
    pub open_with_fix: usize,
    /// Of those, with no fix available in the programme.
    pub no_fix_available: usize,
    /// Of the open CVEs, in CISA KEV.
    pub open_in_kev: usize,
    /// CVEs of the host's products closed by installed updates.
    pub closed_cves: usize,
    /// Updates in `unknown`.
    pub unknown_updates: usize,
    /// CVEs whose status is unknown (their only fixes are in `unknown`).
    pub unknown_cves: usize,
    /// CVEs listed as affecting the host's products with no update in the data.
    pub no_update_in_data: usize,
}

/// The assessment of one host: its standing, plus what is missing, what is
/// open and what the data cannot tell.
///
/// JSON contract: every field of [`Standing`] (flattened), plus `missing`
/// (`{kb, title, released, kind, supersedes, cves, max_severity,
/// kev_count}`...), `exposure` (`{cve, severity, impact, fixed_by, kev:
/// {date_added, ransomware} | null, exploits}`...), `unknown` (`{kb,
/// reason}`...); the other fields may grow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment<'c> {
    /// Where the host stands.
    #[serde(flatten)]
    pub standing: Standing,
    /// The programme that decides which later updates count.
    pub programme: ProgrammeChoice,
    /// The MSRC product rows used for this host.
    pub products_assessed: Vec<String>,
    /// Products other than the OS: assessed or not.
    pub components: Vec<Component>,
    /// The recommended track.
    pub track_advice: TrackAdvice,
    /// The smallest set of updates that brings the host current, in install order.
    pub missing: Vec<Missing>,
    /// Open CVEs, riskiest first.
    pub exposure: Vec<Exposure<'c>>,
    /// Old updates whose status the data cannot establish.
    pub unknown: Vec<Unknown>,
    /// Findings that come before any update (e.g. Service Pack 2 not
    /// installed); each makes the exit code 1.
    pub blocking: Vec<String>,
    /// Counts.
    pub summary: Summary,
    /// About the assessment itself (product rows chosen, data issues met).
    pub assessment_notes: Vec<String>,
}

impl Assessment<'_> {
    /// True when nothing is missing and no CVE is open: exit code 0.
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.exposure.is_empty() && self.blocking.is_empty()
    }

    /// Keeps the exposure entries that pass `keep`, and the missing updates
    /// that close one of them (with the prerequisites of those), and
    /// recounts. For `--kev-only`, `--min-severity`, `--exploited`.
    pub fn filter(&mut self, keep: impl Fn(&Exposure) -> bool) {
        self.exposure.retain(|e| keep(e));
        let open: FastSet<&str> = self.exposure.iter().map(|e| e.cve).collect();
        let mut kept: Vec<Missing> = Vec::new();
        let main: Vec<&Missing> = self
            .missing
            .iter()
            .filter(|m| !is_prerequisite_kind(m.kind) || m.cves.iter().any(|c| open.contains(c.as_str())))
            .collect();
        let any_main = main.iter().any(|m| m.cves.iter().any(|c| open.contains(c.as_str())));
        for m in &self.missing {
            let closes = m.cves.iter().any(|c| open.contains(c.as_str()));
            if closes || (is_prerequisite_kind(m.kind) && any_main) {
                let mut m = m.clone();
                m.cves.retain(|c| open.contains(c.as_str()));
                kept.push(m);
            }
        }
        self.missing = kept;
        self.summary.missing = self.missing.len();
        self.summary.open_cves = self.exposure.len();
        self.summary.open_with_fix = self.exposure.iter().filter(|e| e.status == FixStatus::FixAvailable).count();
        self.summary.no_fix_available = self.summary.open_cves - self.summary.open_with_fix;
        self.summary.open_in_kev = self.exposure.iter().filter(|e| e.kev.is_some()).count();
    }
}

fn is_prerequisite_kind(k: UpdateKind) -> bool {
    matches!(k, UpdateKind::Ssu | UpdateKind::Sha2 | UpdateKind::EsuPrep)
}

/// The era of an update, for the containment rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Era {
    /// A rollup or security-only update (cumulative rules apply).
    Monthly,
    /// Any other update from the rollup era on (SSU, SHA-2, ESU, stand-alone, out-of-band).
    Modern,
    /// A stand-alone update from before the rollups.
    PreRollup,
}

fn era(u: &Update) -> Era {
    match u.kind {
        UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly => Era::Monthly,
        UpdateKind::Ssu | UpdateKind::Sha2 | UpdateKind::EsuPrep => Era::Modern,
        _ => {
            let first = Date::new(2018, 9, 11);
            let old_date = match (u.released, first) {
                (Some(d), Some(f)) => d < f,
                _ => false,
            };
            if old_date || u.kb.number() < FIRST_ROLLUP {
                Era::PreRollup
            } else {
                Era::Modern
            }
        }
    }
}

/// Assesses `host` as of `today`.
pub fn assess<'c>(
    host: &Host,
    catalog: &'c Catalog,
    today: Date,
    opts: &Options,
) -> Result<Assessment<'c>, NotAssessed> {
    let st = standing(host, catalog, today)?;
    Ok(assess_standing(st, host, catalog, opts))
}

/// The host's product rows and the component statuses.
struct Products {
    rows: Vec<u16>,
    names: Vec<String>,
    components: Vec<Component>,
    notes: Vec<String>,
}

fn dotnet_component(shown: &str) -> Vec<&'static str> {
    match shown {
        "2.0 SP2" => vec!["Microsoft .NET Framework 2.0 Service Pack 2"],
        "3.0 SP2" => vec!["Microsoft .NET Framework 3.0 Service Pack 2"],
        "3.5 SP1" => vec!["Microsoft .NET Framework 3.5 Service Pack 1", "Microsoft .NET Framework 3.5"],
        "3.5" => vec!["Microsoft .NET Framework 3.5"],
        "4.5.2" => vec!["Microsoft .NET Framework 4.5.2"],
        "4.6" | "4.6.1" => vec!["Microsoft .NET Framework 4.6"],
        "4.6.2" => vec!["Microsoft .NET Framework 4.6.2"],
        _ => vec![],
    }
}

fn products(st: &Standing, host: &Host, catalog: &Catalog) -> Products {
    let mut notes = Vec::new();
    let arch = match st.arch {
        Some(a) => a,
        None => {
            notes.push("the bundle does not show the architecture: the x64 product rows were used".to_string());
            Arch::X64
        }
    };
    let core = match st.server_core {
        Some(c) => c,
        None => {
            notes.push("the bundle does not say whether this is a Server Core installation (no OperatingSystemSKU): the full-installation product rows were used".to_string());
            false
        }
    };
    // MSRC names without a service pack mean the release as shipped (build 6001).
    let sp: u8 = if st.build == Some(6001) || st.service_pack == Some(1) { 0 } else { 2 };
    let f = &host.facts;
    let ie_major: Option<(String, &Evidence)> =
        f.ie_version.as_ref().and_then(|v| v.value.split('.').next().map(|m| (m.trim().to_string(), &v.evidence)));
    let mut rows = Vec::new();
    let mut names = Vec::new();
    let mut comps: BTreeMap<String, Component> = BTreeMap::new();
    for (i, p) in catalog.products().iter().enumerate() {
        if p.os != OsFamily::Ws2008 || p.service_pack != sp || p.arch != arch {
            continue;
        }
        let Ok(idx) = u16::try_from(i) else { continue };
        match &p.component {
            None => {
                if p.server_core == core {
                    rows.push(idx);
                    names.push(p.name.clone());
                }
            }
            Some(c) => {
                let shown: Option<(String, Evidence)> = if let Some(v) = c.strip_prefix("Internet Explorer ") {
                    ie_major.as_ref().filter(|(m, _)| m == v.trim()).map(|(m, e)| {
                        (
                            format!(
                                "Internet Explorer {m} ({})",
                                f.ie_version.as_ref().map(|o| o.value.as_str()).unwrap_or("")
                            ),
                            (*e).clone(),
                        )
                    })
                } else if c.starts_with("Microsoft .NET Framework") {
                    f.dotnet
                        .iter()
                        .find(|d| dotnet_component(&d.value).contains(&c.as_str()))
                        .map(|d| (format!(".NET Framework {}", d.value), d.evidence.clone()))
                } else {
                    None
                };
                let wanted_core = p.server_core == core;
                match shown {
                    Some((detail, ev)) => {
                        if wanted_core {
                            rows.push(idx);
                            names.push(p.name.clone());
                        }
                        comps.insert(
                            c.clone(),
                            Component {
                                name: c.clone(),
                                assessed: true,
                                detail: format!("installed: {detail}"),
                                evidence: Some(ev),
                            },
                        );
                    }
                    None => {
                        comps.entry(c.clone()).or_insert_with(|| {
                            let what = if c.starts_with("Internet Explorer") {
                                match &f.ie_version {
                                    Some(v) => format!("not installed: the bundle shows Internet Explorer {}", v.value),
                                    None => "not assessed: not in the bundle (add reg-ie.txt)".to_string(),
                                }
                            } else if c.starts_with("Microsoft .NET Framework") {
                                if f.dotnet.is_empty() {
                                    "not assessed: not in the bundle (add reg-dotnet.txt)".to_string()
                                } else {
                                    let shown: Vec<&str> = f.dotnet.iter().map(|d| d.value.as_str()).collect();
                                    format!("not installed: the bundle shows .NET Framework {}", shown.join(", "))
                                }
                            } else {
                                "not assessed: not in the bundle".to_string()
                            };
                            Component { name: c.clone(), assessed: false, detail: what, evidence: None }
                        });
                    }
                }
            }
        }
    }
    if rows.is_empty() {
        notes.push(format!(
            "the catalog has no MSRC product rows for Windows Server 2008 {} {}{}: no CVE can be assessed",
            if sp == 0 { "RTM" } else { "SP2" },
            arch.as_str(),
            if core { " Server Core" } else { "" }
        ));
    }
    Products { rows, names, components: comps.into_values().collect(), notes }
}

/// Completes a standing into an assessment.
pub fn assess_standing<'c>(st: Standing, host: &Host, catalog: &'c Catalog, opts: &Options) -> Assessment<'c> {
    let installed: BTreeSet<Kb> = host.kbs();
    let installed_v: Vec<Kb> = installed.iter().copied().collect();
    let prog = programme::choose(opts.programme, &installed_v, catalog);
    let end = prog.ends;
    let prods = products(&st, host, catalog);
    let mut is_row: Vec<bool> = vec![false; catalog.products().len()];
    for r in &prods.rows {
        if let Some(slot) = is_row.get_mut(usize::from(*r)) {
            *slot = true;
        }
    }
    let row = |p: &u16| is_row.get(usize::from(*p)).copied().unwrap_or(false);
    let mut notes = prods.notes.clone();

    let down = |k: Kb| catalog.update(k).map(|u| u.supersedes.clone()).unwrap_or_default();
    let up = |k: Kb| catalog.superseded_by(k);
    let covered: FastSet<Kb> = supersede::closure(installed.iter().copied(), down);
    let released = |u: &Update| programme::release_or_month(u);
    // An update with no sourced release day or month (e.g. the PrintNightmare
    // out-of-band pair) is dated by its earliest MSRC posting, so that a
    // programme that ended before it does not count it as available.
    let posted = |u: &Update| -> Option<Date> {
        catalog
            .cves_fixed_by(u.kb)
            .iter()
            .flat_map(|c| c.fixes.iter())
            .filter(|f| f.kb == u.kb)
            .filter_map(|f| f.posted)
            .min()
    };
    let available = |u: &Update| released(u).or_else(|| posted(u)).is_none_or(|d| d <= end);

    // Cumulative level: the newest installed rollup, or the kernel's rollup level.
    let rollup_level: Option<u32> = {
        let newest = installed
            .iter()
            .filter_map(|k| catalog.update(*k))
            .filter(|u| u.kind == UpdateKind::MonthlyRollup)
            .filter_map(|u| u.released)
            .max()
            .map(month_key);
        let kernel = st.kernel_level.as_ref().and_then(|k| k.released).map(month_key);
        newest.max(kernel)
    };
    let applies = |u: &Update| u.products.is_empty() || u.products.iter().any(row);
    // For a successor in a chain: it must name one of the host's products.
    let names_host = |u: &Update| u.products.iter().any(row);
    let month_of = |u: &Update| u.released.map(month_key);
    // The newest servicing stack installed: it replaces the older ones.
    let newest_ssu: Option<Date> = installed
        .iter()
        .filter_map(|k| catalog.update(*k))
        .filter(|u| u.kind == UpdateKind::Ssu)
        .filter_map(released)
        .max();
    let closes = |kb: Kb| -> bool {
        if covered.contains(&kb) {
            return true;
        }
        match catalog.update(kb) {
            Some(u) if u.kind == UpdateKind::Ssu => {
                matches!((released(u), newest_ssu), (Some(d), Some(n)) if d <= n)
            }
            Some(u) if era(u) == Era::Monthly => {
                matches!((month_of(u), rollup_level), (Some(m), Some(l)) if m <= l)
            }
            _ => false,
        }
    };

    // The newest rollup available to this host and its gap months.
    let rollups: Vec<&Update> =
        catalog.rollups(OsFamily::Ws2008).into_iter().filter(|u| applies(u) && u.released.is_some()).collect();
    let through: Option<u32> = st.patched_through.as_deref().and_then(parse_month);
    let gap: Vec<&Update> = rollups
        .iter()
        .copied()
        .filter(|u| available(u))
        .filter(|u| match (through, month_of(u)) {
            (Some(t), Some(m)) => m > t,
            _ => true,
        })
        .filter(|u| !closes(u.kb))
        .collect();
    let target: Option<&Update> = gap.last().copied();
    let target_month = target.and_then(month_of);
    let target_closure: FastSet<Kb> = target.map(|t| supersede::closure([t.kb], down)).unwrap_or_default();
    let closes_after = |kb: Kb| -> bool {
        if closes(kb) || target_closure.contains(&kb) {
            return true;
        }
        match (catalog.update(kb), target_month) {
            (Some(u), Some(tm)) if era(u) == Era::Monthly => month_of(u).is_some_and(|m| m <= tm),
            _ => false,
        }
    };

    // CVEs.
    let mut exposure: Vec<Exposure> = Vec::new();
    let mut unknown: BTreeMap<Kb, UnknownAcc<'_>> = BTreeMap::new();
    // Stand-alone updates of the rollup era released up to this month may be
    // contained in a rollup the host has (or will have): the data does not say.
    let horizon: Option<u32> = rollup_level.max(target_month);
    let mut summary = Summary::default();
    let mut head_memo: FastMap<Kb, supersede::Heads> = FastMap::default();
    let mut info_of: FastMap<&str, (Severity, bool)> = FastMap::default();
    let mut fixes: Vec<Kb> = Vec::new();
    let mut modern: Vec<Kb> = Vec::new();
    let mut old_heads: Vec<(Kb, Kb, bool)> = Vec::new();
    let index = cve_index(catalog, &prods.rows, &row);
    let all_cves = catalog.cves();
    for entry in index.iter() {
        let Some(c) = all_cves.get(entry.cve as usize) else { continue };
        fixes.clear();
        fixes.extend_from_slice(&entry.fixes);
        if fixes.is_empty() {
            summary.no_update_in_data += 1;
            continue;
        }
        if fixes.iter().any(|k| closes(*k)) {
            summary.closed_cves += 1;
            continue;
        }
        // Rollup-era fixes, directly or as the successors of old ones.
        modern.clear();
        old_heads.clear();
        for &f in &fixes {
            let Some(u) = catalog.update(f) else {
                modern.push(f);
                continue;
            };
            if era(u) != Era::PreRollup {
                modern.push(f);
                continue;
            }
            let h: &supersede::Heads = match heads_table(catalog).and_then(|t| t.get(&f)) {
                Some(h) => h,
                None => head_memo.entry(f).or_insert_with(|| supersede::heads(f, up)),
            };
            let mut linked = false;
            for e in &h.ends {
                if *e != f && catalog.update(*e).is_some_and(|s| era(s) != Era::PreRollup && names_host(s)) {
                    modern.push(*e);
                    linked = true;
                }
            }
            if !linked {
                for e in &h.ends {
                    old_heads.push((*e, f, h.cycle));
                }
            }
        }
        modern.sort_unstable();
        modern.dedup();
        if modern.is_empty() {
            for &(head, via, cycle) in &old_heads {
                let entry = unknown.entry(head).or_default();
                entry.cves.push(c.id.as_str());
                if via != head {
                    entry.via.insert(via);
                }
                entry.cycle |= cycle;
            }
            summary.unknown_cves += 1;
            continue;
        }
        if modern.iter().any(|k| closes(*k)) {
            summary.closed_cves += 1;
            continue;
        }
        // Only stand-alone rollup-era fixes, released up to the rollup the
        // host has or is told to install: containment unknown.
        let uncertain = |k: &Kb| {
            catalog.update(*k).is_some_and(|u| {
                era(u) == Era::Modern
                    && !is_prerequisite_kind(u.kind)
                    && matches!((month_of(u), horizon), (Some(m), Some(h)) if m <= h)
            })
        };
        if modern.iter().all(uncertain) {
            for k in &modern {
                let entry = unknown.entry(*k).or_default();
                entry.cves.push(c.id.as_str());
                entry.standalone = true;
            }
            summary.unknown_cves += 1;
            continue;
        }
        let fixed_by: Vec<Kb> = modern.clone();
        let any_available = fixed_by.iter().any(|k| catalog.update(*k).is_none_or(available));
        info_of.insert(c.id.as_str(), (c.severity, c.kev.is_some()));
        exposure.push(exposure_of(c, fixed_by, any_available, end));
    }
    exposure.sort_by(|a, b| risk_key(b).cmp(&risk_key(a)).then_with(|| a.cve.cmp(b.cve)));

    // The smallest set: the newest rollup, then updates for what it leaves open.
    let mut missing: Vec<Missing> = Vec::new();
    let open_available: Vec<&Exposure> = exposure.iter().filter(|e| e.status == FixStatus::FixAvailable).collect();
    let cve_info = |ids: &[String]| -> (Option<Severity>, usize) {
        let sev = ids.iter().filter_map(|i| info_of.get(i.as_str()).map(|x| x.0)).max();
        let kev = ids.iter().filter(|i| info_of.get(i.as_str()).is_some_and(|x| x.1)).count();
        (sev, kev)
    };
    let mut remaining: Vec<&Exposure> = Vec::new();
    if let Some(t) = target {
        let mut closed_by_t: Vec<String> = Vec::new();
        for e in &open_available {
            if e.fixed_by.iter().any(|k| closes_after(*k)) {
                closed_by_t.push(e.cve.to_string());
            } else {
                remaining.push(e);
            }
        }
        closed_by_t.sort();
        let replaces: Vec<Kb> = gap.iter().filter(|u| u.kb != t.kb).map(|u| u.kb).collect();
        let (sev, kev) = cve_info(&closed_by_t);
        let why = format!(
            "the newest monthly rollup available to this host ({}); it is cumulative, so it also brings the {} later rollup(s) after {} and their security-only twins",
            prog.programme.as_str(),
            replaces.len(),
            st.patched_through.as_deref().unwrap_or("the start of the rollups (2018-09)"),
        );
        missing.push(missing_of(t, replaces, closed_by_t, sev, kev, why));
    } else {
        remaining = open_available.clone();
    }
    // Greedy cover of what is left.
    let mut left: Vec<(&str, Vec<Kb>)> = remaining
        .iter()
        .map(|e| {
            let fixes: Vec<Kb> =
                e.fixed_by.iter().copied().filter(|k| catalog.update(*k).is_none_or(available)).collect();
            (e.cve, fixes)
        })
        .collect();
    let mut guard = 0;
    while !left.is_empty() && guard < 10_000 {
        guard += 1;
        let mut count: BTreeMap<Kb, usize> = BTreeMap::new();
        for (_, fx) in &left {
            for k in fx {
                *count.entry(*k).or_default() += 1;
            }
        }
        let best =
            count.iter().max_by_key(|(k, n)| (**n, catalog.update(**k).and_then(released), **k)).map(|(k, _)| *k);
        let Some(best) = best else { break };
        let mut ids: Vec<String> = Vec::new();
        left.retain(|(id, fx)| {
            if fx.contains(&best) {
                ids.push((*id).to_string());
                false
            } else {
                true
            }
        });
        ids.sort();
        let (sev, kev) = cve_info(&ids);
        match catalog.update(best) {
            Some(u) => {
                let why = format!(
                    "fixes {} open CVE(s) that no installed update{} closes",
                    ids.len(),
                    if target.is_some() { " nor the recommended rollup" } else { "" }
                );
                missing.push(missing_of(u, Vec::new(), ids, sev, kev, why));
            }
            None => missing.push(Missing {
                kb: best,
                title: None,
                released: None,
                kind: UpdateKind::Other,
                supersedes: Vec::new(),
                replaces: Vec::new(),
                cves: ids,
                max_severity: sev,
                kev_count: kev,
                why: "named as a fix in the data but not an update record of the catalog".to_string(),
            }),
        }
    }

    // Prerequisites, installed first.
    let mut prereq: Vec<Missing> = Vec::new();
    if !missing.is_empty() {
        let newest_needed = missing.iter().filter_map(|m| m.released).max();
        let has_kind = |k: UpdateKind| installed.iter().any(|kb| catalog.kind_of(*kb) == Some(k));
        let in_list = |kb: Kb, l: &[Missing]| l.iter().any(|m| m.kb == kb);
        // Servicing stack: the newest one released up to the newest needed update.
        let installed_ssu = newest_ssu;
        let ssu = catalog
            .updates_of_kind(UpdateKind::Ssu)
            .filter(|u| applies(u) && available(u))
            .filter(|u| match (released(u), newest_needed) {
                (Some(d), Some(n)) => d <= n,
                _ => false,
            })
            .max_by_key(|u| (released(u), u.kb));
        if let Some(s) = ssu {
            let newer = match (released(s), installed_ssu) {
                (Some(d), Some(i)) => d > i,
                (_, None) => true,
                _ => false,
            };
            if newer && !installed.contains(&s.kb) && !in_list(s.kb, &missing) {
                prereq.push(missing_of(
                    s,
                    Vec::new(),
                    Vec::new(),
                    None,
                    0,
                    "servicing stack update: install it first; a rollup installed on an older servicing stack can fail or roll back (the newest SSU released up to the newest update listed; per-rollup SSU prerequisites are not in the data)".to_string(),
                ));
            }
        }
        let sha2 = facts::sha2_update().value;
        let sha2_needed = facts::first_sha2_only_rollup().value;
        let sha2_date = catalog.update(sha2_needed).and_then(|u| u.released);
        // An installed update released after a cut-over proves the prerequisite works.
        let newest_installed = installed.iter().filter_map(|k| catalog.update(*k)).filter_map(released).max();
        let proven = |cut: Option<Date>| matches!((newest_installed, cut), (Some(n), Some(c)) if n >= c);
        if !has_kind(UpdateKind::Sha2) && !installed.contains(&sha2) && !proven(sha2_date) {
            if let (Some(n), Some(d)) = (newest_needed, sha2_date) {
                if n >= d {
                    if let Some(u) = catalog.update(sha2) {
                        prereq.push(missing_of(u, Vec::new(), Vec::new(), None, 0, "SHA-2 code signing support: updates released from July 2019 are SHA-2 signed only and do not install without it (KB4472027)".to_string()));
                    }
                }
            }
        }
        let esu = facts::esu_prep_package().value;
        let after_end = facts::extended_support_end().value.to_days().checked_add(1).map(Date::from_days);
        if prog.programme != Programme::None && !has_kind(UpdateKind::EsuPrep) && !proven(after_end) {
            if let Some(n) = newest_needed {
                if n > facts::extended_support_end().value {
                    if let Some(u) = catalog.update(esu) {
                        prereq.push(missing_of(u, Vec::new(), Vec::new(), None, 0, "ESU licensing preparation package: updates released after January 2020 install only with it and an activated ESU key".to_string()));
                    }
                }
            }
        }
    }
    // Install order: prerequisites (SSU, SHA-2, ESU preparation), then the rest.
    prereq.sort_by_key(|m| match m.kind {
        UpdateKind::Ssu => 0,
        UpdateKind::Sha2 => 1,
        _ => 2,
    });
    prereq.extend(missing);
    // Prerequisite kinds found by the CVE cover go first too (stable).
    prereq.sort_by_key(|m| match m.kind {
        UpdateKind::Ssu => 0,
        UpdateKind::Sha2 => 1,
        UpdateKind::EsuPrep => 2,
        _ => 3,
    });
    let missing = prereq;

    // Unknown.
    let unknown: Vec<Unknown> = unknown
        .into_iter()
        .map(|(kb, acc)| {
            let UnknownAcc { mut cves, via, cycle, standalone } = acc;
            cves.sort_unstable();
            cves.dedup();
            let u = catalog.update(kb);
            let when = u.and_then(|u| u.released).map(|d| d.to_string()).unwrap_or_else(|| "an undated release".to_string());
            let mut reason = if standalone {
                format!(
                    "a stand-alone update ({when}) outside the monthly rollups, released no later than the rollup this host has or is told to install ({}); the data lists no rollup or security-only update as a fix of its CVE(s) and no supersedence connects it to one, so it cannot tell whether the rollups contain its fix. The bundle does not list it as installed",
                    horizon.map(month_name).unwrap_or_else(|| "?".to_string())
                )
            } else { format!(
                "a stand-alone update ({when}) from before the Windows Server 2008 SP2 rollups began (September 2018, KB{FIRST_ROLLUP}); the rollups are cumulative only from then, and no supersedence chain in the data connects it to an installed or rollup-era update, so the data cannot tell whether a newer update contains its fix. The bundle does not list it as installed"
            ) };
            if !via.is_empty() {
                let v: Vec<String> = via.iter().map(Kb::to_string).collect();
                reason.push_str(&format!("; it supersedes {}, which fix(es) the same CVE(s)", v.join(", ")));
            }
            if cycle {
                reason.push_str("; its supersedence chain contains a cycle or a diamond (reported, not followed twice)");
            }
            Unknown {
                kb,
                title: u.and_then(|u| u.title.clone()),
                released: u.and_then(|u| u.released),
                reason,
                cves: cves.into_iter().map(str::to_string).collect(),
            }
        })
        .collect();

    // Track advice.
    let so_updates: Vec<&Update> = catalog.updates_of_kind(UpdateKind::SecurityOnly).collect();
    let so_alt: Vec<Kb> = gap
        .iter()
        .filter_map(|r| {
            let m = month_of(r)?;
            so_updates.iter().find(|s| month_of(s) == Some(m) && applies(s)).map(|s| s.kb)
        })
        .filter(|k| !installed.contains(k))
        .collect();
    let track_advice = match (&st.track, target) {
        (_, Some(t)) => TrackAdvice {
            current: st.track.clone(),
            recommended: "monthly_rollup".to_string(),
            why: format!(
                "one update, {}, brings every month up to {}: each monthly rollup contains all earlier rollups and security-only updates; the security-only track needs {} update(s), one per month, and no month may be skipped",
                t.kb,
                target_month.map(month_name).unwrap_or_else(|| "?".to_string()),
                so_alt.len()
            ),
            security_only_alternative: so_alt,
        },
        (Some(tr), None) => TrackAdvice {
            current: st.track.clone(),
            recommended: if tr == "security_only" { "security_only".to_string() } else { "monthly_rollup".to_string() },
            why: format!("the host is current on its track through {}", st.patched_through.as_deref().unwrap_or("?")),
            security_only_alternative: Vec::new(),
        },
        (None, None) => TrackAdvice {
            current: None,
            recommended: "monthly_rollup".to_string(),
            why: "no monthly rollup is available to this host in its programme".to_string(),
            security_only_alternative: Vec::new(),
        },
    };

    if !prods.components.iter().all(|c| c.assessed) {
        let n = prods.components.iter().filter(|c| !c.assessed).count();
        notes.push(format!("{n} product(s) besides the OS were not assessed (see components)"));
    }
    let cyc = data_cycles(catalog);
    if !cyc.is_empty() {
        notes.push(format!(
            "the catalog's supersedence data holds {} cycle edge(s) (e.g. {} -> {}); walks stop at them",
            cyc.len(),
            cyc.first().map(|c| c.0.to_string()).unwrap_or_default(),
            cyc.first().map(|c| c.1.to_string()).unwrap_or_default()
        ));
    }
    if st.hotfix_summary.truncated {
        notes.push(
            "the hotfix list is truncated: some updates listed as missing or unknown may be installed".to_string(),
        );
    }

    summary.missing = missing.len();
    summary.open_cves = exposure.len();
    summary.open_with_fix = exposure.iter().filter(|e| e.status == FixStatus::FixAvailable).count();
    summary.no_fix_available = summary.open_cves - summary.open_with_fix;
    summary.open_in_kev = exposure.iter().filter(|e| e.kev.is_some()).count();
    summary.unknown_updates = unknown.len();

    let mut blocking = Vec::new();
    if st.build == Some(6001) || st.service_pack.is_some_and(|sp| sp < 2) {
        blocking.push(
            "Service Pack 2 is not installed: every update for Windows Server 2008 since July 2011, and every monthly rollup, requires it; install Service Pack 2 first, then assess again (the updates listed for this service pack level are old stand-alone updates)".to_string(),
        );
    }
    Assessment {
        blocking,
        standing: st,
        programme: prog,
        products_assessed: prods.names,
        components: prods.components,
        track_advice,
        missing,
        exposure,
        unknown,
        summary,
        assessment_notes: notes,
    }
}

/// A month as a number that orders: year * 12 + month.
fn month_key(d: Date) -> u32 {
    (d.year().max(0) as u32) * 12 + d.month()
}

/// `YYYY-MM` to [`month_key`].
fn parse_month(s: &str) -> Option<u32> {
    let (y, m) = s.split_once('-')?;
    let (y, m): (u32, u32) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some(y * 12 + m)
}

/// [`month_key`] back to `YYYY-MM`.
fn month_name(k: u32) -> String {
    let (y, m) = ((k - 1) / 12, (k - 1) % 12 + 1);
    format!("{y}-{m:02}")
}

/// What is gathered for one `unknown` entry.
#[derive(Debug, Default)]
struct UnknownAcc<'a> {
    cves: Vec<&'a str>,
    via: BTreeSet<Kb>,
    cycle: bool,
    /// A rollup-era stand-alone update (not a pre-rollup chain end).
    standalone: bool,
}

/// One CVE that affects a set of product rows: its index in
/// `Catalog::cves()` and its fixing KBs on those rows (sorted, unique).
struct CveRow {
    cve: u32,
    fixes: Vec<Kb>,
}

/// The CVEs (MSRC advisories left out: their updates are prerequisites, not
/// vulnerabilities) that affect the host's product rows, with their fixes on
/// those rows. The same rows recur across a fleet, so the index is built once
/// per row set and catalog and shared.
fn cve_index(catalog: &Catalog, rows: &[u16], row: &dyn Fn(&u16) -> bool) -> std::sync::Arc<Vec<CveRow>> {
    type Cache = std::sync::Mutex<FastMap<(usize, usize, Vec<u16>), std::sync::Arc<Vec<CveRow>>>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    // The catalog's address and size tell catalogs apart within a process.
    let key = (catalog as *const Catalog as usize, catalog.cves().len(), rows.to_vec());
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return hit;
    }
    let built: Vec<CveRow> = catalog
        .cves()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.id.starts_with("CVE-"))
        .filter_map(|(i, c)| {
            let mut fixes: Vec<Kb> = c.fixes.iter().filter(|f| row(&f.product)).map(|f| f.kb).collect();
            fixes.sort_unstable();
            fixes.dedup();
            let affected = !fixes.is_empty() || c.affected.iter().any(row);
            let cve = u32::try_from(i).ok()?;
            affected.then_some(CveRow { cve, fixes })
        })
        .collect();
    let built = std::sync::Arc::new(built);
    if let Ok(mut m) = cache.lock() {
        // A long-running process sees few distinct row sets; bound it anyway.
        if m.len() > 64 {
            m.clear();
        }
        m.insert(key, built.clone());
    }
    built
}

/// The chain ends of every pre-rollup update, computed once per process for
/// the first catalog assessed (they depend on the catalog only). `None` for
/// another catalog, whose heads are then computed per call.
fn heads_table(catalog: &Catalog) -> Option<&'static FastMap<Kb, supersede::Heads>> {
    static TABLE: std::sync::OnceLock<(usize, FastMap<Kb, supersede::Heads>)> = std::sync::OnceLock::new();
    let addr = catalog as *const Catalog as usize;
    let (owner, table) = TABLE.get_or_init(|| {
        let up = |k: Kb| catalog.superseded_by(k);
        let t = catalog
            .updates()
            .filter(|u| era(u) == Era::PreRollup)
            .map(|u| (u.kb, supersede::heads(u.kb, up)))
            .collect();
        (addr, t)
    });
    (*owner == addr).then_some(table)
}

/// Cycle edges of the whole catalog graph, computed once.
fn data_cycles(catalog: &Catalog) -> &'static [(Kb, Kb)] {
    static CYCLES: std::sync::OnceLock<Vec<(Kb, Kb)>> = std::sync::OnceLock::new();
    CYCLES.get_or_init(|| {
        supersede::back_edges(catalog.updates().map(|u| u.kb), |k| {
            catalog.update(k).map(|u| u.supersedes.clone()).unwrap_or_default()
        })
    })
}

/// KEV with ransomware use first, then KEV, then a public exploit, then severity.
fn risk_key(e: &Exposure) -> (bool, bool, bool, Severity) {
    let kev = e.kev.is_some();
    let ransom = e.kev.as_ref().is_some_and(|k| k.ransomware);
    (kev && ransom, kev, !e.exploits.is_empty(), e.severity)
}

fn exposure_of(c: &Cve, fixed_by: Vec<Kb>, available: bool, end: Date) -> Exposure<'_> {
    Exposure {
        cve: &c.id,
        title: &c.title,
        component: &c.component,
        severity: c.severity,
        impact: &c.impact,
        fixed_by,
        status: if available { FixStatus::FixAvailable } else { FixStatus::NoFixAvailableToYou },
        programme_ended: if available { None } else { Some(end) },
        kev: c.kev.as_ref().map(|k| KevRef { date_added: k.date_added, ransomware: k.ransomware }),
        exploits: &c.exploits,
    }
}

fn missing_of(
    u: &Update,
    replaces: Vec<Kb>,
    cves: Vec<String>,
    max_severity: Option<Severity>,
    kev_count: usize,
    why: String,
) -> Missing {
    Missing {
        kb: u.kb,
        title: u.title.clone(),
        released: programme::release_or_month(u),
        kind: u.kind,
        supersedes: u.supersedes.clone(),
        replaces,
        cves,
        max_severity,
        kev_count,
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use w2k8_core::Observed;
    use w2k8_inventory::{Facts, Hotfix};

    fn o<T>(v: T, file: &str, line: u32) -> Option<Observed<T>> {
        Some(Observed::new(v, Evidence::new("x", file, Some(line))))
    }

    pub(crate) fn host(arch: Arch, kbs: &[u32]) -> Host {
        Host {
            facts: Facts {
                host_name: o("SRV1".to_string(), "systeminfo.txt", 2),
                os_name: o("Microsoft Windows Server 2008 Standard".to_string(), "systeminfo.txt", 3),
                os_version: o("6.0.6003".to_string(), "systeminfo.txt", 4),
                build: o(6003, "systeminfo.txt", 4),
                service_pack_number: o(2, "systeminfo.txt", 4),
                arch: o(arch, "systeminfo.txt", 15),
                hotfixes: kbs
                    .iter()
                    .enumerate()
                    .map(|(i, n)| Hotfix {
                        id: format!("KB{n}"),
                        kb: Kb::new(*n),
                        installed_on: None,
                        description: None,
                        evidence: Evidence::new(format!("hotfix KB{n}"), "systeminfo.txt", Some(33 + i as u32)),
                    })
                    .collect(),
                ..Facts::default()
            },
            ..Host::default()
        }
    }

    fn today() -> Date {
        Date::new(2026, 11, 25).unwrap()
    }

    fn run(kbs: &[u32], programme: Option<Programme>) -> Assessment<'static> {
        assess(&host(Arch::X64, kbs), Catalog::embedded(), today(), &Options { programme }).unwrap()
    }

    fn kbs_of(m: &[Missing]) -> Vec<String> {
        m.iter().map(|m| m.kb.to_string()).collect()
    }

    /// The WES-NG false-positive host of issue 4: 566 "missing" there.
    #[test]
    fn wesng_false_positive_host_gets_the_short_answer() {
        let a = run(&[4474419, 4493730, 5073697], None);
        assert_eq!(a.programme.programme, Programme::Premium);
        // Only the SSU MSRC names as the fix of CVE-2020-1346 (Windows Modules Installer).
        assert_eq!(kbs_of(&a.missing), ["KB4565353"]);
        assert_eq!(a.missing[0].cves, ["CVE-2020-1346"]);
        assert_eq!(a.exposure.len(), 1);
        assert_eq!(a.exposure[0].cve, "CVE-2020-1346");
        assert!(a.exposure[0].kev.is_none());
        // Every rollup and security-only update is contained in the January 2026 rollup.
        assert!(a.missing.iter().all(|m| !matches!(m.kind, UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly)));
        assert!(a.summary.closed_cves > 2000, "{:?}", a.summary);
        // Old stand-alone updates the data cannot connect: unknown, with a reason.
        assert!(!a.unknown.is_empty());
        assert!(a.unknown.iter().all(|u| u.reason.contains("cannot tell")));
        assert_eq!(a.track_advice.recommended, "monthly_rollup");
        assert!(a.components.iter().all(|c| !c.assessed && c.detail.starts_with("not assessed")));
    }

    #[test]
    fn programme_decides_what_counts() {
        // Patched through 2019-06, nothing after.
        let none = run(&[4493730, 4503273], None);
        assert_eq!(none.programme.programme, Programme::None);
        let rollup = none.missing.iter().find(|m| m.kind == UpdateKind::MonthlyRollup).unwrap();
        assert_eq!(rollup.kb.to_string(), "KB4534303", "January 2020, the last one without ESU");
        assert!(none
            .exposure
            .iter()
            .any(|e| e.status == FixStatus::NoFixAvailableToYou && e.programme_ended == Date::new(2020, 1, 14)));
        assert!(!none.missing.iter().any(|m| m.kind == UpdateKind::EsuPrep));
        let esu = run(&[4493730, 4503273], Some(Programme::Esu));
        let rollup = esu.missing.iter().find(|m| m.kind == UpdateKind::MonthlyRollup).unwrap();
        assert_eq!(rollup.released.map(|d| d.to_string()).as_deref(), Some("2023-01-10"));
        assert!(esu.missing.iter().any(|m| m.kb.to_string() == "KB4538484"));
        assert!(esu.missing.iter().any(|m| m.kb.to_string() == "KB4474419"), "SHA-2 needed from July 2019");
        // Prerequisites come first.
        assert!(matches!(esu.missing[0].kind, UpdateKind::Ssu | UpdateKind::Sha2));
    }

    #[test]
    fn security_only_host_is_advised_one_rollup() {
        // 2018-09 .. 2018-11 security-only.
        let a = run(&[4457984, 4463104, 4467700], Some(Programme::Premium));
        assert_eq!(a.track_advice.current.as_deref(), Some("security_only"));
        assert_eq!(a.track_advice.recommended, "monthly_rollup");
        let rollups: Vec<&Missing> = a.missing.iter().filter(|m| m.kind == UpdateKind::MonthlyRollup).collect();
        assert_eq!(rollups.len(), 1);
        assert_eq!(rollups[0].kb.to_string(), "KB5073697");
        assert!(a.track_advice.security_only_alternative.len() > 80);
        assert!(a.track_advice.why.contains("KB5073697"));
    }

    #[test]
    fn either_twin_closes_a_cve() {
        // BlueKeep: May 2019 rollup KB4499149 or security-only KB4499180.
        for kb in [4499149, 4499180] {
            let a = run(&[kb], Some(Programme::None));
            assert!(a.exposure.iter().all(|e| e.cve != "CVE-2019-0708"), "KB{kb}");
        }
        let a = run(&[4493471], Some(Programme::None));
        let e = a.exposure.iter().find(|e| e.cve == "CVE-2019-0708").unwrap();
        assert_eq!(e.fixed_by.iter().map(|k| k.to_string()).collect::<Vec<_>>(), ["KB4499149", "KB4499180"]);
        assert!(e.kev.is_some());
        // KEV entries sort first.
        assert!(a.exposure.first().unwrap().kev.is_some());
    }

    #[test]
    fn filters_keep_the_updates_that_close_what_is_left() {
        let mut a = run(&[4493471], Some(Programme::Premium));
        let before = a.missing.len();
        a.filter(|e| e.kev.is_some());
        assert!(a.exposure.iter().all(|e| e.kev.is_some()));
        assert!(!a.exposure.is_empty());
        assert!(a.missing.len() <= before);
        assert!(a.missing.iter().any(|m| m.kind == UpdateKind::MonthlyRollup));
        assert_eq!(a.summary.open_cves, a.exposure.len());
        a.filter(|_| false);
        assert!(a.is_clean());
    }

    #[test]
    fn components_only_when_the_bundle_shows_them() {
        let mut h = host(Arch::X64, &[5073697, 4474419, 4493730]);
        h.facts.ie_version = o("9.0.8112.16421".to_string(), "reg-ie.txt", 7);
        h.facts.dotnet = vec![Observed::new("4.6.2".to_string(), Evidence::new("dotnet", "reg-dotnet.txt", Some(43)))];
        let a = assess(&h, Catalog::embedded(), today(), &Options::default()).unwrap();
        let ie = a.components.iter().find(|c| c.name == "Internet Explorer 9").unwrap();
        assert!(ie.assessed);
        assert_eq!(ie.evidence.as_ref().map(|e| e.location()).as_deref(), Some("reg-ie.txt:7"));
        assert!(a.components.iter().find(|c| c.name == "Microsoft .NET Framework 4.6.2").unwrap().assessed);
        let v35 = a.components.iter().find(|c| c.name == "Microsoft .NET Framework 3.5 Service Pack 1").unwrap();
        assert!(!v35.assessed && v35.detail.starts_with("not installed"));
        assert!(a
            .products_assessed
            .iter()
            .any(|p| p.starts_with("Internet Explorer 9 on Windows Server 2008 for x64")));
    }

    #[test]
    fn server_core_and_itanium_rows() {
        let mut h = host(Arch::Ia64, &[4493471]);
        h.facts.os_sku = o(12, "os.txt", 5); // PRODUCT_DATACENTER_SERVER_CORE
        let a = assess(&h, Catalog::embedded(), today(), &Options::default()).unwrap();
        assert!(a.products_assessed.iter().all(|p| p.contains("Itanium")), "{:?}", a.products_assessed);
        let h = host(Arch::X86, &[4493471]);
        let a = assess(&h, Catalog::embedded(), today(), &Options::default()).unwrap();
        assert_eq!(a.products_assessed, ["Windows Server 2008 for 32-bit Systems Service Pack 2"]);
        assert!(a.assessment_notes.iter().any(|n| n.contains("full-installation")));
    }

    #[test]
    fn rtm_host_is_told_to_install_sp2_first() {
        let mut h = host(Arch::X64, &[956250]);
        h.facts.build = o(6001, "systeminfo.txt", 4);
        h.facts.os_version = o("6.0.6001".to_string(), "systeminfo.txt", 4);
        h.facts.service_pack_number = o(1, "systeminfo.txt", 4);
        let a = assess(&h, Catalog::embedded(), today(), &Options::default()).unwrap();
        assert!(!a.is_clean());
        assert!(a.blocking[0].starts_with("Service Pack 2 is not installed"));
        assert_eq!(a.products_assessed, ["Windows Server 2008 for x64-based Systems"]);
    }

    /// KB5004959 (PrintNightmare, security-only, out of band, July 2021) has no
    /// sourced release day: its MSRC posting dates it, so a host without ESU is
    /// not told to install it.
    #[test]
    fn undated_updates_are_dated_by_their_msrc_posting() {
        let a = run(&[4474419, 4493730, 4534303], Some(Programme::None));
        assert!(
            a.missing.iter().all(|m| m.kb.number() != 5004959 && m.kb.number() != 5004955),
            "{:?}",
            kbs_of(&a.missing)
        );
        let pn = a.exposure.iter().find(|e| e.cve == "CVE-2021-34527").expect("PrintNightmare is open");
        assert_eq!(pn.status, FixStatus::NoFixAvailableToYou);
    }
}
