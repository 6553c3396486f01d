//! Fault injection, each kind on its own at rate 1000 (always), so the tests are exact.

use super::small_sandbox as sandbox;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

async fn set_faults(sandbox: &RunningSandbox, faults: Value) -> reqwest::Response {
    reqwest::Client::new()
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
    let response = reqwest::get(format!("{}/v1/health", sandbox.url())).await?;
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
    let write = reqwest::Client::new()
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
    let client_err = walletdesk_corebank::Client::new(&sandbox.url(), None)
        .expect("client")
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
    let retry = reqwest::Client::new()
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
    let active: v1::Faults = reqwest::get(format!("{}/v1/admin/faults", sandbox.url()))
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
        }
    );
    for bad in [
        json!({"errorRate": 1001}),
        json!({"errorRate": 600, "dropRate": 401}),
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
    let still: v1::Faults = reqwest::get(format!("{}/v1/admin/faults", sandbox.url()))
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(still, active);
    sandbox.shutdown().await;
}
