//! Linked bank cards: Luhn-checked, kept and shown masked, unlinked; every change in the feed.

use super::small_sandbox as sandbox;
use super::support::{assert_problem, customer, exec, feed_entry, get, post};
use reqwest::StatusCode;
use serde_json::json;
use walletdesk_corebank::v1;

const ADULT: &str = "110105198001011238";
const CARD: &str = "6222021234561236";

#[tokio::test]
async fn a_card_is_linked_masked_and_unlinked() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    let (_, wallet) = post(
        &sandbox,
        "/v1/wallets",
        "w",
        &json!({"customerId": id, "tier": 4}),
    )
    .await;
    let wallet = wallet["id"].as_str().expect("wallet id").to_owned();
    let cards = format!("/v1/wallets/{wallet}/cards");

    let linked = post(
        &sandbox,
        &cards,
        "l1",
        &json!({"number": "6222 0212 3456 1236", "bankName": "示例银行"}),
    )
    .await;
    assert_eq!(linked.0, StatusCode::CREATED, "{}", linked.1);
    let card: v1::LinkedCard = serde_json::from_value(linked.1.clone()).expect("card");
    assert_eq!(card.masked_number, "6222 **** **** 1236");
    assert_eq!(card.status, "linked");
    assert_eq!(card.wallet_id, wallet);
    // The full number is nowhere: not in the answer, not in the store.
    assert!(!linked.1.to_string().contains(CARD));
    let stored: String = sqlx::query_scalar("SELECT masked_number || number_sha256 FROM cards")
        .fetch_one(sandbox.store().pool())
        .await
        .expect("stored");
    assert!(!stored.contains(CARD));
    let change = feed_entry(&sandbox, "card", &card.id)
        .await
        .expect("in the feed");
    assert_eq!(change.data["maskedNumber"], "6222 **** **** 1236");

    assert_problem(
        &post(&sandbox, &cards, "l2", &json!({"number": CARD})).await,
        409,
        "card-already-linked",
    );
    for (key, bad) in [
        ("b1", "6222021234561237"),
        ("b2", "123456789012"),
        ("b3", "6222-0212-3456-1236"),
    ] {
        assert_problem(
            &post(&sandbox, &cards, key, &json!({"number": bad})).await,
            422,
            "card-number-invalid",
        );
    }

    let unlink = format!("{cards}/{}/unlink", card.id);
    let unlinked = post(&sandbox, &unlink, "u1", &json!({"reason": "换卡"})).await;
    assert_eq!(unlinked.0, StatusCode::OK);
    assert_eq!(unlinked.1["status"], "unlinked");
    assert!(unlinked.1["unlinkedAt"].is_string());
    let change = feed_entry(&sandbox, "card", &card.id).await.expect("feed");
    assert_eq!(change.data["status"], "unlinked");
    // Unlinked, the same card can be linked again.
    let relinked = post(&sandbox, &cards, "l3", &json!({"number": CARD})).await;
    assert_eq!(relinked.0, StatusCode::CREATED);
    let list: v1::CardList = serde_json::from_value(get(&sandbox, &cards).await.1).expect("list");
    assert_eq!(list.cards.len(), 2);
    assert_eq!(list.cards[1].id, card.id, "newest first");

    assert_problem(
        &post(&sandbox, &format!("{cards}/999/unlink"), "u2", &json!({})).await,
        404,
        "not-found",
    );
    assert_problem(
        &post(
            &sandbox,
            "/v1/wallets/0098999999999999/cards",
            "l4",
            &json!({"number": CARD}),
        )
        .await,
        404,
        "not-found",
    );
    exec(
        &sandbox,
        &format!("UPDATE wallets SET status = 'closed' WHERE id = '{wallet}'"),
    )
    .await;
    assert_problem(
        &post(
            &sandbox,
            &cards,
            "l5",
            &json!({"number": "6228480000000007"}),
        )
        .await,
        409,
        "wallet-closed",
    );
    sandbox.shutdown().await;
}
