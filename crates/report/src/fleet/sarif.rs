//! `w2k8 report --format sarif`: the fleet as one SARIF 2.1.0 log in the
//! style of the single-host writer (`crate::sarif`, whose severity helpers it
//! shares). One rule per CVE / update / failure kind, results:
//! - one per host x open CVE in CISA KEV (from the host's detail),
//! - one per host x missing update,
//! - one per host whose latest scan failed or is not a supported OS.
//!
//! A fleet result has no file to point at: the host is a logical location
//! (`kind` `host`) and the partial fingerprint is `host/id`, so results keep
//! their identity across reports.
use crate::sarif::{cve_help_uri, level, missing_update_rule, result, score};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use w2k8_fleet::{FleetCve, FleetMissing, FleetReport, HostRow, ScanStatus};

fn host_location(name: &str) -> Value {
    json!({"logicalLocations": [{"name": name, "kind": "host"}]})
}

/// Renders the fleet report as a SARIF 2.1.0 log.
pub fn sarif(report: &FleetReport) -> String {
    let mut run = FleetRun::default();
    for d in &report.details {
        let host = &d.host.name;
        for c in d.exposure.iter().filter(|c| c.kev) {
            run.kev_cve(host, c);
        }
        for m in &d.missing {
            run.missing(host, m);
        }
    }
    for h in report.hosts.iter().filter(|h| h.status != ScanStatus::Ok) {
        run.not_assessed(h);
    }
    let t = &report.totals;
    let properties = json!({
        "generated_at": report.generated_at,
        "catalog": report.catalog,
        "hosts": t.hosts,
        "ok": t.ok,
        "failed": t.failed,
        "unsupported": t.unsupported,
        "kev_hosts": t.kev_hosts,
        "ransomware_hosts": t.ransomware_hosts
    });
    crate::json(&crate::sarif::log(run.rules, run.results, properties))
}

/// The rules (one per id, in the order first met) and results of the fleet's run.
#[derive(Default)]
struct FleetRun {
    rules: Vec<Value>,
    seen: BTreeSet<String>,
    results: Vec<Value>,
}

impl FleetRun {
    /// Whether rule `id` is met for the first time (then the caller adds it).
    fn first(&mut self, id: &str) -> bool {
        self.seen.insert(id.to_string())
    }

    /// An open CVE in CISA KEV on `host`.
    fn kev_cve(&mut self, host: &str, c: &FleetCve) {
        let sev = Some(c.severity);
        let id = c.cve.to_string();
        if self.first(&id) {
            let mut tags = vec!["security", "vulnerability", "cisa-kev"];
            if c.ransomware {
                tags.push("ransomware");
            }
            self.rules.push(json!({
                "id": c.cve,
                "name": "OpenKevCve",
                "shortDescription": {"text": format!("{}: {}", c.cve, c.title)},
                "helpUri": cve_help_uri(c.cve),
                "properties": {"security-severity": score(sev), "tags": tags, "precision": "high"}
            }));
        }
        let ransom = if c.ransomware { ", known ransomware use" } else { "" };
        let message = format!("{host}: {} is open ({}, in CISA KEV{ransom}): {}", c.cve, c.severity, c.title);
        self.results.push(result(&id, level(sev), message, host_location(host), host));
    }

    /// An update missing on `host`.
    fn missing(&mut self, host: &str, m: &FleetMissing) {
        let id = m.kb.to_string();
        if self.first(&id) {
            let full = m.title.clone().unwrap_or_else(|| format!("{id} ({})", m.kind));
            self.rules.push(missing_update_rule(m.kb, &m.kind.to_string(), full, None));
        }
        let message = format!("{host}: install {id} ({}).", m.kind);
        self.results.push(result(&id, "warning", message, host_location(host), host));
    }

    /// A host whose latest scan failed or is not a supported OS.
    fn not_assessed(&mut self, h: &HostRow) {
        let id = format!("w2k8-scan-{}", h.status.as_str());
        if self.first(&id) {
            self.rules.push(json!({
                "id": id,
                "name": "ScanNotAssessed",
                "shortDescription": {"text": format!("The host's latest scan is {}: it was not assessed", h.status.as_str())},
                "properties": {"tags": ["scan"]}
            }));
        }
        let why = h.error.as_deref().unwrap_or("no error recorded");
        let message = format!("{}: latest scan ({}) {}: {why}", h.name, h.last_scan, h.status.as_str());
        self.results.push(result(&id, "warning", message, host_location(&h.name), &h.name));
    }
}
