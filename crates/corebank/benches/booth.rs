//! A booth's offline day drained: 1,000 quick sign-ups queued through the console while the
//! core is unreachable (each with its incentive claim), then synced by the real engine to the
//! real sandbox over loopback with 10% of requests faulted (5% server errors, 3% dropped
//! connections, 2% applied-then-timed-out). Goal: drained in under 5 s (issue 14). The ledger
//! is checked after the run: every sign-up applied once, one customer and one incentive each.
//!
//! `cargo bench -p walletdesk-corebank --bench booth`; numbers go to docs/performance.md.

#![allow(
    clippy::print_stdout,
    clippy::float_arithmetic,
    reason = "a bench reports rates on the terminal"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};
use walletdesk_core::Console;
use walletdesk_core::access::Role;
use walletdesk_core::booth::{
    BoothInput, CampaignInput, IncentiveKind, SignUpConsent, SignUpInput,
};
use walletdesk_core::clock::SystemClock;
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, EngineConfig, outbox};
use walletdesk_corebank::{Client, ClientOptions, v1};
use walletdesk_sandbox::SandboxConfig;

const TOKEN: &str = "bench-console-token-0123456789";
const PW: &str = "booth-bench-pass-2026";
const SIGN_UPS: u32 = 1_000;

async fn faults(url: &str, faults: v1::Faults) {
    reqwest::Client::new()
        .post(format!("{url}/v1/admin/faults"))
        .bearer_auth(TOKEN)
        .json(&faults)
        .send()
        .await
        .expect("faults");
}

async fn drain(engine: &Engine, store: &Store) -> u32 {
    let mut requests = 0u32;
    loop {
        let report = engine.push_once().await.expect("push");
        if report.sent > 0 {
            requests += 1;
            continue;
        }
        let status = outbox::status(store.read()).await.expect("status");
        assert_eq!(status.attention, 0, "nothing refused");
        if status.queued == 0 {
            return requests;
        }
        // Only operations waiting out a backoff are left.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::main]
async fn main() {
    let sandbox = walletdesk_sandbox::start(SandboxConfig {
        seed: 1,
        customers: 10,
        tokens: vec![TOKEN.into()],
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let url = sandbox.url();
    let dir = tempfile::tempdir().expect("tempdir");
    let key = DataKey::generate();
    let store = Store::open(&dir.path().join("bench.sqlite"), &key)
        .await
        .expect("store");
    let client = Client::with_options(
        &url,
        Some(TOKEN.into()),
        ClientOptions {
            request_timeout: Duration::from_millis(300),
            ..ClientOptions::default()
        },
    )
    .expect("client");
    let link = Arc::new(client);
    let engine = Engine::new(
        store.clone(),
        Sealer::new(&key),
        link.clone(),
        Arc::new(SystemClock),
        EngineConfig {
            min_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(500),
            ..EngineConfig::default()
        },
    );
    let console = Console::new(
        store.clone(),
        Arc::new(SystemClock),
        link,
        ConsoleConfig {
            training_mode: true,
            idle_lock_override: None,
            version: "bench".into(),
        },
    )
    .with_sync(engine.clone());
    console
        .setup_admin(SetupAdminInput {
            username: "admin".into(),
            display_name: "管理员".into(),
            password: PW.into(),
        })
        .await
        .expect("setup");
    let sign_in = |username: &str| SignInInput {
        username: username.into(),
        password: PW.into(),
    };
    console.sign_in(sign_in("admin")).await.expect("admin");
    // A supervisor may work every booth: one console plans the campaign and signs people up.
    console
        .staff_create(NewStaffInput {
            username: "chen.zhu".into(),
            display_name: "陈主管".into(),
            role: Role::Supervisor,
            password: PW.into(),
        })
        .await
        .expect("staff");
    console.sign_out().await.expect("out");
    console.sign_in(sign_in("chen.zhu")).await.expect("in");
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    console
        .booth_save(BoothInput {
            code: "B-01".into(),
            name: "压测展位".into(),
            mall: "万达广场 1F".into(),
            address: "北京市朝阳区建国路 93 号".into(),
            branch: "BJ-001".into(),
            roster: vec!["chen.zhu".into()],
        })
        .await
        .expect("booth");
    console
        .campaign_save(CampaignInput {
            code: "BENCH".into(),
            name: "压测活动".into(),
            starts_on: (today - chrono::Duration::days(1)).to_string(),
            ends_on: (today + chrono::Duration::days(30)).to_string(),
            branches: vec!["BJ-001".into()],
            booths: vec!["B-01".into()],
            incentive_kind: IncentiveKind::Cashback,
            incentive_amount: Some("8.88".into()),
            incentive_points: None,
            incentive_coupon: None,
            incentive_service: None,
            new_customers_only: true,
            budget_claims: None,
            budget_amount: None,
        })
        .await
        .expect("campaign");
    drain(&engine, &store).await;
    engine
        .sync_now()
        .await
        .expect("the campaign comes back through the feed");

    // Offline: every connection dropped; the booth keeps signing people up.
    faults(
        &url,
        v1::Faults {
            drop_rate: 1000,
            ..v1::Faults::default()
        },
    )
    .await;
    let consents: Vec<SignUpConsent> = ["general-processing", "sensitive-financial"]
        .into_iter()
        .map(|scope| SignUpConsent {
            scope: scope.into(),
            given: true,
        })
        .collect();
    let queued_at = Instant::now();
    for n in 0..SIGN_UPS {
        console
            .booth_sign_up(SignUpInput {
                booth: "B-01".into(),
                campaign: "BENCH".into(),
                mobile: format!("136{n:08}"),
                name: String::new(),
                consents: consents.clone(),
            })
            .await
            .expect("sign-up");
    }
    let queued = queued_at.elapsed();

    // The network returns, with 10% of requests faulted.
    faults(
        &url,
        v1::Faults {
            error_rate: 50,
            drop_rate: 30,
            apply_then_timeout_rate: 20,
            stall_ms: 400,
            ..v1::Faults::default()
        },
    )
    .await;
    let started = Instant::now();
    let requests = drain(&engine, &store).await;
    let drained = started.elapsed();

    let signed_up: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE mobile LIKE '136%'")
            .fetch_one(sandbox.store().pool())
            .await
            .expect("customers");
    let claims: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM incentive_claims WHERE campaign = 'BENCH'")
            .fetch_one(sandbox.store().pool())
            .await
            .expect("claims");
    assert_eq!(signed_up, i64::from(SIGN_UPS), "one customer per sign-up");
    assert_eq!(claims, i64::from(SIGN_UPS), "one incentive per person");
    let retried: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE attempts > 1")
        .fetch_one(store.read())
        .await
        .expect("retried");
    println!(
        "booth bench: {SIGN_UPS} sign-ups queued offline in {:.2} s ({:.1} ms each); \
         drained with 10% faults in {:.2} s = {:.0} sign-ups/s ({requests} requests, {retried} retried); goal < 5 s",
        queued.as_secs_f64(),
        queued.as_secs_f64() * 1000.0 / f64::from(SIGN_UPS),
        drained.as_secs_f64(),
        f64::from(SIGN_UPS) / drained.as_secs_f64()
    );
    sandbox.shutdown().await;
}
