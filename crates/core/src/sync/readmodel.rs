//! The local read model: what the change feed says the core holds, so staff can find
//! customers and see wallets while the core is unreachable.

use crate::corelink::CoreChange;
use crate::crypto::Sealer;
use crate::error::Result;
use chrono::NaiveDate;
use serde::Deserialize;
use sqlx::SqliteConnection;

/// A customer as the feed carries it (the v1 contract's `CustomerRecord`; the corebank crate
/// tests that its type reads as this one).
///
/// The birth date is the 8 characters the masked resident ID hides: next to the mask it IS
/// the whole number. So it is sealed with the data key as it arrives (never stored, shown or
/// logged in clear), and `Debug` leaves it out.
#[derive(Clone, PartialEq, Eq, Deserialize)]
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
    /// The campaign, booth, staff member and channel that won the customer, if any.
    #[serde(default)]
    pub attribution: Option<AttributionRecord>,
}

/// The feed's attribution of a customer (the contract's `Attribution`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributionRecord {
    pub campaign: String,
    pub booth: String,
    pub staff_id: String,
    pub channel: String,
}

impl std::fmt::Debug for CustomerRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomerRecord")
            .field("id", &self.id)
            .field("masked_resident_id", &self.masked_resident_id)
            .field("birth_date", &"<sealed>")
            .finish_non_exhaustive()
    }
}

/// Binds a sealed birth date to its customer's row: copied to another customer, it does not
/// open.
fn birth_date_context(customer_id: &str) -> String {
    format!("core_customers.birth_date:{customer_id}")
}

/// The feed's `YYYY-MM-DD` sealed for the read model, or `None` when it is not a date (the
/// customer then shows no age, and the age rules refuse until the core sends a real one).
pub fn seal_birth_date(sealer: &Sealer, customer_id: &str, text: &str) -> Result<Option<Vec<u8>>> {
    let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") else {
        tracing::warn!(
            customer = customer_id,
            "the feed sent a birth date that is not a date"
        );
        return Ok(None);
    };
    let plain = date.format("%Y-%m-%d").to_string();
    let sealed = sealer
        .seal(plain.as_bytes(), &birth_date_context(customer_id))
        .map_err(anyhow::Error::from)?;
    Ok(Some(sealed))
}

/// The birth date of `customer_id` from its sealed column; `None` if it has not arrived yet
/// (a store migrated before the feed replayed) or does not open with this data key.
pub fn open_birth_date(
    sealer: &Sealer,
    customer_id: &str,
    sealed: Option<&[u8]>,
) -> Option<NaiveDate> {
    let plain = sealer
        .open(sealed?, &birth_date_context(customer_id))
        .map_err(|err| tracing::warn!(customer = customer_id, %err, "sealed birth date"))
        .ok()?;
    let text = std::str::from_utf8(&plain).ok()?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Applies one change on `conn` (the pull's transaction, which also moves the cursor).
/// Unknown kinds are kept as JSON, so a newer core's data is there once the console learns it.
/// `sealer` seals what must not sit in the read model in clear (the birth date).
pub async fn apply(
    conn: &mut SqliteConnection,
    sealer: &Sealer,
    change: &CoreChange,
) -> Result<()> {
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
             id_last4, mobile, birth_date_sealed, sex, created_at, cursor, name_initials, \
             name_pinyin, id_expires_on, attribution_campaign, attribution_booth, \
             attribution_staff, attribution_channel) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET external_id = excluded.external_id, \
             name = excluded.name, masked_resident_id = excluded.masked_resident_id, \
             name_initials = excluded.name_initials, name_pinyin = excluded.name_pinyin, \
             id_first6 = excluded.id_first6, id_last4 = excluded.id_last4, \
             mobile = excluded.mobile, birth_date_sealed = excluded.birth_date_sealed, sex = excluded.sex, \
             created_at = excluded.created_at, cursor = excluded.cursor, \
             id_expires_on = excluded.id_expires_on, \
             attribution_campaign = excluded.attribution_campaign, \
             attribution_booth = excluded.attribution_booth, \
             attribution_staff = excluded.attribution_staff, \
             attribution_channel = excluded.attribution_channel",
        )
        .bind(&record.id)
        .bind(&record.external_id)
        .bind(&record.name)
        .bind(&record.masked_resident_id)
        .bind(first6)
        .bind(last4)
        .bind(&record.mobile)
        .bind(seal_birth_date(sealer, &record.id, &record.birth_date)?)
        .bind(&record.sex)
        .bind(&record.created_at)
        .bind(&change.cursor)
        .bind(crate::customers::name_initials(&record.name))
        .bind(crate::customers::search::name_pinyin(&record.name))
        .bind(&record.id_expires_on)
        // A counter sign-up has no booth, and maybe no campaign: NULL, not "", so groupings
        // by campaign or booth see "none" as one thing.
        .bind(record.attribution.as_ref().map(|a| a.campaign.as_str()).filter(|c| !c.is_empty()))
        .bind(record.attribution.as_ref().map(|a| a.booth.as_str()).filter(|b| !b.is_empty()))
        .bind(record.attribution.as_ref().map(|a| a.staff_id.as_str()))
        .bind(record.attribution.as_ref().map(|a| a.channel.as_str()))
        .execute(&mut *conn)
        .await?;
        return Ok(());
    }
    if change.kind == "article" {
        return crate::knowledge::apply(conn, change).await;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::DataKey;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    /// Fuzz cases per property (counted in the note: cases run = this × properties).
    const CASES: u32 = 512;

    /// Any JSON value, nested a few levels: what a broken or hostile core could send.
    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "\\PC{0,24}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("\\PC{0,12}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// Text that looks like what the fields usually hold, and text that does not.
    fn field_text() -> impl Strategy<Value = Value> {
        prop_oneof![
            "\\PC{0,24}".prop_map(Value::String),
            "[0-9*Xx ]{0,20}".prop_map(Value::String),
            "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::String),
            "-?[0-9]{0,20}(\\.[0-9]{0,4})?".prop_map(Value::String),
            any::<i64>().prop_map(Value::from),
            Just(Value::Null),
        ]
    }

    /// A record with the contract's field names and fuzzed values, so decoding gets past the
    /// shape check into the code that slices masks, parses money and seals dates.
    fn shaped_record() -> impl Strategy<Value = Value> {
        const FIELDS: [&str; 16] = [
            "id",
            "name",
            "maskedResidentId",
            "mobile",
            "birthDate",
            "sex",
            "createdAt",
            "externalId",
            "idExpiresOn",
            "customerId",
            "walletId",
            "maskedNumber",
            "balance",
            "amount",
            "tier",
            "status",
        ];
        prop::collection::vec((prop::sample::select(FIELDS.to_vec()), field_text()), 0..16)
            .prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            })
    }

    fn kind() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec!["customer", "wallet", "card", "consent", "transaction"])
                .prop_map(str::to_owned),
            "\\PC{0,12}",
        ]
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    }

    async fn memory_store() -> sqlx::SqlitePool {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .expect("memory store");
        crate::store::MIGRATIONS.run(&pool).await.expect("migrate");
        pool
    }

    #[test]
    fn a_customer_record_is_sealed_on_arrival() {
        let rt = runtime();
        rt.block_on(async {
            let pool = memory_store().await;
            let sealer = Sealer::new(&DataKey::generate());
            let change = CoreChange {
                cursor: "1".into(),
                kind: "customer".into(),
                id: "C1".into(),
                data: json!({"id": "C1", "name": "王秀英", "maskedResidentId":
                    "110105********002X", "mobile": "13812345678", "birthDate": "1949-12-31",
                    "sex": "female", "createdAt": "2025-01-01T00:00:00Z"}),
            };
            let mut conn = pool.acquire().await.expect("conn");
            apply(&mut conn, &sealer, &change).await.expect("applied");
            let sealed: Option<Vec<u8>> =
                sqlx::query_scalar("SELECT birth_date_sealed FROM core_customers WHERE id = 'C1'")
                    .fetch_one(&mut *conn)
                    .await
                    .expect("row");
            assert_eq!(
                open_birth_date(&sealer, "C1", sealed.as_deref()),
                NaiveDate::from_ymd_opt(1949, 12, 31)
            );
            // Another data key, or another customer's row, opens nothing.
            let other = Sealer::new(&DataKey::generate());
            assert_eq!(open_birth_date(&other, "C1", sealed.as_deref()), None);
            assert_eq!(open_birth_date(&sealer, "C2", sealed.as_deref()), None);
            let record: CustomerRecord =
                serde_json::from_value(change.data.clone()).expect("record");
            assert!(!format!("{record:?}").contains("1949"));
        });
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(CASES))]

        /// Change-feed rows of any shape: applied, or refused with an error; never a panic,
        /// and the profile readers cope with whatever was stored.
        #[test]
        fn any_change_feed_row_is_applied_or_refused_never_a_panic(
            rows in prop::collection::vec(
                (kind(), "\\PC{0,12}", prop_oneof![any_json(), shaped_record()]),
                1..6,
            ),
        ) {
            let rt = runtime();
            rt.block_on(async {
                let pool = memory_store().await;
                let sealer = Sealer::new(&DataKey::generate());
                let mut conn = pool.acquire().await.expect("conn");
                for (n, (kind, id, data)) in rows.iter().enumerate() {
                    let change = CoreChange {
                        cursor: n.to_string(),
                        kind: kind.clone(),
                        id: id.clone(),
                        data: data.clone(),
                    };
                    if let Err(err) = apply(&mut conn, &sealer, &change).await {
                        assert!(!err.to_string().is_empty());
                    }
                    let _ = crate::customers::profile::wallet_from(data);
                    let _ = crate::customers::profile::card_from(data);
                    let _ = crate::customers::profile::consent_from(data);
                    let _ = crate::customers::profile::transaction_from(data);
                }
            });
        }
    }
}
