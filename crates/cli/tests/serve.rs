//! `w2k8 serve` as a process: it prints where it listens, writes the token
//! file owner-only and shows the token once (not on the next start), answers
//! over HTTP, and stops with exit code 0 on SIGTERM.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running `w2k8 serve` and the lines it printed on stderr so far.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child =
            util::command().arg("serve").args(args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let err = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(err).lines() {
                let Ok(l) = l else { break };
                if tx.send(l).is_err() {
                    break;
                }
            }
        });
        Running { child, lines: rx, seen: Vec::new() }
    }

    /// Waits for the line that says where it listens.
    fn addr(&mut self) -> SocketAddr {
        loop {
            let l = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no address printed; stderr so far: {:?}", self.seen));
            self.seen.push(l.clone());
            if let Some(rest) = l.strip_prefix("w2k8 serve: http://") {
                return rest.split('/').next().unwrap().parse().unwrap();
            }
        }
    }

    /// SIGTERM, then the exit code and the rest of stderr.
    fn terminate(mut self) -> (Option<i32>, Vec<String>) {
        let pid = self.child.id().to_string();
        let st = std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(st.success());
        let status = self.child.wait().unwrap();
        while let Ok(l) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(l);
        }
        (status.code(), self.seen)
    }
}

/// `GET path` naming `host` in the Host header, without a token.
fn get_as(addr: SocketAddr, host: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status = raw.split(' ').nth(1).unwrap().parse().unwrap();
    (status, raw)
}

fn get(addr: SocketAddr, path: &str, token: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n").unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status = raw.split(' ').nth(1).unwrap().parse().unwrap();
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

#[test]
fn serve_prints_the_token_once_answers_and_stops_on_sigterm() {
    let dir = util::scratch("serve");
    let db = dir.join("fleet.db");
    let token_file = dir.join("secret").join("token.txt");
    let (db_s, tf_s) = (db.to_str().unwrap(), token_file.to_str().unwrap());
    let o = util::w2k8(&["scan", "examples/fleet", "--db", db_s, "--as-of", "2026-01-15"]);
    util::assert_exit(&o, 4);

    let mut s = Running::start(&["--db", db_s, "--listen", "127.0.0.1:0", "--token-file", tf_s]);
    let addr = s.addr();
    assert!(addr.ip().is_loopback());
    let token = std::fs::read_to_string(&token_file).unwrap().trim().to_string();
    assert_eq!(token.len(), 43);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let (status, body) = get(addr, "/api/health", None);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""status":"ok""#), "{body}");
    assert_eq!(get(addr, "/api/hosts", None).0, 401);
    let (status, body) = get(addr, "/api/hosts?filter=status=failed", Some(&token));
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["total"], 2);
    let (status, body) = get(addr, "/api/summary", Some(&token));
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["totals"]["hosts"], 12);

    let (code, err) = s.terminate();
    assert_eq!(code, Some(0), "{err:?}");
    let all = err.join("\n");
    assert_eq!(all.matches(&token).count(), 1, "the token is shown exactly once: {all}");
    assert!(all.contains("owner-only"), "{all}");
    assert!(err.last().is_some_and(|l| l == "w2k8 serve: stopped"), "{all}");

    // The next start reads the same token and does not show it.
    let mut s = Running::start(&[
        "--db",
        db_s,
        "--listen",
        "127.0.0.1:0",
        "--token-file",
        tf_s,
        "--public-read",
        "--allowed-host",
        "fleet.corp.example",
    ]);
    let addr = s.addr();
    let (status, _) = get(addr, "/api/hosts", None);
    assert_eq!(status, 200, "public read");
    // DNS rebinding: a page naming another host gets no fleet data; an allowed name does.
    let (status, body) = get_as(addr, "evil.example", "/api/hosts");
    assert_eq!(status, 421, "{body}");
    assert_eq!(get_as(addr, "fleet.corp.example:8080", "/api/hosts").0, 200);
    let (code, err) = s.terminate();
    assert_eq!(code, Some(0));
    let all = err.join("\n");
    assert!(!all.contains(&token), "{all}");
    assert!(all.contains("reads public"), "{all}");
    assert_eq!(std::fs::read_to_string(&token_file).unwrap().trim(), token);
}

#[test]
fn serve_refuses_a_bad_token_file_and_a_busy_port() {
    let dir = util::scratch("serve-bad");
    let db = dir.join("fleet.db");
    let tf = dir.join("token.txt");
    std::fs::write(&tf, "short\n").unwrap();
    let o = util::w2k8(&["serve", "--db", db.to_str().unwrap(), "--token-file", tf.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
    let e = util::stderr(&o);
    assert!(e.contains("token.txt:1: expected a token of at least 16 printable ASCII characters"), "{e}");
    // A good token in a file other users can read (0644 here, as written
    // above) is refused, naming the mode and the fix.
    std::fs::write(&tf, "0123456789abcdefghij\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tf, std::fs::Permissions::from_mode(0o644)).unwrap();
        let o = util::w2k8(&["serve", "--db", db.to_str().unwrap(), "--token-file", tf.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        let e = util::stderr(&o);
        assert!(e.contains("token.txt: the token file can be read or written by other users (mode 0644)"), "{e}");
        assert!(e.contains("chmod 600"), "{e}");
    }

    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().to_string();
    let tf2 = dir.join("token2.txt");
    let o =
        util::w2k8(&["serve", "--db", db.to_str().unwrap(), "--token-file", tf2.to_str().unwrap(), "--listen", &port]);
    assert_ne!(o.status.code(), Some(0));
    let e = util::stderr(&o);
    assert!(e.contains(&format!("cannot listen on {port}")), "{e}");
}
