//! `w2k8 standing BUNDLE`: where a Windows Server 2008 host stands.
use crate::common::{print, Format, HostArgs, Unsupported};
use anyhow::anyhow;
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
    let standing = w2k8_assess::standing(&host, catalog, today).map_err(|e| match e {
        w2k8_assess::NotAssessed::Unsupported(_) => anyhow::Error::new(Unsupported(e.to_string())),
        other => anyhow!("{}: {other}", a.host.bundle.display()),
    })?;
    match a.format {
        Format::Table => print(&w2k8_report::standing::text(&standing)),
        Format::Json => print(&w2k8_report::json(&standing)),
    }
}
