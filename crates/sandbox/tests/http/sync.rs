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
    assert_eq!(seen.len(), customers.len() + wallets.len());
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
