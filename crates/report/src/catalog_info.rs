//! `w2k8 catalog info`: what the embedded catalog holds, how old each part
//! is, and the imported overlay, as text and as JSON, from one
//! [`CatalogInfo`].
//!
//! The JSON object's keys come out in alphabetical order at every level (as
//! this answer has always printed them): the fields below are declared in
//! that order, and the overlay manifest goes through `serde_json::Value`,
//! which orders its keys.
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use w2k8_catalog::overlay::{self, OverlayInfo};
use w2k8_catalog::{DataVersion, Stats};
use w2k8_core::Date;

/// The answer of `catalog info`.
#[derive(Debug, Serialize)]
pub struct CatalogInfo {
    /// The day ages are counted to.
    pub as_of: Date,
    /// The data directory looked in for an overlay, if any.
    pub data_dir: Option<PathBuf>,
    /// Counts of the catalog in effect (embedded + overlay), when an overlay is in use.
    pub effective: Option<Counts>,
    /// The catalog built into this binary.
    pub embedded: Embedded,
    /// The imported overlay, if any.
    pub overlay: Option<Overlay>,
    /// Why the overlay cannot be read, if it cannot.
    pub overlay_error: Option<String>,
    /// Rows of MSRC data for 2008 / 2008 R2 in the embedded catalog (text only).
    #[serde(skip)]
    pub msrc_rows: usize,
    /// The overlay as read (text only).
    #[serde(skip)]
    pub overlay_info: Option<OverlayInfo>,
    /// The counts in effect, as the catalog gives them (text only).
    #[serde(skip)]
    pub effective_stats: Option<Stats>,
}

/// How many records a catalog holds.
#[derive(Debug, Serialize)]
pub struct Counts {
    /// CVEs.
    pub cves: usize,
    /// CVEs in CISA KEV.
    pub cves_in_kev: usize,
    /// (CVE, KB, product) fix rows.
    pub fixes: usize,
    /// KEV entries.
    pub kev: usize,
    /// MSRC products.
    pub products: usize,
    /// Updates.
    pub updates: usize,
    /// Updates per kind (kinds with none left out).
    pub updates_by_kind: BTreeMap<&'static str, usize>,
}

impl Counts {
    /// The counts of `s`.
    pub fn of(s: &Stats) -> Counts {
        Counts {
            cves: s.cves,
            cves_in_kev: s.cves_in_kev,
            fixes: s.fixes,
            kev: s.kev,
            products: s.products,
            updates: s.updates,
            updates_by_kind: s.updates_by_kind.iter().map(|(k, n)| (k.as_str(), *n)).collect(),
        }
    }
}

/// The embedded catalog.
#[derive(Debug, Serialize)]
pub struct Embedded {
    /// What it holds.
    pub counts: Counts,
    /// Its CISA KEV data.
    pub kev: KevAge,
    /// Its MSRC data.
    pub msrc: MsrcAge,
    /// Its servicing table.
    pub servicing: ServicingAge,
    /// `updates_by_kind` in the catalog's kind order, for the text.
    #[serde(skip)]
    pub kinds: String,
}

/// The KEV data's version and age.
#[derive(Debug, Serialize)]
pub struct KevAge {
    /// Days old on `as_of`.
    pub age_days: i64,
    /// The catalog version as a date.
    pub date: Date,
    /// The catalog version, e.g. `2025.08.25`.
    pub version: &'static str,
}

/// The MSRC data's date and age.
#[derive(Debug, Serialize)]
pub struct MsrcAge {
    /// Days old on `as_of`.
    pub age_days: i64,
    /// The WES-NG definitions' date.
    pub date: Date,
    /// Rows for 2008 / 2008 R2.
    pub rows: usize,
    /// The WES-NG commit.
    pub wesng_commit: &'static str,
}

/// The servicing table's date and age.
#[derive(Debug, Serialize)]
pub struct ServicingAge {
    /// Days old on `as_of`.
    pub age_days: i64,
    /// When it was compiled.
    pub date: Date,
}

/// The imported overlay.
#[derive(Debug, Serialize)]
pub struct Overlay {
    /// Age of its KEV data, days.
    pub kev_age_days: Option<i64>,
    /// Whether its KEV entries are used.
    pub kev_used: bool,
    /// Its manifest (keys in alphabetical order).
    pub manifest: serde_json::Value,
    /// Age of its MSRC data, days.
    pub msrc_age_days: Option<i64>,
    /// Whether its update and CVE records are used.
    pub msrc_used: bool,
    /// Why a part is not used.
    pub notes: Vec<String>,
    /// Where it is.
    pub path: PathBuf,
}

fn age(as_of: Date, d: Date) -> i64 {
    d.days_until(as_of)
}

fn kinds(s: &Stats) -> String {
    s.updates_by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
}

impl CatalogInfo {
    /// The answer for the embedded catalog `v` / `embedded` and, when a data directory was looked in, what it
    /// holds (`overlay` read, `effective` the counts with it, or `overlay_error`).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        as_of: Date,
        v: &DataVersion,
        embedded: &Stats,
        msrc_rows: usize,
        data_dir: Option<PathBuf>,
        overlay_info: Option<OverlayInfo>,
        effective: Option<Stats>,
        overlay_error: Option<String>,
    ) -> CatalogInfo {
        let overlay = overlay_info.as_ref().map(|i| Overlay {
            kev_age_days: i.manifest.kev.as_ref().map(|k| age(as_of, k.as_of)),
            kev_used: i.kev_used,
            manifest: serde_json::to_value(&i.manifest).unwrap_or(serde_json::Value::Null),
            msrc_age_days: i.manifest.msrc.as_ref().map(|k| age(as_of, k.date)),
            msrc_used: i.msrc_used,
            notes: i.notes.clone(),
            path: overlay::overlay_dir(&i.data_dir),
        });
        CatalogInfo {
            as_of,
            data_dir,
            effective: effective.as_ref().map(Counts::of),
            embedded: Embedded {
                counts: Counts::of(embedded),
                kev: KevAge { age_days: age(as_of, v.kev_date), date: v.kev_date, version: v.kev },
                msrc: MsrcAge {
                    age_days: age(as_of, v.msrc),
                    date: v.msrc,
                    rows: msrc_rows,
                    wesng_commit: v.msrc_commit,
                },
                servicing: ServicingAge { age_days: age(as_of, v.servicing), date: v.servicing },
                kinds: kinds(embedded),
            },
            overlay,
            overlay_error,
            msrc_rows,
            overlay_info,
            effective_stats: effective,
        }
    }

    /// The answer as text.
    pub fn text(&self) -> String {
        let e = &self.embedded;
        let mut o = String::new();
        let _ = writeln!(o, "Embedded catalog (built into this w2k8), ages as of {}", self.as_of);
        let _ = writeln!(
            o,
            "  MSRC data   WES-NG definitions of {} ({} rows for 2008 / 2008 R2), {}",
            e.msrc.date,
            self.msrc_rows,
            old(e.msrc.age_days)
        );
        let _ = writeln!(
            o,
            "  CISA KEV    catalog {}, {} Microsoft entries, {}",
            e.kev.version,
            e.counts.kev,
            old(e.kev.age_days)
        );
        let _ = writeln!(o, "  Servicing   table compiled {}, {}", e.servicing.date, old(e.servicing.age_days));
        let _ = writeln!(o, "  Updates     {} ({})", e.counts.updates, e.kinds);
        let _ = writeln!(o, "  CVEs        {} ({} in KEV)", e.counts.cves, e.counts.cves_in_kev);
        let _ = writeln!(o, "  Products    {}", e.counts.products);
        let _ = writeln!(o);
        match (&self.data_dir, &self.overlay_info, &self.overlay_error) {
            (None, _, _) => {
                let _ = writeln!(o, "Overlay: no data directory (set W2K8_DATA_DIR or pass --data-dir)");
            }
            (Some(_), _, Some(err)) => {
                let _ = writeln!(o, "Overlay: cannot be read: {err}");
            }
            (Some(d), None, None) => {
                let _ = writeln!(
                    o,
                    "Overlay: none in {} (import newer files with `w2k8 catalog import FILE...`)",
                    overlay::overlay_dir(d).display()
                );
            }
            (Some(_), Some(i), None) => overlay_text(&mut o, i, self.as_of, self.effective_stats.as_ref()),
        }
        o
    }
}

/// An age in days as text: `N days old`, or, for data dated after the day
/// the ages are counted from (`--as-of` in the past), how much later.
fn old(days: i64) -> String {
    match days {
        1 => "1 day old".to_string(),
        d if d >= 0 => format!("{d} days old"),
        -1 => "dated 1 day after the as-of day".to_string(),
        d => format!("dated {} days after the as-of day", d.unsigned_abs()),
    }
}

fn overlay_text(o: &mut String, i: &OverlayInfo, as_of: Date, effective: Option<&Stats>) {
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
            "  CISA KEV    {what}, {} Microsoft entries, {}; from {}, imported {}{}",
            k.entries,
            old(age(as_of, k.as_of)),
            k.file,
            k.imported,
            unused(i.kev_used)
        );
    }
    if let Some(s) = &m.msrc {
        let _ = writeln!(
            o,
            "  MSRC data   WES-NG definitions of {} ({} rows), {}; from {}, imported {}{}",
            s.date,
            s.rows,
            old(age(as_of, s.date)),
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

#[cfg(test)]
mod tests {
    use super::old;

    #[test]
    fn an_age_is_never_a_negative_number_of_days() {
        assert_eq!(old(0), "0 days old");
        assert_eq!(old(1), "1 day old");
        assert_eq!(old(469), "469 days old");
        assert_eq!(old(-1), "dated 1 day after the as-of day");
        assert_eq!(old(-183), "dated 183 days after the as-of day");
    }
}
