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
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod keys;
mod secrets;
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
            commands::staff_deactivate,
            commands::staff_reactivate,
            commands::staff_set_role,
            commands::staff_require_password_change,
            commands::password_change,
            commands::settings_get,
            commands::settings_update,
            commands::sync_status,
            commands::sync_list,
            commands::sync_now,
            commands::sync_resend,
            commands::sync_resend_code,
            commands::sync_discard,
            commands::customer_search,
            commands::customer_profile,
            commands::customer_live,
            commands::customer_reveal_id,
            commands::customer_add_note,
            commands::wallet_change_tier,
            commands::wallet_link_card,
            commands::customer_renew_id,
            commands::consent_withdraw,
            commands::wallet_receipt,
            commands::complaint_letter,
            commands::onboarding_resume,
            commands::onboarding_save,
            commands::onboarding_discard,
            commands::onboarding_evaluate,
            commands::onboarding_check_id,
            commands::onboarding_send_code,
            commands::onboarding_verify_code,
            commands::onboarding_screen,
            commands::onboarding_submit,
            commands::onboarding_receipt,
            commands::complaint_categories,
            commands::complaint_category_create,
            commands::complaint_calendar,
            commands::complaint_calendar_set,
            commands::complaint_register,
            commands::complaint_get,
            commands::complaint_queue,
            commands::complaint_assign,
            commands::complaint_declare_interest,
            commands::complaint_add_note,
            commands::complaint_log_contact,
            commands::complaint_add_representative,
            commands::complaint_pause,
            commands::complaint_resume,
            commands::complaint_extend_complex,
            commands::complaint_new_facts,
            commands::complaint_request_extension,
            commands::complaint_pending_extensions,
            commands::complaint_decide_extension,
            commands::complaint_extension_notified,
            commands::complaint_merge_repeat,
            commands::complaint_withdraw,
            commands::complaint_decide,
            commands::complaint_request_review,
            commands::complaint_record_survey,
            commands::complaint_suggest,
            commands::complaint_suggestions,
            commands::complaint_grant_reward,
            commands::complaint_stats,
            commands::complaint_stats_csv,
            commands::complaint_stats_xlsx,
            commands::complaint_regulator_report,
        ])
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
