//! One module per subcommand.
pub mod catalog;
pub mod standing;
