//! Identity and risk: one-time codes to a mobile (`POST /v1/otp`, `POST /v1/otp/verify`),
//! the identity authority's name-and-ID check (`POST /v1/identity-checks`) and watchlist
//! screening (`POST /v1/screenings`).
//!
//! Everything here is deterministic except the codes themselves, which the sandbox logs and
//! returns as `trainingCode`: a real core sends them by SMS and never returns them.

use crate::customers;
use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection};
use walletdesk_core::domain::{Mobile, ResidentId};
use walletdesk_corebank::v1;

const OTP_DIGITS: usize = 6;
const OTP_VALID_SECONDS: i64 = 300;
const OTP_MAX_ATTEMPTS: i64 = 5;
const MAX_PURPOSE_CHARS: usize = 64;
/// Resident ID sequences (characters 15 to 17) the sandbox answers deterministically for.
const SEQUENCE_ALWAYS_MISMATCH: &str = "998";
const SEQUENCE_ALWAYS_HIT: &str = "999";

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "identity store access failed");
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

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn sequence(resident_id: &str) -> &str {
    resident_id.get(14..17).unwrap_or_default()
}

pub async fn send_otp(
    State(state): State<AppState>,
    request: Idempotent<v1::OtpRequest>,
) -> Response {
    let write = SendOtp(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

pub async fn verify_otp(
    State(state): State<AppState>,
    request: Idempotent<v1::OtpVerification>,
) -> Response {
    let write = VerifyOtp(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

pub async fn check_identity(
    State(state): State<AppState>,
    request: Idempotent<v1::IdentityCheckRequest>,
) -> Response {
    let write = CheckIdentity(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

pub async fn screen(
    State(state): State<AppState>,
    request: Idempotent<v1::ScreeningRequest>,
) -> Response {
    let write = Screen(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

#[derive(Debug)]
struct SendOtp(v1::OtpRequest);

impl Write for SendOtp {
    const OPERATION: &'static str = "send-otp";
    type Output = v1::OtpChallenge;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::OtpChallenge), Problem> {
        let mobile = crate::customers::contract_mobile(&self.0.mobile).map_err(invalid)?;
        let purpose = self.0.purpose.as_deref().map(str::trim);
        if purpose.is_some_and(|p| p.chars().count() > MAX_PURPOSE_CHARS) {
            return Err(invalid(format!(
                "purpose: at most {MAX_PURPOSE_CHARS} characters"
            )));
        }
        let code = format!("{:0OTP_DIGITS$}", rand::rng().random_range(0..1_000_000));
        let expires_at = stamp(now + chrono::Duration::seconds(OTP_VALID_SECONDS));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO otp_challenges (mobile, purpose, code_sha256, created_at, expires_at) \
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(mobile.expose())
        .bind(purpose)
        .bind(sha256(&code))
        .bind(stamp(now))
        .bind(&expires_at)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
        // The sandbox's stand-in for the SMS gateway: the code reaches the trainer in the
        // answer's trainingCode, never in the log (a log outlives the code's use and is read by
        // people who must not be able to pass a customer's check).
        tracing::info!(challenge = id, mobile = %mobile.masked(), "sandbox OTP sent");
        Ok((
            StatusCode::CREATED,
            v1::OtpChallenge {
                challenge_id: id.to_string(),
                masked_mobile: mobile.masked(),
                expires_at,
                training_code: Some(code),
            },
        ))
    }
}

#[derive(Debug)]
struct VerifyOtp(v1::OtpVerification);

fn otp_refusal(kind: &str, title: &str, detail: String) -> Problem {
    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, kind, title, Some(detail))
}

impl Write for VerifyOtp {
    const OPERATION: &'static str = "verify-otp";
    // A wrong code is answered 422 but its attempt must still count, so that refusal is a
    // committed answer (a problem body) rather than an `Err`, which would roll it back.
    type Output = serde_json::Value;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, serde_json::Value), Problem> {
        let not_found = || {
            Problem::new(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                Some(format!("no OTP challenge {:?}", self.0.challenge_id)),
            )
        };
        let id = self
            .0
            .challenge_id
            .parse::<i64>()
            .map_err(|_| not_found())?;
        let row = sqlx::query(
            "SELECT mobile, code_sha256, expires_at, attempts, verified_at \
             FROM otp_challenges WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(internal)?
        .ok_or_else(not_found)?;
        let mobile: String = row.try_get("mobile").map_err(internal)?;
        let expected: String = row.try_get("code_sha256").map_err(internal)?;
        let expires_at: String = row.try_get("expires_at").map_err(internal)?;
        let attempts: i64 = row.try_get("attempts").map_err(internal)?;
        let verified_at: Option<String> = row.try_get("verified_at").map_err(internal)?;
        if verified_at.is_some() {
            return Err(otp_refusal(
                "otp-already-used",
                "Code already used",
                "this code was verified once already; send a new one".to_owned(),
            ));
        }
        if attempts >= OTP_MAX_ATTEMPTS {
            return Err(otp_refusal(
                "otp-attempts-exhausted",
                "Too many wrong codes",
                format!("{OTP_MAX_ATTEMPTS} wrong attempts used up this code; send a new one"),
            ));
        }
        // Both are fixed-width UTC text, so text order is time order.
        if stamp(now) > expires_at {
            return Err(otp_refusal(
                "otp-expired",
                "Code expired",
                format!("the code expired at {expires_at}; send a new one"),
            ));
        }
        let masked_mobile = Mobile::parse(&mobile)
            .map(|m| m.masked())
            .unwrap_or_else(|_| "***********".to_owned());
        if sha256(self.0.code.trim()) != expected {
            sqlx::query("UPDATE otp_challenges SET attempts = attempts + 1 WHERE id = ?")
                .bind(id)
                .execute(&mut *conn)
                .await
                .map_err(internal)?;
            let left = OTP_MAX_ATTEMPTS - attempts - 1;
            let problem = v1::Problem {
                kind: v1::problem_types::OTP_WRONG_CODE.to_owned(),
                title: "Wrong code".to_owned(),
                status: StatusCode::UNPROCESSABLE_ENTITY.as_u16(),
                detail: Some(format!("wrong code; {left} attempts left")),
                tries_remaining: None,
            };
            let body = serde_json::to_value(problem).map_err(internal)?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body));
        }
        let verified_at = stamp(now);
        sqlx::query("UPDATE otp_challenges SET verified_at = ? WHERE id = ?")
            .bind(&verified_at)
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(internal)?;
        let body = serde_json::to_value(v1::OtpVerified {
            challenge_id: id.to_string(),
            masked_mobile,
            verified_at,
        })
        .map_err(internal)?;
        Ok((StatusCode::OK, body))
    }
}

#[derive(Debug)]
struct CheckIdentity(v1::IdentityCheckRequest);

impl Write for CheckIdentity {
    const OPERATION: &'static str = "check-identity";
    type Output = v1::IdentityCheck;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::IdentityCheck), Problem> {
        let name = self.0.name.trim();
        if name.is_empty() {
            return Err(invalid("name: required".to_owned()));
        }
        let resident_id = ResidentId::parse(&self.0.resident_id)
            .map_err(|err| invalid(format!("residentId: {err}")))?;
        let holder: Option<String> =
            sqlx::query_scalar("SELECT name FROM customers WHERE resident_id = ?")
                .bind(resident_id.expose())
                .fetch_optional(&mut *conn)
                .await
                .map_err(internal)?;
        let mismatch = holder.is_some_and(|holder| holder != name)
            || sequence(resident_id.expose()) == SEQUENCE_ALWAYS_MISMATCH;
        Ok((
            StatusCode::OK,
            v1::IdentityCheck {
                result: if mismatch { "mismatch" } else { "match" }.to_owned(),
                masked_resident_id: resident_id.masked(),
                checked_at: stamp(now),
            },
        ))
    }
}

#[derive(Debug)]
struct Screen(v1::ScreeningRequest);

impl Write for Screen {
    const OPERATION: &'static str = "screen";
    type Output = v1::Screening;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Screening), Problem> {
        let (customer, name, resident_id) = match &self.0.customer_id {
            Some(reference) => {
                if self.0.name.is_some() || self.0.resident_id.is_some() {
                    return Err(invalid(
                        "customerId screens the customer's own name and ID: leave name and \
                         residentId out"
                            .to_owned(),
                    ));
                }
                let id = customers::resolve(conn, reference).await?;
                let row = sqlx::query("SELECT name, resident_id FROM customers WHERE id = ?")
                    .bind(id)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(internal)?;
                let name: String = row.try_get("name").map_err(internal)?;
                let resident_id: Option<String> = row.try_get("resident_id").map_err(internal)?;
                (Some(id), name, resident_id)
            }
            None => {
                let name = self.0.name.as_deref().map(str::trim).unwrap_or_default();
                if name.is_empty() {
                    return Err(invalid("name or customerId: one is required".to_owned()));
                }
                let resident_id = self
                    .0
                    .resident_id
                    .as_deref()
                    .map(|id| {
                        ResidentId::parse(id)
                            .map(|id| id.expose().to_owned())
                            .map_err(|err| invalid(format!("residentId: {err}")))
                    })
                    .transpose()?;
                (None, name.to_owned(), resident_id)
            }
        };
        let listed: Option<String> =
            sqlx::query_scalar("SELECT reason FROM watchlist WHERE name = ?")
                .bind(&name)
                .fetch_optional(&mut *conn)
                .await
                .map_err(internal)?;
        let reason = listed.or_else(|| {
            resident_id
                .as_deref()
                .filter(|id| sequence(id) == SEQUENCE_ALWAYS_HIT)
                .map(|_| "sandbox rule: resident ID sequence 999 always hits".to_owned())
        });
        let result = if reason.is_some() { "hit" } else { "clear" };
        let screened_at = stamp(now);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO screenings (customer_id, name, masked_resident_id, result, reason, \
             screened_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(customer)
        .bind(&name)
        .bind(resident_id.as_deref().map(customers::mask_resident_id))
        .bind(result)
        .bind(&reason)
        .bind(&screened_at)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
        Ok((
            StatusCode::CREATED,
            v1::Screening {
                id: id.to_string(),
                customer_id: customer.map(|c| c.to_string()),
                result: result.to_owned(),
                reason,
                screened_at,
            },
        ))
    }
}
