//! The dashboard's page and assets over real HTTP: an in-process server on
//! 127.0.0.1:0 (a fresh SQLite store, reads needing the token), asked with a
//! plain HTTP/1.1 client over a TCP socket.
//!
//! Checks: `/` and every embedded asset load without a token, with the right
//! `Content-Type`, a cache header and the security headers; unknown assets
//! are 404; the page has no inline script or style (the CSP forbids them,
//! so they would silently not run); no script parses HTML from data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use w2k8_serve::pages::{ASSETS, ASSET_CACHE, INDEX_HTML};
use w2k8_serve::security::CSP;
use w2k8_serve::server::{serve_on, state, Config};
use w2k8_serve::state::Limits;

/// A running server, stopped when dropped.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn start() -> Server {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "w2k8-serve-pages-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let config = Config {
        db: dir.join("fleet.db").to_string_lossy().into_owned(),
        listen: "127.0.0.1:0".parse().unwrap(),
        token_file: dir.join("token.txt"),
        public_read: false,
        limits: Limits::default(),
        pool_size: 1,
        allowed_hosts: Vec::new(),
    };
    let shared = state(&config).unwrap();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            serve_on(listener, shared, async move {
                let _ = stop_rx.await;
            })
            .await
            .unwrap();
        });
    });
    let addr = addr_rx.recv_timeout(Duration::from_secs(20)).unwrap();
    Server { addr, stop: Some(stop_tx), thread: Some(thread), dir }
}

/// An HTTP answer: status, headers (names lower-cased), body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

fn get(addr: SocketAddr, path: &str) -> Answer {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a header block");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer { status, headers, body }
}

fn assert_security_headers(a: &Answer, what: &str) {
    assert_eq!(a.header("content-security-policy"), Some(CSP), "{what}: CSP");
    assert_eq!(a.header("x-content-type-options"), Some("nosniff"), "{what}: nosniff");
    assert_eq!(a.header("x-frame-options"), Some("DENY"), "{what}: frame denial");
    assert_eq!(a.header("referrer-policy"), Some("no-referrer"), "{what}: referrer policy");
}

#[test]
fn the_page_loads_without_a_token_with_security_headers() {
    let srv = start();
    for path in ["/", "/index.html"] {
        let a = get(srv.addr, path);
        assert_eq!(a.status, 200, "{path}");
        assert_eq!(a.header("content-type"), Some("text/html; charset=utf-8"), "{path}");
        assert_eq!(a.header("cache-control"), Some("no-cache"), "{path}");
        assert_security_headers(&a, path);
        assert_eq!(a.body, INDEX_HTML.as_bytes(), "{path} serves index.html");
    }
}

#[test]
fn every_asset_loads_without_a_token_with_its_content_type() {
    let srv = start();
    let expected = |name: &str| match name.rsplit_once('.').map(|(_, e)| e) {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        other => panic!("no expected content type for .{other:?}"),
    };
    let mut names: Vec<&str> = ASSETS.iter().map(|a| a.name).collect();
    names.sort_unstable();
    for want in ["app.css", "palette.css", "app.js", "favicon.svg", "api.js", "router.js", "charts.js", "dom.js"] {
        assert!(names.contains(&want), "{want} is embedded: {names:?}");
    }
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(unique, names, "asset names are unique");
    for asset in ASSETS {
        let path = format!("/assets/{}", asset.name);
        let a = get(srv.addr, &path);
        assert_eq!(a.status, 200, "{path}");
        assert_eq!(a.header("content-type"), Some(expected(asset.name)), "{path}");
        assert_eq!(a.header("cache-control"), Some(ASSET_CACHE), "{path}");
        assert_eq!(a.header("content-length"), Some(asset.body.len().to_string().as_str()), "{path}");
        assert_security_headers(&a, &path);
        assert_eq!(a.body, asset.body, "{path} body");
    }
    let icon = get(srv.addr, "/favicon.ico");
    assert_eq!((icon.status, icon.header("content-type")), (200, Some("image/svg+xml")));
}

/// The dashboard and the HTML report share one colour scheme: the served
/// palette is the report's, byte for byte, the page loads it before its
/// own sheet, and neither sheet defines a category colour of its own.
#[test]
fn the_dashboard_serves_the_reports_palette() {
    let srv = start();
    let a = get(srv.addr, "/assets/palette.css");
    assert_eq!(a.status, 200);
    assert_eq!(a.body, w2k8_report::fleet::PALETTE_CSS.as_bytes());
    let palette = INDEX_HTML.find(r#"href="/assets/palette.css""#).expect("index.html links the palette");
    let app = INDEX_HTML.find(r#"href="/assets/app.css""#).expect("index.html links app.css");
    assert!(palette < app, "the palette comes first: app.css uses its variables");
    let app_css = std::str::from_utf8(ASSETS.iter().find(|a| a.name == "app.css").unwrap().body).unwrap();
    let palette_css = w2k8_report::fleet::PALETTE_CSS;
    for var in [
        "--c-kev:",
        "--c-ransomware:",
        "--c-critical:",
        "--c-important:",
        "--c-current:",
        "--c-not-assessed:",
        "--c-2008:",
        "--c-2008r2:",
    ] {
        assert!(palette_css.contains(var), "palette.css defines {var}");
        assert!(!app_css.contains(var), "app.css must not define {var}: it is the palette's");
    }
    // The dashboard's chart bars use the palette's class names.
    for class in ["\"f2008\"", "\"r2\"", "\"ransomware\"", "\"kev\"", "\"current\""] {
        let overview = std::str::from_utf8(ASSETS.iter().find(|a| a.name == "view-overview.js").unwrap().body).unwrap();
        assert!(overview.contains(class), "view-overview.js uses the bar class {class}");
    }
}

#[test]
fn unknown_assets_are_404_and_the_api_still_wants_the_token() {
    let srv = start();
    for path in ["/assets/nope.js", "/assets/..%2FCargo.toml", "/assets/app.js.map", "/assets/"] {
        let a = get(srv.addr, path);
        assert_eq!(a.status, 404, "{path}");
        assert_security_headers(&a, path);
    }
    // The assets are open; fleet data is not.
    let a = get(srv.addr, "/api/summary");
    assert_eq!(a.status, 401, "/api/summary without a token");
}

/// Every `<tag ...>` of an HTML text, as its lower-cased source.
fn tags(html: &str) -> Vec<String> {
    html.split('<').skip(1).filter_map(|t| t.split_once('>').map(|(inside, _)| inside.to_ascii_lowercase())).collect()
}

#[test]
fn the_page_has_no_inline_script_or_style() {
    let all = tags(INDEX_HTML);
    let scripts: Vec<&String> = all.iter().filter(|t| t.starts_with("script")).collect();
    assert_eq!(scripts.len(), 1, "one script element: {scripts:?}");
    for t in &scripts {
        assert!(t.contains("src=\"/assets/"), "script without an embedded src: <{t}>");
        assert!(t.contains("type=\"module\""), "the script is a module (it imports the others): <{t}>");
    }
    // Nothing between <script ...> and </script>.
    for chunk in INDEX_HTML.split("<script").skip(1) {
        let after_open = chunk.split_once('>').map(|(_, rest)| rest).unwrap_or("");
        assert!(after_open.starts_with("</script>"), "inline script content: {after_open:.40}");
    }
    for t in &all {
        assert!(!t.starts_with("style"), "a <style> element");
        for attr in t.split_whitespace().skip(1) {
            assert!(!attr.starts_with("style="), "a style attribute in <{t}>");
            assert!(!(attr.starts_with("on") && attr.contains('=')), "an event handler attribute in <{t}>");
            assert!(!attr.contains("javascript:"), "a javascript: URL in <{t}>");
        }
    }
    assert!(INDEX_HTML.contains("<link rel=\"stylesheet\" href=\"/assets/app.css\">"));
}

#[test]
fn no_script_turns_data_into_html_or_code() {
    let scripts: Vec<&w2k8_serve::pages::Asset> = ASSETS.iter().filter(|a| a.name.ends_with(".js")).collect();
    assert!(scripts.iter().any(|a| a.name == "app.js"), "app.js is embedded");
    for a in scripts {
        let js = String::from_utf8_lossy(a.body);
        for banned in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
            "setAttribute(\"style\"",
            "http://",
            "//cdn",
        ] {
            let hits: Vec<&str> =
                js.lines().filter(|l| l.contains(banned) && !l.trim_start().starts_with("//")).collect();
            // The SVG namespace is the one http:// URL allowed (a name, not a request).
            let hits: Vec<&&str> = hits.iter().filter(|l| !l.contains("http://www.w3.org/2000/svg")).collect();
            assert!(hits.is_empty(), "{} uses {banned}: {hits:?}", a.name);
        }
    }
}
