//! What every subcommand shares: output formats, argument parsers, printing,
//! and the mapping from outcomes to exit codes.
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use w2k8_core::Date;
use w2k8_inventory::{Host, LoadOptions, TextEncoding};

/// `--color` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when stdout is a terminal and `NO_COLOR` is not set (and `TERM` is not `dumb`).
    Auto,
    /// Always colour, even into a file or a pipe (overrides `NO_COLOR`).
    Always,
    /// Never colour.
    Never,
}

/// The options every command shares: how text output fits the console.
#[derive(clap::Args, Debug)]
pub struct OutputArgs {
    /// Fit text output into N columns, 0 for no limit (default: the terminal's width; when stdout
    /// is not a terminal, $COLUMNS if set, else no limit: one line per table row).
    #[arg(long, global = true, value_name = "N")]
    width: Option<usize>,
    /// Colour severities and KEV entries in text output: auto (only when stdout is a terminal;
    /// NO_COLOR turns it off), always, never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    /// Print only the essentials (assess: the standing and summary lines and the exit-code line; plan: the
    /// updates in order and what stays open; hosts: the count line; diff: the totals; explain: one line per
    /// code; the other text outputs: their first block).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more (e.g. assess: every open CVE and unknown update, download links; diff: every CVE id).
    #[arg(short, long, global = true)]
    verbose: bool,
}

impl OutputArgs {
    /// The console the text writers write for, from the options, the
    /// environment (`NO_COLOR`, `COLUMNS`, `TERM`) and whether stdout is a terminal.
    pub fn term(&self) -> w2k8_report::term::Term {
        use std::io::IsTerminal;
        let tty = std::io::stdout().is_terminal();
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let width = match self.width {
            Some(0) => None,
            Some(w) => Some(w),
            None => {
                let from_tty =
                    if tty { console::Term::stdout().size_checked().map(|(_, cols)| usize::from(cols)) } else { None };
                from_tty.or_else(|| env("COLUMNS").and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c > 0))
            }
        };
        let color = colour(self.color, tty, env("NO_COLOR").is_some(), env("TERM").as_deref());
        let verbosity = if self.quiet {
            w2k8_report::term::Verbosity::Quiet
        } else if self.verbose {
            w2k8_report::term::Verbosity::Verbose
        } else {
            w2k8_report::term::Verbosity::Normal
        };
        w2k8_report::term::Term { width, color, verbosity }
    }
}

/// Whether to colour: `--color always` and `never` decide; `auto` colours a
/// terminal unless `NO_COLOR` is set (to anything but the empty string,
/// <https://no-color.org>) or `TERM` is `dumb`. A file or a pipe is never
/// coloured unless asked with `always`.
fn colour(when: ColorWhen, tty: bool, no_color: bool, term: Option<&str>) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => tty && !no_color && term != Some("dumb"),
    }
}

#[cfg(test)]
mod tests {
    use super::{colour, ColorWhen};

    #[test]
    fn quiet_keeps_the_first_block() {
        assert_eq!(super::headline("A: x\n  b 1\n\nSteps\n  c\n"), "A: x\n  b 1\n");
        assert_eq!(super::headline("\nA\n\nB\n"), "A\n", "a leading empty line is not the end");
        assert_eq!(super::headline("one line"), "one line\n");
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour(ColorWhen::Auto, true, false, Some("xterm-256color")));
        assert!(colour(ColorWhen::Auto, true, false, None));
        assert!(!colour(ColorWhen::Auto, true, true, Some("xterm")), "NO_COLOR");
        assert!(!colour(ColorWhen::Auto, true, false, Some("dumb")));
        assert!(!colour(ColorWhen::Auto, false, false, Some("xterm")), "a pipe or a file");
        assert!(colour(ColorWhen::Always, false, true, Some("dumb")), "asked for: the option wins over NO_COLOR");
        assert!(!colour(ColorWhen::Never, true, false, Some("xterm")));
    }
}

static TERM: std::sync::OnceLock<w2k8_report::term::Term> = std::sync::OnceLock::new();

/// Sets the console of this run (once, from `main`).
pub fn set_term(t: w2k8_report::term::Term) {
    let _ = TERM.set(t);
}

/// The console of this run ([`OutputArgs::term`]); plain when not set.
pub fn term() -> w2k8_report::term::Term {
    TERM.get().copied().unwrap_or_default()
}

/// Output format of the single-record commands.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// Readable text.
    Table,
    /// One JSON object.
    Json,
}

/// `--encoding` values.
pub fn parse_encoding(s: &str) -> Result<TextEncoding, String> {
    s.parse::<TextEncoding>().map_err(|e| e.to_string())
}

/// `--as-of` and other dates.
pub fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

/// The arguments every single-host command shares (`standing`, `assess`,
/// `migrate`): the bundle, a forced encoding, and the date to compute for.
#[derive(clap::Args)]
pub struct HostArgs {
    /// A host bundle: a folder, a .zip, or a single systeminfo/wmic/reg output file.
    pub bundle: PathBuf,
    /// Force the text encoding of every input file (e.g. cp850, cp866, utf-16le) instead of detecting it.
    #[arg(long, value_parser = parse_encoding)]
    pub encoding: Option<TextEncoding>,
    /// Compute as of this date (YYYY-MM-DD) instead of today, for reproducible reports.
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<Date>,
}

impl HostArgs {
    /// Reads the bundle into one host (bad input: exit code 2).
    pub fn load(&self) -> anyhow::Result<Host> {
        let opts = LoadOptions { encoding: self.encoding, ..LoadOptions::default() };
        Ok(w2k8_inventory::load(&self.bundle, &opts)?)
    }

    /// `--as-of`, or today (UTC).
    pub fn today(&self) -> Date {
        self.as_of.unwrap_or_else(Date::today_utc)
    }
}

/// The host runs a Windows version w2k8 does not assess: exit code 3.
#[derive(Debug)]
pub struct Unsupported(pub String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

/// The error of a host w2k8 does not assess: with `json`, the refusal is
/// printed on stdout first (`{"refused": true, "family", ...}`), so that a
/// script reading JSON gets an object; either way exit code 3 (2 when the
/// bundle does not say which Windows it is).
pub fn not_assessed(e: w2k8_assess::NotAssessed, host: &Host, bundle: &std::path::Path, json: bool) -> anyhow::Error {
    match e.refusal(host) {
        Some(r) => {
            if json {
                // The exit code and message below still say what happened if stdout is closed.
                let _ = print_json(&w2k8_report::versioned::versioned(&r));
            }
            anyhow::Error::new(Unsupported(e.to_string()))
        }
        None => anyhow::anyhow!("{}: {e}", bundle.display()),
    }
}

/// The command ran and found something to act on (missing updates, open
/// CVEs): exit code 1, with nothing more printed. Return it as the error of
/// `run` after printing the report.
#[derive(Debug)]
pub struct Findings;

impl std::fmt::Display for Findings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("findings")
    }
}

impl std::error::Error for Findings {}

/// Some bundles of a fleet scan failed or are not Windows Server 2008; the
/// others are stored and the summary lists them: exit code 4.
#[derive(Debug)]
pub struct PartialFailure;

impl std::fmt::Display for PartialFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("some bundles were not assessed")
    }
}

impl std::error::Error for PartialFailure {}

/// Writes `value` as pretty JSON (and a newline) to stdout, streamed: the
/// JSON of a badly patched host is over a megabyte, never held whole.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    w2k8_report::pretty_json::write(&mut out, value)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// Says on stderr when the catalog in effect is stale (KEV over 30 days,
/// MSRC over 45), with the command that refreshes it.
pub fn warn_if_stale() {
    let catalog = w2k8_catalog::Catalog::current().unwrap_or_else(|_| w2k8_catalog::Catalog::embedded());
    for w in catalog.freshness(w2k8_core::Date::today_utc()).warnings {
        eprintln!("w2k8: warning: {w}");
    }
}

/// Writes `text` to stdout.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Writes a text answer to stdout with its long lines wrapped at the
/// width of this run ([`w2k8_report::term::reflow`]; no width: unchanged).
/// For text without colour only: JSON, CSV, Markdown and scripts go through [`print()`].
///
/// With `-q`, only the first block (up to the first empty line: the
/// headline the command leads with) is printed, for the commands that have
/// no shorter form of their own.
pub fn print_fitted(text: &str) -> anyhow::Result<()> {
    let t = term();
    let text = if t.quiet() { headline(text) } else { text.to_string() };
    print(&w2k8_report::term::reflow(&text, &t))
}

/// The text up to its first empty line, ending with a newline.
fn headline(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if out.is_empty() {
                continue;
            }
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Maps a command's outcome to the documented exit code, printing the error chain.
pub fn exit(result: anyhow::Result<()>) -> ExitCode {
    let Err(e) = result else { return ExitCode::SUCCESS };
    if e.downcast_ref::<Findings>().is_some() {
        return ExitCode::from(1);
    }
    if e.downcast_ref::<PartialFailure>().is_some() {
        return ExitCode::from(4);
    }
    if let Some(u) = e.downcast_ref::<Unsupported>() {
        eprintln!("w2k8: unsupported: {u}");
        return ExitCode::from(3);
    }
    let broken_pipe = e
        .chain()
        .any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe));
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("w2k8: {e:#}");
    ExitCode::from(2)
}
