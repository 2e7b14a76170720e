//! `w2k8 diagnose` as text: the summary, the logs read (with the Windows and
//! agent versions they show), the timeline of attempts, the failure and its
//! first real error, the component store, the causes with evidence and
//! sources, and the next steps.
use std::fmt::Write as _;
use w2k8_diagnose::{Diagnosis, Outcome};

/// Renders a diagnosis as readable text.
pub fn text(dx: &Diagnosis) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", dx.summary);
    let _ = writeln!(s, "\nLogs");
    for l in &dx.logs {
        let mut who = l.windows.clone().unwrap_or_else(|| "Windows version not shown".into());
        if let Some(v) = &l.windows_version {
            let _ = write!(who, ", {v}");
        }
        if let Some(a) = &l.agent_version {
            let _ = write!(who, "; Windows Update Agent {a}");
        }
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
            if let Some(lc) = &e.line_code {
                let _ = writeln!(
                    s,
                    "               (this line shows {lc}; the failure it starts ended with the code below)"
                );
            }
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
