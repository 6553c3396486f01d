//! Attribution: every sign-up is credited to a campaign, a booth, a staff member and a
//! channel. The core holds it on the customer (the first sign-up wins the customer) and the
//! feed brings it to every console's read model, where the Customer 360 shows it. A counter
//! sign-up is credited to the teller (channel "counter") and to the campaign that brought the
//! customer when there was one; a supervisor, and only a supervisor, corrects it with a reason.

use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::Console;
use crate::customers::profile::QueuedChange;
use crate::error::{Error, FieldError, Result};
use crate::sync::{NewOperation, outbox};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::SqlitePool;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Attribution {
    /// Empty when no campaign brought the customer (a counter sign-up outside one).
    pub campaign: String,
    /// Empty for a counter sign-up.
    pub booth: String,
    pub staff: String,
    /// "booth", "counter" or "qr".
    pub channel: String,
}

/// A supervisor's correction: the new attribution whole, and why.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttributionChangeInput {
    pub customer_id: String,
    /// A campaign code, or empty for none.
    pub campaign: String,
    /// A booth of that campaign, or empty for none.
    pub booth: String,
    /// The staff member's username.
    pub staff: String,
    pub channel: String,
    pub reason: String,
}

/// Longest reason kept, in characters (as for every other reason staff give).
pub const MAX_REASON_CHARS: usize = 200;

#[derive(sqlx::FromRow)]
struct Row {
    attribution_campaign: Option<String>,
    attribution_booth: Option<String>,
    attribution_staff: Option<String>,
    attribution_channel: Option<String>,
}

/// The customer's attribution from the read model, if anyone won them (the channel says so:
/// a counter sign-up outside a campaign has staff and channel only).
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
            channel: r.attribution_channel?,
            campaign: r.attribution_campaign.unwrap_or_default(),
            booth: r.attribution_booth.unwrap_or_default(),
            staff: r.attribution_staff.unwrap_or_default(),
        })
    }))
}

/// The rules of a correction, given the campaigns the console knows (code and its booths):
/// a reason is required; the staff member named; a known channel; the campaign one the core
/// sent; a booth only one that runs that campaign. Answers the checked attribution and reason,
/// or every field that is wrong.
pub fn check_change(
    input: &AttributionChangeInput,
    campaigns: &[(String, Vec<String>)],
) -> std::result::Result<(Attribution, String), Vec<FieldError>> {
    let mut problems = Vec::new();
    let reason = input.reason.trim();
    // Two characters at least: "错" alone explains nothing to whoever reads the trail.
    if !(2..=MAX_REASON_CHARS).contains(&reason.chars().count())
        || reason.chars().any(char::is_control)
    {
        problems.push(FieldError::new("reason", "reason_required"));
    }
    let staff = input.staff.trim();
    if staff.is_empty() || staff.chars().count() > 64 || staff.chars().any(char::is_control) {
        problems.push(FieldError::new("staff", "text_length"));
    }
    let channel = input.channel.trim();
    if !matches!(channel, "booth" | "counter" | "qr") {
        problems.push(FieldError::new("channel", "channel_invalid"));
    }
    let campaign = input.campaign.trim();
    let booth = input.booth.trim();
    let known = campaigns.iter().find(|(code, _)| code == campaign);
    if !campaign.is_empty() && known.is_none() {
        problems.push(FieldError::new("campaign", "campaign_unknown"));
    }
    if !booth.is_empty() && !known.is_some_and(|(_, booths)| booths.iter().any(|b| b == booth)) {
        problems.push(FieldError::new("booth", "campaign_not_at_booth"));
    }
    // Credit for a booth or QR sign-up is credit to a booth: one without it is incomplete.
    if booth.is_empty() && matches!(channel, "booth" | "qr") {
        problems.push(FieldError::new("booth", "booth_required"));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((
        Attribution {
            campaign: campaign.to_owned(),
            booth: booth.to_owned(),
            staff: staff.to_owned(),
            channel: channel.to_owned(),
        },
        reason.to_owned(),
    ))
}

fn words(a: Option<&Attribution>) -> serde_json::Value {
    a.map_or(serde_json::Value::Null, |a| {
        json!({ "campaign": a.campaign, "booth": a.booth, "staff": a.staff,
            "channel": a.channel })
    })
}

impl Console {
    /// Queues a supervisor's correction of who won a customer for the core, audited with the
    /// old and new attribution and the reason in the same transaction. The 360 shows it as a
    /// pending change until the feed brings the customer back with the new credit.
    pub async fn attribution_change(&self, input: AttributionChangeInput) -> Result<QueuedChange> {
        let actor = self.authorize(Permission::ChangeAttribution).await?;
        let today = crate::clock::local_date(self.now());
        let (_, campaigns) = super::campaigns::all(self.store().read(), today).await?;
        let known: Vec<(String, Vec<String>)> =
            campaigns.into_iter().map(|c| (c.code, c.booths)).collect();
        let (to, reason) = check_change(&input, &known).map_err(Error::InvalidFields)?;
        let from = of_customer(self.store().read(), &input.customer_id).await?;
        if from.as_ref() == Some(&to) {
            return Err(Error::field("campaign", "attribution_unchanged"));
        }
        let engine = self.engine()?;
        let mut tx = self.store().begin().await?;
        let customer =
            crate::customers::profile::customer(&mut tx, engine.sealer(), &input.customer_id)
                .await?;
        let some = |t: &str| (!t.is_empty()).then(|| t.to_owned());
        let summary = format!(
            "归属变更 {} → {} {} {}",
            customer
                .name
                .chars()
                .next()
                .map(|c| format!("{c}**"))
                .unwrap_or_default(),
            if to.campaign.is_empty() {
                "-"
            } else {
                &to.campaign
            },
            if to.booth.is_empty() { "-" } else { &to.booth },
            to.staff
        );
        let outbox_id = outbox::enqueue(
            &mut tx,
            engine.sealer(),
            NewOperation {
                // Behind anything else queued for this customer (its creation, offline).
                aggregate: customer.aggregate(),
                kind: "customer.attribution".to_owned(),
                subject: Some(customer.id.clone()),
                body: json!({
                    "campaign": some(&to.campaign),
                    "booth": some(&to.booth),
                    "staffId": to.staff,
                    "channel": to.channel,
                    "reason": reason,
                    "changedBy": actor.username,
                }),
                summary: summary.clone(),
                record_ref: Some(format!("customer:{}", customer.id)),
            },
            self.now(),
            Some(actor.staff_id),
        )
        .await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "customer.attribution_change_queued",
            )
            .subject("customer", customer.id.clone())
            .customer(customer.id.clone())
            .detail(
                json!({ "from": words(from.as_ref()), "to": words(Some(&to)),
                "reason": reason, "outboxId": outbox_id }),
            ),
        )
        .await?;
        tx.commit().await?;
        engine.wake();
        Ok(QueuedChange { outbox_id, summary })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AttributionChangeInput {
        AttributionChangeInput {
            customer_id: "1".into(),
            campaign: "SPRING".into(),
            booth: "MALL-1".into(),
            staff: "booth1".into(),
            channel: "booth".into(),
            reason: "signed up at the booth, keyed at the counter".into(),
        }
    }

    fn known() -> Vec<(String, Vec<String>)> {
        vec![("SPRING".into(), vec!["MALL-1".into()])]
    }

    fn codes(result: std::result::Result<(Attribution, String), Vec<FieldError>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|f| format!("{}:{}", f.field, f.code))
            .collect()
    }

    #[test]
    fn attribution_change_needs_a_reason() {
        let blank = AttributionChangeInput {
            reason: "  ".into(),
            ..input()
        };
        assert_eq!(
            codes(check_change(&blank, &known())),
            ["reason:reason_required"]
        );
        let long = AttributionChangeInput {
            reason: "x".repeat(MAX_REASON_CHARS + 1),
            ..input()
        };
        assert_eq!(
            codes(check_change(&long, &known())),
            ["reason:reason_required"]
        );
        assert!(check_change(&input(), &known()).is_ok());
    }

    #[test]
    fn attribution_change_names_a_known_campaign_and_one_of_its_booths() {
        let unknown = AttributionChangeInput {
            campaign: "WINTER".into(),
            ..input()
        };
        assert_eq!(
            codes(check_change(&unknown, &known())),
            ["campaign:campaign_unknown", "booth:campaign_not_at_booth"]
        );
        let elsewhere = AttributionChangeInput {
            booth: "MALL-9".into(),
            ..input()
        };
        assert_eq!(
            codes(check_change(&elsewhere, &known())),
            ["booth:campaign_not_at_booth"]
        );
    }

    #[test]
    fn a_booth_or_qr_attribution_names_its_booth_and_a_counter_one_may_not() {
        let boothless = AttributionChangeInput {
            booth: String::new(),
            ..input()
        };
        assert_eq!(
            codes(check_change(&boothless, &known())),
            ["booth:booth_required"]
        );
        let counter = AttributionChangeInput {
            booth: String::new(),
            campaign: String::new(),
            channel: "counter".into(),
            ..input()
        };
        let (to, _) = check_change(&counter, &known()).expect("a counter credit");
        assert_eq!(to.channel, "counter");
        let odd = AttributionChangeInput {
            channel: "phone".into(),
            ..input()
        };
        assert_eq!(
            codes(check_change(&odd, &known())),
            ["channel:channel_invalid"]
        );
    }
}
