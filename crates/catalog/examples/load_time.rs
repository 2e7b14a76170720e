//! Measures how long the embedded catalog takes to load, and prints its
//! counts. Run with `cargo run --release -p w2k8-catalog --example load_time`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::time::Instant;
use w2k8_catalog::{Catalog, OsFamily};

fn main() {
    let t = Instant::now();
    let cat = Catalog::embedded();
    let t_index = t.elapsed();

    let t = Instant::now();
    let found = "KB4493471".parse().ok().and_then(|kb| cat.update(kb)).map(|u| u.kb.to_string());
    let t_lookup = t.elapsed();

    let t = Instant::now();
    let rollups = cat.rollups(OsFamily::Ws2008).len();
    let t_rollups = t.elapsed();

    let t = Instant::now();
    let all = cat.updates().count();
    let t_all = t.elapsed();

    let t = Instant::now();
    let bluekeep = "CVE-2019-0708".parse().ok().and_then(|id| cat.cve(id)).map(|c| c.id);
    let t_cves = t.elapsed();

    let t = Instant::now();
    let stats = cat.stats();
    let t_stats = t.elapsed();

    println!("products + update index: {t_index:?}");
    println!("first update lookup:     {t_lookup:?} ({found:?})");
    println!("2008 rollups ({rollups}):       {t_rollups:?}");
    println!("all {all} updates:        {t_all:?}");
    println!("CVE tables:              {t_cves:?} ({bluekeep:?})");
    println!("stats:                   {t_stats:?}");
    println!("{stats:#?}");
    println!("{:?}", cat.data_version());
}
