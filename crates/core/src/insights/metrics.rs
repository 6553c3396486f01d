//! The promotion metrics, defined once (docs/metrics.md writes the same formulas out).

use crate::error::{Error, Result};
use chrono::{Days, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A number the dashboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// Customers who signed up in the period.
    SignUps,
    /// Share (percent) of the period's sign-ups whose first transaction came within N days.
    Activation,
    /// Customers with at least one transaction in the 30 days ending the period.
    MonthlyActive,
    /// Transactions in those 30 days per monthly active customer.
    TransactionsPerActive,
    /// Share (percent) of the period's surveys scored 4 or 5 of 5.
    Satisfaction,
    /// Complaints received in the period per 10,000 customers.
    ComplaintRate,
    /// Incentive paid (yuan) per customer activated within N days.
    IncentiveCostPerActivated,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::SignUps,
        Metric::Activation,
        Metric::MonthlyActive,
        Metric::TransactionsPerActive,
        Metric::Satisfaction,
        Metric::ComplaintRate,
        Metric::IncentiveCostPerActivated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::SignUps => "sign-ups",
            Metric::Activation => "activation",
            Metric::MonthlyActive => "monthly-active",
            Metric::TransactionsPerActive => "transactions-per-active",
            Metric::Satisfaction => "satisfaction",
            Metric::ComplaintRate => "complaint-rate",
            Metric::IncentiveCostPerActivated => "incentive-cost-per-activated",
        }
    }

    pub fn parse(text: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// Surveys are recorded at the console, not the core: the console counts them itself.
    pub fn from_the_console(self) -> bool {
        self == Metric::Satisfaction
    }
}

/// What the numbers are grouped by: the attribution every customer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Dimension {
    Campaign,
    Booth,
    Staff,
    Branch,
    Channel,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Campaign,
        Dimension::Booth,
        Dimension::Staff,
        Dimension::Branch,
        Dimension::Channel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Campaign => "campaign",
            Dimension::Booth => "booth",
            Dimension::Staff => "staff",
            Dimension::Branch => "branch",
            Dimension::Channel => "channel",
        }
    }

    pub fn parse(text: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == text)
    }
}

/// Who won a customer (empty text: nobody, e.g. a customer from before campaigns). The branch
/// is the booth's branch, or the counter's.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Dims {
    pub campaign: String,
    pub booth: String,
    pub staff: String,
    pub branch: String,
    pub channel: String,
}

impl Dims {
    pub fn key(&self, dimension: Dimension) -> &str {
        match dimension {
            Dimension::Campaign => &self.campaign,
            Dimension::Booth => &self.booth,
            Dimension::Staff => &self.staff,
            Dimension::Branch => &self.branch,
            Dimension::Channel => &self.channel,
        }
    }
}

/// Where banks differ. The active window is applied when the rollups are written (the core
/// bank's setting); the rest when they are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MetricConfig {
    /// The activation windows the dashboard offers, in days (DOMAIN.md: 7 and 30).
    pub activation_days: Vec<u16>,
    /// A customer is active with a transaction in this many days (DOMAIN.md: 30).
    pub active_window_days: u16,
    /// A survey at this score of 5 or above is satisfied (DOMAIN.md: 4).
    pub satisfied_min_score: u8,
    /// Complaints are counted per this many customers (DOMAIN.md: 10,000).
    pub complaint_rate_per: u32,
}

impl Default for MetricConfig {
    fn default() -> Self {
        MetricConfig {
            activation_days: vec![7, 30],
            active_window_days: 30,
            satisfied_min_score: 4,
            complaint_rate_per: 10_000,
        }
    }
}

impl MetricConfig {
    /// The longest activation window a bank may choose: the rollups keep first transactions
    /// up to this many days after sign-up.
    pub const MAX_ACTIVATION_DAYS: u16 = 90;

    pub fn validate(&self) -> Result<()> {
        if self.activation_days.is_empty()
            || self
                .activation_days
                .iter()
                .any(|d| *d == 0 || *d > Self::MAX_ACTIVATION_DAYS)
        {
            return Err(Error::field("activationDays", "insights_activation_days"));
        }
        if !(1..=Self::MAX_ACTIVATION_DAYS).contains(&self.active_window_days) {
            return Err(Error::field("activeWindowDays", "insights_active_window"));
        }
        if !(1..=5).contains(&self.satisfied_min_score) {
            return Err(Error::field(
                "satisfiedMinScore",
                "insights_satisfied_score",
            ));
        }
        if self.complaint_rate_per == 0 {
            return Err(Error::field("complaintRatePer", "insights_complaint_base"));
        }
        Ok(())
    }
}

/// China days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DayRange {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<DayRange> {
        if to < from {
            return Err(Error::field("to", "insights_period_order"));
        }
        Ok(DayRange { from, to })
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The same number of days just before this period (the "before" of a before/after).
    pub fn before(&self) -> DayRange {
        let len = u64::try_from(self.days()).unwrap_or(0);
        DayRange {
            from: self
                .from
                .checked_sub_days(Days::new(len))
                .unwrap_or(NaiveDate::MIN),
            to: self.from.pred_opt().unwrap_or(NaiveDate::MIN),
        }
    }
}

/// Which days each sum covers, for one question (a period, as of a moment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Windows {
    /// Sign-ups, complaints, surveys.
    pub period: DayRange,
    /// The period's sign-ups whose activation window had closed by the as-of day (none when
    /// no sign-up of the period is old enough): activation and incentive cost count only
    /// these, so a customer who signed up yesterday is not counted as "not activated".
    pub matured: Option<DayRange>,
    pub activation_days: u16,
    /// The day monthly active users are counted on: the period's end, or the as-of day if
    /// earlier.
    pub active_on: NaiveDate,
    /// The active window ending `active_on`: its transactions over its active users.
    pub frequency: DayRange,
    /// Customers signed up up to this day are the complaint rate's base.
    pub customers_on: NaiveDate,
}

impl Windows {
    pub fn new(
        period: DayRange,
        as_of: NaiveDate,
        activation_days: u16,
        config: &MetricConfig,
    ) -> Windows {
        let active_on = period.to.min(as_of);
        let window = u64::from(config.active_window_days.max(1)) - 1;
        let frequency = DayRange {
            from: active_on
                .checked_sub_days(Days::new(window))
                .unwrap_or(NaiveDate::MIN),
            to: active_on,
        };
        let last_matured = as_of.checked_sub_days(Days::new(u64::from(activation_days)));
        let matured = last_matured
            .map(|last| period.to.min(last))
            .filter(|to| *to >= period.from)
            .map(|to| DayRange {
                from: period.from,
                to,
            });
        Windows {
            period,
            matured,
            activation_days,
            active_on,
            frequency,
            customers_on: period.to.min(as_of),
        }
    }
}

/// The sums a metric is made of, for one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sums {
    pub signups: i64,
    pub matured_signups: i64,
    pub activated: i64,
    pub active: i64,
    pub transactions: i64,
    pub customers: i64,
    pub complaints: i64,
    pub incentive_fen: i64,
    pub surveys: i64,
    pub satisfied: i64,
}

impl Sums {
    pub fn merge(&mut self, other: &Sums) {
        self.signups += other.signups;
        self.matured_signups += other.matured_signups;
        self.activated += other.activated;
        self.active += other.active;
        self.transactions += other.transactions;
        self.customers += other.customers;
        self.complaints += other.complaints;
        self.incentive_fen += other.incentive_fen;
        self.surveys += other.surveys;
        self.satisfied += other.satisfied;
    }

    /// The numerator and denominator `metric` divides (a count divides by 1).
    pub fn fraction(&self, metric: Metric, config: &MetricConfig) -> (i64, i64) {
        match metric {
            Metric::SignUps => (self.signups, 1),
            Metric::Activation => (self.activated, self.matured_signups),
            Metric::MonthlyActive => (self.active, 1),
            Metric::TransactionsPerActive => (self.transactions, self.active),
            Metric::Satisfaction => (self.satisfied, self.surveys),
            Metric::ComplaintRate => (
                self.complaints * i64::from(config.complaint_rate_per),
                self.customers,
            ),
            Metric::IncentiveCostPerActivated => (self.incentive_fen, self.activated * 100),
        }
    }
}

/// The metric's value from its sums: `None` when it divides by zero (no sign-ups, no
/// surveys...), which the dashboard shows as "no data", never as 0.
pub fn value(metric: Metric, sums: &Sums, config: &MetricConfig) -> Option<Decimal> {
    let (top, bottom) = sums.fraction(metric, config);
    if bottom == 0 {
        return None;
    }
    let ratio = Decimal::from(top) / Decimal::from(bottom);
    let (scaled, places) = match metric {
        Metric::SignUps | Metric::MonthlyActive => (ratio, 0),
        Metric::Activation | Metric::Satisfaction => (ratio * Decimal::ONE_HUNDRED, 1),
        Metric::TransactionsPerActive | Metric::ComplaintRate => (ratio, 2),
        Metric::IncentiveCostPerActivated => (ratio, 2),
    };
    Some(scaled.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero))
}

/// The change from `before` to `now`, in percent of `before` (one place); `None` without a
/// before to compare with.
pub fn change_percent(now: Option<Decimal>, before: Option<Decimal>) -> Option<Decimal> {
    let (now, before) = (now?, before?);
    if before.is_zero() {
        return None;
    }
    Some(
        ((now - before) / before * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero),
    )
}
