//! `w2k8 demo-fleet`: being written.

/// Arguments of `demo-fleet`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `demo-fleet`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 demo-fleet` is not available in this build yet"))
}
