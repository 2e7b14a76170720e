//! `w2k8 assess BUNDLE`: what a Windows Server 2008 host is missing, which
//! CVEs are open on it, and what the data cannot tell.
//!
//! Exit codes: 0 nothing counts under `--fail-on` (default `any`: nothing
//! missing, no open CVE, no blocking finding, after the filters; accepted
//! risks and, with `--ignore-unfixed`, CVEs with no fix available never
//! count), 1 findings, 2 bad input (also a bad `w2k8.toml`), 3 not a
//! supported OS.
use crate::common::{print, Findings, HostArgs};
use clap::ValueEnum;
use w2k8_assess::accepted::FailOn;
use w2k8_assess::{Options, Programme};
use w2k8_catalog::{Catalog, Severity};

/// Output format of `assess`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum AssessFormat {
    /// Readable tables.
    Table,
    /// One JSON object: the standing fields plus missing, exposure, unknown.
    Json,
    /// One row per finding.
    Csv,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// OpenVEX v0.2.0: the accepted risks (affected, with the acceptance as
    /// action statement) and the CVEs a documented mitigation shows not
    /// reachable (not_affected).
    Openvex,
}

/// `--min-severity` values.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MinSeverity {
    /// Low and above.
    Low,
    /// Moderate and above.
    Moderate,
    /// Important and above.
    Important,
    /// Critical only.
    Critical,
}

impl MinSeverity {
    fn floor(self) -> Severity {
        match self {
            MinSeverity::Low => Severity::Low,
            MinSeverity::Moderate => Severity::Moderate,
            MinSeverity::Important => Severity::Important,
            MinSeverity::Critical => Severity::Critical,
        }
    }
}

/// `--esu` values.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum EsuProgramme {
    /// No paid programme: updates to 2020-01-14.
    None,
    /// ESU years 1-3: to 2023-01-10.
    Esu,
    /// ESU with the Azure-only year 4: to 2024-01-09.
    Azure,
    /// Premium support contract: everything in the data (to 2026-01-13).
    Premium,
}

/// `--fail-on` values.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FailOnArg {
    /// An open CVE in CISA KEV.
    Kev,
    /// An open CVE rated Critical by MSRC, or in CISA KEV.
    Critical,
    /// A missing update, an open CVE or a blocking finding (e.g. below Service Pack 2).
    Any,
    /// Never: exit 0 whatever is found (bad input and unsupported hosts still exit 2 and 3).
    None,
}

impl FailOnArg {
    fn rule(self) -> FailOn {
        match self {
            FailOnArg::Kev => FailOn::Kev,
            FailOnArg::Critical => FailOn::Critical,
            FailOnArg::Any => FailOn::Any,
            FailOnArg::None => FailOn::None,
        }
    }
}

/// Arguments of `assess`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    host: HostArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AssessFormat::Table)]
    format: AssessFormat,
    /// Only CVEs in CISA's Known Exploited Vulnerabilities catalog (and the updates that close them).
    #[arg(long)]
    kev_only: bool,
    /// Only CVEs of at least this MSRC severity.
    #[arg(long, value_enum)]
    min_severity: Option<MinSeverity>,
    /// Only CVEs with a public exploit or in CISA KEV.
    #[arg(long)]
    exploited: bool,
    /// The paid programme the host is in, which decides which post-January-2020 updates count
    /// (default: inferred from what is installed, and stated in the output).
    #[arg(long, value_enum)]
    esu: Option<EsuProgramme>,
    /// Which findings make the exit code 1. Accepted risks never count; the
    /// findings are listed whatever this says.
    #[arg(long, value_enum, default_value_t = FailOnArg::Any)]
    fail_on: FailOnArg,
    /// CVEs with no fix available to the host's programme do not count for
    /// the exit code (they are still listed, with status no_fix_available_to_you).
    #[arg(long)]
    ignore_unfixed: bool,
    /// The accepted-risks file (default: w2k8.toml in the working directory, when there is one).
    #[arg(long, value_name = "PATH")]
    config: Option<std::path::PathBuf>,
    /// Also the accepted risks recorded in this fleet database (`w2k8 accept`): a SQLite file or a postgres:// URL.
    #[arg(long, value_name = "DB")]
    db: Option<String>,
    /// The author of an OpenVEX document (`--format openvex`): the person or
    /// organisation who stands behind it, as the spec asks.
    #[arg(long, value_name = "NAME", default_value = "w2k8")]
    vex_author: String,
}

/// Runs `assess`.
pub fn run(a: Args) -> anyhow::Result<()> {
    // A bad acceptance file is bad input before anything is read.
    let acceptances = crate::cmd::accept::load(a.config.as_deref(), a.db.as_deref())?;
    let host = a.host.load()?;
    // The embedded catalog with the user's imported overlay, if any (`w2k8 catalog import`).
    let catalog = Catalog::current()?;
    let today = a.host.today();
    let programme = a.esu.map(|e| match e {
        EsuProgramme::None => Programme::None,
        EsuProgramme::Esu => Programme::Esu,
        EsuProgramme::Azure => Programme::Azure,
        EsuProgramme::Premium => Programme::Premium,
    });
    let json = matches!(a.format, AssessFormat::Json);
    let mut assessment = w2k8_assess::assess(&host, catalog, today, &Options { programme })
        .map_err(|e| crate::common::not_assessed(e, &host, &a.host.bundle, json))?;
    if a.kev_only || a.min_severity.is_some() || a.exploited {
        let floor = a.min_severity.map(MinSeverity::floor);
        let (kev_only, exploited) = (a.kev_only, a.exploited);
        assessment.filter(|e| {
            (!kev_only || e.kev.is_some())
                && (!exploited || e.kev.is_some() || !e.exploits.is_empty())
                && floor.is_none_or(|f| e.severity >= f)
        });
    }
    w2k8_assess::accepted::apply(&mut assessment, &acceptances, today);
    let gate = w2k8_assess::accepted::gate(&assessment, a.fail_on.rule(), a.ignore_unfixed);
    let base = a.host.bundle.display().to_string();
    match a.format {
        AssessFormat::Table => {
            let term = crate::common::term();
            print(&w2k8_report::assessment::text_with(&assessment, &term))?;
            print(&w2k8_report::accepted::text_with(&assessment, &gate, &term))?;
        }
        AssessFormat::Json => {
            let answer = w2k8_report::accepted::WithGate { assessment: &assessment, gate: &gate };
            crate::common::print_json(&w2k8_report::versioned::versioned(&answer))?
        }
        AssessFormat::Csv => print(&w2k8_report::csv::csv(&assessment))?,
        AssessFormat::Sarif => print(&w2k8_report::sarif::sarif(&assessment, &base))?,
        AssessFormat::Openvex => {
            // Reproducible with --as-of: the document's time is that day's start.
            let at = a.host.as_of.map(w2k8_core::Timestamp::midnight).unwrap_or_else(w2k8_store::now_utc).to_string();
            crate::common::print_json(&w2k8_report::openvex::openvex(&assessment, &a.vex_author, &at))?
        }
    }
    if gate.fails {
        Err(Findings.into())
    } else {
        Ok(())
    }
}
