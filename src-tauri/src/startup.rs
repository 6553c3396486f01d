//! Wiring at start-up: data folder, store, core-bank link, training-mode sandbox and demo staff.

use anyhow::Context;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::{AppHandle, Manager};
use walletdesk_core::Console;
use walletdesk_core::clock::SystemClock;
use walletdesk_core::console::{ConsoleConfig, DemoCredential};
use walletdesk_core::corelink::CoreLink;
use walletdesk_core::crypto::Sealer;
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, EngineConfig};
use walletdesk_corebank::Client;
use walletdesk_sandbox::{RunningSandbox, SandboxConfig};

/// Keeps the sync engine running: dropping the sender (at exit) stops it.
pub struct SyncStop(
    #[allow(dead_code, reason = "held, never read")] pub tokio::sync::watch::Sender<bool>,
);

fn data_dir(app: &AppHandle) -> anyhow::Result<PathBuf> {
    match std::env::var_os("WALLETDESK_DATA_DIR") {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => app.path().app_data_dir().context("no app-data folder"),
    }
}

pub async fn start(app: &AppHandle) -> anyhow::Result<Console> {
    let dir = data_dir(app)?;
    let store = Store::open(&dir.join("walletdesk.sqlite"))
        .await
        .context("opening the local store")?;

    let core_url = std::env::var("WALLETDESK_CORE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let training_mode = core_url.is_none();
    let client: Arc<Client> = match core_url {
        Some(url) => Arc::new(Client::new(&url, None)?),
        None => {
            // A fresh token per start for now (the sandbox's data is synthetic and it listens
            // on loopback only); kept in the secret store once that exists.
            let token = walletdesk_corebank::SecretString::from(
                walletdesk_core::crypto::DataKey::generate()
                    .to_hex()
                    .as_str(),
            );
            let sandbox = start_training_sandbox(&dir, token.clone()).await?;
            let client = Client::new(&sandbox.url(), Some(token))?;
            // The sandbox lives as long as the app; Tauri keeps managed state until exit.
            app.manage(sandbox);
            Arc::new(client)
        }
    };
    let link: Arc<dyn CoreLink> = client.clone();
    let key = crate::keys::data_key(&dir).context("loading the data key")?;
    let engine = Engine::new(
        store.clone(),
        Sealer::new(&key),
        client,
        Arc::new(SystemClock),
        EngineConfig::default(),
    );

    let idle_lock_override = std::env::var("WALLETDESK_IDLE_LOCK_SECS")
        .ok()
        .and_then(|s| s.parse().ok());
    let console = Console::new(
        store,
        Arc::new(SystemClock),
        link,
        ConsoleConfig {
            training_mode,
            idle_lock_override,
            version: env!("CARGO_PKG_VERSION").to_owned(),
        },
    )
    .with_sync(engine.clone());
    // Runs for the life of the app; the sender kept in managed state is what keeps it going.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    app.manage(SyncStop(stop));
    tauri::async_runtime::spawn(async move { engine.run(stopped).await });
    let demo = console.seed_training_staff().await?;
    if !demo.is_empty() {
        announce_demo_staff(&dir, &demo)?;
    }
    Ok(console)
}

async fn start_training_sandbox(
    dir: &std::path::Path,
    token: walletdesk_corebank::SecretString,
) -> anyhow::Result<RunningSandbox> {
    let sandbox = walletdesk_sandbox::start(SandboxConfig {
        port: 0,
        seed: 42,
        customers: 300,
        db_path: Some(dir.join("sandbox.sqlite")),
        tokens: vec![token],
    })
    .await
    .context("starting the training sandbox core bank")?;
    tracing::info!(url = %sandbox.url(), "training mode: sandbox core bank started");
    Ok(sandbox)
}

/// Training mode only: demo passwords are shown once on the terminal and kept in a file
/// readable by this OS user alone, so a trainer can hand them out. They guard demo data only.
fn announce_demo_staff(dir: &std::path::Path, demo: &[DemoCredential]) -> anyhow::Result<()> {
    let mut text =
        String::from("Walletdesk training mode: demo staff (role, username, password)\n");
    for d in demo {
        text.push_str(&format!(
            "{:<11} {:<11} {}\n",
            d.role.as_str(),
            d.username,
            d.password
        ));
    }
    let path = dir.join("training-credentials.txt");
    write_private(&path, &text)?;
    #[allow(clippy::print_stdout)]
    {
        println!("{text}(also saved to {})", path.display());
    }
    Ok(())
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    Ok(std::fs::write(path, text)?)
}
