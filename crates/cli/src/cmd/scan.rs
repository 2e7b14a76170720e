//! `w2k8 scan`: being written.

/// Arguments of `scan`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `scan`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 scan` is not available in this build yet"))
}
