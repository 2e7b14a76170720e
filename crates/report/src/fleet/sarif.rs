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
use crate::sarif::{level, score};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use w2k8_fleet::{FleetReport, ScanStatus};

fn host_location(name: &str) -> Value {
    json!({"logicalLocations": [{"name": name, "kind": "host"}]})
}

/// Renders the fleet report as a SARIF 2.1.0 log.
pub fn sarif(report: &FleetReport) -> String {
    let mut rules: Vec<Value> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut results: Vec<Value> = Vec::new();
    for d in &report.details {
        let host = &d.host.name;
        for c in d.exposure.iter().filter(|c| c.kev) {
            let sev = Some(c.severity);
            if seen.insert(c.cve.clone()) {
                let mut tags = vec!["security", "vulnerability", "cisa-kev"];
                if c.ransomware {
                    tags.push("ransomware");
                }
                rules.push(json!({
                    "id": c.cve,
                    "name": "OpenKevCve",
                    "shortDescription": {"text": format!("{}: {}", c.cve, c.title)},
                    "helpUri": format!("https://msrc.microsoft.com/update-guide/vulnerability/{}", c.cve),
                    "properties": {"security-severity": score(sev), "tags": tags, "precision": "high"}
                }));
            }
            let ransom = if c.ransomware { ", known ransomware use" } else { "" };
            results.push(json!({
                "ruleId": c.cve,
                "level": level(sev),
                "message": {"text": format!("{host}: {} is open ({}, in CISA KEV{ransom}): {}", c.cve, c.severity, c.title)},
                "locations": [host_location(host)],
                "partialFingerprints": {"w2k8/v1": format!("{host}/{}", c.cve)}
            }));
        }
        for m in &d.missing {
            let id = m.kb.to_string();
            if seen.insert(id.clone()) {
                rules.push(json!({
                    "id": id,
                    "name": "MissingUpdate",
                    "shortDescription": {"text": format!("{id} ({}) is missing", m.kind)},
                    "fullDescription": {"text": m.title.clone().unwrap_or_else(|| format!("{id} ({})", m.kind))},
                    "helpUri": format!("https://support.microsoft.com/help/{}", m.kb.number()),
                    "properties": {"security-severity": score(None), "tags": ["security", "missing-update"]}
                }));
            }
            results.push(json!({
                "ruleId": id,
                "level": "warning",
                "message": {"text": format!("{host}: install {id} ({}).", m.kind)},
                "locations": [host_location(host)],
                "partialFingerprints": {"w2k8/v1": format!("{host}/{id}")}
            }));
        }
    }
    for h in report.hosts.iter().filter(|h| h.status != ScanStatus::Ok) {
        let id = format!("w2k8-scan-{}", h.status.as_str());
        if seen.insert(id.clone()) {
            rules.push(json!({
                "id": id,
                "name": "ScanNotAssessed",
                "shortDescription": {"text": format!("The host's latest scan is {}: it was not assessed", h.status.as_str())},
                "properties": {"tags": ["scan"]}
            }));
        }
        let why = h.error.as_deref().unwrap_or("no error recorded");
        results.push(json!({
            "ruleId": id,
            "level": "warning",
            "message": {"text": format!("{}: latest scan ({}) {}: {why}", h.name, h.last_scan, h.status.as_str())},
            "locations": [host_location(&h.name)],
            "partialFingerprints": {"w2k8/v1": format!("{}/{id}", h.name)}
        }));
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
    crate::json(&crate::sarif::log(rules, results, properties))
}
