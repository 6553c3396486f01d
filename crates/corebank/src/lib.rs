//! The core-bank contract and the HTTP client that speaks it.
//!
//! [`v1`] holds the wire types; [`Client`] calls a core over HTTPS (or plain HTTP on loopback
//! for the sandbox) and implements [`walletdesk_core::corelink::CoreLink`], so the rest of
//! Walletdesk never sees HTTP.
//!
//! The console's bearer token travels as a [`SecretString`]: its `Debug` is redacted, it is
//! zeroed when dropped, and it is sent only over TLS or to this machine (loopback).

pub mod openapi;
pub mod resources;
mod sync;
pub mod v1;

pub use sync::route;

use async_trait::async_trait;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};
use secrecy::ExposeSecret;
pub use secrecy::SecretString;
use secrecy::zeroize::Zeroizing;
use std::fmt;
use std::time::Duration;
use walletdesk_core::corelink::{CoreIdentity, CoreLink, LinkError};

/// A core that has not accepted the connection by then is treated as down; the status bar
/// polls, so waiting longer only delays the "offline" badge.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Whole-request budget, including reading the body.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// Timeouts and retries of a [`Client`]; the defaults suit a console talking to its bank.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Reads and keyed writes called directly are retried this many times on a retryable
    /// failure, with exponential backoff and jitter. The sync engine's batches are not: it
    /// keeps its own, persisted, backoff.
    pub retries: usize,
    pub first_retry_after: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: CONNECT_TIMEOUT,
            request_timeout: REQUEST_TIMEOUT,
            retries: 2,
            first_retry_after: Duration::from_millis(200),
        }
    }
}

/// Why a call to the core failed. [`ClientError::is_retryable`] separates what may succeed if
/// sent again (the network, an overloaded or restarting core) from what never will.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("invalid core bank address: {0}")]
    InvalidUrl(String),
    #[error(
        "the access token is not a valid bearer token ({min} to {max} letters, digits or -._~+/)",
        min = v1::BEARER_TOKEN_MIN_LEN,
        max = v1::BEARER_TOKEN_MAX_LEN
    )]
    InvalidToken,
    #[error("could not set up the HTTP client: {0}")]
    Setup(String),
    #[error("could not connect to the core bank: {0}")]
    Connect(String),
    #[error("the core bank did not answer in time")]
    Timeout,
    #[error("the connection to the core bank failed: {0}")]
    Transport(String),
    #[error("the core bank failed ({status}): {title}")]
    Server { status: u16, title: String },
    #[error("the core bank refused the request ({status}): {title}")]
    Rejected { status: u16, title: String },
    /// 401: the core does not accept this console's token (none sent, wrong, or revoked).
    /// Final: repeating the request cannot help until the console is given a valid token, so
    /// neither this client nor the sync engine treats it as a per-operation refusal.
    #[error("this console is not authorised with the core bank ({0})")]
    Unauthorized(String),
    #[error("the core bank sent an answer that does not match the contract: {0}")]
    BadBody(String),
}

impl ClientError {
    /// True when the same request may succeed later unchanged.
    pub fn is_retryable(&self) -> bool {
        match self {
            ClientError::Connect(_)
            | ClientError::Timeout
            | ClientError::Transport(_)
            | ClientError::Server { .. } => true,
            ClientError::InvalidUrl(_)
            | ClientError::InvalidToken
            | ClientError::Setup(_)
            | ClientError::Rejected { .. }
            | ClientError::Unauthorized(_)
            | ClientError::BadBody(_) => false,
        }
    }

    fn from_reqwest(err: reqwest::Error) -> ClientError {
        // The URL in reqwest's message is the core's address, which is not secret; the token
        // travels in a header and never appears in it.
        if err.is_timeout() {
            ClientError::Timeout
        } else if err.is_connect() {
            ClientError::Connect(error_chain(&err))
        } else if err.is_decode() {
            ClientError::BadBody(error_chain(&err))
        } else if err.is_builder() {
            ClientError::Setup(error_chain(&err))
        } else {
            // A reset or truncated response: the core may be restarting.
            ClientError::Transport(error_chain(&err))
        }
    }

    fn from_status(status: StatusCode, body: &[u8]) -> ClientError {
        let problem = serde_json::from_slice::<v1::Problem>(body).ok();
        // A write whose first attempt is still running: the retry gets that attempt's answer.
        let in_flight = problem
            .as_ref()
            .is_some_and(|p| p.kind == v1::problem_types::IDEMPOTENCY_KEY_IN_FLIGHT);
        let title = problem
            .map(|problem| match problem.detail {
                Some(detail) => format!("{}: {detail}", problem.title),
                None => problem.title,
            })
            .unwrap_or_else(|| {
                status
                    .canonical_reason()
                    .unwrap_or("unknown status")
                    .to_owned()
            });
        let code = status.as_u16();
        if status == StatusCode::UNAUTHORIZED {
            return ClientError::Unauthorized(title);
        }
        // 408 and 429 are 4xx but say "not now" rather than "never".
        if status.is_server_error()
            || status == StatusCode::REQUEST_TIMEOUT
            || status == StatusCode::TOO_MANY_REQUESTS
            || in_flight
        {
            ClientError::Server {
                status: code,
                title,
            }
        } else {
            ClientError::Rejected {
                status: code,
                title,
            }
        }
    }
}

/// reqwest's top-level message ("error sending request") hides the useful cause
/// ("connection refused"), so the sources are joined.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// HTTP client for one core bank. Cheap to clone: clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    /// Normalised without a trailing slash, so paths are appended as "/v1/...".
    base_url: String,
    has_token: bool,
    options: ClientOptions,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field(
                "token",
                &if self.has_token {
                    "<redacted>"
                } else {
                    "<none>"
                },
            )
            .finish()
    }
}

/// Checks a core's base address and puts it in the one form the client uses (no trailing
/// slash): the same core always gets the same string, which is also what the console keys its
/// stored token by. Plain `http` is refused except to this machine (loopback), so a token and
/// customer data never cross a network in clear.
pub fn normalise_base_url(base_url: &str) -> Result<String, ClientError> {
    Ok(parse_base_url(base_url)?
        .as_str()
        .trim_end_matches('/')
        .to_owned())
}

fn parse_base_url(base_url: &str) -> Result<Url, ClientError> {
    let url = Url::parse(base_url.trim())
        .map_err(|err| ClientError::InvalidUrl(format!("{base_url:?}: {err}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ClientError::InvalidUrl(format!(
            "{base_url:?}: only http and https are supported"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // The base URL is shown in the status bar and logged; credentials go in the token.
        return Err(ClientError::InvalidUrl(
            "the address must not contain a user name or password".to_owned(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ClientError::InvalidUrl(format!(
            "{base_url:?}: must not have a query or fragment"
        )));
    }
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(ClientError::InvalidUrl(format!(
            "{base_url:?}: a core bank on another machine must be reached over https \
             (plain http is for this machine only, e.g. the sandbox on 127.0.0.1)"
        )));
    }
    Ok(url)
}

impl Client {
    /// `base_url` is where the contract is mounted, e.g. `https://core.example/api` (the client
    /// appends `/v1/...`); `http` only on loopback. `token`, when given, is sent as a bearer
    /// token on every request.
    pub fn new(base_url: &str, token: Option<SecretString>) -> Result<Client, ClientError> {
        Client::with_options(base_url, token, ClientOptions::default())
    }

    pub fn with_options(
        base_url: &str,
        token: Option<SecretString>,
        options: ClientOptions,
    ) -> Result<Client, ClientError> {
        let url = parse_base_url(base_url)?;

        let mut headers = HeaderMap::new();
        let has_token = token.is_some();
        if let Some(token) = token {
            if !v1::is_valid_bearer_token(token.expose_secret()) {
                return Err(ClientError::InvalidToken);
            }
            let line = Zeroizing::new(format!("Bearer {}", token.expose_secret()));
            let mut value = HeaderValue::from_str(&line).map_err(|_| ClientError::InvalidToken)?;
            // Keeps the value out of reqwest's and hyper's own debug output.
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }

        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .default_headers(headers)
            // A contract API has no reason to redirect, and following one could carry the
            // token to another host or down to plain http.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("walletdesk/", env!("CARGO_PKG_VERSION")));
        if is_loopback(&url) {
            // The sandbox runs beside the app; a system proxy could not reach it anyway.
            builder = builder.no_proxy();
        } else {
            builder = builder.https_only(true);
        }
        let http = builder
            .build()
            .map_err(|err| ClientError::Setup(error_chain(&err)))?;

        Ok(Client {
            http,
            base_url: url.as_str().trim_end_matches('/').to_owned(),
            has_token,
            options,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `GET /v1/health`, tried once: it is the connectivity probe, and a retry would only
    /// delay the "offline" badge.
    pub async fn health(&self) -> Result<v1::Health, ClientError> {
        self.get_json_once("/v1/health").await
    }

    /// Runs `call` and retries it while it fails retryably, up to `options.retries` times.
    /// Only for calls that are safe to repeat: reads, and writes under one idempotency key.
    async fn retrying<T, F, Fut>(&self, call: F) -> Result<T, ClientError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ClientError>>,
    {
        use backon::Retryable;
        let backoff = backon::ExponentialBuilder::default()
            .with_min_delay(self.options.first_retry_after)
            .with_max_times(self.options.retries)
            .with_jitter();
        call.retry(backoff)
            .when(ClientError::is_retryable)
            .notify(|err, after| tracing::debug!(error = %err, ?after, "retrying a core call"))
            .await
    }

    /// `POST /v1/customers`. `key` is the operation's idempotency key: the same for every
    /// retry of this creation, so the core creates the customer at most once. A 409 "still in
    /// flight" is retryable; a duplicate customer, a reused key or a refused field is final.
    pub async fn create_customer(
        &self,
        key: &str,
        req: &v1::NewCustomer,
    ) -> Result<v1::Customer, ClientError> {
        self.post_json("/v1/customers", key, req).await
    }

    /// `GET /v1/customers/{id}`.
    pub async fn get_customer(&self, id: &str) -> Result<v1::Customer, ClientError> {
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            // Never let an id turn into another path.
            return Err(ClientError::Rejected {
                status: 404,
                title: format!("not a customer id: {id:?}"),
            });
        }
        self.get_json(&format!("/v1/customers/{id}")).await
    }

    /// `PUT /v1/audit-anchor`: stores this console's audit head at the core. A PUT of the
    /// same head again changes nothing, so it is retried without an idempotency key; a head
    /// that does not extend the one the core holds is refused (409 `audit-anchor-behind`).
    pub async fn put_audit_anchor(
        &self,
        head: &v1::AuditAnchorRequest,
    ) -> Result<v1::AuditAnchor, ClientError> {
        let previous_ok = head
            .previous_hash
            .as_deref()
            .is_none_or(v1::is_valid_head_hash)
            && head.previous_sequence.is_none_or(|seq| seq >= 1);
        if !v1::is_valid_head_hash(&head.head_hash) || head.sequence < 1 || !previous_ok {
            return Err(ClientError::Rejected {
                status: 422,
                title: "an audit head is a sequence from 1 and 64 lowercase hex digits".into(),
            });
        }
        let url = format!("{}/v1/audit-anchor", self.base_url);
        self.retrying(|| {
            let request = self.http.put(&url).json(head);
            self.send_json("/v1/audit-anchor", request)
        })
        .await
    }

    /// `GET /v1/audit-anchor`: the audit head the core holds for this console (404 before the
    /// first anchor).
    pub async fn get_audit_anchor(&self) -> Result<v1::AuditAnchor, ClientError> {
        self.get_json("/v1/audit-anchor").await
    }

    pub(crate) async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<T, ClientError> {
        self.retrying(|| self.get_json_once(path)).await
    }

    async fn get_json_once<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<T, ClientError> {
        let url = format!("{}{path}", self.base_url);
        let request = self.http.get(&url);
        self.send_json(path, request).await
    }

    /// A keyed write, retried: the key makes a repeat a replay at the core.
    pub(crate) async fn post_json<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        key: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        self.retrying(|| self.post_json_once(path, key, body)).await
    }

    async fn post_json_once<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        key: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        if !v1::is_valid_idempotency_key(key) {
            return Err(ClientError::Rejected {
                status: 400,
                title: "the idempotency key must be 1 to 128 visible ASCII characters".to_owned(),
            });
        }
        let url = format!("{}{path}", self.base_url);
        let request = self
            .http
            .post(&url)
            .header(v1::IDEMPOTENCY_KEY_HEADER, key)
            .json(body);
        self.send_json(path, request).await
    }

    pub(crate) async fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        let url = format!("{}{path}", self.base_url);
        let response = request.send().await.map_err(ClientError::from_reqwest)?;
        let status = response.status();
        let body = response.bytes().await.map_err(ClientError::from_reqwest)?;
        if !status.is_success() {
            let err = ClientError::from_status(status, &body);
            tracing::debug!(%url, %status, error = %err, "core bank answered with an error");
            return Err(err);
        }
        serde_json::from_slice(&body).map_err(|err| {
            tracing::debug!(%url, error = %err, "core bank answer does not match the contract");
            ClientError::BadBody(format!("{path}: {err}"))
        })
    }
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[async_trait]
impl CoreLink for Client {
    fn url(&self) -> String {
        self.base_url.clone()
    }

    async fn identity(&self) -> Result<CoreIdentity, LinkError> {
        let health = self.health().await.map_err(crate::sync::link_error)?;
        Ok(CoreIdentity {
            name: health.name,
            version: health.version,
            instance: health.instance,
            training: health.training,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_normalised() {
        let client = Client::new("http://127.0.0.1:8080/", None).expect("valid");
        assert_eq!(client.base_url(), "http://127.0.0.1:8080");
        let client = Client::new(" https://core.example/api/ ", None).expect("valid");
        assert_eq!(client.url(), "https://core.example/api");
    }

    #[test]
    fn unusable_addresses_are_refused() {
        for bad in [
            "",
            "core.example",
            "ftp://core.example",
            "https://user:secret@core.example",
            "https://core.example/?x=1",
            // The token and customer data would cross the network in clear.
            "http://core.example",
            "http://10.0.0.5:8080",
            "http://[fe80::1]:8080",
            "http://127.0.0.1.core.example",
        ] {
            let err = Client::new(bad, None).expect_err(bad);
            assert!(matches!(err, ClientError::InvalidUrl(_)), "{bad}: {err:?}");
            assert!(!err.is_retryable());
            assert!(!err.to_string().contains("secret"), "{err}");
        }
    }

    #[test]
    fn plain_http_is_only_for_this_machine() {
        for good in [
            "http://127.0.0.1:8080",
            "http://127.8.9.10:8080",
            "http://localhost:8080",
            "http://[::1]:8080",
            "https://core.example",
        ] {
            assert!(Client::new(good, None).is_ok(), "{good}");
        }
        assert_eq!(
            normalise_base_url(" https://core.example/api/ ").expect("valid"),
            "https://core.example/api"
        );
    }

    #[test]
    fn debug_never_shows_the_token() {
        let token = SecretString::from("s3cr3t-token-0123456789");
        let client = Client::new("https://core.example", Some(token.clone())).expect("valid");
        let debug = format!("{client:?} {token:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
    }

    #[test]
    fn malformed_tokens_are_refused_without_being_echoed() {
        for bad in ["a\nb-0123456789abcdef", "short", "with space 0123456789"] {
            let err = Client::new("https://core.example", Some(SecretString::from(bad)))
                .expect_err("bad");
            assert!(matches!(err, ClientError::InvalidToken), "{err:?}");
            assert!(!err.to_string().contains(bad), "{err}");
        }
    }

    #[test]
    fn unauthorized_is_final_and_says_so() {
        let problem = br#"{"type":"https://walletdesk.invalid/problems/unauthorized","title":"Unauthorized","status":401,"detail":"no bearer token"}"#;
        let err = ClientError::from_status(StatusCode::UNAUTHORIZED, problem);
        assert!(matches!(err, ClientError::Unauthorized(_)), "{err:?}");
        assert!(!err.is_retryable());
        assert!(
            err.to_string()
                .starts_with("this console is not authorised with the core bank"),
            "{err}"
        );
        let bare = ClientError::from_status(StatusCode::UNAUTHORIZED, b"");
        assert!(matches!(bare, ClientError::Unauthorized(_)), "{bare:?}");
    }

    #[test]
    fn only_the_in_flight_conflict_is_retryable() {
        let problem =
            |kind: &str| format!(r#"{{"type":"{kind}","title":"t","status":409}}"#).into_bytes();
        let in_flight = ClientError::from_status(
            StatusCode::CONFLICT,
            &problem(v1::problem_types::IDEMPOTENCY_KEY_IN_FLIGHT),
        );
        assert!(in_flight.is_retryable(), "{in_flight:?}");
        let duplicate = ClientError::from_status(
            StatusCode::CONFLICT,
            &problem(v1::problem_types::DUPLICATE_CUSTOMER),
        );
        assert!(!duplicate.is_retryable(), "{duplicate:?}");
        let reused = ClientError::from_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &problem(v1::problem_types::IDEMPOTENCY_KEY_REUSED),
        );
        assert!(!reused.is_retryable(), "{reused:?}");
    }

    #[test]
    fn statuses_are_classified() {
        let problem = br#"{"type":"https://walletdesk.invalid/problems/not-found","title":"Not found","status":404,"detail":"no route /v1/x"}"#;
        let not_found = ClientError::from_status(StatusCode::NOT_FOUND, problem);
        assert!(!not_found.is_retryable());
        assert_eq!(
            not_found.to_string(),
            "the core bank refused the request (404): Not found: no route /v1/x"
        );
        for (status, retryable) in [
            (StatusCode::BAD_REQUEST, false),
            (StatusCode::UNAUTHORIZED, false),
            (StatusCode::FORBIDDEN, false),
            (StatusCode::REQUEST_TIMEOUT, true),
            (StatusCode::TOO_MANY_REQUESTS, true),
            (StatusCode::INTERNAL_SERVER_ERROR, true),
            (StatusCode::BAD_GATEWAY, true),
            (StatusCode::SERVICE_UNAVAILABLE, true),
        ] {
            let err = ClientError::from_status(status, b"not json");
            assert_eq!(err.is_retryable(), retryable, "{status}");
        }
    }
}
