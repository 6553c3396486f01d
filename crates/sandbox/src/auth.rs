//! Bearer tokens: which consoles may speak to the sandbox.
//!
//! Every request needs `Authorization: Bearer <token>` with a token the sandbox was configured
//! with, except `GET /v1/health` without any `Authorization` header (a probe that says nothing
//! about customers). A health probe that does carry a token must carry a right one, so a
//! console with a wrong token learns it from its first status-bar poll instead of showing
//! "connected" while every sync fails. The admin endpoint takes the same tokens: the sandbox
//! holds synthetic data only, and whoever may write to it may also make it fail.
//!
//! Refusals are `401` problem+json of type `unauthorized` with `WWW-Authenticate: Bearer`.
//! Tokens are compared in constant time (SHA-256 of each, compared with `subtle`, every
//! configured token checked), and never logged or echoed: a refusal says only whether a token
//! was missing or wrong.

use crate::http::Problem;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use walletdesk_corebank::v1;

/// Which console a request comes from: the SHA-256 of its token, in hex. Put in the request's
/// extensions by [`require`] for every accepted token, so a handler can keep per-console state
/// (the audit anchor) without ever holding the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Console(String);

impl Console {
    pub fn id(&self) -> &str {
        &self.0
    }
}

/// The tokens the sandbox accepts, kept only as SHA-256 digests. Cheap to clone.
#[derive(Clone)]
pub struct Tokens {
    digests: Arc<[[u8; 32]]>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tokens({} accepted, redacted)", self.digests.len())
    }
}

/// Why a configured token list cannot be used. Says which entry, never what it holds.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokensError {
    #[error(
        "the sandbox needs at least one console token (SandboxConfig::tokens, or \
         WALLETDESK_SANDBOX_TOKEN for the binary)"
    )]
    None,
    #[error(
        "console token number {0} is not a valid bearer token ({min} to {max} letters, digits \
         or -._~+/)",
        min = v1::BEARER_TOKEN_MIN_LEN,
        max = v1::BEARER_TOKEN_MAX_LEN
    )]
    Invalid(usize),
}

/// What a request presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presented {
    Nothing,
    Accepted,
    Refused,
}

impl Tokens {
    pub fn new(tokens: &[SecretString]) -> Result<Tokens, TokensError> {
        if tokens.is_empty() {
            return Err(TokensError::None);
        }
        let mut digests = Vec::with_capacity(tokens.len());
        for (index, token) in tokens.iter().enumerate() {
            let token = token.expose_secret();
            if !v1::is_valid_bearer_token(token) {
                return Err(TokensError::Invalid(index + 1));
            }
            digests.push(digest(token.as_bytes()));
        }
        Ok(Tokens {
            digests: digests.into(),
        })
    }

    /// True when `presented` is one of the tokens. Hashing first makes the comparison
    /// independent of the tokens' lengths; every digest is compared, so the time does not say
    /// which one matched either.
    fn accepts(&self, presented: &[u8]) -> bool {
        let presented = digest(presented);
        let mut any = subtle::Choice::from(0);
        for accepted in self.digests.iter() {
            any |= accepted.ct_eq(&presented);
        }
        any.into()
    }

    fn check(&self, authorization: Option<&HeaderValue>) -> Presented {
        let Some(value) = authorization else {
            return Presented::Nothing;
        };
        let Some(token) = bearer(value) else {
            return Presented::Refused;
        };
        if self.accepts(token) {
            Presented::Accepted
        } else {
            Presented::Refused
        }
    }
}

/// RFC 9110: the scheme is case-insensitive; one space, then the token.
fn bearer(value: &HeaderValue) -> Option<&[u8]> {
    match value.as_bytes().split_at_checked(7) {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case(b"bearer ") => Some(token),
        _ => None,
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The middleware: outermost, so an unauthorised request reaches no handler, draws no
/// injected fault and learns nothing about which paths exist.
pub async fn require(State(tokens): State<Tokens>, mut request: Request, next: Next) -> Response {
    let presented = tokens.check(request.headers().get(header::AUTHORIZATION));
    let open_probe = request.method() == Method::GET && request.uri().path() == "/v1/health";
    match presented {
        Presented::Accepted => {
            let console = request
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(bearer)
                .map(|token| Console(hex::encode(digest(token))));
            if let Some(console) = console {
                request.extensions_mut().insert(console);
            }
            next.run(request).await
        }
        Presented::Nothing if open_probe => next.run(request).await,
        Presented::Nothing => refuse(
            request.method(),
            request.uri().path(),
            "no bearer token: send Authorization: Bearer <this console's token>",
            None,
        ),
        Presented::Refused => refuse(
            request.method(),
            request.uri().path(),
            "the bearer token is not one this core bank accepts",
            Some("invalid_token"),
        ),
    }
}

fn refuse(method: &Method, path: &str, detail: &str, error: Option<&str>) -> Response {
    // The path is logged for whoever runs the sandbox; the header's value never is.
    tracing::info!(%method, path, reason = detail, "refused a request without a valid token");
    let mut response = Problem::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Unauthorized",
        Some(detail.to_owned()),
    )
    .into_response();
    // RFC 6750 section 3: the scheme, the realm, and the error code when a token was sent.
    let challenge = match error {
        Some(code) => format!("Bearer realm=\"walletdesk\", error=\"{code}\""),
        None => "Bearer realm=\"walletdesk\"".to_owned(),
    };
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> Tokens {
        Tokens::new(&[
            SecretString::from("console-one-0123456789"),
            SecretString::from("console-two-0123456789"),
        ])
        .expect("valid")
    }

    fn header(text: &str) -> HeaderValue {
        HeaderValue::from_str(text).expect("header")
    }

    #[test]
    fn each_configured_token_is_accepted_and_nothing_else() {
        let tokens = tokens();
        for good in [
            "Bearer console-one-0123456789",
            "bearer console-two-0123456789",
            "BEARER console-one-0123456789",
        ] {
            assert_eq!(
                tokens.check(Some(&header(good))),
                Presented::Accepted,
                "{good}"
            );
        }
        for bad in [
            "Bearer console-one-012345678",
            "Bearer console-one-01234567890",
            "Bearer  console-one-0123456789",
            "Bearer console-one-0123456789 ",
            "Basic console-one-0123456789",
            "console-one-0123456789",
            "Bearer",
            "",
        ] {
            assert_eq!(
                tokens.check(Some(&header(bad))),
                Presented::Refused,
                "{bad:?}"
            );
        }
        assert_eq!(tokens.check(None), Presented::Nothing);
    }

    #[test]
    fn no_or_malformed_tokens_cannot_be_configured_and_debug_shows_none() {
        assert_eq!(Tokens::new(&[]).err(), Some(TokensError::None));
        let err = Tokens::new(&[
            SecretString::from("console-one-0123456789"),
            SecretString::from("short secret"),
        ])
        .err();
        assert_eq!(err, Some(TokensError::Invalid(2)));
        assert!(!format!("{err:?}").contains("secret"));
        let debug = format!("{:?}", tokens());
        assert!(!debug.contains("console"), "{debug}");
    }
}
