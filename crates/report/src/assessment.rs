//! `w2k8 assess` as text: the standing in brief, then what is missing, what
//! is open and what the data cannot tell, as tables.
use crate::wrap;
use w2k8_assess::{Assessment, FixStatus};
use w2k8_catalog::Severity;

fn sev(s: Option<Severity>) -> &'static str {
    match s {
        Some(Severity::Critical) => "critical",
        Some(Severity::Important) => "important",
        Some(Severity::Moderate) => "moderate",
        Some(Severity::Low) => "low",
        Some(Severity::Unrated) | None => "-",
    }
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Why an update is listed; one the partial list cannot prove absent says so.
fn why(m: &w2k8_assess::Missing) -> String {
    match m.status {
        w2k8_assess::truth::Status::Unknown => format!("may be installed already (the list is partial); {}", m.why),
        _ => m.why.clone(),
    }
}

/// Renders an assessment as readable text.
pub fn text(a: &Assessment) -> String {
    w2k8_core::text::escape_text(&text_unescaped(a)).into_owned()
}

fn text_unescaped(a: &Assessment) -> String {
    let s = &a.standing;
    let mut out = String::new();
    let host = s.host.as_deref().unwrap_or("(host name not in bundle)");
    let arch = s.arch.map(|x| x.as_str()).unwrap_or("arch unknown");
    out.push_str(&format!("{host}: {} {} ({arch})\n", s.product, s.edition.as_deref().unwrap_or("")));
    let through = match (&s.patched_through, &s.patched_through_at_least) {
        (Some(m), _) => m.clone(),
        (None, Some(m)) => format!("at least {m} (a lower bound: see `w2k8 standing`)"),
        (None, None) => "no month fully covered by the updates shown".to_string(),
    };
    out.push_str(&format!("  Patched through  {through}\n"));
    let p = &a.programme;
    out.push_str(&format!(
        "  Programme        {} ({}): updates released up to {} count{}\n",
        p.programme.as_str(),
        p.name,
        p.ends,
        if p.inferred { ", inferred" } else { "" }
    ));
    out.push_str(&format!("                   {}\n", wrap(&p.why, 90).replace('\n', "\n                   ")));
    let t = &a.track_advice;
    out.push_str(&format!(
        "  Track            {} -> recommended: {}\n                   {}\n",
        t.current.as_deref().unwrap_or("none").replace('_', " "),
        t.recommended.replace('_', " "),
        wrap(&t.why, 90).replace('\n', "\n                   ")
    ));
    let sm = &a.summary;
    out.push_str(&format!(
        "  Summary          {} missing, {} open CVE(s) ({} in CISA KEV, {} with no fix available to you), {} closed, {} unknown update(s) covering {} CVE(s)\n",
        sm.missing, sm.open_cves, sm.open_in_kev, sm.no_fix_available, sm.closed_cves, sm.unknown_updates, sm.unknown_cves
    ));
    out.push_str(&format!(
        "  Reachable        {}\n",
        wrap(&reachable_line(sm), 90).replace('\n', "\n                   ")
    ));
    let evidence = match a.standing.evidence_completeness {
        w2k8_assess::truth::Completeness::Complete => format!("complete: {}", a.standing.evidence_note),
        w2k8_assess::truth::Completeness::Partial => format!(
            "PARTIAL: {}. {} CVE(s) cannot be judged ({} in CISA KEV): every count is a lower bound",
            a.standing.evidence_note,
            a.exposure_unknown.len(),
            sm.unknown_in_kev
        ),
    };
    out.push_str(&format!("  Evidence         {}\n", wrap(&evidence, 90).replace('\n', "\n                   ")));
    if sm.counts_are_lower_bound && a.standing.evidence_completeness == w2k8_assess::truth::Completeness::Complete {
        out.push_str("  Lower bound      the host is below Service Pack 2: the counts cover only the CVEs listed for its level\n");
    }

    for b in &a.blocking {
        out.push_str(&format!("\nFirst: {}\n", wrap(b, 96).replace('\n', "\n       ")));
    }
    out.push_str("\nMissing (install in this order):\n");
    if a.missing.is_empty() {
        out.push_str("  nothing\n");
    } else {
        out.push_str(&format!(
            "  {:<10} {:<10} {:<15} {:>5} {:<9} {:>3}  {}\n",
            "KB", "released", "kind", "CVEs", "max sev", "KEV", "why"
        ));
        for m in &a.missing {
            let rel = m
                .released
                .map(|d| if m.month_only { d.month_string() } else { d.to_string() })
                .unwrap_or_else(|| "-".into());
            out.push_str(&format!(
                "  {:<10} {:<10} {:<15} {:>5} {:<9} {:>3}  {}\n",
                m.kb.to_string(),
                rel,
                m.kind.as_str(),
                m.cves.len(),
                sev(m.max_severity),
                m.kev_count,
                wrap(&why(m), 70).replace('\n', &format!("\n{}", " ".repeat(60)))
            ));
        }
    }

    out.push_str("\nOpen CVEs (riskiest first):\n");
    let hidden = a
        .exposure
        .iter()
        .filter(|e| e.status == FixStatus::NoFixAvailableToYou && e.kev.is_none() && e.exploits.is_empty())
        .count();

    if a.exposure.is_empty() {
        out.push_str("  none\n");
    } else {
        out.push_str(&format!(
            "  {:<16} {:<9} {:<16} {:<8} {:<13} {:<22} {}\n",
            "CVE", "severity", "KEV", "exploit", "reach", "fixed by", "title"
        ));
        for e in &a.exposure {
            if e.status == FixStatus::NoFixAvailableToYou && e.kev.is_none() && e.exploits.is_empty() {
                continue;
            }
            let kev = match &e.kev {
                Some(k) if k.ransomware => format!("{} rans.", k.date_added),
                Some(k) => k.date_added.to_string(),
                None => "-".to_string(),
            };
            let fixed = match e.status {
                FixStatus::FixAvailable => e.fixed_by.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(" "),
                FixStatus::NoFixAvailableToYou => {
                    format!("none to you (ended {})", e.programme_ended.map(|d| d.to_string()).unwrap_or_default())
                }
            };
            out.push_str(&format!(
                "  {:<16} {:<9} {:<16} {:<8} {:<13} {:<22} {}\n",
                e.cve,
                sev(Some(e.severity)),
                kev,
                if e.exploits.is_empty() { "-" } else { "public" },
                e.reachability.as_str(),
                cut(&fixed, 22),
                cut(e.title, 60)
            ));
        }
    }

    if !a.exposure.is_empty() {
        out.push_str(
            "  reach: exposed (no documented mitigation holds), reduced (one narrows the attack), mitigated (Microsoft's\n  workaround is in place), not_reachable (component absent, stopped or closed), unknown (the bundle does not tell:\n  never counted as safe); --format json gives the evidence lines and the source\n",
        );
    }
    if hidden > 0 {
        out.push_str(&format!(
            "  ... and {hidden} more with no fix available to you and no KEV entry or public exploit (--format json lists all)\n"
        ));
    }

    out.push_str("\nUnknown (the data cannot tell; not counted as missing):\n");
    if a.unknown.is_empty() {
        out.push_str("  nothing\n");
    } else {
        let shown = a.unknown.len().min(15);
        for u in a.unknown.iter().take(shown) {
            let rel = u.released.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
            out.push_str(&format!(
                "  {:<10} {:<10} {:>3} CVE(s)  {}\n",
                u.kb.to_string(),
                rel,
                u.cves.len(),
                cut(u.title.as_deref().unwrap_or(""), 60)
            ));
        }
        if a.unknown.len() > shown {
            out.push_str(&format!(
                "  ... and {} more (--format json lists all, each with its reason)\n",
                a.unknown.len() - shown
            ));
        }
        if let Some(u) = a.unknown.first() {
            out.push_str(&format!("  Why, e.g. {}: {}\n", u.kb, wrap(&u.reason, 96).replace('\n', "\n    ")));
        }
    }

    out.push_str("\nProducts besides the OS:\n");
    for c in &a.components {
        let at = c.evidence.as_ref().map(|e| format!(" [{}]", e.location())).unwrap_or_default();
        out.push_str(&format!("  {:<46} {}{at}\n", c.name, c.detail));
    }
    if !a.assessment_notes.is_empty() || !s.notes.is_empty() {
        out.push_str("\nNotes:\n");
        for n in a.assessment_notes.iter().chain(s.notes.iter()) {
            out.push_str(&format!("  - {}\n", wrap(n, 96).replace('\n', "\n    ")));
        }
    }
    out
}

/// "N open, of which M reachable, K in KEV": never a reachable count the
/// bundle cannot support (issue 20).
fn reachable_line(sm: &w2k8_assess::Summary) -> String {
    let kev = match sm.reachable_kev {
        Some(k) => format!("{k} in KEV"),
        None => "how many of the KEV ones unknown".to_string(),
    };
    if sm.reachability_unknown == 0 {
        format!("{} open, of which {} reachable, {kev}", sm.open_cves, sm.reachable)
    } else {
        format!(
            "{} open, of which at least {} reachable, {kev}; {} cannot be judged (the bundle lacks or cannot read reg-mitigations.txt, services.txt, netstat.txt, firewall.txt or roles.txt)",
            sm.open_cves, sm.reachable, sm.reachability_unknown
        )
    }
}

#[cfg(test)]
mod reach_tests {
    use super::reachable_line;
    use w2k8_assess::Summary;

    #[test]
    fn reachable_count_only_when_known() {
        let known = Summary { open_cves: 12, reachable: 5, reachable_kev: Some(2), ..Summary::default() };
        assert_eq!(reachable_line(&known), "12 open, of which 5 reachable, 2 in KEV");
        let partial = Summary { open_cves: 12, reachable: 5, reachability_unknown: 3, ..Summary::default() };
        let line = reachable_line(&partial);
        assert!(
            line.starts_with(
                "12 open, of which at least 5 reachable, how many of the KEV ones unknown; 3 cannot be judged"
            ),
            "{line}"
        );
    }
}
