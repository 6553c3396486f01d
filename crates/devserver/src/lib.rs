//! The Walletdesk dev server: a DEVELOPMENT TOOL, never part of the app. It serves the same
//! [`Console`] commands as the Tauri shell, over HTTP on 127.0.0.1 only, so the UI's Vitest
//! suite and `npm run dev` run against the real core instead of a TypeScript copy of its rules.
//!
//! Everything here is throwaway and in training mode: each *world* is a store in a temporary
//! folder (under a fixed, public data key) and its own in-process sandbox core bank, deleted
//! when the world is. Nothing here may hold real data, and it listens on loopback only.
//!
//! - `POST /invoke/<command>`: the args object as JSON (camelCase keys, as Tauri takes them);
//!   200 with the answer, or an error status with the `{code, message}` [`ApiError`]. The
//!   world is the `x-walletdesk-world` header, or the default world without one.
//! - `POST /worlds` with a [`Scenario`]: a fresh world; answers its id and the demo staff's
//!   passwords. `DELETE /worlds/<id>` ends it.
//! - `POST /worlds/<id>/clock` `{"advanceSecs": n}`: moves a manual-clock world's time.
//! - `POST /worlds/<id>/sync`: one sync round now (a `manualSync` world's engine does not
//!   run on its own); `POST /worlds/<id>/engine` starts its engine.
//! - `POST /worlds/<id>/offline`: stops the world's sandbox (the core goes away mid-test).
//! - `POST /worlds/<id>/faults`: the sandbox's fault settings (`/v1/admin/faults`), so a test
//!   sees the core fail (retries) without a rule being faked.
//! - `POST /worlds/<id>/team-deliver`: a team world sends its team dispute ops to its sandbox
//!   now (`team::core_ops`; the sender runs only when asked, so what the core answers happens
//!   at a moment the test chose).
//!
//! The dispatch is generated from [`walletdesk_core::for_each_command`], like the shell's
//! commands, so the two cannot serve different lists.

pub mod dispatch;
pub mod worlds;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, post};
use std::sync::Arc;
use walletdesk_core::{ApiError, Code, Console};
use worlds::{Scenario, Worlds};

/// The header naming the world a command runs in.
pub const WORLD_HEADER: &str = "x-walletdesk-world";

/// The routes over `worlds`.
pub fn router(worlds: Arc<Worlds>) -> axum::Router {
    axum::Router::new()
        .route("/invoke/{command}", post(invoke))
        .route("/worlds", post(create_world))
        .route("/worlds/{id}", delete(delete_world))
        .route("/worlds/{id}/clock", post(advance_clock))
        .route("/worlds/{id}/faults", post(set_faults))
        .route("/worlds/{id}/sync", post(sync_round))
        .route("/worlds/{id}/engine", post(start_engine))
        .route("/worlds/{id}/offline", post(go_offline))
        .route("/worlds/{id}/team-deliver", post(team_deliver))
        .with_state(worlds)
}

/// The HTTP status for a refused command: the UI reads only the body; a status helps people
/// reading logs and the network panel.
pub fn status_of(code: Code) -> StatusCode {
    match code {
        Code::InvalidInput | Code::WeakPassword => StatusCode::UNPROCESSABLE_ENTITY,
        Code::UsernameTaken | Code::Conflict => StatusCode::CONFLICT,
        Code::BadCredentials | Code::NotSignedIn => StatusCode::UNAUTHORIZED,
        Code::AccountLocked | Code::SessionLocked => StatusCode::LOCKED,
        Code::Forbidden | Code::PasswordChangeRequired => StatusCode::FORBIDDEN,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::CoreUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::CoreUnauthorized => StatusCode::BAD_GATEWAY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn refused(error: ApiError) -> Response {
    (status_of(error.code), Json(error)).into_response()
}

fn invalid(message: String) -> Response {
    refused(ApiError {
        code: Code::InvalidInput,
        message,
        fields: Vec::new(),
    })
}

fn not_found(message: String) -> Response {
    refused(ApiError {
        code: Code::NotFound,
        message,
        fields: Vec::new(),
    })
}

async fn invoke(
    State(worlds): State<Arc<Worlds>>,
    Path(command): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let id = headers.get(WORLD_HEADER).and_then(|v| v.to_str().ok());
    let Some(world) = worlds.get(id) else {
        return not_found(format!("no world {id:?} (POST /worlds makes one)"));
    };
    // No body is an empty args object: commands without arguments are posted bare.
    let args = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::Value::Object(serde_json::Map::new())
    } else {
        match serde_json::from_slice(&body) {
            Ok(args) => args,
            Err(err) => return invalid(format!("the args are not JSON: {err}")),
        }
    };
    let console: &Console = world.console();
    match dispatch::invoke(console, &command, args).await {
        Ok(answer) => Json(answer).into_response(),
        Err(error) => refused(error),
    }
}

async fn create_world(
    State(worlds): State<Arc<Worlds>>,
    Json(scenario): Json<Scenario>,
) -> Response {
    match worlds.create(scenario).await {
        Ok(made) => Json(made).into_response(),
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "world not made");
            refused(ApiError {
                code: Code::Internal,
                message: format!("{err:#}"),
                fields: Vec::new(),
            })
        }
    }
}

async fn delete_world(State(worlds): State<Arc<Worlds>>, Path(id): Path<String>) -> Response {
    if worlds.remove(&id).await {
        StatusCode::NO_CONTENT.into_response()
    } else {
        not_found(format!("no world {id}"))
    }
}

#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Advance {
    advance_secs: i64,
}

async fn advance_clock(
    State(worlds): State<Arc<Worlds>>,
    Path(id): Path<String>,
    Json(advance): Json<Advance>,
) -> Response {
    let Some(world) = worlds.get(Some(&id)) else {
        return not_found(format!("no world {id}"));
    };
    match world.advance(chrono::Duration::seconds(advance.advance_secs)) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(message) => invalid(message.to_owned()),
    }
}

async fn set_faults(
    State(worlds): State<Arc<Worlds>>,
    Path(id): Path<String>,
    Json(faults): Json<serde_json::Value>,
) -> Response {
    let Some(world) = worlds.get(Some(&id)) else {
        return not_found(format!("no world {id}"));
    };
    match world.set_faults(&faults).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => invalid(format!("{err:#}")),
    }
}

async fn sync_round(State(worlds): State<Arc<Worlds>>, Path(id): Path<String>) -> Response {
    match worlds.get(Some(&id)) {
        Some(world) => Json(world.sync_round().await).into_response(),
        None => not_found(format!("no world {id}")),
    }
}

async fn start_engine(State(worlds): State<Arc<Worlds>>, Path(id): Path<String>) -> Response {
    match worlds.get(Some(&id)) {
        Some(world) => {
            world.start_engine();
            StatusCode::NO_CONTENT.into_response()
        }
        None => not_found(format!("no world {id}")),
    }
}

async fn go_offline(State(worlds): State<Arc<Worlds>>, Path(id): Path<String>) -> Response {
    match worlds.get(Some(&id)) {
        Some(world) => {
            world.go_offline().await;
            StatusCode::NO_CONTENT.into_response()
        }
        None => not_found(format!("no world {id}")),
    }
}

async fn team_deliver(State(worlds): State<Arc<Worlds>>, Path(id): Path<String>) -> Response {
    let Some(world) = worlds.get(Some(&id)) else {
        return not_found(format!("no world {id}"));
    };
    match world.team_deliver().await {
        Ok(report) => Json(report).into_response(),
        Err(err) => invalid(format!("{err:#}")),
    }
}
