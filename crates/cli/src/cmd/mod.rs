//! One module per subcommand.
pub mod assess;
pub mod catalog;
pub mod catalog_admin;
pub mod db;
pub mod demo_fleet;
pub mod diagnose;
pub mod diff;
pub mod explain;
pub mod history;
pub mod hosts;
pub mod lifecycle;
pub mod migrate;
pub mod plan;
pub mod report;
pub mod scan;
pub mod script;
pub mod standing;
