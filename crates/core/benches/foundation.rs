//! Foundation benchmarks: what a sign-in costs, and how the audit trail scales (to 1,000,000
//! records: append, verify, and every kind of search page).
//! `cargo bench -p walletdesk-core --bench foundation`; numbers go to docs/performance.md.
//! A plain bench binary (no criterion) keeps the build small; each figure is a median or a
//! percentile over many runs, on a SQLite file on disk, as the app uses it.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::float_arithmetic)]

use chrono::Utc;
use std::time::{Duration, Instant};
use walletdesk_core::audit::{self, AuditQuery, NewAudit};
use walletdesk_core::staff;
use walletdesk_core::store::Store;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<44} n={:<6} p50={:>9.3?} p99={:>9.3?} max={:>9.3?}",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples[samples.len() - 1]
    );
}

#[tokio::main]
async fn main() {
    // Sign-in cost: argon2id verification (19 MiB, t=2), the deliberate slow part.
    let phc = staff::hash_password("bench-password-2026").unwrap();
    let samples = (0..20)
        .map(|_| {
            let t = Instant::now();
            assert!(staff::verify_password("bench-password-2026", &phc));
            t.elapsed()
        })
        .collect();
    report("argon2id verify (sign-in)", samples);

    let dir = tempfile::tempdir().unwrap();
    let key = walletdesk_core::crypto::DataKey::generate();
    let store = Store::open(&dir.path().join("bench.sqlite"), &key)
        .await
        .unwrap();

    // Audit append: one transaction per record, as commands do.
    let n = 10_000;
    let mut samples = Vec::with_capacity(n);
    let started = Instant::now();
    for i in 0..n {
        let t = Instant::now();
        let mut tx = store.begin().await.unwrap();
        audit::append(
            &mut tx,
            Utc::now(),
            NewAudit::new(Some(7), "teller", "bench.step")
                .subject("customer", format!("C{i:07}"))
                .detail(serde_json::json!({ "i": i })),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        samples.push(t.elapsed());
    }
    let total = started.elapsed();
    report("audit append (own transaction)", samples);
    println!(
        "{:<44} {:.0} records/s",
        "audit append throughput",
        n as f64 / total.as_secs_f64()
    );

    // Grow the trail to 1,000,000 records through `append` (keyed hash, trigram index), in
    // large transactions, spread over a year, with the mix of actions and outcomes a branch
    // sees. Then verify it whole and time every kind of search page.
    let target = 1_000_000;
    let actions = [
        "auth.sign_in",
        "auth.sign_out",
        "auth.sign_in_failed",
        "customer.viewed",
        "customer.viewed",
        "customer.viewed",
        "customer.resident_id_revealed",
        "onboarding.step_saved",
        "onboarding.submitted",
        "complaint.opened",
        "complaint.contact_logged",
        "sync.resent",
    ];
    let start = Utc::now() - chrono::Duration::days(365);
    let step_ms = 365 * 24 * 3600 * 1000 / target as i64;
    let grow = Instant::now();
    let mut done = n;
    while done < target {
        let mut tx = store.begin().await.unwrap();
        for i in done..(done + 10_000).min(target) {
            let outcome = match i % 100 {
                0..=4 => audit::AuditOutcome::Refused,
                5 => audit::AuditOutcome::Failed,
                _ => audit::AuditOutcome::Ok,
            };
            audit::append(
                &mut tx,
                start + chrono::Duration::milliseconds(i as i64 * step_ms),
                NewAudit::new(
                    Some(i as i64 % 50),
                    format!("staff{:02}", i % 50),
                    actions[i % actions.len()],
                )
                .subject("customer", format!("C{:07}", i % 200_000))
                .customer(format!("C{:07}", i % 200_000))
                .outcome(outcome)
                .detail(serde_json::json!({ "i": i, "branch": format!("B{:03}", i % 40) })),
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        done = (done + 10_000).min(target);
    }
    println!(
        "{:<44} {} records in {:.1?}",
        "audit grow (append, 10k per transaction)",
        target - n,
        grow.elapsed()
    );
    let t = Instant::now();
    let verdict = audit::verify(
        store.read(),
        store.audit_key(),
        audit::CoreAnchor::Unavailable,
    )
    .await
    .unwrap();
    let took = t.elapsed();
    assert!(verdict.ok && verdict.checked == target as i64);
    println!(
        "{:<44} {target} records in {took:.2?} ({:.0} records/s)",
        "audit verify (whole chain)",
        target as f64 / took.as_secs_f64()
    );

    // A deep cursor: where page 10,000 of 50 starts without a filter (half-way back), the
    // way a client holds it after paging there.
    let deep: (String, i64) = sqlx::query_as(
        "SELECT at, id FROM audit_log ORDER BY at DESC, id DESC LIMIT 1 OFFSET 500000",
    )
    .fetch_one(store.read())
    .await
    .unwrap();
    let deep = Some(format!("{}|{}", deep.0, deep.1));
    let month_from = (start + chrono::Duration::days(120))
        .format("%Y-%m-%d")
        .to_string();
    let month_to = (start + chrono::Duration::days(150))
        .format("%Y-%m-%d")
        .to_string();
    let page = |q: AuditQuery| AuditQuery { limit: 50, ..q };
    for (name, query) in [
        ("first page, no filter", page(AuditQuery::default())),
        (
            "deep page (500k back), no filter",
            page(AuditQuery {
                after: deep.clone(),
                ..AuditQuery::default()
            }),
        ),
        (
            "first page, action",
            page(AuditQuery {
                action: Some("customer.resident_id_revealed".into()),
                ..AuditQuery::default()
            }),
        ),
        (
            "deep page, action",
            page(AuditQuery {
                action: Some("customer.resident_id_revealed".into()),
                after: deep.clone(),
                ..AuditQuery::default()
            }),
        ),
        (
            "deep page, action prefix auth.",
            page(AuditQuery {
                action: Some("auth.".into()),
                after: deep.clone(),
                ..AuditQuery::default()
            }),
        ),
        (
            "deep page, outcome failed",
            page(AuditQuery {
                outcome: Some(audit::AuditOutcome::Failed),
                after: deep.clone(),
                ..AuditQuery::default()
            }),
        ),
        (
            "first page, one month",
            page(AuditQuery {
                from_date: Some(month_from.clone()),
                to_date: Some(month_to.clone()),
                ..AuditQuery::default()
            }),
        ),
        (
            "first page, month + action + outcome",
            page(AuditQuery {
                action: Some("auth.sign_in_failed".into()),
                outcome: Some(audit::AuditOutcome::Refused),
                from_date: Some(month_from.clone()),
                to_date: Some(month_to.clone()),
                ..AuditQuery::default()
            }),
        ),
        (
            "free text, a customer id (5 hits)",
            page(AuditQuery {
                text: Some("C0123456".into()),
                ..AuditQuery::default()
            }),
        ),
        (
            "free text, common (sign_in)",
            page(AuditQuery {
                text: Some("sign_in".into()),
                ..AuditQuery::default()
            }),
        ),
        (
            "free text, deep page (sign_in)",
            page(AuditQuery {
                text: Some("sign_in".into()),
                after: deep.clone(),
                ..AuditQuery::default()
            }),
        ),
        (
            "free text + action (staff07, viewed)",
            page(AuditQuery {
                text: Some("staff07".into()),
                action: Some("customer.viewed".into()),
                ..AuditQuery::default()
            }),
        ),
        (
            "free text, two characters (LIKE)",
            page(AuditQuery {
                text: Some("_r".into()),
                ..AuditQuery::default()
            }),
        ),
    ] {
        let mut samples = Vec::new();
        for _ in 0..100 {
            let t = Instant::now();
            let page = audit::search(store.read(), &query).await.unwrap();
            samples.push(t.elapsed());
            assert!(!page.entries.is_empty(), "{name}: no hits");
        }
        report(&format!("audit search: {name}"), samples);
    }
    store.close().await;
}
