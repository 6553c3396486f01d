//! The fee schedule (contract 1.10.0): per wallet tier and service, read whole and sent
//! through the change feed line by line.

use super::small_sandbox as sandbox;
use super::support::{feed_entry, get};
use reqwest::StatusCode;
use walletdesk_corebank::v1;

#[tokio::test]
async fn the_fee_schedule_lists_every_tier_and_opening_is_free() {
    let sandbox = sandbox().await;
    let (status, body) = get(&sandbox, "/v1/fees").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let schedule: v1::FeeSchedule = serde_json::from_value(body).expect("schedule");
    for tier in 1..=4u8 {
        let of_tier: Vec<&v1::Fee> = schedule.fees.iter().filter(|f| f.tier == tier).collect();
        let opening = of_tier
            .iter()
            .find(|f| f.service == "opening")
            .unwrap_or_else(|| panic!("tier {tier} has no opening line"));
        // e-CNY wallets are free to open, whatever the tier.
        assert_eq!(opening.amount, "0.00");
        assert_eq!(opening.charged, "at-opening");
        // The hard wallet card is what a fee-waiver campaign waives in the demo.
        let card = of_tier
            .iter()
            .find(|f| f.service == "hard-wallet")
            .expect("hard wallet line");
        assert_eq!(card.amount, "20.00");
    }
    for fee in &schedule.fees {
        assert!(v1::FEE_CHARGED.contains(&fee.charged.as_str()), "{fee:?}");
        assert!(
            fee.note.contains("演示"),
            "the demo schedule says it is a demo: {fee:?}"
        );
    }
    // By tier, then service.
    let order: Vec<(u8, &str)> = schedule
        .fees
        .iter()
        .map(|f| (f.tier, f.service.as_str()))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);

    // The same line reaches consoles through the change feed, id `<tier>-<service>`.
    let change = feed_entry(&sandbox, "fee", "4-hard-wallet")
        .await
        .expect("the fee is in the feed");
    let fee: v1::Fee = serde_json::from_value(change.data).expect("fee record");
    assert_eq!(
        (fee.tier, fee.service.as_str(), fee.amount.as_str()),
        (4, "hard-wallet", "20.00")
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_demo_fee_schedule_is_seeded_once() {
    let sandbox = sandbox().await;
    let before = get(&sandbox, "/v1/fees").await.1;
    let again = walletdesk_sandbox::fees::seed_demo_store(
        sandbox.store(),
        walletdesk_sandbox::today_in_china(),
    )
    .await
    .expect("seed");
    assert!(!again, "a store that has a schedule keeps it");
    assert_eq!(get(&sandbox, "/v1/fees").await.1, before);
    sandbox.shutdown().await;
}
