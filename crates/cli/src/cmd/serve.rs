//! `w2k8 serve --db fleet.db [--listen 127.0.0.1:8080] [--token-file token.txt] [--public-read] [--allowed-host NAME]...`:
//! the fleet's HTTP API and dashboard (see `w2k8-serve`).
use std::net::SocketAddr;
use std::path::PathBuf;

/// Arguments of `serve`.
#[derive(clap::Args)]
pub struct Args {
    /// The fleet database: a SQLite file (created if missing), or a `postgres://` URL.
    #[arg(long, env = "W2K8_DB")]
    db: PathBuf,
    /// Address and port to listen on. Loopback by default; listening on
    /// another address exposes the API to the network (the token still guards it).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The bearer token's file: read if it exists, else created with a new
    /// random token, readable by its owner only, and the token printed once.
    #[arg(long, default_value = "w2k8-token.txt")]
    token_file: PathBuf,
    /// Let reads (GET) through without the token; writes still need it.
    #[arg(long)]
    public_read: bool,
    /// Largest request body accepted, uploads included, in MiB.
    #[arg(long, default_value_t = 32)]
    max_upload_mib: usize,
    /// Client connections served at once; more wait until one closes. Lowered
    /// to what the open-file limit allows (raised towards its hard limit first).
    #[arg(long, default_value_t = w2k8_serve::state::Limits::default().max_connections)]
    max_connections: usize,
    /// Client connections one address may hold at once; a further one is closed at once.
    #[arg(long, default_value_t = w2k8_serve::state::Limits::default().max_per_address)]
    max_per_address: usize,
    /// Store connections kept open (default: 2 per core, at least 4).
    #[arg(long)]
    connections: Option<usize>,
    /// A host name (or address) clients may use to reach the server, besides
    /// localhost, 127.0.0.1, `[::1]` and the --listen address; repeatable.
    /// Requests naming any other host in their Host header get 421 (a guard
    /// against DNS rebinding).
    #[arg(long = "allowed-host", value_name = "NAME")]
    allowed_hosts: Vec<String>,
}

/// Runs `serve`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let config = w2k8_serve::Config {
        db: a.db.to_string_lossy().into_owned(),
        listen: a.listen,
        token_file: a.token_file,
        public_read: a.public_read,
        limits: w2k8_serve::state::Limits {
            max_body: a.max_upload_mib.max(1) * 1024 * 1024,
            max_connections: a.max_connections.max(1),
            max_per_address: a.max_per_address.max(1),
            ..w2k8_serve::state::Limits::default()
        },
        pool_size: a.connections.unwrap_or((cores * 2).max(4)),
        allowed_hosts: a.allowed_hosts,
    };
    Ok(w2k8_serve::run(config)?)
}
