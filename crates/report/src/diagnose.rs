//! `w2k8 diagnose` as text: the summary, the logs read (with the Windows and
//! agent versions they show), the timeline of attempts, the failure and its
//! first real error, the component store, the causes with evidence and
//! sources, and the next steps.
use crate::sources::Refs;
use std::fmt::Write as _;
use w2k8_diagnose::{Attempt, Cause, Diagnosis, ErrorLine, Failure, LogReport, Outcome, Phase, Step, StoreHealth};

/// Renders a diagnosis as readable text.
pub fn text(dx: &Diagnosis) -> String {
    w2k8_core::text::escape_text(&text_unescaped(dx)).into_owned()
}

fn text_unescaped(dx: &Diagnosis) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", dx.summary);
    logs(&mut s, &dx.logs, &dx.not_2008);
    timeline(&mut s, &dx.timeline, dx.timeline_omitted);
    if let Some(f) = &dx.failure {
        failure(&mut s, f);
    }
    if let Some(st) = &dx.store {
        store(&mut s, st);
    }
    let mut refs = Refs::new();
    causes(&mut s, &dx.causes, &mut refs);
    steps(&mut s, &dx.next_steps, &mut refs);
    s.push_str(&refs.render());
    s
}

fn logs(s: &mut String, logs: &[LogReport], not_2008: &[String]) {
    let _ = writeln!(s, "\nLogs");
    for l in logs {
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
        if !l.update_sources.is_empty() {
            let _ = writeln!(s, "    update server named: {}", l.update_sources.join(", "));
        }
    }
    for n in not_2008 {
        let _ = writeln!(s, "  ! {n}");
    }
}

fn timeline(s: &mut String, attempts: &[Attempt], omitted: u64) {
    if attempts.is_empty() {
        return;
    }
    let older = if omitted > 0 { format!(", {omitted} older left out") } else { String::new() };
    let _ = writeln!(s, "\nTimeline ({} attempt(s){older})", attempts.len());
    for a in attempts {
        let outcome = match a.outcome {
            Outcome::Succeeded => "succeeded",
            Outcome::PendingReboot => "succeeded, restart pending",
            Outcome::Failed => "FAILED",
            Outcome::Unfinished => "no result in the log",
        };
        let what = a.kb.map(|k| k.to_string()).or_else(|| a.package.clone()).unwrap_or_else(|| "?".into());
        let code =
            a.hresult.as_ref().map(|h| format!(" {h} {}", a.symbol.clone().unwrap_or_default())).unwrap_or_default();
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

fn error_line(s: &mut String, label: &str, e: &ErrorLine) {
    let _ = writeln!(s, "  {label:<12} {}:{}  {}", e.file, e.line, e.text);
    if let Some(lc) = &e.line_code {
        let _ = writeln!(s, "               (this line shows {lc}; the failure it starts ended with the code below)");
    }
    if let Some(c) = &e.code {
        let facility = format!("({})", c.facility_name.unwrap_or("?"));
        let msg = c.message.clone().or_else(|| c.meaning.clone());
        let parts = [Some(c.hex.clone()), c.symbols.first().cloned(), Some(facility), msg];
        let _ = writeln!(s, "               {}", parts.into_iter().flatten().collect::<Vec<_>>().join(" "));
    }
}

fn failure(s: &mut String, f: &Failure) {
    let heading = if f.phase == Phase::StoreCheck { "Store damage" } else { "Failure" };
    let _ = writeln!(s, "\n{heading}");
    if let Some(kb) = f.kb {
        let title = f.kb_title.as_deref().map(|t| format!(" - {t}")).unwrap_or_default();
        let _ = writeln!(s, "  update       {kb}{title}");
    }
    if let Some(p) = &f.package {
        let _ = writeln!(s, "  package      {p}");
    }
    let _ = writeln!(s, "  phase        {}", f.phase.as_str());
    error_line(s, "first error", &f.first_error);
    if let Some(e) = &f.final_error {
        error_line(s, "final result", e);
    }
}

fn store(s: &mut String, st: &StoreHealth) {
    let _ = writeln!(s, "\nComponent store (CheckSUR)");
    let n = |v: Option<u32>| v.map_or("?".into(), |n| n.to_string());
    let _ = writeln!(s, "  found {} error(s), fixed {}", n(st.found), n(st.fixed));
    for u in &st.unfixed {
        let _ = writeln!(s, "  (f) {} {}  ({}:{})", u.what, u.path, st.file, u.line);
    }
    for u in &st.unavailable_repair_files {
        let _ = writeln!(s, "  unavailable repair file: {u}");
    }
}

fn causes(s: &mut String, causes: &[Cause], refs: &mut Refs) {
    if causes.is_empty() {
        return;
    }
    let _ = writeln!(s, "\nCauses");
    for c in causes {
        let _ = writeln!(s, "  * {} [{}]", c.title, c.id);
        let _ = writeln!(s, "    why:  {}", c.explanation);
        for e in c.evidence.iter().take(5) {
            let _ = writeln!(s, "    seen: {}  {}", e.location(), e.fact);
        }
        let _ = writeln!(s, "    fix:  {}", c.fix);
        if !c.sources.is_empty() {
            let _ = writeln!(s, "    sources: {}", refs.cite_all(&c.sources));
        }
    }
}

fn steps(s: &mut String, steps: &[Step], refs: &mut Refs) {
    if steps.is_empty() {
        return;
    }
    let _ = writeln!(s, "\nNext steps");
    for (i, st) in steps.iter().enumerate() {
        let cited = refs.cite_all(&st.sources);
        let _ =
            writeln!(s, "  {}. [{}] {}{}{cited}", i + 1, st.action, st.text, if cited.is_empty() { "" } else { " " });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WU: &str = "2016-09-08\t10:48:19:515\t 848\t604\tSetup\tClient version: Core: 7.6.7600.256  Aux: 7.3.7600.16385\n\
        2016-09-08\t10:48:43:109\t 848\t604\tMisc\tWARNING: Send failed with hr = 80072ee2.\n\
        2016-09-08\t10:48:43:109\t 848\t604\tMisc\tWARNING: WinHttp: SendRequestUsingProxy failed for <http://wsus01/selfupdate/wuident.cab>. error 0x80072ee2\n";

    #[test]
    fn connectivity_failure_reads_top_to_bottom() {
        let dx = w2k8_diagnose::diagnose_bytes("WindowsUpdate.log", WU.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let t = text(&dx);
        assert!(t.starts_with("the search for updates failed (search phase); first real error at WindowsUpdate.log:2"));
        assert!(t.contains("NT 6.1 (Windows Server 2008 R2 / Windows 7); Windows Update Agent 7.6.7600.256"));
        assert!(t.contains("[cannot_reach_update_source]"));
        assert!(t.contains("http://wsus01/selfupdate/wuident.cab"));
        assert!(t.contains("`nslookup wsus01`"));
        let sections: Vec<&str> = t.lines().filter(|l| !l.starts_with(' ') && !l.is_empty()).collect();
        assert_eq!(&sections[1..], ["Logs", "Failure", "Causes", "Next steps", "Sources"]);
        // Each source once, numbered, cited by number (issue 15).
        let listed: Vec<&str> = t.lines().filter(|l| l.trim_start().starts_with('[') && l.contains("] ")).collect();
        let mut unique = listed.clone();
        unique.dedup();
        assert_eq!(listed.len(), unique.len(), "{t}");
        assert!(!t.contains("source: "), "no source repeated under each step: {t}");
    }
}
