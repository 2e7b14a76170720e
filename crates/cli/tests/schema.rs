//! The JSON Schemas in `docs/schema/` (issue 19) describe what the command
//! prints: each answer is validated against `envelope.schema.json` and its
//! command's schema, on the bundled examples (2008 SP2, 2008 R2, a bundle
//! with the configuration files of issue 20), a partial capture, a fleet with
//! failed and unsupported hosts, every real log fixture, and error codes
//! known and unknown. Broken answers (a reachability the contract does not
//! name, a failed host with a count of 0) must be refused, so the schemas can
//! fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use jsonschema::{Draft, JSONSchema};
use serde_json::Value;
use std::path::Path;
use util::{code, json, root, scratch, w2k8};

fn schema(name: &str) -> JSONSchema {
    let path = root().join("docs/schema").join(format!("{name}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
    JSONSchema::options()
        .with_draft(Draft::Draft202012)
        .compile(&doc)
        .unwrap_or_else(|e| panic!("{}: does not compile: {e}", path.display()))
}

/// The schema's complaints about `doc` (empty when it conforms).
fn complaints(schema: &JSONSchema, doc: &Value) -> Vec<String> {
    match schema.validate(doc) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.map(|e| format!("{} at {}", e, e.instance_path)).take(10).collect(),
    }
}

#[track_caller]
fn conforms(what: &str, doc: &Value, schemas: &[&str]) {
    for name in std::iter::once(&"envelope").chain(schemas) {
        let c = complaints(&schema(name), doc);
        assert!(c.is_empty(), "{what} against {name}.schema.json:\n{}", c.join("\n"));
    }
}

/// `w2k8 ARGS --format json`, whatever its exit code but 2 or a crash.
fn answer(args: &[&str]) -> Value {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--format", "json"]);
    let o = w2k8(&all);
    assert!(matches!(code(&o), 0 | 1), "{args:?}: exit {}: {}", code(&o), util::stderr(&o));
    json(&o)
}

/// A bundle of a 2008 SP2 x64 host through March 2019 with the configuration files of issue 20 (the inventory
/// fixtures), so that `mitigation` objects and isolation steps appear.
fn config_bundle() -> std::path::PathBuf {
    let d = scratch("schema-config");
    std::fs::write(
        d.join("systeminfo.txt"),
        "\r\nHost Name:                 SCHEMA-01\r\nOS Name:                   Microsoft Windows Server 2008 Standard \r\n\
OS Version:                6.0.6002 Service Pack 2 Build 6002\r\nSystem Type:               x64-based PC\r\n\
Hotfix(s):                 1 Hotfix(s) Installed.\r\n                           [01]: KB4493471\r\n\
Network Card(s):           1 NIC(s) Installed.\r\n",
    )
    .unwrap();
    let fx = root().join("crates/inventory/tests/fixtures");
    for (from, to) in [
        ("reg-mitigations/collector_smb1_off_spooler_disabled.txt", "reg-mitigations.txt"),
        ("sc-queryex/en_2008.txt", "services.txt"),
        ("netstat-ano/en_2008.txt", "netstat.txt"),
        ("netsh-advfirewall/en_2008r2.txt", "firewall.txt"),
        ("servermanagercmd/en_dc_print.txt", "roles.txt"),
    ] {
        std::fs::copy(fx.join(from), d.join(to)).unwrap();
    }
    d
}

#[test]
fn host_answers_conform() {
    let config = config_bundle();
    let hosts = [
        "examples/srv-file01".to_string(),
        "examples/srv-legacy01".to_string(),
        "examples/srv-r2-esu01".to_string(),
        // A real capture whose hotfix list is `N/A`-free but R2 RTM-era: partial evidence paths.
        "crates/inventory/tests/fixtures/systeminfo/real/wesng_srv2008r2_sp1_x64_en.txt".to_string(),
        config.to_str().unwrap().to_string(),
    ];
    let mut mitigations = 0;
    let mut isolation_steps = 0;
    for host in &hosts {
        let when = ["--as-of", "2026-06-01"];
        let s = answer(&[&["standing", host.as_str()][..], &when].concat());
        conforms(&format!("standing {host}"), &s, &["standing"]);
        let a = answer(&[&["assess", host.as_str()][..], &when].concat());
        conforms(&format!("assess {host}"), &a, &["standing", "assess"]);
        mitigations += a["exposure"].as_array().unwrap().iter().filter(|e| !e["mitigation"].is_null()).count();
        let p = answer(&[&["plan", host.as_str()][..], &when].concat());
        conforms(&format!("plan {host}"), &p, &["plan"]);
        isolation_steps += p["isolation"]["steps"].as_array().unwrap().len();
    }
    // The configuration bundle exercises the nested objects the schemas describe.
    assert!(mitigations > 0, "no exposure entry with a mitigation object was validated");
    assert!(isolation_steps > 0, "no isolation step was validated");
}

#[test]
fn fleet_answers_conform() {
    let dir = scratch("schema-fleet");
    let db = dir.join("fleet.db");
    let db = db.to_str().unwrap();
    // examples/fleet holds failed (a corrupt zip) and unsupported hosts: exit 4 = some hosts not assessed.
    let o = w2k8(&["scan", "examples/fleet", "--db", db]);
    assert_eq!(code(&o), 4, "{}", util::stderr(&o));
    let h = answer(&["hosts", "--db", db]);
    conforms("hosts", &h, &["hosts"]);
    let statuses: Vec<&str> = h["hosts"].as_array().unwrap().iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"failed") && statuses.contains(&"unsupported") && statuses.contains(&"ok"));
    let r = answer(&["report", "--db", db]);
    conforms("report", &r, &["report"]);
    // The report's host rows are the hosts answer's rows.
    let host_schema = schema("hosts");
    let wrapped = serde_json::json!({ "hosts": r["hosts"] });
    assert!(complaints(&host_schema, &wrapped).is_empty());
}

#[test]
fn explain_and_diagnose_answers_conform() {
    for c in ["0x800f0922", "CBS_E_INSTALLERS_FAILED", "3010", "-2146498270", "0x8BADF00D"] {
        let e = answer(&["explain", c]);
        conforms(&format!("explain {c}"), &e, &["explain"]);
        assert_eq!(e["codes"].as_array().unwrap().len(), 1);
    }
    let real = root().join("crates/diagnose/tests/fixtures/real");
    let mut logs = 0;
    for sub in ["cbs", "windowsupdate", "checksur"] {
        for f in std::fs::read_dir(real.join(sub)).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|x| x == "md") {
                continue;
            }
            let o = w2k8(&["diagnose", f.to_str().unwrap(), "--format", "json"]);
            if code(&o) == 2 || code(&o) == 3 {
                continue; // refused (not a 2008 log): its error is text, not an answer
            }
            conforms(&format!("diagnose {}", f.display()), &json(&o), &["diagnose"]);
            logs += 1;
        }
    }
    assert!(logs >= 10, "only {logs} real logs diagnosed");
}

#[test]
fn the_schemas_refuse_what_the_contract_forbids() {
    let a = answer(&["assess", "examples/srv-file01"]);
    conforms("assess", &a, &["standing", "assess"]);
    let mut bad = a.clone();
    bad["exposure"][0]["reachability"] = "maybe".into();
    assert!(!complaints(&schema("assess"), &bad).is_empty(), "an unnamed reachability passed");
    let mut bad = a.clone();
    bad["summary"]["reachable_kev"] = "some".into();
    assert!(!complaints(&schema("assess"), &bad).is_empty());
    let mut bad = a.clone();
    bad["schema_version"] = 1.into();
    assert!(!complaints(&schema("envelope"), &bad).is_empty());
    let mut bad = a;
    bad["sha2"]["status"] = "probably".into();
    assert!(!complaints(&schema("standing"), &bad).is_empty());
    // A host that was not assessed is never shown clean: counts are null, not 0.
    let unread = serde_json::json!({ "hosts": [{
        "host_id": 1, "name": "X", "product": null, "arch": null, "build": null, "kernel": null,
        "patched_through": null, "missing": 0, "open_cves": 0, "kev_open": 0, "ransomware_open": null,
        "unknown_cves": null, "counts_are_lower_bound": null, "last_scan": "2026-01-01T00:00:00Z",
        "status": "failed", "error": "not a readable zip archive"
    }]});
    assert!(!complaints(&schema("hosts"), &unread).is_empty(), "a failed host with 0 counts passed");
}

/// Every schema in docs/schema is listed in its README and validated by a test here.
#[test]
fn every_schema_is_documented() {
    let dir = root().join("docs/schema");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let this = std::fs::read_to_string(
        Path::new(file!()).file_name().map(|f| root().join("crates/cli/tests").join(f)).unwrap(),
    )
    .unwrap();
    for f in std::fs::read_dir(&dir).unwrap() {
        let name = f.unwrap().file_name().into_string().unwrap();
        if let Some(stem) = name.strip_suffix(".schema.json") {
            assert!(readme.contains(&name), "{name} not in docs/schema/README.md");
            assert!(this.contains(&format!("\"{stem}\"")), "{name} not validated by tests/schema.rs");
            let _ = schema(stem);
        }
    }
}
