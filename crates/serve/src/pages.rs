//! The dashboard: static pages and assets, embedded in the binary at build
//! time (no CDN), that read the JSON API. Work in progress.
use axum::Router;

/// The page and asset routes.
pub fn routes() -> Router {
    Router::new()
}
