//! One-time codes, identity checks and screening.

use super::small_sandbox as sandbox;
use super::support::{assert_problem, customer, exec, post};
use reqwest::StatusCode;
use serde_json::json;
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

async fn send_code(sandbox: &RunningSandbox, key: &str) -> v1::OtpChallenge {
    let (status, body) = post(
        sandbox,
        "/v1/otp",
        key,
        &json!({"mobile": "+86 138 0013 8000", "purpose": "open-wallet"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    serde_json::from_value(body).expect("challenge")
}

#[tokio::test]
async fn a_code_verifies_once() {
    let sandbox = sandbox().await;
    let challenge = send_code(&sandbox, "s1").await;
    assert_eq!(challenge.masked_mobile, "138****8000");
    let code = challenge
        .training_code
        .clone()
        .expect("sandbox returns the code");
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    // Only a hash is stored.
    let stored: String = sqlx::query_scalar("SELECT code_sha256 FROM otp_challenges")
        .fetch_one(sandbox.store().pool())
        .await
        .expect("stored");
    assert_ne!(stored, code);

    let body = json!({"challengeId": challenge.challenge_id, "code": code});
    let (status, verified) = post(&sandbox, "/v1/otp/verify", "v1", &body).await;
    assert_eq!(status, StatusCode::OK, "{verified}");
    assert_eq!(verified["maskedMobile"], "138****8000");
    // The same request again is a replay; a new request with the same code is refused.
    let (status, replay) = post(&sandbox, "/v1/otp/verify", "v1", &body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replay, verified);
    assert_problem(
        &post(&sandbox, "/v1/otp/verify", "v2", &body).await,
        422,
        "otp-already-used",
    );
    assert_problem(
        &post(
            &sandbox,
            "/v1/otp/verify",
            "v3",
            &json!({"challengeId": "42", "code": "000000"}),
        )
        .await,
        404,
        "not-found",
    );
    assert_problem(
        &post(&sandbox, "/v1/otp", "s2", &json!({"mobile": "12345"})).await,
        422,
        "validation-failed",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn five_wrong_codes_use_the_code_up() {
    let sandbox = sandbox().await;
    let challenge = send_code(&sandbox, "s").await;
    let code = challenge.training_code.clone().expect("code");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for attempt in 1..=5 {
        let answer = post(
            &sandbox,
            "/v1/otp/verify",
            &format!("w{attempt}"),
            &json!({"challengeId": challenge.challenge_id, "code": wrong}),
        )
        .await;
        assert_problem(&answer, 422, "otp-wrong-code");
        assert_eq!(
            answer.1["detail"],
            format!("wrong code; {} attempts left", 5 - attempt)
        );
    }
    // Even the right code is refused now.
    assert_problem(
        &post(
            &sandbox,
            "/v1/otp/verify",
            "right",
            &json!({"challengeId": challenge.challenge_id, "code": code}),
        )
        .await,
        422,
        "otp-attempts-exhausted",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let sandbox = sandbox().await;
    let challenge = send_code(&sandbox, "s").await;
    exec(
        &sandbox,
        "UPDATE otp_challenges SET expires_at = '2020-01-01T00:00:00Z'",
    )
    .await;
    assert_problem(
        &post(
            &sandbox,
            "/v1/otp/verify",
            "late",
            &json!({"challengeId": challenge.challenge_id,
                "code": challenge.training_code}),
        )
        .await,
        422,
        "otp-expired",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn identity_checks_match_names_to_ids() {
    let sandbox = sandbox().await;
    customer(&sandbox, "c", "110105198001011238", "13800138000").await;
    let check = |key: &'static str, name: &'static str, id: &'static str| {
        let sandbox = &sandbox;
        async move {
            let answer = post(
                sandbox,
                "/v1/identity-checks",
                key,
                &json!({"name": name, "residentId": id}),
            )
            .await;
            assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
            answer.1["result"].as_str().expect("result").to_owned()
        }
    };
    assert_eq!(check("i1", "测试客户", "110105198001011238").await, "match");
    assert_eq!(check("i2", "别人", "110105198001011238").await, "mismatch");
    // Not a customer: matches unless its sequence is the sandbox's 998.
    assert_eq!(check("i3", "张三", "11010519491231002X").await, "match");
    assert_eq!(check("i4", "张三", "11010519900101998X").await, "mismatch");
    assert_problem(
        &post(
            &sandbox,
            "/v1/identity-checks",
            "i5",
            &json!({"name": "张三", "residentId": "110105194912310021"}),
        )
        .await,
        422,
        "validation-failed",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn screening_hits_are_deterministic_and_kept() {
    let sandbox = sandbox().await;
    let screen = |key: &'static str, body: serde_json::Value| {
        let sandbox = &sandbox;
        async move {
            let answer = post(sandbox, "/v1/screenings", key, &body).await;
            assert_eq!(answer.0, StatusCode::CREATED, "{}", answer.1);
            serde_json::from_value::<v1::Screening>(answer.1).expect("screening")
        }
    };
    let clear = screen("s1", json!({"name": "王小明"})).await;
    assert_eq!(clear.result, "clear");
    assert_eq!(clear.reason, None);
    let hit = screen("s2", json!({"name": "watchlist test"})).await;
    assert_eq!(hit.result, "hit");
    assert!(hit.reason.expect("reason").contains("sanctions"));
    let by_id = screen(
        "s3",
        json!({"name": "王小明", "residentId": "110105199001019998"}),
    )
    .await;
    assert_eq!(by_id.result, "hit");

    let id = customer(&sandbox, "c", "110105199001019998", "13800138000").await;
    let customer_hit = screen("s4", json!({"customerId": id})).await;
    assert_eq!(customer_hit.result, "hit");
    assert_eq!(customer_hit.customer_id, Some(id.clone()));
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM screenings WHERE result = 'hit'")
        .fetch_one(sandbox.store().pool())
        .await
        .expect("count");
    assert_eq!(kept, 3);

    for (key, body) in [
        ("r1", json!({})),
        ("r2", json!({"customerId": id, "name": "x"})),
        ("r3", json!({"name": "x", "residentId": "123"})),
    ] {
        assert_problem(
            &post(&sandbox, "/v1/screenings", key, &body).await,
            422,
            "validation-failed",
        );
    }
    assert_problem(
        &post(
            &sandbox,
            "/v1/screenings",
            "r4",
            &json!({"customerId": "ext:nope"}),
        )
        .await,
        404,
        "not-found",
    );
    sandbox.shutdown().await;
}
