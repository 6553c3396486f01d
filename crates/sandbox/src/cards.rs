//! Linked bank cards: `POST /v1/wallets/{id}/cards` (Luhn-checked, kept masked),
//! `GET /v1/wallets/{id}/cards`, `POST /v1/wallets/{id}/cards/{cardId}/unlink`. Every link
//! and unlink enters the change feed as a `card`.

use crate::extract::Path;
use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use crate::wallets;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use walletdesk_corebank::v1;

const MIN_DIGITS: usize = 13;
const MAX_DIGITS: usize = 19;
const MAX_BANK_NAME_CHARS: usize = 64;

const COLUMNS: &str = "id, wallet_id, masked_number, bank_name, status, linked_at, unlinked_at";

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "card store access failed");
    Problem::internal()
}

/// True when `digits` (ASCII digits) passes the Luhn check.
pub fn luhn_valid(digits: &str) -> bool {
    let Some((body, check)) = digits.split_at_checked(digits.len().saturating_sub(1)) else {
        return false;
    };
    !body.is_empty() && check.starts_with(crate::demo::luhn_check_digit(body))
}

/// `6222 **** **** 1234`: the first and last four shown, the middle starred in groups of four.
pub fn mask(digits: &str) -> String {
    let len = digits.len();
    if len < 8 {
        return "*".repeat(len);
    }
    let stars: Vec<String> = (0..len - 8)
        .step_by(4)
        .map(|start| "*".repeat((len - 8 - start).min(4)))
        .collect();
    format!(
        "{} {} {}",
        &digits[..4],
        stars.join(" "),
        &digits[len - 4..]
    )
}

fn from_row(row: &SqliteRow) -> Result<v1::LinkedCard, sqlx::Error> {
    Ok(v1::LinkedCard {
        id: row.try_get::<i64, _>("id")?.to_string(),
        wallet_id: row.try_get("wallet_id")?,
        masked_number: row.try_get("masked_number")?,
        bank_name: row.try_get("bank_name")?,
        status: row.try_get("status")?,
        linked_at: row.try_get("linked_at")?,
        unlinked_at: row.try_get("unlinked_at")?,
    })
}

async fn read(conn: &mut SqliteConnection, id: i64) -> Result<v1::LinkedCard, Problem> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM cards WHERE id = ?"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
    from_row(&row).map_err(internal)
}

/// The feed's renderer: cards `ids` as they are now.
pub async fn render(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    let select_from = format!("SELECT {COLUMNS} FROM cards");
    crate::changes::render_numeric(conn, &select_from, ids, from_row, |r: &v1::LinkedCard| {
        r.id.clone()
    })
    .await
}

/// Whether wallet `id` has a card linked now.
pub async fn has_linked_card(conn: &mut SqliteConnection, wallet: &str) -> Result<bool, Problem> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM cards WHERE wallet_id = ? AND status = 'linked' LIMIT 1",
    )
    .bind(wallet)
    .fetch_optional(&mut *conn)
    .await
    .map_err(internal)?;
    Ok(found.is_some())
}

pub async fn link(
    State(state): State<AppState>,
    Path(wallet): Path<String>,
    request: Idempotent<v1::NewCard>,
) -> Response {
    let write = Link {
        wallet,
        card: request.body.clone(),
    };
    idempotency::execute(&state.store, request, write).await
}

pub async fn list(
    State(state): State<AppState>,
    Path(wallet): Path<String>,
) -> Result<Json<v1::CardList>, Problem> {
    let mut conn = state.store.pool().acquire().await.map_err(internal)?;
    let wallet = wallets::load(&mut conn, &wallet).await?;
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cards WHERE wallet_id = ? ORDER BY id DESC"
    ))
    .bind(&wallet.id)
    .fetch_all(&mut *conn)
    .await
    .map_err(internal)?;
    let cards = rows
        .iter()
        .map(from_row)
        .collect::<Result<_, _>>()
        .map_err(internal)?;
    Ok(Json(v1::CardList { cards }))
}

pub async fn unlink(
    State(state): State<AppState>,
    Path((wallet, card)): Path<(String, String)>,
    request: Idempotent<v1::CardUnlink>,
) -> Response {
    let write = Unlink { wallet, card };
    idempotency::execute(&state.store, request, write).await
}

/// Shared by linking here and by opening a wallet with a card.
pub async fn insert(
    conn: &mut SqliteConnection,
    wallet: &str,
    number: &str,
    bank_name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, Problem> {
    let digits: String = number.chars().filter(|c| *c != ' ').collect();
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits.len())
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !luhn_valid(&digits)
    {
        // The number itself is never echoed: it is what the masking protects.
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "card-number-invalid",
            "Card number invalid",
            Some(format!(
                "a card number is {MIN_DIGITS} to {MAX_DIGITS} digits passing the Luhn check"
            )),
        ));
    }
    let bank_name = bank_name.map(str::trim).filter(|b| !b.is_empty());
    if bank_name.is_some_and(|b| b.chars().count() > MAX_BANK_NAME_CHARS) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation-failed",
            "Validation failed",
            Some(format!(
                "bankName: at most {MAX_BANK_NAME_CHARS} characters"
            )),
        ));
    }
    let inserted = sqlx::query_scalar(
        "INSERT INTO cards (wallet_id, masked_number, number_sha256, bank_name, status, \
         linked_at) VALUES (?, ?, ?, ?, 'linked', ?) RETURNING id",
    )
    .bind(wallet)
    .bind(mask(&digits))
    .bind(hex::encode(Sha256::digest(digits.as_bytes())))
    .bind(bank_name)
    .bind(now.to_rfc3339_opts(SecondsFormat::Secs, true))
    .fetch_one(&mut *conn)
    .await;
    let id: i64 = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(err)) if err.is_unique_violation() => {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "card-already-linked",
                "Card already linked",
                Some("this card is already linked to this wallet".to_owned()),
            ));
        }
        Err(err) => return Err(internal(err)),
    };
    crate::changes::record(conn, "card", &id.to_string(), now)
        .await
        .map_err(internal)?;
    Ok(id)
}

#[derive(Debug)]
struct Link {
    wallet: String,
    card: v1::NewCard,
}

impl Write for Link {
    const OPERATION: &'static str = "link-card";
    type Output = v1::LinkedCard;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::LinkedCard), Problem> {
        let wallet = wallets::load(conn, &self.wallet).await?;
        if wallet.status == "closed" {
            return Err(wallets::closed(&wallet.id));
        }
        let id = insert(
            conn,
            &wallet.id,
            &self.card.number,
            self.card.bank_name.as_deref(),
            now,
        )
        .await?;
        Ok((StatusCode::CREATED, read(conn, id).await?))
    }
}

#[derive(Debug)]
struct Unlink {
    wallet: String,
    card: String,
}

impl Write for Unlink {
    const OPERATION: &'static str = "unlink-card";
    type Output = v1::LinkedCard;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::LinkedCard), Problem> {
        let not_found = || {
            Problem::new(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                Some(format!(
                    "no card {:?} on wallet {:?}",
                    self.card, self.wallet
                )),
            )
        };
        let id = self.card.parse::<i64>().map_err(|_| not_found())?;
        let status: String =
            sqlx::query_scalar("SELECT status FROM cards WHERE id = ? AND wallet_id = ?")
                .bind(id)
                .bind(&self.wallet)
                .fetch_optional(&mut *conn)
                .await
                .map_err(internal)?
                .ok_or_else(not_found)?;
        // Unlinking an unlinked card changes nothing.
        if status == "linked" {
            sqlx::query("UPDATE cards SET status = 'unlinked', unlinked_at = ? WHERE id = ?")
                .bind(now.to_rfc3339_opts(SecondsFormat::Secs, true))
                .bind(id)
                .execute(&mut *conn)
                .await
                .map_err(internal)?;
            crate::changes::record(conn, "card", &id.to_string(), now)
                .await
                .map_err(internal)?;
        }
        Ok((StatusCode::OK, read(conn, id).await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_are_masked_to_first_and_last_four() {
        assert_eq!(mask("6222021234561234"), "6222 **** **** 1234");
        assert_eq!(mask("6222021234567891234"), "6222 **** **** *** 1234");
        assert_eq!(mask("4111111111111"), "4111 **** * 1111");
    }

    #[test]
    fn luhn_accepts_known_good_numbers_only() {
        assert!(luhn_valid("4111111111111111"));
        assert!(luhn_valid("79927398713"));
        assert!(!luhn_valid("4111111111111112"));
        assert!(!luhn_valid("7"));
    }
}
