//! The local read model: what the change feed says the core holds, so staff can find
//! customers and see wallets while the core is unreachable.

use crate::corelink::CoreChange;
use crate::error::Result;
use serde::Deserialize;
use sqlx::SqliteConnection;

/// A customer as the feed carries it (the v1 contract's `CustomerRecord`; the corebank crate
/// tests that its type reads as this one).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRecord {
    pub id: String,
    #[serde(default)]
    pub external_id: Option<String>,
    pub name: String,
    pub masked_resident_id: String,
    pub mobile: String,
    pub birth_date: String,
    pub sex: String,
    pub created_at: String,
    #[serde(default)]
    pub id_expires_on: Option<String>,
}

/// Applies one change on `conn` (the pull's transaction, which also moves the cursor).
/// Unknown kinds are kept as JSON, so a newer core's data is there once the console learns it.
pub async fn apply(conn: &mut SqliteConnection, change: &CoreChange) -> Result<()> {
    if change.kind == "customer" {
        if change.data.is_null() {
            sqlx::query("DELETE FROM core_customers WHERE id = ?")
                .bind(&change.id)
                .execute(&mut *conn)
                .await?;
            return Ok(());
        }
        let record: CustomerRecord =
            serde_json::from_value(change.data.clone()).map_err(anyhow::Error::from)?;
        let masked: Vec<char> = record.masked_resident_id.chars().collect();
        let first6: String = masked.iter().take(6).collect();
        let last4: String = masked[masked.len().saturating_sub(4)..].iter().collect();
        sqlx::query(
            "INSERT INTO core_customers (id, external_id, name, masked_resident_id, id_first6, \
             id_last4, mobile, birth_date, sex, created_at, cursor, name_initials, id_expires_on) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET external_id = excluded.external_id, \
             name = excluded.name, masked_resident_id = excluded.masked_resident_id, \
             name_initials = excluded.name_initials, \
             id_first6 = excluded.id_first6, id_last4 = excluded.id_last4, \
             mobile = excluded.mobile, birth_date = excluded.birth_date, sex = excluded.sex, \
             created_at = excluded.created_at, cursor = excluded.cursor, \
             id_expires_on = excluded.id_expires_on",
        )
        .bind(&record.id)
        .bind(&record.external_id)
        .bind(&record.name)
        .bind(&record.masked_resident_id)
        .bind(first6)
        .bind(last4)
        .bind(&record.mobile)
        .bind(&record.birth_date)
        .bind(&record.sex)
        .bind(&record.created_at)
        .bind(&change.cursor)
        .bind(crate::customers::name_initials(&record.name))
        .bind(&record.id_expires_on)
        .execute(&mut *conn)
        .await?;
        return Ok(());
    }
    if change.data.is_null() {
        sqlx::query("DELETE FROM core_records WHERE kind = ? AND id = ?")
            .bind(&change.kind)
            .bind(&change.id)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    let text = |name: &str| {
        change
            .data
            .get(name)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let mut customer_id = text("customerId");
    if customer_id.is_none() {
        // Records that belong to a wallet (cards, transactions) reach their customer through
        // it; the feed sends a wallet before anything that hangs off it.
        if let Some(wallet) = text("walletId") {
            customer_id = sqlx::query_scalar(
                "SELECT customer_id FROM core_records WHERE kind = 'wallet' AND id = ?",
            )
            .bind(wallet)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
        }
    }
    // What staff search this kind by: a card's last four digits.
    let search_key = match change.kind.as_str() {
        "card" => text("maskedNumber").map(|masked| {
            let digits: Vec<char> = masked.chars().filter(char::is_ascii_digit).collect();
            digits[digits.len().saturating_sub(4)..]
                .iter()
                .collect::<String>()
        }),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO core_records (kind, id, customer_id, data, cursor, search_key) \
         VALUES (?, ?, ?, ?, ?, ?) \
         ON CONFLICT (kind, id) DO UPDATE SET customer_id = excluded.customer_id, \
         data = excluded.data, cursor = excluded.cursor, search_key = excluded.search_key",
    )
    .bind(&change.kind)
    .bind(&change.id)
    .bind(customer_id)
    .bind(change.data.to_string())
    .bind(&change.cursor)
    .bind(search_key)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
