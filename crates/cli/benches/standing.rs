//! Benchmark for `w2k8 standing` (run with `cargo bench -p w2k8`). Prints:
//!
//! * parse + standing for one host, warm (target: <= 1 ms),
//! * a whole `w2k8 standing` process on one bundle, catalog load included
//!   (target: <= 30 ms),
//! * the size of the `w2k8` binary.
//!
//! Figures, not assertions: a benchmark never fails a build.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_inventory::LoadOptions;

fn stats(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    let n = samples.len();
    (samples[n / 2], samples[(n * 99) / 100], samples[0])
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let today = Date::new(2026, 11, 25).expect("valid date");
    let bundles = ["examples/srv-file01", "examples/srv-legacy01"];

    // Catalog load (first use decodes the embedded form).
    let t = Instant::now();
    let catalog = Catalog::embedded();
    println!("catalog: first load {:>8.3} ms", t.elapsed().as_secs_f64() * 1e3);

    for b in bundles {
        let path = root.join(b);
        if !path.exists() {
            continue;
        }
        // Bundle read from disk once; parse + merge + standing per iteration.
        let mut samples = Vec::new();
        for _ in 0..2000 {
            let t = Instant::now();
            let host = w2k8_inventory::load(&path, &LoadOptions::default()).expect("example bundle loads");
            let s = w2k8_assess::standing(&host, catalog, today).expect("example is 2008");
            std::hint::black_box(s);
            samples.push(t.elapsed());
        }
        let (p50, p99, min) = stats(samples);
        println!(
            "load+parse+standing {b:<22} p50 {:>7.3} ms  p99 {:>7.3} ms  min {:>7.3} ms  (target <= 1 ms)",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            min.as_secs_f64() * 1e3
        );
    }

    // A whole process, as an administrator runs it.
    let exe = env!("CARGO_BIN_EXE_w2k8");
    for b in bundles {
        let path = root.join(b);
        if !path.exists() {
            continue;
        }
        for format in ["table", "json"] {
            let mut samples = Vec::new();
            for _ in 0..50 {
                let t = Instant::now();
                let out = Command::new(exe)
                    .args(["standing", "--as-of", "2026-11-25", "--format", format])
                    .arg(&path)
                    .output()
                    .expect("run w2k8");
                samples.push(t.elapsed());
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            }
            let (p50, p99, min) = stats(samples);
            println!(
                "process w2k8 standing {b:<20} --format {format:<5} p50 {:>6.2} ms  p99 {:>6.2} ms  min {:>6.2} ms  (target <= 30 ms)",
                p50.as_secs_f64() * 1e3,
                p99.as_secs_f64() * 1e3,
                min.as_secs_f64() * 1e3
            );
        }
    }
    let size = std::fs::metadata(exe).map(|m| m.len()).unwrap_or(0);
    println!("binary {exe}: {:.2} MiB ({size} bytes)", size as f64 / 1048576.0);
}
