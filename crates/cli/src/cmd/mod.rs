//! One module per subcommand.
pub mod assess;
pub mod catalog;
pub mod catalog_admin;
pub mod diagnose;
pub mod explain;
pub mod lifecycle;
pub mod migrate;
pub mod standing;
