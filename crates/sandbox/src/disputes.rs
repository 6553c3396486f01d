//! Disputed transactions: `POST /v1/disputes`, `GET /v1/disputes/{id}`, and the steps
//! `evidence`, `provisional-credit`, `decision`, `reverse`, `chargeback` under
//! `/v1/disputes/{id}/`. Every step enters the change feed as a `dispute`; money moves only as
//! transactions (see `transactions::book`).

use crate::extract::Path;
use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use crate::transactions;
use crate::wallets::yuan;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use walletdesk_corebank::v1;

/// Card chargeback windows, in days from the transaction (DOMAIN.md, disputed transactions).
const CHARGEBACK_DAYS: i64 = 120;
const DUPLICATE_CHARGEBACK_DAYS: i64 = 90;
const DUPLICATE_REASON: &str = "duplicate";
const MAX_SHORT_CHARS: usize = 64;
const MAX_LONG_CHARS: usize = 2000;
/// How dispute corrections appear in the wallet's history.
const COUNTERPARTY: &str = "争议处理";

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "dispute store access failed");
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

fn conflict(slug: &str, title: &str, detail: String) -> Problem {
    Problem::new(StatusCode::CONFLICT, slug, title, Some(detail))
}

fn text(field: &str, value: &str, max: usize) -> Result<String, Problem> {
    let value = value.trim();
    let chars = value.chars().count();
    if chars == 0 || chars > max {
        return Err(invalid(format!("{field}: 1 to {max} characters")));
    }
    Ok(value.to_owned())
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn not_found(what: &str, id: &str) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        Some(format!("no {what} {id:?}")),
    )
}

fn number(what: &str, id: &str) -> Result<i64, Problem> {
    id.parse::<i64>()
        .ok()
        .filter(|n| *n > 0 && n.to_string() == id)
        .ok_or_else(|| not_found(what, id))
}

/// Disputes `ids` with their evidence, as the contract shows them.
async fn read_many(conn: &mut SqliteConnection, ids: &[i64]) -> anyhow::Result<Vec<v1::Dispute>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = QueryBuilder::<Sqlite>::new(
        "SELECT id, transaction_id, wallet_id, amount_fen, reason, status, \
         provisional_credit_id, credit_id, reversal_id, findings, chargeback_reason_code, \
         chargeback_filed_at, opened_at, updated_at FROM disputes WHERE id IN ",
    );
    query.push_tuples(ids, |mut t, id| {
        t.push_bind(*id);
    });
    let rows = query.build().fetch_all(&mut *conn).await?;
    let mut evidence_query = QueryBuilder::<Sqlite>::new(
        "SELECT id, dispute_id, kind, description, added_at FROM dispute_evidence \
         WHERE dispute_id IN ",
    );
    evidence_query.push_tuples(ids, |mut t, id| {
        t.push_bind(*id);
    });
    evidence_query.push(" ORDER BY id");
    let evidence_rows = evidence_query.build().fetch_all(&mut *conn).await?;
    let id_text = |value: Option<i64>| value.map(|v| v.to_string());
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            let evidence = evidence_rows
                .iter()
                .filter(|e| e.try_get::<i64, _>("dispute_id").ok() == Some(id))
                .map(|e| {
                    Ok(v1::Evidence {
                        id: e.try_get::<i64, _>("id")?.to_string(),
                        kind: e.try_get("kind")?,
                        description: e.try_get("description")?,
                        added_at: e.try_get("added_at")?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Ok(v1::Dispute {
                id: id.to_string(),
                transaction_id: row.try_get::<i64, _>("transaction_id")?.to_string(),
                wallet_id: row.try_get("wallet_id")?,
                amount: yuan(row.try_get("amount_fen")?),
                reason: row.try_get("reason")?,
                status: row.try_get("status")?,
                provisional_credit_id: id_text(row.try_get("provisional_credit_id")?),
                credit_id: id_text(row.try_get("credit_id")?),
                reversal_id: id_text(row.try_get("reversal_id")?),
                findings: row.try_get("findings")?,
                chargeback_reason_code: row.try_get("chargeback_reason_code")?,
                chargeback_filed_at: row.try_get("chargeback_filed_at")?,
                evidence,
                opened_at: row.try_get("opened_at")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect()
}

async fn read(conn: &mut SqliteConnection, id: i64) -> Result<Option<v1::Dispute>, Problem> {
    Ok(read_many(conn, &[id]).await.map_err(internal)?.pop())
}

/// The feed's renderer.
pub async fn render(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    let ids: Vec<i64> = ids.iter().filter_map(|id| id.parse().ok()).collect();
    read_many(conn, &ids)
        .await?
        .into_iter()
        .map(|d| Ok((d.id.clone(), serde_json::to_value(d)?)))
        .collect()
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<v1::Dispute>, Problem> {
    let mut conn = state.store.pool().begin().await.map_err(internal)?;
    let dispute = read(&mut conn, number("dispute", &id)?)
        .await?
        .ok_or_else(|| not_found("dispute", &id))?;
    conn.commit().await.map_err(internal)?;
    Ok(Json(dispute))
}

/// One step on an existing dispute.
#[derive(Debug)]
enum Step {
    Evidence(v1::NewEvidence),
    ProvisionalCredit,
    Decide(v1::DisputeDecision),
    Reverse,
    Chargeback(v1::ChargebackRequest),
}

#[derive(Debug)]
struct OnDispute {
    id: String,
    step: Step,
}

pub async fn open(State(state): State<AppState>, request: Idempotent<v1::NewDispute>) -> Response {
    let write = Open(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

pub async fn add_evidence(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::NewEvidence>,
) -> Response {
    let step = Step::Evidence(request.body.clone());
    idempotency::execute(&state.store, request, OnDispute { id, step }).await
}

pub async fn provisional_credit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::Empty>,
) -> Response {
    let step = Step::ProvisionalCredit;
    idempotency::execute(&state.store, request, OnDispute { id, step }).await
}

pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::DisputeDecision>,
) -> Response {
    let step = Step::Decide(request.body.clone());
    idempotency::execute(&state.store, request, OnDispute { id, step }).await
}

pub async fn reverse(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::Empty>,
) -> Response {
    let step = Step::Reverse;
    idempotency::execute(&state.store, request, OnDispute { id, step }).await
}

pub async fn chargeback(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::ChargebackRequest>,
) -> Response {
    let step = Step::Chargeback(request.body.clone());
    idempotency::execute(&state.store, request, OnDispute { id, step }).await
}

#[derive(Debug)]
struct Open(v1::NewDispute);

impl Write for Open {
    const OPERATION: &'static str = "open-dispute";
    type Output = v1::Dispute;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Dispute), Problem> {
        let transaction = number("transaction", &self.0.transaction_id)?;
        let reason = text("reason", &self.0.reason, MAX_SHORT_CHARS)?;
        let row =
            sqlx::query("SELECT wallet_id, amount_fen, direction FROM transactions WHERE id = ?")
                .bind(transaction)
                .fetch_optional(&mut *conn)
                .await
                .map_err(internal)?
                .ok_or_else(|| not_found("transaction", &self.0.transaction_id))?;
        let wallet: String = row.try_get("wallet_id").map_err(internal)?;
        let amount: i64 = row.try_get("amount_fen").map_err(internal)?;
        let direction: String = row.try_get("direction").map_err(internal)?;
        if direction != "out" {
            return Err(invalid(
                "transactionId: only a payment out of the wallet can be disputed".to_owned(),
            ));
        }
        let at = stamp(now);
        let inserted = sqlx::query_scalar(
            "INSERT INTO disputes (transaction_id, wallet_id, amount_fen, reason, status, \
             opened_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id",
        )
        .bind(transaction)
        .bind(&wallet)
        .bind(amount)
        .bind(&reason)
        .bind(&at)
        .bind(&at)
        .fetch_one(&mut *conn)
        .await;
        let id: i64 = match inserted {
            Ok(id) => id,
            Err(sqlx::Error::Database(err)) if err.is_unique_violation() => {
                return Err(conflict(
                    "dispute-exists",
                    "Transaction already disputed",
                    format!("transaction {transaction} already has a dispute"),
                ));
            }
            Err(err) => return Err(internal(err)),
        };
        crate::changes::record(conn, "dispute", &id.to_string(), now)
            .await
            .map_err(internal)?;
        let dispute = read(conn, id).await?.ok_or_else(|| internal("vanished"))?;
        Ok((StatusCode::CREATED, dispute))
    }
}

impl Write for OnDispute {
    const OPERATION: &'static str = "dispute-step";
    type Output = v1::Dispute;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Dispute), Problem> {
        let id = number("dispute", &self.id)?;
        let dispute = read(conn, id)
            .await?
            .ok_or_else(|| not_found("dispute", &self.id))?;
        let amount = sqlx::query_scalar::<_, i64>("SELECT amount_fen FROM disputes WHERE id = ?")
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .map_err(internal)?;
        let is_open = dispute.status == "open";
        let decided = || {
            conflict(
                "dispute-decided",
                "Dispute decided",
                format!("dispute {id} is {}", dispute.status),
            )
        };
        let at = stamp(now);
        let status = match self.step {
            Step::Evidence(evidence) => {
                if !is_open {
                    return Err(decided());
                }
                let kind = text("kind", &evidence.kind, MAX_SHORT_CHARS)?;
                let description = text("description", &evidence.description, MAX_LONG_CHARS)?;
                sqlx::query(
                    "INSERT INTO dispute_evidence (dispute_id, kind, description, added_at) \
                     VALUES (?, ?, ?, ?)",
                )
                .bind(id)
                .bind(kind)
                .bind(description)
                .bind(&at)
                .execute(&mut *conn)
                .await
                .map_err(internal)?;
                StatusCode::CREATED
            }
            Step::ProvisionalCredit => {
                if !is_open {
                    return Err(decided());
                }
                if dispute.provisional_credit_id.is_some() {
                    return Err(conflict(
                        "provisional-credit-given",
                        "Provisional credit already given",
                        format!("dispute {id} already has a provisional credit"),
                    ));
                }
                let credit = transactions::book(
                    conn,
                    &dispute.wallet_id,
                    "in",
                    amount,
                    COUNTERPARTY,
                    &format!("争议 {id} 临时贷记"),
                    now,
                )
                .await?;
                sqlx::query("UPDATE disputes SET provisional_credit_id = ? WHERE id = ?")
                    .bind(credit)
                    .bind(id)
                    .execute(&mut *conn)
                    .await
                    .map_err(internal)?;
                StatusCode::OK
            }
            Step::Decide(decision) => {
                if !is_open {
                    return Err(decided());
                }
                let findings = text("findings", &decision.findings, MAX_LONG_CHARS)?;
                let status = match decision.in_favour_of.as_str() {
                    "customer" => "decided-customer",
                    "bank" => "decided-bank",
                    other => {
                        return Err(invalid(format!(
                            "inFavourOf: \"customer\" or \"bank\", not {other:?}"
                        )));
                    }
                };
                // For the customer without a provisional credit: the error is corrected now.
                // With one, it simply stands as final.
                let credit =
                    if status == "decided-customer" && dispute.provisional_credit_id.is_none() {
                        Some(
                            transactions::book(
                                conn,
                                &dispute.wallet_id,
                                "in",
                                amount,
                                COUNTERPARTY,
                                &format!("争议 {id} 更正"),
                                now,
                            )
                            .await?,
                        )
                    } else {
                        None
                    };
                sqlx::query(
                    "UPDATE disputes SET status = ?, findings = ?, credit_id = ? WHERE id = ?",
                )
                .bind(status)
                .bind(findings)
                .bind(credit)
                .bind(id)
                .execute(&mut *conn)
                .await
                .map_err(internal)?;
                StatusCode::OK
            }
            Step::Reverse => {
                if dispute.status != "decided-bank" || dispute.provisional_credit_id.is_none() {
                    return Err(conflict(
                        "nothing-to-reverse",
                        "Nothing to reverse",
                        "only a provisional credit on a dispute decided for the bank is \
                         reversed"
                            .to_owned(),
                    ));
                }
                let reversal = transactions::book(
                    conn,
                    &dispute.wallet_id,
                    "out",
                    amount,
                    COUNTERPARTY,
                    &format!("争议 {id} 冲回临时贷记"),
                    now,
                )
                .await?;
                sqlx::query(
                    "UPDATE disputes SET status = 'reversed', reversal_id = ? WHERE id = ?",
                )
                .bind(reversal)
                .bind(id)
                .execute(&mut *conn)
                .await
                .map_err(internal)?;
                StatusCode::OK
            }
            Step::Chargeback(request) => {
                if !is_open {
                    return Err(decided());
                }
                if dispute.chargeback_filed_at.is_some() {
                    return Err(conflict(
                        "chargeback-filed",
                        "Chargeback already filed",
                        format!("dispute {id} already has a chargeback"),
                    ));
                }
                let code = text("reasonCode", &request.reason_code, MAX_SHORT_CHARS)?;
                let window = if code == DUPLICATE_REASON {
                    DUPLICATE_CHARGEBACK_DAYS
                } else {
                    CHARGEBACK_DAYS
                };
                let paid_at: String =
                    sqlx::query_scalar("SELECT at FROM transactions WHERE id = ?")
                        .bind(number("transaction", &dispute.transaction_id)?)
                        .fetch_one(&mut *conn)
                        .await
                        .map_err(internal)?;
                let paid_at = DateTime::parse_from_rfc3339(&paid_at)
                    .map_err(internal)?
                    .with_timezone(&Utc);
                if (now - paid_at).num_days() > window {
                    return Err(Problem::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "chargeback-window-closed",
                        "Chargeback window closed",
                        Some(format!(
                            "a {code:?} chargeback is filed within {window} days of the \
                             transaction"
                        )),
                    ));
                }
                sqlx::query(
                    "UPDATE disputes SET chargeback_reason_code = ?, chargeback_filed_at = ? \
                     WHERE id = ?",
                )
                .bind(code)
                .bind(&at)
                .bind(id)
                .execute(&mut *conn)
                .await
                .map_err(internal)?;
                StatusCode::OK
            }
        };
        sqlx::query("UPDATE disputes SET updated_at = ? WHERE id = ?")
            .bind(&at)
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(internal)?;
        crate::changes::record(conn, "dispute", &id.to_string(), now)
            .await
            .map_err(internal)?;
        let dispute = read(conn, id).await?.ok_or_else(|| internal("vanished"))?;
        Ok((status, dispute))
    }
}
