//! Every table of w2k8's `data/` folder, read and checked in one place.
//!
//! Build scripts depend on this crate to refuse a bad row with
//! `file:line: what was expected`, and the libraries depend on it to read
//! the same tables (and the files an administrator imports) with the same
//! code:
//!
//! - [`compile`]: the servicing tables, the MSRC rows and the CISA KEV rows
//!   assembled into catalog records and written in the [`wire`] form
//!   (`w2k8-catalog`'s `build.rs` embeds the blobs; its importer compiles
//!   newer files with the same functions).
//!
//! - [`mitigations`]: Microsoft's documented workarounds per CVE
//!   (`data/mitigations/mitigations.csv`), embedded and read on first use;
//!   `w2k8-catalog`'s `build.rs` refuses a row that does not read.
//!
//! - [`errors`]: the SDK and update-failure error-code tables
//!   (`data/errors/`), checked and sorted into the rows `w2k8-diagnose`'s
//!   `build.rs` compresses and embeds.
//! - [`migration`]: lifecycle dates, the upgrade-path research table, the
//!   in-place hops and their requirements (`data/lifecycle/`,
//!   `data/migration/`), read by `w2k8-migrate`, whose `build.rs` refuses a
//!   row that does not read.
//!
//! Every date, KB, file version and CVE id is read by `w2k8-core`'s parsers.
#![deny(missing_docs)]

pub mod compile;
pub mod errors;
pub mod migration;
pub mod mitigations;
pub mod wire;
