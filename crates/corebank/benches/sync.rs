//! Sync throughput: 10,000 outbox operations pushed to the real sandbox over loopback with 10%
//! of requests faulted (5% server errors, 3% dropped connections, 2% applied-then-timed-out),
//! batched as the engine does by default, then one by one in the same run for comparison.
//!
//! `cargo bench -p walletdesk-corebank --bench sync`; numbers go to docs/performance.md.

#![allow(
    clippy::print_stdout,
    clippy::float_arithmetic,
    reason = "a bench reports rates on the terminal"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};
use walletdesk_core::clock::SystemClock;
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, EngineConfig, NewOperation, outbox};
use walletdesk_corebank::{Client, ClientOptions, v1};
use walletdesk_sandbox::SandboxConfig;

/// The bench console's token (the sandbox needs one; loopback only).
const TOKEN: &str = "bench-console-token-0123456789";
const OPERATIONS: u32 = 10_000;

fn resident_id(n: u32) -> String {
    // Birth dates spread over 1950–1999 and sequence numbers 000–999 keep 10,000+ IDs unique.
    let year = 1950 + (n / 1000) % 50;
    let body = format!("110105{year}0101{:03}", n % 1000);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

async fn run(label: &str, batch_size: u32, offset: u32) -> f64 {
    let sandbox = walletdesk_sandbox::start(SandboxConfig {
        seed: 1,
        customers: 10,
        tokens: vec![TOKEN.into()],
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    reqwest::Client::new()
        .post(format!("{}/v1/admin/faults", sandbox.url()))
        .bearer_auth(TOKEN)
        .json(&v1::Faults {
            error_rate: 50,
            drop_rate: 30,
            apply_then_timeout_rate: 20,
            stall_ms: 400,
            ..v1::Faults::default()
        })
        .send()
        .await
        .expect("faults");
    let dir = tempfile::tempdir().expect("tempdir");
    let key = DataKey::generate();
    let store = Store::open(&dir.path().join("bench.sqlite"), &key)
        .await
        .expect("store");
    let sealer = Sealer::new(&key);
    let mut tx = store.begin().await.expect("begin");
    for n in offset..offset + OPERATIONS {
        let op = NewOperation {
            aggregate: format!("customer:bench-{n}"),
            kind: "customer.create".into(),
            subject: None,
            body: serde_json::json!({"name": format!("压测{n}"), "residentId": resident_id(n),
                "mobile": format!("13{:09}", n)}),
            summary: format!("开户 压测{n}"),
            record_ref: None,
        };
        outbox::enqueue(&mut tx, &sealer, op, chrono::Utc::now(), None)
            .await
            .expect("enqueue");
    }
    tx.commit().await.expect("commit");

    let client = Client::with_options(
        &sandbox.url(),
        Some(TOKEN.into()),
        ClientOptions {
            request_timeout: Duration::from_millis(300),
            ..ClientOptions::default()
        },
    )
    .expect("client");
    let engine = Engine::new(
        store.clone(),
        sealer,
        Arc::new(client),
        Arc::new(SystemClock),
        EngineConfig {
            batch_size,
            min_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(500),
            ..EngineConfig::default()
        },
    );
    let started = Instant::now();
    let mut requests = 0u32;
    loop {
        let report = engine.push_once().await.expect("push");
        if report.sent > 0 {
            requests += 1;
            continue;
        }
        let status = outbox::status(store.read()).await.expect("status");
        if status.queued == 0 {
            break;
        }
        // Only operations waiting out a backoff are left.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = started.elapsed();
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applied_operations")
        .fetch_one(sandbox.store().pool())
        .await
        .expect("ledger");
    assert_eq!(
        applied,
        i64::from(OPERATIONS),
        "every operation applied exactly once"
    );
    let retried: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE attempts > 1")
        .fetch_one(store.read())
        .await
        .expect("retried");
    let rate = f64::from(OPERATIONS) / elapsed.as_secs_f64();
    println!(
        "{label:<28} {OPERATIONS} ops in {:>7.2} s = {rate:>8.0} ops/s ({requests} requests, {retried} ops retried)",
        elapsed.as_secs_f64()
    );
    sandbox.shutdown().await;
    rate
}

#[tokio::main]
async fn main() {
    println!("sync bench: {OPERATIONS} customer creations, 10% of requests faulted");
    let batched = run("batched (200 per request)", 200, 0).await;
    if std::env::var_os("SYNC_BENCH_BATCHED_ONLY").is_some() {
        // For profiling the batched path alone.
        return;
    }
    let single = run("one by one, sequential", 1, OPERATIONS).await;
    println!("ratio batched / one by one: {:.1}x", batched / single);
}
