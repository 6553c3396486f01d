//! What a write records besides its effect: its change-feed rows and the stats counts.
//!
//! While an idempotent write's effect runs (see [`crate::idempotency`]), [`crate::changes::record`]
//! and [`crate::store::add_to_stats`] do not run a statement each: they note the row here, and
//! the write machinery writes everything noted in one statement before its transaction
//! commits (a batch: for all its items at once). Each statement is a round trip to sqlx's
//! SQLite thread, and those round trips, not the SQL, were the sandbox's cost per write.
//! The rows still commit (or roll back) with the effect, in the order they were noted, so the
//! feed and the counts are exactly what they were with a statement per row.

use crate::store::Counts;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::cell::RefCell;
use std::future::Future;

/// Feed rows per statement: three bound values each, well under SQLite's 32,766.
const CHANGES_PER_STATEMENT: usize = 1_000;

tokio::task_local! {
    static NOTED: RefCell<Bookkeeping>;
}

/// Rows noted and not yet written.
#[derive(Debug, Default)]
pub struct Bookkeeping {
    /// (kind, entity id, at), in the order noted.
    changes: Vec<(String, String, String)>,
    added: Counts,
}

impl Bookkeeping {
    /// Runs `effect`, noting its bookkeeping instead of writing it; returns both.
    pub async fn noting<F: Future>(effect: F) -> (F::Output, Bookkeeping) {
        NOTED
            .scope(RefCell::new(Bookkeeping::default()), async {
                let output = effect.await;
                (output, NOTED.with(RefCell::take))
            })
            .await
    }

    /// Adds `later`'s rows after this one's.
    pub fn extend(&mut self, later: Bookkeeping) {
        self.changes.extend(later.changes);
        self.added = self.added.plus(later.added);
    }

    /// Writes the noted rows on `conn` (the transaction of the write that noted them): one
    /// round trip for the stats and up to a thousand feed rows.
    pub async fn write(self, conn: &mut SqliteConnection) -> sqlx::Result<()> {
        // Statements of one query run one after another in a single round trip.
        let mut query = QueryBuilder::<Sqlite>::new("");
        let mut pending = false;
        if self.added != Counts::default() {
            let as_i64 =
                |n: u64| i64::try_from(n).map_err(|err| sqlx::Error::Encode(Box::new(err)));
            query
                .push("UPDATE stats SET customers = customers + ")
                .push_bind(as_i64(self.added.customers)?)
                .push(", wallets = wallets + ")
                .push_bind(as_i64(self.added.wallets)?)
                .push(", transactions = transactions + ")
                .push_bind(as_i64(self.added.transactions)?)
                .push(" WHERE id = 1; ");
            pending = true;
        }
        for rows in self.changes.chunks(CHANGES_PER_STATEMENT) {
            // REPLACE deletes an entity's earlier row and inserts a new one, which
            // AUTOINCREMENT gives a seq above every seq ever used; the rows of one statement
            // are inserted in order, so an entity noted twice ends at its last change.
            query.push("INSERT OR REPLACE INTO changes (kind, entity_id, at) ");
            query.push_values(rows, |mut row, (kind, id, at)| {
                row.push_bind(kind).push_bind(id).push_bind(at);
            });
            // Sizes vary from write to write: not worth a place in the statement cache.
            query.build().persistent(false).execute(&mut *conn).await?;
            query.reset();
            pending = false;
        }
        if pending {
            query.build().persistent(false).execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// Notes a feed row if a write's effect is running; `false` (nothing noted) otherwise.
pub fn note_change(kind: &str, entity_id: &str, at: DateTime<Utc>) -> bool {
    NOTED
        .try_with(|noted| {
            noted.borrow_mut().changes.push((
                kind.to_owned(),
                entity_id.to_owned(),
                at.to_rfc3339_opts(SecondsFormat::Secs, true),
            ));
        })
        .is_ok()
}

/// Notes added rows for the stats if a write's effect is running; `false` otherwise.
pub fn note_added(added: Counts) -> bool {
    NOTED
        .try_with(|noted| {
            let mut noted = noted.borrow_mut();
            noted.added = noted.added.plus(added);
        })
        .is_ok()
}
