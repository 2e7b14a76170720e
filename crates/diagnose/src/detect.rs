//! The detector: turns the events of one or more logs into a [`Diagnosis`]:
//! the timeline of attempts, the failing package and its first real error,
//! the causes on Windows Server 2008 with their evidence and sources, and the
//! next steps (prerequisites from the embedded catalog).
use crate::codes::{self, is_failure, lookup};
use crate::event::{Event, EventKind, LogFormat, LogStats, Phase};
use crate::model::*;
use w2k8_catalog::{facts, Catalog, UpdateKind};
use w2k8_core::{Evidence, Kb};

/// Most error events kept per log (the rest are only counted).
const MAX_KEPT: usize = 10_000;
/// Most attempts shown in the timeline.
const MAX_TIMELINE: usize = 200;

#[derive(Debug, Clone)]
struct Rec {
    start_line: Option<u64>,
    end: Option<Event>,
    first: Event,
    phase: Phase,
    outcome: Outcome,
}

/// The state of one log while it is read.
#[derive(Debug)]
pub(crate) struct LogState {
    file: String,
    format: LogFormat,
    stats: Option<LogStats>,
    stack: Option<String>,
    agent: Option<String>,
    build_seen: Option<u32>,
    errors: Vec<Event>,
    recs: Vec<Rec>,
    flags: Vec<Event>,
    pending_xml: Vec<Event>,
    items: Vec<Event>,
    unavailable: Vec<Event>,
    summary: Option<Event>,
}

impl LogState {
    pub(crate) fn new(file: &str, format: LogFormat) -> LogState {
        LogState {
            file: file.to_string(),
            format,
            stats: None,
            stack: None,
            agent: None,
            build_seen: None,
            errors: Vec::new(),
            recs: Vec::new(),
            flags: Vec::new(),
            pending_xml: Vec::new(),
            items: Vec::new(),
            unavailable: Vec::new(),
            summary: None,
        }
    }

    pub(crate) fn set_result(&mut self, format: LogFormat, stats: LogStats) {
        self.format = format;
        self.stats = Some(stats);
    }

    fn keep(v: &mut Vec<Event>, ev: Event) {
        if v.len() < MAX_KEPT {
            v.push(ev);
        }
    }

    /// Takes one event.
    pub(crate) fn on_event(&mut self, ev: Event) {
        if self.build_seen.is_none() {
            if let Some(b) = ev.package.as_deref().and_then(os_build_of_package) {
                self.build_seen = Some(b);
            }
        }
        match &ev.kind {
            EventKind::ServicingStack { version } => {
                if self.stack.is_none() {
                    self.stack = Some(version.clone());
                }
            }
            EventKind::AgentBuild { version } => {
                if self.agent.is_none() {
                    self.agent = Some(version.clone());
                }
            }
            EventKind::SessionStart { .. } => {}
            EventKind::AttemptStart => {
                let phase = ev.phase.unwrap_or(Phase::Install);
                self.recs.push(Rec {
                    start_line: Some(ev.line),
                    end: None,
                    phase,
                    outcome: Outcome::Unfinished,
                    first: ev,
                });
            }
            EventKind::AttemptEnd => {
                let failed = ev.hresult.is_some_and(is_failure);
                let outcome = if failed { Outcome::Failed } else { Outcome::Succeeded };
                let open = self.recs.iter_mut().rev().find(|r| {
                    r.end.is_none() && r.start_line.is_some() && (ev.package.is_none() || r.first.package == ev.package)
                });
                match open {
                    Some(r) => {
                        r.outcome = outcome;
                        r.end = Some(ev);
                    }
                    None => {
                        let phase = ev.phase.unwrap_or(Phase::Install);
                        self.recs.push(Rec { start_line: None, first: ev.clone(), end: Some(ev), phase, outcome });
                    }
                }
            }
            EventKind::SessionFinalized { reboot_required } => {
                if *reboot_required {
                    if let Some(r) = self.recs.iter_mut().rev().find(|r| r.end.is_some()) {
                        if r.outcome == Outcome::Succeeded {
                            r.outcome = Outcome::PendingReboot;
                        }
                    }
                }
            }
            EventKind::Error => {
                if let Some(p @ (Phase::CommitAtReboot | Phase::Rollback)) = ev.phase {
                    self.recs.push(Rec {
                        start_line: None,
                        first: ev.clone(),
                        end: Some(ev.clone()),
                        phase: p,
                        outcome: Outcome::Failed,
                    });
                }
                Self::keep(&mut self.errors, ev);
            }
            EventKind::StoreCorruptionFlag => Self::keep(&mut self.flags, ev),
            EventKind::PendingXml => {
                Self::keep(&mut self.pending_xml, ev.clone());
                Self::keep(&mut self.errors, ev);
            }
            EventKind::WuResult { success, .. } => {
                if let Some(phase) = ev.phase {
                    let outcome = if *success { Outcome::Succeeded } else { Outcome::Failed };
                    self.recs.push(Rec { start_line: None, first: ev.clone(), end: Some(ev.clone()), phase, outcome });
                }
                if !success {
                    Self::keep(&mut self.errors, ev);
                }
            }
            EventKind::CheckSurItem { .. } => Self::keep(&mut self.items, ev),
            EventKind::UnavailableRepairFile { .. } => Self::keep(&mut self.unavailable, ev),
            EventKind::CheckSurSummary { .. } => self.summary = Some(ev),
        }
    }
}

/// The OS build a package identity's version shows (`...~6.0.6001.18000` -> 6001).
fn os_build_of_package(p: &str) -> Option<u32> {
    let v = p.rsplit('~').next()?;
    let mut parts = v.split('.');
    let (_, _, build) = (parts.next()?, parts.next()?, parts.next()?.parse::<u32>().ok()?);
    (6000..=30000).contains(&build).then_some(build)
}

fn windows_of_nt(major: u32, minor: u32) -> (&'static str, bool) {
    match (major, minor) {
        (6, 0) => ("NT 6.0 (Windows Server 2008 / Vista)", true),
        (6, 1) => ("NT 6.1 (Windows Server 2008 R2 / Windows 7)", false),
        (6, 2) => ("NT 6.2 (Windows Server 2012 / Windows 8)", false),
        (6, 3) => ("NT 6.3 (Windows Server 2012 R2 / Windows 8.1)", false),
        (10, _) => ("NT 10.0 (Windows Server 2016 or later / Windows 10 or later)", false),
        _ => ("an unknown Windows version", false),
    }
}

fn windows_of_build(build: u32) -> (&'static str, bool) {
    match build {
        6000..=6003 => windows_of_nt(6, 0),
        7600..=7601 => windows_of_nt(6, 1),
        9200 => windows_of_nt(6, 2),
        9600 => windows_of_nt(6, 3),
        b if b >= 10240 => windows_of_nt(10, 0),
        _ => ("an unknown Windows version", false),
    }
}

fn hex(c: u32) -> String {
    format!("0x{c:08X}")
}

fn error_line(file: &str, ev: &Event) -> ErrorLine {
    ErrorLine {
        file: file.to_string(),
        line: ev.line,
        time: ev.time.clone(),
        text: ev.text.clone(),
        code: ev.hresult.filter(|c| *c != 0).map(lookup),
    }
}

fn attempt_of(file: &str, r: &Rec) -> Attempt {
    let ev = r.end.as_ref().unwrap_or(&r.first);
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
        symbol: code.and_then(|c| lookup(c).symbols.first().cloned()),
        file: file.to_string(),
        line: ev.line,
    }
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !s.is_empty() && !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

fn row_url(code: u32) -> Vec<String> {
    codes::update_rows(code).iter().map(|r| r.source_url.to_string()).filter(|u| !u.is_empty()).collect()
}

/// Sources of the CheckSUR repair advice.
const CHECKSUR_KB947821: &str = "https://support.microsoft.com/kb/947821";
const CHECKSUR_KB2700601: &str = "https://support.microsoft.com/help/2700601";
/// The archived blog the real 2008 SP2 failure excerpt comes from.
const SP2_BLOG: &str =
    "https://docs.microsoft.com/en-us/archive/blogs/joscon/errors-while-installing-sp2-for-windows-2008";

struct Ctx<'a> {
    file: &'a str,
    events: Vec<&'a Event>,
}

fn latest_ssu() -> Option<(Kb, Option<String>, Vec<String>)> {
    let cat = Catalog::embedded();
    let u = cat.updates_of_kind(UpdateKind::Ssu).max_by_key(|u| u.released)?;
    Some((u.kb, u.title.clone(), u.sources.clone()))
}

fn title_of(kb: Kb) -> String {
    match Catalog::embedded().update(kb).and_then(|u| u.title.clone()) {
        Some(t) => format!("{kb} ({t})"),
        None => kb.to_string(),
    }
}

fn ev_evidence(file: &str, ev: &Event, what: &str) -> Evidence {
    Evidence::new(format!("{what}: {}", ev.text), file, u32::try_from(ev.line).ok())
}

fn causes_and_steps(
    os2008: bool,
    ctx: Option<&Ctx<'_>>,
    failure: Option<&Failure>,
    store: Option<&StoreHealth>,
    flags: &[(&str, &Event)],
) -> (Vec<Cause>, Vec<Step>) {
    let mut causes: Vec<Cause> = Vec::new();
    let mut steps: Vec<Step> = Vec::new();
    let cat = Catalog::embedded();
    let events: Vec<&Event> = ctx.map(|c| c.events.clone()).unwrap_or_default();
    let file = ctx.map_or("", |c| c.file);
    let with_code = |set: &[u32]| -> Vec<&Event> {
        events.iter().copied().filter(|e| e.hresult.is_some_and(|c| set.contains(&c))).collect()
    };
    let mut explained: Vec<u32> = Vec::new();
    let failing_kb = failure.and_then(|f| f.kb);
    let released = failing_kb.and_then(|kb| cat.update(kb)).and_then(|u| u.released);
    let esu_era = released.is_none_or(|d| d > facts::extended_support_end().value);

    // SHA-2.
    let hits = with_code(&[0x8009_2004]);
    if !hits.is_empty() && os2008 {
        let sha2 = facts::sha2_update();
        let mut sources: Vec<String> = row_url(0x8009_2004);
        sha2.sources.iter().for_each(|s| push_unique(&mut sources, s));
        causes.push(Cause {
            id: "sha2_missing",
            title: "SHA-2 code-signing support is missing".into(),
            explanation: format!(
                "0x80092004 (CRYPT_E_NOT_FOUND): updates released from July 2019 are SHA-2 signed only; a 2008 SP2 \
                 machine without {} cannot verify them. {}",
                sha2.value, sha2.note
            ),
            evidence: hits.iter().map(|e| ev_evidence(file, e, "CRYPT_E_NOT_FOUND")).collect(),
            fix: format!(
                "Install the latest servicing stack update, then {}, restart, and retry.",
                title_of(sha2.value)
            ),
            sources: sources.clone(),
        });
        steps.push(Step {
            action: "install_prerequisite",
            text: format!("Install {}", title_of(sha2.value)),
            kb: Some(sha2.value),
            sources,
        });
        explained.push(0x8009_2004);
    }

    // ESU.
    let hits = with_code(&[0x8007_0643]);
    if !hits.is_empty() && esu_era && os2008 {
        let prep = facts::esu_prep_package();
        let mut sources = row_url(0x8007_0643);
        prep.sources.iter().for_each(|s| push_unique(&mut sources, s));
        facts::extended_support_end().sources.iter().for_each(|s| push_unique(&mut sources, s));
        let when =
            released.map_or_else(|| "an update of unknown date".to_string(), |d| format!("an update released {d}"));
        causes.push(Cause {
            id: "esu_not_licensed",
            title: "Extended Security Updates not licensed or not activated".into(),
            explanation: format!(
                "0x80070643 (ERROR_INSTALL_FAILURE) on {when}, after the end of extended support ({}): ESU updates \
                 install only on machines with the ESU preparation package and an installed, activated ESU key. {}",
                facts::extended_support_end().value,
                codes::update_rows(0x8007_0643).first().map_or("", |r| r.cause_2008)
            ),
            evidence: hits.iter().map(|e| ev_evidence(file, e, "ERROR_INSTALL_FAILURE")).collect(),
            fix: format!(
                "Install the latest SSU and the ESU Licensing Preparation Package {}, install the ESU MAK key and \
                 activate it (slmgr /ipk, slmgr /ato), then retry.",
                prep.value
            ),
            sources: sources.clone(),
        });
        if let Some((kb, _, s)) = latest_ssu() {
            steps.push(Step {
                action: "install_prerequisite",
                text: format!("Install the latest servicing stack update {}", title_of(kb)),
                kb: Some(kb),
                sources: s,
            });
        }
        steps.push(Step {
            action: "install_prerequisite",
            text: format!("Install {}", title_of(prep.value)),
            kb: Some(prep.value),
            sources: sources.clone(),
        });
        steps.push(Step {
            action: "install_prerequisite",
            text: "Install the ESU MAK key and activate it (slmgr /ipk <key>, slmgr /ato <activation id>)".into(),
            kb: None,
            sources,
        });
        explained.push(0x8007_0643);
    }

    // Service pack parent.
    let sp: Vec<&Event> = events
        .iter()
        .copied()
        .filter(|e| e.hresult == Some(0x800F_0A05) || e.text.contains("No parents for SP package"))
        .collect();
    if !sp.is_empty() && os2008 {
        causes.push(Cause {
            id: "service_pack_parent_missing",
            title: "The service pack it builds on is not installed".into(),
            explanation: "CBS found no parent for the service pack package (0x800F0A05): the log says a release \
                          version of the previous service pack must be installed or scheduled first (Server 2008 \
                          SP2 installs on top of SP1)."
                .into(),
            evidence: sp.iter().map(|e| ev_evidence(file, e, "CBS")).collect(),
            fix: "Install the release version of the previous service pack (SP1 for SP2), restart, then retry; if SP1 \
                  is installed, its packages are damaged: repair the store first (CheckSUR)."
                .into(),
            sources: vec![SP2_BLOG.to_string()],
        });
        steps.push(Step {
            action: "install_prerequisite",
            text: "Install the release version of the previous service pack (SP1 before SP2)".into(),
            kb: None,
            sources: vec![SP2_BLOG.into()],
        });
        explained.push(0x800F_0A05);
    }

    // Store corruption.
    let store_codes = [0x8007_3712, 0x800F_0831, 0x800B_0100, 0x8007_3701, 0x800F_081F];
    let mut hits: Vec<Evidence> = with_code(&store_codes).iter().map(|e| ev_evidence(file, e, "store")).collect();
    hits.extend(flags.iter().map(|(f, e)| ev_evidence(f, e, "CBS marked the store corrupt")));
    let unfixed = store.map_or(0, |s| s.unfixed.len());
    if let Some(s) = store {
        for it in s.unfixed.iter().take(20) {
            hits.push(Evidence::new(
                format!("CheckSUR (f) not fixed: {} {}", it.what, it.path),
                s.file.clone(),
                u32::try_from(it.line).ok(),
            ));
        }
    }
    if !hits.is_empty() {
        let mut sources = vec![CHECKSUR_KB947821.to_string(), CHECKSUR_KB2700601.to_string()];
        for c in store_codes {
            if events.iter().any(|e| e.hresult == Some(c)) {
                row_url(c).iter().for_each(|u| push_unique(&mut sources, u));
            }
        }
        let supply: Vec<String> =
            store.map(|s| s.packages_to_supply.iter().map(|k| k.to_string()).collect()).unwrap_or_default();
        let fix = if supply.is_empty() {
            "Run the System Update Readiness Tool (CheckSUR, KB947821) for Windows Server 2008, read \
             %windir%\\Logs\\CBS\\CheckSUR.log, and retry the update."
                .to_string()
        } else {
            format!(
                "Download the packages of {} (.msu for this architecture), copy them to %SYSTEMROOT%\\CheckSUR\\Packages, \
                 rerun CheckSUR (KB947821) until it reports no unfixed (f) line, then retry the update.",
                supply.join(", ")
            )
        };
        causes.push(Cause {
            id: "store_corruption",
            title: "The component store is damaged".into(),
            explanation: format!(
                "The servicing stack reported store damage{}.",
                if unfixed > 0 { format!("; CheckSUR left {unfixed} item(s) unfixed") } else { String::new() }
            ),
            evidence: hits,
            fix: fix.clone(),
            sources: sources.clone(),
        });
        steps.push(Step { action: "repair", text: fix, kb: None, sources });
        explained.extend(store_codes);
    }

    // Disk space.
    let hits = with_code(&[0x8007_0070, 0x8007_0027]);
    if !hits.is_empty() {
        let row = codes::update_rows(0x8007_0070);
        let fix = row.first().map_or("Free space on the system drive and retry.", |r| r.fix).to_string();
        causes.push(Cause {
            id: "disk_space",
            title: "Not enough disk space".into(),
            explanation: "The system drive ran out of space while the update was downloaded or staged.".into(),
            evidence: hits.iter().map(|e| ev_evidence(file, e, "disk full")).collect(),
            fix: fix.clone(),
            sources: row_url(0x8007_0070),
        });
        steps.push(Step { action: "free_space", text: fix, kb: None, sources: row_url(0x8007_0070) });
        explained.extend([0x8007_0070, 0x8007_0027]);
    }

    // Pending reboot.
    let reboot_codes = [0x8007_0BC9, 0x8024_0016, 0x8024_2014, 0x800F_0806, 0x0024_2015];
    let hits = with_code(&reboot_codes);
    if !hits.is_empty() {
        let mut sources = Vec::new();
        hits.iter()
            .filter_map(|e| e.hresult)
            .for_each(|c| row_url(c).iter().for_each(|u| push_unique(&mut sources, u)));
        causes.push(Cause {
            id: "pending_reboot",
            title: "A restart is pending".into(),
            explanation: "An earlier servicing operation waits for a restart; new installs are blocked until it completes.".into(),
            evidence: hits.iter().map(|e| ev_evidence(file, e, "pending")).collect(),
            fix: "Restart the server, let it finish configuring updates, then retry. If it keeps failing with \
                  0x80070BC9, set the Windows Modules Installer (TrustedInstaller) service back to its default start type."
                .into(),
            sources: sources.clone(),
        });
        steps.push(Step {
            action: "restart",
            text: "Restart the server and let pending operations complete".into(),
            kb: None,
            sources,
        });
        explained.extend(reboot_codes);
    }

    // pending.xml.
    let px: Vec<&Event> = events.iter().copied().filter(|e| e.kind == EventKind::PendingXml).collect();
    if !px.is_empty() {
        let sources = row_url(0x8007_0BC9);
        causes.push(Cause {
            id: "pending_xml",
            title: "A pending.xml was left behind by an interrupted operation".into(),
            explanation: "CBS failed on %windir%\\WinSxS\\pending.xml: the pending transaction of an earlier install \
                          did not complete and blocks new ones."
                .into(),
            evidence: px.iter().map(|e| ev_evidence(file, e, "pending.xml")).collect(),
            fix: "Restart so TrustedInstaller can complete the pending transaction; if the same error returns, the \
                  pending-transaction data is corrupt: restore the system state from backup or repair the store \
                  (CheckSUR) before retrying."
                .into(),
            sources: sources.clone(),
        });
        steps.push(Step {
            action: "restart",
            text: "Restart the server so the pending transaction completes".into(),
            kb: None,
            sources,
        });
    }

    // Third-party interference.
    let tp_codes = [0x8007_0020, 0x8024_0022, 0x8007_0005];
    let hits = with_code(&tp_codes);
    if !hits.is_empty() {
        let mut sources = Vec::new();
        let mut why = Vec::new();
        for c in tp_codes {
            if let Some(r) = codes::update_rows(c).first() {
                if hits.iter().any(|e| e.hresult == Some(c)) {
                    push_unique(&mut sources, r.source_url);
                    why.push(format!("{} ({}): {}", hex(c), r.symbol, r.cause_2008));
                }
            }
        }
        causes.push(Cause {
            id: "third_party",
            title: "Another program (often antivirus) blocked the servicing stack".into(),
            explanation: why.join(" "),
            evidence: hits.iter().map(|e| ev_evidence(file, e, "blocked")).collect(),
            fix: "Find the locked or denied file next to the error in CBS.log, exclude it (and %windir%\\SoftwareDistribution, \
                  %windir%\\WinSxS) from the antivirus or do a clean boot, then retry."
                .into(),
            sources,
        });
        explained.extend(tp_codes);
    }

    // Not applicable / prerequisites from the catalog.
    if let Some(kb) = failing_kb.filter(|_| os2008) {
        if let Some(u) = cat.update(kb) {
            let missing_hint = events.iter().any(|e| matches!(e.hresult, Some(0x800F_081E | 0x8024_0017)));
            if !u.requires.is_empty() {
                let list: Vec<String> = u.requires.iter().map(|k| title_of(*k)).collect();
                if missing_hint {
                    causes.push(Cause {
                        id: "prerequisite_missing",
                        title: format!("{kb} needs updates installed first"),
                        explanation: format!("The catalog lists prerequisites for {kb}: {}.", list.join(", ")),
                        evidence: Vec::new(),
                        fix: format!("Install {} first, restart, then retry {kb}.", list.join(", ")),
                        sources: u.sources.clone(),
                    });
                }
                for r in &u.requires {
                    let s = cat.update(*r).map(|x| x.sources.clone()).unwrap_or_else(|| u.sources.clone());
                    steps.push(Step {
                        action: "install_prerequisite",
                        text: format!("Make sure {} is installed (prerequisite of {kb})", title_of(*r)),
                        kb: Some(*r),
                        sources: s,
                    });
                }
            }
        }
    }

    // Known code, generic.
    if let Some(f) = failure {
        let mut done = explained.clone();
        for el in std::iter::once(&f.first_error).chain(f.final_error.as_ref()) {
            let Some(ci) = &el.code else { continue };
            let Ok(code) = u32::from_str_radix(ci.hex.trim_start_matches("0x"), 16) else { continue };
            if done.contains(&code) {
                continue;
            }
            done.push(code);
            if ci.cause_2008.is_none() && ci.fix.is_none() {
                continue;
            }
            causes.push(Cause {
                id: "known_code",
                title: format!("{} {}", ci.hex, ci.symbols.first().cloned().unwrap_or_default()).trim().to_string(),
                explanation: [ci.meaning.clone(), ci.cause_2008.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" Likely cause: "),
                evidence: vec![Evidence::new(el.text.clone(), el.file.clone(), u32::try_from(el.line).ok())],
                fix: ci.fix.clone().unwrap_or_default(),
                sources: ci.sources.clone(),
            });
        }
        if causes.is_empty() {
            steps.push(Step {
                action: "investigate",
                text: format!(
                    "No known cause for this code on 2008: read {} around line {} (the first real error).",
                    f.first_error.file, f.first_error.line
                ),
                kb: None,
                sources: Vec::new(),
            });
        }
        if matches!(f.phase, Phase::CommitAtReboot | Phase::Rollback) {
            steps.push(Step {
                action: "roll_back",
                text: "Windows rolled the changes back at restart: nothing to uninstall. To remove an update that did \
                       install, run rollback.cmd from the w2k8 plan."
                    .into(),
                kb: None,
                sources: Vec::new(),
            });
        }
        let what = f.kb.map_or_else(|| "the update".to_string(), |k| k.to_string());
        steps.push(Step {
            action: "retry",
            text: format!("Retry {what}, then run `w2k8 diagnose` on the new logs if it fails again"),
            kb: f.kb,
            sources: Vec::new(),
        });
    }
    (causes, steps)
}

/// Builds the diagnosis from the logs read.
pub(crate) fn finish(logs: Vec<LogState>) -> Diagnosis {
    let mut reports = Vec::new();
    let mut not_2008 = Vec::new();
    for l in &logs {
        let (windows, is_2008) = if l.format == LogFormat::WindowsUpdateEtw {
            (Some("Windows 10 / Server 2016 or later (ETW-rendered WindowsUpdate.log)"), false)
        } else if let Some(s) = &l.stack {
            let mut p = s.split('.').filter_map(|x| x.parse::<u32>().ok());
            let (w, ok) = windows_of_nt(p.next().unwrap_or(0), p.next().unwrap_or(0));
            (Some(w), ok)
        } else if let Some(b) = l.build_seen {
            let (w, ok) = windows_of_build(b);
            (Some(w), ok)
        } else {
            (None, true)
        };
        let note = if is_2008 {
            None
        } else {
            let why = match (&l.stack, l.format) {
                (_, LogFormat::WindowsUpdateEtw) => {
                    "its WindowsUpdate.log format (rendered from ETW by Get-WindowsUpdateLog)".to_string()
                }
                (Some(s), _) => format!("servicing stack {s}"),
                (None, _) => "its package versions".to_string(),
            };
            Some(format!(
                "{}: not a Windows Server 2008 log: {why} shows {}",
                l.file,
                windows.unwrap_or("another Windows version")
            ))
        };
        if let Some(n) = &note {
            not_2008.push(n.clone());
        }
        reports.push(LogReport {
            file: l.file.clone(),
            format: l.format,
            stats: l.stats.clone().unwrap_or_else(|| LogStats::new(crate::reader::Encoding::Utf8)),
            servicing_stack: l.stack.clone(),
            agent_build: l.agent.clone(),
            windows: windows.map(str::to_string),
            not_2008: note,
        });
    }

    // A Windows Update download names no title: take it from the install of the same update id.
    let mut logs = logs;
    for l in &mut logs {
        let named: Vec<(String, Option<Kb>, String)> = l
            .recs
            .iter()
            .filter_map(|r| match &r.first.kind {
                EventKind::WuResult { update_id, title, .. } if !title.is_empty() => {
                    Some((update_id.clone(), r.first.kb, title.clone()))
                }
                _ => None,
            })
            .collect();
        for r in &mut l.recs {
            if let EventKind::WuResult { update_id, title, success } = &r.first.kind {
                if title.is_empty() {
                    if let Some((_, kb, t)) = named.iter().find(|(id, _, _)| id == update_id) {
                        let kind =
                            EventKind::WuResult { update_id: update_id.clone(), title: t.clone(), success: *success };
                        r.first.kb = *kb;
                        r.first.kind = kind.clone();
                        if let Some(e) = r.end.as_mut() {
                            e.kb = *kb;
                            e.kind = kind;
                        }
                    }
                }
            }
        }
    }
    let logs = logs;

    // Timeline.
    let mut all: Vec<(usize, &Rec)> =
        logs.iter().enumerate().flat_map(|(i, l)| l.recs.iter().map(move |r| (i, r))).collect();
    all.sort_by(|a, b| {
        a.1.first.time.cmp(&b.1.first.time).then(a.0.cmp(&b.0)).then(a.1.first.line.cmp(&b.1.first.line))
    });
    let omitted = all.len().saturating_sub(MAX_TIMELINE);
    let timeline: Vec<Attempt> =
        all.iter().skip(omitted).map(|(i, r)| attempt_of(logs.get(*i).map_or("", |l| &l.file), r)).collect();
    let noise: u64 = logs.iter().filter_map(|l| l.stats.as_ref()).map(|s| s.noise).sum();

    // The failing attempt: the latest failed one.
    let failed = all.iter().rev().find(|(_, r)| r.outcome == Outcome::Failed).copied();
    let mut failure = None;
    let mut ctx: Option<Ctx<'_>> = None;
    let mut os2008 = true;
    if let Some((i, r)) = failed {
        if let Some(l) = logs.get(i) {
            let end = r.end.as_ref().unwrap_or(&r.first);
            let from = r.start_line.unwrap_or_else(|| {
                l.recs
                    .iter()
                    .filter_map(|x| x.end.as_ref())
                    .map(|e| e.line)
                    .filter(|&n| n < end.line)
                    .max()
                    .map_or(0, |n| n + 1)
            });
            let window: Vec<&Event> = l.errors.iter().filter(|e| e.line >= from && e.line <= end.line).collect();
            let first = window.first().copied().unwrap_or(end);
            let kb = r.first.kb.or(end.kb).or_else(|| window.iter().find_map(|e| e.kb));
            let mut events: Vec<&Event> = window.clone();
            if !events.iter().any(|e| e.line == end.line) {
                events.push(end);
            }
            failure = Some(make_failure(
                &l.file,
                kb,
                attempt_of(&l.file, r).package,
                r.phase,
                first,
                end,
                window.len() as u64,
                noise,
            ));
            ctx = Some(Ctx { file: &l.file, events });
            os2008 = reports.get(i).is_none_or(|r| r.not_2008.is_none());
        }
    } else if let Some(l) = logs
        .iter()
        .filter(|l| !l.errors.is_empty() && l.format != LogFormat::CheckSur)
        .min_by_key(|l| if l.format == LogFormat::Cbs { 0 } else { 1 })
    {
        if let (Some(first), Some(last)) = (l.errors.first(), l.errors.last()) {
            let kb = l.flags.iter().chain(l.errors.iter()).find_map(|e| e.kb);
            let package = l
                .flags
                .iter()
                .chain(l.errors.iter())
                .find(|e| e.kb.is_some() && e.package.is_some())
                .and_then(|e| e.package.clone())
                .or_else(|| first.package.clone());
            let phase = first.phase.unwrap_or(Phase::Install);
            failure = Some(make_failure(&l.file, kb, package, phase, first, last, l.errors.len() as u64, noise));
            ctx = Some(Ctx { file: &l.file, events: l.errors.iter().collect() });
            os2008 = reports.iter().find(|r| r.file == l.file).is_none_or(|r| r.not_2008.is_none());
        }
    }

    // Store health.
    let store = logs.iter().find(|l| l.format == LogFormat::CheckSur).map(|l| {
        let mut unfixed = Vec::new();
        for ev in &l.items {
            if let EventKind::CheckSurItem { fixed: false, what, path } = &ev.kind {
                let repaired = l.items.iter().any(|x| matches!(&x.kind, EventKind::CheckSurItem { fixed: true, what: w, path: p } if w == what && p == path));
                if !repaired {
                    unfixed.push(StoreItem { what: what.clone(), path: path.clone(), kb: ev.kb, line: ev.line });
                }
            }
        }
        let files: Vec<String> = l.unavailable.iter().filter_map(|e| match &e.kind {
            EventKind::UnavailableRepairFile { path } => Some(path.clone()),
            _ => None,
        }).collect();
        let mut supply: Vec<Kb> = l.unavailable.iter().filter_map(|e| e.kb).chain(unfixed.iter().filter_map(|u| u.kb)).collect();
        supply.sort_unstable();
        supply.dedup();
        let (found, fixed) = match l.summary.as_ref().map(|s| &s.kind) {
            Some(EventKind::CheckSurSummary { found, fixed }) => (*found, *fixed),
            _ => (None, None),
        };
        StoreHealth { file: l.file.clone(), found, fixed, unfixed, unavailable_repair_files: files, packages_to_supply: supply }
    });

    let flags: Vec<(&str, &Event)> =
        logs.iter().flat_map(|l| l.flags.iter().map(move |e| (l.file.as_str(), e))).collect();
    let (causes, next_steps) = causes_and_steps(os2008, ctx.as_ref(), failure.as_ref(), store.as_ref(), &flags);
    let store_damaged = store.as_ref().is_some_and(|s| !s.unfixed.is_empty() || !s.unavailable_repair_files.is_empty());
    let verdict = if failure.is_some() {
        Verdict::UpdateFailed
    } else if store_damaged {
        Verdict::StoreDamaged
    } else {
        Verdict::NoFailureFound
    };
    let summary = match (&failure, verdict) {
        (Some(f), _) => {
            let what = f.kb.map_or_else(|| f.package.clone().unwrap_or_else(|| "an update".into()), |k| k.to_string());
            let code = f.first_error.code.as_ref().map(|c| format!(" {} {}", c.hex, c.symbols.first().cloned().unwrap_or_default())).unwrap_or_default();
            format!("{what} failed ({} phase); first real error at {}:{}{}.", f.phase.as_str(), f.first_error.file, f.first_error.line, code.trim_end())
        }
        (None, Verdict::StoreDamaged) => "No failed update attempt, but CheckSUR left damage in the component store.".into(),
        _ => format!("No failed update attempt and no real error in the logs ({noise} harmless failure-looking line(s) ignored)."),
    };
    Diagnosis {
        verdict,
        summary,
        logs: reports,
        timeline,
        timeline_omitted: omitted as u64,
        failure,
        store,
        causes,
        next_steps,
        not_2008,
    }
}

#[allow(clippy::too_many_arguments)]
fn make_failure(
    file: &str,
    kb: Option<Kb>,
    package: Option<String>,
    phase: Phase,
    first: &Event,
    end: &Event,
    errors: u64,
    noise: u64,
) -> Failure {
    let u = kb.and_then(|k| Catalog::embedded().update(k));
    Failure {
        kb,
        kb_title: u.and_then(|u| u.title.clone()),
        kb_kind: u.map(|u| u.kind.as_str()),
        kb_released: u.and_then(|u| u.released).map(|d| d.to_string()),
        package,
        phase,
        time: first.time.clone(),
        first_error: error_line(file, first),
        final_error: (end.line != first.line).then(|| error_line(file, end)),
        errors_in_attempt: errors,
        noise_ignored: noise,
    }
}
