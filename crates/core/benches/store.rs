//! What encryption at rest (SQLCipher) and `synchronous = FULL` cost a write, measured four
//! ways in one run: plain + NORMAL, plain + FULL, encrypted + NORMAL, encrypted + FULL.
//! `cargo bench -p walletdesk-core --bench store`; numbers go to docs/performance.md.
//!
//! The write is what a counter step commits: one outbox operation (sealed body) and its audit
//! record, in one transaction. The four stores take turns in rounds, so a busy moment of the
//! machine falls on all four alike. Files live on the real disk (the target folder), not
//! tmpfs: FULL's extra cost is an fsync, which tmpfs would make free.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::float_arithmetic)]

use chrono::Utc;
use std::time::{Duration, Instant};
use walletdesk_core::audit::{self, NewAudit};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::store::{Durability, Store, StoreOptions};
use walletdesk_core::sync::{NewOperation, outbox};

const ROUNDS: usize = 8;
const WRITES_PER_ROUND: usize = 250;
const SEARCH_ROWS: usize = 5_000;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

struct Case {
    name: &'static str,
    store: Store,
    samples: Vec<Duration>,
    busy: Duration,
}

async fn write(store: &Store, sealer: &Sealer, i: usize) {
    let mut tx = store.begin().await.unwrap();
    let id = outbox::enqueue(
        &mut tx,
        sealer,
        NewOperation {
            aggregate: format!("customer:bench-{i}"),
            kind: "customer.create".into(),
            subject: None,
            body: serde_json::json!({"name": "王秀英", "residentId": "11010519491231002X",
                "mobile": "13912345678", "consents": ["terms", "privacy"]}),
            summary: format!("开户 王** {i}"),
            record_ref: Some(format!("onboarding:{i}")),
        },
        Utc::now(),
        None,
    )
    .await
    .unwrap();
    audit::append(
        &mut tx,
        Utc::now(),
        NewAudit::new(Some(7), "li.na", "onboarding.submit")
            .subject("outbox", id.to_string())
            .detail(serde_json::json!({ "i": i })),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::main]
async fn main() {
    // Under the target folder: on the machine's disk.
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&base).unwrap();
    let dir = tempfile::tempdir_in(&base).unwrap();
    let data_key = DataKey::generate();
    let sealer = Sealer::new(&data_key);
    let mut cases = Vec::new();
    for (name, encrypted, durability) in [
        ("plain + NORMAL", false, Durability::Normal),
        ("plain + FULL", false, Durability::Full),
        ("encrypted + NORMAL", true, Durability::Normal),
        ("encrypted + FULL", true, Durability::Full),
    ] {
        let path = dir.path().join(name.replace([' ', '+'], "_"));
        let t = Instant::now();
        let store = Store::open_with(
            &path,
            &data_key,
            StoreOptions {
                encrypted,
                durability,
            },
        )
        .await
        .unwrap();
        println!("{name:<20} open + migrate a new store: {:.2?}", t.elapsed());
        // Warm-up: the first writes grow the file.
        for i in 0..50 {
            write(&store, &sealer, i).await;
        }
        cases.push(Case {
            name,
            store,
            samples: Vec::new(),
            busy: Duration::ZERO,
        });
    }
    for round in 0..ROUNDS {
        for case in &mut cases {
            let started = Instant::now();
            for i in 0..WRITES_PER_ROUND {
                let t = Instant::now();
                write(&case.store, &sealer, 1_000 + round * WRITES_PER_ROUND + i).await;
                case.samples.push(t.elapsed());
            }
            case.busy += started.elapsed();
        }
    }
    println!(
        "\nwrite = outbox enqueue (sealed body) + audit append, one transaction; {} per case",
        ROUNDS * WRITES_PER_ROUND
    );
    for case in &mut cases {
        case.samples.sort();
        println!(
            "{:<20} p50={:>9.3?} p99={:>9.3?} max={:>9.3?} {:>7.0} writes/s",
            case.name,
            percentile(&case.samples, 0.5),
            percentile(&case.samples, 0.99),
            case.samples[case.samples.len() - 1],
            case.samples.len() as f64 / case.busy.as_secs_f64()
        );
    }

    // Reads pay for decryption too: a scan that misses the page cache's warm pages.
    println!("\nread = full scan of {SEARCH_ROWS} outbox rows for a summary fragment");
    for case in &cases {
        let mut tx = case.store.begin().await.unwrap();
        let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        for i in have as usize..SEARCH_ROWS {
            write(&case.store, &sealer, 100_000 + i).await;
        }
        let mut samples: Vec<Duration> = Vec::new();
        for _ in 0..30 {
            let t = Instant::now();
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE summary LIKE ?")
                .bind("%王** 1999%")
                .fetch_one(case.store.read())
                .await
                .unwrap();
            assert!(n > 0);
            samples.push(t.elapsed());
        }
        samples.sort();
        println!(
            "{:<20} p50={:>9.3?} p99={:>9.3?}",
            case.name,
            percentile(&samples, 0.5),
            percentile(&samples, 0.99)
        );
    }
    for case in &cases {
        case.store.close().await;
    }
}
