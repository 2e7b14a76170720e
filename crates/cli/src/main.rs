//! `w2k8`: the command line. Parses arguments, wires the library crates
//! together, prints, and maps outcomes to the documented exit codes:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done |
//! | 1 | findings: `assess` found what `--fail-on` counts (default: missing updates, open CVEs; accepted risks never count) (like cargo-audit, for CI gates) |
//! | 2 | bad input (unreadable, not a recognised format, bad arguments) |
//! | 3 | the host runs a Windows version `w2k8` does not assess (named in the message) |
//! | 4 | `scan`: some bundles failed; the others are stored |
//!
//! Each subcommand lives in its own module under `cmd/` with an `Args`
//! struct and a `run` function; this file only dispatches.
use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod cmd;
mod common;

/// mimalloc: the assessment allocates many small objects per host, and with
/// glibc's malloc a quarter of a 10,000-host scan's time went to malloc/free
/// (perf); mimalloc cut the scan's CPU time by about a quarter.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where a Windows Server 2008 machine stands, and what to do next, from what
/// an administrator collected on it. Works offline.
#[derive(Parser)]
#[command(name = "w2k8", version, about, long_about = None, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    output: common::OutputArgs,
}

/// The exit codes, shown under `--help`.
const EXIT_CODES: &str = "Exit codes:
  0  done
  1  findings: assess found what --fail-on counts (default any: missing updates, open CVEs,
     blocking findings; accepted risks and, with --ignore-unfixed, CVEs with no fix never count)
  2  bad input: unreadable, not a recognised format, bad arguments, a bad w2k8.toml
  3  the host runs a Windows version w2k8 does not assess (named in the message)
  4  scan: some bundles were not assessed; the others are stored";

/// The subcommands, in the order of the work: collect, judge, plan, patch,
/// diagnose; then the fleet; then the catalog and getting off 2008.
#[derive(Subcommand)]
enum Command {
    /// Print the collector script (collect.cmd) to run on the Windows Server 2008 machine.
    Collector,
    /// Where this machine stands: product, edition, build 6002/6003, kernel
    /// branch, latest rollup ("patched through"), SSU, SHA-2, ESU preparation.
    Standing(cmd::standing::Args),
    /// What is missing and what is open: supersedence-aware missing updates, open CVEs with KEV and exploits.
    Assess(cmd::assess::Args),
    /// Accepted risks in the fleet database: record one (CVE or KB, hosts, reason, owner, last day), --list, --remove ID.
    Accept(cmd::accept::Args),
    /// How to patch it without breaking it: ordered steps, reboots, predicted failures.
    Plan(cmd::plan::Args),
    /// The install.cmd or rollback.cmd that carries out the plan on the server.
    Script(cmd::script::Args),
    /// Why did an update fail: read CBS.log, WindowsUpdate.log, CheckSUR.log.
    Diagnose(cmd::diagnose::Args),
    /// Explain an error code (0x800f0922, 800F0922, -2146498270, CBS_E_INSTALLERS_FAILED, 3010).
    Explain(cmd::explain::Args),
    /// Print the catalog record of an update, with its sources.
    Kb(cmd::catalog::KbArgs),
    /// Print the catalog record of a CVE, with its fixes, KEV status and sources.
    Cve(cmd::catalog::CveArgs),
    /// Scan host bundles (folders, .zip files, or folders of them) into a fleet database.
    Scan(cmd::scan::Args),
    /// One line per host of a fleet database: build, patched through, missing, KEV.
    Hosts(cmd::hosts::Args),
    /// Every scan of one host and what changed between them.
    History(cmd::history::Args),
    /// Fleet-wide changes: what got patched, what newly became exposed.
    Diff(cmd::diff::Args),
    /// A fleet report: one self-contained HTML file, or CSV, JSON, SARIF.
    Report(cmd::report::Args),
    /// The fleet on the web: an authenticated JSON API (OpenAPI at /openapi.json) and a dashboard.
    Serve(cmd::serve::Args),
    /// The fleet database: `db migrate` creates or migrates its schema, and copies a SQLite fleet into it.
    Db(cmd::db::Args),
    /// What the embedded catalog holds, and offline updates to it (KEV, WES-NG definitions).
    Catalog(cmd::catalog_admin::Args),
    /// How to get off Windows Server 2008: upgrade chains, side-by-side and cloud paths.
    Migrate(cmd::migrate::Args),
    /// Lifecycle dates of Windows Server 2003 .. 2025.
    Lifecycle(cmd::lifecycle::Args),
    /// Write a synthetic fleet of host bundles (for demos, tests and benchmarks).
    DemoFleet(cmd::demo_fleet::Args),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    Completions(cmd::completions::Args),
    /// Print the manual page (roff), e.g. `w2k8 man > w2k8.1`.
    Man,
}

/// The command line's definition, with the catalog's dates in `--version`.
pub(crate) fn command() -> clap::Command {
    let v = w2k8_catalog::data_version();
    let long: &'static str = Box::leak(
        format!(
            "{} (catalog: msrc {}, kev {}, servicing {}; JSON schema {})",
            env!("CARGO_PKG_VERSION"),
            v.msrc,
            v.kev,
            v.servicing,
            w2k8_report::versioned::SCHEMA_VERSION
        )
        .into_boxed_str(),
    );
    <Cli as clap::CommandFactory>::command().version(long)
}

fn main() -> ExitCode {
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&command().get_matches()) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    common::set_term(cli.output.term());
    // The answers of these commands depend on how current the catalog is.
    let judged = matches!(
        cli.command,
        Command::Standing(_)
            | Command::Assess(_)
            | Command::Plan(_)
            | Command::Kb(_)
            | Command::Cve(_)
            | Command::Scan(_)
            | Command::Hosts(_)
            | Command::Report(_)
    );
    let result = match cli.command {
        Command::Standing(a) => cmd::standing::run(a),
        Command::Assess(a) => cmd::assess::run(a),
        Command::Accept(a) => cmd::accept::run(a),
        Command::Catalog(a) => cmd::catalog_admin::run(a),
        Command::Scan(a) => cmd::scan::run(a),
        Command::Hosts(a) => cmd::hosts::run(a),
        Command::History(a) => cmd::history::run(a),
        Command::Diff(a) => cmd::diff::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Db(a) => cmd::db::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::DemoFleet(a) => cmd::demo_fleet::run(a),
        Command::Kb(a) => cmd::catalog::run_kb(a),
        Command::Cve(a) => cmd::catalog::run_cve(a),
        Command::Plan(a) => cmd::plan::run(a),
        Command::Script(a) => cmd::script::run(a),
        Command::Diagnose(a) => cmd::diagnose::run(a),
        Command::Explain(a) => cmd::explain::run(a),
        Command::Migrate(a) => cmd::migrate::run(a),
        Command::Completions(a) => cmd::completions::run(a, command()),
        Command::Man => cmd::completions::man(command()),
        Command::Lifecycle(a) => cmd::lifecycle::run(a),
        Command::Collector => common::print(w2k8_inventory::collector::COLLECT_CMD),
    };
    if judged
        && (result.is_ok() || result.as_ref().err().is_some_and(|e| e.downcast_ref::<common::Findings>().is_some()))
    {
        common::warn_if_stale();
    }
    common::exit(result)
}
