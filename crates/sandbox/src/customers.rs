//! Customers: `POST /v1/customers`, `GET /v1/customers` (search), and
//! `GET`/`PATCH /v1/customers/{ref}`.
//!
//! A customer reference (`{ref}` in paths, `customerId` in bodies) is either the core's id or
//! `ext:<externalId>`, the UUID the console gave the customer when it created it: a console
//! working offline queues "create customer" and "open wallet" before it knows the core's id.

use crate::extract::{Path, Query};
use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use crate::store::{Counts, add_to_stats};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::Deserialize;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use walletdesk_core::domain::{Mobile, ResidentId, Sex};
use walletdesk_corebank::v1;

/// Longest accepted name, in characters: generous for Chinese and transliterated names alike.
const MAX_NAME_CHARS: usize = 64;

/// The columns [`customer_from_row`] reads.
const CUSTOMER_COLUMNS: &str =
    "id, name, resident_id, mobile, created_at, external_id, id_expires_on";

const DEFAULT_PAGE: u32 = 50;

pub async fn create(
    State(state): State<AppState>,
    request: Idempotent<v1::NewCustomer>,
) -> Response {
    let write = CreateCustomer(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    request: Idempotent<v1::CustomerUpdate>,
) -> Response {
    let write = UpdateCustomer {
        reference,
        update: request.body.clone(),
    };
    idempotency::execute(&state.store, request, write).await
}

pub async fn reveal(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    request: Idempotent<v1::RevealRequest>,
) -> Response {
    let write = RevealResidentId {
        reference,
        request: request.body.clone(),
    };
    idempotency::execute(&state.store, request, write).await
}

pub async fn get(
    State(state): State<AppState>,
    Path(reference): Path<String>,
) -> Result<Json<v1::Customer>, Problem> {
    let mut conn = state.store.pool().acquire().await.map_err(internal)?;
    let id = resolve(&mut conn, &reference).await?;
    Ok(Json(read(&mut conn, id).await?))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchQuery {
    mobile: Option<String>,
    resident_id_last4: Option<String>,
    name: Option<String>,
    after: Option<String>,
    limit: Option<u32>,
}

/// Filters are ANDed; none lists every customer. Keyset-paged on the id, so a page costs the
/// same however deep into the list it is.
pub async fn search(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
) -> Result<Json<v1::CustomerPage>, Problem> {
    let invalid = |detail: String| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid-query",
            "Invalid query",
            Some(detail),
        )
    };
    let after = match query.after.as_deref() {
        None => 0,
        Some(text) => v1::parse_number_cursor(text)
            .ok_or_else(|| invalid(format!("after: {text:?} is not a cursor")))?,
    };
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=v1::CUSTOMERS_MAX_LIMIT).contains(&limit) {
        return Err(invalid(format!(
            "limit: 1 to {}, not {limit}",
            v1::CUSTOMERS_MAX_LIMIT
        )));
    }
    let mut sql = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id > "
    ));
    sql.push_bind(after);
    // An empty filter is refused, not read as "no filter": a caller that meant to search by a
    // number it did not have would otherwise be handed every customer.
    if let Some(mobile) = query.mobile.as_deref() {
        let mobile = contract_mobile(mobile).map_err(invalid)?;
        sql.push(" AND mobile = ")
            .push_bind(mobile.expose().to_owned());
    }
    if let Some(last4) = query.resident_id_last4.as_deref() {
        let last4 = last4.to_ascii_uppercase();
        let bytes = last4.as_bytes();
        let well_formed = bytes.len() == 4
            && bytes[..3].iter().all(u8::is_ascii_digit)
            && (bytes[3].is_ascii_digit() || bytes[3] == b'X');
        if !well_formed {
            return Err(invalid(
                "residentIdLast4: three digits and a digit or X".to_owned(),
            ));
        }
        sql.push(" AND substr(resident_id, 15, 4) = ")
            .push_bind(last4);
    }
    if let Some(name) = query
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        // A prefix match: staff type the family name first. LIKE's wildcards are escaped so a
        // name is matched literally.
        let escaped = name
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        sql.push(" AND name LIKE ")
            .push_bind(format!("{escaped}%"))
            .push(" ESCAPE '\\'");
    }
    // One more than asked, to know whether there is a next page.
    sql.push(" ORDER BY id LIMIT ")
        .push_bind(i64::from(limit) + 1);
    let rows = sql
        .build()
        .fetch_all(state.store.pool())
        .await
        .map_err(internal)?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let customers = rows
        .iter()
        .take(limit)
        .map(customer_from_row)
        .collect::<Result<Vec<_>, _>>()
        .map_err(internal)?;
    let next_cursor = if rows.len() > limit {
        customers.last().map(|c| c.id.clone())
    } else {
        None
    };
    Ok(Json(v1::CustomerPage {
        customers,
        next_cursor,
    }))
}

fn not_found(reference: &str) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        Some(format!("no customer {reference:?}")),
    )
}

/// The core's id for a customer reference: a canonical id (`"7"`, never `"007"`) of an
/// existing customer, or `ext:<externalId>`. 404 for anything else.
pub async fn resolve(conn: &mut SqliteConnection, reference: &str) -> Result<i64, Problem> {
    let found: Option<i64> = if let Some(external) = reference.strip_prefix(v1::EXTERNAL_ID_PREFIX)
    {
        if !v1::is_valid_external_id(external) {
            return Err(not_found(reference));
        }
        sqlx::query_scalar("SELECT id FROM customers WHERE external_id = ?")
            .bind(external.to_ascii_lowercase())
            .fetch_optional(&mut *conn)
            .await
            .map_err(internal)?
    } else {
        let number = reference
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0 && n.to_string() == reference)
            .ok_or_else(|| not_found(reference))?;
        sqlx::query_scalar("SELECT id FROM customers WHERE id = ?")
            .bind(number)
            .fetch_optional(&mut *conn)
            .await
            .map_err(internal)?
    };
    found.ok_or_else(|| not_found(reference))
}

/// The customer `id` as the contract shows it (identity numbers masked).
pub async fn read(conn: &mut SqliteConnection, id: i64) -> Result<v1::Customer, Problem> {
    let row = sqlx::query(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(internal)?
    .ok_or_else(|| not_found(&id.to_string()))?;
    customer_from_row(&row).map_err(internal)
}

fn customer_from_row(row: &SqliteRow) -> Result<v1::Customer, sqlx::Error> {
    // Empty for a customer signed up with the mobile only (tier 4).
    let resident_id: Option<String> = row.try_get("resident_id")?;
    let mobile: String = row.try_get("mobile")?;
    Ok(v1::Customer {
        id: row.try_get::<i64, _>("id")?.to_string(),
        name: row.try_get("name")?,
        masked_resident_id: resident_id
            .as_deref()
            .map(mask_resident_id)
            .unwrap_or_default(),
        masked_mobile: Mobile::parse(&mobile)
            .map(|m| m.masked())
            .unwrap_or_else(|_| "***********".to_owned()),
        created_at: row.try_get("created_at")?,
        external_id: row.try_get("external_id")?,
        id_expires_on: row.try_get("id_expires_on")?,
    })
}

/// The masking rule of DOMAIN.md (first 6 and last 4 shown) for an ID already in the store.
/// Not `ResidentId::parse`: that refuses birth dates after today, and demo data may be
/// generated as of a later date.
pub fn mask_resident_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

fn refused(detail: String) -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
        "Validation failed",
        Some(detail),
    )
}

fn duplicate() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "duplicate-customer",
        "Customer already exists",
        Some("a customer with this resident ID, mobile or externalId already exists".to_owned()),
    )
}

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "customer store access failed");
    Problem::internal()
}

fn checked_name(name: &str) -> Result<String, Problem> {
    let name = name.trim().to_owned();
    let name_chars = name.chars().count();
    if name_chars == 0 || name_chars > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(refused(format!(
            "name: 1 to {MAX_NAME_CHARS} characters, no control characters"
        )));
    }
    Ok(name)
}

fn checked_date(field: &str, text: &str) -> Result<String, Problem> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| refused(format!("{field}: a date YYYY-MM-DD, not {text:?}")))
}

#[derive(Debug)]
struct CreateCustomer(v1::NewCustomer);

impl Write for CreateCustomer {
    const OPERATION: &'static str = "create-customer";
    type Output = v1::Customer;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Customer), Problem> {
        let name = checked_name(&self.0.name)?;
        // The document's form is ASCII digits (its `pattern`); folding full-width input is
        // the console's job before it sends, so the sandbox keeps to what is documented even
        // though `ResidentId::parse` itself would fold the width.
        let typed = self.0.resident_id.trim();
        let documented = typed.len() == 18
            && typed.as_bytes()[..17].iter().all(u8::is_ascii_digit)
            && matches!(typed.as_bytes()[17], b'0'..=b'9' | b'X' | b'x');
        if !documented {
            return Err(refused(
                "residentId: 17 digits and a check digit or X, as the document's pattern says"
                    .to_owned(),
            ));
        }
        let resident_id =
            ResidentId::parse(typed).map_err(|err| refused(format!("residentId: {err}")))?;
        let mobile = contract_mobile(&self.0.mobile).map_err(refused)?;
        let external_id = match self.0.external_id.as_deref() {
            None => None,
            Some(text) if v1::is_valid_external_id(text) => Some(text.to_ascii_lowercase()),
            Some(text) => {
                return Err(refused(format!(
                    "externalId: a UUID (8-4-4-4-12 hex digits), not {text:?}"
                )));
            }
        };
        let id_expires_on = self
            .0
            .id_expires_on
            .as_deref()
            .map(|d| checked_date("idExpiresOn", d))
            .transpose()?;
        let attribution = self
            .0
            .attribution
            .as_ref()
            .map(|a| {
                crate::attribution::check(
                    a.campaign.as_deref(),
                    a.booth.as_deref(),
                    &a.staff_id,
                    &a.channel,
                )
            })
            .transpose()?;
        let created_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);

        let inserted = sqlx::query(
            "INSERT INTO customers (name, resident_id, mobile, birth_date, sex, created_at, \
             external_id, id_expires_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&name)
        .bind(resident_id.expose())
        .bind(mobile.expose())
        .bind(resident_id.birth_date().format("%Y-%m-%d").to_string())
        .bind(match resident_id.sex() {
            Sex::Male => "male",
            Sex::Female => "female",
        })
        .bind(&created_at)
        .bind(&external_id)
        .bind(&id_expires_on)
        .fetch_one(&mut *conn)
        .await;
        let id: i64 = match inserted {
            Ok(row) => row.try_get(0).map_err(internal)?,
            Err(sqlx::Error::Database(err)) if err.is_unique_violation() => {
                return Err(duplicate());
            }
            Err(err) => return Err(internal(err)),
        };
        if let Some(attribution) = &attribution {
            crate::attribution::store(conn, id, attribution).await?;
        }
        // In this write's transaction: a rolled-back create leaves the count as it was.
        let added = Counts {
            customers: 1,
            wallets: 0,
            transactions: 0,
        };
        add_to_stats(conn, added).await.map_err(internal)?;
        crate::changes::record(conn, "customer", &id.to_string(), now)
            .await
            .map_err(internal)?;
        crate::insights::on_sign_up(conn, id)
            .await
            .map_err(internal)?;
        Ok((
            StatusCode::CREATED,
            v1::Customer {
                id: id.to_string(),
                name,
                masked_resident_id: resident_id.masked(),
                masked_mobile: mobile.masked(),
                created_at,
                external_id,
                id_expires_on,
            },
        ))
    }
}

#[derive(Debug)]
struct UpdateCustomer {
    reference: String,
    update: v1::CustomerUpdate,
}

impl Write for UpdateCustomer {
    const OPERATION: &'static str = "update-customer";
    type Output = v1::Customer;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Customer), Problem> {
        let id = resolve(conn, &self.reference).await?;
        let name = self.update.name.as_deref().map(checked_name).transpose()?;
        let mobile = self
            .update
            .mobile
            .as_deref()
            .map(|m| {
                contract_mobile(m)
                    .map(|m| m.expose().to_owned())
                    .map_err(refused)
            })
            .transpose()?;
        let expires = match &self.update.id_expires_on {
            None => None,
            Some(None) => Some(None),
            Some(Some(text)) => Some(Some(checked_date("idExpiresOn", text)?)),
        };
        // COALESCE keeps a field that was left out; the expiry's "given" flag lets null clear it.
        let updated = sqlx::query(
            "UPDATE customers SET name = COALESCE(?, name), mobile = COALESCE(?, mobile), \
             id_expires_on = CASE WHEN ? THEN ? ELSE id_expires_on END WHERE id = ?",
        )
        .bind(&name)
        .bind(&mobile)
        .bind(expires.is_some())
        .bind(expires.flatten())
        .bind(id)
        .execute(&mut *conn)
        .await;
        match updated {
            Ok(_) => {}
            Err(sqlx::Error::Database(err)) if err.is_unique_violation() => {
                return Err(duplicate());
            }
            Err(err) => return Err(internal(err)),
        }
        crate::changes::record(conn, "customer", &id.to_string(), now)
            .await
            .map_err(internal)?;
        Ok((StatusCode::OK, read(conn, id).await?))
    }
}

/// A mobile as a request carries it: in the form the contract documents
/// ([`v1::MOBILE_PATTERN`], checked first, so the sandbox takes exactly what the document
/// says), then normalised. The refusal does not repeat the number.
pub(crate) fn contract_mobile(text: &str) -> Result<Mobile, String> {
    if !v1::is_valid_mobile(text) {
        return Err(
            "mobile: a mainland number (11 digits), optionally after +86, single spaces or \
             hyphens between digits"
                .to_owned(),
        );
    }
    Mobile::parse(text).map_err(|err| format!("mobile: {err}"))
}

/// A reveal is a keyed write although it changes no customer: the ledger row it leaves is
/// the core's record of who saw the whole number and why.
#[derive(Debug)]
struct RevealResidentId {
    reference: String,
    request: v1::RevealRequest,
}

impl Write for RevealResidentId {
    const OPERATION: &'static str = "reveal-resident-id";
    type Output = v1::RevealedResidentId;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        _now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::RevealedResidentId), Problem> {
        let id = resolve(conn, &self.reference).await?;
        let reason = self.request.reason.trim();
        if !(2..=200).contains(&reason.chars().count()) {
            return Err(refused("reason: 2 to 200 characters".to_owned()));
        }
        if self.request.staff_id.trim().is_empty() {
            return Err(refused("staffId: who will see the number".to_owned()));
        }
        let resident_id: String = sqlx::query_scalar::<_, Option<String>>(
            "SELECT resident_id FROM customers WHERE id = ?",
        )
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?
        // Signed up with the mobile only: there is no number to reveal.
        .ok_or_else(|| not_found(&self.reference))?;
        Ok((
            StatusCode::OK,
            v1::RevealedResidentId {
                customer_id: id.to_string(),
                resident_id,
            },
        ))
    }

    /// Kept without the number: the key table would otherwise hold a copy of every ID ever
    /// revealed, beside the customer it belongs to, for as long as keys are kept.
    fn stored(sent: &v1::RevealedResidentId) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(&StoredReveal {
            customer_id: sent.customer_id.clone(),
        })
    }

    /// The number is read again for the replay: the customer's number as it stands now (the
    /// same one unless a renewed ID changed it meanwhile, and then the current one is the
    /// one the staff member needs).
    async fn replayed(stored: Vec<u8>, conn: &mut SqliteConnection) -> Result<Vec<u8>, Problem> {
        let StoredReveal { customer_id } = serde_json::from_slice(&stored).map_err(internal)?;
        let id: i64 = customer_id.parse().map_err(internal)?;
        let resident_id: String = sqlx::query_scalar::<_, Option<String>>(
            "SELECT resident_id FROM customers WHERE id = ?",
        )
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?
        .unwrap_or_default();
        serde_json::to_vec(&v1::RevealedResidentId {
            customer_id,
            resident_id,
        })
        .map_err(internal)
    }
}

/// What a reveal keeps as its key's answer: whose number, never the number.
#[derive(Debug, serde::Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredReveal {
    customer_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_ids_are_masked_to_first_six_and_last_four() {
        assert_eq!(mask_resident_id("11010519491231002X"), "110105********002X");
        assert_eq!(mask_resident_id("short"), "*****");
    }
}
