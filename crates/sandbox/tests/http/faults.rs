//! Fault injection, each kind on its own at rate 1000 (always), so the tests are exact.

use super::small_sandbox as sandbox;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

async fn set_faults(sandbox: &RunningSandbox, faults: Value) -> reqwest::Response {
    crate::http()
        .post(format!("{}/v1/admin/faults", sandbox.url()))
        .json(&faults)
        .send()
        .await
        .expect("admin request")
}

async fn configure(sandbox: &RunningSandbox, faults: Value) {
    let response = set_faults(sandbox, faults).await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn health(sandbox: &RunningSandbox) -> Result<(StatusCode, Vec<u8>), reqwest::Error> {
    let response = crate::get_url(format!("{}/v1/health", sandbox.url())).await?;
    let status = response.status();
    Ok((status, response.bytes().await?.to_vec()))
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let sandbox = sandbox().await;
    // Long enough that the undelayed admin call below cannot reach it even on a loaded
    // machine running debug builds.
    configure(&sandbox, json!({"latencyMs": 1000})).await;
    let started = Instant::now();
    let (status, _) = health(&sandbox).await.expect("health");
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(1000));
    // The admin endpoint is never delayed or failed, so faults can always be turned off.
    let started = Instant::now();
    configure(&sandbox, json!({})).await;
    assert!(started.elapsed() < Duration::from_millis(1000));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn errors_are_500_or_503_problems_and_apply_nothing() {
    let sandbox = sandbox().await;
    configure(&sandbox, json!({"errorRate": 1000})).await;
    for _ in 0..6 {
        let (status, body) = health(&sandbox).await.expect("answer");
        assert!(
            status == StatusCode::INTERNAL_SERVER_ERROR
                || status == StatusCode::SERVICE_UNAVAILABLE,
            "{status}"
        );
        let problem: v1::Problem = serde_json::from_slice(&body).expect("problem");
        assert_eq!(problem.kind, v1::problem_types::INJECTED_FAULT);
    }
    let write = crate::http()
        .post(format!("{}/v1/customers", sandbox.url()))
        .header(v1::IDEMPOTENCY_KEY_HEADER, "e")
        .json(&json!({"name": "赵六", "residentId": "11010519491231002X", "mobile": "13800138000"}))
        .send()
        .await
        .expect("answer");
    assert!(write.status().is_server_error());
    assert_eq!(sandbox.store().counts().await.expect("counts").customers, 5);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn drops_close_the_connection_without_an_answer() {
    let sandbox = sandbox().await;
    configure(&sandbox, json!({"dropRate": 1000})).await;
    let err = health(&sandbox).await.expect_err("dropped");
    assert!(!err.is_status(), "{err:?}");
    // The contract client sees a retryable transport failure.
    let client_err = crate::client(&sandbox.url())
        .health()
        .await
        .expect_err("dropped");
    assert!(client_err.is_retryable(), "{client_err:?}");
    configure(&sandbox, json!({"dropRate": 0})).await;
    assert_eq!(health(&sandbox).await.expect("served").0, StatusCode::OK);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn apply_then_timeout_applies_and_the_retry_gets_the_stored_answer() {
    let sandbox = sandbox().await;
    configure(
        &sandbox,
        json!({"applyThenTimeoutRate": 1000, "stallMs": 1500}),
    )
    .await;
    let request =
        json!({"name": "赵六", "residentId": "11010519491231002X", "mobile": "13800138000"});
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    let err = impatient
        .post(format!("{}/v1/customers", sandbox.url()))
        .bearer_auth(crate::TOKEN)
        .header(v1::IDEMPOTENCY_KEY_HEADER, "lost-answer")
        .json(&request)
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
    // Applied even though the client never heard back (the write may still be finishing if
    // the machine is slow, so wait for it rather than race it).
    let deadline = Instant::now() + Duration::from_secs(10);
    while sandbox.store().counts().await.expect("counts").customers != 6 {
        assert!(Instant::now() < deadline, "the write was never applied");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    configure(&sandbox, json!({})).await;
    let retry = crate::http()
        .post(format!("{}/v1/customers", sandbox.url()))
        .header(v1::IDEMPOTENCY_KEY_HEADER, "lost-answer")
        .json(&request)
        .send()
        .await
        .expect("retry");
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(
        retry
            .headers()
            .get(v1::IDEMPOTENCY_REPLAYED_HEADER)
            .and_then(|v| v.to_str().ok()),
        Some("true")
    );
    let customer: v1::Customer = retry.json().await.expect("customer");
    assert_eq!(customer.id, "6");
    assert_eq!(sandbox.store().counts().await.expect("counts").customers, 6);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_admin_endpoint_checks_and_reports_the_faults() {
    let sandbox = sandbox().await;
    let set = set_faults(
        &sandbox,
        json!({"latencyMs": 5, "errorRate": 100, "dropRate": 50, "applyThenTimeoutRate": 25}),
    )
    .await;
    assert_eq!(set.status(), StatusCode::OK);
    let active: v1::Faults = crate::get_url(format!("{}/v1/admin/faults", sandbox.url()))
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(
        active,
        v1::Faults {
            latency_ms: 5,
            error_rate: 100,
            drop_rate: 50,
            apply_then_timeout_rate: 25,
            stall_ms: 0,
            duplicate_rate: 0,
        }
    );
    for bad in [
        json!({"errorRate": 1001}),
        json!({"errorRate": 600, "dropRate": 401}),
        json!({"duplicateRate": 1001}),
        json!({"duplicateRate": 600, "errorRate": 401}),
    ] {
        assert_eq!(
            set_faults(&sandbox, bad).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    for bad in [json!({"errorRate": 0.1}), json!({"errorRatio": 1})] {
        assert_eq!(
            set_faults(&sandbox, bad).await.status(),
            StatusCode::BAD_REQUEST
        );
    }
    // Refused configurations leave the active one in place.
    let still: v1::Faults = crate::get_url(format!("{}/v1/admin/faults", sandbox.url()))
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(still, active);
    sandbox.shutdown().await;
}

/// A write delivered twice at once is applied once: the ledger (applied_operations, the
/// balance, the stats) shows one application whichever answer the client got, and the
/// client's retry with the same key gets the stored answer.
#[tokio::test]
async fn a_write_delivered_twice_is_applied_once() {
    use super::support::{count, post};
    let sandbox = sandbox().await;
    let (status, customer) = post(
        &sandbox,
        "/v1/customers",
        "setup",
        &json!({"name": "王小明", "residentId": "110105198001011238", "mobile": "13800138000"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, wallet) = post(
        &sandbox,
        "/v1/wallets",
        "setup-w",
        &json!({"customerId": customer["id"], "tier": 4}),
    )
    .await;
    let wallet = wallet["id"].as_str().expect("wallet").to_owned();
    configure(&sandbox, json!({"duplicateRate": 1000})).await;

    let mut answers = Vec::new();
    let mut answered_by_the_duplicate = 0;
    for n in 0..6 {
        let key = format!("dup-{n}");
        let body = json!({"walletId": wallet, "amount": "10", "direction": "in",
            "counterparty": "本人银行卡"});
        // The first answer is either the delivery that ran or the one that found the key
        // taken (in flight, or replayed); over several writes both are seen.
        let first = crate::http()
            .post(format!("{}/v1/payments", sandbox.url()))
            .header(v1::IDEMPOTENCY_KEY_HEADER, &key)
            .json(&body)
            .send()
            .await
            .expect("request");
        if first.status() == StatusCode::CONFLICT
            || first
                .headers()
                .contains_key(v1::IDEMPOTENCY_REPLAYED_HEADER)
        {
            answered_by_the_duplicate += 1;
        }
        // Retry as a client does on the in-flight 409, with the same key.
        let mut attempt = 0;
        let answer = loop {
            let answer = post(&sandbox, "/v1/payments", &key, &body).await;
            if answer.0 != StatusCode::CONFLICT || attempt == 50 {
                break answer;
            }
            attempt += 1;
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert_eq!(answer.0, StatusCode::CREATED, "{}", answer.1);
        answers.push(answer.1);
    }
    configure(&sandbox, json!({})).await;
    assert!(
        answered_by_the_duplicate > 0,
        "every answer came from the delivery that ran: no duplicate seen"
    );
    let read: v1::Wallet = crate::get_url(format!("{}/v1/wallets/{wallet}", sandbox.url()))
        .await
        .expect("get")
        .json()
        .await
        .expect("wallet");
    assert_eq!(
        read.balance, "60.00",
        "six top-ups of 10, each applied once"
    );
    assert_eq!(
        count(
            &sandbox,
            "SELECT COUNT(*) FROM applied_operations WHERE idempotency_key LIKE 'dup-%'"
        )
        .await,
        6
    );
    assert_eq!(
        count(
            &sandbox,
            &format!("SELECT COUNT(*) FROM transactions WHERE wallet_id = '{wallet}'")
        )
        .await,
        6
    );
    let counts = sandbox.store().recount().await.expect("recount");
    assert_eq!(sandbox.store().counts().await.expect("counts"), counts);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_request_marked_unfaulted_stands_for_another_consoles_working_network() {
    let sandbox = sandbox().await;
    configure(&sandbox, json!({"dropRate": 1000})).await;
    health(&sandbox)
        .await
        .expect_err("this console's network is down");
    let other = crate::http()
        .get(format!("{}/v1/health", sandbox.url()))
        .header(walletdesk_sandbox::faults::UNFAULTED_HEADER, "1")
        .send()
        .await
        .expect("another console's request is served");
    assert_eq!(other.status(), StatusCode::OK);
    sandbox.shutdown().await;
}
