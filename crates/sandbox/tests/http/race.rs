//! The same write sent many times at once under one Idempotency-Key, on the store a real
//! sandbox keeps: a file in WAL mode behind a pool of several connections, so the requests
//! truly run side by side and meet only in SQLite's write lock.

use reqwest::StatusCode;
use serde_json::{Value, json};
use walletdesk_corebank::v1;
use walletdesk_sandbox::SandboxConfig;

const PARALLEL: usize = 32;

/// One request's answer: status, whether it was a replay, and the body.
async fn send(url: String, path: &str, key: &str, body: &Value) -> (StatusCode, bool, Value) {
    let response = crate::http()
        .post(format!("{url}{path}"))
        .header(v1::IDEMPOTENCY_KEY_HEADER, key)
        .json(body)
        .send()
        .await
        .expect("request");
    let status = response.status();
    let replayed = response
        .headers()
        .contains_key(v1::IDEMPOTENCY_REPLAYED_HEADER);
    (status, replayed, response.json().await.expect("json"))
}

async fn race(
    url: &str,
    path: &'static str,
    key: &'static str,
    body: Value,
) -> Vec<(StatusCode, bool, Value)> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..PARALLEL {
        let (url, body) = (url.to_owned(), body.clone());
        tasks.spawn(async move { send(url, path, key, &body).await });
    }
    tasks.join_all().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_requests_with_one_key_apply_once_and_answer_alike() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = walletdesk_sandbox::start(SandboxConfig {
        customers: 3,
        db_path: Some(dir.path().join("sandbox.db")),
        ..crate::config()
    })
    .await
    .expect("sandbox starts");
    let url = sandbox.url();

    let created = race(
        &url,
        "/v1/customers",
        "race-customer",
        json!({"name": "赛跑", "residentId": "11010519491231002X", "mobile": "13800138000"}),
    )
    .await;
    let customer = created[0].2["id"].as_str().expect("id").to_owned();
    let wallet = send(
        url.clone(),
        "/v1/wallets",
        "race-wallet",
        &json!({"customerId": customer, "tier": 4}),
    )
    .await;
    assert_eq!(wallet.0, StatusCode::CREATED, "{}", wallet.2);
    let wallet = wallet.2["id"].as_str().expect("wallet").to_owned();
    // A payment changes a balance: a second application would show in the money, too.
    let paid = race(
        &url,
        "/v1/payments",
        "race-payment",
        json!({"walletId": wallet, "amount": "10.00", "direction": "in",
            "counterparty": "本人银行卡"}),
    )
    .await;

    for (answers, created_status) in [
        (&created, StatusCode::CREATED),
        (&paid, StatusCode::CREATED),
    ] {
        assert_eq!(answers.len(), PARALLEL);
        let first = &answers[0];
        for answer in answers.iter() {
            assert_eq!(answer.0, created_status, "{}", answer.2);
            assert_eq!(answer.2, first.2, "every answer is the same answer");
        }
        let fresh = answers.iter().filter(|a| !a.1).count();
        assert_eq!(fresh, 1, "one request ran, the others were replays");
    }
    let times: Vec<(String, i64)> = sqlx::query_as(
        "SELECT idempotency_key, times FROM applications \
         WHERE idempotency_key IN ('race-customer', 'race-payment') ORDER BY idempotency_key",
    )
    .fetch_all(sandbox.store().pool())
    .await
    .expect("ledger");
    assert_eq!(
        times,
        [
            ("race-customer".to_owned(), 1),
            ("race-payment".to_owned(), 1)
        ]
    );
    let (customers, balance): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM customers WHERE mobile = '13800138000'), \
         (SELECT balance_fen FROM wallets WHERE id = ?)",
    )
    .bind(&wallet)
    .fetch_one(sandbox.store().pool())
    .await
    .expect("effects");
    assert_eq!((customers, balance), (1, 1_000));
    sandbox.shutdown().await;
}
