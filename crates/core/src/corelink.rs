//! The seam between Walletdesk and a bank's core system.
//!
//! Core code talks to the core bank only through [`CoreLink`], so a bank can plug in its own
//! adapter; `walletdesk-corebank` provides the HTTP implementation of the v1 contract.

use async_trait::async_trait;
use serde::Serialize;
use ts_rs::TS;

/// Who answered on the other end: shown in the status bar so staff know which system they use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CoreIdentity {
    /// Human name of the system, e.g. "Walletdesk Sandbox Core Bank".
    pub name: String,
    /// Contract version it speaks, e.g. "v1".
    pub version: String,
    /// Instance label, e.g. "sandbox-seed-42"; lets staff tell two sandboxes apart.
    pub instance: String,
    /// True when the other end is a sandbox (training mode), never a real core.
    pub training: bool,
}

/// Why the core could not be used. `Unreachable` is retryable; `Refused` is final.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("core bank unreachable: {0}")]
    Unreachable(String),
    #[error("core bank refused the request: {0}")]
    Refused(String),
    /// The core does not accept this console's token (401): nothing gets through until an
    /// administrator provisions a valid one. Not retried per operation.
    #[error("{0}")]
    Unauthorized(String),
}

#[async_trait]
pub trait CoreLink: Send + Sync + std::fmt::Debug {
    /// Base address, for display (never carries credentials).
    fn url(&self) -> String;
    /// Ask the core who it is; used as the connectivity probe. Must time out quickly (a few
    /// seconds at most) because the status bar polls it.
    async fn identity(&self) -> Result<CoreIdentity, LinkError>;
}

/// One write for the core, as the outbox holds it. The adapter maps `kind` (and `subject`,
/// the entity it addresses) to its own request; `key` is its idempotency key.
#[derive(Debug, Clone, PartialEq)]
pub struct CoreWrite {
    pub key: String,
    pub kind: String,
    pub subject: Option<String>,
    pub body: serde_json::Value,
}

/// What became of one [`CoreWrite`].
#[derive(Debug, Clone, PartialEq)]
pub enum WriteOutcome {
    /// Applied now or earlier (`replayed`): the core's answer, e.g. the ids it assigned.
    Applied {
        replayed: bool,
        result: serde_json::Value,
    },
    /// Refused for good (a 4xx): sending it again unchanged would be refused again. `reason`
    /// is the core's words, for staff to act on; `code` the core's stable name for the refusal
    /// (the v1 problem type's slug, e.g. `dispute-decided`), when it gave one.
    Refused {
        status: u16,
        code: Option<String>,
        reason: String,
    },
    /// Not applied now, may be later (a 5xx, an in-flight key, a write kind the adapter
    /// cannot send yet).
    Retry { reason: String },
    /// The core said "done" (2xx) with an answer that does not parse as one. Not taken as
    /// applied: the ids it assigned are unknown. Sent again under the same key (a core that
    /// applied it replays its answer); after the engine's limit it needs attention.
    Unreadable { reason: String },
}

/// One entry of the core's change feed: an entity as it is now. `data` is the core's JSON
/// for `kind` (null when the entity is gone).
#[derive(Debug, Clone, PartialEq)]
pub struct CoreChange {
    pub cursor: String,
    pub kind: String,
    pub id: String,
    pub data: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CoreChangePage {
    pub changes: Vec<CoreChange>,
    pub next_cursor: String,
    pub more: bool,
}

/// The head of a console's audit trail: its newest record's id (the sequence) and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    pub sequence: i64,
    pub hash: String,
}

/// The sync engine's side of the core: writes in batches and the change feed. Separate from
/// [`CoreLink`] so a read-only adapter (or a test double of the status bar) need not
/// implement it; the defaults report the core as unreachable.
#[async_trait]
pub trait CoreSync: CoreChecks + Send + Sync + std::fmt::Debug {
    /// Sends `writes` in order (the core applies them one after another) and answers one
    /// outcome per write, in order. `Err` means none of them got an answer (the network, a
    /// down core); any of them may still have been applied, which the keys make harmless.
    async fn submit(&self, writes: &[CoreWrite]) -> Result<Vec<WriteOutcome>, LinkError> {
        let _ = writes;
        Err(LinkError::Unreachable(
            "this core adapter cannot sync".into(),
        ))
    }

    /// The changes after `after` (None: from the beginning), at most `limit`.
    async fn changes(&self, after: Option<&str>, limit: u32) -> Result<CoreChangePage, LinkError> {
        let _ = (after, limit);
        Err(LinkError::Unreachable(
            "this core adapter cannot sync".into(),
        ))
    }

    /// Stores `head` as this console's anchored audit head and answers the head the core now
    /// holds. `previous` is the head the core held (as this trail has that record now); the
    /// core refuses (`Refused`) a head that does not extend the one it holds: a lower
    /// sequence, the same with another hash, or a `previous` that is not its head.
    async fn anchor_audit(
        &self,
        head: &AuditHead,
        previous: Option<&AuditHead>,
    ) -> Result<AuditHead, LinkError> {
        let _ = (head, previous);
        Err(LinkError::Unreachable(
            "this core adapter cannot anchor the audit trail".into(),
        ))
    }

    /// Every version of every operator bank's wallet limit scheme (the tier limits as data).
    async fn limit_schemes(&self) -> Result<Vec<crate::limits::LimitScheme>, LinkError> {
        Err(LinkError::Unreachable(
            "this core adapter cannot read limit schemes".into(),
        ))
    }

    /// The audit head the core holds for this console; `None` before the first anchor.
    async fn audit_anchor(&self) -> Result<Option<AuditHead>, LinkError> {
        Err(LinkError::Unreachable(
            "this core adapter cannot anchor the audit trail".into(),
        ))
    }
}

/// A one-time code sent to a mobile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSent {
    pub challenge_id: String,
    pub masked_mobile: String,
    /// Only a sandbox says the code (training goes on without a phone).
    pub training_code: Option<String>,
}

/// A watchlist screening's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScreeningOutcome {
    Clear,
    Hit { reason: String },
}

/// A wallet as the core sees it right now: the limits in force (lowered when the ID card
/// expired more than 90 days ago) and what has been used of them. Amounts are `Money`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LiveWallet {
    pub id: String,
    pub tier: u8,
    pub balance: crate::domain::Money,
    /// "active", "frozen" or "closed".
    pub status: String,
    pub payments_frozen: bool,
    pub operator_bank: String,
    /// The tier whose limits apply: the wallet's own, or a lower one.
    pub applied_tier: u8,
    /// `None` = no limit.
    pub balance_cap: Option<crate::domain::Money>,
    pub one_payment: Option<crate::domain::Money>,
    pub per_day: Option<crate::domain::Money>,
    pub per_year: Option<crate::domain::Money>,
    /// Why the limits are below the tier's, e.g. "resident-id-expired".
    pub lowered_because: Option<String>,
    pub used_today: crate::domain::Money,
    pub used_this_year: crate::domain::Money,
}

/// One movement on a wallet, as the core lists it (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LiveTransaction {
    pub id: String,
    pub wallet_id: String,
    pub at: String,
    /// Always positive; `direction` ("in" or "out") gives the sign.
    pub amount: crate::domain::Money,
    pub direction: String,
    pub counterparty: String,
    pub memo: String,
}

/// A practice payment the core made (issue 13): play money in the holder's practice wallet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticePaid {
    /// The core's id of the payment: what its reversal names.
    pub id: String,
    pub amount: crate::domain::Money,
    pub practice_balance: crate::domain::Money,
}

/// The core's answer to a practice payment. A wrong password and a freeze are answers, not
/// errors: the customer must see them at once, with the core's count of tries left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PracticeAnswer {
    Paid(PracticePaid),
    /// Wrong password; `tries_remaining` more wrong ones freeze the practice wallet (0: this
    /// one froze it).
    WrongPassword {
        tries_remaining: u32,
    },
    /// Payments of the practice wallet are frozen (5 wrong passwords in a row).
    Frozen,
}

/// A practice payment's request. `password` is the customer's, passed through and never
/// kept: its `Debug` hides it.
pub struct PracticePayment<'a> {
    pub key: &'a str,
    pub holder: &'a str,
    pub payee: &'a str,
    pub amount: crate::domain::Money,
    pub password: &'a str,
}

impl std::fmt::Debug for PracticePayment<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PracticePayment")
            .field("key", &self.key)
            .field("holder", &self.holder)
            .field("amount", &self.amount)
            .field("password", &"<hidden>")
            .finish_non_exhaustive()
    }
}

/// Checks the counter asks the core for while the customer waits. Online only: they answer
/// now or fail, and are never queued. The defaults report the core as unreachable.
#[async_trait]
pub trait CoreChecks: Send + Sync + std::fmt::Debug {
    /// A promotion metric from the core's daily rollups (docs/metrics.md), online only.
    async fn report(
        &self,
        query: &crate::insights::CoreReportQuery,
    ) -> Result<crate::insights::CoreReport, LinkError> {
        let _ = query;
        Err(LinkError::Unreachable(
            "this core adapter cannot report".into(),
        ))
    }

    async fn send_code(&self, mobile: &str) -> Result<CodeSent, LinkError> {
        let _ = mobile;
        Err(LinkError::Unreachable(
            "this core adapter cannot send codes".into(),
        ))
    }

    /// `Ok(false)` for a wrong code (the attempt counts at the core); `Refused` when the code
    /// expired or its attempts are used up (send a new one).
    async fn verify_code(&self, challenge_id: &str, code: &str) -> Result<bool, LinkError> {
        let _ = (challenge_id, code);
        Err(LinkError::Unreachable(
            "this core adapter cannot verify codes".into(),
        ))
    }

    async fn screen(&self, name: &str, resident_id: &str) -> Result<ScreeningOutcome, LinkError> {
        let _ = (name, resident_id);
        Err(LinkError::Unreachable(
            "this core adapter cannot screen".into(),
        ))
    }

    /// The wallet with its limits and usage now (Customer 360).
    async fn wallet(&self, id: &str) -> Result<LiveWallet, LinkError> {
        let _ = id;
        Err(LinkError::Unreachable(
            "this core adapter cannot read wallets".into(),
        ))
    }

    /// The newest `limit` movements of a wallet, newest first.
    async fn recent_transactions(
        &self,
        wallet: &str,
        limit: u32,
    ) -> Result<Vec<LiveTransaction>, LinkError> {
        let _ = (wallet, limit);
        Err(LinkError::Unreachable(
            "this core adapter cannot read transactions".into(),
        ))
    }

    /// The bank's self sign-up link for a booth's QR code, signed by the core so that it
    /// cannot be forged or re-pointed at another staff member (issue 14).
    async fn sign_up_link(
        &self,
        campaign: &str,
        booth: &str,
        staff: &str,
    ) -> Result<String, LinkError> {
        let _ = (campaign, booth, staff);
        Err(LinkError::Unreachable(
            "this core adapter cannot sign sign-up links".into(),
        ))
    }

    /// A practice payment (issue 13 item 5), online: the customer waits for the answer.
    async fn practice_pay(
        &self,
        payment: &PracticePayment<'_>,
    ) -> Result<PracticeAnswer, LinkError> {
        let _ = payment;
        Err(LinkError::Unreachable(
            "this core adapter cannot make practice payments".into(),
        ))
    }

    /// The customer's whole resident ID. The core records `staff` and `reason`; the caller
    /// audits the reveal and must never log or store the answer.
    async fn reveal_resident_id(
        &self,
        customer: &str,
        staff: &str,
        reason: &str,
    ) -> Result<String, LinkError> {
        let _ = (customer, staff, reason);
        Err(LinkError::Unreachable(
            "this core adapter cannot reveal identity numbers".into(),
        ))
    }
}
