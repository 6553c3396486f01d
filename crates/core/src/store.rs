//! The local SQLite store: one file on disk, WAL mode, migrations applied on open.
//!
//! Writes go through a single-connection pool. SQLite allows one writer at a time anyway, and
//! serialising them here means a transaction that reads the audit chain's head and appends to
//! it can never race another writer (no SQLITE_BUSY upgrades, no forked chain). Reads use a
//! separate pool so a long search never waits behind a write.

use crate::error::Result;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

pub static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone)]
pub struct Store {
    read: SqlitePool,
    write: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the store file and applies pending migrations.
    pub async fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(anyhow::Error::from)?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        MIGRATIONS.run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Store { read, write })
    }

    /// Wraps an existing, already migrated pool (as `#[sqlx::test]` provides) for both roles.
    pub fn from_pool(pool: SqlitePool) -> Store {
        Store {
            read: pool.clone(),
            write: pool,
        }
    }

    pub fn read(&self) -> &SqlitePool {
        &self.read
    }

    pub async fn begin(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.write.begin().await?)
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn opens_a_wal_file_on_disk_and_migrates() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested").join("walletdesk.sqlite");
        let store = Store::open(&path).await.expect("open");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(store.read())
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
        assert!(path.exists());
        store.close().await;
        // Re-opening an existing file applies nothing new and keeps working.
        let again = Store::open(&path).await.expect("reopen");
        again.close().await;
    }
}
