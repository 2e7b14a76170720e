//! The read routes: summary, hosts, one host, CVEs, one CVE, missing
//! updates, scans. Fleet-wide answers come from the state's cache (see
//! [`crate::state::FleetCache`]); one host's detail from the store's
//! single-host queries.
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use std::cmp::Ordering;
use std::sync::Arc;
use w2k8_fleet::{
    Bucket, Change, CloseFirst, ExposurePoint, FleetCve, FleetMissing, Headline, HostDetail, HostRow, ScanRecord,
    Totals,
};
use w2k8_store::{Filter, Store, StoreError};

use super::error::{json_bytes, json_text, ApiError};
use super::params::{page, Params};
use crate::state::{cache_key, with_store, Shared};

/// `GET /api/summary`: the fleet report without its host rows and details.
#[derive(Serialize)]
struct Summary<'a> {
    generated_at: w2k8_core::Timestamp,
    catalog: &'a str,
    /// Hosts assessed and not, % current, KEV-exposed hosts, the trend since the previous scan round.
    headline: Headline,
    totals: &'a Totals,
    by_build: &'a [Bucket],
    by_patched_through: &'a [Bucket],
    by_kev: &'a [Bucket],
    history: &'a [ExposurePoint],
    top_cves: &'a [FleetCve],
    top_missing: &'a [FleetMissing],
    close_first: &'a CloseFirst,
}

/// Computes (or reuses) the summary at scan count `n`; fills the host list
/// cache from the same report.
fn summary_of(state: &Shared, s: &mut dyn Store, n: u64) -> Result<Arc<String>, StoreError> {
    state.cache.summary.get_or_compute(n, || {
        let r = s.fleet_report(&state.catalog_label, w2k8_store::now_utc(), 0)?;
        let text = serde_json::to_string(&Summary {
            generated_at: r.generated_at,
            catalog: &r.catalog,
            headline: Headline::of(&r.hosts, &r.history),
            totals: &r.totals,
            by_build: &r.by_build,
            by_patched_through: &r.by_patched_through,
            by_kev: &r.by_kev,
            history: &r.history,
            top_cves: &r.top_cves,
            top_missing: &r.top_missing,
            close_first: &r.close_first,
        })
        .map_err(|e| StoreError::Data(format!("summary: {e}")))?;
        if state.cache.hosts.get(n).is_none() {
            state.cache.hosts.put(n, Arc::new(r.hosts));
        }
        if state.cache.close_first.get(n).is_none() {
            state.cache.close_first.put(n, Arc::new(r.close_first));
        }
        Ok(text)
    })
}

/// Every host (cached).
pub(crate) async fn all_hosts(state: &Shared) -> Result<Arc<Vec<HostRow>>, ApiError> {
    let n = cache_key(state).await?;
    if let Some(v) = state.cache.hosts.get(n) {
        return Ok(v);
    }
    let st = Arc::clone(state);
    Ok(with_store(state, move |s| {
        st.cache.hosts.get_or_compute(n, || {
            let mut rows = s.hosts(&Filter::default())?;
            s.mark_accepted(&mut rows, w2k8_core::Date::today_utc())?;
            Ok::<_, StoreError>(rows)
        })
    })
    .await?)
}

/// `GET /api/close-first`: the isolation changes that remove the most
/// reachable KEV exposure across hosts (cached).
pub async fn close_first(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let n = cache_key(&state).await?;
    let cf = match state.cache.close_first.get(n) {
        Some(v) => v,
        None => {
            let st = Arc::clone(&state);
            with_store(&state, move |s| st.cache.close_first.get_or_compute(n, || s.close_first())).await?
        }
    };
    Ok(Json(&*cf).into_response())
}

/// Every open CVE (cached).
async fn all_cves(state: &Shared) -> Result<Arc<Vec<FleetCve>>, ApiError> {
    let n = cache_key(state).await?;
    if let Some(v) = state.cache.cves.get(n) {
        return Ok(v);
    }
    let st = Arc::clone(state);
    Ok(with_store(state, move |s| st.cache.cves.get_or_compute(n, || s.fleet_cves())).await?)
}

/// `GET /api/summary`.
pub async fn summary(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let n = cache_key(&state).await?;
    let text = match state.cache.summary.get(n) {
        Some(t) => t,
        None => {
            let st = Arc::clone(&state);
            with_store(&state, move |s| summary_of(&st, s, n)).await?
        }
    };
    Ok(json_text(StatusCode::OK, String::clone(&text)))
}

/// The sort keys of `GET /api/hosts`; `risk` ascending is riskiest first
/// ([`w2k8_fleet::risk_order`], the report's order).
pub const HOST_SORTS: &[&str] = &[
    "name",
    "risk",
    "build",
    "patched_through",
    "missing",
    "open_cves",
    "kev_open",
    "ransomware_open",
    "last_scan",
    "status",
];

/// Orders two hosts by `key` (then name, then id).
fn host_order(key: &str, a: &HostRow, b: &HostRow) -> Ordering {
    let primary = match key {
        "risk" => w2k8_fleet::risk_order(a, b),
        "build" => a.build.cmp(&b.build),
        "patched_through" => a.patched_through.cmp(&b.patched_through),
        "missing" => a.missing.cmp(&b.missing),
        "open_cves" => a.open_cves.cmp(&b.open_cves),
        "kev_open" => a.kev_open.cmp(&b.kev_open),
        "ransomware_open" => a.ransomware_open.cmp(&b.ransomware_open),
        "last_scan" => a.last_scan.cmp(&b.last_scan),
        "status" => a.status.as_str().cmp(b.status.as_str()),
        _ => Ordering::Equal,
    };
    primary.then_with(|| a.name.cmp(&b.name)).then_with(|| a.host_id.cmp(&b.host_id))
}

/// A page of hosts.
#[derive(Serialize)]
struct HostsPage<'a> {
    total: usize,
    offset: usize,
    limit: usize,
    hosts: Vec<&'a HostRow>,
}

/// `GET /api/hosts?q=&filter=&sort=&order=&limit=&offset=`.
pub async fn hosts(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["q", "filter", "sort", "order", "limit", "offset"])?;
    let needle = p.text("q")?.map(str::to_lowercase);
    let filter =
        Filter::parse(&p.all("filter")).map_err(|e| ApiError::bad_request(format!("query parameter `filter`: {e}")))?;
    let sort = p.choice("sort", HOST_SORTS, "name")?;
    let desc = p.choice("order", &["asc", "desc"], "asc")? == "desc";
    let (limit, offset) = page(&p)?;
    let all = all_hosts(&state).await?;
    let mut rows: Vec<&HostRow> = all
        .iter()
        .filter(|h| needle.as_deref().is_none_or(|n| h.name.to_lowercase().contains(n)))
        .filter(|h| filter.matches(h))
        .collect();
    rows.sort_by(|a, b| {
        let o = host_order(sort, a, b);
        if desc {
            o.reverse()
        } else {
            o
        }
    });
    let total = rows.len();
    let hosts: Vec<&HostRow> = rows.into_iter().skip(offset).take(limit).collect();
    Ok(Json(HostsPage { total, offset, limit, hosts }).into_response())
}

/// CVEs a host page lists unless `exposure_limit` says otherwise.
const DEFAULT_EXPOSURE: usize = 100;
/// The largest `exposure_limit` (more than every CVE in the catalog).
const MAX_EXPOSURE: usize = 100_000;

/// `GET /api/hosts/{name}` and `GET /api/hosts/id/{id}`.
#[derive(Serialize)]
struct HostPage {
    host: HostRow,
    missing: Vec<FleetMissing>,
    /// The riskiest open CVEs, at most `exposure_limit` of them.
    exposure: Vec<FleetCve>,
    /// How many CVEs are open in all (`exposure` may list fewer).
    exposure_total: Option<usize>,
    /// The `exposure_limit` applied.
    exposure_limit: usize,
    /// The stored plan text, passed through as JSON (checked, not re-parsed into a tree).
    plan: Option<Box<serde_json::value::RawValue>>,
    scans: Vec<ScanRecord>,
    changes: Vec<Change>,
}

/// How a request names a host.
enum HostKey {
    /// By name, case-insensitive; ambiguous names are answered 409.
    Name(String),
    /// By the store's id.
    Id(i64),
}

/// `GET /api/hosts/{name}`: one host in full, from single-host queries.
/// When several hosts have the name (ignoring case) the answer is 409
/// listing them (`error.candidates`), never one of them in silence.
pub async fn host(
    State(state): State<Shared>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    host_page(state, HostKey::Name(name), q).await
}

/// `GET /api/hosts/id/{id}`: one host in full, by its id.
pub async fn host_by_id(
    State(state): State<Shared>,
    Path(id): Path<i64>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    host_page(state, HostKey::Id(id), q).await
}

/// The page of one host, by name or id.
async fn host_page(state: Shared, key: HostKey, q: Option<String>) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["exposure_limit"])?;
    // A host page lists the riskiest CVEs first; a bounded answer keeps a
    // page of a host with two thousand open CVEs small and quick (the
    // dashboard asks for the rest on demand).
    let exposure_limit = p.number("exposure_limit", DEFAULT_EXPOSURE, MAX_EXPOSURE)?;
    let not_found = match &key {
        HostKey::Name(name) => format!("no host named '{name}'"),
        HostKey::Id(id) => format!("no host with id {id}"),
    };
    let found = with_store(&state, move |s| -> Result<Option<(HostDetail, Option<String>, _)>, StoreError> {
        let id = match key {
            HostKey::Id(id) => id,
            HostKey::Name(name) => match s.find_host(&name)? {
                Some(h) => h.host_id,
                None => return Ok(None),
            },
        };
        let Some(mut d) = s.host_detail_by_id(id, exposure_limit)? else { return Ok(None) };
        s.mark_accepted(std::slice::from_mut(&mut d.host), w2k8_core::Date::today_utc())?;
        let plan = s.plan_of(id)?;
        let history = s.history_by_id(id)?;
        Ok(Some((d, plan, history)))
    })
    .await?;
    let Some((d, plan, history)) = found else {
        return Err(ApiError::not_found(not_found));
    };
    let plan = plan.and_then(|text| match serde_json::value::RawValue::from_string(text) {
        Ok(v) => Some(v),
        Err(e) => {
            eprintln!("w2k8 serve: the stored plan of '{}' is not JSON: {e}", d.host.name);
            None
        }
    });
    let (scans, changes) = history.map(|h| (h.scans, h.changes)).unwrap_or_default();
    let exposure = d.exposure;
    let exposure_total = d.host.open_cves.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    let page =
        HostPage { host: d.host, missing: d.missing, exposure, exposure_total, exposure_limit, plan, scans, changes };
    // Sized for the usual answer (about 150 bytes per open CVE) to spare
    // the reallocations of a growing buffer.
    let mut out = Vec::with_capacity(4096 + 160 * page.exposure.len());
    serde_json::to_writer(&mut out, &page)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(json_bytes(out))
}

/// A page of CVEs.
#[derive(Serialize)]
struct CvesPage<'a> {
    total: usize,
    offset: usize,
    limit: usize,
    cves: Vec<&'a FleetCve>,
}

/// `GET /api/cves?kev=&ransomware=&q=&limit=&offset=`.
pub async fn cves(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["kev", "ransomware", "q", "limit", "offset"])?;
    let kev = p.boolean("kev")?;
    let ransomware = p.boolean("ransomware")?;
    let needle = p.text("q")?.map(str::to_lowercase);
    let (limit, offset) = page(&p)?;
    let all = all_cves(&state).await?;
    let rows: Vec<&FleetCve> = all
        .iter()
        .filter(|c| kev.is_none_or(|k| c.kev == k))
        .filter(|c| ransomware.is_none_or(|r| c.ransomware == r))
        .filter(|c| {
            needle
                .as_deref()
                .is_none_or(|n| c.cve.to_string().to_lowercase().contains(n) || c.title.to_lowercase().contains(n))
        })
        .collect();
    let total = rows.len();
    let cves: Vec<&FleetCve> = rows.into_iter().skip(offset).take(limit).collect();
    Ok(Json(CvesPage { total, offset, limit, cves }).into_response())
}

/// `GET /api/cves/{cve}`.
#[derive(Serialize)]
struct CvePage {
    cve: FleetCve,
    hosts: Vec<HostRow>,
}

/// `GET /api/cves/{cve}`: the CVE and the hosts that have it open.
pub async fn cve(
    State(state): State<Shared>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let Ok(wanted) = id.parse::<w2k8_core::CveId>() else {
        return Err(ApiError::bad_request(format!(
            "path parameter `cve`: expected CVE-YYYY-NNNN (or an MSRC advisory ADVnnnnnn), got '{}'",
            id.trim().to_ascii_uppercase()
        )));
    };
    let all = all_cves(&state).await?;
    let known = all.iter().find(|c| c.cve == wanted).cloned();
    let cve = match known {
        Some(c) => c,
        None => match state.catalog.cve(wanted) {
            Some(c) => FleetCve {
                cve: wanted,
                title: c.title.to_string(),
                severity: c.severity,
                kev: c.kev.is_some(),
                ransomware: c.kev.as_ref().is_some_and(|k| k.ransomware),
                exploit: !c.exploits.is_empty(),
                hosts: 0,
            },
            None => {
                return Err(ApiError::not_found(format!("no host has {wanted} open and the catalog does not know it")))
            }
        },
    };
    let hosts = if cve.hosts == 0 {
        Vec::new()
    } else {
        let wanted = cve.cve;
        with_store(&state, move |s| s.cve_hosts(wanted)).await?
    };
    Ok(Json(CvePage { cve, hosts }).into_response())
}

/// `GET /api/missing`.
#[derive(Serialize)]
struct MissingPage<'a> {
    total: usize,
    updates: &'a [FleetMissing],
}

/// `GET /api/missing`: every update missing on some host.
pub async fn missing(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let n = cache_key(&state).await?;
    let all = match state.cache.missing.get(n) {
        Some(v) => v,
        None => {
            let st = Arc::clone(&state);
            with_store(&state, move |s| st.cache.missing.get_or_compute(n, || s.fleet_missing())).await?
        }
    };
    Ok(Json(MissingPage { total: all.len(), updates: &all }).into_response())
}

/// `GET /api/scans`.
#[derive(Serialize)]
struct ScansPage {
    total: u64,
    offset: usize,
    limit: usize,
    scans: Vec<ScanRecord>,
}

/// `GET /api/scans?limit=&offset=`: scans, newest first.
pub async fn scans(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["limit", "offset"])?;
    let (limit, offset) = page(&p)?;
    let (total, scans) = with_store(&state, move |s| -> Result<_, StoreError> {
        let n = s.scan_count()?;
        let list = if limit == 0 { Vec::new() } else { s.scans(limit, offset)? };
        Ok((n, list))
    })
    .await?;
    Ok(Json(ScansPage { total, offset, limit, scans }).into_response())
}
