//! `sandbox`: run the sandbox core bank on its own, for demos and for developing against it, or
//! generate a large demo database file for it to serve.

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use tracing_subscriber::EnvFilter;
use walletdesk_sandbox::{SandboxConfig, SecretString};

/// The Walletdesk sandbox core bank: synthetic customers behind the v1 contract.
///
/// Without a subcommand it serves, so `sandbox --port 8080` keeps working as before; serving
/// needs at least one console token (`WALLETDESK_SANDBOX_TOKEN`).
#[derive(Debug, Parser)]
#[command(name = "sandbox", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the v1 contract (the default).
    Serve(ServeArgs),
    /// Write a new database file full of demo data, then exit; `serve --db` serves it.
    Seed(SeedArgs),
}

#[derive(Debug, Args)]
struct ServeArgs {
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
    /// Bearer tokens the sandbox accepts, one per console, comma separated (16 to 4096
    /// letters, digits or -._~+/). Prefer the environment variable: a command line is visible
    /// to every user of the machine (ps).
    #[arg(
        long = "token",
        env = "WALLETDESK_SANDBOX_TOKEN",
        hide_env_values = true,
        value_delimiter = ',',
        value_parser = secret
    )]
    tokens: Vec<SecretString>,
}

/// Takes any text: checked later by the sandbox, whose error names the token's position and
/// never its value (clap's own errors would print it).
fn secret(text: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(text))
}

#[derive(Debug, Args)]
struct SeedArgs {
    /// Customers to generate.
    #[arg(long)]
    customers: u32,
    /// Seed for the demo data: the same seed and date give the same rows.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The new SQLite file; must not exist yet.
    #[arg(long)]
    db: PathBuf,
    /// Business date the data is current on (YYYY-MM-DD); today in China if left out.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|err| format!("{text:?}: {err}"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Logs go to stderr so stdout carries only the binary's answer.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();

    match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::Seed(args)) => seed(args).await,
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let sandbox = walletdesk_sandbox::start(SandboxConfig {
        port: args.port,
        seed: args.seed,
        customers: args.customers,
        db_path: args.db,
        tokens: args.tokens,
    })
    .await?;
    announce(&sandbox.url());

    tokio::signal::ctrl_c().await?;
    tracing::info!("Ctrl-C received, stopping");
    sandbox.shutdown().await;
    Ok(())
}

async fn seed(args: SeedArgs) -> anyhow::Result<()> {
    let as_of = args
        .as_of
        .unwrap_or_else(walletdesk_sandbox::today_in_china);
    let done = walletdesk_sandbox::store::bulk_seed(&args.db, args.seed, args.customers, as_of)
        .await
        .with_context(|| format!("seeding {}", args.db.display()))?;
    announce(&format!(
        "seed={} as_of={} customers={} wallets={} transactions={} bytes={} elapsed_ms={}",
        done.seeding.seed,
        done.seeding.as_of,
        done.written.customers,
        done.written.wallets,
        done.written.transactions,
        done.file_bytes,
        done.elapsed.as_millis()
    ));
    Ok(())
}

#[allow(
    clippy::print_stdout,
    reason = "stdout is the binary's output: scripts read the URL, or the seed summary, from it"
)]
fn announce(line: &str) {
    println!("{line}");
}
