//! `w2k8 diagnose`: why did an update fail. Reads CBS.log (and
//! CbsPersist_*.log), WindowsUpdate.log and CheckSUR.log, given directly or
//! found in a host bundle (folder or .zip), recognising each by its content.
//!
//! The command parses its arguments, reads the logs into the detector
//! (`w2k8-diagnose`) with the catalog in use (`Catalog::current()`, the
//! imported overlay included), prints the report (`w2k8-report`) and maps the
//! outcome to an exit code.
//!
//! Exit codes: 0 the diagnosis was printed; 2 a log is not what it should be
//! (`file:line: expected ...`), unreadable, or a bundle holds no log; 3 a log
//! was written by a Windows version `diagnose` does not assess (Windows 8 /
//! Server 2012 and later, the Windows 10+ ETW-format WindowsUpdate.log, a
//! CBS.log of servicing stack 6.1 = 2008 R2 / Windows 7, ...): the diagnosis
//! is still printed, and the message names the version.
use crate::common::{print, Format, Unsupported};
use anyhow::{bail, Context};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use w2k8_catalog::Catalog;
use w2k8_diagnose::{sniff, Diagnoser};
use w2k8_inventory::bundle::{self, LoadOptions, LogKind};

/// Arguments of `diagnose`.
#[derive(clap::Args)]
pub struct Args {
    /// A host bundle (folder or .zip), or log files (CBS.log, WindowsUpdate.log, CheckSUR.log).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

fn add_file(d: &mut Diagnoser, path: &Path, label: &str) -> anyhow::Result<()> {
    let open = || File::open(path).with_context(|| format!("{label}: cannot open"));
    let format =
        sniff(BufReader::with_capacity(64 * 1024, open()?)).with_context(|| format!("{label}: cannot read"))?;
    let Some(format) = format else {
        bail!("{label}:1: expected a CBS.log, WindowsUpdate.log or CheckSUR.log (recognised by content)");
    };
    d.add(label, format, BufReader::with_capacity(256 * 1024, open()?))?;
    Ok(())
}

fn add_bundle(d: &mut Diagnoser, path: &Path) -> anyhow::Result<()> {
    let opts = LoadOptions { max_file_size: 1 << 30, ..LoadOptions::default() };
    let logs = bundle::list_logs(path, &opts)?;
    let label = path.display().to_string();
    let mut n = 0;
    for log in logs {
        let name = format!("{label}/{}", log.file);
        if path.is_dir() {
            let p = path.join(&log.file);
            if log.kind == LogKind::Other {
                let f = File::open(&p).with_context(|| format!("{name}: cannot open"))?;
                if sniff(BufReader::new(f))?.is_none() {
                    continue;
                }
            }
            add_file(d, &p, &name)?;
        } else {
            let bytes = bundle::read_entry(path, &log.file, &opts)?;
            match sniff(bytes.as_slice())? {
                Some(f) => d.add(&name, f, bytes.as_slice())?,
                None if log.kind == LogKind::Other => continue,
                None => {
                    bail!("{name}:1: expected a CBS.log, WindowsUpdate.log or CheckSUR.log (recognised by content)")
                }
            }
        }
        n += 1;
    }
    if n == 0 {
        bail!("{label}: no CBS.log, WindowsUpdate.log or CheckSUR.log in this bundle");
    }
    Ok(())
}

fn is_bundle(path: &Path) -> bool {
    path.is_dir() || path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Runs `diagnose`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let mut d = Diagnoser::new();
    for p in &a.paths {
        if !p.exists() {
            bail!("{}: no such file or folder", p.display());
        }
        if is_bundle(p) {
            add_bundle(&mut d, p)?;
        } else {
            add_file(&mut d, p, &p.display().to_string())?;
        }
    }
    let catalog = Catalog::current()?;
    let dx = d.finish(catalog);
    match a.format {
        Format::Json => print(&w2k8_report::json(&w2k8_report::versioned::versioned(&dx)))?,
        Format::Table => crate::common::print_fitted(&w2k8_report::diagnose::text(&dx))?,
    }
    if !dx.not_2008.is_empty() {
        return Err(Unsupported(dx.not_2008.join("; ")).into());
    }
    Ok(())
}
