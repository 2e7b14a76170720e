//! `w2k8 lifecycle`: being written.

/// Arguments of `lifecycle`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `lifecycle`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 lifecycle` is not available in this build yet"))
}
