//! Transactions and practice payments: `GET /v1/wallets/{id}/transactions` (newest first,
//! cursor-paged), `GET /v1/transactions/{id}`, `POST /v1/payments`.
//!
//! A payment is checked against the wallet's state and the limits in force (see `wallets`),
//! then moves the balance and adds a transaction in one transaction, which enters the change
//! feed as a `transaction` (and the wallet as a `wallet`).

use crate::extract::{Path, Query};
use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use crate::store::{Counts, add_to_stats};
use crate::wallets::{self, yuan};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use serde::Deserialize;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use walletdesk_core::domain::Money;
use walletdesk_corebank::v1;

/// Wrong payment passwords in a row that freeze a wallet's payments (DOMAIN.md).
pub(crate) const MAX_WRONG_PASSWORDS: i64 = 5;
const DEFAULT_PAGE: u32 = 50;
const MAX_TEXT_CHARS: usize = 64;
const COLUMNS: &str = "id, wallet_id, at, amount_fen, direction, counterparty, memo";

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "transaction store access failed");
    Problem::internal()
}

fn from_row(row: &SqliteRow) -> Result<v1::Transaction, sqlx::Error> {
    Ok(v1::Transaction {
        id: row.try_get::<i64, _>("id")?.to_string(),
        wallet_id: row.try_get("wallet_id")?,
        at: row.try_get("at")?,
        amount: yuan(row.try_get("amount_fen")?),
        direction: row.try_get("direction")?,
        counterparty: row.try_get("counterparty")?,
        memo: row.try_get("memo")?,
        balance_after: None,
    })
}

/// The feed's renderer: transactions `ids`.
pub async fn render(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    let select_from = format!("SELECT {COLUMNS} FROM transactions");
    crate::changes::render_numeric(conn, &select_from, ids, from_row, |r: &v1::Transaction| {
        r.id.clone()
    })
    .await
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<v1::Transaction>, Problem> {
    let not_found = || {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            Some(format!("no transaction {id:?}")),
        )
    };
    let number = id
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0 && n.to_string() == id)
        .ok_or_else(not_found)?;
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM transactions WHERE id = ?"))
        .bind(number)
        .fetch_optional(state.store.pool())
        .await
        .map_err(internal)?
        .ok_or_else(not_found)?;
    Ok(Json(from_row(&row).map_err(internal)?))
}

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    after: Option<String>,
    limit: Option<u32>,
}

pub async fn list(
    State(state): State<AppState>,
    Path(wallet): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<v1::TransactionPage>, Problem> {
    let invalid = |detail: String| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid-query",
            "Invalid query",
            Some(detail),
        )
    };
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=v1::TRANSACTIONS_MAX_LIMIT).contains(&limit) {
        return Err(invalid(format!(
            "limit: 1 to {}, not {limit}",
            v1::TRANSACTIONS_MAX_LIMIT
        )));
    }
    // A cursor names the last transaction of a page by its time and id (`<at>~<id>`): the
    // order is newest first by time, ties by id, and a keyset on both keeps deep pages cheap.
    let after = match query.after.as_deref() {
        None => None,
        Some(text) => v1::parse_transaction_cursor(text)
            .ok_or_else(|| invalid(format!("after: {text:?} is not a cursor")))?,
    };
    let mut conn = state.store.pool().acquire().await.map_err(internal)?;
    let wallet = wallets::load(&mut conn, &wallet).await?;
    let mut sql = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {COLUMNS} FROM transactions WHERE wallet_id = "
    ));
    sql.push_bind(&wallet.id);
    if let Some((at, id)) = &after {
        sql.push(" AND (at < ")
            .push_bind(at)
            .push(" OR (at = ")
            .push_bind(at)
            .push(" AND id < ")
            .push_bind(*id)
            .push("))");
    }
    sql.push(" ORDER BY at DESC, id DESC LIMIT ")
        .push_bind(i64::from(limit) + 1);
    let rows = sql.build().fetch_all(&mut *conn).await.map_err(internal)?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let transactions: Vec<v1::Transaction> = rows
        .iter()
        .take(limit)
        .map(from_row)
        .collect::<Result<_, _>>()
        .map_err(internal)?;
    let next_cursor = if rows.len() > limit {
        transactions.last().map(|t| format!("{}~{}", t.at, t.id))
    } else {
        None
    };
    Ok(Json(v1::TransactionPage {
        transactions,
        next_cursor,
    }))
}

pub async fn pay(
    State(state): State<AppState>,
    request: Idempotent<v1::PaymentRequest>,
) -> Response {
    let write = Pay(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

fn refusal(status: StatusCode, slug: &str, title: &str, detail: String) -> Problem {
    Problem::new(status, slug, title, Some(detail))
}

fn invalid(detail: String) -> Problem {
    refusal(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
        "Validation failed",
        detail,
    )
}

fn over(slug: &str, title: &str, what: &str, limit: i64, would_be: i64) -> Problem {
    refusal(
        StatusCode::UNPROCESSABLE_ENTITY,
        slug,
        title,
        format!(
            "{what} would be {}; the limit is {}",
            yuan(would_be),
            yuan(limit)
        ),
    )
}

fn text_field(field: &str, text: &str, required: bool) -> Result<String, Problem> {
    let text = text.trim();
    let chars = text.chars().count();
    if (required && chars == 0) || chars > MAX_TEXT_CHARS || text.chars().any(char::is_control) {
        return Err(invalid(format!(
            "{field}: at most {MAX_TEXT_CHARS} characters"
        )));
    }
    Ok(text.to_owned())
}

fn year_start(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day)
}

#[derive(Debug)]
struct Pay(v1::PaymentRequest);

impl Write for Pay {
    const OPERATION: &'static str = "payment";
    // A wrong password is answered 422 but must still be counted (and the 5th must freeze),
    // so that refusal is a committed answer rather than an `Err`, which would roll it back.
    type Output = serde_json::Value;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, serde_json::Value), Problem> {
        let request = self.0;
        let outgoing = match request.direction.as_str() {
            "out" => true,
            "in" => false,
            other => {
                return Err(invalid(format!(
                    "direction: \"in\" or \"out\", not {other:?}"
                )));
            }
        };
        // The documented form first (v1::AMOUNT_PATTERN), so the sandbox takes exactly what
        // the contract says; then the money rules.
        let amount = Some(&request.amount)
            .filter(|text| v1::is_valid_amount(text))
            .and_then(|text| Money::parse(text).ok())
            .filter(|m| m.amount().is_sign_positive() && !m.amount().is_zero())
            .and_then(|m| m.to_minor_units().ok())
            .ok_or_else(|| {
                invalid("amount: a decimal string above 0 with at most two places".to_owned())
            })?;
        let counterparty = text_field("counterparty", &request.counterparty, true)?;
        let memo = text_field("memo", request.memo.as_deref().unwrap_or_default(), false)?;

        let wallet = wallets::load(conn, &request.wallet_id).await?;
        if wallet.status == "closed" {
            return Err(wallets::closed(&wallet.id));
        }
        if wallet.status == "frozen" {
            return Err(refusal(
                StatusCode::CONFLICT,
                "wallet-frozen",
                "Wallet frozen",
                format!("wallet {} is frozen", wallet.id),
            ));
        }
        if outgoing {
            if wallet.payments_frozen {
                return Err(refusal(
                    StatusCode::CONFLICT,
                    "payments-frozen",
                    "Payments frozen",
                    format!(
                        "{MAX_WRONG_PASSWORDS} wrong payment passwords froze this wallet's \
                         payments; staff unfreeze it"
                    ),
                ));
            }
            if request.payment_password.as_deref() != Some(v1::SANDBOX_PAYMENT_PASSWORD) {
                let wrong = wallet.wrong_password_count + 1;
                let freezes = wrong >= MAX_WRONG_PASSWORDS;
                sqlx::query(
                    "UPDATE wallets SET wrong_password_count = ?, payments_frozen = ? \
                     WHERE id = ?",
                )
                .bind(wrong)
                .bind(freezes)
                .bind(&wallet.id)
                .execute(&mut *conn)
                .await
                .map_err(internal)?;
                if freezes {
                    crate::changes::record(conn, "wallet", &wallet.id, now)
                        .await
                        .map_err(internal)?;
                }
                let detail = if freezes {
                    format!("wrong payment password; {MAX_WRONG_PASSWORDS} in a row froze payments")
                } else {
                    format!(
                        "wrong payment password; {} more freeze payments",
                        MAX_WRONG_PASSWORDS - wrong
                    )
                };
                let problem = v1::Problem {
                    kind: v1::problem_types::PAYMENT_PASSWORD_WRONG.to_owned(),
                    title: "Wrong payment password".to_owned(),
                    status: StatusCode::UNPROCESSABLE_ENTITY.as_u16(),
                    detail: Some(detail),
                    tries_remaining: None,
                };
                let body = serde_json::to_value(problem).map_err(internal)?;
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, body));
            }
        }

        let day = wallets::china_day(now);
        let applied = wallets::applied_limits(conn, &wallet, day).await?;
        let limits = applied.limits;
        let balance_after = if outgoing {
            if let Some(limit) = limits.one_payment.filter(|l| amount > *l) {
                return Err(over(
                    "limit-one-payment",
                    "Over the one-payment limit",
                    "this payment",
                    limit,
                    amount,
                ));
            }
            let today = wallets::paid_out_since(conn, &wallet.id, day).await? + amount;
            if let Some(limit) = limits.per_day.filter(|l| today > *l) {
                return Err(over(
                    "limit-daily",
                    "Over the daily limit",
                    "today's payments",
                    limit,
                    today,
                ));
            }
            let year = wallets::paid_out_since(conn, &wallet.id, year_start(day)).await? + amount;
            if let Some(limit) = limits.per_year.filter(|l| year > *l) {
                return Err(over(
                    "limit-yearly",
                    "Over the yearly limit",
                    "this year's payments",
                    limit,
                    year,
                ));
            }
            if amount > wallet.balance_fen {
                return Err(refusal(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "insufficient-funds",
                    "Insufficient funds",
                    format!("the balance is {}", yuan(wallet.balance_fen)),
                ));
            }
            wallet.balance_fen - amount
        } else {
            let after = wallet
                .balance_fen
                .checked_add(amount)
                .ok_or_else(|| invalid("amount: too large".to_owned()))?;
            if let Some(cap) = limits.balance_cap.filter(|c| after > *c) {
                return Err(over(
                    "limit-balance-cap",
                    "Over the balance cap",
                    "the balance",
                    cap,
                    after,
                ));
            }
            after
        };

        sqlx::query("UPDATE wallets SET balance_fen = ?, wrong_password_count = 0 WHERE id = ?")
            .bind(balance_after)
            .bind(&wallet.id)
            .execute(&mut *conn)
            .await
            .map_err(internal)?;
        let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO transactions (wallet_id, at, amount_fen, direction, counterparty, memo) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&wallet.id)
        .bind(&at)
        .bind(amount)
        .bind(&request.direction)
        .bind(&counterparty)
        .bind(&memo)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
        let added = Counts {
            customers: 0,
            wallets: 0,
            transactions: 1,
        };
        add_to_stats(conn, added).await.map_err(internal)?;
        crate::insights::on_payment(conn, wallet.customer_id, &wallet.holder, now)
            .await
            .map_err(internal)?;
        crate::changes::record(conn, "transaction", &id.to_string(), now)
            .await
            .map_err(internal)?;
        crate::changes::record(conn, "wallet", &wallet.id, now)
            .await
            .map_err(internal)?;
        let body = serde_json::to_value(v1::Transaction {
            id: id.to_string(),
            wallet_id: wallet.id,
            at,
            amount: yuan(amount),
            direction: request.direction,
            counterparty,
            memo,
            balance_after: Some(yuan(balance_after)),
        })
        .map_err(internal)?;
        Ok((StatusCode::CREATED, body))
    }
}

/// Moves `amount` fen into or out of `wallet` as one transaction row, keeping the balance,
/// the counts and the feed in step, and answers the new transaction's id. No limits are
/// checked: this is for corrections (dispute credits and reversals), not for payments.
pub async fn book(
    conn: &mut SqliteConnection,
    wallet: &str,
    direction: &str,
    amount: i64,
    counterparty: &str,
    memo: &str,
    now: DateTime<Utc>,
) -> Result<i64, Problem> {
    let balance: i64 = sqlx::query_scalar("SELECT balance_fen FROM wallets WHERE id = ?")
        .bind(wallet)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
    let after = if direction == "out" {
        balance.checked_sub(amount).filter(|b| *b >= 0)
    } else {
        balance.checked_add(amount)
    }
    .ok_or_else(|| {
        refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "insufficient-funds",
            "Insufficient funds",
            format!("the balance is {}", yuan(balance)),
        )
    })?;
    sqlx::query("UPDATE wallets SET balance_fen = ? WHERE id = ?")
        .bind(after)
        .bind(wallet)
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO transactions \
         (wallet_id, at, amount_fen, direction, counterparty, memo, kind) \
         VALUES (?, ?, ?, ?, ?, ?, 'correction') RETURNING id",
    )
    .bind(wallet)
    .bind(now.to_rfc3339_opts(SecondsFormat::Secs, true))
    .bind(amount)
    .bind(direction)
    .bind(counterparty)
    .bind(memo)
    .fetch_one(&mut *conn)
    .await
    .map_err(internal)?;
    let added = Counts {
        customers: 0,
        wallets: 0,
        transactions: 1,
    };
    add_to_stats(conn, added).await.map_err(internal)?;
    crate::changes::record(conn, "transaction", &id.to_string(), now)
        .await
        .map_err(internal)?;
    crate::changes::record(conn, "wallet", wallet, now)
        .await
        .map_err(internal)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_name_a_time_and_an_id() {
        let parse_cursor = |text| v1::parse_transaction_cursor(text).flatten();
        assert_eq!(
            parse_cursor("2025-03-01T08:00:00Z~42"),
            Some(("2025-03-01T08:00:00Z".to_owned(), 42))
        );
        assert_eq!(parse_cursor("42"), None);
        assert_eq!(parse_cursor("yesterday~42"), None);
        assert_eq!(parse_cursor("2025-03-01T08:00:00Z~x"), None);
    }
}
