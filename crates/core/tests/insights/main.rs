//! The promotion metrics on a small hand-made data set, the answers worked out in comments.
//!
//! The data set (period: March 2026; asked on 30 April 2026; default configuration):
//!
//! | customer | signed up | campaign | booth   | staff | branch | channel | transactions            |
//! |----------|-----------|----------|---------|-------|--------|---------|-------------------------|
//! | c0       | 02-10     | (none)   | (none)  | li    | BJ01   | counter | 02-10, 03-01            |
//! | c1       | 03-01     | SPRING   | B-MALL1 | wang  | BJ01   | booth   | 03-01, 03-05, 03-20     |
//! | c2       | 03-02     | SPRING   | B-MALL1 | wang  | BJ01   | qr      | 03-12                   |
//! | c3       | 03-03     | SPRING   | B-MALL2 | li    | BJ01   | booth   | (none)                  |
//! | c4       | 03-04     | WINTER   | S-MALL1 | zhao  | SH01   | booth   | 03-06, 03-07, 03-08     |
//! | c5       | 03-20     | WINTER   | S-MALL1 | zhao  | SH01   | counter | 03-21                   |
//! | c6       | 03-25     | SPRING   | B-MALL2 | li    | BJ01   | booth   | 04-20                   |
//!
//! Days to the first transaction: c0 0, c1 0, c2 10, c3 never, c4 2, c5 1, c6 26.
//! Complaints: c0 on 02-20, c4 on 03-10, c3 on 03-15.
//! Incentives: SPRING paid 10.00 yuan to c1 (03-01), c2 (03-02), c3 (03-03), c6 (03-25);
//! WINTER 5.00 yuan to c4 (03-04); c5 (counter) none.
//! Surveys: c0 4 of 5 (02-25), c4 5 of 5 (03-15), c3 2 of 5 (03-20).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;
use walletdesk_core::access::{Permission, Role};
use walletdesk_core::insights::metrics::{self, DayRange, Dims};
use walletdesk_core::insights::rollup::{self, MemoryRollups};
use walletdesk_core::insights::{Activity, Dimension, Metric, MetricConfig, Scope, Windows};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(&format!("2026-{text}"), "%Y-%m-%d").expect("day")
}

fn dims(campaign: &str, booth: &str, staff: &str, branch: &str, channel: &str) -> Dims {
    Dims {
        campaign: campaign.to_owned(),
        booth: booth.to_owned(),
        staff: staff.to_owned(),
        branch: branch.to_owned(),
        channel: channel.to_owned(),
    }
}

struct Customer {
    dims: Dims,
    signed_up: &'static str,
    transactions: &'static [&'static str],
    complaints: &'static [&'static str],
    incentive_fen: Option<i64>,
    surveys: &'static [(&'static str, u8)],
}

fn data_set() -> Vec<Customer> {
    vec![
        Customer {
            dims: dims("", "", "li", "BJ01", "counter"),
            signed_up: "02-10",
            transactions: &["02-10", "03-01"],
            complaints: &["02-20"],
            incentive_fen: None,
            surveys: &[("02-25", 4)],
        },
        Customer {
            dims: dims("SPRING", "B-MALL1", "wang", "BJ01", "booth"),
            signed_up: "03-01",
            transactions: &["03-01", "03-05", "03-20"],
            complaints: &[],
            incentive_fen: Some(1000),
            surveys: &[],
        },
        Customer {
            dims: dims("SPRING", "B-MALL1", "wang", "BJ01", "qr"),
            signed_up: "03-02",
            transactions: &["03-12"],
            complaints: &[],
            incentive_fen: Some(1000),
            surveys: &[],
        },
        Customer {
            dims: dims("SPRING", "B-MALL2", "li", "BJ01", "booth"),
            signed_up: "03-03",
            transactions: &[],
            complaints: &["03-15"],
            incentive_fen: Some(1000),
            surveys: &[("03-20", 2)],
        },
        Customer {
            dims: dims("WINTER", "S-MALL1", "zhao", "SH01", "booth"),
            signed_up: "03-04",
            transactions: &["03-06", "03-07", "03-08"],
            complaints: &["03-10"],
            incentive_fen: Some(500),
            surveys: &[("03-15", 5)],
        },
        Customer {
            dims: dims("WINTER", "S-MALL1", "zhao", "SH01", "counter"),
            signed_up: "03-20",
            transactions: &["03-21"],
            complaints: &[],
            incentive_fen: None,
            surveys: &[],
        },
        Customer {
            dims: dims("SPRING", "B-MALL2", "li", "BJ01", "booth"),
            signed_up: "03-25",
            transactions: &["04-20"],
            complaints: &[],
            incentive_fen: Some(1000),
            surveys: &[],
        },
    ]
}

/// The rollups as the core bank keeps them: every event through the upkeep rules, in the
/// order it happened.
fn rollups(config: &MetricConfig) -> MemoryRollups {
    let mut rollups = MemoryRollups::default();
    for c in data_set() {
        let (mut activity, deltas) = Activity::sign_up(day(c.signed_up));
        rollups.add(&c.dims, deltas);
        if let Some(fen) = c.incentive_fen {
            rollups.add(&c.dims, [rollup::incentive(day(c.signed_up), fen)]);
        }
        for t in c.transactions {
            let deltas = activity.transaction(day(t), config);
            rollups.add(&c.dims, deltas);
        }
        for complaint in c.complaints {
            rollups.add(&c.dims, [rollup::complaint(day(complaint))]);
        }
        for (on, score) in c.surveys {
            rollups.add(&c.dims, rollup::survey(day(on), *score, config));
        }
    }
    rollups
}

fn march() -> DayRange {
    DayRange::new(day("03-01"), day("03-31")).expect("period")
}

/// The metric per group of `dimension` (the key "" for all of them together without one).
fn answer(
    metric: Metric,
    dimension: Option<Dimension>,
    activation_days: u16,
    as_of: &str,
) -> BTreeMap<String, Option<Decimal>> {
    let config = MetricConfig::default();
    let windows = Windows::new(march(), day(as_of), activation_days, &config);
    rollups(&config)
        .sums(dimension, &windows, |_| true)
        .into_iter()
        .map(|(key, sums)| (key, metrics::value(metric, &sums, &config)))
        .collect()
}

fn dec(text: &str) -> Option<Decimal> {
    Some(Decimal::from_str(text).expect("decimal"))
}

fn total(metric: Metric, activation_days: u16, as_of: &str) -> Option<Decimal> {
    answer(metric, None, activation_days, as_of)[""]
}

#[test]
fn sign_ups_count_the_periods_new_customers_by_campaign() {
    // March: c1..c6 = 6 (c0 signed up in February). SPRING c1, c2, c3, c6 = 4; WINTER c4, c5
    // = 2; c0's group (no campaign) has no March sign-up: 0.
    assert_eq!(total(Metric::SignUps, 30, "04-30"), dec("6"));
    let by = answer(Metric::SignUps, Some(Dimension::Campaign), 30, "04-30");
    assert_eq!(by["SPRING"], dec("4"));
    assert_eq!(by["WINTER"], dec("2"));
    assert_eq!(by[""], dec("0"));
}

#[test]
fn activation_in_7_days_by_campaign() {
    // Within 7 days: c1 (0), c4 (2), c5 (1); not c2 (10), c3 (never), c6 (26): 3 of 6 = 50.0%.
    // SPRING: c1 of c1, c2, c3, c6 = 1 of 4 = 25.0%; WINTER: c4, c5 of 2 = 100.0%.
    assert_eq!(total(Metric::Activation, 7, "04-30"), dec("50.0"));
    let by = answer(Metric::Activation, Some(Dimension::Campaign), 7, "04-30");
    assert_eq!(by["SPRING"], dec("25.0"));
    assert_eq!(by["WINTER"], dec("100.0"));
}

#[test]
fn activation_in_30_days_by_booth() {
    // Within 30 days: all but c3: 5 of 6 = 83.3% (83.33... rounded to one place).
    // B-MALL1: c1, c2 = 2 of 2 = 100.0%; B-MALL2: c6 of c3, c6 = 50.0%; S-MALL1 2 of 2.
    assert_eq!(total(Metric::Activation, 30, "04-30"), dec("83.3"));
    let by = answer(Metric::Activation, Some(Dimension::Booth), 30, "04-30");
    assert_eq!(by["B-MALL1"], dec("100.0"));
    assert_eq!(by["B-MALL2"], dec("50.0"));
    assert_eq!(by["S-MALL1"], dec("100.0"));
}

#[test]
fn activation_counts_only_sign_ups_whose_window_has_closed() {
    // Asked on 5 April, a 30-day window has closed only for sign-ups up to 6 March: c1, c2,
    // c3, c4; of them c1, c2, c4 activated: 3 of 4 = 75.0%. c5 and c6 are not yet "not
    // activated". A 7-day window has closed for sign-ups up to 29 March: all six, as above.
    assert_eq!(total(Metric::Activation, 30, "04-05"), dec("75.0"));
    assert_eq!(total(Metric::Activation, 7, "04-05"), dec("50.0"));
    // Asked on 2 March, no March sign-up is 7 days old: no value, not 0%.
    assert_eq!(total(Metric::Activation, 7, "03-02"), None);
}

#[test]
fn monthly_active_counts_a_transaction_in_the_30_days_ending_the_period_by_staff() {
    // The 30 days ending 31 March are 2 to 31 March. Active: c1 (03-05, 03-20), c2 (03-12),
    // c4 (03-06..08), c5 (03-21) = 4. Not c0 (last on 03-01, one day outside), c3 (none),
    // c6 (first on 04-20, after the period).
    assert_eq!(total(Metric::MonthlyActive, 30, "04-30"), dec("4"));
    // wang: c1, c2 = 2; zhao: c4, c5 = 2; li: c0, c3, c6 = 0.
    let by = answer(Metric::MonthlyActive, Some(Dimension::Staff), 30, "04-30");
    assert_eq!(by["wang"], dec("2"));
    assert_eq!(by["zhao"], dec("2"));
    assert_eq!(by["li"], dec("0"));
}

#[test]
fn transactions_per_active_user_by_branch() {
    // Transactions from 2 to 31 March: c1 2 (03-05, 03-20; 03-01 is outside), c2 1, c4 3,
    // c5 1 = 7 over 4 active = 1.75.
    assert_eq!(
        total(Metric::TransactionsPerActive, 30, "04-30"),
        dec("1.75")
    );
    // BJ01: c1 2 + c2 1 = 3 over c1, c2 active = 1.50; SH01: c4 3 + c5 1 = 4 over 2 = 2.00.
    let by = answer(
        Metric::TransactionsPerActive,
        Some(Dimension::Branch),
        30,
        "04-30",
    );
    assert_eq!(by["BJ01"], dec("1.50"));
    assert_eq!(by["SH01"], dec("2.00"));
}

#[test]
fn complaint_rate_per_10000_customers_by_channel() {
    // Complaints received in March: c4 (03-10), c3 (03-15) = 2 (c0's was in February).
    // Customers signed up by 31 March: c0..c6 = 7. 2 x 10,000 / 7 = 2857.142... = 2857.14.
    assert_eq!(total(Metric::ComplaintRate, 30, "04-30"), dec("2857.14"));
    // booth: c1, c3, c4, c6 = 4 customers, 2 complaints = 5000.00; counter: c0, c5, none in
    // March = 0.00; qr: c2 = 0.00.
    let by = answer(Metric::ComplaintRate, Some(Dimension::Channel), 30, "04-30");
    assert_eq!(by["booth"], dec("5000.00"));
    assert_eq!(by["counter"], dec("0.00"));
    assert_eq!(by["qr"], dec("0.00"));
}

#[test]
fn incentive_cost_per_customer_activated_in_30_days_by_campaign() {
    // SPRING paid 4 x 10.00 = 40.00 yuan; activated in 30 days: c1, c2, c6 = 3: 13.33 yuan.
    // WINTER paid 5.00; activated c4, c5 = 2: 2.50. Together 45.00 over 5 = 9.00.
    assert_eq!(
        total(Metric::IncentiveCostPerActivated, 30, "04-30"),
        dec("9.00")
    );
    let by = answer(
        Metric::IncentiveCostPerActivated,
        Some(Dimension::Campaign),
        30,
        "04-30",
    );
    assert_eq!(by["SPRING"], dec("13.33"));
    assert_eq!(by["WINTER"], dec("2.50"));
    // No campaign paid nothing and activated nobody in March: no value.
    assert_eq!(by[""], None);
}

#[test]
fn satisfaction_is_the_share_of_surveys_at_4_or_5_by_branch() {
    // March surveys: c4 5 (satisfied), c3 2 (not): 1 of 2 = 50.0% (c0's 4 was in February).
    assert_eq!(total(Metric::Satisfaction, 30, "04-30"), dec("50.0"));
    // BJ01: c3's 2 = 0.0%; SH01: c4's 5 = 100.0%.
    let by = answer(Metric::Satisfaction, Some(Dimension::Branch), 30, "04-30");
    assert_eq!(by["BJ01"], dec("0.0"));
    assert_eq!(by["SH01"], dec("100.0"));
}

#[test]
fn satisfied_score_and_complaint_base_follow_the_configuration() {
    // A bank that counts only 5 of 5 as satisfied: still c4's 5 of the two = 50.0%; with c0's
    // 4 in February's surveys it would not count. Complaints per 1,000: 2 x 1,000 / 7 = 285.71.
    let config = MetricConfig {
        satisfied_min_score: 5,
        complaint_rate_per: 1_000,
        ..MetricConfig::default()
    };
    let feb = DayRange::new(day("02-01"), day("02-28")).expect("period");
    let windows = Windows::new(feb, day("04-30"), 30, &config);
    let sums = &rollups(&config).sums(None, &windows, |_| true)[""];
    // February: one survey, c0's 4, not satisfied at a minimum of 5: 0.0%.
    assert_eq!(
        metrics::value(Metric::Satisfaction, sums, &config),
        dec("0.0")
    );
    let windows = Windows::new(march(), day("04-30"), 30, &config);
    let sums = &rollups(&config).sums(None, &windows, |_| true)[""];
    assert_eq!(
        metrics::value(Metric::ComplaintRate, sums, &config),
        dec("285.71")
    );
}

#[test]
fn the_period_before_is_the_same_length_just_before_and_the_change_is_a_percentage() {
    // March has 31 days: the period before is 29 January to 28 February.
    assert_eq!(
        march().before(),
        DayRange::new(day("01-29"), day("02-28")).expect("period")
    );
    // BJ01 signed up c0 before and c1, c2, c3, c6 in March: 1 to 4 is +300.0%.
    let config = MetricConfig::default();
    let rollups = rollups(&config);
    let bj01 = |range: DayRange| {
        let windows = Windows::new(range, day("04-30"), 30, &config);
        let sums = rollups.sums(Some(Dimension::Branch), &windows, |_| true);
        metrics::value(Metric::SignUps, &sums["BJ01"], &config)
    };
    assert_eq!(
        metrics::change_percent(bj01(march()), bj01(march().before())),
        dec("300.0")
    );
    assert_eq!(metrics::change_percent(dec("5"), dec("0")), None);
    assert_eq!(metrics::change_percent(dec("5"), None), None);
}

#[test]
fn staff_see_their_own_numbers_branch_supervisors_their_branch_head_office_everything() {
    let config = MetricConfig::default();
    let windows = Windows::new(march(), day("04-30"), 30, &config);
    let rollups = rollups(&config);
    let sign_ups = |scope: Option<Scope>| {
        let scope = scope.expect("a role with insights");
        rollups
            .sums(None, &windows, |d| scope.admits(d))
            .get("")
            .map(|s| s.signups)
    };
    // Head office: all six March sign-ups; BJ01's supervisor c1, c2, c3, c6; wang c1, c2.
    assert_eq!(sign_ups(Scope::of(Role::Supervisor, "boss", None)), Some(6));
    assert_eq!(
        sign_ups(Scope::of(Role::Supervisor, "boss", Some("BJ01"))),
        Some(4)
    );
    assert_eq!(sign_ups(Scope::of(Role::Booth, "wang", None)), Some(2));
    // A teller's own counter sign-ups, whatever branch is given.
    assert_eq!(
        sign_ups(Scope::of(Role::Teller, "zhao", Some("BJ01"))),
        Some(2)
    );
    for role in [Role::Complaints, Role::Disputes, Role::Admin] {
        assert_eq!(Scope::of(role, "x", None), None, "{role:?}");
    }
    // The permission that opens Insights is given exactly to the roles with a scope: no role
    // has a scope it cannot reach, and none reaches Insights without one.
    for role in Role::ALL {
        assert_eq!(
            role.may(Permission::ViewInsights),
            Scope::of(role, "x", None).is_some(),
            "{role:?}"
        );
    }
}

#[test]
fn metric_configuration_defaults_are_valid_and_out_of_range_is_refused() {
    let ok = MetricConfig::default();
    ok.validate().expect("defaults");
    assert_eq!(ok.activation_days, vec![7, 30]);
    let refused = [
        MetricConfig {
            activation_days: vec![],
            ..ok.clone()
        },
        MetricConfig {
            activation_days: vec![7, 91],
            ..ok.clone()
        },
        MetricConfig {
            active_window_days: 0,
            ..ok.clone()
        },
        MetricConfig {
            satisfied_min_score: 6,
            ..ok.clone()
        },
        MetricConfig {
            complaint_rate_per: 0,
            ..ok.clone()
        },
    ];
    for config in refused {
        assert!(config.validate().is_err(), "{config:?}");
    }
}

/// A tiny deterministic generator, so the check below is the same on every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

#[test]
fn rollups_kept_event_by_event_agree_with_counting_the_raw_events() {
    // 300 customers, random sign-up days and transaction days in time order; every active
    // count and activation from the rollups equals a direct count over the raw events.
    let config = MetricConfig::default();
    let start = day("01-01");
    let mut rng = Lcg(42);
    let mut rollups = MemoryRollups::default();
    let mut raw: Vec<(NaiveDate, Vec<NaiveDate>)> = Vec::new();
    let one = dims("C", "B", "s", "BR", "booth");
    for _ in 0..300 {
        let signed_up = start + chrono::Days::new(rng.next(120));
        let (mut activity, deltas) = Activity::sign_up(signed_up);
        rollups.add(&one, deltas);
        let mut at = signed_up;
        let mut txns = Vec::new();
        for _ in 0..rng.next(6) {
            at = at + chrono::Days::new(rng.next(45));
            txns.push(at);
            rollups.add(&one, activity.transaction(at, &config));
        }
        raw.push((signed_up, txns));
    }
    for offset in (0..200).step_by(7) {
        let to = start + chrono::Days::new(offset);
        let period = DayRange::new(start, to).expect("period");
        for n in [7_u16, 30] {
            let as_of = day("12-31");
            let windows = Windows::new(period, as_of, n, &config);
            let sums = rollups.sums(None, &windows, |_| true)[""];
            let active = raw
                .iter()
                .filter(|(_, t)| t.iter().any(|d| *d <= to && (to - *d).num_days() < 30))
                .count();
            let activated = raw
                .iter()
                .filter(|(s, t)| {
                    period.contains(*s)
                        && t.first()
                            .is_some_and(|f| (*f - *s).num_days() <= i64::from(n))
                })
                .count();
            assert_eq!(sums.active, i64::try_from(active).expect("count"), "{to}");
            assert_eq!(
                sums.activated,
                i64::try_from(activated).expect("count"),
                "{to}"
            );
        }
    }
}

fn range(from: &str, to: &str) -> DayRange {
    DayRange::new(day(from), day(to)).expect("range")
}

#[test]
fn a_trend_cuts_the_period_into_at_most_twelve_buckets_of_equal_length() {
    use walletdesk_core::insights::dashboard::buckets;
    // A week: a point a day.
    assert_eq!(buckets(range("03-01", "03-07")).len(), 7);
    // 30 days: 30 / 12 rounded up = 3 days a point, 10 points.
    let month = buckets(range("03-01", "03-30"));
    assert_eq!(month.len(), 10);
    assert_eq!(month[0], range("03-01", "03-03"));
    assert_eq!(month[9], range("03-28", "03-30"));
    // 366 days (2025-03-02 to 2026-03-02): 31 days a point; 11 x 31 = 341, the last 25.
    let year = buckets(
        DayRange::new(
            NaiveDate::from_ymd_opt(2025, 3, 2).expect("day"),
            day("03-02"),
        )
        .expect("year"),
    );
    assert_eq!(year.len(), 12);
    assert_eq!(year[0].days(), 31);
    assert_eq!(year[11].days(), 25);
    assert_eq!(year[11].to, day("03-02"));
}

#[test]
fn a_campaign_is_compared_over_its_days_so_far_at_most_366() {
    use walletdesk_core::insights::dashboard::campaign_period;
    // Running: from its first day to today.
    assert_eq!(
        campaign_period(day("03-01"), day("12-31"), day("03-10")),
        Some(range("03-01", "03-10"))
    );
    // Ended: its own days.
    assert_eq!(
        campaign_period(day("03-01"), day("03-05"), day("03-10")),
        Some(range("03-01", "03-05"))
    );
    // Not started: nothing to compare.
    assert_eq!(
        campaign_period(day("03-11"), day("03-20"), day("03-10")),
        None
    );
    // Longer than a report: the latest 366 days.
    let long = campaign_period(
        NaiveDate::from_ymd_opt(2024, 1, 1).expect("day"),
        day("12-31"),
        day("03-10"),
    )
    .expect("long");
    assert_eq!(long.days(), 366);
    assert_eq!(long.to, day("03-10"));
}
