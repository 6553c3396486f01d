//! Foundation benchmarks: what a sign-in costs, and how the audit trail scales.
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
    let store = Store::open(&dir.path().join("bench.sqlite")).await.unwrap();

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

    // Grow the trail to 200,000 records in large transactions, then verify and search.
    let target = 200_000;
    let mut done = n;
    while done < target {
        let mut tx = store.begin().await.unwrap();
        for i in done..(done + 10_000).min(target) {
            audit::append(
                &mut tx,
                Utc::now(),
                NewAudit::new(
                    Some(i as i64 % 50),
                    format!("staff{}", i % 50),
                    "bench.step",
                )
                .subject("customer", format!("C{i:07}"))
                .detail(serde_json::json!({ "i": i })),
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        done = (done + 10_000).min(target);
    }
    let t = Instant::now();
    let verdict = audit::verify(store.read()).await.unwrap();
    let took = t.elapsed();
    assert!(verdict.ok && verdict.checked == target as i64);
    println!(
        "{:<44} {target} records in {took:.2?} ({:.0} records/s)",
        "audit verify (whole chain)",
        target as f64 / took.as_secs_f64()
    );

    for (name, query) in [
        (
            "audit search: newest page, no filter",
            AuditQuery {
                limit: 50,
                ..AuditQuery::default()
            },
        ),
        (
            "audit search: action filter, page 100",
            AuditQuery {
                action: Some("bench.step".into()),
                offset: 5_000,
                limit: 50,
                ..AuditQuery::default()
            },
        ),
        (
            "audit search: free text (customer id)",
            AuditQuery {
                text: Some("C0123456".into()),
                limit: 50,
                ..AuditQuery::default()
            },
        ),
    ] {
        let samples = (0..50)
            .map(|_| {
                let q = query.clone();
                let store = store.clone();
                async move {
                    let t = Instant::now();
                    let page = audit::search(store.read(), &q).await.unwrap();
                    assert!(!page.entries.is_empty());
                    t.elapsed()
                }
            })
            .collect::<Vec<_>>();
        let mut out = Vec::new();
        for s in samples {
            out.push(s.await);
        }
        report(&format!("{name} (200k records)"), out);
    }
    store.close().await;
}
