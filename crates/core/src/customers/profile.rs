//! The Customer 360 as the local read model knows it: who the customer is, their wallets,
//! cards and consents as the change feed last brought them, recent movements, notes, what
//! this console still has to tell the core about them, and what the trail says.
//!
//! Everything here is readable offline. Limits and today's usage change with every payment,
//! so they come live from the core ([`crate::corelink::LiveWallet`]) and are shown only when
//! it answers.

use crate::audit::AuditEntry;
use crate::crypto::Sealer;
use crate::domain::Money;
use crate::error::{Error, Result};
use crate::onboarding::rules::TierOption;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

/// DOMAIN.md: "An expired ID not renewed within 90 days lowers the wallet's limits." The
/// figures are a default a bank may change, like every rule there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdCardPolicy {
    /// Days after the last valid day before the limits are lowered.
    pub grace_days: i64,
    /// How long before expiry the 360 starts reminding staff to ask for the new card.
    pub warn_days: i64,
}

impl Default for IdCardPolicy {
    fn default() -> Self {
        IdCardPolicy {
            grace_days: 90,
            warn_days: 30,
        }
    }
}

/// Where the customer's ID card stands today, and what it means for their limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "state",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum IdCardStatus {
    /// The core has no expiry date: a long-term card, or not recorded.
    NoExpiry,
    Valid {
        expires_on: String,
    },
    ExpiresSoon {
        expires_on: String,
        #[ts(type = "number")]
        days_left: i64,
    },
    /// Expired; tiers 1 to 3 are closed to new upgrades, limits still the tier's until
    /// `lowers_on`.
    ExpiredInGrace {
        expires_on: String,
        lowers_on: String,
    },
    /// Expired for longer than the grace: the core applies tier 4's limits since `lowered_on`.
    ExpiredLowered {
        expires_on: String,
        lowered_on: String,
    },
}

impl IdCardStatus {
    pub fn on(expires_on: Option<NaiveDate>, today: NaiveDate, policy: IdCardPolicy) -> Self {
        let Some(expires) = expires_on else {
            return IdCardStatus::NoExpiry;
        };
        let text = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let lowers = expires + chrono::Duration::days(policy.grace_days);
        if today <= expires {
            let days_left = (expires - today).num_days();
            if days_left <= policy.warn_days {
                IdCardStatus::ExpiresSoon {
                    expires_on: text(expires),
                    days_left,
                }
            } else {
                IdCardStatus::Valid {
                    expires_on: text(expires),
                }
            }
        } else if today <= lowers {
            IdCardStatus::ExpiredInGrace {
                expires_on: text(expires),
                lowers_on: text(lowers + chrono::Duration::days(1)),
            }
        } else {
            IdCardStatus::ExpiredLowered {
                expires_on: text(expires),
                lowered_on: text(lowers + chrono::Duration::days(1)),
            }
        }
    }

    pub fn expired(&self) -> bool {
        matches!(
            self,
            IdCardStatus::ExpiredInGrace { .. } | IdCardStatus::ExpiredLowered { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WalletSummary {
    pub id: String,
    pub tier: u8,
    pub balance: Money,
    /// "active", "frozen" or "closed".
    pub status: String,
    pub payments_frozen: bool,
    pub opened_at: String,
    pub operator_bank: Option<String>,
    /// Every tier with what it would still need at the counter today (the teller checking
    /// the ID in person is assumed, since that is what the upgrade dialog asks for).
    pub tier_options: Vec<TierOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardSummary {
    pub id: String,
    pub wallet_id: String,
    pub masked_number: String,
    pub bank_name: Option<String>,
    /// "linked" or "unlinked".
    pub status: String,
    pub linked_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentSummary {
    pub id: String,
    /// "general-processing", "sensitive-financial" or "third-party-sharing".
    pub scope: String,
    pub version: String,
    pub third_party: Option<String>,
    pub guardian_name: Option<String>,
    /// "granted", "withdrawn" or "superseded".
    pub status: String,
    pub granted_at: String,
    pub ended_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionSummary {
    pub id: String,
    pub wallet_id: String,
    pub at: String,
    pub amount: Money,
    /// "in" or "out".
    pub direction: String,
    pub counterparty: String,
    pub memo: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerNote {
    #[ts(type = "number")]
    pub id: i64,
    pub author: String,
    pub text: String,
    pub created_at: String,
}

/// Something this console queued for the core about the customer and the core has not
/// confirmed yet (or refused: then staff correct it on the Sync screen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PendingChange {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: String,
    pub summary: String,
    /// "pending" or "attention".
    pub state: String,
    pub attention_reason: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerProfile {
    pub id: String,
    pub name: String,
    /// First 6 and last 4 only; the whole number is revealed on request, with a reason.
    pub masked_resident_id: String,
    pub masked_mobile: String,
    /// Completed years today. Never the birth date: beside the masked ID (whose hidden 8
    /// characters are that date) it would give the whole number away. `None` until the feed
    /// has brought the customer's sealed date.
    #[ts(type = "number | null")]
    pub age: Option<u32>,
    /// "male" or "female".
    pub sex: String,
    pub customer_since: String,
    pub id_card: IdCardStatus,
    pub wallets: Vec<WalletSummary>,
    pub cards: Vec<CardSummary>,
    pub consents: Vec<ConsentSummary>,
    /// The newest movements the feed brought, newest first (the core's live list replaces
    /// them when it answers).
    pub transactions: Vec<TransactionSummary>,
    pub notes: Vec<CustomerNote>,
    pub pending: Vec<PendingChange>,
    pub history: Vec<AuditEntry>,
    /// Whether the signed-in role may ask for the whole resident ID.
    pub can_reveal: bool,
    /// Whether the signed-in role does counter work (tier, card, renewed ID).
    pub can_serve: bool,
    pub can_withdraw_consent: bool,
    pub can_note: bool,
    /// When the read model last heard from the core.
    pub synced_at: Option<String>,
    /// The campaign, booth, staff member and channel that won the customer, as the core says.
    pub attribution: Option<crate::booth::Attribution>,
    /// Elder mode (长辈版) is offered: the customer's age is at the elder rules' threshold and
    /// this staff member runs assisted setups.
    pub elder_offered: bool,
    /// Follow-up calls after an assisted setup, with their outcomes.
    pub elder_calls: Vec<crate::elder::FollowUpCall>,
    /// Whether the signed-in role may correct the attribution (a supervisor).
    pub can_change_attribution: bool,
}

/// The live part of the 360: limits and usage per wallet, and the latest movements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerLive {
    pub wallets: Vec<crate::corelink::LiveWallet>,
    pub transactions: Vec<crate::corelink::LiveTransaction>,
}

#[derive(Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevealedId {
    pub resident_id: String,
}

impl std::fmt::Debug for RevealedId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RevealedId(<redacted>)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevealInput {
    pub customer_id: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteInput {
    pub customer_id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TierChangeInput {
    pub customer_id: String,
    pub wallet_id: String,
    pub tier: u8,
    /// The teller holds the customer's ID card and has checked it against the customer.
    pub id_checked_in_person: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardLinkInput {
    pub customer_id: String,
    pub wallet_id: String,
    /// The whole card number, as typed; only the core ever receives it.
    pub number: String,
    pub bank_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IdRenewalInput {
    pub customer_id: String,
    /// The new card's last valid day, `YYYY-MM-DD`; `None` for a long-term card.
    pub expires_on: Option<String>,
    /// The teller has the new card in hand.
    pub id_checked_in_person: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentWithdrawalInput {
    pub customer_id: String,
    pub consent_id: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WalletReceiptInput {
    pub customer_id: String,
    pub wallet_id: String,
}

/// What a counter action queued for the core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueuedChange {
    #[ts(type = "number")]
    pub outbox_id: i64,
    pub summary: String,
}

/// The customer row of the read model.
#[derive(Debug, Clone)]
pub(crate) struct CustomerRow {
    pub id: String,
    pub external_id: Option<String>,
    pub name: String,
    pub masked_resident_id: String,
    pub mobile: String,
    /// Opened from its sealed column for the age rules; never leaves core.
    pub birth_date: Option<NaiveDate>,
    pub sex: String,
    pub created_at: String,
    pub id_expires_on: Option<NaiveDate>,
}

impl CustomerRow {
    /// Operations about one customer go to the core in order: the console's own id when it
    /// created the customer (so they queue behind the creation), else the core's.
    pub fn aggregate(&self) -> String {
        format!(
            "customer:{}",
            self.external_id.as_deref().unwrap_or(self.id.as_str())
        )
    }

    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        self.birth_date
            .map(|born| today.years_since(born).unwrap_or(0))
    }
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The customer `id` of the read model; `sealer` opens the birth date for the age rules.
pub(crate) async fn customer(
    conn: &mut SqliteConnection,
    sealer: &Sealer,
    id: &str,
) -> Result<CustomerRow> {
    let row = sqlx::query(
        "SELECT id, external_id, name, masked_resident_id, mobile, birth_date_sealed, sex, \
         created_at, id_expires_on FROM core_customers WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::NotFound(format!("customer {id}")))?;
    let sealed: Option<Vec<u8>> = row.try_get("birth_date_sealed")?;
    Ok(CustomerRow {
        id: row.try_get("id")?,
        external_id: row.try_get("external_id")?,
        name: row.try_get("name")?,
        masked_resident_id: row.try_get("masked_resident_id")?,
        mobile: row.try_get("mobile")?,
        birth_date: crate::sync::readmodel::open_birth_date(sealer, id, sealed.as_deref()),
        sex: row.try_get("sex")?,
        created_at: row.try_get("created_at")?,
        id_expires_on: row
            .try_get::<Option<String>, _>("id_expires_on")?
            .as_deref()
            .and_then(date),
    })
}

/// The feed's JSON records of one kind for a customer.
pub(crate) async fn records(
    conn: &mut SqliteConnection,
    customer_id: &str,
    kind: &str,
) -> Result<Vec<serde_json::Value>> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT data FROM core_records WHERE customer_id = ? AND kind = ?")
            .bind(customer_id)
            .bind(kind)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|text| Ok(serde_json::from_str(text).map_err(anyhow::Error::from)?))
        .collect()
}

fn text(value: &serde_json::Value, name: &str) -> String {
    value
        .get(name)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

fn optional(value: &serde_json::Value, name: &str) -> Option<String> {
    value.get(name).and_then(|v| v.as_str()).map(str::to_owned)
}

fn money(value: &serde_json::Value, name: &str) -> Result<Money> {
    let raw = text(value, name);
    Money::parse(&raw).map_err(|err| {
        Error::Internal(anyhow::anyhow!(
            "{name} {raw:?} in the read model is not money: {err}"
        ))
    })
}

pub(crate) fn wallet_from(value: &serde_json::Value) -> Result<WalletSummary> {
    Ok(WalletSummary {
        id: text(value, "id"),
        tier: value
            .get("tier")
            .and_then(serde_json::Value::as_u64)
            .and_then(|t| u8::try_from(t).ok())
            .unwrap_or(4),
        balance: money(value, "balance")?,
        status: text(value, "status"),
        payments_frozen: value
            .get("paymentsFrozen")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        opened_at: text(value, "openedAt"),
        operator_bank: optional(value, "operatorBank"),
        tier_options: Vec::new(),
    })
}

pub(crate) fn card_from(value: &serde_json::Value) -> CardSummary {
    CardSummary {
        id: text(value, "id"),
        wallet_id: text(value, "walletId"),
        masked_number: text(value, "maskedNumber"),
        bank_name: optional(value, "bankName"),
        status: text(value, "status"),
        linked_at: text(value, "linkedAt"),
    }
}

pub(crate) fn consent_from(value: &serde_json::Value) -> ConsentSummary {
    ConsentSummary {
        id: text(value, "id"),
        scope: text(value, "scope"),
        version: text(value, "version"),
        third_party: optional(value, "thirdParty"),
        guardian_name: optional(value, "guardianName"),
        status: text(value, "status"),
        granted_at: text(value, "grantedAt"),
        ended_at: optional(value, "endedAt"),
    }
}

pub(crate) fn transaction_from(value: &serde_json::Value) -> Result<TransactionSummary> {
    Ok(TransactionSummary {
        id: text(value, "id"),
        wallet_id: text(value, "walletId"),
        at: text(value, "at"),
        amount: money(value, "amount")?,
        direction: text(value, "direction"),
        counterparty: text(value, "counterparty"),
        memo: text(value, "memo"),
    })
}

pub(crate) async fn notes(
    conn: &mut SqliteConnection,
    customer_id: &str,
) -> Result<Vec<CustomerNote>> {
    let rows = sqlx::query(
        "SELECT n.id, s.display_name AS author, n.text, n.created_at FROM customer_notes n \
         JOIN staff s ON s.id = n.staff_id WHERE n.customer_id = ? ORDER BY n.id DESC",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(CustomerNote {
                id: row.try_get("id")?,
                author: row.try_get("author")?,
                text: row.try_get("text")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// Unfinished outbox rows for the customer's aggregate, oldest first.
pub(crate) async fn pending(
    conn: &mut SqliteConnection,
    aggregate: &str,
) -> Result<Vec<PendingChange>> {
    let rows = sqlx::query(
        "SELECT id, kind, summary, state, attention_reason, created_at FROM outbox \
         WHERE aggregate = ? AND state IN ('pending', 'attention') ORDER BY id",
    )
    .bind(aggregate)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(PendingChange {
                id: row.try_get("id")?,
                kind: row.try_get("kind")?,
                summary: row.try_get("summary")?,
                state: row.try_get("state")?,
                attention_reason: row.try_get("attention_reason")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// Whether an unfinished outbox row of `kind` addresses `subject` for this customer: a card
/// link queued a minute ago counts for the upgrade that follows it in the same queue.
pub(crate) async fn queued(
    conn: &mut SqliteConnection,
    aggregate: &str,
    kind: &str,
    subject: &str,
) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM outbox WHERE aggregate = ? AND kind = ? AND subject = ? \
         AND state IN ('pending', 'attention') LIMIT 1",
    )
    .bind(aggregate)
    .bind(kind)
    .bind(subject)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// What the counter can show for a tier change of `wallet_id` today: the read model, plus
/// what this console has already queued in the customer's order, which reaches the core first
/// (a card link for this wallet, a renewed ID card; `customer.update` is only queued for a
/// renewal). The 360's tier options and the tier change itself both decide from this.
pub(crate) async fn tier_evidence(
    conn: &mut SqliteConnection,
    customer: &CustomerRow,
    wallet_id: &str,
    today: NaiveDate,
    id_checked_in_person: bool,
) -> Result<crate::onboarding::rules::Evidence> {
    let aggregate = customer.aggregate();
    let card_linked = records(conn, &customer.id, "card")
        .await?
        .iter()
        .map(card_from)
        .any(|c| c.wallet_id == wallet_id && c.status == "linked");
    let own_bank_card = card_linked || queued(conn, &aggregate, "card.link", wallet_id).await?;
    let id_expired = IdCardStatus::on(customer.id_expires_on, today, IdCardPolicy::default())
        .expired()
        && !queued(conn, &aggregate, "customer.update", &customer.id).await?;
    let age = customer.age_on(today);
    Ok(crate::onboarding::rules::Evidence {
        mobile_verified: true,
        // Until the feed has brought the sealed birth date the age rules cannot run, so the
        // ID counts as not yet proven: tiers 1 to 3 wait rather than skip the age check.
        resident_id: age.is_some(),
        id_checked_in_person,
        own_bank_card,
        age,
        id_expired,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        date(text).expect("date")
    }

    #[test]
    fn the_id_card_status_follows_domain_md() {
        let policy = IdCardPolicy::default();
        let today = day("2026-11-24");
        assert_eq!(
            IdCardStatus::on(None, today, policy),
            IdCardStatus::NoExpiry
        );
        assert_eq!(
            IdCardStatus::on(Some(day("2030-01-01")), today, policy),
            IdCardStatus::Valid {
                expires_on: "2030-01-01".into()
            }
        );
        assert_eq!(
            IdCardStatus::on(Some(day("2026-12-24")), today, policy),
            IdCardStatus::ExpiresSoon {
                expires_on: "2026-12-24".into(),
                days_left: 30
            }
        );
        // The last valid day is still valid.
        assert!(!IdCardStatus::on(Some(today), today, policy).expired());
        // Expired yesterday: in the grace, lowered on the 91st day after expiry.
        assert_eq!(
            IdCardStatus::on(Some(day("2026-11-23")), today, policy),
            IdCardStatus::ExpiredInGrace {
                expires_on: "2026-11-23".into(),
                lowers_on: "2027-02-22".into()
            }
        );
        // 90 days after expiry: still the grace; the 91st: lowered.
        assert!(matches!(
            IdCardStatus::on(Some(day("2026-08-26")), today, policy),
            IdCardStatus::ExpiredInGrace { .. }
        ));
        assert_eq!(
            IdCardStatus::on(Some(day("2026-08-25")), today, policy),
            IdCardStatus::ExpiredLowered {
                expires_on: "2026-08-25".into(),
                lowered_on: "2026-11-24".into()
            }
        );
    }
}
