//! Faults at the engine, on an encrypted store: a row the console cannot open, a core that
//! answers "done" with junk, the wall clock going back an hour, and a full disk between the
//! core applying a batch and the local commit. In each: nothing lost, nothing applied twice,
//! and a state that says what happened.

use super::{client, enqueue, ledger_counts, new_customer, quick};
use chrono::Utc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use walletdesk_core::Code;
use walletdesk_core::clock::{Clock, ManualClock, SystemClock};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, EngineConfig, OutboxItem, OutboxState, outbox};

struct Local {
    _dir: tempfile::TempDir,
    store: Store,
}

async fn encrypted_store(key: &DataKey) -> Local {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_encrypted(&dir.path().join("walletdesk.sqlite"), key)
        .await
        .expect("store");
    Local { _dir: dir, store }
}

fn engine(
    store: &Store,
    key: &DataKey,
    url: &str,
    clock: Arc<dyn Clock>,
    config: EngineConfig,
) -> Engine {
    Engine::new(
        store.clone(),
        Sealer::new(key),
        Arc::new(client(url)),
        clock,
        config,
    )
}

async fn items(store: &Store) -> Vec<OutboxItem> {
    let mut items = outbox::list(store.read(), None, 1000).await.expect("list");
    items.reverse();
    items
}

/// A core that answers every request `200 OK` with `body`, counting the requests.
async fn junk_core(body: &'static str) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let app = axum::Router::new().fallback(move || {
        let counted = counted.clone();
        async move {
            counted.fetch_add(1, Ordering::SeqCst);
            ([("content-type", "application/json")], body)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}"), hits)
}

/// Pushes until no operation is pending (waiting out backoffs); returns the rounds that sent.
async fn push_until_settled(engine: &Engine, store: &Store) -> u32 {
    let mut rounds = 0;
    for _ in 0..500 {
        let report = engine.push_once().await.expect("push");
        if report.sent > 0 {
            rounds += 1;
        }
        if outbox::status(store.read()).await.expect("status").queued == 0 {
            return rounds;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("operations stayed pending");
}

#[tokio::test]
async fn an_operation_that_cannot_be_opened_needs_attention_and_the_rest_flow() {
    let sandbox = super::sandbox(3).await;
    let key = DataKey::generate();
    let local = encrypted_store(&key).await;
    // First in the queue: one sealed under another key (a replaced data.key), one whose body
    // opens but is not JSON (damaged before it was sealed).
    enqueue(&local.store, &DataKey::generate(), vec![new_customer(1)]).await;
    let bad_key = format!("wd-{}", uuid_like(2));
    let sealed = Sealer::new(&key)
        .seal(b"{\"name\": \"unfinished", &format!("outbox:{bad_key}"))
        .expect("seal");
    let mut tx = local.store.begin().await.expect("begin");
    sqlx::query(
        "INSERT INTO outbox (idempotency_key, aggregate, kind, body_sealed, summary, \
         next_attempt_at, created_at) VALUES (?, 'customer:bad-json', 'customer.create', ?, \
         '开户 (damaged)', ?, ?)",
    )
    .bind(&bad_key)
    .bind(&sealed)
    .bind(outbox_time())
    .bind(outbox_time())
    .execute(&mut *tx)
    .await
    .expect("insert");
    tx.commit().await.expect("commit");
    enqueue(&local.store, &key, (3..=7).map(new_customer).collect()).await;

    let engine = engine(
        &local.store,
        &key,
        &sandbox.url(),
        Arc::new(SystemClock),
        quick(),
    );
    let (pushed, _) = engine.sync_now().await.expect("the round goes on");
    assert_eq!(pushed.unopenable, 2);
    assert_eq!(pushed.applied, 5);

    let status = outbox::status(local.store.read()).await.expect("status");
    assert_eq!((status.queued, status.attention), (0, 2));
    let items = items(&local.store).await;
    assert_eq!(items[0].state, OutboxState::Attention);
    assert!(
        items[0]
            .attention_reason
            .as_deref()
            .is_some_and(|r| r.contains("cannot open")),
        "{:?}",
        items[0].attention_reason
    );
    assert_eq!(items[1].state, OutboxState::Attention);
    assert!(
        items[1]
            .attention_reason
            .as_deref()
            .is_some_and(|r| r.contains("not valid JSON")),
        "{:?}",
        items[1].attention_reason
    );
    assert!(items[2..].iter().all(|i| i.state == OutboxState::Done));
    let counts = ledger_counts(&sandbox, &local.store).await;
    // Never sent, so never applied; the rest exactly once.
    assert_eq!(counts[0].1, 0);
    assert_eq!(counts[1].1, 0);
    assert!(counts[2..].iter().all(|(_, n)| *n == 1), "{counts:?}");
    // Kept, not dropped: staff see them and can discard (the body stays as it was).
    assert_eq!(items.len(), 7);
}

/// Not a real uuid: only unique within the test.
fn uuid_like(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

fn outbox_time() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[tokio::test]
async fn a_done_answer_that_does_not_parse_is_retried_then_needs_attention() {
    let (junk, hits) = junk_core("<html>502 Bad Gateway (proxy)</html>").await;
    let key = DataKey::generate();
    let local = encrypted_store(&key).await;
    let config = EngineConfig {
        max_unreadable_answers: 3,
        ..quick()
    };
    // One write alone (its own request), then two together (a batch).
    enqueue(&local.store, &key, vec![new_customer(1)]).await;
    let junk_engine = engine(
        &local.store,
        &key,
        &junk,
        Arc::new(SystemClock),
        config.clone(),
    );
    let rounds = push_until_settled(&junk_engine, &local.store).await;
    assert_eq!(rounds, 3, "sent three times, then set aside");
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    enqueue(&local.store, &key, vec![new_customer(2), new_customer(3)]).await;
    push_until_settled(&junk_engine, &local.store).await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        6,
        "one batch request per round"
    );

    let status = outbox::status(local.store.read()).await.expect("status");
    assert_eq!((status.queued, status.attention), (0, 3));
    for item in items(&local.store).await {
        assert_eq!(item.state, OutboxState::Attention, "never taken as applied");
        assert_eq!(item.done_at, None);
        assert!(
            item.attention_reason
                .as_deref()
                .is_some_and(|r| r.contains("could not be read")),
            "{:?}",
            item.attention_reason
        );
    }

    // Nothing lost: resent once the core is sane again, each lands exactly once.
    let sandbox = super::sandbox(0).await;
    for item in items(&local.store).await {
        let mut tx = local.store.begin().await.expect("begin");
        outbox::resend(&mut tx, &Sealer::new(&key), item.id, None, Utc::now())
            .await
            .expect("resend");
        tx.commit().await.expect("commit");
    }
    let good = engine(
        &local.store,
        &key,
        &sandbox.url(),
        Arc::new(SystemClock),
        config,
    );
    push_until_settled(&good, &local.store).await;
    assert!(
        items(&local.store)
            .await
            .iter()
            .all(|i| i.state == OutboxState::Done)
    );
    for (key, n) in ledger_counts(&sandbox, &local.store).await {
        assert_eq!(n, 1, "{key}");
    }
}

#[tokio::test]
async fn the_wall_clock_going_back_an_hour_holds_nothing_back_and_loses_nothing() {
    let sandbox = super::sandbox(0).await;
    let key = DataKey::generate();
    let local = encrypted_store(&key).await;
    enqueue(&local.store, &key, (1..=3).map(new_customer).collect()).await;
    let clock = ManualClock::new(Utc::now());
    // The core is down: the three wait for their retry, due a few milliseconds from now.
    let down = engine(
        &local.store,
        &key,
        "http://127.0.0.1:9",
        Arc::new(clock.clone()),
        quick(),
    );
    let report = down.push_once().await.expect("push");
    assert_eq!(report.retrying, 3);

    // The clock is set back an hour (a wrong time corrected by hand, a time-zone slip).
    clock.advance(chrono::Duration::hours(-1));
    let sealer = Sealer::new(&key);
    let mut tx = local.store.begin().await.expect("begin");
    outbox::enqueue(&mut tx, &sealer, new_customer(4), clock.now(), None)
        .await
        .expect("enqueue");
    tx.commit().await.expect("commit");

    let up = engine(
        &local.store,
        &key,
        &sandbox.url(),
        Arc::new(clock.clone()),
        quick(),
    );
    let report = up.push_once().await.expect("push");
    assert_eq!(report.sent, 4, "the retries are not held for an hour");
    assert_eq!(report.applied, 4);
    let status = outbox::status(local.store.read()).await.expect("status");
    assert_eq!((status.queued, status.failing, status.attention), (0, 0, 0));
    assert_eq!(status.last_error, None);
    for (key, n) in ledger_counts(&sandbox, &local.store).await {
        assert_eq!(n, 1, "{key}");
    }
}

#[tokio::test]
async fn a_full_disk_after_the_core_applied_keeps_every_operation_and_lands_each_once() {
    let sandbox = super::sandbox(0).await;
    let key = DataKey::generate();
    let local = encrypted_store(&key).await;
    enqueue(&local.store, &key, (1..=40).map(new_customer).collect()).await;
    // No room for one more page: the core applies the batch, the local commit cannot grow.
    let mut tx = local.store.begin().await.expect("begin");
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(&mut *tx)
        .await
        .expect("pages");
    sqlx::query(&format!("PRAGMA max_page_count = {pages}"))
        .execute(&mut *tx)
        .await
        .expect("cap");
    tx.commit().await.expect("commit");

    let engine = engine(
        &local.store,
        &key,
        &sandbox.url(),
        Arc::new(SystemClock),
        quick(),
    );
    let err = engine.push_once().await.expect_err("the disk is full");
    assert_eq!(err.code(), Code::DiskFull, "{err:?}");
    let status = outbox::status(local.store.read()).await.expect("status");
    assert_eq!(status.queued, 40, "every operation still queued");
    let applied_at_core = ledger_counts(&sandbox, &local.store)
        .await
        .iter()
        .filter(|(_, n)| *n == 1)
        .count();
    assert_eq!(applied_at_core, 40, "the core had applied them");

    // Space again: the same keys are sent, the core replays, nothing is applied twice.
    let mut tx = local.store.begin().await.expect("begin");
    sqlx::query("PRAGMA max_page_count = 1073741823")
        .execute(&mut *tx)
        .await
        .expect("uncap");
    tx.commit().await.expect("commit");
    push_until_settled(&engine, &local.store).await;
    assert!(
        items(&local.store)
            .await
            .iter()
            .all(|i| i.state == OutboxState::Done)
    );
    for (key, n) in ledger_counts(&sandbox, &local.store).await {
        assert_eq!(n, 1, "{key}");
    }
}
