//! `w2k8 diagnose`: being written.

/// Arguments of `diagnose`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `diagnose`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 diagnose` is not available in this build yet"))
}
