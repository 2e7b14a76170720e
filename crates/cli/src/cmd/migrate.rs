//! `w2k8 migrate`: being written.

/// Arguments of `migrate`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `migrate`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 migrate` is not available in this build yet"))
}
