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
//!
//! At rest the console's store is SQLCipher (AES-256 per page, with an HMAC per page), keyed by
//! a [`StoreKey`] derived from the data key: names, mobiles, birth dates, notes and complaint
//! texts are never on disk in clear, nor in the WAL (pages are encrypted before they reach it),
//! nor in temp files (kept in memory). The file, its WAL and shared-memory files are 0600 and
//! the folder 0700. A store from before encryption is converted at the first keyed open.
//!
//! Commits are `synchronous = FULL`: in WAL mode, NORMAL may lose the last transactions on a
//! power cut, and a teller told "saved" must be able to rely on it. docs/performance.md has the
//! cost of both choices.

use crate::crypto::{AuditKey, DataKey};
use crate::error::{Error, Result};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Sqlite, SqliteConnection, SqlitePool, Transaction};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

pub static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The first 16 bytes of every plaintext SQLite file. An SQLCipher file starts with its salt
/// instead (random bytes), so this tells a store from before encryption apart.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The data key's purpose label for the store: a different label gives an unrelated key.
const STORE_KEY_PURPOSE: &str = "walletdesk/local-store/sqlcipher/v1";

/// The store's SQLCipher key: a raw 256-bit key (no passphrase stretching: it is already
/// random), derived from the data key so the sealing key and the store key differ.
#[derive(Clone)]
pub struct StoreKey(Zeroizing<[u8; 32]>);

impl StoreKey {
    pub fn from_data_key(key: &DataKey) -> StoreKey {
        StoreKey(key.derive(STORE_KEY_PURPOSE))
    }

    /// The value of `PRAGMA key` for a raw key: `"x'<64 hex digits>'"`.
    fn pragma_value(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("\"x'{}'\"", hex::encode(*self.0)))
    }
}

impl std::fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreKey(..)")
    }
}

/// How commits reach the disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Durability {
    /// Every commit is on disk when it returns (WAL synced at each commit).
    #[default]
    Full,
    /// The WAL is synced at checkpoints only: the last commits may be lost on a power cut.
    /// Only for measuring what `Full` costs.
    Normal,
}

/// How to open a store: [`Store::open`] (plain, for tests and tools) and
/// [`Store::open_encrypted`] (the console) are the usual two.
#[derive(Debug, Clone, Copy, Default)]
pub struct StoreOptions {
    /// SQLCipher with a key derived from the data key; `false`: a plain SQLite file.
    pub encrypted: bool,
    pub durability: Durability,
}

/// What a store file on disk is, looked at without opening it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFile {
    Missing,
    /// A plain SQLite file (a store from before encryption, or one opened without a key).
    Plain,
    /// Anything else: an SQLCipher store (or a damaged file, which no key opens).
    Encrypted,
}

impl StoreFile {
    pub fn inspect(path: &Path) -> Result<StoreFile> {
        let mut file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(StoreFile::Missing);
            }
            Err(err) => return Err(anyhow::Error::from(err).into()),
        };
        let mut header = [0u8; 16];
        let mut read = 0;
        while read < header.len() {
            match file.read(&mut header[read..]) {
                Ok(0) => break,
                Ok(n) => read += n,
                Err(err) => return Err(anyhow::Error::from(err).into()),
            }
        }
        Ok(if read == 0 {
            // SQLite itself treats an empty file as a new database.
            StoreFile::Missing
        } else if &header == PLAIN_HEADER {
            StoreFile::Plain
        } else {
            StoreFile::Encrypted
        })
    }
}

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
    /// Opens (creating if needed) a plain store file, applies pending migrations and seals the
    /// start of the keyed audit chain (see [`crate::audit::seal_start`]) with `key`'s audit key.
    pub async fn open(path: &Path, key: &DataKey) -> Result<Store> {
        Store::open_with(path, key, StoreOptions::default()).await
    }

    /// As [`Store::open`], encrypted with a key derived from `key`, converting a plain store
    /// first: the console's own store.
    pub async fn open_encrypted(path: &Path, key: &DataKey) -> Result<Store> {
        Store::open_with(
            path,
            key,
            StoreOptions {
                encrypted: true,
                durability: Durability::Full,
            },
        )
        .await
    }

    pub async fn open_with(path: &Path, key: &DataKey, options: StoreOptions) -> Result<Store> {
        let store_key = options.encrypted.then(|| StoreKey::from_data_key(key));
        prepare_files(path, options.encrypted)?;
        if let Some(store_key) = &store_key
            && StoreFile::inspect(path)? == StoreFile::Plain
        {
            encrypt_in_place(path, store_key).await?;
        }
        let connect = connect_options(path, store_key.as_ref(), options.durability)?;
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(connect.clone())
            .await
            .map_err(|err| unreadable(err, options.encrypted))?;
        MIGRATIONS.run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(connect.read_only(true))
            .await
            .map_err(|err| unreadable(err, options.encrypted))?;
        // The WAL and shared-memory files exist now; SQLite gives them the main file's mode,
        // but a store from an older version may have had them already, with the default one.
        for file in companions(path) {
            restrict(&file, 0o600)?;
        }
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

    /// Folds the WAL back into the store file before closing (readers first, so none holds
    /// the checkpoint back): a closed store is whole in one file, which is what a backup copies.
    pub async fn close(&self) {
        self.read.close().await;
        if let Ok(mut conn) = self.write.acquire().await
            && let Err(err) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&mut *conn)
                .await
        {
            tracing::warn!(error = %err, "the store's WAL could not be folded in at close");
        }
        self.write.close().await;
    }
}

/// Start-up found no data key: may a new one be made? Only if nothing in the store needs the
/// old one. A new key over an encrypted store, or over a plain one still holding sealed work,
/// would lose it: that is [`Error::DataKeyMissing`], and the store is left untouched for the
/// administrator to bring the key file back.
pub async fn check_missing_data_key(path: &Path) -> Result<()> {
    match StoreFile::inspect(path)? {
        StoreFile::Missing => Ok(()),
        StoreFile::Encrypted => Err(Error::DataKeyMissing),
        StoreFile::Plain => match sealed_rows_at_risk(path).await? {
            0 => Ok(()),
            at_risk => {
                tracing::error!(at_risk, "data.key is missing and sealed work is waiting");
                Err(Error::DataKeyMissing)
            }
        },
    }
}

/// What would be lost with the data key: operations not yet at the core, open onboarding
/// drafts, a core-bank token sealed in the store. Counted in a plain store (one from before
/// encryption); an encrypted store cannot be read at all without its key.
pub async fn sealed_rows_at_risk(path: &Path) -> Result<i64> {
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(path)
        .read_only(true)
        .disable_statement_logging();
    let mut conn = options
        .connect()
        .await
        .map_err(|err| unreadable(err, false))?;
    let mut total = 0;
    for sql in [
        "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'attention')",
        "SELECT COUNT(*) FROM onboarding_drafts WHERE submitted_at IS NULL",
        "SELECT COUNT(*) FROM core_credentials WHERE token_sealed IS NOT NULL",
    ] {
        // A table a store of that age does not have yet holds nothing.
        match sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut conn).await {
            Ok(n) => total += n,
            Err(sqlx::Error::Database(err)) if err.message().contains("no such table") => {}
            Err(err) => return Err(unreadable(err, false)),
        }
    }
    conn.close().await?;
    Ok(total)
}

fn connect_options(
    path: &Path,
    key: Option<&StoreKey>,
    durability: Durability,
) -> Result<SqliteConnectOptions> {
    let mut connect = SqliteConnectOptions::from_str("sqlite:")?
        .filename(path)
        .create_if_missing(true);
    if let Some(key) = key {
        // sqlx runs `key` before every other pragma, as SQLCipher requires. The statement
        // holds the key, and sqlx logs statements: never for this store's connections.
        connect = connect
            .pragma("key", key.pragma_value().as_str().to_owned())
            .disable_statement_logging();
    }
    Ok(connect
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(match durability {
            Durability::Full => SqliteSynchronous::Full,
            Durability::Normal => SqliteSynchronous::Normal,
        })
        // Sorts and temporary indexes stay in memory, never in a temp file in clear.
        .pragma("temp_store", "MEMORY")
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5)))
}

/// A failure to open that means "this key does not open this file" or "this file is not a
/// store" (SQLITE_NOTADB, SQLITE_CORRUPT) becomes [`Error::StoreUnreadable`]; anything else
/// stays a storage error.
fn unreadable(err: sqlx::Error, keyed: bool) -> Error {
    if let sqlx::Error::Database(db) = &err {
        let code = db.code();
        // Extended result codes keep the primary code in the low byte.
        let primary = code
            .as_deref()
            .and_then(|c| c.parse::<i32>().ok())
            .map(|c| c & 0xff);
        if matches!(primary, Some(26 | 11)) {
            tracing::error!(error = %db, keyed, "the local store cannot be read");
            return Error::StoreUnreadable;
        }
    }
    Error::Store(err)
}

fn companions(path: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        })
        .filter(|p| p.exists())
        .collect()
}

/// The store file 0600 before SQLite touches it: SQLite creates the WAL and shared-memory
/// files with the main file's mode, so they start private too. The console's own store (the
/// keyed one) lives in the console's data folder, which is made 0700; a plain store (tests,
/// tools) may sit in a shared folder, which is left as it is.
fn prepare_files(path: &Path, data_folder: bool) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(anyhow::Error::from)?;
        if data_folder {
            restrict(dir, 0o700)?;
        }
    }
    create_private(path)?;
    restrict(path, 0o600)?;
    for file in companions(path) {
        restrict(&file, 0o600)?;
    }
    Ok(())
}

#[cfg(unix)]
fn create_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .create_new(true)
        .write(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(anyhow::Error::from(err).into()),
    }
}

#[cfg(not(unix))]
fn create_private(_path: &Path) -> Result<()> {
    Ok(())
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|err| anyhow::anyhow!("making {} private: {err}", path.display()).into())
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> Result<()> {
    Ok(())
}

/// Converts a plain store into an encrypted one, losing nothing: every committed transaction
/// (the WAL is checkpointed first) is exported into a new encrypted file beside it, which is
/// synced and then renamed over the plain one. A crash before the rename leaves the plain store
/// as it was (and the half-made copy is removed at the next try); the rename is atomic.
async fn encrypt_in_place(path: &Path, key: &StoreKey) -> Result<()> {
    let mut target = path.as_os_str().to_owned();
    target.push(".encrypting");
    let target = PathBuf::from(target);
    if target.exists() {
        std::fs::remove_file(&target).map_err(anyhow::Error::from)?;
    }
    create_private(&target)?;
    let target_text = target
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("the store's path is not valid UTF-8"))?;
    let plain = SqliteConnectOptions::from_str("sqlite:")?
        .filename(path)
        .disable_statement_logging();
    let mut conn = plain
        .connect()
        .await
        .map_err(|err| unreadable(err, false))?;
    let exported: Result<()> = async {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut conn)
            .await?;
        let attach = Zeroizing::new(format!(
            "ATTACH DATABASE '{}' AS encrypted KEY {}",
            target_text.replace('\'', "''"),
            key.pragma_value().as_str()
        ));
        sqlx::query(attach.as_str()).execute(&mut conn).await?;
        sqlx::query("SELECT sqlcipher_export('encrypted')")
            .execute(&mut conn)
            .await?;
        let version: i64 = sqlx::query_scalar("PRAGMA main.user_version")
            .fetch_one(&mut conn)
            .await?;
        sqlx::query(&format!("PRAGMA encrypted.user_version = {version}"))
            .execute(&mut conn)
            .await?;
        sqlx::query("DETACH DATABASE encrypted")
            .execute(&mut conn)
            .await?;
        Ok::<(), Error>(())
    }
    .await
    .map_err(|err| match err {
        Error::Store(err) => unreadable(err, false),
        other => other,
    });
    conn.close().await?;
    if let Err(err) = exported {
        let _ = std::fs::remove_file(&target);
        return Err(err);
    }
    std::fs::File::open(&target)
        .and_then(|f| f.sync_all())
        .map_err(anyhow::Error::from)?;
    std::fs::rename(&target, path).map_err(anyhow::Error::from)?;
    // The plain WAL and shared-memory files belong to the old file: checkpointed and empty,
    // and SQLite would read the stale index if they stayed.
    for file in companions(path) {
        std::fs::remove_file(&file).map_err(anyhow::Error::from)?;
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The rename is durable once the folder is synced.
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    tracing::info!(path = %path.display(), "the local store is now encrypted");
    Ok(())
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

    #[tokio::test]
    async fn commits_are_fully_synced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_encrypted(&dir.path().join("s.sqlite"), &DataKey::generate())
            .await
            .expect("open");
        let mut tx = store.begin().await.expect("begin");
        // 2 = FULL
        let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *tx)
            .await
            .expect("pragma");
        assert_eq!(sync, 2);
        tx.commit().await.expect("commit");
        store.close().await;
    }
}
