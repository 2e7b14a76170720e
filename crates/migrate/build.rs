//! Build script of `w2k8-migrate`: the lifecycle and migration tables
//! (`data/lifecycle/`, `data/migration/`, embedded by `w2k8_data::migration`)
//! must read whole. A row that does not fails the build with
//! `file:line: expected ...`; a change to a table rebuilds `w2k8-data`, and so
//! reruns this script.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let problems = w2k8_data::migration::parse_all().problems;
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        std::process::exit(1);
    }
}
