//! The v1 contract as an OpenAPI 3.1 document, built from the Rust types in [`crate::v1`].
//!
//! The rendered document is committed as `crates/corebank/openapi/v1.json`, for banks writing
//! an adapter for their own core. A test renders it again and fails when the committed file
//! differs, so the types, the sandbox and the published contract cannot drift apart.
//!
//! The functions below are never called: they only carry the `#[utoipa::path]` description of
//! each operation. The sandbox's handlers live in another crate, and the contract must not
//! depend on the sandbox.

#![allow(
    dead_code,
    reason = "the functions exist only to carry their #[utoipa::path] descriptions"
)]

use crate::v1::{
    Article, ArticleDraft, ArticleFlag, ArticlePublication, ArticleTag, ArticleVersion,
    Attribution, AttributionChange, Booth, BoothSave, Campaign, CampaignIncentive, CampaignSave,
    NewArticleFlag, NewAttribution, NewSignUp, SelfSignUp, SignUp, SignUpClaim, SignUpConsent,
    SignUpLink, SignUpLinkRequest,
};
use crate::v1::{
    AuditAnchor, AuditAnchorRequest, Batch, BatchItem, BatchResult, BatchResults, CardList,
    CardUnlink, Change, ChangePage, ChargebackRequest, Complaint, ComplaintStatusChange, Consent,
    ConsentList, ConsentWithdrawal, Customer, CustomerPage, CustomerRecord, CustomerUpdate,
    Dispute, DisputeDecision, Empty, Evidence, Faults, Health, IdentityCheck, IdentityCheckRequest,
    IncentiveClaim, LimitScheme, LimitSchemeList, LinkedCard, NewCard, NewComplaint, NewConsent,
    NewCustomer, NewDispute, NewEvidence, NewIncentiveClaim, NewWallet, OtpChallenge, OtpRequest,
    OtpVerification, OtpVerified, PaymentRequest, PracticePayment, PracticePaymentRequest, Problem,
    RevealRequest, RevealedResidentId, Screening, ScreeningRequest, TierChange, TierLimitRow,
    Transaction, TransactionPage, Wallet, WalletHold, WalletLimits, WalletList, WalletRecord,
    WalletUsage,
};
use crate::v1::{Fee, FeeSchedule};
use crate::v1::{Report, ReportRow, ReportSums};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
use utoipa::{IntoParams, Modify, OpenApi};

/// Name of the bearer security scheme in the document.
pub const BEARER_SCHEME: &str = "bearer";

/// Adds the bearer token to the document: the security scheme, the requirement on every
/// operation, and the 401 answer each operation can give. Done here rather than in each
/// `#[utoipa::path]`, so a new operation cannot forget it.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER_SCHEME,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "This console's own token, `Authorization: Bearer <token>` (RFC 6750 \
                         b64token, 16 to 4096 characters). Required on every operation; \
                         getHealth also answers without one (a wrong one is still refused). \
                         A missing or wrong token is answered 401 `unauthorized`, which is \
                         final: the console has to be given a valid token.",
                    ))
                    .build(),
            ),
        );
        let bearer = || SecurityRequirement::new(BEARER_SCHEME, Vec::<String>::new());
        openapi.security = Some(vec![bearer()]);
        for (path, item) in openapi.paths.paths.iter_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let optional = path == "/v1/health";
                if optional {
                    // `{}` first: no token is fine; a token, when sent, must be right.
                    operation.security = Some(vec![SecurityRequirement::default(), bearer()]);
                }
                let description = if optional {
                    "A bearer token was sent and this core does not accept it"
                } else {
                    "No bearer token, or not one this core accepts (type `unauthorized`, with \
                     `WWW-Authenticate: Bearer`); final until the console has a valid token"
                };
                operation.responses.responses.insert(
                    "401".to_owned(),
                    RefOr::T(
                        ResponseBuilder::new()
                            .description(description)
                            .content(
                                crate::v1::PROBLEM_CONTENT_TYPE,
                                Content::new(Some(RefOr::Ref(Ref::from_schema_name("Problem")))),
                            )
                            .build(),
                    ),
                );
            }
        }
    }
}

/// Adds the 415 answer to every operation that takes a body: a body sent without a JSON
/// Content-Type is refused before anything else is read. Done here for the same reason as
/// [`BearerAuth`]: no operation with a body can forget it.
struct JsonBodies;

impl Modify for JsonBodies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                if operation.request_body.is_none() {
                    continue;
                }
                operation.responses.responses.insert(
                    "415".to_owned(),
                    RefOr::T(
                        ResponseBuilder::new()
                            .description(
                                "The body was not sent as JSON (`Content-Type: \
                                 application/json`, or another `+json` type); type \
                                 `unsupported-media-type`",
                            )
                            .content(
                                crate::v1::PROBLEM_CONTENT_TYPE,
                                Content::new(Some(RefOr::Ref(Ref::from_schema_name("Problem")))),
                            )
                            .build(),
                    ),
                );
            }
        }
    }
}

/// The `Idempotency-Key` header every write takes: `params(IdempotencyKey)` on a write's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
struct IdempotencyKey {
    /// 1 to 128 visible ASCII characters (0x21 to 0x7E), fresh per operation and reused
    /// unchanged on every retry of it.
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 128,
        pattern = "^[\\x21-\\x7E]{1,128}$"
    )]
    idempotency_key: String,
}

/// Query of `GET /v1/changes`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct ChangesQuery {
    /// A cursor from an earlier page (`nextCursor`, up to 18 digits); left out or empty, the
    /// feed starts at the beginning.
    #[param(pattern = "^[0-9]{0,18}$")]
    after: Option<String>,
    /// Changes per page, 1 to 1000; 200 when left out.
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// Query of `GET /v1/customers`. Filters are ANDed; none lists every customer.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct CustomerSearch {
    /// The whole mobile number, optionally with +86 (the form the bodies take). Left out, it
    /// does not filter; empty, it is refused.
    #[param(pattern = r"^(?:\+86[ -]?)?1[3-9](?:[ -]?[0-9]){9}$")]
    mobile: Option<String>,
    /// The resident ID's last four characters (three digits and a digit or X). Left out, it
    /// does not filter; empty, it is refused.
    #[param(rename = "residentIdLast4", pattern = "^[0-9]{3}[0-9Xx]$")]
    resident_id_last4: Option<String>,
    /// The start of the name (a prefix match).
    name: Option<String>,
    /// `nextCursor` of the previous page (up to 18 digits); empty is the first page.
    #[param(pattern = "^[0-9]{0,18}$")]
    after: Option<String>,
    /// Customers per page, 1 to 200; 50 when left out.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// Query of `GET /v1/wallets/{id}/transactions`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct TransactionsQuery {
    /// `nextCursor` of the previous page (`<time>~<id>`); empty is the first page.
    #[param(pattern = "^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z~[0-9]{1,18})?$")]
    after: Option<String>,
    /// Transactions per page, 1 to 200; 50 when left out.
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u32>,
}

/// The v1 contract as an OpenAPI 3.1 document.
pub fn v1() -> utoipa::openapi::OpenApi {
    ContractV1::openapi()
}

/// The document as committed: pretty JSON with a final newline.
pub fn v1_json() -> String {
    // The document is maps of strings and numbers; rendering it cannot fail, and an empty
    // string would fail the committed-file test loudly anyway.
    let mut json = v1().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Walletdesk core-bank contract",
        version = "1.11.0",
        description = "What Walletdesk needs from a bank's core. Changes within v1 are additive \
            only (new paths, new optional fields, new problem types); anything else is v2. \
            Every error is RFC 9457 problem+json. Every write carries an Idempotency-Key, except \
            the audit anchor's PUT, which is idempotent by itself (1.4.0). \
            Every request carries the console's bearer token (1.3.0); serve it over HTTPS. \
            The knowledge base: articles written and published by head office with \
            maker-checker, flagged by staff (1.5.0). \
            Reports: promotion metrics by campaign, booth, staff, branch and channel from daily \
            rollups (1.6.0). \
            Attribution on counter sign-ups and a supervisor's change of it (1.7.0). \
            Signed self sign-up links for booth QR codes (1.9.0). \
            The fee schedule per wallet tier and service, in the change feed too (1.10.0). \
            Practice payments in a practice wallet, and their reversal (1.11.0).",
        license(name = "UNLICENSED")
    ),
    modifiers(&BearerAuth, &JsonBodies),
    servers((url = "http://127.0.0.1:8080", description = "The sandbox core bank (`sandbox --port 8080`)")),
    paths(health, changes, batch, create_customer, search_customers, get_customer,
        update_customer, reveal_resident_id, list_customer_wallets, list_limit_schemes, open_wallet, get_wallet, change_wallet_tier, freeze_wallet,
        unfreeze_wallet, send_otp, verify_otp, check_identity, screen, grant_consent,
        list_consents, withdraw_consent, link_card, list_cards, unlink_card, list_transactions,
        get_transaction, pay, register_complaint, get_complaint, set_complaint_status,
        claim_incentive, open_dispute, get_dispute, add_dispute_evidence, give_provisional_credit,
        decide_dispute, reverse_provisional_credit, file_chargeback, get_audit_anchor,
        put_audit_anchor, get_faults, set_faults,
        save_campaign, save_booth, sign_up,
        change_attribution, sign_sign_up_link, self_sign_up,
        get_article, save_article_draft, publish_article, flag_article,
        get_report,
        list_fees,
        practice_pay, reverse_practice_payment),
    components(schemas(Health, NewCustomer, Customer, CustomerUpdate, RevealRequest, RevealedResidentId, CustomerPage, Problem,
        Faults, CustomerRecord, WalletRecord, Change, ChangePage, Batch, BatchItem, BatchResult,
        BatchResults, NewWallet, TierChange, WalletHold, Wallet, WalletLimits, WalletUsage,
        OtpRequest, OtpChallenge, OtpVerification, OtpVerified, IdentityCheckRequest,
        IdentityCheck, ScreeningRequest, Screening, NewConsent, ConsentWithdrawal, Consent,
        ConsentList, NewCard, CardUnlink, LinkedCard, CardList, Transaction, TransactionPage,
        PaymentRequest, NewComplaint, ComplaintStatusChange, Complaint, NewIncentiveClaim,
        IncentiveClaim, NewDispute, NewEvidence, DisputeDecision, ChargebackRequest, Empty,
        Evidence, Dispute, WalletList, TierLimitRow, LimitScheme, LimitSchemeList,
        AuditAnchorRequest, AuditAnchor,
        CampaignIncentive, CampaignSave, Campaign, BoothSave, Booth, SignUpConsent, SignUpClaim,
        NewSignUp, SignUp, Attribution,
        NewAttribution, AttributionChange, SignUpLinkRequest, SignUpLink, SelfSignUp,
        ArticleDraft, ArticleTag, ArticlePublication, NewArticleFlag, ArticleVersion, Article,
        ArticleFlag,
        Report, ReportRow, ReportSums,
        Fee, FeeSchedule,
        PracticePaymentRequest, PracticePayment)),
    tags(
        (name = "health", description = "Who is answering, and how much data it holds"),
        (name = "customers", description = "Customers of the core"),
        (name = "wallets", description = "Wallets, their tiers and the limits in force"),
        (name = "identity", description = "One-time codes, identity checks and watchlist screening"),
        (name = "consents", description = "PIPL consents: given separately per scope, withdrawn as easily"),
        (name = "cards", description = "The customer's own bank cards linked to a wallet, kept masked"),
        (name = "transactions", description = "Money moved: history, and practice payments under the tier limits"),
        (name = "complaints", description = "The bank's complaints register"),
        (name = "incentives", description = "Campaign incentive claims"),
        (name = "campaigns", description = "Promotion campaigns (incentive, eligibility, budget) and the booths that run them"),
        (name = "disputes", description = "Disputed transactions: evidence, provisional credit, decision, reversal, chargeback"),
        (name = "knowledge", description = "The knowledge base staff answer customers from: written and published by head office (maker-checker), flagged by staff"),
        (name = "sync", description = "The change feed and batched writes a console syncs with"),
        (name = "audit", description = "The head of each console's audit trail, anchored at the core so a cut or rewritten trail shows"),
        (name = "fees", description = "The fee schedule per wallet tier and service (1.10.0)"),
        (name = "practice", description = "Practice payments for customers learning to pay: play money in a practice wallet, never in reports or limits (1.11.0)"),
        (name = "reports", description = "Promotion metrics by campaign, booth, staff, branch and channel, from daily rollups"),
        (name = "sandbox-admin", description = "Sandbox only: fault injection for tests and training; a real core does not serve these")
    )
)]
struct ContractV1;

/// The audit head the core holds for the calling console (identified by its bearer token).
///
/// A console's `verify` compares its trail with this: a trail that ends before `sequence`, or
/// whose record `sequence` has another hash, was cut or rewritten.
#[utoipa::path(
    get,
    path = "/v1/audit-anchor",
    tag = "audit",
    operation_id = "getAuditAnchor",
    responses(
        (status = 200, description = "The latest head this console anchored", body = AuditAnchor),
        (status = 404, description = "This console has not anchored a head yet", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn get_audit_anchor() {}

/// Anchor the head of the calling console's audit trail.
///
/// The core keeps the latest head per console token and never lets it go back. The first
/// head is stored as sent. A later one must go forward and name the held head as
/// `previousSequence` / `previousHash` (the hash that record has in the console's trail now);
/// anything else (a lower `sequence`, the same `sequence` with another `headHash`, a
/// `previous` that is not the held head) is refused with 409 `audit-anchor-behind` and the
/// stored head stays. The same head again is answered 200 and changes nothing, so this write
/// needs no Idempotency-Key. Hashes are opaque to the core (HMACs only the console can
/// compute).
#[utoipa::path(
    put,
    path = "/v1/audit-anchor",
    tag = "audit",
    operation_id = "putAuditAnchor",
    request_body(content = AuditAnchorRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Stored; the head the core now holds", body = AuditAnchor),
        (status = 400, description = "The body is not an AuditAnchorRequest", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "Does not extend the head the core holds (type \
            `audit-anchor-behind`): the trail was cut or rewritten. Final", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "A sequence below 1, or a hash that is not 64 lowercase \
            hex digits", body = Problem, content_type = "application/problem+json")
    )
)]
fn put_audit_anchor() {}

/// Who is answering and how much data it holds.
///
/// Polled by the status bar every few seconds, so it must stay cheap however large the core.
#[utoipa::path(
    get,
    path = "/v1/health",
    tag = "health",
    operation_id = "getHealth",
    responses(
        (status = 200, description = "The core can serve requests", body = Health)
    )
)]
fn health() {}

/// Everything that changed since a cursor, in commit order, each entity as it is now.
///
/// A console pulls this to keep its local read model current. Each entity appears once, at its
/// latest change; `data` is shaped by `kind` (`customer`: CustomerRecord, `wallet`:
/// WalletRecord, `consent`: Consent, `card`: LinkedCard, `transaction`: Transaction,
/// `complaint`: Complaint, `incentive-claim`: IncentiveClaim, `dispute`: Dispute, `campaign`:
/// Campaign, `booth`: Booth, `article`: Article,
/// `article-flag`: ArticleFlag) and is null when the entity is gone. Unknown kinds are skipped by clients, so
/// new kinds can be added within v1.
#[utoipa::path(
    get,
    path = "/v1/changes",
    tag = "sync",
    operation_id = "getChanges",
    params(ChangesQuery),
    responses(
        (status = 200, description = "The next changes", body = ChangePage),
        (status = 400, description = "`after` is not a cursor of this feed, or `limit` is out \
            of range", body = Problem, content_type = "application/problem+json")
    )
)]
fn changes() {}

/// Many writes in one request, each with its own idempotency key.
///
/// Items run one after another in the order given, each exactly as if sent alone with its key
/// in the `Idempotency-Key` header: the same validation, the same once-only guarantee, the same
/// answer. The batch is answered 200 with one result per item whatever the items got; a
/// retryable item result (5xx, or 409 in flight) is retried by sending the item again.
#[utoipa::path(
    post,
    path = "/v1/batch",
    tag = "sync",
    operation_id = "runBatch",
    request_body(content = Batch, content_type = "application/json"),
    responses(
        (status = 200, description = "One result per item, in order", body = BatchResults),
        (status = 400, description = "The body is not a Batch", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Empty or too many items, or an item that is not a v1 \
            write (its idempotencyKey, method or path out of the documented form); nothing \
            was run", body = Problem, content_type = "application/problem+json")
    )
)]
fn batch() {}

/// Create a customer, at most once per Idempotency-Key.
///
/// With an `externalId` (a UUID the console made), the customer can be named
/// `ext:<externalId>` in later requests before the console has seen the core's id: a console
/// queues "create customer" and "open wallet" offline and sends both in one batch.
///
/// The first request with a key runs; its answer (success or 4xx refusal) is stored and every
/// later request with the same key and the same body gets it again, marked with
/// `Idempotency-Replayed: true`.
#[utoipa::path(
    post,
    path = "/v1/customers",
    tag = "customers",
    operation_id = "createCustomer",
    params(IdempotencyKey),
    request_body(content = NewCustomer, content_type = "application/json"),
    responses(
        (status = 201, description = "Created; or the stored answer to an earlier request with \
            this key", body = Customer, content_type = "application/json",
            headers(("Idempotency-Replayed" = String,
                description = "`true` when this is the stored answer, not a new execution"))),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "A customer with this resident ID, mobile or externalId \
            already exists (final), or the first request with this key is still running (retry after \
            `Retry-After` seconds with the same key)", body = Problem,
            content_type = "application/problem+json",
            headers(("Retry-After" = String, description = "Seconds; only on the in-flight conflict"),
                ("Idempotency-Replayed" = String,
                    description = "`true` when this is the stored refusal"))),
        (status = 422, description = "A field is refused, or the key was already used for a \
            different request (final)", body = Problem, content_type = "application/problem+json",
            headers(("Idempotency-Replayed" = String,
                description = "`true` when this is the stored refusal")))
    )
)]
fn create_customer() {}

/// Find customers by mobile, the resident ID's last four, or the start of the name.
///
/// Filters are ANDed; with none, every customer is listed. Pages are in id order; pass
/// `nextCursor` as `after` for the next one.
#[utoipa::path(
    get,
    path = "/v1/customers",
    tag = "customers",
    operation_id = "searchCustomers",
    params(CustomerSearch),
    responses(
        (status = 200, description = "One page of matching customers", body = CustomerPage),
        (status = 400, description = "A filter is malformed, `after` is not a cursor, or \
            `limit` is out of range", body = Problem, content_type = "application/problem+json")
    )
)]
fn search_customers() {}

/// Read one customer; identity numbers come masked.
#[utoipa::path(
    get,
    path = "/v1/customers/{id}",
    tag = "customers",
    operation_id = "getCustomer",
    params(
        ("id" = String, Path, description = "A customer reference: the core's customer number \
            as `Customer.id` gives it, or `ext:<externalId>`")
    ),
    responses(
        (status = 200, description = "The customer", body = Customer),
        (status = 404, description = "No such customer", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn get_customer() {}

/// Reveal a customer's whole resident ID, recording who asked and why.
#[utoipa::path(
    post,
    path = "/v1/customers/{id}/resident-id/reveal",
    tag = "customers",
    operation_id = "revealResidentId",
    params(
        ("id" = String, Path, description = "A customer reference: the core's number or \
            `ext:<externalId>`"),
        IdempotencyKey
    ),
    request_body(content = RevealRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The whole resident ID; or the stored answer to an \
            earlier request with this key", body = RevealedResidentId,
            content_type = "application/json",
            headers(("Idempotency-Replayed" = String,
                description = "`true` when this is the stored answer, not a new execution"))),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not a RevealRequest", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason or staff id given, or the key was already \
            used for a different request", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn reveal_resident_id() {}

/// Change a customer's name, mobile or ID expiry date; fields left out stay as they are.
#[utoipa::path(
    patch,
    path = "/v1/customers/{id}",
    tag = "customers",
    operation_id = "updateCustomer",
    params(
        ("id" = String, Path, description = "A customer reference: the core's number or \
            `ext:<externalId>`"),
        IdempotencyKey
    ),
    request_body(content = CustomerUpdate, content_type = "application/json"),
    responses(
        (status = 200, description = "The customer as it is now; or the stored answer to an \
            earlier request with this key", body = Customer, content_type = "application/json",
            headers(("Idempotency-Replayed" = String,
                description = "`true` when this is the stored answer, not a new execution"))),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not a CustomerUpdate", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such customer", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "Another customer has this mobile (final), or the first \
            request with this key is still running", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "A field is refused, or the key was already used for a \
            different request", body = Problem, content_type = "application/problem+json")
    )
)]
fn update_customer() {}

/// Sandbox only: the faults currently injected.
#[utoipa::path(
    get,
    path = "/v1/admin/faults",
    tag = "sandbox-admin",
    operation_id = "getFaults",
    responses(
        (status = 200, description = "The active faults", body = Faults)
    )
)]
fn get_faults() {}

/// Sandbox only: replace the injected faults; answers with them.
///
/// Never faulted itself, and takes no Idempotency-Key: it sets absolute values, so repeating
/// it changes nothing. Fields left out are 0.
#[utoipa::path(
    post,
    path = "/v1/admin/faults",
    tag = "sandbox-admin",
    operation_id = "setFaults",
    request_body(content = Faults, content_type = "application/json"),
    responses(
        (status = 200, description = "The faults now active", body = Faults),
        (status = 400, description = "The body is not a Faults object", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "A rate or duration is out of range, or the four rates \
            add up to more than 1000 per mille", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn set_faults() {}

/// Open a wallet at a tier for a customer (by core id or `ext:<externalId>`).
///
/// Tier rules: under 16 only tier 4 (`tier-age-restricted`); tier 1 only in person with the
/// verifying staff id (`tier-needs-in-person`); tiers 1 to 3 need an unexpired resident ID
/// (`resident-id-expired`). The limits come from the operator bank's scheme in force today
/// (`unknown-operator-bank` when it has none).
#[utoipa::path(
    post,
    path = "/v1/wallets",
    tag = "wallets",
    operation_id = "openWallet",
    params(IdempotencyKey),
    request_body(content = NewWallet, content_type = "application/json"),
    responses(
        (status = 201, description = "Opened; or the stored answer to an earlier request with \
            this key", body = Wallet, content_type = "application/json",
            headers(("Idempotency-Replayed" = String,
                description = "`true` when this is the stored answer, not a new execution"))),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not a NewWallet", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The customer reference names no customer", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running (retry \
            after `Retry-After` seconds with the same key)", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "A tier rule refuses it, the operator bank has no scheme, \
            or the key was already used for a different request", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn open_wallet() {}

/// Read a wallet with the limits in force today and what has been paid out today and this
/// year (China days); money as decimal strings.
#[utoipa::path(
    get,
    path = "/v1/wallets/{id}",
    tag = "wallets",
    operation_id = "getWallet",
    params(("id" = String, Path, description = "The 16-digit wallet number")),
    responses(
        (status = 200, description = "The wallet", body = Wallet),
        (status = 404, description = "No such wallet", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn get_wallet() {}

/// Move a wallet to another tier, under the same rules as opening; a downgrade is refused
/// while the balance is over the new tier's cap (`balance-over-tier-cap`).
#[utoipa::path(
    post,
    path = "/v1/wallets/{id}/tier",
    tag = "wallets",
    operation_id = "changeWalletTier",
    params(("id" = String, Path, description = "The 16-digit wallet number"), IdempotencyKey),
    request_body(content = TierChange, content_type = "application/json"),
    responses(
        (status = 200, description = "The wallet at its new tier; or the stored answer", body = Wallet,
            content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not a TierChange", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such wallet", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The wallet is closed (`wallet-closed`, final), or the \
            first request with this key is still running", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "A tier rule refuses it, or the key was already used for \
            a different request", body = Problem, content_type = "application/problem+json")
    )
)]
fn change_wallet_tier() {}

/// Freeze a wallet: it stays readable but moves no money. Freezing a frozen wallet changes
/// nothing.
#[utoipa::path(
    post,
    path = "/v1/wallets/{id}/freeze",
    tag = "wallets",
    operation_id = "freezeWallet",
    params(("id" = String, Path, description = "The 16-digit wallet number"), IdempotencyKey),
    request_body(content = WalletHold, content_type = "application/json"),
    responses(
        (status = 200, description = "The wallet, frozen; or the stored answer", body = Wallet,
            content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not a WalletHold", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such wallet", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The wallet is closed (`wallet-closed`, final), or the \
            first request with this key is still running", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "No reason given, or the key was already used for a \
            different request", body = Problem, content_type = "application/problem+json")
    )
)]
fn freeze_wallet() {}

/// Unfreeze a wallet. Unfreezing an active wallet changes nothing.
#[utoipa::path(
    post,
    path = "/v1/wallets/{id}/unfreeze",
    tag = "wallets",
    operation_id = "unfreezeWallet",
    params(("id" = String, Path, description = "The 16-digit wallet number"), IdempotencyKey),
    request_body(content = WalletHold, content_type = "application/json"),
    responses(
        (status = 200, description = "The wallet, active; or the stored answer", body = Wallet,
            content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not a WalletHold", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such wallet", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The wallet is closed (`wallet-closed`, final), or the \
            first request with this key is still running", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "No reason given, or the key was already used for a \
            different request", body = Problem, content_type = "application/problem+json")
    )
)]
fn unfreeze_wallet() {}

/// Send a one-time code to a mobile: valid 5 minutes, 5 attempts, verified once.
///
/// The sandbox logs the code and returns it as `trainingCode`; a real core sends it by SMS and
/// never returns it.
#[utoipa::path(
    post,
    path = "/v1/otp",
    tag = "identity",
    operation_id = "sendOtp",
    params(IdempotencyKey),
    request_body(content = OtpRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Sent; or the stored answer (the same challenge) to an \
            earlier request with this key", body = OtpChallenge, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running (retry \
            after `Retry-After` seconds with the same key)", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "The mobile is refused, or the key was already used for a \
            different request", body = Problem, content_type = "application/problem+json")
    )
)]
fn send_otp() {}

/// Check the code the customer read out.
///
/// A wrong code is `otp-wrong-code` and uses one of the 5 attempts; then
/// `otp-attempts-exhausted`. Also `otp-expired` and `otp-already-used`. Each is final for its
/// key: a new attempt is a new request with a new key.
#[utoipa::path(
    post,
    path = "/v1/otp/verify",
    tag = "identity",
    operation_id = "verifyOtp",
    params(IdempotencyKey),
    request_body(content = OtpVerification, content_type = "application/json"),
    responses(
        (status = 200, description = "Verified", body = OtpVerified, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running (retry \
            after `Retry-After` seconds with the same key)", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such challenge", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Wrong, expired, exhausted or used code, or the key was \
            already used for a different request", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn verify_otp() {}

/// Ask the identity authority whether a name goes with a resident ID.
#[utoipa::path(
    post,
    path = "/v1/identity-checks",
    tag = "identity",
    operation_id = "checkIdentity",
    params(IdempotencyKey),
    request_body(content = IdentityCheckRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The authority's answer", body = IdentityCheck,
            content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running (retry \
            after `Retry-After` seconds with the same key)", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "The resident ID is malformed or the name empty, or the \
            key was already used for a different request", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn check_identity() {}

/// Screen a customer, or a name and resident ID, against the watchlist; the result is kept.
#[utoipa::path(
    post,
    path = "/v1/screenings",
    tag = "identity",
    operation_id = "screen",
    params(IdempotencyKey),
    request_body(content = ScreeningRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Screened: clear or hit", body = Screening,
            content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running (retry \
            after `Retry-After` seconds with the same key)", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "The customer reference names no customer", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "Neither a customer nor a name, both, or a malformed \
            resident ID; or the key was already used for a different request", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn screen() {}

/// Record a consent: one scope, the notice version shown, the time.
///
/// A new grant of the same scope (and third party) supersedes the earlier one. Under 14, a
/// guardian consents (`guardian-consent-required` without `guardianName`).
#[utoipa::path(
    post,
    path = "/v1/customers/{id}/consents",
    tag = "consents",
    operation_id = "grantConsent",
    params(("id" = String, Path, description = "A customer reference: the core's id or `ext:<externalId>`"), IdempotencyKey),
    request_body(content = NewConsent, content_type = "application/json"),
    responses(
        (status = 201, description = "Recorded; or the stored answer to an earlier \
            request with this key", body = Consent, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such customer", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running (retry \
            after `Retry-After` seconds with the same key)", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "The scope or a field is refused, or a guardian must consent, or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn grant_consent() {}

/// Every consent of a customer, newest first, including withdrawn and superseded ones.
#[utoipa::path(
    get,
    path = "/v1/customers/{id}/consents",
    tag = "consents",
    operation_id = "listConsents",
    params(("id" = String, Path, description = "A customer reference: the core's id or `ext:<externalId>`")),
    responses(
        (status = 200, description = "The consents", body = ConsentList),
        (status = 404, description = "No such customer", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn list_consents() {}

/// Withdraw a consent. Withdrawing one that is no longer granted changes nothing.
#[utoipa::path(
    post,
    path = "/v1/consents/{id}/withdraw",
    tag = "consents",
    operation_id = "withdrawConsent",
    params(("id" = String, Path, description = "`Consent.id`"), IdempotencyKey),
    request_body(content = ConsentWithdrawal, content_type = "application/json"),
    responses(
        (status = 200, description = "Withdrawn; or the stored answer to an earlier \
            request with this key", body = Consent, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such consent", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running (retry \
            after `Retry-After` seconds with the same key)", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "The body is refused, or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn withdraw_consent() {}

/// Link the customer's own bank card to a wallet. The full number goes in once, is
/// Luhn-checked (`card-number-invalid`) and is kept and shown masked (`6222 **** **** 1234`).
#[utoipa::path(
    post,
    path = "/v1/wallets/{id}/cards",
    tag = "cards",
    operation_id = "linkCard",
    params(("id" = String, Path, description = "The 16-digit wallet number"), IdempotencyKey),
    request_body(content = NewCard, content_type = "application/json"),
    responses(
        (status = 201, description = "Linked; or the stored answer to an earlier \
            request with this key", body = LinkedCard, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such wallet", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The card is already linked to this wallet \
            (`card-already-linked`) or the wallet is closed (`wallet-closed`), both final; or the \
            first request with this key is still running", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "The number fails the Luhn check, or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn link_card() {}

/// Every card ever linked to a wallet, newest first, masked.
#[utoipa::path(
    get,
    path = "/v1/wallets/{id}/cards",
    tag = "cards",
    operation_id = "listCards",
    params(("id" = String, Path, description = "The 16-digit wallet number")),
    responses(
        (status = 200, description = "The cards", body = CardList),
        (status = 404, description = "No such wallet", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn list_cards() {}

/// Unlink a card. Unlinking an unlinked card changes nothing.
#[utoipa::path(
    post,
    path = "/v1/wallets/{id}/cards/{cardId}/unlink",
    tag = "cards",
    operation_id = "unlinkCard",
    params(("id" = String, Path, description = "The 16-digit wallet number"), ("cardId" = String, Path, description = "`LinkedCard.id`"), IdempotencyKey),
    request_body(content = CardUnlink, content_type = "application/json"),
    responses(
        (status = 200, description = "Unlinked; or the stored answer to an earlier \
            request with this key", body = LinkedCard, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such card on this wallet", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running (retry \
            after `Retry-After` seconds with the same key)", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "The body is refused, or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn unlink_card() {}

/// A wallet's transactions, newest first, cursor-paged.
#[utoipa::path(
    get,
    path = "/v1/wallets/{id}/transactions",
    tag = "transactions",
    operation_id = "listTransactions",
    params(("id" = String, Path, description = "The 16-digit wallet number"), TransactionsQuery),
    responses(
        (status = 200, description = "One page, newest first", body = TransactionPage),
        (status = 400, description = "`after` is not a cursor, or `limit` is out of range",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such wallet", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn list_transactions() {}

/// One transaction.
#[utoipa::path(
    get,
    path = "/v1/transactions/{id}",
    tag = "transactions",
    operation_id = "getTransaction",
    params(("id" = String, Path, description = "`Transaction.id`")),
    responses(
        (status = 200, description = "The transaction", body = Transaction),
        (status = 404, description = "No such transaction", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn get_transaction() {}

/// A practice payment out of a wallet, or a top-up into it, under the tier's limits.
///
/// Checked in this order: the wallet (`wallet-closed`, `wallet-frozen`, `payments-frozen`),
/// the payment password for payments out (`payment-password-wrong`, counted even though
/// refused; the 5th in a row freezes payments), then the limits in force
/// (`limit-one-payment`, `limit-daily`, `limit-yearly`, `insufficient-funds`; for top-ups
/// `limit-balance-cap`).
#[utoipa::path(
    post,
    path = "/v1/payments",
    tag = "transactions",
    operation_id = "pay",
    params(IdempotencyKey),
    request_body(content = PaymentRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Applied; or the stored answer to an earlier request with \
            this key", body = Transaction, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not a PaymentRequest", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such wallet", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The wallet is closed, frozen, or its payments are \
            frozen (final for this key); or the first request with this key is still running",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong password, a limit, insufficient funds or a \
            refused field; or the key was already used for a different request", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn pay() {}

/// Register a complaint under the console's case number.
#[utoipa::path(
    post,
    path = "/v1/complaints",
    tag = "complaints",
    operation_id = "registerComplaint",
    params(IdempotencyKey),
    request_body(content = NewComplaint, content_type = "application/json"),
    responses(
        (status = 201, description = "Registered; or the stored answer to an earlier request \
            with this key", body = Complaint, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "The customer reference names no customer", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The case number is already registered (`duplicate-case-number`) (final), or the first request with this key is \
            still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is refused, or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn register_complaint() {}

/// Read a register entry.
#[utoipa::path(
    get,
    path = "/v1/complaints/{id}",
    tag = "complaints",
    operation_id = "getComplaint",
    params(("id" = String, Path, description = "`Complaint.id`")),
    responses(
        (status = 200, description = "The complaint", body = Complaint),
        (status = 404, description = "No such complaint", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn get_complaint() {}

/// Move a complaint on: open to in-progress, decided (with decision and root cause) or
/// withdrawn; in-progress to decided or withdrawn; decided to closed.
#[utoipa::path(
    post,
    path = "/v1/complaints/{id}/status",
    tag = "complaints",
    operation_id = "setComplaintStatus",
    params(("id" = String, Path, description = "`Complaint.id`"), IdempotencyKey),
    request_body(content = ComplaintStatusChange, content_type = "application/json"),
    responses(
        (status = 200, description = "Updated; or the stored answer to an earlier request \
            with this key", body = Complaint, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such complaint", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The complaint is withdrawn or closed (`complaint-closed`) (final), or the first request with this key is \
            still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The move is not allowed from the current status, or a decision lacks its decision or root cause, or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn set_complaint_status() {}

/// Record a campaign incentive paid at a booth: one per customer per campaign.
#[utoipa::path(
    post,
    path = "/v1/incentives/claims",
    tag = "incentives",
    operation_id = "claimIncentive",
    params(IdempotencyKey),
    request_body(content = NewIncentiveClaim, content_type = "application/json"),
    responses(
        (status = 201, description = "Recorded; or the stored answer to an earlier request \
            with this key", body = IncentiveClaim, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "The customer reference names no customer", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The customer already claimed this campaign (`duplicate-claim`) (final), the campaign's budget is used up \
            (`budget-exhausted`) (final), or the first request with this key is \
            still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is refused (an unknown campaign, an amount other than a cashback campaign pays), the customer or booth is \
            not eligible (`not-eligible`: outside the campaign's dates, a booth it does not run at, a customer known before it started \
            when it takes new customers only), or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn claim_incentive() {}

/// Create a campaign, or replace the one with this code whole (its claims stay).
///
/// The incentive's `kind` says which of its fields is required (see CampaignIncentive);
/// `endsOn` is on or after `startsOn`. The campaign enters the change feed (`campaign`).
#[utoipa::path(
    post,
    path = "/v1/campaigns",
    tag = "campaigns",
    operation_id = "saveCampaign",
    params(IdempotencyKey),
    request_body(content = CampaignSave, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved; or the stored answer to an earlier request \
            with this key", body = Campaign, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is refused (dates out of order, an incentive \
            without the field its kind needs or with another kind's), or the key was already \
            used for a different request", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn save_campaign() {}

/// Create a booth, or replace the one with this code whole. The booth enters the change feed
/// (`booth`).
#[utoipa::path(
    post,
    path = "/v1/booths",
    tag = "campaigns",
    operation_id = "saveBooth",
    params(IdempotencyKey),
    request_body(content = BoothSave, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved; or the stored answer to an earlier request \
            with this key", body = Booth, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is refused, or the key was already used for a \
            different request", body = Problem, content_type = "application/problem+json")
    )
)]
fn save_booth() {}

/// Sign a person up for a tier 4 wallet with the mobile only (see NewSignUp).
///
/// Found or created by the mobile; the incentive is claimed once per person (`personKey`) and
/// its outcome answered in `incentive`: "granted", "already-claimed", "budget-exhausted",
/// "not-eligible" or "none". Enters the change feed as the customer, its consents, wallet and
/// claim.
#[utoipa::path(
    post,
    path = "/v1/signups",
    tag = "campaigns",
    operation_id = "signUp",
    params(IdempotencyKey),
    request_body(content = NewSignUp, content_type = "application/json"),
    responses(
        (status = 200, description = "Signed up (or already the core's customer); or the \
            stored answer to an earlier request with this key", body = SignUp,
            content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "Another customer has this externalId \
            (`duplicate-customer`) (final), or the first request with this key is still \
            running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is refused (a required consent missing, a \
            claim amount or key out of form), or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn sign_up() {}

/// Sign a booth's self sign-up link: what its QR code encodes (1.9.0).
///
/// The core signs (campaign, booth, staff) with a key only it holds, so a printed code cannot
/// be forged, or re-pointed at another booth or staff member. The bank's self sign-up page
/// checks the signature, and a person signed up through it is credited to the link's booth and
/// staff with channel "qr" (the change feed carries the attribution).
#[utoipa::path(
    post,
    path = "/v1/sign-up-links",
    tag = "campaigns",
    operation_id = "signSignUpLink",
    params(IdempotencyKey),
    request_body(content = SignUpLinkRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The signed link; or the stored answer to an earlier \
            request with this key", body = SignUpLink, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such campaign, a booth not in it, a staff id that is \
            not a username, or the key was already used for a different request",
            body = Problem, content_type = "application/problem+json")
    )
)]
fn sign_sign_up_link() {}

/// Sandbox only: a person signs up through a booth's QR code (1.9.0).
///
/// Stands in for the bank's self sign-up page, which the code's link opens: the link's
/// signature is checked (`invalid-link` when altered or foreign), then the person is signed up
/// as `POST /v1/signups` would, credited to the link's campaign, booth and staff with channel
/// "qr", the incentive claimed once per person.
#[utoipa::path(
    post,
    path = "/v1/admin/self-signups",
    tag = "sandbox-admin",
    operation_id = "selfSignUp",
    params(IdempotencyKey),
    request_body(content = SelfSignUp, content_type = "application/json"),
    responses(
        (status = 200, description = "Signed up (or already the core's customer); or the \
            stored answer to an earlier request with this key", body = SignUp,
            content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The link is not one the core signed (`invalid-link`), \
            its booth left the campaign, the mobile is refused, or the key was already used \
            for a different request", body = Problem, content_type = "application/problem+json")
    )
)]
fn self_sign_up() {}

/// Change who won a customer: a supervisor's correction, with the reason kept beside it. The
/// customer enters the change feed with the new attribution (1.7.0).
#[utoipa::path(
    post,
    path = "/v1/customers/{id}/attribution",
    tag = "campaigns",
    operation_id = "changeAttribution",
    params(
        ("id" = String, Path, description = "The core's customer id, or `ext:<externalId>`"),
        IdempotencyKey
    ),
    request_body(content = AttributionChange, content_type = "application/json"),
    responses(
        (status = 200, description = "Changed; or the stored answer to an earlier request \
            with this key", body = Attribution, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such customer", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is refused (a booth without its campaign, a \
            blank reason), or the key was already used for a different request",
            body = Problem, content_type = "application/problem+json")
    )
)]
fn change_attribution() {}

/// Open a dispute on a payment out of a wallet: one dispute per transaction.
#[utoipa::path(
    post,
    path = "/v1/disputes",
    tag = "disputes",
    operation_id = "openDispute",
    params(IdempotencyKey),
    request_body(content = NewDispute, content_type = "application/json"),
    responses(
        (status = 201, description = "Opened; or the stored answer to an earlier request \
            with this key", body = Dispute, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such transaction", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The transaction is already disputed (`dispute-exists`) (final), or the first request with this key is \
            still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a payment out, or the reason is refused, or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn open_dispute() {}

/// Read a dispute with its evidence.
#[utoipa::path(
    get,
    path = "/v1/disputes/{id}",
    tag = "disputes",
    operation_id = "getDispute",
    params(("id" = String, Path, description = "`Dispute.id`")),
    responses(
        (status = 200, description = "The dispute", body = Dispute),
        (status = 404, description = "No such dispute", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn get_dispute() {}

/// Add evidence to an open dispute.
#[utoipa::path(
    post,
    path = "/v1/disputes/{id}/evidence",
    tag = "disputes",
    operation_id = "addDisputeEvidence",
    params(("id" = String, Path, description = "`Dispute.id`"), IdempotencyKey),
    request_body(content = NewEvidence, content_type = "application/json"),
    responses(
        (status = 201, description = "Added; the dispute with its evidence; or the stored answer to an earlier request \
            with this key", body = Dispute, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such dispute", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The dispute is decided (`dispute-decided`) (final), or the first request with this key is \
            still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is refused, or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn add_dispute_evidence() {}

/// Credit the disputed amount provisionally while the dispute is investigated (a transaction
/// in). Once per dispute.
#[utoipa::path(
    post,
    path = "/v1/disputes/{id}/provisional-credit",
    tag = "disputes",
    operation_id = "giveProvisionalCredit",
    params(("id" = String, Path, description = "`Dispute.id`"), IdempotencyKey),
    request_body(content = Empty, content_type = "application/json"),
    responses(
        (status = 200, description = "Credited; or the stored answer to an earlier request \
            with this key", body = Dispute, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such dispute", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The dispute is decided, or a provisional credit was already given (`provisional-credit-given`) (final), or the first request with this key is \
            still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is refused, or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn give_provisional_credit() {}

/// Decide a dispute. For the customer, the amount is credited unless a provisional credit
/// already stands (it becomes final); for the bank, a provisional credit is then reversed.
#[utoipa::path(
    post,
    path = "/v1/disputes/{id}/decision",
    tag = "disputes",
    operation_id = "decideDispute",
    params(("id" = String, Path, description = "`Dispute.id`"), IdempotencyKey),
    request_body(content = DisputeDecision, content_type = "application/json"),
    responses(
        (status = 200, description = "Decided; or the stored answer to an earlier request \
            with this key", body = Dispute, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such dispute", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The dispute is already decided (`dispute-decided`) (final), or the first request with this key is \
            still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`inFavourOf` or `findings` is refused, or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn decide_dispute() {}

/// Take back a provisional credit after a decision for the bank (a transaction out).
#[utoipa::path(
    post,
    path = "/v1/disputes/{id}/reverse",
    tag = "disputes",
    operation_id = "reverseProvisionalCredit",
    params(("id" = String, Path, description = "`Dispute.id`"), IdempotencyKey),
    request_body(content = Empty, content_type = "application/json"),
    responses(
        (status = 200, description = "Reversed; or the stored answer to an earlier request \
            with this key", body = Dispute, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such dispute", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "Nothing to reverse (`nothing-to-reverse`) (final), or the first request with this key is \
            still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The balance is below the credit (`insufficient-funds`), or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn reverse_provisional_credit() {}

/// File a card chargeback for the disputed payment: within 120 days of the transaction, 90
/// for duplicates.
#[utoipa::path(
    post,
    path = "/v1/disputes/{id}/chargeback",
    tag = "disputes",
    operation_id = "fileChargeback",
    params(("id" = String, Path, description = "`Dispute.id`"), IdempotencyKey),
    request_body(content = ChargebackRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Filed; or the stored answer to an earlier request \
            with this key", body = Dispute, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such dispute", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The dispute is decided, or a chargeback was already filed (`chargeback-filed`) (final), or the first request with this key is \
            still running", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The window closed (`chargeback-window-closed`), or the key was already used for a different \
            request", body = Problem, content_type = "application/problem+json")
    )
)]
fn file_chargeback() {}

/// A customer's wallets, oldest first, each with its limits in force and usage.
#[utoipa::path(
    get,
    path = "/v1/customers/{id}/wallets",
    tag = "wallets",
    operation_id = "listCustomerWallets",
    params(("id" = String, Path, description = "A customer reference: the core's id or `ext:<externalId>`")),
    responses(
        (status = 200, description = "The wallets", body = WalletList),
        (status = 404, description = "No such customer", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn list_customer_wallets() {}

/// The fee schedule: what each service costs a wallet of each tier (1.10.0). The same lines
/// enter the change feed as kind "fee", so a console that syncs needs no separate call.
#[utoipa::path(
    get,
    path = "/v1/fees",
    tag = "fees",
    operation_id = "listFees",
    responses(
        (status = 200, description = "The schedule, by tier and then service", body = FeeSchedule)
    )
)]
fn list_fees() {}

/// The wallet limit tables: every version of every operator bank's scheme.
#[utoipa::path(
    get,
    path = "/v1/limit-schemes",
    tag = "wallets",
    operation_id = "listLimitSchemes",
    responses(
        (status = 200, description = "The schemes", body = LimitSchemeList)
    )
)]
fn list_limit_schemes() {}

/// Read an article: its published version and the draft waiting for a checker.
#[utoipa::path(
    get,
    path = "/v1/articles/{id}",
    tag = "knowledge",
    operation_id = "getArticle",
    params(("id" = String, Path, description = "`Article.id`")),
    responses(
        (status = 200, description = "The article", body = Article),
        (status = 404, description = "No such article", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn get_article() {}

/// Write the article's draft (head office). The first draft creates the article under the
/// console's id; a later one replaces the draft waiting, or starts the next version after
/// the published one. The draft's author is the staff member who wrote this text.
#[utoipa::path(
    post,
    path = "/v1/articles/{id}/draft",
    tag = "knowledge",
    operation_id = "saveArticleDraft",
    params(("id" = String, Path, description = "`Article.id`, chosen by the console: 1 to 64 \
        letters, digits or `-`", pattern = r"^[A-Za-z0-9-]{1,64}$"), IdempotencyKey),
    request_body(content = ArticleDraft, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved; or the stored answer to an earlier request with \
            this key", body = Article, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "The id is not an article id", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is refused, or the key was already used for a \
            different request", body = Problem, content_type = "application/problem+json")
    )
)]
fn save_article_draft() {}

/// Publish the draft (maker-checker): the checker is never the draft's author. The draft
/// becomes the version staff read.
#[utoipa::path(
    post,
    path = "/v1/articles/{id}/publish",
    tag = "knowledge",
    operation_id = "publishArticle",
    params(("id" = String, Path, description = "`Article.id`"), IdempotencyKey),
    request_body(content = ArticlePublication, content_type = "application/json"),
    responses(
        (status = 200, description = "Published; or the stored answer to an earlier request \
            with this key", body = Article, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The publisher wrote the draft (`author-cannot-publish`) \
            (final); no draft at this version (`no-such-draft`) (final); or the first request \
            with this key is still running", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "A field is refused, or the key was already used for a \
            different request", body = Problem, content_type = "application/problem+json")
    )
)]
fn publish_article() {}

/// Flag a published article as wrong or out of date, with a note for head office.
#[utoipa::path(
    post,
    path = "/v1/articles/{id}/flags",
    tag = "knowledge",
    operation_id = "flagArticle",
    params(("id" = String, Path, description = "`Article.id`"), IdempotencyKey),
    request_body(content = NewArticleFlag, content_type = "application/json"),
    responses(
        (status = 201, description = "Recorded; or the stored answer to an earlier request \
            with this key", body = ArticleFlag, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not the JSON this endpoint takes", body = Problem,
            content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "The first request with this key is still running",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is refused (the version was never published), \
            or the key was already used for a different request", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn flag_article() {}

/// Query of `GET /v1/reports`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct ReportQuery {
    /// sign-ups, activation, monthly-active, transactions-per-active, complaint-rate or
    /// incentive-cost-per-activated (docs/metrics.md).
    #[param(
        pattern = "^(sign-ups|activation|monthly-active|transactions-per-active|complaint-rate|incentive-cost-per-activated)$"
    )]
    metric: String,
    /// campaign, booth, staff, branch or channel; left out, one row for everything.
    #[param(pattern = "^(campaign|booth|staff|branch|channel)$")]
    dimension: Option<String>,
    /// First China day of the period, YYYY-MM-DD.
    #[param(format = Date)]
    from: String,
    /// Last China day of the period (inclusive), not before `from`, at most 366 days on.
    #[param(format = Date)]
    to: String,
    /// Activation window N in days, 1 to 90; 30 when left out.
    #[param(rename = "activationDays", minimum = 1, maximum = 90)]
    activation_days: Option<u16>,
    /// Only customers won by this campaign (and so on for the other filters; ANDed).
    #[param(max_length = 64)]
    campaign: Option<String>,
    #[param(max_length = 64)]
    booth: Option<String>,
    #[param(max_length = 64)]
    staff: Option<String>,
    #[param(max_length = 64)]
    branch: Option<String>,
    #[param(max_length = 64)]
    channel: Option<String>,
}

/// A promotion metric by campaign, booth, staff, branch or channel over a period.
///
/// Read from daily rollups the core keeps in its write path, never from a scan of
/// transactions; `asOf` says when. An activation window still open at `asOf` is not counted.
#[utoipa::path(
    get,
    path = "/v1/reports",
    tag = "reports",
    operation_id = "getReport",
    params(ReportQuery),
    responses(
        (status = 200, description = "The metric per group", body = Report),
        (status = 400, description = "An unknown metric or dimension, a malformed date, a \
            period backwards or longer than 366 days", body = Problem,
            content_type = "application/problem+json")
    )
)]
fn get_report() {}

/// A practice payment out of the holder's practice wallet (1.11.0): play money, for a
/// customer learning to pay at the counter.
///
/// The practice wallet is made on first use with 1000.00 of play money and carries the
/// practice flag: never in the change feed, the reports or a real wallet's limits. Checked in
/// this order: the practice wallet's payment freeze (`payments-frozen`, `triesRemaining` 0),
/// the payment password (`practice-password-wrong`, counted even though refused, with
/// `triesRemaining`; the 5th in a row freezes), then the play balance
/// (`insufficient-funds`).
#[utoipa::path(
    post,
    path = "/v1/practice-payments",
    tag = "practice",
    operation_id = "practicePay",
    params(IdempotencyKey),
    request_body(content = PracticePaymentRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Paid (play money); or the stored answer to an earlier \
            request with this key", body = PracticePayment, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not a PracticePaymentRequest", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "5 wrong passwords froze the practice wallet's payments \
            (final for this key); or the first request with this key is still running",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong payment password (with `triesRemaining`), more \
            than the play balance, or a refused field; or the key was already used for a \
            different request", body = Problem, content_type = "application/problem+json")
    )
)]
fn practice_pay() {}

/// Undo a practice payment (1.11.0): the play money goes back to the practice wallet. The
/// console decides whether the undo window is still open; the core reverses once.
#[utoipa::path(
    post,
    path = "/v1/practice-payments/{id}/reversal",
    tag = "practice",
    operation_id = "reversePracticePayment",
    params(("id" = String, Path, description = "`PracticePayment.id`"), IdempotencyKey),
    request_body(content = Empty, content_type = "application/json"),
    responses(
        (status = 200, description = "Reversed; or the stored answer to an earlier request \
            with this key", body = PracticePayment, content_type = "application/json"),
        (status = 400, description = "The Idempotency-Key is missing or invalid, or the body \
            is not `{}`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such practice payment", body = Problem,
            content_type = "application/problem+json"),
        (status = 409, description = "Already reversed under another key (final); or the \
            first request with this key is still running", body = Problem,
            content_type = "application/problem+json"),
        (status = 422, description = "The key was already used for a different request",
            body = Problem, content_type = "application/problem+json")
    )
)]
fn reverse_practice_payment() {}
