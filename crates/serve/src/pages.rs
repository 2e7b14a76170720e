//! The dashboard: a single page (`/`) and its assets (`/assets/<file>`),
//! embedded in the binary at build time (no CDN, no build step), that read
//! the JSON API from the browser.
//!
//! The page is plain HTML plus one script and one style sheet: no inline
//! script or style, so it runs under the server's CSP (`script-src 'self';
//! style-src 'self'`). The script builds every element with
//! `createElement`/`textContent`, never `innerHTML`, so values from host
//! inputs (a host named `<script>...`) show as text.
//!
//! Assets carry no fleet data and need no token. They are cached for an
//! hour (their names are not fingerprinted, so not for longer); the page
//! itself is revalidated on every load so a new binary's page is picked up.
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// One embedded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asset {
    /// The file name under `/assets/`.
    pub name: &'static str,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Its bytes.
    pub body: &'static [u8],
}

/// The dashboard page served at `/`.
pub const INDEX_HTML: &str = include_str!("../assets/index.html");

/// Every file served under `/assets/`.
pub const ASSETS: &[Asset] = &[
    Asset { name: "app.js", content_type: "text/javascript; charset=utf-8", body: include_bytes!("../assets/app.js") },
    Asset { name: "app.css", content_type: "text/css; charset=utf-8", body: include_bytes!("../assets/app.css") },
    Asset { name: "favicon.svg", content_type: "image/svg+xml", body: include_bytes!("../assets/favicon.svg") },
];

/// `Cache-Control` of the assets.
pub const ASSET_CACHE: &str = "public, max-age=3600";

/// The embedded asset named `name`, if any.
pub fn asset(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name)
}

/// The page and asset routes.
pub fn routes() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .route("/favicon.ico", get(favicon))
        .route("/assets/{file}", get(serve_asset))
}

/// `GET /`: the single page.
async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        INDEX_HTML,
    )
        .into_response()
}

/// `GET /favicon.ico`: browsers ask for it whatever the page says; answer
/// with the SVG icon rather than a 404.
async fn favicon() -> Response {
    serve_asset(Path("favicon.svg".to_string())).await
}

/// `GET /assets/{file}`: an embedded file, or 404.
async fn serve_asset(Path(file): Path<String>) -> Response {
    match asset(&file) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(a.content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static(ASSET_CACHE)),
            ],
            a.body,
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))],
            "no such asset\n",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_is_found_by_name_and_unknown_ones_are_not() {
        for a in ASSETS {
            assert_eq!(asset(a.name).map(|x| x.name), Some(a.name));
            assert!(!a.body.is_empty(), "{} is empty", a.name);
        }
        assert_eq!(asset("nope.js"), None);
        assert_eq!(asset("../Cargo.toml"), None);
    }

    #[test]
    fn the_page_references_only_embedded_assets() {
        for part in INDEX_HTML.split("/assets/").skip(1) {
            let name: String = part.chars().take_while(|c| !matches!(c, '"' | '\'' | '?' | '#')).collect();
            assert!(asset(&name).is_some(), "index.html references /assets/{name}, which is not embedded");
        }
    }
}
