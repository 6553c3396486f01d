//! `POST /invoke/<command>` to the [`Console`] method, generated from the one declaration
//! ([`walletdesk_core::for_each_command`]) as the shell's Tauri commands are: the args object
//! is read with camelCase keys, as Tauri reads it, so the UI sends the same object to both.

use walletdesk_core::{ApiError, Code, Console};

fn bad_args(command: &str, err: serde_json::Error) -> ApiError {
    ApiError {
        code: Code::InvalidInput,
        message: format!("{command}: {err}"),
        fields: Vec::new(),
    }
}

fn internal(err: serde_json::Error) -> ApiError {
    ApiError {
        code: Code::Internal,
        message: format!("the answer did not serialise: {err}"),
        fields: Vec::new(),
    }
}

macro_rules! dispatch {
    ($(($name:ident, $method:ident, [$($arg:ident : $ty:ty),*], $ret:ty, $doc:literal)),* $(,)?) => {
        /// Runs `command` on `console` with `args`; an unknown command is `not_found`.
        pub async fn invoke(
            console: &Console,
            command: &str,
            args: serde_json::Value,
        ) -> Result<serde_json::Value, ApiError> {
            match command {
                $(
                    stringify!($name) => {
                        #[derive(serde::Deserialize)]
                        #[serde(rename_all = "camelCase")]
                        struct Args {
                            $($arg: $ty,)*
                        }
                        let Args { $($arg,)* } =
                            serde_json::from_value(args).map_err(|e| bad_args(command, e))?;
                        let answer: $ret = console.$method($($arg),*).await?;
                        serde_json::to_value(answer).map_err(internal)
                    }
                )*
                _ => Err(ApiError {
                    code: Code::NotFound,
                    message: format!("no command {command}"),
                    fields: Vec::new(),
                }),
            }
        }
    };
}

walletdesk_core::for_each_command!(dispatch);
