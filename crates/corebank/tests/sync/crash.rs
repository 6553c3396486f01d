//! The crash drill: a console process syncing through faults is SIGKILLed again and again (up
//! to 100 times, until its work is done), half of the kills aimed at the moment the core has
//! applied an operation whose answer the console has not committed yet; every fourth time the
//! sandbox core bank process is SIGKILLed too and started again on its file. Then the console
//! resumes. The sandbox's ledger must show every
//! operation applied exactly once, in the order each customer's operations were queued, and
//! the outbox must end with every operation done.
//!
//! The ledger is `applications.times`, counted on every application with no uniqueness
//! constraint in the way, so a second application would show as 2 rather than fail a write.
//!
//! Both processes are this test binary re-run with `--exact` on [`drill_process`] or
//! [`sandbox_process`] and the drill's settings in the environment, so the drill needs no
//! binary of its own.

use super::{TOKEN, enqueue, ledger_counts_in, resident_id, set_faults_at};
use rand::{Rng, SeedableRng};
use serde_json::json;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use walletdesk_core::clock::SystemClock;
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, EngineConfig, NewOperation, outbox};
use walletdesk_corebank::v1;
use walletdesk_sandbox::SandboxConfig;

/// New customers, each with three operations that only work in order: create the customer,
/// record a consent for it, open its wallet (both name it `ext:<externalId>`, which exists
/// only once the create is applied).
const CUSTOMERS: u32 = 200;
const CHAIN: usize = 3;
const KILLS: u32 = 100;
/// The sandbox is killed in every this many rounds, along with the console.
const SANDBOX_KILL_EVERY: u32 = 4;
/// How long an aimed kill waits for its window before killing anyway.
const AIM_PATIENCE: Duration = Duration::from_secs(3);

const ENV_DB: &str = "WALLETDESK_DRILL_DB";
const ENV_CORE: &str = "WALLETDESK_DRILL_CORE";
const ENV_KEY: &str = "WALLETDESK_DRILL_KEY";
const ENV_SANDBOX_DB: &str = "WALLETDESK_DRILL_SANDBOX_DB";
const ENV_SANDBOX_PORT: &str = "WALLETDESK_DRILL_SANDBOX_PORT";

fn drill_config() -> EngineConfig {
    EngineConfig {
        // Small batches, so kills land between, inside and after batches alike, and the work
        // lasts through the kills.
        batch_size: 5,
        pull_page: 50,
        min_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        poll_every: Duration::from_millis(50),
        ..EngineConfig::default()
    }
}

/// Faults while the kills go on: some answers are held past the client's timeout after the
/// write was applied (the widest "applied, not committed" window), some requests fail or
/// are dropped.
fn drill_faults() -> v1::Faults {
    v1::Faults {
        error_rate: 50,
        drop_rate: 30,
        apply_then_timeout_rate: 150,
        stall_ms: 1_000,
        ..v1::Faults::default()
    }
}

/// Not a test on its own: the body of the console process the drill kills. Does nothing
/// unless the drill started it.
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

/// Not a test on its own: the sandbox core bank process the drill kills, serving its file
/// store on a fixed port. Does nothing unless the drill started it.
#[tokio::test]
async fn sandbox_process() {
    let (Ok(db), Ok(port)) = (
        std::env::var(ENV_SANDBOX_DB),
        std::env::var(ENV_SANDBOX_PORT),
    ) else {
        return;
    };
    let _running = walletdesk_sandbox::start(SandboxConfig {
        port: port.parse().expect("port"),
        seed: 7,
        customers: 10,
        db_path: Some(PathBuf::from(db)),
        tokens: vec![TOKEN.into()],
    })
    .await
    .expect("sandbox starts");
    // Serves until killed.
    std::future::pending::<()>().await;
}

/// This test binary, re-run as one of the drill's processes.
fn spawn(test: &str, env: &[(&str, String)]) -> Child {
    let exe = std::env::current_exe().expect("test binary");
    let mut command = Command::new(exe);
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    command.spawn().expect("spawn a drill process")
}

/// Child::kill is SIGKILL on Unix: no destructor, no flush, no goodbye.
fn kill(child: &mut Child) {
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
}

/// The sandbox core bank as a process of its own, on one port and one file for the drill.
struct SandboxProcess {
    db: PathBuf,
    port: u16,
    child: Option<Child>,
}

impl SandboxProcess {
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts it, waits until it answers, and sets the faults (they live in its memory).
    async fn start(&mut self, faults: v1::Faults) {
        let child = spawn(
            "crash::sandbox_process",
            &[
                (ENV_SANDBOX_DB, self.db.display().to_string()),
                (ENV_SANDBOX_PORT, self.port.to_string()),
            ],
        );
        self.child = Some(child);
        let http = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let health = http
                .get(format!("{}/v1/health", self.url()))
                .timeout(Duration::from_millis(500))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the sandbox process did not come up"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        set_faults_at(&self.url(), faults).await;
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            kill(&mut child);
        }
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A port nobody listens on now, for the sandbox to keep across its restarts.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

fn external_id(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// Customer `n`'s three operations, in the order the core must apply them.
fn chain(n: u32) -> Vec<NewOperation> {
    let aggregate = format!("customer:drill-{n}");
    let reference = format!("ext:{}", external_id(n));
    vec![
        NewOperation {
            aggregate: aggregate.clone(),
            kind: "customer.create".into(),
            subject: None,
            body: json!({"name": format!("演练{n}"), "residentId": resident_id(n),
                "mobile": format!("139{n:08}"), "externalId": external_id(n)}),
            summary: format!("开户 演练{n}"),
            record_ref: None,
        },
        NewOperation {
            aggregate: aggregate.clone(),
            kind: "consent.record".into(),
            subject: Some(reference.clone()),
            body: json!({"scope": "general-processing", "version": "2025-03"}),
            summary: format!("同意 演练{n}"),
            record_ref: None,
        },
        NewOperation {
            aggregate,
            kind: "wallet.open".into(),
            subject: None,
            body: json!({"customerId": reference, "tier": 4}),
            summary: format!("开立钱包 演练{n}"),
            record_ref: None,
        },
    ]
}

/// Applications the core has made of the drill's operations (seeding makes none).
async fn applied_at_core(ledger: &SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT COALESCE(SUM(times), 0) FROM applications")
        .fetch_one(ledger)
        .await
        .expect("ledger")
}

async fn count_done(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = 'done'")
        .fetch_one(store.read())
        .await
        .expect("count")
}

/// Where the kills landed.
#[derive(Debug, Default)]
struct Landed {
    /// The console died after the core applied an operation (during its life) and before it
    /// committed that operation as done.
    console_between_applied_and_committed: u32,
    /// The console died with nothing applied and uncommitted: before its request reached the
    /// core's commit, between rounds, or idle.
    console_elsewhere: u32,
    /// The sandbox died holding an applied write whose answer the console had not committed.
    sandbox_between_applied_and_committed: u32,
    sandbox_elsewhere: u32,
}

#[tokio::test]
async fn killing_the_console_and_the_core_applies_each_operation_once_and_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sandbox = SandboxProcess {
        db: dir.path().join("sandbox.sqlite"),
        port: free_port(),
        child: None,
    };
    sandbox.start(drill_faults()).await;
    let ledger = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(SqliteConnectOptions::new().filename(&sandbox.db))
        .await
        .expect("the sandbox's ledger");

    let db = dir.path().join("walletdesk.sqlite");
    let key = DataKey::generate();
    let store = Store::open(&db, &key).await.expect("store");
    enqueue(&store, &key, (1..=CUSTOMERS).flat_map(chain).collect()).await;
    let operations = i64::from(CUSTOMERS) * CHAIN as i64;

    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let mut landed = Landed::default();
    let mut done_before_last_kill = 0;
    let mut rounds = 0;
    for round in 1..=KILLS {
        if count_done(&store).await == operations {
            break;
        }
        rounds = round;
        let applied_at_spawn = applied_at_core(&ledger).await;
        let mut console = spawn(
            "crash::drill_process",
            &[
                (ENV_DB, db.display().to_string()),
                (ENV_CORE, sandbox.url()),
                (ENV_KEY, key.to_hex().as_str().to_owned()),
            ],
        );
        let sandbox_too = round % SANDBOX_KILL_EVERY == 0;
        if sandbox_too || rng.random_bool(0.5) {
            // Aimed: wait until the core has applied something new that the console has
            // not committed, then kill at once.
            let started = Instant::now();
            while started.elapsed() < AIM_PATIENCE {
                let applied = applied_at_core(&ledger).await;
                if applied > applied_at_spawn && applied > count_done(&store).await {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        } else {
            tokio::time::sleep(Duration::from_millis(rng.random_range(5..150))).await;
        }
        if sandbox_too {
            let open = applied_at_core(&ledger).await > count_done(&store).await;
            sandbox.kill();
            if open {
                landed.sandbox_between_applied_and_committed += 1;
            } else {
                landed.sandbox_elsewhere += 1;
            }
        }
        kill(&mut console);
        // A request the core was already running when the console died still lands.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let applied = applied_at_core(&ledger).await;
        done_before_last_kill = count_done(&store).await;
        if applied > applied_at_spawn && applied > done_before_last_kill {
            landed.console_between_applied_and_committed += 1;
        } else {
            landed.console_elsewhere += 1;
        }
        if sandbox_too {
            sandbox.start(drill_faults()).await;
        }
    }
    eprintln!(
        "crash drill: {rounds} console kills, {} sandbox kills; {landed:?}; \
         {done_before_last_kill} of {operations} operations done before the resume",
        rounds / SANDBOX_KILL_EVERY
    );
    assert!(
        done_before_last_kill > 0,
        "the killed processes made progress between kills"
    );
    assert!(
        landed.console_between_applied_and_committed >= 20,
        "too few kills landed between the core's apply and the local commit: {landed:?}"
    );
    assert!(
        landed.sandbox_between_applied_and_committed > 0,
        "no sandbox kill landed with an applied answer in flight: {landed:?}"
    );

    // Resume in this process, faults off, until everything is sent.
    set_faults_at(&sandbox.url(), v1::Faults::default()).await;
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
    assert_eq!(count_done(&store).await, operations);
    let counts = ledger_counts_in(&ledger, &store).await;
    assert_eq!(counts.len(), usize::try_from(operations).expect("fits"));
    for (key, applied) in &counts {
        assert_eq!(*applied, 1, "{key} applied {applied} times");
    }
    assert_order_kept(&ledger, &store).await;
    let (customers, consents, wallets): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM customers WHERE external_id IS NOT NULL), \
         (SELECT COUNT(*) FROM consents c JOIN customers p ON p.id = c.customer_id \
            WHERE p.external_id IS NOT NULL), \
         (SELECT COUNT(*) FROM wallets w JOIN customers p ON p.id = w.customer_id \
            WHERE p.external_id IS NOT NULL)",
    )
    .fetch_one(&ledger)
    .await
    .expect("effects");
    let expected = i64::from(CUSTOMERS);
    assert_eq!(
        (customers, consents, wallets),
        (expected, expected, expected),
        "one customer, one consent and one wallet each"
    );
    ledger.close().await;
    sandbox.kill();
}

/// Each customer's operations were applied in the order they were queued: their ledger rows
/// (numbered in commit order) ascend in outbox order.
async fn assert_order_kept(ledger: &SqlitePool, store: &Store) {
    let queued: Vec<(String, String)> =
        sqlx::query_as("SELECT aggregate, idempotency_key FROM outbox ORDER BY id")
            .fetch_all(store.read())
            .await
            .expect("outbox");
    let applied: HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT idempotency_key, id FROM applied_operations")
            .fetch_all(ledger)
            .await
            .expect("ledger")
            .into_iter()
            .collect();
    let mut last: HashMap<&str, i64> = HashMap::new();
    for (aggregate, key) in &queued {
        let at = applied[key];
        if let Some(before) = last.insert(aggregate.as_str(), at) {
            assert!(
                before < at,
                "{aggregate}: {key} applied before the operation queued ahead of it"
            );
        }
    }
    assert_eq!(last.len(), CUSTOMERS as usize);
}
