//! What the benchmarks share.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

/// A fresh schema `schema` on the `W2K8_TEST_PG` server, as a URL that
/// selects it (None when `W2K8_TEST_PG` is not set).
pub fn fresh_pg(schema: &str) -> Option<String> {
    let base = std::env::var("W2K8_TEST_PG").ok().filter(|v| !v.trim().is_empty())?;
    let mut c = postgres::Client::connect(&base, postgres::NoTls).unwrap();
    c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")).unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{sep}options=-csearch_path%3D{schema}"))
}

/// Writes the benchmarks' synthetic fleet of `n` hosts into `out` with
/// `w2k8 demo-fleet` (seed 7, 1% broken bundles).
pub fn demo_fleet(bin: &str, n: usize, out: &std::path::Path) {
    let st = std::process::Command::new(bin)
        .args(["demo-fleet", &n.to_string(), "--out"])
        .arg(out)
        .args(["--seed", "7", "--broken-percent", "1"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(st.success(), "demo-fleet failed");
}
