//! `isolate.cmd` and `undo.cmd`: the plan's isolation steps
//! ([`w2k8_assess::isolation`]) as cmd.exe batch files (CRLF) for an
//! elevated prompt on the host.
//!
//! The commands are the plan's, which come from
//! `data/mitigations/isolation.md`; the scripts add no command of their own
//! besides `ver` (the build check) and `echo`. Each step is preceded by `rem`
//! lines: the CVEs it addresses, whether it removes or only reduces the
//! exposure, what it breaks, whether a restart is needed, and its sources.
//!
//! * `isolate.cmd` makes the changes in the plan's order; `undo.cmd` runs
//!   each step's undo (the start type the bundle recorded, else Microsoft's
//!   default, said so), last step first.
//! * `/dry-run` (either script) prints each command as `would run: ...` and
//!   changes nothing, not even the log file.
//! * A step with a `role_warning` (it would stop what a role the host serves
//!   is for: the spooler on a print server, port 445 on a domain controller)
//!   is left out: its commands are written as `rem` lines with the warning,
//!   for an administrator to run by hand after deciding with the role's
//!   owners. `undo.cmd` has nothing to undo for it.
//! * Both refuse another OS or build than the plan's with the `ver` check of
//!   `install.cmd` (exit 2), and refuse to run from the 32-bit cmd.exe on a
//!   64-bit host (exit 2): there `reg` would write the 32-bit view of
//!   `HKLM\SOFTWARE` (the registry redirector, [`REGISTRY_REDIRECTOR`]).
//! * A command that fails is logged with its exit code and the script goes
//!   on with the next one (a service already stopped makes `sc stop` fail:
//!   the state wanted holds); the script then exits 1 and names the log.
//!   Done: exit 0, or 3010 when a change made needs a restart to hold.
//!
//! Each tool is run through a variable, `%W2K8_SC%`, `%W2K8_REG%`,
//! `%W2K8_NETSH%` and `%W2K8_NET%`, defaulting to `sc`, `reg`, `netsh` and
//! `net` (the `W2K8_WUSA` pattern of `install.cmd`): a test may put a stub in
//! their place. The log is `w2k8-isolate.log` / `w2k8-isolate-undo.log` next
//! to the script.
use super::{crlf, safe, ver_check, wrong_build_message};
use w2k8_assess::isolation::IsolationStep;
use w2k8_assess::plan::Plan;
use w2k8_catalog::mitigations::Effect;

/// Microsoft's page on the registry redirector: 32-bit programs on 64-bit Windows see a separate view of
/// `HKLM\SOFTWARE`.
pub const REGISTRY_REDIRECTOR: &str = "https://learn.microsoft.com/en-us/windows/win32/winprog64/registry-redirector";
/// Where the commands come from.
pub const ISOLATION_SOURCE: &str = "data/mitigations/isolation.md";

/// The tools a script runs, each through its override variable.
const TOOLS: [(&str, &str); 4] = [("sc", "W2K8_SC"), ("reg", "W2K8_REG"), ("netsh", "W2K8_NETSH"), ("net", "W2K8_NET")];

/// Which script.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Isolate,
    Undo,
}

impl Which {
    fn name(self) -> &'static str {
        match self {
            Which::Isolate => "isolate.cmd",
            Which::Undo => "undo.cmd",
        }
    }
}

/// One line of a step's `command` or `undo` as the script writes it.
enum Line<'a> {
    /// A remark the plan wrote (`rem ...`): shown and logged.
    Note(String),
    /// A command of a known tool: (the override variable, the arguments).
    Run(&'static str, &'a str),
    /// Anything else: not run (the scripts run only the tools above).
    Refused,
}

/// Characters that cmd.exe would act on inside `set "VAR=..."`, an `echo` or a `rem`.
fn has_metacharacters(cmd: &str) -> bool {
    cmd.chars().any(|c| matches!(c, '%' | '&' | '|' | '<' | '>' | '^' | '!' | '\r' | '\n') || !c.is_ascii())
}

fn classify(cmd: &str) -> Line<'_> {
    if let Some(note) = cmd.strip_prefix("rem ") {
        return Line::Note(safe(note));
    }
    if has_metacharacters(cmd) {
        return Line::Refused;
    }
    let (tool, args) = cmd.split_once(' ').unwrap_or((cmd, ""));
    match TOOLS.iter().find(|(t, _)| *t == tool) {
        Some((_, var)) => Line::Run(var, args),
        None => Line::Refused,
    }
}

/// The `rem` lines that describe a step.
fn describe(l: &mut Vec<String>, s: &IsolationStep) {
    let effect = match s.effect {
        Effect::Removes => "removes the exposure while it holds",
        Effect::Reduces => "only reduces the exposure: an attack path remains",
    };
    if s.cves.is_empty() {
        l.push("rem CVEs: none named (general network isolation for a host that cannot be patched)".to_string());
    } else {
        l.push(format!("rem CVEs: {}", safe(&crate::joined(&s.cves, " "))));
    }
    l.push(format!("rem effect: {effect}"));
    l.push(format!("rem breaks: {}", safe(&s.breaks)));
    if s.restart {
        l.push("rem restart: needed before the change holds".into());
    }
    for src in &s.source {
        l.push(format!("rem source: {}", safe(src)));
    }
}

/// The lines that run (or, in a dry run, print) `cmds` for step `n`. A step with a command the scripts do not
/// run is left out whole (a half-made change would be worse), and says so.
fn run_lines(l: &mut Vec<String>, n: usize, id: &str, cmds: &[String]) {
    l.push(format!("set \"STEP={n} {id}\""));
    if cmds.iter().any(|c| matches!(classify(c), Line::Refused)) {
        l.push(format!(
            "call :note step %STEP%: left out - a command of it is not one the script runs (sc, reg, netsh, net); see {ISOLATION_SOURCE}"
        ));
        return;
    }
    for c in cmds {
        match classify(c) {
            Line::Note(note) => l.push(format!("call :note step %STEP%: {note}")),
            Line::Run(var, args) => {
                l.push(format!("set \"SHOW={c}\""));
                l.push(format!("set \"CMD=%{var}% {args}\""));
                l.push("call :do".into());
            }
            Line::Refused => {}
        }
    }
}

/// The header shared by both scripts: usage, overrides, the checks.
fn header(p: &Plan, which: Which, log: &str) -> Vec<String> {
    let host = safe(p.host.as_deref().unwrap_or("this host"));
    let run = p.isolation.steps.iter().filter(|s| s.role_warning.is_none()).count();
    let left_out = p.isolation.steps.len() - run;
    let what = match which {
        Which::Isolate => format!(
            "rem isolate.cmd for {host}: {run} change(s) for the reachable KEV and critical CVEs no available update fixes, {left_out} left out for a role the host serves. Generated by w2k8 script --isolate."
        ),
        Which::Undo => format!(
            "rem undo.cmd for {host}: reverts the {run} change(s) isolate.cmd makes, last first. Generated by w2k8 script --isolate --undo."
        ),
    };
    let mut l: Vec<String> = vec![
        "@echo off".into(),
        "setlocal EnableExtensions".into(),
        what,
        format!(
            "rem Usage: {} [/dry-run]   - from an elevated command prompt; /dry-run prints each command and changes nothing.",
            which.name()
        ),
        format!("rem Commands: {ISOLATION_SOURCE}, each step citing its sources. Keep a console or out-of-band path"),
        "rem before changing Remote Desktop or the firewall; record the state first (sc qc SERVICE, reg query KEY).".into(),
    ];
    if which == Which::Isolate {
        l.push(
            "rem Every change is reversible: w2k8 script --isolate --undo writes undo.cmd, which reverts them.".into(),
        );
    }
    l.extend([
        format!("set \"LOG=%~dp0{log}\""),
        "set \"DRY=\"".into(),
        "if /i \"%~1\"==\"/dry-run\" set \"DRY=1\"".into(),
        "if not \"%~1\"==\"\" if not defined DRY goto :usage".into(),
    ]);
    for (tool, var) in TOOLS {
        l.push(format!("if not defined {var} set \"{var}={tool}\""));
    }
    l.push("set \"FAILED=0\"".into());
    l.push(String::new());
    l.push("rem ---- checks: the build, and the 64-bit cmd.exe on a 64-bit host ----".into());
    let r2 = p.os_family == w2k8_catalog::OsFamily::Ws2008R2;
    l.extend(ver_check(r2, matches!(p.build, Some(6001 | 7600))));
    l.push(format!(
        "rem from the 32-bit cmd.exe, reg would change the 32-bit view of HKLM\\SOFTWARE ({REGISTRY_REDIRECTOR})"
    ));
    l.push("if defined PROCESSOR_ARCHITEW6432 goto :wow64".into());
    l.push(format!("if defined DRY echo Dry run of {}: each command is printed, nothing is changed.", which.name()));
    l.push(format!("call :log {} started", which.name()));
    l
}

/// The end shared by both scripts: the result and the subroutines.
fn footer(l: &mut Vec<String>, p: &Plan, which: Which, restart_ids: &[String]) {
    outcome(l, which, restart_ids);
    let r2 = p.os_family == w2k8_catalog::OsFamily::Ws2008R2;
    subroutines(l, r2);
}

/// The script's result: the exit code of a run, a dry run and a run with failures.
fn outcome(l: &mut Vec<String>, which: Which, restart_ids: &[String]) {
    let made = match which {
        Which::Isolate => "changes made; undo.cmd reverts them",
        Which::Undo => "changes reverted",
    };
    l.push(String::new());
    l.push("if defined DRY goto :dry_done".into());
    l.push("if %FAILED% GTR 0 goto :some_failed".into());
    l.push(format!("call :log done: {made}"));
    if restart_ids.is_empty() {
        l.push("exit /b 0".into());
    } else {
        l.push(format!("call :log restart the server now: {} needs a restart to hold", restart_ids.join(", ")));
        l.push("exit /b 3010".into());
    }
    l.push(":dry_done".into());
    l.push("echo Dry run done: nothing was changed.".into());
    l.push("exit /b 0".into());
    l.push(":some_failed".into());
    let after = match which {
        Which::Isolate => "; undo.cmd reverts what was changed",
        Which::Undo => "",
    };
    l.push(format!("call :log %FAILED% command(s) failed - see %LOG%{after}"));
    l.push("exit /b 1".into());
}

/// The subroutines both scripts call (`:do`, `:note`, `:log`) and the early exits
/// (`:usage`, `:wrong_build`, `:wow64`); `r2` picks the wrong-build message.
fn subroutines(l: &mut Vec<String>, r2: bool) {
    l.extend(
        [
            "",
            ":do",
            "if defined DRY goto :do_dry",
            "call :log step %STEP%: %SHOW%",
            "%CMD%",
            "set \"RC=%ERRORLEVEL%\"",
            "if \"%RC%\"==\"0\" exit /b 0",
            "call :log step %STEP%: FAILED, exit code %RC%",
            "set /a FAILED+=1",
            "exit /b 0",
            ":do_dry",
            "echo would run: %SHOW%",
            "exit /b 0",
            ":note",
            "call :log %*",
            "exit /b 0",
            "",
            ":usage",
            "echo Usage: %~nx0 [/dry-run]",
            "exit /b 2",
            ":wrong_build",
            WRONG_BUILD,
            "ver",
            "exit /b 2",
            ":wow64",
            "call :log this is the 32-bit cmd.exe on a 64-bit host - run the script from %SystemRoot%\\System32\\cmd.exe",
            "exit /b 2",
            "",
            ":log",
            "if defined DRY goto :log_echo",
            ">> \"%LOG%\" echo [%DATE% %TIME%] %*",
            ":log_echo",
            "echo %*",
            "exit /b 0",
        ]
        .iter()
        .map(|s| if *s == WRONG_BUILD { format!("call :log {}", wrong_build_message(r2)) } else { s.to_string() }),
    );
}

const WRONG_BUILD: &str = "\u{0}wrong-build";

/// What the plan leaves out of the scripts: CVEs with no host-level step, and CVEs not judged.
fn not_addressed(l: &mut Vec<String>, p: &Plan) {
    let iso = &p.isolation;
    if iso.no_step_known.is_empty() && iso.not_judged.is_empty() {
        return;
    }
    l.push(String::new());
    l.push("rem ---- not addressed by this script ----".into());
    if !iso.no_step_known.is_empty() {
        l.push(format!(
            "rem {} reachable KEV or critical CVE(s) with no fix have no documented host change: only network isolation",
            iso.no_step_known.len()
        ));
        l.push("rem (segmentation, a perimeter firewall) or replacing the host helps. w2k8 plan --format json lists them (isolation.no_step_known).".into());
    }
    if !iso.not_judged.is_empty() {
        l.push(format!(
            "rem {} KEV or critical CVE(s) with no fix cannot be judged: their reachability is unknown (the bundle lacks or cannot read",
            iso.not_judged.len()
        ));
        l.push("rem reg-mitigations.txt, services.txt, netstat.txt, firewall.txt or roles.txt). No step is generated for them and none is".into());
        l.push("rem safe: collect those files and run w2k8 again. w2k8 plan --format json lists them (isolation.not_judged).".into());
    }
}

/// `isolate.cmd` for `plan`: its isolation steps, in order.
pub fn isolate_cmd(p: &Plan) -> String {
    let mut l = header(p, Which::Isolate, "w2k8-isolate.log");
    let total = p.isolation.steps.len();
    let mut restart_ids = Vec::new();
    if total == 0 {
        l.push(String::new());
        l.push("rem the plan has no isolation step for this host".into());
        l.push("call :log nothing to change: the plan has no isolation step for this host".into());
    }
    for (i, s) in p.isolation.steps.iter().enumerate() {
        let n = i + 1;
        l.push(String::new());
        let id = safe(&s.id);
        let component = safe(&s.component);
        match &s.role_warning {
            Some(w) => {
                let w = safe(w);
                l.push(format!("rem ==== step {n} of {total}: {id} ({component}) - LEFT OUT ===="));
                l.push(format!("rem left out: {w}"));
                describe(&mut l, s);
                l.push("rem Once decided with the role's owners, the change by hand (elevated prompt):".into());
                for c in &s.command {
                    l.push(format!("rem   {}", safe(c)));
                }
                l.push("rem and its undo:".into());
                for c in &s.undo {
                    l.push(format!("rem   {}", safe(c)));
                }
                l.push(format!("call :note step {n} {id} left out: {w}"));
            }
            None => {
                l.push(format!("rem ==== step {n} of {total}: {id} ({component}) ===="));
                describe(&mut l, s);
                run_lines(&mut l, n, &id, &s.command);
                if s.restart {
                    restart_ids.push(id.clone());
                }
            }
        }
    }
    not_addressed(&mut l, p);
    footer(&mut l, p, Which::Isolate, &restart_ids);
    crlf(&l)
}

/// `undo.cmd` for `plan`: the undo of each step `isolate.cmd` makes, last step first.
pub fn undo_cmd(p: &Plan) -> String {
    let mut l = header(p, Which::Undo, "w2k8-isolate-undo.log");
    let total = p.isolation.steps.len();
    let mut restart_ids = Vec::new();
    if total == 0 {
        l.push(String::new());
        l.push("call :log nothing to undo: the plan has no isolation step for this host".into());
    }
    for (i, s) in p.isolation.steps.iter().enumerate().rev() {
        let n = i + 1;
        let id = safe(&s.id);
        l.push(String::new());
        if s.role_warning.is_some() {
            l.push(format!("rem ==== step {n} of {total}: {id} was left out of isolate.cmd: nothing to undo ===="));
            l.push(format!("rem if it was made by hand, its undo: {}", safe(&s.undo.join(" ; "))));
            continue;
        }
        l.push(format!("rem ==== undo step {n} of {total}: {id} ({}) ====", safe(&s.component)));
        l.push(format!("rem CVEs exposed again: {}", safe(&crate::joined(&s.cves, " "))));
        if s.restart {
            l.push("rem restart: needed before the undo holds".into());
            restart_ids.push(id.clone());
        }
        for src in &s.source {
            l.push(format!("rem source: {}", safe(src)));
        }
        run_lines(&mut l, n, &id, &s.undo);
    }
    footer(&mut l, p, Which::Undo, &restart_ids);
    crlf(&l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_tools_run() {
        assert!(matches!(classify("sc stop Spooler"), Line::Run("W2K8_SC", "stop Spooler")));
        assert!(matches!(classify("net start DNS"), Line::Run("W2K8_NET", "start DNS")));
        assert!(matches!(
            classify("netsh advfirewall firewall delete rule name=\"w2k8-block-smb\""),
            Line::Run("W2K8_NETSH", "advfirewall firewall delete rule name=\"w2k8-block-smb\"")
        ));
        assert!(matches!(classify("rem a note (with) %PATH%"), Line::Note(n) if n == "a note  with   PATH "));
        for bad in
            ["shutdown /r /t 0", "reg add X & del *", "sc stop %X%", "net stop DNS | more", "sc stop Spülerdienst"]
        {
            assert!(matches!(classify(bad), Line::Refused), "{bad}");
        }
    }
}
