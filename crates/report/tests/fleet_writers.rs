//! The fleet report writers on a hand-built fixture (tests/fixtures/fleet/,
//! see its README): snapshots of each format, targeted checks (escaping,
//! counts, CSV formula defusing), an empty fleet, and SARIF validated against
//! the OASIS SARIF 2.1.0 schema (tests/schema/).
//!
//! Regenerate the snapshots with `BLESS=1 cargo test -p w2k8-report --test fleet_writers`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::path::PathBuf;
use w2k8_fleet::{FleetReport, Totals};
use w2k8_report::fleet;

/// The fixture as `report --from-json` reads it: the 0 counts an older
/// w2k8 wrote for hosts it did not assess are dropped.
fn fixture() -> FleetReport {
    let mut r: FleetReport = serde_json::from_str(include_str!("fixtures/fleet/report.json")).unwrap();
    r.forget_unassessed_counts();
    r
}

fn empty() -> FleetReport {
    FleetReport {
        generated_at: "2026-11-25T09:00:00Z".parse().unwrap(),
        catalog: "msrc 2026-06-28, kev 2025.08.25".into(),
        catalog_warnings: vec![],
        totals: Totals::default(),
        by_build: vec![],
        by_patched_through: vec![],
        by_kev: vec![],
        history: vec![],
        hosts: vec![],
        details: vec![],
        top_cves: vec![],
        top_missing: vec![],
        close_first: Default::default(),
    }
}

fn snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fleet").join(name);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let line = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{name} differs from the snapshot at line {}:\n  expected: {:?}\n  actual:   {:?}\n(BLESS=1 to accept)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

fn validate(doc: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value = serde_json::from_str(include_str!("schema/sarif-schema-2.1.0.json")).unwrap();
    let compiled = jsonschema::JSONSchema::compile(&schema).unwrap();
    let errors: Vec<String> = match compiled.validate(doc) {
        Ok(()) => Vec::new(),
        Err(errs) => errs.map(|e| format!("{e} at {}", e.instance_path)).collect(),
    };
    errors
}

#[test]
fn fixture_round_trips_through_json() {
    let r = fixture();
    let again: FleetReport = serde_json::from_str(&fleet::json(&r)).unwrap();
    assert_eq!(again, r);
    assert_eq!(r.hosts.len(), 7);
}

#[test]
fn json_snapshot() {
    snapshot("expected.json", &fleet::json(&fixture()));
}

#[test]
fn csv_snapshot_and_rows() {
    let text = fleet::csv(&fixture());
    snapshot("expected.csv", &text);
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines.len(), 1 + 7 + 1, "header, 7 hosts, the empty tail after the last CRLF");
    assert_eq!(lines[0], fleet::COLUMNS.join(","));
    assert_eq!(
        lines[1],
        "1,srv-file01,00477-001-0000421-84319,Windows Server 2008 SP2,Standard,x64,false,6003,6.0.6003.22015,2023-04,0,0,0,0,2026-11-25T08:00:00Z,ok,,,,,,,,"
    );
    assert!(lines[2].starts_with("2,<script>alert(1)</script>,"), "CSV is not HTML: names stay as they are");
    assert!(lines[3].starts_with("3,Ærø-Ünïcødé-服务器,"));
    // A formula-looking name is defused with a leading quote, and quoted for its commas and quotes.
    assert!(lines[7].starts_with("7,\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\","), "{}", lines[7]);
    assert!(lines[5].contains(",failed,broken-bundle.zip: not a zip archive"));
    // A host that was not assessed has empty counts, never 0 (truth: it was not read).
    assert!(lines[5].starts_with("5,broken-bundle.zip,,,,,,,,,,,,,2026-11-25"), "{}", lines[5]);
    assert!(lines[6].contains(",6.3.9600.19724,,,,,,2026-11-25"), "{}", lines[6]);
    // Every row without a quoted cell has the header's column count.
    for l in &lines[1..7] {
        assert_eq!(l.split(',').count(), fleet::COLUMNS.len(), "{l}");
    }
}

#[test]
fn sarif_snapshot_is_valid_and_counts_results() {
    let r = fixture();
    let text = fleet::sarif(&r);
    snapshot("expected.sarif", &text);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let errors = validate(&doc);
    assert!(errors.is_empty(), "{:?}", &errors[..errors.len().min(5)]);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    // KEV CVEs open: host 2 has 1, host 4 has 2; missing updates: 0+3+1+4+1; not assessed: 2.
    assert_eq!(results.len(), 3 + 9 + 2);
    let rules = doc["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "CVE-2019-0708",
            "KB4493730",
            "KB4474419",
            "KB5025271",
            "CVE-2017-0144",
            "KB4012598",
            "w2k8-scan-failed",
            "w2k8-scan-unsupported"
        ]
    );
    assert!(!ids.contains(&"CVE-2023-21554"), "only KEV CVEs are results");
    let first = &results[0];
    assert_eq!(first["ruleId"], "CVE-2019-0708");
    assert_eq!(first["level"], "error");
    assert_eq!(first["locations"][0]["logicalLocations"][0]["name"], "<script>alert(1)</script>");
    assert_eq!(first["partialFingerprints"]["w2k8/v1"], "<script>alert(1)</script>/CVE-2019-0708");
    // Every rule referenced exists.
    for res in results {
        assert!(ids.contains(&res["ruleId"].as_str().unwrap()));
    }
}

#[test]
fn html_snapshot_and_escaping() {
    let html = fleet::html(&fixture());
    snapshot("expected.html", &html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    // The hostile name never appears as markup, only escaped.
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_eq!(html.matches("<script>").count(), 1, "only the report's own sorting script");
    assert!(html.contains("Ærø-Ünïcødé-服务器"));
    // Self-contained: no external fetch of any kind.
    for bad in ["<link", " src=", "@import", "url(", "fetch(", "XMLHttpRequest"] {
        assert!(!html.contains(bad), "{bad}");
    }
    // One row per host, one detail per assessed host, the four charts.
    let table = html.split("<table id=\"host-table\"").nth(1).unwrap().split("</table>").next().unwrap();
    assert_eq!(table.matches("<tr data-host-id=").count(), 7);
    assert_eq!(html.matches("<details id=\"host-").count(), 5);
    for id in ["chart-build", "chart-kev", "chart-month", "chart-history"] {
        assert!(html.contains(&format!("<svg id=\"{id}\"")), "{id}");
    }
    assert_eq!(html.matches("<rect class=\"bar").count(), 3 + 3 + 5);
    assert!(html.contains(r#"<div class="total bad" id="total-kev"><span class="n">2</span>"#));
    assert!(html.contains("@media print"));
}

#[test]
fn empty_fleet_renders_in_every_format() {
    let r = empty();
    let html = fleet::html(&r);
    assert!(html.contains("No hosts in the store yet"));
    assert!(html.contains("no scans yet"));
    assert_eq!(fleet::csv(&r), format!("{}\r\n", fleet::COLUMNS.join(",")));
    let doc: serde_json::Value = serde_json::from_str(&fleet::sarif(&r)).unwrap();
    assert!(validate(&doc).is_empty());
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 0);
    assert_eq!(serde_json::from_str::<FleetReport>(&fleet::json(&r)).unwrap(), r);
}

#[test]
fn schema_rejects_a_broken_fleet_log() {
    let mut doc: serde_json::Value = serde_json::from_str(&fleet::sarif(&fixture())).unwrap();
    doc["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validate(&doc).is_empty());
}

#[test]
fn html_has_the_headline_and_the_hosts_in_risk_order() {
    let r = fixture();
    let html = fleet::html(&r);
    let head = html.split(r#"<section class="headline""#).nth(1).unwrap().split("</section>").next().unwrap();
    // 7 hosts, 2 not assessed: never counted as current.
    assert!(
        head.contains(
            r#"<span class="n">7</span><span class="k">hosts: 5 assessed, <span class="hl-na na">2 not assessed</span>"#
        ),
        "{head}"
    );
    let hl = w2k8_fleet::Headline::of(&r.hosts, &r.history);
    assert_eq!((hl.assessed, hl.not_assessed), (5, 2));
    assert!(hl.current <= hl.assessed);
    match &hl.trend {
        None => assert!(head.contains("first scan")),
        Some(t) => assert!(head.contains(&format!("since {}", t.since)), "{head}"),
    }
    // The host table: not assessed first, then the most KEV.
    let table = html.split("<table id=\"host-table\"").nth(1).unwrap().split("</table>").next().unwrap();
    let ids: Vec<i64> =
        table.split("<tr data-host-id=\"").skip(1).map(|s| s.split('"').next().unwrap().parse().unwrap()).collect();
    let mut want = r.hosts.clone();
    want.sort_by(w2k8_fleet::risk_order);
    assert_eq!(ids, want.iter().map(|h| h.host_id).collect::<Vec<_>>());
    assert!(r.hosts.iter().any(|h| h.status != w2k8_fleet::ScanStatus::Ok));
    assert_ne!(want[0].status, w2k8_fleet::ScanStatus::Ok, "a host not assessed leads the table");
    // The key columns come first: name, status, KEV, missing.
    let head_row = table.split("</tr>").next().unwrap();
    let pos = |s: &str| head_row.find(s).unwrap_or_else(|| panic!("{s} in {head_row}"));
    assert!(pos(">Host<") < pos(">Status<") && pos(">Status<") < pos(">KEV<") && pos(">KEV<") < pos(">Missing<"));
}

#[test]
fn html_embeds_the_shared_palette() {
    let html = fleet::html(&fixture());
    assert!(html.contains(fleet::PALETTE_CSS));
    // The report's own sheet defines no colour of a category: the palette does.
    let css = include_str!("../assets/fleet.css");
    for var in ["--c-kev:", "--c-critical:", "--c-current:", "--c-not-assessed:", "--c-2008:", "--c-2008r2:"] {
        assert!(fleet::PALETTE_CSS.contains(var), "{var}");
        assert!(!css.contains(var), "fleet.css defines {var}");
    }
}

/// A fleet like `w2k8 demo-fleet 1500 --broken-percent 3`: ten riskiest open
/// CVEs (of a hundred) and two missing updates per assessed host.
fn big_fleet(n: usize) -> FleetReport {
    let mut r = fixture();
    let cves: Vec<w2k8_fleet::FleetCve> = (0..100)
        .map(|i| w2k8_fleet::FleetCve {
            cve: format!("CVE-20{}-{:05}", 10 + i % 15, 20000 + i * 7).parse().unwrap(),
            title: "Windows Common Log File System Driver Elevation of Privilege Vulnerability".into(),
            severity: if i % 3 == 0 { w2k8_core::Severity::Critical } else { w2k8_core::Severity::Important },
            kev: i < 50,
            ransomware: i < 20,
            exploit: i % 2 == 0,
            hosts: 1400,
        })
        .collect();
    let template = r.details.iter().find(|d| !d.missing.is_empty()).unwrap().clone();
    let broken = r.hosts.iter().find(|h| h.status != w2k8_fleet::ScanStatus::Ok).unwrap().clone();
    r.hosts.clear();
    r.details.clear();
    for i in 0..n {
        let mut h = if i % 33 == 0 { broken.clone() } else { template.host.clone() };
        h.host_id = i as i64 + 1;
        h.name = format!("{i:05}-SRV-EXCH{i:05}");
        h.error = h.error.map(|_| format!("fleet/2026-01-27/{i:05}-SRV-EXCH{i:05}.zip: not a readable zip archive (invalid Zip archive: Could not find EOCD)"));
        let ok = h.status == w2k8_fleet::ScanStatus::Ok;
        r.details.push(w2k8_fleet::HostDetail {
            host: h.clone(),
            missing: if ok { template.missing.iter().take(2).cloned().collect() } else { vec![] },
            exposure: if ok { cves.iter().skip(i % 90).take(10).cloned().collect() } else { vec![] },
        });
        r.hosts.push(h);
    }
    r.top_cves = cves;
    r
}

#[test]
fn a_report_of_1500_hosts_is_under_2_mb() {
    let html = fleet::html(&big_fleet(1500));
    assert!(html.len() < 2_000_000, "{} bytes", html.len());
    // Every CVE a detail names has a row to link to.
    assert_eq!(html.matches(r#"<tr id="cve-"#).count(), 100);
    assert_eq!(html.matches("<details id=\"host-").count(), 1500);
}
