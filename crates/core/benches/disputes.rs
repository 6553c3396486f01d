//! Dispute desk benchmark: queue pages over 1,000,000 stored disputes.
//! `cargo bench -p walletdesk-core --bench disputes`; numbers go to docs/performance.md.
//!
//! The store is a SQLite file on disk, seeded in one transaction: two years of disputes
//! (about 1,430 a day), those noticed in the last 45 days still open, a third of the open
//! ones unassigned and the rest spread over 50 handlers. Each page is timed through
//! `Console::dispute_queue`, as the app calls it: authorization, the configuration read, the
//! keyset query and the clock of every row.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::float_arithmetic)]

use chrono::{Days, NaiveDate, TimeZone, Utc};
use std::sync::Arc;
use std::time::{Duration, Instant};
use walletdesk_core::Console;
use walletdesk_core::access::Role;
use walletdesk_core::calendar::china_2026;
use walletdesk_core::clock::ManualClock;
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::corelink::{CoreIdentity, CoreLink, LinkError};
use walletdesk_core::disputes::PolicySet;
use walletdesk_core::disputes::desk::{DisputeCursor, DisputeQueueKind, DisputeQueueQuery};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;

const DISPUTES: i64 = 1_000_000;
const HANDLERS: i64 = 50;
const RUNS: usize = 200;

#[derive(Debug)]
struct NoCore;

#[async_trait::async_trait]
impl CoreLink for NoCore {
    fn url(&self) -> String {
        "http://127.0.0.1:9".into()
    }
    async fn identity(&self) -> Result<CoreIdentity, LinkError> {
        Err(LinkError::Unreachable("bench".into()))
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn report(name: &str, rows: usize, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<44} rows={rows:<3} n={:<4} p50={:>9.3?} p99={:>9.3?} max={:>9.3?}",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples[samples.len() - 1]
    );
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[tokio::main]
async fn main() {
    // BENCH_DISPUTES shrinks the store for a quick check of the bench itself.
    let total: i64 = std::env::var("BENCH_DISPUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DISPUTES);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = walletdesk_core::crypto::DataKey::generate();
    let store = Store::open(&dir.path().join("bench.sqlite"), &key)
        .await
        .unwrap();
    let clock = ManualClock::new(Utc.from_utc_datetime(&today.and_hms_opt(2, 0, 0).unwrap()));
    let console = Console::new(
        store.clone(),
        Arc::new(clock),
        Arc::new(NoCore),
        ConsoleConfig {
            training_mode: false,
            idle_lock_override: None,
            version: "bench".into(),
        },
    );
    let pw = "bench-password-2026";
    console
        .setup_admin(SetupAdminInput {
            username: "admin".into(),
            display_name: "admin".into(),
            password: pw.into(),
        })
        .await
        .unwrap();
    console
        .sign_in(SignInInput {
            username: "admin".into(),
            password: pw.into(),
        })
        .await
        .unwrap();
    let me = console
        .staff_create(NewStaffInput {
            username: "handler".into(),
            display_name: "handler".into(),
            role: Role::Disputes,
            password: pw.into(),
        })
        .await
        .unwrap()
        .staff_id;
    console.sign_out().await.unwrap();

    // ---- seed ---------------------------------------------------------------------------
    let calendar = china_2026();
    let started = Instant::now();
    let mut tx = store.begin().await.unwrap();
    let mut handlers = vec![me];
    for i in 0..HANDLERS - 1 {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO staff (username, display_name, role, password_hash, created_at) \
             VALUES (?, ?, 'disputes', 'x', '2026-01-01T00:00:00.000Z') RETURNING id",
        )
        .bind(format!("h{i}"))
        .bind(format!("h{i}"))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        handlers.push(id);
    }
    // Every seeded dispute names one opening operation: the queue never reads it.
    let outbox: i64 = sqlx::query_scalar(
        "INSERT INTO outbox (idempotency_key, aggregate, kind, body_sealed, summary, \
         next_attempt_at, created_at, state) VALUES ('wd-bench', 'bench', 'dispute.open', \
         x'00', 'bench', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'done') \
         RETURNING id",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let policy = serde_json::to_string(&PolicySet::default()).unwrap();
    let reasons = [
        "unauthorised",
        "duplicate",
        "wrong-amount",
        "not-received",
        "refund-not-processed",
        "cash-not-dispensed",
        "other",
    ];
    let first_day = today - Days::new(700);
    let mut open = 0u64;
    for n in 0..total {
        let notice = first_day + Days::new((n * 700 / total) as u64);
        let age = (today - notice).num_days();
        let is_open = age <= 45 && n % 10 != 0;
        let due = calendar.period_end(notice, 15).unwrap_or(notice);
        let (status, decided_on) = if is_open {
            open += 1;
            ("open", None)
        } else {
            let decided = notice + Days::new((n % 17) as u64);
            (
                if n % 3 == 0 {
                    "decided_bank"
                } else {
                    "decided_customer"
                },
                Some(date_text(decided)),
            )
        };
        sqlx::query(
            "INSERT INTO disputes (case_no, transaction_id, customer_id, wallet_id, amount_fen, \
             counterparty, transaction_on, reason, policy, notice_on, assignee_id, opened_by, \
             status, due_on, decided_on, open_outbox_id, opened_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, 'seeded', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \
             '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
        )
        .bind(format!("DP-BENCH-{n:07}"))
        .bind(format!("T{n:09}"))
        .bind(format!("C{:07}", n % 200_000))
        .bind(format!("W{:07}", n % 200_000))
        .bind(100 + (n % 50_000))
        .bind(date_text(notice - Days::new(2)))
        .bind(reasons[(n % 7) as usize])
        .bind(&policy)
        .bind(date_text(notice))
        // A third unassigned; the rest spread over the handlers.
        .bind((n % 3 != 0).then(|| handlers[((n / 7) % HANDLERS) as usize]))
        .bind(me)
        .bind(status)
        .bind(date_text(due))
        .bind(decided_on)
        .bind(outbox)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    // The planner's statistics, as a store that has run a while has them.
    let mut tx = store.begin().await.unwrap();
    sqlx::query("ANALYZE").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    println!(
        "seeded {total} disputes ({open} open) in {:.1?}",
        started.elapsed()
    );

    console
        .sign_in(SignInInput {
            username: "handler".into(),
            password: pw.into(),
        })
        .await
        .unwrap();
    for queue in [
        DisputeQueueKind::Mine,
        DisputeQueueKind::Team,
        DisputeQueueKind::Unassigned,
        DisputeQueueKind::DueSoon,
        DisputeQueueKind::Overdue,
    ] {
        let mut first = Vec::with_capacity(RUNS);
        let mut deep = Vec::with_capacity(RUNS);
        let mut rows = 0;
        let mut cursor: Option<DisputeCursor> = None;
        for run in 0..RUNS {
            let started = Instant::now();
            let page = console
                .dispute_queue(DisputeQueueQuery {
                    queue,
                    after: None,
                    limit: 50,
                })
                .await
                .unwrap();
            first.push(started.elapsed());
            rows = page.rows.len();
            if run == 0 {
                cursor = page.next;
            }
            // A later page: the keyset continues from the first page's last row.
            let started = Instant::now();
            let next = console
                .dispute_queue(DisputeQueueQuery {
                    queue,
                    after: cursor.clone(),
                    limit: 50,
                })
                .await
                .unwrap();
            deep.push(started.elapsed());
            if let Some(c) = next.next {
                cursor = Some(c);
            }
        }
        report(&format!("dispute queue {queue:?}, first page"), rows, first);
        report(&format!("dispute queue {queue:?}, next pages"), rows, deep);
    }
}
