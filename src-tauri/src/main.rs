//! Walletdesk desktop app: opens the local store, connects the core bank (or, in training
//! mode, starts the embedded sandbox core bank), and exposes the commands to the UI.
//!
//! Start-up choices come from the environment, never from a file that could hold a secret:
//! - `WALLETDESK_CORE_URL`: the bank's core; when unset the app runs in training mode.
//! - `WALLETDESK_DATA_DIR`: where the store lives (default: the OS app-data folder).
//! - `WALLETDESK_IDLE_LOCK_SECS`: overrides the idle lock (used by the end-to-end suite).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod keys;
mod startup;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();

    let result = tauri::Builder::default()
        .setup(|app| {
            let console = tauri::async_runtime::block_on(startup::start(app.handle()))?;
            tauri::Manager::manage(app, console);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::session_state,
            commands::setup_admin,
            commands::sign_in,
            commands::sign_out,
            commands::touch,
            commands::lock,
            commands::unlock,
            commands::audit_search,
            commands::audit_verify,
            commands::staff_list,
            commands::staff_create,
            commands::settings_get,
            commands::settings_update,
            commands::sync_status,
            commands::sync_list,
            commands::sync_now,
            commands::sync_resend,
            commands::sync_discard,
            commands::customer_search,
            commands::onboarding_resume,
            commands::onboarding_save,
            commands::onboarding_discard,
            commands::onboarding_evaluate,
            commands::onboarding_check_id,
            commands::onboarding_send_code,
            commands::onboarding_verify_code,
            commands::onboarding_screen,
            commands::onboarding_submit,
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        tracing::error!(error = %err, "walletdesk stopped with an error");
        std::process::exit(1);
    }
}
