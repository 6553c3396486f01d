//! Idempotent writes, implemented once for every write endpoint.
//!
//! A write endpoint takes an [`Idempotent<T>`] (which checks the key and fingerprints the
//! request) and hands a [`Write`] to [`execute`]. The first request with a key claims it, runs
//! the write, and stores the answer in the same transaction as the claim, the write's effect
//! and its `applied_operations` and `applications` rows; so either all of them exist, or none
//! do. Later requests
//! with the key get the stored answer (marked with `Idempotency-Replayed: true`), or a 422 if
//! the request differs. A request arriving while the first still runs waits for SQLite's write
//! lock and then gets the stored answer; a key left in flight (by a sandbox from before the
//! claim shared the write's transaction) gets a 409 until its lease runs out. The items of a
//! `POST /v1/batch` follow the same rules inside the batch's one transaction ([`BatchScope`]).

use crate::bookkeeping::Bookkeeping;
use crate::http::Problem;
use crate::store::Store;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteRow;
use sqlx::{Connection, QueryBuilder, Row, Sqlite, SqliteConnection, Transaction};
use std::collections::HashMap;
use std::sync::Arc;
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
    /// Set when the request is an item of a `POST /v1/batch`: the item then runs in the
    /// batch's transaction instead of its own.
    pub batch: Option<BatchScope>,
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
        let batch = req.extensions().get::<BatchScope>().cloned();
        let method = req.method().clone();
        let path = req.uri().path().to_owned();
        let bytes = crate::extract::json_bytes(req, state).await?;
        let json = crate::extract::parse_json(&bytes).map_err(|err| {
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
            batch,
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

    /// The success answer as kept for replays. Most writes keep what they answered; a write
    /// whose answer holds a secret (a revealed resident ID) keeps it without the secret, so the
    /// key table never holds one, and puts it back in [`Write::replayed`].
    fn stored(sent: &Self::Output) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(sent)
    }

    /// The body a replay sends for a stored success answer, read on `conn` (the replaying
    /// request's transaction).
    fn replayed(
        stored: Vec<u8>,
        conn: &mut SqliteConnection,
    ) -> impl Future<Output = Result<Vec<u8>, Problem>> + Send {
        let _ = conn;
        std::future::ready(Ok(stored))
    }
}

/// Runs `write` at most once for `request.key`, or answers as the first run did.
///
/// The work runs in its own task, so a client that hangs up mid-request cannot cancel it
/// half-way: the answer is stored and its retry gets it.
pub async fn execute<W: Write, T>(store: &Store, request: Idempotent<T>, write: W) -> Response {
    let store = store.clone();
    let Idempotent {
        key,
        fingerprint,
        batch,
        ..
    } = request;
    if let Some(batch) = batch {
        // The batch runs as a whole in its own task already.
        return match batch.run(&key, &fingerprint, write).await {
            Ok(response) => response,
            Err(problem) => problem.into_response(),
        };
    }
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
    if let Some(decision) = claim(&mut tx, key, fingerprint, now).await? {
        let answer = decision.answer::<W>(&mut tx).await;
        tx.rollback().await.map_err(internal)?;
        return answer;
    }
    let (applied, noted) = Bookkeeping::noting(write.apply(&mut tx, now)).await;
    match applied {
        Ok((status, output)) => {
            let body = serde_json::to_vec(&output).map_err(internal)?;
            let stored = W::stored(&output).map_err(internal)?;
            noted.write(&mut tx).await.map_err(internal)?;
            let at = timestamp(now);
            // DO NOTHING: the first application's row stays, and a second application is not
            // turned into a failed insert; `applications` counts it instead.
            sqlx::query(
                "INSERT INTO applied_operations (idempotency_key, operation, applied_at) \
                 VALUES (?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
            )
            .bind(key)
            .bind(W::OPERATION)
            .bind(&at)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
            sqlx::query(COUNT_APPLICATION)
                .bind(key)
                .bind(W::OPERATION)
                .bind(&at)
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
            finish(&mut tx, key, status, &stored).await?;
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
/// the request gets instead (never [`Decision::TakeOver`]).
async fn claim(
    conn: &mut SqliteConnection,
    key: &str,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Result<Option<Decision>, Problem> {
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
        return Ok(Some(Decision::Answer(in_flight())));
    };
    let stored = StoredKey::from_row(&row)?;
    match stored.decide(fingerprint, now)? {
        Decision::TakeOver => {
            // The claimed_at compare makes the takeover single-winner.
            let taken = sqlx::query(
                "UPDATE idempotency_keys SET claimed_at = ? \
                 WHERE key = ? AND state = 'in_flight' AND claimed_at = ?",
            )
            .bind(timestamp(now))
            .bind(key)
            .bind(&stored.claimed_at)
            .execute(&mut *conn)
            .await
            .map_err(internal)?;
            if taken.rows_affected() == 1 {
                tracing::warn!(key, "took over an abandoned idempotency key");
                return Ok(None);
            }
            Ok(Some(Decision::Answer(in_flight())))
        }
        answer => Ok(Some(answer)),
    }
}

/// A key's row as stored.
#[derive(Debug, Clone)]
struct StoredKey {
    fingerprint: String,
    /// The stored answer, once the first request finished.
    done: Option<(StatusCode, Vec<u8>)>,
    claimed_at: String,
}

/// What a request gets for a key that is already stored.
enum Decision {
    /// Answered without running or replaying (another request's key, or one still in flight).
    Answer(Response),
    /// The first request's answer, as stored.
    Replay(StatusCode, Vec<u8>),
    /// The key was left in flight by a crash long enough ago: the request runs in its place.
    TakeOver,
}

impl Decision {
    /// The response for an answered or replayed request; a stored success answer is turned back
    /// into what was sent by `W` (see [`Write::replayed`]), on `conn`.
    async fn answer<W: Write>(self, conn: &mut SqliteConnection) -> Result<Response, Problem> {
        match self {
            Decision::Answer(response) => Ok(response),
            Decision::Replay(status, stored) if status.is_success() => {
                Ok(answer(status, W::replayed(stored, conn).await?, true))
            }
            Decision::Replay(status, stored) => Ok(answer(status, stored, true)),
            Decision::TakeOver => Err(internal("a takeover is not an answer")),
        }
    }
}

impl StoredKey {
    fn from_row(row: &SqliteRow) -> Result<StoredKey, Problem> {
        let state: String = row.try_get("state").map_err(internal)?;
        let done = if state == "done" {
            let status: i64 = row.try_get("status").map_err(internal)?;
            let body: Vec<u8> = row.try_get("response_body").map_err(internal)?;
            let status = u16::try_from(status)
                .ok()
                .and_then(|s| StatusCode::from_u16(s).ok())
                .ok_or_else(|| internal("stored status out of range"))?;
            Some((status, body))
        } else {
            None
        };
        Ok(StoredKey {
            fingerprint: row.try_get("request_sha256").map_err(internal)?,
            done,
            claimed_at: row.try_get("claimed_at").map_err(internal)?,
        })
    }

    fn decide(&self, fingerprint: &str, now: DateTime<Utc>) -> Result<Decision, Problem> {
        if self.fingerprint != fingerprint {
            return Ok(Decision::Answer(
                Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "idempotency-key-reused",
                    "Idempotency-Key already used for another request",
                    Some("use a new key for a new operation".to_owned()),
                )
                .into_response(),
            ));
        }
        if let Some((status, body)) = &self.done {
            return Ok(Decision::Replay(*status, body.clone()));
        }
        // In flight: left by a crash mid-write in an older sandbox, or planted by a test.
        // Taken over once older than the lease.
        let lease = chrono::Duration::from_std(IN_FLIGHT_LEASE).map_err(internal)?;
        let abandoned = DateTime::parse_from_rfc3339(&self.claimed_at)
            .map(|at| at.with_timezone(&Utc) + lease < now)
            .unwrap_or(false);
        Ok(if abandoned {
            Decision::TakeOver
        } else {
            Decision::Answer(in_flight())
        })
    }
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

/// Counts one application of a key's write (see migration 0015): `times` is how often the
/// effect was applied, so a write applied twice shows 2 instead of failing an insert.
const COUNT_APPLICATION: &str = "INSERT INTO applications (idempotency_key, operation, times, last_applied_at) \
     VALUES (?, ?, 1, ?) ON CONFLICT (idempotency_key) DO UPDATE SET \
     times = times + 1, last_applied_at = excluded.last_applied_at";
const COUNT_APPLICATION_CONFLICT: &str = " ON CONFLICT (idempotency_key) DO UPDATE SET \
     times = times + 1, last_applied_at = excluded.last_applied_at";

/// Key rows (7 values each) and ledger rows (3 each) per statement when a batch stores them:
/// well under SQLite's 32,766 bound parameters.
const ROWS_PER_STATEMENT: usize = 500;

/// The one transaction a `POST /v1/batch` runs all its items in, handed to each item through
/// the request's extensions (see [`Idempotent::batch`]).
///
/// One transaction per batch rather than one per item because the sandbox's cost was never
/// the SQL: it was a commit and some eight statements per write, each a round trip to sqlx's
/// SQLite thread. Here the transaction takes the write lock first (`BEGIN IMMEDIATE`), so no
/// other request can claim or answer a key until the batch commits; the batch reads the
/// stored state of all its keys in one statement, and writes the claims, answers and ledger
/// rows of all its items in a few statements just before the commit. Claim, effect, ledger row
/// and answer still commit together: they are all in the one transaction, and a crash before
/// the commit leaves none of them.
///
/// The items run in up to two attempts. The first runs them with no savepoint of their own,
/// which is what a console's batch almost always is: every item applies. The first item that
/// does not (refused or failed) ends that attempt; it is rolled back whole, and the batch runs
/// again with a savepoint per item, so that item's refusal or failure undoes only itself.
/// Nothing of the first attempt was seen by anyone, so the batch is answered as if the second
/// had been the only one.
#[derive(Clone)]
pub struct BatchScope {
    inner: Arc<tokio::sync::Mutex<BatchState>>,
}

impl std::fmt::Debug for BatchScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchScope").finish_non_exhaustive()
    }
}

/// How the items of the current attempt run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    /// Straight on the transaction; abandoned at the first item that does not apply.
    Optimistic { abandoned: bool },
    /// Each item under its own savepoint.
    Careful,
}

struct BatchState {
    tx: Transaction<'static, Sqlite>,
    attempt: Attempt,
    /// The batch's keys as stored when it began.
    stored: HashMap<String, StoredKey>,
    /// Those, and the keys answered by earlier items of this attempt.
    keys: HashMap<String, StoredKey>,
    /// Rows to write at the commit, in item order.
    answers: Vec<NewAnswer>,
    ledger: Vec<(String, &'static str, String)>,
    /// The feed rows and counts of the items that applied.
    noted: Bookkeeping,
    /// A savepoint could not be rolled back: the transaction can no longer be trusted, so
    /// the batch fails as a whole (nothing applied).
    broken: bool,
}

struct NewAnswer {
    key: String,
    fingerprint: String,
    status: StatusCode,
    body: Vec<u8>,
    at: String,
}

impl BatchScope {
    /// Starts the batch's transaction and reads what is stored for `keys`.
    pub async fn begin(store: &Store, keys: &[&str]) -> Result<BatchScope, Problem> {
        // IMMEDIATE: the write lock now (waiting for a running write as any write does), so
        // the stored keys read below cannot change before the commit.
        let mut tx = store
            .pool()
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(internal)?;
        let mut stored = HashMap::new();
        for chunk in keys.chunks(ROWS_PER_STATEMENT) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "SELECT key, request_sha256, state, status, response_body, claimed_at \
                 FROM idempotency_keys WHERE key IN ",
            );
            query.push_tuples(chunk, |mut t, key| {
                t.push_bind(*key);
            });
            for row in query.build().fetch_all(&mut *tx).await.map_err(internal)? {
                let key: String = row.try_get("key").map_err(internal)?;
                stored.insert(key, StoredKey::from_row(&row)?);
            }
        }
        // Where the first attempt is rolled back to without giving up the write lock (and with
        // it the stored keys just read).
        sqlx::query("SAVEPOINT batch_optimistic")
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        Ok(BatchScope {
            inner: Arc::new(tokio::sync::Mutex::new(BatchState {
                tx,
                attempt: Attempt::Optimistic { abandoned: false },
                keys: stored.clone(),
                stored,
                answers: Vec::new(),
                ledger: Vec::new(),
                noted: Bookkeeping::default(),
                broken: false,
            })),
        })
    }

    /// True once an item of the first attempt did not apply: the caller stops running items
    /// and calls [`BatchScope::run_carefully`] to run them all again.
    pub async fn abandoned(&self) -> bool {
        self.inner.lock().await.attempt == Attempt::Optimistic { abandoned: true }
    }

    /// Rolls the first attempt back and makes the items that run next use a savepoint each.
    pub async fn run_carefully(&self) -> Result<(), Problem> {
        let mut state = self.inner.lock().await;
        let state = &mut *state;
        sqlx::query("ROLLBACK TO batch_optimistic")
            .execute(&mut *state.tx)
            .await
            .map_err(|err| {
                state.broken = true;
                internal(err)
            })?;
        state.attempt = Attempt::Careful;
        state.keys = state.stored.clone();
        state.answers.clear();
        state.ledger.clear();
        state.noted = Bookkeeping::default();
        Ok(())
    }

    /// One item: what [`run`] does for a request alone, inside the batch's transaction.
    async fn run<W: Write>(
        &self,
        key: &str,
        fingerprint: &str,
        write: W,
    ) -> Result<Response, Problem> {
        let now = Utc::now();
        let mut state = self.inner.lock().await;
        let state = &mut *state;
        if state.broken || state.attempt == (Attempt::Optimistic { abandoned: true }) {
            return Err(Problem::internal());
        }
        if let Some(stored) = state.keys.get(key) {
            match stored.decide(fingerprint, now)? {
                Decision::TakeOver => {
                    // The batch holds the write lock, so nobody else can take it meanwhile;
                    // the answer written at the commit replaces the abandoned claim.
                    tracing::warn!(key, "took over an abandoned idempotency key");
                }
                answer => return answer.answer::<W>(&mut state.tx).await,
            }
        }
        let (applied, noted) = match state.attempt {
            Attempt::Optimistic { .. } => {
                let applied = apply_and_encode(write, &mut state.tx, now).await;
                if applied.0.is_err() {
                    state.attempt = Attempt::Optimistic { abandoned: true };
                }
                applied
            }
            Attempt::Careful => {
                let mut savepoint = match state.tx.begin().await {
                    Ok(savepoint) => savepoint,
                    Err(err) => {
                        // Whether the savepoint exists is unknown: trust nothing after it.
                        state.broken = true;
                        return Err(internal(err));
                    }
                };
                let applied = apply_and_encode(write, &mut savepoint, now).await;
                let ended = if applied.0.is_ok() {
                    savepoint.commit().await
                } else {
                    savepoint.rollback().await
                };
                if let Err(err) = ended {
                    // The item's fate is unknown (SQLite may even have rolled back the whole
                    // transaction after some errors, taking the earlier items with it).
                    tracing::error!(error = %err, "ending a batch item's savepoint failed");
                    state.broken = true;
                    return Err(Problem::internal());
                }
                applied
            }
        };
        let (status, body, stored) = match applied {
            Ok((status, body, stored)) => {
                state
                    .ledger
                    .push((key.to_owned(), W::OPERATION, timestamp(now)));
                state.noted.extend(noted);
                (status, body, stored)
            }
            // Nothing stored: the key stays free (or abandoned) for the retry.
            Err(problem) if problem.status().is_server_error() => return Err(problem),
            // A refusal is the key's answer: the same request would be refused again.
            Err(problem) => (problem.status(), problem.body(), problem.body()),
        };
        let at = timestamp(now);
        // A later item with the same key gets this answer, replayed, as it would alone.
        state.keys.insert(
            key.to_owned(),
            StoredKey {
                fingerprint: fingerprint.to_owned(),
                done: Some((status, stored.clone())),
                claimed_at: at.clone(),
            },
        );
        state.answers.push(NewAnswer {
            key: key.to_owned(),
            fingerprint: fingerprint.to_owned(),
            status,
            body: stored,
            at,
        });
        Ok(answer(status, body, false))
    }

    /// Writes the items' claims, answers and ledger rows and commits the batch. On `Err`
    /// nothing of the batch is applied.
    pub async fn commit(self) -> Result<(), Problem> {
        let state = Arc::try_unwrap(self.inner)
            .map_err(|_| internal("a batch item outlived its batch"))?
            .into_inner();
        let BatchState {
            mut tx,
            answers,
            ledger,
            noted,
            broken,
            attempt,
            ..
        } = state;
        if broken || attempt == (Attempt::Optimistic { abandoned: true }) {
            tx.rollback().await.map_err(internal)?;
            return Err(Problem::internal());
        }
        noted.write(&mut tx).await.map_err(internal)?;
        for chunk in answers.chunks(ROWS_PER_STATEMENT) {
            let mut insert = QueryBuilder::<Sqlite>::new(
                "INSERT INTO idempotency_keys \
                 (key, request_sha256, state, status, response_body, created_at, claimed_at) ",
            );
            insert.push_values(chunk, |mut row, answer| {
                row.push_bind(&answer.key)
                    .push_bind(&answer.fingerprint)
                    .push("'done'")
                    .push_bind(i64::from(answer.status.as_u16()))
                    .push_bind(&answer.body)
                    .push_bind(&answer.at)
                    .push_bind(&answer.at);
            });
            // Only a taken-over abandoned claim is already there.
            insert.push(
                " ON CONFLICT (key) DO UPDATE SET state = 'done', status = excluded.status, \
                 response_body = excluded.response_body, claimed_at = excluded.claimed_at \
                 WHERE state = 'in_flight'",
            );
            insert.build().execute(&mut *tx).await.map_err(internal)?;
        }
        for chunk in ledger.chunks(ROWS_PER_STATEMENT) {
            let mut insert = QueryBuilder::<Sqlite>::new(
                "INSERT INTO applied_operations (idempotency_key, operation, applied_at) ",
            );
            insert.push_values(chunk, |mut row, (key, operation, at)| {
                row.push_bind(key).push_bind(*operation).push_bind(at);
            });
            insert.push(" ON CONFLICT (idempotency_key) DO NOTHING");
            insert.build().execute(&mut *tx).await.map_err(internal)?;
            let mut count = QueryBuilder::<Sqlite>::new(
                "INSERT INTO applications (idempotency_key, operation, times, last_applied_at) ",
            );
            count.push_values(chunk, |mut row, (key, operation, at)| {
                row.push_bind(key)
                    .push_bind(*operation)
                    .push("1")
                    .push_bind(at);
            });
            count.push(COUNT_APPLICATION_CONFLICT);
            count.build().execute(&mut *tx).await.map_err(internal)?;
        }
        tx.commit().await.map_err(internal)
    }
}

/// Runs `write` on `conn` and serialises its output (the answer's status, the body sent and
/// the body stored), noting its bookkeeping for the batch to write.
async fn apply_and_encode<W: Write>(
    write: W,
    conn: &mut SqliteConnection,
    now: DateTime<Utc>,
) -> (Result<(StatusCode, Vec<u8>, Vec<u8>), Problem>, Bookkeeping) {
    let (applied, noted) = Bookkeeping::noting(write.apply(conn, now)).await;
    let encoded = applied.and_then(|(status, output)| {
        let body = serde_json::to_vec(&output).map_err(internal)?;
        let stored = W::stored(&output).map_err(internal)?;
        Ok((status, body, stored))
    });
    (encoded, noted)
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
