//! The sandbox core bank: a real HTTP server speaking the v1 contract over its own SQLite store
//! of synthetic customers. Training mode, demos and tests run against it instead of a bank's
//! core, so nothing in them can touch a real customer.

pub mod anchors;
pub mod articles;
pub mod attribution;
pub mod auth;
pub mod batch;
pub mod bookkeeping;
pub mod campaigns;
pub mod cards;
pub mod changes;
pub mod complaints;
pub mod consents;
pub mod customers;
pub mod demo;
pub mod disputes;
pub mod extract;
pub mod faults;
pub mod fees;
pub mod http;
pub mod idempotency;
pub mod identity;
pub mod insights;
pub mod links;
pub mod practice;
pub mod signups;
pub mod store;
pub mod transactions;
pub mod wallets;

use anyhow::Context;
use chrono::{FixedOffset, NaiveDate, Utc};
pub use secrecy::SecretString;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use store::{Seeding, Store};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// 0 lets the OS pick a free port (see [`RunningSandbox::addr`]).
    pub port: u16,
    pub seed: u64,
    /// How many demo customers to generate into an empty store.
    pub customers: u32,
    /// `None` keeps the store in memory: gone when the sandbox stops.
    pub db_path: Option<PathBuf>,
    /// The bearer tokens of the consoles allowed to use it (see [`auth`]); at least one.
    /// Empty by default, so forgetting them fails at start rather than serving anyone.
    pub tokens: Vec<SecretString>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            seed: 42,
            customers: 300,
            db_path: None,
            tokens: Vec::new(),
        }
    }
}

/// A sandbox serving in the background. Dropping it also stops the server (without waiting);
/// [`RunningSandbox::shutdown`] stops it and waits.
#[derive(Debug)]
pub struct RunningSandbox {
    pub addr: SocketAddr,
    store: Store,
    seeding: Seeding,
    stop: Option<oneshot::Sender<()>>,
    server: JoinHandle<std::io::Result<()>>,
}

impl RunningSandbox {
    /// Base URL of the v1 contract, e.g. `http://127.0.0.1:8080`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// How the served data was made. With an existing database file this is the seed stored
    /// in it, which may differ from the configured one.
    pub fn seeding(&self) -> &Seeding {
        &self.seeding
    }

    /// Stops accepting connections, lets requests in flight finish, then closes the store.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            // An error means the server already ended on its own; nothing left to signal.
            let _ = stop.send(());
        }
        match (&mut self.server).await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => tracing::warn!(error = %err, "sandbox server ended with an error"),
            Err(err) => tracing::warn!(error = %err, "sandbox server task failed"),
        }
        self.store.close().await;
        tracing::info!(addr = %self.addr, "sandbox stopped");
    }
}

/// Opens the store, fills it with demo data if it is empty, and serves the v1 contract on
/// 127.0.0.1 (loopback only: the sandbox holds no real data but is not meant to be a service).
pub async fn start(cfg: SandboxConfig) -> anyhow::Result<RunningSandbox> {
    let tokens = auth::Tokens::new(&cfg.tokens)?;
    // Bind first, so a port already in use fails before a long seeding run.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, cfg.port))
        .await
        .with_context(|| format!("binding 127.0.0.1:{}", cfg.port))?;
    let addr = listener.local_addr()?;

    let store = Store::open(cfg.db_path.as_deref()).await?;
    let seeding = match store.seeding().await? {
        Some(existing) => {
            if existing.seed != cfg.seed {
                tracing::warn!(
                    stored = existing.seed,
                    configured = cfg.seed,
                    "the database already holds data from another seed; serving it as it is"
                );
            }
            existing
        }
        None => {
            store
                .seed_demo_data(cfg.seed, cfg.customers, today_in_china())
                .await?
        }
    };

    let app = http::router(
        http::AppState {
            store: store.clone(),
            instance: format!("sandbox-seed-{}", seeding.seed),
            faults: faults::Faults::new(seeding.seed),
        },
        tokens,
    );
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                // Fires on an explicit stop and when the handle is dropped.
                let _ = stopped.await;
            })
            .await
    });
    tracing::info!(%addr, seed = seeding.seed, "sandbox core bank listening");
    Ok(RunningSandbox {
        addr,
        store,
        seeding,
        stop: Some(stop),
        server,
    })
}

/// Demo data is "current" as of today in China, where the customers it imitates live.
pub fn today_in_china() -> NaiveDate {
    match FixedOffset::east_opt(8 * 3600) {
        Some(cst) => Utc::now().with_timezone(&cst).date_naive(),
        None => Utc::now().date_naive(),
    }
}
