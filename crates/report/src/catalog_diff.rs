//! `w2k8 catalog diff` as text: one line per record that differs (`+`
//! added, `-` removed, `~` changed), each changed fact under it.
use w2k8_catalog::diff::{CatalogDiff, Change, Field, Kind, Side};

/// The diff as text; the facts are escaped for a terminal.
pub fn text(d: &CatalogDiff) -> String {
    let mut out = format!("Catalog diff\n  old: {}\n  new: {}\n", side(&d.old), side(&d.new));
    if d.is_empty() {
        out.push_str("\nNo record differs.\n");
    } else {
        section(&mut out, "CVE records", &d.cves);
        section(&mut out, "Update records", &d.updates);
    }
    w2k8_core::text::escape_text(&out).into_owned()
}

fn side(s: &Side) -> String {
    format!("{} ({} rows: {} CVE records, {} update records)", s.file, s.rows, s.cves, s.updates)
}

fn section<K: std::fmt::Display>(out: &mut String, what: &str, changes: &[Change<K>]) {
    let n = |k: Kind| changes.iter().filter(|c| c.change == k).count();
    out.push_str(&format!(
        "\n{what}: {} added, {} removed, {} changed\n",
        n(Kind::Added),
        n(Kind::Removed),
        n(Kind::Changed)
    ));
    for c in changes {
        let mark = match c.change {
            Kind::Added => '+',
            Kind::Removed => '-',
            Kind::Changed => '~',
        };
        out.push_str(&format!("  {mark} {:<16} {}\n", c.id.to_string(), c.title));
        for f in &c.fields {
            field(out, f);
        }
    }
}

fn field(out: &mut String, f: &Field) {
    match f.field {
        "fixes" | "affected" | "exploits" | "supersedes" | "requires" | "products" => {
            if !f.old.is_empty() {
                out.push_str(&format!("      {} - {}\n", f.field, f.old));
            }
            if !f.new.is_empty() {
                out.push_str(&format!("      {} + {}\n", f.field, f.new));
            }
        }
        _ => out.push_str(&format!("      {}: {} -> {}\n", f.field, shown(&f.old), shown(&f.new))),
    }
}

/// An empty value shown as `(none)`.
fn shown(v: &str) -> &str {
    if v.is_empty() {
        "(none)"
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(file: &str) -> Side {
        Side { file: file.into(), rows: 3, cves: 2, updates: 1 }
    }

    /// Written by hand: each kind of change, a list field and a scalar one.
    #[test]
    fn changes_read_as_a_diff() {
        let d = CatalogDiff {
            old: side("old.csv.gz"),
            new: side("new.zip"),
            cves: vec![
                Change {
                    id: "CVE-2026-0001".parse().unwrap(),
                    change: Kind::Added,
                    title: "New".into(),
                    fields: vec![],
                },
                Change {
                    id: "CVE-2020-0601".parse().unwrap(),
                    change: Kind::Changed,
                    title: "Crypto".into(),
                    fields: vec![
                        Field { field: "severity", old: "important".into(), new: "critical".into() },
                        Field { field: "fixes", old: String::new(), new: "KB5000001 on Windows Server 2008 R2".into() },
                    ],
                },
            ],
            updates: vec![Change {
                id: "KB4000001".parse().unwrap(),
                change: Kind::Removed,
                title: String::new(),
                fields: vec![],
            }],
        };
        assert_eq!(
            text(&d),
            "Catalog diff\n  old: old.csv.gz (3 rows: 2 CVE records, 1 update records)\n  \
             new: new.zip (3 rows: 2 CVE records, 1 update records)\n\n\
             CVE records: 1 added, 0 removed, 1 changed\n  + CVE-2026-0001    New\n  ~ CVE-2020-0601    Crypto\n      \
             severity: important -> critical\n      fixes + KB5000001 on Windows Server 2008 R2\n\n\
             Update records: 0 added, 1 removed, 0 changed\n  - KB4000001        \n"
        );
        let same = CatalogDiff { old: side("a"), new: side("b"), cves: vec![], updates: vec![] };
        assert!(text(&same).ends_with("\nNo record differs.\n"));
    }
}
