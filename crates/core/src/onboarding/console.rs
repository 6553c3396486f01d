//! The onboarding wizard's commands. Every step is saved (sealed) and audited; the submission
//! queues the core operations in the same transaction that closes the draft.

use super::rules::{self, Evidence, OnboardingPolicy, TierOption};
use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::Console;
use crate::customers::CustomerHit;
use crate::domain::{Mobile, ResidentId, Sex};
use crate::error::{Error, FieldError, Result};
use crate::sync::{NewOperation, outbox};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;
use ts_rs::TS;

/// The consents asked for, each separately (PIPL): scope (the contract's names), text
/// version, whether a wallet can be opened without it (the data is necessary for the service,
/// so refusing service for a withheld consent is allowed only there), and who receives the data
/// for third-party sharing.
pub const CONSENTS: [(&str, &str, bool, Option<&str>); 3] = [
    ("general-processing", "2026-01", true, None),
    ("sensitive-financial", "2026-01", true, None),
    (
        "third-party-sharing",
        "2026-01",
        false,
        Some("中国银联 China UnionPay"),
    ),
];

/// A consent the wizard asks for, as [`CONSENTS`] defines it: the screen renders these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentOffer {
    pub scope: String,
    pub version: String,
    /// A wallet cannot be opened without it.
    pub required: bool,
    /// Who receives the data, for third-party sharing.
    pub third_party: Option<String>,
}

/// The consents to ask for, in the order the wizard shows them.
pub fn consent_offers() -> Vec<ConsentOffer> {
    CONSENTS
        .iter()
        .map(|(scope, version, required, third_party)| ConsentOffer {
            scope: (*scope).to_owned(),
            version: (*version).to_owned(),
            required: *required,
            third_party: third_party.map(str::to_owned),
        })
        .collect()
}

const MAX_NAME_CHARS: usize = 64;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentChoice {
    pub scope: String,
    pub version: String,
    pub given: bool,
}

/// Everything the wizard has collected so far, as typed. Sealed at rest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct DraftData {
    pub name: String,
    pub resident_id: String,
    pub mobile: String,
    /// Set by the wizard after the core accepted the one-time code.
    pub mobile_verified: bool,
    pub id_checked_in_person: bool,
    /// The customer's own bank card, full number (sent only to the core).
    pub card_number: String,
    pub consents: Vec<ConsentChoice>,
    /// Name of the guardian who consents for a customer under 14.
    pub guardian_name: String,
    #[ts(type = "number | null")]
    pub tier: Option<u8>,
    pub elder_mode: bool,
    /// Server-owned (a save cannot set it): the open code challenge for `mobile`.
    pub otp_challenge: String,
    /// Server-owned: the watchlist screening of this name and ID, once run.
    pub screening: Option<ScreeningState>,
}

/// The screening result kept in the draft, with what was screened: a changed name or ID
/// needs a new screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScreeningState {
    /// "clear" or "hit".
    pub result: String,
    pub reason: Option<String>,
    pub name: String,
    pub masked_resident_id: String,
}

/// A code was sent; in training mode the sandbox's code is shown so practice needs no phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CodeSentView {
    pub masked_mobile: String,
    pub training_code: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerifyCodeInput {
    #[ts(type = "number")]
    pub draft_id: i64,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    #[ts(type = "number")]
    pub id: i64,
    pub step: String,
    pub data: DraftData,
    pub updated_at: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveDraftInput {
    /// None starts a new draft.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub step: String,
    pub data: DraftData,
}

/// What the resident ID says, for the wizard to show as soon as it is typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IdFacts {
    pub masked: String,
    /// "male" or "female".
    pub sex: String,
    pub age: u32,
    /// True when the 15-digit legacy form was typed (converted to 18).
    pub converted_from_15: bool,
}

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

fn problem(field: &str, code: &str) -> FieldError {
    FieldError::new(field, code)
}

/// Luhn check of a bank card number (13 to 19 digits, spaces allowed).
pub fn card_number_valid(text: &str) -> bool {
    crate::domain::CardNumber::parse(text).is_ok()
}

impl Console {
    fn draft_context(id: i64) -> String {
        format!("onboarding:{id}")
    }

    /// The signed-in teller's latest unfinished draft, to resume after a restart.
    pub async fn onboarding_resume(&self) -> Result<Option<Draft>> {
        let actor = self.authorize(Permission::Onboard).await?;
        let row = sqlx::query(
            "SELECT id, step, data_sealed, updated_at FROM onboarding_drafts \
             WHERE staff_id = ? AND submitted_at IS NULL ORDER BY updated_at DESC LIMIT 1",
        )
        .bind(actor.staff_id)
        .fetch_optional(self.store().read())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: i64 = row.try_get("id")?;
        let sealed: Vec<u8> = row.try_get("data_sealed")?;
        let plain = self
            .engine()?
            .sealer()
            .open(&sealed, &Self::draft_context(id))
            .map_err(anyhow::Error::from)?;
        Ok(Some(Draft {
            id,
            step: row.try_get("step")?,
            data: serde_json::from_slice(&plain).map_err(anyhow::Error::from)?,
            updated_at: row.try_get("updated_at")?,
        }))
    }

    /// The sealed data of the signed-in teller's open draft `id`, read on `conn`.
    async fn stored_draft(
        &self,
        conn: &mut sqlx::SqliteConnection,
        staff_id: i64,
        id: i64,
    ) -> Result<DraftData> {
        let row = sqlx::query(
            "SELECT data_sealed FROM onboarding_drafts \
             WHERE id = ? AND staff_id = ? AND submitted_at IS NULL",
        )
        .bind(id)
        .bind(staff_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::NotFound(format!("open draft {id}")))?;
        let sealed: Vec<u8> = row.try_get("data_sealed")?;
        let plain = self
            .engine()?
            .sealer()
            .open(&sealed, &Self::draft_context(id))
            .map_err(anyhow::Error::from)?;
        Ok(serde_json::from_slice(&plain).map_err(anyhow::Error::from)?)
    }

    /// Seals `data` into draft `id` on `conn`.
    async fn store_draft(
        &self,
        conn: &mut sqlx::SqliteConnection,
        id: i64,
        step: &str,
        data: &DraftData,
        now: &str,
    ) -> Result<()> {
        let plain = serde_json::to_vec(data).map_err(anyhow::Error::from)?;
        let sealed = self
            .engine()?
            .sealer()
            .seal(&plain, &Self::draft_context(id))
            .map_err(anyhow::Error::from)?;
        sqlx::query(
            "UPDATE onboarding_drafts SET step = ?, data_sealed = ?, updated_at = ? WHERE id = ?",
        )
        .bind(step)
        .bind(sealed)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Saves the wizard's state (called on every step). Audited by step, never by content.
    /// What only the core can establish (the mobile check, the screening) is kept from the
    /// stored draft, never taken from the screen.
    pub async fn onboarding_save(&self, input: SaveDraftInput) -> Result<Draft> {
        let actor = self.authorize(Permission::Onboard).await?;
        let step = input.step.trim().to_owned();
        if step.is_empty() || step.len() > 32 {
            return Err(Error::InvalidInput("step: 1 to 32 characters".to_owned()));
        }
        let now = crate::sync::outbox::timestamp(self.now());
        let mut data = input.data;
        let mut tx = self.store().begin().await?;
        let id = match input.id {
            Some(id) => {
                let stored = self.stored_draft(&mut tx, actor.staff_id, id).await?;
                let same_mobile = stored.mobile.trim() == data.mobile.trim();
                data.mobile_verified = stored.mobile_verified && same_mobile;
                data.otp_challenge = if same_mobile {
                    stored.otp_challenge
                } else {
                    String::new()
                };
                data.screening = stored.screening;
                id
            }
            None => {
                data.mobile_verified = false;
                data.otp_challenge = String::new();
                data.screening = None;
                sqlx::query_scalar(
                    "INSERT INTO onboarding_drafts (staff_id, step, data_sealed, created_at, \
                     updated_at) VALUES (?, ?, x'', ?, ?) RETURNING id",
                )
                .bind(actor.staff_id)
                .bind(&step)
                .bind(&now)
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        self.store_draft(&mut tx, id, &step, &data, &now).await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "onboarding.step_saved",
            )
            .detail(json!({ "draftId": id, "step": step })),
        )
        .await?;
        tx.commit().await?;
        Ok(Draft {
            id,
            step,
            data,
            updated_at: now,
        })
    }

    /// Sends a one-time code to the draft's mobile through the core (online only).
    pub async fn onboarding_send_code(&self, draft_id: i64) -> Result<CodeSentView> {
        let actor = self.authorize(Permission::Onboard).await?;
        let mut conn = self.store().read().acquire().await?;
        let data = self
            .stored_draft(&mut conn, actor.staff_id, draft_id)
            .await?;
        drop(conn);
        let mobile =
            Mobile::parse(&data.mobile).map_err(|_| Error::field("mobile", "mobile_invalid"))?;
        let sent = self
            .engine()?
            .core()
            .send_code(mobile.expose())
            .await
            .map_err(Error::from)?;
        let now = crate::sync::outbox::timestamp(self.now());
        let mut tx = self.store().begin().await?;
        let mut data = self.stored_draft(&mut tx, actor.staff_id, draft_id).await?;
        data.otp_challenge = sent.challenge_id;
        data.mobile_verified = false;
        self.store_draft(&mut tx, draft_id, "mobile", &data, &now)
            .await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username, "onboarding.code_sent")
                .detail(json!({ "draftId": draft_id, "mobile": sent.masked_mobile })),
        )
        .await?;
        tx.commit().await?;
        Ok(CodeSentView {
            masked_mobile: sent.masked_mobile,
            // Shown only in training, where the core is the sandbox.
            training_code: sent.training_code.filter(|_| self.training_mode()),
        })
    }

    /// Checks the code the customer read out. A wrong code is `InvalidInput` (the attempt
    /// counts at the core); success marks the draft's mobile as verified.
    pub async fn onboarding_verify_code(&self, input: VerifyCodeInput) -> Result<Draft> {
        let actor = self.authorize(Permission::Onboard).await?;
        let mut conn = self.store().read().acquire().await?;
        let data = self
            .stored_draft(&mut conn, actor.staff_id, input.draft_id)
            .await?;
        drop(conn);
        if data.otp_challenge.is_empty() {
            return Err(Error::Conflict("send a code first".to_owned()));
        }
        let right = self
            .engine()?
            .core()
            .verify_code(
                &data.otp_challenge,
                &crate::domain::normalize_typed(&input.code),
            )
            .await
            .map_err(Error::from)?;
        let now = crate::sync::outbox::timestamp(self.now());
        let mut tx = self.store().begin().await?;
        let mut data = self
            .stored_draft(&mut tx, actor.staff_id, input.draft_id)
            .await?;
        data.mobile_verified = right;
        self.store_draft(&mut tx, input.draft_id, "mobile", &data, &now)
            .await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "onboarding.code_checked",
            )
            .detail(json!({ "draftId": input.draft_id, "right": right })),
        )
        .await?;
        tx.commit().await?;
        if !right {
            return Err(Error::field("code", "code_wrong"));
        }
        Ok(Draft {
            id: input.draft_id,
            step: "mobile".to_owned(),
            data,
            updated_at: now,
        })
    }

    /// Screens the draft's name and resident ID against the watchlist through the core. A hit
    /// is kept in the draft (and the trail) and stops the submission.
    pub async fn onboarding_screen(&self, draft_id: i64) -> Result<Draft> {
        let actor = self.authorize(Permission::Onboard).await?;
        let mut conn = self.store().read().acquire().await?;
        let data = self
            .stored_draft(&mut conn, actor.staff_id, draft_id)
            .await?;
        drop(conn);
        let id = ResidentId::parse(data.resident_id.trim())
            .map_err(|err| Error::field("residentId", id_problem_code(&err)))?;
        let name = data.name.trim().to_owned();
        let outcome = self
            .engine()?
            .core()
            .screen(&name, id.expose())
            .await
            .map_err(Error::from)?;
        let (result, reason) = match outcome {
            crate::corelink::ScreeningOutcome::Clear => ("clear".to_owned(), None),
            crate::corelink::ScreeningOutcome::Hit { reason } => ("hit".to_owned(), Some(reason)),
        };
        let now = crate::sync::outbox::timestamp(self.now());
        let mut tx = self.store().begin().await?;
        let mut data = self.stored_draft(&mut tx, actor.staff_id, draft_id).await?;
        data.screening = Some(ScreeningState {
            result: result.clone(),
            reason,
            name,
            masked_resident_id: id.masked(),
        });
        self.store_draft(&mut tx, draft_id, "checks", &data, &now)
            .await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username, "onboarding.screened")
                .detail(json!({ "draftId": draft_id, "result": result })),
        )
        .await?;
        tx.commit().await?;
        Ok(Draft {
            id: draft_id,
            step: "checks".to_owned(),
            data,
            updated_at: now,
        })
    }

    pub async fn onboarding_discard(&self, id: i64) -> Result<()> {
        let actor = self.authorize(Permission::Onboard).await?;
        let mut tx = self.store().begin().await?;
        let gone = sqlx::query(
            "DELETE FROM onboarding_drafts WHERE id = ? AND staff_id = ? AND submitted_at IS NULL",
        )
        .bind(id)
        .bind(actor.staff_id)
        .execute(&mut *tx)
        .await?;
        if gone.rows_affected() == 0 {
            return Err(Error::NotFound(format!("open draft {id}")));
        }
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username, "onboarding.discarded")
                .detail(json!({ "draftId": id })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks the draft against every rule; the wizard shows the result on each step.
    pub async fn onboarding_evaluate(&self, data: DraftData) -> Result<Evaluation> {
        self.authorize(Permission::Onboard).await?;
        self.evaluate(&data).await
    }

    async fn evaluate(&self, data: &DraftData) -> Result<Evaluation> {
        let policy = OnboardingPolicy::default();
        let today = crate::complaints::types::local_date(self.now());
        let mut problems = Vec::new();
        let name = data.name.trim();
        if name.is_empty()
            || name.chars().count() > MAX_NAME_CHARS
            || name.chars().any(char::is_control)
        {
            problems.push(problem("name", "name_invalid"));
        }
        let resident_id = if data.resident_id.trim().is_empty() {
            None
        } else {
            match ResidentId::parse_on(data.resident_id.trim(), today) {
                Ok(id) => Some(id),
                Err(err) => {
                    problems.push(problem("residentId", id_problem_code(&err)));
                    None
                }
            }
        };
        let mobile = match Mobile::parse(&data.mobile) {
            Ok(m) => Some(m),
            Err(_) => {
                problems.push(problem("mobile", "mobile_invalid"));
                None
            }
        };
        if !data.mobile_verified {
            problems.push(problem("mobile", "mobile_not_verified"));
        }
        let card = !data.card_number.trim().is_empty();
        if card && !card_number_valid(&data.card_number) {
            problems.push(problem("cardNumber", "card_invalid"));
        }
        let id = resident_id.as_ref().map(|id| IdFacts {
            masked: id.masked(),
            sex: match id.sex() {
                Sex::Male => "male".to_owned(),
                Sex::Female => "female".to_owned(),
            },
            age: id.age_on(today),
            converted_from_15: typed_in_15(&data.resident_id),
        });
        let evidence = Evidence {
            mobile_verified: data.mobile_verified && mobile.is_some(),
            resident_id: resident_id.is_some(),
            id_checked_in_person: data.id_checked_in_person && resident_id.is_some(),
            own_bank_card: card && card_number_valid(&data.card_number),
            age: id.as_ref().map(|f| f.age),
            id_expired: false,
        };
        let tiers = rules::tier_options(&evidence, &policy);
        let best_tier = rules::best_tier(&evidence, &policy);
        let guardian_required = rules::guardian_required(&evidence, &policy);
        if guardian_required && data.guardian_name.trim().is_empty() {
            problems.push(problem("guardianName", "guardian_required"));
        }
        if resident_id.is_none() && !data.resident_id.trim().is_empty() {
            // Already reported as a malformed ID.
        } else if resident_id.is_none() {
            // The v1 contract creates every customer with a resident ID, so even a tier 4
            // wallet opened at the counter needs one (anonymous tier 4 is the booth's path).
            problems.push(problem("residentId", "id_required"));
        }
        for (scope, version, required, _) in CONSENTS {
            let given = data
                .consents
                .iter()
                .any(|c| c.scope == scope && c.version == version && c.given);
            if required && !given {
                problems.push(problem("consents", &format!("consent_required_{scope}")));
            }
        }
        if let Some(id) = &resident_id {
            match &data.screening {
                Some(done) if done.name == name && done.masked_resident_id == id.masked() => {
                    if done.result != "clear" {
                        // A hit stops the onboarding: a supervisor takes it from here.
                        problems.push(problem("screening", "screening_hit"));
                    }
                }
                _ => problems.push(problem("screening", "screening_needed")),
            }
        }
        match data.tier {
            None => problems.push(problem("tier", "tier_not_chosen")),
            Some(tier) => {
                let allowed = tiers
                    .iter()
                    .any(|option| option.tier == tier && option.missing.is_empty());
                if !allowed {
                    problems.push(problem("tier", "tier_not_allowed"));
                }
            }
        }
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
            problems.push(problem("residentId", "possible_duplicate"));
        }
        Ok(Evaluation {
            id,
            evidence,
            tiers,
            best_tier,
            guardian_required,
            possible_duplicates,
            problems,
            consents: consent_offers(),
            limits: crate::limits::in_force(self.store().read(), today, None).await?,
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
        let today = crate::complaints::types::local_date(self.now());
        let id = ResidentId::parse_on(text.trim(), today)
            .map_err(|err| Error::field("residentId", id_problem_code(&err)))?;
        Ok(IdFacts {
            masked: id.masked(),
            sex: match id.sex() {
                Sex::Male => "male".to_owned(),
                Sex::Female => "female".to_owned(),
            },
            age: id.age_on(today),
            converted_from_15: typed_in_15(&text),
        })
    }
}

/// Whether the ID was typed in the old 15-character form (counted after width folding, so
/// fifteen full-width digits count as fifteen).
fn typed_in_15(text: &str) -> bool {
    crate::domain::normalize_typed(text).chars().count() == 15
}

/// A stable code per way a resident ID can be wrong, for the UI to translate.
fn id_problem_code(err: &crate::domain::IdentityError) -> &'static str {
    use crate::domain::IdentityError as E;
    match err {
        E::WrongLength { .. } => "id_length",
        E::BadCharacter { .. } => "id_characters",
        E::BadAreaCode { .. } => "id_area_code",
        E::BadBirthDate { .. } => "id_birth_date",
        E::BadCheckCharacter { .. } => "id_check_character",
        E::BadMobile => "id_invalid",
    }
}
