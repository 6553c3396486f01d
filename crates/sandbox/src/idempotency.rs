//! Idempotent writes, implemented once for every write endpoint.
//!
//! A write endpoint takes an [`Idempotent<T>`] (which checks the key and fingerprints the
//! request) and hands a [`Write`] to [`execute`]. The first request with a key claims it, runs
//! the write, and stores the answer in the same transaction as the claim, the write's effect
//! and its `applied_operations` row; so either all of them exist, or none do. Later requests
//! with the key get the stored answer (marked with `Idempotency-Replayed: true`), or a 422 if
//! the request differs. A request arriving while the first still runs waits for SQLite's write
//! lock and then gets the stored answer; a key left in flight (by a sandbox from before the
//! claim shared the write's transaction) gets a 409 until its lease runs out.

use crate::http::Problem;
use crate::store::Store;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection};
use std::time::Duration;
use walletdesk_corebank::v1;

/// An in-flight key whose owner has not finished in this long was left by a crash (the owner's
/// transaction never committed, so nothing was applied) and may be taken over. Far longer than
/// any sandbox write takes.
const IN_FLIGHT_LEASE: Duration = Duration::from_secs(30);

/// A write request with a valid key and a fingerprint of what was asked.
#[derive(Debug)]
pub struct Idempotent<T> {
    pub key: String,
    /// Hex SHA-256 of method, path and canonical body.
    pub fingerprint: String,
    pub body: T,
}

impl<S, T> FromRequest<S> for Idempotent<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let key = match req.headers().get(v1::IDEMPOTENCY_KEY_HEADER) {
            None => {
                return Err(Problem::new(
                    StatusCode::BAD_REQUEST,
                    "idempotency-key-missing",
                    "Idempotency-Key header required",
                    Some("every write carries an Idempotency-Key header".to_owned()),
                ));
            }
            Some(value) => match value.to_str() {
                Ok(key) if v1::is_valid_idempotency_key(key) => key.to_owned(),
                _ => {
                    return Err(Problem::new(
                        StatusCode::BAD_REQUEST,
                        "idempotency-key-invalid",
                        "Idempotency-Key is not valid",
                        Some("a key is 1 to 128 visible ASCII characters".to_owned()),
                    ));
                }
            },
        };
        let method = req.method().clone();
        let path = req.uri().path().to_owned();
        let bytes = Bytes::from_request(req, state).await.map_err(|err| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-body",
                "Unreadable body",
                Some(err.body_text()),
            )
        })?;
        let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|err| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-body",
                "Body is not JSON",
                Some(err.to_string()),
            )
        })?;
        let fingerprint = fingerprint(&method, &path, &json);
        let body = serde_json::from_value(json).map_err(|err| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-body",
                "Body does not match the contract",
                Some(err.to_string()),
            )
        })?;
        Ok(Idempotent {
            key,
            fingerprint,
            body,
        })
    }
}

/// SHA-256 of the method, path and the body in canonical form (object keys sorted, no
/// whitespace), so a retry that re-serialises the same body differently is still the same
/// request. Public so tests can plant keys as a crashed or slow first request leaves them.
pub fn fingerprint(method: &Method, path: &str, body: &serde_json::Value) -> String {
    let mut canonical = String::new();
    write_canonical(body, &mut canonical);
    let mut hash = Sha256::new();
    hash.update(method.as_str().as_bytes());
    hash.update(b"\n");
    hash.update(path.as_bytes());
    hash.update(b"\n");
    hash.update(canonical.as_bytes());
    hex::encode(hash.finalize())
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            // Sorted here rather than trusting the map type: serde_json keeps insertion order
            // when another crate in the build enables its `preserve_order` feature.
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(item, out);
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// One kind of write. `apply` makes the effect on `conn`, inside the transaction that also
/// records the key's answer; it must not commit.
pub trait Write: Send + 'static {
    /// Name recorded in `applied_operations`, e.g. "create-customer".
    const OPERATION: &'static str;
    type Output: Serialize + Send;

    /// `Err` with a 4xx problem means "refused, nothing applied": the refusal is stored as the
    /// key's answer, since the same request would be refused again. A 5xx problem frees the key
    /// so the client's retry runs afresh.
    fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<(StatusCode, Self::Output), Problem>> + Send;
}

/// Runs `write` at most once for `request.key`, or answers as the first run did.
///
/// The work runs in its own task, so a client that hangs up mid-request cannot cancel it
/// half-way: the answer is stored and its retry gets it.
pub async fn execute<W: Write, T>(store: &Store, request: Idempotent<T>, write: W) -> Response {
    let store = store.clone();
    let Idempotent {
        key, fingerprint, ..
    } = request;
    let task = tokio::spawn(async move { run(&store, &key, &fingerprint, write).await });
    match task.await {
        Ok(Ok(response)) => response,
        Ok(Err(problem)) => problem.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "idempotent write task failed");
            Problem::internal().into_response()
        }
    }
}

async fn run<W: Write>(
    store: &Store,
    key: &str,
    fingerprint: &str,
    write: W,
) -> Result<Response, Problem> {
    let now = Utc::now();
    // The claim, the effect, the ledger row and the stored answer share one transaction: one
    // commit per write. The claim is the transaction's first statement and a write, so it
    // takes SQLite's write lock at once; a concurrent request with the same key waits for it
    // and then finds the stored answer.
    let mut tx = store.pool().begin().await.map_err(internal)?;
    if let Some(answer) = claim(&mut tx, key, fingerprint, now).await? {
        tx.rollback().await.map_err(internal)?;
        return Ok(answer);
    }
    match write.apply(&mut tx, now).await {
        Ok((status, output)) => {
            let body = serde_json::to_vec(&output).map_err(internal)?;
            sqlx::query(
                "INSERT INTO applied_operations (idempotency_key, operation, applied_at) \
                 VALUES (?, ?, ?)",
            )
            .bind(key)
            .bind(W::OPERATION)
            .bind(timestamp(now))
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
            finish(&mut tx, key, status, &body).await?;
            tx.commit().await.map_err(internal)?;
            Ok(answer(status, body, false))
        }
        Err(problem) => {
            // Nothing of the effect may survive, whatever the refusal; the rollback also
            // frees the key, which is what a server error wants (the retry runs afresh).
            tx.rollback().await.map_err(internal)?;
            let status = problem.status();
            if status.is_server_error() {
                return Err(problem);
            }
            // A refusal is the key's answer: the same request would be refused again.
            let body = problem.body();
            sqlx::query(
                "INSERT INTO idempotency_keys \
                 (key, request_sha256, state, status, response_body, created_at, claimed_at) \
                 VALUES (?, ?, 'done', ?, ?, ?, ?) \
                 ON CONFLICT (key) DO UPDATE SET state = 'done', status = excluded.status, \
                 response_body = excluded.response_body WHERE state = 'in_flight'",
            )
            .bind(key)
            .bind(fingerprint)
            .bind(i64::from(status.as_u16()))
            .bind(&body)
            .bind(timestamp(now))
            .bind(timestamp(now))
            .execute(store.pool())
            .await
            .map_err(internal)?;
            Ok(answer(status, body, false))
        }
    }
}

/// Takes the key for this request on `conn` (the write's transaction), or returns the answer
/// the request gets instead.
async fn claim(
    conn: &mut SqliteConnection,
    key: &str,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Result<Option<Response>, Problem> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (key, request_sha256, state, created_at, claimed_at) \
         VALUES (?, ?, 'in_flight', ?, ?) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(fingerprint)
    .bind(timestamp(now))
    .bind(timestamp(now))
    .execute(&mut *conn)
    .await
    .map_err(internal)?;
    if inserted.rows_affected() == 1 {
        return Ok(None);
    }

    let row = sqlx::query(
        "SELECT request_sha256, state, status, response_body, claimed_at \
         FROM idempotency_keys WHERE key = ?",
    )
    .bind(key)
    .fetch_optional(&mut *conn)
    .await
    .map_err(internal)?;
    let Some(row) = row else {
        // Cannot happen inside one transaction; answered as "retry", which is always safe.
        return Ok(Some(in_flight()));
    };
    let stored_fingerprint: String = row.try_get("request_sha256").map_err(internal)?;
    if stored_fingerprint != fingerprint {
        return Ok(Some(
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
                "Idempotency-Key already used for another request",
                Some("use a new key for a new operation".to_owned()),
            )
            .into_response(),
        ));
    }
    let state: String = row.try_get("state").map_err(internal)?;
    if state == "done" {
        let status: i64 = row.try_get("status").map_err(internal)?;
        let body: Vec<u8> = row.try_get("response_body").map_err(internal)?;
        let status = u16::try_from(status)
            .ok()
            .and_then(|s| StatusCode::from_u16(s).ok())
            .ok_or_else(|| internal("stored status out of range"))?;
        return Ok(Some(answer(status, body, true)));
    }

    // In flight: left by a crash mid-write in an older sandbox, or planted by a test. Taken
    // over once older than the lease (the claimed_at compare makes the takeover single-winner).
    let claimed_at: String = row.try_get("claimed_at").map_err(internal)?;
    let lease = chrono::Duration::from_std(IN_FLIGHT_LEASE).map_err(internal)?;
    let abandoned = DateTime::parse_from_rfc3339(&claimed_at)
        .map(|at| at.with_timezone(&Utc) + lease < now)
        .unwrap_or(false);
    if abandoned {
        let taken = sqlx::query(
            "UPDATE idempotency_keys SET claimed_at = ? \
             WHERE key = ? AND state = 'in_flight' AND claimed_at = ?",
        )
        .bind(timestamp(now))
        .bind(key)
        .bind(&claimed_at)
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
        if taken.rows_affected() == 1 {
            tracing::warn!(key, "took over an abandoned idempotency key");
            return Ok(None);
        }
    }
    Ok(Some(in_flight()))
}

async fn finish(
    conn: &mut SqliteConnection,
    key: &str,
    status: StatusCode,
    body: &[u8],
) -> Result<(), Problem> {
    sqlx::query(
        "UPDATE idempotency_keys SET state = 'done', status = ?, response_body = ? \
         WHERE key = ? AND state = 'in_flight'",
    )
    .bind(i64::from(status.as_u16()))
    .bind(body)
    .bind(key)
    .execute(&mut *conn)
    .await
    .map_err(internal)?;
    Ok(())
}

fn in_flight() -> Response {
    let mut response = Problem::new(
        StatusCode::CONFLICT,
        "idempotency-key-in-flight",
        "A request with this Idempotency-Key is still running",
        Some("retry shortly: the retry gets the first request's answer".to_owned()),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

fn answer(status: StatusCode, body: Vec<u8>, replayed: bool) -> Response {
    let content_type = if status.is_success() {
        "application/json"
    } else {
        v1::PROBLEM_CONTENT_TYPE
    };
    let mut response = (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
    if replayed {
        response.headers_mut().insert(
            v1::IDEMPOTENCY_REPLAYED_HEADER,
            HeaderValue::from_static("true"),
        );
    }
    response
}

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "idempotent write failed");
    Problem::internal()
}

fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_layout_but_not_content() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"name":"张三","mobile":"13812345678","n":[1,2]}"#)
                .expect("json");
        let b: serde_json::Value =
            serde_json::from_str(r#"{ "n": [1, 2], "mobile": "13812345678", "name": "张三" }"#)
                .expect("json");
        let c: serde_json::Value =
            serde_json::from_str(r#"{"name":"张三","mobile":"13812345679","n":[1,2]}"#)
                .expect("json");
        let post = Method::POST;
        assert_eq!(
            fingerprint(&post, "/v1/customers", &a),
            fingerprint(&post, "/v1/customers", &b)
        );
        assert_ne!(
            fingerprint(&post, "/v1/customers", &a),
            fingerprint(&post, "/v1/customers", &c)
        );
        assert_ne!(
            fingerprint(&post, "/v1/customers", &a),
            fingerprint(&Method::PUT, "/v1/customers", &a)
        );
        assert_ne!(
            fingerprint(&post, "/v1/customers", &a),
            fingerprint(&post, "/v1/wallets", &a)
        );
        assert_eq!(fingerprint(&post, "/", &a).len(), 64);
    }
}
