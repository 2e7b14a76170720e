//! `w2k8 serve`: the fleet on the web.
//!
//! One process serves a JSON API (documented as OpenAPI 3 at
//! `/openapi.json`, see [`api`]) and the dashboard pages (see [`pages`]),
//! with every asset embedded, over the same fleet store `w2k8 scan` writes
//! (SQLite file or PostgreSQL URL, see `w2k8-store`). `POST /api/bundles`
//! ingests a host bundle the way `scan` does (`w2k8-scan`).
//!
//! Security (see [`auth`] and [`security`]): it listens on loopback unless
//! told otherwise; every write needs the bearer token, reads too unless
//! `public_read`; the token is generated on first start into a file only its
//! owner can read; request bodies and uploads are size-limited; slow and
//! idle clients are timed out and connections capped, and only requests
//! naming a loopback name, the listen address or an allowed host are served
//! (see [`conn`]); responses carry a CSP without inline script, `nosniff`
//! and frame denial.
//! Shutdown on SIGINT/SIGTERM is graceful: requests in flight, an ingest
//! among them, finish before the process exits.
#![deny(missing_docs)]

pub mod api;
pub mod auth;
pub mod conn;
pub mod pages;
pub mod security;
pub mod server;
pub mod state;

pub use server::{run, Config, ServeError};
