//! `w2k8 assess` as text: the standing in brief, then what is missing, what
//! is open and what the data cannot tell, as tables.
use crate::tabular::{Cell, Column, Table};
use crate::term::{Paint, Term};
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

/// Why an update is listed; one the partial list cannot prove absent says so.
fn why(m: &w2k8_assess::Missing) -> String {
    match m.status {
        w2k8_assess::truth::Status::Unknown => format!("may be installed already (the list is partial); {}", m.why),
        _ => m.why.clone(),
    }
}

/// Renders an assessment as readable text (no width limit, no colour).
pub fn text(a: &Assessment) -> String {
    text_with(a, &Term::plain())
}

/// Text built from escaped pieces: everything read from a bundle goes
/// through [`w2k8_core::text::escape_text`] (or the table's cell escaping)
/// before it is added; colour codes are added only by [`Term::paint`].
struct Out<'t> {
    s: String,
    term: &'t Term,
}

impl Out<'_> {
    /// Escaped text.
    fn text(&mut self, t: &str) {
        self.s.push_str(&w2k8_core::text::escape_text(t));
    }

    /// A rendered table (its cells escaped already).
    fn table(&mut self, t: &Table) {
        self.s.push_str(&t.render(self.term));
    }

    /// `  label  text`, the text wrapped at `wrap_at` (and at the width, when
    /// there is one) and its continuation lines indented under it.
    fn labelled(&mut self, label: &str, text: &str, wrap_at: Option<usize>) {
        let at = match (wrap_at, self.term.width()) {
            (Some(d), _) => Some(self.term.para(19, d)),
            (None, Some(_)) => Some(self.term.para(19, usize::MAX)),
            (None, None) => None,
        };
        let body = match at {
            Some(w) => wrap(text, w).replace('\n', &format!("\n{}", " ".repeat(19))),
            None => text.to_string(),
        };
        self.text(&format!("  {label:<17}{body}\n"));
    }

    /// A paragraph indented by `indent` (the first line after `first`),
    /// wrapped at `default` or the width.
    fn para(&mut self, first: &str, text: &str, indent: usize, default: usize) {
        // The first line starts after `first`: it wraps as if indented that far.
        let lead = first.rsplit('\n').next().map_or(0, |l| l.chars().count()).max(indent);
        let body = wrap(text, self.term.para(lead, default)).replace('\n', &format!("\n{}", " ".repeat(indent)));
        self.text(&format!("{first}{body}\n"));
    }
}

/// The KEV cell: `added → due`, and `ransomware` when CISA says so.
fn kev_cell(k: &w2k8_assess::KevRef) -> String {
    let due = k.due_date.map(|d| format!(" → {d}")).unwrap_or_default();
    let rans = if k.ransomware { " ransomware" } else { "" };
    format!("{}{due}{rans}", k.date_added)
}

/// Renders an assessment as text for `term`: tables fitted to its width
/// (ids never cut, titles and reasons wrapped or moved under their row),
/// severities and KEV entries coloured when it takes colour; `-q` keeps the
/// standing lines and the summary, `-v` lists every row.
pub fn text_with(a: &Assessment, term: &Term) -> String {
    let mut out = Out { s: String::new(), term };
    out.standing(a);
    out.summary(a);
    for b in &a.blocking {
        out.para("\nFirst: ", b, 7, 96);
    }
    if term.quiet() {
        return out.s;
    }
    out.missing(a);
    out.open_cves(a);
    out.unknown(a);
    out.components(a);
    out.notes(a);
    out.s
}

/// The sections of `w2k8 assess`, in the order [`text_with`] writes them.
impl Out<'_> {
    /// The host line, the month patched through, the programme and (unless
    /// `-q`) the track advice.
    fn standing(&mut self, a: &Assessment) {
        let s = &a.standing;
        let host = s.host.as_deref().unwrap_or("(host name not in bundle)");
        let arch = s.arch.map(|x| x.as_str()).unwrap_or("arch unknown");
        self.text(&format!("{host}: {} {} ({arch})\n", s.product, s.edition.as_deref().unwrap_or("")));
        let through = match (&s.patched_through, &s.patched_through_at_least) {
            (Some(m), _) => m.to_string(),
            (None, Some(m)) => format!("at least {m} (a lower bound: see `w2k8 standing`)"),
            (None, None) => "no month fully covered by the updates shown".to_string(),
        };
        self.labelled("Patched through", &through, None);
        let p = &a.programme;
        self.labelled(
            "Programme",
            &format!(
                "{} ({}): updates released up to {} count{}",
                p.programme.as_str(),
                p.name,
                p.ends,
                if p.inferred { ", inferred" } else { "" }
            ),
            None,
        );
        if !self.term.quiet() {
            self.labelled("", &p.why, Some(90));
            let t = &a.track_advice;
            self.labelled(
                "Track",
                &format!(
                    "{} -> recommended: {}",
                    t.current.map_or("none", w2k8_assess::Track::as_str).replace('_', " "),
                    t.recommended.as_str().replace('_', " ")
                ),
                None,
            );
            self.labelled("", &t.why, Some(90));
        }
    }

    /// The counts, what is reachable, how complete the evidence is, and the
    /// lower-bound warning below Service Pack 2.
    fn summary(&mut self, a: &Assessment) {
        let sm = &a.summary;
        self.labelled(
            "Summary",
            &format!(
                "{} missing, {} open CVE(s) ({} in CISA KEV, {} with no fix available to you), {} closed, {} unknown update(s) covering {} CVE(s)",
                sm.missing, sm.open_cves, sm.open_in_kev, sm.no_fix_available, sm.closed_cves, sm.unknown_updates, sm.unknown_cves
            ),
            None,
        );
        self.labelled("Reachable", &reachable_line(sm), Some(90));
        let evidence = match a.standing.evidence_completeness {
            w2k8_assess::truth::Completeness::Complete => format!("complete: {}", a.standing.evidence_note),
            w2k8_assess::truth::Completeness::Partial => format!(
                "PARTIAL: {}. {} CVE(s) cannot be judged ({} in CISA KEV): every count is a lower bound",
                a.standing.evidence_note,
                a.exposure_unknown.len(),
                sm.unknown_in_kev
            ),
        };
        self.labelled("Evidence", &evidence, Some(90));
        if sm.counts_are_lower_bound && a.standing.evidence_completeness == w2k8_assess::truth::Completeness::Complete {
            self.labelled(
                "Lower bound",
                "the host is below Service Pack 2: the counts cover only the CVEs listed for its level",
                None,
            );
        }
    }

    /// "Missing (install in this order)": the table and the restart legend.
    fn missing(&mut self, a: &Assessment) {
        self.text("\nMissing (install in this order):\n");
        if a.missing.is_empty() {
            self.text("  nothing\n");
            return;
        }
        self.table(&missing_table(&a.missing, self.term.verbose()));
        self.para(
            "  ",
            "restart: yes when installing it needs a restart (as in `w2k8 plan`); - when no source in the data says so (wusa exit code 3010 tells)",
            2,
            usize::MAX,
        );
    }

    /// "Open CVEs (riskiest first)": the table (without the rows `-v` alone
    /// shows), the reach legend and how many rows were left out.
    fn open_cves(&mut self, a: &Assessment) {
        self.text("\nOpen CVEs (riskiest first):\n");
        let verbose = self.term.verbose();
        let hidden = a.exposure.iter().filter(|e| hidden_by_default(e, verbose)).count();
        if a.exposure.is_empty() {
            self.text("  none\n");
        } else {
            self.table(&exposure_table(&a.exposure, verbose));
            self.reach_legend();
        }
        if hidden > 0 {
            self.para(
                "  ",
                &format!("... and {hidden} more with no fix available to you and no KEV entry or public exploit (-v or --format json lists all)"),
                2,
                usize::MAX,
            );
        }
    }

    /// What the `reach` column's values mean: wrapped at the width, or as
    /// three fixed lines without one.
    fn reach_legend(&mut self) {
        let legend = "reach: exposed (no documented mitigation holds), reduced (one narrows the attack), mitigated (Microsoft's workaround is in place), not_reachable (component absent, stopped or closed), unknown (the bundle does not tell: never counted as safe); --format json gives the evidence lines and the source";
        if self.term.width().is_some() {
            self.para("  ", legend, 2, usize::MAX);
        } else {
            self.text(
                "  reach: exposed (no documented mitigation holds), reduced (one narrows the attack), mitigated (Microsoft's\n  workaround is in place), not_reachable (component absent, stopped or closed), unknown (the bundle does not tell:\n  never counted as safe); --format json gives the evidence lines and the source\n",
            );
        }
    }

    /// "Unknown": the first 15 updates the data cannot judge (all with
    /// `-v`), how many more, and the first one's reason.
    fn unknown(&mut self, a: &Assessment) {
        self.text("\nUnknown (the data cannot tell; not counted as missing):\n");
        if a.unknown.is_empty() {
            self.text("  nothing\n");
            return;
        }
        let shown = if self.term.verbose() { a.unknown.len() } else { a.unknown.len().min(15) };
        self.table(&unknown_table(&a.unknown, shown));
        if a.unknown.len() > shown {
            self.para(
                "  ",
                &format!(
                    "... and {} more (-v or --format json lists all, each with its reason)",
                    a.unknown.len() - shown
                ),
                2,
                usize::MAX,
            );
        }
        if let Some(u) = a.unknown.first() {
            self.para(&format!("  Why, e.g. {}: ", u.kb), &u.reason, 4, 96);
        }
    }

    /// "Products besides the OS": each with its detail and evidence.
    fn components(&mut self, a: &Assessment) {
        self.text("\nProducts besides the OS:\n");
        let mut t = Table::new(vec![
            Column::wrap("product").min(20),
            Column::wrap("detail").min(20),
            Column::below("evidence"),
        ])
        .indent(2)
        .headless();
        for c in &a.components {
            let at = c.evidence.as_ref().map(|e| format!("[{}]", e.location())).unwrap_or_default();
            t.row(vec![Cell::plain(c.name.clone()), Cell::plain(c.detail.clone()), Cell::plain(at)]);
        }
        self.table(&t);
    }

    /// "Notes": the assessment's, then the standing's.
    fn notes(&mut self, a: &Assessment) {
        let s = &a.standing;
        if !a.assessment_notes.is_empty() || !s.notes.is_empty() {
            self.text("\nNotes:\n");
            for n in a.assessment_notes.iter().chain(s.notes.iter()) {
                self.para("  - ", n, 4, 96);
            }
        }
    }
}

/// The missing updates as a table (with their download links under `-v`).
fn missing_table(missing: &[w2k8_assess::Missing], verbose: bool) -> Table {
    let mut t = Table::new(vec![
        Column::keep("KB"),
        Column::keep("released"),
        Column::keep("kind"),
        Column::keep("CVEs").right(),
        Column::keep("max sev"),
        Column::keep("KEV").right(),
        Column::keep("restart"),
        Column::below("why"),
    ])
    .indent(2);
    if verbose {
        t = t.column(Column::below("download"));
    }
    for m in missing {
        t.row(missing_row(m, verbose));
    }
    t
}

/// One missing update's row of [`missing_table`].
fn missing_row(m: &w2k8_assess::Missing, verbose: bool) -> Vec<Cell> {
    let rel =
        m.released.map(|d| if m.month_only { d.month_string() } else { d.to_string() }).unwrap_or_else(|| "-".into());
    let mut row = vec![
        Cell::plain(m.kb.to_string()),
        Cell::plain(rel),
        Cell::plain(m.kind.as_str()),
        Cell::plain(m.cves.len().to_string()),
        Cell::paint(sev(m.max_severity), Paint::of_severity(m.max_severity)),
        Cell::paint(m.kev_count.to_string(), (m.kev_count > 0).then_some(Paint::Kev)),
        Cell::plain(if m.reboot { "yes" } else { "-" }),
        Cell::plain(why(m)),
    ];
    if verbose {
        row.push(Cell::plain(m.download.clone()));
    }
    row
}

/// Left out of the open CVEs unless `-v`: no fix available to the host, not
/// in KEV and no public exploit.
fn hidden_by_default(e: &w2k8_assess::Exposure, verbose: bool) -> bool {
    !verbose && e.status == FixStatus::NoFixAvailableToYou && e.kev.is_none() && e.exploits.is_empty()
}

/// The open CVEs as a table, riskiest first, without those
/// [`hidden_by_default`] leaves out.
fn exposure_table(exposure: &[w2k8_assess::Exposure], verbose: bool) -> Table {
    let mut t = Table::new(vec![
        Column::keep("CVE"),
        Column::keep("severity"),
        Column::wrap("KEV added → due").min(10),
        Column::drop("exploit", 1),
        Column::keep("reach"),
        Column::wrap("fixed by").min(11),
        Column::below("title"),
    ])
    .indent(2);
    for e in exposure.iter().filter(|e| !hidden_by_default(e, verbose)) {
        t.row(exposure_row(e));
    }
    t
}

/// One open CVE's row of [`exposure_table`].
fn exposure_row(e: &w2k8_assess::Exposure) -> Vec<Cell> {
    let (kev, paint) = match &e.kev {
        Some(k) => (kev_cell(k), Some(if k.ransomware { Paint::Ransomware } else { Paint::Kev })),
        None => ("-".to_string(), None),
    };
    let fixed = match e.status {
        FixStatus::FixAvailable => crate::joined(&e.fixed_by, " "),
        FixStatus::NoFixAvailableToYou => {
            format!("none to you (ended {})", e.programme_ended.map(|d| d.to_string()).unwrap_or_default())
        }
    };
    vec![
        Cell::plain(e.cve.to_string()),
        Cell::paint(sev(Some(e.severity)), Paint::of_severity(Some(e.severity))),
        Cell::paint(kev, paint),
        Cell::plain(if e.exploits.is_empty() { "-" } else { "public" }),
        Cell::plain(e.reachability.as_str()),
        Cell::plain(fixed),
        Cell::plain(e.title),
    ]
}

/// The first `shown` updates the data cannot judge, as a table.
fn unknown_table(unknown: &[w2k8_assess::Unknown], shown: usize) -> Table {
    let mut t = Table::new(vec![
        Column::keep("KB"),
        Column::keep("released"),
        Column::keep("CVEs").right(),
        Column::wrap("title").min(20),
    ])
    .indent(2);
    for u in unknown.iter().take(shown) {
        let rel = u.released.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        t.row(vec![
            Cell::plain(u.kb.to_string()),
            Cell::plain(rel),
            Cell::plain(u.cves.len().to_string()),
            Cell::plain(u.title.as_deref().unwrap_or("")),
        ]);
    }
    t
}

/// "N open, of which M reachable, K in KEV": never a reachable count the
/// bundle cannot support (issue 20).
fn reachable_line(sm: &w2k8_assess::Summary) -> String {
    let kev = match sm.reachable_kev {
        Some(k) => format!("{k} in KEV"),
        None => "the KEV count among them unknown".to_string(),
    };
    if sm.reachability_unknown == 0 {
        format!("{} open, of which {} reachable, {kev}", sm.open_cves, sm.reachable)
    } else {
        format!(
            "{} open, of which at least {} reachable, {kev}; {} cannot be judged (a file that would tell is missing or unreadable (reg-mitigations.txt, services.txt, netstat.txt, firewall.txt, roles.txt), does not show the setting, or contradicts another: each CVE's reachability_notes in --format json say which)",
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
                "12 open, of which at least 5 reachable, the KEV count among them unknown; 3 cannot be judged"
            ),
            "{line}"
        );
    }
}
