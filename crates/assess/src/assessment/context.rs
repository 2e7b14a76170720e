//! What every phase of an assessment asks of the host: which updates it has
//! (and what they supersede), its cumulative rollup level, its newest
//! servicing stack, its product rows and its programme.
use super::products::Products;
use crate::programme::{self, ProgrammeChoice};
use crate::standing::Standing;
use crate::supersede;
use std::collections::BTreeSet;
use w2k8_catalog::{Catalog, OsFamily, Update, UpdateKind};
use w2k8_core::hash::{FastMap, FastSet};
use w2k8_core::{Date, Kb};

/// The first Windows Server 2008 SP2 monthly rollup (September 2018): the
/// start of the rollup model on 2008.
pub(crate) const FIRST_ROLLUP: u32 = 4_458_010;
/// The first Windows Server 2008 R2 SP1 monthly rollup (October 2016).
pub(crate) const FIRST_ROLLUP_R2: u32 = 3_185_330;

/// A month as a number that orders: year * 12 + month.
pub(crate) fn month_key(d: Date) -> u32 {
    (d.year().max(0) as u32) * 12 + d.month()
}

/// [`month_key`] back to `YYYY-MM`.
pub(crate) fn month_name(k: u32) -> String {
    let (y, m) = (k.saturating_sub(1) / 12, k.saturating_sub(1) % 12 + 1);
    format!("{y}-{m:02}")
}

/// The era of an update, for the containment rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Era {
    /// A rollup or security-only update (cumulative rules apply).
    Monthly,
    /// Any other update from the rollup era on (SSU, SHA-2, ESU, stand-alone, out-of-band).
    Modern,
    /// A stand-alone update from before the rollups.
    PreRollup,
}

/// The era of `u`: by kind, then by release date or KB number against the
/// start of its OS's rollups. An update MSRC lists for both 2008 and 2008 R2
/// is judged by 2008's later start (September 2018): for an R2 host that
/// errs towards `unknown`, never towards closed.
pub(crate) fn era(u: &Update) -> Era {
    match u.kind {
        UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly => Era::Monthly,
        UpdateKind::Ssu | UpdateKind::Sha2 | UpdateKind::EsuPrep => Era::Modern,
        UpdateKind::ServicePack | UpdateKind::ConvenienceRollup => Era::PreRollup,
        _ => {
            let r2_only = u.applies_to(OsFamily::Ws2008R2) && !u.applies_to(OsFamily::Ws2008);
            let (first_day, first_kb) = if r2_only {
                (Date::new(2016, 10, 11), FIRST_ROLLUP_R2)
            } else {
                (Date::new(2018, 9, 11), FIRST_ROLLUP)
            };
            let old_date = matches!((u.released, first_day), (Some(d), Some(f)) if d < f);
            if old_date || u.kb.number() < first_kb {
                Era::PreRollup
            } else {
                Era::Modern
            }
        }
    }
}

/// Everything the rollups of `os` released up to month `m` ([`month_key`])
/// contain: the rollups themselves and what they supersede, transitively. A
/// rollup is cumulative, so what an earlier rollup superseded is in every
/// later one even where the data's chain between two months is broken (on
/// 2008 R2 the October 2019 rollup names only the out-of-band KB4524157,
/// which names nothing). Computed once per (catalog, OS, month).
pub(crate) fn rollups_contain(catalog: &Catalog, os: OsFamily, m: u32) -> std::sync::Arc<FastSet<Kb>> {
    type Key = (u64, OsFamily, u32);
    static CACHE: std::sync::OnceLock<std::sync::Mutex<FastMap<Key, std::sync::Arc<FastSet<Kb>>>>> =
        std::sync::OnceLock::new();
    let key = (catalog.instance(), os, m);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let roots = catalog.rollups(os).into_iter().filter(|u| month_of(u).is_some_and(|x| x <= m)).map(|u| u.kb);
    let set = std::sync::Arc::new(supersede::closure(roots, |k| supersedes(catalog, k)));
    if let Ok(mut c) = cache.lock() {
        // A bounded cache: one entry per month and OS for the embedded catalog.
        if c.len() < 4096 {
            c.insert(key, set.clone());
        }
    }
    set
}

/// The inputs of the verdicts on a host's CVEs ([`HostContext::verdict_key`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct VerdictKey {
    catalog: u64,
    os: OsFamily,
    rows: Vec<usize>,
    installed: Vec<Kb>,
    kernel_month: Option<u32>,
    complete: bool,
    horizon: Option<u32>,
}

/// The host as the phases of an assessment see it.
///
/// Everything it holds but the programme follows from the catalog, the OS
/// family, the product rows, the installed set, the kernel's month and the
/// completeness of the list ([`HostContext::new`]): the verdict memo of
/// `exposure` is keyed by those.
pub(crate) struct HostContext<'c> {
    /// The catalog the assessment reads.
    pub catalog: &'c Catalog,
    /// The host's OS family.
    pub os: OsFamily,
    /// The KBs the bundle lists as installed.
    pub installed: BTreeSet<Kb>,
    /// The programme that decides which later updates count.
    pub programme: ProgrammeChoice,
    /// Per product row of the catalog: is it one of the host's?
    is_row: Vec<bool>,
    /// The installed updates and everything they supersede, transitively.
    covered: FastSet<Kb>,
    /// The cumulative level: the newest installed rollup's month.
    pub rollup_level: Option<u32>,
    /// What the rollups up to that level contain ([`rollups_contain`]).
    level_contains: Option<std::sync::Arc<FastSet<Kb>>>,
    /// The month of the update the kernel shows in effect (rollup or
    /// security-only: it proves that month's fixes both carry, no other month).
    pub kernel_month: Option<u32>,
    /// The bundle lists the installed updates as a whole.
    pub complete: bool,
    /// A monthly update (rollup or security-only) is listed or shown in effect
    /// by the kernel: something that might contain an old fix.
    pub monthly_installed: bool,
    /// The release date of the newest servicing stack installed.
    pub newest_ssu: Option<Date>,
    /// The standing's "patched through" month.
    pub through: Option<u32>,
    /// The earliest MSRC posting of each undated update asked about.
    posted: std::cell::RefCell<FastMap<Kb, Option<Date>>>,
}

impl<'c> HostContext<'c> {
    /// Builds the context of a host whose standing is `st`.
    pub fn new(
        st: &Standing,
        installed: BTreeSet<Kb>,
        prods: &Products,
        programme: ProgrammeChoice,
        catalog: &'c Catalog,
    ) -> Self {
        let mut is_row: Vec<bool> = vec![false; catalog.products().len()];
        for r in &prods.rows {
            if let Some(slot) = is_row.get_mut(usize::from(*r)) {
                *slot = true;
            }
        }
        let covered = supersede::closure(installed.iter().copied(), |k| supersedes(catalog, k));
        let os = st.os_family;
        let installed_of = |kind: UpdateKind| {
            installed.iter().filter_map(|k| catalog.update(*k)).filter(move |u| u.kind == kind && u.applies_to(os))
        };
        let newest_rollup = installed_of(UpdateKind::MonthlyRollup).filter_map(|u| u.released).max().map(month_key);
        let kernel_month = st.kernel_level.as_ref().and_then(|k| k.released).map(month_key);
        let newest_ssu = installed_of(UpdateKind::Ssu).filter_map(programme::release_or_month).max();
        Self {
            catalog,
            os: st.os_family,
            programme,
            is_row,
            covered,
            rollup_level: newest_rollup,
            level_contains: newest_rollup.map(|m| rollups_contain(catalog, os, m)),
            kernel_month,
            complete: st.evidence_completeness == crate::truth::Completeness::Complete,
            monthly_installed: kernel_month.is_some()
                || installed
                    .iter()
                    .any(|k| matches!(catalog.kind_of(*k), Some(UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly))),
            newest_ssu,
            through: st.patched_through.map(|m| month_key(m.first_day())),
            posted: Default::default(),
            installed,
        }
    }

    /// What the verdict on each CVE depends on (with `horizon`, the newest
    /// month the host has or is told to install): hosts with equal keys get
    /// equal verdicts. The programme is not part of it: it only decides,
    /// after the verdict, whether a fix is available.
    pub fn verdict_key(&self, horizon: Option<u32>) -> VerdictKey {
        VerdictKey {
            catalog: self.catalog.instance(),
            os: self.os,
            rows: self.is_row.iter().enumerate().filter(|(_, on)| **on).map(|(i, _)| i).collect(),
            installed: self.installed.iter().copied().collect(),
            kernel_month: self.kernel_month,
            complete: self.complete,
            horizon,
        }
    }

    /// Is product row `p` one of the host's?
    pub fn is_row(&self, p: u16) -> bool {
        self.is_row.get(usize::from(p)).copied().unwrap_or(false)
    }

    /// The day the programme's updates end.
    pub fn end(&self) -> Date {
        self.programme.ends
    }

    /// An update with no sourced release day or month (e.g. the
    /// PrintNightmare out-of-band pair) is dated by its earliest MSRC
    /// posting, so that a programme that ended before it does not count it
    /// as available.
    fn posted(&self, u: &Update) -> Option<Date> {
        *self.posted.borrow_mut().entry(u.kb).or_insert_with(|| self.catalog.first_posted(u.kb))
    }

    /// Released no later than the programme's end (undated: available).
    pub fn available(&self, u: &Update) -> bool {
        programme::release_or_month(u).or_else(|| self.posted(u)).is_none_or(|d| d <= self.end())
    }

    /// A KB the catalog does not know counts as available.
    pub fn kb_available(&self, kb: Kb) -> bool {
        self.catalog.update(kb).is_none_or(|u| self.available(u))
    }

    /// Applies to the host: names no product (e.g. an SSU) or one of the host's.
    pub fn applies(&self, u: &Update) -> bool {
        u.products.is_empty() || self.names_host(u)
    }

    /// Names one of the host's products (for a successor in a chain).
    pub fn names_host(&self, u: &Update) -> bool {
        u.products.iter().any(|p| self.is_row(*p))
    }

    /// Does update `u` name a product of the host's Windows version (any
    /// edition, architecture or component: 2008 SP2 for a 2008 SP2 host)?
    pub fn names_os(&self, u: &Update) -> bool {
        let products = self.catalog.products();
        u.products.iter().any(|p| products.get(usize::from(*p)).is_some_and(|r| r.os == self.os))
    }

    /// Is the fix `kb` on the host: installed, superseded by an installed
    /// update, an older servicing stack than the newest installed, or a
    /// monthly update of a month the cumulative level contains?
    pub fn closes(&self, kb: Kb) -> bool {
        if self.covered.contains(&kb) || self.level_contains.as_ref().is_some_and(|c| c.contains(&kb)) {
            return true;
        }
        match self.catalog.update(kb) {
            Some(u) if u.kind == UpdateKind::Ssu => {
                matches!((programme::release_or_month(u), self.newest_ssu), (Some(d), Some(n)) if d <= n)
            }
            Some(u) if era(u) == Era::Monthly => {
                matches!((month_of(u), self.rollup_level), (Some(m), Some(l)) if m <= l)
            }
            _ => false,
        }
    }

    /// Do `fixes` hold both twins (rollup and security-only) of the kernel's
    /// month? Then whichever of the two the kernel shows closes the CVE.
    pub fn kernel_closes(&self, fixes: &[Kb]) -> bool {
        let Some(km) = self.kernel_month else { return false };
        let of_month = |kind: UpdateKind| {
            fixes.iter().filter_map(|k| self.catalog.update(*k)).any(|u| u.kind == kind && month_of(u) == Some(km))
        };
        of_month(UpdateKind::MonthlyRollup) && of_month(UpdateKind::SecurityOnly)
    }
}

/// The KBs `kb` supersedes directly.
pub(crate) fn supersedes(catalog: &Catalog, kb: Kb) -> Vec<Kb> {
    catalog.supersedes_of(kb).to_vec()
}

/// The month of an update's release day.
pub(crate) fn month_of(u: &Update) -> Option<u32> {
    u.released.map(month_key)
}
