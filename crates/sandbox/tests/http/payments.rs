//! Practice payments under the tier limits, wrong payment passwords, and the transaction
//! history they leave.

use super::small_sandbox as sandbox;
use super::support::{assert_problem, customer, exec, feed_entry, get, post};
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

const ADULT: &str = "110105198001011238";

/// A fresh tier 4 wallet (limits: cap 10,000; one payment 2,000; day 5,000; year 50,000).
async fn tier4_wallet(sandbox: &RunningSandbox) -> String {
    let id = customer(sandbox, "c", ADULT, "13800138000").await;
    let (status, wallet) = post(
        sandbox,
        "/v1/wallets",
        "w",
        &json!({"customerId": id, "tier": 4}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{wallet}");
    wallet["id"].as_str().expect("id").to_owned()
}

fn pay_out(wallet: &str, amount: &str) -> Value {
    json!({"walletId": wallet, "amount": amount, "direction": "out", "counterparty": "社区便利店",
        "memo": "日用品", "paymentPassword": v1::SANDBOX_PAYMENT_PASSWORD})
}

fn top_up(wallet: &str, amount: &str) -> Value {
    json!({"walletId": wallet, "amount": amount, "direction": "in", "counterparty": "本人银行卡"})
}

async fn pay(sandbox: &RunningSandbox, key: &str, body: Value) -> (StatusCode, Value) {
    post(sandbox, "/v1/payments", key, &body).await
}

async fn wallet(sandbox: &RunningSandbox, id: &str) -> v1::Wallet {
    serde_json::from_value(get(sandbox, &format!("/v1/wallets/{id}")).await.1).expect("wallet")
}

#[tokio::test]
async fn payments_move_the_balance_once_and_leave_history() {
    let sandbox = sandbox().await;
    let id = tier4_wallet(&sandbox).await;
    let topped = pay(&sandbox, "p1", top_up(&id, "1000")).await;
    assert_eq!(topped.0, StatusCode::CREATED, "{}", topped.1);
    assert_eq!(topped.1["amount"], "1000.00");
    assert_eq!(topped.1["balanceAfter"], "1000.00");
    let paid = pay(&sandbox, "p2", pay_out(&id, "123.45")).await;
    assert_eq!(paid.0, StatusCode::CREATED, "{}", paid.1);
    assert_eq!(paid.1["balanceAfter"], "876.55");
    // A retry of the same payment is the stored answer, not a second payment.
    let replay = pay(&sandbox, "p2", pay_out(&id, "123.45")).await;
    assert_eq!(replay, paid);

    let read = wallet(&sandbox, &id).await;
    assert_eq!(read.balance, "876.55");
    assert_eq!(read.usage.today, "123.45");
    let transaction_id = paid.1["id"].as_str().expect("id");
    let one = get(&sandbox, &format!("/v1/transactions/{transaction_id}")).await;
    assert_eq!(one.0, StatusCode::OK);
    assert_eq!(one.1["amount"], "123.45");
    assert_eq!(one.1["direction"], "out");
    assert!(one.1.get("balanceAfter").is_none());
    assert_problem(
        &get(&sandbox, "/v1/transactions/999999").await,
        404,
        "not-found",
    );
    let change = feed_entry(&sandbox, "transaction", transaction_id)
        .await
        .expect("in the feed");
    assert_eq!(change.data["amount"], "123.45");
    let wallet_change = feed_entry(&sandbox, "wallet", &id)
        .await
        .expect("wallet in the feed");
    assert_eq!(wallet_change.data["balance"], "876.55");
    let health: v1::Health =
        serde_json::from_value(get(&sandbox, "/v1/health").await.1).expect("health");
    assert_eq!(
        health.transactions,
        sandbox
            .store()
            .recount()
            .await
            .expect("counts")
            .transactions
    );

    // History: newest first, one per page here.
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let page: v1::TransactionPage = serde_json::from_value(
            get(
                &sandbox,
                &format!("/v1/wallets/{id}/transactions?limit=1&after={after}"),
            )
            .await
            .1,
        )
        .expect("page");
        seen.extend(page.transactions.iter().map(|t| t.id.clone()));
        match page.next_cursor {
            Some(next) => after = next,
            None => break,
        }
    }
    assert_eq!(
        seen,
        [
            transaction_id.to_owned(),
            topped.1["id"].as_str().expect("id").to_owned()
        ]
    );
    for bad in ["limit=0", "limit=201", "after=nope"] {
        assert_problem(
            &get(&sandbox, &format!("/v1/wallets/{id}/transactions?{bad}")).await,
            400,
            "invalid-query",
        );
    }
    assert_problem(
        &get(&sandbox, "/v1/wallets/0098999999999999/transactions").await,
        404,
        "not-found",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_tier_limits_refuse_with_their_own_types() {
    let sandbox = sandbox().await;
    let id = tier4_wallet(&sandbox).await;
    assert_problem(
        &pay(&sandbox, "f", pay_out(&id, "1")).await,
        422,
        "insufficient-funds",
    );
    assert_eq!(
        pay(&sandbox, "t1", top_up(&id, "10000")).await.0,
        StatusCode::CREATED
    );
    assert_problem(
        &pay(&sandbox, "t2", top_up(&id, "0.01")).await,
        422,
        "limit-balance-cap",
    );
    assert_problem(
        &pay(&sandbox, "o1", pay_out(&id, "2000.01")).await,
        422,
        "limit-one-payment",
    );
    assert_eq!(
        pay(&sandbox, "o2", pay_out(&id, "2000")).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        pay(&sandbox, "o3", pay_out(&id, "2000")).await.0,
        StatusCode::CREATED
    );
    let daily = pay(&sandbox, "o4", pay_out(&id, "1000.01")).await;
    assert_problem(&daily, 422, "limit-daily");
    assert_eq!(
        daily.1["detail"],
        "today's payments would be 5000.01; the limit is 5000.00"
    );
    assert_eq!(
        pay(&sandbox, "o5", pay_out(&id, "1000")).await.0,
        StatusCode::CREATED
    );
    // Refusals moved nothing.
    assert_eq!(wallet(&sandbox, &id).await.balance, "5000.00");

    // 49,000 paid out at the first second of this China year leaves 1,000 for the year.
    let china_now = Utc::now() + Duration::hours(8);
    let new_year_day = china_now.format("%m-%d").to_string() == "01-01";
    if !new_year_day {
        let year: i32 = china_now.format("%Y").to_string().parse().expect("year");
        let other = customer(&sandbox, "c2", "440305199006154563", "13900139000").await;
        let (_, second) = post(
            &sandbox,
            "/v1/wallets",
            "w2",
            &json!({"customerId": other, "tier": 4}),
        )
        .await;
        let second = second["id"].as_str().expect("id").to_owned();
        exec(
            &sandbox,
            &format!(
                "INSERT INTO transactions (wallet_id, at, amount_fen, direction, counterparty, \
                 memo) VALUES ('{second}', '{}-12-31T16:00:00Z', 4900000, 'out', 'x', 'x'); \
                 UPDATE wallets SET balance_fen = 500000 WHERE id = '{second}'",
                year - 1
            ),
        )
        .await;
        assert_problem(
            &pay(&sandbox, "y1", pay_out(&second, "1000.01")).await,
            422,
            "limit-yearly",
        );
        assert_eq!(
            pay(&sandbox, "y2", pay_out(&second, "1000")).await.0,
            StatusCode::CREATED
        );
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn frozen_and_closed_wallets_move_nothing() {
    let sandbox = sandbox().await;
    let id = tier4_wallet(&sandbox).await;
    pay(&sandbox, "t", top_up(&id, "100")).await;
    post(
        &sandbox,
        &format!("/v1/wallets/{id}/freeze"),
        "f",
        &json!({"reason": "挂失"}),
    )
    .await;
    assert_problem(
        &pay(&sandbox, "p1", pay_out(&id, "1")).await,
        409,
        "wallet-frozen",
    );
    assert_problem(
        &pay(&sandbox, "p2", top_up(&id, "1")).await,
        409,
        "wallet-frozen",
    );
    exec(
        &sandbox,
        &format!("UPDATE wallets SET status = 'closed' WHERE id = '{id}'"),
    )
    .await;
    assert_problem(
        &pay(&sandbox, "p3", pay_out(&id, "1")).await,
        409,
        "wallet-closed",
    );
    assert_problem(
        &pay(&sandbox, "p4", pay_out("0098999999999999", "1")).await,
        404,
        "not-found",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn five_wrong_passwords_in_a_row_freeze_payments() {
    let sandbox = sandbox().await;
    let id = tier4_wallet(&sandbox).await;
    pay(&sandbox, "t", top_up(&id, "100")).await;
    let wrong = |n: u32| {
        let mut body = pay_out(&id, "1");
        body["paymentPassword"] = json!(format!("wrong-{n}"));
        body
    };
    // A right password in between resets the count.
    for n in 0..4 {
        assert_problem(
            &pay(&sandbox, &format!("a{n}"), wrong(n)).await,
            422,
            "payment-password-wrong",
        );
    }
    assert_eq!(
        pay(&sandbox, "right", pay_out(&id, "1")).await.0,
        StatusCode::CREATED
    );
    for n in 0..4 {
        let answer = pay(&sandbox, &format!("b{n}"), wrong(n)).await;
        assert_problem(&answer, 422, "payment-password-wrong");
        assert_eq!(
            answer.1["detail"],
            format!("wrong payment password; {} more freeze payments", 4 - n)
        );
    }
    assert!(!wallet(&sandbox, &id).await.payments_frozen);
    let fifth = pay(&sandbox, "b4", wrong(4)).await;
    assert_problem(&fifth, 422, "payment-password-wrong");
    assert!(wallet(&sandbox, &id).await.payments_frozen);
    let change = feed_entry(&sandbox, "wallet", &id).await.expect("feed");
    assert_eq!(
        change.data["status"], "active",
        "the wallet itself is not frozen"
    );
    assert_eq!(change.data["paymentsFrozen"], true);
    // Now even the right password is refused; top-ups still arrive.
    assert_problem(
        &pay(&sandbox, "c1", pay_out(&id, "1")).await,
        409,
        "payments-frozen",
    );
    assert_eq!(
        pay(&sandbox, "c2", top_up(&id, "1")).await.0,
        StatusCode::CREATED
    );
    // Staff unfreeze the wallet, which lifts the payment freeze.
    let thawed = post(
        &sandbox,
        &format!("/v1/wallets/{id}/unfreeze"),
        "u",
        &json!({"reason": "本人核实"}),
    )
    .await;
    assert_eq!(thawed.0, StatusCode::OK);
    assert_eq!(thawed.1["paymentsFrozen"], false);
    assert_eq!(
        pay(&sandbox, "c3", pay_out(&id, "1")).await.0,
        StatusCode::CREATED
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn malformed_payments_are_refused() {
    let sandbox = sandbox().await;
    let id = tier4_wallet(&sandbox).await;
    for (n, amount) in ["0", "-1", "1.234", "abc", "1e3", ""].iter().enumerate() {
        assert_problem(
            &pay(&sandbox, &format!("m{n}"), pay_out(&id, amount)).await,
            422,
            "validation-failed",
        );
    }
    let mut sideways = pay_out(&id, "1");
    sideways["direction"] = json!("sideways");
    assert_problem(
        &pay(&sandbox, "d", sideways).await,
        422,
        "validation-failed",
    );
    let mut nobody = pay_out(&id, "1");
    nobody["counterparty"] = json!(" ");
    assert_problem(&pay(&sandbox, "n", nobody).await, 422, "validation-failed");
    assert_problem(
        &pay(
            &sandbox,
            "x",
            json!({"walletId": id, "amount": 1, "direction": "in", "counterparty": "x"}),
        )
        .await,
        400,
        "invalid-body",
    );
    sandbox.shutdown().await;
}
