//! Placeholder: being written. The embedded catalog.
#![deny(missing_docs)]
pub mod model;
pub use model::*;
