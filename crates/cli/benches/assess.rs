//! Benchmark for `w2k8 assess` (run with `cargo bench -p w2k8 --bench assess`).
//! Prints, per input, the time to assess one already loaded host, warm
//! (catalog and CVE tables decoded; target: <= 2 ms), and a whole
//! `w2k8 assess --format json` process on one bundle.
//!
//! Figures, not assertions: a benchmark never fails a build.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use w2k8_assess::{assess, generate, Options};
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_inventory::{Host, LoadOptions};

fn median(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[(v.len() * 99) / 100])
}

fn bench(name: &str, host: &Host, catalog: &Catalog, today: Date) {
    let opts = Options::default();
    for _ in 0..20 {
        let _ = assess(host, catalog, today, &opts);
    }
    let mut samples = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        let a = assess(host, catalog, today, &opts);
        samples.push(t.elapsed());
        std::hint::black_box(&a);
    }
    let (p50, p99) = median(samples);
    println!(
        "assess {name:<28} warm: median {:>7.3} ms, p99 {:>7.3} ms (target <= 2 ms)",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let today = Date::new(2026, 11, 25).expect("valid date");
    let t = Instant::now();
    let catalog = Catalog::embedded();
    let _ = catalog.cves().len();
    println!("catalog + CVE tables: first load {:>8.3} ms", t.elapsed().as_secs_f64() * 1e3);
    for b in ["examples/srv-file01", "examples/srv-legacy01", "examples/srv-r2-esu01"] {
        let path = root.join(b);
        if let Ok(host) = w2k8_inventory::load(&path, &LoadOptions::default()) {
            bench(b, &host, catalog, today);
        }
    }
    for os in [w2k8_catalog::OsFamily::Ws2008, w2k8_catalog::OsFamily::Ws2008R2] {
        let hosts = generate::patched_through_hosts_for(catalog, os);
        let tag = if os == w2k8_catalog::OsFamily::Ws2008R2 { "R2 " } else { "" };
        for g in [hosts.first(), hosts.get(hosts.len() / 2), hosts.last()].into_iter().flatten() {
            let text = generate::systeminfo_text(g);
            if let Ok(host) =
                w2k8_inventory::bundle::load_bytes("systeminfo.txt", text.as_bytes(), &LoadOptions::default())
            {
                bench(&format!("generated {tag}{}", g.month), &host, catalog, today);
            }
        }
    }
    // A whole process.
    let exe = root.join("target/release/w2k8");
    let exe = if exe.exists() { exe } else { Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/w2k8") };
    if let Some(bin) = std::env::var_os("W2K8_BIN").map(std::path::PathBuf::from).or(Some(exe)).filter(|p| p.exists()) {
        for example in ["examples/srv-file01", "examples/srv-r2-esu01"] {
            let mut samples = Vec::new();
            for _ in 0..20 {
                let t = Instant::now();
                let _ = Command::new(&bin)
                    .args(["assess", example, "--format", "json", "--as-of", "2026-11-25"])
                    .current_dir(&root)
                    .output();
                samples.push(t.elapsed());
            }
            let (p50, _) = median(samples);
            println!("process: w2k8 assess --format json on {example}: median {:>7.3} ms", p50.as_secs_f64() * 1e3);
        }
    }
}
