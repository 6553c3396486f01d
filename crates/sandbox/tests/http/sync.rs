//! The change feed and the batch endpoint: what a console's sync engine relies on.

use super::small_sandbox as sandbox;
use serde_json::{Value, json};
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

async fn changes(sandbox: &RunningSandbox, after: Option<&str>, limit: u32) -> v1::ChangePage {
    let mut url = format!("{}/v1/changes?limit={limit}", sandbox.url());
    if let Some(after) = after {
        url.push_str(&format!("&after={after}"));
    }
    let response = crate::get_url(url).await.expect("request");
    assert_eq!(response.status(), 200);
    response.json().await.expect("change page")
}

async fn batch(sandbox: &RunningSandbox, items: Value) -> reqwest::Response {
    crate::http()
        .post(format!("{}/v1/batch", sandbox.url()))
        .json(&json!({ "items": items }))
        .send()
        .await
        .expect("request")
}

fn new_customer(key: &str, resident_id: &str, mobile: &str) -> Value {
    json!({
        "idempotencyKey": key, "method": "POST", "path": "/v1/customers",
        "body": {"name": "李四", "residentId": resident_id, "mobile": mobile}
    })
}

#[tokio::test]
async fn the_feed_pages_every_seeded_entity_once_in_order() {
    let sandbox = sandbox().await;
    let counts = sandbox.store().recount().await.expect("counts");
    let mut after: Option<String> = None;
    let mut seen = Vec::new();
    loop {
        let page = changes(&sandbox, after.as_deref(), 3).await;
        assert!(page.changes.len() <= 3);
        seen.extend(page.changes.iter().cloned());
        after = Some(page.next_cursor.clone());
        if !page.more {
            break;
        }
    }
    let customers: Vec<_> = seen.iter().filter(|c| c.kind == "customer").collect();
    let wallets: Vec<_> = seen.iter().filter(|c| c.kind == "wallet").collect();
    assert_eq!(customers.len() as u64, counts.customers);
    assert_eq!(wallets.len() as u64, counts.wallets);
    // And the knowledge base's training starter set (seeded with the demo data), 5 topics in
    // Chinese and English.
    let articles: Vec<_> = seen.iter().filter(|c| c.kind == "article").collect();
    assert_eq!(articles.len(), 10);
    // And the demo fee schedule (issue 14 item 8): 4 lines for every tier, 1 more for 1 and 2.
    let fees: Vec<_> = seen.iter().filter(|c| c.kind == "fee").collect();
    assert_eq!(fees.len(), 18);
    assert_eq!(
        seen.len(),
        customers.len() + wallets.len() + articles.len() + fees.len()
    );
    // Cursors strictly increase, and customers come before their wallets.
    let cursors: Vec<i64> = seen
        .iter()
        .map(|c| c.cursor.parse().expect("seq"))
        .collect();
    assert!(cursors.windows(2).all(|w| w[0] < w[1]), "{cursors:?}");
    let record: v1::CustomerRecord =
        serde_json::from_value(customers[0].data.clone()).expect("customer record");
    assert_eq!(record.id, customers[0].id);
    assert!(record.masked_resident_id.contains("********"));
    assert_eq!(record.mobile.len(), 11);
    let wallet: v1::WalletRecord =
        serde_json::from_value(wallets[0].data.clone()).expect("wallet record");
    assert!((1..=4).contains(&wallet.tier));
    assert!(wallet.balance.contains('.'), "money is a decimal string");

    // At the end, the cursor stays put and nothing more comes.
    let end = changes(&sandbox, after.as_deref(), 100).await;
    assert!(end.changes.is_empty());
    assert!(!end.more);
    assert_eq!(Some(end.next_cursor), after);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_bad_cursor_or_limit_is_a_problem() {
    let sandbox = sandbox().await;
    for query in ["after=abc", "after=-1", "limit=0", "limit=1001"] {
        let response = crate::get_url(format!("{}/v1/changes?{query}", sandbox.url()))
            .await
            .expect("request");
        assert_eq!(response.status(), 400, "{query}");
        let problem: v1::Problem = response.json().await.expect("problem");
        assert!(problem.kind.ends_with("invalid-query"), "{query}");
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_batch_runs_each_item_as_if_alone_and_replays_by_key() {
    let sandbox = sandbox().await;
    let start = changes(&sandbox, None, 1000).await.next_cursor;
    let items = json!([
        new_customer("b-1", "11010519491231002X", "13900000001"),
        // Same ID again under another key: refused as a duplicate, final.
        new_customer("b-2", "11010519491231002X", "13900000002"),
        // A malformed ID: refused by validation.
        new_customer("b-3", "110105194912310021", "13900000003"),
        new_customer("b-4", "440524198001010013", "13900000004"),
    ]);
    let response = batch(&sandbox, items.clone()).await;
    assert_eq!(response.status(), 200);
    let first: v1::BatchResults = response.json().await.expect("results");
    let statuses: Vec<u16> = first.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [201, 409, 422, 201]);
    assert!(first.results.iter().all(|r| !r.replayed));
    assert_eq!(first.results[0].idempotency_key, "b-1");
    assert_eq!(first.results[0].body["name"], "李四");

    // The same batch again: every item is the stored answer, nothing applied twice.
    let again: v1::BatchResults = batch(&sandbox, items).await.json().await.expect("results");
    assert!(again.results.iter().all(|r| r.replayed));
    assert_eq!(
        again.results.iter().map(|r| r.status).collect::<Vec<_>>(),
        statuses
    );
    assert_eq!(again.results[0].body, first.results[0].body);
    let applied: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM applied_operations WHERE idempotency_key IN ('b-1','b-4')",
    )
    .fetch_one(sandbox.store().pool())
    .await
    .expect("ledger");
    assert_eq!(applied, 2);

    // Both new customers are in the feed after the cursor, and nothing else is.
    let page = changes(&sandbox, Some(&start), 100).await;
    let ids: Vec<&str> = page.changes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            first.results[0].body["id"].as_str().expect("id"),
            first.results[3].body["id"].as_str().expect("id")
        ]
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_malformed_batch_runs_nothing() {
    let sandbox = sandbox().await;
    let bad_item =
        json!({"idempotencyKey": "x-2", "method": "GET", "path": "/v1/health", "body": {}});
    let admin =
        json!({"idempotencyKey": "x-3", "method": "POST", "path": "/v1/admin/faults", "body": {}});
    for items in [
        json!([]),
        json!([
            new_customer("x-1", "11010519491231002X", "13900000001"),
            bad_item
        ]),
        json!([admin]),
    ] {
        let response = batch(&sandbox, items.clone()).await;
        assert_eq!(response.status(), 422, "{items}");
    }
    let too_many: Vec<Value> = (0..=v1::BATCH_MAX_ITEMS)
        .map(|i| new_customer(&format!("m-{i}"), "11010519491231002X", "13900000001"))
        .collect();
    assert_eq!(batch(&sandbox, Value::from(too_many)).await.status(), 422);
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applied_operations")
        .fetch_one(sandbox.store().pool())
        .await
        .expect("ledger");
    assert_eq!(applied, 0);
    sandbox.shutdown().await;
}

/// Posts one write alone, as a console does outside a batch.
async fn alone(sandbox: &RunningSandbox, item: &Value) -> (u16, bool, Value) {
    let response = crate::http()
        .post(format!(
            "{}{}",
            sandbox.url(),
            item["path"].as_str().expect("path")
        ))
        .header(
            v1::IDEMPOTENCY_KEY_HEADER,
            item["idempotencyKey"].as_str().expect("key"),
        )
        .json(&item["body"])
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let replayed = response
        .headers()
        .get(v1::IDEMPOTENCY_REPLAYED_HEADER)
        .is_some_and(|v| v == "true");
    (status, replayed, response.json().await.expect("json"))
}

async fn count(sandbox: &RunningSandbox, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(sandbox.store().pool())
        .await
        .expect("count")
}

/// Plants a key as a first request that is still running (or crashed) leaves it.
async fn plant_in_flight(sandbox: &RunningSandbox, item: &Value, claimed_at: &str) {
    let fingerprint = walletdesk_sandbox::idempotency::fingerprint(
        &reqwest::Method::POST,
        item["path"].as_str().expect("path"),
        &item["body"],
    );
    sqlx::query(
        "INSERT INTO idempotency_keys (key, request_sha256, state, created_at, claimed_at) \
         VALUES (?, ?, 'in_flight', ?, ?)",
    )
    .bind(item["idempotencyKey"].as_str().expect("key"))
    .bind(fingerprint)
    .bind(claimed_at)
    .bind(claimed_at)
    .execute(sandbox.store().pool())
    .await
    .expect("plant key");
}

/// The stored-key rules inside one batch: a key seen earlier in the same batch is replayed,
/// a reused key is 422, a key still in flight is 409 (retryable), an abandoned one is taken
/// over; and every answer is the one the same request alone gets.
#[tokio::test]
async fn inside_a_batch_every_key_rule_holds_as_for_a_request_alone() {
    let sandbox = sandbox().await;
    let first = new_customer("k-1", "11010519491231002X", "13900000001");
    let running = new_customer("k-running", "440524198001010013", "13900000002");
    let crashed = new_customer("k-crashed", "110105200001010016", "13900000003");
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    plant_in_flight(&sandbox, &running, &now).await;
    plant_in_flight(&sandbox, &crashed, "2020-01-01T00:00:00Z").await;
    let items = json!([
        first,
        // The same key and request again, later in the same batch.
        first,
        // The same key with another request.
        new_customer("k-1", "11010519491231002X", "13900000009"),
        running,
        crashed,
    ]);
    let results: v1::BatchResults = batch(&sandbox, items).await.json().await.expect("results");
    let got: Vec<(u16, bool)> = results
        .results
        .iter()
        .map(|r| (r.status, r.replayed))
        .collect();
    assert_eq!(
        got,
        [
            (201, false),
            (201, true),
            (422, false),
            (409, false),
            (201, false)
        ]
    );
    assert_eq!(results.results[1].body, results.results[0].body);
    let kind = |i: usize| results.results[i].body["type"].as_str().unwrap_or_default();
    assert_eq!(kind(2), v1::problem_types::IDEMPOTENCY_KEY_REUSED);
    assert_eq!(kind(3), v1::problem_types::IDEMPOTENCY_KEY_IN_FLIGHT);

    // Alone, each key now gets exactly what the batch answered, replayed.
    for (index, item) in [(0, &first), (4, &crashed)] {
        let (status, replayed, body) = alone(&sandbox, item).await;
        assert_eq!(status, results.results[index].status);
        assert!(replayed);
        assert_eq!(body, results.results[index].body);
    }
    assert_eq!(
        count(&sandbox, "SELECT COUNT(*) FROM applied_operations").await,
        2
    );
    assert_eq!(
        count(
            &sandbox,
            "SELECT COUNT(*) FROM idempotency_keys WHERE state = 'in_flight'"
        )
        .await,
        1,
        "the running key is left to its owner"
    );
    sandbox.shutdown().await;
}

/// A refusal in the middle of a batch undoes only that item: the items around it stand, with
/// their feed rows and counts, and the refusal is stored as the key's answer.
#[tokio::test]
async fn a_refused_item_undoes_only_itself_and_keeps_the_books_straight() {
    let sandbox = sandbox().await;
    let start = changes(&sandbox, None, 1000).await.next_cursor;
    let before = sandbox.store().counts().await.expect("counts");
    let items = json!([
        new_customer("r-1", "11010519491231002X", "13900000001"),
        // Same mobile as r-1: refused after validation, when the insert hits the unique index.
        new_customer("r-2", "440524198001010013", "13900000001"),
        new_customer("r-3", "110105200001010016", "13900000003"),
    ]);
    let results: v1::BatchResults = batch(&sandbox, items.clone())
        .await
        .json()
        .await
        .expect("results");
    let statuses: Vec<u16> = results.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [201, 409, 201]);

    // Alone, the refused request gets the same refusal, replayed.
    let (status, replayed, body) = alone(&sandbox, &items[1]).await;
    assert_eq!((status, replayed), (409, true));
    assert_eq!(body, results.results[1].body);

    let after = sandbox.store().counts().await.expect("counts");
    assert_eq!(after.customers, before.customers + 2);
    assert_eq!(after, sandbox.store().recount().await.expect("recount"));
    let page = changes(&sandbox, Some(&start), 100).await;
    let ids: Vec<&str> = page.changes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            results.results[0].body["id"].as_str().expect("id"),
            results.results[2].body["id"].as_str().expect("id")
        ]
    );
    assert_eq!(
        count(&sandbox, "SELECT COUNT(*) FROM applied_operations").await,
        2
    );
    sandbox.shutdown().await;
}

/// The same batch delivered twice at once (a retransmitting network): each item applied once,
/// and both deliveries answer every item alike.
#[tokio::test]
async fn a_batch_delivered_twice_at_once_applies_once() {
    let sandbox = sandbox().await;
    let items = json!([
        new_customer("d-1", "11010519491231002X", "13900000001"),
        new_customer("d-2", "440524198001010013", "13900000002"),
    ]);
    let (a, b) = tokio::join!(batch(&sandbox, items.clone()), batch(&sandbox, items));
    let a: v1::BatchResults = a.json().await.expect("results");
    let b: v1::BatchResults = b.json().await.expect("results");
    for (x, y) in a.results.iter().zip(&b.results) {
        assert_eq!((x.status, &x.body), (y.status, &y.body));
        assert_eq!(x.status, 201);
        assert!(
            x.replayed != y.replayed,
            "one ran it, the other got it replayed"
        );
    }
    assert_eq!(
        count(&sandbox, "SELECT COUNT(*) FROM applied_operations").await,
        2
    );
    sandbox.shutdown().await;
}
