//! `w2k8 plan BUNDLE`: the ordered, restart-grouped install plan for a
//! Windows Server 2008 SP2 host, with the failures it would meet as it is now.
//!
//! Exit codes: 0 nothing to install and nothing left open, 1 a plan with
//! steps (or CVEs no update available to the host fixes), 2 bad input, 3 not
//! a supported OS.
use crate::cmd::assess::EsuProgramme;
use crate::common::{print, Findings, HostArgs, Unsupported};
use anyhow::anyhow;
use clap::ValueEnum;
use w2k8_assess::plan::{Plan, PlanOptions};
use w2k8_assess::subnet::Subnets;
use w2k8_assess::{Options, Programme};
use w2k8_catalog::Catalog;
use w2k8_core::{Arch, Date};

/// Output format of `plan`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PlanFormat {
    /// Readable text.
    Table,
    /// One JSON object: steps, reboots, predicted_failures, final_state, ...
    Json,
    /// Markdown, for a change ticket.
    Markdown,
}

/// The options `plan` and `script` share.
#[derive(clap::Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub(crate) host: HostArgs,
    /// Install nothing released after this month (YYYY-MM).
    #[arg(long, value_parser = parse_month)]
    pub(crate) until: Option<Date>,
    /// The paid programme the host is in, which decides how far the plan goes
    /// (default: inferred from what is installed, and stated in the output).
    #[arg(long, value_enum)]
    pub(crate) esu: Option<EsuProgramme>,
    /// Your management subnet(s), e.g. `10.0.50.0/24` (several separated by commas): the isolation plan's
    /// firewall rules then admit only these addresses to the ports they restrict (RPC 135, SMB 445, RDP 3389,
    /// WinRM 5985/5986 where they listen) instead of closing them.
    #[arg(long, value_name = "SUBNETS", value_parser = parse_subnets)]
    pub(crate) allow_from: Option<Subnets>,
}

fn parse_subnets(s: &str) -> Result<Subnets, String> {
    Subnets::parse(s).map_err(|e| e.to_string())
}

/// Arguments of `plan`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    plan: PlanArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
    format: PlanFormat,
    /// Print only the packages to fetch, in install order, each with its Microsoft Update Catalog search.
    #[arg(long, conflicts_with = "format")]
    manifest: bool,
}

/// `YYYY-MM` -> the last day of that month.
fn parse_month(s: &str) -> Result<Date, String> {
    let bad = || format!("expected a month as YYYY-MM, got `{s}`");
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if !(1..=12).contains(&m) || y.to_string().len() != 4 {
        return Err(bad());
    }
    let next = if m == 12 { Date::new(y + 1, 1, 1) } else { Date::new(y, m + 1, 1) };
    next.map(|d| Date::from_days(d.to_days() - 1)).ok_or_else(bad)
}

impl PlanArgs {
    /// Loads the bundle, assesses it and plans; also returns the host's architecture.
    pub(crate) fn build(&self) -> anyhow::Result<(Plan, Option<Arch>)> {
        let host = self.host.load()?;
        let catalog = Catalog::current()?;
        let programme = self.esu.map(|e| match e {
            EsuProgramme::None => Programme::None,
            EsuProgramme::Esu => Programme::Esu,
            EsuProgramme::Azure => Programme::Azure,
            EsuProgramme::Premium => Programme::Premium,
        });
        let a =
            w2k8_assess::assess(&host, catalog, self.host.today(), &Options { programme }).map_err(|e| match e {
                w2k8_assess::NotAssessed::Unsupported(_) => anyhow::Error::new(Unsupported(e.to_string())),
                other => anyhow!("{}: {other}", self.host.bundle.display()),
            })?;
        let arch = a.standing.arch;
        let p = w2k8_assess::plan(
            &a,
            &host,
            catalog,
            &PlanOptions { until: self.until, allow_from: self.allow_from.clone() },
            &w2k8_scan::error_info,
        );
        Ok((p, arch))
    }
}

/// Runs `plan`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let (p, arch) = a.plan.build()?;
    if a.manifest {
        return print(&w2k8_report::plan::manifest(&p, arch));
    }
    match a.format {
        PlanFormat::Table if crate::common::term().quiet() => print(&w2k8_report::plan::summary(&p))?,
        PlanFormat::Table => crate::common::print_fitted(&w2k8_report::plan::text(&p))?,
        PlanFormat::Json => print(&w2k8_report::json(&w2k8_report::versioned::versioned(&p)))?,
        PlanFormat::Markdown => print(&w2k8_report::plan::markdown(&p))?,
    }
    if p.steps.is_empty() && p.cannot_patch_further.is_none() {
        Ok(())
    } else {
        Err(Findings.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        assert_eq!(parse_month("2020-06").unwrap().to_string(), "2020-06-30");
        assert_eq!(parse_month("2024-02").unwrap().to_string(), "2024-02-29");
        assert_eq!(parse_month("2023-12").unwrap().to_string(), "2023-12-31");
        for bad in ["2020", "2020-13", "20-01", "2020-00", "x-y", ""] {
            assert!(parse_month(bad).is_err(), "{bad}");
        }
    }
}
