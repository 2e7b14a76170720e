//! Host + catalog in, conclusions out. Pure: no I/O, no printing.
//!
//! * [`product::identify`] tells which Windows a host runs (family, edition,
//!   Server Core, service pack) from whatever the bundle holds;
//! * [`standing()`] says where a Windows Server 2008 host stands: build and
//!   kernel branch, the newest rollup installed ("patched through YYYY-MM"),
//!   and the servicing prerequisites (SSU, SHA-2, ESU preparation), each
//!   conclusion with its evidence.
//!
//! Hosts of another Windows version give [`NotAssessed`], which names them.
#![deny(missing_docs)]

pub mod product;
mod standing;

pub use product::{Family, Identity};
pub use standing::{standing, HotfixSummary, NotAssessed, Prerequisite, SsuStatus, Standing, UpdateRef};
