//! Starting and stopping the server: [`Config`] (what `w2k8 serve` was
//! given), the router (API, OpenAPI document, dashboard pages, security
//! headers, body limit), the connection limits and `Host` check
//! ([`crate::conn`]), and graceful shutdown on SIGINT/SIGTERM.
use axum::extract::DefaultBodyLimit;
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::auth;
use crate::state::{AppState, Limits, Shared, StorePool};

/// What the server was told.
#[derive(Debug, Clone)]
pub struct Config {
    /// The fleet store: a SQLite path or a PostgreSQL URL.
    pub db: String,
    /// Address to listen on (loopback unless told otherwise).
    pub listen: SocketAddr,
    /// Where the bearer token is kept (created on first start).
    pub token_file: PathBuf,
    /// Reads without the token.
    pub public_read: bool,
    /// Request size and time limits, the connection cap.
    pub limits: Limits,
    /// Store connections kept open.
    pub pool_size: usize,
    /// Host names (or addresses) clients may use besides the loopback names
    /// and the listen address (`--allowed-host`).
    pub allowed_hosts: Vec<String>,
}

/// Why the server could not start or stopped with an error.
#[derive(Debug)]
pub struct ServeError(pub String);

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServeError {}

/// Builds the shared state: opens the store pool, loads the catalog, reads
/// or creates the token (printing it to stderr when created).
pub fn state(config: &Config) -> Result<Shared, ServeError> {
    let catalog = w2k8_catalog::Catalog::current().map_err(|e| ServeError(w2k8_core::error_chain(&e)))?;
    let v = w2k8_catalog::data_version();
    let catalog_label = format!("msrc {}, kev {}, servicing {}", v.msrc, v.kev, v.servicing);
    let pool = StorePool::open(&config.db, config.pool_size).map_err(|e| ServeError(w2k8_core::error_chain(&e)))?;
    let (token, created) = auth::load_or_create(&config.token_file).map_err(|e| ServeError(e.to_string()))?;
    if created {
        eprintln!(
            "w2k8 serve: a new access token was written to {} (owner-only); it is shown this once:\n{}",
            config.token_file.display(),
            token.expose()
        );
    }
    Ok(Arc::new(AppState {
        pool,
        catalog,
        catalog_label,
        token,
        public_read: config.public_read,
        limits: config.limits,
        allowed_hosts: config.allowed_hosts.clone(),
        cache: crate::state::FleetCache::default(),
    }))
}

/// The whole application: API, OpenAPI document, pages, with the security
/// headers and the body limit.
pub fn router(state: Shared) -> Router {
    let max_body = state.limits.max_body;
    Router::new()
        .merge(crate::api::routes(state.clone()))
        .merge(crate::pages::routes())
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn(crate::security::headers))
}

/// Resolves when SIGINT (Ctrl-C) or SIGTERM arrives.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Serves `state` on an already bound listener until `shutdown` resolves,
/// then lets requests in flight finish: the connection limits of
/// [`Limits`] and the `Host` check of [`crate::conn`] around [`router`].
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Shared,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let local = listener.local_addr().map_err(|e| ServeError(format!("server: {e}")))?;
    let limits = state.limits;
    let hosts = Arc::new(crate::conn::HostCheck::new(&state.allowed_hosts, local));
    let app = router(state)
        .layer(axum::middleware::from_fn_with_state(limits.body_timeout, crate::conn::body_deadline))
        .layer(axum::middleware::from_fn_with_state(hosts, crate::conn::check_host));
    crate::conn::serve(listener, app, limits, shutdown).await;
    Ok(())
}

/// Runs `w2k8 serve`: binds, prints where it listens, serves until SIGINT
/// or SIGTERM, then finishes the requests in flight.
pub fn run(config: Config) -> Result<(), ServeError> {
    let state = state(&config)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError(format!("cannot start the runtime: {e}")))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| ServeError(format!("cannot listen on {}: {e}", config.listen)))?;
        let addr = listener.local_addr().map_err(|e| ServeError(e.to_string()))?;
        eprintln!(
            "w2k8 serve: http://{addr}/ (store {}, reads {})",
            w2k8_store::redact(&config.db),
            if config.public_read { "public" } else { "need the token" }
        );
        serve_on(listener, state, shutdown_signal()).await?;
        eprintln!("w2k8 serve: stopped");
        Ok(())
    })
}
