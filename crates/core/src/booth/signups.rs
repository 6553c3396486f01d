//! Quick tier 4 sign-ups at the booth, offline first: the mobile only (DOMAIN.md: tier 4
//! needs nothing else), the PIPL consents each given separately, a duplicate check against
//! what this console knows, and one outbox operation for the core, queued with the sign-up
//! row and its audit record in one transaction.
//!
//! Offline the mobile's one-time code cannot be sent: the sign-up waits as "mobile not yet
//! verified" and the core verifies it when the queue arrives. The incentive is keyed on the
//! person ([`person_key`]: the campaign and the normalised mobile), so the same person signed
//! up at two booths, or twice at one, gets one incentive; until the core confirms, staff say
//! "promised, credited when confirmed".

use super::campaigns::{self, Campaign};
use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::Console;
use crate::domain::Mobile;
use crate::error::{Error, FieldError, Result};
use crate::sync::{NewOperation, outbox};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// The consents a wallet cannot be opened without, with the notice version shown (the same
/// ones the counter wizard requires; third-party sharing is not asked at a booth).
pub const SIGNUP_CONSENTS: [(&str, &str); 2] = [
    ("general-processing", "2026-01"),
    ("sensitive-financial", "2026-01"),
];

/// The incentive's key at the core: SHA-256 of the campaign code and the person's normalised
/// mobile. Any spelling of one mobile (spaces, +86, full-width digits) gives one key.
pub fn person_key(campaign: &str, mobile: &Mobile) -> String {
    let mut hash = Sha256::new();
    hash.update(campaign.as_bytes());
    hash.update(b":");
    hash.update(mobile.expose().as_bytes());
    hex::encode(hash.finalize())
}

/// One consent as the person chose it: each scope is its own tick (PIPL: separate consent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignUpConsent {
    pub scope: String,
    pub given: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignUpInput {
    pub booth: String,
    pub campaign: String,
    pub mobile: String,
    /// Optional: tier 4 needs the mobile only.
    pub name: String,
    pub consents: Vec<SignUpConsent>,
}

/// What the core has said so far about one sign-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignUpState {
    /// Queued: the core has not answered yet (offline, or not sent yet).
    Waiting,
    /// The core signed the person up.
    Confirmed,
    /// The core refused it; it waits on the Sync screen.
    Attention,
}

/// The incentive, in words staff can say to the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IncentiveState {
    /// The campaign pays none, or its budget was known to be used up.
    None,
    /// Promised, credited when the core confirms.
    Promised,
    Granted,
    /// The person already had it (another booth, or an earlier sign-up).
    AlreadyClaimed,
    BudgetExhausted,
    NotEligible,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignUpRow {
    #[ts(type = "number")]
    pub id: i64,
    pub masked_mobile: String,
    pub name: String,
    pub campaign: String,
    pub booth: String,
    pub staff: String,
    pub channel: String,
    pub at: String,
    pub state: SignUpState,
    /// False until the core verified the mobile (its one-time code, deferred offline).
    pub mobile_verified: bool,
    pub incentive: IncentiveState,
    /// The core's customer id once it confirmed.
    pub customer_id: Option<String>,
}

/// The booth's day so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BoothToday {
    pub booth: String,
    #[ts(type = "string")]
    pub day: chrono::NaiveDate,
    pub signups: Vec<SignUpRow>,
    pub confirmed: u32,
    pub waiting: u32,
    pub incentives_granted: u32,
    pub incentives_promised: u32,
}

/// A sign-up row with its outbox operation's state and the core's answer.
#[derive(sqlx::FromRow)]
struct StoredRow {
    id: i64,
    mobile: String,
    name: String,
    campaign: String,
    booth: String,
    staff_username: String,
    channel: String,
    created_at: String,
    incentive_promised: bool,
    state: String,
    result: Option<String>,
}

/// The core's answer to a sign-up, as the outbox keeps it (`v1::SignUp`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CoreAnswer {
    customer_id: String,
    #[serde(default)]
    mobile_verified: bool,
    incentive: String,
}

impl Console {
    /// Signs a person up at the booth for a tier 4 wallet: queued for the core with the
    /// sign-up row and its audit record in one transaction; works offline.
    pub async fn booth_sign_up(&self, input: SignUpInput) -> Result<SignUpRow> {
        let actor = self.authorize(Permission::WorkBooth).await?;
        self.sign_up_for(&actor, input, None).await
    }

    /// The sign-up, credited to the staff member who signs the person up, or, for a lead
    /// converted, to the lead's staff member (its campaign and booth are the input's): the
    /// lead is closed as converted in the same transaction.
    pub(super) async fn sign_up_for(
        &self,
        actor: &crate::console::Actor,
        input: SignUpInput,
        lead: Option<&super::leads::LeadCredit>,
    ) -> Result<SignUpRow> {
        let (credit_id, credit_name) = lead
            .map_or((actor.staff_id, actor.username.as_str()), |l| {
                (l.staff_id, l.staff_username.as_str())
            });
        let today = crate::clock::local_date(self.now());
        let (booths, all_campaigns) = campaigns::all(self.store().read(), today).await?;
        let mine = campaigns::visible_to(actor.role, &actor.username, booths, all_campaigns);
        let mut problems = Vec::new();
        let booth = input.booth.trim();
        if !mine.booths.iter().any(|b| b.code == booth) {
            problems.push(FieldError::new("booth", "booth_not_yours"));
        }
        let campaign: Option<&Campaign> = mine
            .campaigns
            .iter()
            .find(|c| c.code == input.campaign.trim() && c.booths.iter().any(|b| b == booth));
        match campaign {
            None => problems.push(FieldError::new("campaign", "campaign_not_at_booth")),
            Some(c) if !c.running => {
                problems.push(FieldError::new("campaign", "campaign_not_running"));
            }
            Some(_) => {}
        }
        let mobile = Mobile::parse(&input.mobile).ok();
        if mobile.is_none() {
            problems.push(FieldError::new("mobile", "mobile_invalid"));
        }
        let name = input.name.trim().to_owned();
        if name.chars().count() > 64 || name.chars().any(char::is_control) {
            problems.push(FieldError::new("name", "text_length"));
        }
        for (scope, _) in SIGNUP_CONSENTS {
            if !input.consents.iter().any(|c| c.scope == scope && c.given) {
                problems.push(FieldError::new(scope, "consent_required"));
            }
        }
        if let (Some(mobile), Some(c)) = (&mobile, campaign) {
            // Against what this console knows: a customer the core already sent, or this
            // console's own sign-up of the same person for the same campaign.
            let customer: Option<String> =
                sqlx::query_scalar("SELECT id FROM core_customers WHERE mobile = ? LIMIT 1")
                    .bind(mobile.expose())
                    .fetch_optional(self.store().read())
                    .await?;
            if customer.is_some() {
                problems.push(FieldError::new("mobile", "already_customer"));
            }
            let here: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM booth_signups WHERE campaign = ? AND mobile = ? LIMIT 1",
            )
            .bind(&c.code)
            .bind(mobile.expose())
            .fetch_optional(self.store().read())
            .await?;
            if here.is_some() {
                problems.push(FieldError::new("mobile", "already_signed_up"));
            }
        }
        let (Some(mobile), Some(campaign)) = (mobile, campaign) else {
            return Err(Error::InvalidFields(problems));
        };
        if !problems.is_empty() {
            return Err(Error::InvalidFields(problems));
        }
        let key = person_key(&campaign.code, &mobile);
        // What the claim costs the budget: cashback pays its amount; the other kinds are
        // counted at one fen each, so a count cap is what limits them.
        let amount = campaign
            .incentive
            .amount
            .map_or_else(|| "0.01".to_owned(), |m| m.to_string());
        let promised = !campaign.budget_exhausted;
        let external_id = uuid::Uuid::new_v4().to_string();
        let consents: Vec<serde_json::Value> = SIGNUP_CONSENTS
            .iter()
            .map(|(scope, version)| json!({ "scope": scope, "version": version }))
            .collect();
        let body = json!({
            "externalId": external_id,
            "mobile": mobile.expose(),
            "name": (!name.is_empty()).then(|| name.clone()),
            "consents": consents,
            "campaign": campaign.code,
            "booth": booth,
            "staffId": credit_name,
            "channel": "booth",
            "claim": promised.then(|| json!({ "amount": amount, "personKey": key })),
        });
        let now = self.now();
        let engine = self.engine()?;
        let mut tx = self.store().begin().await?;
        let outbox_id = outbox::enqueue(
            &mut tx,
            engine.sealer(),
            NewOperation {
                aggregate: format!("signup:{external_id}"),
                kind: "booth.signup".to_owned(),
                subject: None,
                body,
                summary: format!("展位开户 {} {booth}", mobile.masked()),
                record_ref: Some(format!("signup:{external_id}")),
            },
            now,
            Some(actor.staff_id),
        )
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO booth_signups (external_id, mobile, name, campaign, booth, staff_id, \
             staff_username, channel, person_key, incentive_promised, outbox_id, created_at, day) \
             VALUES (?, ?, ?, ?, ?, ?, ?, 'booth', ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&external_id)
        .bind(mobile.expose())
        .bind(&name)
        .bind(&campaign.code)
        .bind(booth)
        .bind(credit_id)
        .bind(credit_name)
        .bind(&key)
        .bind(promised)
        .bind(outbox_id)
        .bind(outbox::timestamp(now))
        .bind(today.format("%Y-%m-%d").to_string())
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "booth.signed_up",
            )
            .subject("signup", id.to_string())
            .detail(json!({ "booth": booth, "campaign": campaign.code,
                    "outboxId": outbox_id })),
        )
        .await?;
        if let Some(lead) = lead {
            super::leads::mark_converted(&mut tx, actor, lead, id, now).await?;
        }
        tx.commit().await?;
        engine.wake();
        let mut rows = self.signup_rows(Some(id), None, None).await?;
        rows.pop()
            .ok_or_else(|| Error::NotFound(format!("sign-up {id}")))
    }

    /// The booth's day: its sign-ups (newest first) and the counts the today panel shows.
    pub async fn booth_today(&self, booth: String) -> Result<BoothToday> {
        let actor = self.authorize(Permission::WorkBooth).await?;
        let today = crate::clock::local_date(self.now());
        let (booths, campaigns) = campaigns::all(self.store().read(), today).await?;
        let mine = campaigns::visible_to(actor.role, &actor.username, booths, campaigns);
        let booth = booth.trim().to_owned();
        if !mine.booths.iter().any(|b| b.code == booth) {
            return Err(Error::field("booth", "booth_not_yours"));
        }
        let day = today.format("%Y-%m-%d").to_string();
        let signups = self.signup_rows(None, Some(&booth), Some(&day)).await?;
        let count = |f: &dyn Fn(&SignUpRow) -> bool| {
            u32::try_from(signups.iter().filter(|r| f(r)).count()).unwrap_or(u32::MAX)
        };
        Ok(BoothToday {
            confirmed: count(&|r| r.state == SignUpState::Confirmed),
            waiting: count(&|r| r.state == SignUpState::Waiting),
            incentives_granted: count(&|r| r.incentive == IncentiveState::Granted),
            incentives_promised: count(&|r| r.incentive == IncentiveState::Promised),
            booth,
            day: today,
            signups,
        })
    }

    async fn signup_rows(
        &self,
        id: Option<i64>,
        booth: Option<&str>,
        day: Option<&str>,
    ) -> Result<Vec<SignUpRow>> {
        let rows: Vec<StoredRow> = sqlx::query_as(
            "SELECT s.id, s.mobile, s.name, s.campaign, s.booth, s.staff_username, s.channel, \
                 s.created_at, s.incentive_promised, o.state, o.result \
                 FROM booth_signups s JOIN outbox o ON o.id = s.outbox_id \
                 WHERE (?1 IS NULL OR s.id = ?1) AND (?2 IS NULL OR s.booth = ?2) \
                 AND (?3 IS NULL OR s.day = ?3) ORDER BY s.id DESC",
        )
        .bind(id)
        .bind(booth)
        .bind(day)
        .fetch_all(self.store().read())
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |StoredRow {
                     id,
                     mobile,
                     name,
                     campaign,
                     booth,
                     staff_username: staff,
                     channel,
                     created_at: at,
                     incentive_promised: promised,
                     state,
                     result,
                 }| {
                    let answer = result
                        .as_deref()
                        .filter(|_| state == "done")
                        .and_then(|r| serde_json::from_str::<CoreAnswer>(r).ok());
                    let state = match (state.as_str(), &answer) {
                        (_, Some(_)) => SignUpState::Confirmed,
                        ("attention" | "discarded", _) => SignUpState::Attention,
                        _ => SignUpState::Waiting,
                    };
                    let incentive = match answer.as_ref().map(|a| a.incentive.as_str()) {
                        None if promised => IncentiveState::Promised,
                        None | Some("none") => IncentiveState::None,
                        Some("granted") => IncentiveState::Granted,
                        Some("already-claimed") => IncentiveState::AlreadyClaimed,
                        Some("budget-exhausted") => IncentiveState::BudgetExhausted,
                        Some(_) => IncentiveState::NotEligible,
                    };
                    SignUpRow {
                        id,
                        masked_mobile: Mobile::parse(&mobile)
                            .map(|m| m.masked())
                            .unwrap_or_default(),
                        name,
                        campaign,
                        booth,
                        staff,
                        channel,
                        at,
                        state,
                        mobile_verified: answer.as_ref().is_some_and(|a| a.mobile_verified),
                        incentive,
                        customer_id: answer.map(|a| a.customer_id),
                    }
                },
            )
            .collect())
    }
}
