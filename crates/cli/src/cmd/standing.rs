//! `w2k8 standing BUNDLE`: where a Windows Server 2008 host stands.
use crate::common::{print, Format, HostArgs};
use w2k8_catalog::Catalog;

/// Arguments of `standing`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    host: HostArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Runs `standing`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let host = a.host.load()?;
    let catalog = Catalog::current()?;
    let today = a.host.today();
    let json = matches!(a.format, Format::Json);
    let standing = w2k8_assess::standing(&host, catalog, today)
        .map_err(|e| crate::common::not_assessed(e, &host, &a.host.bundle, json))?;
    match a.format {
        Format::Table => crate::common::print_fitted(&w2k8_report::standing::text(&standing)),
        Format::Json => print(&w2k8_report::json(&w2k8_report::versioned::versioned(&standing))),
    }
}
