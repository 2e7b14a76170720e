//! `w2k8 catalog info` and `w2k8 catalog import FILE...`: what the embedded
//! catalog holds and how old each part is, and offline updates to it (an
//! overlay in the user's data directory, see `w2k8_catalog::overlay`).
use crate::common::{parse_date, print, Format};
use anyhow::anyhow;
use serde_json::json;
use std::fmt::Write as _;
use std::path::PathBuf;
use w2k8_catalog::overlay::{self, Manifest};
use w2k8_catalog::{Catalog, OverlayInfo, Stats};
use w2k8_core::Date;

/// Arguments of `catalog`.
#[derive(clap::Args)]
pub struct Args {
    /// Data directory holding the overlay (default: $W2K8_DATA_DIR, else the user's data directory:
    /// %APPDATA%\w2k8, ~/Library/Application Support/w2k8, $XDG_DATA_HOME/w2k8 or ~/.local/share/w2k8).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// What the embedded catalog holds, how old each part is, and the imported overlay if any.
    Info {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Compute ages as of this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        as_of: Option<Date>,
    },
    /// Import newer data downloaded on another machine: the CISA KEV catalog (CSV or JSON feed),
    /// WES-NG definitions (definitions.zip or its CVEs_YYYYMMDD.csv). A bad or older file is
    /// refused and the overlay is left as it was.
    Import {
        /// The files to import.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The fleet database to re-assess with the catalog as imported (as `w2k8 scan --reassess`
        /// does): every host judged again from the input its latest scan kept. Without it (and
        /// without W2K8_DB), the command to run is printed.
        #[arg(long, env = "W2K8_DB", value_name = "DB")]
        db: Option<String>,
        /// Do not re-assess the fleet database, even when --db or W2K8_DB names one.
        #[arg(long)]
        no_reassess: bool,
    },
    /// Print a source w2k8 cites that ships inside the binary: a data file, one of its lines
    /// (`data/servicing/ws2008-sp2-updates.csv:30`), a section of its facts
    /// (`'data/servicing/facts.md §7'`) or an error code's rows (`'data/errors/hresults.csv 0x80092004'`).
    /// Without REF, list the embedded files.
    Source {
        /// The reference as w2k8 printed it.
        #[arg(value_name = "REF")]
        reference: Option<String>,
    },
}

/// Runs `catalog`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let dir = a.data_dir.or_else(overlay::default_data_dir);
    match a.command {
        Sub::Info { format, as_of } => info(dir, format, as_of.unwrap_or_else(Date::today_utc)),
        Sub::Import { files, db, no_reassess } => import(dir, &files, if no_reassess { None } else { db }),
        Sub::Source { reference } => source(reference.as_deref()),
    }
}

/// `catalog source`: an embedded source, or the list of embedded files.
fn source(reference: Option<&str>) -> anyhow::Result<()> {
    use w2k8_catalog::embedded;
    let text = match reference {
        Some(r) => embedded::resolve(r)?,
        None => embedded::FILES.iter().map(|f| format!("{}\n    {}\n", f.path, f.about)).collect(),
    };
    crate::common::print(&w2k8_core::text::escape_text(&text))
}

fn no_dir() -> anyhow::Error {
    anyhow!("no data directory: set W2K8_DATA_DIR (or HOME / APPDATA), or pass --data-dir DIR")
}

/// `catalog import`: the files into the overlay (a file the catalog has
/// already is "already current", exit 0); then the fleet database `db`
/// re-assessed with the catalog as imported, or the command to do it.
fn import(dir: Option<PathBuf>, files: &[PathBuf], db: Option<String>) -> anyhow::Result<()> {
    let dir = dir.ok_or_else(no_dir)?;
    let report = overlay::import(&dir, files, Date::today_utc())?;
    let mut out = String::new();
    for l in &report.lines {
        let _ = writeln!(out, "imported {l}");
    }
    for l in &report.current {
        let _ = writeln!(out, "{l}: nothing to import");
    }
    if report.changed {
        let _ = writeln!(out, "overlay written to {}", report.dir.display());
    } else {
        let _ = writeln!(out, "the catalog is already current; the overlay in {} is unchanged", report.dir.display());
    }
    match db.filter(|d| !d.is_empty()) {
        Some(db) => {
            print(&out)?;
            // The catalog as imported (this process may hold the one from before).
            let catalog = Catalog::with_overlay(&dir)?;
            crate::cmd::scan::reassess(&db, &catalog, None, None)
        }
        None => {
            let _ = writeln!(
                out,
                "stored hosts keep the answers of the catalog they were judged with: re-judge them with \
                 `w2k8 scan --reassess --db FLEET.db` (or give --db / W2K8_DB to this command)"
            );
            print(&out)
        }
    }
}

fn age(as_of: Date, d: Date) -> i64 {
    d.days_until(as_of)
}

fn kinds(s: &Stats) -> String {
    s.updates_by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
}

fn counts_json(s: &Stats) -> serde_json::Value {
    json!({
        "updates": s.updates,
        "updates_by_kind": s.updates_by_kind.iter().map(|(k, n)| (k.as_str().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
        "cves": s.cves,
        "cves_in_kev": s.cves_in_kev,
        "kev": s.kev,
        "products": s.products,
        "fixes": s.fixes,
    })
}

fn info(dir: Option<PathBuf>, format: Format, as_of: Date) -> anyhow::Result<()> {
    let embedded = Catalog::embedded();
    let v = embedded.data_version();
    let es = embedded.stats();
    let loaded = dir.as_deref().map(Catalog::with_overlay).transpose();
    let (current, error) = match loaded {
        Ok(c) => (c, None),
        Err(e) => (None, Some(e)),
    };
    let info = current.as_ref().and_then(|c| c.overlay_info());
    let effective = current.as_ref().filter(|_| info.is_some()).map(|c| c.stats());
    let rows = overlay::embedded_msrc_rows();
    match format {
        Format::Json => {
            let overlay = info.map(|i| overlay_json(i, as_of));
            let v = json!({
                "as_of": as_of,
                "embedded": {
                    "msrc": {"date": v.msrc, "wesng_commit": v.msrc_commit, "rows": rows, "age_days": age(as_of, v.msrc)},
                    "kev": {"version": v.kev, "date": v.kev_date, "age_days": age(as_of, v.kev_date)},
                    "servicing": {"date": v.servicing, "age_days": age(as_of, v.servicing)},
                    "counts": counts_json(&es),
                },
                "data_dir": dir,
                "overlay": overlay,
                "overlay_error": error.as_ref().map(|e| e.to_string()),
                "effective": effective.as_ref().map(counts_json),
            });
            print(&w2k8_report::json(&w2k8_report::versioned::versioned(&v)))?;
        }
        Format::Table => {
            let mut o = String::new();
            let _ = writeln!(o, "Embedded catalog (built into this w2k8), ages as of {as_of}");
            let _ = writeln!(
                o,
                "  MSRC data   WES-NG definitions of {} ({rows} rows for 2008 / 2008 R2), {} days old",
                v.msrc,
                age(as_of, v.msrc)
            );
            let _ = writeln!(
                o,
                "  CISA KEV    catalog {}, {} Microsoft entries, {} days old",
                v.kev,
                es.kev,
                age(as_of, v.kev_date)
            );
            let _ = writeln!(o, "  Servicing   table compiled {}, {} days old", v.servicing, age(as_of, v.servicing));
            let _ = writeln!(o, "  Updates     {} ({})", es.updates, kinds(&es));
            let _ = writeln!(o, "  CVEs        {} ({} in KEV)", es.cves, es.cves_in_kev);
            let _ = writeln!(o, "  Products    {}", es.products);
            let _ = writeln!(o);
            match (&dir, info, &error) {
                (None, _, _) => {
                    let _ = writeln!(o, "Overlay: no data directory (set W2K8_DATA_DIR or pass --data-dir)");
                }
                (Some(_), _, Some(e)) => {
                    let _ = writeln!(o, "Overlay: cannot be read: {e}");
                }
                (Some(d), None, None) => {
                    let _ = writeln!(
                        o,
                        "Overlay: none in {} (import newer files with `w2k8 catalog import FILE...`)",
                        overlay::overlay_dir(d).display()
                    );
                }
                (Some(_), Some(i), None) => overlay_table(&mut o, i, as_of, effective.as_ref()),
            }
            crate::common::print_fitted(&o)?;
        }
    }
    match error {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

fn overlay_json(i: &OverlayInfo, as_of: Date) -> serde_json::Value {
    let m: &Manifest = &i.manifest;
    json!({
        "path": overlay::overlay_dir(&i.data_dir),
        "kev_used": i.kev_used,
        "msrc_used": i.msrc_used,
        "notes": i.notes,
        "kev_age_days": m.kev.as_ref().map(|k| age(as_of, k.as_of)),
        "msrc_age_days": m.msrc.as_ref().map(|k| age(as_of, k.date)),
        "manifest": m,
    })
}

fn overlay_table(o: &mut String, i: &OverlayInfo, as_of: Date, effective: Option<&Stats>) {
    let m = &i.manifest;
    let _ = writeln!(o, "Overlay in {} (written {})", overlay::overlay_dir(&i.data_dir).display(), m.written);
    let unused = |used: bool| if used { "" } else { " [not used]" };
    if let Some(k) = &m.kev {
        let what = match &k.catalog_version {
            Some(v) => format!("catalog {v}"),
            None => format!("CSV with entries added up to {}", k.newest_added),
        };
        let _ = writeln!(
            o,
            "  CISA KEV    {what}, {} Microsoft entries, {} days old; from {}, imported {}{}",
            k.entries,
            age(as_of, k.as_of),
            k.file,
            k.imported,
            unused(i.kev_used)
        );
    }
    if let Some(s) = &m.msrc {
        let _ = writeln!(
            o,
            "  MSRC data   WES-NG definitions of {} ({} rows), {} days old; from {}, imported {}{}",
            s.date,
            s.rows,
            age(as_of, s.date),
            s.file,
            s.imported,
            unused(i.msrc_used)
        );
    }
    let c = &m.counts;
    let _ = writeln!(
        o,
        "  Records     updates {} new, {} changed; CVEs {} new, {} changed; KEV {} new, {} changed; products {} new",
        c.updates_added,
        c.updates_replaced,
        c.cves_added,
        c.cves_replaced,
        c.kev_added,
        c.kev_replaced,
        c.products_added
    );
    for n in &i.notes {
        let _ = writeln!(o, "  Note        {n}");
    }
    for e in &m.imports {
        let _ = writeln!(o, "  Imported    {} ({}): {}", e.imported, e.kind, e.file);
    }
    if let Some(s) = effective {
        let _ = writeln!(o);
        let _ = writeln!(o, "In effect (embedded + overlay)");
        let _ = writeln!(o, "  Updates     {} ({})", s.updates, kinds(s));
        let _ = writeln!(o, "  CVEs        {} ({} in KEV)", s.cves, s.cves_in_kev);
        let _ = writeln!(o, "  KEV         {} Microsoft entries", s.kev);
        let _ = writeln!(o, "  Products    {}", s.products);
    }
}
