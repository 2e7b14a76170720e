//! `w2k8`: the command line. Parses arguments, wires the library crates
//! together, prints, and maps outcomes to the documented exit codes:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done |
//! | 2 | bad input (unreadable, not a recognised format, bad arguments) |
//! | 3 | the host runs a Windows version `w2k8` does not assess (named in the message) |
use anyhow::{anyhow, Context};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use w2k8_catalog::Catalog;
use w2k8_core::{Date, Kb};
use w2k8_inventory::{LoadOptions, TextEncoding};

/// Where a Windows Server 2008 machine stands, and what to do next, from what
/// an administrator collected on it. Works offline.
#[derive(Parser)]
#[command(name = "w2k8", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Where this machine stands: product, edition, build 6002/6003, kernel
    /// branch, latest rollup ("patched through"), SSU, SHA-2, ESU preparation.
    Standing {
        /// A host bundle: a folder, a .zip, or a single systeminfo/wmic/reg output file.
        bundle: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Force the text encoding of every input file (e.g. cp850, cp866, utf-16le) instead of detecting it.
        #[arg(long, value_parser = parse_encoding)]
        encoding: Option<TextEncoding>,
        /// Compute as of this date (YYYY-MM-DD) instead of today, for reproducible reports.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
    },
    /// Print the catalog record of an update, with its sources.
    Kb {
        /// A KB number: KB4493471 or 4493471.
        kb: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print the catalog record of a CVE, with its fixes, KEV status and sources.
    Cve {
        /// A CVE id: CVE-2019-0708.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print the collector script (collect.cmd) to run on the Windows Server 2008 machine.
    Collector,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Readable text.
    Table,
    /// One JSON object.
    Json,
}

fn parse_encoding(s: &str) -> Result<TextEncoding, String> {
    s.parse::<TextEncoding>().map_err(|e| e.to_string())
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

/// An outcome that is not an error but has its own exit code.
#[derive(Debug)]
struct Unsupported(String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(u) = e.downcast_ref::<Unsupported>() {
                eprintln!("w2k8: unsupported: {u}");
                return ExitCode::from(3);
            }
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("w2k8: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Standing { bundle, format, encoding, as_of } => {
            let opts = LoadOptions { encoding, ..LoadOptions::default() };
            let host = w2k8_inventory::load(&bundle, &opts).map_err(|e| anyhow!("{e}"))?;
            let catalog = Catalog::embedded();
            let today = as_of.unwrap_or_else(Date::today_utc);
            let standing = w2k8_assess::standing(&host, catalog, today).map_err(|e| match e {
                w2k8_assess::NotAssessed::Unsupported(_) => anyhow::Error::new(Unsupported(e.to_string())),
                other => anyhow!("{}: {other}", bundle.display()),
            })?;
            match format {
                Format::Table => print(&w2k8_report::standing::text(&standing)),
                Format::Json => print(&w2k8_report::json(&standing)),
            }
        }
        Command::Kb { kb, format } => {
            let kb: Kb = kb.parse().map_err(|e| anyhow!("{e}"))?;
            let catalog = Catalog::embedded();
            let u = catalog.update(kb).with_context(|| format!("{kb} is not in the catalog (Windows Server 2008 / 2008 R2 updates from MSRC and Microsoft's servicing pages)"))?;
            match format {
                Format::Table => print(&w2k8_report::catalog::update(u, catalog)),
                Format::Json => print(&w2k8_report::json(u)),
            }
        }
        Command::Cve { id, format } => {
            let catalog = Catalog::embedded();
            let valid = id.len() > 8 && id[..4].eq_ignore_ascii_case("CVE-");
            if !valid {
                return Err(anyhow!("expected a CVE id like CVE-2019-0708, got {id:?}"));
            }
            let c = catalog.cve(&id).with_context(|| format!("{id} is not in the catalog: it does not affect Windows Server 2008 / 2008 R2 according to MSRC data"))?;
            match format {
                Format::Table => print(&w2k8_report::catalog::cve(c, catalog)),
                Format::Json => print(&w2k8_report::json(c)),
            }
        }
        Command::Collector => print(w2k8_inventory::collector::COLLECT_CMD),
    }
}
