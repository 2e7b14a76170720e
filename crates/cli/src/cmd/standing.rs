//! `w2k8 standing BUNDLE`: where a Windows Server 2008 host stands.
use crate::common::{parse_date, parse_encoding, print, Format, Unsupported};
use anyhow::anyhow;
use std::path::PathBuf;
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_inventory::{LoadOptions, TextEncoding};

/// Arguments of `standing`.
#[derive(clap::Args)]
pub struct Args {
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
}

/// Runs `standing`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let opts = LoadOptions { encoding: a.encoding, ..LoadOptions::default() };
    let host = w2k8_inventory::load(&a.bundle, &opts).map_err(|e| anyhow!("{e}"))?;
    let catalog = Catalog::current().map_err(|e| anyhow!("{e}"))?;
    let today = a.as_of.unwrap_or_else(Date::today_utc);
    let standing = w2k8_assess::standing(&host, catalog, today).map_err(|e| match e {
        w2k8_assess::NotAssessed::Unsupported(_) => anyhow::Error::new(Unsupported(e.to_string())),
        other => anyhow!("{}: {other}", a.bundle.display()),
    })?;
    match a.format {
        Format::Table => print(&w2k8_report::standing::text(&standing)),
        Format::Json => print(&w2k8_report::json(&standing)),
    }
}
