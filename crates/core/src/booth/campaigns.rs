//! Campaigns and booths: the core bank holds them, the change feed brings them to every
//! console (they land in the read model's `core_records` as kinds `campaign` and `booth`),
//! and supervisors create and edit them through the outbox like every write.
//!
//! A campaign is configuration: dates, booths, incentive, eligibility and budget are data,
//! checked here before the write is queued (so a queued save is not refused later) and
//! enforced by the core when an incentive is claimed.

use super::rules::{booth_body, campaign_body};
use crate::access::{Permission, Role};
use crate::audit::{self, NewAudit};
use crate::console::Console;
use crate::domain::Money;
use crate::error::{Error, Result};
use crate::sync::{NewOperation, outbox};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

/// What a campaign gives each person once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum IncentiveKind {
    FeeWaiver,
    Cashback,
    Points,
    Coupon,
}

impl IncentiveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IncentiveKind::FeeWaiver => "fee-waiver",
            IncentiveKind::Cashback => "cashback",
            IncentiveKind::Points => "points",
            IncentiveKind::Coupon => "coupon",
        }
    }
}

/// The incentive: `kind` says which one field is set (cashback: `amount`; points: `points`;
/// coupon: `coupon`; fee waiver: `service`, the fee schedule's service waived).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Incentive {
    pub kind: IncentiveKind,
    #[serde(default)]
    pub amount: Option<Money>,
    #[serde(default)]
    pub points: Option<u32>,
    #[serde(default)]
    pub coupon: Option<String>,
    #[serde(default)]
    pub service: Option<String>,
}

/// A campaign as the core sent it, with what the console works out from it for today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Campaign {
    pub code: String,
    pub name: String,
    #[ts(type = "string")]
    pub starts_on: NaiveDate,
    #[ts(type = "string")]
    pub ends_on: NaiveDate,
    pub branches: Vec<String>,
    pub booths: Vec<String>,
    pub incentive: Incentive,
    pub new_customers_only: bool,
    #[serde(default)]
    pub budget_claims: Option<u32>,
    #[serde(default)]
    pub budget_amount: Option<Money>,
    /// Incentives the core has paid so far (as of the last sync).
    pub claims: u32,
    pub spent: Money,
    /// Today (China day) is within the campaign's dates.
    #[serde(default)]
    pub running: bool,
    /// The core's last word on the budget says it is used up.
    #[serde(default)]
    pub budget_exhausted: bool,
}

impl Campaign {
    /// Fills the fields worked out for `today`.
    fn for_day(mut self, today: NaiveDate) -> Campaign {
        self.running = (self.starts_on..=self.ends_on).contains(&today);
        self.budget_exhausted = self.budget_claims.is_some_and(|cap| self.claims >= cap)
            || self.budget_amount.is_some_and(|cap| self.spent >= cap);
        self
    }
}

/// A booth: where it stands, its branch and who works it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Booth {
    pub code: String,
    pub name: String,
    pub mall: String,
    pub address: String,
    pub branch: String,
    /// Staff usernames.
    pub roster: Vec<String>,
}

/// The booths and campaigns the signed-in staff member may work: booth staff only the booths
/// whose roster names them and the campaigns those booths run; a supervisor all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BoothCatalogue {
    pub booths: Vec<Booth>,
    pub campaigns: Vec<Campaign>,
}

/// A supervisor's campaign, to create or replace the one with its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CampaignInput {
    pub code: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    pub ends_on: String,
    pub branches: Vec<String>,
    pub booths: Vec<String>,
    pub incentive_kind: IncentiveKind,
    /// Cashback in CNY, a decimal string.
    pub incentive_amount: Option<String>,
    pub incentive_points: Option<u32>,
    pub incentive_coupon: Option<String>,
    pub incentive_service: Option<String>,
    pub new_customers_only: bool,
    pub budget_claims: Option<u32>,
    /// CNY, a decimal string.
    pub budget_amount: Option<String>,
}

/// A supervisor's booth, to create or replace the one with its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BoothInput {
    pub code: String,
    pub name: String,
    pub mall: String,
    pub address: String,
    pub branch: String,
    pub roster: Vec<String>,
}

/// What was queued for the core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueuedSave {
    #[ts(type = "number")]
    pub outbox_id: i64,
    pub summary: String,
}

/// Every booth and campaign in the read model, read as the contract shapes them. A record
/// that does not read (a newer core's shape) is left out and logged, never an error: one bad
/// record must not empty the booth screen.
pub(crate) async fn all(
    pool: &sqlx::SqlitePool,
    today: NaiveDate,
) -> Result<(Vec<Booth>, Vec<Campaign>)> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT kind, id, data FROM core_records WHERE kind IN ('booth', 'campaign') ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    let mut booths = Vec::new();
    let mut campaigns = Vec::new();
    for (kind, id, data) in rows {
        if kind == "booth" {
            match serde_json::from_str::<Booth>(&data) {
                Ok(booth) => booths.push(booth),
                Err(err) => tracing::warn!(booth = id, %err, "a booth record does not read"),
            }
        } else {
            match serde_json::from_str::<Campaign>(&data) {
                Ok(campaign) => campaigns.push(campaign.for_day(today)),
                Err(err) => tracing::warn!(campaign = id, %err, "a campaign record does not read"),
            }
        }
    }
    Ok((booths, campaigns))
}

/// What `role` (`username`) may see of `booths` and `campaigns`.
pub fn visible_to(
    role: Role,
    username: &str,
    booths: Vec<Booth>,
    campaigns: Vec<Campaign>,
) -> BoothCatalogue {
    if role == Role::Supervisor {
        return BoothCatalogue { booths, campaigns };
    }
    let booths: Vec<Booth> = booths
        .into_iter()
        .filter(|b| b.roster.iter().any(|r| r == username))
        .collect();
    let campaigns = campaigns
        .into_iter()
        .filter(|c| {
            c.booths
                .iter()
                .any(|code| booths.iter().any(|b| &b.code == code))
        })
        .collect();
    BoothCatalogue { booths, campaigns }
}

impl Console {
    /// The booths and campaigns this staff member works (offline too: from the local copy).
    pub async fn booth_catalogue(&self) -> Result<BoothCatalogue> {
        let actor = self.authorize(Permission::WorkBooth).await?;
        let today = crate::clock::local_date(self.now());
        let (booths, campaigns) = all(self.store().read(), today).await?;
        Ok(visible_to(actor.role, &actor.username, booths, campaigns))
    }

    /// Queues a campaign for the core (created, or replaced whole), audited.
    pub async fn campaign_save(&self, input: CampaignInput) -> Result<QueuedSave> {
        let actor = self.authorize(Permission::ManageCampaigns).await?;
        let body = campaign_body(&input).map_err(Error::InvalidFields)?;
        let code = input.code.trim().to_owned();
        let summary = format!("活动 {code} {}", input.name.trim());
        let save = Save {
            subject_kind: "campaign",
            code,
            kind: "campaign.save",
            body,
            summary,
            action: "campaign.saved",
        };
        self.queue_save(&actor, save).await
    }

    /// Queues a booth for the core (created, or replaced whole), audited.
    pub async fn booth_save(&self, input: BoothInput) -> Result<QueuedSave> {
        let actor = self.authorize(Permission::ManageCampaigns).await?;
        let body = booth_body(&input).map_err(Error::InvalidFields)?;
        let code = input.code.trim().to_owned();
        let summary = format!("展位 {code} {}", input.name.trim());
        let save = Save {
            subject_kind: "booth",
            code,
            kind: "booth.save",
            body,
            summary,
            action: "booth.saved",
        };
        self.queue_save(&actor, save).await
    }

    async fn queue_save(&self, actor: &crate::console::Actor, save: Save) -> Result<QueuedSave> {
        let Save {
            subject_kind,
            code,
            kind,
            body,
            summary,
            action,
        } = save;
        let engine = self.engine()?;
        let mut tx = self.store().begin().await?;
        let outbox_id = outbox::enqueue(
            &mut tx,
            engine.sealer(),
            NewOperation {
                // Saves of one campaign reach the core in the order they were made.
                aggregate: format!("{subject_kind}:{code}"),
                kind: kind.to_owned(),
                subject: None,
                body,
                summary: summary.clone(),
                record_ref: Some(format!("{subject_kind}:{code}")),
            },
            self.now(),
            Some(actor.staff_id),
        )
        .await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username.clone(), action)
                .subject(subject_kind, code.clone())
                .detail(json!({ "outboxId": outbox_id, "code": code })),
        )
        .await?;
        tx.commit().await?;
        engine.wake();
        Ok(QueuedSave { outbox_id, summary })
    }
}

/// One save for the core: what is queued and what the trail records.
struct Save {
    subject_kind: &'static str,
    code: String,
    /// The core adapter's kind.
    kind: &'static str,
    body: serde_json::Value,
    summary: String,
    action: &'static str,
}
