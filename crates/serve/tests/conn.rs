//! Connections (issue 18): idle and slow clients cannot hold the server
//! (header, idle and body read timeouts, a connection cap), and a request
//! naming another host (DNS rebinding) is refused. Timeouts are shortened
//! through `Limits` so that each test takes a few seconds at most.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod common;

use common::{parse_response, Opts, Server, TOKEN};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use w2k8_serve::state::Limits;

fn limits(header_secs: u64, body_secs: u64, max_connections: usize) -> Limits {
    Limits {
        header_timeout: Duration::from_secs(header_secs),
        body_timeout: Duration::from_secs(body_secs),
        max_connections,
        ..Limits::default()
    }
}

/// Waits (at most `within`) for the server to close `c`; how long it took.
fn closed_within(c: &mut TcpStream, within: Duration) -> Duration {
    let t = Instant::now();
    c.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match c.read(&mut buf) {
            Ok(0) => return t.elapsed(),
            // A 408 or any answer before the close is fine.
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return t.elapsed(),
            Err(e) => panic!("connection still open after {:?}: {e}", t.elapsed()),
        }
    }
}

/// One request written raw, the answer read until the server closes.
fn raw(s: &Server, request: &str) -> common::Resp {
    let mut c = TcpStream::connect(s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    parse_response(&out)
}

/// A connection to `to` from the loopback address `from` (Linux answers on all of 127.0.0.0/8).
fn connect_from(from: [u8; 4], to: std::net::SocketAddr) -> TcpStream {
    let sock = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    sock.bind(&std::net::SocketAddr::from((from, 0)).into()).unwrap();
    sock.connect(&to.into()).unwrap();
    sock.into()
}

#[test]
fn idle_connections_cannot_stop_health_and_are_closed() {
    // 300 idle connections from one address: the per-address cap is lifted here, the timeouts are under test.
    let s = Server::examples(
        "slowloris",
        Opts { limits: Limits { max_per_address: 1024, ..limits(1, 1, 512) }, ..Opts::default() },
    );
    let mut idle = Vec::new();
    for i in 0..300 {
        let mut c = TcpStream::connect(s.addr).unwrap();
        // Half send one request line and hang, half send nothing at all.
        if i % 2 == 0 {
            c.write_all(b"GET /api/health HTTP/1.1\r\n").unwrap();
        }
        idle.push(c);
    }
    let t = Instant::now();
    let r = s.get("/api/health");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(t.elapsed() < Duration::from_secs(3), "health took {:?} beside 300 idle connections", t.elapsed());
    // Every idle connection is closed once the header timeout (1 s) passes.
    let t = Instant::now();
    for c in &mut idle {
        closed_within(c, Duration::from_secs(5));
    }
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    // And a connection idle after an answer (keep-alive) is closed too.
    let mut c = TcpStream::connect(s.addr).unwrap();
    write!(c, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    closed_within(&mut c, Duration::from_secs(5));
}

#[test]
fn one_address_cannot_take_every_slot() {
    let s = Server::examples(
        "per-address",
        Opts { limits: Limits { max_per_address: 8, ..limits(5, 5, 64) }, ..Opts::default() },
    );
    let other = [127, 0, 0, 2];
    let mut idle = Vec::new();
    for _ in 0..8 {
        let mut c = connect_from(other, s.addr);
        c.write_all(b"GET /api/health HTTP/1.1\r\n").unwrap();
        idle.push(c);
    }
    std::thread::sleep(Duration::from_millis(300));
    // The ninth connection from that address is closed at once, long before the 5 s header timeout.
    let mut ninth = connect_from(other, s.addr);
    let took = closed_within(&mut ninth, Duration::from_secs(4));
    assert!(took < Duration::from_secs(2), "the ninth connection from one address was held {took:?}");
    // Another address is served at once.
    let t = Instant::now();
    let r = s.get("/api/health");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    // When one of the eight closes, the address may connect again.
    drop(idle.pop());
    std::thread::sleep(Duration::from_millis(300));
    let mut again = connect_from(other, s.addr);
    again.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(again, "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = Vec::new();
    let _ = again.read_to_end(&mut out);
    assert_eq!(parse_response(&out).status, 200, "{}", String::from_utf8_lossy(&out));
}

#[test]
fn the_connection_cap_makes_new_connections_wait_for_a_slot() {
    let s = Server::examples("cap", Opts { limits: limits(2, 2, 8), ..Opts::default() });
    let mut idle = Vec::new();
    for _ in 0..8 {
        let mut c = TcpStream::connect(s.addr).unwrap();
        c.write_all(b"GET /api/health HTTP/1.1\r\n").unwrap();
        idle.push(c);
    }
    std::thread::sleep(Duration::from_millis(300));
    // All 8 slots are taken: the next client is served once the idle ones time out.
    let t = Instant::now();
    let r = s.get("/api/health");
    assert_eq!(r.status, 200, "{}", r.text());
    let waited = t.elapsed();
    assert!(waited >= Duration::from_millis(1000), "served at once ({waited:?}) although 8 of 8 slots were taken");
    assert!(waited < Duration::from_secs(6), "{waited:?}");
}

#[test]
fn a_body_that_stops_arriving_is_answered_408_and_closed() {
    let s = Server::examples("body", Opts { limits: limits(5, 1, 512), ..Opts::default() });
    let mut c = TcpStream::connect(s.addr).unwrap();
    write!(
        c,
        "POST /api/bundles?name=x.zip HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/zip\r\nContent-Length: 100000\r\n\r\nPK\x03\x04"
    )
    .unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let t = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match c.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset && !out.is_empty() => break,
            Err(e) => panic!("no answer after {:?}: {e}", t.elapsed()),
        }
    }
    let r = parse_response(&out);
    assert_eq!(r.status, 408, "{}", r.text());
    assert!(r.error(408).contains("body"), "{}", r.text());
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
}

#[test]
fn only_loopback_names_and_allowed_hosts_are_served() {
    let s = Server::examples(
        "rebinding",
        Opts { public_read: true, allowed_hosts: &["Fleet.Example.org"], ..Opts::default() },
    );
    let port = s.addr.port();
    let ok = [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "LOCALHOST".to_string(),
        "[::1]:8080".to_string(),
        "fleet.example.org".to_string(),
        format!("fleet.example.org.:{port}"),
    ];
    for host in &ok {
        let r = raw(&s, &format!("GET /api/summary HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        assert_eq!(r.status, 200, "Host: {host}: {}", r.text());
    }
    let refused = ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example:80", "[::2]"];
    for host in refused {
        let r = raw(&s, &format!("GET /api/summary HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        let msg = r.error(421);
        assert!(msg.contains("--allowed-host"), "{msg}");
        assert!(!r.text().contains("SRV-"), "no fleet data for Host: {host}");
    }
    // The dashboard too, and a request without a Host header.
    let r = raw(&s, "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 421);
    let r = raw(&s, "GET /api/summary HTTP/1.0\r\n\r\n");
    assert_eq!(r.status, 400, "{}", r.text());
}

/// A request hyper cannot parse (the README's `curl '...?filter=kev>0'`
/// sends the `>` raw) is answered 400 with a JSON message saying how to
/// encode it, never an empty body; the encoded form works.
#[test]
fn a_raw_character_in_the_url_gets_a_json_400_saying_how_to_encode_it() {
    let s = Server::examples("rawurl", Opts { public_read: true, ..Opts::default() });
    let r = raw(&s, "GET /api/hosts?filter=kev>0&sort=kev_open&order=desc HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assert_eq!(r.header("content-type"), Some("application/json"), "{:?}", r.headers);
    let msg = r.error(400);
    assert!(msg.contains("percent-encoded") && msg.contains("--data-urlencode"), "{msg}");
    let r = raw(&s, "GET /api/hosts?filter=kev%3E0&sort=kev_open&order=desc HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["total"].as_u64().unwrap() > 0);
    // Headers too large: hyper's 431, with a JSON body too.
    let big = "x".repeat(600 * 1024);
    let r = raw(&s, &format!("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {big}\r\n\r\n"));
    assert!(r.status >= 400, "{}", r.status);
    assert!(r.json()["error"]["message"].is_string(), "{}: {}", r.status, r.text());
}
