//! Text renderings of a [`Migration`] (a readable table and a printable
//! Markdown runbook) and of the lifecycle table. Pure string building.
use crate::data::{LifecycleRow, Support};
use crate::plan::{Lifecycle, Migration, Path, PathKind, Refusal, Sourced};
use std::fmt::Write;
use w2k8_core::Date;

fn opt_date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "-".to_string())
}

fn ago(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        d if d > 0 => format!("{d} days ago"),
        d => format!("in {} days", -d),
    }
}

fn chain_title(p: &Path) -> String {
    let mut v: Vec<&str> = p.hops.first().map(|h| h.from.as_str()).into_iter().collect();
    v.extend(p.hops.iter().map(|h| h.to.as_str()));
    v.join(" -> ")
}

fn lifecycle_lines(out: &mut String, lc: &Lifecycle, bullet: &str) {
    for m in &lc.milestones {
        let verb = if m.days_ago >= 0 { "ended" } else { "ends" };
        let _ = writeln!(out, "{bullet}{} {verb} {} ({})", m.what, m.date, ago(m.days_ago));
    }
    if lc.milestones.is_empty() {
        let _ = writeln!(out, "{bullet}no end dates in the data: {}", lc.note);
    }
}

fn sourced(out: &mut String, s: &Sourced, indent: &str, md: bool) {
    if s.source.is_empty() {
        let _ = writeln!(out, "{indent}{}", s.text);
    } else if md {
        let _ = writeln!(out, "{indent}{} ([source]({}))", s.text, s.source);
    } else {
        let _ = writeln!(out, "{indent}{} [{}]", s.text, s.source);
    }
}

/// Writes each of `items` as [`sourced`] does, after `indent`.
fn sourced_list(out: &mut String, items: &[Sourced], indent: &str, md: bool) {
    for s in items {
        sourced(out, s, indent, md);
    }
}

/// Writes each of `items` on its own line, after `bullet`.
fn bullets(out: &mut String, items: &[String], bullet: &str) {
    for r in items {
        let _ = writeln!(out, "{bullet}{r}");
    }
}

/// Why a shortcut is refused, in a word: not supported, or not confirmed.
fn refusal_word(r: &Refusal) -> &'static str {
    if r.supported == Support::No {
        "not supported"
    } else {
        "not confirmed"
    }
}

/// A readable text report of the plan.
pub fn text(m: &Migration) -> String {
    let mut o = String::new();
    text_host(&mut o, m);
    let _ = writeln!(o, "\nLifecycle of {} [{}]", m.lifecycle.product, m.lifecycle.source);
    lifecycle_lines(&mut o, &m.lifecycle, "  ");
    if let Some(t) = &m.target_lifecycle {
        let _ = writeln!(o, "Lifecycle of {} [{}]", t.product, t.source);
        lifecycle_lines(&mut o, t, "  ");
    }
    let _ = writeln!(o, "\nRecommendation: {}", m.recommendation.summary);
    bullets(&mut o, &m.recommendation.reasons, "  - ");
    for p in &m.paths {
        text_path(&mut o, p);
    }
    text_tail(&mut o, m);
    o
}

/// The text report's head: the host, the target and the day.
fn text_host(o: &mut String, m: &Migration) {
    let h = &m.host;
    let _ = writeln!(
        o,
        "Host:        {}{}",
        h.host_name.as_deref().map(|n| format!("{n}: ")).unwrap_or_default(),
        h.product
    );
    let _ = writeln!(
        o,
        "             edition {}, {}, {}{}",
        h.edition.as_deref().unwrap_or("unknown"),
        h.arch.as_deref().unwrap_or("architecture unknown"),
        match h.server_core {
            Some(true) => "Server Core",
            Some(false) => "full installation",
            None => "Server Core unknown",
        },
        if h.domain_controller { ", domain controller" } else { "" }
    );
    let _ = writeln!(o, "Target:      {}", m.target);
    let _ = writeln!(o, "As of:       {}", m.as_of);
}

/// One path in the text report: why it is blocked, its hops, status and trade-offs.
fn text_path(o: &mut String, p: &Path) {
    let status = if p.supported { "supported" } else { "NOT possible" };
    let _ = writeln!(
        o,
        "\n{} ({status}){}",
        p.kind.name(),
        if p.hops.is_empty() { String::new() } else { format!(": {}", chain_title(p)) }
    );
    sourced_list(o, &p.blocked_by, "  blocked: ", false);
    for hop in &p.hops {
        let _ = writeln!(o, "  {} -> {}  edition: {}  [{}]", hop.from, hop.to, hop.edition, hop.source);
        sourced_list(o, &hop.requires, "      requires: ", false);
        sourced_list(o, &hop.notes, "      note: ", false);
    }
    if let Some(s) = &p.status {
        let _ = writeln!(o, "  status: {s}");
    }
    sourced_list(o, &p.trade_offs, "  trade-off: ", false);
}

/// The text report's tail: refused shortcuts, role caveats and notes.
fn text_tail(o: &mut String, m: &Migration) {
    if !m.refused_shortcuts.is_empty() {
        let _ = writeln!(o, "\nWhy not a shorter chain");
        for r in &m.refused_shortcuts {
            let _ = writeln!(o, "  {} -> {}: {}: {} [{}]", r.from, r.to, refusal_word(r), r.reason, r.source);
        }
    }
    if !m.caveats.is_empty() {
        let _ = writeln!(o, "\nRole caveats");
        for c in &m.caveats {
            let _ = writeln!(o, "  {}{}: {} [{}]", c.role, if c.blocks { " (blocks)" } else { "" }, c.text, c.source);
        }
    }
    if !m.notes.is_empty() {
        let _ = writeln!(o, "\nNotes");
        bullets(o, &m.notes, "  - ");
    }
}

/// A printable Markdown runbook of the plan.
pub fn markdown(m: &Migration) -> String {
    let mut o = String::new();
    markdown_host(&mut o, m);

    let _ = writeln!(o, "## Lifecycle\n");
    for lc in std::iter::once(&m.lifecycle).chain(m.target_lifecycle.as_ref()) {
        let _ = writeln!(o, "{} ([source]({})):\n", lc.product, lc.source);
        lifecycle_lines(&mut o, lc, "- ");
        let _ = writeln!(o);
    }

    let _ = writeln!(o, "## Recommendation: {}\n", m.recommendation.kind.name());
    let _ = writeln!(o, "{}\n", m.recommendation.summary);
    bullets(&mut o, &m.recommendation.reasons, "- ");
    let _ = writeln!(o);

    if !m.caveats.is_empty() {
        let _ = writeln!(o, "## Before you start: role caveats\n");
        for c in &m.caveats {
            let _ = writeln!(
                o,
                "- [ ] **{}{}**: {} ([source]({}))",
                c.role,
                if c.blocks { ", blocks the target until done" } else { "" },
                c.text,
                c.source
            );
        }
        let _ = writeln!(o);
    }

    for (i, p) in m.paths.iter().enumerate() {
        markdown_path(&mut o, i, p);
    }
    markdown_tail(&mut o, m);
    o
}

/// The runbook's title and host table.
fn markdown_host(o: &mut String, m: &Migration) {
    let h = &m.host;
    let name = h.host_name.as_deref().unwrap_or("this server");
    let _ = writeln!(o, "# Runbook: {name}, {} to {}\n", h.product, m.target);
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| Product | {} |", h.product);
    let _ = writeln!(o, "| Edition | {} |", h.edition.as_deref().unwrap_or("unknown"));
    let _ = writeln!(o, "| Architecture | {} |", h.arch.as_deref().unwrap_or("unknown"));
    let core = match h.server_core {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    };
    let _ = writeln!(o, "| Server Core | {core} |");
    let _ = writeln!(o, "| Domain controller | {} |", if h.domain_controller { "yes" } else { "no" });
    let _ = writeln!(o, "| Target | {} |", m.target);
    let _ = writeln!(o, "| As of | {} |\n", m.as_of);
}

/// Path `i` (0-based) of the runbook: why it is blocked, its status, one
/// step per hop, and its trade-offs.
fn markdown_path(o: &mut String, i: usize, p: &Path) {
    let title = match p.kind {
        PathKind::InPlace if p.hops.is_empty() => "In-place upgrade".to_string(),
        PathKind::InPlace => format!("In-place upgrade: {}", chain_title(p)),
        PathKind::SideBySide => "Side-by-side migration".to_string(),
        PathKind::Cloud => "Cloud rehost".to_string(),
    };
    let status = if p.supported { "supported" } else { "not possible for this host" };
    let _ = writeln!(o, "## Path {}: {title} ({status})\n", i + 1);
    sourced_list(o, &p.blocked_by, "- Blocked: ", true);
    if let Some(s) = &p.status {
        let _ = writeln!(o, "- Status: {s}");
    }
    if !p.blocked_by.is_empty() || p.status.is_some() {
        let _ = writeln!(o);
    }
    for (n, hop) in p.hops.iter().enumerate() {
        let _ = writeln!(o, "### Step {}: {} -> {}\n", n + 1, hop.from, hop.to);
        let _ = writeln!(o, "Edition: {} ([source]({}))\n", hop.edition, hop.source);
        sourced_list(o, &hop.requires, "- [ ] ", true);
        sourced_list(o, &hop.notes, "- Note: ", true);
        let _ = writeln!(o);
    }
    if !p.trade_offs.is_empty() {
        sourced_list(o, &p.trade_offs, "- Trade-off: ", true);
        let _ = writeln!(o);
    }
}

/// The runbook's tail: refused shortcuts and notes.
fn markdown_tail(o: &mut String, m: &Migration) {
    if !m.refused_shortcuts.is_empty() {
        let _ = writeln!(o, "## Why not a shorter chain\n");
        for r in &m.refused_shortcuts {
            let _ = writeln!(o, "- {} -> {}: {}. {} ([source]({}))", r.from, r.to, refusal_word(r), r.reason, r.source);
        }
        let _ = writeln!(o);
    }
    if !m.notes.is_empty() {
        let _ = writeln!(o, "## Notes\n");
        bullets(o, &m.notes, "- ");
    }
}

/// The lifecycle table's columns.
pub const LIFECYCLE_COLUMNS: [&str; 6] =
    ["product", "release", "mainstream end", "extended end", "ESU end", "Azure ESU end"];

/// The closing line of the lifecycle table as text.
pub const LIFECYCLE_NOTE: &str =
    "Dates from Microsoft's lifecycle data; empty where sources disagree (see `--format json` for notes and sources).";

/// The cells of the lifecycle table, one row per product ([`LIFECYCLE_COLUMNS`]; `-` for no date).
pub fn lifecycle_cells(rows: &[LifecycleRow]) -> Vec<[String; 6]> {
    rows.iter()
        .map(|r| {
            [
                r.product.clone(),
                opt_date(r.release_date),
                opt_date(r.mainstream_end),
                opt_date(r.extended_end),
                opt_date(r.esu_year_ends.last().copied()),
                opt_date(r.esu_azure_end),
            ]
        })
        .collect()
}

/// The lifecycle table as text (`markdown` = a Markdown table).
pub fn lifecycle_table(rows: &[LifecycleRow], markdown: bool) -> String {
    let head = LIFECYCLE_COLUMNS;
    let body = lifecycle_cells(rows);
    let mut o = String::new();
    if markdown {
        let _ = writeln!(o, "| {} |", head.join(" | "));
        let _ = writeln!(o, "|{}", "---|".repeat(head.len()));
        for r in &body {
            let _ = writeln!(o, "| {} |", r.join(" | "));
        }
        let _ = writeln!(o, "\nSources:\n");
        for r in rows {
            let _ = writeln!(o, "- {}: <{}>", r.product, r.source_url);
        }
        return o;
    }
    let mut widths = head.map(str::len);
    for r in &body {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .zip(widths.iter())
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let _ = writeln!(o, "{}", line(&head.map(String::from)));
    for r in &body {
        let _ = writeln!(o, "{}", line(r));
    }
    let _ = writeln!(o, "\n{LIFECYCLE_NOTE}");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_table_has_every_row() {
        let rows = &crate::data::tables().lifecycle;
        let t = lifecycle_table(rows, false);
        assert_eq!(t.lines().filter(|l| l.starts_with("Windows Server")).count(), 12);
        assert!(t.contains("Windows Server 2008     "));
        let line = t.lines().find(|l| l.starts_with("Windows Server 2008 R2 ")).unwrap_or_default();
        assert!(line.contains("2009-10-22  2015-01-13      2020-01-14    2023-01-10  2024-01-09"), "{line}");
        let md = lifecycle_table(rows, true);
        assert!(md.contains("| Windows Server 2025 | 2024-11-01 | - | - | - | - |"));
    }
}
