//! `w2k8 explain`: being written.

/// Arguments of `explain`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `explain`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 explain` is not available in this build yet"))
}
