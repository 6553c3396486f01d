//! The team dispute queue's commands (`impl Console`), as the `team_*` commands are for
//! complaints: each authorises the signed-in staff member, then calls the team store
//! ([`super::disputes`]) as that member. Without team mode each is refused as `conflict` on
//! `team` (`team_mode_off`). The console's own dispute desk (`dispute_*`) is untouched and keeps
//! its disputes in the console's store: a team works its shared disputes here.

use super::TeamQueueQuery;
use super::console::TeamStatus;
use super::disputes::{DisputeTakeOutcome, PendingTeamCredit, TeamDispute, TeamDisputePage};
use crate::access::Permission;
use crate::clock::local_date;
use crate::console::Console;
use crate::disputes::desk::{
    self, CreditDecisionInput, DisputeDecisionInput, DisputeTextInput, EvidenceInput, EvidenceKind,
    OpenDisputeInput,
};
use crate::error::Result;
use serde::Deserialize;
use ts_rs::TS;

/// A step on a team dispute that carries nothing but the version the screen showed.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamDisputeStepInput {
    #[ts(type = "number")]
    pub dispute_id: i64,
    #[ts(type = "number")]
    pub version: i64,
}

/// Text evidence, at the version the screen showed.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamDisputeEvidenceInput {
    #[ts(type = "number")]
    pub dispute_id: i64,
    #[ts(type = "number")]
    pub version: i64,
    pub kind: EvidenceKind,
    pub description: String,
}

/// The provisional credit proposal's note, at the version the screen showed.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamDisputeTextInput {
    #[ts(type = "number")]
    pub dispute_id: i64,
    #[ts(type = "number")]
    pub version: i64,
    pub text: String,
}

/// The decision, at the version the screen showed.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamDisputeDecisionInput {
    #[ts(type = "number")]
    pub dispute_id: i64,
    #[ts(type = "number")]
    pub version: i64,
    pub for_customer: bool,
    pub findings: String,
    pub user_fault_proven: bool,
}

/// One of a team dispute's core ops, at the dispute version the screen showed.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamDisputeOpInput {
    #[ts(type = "number")]
    pub dispute_id: i64,
    #[ts(type = "number")]
    pub version: i64,
    /// `TeamCoreOp.id`.
    #[ts(type = "number")]
    pub op_id: i64,
}

/// Setting a core op aside, with the supervisor's reason (required).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamDisputeOpDiscardInput {
    #[ts(type = "number")]
    pub dispute_id: i64,
    #[ts(type = "number")]
    pub version: i64,
    #[ts(type = "number")]
    pub op_id: i64,
    pub reason: String,
}

impl Console {
    /// Opens a team dispute on a transaction the core lists for the customer (online, as the
    /// desk does); one dispute per transaction across the team.
    pub async fn team_dispute_open(&self, input: OpenDisputeInput) -> Result<TeamDispute> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let link = self.team_link()?;
        let member = self.team_member(&actor).await?;
        let found = self
            .disputed_transaction(
                &input.customer_id,
                &desk::transaction_ref(&input.transaction_id),
            )
            .await?;
        let now = self.now();
        link.store()
            .open_dispute(&member, &input, &found, link.team(), local_date(now), now)
            .await
    }

    /// Team mode for the dispute screens: `team_status` is guarded by logging complaints,
    /// which a dispute handler does not do, yet their Disputes area must know it works the
    /// team's queue and hear its version move.
    pub async fn team_dispute_status(&self) -> Result<TeamStatus> {
        self.authorize(Permission::WorkDisputes).await?;
        self.current_team_status().await
    }

    pub async fn team_dispute_queue(&self, query: TeamQueueQuery) -> Result<TeamDisputePage> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let member = self.team_member(&actor).await?;
        self.team_link()?
            .store()
            .dispute_queue(&member, &query)
            .await
    }

    pub async fn team_dispute(&self, dispute_id: i64) -> Result<TeamDispute> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let member = self.team_member(&actor).await?;
        self.team_link()?
            .store()
            .dispute_for(&member, dispute_id, local_date(self.now()))
            .await
    }

    /// Takes the team's most urgent free dispute, in the queue's order; `None` when none is free.
    pub async fn team_dispute_take_next(&self) -> Result<Option<TeamDispute>> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let member = self.team_member(&actor).await?;
        let link = self.team_link()?;
        let now = self.now();
        link.store()
            .take_next_dispute(&member, link.team(), local_date(now), now)
            .await
    }

    pub async fn team_dispute_take(&self, dispute_id: i64) -> Result<DisputeTakeOutcome> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let member = self.team_member(&actor).await?;
        let now = self.now();
        self.team_link()?
            .store()
            .take_dispute(&member, dispute_id, local_date(now), now)
            .await
    }

    pub async fn team_dispute_evidence(
        &self,
        input: TeamDisputeEvidenceInput,
    ) -> Result<TeamDispute> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let member = self.team_member(&actor).await?;
        let now = self.now();
        let evidence = EvidenceInput {
            dispute_id: input.dispute_id,
            kind: input.kind,
            description: input.description,
        };
        self.team_link()?
            .store()
            .add_dispute_evidence(&member, &evidence, input.version, local_date(now), now)
            .await
    }

    pub async fn team_dispute_propose_credit(
        &self,
        input: TeamDisputeTextInput,
    ) -> Result<TeamDispute> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let member = self.team_member(&actor).await?;
        let now = self.now();
        let text = DisputeTextInput {
            dispute_id: input.dispute_id,
            text: input.text,
        };
        self.team_link()?
            .store()
            .propose_dispute_credit(&member, &text, input.version, local_date(now), now)
            .await
    }

    pub async fn team_dispute_pending_credits(&self) -> Result<Vec<PendingTeamCredit>> {
        let actor = self.authorize(Permission::ApproveDisputeCredit).await?;
        let member = self.team_member(&actor).await?;
        self.team_link()?
            .store()
            .pending_dispute_credits(&member)
            .await
    }

    pub async fn team_dispute_decide_credit(
        &self,
        input: CreditDecisionInput,
    ) -> Result<TeamDispute> {
        let actor = self.authorize(Permission::ApproveDisputeCredit).await?;
        let member = self.team_member(&actor).await?;
        let now = self.now();
        self.team_link()?
            .store()
            .decide_dispute_credit(&member, &input, local_date(now), now)
            .await
    }

    pub async fn team_dispute_customer_told(
        &self,
        input: TeamDisputeStepInput,
    ) -> Result<TeamDispute> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let member = self.team_member(&actor).await?;
        let now = self.now();
        self.team_link()?
            .store()
            .dispute_customer_told(
                &member,
                input.dispute_id,
                input.version,
                local_date(now),
                now,
            )
            .await
    }

    pub async fn team_dispute_extend(&self, input: TeamDisputeStepInput) -> Result<TeamDispute> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let member = self.team_member(&actor).await?;
        let now = self.now();
        self.team_link()?
            .store()
            .extend_dispute(
                &member,
                input.dispute_id,
                input.version,
                local_date(now),
                now,
            )
            .await
    }

    pub async fn team_dispute_decide(
        &self,
        input: TeamDisputeDecisionInput,
    ) -> Result<TeamDispute> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let member = self.team_member(&actor).await?;
        let now = self.now();
        let decision = DisputeDecisionInput {
            dispute_id: input.dispute_id,
            for_customer: input.for_customer,
            findings: input.findings,
            user_fault_proven: input.user_fault_proven,
        };
        self.team_link()?
            .store()
            .decide_dispute(&member, &decision, input.version, local_date(now), now)
            .await
    }

    pub async fn team_dispute_chargeback(
        &self,
        input: TeamDisputeStepInput,
    ) -> Result<TeamDispute> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let member = self.team_member(&actor).await?;
        let now = self.now();
        self.team_link()?
            .store()
            .dispute_chargeback(
                &member,
                input.dispute_id,
                input.version,
                local_date(now),
                now,
            )
            .await
    }

    /// Sends a core op that needs attention again. A dispute supervisor's call
    /// (`ApproveDisputeCredit`, see `team::dispute_steps::core_op_actions`).
    pub async fn team_dispute_op_resend(&self, input: TeamDisputeOpInput) -> Result<TeamDispute> {
        let actor = self.authorize(Permission::ApproveDisputeCredit).await?;
        let member = self.team_member(&actor).await?;
        let now = self.now();
        self.team_link()?
            .store()
            .resend_dispute_op(
                &member,
                input.dispute_id,
                input.op_id,
                input.version,
                local_date(now),
                now,
            )
            .await
    }

    /// Sets a core op that needs attention aside with a reason, so the dispute's later ops
    /// may go. A dispute supervisor's call, as resending is.
    pub async fn team_dispute_op_discard(
        &self,
        input: TeamDisputeOpDiscardInput,
    ) -> Result<TeamDispute> {
        let actor = self.authorize(Permission::ApproveDisputeCredit).await?;
        let member = self.team_member(&actor).await?;
        let now = self.now();
        self.team_link()?
            .store()
            .discard_dispute_op(
                &member,
                input.dispute_id,
                input.op_id,
                input.version,
                &input.reason,
                local_date(now),
                now,
            )
            .await
    }
}
