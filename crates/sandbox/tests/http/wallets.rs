//! Wallets: tiers and their rules, limits as versioned data, freezing, usage.

use super::small_sandbox as sandbox;
use super::support::{assert_problem, customer, exec, feed_entry, get, post};
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

/// Born 1980: an adult.
const ADULT: &str = "110105198001011238";
/// Born 2015: under 16.
const MINOR: &str = "110105201501010017";
const EXT: &str = "0b6a4f6e-9f55-4a8e-b0a2-3d7c1e2f9a10";
/// A Luhn-valid card number.
const CARD: &str = "6222021234561236";

async fn open(sandbox: &RunningSandbox, key: &str, body: Value) -> (StatusCode, Value) {
    post(sandbox, "/v1/wallets", key, &body).await
}

async fn opened(sandbox: &RunningSandbox, key: &str, body: Value) -> v1::Wallet {
    let (status, body) = open(sandbox, key, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    serde_json::from_value(body).expect("wallet")
}

/// China's date `days` from today, as `YYYY-MM-DD`.
fn china_date(days: i64) -> String {
    (Utc::now() + Duration::hours(8) + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn a_wallet_opens_at_its_tier_with_the_default_schemes_limits() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    let wallet = opened(&sandbox, "w", json!({"customerId": id, "tier": 3})).await;
    assert_eq!(wallet.id.len(), 16);
    assert!(wallet.id.starts_with("0098"), "{}", wallet.id);
    assert_eq!(wallet.customer_id, id);
    assert_eq!(wallet.tier, 3);
    assert_eq!(wallet.operator_bank, v1::DEFAULT_OPERATOR_BANK);
    assert_eq!(wallet.balance, "0.00");
    assert_eq!(wallet.status, "active");
    assert_eq!(
        wallet.limits,
        v1::WalletLimits {
            operator_bank: "central-bank-scheme".into(),
            effective_from: "2020-01-01".into(),
            applied_tier: 3,
            balance_cap: Some("20000.00".into()),
            one_payment: Some("5000.00".into()),
            per_day: Some("10000.00".into()),
            per_year: None,
            lowered_because: None,
        }
    );
    assert_eq!(wallet.usage.today, "0.00");
    assert_eq!(wallet.usage.this_year, "0.00");

    let read = get(&sandbox, &format!("/v1/wallets/{}", wallet.id)).await;
    assert_eq!(read.0, StatusCode::OK);
    assert_eq!(
        serde_json::from_value::<v1::Wallet>(read.1).expect("wallet"),
        wallet
    );
    for missing in ["0098000000000000", "x", "00980000000000111"] {
        assert_problem(
            &get(&sandbox, &format!("/v1/wallets/{missing}")).await,
            404,
            "not-found",
        );
    }

    let change = feed_entry(&sandbox, "wallet", &wallet.id)
        .await
        .expect("in the feed");
    let record: v1::WalletRecord = serde_json::from_value(change.data).expect("record");
    assert_eq!(record.tier, 3);
    assert_eq!(record.operator_bank.as_deref(), Some("central-bank-scheme"));
    let health: v1::Health =
        serde_json::from_value(get(&sandbox, "/v1/health").await.1).expect("health");
    let counts = sandbox.store().recount().await.expect("counts");
    assert_eq!(health.wallets, counts.wallets);

    // A second wallet gets the next number.
    let second = opened(&sandbox, "w2", json!({"customerId": id, "tier": 4})).await;
    assert_ne!(second.id, wallet.id);
    assert_eq!(wallet.limits.per_year, None);
    assert_eq!(second.limits.per_year.as_deref(), Some("50000.00"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn tier_rules_refuse_with_their_own_problem_types() {
    let sandbox = sandbox().await;
    let adult = customer(&sandbox, "c1", ADULT, "13800138000").await;
    let minor = customer(&sandbox, "c2", MINOR, "13900139000").await;

    assert_problem(
        &open(&sandbox, "m3", json!({"customerId": minor, "tier": 3})).await,
        422,
        "tier-age-restricted",
    );
    assert_problem(
        &open(
            &sandbox,
            "m1",
            json!({"customerId": minor, "tier": 1, "inPerson": true, "idVerifiedBy": "T001"}),
        )
        .await,
        422,
        "tier-age-restricted",
    );
    assert_eq!(
        opened(&sandbox, "m4", json!({"customerId": minor, "tier": 4}))
            .await
            .tier,
        4
    );

    let card = json!({"number": CARD});
    for (key, body) in [
        (
            "a1",
            json!({"customerId": adult, "tier": 1, "bankCard": card}),
        ),
        (
            "a2",
            json!({"customerId": adult, "tier": 1, "inPerson": true, "bankCard": card}),
        ),
        (
            "a3",
            json!({"customerId": adult, "tier": 1, "inPerson": true, "idVerifiedBy": "  ",
                "bankCard": card}),
        ),
        (
            "a4",
            json!({"customerId": adult, "tier": 1, "idVerifiedBy": "T001", "bankCard": card}),
        ),
    ] {
        assert_problem(
            &open(&sandbox, key, body).await,
            422,
            "tier-needs-in-person",
        );
    }
    // Tiers 1 and 2 need the customer's own bank card, linked with the wallet.
    for (key, tier) in [("n1", 1), ("n2", 2)] {
        assert_problem(
            &open(
                &sandbox,
                key,
                json!({"customerId": adult, "tier": tier, "inPerson": true, "idVerifiedBy": "T001"}),
            )
            .await,
            422,
            "tier-needs-bank-card",
        );
    }
    assert_problem(
        &open(
            &sandbox,
            "n3",
            json!({"customerId": adult, "tier": 2, "bankCard": {"number": "6222021234561237"}}),
        )
        .await,
        422,
        "card-number-invalid",
    );
    let tier1 = opened(
        &sandbox,
        "a5",
        json!({"customerId": adult, "tier": 1, "inPerson": true, "idVerifiedBy": "T001",
            "bankCard": {"number": CARD, "bankName": "示例银行"}}),
    )
    .await;
    let cards: v1::CardList = serde_json::from_value(
        get(&sandbox, &format!("/v1/wallets/{}/cards", tier1.id))
            .await
            .1,
    )
    .expect("cards");
    assert_eq!(cards.cards.len(), 1);
    assert_eq!(cards.cards[0].masked_number, "6222 **** **** 1236");
    assert_eq!(tier1.limits.balance_cap, None);
    assert_eq!(tier1.limits.one_payment, None);
    let verified_by: Option<String> =
        sqlx::query_scalar("SELECT in_person_verified_by FROM wallets WHERE id = ?")
            .bind(&tier1.id)
            .fetch_one(sandbox.store().pool())
            .await
            .expect("verifier");
    assert_eq!(verified_by.as_deref(), Some("T001"));

    assert_problem(
        &open(
            &sandbox,
            "b1",
            json!({"customerId": adult, "tier": 4, "operatorBank": "nobody"}),
        )
        .await,
        422,
        "unknown-operator-bank",
    );
    assert_problem(
        &open(&sandbox, "b2", json!({"customerId": "999", "tier": 4})).await,
        404,
        "not-found",
    );
    assert_problem(
        &open(&sandbox, "b3", json!({"customerId": adult, "tier": 5})).await,
        422,
        "validation-failed",
    );
    assert_problem(
        &open(
            &sandbox,
            "b4",
            json!({"customerId": adult, "tier": 4, "colour": "red"}),
        )
        .await,
        400,
        "invalid-body",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_expired_id_blocks_verified_tiers_and_after_90_days_lowers_limits() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    let wallet = opened(
        &sandbox,
        "w",
        json!({"customerId": id, "tier": 2, "bankCard": {"number": CARD}}),
    )
    .await;
    let set_expiry = |days: i64| {
        format!(
            "UPDATE customers SET id_expires_on = '{}' WHERE id = {id}",
            china_date(days)
        )
    };

    // Expired 90 days ago: still within the grace period.
    exec(&sandbox, &set_expiry(-90)).await;
    let read: v1::Wallet =
        serde_json::from_value(get(&sandbox, &format!("/v1/wallets/{}", wallet.id)).await.1)
            .expect("wallet");
    assert_eq!(read.limits.applied_tier, 2);
    assert_eq!(read.limits.lowered_because, None);
    // But no verified tier is opened on an expired ID.
    assert_problem(
        &open(&sandbox, "w3", json!({"customerId": id, "tier": 3})).await,
        422,
        "resident-id-expired",
    );
    assert_eq!(
        opened(&sandbox, "w4", json!({"customerId": id, "tier": 4}))
            .await
            .tier,
        4
    );

    exec(&sandbox, &set_expiry(-91)).await;
    let read: v1::Wallet =
        serde_json::from_value(get(&sandbox, &format!("/v1/wallets/{}", wallet.id)).await.1)
            .expect("wallet");
    assert_eq!(read.tier, 2, "the tier stays; only the limits drop");
    assert_eq!(read.limits.applied_tier, 4);
    assert_eq!(
        read.limits.lowered_because.as_deref(),
        Some("resident-id-expired")
    );
    assert_eq!(read.limits.balance_cap.as_deref(), Some("10000.00"));

    // Renewed (through the contract): the tier's own limits again.
    let renewed = super::support::send(
        &sandbox,
        reqwest::Method::PATCH,
        &format!("/v1/customers/{id}"),
        "renew",
        &json!({"idExpiresOn": china_date(3650)}),
    )
    .await;
    assert_eq!(renewed.0, StatusCode::OK);
    let read: v1::Wallet =
        serde_json::from_value(get(&sandbox, &format!("/v1/wallets/{}", wallet.id)).await.1)
            .expect("wallet");
    assert_eq!(read.limits.applied_tier, 2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn limits_are_per_operator_bank_and_versioned_by_date() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    let wallet = opened(
        &sandbox,
        "w",
        json!({"customerId": id, "tier": 2, "operatorBank": "pilot-bank-2020",
            "bankCard": {"number": CARD}}),
    )
    .await;
    assert_eq!(wallet.operator_bank, "pilot-bank-2020");
    assert_eq!(wallet.limits.effective_from, "2020-04-01");
    assert_eq!(wallet.limits.balance_cap.as_deref(), Some("10000.00"));
    assert_eq!(wallet.limits.one_payment.as_deref(), Some("5000.00"));
    assert_eq!(wallet.limits.per_day.as_deref(), Some("10000.00"));
    assert_eq!(wallet.limits.per_year.as_deref(), Some("300000.00"));

    // A new version in force from today replaces it; one from tomorrow does not yet.
    let path = format!("/v1/wallets/{}", wallet.id);
    for (n, from, cap) in [
        (10, china_date(0), 1_500_000),
        (11, china_date(1), 9_900_000),
    ] {
        exec(
            &sandbox,
            &format!(
                "INSERT INTO limit_schemes (id, operator_bank, effective_from) \
                 VALUES ({n}, 'pilot-bank-2020', '{from}'); \
                 INSERT INTO tier_limits SELECT {n}, tier, balance_cap_fen, one_payment_fen, \
                 per_day_fen, per_year_fen FROM tier_limits WHERE scheme_id = 2; \
                 UPDATE tier_limits SET balance_cap_fen = {cap} WHERE scheme_id = {n} AND tier = 2"
            ),
        )
        .await;
    }
    let read: v1::Wallet = serde_json::from_value(get(&sandbox, &path).await.1).expect("wallet");
    assert_eq!(read.limits.effective_from, china_date(0));
    assert_eq!(read.limits.balance_cap.as_deref(), Some("15000.00"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn tier_changes_follow_the_rules_and_enter_the_feed() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    let wallet = opened(&sandbox, "w", json!({"customerId": id, "tier": 4})).await;
    let tier_path = format!("/v1/wallets/{}/tier", wallet.id);
    let before = feed_entry(&sandbox, "wallet", &wallet.id)
        .await
        .expect("opened");

    assert_problem(
        &post(&sandbox, &tier_path, "t2a", &json!({"tier": 2})).await,
        422,
        "tier-needs-bank-card",
    );
    let linked = post(
        &sandbox,
        &format!("/v1/wallets/{}/cards", wallet.id),
        "card",
        &json!({"number": CARD}),
    )
    .await;
    assert_eq!(linked.0, StatusCode::CREATED, "{}", linked.1);
    let up = post(&sandbox, &tier_path, "t2", &json!({"tier": 2})).await;
    assert_eq!(up.0, StatusCode::OK, "{}", up.1);
    assert_eq!(up.1["tier"], 2);
    assert_eq!(up.1["limits"]["balanceCap"], "500000.00");
    let after = feed_entry(&sandbox, "wallet", &wallet.id)
        .await
        .expect("changed");
    assert!(after.cursor.parse::<i64>().expect("seq") > before.cursor.parse::<i64>().expect("seq"));
    assert_eq!(after.data["tier"], 2);

    assert_problem(
        &post(&sandbox, &tier_path, "t1", &json!({"tier": 1})).await,
        422,
        "tier-needs-in-person",
    );
    let to_one = post(
        &sandbox,
        &tier_path,
        "t1b",
        &json!({"tier": 1, "inPerson": true, "idVerifiedBy": "T009"}),
    )
    .await;
    assert_eq!(to_one.0, StatusCode::OK, "{}", to_one.1);

    // 30,000 yuan is over tier 3's 20,000 cap: pay out before downgrading.
    exec(
        &sandbox,
        &format!(
            "UPDATE wallets SET balance_fen = 3000000 WHERE id = '{}'",
            wallet.id
        ),
    )
    .await;
    assert_problem(
        &post(&sandbox, &tier_path, "t3", &json!({"tier": 3})).await,
        422,
        "balance-over-tier-cap",
    );
    let to_two = post(&sandbox, &tier_path, "t2b", &json!({"tier": 2})).await;
    assert_eq!(to_two.0, StatusCode::OK);

    assert_problem(
        &post(
            &sandbox,
            "/v1/wallets/0098999999999999/tier",
            "t4",
            &json!({"tier": 3}),
        )
        .await,
        404,
        "not-found",
    );
    exec(
        &sandbox,
        &format!(
            "UPDATE wallets SET status = 'closed' WHERE id = '{}'",
            wallet.id
        ),
    )
    .await;
    assert_problem(
        &post(&sandbox, &tier_path, "t5", &json!({"tier": 3})).await,
        409,
        "wallet-closed",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_minors_wallet_cannot_be_upgraded() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", MINOR, "13800138000").await;
    let wallet = opened(&sandbox, "w", json!({"customerId": id, "tier": 4})).await;
    assert_problem(
        &post(
            &sandbox,
            &format!("/v1/wallets/{}/tier", wallet.id),
            "t",
            &json!({"tier": 3}),
        )
        .await,
        422,
        "tier-age-restricted",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn freezing_and_unfreezing() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    let wallet = opened(&sandbox, "w", json!({"customerId": id, "tier": 3})).await;
    let freeze = format!("/v1/wallets/{}/freeze", wallet.id);
    let unfreeze = format!("/v1/wallets/{}/unfreeze", wallet.id);

    let frozen = post(&sandbox, &freeze, "f1", &json!({"reason": "客户挂失"})).await;
    assert_eq!(frozen.0, StatusCode::OK, "{}", frozen.1);
    assert_eq!(frozen.1["status"], "frozen");
    let change = feed_entry(&sandbox, "wallet", &wallet.id)
        .await
        .expect("frozen");
    assert_eq!(change.data["status"], "frozen");

    // Freezing again changes nothing, so the feed does not move.
    let again = post(&sandbox, &freeze, "f2", &json!({"reason": "again"})).await;
    assert_eq!(again.0, StatusCode::OK);
    assert_eq!(again.1["status"], "frozen");
    let unchanged = feed_entry(&sandbox, "wallet", &wallet.id)
        .await
        .expect("still");
    assert_eq!(unchanged.cursor, change.cursor);

    let thawed = post(&sandbox, &unfreeze, "u1", &json!({"reason": "挂失解除"})).await;
    assert_eq!(thawed.0, StatusCode::OK);
    assert_eq!(thawed.1["status"], "active");

    assert_problem(
        &post(&sandbox, &freeze, "f3", &json!({"reason": " "})).await,
        422,
        "validation-failed",
    );
    assert_problem(
        &post(&sandbox, &freeze, "f4", &json!({})).await,
        400,
        "invalid-body",
    );
    assert_problem(
        &post(
            &sandbox,
            "/v1/wallets/0098999999999999/freeze",
            "f5",
            &json!({"reason": "x"}),
        )
        .await,
        404,
        "not-found",
    );
    exec(
        &sandbox,
        &format!(
            "UPDATE wallets SET status = 'closed' WHERE id = '{}'",
            wallet.id
        ),
    )
    .await;
    assert_problem(
        &post(&sandbox, &unfreeze, "u2", &json!({"reason": "x"})).await,
        409,
        "wallet-closed",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn usage_counts_payments_out_today_and_this_year() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    let wallet = opened(&sandbox, "w", json!({"customerId": id, "tier": 3})).await;
    let now = Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    // The first second of this China year, in UTC.
    let year = (Utc::now() + Duration::hours(8)).format("%Y").to_string();
    let year: i32 = year.parse().expect("year");
    let new_year = format!("{}-12-31T16:00:00Z", year - 1);
    let last_year = format!("{}-12-31T15:59:59Z", year - 1);
    for (at, fen, direction) in [
        (&now, 12_345, "out"),
        (&now, 99_999, "in"),
        (&new_year, 100_000, "out"),
        (&last_year, 700_000, "out"),
    ] {
        exec(
            &sandbox,
            &format!(
                "INSERT INTO transactions (wallet_id, at, amount_fen, direction, counterparty, memo) \
                 VALUES ('{}', '{at}', {fen}, '{direction}', '测试', '测试')",
                wallet.id
            ),
        )
        .await;
    }
    let read: v1::Wallet =
        serde_json::from_value(get(&sandbox, &format!("/v1/wallets/{}", wallet.id)).await.1)
            .expect("wallet");
    let today_is_new_year = now.as_str() >= new_year.as_str()
        && (Utc::now() + Duration::hours(8))
            .format("%m-%d")
            .to_string()
            == "01-01";
    assert_eq!(
        read.usage.today,
        if today_is_new_year {
            "1123.45"
        } else {
            "123.45"
        }
    );
    assert_eq!(read.usage.this_year, "1123.45");
    sandbox.shutdown().await;
}

/// What a console does after working offline: one batch that creates a customer under the UUID
/// it gave it and opens a wallet for `ext:<that UUID>`, before it has seen the core's id.
#[tokio::test]
async fn one_batch_creates_a_customer_and_opens_its_wallet_by_external_id() {
    let sandbox = sandbox().await;
    let items = json!({"items": [
        {"idempotencyKey": "offline-1", "method": "POST", "path": "/v1/customers",
         "body": {"name": "离线客户", "residentId": ADULT, "mobile": "13800138000",
                  "externalId": EXT}},
        {"idempotencyKey": "offline-2", "method": "POST", "path": "/v1/wallets",
         "body": {"customerId": format!("ext:{EXT}"), "tier": 3}},
    ]});
    let (status, body) = post(&sandbox, "/v1/batch", "unused", &items).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let results: v1::BatchResults = serde_json::from_value(body).expect("results");
    assert_eq!(results.results[0].status, 201, "{:?}", results.results[0]);
    assert_eq!(results.results[1].status, 201, "{:?}", results.results[1]);
    let customer_id = results.results[0].body["id"].clone();
    assert_eq!(results.results[1].body["customerId"], customer_id);
    assert_eq!(results.results[0].body["externalId"], EXT);

    // The console resends the queue (its answer was lost): both replayed, nothing doubled.
    let (_, body) = post(&sandbox, "/v1/batch", "unused", &items).await;
    let again: v1::BatchResults = serde_json::from_value(body).expect("results");
    assert!(again.results.iter().all(|r| r.replayed), "{again:?}");
    assert_eq!(again.results[1].body, results.results[1].body);
    let wallets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM wallets WHERE id LIKE '0098%'")
        .fetch_one(sandbox.store().pool())
        .await
        .expect("count");
    assert_eq!(wallets, 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_customers_wallets_and_the_limit_tables_are_readable() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    let first = opened(&sandbox, "w1", json!({"customerId": id, "tier": 4})).await;
    let second = opened(
        &sandbox,
        "w2",
        json!({"customerId": id, "tier": 2, "operatorBank": "pilot-bank-2020",
            "bankCard": {"number": CARD}}),
    )
    .await;
    let list: v1::WalletList = serde_json::from_value(
        get(&sandbox, &format!("/v1/customers/{id}/wallets"))
            .await
            .1,
    )
    .expect("wallets");
    assert_eq!(list.wallets, vec![first, second]);
    assert_problem(
        &get(&sandbox, "/v1/customers/999/wallets").await,
        404,
        "not-found",
    );

    let schemes: v1::LimitSchemeList =
        serde_json::from_value(get(&sandbox, "/v1/limit-schemes").await.1).expect("schemes");
    assert_eq!(schemes.schemes.len(), 2);
    let central = &schemes.schemes[0];
    assert_eq!(central.operator_bank, "central-bank-scheme");
    assert!(central.is_default);
    assert_eq!(central.tiers.len(), 4);
    assert_eq!(central.tiers[3].tier, 4);
    assert_eq!(central.tiers[3].per_year.as_deref(), Some("50000.00"));
    assert_eq!(central.tiers[0].balance_cap, None, "tier 1 has no cap");
    let pilot = &schemes.schemes[1];
    assert!(!pilot.is_default);
    assert_eq!(pilot.tiers[0].balance_cap.as_deref(), Some("500000.00"));
    sandbox.shutdown().await;
}
