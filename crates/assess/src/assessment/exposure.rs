//! Every CVE of the host's products, judged: closed by what is installed,
//! open (with the fixes that would close it), or unknown (its only fixes are
//! old stand-alone updates whose containment the data cannot tell).
use super::context::{era, month_of, Era, HostContext, VerdictKey};
use super::cover::CveInfo;
use super::index::{cve_index, heads_of};
use super::model::{is_prerequisite_kind, Exposure, FixStatus, KevRef, UnknownCve};
use super::unknowns::UnknownAcc;
use crate::supersede;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use w2k8_catalog::{Cve, Severity};
use w2k8_core::hash::FastMap;
use w2k8_core::{Date, Kb};

/// What the CVE phase finds.
#[derive(Default)]
pub(crate) struct CveScan<'c> {
    /// Open CVEs, riskiest first.
    pub exposure: Vec<Exposure<'c>>,
    /// The updates whose status is unknown, with the CVEs that lead to them.
    pub unknown: BTreeMap<Kb, UnknownAcc>,
    /// Severity and KEV of each open CVE.
    pub info: CveInfo,
    /// CVEs closed by installed updates.
    pub closed: usize,
    /// CVEs whose status is unknown.
    pub unknown_cves: usize,
    /// CVEs with no update in the data.
    pub no_update_in_data: usize,
    /// CVEs not shown closed by a partial list: unknown, riskiest first.
    pub unseen: Vec<UnknownCve>,
}

/// How one CVE stands.
#[derive(Debug, Clone)]
enum Verdict {
    Closed,
    /// Only pre-rollup fixes no chain connects to the rollup era: (chain end, via, cycle).
    UnknownOld(Vec<(Kb, Kb, bool)>),
    /// Only rollup-era stand-alone fixes up to the horizon.
    UnknownStandalone(Vec<Kb>),
    /// Open; the rollup-era fixes.
    Open(Vec<Kb>),
    /// Not shown closed, but the bundle's list is partial: unknown.
    Unseen,
    /// Open: only old stand-alone fixes, and nothing installed could contain them.
    OpenOld(Vec<Kb>),
}

/// Buffers reused across CVEs, and the memo of chain ends for a catalog
/// without a precomputed table.
#[derive(Default)]
struct Scratch {
    modern: Vec<Kb>,
    old_heads: Vec<(Kb, Kb, bool)>,
    head_memo: FastMap<Kb, supersede::Heads>,
}

/// Splits `fixes` into rollup-era fixes (directly, or as the successors of
/// old ones that name the host's products) and, for old fixes no chain
/// connects, their chain ends.
fn modern_fixes(ctx: &HostContext, fixes: &[Kb], s: &mut Scratch) {
    s.modern.clear();
    s.old_heads.clear();
    for &f in fixes {
        let Some(u) = ctx.catalog.update(f) else {
            s.modern.push(f);
            continue;
        };
        if era(u) != Era::PreRollup {
            s.modern.push(f);
            continue;
        }
        let h: &supersede::Heads = match heads_of(ctx.catalog, f) {
            Some(h) => h,
            None => s.head_memo.entry(f).or_insert_with(|| supersede::heads(f, |k| ctx.catalog.superseded_by(k))),
        };
        let before = s.modern.len();
        for e in &h.ends {
            if *e != f && ctx.catalog.update(*e).is_some_and(|x| era(x) != Era::PreRollup && ctx.names_host(x)) {
                s.modern.push(*e);
            }
        }
        if s.modern.len() == before {
            // Supersedence crosses Windows versions (a 2008 SP2 fix of 2009
            // can end at a 2008 R2 rollup): only the ends for this host's
            // Windows version are named to it, else the fix itself.
            let len = s.old_heads.len();
            let own = h.ends.iter().filter(|e| ctx.catalog.update(**e).is_some_and(|x| ctx.names_os(x)));
            s.old_heads.extend(own.map(|e| (*e, f, h.cycle)));
            if s.old_heads.len() == len {
                s.old_heads.push((f, f, h.cycle));
            }
        }
    }
    s.modern.sort_unstable();
    s.modern.dedup();
}

/// A rollup-era stand-alone fix (not a prerequisite kind) released no later
/// than the horizon that nothing in the servicing data supersedes: a rollup
/// the host has or will have may contain it. A fix the data says is
/// superseded (an out-of-band rollup by the next monthly rollup) is not in
/// doubt: the installed closure closes it, or the host lacks it.
fn uncertain(ctx: &HostContext, horizon: Option<u32>, k: Kb) -> bool {
    ctx.catalog.update(k).is_some_and(|u| {
        era(u) == Era::Modern
            && !is_prerequisite_kind(u.kind)
            && matches!((month_of(u), horizon), (Some(m), Some(h)) if m <= h)
            && ctx.catalog.superseded_by(k).is_empty()
    })
}

/// The verdict on one CVE with (non-empty) `fixes` on the host's rows.
fn judge(ctx: &HostContext, horizon: Option<u32>, fixes: &[Kb], s: &mut Scratch) -> Verdict {
    if fixes.iter().any(|k| ctx.closes(*k)) || ctx.kernel_closes(fixes) {
        return Verdict::Closed;
    }
    modern_fixes(ctx, fixes, s);
    if s.modern.is_empty() {
        // Unknown is earned: only an installed monthly update might contain an
        // old stand-alone fix. With none (and a complete list), it is open.
        if ctx.complete && !ctx.monthly_installed {
            let mut old: Vec<Kb> = s.old_heads.iter().map(|(head, _, _)| *head).collect();
            old.sort_unstable();
            old.dedup();
            return Verdict::OpenOld(old);
        }
        return Verdict::UnknownOld(s.old_heads.clone());
    }
    if s.modern.iter().any(|k| ctx.closes(*k)) {
        return Verdict::Closed;
    }
    if s.modern.iter().all(|k| uncertain(ctx, horizon, *k)) {
        return Verdict::UnknownStandalone(s.modern.clone());
    }
    if !ctx.complete {
        // A partial list: any of its fixes may be installed unseen.
        return Verdict::Unseen;
    }
    Verdict::Open(s.modern.clone())
}

/// An open CVE as the exposure list shows it.
fn exposure_of(c: &Cve, index: u32, fixed_by: Vec<Kb>, available: bool, end: Date) -> Exposure<'_> {
    Exposure {
        cve: c.id,
        catalog_index: index,
        title: &c.title,
        component: &c.component,
        severity: c.severity,
        impact: &c.impact,
        fixed_by,
        status: if available { FixStatus::FixAvailable } else { FixStatus::NoFixAvailableToYou },
        programme_ended: if available { None } else { Some(end) },
        kev: c.kev.as_ref().map(|k| KevRef {
            date_added: k.date_added,
            due_date: k.due_date,
            ransomware: k.ransomware,
        }),
        exploits: &c.exploits,
        pre_rollup: false,
        // Judged once the host's configuration is looked at (`reachability::apply`).
        reachability: crate::reachability::Reachability::Unknown,
        mitigation: None,
        reachability_notes: Vec::new(),
        accepted: None,
        accepted_expired: None,
    }
}

/// KEV with ransomware use first, then KEV, then a public exploit, then
/// severity: the order of the exposure list (then by CVE id).
fn risk_key(c: &Cve) -> RiskKey {
    let kev = c.kev.is_some();
    let ransom = c.kev.as_ref().is_some_and(|k| k.ransomware);
    std::cmp::Reverse((kev && ransom, kev, !c.exploits.is_empty(), c.severity))
}

/// [`risk_key`]: riskiest first when sorted ascending.
type RiskKey = std::cmp::Reverse<(bool, bool, bool, Severity)>;

impl<'c> CveScan<'c> {
    /// Records the verdict on `c`.
    fn record(&mut self, ctx: &HostContext<'c>, c: &'c Cve, index: u32, verdict: &Verdict) {
        match verdict {
            Verdict::Closed => self.closed += 1,
            Verdict::UnknownOld(heads) => {
                for &(head, via, cycle) in heads {
                    let entry = self.unknown.entry(head).or_default();
                    entry.cves.push(c.id);
                    if via != head {
                        entry.via.insert(via);
                    }
                    entry.cycle |= cycle;
                }
                self.unknown_cves += 1;
            }
            Verdict::UnknownStandalone(kbs) => {
                for &k in kbs {
                    let entry = self.unknown.entry(k).or_default();
                    entry.cves.push(c.id);
                    entry.standalone = true;
                }
                self.unknown_cves += 1;
            }
            Verdict::Unseen => {
                self.unknown_cves += 1;
                self.unseen.push(UnknownCve {
                    cve: c.id,
                    severity: c.severity,
                    kev: c.kev.as_ref().map(|k| KevRef {
                        date_added: k.date_added,
                        due_date: k.due_date,
                        ransomware: k.ransomware,
                    }),
                });
            }
            Verdict::OpenOld(fixed_by) => {
                let available = fixed_by.iter().any(|k| ctx.kb_available(*k));
                self.info.insert(c.id, (c.severity, c.kev.is_some()));
                let mut e = exposure_of(c, index, fixed_by.clone(), available, ctx.end());
                e.pre_rollup = true;
                self.exposure.push(e);
            }
            Verdict::Open(fixed_by) => {
                let available = fixed_by.iter().any(|k| ctx.kb_available(*k));
                self.info.insert(c.id, (c.severity, c.kev.is_some()));
                self.exposure.push(exposure_of(c, index, fixed_by.clone(), available, ctx.end()));
            }
        }
    }
}

/// The verdicts on a host's CVEs: (index into the catalog's CVE table,
/// verdict), in the order of the host's CVE index, and how many CVEs have no
/// update in the data.
#[derive(Debug, Default)]
struct Verdicts {
    list: Vec<(u32, Verdict)>,
    no_update_in_data: usize,
}

/// Verdict lists kept (each is a few hundred kilobytes at most).
const MEMO_MAX: usize = 128;

/// Whether verdicts are shared between hosts with equal keys ([`set_verdict_memo`]).
static MEMO_ON: AtomicBool = AtomicBool::new(true);

/// Verdict lists taken from the memo (for the test that shows it is used).
static MEMO_HITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many hosts got their verdicts from the memo so far in this process.
#[doc(hidden)]
pub fn verdict_memo_hits() -> usize {
    MEMO_HITS.load(Ordering::Relaxed)
}

/// Verdicts by what they depend on ([`HostContext::verdict_key`]): hosts
/// patched alike (a fleet built from a few images) are judged once.
fn memo() -> &'static Mutex<w2k8_core::hash::FastMap<VerdictKey, Arc<Verdicts>>> {
    static MEMO: OnceLock<Mutex<w2k8_core::hash::FastMap<VerdictKey, Arc<Verdicts>>>> = OnceLock::new();
    MEMO.get_or_init(Default::default)
}

/// Turns the verdict memo off (or on again): for the test that compares
/// answers made with and without it, and for measuring.
#[doc(hidden)]
pub fn set_verdict_memo(on: bool) {
    MEMO_ON.store(on, Ordering::Relaxed);
    if !on {
        if let Ok(mut m) = memo().lock() {
            m.clear();
        }
    }
}

/// Judges each CVE of the host's rows.
fn judge_all(ctx: &HostContext, rows: &[u16], horizon: Option<u32>) -> Verdicts {
    let mut out = Verdicts::default();
    let mut scratch = Scratch::default();
    let index = cve_index(ctx.catalog, rows, &|p| ctx.is_row(p));
    out.list.reserve_exact(index.len());
    for entry in index.iter() {
        if entry.fixes.is_empty() {
            out.no_update_in_data += 1;
            continue;
        }
        out.list.push((entry.cve, judge(ctx, horizon, &entry.fixes, &mut scratch)));
    }
    out
}

/// [`judge_all`], or the verdicts of a host judged before with the same key.
fn verdicts(ctx: &HostContext, rows: &[u16], horizon: Option<u32>) -> Arc<Verdicts> {
    if !MEMO_ON.load(Ordering::Relaxed) {
        return Arc::new(judge_all(ctx, rows, horizon));
    }
    let key = ctx.verdict_key(horizon);
    if let Some(hit) = memo().lock().ok().and_then(|m| m.get(&key).cloned()) {
        MEMO_HITS.fetch_add(1, Ordering::Relaxed);
        return hit;
    }
    let v = Arc::new(judge_all(ctx, rows, horizon));
    if let Ok(mut m) = memo().lock() {
        if m.len() >= MEMO_MAX {
            // Bounded: one entry goes (whichever the map yields first).
            if let Some(k) = m.keys().next().cloned() {
                m.remove(&k);
            }
        }
        m.insert(key, v.clone());
    }
    v
}

/// Judges every CVE of the host's product rows. `horizon`: the newest month
/// the host has or is told to install (stand-alone updates up to it may be
/// contained in a rollup: unknown).
pub(crate) fn scan_cves<'c>(ctx: &HostContext<'c>, rows: &[u16], horizon: Option<u32>) -> CveScan<'c> {
    let v = verdicts(ctx, rows, horizon);
    let mut out = CveScan { no_update_in_data: v.no_update_in_data, ..CveScan::default() };
    let all = ctx.catalog.cves();
    // The open CVEs are made riskiest first ([`risk_key`], then CVE id):
    // sorted as small keys, each entry (large; an R2 host has a few
    // thousand) built once in its place rather than moved by a sort.
    let mut open: Vec<(RiskKey, u64, &'c Cve, u32, &Verdict)> = Vec::new();
    for (i, verdict) in &v.list {
        let Some(c) = all.get(*i as usize) else { continue };
        match verdict {
            Verdict::Open(_) | Verdict::OpenOld(_) => {
                open.push((risk_key(c), c.id.text_key(), c, *i, verdict));
            }
            _ => out.record(ctx, c, *i, verdict),
        }
    }
    open.sort_unstable_by_key(|o| (o.0, o.1));
    out.exposure.reserve_exact(open.len());
    out.info.reserve(open.len());
    for (_, _, c, i, verdict) in open {
        out.record(ctx, c, i, verdict);
    }
    let unseen_key = |u: &UnknownCve| (u.kev.as_ref().is_some_and(|k| k.ransomware), u.kev.is_some(), u.severity);
    out.unseen.sort_by(|a, b| unseen_key(b).cmp(&unseen_key(a)).then_with(|| a.cve.cmp_text(b.cve)));
    out
}
