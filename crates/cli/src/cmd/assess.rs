//! `w2k8 assess`: being written.

/// Arguments of `assess`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `assess`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 assess` is not available in this build yet"))
}
