//! The local SQLite store: one file on disk, WAL mode, migrations applied on open.
//!
//! Writes go through a single-connection pool. SQLite allows one writer at a time anyway, and
//! serialising them here means a transaction that reads the audit chain's head and appends to
//! it can never race another writer (no SQLITE_BUSY upgrades, no forked chain). Reads use a
//! separate pool so a long search never waits behind a write.
//!
//! The store holds the audit chain's key (derived from the data key) and hands it to every
//! write transaction ([`WriteTx`]): `audit::append` takes it from there, so no command can
//! write an unkeyed record and no caller has to carry the key.

use crate::crypto::{AuditKey, DataKey};
use crate::error::Result;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone)]
pub struct Store {
    read: SqlitePool,
    write: SqlitePool,
    audit_key: Arc<AuditKey>,
}

/// A write transaction of the store: the transaction itself (it dereferences to the
/// connection, so `&mut tx` and `&mut *tx` work as with sqlx's own) and the audit key.
#[derive(Debug)]
pub struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    audit_key: Arc<AuditKey>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<()> {
        Ok(self.tx.commit().await?)
    }

    pub async fn rollback(self) -> Result<()> {
        Ok(self.tx.rollback().await?)
    }

    pub(crate) fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }
}

impl std::ops::Deref for WriteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}

impl Store {
    /// Opens (creating if needed) the store file, applies pending migrations and seals the
    /// start of the keyed audit chain (see [`crate::audit::seal_start`]) with `key`'s audit key.
    pub async fn open(path: &Path, key: &DataKey) -> Result<Store> {
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
        let store = Store {
            read,
            write,
            audit_key: Arc::new(key.audit_key()),
        };
        crate::audit::seal_start(&store).await?;
        Ok(store)
    }

    /// Wraps an existing, already migrated pool (as `#[sqlx::test]` provides) for both roles,
    /// with a fresh random data key: for tests that never reopen the store. The chain's start
    /// is sealed by the first record appended.
    pub fn from_pool(pool: SqlitePool) -> Store {
        Store::from_pool_with_key(pool, &DataKey::generate())
    }

    /// As [`Store::from_pool`], with a given data key (a test that verifies the chain again
    /// through another `Store`, or recomputes hashes with the key).
    pub fn from_pool_with_key(pool: SqlitePool, key: &DataKey) -> Store {
        Store {
            read: pool.clone(),
            write: pool,
            audit_key: Arc::new(key.audit_key()),
        }
    }

    /// The audit chain's key, for verifying it.
    pub fn audit_key(&self) -> &AuditKey {
        &self.audit_key
    }

    pub fn read(&self) -> &SqlitePool {
        &self.read
    }

    pub async fn begin(&self) -> Result<WriteTx> {
        Ok(WriteTx {
            tx: self.write.begin().await?,
            audit_key: Arc::clone(&self.audit_key),
        })
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
        let key = DataKey::generate();
        let store = Store::open(&path, &key).await.expect("open");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(store.read())
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
        assert!(path.exists());
        store.close().await;
        // Re-opening an existing file applies nothing new and keeps working.
        let again = Store::open(&path, &key).await.expect("reopen");
        again.close().await;
    }
}
