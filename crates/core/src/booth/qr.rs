//! QR codes for self sign-up (issue 14 item 5): a poster and table card per campaign x booth x
//! staff member, carrying the bank's self sign-up link as the core signed it.
//!
//! The console never signs a link itself: only the core holds the key, so a code cannot be
//! forged or re-pointed at another staff member, and the bank's sign-up page credits whoever
//! the core signed. A link once signed is kept here, so a poster can be printed again without
//! the network; the first print of a combination needs the core.

use super::campaigns::{self, IncentiveKind};
use crate::access::{Permission, Role};
use crate::audit::{self, NewAudit};
use crate::console::Console;
use crate::documents::{self, BinaryFile, QrPosterInput};
use crate::error::{Error, Result};
use serde::Deserialize;
use serde_json::json;
use ts_rs::TS;

/// Whose code to print: one of the campaign's booths and a staff member on its roster.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QrPosterRequest {
    pub campaign: String,
    pub booth: String,
    /// The staff member's username; booth staff may print only their own.
    pub staff: String,
}

/// What the person gets, as the poster says it.
fn incentive_words(incentive: &campaigns::Incentive) -> String {
    match incentive.kind {
        IncentiveKind::Cashback => incentive
            .amount
            .map(|m| format!("开户立得 {m} 元"))
            .unwrap_or_default(),
        IncentiveKind::Points => incentive
            .points
            .map(|p| format!("开户送 {p} 积分"))
            .unwrap_or_default(),
        IncentiveKind::Coupon => incentive
            .coupon
            .as_deref()
            .map(|c| format!("开户送 {c}"))
            .unwrap_or_default(),
        IncentiveKind::FeeWaiver => incentive
            .service
            .as_deref()
            .map(|s| format!("开户免 {s} 费用"))
            .unwrap_or_default(),
    }
}

impl Console {
    /// The A4 poster and table card PDF for one campaign, booth and staff member: booth staff
    /// print their own; a supervisor prints for anyone on the booth's roster. Audited.
    pub async fn booth_qr_poster(&self, input: QrPosterRequest) -> Result<BinaryFile> {
        let actor = self.authorize(Permission::WorkBooth).await?;
        let (campaign_code, booth_code, staff) = (
            input.campaign.trim(),
            input.booth.trim(),
            input.staff.trim(),
        );
        if actor.role != Role::Supervisor && !staff.eq_ignore_ascii_case(&actor.username) {
            return Err(Error::field("staff", "qr_staff_not_you"));
        }
        let today = crate::clock::local_date(self.now());
        let (booths, all) = campaigns::all(self.store().read(), today).await?;
        let mine = campaigns::visible_to(actor.role, &actor.username, booths, all);
        let Some(booth) = mine.booths.iter().find(|b| b.code == booth_code) else {
            return Err(Error::field("booth", "booth_not_yours"));
        };
        let Some(campaign) = mine
            .campaigns
            .iter()
            .find(|c| c.code == campaign_code && c.booths.iter().any(|b| b == booth_code))
        else {
            return Err(Error::field("campaign", "campaign_not_at_booth"));
        };
        let Some(staff) = booth
            .roster
            .iter()
            .find(|u| u.eq_ignore_ascii_case(staff))
            .cloned()
        else {
            return Err(Error::field("staff", "qr_staff_not_on_roster"));
        };
        let link = self.signed_link(campaign_code, booth_code, &staff).await?;
        let staff_name: Option<String> =
            sqlx::query_scalar("SELECT display_name FROM staff WHERE username = ?")
                .bind(&staff)
                .fetch_optional(self.store().read())
                .await?;
        let poster = QrPosterInput {
            campaign_name: campaign.name.clone(),
            incentive: incentive_words(&campaign.incentive),
            booth_name: booth.name.clone(),
            mall: booth.mall.clone(),
            staff_name: staff_name.unwrap_or_else(|| staff.clone()),
            link,
            printed_on: today,
        };
        let bytes = tokio::task::spawn_blocking(move || documents::qr_poster(&poster))
            .await
            .map_err(anyhow::Error::from)??;
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username, "booth.qr_printed")
                .subject("booth", booth_code.to_owned())
                .detail(json!({ "campaign": campaign_code, "staff": staff })),
        )
        .await?;
        tx.commit().await?;
        Ok(BinaryFile {
            file_name: format!("推广二维码-{campaign_code}-{booth_code}-{staff}.pdf"),
            content_type: "application/pdf".to_owned(),
            bytes,
        })
    }

    /// The core-signed link for the combination: kept from an earlier print, or asked of the
    /// core now (online only: a refusal or an outage is the caller's answer).
    async fn signed_link(&self, campaign: &str, booth: &str, staff: &str) -> Result<String> {
        let kept: Option<String> = sqlx::query_scalar(
            "SELECT url FROM booth_qr_links WHERE campaign = ? AND booth = ? AND staff = ?",
        )
        .bind(campaign)
        .bind(booth)
        .bind(staff)
        .fetch_optional(self.store().read())
        .await?;
        if let Some(url) = kept {
            return Ok(url);
        }
        let url = self
            .engine()?
            .core()
            .sign_up_link(campaign, booth, staff)
            .await
            .map_err(Error::from)?;
        let mut tx = self.store().begin().await?;
        sqlx::query(
            "INSERT OR IGNORE INTO booth_qr_links (campaign, booth, staff, url, signed_at) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(campaign)
        .bind(booth)
        .bind(staff)
        .bind(&url)
        .bind(audit::timestamp(self.now()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(url)
    }
}
