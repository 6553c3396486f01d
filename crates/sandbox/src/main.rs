//! `sandbox`: run the sandbox core bank on its own, for demos and for developing against it.

use clap::Parser;
use std::io::IsTerminal;
use std::path::PathBuf;
use tracing_subscriber::EnvFilter;
use walletdesk_sandbox::SandboxConfig;

/// The Walletdesk sandbox core bank: synthetic customers behind the v1 contract.
#[derive(Debug, Parser)]
#[command(name = "sandbox", version)]
struct Args {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Seed for the demo data: the same seed gives the same customers.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Customers to generate when the store is empty.
    #[arg(long, default_value_t = 300)]
    customers: u32,
    /// SQLite file to keep the data in; without it the data lives in memory.
    #[arg(long)]
    db: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    // Logs go to stderr so stdout carries only the URL.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();

    let sandbox = walletdesk_sandbox::start(SandboxConfig {
        port: args.port,
        seed: args.seed,
        customers: args.customers,
        db_path: args.db,
    })
    .await?;
    announce(&sandbox.url());

    tokio::signal::ctrl_c().await?;
    tracing::info!("Ctrl-C received, stopping");
    sandbox.shutdown().await;
    Ok(())
}

#[allow(
    clippy::print_stdout,
    reason = "the URL on stdout is the binary's output: scripts read it to find the sandbox"
)]
fn announce(url: &str) {
    println!("{url}");
}
