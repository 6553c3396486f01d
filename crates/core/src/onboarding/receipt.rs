//! The customer's receipt for a wallet opened at the counter: a zh-CN PDF, printable once the
//! core has confirmed the wallet (its number comes from the core, through the pull).

use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::complaints::stats::BinaryFile;
use crate::console::Console;
use crate::documents::{self, ReceiptInput, WalletLimits, WalletTier};
use crate::error::{Error, Result};
use serde_json::json;
use sqlx::Row;

const BANK_NAME: &str = "演示银行股份有限公司";

fn wallet_tier(tier: u8) -> WalletTier {
    match tier {
        1 => WalletTier::Tier1,
        2 => WalletTier::Tier2,
        3 => WalletTier::Tier3,
        _ => WalletTier::Tier4,
    }
}

impl Console {
    /// The receipt of a submitted onboarding. Refused (conflict) until the core has confirmed
    /// the customer and wallet; printing is audited.
    pub async fn onboarding_receipt(&self, draft_id: i64) -> Result<BinaryFile> {
        let actor = self.authorize(Permission::Onboard).await?;
        let external: Option<String> = sqlx::query_scalar(
            "SELECT external_id FROM onboarding_drafts WHERE id = ? AND submitted_at IS NOT NULL",
        )
        .bind(draft_id)
        .fetch_optional(self.store().read())
        .await?
        .flatten();
        let external =
            external.ok_or_else(|| Error::NotFound(format!("submitted draft {draft_id}")))?;
        let uuid = external.trim_start_matches("ext:");
        let not_yet = || {
            Error::Conflict(
                "the core has not confirmed this wallet yet: sync, then print".to_owned(),
            )
        };
        let customer = sqlx::query(
            "SELECT id, name, masked_resident_id FROM core_customers WHERE external_id = ?",
        )
        .bind(uuid)
        .fetch_optional(self.store().read())
        .await?
        .ok_or_else(not_yet)?;
        let customer_id: String = customer.try_get("id")?;
        let wallet = sqlx::query(
            "SELECT id, data FROM core_records WHERE kind = 'wallet' AND customer_id = ? \
             ORDER BY cursor DESC LIMIT 1",
        )
        .bind(&customer_id)
        .fetch_optional(self.store().read())
        .await?
        .ok_or_else(not_yet)?;
        let data: String = wallet.try_get("data")?;
        let data: serde_json::Value = serde_json::from_str(&data).map_err(anyhow::Error::from)?;
        let tier = data
            .get("tier")
            .and_then(serde_json::Value::as_u64)
            .and_then(|t| u8::try_from(t).ok())
            .unwrap_or(4);
        let wallet_id: String = wallet.try_get("id")?;
        let bytes = self
            .render_receipt(ReceiptFacts {
                wallet_id: wallet_id.clone(),
                customer_name: customer.try_get("name")?,
                masked_resident_id: customer.try_get("masked_resident_id")?,
                tier,
                previous_tier: None,
                limits: self.scheme_limits(tier, None).await?,
                teller: actor.username.clone(),
            })
            .await?;
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "onboarding.receipt_printed",
            )
            .detail(json!({ "draftId": draft_id, "walletId": wallet_id })),
        )
        .await?;
        tx.commit().await?;
        Ok(BinaryFile {
            file_name: format!("钱包回执-{wallet_id}.pdf"),
            content_type: "application/pdf".to_owned(),
            bytes,
        })
    }
}

impl Console {
    /// A receipt for one of a customer's wallets, printed from the Customer 360 (after an
    /// upgrade, or when the customer asks again). The limits are the ones the core applies
    /// now when it answers (lowered ones included); offline, the tier's in the core's scheme
    /// as this console last copied it.
    /// After an upgrade the core has confirmed, the receipt names the tier it came from.
    pub async fn wallet_receipt(
        &self,
        input: crate::customers::profile::WalletReceiptInput,
    ) -> Result<BinaryFile> {
        let actor = self.authorize(Permission::ServeCustomer).await?;
        let mut conn = self.store().read().acquire().await?;
        let customer = crate::customers::profile::customer(
            &mut conn,
            self.engine()?.sealer(),
            &input.customer_id,
        )
        .await?;
        let wallet = crate::customers::profile::records(&mut conn, &customer.id, "wallet")
            .await?
            .iter()
            .map(crate::customers::profile::wallet_from)
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .find(|w| w.id == input.wallet_id)
            .ok_or_else(|| Error::NotFound(format!("wallet {}", input.wallet_id)))?;
        let last_change: Option<String> = sqlx::query_scalar(
            "SELECT detail FROM audit_log WHERE action = 'wallet.tier_change_queued' \
             AND subject_id = ? ORDER BY id DESC LIMIT 1",
        )
        .bind(&wallet.id)
        .fetch_optional(&mut *conn)
        .await?;
        drop(conn);
        let previous_tier = last_change
            .and_then(|d| serde_json::from_str::<serde_json::Value>(&d).ok())
            .filter(|d| {
                d.get("to").and_then(serde_json::Value::as_u64) == Some(u64::from(wallet.tier))
            })
            .and_then(|d| d.get("from").and_then(serde_json::Value::as_u64))
            .and_then(|t| u8::try_from(t).ok());
        let limits = match self.engine()?.core().wallet(&wallet.id).await {
            Ok(live) => WalletLimits {
                balance_cap: live.balance_cap,
                per_payment: live.one_payment,
                per_day: live.per_day,
                per_year: live.per_year,
            },
            // A receipt must not wait for the network; the tier's limits in the core's scheme
            // are what the customer was told at the counter.
            Err(_) => self.scheme_limits(wallet.tier, None).await?,
        };
        let bytes = self
            .render_receipt(ReceiptFacts {
                wallet_id: wallet.id.clone(),
                customer_name: customer.name.clone(),
                masked_resident_id: customer.masked_resident_id.clone(),
                tier: wallet.tier,
                previous_tier,
                limits,
                teller: actor.username.clone(),
            })
            .await?;
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "wallet.receipt_printed",
            )
            .subject("wallet", wallet.id.clone())
            .customer(customer.id)
            .detail(json!({ "tier": wallet.tier })),
        )
        .await?;
        tx.commit().await?;
        Ok(BinaryFile {
            file_name: format!("钱包回执-{}.pdf", wallet.id),
            content_type: "application/pdf".to_owned(),
            bytes,
        })
    }
}

/// What differs between one wallet receipt and another.
struct ReceiptFacts {
    wallet_id: String,
    customer_name: String,
    masked_resident_id: String,
    tier: u8,
    previous_tier: Option<u8>,
    limits: WalletLimits,
    teller: String,
}

impl Console {
    /// The limits of `tier` in the core's scheme in force today, from the store's copy.
    async fn scheme_limits(&self, tier: u8, bank: Option<&str>) -> Result<WalletLimits> {
        let today = crate::complaints::types::local_date(self.now());
        let scheme = crate::limits::in_force(self.store().read(), today, bank)
            .await?
            .ok_or_else(|| {
                Error::Conflict(
                    "the core's limit schemes have not reached this console yet: sync, then print"
                        .to_owned(),
                )
            })?;
        let limits = scheme.tier(tier).ok_or_else(|| {
            Error::Internal(anyhow::anyhow!(
                "the core's scheme {} has no limits for tier {tier}",
                scheme.operator_bank
            ))
        })?;
        Ok(WalletLimits {
            balance_cap: limits.balance_cap,
            per_payment: limits.one_payment,
            per_day: limits.per_day,
            per_year: limits.per_year,
        })
    }

    /// The receipt PDF, made off the async threads (font subsetting takes a moment).
    async fn render_receipt(&self, facts: ReceiptFacts) -> Result<Vec<u8>> {
        let input = ReceiptInput {
            bank_name: BANK_NAME.to_owned(),
            branch_name: self.policy().await?.branch,
            wallet_id: facts.wallet_id,
            customer_name: facts.customer_name,
            masked_resident_id: facts.masked_resident_id,
            tier: wallet_tier(facts.tier),
            previous_tier: facts.previous_tier.map(wallet_tier),
            limits: facts.limits,
            fees: Vec::new(),
            // Beijing time, UTC+8 all year (no daylight saving), as the customer reads it.
            at: (self.now() + chrono::Duration::hours(8)).naive_utc(),
            teller_name: facts.teller,
            bank_hotline: None,
        };
        Ok(
            tokio::task::spawn_blocking(move || documents::wallet_receipt(&input))
                .await
                .map_err(anyhow::Error::from)??,
        )
    }
}
