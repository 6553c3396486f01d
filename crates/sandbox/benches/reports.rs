//! The reporting resource over the big seed: every dashboard query (each metric by each
//! dimension and in total, over 7, 30, 90 and 365 days) timed over HTTP, p50 and p99; then
//! what keeping the rollups costs a payment, with the upkeep on and off in the same run.
//!
//! `BENCH_CUSTOMERS=1000000 cargo bench -p walletdesk-sandbox --bench reports` (default
//! 100,000); numbers go to docs/performance.md.

#![allow(
    clippy::print_stdout,
    clippy::float_arithmetic,
    clippy::cast_precision_loss,
    reason = "a bench reports rates on the terminal"
)]

use chrono::{Duration as Days, NaiveDate};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use walletdesk_sandbox::SandboxConfig;

const TOKEN: &str = "bench-console-token-0123456789";

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let customers: u32 = std::env::var("BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let as_of = NaiveDate::from_ymd_opt(2025, 3, 1).expect("date");
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("big.db");
    let started = Instant::now();
    let seeded = walletdesk_sandbox::store::bulk_seed(&path, 42, customers, as_of).await?;
    println!(
        "seeded {} customers, {} transactions in {:.1} s (rollups included)",
        seeded.written.customers,
        seeded.written.transactions,
        started.elapsed().as_secs_f64()
    );
    // Attribution for a third of the customers: 8 campaigns, 40 booths in 10 branches, 120
    // staff, 3 channels, then the rollups rebuilt over every row (timed).
    {
        let store = walletdesk_sandbox::store::Store::open(Some(&path)).await?;
        let pool = store.pool();
        let mut tx = pool.begin().await?;
        for b in 0..40 {
            sqlx::query(
                "INSERT INTO booths (code, name, mall, address, branch, roster, updated_at) \
                 VALUES (?, 'b', 'm', 'a', ?, '[]', '2025-01-01T00:00:00Z')",
            )
            .bind(format!("B{b:02}"))
            .bind(format!("BR{:02}", b % 10))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE customers SET campaign = 'C' || (id % 8), booth = printf('B%02d', id % 40), \
             staff_id = 'S' || (id % 120), channel = CASE id % 3 WHEN 0 THEN 'booth' \
             WHEN 1 THEN 'qr' ELSE 'counter' END WHERE id % 3 = 0",
        )
        .execute(&mut *tx)
        .await?;
        let rebuild = Instant::now();
        walletdesk_sandbox::insights::rebuild(&mut tx, chrono::Utc::now()).await?;
        tx.commit().await?;
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM insight_daily")
            .fetch_one(pool)
            .await?;
        println!(
            "rollups rebuilt from every row in {:.1} s: {rows} rows",
            rebuild.elapsed().as_secs_f64()
        );
        store.close().await;
    }
    let sandbox = walletdesk_sandbox::start(SandboxConfig {
        db_path: Some(path.clone()),
        tokens: vec![TOKEN.into()],
        ..SandboxConfig::default()
    })
    .await?;
    let http = reqwest::Client::new();
    let metrics = [
        "sign-ups",
        "activation",
        "monthly-active",
        "transactions-per-active",
        "complaint-rate",
        "incentive-cost-per-activated",
    ];
    let dimensions = ["", "campaign", "booth", "staff", "branch", "channel"];
    let mut times = Vec::new();
    for round in 0..2 {
        for days in [7_i64, 30, 90, 365] {
            let from = as_of - Days::days(days - 1);
            for metric in metrics {
                for dimension in dimensions {
                    let mut url = format!(
                        "{}/v1/reports?metric={metric}&from={from}&to={as_of}&activationDays=7",
                        sandbox.url()
                    );
                    if !dimension.is_empty() {
                        url.push_str(&format!("&dimension={dimension}"));
                    }
                    let t = Instant::now();
                    let answer = http.get(&url).bearer_auth(TOKEN).send().await?;
                    anyhow::ensure!(answer.status().is_success(), "{url}: {}", answer.status());
                    let _body = answer.bytes().await?;
                    if round == 1 {
                        times.push(t.elapsed());
                    }
                }
            }
        }
    }
    times.sort();
    println!(
        "reports: {} queries, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        times.len(),
        pct(&times, 0.5).as_secs_f64() * 1e3,
        pct(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );

    // The write path: top-ups to seeded wallets, alternating blocks with the upkeep on and off.
    let wallets: Vec<String> =
        sqlx::query_scalar("SELECT id FROM wallets WHERE status = 'active' ORDER BY id LIMIT 400")
            .fetch_all(sandbox.store().pool())
            .await?;
    let (mut on, mut off) = (Duration::ZERO, Duration::ZERO);
    let (mut n_on, mut n_off) = (0_u32, 0_u32);
    for block in 0..8 {
        let keep = block % 2 == 0;
        walletdesk_sandbox::insights::UPKEEP.store(keep, Ordering::Relaxed);
        for (i, wallet) in wallets.iter().enumerate().skip(block * 50).take(50) {
            let t = Instant::now();
            let answer = http
                .post(format!("{}/v1/payments", sandbox.url()))
                .bearer_auth(TOKEN)
                .header("Idempotency-Key", format!("bench-{block}-{i}"))
                .json(&serde_json::json!({"walletId": wallet, "amount": "1.00",
                    "direction": "in", "counterparty": "本人银行卡"}))
                .send()
                .await?;
            let status = answer.status();
            let _ = answer.bytes().await?;
            if status.is_success() {
                if keep {
                    on += t.elapsed();
                    n_on += 1;
                } else {
                    off += t.elapsed();
                    n_off += 1;
                }
            }
        }
    }
    walletdesk_sandbox::insights::UPKEEP.store(true, Ordering::Relaxed);
    let mean = |d: Duration, n: u32| d.as_secs_f64() * 1e3 / f64::from(n.max(1));
    let (m_on, m_off) = (mean(on, n_on), mean(off, n_off));
    println!(
        "payments: {n_on} with upkeep {m_on:.2} ms mean, {n_off} without {m_off:.2} ms mean: \
         upkeep costs {:.1}%",
        (m_on - m_off) / m_off * 100.0
    );
    sandbox.shutdown().await;
    Ok(())
}
