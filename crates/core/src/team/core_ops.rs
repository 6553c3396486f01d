//! Delivering the team's dispute steps to the core bank, exactly once (issue 16).
//!
//! Every dispute step writes what the core must hear of it to `team_dispute_core_ops`, in the
//! step's own transaction (`disputes::core_op`). A [`CoreOpSender`] sends them: each console in
//! team mode runs one ([`TeamLink::delivering_disputes_to`], every [`DeliveryConfig::every`]),
//! so the ops reach the core while any console of the team is running. Rules:
//!
//! - **One console at a time per op: a lease.** A console takes an op with
//!   `UPDATE … SET claimed_by, claimed_until WHERE id = $ AND state = 'pending' AND
//!   (claimed_until IS NULL OR claimed_until <= now)`, one SQL text on both backends: SQLite has
//!   one writer, and PostgreSQL re-checks the `WHERE` after waiting for a concurrent claimer's
//!   row lock, so exactly one console gets it (as taking a case does). A lease rather than
//!   `FOR UPDATE SKIP LOCKED`: no transaction stays open across the HTTP call, and a console
//!   that dies holding an op holds it only until the lease ends.
//! - **In order per dispute.** An op is sent only when no earlier op of its dispute is
//!   pending or needs attention: the core hears the opening first, and every later step names
//!   the core's dispute id, recorded on the team dispute when the opening is done.
//! - **Exactly once.** The outcome is recorded only after the core answered, in one
//!   transaction with its audit record on the team chain. A console that dies between the send
//!   and the record leaves the op pending; when its lease ends any console sends it again under
//!   the same key, and the core answers it as a replay of the first (v1 idempotency), so the
//!   core's ledger shows one application.
//! - **Outcomes.** Applied → `done` (the opening also records the core's dispute id). Refused
//!   for good (a 4xx other than the contract's retry cases: a key still in flight, 408, 429) →
//!   `attention` with the core's code (the problem type's slug, `dispute-decided`). No answer
//!   (the network, a 5xx, an answer that cannot be read) → still `pending`, sent again after a
//!   backoff; after [`DeliveryConfig::max_attempts`] of those → `attention` with
//!   `core_unreachable`, for staff to look at the case.
//! - **Staff act on attention.** An op in attention holds back its dispute's later ops until a
//!   dispute supervisor resends it (`TeamStore::resend_dispute_op`: pending again, attempts
//!   reset, sent on the next round under the same key) or sets it aside with a reason
//!   (`TeamStore::discard_dispute_op`: `discarded`, never sent, the later ops go). The case
//!   screen offers them where `TeamCoreOp.actions` says so (`dispute_steps::core_op_actions`).
//! - **A refused token** (401) is about this console, not the op: the op is let go unjudged
//!   (no attempt counted, no audit record), and this console's sender pauses for
//!   [`DeliveryConfig::max_backoff`]; another console with a good token sends it meanwhile.
//!
//! Keys: ops written since team migration 0003 carry `wd-td-<step>-<uuid v4>`
//! (`disputes::op_key`), unique across team stores; older rows keep `team-dispute:<case>:<step>`.

use super::audit::TeamAudit;
use super::console::TeamLink;
use super::{TeamStore, on_pool, on_tx};
use crate::clock::Clock;
use crate::corelink::{CoreSync, CoreWrite, LinkError, WriteOutcome};
use crate::disputes::desk::op;
use crate::error::Result;
use backon::{BackoffBuilder, ExponentialBuilder};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// The stable codes the sender records when the core gave none.
pub mod codes {
    /// No answer after [`super::DeliveryConfig::max_attempts`] sends (also the code of each
    /// unanswered send while the op is still retried).
    pub const CORE_UNREACHABLE: &str = "core_unreachable";
    /// The core said "done" with an answer that cannot be read.
    pub const CORE_ANSWER_UNREADABLE: &str = "core_answer_unreadable";
    /// The core refused with no code of its own (a 4xx without a contract problem type).
    pub const CORE_REFUSED: &str = "core_refused";
    /// This console cannot send it: an operation the adapter has no request for, a key the
    /// contract does not take, or a stored body that no longer parses.
    pub const NOT_SENDABLE: &str = "not_sendable";
    /// A step after the opening, but the core's dispute id is not known (the opening was
    /// discarded, or the core answered it without an id).
    pub const CORE_DISPUTE_UNKNOWN: &str = "core_dispute_unknown";
}

/// The audit chain's actor for what the sender records (no staff member sent it).
const ACTOR: &str = "core-sender";

#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// How often a running sender looks for ops (the brief's 5 s, as the sync engine polls).
    pub every: Duration,
    /// How long a claimed op is this console's. Far longer than one request may last (the
    /// corebank client gives up after 5 s; the send is also cut at half the lease), so a live
    /// console is never overtaken, and short enough that a dead console's op moves on within
    /// a minute.
    pub lease: Duration,
    /// Ops looked at per round (each is then claimed, sent and recorded on its own).
    pub batch: u32,
    /// The first wait after an unanswered send; doubles per send (with jitter) up to
    /// `max_backoff`.
    pub min_backoff: Duration,
    pub max_backoff: Duration,
    /// Unanswered sends before the op needs attention (`core_unreachable`). With the default
    /// backoff (5 s doubling to 10 min, each wait plus up to as much again of jitter) ten
    /// sends span roughly 30 to 60 minutes of outage: long enough to ride out a restart of
    /// the core or a network blip, short enough that a dispute's money step (provisional
    /// credit within 10 business days) is not left waiting silently for days.
    pub max_attempts: u32,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            every: Duration::from_secs(5),
            lease: Duration::from_secs(60),
            batch: 50,
            min_backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(600),
            max_attempts: 10,
        }
    }
}

/// An op this console holds the lease on, ready to send.
#[derive(Debug, Clone)]
pub struct ClaimedOp {
    pub id: i64,
    pub dispute_id: i64,
    pub case_no: String,
    pub team: String,
    /// Sends recorded before this one.
    pub attempts: u32,
    /// What goes to the core: the op's kind, key, body and (after the opening) the core's
    /// dispute id as the subject.
    pub write: CoreWrite,
}

/// What became of an op once its send was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    Done {
        replayed: bool,
    },
    Attention {
        code: String,
    },
    /// Still pending: sent again after a backoff (or needs attention once the sends run out).
    Retrying {
        code: String,
        attempts: u32,
    },
    /// Let go unjudged (the core refused this console's token).
    Released,
    /// Recorded meanwhile by another console (its lease ended while this one waited for the
    /// core): nothing written.
    AlreadyRecorded,
}

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Sent to the core (claimed and not set aside before sending).
    pub sent: u32,
    pub done: u32,
    pub attention: u32,
    pub retrying: u32,
    /// Ready ops another console claimed first.
    pub claimed_elsewhere: u32,
}

/// Sends one team store's dispute ops to the core. Cheap to clone; clones share the pause
/// after a refused token.
#[derive(Clone)]
pub struct CoreOpSender {
    store: TeamStore,
    core: Arc<dyn CoreSync>,
    clock: Arc<dyn Clock>,
    config: DeliveryConfig,
    /// Who holds a lease: one name per sender, so a console's own earlier run (before a
    /// restart) is as foreign as a colleague's.
    name: String,
    held_until: Arc<Mutex<Option<Instant>>>,
}

impl std::fmt::Debug for CoreOpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoreOpSender")
            .field("name", &self.name)
            .field("core", &self.core)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

type ReadyRow = (
    i64,
    i64,
    String,
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
);

impl TeamLink {
    /// A sender of this team store's dispute ops to `core`; start it with
    /// [`CoreOpSender::run`] beside the sync engine.
    pub fn delivering_disputes_to(
        &self,
        core: Arc<dyn CoreSync>,
        clock: Arc<dyn Clock>,
    ) -> CoreOpSender {
        CoreOpSender::new(self.store().clone(), core, clock, DeliveryConfig::default())
    }
}

impl CoreOpSender {
    pub fn new(
        store: TeamStore,
        core: Arc<dyn CoreSync>,
        clock: Arc<dyn Clock>,
        config: DeliveryConfig,
    ) -> CoreOpSender {
        CoreOpSender {
            store,
            core,
            clock,
            config,
            name: format!("sender-{}", uuid::Uuid::new_v4()),
            held_until: Arc::new(Mutex::new(None)),
        }
    }

    /// This sender's lease holder name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.held_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// How long this sender still pauses after the core refused its token, if it does.
    fn held_for(&self) -> Option<Duration> {
        let mut held = self.held();
        let rest = held.and_then(|until| until.checked_duration_since(Instant::now()));
        if rest.is_none() {
            *held = None;
        }
        rest
    }

    /// The wait before send number `attempts + 1` after `attempts` unanswered ones:
    /// exponential with full jitter, so consoles coming back after an outage spread out.
    fn backoff(&self, attempts: u32) -> Duration {
        ExponentialBuilder::default()
            .with_min_delay(self.config.min_backoff)
            .with_max_delay(self.config.max_backoff)
            .with_jitter()
            .without_max_times()
            .build()
            .nth(usize::try_from(attempts.saturating_sub(1)).unwrap_or(usize::MAX))
            .unwrap_or(self.config.max_backoff)
    }

    /// The ops that may go now, oldest first: pending, not leased, due, and first among the
    /// unfinished ops of their dispute. Not claimed yet.
    async fn ready(&self, now: DateTime<Utc>) -> Result<Vec<ReadyRow>> {
        let now = crate::audit::timestamp(now);
        let rows: Vec<ReadyRow> = on_pool!(self.store, p => sqlx::query_as(
            "SELECT o.id, o.dispute_id, d.case_no, d.team, o.kind, o.attempts, o.op_key, o.body, \
             d.core_dispute_id \
             FROM team_dispute_core_ops o JOIN team_disputes d ON d.id = o.dispute_id \
             WHERE o.state = 'pending' \
               AND (o.claimed_until IS NULL OR o.claimed_until <= $1) \
               AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= $1) \
               AND NOT EXISTS (SELECT 1 FROM team_dispute_core_ops p \
                   WHERE p.dispute_id = o.dispute_id AND p.id < o.id \
                   AND p.state IN ('pending', 'attention')) \
             ORDER BY o.id LIMIT $2",
        )
        .bind(&now)
        .bind(i64::from(self.config.batch))
        .fetch_all(p)
        .await?);
        Ok(rows)
    }

    /// Takes the lease on op `id` if it is still pending and no lease on it runs; answers
    /// whether this sender now holds it.
    async fn take_lease(&self, id: i64, now: DateTime<Utc>) -> Result<bool> {
        let until = now
            + chrono::Duration::from_std(self.config.lease)
                .unwrap_or_else(|_| chrono::Duration::seconds(60));
        let now = crate::audit::timestamp(now);
        let taken = on_pool!(self.store, p => sqlx::query(
            "UPDATE team_dispute_core_ops SET claimed_by = $1, claimed_until = $2, sent_at = $3 \
             WHERE id = $4 AND state = 'pending' \
             AND (claimed_until IS NULL OR claimed_until <= $3)",
        )
        .bind(&self.name)
        .bind(crate::audit::timestamp(until))
        .bind(&now)
        .bind(id)
        .execute(p)
        .await?
        .rows_affected());
        Ok(taken == 1)
    }

    /// Claims the ops that may go now (at most [`DeliveryConfig::batch`]), each for
    /// [`DeliveryConfig::lease`]. An op whose dispute the core does not know yet cannot be
    /// sent: it is moved to attention (`core_dispute_unknown`) instead. Public so a drill can
    /// stop a console between claiming, sending and recording.
    pub async fn claim(&self) -> Result<(Vec<ClaimedOp>, u32)> {
        let now = self.clock.now();
        let mut claimed = Vec::new();
        let mut elsewhere = 0;
        for (id, dispute_id, case_no, team, kind, attempts, key, body, core_id) in
            self.ready(now).await?
        {
            if !self.take_lease(id, now).await? {
                elsewhere += 1;
                continue;
            }
            // Written by this crate as JSON; a row that does not parse was damaged since.
            let (body, damaged) = match serde_json::from_str(&body) {
                Ok(body) => (body, None),
                Err(err) => (serde_json::Value::Null, Some(err)),
            };
            let op = ClaimedOp {
                id,
                dispute_id,
                case_no,
                team,
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                write: CoreWrite {
                    key,
                    subject: if kind == op::OPEN { None } else { core_id },
                    kind,
                    body,
                },
            };
            if let Some(err) = damaged {
                let reason = format!("the stored op is not valid JSON ({err}); it was not sent");
                tracing::error!(op = op.id, case = %op.case_no, %reason);
                self.attention(&op, codes::NOT_SENDABLE, None, &reason, now)
                    .await?;
                continue;
            }
            if op.write.kind != op::OPEN && op.write.subject.is_none() {
                let reason = "the core's id for this dispute is not known (its opening was not \
                              answered with one); it was not sent";
                tracing::error!(op = op.id, case = %op.case_no, "{reason}");
                self.attention(&op, codes::CORE_DISPUTE_UNKNOWN, None, reason, now)
                    .await?;
                continue;
            }
            claimed.push(op);
        }
        Ok((claimed, elsewhere))
    }

    /// Sends one claimed op under its own key. Cut at half the lease, so the answer is
    /// recorded (or given up on) while the lease is still this console's.
    pub async fn send(&self, op: &ClaimedOp) -> std::result::Result<WriteOutcome, LinkError> {
        let limit = self.config.lease / 2;
        match tokio::time::timeout(limit, self.core.submit(std::slice::from_ref(&op.write))).await {
            Ok(Ok(mut outcomes)) if outcomes.len() == 1 => Ok(outcomes.remove(0)),
            Ok(Ok(outcomes)) => Ok(WriteOutcome::Unreadable {
                reason: format!("the core answered {} results for one write", outcomes.len()),
            }),
            Ok(Err(err)) => Err(err),
            Err(_) => Err(LinkError::Unreachable(format!(
                "no answer within {} s",
                limit.as_secs()
            ))),
        }
    }

    /// Records what became of a sent op, with its audit record, in one transaction. Public so
    /// a drill can stop a console before it.
    pub async fn record(
        &self,
        op: &ClaimedOp,
        answer: std::result::Result<WriteOutcome, LinkError>,
    ) -> Result<Recorded> {
        let now = self.clock.now();
        match answer {
            Ok(WriteOutcome::Applied { replayed, result }) => {
                self.done(op, replayed, &result, now).await
            }
            Ok(WriteOutcome::Refused {
                status,
                code,
                reason,
            }) => {
                let code = match (code, status) {
                    (Some(code), _) => code,
                    (None, 0) => codes::NOT_SENDABLE.to_owned(),
                    (None, _) => codes::CORE_REFUSED.to_owned(),
                };
                tracing::warn!(op = op.id, case = %op.case_no, status, %code, %reason,
                    "the core refused a team dispute op");
                self.attention(op, &code, Some(status), &reason, now).await
            }
            Ok(WriteOutcome::Retry { reason }) | Err(LinkError::Unreachable(reason)) => {
                self.unanswered(op, codes::CORE_UNREACHABLE, &reason, now)
                    .await
            }
            Ok(WriteOutcome::Unreadable { reason }) => {
                self.unanswered(op, codes::CORE_ANSWER_UNREADABLE, &reason, now)
                    .await
            }
            Err(LinkError::Refused(reason)) => {
                self.attention(op, codes::CORE_REFUSED, None, &reason, now)
                    .await
            }
            Err(LinkError::Unauthorized(reason)) => {
                self.hold(&reason);
                self.release(op).await
            }
        }
    }

    fn hold(&self, reason: &str) {
        let mut held = self.held();
        if held.is_none() {
            tracing::warn!(%reason, after = ?self.config.max_backoff,
                "the core refused this console's token; team dispute ops wait");
        }
        *held = Some(Instant::now() + self.config.max_backoff);
    }

    fn audit(&self, op: &ClaimedOp, action: &'static str, detail: serde_json::Value) -> TeamAudit {
        TeamAudit {
            actor_id: None,
            actor: ACTOR.to_owned(),
            action,
            subject_kind: Some("dispute"),
            subject_id: Some(op.case_no.clone()),
            detail,
        }
    }

    async fn done(
        &self,
        op: &ClaimedOp,
        replayed: bool,
        result: &serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<Recorded> {
        let core_id = result.get("id").and_then(|v| v.as_str()).map(str::to_owned);
        if op.write.kind == op::OPEN && core_id.is_none() {
            // Later steps need the id; without it they cannot be sent, so staff must look.
            return self
                .attention(
                    op,
                    codes::CORE_DISPUTE_UNKNOWN,
                    None,
                    "the core opened the dispute but its answer has no id",
                    now,
                )
                .await;
        }
        let mut tx = self.store.begin(now).await?;
        let stamp = crate::audit::timestamp(now);
        // Whoever's lease: the core's "applied" is the truth, recorded once.
        let updated = on_tx!(tx, c => sqlx::query(
            "UPDATE team_dispute_core_ops SET state = 'done', done_at = $1, \
             attempts = attempts + 1, last_error = NULL, last_error_detail = NULL, \
             claimed_by = NULL, claimed_until = NULL WHERE id = $2 AND state = 'pending'",
        )
        .bind(&stamp)
        .bind(op.id)
        .execute(c)
        .await?
        .rows_affected());
        if updated == 0 {
            tx.rollback().await?;
            return Ok(Recorded::AlreadyRecorded);
        }
        let mut detail = json!({
            "kind": op.write.kind,
            "opKey": op.write.key,
            "replayed": replayed,
        });
        if op.write.kind == op::OPEN
            && let Some(core_id) = &core_id
        {
            on_tx!(tx, c => sqlx::query(
                "UPDATE team_disputes SET core_dispute_id = $1 WHERE id = $2 \
                 AND core_dispute_id IS NULL",
            )
            .bind(core_id)
            .bind(op.dispute_id)
            .execute(c)
            .await?
            .rows_affected());
            detail["coreDisputeId"] = json!(core_id);
        }
        tx.audit(self.audit(op, "team.dispute_core_done", detail));
        tx.touch(&op.team);
        tx.commit().await?;
        Ok(Recorded::Done { replayed })
    }

    async fn attention(
        &self,
        op: &ClaimedOp,
        code: &str,
        status: Option<u16>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Recorded> {
        let mut tx = self.store.begin(now).await?;
        let updated = on_tx!(tx, c => sqlx::query(
            "UPDATE team_dispute_core_ops SET state = 'attention', attempts = attempts + 1, \
             last_error = $1, last_error_detail = $2, claimed_by = NULL, claimed_until = NULL \
             WHERE id = $3 AND state = 'pending'",
        )
        .bind(code)
        .bind(reason)
        .bind(op.id)
        .execute(c)
        .await?
        .rows_affected());
        if updated == 0 {
            tx.rollback().await?;
            return Ok(Recorded::AlreadyRecorded);
        }
        tx.audit(self.audit(
            op,
            "team.dispute_core_attention",
            json!({
                "kind": op.write.kind,
                "opKey": op.write.key,
                "code": code,
                "status": status,
                "attempts": op.attempts.saturating_add(1),
            }),
        ));
        tx.touch(&op.team);
        tx.commit().await?;
        Ok(Recorded::Attention {
            code: code.to_owned(),
        })
    }

    /// No answer: pending again after a backoff, or attention once the sends run out.
    async fn unanswered(
        &self,
        op: &ClaimedOp,
        code: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Recorded> {
        let attempts = op.attempts.saturating_add(1);
        if attempts >= self.config.max_attempts {
            tracing::error!(op = op.id, case = %op.case_no, attempts, %reason,
                "a team dispute op got no answer from the core; it needs attention");
            let reason = format!("no answer from the core after {attempts} sends: {reason}");
            return self
                .attention(op, codes::CORE_UNREACHABLE, None, &reason, now)
                .await;
        }
        let delay = chrono::Duration::from_std(self.backoff(attempts))
            .unwrap_or_else(|_| chrono::Duration::seconds(60));
        let mut tx = self.store.begin(now).await?;
        // Only under this console's own lease: if it ran out and a colleague took the op, their
        // send decides, not this failure.
        let updated = on_tx!(tx, c => sqlx::query(
            "UPDATE team_dispute_core_ops SET attempts = attempts + 1, last_error = $1, \
             last_error_detail = $2, next_attempt_at = $3, claimed_by = NULL, \
             claimed_until = NULL WHERE id = $4 AND state = 'pending' AND claimed_by = $5",
        )
        .bind(code)
        .bind(reason)
        .bind(crate::audit::timestamp(now + delay))
        .bind(op.id)
        .bind(&self.name)
        .execute(c)
        .await?
        .rows_affected());
        if updated == 0 {
            tx.rollback().await?;
            return Ok(Recorded::AlreadyRecorded);
        }
        tracing::info!(op = op.id, case = %op.case_no, attempts, %reason,
            "a team dispute op got no answer from the core; will retry");
        tx.audit(self.audit(
            op,
            "team.dispute_core_retrying",
            json!({
                "kind": op.write.kind,
                "opKey": op.write.key,
                "code": code,
                "attempts": attempts,
            }),
        ));
        tx.commit().await?;
        Ok(Recorded::Retrying {
            code: code.to_owned(),
            attempts,
        })
    }

    /// Lets a claimed op go without judging it (no attempt counted).
    async fn release(&self, op: &ClaimedOp) -> Result<Recorded> {
        on_pool!(self.store, p => sqlx::query(
            "UPDATE team_dispute_core_ops SET claimed_by = NULL, claimed_until = NULL \
             WHERE id = $1 AND state = 'pending' AND claimed_by = $2",
        )
        .bind(op.id)
        .bind(&self.name)
        .execute(p)
        .await?
        .rows_affected());
        Ok(Recorded::Released)
    }

    /// One round: claims what may go now, then sends and records each op in turn. Stops early
    /// when the core refuses this console's token (the rest are let go unjudged).
    pub async fn deliver_once(&self) -> Result<DeliveryReport> {
        let (claimed, elsewhere) = self.claim().await?;
        let mut report = DeliveryReport {
            claimed_elsewhere: elsewhere,
            ..DeliveryReport::default()
        };
        let mut ops = claimed.into_iter();
        for op in ops.by_ref() {
            let answer = self.send(&op).await;
            report.sent += 1;
            match self.record(&op, answer).await? {
                Recorded::Done { .. } => report.done += 1,
                Recorded::Attention { .. } => report.attention += 1,
                Recorded::Retrying { .. } => report.retrying += 1,
                Recorded::AlreadyRecorded => {}
                Recorded::Released => break,
            }
        }
        for op in ops {
            self.release(&op).await?;
        }
        Ok(report)
    }

    /// Rounds until nothing more goes now: a round that got an op done may have let the next
    /// step of its dispute go. Ops waiting for a backoff are not waited for.
    pub async fn deliver_now(&self) -> Result<DeliveryReport> {
        let mut total = DeliveryReport::default();
        // A bound, not a target: each round that continues finished at least one op, and a
        // dispute has only a handful of steps; the next `run` round picks up any rest.
        for _ in 0..100 {
            if self.held_for().is_some() {
                break;
            }
            let round = self.deliver_once().await?;
            total.sent += round.sent;
            total.done += round.done;
            total.attention += round.attention;
            total.retrying += round.retrying;
            total.claimed_elsewhere += round.claimed_elsewhere;
            if round.done == 0 && round.attention == 0 {
                break;
            }
        }
        Ok(total)
    }

    /// Runs until `stop` turns true (or its sender is gone): a delivery every
    /// [`DeliveryConfig::every`]. Failures (the team server away) are logged and tried again
    /// next round; nothing here ends the loop.
    pub async fn run(&self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                return;
            }
            if self.held_for().is_none() {
                match self.deliver_now().await {
                    Ok(report) if report.sent > 0 => {
                        tracing::info!(?report, "team dispute ops sent to the core");
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "team dispute ops not sent"),
                }
            }
            let wait = self.held_for().unwrap_or(self.config.every);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                changed = stop.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
            }
        }
    }
}
