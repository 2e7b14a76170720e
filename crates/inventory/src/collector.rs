//! The collector script, `collect.cmd`, embedded so that the `w2k8` binary
//! can hand it out (write it to a file or print it) without the source tree.
//!
//! The script runs on a stock Windows Server 2008 SP2 machine (full or Server
//! Core) with `cmd.exe` alone, changes nothing on the machine, and writes a
//! bundle folder `w2k8-<COMPUTERNAME>-<yyyymmdd>` that [`crate::bundle::load`]
//! reads. Its layout is documented in [`crate::bundle`] and in
//! `crates/inventory/collector/README.md`.

/// The text of `collect.cmd`, byte for byte as committed (CRLF line endings,
/// ASCII only, so it runs under any OEM code page).
pub const COLLECT_CMD: &str = include_str!("../collector/collect.cmd");

/// The file name the script should be saved under.
pub const COLLECT_CMD_NAME: &str = "collect.cmd";
