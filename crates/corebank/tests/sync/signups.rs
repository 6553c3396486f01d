//! Quick sign-ups at two booths offline: the acceptance's engine test. The same person, typed
//! as two spellings of one mobile at two consoles, synced in either order: one customer, one
//! incentive, and the second booth told "already claimed".

use super::booth::plan_shared;
use super::onboarding::counter_as;
use walletdesk_core::Code;
use walletdesk_core::access::Role;
use walletdesk_core::booth::{IncentiveState, SignUpConsent, SignUpInput, SignUpState};
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, outbox};
use walletdesk_corebank::v1;

fn sign_up(booth: &str, mobile: &str) -> SignUpInput {
    SignUpInput {
        booth: booth.into(),
        campaign: "SPRING".into(),
        mobile: mobile.into(),
        name: String::new(),
        consents: ["general-processing", "sensitive-financial"]
            .into_iter()
            .map(|scope| SignUpConsent {
                scope: scope.into(),
                given: true,
            })
            .collect(),
    }
}

async fn drain(engine: &Engine, store: &Store) {
    for _ in 0..50 {
        engine.sync_now().await.ok();
        let status = outbox::status(store.read()).await.expect("status");
        if status.queued == 0 {
            engine.sync_now().await.expect("sync");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the outbox did not drain");
}

async fn offline(url: &str, on: bool) {
    super::set_faults_at(
        url,
        v1::Faults {
            drop_rate: if on { 1000 } else { 0 },
            ..v1::Faults::default()
        },
    )
    .await;
}

#[tokio::test]
async fn two_booths_offline_sign_up_one_person_in_two_spellings_one_customer_one_incentive_in_either_order()
 {
    let sandbox = super::sandbox(2).await;
    let url = sandbox.url();
    let (_s, supervisor, s_engine, s_store) = counter_as(&url, Role::Supervisor).await;
    plan_shared(&supervisor, &s_engine, &s_store).await;
    let (_a, a, a_engine, a_store) = counter_as(&url, Role::Booth).await;
    let (_b, b, b_engine, b_store) = counter_as(&url, Role::Booth).await;
    drain(&a_engine, &a_store).await;
    drain(&b_engine, &b_store).await;

    // Each pair: the same person, spelt differently at the two booths; the second pair syncs
    // the other way round.
    for (round, (spelt_a, spelt_b, normalised)) in [
        ("138 0013 8000", "+86 13800138000", "13800138000"),
        ("１３９００１３９０００", "139-0013-9000", "13900139000"),
    ]
    .into_iter()
    .enumerate()
    {
        offline(&url, true).await;
        let at_a = a.booth_sign_up(sign_up("B-07", spelt_a)).await.expect("a");
        let at_b = b.booth_sign_up(sign_up("B-08", spelt_b)).await.expect("b");
        for row in [&at_a, &at_b] {
            assert_eq!(row.state, SignUpState::Waiting);
            assert!(!row.mobile_verified, "not yet verified offline");
            assert_eq!(row.incentive, IncentiveState::Promised);
        }
        // Offline, a sync round reaches nothing; the work stays queued.
        assert!(a_engine.sync_now().await.is_err());
        offline(&url, false).await;
        let (first, second) = if round == 0 {
            ((&a, &a_engine, &a_store), (&b, &b_engine, &b_store))
        } else {
            ((&b, &b_engine, &b_store), (&a, &a_engine, &a_store))
        };
        drain(first.1, first.2).await;
        drain(second.1, second.2).await;
        let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE mobile = ?")
            .bind(normalised)
            .fetch_one(sandbox.store().pool())
            .await
            .expect("customers");
        assert_eq!(customers, 1, "one customer for {normalised}");
        let claims: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM incentive_claims i JOIN customers c ON c.id = i.customer_id \
             WHERE c.mobile = ? AND i.campaign = 'SPRING'",
        )
        .bind(normalised)
        .fetch_one(sandbox.store().pool())
        .await
        .expect("claims");
        assert_eq!(claims, 1, "one incentive for {normalised}");
        let (won_booth, told_booth) = if round == 0 {
            ("B-07", "B-08")
        } else {
            ("B-08", "B-07")
        };
        let won = first.0.booth_today(won_booth.into()).await.expect("today");
        let told = second
            .0
            .booth_today(told_booth.into())
            .await
            .expect("today");
        let (won, told) = (&won.signups[0], &told.signups[0]);
        assert_eq!(
            (won.state, won.incentive),
            (SignUpState::Confirmed, IncentiveState::Granted)
        );
        assert_eq!(
            (told.state, told.incentive),
            (SignUpState::Confirmed, IncentiveState::AlreadyClaimed)
        );
        assert!(won.mobile_verified && told.mobile_verified);
        assert_eq!(won.customer_id, told.customer_id, "the same customer");
        // Attribution: the booth that signed the person up first, on both consoles' 360.
        let id = won.customer_id.clone().expect("confirmed");
        for console in [first.0, second.0] {
            let profile = console.customer_profile(id.clone()).await.expect("360");
            let credited = profile.attribution.expect("attributed");
            assert_eq!(
                (
                    credited.campaign.as_str(),
                    credited.booth.as_str(),
                    credited.staff.as_str(),
                    credited.channel.as_str()
                ),
                ("SPRING", won_booth, "li.na", "booth")
            );
        }
    }
    // Nothing was applied twice.
    for (store, _) in [(&a_store, 'a'), (&b_store, 'b')] {
        for (key, applied) in super::ledger_counts(&sandbox, store).await {
            assert!(applied <= 1, "{key} applied {applied} times");
        }
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_sign_up_needs_the_mobile_the_required_consents_and_a_booth_of_ones_own() {
    let sandbox = super::sandbox(1).await;
    let url = sandbox.url();
    let (_s, supervisor, s_engine, s_store) = counter_as(&url, Role::Supervisor).await;
    plan_shared(&supervisor, &s_engine, &s_store).await;
    let (_a, a, a_engine, a_store) = counter_as(&url, Role::Booth).await;
    drain(&a_engine, &a_store).await;
    let mut wrong = sign_up("B-99", "12345");
    wrong.consents[1].given = false;
    let refused = a.booth_sign_up(wrong).await.expect_err("refused");
    let codes: Vec<(String, String)> = refused
        .fields()
        .into_iter()
        .map(|f| (f.field, f.code))
        .collect();
    for expected in [
        ("booth", "booth_not_yours"),
        ("campaign", "campaign_not_at_booth"),
        ("mobile", "mobile_invalid"),
        ("sensitive-financial", "consent_required"),
    ] {
        assert!(
            codes.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {codes:?}"
        );
    }
    a.booth_sign_up(sign_up("B-07", "13700137000"))
        .await
        .expect("signed up");
    let twice = a
        .booth_sign_up(sign_up("B-07", "137 0013 7000"))
        .await
        .expect_err("same person, same campaign");
    assert_eq!(twice.fields()[0].code, "already_signed_up");
    assert_eq!(twice.code(), Code::InvalidInput);
    sandbox.shutdown().await;
}
