//! `w2k8 catalog`: being written.

/// Arguments of `catalog`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `catalog`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 catalog` is not available in this build yet"))
}
