//! The reporting resource and the daily rollups the write path keeps for it (issue 17).

use super::small_sandbox as sandbox;
use super::support::{get, post};
use chrono::{Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use walletdesk_core::insights::metrics::{DayRange, Dims};
use walletdesk_core::insights::rollup::MemoryRollups;
use walletdesk_core::insights::{Counter, Delta, Dimension, MetricConfig, Windows};
use walletdesk_sandbox::RunningSandbox;

fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

fn day(offset: i64) -> String {
    (today() + Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

/// Two campaigns at two booths of two branches; four sign-ups (one a repeat of the same
/// mobile at the other booth), incentives, payments and a complaint.
async fn promote(sandbox: &RunningSandbox) {
    for (code, booth, branch) in [("SPRING", "B-07", "BJ-001"), ("AUTUMN", "S-01", "SH-001")] {
        let campaign = json!({"code": code, "name": "推广", "startsOn": day(-1), "endsOn": day(30),
            "branches": [branch], "booths": [booth],
            "incentive": {"kind": "cashback", "amount": "8.80"}});
        let saved = post(sandbox, "/v1/campaigns", &format!("c-{code}"), &campaign).await;
        assert_eq!(saved.0, StatusCode::OK, "{}", saved.1);
        let b = json!({"code": booth, "name": "展位", "mall": "万达广场", "address": "建国路 93 号",
            "branch": branch, "roster": ["wang", "zhao"]});
        let saved = post(sandbox, "/v1/booths", &format!("b-{booth}"), &b).await;
        assert_eq!(saved.0, StatusCode::OK, "{}", saved.1);
    }
    let people = [
        ("SPRING", "B-07", "wang", "booth", "13900139001", "1"),
        ("SPRING", "B-07", "wang", "qr", "13900139002", "2"),
        ("AUTUMN", "S-01", "zhao", "booth", "13900139003", "3"),
        // The first person again at the other campaign's booth: still one customer, SPRING's.
        ("AUTUMN", "S-01", "zhao", "booth", "13900139001", "4"),
    ];
    let mut wallets = Vec::new();
    for (campaign, booth, staff, channel, mobile, n) in people {
        let body = json!({"externalId": format!("1a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6{n}"),
            "mobile": mobile, "consents": [
                {"scope": "general-processing", "version": "2026-01"},
                {"scope": "sensitive-financial", "version": "2026-01"}],
            "campaign": campaign, "booth": booth, "staffId": staff, "channel": channel,
            "claim": {"amount": "8.80", "personKey": format!("{n:0>64}")}});
        let (status, answer) = post(sandbox, "/v1/signups", &format!("s{n}"), &body).await;
        assert!(status.is_success(), "{answer}");
        if let Some(w) = answer["walletId"].as_str() {
            wallets.push(w.to_owned());
        }
    }
    // The first two new customers pay; the first twice.
    for (i, wallet) in [&wallets[0], &wallets[0], &wallets[1]]
        .into_iter()
        .enumerate()
    {
        let body = json!({"walletId": wallet, "amount": "10", "direction": "in",
            "counterparty": "本人银行卡"});
        let (status, answer) = post(sandbox, "/v1/payments", &format!("p{i}"), &body).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    let complaint = json!({"caseNumber": "TS-1", "customerId": "6", "category": "service",
        "channel": "phone", "summary": "排队太久", "receivedOn": day(0)});
    let (status, answer) = post(sandbox, "/v1/complaints", "k1", &complaint).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

async fn rows(
    sandbox: &RunningSandbox,
) -> Vec<(
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
)> {
    sqlx::query_as(
        "SELECT counter, day, delay, campaign, booth, staff, branch, channel, amount \
         FROM insight_daily WHERE amount <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8",
    )
    .fetch_all(sandbox.store().pool())
    .await
    .expect("rollup rows")
}

#[tokio::test]
async fn the_write_path_keeps_the_rollups_a_rebuild_from_every_row_would_make() {
    let sandbox = sandbox().await;
    promote(&sandbox).await;
    let kept = rows(&sandbox).await;
    // Three new customers; the repeat sign-up added none.
    let signups: i64 = kept
        .iter()
        .filter(|r| r.0 == "signups" && !r.3.is_empty())
        .map(|r| r.8)
        .sum();
    assert_eq!(signups, 3);
    let mut tx = sandbox.store().pool().begin().await.expect("begin");
    walletdesk_sandbox::insights::rebuild(&mut tx, Utc::now())
        .await
        .expect("rebuild");
    tx.commit().await.expect("commit");
    assert_eq!(rows(&sandbox).await, kept);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn report_sums_are_the_core_windows_sums() {
    let sandbox = sandbox().await;
    promote(&sandbox).await;
    // The same rows through the core's reference (`Windows::add`) and through the SQL.
    let mut reference = MemoryRollups::default();
    for (counter, d, delay, campaign, booth, staff, branch, channel, amount) in rows(&sandbox).await
    {
        let counter = match counter.as_str() {
            "signups" => Counter::SignUps,
            "activated" => Counter::Activated {
                delay: u16::try_from(delay).expect("delay"),
            },
            "active" => Counter::ActiveDelta,
            "transactions" => Counter::Transactions,
            "complaints" => Counter::Complaints,
            _ => Counter::IncentiveFen,
        };
        let dims = Dims {
            campaign,
            booth,
            staff,
            branch,
            channel,
        };
        let day = NaiveDate::parse_from_str(&d, "%Y-%m-%d").expect("day");
        reference.add(
            &dims,
            [Delta {
                day,
                counter,
                amount,
            }],
        );
    }
    let config = MetricConfig::default();
    for (from, to, as_of, n) in [(-3, 3, 0, 7), (0, 0, 40, 30), (-40, -1, 0, 7), (0, 5, 8, 7)] {
        let period = DayRange::new(today() + Duration::days(from), today() + Duration::days(to))
            .expect("period");
        let windows = Windows::new(period, today() + Duration::days(as_of), n, &config);
        for dimension in [
            None,
            Some(Dimension::Campaign),
            Some(Dimension::Branch),
            Some(Dimension::Channel),
        ] {
            let mut conn = sandbox.store().pool().acquire().await.expect("conn");
            let sql = walletdesk_sandbox::insights::sums(&mut conn, dimension, &windows, &[])
                .await
                .expect("sums");
            let core: Vec<_> = reference
                .sums(dimension, &windows, |_| true)
                .into_iter()
                .collect();
            assert_eq!(sql, core, "{from}..{to} as of {as_of}, {dimension:?}");
        }
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_report_answers_the_metric_by_dimension_with_its_as_of() {
    let sandbox = sandbox().await;
    promote(&sandbox).await;
    let path = format!(
        "/v1/reports?metric=sign-ups&dimension=campaign&from={}&to={}",
        day(-1),
        day(0)
    );
    let (status, report) = get(&sandbox, &path).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let value = |key: &str| -> Value {
        report["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["key"] == key)
            .map(|r| r["value"].clone())
            .unwrap_or(Value::Null)
    };
    // SPRING won two customers; AUTUMN one (its second sign-up was SPRING's customer).
    assert_eq!(value("SPRING"), json!("2"));
    assert_eq!(value("AUTUMN"), json!("1"));
    assert!(report["asOf"].as_str().is_some_and(|t| t.ends_with('Z')));
    // Filtered to one branch: only SH-001's campaign.
    let (_, report) = get(&sandbox, &format!("{path}&branch=SH-001")).await;
    assert_eq!(report["rows"].as_array().map(Vec::len), Some(1), "{report}");
    // Incentive cost: 3 x 8.80 paid, 2 activated (as of today, a 30-day window is still
    // open: not counted yet, so no value).
    let (_, cost) = get(
        &sandbox,
        &format!(
            "/v1/reports?metric=incentive-cost-per-activated&from={}&to={}",
            day(-1),
            day(0)
        ),
    )
    .await;
    assert_eq!(cost["rows"][0]["value"], Value::Null, "{cost}");
    let (status, refused) = get(
        &sandbox,
        "/v1/reports?metric=satisfaction&from=2026-01-01&to=2026-01-02",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    sandbox.shutdown().await;
}

async fn monthly(sandbox: &RunningSandbox, from_days: bool) -> Vec<(String, String, i64, i64)> {
    let sql = if from_days {
        "SELECT counter, substr(day, 1, 7), delay, SUM(amount) FROM insight_daily \
         GROUP BY counter, substr(day, 1, 7), delay, campaign, booth, staff, branch, channel \
         HAVING SUM(amount) <> 0 ORDER BY 1, 2, 3, 4"
    } else {
        "SELECT counter, month, delay, amount FROM insight_monthly WHERE amount <> 0 \
         ORDER BY 1, 2, 3, 4"
    };
    sqlx::query_as(sql)
        .fetch_all(sandbox.store().pool())
        .await
        .expect("monthly rows")
}

#[tokio::test]
async fn the_monthly_rollups_are_the_daily_rows_summed_by_month() {
    let sandbox = sandbox().await;
    promote(&sandbox).await;
    let kept = monthly(&sandbox, false).await;
    // Sign-ups, activations, transactions, complaints, incentives, and active users' ends a
    // month ahead: more than one month is kept.
    assert!(kept.iter().any(|r| r.0 == "active" && r.3 < 0), "{kept:?}");
    assert_eq!(kept, monthly(&sandbox, true).await);
    let mut tx = sandbox.store().pool().begin().await.expect("begin");
    walletdesk_sandbox::insights::rebuild(&mut tx, Utc::now())
        .await
        .expect("rebuild");
    tx.commit().await.expect("commit");
    assert_eq!(monthly(&sandbox, false).await, kept);
    sandbox.shutdown().await;
}

#[test]
fn a_window_reads_its_partial_months_by_day_and_its_whole_months_by_month() {
    use walletdesk_sandbox::insights::{Span, spans};
    let d = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("day");
    let days = |a: &str, b: &str| Span::Days(a.to_owned(), b.to_owned());
    let months = |a: &str, b: &str| Span::Months(a.to_owned(), b.to_owned());
    // Within one month, or across a month end without a whole month: days only.
    assert_eq!(
        spans(Some(d("2025-03-03")), d("2025-03-09")),
        [days("2025-03-03", "2025-03-09")]
    );
    assert_eq!(
        spans(Some(d("2025-02-20")), d("2025-03-09")),
        [days("2025-02-20", "2025-03-09")]
    );
    // A year to 1 March: 4 days of March 2024, April 2024 to February 2025, 1 March 2025.
    assert_eq!(
        spans(Some(d("2024-03-28")), d("2025-03-01")),
        [
            days("2024-03-28", "2024-03-31"),
            months("2024-04", "2025-02"),
            days("2025-03-01", "2025-03-01")
        ]
    );
    // Exactly whole months (February of a leap year included): months only.
    assert_eq!(
        spans(Some(d("2024-01-01")), d("2024-02-29")),
        [months("2024-01", "2024-02")]
    );
    // A running total: every month before the day's, then its month's days.
    assert_eq!(
        spans(None, d("2025-03-09")),
        [
            months("0000-01", "2025-02"),
            days("2025-03-01", "2025-03-09")
        ]
    );
    assert_eq!(spans(None, d("2025-03-31")), [months("0000-01", "2025-03")]);
}

#[tokio::test]
async fn long_report_windows_sum_whole_months_as_the_core_sums_days() {
    let sandbox = sandbox().await;
    promote(&sandbox).await;
    let mut reference = MemoryRollups::default();
    for (counter, d, delay, campaign, booth, staff, branch, channel, amount) in rows(&sandbox).await
    {
        let counter = match counter.as_str() {
            "signups" => Counter::SignUps,
            "activated" => Counter::Activated {
                delay: u16::try_from(delay).expect("delay"),
            },
            "active" => Counter::ActiveDelta,
            "transactions" => Counter::Transactions,
            "complaints" => Counter::Complaints,
            _ => Counter::IncentiveFen,
        };
        let dims = Dims {
            campaign,
            booth,
            staff,
            branch,
            channel,
        };
        let day = NaiveDate::parse_from_str(&d, "%Y-%m-%d").expect("day");
        reference.add(
            &dims,
            [Delta {
                day,
                counter,
                amount,
            }],
        );
    }
    let config = MetricConfig::default();
    // Periods of up to a year around today's rows, with as-of days that cut the active
    // stretches (which end a month after the payments) inside and outside whole months.
    for (from, to, as_of, n) in [
        (-365, 0, 0, 7),
        (-100, 60, 0, 30),
        (-70, 70, 35, 7),
        (-400, -35, 0, 30),
        (0, 90, 95, 30),
    ] {
        let period = DayRange::new(today() + Duration::days(from), today() + Duration::days(to))
            .expect("period");
        let windows = Windows::new(period, today() + Duration::days(as_of), n, &config);
        for dimension in [None, Some(Dimension::Campaign), Some(Dimension::Staff)] {
            let mut conn = sandbox.store().pool().acquire().await.expect("conn");
            let sql = walletdesk_sandbox::insights::sums(&mut conn, dimension, &windows, &[])
                .await
                .expect("sums");
            let core: Vec<_> = reference
                .sums(dimension, &windows, |_| true)
                .into_iter()
                .collect();
            assert_eq!(sql, core, "{from}..{to} as of {as_of}, {dimension:?}");
        }
    }
    sandbox.shutdown().await;
}
