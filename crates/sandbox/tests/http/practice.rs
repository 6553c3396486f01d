//! Practice payments (issue 13 item 5, contract 1.11.0): play money in a practice wallet per
//! holder, the payment password checked and counted as a real one (5 wrong in a row freeze),
//! the count of tries left in every refusal, a reversal once, and nothing of it in the
//! change feed, the reports or the health counts of real wallets.

use super::small_sandbox as sandbox;
use super::support::{assert_problem, get, post};
use reqwest::StatusCode;
use serde_json::{Value, json};
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

fn practice(holder: &str, amount: &str, password: &str) -> Value {
    json!({"holder": holder, "amount": amount, "counterparty": "张三",
        "paymentPassword": password})
}

async fn pay(sandbox: &RunningSandbox, key: &str, body: Value) -> (StatusCode, Value) {
    post(sandbox, "/v1/practice-payments", key, &body).await
}

#[tokio::test]
async fn a_wrong_practice_password_says_how_many_tries_remain() {
    let sandbox = sandbox().await;
    let wrong = pay(&sandbox, "w1", practice("elder-a", "1.00", "000000")).await;
    assert_problem(&wrong, 422, "practice-password-wrong");
    assert_eq!(wrong.1["triesRemaining"], 4, "{}", wrong.1);
    let again = pay(&sandbox, "w2", practice("elder-a", "1.00", "111111")).await;
    assert_eq!(again.1["triesRemaining"], 3, "{}", again.1);
    // The same request under the same key is the stored answer, not another try.
    let replay = pay(&sandbox, "w2", practice("elder-a", "1.00", "111111")).await;
    assert_eq!(replay, again);
    // The right password pays and starts the count afresh.
    let paid = pay(
        &sandbox,
        "p1",
        practice("elder-a", "1.50", v1::SANDBOX_PAYMENT_PASSWORD),
    )
    .await;
    assert_eq!(paid.0, StatusCode::CREATED, "{}", paid.1);
    assert_eq!(paid.1["practice"], true);
    assert_eq!(paid.1["amount"], "1.50");
    assert_eq!(paid.1["practiceBalance"], "998.50");
    let after = pay(&sandbox, "w3", practice("elder-a", "1.00", "000000")).await;
    assert_eq!(after.1["triesRemaining"], 4, "{}", after.1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_practice_wallet_freezes_after_5_wrong_passwords() {
    let sandbox = sandbox().await;
    for n in 1..=5 {
        let wrong = pay(
            &sandbox,
            &format!("f{n}"),
            practice("elder-b", "1.00", "000000"),
        )
        .await;
        assert_problem(&wrong, 422, "practice-password-wrong");
        assert_eq!(wrong.1["triesRemaining"], 5 - n, "{}", wrong.1);
    }
    // Frozen: even the right password is refused, truthfully, with no tries left.
    let frozen = pay(
        &sandbox,
        "f6",
        practice("elder-b", "1.00", v1::SANDBOX_PAYMENT_PASSWORD),
    )
    .await;
    assert_problem(&frozen, 409, "payments-frozen");
    assert_eq!(frozen.1["triesRemaining"], 0);
    // Another holder's practice wallet is its own.
    let other = pay(
        &sandbox,
        "g1",
        practice("elder-c", "1.00", v1::SANDBOX_PAYMENT_PASSWORD),
    )
    .await;
    assert_eq!(other.0, StatusCode::CREATED, "{}", other.1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_practice_payment_is_reversed_once_and_never_counted_as_real_money() {
    let sandbox = sandbox().await;
    let health_before = get(&sandbox, "/v1/health").await.1;
    let feed_before = get(&sandbox, "/v1/changes?limit=1000").await.1;
    let paid = pay(
        &sandbox,
        "r1",
        practice("elder-d", "20.00", v1::SANDBOX_PAYMENT_PASSWORD),
    )
    .await;
    assert_eq!(paid.0, StatusCode::CREATED, "{}", paid.1);
    let id = paid.1["id"].as_str().expect("id").to_owned();
    let path = format!("/v1/practice-payments/{id}/reversal");
    let reversed = post(&sandbox, &path, "rv1", &json!({})).await;
    assert_eq!(reversed.0, StatusCode::OK, "{}", reversed.1);
    assert_eq!(reversed.1["practiceBalance"], "1000.00");
    assert!(reversed.1["reversedAt"].is_string());
    // The outbox's retry under the same key is the stored answer: reversed once.
    assert_eq!(post(&sandbox, &path, "rv1", &json!({})).await, reversed);
    // Another key cannot reverse it again.
    let twice = post(&sandbox, &path, "rv2", &json!({})).await;
    assert_problem(&twice, 409, "practice-payment-reversed");
    let missing = post(
        &sandbox,
        "/v1/practice-payments/999/reversal",
        "rv3",
        &json!({}),
    )
    .await;
    assert_problem(&missing, 404, "not-found");
    // Play money is not real money: no transaction, no wallet, no change-feed entry.
    assert_eq!(get(&sandbox, "/v1/health").await.1, health_before);
    let feed_after = get(&sandbox, "/v1/changes?limit=1000").await.1;
    assert_eq!(
        feed_after["changes"].as_array().map(Vec::len),
        feed_before["changes"].as_array().map(Vec::len)
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_practice_payment_refuses_more_than_the_play_money_and_a_bad_holder() {
    let sandbox = sandbox().await;
    let over = pay(
        &sandbox,
        "o1",
        practice("elder-e", "1000.01", v1::SANDBOX_PAYMENT_PASSWORD),
    )
    .await;
    assert_problem(&over, 422, "insufficient-funds");
    let bad = pay(
        &sandbox,
        "o2",
        practice("../x", "1.00", v1::SANDBOX_PAYMENT_PASSWORD),
    )
    .await;
    assert_problem(&bad, 422, "validation-failed");
    sandbox.shutdown().await;
}
