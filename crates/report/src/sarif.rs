//! `w2k8 assess --format sarif`: SARIF 2.1.0 that GitHub code scanning
//! accepts. One rule per open CVE and per missing update; one result each,
//! located at the bundle file and line that shows the host's installed
//! updates (or the first file read). `security-severity` (CVSS-like 0-10,
//! which GitHub maps to critical/high/medium/low) follows MSRC's rating:
//! critical 9.5, important 8.0, moderate 5.5, low 3.0. Each open CVE's
//! result carries its `reachability` (and the mitigation that decided it) in
//! its `properties` and says it in its message; the run's properties carry
//! the summary's `reachable`, `reachability_unknown` and `reachable_kev`.
use serde_json::{json, Value};
use w2k8_assess::{Assessment, FixStatus};
use w2k8_catalog::Severity;
use w2k8_core::CveId;

pub(crate) fn score(s: Option<Severity>) -> &'static str {
    match s {
        Some(Severity::Critical) => "9.5",
        Some(Severity::Important) => "8.0",
        Some(Severity::Moderate) => "5.5",
        Some(Severity::Low) => "3.0",
        _ => "5.0",
    }
}

pub(crate) fn level(s: Option<Severity>) -> &'static str {
    match s {
        Some(Severity::Critical) | Some(Severity::Important) => "error",
        Some(Severity::Moderate) => "warning",
        _ => "note",
    }
}

/// A URI reference for a bundle file: `base/file` with `\` as `/` and
/// spaces escaped.
fn uri(base: &str, file: &str) -> String {
    let joined =
        if base.is_empty() { file.to_string() } else { format!("{}/{}", base.trim_end_matches(['/', '\\']), file) };
    joined.replace('\\', "/").replace(' ', "%20")
}

/// One sentence on whether the CVE can be reached on the host; `unknown` is said as such, never as safe.
fn reach_sentence(e: &w2k8_assess::Exposure<'_>) -> String {
    use w2k8_assess::reachability::Reachability as R;
    let by = e.mitigation.as_ref().map(|m| format!(" ({}, {})", m.by, crate::csv::evidence(&m.evidence)));
    match e.reachability {
        R::Exposed => "Reachable on this host: no documented mitigation holds.".to_string(),
        R::Reduced => format!("Reachable, with an attack path narrowed{}.", by.unwrap_or_default()),
        R::Mitigated => format!("Microsoft's workaround is in place{}.", by.unwrap_or_default()),
        R::NotReachable => {
            format!("Not reachable: the component is absent, stopped or closed{}.", by.unwrap_or_default())
        }
        R::Unknown => "Reachability unknown: the bundle does not show the configuration that would tell.".to_string(),
    }
}

/// Renders an assessment as a SARIF 2.1.0 log. `base` is the bundle's path
/// as given on the command line (results point at files inside it).
pub fn sarif(a: &Assessment, base: &str) -> String {
    let s = &a.standing;
    let mut run = HostRun {
        host: s.host.clone().unwrap_or_else(|| "host".to_string()),
        location: anchor(s, base),
        rules: Vec::new(),
        results: Vec::new(),
    };
    for e in &a.exposure {
        run.open_cve(e);
    }
    for m in &a.missing {
        run.missing(m);
    }
    for (i, b) in a.blocking.iter().enumerate() {
        run.blocking(i, b);
    }
    let properties = json!({
        "host": s.host,
        "product": s.product,
        "patched_through": s.patched_through,
        "programme": a.programme.programme.as_str(),
        "unknown_updates": a.unknown.len(),
        "reachable": a.summary.reachable,
        "reachability_unknown": a.summary.reachability_unknown,
        "reachable_kev": a.summary.reachable_kev
    });
    crate::json(&log(run.rules, run.results, properties))
}

/// The physical location every result of a host points at: where the
/// installed updates are listed (the latest rollup's line, else the first
/// evidence), else the first file read, else the bundle itself.
fn anchor(s: &w2k8_assess::Standing, base: &str) -> Value {
    let anchor = s
        .evidence
        .iter()
        .find(|e| e.fact == "latest_rollup")
        .or_else(|| s.evidence.first())
        .map(|e| (e.file.clone(), e.line.unwrap_or(1).max(1)));
    let (file, line) =
        anchor.or_else(|| s.sources.first().map(|f| (f.file.clone(), 1))).unwrap_or_else(|| (base.to_string(), 1));
    json!({"physicalLocation": {
        "artifactLocation": {"uri": uri(if file == base { "" } else { base }, &file)},
        "region": {"startLine": line}
    }})
}

/// The rules and results of one host's run, all located at its anchor.
struct HostRun {
    host: String,
    location: Value,
    rules: Vec<Value>,
    results: Vec<Value>,
}

impl HostRun {
    /// An open CVE: its rule (with the fix to install) and its result (with
    /// its KEV entry and reachability).
    fn open_cve(&mut self, e: &w2k8_assess::Exposure<'_>) {
        let fixed: Vec<String> = e.fixed_by.iter().map(|k| k.to_string()).collect();
        let help = match e.status {
            FixStatus::FixAvailable => format!("Install one of: {}.", fixed.join(", ")),
            FixStatus::NoFixAvailableToYou => format!(
                "No fix is available in the host's programme (ended {}); fixed by {} in a longer one.",
                e.programme_ended.map(|d| d.to_string()).unwrap_or_default(),
                fixed.join(", ")
            ),
        };
        let mut tags = vec!["security".to_string(), "vulnerability".to_string()];
        if e.kev.is_some() {
            tags.push("cisa-kev".to_string());
        }
        self.rules.push(json!({
            "id": e.cve,
            "name": "OpenCve",
            "shortDescription": {"text": format!("{}: {}", e.cve, e.title)},
            "fullDescription": {"text": format!("{} ({}, {}). {}", e.title, e.component, e.impact, help)},
            "helpUri": cve_help_uri(e.cve),
            "help": {"text": help},
            "properties": {"security-severity": score(Some(e.severity)), "tags": tags, "precision": "high"}
        }));
        let kev = match &e.kev {
            Some(k) => format!(
                " In CISA KEV since {}{}.",
                k.date_added,
                if k.ransomware { ", known ransomware use" } else { "" }
            ),
            None => String::new(),
        };
        let message = format!(
            "{}: {} is open ({}, {}).{kev} {help} {}",
            self.host,
            e.cve,
            e.severity.name(),
            e.impact,
            reach_sentence(e)
        );
        let mut r = result(&e.cve.to_string(), level(Some(e.severity)), message, self.location.clone(), &self.host);
        if let Value::Object(fields) = &mut r {
            fields.insert("properties".to_string(), reach_properties(e));
        }
        self.results.push(r);
    }

    /// A missing update: its rule and its result (the CVEs it closes).
    fn missing(&mut self, m: &w2k8_assess::Missing) {
        let id = m.kb.to_string();
        let full = format!("{} {}", m.title.clone().unwrap_or_default(), m.why).trim().to_string();
        self.rules.push(missing_update_rule(m.kb, m.kind.as_str(), full, m.max_severity));
        let message = format!(
            "{}: install {id}: {} (closes {} open CVE(s), {} in CISA KEV).",
            self.host,
            m.why,
            m.cves.len(),
            m.kev_count
        );
        self.results.push(result(&id, level(m.max_severity), message, self.location.clone(), &self.host));
    }

    /// The `i`th servicing prerequisite not met (`w2k8-blocking-N`).
    fn blocking(&mut self, i: usize, b: &str) {
        let id = format!("w2k8-blocking-{}", i + 1);
        self.rules
            .push(json!({"id": id, "name": "Blocking", "shortDescription": {"text": "Servicing prerequisite not met"},
            "properties": {"security-severity": "9.0", "tags": ["security"]}}));
        let message = format!("{}: {b}", self.host);
        self.results.push(result(&id, "error", message, self.location.clone(), &self.host));
    }
}

/// An open CVE result's `properties`: its reachability, the mitigation
/// that decided it, and the notes behind it.
fn reach_properties(e: &w2k8_assess::Exposure<'_>) -> Value {
    let mitigation = e.mitigation.as_ref().map(|m| {
        json!({
            "by": m.by,
            "effect": m.effect,
            "strength": m.strength,
            "evidence": crate::csv::evidence(&m.evidence),
            "source": m.source,
        })
    });
    json!({
        "reachability": e.reachability.as_str(),
        "mitigation": mitigation,
        "reachability_notes": e.reachability_notes,
    })
}

/// MSRC's page on `cve` (an advisory's page for an MSRC advisory).
pub(crate) fn cve_help_uri(cve: CveId) -> String {
    match cve.is_advisory() {
        true => format!("https://msrc.microsoft.com/update-guide/advisory/{cve}"),
        false => format!("https://msrc.microsoft.com/update-guide/vulnerability/{cve}"),
    }
}

/// The rule for a missing update `kb` of kind `kind` (`full`: its
/// description), rated at `severity` (shared with the fleet writer).
pub(crate) fn missing_update_rule(kb: w2k8_core::Kb, kind: &str, full: String, severity: Option<Severity>) -> Value {
    let id = kb.to_string();
    json!({
        "id": id,
        "name": "MissingUpdate",
        "shortDescription": {"text": format!("{id} ({kind}) is missing")},
        "fullDescription": {"text": full},
        "helpUri": format!("https://support.microsoft.com/help/{}", kb.number()),
        "properties": {"security-severity": score(severity), "tags": ["security", "missing-update"]}
    })
}

/// One result of rule `rule_id` on `host` at `location`; its partial
/// fingerprint `host/rule_id` keeps its identity across runs (shared with
/// the fleet writer).
pub(crate) fn result(rule_id: &str, level: &str, message: String, location: Value, host: &str) -> Value {
    json!({
        "ruleId": rule_id,
        "level": level,
        "message": {"text": message},
        "locations": [location],
        "partialFingerprints": {"w2k8/v1": format!("{host}/{rule_id}")}
    })
}

/// A SARIF 2.1.0 log of one run of w2k8 with these rules, results and run
/// properties (shared by the single-host and the fleet writers).
pub(crate) fn log(
    rules: Vec<serde_json::Value>,
    results: Vec<serde_json::Value>,
    properties: serde_json::Value,
) -> serde_json::Value {
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "w2k8",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/w2k8",
                "rules": rules
            }},
            "results": results,
            "properties": properties
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(uri("bundles/srv 1", "systeminfo.txt"), "bundles/srv%201/systeminfo.txt");
        assert_eq!(uri("", "a\\b.txt"), "a/b.txt");
        assert_eq!(level(Some(Severity::Moderate)), "warning");
    }
}
