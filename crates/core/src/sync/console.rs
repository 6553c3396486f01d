//! The Sync screen's commands: what is queued, what needs attention, and acting on it.

use super::outbox::{self, OutboxItem, OutboxState, SyncStatus};
use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::Console;
use crate::error::{Error, Result};
use serde::Deserialize;
use serde_json::json;
use ts_rs::TS;

/// Most rows the Sync screen lists at once (newest first).
const LIST_LIMIT: u32 = 500;

/// A correction staff make to an item the core refused: the top-level body fields they
/// changed (e.g. a mistyped mobile), then resent under a new key.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResendInput {
    #[ts(type = "number")]
    pub id: i64,
    /// Field name to new value; only fields the body already has may be changed.
    #[ts(type = "Record<string, string> | null")]
    pub corrected: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiscardInput {
    #[ts(type = "number")]
    pub id: i64,
    /// Why the operation is given up on; kept in the audit trail.
    pub reason: String,
}

impl Console {
    pub async fn sync_status(&self) -> Result<SyncStatus> {
        self.authorize(Permission::ViewSync).await?;
        outbox::status(self.store().read()).await
    }

    pub async fn sync_list(&self, state: Option<OutboxState>) -> Result<Vec<OutboxItem>> {
        self.authorize(Permission::ViewSync).await?;
        outbox::list(self.store().read(), state, LIST_LIMIT).await
    }

    /// Asks the engine to sync now instead of at its next poll.
    pub async fn sync_now(&self) -> Result<SyncStatus> {
        self.authorize(Permission::ViewSync).await?;
        self.engine()?.wake();
        outbox::status(self.store().read()).await
    }

    pub async fn sync_resend(&self, input: ResendInput) -> Result<SyncStatus> {
        let actor = self.authorize(Permission::ResolveSync).await?;
        let engine = self.engine()?;
        let changed: Vec<String> = input
            .corrected
            .as_ref()
            .map(|fields| fields.keys().cloned().collect())
            .unwrap_or_default();
        if let Some(fields) = &input.corrected {
            let body = outbox::body(self.store().read(), engine.sealer(), input.id).await?;
            for (name, value) in fields {
                if body.get(name).is_none() {
                    return Err(Error::InvalidInput(format!(
                        "{name}: not a field of this item"
                    )));
                }
                if !value.is_string() {
                    return Err(Error::InvalidInput(format!("{name}: must be text")));
                }
            }
        }
        let mut tx = self.store().begin().await?;
        outbox::resend(
            &mut tx,
            engine.sealer(),
            input.id,
            input.corrected,
            self.now(),
        )
        .await?;
        // Field names only: the values may be identity numbers.
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username, "sync.resent")
                .detail(json!({ "outboxId": input.id, "corrected": changed })),
        )
        .await?;
        tx.commit().await?;
        engine.wake();
        outbox::status(self.store().read()).await
    }

    pub async fn sync_discard(&self, input: DiscardInput) -> Result<SyncStatus> {
        let actor = self.authorize(Permission::DiscardSync).await?;
        let reason = input.reason.trim();
        if reason.chars().count() < 4 {
            return Err(Error::InvalidInput(
                "reason: say why the operation is given up (at least 4 characters)".to_owned(),
            ));
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
