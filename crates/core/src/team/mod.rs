//! Team mode: the complaint team's shared case queue on PostgreSQL (docs/architecture.md,
//! "Team mode").
//!
//! One API ([`TeamStore`]), two backends: PostgreSQL for a team (`WALLETDESK_TEAM_DB`), and
//! SQLite. Both run the same SQL text: placeholders are `$1, $2 …` (SQLite reads `$N` as the
//! N-th argument), `RETURNING` and `ON CONFLICT … DO UPDATE` exist in both, dates are ISO text.
//! What only one dialect has is in one place each: `FOR UPDATE [SKIP LOCKED]` ([`TeamTx::lock`],
//! [`TeamTx::skip_locked`]; SQLite has one writer at a time, so it needs neither) and
//! `NOTIFY` ([`live`]). The store tests (crates/core/tests/team) run every case on both, so
//! the two backends cannot drift.
//!
//! Rules are not written twice: intake validation is `complaints::intake::parse`, deadlines
//! are the console's `ComplaintClock` replayed from the stored events (`complaints::case`).
//!
//! With `WALLETDESK_TEAM_DB` unset nothing here runs: the console's own complaint desk on its
//! SQLite store works exactly as before.

pub mod audit;
pub mod cases;
pub mod console;
pub mod core_ops;
pub mod counter;
pub mod dispute_console;
pub mod dispute_steps;
pub mod disputes;
pub mod live;
pub mod server;
pub mod settings;
pub mod steps;

use crate::crypto::{AuditKey, DataKey};
use crate::error::Result;
use chrono::{DateTime, Utc};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Postgres, Sqlite, SqlitePool, Transaction};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub use audit::TeamAuditVerify;
pub use cases::{
    NewTeamMember, PendingTeamExtension, TakeOutcome, TeamCase, TeamMember, TeamQueue,
    TeamQueuePage, TeamQueueQuery,
};
pub use core_ops::{CoreOpSender, DeliveryConfig, DeliveryReport};
pub use dispute_steps::{TeamCoreOpAction, TeamDisputeAction};
pub use disputes::{
    DisputeTakeOutcome, PendingTeamCredit, TeamCoreOp, TeamDispute, TeamDisputePage, TeamDisputeRow,
};
pub use settings::TeamSettings;

pub static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations_team/postgres");
pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations_team/sqlite");

/// Which database a team store is.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

/// The team's shared store. Cheap to clone (pools and an `Arc`).
#[derive(Debug, Clone)]
pub struct TeamStore {
    backend: Backend,
    audit_key: Arc<AuditKey>,
}

/// Runs the same expression on whichever connection a transaction holds: `$c` is a
/// `&mut SqliteConnection` in one arm and a `&mut PgConnection` in the other, so one body
/// (one SQL text, one set of binds) is type-checked for both backends.
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match &mut $tx.tx {
            $crate::team::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::team::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

/// As [`on_tx!`], on the store's pool (reads outside a transaction).
macro_rules! on_pool {
    ($store:expr, $p:ident => $body:expr) => {
        match &$store.backend {
            $crate::team::Backend::Sqlite($p) => $body,
            $crate::team::Backend::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

#[derive(Debug)]
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A write transaction on the team store. The change's audit records and the queues it
/// touched are gathered while it runs and written by [`TeamTx::commit`], last: the audit
/// chain's head row is locked only for the final moment of each transaction, and always after
/// the case rows, so concurrent writers queue at one place and never deadlock over it.
#[derive(Debug)]
pub struct TeamTx {
    pub(crate) tx: Tx,
    audit_key: Arc<AuditKey>,
    pending_audit: Vec<audit::TeamAudit>,
    touched_teams: BTreeSet<String>,
    at: DateTime<Utc>,
}

impl TeamTx {
    pub fn kind(&self) -> BackendKind {
        match self.tx {
            Tx::Sqlite(_) => BackendKind::Sqlite,
            Tx::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// `FOR UPDATE` on PostgreSQL: the row stays this transaction's until it ends. SQLite
    /// has one writer at a time, so a write transaction already holds every row it reads.
    pub(crate) fn lock(&self) -> &'static str {
        match self.kind() {
            BackendKind::Postgres => " FOR UPDATE",
            BackendKind::Sqlite => "",
        }
    }

    /// `FOR UPDATE SKIP LOCKED`: take-next passes over rows a colleague's transaction holds
    /// instead of queueing behind it (on SQLite nothing else can hold one).
    pub(crate) fn skip_locked(&self) -> &'static str {
        match self.kind() {
            BackendKind::Postgres => " FOR UPDATE SKIP LOCKED",
            BackendKind::Sqlite => "",
        }
    }

    /// Records `rec` in the team's audit chain when this transaction commits.
    pub(crate) fn audit(&mut self, rec: audit::TeamAudit) {
        self.pending_audit.push(rec);
    }

    /// Marks `team`'s queue as changed: its version moves and open queues are told.
    pub(crate) fn touch(&mut self, team: &str) {
        self.touched_teams.insert(team.to_owned());
    }

    /// Ends a transaction that wrote nothing (a consistent read).
    pub async fn rollback(self) -> Result<()> {
        match self.tx {
            Tx::Sqlite(t) => t.rollback().await?,
            Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }

    pub async fn commit(mut self) -> Result<()> {
        let teams: Vec<String> = std::mem::take(&mut self.touched_teams)
            .into_iter()
            .collect();
        // Sorted (BTreeSet), so two transactions touching the same teams lock them in one order.
        for team in &teams {
            live::bump(&mut self, team).await?;
        }
        let records = std::mem::take(&mut self.pending_audit);
        if !records.is_empty() {
            let key = Arc::clone(&self.audit_key);
            let at = self.at;
            audit::append_all(&mut self, &key, at, records).await?;
        }
        match self.tx {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

impl TeamStore {
    /// Connects to the team's PostgreSQL server and applies pending migrations (sqlx takes
    /// an advisory lock for it, so consoles starting together migrate once). A call that
    /// cannot get a connection within `acquire_timeout` fails as unreachable: a counter then
    /// keeps the complaint ([`counter`]) rather than keep the customer waiting.
    pub async fn connect_postgres(
        options: PgConnectOptions,
        team_key: &DataKey,
        max_connections: u32,
        acquire_timeout: Duration,
    ) -> Result<TeamStore> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(acquire_timeout)
            .connect_with(options)
            .await?;
        POSTGRES_MIGRATIONS.run(&pool).await?;
        Ok(TeamStore {
            backend: Backend::Postgres(pool),
            audit_key: Arc::new(team_key.team_audit_key()),
        })
    }

    /// As [`TeamStore::connect_postgres`], but starts without the server: the console opens
    /// even while the team server is away (the counter then keeps complaints, see
    /// [`counter`]). Connections are made when needed; pending migrations are applied by a
    /// background task as soon as the server answers.
    pub fn connect_postgres_lazy(
        options: PgConnectOptions,
        team_key: &DataKey,
        max_connections: u32,
        acquire_timeout: Duration,
    ) -> TeamStore {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(acquire_timeout)
            .connect_lazy_with(options);
        let migrating = pool.clone();
        tokio::spawn(async move {
            loop {
                match POSTGRES_MIGRATIONS.run(&migrating).await {
                    Ok(()) => return,
                    Err(err) => {
                        tracing::warn!(error = %err, "team store not migrated yet; retrying");
                        tokio::time::sleep(Duration::from_secs(5)).await;
                    }
                }
            }
        });
        TeamStore {
            backend: Backend::Postgres(pool),
            audit_key: Arc::new(team_key.team_audit_key()),
        }
    }

    /// A team store in one SQLite file: the second backend of the same API. One connection,
    /// as for the console's own store: SQLite allows one writer, and serialising writers here
    /// is what `FOR UPDATE` does on PostgreSQL.
    pub async fn open_sqlite(path: &Path, team_key: &DataKey) -> Result<TeamStore> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        SQLITE_MIGRATIONS.run(&pool).await?;
        Ok(TeamStore {
            backend: Backend::Sqlite(pool),
            audit_key: Arc::new(team_key.team_audit_key()),
        })
    }

    pub fn kind(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite(_) => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    pub async fn begin(&self, at: DateTime<Utc>) -> Result<TeamTx> {
        let tx = match &self.backend {
            Backend::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Backend::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        };
        Ok(TeamTx {
            tx,
            audit_key: Arc::clone(&self.audit_key),
            pending_audit: Vec::new(),
            touched_teams: BTreeSet::new(),
            at,
        })
    }

    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(pool) => pool.close().await,
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}
