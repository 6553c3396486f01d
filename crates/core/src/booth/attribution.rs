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

/// The customer's attribution from the read model, if a campaign won them.
pub async fn of_customer(pool: &SqlitePool, customer_id: &str) -> Result<Option<Attribution>> {
    let row: Option<(
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT attribution_campaign, attribution_booth, attribution_staff, \
             attribution_channel FROM core_customers WHERE id = ?",
    )
    .bind(customer_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|(campaign, booth, staff, channel)| {
        Some(Attribution {
            campaign: campaign?,
            booth: booth.unwrap_or_default(),
            staff: staff.unwrap_or_default(),
            channel: channel.unwrap_or_default(),
        })
    }))
}
