//! The period Insights opens on, decided here on the bank's calendar. The window used to
//! compute it from the computer's own clock in UTC: from Beijing midnight to 08:00 that was
//! yesterday, so the day's sign-ups were missing from the drill-down until the morning.

use crate::access::Permission;
use crate::console::Console;
use crate::error::Result;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How many China days the dashboard shows when it opens, today included.
pub const DEFAULT_DAYS: i64 = 30;

/// China days `YYYY-MM-DD`, both included (as [`super::InsightQuery`] takes them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsightPeriod {
    pub from: String,
    pub to: String,
}

/// The last [`DEFAULT_DAYS`] days up to `today`, today included.
pub fn default_period(today: NaiveDate) -> InsightPeriod {
    let from = today - Duration::days(DEFAULT_DAYS - 1);
    InsightPeriod {
        from: from.format("%Y-%m-%d").to_string(),
        to: today.format("%Y-%m-%d").to_string(),
    }
}

impl Console {
    /// The period the dashboard opens on: the last 30 days of the bank's calendar (Beijing).
    pub async fn insights_period(&self) -> Result<InsightPeriod> {
        self.authorize(Permission::ViewInsights).await?;
        Ok(default_period(crate::clock::local_date(self.now())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn the_dashboard_opens_on_the_last_thirty_china_days_today_included() {
        let today = crate::clock::local_date(at("2026-12-06T10:00:00Z"));
        assert_eq!(
            default_period(today),
            InsightPeriod {
                from: "2026-11-07".into(),
                to: "2026-12-06".into()
            }
        );
    }

    #[test]
    fn after_beijing_midnight_the_period_ends_on_the_new_china_day() {
        // 16:30 UTC is 00:30 the next day in Beijing: a sign-up made now is today's.
        let today = crate::clock::local_date(at("2026-12-06T16:30:00Z"));
        assert_eq!(
            default_period(today),
            InsightPeriod {
                from: "2026-11-08".into(),
                to: "2026-12-07".into()
            }
        );
    }
}
