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

#[tokio::test]
async fn the_dashboard_draws_the_core_sums_as_a_trend_a_funnel_and_a_campaign_before_and_after() {
    use walletdesk_core::booth::LeadInput;
    use walletdesk_core::insights::dashboard::{FunnelStage, InsightCampaignQuery};
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
    // A lead taken on the supervisor's console (leads stay on the console that took them).
    supervisor
        .lead_take(LeadInput {
            booth: "B-07".into(),
            campaign: "SPRING".into(),
            mobile: "13700137000".into(),
            name: "王先生".into(),
            interest: "数字人民币红包".into(),
            contact_consent: true,
            follow_up_on: String::new(),
        })
        .await
        .expect("lead");
    drain(&s_engine, &s_store).await;

    let today = walletdesk_core::clock::local_date(chrono::Utc::now());
    let text = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let query = InsightQuery {
        metric: Metric::SignUps,
        dimension: None,
        from: text(today - chrono::Duration::days(11)),
        to: text(today),
        activation_days: None,
        filters: InsightFilters {
            campaign: Some("SPRING".into()),
            ..InsightFilters::default()
        },
    };
    // 12 days: a point a day; the two sign-ups are today's.
    let trend = supervisor
        .insights_trend(query.clone())
        .await
        .expect("trend");
    let values: Vec<_> = trend.points.iter().map(|p| p.value.as_deref()).collect();
    let mut expected = vec![Some("0"); 11];
    expected.push(Some("2"));
    assert_eq!(values, expected, "{trend:?}");
    assert_eq!(trend.points[11].from, text(today));

    // Lead 1 (this console), sign-ups 2, verified 0 (mobile only), activated 0 (their
    // 30-day windows are open), active 0 (no payment yet).
    let funnel = supervisor
        .insights_funnel(query.clone())
        .await
        .expect("funnel");
    let steps: Vec<_> = funnel
        .steps
        .iter()
        .map(|s| (s.stage, s.count, s.from_this_console))
        .collect();
    assert_eq!(
        steps,
        [
            (FunnelStage::Lead, 1, true),
            (FunnelStage::SignUp, 2, false),
            (FunnelStage::Verified, 0, true),
            (FunnelStage::Activated, 0, false),
            (FunnelStage::Active, 0, false),
        ]
    );

    // SPRING runs at BJ-001 since yesterday: its two days against the two before (none),
    // and against the branches without it (none with a booth's sign-ups).
    let view = supervisor
        .insights_campaign(InsightCampaignQuery {
            campaign: "SPRING".into(),
            metric: Metric::SignUps,
            activation_days: None,
        })
        .await
        .expect("campaign");
    assert_eq!(
        (view.from.as_str(), view.to.as_str()),
        (
            text(today - chrono::Duration::days(1)).as_str(),
            text(today).as_str()
        )
    );
    assert_eq!(view.before_to, text(today - chrono::Duration::days(2)));
    assert_eq!(view.branches, ["BJ-001"]);
    assert_eq!(
        (
            view.during.as_deref(),
            view.before.as_deref(),
            view.without.as_deref(),
            view.won.as_deref()
        ),
        (Some("2"), Some("0"), Some("0"), Some("2"))
    );
    // From 0 there is no percent change.
    assert_eq!(view.change, None);

    // Offline: the kept answers, marked; a campaign never asked has none.
    offline(&url, true).await;
    let kept = supervisor.insights_trend(query).await.expect("kept trend");
    assert!(kept.offline_copy);
    assert_eq!(kept.points, trend.points);
    let refused = supervisor
        .insights_campaign(InsightCampaignQuery {
            campaign: "SPRING".into(),
            metric: Metric::Activation,
            activation_days: None,
        })
        .await
        .expect_err("never asked online");
    assert_eq!(refused.code(), Code::CoreUnavailable);
    offline(&url, false).await;
    let unknown = supervisor
        .insights_campaign(InsightCampaignQuery {
            campaign: "NOPE".into(),
            metric: Metric::SignUps,
            activation_days: None,
        })
        .await
        .expect_err("unknown");
    assert_eq!(unknown.fields()[0].code, "insights_campaign_unknown");
    sandbox.shutdown().await;
}

/// The PDF's pages and its text without whitespace (Chinese lines break anywhere).
fn pdf_pages_and_text(bytes: &[u8]) -> (usize, String) {
    let doc = lopdf::Document::load_mem(bytes).expect("readable PDF");
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc
        .extract_text(&numbers)
        .expect("text")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (numbers.len(), text)
}

#[tokio::test]
async fn a_campaign_report_prints_the_dashboards_numbers_on_one_page_audited_and_offline_from_the_kept_answers()
 {
    use walletdesk_core::insights::dashboard::InsightCampaignQuery;
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
    let query = InsightCampaignQuery {
        campaign: "SPRING".into(),
        metric: Metric::SignUps,
        activation_days: None,
    };
    let view = supervisor
        .insights_campaign(query.clone())
        .await
        .expect("view");

    let file = supervisor
        .insights_campaign_report(query.clone())
        .await
        .expect("report");
    assert_eq!(file.content_type, "application/pdf");
    assert!(file.bytes.starts_with(b"%PDF-"));
    assert_eq!(
        file.file_name,
        format!("campaign-report-SPRING-{}-{}.pdf", view.from, view.to)
    );
    let (pages, text) = pdf_pages_and_text(&file.bytes);
    assert_eq!(pages, 1);
    // The campaign, the dashboard's own before/after numbers (2 during, 0 before, 2 won),
    // head office's scope, and no customer's mobile or name.
    for expected in [
        "SPRING推广（SPRING）活动效果报告",
        "统计范围：总行（全部网点）。",
        "活动前0，变化—",
        "开展网点活动期比活动前变化—。",
        "数据截至",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from {text}");
    }
    for personal in ["13800138000", "138****8000", "13900139000", "139****9000"] {
        assert!(!text.contains(personal), "{personal} printed: {text}");
    }
    assert!(!text.contains("本机保存"), "online: no offline note");
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'insights.report_printed'")
            .fetch_all(s_store.read())
            .await
            .expect("audit");
    assert_eq!(audited.len(), 1);
    assert!(audited[0].contains("SPRING"), "{}", audited[0]);

    // Offline: the answers kept when it was printed online, and the page says so.
    offline(&url, true).await;
    let kept = supervisor
        .insights_campaign_report(query.clone())
        .await
        .expect("kept");
    let (pages, text) = pdf_pages_and_text(&kept.bytes);
    assert_eq!(pages, 1);
    assert!(
        text.contains("无法连接核心系统：显示的是本机保存的上次结果"),
        "{text}"
    );
    // A campaign never printed online has no kept answers: refused, never counted locally.
    let never = supervisor
        .insights_campaign_report(InsightCampaignQuery {
            activation_days: Some(7),
            ..query.clone()
        })
        .await
        .expect_err("nothing kept");
    assert_eq!(never.code(), Code::CoreUnavailable);
    offline(&url, false).await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_campaign_report_is_refused_to_desks_that_win_no_customers_and_scoped_to_the_staff_or_branch()
 {
    use walletdesk_core::insights::dashboard::InsightCampaignQuery;
    let sandbox = super::sandbox(2).await;
    let url = sandbox.url();
    let (_s, supervisor, s_engine, s_store) = counter_as(&url, Role::Supervisor).await;
    plan_shared(&supervisor, &s_engine, &s_store).await;
    let query = InsightCampaignQuery {
        campaign: "SPRING".into(),
        metric: Metric::SignUps,
        activation_days: None,
    };
    // Roles that win no customers and supervise none: refused before anything is read, and
    // nothing is printed.
    for role in [Role::Complaints, Role::Admin] {
        let (_d, other, _e, store) = counter_as(&url, role).await;
        let refused = other
            .insights_campaign_report(query.clone())
            .await
            .expect_err("outside the scope");
        assert_eq!(refused.code(), Code::Forbidden, "{role:?}");
        let printed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'insights.report_printed'",
        )
        .fetch_one(store.read())
        .await
        .expect("audit");
        assert_eq!(printed, 0, "{role:?}");
    }
    // A branch supervisor's report is computed in their branch, and says so.
    let mut tx = s_store.begin().await.expect("tx");
    sqlx::query("UPDATE staff SET branch = 'SH-001' WHERE role = 'supervisor'")
        .execute(&mut *tx)
        .await
        .expect("branch");
    tx.commit().await.expect("commit");
    let file = supervisor
        .insights_campaign_report(query.clone())
        .await
        .expect("report");
    let (_, text) = pdf_pages_and_text(&file.bytes);
    assert!(text.contains("统计范围：网点SH-001。"), "{text}");
    // Front-line staff print their own numbers, and the page says whose. (The same account
    // made a teller, then booth staff: a role change counts from the next command.)
    for role in ["teller", "booth"] {
        let mut tx = s_store.begin().await.expect("tx");
        sqlx::query("UPDATE staff SET role = ? WHERE username = 'li.na'")
            .bind(role)
            .execute(&mut *tx)
            .await
            .expect("role");
        tx.commit().await.expect("commit");
        let file = supervisor
            .insights_campaign_report(query.clone())
            .await
            .expect("their own report");
        let (_, text) = pdf_pages_and_text(&file.bytes);
        assert!(
            text.contains("统计范围：本人（li.na）签约的客户。"),
            "{role}: {text}"
        );
    }
    sandbox.shutdown().await;
}
