//! The sync engine: push the outbox, pull the change feed.
//!
//! Every step commits its bookkeeping in one transaction after the core has answered, never
//! before; see the module docs of [`crate::sync`] for why that makes crashes harmless.

use super::outbox::{seal_context, timestamp};
use super::readmodel;
use crate::clock::Clock;
use crate::corelink::{CoreSync, CoreWrite, LinkError, WriteOutcome};
use crate::crypto::Sealer;
use crate::error::Result;
use crate::store::Store;
use backon::{BackoffBuilder, ExponentialBuilder};
use chrono::{DateTime, Utc};
use sqlx::Row;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, watch};

/// Operations per marking statement (at most three bound values each), well under SQLite's
/// 32,766.
const ROWS_PER_STATEMENT: usize = 500;

#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Operations per request to the core (the v1 batch takes up to 500).
    pub batch_size: u32,
    /// Changes per pull page.
    pub pull_page: u32,
    /// First retry delay; doubles per attempt (with full jitter) up to `max_backoff`.
    pub min_backoff: Duration,
    pub max_backoff: Duration,
    /// How often an idle engine looks at the core anyway (the feed has no push channel).
    pub poll_every: Duration,
    /// How many times the core may answer an operation "done" with a body that does not
    /// parse before the operation waits in "needs attention" (until then it is sent again
    /// under the same key: a core that applied it replays its answer).
    pub max_unreadable_answers: u32,
    /// How old the stored copy of the core's limit schemes may get before a sync round takes
    /// a fresh one. The schemes change rarely and carry their effective dates, so a version
    /// announced ahead is in force on its day even offline.
    pub limits_every: Duration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            batch_size: 200,
            pull_page: 500,
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            poll_every: Duration::from_secs(5),
            max_unreadable_answers: 5,
            limits_every: Duration::from_secs(3600),
        }
    }
}

/// What one push round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushReport {
    pub sent: u32,
    pub applied: u32,
    pub refused: u32,
    pub retrying: u32,
    /// Stored operations that could not be opened (sealed under another key, damaged) or
    /// decoded: moved to "needs attention" with the reason, unsent, so the rest flow.
    pub unopenable: u32,
    /// Answers the core gave as "done" that did not parse: retried (counted in `retrying`)
    /// or, past the limit, moved to "needs attention".
    pub unreadable: u32,
}

/// What one pull round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PullReport {
    pub applied: u32,
    pub more: bool,
}

#[derive(Clone)]
pub struct Engine {
    store: Store,
    sealer: Sealer,
    link: Arc<dyn CoreSync>,
    clock: Arc<dyn Clock>,
    config: EngineConfig,
    wake: Arc<Notify>,
    /// Set when the core refused a whole call (a console token it does not accept, a batch or
    /// a feed cursor it rejects): the same call would be refused again, so the background loop
    /// waits `max_backoff` before its next round instead of `poll_every`. Operations are not
    /// touched by it; it only keeps a refused console from knocking every few seconds.
    held_until: Arc<Mutex<Option<Instant>>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("link", &self.link)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

struct Ready {
    id: i64,
    attempts: u32,
    unreadable_answers: u32,
    write: CoreWrite,
}

/// The operations of one push round to try again, by (attempt count after this one, reason).
#[derive(Default)]
struct Retries(std::collections::BTreeMap<(u32, String), Vec<i64>>);

impl Retries {
    fn add(&mut self, item: &Ready, reason: String) {
        self.0
            .entry((item.attempts.saturating_add(1), reason))
            .or_default()
            .push(item.id);
    }
}

impl Engine {
    pub fn new(
        store: Store,
        sealer: Sealer,
        link: Arc<dyn CoreSync>,
        clock: Arc<dyn Clock>,
        config: EngineConfig,
    ) -> Engine {
        Engine {
            store,
            sealer,
            link,
            clock,
            config,
            wake: Arc::new(Notify::new()),
            held_until: Arc::new(Mutex::new(None)),
        }
    }

    /// After a refusal of a whole call: see `held_until`.
    fn hold_after(&self, err: &LinkError) {
        if let LinkError::Refused(reason) | LinkError::Unauthorized(reason) = err {
            let mut held = self
                .held_until
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if held.is_none() {
                tracing::warn!(
                    %reason,
                    after = ?self.config.max_backoff,
                    "the core refused this console's sync calls; trying again later"
                );
            }
            *held = Some(Instant::now() + self.config.max_backoff);
        }
    }

    /// How long the background loop still waits after a refusal, if it does.
    fn held_for(&self) -> Option<Duration> {
        let mut held = self
            .held_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let rest = held.and_then(|until| until.checked_duration_since(Instant::now()));
        if rest.is_none() {
            *held = None;
        }
        rest
    }

    /// Tells a running engine that something was enqueued (or staff asked to sync now).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn sealer(&self) -> &Sealer {
        &self.sealer
    }

    /// The core this engine syncs with, for the online checks (codes, screening).
    pub fn core(&self) -> &Arc<dyn CoreSync> {
        &self.link
    }

    /// The delay before retry number `attempts` (1 = the first retry): exponential with full
    /// jitter, so many consoles coming back after an outage do not all knock at once. The
    /// jitter comes from `jitter_seed`: one push round draws one seed for all the operations it
    /// sends back, so those that failed together (a whole batch, usually) come due together and
    /// go again as one batch, instead of trickling back in many small requests.
    fn backoff(&self, attempts: u32, jitter_seed: u64) -> Duration {
        ExponentialBuilder::default()
            .with_min_delay(self.config.min_backoff)
            .with_max_delay(self.config.max_backoff)
            .with_jitter()
            .with_jitter_seed(jitter_seed)
            .without_max_times()
            .build()
            .nth(usize::try_from(attempts.saturating_sub(1)).unwrap_or(usize::MAX))
            .unwrap_or(self.config.max_backoff)
    }

    /// The operations that may go now: due, pending, and first among the unfinished of their
    /// aggregate (an earlier one pending or needing attention holds the rest back), oldest
    /// first.
    /// A stored operation that cannot be opened or decoded is moved to "needs attention" with
    /// its reason (the count is returned), never left to fail every round: one bad row must
    /// not stop every other operation. Its aggregate's later operations wait behind it, as
    /// behind any operation needing attention.
    ///
    /// Due means `next_attempt_at <= now`, or further ahead than any backoff can put it: the
    /// wall clock went back (a corrected clock, a time-zone mistake), and waiting that long
    /// again would hold a sign-up for as long as the clock jumped.
    async fn ready(&self, now: DateTime<Utc>) -> Result<(Vec<Ready>, u32)> {
        // The lower bound on the id changes no answer; it starts the scan at the first pending
        // row instead of walking past every done one (the outbox keeps them, so that walk grew
        // with every operation ever sent). The bound comes from the partial index that holds
        // exactly the pending rows.
        let rows = sqlx::query(
            "SELECT o.id, o.idempotency_key, o.kind, o.subject, o.body_sealed, o.attempts, \
               o.unreadable_answers \
             FROM outbox o \
             WHERE o.state = 'pending' AND (o.next_attempt_at <= ? OR o.next_attempt_at > ?) \
               AND o.id >= (SELECT MIN(id) FROM outbox INDEXED BY outbox_pending_due \
                   WHERE state = 'pending') \
               AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.aggregate = o.aggregate \
                   AND p.id < o.id AND p.state IN ('pending', 'attention')) \
             ORDER BY o.id LIMIT ?",
        )
        .bind(timestamp(now))
        .bind(timestamp(now + self.clock_slack()))
        .bind(i64::from(self.config.batch_size))
        .fetch_all(self.store.read())
        .await?;
        let mut ready = Vec::with_capacity(rows.len());
        let mut unopenable: Vec<(i64, String)> = Vec::new();
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let key: String = row.try_get("idempotency_key")?;
            let sealed: Vec<u8> = row.try_get("body_sealed")?;
            let body = match self.sealer.open(&sealed, &seal_context(&key)) {
                Err(err) => {
                    unopenable.push((
                        id,
                        format!("this console cannot open its stored copy of the operation ({err}); it was not sent"),
                    ));
                    continue;
                }
                Ok(plain) => {
                    match serde_json::from_slice(&plain) {
                        Ok(body) => body,
                        Err(err) => {
                            unopenable.push((
                            id,
                            format!("the stored operation is not valid JSON ({err}); it was not sent"),
                        ));
                            continue;
                        }
                    }
                }
            };
            let subject: Option<String> = row.try_get("subject")?;
            let subject = match subject {
                Some(text) if text.starts_with(super::outbox::RESULT_OF) => {
                    match super::outbox::resolve_subject(self.store.read(), &text).await? {
                        Some(id) => Some(id),
                        None => {
                            unopenable.push((
                                id,
                                "the operation it follows has no answer from the core (it was \
                                 discarded or answered without an id); it was not sent"
                                    .to_owned(),
                            ));
                            continue;
                        }
                    }
                }
                other => other,
            };
            let attempts: i64 = row.try_get("attempts")?;
            let unreadable: i64 = row.try_get("unreadable_answers")?;
            ready.push(Ready {
                id,
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                unreadable_answers: u32::try_from(unreadable).unwrap_or(u32::MAX),
                write: CoreWrite {
                    key,
                    kind: row.try_get("kind")?,
                    subject,
                    body,
                },
            });
        }
        let parked = u32::try_from(unopenable.len()).unwrap_or(u32::MAX);
        if !unopenable.is_empty() {
            let mut tx = self.store.begin().await?;
            for (id, reason) in &unopenable {
                tracing::error!(outbox = id, %reason, "an outbox operation cannot be opened; it needs attention");
                // Still pending: a concurrent round may have moved it meanwhile.
                sqlx::query(
                    "UPDATE outbox SET state = 'attention', attention_reason = ? \
                     WHERE id = ? AND state = 'pending'",
                )
                .bind(reason)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }
        Ok((ready, parked))
    }

    /// How far ahead a retry can be scheduled at most (the longest backoff, with room): a
    /// `next_attempt_at` further ahead than this was set by a clock that has since gone back.
    fn clock_slack(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.config.max_backoff)
            .unwrap_or_else(|_| chrono::Duration::hours(1))
            + chrono::Duration::minutes(1)
    }

    /// Sends one batch of ready operations and records what became of each.
    pub async fn push_once(&self) -> Result<PushReport> {
        let (ready, unopenable) = self.ready(self.clock.now()).await?;
        if ready.is_empty() {
            return Ok(PushReport {
                unopenable,
                ..PushReport::default()
            });
        }
        let writes: Vec<CoreWrite> = ready.iter().map(|r| r.write.clone()).collect();
        let answer = self.link.submit(&writes).await;
        let now = self.clock.now();
        let mut report = PushReport {
            sent: u32::try_from(ready.len()).unwrap_or(u32::MAX),
            unopenable,
            ..PushReport::default()
        };
        let mut retries = Retries::default();
        let mut tx = self.store.begin().await?;
        match answer {
            Ok(outcomes) if outcomes.len() == ready.len() => {
                let mut applied: Vec<(i64, String)> = Vec::new();
                for (item, outcome) in ready.iter().zip(outcomes) {
                    match outcome {
                        WriteOutcome::Applied { result, .. } => {
                            applied.push((item.id, result.to_string()));
                        }
                        WriteOutcome::Refused { status, reason, .. } => {
                            tracing::warn!(outbox = item.id, status, %reason, "core refused an operation");
                            sqlx::query(
                                "UPDATE outbox SET state = 'attention', attention_reason = ?, \
                                 attempts = attempts + 1 WHERE id = ?",
                            )
                            .bind(&reason)
                            .bind(item.id)
                            .execute(&mut *tx)
                            .await?;
                            report.refused += 1;
                        }
                        WriteOutcome::Retry { reason } => {
                            retries.add(item, reason);
                            report.retrying += 1;
                        }
                        WriteOutcome::Unreadable { reason } => {
                            report.unreadable += 1;
                            let answers = item.unreadable_answers.saturating_add(1);
                            if answers >= self.config.max_unreadable_answers {
                                let reason = format!(
                                    "the core answered {answers} times that it was done, but \
                                     its answer could not be read ({reason}); check with the \
                                     core whether it was applied before resending"
                                );
                                tracing::error!(outbox = item.id, %reason, "an operation needs attention");
                                sqlx::query(
                                    "UPDATE outbox SET state = 'attention', attention_reason = ?, \
                                     attempts = attempts + 1, unreadable_answers = ? WHERE id = ?",
                                )
                                .bind(&reason)
                                .bind(i64::from(answers))
                                .bind(item.id)
                                .execute(&mut *tx)
                                .await?;
                            } else {
                                tracing::warn!(outbox = item.id, %reason, answers, "the core's answer could not be read; will retry");
                                sqlx::query(
                                    "UPDATE outbox SET unreadable_answers = ? WHERE id = ?",
                                )
                                .bind(i64::from(answers))
                                .bind(item.id)
                                .execute(&mut *tx)
                                .await?;
                                retries.add(
                                    item,
                                    format!("the core's answer could not be read: {reason}"),
                                );
                                report.retrying += 1;
                            }
                        }
                    }
                }
                // The usual case, every operation applied, is one statement per chunk rather
                // than one per operation.
                for chunk in applied.chunks(ROWS_PER_STATEMENT) {
                    let mut update =
                        sqlx::QueryBuilder::<sqlx::Sqlite>::new("WITH answered (id, result) AS (");
                    update.push_values(chunk, |mut row, (id, result)| {
                        row.push_bind(*id).push_bind(result.as_str());
                    });
                    update.push(") UPDATE outbox SET state = 'done', done_at = ");
                    update.push_bind(timestamp(now));
                    // A join (one primary-key lookup per answered row), not a correlated
                    // subquery that scans every answered row for every outbox row.
                    update.push(
                        ", result = answered.result, last_error = NULL, \
                         attempts = attempts + 1 FROM answered WHERE outbox.id = answered.id",
                    );
                    update.build().execute(&mut *tx).await?;
                }
                report.applied = u32::try_from(applied.len()).unwrap_or(u32::MAX);
                sqlx::query(
                    "UPDATE sync_state SET last_push_at = ?, last_error = NULL WHERE id = 1",
                )
                .bind(timestamp(now))
                .execute(&mut *tx)
                .await?;
            }
            Ok(outcomes) => {
                // A core that answers a different number of results broke the contract; none
                // of them can be trusted to belong to the right operation.
                let reason = format!(
                    "the core answered {} results for {} operations",
                    outcomes.len(),
                    ready.len()
                );
                tracing::error!(%reason);
                for item in &ready {
                    retries.add(item, reason.clone());
                }
                report.retrying = report.sent;
                set_last_error(&mut tx, &reason).await?;
            }
            Err(err) => {
                self.hold_after(&err);
                let reason = err.to_string();
                tracing::info!(error = %reason, count = ready.len(), "sync push failed; will retry");
                for item in &ready {
                    retries.add(item, reason.clone());
                }
                report.retrying = report.sent;
                set_last_error(&mut tx, &reason).await?;
            }
        }
        self.retry_later(&mut tx, retries, now).await?;
        tx.commit().await?;
        Ok(report)
    }

    /// Puts `retries` back in the queue with their next attempt's time: one statement per
    /// distinct attempt count and reason (a failed batch is one), not one per operation.
    async fn retry_later(
        &self,
        tx: &mut sqlx::SqliteConnection,
        retries: Retries,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let jitter_seed: u64 = rand::random();
        for ((attempts, reason), ids) in retries.0 {
            let delay = chrono::Duration::from_std(self.backoff(attempts, jitter_seed))
                .unwrap_or_else(|_| chrono::Duration::seconds(60));
            for chunk in ids.chunks(ROWS_PER_STATEMENT) {
                let mut update =
                    sqlx::QueryBuilder::<sqlx::Sqlite>::new("UPDATE outbox SET attempts = ");
                update.push_bind(i64::from(attempts));
                update.push(", next_attempt_at = ");
                update.push_bind(timestamp(now + delay));
                update.push(", last_error = ");
                update.push_bind(reason.as_str());
                update.push(" WHERE id IN ");
                update.push_tuples(chunk, |mut row, id| {
                    row.push_bind(*id);
                });
                update.build().execute(&mut *tx).await?;
            }
        }
        Ok(())
    }

    /// Pulls one page of the change feed into the read model, moving the cursor in the same
    /// transaction.
    pub async fn pull_once(&self) -> Result<PullReport> {
        let cursor: Option<String> =
            sqlx::query_scalar("SELECT cursor FROM sync_state WHERE id = 1")
                .fetch_one(self.store.read())
                .await?;
        let page = match self
            .link
            .changes(cursor.as_deref(), self.config.pull_page)
            .await
        {
            Ok(page) => page,
            Err(err) => {
                self.hold_after(&err);
                let mut tx = self.store.begin().await?;
                set_last_error(&mut tx, &err.to_string()).await?;
                tx.commit().await?;
                return Err(link_error(err));
            }
        };
        let mut tx = self.store.begin().await?;
        // Compare-and-set on the cursor: if another puller moved it meanwhile, this page is
        // already applied (or superseded) and is dropped rather than applied over newer data.
        let still: Option<String> =
            sqlx::query_scalar("SELECT cursor FROM sync_state WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
        if still != cursor {
            return Ok(PullReport {
                applied: 0,
                more: true,
            });
        }
        for change in &page.changes {
            readmodel::apply(&mut tx, &self.sealer, change).await?;
        }
        sqlx::query(
            "UPDATE sync_state SET cursor = ?, last_pull_at = ?, last_error = NULL WHERE id = 1",
        )
        .bind(&page.next_cursor)
        .bind(timestamp(self.clock.now()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(PullReport {
            applied: u32::try_from(page.changes.len()).unwrap_or(u32::MAX),
            more: page.more,
        })
    }

    /// Pushes and pulls until nothing is ready and the feed is drained, or the core fails.
    /// Returns the totals. Operations waiting for a backoff are not waited for.
    /// Anchors the audit trail's head at the core when records were added since the last
    /// anchor, and notes what was anchored. Answers the sequence anchored now, if any.
    ///
    /// After every sync round: the core then holds a head at most one round old, so a cut
    /// tail loses at most what was written since (seconds while online). The new head must
    /// extend the one the core holds: this trail's record at the held sequence must still have
    /// the held hash. If it does not (the trail was cut or rewritten, or restored from a
    /// backup), nothing is anchored and the error is logged loudly: anchoring past it would
    /// hide it, and `verify` reports it.
    pub async fn anchor_once(&self) -> Result<Option<i64>> {
        let Some(head) = crate::audit::head(self.store.read()).await? else {
            return Ok(None);
        };
        let noted: Option<i64> =
            sqlx::query_scalar("SELECT sequence FROM audit_anchor WHERE id = 1")
                .fetch_optional(self.store.read())
                .await?;
        if noted.is_some_and(|seq| seq >= head.sequence) {
            return Ok(None);
        }
        let held = self.link.audit_anchor().await.map_err(|err| {
            tracing::info!(error = %err, "reading the anchored audit head failed; next round");
            link_error(err)
        })?;
        let previous = match &held {
            None => None,
            Some(held) if held.sequence == head.sequence && held.hash == head.hash => {
                self.note_anchor(held).await?;
                return Ok(None);
            }
            Some(held) => {
                let ours: Option<String> =
                    sqlx::query_scalar("SELECT hash FROM audit_log WHERE id = ?")
                        .bind(held.sequence)
                        .fetch_optional(self.store.read())
                        .await?;
                if ours.as_deref() != Some(held.hash.as_str()) {
                    let reason = format!(
                        "the audit trail no longer holds the head anchored at the core (record \
                         {}): it was cut or rewritten; the anchor is left as it is",
                        held.sequence
                    );
                    tracing::error!(%reason);
                    return Err(crate::Error::Conflict(reason));
                }
                Some(held.clone())
            }
        };
        let stored = self
            .link
            .anchor_audit(&head, previous.as_ref())
            .await
            .map_err(|err| {
                tracing::error!(error = %err, sequence = head.sequence,
                    "the core did not take this console's audit head");
                link_error(err)
            })?;
        self.note_anchor(&stored).await?;
        Ok(Some(stored.sequence))
    }

    async fn note_anchor(&self, head: &crate::corelink::AuditHead) -> Result<()> {
        let mut tx = self.store.begin().await?;
        sqlx::query(
            "INSERT INTO audit_anchor (id, sequence, hash, anchored_at) VALUES (1, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, \
             hash = excluded.hash, anchored_at = excluded.anchored_at",
        )
        .bind(head.sequence)
        .bind(&head.hash)
        .bind(timestamp(self.clock.now()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Takes the core's limit schemes into the store now, replacing the copy whole.
    pub async fn refresh_limits(&self) -> Result<()> {
        let schemes = self.link.limit_schemes().await.map_err(link_error)?;
        let mut tx = self.store.begin().await?;
        crate::limits::replace(&mut tx, &schemes, &timestamp(self.clock.now())).await?;
        tx.commit().await
    }

    /// Refreshes the limit schemes when the copy is missing or older than `limits_every`.
    ///
    /// Why here and not only at start: a booth console often starts offline, and a scheme
    /// version the core announces ahead should reach a console that runs for days. The
    /// engine is the one part that knows when the core answers.
    async fn refresh_limits_if_due(&self) -> Result<()> {
        let last: Option<String> =
            sqlx::query_scalar("SELECT limits_refreshed_at FROM sync_state WHERE id = 1")
                .fetch_one(self.store.read())
                .await?;
        let due = last
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .is_none_or(|t| {
                let age = self.clock.now() - t.with_timezone(&Utc);
                age.to_std()
                    .map_or(true, |age| age >= self.config.limits_every)
            });
        if due {
            self.refresh_limits().await?;
        }
        Ok(())
    }

    pub async fn sync_now(&self) -> Result<(PushReport, u32)> {
        let mut pushed = PushReport::default();
        loop {
            let round = self.push_once().await?;
            pushed.sent += round.sent;
            pushed.applied += round.applied;
            pushed.refused += round.refused;
            pushed.retrying += round.retrying;
            pushed.unopenable += round.unopenable;
            pushed.unreadable += round.unreadable;
            // A failed round leaves its operations backing off: stop rather than spin. A round
            // that only set aside rows it could not open goes on to the rows behind them.
            if (round.sent == 0 && round.unopenable == 0)
                || (round.sent > 0 && round.retrying == round.sent)
            {
                break;
            }
        }
        let mut pulled = 0;
        loop {
            let round = self.pull_once().await?;
            pulled += round.applied;
            if !round.more {
                break;
            }
        }
        // The writes and the feed are this round's work; the limit schemes and an anchor that
        // fail are tried again next round and must not report the round as failed.
        if let Err(err) = self.refresh_limits_if_due().await {
            tracing::debug!(error = %err, "limit schemes not refreshed this round");
        }
        if let Err(err) = self.anchor_once().await {
            tracing::debug!(error = %err, "audit anchor not stored this round");
        }
        Ok((pushed, pulled))
    }

    /// The earliest time a pending operation may be sent, if any is pending.
    async fn next_due(&self) -> Result<Option<DateTime<Utc>>> {
        let next: Option<String> =
            sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'")
                .fetch_one(self.store.read())
                .await?;
        Ok(next.and_then(|t| {
            DateTime::parse_from_rfc3339(&t)
                .ok()
                .map(|t| t.with_timezone(&Utc))
        }))
    }

    /// Runs until `stop` turns true: sync, then sleep until woken, the next retry is due, or
    /// the poll interval passes. Failures are logged and retried; nothing here ends the loop.
    /// After the core refused a whole call, no round runs for `max_backoff` (waking included).
    pub async fn run(&self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                return;
            }
            if self.held_for().is_none()
                && let Err(err) = self.sync_now().await
            {
                tracing::warn!(error = %err, "sync round failed");
            }
            let mut wait = self.config.poll_every;
            if let Some(held) = self.held_for() {
                wait = held;
            } else if let Ok(Some(due)) = self.next_due().await {
                let until = (due - self.clock.now()).to_std().unwrap_or(Duration::ZERO);
                wait = wait.min(until.max(Duration::from_millis(20)));
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                changed = stop.changed() => {
                    // The sender is gone: whoever could stop the engine has ended.
                    if changed.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

async fn set_last_error(tx: &mut sqlx::SqliteConnection, reason: &str) -> Result<()> {
    sqlx::query("UPDATE sync_state SET last_error = ? WHERE id = 1")
        .bind(reason)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

fn link_error(err: LinkError) -> crate::Error {
    crate::Error::CoreUnavailable(err.to_string())
}
