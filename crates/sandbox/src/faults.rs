//! Fault injection: latency, server errors, dropped connections, writes that are applied but
//! whose answer never reaches the client in time, and writes delivered twice. The sync engine
//! has to survive all of them, so the sandbox produces them on request
//! (`POST /v1/admin/faults`).
//!
//! The admin endpoint itself is never faulted (a test must always be able to turn faults off)
//! and takes no Idempotency-Key: it sets absolute values, so repeating it changes nothing.
//!
//! Faults stand for the network of the console under test. A request carrying
//! [`UNFAULTED_HEADER`] passes untouched: it stands for another console whose network works
//! (the other booth that signs someone up while this one is offline). Only the sandbox knows
//! the header; a bank's core has no such thing.

use crate::http::Problem;
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;
use walletdesk_corebank::v1;

/// Marks a request that fault injection lets through (see the module's comment).
pub const UNFAULTED_HEADER: &str = "x-sandbox-unfaulted";

/// Longer than the client's whole-request timeout (5 s), so the client gives up first.
const DEFAULT_STALL: Duration = Duration::from_millis(6_000);
/// A duplicated write's body is buffered to be sent twice; no v1 write comes near this (a full
/// batch is well under 1 MiB).
const MAX_DUPLICATED_BODY_BYTES: usize = 8 << 20;
/// Bounds on what an admin may ask for, so a typo cannot hang the sandbox for hours.
const MAX_LATENCY_MS: u32 = 60_000;
const MAX_STALL_MS: u32 = 120_000;

/// The active faults and the dice. Cheap to clone: clones share both.
#[derive(Debug, Clone)]
pub struct Faults {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug)]
struct Inner {
    config: v1::Faults,
    // Seeded from the sandbox seed, so one request sequence gets the same faults every run.
    rng: ChaCha8Rng,
}

/// What one request gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Served,
    Dropped,
    Failed(StatusCode),
    AppliedThenStalled(Duration),
    /// Delivered twice at once; answered with the first (`false`) or second (`true`) answer.
    Duplicated(bool),
}

impl Faults {
    /// No faults until configured.
    pub fn new(seed: u64) -> Faults {
        Faults {
            inner: Arc::new(Mutex::new(Inner {
                config: v1::Faults::default(),
                rng: ChaCha8Rng::seed_from_u64(seed),
            })),
        }
    }

    pub fn config(&self) -> v1::Faults {
        self.lock().config
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The state is two plain values; a panic elsewhere cannot leave it half-written.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn draw(&self) -> (Duration, Fate) {
        let mut inner = self.lock();
        let config = inner.config;
        let latency = Duration::from_millis(u64::from(config.latency_ms));
        let roll = inner.rng.random_range(0..v1::PER_MILLE);
        let drop_below = config.drop_rate;
        let error_below = drop_below + config.error_rate;
        let stall_below = error_below + config.apply_then_timeout_rate;
        let duplicate_below = stall_below + config.duplicate_rate;
        let fate = if roll < drop_below {
            Fate::Dropped
        } else if roll < error_below {
            if inner.rng.random_range(0..2) == 0 {
                Fate::Failed(StatusCode::INTERNAL_SERVER_ERROR)
            } else {
                Fate::Failed(StatusCode::SERVICE_UNAVAILABLE)
            }
        } else if roll < stall_below {
            let stall = match config.stall_ms {
                0 => DEFAULT_STALL,
                ms => Duration::from_millis(u64::from(ms)),
            };
            Fate::AppliedThenStalled(stall)
        } else if roll < duplicate_below {
            Fate::Duplicated(inner.rng.random_range(0..2) == 1)
        } else {
            Fate::Served
        };
        (latency, fate)
    }
}

fn validate(config: &v1::Faults) -> Result<(), Problem> {
    let refuse = |detail: String| {
        Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation-failed",
            "Validation failed",
            Some(detail),
        ))
    };
    let rates = [
        ("errorRate", config.error_rate),
        ("dropRate", config.drop_rate),
        ("applyThenTimeoutRate", config.apply_then_timeout_rate),
        ("duplicateRate", config.duplicate_rate),
    ];
    for (name, rate) in rates {
        if rate > v1::PER_MILLE {
            return refuse(format!("{name} is per mille: 0 to 1000, not {rate}"));
        }
    }
    let total: u32 = rates.iter().map(|(_, rate)| u32::from(*rate)).sum();
    if total > u32::from(v1::PER_MILLE) {
        return refuse(format!("the rates add up to {total} per mille, over 1000"));
    }
    if config.latency_ms > MAX_LATENCY_MS {
        return refuse(format!("latencyMs is at most {MAX_LATENCY_MS}"));
    }
    if config.stall_ms > MAX_STALL_MS {
        return refuse(format!("stallMs is at most {MAX_STALL_MS}"));
    }
    Ok(())
}

/// `GET /v1/admin/faults`.
pub async fn get(State(faults): State<Faults>) -> Json<v1::Faults> {
    Json(faults.config())
}

/// `POST /v1/admin/faults`: replaces the active faults; answers with them.
pub async fn set(
    State(faults): State<Faults>,
    crate::extract::Json(config): crate::extract::Json<v1::Faults>,
) -> Result<Json<v1::Faults>, Problem> {
    validate(&config)?;
    faults.lock().config = config;
    tracing::info!(?config, "sandbox faults set");
    Ok(Json(config))
}

/// The middleware: decides each request's fate before the handler sees it.
pub async fn inject(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/v1/admin/")
        || request.headers().contains_key(UNFAULTED_HEADER)
    {
        return next.run(request).await;
    }
    let (latency, fate) = faults.draw();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match fate {
        Fate::Served => next.run(request).await,
        Fate::Dropped => Response::new(Body::new(Severed)),
        Fate::Failed(status) => Problem::new(
            status,
            "injected-fault",
            "Injected fault",
            Some("the sandbox was told to fail this request".to_owned()),
        )
        .into_response(),
        Fate::AppliedThenStalled(stall) => {
            let response = next.run(request).await;
            // The client gives up meanwhile; if it hangs up, this future is dropped with it.
            tokio::time::sleep(stall).await;
            response
        }
        Fate::Duplicated(answer_second) => duplicate(request, next, answer_second).await,
    }
}

/// Runs a write twice at once, as a retransmitting network delivers it, and answers with one
/// of the two answers. Reads are served once: repeating them shows nothing.
async fn duplicate(request: Request, next: Next, answer_second: bool) -> Response {
    let is_write = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if !is_write {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_DUPLICATED_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(err) => {
            return Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-body",
                "Unreadable body",
                Some(err.to_string()),
            )
            .into_response();
        }
    };
    let copy = |bytes: Bytes| {
        let mut request = Request::new(Body::from(bytes));
        *request.method_mut() = parts.method.clone();
        *request.uri_mut() = parts.uri.clone();
        *request.version_mut() = parts.version;
        *request.headers_mut() = parts.headers.clone();
        request
    };
    let (first, second) = (copy(bytes.clone()), copy(bytes));
    let (first, second) = tokio::join!(next.clone().run(first), next.run(second));
    tracing::info!(
        first = %first.status(),
        second = %second.status(),
        "sandbox delivered a write twice"
    );
    if answer_second { second } else { first }
}

/// A response body that fails at once, which makes the server abort the connection without a
/// complete answer: what a client sees when a link or a proxy drops mid-request.
#[derive(Debug)]
struct Severed;

impl http_body::Body for Severed {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "injected drop",
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fates(config: v1::Faults, n: usize) -> Vec<Fate> {
        let faults = Faults::new(1);
        faults.lock().config = config;
        (0..n).map(|_| faults.draw().1).collect()
    }

    #[test]
    fn rates_are_per_mille_and_share_one_draw() {
        let all_drop = fates(
            v1::Faults {
                drop_rate: 1000,
                ..v1::Faults::default()
            },
            100,
        );
        assert!(all_drop.iter().all(|f| *f == Fate::Dropped));
        let mixed = fates(
            v1::Faults {
                drop_rate: 100,
                error_rate: 100,
                apply_then_timeout_rate: 100,
                duplicate_rate: 100,
                ..v1::Faults::default()
            },
            10_000,
        );
        let count = |pred: fn(&Fate) -> bool| mixed.iter().filter(|f| pred(f)).count();
        let dropped = count(|f| *f == Fate::Dropped);
        let failed = count(|f| matches!(f, Fate::Failed(_)));
        let stalled = count(|f| matches!(f, Fate::AppliedThenStalled(_)));
        let duplicated = count(|f| matches!(f, Fate::Duplicated(_)));
        for n in [dropped, failed, stalled, duplicated] {
            assert!(
                (800..1200).contains(&n),
                "{dropped} {failed} {stalled} {duplicated}"
            );
        }
        assert_eq!(fates(v1::Faults::default(), 100), vec![Fate::Served; 100]);
    }

    #[test]
    fn impossible_configs_are_refused() {
        let ok = v1::Faults {
            error_rate: 500,
            drop_rate: 500,
            ..v1::Faults::default()
        };
        assert!(
            validate(&ok).is_ok(),
            "rates adding up to exactly 1000 are allowed"
        );
        for bad in [
            v1::Faults {
                error_rate: 1001,
                ..v1::Faults::default()
            },
            v1::Faults {
                error_rate: 600,
                apply_then_timeout_rate: 401,
                ..v1::Faults::default()
            },
            v1::Faults {
                latency_ms: MAX_LATENCY_MS + 1,
                ..v1::Faults::default()
            },
        ] {
            assert!(validate(&bad).is_err(), "{bad:?}");
        }
    }
}
