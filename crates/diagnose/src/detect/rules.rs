//! The causes: one small rule per cause id, run in order (most specific
//! first) over the events of the failure. Each rule returns the cause with
//! its evidence, fix and sources, the next steps, and the codes it explains
//! (a later `known_code` does not repeat them). Every command a fix names
//! exists on Windows Server 2008 / 2008 R2.
use crate::codes::{self, is_connectivity, is_failure};
use crate::event::{Event, EventKind, LogFormat, Phase};
use crate::hresult::contains_ci;
use crate::model::{Cause, Failure, Step, StoreHealth};
use w2k8_catalog::{facts, Catalog, Update, UpdateKind};
use w2k8_core::{Date, Evidence, Kb};

/// Sources of the CheckSUR repair advice.
const CHECKSUR_KB947821: &str = "https://support.microsoft.com/kb/947821";
const CHECKSUR_KB2700601: &str = "https://support.microsoft.com/help/2700601";
/// The archived blog the real 2008 SP2 failure excerpt comes from.
const SP2_BLOG: &str =
    "https://docs.microsoft.com/en-us/archive/blogs/joscon/errors-while-installing-sp2-for-windows-2008";
/// 0x800736B3 and 0x80073701 on 2008 R2 traced to a component missing from the store (theorypc.ca).
const THEORYPC_ASSEMBLY: &str = "https://theorypc.ca/2016/10/19/windows-update-errors/";
/// Windows Update discontinued its SHA-1 endpoints in late July 2020 (KB4569557).
const SHA1_ENDPOINTS: &str =
    "https://support.microsoft.com/en-us/help/4569557/windows-update-sha-1-based-endpoints-discontinued";
/// 0x80070308 on 2008 R2 traced to damaged component store metadata (theorypc.ca).
const THEORYPC_SEQUENCE: &str =
    "https://theorypc.ca/2016/10/31/windows-update-0x80070308-error_request_out_of_sequence/";

/// What the rules look at.
pub(crate) struct Ctx<'a> {
    pub cat: &'a Catalog,
    /// The log of the failure.
    pub file: &'a str,
    pub format: Option<LogFormat>,
    /// The events of the failure: its errors and its end.
    pub events: Vec<&'a Event>,
    pub failure: Option<&'a Failure>,
    pub store: Option<&'a StoreHealth>,
    /// Store-corruption flags of every log, with their file.
    pub flags: Vec<(&'a str, &'a Event)>,
    /// The NT version the failure's log shows.
    pub nt: Option<(u32, u32)>,
    /// The failure's log is one `diagnose` does not assess.
    pub refused: bool,
    /// The update servers the failure's log names.
    pub sources: Vec<&'a Event>,
}

impl Ctx<'_> {
    fn with_code(&self, set: &[u32]) -> Vec<&Event> {
        self.events.iter().copied().filter(|e| e.hresult.is_some_and(|c| set.contains(&c))).collect()
    }

    /// Windows Server 2008 (NT 6.0), 2008 R2 (NT 6.1) or a log that does not say.
    fn is_2008(&self) -> bool {
        self.nt.is_none_or(|n| n == (6, 0) || n == (6, 1))
    }

    /// The OS family the log shows (2008 when it does not say).
    fn os(&self) -> w2k8_catalog::OsFamily {
        match self.nt {
            Some((6, 1)) => w2k8_catalog::OsFamily::Ws2008R2,
            _ => w2k8_catalog::OsFamily::Ws2008,
        }
    }

    fn windows_name(&self) -> &'static str {
        match self.nt {
            Some((6, 1)) => "Windows Server 2008 R2",
            _ => "Windows Server 2008",
        }
    }

    /// The failing update's release: the catalog's date, else the month its title names.
    fn released(&self) -> Option<Date> {
        let f = self.failure?;
        f.kb.and_then(|kb| self.cat.update(kb))
            .and_then(|u| u.released)
            .or_else(|| f.package.as_deref().and_then(date_of_title))
    }

    /// Released after the end of extended support (or of unknown date).
    fn esu_era(&self) -> bool {
        self.released().is_none_or(|d| d > facts::extended_support_end().value)
    }

    fn title_of(&self, kb: Kb) -> String {
        match self.cat.update(kb).and_then(|u| u.title.clone()) {
            Some(t) => format!("{kb} ({t})"),
            None => kb.to_string(),
        }
    }

    fn evidence(&self, ev: &Event, what: &str) -> Evidence {
        Evidence::new(format!("{what}: {}", ev.text), self.file, u32::try_from(ev.line).ok())
    }
}

/// The month an update title starts with: `April, 2017 Security and Quality
/// Rollup ...`, `2020-01 Security Monthly Quality Rollup ...`.
pub(crate) fn date_of_title(t: &str) -> Option<Date> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let t = t.trim_start();
    if let (Some(y), Some(m)) = (t.get(..4).and_then(|y| y.parse().ok()), t.get(5..7).and_then(|m| m.parse().ok())) {
        if t.as_bytes().get(4) == Some(&b'-') && t.as_bytes().get(7) == Some(&b' ') {
            return Date::new(y, m, 1);
        }
    }
    let (i, name) = MONTHS.iter().enumerate().find(|(_, m)| t.starts_with(**m))?;
    let rest = t.get(name.len()..)?.trim_start_matches([',', ' ']);
    let year: i32 = rest.get(..4)?.parse().ok()?;
    Date::new(year, u32::try_from(i).ok()? + 1, 1)
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !s.is_empty() && !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// Each distinct item once, where it first appears (a log that alternates
/// two addresses names two, not one per line).
fn first_seen<T: PartialEq>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

fn row_url(code: u32) -> Vec<String> {
    codes::update_rows(code).iter().map(|r| r.source_url.to_string()).filter(|u| !u.is_empty()).collect()
}

fn hex(c: u32) -> String {
    format!("0x{c:08X}")
}

/// `0x80072EE2 WININET_E_TIMEOUT`.
fn named(c: u32) -> String {
    let i = codes::lookup(c);
    match i.symbols.first() {
        Some(s) => format!("{} {s}", i.hex),
        None => i.hex,
    }
}

/// What a rule found.
#[derive(Default)]
struct Finding {
    cause: Option<Cause>,
    steps: Vec<Step>,
    explains: Vec<u32>,
}

fn step(action: &'static str, text: String, kb: Option<Kb>, sources: Vec<String>) -> Step {
    Step { action, text, kb, sources }
}

type Rule = fn(&Ctx<'_>) -> Option<Finding>;

/// The rules, most specific first.
const RULES: [Rule; 13] = [
    sha2_missing,
    esu_not_licensed,
    service_pack_parent_missing,
    cannot_reach_update_source,
    download_failed,
    self_update_failed,
    assembly_missing,
    store_corruption,
    disk_space,
    pending_reboot,
    pending_xml,
    third_party,
    prerequisite_missing,
];

/// The causes and next steps for the failure in `ctx` (none for a log
/// `diagnose` does not assess).
pub(crate) fn run(ctx: &Ctx<'_>) -> (Vec<Cause>, Vec<Step>) {
    if ctx.refused {
        return (Vec::new(), Vec::new());
    }
    let (mut causes, mut steps, mut explained) = (Vec::new(), Vec::new(), Vec::new());
    for rule in RULES {
        if let Some(f) = rule(ctx) {
            causes.extend(f.cause);
            steps.extend(f.steps);
            explained.extend(f.explains);
        }
    }
    causes.extend(known_code(ctx, &explained));
    steps.extend(closing_steps(ctx, causes.is_empty()));
    (causes, steps)
}

/// 0x80092004 on a 2008 host: the SHA-2 code-signing update is missing.
fn sha2_missing(ctx: &Ctx<'_>) -> Option<Finding> {
    let hits = ctx.with_code(&[0x8009_2004]);
    if hits.is_empty() || !ctx.is_2008() {
        return None;
    }
    let sha2 = facts::sha2_update();
    let pre_ssu = ctx.cat.ssu_before_sha2(ctx.os());
    let mut sources: Vec<String> = row_url(0x8009_2004);
    sha2.sources.iter().for_each(|s| push_unique(&mut sources, s));
    let cause = Cause {
        id: "sha2_missing",
        title: "SHA-2 code-signing support is missing".into(),
        explanation: format!(
            "0x80092004 (CRYPT_E_NOT_FOUND): updates released from July 2019 are SHA-2 signed only; a {} \
             machine without {} cannot verify them. {}",
            ctx.windows_name(),
            sha2.value,
            sha2.note
        ),
        evidence: hits.iter().map(|e| ctx.evidence(e, "CRYPT_E_NOT_FOUND")).collect(),
        fix: sha2_fix(ctx, &sha2, pre_ssu),
        sources: sources.clone(),
    };
    let steps = sha2_steps(ctx, &sha2, pre_ssu, sources);
    Some(Finding { cause: Some(cause), steps, explains: vec![0x8009_2004] })
}

/// The fix of [`sha2_missing`]: through the pre-SHA-2 servicing stack update when the catalog has one.
fn sha2_fix(ctx: &Ctx<'_>, sha2: &facts::Sourced<Kb>, pre_ssu: Option<&Update>) -> String {
    match pre_ssu {
        Some(s) => format!(
            "Install the servicing stack update {} (released before SHA-2-only signing, so it installs \
             without SHA-2), then {}, restart, then the newest servicing stack update, and retry: the \
             order `w2k8 plan` gives.",
            ctx.title_of(s.kb),
            ctx.title_of(sha2.value)
        ),
        None => {
            format!("Install {}, restart, then the newest servicing stack update, and retry.", ctx.title_of(sha2.value))
        }
    }
}

/// The steps of [`sha2_missing`]; `sources` are those of the SHA-2 update.
fn sha2_steps(ctx: &Ctx<'_>, sha2: &facts::Sourced<Kb>, pre_ssu: Option<&Update>, sources: Vec<String>) -> Vec<Step> {
    // The plan's order for a host without SHA-2: the pre-July-2019 SSU, KB4474419, a restart, the newest SSU.
    let mut steps = Vec::new();
    if let Some(s) = pre_ssu {
        steps.push(step(
            "install_prerequisite",
            format!("Install {} (skip it if it is installed)", ctx.title_of(s.kb)),
            Some(s.kb),
            s.sources.clone(),
        ));
    }
    steps.push(step(
        "install_prerequisite",
        format!("Install {}", ctx.title_of(sha2.value)),
        Some(sha2.value),
        sources,
    ));
    steps.push(step(
        "restart",
        "Restart the server before installing the updates that need SHA-2 support".into(),
        None,
        Vec::new(),
    ));
    if let Some((kb, s)) = latest_ssu(ctx.cat, ctx.os()) {
        steps.push(step(
            "install_prerequisite",
            format!("Install the newest servicing stack update {}", ctx.title_of(kb)),
            Some(kb),
            s,
        ));
    }
    steps
}

/// The newest dated servicing stack update of `os`.
fn latest_ssu(cat: &Catalog, os: w2k8_catalog::OsFamily) -> Option<(Kb, Vec<String>)> {
    let u = cat.updates_of_kind(UpdateKind::Ssu).filter(|u| u.applies_to(os)).max_by_key(|u| u.released)?;
    Some((u.kb, u.sources.clone()))
}

fn esu_not_licensed(ctx: &Ctx<'_>) -> Option<Finding> {
    let hits = ctx.with_code(&[0x8007_0643]);
    if hits.is_empty() || !ctx.esu_era() || !ctx.is_2008() {
        return None;
    }
    let prep = facts::of(ctx.os()).esu_prep_package;
    let end = facts::extended_support_end();
    let mut sources = row_url(0x8007_0643);
    prep.sources.iter().chain(end.sources).for_each(|s| push_unique(&mut sources, s));
    let when =
        ctx.released().map_or_else(|| "an update of unknown date".to_string(), |d| format!("an update released {d}"));
    let cause = Cause {
        id: "esu_not_licensed",
        title: "Extended Security Updates not licensed or not activated".into(),
        explanation: format!(
            "0x80070643 (ERROR_INSTALL_FAILURE) on {when}, after the end of extended support ({}): ESU updates \
             install only on machines with the ESU preparation package and an installed, activated ESU key. {}",
            end.value,
            codes::update_rows(0x8007_0643).first().map_or("", |r| r.cause_2008)
        ),
        evidence: hits.iter().map(|e| ctx.evidence(e, "ERROR_INSTALL_FAILURE")).collect(),
        fix: format!(
            "Install the latest SSU and the ESU Licensing Preparation Package {}, install the ESU MAK key and \
             activate it (slmgr /ipk, slmgr /ato), then retry.",
            prep.value
        ),
        sources: sources.clone(),
    };
    let mut steps = Vec::new();
    if let Some((kb, s)) = latest_ssu(ctx.cat, ctx.os()) {
        steps.push(step(
            "install_prerequisite",
            format!("Install the latest servicing stack update {}", ctx.title_of(kb)),
            Some(kb),
            s,
        ));
    }
    steps.push(step(
        "install_prerequisite",
        format!("Install {}", ctx.title_of(prep.value)),
        Some(prep.value),
        sources.clone(),
    ));
    steps.push(step(
        "install_prerequisite",
        "Install the ESU MAK key and activate it (slmgr /ipk <key>, slmgr /ato <activation id>)".into(),
        None,
        sources,
    ));
    Some(Finding { cause: Some(cause), steps, explains: vec![0x8007_0643] })
}

fn service_pack_parent_missing(ctx: &Ctx<'_>) -> Option<Finding> {
    let sp: Vec<&Event> = ctx
        .events
        .iter()
        .copied()
        .filter(|e| e.hresult == Some(0x800F_0A05) || e.text.contains("No parents for SP package"))
        .collect();
    // 2008 SP2 installs on top of SP1; 2008 R2 has one service pack, on RTM.
    if sp.is_empty() || ctx.os() != w2k8_catalog::OsFamily::Ws2008 {
        return None;
    }
    let cause = Cause {
        id: "service_pack_parent_missing",
        title: "The service pack it builds on is not installed".into(),
        explanation: "CBS found no parent for the service pack package (0x800F0A05): the log says a release \
                      version of the previous service pack must be installed or scheduled first (Server 2008 \
                      SP2 installs on top of SP1)."
            .into(),
        evidence: sp.iter().map(|e| ctx.evidence(e, "CBS")).collect(),
        fix: "Install the release version of the previous service pack (SP1 for SP2), restart, then retry; if SP1 \
              is installed, its packages are damaged: repair the store first (CheckSUR)."
            .into(),
        sources: vec![SP2_BLOG.to_string()],
    };
    let steps = vec![step(
        "install_prerequisite",
        "Install the release version of the previous service pack (SP1 before SP2)".into(),
        None,
        vec![SP2_BLOG.into()],
    )];
    Some(Finding { cause: Some(cause), steps, explains: vec![0x800F_0A05] })
}

/// The address in `<...>` of a WinHttp line, else after `for `.
pub(crate) fn url_in(text: &str) -> Option<&str> {
    let at = text.find("<http")?;
    let rest = text.get(at + 1..)?;
    rest.get(..rest.find('>')?)
}

/// The proxy a `SendRequest failed ... Proxy List used: <...>` line names, if any.
fn proxy_in(text: &str) -> Option<&str> {
    let (_, r) = text.split_once("Proxy List used: <")?;
    let p = r.get(..r.find('>')?)?;
    (!p.is_empty() && p != "(null)").then_some(p)
}

fn cannot_reach_update_source(ctx: &Ctx<'_>) -> Option<Finding> {
    let r = Unreachable::of(ctx)?;
    let fix = connectivity_fix(r.host());
    let mut sources = Vec::new();
    r.hits.iter().filter_map(|e| e.hresult).for_each(|c| row_url(c).iter().for_each(|u| push_unique(&mut sources, u)));
    let evidence = r.evidence(ctx);
    let explains = first_seen(r.hits.iter().filter_map(|e| e.hresult));
    let mut explanation = r.explanation(ctx);
    let mut steps = vec![step("fix_connectivity", fix.clone(), None, sources.clone())];
    if let Some((sentence, st)) = sha1_endpoint_note(ctx, &r.urls, &r.hits) {
        explanation.push(' ');
        explanation.push_str(&sentence);
        push_unique(&mut sources, SHA1_ENDPOINTS);
        steps.push(st);
    }
    let cause = Cause {
        id: "cannot_reach_update_source",
        title: "The update server cannot be reached".into(),
        explanation,
        evidence,
        fix: fix.clone(),
        sources: sources.clone(),
    };
    Some(Finding { cause: Some(cause), steps, explains })
}

/// The failed connections to the update source that the failure's events show.
struct Unreachable<'a> {
    /// The events with a connectivity HRESULT.
    hits: Vec<&'a Event>,
    /// The first one's HRESULT.
    code: u32,
    /// The addresses the hits name (consecutive repeats dropped).
    urls: Vec<&'a str>,
    /// The update servers the log names.
    known: Vec<&'a str>,
}

impl<'a> Unreachable<'a> {
    /// The failed connections of `ctx`, if any.
    fn of(ctx: &Ctx<'a>) -> Option<Self> {
        let hits: Vec<&Event> = ctx.events.iter().copied().filter(|e| e.hresult.is_some_and(is_connectivity)).collect();
        let code = hits.first()?.hresult?;
        let urls = first_seen(hits.iter().filter_map(|e| url_in(&e.text)));
        let known: Vec<&str> = ctx
            .sources
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::UpdateSource { url } => Some(url.as_str()),
                _ => None,
            })
            .collect();
        Some(Unreachable { hits, code, urls, known })
    }

    /// The server that could not be reached, as the explanation names it.
    fn server(&self) -> String {
        let urls = &self.urls;
        match (urls.first(), self.known.first()) {
            (Some(u), _) if urls.len() > 1 => format!("{u} (and {} more addresses)", urls.len() - 1),
            (Some(u), _) => (*u).to_string(),
            (None, Some(k)) => format!("the update server ({k}, as the log names it)"),
            (None, None) => "the update server (its address is not in this log)".to_string(),
        }
    }

    /// How the connection went: through which proxy, or directly.
    fn via(&self) -> String {
        let proxy = self.hits.iter().find_map(|e| proxy_in(&e.text));
        match proxy {
            Some(p) => format!(" through the proxy {p}"),
            None if self.hits.iter().any(|e| e.text.contains("Proxy List used: <(null)>")) => {
                " directly (no proxy)".into()
            }
            None => String::new(),
        }
    }

    /// What could not be reached, how, and with which error.
    fn explanation(&self, ctx: &Ctx<'_>) -> String {
        let info = codes::lookup(self.code);
        let what = info.message.or(info.meaning).unwrap_or_else(|| "connection failure".into());
        let shown = ctx
            .failure
            .and_then(|f| f.first_error.line_code.as_deref().map(|c| (c, f.first_error.line)))
            .and_then(|(c, line)| u32::from_str_radix(c.trim_start_matches("0x"), 16).ok().map(|c| (c, line)))
            .map(|(c, line)| format!(" The failure starts at line {line} with {}.", named(c)))
            .unwrap_or_default();
        format!(
            "Windows Update could not reach {}{}: {} ({}).{shown}",
            self.server(),
            self.via(),
            named(self.code),
            what.trim_end_matches('.')
        )
    }

    /// The host name of the server, for `nslookup`.
    fn host(&self) -> &str {
        self.urls
            .first()
            .or(self.known.first())
            .and_then(|u| u.split("://").nth(1))
            .and_then(|r| r.split(['/', ':']).next())
            .unwrap_or("<update server>")
    }

    /// The failure's first error (when no hit is on its line), then up to 20 hits.
    fn evidence(&self, ctx: &Ctx<'_>) -> Vec<Evidence> {
        let mut evidence: Vec<Evidence> = Vec::new();
        if let Some(f) = ctx.failure.filter(|f| !self.hits.iter().any(|e| e.line == f.first_error.line)) {
            evidence.push(Evidence::new(
                f.first_error.text.clone(),
                f.first_error.file.clone(),
                u32::try_from(f.first_error.line).ok(),
            ));
        }
        evidence.extend(self.hits.iter().take(20).map(|e| ctx.evidence(e, "cannot reach")));
        evidence
    }
}

/// How to check and fix the connection to `host`.
fn connectivity_fix(host: &str) -> String {
    format!(
        "From this server: `nslookup {host}` (the name resolves), `netsh winhttp show proxy` (the machine-wide \
         WinHTTP proxy; `netsh winhttp set proxy` sets it), and open the address in Internet Explorer. For WSUS, \
         check the address in `reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate` (WUServer) \
         and that the WSUS server answers; allow the address through the firewall or proxy, then retry."
    )
}

/// Microsoft's update servers reached after July 2020 from NT 6.0 / 6.1:
/// Windows Update serves these systems only through SHA-2 endpoints since
/// late July 2020 (KB4569557), so a machine without the SHA-2 code-signing
/// support update no longer receives updates from it.
fn sha1_endpoint_note(ctx: &Ctx<'_>, urls: &[&str], hits: &[&Event]) -> Option<(String, Step)> {
    let microsoft = urls.iter().any(|u| {
        let host = u.split("://").nth(1).and_then(|r| r.split(['/', ':']).next()).unwrap_or("");
        host.ends_with("update.microsoft.com") || host.ends_with("windowsupdate.com")
    });
    let after = hits.iter().filter_map(|e| e.time.as_deref()).any(|t| t >= "2020-08-01");
    if !(microsoft && after && ctx.nt.is_none_or(|n| n <= (6, 1))) {
        return None;
    }
    let sha2 = facts::sha2_update();
    let sentence = format!(
        "Windows Update discontinued its SHA-1 based endpoints in late July 2020 (KB4569557): a Windows Server \
         2008 / 2008 R2 machine without the SHA-2 code-signing support update {} no longer receives updates from \
         Windows Update.",
        sha2.value
    );
    let mut sources = vec![SHA1_ENDPOINTS.to_string()];
    sha2.sources.iter().for_each(|s| push_unique(&mut sources, s));
    let text =
        format!("Make sure {} is installed (with a servicing stack update that supports it)", ctx.title_of(sha2.value));
    Some((sentence, step("install_prerequisite", text, Some(sha2.value), sources)))
}

fn download_failed(ctx: &Ctx<'_>) -> Option<Finding> {
    let hits: Vec<&Event> = ctx
        .events
        .iter()
        .copied()
        .filter(|e| e.phase == Some(Phase::Download) && e.hresult.is_some_and(is_failure))
        .collect();
    let code = hits.first()?.hresult?;
    let fix = "Make sure the server reaches the download address (see the connectivity cause if listed), that the \
               system drive has free space for %windir%\\SoftwareDistribution\\Download, and that the Background \
               Intelligent Transfer Service runs (`sc query bits`; `bitsadmin /list /allusers /verbose` lists the \
               transfer jobs and their errors), then retry."
        .to_string();
    let mut sources = Vec::new();
    hits.iter().filter_map(|e| e.hresult).for_each(|c| row_url(c).iter().for_each(|u| push_unique(&mut sources, u)));
    let cause = Cause {
        id: "download_failed",
        title: "The update could not be downloaded".into(),
        explanation: format!("Windows Update could not download the update's content: {}.", named(code)),
        evidence: hits.iter().take(20).map(|e| ctx.evidence(e, "download")).collect(),
        fix: fix.clone(),
        sources: sources.clone(),
    };
    let explains = first_seen(hits.iter().filter_map(|e| e.hresult));
    Some(Finding { cause: Some(cause), steps: vec![step("investigate", fix, None, sources)], explains })
}

fn self_update_failed(ctx: &Ctx<'_>) -> Option<Finding> {
    let hits: Vec<&Event> = ctx
        .events
        .iter()
        .copied()
        .filter(|e| {
            contains_ci(e.text.as_bytes(), b"selfupdate")
                && e.hresult.is_some_and(|c| is_failure(c) && !is_connectivity(c))
        })
        .collect();
    let code = hits.first()?.hresult?;
    let mut sources = row_url(code);
    if sources.is_empty() {
        sources.push("data/errors/sdk-codes.csv.gz (from the Windows SDK headers winerror.h / wuerror.h)".into());
    }
    let cause = Cause {
        id: "self_update_failed",
        title: "The Windows Update Agent could not update itself".into(),
        explanation: format!(
            "The agent's self-update (the check for a newer Windows Update Agent before a search) failed with {}.",
            named(code)
        ),
        evidence: hits.iter().take(20).map(|e| ctx.evidence(e, "self-update")).collect(),
        fix: format!("Resolve {} first (`w2k8 explain {}`), then search for updates again.", named(code), hex(code)),
        sources,
    };
    Some(Finding { cause: Some(cause), steps: Vec::new(), explains: vec![code] })
}

/// `ERROR_SXS_ASSEMBLY_MISSING`, `ERROR_SXS_ASSEMBLY_NOT_FOUND`.
const ASSEMBLY_CODES: [u32; 2] = [0x8007_3701, 0x8007_36B3];

fn checksur_fix(ctx: &Ctx<'_>, supply: &[String]) -> String {
    if supply.is_empty() {
        format!(
            "Run the System Update Readiness Tool (CheckSUR, KB947821) for {}, read \
             %windir%\\Logs\\CBS\\CheckSUR.log, and retry the update.",
            ctx.windows_name()
        )
    } else {
        format!(
            "Download the packages of {} (.msu for this architecture), copy them to %SYSTEMROOT%\\CheckSUR\\Packages, \
             rerun CheckSUR (KB947821) until it reports no unfixed (f) line, then retry the update.",
            supply.join(", ")
        )
    }
}

fn assembly_missing(ctx: &Ctx<'_>) -> Option<Finding> {
    let hits = ctx.with_code(&ASSEMBLY_CODES);
    let code = hits.first()?.hresult?;
    let mut sources = row_url(0x8007_3701);
    push_unique(&mut sources, THEORYPC_ASSEMBLY);
    push_unique(&mut sources, CHECKSUR_KB947821);
    let cause = Cause {
        id: "assembly_missing",
        title: "A component the update needs is missing from the component store".into(),
        explanation: format!(
            "{}: the update refers to an assembly (component) that the component store does not have or does not \
             know (%windir%\\WinSxS and its registration in the COMPONENTS hive); the store is damaged or a \
             component of an earlier update is only partly installed.",
            named(code)
        ),
        evidence: hits.iter().take(20).map(|e| ctx.evidence(e, "assembly")).collect(),
        fix: checksur_fix(ctx, &[]),
        sources,
    };
    Some(Finding { cause: Some(cause), steps: Vec::new(), explains: ASSEMBLY_CODES.to_vec() })
}

/// Codes Microsoft lists among the corruption errors the System Update
/// Readiness Tool / DISM repairs (the rows of `data/errors/hresults.csv` that
/// cite it), 0x800F0818 (CheckSUR `CBS MUM Corrupt`, roplatforms 2011), and
/// the two 2008 R2 cases traced to damaged store metadata (theorypc.ca 2016).
const STORE_CODES: [u32; 20] = [
    0x8007_0057,
    0x8007_0246,
    0x8007_0570,
    0x8007_05B9,
    0x8007_36CC,
    0x8007_3701,
    0x8007_370A,
    0x8007_370B,
    0x8007_370D,
    0x8007_3712,
    0x8007_371B,
    0x8009_2003,
    0x800B_0100,
    0x800B_0101,
    0x800F_081F,
    0x800F_0825,
    0x800F_0831,
    0x800F_0818,
    0x8007_0308,
    0x8007_36B3,
];

/// A store code raised by the servicing stack: `E_INVALIDARG` /
/// `ERROR_INVALID_PARAMETER` counts only from CBS (a CBS log, or a
/// WindowsUpdate.log line about CBS), it is too common elsewhere.
fn store_hit(ctx: &Ctx<'_>, e: &Event) -> bool {
    match e.hresult {
        Some(0x8007_0057) => ctx.format == Some(LogFormat::Cbs) || contains_ci(e.text.as_bytes(), b"cbs"),
        Some(c) => STORE_CODES.contains(&c),
        None => false,
    }
}

fn store_corruption(ctx: &Ctx<'_>) -> Option<Finding> {
    let store_events: Vec<&Event> = ctx.events.iter().copied().filter(|e| store_hit(ctx, e)).collect();
    let mut hits: Vec<Evidence> = store_events.iter().take(20).map(|e| ctx.evidence(e, "store")).collect();
    hits.extend(ctx.flags.iter().take(20).map(|(f, e)| {
        Evidence::new(format!("CBS marked the store corrupt: {}", e.text), *f, u32::try_from(e.line).ok())
    }));
    let unfixed = ctx.store.map_or(0, |s| s.unfixed.len());
    if let Some(s) = ctx.store {
        for it in s.unfixed.iter().take(20) {
            let fact = format!("CheckSUR (f) not fixed: {} {}", it.what, it.path);
            hits.push(Evidence::new(fact, s.file.clone(), u32::try_from(it.line).ok()));
        }
    }
    if hits.is_empty() {
        return None;
    }
    let mut sources = vec![CHECKSUR_KB947821.to_string(), CHECKSUR_KB2700601.to_string()];
    for e in &store_events {
        if let Some(c) = e.hresult {
            row_url(c).iter().for_each(|u| push_unique(&mut sources, u));
            match c {
                0x8007_0308 => push_unique(&mut sources, THEORYPC_SEQUENCE),
                0x8007_36B3 | 0x8007_0057 => push_unique(&mut sources, THEORYPC_ASSEMBLY),
                _ => {}
            }
        }
    }
    let supply: Vec<String> =
        ctx.store.map(|s| s.packages_to_supply.iter().map(|k| k.to_string()).collect()).unwrap_or_default();
    let fix = checksur_fix(ctx, &supply);
    let cause = Cause {
        id: "store_corruption",
        title: "The component store is damaged".into(),
        explanation: format!(
            "The servicing stack reported store damage{}.",
            if unfixed > 0 { format!("; CheckSUR left {unfixed} item(s) unfixed") } else { String::new() }
        ),
        evidence: hits,
        fix: fix.clone(),
        sources: sources.clone(),
    };
    let mut explains: Vec<u32> = store_events.iter().filter_map(|e| e.hresult).collect();
    explains.extend(STORE_CODES);
    if let Some(c) = ctx.failure.and_then(|f| f.first_error.code.as_ref()).filter(|_| unfixed > 0) {
        explains.extend(u32::from_str_radix(c.hex.trim_start_matches("0x"), 16));
    }
    Some(Finding { cause: Some(cause), steps: vec![step("repair", fix, None, sources)], explains })
}

fn disk_space(ctx: &Ctx<'_>) -> Option<Finding> {
    let hits = ctx.with_code(&[0x8007_0070, 0x8007_0027]);
    if hits.is_empty() {
        return None;
    }
    let fix = codes::update_rows(0x8007_0070)
        .first()
        .map_or("Free space on the system drive and retry.", |r| r.fix)
        .to_string();
    let cause = Cause {
        id: "disk_space",
        title: "Not enough disk space".into(),
        explanation: "The system drive ran out of space while the update was downloaded or staged.".into(),
        evidence: hits.iter().map(|e| ctx.evidence(e, "disk full")).collect(),
        fix: fix.clone(),
        sources: row_url(0x8007_0070),
    };
    let steps = vec![step("free_space", fix, None, row_url(0x8007_0070))];
    Some(Finding { cause: Some(cause), steps, explains: vec![0x8007_0070, 0x8007_0027] })
}

const REBOOT_CODES: [u32; 5] = [0x8007_0BC9, 0x8024_0016, 0x8024_2014, 0x800F_0806, 0x0024_2015];

fn pending_reboot(ctx: &Ctx<'_>) -> Option<Finding> {
    let hits = ctx.with_code(&REBOOT_CODES);
    if hits.is_empty() {
        return None;
    }
    let mut sources = Vec::new();
    hits.iter().filter_map(|e| e.hresult).for_each(|c| row_url(c).iter().for_each(|u| push_unique(&mut sources, u)));
    let cause = Cause {
        id: "pending_reboot",
        title: "A restart is pending".into(),
        explanation: "An earlier servicing operation waits for a restart; new installs are blocked until it completes."
            .into(),
        evidence: hits.iter().map(|e| ctx.evidence(e, "pending")).collect(),
        fix: "Restart the server, let it finish configuring updates, then retry. If it keeps failing with \
              0x80070BC9, set the Windows Modules Installer (TrustedInstaller) service back to its default start type."
            .into(),
        sources: sources.clone(),
    };
    let steps = vec![step("restart", "Restart the server and let pending operations complete".into(), None, sources)];
    Some(Finding { cause: Some(cause), steps, explains: REBOOT_CODES.to_vec() })
}

fn pending_xml(ctx: &Ctx<'_>) -> Option<Finding> {
    let px: Vec<&Event> = ctx.events.iter().copied().filter(|e| e.kind == EventKind::PendingXml).collect();
    if px.is_empty() {
        return None;
    }
    let sources = row_url(0x8007_0BC9);
    let cause = Cause {
        id: "pending_xml",
        title: "A pending.xml was left behind by an interrupted operation".into(),
        explanation: "CBS failed on %windir%\\WinSxS\\pending.xml: the pending transaction of an earlier install \
                      did not complete and blocks new ones."
            .into(),
        evidence: px.iter().map(|e| ctx.evidence(e, "pending.xml")).collect(),
        fix: "Restart so TrustedInstaller can complete the pending transaction; if the same error returns, the \
              pending-transaction data is corrupt: restore the system state from backup or repair the store \
              (CheckSUR) before retrying."
            .into(),
        sources: sources.clone(),
    };
    let steps = vec![step("restart", "Restart the server so the pending transaction completes".into(), None, sources)];
    Some(Finding { cause: Some(cause), steps, explains: Vec::new() })
}

const THIRD_PARTY_CODES: [u32; 3] = [0x8007_0020, 0x8024_0022, 0x8007_0005];

fn third_party(ctx: &Ctx<'_>) -> Option<Finding> {
    let hits = ctx.with_code(&THIRD_PARTY_CODES);
    if hits.is_empty() {
        return None;
    }
    let mut sources = Vec::new();
    let mut why = Vec::new();
    for c in THIRD_PARTY_CODES {
        if let Some(r) = codes::update_rows(c).first() {
            if hits.iter().any(|e| e.hresult == Some(c)) {
                push_unique(&mut sources, r.source_url);
                why.push(format!("{} ({}): {}", hex(c), r.symbol, r.cause_2008));
            }
        }
    }
    let cause = Cause {
        id: "third_party",
        title: "Another program (often antivirus) blocked the servicing stack".into(),
        explanation: why.join(" "),
        evidence: hits.iter().map(|e| ctx.evidence(e, "blocked")).collect(),
        fix: "Find the locked or denied file next to the error in CBS.log, exclude it (and %windir%\\SoftwareDistribution, \
              %windir%\\WinSxS) from the antivirus or do a clean boot, then retry."
            .into(),
        sources,
    };
    Some(Finding { cause: Some(cause), steps: Vec::new(), explains: THIRD_PARTY_CODES.to_vec() })
}

/// Prerequisites the catalog lists for the failing update: a cause when the
/// log hints at a missing one, a step either way.
fn prerequisite_missing(ctx: &Ctx<'_>) -> Option<Finding> {
    let kb = ctx.failure.and_then(|f| f.kb).filter(|_| ctx.is_2008())?;
    let u = ctx.cat.update(kb)?;
    if u.requires.is_empty() {
        return None;
    }
    let missing_hint = ctx.events.iter().any(|e| matches!(e.hresult, Some(0x800F_081E | 0x8024_0017)));
    let list: Vec<String> = u.requires.iter().map(|k| ctx.title_of(*k)).collect();
    let cause = missing_hint.then(|| Cause {
        id: "prerequisite_missing",
        title: format!("{kb} needs updates installed first"),
        explanation: format!("The catalog lists prerequisites for {kb}: {}.", list.join(", ")),
        evidence: Vec::new(),
        fix: format!("Install {} first, restart, then retry {kb}.", list.join(", ")),
        sources: u.sources.clone(),
    });
    let steps = u
        .requires
        .iter()
        .map(|r| {
            let s = ctx.cat.update(*r).map(|x| x.sources.clone()).unwrap_or_else(|| u.sources.clone());
            step(
                "install_prerequisite",
                format!("Make sure {} is installed (prerequisite of {kb})", ctx.title_of(*r)),
                Some(*r),
                s,
            )
        })
        .collect();
    Some(Finding { cause, steps, explains: Vec::new() })
}

/// What the error tables say of the first and final codes no rule explained.
fn known_code(ctx: &Ctx<'_>, explained: &[u32]) -> Vec<Cause> {
    let Some(f) = ctx.failure else { return Vec::new() };
    let mut done = explained.to_vec();
    let mut causes = Vec::new();
    for el in std::iter::once(&f.first_error).chain(f.final_error.as_ref()) {
        let Some(ci) = &el.code else { continue };
        let Ok(code) = u32::from_str_radix(ci.hex.trim_start_matches("0x"), 16) else { continue };
        if done.contains(&code) {
            continue;
        }
        done.push(code);
        let (mut cause_2008, mut fix, mut sources) = (ci.cause_2008.clone(), ci.fix.clone(), ci.sources.clone());
        if code == 0x8007_0643 && !ctx.esu_era() {
            // The table's cause is the ESU one, which an update of this date cannot have.
            let end = facts::extended_support_end();
            let when = ctx.released().map_or_else(String::new, |d| format!(" ({})", d.month_string()));
            cause_2008 = Some(format!(
                "the update{when} was released before the end of extended support ({}), so ESU licensing is not \
                 the cause: the update's own installer failed",
                end.value
            ));
            sources = ci.sources.iter().filter(|s| s.contains("sdk-codes")).cloned().collect();
            end.sources.iter().for_each(|s| push_unique(&mut sources, s));
            fix = Some(
                "Read the update installer's log and the Application event log (MsiInstaller events) at the time \
                 of the failure, fix what they name, then retry."
                    .into(),
            );
        }
        if cause_2008.is_none() && fix.is_none() {
            continue;
        }
        causes.push(Cause {
            id: "known_code",
            title: format!("{} {}", ci.hex, ci.symbols.first().cloned().unwrap_or_default()).trim().to_string(),
            explanation: [ci.meaning.clone(), cause_2008]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" Likely cause: "),
            evidence: vec![Evidence::new(el.text.clone(), el.file.clone(), u32::try_from(el.line).ok())],
            fix: fix.unwrap_or_default(),
            sources,
        });
    }
    causes
}

/// Investigate (no cause found), roll back (rolled back at restart), retry.
fn closing_steps(ctx: &Ctx<'_>, no_cause: bool) -> Vec<Step> {
    let Some(f) = ctx.failure else { return Vec::new() };
    let mut steps = Vec::new();
    if no_cause {
        steps.push(step(
            "investigate",
            format!(
                "No known cause for this code on 2008: read {} around line {} (the first real error).",
                f.first_error.file, f.first_error.line
            ),
            None,
            Vec::new(),
        ));
    }
    if matches!(f.phase, Phase::CommitAtReboot | Phase::Rollback) {
        steps.push(step(
            "roll_back",
            "Windows rolled the changes back at restart: nothing to uninstall. To remove an update that did \
             install, run rollback.cmd from the w2k8 plan."
                .into(),
            None,
            Vec::new(),
        ));
    }
    let text = match (f.kb, f.phase) {
        (None, Phase::Search) => {
            "Search for updates again (`wuauclt /detectnow`), then run `w2k8 diagnose` on the new logs if it fails again"
                .to_string()
        }
        (kb, _) => format!(
            "Retry {}, then run `w2k8 diagnose` on the new logs if it fails again",
            kb.map_or_else(|| "the update".to_string(), |k| k.to_string())
        ),
    };
    steps.push(step("retry", text, f.kb, Vec::new()));
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_dates() {
        assert_eq!(
            date_of_title("April, 2017 Security and Quality Rollup for .NET (KB4014984)"),
            Date::new(2017, 4, 1)
        );
        assert_eq!(
            date_of_title("2020-01 Security Monthly Quality Rollup for Windows Server 2008 (KB4534303)"),
            Date::new(2020, 1, 1)
        );
        assert_eq!(date_of_title("Security Update for Windows Server 2008 (KB4012598)"), None);
    }

    fn ids(log: &str) -> (Vec<&'static str>, Vec<String>) {
        let d = crate::diagnose_bytes("WindowsUpdate.log", log.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        (d.causes.iter().map(|c| c.id).collect(), d.causes.iter().map(|c| c.explanation.clone()).collect())
    }

    /// Synthetic lines in the layout of the real excerpts (cloudbase #53, LegacyUpdate #8).
    #[test]
    fn a_proxy_is_named() {
        let log = "2016-09-08\t10:48:43:109\t 848\t604\tMisc\tWARNING: SendRequest failed with hr = 80072efd. Proxy List used: <proxy01:8080> Bypass List used : <(null)> Auth Schemes used : <>\n";
        let (ids, why) = ids(log);
        assert_eq!(ids, ["cannot_reach_update_source"]);
        assert!(why[0].contains("through the proxy proxy01:8080"), "{}", why[0]);
        assert!(why[0].contains("the update server (its address is not in this log)"), "{}", why[0]);
    }

    #[test]
    fn a_named_server_is_used_when_the_failing_line_has_none() {
        let log = "2016-10-19\t11:23:47:610\t1532\t1f40\tPT\t  + ServiceId = {3DA21691-E39D-4DA6-8A4B-B43877BCB1B7}, Server URL = http://wsus01:8530/ClientWebService/client.asmx\n\
                   2016-10-19\t11:23:58:516\t1532\t1f40\tPT\tWARNING: Sync of Updates: 0x80072ee2\n";
        let (ids, why) = ids(log);
        assert_eq!(ids, ["cannot_reach_update_source"]);
        assert!(why[0].contains("http://wsus01:8530/ClientWebService/client.asmx"), "{}", why[0]);
    }

    /// Written by hand: a log that fails against two servers in turn names
    /// both once ("and 1 more"); the old consecutive-only dedup said "2 more".
    #[test]
    fn alternating_addresses_are_counted_once_each() {
        let line = |url: &str, code: &str| {
            format!("2022-11-13\t11:15:01:303\t1048\tfd4\tMisc\tWARNING: WinHttp: SendRequestUsingProxy failed for <{url}>. error 0x{code}\n")
        };
        let a = "http://wsus01:8530/ClientWebService/client.asmx";
        let b = "http://wsus02:8530/ClientWebService/client.asmx";
        let log = [line(a, "80072efd"), line(b, "80072ee2"), line(a, "80072efd")].concat();
        let d = crate::diagnose_bytes("WindowsUpdate.log", log.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let c = d.causes.iter().find(|c| c.id == "cannot_reach_update_source").unwrap_or_else(|| panic!("{d:?}"));
        assert!(c.explanation.contains(&format!("{a} (and 1 more addresses)")), "{}", c.explanation);
    }

    #[test]
    fn microsoft_update_after_july_2020_names_the_sha1_endpoints() {
        let at = |date: &str| {
            format!(
                "{date}\t11:15:01:303\t1048\tfd4\tMisc\tWARNING: WinHttp: SendRequestUsingProxy failed for <https://www.update.microsoft.com/v11/3/legacy/windowsupdate/selfupdate/wuident.cab>. error 0x80072efe\n"
            )
        };
        assert!(ids(&at("2022-11-13")).1[0].contains("KB4569557"));
        assert!(!ids(&at("2019-11-13")).1[0].contains("KB4569557"));
    }

    #[test]
    fn a_self_update_failure_that_is_not_connectivity() {
        let log = "2016-10-19\t11:23:47:422\t1532\t1f40\tSetup\tFATAL: SelfUpdate check failed, err = 0x8024000B\n";
        assert_eq!(ids(log).0, ["self_update_failed"]);
    }

    #[test]
    fn urls_and_proxies() {
        let t = "WARNING: WinHttp: SendRequestUsingProxy failed for <http://mywsusurl//selfupdate/wuident.cab>. error 0x80072ee2";
        assert_eq!(url_in(t), Some("http://mywsusurl//selfupdate/wuident.cab"));
        assert_eq!(proxy_in("SendRequest failed with hr = 80072ee2. Proxy List used: <(null)> Bypass"), None);
        assert_eq!(proxy_in("SendRequest failed. Proxy List used: <proxy:8080> Bypass"), Some("proxy:8080"));
    }
}
