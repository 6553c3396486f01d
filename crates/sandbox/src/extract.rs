//! The extractors the handlers use instead of axum's own, so that every rejection is answered
//! in RFC 9457 problem+json like every other error: axum's `Query`, `Path` and `Json` answer
//! a malformed query, path or body in `text/plain`, which the contract does not allow.

use crate::http::Problem;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

/// `axum::extract::Query`, refusing with 400 `invalid-query`.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(query)) => Ok(Query(query)),
            Err(err) => Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-query",
                "Invalid query",
                Some(err.body_text()),
            )),
        }
    }
}

/// `axum::extract::Path`. A segment that cannot be read (percent-encoded bytes that are not
/// UTF-8) names no resource: 404 `not-found`, which every operation with a path id lists.
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(err) if err.status().is_server_error() => {
                tracing::error!(error = %err.body_text(), "a route's path parameters do not fit");
                Err(Problem::internal())
            }
            Err(err) => Err(Problem::new(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                Some(format!(
                    "no resource at {}: {}",
                    parts.uri.path(),
                    err.body_text()
                )),
            )),
        }
    }
}

/// True for `application/json` and `application/<anything>+json`, parameters aside: the
/// media types a JSON body may be sent as.
pub fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|sub| sub.ends_with("+json"))
}

/// The 415 every operation with a body gives for a body that is not sent as JSON.
pub fn unsupported_media_type() -> Problem {
    Problem::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
        "Body must be JSON",
        Some("send the body with Content-Type: application/json".to_owned()),
    )
}

/// The body's bytes, once its Content-Type says JSON: 415 otherwise, 400 `invalid-body` when
/// it cannot be read.
pub async fn json_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Problem> {
    if !is_json(req.headers()) {
        return Err(unsupported_media_type());
    }
    Bytes::from_request(req, state).await.map_err(|err| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid-body",
            "Unreadable body",
            Some(err.body_text()),
        )
    })
}

/// Parses a JSON body, writing whole numbers sent with a fraction (`4.0`) as integers: JSON
/// Schema counts `4.0` as an integer, so a field the contract types `integer` takes it, while
/// serde would refuse it for a `u8`. A number with a real fraction is left for serde to refuse.
pub fn parse_json(bytes: &[u8]) -> serde_json::Result<serde_json::Value> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes)?;
    whole_numbers_as_integers(&mut value);
    Ok(value)
}

fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(number) if number.is_f64() => {
            if let Some(whole) = number.as_f64().and_then(as_integer) {
                *value = serde_json::Value::from(whole);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        serde_json::Value::Object(map) => map.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

fn as_integer(number: f64) -> Option<i64> {
    // Inside ±2^53 every whole f64 is exact, so the conversion loses nothing.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    (number.fract() == 0.0 && number.abs() <= EXACT).then_some(number as i64)
}

/// A JSON body (`axum::Json` as an extractor): 415 when not sent as JSON, 400 `invalid-body`
/// when it is not the JSON the operation takes.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let bytes = json_bytes(req, state).await?;
        let invalid = |err: serde_json::Error| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-body",
                "Body does not match the contract",
                Some(err.to_string()),
            )
        };
        let value = parse_json(&bytes).map_err(invalid)?;
        serde_json::from_value(value).map(Json).map_err(invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn json_media_types_are_json_whatever_their_parameters() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            is_json(&headers)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/merge-patch+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/jsonx"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!is_json(&HeaderMap::new()));
    }

    #[test]
    fn whole_numbers_sent_with_a_fraction_are_integers() {
        let value =
            parse_json(br#"{"tier": 4.0, "n": [2.5, 1e2, -0.0], "s": "4.0"}"#).expect("json");
        assert_eq!(
            value,
            serde_json::json!({"tier": 4, "n": [2.5, 100, 0], "s": "4.0"})
        );
        assert!(parse_json(br#"{"x": 1e300}"#).expect("json")["x"].is_f64());
    }
}
