//! Attribution beyond the booth: a counter sign-up is credited to the teller (and to the
//! campaign that brought the customer), and only a supervisor moves the credit, with a reason
//! the console audits and the core keeps.

use super::booth::plan_shared;
use super::onboarding::{all_consents, counter_as};
use walletdesk_core::access::Role;
use walletdesk_core::booth::AttributionChangeInput;
use walletdesk_core::onboarding::{DraftData, SaveDraftInput, VerifyCodeInput};
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, outbox};
use walletdesk_core::{Code, Console};

async fn drain(engine: &Engine, store: &Store) {
    for _ in 0..10 {
        engine.sync_now().await.expect("sync");
        let status = outbox::status(store.read()).await.expect("status");
        assert_eq!(
            status.attention,
            0,
            "{:?}",
            outbox::list(store.read(), None, 10).await
        );
        if status.queued == 0 {
            engine.sync_now().await.expect("sync");
            return;
        }
    }
    panic!("the outbox did not drain");
}

/// A tier 1 customer onboarded at the counter, credited to `campaign`; answers the core's id.
pub(super) async fn onboard(c: &Console, engine: &Engine, store: &Store, campaign: &str) -> String {
    let data = DraftData {
        name: "赵敏".into(),
        resident_id: super::resident_id(778),
        mobile: "13512345679".into(),
        id_checked_in_person: true,
        card_number: "6222000000000000004".into(),
        consents: all_consents(),
        tier: Some(1),
        campaign: campaign.into(),
        ..DraftData::default()
    };
    let draft = c
        .onboarding_save(SaveDraftInput {
            id: None,
            step: "identity".into(),
            data,
        })
        .await
        .expect("save");
    let sent = c.onboarding_send_code(draft.id).await.expect("code sent");
    c.onboarding_verify_code(VerifyCodeInput {
        draft_id: draft.id,
        code: sent.training_code.expect("training shows the code"),
    })
    .await
    .expect("right code");
    c.onboarding_screen(draft.id).await.expect("screened");
    c.onboarding_submit(draft.id).await.expect("submitted");
    drain(engine, store).await;
    let hits = c
        .customer_search(walletdesk_core::customers::SearchQuery {
            text: "13512345679".into(),
        })
        .await
        .expect("search");
    hits[0].id.clone()
}

fn credit(c: &Option<walletdesk_core::booth::Attribution>) -> (String, String, String, String) {
    let a = c.clone().expect("attributed");
    (a.campaign, a.booth, a.staff, a.channel)
}

fn owned(a: [&str; 4]) -> (String, String, String, String) {
    (a[0].into(), a[1].into(), a[2].into(), a[3].into())
}

#[tokio::test]
async fn a_counter_sign_up_is_credited_to_the_teller_and_the_running_campaign_it_names() {
    let sandbox = super::sandbox(2).await;
    let url = sandbox.url();
    let (_s, supervisor, s_engine, s_store) = counter_as(&url, Role::Supervisor).await;
    plan_shared(&supervisor, &s_engine, &s_store).await;
    let (_t, teller, t_engine, t_store) = counter_as(&url, Role::Teller).await;
    drain(&t_engine, &t_store).await;

    // The wizard offers the running campaigns, and refuses one that is not among them.
    let unknown = teller
        .onboarding_evaluate(DraftData {
            campaign: "WINTER".into(),
            ..DraftData::default()
        })
        .await
        .expect("evaluate");
    assert!(unknown.campaigns.iter().any(|c| c.code == "SPRING"));
    assert!(
        unknown
            .problems
            .iter()
            .any(|p| p.field == "campaign" && p.code == "campaign_not_running"),
        "{:?}",
        unknown.problems
    );

    let id = onboard(&teller, &t_engine, &t_store, "SPRING").await;
    let profile = teller.customer_profile(id.clone()).await.expect("360");
    assert_eq!(
        credit(&profile.attribution),
        owned(["SPRING", "", "li.na", "counter"])
    );
    assert!(
        !profile.can_change_attribution,
        "a teller does not move credit"
    );
    // Stored at the core as plain columns, no booth.
    let (campaign, booth, channel): (Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT campaign, booth, channel FROM customers WHERE id = ?")
            .bind(id.parse::<i64>().expect("core id"))
            .fetch_one(sandbox.store().pool())
            .await
            .expect("customer");
    assert_eq!(
        (campaign.as_deref(), booth, channel.as_deref()),
        (Some("SPRING"), None, Some("counter"))
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn only_a_supervisor_changes_attribution_with_a_reason_audited_and_kept_by_the_core() {
    let sandbox = super::sandbox(2).await;
    let url = sandbox.url();
    let (_s, supervisor, s_engine, s_store) = counter_as(&url, Role::Supervisor).await;
    plan_shared(&supervisor, &s_engine, &s_store).await;
    let (_t, teller, t_engine, t_store) = counter_as(&url, Role::Teller).await;
    drain(&t_engine, &t_store).await;
    let id = onboard(&teller, &t_engine, &t_store, "").await;
    // Outside a campaign the sign-up is still the teller's.
    let before = teller.customer_profile(id.clone()).await.expect("360");
    assert_eq!(
        credit(&before.attribution),
        owned(["", "", "li.na", "counter"])
    );

    let change = |reason: &str| AttributionChangeInput {
        customer_id: id.clone(),
        campaign: "SPRING".into(),
        booth: "B-08".into(),
        staff: "wang.wei".into(),
        channel: "booth".into(),
        reason: reason.into(),
    };
    let refused = teller
        .attribution_change(change("signed up at the booth"))
        .await
        .expect_err("a teller may not");
    assert_eq!(refused.code(), Code::Forbidden);

    drain(&s_engine, &s_store).await;
    let blank = supervisor
        .attribution_change(change(" "))
        .await
        .expect_err("no reason");
    assert_eq!(blank.code(), Code::InvalidInput);
    assert_eq!(blank.fields()[0].code, "reason_required");

    let queued = supervisor
        .attribution_change(change("在 B-08 展位登记，柜台补录"))
        .await
        .expect("queued");
    let pending = supervisor.customer_profile(id.clone()).await.expect("360");
    assert!(pending.can_change_attribution);
    assert!(
        pending.pending.iter().any(|p| p.summary == queued.summary),
        "{:?}",
        pending.pending
    );
    let (action, detail): (String, String) = sqlx::query_as(
        "SELECT action, detail FROM audit_log WHERE action = 'customer.attribution_change_queued'",
    )
    .fetch_one(s_store.read())
    .await
    .expect("audited");
    assert_eq!(action, "customer.attribution_change_queued");
    assert!(
        detail.contains("柜台补录") && detail.contains("wang.wei"),
        "{detail}"
    );
    assert!(detail.contains("\"from\""), "{detail}");

    drain(&s_engine, &s_store).await;
    let after = supervisor.customer_profile(id.clone()).await.expect("360");
    assert_eq!(
        credit(&after.attribution),
        owned(["SPRING", "B-08", "wang.wei", "booth"])
    );
    // The same again is not a change.
    let same = supervisor
        .attribution_change(change("again"))
        .await
        .expect_err("unchanged");
    assert_eq!(same.fields()[0].code, "attribution_unchanged");
    // The core keeps who moved it and why, beside the old credit.
    let (reason, by, old): (String, String, Option<String>) = sqlx::query_as(
        "SELECT reason, changed_by, old_channel FROM attribution_changes WHERE customer_id = ?",
    )
    .bind(id.parse::<i64>().expect("core id"))
    .fetch_one(sandbox.store().pool())
    .await
    .expect("ledger");
    assert_eq!(
        (reason.as_str(), by.as_str(), old.as_deref()),
        ("在 B-08 展位登记，柜台补录", "li.na", Some("counter"))
    );
    // And the teller's console hears of it through the feed.
    drain(&t_engine, &t_store).await;
    let seen = teller.customer_profile(id).await.expect("360");
    assert_eq!(
        credit(&seen.attribution),
        owned(["SPRING", "B-08", "wang.wei", "booth"])
    );
    sandbox.shutdown().await;
}
