//! How to get off Windows Server 2008: lifecycle dates, every supported
//! in-place upgrade chain to a target release (hop by hop, with the editions
//! each hop allows, Server Core rules and what each hop requires), the
//! side-by-side and cloud paths, domain controller caveats and a
//! recommendation.
//!
//! Pure: no I/O, no printing. Input is an inventory [`w2k8_inventory::Host`]
//! (identified with [`w2k8_assess::product::identify`]); output is a
//! [`Migration`] (serde `Serialize` = the JSON contract) that [`render`]
//! turns into a text table or a printable Markdown runbook.
//!
//! Every date and rule comes from the embedded, sourced tables in the
//! workspace's `data/` folder ([`data`], read by `w2k8_data::migration`):
//! `lifecycle/lifecycle.csv`, `migration/upgrade-paths.csv`,
//! `migration/hops.csv` and `migration/requirements.csv`. The crate does not
//! build while one of their rows does not read (`build.rs`).
#![deny(missing_docs)]

pub mod plan;
pub mod render;

pub use w2k8_data::migration as data;
pub use w2k8_data::migration::version;

pub use plan::{
    plan, Caveat, Hop, Lifecycle, Migration, NotMigratable, Path, PathKind, Recommendation, Refusal, Sourced,
};
pub use version::{Target, Version};
