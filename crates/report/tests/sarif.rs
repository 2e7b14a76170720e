//! The SARIF output validates against the official SARIF 2.1.0 JSON schema
//! (tests/schema/, see its README for the source).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use w2k8_assess::{assess, Options, Programme};
use w2k8_catalog::Catalog;
use w2k8_core::Date;

fn validate(doc: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("schema/sarif-schema-2.1.0.json")).expect("schema parses");
    let compiled = jsonschema::JSONSchema::compile(&schema).expect("schema compiles");
    let errors: Vec<String> = match compiled.validate(doc) {
        Ok(()) => Vec::new(),
        Err(errs) => errs.map(|e| format!("{e} at {}", e.instance_path)).collect(),
    };
    errors
}

#[test]
fn sarif_of_example_bundles_is_valid() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    for (bundle, programme) in [("srv-file01", None), ("srv-legacy01", Some(Programme::Premium))] {
        let path = std::path::Path::new(root).join(bundle);
        let host = w2k8_inventory::load(&path, &Default::default()).unwrap();
        let a = assess(&host, Catalog::embedded(), Date::new(2026, 11, 25).unwrap(), &Options { programme }).unwrap();
        let text = w2k8_report::sarif::sarif(&a, &format!("examples/{bundle}"));
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors = validate(&doc);
        assert!(errors.is_empty(), "{bundle}: {:?}", &errors[..errors.len().min(5)]);
        let results = doc["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), a.exposure.len() + a.missing.len());
        // GitHub code scanning needs a location with a file and a start line on each result.
        for r in results {
            let loc = &r["locations"][0]["physicalLocation"];
            assert!(loc["artifactLocation"]["uri"].as_str().unwrap().starts_with(&format!("examples/{bundle}/")));
            assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        }
    }
}

#[test]
fn schema_rejects_a_broken_log() {
    let doc = serde_json::json!({"version": "2.0.0", "runs": []});
    assert!(!validate(&doc).is_empty());
}
