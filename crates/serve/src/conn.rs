//! Connections: the accept loop and what guards it.
//!
//! - A cap on connections served at once ([`Limits::max_connections`]):
//!   past it the loop stops accepting, and new clients wait in the listen
//!   queue until a connection closes. The cap fits the open-file limit,
//!   which is raised towards its hard limit first ([`fd_budget`]).
//! - A cap per client address ([`Limits::max_per_address`]): a connection
//!   past it is closed at once, so idle or slow connections from one
//!   address cannot hold every slot.
//! - A header read timeout ([`Limits::header_timeout`], hyper's, with a
//!   tokio timer): a connection that sends nothing, a partial request line
//!   or headers slower than that is closed, and so is a keep-alive
//!   connection idle that long. Idle clients therefore hold a slot for at
//!   most this long.
//! - A body read timeout ([`Limits::body_timeout`], [`body_deadline`]): a
//!   request whose body has not arrived in time is answered 408 and its
//!   connection closed.
//! - A `Host` check ([`HostCheck`], [`check_host`]) against DNS rebinding:
//!   a page on another site that resolves its name to this server's address
//!   gets 421, not fleet data. Accepted: `localhost`, `127.0.0.1`, `[::1]`,
//!   the listen address, and the names given with `--allowed-host`; any
//!   port.
//!
//! - A request hyper cannot parse (a raw `>` or space in the URL, a bad
//!   header, headers too large) is answered by hyper itself, with an empty
//!   body; [`JsonErrors`] gives that answer a JSON body with a message, like
//!   every other error of the API.
//!
//! Shutdown is graceful: the loop stops accepting, idle connections close,
//! requests in flight finish.
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::api::ApiError;
use crate::state::Limits;

/// The most connections a server may be told to serve at once.
const MAX_CONNECTIONS: usize = 65_536;

/// Accepts connections on `listener` and serves `app` on each (HTTP/1.1)
/// within `limits`, until `shutdown` resolves; then stops accepting, closes
/// idle connections and waits for the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let cap = limits.max_connections.clamp(1, MAX_CONNECTIONS).min(fd_budget(limits.max_connections));
    let slots = Arc::new(tokio::sync::Semaphore::new(cap));
    let per_address = Arc::new(PerAddress::new(limits.max_per_address));
    let (closing, closed) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            _ = &mut shutdown => break,
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(s) => s,
                Err(_) => break,
            },
        };
        let stream = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => match per_address.admit(peer.ip()) {
                    Some(held) => (stream, held),
                    // Over its address's share: closed at once (dropped).
                    None => continue,
                },
                Err(e) => {
                    // Out of file descriptors or a connection reset before it
                    // was accepted: wait a moment instead of spinning.
                    eprintln!("w2k8 serve: accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let service = TowerToHyperService::new(app.clone());
        let mut closed = closed.clone();
        let (stream, held) = stream;
        tokio::spawn(async move {
            let _slot = slot;
            let _held = held;
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
            let conn = http.serve_connection(TokioIo::new(JsonErrors::new(stream)), service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = closed.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    let _ = closing.send(true);
    // Every connection gives its slot back when it ends.
    let _ = slots.acquire_many(u32::try_from(cap).unwrap_or(u32::MAX)).await;
}

/// Connections held per client address (see [`Limits::max_per_address`]).
struct PerAddress {
    max: usize,
    held: std::sync::Mutex<std::collections::HashMap<IpAddr, usize>>,
}

/// One connection counted against its address until dropped.
struct Held {
    table: Arc<PerAddress>,
    ip: IpAddr,
}

impl PerAddress {
    fn new(max: usize) -> PerAddress {
        PerAddress { max: max.max(1), held: Default::default() }
    }

    /// Counts a connection from `ip`, or `None` when `ip` holds its share.
    fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<Held> {
        let mut held = self.held.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = held.entry(ip).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(Held { table: Arc::clone(self), ip })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut held = self.table.held.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = held.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                held.remove(&self.ip);
            }
        }
    }
}

/// Open files kept for everything but client connections: the store's
/// files and connections, the listener, standard streams, the runtime.
const FD_RESERVE: u64 = 256;

/// How many connections the process's open-file limit leaves room for,
/// after raising the soft limit towards the hard one (as far as `want`
/// connections need). Unlimited where the limit cannot be read.
pub fn fd_budget(want: usize) -> usize {
    #[cfg(unix)]
    {
        let need = (want as u64).saturating_add(FD_RESERVE);
        let Ok((soft, _hard)) = rlimit::Resource::NOFILE.get() else { return usize::MAX };
        let soft = if soft < need { rlimit::increase_nofile_limit(need).unwrap_or(soft) } else { soft };
        usize::try_from(soft.saturating_sub(FD_RESERVE)).unwrap_or(usize::MAX).max(1)
    }
    #[cfg(not(unix))]
    {
        let _ = want;
        usize::MAX
    }
}

/// A connection whose bodiless error answers get a JSON body.
///
/// hyper answers a request it cannot parse itself, before any handler runs:
/// `HTTP/1.1 400 Bad Request`, `connection: close`, `content-length: 0`
/// (431 for headers too large, 414 for a URL too long, 505 for another HTTP
/// version). Every answer of this server's handlers to an error has a body,
/// so a 4xx/5xx head with `content-length: 0` and `connection: close` is
/// hyper's: it is written with `{"error": {"status", "message"}}` instead.
/// The connection closes after it, so the longer answer is safe.
pub struct JsonErrors<S> {
    inner: S,
    /// The rewritten answer still to write, and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
}

impl<S> JsonErrors<S> {
    /// Wraps a connection.
    pub fn new(inner: S) -> JsonErrors<S> {
        JsonErrors { inner, pending: None }
    }
}

/// The message of hyper's own error answer, by status.
fn parse_error_message(status: u16) -> &'static str {
    match status {
        400 => "the request could not be read as HTTP/1.1: a character in the URL that must be percent-encoded (e.g. `>` as %3E, `<` as %3C, a space as %20; with curl: -G --data-urlencode 'filter=kev>0'), or a malformed request line or header",
        414 => "the URL is too long",
        431 => "the request's headers are too large",
        505 => "HTTP version not supported: use HTTP/1.1",
        _ => "the request could not be read as HTTP/1.1",
    }
}

/// hyper's bodiless error head, rewritten with a JSON body; None for any
/// other write.
fn with_json_body(head: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(head).ok()?;
    let rest = text.strip_prefix("HTTP/1.1 ")?;
    let status: u16 = rest.get(..3)?.parse().ok()?;
    let lower = text.to_ascii_lowercase();
    if !(400..600).contains(&status)
        || !text.ends_with("\r\n\r\n")
        || !lower.contains("\r\ncontent-length: 0\r\n")
        || !lower.contains("\r\nconnection: close\r\n")
    {
        return None;
    }
    let body = serde_json::json!({"error": {"status": status, "message": parse_error_message(status)}}).to_string();
    let at = lower.find("\r\ncontent-length: 0\r\n")?;
    let mut out = String::with_capacity(text.len() + body.len() + 96);
    out.push_str(text.get(..at)?);
    out.push_str(&format!(
        "\r\ncontent-type: application/json\r\nx-content-type-options: nosniff\r\ncache-control: no-store\r\ncontent-length: {}\r\n",
        body.len()
    ));
    out.push_str(text.get(at + "\r\ncontent-length: 0\r\n".len()..)?);
    out.push_str(&body);
    Some(out.into_bytes())
}

impl<S: tokio::io::AsyncWrite + Unpin> JsonErrors<S> {
    /// Writes what is pending; Ready(Ok) once nothing is.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        while let Some((buf, done)) = &mut self.pending {
            let rest = buf.get(*done..).unwrap_or_default();
            if rest.is_empty() {
                self.pending = None;
                break;
            }
            match Pin::new(&mut self.inner).poll_write(cx, rest) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *done += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for JsonErrors<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for JsonErrors<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let this = &mut *self;
        if this.drain(cx)?.is_pending() {
            return Poll::Pending;
        }
        if let Some(answer) = with_json_body(buf) {
            this.pending = Some((answer, 0));
            // The whole head is taken; what is left of the answer goes out on the next write or flush.
            let _ = this.drain(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        if this.drain(cx)?.is_pending() {
            return Poll::Pending;
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        if this.drain(cx)?.is_pending() {
            return Poll::Pending;
        }
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// Why a request body stopped: it did not arrive within the body timeout.
#[derive(Debug)]
struct BodyTimedOut;

impl std::fmt::Display for BodyTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body did not arrive in time")
    }
}

impl std::error::Error for BodyTimedOut {}

/// A request body that fails once its deadline passes.
struct Deadline {
    inner: Body,
    sleep: Pin<Box<tokio::time::Sleep>>,
    fired: Arc<AtomicBool>,
}

impl http_body::Body for Deadline {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        if this.sleep.as_mut().poll(cx).is_ready() {
            this.fired.store(true, Ordering::Relaxed);
            return Poll::Ready(Some(Err(axum::Error::new(BodyTimedOut))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// Middleware: the request's body must arrive within `limit` of the head;
/// when it does not, the answer is 408 (the API's JSON error) and the
/// connection is closed.
pub async fn body_deadline(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    let fired = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&fired);
    let req = req.map(|inner| Body::new(Deadline { inner, sleep: Box::pin(tokio::time::sleep(limit)), fired: flag }));
    let res = next.run(req).await;
    if !fired.load(Ordering::Relaxed) {
        return res;
    }
    let mut res = ApiError::new(
        StatusCode::REQUEST_TIMEOUT,
        format!("the request body did not arrive within {} s", limit.as_secs_f64()),
    )
    .into_response();
    res.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    res
}

/// The names a request may give in its `Host` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostCheck {
    names: Vec<String>,
}

impl HostCheck {
    /// Loopback names (`localhost`, `127.0.0.1`, `[::1]`), the listen
    /// address (unless it is `0.0.0.0` or `[::]`) and `allowed` (names or
    /// addresses, any case, a port ignored).
    pub fn new(allowed: &[String], listen: SocketAddr) -> HostCheck {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].iter().map(|s| s.to_string()).collect();
        if !listen.ip().is_unspecified() {
            names.push(host_of_ip(listen.ip()));
        }
        names.extend(allowed.iter().filter_map(|a| normalise(a)));
        names.sort();
        names.dedup();
        HostCheck { names }
    }

    /// Whether a `Host` header value (`name`, `name:port`, `[v6]:port`) is
    /// accepted.
    pub fn allows(&self, host: &str) -> bool {
        normalise(host).is_some_and(|h| self.names.contains(&h))
    }

    /// The accepted names, sorted.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

fn host_of_ip(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// A `Host` value (or an `--allowed-host` argument) without its port,
/// lowercase, without a trailing dot, IPv6 addresses in brackets and in
/// their canonical form; `None` when empty or malformed.
fn normalise(host: &str) -> Option<String> {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        let (addr, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.starts_with(':')) {
            return None;
        }
        return addr.parse::<std::net::Ipv6Addr>().ok().map(|a| format!("[{a}]"));
    } else if host.matches(':').count() > 1 {
        // A bare IPv6 address (as `--allowed-host` may give it).
        return host.parse::<std::net::Ipv6Addr>().ok().map(|a| format!("[{a}]"));
    } else {
        host.split_once(':').map_or(host, |(n, _)| n)
    };
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)) {
        return None;
    }
    Some(name)
}

/// Middleware: answers 421 to a request whose `Host` (or absolute URI) names
/// a host this server does not answer for, and 400 to one without a host.
pub async fn check_host(State(check): State<Arc<HostCheck>>, req: Request, next: Next) -> Response {
    let host = match req.uri().authority() {
        Some(a) => Some(a.as_str().rsplit('@').next().unwrap_or("").to_string()),
        None => req.headers().get(header::HOST).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
    };
    match host {
        None => ApiError::bad_request("the request has no Host header").into_response(),
        Some(h) if check.allows(&h) => next.run(req).await,
        Some(h) => ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "this server does not answer for the host `{}`; start it with --allowed-host NAME to accept a name",
                h.chars().filter(|c| !c.is_control()).take(100).collect::<String>()
            ),
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hypers_bodiless_errors_get_a_json_body() {
        let head = b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\ndate: Sun, 06 Dec 2026 15:44:46 GMT\r\n\r\n";
        let out = String::from_utf8(super::with_json_body(head).unwrap()).unwrap();
        let (h, body) = out.split_once("\r\n\r\n").unwrap();
        assert!(h.starts_with("HTTP/1.1 400 Bad Request\r\n") && h.contains("content-type: application/json"), "{h}");
        assert!(h.contains(&format!("content-length: {}", body.len())) && h.contains("date: Sun"), "{h}");
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"]["status"], 400);
        assert!(v["error"]["message"].as_str().unwrap().contains("percent-encoded"));
        // Anything else is written as it is: an answer with a body, a 200, a part of a head.
        for other in [
            &b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 12\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n",
            b"{\"error\": 1}",
        ] {
            assert!(super::with_json_body(other).is_none(), "{}", String::from_utf8_lossy(other));
        }
    }

    use super::*;

    #[test]
    fn host_names() {
        let listen: SocketAddr = "10.1.2.3:8080".parse().unwrap();
        let c = HostCheck::new(&["Fleet.Example.ORG".into(), "fe80::1".into(), "[2001:db8::1]:80".into()], listen);
        for ok in [
            "localhost",
            "LOCALHOST:8080",
            "127.0.0.1:1",
            "[::1]",
            "[0:0::1]:8080",
            "10.1.2.3",
            "10.1.2.3:8080",
            "fleet.example.org",
            "fleet.example.org.:8080",
            "[fe80::1]:8080",
            "[2001:db8::1]",
        ] {
            assert!(c.allows(ok), "{ok}");
        }
        for bad in [
            "",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "10.1.2.4",
            "[::2]",
            "[::1]x",
            "local host",
            "localhost\u{1b}",
            "0.0.0.0",
        ] {
            assert!(!c.allows(bad), "{bad}");
        }
        // An unspecified listen address is not a name clients use.
        let any = HostCheck::new(&[], "0.0.0.0:8080".parse().unwrap());
        assert_eq!(any.names(), ["127.0.0.1", "[::1]", "localhost"]);
    }
}
