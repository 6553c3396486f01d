//! `walletdesk-dev`: the dev server (see the library's documentation). A development tool:
//! loopback only, throwaway data, training mode.
//!
//! `walletdesk-dev [--port N]` (0, the default, lets the OS pick). It prints
//! `walletdesk-dev listening on http://127.0.0.1:<port>` once it serves, then the default
//! world's demo staff; the UI's Vitest global setup waits for that first line.

use std::net::Ipv4Addr;
use std::sync::Arc;
use walletdesk_devserver::worlds::{Scenario, Template, Worlds};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,sqlx=error".into()),
        )
        .init();
    let mut port: u16 = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                port = args
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or_else(|| anyhow::anyhow!("--port takes a port number"))?;
            }
            other => anyhow::bail!("unknown argument {other} (walletdesk-dev [--port N])"),
        }
    }

    let started = std::time::Instant::now();
    let worlds = Arc::new(Worlds::new(Template::build().await?));
    let default = worlds.create_default(Scenario::default()).await?;
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
    let addr = listener.local_addr()?;
    #[allow(
        clippy::print_stdout,
        reason = "the start-up line is this tool's output"
    )]
    {
        println!("walletdesk-dev listening on http://{addr}");
        println!(
            "ready in {} ms; the default world's staff (username password):",
            started.elapsed().as_millis()
        );
        for (username, password) in &default.credentials {
            println!("  {username:<11} {password}");
        }
    }
    let app = walletdesk_devserver::router(worlds);
    axum::serve(listener, app)
        .with_graceful_shutdown(stopped())
        .await?;
    // Returning drops every world and the template: their temporary folders are removed.
    Ok(())
}

/// Ctrl-C, or SIGTERM (how Vitest's global teardown stops it).
async fn stopped() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
