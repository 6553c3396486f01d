//! The customer's receipt for a wallet opened at the counter: a zh-CN PDF, printable once the
//! core has confirmed the wallet (its number comes from the core, through the pull). The
//! rendering here is shared with the Customer 360's receipt (`customers::receipt`).

use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::Console;
use crate::documents::{self, BinaryFile, ReceiptInput, WalletLimits, WalletTier};
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
                fees: self.receipt_fees(&customer_id, tier, true).await?,
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

/// What differs between one wallet receipt and another.
pub(crate) struct ReceiptFacts {
    pub(crate) wallet_id: String,
    pub(crate) customer_name: String,
    pub(crate) masked_resident_id: String,
    pub(crate) tier: u8,
    pub(crate) previous_tier: Option<u8>,
    pub(crate) limits: WalletLimits,
    /// The fee lines, with any waiver applied (crate::fees).
    pub(crate) fees: Vec<crate::documents::FeeLine>,
    pub(crate) teller: String,
}

impl Console {
    /// The limits of `tier` in the core's scheme in force today, from the store's copy.
    pub(crate) async fn scheme_limits(&self, tier: u8, bank: Option<&str>) -> Result<WalletLimits> {
        let today = crate::clock::local_date(self.now());
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
    pub(crate) async fn render_receipt(&self, facts: ReceiptFacts) -> Result<Vec<u8>> {
        let input = ReceiptInput {
            bank_name: BANK_NAME.to_owned(),
            branch_name: self.policy().await?.branch,
            wallet_id: facts.wallet_id,
            customer_name: facts.customer_name,
            masked_resident_id: facts.masked_resident_id,
            tier: wallet_tier(facts.tier),
            previous_tier: facts.previous_tier.map(wallet_tier),
            limits: facts.limits,
            fees: facts.fees,
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
