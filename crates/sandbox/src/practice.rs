//! Practice payments (issue 13 item 5, contract 1.11.0): `POST /v1/practice-payments` and
//! `POST /v1/practice-payments/{id}/reversal`.
//!
//! An elderly customer learns to pay with play money in a practice wallet the sandbox keeps
//! per holder (`practice_wallets`, made on first use). Its tables are its own, so nothing that
//! reads real wallets (the change feed, reports, insights, limits, health counts) sees it. The
//! payment password is checked and counted exactly as `POST /v1/payments` counts a real one:
//! the 5th wrong one in a row freezes the practice wallet's payments, and every refusal says
//! how many tries remain (`triesRemaining`) so the console explains the core's count.

use crate::extract::Path;
use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use crate::transactions::MAX_WRONG_PASSWORDS;
use crate::wallets::yuan;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{Row, SqliteConnection};
use walletdesk_core::domain::Money;
use walletdesk_corebank::v1;

const MAX_TEXT_CHARS: usize = 64;

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "practice store access failed");
    Problem::internal()
}

fn invalid(detail: String) -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
        "Validation failed",
        Some(detail),
    )
}

/// A problem that carries the core's count of tries left (a committed answer: the count it
/// reports was stored in the same transaction).
fn with_tries(status: StatusCode, slug: &str, title: &str, detail: String, left: i64) -> Problem {
    let mut problem = Problem::new(status, slug, title, Some(detail));
    problem.set_tries_remaining(u32::try_from(left.max(0)).unwrap_or(0));
    problem
}

pub async fn pay(
    State(state): State<AppState>,
    request: Idempotent<v1::PracticePaymentRequest>,
) -> Response {
    let write = Pay(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

pub async fn reverse(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::Empty>,
) -> Response {
    idempotency::execute(&state.store, request, Reverse(id)).await
}

fn valid_holder(holder: &str) -> bool {
    (1..=64).contains(&holder.len())
        && holder
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b':')
}

/// The holder's practice wallet, made with the opening play money on first use.
async fn wallet_of(
    conn: &mut SqliteConnection,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<(String, i64, i64, bool), Problem> {
    let id = format!("P-{holder}");
    sqlx::query(
        "INSERT INTO practice_wallets (id, holder, balance_fen, created_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (holder) DO NOTHING",
    )
    .bind(&id)
    .bind(holder)
    .bind(v1::PRACTICE_OPENING_BALANCE_FEN)
    .bind(now.to_rfc3339_opts(SecondsFormat::Secs, true))
    .execute(&mut *conn)
    .await
    .map_err(internal)?;
    let row = sqlx::query(
        "SELECT id, balance_fen, wrong_password_count, payments_frozen FROM practice_wallets \
         WHERE holder = ?",
    )
    .bind(holder)
    .fetch_one(&mut *conn)
    .await
    .map_err(internal)?;
    Ok((
        row.try_get("id").map_err(internal)?,
        row.try_get("balance_fen").map_err(internal)?,
        row.try_get("wrong_password_count").map_err(internal)?,
        row.try_get("payments_frozen").map_err(internal)?,
    ))
}

#[derive(Debug)]
struct Pay(v1::PracticePaymentRequest);

impl Write for Pay {
    const OPERATION: &'static str = "practice-payment";
    // A wrong password is refused but counted (and the 5th freezes), so that refusal is a
    // committed answer rather than an `Err`, which would roll the count back.
    type Output = serde_json::Value;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, serde_json::Value), Problem> {
        let request = self.0;
        if !valid_holder(&request.holder) {
            return Err(invalid(
                "holder: 1 to 64 letters, digits, '-' or ':'".to_owned(),
            ));
        }
        let amount = Some(&request.amount)
            .filter(|text| v1::is_valid_amount(text))
            .and_then(|text| Money::parse(text).ok())
            .filter(|m| m.amount().is_sign_positive() && !m.amount().is_zero())
            .and_then(|m| m.to_minor_units().ok())
            .ok_or_else(|| {
                invalid("amount: a decimal string above 0 with at most two places".to_owned())
            })?;
        let counterparty = request.counterparty.trim().to_owned();
        let chars = counterparty.chars().count();
        if chars == 0 || chars > MAX_TEXT_CHARS || counterparty.chars().any(char::is_control) {
            return Err(invalid(format!(
                "counterparty: 1 to {MAX_TEXT_CHARS} characters"
            )));
        }
        if !(1..=32).contains(&request.payment_password.chars().count()) {
            return Err(invalid("paymentPassword: 1 to 32 characters".to_owned()));
        }
        let (wallet, balance, wrong, frozen) = wallet_of(conn, &request.holder, now).await?;
        if frozen {
            return Err(with_tries(
                StatusCode::CONFLICT,
                "payments-frozen",
                "Payments frozen",
                format!(
                    "{MAX_WRONG_PASSWORDS} wrong payment passwords froze this practice wallet's \
                     payments"
                ),
                0,
            ));
        }
        if request.payment_password != v1::SANDBOX_PAYMENT_PASSWORD {
            let wrong = wrong + 1;
            let freezes = wrong >= MAX_WRONG_PASSWORDS;
            sqlx::query(
                "UPDATE practice_wallets SET wrong_password_count = ?, payments_frozen = ? \
                 WHERE id = ?",
            )
            .bind(wrong)
            .bind(freezes)
            .bind(&wallet)
            .execute(&mut *conn)
            .await
            .map_err(internal)?;
            let left = MAX_WRONG_PASSWORDS - wrong;
            let detail = if freezes {
                format!("wrong payment password; {MAX_WRONG_PASSWORDS} in a row froze payments")
            } else {
                format!("wrong payment password; {left} more freeze payments")
            };
            let problem = with_tries(
                StatusCode::UNPROCESSABLE_ENTITY,
                "practice-password-wrong",
                "Wrong payment password",
                detail,
                left,
            );
            let body = serde_json::to_value(problem.problem()).map_err(internal)?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body));
        }
        if amount > balance {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "insufficient-funds",
                "Insufficient funds",
                Some(format!("the practice balance is {}", yuan(balance))),
            ));
        }
        let after = balance - amount;
        sqlx::query(
            "UPDATE practice_wallets SET balance_fen = ?, wrong_password_count = 0 WHERE id = ?",
        )
        .bind(after)
        .bind(&wallet)
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
        let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO practice_payments (wallet_id, at, amount_fen, counterparty, \
             balance_after_fen) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&wallet)
        .bind(&at)
        .bind(amount)
        .bind(&counterparty)
        .bind(after)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
        let body = serde_json::to_value(v1::PracticePayment {
            id: id.to_string(),
            wallet_id: wallet,
            holder: request.holder,
            practice: true,
            amount: yuan(amount),
            counterparty,
            at,
            practice_balance: yuan(after),
            reversed_at: None,
        })
        .map_err(internal)?;
        Ok((StatusCode::CREATED, body))
    }
}

#[derive(Debug)]
struct Reverse(String);

impl Write for Reverse {
    const OPERATION: &'static str = "practice-reversal";
    type Output = v1::PracticePayment;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::PracticePayment), Problem> {
        let not_found = || {
            Problem::new(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                Some(format!("no practice payment {:?}", self.0)),
            )
        };
        let number = self
            .0
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0 && n.to_string() == self.0)
            .ok_or_else(not_found)?;
        let row = sqlx::query(
            "SELECT p.wallet_id, p.at, p.amount_fen, p.counterparty, p.reversed_at, w.holder \
             FROM practice_payments p JOIN practice_wallets w ON w.id = p.wallet_id \
             WHERE p.id = ?",
        )
        .bind(number)
        .fetch_optional(&mut *conn)
        .await
        .map_err(internal)?
        .ok_or_else(not_found)?;
        let reversed: Option<String> = row.try_get("reversed_at").map_err(internal)?;
        if reversed.is_some() {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "practice-payment-reversed",
                "Already reversed",
                Some(format!("practice payment {number} was already reversed")),
            ));
        }
        let wallet: String = row.try_get("wallet_id").map_err(internal)?;
        let amount: i64 = row.try_get("amount_fen").map_err(internal)?;
        let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let after: i64 = sqlx::query_scalar(
            "UPDATE practice_wallets SET balance_fen = balance_fen + ? WHERE id = ? \
             RETURNING balance_fen",
        )
        .bind(amount)
        .bind(&wallet)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
        sqlx::query("UPDATE practice_payments SET reversed_at = ? WHERE id = ?")
            .bind(&at)
            .bind(number)
            .execute(&mut *conn)
            .await
            .map_err(internal)?;
        Ok((
            StatusCode::OK,
            v1::PracticePayment {
                id: number.to_string(),
                wallet_id: wallet,
                holder: row.try_get("holder").map_err(internal)?,
                practice: true,
                amount: yuan(amount),
                counterparty: row.try_get("counterparty").map_err(internal)?,
                at: row.try_get("at").map_err(internal)?,
                practice_balance: yuan(after),
                reversed_at: Some(at),
            },
        ))
    }
}
