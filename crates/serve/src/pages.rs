//! The dashboard: a single page (`/`) and its assets (`/assets/<file>`),
//! embedded in the binary at build time (no CDN, no build step), that read
//! the JSON API from the browser.
//!
//! The page is plain HTML plus one style sheet and one module script
//! (`app.js`) that imports the others (`import ... from "./x.js"`, resolved
//! to `/assets/x.js`): no inline script or style, so it runs under the
//! server's CSP (`script-src 'self'; style-src 'self'`). The scripts build
//! every element with `createElement`/`textContent`, never `innerHTML`, so
//! values from host inputs (a host named `<script>...`) show as text.
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

/// A JavaScript module of the dashboard, embedded from `assets/`.
macro_rules! js {
    ($name:literal) => {
        Asset { name: $name, content_type: JS, body: include_bytes!(concat!("../assets/", $name)) }
    };
}

/// The `Content-Type` of the scripts (module scripts need a JavaScript type).
const JS: &str = "text/javascript; charset=utf-8";

/// Every file served under `/assets/`: the entry script `app.js` and the
/// modules it imports (flat names: the route takes one path segment), the
/// style sheet and the icon.
pub const ASSETS: &[Asset] = &[
    js!("app.js"),
    js!("api.js"),
    js!("router.js"),
    js!("dom.js"),
    js!("format.js"),
    js!("ui.js"),
    js!("tables.js"),
    js!("charts.js"),
    js!("view-overview.js"),
    js!("view-hosts.js"),
    js!("view-host.js"),
    js!("view-plan.js"),
    js!("view-cves.js"),
    js!("view-cve.js"),
    js!("view-signin.js"),
    // The colours of every category, shared with the HTML report (one source: w2k8-report's assets/palette.css).
    Asset {
        name: "palette.css",
        content_type: "text/css; charset=utf-8",
        body: w2k8_report::fleet::PALETTE_CSS.as_bytes(),
    },
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

    /// The text of every embedded script, by name.
    fn scripts() -> Vec<(&'static str, &'static str)> {
        ASSETS
            .iter()
            .filter(|a| a.content_type == JS)
            .map(|a| (a.name, std::str::from_utf8(a.body).unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", a.name))))
            .collect()
    }

    /// Every module specifier of a script: the string after `from`, after a
    /// bare `import` and in a dynamic `import(...)`.
    fn specifiers(js: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for key in ["from ", "import ", "import("] {
            for (at, _) in js.match_indices(key) {
                let rest = &js[at + key.len()..];
                let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) else { continue };
                let end = rest[1..].find(quote).unwrap_or_else(|| panic!("unterminated module name: {rest:.40}"));
                out.push(&rest[1..1 + end]);
            }
        }
        out
    }

    /// The embedded asset a specifier names: only `./name.js`, a sibling
    /// under `/assets/` (no other folder, origin or bare package name).
    fn imported(spec: &str, by: &str) -> &'static Asset {
        let name = spec.strip_prefix("./").filter(|n| !n.contains('/') && n.ends_with(".js"));
        let name = name.unwrap_or_else(|| panic!("{by} imports {spec:?}: modules import siblings as \"./name.js\""));
        asset(name).unwrap_or_else(|| panic!("{by} imports {spec:?}, which is not embedded (add it to ASSETS)"))
    }

    /// `(names, module)` of every `import { a, b as c } from "./m.js"`.
    fn named_imports(js: &str) -> Vec<(Vec<&str>, &str)> {
        let mut out = Vec::new();
        for (at, _) in js.match_indices("import {") {
            let stmt = &js[at + "import {".len()..];
            let (names, rest) = stmt.split_once('}').unwrap_or_else(|| panic!("unclosed import: {stmt:.60}"));
            let names = names.split(',').map(|n| n.split(" as ").next().unwrap_or(n).trim()).filter(|n| !n.is_empty());
            let module = specifiers(rest.trim_start())
                .into_iter()
                .next()
                .unwrap_or_else(|| panic!("import without from: {stmt:.60}"));
            out.push((names.collect(), module));
        }
        out
    }

    /// The names a module exports (`export [async] function|const|let|class NAME`, `export { a, b as c }`).
    fn exports(js: &str) -> Vec<&str> {
        let ident =
            |t: &str| -> usize { t.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).unwrap_or(t.len()) };
        let mut out = Vec::new();
        for line in js.lines() {
            let Some(rest) = line.strip_prefix("export ") else { continue };
            let rest = rest.strip_prefix("async ").unwrap_or(rest);
            if let Some(list) = rest.strip_prefix('{') {
                let list = list.split('}').next().unwrap_or("");
                out.extend(
                    list.split(',').map(|n| n.rsplit(" as ").next().unwrap_or(n).trim()).filter(|n| !n.is_empty()),
                );
            } else if let Some(decl) =
                ["function ", "const ", "let ", "class "].iter().find_map(|k| rest.strip_prefix(k))
            {
                out.push(&decl[..ident(decl)]);
            }
        }
        out
    }

    #[test]
    fn every_module_imported_is_embedded_and_exports_what_is_imported() {
        for (name, js) in scripts() {
            for spec in specifiers(js) {
                let to = imported(spec, name);
                assert_eq!(to.content_type, JS, "{name} imports {spec}, which is not served as JavaScript");
            }
            for (names, spec) in named_imports(js) {
                let to = imported(spec, name);
                let offered = exports(std::str::from_utf8(to.body).unwrap_or(""));
                for n in names {
                    assert!(
                        offered.contains(&n),
                        "{name} imports {n} from {spec}, which does not export it ({offered:?})"
                    );
                }
            }
        }
    }

    #[test]
    fn every_embedded_module_is_loaded_by_the_page() {
        // From the page's module script, follow the imports.
        let entry = INDEX_HTML.split("<script type=\"module\" src=\"/assets/").nth(1).and_then(|r| r.split('"').next());
        let mut seen = vec![entry.expect("index.html loads a module script from /assets/")];
        let mut i = 0;
        while let Some(&name) = seen.get(i) {
            let body = asset(name).map(|a| std::str::from_utf8(a.body).unwrap_or("")).unwrap_or("");
            for spec in specifiers(body) {
                let to = imported(spec, name).name;
                if !seen.contains(&to) {
                    seen.push(to);
                }
            }
            i += 1;
        }
        for (name, _) in scripts() {
            assert!(seen.contains(&name), "{name} is embedded but neither index.html nor any module loads it");
        }
    }

    #[test]
    fn the_import_checks_catch_a_missing_module_or_name() {
        let js = "import { h, s as svg } from \"./dom.js\";\nimport \"./side.js\";\nconst m = import('./lazy.js');\n";
        assert_eq!(specifiers(js), ["./dom.js", "./side.js", "./lazy.js"]);
        assert_eq!(named_imports(js), [(vec!["h", "s"], "./dom.js")]);
        assert!(asset("side.js").is_none(), "a module that is not embedded is not found");
        let ex =
            "export function h() {}\nexport async function api() {}\nexport const num = 1;\nexport { a, b as c };\n";
        assert_eq!(exports(ex), ["h", "api", "num", "a", "c"]);
        assert!(std::panic::catch_unwind(|| imported("./nope.js", "t")).is_err());
        assert!(std::panic::catch_unwind(|| imported("/assets/dom.js", "t")).is_err());
        assert!(std::panic::catch_unwind(|| imported("dom.js", "t")).is_err());
    }

    #[test]
    fn the_page_references_only_embedded_assets() {
        for part in INDEX_HTML.split("/assets/").skip(1) {
            let name: String = part.chars().take_while(|c| !matches!(c, '"' | '\'' | '?' | '#')).collect();
            assert!(asset(&name).is_some(), "index.html references /assets/{name}, which is not embedded");
        }
    }
}
