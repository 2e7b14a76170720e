//! `POST /api/bundles?name=srv01.zip`: one host bundle in (a collector zip,
//! or a single text file), one stored scan out, exactly as `w2k8 scan`
//! stores it (`w2k8-scan`).
//!
//! The body is size-limited ([`crate::state::Limits`]); zip bombs, path
//! traversal and unreadable bundles are refused by the bundle loader and
//! stored as a failed scan with the reason (201, `"status": "failed"`).
//! The assessment and the write run on one blocking thread, in one
//! transaction, and complete even if the client goes away or the server is
//! told to stop once the body has arrived.
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use std::sync::Arc;
use w2k8_core::{Date, Timestamp};
use w2k8_fleet::ScanStatus;
use w2k8_store::{ScanInput, StoreError};

use super::error::ApiError;
use super::params::Params;
use crate::state::Shared;

/// Content types an upload may declare.
pub const UPLOAD_TYPES: &[&str] = &["application/zip", "application/x-zip-compressed", "application/octet-stream"];

/// The name an upload gets when the client gives none (or a useless one).
const DEFAULT_NAME: &str = "upload.zip";

/// The `name` parameter made safe: its last path component (either
/// separator), control characters removed, at most 255 bytes (cut on a
/// character boundary); `upload.zip` when nothing usable is left.
pub fn sanitize_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let mut out = String::new();
    for c in base.chars().filter(|c| !c.is_control()) {
        if out.len() + c.len_utf8() > 255 {
            break;
        }
        out.push(c);
    }
    let out = out.trim().to_string();
    if out.is_empty() || out.chars().all(|c| c == '.') {
        DEFAULT_NAME.to_string()
    } else {
        out
    }
}

/// What an upload did.
#[derive(Debug, Serialize)]
pub struct Ingested {
    /// The host's name (from the bundle, else the file name without `.zip`).
    pub host: String,
    /// `ok`, `failed` or `unsupported`.
    pub status: ScanStatus,
    /// Why it failed or is unsupported.
    pub error: Option<String>,
    /// False when the same input was already stored for this host.
    pub stored: bool,
    /// 6001, 6002, 6003 (2008); 7600, 7601 (2008 R2).
    pub build: Option<u32>,
    /// `YYYY-MM`.
    pub patched_through: Option<w2k8_core::Month>,
    /// Updates missing; None when the bundle was not assessed (never 0 for an unread host).
    pub missing: Option<usize>,
    /// Open CVEs; None when not assessed.
    pub open_cves: Option<usize>,
    /// Open CVEs in CISA KEV; None when not assessed.
    pub kev_open: Option<usize>,
    /// Open KEV CVEs with known ransomware use; None when not assessed.
    pub ransomware_open: Option<usize>,
    /// The counts are lower bounds (partial evidence); None when not assessed.
    pub counts_are_lower_bound: Option<bool>,
    /// When the scan ran (UTC).
    pub scanned_at: Timestamp,
    /// SHA-256 of the bundle's bytes (hex).
    pub digest: String,
    /// Where it came from: `upload:NAME`.
    pub source: String,
}

/// The declared content type, without parameters, lowercase.
fn content_type(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

/// `POST /api/bundles?name=NAME`.
pub async fn upload(
    State(state): State<Shared>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["name"])?;
    let name = sanitize_name(p.one("name")?.unwrap_or(DEFAULT_NAME));
    check_content_type(&headers)?;
    let bytes = read_body(&headers, body, state.limits.max_body).await?;
    let st = Arc::clone(&state);
    let source = format!("upload:{name}");
    // Assessment and write on one blocking thread: once started it runs to
    // the end, stored, whatever happens to the request.
    let job = tokio::task::spawn_blocking(move || ingest(&st, &name, &bytes, &source));
    let done = match job.await {
        Ok(r) => r?,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };
    Ok((StatusCode::CREATED, Json(done)).into_response())
}

/// 415 unless the declared content type is one of [`UPLOAD_TYPES`].
fn check_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let ct = content_type(headers);
    if !ct.as_deref().is_some_and(|t| UPLOAD_TYPES.contains(&t)) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "Content-Type {}: expected one of {}",
                ct.map(|t| format!("'{t}'")).unwrap_or_else(|| "missing".to_string()),
                UPLOAD_TYPES.join(", ")
            ),
        ));
    }
    Ok(())
}

/// 413 for a body over the server's limit of `max` bytes.
fn too_large(max: usize) -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("the bundle is larger than the server's limit of {max} bytes"))
}

/// The request body: at most `max` bytes (a larger declared length is
/// refused before reading), and not empty.
async fn read_body(headers: &HeaderMap, body: Body, max: usize) -> Result<Bytes, ApiError> {
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large(max));
    }
    let bytes = axum::body::to_bytes(body, max).await.map_err(|e| {
        // The only errors are the limit and a broken connection.
        let e = e.into_inner();
        if e.is::<http_body_util::LengthLimitError>() {
            too_large(max)
        } else {
            ApiError::bad_request(format!("the request body could not be read: {e}"))
        }
    })?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request("the request body is empty: expected the bundle's bytes"));
    }
    Ok(bytes)
}

/// Assesses the bundle and stores the scan (on a blocking thread).
fn ingest(st: &Shared, name: &str, bytes: &[u8], source: &str) -> Result<Ingested, StoreError> {
    let scanned_at = w2k8_store::now_utc();
    let input = w2k8_scan::scan_bytes(name, bytes, source, st.catalog, Date::today_utc(), scanned_at);
    let outcome = st.pool.with_blocking(|s| s.write_batch(std::slice::from_ref(&input)));
    // Fleet-wide answers must show this scan on the next request.
    st.cache.count.forget();
    outcome.map(|o| Ingested::of(&input, o.stored > 0))
}

impl Ingested {
    /// The answer for a scan `input` (counts only for an assessed bundle).
    fn of(input: &ScanInput, stored: bool) -> Ingested {
        let ok = input.status == ScanStatus::Ok;
        Ingested {
            host: input.name.clone(),
            status: input.status,
            error: input.error.clone(),
            stored,
            build: input.build,
            patched_through: input.patched_through,
            missing: ok.then_some(input.missing.len()),
            open_cves: ok.then_some(input.cves.len()),
            kev_open: ok.then(|| input.cves.iter().filter(|c| c.kev).count()),
            ransomware_open: ok.then(|| input.cves.iter().filter(|c| c.ransomware).count()),
            counts_are_lower_bound: ok.then_some(input.counts_are_lower_bound),
            scanned_at: input.scanned_at,
            digest: input.digest.clone(),
            source: input.source.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sanitized() {
        for (raw, want) in [
            ("srv01.zip", "srv01.zip"),
            ("../../etc/passwd", "passwd"),
            ("C:\\bundles\\srv02.zip", "srv02.zip"),
            ("dir/", DEFAULT_NAME),
            ("..", DEFAULT_NAME),
            ("", DEFAULT_NAME),
            ("a\u{0}b\r\n.zip", "ab.zip"),
            ("<b>srv</b>.zip", "b>.zip"),
        ] {
            assert_eq!(sanitize_name(raw), want, "{raw:?}");
        }
        let long = "é".repeat(200);
        let s = sanitize_name(&long);
        assert_eq!(s.len(), 254);
        assert!(s.chars().all(|c| c == 'é'));
    }
}
