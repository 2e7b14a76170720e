//! Load benchmark for `w2k8 serve` (run with `cargo bench -p w2k8 --bench serve_load`).
//!
//! Builds a 10,000-host fleet database (`w2k8 demo-fleet` + `w2k8 scan`;
//! `W2K8_BENCH_HOSTS` changes the size), starts the real `w2k8 serve` binary
//! on loopback, and sends 10,000 requests (`W2K8_BENCH_REQUESTS`) from 64
//! concurrent clients (`W2K8_BENCH_CLIENTS`), each on its own keep-alive
//! HTTP/1.1 connection with the bearer token: three in four to a random
//! host's detail page (`/api/hosts/NAME`), one in four to `/api/summary`.
//! The first summary request to each instance (which fills its cache) is
//! sent and timed before the clients start. Bounded in time as well as in count:
//! clients stop after 120 s whatever is left.
//!
//! Then the same load again while 500 idle or slow (slowloris) connections
//! from 127.0.0.2 .. 127.0.0.9 are kept open (issue 18).
//!
//! Prints throughput, p50/p90/p99/max latency and errors (target: 0 errors,
//! p99 <= 50 ms). With `W2K8_TEST_PG` set, does the same against two serve
//! instances sharing one PostgreSQL database (half the clients on each;
//! `W2K8_BENCH_PG_INSTANCES` changes the number).
//!
//! Figures, not assertions: a benchmark never fails a build.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A keep-alive HTTP/1.1 connection that sends GETs and reads whole answers.
struct Conn {
    addr: SocketAddr,
    reader: BufReader<TcpStream>,
}

impl Conn {
    fn open(addr: SocketAddr) -> std::io::Result<Conn> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Conn { addr, reader: BufReader::new(s) })
    }

    /// GET `path`; the status code and the body length.
    fn get(&mut self, path: &str, token: &str) -> std::io::Result<(u16, usize)> {
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nAccept: application/json\r\n\r\n",
            self.addr
        );
        self.reader.get_mut().write_all(req.as_bytes())?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut len = 0usize;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed"));
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0u8; len];
        self.reader.read_exact(&mut body)?;
        Ok((status, len))
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_serve(bin: &str, db: &str, token_file: &std::path::Path) -> (Child, SocketAddr) {
    let port = free_port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    // W2K8_BENCH_SERVE_ARGS: extra `serve` arguments, e.g. `--connections 16`.
    let extra = std::env::var("W2K8_BENCH_SERVE_ARGS").unwrap_or_default();
    let child = Command::new(bin)
        .args(["serve", "--db", db, "--listen", &addr.to_string(), "--token-file"])
        .arg(token_file)
        .args(extra.split_whitespace())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while TcpStream::connect(addr).is_err() {
        assert!(t.elapsed() < Duration::from_secs(30), "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, addr)
}

fn stop(mut c: Child) {
    let _ = Command::new("kill").arg("-TERM").arg(c.id().to_string()).status();
    let _ = c.wait();
}

/// Tiny xorshift, so the bench needs no random crate.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A connection to `to` from the loopback address `from`.
fn connect_from(from: [u8; 4], to: SocketAddr) -> std::io::Result<TcpStream> {
    let sock = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)?;
    sock.bind(&SocketAddr::from((from, 0)).into())?;
    sock.connect(&to.into())?;
    let s: TcpStream = sock.into();
    s.set_nonblocking(true)?;
    Ok(s)
}

/// Keeps `n` hostile connections open to `addr` until `stop` is set: half
/// send nothing, half a request line and then one header byte a second
/// (slowloris); each is opened from one of 127.0.0.2 .. 127.0.0.9 (never
/// the normal clients' 127.0.0.1), and reopened when the server closes it.
/// Returns how many connections it opened in all.
fn hostile(addr: SocketAddr, n: usize, stop: Arc<std::sync::atomic::AtomicBool>) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let from = |i: usize| [127, 0, 0, 2 + (i % 8) as u8];
        let open = |i: usize| {
            let mut c = connect_from(from(i), addr).ok()?;
            if i % 2 == 1 {
                let _ = c.write_all(b"GET /api/health HTTP/1.1\r\n");
            }
            Some(c)
        };
        let mut opened = n;
        let mut conns: Vec<Option<TcpStream>> = (0..n).map(open).collect();
        let mut tick = Instant::now();
        while !stop.load(Ordering::Relaxed) {
            let drip = tick.elapsed() >= Duration::from_secs(1);
            if drip {
                tick = Instant::now();
            }
            for (i, slot) in conns.iter_mut().enumerate() {
                let closed = match slot.as_mut() {
                    None => true,
                    Some(c) => {
                        let mut buf = [0u8; 512];
                        matches!(c.read(&mut buf), Ok(0)) || (drip && i % 2 == 1 && c.write_all(b"X").is_err())
                    }
                };
                if closed {
                    *slot = open(i);
                    opened += 1;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        opened
    })
}

/// Runs the load against `addrs` (clients spread over them) and prints the figures.
fn load(label: &str, addrs: &[SocketAddr], token: &str, names: &[String], requests: usize, clients: usize) {
    // Warm each instance's cache once, timed: the first summary after a
    // scan computes it (each serve instance keeps its own cache).
    for (i, addr) in addrs.iter().enumerate() {
        let mut c = Conn::open(*addr).unwrap();
        let t = Instant::now();
        let (st, len) = c.get("/api/summary", token).unwrap();
        println!(
            "{label}: instance {}: first /api/summary (fills the cache): {:.1} ms, status {st}, {len} bytes",
            i + 1,
            t.elapsed().as_secs_f64() * 1e3
        );
    }

    let issued = Arc::new(AtomicUsize::new(0));
    let names = Arc::new(names.to_vec());
    let deadline = Instant::now() + Duration::from_secs(120);
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            let issued = Arc::clone(&issued);
            let names = Arc::clone(&names);
            let token = token.to_string();
            let addr = addrs[i % addrs.len()];
            std::thread::spawn(move || {
                let mut lat = Vec::new();
                let mut errors = 0usize;
                let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ (i as u64 + 1);
                let mut conn = Conn::open(addr).ok();
                while issued.fetch_add(1, Ordering::Relaxed) < requests && Instant::now() < deadline {
                    let r = next(&mut rng);
                    let path = if r.is_multiple_of(4) || names.is_empty() {
                        "/api/summary".to_string()
                    } else {
                        format!("/api/hosts/{}", percent_encode(&names[(r as usize / 4) % names.len()]))
                    };
                    let t = Instant::now();
                    let ok = match conn.as_mut().map(|c| c.get(&path, &token)) {
                        Some(Ok((200, _))) => true,
                        Some(Ok(_)) => false,
                        _ => {
                            conn = Conn::open(addr).ok();
                            false
                        }
                    };
                    lat.push(t.elapsed().as_secs_f64() * 1e3);
                    if !ok {
                        errors += 1;
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (l, e) = h.join().unwrap();
        all.extend(l);
        errors += e;
    }
    let wall = started.elapsed().as_secs_f64();
    all.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{label}: {} requests from {clients} clients in {wall:.2} s = {:.0} req/s; latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms (target <= 50), max {:.2} ms; errors {errors} (target 0)",
        all.len(),
        all.len() as f64 / wall,
        pct(&all, 0.50),
        pct(&all, 0.90),
        pct(&all, 0.99),
        all.last().copied().unwrap_or(f64::NAN),
    );
}

fn main() {
    let n: usize = std::env::var("W2K8_BENCH_HOSTS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let requests: usize = std::env::var("W2K8_BENCH_REQUESTS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let clients: usize = std::env::var("W2K8_BENCH_CLIENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    let bin = env!("CARGO_BIN_EXE_w2k8");
    let dir = std::env::temp_dir().join(format!("w2k8-bench-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fleet = dir.join("fleet");
    let db = dir.join("fleet.db");
    common::demo_fleet(bin, n, &fleet);
    let t = Instant::now();
    let out = Command::new(bin).arg("scan").arg(&fleet).arg("--db").arg(&db).output().unwrap();
    println!("fleet database: {n} hosts scanned in {:.2} s (exit {:?})", t.elapsed().as_secs_f64(), out.status.code());
    let hosts = Command::new(bin).arg("hosts").arg("--db").arg(&db).args(["--format", "json"]).output().unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&hosts.stdout).unwrap();
    let names: Vec<String> = rows["hosts"]
        .as_array()
        .map(|a| a.iter().filter_map(|h| h.get("name").and_then(|n| n.as_str()).map(str::to_string)).collect())
        .unwrap_or_default();
    println!("{} host names", names.len());

    let token_file = dir.join("token.txt");
    let (child, addr) = start_serve(bin, db.to_str().unwrap(), &token_file);
    let token = std::fs::read_to_string(&token_file).unwrap().trim().to_string();
    load("SQLite, 1 instance", &[addr], &token, &names, requests, clients);
    // Issue 18's target: p99 <= 50 ms for normal clients while 500 idle or slow connections are open.
    let stop_hostile = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hostile_conns = hostile(addr, 500, Arc::clone(&stop_hostile));
    std::thread::sleep(Duration::from_secs(1));
    load("SQLite, 1 instance, beside 500 idle or slow connections", &[addr], &token, &names, requests, clients);
    stop_hostile.store(true, Ordering::Relaxed);
    println!("  hostile connections opened in all: {}", hostile_conns.join().unwrap_or(0));
    stop(child);

    if let Some(url) = common::fresh_pg("bench_serve") {
        let out = Command::new(bin).arg("scan").arg(&fleet).arg("--db").arg(&url).output().unwrap();
        println!("PostgreSQL: scanned, exit {:?}", out.status.code());
        let instances: usize =
            std::env::var("W2K8_BENCH_PG_INSTANCES").ok().and_then(|v| v.parse().ok()).unwrap_or(2).max(1);
        let servers: Vec<(Child, SocketAddr)> = (0..instances).map(|_| start_serve(bin, &url, &token_file)).collect();
        let addrs: Vec<SocketAddr> = servers.iter().map(|s| s.1).collect();
        load(&format!("PostgreSQL, {instances} instance(s)"), &addrs, &token, &names, requests, clients);
        for (c, _) in servers {
            stop(c);
        }
    } else {
        println!("PostgreSQL: skipped (set W2K8_TEST_PG to a server URL)");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
