//! The fee schedule (issue 14 item 8): what each service costs a wallet of each tier, as the
//! core sends it through the change feed (kind `fee`, kept in the read model's
//! `core_records`), so a console explains and prints fees offline from its last copy. No fee
//! is written in the app: an empty copy says "not received yet", never "free".
//!
//! The rules (which line applies, which campaign waiver covers whom, what is due) are in
//! [`rules`]; the teller's wizard, the booth and the receipts all ask them.

pub mod rules;

use crate::access::Permission;
use crate::booth::Campaign;
use crate::console::Console;
use crate::domain::Money;
use crate::error::{Error, FieldError, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// When a fee is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum FeeCharged {
    /// Once, when the wallet is opened: what the opening receipt's amount due adds up.
    AtOpening,
    /// Each time the service is used: explained, not charged now.
    PerUse,
}

/// One line of the core's schedule (contract `Fee`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Fee {
    pub tier: u8,
    pub service: String,
    pub name: String,
    pub amount: Money,
    pub charged: FeeCharged,
    pub note: String,
}

/// A campaign's fee waiver that covers someone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeWaiver {
    pub campaign: String,
    pub campaign_name: String,
    /// The schedule's service waived.
    pub service: String,
    /// False while it is only promised (the core has not got the sign-up yet).
    pub confirmed: bool,
}

/// One line as staff explain it and the receipt prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeQuoteLine {
    pub service: String,
    pub name: String,
    /// The schedule's price (kept when waived, so the customer sees what was waived).
    pub amount: Money,
    pub charged: FeeCharged,
    pub note: String,
    pub free: bool,
    pub waived: Option<FeeWaiver>,
    /// What the customer pays for it: 0 when free or waived.
    pub due: Money,
}

/// The fees of a wallet of `tier`, with any waiver applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeQuote {
    pub tier: u8,
    /// False until the core's schedule has reached this console: the screen says so rather
    /// than calling anything free.
    pub known: bool,
    pub lines: Vec<FeeQuoteLine>,
    /// The sum of what is due of the lines charged at opening.
    pub due_at_opening: Money,
    pub waiver: Option<FeeWaiver>,
}

/// What the wizard or the booth asks: the fees of `tier`, under `campaign` if the sign-up is
/// credited to one (a fee-waiver campaign's waiver is then shown as promised).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeQuoteInput {
    pub tier: u8,
    #[serde(default)]
    pub campaign: Option<String>,
}

/// The schedule as this console last received it. A line that does not read (a newer core's
/// shape) is left out and logged: one bad line must not hide the others.
pub(crate) async fn schedule(pool: &sqlx::SqlitePool) -> Result<Vec<Fee>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, data FROM core_records WHERE kind = 'fee' ORDER BY id")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, data)| match serde_json::from_str::<Fee>(&data) {
            Ok(fee) => Some(fee),
            Err(err) => {
                tracing::warn!(fee = id, %err, "a fee record does not read");
                None
            }
        })
        .collect())
}

/// The campaigns the core has confirmed an incentive claim on for `customer_id`.
async fn claimed_campaigns(pool: &sqlx::SqlitePool, customer_id: &str) -> Result<Vec<String>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT data FROM core_records WHERE kind = 'incentive-claim' AND customer_id = ?",
    )
    .bind(customer_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .filter_map(|d| {
            d.get("campaign")
                .and_then(|c| c.as_str())
                .map(str::to_owned)
        })
        .collect())
}

fn valid_tier(tier: u8) -> Result<u8> {
    if (1..=4).contains(&tier) {
        Ok(tier)
    } else {
        Err(Error::InvalidFields(vec![FieldError::new(
            "tier",
            "tier_invalid",
        )]))
    }
}

impl Console {
    /// The fees of a wallet tier as the teller or booth staff explain them (offline too: from
    /// the last schedule the core sent), with a running fee-waiver campaign's waiver promised.
    pub async fn fee_quote(&self, input: FeeQuoteInput) -> Result<FeeQuote> {
        self.authorize(Permission::ViewCustomers).await?;
        let tier = valid_tier(input.tier)?;
        let today = crate::clock::local_date(self.now());
        let schedule = schedule(self.store().read()).await?;
        let (_, campaigns) = crate::booth::campaigns::all(self.store().read(), today).await?;
        let wanted = input
            .campaign
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let campaign: Option<&Campaign> =
            wanted.and_then(|code| campaigns.iter().find(|c| c.code == code));
        Ok(rules::quote(
            &schedule,
            tier,
            true,
            rules::waiver_promised(campaign),
        ))
    }

    /// The receipt's fee lines for a customer's wallet of `tier`: the schedule's, with the
    /// waiver that covers the customer applied. `opening` false: a tier change, where nothing
    /// is charged at opening.
    pub(crate) async fn receipt_fees(
        &self,
        customer_id: &str,
        tier: u8,
        opening: bool,
    ) -> Result<Vec<crate::documents::FeeLine>> {
        let pool = self.store().read();
        let schedule = schedule(pool).await?;
        let today = crate::clock::local_date(self.now());
        let (_, campaigns) = crate::booth::campaigns::all(pool, today).await?;
        let row: Option<(Option<String>, Option<String>, String)> = sqlx::query_as(
            "SELECT attribution_campaign, attribution_channel, created_at FROM core_customers \
             WHERE id = ?",
        )
        .bind(customer_id)
        .fetch_optional(pool)
        .await?;
        let claimed = claimed_campaigns(pool, customer_id).await?;
        let (campaign, channel, created) = row.unwrap_or((None, None, String::new()));
        let signed_up_on: Option<NaiveDate> = chrono::DateTime::parse_from_rfc3339(&created)
            .ok()
            .map(|t| crate::clock::local_date(t.with_timezone(&chrono::Utc)));
        let waiver = rules::waiver_for_customer(
            &rules::CoveredFacts {
                campaign: campaign.as_deref(),
                channel: channel.as_deref(),
                signed_up_on,
                claimed: &claimed,
            },
            &campaigns,
        );
        let quote = rules::quote(&schedule, tier, opening, waiver);
        Ok(rules::receipt_lines(&quote))
    }
}
