//! Signed self sign-up links, what a booth's QR code encodes (1.9.0).
//!
//! `POST /v1/sign-up-links` signs (campaign, booth, staff) with a key only the core holds
//! (HMAC-SHA256, kept in the sandbox's store), so nobody can make a code for a booth or staff
//! member the core did not sign, or re-point a printed code at someone else: changing any of
//! the three breaks the signature. The bank's own sign-up page, which a customer reaches by
//! scanning the code, checks the signature before it signs the person up; the sandbox stands
//! in for that page at `POST /v1/admin/self-signups`, and the sign-up is credited to the
//! link's booth and staff with channel "qr" and enters the change feed like any other.

use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;
use walletdesk_corebank::v1;

/// Where the sandbox's links point: the bank's self sign-up page (a reserved name: nothing
/// answers there; the sandbox's admin endpoint stands in for it).
pub const LINK_BASE: &str = "https://wallet.sandbox.walletdesk.invalid/s";
/// Bytes of the signature kept in a link (128 bits: forging needs 2^128 tries on average).
const SIGNATURE_BYTES: usize = 16;

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "sign-up link store access failed");
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

/// A staff id a link can carry as it is: a username's letters (no encoding needed in a URL).
fn is_link_staff(staff: &str) -> bool {
    (1..=64).contains(&staff.len())
        && staff
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The core's link key, made on first use.
async fn key(conn: &mut SqliteConnection) -> Result<Vec<u8>, Problem> {
    let mut fresh = [0u8; 32];
    rand::rng().fill(&mut fresh);
    sqlx::query("INSERT OR IGNORE INTO link_keys (id, secret) VALUES (1, ?)")
        .bind(fresh.as_slice())
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
    sqlx::query_scalar("SELECT secret FROM link_keys WHERE id = 1")
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)
}

fn mac(key: &[u8], campaign: &str, booth: &str, staff: &str) -> Result<Hmac<Sha256>, Problem> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(internal)?;
    // Codes and staff ids hold no '\n', so the fields cannot run into one another.
    mac.update(format!("{campaign}\n{booth}\n{staff}").as_bytes());
    Ok(mac)
}

fn link_url(campaign: &str, booth: &str, staff: &str, signature: &[u8]) -> String {
    format!(
        "{LINK_BASE}?c={campaign}&b={booth}&s={staff}&sig={}",
        hex::encode(&signature[..SIGNATURE_BYTES])
    )
}

/// Campaign, booth and staff a link names, if the core signed exactly those.
async fn verify(
    conn: &mut SqliteConnection,
    link: &str,
) -> Result<(String, String, String), Problem> {
    let refused = || {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-link",
            "Not a sign-up link this bank signed",
            Some("the link is not one the core signed (altered, or from elsewhere)".to_owned()),
        )
    };
    let query = link
        .trim()
        .strip_prefix(LINK_BASE)
        .and_then(|rest| rest.strip_prefix('?'))
        .ok_or_else(refused)?;
    let (mut c, mut b, mut s, mut sig) = (None, None, None, None);
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("c", v)) if c.is_none() => c = Some(v),
            Some(("b", v)) if b.is_none() => b = Some(v),
            Some(("s", v)) if s.is_none() => s = Some(v),
            Some(("sig", v)) if sig.is_none() => sig = Some(v),
            _ => return Err(refused()),
        }
    }
    let (Some(c), Some(b), Some(s), Some(sig)) = (c, b, s, sig) else {
        return Err(refused());
    };
    let signature = hex::decode(sig).map_err(|_| refused())?;
    if signature.len() != SIGNATURE_BYTES {
        return Err(refused());
    }
    let key = key(conn).await?;
    mac(&key, c, b, s)?
        .verify_truncated_left(&signature)
        .map_err(|_| refused())?;
    Ok((c.to_owned(), b.to_owned(), s.to_owned()))
}

/// The campaign's booths, or a refusal naming what is wrong.
async fn booths_of(conn: &mut SqliteConnection, campaign: &str) -> Result<Vec<String>, Problem> {
    let booths: Option<String> = sqlx::query_scalar("SELECT booths FROM campaigns WHERE code = ?")
        .bind(campaign)
        .fetch_optional(&mut *conn)
        .await
        .map_err(internal)?;
    let booths = booths.ok_or_else(|| invalid(format!("campaign: no campaign {campaign:?}")))?;
    serde_json::from_str(&booths).map_err(internal)
}

pub async fn create(
    State(state): State<AppState>,
    request: Idempotent<v1::SignUpLinkRequest>,
) -> Response {
    let write = CreateLink(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

#[derive(Debug)]
struct CreateLink(v1::SignUpLinkRequest);

impl Write for CreateLink {
    const OPERATION: &'static str = "sign-up-link";
    type Output = v1::SignUpLink;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        _now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::SignUpLink), Problem> {
        let r = self.0;
        let (campaign, booth, staff) = (r.campaign.trim(), r.booth.trim(), r.staff_id.trim());
        for (field, code) in [("campaign", campaign), ("booth", booth)] {
            if !v1::is_valid_campaign_code(code) {
                return Err(invalid(format!("{field}: a campaign or booth code")));
            }
        }
        if !is_link_staff(staff) {
            return Err(invalid(
                "staffId: 1 to 64 letters, digits, '.', '_' or '-' (a username)".to_owned(),
            ));
        }
        if !booths_of(conn, campaign).await?.iter().any(|b| b == booth) {
            return Err(invalid(format!(
                "booth: {booth:?} is not one of campaign {campaign:?}'s booths"
            )));
        }
        let key = key(conn).await?;
        let signature = mac(&key, campaign, booth, staff)?.finalize().into_bytes();
        Ok((
            StatusCode::OK,
            v1::SignUpLink {
                url: link_url(campaign, booth, staff, &signature),
                campaign: campaign.to_owned(),
                booth: booth.to_owned(),
                staff_id: staff.to_owned(),
            },
        ))
    }
}

pub async fn self_sign_up(
    State(state): State<AppState>,
    request: Idempotent<v1::SelfSignUp>,
) -> Response {
    let write = SelfSignUpWrite(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

#[derive(Debug)]
struct SelfSignUpWrite(v1::SelfSignUp);

impl Write for SelfSignUpWrite {
    const OPERATION: &'static str = "self-sign-up";
    type Output = v1::SignUp;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::SignUp), Problem> {
        let s = self.0;
        let (campaign, booth, staff) = verify(conn, &s.link).await?;
        // A signed link outlives a change of the campaign's booths: the page refuses it then.
        if !booths_of(conn, &campaign).await?.contains(&booth) {
            return Err(invalid(format!(
                "link: booth {booth:?} no longer takes part in campaign {campaign:?}"
            )));
        }
        let mobile = crate::customers::contract_mobile(&s.mobile).map_err(invalid)?;
        // The same person key the consoles compute (campaign and normalised mobile), so a
        // person who scanned a code and signed up at a booth too gets one incentive.
        let person_key = hex::encode(Sha256::digest(
            format!("{campaign}:{}", mobile.expose()).as_bytes(),
        ));
        let fen: Option<i64> =
            sqlx::query_scalar("SELECT incentive_fen FROM campaigns WHERE code = ?")
                .bind(&campaign)
                .fetch_one(&mut *conn)
                .await
                .map_err(internal)?;
        // Cashback pays its amount; other kinds count one fen against the budget, as a
        // console's claim does.
        let amount = fen.map_or_else(
            || "0.01".to_owned(),
            |f| format!("{}.{:02}", f / 100, f % 100),
        );
        let sign_up = v1::NewSignUp {
            external_id: uuid::Uuid::new_v4().to_string(),
            mobile: mobile.expose().to_owned(),
            name: s.name.clone(),
            // The bank's page asks both consents, each on its own, before it sends this.
            consents: ["general-processing", "sensitive-financial"]
                .into_iter()
                .map(|scope| v1::SignUpConsent {
                    scope: scope.to_owned(),
                    version: "self-2026-01".to_owned(),
                })
                .collect(),
            campaign,
            booth,
            staff_id: staff,
            channel: "qr".to_owned(),
            claim: Some(v1::SignUpClaim { amount, person_key }),
        };
        crate::signups::SignUp(sign_up).apply(conn, now).await
    }
}
