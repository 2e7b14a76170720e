//! `w2k8 history`: being written.

/// Arguments of `history`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `history`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 history` is not available in this build yet"))
}
