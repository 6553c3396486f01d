//! One campaign on one A4 page, in zh-CN, for the branch meeting: the before/after view of
//! every metric as tiles, the chosen metric as bars, the campaign's trend and funnel, the
//! scope it was computed in, its as-of time, and who printed it. Counts only: no customer's
//! name, mobile or ID is on it.
//!
//! The numbers are the dashboard's own answers (`insights_campaign`, `insights_trend`,
//! `insights_funnel`), so the page and the screen cannot differ; offline they are the answers
//! kept last time, and the page says so with the oldest as-of time among them.
//!
//! The words are the screen's: the zh-CN locale file the UI ships is compiled in and read by
//! key, so a metric's name or a label is written once for both.

use super::console::{InsightFilters, InsightQuery};
use super::dashboard::{InsightCampaignQuery, InsightCampaignView, InsightFunnel, InsightTrend};
use super::metrics::Metric;
use super::scope::Scope;
use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::Console;
use crate::documents::{
    self, BinaryFile, CampaignReportInput, ChartValue, ReportTile, format_date_time,
};
use crate::error::{Error, Result};
use chrono::{DateTime, FixedOffset, Utc};
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use std::sync::OnceLock;

/// The UI's zh-CN words, compiled in.
const ZH_CN: &str = include_str!("../../../../ui/src/i18n/zh-CN.json");

fn locale() -> Result<&'static serde_json::Value> {
    static PARSED: OnceLock<Option<serde_json::Value>> = OnceLock::new();
    PARSED
        .get_or_init(|| serde_json::from_str(ZH_CN).ok())
        .as_ref()
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("zh-CN.json is not JSON")))
}

/// The zh-CN words at `key` (dotted, as the UI's `t()` takes it) with each `{{name}}` filled
/// in once (a value that itself holds `{{…}}` is printed as typed, never filled again).
pub fn word(key: &str, vars: &[(&str, &str)]) -> Result<String> {
    let missing = || Error::Internal(anyhow::anyhow!("zh-CN.json has no words at {key}"));
    let mut node = locale()?;
    for part in key.split('.') {
        node = node.get(part).ok_or_else(missing)?;
    }
    let template = node.as_str().ok_or_else(missing)?;
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = &after[..close];
        match vars.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(value),
            None => {
                return Err(Error::Internal(anyhow::anyhow!(
                    "{key} needs {{{{{name}}}}}"
                )));
            }
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A metric's value as the screen prints it ("50.0%", "¥9.00"); no value is "无数据".
pub fn value_text(metric: Metric, value: Option<&str>) -> Result<String> {
    match value {
        None => word("insights.noData", &[]),
        Some(v) => word(
            &format!("insights.valueFormat.{}", metric.as_str()),
            &[("value", v)],
        ),
    }
}

/// "+12.5%", "-3.0%", or "—" when there is no change to give (from nothing, or no data).
pub fn change_text(change: Option<&str>) -> Result<String> {
    match change {
        None => word("insights.noChange", &[]),
        Some(c) if c.starts_with('-') => word("insights.changeDown", &[("change", c)]),
        Some(c) => word("insights.changeUp", &[("change", c)]),
    }
}

/// "2026年12月6日 20:05" in Beijing time; text that is not a time is printed as it came.
fn moment_text(at: &str) -> String {
    let beijing = FixedOffset::east_opt(8 * 3600);
    match (DateTime::parse_from_rfc3339(at), beijing) {
        (Ok(t), Some(zone)) => format_date_time(t.with_timezone(&zone).naive_local()),
        _ => at.to_owned(),
    }
}

fn decimal(value: Option<&str>) -> Option<Decimal> {
    value.and_then(|v| Decimal::from_str(v).ok())
}

/// Everything the page shows, as the dashboard answered it.
#[derive(Debug, Clone)]
pub struct ReportParts {
    /// The chosen metric's before/after view.
    pub view: InsightCampaignView,
    /// Every metric's before/after view, for the tiles (in `Metric::ALL`'s order).
    pub tiles: Vec<InsightCampaignView>,
    pub trend: InsightTrend,
    pub funnel: InsightFunnel,
    pub scope: Scope,
    pub printed_by: String,
    pub printed_at: DateTime<Utc>,
}

impl ReportParts {
    /// The oldest as-of time among the answers: the page is no fresher than its stalest part.
    fn as_of(&self) -> String {
        let all = std::iter::once(&self.view.as_of)
            .chain(self.tiles.iter().map(|t| &t.as_of))
            .chain([&self.trend.as_of, &self.funnel.as_of]);
        all.min_by_key(|t| DateTime::parse_from_rfc3339(t).ok())
            .cloned()
            .unwrap_or_default()
    }

    fn offline(&self) -> bool {
        self.view.offline_copy
            || self.tiles.iter().any(|t| t.offline_copy)
            || self.trend.offline_copy
            || self.funnel.offline_copy
    }
}

/// The page's data, worded: plain input for `documents::campaign_report`.
pub fn report_input(parts: &ReportParts) -> Result<CampaignReportInput> {
    let view = &parts.view;
    let metric = view.metric;
    let metric_name = word(&format!("insights.metric.{}", metric.as_str()), &[])?;
    let as_of = moment_text(&parts.as_of());
    let scope = match &parts.scope {
        Scope::Everything => word("insights.report.scopeEverything", &[])?,
        Scope::Branch(b) => word("insights.report.scopeBranch", &[("branch", b)])?,
        Scope::Own(s) => word("insights.report.scopeOwn", &[("staff", s)])?,
    };
    let lines = vec![
        word(
            "insights.dash.campaignPeriods",
            &[
                ("name", &view.name),
                ("from", &view.from),
                ("to", &view.to),
                ("beforeFrom", &view.before_from),
                ("beforeTo", &view.before_to),
                ("branches", &view.branches.join("、")),
            ],
        )?,
        format!(
            "{}{}",
            word("insights.asOf", &[("asOf", &as_of)])?,
            word("insights.report.scope", &[("scope", &scope)])?
        ),
    ];
    let offline_note = if parts.offline() {
        Some(word("insights.offlineCopy", &[("asOf", &as_of)])?)
    } else {
        None
    };
    let tiles = parts
        .tiles
        .iter()
        .map(|t| {
            Ok(ReportTile {
                label: word(&format!("insights.metric.{}", t.metric.as_str()), &[])?,
                value: value_text(t.metric, t.during.as_deref())?,
                detail: word(
                    "insights.report.tileDetail",
                    &[
                        ("before", &value_text(t.metric, t.before.as_deref())?),
                        ("change", &change_text(t.change.as_deref())?),
                    ],
                )?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let bars = [
        ("insights.dash.during", &view.during),
        ("insights.dash.beforeCampaign", &view.before),
        ("insights.dash.without", &view.without),
        ("insights.dash.won", &view.won),
    ]
    .into_iter()
    .map(|(key, value)| {
        Ok(ChartValue {
            label: word(key, &[])?,
            text: value_text(metric, value.as_deref())?,
            value: decimal(value.as_deref()),
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let funnel = parts
        .funnel
        .steps
        .iter()
        .map(|s| {
            let stage = serde_json::to_value(s.stage)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let mut label = word(&format!("insights.dash.stage.{stage}"), &[])?;
            if s.from_this_console {
                label.push_str(&word("insights.dash.fromConsole", &[])?);
            }
            Ok(ChartValue {
                label,
                text: s.count.to_string(),
                value: Some(Decimal::from(s.count)),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let trend = parts
        .trend
        .points
        .iter()
        .map(|p| {
            Ok(ChartValue {
                // The bucket's last day, "MM-DD", as the screen's axis shows it.
                label: p.to.get(5..).unwrap_or(&p.to).to_owned(),
                text: value_text(parts.trend.metric, p.value.as_deref())?,
                value: decimal(p.value.as_deref()),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let printed_at = crate::audit::timestamp(parts.printed_at);
    Ok(CampaignReportInput {
        title: word(
            "insights.report.title",
            &[("name", &view.name), ("campaign", &view.campaign)],
        )?,
        lines,
        offline_note,
        tiles_title: word("insights.report.tilesTitle", &[])?,
        tiles,
        bars_title: word("insights.report.barsTitle", &[("metric", &metric_name)])?,
        bars,
        bars_note: word(
            "insights.dash.campaignChange",
            &[("change", &change_text(view.change.as_deref())?)],
        )?,
        funnel_title: word("insights.report.funnelTitle", &[])?,
        funnel,
        trend_title: word("insights.report.trendTitle", &[("metric", &metric_name)])?,
        trend,
        footer: word(
            "insights.report.footer",
            &[
                ("staff", &parts.printed_by),
                ("at", &moment_text(&printed_at)),
            ],
        )?,
    })
}

impl Console {
    /// One campaign as a one-page zh-CN PDF for the branch meeting, within the staff
    /// member's scope; offline, from the answers kept last time (the page says so). Printing
    /// it is audited.
    pub async fn insights_campaign_report(
        &self,
        query: InsightCampaignQuery,
    ) -> Result<BinaryFile> {
        let actor = self.authorize(Permission::ViewInsights).await?;
        let scope = self.insight_scope(&actor).await?;
        let view = self.insights_campaign(query.clone()).await?;
        let mut tiles = Vec::with_capacity(Metric::ALL.len());
        for metric in Metric::ALL {
            tiles.push(if metric == view.metric {
                view.clone()
            } else {
                self.insights_campaign(InsightCampaignQuery {
                    metric,
                    ..query.clone()
                })
                .await?
            });
        }
        // The trend and the funnel of the customers the campaign won, over its days: the
        // dashboard's charts filtered to the campaign.
        let charts = |metric| InsightQuery {
            metric,
            dimension: None,
            from: view.from.clone(),
            to: view.to.clone(),
            activation_days: query.activation_days,
            filters: InsightFilters {
                campaign: Some(view.campaign.clone()),
                ..InsightFilters::default()
            },
        };
        let trend = self.insights_trend(charts(view.metric)).await?;
        let funnel = self.insights_funnel(charts(Metric::SignUps)).await?;
        let printed_by = crate::staff::find_by_id(self.store().read(), actor.staff_id)
            .await?
            .display_name;
        let parts = ReportParts {
            view,
            tiles,
            trend,
            funnel,
            scope,
            printed_by,
            printed_at: self.now(),
        };
        let input = report_input(&parts)?;
        // Font loading and layout take tens of milliseconds: off the async threads.
        let bytes = tokio::task::spawn_blocking(move || documents::campaign_report(&input))
            .await
            .map_err(anyhow::Error::from)??;
        let view = &parts.view;
        let file_name = format!(
            "campaign-report-{}-{}-{}.pdf",
            view.campaign, view.from, view.to
        );
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "insights.report_printed",
            )
            .detail(json!({
                "file": file_name,
                "campaign": view.campaign,
                "from": view.from,
                "to": view.to,
                "offlineCopy": parts.offline(),
                "bytes": bytes.len(),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(BinaryFile {
            file_name,
            content_type: "application/pdf".to_owned(),
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reports_words_come_from_the_locale_file_filled_once() {
        assert_eq!(
            word("insights.metric.activation", &[]).expect("word"),
            "激活率"
        );
        // A value that looks like a placeholder is printed as typed, never filled again.
        assert_eq!(
            word("insights.report.scopeBranch", &[("branch", "{{branch}}")]).expect("word"),
            "网点 {{branch}}"
        );
        assert!(
            word("insights.report.scopeBranch", &[]).is_err(),
            "a missing value"
        );
        assert!(
            word("insights.report.nothing", &[]).is_err(),
            "a missing key"
        );
        // Every scope, metric and change the page can print has its words.
        word("insights.report.scopeEverything", &[]).expect("everything");
        word("insights.report.scopeOwn", &[("staff", "li.na")]).expect("own");
        for metric in Metric::ALL {
            value_text(metric, Some("1.5")).expect("value");
            word(&format!("insights.metric.{}", metric.as_str()), &[]).expect("name");
        }
        assert_eq!(
            value_text(Metric::Satisfaction, Some("50.0")).expect("v"),
            "50.0%"
        );
        assert_eq!(
            value_text(Metric::IncentiveCostPerActivated, Some("9.00")).expect("v"),
            "¥9.00"
        );
        assert_eq!(value_text(Metric::SignUps, None).expect("v"), "无数据");
        assert_eq!(change_text(Some("12.5")).expect("c"), "+12.5%");
        assert_eq!(change_text(Some("-3.0")).expect("c"), "-3.0%");
        assert_eq!(change_text(None).expect("c"), "—");
    }

    #[test]
    fn the_as_of_time_prints_in_beijing_time() {
        // 16:30 UTC on 31 March is half past midnight on 1 April in Beijing.
        assert_eq!(moment_text("2026-03-31T16:30:00Z"), "2026年4月1日 00:30");
        assert_eq!(moment_text("not a time"), "not a time");
    }
}
