//! `w2k8 plan`: being written.

/// Arguments of `plan`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `plan`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 plan` is not available in this build yet"))
}
