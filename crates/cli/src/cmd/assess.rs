//! `w2k8 assess BUNDLE`: what a Windows Server 2008 host is missing, which
//! CVEs are open on it, and what the data cannot tell.
//!
//! Exit codes: 0 nothing missing and no open CVE (after the filters), 1
//! findings, 2 bad input, 3 not a supported OS.
use crate::common::{print, Findings, HostArgs};
use clap::ValueEnum;
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
}

/// Runs `assess`.
pub fn run(a: Args) -> anyhow::Result<()> {
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
    let base = a.host.bundle.display().to_string();
    match a.format {
        AssessFormat::Table => print(&w2k8_report::assessment::text(&assessment))?,
        AssessFormat::Json => crate::common::print_json(&w2k8_report::versioned::versioned(&assessment))?,
        AssessFormat::Csv => print(&w2k8_report::csv::csv(&assessment))?,
        AssessFormat::Sarif => print(&w2k8_report::sarif::sarif(&assessment, &base))?,
    }
    if assessment.is_clean() {
        Ok(())
    } else {
        Err(Findings.into())
    }
}
