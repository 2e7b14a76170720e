//! The detector: turns the events of one or more logs into a [`Diagnosis`]:
//! the timeline of attempts, the failing package and its first real error,
//! the causes with their evidence and sources ([`rules`]), and the next steps.
mod rules;
mod state;

pub(crate) use state::LogState;

use crate::codes::{is_failure, lookup_for_2008, CodeInfo};
use crate::event::{Event, EventKind, LogFormat, LogStats, Phase, VersionSource};
use crate::model::*;
use crate::version::windows_of_nt;
use state::{Coded, Failed, Kept, Rec, MAX_TIMELINE};
use std::sync::Arc;
use w2k8_catalog::Catalog;
use w2k8_core::Kb;

/// How the Windows 10+ log format names the Windows that wrote it.
const ETW_WINDOWS: &str = "Windows 10 / Server 2016 or later (ETW-rendered WindowsUpdate.log)";

fn hex(c: u32) -> String {
    format!("0x{c:08X}")
}

/// The decoded code with the symbol the log prints for it.
fn code_info(code: u32, symbol: Option<&str>) -> CodeInfo {
    let mut ci = lookup_for_2008(code);
    if let Some(s) = symbol.filter(|s| !ci.symbols.iter().any(|x| x == s)) {
        ci.symbols.push(s.to_string());
    }
    ci
}

fn error_line(file: &str, ev: &Event) -> ErrorLine {
    ErrorLine {
        file: file.to_string(),
        line: ev.line,
        time: ev.time.clone(),
        text: ev.text.clone(),
        code: ev.hresult.filter(|c| *c != 0).map(|c| code_info(c, ev.symbol.as_deref())),
        line_code: None,
    }
}

/// Which Windows a log shows and whether `diagnose` refuses it.
struct Windows {
    windows: Option<String>,
    nt: Option<(u32, u32)>,
    note: Option<String>,
}

fn windows_of(l: &LogState) -> Windows {
    let best = l.versions.best.as_ref();
    let etw = l.format == LogFormat::WindowsUpdateEtw;
    let nt = best.map(|b| b.nt);
    let windows = match nt {
        Some((a, b)) => Some(windows_of_nt(a, b).to_string()),
        None if etw => Some(ETW_WINDOWS.to_string()),
        None => None,
    };
    let strong = best.is_some_and(|b| b.source > VersionSource::Title);
    // NT 6.0 (2008) and NT 6.1 (2008 R2, which shares its servicing with
    // Windows 7: a log cannot tell the two apart) are diagnosed; NT 6.2 and
    // later are refused on strong evidence.
    let refused = etw || (strong && nt.is_some_and(|n| n >= (6, 2)));
    let note = refused.then(|| {
        let why = match (&l.stack, best) {
            _ if etw => "its WindowsUpdate.log format (rendered from ETW by Get-WindowsUpdateLog)".to_string(),
            (Some(s), Some(b)) if b.source == VersionSource::ServicingStack => format!("servicing stack {s}"),
            (_, Some(b)) => format!("{} (line {})", b.source.describe(), b.line),
            (_, None) => "its content".to_string(),
        };
        format!(
            "{}: not a Windows Server 2008 log: {why} shows {}",
            l.file,
            windows.as_deref().unwrap_or("another Windows version")
        )
    });
    Windows { windows, nt, note }
}

fn report(l: &LogState, w: &Windows) -> LogReport {
    let best = l.versions.best.as_ref();
    LogReport {
        file: l.file.clone(),
        format: l.format,
        stats: l.stats.clone().unwrap_or_else(|| LogStats::new(crate::reader::Encoding::Utf8)),
        servicing_stack: l.stack.clone(),
        agent_build: l.agent_build.clone(),
        agent_version: l.versions.agent.clone().or_else(|| l.agent_build.clone()),
        windows: w.windows.clone(),
        windows_version: l.versions.best_build.as_ref().and_then(|b| b.version.clone()),
        windows_source: best.map(|b| b.source),
        windows_line: best.map(|b| b.line),
        not_2008: w.note.clone(),
        update_sources: update_sources(l),
    }
}

/// The distinct update server URLs of a log, in log order: the servers it
/// names as its own and the addresses its failed requests went to
/// (`SendRequestUsingProxy failed for <http://...>`).
fn update_sources(l: &LogState) -> Vec<String> {
    let named = l.sources.iter().filter_map(|ev| match &ev.kind {
        EventKind::UpdateSource { url } => Some((ev.line, url.as_str())),
        _ => None,
    });
    let tried = l.errors.iter().filter_map(|k| Some((k.ev.line, rules::url_in(&k.ev.text)?)));
    let mut all: Vec<(u64, &str)> = named.chain(tried).collect();
    all.sort_by_key(|(line, _)| *line);
    let mut urls: Vec<String> = Vec::new();
    for (_, url) in all {
        if !urls.iter().any(|u| u == url) {
            urls.push(url.to_string());
        }
    }
    urls
}

fn attempt_of(file: &str, r: &Rec) -> Attempt {
    let ev = r.end.as_deref().unwrap_or(&r.first);
    let title = match &ev.kind {
        EventKind::WuResult { title, .. } if !title.is_empty() => Some(title.clone()),
        _ => None,
    };
    let code = ev.hresult.filter(|c| *c != 0);
    Attempt {
        time: r.first.time.clone(),
        kb: r.first.kb.or(ev.kb),
        package: r.first.package.clone().or_else(|| ev.package.clone()).or(title),
        phase: r.phase,
        outcome: r.outcome,
        hresult: code.map(hex),
        symbol: code.and_then(|c| code_info(c, ev.symbol.as_deref()).symbols.first().cloned()),
        file: file.to_string(),
        line: ev.line,
    }
}

/// A Windows Update download names no title: take it from the install of the same update id.
fn fill_titles(l: &mut LogState) {
    let named: Vec<(String, Option<Kb>, String)> = l
        .timeline
        .iter()
        .map(Arc::as_ref)
        .chain(l.failed.as_ref().map(|f| f.rec.as_ref()))
        .filter_map(|r| match &r.first.kind {
            EventKind::WuResult { update_id, title, .. } if !title.is_empty() && !update_id.is_empty() => {
                Some((update_id.clone(), r.first.kb, title.clone()))
            }
            _ => None,
        })
        .collect();
    let fill = |r: &mut Arc<Rec>| {
        let EventKind::WuResult { update_id, title, success } = &r.first.kind else { return };
        if !title.is_empty() {
            return;
        }
        let Some((_, kb, t)) = named.iter().find(|(id, _, _)| id == update_id) else { return };
        let kind = EventKind::WuResult { update_id: update_id.clone(), title: t.clone(), success: *success };
        let r = Arc::make_mut(r);
        r.first.kb = *kb;
        r.first.kind = kind.clone();
        if let Some(e) = r.end.as_mut() {
            e.kb = *kb;
            e.kind = kind;
        }
    };
    l.timeline.iter_mut().for_each(fill);
    if let Some(f) = l.failed.as_mut() {
        fill(&mut f.rec);
    }
}

/// The first real error: the first error of the attempt (where its failure
/// chain starts), with its own code, else the next code the chain shows,
/// else the code that ended the attempt. With no error line, the first line
/// of the attempt that carries the ending code and says it failed.
fn first_error(file: &str, errors: &[Arc<Kept>], end: &Event, first_by_code: &[Coded]) -> ErrorLine {
    let end_code = end.hresult.filter(|c| is_failure(*c));
    if let Some(k) = errors.first() {
        let own = k.ev.hresult.filter(|c| is_failure(*c));
        let code =
            own.or_else(|| errors.iter().skip(1).find_map(|e| e.ev.hresult.filter(|c| is_failure(*c)))).or(end_code);
        let symbol = if own.is_some() { k.ev.symbol.as_deref() } else { None };
        let (line, time, text, shown) = match &k.chain {
            Some(c) => (c.line, c.time.clone(), c.text.clone(), Some(c.code)),
            None => (k.ev.line, k.ev.time.clone(), k.ev.text.clone(), own),
        };
        return ErrorLine {
            file: file.to_string(),
            line,
            time,
            text,
            code: code.map(|c| code_info(c, symbol)),
            line_code: shown.filter(|s| Some(*s) != code).map(hex),
        };
    }
    if let Some(c) = end_code.and_then(|e| first_by_code.iter().find(|c| c.code == e && c.line < end.line)) {
        return ErrorLine {
            file: file.to_string(),
            line: c.line,
            time: c.time.clone(),
            text: c.text.clone(),
            code: Some(code_info(c.code, end.symbol.as_deref())),
            line_code: None,
        };
    }
    error_line(file, end)
}

/// What [`pick_failure`] found: the failure, the log it is in, and the events it rests on.
struct Picked<'a> {
    failure: Failure,
    log: usize,
    events: Vec<&'a Event>,
}

#[allow(clippy::too_many_arguments)]
fn make_failure(
    cat: &Catalog,
    file: &str,
    kb: Option<Kb>,
    package: Option<String>,
    phase: Phase,
    first: ErrorLine,
    end: &Event,
    errors: u64,
    noise: u64,
) -> Failure {
    let u = kb.and_then(|k| cat.update(k));
    let final_error = (end.line != first.line).then(|| error_line(file, end));
    Failure {
        kb,
        kb_title: u.and_then(|u| u.title.clone()),
        kb_kind: u.map(|u| u.kind.as_str()),
        kb_released: u.and_then(|u| u.released).map(|d| d.to_string()),
        package,
        phase,
        time: first.time.clone(),
        first_error: first,
        final_error,
        errors_in_attempt: errors,
        noise_ignored: noise,
    }
}

/// The latest failed attempt over all logs.
fn from_attempt<'a>(logs: &'a [LogState], noise: u64, cat: &Catalog) -> Option<Picked<'a>> {
    let (i, f): (usize, &Failed) =
        logs.iter().enumerate().filter_map(|(i, l)| l.failed.as_ref().map(|f| (i, f))).max_by(|a, b| {
            (&a.1.rec.first.time, a.0, a.1.rec.first.line).cmp(&(&b.1.rec.first.time, b.0, b.1.rec.first.line))
        })?;
    let l = logs.get(i)?;
    let r = &f.rec;
    let end = r.end.as_deref().unwrap_or(&r.first);
    let first = first_error(&l.file, &f.errors, end, &f.first_by_code);
    let kb = r.first.kb.or(end.kb).or_else(|| f.errors.iter().find_map(|e| e.ev.kb));
    let mut events: Vec<&Event> = f.errors.iter().map(|k| &k.ev).collect();
    if !events.iter().any(|e| e.line == end.line) {
        events.push(end);
    }
    let failure =
        make_failure(cat, &l.file, kb, attempt_of(&l.file, r).package, r.phase, first, end, f.errors_total, noise);
    Some(Picked { failure, log: i, events })
}

/// No attempt failed: the errors of a log (CBS first).
fn from_errors<'a>(logs: &'a [LogState], noise: u64, cat: &Catalog) -> Option<Picked<'a>> {
    let (i, l) = logs
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.errors.is_empty() && l.format != LogFormat::CheckSur)
        .min_by_key(|(_, l)| if l.format == LogFormat::Cbs { 0 } else { 1 })?;
    let last = l.last_error.as_ref()?;
    let first = first_error(&l.file, &l.errors, &last.ev, &[]);
    let kb = l.flags.iter().chain(l.errors.iter().map(|k| &k.ev)).find_map(|e| e.kb);
    let package = l
        .flags
        .iter()
        .chain(l.errors.iter().map(|k| &k.ev))
        .find(|e| e.kb.is_some() && e.package.is_some())
        .and_then(|e| e.package.clone())
        .or_else(|| l.errors.first().and_then(|k| k.ev.package.clone()));
    let phase = l.errors.first().and_then(|k| k.ev.phase).unwrap_or(Phase::Install);
    let failure = make_failure(cat, &l.file, kb, package, phase, first, &last.ev, l.errors_total, noise);
    Some(Picked { failure, log: i, events: l.errors.iter().map(|k| &k.ev).collect() })
}

/// No update failed, but CheckSUR left damage: its first unfixed item.
fn from_store<'a>(logs: &'a [LogState], store: &StoreHealth, noise: u64, cat: &Catalog) -> Option<Picked<'a>> {
    let i = logs.iter().position(|l| l.file == store.file)?;
    let l = logs.get(i)?;
    let unfixed = |e: &&Event| {
        matches!(&e.kind, EventKind::CheckSurItem { fixed: false, .. })
            && store.unfixed.iter().any(|u| u.line == e.line)
    };
    let items: Vec<&Event> = l.items.iter().filter(unfixed).collect();
    let first = items.iter().find(|e| e.hresult.is_some()).or(items.first()).copied()?;
    let kb = items.iter().find_map(|e| e.kb).or_else(|| store.packages_to_supply.first().copied());
    let package = items.iter().find(|e| e.kb == kb).and_then(|e| e.package.clone());
    let failure = make_failure(
        cat,
        &l.file,
        kb,
        package,
        Phase::StoreCheck,
        error_line(&l.file, first),
        first,
        items.len() as u64,
        noise,
    );
    Some(Picked { failure, log: i, events: items })
}

fn store_health(logs: &[LogState]) -> Option<StoreHealth> {
    let l = logs.iter().find(|l| l.format == LogFormat::CheckSur)?;
    let mut unfixed = Vec::new();
    for ev in &l.items {
        if let EventKind::CheckSurItem { fixed: false, what, path } = &ev.kind {
            let repaired = l.items.iter().any(
                |x| matches!(&x.kind, EventKind::CheckSurItem { fixed: true, what: w, path: p } if w == what && p == path),
            );
            if !repaired {
                unfixed.push(StoreItem { what: what.clone(), path: path.clone(), kb: ev.kb, line: ev.line });
            }
        }
    }
    let files: Vec<String> = l
        .unavailable
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::UnavailableRepairFile { path } => Some(path.clone()),
            _ => None,
        })
        .collect();
    let mut supply: Vec<Kb> =
        l.unavailable.iter().filter_map(|e| e.kb).chain(unfixed.iter().filter_map(|u| u.kb)).collect();
    supply.sort_unstable();
    supply.dedup();
    let (found, fixed) = match l.summary.as_ref().map(|s| &s.kind) {
        Some(EventKind::CheckSurSummary { found, fixed }) => (*found, *fixed),
        _ => (None, None),
    };
    Some(StoreHealth {
        file: l.file.clone(),
        found,
        fixed,
        unfixed,
        unavailable_repair_files: files,
        packages_to_supply: supply,
    })
}

fn timeline(logs: &[LogState]) -> (Vec<Attempt>, u64) {
    let mut all: Vec<(usize, &Rec)> =
        logs.iter().enumerate().flat_map(|(i, l)| l.timeline.iter().map(move |r| (i, r.as_ref()))).collect();
    all.sort_by(|a, b| {
        a.1.first.time.cmp(&b.1.first.time).then(a.0.cmp(&b.0)).then(a.1.first.line.cmp(&b.1.first.line))
    });
    let total: u64 = logs.iter().map(|l| l.recs_total).sum();
    let skip = all.len().saturating_sub(MAX_TIMELINE);
    let shown: Vec<Attempt> =
        all.iter().skip(skip).map(|(i, r)| attempt_of(logs.get(*i).map_or("", |l| &l.file), r)).collect();
    let omitted = total.saturating_sub(shown.len() as u64);
    (shown, omitted)
}

fn summary_of(failure: Option<&Failure>, verdict: Verdict, noise: u64) -> String {
    match (failure, verdict) {
        (_, Verdict::StoreDamaged) => {
            "No failed update attempt, but CheckSUR left damage in the component store.".into()
        }
        (Some(f), _) => {
            let none = if f.phase == Phase::Search { "the search for updates" } else { "an update" };
            let what = f.kb.map_or_else(|| f.package.clone().unwrap_or_else(|| none.into()), |k| k.to_string());
            let code = f
                .first_error
                .code
                .as_ref()
                .map(|c| format!(" {} {}", c.hex, c.symbols.first().cloned().unwrap_or_default()))
                .unwrap_or_default();
            format!(
                "{what} failed ({} phase); first real error at {}:{}{}.",
                f.phase.as_str(),
                f.first_error.file,
                f.first_error.line,
                code.trim_end()
            )
        }
        _ => format!(
            "No failed update attempt and no real error in the logs ({noise} harmless failure-looking line(s) ignored)."
        ),
    }
}

/// Builds the diagnosis from the logs read.
pub(crate) fn finish(mut logs: Vec<LogState>, cat: &Catalog) -> Diagnosis {
    logs.iter_mut().for_each(fill_titles);
    let logs = logs;
    let windows: Vec<Windows> = logs.iter().map(windows_of).collect();
    let reports: Vec<LogReport> = logs.iter().zip(&windows).map(|(l, w)| report(l, w)).collect();
    let not_2008: Vec<String> = windows.iter().filter_map(|w| w.note.clone()).collect();
    let (timeline, omitted) = timeline(&logs);
    let noise: u64 = logs.iter().filter_map(|l| l.stats.as_ref()).map(|s| s.noise).sum();
    let store = store_health(&logs);
    let store_damaged = store.as_ref().is_some_and(|s| !s.unfixed.is_empty() || !s.unavailable_repair_files.is_empty());
    let attempt = from_attempt(&logs, noise, cat).or_else(|| from_errors(&logs, noise, cat));
    let updated_failed = attempt.is_some();
    let picked = attempt.or_else(|| store.as_ref().and_then(|s| from_store(&logs, s, noise, cat)));
    let verdict = if updated_failed {
        Verdict::UpdateFailed
    } else if store_damaged {
        Verdict::StoreDamaged
    } else {
        Verdict::NoFailureFound
    };
    let flags: Vec<(&str, &Event)> =
        logs.iter().flat_map(|l| l.flags.iter().map(move |e| (l.file.as_str(), e))).collect();
    let failure = picked.as_ref().map(|p| &p.failure);
    let log = picked.as_ref().and_then(|p| logs.get(p.log));
    let w = picked.as_ref().and_then(|p| windows.get(p.log));
    let ctx = rules::Ctx {
        cat,
        file: log.map_or("", |l| l.file.as_str()),
        format: log.map(|l| l.format),
        events: picked.as_ref().map(|p| p.events.clone()).unwrap_or_default(),
        failure,
        store: store.as_ref(),
        flags,
        nt: w.and_then(|w| w.nt),
        refused: w.is_some_and(|w| w.note.is_some()),
        sources: log.map(|l| l.sources.iter().collect()).unwrap_or_default(),
    };
    let (causes, next_steps) = rules::run(&ctx);
    let summary = summary_of(failure, verdict, noise);
    let failure = picked.map(|p| p.failure);
    Diagnosis {
        verdict,
        summary,
        logs: reports,
        timeline,
        timeline_omitted: omitted,
        failure,
        store,
        causes,
        next_steps,
        not_2008,
    }
}

#[cfg(test)]
mod tests {
    //! Synthetic CBS lines in the layout of the real excerpts (the CSI `(F)`
    //! forms of theorypc.ca, the decomposition form quoted in issue 16).
    use crate::{diagnose_bytes, Diagnosis};

    fn dx(lines: &[&str]) -> Diagnosis {
        let text: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
        diagnose_bytes("CBS.log", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn first(d: &Diagnosis) -> (u64, String, Vec<String>) {
        let f = d.failure.as_ref().map(|f| &f.first_error);
        let c = f.and_then(|e| e.code.as_ref());
        (
            f.map_or(0, |e| e.line),
            c.map(|c| c.hex.clone()).unwrap_or_default(),
            c.map(|c| c.symbols.clone()).unwrap_or_default(),
        )
    }

    #[test]
    fn a_decomposed_csi_code_is_the_hresult_not_its_low_word() {
        let d = dx(&[
            "2019-07-10 03:00:20, Info                  CBS    Exec: Processing started.  Session: 1_2, Package: Package_for_KB4507452~31bf3856ad364e35~amd64~~6.0.1.0",
            "2019-07-10 03:00:21, Error                 CSI    00000012@2019/7/10:03:00:21.123 (F) : Error 80092004 [Warning,Facility=FACILITY_NTSSPI,Code=8196 (0x2004)] originated in function Windows::Rtl::CKernelSignatureVerifier::VerifyFile expression: (null)",
            "[gle=0x80004005]",
            "2019-07-10 03:00:21, Info                  CBS    Exec: Processing complete.  Session: 1_2, Package: Package_for_KB4507452~31bf3856ad364e35~amd64~~6.0.1.0 [HRESULT = 0x80092004 - CRYPT_E_NOT_FOUND]",
        ]);
        assert_eq!(first(&d), (2, "0x80092004".into(), vec!["CRYPT_E_NOT_FOUND".to_string()]));
        assert_eq!(d.causes.first().map(|c| c.id), Some("sha2_missing"));
    }

    #[test]
    fn a_symbolic_hresult_is_decoded() {
        let d = dx(&[
            "2016-10-19 14:24:01, Error                 CSI    00000095 (F) HRESULT_FROM_WIN32(ERROR_SXS_ASSEMBLY_MISSING) #4474948# from Windows::COM::CPendingTransaction::IStorePendingTransaction_Analyze(...)[gle=0x80073701]",
            "2016-10-19 14:24:01, Error                 CBS    Failed to process single phase execution. [HRESULT = 0x80073701 - ERROR_SXS_ASSEMBLY_MISSING]",
        ]);
        assert_eq!(first(&d), (1, "0x80073701".into(), vec!["ERROR_SXS_ASSEMBLY_MISSING".to_string()]));
        let ids: Vec<&str> = d.causes.iter().map(|c| c.id).collect();
        assert_eq!(ids, ["assembly_missing", "store_corruption"]);
    }

    #[test]
    fn an_identity_mismatch_is_store_damage_with_the_symbol_the_log_prints() {
        let d = dx(&[
            "2011-02-23 10:00:00, Error                 CBS    Failed to resolve package [HRESULT = 0x800f0818 - CBS_E_IDENTITY_MISMATCH]",
        ]);
        assert_eq!(first(&d), (1, "0x800F0818".into(), vec!["CBS_E_IDENTITY_MISMATCH".to_string()]));
        assert_eq!(d.causes.iter().map(|c| c.id).collect::<Vec<_>>(), ["store_corruption"]);
    }

    #[test]
    fn an_attempt_ending_with_3010_waits_for_a_restart() {
        let d = dx(&[
            "2019-07-10 03:00:20, Info                  CBS    Exec: Processing started.  Session: 1_2, Package: Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.0",
            "2019-07-10 03:00:21, Info                  CBS    Exec: Processing complete.  Session: 1_2, Package: Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.0 [HRESULT = 0x80070bc2 - ERROR_SUCCESS_REBOOT_REQUIRED]",
        ]);
        assert!(d.failure.is_none());
        assert_eq!(d.timeline.first().map(|a| a.outcome), Some(crate::Outcome::PendingReboot));
    }
}
