//! Accepted risks over the API (issue 19): `GET /api/acceptances` lists
//! them (expired ones too, `expired: true`), `POST /api/acceptances`
//! records one (201 with its id), `DELETE /api/acceptances/{id}` removes
//! one (404 when there is none). Writes need the token, as every `POST`
//! does; the same records as `w2k8 accept` in the same database.
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use w2k8_core::Date;
use w2k8_fleet::{AcceptanceRecord, NewAcceptance};

use super::error::ApiError;
use super::params::Params;
use crate::state::{with_store, Shared};

/// One accepted risk as the API answers it.
#[derive(Serialize)]
struct Listed {
    #[serde(flatten)]
    record: AcceptanceRecord,
    /// True from the day after `until` (UTC): the findings it covered count again.
    expired: bool,
}

fn listed(record: AcceptanceRecord, today: Date) -> Listed {
    let expired = today > record.until;
    Listed { record, expired }
}

/// `GET /api/acceptances`.
pub async fn list(State(state): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let all = with_store(&state, |s| s.acceptances()).await?;
    let today = Date::today_utc();
    let acceptances: Vec<Listed> = all.into_iter().map(|r| listed(r, today)).collect();
    Ok(Json(serde_json::json!({ "acceptances": acceptances })).into_response())
}

/// `POST /api/acceptances`: a JSON body `{target, host, reason, owner?, until}`.
pub async fn add(State(state): State<Shared>, RawQuery(q): RawQuery, body: Bytes) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let new: NewAcceptance = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body: expected a JSON object {{target, host, reason, owner (optional), until}} ({e})"
        ))
    })?;
    if let Some(p) = new.problem() {
        return Err(ApiError::bad_request(format!("the body: {p}")));
    }
    let today = Date::today_utc();
    if new.until < today {
        return Err(ApiError::bad_request(format!(
            "the body: expected `until` today ({today}) or later: an acceptance that has already ended accepts nothing"
        )));
    }
    let r = with_store(&state, move |s| s.add_acceptance(&new)).await?;
    state.cache.acceptances.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok((StatusCode::CREATED, Json(listed(r, today))).into_response())
}

/// `DELETE /api/acceptances/{id}`.
pub async fn remove(
    State(state): State<Shared>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let id: i64 = id.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::bad_request(format!("path: expected an accepted risk's id (a positive integer), found {id:?}"))
    })?;
    if with_store(&state, move |s| s.remove_acceptance(id)).await? {
        state.cache.acceptances.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Json(serde_json::json!({ "removed": id })).into_response())
    } else {
        Err(ApiError::not_found(format!("no accepted risk with id {id}")))
    }
}
