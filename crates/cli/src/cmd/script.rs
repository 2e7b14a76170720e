//! `w2k8 script BUNDLE --install|--rollback|--isolate [--undo]`: the plan of
//! `w2k8 plan` as a cmd.exe batch file (CRLF), printed on stdout.
//!
//! Exit codes: 0 script printed, 2 bad input, 3 not a supported OS.
use crate::cmd::plan::PlanArgs;
use crate::common::print;

/// Arguments of `script`.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["install", "rollback", "isolate"])))]
pub struct Args {
    #[command(flatten)]
    plan: PlanArgs,
    /// Print install.cmd: checks, then each update with wusa.exe, in the plan's order.
    #[arg(long)]
    install: bool,
    /// Print rollback.cmd: removes the plan's updates in reverse order.
    #[arg(long)]
    rollback: bool,
    /// Print isolate.cmd: the plan's isolation steps (sc, reg, netsh), each with what it breaks and its sources;
    /// steps that would break a role the host serves are left out as `rem` lines. `isolate.cmd /dry-run` prints
    /// the commands and changes nothing.
    #[arg(long)]
    isolate: bool,
    /// With --isolate: print undo.cmd instead, which reverts isolate.cmd's changes (last first), restoring the
    /// service start types the bundle recorded.
    #[arg(long, requires = "isolate")]
    undo: bool,
}

/// Runs `script`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let (p, arch) = a.plan.build()?;
    let text = if a.install {
        w2k8_report::script::install_cmd(&p, arch)
    } else if a.rollback {
        w2k8_report::script::rollback_cmd(&p)
    } else if a.undo {
        w2k8_report::script::undo_cmd(&p)
    } else {
        w2k8_report::script::isolate_cmd(&p)
    };
    print(&text)
}
