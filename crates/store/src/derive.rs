//! The backend-neutral part of the store: what history, CVE exposure windows
//! and fleet diffs are, computed from a few primitive reads ([`Reads`]) that
//! each backend (SQLite, PostgreSQL) answers with its own SQL. Keeping this
//! logic in one place is what makes both backends give the same answers.
use crate::{CveExposure, CveScan, StoreError};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use w2k8_core::{Date, Kb, Timestamp};
use w2k8_fleet::{Bucket, Change, ExposurePoint, FleetCve, FleetDiff, FleetMissing, HostRow, ScanStatus, Totals};

/// A scan as history and diff need it.
#[derive(Debug, Clone)]
pub(crate) struct ScanLite {
    pub(crate) id: i64,
    pub(crate) host_id: i64,
    pub(crate) at: Timestamp,
    pub(crate) ok: bool,
    pub(crate) build: Option<u32>,
    pub(crate) patched_through: Option<w2k8_core::Month>,
    /// The scan's open-CVE list (`cve_sets` row): scans sharing it have the same CVEs open.
    pub(crate) cve_set: Option<i64>,
}

/// What writing one scan did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// A new scan.
    Stored,
    /// Already stored (same host, input and catalog): nothing written.
    Duplicate,
    /// Already stored before w2k8 recorded reachability: filled in place.
    Filled,
}

/// The primitive reads a backend provides.
pub(crate) trait Reads {
    /// Every host's id and name.
    fn host_names(&self) -> Result<HashMap<i64, String>, StoreError>;
    /// Scans of one host (or all), ordered by host, time, id.
    fn scans_lite(&self, host_id: Option<i64>) -> Result<Vec<ScanLite>, StoreError>;
    /// The KB numbers a scan saw installed.
    fn kbs_of(&self, scan_id: i64) -> Result<BTreeSet<u32>, StoreError>;
    /// The CVEs open at a scan.
    fn cves_of(&self, scan_id: i64) -> Result<BTreeSet<String>, StoreError>;
}

/// The status column's text as a [`ScanStatus`].
pub(crate) fn status_of(s: &str) -> ScanStatus {
    match s {
        "ok" => ScanStatus::Ok,
        "unsupported" => ScanStatus::Unsupported,
        _ => ScanStatus::Failed,
    }
}

/// A stored count as `u32` (0 for anything out of range).
pub(crate) fn to_u32(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

/// What changed for `name` from scan `from` (none: its first scan) to `to`.
pub(crate) fn change(r: &impl Reads, name: &str, from: Option<&ScanLite>, to: &ScanLite) -> Result<Change, StoreError> {
    // The same CVE set on both sides: nothing opened or closed, no need to read them.
    let same_cves = from.is_some_and(|f| f.cve_set.is_some() && f.cve_set == to.cve_set);
    let (kb0, cve0) = match from {
        Some(f) if same_cves => (r.kbs_of(f.id)?, BTreeSet::new()),
        Some(f) => (r.kbs_of(f.id)?, r.cves_of(f.id)?),
        None => (BTreeSet::new(), BTreeSet::new()),
    };
    let kb1 = r.kbs_of(to.id)?;
    let cve1 = if same_cves { BTreeSet::new() } else { r.cves_of(to.id)? };
    let build = from.and_then(|f| (f.build != to.build).then_some((f.build, to.build)));
    let patched_through =
        from.and_then(|f| (f.patched_through != to.patched_through).then_some((f.patched_through, to.patched_through)));
    Ok(Change {
        host: name.to_string(),
        from_scan: from.map(|f| f.at),
        to_scan: to.at,
        build,
        patched_through,
        installed: if from.is_some() { kb1.difference(&kb0).filter_map(|n| Kb::new(*n)).collect() } else { Vec::new() },
        closed: cve0.difference(&cve1).cloned().collect(),
        opened: if from.is_some() { cve1.difference(&cve0).cloned().collect() } else { Vec::new() },
    })
}

/// The changes between consecutive successful scans of one host.
pub(crate) fn changes(r: &impl Reads, name: &str, host_id: i64) -> Result<Vec<Change>, StoreError> {
    let lite: Vec<ScanLite> = r.scans_lite(Some(host_id))?.into_iter().filter(|s| s.ok).collect();
    let mut out = Vec::new();
    for pair in lite.windows(2) {
        if let [a, b] = pair {
            out.push(change(r, name, Some(a), b)?);
        }
    }
    Ok(out)
}

/// The exposure window of one CVE on one host, from the host's successful
/// scans in order, each marked open or not.
pub(crate) fn exposure(host: String, cve: w2k8_core::CveId, scans: Vec<CveScan>) -> CveExposure {
    let first = scans.iter().position(|s| s.open);
    let first_open = first.and_then(|i| scans.get(i)).map(|s| s.scanned_at);
    let closed_at =
        first.and_then(|i| scans.get(i..)).and_then(|rest| rest.iter().find(|s| !s.open)).map(|s| s.scanned_at);
    let open_now = scans.last().is_some_and(|s| s.open);
    let end = closed_at.or_else(|| if open_now { scans.last().map(|s| s.scanned_at) } else { None });
    let days_exposed = match (first_open, end) {
        (Some(a), Some(b)) => Some(a.date().days_until(b.date())),
        _ => None,
    };
    CveExposure { host, cve, scans, first_open, closed_at, open_now, days_exposed }
}

/// Each host's successful scans, marked open or not for one CVE by `open`.
pub(crate) fn cve_scans(
    r: &impl Reads,
    host_id: i64,
    mut open: impl FnMut(i64) -> Result<bool, StoreError>,
) -> Result<Vec<CveScan>, StoreError> {
    let mut scans = Vec::new();
    for s in r.scans_lite(Some(host_id))?.into_iter().filter(|s| s.ok) {
        let is_open = open(s.id)?;
        scans.push(CveScan { scanned_at: s.at, status: ScanStatus::Ok, open: is_open });
    }
    Ok(scans)
}

/// Fleet-wide changes since `since` (or since each host's previous scan).
pub(crate) fn diff(r: &impl Reads, since: Option<Date>) -> Result<FleetDiff, StoreError> {
    let names = r.host_names()?;
    let mut by_host: HashMap<i64, Vec<ScanLite>> = HashMap::new();
    for s in r.scans_lite(None)?.into_iter().filter(|s| s.ok) {
        by_host.entry(s.host_id).or_default().push(s);
    }
    let mut hosts: Vec<(&String, &Vec<ScanLite>)> =
        by_host.iter().filter_map(|(id, v)| names.get(id).map(|n| (n, v))).collect();
    hosts.sort_by(|a, b| a.0.to_ascii_lowercase().cmp(&b.0.to_ascii_lowercase()).then(a.0.cmp(b.0)));
    let mut out = FleetDiff {
        since,
        changes: Vec::new(),
        new_hosts: Vec::new(),
        patched_hosts: 0,
        newly_exposed: 0,
        newly_closed: 0,
    };
    for (name, scans) in hosts {
        let Some(latest) = scans.last() else { continue };
        let base = match since {
            Some(d) => {
                if latest.at.date() < d {
                    continue;
                }
                scans.iter().rev().find(|s| s.at.date() < d)
            }
            None => scans.len().checked_sub(2).and_then(|i| scans.get(i)),
        };
        let Some(base) = base else {
            out.new_hosts.push(name.clone());
            continue;
        };
        let c = change(r, name, Some(base), latest)?;
        let patched = !c.installed.is_empty() || c.patched_through.is_some() || c.build.is_some();
        if patched {
            out.patched_hosts += 1;
        }
        out.newly_exposed += to_u32(i64::try_from(c.opened.len()).unwrap_or(0));
        out.newly_closed += to_u32(i64::try_from(c.closed.len()).unwrap_or(0));
        if patched || !c.opened.is_empty() || !c.closed.is_empty() {
            out.changes.push(c);
        }
    }
    Ok(out)
}

/// The order of fleet CVE lists: KEV first, then known ransomware use, then
/// by number of hosts (most first), then by CVE id.
pub(crate) fn sort_fleet_cves(v: &mut [FleetCve]) {
    v.sort_by(|a, b| {
        b.kev.cmp(&a.kev).then(b.ransomware.cmp(&a.ransomware)).then(b.hosts.cmp(&a.hosts)).then(a.cve.cmp_text(b.cve))
    });
}

/// The order of fleet missing-update lists: by number of hosts (most
/// first), then by KB.
pub(crate) fn sort_fleet_missing(v: &mut [FleetMissing]) {
    v.sort_by(|a, b| b.hosts.cmp(&a.hosts).then(a.kb.cmp(&b.kb)));
}

/// A plan as stored: a template, `T` then the plan's text with every
/// occurrence of the host's name replaced by a NUL character (which JSON
/// text never holds raw), so hosts at the same patch level share one stored
/// plan; or `R` then the text as it is (a text holding a NUL, or no name).
/// Its digest (SHA-256, hex) identifies it.
pub(crate) struct PlanTemplate {
    pub(crate) digest: String,
    pub(crate) text: String,
}

/// The template of `plan` for the host named `name` (see [`PlanTemplate`]).
/// A text that already holds a NUL, or an empty name, is kept as it is.
pub(crate) fn plan_template(plan: &str, name: &str) -> PlanTemplate {
    let text = if name.is_empty() || plan.contains('\0') {
        format!("R{plan}")
    } else {
        format!("T{}", plan.replace(name, "\0"))
    };
    let digest = w2k8_core::hash::hex(&Sha256::digest(text.as_bytes()));
    PlanTemplate { digest, text }
}

/// A template's stored form: its length and its text compressed with raw deflate.
pub(crate) fn pack_plan(template: &str) -> Result<(i64, Vec<u8>), StoreError> {
    use std::io::Write;
    let mut enc =
        flate2::write::DeflateEncoder::new(Vec::with_capacity(template.len() / 4), flate2::Compression::default());
    enc.write_all(template.as_bytes())
        .map_err(|source| StoreError::Io { context: "compressing a plan".into(), source })?;
    let body = enc.finish().map_err(|source| StoreError::Io { context: "compressing a plan".into(), source })?;
    Ok((i64::try_from(template.len()).unwrap_or(i64::MAX), body))
}

/// The plan text of host `name` from its stored template (`size` bytes,
/// deflated in `body`); plan `id` names it in errors.
pub(crate) fn unpack_plan(id: i64, size: i64, body: &[u8], name: &str) -> Result<String, StoreError> {
    use std::io::Read;
    let bad =
        |what: String| StoreError::Data(format!("stored plan {id}: {what}: expected deflate data of UTF-8 JSON text"));
    let mut text = String::with_capacity(usize::try_from(size).unwrap_or(0).min(1 << 26));
    flate2::read::DeflateDecoder::new(body).read_to_string(&mut text).map_err(|e| bad(e.to_string()))?;
    if i64::try_from(text.len()).ok() != Some(size) {
        return Err(bad(format!("{} bytes, {size} recorded", text.len())));
    }
    match (text.get(..1), text.get(1..)) {
        (Some("T"), Some(rest)) => Ok(rest.replace('\0', name)),
        (Some("R"), Some(rest)) => Ok(rest.to_string()),
        _ => Err(bad("no template tag".to_string())),
    }
}

/// A fleet's totals and chart buckets, from its host rows (each as of its
/// latest scan) and its scan count: the same for every backend.
pub(crate) struct Tallies {
    pub(crate) totals: Totals,
    pub(crate) by_build: Vec<Bucket>,
    pub(crate) by_patched_through: Vec<Bucket>,
    pub(crate) by_kev: Vec<Bucket>,
}

/// A count known to be above 0.
fn some(v: Option<u32>) -> bool {
    v.is_some_and(|n| n > 0)
}

/// An assessed host with no open KEV CVE whose evidence leaves a KEV CVE
/// unknown (or whose counts are lower bounds and unknowns were not
/// recorded): it cannot be called free of KEV exposure.
fn kev_unknown(h: &HostRow) -> bool {
    h.kev_open == Some(0)
        && (some(h.unknown_kev) || (h.unknown_kev.is_none() && h.counts_are_lower_bound == Some(true)))
}

/// Counts `hosts` (see [`Tallies`]).
pub(crate) fn tallies(hosts: &[HostRow], scans: u64) -> Tallies {
    let n = |c: usize| u32::try_from(c).unwrap_or(u32::MAX);
    let ok: Vec<&HostRow> = hosts.iter().filter(|h| h.status == ScanStatus::Ok).collect();
    let count = |f: &dyn Fn(&HostRow) -> bool| n(hosts.iter().filter(|h| f(h)).count());
    let totals = Totals {
        hosts: n(hosts.len()),
        ok: n(ok.len()),
        failed: count(&|h| h.status == ScanStatus::Failed),
        unsupported: count(&|h| h.status == ScanStatus::Unsupported),
        scans: u32::try_from(scans).unwrap_or(u32::MAX),
        kev_hosts: count(&|h| some(h.kev_open)),
        ransomware_hosts: count(&|h| some(h.ransomware_open)),
        partial: count(&|h| h.counts_are_lower_bound == Some(true)),
        kev_unknown_hosts: count(&|h| kev_unknown(h)),
        reachable_kev_hosts: count(&|h| some(h.reachable_kev)),
        reachable_kev_unknown_hosts: count(&|h| h.status == ScanStatus::Ok && h.reachable_kev.is_none()),
    };
    let bucket = |label: &str, c: usize| Bucket { label: label.to_string(), hosts: n(c) };
    let mut by_build = Vec::new();
    // 2008: 6002 and 6003 always shown, 6001 when present; 2008 R2: 7601
    // and 7600 when present (a 2008-only fleet's chart stays as it was).
    for b in [6001u32, 6002, 6003, 7600, 7601] {
        let c = ok.iter().filter(|h| h.build == Some(b)).count();
        if c > 0 || b == 6002 || b == 6003 {
            by_build.push(bucket(&b.to_string(), c));
        }
    }
    let other = ok.iter().filter(|h| !matches!(h.build, Some(6001..=6003 | 7600 | 7601))).count();
    if other > 0 {
        by_build.push(bucket("other/unknown", other));
    }
    let mut months: std::collections::BTreeMap<w2k8_core::Month, usize> = std::collections::BTreeMap::new();
    let mut unknown_month = 0;
    let mut bounds: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for h in &ok {
        match (h.patched_through, h.patched_through_at_least) {
            (Some(m), _) => *months.entry(m).or_default() += 1,
            (None, Some(b)) => *bounds.entry(format!(">={b}")).or_default() += 1,
            (None, None) => unknown_month += 1,
        }
    }
    let mut by_patched_through: Vec<Bucket> = months.iter().map(|(m, c)| bucket(&m.to_string(), *c)).collect();
    by_patched_through.extend(bounds.iter().map(|(m, c)| bucket(m, *c)));
    if unknown_month > 0 {
        by_patched_through.push(bucket("unknown", unknown_month));
    }
    // Every ok host falls in exactly one bucket; a host whose KEV exposure
    // the evidence cannot rule out is never counted as "no KEV".
    let mut by_kev = vec![
        bucket("KEV + ransomware", ok.iter().filter(|h| some(h.ransomware_open)).count()),
        bucket("KEV", ok.iter().filter(|h| some(h.kev_open) && !some(h.ransomware_open)).count()),
        bucket("no KEV", ok.iter().filter(|h| h.kev_open == Some(0) && !kev_unknown(h)).count()),
    ];
    let unknown = ok.iter().filter(|h| kev_unknown(h)).count();
    if unknown > 0 {
        by_kev.push(bucket("KEV unknown", unknown));
    }
    Tallies { totals, by_build, by_patched_through, by_kev }
}

/// One scan as the exposure history needs it: host id, day (`YYYY-MM-DD`),
/// status text, open KEV CVEs, open CVEs.
pub(crate) type HistoryRow = (i64, Date, ScanStatus, i64, i64);

/// Exposure over time: for each scan day, each host as of its latest scan up
/// to that day. `rows` are every scan, oldest first.
pub(crate) fn exposure_history(rows: &[HistoryRow]) -> Vec<ExposurePoint> {
    let mut history = Vec::new();
    let mut state: HashMap<i64, (bool, i64)> = HashMap::new();
    let mut i = 0;
    while let Some((_, day, ..)) = rows.get(i) {
        let day = *day;
        while let Some((h, d, status, kev, open)) = rows.get(i) {
            if *d != day {
                break;
            }
            let ok = *status == ScanStatus::Ok;
            state.insert(*h, (ok && *kev > 0, if ok { *open } else { 0 }));
            i += 1;
        }
        history.push(ExposurePoint {
            date: day,
            hosts: u32::try_from(state.len()).unwrap_or(u32::MAX),
            kev_hosts: u32::try_from(state.values().filter(|(k, _)| *k).count()).unwrap_or(u32::MAX),
            open_cves: state.values().map(|(_, o)| u64::try_from(*o).unwrap_or(0)).sum(),
        });
    }
    history
}

/// The reads a fleet report needs beyond the [`Store`](crate::Store)
/// queries, each one SQL statement on each backend.
pub(crate) trait ReportReads {
    /// Every scan for the exposure history, oldest first.
    fn history_rows(&self) -> Result<Vec<HistoryRow>, StoreError>;
    /// Every CVE the store knows, by its row id (`hosts` 0).
    fn cve_table(&self) -> Result<HashMap<i64, FleetCve>, StoreError>;
    /// `(host id, KB)` of each host's latest scan's missing updates, by host
    /// then in the order `assess` listed them.
    fn latest_missing(&self) -> Result<Vec<(i64, u32)>, StoreError>;
    /// `(host id, CVE set id)` of each host's latest scan that has open CVEs.
    fn latest_cve_sets(&self) -> Result<Vec<(i64, i64)>, StoreError>;
    /// `(set id, CVE row id)` of every item of every set a latest scan
    /// uses, in no order ([`crate::sets::heads`] orders them).
    fn latest_set_items(&self) -> Result<Vec<(i64, i64)>, StoreError>;
    /// `(host name, scans.isolation)` of every host whose latest scan is ok, by host id.
    fn latest_isolation(&self) -> Result<Vec<(String, Option<String>)>, StoreError>;
}

/// "What to close first" from the hosts' latest isolation plans. Hosts
/// alike share one plan text: each distinct text is read once.
pub(crate) fn close_first<S: ReportReads + ?Sized>(s: &S) -> Result<w2k8_fleet::CloseFirst, StoreError> {
    let rows = s.latest_isolation()?;
    let mut parsed: HashMap<&str, w2k8_fleet::HostIsolation> = HashMap::new();
    for (name, text) in &rows {
        if let Some(t) = text.as_deref() {
            if !parsed.contains_key(t) {
                if let Some(iso) = crate::rows::isolation_of(&format!("host '{name}'"), Some(t))? {
                    parsed.insert(t, iso);
                }
            }
        }
    }
    Ok(w2k8_fleet::CloseFirst::from_hosts(
        rows.iter().map(|(name, text)| (name.as_str(), text.as_deref().and_then(|t| parsed.get(t)))),
    ))
}

/// How many CVEs a fleet report lists in `top_cves`.
pub(crate) const TOP_CVES: usize = 200;
/// How many updates a fleet report lists in `top_missing`.
pub(crate) const TOP_MISSING: usize = 100;

/// Everything a fleet report shows, from the backend's reads (see
/// [`Store::fleet_report`](crate::Store::fleet_report)).
pub(crate) fn fleet_report<S: crate::Store + ReportReads + ?Sized>(
    s: &S,
    catalog: &str,
    generated_at: Timestamp,
    detail_cves: usize,
) -> Result<w2k8_fleet::FleetReport, StoreError> {
    let mut hosts = s.hosts(&crate::Filter::default())?;
    // Accepted risks as of the report's day, beside the counts.
    s.mark_accepted(&mut hosts, generated_at.date())?;
    let Tallies { totals, by_build, by_patched_through, by_kev } = tallies(&hosts, s.scan_count()?);
    let history = exposure_history(&s.history_rows()?);

    // CVEs and missing updates by hosts (latest scans), with the fleet-wide
    // counts the per-host details carry too.
    let mut top_cves = s.fleet_cves()?;
    let mut cve_info = s.cve_table()?;
    {
        let counts: HashMap<w2k8_core::CveId, u32> = top_cves.iter().map(|c| (c.cve, c.hosts)).collect();
        for c in cve_info.values_mut() {
            c.hosts = counts.get(&c.cve).copied().unwrap_or(0);
        }
    }
    top_cves.truncate(TOP_CVES);
    let mut top_missing = s.fleet_missing()?;
    let missing_info: HashMap<u32, FleetMissing> = top_missing.iter().map(|m| (m.kb.number(), m.clone())).collect();
    top_missing.truncate(TOP_MISSING);

    // Per-host details.
    let mut det_missing: HashMap<i64, Vec<FleetMissing>> = HashMap::new();
    for (h, kb) in s.latest_missing()? {
        if let Some(m) = missing_info.get(&kb) {
            det_missing.entry(h).or_default().push(m.clone());
        }
    }
    let host_set: HashMap<i64, i64> = s.latest_cve_sets()?.into_iter().collect();
    let set_cves = crate::sets::heads(&s.latest_set_items()?, &cve_info, detail_cves);
    let details = hosts
        .iter()
        .map(|h| w2k8_fleet::HostDetail {
            host: h.clone(),
            missing: det_missing.remove(&h.host_id).unwrap_or_default(),
            exposure: host_set.get(&h.host_id).and_then(|s| set_cves.get(s)).cloned().unwrap_or_default(),
        })
        .collect();
    Ok(w2k8_fleet::FleetReport {
        generated_at,
        catalog: catalog.to_string(),
        catalog_warnings: Vec::new(),
        totals,
        by_build,
        by_patched_through,
        by_kev,
        history,
        hosts,
        details,
        top_cves,
        top_missing,
        close_first: close_first(s)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_plan_round_trips_through_its_template() {
        let plan = r#"{"host":"SRV-01","notes":["SRV-01 restarts twice"],"x":"srv-01"}"#;
        let t = plan_template(plan, "SRV-01");
        assert_eq!(t.text, "T{\"host\":\"\0\",\"notes\":[\"\0 restarts twice\"],\"x\":\"srv-01\"}");
        assert_eq!(t.digest, plan_template(&plan.replace("SRV-01", "SRV-02"), "SRV-02").digest, "shared");
        let (size, body) = pack_plan(&t.text).unwrap();
        assert_eq!(unpack_plan(1, size, &body, "SRV-01").unwrap(), plan);
        assert!(unpack_plan(1, size + 1, &body, "SRV-01").is_err());
        assert!(unpack_plan(1, size, b"not deflate", "SRV-01").is_err());
        let raw = plan_template("a\0b", "a");
        assert_eq!(raw.text, "Ra\0b");
        let (size, body) = pack_plan(&raw.text).unwrap();
        assert_eq!(unpack_plan(1, size, &body, "a").unwrap(), "a\0b");
    }

    proptest! {
        #[test]
        fn any_plan_and_name_round_trip(plan in ".{0,200}", name in ".{0,8}") {
            let t = plan_template(&plan, &name);
            let (size, body) = pack_plan(&t.text).unwrap();
            prop_assert_eq!(unpack_plan(7, size, &body, &name).unwrap(), plan);
        }
    }
}
