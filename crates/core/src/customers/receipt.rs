//! A receipt for one of a customer's wallets, printed from the Customer 360 (after an upgrade,
//! or when the customer asks again): counter work on an existing customer, so it lives with
//! the customers; the PDF is rendered as the onboarding receipt is.

use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::console::Console;
use crate::documents::{BinaryFile, WalletLimits};
use crate::error::{Error, Result};
use crate::onboarding::receipt::ReceiptFacts;
use serde_json::json;

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
                // After a tier change nothing is charged at opening; otherwise the receipt
                // again as at opening, waiver included.
                fees: self
                    .receipt_fees(&customer.id, wallet.tier, previous_tier.is_none())
                    .await?,
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
