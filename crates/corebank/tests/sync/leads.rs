//! Leads at the booth: kept only with the person's consent to be contacted, followed up by
//! the staff member who took them, converted into a sign-up that keeps the lead's
//! attribution, and deleted at the end of the retention unless they became a customer.

use super::booth::plan_shared;
use super::onboarding::counter_as;
use walletdesk_core::access::Role;
use walletdesk_core::booth::leads::{self, DEFAULT_RETENTION_DAYS};
use walletdesk_core::booth::{
    IncentiveState, LeadConvertInput, LeadInput, LeadOutcome, LeadOutcomeInput, SignUpConsent,
    SignUpState,
};
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, outbox};
use walletdesk_core::{Code, Console};

async fn drain(engine: &Engine, store: &Store) {
    for _ in 0..10 {
        engine.sync_now().await.expect("sync");
        let status = outbox::status(store.read()).await.expect("status");
        if status.queued == 0 {
            engine.sync_now().await.expect("sync");
            return;
        }
    }
    panic!("the outbox did not drain");
}

fn lead(mobile: &str, consent: bool) -> LeadInput {
    LeadInput {
        booth: "B-07".into(),
        campaign: "SPRING".into(),
        mobile: mobile.into(),
        name: "王先生".into(),
        interest: "想了解数字人民币红包".into(),
        contact_consent: consent,
        follow_up_on: String::new(),
    }
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.read())
        .await
        .expect("count")
}

/// A test's own change to the store (the pool it reads with is read-only).
async fn set(store: &Store, sql: &str, value: Option<String>, id: i64) {
    let mut tx = store.begin().await.expect("tx");
    sqlx::query(sql)
        .bind(value)
        .bind(id)
        .execute(&mut *tx)
        .await
        .expect("write");
    tx.commit().await.expect("commit");
}

async fn booth_console(
    url: &str,
) -> (tempfile::TempDir, Console, Engine, Store, tempfile::TempDir) {
    let (s_dir, supervisor, s_engine, s_store) = counter_as(url, Role::Supervisor).await;
    plan_shared(&supervisor, &s_engine, &s_store).await;
    let (dir, c, engine, store) = counter_as(url, Role::Booth).await;
    drain(&engine, &store).await;
    (dir, c, engine, store, s_dir)
}

#[tokio::test]
async fn a_lead_without_consent_to_be_contacted_is_not_stored() {
    let sandbox = super::sandbox(1).await;
    let (_d, c, _e, store, _s) = booth_console(&sandbox.url()).await;
    let refused = c
        .lead_take(lead("13700137000", false))
        .await
        .expect_err("no consent");
    assert_eq!(refused.code(), Code::InvalidInput);
    assert_eq!(refused.fields()[0].code, "contact_consent_required");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM booth_leads").await, 0);
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'lead.%'"
        )
        .await,
        0,
        "nothing of the person is kept, not even in the trail"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn lead_follow_ups_are_per_staff_due_tomorrow_by_default_and_outcomes_close_them() {
    let sandbox = super::sandbox(1).await;
    let (_d, c, _e, store, _s) = booth_console(&sandbox.url()).await;
    let taken = c
        .lead_take(lead("137 0013 7000", true))
        .await
        .expect("taken");
    assert_eq!(taken.masked_mobile, "137****7000");
    assert_eq!(taken.outcome, LeadOutcome::Open);
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    assert_eq!(
        taken.follow_up_on.as_deref(),
        Some((today + chrono::Duration::days(1)).to_string().as_str())
    );
    assert_eq!(
        taken.deleted_on.as_deref(),
        Some((today + chrono::Duration::days(90)).to_string().as_str())
    );
    // The same person again for the same campaign: follow the first one up.
    let again = c
        .lead_take(lead("13700137000", true))
        .await
        .expect_err("exists");
    assert_eq!(again.fields()[0].code, "lead_exists");

    // Contacted, follow up today: due today; a lead due yesterday is overdue.
    let contacted = c
        .lead_outcome(LeadOutcomeInput {
            id: taken.id,
            outcome: LeadOutcome::Contacted,
            note: "下午再来".into(),
            follow_up_on: today.to_string(),
        })
        .await
        .expect("contacted");
    assert_eq!(contacted.outcome, LeadOutcome::Contacted);
    let second = c
        .lead_take(lead("13700137001", true))
        .await
        .expect("second");
    set(
        &store,
        "UPDATE booth_leads SET follow_up_on = ? WHERE id = ?",
        Some((today - chrono::Duration::days(1)).to_string()),
        second.id,
    )
    .await;
    let list = c.booth_leads().await.expect("leads");
    assert_eq!(list.retention_days, DEFAULT_RETENTION_DAYS);
    assert_eq!(
        list.due_today.iter().map(|l| l.id).collect::<Vec<_>>(),
        [taken.id]
    );
    assert_eq!(
        list.overdue.iter().map(|l| l.id).collect::<Vec<_>>(),
        [second.id]
    );

    let closed = c
        .lead_outcome(LeadOutcomeInput {
            id: second.id,
            outcome: LeadOutcome::NotInterested,
            note: String::new(),
            follow_up_on: String::new(),
        })
        .await
        .expect("closed");
    assert_eq!(closed.follow_up_on, None);
    let list = c.booth_leads().await.expect("leads");
    assert!(list.overdue.is_empty());
    assert_eq!(
        list.closed.iter().map(|l| l.id).collect::<Vec<_>>(),
        [second.id]
    );
    let reopen = c
        .lead_outcome(LeadOutcomeInput {
            id: second.id,
            outcome: LeadOutcome::Contacted,
            note: String::new(),
            follow_up_on: String::new(),
        })
        .await
        .expect_err("closed");
    assert_eq!(reopen.fields()[0].code, "lead_closed");
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'lead.outcome_recorded'"
        )
        .await,
        2
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_converted_lead_signs_up_with_the_leads_campaign_booth_and_staff() {
    let sandbox = super::sandbox(1).await;
    let (_d, c, engine, store, _s) = booth_console(&sandbox.url()).await;
    let taken = c.lead_take(lead("13700137002", true)).await.expect("taken");
    let consents = ["general-processing", "sensitive-financial"]
        .into_iter()
        .map(|scope| SignUpConsent {
            scope: scope.into(),
            given: true,
        })
        .collect();
    let row = c
        .lead_convert(LeadConvertInput {
            id: taken.id,
            consents,
        })
        .await
        .expect("converted");
    assert_eq!(
        (
            row.campaign.as_str(),
            row.booth.as_str(),
            row.staff.as_str()
        ),
        ("SPRING", "B-07", "li.na")
    );
    assert_eq!(row.incentive, IncentiveState::Promised);
    drain(&engine, &store).await;
    let today = c.booth_today("B-07".into()).await.expect("today");
    assert_eq!(today.signups[0].state, SignUpState::Confirmed);
    let id = today.signups[0].customer_id.clone().expect("customer");
    let credit = c
        .customer_profile(id)
        .await
        .expect("360")
        .attribution
        .expect("attributed");
    assert_eq!(
        (
            credit.campaign.as_str(),
            credit.booth.as_str(),
            credit.staff.as_str()
        ),
        ("SPRING", "B-07", "li.na")
    );
    let list = c.booth_leads().await.expect("leads");
    let closed = list
        .closed
        .iter()
        .find(|l| l.id == taken.id)
        .expect("closed");
    assert_eq!(closed.outcome, LeadOutcome::Converted);
    assert_eq!(closed.deleted_on, None, "a customer's lead is not deleted");
    let twice = c
        .lead_convert(LeadConvertInput {
            id: taken.id,
            consents: vec![],
        })
        .await
        .expect_err("once");
    assert_eq!(twice.fields()[0].code, "lead_closed");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn leads_are_deleted_after_the_retention_unless_converted_each_deletion_audited() {
    let sandbox = super::sandbox(1).await;
    let (_d, c, _e, store, _s) = booth_console(&sandbox.url()).await;
    let old = c.lead_take(lead("13700137003", true)).await.expect("old");
    let kept = c.lead_take(lead("13700137004", true)).await.expect("kept");
    let fresh = c.lead_take(lead("13700137005", true)).await.expect("fresh");
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let long_ago = (today - chrono::Duration::days(91)).to_string();
    for id in [old.id, kept.id] {
        set(
            &store,
            "UPDATE booth_leads SET day = ? WHERE id = ?",
            Some(long_ago.clone()),
            id,
        )
        .await;
    }
    set(
        &store,
        "UPDATE booth_leads SET outcome = 'converted', follow_up_on = ? WHERE id = ?",
        None,
        kept.id,
    )
    .await;
    // Exactly 90 days old stays; 91 goes.
    let mut tx = store.begin().await.expect("tx");
    let gone = leads::sweep(
        &mut tx,
        today - chrono::Duration::days(1),
        90,
        chrono::Utc::now(),
    )
    .await
    .expect("sweep");
    tx.commit().await.expect("commit");
    assert_eq!(gone, 0, "90 days old is still within the retention");
    let list = c.booth_leads().await.expect("leads (sweeps first)");
    let ids: Vec<i64> = list
        .later
        .iter()
        .chain(&list.closed)
        .map(|l| l.id)
        .collect();
    assert!(!ids.contains(&old.id), "{ids:?}");
    assert!(ids.contains(&kept.id) && ids.contains(&fresh.id), "{ids:?}");
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'lead.deleted_by_retention'",
    )
    .fetch_one(store.read())
    .await
    .expect("one audit record for the one deletion");
    assert!(
        detail.contains("137****7003") && !detail.contains("13700137003"),
        "{detail}"
    );

    // The retention is configuration: a supervisor sets it, within a week and a year.
    let refused = c
        .lead_retention_set(30)
        .await
        .expect_err("booth staff may not");
    assert_eq!(refused.code(), Code::Forbidden);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_supervisor_sets_the_lead_retention_within_a_week_and_a_year() {
    let sandbox = super::sandbox(1).await;
    let (_s, supervisor, s_engine, s_store) = counter_as(&sandbox.url(), Role::Supervisor).await;
    plan_shared(&supervisor, &s_engine, &s_store).await;
    let short = supervisor
        .lead_retention_set(6)
        .await
        .expect_err("too short");
    assert_eq!(short.fields()[0].code, "retention_range");
    let list = supervisor.lead_retention_set(30).await.expect("set");
    assert_eq!(list.retention_days, 30);
    assert_eq!(
        count(
            &s_store,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'lead.retention_set'"
        )
        .await,
        1
    );
    sandbox.shutdown().await;
}
