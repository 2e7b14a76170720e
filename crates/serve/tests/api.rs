//! The API over real HTTP: the server runs in-process on 127.0.0.1:0 over a
//! SQLite store filled from the repository's example bundles (the 12 of
//! examples/fleet, a broken zip, random bytes and a 2012 R2 host among
//! them, plus examples/srv-legacy01), and a plain HTTP/1.1 client over a
//! TcpStream talks to it. Exact values come from the example fleet as of
//! 2026-01-15 (see examples/fleet/README.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::too_many_lines)]
mod common;

use common::*;
use serde_json::{json, Value};
use std::io::Write;
use std::time::Duration;
use w2k8_store::{Filter, SqliteStore, Store};

const BEARER: &str = "Bearer test-token-0123456789-abcdefghij";

/// The hosts of the example store, by name: (name, status, build,
/// patched_through, missing, open_cves, kev_open, ransomware_open).
type Row =
    (&'static str, &'static str, Option<u32>, Option<&'static str>, Option<u32>, Option<u32>, Option<u32>, Option<u32>);
const HOSTS: &[Row] = &[
    ("00005-SRV-EXCH00005", "failed", None, None, None, None, None, None),
    ("00011-SRV-SQL00011", "failed", None, None, None, None, None, None),
    ("SRV-APP00004", "ok", Some(6003), Some("2023-04"), Some(2), Some(850), Some(29), Some(3)),
    ("SRV-APP00006", "ok", Some(6003), Some("2025-07"), Some(1), Some(141), Some(0), Some(0)),
    ("SRV-APP00010", "ok", Some(6003), Some("2023-03"), Some(2), Some(892), Some(31), Some(4)),
    ("SRV-CTX00000", "ok", Some(6002), Some("2018-11"), Some(4), Some(2111), Some(83), Some(26)),
    ("SRV-CTX00001", "ok", Some(6003), Some("2024-08"), Some(1), Some(475), Some(17), Some(2)),
    ("SRV-CTX00007", "ok", Some(6003), Some("2020-09"), Some(2), Some(1545), Some(59), Some(17)),
    ("SRV-DC00002", "ok", Some(6003), Some("2025-07"), Some(1), Some(143), Some(0), Some(0)),
    ("SRV-EXCH00008", "unsupported", None, None, None, None, None, None),
    ("SRV-LEGACY01", "ok", Some(6002), Some("2018-12"), Some(4), Some(2082), Some(81), Some(25)),
    ("SRV-SQL00003", "ok", Some(6003), Some("2024-11"), Some(1), Some(406), Some(12), Some(2)),
    ("SRV-SQL00009", "ok", Some(6003), Some("2025-05"), Some(1), Some(207), Some(1), Some(0)),
];

/// `reachable_kev` of the example hosts: see `crates/cli/tests/fleet_reach.rs`
/// for why each is what it is (the bundles have no configuration files: a
/// KEV CVE with a documented mitigation open makes it unknown, one without
/// is reachable whatever the configuration).
fn reachable_kev(name: &str) -> Option<u32> {
    match name {
        "SRV-APP00004" => Some(29),
        "SRV-APP00010" => Some(31),
        "SRV-CTX00001" => Some(17),
        "SRV-SQL00003" => Some(12),
        "SRV-SQL00009" => Some(1),
        "SRV-APP00006" | "SRV-DC00002" => Some(0),
        // BlueKeep or PrintNightmare open (mitigations.csv rows) and no
        // configuration to judge them; failed and unsupported hosts.
        _ => None,
    }
}

fn names(v: &Value) -> Vec<String> {
    v["hosts"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap().to_string()).collect()
}

fn store(s: &Server) -> SqliteStore {
    SqliteStore::open(&s.db).unwrap()
}

// ---------------------------------------------------------------- access

#[test]
fn every_read_needs_the_token_unless_public() {
    let s = Server::examples("auth", Opts::default());
    for path in ["/api/summary", "/api/hosts", "/api/hosts/SRV-LEGACY01", "/api/cves", "/api/missing", "/api/scans"] {
        let r = request(s.addr, "GET", path, &[], None);
        assert!(r.error(401).contains("needs the bearer token"), "{path}");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"), "{path}");
        let r = request(s.addr, "GET", path, &[("Authorization", "Bearer wrong-token-0123456789")], None);
        assert_eq!(r.error(401), "wrong bearer token", "{path}");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        let r = request(s.addr, "GET", path, &[("Authorization", "Basic dGVzdDp0ZXN0")], None);
        assert_eq!(r.status, 401, "{path}");
        let r = request(s.addr, "GET", path, &[("Authorization", BEARER)], None);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        // The scheme is case-insensitive.
        let r = request(s.addr, "GET", path, &[("Authorization", &BEARER.replace("Bearer", "bearer"))], None);
        assert_eq!(r.status, 200, "{path}");
    }
    // Unknown API paths do not tell whether they exist without the token.
    request(s.addr, "GET", "/api/nope", &[], None).error(401);
    // Health and the OpenAPI document are open.
    let r = request(s.addr, "GET", "/api/health", &[], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"status": "ok", "version": "0.1.0", "catalog": catalog_label()}));
    let r = request(s.addr, "GET", "/openapi.json", &[], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.json()["openapi"], "3.0.3");
    // Uploads need it.
    let r = request(s.addr, "POST", "/api/bundles?name=a.zip", &[("Content-Type", "application/zip")], Some(b"PK"));
    r.error(401);
    assert_eq!(store(&s).scan_count().unwrap(), 13);
}

#[test]
fn public_read_lets_reads_through_but_not_writes() {
    let s = Server::examples("public", Opts { public_read: true, ..Opts::default() });
    for path in ["/api/summary", "/api/hosts", "/api/hosts/SRV-LEGACY01", "/api/cves", "/api/missing", "/api/scans"] {
        let r = request(s.addr, "GET", path, &[], None);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
    }
    let zip = srv_file01_zip();
    let r = request(s.addr, "POST", "/api/bundles?name=a.zip", &[("Content-Type", "application/zip")], Some(&zip));
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    r.error(401);
    let r = request(
        s.addr,
        "POST",
        "/api/bundles?name=a.zip",
        &[("Content-Type", "application/zip"), ("Authorization", "Bearer not-the-token-at-all")],
        Some(&zip),
    );
    r.error(401);
    assert_eq!(store(&s).scan_count().unwrap(), 13);
    let r = request(
        s.addr,
        "POST",
        "/api/bundles?name=a.zip",
        &[("Content-Type", "application/zip"), ("Authorization", BEARER)],
        Some(&zip),
    );
    assert_eq!(r.status, 201, "{}", r.text());
}

#[test]
fn security_headers_on_pages_api_and_errors() {
    let s = Server::examples("headers", Opts::default());
    let cases = [
        ("/", None),
        ("/api/hosts", Some(BEARER)),
        ("/api/hosts", None),
        ("/api/nope", Some(BEARER)),
        ("/openapi.json", None),
        ("/api/health", None),
    ];
    for (path, auth) in cases {
        let headers: Vec<(&str, &str)> = auth.map(|a| vec![("Authorization", a)]).unwrap_or_default();
        let r = request(s.addr, "GET", path, &headers, None);
        let csp = r.header("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{path}");
        if path.starts_with("/api/") {
            assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
        }
    }
}

// ---------------------------------------------------------------- reads

#[test]
fn summary_is_the_report_without_hosts() {
    let s = Server::examples("summary", Opts::default());
    let v = s.json("/api/summary");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = vec![
        "generated_at",
        "catalog",
        "headline",
        "totals",
        "by_build",
        "by_patched_through",
        "by_kev",
        "history",
        "top_cves",
        "top_missing",
        "close_first",
    ];
    let mut got = keys.clone();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(v["catalog"], catalog_label());
    assert_eq!(
        v["totals"],
        json!({"hosts": 13, "ok": 10, "failed": 2, "unsupported": 1, "scans": 13, "kev_hosts": 8, "ransomware_hosts": 7, "partial": 0, "kev_unknown_hosts": 0, "reachable_kev_hosts": 5, "reachable_kev_unknown_hosts": 3})
    );
    // The headline: the 3 hosts not assessed are never current; one scan round: no trend.
    let hl = &v["headline"];
    assert_eq!(
        (hl["hosts"].as_u64(), hl["assessed"].as_u64(), hl["not_assessed"].as_u64()),
        (Some(13), Some(10), Some(3))
    );
    assert_eq!(hl["kev_hosts"], 8);
    assert!(hl["current"].as_u64().unwrap() <= 10);
    assert_eq!(hl["current_percent"].as_u64().unwrap(), hl["current"].as_u64().unwrap() * 100 / 13);
    assert!(hl["trend"].is_null() || hl["trend"]["since"].is_string(), "{hl}");
    assert_eq!(v["by_build"], json!([{"label": "6002", "hosts": 2}, {"label": "6003", "hosts": 8}]));
    assert_eq!(
        v["by_kev"],
        json!([{"label": "KEV + ransomware", "hosts": 7}, {"label": "KEV", "hosts": 1}, {"label": "no KEV", "hosts": 2}])
    );
    let months: Vec<(&str, u64)> = v["by_patched_through"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["label"].as_str().unwrap(), b["hosts"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        months,
        [
            ("2018-11", 1),
            ("2018-12", 1),
            ("2020-09", 1),
            ("2023-03", 1),
            ("2023-04", 1),
            ("2024-08", 1),
            ("2024-11", 1),
            ("2025-05", 1),
            ("2025-07", 2)
        ]
    );
    assert_eq!(v["history"], json!([{"date": "2026-01-15", "hosts": 13, "kev_hosts": 8, "open_cves": 8852}]));
    assert_eq!(
        v["top_cves"][0],
        json!({"cve": "CVE-2025-26633", "title": "Microsoft Management Console Security Feature Bypass Vulnerability",
               "severity": "important", "kev": true, "ransomware": true, "exploit": true, "hosts": 7})
    );
    // Same as the store's report, cached: the same answer twice.
    let r = store(&s).fleet_report("", w2k8_store::now_utc(), 0).unwrap();
    assert_eq!(v["top_cves"], serde_json::to_value(&r.top_cves).unwrap());
    assert_eq!(v["top_missing"], serde_json::to_value(&r.top_missing).unwrap());
    let again = s.json("/api/summary");
    assert_eq!(again["generated_at"], v["generated_at"], "served from the cache");
    // A new scan written by another process invalidates it once the scan
    // count is read again (at most COUNT_TTL later).
    let mut st = store(&s);
    let mut extra = example_scans()[12].clone();
    extra.digest = "0".repeat(64);
    extra.scanned_at = "2026-01-20T12:00:00Z".parse().unwrap();
    assert_eq!(st.write_batch(&[extra]).unwrap().stored, 1);
    std::thread::sleep(w2k8_serve::state::COUNT_TTL + std::time::Duration::from_millis(50));
    let after = s.json("/api/summary");
    assert_eq!(after["totals"]["scans"], 14);
    assert_eq!(after["totals"]["hosts"], 13);
    assert_eq!(s.json("/api/scans?limit=1")["total"], 14);
    assert_eq!(s.json("/api/hosts?q=legacy")["hosts"][0]["last_scan"], "2026-01-20T12:00:00Z");
}

#[test]
fn hosts_list_exact_values_filter_sort_paginate() {
    let s = Server::examples("hosts", Opts::default());
    let v = s.json("/api/hosts");
    assert_eq!((v["total"].as_u64(), v["offset"].as_u64(), v["limit"].as_u64()), (Some(13), Some(0), Some(50)));
    let rows = v["hosts"].as_array().unwrap();
    assert_eq!(rows.len(), HOSTS.len());
    for (row, (name, status, build, pt, missing, cves, kev, rw)) in rows.iter().zip(HOSTS) {
        assert_eq!(row["name"], *name);
        assert_eq!(row["status"], *status, "{name}");
        assert_eq!(row["build"], json!(build), "{name}");
        assert_eq!(row["patched_through"], json!(pt), "{name}");
        assert_eq!(
            (&row["missing"], &row["open_cves"], &row["kev_open"], &row["ransomware_open"]),
            (&json!(missing), &json!(cves), &json!(kev), &json!(rw)),
            "{name}"
        );
        assert_eq!(row["last_scan"], "2026-01-15T12:00:00Z");
        assert_eq!(row.as_object().unwrap().len(), 24, "every HostRow field: {row}");
        assert_eq!(row["reachable_kev"], json!(reachable_kev(name)), "{name}");
        let accepted = if *status == "ok" { json!({"cves": 0, "missing": 0}) } else { Value::Null };
        assert_eq!(row["accepted"], accepted, "{name}");
        // Unassessed hosts have no lower-bound flag; the examples' hosts were read from whole lists.
        let want_lb = if *status == "ok" { json!(false) } else { Value::Null };
        assert_eq!(row["counts_are_lower_bound"], want_lb, "{name}");
    }
    // Exactly the store's rows, with the accepted findings counted.
    let mut all = store(&s).hosts(&Filter::default()).unwrap();
    store(&s).mark_accepted(&mut all, w2k8_core::Date::today_utc()).unwrap();
    assert_eq!(v["hosts"], serde_json::to_value(&all).unwrap());
    let legacy = &rows[10];
    assert_eq!(legacy["product"], "Windows Server 2008 SP2");
    assert_eq!(legacy["edition"], "Enterprise");
    assert_eq!(legacy["arch"], "x86");
    assert_eq!(legacy["server_core"], false);
    assert_eq!(legacy["kernel"], "6.0.6002.24535");
    assert_eq!(legacy["product_id"], "92516-083-1000043-76281");
    assert_eq!(legacy["error"], Value::Null);
    assert!(rows[9]["error"].as_str().unwrap().starts_with("this is Windows Server 2012 R2"), "{}", rows[9]);

    // q: case-insensitive substring of the name.
    assert_eq!(names(&s.json("/api/hosts?q=exch")), ["00005-SRV-EXCH00005", "SRV-EXCH00008"]);
    assert_eq!(s.json("/api/hosts?q=nothing-like-it")["total"], 0);
    // filter: the `w2k8 hosts --filter` syntax, repeatable (AND).
    let kev = s.json("/api/hosts?filter=kev%3E0");
    let want: Vec<String> = HOSTS.iter().filter(|h| h.6 > Some(0)).map(|h| h.0.to_string()).collect();
    assert_eq!(names(&kev), want);
    assert_eq!(kev["total"], 8);
    assert_eq!(names(&s.json("/api/hosts?filter=build=6002")), ["SRV-CTX00000", "SRV-LEGACY01"]);
    assert_eq!(
        names(&s.json("/api/hosts?filter=build=6003&filter=kev%3E20")),
        ["SRV-APP00004", "SRV-APP00010", "SRV-CTX00007"]
    );
    assert_eq!(names(&s.json("/api/hosts?filter=status=failed")), ["00005-SRV-EXCH00005", "00011-SRV-SQL00011"]);
    assert_eq!(names(&s.json("/api/hosts?filter=core=true")), ["SRV-APP00010", "SRV-DC00002", "SRV-SQL00003"]);
    assert_eq!(names(&s.json("/api/hosts?q=srv-ctx&filter=patched_through%3C2020-01")), ["SRV-CTX00000"]);
    // sort and order (ties by name).
    let by_cves = names(&s.json("/api/hosts?sort=open_cves&order=desc&limit=3"));
    assert_eq!(by_cves, ["SRV-CTX00000", "SRV-LEGACY01", "SRV-CTX00007"]);
    let by_pt = names(&s.json("/api/hosts?sort=patched_through&filter=status=ok"));
    assert_eq!(by_pt[..3], ["SRV-CTX00000", "SRV-LEGACY01", "SRV-CTX00007"]);
    assert_eq!(by_pt[8..], ["SRV-APP00006", "SRV-DC00002"], "2025-07 twice, by name");
    let by_status = names(&s.json("/api/hosts?sort=status&order=desc"));
    assert_eq!(by_status[0], "SRV-EXCH00008");
    assert_eq!(by_status[11..], ["00011-SRV-SQL00011", "00005-SRV-EXCH00005"]);
    let by_rw = names(&s.json("/api/hosts?sort=ransomware_open&order=desc&limit=2"));
    assert_eq!(by_rw, ["SRV-CTX00000", "SRV-LEGACY01"]);
    // risk: the hosts not assessed first (unknown risk), then the most open KEV CVEs.
    let risk = s.json("/api/hosts?sort=risk");
    let rows = risk["hosts"].as_array().unwrap();
    let unread = rows.iter().take_while(|h| h["status"] != "ok").count();
    assert_eq!(unread, 3, "the failed and unsupported hosts lead");
    assert!(rows[unread..].iter().all(|h| h["status"] == "ok"));
    let kevs: Vec<u64> = rows[unread..].iter().map(|h| h["kev_open"].as_u64().unwrap()).collect();
    assert!(kevs.windows(2).all(|w| w[0] >= w[1]), "{kevs:?}");
    let by_name_desc = names(&s.json("/api/hosts?order=desc&limit=1"));
    assert_eq!(by_name_desc, ["SRV-SQL00009"]);
    for key in ["build", "missing", "kev_open", "last_scan", "name"] {
        assert_eq!(s.json(&format!("/api/hosts?sort={key}"))["total"], 13, "{key}");
    }
    // paginate.
    let p = s.json("/api/hosts?limit=5&offset=10");
    assert_eq!(names(&p), ["SRV-LEGACY01", "SRV-SQL00003", "SRV-SQL00009"]);
    assert_eq!((p["total"].as_u64(), p["offset"].as_u64(), p["limit"].as_u64()), (Some(13), Some(10), Some(5)));
    assert_eq!(names(&s.json("/api/hosts?limit=5&offset=13")), Vec::<String>::new());
    assert_eq!(s.json("/api/hosts?limit=0")["hosts"], json!([]));
    assert_eq!(s.json("/api/hosts?limit=1000")["hosts"].as_array().unwrap().len(), 13);
}

#[test]
fn bad_queries_are_400_naming_the_parameter() {
    let s = Server::examples("bad", Opts::default());
    for (path, want) in [
        ("/api/hosts?limit=abc", "query parameter `limit`: expected an integer from 0 to 1000, got 'abc'"),
        ("/api/hosts?limit=1001", "query parameter `limit`: expected an integer from 0 to 1000, got '1001'"),
        ("/api/hosts?offset=-1", "query parameter `offset`: expected an integer"),
        ("/api/hosts?sort=size", "query parameter `sort`: expected one of name, risk, build, patched_through, missing, open_cves, kev_open, ransomware_open, last_scan, status, got 'size'"),
        ("/api/hosts?order=up", "query parameter `order`: expected one of asc, desc, got 'up'"),
        ("/api/hosts?filter=bogus", "query parameter `filter`: filter `bogus`: expected KEY OP VALUE"),
        ("/api/hosts?filter=kev%3Emany", "query parameter `filter`: "),
        ("/api/hosts?limit=1&limit=2", "query parameter `limit`: expected it once, got it several times"),
        ("/api/hosts?colour=red", "unknown query parameter `colour`: expected one of q, filter, sort, order, limit, offset"),
        ("/api/summary?x=1", "unknown query parameter `x`: this route takes no parameters"),
        ("/api/cves?kev=maybe", "query parameter `kev`: expected true or false, got 'maybe'"),
        ("/api/cves?ransomware=1", "query parameter `ransomware`: expected true or false, got '1'"),
        ("/api/scans?limit=x", "query parameter `limit`: expected an integer from 0 to 1000, got 'x'"),
        ("/api/cves/NOT-A-CVE", "path parameter `cve`: expected CVE-YYYY-NNNN"),
        ("/api/missing?kb=1", "unknown query parameter `kb`"),
    ] {
        let m = s.get(path).error(400);
        assert!(m.starts_with(want), "{path}: {m}");
    }
    // A path segment that is not UTF-8: axum's own rejection, as JSON.
    let m = s.get("/api/hosts/%FF%FE").error(400);
    assert!(!m.is_empty());
}

#[test]
fn unknown_routes_wrong_methods_are_json() {
    let s = Server::examples("routes", Opts::default());
    assert_eq!(s.get("/api/nope").error(404), "no such API route: GET /api/nope");
    assert_eq!(s.get("/api/hosts/a/b").error(404), "no such API route: GET /api/hosts/a/b");
    assert_eq!(s.get("/api/").error(404), "no such API route: GET /api/");
    assert_eq!(s.get("/api").error(404), "no such API route: GET /api");
    let r = request(s.addr, "POST", "/api/hosts", &[("Authorization", BEARER)], Some(b"{}"));
    let m = r.error(405);
    assert_eq!(r.header("allow"), Some("GET,HEAD"));
    assert_eq!(m, "method POST is not allowed on /api/hosts");
    let r = request(s.addr, "GET", "/api/bundles", &[("Authorization", BEARER)], None);
    assert_eq!(r.error(405), "method GET is not allowed on /api/bundles");
    assert_eq!(r.header("allow"), Some("POST"));
    let r = request(s.addr, "DELETE", "/api/hosts/SRV-LEGACY01", &[("Authorization", BEARER)], None);
    r.error(405);
    // HEAD of a read answers like GET, without a body.
    let r = request(s.addr, "HEAD", "/api/summary", &[("Authorization", BEARER)], None);
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
}

#[test]
fn one_host_in_full() {
    let s = Server::examples("host", Opts::default());
    let v = s.json("/api/hosts/SRV-LEGACY01");
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["changes", "exposure", "exposure_limit", "exposure_total", "host", "missing", "plan", "scans"]);
    assert_eq!(v["host"]["name"], "SRV-LEGACY01");
    assert_eq!(v["host"]["open_cves"], 2082);
    let kbs: Vec<&str> = v["missing"].as_array().unwrap().iter().map(|m| m["kb"].as_str().unwrap()).collect();
    // In the plan's order (issue 15: one install order): the SSU of April 2019 that the sources pair
    // with SHA-2 support, KB4474419 itself, then the newest SSU and the rollup (no ESU: January 2020's).
    assert_eq!(kbs, ["KB4493730", "KB4474419", "KB4536953", "KB4534303"]);
    assert_eq!(v["missing"][0]["kind"], "ssu");
    // The riskiest 100 by default, with the total.
    assert_eq!(v["exposure_total"], 2082);
    assert_eq!(v["exposure_limit"], 100);
    let exposure = v["exposure"].as_array().unwrap();
    assert_eq!(exposure.len(), 100);
    assert_eq!(exposure[0]["cve"], "CVE-2019-0708");
    // Every open CVE on request.
    let all = s.json("/api/hosts/SRV-LEGACY01?exposure_limit=100000");
    let every = all["exposure"].as_array().unwrap();
    assert_eq!(every.len(), 2082);
    assert_eq!(all["exposure_limit"], 100000);
    assert_eq!(every[..100], exposure[..], "the default page is the head of the whole list");
    assert_eq!(every.iter().filter(|c| c["kev"] == true).count(), 81);
    assert_eq!(every.iter().filter(|c| c["ransomware"] == true).count(), 25);
    assert_eq!(s.json("/api/hosts/SRV-LEGACY01?exposure_limit=0")["exposure"].as_array().unwrap().len(), 0);
    // Same as the store's detail, with the accepted findings counted.
    let mut d = store(&s).host_detail("SRV-LEGACY01", usize::MAX).unwrap().unwrap();
    store(&s).mark_accepted(std::slice::from_mut(&mut d.host), w2k8_core::Date::today_utc()).unwrap();
    assert_eq!(v["host"], serde_json::to_value(&d.host).unwrap());
    assert_eq!(v["missing"], serde_json::to_value(&d.missing).unwrap());
    assert_eq!(all["exposure"], serde_json::to_value(&d.exposure).unwrap());
    // The plan, as `w2k8 plan --format json` prints it.
    let plan = &v["plan"];
    assert!(plan.is_object(), "{plan}");
    for k in ["host", "build", "patched_through", "steps", "reboots", "final_state"] {
        assert!(plan.get(k).is_some(), "plan.{k}: {plan}");
    }
    assert!(!plan["steps"].as_array().unwrap().is_empty());
    // Its scans, oldest first, and no changes for a single scan.
    let scans = v["scans"].as_array().unwrap();
    assert_eq!(scans.len(), 1);
    assert_eq!(scans[0]["host"], "SRV-LEGACY01");
    assert_eq!(scans[0]["status"], "ok");
    assert_eq!(scans[0]["kev_open"], 81);
    assert!(scans[0]["source"].as_str().unwrap().ends_with("examples/srv-legacy01"));
    assert_eq!(v["changes"], json!([]));

    // Case-insensitive; a failed host has no plan.
    assert_eq!(s.json("/api/hosts/srv-legacy01")["host"]["name"], "SRV-LEGACY01");
    let f = s.json("/api/hosts/00011-SRV-SQL00011");
    assert_eq!(f["plan"], Value::Null);
    assert_eq!(f["host"]["status"], "failed");
    assert_eq!(f["missing"], json!([]));
    assert!(f["scans"][0]["error"].as_str().unwrap().contains("not a readable zip archive"));
    let u = s.json("/api/hosts/SRV-EXCH00008");
    assert_eq!(u["plan"], Value::Null);
    assert_eq!(u["host"]["status"], "unsupported");
    // Unknown host.
    assert_eq!(s.get("/api/hosts/NOPE").error(404), "no host named 'NOPE'");
    assert_eq!(s.get("/api/hosts/%3Cb%3E").error(404), "no host named '<b>'");
}

/// Issue 18, item 6: a junk bundle named after a server (other case, no
/// product ID, scanned later) no longer hides it: the name answers 409
/// listing both, and each host is reachable by its id.
#[test]
fn same_named_hosts_answer_409_with_the_candidates() {
    let s = Server::examples("same-name", Opts::default());
    let real_row = s.json("/api/hosts/SRV-LEGACY01")["host"].clone();
    let real = real_row["host_id"].as_i64().unwrap();
    let r = s.upload("srv-legacy01.zip", b"garbage");
    assert_eq!(r.status, 201, "{}", r.text());
    let junk = r.json();
    assert_eq!(junk["host"], "srv-legacy01");
    for path in ["/api/hosts/SRV-LEGACY01", "/api/hosts/srv-legacy01", "/api/hosts/Srv-Legacy01?exposure_limit=5"] {
        let r = s.get(path);
        assert_eq!(r.status, 409, "{path}: {}", r.text());
        assert_eq!(r.header("content-type"), Some("application/json"));
        let v = r.json();
        assert_eq!(v["error"]["status"], 409);
        let message = v["error"]["message"].as_str().unwrap();
        assert!(message.contains("names 2 hosts") && message.contains("/api/hosts/id/"), "{message}");
        let c = v["error"]["candidates"].as_array().unwrap();
        let listed: Vec<(i64, &str, &str)> = c
            .iter()
            .map(|h| (h["host_id"].as_i64().unwrap(), h["name"].as_str().unwrap(), h["status"].as_str().unwrap()))
            .collect();
        assert_eq!(listed.len(), 2, "{v}");
        assert_eq!(listed[0], (real, "SRV-LEGACY01", "ok"));
        assert_eq!((listed[1].1, listed[1].2), ("srv-legacy01", "failed"));
        // The whole row of each (the accepted findings are not counted in an error).
        let mut row = real_row.clone();
        row["accepted"] = Value::Null;
        assert_eq!(c[0], row, "the whole row of each");
        assert!(c[1]["product_id"].is_null() && c[1]["last_scan"].is_string(), "{}", c[1]);
    }
    // By id: the real host in full, and the junk one.
    let junk_id = s.get("/api/hosts/srv-legacy01").json()["error"]["candidates"][1]["host_id"].as_i64().unwrap();
    let v = s.json(&format!("/api/hosts/id/{real}"));
    assert_eq!((v["host"]["name"].as_str(), v["host"]["open_cves"].as_u64()), (Some("SRV-LEGACY01"), Some(2082)));
    assert_eq!(v["exposure"].as_array().unwrap().len(), 100);
    assert_eq!(v["scans"].as_array().unwrap().len(), 1);
    assert!(v["plan"].is_object());
    assert_eq!(s.json(&format!("/api/hosts/id/{real}?exposure_limit=3"))["exposure"].as_array().unwrap().len(), 3);
    let j = s.json(&format!("/api/hosts/id/{junk_id}"));
    assert_eq!((j["host"]["name"].as_str(), j["host"]["status"].as_str()), (Some("srv-legacy01"), Some("failed")));
    assert_eq!(s.get("/api/hosts/id/999999").error(404), "no host with id 999999");
    let bad = s.get("/api/hosts/id/x");
    assert_eq!(bad.status, 400, "{}", bad.text());
    // A host whose name is `id` is still reachable by name.
    assert_eq!(s.get("/api/hosts/id").error(404), "no host named 'id'");
    // The list shows both, each with its id.
    let ids: Vec<i64> = s.json("/api/hosts?q=legacy")["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&real) && ids.contains(&junk_id));
}

#[test]
fn cves_missing_and_scans() {
    let s = Server::examples("cves", Opts::default());
    let st = store(&s);
    let all = st.fleet_cves().unwrap();
    assert_eq!(all.len(), 2115);
    let v = s.json("/api/cves?limit=1000");
    assert_eq!(v["total"], 2115);
    assert_eq!(v["cves"], serde_json::to_value(&all[..1000]).unwrap());
    let first: Vec<&str> = v["cves"].as_array().unwrap()[..4].iter().map(|c| c["cve"].as_str().unwrap()).collect();
    assert_eq!(first, ["CVE-2025-26633", "CVE-2025-29824", "CVE-2023-36884", "CVE-2023-28252"]);
    // KEV first, then by hosts.
    let kev_count = all.iter().filter(|c| c.kev).count();
    let kev = s.json("/api/cves?kev=true&limit=1000");
    assert_eq!(kev["total"], kev_count);
    assert!(kev["cves"].as_array().unwrap().iter().all(|c| c["kev"] == true));
    let rw = s.json("/api/cves?ransomware=true&limit=1000");
    assert_eq!(rw["total"], all.iter().filter(|c| c.ransomware).count());
    let not_kev = s.json("/api/cves?kev=false&limit=0");
    assert_eq!(not_kev["total"], 2115 - kev_count);
    let q = s.json("/api/cves?q=print%20spooler&kev=true");
    assert!(q["cves"].as_array().unwrap().iter().any(|c| c["cve"] == "CVE-2021-34527"));
    assert!(q["cves"].as_array().unwrap().iter().all(|c| c["title"].as_str().unwrap().contains("Print Spooler")));
    assert_eq!(s.json("/api/cves?q=cve-2021-34527")["total"], 1);
    let page = s.json("/api/cves?limit=2&offset=1");
    assert_eq!(page["cves"][0]["cve"], "CVE-2025-29824");
    assert_eq!((page["offset"].as_u64(), page["limit"].as_u64()), (Some(1), Some(2)));

    // One CVE: its hosts, by name.
    let c = s.json("/api/cves/cve-2021-34527");
    assert_eq!(c["cve"]["cve"], "CVE-2021-34527");
    assert_eq!(c["cve"]["hosts"], 3);
    assert_eq!(names(&c), ["SRV-CTX00000", "SRV-CTX00007", "SRV-LEGACY01"]);
    assert_eq!(c["hosts"], serde_json::to_value(st.cve_hosts("CVE-2021-34527".parse().unwrap()).unwrap()).unwrap());
    // Known to the catalog, open nowhere: hosts 0.
    let open: std::collections::HashSet<String> = all.iter().map(|c| c.cve.to_string()).collect();
    let closed = w2k8_catalog::Catalog::embedded()
        .cves()
        .iter()
        .find(|c| !c.id.is_advisory() && !open.contains(&c.id.to_string()))
        .unwrap();
    let c = s.json(&format!("/api/cves/{}", closed.id));
    assert_eq!(c["cve"]["cve"], closed.id.to_string());
    assert_eq!(c["cve"]["title"], closed.title.as_ref());
    assert_eq!(c["cve"]["hosts"], 0);
    assert_eq!(c["hosts"], json!([]));
    assert_eq!(
        s.get("/api/cves/CVE-1999-99999").error(404),
        "no host has CVE-1999-99999 open and the catalog does not know it"
    );

    // Missing updates.
    let m = s.json("/api/missing");
    assert_eq!(m["total"], 9, "KB4493730 joins: the 6002 hosts need it before SHA-2 support");
    assert_eq!(m["updates"], serde_json::to_value(st.fleet_missing().unwrap()).unwrap());
    assert_eq!(m["updates"][0], json!({"kb": "KB5073697", "title": null, "kind": "monthly_rollup", "hosts": 5}));

    // Scans, newest first.
    let sc = s.json("/api/scans");
    assert_eq!((sc["total"].as_u64(), sc["limit"].as_u64()), (Some(13), Some(50)));
    let ids: Vec<i64> = sc["scans"].as_array().unwrap().iter().map(|r| r["scan_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, (1..=13).rev().collect::<Vec<i64>>());
    assert_eq!(sc["scans"][0]["host"], "SRV-LEGACY01");
    let p = s.json("/api/scans?limit=2&offset=11");
    let ids: Vec<i64> = p["scans"].as_array().unwrap().iter().map(|r| r["scan_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [2, 1]);
    assert_eq!(s.json("/api/scans?limit=0")["scans"], json!([]));
}

// ---------------------------------------------------------------- uploads

#[test]
fn upload_a_real_zip_then_read_it_back() {
    let s = Server::examples("upload", Opts::default());
    let zip = srv_file01_zip();
    let r = s.upload("C:\\bundles\\srv-file01.zip", &zip);
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.json();
    assert_eq!(v["host"], "SRV-FILE01");
    assert_eq!(v["status"], "ok");
    assert_eq!(v["error"], Value::Null);
    assert_eq!(v["stored"], true);
    assert_eq!(v["build"], 6003);
    assert_eq!(v["patched_through"], "2023-01");
    assert_eq!(v["source"], "upload:srv-file01.zip", "the name is cut to its last component");
    assert!(v["open_cves"].as_u64().unwrap() >= v["kev_open"].as_u64().unwrap());
    assert_eq!(v["digest"].as_str().unwrap().len(), 64);
    // Exactly what `w2k8 scan` would store for these bytes today.
    let today = w2k8_core::Date::today_utc();
    let want = w2k8_scan::scan_bytes(
        "srv-file01.zip",
        &zip,
        "x",
        w2k8_catalog::Catalog::embedded(),
        today,
        w2k8_store::now_utc(),
    );
    assert_eq!(v["missing"], want.missing.len());
    assert_eq!(v["open_cves"], want.cves.len());
    assert_eq!(v["kev_open"], want.cves.iter().filter(|c| c.kev).count());
    assert_eq!(v["digest"], want.digest);

    let list = s.json("/api/hosts?q=file01");
    assert_eq!(names(&list), ["SRV-FILE01"]);
    assert_eq!(list["hosts"][0]["open_cves"], v["open_cves"]);
    let d = s.json("/api/hosts/SRV-FILE01");
    assert!(d["plan"]["steps"].is_array(), "{}", d["plan"]);
    assert_eq!(d["scans"].as_array().unwrap().len(), 1);
    assert_eq!(d["scans"][0]["source"], "upload:srv-file01.zip");
    assert_eq!(s.json("/api/summary")["totals"]["hosts"], 14);
    assert_eq!(s.json("/api/scans?limit=1")["scans"][0]["host"], "SRV-FILE01");

    // The same bytes again: nothing new.
    let r = s.upload("srv-file01.zip", &zip);
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["stored"], false);
    assert_eq!(r.json()["host"], "SRV-FILE01");
    assert_eq!(store(&s).scan_count().unwrap(), 14);

    // The content types accepted.
    for ct in ["application/x-zip-compressed", "application/octet-stream", "application/zip; name=x"] {
        let r = request(
            s.addr,
            "POST",
            "/api/bundles?name=srv-file01.zip",
            &[("Authorization", BEARER), ("Content-Type", ct)],
            Some(&zip),
        );
        assert_eq!(r.status, 201, "{ct}: {}", r.text());
    }
}

#[test]
fn bad_bundles_are_stored_as_failed_scans_and_the_server_keeps_serving() {
    let s = Server::examples("bombs", Opts::default());
    // A zip bomb: 20 MiB of zeros deflate to ~20 KiB.
    let zeros = vec![0u8; 20 * 1024 * 1024];
    let bomb = make_zip(&[("w2k8-BOMB-20260115/systeminfo.txt", zeros.as_slice())]);
    assert!(bomb.len() < 100 * 1024);
    let traversal = make_zip(&[("../../etc/evil/systeminfo.txt", b"Host Name: EVIL\r\n".as_slice())]);
    let garbage: Vec<u8> = (0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let cut = {
        let z = srv_file01_zip();
        z[..z.len() / 2].to_vec()
    };
    for (name, body, why) in [
        ("bomb.zip", bomb, "zip bomb"),
        ("traversal.zip", traversal, "evil"),
        ("garbage.zip", garbage, "not a readable zip archive"),
        ("cut.zip", cut, "not a readable zip archive"),
    ] {
        let r = s.upload(name, &body);
        assert_eq!(r.status, 201, "{name}: {}", r.text());
        let v = r.json();
        assert_eq!(v["status"], "failed", "{name}: {v}");
        assert_eq!(v["stored"], true, "{name}");
        // Not assessed: no count, never 0 (issue 15).
        for k in ["missing", "open_cves", "kev_open", "ransomware_open"] {
            assert_eq!(v[k], Value::Null, "{name}: {k}");
        }
        assert_eq!(v["host"], name.trim_end_matches(".zip"));
        let e = v["error"].as_str().unwrap();
        assert!(e.contains(why), "{name}: {e}");
        let h = s.json(&format!("/api/hosts/{}", name.trim_end_matches(".zip")));
        assert_eq!(h["host"]["status"], "failed");
        assert_eq!(h["host"]["error"], e);
        assert_eq!(s.get("/api/health").status, 200);
    }
    assert!(!std::path::Path::new("/etc/evil").exists());
    assert_eq!(store(&s).scan_count().unwrap(), 17);
    assert_eq!(s.json("/api/summary")["totals"]["failed"], 6);
}

#[test]
fn upload_errors_413_415_400() {
    let s = Server::examples("limits", Opts { max_body: 64 * 1024, ..Opts::default() });
    let auth = ("Authorization", BEARER);
    // 415: not a bundle's content type.
    for ct in [Some("text/plain"), Some("application/json"), Some("multipart/form-data; boundary=x"), None] {
        let mut h = vec![auth];
        if let Some(ct) = ct {
            h.push(("Content-Type", ct));
        }
        let r = request(s.addr, "POST", "/api/bundles?name=a.zip", &h, Some(b"PK\x03\x04"));
        let m = r.error(415);
        assert!(
            m.ends_with("expected one of application/zip, application/x-zip-compressed, application/octet-stream"),
            "{m}"
        );
    }
    // 413: declared too large (answered before the body is read).
    let stream = write_request(
        s.addr,
        "POST",
        "/api/bundles?name=big.zip",
        &[auth, ("Content-Type", "application/zip"), ("Content-Length", "10000000")],
        Some(b"PK"),
    );
    let r = read_response(stream);
    assert_eq!(r.error(413), "the bundle is larger than the server's limit of 65536 bytes");
    // 413: chunked, found too large while reading.
    let mut body = Vec::new();
    for _ in 0..9 {
        body.extend_from_slice(format!("{:x}\r\n", 8000).as_bytes());
        body.extend_from_slice(&[b'A'; 8000]);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"0\r\n\r\n");
    let r = request(
        s.addr,
        "POST",
        "/api/bundles?name=big.zip",
        &[auth, ("Content-Type", "application/zip"), ("Transfer-Encoding", "chunked")],
        Some(&body),
    );
    r.error(413);
    // 400: empty body, bad parameter.
    let r = request(s.addr, "POST", "/api/bundles?name=a.zip", &[auth, ("Content-Type", "application/zip")], Some(b""));
    assert_eq!(r.error(400), "the request body is empty: expected the bundle's bytes");
    let r = request(s.addr, "POST", "/api/bundles?host=a", &[auth, ("Content-Type", "application/zip")], Some(b"x"));
    assert_eq!(r.error(400), "unknown query parameter `host`: expected one of name");
    // Nothing was stored.
    assert_eq!(store(&s).scan_count().unwrap(), 13);
    // Just under the limit is fine.
    let small = make_zip(&[("systeminfo.txt", &[b'x'; 100])]);
    let r = s.upload("small.zip", &small);
    assert_eq!(r.status, 201, "{}", r.text());
}

#[test]
fn html_significant_names_come_back_intact() {
    let s = Server::examples("html", Opts::default());
    // A single systeminfo file whose host name is markup.
    let evil = "<script>alert(\"x\")</script>&amp;'";
    // The file is in OEM code page 437: replace the name's bytes.
    let raw = std::fs::read(root().join("examples/srv-file01/systeminfo.txt")).unwrap();
    let at = raw.windows(10).position(|w| w == b"SRV-FILE01").unwrap();
    let text = [&raw[..at], evil.as_bytes(), &raw[at + 10..]].concat();
    let r = request(
        s.addr,
        "POST",
        "/api/bundles?name=systeminfo.txt",
        &[("Authorization", BEARER), ("Content-Type", "application/octet-stream")],
        Some(&text),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["host"], evil);
    let list = s.json(&format!("/api/hosts?q={}", encode("<script>")));
    assert_eq!(names(&list), [evil]);
    assert!(list["hosts"][0]["status"] == "ok", "{}", list["hosts"][0]);
    let d = s.json(&format!("/api/hosts/{}", encode(evil)));
    assert_eq!(d["host"]["name"], evil);
    // The raw JSON carries the name as JSON escapes it, nothing more.
    let raw = s.get(&format!("/api/hosts?q={}", encode("<script>"))).text();
    assert!(raw.contains(r#""name":"<script>alert(\"x\")</script>&amp;'""#), "{raw}");
    // A file name that is markup, for a bundle that gives no host name.
    let r = s.upload("<img src=x onerror=alert(1)>.zip", b"not a zip at all");
    assert_eq!(r.json()["host"], "<img src=x onerror=alert(1)>");
    assert_eq!(s.json(&format!("/api/hosts/{}", encode("<img src=x onerror=alert(1)>")))["host"]["status"], "failed");
}

#[test]
fn graceful_shutdown_finishes_an_upload_in_flight() {
    let mut s = Server::examples("shutdown", Opts::default());
    let zip = srv_file01_zip();
    let (first, rest) = zip.split_at(zip.len() / 2);
    let len = zip.len().to_string();
    let mut stream = write_request(
        s.addr,
        "POST",
        "/api/bundles?name=srv-file01.zip",
        &[("Authorization", BEARER), ("Content-Type", "application/zip"), ("Content-Length", &len)],
        Some(first),
    );
    std::thread::sleep(Duration::from_millis(300));
    // Stop the server while the request is half received.
    s.trigger_shutdown();
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(rest).unwrap();
    let r = read_response(stream);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["stored"], true);
    assert_eq!(r.json()["host"], "SRV-FILE01");
    assert_eq!(s.join(), Ok(()));
    // Stored before the server stopped.
    let st = store(&s);
    assert_eq!(st.scan_count().unwrap(), 14);
    let h = st.history("SRV-FILE01").unwrap().unwrap();
    assert_eq!(h.scans.len(), 1);
    assert_eq!(h.scans[0].source, "upload:srv-file01.zip");
    // And it no longer accepts connections.
    assert!(std::net::TcpStream::connect_timeout(&s.addr, Duration::from_secs(2)).is_err());
}

// ---------------------------------------------------------------- OpenAPI

/// Checks `v` against an OpenAPI 3.0 schema (type, nullable, enum,
/// required, properties: no undeclared ones unless additionalProperties,
/// items, min/maxItems, $ref); returns what does not match.
fn check(doc: &Value, schema: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/components/schemas/").unwrap();
        let target = &doc["components"]["schemas"][name];
        assert!(target.is_object(), "{at}: dangling $ref {r}");
        return check(doc, target, v, at, errs);
    }
    if v.is_null() {
        if schema["nullable"] != true {
            errs.push(format!("{at}: null but not nullable"));
        }
        return;
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errs.push(format!("{at}: {v} not in {e:?}"));
        }
    }
    let ty = schema.get("type").and_then(Value::as_str);
    let ok = match ty {
        Some("object") => v.is_object(),
        Some("array") => v.is_array(),
        Some("string") => v.is_string(),
        Some("integer") => v.is_i64() || v.is_u64(),
        Some("number") => v.is_number(),
        Some("boolean") => v.is_boolean(),
        None => true,
        Some(t) => panic!("{at}: unknown type {t}"),
    };
    if !ok {
        errs.push(format!("{at}: expected {ty:?}, got {v}"));
        return;
    }
    if let Some(o) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for req in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !o.contains_key(req.as_str().unwrap()) {
                errs.push(format!("{at}: required `{req}` missing"));
            }
        }
        if let Some(props) = props {
            for (k, val) in o {
                match props.get(k) {
                    Some(ps) => check(doc, ps, val, &format!("{at}.{k}"), errs),
                    None if schema["additionalProperties"] == true => {}
                    None => errs.push(format!("{at}: `{k}` is not in the schema")),
                }
            }
        }
    }
    if let Some(a) = v.as_array() {
        if let Some(n) = schema.get("minItems").and_then(Value::as_u64) {
            if (a.len() as u64) < n {
                errs.push(format!("{at}: fewer than {n} items"));
            }
        }
        if let Some(n) = schema.get("maxItems").and_then(Value::as_u64) {
            if (a.len() as u64) > n {
                errs.push(format!("{at}: more than {n} items"));
            }
        }
        if let Some(items) = schema.get("items") {
            for (i, x) in a.iter().enumerate() {
                check(doc, items, x, &format!("{at}[{i}]"), errs);
            }
        }
    }
}

/// The documented schema of `method path`'s answer with `status`.
fn response_schema<'a>(doc: &'a Value, method: &str, path: &str, status: u16) -> &'a Value {
    let mut r = &doc["paths"][path][method]["responses"][status.to_string()];
    assert!(r.is_object(), "{method} {path}: status {status} is not documented");
    if let Some(name) = r.get("$ref").and_then(Value::as_str) {
        r = &doc["components"]["responses"][name.strip_prefix("#/components/responses/").unwrap()];
    }
    &r["content"]["application/json"]["schema"]
}

#[test]
fn answers_match_the_openapi_document() {
    let s = Server::examples("openapi", Opts { max_body: 1024 * 1024, ..Opts::default() });
    let doc = request(s.addr, "GET", "/openapi.json", &[], None).json();
    let zip = srv_file01_zip();
    let up = s.upload("srv-file01.zip", &zip);
    let failed = s.upload("bad.zip", b"garbage");
    // A junk bundle named after a server: its name names two hosts.
    assert_eq!(s.upload("srv-app00004.zip", b"garbage").status, 201);
    // A second scan of a host, so that `changes` has an entry.
    let mut st = store(&s);
    let mut again = example_scans()[12].clone();
    again.digest = "1".repeat(64);
    again.scanned_at = "2026-02-01T12:00:00Z".parse().unwrap();
    again.patched_through = Some("2019-01".parse().unwrap());
    again.build = Some(6003);
    again.cves.truncate(10);
    again.file_problems = vec![w2k8_store::FileProblem { file: "pipe.txt".into(), problem: "a FIFO".into() }];
    st.write_batch(&[again]).unwrap();
    let open: Vec<String> = st.fleet_cves().unwrap().into_iter().map(|c| c.cve.to_string()).collect();
    let legacy = st.hosts_named("SRV-LEGACY01").unwrap()[0].host_id;
    let junk = st.hosts_named("srv-app00004").unwrap()[1].host_id;
    let closed = w2k8_catalog::Catalog::embedded()
        .cves()
        .iter()
        .find(|c| !c.id.is_advisory() && !open.contains(&c.id.to_string()))
        .unwrap()
        .id;

    let cases: Vec<(&str, &str, String, u16, Resp)> = vec![
        ("get", "/api/health", "/api/health".into(), 200, s.get("/api/health")),
        ("get", "/api/summary", "/api/summary".into(), 200, s.get("/api/summary")),
        ("get", "/api/hosts", "/api/hosts?limit=1000".into(), 200, s.get("/api/hosts?limit=1000")),
        ("get", "/api/hosts/{name}", "ok".into(), 200, s.get("/api/hosts/SRV-LEGACY01")),
        ("get", "/api/hosts/{name}", "uploaded".into(), 200, s.get("/api/hosts/SRV-FILE01")),
        ("get", "/api/hosts/{name}", "failed".into(), 200, s.get("/api/hosts/bad")),
        ("get", "/api/hosts/{name}", "unsupported".into(), 200, s.get("/api/hosts/SRV-EXCH00008")),
        ("get", "/api/hosts/{name}", "404".into(), 404, s.get("/api/hosts/NOPE")),
        ("get", "/api/hosts/{name}", "409".into(), 409, s.get("/api/hosts/srv-app00004")),
        ("get", "/api/hosts/id/{id}", "ok".into(), 200, s.get(&format!("/api/hosts/id/{legacy}"))),
        ("get", "/api/hosts/id/{id}", "failed".into(), 200, s.get(&format!("/api/hosts/id/{junk}"))),
        ("get", "/api/hosts/id/{id}", "404".into(), 404, s.get("/api/hosts/id/999999")),
        ("get", "/api/hosts/id/{id}", "400".into(), 400, s.get("/api/hosts/id/x")),
        ("get", "/api/hosts", "400".into(), 400, s.get("/api/hosts?limit=x")),
        ("get", "/api/hosts", "401".into(), 401, request(s.addr, "GET", "/api/hosts", &[], None)),
        ("get", "/api/cves", "/api/cves?limit=1000".into(), 200, s.get("/api/cves?limit=1000")),
        ("get", "/api/cves/{cve}", "open".into(), 200, s.get("/api/cves/CVE-2019-0708")),
        ("get", "/api/cves/{cve}", "closed".into(), 200, s.get(&format!("/api/cves/{closed}"))),
        ("get", "/api/cves/{cve}", "404".into(), 404, s.get("/api/cves/CVE-1999-99999")),
        ("get", "/api/missing", "/api/missing".into(), 200, s.get("/api/missing")),
        ("get", "/api/close-first", "/api/close-first".into(), 200, s.get("/api/close-first")),
        ("get", "/api/close-first", "400".into(), 400, s.get("/api/close-first?x=1")),
        ("get", "/api/scans", "/api/scans?limit=1000".into(), 200, s.get("/api/scans?limit=1000")),
        ("post", "/api/acceptances", "201".into(), 201, s.accept(ACCEPT_BODY)),
        ("post", "/api/acceptances", "second".into(), 201, s.accept(ACCEPT_BODY)),
        ("post", "/api/acceptances", "400".into(), 400, s.accept(b"{\"target\": \"MS17-010\"}")),
        ("get", "/api/acceptances", "listed".into(), 200, s.get("/api/acceptances")),
        ("delete", "/api/acceptances/{id}", "200".into(), 200, s.delete("/api/acceptances/2")),
        ("delete", "/api/acceptances/{id}", "404".into(), 404, s.delete("/api/acceptances/2")),
        ("delete", "/api/acceptances/{id}", "400".into(), 400, s.delete("/api/acceptances/x")),
        ("post", "/api/bundles", "ok".into(), 201, up),
        ("post", "/api/bundles", "failed".into(), 201, failed),
        (
            "post",
            "/api/bundles",
            "415".into(),
            415,
            request(s.addr, "POST", "/api/bundles", &[("Authorization", BEARER)], Some(b"x")),
        ),
        (
            "post",
            "/api/bundles",
            "413".into(),
            413,
            read_response(write_request(
                s.addr,
                "POST",
                "/api/bundles",
                &[("Authorization", BEARER), ("Content-Type", "application/zip"), ("Content-Length", "99999999")],
                Some(b"x"),
            )),
        ),
    ];
    let mut errs = Vec::new();
    for (method, path, label, status, r) in &cases {
        assert_eq!(r.status, *status, "{method} {path} ({label}): {}", r.text());
        let schema = response_schema(&doc, method, path, *status);
        check(&doc, schema, &r.json(), &format!("{method} {path} ({label})"), &mut errs);
    }
    // The answers exercised the nullable and optional parts.
    let d = s.json("/api/hosts/SRV-LEGACY01");
    assert_eq!(d["changes"].as_array().unwrap().len(), 1, "{}", d["changes"]);
    assert_eq!(d["changes"][0]["build"], json!([6002, 6003]));
    assert_eq!(d["changes"][0]["patched_through"], json!(["2018-12", "2019-01"]));
    assert_eq!(d["host"]["file_problems"], json!([{"file": "pipe.txt", "problem": "a FIFO"}]));
    assert_eq!(d["scans"][1]["file_problems"], d["host"]["file_problems"]);
    assert!(d["scans"][0].get("file_problems").is_none(), "absent when none");
    assert!(errs.is_empty(), "{}", errs.join("\n"));

    // Every documented operation answers (not 404/405) on the server.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let concrete = path
                .replace("{name}", "SRV-LEGACY01")
                .replace("{cve}", "CVE-2019-0708")
                .replace("{id}", &legacy.to_string());
            let r = request(
                s.addr,
                &method.to_ascii_uppercase(),
                &concrete,
                &[("Authorization", BEARER), ("Content-Type", "application/zip")],
                (method == "post").then_some(b"x".as_slice()),
            );
            // DELETE of an id no accepted risk has is the handler's 404, not the router's.
            let no_record = method == "delete" && r.text().contains("no accepted risk with id");
            assert!(![404, 405].contains(&r.status) || no_record, "{method} {path}: {} {}", r.status, r.text());
        }
    }
}

/// `GET /metrics` (issue 19): Prometheus text, behind the token like every
/// read; the figures are the HOSTS table's, counted by hand: 10 ok, 2 failed,
/// 1 unsupported; 8 hosts with an open KEV CVE (29+31+83+17+59+81+12+1 = 313
/// open KEV CVEs), 7 of them with ransomware use.
#[test]
fn metrics_are_prometheus_text_with_the_fleet_figures() {
    let s = Server::examples("metrics", Opts::default());
    let r = request(s.addr, "GET", "/metrics", &[], None);
    assert_eq!(r.status, 401);
    let r = request(s.addr, "GET", "/metrics", &[("Authorization", BEARER)], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/plain; version=0.0.4; charset=utf-8"));
    let text = String::from_utf8(r.body.clone()).unwrap();
    for line in [
        "w2k8_hosts{status=\"ok\"} 10",
        "w2k8_hosts{status=\"failed\"} 2",
        "w2k8_hosts{status=\"unsupported\"} 1",
        "w2k8_hosts_assessed{os=\"ws2008\"} 10",
        "w2k8_hosts_assessed{os=\"ws2008_r2\"} 0",
        "w2k8_hosts_kev_exposed 8",
        "w2k8_hosts_ransomware_exposed 7",
        "w2k8_open_kev_cves 313",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains("w2k8_catalog_age_days{source=\"kev\"} "), "{text}");
}

/// The body of an accepted risk the API tests record.
const ACCEPT_BODY: &[u8] =
    br#"{"target": "cve-2019-0708", "host": "srv-legacy*", "reason": "RDP closed at the firewall",
    "owner": "netops", "until": "2099-12-31"}"#;

/// Issue 19: accepted risks recorded, listed and removed over the API; the
/// token is needed to write them; bad bodies are 400 naming what was expected.
#[test]
fn acceptances_are_recorded_listed_and_removed() {
    let s = Server::examples("acceptances", Opts::default());
    let r = request(s.addr, "POST", "/api/acceptances", &[("Content-Type", "application/json")], Some(ACCEPT_BODY));
    r.error(401);
    let r = s.accept(ACCEPT_BODY);
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.json();
    assert_eq!(
        (
            v["id"].clone(),
            v["target"].clone(),
            v["host"].clone(),
            v["owner"].clone(),
            v["until"].clone(),
            v["expired"].clone()
        ),
        (json!(1), json!("CVE-2019-0708"), json!("srv-legacy*"), json!("netops"), json!("2099-12-31"), json!(false))
    );
    assert!(v["created_at"].as_str().unwrap().ends_with('Z'));
    let listed = s.json("/api/acceptances");
    assert_eq!(listed["acceptances"].as_array().unwrap().len(), 1);
    assert_eq!(listed["acceptances"][0], v);
    // What the CLI and the store see is the same record.
    assert_eq!(store(&s).acceptances().unwrap()[0].reason, "RDP closed at the firewall");
    for (body, says) in [
        (&b"{\"target\": \"CVE-2019-0708\", \"host\": \"*\", \"reason\": \"r\", \"until\": \"2020-01-01\"}"[..], "expected `until` today"),
        (&b"{\"target\": \"CVE-2019-0708\", \"host\": \"*\", \"reason\": \" \", \"until\": \"2099-01-01\"}"[..], "expected a reason"),
        (&b"{\"target\": \"CVE-2019-0708\", \"host\": \"\", \"reason\": \"r\", \"until\": \"2099-01-01\"}"[..], "expected a host name pattern"),
        (&b"{\"target\": \"CVE-2019-0708\", \"host\": \"*\", \"reason\": \"r\", \"until\": \"2099-01-01\", \"extra\": 1}"[..], "unknown field `extra`"),
        (&b"not json"[..], "expected a JSON object"),
    ] {
        let r = s.accept(body);
        assert!(r.error(400).contains(says), "{}: {}", String::from_utf8_lossy(body), r.text());
    }
    let r = request(s.addr, "DELETE", "/api/acceptances/1", &[], None);
    r.error(401);
    assert_eq!(s.delete("/api/acceptances/1").json(), json!({"removed": 1}));
    assert_eq!(s.delete("/api/acceptances/1").error(404), "no accepted risk with id 1");
    assert_eq!(s.json("/api/acceptances"), json!({"acceptances": []}));
}

/// Issue 20 (fleet part) and issue 19 (accepted counts): `reachable_kev` and
/// `accepted` on the host rows, the `reachable_kev` filter, and `GET
/// /api/close-first`, over the examples plus a host whose scan carries an
/// isolation plan.
#[test]
fn reachable_kev_accepted_and_what_to_close_first() {
    let s = Server::examples("reach", Opts::default());
    // No example bundle carries the configuration files: nothing to close, the hosts counted.
    let cf = s.json("/api/close-first");
    assert_eq!((cf["hosts_judged"].as_u64(), cf["hosts_not_recorded"].as_u64()), (Some(10), Some(0)), "{cf}");
    assert_eq!(cf["steps"], json!([]));
    let reach = names(&s.json("/api/hosts?filter=reachable_kev%3E0"));
    assert_eq!(reach, ["SRV-APP00004", "SRV-APP00010", "SRV-CTX00001", "SRV-SQL00003", "SRV-SQL00009"]);
    assert_eq!(names(&s.json("/api/hosts?filter=reachable_kev=0")), ["SRV-APP00006", "SRV-DC00002"]);

    // A print server whose bundle had the configuration files: two reachable
    // KEV CVEs with no fix, its spooler step left out for its role, SIGRed's
    // DNS step proposed.
    let mut st = store(&s);
    let mut p = example_scans()[12].clone();
    p.name = "SRV-PRINT01".into();
    p.product_id = None;
    p.digest = "3".repeat(64);
    p.reachable_kev = Some(2);
    let step = |id: &str, kev: &[&str], role: bool| w2k8_fleet::HostIsolationStep {
        id: id.into(),
        component: "c".into(),
        effect: "removes".into(),
        kev: kev.iter().map(|c| c.parse().unwrap()).collect(),
        other_cves: 0,
        restart: false,
        left_out_for_role: role,
    };
    p.isolation = Some(w2k8_fleet::HostIsolation {
        steps: vec![
            step("stop_spooler", &["CVE-2021-34527"], true),
            step("dns_tcp_receive_packet_size", &["CVE-2020-1350"], false),
        ],
        not_judged: 0,
        no_step_known: 0,
    });
    assert_eq!(st.write_batch(&[p]).unwrap().stored, 1);
    s.state.cache.count.forget();
    let cf = s.json("/api/close-first");
    assert_eq!(cf["hosts_judged"], 11);
    let steps = cf["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2, "{cf}");
    assert_eq!(
        (steps[0]["id"].as_str(), steps[0]["hosts"].as_u64(), steps[0]["kev_pairs"].as_u64()),
        (Some("dns_tcp_receive_packet_size"), Some(1), Some(1))
    );
    assert_eq!(
        (steps[1]["id"].as_str(), steps[1]["hosts"].as_u64(), steps[1]["kev_pairs"].as_u64()),
        (Some("stop_spooler"), Some(0), Some(0))
    );
    assert_eq!(steps[1]["left_out_hosts"], json!(["SRV-PRINT01"]));
    assert_eq!(steps[1]["left_out_kev_pairs"], 1);
    assert_eq!(s.json("/api/summary")["close_first"], cf, "the summary carries the same view");
    assert!(names(&s.json("/api/hosts?filter=reachable_kev%3E0")).contains(&"SRV-PRINT01".to_string()));

    // Accepting one of its open CVEs shows at once (no new scan), beside the counts.
    let open = s.json("/api/hosts/SRV-PRINT01")["exposure"][0]["cve"].as_str().unwrap().to_string();
    let body =
        format!("{{\"target\": \"{open}\", \"host\": \"srv-print*\", \"reason\": \"r\", \"until\": \"2099-01-01\"}}");
    assert_eq!(s.accept(body.as_bytes()).status, 201);
    let row = s.json("/api/hosts?q=print")["hosts"][0].clone();
    assert_eq!(row["accepted"], json!({"cves": 1, "missing": 0}), "{row}");
    assert_eq!(row["open_cves"], 2082, "still counted");
    assert_eq!(s.json("/api/hosts/SRV-PRINT01")["host"]["accepted"], json!({"cves": 1, "missing": 0}));
    let legacy = s.json("/api/hosts/SRV-LEGACY01")["host"].clone();
    assert_eq!(legacy["accepted"], json!({"cves": 0, "missing": 0}), "the pattern names one host");
    assert_eq!(s.delete("/api/acceptances/1").status, 200);
    assert_eq!(s.json("/api/hosts?q=print")["hosts"][0]["accepted"], json!({"cves": 0, "missing": 0}));

    // Recorded by another process (`w2k8 accept` on the same database): no scan added, the server told nothing;
    // it shows once the cached change key has expired (COUNT_TTL), and its removal too.
    let new = w2k8_fleet::NewAcceptance {
        target: open.parse().unwrap(),
        host: "srv-print*".into(),
        reason: "recorded by the CLI".into(),
        owner: None,
        until: w2k8_core::Date::new(2099, 1, 1).unwrap(),
    };
    let id = st.add_acceptance(&new).unwrap().id;
    std::thread::sleep(w2k8_serve::state::COUNT_TTL + std::time::Duration::from_millis(100));
    assert_eq!(s.json("/api/hosts?q=print")["hosts"][0]["accepted"], json!({"cves": 1, "missing": 0}));
    assert!(st.remove_acceptance(id).unwrap());
    std::thread::sleep(w2k8_serve::state::COUNT_TTL + std::time::Duration::from_millis(100));
    assert_eq!(s.json("/api/hosts?q=print")["hosts"][0]["accepted"], json!({"cves": 0, "missing": 0}));
}
