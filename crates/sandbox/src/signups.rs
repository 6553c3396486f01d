//! Quick sign-ups (`POST /v1/signups`): a tier 4 wallet for the mobile alone, as a booth
//! queues it, offline if need be. The core finds or creates the customer by the normalised
//! mobile (so the same person signed up at two booths is one customer), verifies the mobile
//! (the sandbox simulates the one-time code the console deferred), records the consents, opens
//! the wallet, and claims the campaign's incentive once per person: keyed on `personKey` (the
//! campaign and the normalised mobile, hashed by the console), never on the sign-up. The
//! incentive's outcome is part of the answer, not a refusal of the sign-up: the customer is
//! signed up either way, and staff are told "already claimed" or "budget exhausted".

use crate::customers::contract_mobile;
use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use crate::store::{Counts, add_to_stats};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{Row, SqliteConnection};
use walletdesk_core::domain::Money;
use walletdesk_corebank::v1;

/// The consents a wallet cannot be opened without (the onboarding wizard's required ones).
const REQUIRED_CONSENTS: [&str; 2] = ["general-processing", "sensitive-financial"];

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "sign-up store access failed");
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

pub async fn sign_up(
    State(state): State<AppState>,
    request: Idempotent<v1::NewSignUp>,
) -> Response {
    let write = SignUp(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

/// Also what a self sign-up through a QR code's link runs ([`crate::links`]).
#[derive(Debug)]
pub(crate) struct SignUp(pub(crate) v1::NewSignUp);

impl Write for SignUp {
    const OPERATION: &'static str = "sign-up";
    type Output = v1::SignUp;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::SignUp), Problem> {
        let s = self.0;
        let external_id = s.external_id.trim().to_ascii_lowercase();
        if !v1::is_valid_external_id(&external_id) {
            return Err(invalid("externalId: a UUID".to_owned()));
        }
        let mobile = contract_mobile(&s.mobile).map_err(invalid)?;
        let name = s
            .name
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_owned();
        if name.chars().count() > 64 || name.chars().any(char::is_control) {
            return Err(invalid("name: at most 64 characters".to_owned()));
        }
        for (field, code) in [("campaign", &s.campaign), ("booth", &s.booth)] {
            if !v1::is_valid_campaign_code(code) {
                return Err(invalid(format!("{field}: a campaign or booth code")));
            }
        }
        let staff = s.staff_id.trim();
        if staff.is_empty() || staff.chars().count() > 64 {
            return Err(invalid("staffId: 1 to 64 characters".to_owned()));
        }
        if !matches!(s.channel.as_str(), "booth" | "counter" | "qr") {
            return Err(invalid("channel: booth, counter or qr".to_owned()));
        }
        for required in REQUIRED_CONSENTS {
            if !s.consents.iter().any(|c| c.scope == required) {
                return Err(invalid(format!(
                    "consents: {required} is required to open a wallet"
                )));
            }
        }
        for c in &s.consents {
            if !matches!(
                c.scope.as_str(),
                "general-processing" | "sensitive-financial"
            ) || c.version.trim().is_empty()
                || c.version.chars().count() > 32
            {
                return Err(invalid(format!(
                    "consents: {:?} is not a consent a sign-up records",
                    c.scope
                )));
            }
        }
        let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        // The same person at two booths: the mobile is the customer's, whoever came first.
        let known: Option<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE mobile = ?")
            .bind(mobile.expose())
            .fetch_optional(&mut *conn)
            .await
            .map_err(internal)?;
        let (customer, created) = match known {
            Some(id) => (id, false),
            None => {
                let taken: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM customers WHERE external_id = ?")
                        .bind(&external_id)
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(internal)?;
                if taken.is_some() {
                    return Err(Problem::new(
                        StatusCode::CONFLICT,
                        "duplicate-customer",
                        "Customer already exists",
                        Some("another customer has this externalId".to_owned()),
                    ));
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO customers (name, mobile, created_at, external_id, \
                     mobile_verified_at, campaign, booth, staff_id, channel) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(&name)
                .bind(mobile.expose())
                .bind(&at)
                .bind(&external_id)
                // The sandbox's simulated SMS: the code the console could not send offline is
                // sent and answered as the queue arrives.
                .bind(&at)
                // The first sign-up wins the customer: a second booth's finds it attributed.
                .bind(&s.campaign)
                .bind(&s.booth)
                .bind(staff)
                .bind(&s.channel)
                .fetch_one(&mut *conn)
                .await
                .map_err(internal)?;
                add_to_stats(
                    conn,
                    Counts {
                        customers: 1,
                        wallets: 0,
                        transactions: 0,
                    },
                )
                .await
                .map_err(internal)?;
                crate::changes::record(conn, "customer", &id.to_string(), now)
                    .await
                    .map_err(internal)?;
                crate::insights::on_sign_up(conn, id)
                    .await
                    .map_err(internal)?;
                (id, true)
            }
        };
        // A known customer verifies the mobile now if it never was (the simulated SMS).
        sqlx::query(
            "UPDATE customers SET mobile_verified_at = COALESCE(mobile_verified_at, ?) \
             WHERE id = ?",
        )
        .bind(&at)
        .bind(customer)
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
        for c in &s.consents {
            // The live grant stays when the person consented before (at another booth).
            sqlx::query(
                "INSERT INTO consents (customer_id, scope, version, status, granted_at) \
                 SELECT ?, ?, ?, 'granted', ? WHERE NOT EXISTS (SELECT 1 FROM consents \
                 WHERE customer_id = ? AND scope = ? AND status = 'granted')",
            )
            .bind(customer)
            .bind(&c.scope)
            .bind(c.version.trim())
            .bind(&at)
            .bind(customer)
            .bind(&c.scope)
            .execute(&mut *conn)
            .await
            .map_err(internal)?;
        }
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM consents WHERE customer_id = ? AND granted_at = ? AND status = 'granted'",
        )
        .bind(customer)
        .bind(&at)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal)?;
        for id in ids {
            crate::changes::record(conn, "consent", &id.to_string(), now)
                .await
                .map_err(internal)?;
        }
        let wallet: Option<String> = if created {
            let id = crate::wallets::next_wallet_number(conn).await?;
            sqlx::query(
                "INSERT INTO wallets (id, customer_id, tier, balance_fen, status, opened_at, \
                 operator_bank) VALUES (?, ?, 4, 0, 'active', ?, ?)",
            )
            .bind(&id)
            .bind(customer)
            .bind(&at)
            .bind(v1::DEFAULT_OPERATOR_BANK)
            .execute(&mut *conn)
            .await
            .map_err(internal)?;
            add_to_stats(
                conn,
                Counts {
                    customers: 0,
                    wallets: 1,
                    transactions: 0,
                },
            )
            .await
            .map_err(internal)?;
            crate::changes::record(conn, "wallet", &id, now)
                .await
                .map_err(internal)?;
            Some(id)
        } else {
            sqlx::query_scalar("SELECT MIN(id) FROM wallets WHERE customer_id = ?")
                .bind(customer)
                .fetch_one(&mut *conn)
                .await
                .map_err(internal)?
        };
        let (incentive, incentive_detail) = match &s.claim {
            None => ("none".to_owned(), None),
            Some(claim) => {
                let amount = Some(claim.amount.as_str())
                    .filter(|t| v1::is_valid_amount(t))
                    .and_then(|t| Money::parse(t).ok())
                    .and_then(|m| m.to_minor_units().ok())
                    .filter(|fen| *fen > 0)
                    .ok_or_else(|| invalid("claim.amount: a decimal string above 0".to_owned()))?;
                let key = claim.person_key.trim();
                if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(invalid("claim.personKey: 64 hex digits".to_owned()));
                }
                let paid = crate::complaints::pay(
                    conn,
                    crate::complaints::Payment {
                        campaign: &s.campaign,
                        booth: &s.booth,
                        staff,
                        customer,
                        amount_fen: amount,
                        person_key: Some(&key.to_ascii_lowercase()),
                    },
                    now,
                )
                .await;
                match paid {
                    Ok(_) => ("granted".to_owned(), None),
                    Err(problem) if problem.status().is_client_error() => {
                        let slug = problem.slug().to_owned();
                        let outcome = match slug.as_str() {
                            "duplicate-claim" => "already-claimed",
                            "budget-exhausted" => "budget-exhausted",
                            _ => "not-eligible",
                        };
                        (outcome.to_owned(), problem.detail().map(str::to_owned))
                    }
                    Err(problem) => return Err(problem),
                }
            }
        };
        let row = sqlx::query("SELECT external_id FROM customers WHERE id = ?")
            .bind(customer)
            .fetch_one(&mut *conn)
            .await
            .map_err(internal)?;
        Ok((
            StatusCode::OK,
            v1::SignUp {
                customer_id: customer.to_string(),
                customer_external_id: row.try_get("external_id").map_err(internal)?,
                created,
                wallet_id: wallet,
                mobile_verified: true,
                incentive,
                incentive_detail,
            },
        ))
    }
}
