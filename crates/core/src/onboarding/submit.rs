//! The wizard's evaluation (the pure rules plus what the store knows: possible duplicates and
//! the core bank's limits) and the submission: the core operations queued in the transaction
//! that closes the draft.

use super::drafts::DraftData;
use super::rules::{self, CONSENTS, ConsentOffer, Evidence, IdFacts, OnboardingPolicy, TierOption};
use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::Console;
use crate::customers::CustomerHit;
use crate::domain::{Mobile, ResidentId};
use crate::error::{Error, FieldError, Result};
use crate::sync::{NewOperation, outbox};
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub id: Option<IdFacts>,
    pub evidence: Evidence,
    pub tiers: Vec<TierOption>,
    pub best_tier: Option<u8>,
    pub guardian_required: bool,
    /// Customers already in the local copy with the same mobile or the same masked ID.
    pub possible_duplicates: Vec<CustomerHit>,
    /// Empty when the draft can be submitted.
    pub problems: Vec<FieldError>,
    /// The consents to ask for (the screen renders exactly these).
    pub consents: Vec<ConsentOffer>,
    /// The core bank's limits in force today, per tier, from the store's copy of its schemes;
    /// `None` until the core has sent them once.
    pub limits: Option<crate::limits::LimitScheme>,
    /// The campaigns running today that a counter sign-up may be credited to.
    pub campaigns: Vec<CampaignChoice>,
}

/// A running campaign the teller may credit the sign-up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CampaignChoice {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SubmitResult {
    /// How the core will know the customer until it assigns its own number: `ext:<uuid>`.
    pub customer_ref: String,
    #[ts(type = "number")]
    pub operations: u32,
    pub tier: u8,
}
impl Console {
    /// Checks the draft against every rule; the wizard shows the result on each step.
    pub async fn onboarding_evaluate(&self, data: DraftData) -> Result<Evaluation> {
        self.authorize(Permission::Onboard).await?;
        self.evaluate(&data).await
    }

    pub(super) async fn evaluate(&self, data: &DraftData) -> Result<Evaluation> {
        let today = crate::clock::local_date(self.now());
        let rules::Assessment {
            id,
            evidence,
            tiers,
            best_tier,
            guardian_required,
            mut problems,
            mobile,
            resident_id,
        } = rules::evaluate(data, today, &OnboardingPolicy::default());
        let id = self.with_elder_offer(id).await?;
        let mut possible_duplicates: Vec<CustomerHit> = Vec::new();
        if let Some(mobile) = &mobile {
            possible_duplicates.extend(
                crate::customers::search::search(
                    self.store().read(),
                    self.engine()?.sealer(),
                    today,
                    mobile.expose(),
                )
                .await?,
            );
        }
        if let Some(id) = &resident_id {
            let masked = id.masked();
            let same: Vec<String> = sqlx::query_scalar(
                "SELECT id FROM core_customers WHERE masked_resident_id = ? LIMIT 5",
            )
            .bind(&masked)
            .fetch_all(self.store().read())
            .await?;
            for customer in same {
                if possible_duplicates.iter().all(|h| h.id != customer) {
                    let hits = crate::customers::search::search(
                        self.store().read(),
                        self.engine()?.sealer(),
                        today,
                        &masked[masked.len().saturating_sub(4)..],
                    )
                    .await?;
                    possible_duplicates.extend(hits.into_iter().filter(|h| h.id == customer));
                }
            }
        }
        if !possible_duplicates.is_empty() {
            problems.push(FieldError::new("residentId", "possible_duplicate"));
        }
        // Credit goes only to a campaign running today, as the core sent it.
        let (_, all) = crate::booth::campaigns::all(self.store().read(), today).await?;
        let campaigns: Vec<CampaignChoice> = all
            .into_iter()
            .filter(|c| c.running)
            .map(|c| CampaignChoice {
                code: c.code,
                name: c.name,
            })
            .collect();
        let campaign = data.campaign.trim();
        if !campaign.is_empty() && !campaigns.iter().any(|c| c.code == campaign) {
            problems.push(FieldError::new("campaign", "campaign_not_running"));
        }
        Ok(Evaluation {
            id,
            evidence,
            tiers,
            best_tier,
            guardian_required,
            possible_duplicates,
            problems,
            consents: rules::consent_offers(),
            limits: crate::limits::in_force(self.store().read(), today, None).await?,
            campaigns,
        })
    }

    /// Queues the customer's creation, consents, wallet and card for the core, closes the
    /// draft and audits it, all in one transaction. Refused while any rule is unmet.
    pub async fn onboarding_submit(&self, id: i64) -> Result<SubmitResult> {
        let actor = self.authorize(Permission::Onboard).await?;
        let draft = self
            .onboarding_resume()
            .await?
            .filter(|d| d.id == id)
            .ok_or_else(|| Error::NotFound(format!("open draft {id}")))?;
        let data = draft.data;
        let evaluation = self.evaluate(&data).await?;
        if !evaluation.problems.is_empty() {
            return Err(Error::InvalidFields(evaluation.problems));
        }
        let tier = data.tier.unwrap_or(4);
        let external_id = uuid::Uuid::new_v4().to_string();
        let customer_ref = format!("ext:{external_id}");
        let aggregate = format!("customer:{external_id}");
        let masked_mobile = Mobile::parse(&data.mobile)
            .map(|m| m.masked())
            .unwrap_or_default();
        let masked_name: String = data
            .name
            .trim()
            .chars()
            .enumerate()
            .map(|(i, c)| if i == 0 { c } else { '*' })
            .collect();
        let resident_id = ResidentId::parse(data.resident_id.trim())
            .ok()
            .map(|id| id.expose().to_owned());

        let mut ops = vec![NewOperation {
            aggregate: aggregate.clone(),
            kind: "customer.create".into(),
            subject: None,
            body: json!({
                "externalId": external_id,
                "name": data.name.trim(),
                "residentId": resident_id,
                // The canonical 11 digits, whatever width or spacing the teller typed.
                "mobile": Mobile::parse(&data.mobile)
                    .map(|m| m.expose().to_owned())
                    .unwrap_or_else(|_| data.mobile.trim().to_owned()),
                // Every sign-up is credited: at the counter, to the teller, and to the
                // campaign that brought the customer when there was one.
                "attribution": {
                    "campaign": (!data.campaign.trim().is_empty())
                        .then(|| data.campaign.trim().to_owned()),
                    "staffId": actor.username,
                    "channel": "counter",
                },
            }),
            summary: format!("开户 {masked_name} {masked_mobile}"),
            record_ref: Some(format!("onboarding:{id}")),
        }];
        for consent in data.consents.iter().filter(|c| c.given) {
            let third_party = CONSENTS
                .iter()
                .find(|(scope, ..)| *scope == consent.scope)
                .and_then(|(.., third_party)| *third_party);
            ops.push(NewOperation {
                aggregate: aggregate.clone(),
                kind: "consent.record".into(),
                subject: Some(customer_ref.clone()),
                body: json!({
                    "scope": consent.scope,
                    "version": consent.version,
                    "thirdParty": third_party,
                    "guardianName": (!data.guardian_name.trim().is_empty())
                        .then(|| data.guardian_name.trim().to_owned()),
                }),
                summary: format!("授权 {masked_name} {}", consent.scope),
                record_ref: Some(format!("onboarding:{id}")),
            });
        }
        // The card goes with the wallet: tiers 1 and 2 need it linked as they open.
        // Parsed, not filtered: full-width digits are digits too, and the evaluation above
        // already refused a number that does not parse.
        let card_digits: String = crate::domain::CardNumber::parse(&data.card_number)
            .map(|card| card.expose().to_owned())
            .unwrap_or_default();
        let card_note = if card_digits.is_empty() {
            String::new()
        } else {
            format!(
                " 绑卡 **** {}",
                &card_digits[card_digits.len().saturating_sub(4)..]
            )
        };
        ops.push(NewOperation {
            aggregate: aggregate.clone(),
            kind: "wallet.open".into(),
            subject: None,
            body: json!({
                "customerId": customer_ref,
                "tier": tier,
                "inPerson": data.id_checked_in_person,
                "idVerifiedBy": data.id_checked_in_person.then(|| actor.username.clone()),
                "bankCard": (!card_digits.is_empty()).then(|| json!({ "number": card_digits })),
            }),
            summary: format!("开立{tier}类钱包 {masked_name}{card_note}"),
            record_ref: Some(format!("onboarding:{id}")),
        });
        let count = u32::try_from(ops.len()).unwrap_or(u32::MAX);
        let engine = self.engine()?;
        let mut tx = self.store().begin().await?;
        for op in ops {
            outbox::enqueue(
                &mut tx,
                engine.sealer(),
                op,
                self.now(),
                Some(actor.staff_id),
            )
            .await?;
        }
        let closed = sqlx::query(
            "UPDATE onboarding_drafts SET submitted_at = ?, external_id = ?, step = 'submitted' \
             WHERE id = ? AND submitted_at IS NULL",
        )
        .bind(outbox::timestamp(self.now()))
        .bind(&customer_ref)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if closed.rows_affected() == 0 {
            return Err(Error::Conflict(
                "the draft was already submitted".to_owned(),
            ));
        }
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username, "onboarding.submitted").detail(
                json!({ "draftId": id, "customerRef": customer_ref, "tier": tier,
                    "operations": count }),
            ),
        )
        .await?;
        tx.commit().await?;
        engine.wake();
        Ok(SubmitResult {
            customer_ref,
            operations: count,
            tier,
        })
    }

    /// What the typed resident ID says (sex, age), or why it is not valid. Not the birth date:
    /// the answer carries the masked ID, and the two together are the whole number.
    pub async fn onboarding_check_id(&self, text: String) -> Result<IdFacts> {
        self.authorize(Permission::Onboard).await?;
        let today = crate::clock::local_date(self.now());
        let id = ResidentId::parse_on(text.trim(), today)
            .map_err(|err| Error::field("residentId", rules::id_problem_code(&err)))?;
        let facts = self
            .with_elder_offer(Some(IdFacts::of(&id, &text, today)))
            .await?;
        facts.ok_or_else(|| anyhow::anyhow!("facts vanished").into())
    }

    /// Marks whether elder mode is offered for the ID's age, under the stored elder rules.
    async fn with_elder_offer(&self, facts: Option<IdFacts>) -> Result<Option<IdFacts>> {
        let Some(mut facts) = facts else {
            return Ok(None);
        };
        let mut conn = self.store().read().acquire().await?;
        facts.elder_offered = crate::elder::session::load_rules(&mut conn)
            .await?
            .offers_elder_mode(facts.age);
        Ok(Some(facts))
    }
}
