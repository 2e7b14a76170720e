//! `w2k8 plan` as text and as Markdown: the ordered steps with their
//! restarts, the failures the host would meet as it is now, and the state
//! after the plan.
use crate::sources::Refs;
use crate::wrap;
use w2k8_assess::isolation::Isolation;
use w2k8_assess::plan::{Plan, Step};

fn kb_or_manual(s: &Step) -> String {
    s.kb.map(|k| k.to_string()).unwrap_or_else(|| "(manual)".to_string())
}

fn indent(text: &str, width: usize, pad: &str) -> String {
    wrap(text, width).replace('\n', &format!("\n{pad}"))
}

/// Renders a plan as readable text.
pub fn text(p: &Plan) -> String {
    w2k8_core::text::escape_text(&text_unescaped(p)).into_owned()
}

/// `HOST: build N, patched through YYYY-MM`: where the host is now.
fn now_line(p: &Plan) -> String {
    format!(
        "{}: build {}, patched through {}\n",
        p.host.as_deref().unwrap_or("(host name not in bundle)"),
        p.build.map(|b| b.to_string()).unwrap_or_else(|| "?".to_string()),
        p.patched_through.map_or_else(|| "no monthly rollup".to_string(), |m| m.to_string())
    )
}

/// `build N, patched through YYYY-MM` after the plan.
fn after(p: &Plan) -> String {
    format!(
        "build {}, patched through {}",
        p.final_state.build.map(|b| b.to_string()).unwrap_or_else(|| "?".to_string()),
        p.final_state.patched_through.map_or_else(|| "-".to_string(), |m| m.to_string())
    )
}

/// `plan -q`: the plan in four lines (now, the updates in order, after the plan, what stays open).
pub fn summary(p: &Plan) -> String {
    let mut out = now_line(p);
    let order: Vec<String> = p.steps.iter().map(kb_or_manual).collect();
    if order.is_empty() {
        out.push_str("  Install          nothing\n");
    } else {
        out.push_str(&format!("  Install in order {} ({} restart(s))\n", order.join(", "), p.reboots));
    }
    out.push_str(&format!("  After the plan   {}\n", after(p)));
    if let Some(iso) = &p.cannot_patch_further {
        out.push_str(&format!(
            "  Left open        {} CVE(s) with no fix available to this host, {} in CISA KEV; {} isolation change(s) proposed\n",
            iso.open_without_fix,
            iso.kev_exposed.len(),
            p.isolation.steps.len()
        ));
    }
    w2k8_core::text::escape_text(&out).into_owned()
}

fn text_unescaped(p: &Plan) -> String {
    let mut t = PlanText { out: String::new(), refs: Refs::new() };
    t.out.push_str(&now_line(p));
    t.out.push_str(&format!(
        "  Programme        {} ({}): updates released up to {}{}\n",
        p.programme.programme.as_str(),
        p.programme.name,
        p.programme.ends,
        if p.programme.inferred { ", inferred" } else { "" }
    ));
    t.steps(p);
    if let Some(stop) = &p.stops {
        t.out.push_str(&format!("\n{}\n", wrap(stop, 100)));
    }
    t.predicted_failures(p);
    t.out.push_str(&format!("\nAfter the plan: {}\n", after(p)));
    if let Some(iso) = &p.cannot_patch_further {
        t.cannot_patch_further(p, iso);
    }
    if !p.notes.is_empty() {
        t.out.push_str("\nNotes\n");
        for n in &p.notes {
            t.out.push_str(&format!("  - {}\n", indent(n, 100, "    ")));
        }
    }
    t.out.push_str(&t.refs.render());
    t.out
}

/// The plan as text, with the sources it cites numbered in `refs` (listed
/// at the end).
struct PlanText {
    out: String,
    refs: Refs,
}

impl PlanText {
    /// "Steps": the table of steps, each with what it requires, why (and its
    /// sources), its known issues, and the restart after it.
    fn steps(&mut self, p: &Plan) {
        if p.steps.is_empty() {
            self.out.push_str("\nNothing to install.\n");
            return;
        }
        self.out.push_str(&format!("\nSteps ({} restart(s))\n", p.reboots));
        self.out.push_str(&format!(
            "  {:>2}  {:<10} {:<15} {:<10} {:<7} {:<9} {}\n",
            "#", "KB", "kind", "released", "reboot", "ready", "title"
        ));
        for s in &p.steps {
            self.step(s);
        }
    }

    /// One step's row and the lines under it.
    fn step(&mut self, s: &Step) {
        self.out.push_str(&format!(
            "  {:>2}  {:<10} {:<15} {:<10} {:<7} {:<9} {}\n",
            s.order,
            kb_or_manual(s),
            s.kind,
            released(s),
            if s.reboot { "yes" } else { "no" },
            if s.satisfied { "yes" } else { "needs" },
            s.title
        ));
        let pad = "                   ";
        if !s.requires.is_empty() {
            self.out.push_str(&format!("{pad}requires {}\n", s.requires.join(", ")));
        }
        let cited = self.refs.cite_all(&s.source);
        let why = if cited.is_empty() { s.why.clone() } else { format!("{} {cited}", s.why) };
        self.out.push_str(&format!("{pad}{}\n", indent(&why, 90, pad)));
        for k in &s.known_issues {
            self.out.push_str(&format!("{pad}known issue: {}\n", indent(k, 80, pad)));
        }
        if s.restart_after {
            self.out.push_str("      ---- restart ----\n");
        }
    }

    /// "What fails on this host as it is now": each failure's code, cause,
    /// fix and sources.
    fn predicted_failures(&mut self, p: &Plan) {
        if p.predicted_failures.is_empty() {
            return;
        }
        self.out.push_str("\nWhat fails on this host as it is now\n");
        for f in &p.predicted_failures {
            self.out.push_str(&format!(
                "  {} {}{}\n",
                f.kb,
                f.error.as_deref().unwrap_or("(error code not in the data)"),
                f.symbol.as_deref().map(|s| format!(" {s}")).unwrap_or_default()
            ));
            let pad = "      ";
            self.out.push_str(&format!("{pad}cause: {}\n", indent(&f.cause, 90, pad)));
            self.out.push_str(&format!("{pad}fix:   {}\n", indent(&f.fix, 90, pad)));
            self.out.push_str(&format!("{pad}sources: {}\n", self.refs.cite_all(&f.source)));
        }
    }

    /// "Cannot be patched further": the open CVEs no fix reaches, those in
    /// KEV, the isolation steps and the advice.
    fn cannot_patch_further(&mut self, p: &Plan, iso: &w2k8_assess::plan::Isolation) {
        self.out.push_str(&format!(
            "\nCannot be patched further: {} open CVE(s) have no fix available to this host (its updates ended {}); {} in CISA KEV\n",
            iso.open_without_fix,
            iso.programme_ended,
            iso.kev_exposed.len()
        ));
        for k in &iso.kev_exposed {
            self.out.push_str(&format!(
                "  {:<16} {}{}\n",
                k.cve,
                k.component,
                if k.ransomware { " (known ransomware use)" } else { "" }
            ));
        }
        isolation_text(&p.isolation, &mut self.refs, &mut self.out);
        let rest = if p.isolation.steps.is_empty() { "Do now" } else { "And" };
        self.out.push_str(&format!("  {rest} ({}):\n", iso.advice_source));
        for a in &iso.advice {
            self.out.push_str(&format!("  - {a}\n"));
        }
    }
}

/// A step's release day (its month, when only the month is sourced), or `-`.
fn released(s: &Step) -> String {
    s.released.map(|d| if s.month_only { d.month_string() } else { d.to_string() }).unwrap_or_else(|| "-".to_string())
}

/// The isolation steps (`w2k8 script --isolate` makes them a script): each change with the CVEs it
/// addresses, what it breaks, its commands and undo, and its sources.
fn isolation_text(iso: &Isolation, refs: &mut Refs, out: &mut String) {
    let pad = "      ";
    if !iso.steps.is_empty() {
        out.push_str(&format!(
            "  Isolate now: {} reversible change(s) (`w2k8 script HOST --isolate` writes them as isolate.cmd, `--undo` as undo.cmd)\n",
            iso.steps.len()
        ));
    }
    for (i, s) in iso.steps.iter().enumerate() {
        let what =
            if s.cves.is_empty() { "general network isolation".to_string() } else { crate::joined(&s.cves, ", ") };
        out.push_str(&format!(
            "  {:>2}. {} ({}): {} {}{}\n",
            i + 1,
            s.id,
            s.component,
            s.effect.as_str(),
            indent(&what, 80, pad),
            if s.restart { ", restart needed" } else { "" }
        ));
        if let Some(w) = &s.role_warning {
            out.push_str(&format!("{pad}LEFT OUT of isolate.cmd: {}\n", indent(w, 90, pad)));
        }
        out.push_str(&format!("{pad}breaks: {} {}\n", indent(&s.breaks, 90, pad), refs.cite_all(&s.source)));
        for c in &s.command {
            out.push_str(&format!("{pad}> {c}\n"));
        }
        for c in &s.undo {
            out.push_str(&format!("{pad}undo> {c}\n"));
        }
    }
    if !iso.no_step_known.is_empty() {
        out.push_str(&format!(
            "  No host-level change is documented for {} reachable KEV or critical CVE(s): only network isolation or replacing the host closes them\n",
            iso.no_step_known.len()
        ));
    }
    if !iso.not_judged.is_empty() {
        out.push_str(&format!(
            "  {} KEV or critical CVE(s) cannot be judged (the bundle lacks, cannot read or contradicts the configuration that would tell: see `w2k8 assess`): no change is proposed for them, none is shown safe\n",
            iso.not_judged.len()
        ));
    }
    for n in &iso.notes {
        out.push_str(&format!("  note: {}\n", indent(n, 96, pad)));
    }
}

/// `plan --manifest`: the packages to fetch for this host, in install order,
/// each with its Update Catalog search (the file names are in no source, so
/// none is given).
pub fn manifest(p: &Plan, arch: Option<w2k8_core::Arch>) -> String {
    let arch = match arch {
        Some(w2k8_core::Arch::X86) => "x86-based Systems",
        Some(w2k8_core::Arch::X64) => "x64-based Systems",
        Some(w2k8_core::Arch::Ia64) => "Itanium-based Systems",
        None => "the host's architecture (not shown by the bundle)",
    };
    let host = p.host.as_deref().unwrap_or("(host name not in bundle)");
    let mut out = format!(
        "# Packages for {host}, in install order. From each Update Catalog search, take the package for\n\
         # Windows Server 2008 for {arch}; put the .msu files beside install.cmd (`w2k8 script --install`).\n"
    );
    for s in p.steps.iter().filter(|s| s.kb.is_some()) {
        out.push_str(&format!(
            "{:>2}  {:<10} {}\n    {}\n",
            s.order,
            kb_or_manual(s),
            s.title,
            s.download.as_deref().unwrap_or("-")
        ));
    }
    if p.steps.iter().all(|s| s.kb.is_none()) {
        out.push_str("# Nothing to download.\n");
    }
    w2k8_core::text::escape_text(&out).into_owned()
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Renders a plan as Markdown (a change ticket can quote it).
pub fn markdown(p: &Plan) -> String {
    w2k8_core::text::escape_text(&markdown_unescaped(p)).into_owned()
}

fn markdown_unescaped(p: &Plan) -> String {
    let mut out = String::new();
    md_header(p, &mut out);
    md_steps(p, &mut out);
    md_predicted_failures(p, &mut out);
    if let Some(iso) = &p.cannot_patch_further {
        md_cannot_patch_further(p, iso, &mut out);
    }
    if !p.notes.is_empty() {
        out.push_str("\n## Notes\n\n");
        for n in &p.notes {
            out.push_str(&format!("- {}\n", md_cell(n)));
        }
    }
    out
}

/// The title and the list of where the host is, its programme, the
/// restarts, where it will be, and where the plan stops.
fn md_header(p: &Plan, out: &mut String) {
    let host = p.host.as_deref().unwrap_or("(host name not in bundle)");
    out.push_str(&format!("# Patch plan for {}\n\n", md_cell(host)));
    out.push_str(&format!(
        "- Now: build {}, patched through {}\n- Programme: {} (updates released up to {})\n- Restarts: {}\n- After the plan: build {}, patched through {}\n",
        p.build.map(|b| b.to_string()).unwrap_or_else(|| "?".to_string()),
        p.patched_through.map_or_else(|| "no monthly rollup".to_string(), |m| m.to_string()),
        md_cell(&p.programme.name),
        p.programme.ends,
        p.reboots,
        p.final_state.build.map(|b| b.to_string()).unwrap_or_else(|| "?".to_string()),
        p.final_state.patched_through.map_or_else(|| "-".to_string(), |m| m.to_string())
    ));
    if let Some(stop) = &p.stops {
        out.push_str(&format!("- {}\n", md_cell(stop)));
    }
}

/// "Steps": a table of the steps in order.
fn md_steps(p: &Plan, out: &mut String) {
    out.push_str("\n## Steps\n\n");
    if p.steps.is_empty() {
        out.push_str("Nothing to install.\n");
        return;
    }
    out.push_str(
        "| # | KB | Kind | Released | Reboot | Requires | Ready | Title |\n|---|---|---|---|---|---|---|---|\n",
    );
    for s in &p.steps {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            s.order,
            kb_or_manual(s),
            s.kind,
            released(s),
            if s.restart_after {
                "yes, restart now"
            } else if s.reboot {
                "yes (later)"
            } else {
                "no"
            },
            md_cell(&s.requires.join(", ")),
            if s.satisfied { "yes" } else { "no" },
            md_cell(&s.title)
        ));
    }
}

/// "What fails on this host as it is now": a table of the failures.
fn md_predicted_failures(p: &Plan, out: &mut String) {
    if p.predicted_failures.is_empty() {
        return;
    }
    out.push_str(
        "\n## What fails on this host as it is now\n\n| KB | Error | Cause | Fix | Source |\n|---|---|---|---|---|\n",
    );
    for f in &p.predicted_failures {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            f.kb,
            f.error.as_deref().unwrap_or("-"),
            md_cell(&f.cause),
            md_cell(&f.fix),
            md_cell(&f.source.join(" ; "))
        ));
    }
}

/// "Cannot be patched further": the KEV CVEs no fix reaches, the isolation
/// steps and the advice.
fn md_cannot_patch_further(p: &Plan, iso: &w2k8_assess::plan::Isolation, out: &mut String) {
    out.push_str(&format!(
        "\n## Cannot be patched further\n\n{} open CVE(s) have no fix available to this host (its updates ended {}). In CISA KEV:\n\n",
        iso.open_without_fix, iso.programme_ended
    ));
    for k in &iso.kev_exposed {
        out.push_str(&format!(
            "- {} ({}){}\n",
            k.cve,
            md_cell(&k.component),
            if k.ransomware { ", known ransomware use" } else { "" }
        ));
    }
    isolation_markdown(&p.isolation, out);
    let rest = if p.isolation.steps.is_empty() { "Do now" } else { "And" };
    out.push_str(&format!("\n{rest} ({}):\n\n", md_cell(&iso.advice_source)));
    for a in &iso.advice {
        out.push_str(&format!("- {}\n", md_cell(a)));
    }
}

fn isolation_markdown(iso: &Isolation, out: &mut String) {
    if !iso.steps.is_empty() {
        out.push_str("\n### Isolate now\n\n| # | Change | CVEs | Effect | Breaks | Command | Undo | Source |\n|---|---|---|---|---|---|---|---|\n");
    }
    for (i, s) in iso.steps.iter().enumerate() {
        let breaks = match &s.role_warning {
            Some(w) => format!("LEFT OUT of isolate.cmd: {w}; {}", s.breaks),
            None => s.breaks.clone(),
        };
        out.push_str(&format!(
            "| {} | {} ({}) | {} | {}{} | {} | `{}` | `{}` | {} |\n",
            i + 1,
            s.id,
            md_cell(&s.component),
            if s.cves.is_empty() { "general network isolation".to_string() } else { crate::joined(&s.cves, ", ") },
            s.effect.as_str(),
            if s.restart { ", restart" } else { "" },
            md_cell(&breaks),
            md_cell(&s.command.join(" & ")).replace('`', "'"),
            md_cell(&s.undo.join(" & ")).replace('`', "'"),
            md_cell(&s.source.join(" ; "))
        ));
    }
    if !iso.no_step_known.is_empty() {
        out.push_str(&format!(
            "\nNo host-level change is documented for {} reachable KEV or critical CVE(s): {}.\n",
            iso.no_step_known.len(),
            iso.no_step_known.join(", ")
        ));
    }
    for n in &iso.notes {
        out.push_str(&format!("\nNote: {}\n", md_cell(n)));
    }
}
