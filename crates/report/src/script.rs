//! `w2k8 script`: the plan as `install.cmd` and `rollback.cmd` (and its
//! isolation steps as `isolate.cmd` and `undo.cmd`, see [`isolate_cmd`]), batch files
//! for cmd.exe on a stock Windows Server 2008 SP2 or 2008 R2 SP1 (CRLF line
//! ends, no PowerShell).
//!
//! `install.cmd [STEP]` checks the architecture and the build first, then
//! installs each step's `.msu` (found next to the script as `*kbNNNNNNN*.msu`:
//! no source in the data gives the package file names) with
//! `wusa.exe FILE /quiet /norestart`, logs every step to
//! `w2k8-install.log`, and reads wusa's exit code:
//!
//! * `0` installed; `3010` installed, restart required
//!   (`ERROR_SUCCESS_REBOOT_REQUIRED`, winerror.h, `data/errors/sdk-codes.csv.gz`);
//! * `2359302` = `0x00240006` `WU_S_ALREADY_INSTALLED` and `-2145124329` =
//!   `0x80240017` `WU_E_NOT_APPLICABLE`: the codes wusa.exe returns on
//!   Windows Server 2008 for an update already installed or not applicable
//!   (KB949545, <https://mskb.pkisolutions.com/kb/949545>; both codes are in
//!   `data/errors/hresults.csv`); logged, and the script goes on;
//! * anything else is a failure: the script prints the code in hex (with the
//!   cause for `0x80092004` and `0x80070643` from `data/errors/hresults.csv`),
//!   stops, and says which step to resume at.
//!
//! At each restart the plan needs, the script stops and prints the command
//! that resumes at the next step. Manual steps (the ESU key) stop it too.
//! Before any step it refuses to start while
//! `HKLM\...\Component Based Servicing\RebootPending` exists (a restart is
//! pending: installs are blocked, `0x80240016` in Microsoft's Windows Update
//! error reference; `data/servicing/plan-checks.md`), exit code 3010.
//!
//! wusa is run as `%W2K8_WUSA% "FILE" /quiet /norestart`: `W2K8_WUSA`
//! defaults to `wusa.exe`, found on the PATH (`%SystemRoot%\System32` on a
//! stock server), and may be set to another command line, unquoted as a whole
//! so that a test can run `cmd /c stub.cmd` (a batch file run without `cmd /c`
//! or `call` would not return; `call` does not pass a batch file's exit code
//! under Wine). A path with spaces must carry its own quotes:
//! `set W2K8_WUSA="D:\tools\wusa.exe"`.
//!
//! `rollback.cmd` removes what the plan installed in reverse order (Microsoft
//! KB823836: remove updates in the opposite order of installation) with
//! `wusa.exe /uninstall /kb:NNNNNNN /quiet /norestart`. Servicing stack
//! updates are installed as permanent and cannot be removed (borncity.com,
//! 2016-10-21, on SSU KB3177467); the script says so and points to the
//! backup taken before the install.
pub mod isolate;

pub use isolate::{isolate_cmd, undo_cmd, ISOLATION_SOURCE, REGISTRY_REDIRECTOR};
use w2k8_assess::plan::{Plan, Step, StepKind};
use w2k8_catalog::UpdateKind;
use w2k8_core::Arch;

/// KB949545: the wusa.exe exit codes for "already installed" / "not applicable".
pub const WUSA_CODES_SOURCE: &str = "https://mskb.pkisolutions.com/kb/949545";
/// KB823836: remove updates in the reverse order of installation.
pub const REVERSE_ORDER_SOURCE: &str = "https://mskb.pkisolutions.com/kb/823836";
/// Servicing stack updates are permanent (not removable).
pub const SSU_PERMANENT_SOURCE: &str =
    "https://borncity.com/win/2016/10/21/windows-updates-fehlende-deinstallation-erzwingen/";

/// The key whose existence means Component Based Servicing waits for a restart.
pub const REBOOT_PENDING_KEY: &str =
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending";

fn crlf(lines: &[String]) -> String {
    let mut s = lines.join("\r\n");
    s.push_str("\r\n");
    s
}

/// Text safe in an `echo` / `rem` line: no cmd.exe metacharacters (a
/// space each), no control character (a `?` each: an escape sequence would
/// run on the terminal that types the script; CR and LF would end the
/// line), ASCII only: the typographic characters of Microsoft's titles as
/// their ASCII forms (the em dash of "January 14, 2020\u{2014}KB4534303" as
/// `-`, curly quotes as straight ones, a no-break space as a space), `?` for
/// the rest (bidirectional overrides included). ASCII reads the same in every
/// console code page.
fn safe(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' | '|' | '<' | '>' | '^' | '%' | '(' | ')' | '"' | '!' => ' ',
            '\r' | '\n' => ' ',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' => ' ',
            '\u{00A0}' | '\u{2002}'..='\u{2009}' | '\u{202F}' => ' ',
            c if w2k8_core::text::is_unsafe(c) => '?',
            c if c.is_ascii() => c,
            _ => '?',
        })
        .collect()
}

fn arch_value(a: Arch) -> &'static str {
    match a {
        Arch::X86 => "x86",
        Arch::X64 => "AMD64",
        Arch::Ia64 => "IA64",
    }
}

/// The steps of a plan that install a KB, with their plan order.
fn kb_steps(p: &Plan) -> impl Iterator<Item = (&Step, u32)> {
    p.steps.iter().filter_map(|s| s.kb.map(|k| (s, k.number())))
}

/// `install.cmd` for `plan` on a host of architecture `arch` (unchecked when unknown).
pub fn install_cmd(p: &Plan, arch: Option<Arch>) -> String {
    let mut l = install_header(p);
    l.extend(arch_check(arch));
    let r2 = p.os_family == w2k8_catalog::OsFamily::Ws2008R2;
    let installs_sp = p.steps.iter().any(|s| s.kind == StepKind::Update(UpdateKind::ServicePack));
    l.extend(ver_check(r2, r2 && installs_sp));
    l.extend(pending_restart_check());
    let last = p.steps.len();
    l.extend(start_dispatch(last));
    for s in &p.steps {
        l.extend(install_step(s, last));
    }
    l.push(String::new());
    l.push("call :log all steps done".into());
    l.push("exit /b 0".into());
    l.extend(INSTALL_SUBROUTINES.iter().map(|s| s.to_string()));
    fill_in_os(&mut l, r2);
    crlf(&l)
}

/// `install.cmd`'s opening: what it is for, how to run it, wusa's exit
/// codes, and the variables it sets, up to the checks' heading.
fn install_header(p: &Plan) -> Vec<String> {
    let host = safe(p.host.as_deref().unwrap_or("this host"));
    vec![
        "@echo off".into(),
        "setlocal EnableExtensions".into(),
        format!("rem install.cmd for {host}: {} step(s), {} restart(s). Generated by w2k8 plan.", p.steps.len(), p.reboots),
        "rem Usage: install.cmd [STEP]   - start, or resume at STEP after a restart.".into(),
        "rem Put the .msu package of each KB (for this architecture) next to this script.".into(),
        "rem wusa.exe exit codes: 0 installed; 3010 installed, restart required (winerror.h);".into(),
        format!("rem 2359302 = 0x00240006 already installed; -2145124329 = 0x80240017 not applicable ({WUSA_CODES_SOURCE})."),
        "set \"HERE=%~dp0\"".into(),
        "set \"LOG=%~dp0w2k8-install.log\"".into(),
        "if not defined W2K8_WUSA set \"W2K8_WUSA=wusa.exe\"".into(),
        "set \"START=1\"".into(),
        "if not \"%~1\"==\"\" set \"START=%~1\"".into(),
        "call :log install.cmd started at step %START%".into(),
        String::new(),
        "rem ---- checks: architecture and build ----".into(),
    ]
}

/// The lines that jump to `:wrong_arch` unless the machine (or, under
/// WOW64, its native side) has architecture `arch`; a remark when unknown.
fn arch_check(arch: Option<Arch>) -> Vec<String> {
    if let Some(a) = arch {
        let want = arch_value(a);
        vec![
            "set \"ARCH=%PROCESSOR_ARCHITECTURE%\"".into(),
            "if defined PROCESSOR_ARCHITEW6432 set \"ARCH=%PROCESSOR_ARCHITEW6432%\"".into(),
            format!("if /i not \"%ARCH%\"==\"{want}\" goto :wrong_arch"),
        ]
    } else {
        vec!["rem the bundle does not show the architecture: not checked".into()]
    }
}

/// The lines that jump to `:restart_pending` while Component Based
/// Servicing waits for a restart.
fn pending_restart_check() -> Vec<String> {
    vec![
        "rem ---- a pending restart blocks installs (0x80240016 WU_E_INSTALL_NOT_ALLOWED) ----".into(),
        format!("reg query \"{REBOOT_PENDING_KEY}\" >nul 2>&1"),
        "if not errorlevel 1 goto :restart_pending".into(),
        String::new(),
    ]
}

/// The lines that check `START` is a step of the plan (1 to `last`) and
/// jump to it.
fn start_dispatch(last: usize) -> Vec<String> {
    vec![
        "if %START% LSS 1 goto :bad_start".into(),
        format!("if %START% GTR {last} goto :bad_start"),
        "goto :step%START%".into(),
    ]
}

/// One step's label and lines: install its KB (or stop at a manual step),
/// then stop for the restart it needs. `last` is the plan's last step.
fn install_step(s: &Step, last: usize) -> Vec<String> {
    let mut l = vec![String::new(), format!(":step{}", s.order), format!("set \"STEP={}\"", s.order)];
    match s.kb {
        Some(kb) => {
            l.push(format!("rem {kb} {}: {}", s.kind, safe(&s.title)));
            l.push(format!("call :install {}", kb.number()));
            l.push("if errorlevel 1 goto :failed".into());
        }
        None => {
            l.extend(manual_stop(s, last));
            return l;
        }
    }
    if s.restart_after {
        l.extend(restart_stop(s, last));
    }
    l
}

/// The lines that stop at a manual step (exit code 4) and say how to go on;
/// a restart it needs is said before the script stops, where it is read.
fn manual_stop(s: &Step, last: usize) -> Vec<String> {
    let mut l = vec![
        format!("rem manual step: {}", safe(&s.title)),
        format!("call :log step {} is manual: {}", s.order, safe(&s.title)),
    ];
    let next = s.order + 1;
    match (s.restart_after, next <= last) {
        (true, true) => {
            l.push(format!("call :log restart required before step {next}"));
            l.push(format!("echo When it is done, restart the server, then run: \"%~f0\" {next}"));
        }
        (true, false) => {
            l.push("call :log restart required to finish".into());
            l.push("echo When it is done, restart the server to finish.".into());
        }
        (false, true) => l.push(format!("echo When it is done, run: \"%~f0\" {next}")),
        (false, false) => {}
    }
    l.push("exit /b 4".into());
    l
}

/// The lines that stop after step `s` for a restart and say how to resume.
fn restart_stop(s: &Step, last: usize) -> Vec<String> {
    let mut l = Vec::new();
    let next = s.order + 1;
    if next <= last {
        l.push(format!("call :log restart required before step {next}"));
        l.push(format!("echo Restart the server now, then run: \"%~f0\" {next}"));
    } else {
        l.push("call :log restart required to finish".into());
        l.push("echo Restart the server now to finish.".into());
    }
    l.push("exit /b 3010".into());
    l
}

/// `install.cmd`'s subroutines: `:install` (find the package, run wusa, read
/// its exit code), the failure exits, and `:log`. [`fill_in_os`] puts the
/// OS's wrong-build message and ESU preparation package in.
const INSTALL_SUBROUTINES: &[&str] = &[
    "",
    ":install",
    "set \"KB=KB%~1\"",
    "set \"MSU=\"",
    "rem unquoted relative pattern after pushd: Wine's cmd does not expand a quoted wildcard path",
    "pushd \"%HERE%\"",
    "for %%F in (*kb%~1*.msu) do set \"MSU=%%~fF\"",
    "popd",
    "if not defined MSU goto :no_package",
    "call :log step %STEP% %KB%: %W2K8_WUSA% \"%MSU%\" /quiet /norestart",
    "%W2K8_WUSA% \"%MSU%\" /quiet /norestart",
    "set \"RC=%ERRORLEVEL%\"",
    "if \"%RC%\"==\"0\" goto :rc_ok",
    "if \"%RC%\"==\"3010\" goto :rc_restart",
    "if \"%RC%\"==\"2359302\" goto :rc_already",
    "if \"%RC%\"==\"-2145124329\" goto :rc_not_applicable",
    "cmd /c exit %RC%",
    "set \"HEX=0x%=ExitCode%\"",
    "call :log step %STEP% %KB%: FAILED, wusa exit code %RC% = %HEX%",
    "if /i \"%HEX%\"==\"0x80092004\" call :log   0x80092004 CRYPT_E_NOT_FOUND: SHA-2 code signing support KB4474419 missing - install it and restart first",
    "if /i \"%HEX%\"==\"0x80070643\" call :log   0x80070643: ESU updates fail without the ESU preparation package KB4538484 and an activated ESU key",
    "call :log   details: w2k8 explain %HEX%, and w2k8 diagnose on %%WINDIR%%\\Logs\\CBS\\CBS.log",
    "exit /b 1",
    ":rc_ok",
    "call :log step %STEP% %KB%: installed",
    "exit /b 0",
    ":rc_restart",
    "call :log step %STEP% %KB%: installed, restart required",
    "exit /b 0",
    ":rc_already",
    "call :log step %STEP% %KB%: already installed",
    "exit /b 0",
    ":rc_not_applicable",
    "call :log step %STEP% %KB%: not applicable to this host - check it is the package for this architecture",
    "exit /b 0",
    ":no_package",
    "call :log step %STEP% %KB%: no *kb%~1*.msu next to this script - download %KB% for this architecture from the Microsoft Update Catalog",
    "exit /b 1",
    "",
    ":failed",
    "call :log stopped at step %STEP%. Fix the cause, restart if asked, then run: \"%~f0\" %STEP%",
    "exit /b 1",
    "",
    ":wrong_arch",
    "call :log this script is for another architecture - this machine is %ARCH%",
    "exit /b 2",
    ":wrong_build",
    WRONG_BUILD_MARK,
    "ver",
    "exit /b 2",
    ":bad_start",
    "call :log no step %START% in this plan",
    "exit /b 2",
    ":restart_pending",
    "call :log a restart is pending - Component Based Servicing RebootPending exists. Restart the server, then run: \"%~f0\" %START%",
    "exit /b 3010",
    "",
    ":log",
    ">> \"%LOG%\" echo [%DATE% %TIME%] %*",
    "echo %*",
    "exit /b 0",
];

/// Puts the OS's words into the script's lines: the wrong-build message for
/// [`WRONG_BUILD_MARK`], and R2's ESU preparation package (KB4538483) in
/// place of 2008's (KB4538484).
fn fill_in_os(l: &mut [String], r2: bool) {
    let (wrong_build, esu_kb) =
        (format!("call :log {}", wrong_build_message(r2)), if r2 { "KB4538483" } else { "KB4538484" });
    for line in l.iter_mut() {
        if line == WRONG_BUILD_MARK {
            *line = wrong_build.clone();
        } else if line.contains("ESU preparation package KB4538484") {
            *line = line.replace("KB4538484", esu_kb);
        }
    }
}

/// The lines that jump to `:wrong_build` unless `ver` shows the plan's OS.
/// `ver` prints the NT version: 6.0.6002/6003 on 2008 SP2 (not 6001, the
/// release as shipped), 6.1.7601 on 2008 R2 SP1. With `rtm_too` the build
/// before the service pack passes as well (6001 on 2008, 7600 on R2): the
/// plan installs the service pack first, or the host is still at that build.
fn ver_check(r2: bool, rtm_too: bool) -> Vec<String> {
    let (want, refuse) = match (r2, rtm_too) {
        (false, false) => ("6.0.600", Some("6.0.6001")),
        (false, true) => ("6.0.600", None),
        (true, false) => ("6.1.7601", None),
        (true, true) => ("6.1.760", None),
    };
    let mut l = vec![format!("ver | find \"{want}\" >nul"), "if errorlevel 1 goto :wrong_build".to_string()];
    if let Some(r) = refuse {
        l.push(format!("ver | find \"{r}\" >nul"));
        l.push("if not errorlevel 1 goto :wrong_build".into());
    }
    l
}

/// What a script says on another OS or build than its plan's.
fn wrong_build_message(r2: bool) -> &'static str {
    if r2 {
        "this machine is not Windows Server 2008 R2 SP1 - build 7601 expected"
    } else {
        "this machine is not Windows Server 2008 SP2 - build 6002 or 6003 expected"
    }
}

/// Replaced by the OS's wrong-build message in `install.cmd`.
const WRONG_BUILD_MARK: &str = "\u{0}wrong-build";

/// `rollback.cmd` for `plan`: removes its updates in reverse order.
pub fn rollback_cmd(p: &Plan) -> String {
    let host = safe(p.host.as_deref().unwrap_or("this host"));
    let mut l: Vec<String> = vec![
        "@echo off".into(),
        "setlocal EnableExtensions".into(),
        format!(
            "rem rollback.cmd for {host}: removes what install.cmd installed, newest first. Generated by w2k8 plan."
        ),
        format!("rem Remove updates in the reverse order of installation ({REVERSE_ORDER_SOURCE})."),
        format!("rem Servicing stack updates are permanent and cannot be removed ({SSU_PERMANENT_SOURCE})."),
        "set \"LOG=%~dp0w2k8-rollback.log\"".into(),
        "if not defined W2K8_WUSA set \"W2K8_WUSA=wusa.exe\"".into(),
        "call :log rollback.cmd started".into(),
    ];
    let steps: Vec<(&Step, u32)> = kb_steps(p).collect();
    for (s, n) in steps.iter().rev() {
        l.push(String::new());
        if s.kind == StepKind::Update(UpdateKind::Ssu) {
            l.push(format!("call :log KB{n} is a servicing stack update: it cannot be removed. To undo it, restore the backup or VM snapshot taken before install.cmd"));
            continue;
        }
        l.push(format!("rem KB{n} {}: {}", s.kind, safe(&s.title)));
        l.push(format!("set \"KB=KB{n}\""));
        l.push(format!("call :log removing KB{n}: %W2K8_WUSA% /uninstall /kb:{n} /quiet /norestart"));
        l.push(format!("%W2K8_WUSA% /uninstall /kb:{n} /quiet /norestart"));
        l.push("call :check %ERRORLEVEL%".into());
        l.push("if errorlevel 1 goto :failed".into());
    }
    if steps.iter().any(|(s, _)| s.kind == StepKind::Update(UpdateKind::Sha2)) {
        l.push(String::new());
        l.push(
            "call :log note: without KB4474419 updates released from July 2019 no longer install - KB4472027".into(),
        );
    }
    l.extend(ROLLBACK_SUBROUTINES.iter().map(|s| s.to_string()));
    crlf(&l)
}

/// `rollback.cmd`'s end and subroutines: `:check` (read wusa's exit code),
/// `:failed` and `:log`.
const ROLLBACK_SUBROUTINES: &[&str] = &[
    "",
    "call :log rollback done - restart the server to complete it",
    "exit /b 3010",
    "",
    ":check",
    "set \"RC=%~1\"",
    "if \"%RC%\"==\"0\" goto :rc_removed",
    "if \"%RC%\"==\"3010\" goto :rc_removed_restart",
    "if \"%RC%\"==\"2359303\" goto :rc_not_installed",
    "cmd /c exit %RC%",
    "call :log %KB%: FAILED, wusa exit code %RC% = 0x%=ExitCode%",
    "exit /b 1",
    ":rc_removed",
    "call :log %KB% removed",
    "exit /b 0",
    ":rc_removed_restart",
    "call :log %KB% removed, restart required",
    "exit /b 0",
    ":rc_not_installed",
    "call :log %KB% was not installed - 0x00240007 WU_S_ALREADY_UNINSTALLED",
    "exit /b 0",
    "",
    ":failed",
    "call :log stopped at %KB%: remove it by hand, or restore the backup taken before install.cmd",
    "exit /b 1",
    "",
    ":log",
    ">> \"%LOG%\" echo [%DATE% %TIME%] %*",
    "echo %*",
    "exit /b 0",
];

#[cfg(test)]
mod tests {
    use super::{install_step, safe};
    use w2k8_assess::plan::{Step, StepKind};

    fn manual(order: usize, restart_after: bool) -> Step {
        Step {
            order,
            kb: None,
            title: "Install and activate the ESU key".into(),
            kind: StepKind::EsuKey,
            released: None,
            month_only: false,
            file: None,
            download: None,
            reboot: restart_after,
            reboot_note: String::new(),
            restart_after,
            requires: Vec::new(),
            satisfied: false,
            known_issues: Vec::new(),
            caveats: Vec::new(),
            why: String::new(),
            source: Vec::new(),
        }
    }

    /// Written by hand: a manual step that needs a restart says so before
    /// `exit /b 4`, and nothing follows the exit (the restart lines came
    /// after it, where they never ran).
    #[test]
    fn a_manual_step_says_its_restart_before_it_stops() {
        let l = install_step(&manual(3, true), 5);
        assert_eq!(l.last().map(String::as_str), Some("exit /b 4"));
        assert_eq!(l.iter().filter(|x| x.starts_with("exit /b")).count(), 1, "{l:?}");
        assert!(l.contains(&"call :log restart required before step 4".to_string()), "{l:?}");
        assert!(l.contains(&"echo When it is done, restart the server, then run: \"%~f0\" 4".to_string()), "{l:?}");
        let last = install_step(&manual(5, true), 5);
        assert!(last.contains(&"echo When it is done, restart the server to finish.".to_string()), "{last:?}");
        let plain = install_step(&manual(3, false), 5);
        assert!(plain.contains(&"echo When it is done, run: \"%~f0\" 4".to_string()), "{plain:?}");
        assert!(!plain.iter().any(|x| x.contains("restart")), "{plain:?}");
    }

    #[test]
    fn titles_become_ascii_a_console_reads_alike() {
        // Microsoft's rollup title form, with its em dash and a no-break space.
        assert_eq!(
            safe("January 14, 2020\u{2014}KB4534303 (Monthly\u{a0}Rollup)"),
            "January 14, 2020-KB4534303  Monthly Rollup "
        );
        assert_eq!(safe("Microsoft\u{2019}s \u{201C}update\u{201D}"), "Microsoft's  update ");
        // Escapes, bidirectional overrides and other non-ASCII: `?`.
        assert_eq!(safe("a\u{1b}]0;x\u{7}b\u{202e}c\u{e9}"), "a?]0;x?b?c?");
        assert_eq!(safe("x & y | z"), "x   y   z");
    }
}
