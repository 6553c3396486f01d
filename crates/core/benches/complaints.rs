//! Complaint desk benchmarks: queue pages over 1,000,000 stored cases.
//! `cargo bench -p walletdesk-core --bench complaints`; numbers go to docs/performance.md.
//!
//! The store is a SQLite file on disk, seeded in one transaction with prepared inserts: two
//! years of complaints (about 1,450 a day), those received in the last 60 days still open (so
//! tens of thousands open and many overdue: a bad day for the desk, on purpose), 5% of the
//! open ones extended as complex (a stored clock event to replay). Each page is timed through
//! `Console::complaint_queue`, as the app calls it: authorization, the keyset query, and the
//! clock replay for every row.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::float_arithmetic)]

use chrono::{Days, NaiveDate, TimeZone, Utc};
use std::sync::Arc;
use std::time::{Duration, Instant};
use walletdesk_core::Console;
use walletdesk_core::access::Role;
use walletdesk_core::calendar::china_2026;
use walletdesk_core::clock::ManualClock;
use walletdesk_core::complaints::ComplaintPolicy;
use walletdesk_core::complaints::queue::{QueueCursor, QueueKind, QueueQuery};
use walletdesk_core::complaints::stats::{StatsDimension, StatsQuery};
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::corelink::{CoreIdentity, CoreLink, LinkError};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;

const CASES: i64 = 1_000_000;
const TEAMS: i64 = 20;
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
        "{name:<52} rows={rows:<3} n={:<4} p50={:>9.3?} p99={:>9.3?} max={:>9.3?}",
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
    // BENCH_CASES shrinks the store for a quick check of the bench itself.
    let cases: i64 = std::env::var("BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES);
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
            role: Role::Complaints,
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
             VALUES (?, ?, 'complaints', 'x', '2026-01-01T00:00:00.000Z') RETURNING id",
        )
        .bind(format!("h{i}"))
        .bind(format!("h{i}"))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        handlers.push(id);
    }
    let policy = serde_json::to_string(&ComplaintPolicy::default()).unwrap();
    let policy_id: i64 =
        sqlx::query_scalar("INSERT INTO complaint_policies (policy) VALUES (?) RETURNING id")
            .bind(policy)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    let channels = [
        "counter",
        "phone",
        "online",
        "letter",
        "regulator",
        "social",
    ];
    let causes = [
        "process",
        "system",
        "staff_conduct",
        "product_design",
        "disclosure",
    ];
    let first_day = today - Days::new(700);
    let mut open = 0u64;
    for n in 0..cases {
        // Spread receipts evenly over 700 days, oldest first, as ids grow in real life.
        let received = first_day + Days::new((n * 700 / cases) as u64);
        let age = (today - received).num_days();
        let is_open = age <= 60 && n % 10 != 0;
        let complex = is_open && n % 20 == 1;
        let limit = if complex { 30 } else { 15 };
        let due = calendar.period_end(received, limit).unwrap_or(received);
        let (status, closed_on, on_time, cause, findings) = if is_open {
            open += 1;
            ("open", None, None, None, None)
        } else {
            let closed = received + Days::new((n % 17) as u64);
            (
                "decided",
                Some(date_text(closed)),
                Some(closed <= due),
                Some(causes[(n % 5) as usize]),
                Some("seeded"),
            )
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO complaints (case_no, channel, customer_id, product, category_id, \
             what_happened, customer_asks, severity, branch, received_on, assignee_id, team, \
             status, policy_id, due_on, closed_on, on_time, findings, reasons, root_cause, \
             source_fix, created_by, created_at) \
             VALUES (?, ?, ?, ?, ?, 'seeded', 'seeded', 'medium', ?, ?, ?, ?, ?, ?, ?, ?, ?, \
             ?, ?, ?, ?, ?, '2026-01-01T00:00:00.000Z') RETURNING id",
        )
        .bind(format!("TS-BENCH-{n:07}"))
        .bind(channels[(n % 6) as usize])
        .bind(format!("C{:07}", n % 200_000))
        .bind(["wallet", "card", "loan", "wealth"][(n % 4) as usize])
        .bind(1 + n % 14)
        .bind(format!("branch-{}", n % 8))
        .bind(date_text(received))
        // A third unassigned; the rest spread over the handlers.
        .bind((n % 3 != 0).then(|| handlers[((n / 7) % HANDLERS) as usize]))
        .bind(format!("team-{}", n % TEAMS))
        .bind(status)
        .bind(policy_id)
        .bind(date_text(due))
        .bind(closed_on)
        .bind(on_time)
        .bind(findings)
        .bind(findings)
        .bind(cause)
        .bind(findings)
        .bind(me)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        if complex {
            sqlx::query(
                "INSERT INTO complaint_clock_events (complaint_id, kind, on_date, reason, \
                 recorded_by, recorded_at) VALUES (?, 'extend_complex', ?, 'seeded', ?, \
                 '2026-01-01T00:00:00.000Z')",
            )
            .bind(id)
            .bind(date_text(received + Days::new(1)))
            .bind(me)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
    sqlx::query("ANALYZE").execute(store.read()).await.ok();
    println!(
        "seeded {cases} complaints ({open} open) in {:.1?}",
        started.elapsed()
    );

    console
        .sign_in(SignInInput {
            username: "handler".into(),
            password: pw.into(),
        })
        .await
        .unwrap();
    let base = |queue: QueueKind| QueueQuery {
        queue,
        team: None,
        status: None,
        channel: None,
        category_id: None,
        after: None,
        limit: 50,
    };
    // A cursor half-way down a queue, found once outside the timing.
    let deep = |sql: String, bind: Option<String>| {
        let store = store.clone();
        async move {
            let mut q = sqlx::query_as::<_, (String, i64)>(&sql);
            if let Some(b) = bind {
                q = q.bind(b);
            }
            let (due, id) = q.fetch_one(store.read()).await.expect(&sql);
            QueueCursor {
                due_on: NaiveDate::parse_from_str(&due, "%Y-%m-%d").unwrap(),
                id,
            }
        }
    };
    let overdue_mid = deep(
        "SELECT due_on, id FROM complaints WHERE status IN ('open','paused') AND status = 'open' \
         AND due_on < '2026-11-23' ORDER BY due_on, id LIMIT 1 OFFSET \
         (SELECT COUNT(*) / 2 FROM complaints WHERE status = 'open' AND due_on < '2026-11-23')"
            .to_owned(),
        None,
    )
    .await;
    let team_mid = deep(
        "SELECT due_on, id FROM complaints WHERE status IN ('open','paused') AND team = ?1 \
         ORDER BY due_on, id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM complaints \
         WHERE status IN ('open','paused') AND team = ?1)"
            .to_owned(),
        Some("team-3".into()),
    )
    .await;
    let mine_mid = deep(
        format!(
            "SELECT due_on, id FROM complaints WHERE status IN ('open','paused') \
             AND assignee_id = {me} ORDER BY due_on, id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 \
             FROM complaints WHERE status IN ('open','paused') AND assignee_id = {me})"
        ),
        None,
    )
    .await;

    let mut team_category = base(QueueKind::Team);
    team_category.team = Some("team-3".into());
    team_category.category_id = Some(1); // "wallet" and its three sub-categories
    let mut team_category_deep = team_category.clone();
    team_category_deep.after = Some(team_mid.clone());
    let mut team_plain_deep = base(QueueKind::Team);
    team_plain_deep.team = Some("team-3".into());
    team_plain_deep.after = Some(team_mid);
    let mut overdue_deep = base(QueueKind::Overdue);
    overdue_deep.after = Some(overdue_mid);
    let mut mine_deep = base(QueueKind::Mine);
    mine_deep.after = Some(mine_mid);
    let mut overdue_by_channel = base(QueueKind::Overdue);
    overdue_by_channel.channel = Some(walletdesk_core::complaints::Channel::Letter);

    let queries: Vec<(&str, QueueQuery)> = vec![
        ("overdue, first page", base(QueueKind::Overdue)),
        ("overdue, deep keyset page (half-way)", overdue_deep),
        ("overdue, channel = letter, first page", overdue_by_channel),
        ("due soon, first page", base(QueueKind::DueSoon)),
        ("team + category subtree, first page", team_category),
        (
            "team + category subtree, deep keyset page",
            team_category_deep,
        ),
        ("team, deep keyset page", team_plain_deep),
        ("mine, first page", base(QueueKind::Mine)),
        ("mine, deep keyset page", mine_deep),
        ("unassigned, first page", base(QueueKind::Unassigned)),
    ];
    for (name, query) in queries {
        let mut rows = 0;
        // Warm the page cache and statement cache once, as a desk in use would have.
        console.complaint_queue(query.clone()).await.unwrap();
        let mut timed = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let t = Instant::now();
            let page = console.complaint_queue(query.clone()).await.unwrap();
            timed.push(t.elapsed());
            rows = page.rows.len();
        }
        report(name, rows, timed);
    }

    // Statistics over a year of cases, for reference (not a page; supervisors only).
    console.sign_out().await.unwrap();
    console
        .sign_in(SignInInput {
            username: "admin".into(),
            password: pw.into(),
        })
        .await
        .unwrap();
    let sup = console
        .staff_create(NewStaffInput {
            username: "supervisor".into(),
            display_name: "supervisor".into(),
            role: Role::Supervisor,
            password: pw.into(),
        })
        .await
        .unwrap();
    let _ = sup;
    console.sign_out().await.unwrap();
    console
        .sign_in(SignInInput {
            username: "supervisor".into(),
            password: pw.into(),
        })
        .await
        .unwrap();
    for by in [StatsDimension::Category, StatsDimension::Month] {
        let query = StatsQuery {
            from: today - Days::new(365),
            to: today,
            by,
        };
        let mut timed = Vec::new();
        let mut rows = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let r = console.complaint_stats(query.clone()).await.unwrap();
            timed.push(t.elapsed());
            rows = r.rows.len();
        }
        report(&format!("stats over 365 days by {by:?}"), rows, timed);
    }
    store.close().await;
}
