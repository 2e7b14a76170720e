//! Writes the generated "patched through YYYY-MM" hosts as systeminfo files
//! (`<dir>/ptYYYY-MM.txt`, CRLF) and their truth (`<dir>/truth.tsv`: month,
//! the installed KBs, the rollups released after it), for `bench/vs-wesng.sh`.
//!
//!     cargo run --release -p w2k8-assess --example patched_through -- DIR
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::io::Write;
use w2k8_assess::generate::{patched_through_hosts, systeminfo_text};
use w2k8_catalog::Catalog;

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "target/vs-wesng/generated".to_string());
    std::fs::create_dir_all(&dir)?;
    let mut truth = std::fs::File::create(format!("{dir}/truth.tsv"))?;
    writeln!(truth, "month\tinstalled\tlater_rollups")?;
    for h in patched_through_hosts(Catalog::embedded()) {
        std::fs::write(format!("{dir}/pt{}.txt", h.month), systeminfo_text(&h))?;
        let join = |v: &[w2k8_core::Kb]| v.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(",");
        writeln!(truth, "{}\t{}\t{}", h.month, join(&h.installed), join(&h.later_rollups))?;
    }
    Ok(())
}
