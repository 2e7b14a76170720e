//! Accepted risks and the exit-code gate as `w2k8 assess` prints them after
//! its tables (issue 19): every finding a live acceptance covers, with the
//! reason, owner, end and where the acceptance is written; every finding
//! whose acceptance expired (reopened, counted again); and one line saying
//! what decided the exit code. Accepted findings stay in the tables and in
//! the counts above: this section marks them, it never hides them.
use crate::term::Term;
use crate::{joined, wrap};
use w2k8_assess::accepted::{AcceptedRef, FailOn, Gate};
use w2k8_assess::{Assessment, FixStatus};
use w2k8_core::CveId;

fn who(id: &str, r: &AcceptedRef) -> String {
    let owner = r.owner.as_deref().map(|o| format!(", owner {o}")).unwrap_or_default();
    let via = if r.target != id { format!(" (through {})", r.target) } else { String::new() };
    format!("until {}{owner}{via} [{}]: {}", r.until, r.source, r.reason)
}

fn line(out: &mut String, id: &str, r: &AcceptedRef, w: usize) {
    out.push_str(&format!("  {id:<16} {}\n", indent(&wrap(&who(id, r), w))));
}

fn indent(s: &str) -> String {
    s.replace('\n', &format!("\n{}", " ".repeat(19)))
}

/// Under an accepted update: the open CVEs accepted through it, the first
/// few by id (the JSON marks each).
fn through(out: &mut String, kb: &str, cves: &[CveId], w: usize) {
    if cves.is_empty() {
        return;
    }
    const SHOWN: usize = 8;
    let mut ids = joined(cves.iter().take(SHOWN), " ");
    if cves.len() > SHOWN {
        ids.push_str(&format!(" ... ({} more; --format json marks each)", cves.len() - SHOWN));
    }
    let text = format!("and the {} open CVE(s) {kb} would close: {ids}", cves.len());
    out.push_str(&format!("  {:<16} {}\n", "", indent(&wrap(&text, w))));
}

/// The accepted and reopened findings, and the gate line; empty sections
/// are left out, the gate line is always there.
pub fn text(a: &Assessment, gate: &Gate) -> String {
    text_with(a, gate, &Term::plain())
}

/// [`text`] fitted to `term`'s width; `-q` keeps the section headings and the
/// exit-code line.
pub fn text_with(a: &Assessment, gate: &Gate, term: &Term) -> String {
    w2k8_core::text::escape_text(&text_unescaped(a, gate, term)).into_owned()
}

/// A heading line, wrapped at the width when there is one.
fn heading(out: &mut String, text: &str, term: &Term) {
    match term.width() {
        Some(w) => out.push_str(&wrap(text, w)),
        None => out.push_str(text),
    }
    out.push('\n');
}

fn text_unescaped(a: &Assessment, gate: &Gate, term: &Term) -> String {
    let w = term.para(19, 90);
    let quiet = term.quiet();
    let mut out = String::new();
    let accepted_missing: Vec<_> = a.missing.iter().filter_map(|m| m.accepted.as_ref().map(|r| (m.kb, r))).collect();
    let accepted_cves: Vec<_> = a.exposure.iter().filter_map(|e| e.accepted.as_ref().map(|r| (e.cve, r))).collect();
    if !accepted_missing.is_empty() || !accepted_cves.is_empty() {
        out.push('\n');
        heading(
            &mut out,
            &format!(
                "Accepted risks (listed above too, counted there, not counted for the exit code): {} update(s), {} CVE(s)",
                accepted_missing.len(),
                accepted_cves.len()
            ),
            term,
        );
        for (kb, r) in accepted_missing.iter().filter(|_| !quiet) {
            let kb = kb.to_string();
            line(&mut out, &kb, r, w);
            let via: Vec<CveId> = accepted_cves.iter().filter(|(_, c)| c.target == kb).map(|(id, _)| *id).collect();
            through(&mut out, &kb, &via, w);
        }
        let listed: Vec<String> = accepted_missing.iter().map(|(kb, _)| kb.to_string()).collect();
        for (cve, r) in accepted_cves.iter().filter(|(_, r)| !quiet && !listed.contains(&r.target)) {
            line(&mut out, &cve.to_string(), r, w);
        }
    }
    let expired_missing: Vec<_> =
        a.missing.iter().filter_map(|m| m.accepted_expired.as_ref().map(|r| (m.kb, r))).collect();
    let expired_cves: Vec<_> =
        a.exposure.iter().filter_map(|e| e.accepted_expired.as_ref().map(|r| (e.cve, r))).collect();
    if !expired_missing.is_empty() || !expired_cves.is_empty() {
        out.push('\n');
        heading(
            &mut out,
            &format!(
                "Acceptance EXPIRED, reopened (counted again): {} update(s), {} CVE(s)",
                expired_missing.len(),
                expired_cves.len()
            ),
            term,
        );
        for (kb, r) in expired_missing.iter().filter(|_| !quiet) {
            let kb = kb.to_string();
            line(&mut out, &kb, r, w);
            let via: Vec<CveId> = expired_cves.iter().filter(|(_, c)| c.target == kb).map(|(id, _)| *id).collect();
            through(&mut out, &kb, &via, w);
        }
        let listed: Vec<String> = expired_missing.iter().map(|(kb, _)| kb.to_string()).collect();
        for (cve, r) in expired_cves.iter().filter(|(_, r)| !quiet && !listed.contains(&r.target)) {
            line(&mut out, &cve.to_string(), r, w);
        }
    }
    out.push('\n');
    heading(&mut out, &format!("Exit code: {}", gate_line(a, gate)), term);
    out
}

/// `1: 3 open CVE(s) count under --fail-on kev (...)`.
fn gate_line(a: &Assessment, g: &Gate) -> String {
    let rule = match g.fail_on {
        FailOn::Kev => "--fail-on kev: open CVEs in CISA KEV count",
        FailOn::Critical => "--fail-on critical: open CVEs rated Critical or in CISA KEV count",
        FailOn::Any => "--fail-on any: missing updates, open CVEs and blocking findings count",
        FailOn::None => "--fail-on none: nothing counts",
    };
    let mut left_out = Vec::new();
    if g.accepted > 0 {
        left_out.push(format!("{} accepted", g.accepted));
    }
    if g.ignore_unfixed {
        let unfixed = a.exposure.iter().filter(|e| e.status == FixStatus::NoFixAvailableToYou).count();
        left_out.push(format!(
            "{} with no fix available to you (--ignore-unfixed; {} of them also accepted)",
            g.ignored_unfixed,
            unfixed - g.ignored_unfixed
        ));
    }
    let left_out = if left_out.is_empty() { String::new() } else { format!("; not counted: {}", left_out.join(", ")) };
    let mut counted = vec![format!("{} open CVE(s)", g.counted_cves)];
    if g.fail_on == FailOn::Any {
        counted.push(format!("{} missing update(s)", g.counted_missing));
        counted.push(format!("{} blocking finding(s)", g.counted_blocking));
    }
    format!("{} ({rule}; counted: {}{left_out})", u8::from(g.fails), counted.join(", "))
}

/// `assess --format json`: the assessment's fields, then `gate` (what
/// decided the exit code) beside them.
#[derive(serde::Serialize)]
pub struct WithGate<'a, 'c> {
    /// The assessment, its fields where they always were.
    #[serde(flatten)]
    pub assessment: &'a Assessment<'c>,
    /// `{fail_on, ignore_unfixed, counted_cves, counted_missing,
    /// counted_blocking, accepted, ignored_unfixed, fails}`.
    pub gate: &'a Gate,
}
