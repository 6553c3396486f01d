//! The Sync screen's commands: what is queued, what needs attention, and acting on it.

use super::outbox::{self, OutboxItem, OutboxState, SyncStatus};
use crate::access::{Permission, Role};
use crate::audit::{self, AuditOutcome, NewAudit};
use crate::console::{Actor, Console};
use crate::corelink::ScreeningOutcome;
use crate::domain::{CardNumber, Mobile, ResidentId};
use crate::error::{Error, Result};
use crate::onboarding::CodeSentView;
use serde::Deserialize;
use serde_json::json;
use ts_rs::TS;

/// Most rows the Sync screen lists at once (newest first).
const LIST_LIMIT: u32 = 500;

/// A correction staff make to an item the core refused: the body fields they changed (e.g. a
/// mistyped mobile), then resent under a new key.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResendInput {
    #[ts(type = "number")]
    pub id: i64,
    /// Field name to new value; only the kind's [`correctable`] fields may be changed.
    #[ts(type = "Record<string, string> | null")]
    pub corrected: Option<serde_json::Map<String, serde_json::Value>>,
    /// The one-time code the customer read out, when the mobile changed (sent by
    /// `sync_resend_code` to the new number).
    #[serde(default)]
    #[ts(optional)]
    pub code: Option<String>,
}

/// Sends a one-time code to the mobile a refused customer creation is to be corrected to.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResendCodeInput {
    #[ts(type = "number")]
    pub id: i64,
    pub mobile: String,
}

/// A code sent to a corrected mobile, waiting to be checked by the resend.
#[derive(Debug, Clone)]
pub(crate) struct ResendChallenge {
    staff_id: i64,
    mobile: String,
    challenge_id: String,
}

/// The body fields staff may correct, per operation kind. Everything else is what the
/// customer agreed to (a consent's scope and version) or what the counter established (a
/// tier, the in-person check, the customer it belongs to), and changes only by doing that
/// work again at the counter, under its own rules.
const CORRECTABLE: &[(&str, &[&str])] = &[
    ("customer.create", &["name", "residentId", "mobile"]),
    ("consent.record", &["guardianName"]),
    ("card.link", &["number", "bankName"]),
    ("customer.update", &["idExpiresOn"]),
    ("consent.withdraw", &["reason"]),
];

/// The fields of `kind` a correction may change (none for a kind not listed).
pub fn correctable(kind: &str) -> &'static [&'static str] {
    CORRECTABLE
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, fields)| *fields)
        .unwrap_or(&[])
}

const MAX_NAME_CHARS: usize = 64;

/// A corrected value, checked as the command that first queued it checked it, in the form
/// the body holds it.
fn normalise(field: &str, text: &str, today: chrono::NaiveDate) -> Result<String> {
    let text = text.trim();
    let bad = |code: &str| Error::field(field, code);
    Ok(match field {
        "name" | "guardianName" => {
            if text.is_empty()
                || text.chars().count() > MAX_NAME_CHARS
                || text.chars().any(char::is_control)
            {
                return Err(bad("name_invalid"));
            }
            text.to_owned()
        }
        "residentId" => ResidentId::parse_on(text, today)
            .map_err(|_| bad("id_invalid"))?
            .expose()
            .to_owned(),
        "mobile" => Mobile::parse(text)
            .map_err(|_| bad("mobile_invalid"))?
            .expose()
            .to_owned(),
        "number" => CardNumber::parse(text)
            .map_err(|_| bad("card_invalid"))?
            .expose()
            .to_owned(),
        "bankName" => {
            if text.is_empty() || text.chars().count() > MAX_NAME_CHARS {
                return Err(bad("bank_name_length"));
            }
            text.to_owned()
        }
        "idExpiresOn" => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .filter(|d| *d > today)
            .ok_or_else(|| bad("expiry_not_future"))?
            .format("%Y-%m-%d")
            .to_string(),
        "reason" => {
            if text.chars().count() > 200 {
                return Err(bad("reason_length"));
            }
            text.to_owned()
        }
        _ => return Err(bad("not_correctable")),
    })
}

/// A value as the audit trail may hold it: names, identity, mobile and card numbers masked.
fn masked(field: &str, text: &str) -> String {
    match field {
        "name" | "guardianName" => text
            .trim()
            .chars()
            .enumerate()
            .map(|(i, c)| if i == 0 { c } else { '*' })
            .collect(),
        "residentId" => ResidentId::parse(text.trim())
            .map(|id| id.masked())
            .unwrap_or_else(|_| "*".repeat(text.chars().count().min(18))),
        "mobile" => Mobile::parse(text)
            .map(|m| m.masked())
            .unwrap_or_else(|_| "*".repeat(text.chars().count().min(11))),
        "number" => CardNumber::parse(text)
            .map(|c| c.masked())
            .unwrap_or_else(|_| "****".to_owned()),
        _ => text.to_owned(),
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiscardInput {
    #[ts(type = "number")]
    pub id: i64,
    /// Why the operation is given up on; kept in the audit trail.
    pub reason: String,
}

/// The staff member who queued an operation may correct it, or a supervisor.
fn may_correct(actor: &Actor, created_by: Option<i64>) -> bool {
    created_by == Some(actor.staff_id) || actor.role == Role::Supervisor
}

impl Console {
    pub async fn sync_status(&self) -> Result<SyncStatus> {
        self.authorize(Permission::ViewSync).await?;
        outbox::status(self.store().read()).await
    }

    /// The outbox, newest first, each item with what the signed-in staff member may do with
    /// it now: the screen offers exactly those steps.
    pub async fn sync_list(&self, state: Option<OutboxState>) -> Result<Vec<OutboxItem>> {
        let actor = self.authorize(Permission::ViewSync).await?;
        let mut items = outbox::list(self.store().read(), state, LIST_LIMIT).await?;
        for item in &mut items {
            let attention = item.state == OutboxState::Attention;
            item.may_resend = attention
                && actor.role.may(Permission::ResolveSync)
                && may_correct(&actor, item.created_by);
            item.may_discard = attention && actor.role.may(Permission::DiscardSync);
        }
        Ok(items)
    }

    /// Asks the engine to sync now instead of at its next poll.
    pub async fn sync_now(&self) -> Result<SyncStatus> {
        self.authorize(Permission::ViewSync).await?;
        self.engine()?.wake();
        outbox::status(self.store().read()).await
    }

    /// The staff member who queued the operation may correct it, or a supervisor; anyone
    /// else is refused and the refusal audited. Read after `authorize`, never before.
    async fn correctable_item(
        &self,
        actor: &Actor,
        id: i64,
        action: &'static str,
    ) -> Result<outbox::ItemHead> {
        let head = outbox::head(self.store().read(), id).await?;
        if !may_correct(actor, head.created_by) {
            self.refuse_resend(actor, id, action, "not_the_maker")
                .await?;
            return Err(Error::Forbidden);
        }
        if head.state != OutboxState::Attention {
            return Err(Error::Conflict(
                "only an item that needs attention can be corrected and resent".to_owned(),
            ));
        }
        Ok(head)
    }

    async fn refuse_resend(
        &self,
        actor: &Actor,
        id: i64,
        action: &'static str,
        reason: &str,
    ) -> Result<()> {
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username.clone(), action)
                .outcome(AuditOutcome::Refused)
                .subject("outbox", id.to_string())
                .detail(json!({ "outboxId": id, "reason": reason })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends a one-time code to the mobile a refused customer creation is to be corrected
    /// to: a changed mobile is verified again before the resend is queued, as at sign-up.
    pub async fn sync_resend_code(&self, input: ResendCodeInput) -> Result<CodeSentView> {
        let actor = self.authorize(Permission::ResolveSync).await?;
        let head = self
            .correctable_item(&actor, input.id, "sync.resend_code_refused")
            .await?;
        if !correctable(&head.kind).contains(&"mobile") {
            return Err(Error::field("mobile", "not_correctable"));
        }
        let mobile =
            Mobile::parse(&input.mobile).map_err(|_| Error::field("mobile", "mobile_invalid"))?;
        let sent = self
            .engine()?
            .core()
            .send_code(mobile.expose())
            .await
            .map_err(Error::from)?;
        self.resend_codes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(
                input.id,
                ResendChallenge {
                    staff_id: actor.staff_id,
                    mobile: mobile.expose().to_owned(),
                    challenge_id: sent.challenge_id,
                },
            );
        self.audit(
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "sync.resend_code_sent",
            )
            .subject("outbox", input.id.to_string())
            .detail(json!({ "outboxId": input.id, "mobile": mobile.masked() })),
        )
        .await?;
        Ok(CodeSentView {
            masked_mobile: mobile.masked(),
            training_code: sent.training_code.filter(|_| self.training_mode()),
        })
    }

    /// Corrects and resends an operation the core refused. Only the fields the kind allows
    /// change; a changed name or resident ID is screened against the watchlist again and a
    /// changed mobile must have passed a new one-time code, because the first screening and
    /// code were for what was first typed. Old and new values go to the trail, masked.
    pub async fn sync_resend(&self, input: ResendInput) -> Result<SyncStatus> {
        let actor = self.authorize(Permission::ResolveSync).await?;
        let engine = self.engine()?;
        let head = self
            .correctable_item(&actor, input.id, "sync.resend_refused")
            .await?;
        let today = crate::clock::local_date(self.now());
        let allowed = correctable(&head.kind);
        let body = outbox::body(self.store().read(), engine.sealer(), input.id).await?;
        // Field → (old, new), only those that really change.
        let mut changes: Vec<(String, String, String)> = Vec::new();
        for (name, value) in input.corrected.iter().flatten() {
            if !allowed.contains(&name.as_str()) {
                return Err(Error::field(name, "not_correctable"));
            }
            let Some(text) = value.as_str() else {
                return Err(Error::field(name, "text_required"));
            };
            let new = normalise(name, text, today)?;
            let old = body
                .get(name)
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if new != old {
                changes.push((name.clone(), old, new));
            }
        }
        let changed = |field: &str| changes.iter().any(|(name, ..)| name == field);
        let current = |field: &str| {
            changes
                .iter()
                .find(|(name, ..)| name == field)
                .map(|(_, _, new)| new.clone())
                .or_else(|| body.get(field).and_then(|v| v.as_str()).map(str::to_owned))
                .unwrap_or_default()
        };

        let code_verified = if changed("mobile") {
            let challenge = self
                .resend_codes
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(&input.id)
                .filter(|c| c.staff_id == actor.staff_id && c.mobile == current("mobile"))
                .cloned();
            let (Some(challenge), Some(code)) = (
                challenge,
                input
                    .code
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty()),
            ) else {
                return Err(Error::field("code", "code_required"));
            };
            let right = engine
                .core()
                .verify_code(&challenge.challenge_id, code)
                .await
                .map_err(Error::from)?;
            if !right {
                self.refuse_resend(&actor, input.id, "sync.resend_refused", "code_wrong")
                    .await?;
                return Err(Error::field("code", "code_wrong"));
            }
            true
        } else {
            false
        };

        let screened = head.kind == "customer.create" && (changed("name") || changed("residentId"));
        if screened {
            let outcome = engine
                .core()
                .screen(&current("name"), &current("residentId"))
                .await
                .map_err(Error::from)?;
            if let ScreeningOutcome::Hit { .. } = outcome {
                self.refuse_resend(&actor, input.id, "sync.resend_refused", "screening_hit")
                    .await?;
                return Err(Error::Conflict(
                    "screening_hit: the corrected name or ID matches the watchlist; a \
                     supervisor takes it from here"
                        .to_owned(),
                ));
            }
        }

        let corrected: Option<serde_json::Map<String, serde_json::Value>> = (!changes.is_empty())
            .then(|| {
                changes
                    .iter()
                    .map(|(name, _, new)| (name.clone(), json!(new)))
                    .collect()
            });
        let trail: serde_json::Map<String, serde_json::Value> = changes
            .iter()
            .map(|(name, old, new)| {
                (
                    name.clone(),
                    json!({ "from": masked(name, old), "to": masked(name, new) }),
                )
            })
            .collect();
        let mut tx = self.store().begin().await?;
        outbox::resend(&mut tx, engine.sealer(), input.id, corrected, self.now()).await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username, "sync.resent")
                .subject("outbox", input.id.to_string())
                .detail(json!({
                    "outboxId": input.id,
                    "kind": head.kind,
                    "changes": trail,
                    "screened": screened,
                    "codeVerified": code_verified,
                })),
        )
        .await?;
        tx.commit().await?;
        if code_verified {
            self.resend_codes
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .remove(&input.id);
        }
        engine.wake();
        outbox::status(self.store().read()).await
    }

    pub async fn sync_discard(&self, input: DiscardInput) -> Result<SyncStatus> {
        let actor = self.authorize(Permission::DiscardSync).await?;
        let reason = input.reason.trim();
        if reason.chars().count() < 4 {
            return Err(Error::field("reason", "reason_required"));
        }
        let mut tx = self.store().begin().await?;
        outbox::discard(&mut tx, input.id, self.now()).await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username, "sync.discarded")
                .detail(json!({ "outboxId": input.id, "reason": reason })),
        )
        .await?;
        tx.commit().await?;
        outbox::status(self.store().read()).await
    }
}
