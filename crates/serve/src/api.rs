//! The JSON API under `/api/`, documented by `openapi.json` (OpenAPI 3.0.3,
//! served at `/openapi.json`).
//!
//! | route | answer |
//! |---|---|
//! | `GET /api/health` | status, version, catalog versions (no token) |
//! | `GET /api/summary` | the fleet report without host rows |
//! | `GET /api/hosts` | hosts: `q`, `filter` (repeatable), `sort`, `order`, `limit`, `offset` |
//! | `GET /api/hosts/{name}` | one host by name (409 listing them when several hosts have it) |
//! | `GET /api/hosts/id/{id}` | one host by id: row, missing, exposure, plan, scans, changes |
//! | `GET /api/cves` | open CVEs: `kev`, `ransomware`, `q`, `limit`, `offset` |
//! | `GET /api/cves/{cve}` | one CVE and the hosts that have it open |
//! | `GET /api/missing` | updates missing across the fleet |
//! | `GET /api/close-first` | what to close first: the isolation changes that remove the most reachable KEV exposure across hosts |
//! | `GET /api/scans` | scans, newest first: `limit`, `offset` |
//! | `POST /api/bundles` | ingest a bundle (`name`), 201 |
//! | `GET /api/acceptances` | accepted risks, expired ones too (`expired`) |
//! | `POST /api/acceptances` | record an accepted risk (JSON body), 201 |
//! | `DELETE /api/acceptances/{id}` | remove one (needs the token) |
//! | `GET /openapi.json` | this API's description (no token) |
//! | `GET /metrics` | the fleet in Prometheus' text format: hosts by status and OS, KEV-exposed hosts (reachable or not), catalog age |
//!
//! Access: every `POST` and `DELETE` needs `Authorization: Bearer TOKEN`; `GET`s too
//! unless the server runs with `public_read`. Every error is JSON,
//! `{"error": {"status": N, "message": "..."}}`, axum's own rejections
//! included (see [`error::json_errors`]).
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post, MethodRouter};
use axum::{Json, Router};
use serde_json::json;

use crate::state::Shared;

pub mod accept;
pub mod error;
pub mod fleet;
pub mod ingest;
pub mod metrics;
pub mod params;

pub use error::ApiError;

/// The OpenAPI 3.0.3 document of this API.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Paths anyone may read, token or not.
const OPEN_PATHS: &[&str] = &["/api/health", "/openapi.json"];

/// Every route: path, method, handler. The OpenAPI document lists exactly
/// these (a test checks it).
fn table() -> Vec<(&'static str, Method, MethodRouter<Shared>)> {
    vec![
        ("/api/health", Method::GET, get(health)),
        ("/api/summary", Method::GET, get(fleet::summary)),
        ("/api/hosts", Method::GET, get(fleet::hosts)),
        ("/api/hosts/{name}", Method::GET, get(fleet::host)),
        ("/api/hosts/id/{id}", Method::GET, get(fleet::host_by_id)),
        ("/api/cves", Method::GET, get(fleet::cves)),
        ("/api/cves/{cve}", Method::GET, get(fleet::cve)),
        ("/api/missing", Method::GET, get(fleet::missing)),
        ("/api/close-first", Method::GET, get(fleet::close_first)),
        ("/api/scans", Method::GET, get(fleet::scans)),
        ("/api/bundles", Method::POST, post(ingest::upload)),
        ("/api/acceptances", Method::GET, get(accept::list)),
        ("/api/acceptances", Method::POST, post(accept::add)),
        ("/api/acceptances/{id}", Method::DELETE, delete(accept::remove)),
        ("/openapi.json", Method::GET, get(openapi)),
        ("/metrics", Method::GET, get(metrics::metrics)),
    ]
}

/// The routes as (method, path) pairs, e.g. `("GET", "/api/hosts/{name}")`.
pub fn route_list() -> Vec<(String, &'static str)> {
    table().into_iter().map(|(p, m, _)| (m.to_string(), p)).collect()
}

/// The API routes, with the token check and JSON errors.
pub fn routes(state: Shared) -> Router {
    let mut r = Router::new();
    for (path, _, handler) in table() {
        r = r.route(path, handler);
    }
    r.route("/api", any(unknown))
        .route("/api/", any(unknown))
        .route("/api/{*rest}", any(unknown))
        .layer(from_fn_with_state(state.clone(), auth))
        .layer(from_fn(error::json_errors))
        .with_state(state)
}

/// Lets a request through when it may pass: open paths always, reads when
/// `public_read`, everything else with the right bearer token; else 401.
async fn auth(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let open = OPEN_PATHS.contains(&req.uri().path());
    let read = matches!(*req.method(), Method::GET | Method::HEAD);
    if open || (read && state.public_read) {
        return next.run(req).await;
    }
    match req.headers().get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or("")) {
        None => ApiError::unauthorized(
            "this request needs the bearer token: send `Authorization: Bearer TOKEN` (the token is in the server's token file)",
        )
        .into_response(),
        Some(h) if state.token.matches_header(h) => next.run(req).await,
        Some(_) => ApiError::unauthorized("wrong bearer token").into_response(),
    }
}

/// `GET /api/health`: the server is up; its version and catalog.
async fn health(State(state): State<Shared>) -> Json<serde_json::Value> {
    Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION"), "catalog": state.catalog_label}))
}

/// `GET /openapi.json`.
async fn openapi() -> Response {
    let mut res = OPENAPI.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

/// Any other path under `/api/`: 404.
async fn unknown(req: Request) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, format!("no such API route: {} {}", req.method(), req.uri().path()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every route of the router is in the OpenAPI document, and the
    /// document describes no other.
    #[test]
    fn openapi_lists_exactly_the_routes() {
        let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
        assert_eq!(doc["openapi"], "3.0.3");
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, _) in item.as_object().unwrap() {
                if ["get", "post", "put", "delete", "patch", "head", "options"].contains(&method.as_str()) {
                    documented.insert((method.to_ascii_uppercase(), path.clone()));
                }
            }
        }
        let routed: BTreeSet<(String, String)> = route_list().into_iter().map(|(m, p)| (m, p.to_string())).collect();
        assert_eq!(documented, routed);
    }
}
