//! `w2k8 hosts`: being written.

/// Arguments of `hosts`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `hosts`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 hosts` is not available in this build yet"))
}
