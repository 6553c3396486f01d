//! The crash drill: a console process syncing through faults is SIGKILLed at random moments,
//! 100 times, then resumed; the sandbox's ledger must show every operation applied exactly
//! once and the outbox must end with every operation done.
//!
//! The syncing process is this test binary re-run with `--exact` on [`drill_process`] and the
//! drill's settings in the environment, so the drill needs no binary of its own.

use super::{enqueue, ledger_counts, new_customer, set_faults};
use rand::{Rng, SeedableRng};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use walletdesk_core::clock::SystemClock;
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, EngineConfig, outbox};
use walletdesk_corebank::v1;

const OPERATIONS: u32 = 300;
const KILLS: u32 = 100;
const ENV_DB: &str = "WALLETDESK_DRILL_DB";
const ENV_CORE: &str = "WALLETDESK_DRILL_CORE";
const ENV_KEY: &str = "WALLETDESK_DRILL_KEY";

fn drill_config() -> EngineConfig {
    EngineConfig {
        // Small batches, so kills land between, inside and after batches alike.
        batch_size: 10,
        pull_page: 50,
        min_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        poll_every: Duration::from_millis(50),
    }
}

/// Not a test on its own: the body of the process the drill kills. Does nothing unless the
/// drill started it.
#[tokio::test]
async fn drill_process() {
    let (Ok(db), Ok(core), Ok(key)) = (
        std::env::var(ENV_DB),
        std::env::var(ENV_CORE),
        std::env::var(ENV_KEY),
    ) else {
        return;
    };
    let key = DataKey::from_hex(&key).expect("key");
    let store = Store::open(std::path::Path::new(&db), &key)
        .await
        .expect("store");
    let engine = Engine::new(
        store,
        Sealer::new(&key),
        Arc::new(super::client(&core)),
        Arc::new(SystemClock),
        drill_config(),
    );
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    // Runs until killed.
    engine.run(stopped).await;
}

#[tokio::test]
async fn killing_the_syncing_process_100_times_loses_nothing_and_applies_nothing_twice() {
    let sandbox = super::sandbox(10).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("walletdesk.sqlite");
    let key = DataKey::generate();
    let store = Store::open(&db, &key).await.expect("store");
    enqueue(&store, &key, (1..=OPERATIONS).map(new_customer).collect()).await;
    // Faults as well as kills: some kills land while an answer is lost or a retry is waiting.
    set_faults(
        &sandbox,
        v1::Faults {
            error_rate: 50,
            drop_rate: 30,
            apply_then_timeout_rate: 20,
            stall_ms: 1_000,
            ..v1::Faults::default()
        },
    )
    .await;

    let exe = std::env::current_exe().expect("test binary");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let mut done_before_last_kill = 0;
    for _ in 0..KILLS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash::drill_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ENV_DB, &db)
            .env(ENV_CORE, sandbox.url())
            .env(ENV_KEY, key.to_hex().as_str())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the syncing process");
        let after = Duration::from_millis(rng.random_range(5..120));
        tokio::time::sleep(after).await;
        // Child::kill is SIGKILL on Unix: no destructor, no flush, no goodbye.
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        done_before_last_kill = count_done(&store).await;
    }
    assert!(
        done_before_last_kill > 0,
        "the killed processes made progress between kills"
    );

    // Resume in this process, faults off, until everything is sent.
    set_faults(&sandbox, v1::Faults::default()).await;
    let engine = Engine::new(
        store.clone(),
        Sealer::new(&key),
        Arc::new(super::client(&sandbox.url())),
        Arc::new(SystemClock),
        drill_config(),
    );
    super::drain(&engine, &store).await;

    let status = outbox::status(store.read()).await.expect("status");
    assert_eq!((status.queued, status.attention), (0, 0));
    assert_eq!(count_done(&store).await, i64::from(OPERATIONS));
    let counts = ledger_counts(&sandbox, &store).await;
    assert_eq!(counts.len(), OPERATIONS as usize);
    for (key, applied) in &counts {
        assert_eq!(*applied, 1, "{key} applied {applied} times");
    }
    let created: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE mobile LIKE '139%'")
            .fetch_one(sandbox.store().pool())
            .await
            .expect("customers");
    assert_eq!(created, i64::from(OPERATIONS), "no customer created twice");
    sandbox.shutdown().await;
}

async fn count_done(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = 'done'")
        .fetch_one(store.read())
        .await
        .expect("count")
}
