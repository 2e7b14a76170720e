//! Host + catalog in, conclusions out. Pure: no I/O, no printing.
//!
//! * [`product::identify`] tells which Windows a host runs (family, edition,
//!   Server Core, service pack) from whatever the bundle holds;
//! * [`standing()`] says where a Windows Server 2008 host stands: build and
//!   kernel branch, the newest rollup installed ("patched through YYYY-MM"),
//!   and the servicing prerequisites (SSU, SHA-2, ESU preparation), each
//!   conclusion with its evidence.
//!
//! * [`assess()`] adds what is missing (the smallest supersedence-aware set
//!   of updates), which CVEs are open, and what the data cannot tell.
//!
//! Hosts of another Windows version give [`NotAssessed`], which names them.
#![deny(missing_docs)]

pub mod accepted;
pub mod assessment;
pub mod generate;
pub mod isolation;
pub mod plan;
pub mod product;
pub mod programme;
pub mod reachability;
mod standing;
pub mod subnet;
pub mod supersede;
pub mod truth;

pub use assessment::{
    assess, assess_standing, Assessment, Component, Exposure, FixStatus, KevRef, Missing, Options, Summary,
    TrackAdvice, Unknown, UnknownCve,
};
pub use plan::{plan, Plan, PlanOptions};
pub use product::{Family, Identity};
pub use programme::{Programme, ProgrammeChoice};
pub use standing::{
    standing, HotfixSummary, NotAssessed, Prerequisite, Refused, SsuStatus, Standing, Track, UpdateRef,
};
