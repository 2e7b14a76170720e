//! `w2k8 kb KB…` and `w2k8 cve CVE-…`: catalog records with their sources.
use crate::common::{print, Format};
use anyhow::Context;
use w2k8_catalog::Catalog;
use w2k8_core::{CveId, Kb};

/// Arguments of `kb`.
#[derive(clap::Args)]
pub struct KbArgs {
    /// A KB number: KB4493471 or 4493471.
    kb: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Arguments of `cve`.
#[derive(clap::Args)]
pub struct CveArgs {
    /// A CVE id (CVE-2019-0708), or an MSRC advisory with updates (ADV190009).
    id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Runs `kb`.
pub fn run_kb(a: KbArgs) -> anyhow::Result<()> {
    let kb: Kb = a.kb.parse()?;
    let catalog = Catalog::current()?;
    let u = catalog.update(kb).with_context(|| {
        format!("{kb} is not in the catalog (Windows Server 2008 / 2008 R2 updates from MSRC and Microsoft's servicing pages)")
    })?;
    match a.format {
        Format::Table => crate::common::print_fitted(&w2k8_report::catalog::update(u, catalog)),
        Format::Json => print(&w2k8_report::json(&w2k8_report::versioned::versioned(u))),
    }
}

/// Runs `cve`.
pub fn run_cve(a: CveArgs) -> anyhow::Result<()> {
    let id: CveId = a.id.parse()?;
    let catalog = Catalog::current()?;
    let c = catalog.cve(id).with_context(|| {
        format!("{id} is not in the catalog: it does not affect Windows Server 2008 / 2008 R2 according to MSRC data")
    })?;
    match a.format {
        Format::Table => crate::common::print_fitted(&w2k8_report::catalog::cve(c, catalog)),
        Format::Json => print(&w2k8_report::json(&w2k8_report::versioned::versioned(c))),
    }
}
