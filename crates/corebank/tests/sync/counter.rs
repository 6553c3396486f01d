//! Counter work on an existing customer, through the console and the sync engine to the real
//! sandbox: the Customer 360, an audited ID reveal, an expired ID that lowers limits and
//! blocks upgrades until it is renewed, a card link and a tier upgrade, consent withdrawal.

use super::onboarding::counter_as;
use walletdesk_core::access::Role;
use walletdesk_core::customers::SearchQuery;
use walletdesk_core::customers::profile::{
    CardLinkInput, ConsentWithdrawalInput, IdCardStatus, IdRenewalInput, NoteInput, RevealInput,
    TierChangeInput,
};
use walletdesk_core::sync::{Engine, outbox};
use walletdesk_core::{Code, Console};

/// Push what is queued and pull what the core now holds.
async fn sync(engine: &Engine, store: &walletdesk_core::store::Store) {
    for _ in 0..5 {
        engine.sync_now().await.expect("sync");
        let status = outbox::status(store.read()).await.expect("status");
        assert_eq!(
            status.attention,
            0,
            "{:?}",
            outbox::list(store.read(), None, 10).await
        );
        if status.queued == 0 {
            // One more round: the pull after the last push brings its effects.
            engine.sync_now().await.expect("sync");
            return;
        }
    }
    panic!("the outbox did not drain");
}

#[tokio::test]
async fn the_360_shows_the_core_and_a_reveal_needs_a_reason_and_is_audited() {
    let sandbox = super::sandbox(30).await;
    let (_dir, c, engine, store) = counter_as(&sandbox.url(), Role::Teller).await;
    sync(&engine, &store).await;

    let profile = c.customer_profile("1".into()).await.expect("profile");
    let (name, resident_id, wallets): (String, String, i64) = sqlx::query_as(
        "SELECT name, resident_id, (SELECT COUNT(*) FROM wallets WHERE customer_id = 1) \
         FROM customers WHERE id = 1",
    )
    .fetch_one(sandbox.store().pool())
    .await
    .expect("sandbox customer");
    assert_eq!(profile.name, name);
    assert_eq!(
        profile.masked_resident_id,
        format!("{}********{}", &resident_id[..6], &resident_id[14..])
    );
    assert_eq!(profile.wallets.len() as i64, wallets);
    assert!(profile.can_reveal && profile.can_serve);

    // A top-up at the core reaches the 360 through the feed (seeded history does not: the
    // feed would carry millions of rows; the live list below shows it).
    super::client(&sandbox.url())
        .pay(
            "wd-test-topup",
            &walletdesk_corebank::v1::PaymentRequest {
                wallet_id: profile.wallets[0].id.clone(),
                amount: "88.80".into(),
                direction: "in".into(),
                counterparty: "柜台现金".into(),
                memo: None,
                payment_password: None,
            },
        )
        .await
        .expect("top-up");
    sync(&engine, &store).await;
    let profile = c.customer_profile("1".into()).await.expect("profile");
    assert_eq!(profile.transactions[0].amount.to_string(), "88.80");
    assert_eq!(profile.transactions[0].direction, "in");

    // Live: limits and usage come from the core.
    let live = c.customer_live("1".into()).await.expect("live");
    assert_eq!(live.wallets.len() as i64, wallets);
    assert!(!live.transactions.is_empty());

    // No reason, no number.
    let refused = c
        .customer_reveal_id(RevealInput {
            customer_id: "1".into(),
            reason: " ".into(),
        })
        .await
        .expect_err("a reason is required");
    assert_eq!(refused.code(), Code::InvalidInput);
    let revealed = c
        .customer_reveal_id(RevealInput {
            customer_id: "1".into(),
            reason: "客户办理挂失，核对证件".into(),
        })
        .await
        .expect("revealed");
    assert_eq!(revealed.resident_id, resident_id);
    assert!(!format!("{revealed:?}").contains(&resident_id));

    c.customer_add_note(NoteInput {
        customer_id: "1".into(),
        text: "客户希望下次短信提醒".into(),
    })
    .await
    .expect("note");
    // The trail, newest first: the reveal with its reason, the note, and the views.
    let profile = c.customer_profile("1".into()).await.expect("profile");
    let actions: Vec<&str> = profile.history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        &actions[..4],
        [
            "customer.viewed",
            "customer.note_added",
            "customer.id_revealed",
            "customer.viewed"
        ]
    );
    assert!(profile.history[2].detail.contains("客户办理挂失"));
    assert!(
        !profile
            .history
            .iter()
            .any(|e| e.detail.contains(&resident_id))
    );
    assert_eq!(profile.notes[0].text, "客户希望下次短信提醒");
    assert_eq!(profile.notes[0].author, "李娜");

    // A booth role sees the customer but not the whole ID, and does no counter work.
    let (_dir2, booth, booth_engine, booth_store) = counter_as(&sandbox.url(), Role::Booth).await;
    sync(&booth_engine, &booth_store).await;
    let seen = booth.customer_profile("1".into()).await.expect("profile");
    assert!(!seen.can_reveal && !seen.can_serve && seen.can_withdraw_consent);
    let forbidden = booth
        .customer_reveal_id(RevealInput {
            customer_id: "1".into(),
            reason: "好奇".into(),
        })
        .await
        .expect_err("booth may not reveal");
    assert_eq!(forbidden.code(), Code::Forbidden);
    sandbox.shutdown().await;
}

/// The first demo customer whose ID card expired more than 90 days ago, who is 16 or older
/// and has a wallet below tier 1 (the demo data makes every 20th customer so).
async fn expired_customer(c: &Console) -> (String, String, u8) {
    for n in (7..200).step_by(20) {
        let Ok(profile) = c.customer_profile(n.to_string()).await else {
            continue;
        };
        if !matches!(profile.id_card, IdCardStatus::ExpiredLowered { .. })
            || profile.age.is_none_or(|age| age < 16)
        {
            continue;
        }
        if let Some(w) = profile
            .wallets
            .iter()
            .find(|w| w.tier > 1 && w.status == "active")
        {
            return (profile.id, w.id.clone(), w.tier);
        }
    }
    panic!("no demo customer with a long-expired ID and a wallet below tier 1");
}

#[tokio::test]
async fn an_expired_id_lowers_limits_and_blocks_upgrades_until_the_renewed_card_is_recorded() {
    let sandbox = super::sandbox(200).await;
    let (_dir, c, engine, store) = counter_as(&sandbox.url(), Role::Teller).await;
    sync(&engine, &store).await;
    let (customer, wallet, tier) = expired_customer(&c).await;

    // The core lowers the limits, and the console's own rule says the same.
    let live = c.customer_live(customer.clone()).await.expect("live");
    let w = live
        .wallets
        .iter()
        .find(|w| w.id == wallet)
        .expect("wallet");
    if tier < 4 {
        assert_eq!(w.lowered_because.as_deref(), Some("resident-id-expired"));
        assert_eq!(w.applied_tier, 4);
    }
    let profile = c.customer_profile(customer.clone()).await.expect("profile");
    let options = &profile
        .wallets
        .iter()
        .find(|w| w.id == wallet)
        .expect("w")
        .tier_options;
    assert!(options[..3].iter().all(|o| {
        o.missing
            .contains(&walletdesk_core::onboarding::rules::Missing::IdExpired)
    }));

    // An upgrade is refused here, before anything is queued.
    let refused = c
        .wallet_change_tier(TierChangeInput {
            customer_id: customer.clone(),
            wallet_id: wallet.clone(),
            tier: 1,
            id_checked_in_person: true,
        })
        .await
        .expect_err("expired ID");
    assert_eq!(refused.code(), Code::InvalidInput);
    assert!(refused.to_string().contains("id_expired"), "{refused}");
    assert_eq!(outbox::status(store.read()).await.expect("s").queued, 0);

    // The customer brings the new card; the teller links their bank card and upgrades to
    // tier 1 in person, all queued in order behind the renewal.
    let bad_card = c
        .wallet_link_card(CardLinkInput {
            customer_id: customer.clone(),
            wallet_id: wallet.clone(),
            number: "6222 0212 3456 7890 127".into(),
            bank_name: None,
        })
        .await
        .expect_err("Luhn");
    assert!(bad_card.to_string().contains("card_check_digit"));
    c.customer_renew_id(IdRenewalInput {
        customer_id: customer.clone(),
        expires_on: Some("2046-01-01".into()),
        id_checked_in_person: true,
    })
    .await
    .expect("renewal queued");
    c.wallet_link_card(CardLinkInput {
        customer_id: customer.clone(),
        wallet_id: wallet.clone(),
        number: "6222 0212 3456 7890 128".into(),
        bank_name: Some("工商银行".into()),
    })
    .await
    .expect("card queued");
    // The 360's upgrade dialog counts the queued renewal and card as well: tier 1 is open.
    let profile = c.customer_profile(customer.clone()).await.expect("profile");
    let options = &profile
        .wallets
        .iter()
        .find(|w| w.id == wallet)
        .expect("w")
        .tier_options;
    assert!(options[0].missing.is_empty(), "{options:?}");
    let queued = c
        .wallet_change_tier(TierChangeInput {
            customer_id: customer.clone(),
            wallet_id: wallet.clone(),
            tier: 1,
            id_checked_in_person: true,
        })
        .await
        .expect("upgrade queued");
    assert!(!queued.summary.contains("6222"), "{}", queued.summary);
    let pending = c
        .customer_profile(customer.clone())
        .await
        .expect("p")
        .pending;
    assert_eq!(
        pending.iter().map(|p| p.kind.as_str()).collect::<Vec<_>>(),
        ["customer.update", "card.link", "wallet.tier"]
    );

    sync(&engine, &store).await;
    let profile = c.customer_profile(customer.clone()).await.expect("profile");
    assert!(profile.pending.is_empty());
    assert_eq!(
        profile.id_card,
        IdCardStatus::Valid {
            expires_on: "2046-01-01".into()
        }
    );
    assert_eq!(
        profile
            .wallets
            .iter()
            .find(|w| w.id == wallet)
            .expect("w")
            .tier,
        1
    );
    let card = profile
        .cards
        .iter()
        .find(|c| c.wallet_id == wallet)
        .expect("card");
    assert!(
        card.masked_number.ends_with("0128"),
        "{}",
        card.masked_number
    );
    let live = c.customer_live(customer.clone()).await.expect("live");
    let w = live
        .wallets
        .iter()
        .find(|w| w.id == wallet)
        .expect("wallet");
    assert_eq!(
        (w.tier, w.applied_tier, w.lowered_because.as_deref()),
        (1, 1, None)
    );
    // The receipt names the tier it came from and prints only the masked ID.
    let receipt = c
        .wallet_receipt(walletdesk_core::customers::profile::WalletReceiptInput {
            customer_id: customer.clone(),
            wallet_id: wallet.clone(),
        })
        .await
        .expect("receipt");
    assert!(receipt.bytes.starts_with(b"%PDF"));
    assert!(receipt.file_name.contains(&wallet));
    // The card's last four find the customer.
    let hits = c
        .customer_search(SearchQuery {
            text: "0128".into(),
        })
        .await
        .expect("search");
    assert!(hits.iter().any(|h| h.id == customer));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_consent_withdrawal_reaches_the_core_and_cannot_be_queued_twice() {
    let sandbox = super::sandbox(5).await;
    let (_dir, c, engine, store) = counter_as(&sandbox.url(), Role::Teller).await;
    // Customer 2 consented to sharing with a partner (recorded at the core directly).
    let consent = super::client(&sandbox.url())
        .grant_consent(
            "wd-test-consent",
            "2",
            &walletdesk_corebank::v1::NewConsent {
                scope: "third-party-sharing".into(),
                version: "2025-03".into(),
                third_party: Some("某保险公司".into()),
                guardian_name: None,
            },
        )
        .await
        .expect("consent granted");
    sync(&engine, &store).await;
    let profile = c.customer_profile("2".into()).await.expect("profile");
    let shown = profile
        .consents
        .iter()
        .find(|k| k.id == consent.id)
        .expect("consent in the 360");
    assert_eq!(shown.status, "granted");

    let input = ConsentWithdrawalInput {
        customer_id: "2".into(),
        consent_id: consent.id.clone(),
        reason: Some("客户不再同意共享".into()),
    };
    c.consent_withdraw(input.clone()).await.expect("queued");
    let twice = c.consent_withdraw(input).await.expect_err("already queued");
    assert_eq!(twice.code(), Code::Conflict);
    sync(&engine, &store).await;

    let status: String = sqlx::query_scalar("SELECT status FROM consents WHERE id = ?")
        .bind(consent.id.parse::<i64>().expect("numeric"))
        .fetch_one(sandbox.store().pool())
        .await
        .expect("consent at the core");
    assert_eq!(status, "withdrawn");
    let profile = c.customer_profile("2".into()).await.expect("profile");
    let shown = profile
        .consents
        .iter()
        .find(|k| k.id == consent.id)
        .expect("c");
    assert_eq!(shown.status, "withdrawn");
    assert!(shown.ended_at.is_some());
    assert!(
        profile
            .history
            .iter()
            .any(|e| e.action == "consent.withdrawal_queued")
    );
    sandbox.shutdown().await;
}
