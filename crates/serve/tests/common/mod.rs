//! Helpers of the HTTP tests: a store filled from the repository's example
//! bundles, the server started in-process on 127.0.0.1:0 (stopped by a
//! oneshot), a plain HTTP/1.1 client over `std::net::TcpStream`, and zip
//! builders. Each test file uses part of them, hence `dead_code` is allowed.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_serve::auth::Token;
use w2k8_serve::state::{AppState, FleetCache, Limits, Shared, StorePool};
use w2k8_store::{ScanInput, SqliteStore, Store};

/// The token of the test servers.
pub const TOKEN: &str = "test-token-0123456789-abcdefghij";

/// The day the example bundles are assessed as of.
pub const AS_OF: &str = "2026-01-15";

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh scratch directory.
pub fn scratch(tag: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("w2k8-serve-{}-{tag}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The catalog label as the server builds it.
pub fn catalog_label() -> String {
    let v = w2k8_catalog::data_version();
    format!("msrc {}, kev {}, servicing {}", v.msrc, v.kev, v.servicing)
}

/// The example bundles: the 12 of examples/fleet and examples/srv-legacy01,
/// scanned once as of [`AS_OF`] (examples/srv-file01 is left for uploads).
pub fn example_scans() -> &'static [ScanInput] {
    static SCANS: OnceLock<Vec<ScanInput>> = OnceLock::new();
    SCANS.get_or_init(|| {
        let fleet = root().join("examples/fleet");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&fleet)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_none_or(|e| e != "md"))
            .collect();
        paths.sort();
        assert_eq!(paths.len(), 12);
        paths.push(root().join("examples/srv-legacy01"));
        let today: Date = AS_OF.parse().unwrap();
        let at = w2k8_core::Timestamp::noon(today);
        paths.iter().map(|p| w2k8_scan::scan_path(p, Catalog::embedded(), today, at)).collect()
    })
}

/// A SQLite store in `dir` holding the example scans.
pub fn example_db(dir: &Path) -> PathBuf {
    let db = dir.join("fleet.db");
    let mut s = SqliteStore::open(&db).unwrap();
    let o = s.write_batch(example_scans()).unwrap();
    assert_eq!(o.stored, 13);
    db
}

/// How a test server is set up.
#[derive(Clone, Copy)]
pub struct Opts {
    /// Reads without the token.
    pub public_read: bool,
    /// Body limit.
    pub max_body: usize,
    /// Connection limits and timeouts (`max_body` above wins over theirs).
    pub limits: Limits,
    /// Host names accepted besides the loopback names.
    pub allowed_hosts: &'static [&'static str],
}

impl Default for Opts {
    fn default() -> Opts {
        Opts { public_read: false, max_body: Limits::default().max_body, limits: Limits::default(), allowed_hosts: &[] }
    }
}

/// A server running in-process; stopped (gracefully) when dropped.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its state.
    pub state: Shared,
    /// Its database.
    pub db: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl Server {
    /// Starts a server over the store at `db`.
    pub fn start(db: &Path, opts: Opts) -> Server {
        let state: Shared = Arc::new(AppState {
            pool: StorePool::open(&db.to_string_lossy(), 4).unwrap(),
            catalog: Catalog::embedded(),
            catalog_label: catalog_label(),
            token: Token::new(TOKEN).unwrap(),
            public_read: opts.public_read,
            limits: Limits { max_body: opts.max_body, ..opts.limits },
            allowed_hosts: opts.allowed_hosts.iter().map(|h| h.to_string()).collect(),
            cache: FleetCache::default(),
        });
        Server::with_state(state, db)
    }

    /// Starts a server with a given state.
    pub fn with_state(state: Shared, db: &Path) -> Server {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let st = Arc::clone(&state);
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                w2k8_serve::server::serve_on(listener, st, async move {
                    let _ = rx.await;
                })
                .await
                .map_err(|e| e.to_string())
            })
        });
        let addr = addr_rx.recv_timeout(Duration::from_secs(30)).unwrap();
        Server { addr, state, db: db.to_path_buf(), stop: Some(tx), thread: Some(thread) }
    }

    /// A server over a fresh copy of the example store.
    pub fn examples(tag: &str, opts: Opts) -> Server {
        let dir = scratch(tag);
        let db = example_db(&dir);
        Server::start(&db, opts)
    }

    /// Triggers the graceful shutdown (requests in flight finish).
    pub fn trigger_shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }

    /// Waits for the server to stop; its result.
    pub fn join(&mut self) -> Result<(), String> {
        self.trigger_shutdown();
        match self.thread.take() {
            Some(t) => t.join().unwrap(),
            None => Ok(()),
        }
    }

    /// `GET path` with the token.
    pub fn get(&self, path: &str) -> Resp {
        request(self.addr, "GET", path, &[("Authorization", &format!("Bearer {TOKEN}"))], None)
    }

    /// `POST /api/acceptances` with the token and a JSON body.
    pub fn accept(&self, body: &[u8]) -> Resp {
        let auth = format!("Bearer {TOKEN}");
        request(
            self.addr,
            "POST",
            "/api/acceptances",
            &[("Authorization", &auth), ("Content-Type", "application/json")],
            Some(body),
        )
    }

    /// `DELETE path` with the token.
    pub fn delete(&self, path: &str) -> Resp {
        request(self.addr, "DELETE", path, &[("Authorization", &format!("Bearer {TOKEN}"))], None)
    }

    /// `GET path` with the token, expecting 200 and JSON.
    #[track_caller]
    pub fn json(&self, path: &str) -> serde_json::Value {
        let r = self.get(path);
        assert_eq!(r.status, 200, "GET {path}: {}", r.text());
        r.json()
    }

    /// `POST /api/bundles?name=NAME` with the token and a zip body.
    pub fn upload(&self, name: &str, body: &[u8]) -> Resp {
        request(
            self.addr,
            "POST",
            &format!("/api/bundles?name={}", encode(name)),
            &[("Authorization", &format!("Bearer {TOKEN}")), ("Content-Type", "application/zip")],
            Some(body),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.join();
    }
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Resp {
    /// Status code.
    pub status: u16,
    /// Headers, names lowercase.
    pub headers: Vec<(String, String)>,
    /// Body (de-chunked).
    pub body: Vec<u8>,
}

impl Resp {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// Asserts the API's error shape with this status; returns the message.
    #[track_caller]
    pub fn error(&self, status: u16) -> String {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(self.header("content-type"), Some("application/json"), "{}", self.text());
        let v = self.json();
        assert_eq!(v["error"]["status"], status, "{v}");
        assert_eq!(v.as_object().unwrap().len(), 1, "{v}");
        assert_eq!(v["error"].as_object().unwrap().len(), 2, "{v}");
        v["error"]["message"].as_str().unwrap().to_string()
    }
}

/// Writes a request (with `Connection: close`) on a new connection.
pub fn write_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-length")) {
            head.push_str(&format!("Content-Length: {}\r\n", b.len()));
        }
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    if let Some(b) = body {
        // The server may answer (413, 401, ...) without reading it all.
        let _ = s.write_all(b);
    }
    s
}

/// Reads a whole answer from a connection the server will close.
pub fn read_response(mut s: TcpStream) -> Resp {
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && !raw.is_empty() => break,
            Err(e) => panic!("reading the answer: {e} (after {} bytes)", raw.len()),
        }
    }
    parse_response(&raw)
}

/// Parses an HTTP/1.1 answer.
pub fn parse_response(raw: &[u8]) -> Resp {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| {
        panic!("no end of headers in {:?}", String::from_utf8_lossy(raw));
    });
    let head = std::str::from_utf8(&raw[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_ascii_lowercase(), v.trim().to_string())
        })
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked")) {
        body = dechunk(&body);
    }
    Resp { status, headers, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size_text = std::str::from_utf8(&b[..eol]).unwrap();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

/// One request, one answer.
pub fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Resp {
    read_response(write_request(addr, method, path, headers, body))
}

/// A zip of `entries` (name, bytes), deflated.
pub fn make_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// examples/srv-file01 as the collector zips it: one top folder.
pub fn srv_file01_zip() -> Vec<u8> {
    let dir = root().join("examples/srv-file01");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                format!("w2k8-SRV-FILE01-20260115/{}", p.file_name().unwrap().to_string_lossy()),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    let entries: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    make_zip(&entries)
}
