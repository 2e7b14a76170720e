//! One module per subcommand.
pub mod catalog;
pub mod diagnose;
pub mod explain;
pub mod lifecycle;
pub mod migrate;
pub mod standing;
