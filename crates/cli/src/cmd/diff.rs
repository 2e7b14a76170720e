//! `w2k8 diff`: being written.

/// Arguments of `diff`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `diff`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 diff` is not available in this build yet"))
}
