//! `w2k8 completions SHELL` and `w2k8 man`: generated from the command
//! line's definition, so they cannot drift from it.
use clap_complete::Shell;

/// Arguments of `completions`.
#[derive(clap::Args)]
pub struct Args {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    shell: Shell,
}

/// Prints the completion script for the shell.
pub fn run(a: Args, mut cmd: clap::Command) -> anyhow::Result<()> {
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "w2k8", &mut out);
    crate::common::print(&String::from_utf8_lossy(&out))
}

/// Prints the manual page (roff) of `w2k8`: synopsis, options, the
/// subcommands with their summaries, the exit codes and the version.
pub fn man(cmd: clap::Command) -> anyhow::Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    crate::common::print(&String::from_utf8_lossy(&out))
}
