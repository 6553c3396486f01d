//! Attribution: every sign-up is credited to a campaign, a booth, a staff member and a
//! channel. The core holds it on the customer (the first sign-up wins the customer) and the
//! feed brings it to every console's read model, where the Customer 360 shows it.

use crate::error::Result;
use serde::Serialize;
use sqlx::SqlitePool;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Attribution {
    pub campaign: String,
    pub booth: String,
    pub staff: String,
    /// "booth", "counter" or "qr".
    pub channel: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    attribution_campaign: Option<String>,
    attribution_booth: Option<String>,
    attribution_staff: Option<String>,
    attribution_channel: Option<String>,
}

/// The customer's attribution from the read model, if a campaign won them.
pub async fn of_customer(pool: &SqlitePool, customer_id: &str) -> Result<Option<Attribution>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT attribution_campaign, attribution_booth, attribution_staff, \
         attribution_channel FROM core_customers WHERE id = ?",
    )
    .bind(customer_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|r| {
        Some(Attribution {
            campaign: r.attribution_campaign?,
            booth: r.attribution_booth.unwrap_or_default(),
            staff: r.attribution_staff.unwrap_or_default(),
            channel: r.attribution_channel.unwrap_or_default(),
        })
    }))
}
