//! `w2k8 migrate BUNDLE`: how to get off Windows Server 2008 / 2008 R2:
//! lifecycle dates, in-place upgrade chains, side-by-side and cloud paths,
//! role caveats and a recommendation (`--format markdown` = a printable runbook).
use crate::common::{print, HostArgs, Unsupported};
use clap::ValueEnum;
use w2k8_migrate::{NotMigratable, Target};

/// Output format of `migrate` and `lifecycle`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MigrateFormat {
    /// Readable text.
    Table,
    /// One JSON object.
    Json,
    /// A printable Markdown runbook.
    Markdown,
}

/// `--target` values.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TargetArg {
    /// Windows Server 2019.
    #[value(name = "2019")]
    Ws2019,
    /// Windows Server 2022.
    #[value(name = "2022")]
    Ws2022,
    /// Windows Server 2025.
    #[value(name = "2025")]
    Ws2025,
}

impl From<TargetArg> for Target {
    fn from(t: TargetArg) -> Target {
        match t {
            TargetArg::Ws2019 => Target::Ws2019,
            TargetArg::Ws2022 => Target::Ws2022,
            TargetArg::Ws2025 => Target::Ws2025,
        }
    }
}

/// Arguments of `migrate`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    host: HostArgs,
    /// The Windows Server release to end on.
    #[arg(long, value_enum, default_value_t = TargetArg::Ws2025)]
    target: TargetArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MigrateFormat::Table)]
    format: MigrateFormat,
}

/// Runs `migrate`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let host = a.host.load()?;
    let as_of = a.host.today();
    let m = w2k8_migrate::plan(&host, a.target.into(), as_of).map_err(|e| match e {
        NotMigratable::Unsupported(s) => anyhow::Error::new(Unsupported(s)),
    })?;
    match a.format {
        MigrateFormat::Table => crate::common::print_fitted(&w2k8_migrate::render::text(&m)),
        MigrateFormat::Json => print(&w2k8_report::json(&w2k8_report::versioned::versioned(&m))),
        MigrateFormat::Markdown => print(&w2k8_migrate::render::markdown(&m)),
    }
}
