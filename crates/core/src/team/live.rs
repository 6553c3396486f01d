//! Live queues: an open queue learns within 2 s that a colleague took or decided a case.
//!
//! Every transaction that changes a team's queue bumps the team's row in
//! `team_queue_versions` and, on PostgreSQL, sends `NOTIFY walletdesk_queue, '<team>'` (both at
//! commit, in [`super::TeamTx::commit`]; PostgreSQL delivers a notification only when its
//! transaction commits, so a listener never hears of a change it cannot read yet).
//!
//! Why both: LISTEN/NOTIFY wakes a console in milliseconds without twenty consoles polling the
//! server, but a notification sent while a console's listening connection is down is gone.
//! So a [`QueueWatch`] also reads the version every [`POLL`] (one indexed row): whatever is
//! missed is noticed at the next poll, well within the 2 s. On SQLite (one process) the poll
//! is the whole mechanism.

use super::{Backend, TeamStore, TeamTx, on_pool, on_tx};
use crate::error::Result;
use sqlx::postgres::PgListener;
use std::time::Duration;
use tokio::sync::watch;

/// The PostgreSQL channel the team store notifies on.
pub const CHANNEL: &str = "walletdesk_queue";
/// How often a watch reads the version as the safety net.
pub const POLL: Duration = Duration::from_millis(1000);

pub(crate) async fn bump(tx: &mut TeamTx, team: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO team_queue_versions (team, version) VALUES ($1, 1) \
         ON CONFLICT (team) DO UPDATE SET version = team_queue_versions.version + 1",
    )
    .bind(team)
    .execute(c)
    .await?
    .rows_affected());
    if let super::Tx::Postgres(t) = &mut tx.tx {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(team)
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}

impl TeamStore {
    /// The team's queue version: it moves whenever a case of the team is added, taken, worked
    /// or closed. 0 before the first change.
    pub async fn queue_version(&self, team: &str) -> Result<i64> {
        let version: Option<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT version FROM team_queue_versions WHERE team = $1",
        )
        .bind(team)
        .fetch_optional(p)
        .await?);
        Ok(version.unwrap_or(0))
    }

    /// Watches `team`'s queue: the receiver's value is the latest version seen, and it
    /// changes within [`POLL`] of a change (at once on PostgreSQL while the listener is up).
    /// The watch ends when every receiver is dropped.
    pub async fn watch_queue(&self, team: &str) -> Result<QueueWatch> {
        // The server may be away at start-up: the watch starts from 0 and catches up.
        let first = self.queue_version(team).await.unwrap_or(0);
        let (sender, receiver) = watch::channel(first);
        let store = self.clone();
        let team = team.to_owned();
        let task = tokio::spawn(async move {
            let mut listener = match &store.backend {
                Backend::Postgres(pool) => listen(pool).await,
                Backend::Sqlite(_) => None,
            };
            loop {
                let woke = match listener.as_mut() {
                    Some(l) => match tokio::time::timeout(POLL, l.try_recv()).await {
                        Ok(Ok(Some(n))) => n.payload() == team,
                        // The connection dropped: the next recv reconnects; the poll below
                        // catches what was sent meanwhile.
                        Ok(Ok(None)) => false,
                        Ok(Err(err)) => {
                            tracing::warn!(error = %err, "team queue listener failed; polling");
                            listener = None;
                            false
                        }
                        Err(_) => false,
                    },
                    None => {
                        tokio::time::sleep(POLL).await;
                        false
                    }
                };
                let _ = woke;
                if sender.is_closed() {
                    return;
                }
                match store.queue_version(&team).await {
                    Ok(version) => {
                        sender.send_if_modified(|seen| {
                            if version > *seen {
                                *seen = version;
                                true
                            } else {
                                false
                            }
                        });
                    }
                    Err(err) => tracing::warn!(error = %err, "team queue version unreadable"),
                }
            }
        });
        Ok(QueueWatch { receiver, task })
    }
}

async fn listen(pool: &sqlx::PgPool) -> Option<PgListener> {
    let mut listener = match PgListener::connect_with(pool).await {
        Ok(l) => l,
        Err(err) => {
            tracing::warn!(error = %err, "team queue listener could not connect; polling");
            return None;
        }
    };
    match listener.listen(CHANNEL).await {
        Ok(()) => Some(listener),
        Err(err) => {
            tracing::warn!(error = %err, "LISTEN refused; polling");
            None
        }
    }
}

/// A running watch of one team's queue.
#[derive(Debug)]
pub struct QueueWatch {
    pub receiver: watch::Receiver<i64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for QueueWatch {
    fn drop(&mut self) {
        self.task.abort();
    }
}
