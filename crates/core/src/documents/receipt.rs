//! The teller's receipt for a wallet opened or upgraded at the counter.
//!
//! The resident ID arrives already masked (first 6 and last 4 shown) and is checked to be
//! masked: a receipt leaves the bank in the customer's pocket, so a full ID must never be on
//! it, whatever the caller passes.

use super::layout::{A5, Flow, Measure};
use super::{
    CjkFont, DocumentError, FontSource, Result, format_date_time, format_money, not_negative,
    render, required,
};
use crate::domain::Money;
use chrono::NaiveDateTime;
use serde::Deserialize;
use ts_rs::TS;

pub const ANTI_FRAUD_SLOGAN: &str = "不轻信、不透露、不转账";
/// The national anti-fraud hotline.
pub const ANTI_FRAUD_HOTLINE: &str = "96110";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum WalletTier {
    Tier1,
    Tier2,
    Tier3,
    Tier4,
}

impl WalletTier {
    pub fn label(self) -> &'static str {
        match self {
            WalletTier::Tier1 => "一类钱包",
            WalletTier::Tier2 => "二类钱包",
            WalletTier::Tier3 => "三类钱包",
            WalletTier::Tier4 => "四类钱包",
        }
    }
}

/// The wallet's limits as they apply from this receipt on; `None` is "no limit" (不限).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WalletLimits {
    #[serde(default)]
    pub balance_cap: Option<Money>,
    #[serde(default)]
    pub per_payment: Option<Money>,
    #[serde(default)]
    pub per_day: Option<Money>,
    #[serde(default)]
    pub per_year: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeLine {
    /// "工本费"
    pub label: String,
    pub amount: Money,
    /// Charged each time the service is used (printed as a price per use, not due now).
    #[serde(default)]
    pub per_use: bool,
    /// Why the fee is not charged, e.g. "活动减免" (a campaign's waiver): printed beside the
    /// amount, and the line is due 0.
    #[serde(default)]
    pub waived: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptInput {
    pub bank_name: String,
    pub branch_name: String,
    pub wallet_id: String,
    pub customer_name: String,
    /// Already masked, e.g. "110105********123X". A full ID is refused.
    pub masked_resident_id: String,
    pub tier: WalletTier,
    /// The tier before an upgrade; `None` when the wallet was opened now.
    #[serde(default)]
    pub previous_tier: Option<WalletTier>,
    pub limits: WalletLimits,
    /// No lines: the receipt says no fee was charged.
    #[serde(default)]
    pub fees: Vec<FeeLine>,
    #[ts(type = "string")]
    pub at: NaiveDateTime,
    pub teller_name: String,
    /// The bank's own customer-service number, printed beside the anti-fraud hotline.
    #[serde(default)]
    pub bank_hotline: Option<String>,
}

/// Accepts "110105********123X" (18) or the old 15-character form masked the same way:
/// six digits, only asterisks in between, the last four shown.
fn check_masked(id: &str) -> Result<&str> {
    let id = id.trim();
    let chars: Vec<char> = id.chars().collect();
    let n = chars.len();
    let masked = (n == 18 || n == 15)
        && chars[..6].iter().all(char::is_ascii_digit)
        && chars[6..n - 4].iter().all(|c| *c == '*')
        && chars[n - 4..n - 1].iter().all(char::is_ascii_digit)
        && (chars[n - 1].is_ascii_digit() || chars[n - 1] == 'X' || chars[n - 1] == 'x');
    if !masked {
        // The value itself is not echoed: it may be a full ID.
        return Err(DocumentError::InvalidInput(
            "resident ID: must be masked (first 6 and last 4 shown)".into(),
        ));
    }
    Ok(id)
}

fn limit_text(field: &str, limit: Option<Money>) -> Result<String> {
    Ok(match limit {
        Some(m) => format_money(not_negative(field, m)?),
        None => "不限".to_owned(),
    })
}

/// The receipt, set in the machine's CJK font ([`FontSource::System`]).
pub fn wallet_receipt(input: &ReceiptInput) -> Result<Vec<u8>> {
    wallet_receipt_with(input, &CjkFont::load(&FontSource::System)?)
}

pub fn wallet_receipt_with(input: &ReceiptInput, font: &CjkFont) -> Result<Vec<u8>> {
    let bank = required("bank name", &input.bank_name)?;
    let branch = required("branch name", &input.branch_name)?;
    let wallet = required("wallet id", &input.wallet_id)?;
    let customer = required("customer name", &input.customer_name)?;
    let teller = required("teller name", &input.teller_name)?;
    let id = check_masked(&input.masked_resident_id)?;
    let limits = [
        (
            "余额上限",
            limit_text("balance cap", input.limits.balance_cap)?,
        ),
        (
            "单笔支付限额",
            limit_text("per payment", input.limits.per_payment)?,
        ),
        (
            "日累计支付限额",
            limit_text("per day", input.limits.per_day)?,
        ),
        (
            "年累计支付限额",
            limit_text("per year", input.limits.per_year)?,
        ),
    ];
    // Charged now (at opening): the amount, "免费", or the amount and why it is waived; then
    // the amount due. Per use: the price, so the customer knows it before using the service.
    let mut fees = Vec::new();
    let mut per_use = Vec::new();
    let mut due = Money::ZERO;
    for fee in &input.fees {
        let label = required("fee", &fee.label)?;
        let amount = not_negative("fee", fee.amount)?;
        let waived = fee
            .waived
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty());
        if fee.per_use {
            per_use.push((label, format!("{}/次", format_money(amount))));
            continue;
        }
        let text = match waived {
            Some(why) => format!("{} — {why}", format_money(amount)),
            None if amount.amount().is_zero() => format!("{}（免费）", format_money(amount)),
            None => {
                due = due.checked_add(amount).ok_or_else(|| {
                    DocumentError::InvalidInput("fees: the amount due is too large".into())
                })?;
                format_money(amount)
            }
        };
        fees.push((label, text));
    }

    let (title, tier_text) = match input.previous_tier {
        None => ("钱包开立回单", input.tier.label().to_owned()),
        Some(from) => (
            "钱包升级回单",
            format!("{}（由{}升级）", input.tier.label(), from.label()),
        ),
    };

    let face = font.face()?;
    let measure = Measure::new(face);
    let mut flow = Flow::new(A5, &measure);
    const BODY: i32 = 10;
    // Wide enough for the longest label, "日累计支付限额：".
    let label_width = measure.width_pt("日累计支付限额：", BODY) + 6;

    flow.centered(bank, 13);
    flow.centered(title, 16);
    flow.rule();
    flow.gap(4);
    flow.field("钱包编号：", wallet, BODY, label_width);
    flow.field("客户姓名：", customer, BODY, label_width);
    flow.field("证件号码：", id, BODY, label_width);
    flow.field("钱包等级：", &tier_text, BODY, label_width);

    flow.gap(6);
    flow.heading("交易限额", 11, BODY, 2);
    for (label, value) in &limits {
        flow.field(&format!("{label}："), value, BODY, label_width);
    }

    flow.gap(6);
    flow.heading("费用", 11, BODY, 2);
    if fees.is_empty() {
        flow.paragraph("本次业务未收取费用。", BODY, 0, 0);
    }
    // The fee names come from the core's schedule: as wide as the longest of them.
    let fee_width = fees
        .iter()
        .chain(&per_use)
        .map(|(label, _)| measure.width_pt(&format!("{label}："), BODY) + 6)
        .fold(label_width, i32::max);
    for (label, value) in &fees {
        flow.field(&format!("{label}："), value, BODY, fee_width);
    }
    if !fees.is_empty() {
        flow.field("本次应付：", &format_money(due), BODY, fee_width);
    }
    if !per_use.is_empty() {
        flow.gap(4);
        flow.paragraph("其他服务收费标准：", BODY, 0, 0);
        for (label, value) in &per_use {
            flow.field(&format!("{label}："), value, BODY, fee_width);
        }
    }

    flow.gap(6);
    flow.field("办理时间：", &format_date_time(input.at), BODY, label_width);
    flow.field("办理网点：", branch, BODY, label_width);
    flow.field("经办柜员：", teller, BODY, label_width);
    flow.gap(10);
    flow.paragraph("客户签字：", BODY, 0, 0);

    flow.gap(6);
    flow.keep(4 * 18);
    flow.rule();
    flow.centered(&format!("防范电信网络诈骗：{ANTI_FRAUD_SLOGAN}"), 12);
    flow.paragraph(
        &format!(
            "任何人以公检法、客服或亲友名义要求您转账、提供验证码或共享屏幕，都是诈骗。如有疑问请拨打反诈专线 {ANTI_FRAUD_HOTLINE}，紧急情况请拨打 110。"
        ),
        9,
        0,
        0,
    );
    if let Some(hotline) = input
        .bank_hotline
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty())
    {
        flow.paragraph(&format!("本行客服热线：{hotline}"), 9, 0, 0);
    }

    let sheets = flow.finish(
        |page, pages| format!("钱包 {wallet}　第 {page} 页 / 共 {pages} 页"),
        8,
    );
    render(&sheets, A5, &measure, font, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_masked_id_is_accepted() {
        assert!(check_masked("110105********123X").is_ok());
        assert!(check_masked("110105*****1234").is_ok());
        for bad in [
            "11010519491231002X",
            "110105",
            "110105****1231002X",
            "********1231002X",
            "",
            "110105********12*X",
        ] {
            assert!(check_masked(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
