//! Walletdesk desktop app: opens the local store, connects the core bank (or, in training
//! mode, starts the embedded sandbox core bank), and exposes the commands to the UI.
//!
//! Start-up choices come from the environment, never from a file that could hold a secret:
//! - `WALLETDESK_CORE_URL`: the bank's core (https, or http on loopback); when unset the app
//!   runs in training mode.
//! - `WALLETDESK_CORE_TOKEN`: this console's bearer token for that core, needed at the first
//!   start only (or to replace it): it is then kept in the OS secret store, or sealed in the
//!   local store where there is none (see `secrets.rs` and `walletdesk_core::credentials`).
//! - `WALLETDESK_DATA_DIR`: where the store lives (default: the OS app-data folder).
//! - `WALLETDESK_IDLE_LOCK_SECS`: overrides the idle lock (used by the end-to-end suite).
//! - `WALLETDESK_SPEECH_LOG`: in training mode, read-aloud goes to this file instead of the
//!   speaker, one JSON line per utterance (the end-to-end suite's sink; see `speech.rs`).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod customer_window;
mod keys;
mod secrets;
mod speech;
mod startup;

/// The `generate_handler!` list, from the one declaration of every command.
macro_rules! registered {
    ($(($name:ident, $method:ident, [$($arg:ident : $ty:ty),*], $ret:ty, $doc:literal)),* $(,)?) => {
        tauri::generate_handler![$(commands::$name),*]
    };
}

macro_rules! handler {
    () => {
        walletdesk_core::for_each_command!(registered)
    };
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();

    let result = tauri::Builder::default()
        .setup(|app| {
            let console = match tauri::async_runtime::block_on(startup::start(app.handle())) {
                Ok(console) => console,
                Err(err) => {
                    tracing::error!(error = format!("{err:#}"), "walletdesk cannot start");
                    // The store or its key: the window opens and says, translated, what the
                    // administrator must do; nothing was changed on disk.
                    if let Some(failure) = startup::shown_to_staff(&err) {
                        tauri::Manager::manage(app, commands::StartupFailure(failure));
                        return Ok(());
                    }
                    // Tauri shows only the outermost message; the cause is what says what to
                    // do (e.g. which variable to set), so the whole chain goes in the message.
                    return Err(anyhow::anyhow!("Walletdesk cannot start: {err:#}").into());
                }
            };
            tauri::Manager::manage(app, console);
            lean_webview(app)?;
            Ok(())
        })
        .invoke_handler(handler!())
        .run(tauri::generate_context!());
    if let Err(err) = result {
        tracing::error!(error = %err, "walletdesk stopped with an error");
        std::process::exit(1);
    }
}

/// WebKit's memory caches sized for a single local page: the "document viewer" cache model
/// (no back/forward page cache, the smallest memory and decoded-image caches) instead of the
/// default "web browser" one, which keeps whole pages and resources around for navigation the
/// app never does (one page, served from inside the binary). Measured in docs/performance.md.
#[cfg(target_os = "linux")]
fn lean_webview(app: &tauri::App) -> tauri::Result<()> {
    use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
    let Some(window) = tauri::Manager::get_webview_window(app, "main") else {
        return Ok(());
    };
    window.with_webview(|webview| {
        if let Some(context) = webview.inner().context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    })
}

#[cfg(not(target_os = "linux"))]
fn lean_webview(_app: &tauri::App) -> tauri::Result<()> {
    Ok(())
}
