//! Disputed transactions: evidence, provisional credit, decision, reversal, chargeback.

use super::small_sandbox as sandbox;
use super::support::{assert_problem, customer, exec, feed_entry, get, post};
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

const ADULT: &str = "110105198001011238";

/// A tier 4 wallet holding 500.00 after paying 120.00 out; answers the wallet and the
/// payment's transaction id.
async fn paid(sandbox: &RunningSandbox) -> (String, String) {
    let id = customer(sandbox, "c", ADULT, "13800138000").await;
    let (_, wallet) = post(
        sandbox,
        "/v1/wallets",
        "w",
        &json!({"customerId": id, "tier": 4}),
    )
    .await;
    let wallet = wallet["id"].as_str().expect("id").to_owned();
    let top_up = json!({"walletId": wallet, "amount": "620", "direction": "in",
        "counterparty": "本人银行卡"});
    assert_eq!(
        post(sandbox, "/v1/payments", "t", &top_up).await.0,
        StatusCode::CREATED
    );
    let payment = json!({"walletId": wallet, "amount": "120", "direction": "out",
        "counterparty": "某商户", "paymentPassword": v1::SANDBOX_PAYMENT_PASSWORD});
    let (status, paid) = post(sandbox, "/v1/payments", "p", &payment).await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    (wallet, paid["id"].as_str().expect("id").to_owned())
}

async fn balance(sandbox: &RunningSandbox, wallet: &str) -> String {
    get(sandbox, &format!("/v1/wallets/{wallet}")).await.1["balance"]
        .as_str()
        .expect("balance")
        .to_owned()
}

async fn open(sandbox: &RunningSandbox, key: &str, transaction: &str) -> (StatusCode, Value) {
    post(
        sandbox,
        "/v1/disputes",
        key,
        &json!({"transactionId": transaction, "reason": "unauthorised"}),
    )
    .await
}

#[tokio::test]
async fn provisional_credit_then_decided_for_the_bank_and_reversed() {
    let sandbox = sandbox().await;
    let (wallet, payment) = paid(&sandbox).await;
    let (status, dispute) = open(&sandbox, "d", &payment).await;
    assert_eq!(status, StatusCode::CREATED, "{dispute}");
    let dispute: v1::Dispute = serde_json::from_value(dispute).expect("dispute");
    assert_eq!(dispute.status, "open");
    assert_eq!(dispute.amount, "120.00");
    assert_eq!(dispute.wallet_id, wallet);
    let base = format!("/v1/disputes/{}", dispute.id);

    let with_evidence = post(
        &sandbox,
        &format!("{base}/evidence"),
        "e",
        &json!({"kind": "statement", "description": "客户称未授权"}),
    )
    .await;
    assert_eq!(with_evidence.0, StatusCode::CREATED);
    assert_eq!(with_evidence.1["evidence"][0]["kind"], "statement");

    let credited = post(
        &sandbox,
        &format!("{base}/provisional-credit"),
        "pc",
        &json!({}),
    )
    .await;
    assert_eq!(credited.0, StatusCode::OK, "{}", credited.1);
    assert!(credited.1["provisionalCreditId"].is_string());
    assert_eq!(balance(&sandbox, &wallet).await, "620.00");
    assert_problem(
        &post(
            &sandbox,
            &format!("{base}/provisional-credit"),
            "pc2",
            &json!({}),
        )
        .await,
        409,
        "provisional-credit-given",
    );
    assert_problem(
        &post(&sandbox, &format!("{base}/reverse"), "r0", &json!({})).await,
        409,
        "nothing-to-reverse",
    );

    let decided = post(
        &sandbox,
        &format!("{base}/decision"),
        "dd",
        &json!({"inFavourOf": "bank", "findings": "本人设备本人密码"}),
    )
    .await;
    assert_eq!(decided.0, StatusCode::OK);
    assert_eq!(decided.1["status"], "decided-bank");
    assert_eq!(
        balance(&sandbox, &wallet).await,
        "620.00",
        "the credit stands until reversed"
    );
    assert_problem(
        &post(
            &sandbox,
            &format!("{base}/evidence"),
            "e2",
            &json!({"kind": "x", "description": "y"}),
        )
        .await,
        409,
        "dispute-decided",
    );
    assert_problem(
        &post(
            &sandbox,
            &format!("{base}/decision"),
            "dd2",
            &json!({"inFavourOf": "customer", "findings": "x"}),
        )
        .await,
        409,
        "dispute-decided",
    );

    let reversed = post(&sandbox, &format!("{base}/reverse"), "r", &json!({})).await;
    assert_eq!(reversed.0, StatusCode::OK, "{}", reversed.1);
    assert_eq!(reversed.1["status"], "reversed");
    assert_eq!(balance(&sandbox, &wallet).await, "500.00");
    // The reversal is a correction, not a payment: only the 120.00 paid uses today's limit.
    let usage = get(&sandbox, &format!("/v1/wallets/{wallet}")).await.1["usage"]["today"].clone();
    assert_eq!(usage, "120.00");
    assert_problem(
        &post(&sandbox, &format!("{base}/reverse"), "r2", &json!({})).await,
        409,
        "nothing-to-reverse",
    );
    let read = get(&sandbox, &base).await;
    assert_eq!(read.1, reversed.1);
    let change = feed_entry(&sandbox, "dispute", &dispute.id)
        .await
        .expect("in the feed");
    assert_eq!(change.data["status"], "reversed");
    // Every movement is a transaction: payment, provisional credit, reversal (and the top-up).
    let page: v1::TransactionPage = serde_json::from_value(
        get(&sandbox, &format!("/v1/wallets/{wallet}/transactions"))
            .await
            .1,
    )
    .expect("page");
    assert_eq!(page.transactions.len(), 4);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_decision_for_the_customer_credits_once() {
    let sandbox = sandbox().await;
    let (wallet, payment) = paid(&sandbox).await;
    let (_, dispute) = open(&sandbox, "d", &payment).await;
    let base = format!("/v1/disputes/{}", dispute["id"].as_str().expect("id"));
    let decided = post(
        &sandbox,
        &format!("{base}/decision"),
        "dd",
        &json!({"inFavourOf": "customer", "findings": "商户重复扣款"}),
    )
    .await;
    assert_eq!(decided.0, StatusCode::OK);
    assert_eq!(decided.1["status"], "decided-customer");
    assert!(decided.1["creditId"].is_string());
    assert_eq!(balance(&sandbox, &wallet).await, "620.00");
    assert_problem(
        &post(
            &sandbox,
            &format!("{base}/decision"),
            "bad",
            &json!({"inFavourOf": "nobody", "findings": "x"}),
        )
        .await,
        409,
        "dispute-decided",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_provisional_credit_already_spent_cannot_be_reversed() {
    let sandbox = sandbox().await;
    let (wallet, payment) = paid(&sandbox).await;
    let (_, dispute) = open(&sandbox, "d", &payment).await;
    let base = format!("/v1/disputes/{}", dispute["id"].as_str().expect("id"));
    post(
        &sandbox,
        &format!("{base}/provisional-credit"),
        "pc",
        &json!({}),
    )
    .await;
    exec(
        &sandbox,
        &format!("UPDATE wallets SET balance_fen = 100 WHERE id = '{wallet}'"),
    )
    .await;
    post(
        &sandbox,
        &format!("{base}/decision"),
        "dd",
        &json!({"inFavourOf": "bank", "findings": "x"}),
    )
    .await;
    assert_problem(
        &post(&sandbox, &format!("{base}/reverse"), "r", &json!({})).await,
        422,
        "insufficient-funds",
    );
    assert_eq!(balance(&sandbox, &wallet).await, "1.00");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn opening_refusals_and_chargeback_windows() {
    let sandbox = sandbox().await;
    let (wallet, payment) = paid(&sandbox).await;
    assert_eq!(open(&sandbox, "d1", &payment).await.0, StatusCode::CREATED);
    assert_problem(&open(&sandbox, "d2", &payment).await, 409, "dispute-exists");
    assert_problem(&open(&sandbox, "d3", "999999").await, 404, "not-found");
    let top_up = get(&sandbox, &format!("/v1/wallets/{wallet}/transactions"))
        .await
        .1["transactions"][1]["id"]
        .as_str()
        .expect("top-up id")
        .to_owned();
    assert_problem(
        &open(&sandbox, "d4", &top_up).await,
        422,
        "validation-failed",
    );

    // Payments 100 and 130 days old.
    let ago = |days: i64| {
        (Utc::now() - Duration::days(days))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    exec(
        &sandbox,
        &format!(
            "INSERT INTO transactions (id, wallet_id, at, amount_fen, direction, counterparty, memo) \
             VALUES (800001, '{wallet}', '{}', 100, 'out', 'x', 'x'), \
             (800002, '{wallet}', '{}', 100, 'out', 'x', 'x'), \
             (800003, '{wallet}', '{}', 100, 'out', 'x', 'x')",
            ago(100),
            ago(100),
            ago(130)
        ),
    )
    .await;
    let mut ids = Vec::new();
    for (key, transaction) in [("o1", "800001"), ("o2", "800002"), ("o3", "800003")] {
        let (status, dispute) = open(&sandbox, key, transaction).await;
        assert_eq!(status, StatusCode::CREATED);
        ids.push(dispute["id"].as_str().expect("id").to_owned());
    }
    let chargeback = |id: &str, code: &str, key: &str| {
        let sandbox = &sandbox;
        let path = format!("/v1/disputes/{id}/chargeback");
        let body = json!({"reasonCode": code});
        let key = key.to_owned();
        async move { post(sandbox, &path, &key, &body).await }
    };
    let filed = chargeback(&ids[0], "4837", "c1").await;
    assert_eq!(filed.0, StatusCode::OK, "{}", filed.1);
    assert_eq!(filed.1["chargebackReasonCode"], "4837");
    assert_problem(
        &chargeback(&ids[0], "4837", "c2").await,
        409,
        "chargeback-filed",
    );
    assert_problem(
        &chargeback(&ids[1], "duplicate", "c3").await,
        422,
        "chargeback-window-closed",
    );
    assert_problem(
        &chargeback(&ids[2], "4837", "c4").await,
        422,
        "chargeback-window-closed",
    );
    sandbox.shutdown().await;
}
