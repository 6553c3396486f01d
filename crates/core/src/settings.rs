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

/// What the Settings screen may set each value to: the screen shows these bounds and core
/// refuses anything outside them ([`validate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsRanges {
    pub idle_lock_min_secs: u32,
    pub idle_lock_max_secs: u32,
    pub branch_max_chars: u32,
}

/// Idle lock between 1 and 60 minutes: shorter locks out staff mid-sentence, longer leaves a
/// counter open to the next person in the queue.
pub const RANGES: SettingsRanges = SettingsRanges {
    idle_lock_min_secs: 60,
    idle_lock_max_secs: 3600,
    branch_max_chars: 60,
};

/// The settings with the bounds each may take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub values: Settings,
    pub ranges: SettingsRanges,
}

impl SettingsView {
    pub fn of(values: Settings) -> SettingsView {
        SettingsView {
            values,
            ranges: RANGES,
        }
    }
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

/// Checks `input` against [`RANGES`].
pub fn validate(input: &Settings) -> Result<Settings> {
    if !(RANGES.idle_lock_min_secs..=RANGES.idle_lock_max_secs).contains(&input.idle_lock_secs) {
        return Err(Error::field("idleLockSecs", "idle_lock_range"));
    }
    let branch = input.branch.trim();
    if branch.is_empty() || branch.chars().count() > RANGES.branch_max_chars as usize {
        return Err(Error::field("branch", "branch_length"));
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
