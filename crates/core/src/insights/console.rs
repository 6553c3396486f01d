//! The Insights commands: a metric by a dimension over a period (from the core's rollups, or
//! the console's own surveys), its change against the period before, the last answer kept
//! for offline reading, and the drill-down to the customers behind a number (masked, audited).

use super::metrics::{self, DayRange, Dimension, Dims, Metric, MetricConfig, Sums, Windows};
use super::rollup::{self, MemoryRollups};
use super::scope::Scope;
use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::{Actor, Console};
use crate::domain::Mobile;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;
use std::collections::BTreeMap;
use std::str::FromStr;
use ts_rs::TS;

/// What the console asks the core bank (`GET /v1/reports`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoreReportQuery {
    pub metric: Metric,
    pub dimension: Option<Dimension>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub activation_days: u16,
    pub filters: Vec<(Dimension, String)>,
}

/// The core bank's answer: the sums per group, as of a moment. The console computes the
/// value from the sums with the same formula (`metrics::value`), so the two cannot differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreReport {
    pub as_of: String,
    pub rows: Vec<(String, Sums)>,
}

/// Only customers of this attribution (ANDed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightFilters {
    #[ts(optional)]
    pub campaign: Option<String>,
    #[ts(optional)]
    pub booth: Option<String>,
    #[ts(optional)]
    pub staff: Option<String>,
    #[ts(optional)]
    pub branch: Option<String>,
    #[ts(optional)]
    pub channel: Option<String>,
}

impl InsightFilters {
    pub(super) fn pairs(&self) -> Vec<(Dimension, String)> {
        [
            (Dimension::Campaign, &self.campaign),
            (Dimension::Booth, &self.booth),
            (Dimension::Staff, &self.staff),
            (Dimension::Branch, &self.branch),
            (Dimension::Channel, &self.channel),
        ]
        .into_iter()
        .filter_map(|(d, v)| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| (d, v.to_owned()))
        })
        .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightQuery {
    pub metric: Metric,
    #[ts(optional)]
    pub dimension: Option<Dimension>,
    /// China days `YYYY-MM-DD`, both included.
    pub from: String,
    pub to: String,
    /// The activation window N (one the configuration offers); 30 when left out.
    #[ts(optional)]
    pub activation_days: Option<u16>,
    #[serde(default)]
    pub filters: InsightFilters,
}

/// One group: the value now, in the period before, and the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightRow {
    /// The campaign, booth, staff member, branch or channel; "" for none (or the total).
    pub key: String,
    /// Decimal text; null when it would divide by zero ("no data").
    pub value: Option<String>,
    pub before: Option<String>,
    /// Percent change against the period before, one place.
    pub change: Option<String>,
    /// What the value divides, for "3 of 6" beside a rate.
    pub numerator: String,
    pub denominator: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightAnswer {
    pub metric: Metric,
    pub dimension: Option<Dimension>,
    pub from: String,
    pub to: String,
    /// The period before (same length), compared against.
    pub before_from: String,
    pub before_to: String,
    pub activation_days: u16,
    /// When the numbers were read at their source.
    pub as_of: String,
    /// True when the core could not be reached and this is the last answer kept on this
    /// console: the screen says so, with `asOf`.
    pub offline_copy: bool,
    /// Satisfaction comes from the surveys recorded at this console, not the core bank.
    pub from_this_console: bool,
    pub scope: Scope,
    pub total: InsightRow,
    pub rows: Vec<InsightRow>,
}

/// The customers behind a number: those signed up in the period under the filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightDrill {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub filters: InsightFilters,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightCustomer {
    pub id: String,
    pub name: String,
    /// First 3 and last 4 digits only.
    pub masked_mobile: String,
    pub signed_up_on: String,
    pub campaign: String,
    pub booth: String,
    pub staff: String,
    pub channel: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightCustomers {
    pub customers: Vec<InsightCustomer>,
    /// More matched than the list shows.
    pub truncated: bool,
}

/// Most customers one drill-down lists.
const DRILL_LIMIT: usize = 200;

fn parse_day(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(&crate::domain::normalize_typed(text), "%Y-%m-%d")
        .map_err(|_| Error::field(field, "date_invalid"))
}

pub(super) fn period_of(from: &str, to: &str) -> Result<DayRange> {
    let period = DayRange::new(parse_day("from", from)?, parse_day("to", to)?)?;
    if period.days() > 366 {
        return Err(Error::field("to", "insights_period_too_long"));
    }
    Ok(period)
}

pub(super) fn text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The filters a scope forces: a branch supervisor's branch, a staff member's own name.
pub(super) fn scoped(scope: &Scope, filters: &InsightFilters) -> Vec<(Dimension, String)> {
    let mut pairs = filters.pairs();
    let forced = match scope {
        Scope::Everything => None,
        Scope::Branch(b) => Some((Dimension::Branch, b.clone())),
        Scope::Own(s) => Some((Dimension::Staff, s.clone())),
    };
    if let Some((d, v)) = forced {
        pairs.retain(|(other, _)| *other != d);
        pairs.push((d, v));
    }
    pairs
}

fn row(
    key: String,
    metric: Metric,
    now: &Sums,
    before: &Sums,
    config: &MetricConfig,
) -> InsightRow {
    let value = metrics::value(metric, now, config);
    let previous = metrics::value(metric, before, config);
    let (top, bottom) = now.fraction(metric, config);
    InsightRow {
        key,
        value: value.map(|v| v.to_string()),
        before: previous.map(|v| v.to_string()),
        change: metrics::change_percent(value, previous).map(|v| v.to_string()),
        numerator: top.to_string(),
        denominator: bottom.to_string(),
    }
}

impl Console {
    pub(super) async fn insight_scope(&self, actor: &Actor) -> Result<Scope> {
        let branch: Option<String> = sqlx::query_scalar("SELECT branch FROM staff WHERE id = ?")
            .bind(actor.staff_id)
            .fetch_optional(self.store().read())
            .await?
            .flatten();
        Scope::of(actor.role, &actor.username, branch.as_deref()).ok_or(Error::Forbidden)
    }

    /// The core bank's sums, or for satisfaction this console's surveys.
    pub(super) async fn insight_sums(
        &self,
        metric: Metric,
        dimension: Option<Dimension>,
        windows: &Windows,
        filters: &[(Dimension, String)],
        config: &MetricConfig,
    ) -> Result<(BTreeMap<String, Sums>, String)> {
        if metric.from_the_console() {
            return Ok((
                self.survey_sums(dimension, windows, filters, config)
                    .await?,
                crate::audit::timestamp(self.now()),
            ));
        }
        let query = CoreReportQuery {
            metric,
            dimension,
            from: windows.period.from,
            to: windows.period.to,
            activation_days: windows.activation_days,
            filters: filters.to_vec(),
        };
        let report = self
            .engine()?
            .core()
            .report(&query)
            .await
            .map_err(Error::from)?;
        Ok((report.rows.into_iter().collect(), report.as_of))
    }

    /// Satisfaction from the complaint surveys recorded here: each survey under the
    /// attribution of the complaint's customer and the complaint's branch.
    async fn survey_sums(
        &self,
        dimension: Option<Dimension>,
        windows: &Windows,
        filters: &[(Dimension, String)],
        config: &MetricConfig,
    ) -> Result<BTreeMap<String, Sums>> {
        let rows = sqlx::query(
            "SELECT s.score, s.at, c.branch, cc.attribution_campaign, cc.attribution_booth, \
             cc.attribution_staff, cc.attribution_channel FROM complaint_surveys s \
             JOIN complaints c ON c.id = s.complaint_id \
             LEFT JOIN core_customers cc ON cc.id = c.customer_id",
        )
        .fetch_all(self.store().read())
        .await?;
        let mut rollups = MemoryRollups::default();
        for r in rows {
            let opt = |name: &str| -> Result<String> {
                Ok(r.try_get::<Option<String>, _>(name)?.unwrap_or_default())
            };
            let dims = Dims {
                campaign: opt("attribution_campaign")?,
                booth: opt("attribution_booth")?,
                staff: opt("attribution_staff")?,
                branch: opt("branch")?,
                channel: opt("attribution_channel")?,
            };
            let at: String = r.try_get("at")?;
            let day = chrono::DateTime::parse_from_rfc3339(&at)
                .map(|t| crate::clock::local_date(t.with_timezone(&chrono::Utc)))
                .map_err(|e| Error::Internal(e.into()))?;
            let score: i64 = r.try_get("score")?;
            rollups.add(
                &dims,
                rollup::survey(day, u8::try_from(score).unwrap_or(0), config),
            );
        }
        Ok(rollups.sums(dimension, windows, |d| {
            filters.iter().all(|(dim, v)| d.key(*dim) == v.as_str())
        }))
    }

    /// A metric by a dimension over a period, against the same-length period before, within
    /// the staff member's scope. Offline, the last answer to the same question, marked so.
    pub async fn insights_report(&self, query: InsightQuery) -> Result<InsightAnswer> {
        let actor = self.authorize(Permission::ViewInsights).await?;
        let scope = self.insight_scope(&actor).await?;
        let config = MetricConfig::default();
        let period = period_of(&query.from, &query.to)?;
        let activation_days = query.activation_days.unwrap_or(30);
        if !config.activation_days.contains(&activation_days) {
            return Err(Error::field("activationDays", "insights_activation_days"));
        }
        let filters = scoped(&scope, &query.filters);
        // The cache's key: the scope and the whole question, as canonical JSON.
        let question = serde_json::to_string(&(&scope, &query, &filters))
            .map_err(|e| Error::Internal(e.into()))?;
        let as_of_day = crate::clock::local_date(self.now());
        let before = period.before();
        let now_w = Windows::new(period, as_of_day, activation_days, &config);
        let before_w = Windows::new(before, as_of_day, activation_days, &config);
        let fetched = async {
            let (groups, as_of) = self
                .insight_sums(query.metric, query.dimension, &now_w, &filters, &config)
                .await?;
            let (groups_before, _) = self
                .insight_sums(query.metric, query.dimension, &before_w, &filters, &config)
                .await?;
            Ok::<_, Error>((groups, groups_before, as_of))
        }
        .await;
        let (groups, groups_before, as_of) = match fetched {
            Ok(found) => found,
            Err(Error::CoreUnavailable(reason)) => {
                let kept: Option<String> =
                    sqlx::query_scalar("SELECT answer FROM insight_answers WHERE question = ?")
                        .bind(&question)
                        .fetch_optional(self.store().read())
                        .await?;
                let Some(kept) = kept else {
                    return Err(Error::CoreUnavailable(reason));
                };
                let mut answer: InsightAnswer =
                    serde_json::from_str(&kept).map_err(|e| Error::Internal(e.into()))?;
                answer.offline_copy = true;
                return Ok(answer);
            }
            Err(other) => return Err(other),
        };
        let mut total_now = Sums::default();
        let mut total_before = Sums::default();
        groups.values().for_each(|s| total_now.merge(s));
        groups_before.values().for_each(|s| total_before.merge(s));
        let empty = Sums::default();
        let mut keys: Vec<&String> = groups.keys().chain(groups_before.keys()).collect();
        keys.sort();
        keys.dedup();
        let rows = if query.dimension.is_some() {
            keys.into_iter()
                .map(|k| {
                    row(
                        k.clone(),
                        query.metric,
                        groups.get(k).unwrap_or(&empty),
                        groups_before.get(k).unwrap_or(&empty),
                        &config,
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        let answer = InsightAnswer {
            metric: query.metric,
            dimension: query.dimension,
            from: text(period.from),
            to: text(period.to),
            before_from: text(before.from),
            before_to: text(before.to),
            activation_days,
            as_of,
            offline_copy: false,
            from_this_console: query.metric.from_the_console(),
            scope,
            total: row(
                String::new(),
                query.metric,
                &total_now,
                &total_before,
                &config,
            ),
            rows,
        };
        let kept = serde_json::to_string(&answer).map_err(|e| Error::Internal(e.into()))?;
        let mut tx = self.store().begin().await?;
        sqlx::query(
            "INSERT INTO insight_answers (question, answer, as_of) VALUES (?, ?, ?) \
             ON CONFLICT (question) DO UPDATE SET answer = excluded.answer, as_of = excluded.as_of",
        )
        .bind(&question)
        .bind(&kept)
        .bind(&answer.as_of)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(answer)
    }

    /// The customers behind a number, from the read model: names and masked mobiles only,
    /// within the staff member's scope; every look is audited with its filters.
    pub async fn insights_customers(&self, drill: InsightDrill) -> Result<InsightCustomers> {
        let actor = self.authorize(Permission::ViewInsights).await?;
        let scope = self.insight_scope(&actor).await?;
        let period = period_of(&drill.from, &drill.to)?;
        let filters = scoped(&scope, &drill.filters);
        let booths: BTreeMap<String, String> = sqlx::query_as(
            "SELECT id, COALESCE(json_extract(data, '$.branch'), '') FROM core_records \
             WHERE kind = 'booth'",
        )
        .fetch_all(self.store().read())
        .await?
        .into_iter()
        .collect();
        let rows = sqlx::query(
            "SELECT id, name, mobile, created_at, attribution_campaign, attribution_booth, \
             attribution_staff, attribution_channel FROM core_customers \
             WHERE attribution_campaign IS NOT NULL ORDER BY created_at, id",
        )
        .fetch_all(self.store().read())
        .await?;
        let mut customers = Vec::new();
        let mut truncated = false;
        for r in rows {
            let opt = |name: &str| -> Result<String> {
                Ok(r.try_get::<Option<String>, _>(name)?.unwrap_or_default())
            };
            let created: String = r.try_get("created_at")?;
            let Ok(at) = chrono::DateTime::parse_from_rfc3339(&created) else {
                continue;
            };
            let day = crate::clock::local_date(at.with_timezone(&chrono::Utc));
            if !period.contains(day) {
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
            if !filters.iter().all(|(d, v)| dims.key(*d) == v.as_str()) {
                continue;
            }
            if customers.len() == DRILL_LIMIT {
                truncated = true;
                break;
            }
            let mobile: String = r.try_get("mobile")?;
            customers.push(InsightCustomer {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                masked_mobile: Mobile::parse(&mobile)
                    .map(|m| m.masked())
                    .unwrap_or_else(|_| "***".to_owned()),
                signed_up_on: text(day),
                campaign: dims.campaign,
                booth: dims.booth,
                staff: dims.staff,
                channel: dims.channel,
            });
        }
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "insights.customers_listed",
            )
            .detail(json!({
                "from": text(period.from),
                "to": text(period.to),
                "filters": filters.iter().map(|(d, v)| format!("{}={v}", d.as_str())).collect::<Vec<_>>(),
                "count": customers.len(),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(InsightCustomers {
            customers,
            truncated,
        })
    }
}

/// Fen from the contract's decimal yuan.
pub fn fen_of(yuan: &str) -> Option<i64> {
    let d = Decimal::from_str(yuan).ok()? * Decimal::ONE_HUNDRED;
    i64::try_from(d.round()).ok()
}
