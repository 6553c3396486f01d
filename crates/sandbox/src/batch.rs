//! `POST /v1/batch`: many writes in one request, each with its own idempotency key.
//!
//! Each item is run through the same routes as if it had been sent alone (so it gets the same
//! validation, the same once-only guarantee and the same answer), one after another in the
//! order given: a console sends a customer's operations in order and relies on that. All the
//! items run in one transaction (see [`BatchScope`]).

use crate::http::{AppState, Problem, contract_routes};
use crate::idempotency::BatchScope;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::State;
use axum::http::{Method, Request, StatusCode, header};
use axum::{Json, Router};
use tower::ServiceExt;
use walletdesk_corebank::v1;

/// An item's answer larger than this is a sandbox bug, not something to buffer.
const MAX_ITEM_ANSWER_BYTES: usize = 1 << 20;

pub async fn run(
    State(state): State<AppState>,
    crate::extract::Json(batch): crate::extract::Json<v1::Batch>,
) -> Result<Json<v1::BatchResults>, Problem> {
    let refuse = |detail: String| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation-failed",
            "Validation failed",
            Some(detail),
        )
    };
    if batch.items.is_empty() || batch.items.len() > v1::BATCH_MAX_ITEMS {
        return Err(refuse(format!(
            "items: 1 to {}, not {}",
            v1::BATCH_MAX_ITEMS,
            batch.items.len()
        )));
    }
    // Checked for every item before any runs, so a malformed batch applies nothing.
    let mut items = Vec::with_capacity(batch.items.len());
    for (index, item) in batch.items.into_iter().enumerate() {
        let method = match item.method.as_str() {
            "POST" => Method::POST,
            "PUT" => Method::PUT,
            "PATCH" => Method::PATCH,
            "DELETE" => Method::DELETE,
            other => {
                return Err(refuse(format!(
                    "items[{index}].method: a write (POST, PUT, PATCH, DELETE), not {other:?}"
                )));
            }
        };
        // The item's key is checked here, not only by the route it reaches: a key that cannot
        // even be a header would otherwise fail the whole batch in one place and a merely
        // invalid one be answered per item in another. The contract states one rule.
        if !v1::is_valid_idempotency_key(&item.idempotency_key) {
            return Err(refuse(format!(
                "items[{index}].idempotencyKey: 1 to {} visible ASCII characters",
                v1::IDEMPOTENCY_KEY_MAX_LEN
            )));
        }
        if !v1::is_valid_batch_path(&item.path) {
            return Err(refuse(format!(
                "items[{index}].path: a v1 resource path, not {:?}",
                item.path
            )));
        }
        // Every v1 write takes a JSON object; the document says so, and an item whose body is
        // not one is not a v1 write.
        if !item.body.is_object() {
            return Err(refuse(format!("items[{index}].body: a JSON object")));
        }
        let body = serde_json::to_vec(&item.body).map_err(|err| refuse(err.to_string()))?;
        let item = Item {
            key: item.idempotency_key,
            method,
            path: item.path,
            body: Bytes::from(body),
        };
        item.request()
            .map_err(|err| refuse(format!("items[{index}]: {err}")))?;
        items.push(item);
    }

    // In a task of its own, so a client that hangs up mid-batch cannot cancel it half-way: the
    // batch commits (or fails) as a whole and the retry gets the stored answers.
    let task = tokio::spawn(run_items(state, items));
    match task.await {
        Ok(result) => result.map(|results| Json(v1::BatchResults { results })),
        Err(err) => {
            tracing::error!(error = %err, "batch task failed");
            Err(Problem::internal())
        }
    }
}

/// A checked item, ready to become a request (once per attempt, see [`BatchScope`]).
struct Item {
    key: String,
    method: Method,
    path: String,
    body: Bytes,
}

impl Item {
    fn request(&self) -> Result<Request<Body>, axum::http::Error> {
        Request::builder()
            .method(self.method.clone())
            .uri(&self.path)
            .header(v1::IDEMPOTENCY_KEY_HEADER, &self.key)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(self.body.clone()))
    }
}

/// Runs the items in order in one transaction (see [`BatchScope`]) and commits it.
async fn run_items(state: AppState, items: Vec<Item>) -> Result<Vec<v1::BatchResult>, Problem> {
    let keys: Vec<&str> = items.iter().map(|item| item.key.as_str()).collect();
    let scope = BatchScope::begin(&state.store, &keys).await?;
    let routes = contract_routes().with_state(state);
    let results = match run_attempt(&routes, &scope, &items).await? {
        Some(results) => results,
        None => {
            scope.run_carefully().await?;
            run_attempt(&routes, &scope, &items).await?.ok_or_else(|| {
                tracing::error!("a careful batch attempt was abandoned");
                Problem::internal()
            })?
        }
    };
    // The routes hold no clone of the scope once their responses are read.
    drop(routes);
    scope.commit().await?;
    Ok(results)
}

/// Runs every item once through the routes; `None` if the attempt was abandoned.
async fn run_attempt(
    routes: &Router,
    scope: &BatchScope,
    items: &[Item],
) -> Result<Option<Vec<v1::BatchResult>>, Problem> {
    let mut results = Vec::with_capacity(items.len());
    for item in items {
        let mut request = item.request().map_err(|err| {
            tracing::error!(error = %err, "rebuilding a checked batch item failed");
            Problem::internal()
        })?;
        request.extensions_mut().insert(scope.clone());
        // The router's error type is Infallible.
        let Ok(response) = routes.clone().oneshot(request).await;
        if scope.abandoned().await {
            return Ok(None);
        }
        let status = response.status().as_u16();
        let replayed = response
            .headers()
            .get(v1::IDEMPOTENCY_REPLAYED_HEADER)
            .is_some_and(|v| v.as_bytes() == b"true");
        let bytes = to_bytes(response.into_body(), MAX_ITEM_ANSWER_BYTES)
            .await
            .map_err(|err| {
                tracing::error!(error = %err, "reading a batch item's answer failed");
                Problem::internal()
            })?;
        let body = if bytes.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                serde_json::Value::String(String::from_utf8_lossy(&bytes).into_owned())
            })
        };
        results.push(v1::BatchResult {
            idempotency_key: item.key.clone(),
            status,
            replayed,
            body,
        });
    }
    Ok(Some(results))
}
