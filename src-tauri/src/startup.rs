//! Wiring at start-up: data folder, store, data key, the core-bank token, core-bank link,
//! training-mode sandbox and demo staff.

use anyhow::Context;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::{AppHandle, Manager};
use walletdesk_core::Console;
use walletdesk_core::clock::SystemClock;
use walletdesk_core::console::{ConsoleConfig, DemoCredential};
use walletdesk_core::corelink::CoreLink;
use walletdesk_core::credentials::{Credentials, TOKEN_ENV};
use walletdesk_core::crypto::Sealer;
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, EngineConfig};
use walletdesk_corebank::{Client, SecretString, v1};
use walletdesk_sandbox::{RunningSandbox, SandboxConfig};

/// Keeps the sync engine (and in team mode the dispute ops' sender) running: dropping the
/// sender (at exit) stops them.
pub struct SyncStop(
    #[allow(dead_code, reason = "held, never read")] pub tokio::sync::watch::Sender<bool>,
);

fn data_dir(app: &AppHandle) -> anyhow::Result<PathBuf> {
    match std::env::var_os("WALLETDESK_DATA_DIR") {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => app.path().app_data_dir().context("no app-data folder"),
    }
}

/// A start-up failure staff are told about in the window (translated by its code), rather
/// than an exit: the store does not open with this key, or the key is missing.
pub fn shown_to_staff(err: &anyhow::Error) -> Option<walletdesk_core::ApiError> {
    let core = err.downcast_ref::<walletdesk_core::Error>()?;
    matches!(
        core.code(),
        walletdesk_core::Code::StoreUnreadable | walletdesk_core::Code::DataKeyMissing
    )
    .then(|| walletdesk_core::ApiError {
        code: core.code(),
        message: core.to_string(),
        fields: Vec::new(),
    })
}

pub async fn start(app: &AppHandle) -> anyhow::Result<Console> {
    let dir = data_dir(app)?;
    let path = dir.join("walletdesk.sqlite");
    // The key first: the store is encrypted with a key derived from it.
    let key = crate::keys::data_key(&dir, &path)
        .await
        .context("loading the data key")?;
    let store = Store::open_encrypted(&path, &key)
        .await
        .context("opening the local store")?;
    let sealer = Sealer::new(&key);
    let credentials = Credentials::new(
        store.clone(),
        sealer.clone(),
        crate::secrets::os_vault(),
        Arc::new(SystemClock),
    );

    let core_url = std::env::var("WALLETDESK_CORE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let training_mode = core_url.is_none();
    let given = given_token()?;
    let client: Arc<Client> = match core_url {
        Some(url) => {
            // The token is kept per core, under the address in the one form the client uses.
            let core = walletdesk_corebank::normalise_base_url(&url)?;
            let token = credentials
                .provision(&core, given)
                .await
                .context("the core bank token")?;
            Arc::new(Client::new(&core, Some(token))?)
        }
        None => {
            if given.is_some() {
                tracing::warn!("{TOKEN_ENV} is ignored in training mode (no WALLETDESK_CORE_URL)");
            }
            let token = credentials
                .training()
                .await
                .context("the training sandbox token")?;
            let sandbox = start_training_sandbox(&dir, token.clone()).await?;
            // Tests only: the end-to-end suite injects faults into the training core (a booth
            // that loses the network) through its admin endpoint, which needs its address and
            // token. Written only when asked for, to a file only this OS user can read; the
            // training token guards demo data alone.
            if let Some(path) = std::env::var_os("WALLETDESK_TRAINING_CORE_FILE") {
                let line = format!(
                    "{} {}\n",
                    sandbox.url(),
                    secrecy::ExposeSecret::expose_secret(&token)
                );
                write_private(std::path::Path::new(&path), &line)
                    .context("writing WALLETDESK_TRAINING_CORE_FILE")?;
            }
            let client = Client::new(&sandbox.url(), Some(token))?;
            // The sandbox lives as long as the app; Tauri keeps managed state until exit.
            app.manage(sandbox);
            Arc::new(client)
        }
    };
    let link: Arc<dyn CoreLink> = client.clone();
    // Team mode (`WALLETDESK_TEAM_DB`): the complaint queue on the team's server; unset, the
    // console works alone. Counter complaints wait sealed in this store while it is away.
    let team = walletdesk_core::team::console::link_from_env(
        store.clone(),
        sealer.clone(),
        crate::secrets::os_vault().as_deref(),
        Arc::new(SystemClock),
    )
    .await
    .context("team mode")?;
    // Team mode: the dispute team's steps go to the same core, beside the sync engine.
    let dispute_sender = team
        .as_ref()
        .map(|team| team.delivering_disputes_to(client.clone(), Arc::new(SystemClock)));
    let engine = Engine::new(
        store.clone(),
        sealer,
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
    .with_sync(engine.clone())
    .with_speaker(crate::speech::voice(training_mode));
    let console = match team {
        Some(team) => console.with_team(team),
        None => console,
    };
    // Runs for the life of the app; the sender kept in managed state is what keeps it going.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    app.manage(SyncStop(stop));
    if let Some(sender) = dispute_sender {
        let stopped = stopped.clone();
        tauri::async_runtime::spawn(async move { sender.run(stopped).await });
    }
    tauri::async_runtime::spawn(async move { engine.run(stopped).await });
    let demo = console.seed_training_staff().await?;
    if !demo.is_empty() {
        announce_demo_staff(&dir, &demo)?;
    }
    Ok(console)
}

/// The token in [`TOKEN_ENV`], if set: checked at once (a typo would otherwise be stored and
/// answered 401 by the core later) and never echoed. The variable stays in this process's
/// environment (changing it needs `unsafe`, which the workspace forbids), so the one child
/// process the app starts, the speech client (`speech.rs`), is started without it; it is not
/// needed at later starts.
fn given_token() -> anyhow::Result<Option<SecretString>> {
    match std::env::var(TOKEN_ENV) {
        Ok(text) if text.trim().is_empty() => Ok(None),
        Ok(text) => {
            let token = SecretString::from(text.trim());
            drop(text);
            if !v1::is_valid_bearer_token(secrecy::ExposeSecret::expose_secret(&token)) {
                anyhow::bail!(
                    "{TOKEN_ENV} is not a valid bearer token ({} to {} letters, digits or -._~+/)",
                    v1::BEARER_TOKEN_MIN_LEN,
                    v1::BEARER_TOKEN_MAX_LEN
                );
            }
            Ok(Some(token))
        }
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            anyhow::bail!("{TOKEN_ENV} is not a valid bearer token (not text)")
        }
    }
}

async fn start_training_sandbox(
    dir: &std::path::Path,
    token: SecretString,
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
    // A demo campaign and booth for the demo booth staff member, so training shows the booth.
    walletdesk_sandbox::campaigns::seed_demo_once(
        sandbox.store(),
        walletdesk_sandbox::today_in_china(),
    )
    .await
    .context("the training sandbox's demo campaign")?;
    // The demo fee schedule, for a training store seeded before fees existed (issue 14 item 8).
    walletdesk_sandbox::fees::seed_demo_store(
        sandbox.store(),
        walletdesk_sandbox::today_in_china(),
    )
    .await
    .context("the training sandbox's demo fee schedule")?;
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
