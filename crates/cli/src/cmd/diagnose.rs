//! `w2k8 diagnose`: why did an update fail. Reads CBS.log (and
//! CbsPersist_*.log), WindowsUpdate.log and CheckSUR.log, given directly or
//! found in a host bundle (folder or .zip), recognising each by its content.
//!
//! Exit codes: 0 the diagnosis was printed; 2 a log is not what it should be
//! (`file:line: expected ...`), unreadable, or a bundle holds no log; 3 a log
//! was written by another Windows version than Server 2008 (the Windows 10+
//! ETW-format WindowsUpdate.log, a CBS.log of servicing stack 6.1 = 2008 R2 /
//! Windows 7, ...): the diagnosis is still printed, and the message names the
//! version.
use crate::common::{print, Format, Unsupported};
use anyhow::{bail, Context};
use std::fmt::Write as _;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use w2k8_diagnose::{sniff, Diagnoser, Diagnosis, Outcome};
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

/// The readable report.
fn text(dx: &Diagnosis) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", dx.summary);
    let _ = writeln!(s, "\nLogs");
    for l in &dx.logs {
        let who = l.windows.as_deref().unwrap_or("Windows version not shown");
        let _ = writeln!(
            s,
            "  {}  {} ({} lines, {:?}; {} error line(s), {} harmless failure-looking line(s) ignored) - {who}",
            l.file,
            l.format.name(),
            l.stats.lines,
            l.stats.encoding,
            l.stats.errors,
            l.stats.noise
        );
    }
    for n in &dx.not_2008 {
        let _ = writeln!(s, "  ! {n}");
    }
    if !dx.timeline.is_empty() {
        let _ = writeln!(
            s,
            "\nTimeline ({} attempt(s){})",
            dx.timeline.len(),
            if dx.timeline_omitted > 0 { format!(", {} older left out", dx.timeline_omitted) } else { String::new() }
        );
        for a in &dx.timeline {
            let outcome = match a.outcome {
                Outcome::Succeeded => "succeeded",
                Outcome::PendingReboot => "succeeded, restart pending",
                Outcome::Failed => "FAILED",
                Outcome::Unfinished => "no result in the log",
            };
            let what = a.kb.map(|k| k.to_string()).or_else(|| a.package.clone()).unwrap_or_else(|| "?".into());
            let code = a
                .hresult
                .as_ref()
                .map(|h| format!(" {h} {}", a.symbol.clone().unwrap_or_default()))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "  {}  {:<16} {:<10} {outcome}{}  ({}:{})",
                a.time.as_deref().unwrap_or("-"),
                what,
                a.phase.as_str(),
                code.trim_end(),
                a.file,
                a.line
            );
        }
    }
    if let Some(f) = &dx.failure {
        let _ = writeln!(s, "\nFailure");
        if let Some(kb) = f.kb {
            let title = f.kb_title.as_deref().map(|t| format!(" - {t}")).unwrap_or_default();
            let _ = writeln!(s, "  update       {kb}{title}");
        }
        if let Some(p) = &f.package {
            let _ = writeln!(s, "  package      {p}");
        }
        let _ = writeln!(s, "  phase        {}", f.phase.as_str());
        for (k, e) in
            std::iter::once(("first error", &f.first_error)).chain(f.final_error.as_ref().map(|e| ("final result", e)))
        {
            let _ = writeln!(s, "  {k:<12} {}:{}  {}", e.file, e.line, e.text);
            if let Some(c) = &e.code {
                let msg = c.message.clone().or_else(|| c.meaning.clone()).unwrap_or_default();
                let _ = writeln!(
                    s,
                    "               {} {} ({}) {}",
                    c.hex,
                    c.symbols.first().cloned().unwrap_or_default(),
                    c.facility_name.unwrap_or("?"),
                    msg
                );
            }
        }
    }
    if let Some(st) = &dx.store {
        let _ = writeln!(s, "\nComponent store (CheckSUR)");
        let _ = writeln!(
            s,
            "  found {} error(s), fixed {}",
            st.found.map_or("?".into(), |n| n.to_string()),
            st.fixed.map_or("?".into(), |n| n.to_string())
        );
        for u in &st.unfixed {
            let _ = writeln!(s, "  (f) {} {}  ({}:{})", u.what, u.path, st.file, u.line);
        }
        for u in &st.unavailable_repair_files {
            let _ = writeln!(s, "  unavailable repair file: {u}");
        }
    }
    if !dx.causes.is_empty() {
        let _ = writeln!(s, "\nCauses");
        for c in &dx.causes {
            let _ = writeln!(s, "  * {} [{}]", c.title, c.id);
            let _ = writeln!(s, "    why:  {}", c.explanation);
            for e in c.evidence.iter().take(5) {
                let _ = writeln!(s, "    seen: {}  {}", e.location(), e.fact);
            }
            let _ = writeln!(s, "    fix:  {}", c.fix);
            for src in &c.sources {
                let _ = writeln!(s, "    source: {src}");
            }
        }
    }
    if !dx.next_steps.is_empty() {
        let _ = writeln!(s, "\nNext steps");
        for (i, st) in dx.next_steps.iter().enumerate() {
            let _ = writeln!(s, "  {}. [{}] {}", i + 1, st.action, st.text);
            for src in &st.sources {
                let _ = writeln!(s, "     source: {src}");
            }
        }
    }
    s
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
    let dx = d.finish();
    match a.format {
        Format::Json => print(&format!("{}\n", serde_json::to_string_pretty(&dx)?))?,
        Format::Table => print(&text(&dx))?,
    }
    if !dx.not_2008.is_empty() {
        return Err(Unsupported(dx.not_2008.join("; ")).into());
    }
    Ok(())
}
