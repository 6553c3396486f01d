//! The sandbox's HTTP face: the v1 contract, with RFC 9457 problem bodies for every error.

use crate::auth::{self, Tokens};
use crate::faults::{self, Faults};
use crate::store::Store;
use crate::{
    anchors, articles, attribution, batch, campaigns, cards, changes, complaints, consents,
    customers, disputes, fees, identity, insights, links, practice, signups, transactions, wallets,
};
use axum::extract::{FromRef, State};
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Router, middleware};
use walletdesk_corebank::v1;

pub const NAME: &str = "Walletdesk Sandbox Core Bank";

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    /// "sandbox-seed-<seed>", from the seed the stored data was made with.
    pub instance: String,
    pub faults: Faults,
}

impl FromRef<AppState> for Faults {
    fn from_ref(state: &AppState) -> Faults {
        state.faults.clone()
    }
}

/// Every route, behind the token check and fault injection. Batch items are run through
/// [`contract_routes`] inside the batch handler, after the batch itself passed both.
pub fn router(state: AppState, tokens: Tokens) -> Router {
    contract_routes()
        .route("/v1/batch", post(batch::run))
        .route("/v1/admin/faults", get(faults::get).post(faults::set))
        // The bank's self sign-up page, which a QR code's link opens (sandbox only).
        .route("/v1/admin/self-signups", post(links::self_sign_up))
        // Not among the batch's routes: an anchor is per console, known from the token of
        // the request, and a head is sent on its own.
        .route("/v1/audit-anchor", get(anchors::get).put(anchors::put))
        // Before any handler work, so an injected drop or error happens first.
        .layer(middleware::from_fn_with_state(
            state.faults.clone(),
            faults::inject,
        ))
        // Outermost: a request without a valid token draws no fault and reaches no route.
        .layer(middleware::from_fn_with_state(tokens, auth::require))
        .with_state(state)
}

/// The routes of the contract's resources, without the batch and admin endpoints and without
/// fault injection: what a batch item may reach (the batch as a whole is faulted once).
pub fn contract_routes() -> Router<AppState> {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/changes", get(changes::feed))
        .route(
            "/v1/customers",
            get(customers::search).post(customers::create),
        )
        .route(
            "/v1/customers/{id}",
            get(customers::get).patch(customers::update),
        )
        .route(
            "/v1/customers/{id}/resident-id/reveal",
            post(customers::reveal),
        )
        .route("/v1/wallets", post(wallets::open))
        .route("/v1/customers/{id}/wallets", get(wallets::of_customer))
        .route("/v1/limit-schemes", get(wallets::schemes))
        .route("/v1/fees", get(fees::list))
        .route("/v1/wallets/{id}", get(wallets::get))
        .route("/v1/wallets/{id}/tier", post(wallets::change_tier))
        .route("/v1/wallets/{id}/freeze", post(wallets::freeze))
        .route("/v1/wallets/{id}/unfreeze", post(wallets::unfreeze))
        .route("/v1/otp", post(identity::send_otp))
        .route("/v1/otp/verify", post(identity::verify_otp))
        .route("/v1/identity-checks", post(identity::check_identity))
        .route("/v1/screenings", post(identity::screen))
        .route(
            "/v1/customers/{id}/consents",
            get(consents::list).post(consents::grant),
        )
        .route("/v1/consents/{id}/withdraw", post(consents::withdraw))
        .route("/v1/wallets/{id}/cards", get(cards::list).post(cards::link))
        .route(
            "/v1/wallets/{id}/cards/{card_id}/unlink",
            post(cards::unlink),
        )
        .route("/v1/wallets/{id}/transactions", get(transactions::list))
        .route("/v1/transactions/{id}", get(transactions::get))
        .route("/v1/payments", post(transactions::pay))
        .route("/v1/practice-payments", post(practice::pay))
        .route(
            "/v1/practice-payments/{id}/reversal",
            post(practice::reverse),
        )
        .route("/v1/complaints", post(complaints::register))
        .route("/v1/complaints/{id}", get(complaints::get))
        .route("/v1/complaints/{id}/status", post(complaints::set_status))
        .route("/v1/incentives/claims", post(complaints::claim))
        .route("/v1/campaigns", post(campaigns::save_campaign))
        .route("/v1/booths", post(campaigns::save_booth))
        .route("/v1/signups", post(signups::sign_up))
        .route("/v1/sign-up-links", post(links::create))
        .route("/v1/customers/{id}/attribution", post(attribution::change))
        .route("/v1/disputes", post(disputes::open))
        .route("/v1/disputes/{id}", get(disputes::get))
        .route("/v1/disputes/{id}/evidence", post(disputes::add_evidence))
        .route(
            "/v1/disputes/{id}/provisional-credit",
            post(disputes::provisional_credit),
        )
        .route("/v1/disputes/{id}/decision", post(disputes::decide))
        .route("/v1/disputes/{id}/reverse", post(disputes::reverse))
        .route("/v1/disputes/{id}/chargeback", post(disputes::chargeback))
        .route("/v1/reports", get(insights::report))
        .route("/v1/articles/{id}", get(articles::get))
        .route("/v1/articles/{id}/draft", post(articles::save_draft))
        .route("/v1/articles/{id}/publish", post(articles::publish))
        .route("/v1/articles/{id}/flags", post(articles::flag))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// Reads the counts the writes keep (one row), never counts tables: the status bar polls this.
async fn health(State(state): State<AppState>) -> Result<axum::Json<v1::Health>, Problem> {
    let counts = state.store.counts().await.map_err(|err| {
        tracing::error!(error = ?err, "health: reading the stored counts failed");
        Problem::internal()
    })?;
    Ok(axum::Json(v1::Health {
        status: "ok".to_owned(),
        name: NAME.to_owned(),
        version: "v1".to_owned(),
        instance: state.instance,
        training: true,
        customers: counts.customers,
        wallets: counts.wallets,
        transactions: counts.transactions,
    }))
}

async fn not_found(method: Method, uri: Uri) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        Some(format!("no resource at {method} {}", uri.path())),
    )
}

async fn method_not_allowed(method: Method, uri: Uri) -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "Method not allowed",
        Some(format!("{} does not accept {method}", uri.path())),
    )
}

/// An error response in RFC 9457 form.
#[derive(Debug)]
pub struct Problem(v1::Problem);

impl Problem {
    /// `slug` is the last part of the stable `type` URI (see `v1::problem_types`).
    pub fn new(status: StatusCode, slug: &str, title: &str, detail: Option<String>) -> Problem {
        Problem(v1::Problem {
            kind: format!("{}{slug}", v1::PROBLEM_TYPE_BASE),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            tries_remaining: None,
        })
    }

    /// The last part of the `type` URI, e.g. "duplicate-claim".
    pub fn slug(&self) -> &str {
        self.0
            .kind
            .strip_prefix(v1::PROBLEM_TYPE_BASE)
            .unwrap_or(&self.0.kind)
    }

    pub fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The tries a payment password has left (practice payments, contract 1.11.0).
    pub fn set_tries_remaining(&mut self, left: u32) {
        self.0.tries_remaining = Some(left);
    }

    pub fn problem(&self) -> &v1::Problem {
        &self.0
    }

    /// The problem+json body.
    pub fn body(&self) -> Vec<u8> {
        // A struct of strings and a number always serialises.
        serde_json::to_vec(&self.0).unwrap_or_default()
    }

    /// Details go to the log, not to the client.
    pub fn internal() -> Problem {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            None,
        )
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        (
            self.status(),
            [(header::CONTENT_TYPE, v1::PROBLEM_CONTENT_TYPE)],
            self.body(),
        )
            .into_response()
    }
}
