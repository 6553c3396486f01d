//! The sync engine against the real sandbox over loopback: the core's outbox, the batch
//! endpoint, the change feed, every fault the sandbox injects, and a process killed mid-sync.

use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use walletdesk_core::clock::SystemClock;
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, EngineConfig, NewOperation, OutboxState, outbox};
use walletdesk_corebank::{Client, ClientOptions, v1};
use walletdesk_sandbox::{RunningSandbox, SandboxConfig};

mod attribution;
mod audit;
mod booth;
mod counter;
mod crash;
mod disputes;
mod faults;
mod fees;
mod insights;
mod knowledge;
mod leads;
mod onboarding;
mod practice;
mod qr;
mod signups;
mod team_disputes;

/// The console token the test sandboxes accept.
const TOKEN: &str = "sync-test-console-token-0123";

async fn sandbox(customers: u32) -> RunningSandbox {
    walletdesk_sandbox::start(SandboxConfig {
        seed: 7,
        customers,
        tokens: vec![TOKEN.into()],
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts")
}

/// Short timeouts and backoff, so faulted rounds come back quickly in tests.
fn client(url: &str) -> Client {
    Client::with_options(
        url,
        Some(TOKEN.into()),
        ClientOptions {
            request_timeout: Duration::from_millis(800),
            ..ClientOptions::default()
        },
    )
    .expect("client")
}

fn quick() -> EngineConfig {
    EngineConfig {
        batch_size: 50,
        min_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(80),
        ..EngineConfig::default()
    }
}

struct Console {
    _dir: tempfile::TempDir,
    store: Store,
    engine: Engine,
}

async fn console(url: &str, key: &DataKey, config: EngineConfig) -> Console {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("walletdesk.sqlite"), key)
        .await
        .expect("store");
    let engine = Engine::new(
        store.clone(),
        Sealer::new(key),
        Arc::new(client(url)),
        Arc::new(SystemClock),
        config,
    );
    Console {
        _dir: dir,
        store,
        engine,
    }
}

/// A valid resident ID for person `n` (check character computed per GB 11643).
pub fn resident_id(n: u32) -> String {
    let body = format!("11010519800101{:03}", n % 1000);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

pub fn new_customer(n: u32) -> NewOperation {
    NewOperation {
        aggregate: format!("customer:test-{n}"),
        kind: "customer.create".into(),
        subject: None,
        body: json!({"name": format!("测试{n}"), "residentId": resident_id(n),
            "mobile": format!("139{:08}", n)}),
        summary: format!("开户 测试{n}"),
        record_ref: None,
    }
}

async fn enqueue(store: &Store, key: &DataKey, ops: Vec<NewOperation>) {
    let sealer = Sealer::new(key);
    let mut tx = store.begin().await.expect("begin");
    for op in ops {
        outbox::enqueue(&mut tx, &sealer, op, chrono::Utc::now(), None)
            .await
            .expect("enqueue");
    }
    tx.commit().await.expect("commit");
}

async fn set_faults(sandbox: &RunningSandbox, faults: v1::Faults) {
    set_faults_at(&sandbox.url(), faults).await;
}

async fn set_faults_at(url: &str, faults: v1::Faults) {
    let response = reqwest::Client::new()
        .post(format!("{url}/v1/admin/faults"))
        .bearer_auth(TOKEN)
        .json(&faults)
        .send()
        .await
        .expect("faults");
    assert_eq!(response.status(), 200);
}

/// Runs the engine until nothing is pending, waiting out backoffs; panics if that takes long.
async fn drain(engine: &Engine, store: &Store) {
    for _ in 0..2000 {
        engine.sync_now().await.ok();
        let status = outbox::status(store.read()).await.expect("status");
        if status.queued == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the outbox did not drain");
}

/// Every outbox key, and how often the sandbox's ledger applied each.
async fn ledger_counts(sandbox: &RunningSandbox, store: &Store) -> Vec<(String, i64)> {
    ledger_counts_in(sandbox.store().pool(), store).await
}

/// [`ledger_counts`] from the sandbox store's pool: `applications.times`, which a second
/// application of a key would make 2 (no uniqueness constraint turns it into a failed write).
async fn ledger_counts_in(sandbox: &sqlx::SqlitePool, store: &Store) -> Vec<(String, i64)> {
    let keys: Vec<String> = sqlx::query_scalar("SELECT idempotency_key FROM outbox ORDER BY id")
        .fetch_all(store.read())
        .await
        .expect("keys");
    let mut counts = Vec::new();
    for key in keys {
        let n: i64 = sqlx::query_scalar(
            "SELECT COALESCE((SELECT times FROM applications WHERE idempotency_key = ?), 0)",
        )
        .bind(&key)
        .fetch_one(sandbox)
        .await
        .expect("ledger");
        counts.push((key, n));
    }
    counts
}

#[tokio::test]
async fn offline_work_queues_then_lands_once_when_the_core_is_back() {
    let sandbox = sandbox(5).await;
    let key = DataKey::generate();
    let c = console(&sandbox.url(), &key, quick()).await;
    enqueue(&c.store, &key, (1..=30).map(new_customer).collect()).await;

    // The network drops everything: the work stays queued and is marked failing.
    set_faults(
        &sandbox,
        v1::Faults {
            drop_rate: 1000,
            ..v1::Faults::default()
        },
    )
    .await;
    let err = c
        .engine
        .sync_now()
        .await
        .expect_err("the core is unreachable");
    assert_eq!(err.code(), walletdesk_core::Code::CoreUnavailable);
    let status = outbox::status(c.store.read()).await.expect("status");
    assert_eq!(status.queued, 30);
    assert_eq!(status.failing, 30);
    assert!(status.last_error.is_some());

    set_faults(&sandbox, v1::Faults::default()).await;
    drain(&c.engine, &c.store).await;
    let status = outbox::status(c.store.read()).await.expect("status");
    assert_eq!((status.queued, status.failing, status.attention), (0, 0, 0));
    assert!(status.last_synced_at.is_some());
    assert_eq!(status.last_error, None);
    for (key, applied) in ledger_counts(&sandbox, &c.store).await {
        assert_eq!(applied, 1, "{key}");
    }
    // The pull brought the new customers (and the seeded ones) into the read model.
    let local: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM core_customers")
        .fetch_one(c.store.read())
        .await
        .expect("count");
    assert_eq!(local, 35);
    let found: String =
        sqlx::query_scalar("SELECT masked_resident_id FROM core_customers WHERE mobile = ?")
            .bind("13900000007")
            .fetch_one(c.store.read())
            .await
            .expect("new customer pulled");
    assert_eq!(found, format!("110105********{}", &resident_id(7)[14..]));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn every_fault_kind_still_applies_each_operation_exactly_once() {
    let sandbox = sandbox(3).await;
    let key = DataKey::generate();
    let c = console(&sandbox.url(), &key, quick()).await;
    enqueue(&c.store, &key, (1..=120).map(new_customer).collect()).await;
    set_faults(
        &sandbox,
        v1::Faults {
            latency_ms: 2,
            error_rate: 150,
            drop_rate: 100,
            apply_then_timeout_rate: 100,
            duplicate_rate: 100,
            stall_ms: 1_000,
        },
    )
    .await;
    drain(&c.engine, &c.store).await;
    let counts = ledger_counts(&sandbox, &c.store).await;
    assert_eq!(counts.len(), 120);
    for (key, applied) in counts {
        assert_eq!(applied, 1, "{key}");
    }
    let retried: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE attempts > 1")
        .fetch_one(c.store.read())
        .await
        .expect("retried");
    assert!(retried > 0, "the faults made some operations retry");
    let created: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE mobile LIKE '139%'")
            .fetch_one(sandbox.store().pool())
            .await
            .expect("customers");
    assert_eq!(created, 120);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_answer_lost_after_the_write_is_replayed_not_repeated() {
    let sandbox = sandbox(3).await;
    let key = DataKey::generate();
    let c = console(&sandbox.url(), &key, quick()).await;
    enqueue(&c.store, &key, vec![new_customer(1)]).await;
    set_faults(
        &sandbox,
        v1::Faults {
            apply_then_timeout_rate: 1000,
            stall_ms: 1_500,
            ..v1::Faults::default()
        },
    )
    .await;
    let report = c.engine.push_once().await.expect("push");
    assert_eq!((report.sent, report.retrying), (1, 1));
    set_faults(&sandbox, v1::Faults::default()).await;
    drain(&c.engine, &c.store).await;
    let items = outbox::list(c.store.read(), None, 10).await.expect("list");
    assert_eq!(items[0].state, OutboxState::Done);
    assert_eq!(items[0].attempts, 2);
    let counts = ledger_counts(&sandbox, &c.store).await;
    assert_eq!(counts[0].1, 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_refusal_needs_attention_holds_its_aggregate_and_resends_after_correction() {
    let sandbox = sandbox(3).await;
    let key = DataKey::generate();
    let c = console(&sandbox.url(), &key, quick()).await;
    let taken: String = sqlx::query_scalar("SELECT mobile FROM customers LIMIT 1")
        .fetch_one(sandbox.store().pool())
        .await
        .expect("a seeded mobile");
    let mut duplicate = new_customer(1);
    duplicate.body["mobile"] = json!(taken);
    duplicate.record_ref = Some("onboarding:1".into());
    // A second operation of the same aggregate, and one of another aggregate.
    let mut same_aggregate = new_customer(2);
    same_aggregate.aggregate = duplicate.aggregate.clone();
    enqueue(
        &c.store,
        &key,
        vec![duplicate, same_aggregate, new_customer(3)],
    )
    .await;

    // No faults: one round sends everything that may go.
    c.engine.sync_now().await.expect("sync");
    let status = outbox::status(c.store.read()).await.expect("status");
    assert_eq!(status.attention, 1);
    // The refused one's follower waits behind it; the other aggregate went through.
    assert_eq!(status.queued, 1);
    let items = outbox::list(c.store.read(), None, 10).await.expect("list");
    let refused = items
        .iter()
        .find(|i| i.state == OutboxState::Attention)
        .expect("attention");
    assert_eq!(refused.record_ref.as_deref(), Some("onboarding:1"));
    assert!(
        refused
            .attention_reason
            .as_deref()
            .is_some_and(|r| r.contains("already exists")),
        "{refused:?}"
    );
    assert_eq!(
        c.engine.push_once().await.expect("push").sent,
        0,
        "nothing is ready"
    );

    // Corrected and resent: a new key, so the stored refusal is not replayed.
    let sealer = Sealer::new(&key);
    let mut fix = serde_json::Map::new();
    fix.insert("mobile".into(), json!("13700000001"));
    let mut tx = c.store.begin().await.expect("begin");
    outbox::resend(&mut tx, &sealer, refused.id, Some(fix), chrono::Utc::now())
        .await
        .expect("resend");
    tx.commit().await.expect("commit");
    drain(&c.engine, &c.store).await;
    let status = outbox::status(c.store.read()).await.expect("status");
    assert_eq!((status.queued, status.attention), (0, 0));
    let body = outbox::body(c.store.read(), &sealer, refused.id)
        .await
        .expect("body");
    assert_eq!(body["mobile"], "13700000001");
    let previous: String = sqlx::query_scalar("SELECT previous_keys FROM outbox WHERE id = ?")
        .bind(refused.id)
        .fetch_one(c.store.read())
        .await
        .expect("previous keys");
    assert!(previous.starts_with("wd-"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_pull_cursor_moves_with_the_changes_it_brought() {
    let sandbox = sandbox(20).await;
    let key = DataKey::generate();
    let mut config = quick();
    config.pull_page = 7;
    let c = console(&sandbox.url(), &key, config).await;
    let first = c.engine.pull_once().await.expect("pull");
    assert_eq!(first.applied, 7);
    assert!(first.more);
    let (cursor, customers): (String, i64) =
        sqlx::query_as("SELECT cursor, (SELECT COUNT(*) FROM core_customers) FROM sync_state")
            .fetch_one(c.store.read())
            .await
            .expect("cursor");
    assert_eq!(customers, 7);
    assert_eq!(cursor, "7");
    c.engine.sync_now().await.expect("sync");
    let wallets: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM core_records WHERE kind = 'wallet'")
            .fetch_one(c.store.read())
            .await
            .expect("wallets");
    let counts = sandbox.store().recount().await.expect("counts");
    assert_eq!(u64::try_from(wallets).expect("count"), counts.wallets);
    let with_customer: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM core_records r JOIN core_customers c ON c.id = r.customer_id",
    )
    .fetch_one(c.store.read())
    .await
    .expect("joined");
    assert_eq!(
        with_customer, wallets,
        "every wallet names a pulled customer"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_outbox_keeps_identity_numbers_sealed() {
    let sandbox = sandbox(1).await;
    let key = DataKey::generate();
    let c = console(&sandbox.url(), &key, quick()).await;
    enqueue(&c.store, &key, vec![new_customer(42)]).await;
    let raw: Vec<u8> = sqlx::query_scalar("SELECT body_sealed FROM outbox")
        .fetch_one(c.store.read())
        .await
        .expect("row");
    let id = resident_id(42);
    assert!(!raw.windows(id.len()).any(|w| w == id.as_bytes()));
    let summary: String = sqlx::query_scalar("SELECT summary FROM outbox")
        .fetch_one(c.store.read())
        .await
        .expect("row");
    assert!(!summary.contains(&id));
    sandbox.shutdown().await;
}

/// A console whose token the core does not accept (revoked, or mistyped at provisioning):
/// nothing is applied, nothing is parked as "needs attention" (the operations are fine; the
/// console is not), the reason is shown, and the work lands once the token is put right.
#[tokio::test]
async fn a_refused_token_keeps_the_work_queued_and_says_why() {
    let sandbox = sandbox(3).await;
    let key = DataKey::generate();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("walletdesk.sqlite"), &key)
        .await
        .expect("store");
    enqueue(&store, &key, (1..=5).map(new_customer).collect()).await;
    let wrong =
        Client::new(&sandbox.url(), Some("revoked-console-token-0123".into())).expect("client");
    let engine = Engine::new(
        store.clone(),
        Sealer::new(&key),
        Arc::new(wrong),
        Arc::new(SystemClock),
        quick(),
    );
    let report = engine.push_once().await.expect("a round");
    assert_eq!((report.sent, report.applied, report.refused), (5, 0, 0));
    assert_eq!(report.retrying, 5);
    let status = outbox::status(store.read()).await.expect("status");
    assert_eq!((status.queued, status.attention), (5, 0));
    let reason = status.last_error.expect("the reason is kept");
    assert!(
        reason.contains("this console is not authorised with the core bank"),
        "{reason}"
    );
    for (key, applied) in ledger_counts(&sandbox, &store).await {
        assert_eq!(applied, 0, "{key}");
    }

    // The right token (after re-provisioning and a restart): the same operations land once.
    let engine = Engine::new(
        store.clone(),
        Sealer::new(&key),
        Arc::new(client(&sandbox.url())),
        Arc::new(SystemClock),
        quick(),
    );
    drain(&engine, &store).await;
    for (key, applied) in ledger_counts(&sandbox, &store).await {
        assert_eq!(applied, 1, "{key}");
    }
    sandbox.shutdown().await;
}

/// A core that answers every feed request with the same failure, and counts them.
#[derive(Debug)]
struct SameAnswerCore {
    refuse: bool,
    calls: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl walletdesk_core::corelink::CoreChecks for SameAnswerCore {}

#[async_trait::async_trait]
impl walletdesk_core::corelink::CoreSync for SameAnswerCore {
    async fn changes(
        &self,
        _after: Option<&str>,
        _limit: u32,
    ) -> Result<walletdesk_core::corelink::CoreChangePage, walletdesk_core::corelink::LinkError>
    {
        use walletdesk_core::corelink::LinkError;
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Err(if self.refuse {
            LinkError::Unauthorized("this console is not authorised with the core bank".into())
        } else {
            LinkError::Unreachable("connection refused".into())
        })
    }
}

/// The background loop polls every few seconds through an outage (cheap, and it notices the
/// core coming back quickly), but after a refusal of the whole call, such as a 401, it waits
/// `max_backoff` before asking again, woken or not: the same call would be refused again.
#[tokio::test]
async fn the_loop_backs_off_after_a_refusal_but_keeps_polling_through_an_outage() {
    let mut calls = Vec::new();
    for refuse in [true, false] {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("walletdesk.sqlite"), &DataKey::generate())
            .await
            .expect("store");
        let core = Arc::new(SameAnswerCore {
            refuse,
            calls: std::sync::atomic::AtomicUsize::new(0),
        });
        let engine = Engine::new(
            store,
            Sealer::new(&DataKey::generate()),
            core.clone(),
            Arc::new(SystemClock),
            EngineConfig {
                poll_every: Duration::from_millis(10),
                max_backoff: Duration::from_secs(60),
                ..EngineConfig::default()
            },
        );
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let running = tokio::spawn({
            let engine = engine.clone();
            async move { engine.run(stopped).await }
        });
        for _ in 0..5 {
            tokio::time::sleep(Duration::from_millis(60)).await;
            engine.wake();
        }
        stop.send(true).expect("stop");
        engine.wake();
        running.await.expect("the loop ends");
        calls.push(core.calls.load(std::sync::atomic::Ordering::SeqCst));
    }
    assert_eq!(calls[0], 1, "refused: asked once, then held");
    assert!(calls[1] >= 5, "unreachable: kept polling ({})", calls[1]);
}
