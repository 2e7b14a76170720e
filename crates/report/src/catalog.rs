//! `w2k8 kb` and `w2k8 cve` as text: one catalog record with its sources.
use crate::sources::Refs;
use crate::{wrap, Block};
use w2k8_catalog::{Catalog, Cve, Update};

/// Renders one update record.
pub fn update(u: &Update, catalog: &Catalog) -> String {
    w2k8_core::text::escape_text(&update_unescaped(u, catalog)).into_owned()
}

fn update_unescaped(u: &Update, catalog: &Catalog) -> String {
    let mut b = Block::new();
    b.line(&format!("{}{}", u.kb, u.title.as_ref().map(|t| format!(": {t}")).unwrap_or_default()));
    b.row("Kind", &u.kind.as_str().replace('_', " "), None);
    b.row("Released", &u.released.map(|d| d.to_string()).unwrap_or_else(|| "day not sourced".into()), None);
    if let Some(k) = u.kernel {
        b.row("Kernel after", &k.to_string(), None);
    }
    let list = |v: &[w2k8_core::Kb]| crate::joined(v, ", ");
    if !u.supersedes.is_empty() {
        b.row("Supersedes", &wrap(&list(&u.supersedes), 76), None);
    }
    let by = catalog.superseded_by(u.kb);
    if !by.is_empty() {
        b.row("Superseded by", &wrap(&list(&by), 76), None);
    }
    if !u.requires.is_empty() {
        b.row("Requires", &list(&u.requires), None);
    }
    let cves = catalog.cves_fixed_by(u.kb);
    if !cves.is_empty() {
        let ids = crate::joined(cves.iter().map(|c| c.id), " ");
        let kev = cves.iter().filter(|c| c.kev.is_some()).count();
        b.row("Fixes", &format!("{} CVEs, {kev} in CISA KEV\n{}", cves.len(), wrap(&ids, 76)), None);
    }
    for n in &u.notes {
        b.row("Note", &wrap(n, 76), None);
    }
    let mut refs = Refs::new();
    b.row("Sources", &refs.cite_all(&u.sources), None);
    let mut out = b.finish();
    out.push_str(&refs.render());
    out
}

/// Renders one CVE record.
pub fn cve(c: &Cve, catalog: &Catalog) -> String {
    w2k8_core::text::escape_text(&cve_unescaped(c, catalog)).into_owned()
}

fn cve_unescaped(c: &Cve, catalog: &Catalog) -> String {
    let mut b = Block::new();
    b.line(&format!("{}: {}", c.id, c.title));
    b.row("Component", &c.component, None);
    b.row("Severity", c.severity.name(), None);
    b.row("Impact", &c.impact, None);
    match &c.kev {
        Some(k) => b.row(
            "CISA KEV",
            &format!("added {}{}\n{}", k.date_added, if k.ransomware { ", known ransomware use" } else { "" }, k.name),
            None,
        ),
        None => b.row("CISA KEV", "not listed", None),
    }
    for e in &c.exploits {
        b.row("Exploit", e, None);
    }
    let products = catalog.products();
    let mut fixes: Vec<String> = c
        .fixes
        .iter()
        .map(|f| {
            let p = products.get(usize::from(f.product)).map(|p| p.name.as_str()).unwrap_or("?");
            let kind = catalog.update(f.kb).map(|u| u.kind.as_str().replace('_', " ")).unwrap_or_default();
            format!("{} ({kind}) on {p}", f.kb)
        })
        .collect();
    fixes.sort();
    fixes.dedup();
    b.row("Fixed by", &fixes.join("\n"), None);
    let mut refs = Refs::new();
    b.row("Sources", &refs.cite_all(&c.sources), None);
    let mut out = b.finish();
    out.push_str(&refs.render());
    out
}
