//! Deployment settings a supervisor or admin may change, stored in the local store.
//! Every value has a default here, so a fresh store works without any configuration file.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};
use ts_rs::TS;

pub const DEFAULT_IDLE_LOCK_SECS: u32 = 300;
pub const DEFAULT_LOCKOUT_ATTEMPTS: i64 = 5;
pub const DEFAULT_LOCKOUT_MINUTES: i64 = 15;
pub const DEFAULT_BRANCH: &str = "总行营业部";

/// What the Settings screen edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub idle_lock_secs: u32,
    pub branch: String,
}

/// Rules that the code reads; not all are on the screen yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub idle_lock_secs: u32,
    pub lockout_attempts: i64,
    pub lockout_minutes: i64,
    pub branch: String,
}

async fn get(pool: &SqlitePool, key: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn load(pool: &SqlitePool) -> Result<Policy> {
    let int =
        |v: Option<String>, default: i64| v.and_then(|s| s.parse::<i64>().ok()).unwrap_or(default);
    Ok(Policy {
        idle_lock_secs: get(pool, "idle_lock_secs")
            .await?
            .and_then(|s| s.parse().ok())
            .unwrap_or(DEFAULT_IDLE_LOCK_SECS),
        lockout_attempts: int(
            get(pool, "lockout_attempts").await?,
            DEFAULT_LOCKOUT_ATTEMPTS,
        ),
        lockout_minutes: int(get(pool, "lockout_minutes").await?, DEFAULT_LOCKOUT_MINUTES),
        branch: get(pool, "branch")
            .await?
            .unwrap_or_else(|| DEFAULT_BRANCH.to_owned()),
    })
}

/// Idle lock between 1 and 60 minutes: shorter locks out staff mid-sentence, longer leaves a
/// counter open to the next person in the queue.
pub fn validate(input: &Settings) -> Result<Settings> {
    if !(60..=3600).contains(&input.idle_lock_secs) {
        return Err(Error::InvalidInput(
            "idle lock: between 1 and 60 minutes".into(),
        ));
    }
    let branch = input.branch.trim();
    if branch.is_empty() || branch.chars().count() > 60 {
        return Err(Error::InvalidInput("branch: 1-60 characters".into()));
    }
    Ok(Settings {
        idle_lock_secs: input.idle_lock_secs,
        branch: branch.to_owned(),
    })
}

pub async fn save(conn: &mut SqliteConnection, settings: &Settings) -> Result<()> {
    for (key, value) in [
        ("idle_lock_secs", settings.idle_lock_secs.to_string()),
        ("branch", settings.branch.clone()),
    ] {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
