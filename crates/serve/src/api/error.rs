//! The API's error answer: `{"error": {"status": 404, "message": "..."}}`
//! with the matching HTTP status, and the middleware that gives axum's own
//! rejections (bad path, wrong method, body too large, ...) that shape too.
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use w2k8_fleet::HostRow;
use w2k8_store::StoreError;

/// An error answer of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, for a person.
    pub message: String,
    /// The hosts an ambiguous host name names (409), listed in the answer
    /// as `error.candidates`; empty (and left out) otherwise.
    pub candidates: Vec<HostRow>,
}

impl ApiError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into(), candidates: Vec::new() }
    }

    /// 400: the request's query or path was not understood.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404: nothing by that name.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    /// 401: the bearer token is missing or wrong.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, message)
    }
}

impl From<StoreError> for ApiError {
    /// 409 with the candidates when a host name names several hosts;
    /// otherwise 500: the store failed. Store errors name databases by
    /// their redacted URL only, so the message never carries a password.
    fn from(e: StoreError) -> ApiError {
        if let StoreError::Ambiguous { candidates, .. } = &e {
            let message = format!("{e}: ask for one by id, /api/hosts/id/{{id}}");
            return ApiError { status: StatusCode::CONFLICT, message, candidates: candidates.clone() };
        }
        let e = e.chain();
        eprintln!("w2k8 serve: store error: {e}");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("store: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = if self.candidates.is_empty() {
            json!({"error": {"status": self.status.as_u16(), "message": self.message}})
        } else {
            json!({"error": {"status": self.status.as_u16(), "message": self.message, "candidates": self.candidates}})
        };
        let mut res = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// True when the response already carries JSON.
fn is_json(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// The message of an error that came without one.
fn default_message(status: StatusCode, method: &Method, path: &str) -> String {
    match status {
        StatusCode::NOT_FOUND => format!("no such API route: {path}"),
        StatusCode::METHOD_NOT_ALLOWED => format!("method {method} is not allowed on {path}"),
        StatusCode::PAYLOAD_TOO_LARGE => "request body too large".to_string(),
        s => s.canonical_reason().unwrap_or("error").to_string(),
    }
}

/// Turns every error answer that is not JSON yet (axum's rejections: a
/// path that does not decode, a wrong method, a body over the limit, ...)
/// into the API's JSON error, keeping its status (axum adds the `Allow`
/// header of a 405 itself).
pub async fn json_errors(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&res) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = if text.is_empty() { default_message(status, &method, &path) } else { text };
    let mut out = ApiError::new(status, message).into_response();
    for name in [header::ALLOW, header::WWW_AUTHENTICATE] {
        if let Some(v) = parts.headers.get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

/// A JSON answer from already serialized text.
pub fn json_text(status: StatusCode, text: String) -> Response {
    let mut res = Response::new(Body::from(text));
    *res.status_mut() = status;
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

/// A 200 JSON answer from already serialized bytes.
pub fn json_bytes(bytes: Vec<u8>) -> Response {
    let mut res = Response::new(Body::from(bytes));
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn error_shape_and_bearer_challenge() {
        let res = ApiError::unauthorized("no token").into_response();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(res.headers().get(header::WWW_AUTHENTICATE).unwrap(), "Bearer");
        let body = axum::body::to_bytes(res.into_body(), 1000).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v, json!({"error": {"status": 401, "message": "no token"}}));
        let res = ApiError::not_found("x").into_response();
        assert!(res.headers().get(header::WWW_AUTHENTICATE).is_none());
    }
}
