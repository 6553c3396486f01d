//! The fee schedule (issue 14 item 8): the core's schedule reaches the console through the
//! change feed and stays there offline; a fee-waiver campaign's waiver is promised in the
//! wizard and printed on the receipt of the person it covers.

use super::attribution::onboard;
use super::onboarding::counter_as;
use walletdesk_core::access::Role;
use walletdesk_core::booth::{CampaignInput, IncentiveKind};
use walletdesk_core::domain::Money;
use walletdesk_core::fees::{FeeCharged, FeeQuoteInput};
use walletdesk_corebank::v1;

fn tier(tier: u8, campaign: Option<&str>) -> FeeQuoteInput {
    FeeQuoteInput {
        tier,
        campaign: campaign.map(str::to_owned),
    }
}

fn money(text: &str) -> Money {
    Money::parse(text).expect("money")
}

/// All text of a PDF, whitespace removed.
fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("readable PDF");
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&numbers)
        .expect("text")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[tokio::test]
async fn the_console_shows_the_cores_fee_schedule_after_a_pull_and_offline_after() {
    let sandbox = super::sandbox(1).await;
    let (_t, teller, engine, _store) = counter_as(&sandbox.url(), Role::Teller).await;
    // Before the first pull the console knows no fee: it says so, never "free".
    let before = teller.fee_quote(tier(4, None)).await.expect("quote");
    assert!(!before.known && before.lines.is_empty());

    engine.sync_now().await.expect("sync");
    let quote = teller.fee_quote(tier(4, None)).await.expect("quote");
    assert!(quote.known);
    let card = quote
        .lines
        .iter()
        .find(|l| l.service == "hard-wallet")
        .expect("the core's hard wallet line");
    assert_eq!(
        (card.amount, card.charged),
        (money("20.00"), FeeCharged::AtOpening)
    );
    let opening = quote
        .lines
        .iter()
        .find(|l| l.service == "opening")
        .expect("opening");
    assert!(opening.free);
    assert_eq!(quote.due_at_opening, money("20.00"));
    let refused = teller
        .fee_quote(tier(5, None))
        .await
        .expect_err("no tier 5");
    assert_eq!(refused.code(), walletdesk_core::Code::InvalidInput);

    // The network goes: the same schedule, from the console's copy.
    super::set_faults(
        &sandbox,
        v1::Faults {
            drop_rate: 1000,
            ..v1::Faults::default()
        },
    )
    .await;
    // A round that cannot reach the core leaves the copy as it was.
    engine.sync_now().await.ok();
    let offline = teller
        .fee_quote(tier(4, None))
        .await
        .expect("offline quote");
    assert_eq!(offline, quote);
    sandbox.shutdown().await;
    let gone = teller.fee_quote(tier(4, None)).await.expect("core gone");
    assert_eq!(gone, quote);
}

#[tokio::test]
async fn a_fee_waiver_campaign_covers_its_counter_sign_up_and_the_receipt_prints_it_waived() {
    let sandbox = super::sandbox(1).await;
    let url = sandbox.url();
    let (_s, supervisor, s_engine, s_store) = counter_as(&url, Role::Supervisor).await;
    let mut free_card: CampaignInput = super::booth::cashback("FREE-CARD", &["B-07"]);
    free_card.incentive_kind = IncentiveKind::FeeWaiver;
    free_card.incentive_amount = None;
    free_card.incentive_service = Some("hard-wallet".into());
    super::booth::plan_with(&supervisor, &s_engine, &s_store, free_card).await;

    let (_t, teller, engine, store) = counter_as(&url, Role::Teller).await;
    engine.sync_now().await.expect("sync");
    // Explaining the wallet: the card's fee is promised waived under the campaign.
    let promised = teller
        .fee_quote(tier(1, Some("FREE-CARD")))
        .await
        .expect("quote");
    let card = promised
        .lines
        .iter()
        .find(|l| l.service == "hard-wallet")
        .expect("card");
    let waiver = card.waived.as_ref().expect("waived");
    assert_eq!(
        (waiver.campaign.as_str(), waiver.confirmed),
        ("FREE-CARD", false)
    );
    assert_eq!((card.amount, card.due), (money("20.00"), Money::ZERO));
    assert_eq!(promised.due_at_opening, Money::ZERO);
    // Without the campaign it is due.
    let plain = teller.fee_quote(tier(1, None)).await.expect("quote");
    assert_eq!(plain.due_at_opening, money("20.00"));

    // Signed up at the counter, credited to the campaign: the receipt prints it waived.
    let customer_id = onboard(&teller, &engine, &store, "FREE-CARD").await;
    let profile = teller
        .customer_profile(customer_id.clone())
        .await
        .expect("360");
    let wallet = profile.wallets.first().expect("wallet").id.clone();
    let receipt = teller
        .wallet_receipt(walletdesk_core::customers::profile::WalletReceiptInput {
            customer_id,
            wallet_id: wallet,
        })
        .await
        .expect("receipt");
    let text = pdf_text(&receipt.bytes);
    for expected in [
        "硬钱包工本费：人民币20.00元—活动减免",
        "本次应付：人民币0.00元",
        "开立钱包：人民币0.00元（免费）",
        "跨行充值手续费：人民币1.00元/次",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from: {text}");
    }
    sandbox.shutdown().await;
}
