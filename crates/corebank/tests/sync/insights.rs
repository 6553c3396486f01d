//! Supervisor insights through the engine: the core's rollups answer the report, the console
//! keeps the last answer for offline reading (marked, with its as-of), and the drill-down to
//! the customers behind a number is masked and audited.

use super::booth::plan_shared;
use super::onboarding::counter_as;
use walletdesk_core::Code;
use walletdesk_core::access::Role;
use walletdesk_core::booth::{SignUpConsent, SignUpInput};
use walletdesk_core::insights::console::InsightFilters;
use walletdesk_core::insights::export::{ExportFormat, InsightExportInput};
use walletdesk_core::insights::{Dimension, InsightDrill, InsightQuery, Metric};
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, outbox};
use walletdesk_corebank::v1;

fn sign_up(mobile: &str) -> SignUpInput {
    SignUpInput {
        booth: "B-07".into(),
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
async fn a_supervisor_sees_sign_ups_by_campaign_and_offline_the_last_answer_marked_as_a_copy() {
    let sandbox = super::sandbox(2).await;
    let url = sandbox.url();
    let (_s, supervisor, s_engine, s_store) = counter_as(&url, Role::Supervisor).await;
    plan_shared(&supervisor, &s_engine, &s_store).await;
    let (_a, booth, a_engine, a_store) = counter_as(&url, Role::Booth).await;
    drain(&a_engine, &a_store).await;
    booth
        .booth_sign_up(sign_up("13800138000"))
        .await
        .expect("one");
    booth
        .booth_sign_up(sign_up("13900139000"))
        .await
        .expect("two");
    drain(&a_engine, &a_store).await;
    drain(&s_engine, &s_store).await;

    let today = walletdesk_core::clock::local_date(chrono::Utc::now())
        .format("%Y-%m-%d")
        .to_string();
    let query = InsightQuery {
        metric: Metric::SignUps,
        dimension: Some(Dimension::Campaign),
        from: today.clone(),
        to: today.clone(),
        activation_days: None,
        filters: InsightFilters::default(),
    };
    let answer = supervisor
        .insights_report(query.clone())
        .await
        .expect("report");
    assert!(!answer.offline_copy);
    assert_eq!(answer.total.value.as_deref(), Some("2"), "{answer:?}");
    let spring = answer
        .rows
        .iter()
        .find(|r| r.key == "SPRING")
        .expect("SPRING's row");
    assert_eq!(spring.value.as_deref(), Some("2"));
    // Yesterday, the period before, SPRING had none.
    assert_eq!(spring.before.as_deref(), Some("0"));

    offline(&url, true).await;
    let kept = supervisor
        .insights_report(query.clone())
        .await
        .expect("kept");
    assert!(kept.offline_copy, "marked as the copy kept on this console");
    assert_eq!(
        (kept.rows, kept.as_of),
        (answer.rows.clone(), answer.as_of.clone())
    );
    // A question never answered online has no copy: refused, never counted from the local
    // read model.
    let never = InsightQuery {
        metric: Metric::MonthlyActive,
        ..query.clone()
    };
    let refused = supervisor
        .insights_report(never)
        .await
        .expect_err("no copy");
    assert_eq!(refused.code(), Code::CoreUnavailable);
    offline(&url, false).await;

    let list = supervisor
        .insights_customers(InsightDrill {
            from: today.clone(),
            to: today,
            filters: InsightFilters {
                campaign: Some("SPRING".into()),
                ..InsightFilters::default()
            },
        })
        .await
        .expect("drill-down");
    assert_eq!(list.customers.len(), 2);
    for c in &list.customers {
        assert!(c.masked_mobile.contains("****"), "{c:?}");
        assert_eq!((c.booth.as_str(), c.staff.as_str()), ("B-07", "li.na"));
    }
    let listed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'insights.customers_listed'",
    )
    .fetch_one(s_store.read())
    .await
    .expect("audit");
    assert_eq!(listed, 1);

    let file = supervisor
        .insights_export(InsightExportInput {
            query,
            format: ExportFormat::Xlsx,
        })
        .await
        .expect("xlsx");
    assert!(file.bytes.starts_with(b"PK"), "an XLSX is a zip");
    assert!(file.file_name.ends_with(".xlsx"));
    sandbox.shutdown().await;
}
