//! Wallet tier limits, as the core bank's limit schemes say (DOMAIN.md: a table per operator
//! bank, versioned by effective date). The core is the only source: the sync engine copies
//! its schemes into the store ([`replace`]), and every screen that shows a tier's limits reads
//! the version in force today from that copy ([`in_force`]), online or not.

use crate::domain::Money;
use crate::error::Result;
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};
use ts_rs::TS;

/// One tier's limits in a scheme version. `None`: no limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TierLimits {
    pub tier: u8,
    pub balance_cap: Option<Money>,
    pub one_payment: Option<Money>,
    pub per_day: Option<Money>,
    pub per_year: Option<Money>,
}

/// One version of an operator bank's scheme, as the core sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LimitScheme {
    pub operator_bank: String,
    pub operator_bank_name: String,
    /// The scheme the core applies when a wallet names no operator bank.
    pub is_default: bool,
    #[ts(type = "string")]
    pub effective_from: NaiveDate,
    /// Tier 1 first.
    pub tiers: Vec<TierLimits>,
}

impl LimitScheme {
    pub fn tier(&self, tier: u8) -> Option<&TierLimits> {
        self.tiers.iter().find(|t| t.tier == tier)
    }
}

/// Replaces the stored copy with `schemes` (the core's whole list) on `conn`, inside the
/// caller's transaction, and notes when.
pub async fn replace(
    conn: &mut SqliteConnection,
    schemes: &[LimitScheme],
    now: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM core_limit_schemes")
        .execute(&mut *conn)
        .await?;
    let fen = |m: &Option<Money>| -> Result<Option<i64>> {
        m.map(|m| m.to_minor_units().map_err(anyhow::Error::from))
            .transpose()
            .map_err(Into::into)
    };
    for scheme in schemes {
        for t in &scheme.tiers {
            sqlx::query(
                "INSERT INTO core_limit_schemes (operator_bank, operator_bank_name, is_default, \
                 effective_from, tier, balance_cap_fen, one_payment_fen, per_day_fen, \
                 per_year_fen) VALUES (?,?,?,?,?,?,?,?,?)",
            )
            .bind(&scheme.operator_bank)
            .bind(&scheme.operator_bank_name)
            .bind(scheme.is_default)
            .bind(scheme.effective_from.format("%Y-%m-%d").to_string())
            .bind(i64::from(t.tier))
            .bind(fen(&t.balance_cap)?)
            .bind(fen(&t.one_payment)?)
            .bind(fen(&t.per_day)?)
            .bind(fen(&t.per_year)?)
            .execute(&mut *conn)
            .await?;
        }
    }
    sqlx::query("UPDATE sync_state SET limits_refreshed_at = ? WHERE id = 1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    operator_bank: String,
    operator_bank_name: String,
    is_default: bool,
    effective_from: String,
    tier: i64,
    balance_cap_fen: Option<i64>,
    one_payment_fen: Option<i64>,
    per_day_fen: Option<i64>,
    per_year_fen: Option<i64>,
}

/// The scheme version of `bank` (the core's default operator bank when `None`) in force on
/// `day`: the newest with `effective_from` on or before it, from the stored copy. `None`
/// while the core has not sent one yet.
pub async fn in_force(
    pool: &SqlitePool,
    day: NaiveDate,
    bank: Option<&str>,
) -> Result<Option<LimitScheme>> {
    let rows: Vec<Row> = sqlx::query_as(
        "WITH bank AS (SELECT ?1 AS code), \
         chosen AS (SELECT * FROM core_limit_schemes, bank \
           WHERE (bank.code IS NULL AND is_default = 1) OR operator_bank = bank.code) \
         SELECT operator_bank, operator_bank_name, is_default, effective_from, tier, \
           balance_cap_fen, one_payment_fen, per_day_fen, per_year_fen FROM chosen \
         WHERE effective_from = (SELECT MAX(effective_from) FROM chosen \
           WHERE effective_from <= ?2) ORDER BY tier",
    )
    .bind(bank)
    .bind(day.format("%Y-%m-%d").to_string())
    .fetch_all(pool)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let effective_from = NaiveDate::parse_from_str(&first.effective_from, "%Y-%m-%d")
        .map_err(anyhow::Error::from)?;
    let tier = |r: &Row| -> Result<TierLimits> {
        Ok(TierLimits {
            tier: u8::try_from(r.tier).map_err(anyhow::Error::from)?,
            balance_cap: r.balance_cap_fen.map(Money::from_minor_units),
            one_payment: r.one_payment_fen.map(Money::from_minor_units),
            per_day: r.per_day_fen.map(Money::from_minor_units),
            per_year: r.per_year_fen.map(Money::from_minor_units),
        })
    };
    Ok(Some(LimitScheme {
        operator_bank: first.operator_bank.clone(),
        operator_bank_name: first.operator_bank_name.clone(),
        is_default: first.is_default,
        effective_from,
        tiers: rows.iter().map(tier).collect::<Result<_>>()?,
    }))
}
