//! The wizard's drafts: saved (sealed) and audited on every step, so a restart resumes where
//! the teller was; and the checks only the core can make (the one-time code, the watchlist
//! screening), kept in the draft where a save from the screen cannot set them.

use super::rules::id_problem_code;
use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::Console;
use crate::domain::{Mobile, ResidentId};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;
use ts_rs::TS;

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
    /// The campaign that brought the customer to the counter (a running one's code), or
    /// empty: the sign-up is credited to it and to the teller (channel "counter").
    pub campaign: String,
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
impl Console {
    pub(super) fn draft_context(id: i64) -> String {
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
}
