//! A fresh PostgreSQL schema per test, on the server `W2K8_TEST_PG` names.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

/// The URL of a fresh, empty schema named after `tag` (dropped and
/// recreated) on the `W2K8_TEST_PG` server; None when the variable is unset.
pub fn fresh_pg(tag: &str) -> Option<String> {
    let base = std::env::var("W2K8_TEST_PG").ok().filter(|v| !v.trim().is_empty())?;
    let schema = format!("t_{tag}_{}", std::process::id());
    let mut c = postgres::Client::connect(&base, postgres::NoTls).expect("W2K8_TEST_PG: cannot connect");
    c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")).unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{sep}options=-csearch_path%3D{schema}"))
}
