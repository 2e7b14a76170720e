//! The JSON API under `/api/`, documented by `openapi.json` (served at
//! `/openapi.json`). Work in progress: only `/api/health` so far.
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::state::Shared;

/// The API routes.
pub fn routes(state: Shared) -> Router {
    Router::new().route("/api/health", get(health)).with_state(state)
}

/// `GET /api/health`: the server is up.
async fn health() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}
