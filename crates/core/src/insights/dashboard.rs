//! The dashboard's charts: a metric's trend over the period, the funnel from lead to active
//! customer, and one campaign before and after. Every number comes from the same sums and
//! formulas as the tiles (`metrics::value`); the screen only draws them. Like the tiles, each
//! answer is kept for offline reading and marked with its as-of time when it is shown from
//! that copy.

use super::console::{InsightFilters, InsightQuery, period_of, scoped, text};
use super::metrics::{self, DayRange, Dimension, Dims, Metric, MetricConfig, Sums, Windows};
use crate::access::Permission;
use crate::console::Console;
use crate::error::{Error, Result};
use chrono::{Days, NaiveDate};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::collections::BTreeMap;
use ts_rs::TS;

/// Most points a trend line has: a long period is cut into buckets of equal length.
pub const TREND_POINTS: i64 = 12;

/// One point of a trend: the metric over `from..=to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightPoint {
    pub from: String,
    pub to: String,
    /// Decimal text; null when it would divide by zero.
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightTrend {
    pub metric: Metric,
    pub from: String,
    pub to: String,
    pub as_of: String,
    pub offline_copy: bool,
    pub points: Vec<InsightPoint>,
}

/// A step of the promotion funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum FunnelStage {
    /// People who left their contact at a booth in the period (this console's leads).
    Lead,
    /// Customers who signed up in the period (the core bank).
    SignUp,
    /// Of those, customers whose identity is verified (a resident ID on file), counted from
    /// this console's copy of the customers.
    Verified,
    /// Sign-ups of the period whose activation window has closed and who transacted within
    /// it (the core bank).
    Activated,
    /// Customers with a transaction in the active window ending the period (the core bank).
    Active,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightFunnelStep {
    pub stage: FunnelStage,
    #[ts(type = "number")]
    pub count: i64,
    /// Counted from what this console holds, not the core bank's system of record.
    pub from_this_console: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightFunnel {
    pub from: String,
    pub to: String,
    pub activation_days: u16,
    pub as_of: String,
    pub offline_copy: bool,
    pub steps: Vec<InsightFunnelStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightCampaignQuery {
    pub campaign: String,
    pub metric: Metric,
    #[ts(optional)]
    pub activation_days: Option<u16>,
}

/// One campaign before and after: the metric in the branches that run it over the campaign's
/// days so far, the same branches over the same number of days before, and the branches
/// without the campaign over the campaign's days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightCampaignView {
    pub campaign: String,
    pub name: String,
    pub metric: Metric,
    /// The campaign's first day to its last, or today while it runs.
    pub from: String,
    pub to: String,
    pub before_from: String,
    pub before_to: String,
    /// The branches that run it (within the staff member's scope).
    pub branches: Vec<String>,
    pub during: Option<String>,
    pub before: Option<String>,
    /// Percent change from `before` to `during`.
    pub change: Option<String>,
    /// Branches without the campaign, over the campaign's days.
    pub without: Option<String>,
    /// The customers the campaign itself won, over its days.
    pub won: Option<String>,
    pub as_of: String,
    pub offline_copy: bool,
}

/// Cuts `period` into at most [`TREND_POINTS`] consecutive buckets of equal length (the last
/// one shorter when the days do not divide evenly).
pub fn buckets(period: DayRange) -> Vec<DayRange> {
    let days = period.days();
    let len = (days + TREND_POINTS - 1) / TREND_POINTS;
    let mut out = Vec::new();
    let mut from = period.from;
    while from <= period.to {
        let to = from
            .checked_add_days(Days::new(u64::try_from(len - 1).unwrap_or(0)))
            .map_or(period.to, |t| t.min(period.to));
        out.push(DayRange { from, to });
        match to.succ_opt() {
            Some(next) => from = next,
            None => break,
        }
    }
    out
}

/// The campaign's days to report: from its first day to its last, or to `today` while it
/// runs, at most the 366 days a report covers (the latest ones). None before it starts.
pub fn campaign_period(starts: NaiveDate, ends: NaiveDate, today: NaiveDate) -> Option<DayRange> {
    let to = ends.min(today);
    let earliest = to
        .checked_sub_days(Days::new(365))
        .unwrap_or(NaiveDate::MIN);
    DayRange::new(starts.max(earliest), to).ok()
}

/// Sums the groups whose key `keep` accepts.
fn merged(groups: &BTreeMap<String, Sums>, keep: impl Fn(&str) -> bool) -> Sums {
    let mut out = Sums::default();
    groups
        .iter()
        .filter(|(k, _)| keep(k))
        .for_each(|(_, s)| out.merge(s));
    out
}

fn value_text(metric: Metric, sums: &Sums, config: &MetricConfig) -> Option<String> {
    metrics::value(metric, sums, config).map(|v| v.to_string())
}

impl Console {
    /// `fetched`, kept as the answer to `question`; when the core cannot be reached, the
    /// answer kept last time, marked by `offline`, or the error when there is none.
    async fn kept_answer<T: Serialize + DeserializeOwned>(
        &self,
        question: &str,
        fetched: Result<T>,
        offline: impl FnOnce(&mut T),
        as_of: impl FnOnce(&T) -> String,
    ) -> Result<T> {
        match fetched {
            Ok(answer) => {
                let kept = serde_json::to_string(&answer).map_err(|e| Error::Internal(e.into()))?;
                let mut tx = self.store().begin().await?;
                sqlx::query(
                    "INSERT INTO insight_answers (question, answer, as_of) VALUES (?, ?, ?) \
                     ON CONFLICT (question) DO UPDATE SET answer = excluded.answer, \
                     as_of = excluded.as_of",
                )
                .bind(question)
                .bind(&kept)
                .bind(as_of(&answer))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(answer)
            }
            Err(Error::CoreUnavailable(reason)) => {
                let kept: Option<String> =
                    sqlx::query_scalar("SELECT answer FROM insight_answers WHERE question = ?")
                        .bind(question)
                        .fetch_optional(self.store().read())
                        .await?;
                let Some(kept) = kept else {
                    return Err(Error::CoreUnavailable(reason));
                };
                let mut answer: T =
                    serde_json::from_str(&kept).map_err(|e| Error::Internal(e.into()))?;
                offline(&mut answer);
                Ok(answer)
            }
            Err(other) => Err(other),
        }
    }

    /// The metric over the period, bucket by bucket, within the staff member's scope.
    pub async fn insights_trend(&self, query: InsightQuery) -> Result<InsightTrend> {
        let actor = self.authorize(Permission::ViewInsights).await?;
        let scope = self.insight_scope(&actor).await?;
        let config = MetricConfig::default();
        let period = period_of(&query.from, &query.to)?;
        let activation_days = activation_days(query.activation_days, &config)?;
        let filters = scoped(&scope, &query.filters);
        let question = serde_json::to_string(&("trend", &scope, &query, &filters))
            .map_err(|e| Error::Internal(e.into()))?;
        let as_of_day = crate::clock::local_date(self.now());
        let fetched = async {
            let mut points = Vec::new();
            let mut as_of = String::new();
            for bucket in buckets(period) {
                let windows = Windows::new(bucket, as_of_day, activation_days, &config);
                let (groups, read_at) = self
                    .insight_sums(query.metric, None, &windows, &filters, &config)
                    .await?;
                as_of = read_at;
                points.push(InsightPoint {
                    from: text(bucket.from),
                    to: text(bucket.to),
                    value: value_text(query.metric, &merged(&groups, |_| true), &config),
                });
            }
            Ok(InsightTrend {
                metric: query.metric,
                from: text(period.from),
                to: text(period.to),
                as_of,
                offline_copy: false,
                points,
            })
        }
        .await;
        self.kept_answer(
            &question,
            fetched,
            |t| t.offline_copy = true,
            |t| t.as_of.clone(),
        )
        .await
    }

    /// Lead, sign-up, verified, activated, active over the period, within the scope.
    pub async fn insights_funnel(&self, query: InsightQuery) -> Result<InsightFunnel> {
        let actor = self.authorize(Permission::ViewInsights).await?;
        let scope = self.insight_scope(&actor).await?;
        let config = MetricConfig::default();
        let period = period_of(&query.from, &query.to)?;
        let activation_days = activation_days(query.activation_days, &config)?;
        let filters = scoped(&scope, &query.filters);
        let question = serde_json::to_string(&("funnel", &scope, &query, &filters))
            .map_err(|e| Error::Internal(e.into()))?;
        let windows = Windows::new(
            period,
            crate::clock::local_date(self.now()),
            activation_days,
            &config,
        );
        let booths = self.booth_branches().await?;
        let leads = self.lead_count(period, &filters, &booths).await?;
        let verified = self.verified_count(period, &filters, &booths).await?;
        let fetched = async {
            let (groups, as_of) = self
                .insight_sums(Metric::SignUps, None, &windows, &filters, &config)
                .await?;
            let sums = merged(&groups, |_| true);
            let step = |stage, count, from_this_console| InsightFunnelStep {
                stage,
                count,
                from_this_console,
            };
            Ok(InsightFunnel {
                from: text(period.from),
                to: text(period.to),
                activation_days,
                as_of,
                offline_copy: false,
                steps: vec![
                    step(FunnelStage::Lead, leads, true),
                    step(FunnelStage::SignUp, sums.signups, false),
                    step(FunnelStage::Verified, verified, true),
                    step(FunnelStage::Activated, sums.activated, false),
                    step(FunnelStage::Active, sums.active, false),
                ],
            })
        }
        .await;
        self.kept_answer(
            &question,
            fetched,
            |f| f.offline_copy = true,
            |f| f.as_of.clone(),
        )
        .await
    }

    /// One campaign before and after, within the scope (a branch supervisor compares their
    /// own branch only, so "without" is empty for them unless their branch lacks it).
    pub async fn insights_campaign(
        &self,
        query: InsightCampaignQuery,
    ) -> Result<InsightCampaignView> {
        let actor = self.authorize(Permission::ViewInsights).await?;
        let scope = self.insight_scope(&actor).await?;
        let config = MetricConfig::default();
        let activation_days = activation_days(query.activation_days, &config)?;
        let today = crate::clock::local_date(self.now());
        let (_, campaigns) = crate::booth::campaigns::all(self.store().read(), today).await?;
        let campaign = campaigns
            .into_iter()
            .find(|c| c.code == query.campaign.trim())
            .ok_or_else(|| Error::field("campaign", "insights_campaign_unknown"))?;
        let period = campaign_period(campaign.starts_on, campaign.ends_on, today)
            .ok_or_else(|| Error::field("campaign", "insights_campaign_not_started"))?;
        let before = period.before();
        let filters = scoped(&scope, &InsightFilters::default());
        let question = serde_json::to_string(&("campaign", &scope, &query))
            .map_err(|e| Error::Internal(e.into()))?;
        let now_w = Windows::new(period, today, activation_days, &config);
        let before_w = Windows::new(before, today, activation_days, &config);
        let metric = query.metric;
        let runs = |branch: &str| campaign.branches.iter().any(|b| b == branch);
        let fetched = async {
            let (during, as_of) = self
                .insight_sums(metric, Some(Dimension::Branch), &now_w, &filters, &config)
                .await?;
            let (earlier, _) = self
                .insight_sums(
                    metric,
                    Some(Dimension::Branch),
                    &before_w,
                    &filters,
                    &config,
                )
                .await?;
            let mut own = filters.clone();
            own.push((Dimension::Campaign, campaign.code.clone()));
            let (won, _) = self
                .insight_sums(metric, None, &now_w, &own, &config)
                .await?;
            let during_sums = merged(&during, runs);
            let before_sums = merged(&earlier, runs);
            // Customers with no branch were won by no booth: they belong to neither side.
            let without_sums = merged(&during, |b| !b.is_empty() && !runs(b));
            let during_value = metrics::value(metric, &during_sums, &config);
            let before_value = metrics::value(metric, &before_sums, &config);
            Ok(InsightCampaignView {
                campaign: campaign.code.clone(),
                name: campaign.name.clone(),
                metric,
                from: text(period.from),
                to: text(period.to),
                before_from: text(before.from),
                before_to: text(before.to),
                branches: campaign.branches.clone(),
                during: during_value.map(|v| v.to_string()),
                before: before_value.map(|v| v.to_string()),
                change: metrics::change_percent(during_value, before_value).map(|v| v.to_string()),
                without: value_text(metric, &without_sums, &config),
                won: value_text(metric, &merged(&won, |_| true), &config),
                as_of,
                offline_copy: false,
            })
        }
        .await;
        self.kept_answer(
            &question,
            fetched,
            |v| v.offline_copy = true,
            |v| v.as_of.clone(),
        )
        .await
    }

    /// Each booth's branch, from the read model.
    async fn booth_branches(&self) -> Result<BTreeMap<String, String>> {
        Ok(sqlx::query_as(
            "SELECT id, COALESCE(json_extract(data, '$.branch'), '') FROM core_records \
             WHERE kind = 'booth'",
        )
        .fetch_all(self.store().read())
        .await?
        .into_iter()
        .collect())
    }

    /// Leads taken at booths in the period under the filters (a lead's channel is the booth).
    async fn lead_count(
        &self,
        period: DayRange,
        filters: &[(Dimension, String)],
        booths: &BTreeMap<String, String>,
    ) -> Result<i64> {
        let rows = sqlx::query(
            "SELECT campaign, booth, staff_username FROM booth_leads WHERE day BETWEEN ? AND ?",
        )
        .bind(text(period.from))
        .bind(text(period.to))
        .fetch_all(self.store().read())
        .await?;
        let mut count = 0;
        for r in rows {
            let booth: String = r.try_get("booth")?;
            let dims = Dims {
                campaign: r.try_get("campaign")?,
                branch: booths.get(&booth).cloned().unwrap_or_default(),
                booth,
                staff: r.try_get("staff_username")?,
                channel: "booth".to_owned(),
            };
            if filters.iter().all(|(d, v)| dims.key(*d) == v.as_str()) {
                count += 1;
            }
        }
        Ok(count)
    }

    /// The period's sign-ups under the filters with a resident ID on file, from this
    /// console's copy of the customers.
    async fn verified_count(
        &self,
        period: DayRange,
        filters: &[(Dimension, String)],
        booths: &BTreeMap<String, String>,
    ) -> Result<i64> {
        let rows = sqlx::query(
            "SELECT created_at, attribution_campaign, attribution_booth, attribution_staff, \
             attribution_channel FROM core_customers \
             WHERE attribution_campaign IS NOT NULL AND masked_resident_id <> ''",
        )
        .fetch_all(self.store().read())
        .await?;
        let mut count = 0;
        for r in rows {
            let opt = |name: &str| -> Result<String> {
                Ok(r.try_get::<Option<String>, _>(name)?.unwrap_or_default())
            };
            let created: String = r.try_get("created_at")?;
            let Ok(at) = chrono::DateTime::parse_from_rfc3339(&created) else {
                continue;
            };
            if !period.contains(crate::clock::local_date(at.with_timezone(&chrono::Utc))) {
                continue;
            }
            let booth = opt("attribution_booth")?;
            let dims = Dims {
                campaign: opt("attribution_campaign")?,
                branch: booths.get(&booth).cloned().unwrap_or_default(),
                booth,
                staff: opt("attribution_staff")?,
                channel: opt("attribution_channel")?,
            };
            if filters.iter().all(|(d, v)| dims.key(*d) == v.as_str()) {
                count += 1;
            }
        }
        Ok(count)
    }
}

fn activation_days(asked: Option<u16>, config: &MetricConfig) -> Result<u16> {
    let days = asked.unwrap_or(30);
    if config.activation_days.contains(&days) {
        Ok(days)
    } else {
        Err(Error::field("activationDays", "insights_activation_days"))
    }
}
