//! The command layer: each command checks nothing and decides nothing itself. It forwards to
//! [`Console`], which checks the session and permission, and maps the error to `{code, message}`.

use tauri::{AppHandle, Manager, State};
use walletdesk_core::{ApiError, Console};

type Reply<T> = Result<T, ApiError>;

/// Start-up stopped for a reason staff must see (the store does not open with this key, the
/// key file is missing): no console runs, and the UI's first two calls answer this error,
/// which it shows translated in place of the app.
pub struct StartupFailure(pub ApiError);

fn started(app: &AppHandle) -> Result<State<'_, Console>, ApiError> {
    app.try_state::<Console>()
        .ok_or_else(|| match app.try_state::<StartupFailure>() {
            Some(failure) => failure.0.clone(),
            None => ApiError::from(walletdesk_core::Error::Internal(anyhow::anyhow!(
                "the console did not start"
            ))),
        })
}

/// One `#[tauri::command]` per command of [`walletdesk_core::for_each_command`], each the
/// same line: the console (or the start-up failure), the method, the error mapped. Every
/// command takes the `AppHandle` rather than `State<Console>`, so a console that did not
/// start answers its reason (translated in the window) instead of Tauri's "state not managed".
macro_rules! tauri_commands {
    ($(($name:ident, $method:ident, [$($arg:ident : $ty:ty),*], $ret:ty, $doc:literal)),* $(,)?) => {
        $(
            #[tauri::command]
            pub async fn $name(app: AppHandle, $($arg: $ty),*) -> Reply<$ret> {
                let answer = started(&app)?.$method($($arg),*).await?;
                crate::customer_window::after(&app, stringify!($name));
                Ok(answer)
            }
        )*
    };
}

walletdesk_core::for_each_command!(tauri_commands);
