//! `w2k8 script`: being written.

/// Arguments of `script`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `script`.
pub fn run(_a: Args) -> anyhow::Result<()> {
    Err(anyhow::anyhow!("`w2k8 script` is not available in this build yet"))
}
