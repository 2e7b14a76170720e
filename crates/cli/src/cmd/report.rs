//! `w2k8 report`: being written.

/// Arguments of `report`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `report`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 report` is not available in this build yet"))
}
