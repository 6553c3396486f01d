//! Version 1 of the core-bank contract: the JSON shapes both sides agree on.
//!
//! Field names are camelCase on the wire. Every type here is shared by the client and the
//! sandbox, so the two cannot drift apart silently.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Answer to `GET /v1/health`: who is answering, and how much data it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// "ok" when the core can serve requests.
    pub status: String,
    pub name: String,
    /// Contract version spoken, "v1".
    pub version: String,
    /// Label that tells two deployments apart, e.g. "sandbox-seed-42".
    pub instance: String,
    /// True only for a sandbox; staff must never mistake training data for real customers.
    pub training: bool,
    pub customers: u64,
    pub wallets: u64,
    pub transactions: u64,
}

/// RFC 9457 problem details, the body of every error response
/// (`Content-Type: application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// A URI naming the kind of problem; stable, so clients branch on it.
    #[serde(rename = "type")]
    #[schema(format = "uri")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// On `practice-password-wrong` and a practice wallet's `payments-frozen` (1.11.0): how
    /// many more wrong payment passwords the wallet takes before its payments freeze (0 when
    /// frozen), so a client explains it from the core's count, never its own copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0, maximum = 5)]
    pub tries_remaining: Option<u32>,
}

/// Media type of [`Problem`] bodies.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// Every `type` URI in a [`Problem`] starts with this; the rest is a stable slug.
pub const PROBLEM_TYPE_BASE: &str = "https://walletdesk.invalid/problems/";

/// The stable `type` URIs clients branch on.
pub mod problem_types {
    /// 400: a write came without an `Idempotency-Key` header.
    pub const IDEMPOTENCY_KEY_MISSING: &str =
        "https://walletdesk.invalid/problems/idempotency-key-missing";
    /// 400: the key is not 1 to 128 visible ASCII characters.
    pub const IDEMPOTENCY_KEY_INVALID: &str =
        "https://walletdesk.invalid/problems/idempotency-key-invalid";
    /// 422: the key was already used for a different request. Final: the caller has a bug.
    pub const IDEMPOTENCY_KEY_REUSED: &str =
        "https://walletdesk.invalid/problems/idempotency-key-reused";
    /// 409 with `Retry-After`: the first request with this key is still running. Retryable:
    /// the retry gets the stored answer once it finishes.
    pub const IDEMPOTENCY_KEY_IN_FLIGHT: &str =
        "https://walletdesk.invalid/problems/idempotency-key-in-flight";
    /// 400: the body is not the JSON the endpoint takes.
    pub const INVALID_BODY: &str = "https://walletdesk.invalid/problems/invalid-body";
    /// 422: the JSON is well formed but a field is refused (a mistyped resident ID, say).
    pub const VALIDATION_FAILED: &str = "https://walletdesk.invalid/problems/validation-failed";
    /// 409: a customer with this resident ID, mobile or externalId already exists. Final.
    pub const DUPLICATE_CUSTOMER: &str = "https://walletdesk.invalid/problems/duplicate-customer";
    /// 400: a query parameter of a read is malformed or out of range (a cursor, a limit).
    pub const INVALID_QUERY: &str = "https://walletdesk.invalid/problems/invalid-query";
    /// 404: no such resource.
    pub const NOT_FOUND: &str = "https://walletdesk.invalid/problems/not-found";
    /// 422: a customer under 16 may hold a tier 4 wallet only.
    pub const TIER_AGE_RESTRICTED: &str = "https://walletdesk.invalid/problems/tier-age-restricted";
    /// 422: tier 1 is opened or reached only in person at a branch (`inPerson: true` and the
    /// verifying staff member's id in `idVerifiedBy`).
    pub const TIER_NEEDS_IN_PERSON: &str =
        "https://walletdesk.invalid/problems/tier-needs-in-person";
    /// 422: tiers 1 to 3 need a resident ID that has not expired; renew it first.
    pub const RESIDENT_ID_EXPIRED: &str = "https://walletdesk.invalid/problems/resident-id-expired";
    /// 422: tiers 1 and 2 need the customer's own bank card linked to the wallet.
    pub const TIER_NEEDS_BANK_CARD: &str =
        "https://walletdesk.invalid/problems/tier-needs-bank-card";
    /// 422: the balance is over the cap of the tier asked for; pay out first.
    pub const BALANCE_OVER_TIER_CAP: &str =
        "https://walletdesk.invalid/problems/balance-over-tier-cap";
    /// 422: the operator bank has no limit scheme in force.
    pub const UNKNOWN_OPERATOR_BANK: &str =
        "https://walletdesk.invalid/problems/unknown-operator-bank";
    /// 409: the wallet is closed; nothing more can be done with it. Final.
    pub const WALLET_CLOSED: &str = "https://walletdesk.invalid/problems/wallet-closed";
    /// 422: the one-time code expired (5 minutes); send a new one.
    pub const OTP_EXPIRED: &str = "https://walletdesk.invalid/problems/otp-expired";
    /// 422: the code is wrong; the attempt counted (5 per code).
    pub const OTP_WRONG_CODE: &str = "https://walletdesk.invalid/problems/otp-wrong-code";
    /// 422: 5 wrong attempts used up the code; send a new one.
    pub const OTP_ATTEMPTS_EXHAUSTED: &str =
        "https://walletdesk.invalid/problems/otp-attempts-exhausted";
    /// 422: the code was already verified once; a code proves possession once.
    pub const OTP_ALREADY_USED: &str = "https://walletdesk.invalid/problems/otp-already-used";
    /// 422: the customer is under 14; a guardian consents for them (PIPL art. 31).
    pub const GUARDIAN_CONSENT_REQUIRED: &str =
        "https://walletdesk.invalid/problems/guardian-consent-required";
    /// 422: the card number fails the Luhn check or is not 13 to 19 digits.
    pub const CARD_NUMBER_INVALID: &str = "https://walletdesk.invalid/problems/card-number-invalid";
    /// 409: this card is already linked to this wallet. Final.
    pub const CARD_ALREADY_LINKED: &str = "https://walletdesk.invalid/problems/card-already-linked";
    /// 409: the wallet is frozen; unfreeze it first.
    pub const WALLET_FROZEN: &str = "https://walletdesk.invalid/problems/wallet-frozen";
    /// 409: 5 wrong payment passwords froze the wallet's payments; staff unfreeze it.
    pub const PAYMENTS_FROZEN: &str = "https://walletdesk.invalid/problems/payments-frozen";
    /// 422: the payment password is wrong; counted, and the 5th in a row freezes payments.
    pub const PAYMENT_PASSWORD_WRONG: &str =
        "https://walletdesk.invalid/problems/payment-password-wrong";
    /// 422: over the tier's limit for one payment.
    pub const LIMIT_ONE_PAYMENT: &str = "https://walletdesk.invalid/problems/limit-one-payment";
    /// 422: over the tier's limit per day (China day).
    pub const LIMIT_DAILY: &str = "https://walletdesk.invalid/problems/limit-daily";
    /// 422: over the tier's limit per year (China calendar year).
    pub const LIMIT_YEARLY: &str = "https://walletdesk.invalid/problems/limit-yearly";
    /// 422: a top-up would take the balance past the tier's cap.
    pub const LIMIT_BALANCE_CAP: &str = "https://walletdesk.invalid/problems/limit-balance-cap";
    /// 422: more than the balance.
    pub const INSUFFICIENT_FUNDS: &str = "https://walletdesk.invalid/problems/insufficient-funds";
    /// 422: a practice payment's password is wrong (1.11.0); counted like a real one, and the
    /// 5th in a row freezes the practice wallet's payments. `triesRemaining` says how many more.
    pub const PRACTICE_PASSWORD_WRONG: &str =
        "https://walletdesk.invalid/problems/practice-password-wrong";
    /// 409: this practice payment was already reversed (with another key). Final.
    pub const PRACTICE_PAYMENT_REVERSED: &str =
        "https://walletdesk.invalid/problems/practice-payment-reversed";
    /// 409: the register already has a complaint with this case number. Final.
    pub const DUPLICATE_CASE_NUMBER: &str =
        "https://walletdesk.invalid/problems/duplicate-case-number";
    /// 409: the complaint is withdrawn or closed; its record no longer changes. Final.
    pub const COMPLAINT_CLOSED: &str = "https://walletdesk.invalid/problems/complaint-closed";
    /// 409: the customer already claimed this campaign's incentive. Final.
    pub const DUPLICATE_CLAIM: &str = "https://walletdesk.invalid/problems/duplicate-claim";
    /// 409: the campaign's budget (count or money) is used up. Final for the claim.
    pub const BUDGET_EXHAUSTED: &str = "https://walletdesk.invalid/problems/budget-exhausted";
    /// 422: the customer is not eligible for the campaign (not new, outside its dates, a
    /// booth it does not run at). Final for the claim.
    pub const NOT_ELIGIBLE: &str = "https://walletdesk.invalid/problems/not-eligible";
    /// 409: the transaction is already disputed. Final.
    pub const DISPUTE_EXISTS: &str = "https://walletdesk.invalid/problems/dispute-exists";
    /// 409: the audit head sent does not extend the one the core holds for this console (a
    /// lower sequence, the same sequence with another hash, or a `previous` that is not the
    /// held head): the console's trail was cut or rewritten. Final; the core keeps its head.
    pub const AUDIT_ANCHOR_BEHIND: &str = "https://walletdesk.invalid/problems/audit-anchor-behind";
    /// 409: the dispute is decided; evidence, credits and chargebacks no longer apply. Final.
    pub const DISPUTE_DECIDED: &str = "https://walletdesk.invalid/problems/dispute-decided";
    /// 409: a provisional credit was already given on this dispute. Final.
    pub const PROVISIONAL_CREDIT_GIVEN: &str =
        "https://walletdesk.invalid/problems/provisional-credit-given";
    /// 409: nothing to reverse: the dispute is not decided for the bank, or no provisional
    /// credit stands. Final.
    pub const NOTHING_TO_REVERSE: &str = "https://walletdesk.invalid/problems/nothing-to-reverse";
    /// 409: a chargeback was already filed for this dispute. Final.
    pub const CHARGEBACK_FILED: &str = "https://walletdesk.invalid/problems/chargeback-filed";
    /// 422: the chargeback window (120 days from the transaction, 90 for duplicates) closed.
    pub const CHARGEBACK_WINDOW_CLOSED: &str =
        "https://walletdesk.invalid/problems/chargeback-window-closed";
    /// 409: the staff member publishing wrote the draft (maker-checker: the author never
    /// publishes their own text; another head-office staff member checks it). Final.
    pub const AUTHOR_CANNOT_PUBLISH: &str =
        "https://walletdesk.invalid/problems/author-cannot-publish";
    /// 409: the article has no draft at the version named: it was published, or revised
    /// since (the checker approves the text they read, not a later one). Final.
    pub const NO_SUCH_DRAFT: &str = "https://walletdesk.invalid/problems/no-such-draft";
    /// 500 or 503 from the sandbox's fault injection. Retryable like any server error.
    pub const INJECTED_FAULT: &str = "https://walletdesk.invalid/problems/injected-fault";
    /// 401 with `WWW-Authenticate: Bearer`: no bearer token, or not one this core accepts.
    /// Final for the request: the console must be given a valid token (see docs/corebank.md),
    /// and sending the same request again cannot change the answer.
    pub const UNAUTHORIZED: &str = "https://walletdesk.invalid/problems/unauthorized";
    /// 415: a body sent without a JSON Content-Type; nothing was read or run.
    pub const UNSUPPORTED_MEDIA_TYPE: &str =
        "https://walletdesk.invalid/problems/unsupported-media-type";
    /// 422: a self sign-up's link is not one the core signed: altered, re-pointed at another
    /// booth or staff member, or from elsewhere (1.9.0).
    pub const INVALID_LINK: &str = "https://walletdesk.invalid/problems/invalid-link";
}

/// Shortest bearer token a console or the sandbox accepts: anything shorter is too easy to
/// guess to stand between a network and customer data.
pub const BEARER_TOKEN_MIN_LEN: usize = 16;
/// Longest accepted bearer token (a header line has to stay reasonable).
pub const BEARER_TOKEN_MAX_LEN: usize = 4096;

/// True when `token` can be sent as `Authorization: Bearer <token>`: RFC 6750's `b64token`
/// characters (letters, digits, `-._~+/`, then optional trailing `=`), 16 to 4096 of them.
/// Checked where a token enters (provisioning, the sandbox's configuration, the client), so
/// a typo is refused at once rather than answered 401 by the core later.
pub fn is_valid_bearer_token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    (BEARER_TOKEN_MIN_LEN..=BEARER_TOKEN_MAX_LEN).contains(&token.len())
        && !body.is_empty()
        && body.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
        })
}

/// Request header every write carries: 1 to 128 visible ASCII characters, fresh per operation
/// and reused unchanged on every retry of it, so a retried write is applied at most once.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// Response header set to `true` when the answer is the stored one from an earlier request
/// with the same key, not a new execution.
pub const IDEMPOTENCY_REPLAYED_HEADER: &str = "Idempotency-Replayed";
/// Longest accepted idempotency key.
pub const IDEMPOTENCY_KEY_MAX_LEN: usize = 128;

/// True when `key` is an acceptable idempotency key (1 to 128 characters, each printable ASCII
/// other than space), checked on both sides so a client never sends one the core refuses.
pub fn is_valid_idempotency_key(key: &str) -> bool {
    (1..=IDEMPOTENCY_KEY_MAX_LEN).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// The mobile numbers the contract takes: a mainland number (11 digits, 1 then 3 to 9),
/// optionally after `+86`, with single spaces or hyphens allowed between the digits and after
/// the prefix. Written into the document as the `pattern` of every mobile a request carries;
/// [`is_valid_mobile`] is the same rule in code, and the two are tested against each other.
pub const MOBILE_PATTERN: &str = r"^(?:\+86[ -]?)?1[3-9](?:[ -]?[0-9]){9}$";

/// True when `text` has the form [`MOBILE_PATTERN`] describes.
pub fn is_valid_mobile(text: &str) -> bool {
    let national = match text.strip_prefix("+86") {
        Some(rest) => rest.strip_prefix([' ', '-']).unwrap_or(rest),
        None => text,
    };
    let mut bytes = national.bytes();
    if bytes.next() != Some(b'1') || !bytes.next().is_some_and(|b| (b'3'..=b'9').contains(&b)) {
        return false;
    }
    let mut digits = 0;
    let mut after_separator = false;
    for b in bytes {
        match b {
            b' ' | b'-' if !after_separator => after_separator = true,
            b'0'..=b'9' => {
                digits += 1;
                after_separator = false;
            }
            _ => return false,
        }
    }
    digits == 9 && !after_separator
}

/// Body of `POST /v1/customers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewCustomer {
    #[schema(
        pattern = r"^\s*[^\s\x00-\x1F\x7F-\x9F](?:[^\x00-\x1F\x7F-\x9F]{0,62}[^\s\x00-\x1F\x7F-\x9F])?\s*$"
    )]
    pub name: String,
    /// 18-character resident ID; the check character is verified.
    #[schema(pattern = r"^\s*[0-9]{17}[0-9Xx]\s*$")]
    pub resident_id: String,
    /// Mainland mobile number, optionally with +86 (see the pattern).
    #[schema(pattern = r"^(?:\+86[ -]?)?1[3-9](?:[ -]?[0-9]){9}$")]
    pub mobile: String,
    /// A UUID the console generated for this customer before the core answered, unique among
    /// customers. Later requests may name the customer `ext:<externalId>` wherever a customer
    /// id is taken, so a console can queue "create customer" and "open wallet" offline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = "uuid")]
    pub external_id: Option<String>,
    /// Last day the resident ID card is valid (`YYYY-MM-DD`); left out when unknown or
    /// long-term. An ID expired for more than 90 days lowers the customer's wallet limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub id_expires_on: Option<String>,
    /// Who won the customer at the counter (channel "counter"): the teller, and the campaign
    /// that brought them when one did (1.7.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<NewAttribution>,
}

/// The attribution a write gives a customer: the staff member and channel always, the
/// campaign and booth when there was one (a counter sign-up has no booth).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewAttribution {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
    pub campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
    pub booth: Option<String>,
    /// The staff member credited.
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub staff_id: String,
    #[schema(pattern = r"^(?:booth|counter|qr)$")]
    pub channel: String,
}

/// A supervisor's correction of who won a customer (`POST /v1/customers/{id}/attribution`):
/// the new attribution whole, and why (1.7.0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AttributionChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
    pub campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
    pub booth: Option<String>,
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub staff_id: String,
    #[schema(pattern = r"^(?:booth|counter|qr)$")]
    pub channel: String,
    /// Why the credit moves, kept with the change.
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,498}\S)?\s*$")]
    pub reason: String,
    /// The supervisor who changed it.
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub changed_by: String,
}

/// Prefix of a customer reference by external id: `ext:<externalId>`.
pub const EXTERNAL_ID_PREFIX: &str = "ext:";

/// True when `text` is a UUID in the 8-4-4-4-12 hex form (either case).
pub fn is_valid_external_id(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Body of `PATCH /v1/customers/{ref}`: the fields to change; those left out stay as they are.
/// `idExpiresOn` set to null clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomerUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        pattern = r"^\s*[^\s\x00-\x1F\x7F-\x9F](?:[^\x00-\x1F\x7F-\x9F]{0,62}[^\s\x00-\x1F\x7F-\x9F])?\s*$"
    )]
    pub name: Option<String>,
    /// Mainland mobile number, optionally with +86 (see the pattern); unique among customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^(?:\+86[ -]?)?1[3-9](?:[ -]?[0-9]){9}$")]
    pub mobile: Option<String>,
    /// `YYYY-MM-DD`, or null to clear.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "double_option"
    )]
    #[schema(value_type = Option<String>, format = Date)]
    pub id_expires_on: Option<Option<String>>,
}

/// Tells "left out" (outer None) from "null" (Some(None)) for PATCH fields.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Option<Option<String>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value
            .as_ref()
            .and_then(Option::as_ref)
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(deserializer).map(Some)
    }
}

/// Body of `POST /v1/customers/{ref}/resident-id/reveal`: a member of staff needs the whole
/// resident ID (to compare it with the card in front of them, for a regulator's request).
/// The core records who asked and why; the console audits it on its side too.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevealRequest {
    /// Why the full number is needed: 2 to 200 characters.
    #[schema(pattern = r"^\s*\S[\s\S]{0,198}\S\s*$")]
    pub reason: String,
    /// The staff member who will see the number.
    #[schema(pattern = r"\S")]
    pub staff_id: String,
}

/// Answer to a reveal: the whole resident ID. Never cached or logged by a client.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RevealedResidentId {
    pub customer_id: String,
    pub resident_id: String,
}

impl std::fmt::Debug for RevealedResidentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Debug output reaches logs; the number must not.
        f.debug_struct("RevealedResidentId")
            .field("customer_id", &self.customer_id)
            .field("resident_id", &"<redacted>")
            .finish()
    }
}

/// Answer to `GET /v1/customers?mobile=&residentIdLast4=&name=&after=&limit=`: matching
/// customers in id order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerPage {
    pub customers: Vec<Customer>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Largest `limit` accepted by `GET /v1/customers`.
pub const CUSTOMERS_MAX_LIMIT: u32 = 200;

/// A customer as the core shows it. Identity numbers arrive masked (first 6 and last 4 of the
/// resident ID, first 3 and last 4 of the mobile): a full number is revealed only through a
/// separate, audited call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// The core's customer number, decimal digits. A string so cores with other numbering
    /// (leading zeros, letters) fit the same contract.
    pub id: String,
    pub name: String,
    pub masked_resident_id: String,
    pub masked_mobile: String,
    /// UTC, RFC 3339 to the second, e.g. `2025-03-01T08:00:00Z`.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// The console's UUID for the customer, when it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = "uuid")]
    pub external_id: Option<String>,
    /// Last day the resident ID card is valid, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub id_expires_on: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_take_the_documented_form_only() {
        for ok in [
            "13800138000",
            "+8613800138000",
            "+86 138 0013 8000",
            "+86-138-0013-8000",
            "13 8 0 0 1 3 8 0 0 0",
            "19912345678",
            "1380013800-0",
        ] {
            assert!(is_valid_mobile(ok), "{ok:?} is refused");
        }
        for bad in [
            "",
            "12800138000",
            "1380013800",
            "138001380000",
            "8613800138000",
            " 13800138000",
            "13800138000 ",
            "138  00138000",
            "138-",
            "1380013800--0",
            "+86  13800138000",
            "+85 13800138000",
            "１３８００１３８０００",
        ] {
            assert!(!is_valid_mobile(bad), "{bad:?} is taken");
        }
    }

    #[test]
    fn amounts_take_the_documented_form_only() {
        for ok in [
            "1",
            "0.01",
            "10.5",
            "8.88",
            "000000000001",
            "999999999999.99",
        ] {
            assert!(is_valid_amount(ok), "{ok:?} is refused");
        }
        for bad in [
            "",
            "0",
            "0.00",
            ".5",
            "1.",
            "1.234",
            "-1",
            "+1",
            "1e2",
            "1,000",
            " 1",
            "1000000000000",
            "１",
        ] {
            assert!(!is_valid_amount(bad), "{bad:?} is taken");
        }
    }

    #[test]
    fn cursors_take_the_documented_form_only() {
        assert_eq!(parse_number_cursor(""), Some(0));
        assert_eq!(parse_number_cursor("42"), Some(42));
        assert_eq!(
            parse_number_cursor("999999999999999999"),
            Some(999_999_999_999_999_999)
        );
        for bad in ["+5", "-1", "1 ", "1234567890123456789", "x"] {
            assert_eq!(parse_number_cursor(bad), None, "{bad:?}");
        }
        assert_eq!(parse_transaction_cursor(""), Some(None));
        assert_eq!(
            parse_transaction_cursor("2025-03-01T08:00:00Z~12"),
            Some(Some(("2025-03-01T08:00:00Z".to_owned(), 12)))
        );
        for bad in [
            "2025-03-01T08:00:00Z",
            "2025-03-01T08:00:00Z~",
            "2025-03-01T08:00:00+08:00~12",
            "2025-03-01 08:00:00Z~12",
            "~12",
        ] {
            assert_eq!(parse_transaction_cursor(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn batch_items_reach_v1_resources_only() {
        for ok in ["/v1/customers", "/v1/customers/ext:0a-b/consents", "/v1/"] {
            assert!(is_valid_batch_path(ok), "{ok:?}");
        }
        for bad in [
            "/v1/batch",
            "/v1/batchy",
            "/v1/admin/faults",
            "/v2/customers",
            "/v1/customers?x=1",
            "/v1/a b",
            "v1/customers",
        ] {
            assert!(!is_valid_batch_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn problem_types_share_the_base() {
        for kind in [
            problem_types::IDEMPOTENCY_KEY_MISSING,
            problem_types::IDEMPOTENCY_KEY_INVALID,
            problem_types::IDEMPOTENCY_KEY_REUSED,
            problem_types::IDEMPOTENCY_KEY_IN_FLIGHT,
            problem_types::INVALID_BODY,
            problem_types::VALIDATION_FAILED,
            problem_types::DUPLICATE_CUSTOMER,
            problem_types::NOT_FOUND,
            problem_types::INJECTED_FAULT,
            problem_types::INVALID_QUERY,
            problem_types::TIER_AGE_RESTRICTED,
            problem_types::TIER_NEEDS_IN_PERSON,
            problem_types::RESIDENT_ID_EXPIRED,
            problem_types::BALANCE_OVER_TIER_CAP,
            problem_types::TIER_NEEDS_BANK_CARD,
            problem_types::UNKNOWN_OPERATOR_BANK,
            problem_types::WALLET_CLOSED,
            problem_types::OTP_EXPIRED,
            problem_types::OTP_WRONG_CODE,
            problem_types::OTP_ATTEMPTS_EXHAUSTED,
            problem_types::OTP_ALREADY_USED,
            problem_types::GUARDIAN_CONSENT_REQUIRED,
            problem_types::CARD_NUMBER_INVALID,
            problem_types::CARD_ALREADY_LINKED,
            problem_types::WALLET_FROZEN,
            problem_types::PAYMENTS_FROZEN,
            problem_types::PAYMENT_PASSWORD_WRONG,
            problem_types::LIMIT_ONE_PAYMENT,
            problem_types::LIMIT_DAILY,
            problem_types::LIMIT_YEARLY,
            problem_types::LIMIT_BALANCE_CAP,
            problem_types::PRACTICE_PASSWORD_WRONG,
            problem_types::PRACTICE_PAYMENT_REVERSED,
            problem_types::INSUFFICIENT_FUNDS,
            problem_types::DUPLICATE_CASE_NUMBER,
            problem_types::COMPLAINT_CLOSED,
            problem_types::DUPLICATE_CLAIM,
            problem_types::DISPUTE_EXISTS,
            problem_types::DISPUTE_DECIDED,
            problem_types::PROVISIONAL_CREDIT_GIVEN,
            problem_types::NOTHING_TO_REVERSE,
            problem_types::CHARGEBACK_FILED,
            problem_types::CHARGEBACK_WINDOW_CLOSED,
            problem_types::UNAUTHORIZED,
            problem_types::AUTHOR_CANNOT_PUBLISH,
            problem_types::NO_SUCH_DRAFT,
        ] {
            assert!(kind.starts_with(PROBLEM_TYPE_BASE), "{kind}");
        }
    }

    #[test]
    fn bearer_tokens_are_b64token_of_reasonable_length() {
        assert!(is_valid_bearer_token("0123456789abcdef"));
        assert!(is_valid_bearer_token("abcDEF012-._~+/xyz=="));
        for bad in [
            "",
            "short",
            "0123456789abcde",
            "================",
            "0123456789abcdef ",
            "0123456789 abcdef",
            "0123456789abcdef\n",
            "0123456789abcdef\r\nX-Evil: 1",
            "0123456789abcdéf",
            "==0123456789abcdef",
        ] {
            assert!(!is_valid_bearer_token(bad), "{bad:?}");
        }
        assert!(is_valid_bearer_token(&"a".repeat(BEARER_TOKEN_MAX_LEN)));
        assert!(!is_valid_bearer_token(
            &"a".repeat(BEARER_TOKEN_MAX_LEN + 1)
        ));
    }

    #[test]
    fn idempotency_keys_are_short_visible_ascii() {
        assert!(is_valid_idempotency_key("a"));
        assert!(is_valid_idempotency_key("op-2025-03-01/booth-7:000123"));
        assert!(is_valid_idempotency_key(&"k".repeat(128)));
        assert!(!is_valid_idempotency_key(""));
        assert!(!is_valid_idempotency_key(&"k".repeat(129)));
        assert!(!is_valid_idempotency_key("has space"));
        assert!(!is_valid_idempotency_key("tab\there"));
        assert!(!is_valid_idempotency_key("中文"));
    }

    #[test]
    fn customer_json_is_camel_case() {
        let json = serde_json::to_value(NewCustomer {
            name: "张三".into(),
            resident_id: "11010519491231002X".into(),
            mobile: "13812345678".into(),
            ..NewCustomer::default()
        })
        .expect("json");
        assert_eq!(json["residentId"], "11010519491231002X");
        let customer: Customer = serde_json::from_value(serde_json::json!({
            "id": "7", "name": "张三", "maskedResidentId": "110105********002X",
            "maskedMobile": "138****5678", "createdAt": "2025-03-01T08:00:00Z"
        }))
        .expect("customer");
        assert_eq!(customer.masked_mobile, "138****5678");
    }
}

/// Sandbox only: the faults it injects, set with `POST /v1/admin/faults` and read with
/// `GET /v1/admin/faults`. Rates are per mille (0 to 1000, together at most 1000), integers so
/// a test's "10%" is exactly 100 and never a float. Each request not under `/v1/admin/` first
/// waits `latency_ms`, then draws once: drop, error, apply-then-timeout, duplicate delivery,
/// or served normally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Faults {
    /// Added to every request before anything else; at most 60,000.
    #[schema(maximum = 60_000)]
    pub latency_ms: u32,
    /// Answered with 500 or 503 (half each) without running the handler.
    #[schema(maximum = 1000)]
    pub error_rate: u16,
    /// The connection is closed without a complete answer, the handler not run.
    #[schema(maximum = 1000)]
    pub drop_rate: u16,
    /// The handler runs (a write is applied and its answer stored), then the answer is held
    /// for `stall_ms`, past the client's timeout: the client must retry with the same key.
    #[schema(maximum = 1000)]
    pub apply_then_timeout_rate: u16,
    /// How long an apply-then-timeout answer is held; 0 means 6,000 ms, longer than the
    /// client's 5 s request timeout; at most 120,000.
    #[schema(maximum = 120_000)]
    pub stall_ms: u32,
    /// A write (POST, PUT, PATCH, DELETE) is delivered to the handlers twice, concurrently,
    /// as a network that retransmits would; the client gets one of the two answers (which
    /// may be the in-flight 409 or the replay). The ledger must still show one application.
    #[schema(maximum = 1000)]
    pub duplicate_rate: u16,
}

/// A per-mille rate that means "always".
pub const PER_MILLE: u16 = 1000;

/// The `after` cursor of `GET /v1/customers` and `GET /v1/changes`: empty (from the start) or
/// a position of up to 18 digits, as `nextCursor` gives it.
pub const NUMBER_CURSOR_PATTERN: &str = "^[0-9]{0,18}$";

/// The position a [`NUMBER_CURSOR_PATTERN`] cursor names (0 for the empty one), or `None` when
/// `text` is not one.
pub fn parse_number_cursor(text: &str) -> Option<i64> {
    if text.len() > 18 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if text.is_empty() {
        return Some(0);
    }
    text.parse().ok()
}

/// The `after` cursor of `GET /v1/wallets/{id}/transactions`: empty (the newest first) or
/// `<time>~<id>` of the last transaction of the previous page, as `nextCursor` gives it.
pub const TRANSACTION_CURSOR_PATTERN: &str =
    "^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z~[0-9]{1,18})?$";

/// The time (as the core writes it) and id a [`TRANSACTION_CURSOR_PATTERN`] cursor names;
/// `Some(None)` for the empty cursor, `None` when `text` is not one. The time is a position
/// in the order, compared as text, so any time of that shape names one.
pub fn parse_transaction_cursor(text: &str) -> Option<Option<(String, i64)>> {
    if text.is_empty() {
        return Some(None);
    }
    let (at, id) = text.split_once('~')?;
    let shape = b"0000-00-00T00:00:00Z";
    let at_ok = at.len() == shape.len()
        && at.bytes().zip(shape).all(|(b, s)| match s {
            b'0' => b.is_ascii_digit(),
            other => b == *other,
        });
    let id = parse_number_cursor(id).filter(|_| !id.is_empty())?;
    at_ok.then(|| Some((at.to_owned(), id)))
}

/// The amounts requests carry (payments, incentive claims): a decimal string above 0 with up
/// to 12 whole digits and at most two places, no sign, no exponent, no separators. In the
/// document as each amount's `pattern`; [`is_valid_amount`] is the same rule in code.
pub const AMOUNT_PATTERN: &str = r"^(?=[0-9.]*[1-9])[0-9]{1,12}(?:\.[0-9]{1,2})?$";

/// True when `text` has the form [`AMOUNT_PATTERN`] describes.
pub fn is_valid_amount(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    (1..=12).contains(&whole.len())
        && digits(whole)
        && (!text.contains('.') || (1..=2).contains(&fraction.len()))
        && digits(fraction)
        && text.bytes().any(|b| (b'1'..=b'9').contains(&b))
}

/// Largest `limit` accepted by `GET /v1/changes`.
pub const CHANGES_MAX_LIMIT: u32 = 1000;
/// Most items accepted in one `POST /v1/batch`.
pub const BATCH_MAX_ITEMS: usize = 500;

/// A customer as the change feed carries it to a console's local read model: what the
/// console needs to find and contact the customer offline. The resident ID stays masked; the
/// mobile is whole because staff search and call by it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRecord {
    pub id: String,
    pub name: String,
    pub masked_resident_id: String,
    pub mobile: String,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub birth_date: String,
    /// "male" or "female", from the resident ID.
    pub sex: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// The console's UUID for the customer, when it gave one: lets a console match the
    /// record to a customer it created offline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = "uuid")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Date)]
    pub id_expires_on: Option<String>,
    /// Who won the customer, when a campaign did: campaign, booth, staff member, channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
}

/// The campaign, booth, staff member and channel ("booth", "counter", "qr") a sign-up is
/// credited to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Attribution {
    pub campaign: String,
    pub booth: String,
    pub staff_id: String,
    pub channel: String,
}

/// A wallet as the change feed carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WalletRecord {
    /// 16-digit wallet number.
    pub id: String,
    pub customer_id: String,
    /// 1 (most verified) to 4 (anonymous).
    #[schema(minimum = 1, maximum = 4)]
    pub tier: u8,
    /// Decimal string in CNY, e.g. "1234.50".
    pub balance: String,
    /// "active", "frozen" or "closed".
    pub status: String,
    #[schema(format = DateTime)]
    pub opened_at: String,
    /// Whose limit scheme applies (see [`Wallet`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_bank: Option<String>,
    /// True after 5 wrong payment passwords in a row (see [`Wallet`]).
    #[serde(default)]
    pub payments_frozen: bool,
}

/// One entry of the change feed: the entity as it is now. `kind` says which shape `data` has
/// ("customer": [`CustomerRecord`], "wallet": [`WalletRecord`], "consent": [`Consent`],
/// "card": [`LinkedCard`], "transaction": [`Transaction`],
/// "complaint": [`Complaint`], "incentive-claim": [`IncentiveClaim`], "dispute": [`Dispute`],
/// "campaign": [`Campaign`], "booth": [`Booth`], "article": [`Article`],
/// "article-flag": [`ArticleFlag`], "fee": [`Fee`] (1.10.0); further kinds may be added, and a client skips kinds it does not
/// know). `data` is null when the entity no longer exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// Opaque; pass the last one seen as `after` to continue from here.
    pub cursor: String,
    pub kind: String,
    pub id: String,
    #[schema(format = DateTime)]
    pub at: String,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// Answer to `GET /v1/changes?after=<cursor>&limit=<n>`: changes in commit order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangePage {
    pub changes: Vec<Change>,
    /// Where to continue: the last change's cursor, or the `after` given when there was none.
    pub next_cursor: String,
    /// True when more changes are waiting after `next_cursor`.
    pub more: bool,
}

/// One write inside `POST /v1/batch`: what the same request would carry on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BatchItem {
    /// The item's own Idempotency-Key, by the header's rule.
    #[schema(min_length = 1, max_length = 128, pattern = r"^[\x21-\x7E]{1,128}$")]
    pub idempotency_key: String,
    /// "POST", "PUT", "PATCH" or "DELETE".
    #[schema(pattern = "^(?:POST|PUT|PATCH|DELETE)$")]
    pub method: String,
    /// A v1 resource path, e.g. "/v1/customers" (see [`is_valid_batch_path`]).
    #[schema(pattern = r"^/v1/(?!batch|admin/)[A-Za-z0-9._~!$&'()*+,;=:@/%-]*$")]
    pub path: String,
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
}

/// [`BatchItem::path`]'s form: `/v1/` and then path characters (RFC 3986 `pchar` and `/`), not
/// the batch endpoint itself nor the sandbox's admin endpoints.
pub const BATCH_PATH_PATTERN: &str = r"^/v1/(?!batch|admin/)[A-Za-z0-9._~!$&'()*+,;=:@/%-]*$";

/// True when `path` has the form [`BATCH_PATH_PATTERN`] describes.
pub fn is_valid_batch_path(path: &str) -> bool {
    path.strip_prefix("/v1/").is_some_and(|rest| {
        !rest.starts_with("batch")
            && !rest.starts_with("admin/")
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._~!$&'()*+,;=:@/%-".contains(&b))
    })
}

/// Body of `POST /v1/batch`: up to [`BATCH_MAX_ITEMS`] writes, run one after another in the
/// order given. The batch itself needs no key; each item has its own and is applied at most
/// once exactly as if it were sent alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Batch {
    /// 1 to [`BATCH_MAX_ITEMS`] (500) items.
    #[schema(min_items = 1, max_items = 500)]
    pub items: Vec<BatchItem>,
}

/// What one item got: the status and body the same request would have got alone (a problem
/// body for errors), and whether it was a replay of an earlier answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BatchResult {
    pub idempotency_key: String,
    pub status: u16,
    pub replayed: bool,
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
}

/// Answer to `POST /v1/batch` (status 200 whatever the items got): one result per item, in
/// the order of the items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BatchResults {
    pub results: Vec<BatchResult>,
}

/// The operator bank whose limit scheme applies when a wallet is opened without naming one:
/// the tiers as the central bank's digital currency institute described them publicly.
pub const DEFAULT_OPERATOR_BANK: &str = "central-bank-scheme";

/// Body of `POST /v1/wallets`: open a wallet at a tier.
///
/// Rules (DOMAIN.md, wallet tiers): a customer under 16 gets tier 4 only; tier 1 is opened only
/// at a branch, `inPerson: true` with the staff id of whoever checked the ID card in
/// `idVerifiedBy`; tiers 1 to 3 need a resident ID that has not expired; tiers 1 and 2 need
/// the customer's own bank card, given here in `bankCard` and linked with the wallet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewWallet {
    /// A customer reference: the core's id or `ext:<externalId>`.
    pub customer_id: String,
    /// 1 (most verified) to 4 (anonymous).
    #[schema(minimum = 1, maximum = 4)]
    pub tier: u8,
    /// Whose limit scheme applies; [`DEFAULT_OPERATOR_BANK`] when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_bank: Option<String>,
    /// True when the customer is at the counter with their ID card.
    #[serde(default)]
    pub in_person: bool,
    /// Staff id of whoever checked the ID card in person; required for tier 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_verified_by: Option<String>,
    /// The customer's own bank card, linked in the same step; required for tiers 1 and 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_card: Option<NewCard>,
}

/// Body of `POST /v1/wallets/{id}/tier`: move a wallet to another tier, under the same rules
/// as opening one (tiers 1 and 2: a card already linked to the wallet); a downgrade is refused while the balance is over the new tier's cap.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TierChange {
    #[schema(minimum = 1, maximum = 4)]
    pub tier: u8,
    #[serde(default)]
    pub in_person: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_verified_by: Option<String>,
}

/// Body of `POST /v1/wallets/{id}/freeze` and `POST /v1/wallets/{id}/unfreeze`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WalletHold {
    /// Why, for the record: 1 to 200 characters.
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,198}\S)?\s*$")]
    pub reason: String,
}

/// The limits that apply to a wallet now. Amounts are decimal strings in CNY; a limit that is
/// absent means "none".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WalletLimits {
    /// The operator bank whose scheme this is.
    pub operator_bank: String,
    /// The first day (`YYYY-MM-DD`, China time) of the scheme version in force.
    #[schema(format = Date)]
    pub effective_from: String,
    /// The tier whose limits apply: the wallet's own, or 4 when they are lowered.
    #[schema(minimum = 1, maximum = 4)]
    pub applied_tier: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_cap: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_payment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_day: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_year: Option<String>,
    /// Why the limits are lower than the tier's, when they are: `"resident-id-expired"` (the
    /// ID card expired more than 90 days ago and was not renewed; tier 4's limits apply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lowered_because: Option<String>,
}

/// What a wallet has paid out so far in the current China day and year, decimal strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WalletUsage {
    pub today: String,
    pub this_year: String,
}

/// A wallet with the limits in force and what has been used of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Wallet {
    /// 16-digit wallet number.
    pub id: String,
    pub customer_id: String,
    #[schema(minimum = 1, maximum = 4)]
    pub tier: u8,
    pub operator_bank: String,
    /// Decimal string in CNY, e.g. "1234.50".
    pub balance: String,
    /// "active", "frozen" or "closed".
    pub status: String,
    #[schema(format = DateTime)]
    pub opened_at: String,
    pub limits: WalletLimits,
    pub usage: WalletUsage,
    /// True after 5 wrong payment passwords in a row: no payment goes out until staff
    /// unfreeze the wallet (`POST /v1/wallets/{id}/unfreeze`).
    #[serde(default)]
    pub payments_frozen: bool,
}

/// Body of `POST /v1/otp`: send a one-time code to a mobile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OtpRequest {
    /// Mainland mobile number, optionally with +86 (see the pattern).
    #[schema(pattern = r"^(?:\+86[ -]?)?1[3-9](?:[ -]?[0-9]){9}$")]
    pub mobile: String,
    /// What the code confirms, for the record (e.g. "open-wallet"); free text, at most 64
    /// characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^\s*(?:\S(?:[\s\S]{0,62}\S)?)?\s*$")]
    pub purpose: Option<String>,
}

/// A code sent: quote `challengeId` when verifying. Valid 5 minutes, 5 attempts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OtpChallenge {
    pub challenge_id: String,
    pub masked_mobile: String,
    #[schema(format = DateTime)]
    pub expires_at: String,
    /// Sandbox only: the code itself, so training can go on without a phone. A real core never
    /// returns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_code: Option<String>,
}

/// Body of `POST /v1/otp/verify`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OtpVerification {
    pub challenge_id: String,
    /// The 6 digits the customer read out.
    pub code: String,
}

/// A code verified: the customer holds the mobile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OtpVerified {
    pub challenge_id: String,
    pub masked_mobile: String,
    #[schema(format = DateTime)]
    pub verified_at: String,
}

/// Body of `POST /v1/identity-checks`: does this name go with this resident ID, as the
/// identity authority sees it?
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentityCheckRequest {
    #[schema(pattern = r"\S")]
    pub name: String,
    #[schema(pattern = r"^\s*(?:[0-9]{17}[0-9Xx]|[0-9]{15})\s*$")]
    pub resident_id: String,
}

/// The identity authority's answer. The sandbox answers "mismatch" when a customer it holds
/// has this resident ID under another name, or when the ID's 3-digit sequence (characters 15
/// to 17) is `998`; otherwise "match".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdentityCheck {
    /// "match" or "mismatch".
    pub result: String,
    pub masked_resident_id: String,
    #[schema(format = DateTime)]
    pub checked_at: String,
}

/// Body of `POST /v1/screenings`: screen a customer (by reference) or a name and resident ID
/// against the watchlist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScreeningRequest {
    /// A customer reference; when given, the customer's own name and ID are screened and the
    /// other fields must be left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^\s*(?:[0-9]{17}[0-9Xx]|[0-9]{15})\s*$")]
    pub resident_id: Option<String>,
}

/// A screening's result. The sandbox's hits are deterministic: a name on its small watchlist
/// table (e.g. "制裁测试", "WATCHLIST TEST"), or a resident ID whose 3-digit sequence
/// (characters 15 to 17) is `999`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Screening {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// "clear" or "hit".
    pub result: String,
    /// Why it hit; absent when clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[schema(format = DateTime)]
    pub screened_at: String,
}

/// What a consent covers (PIPL): each is asked and recorded separately.
pub mod consent_scopes {
    /// Processing personal information to provide the service.
    pub const GENERAL_PROCESSING: &str = "general-processing";
    /// Processing sensitive personal information: financial accounts (PIPL art. 29).
    pub const SENSITIVE_FINANCIAL: &str = "sensitive-financial";
    /// Sharing with another company, named in `thirdParty` (PIPL art. 23).
    pub const THIRD_PARTY_SHARING: &str = "third-party-sharing";
}

/// Body of `POST /v1/customers/{ref}/consents`: the customer consented to `scope` as worded
/// in `version` of the notice. A new grant of a scope (and third party) supersedes the
/// earlier one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewConsent {
    /// One of [`consent_scopes`].
    #[schema(pattern = r"^(?:general-processing|sensitive-financial|third-party-sharing)$")]
    pub scope: String,
    /// The version of the notice the customer was shown, e.g. "2025-03".
    #[schema(
        pattern = r"^\s*[^\s\x00-\x1F\x7F-\x9F](?:[^\x00-\x1F\x7F-\x9F]{0,98}[^\s\x00-\x1F\x7F-\x9F])?\s*$"
    )]
    pub version: String,
    /// Required for third-party sharing: who receives the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_party: Option<String>,
    /// Required when the customer is under 14 (PIPL art. 31): the guardian who consented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian_name: Option<String>,
}

/// Body of `POST /v1/consents/{id}/withdraw`: withdrawal is as easy as consent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsentWithdrawal {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A consent as recorded; also the change feed's `consent` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    pub id: String,
    pub customer_id: String,
    pub scope: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_party: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian_name: Option<String>,
    /// "granted", "withdrawn", or "superseded" (by a later grant of the same scope).
    pub status: String,
    #[schema(format = DateTime)]
    pub granted_at: String,
    /// When it was withdrawn or superseded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub ended_at: Option<String>,
}

/// Answer to `GET /v1/customers/{ref}/consents`: every consent, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsentList {
    pub consents: Vec<Consent>,
}

/// Body of `POST /v1/wallets/{id}/cards`: link the customer's own bank card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewCard {
    /// The full card number, 13 to 19 digits (spaces allowed), Luhn-checked. Never returned:
    /// the core keeps and shows it masked.
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^\s*(?:\S(?:[\s\S]{0,62}\S)?)?\s*$")]
    pub bank_name: Option<String>,
}

/// Body of `POST /v1/wallets/{id}/cards/{cardId}/unlink`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CardUnlink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A linked card, masked (`6222 **** **** 1234`); also the change feed's `card` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LinkedCard {
    pub id: String,
    pub wallet_id: String,
    pub masked_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    /// "linked" or "unlinked".
    pub status: String,
    #[schema(format = DateTime)]
    pub linked_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub unlinked_at: Option<String>,
}

/// Answer to `GET /v1/wallets/{id}/cards`: every card ever linked, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CardList {
    pub cards: Vec<LinkedCard>,
}

/// Largest `limit` accepted by `GET /v1/wallets/{id}/transactions`.
pub const TRANSACTIONS_MAX_LIMIT: u32 = 200;

/// The sandbox's payment password for every wallet (practice only; a real core never has one
/// shared password, nor says what it is).
pub const SANDBOX_PAYMENT_PASSWORD: &str = "147258";

/// A movement of money on a wallet; also the change feed's `transaction` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub id: String,
    pub wallet_id: String,
    #[schema(format = DateTime)]
    pub at: String,
    /// Decimal string in CNY, always positive; `direction` says which way.
    pub amount: String,
    /// "in" or "out".
    pub direction: String,
    pub counterparty: String,
    pub memo: String,
    /// The wallet's balance just after, on the answer to the payment that made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_after: Option<String>,
}

/// Answer to `GET /v1/wallets/{id}/transactions`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransactionPage {
    pub transactions: Vec<Transaction>,
    /// Pass as `after` for the next (older) page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Body of `POST /v1/payments` (practice and tests): money out of a wallet (a payment, with the
/// payment password) or into it (a top-up).
///
/// Refusals, each with its own problem type: the wallet frozen (`wallet-frozen`) or its
/// payments frozen after 5 wrong passwords (`payments-frozen`); a wrong password
/// (`payment-password-wrong`, counted); over the tier's one-payment, daily or yearly limit
/// (`limit-one-payment`, `limit-daily`, `limit-yearly`); a top-up past the balance cap
/// (`limit-balance-cap`); more than the balance (`insufficient-funds`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaymentRequest {
    pub wallet_id: String,
    /// Decimal string in CNY, more than 0, at most two places.
    #[schema(pattern = r"^(?=[0-9.]*[1-9])[0-9]{1,12}(?:\.[0-9]{1,2})?$")]
    pub amount: String,
    /// "out" (pay) or "in" (top up).
    #[schema(pattern = r"^(?:in|out)$")]
    pub direction: String,
    #[schema(
        pattern = r"^\s*[^\s\x00-\x1F\x7F-\x9F](?:[^\x00-\x1F\x7F-\x9F]{0,62}[^\s\x00-\x1F\x7F-\x9F])?\s*$"
    )]
    pub counterparty: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        pattern = r"^\s*(?:[^\s\x00-\x1F\x7F-\x9F](?:[^\x00-\x1F\x7F-\x9F]{0,62}[^\s\x00-\x1F\x7F-\x9F])?)?\s*$"
    )]
    pub memo: Option<String>,
    /// Required to pay out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_password: Option<String>,
}

/// Body of `POST /v1/complaints`: the bank's register entry for a complaint the console is
/// handling under its own case number (the console keeps the regulator's clock; the register
/// is the bank's record of it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewComplaint {
    /// The console's case number, unique in the register.
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub case_number: String,
    /// A customer reference: the core's id or `ext:<externalId>`.
    pub customer_id: String,
    /// e.g. "wallet", "payment", "service"; free text for the statistics.
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub category: String,
    /// How it arrived, e.g. "counter", "phone", "letter", "online".
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub channel: String,
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,1998}\S)?\s*$")]
    pub summary: String,
    /// The day it was received (`YYYY-MM-DD`); the periods count from the next day.
    #[schema(format = Date)]
    pub received_on: String,
}

/// Body of `POST /v1/complaints/{id}/status`.
///
/// "in-progress" from "open"; "decided" needs `decision` and `rootCause` (each decided
/// complaint records its cause, so repeated causes show in the statistics); "withdrawn" and
/// "closed" are final.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComplaintStatusChange {
    /// "in-progress", "decided", "withdrawn" or "closed".
    #[schema(pattern = r"^(?:in-progress|decided|withdrawn|closed)$")]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,1998}\S)?\s*$")]
    pub decision: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,1998}\S)?\s*$")]
    pub root_cause: Option<String>,
    /// The fix made at the source, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,1998}\S)?\s*$")]
    pub fix: Option<String>,
}

/// A complaint in the bank's register; also the change feed's `complaint` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Complaint {
    pub id: String,
    pub case_number: String,
    pub customer_id: String,
    pub category: String,
    pub channel: String,
    pub summary: String,
    #[schema(format = Date)]
    pub received_on: String,
    /// "open", "in-progress", "decided", "withdrawn" or "closed".
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    #[schema(format = DateTime)]
    pub registered_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// Body of `POST /v1/incentives/claims`: a campaign incentive paid at a booth. One claim per
/// customer per campaign.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewIncentiveClaim {
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub campaign: String,
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub booth: String,
    /// The staff member who signed the customer up.
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub staff_id: String,
    /// A customer reference: the core's id or `ext:<externalId>`.
    pub customer_id: String,
    /// Decimal string in CNY, more than 0.
    #[schema(pattern = r"^(?=[0-9.]*[1-9])[0-9]{1,12}(?:\.[0-9]{1,2})?$")]
    pub amount: String,
    /// The person's key: SHA-256 (hex) of the campaign code, ":" and the person's normalised
    /// mobile (or resident ID). One claim per person and campaign, whatever customer record
    /// or booth a claim comes through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^[0-9a-fA-F]{64}$")]
    pub person_key: Option<String>,
}

/// A recorded incentive claim; also the change feed's `incentive-claim` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IncentiveClaim {
    pub id: String,
    pub campaign: String,
    pub booth: String,
    pub staff_id: String,
    pub customer_id: String,
    pub amount: String,
    #[schema(format = DateTime)]
    pub claimed_at: String,
}

/// The codes that name a campaign or a booth: a letter or digit, then up to 31 letters,
/// digits or hyphens. Used in paths and idempotency keys, so kept plain.
pub const CAMPAIGN_CODE_PATTERN: &str = r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$";

/// True when `text` has the form [`CAMPAIGN_CODE_PATTERN`] describes.
pub fn is_valid_campaign_code(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && text.len() <= 32
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// What a campaign gives each person once: a fee waived, cashback, points or a coupon.
/// `kind` says which of the other fields is required: `cashback` needs `amount` (CNY, paid
/// by the core), `points` needs `points`, `coupon` needs `coupon` (its name), `fee-waiver`
/// needs `service` (the fee schedule's service that is waived). The others are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CampaignIncentive {
    #[schema(pattern = r"^(?:fee-waiver|cashback|points|coupon)$")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^(?=[0-9.]*[1-9])[0-9]{1,12}(?:\.[0-9]{1,2})?$")]
    pub amount: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 1000000)]
    pub points: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub coupon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^[a-z][a-z0-9-]{0,31}$")]
    pub service: Option<String>,
}

/// Body of `POST /v1/campaigns`: creates the campaign `code`, or replaces it whole.
///
/// The core enforces what a console may only show: a claim outside `startsOn..=endsOn`
/// (China days) or from a booth not in `booths` is refused; `newCustomersOnly` refuses a
/// customer the core knew before the campaign started; and once `budgetClaims` incentives
/// are paid, or `budgetAmount` CNY of them, every further claim is `budget-exhausted`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CampaignSave {
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
    pub code: String,
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub name: String,
    /// First China day of the campaign, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub starts_on: String,
    /// Last China day, on or after `startsOn`.
    #[schema(format = Date)]
    pub ends_on: String,
    /// Branch codes the campaign runs in (blank entries are dropped).
    #[serde(default)]
    pub branches: Vec<String>,
    /// Booth codes that may hand out its incentive (blank entries are dropped).
    #[serde(default)]
    pub booths: Vec<String>,
    pub incentive: CampaignIncentive,
    /// Only customers the core did not know before `startsOn` may claim.
    #[serde(default)]
    pub new_customers_only: bool,
    /// Most incentives paid in all; left out: no count cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 10000000)]
    pub budget_claims: Option<u32>,
    /// Most CNY paid in all (claims' amounts); left out: no money cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^(?=[0-9.]*[1-9])[0-9]{1,12}(?:\.[0-9]{1,2})?$")]
    pub budget_amount: Option<String>,
}

/// A campaign as the core holds it; also the change feed's `campaign` record (id: the
/// code). `claims` and `spent` are what its budget has paid so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Campaign {
    pub code: String,
    pub name: String,
    #[schema(format = Date)]
    pub starts_on: String,
    #[schema(format = Date)]
    pub ends_on: String,
    pub branches: Vec<String>,
    pub booths: Vec<String>,
    pub incentive: CampaignIncentive,
    pub new_customers_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_claims: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_amount: Option<String>,
    /// Incentives paid so far.
    pub claims: u32,
    /// CNY paid so far, a decimal string.
    pub spent: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// Body of `POST /v1/booths`: creates the booth `code`, or replaces it whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BoothSave {
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
    pub code: String,
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub name: String,
    /// The mall or venue, e.g. "万达广场 1F".
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub mall: String,
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,198}\S)?\s*$")]
    pub address: String,
    /// The branch the booth belongs to.
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub branch: String,
    /// Usernames of the staff who work the booth (blank entries are dropped).
    #[serde(default)]
    pub roster: Vec<String>,
}

/// A booth as the core holds it; also the change feed's `booth` record (id: the code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Booth {
    pub code: String,
    pub name: String,
    pub mall: String,
    pub address: String,
    pub branch: String,
    pub roster: Vec<String>,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// One consent a sign-up records (the two a wallet cannot be opened without).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignUpConsent {
    #[schema(pattern = r"^(?:general-processing|sensitive-financial)$")]
    pub scope: String,
    /// The notice version shown.
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,30}\S)?\s*$")]
    pub version: String,
}

/// The incentive a sign-up claims: the amount it costs the budget and the person's key (see
/// [`NewIncentiveClaim::person_key`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignUpClaim {
    #[schema(pattern = r"^(?=[0-9.]*[1-9])[0-9]{1,12}(?:\.[0-9]{1,2})?$")]
    pub amount: String,
    #[schema(pattern = r"^[0-9a-fA-F]{64}$")]
    pub person_key: String,
}

/// Body of `POST /v1/signups`: a quick sign-up for a tier 4 wallet, the mobile only (no
/// resident ID: tier 4 needs none), as a booth queues it, offline if need be.
///
/// The core finds the customer by the mobile or creates one (so one person signed up at two
/// booths is one customer), verifies the mobile (its one-time code, deferred while the booth
/// was offline), records the consents, opens the tier 4 wallet for a new customer, and claims
/// `claim` once per person. The incentive's outcome is in the answer (`incentive`), never a
/// refusal of the sign-up. Both `general-processing` and `sensitive-financial` consents are
/// required.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewSignUp {
    /// The console's UUID for the customer.
    #[schema(format = "uuid")]
    pub external_id: String,
    #[schema(pattern = r"^(?:\+86[ -]?)?1[3-9](?:[ -]?[0-9]){9}$")]
    pub mobile: String,
    /// Optional at tier 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^[^\x00-\x1F\x7F-\x9F]{0,64}$")]
    pub name: Option<String>,
    pub consents: Vec<SignUpConsent>,
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
    pub campaign: String,
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
    pub booth: String,
    /// The staff member who signed the person up.
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub staff_id: String,
    /// "booth", "counter" or "qr" (a self sign-up through a booth's code).
    #[schema(pattern = r"^(?:booth|counter|qr)$")]
    pub channel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<SignUpClaim>,
}

/// Answer to `POST /v1/signups`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignUp {
    pub customer_id: String,
    /// The externalId the customer is known by: this sign-up's, or the first booth's when
    /// the person was already the core's customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_external_id: Option<String>,
    /// True when this sign-up created the customer.
    pub created: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_id: Option<String>,
    pub mobile_verified: bool,
    /// "granted", "already-claimed", "budget-exhausted", "not-eligible" or "none" (no claim).
    pub incentive: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incentive_detail: Option<String>,
}

/// Body of `POST /v1/sign-up-links`: whom a booth's QR code credits (1.9.0).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignUpLinkRequest {
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
    pub campaign: String,
    /// One of the campaign's booths.
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
    pub booth: String,
    /// The staff member's username.
    #[schema(pattern = r"^[A-Za-z0-9._-]{1,64}$")]
    pub staff_id: String,
}

/// Answer to `POST /v1/sign-up-links`: the bank's self sign-up link for a QR code, signed by
/// the core so that it cannot be forged or re-pointed at another booth or staff member
/// (1.9.0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignUpLink {
    pub url: String,
    pub campaign: String,
    pub booth: String,
    pub staff_id: String,
}

/// Body of `POST /v1/admin/self-signups`, the sandbox's stand-in for the bank's self sign-up
/// page: a person who scanned a booth's code signs up with their mobile (1.9.0).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SelfSignUp {
    /// The signed link the code encodes, as scanned.
    pub link: String,
    #[schema(pattern = r"^(?:\+86[ -]?)?1[3-9](?:[ -]?[0-9]){9}$")]
    pub mobile: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^[^\x00-\x1F\x7F-\x9F]{0,64}$")]
    pub name: Option<String>,
}

/// Body of `POST /v1/disputes`: the customer disputes a payment out of their wallet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewDispute {
    pub transaction_id: String,
    /// e.g. "unauthorised", "duplicate", "not-received", "wrong-amount".
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub reason: String,
}

/// Body of `POST /v1/disputes/{id}/evidence`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewEvidence {
    /// e.g. "receipt", "statement", "merchant-reply", "police-report".
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub kind: String,
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,1998}\S)?\s*$")]
    pub description: String,
}

/// Body of `POST /v1/disputes/{id}/decision`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DisputeDecision {
    /// "customer" (the error is corrected: credited, unless a provisional credit already
    /// stands and becomes final) or "bank" (a provisional credit is then reversed with
    /// `POST /v1/disputes/{id}/reverse`).
    #[schema(pattern = r"^(?:customer|bank)$")]
    pub in_favour_of: String,
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,1998}\S)?\s*$")]
    pub findings: String,
}

/// Body of `POST /v1/disputes/{id}/chargeback`: a card chargeback filed for the disputed
/// payment; within 120 days of the transaction, 90 for duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChargebackRequest {
    /// The scheme's reason code, e.g. "4837"; "duplicate" uses the 90-day window.
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub reason_code: String,
}

/// Body of `PUT /v1/audit-anchor`: the head of this console's audit trail, its newest record's
/// number and hash. The core keeps the latest per console token and never lets it go back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditAnchorRequest {
    /// The newest record's number in the console's trail (1, 2, 3, ...).
    #[schema(minimum = 1)]
    pub sequence: i64,
    /// That record's hash: 64 lowercase hex digits (HMAC-SHA256, opaque to the core).
    #[schema(pattern = "^[0-9a-f]{64}$", min_length = 64, max_length = 64)]
    pub head_hash: String,
    /// The sequence of the head the core holds for this console (from `GET
    /// /v1/audit-anchor`); required once the core holds one, so a new head always extends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1)]
    pub previous_sequence: Option<i64>,
    /// The hash that record has in the console's trail now: it must be the hash the core
    /// holds, or the trail was cut or rewritten since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[0-9a-f]{64}$", min_length = 64, max_length = 64)]
    pub previous_hash: Option<String>,
}

/// The audit head the core holds for the calling console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditAnchor {
    #[schema(minimum = 1)]
    pub sequence: i64,
    #[schema(pattern = "^[0-9a-f]{64}$", min_length = 64, max_length = 64)]
    pub head_hash: String,
    /// When the core stored this head (RFC 3339, UTC).
    pub anchored_at: String,
}

/// True for a head hash the contract accepts: 64 lowercase hex digits.
pub fn is_valid_head_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// An empty body, for actions that need nothing more than their path
/// (`POST /v1/disputes/{id}/provisional-credit`, `POST /v1/disputes/{id}/reverse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

/// One piece of evidence on a dispute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub id: String,
    pub kind: String,
    pub description: String,
    #[schema(format = DateTime)]
    pub added_at: String,
}

/// A dispute; also the change feed's `dispute` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Dispute {
    pub id: String,
    pub transaction_id: String,
    pub wallet_id: String,
    /// The disputed amount, decimal string in CNY.
    pub amount: String,
    pub reason: String,
    /// "open", "decided-customer", "decided-bank" or "reversed" (decided for the bank and the
    /// provisional credit taken back).
    pub status: String,
    /// The transaction that credited the amount provisionally, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisional_credit_id: Option<String>,
    /// The transaction that credited it on a decision for the customer without a
    /// provisional credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_id: Option<String>,
    /// The transaction that took a provisional credit back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reversal_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chargeback_reason_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub chargeback_filed_at: Option<String>,
    pub evidence: Vec<Evidence>,
    #[schema(format = DateTime)]
    pub opened_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// Answer to `GET /v1/customers/{ref}/wallets`: the customer's wallets, oldest first, each
/// with its limits in force and usage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WalletList {
    pub wallets: Vec<Wallet>,
}

/// One tier's limits in a scheme version; amounts are decimal strings, absent means none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TierLimitRow {
    #[schema(minimum = 1, maximum = 4)]
    pub tier: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_cap: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_payment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_day: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_year: Option<String>,
}

/// One version of an operator bank's limit scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LimitScheme {
    pub operator_bank: String,
    pub operator_bank_name: String,
    /// True for the scheme used when a wallet names no operator bank.
    pub is_default: bool,
    /// First China day (`YYYY-MM-DD`) the version is in force.
    #[schema(format = Date)]
    pub effective_from: String,
    pub tiers: Vec<TierLimitRow>,
}

/// Answer to `GET /v1/limit-schemes`: every version of every operator bank's scheme, by
/// operator bank and then effective date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LimitSchemeList {
    pub schemes: Vec<LimitScheme>,
}

/// The knowledge base's categories, as [`ArticleDraft::category`] takes them.
pub const ARTICLE_CATEGORIES: [&str; 5] = ["fees", "limits", "security", "how-to", "complaints"];
/// The languages an article is written in.
pub const ARTICLE_LANGUAGES: [&str; 2] = ["zh-CN", "en"];
/// Most tags on one article, and most characters in one tag.
pub const ARTICLE_MAX_TAGS: usize = 12;
pub const ARTICLE_TAG_MAX_CHARS: usize = 32;
pub const ARTICLE_TITLE_MAX_CHARS: usize = 200;
pub const ARTICLE_BODY_MAX_CHARS: usize = 20_000;
pub const ARTICLE_FLAG_NOTE_MAX_CHARS: usize = 1_000;
/// An article id, chosen by the console that writes the first draft (so the draft, its
/// publication and flags can be queued before the core has answered).
pub const ARTICLE_ID_PATTERN: &str = r"^[A-Za-z0-9-]{1,64}$";

/// True when `id` has the form [`ARTICLE_ID_PATTERN`] describes.
pub fn is_valid_article_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Body of `POST /v1/articles/{id}/draft`: head office writes (or rewrites) the article's
/// draft. The first draft creates the article. A draft already waiting is replaced, and its
/// author becomes the staff member who wrote this text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArticleDraft {
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,198}\S)?\s*$")]
    pub title: String,
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,19998}\S)?\s*$")]
    pub body: String,
    /// "fees", "limits" (limits and tiers), "security" (security and anti-fraud), "how-to"
    /// or "complaints".
    #[schema(pattern = r"^(?:fees|limits|security|how-to|complaints)$")]
    pub category: String,
    /// Words staff search by; at most 12, each 1 to 32 characters.
    #[schema(max_items = 12)]
    pub tags: Vec<ArticleTag>,
    /// "zh-CN" or "en".
    #[schema(pattern = r"^(?:zh-CN|en)$")]
    pub language: String,
    /// The staff member who wrote this text (the maker).
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub author_id: String,
}

/// One tag of an article: 1 to 32 characters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(pattern = r"^\s*\S(?:[\s\S]{0,30}\S)?\s*$")]
#[serde(transparent)]
pub struct ArticleTag(pub String);

/// Body of `POST /v1/articles/{id}/publish`: another head-office staff member (the checker)
/// publishes the draft they read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArticlePublication {
    /// The checker; never the draft's author.
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub staff_id: String,
    /// The draft's version, as the checker read it.
    #[schema(minimum = 1)]
    pub version: u32,
}

/// Body of `POST /v1/articles/{id}/flags`: staff say a published article is wrong or out of
/// date; head office sees the flag in the change feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewArticleFlag {
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,62}\S)?\s*$")]
    pub staff_id: String,
    /// The published version the staff member read.
    #[schema(minimum = 1)]
    pub version: u32,
    /// "wrong" or "out-of-date".
    #[schema(pattern = r"^(?:wrong|out-of-date)$")]
    pub reason: String,
    #[schema(pattern = r"^\s*\S(?:[\s\S]{0,998}\S)?\s*$")]
    pub note: String,
}

/// One version of an article's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArticleVersion {
    pub version: u32,
    pub title: String,
    pub body: String,
    pub category: String,
    pub tags: Vec<String>,
    pub language: String,
    /// The maker.
    pub written_by: String,
    #[schema(format = DateTime)]
    pub written_at: String,
    /// The checker, once published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
}

/// A knowledge-base article: the version staff read (`published`) and the draft waiting
/// for a checker (`draft`); either may be absent. Also the change feed's `article` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Article {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<ArticleVersion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<ArticleVersion>,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// A flag on an article; also the change feed's `article-flag` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArticleFlag {
    pub id: String,
    pub article_id: String,
    pub version: u32,
    pub reason: String,
    pub note: String,
    pub staff_id: String,
    #[schema(format = DateTime)]
    pub flagged_at: String,
}

// --- Reporting (issue 17): promotion metrics from the core's daily rollups -----------------

/// The metrics `GET /v1/reports` answers (satisfaction is counted by the console, which
/// records the surveys).
pub const REPORT_METRICS: [&str; 6] = [
    "sign-ups",
    "activation",
    "monthly-active",
    "transactions-per-active",
    "complaint-rate",
    "incentive-cost-per-activated",
];
/// What a report may group by.
pub const REPORT_DIMENSIONS: [&str; 5] = ["campaign", "booth", "staff", "branch", "channel"];
/// The longest period one report covers.
pub const REPORT_MAX_DAYS: u32 = 366;

/// The sums a metric is made of, for one group (docs/metrics.md): what lets a console show
/// the numerator and denominator beside the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportSums {
    /// Sign-ups in the period.
    pub signups: i64,
    /// The period's sign-ups whose activation window had closed by `asOf`.
    pub matured_signups: i64,
    /// Of those, activated within `activationDays`.
    pub activated: i64,
    /// Customers with a transaction in the 30 days ending the period (or `asOf`).
    pub active: i64,
    /// Transactions in those 30 days.
    pub transactions: i64,
    /// Customers signed up by the period's end.
    pub customers: i64,
    /// Complaints received in the period.
    pub complaints: i64,
    /// Incentive paid to the matured sign-ups, decimal string in CNY.
    pub incentive: String,
}

/// One group of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportRow {
    /// The group's campaign, booth, staff member, branch or channel; "" for customers with
    /// none (and for the one row of a report without a dimension).
    pub key: String,
    /// The metric as a decimal string; null when it would divide by zero (no data).
    pub value: Option<String>,
    pub sums: ReportSums,
}

/// A metric by a dimension over a period, as of a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub metric: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<String>,
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    pub activation_days: u16,
    /// When the numbers were read from the rollups.
    #[schema(format = DateTime)]
    pub as_of: String,
    pub rows: Vec<ReportRow>,
}

// fees (issue 14 item 8, 1.10.0)

/// When a fee is charged: once, when the wallet is opened (what the opening receipt's amount
/// due adds up), or each time the service is used (shown so staff can explain it).
pub const FEE_CHARGED: [&str; 2] = ["at-opening", "per-use"];

/// One line of the fee schedule: what `service` costs a wallet of `tier` (1.10.0). The
/// schedule is data at the core, so a bank changes a fee without a console release; it
/// enters the change feed as kind "fee" (id `<tier>-<service>`), so a console explains and
/// prints the fees offline from its last copy. A campaign's `fee-waiver` incentive names a
/// `service` of this schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Fee {
    #[schema(minimum = 1, maximum = 4)]
    pub tier: u8,
    #[schema(pattern = r"^[a-z][a-z0-9-]{0,31}$")]
    pub service: String,
    /// The fee's name as printed on the receipt, e.g. "硬钱包工本费".
    pub name: String,
    /// CNY, a decimal string; "0.00" for a service that is free (shown as free).
    #[schema(pattern = r"^[0-9]{1,12}\.[0-9]{2}$")]
    pub amount: String,
    /// "at-opening" or "per-use" (see [`FEE_CHARGED`]).
    #[schema(pattern = r"^(?:at-opening|per-use)$")]
    pub charged: String,
    /// A line staff may read out (what the fee is for, when it is not charged).
    pub note: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// Answer to `GET /v1/fees`: the whole schedule, by tier and then service (1.10.0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeeSchedule {
    pub fees: Vec<Fee>,
}

// practice payments (issue 13 item 5, 1.11.0)

/// The practice balance a practice wallet starts with, in fen (1000.00 practice yuan): play
/// money, never a real balance.
pub const PRACTICE_OPENING_BALANCE_FEN: i64 = 100_000;

/// Body of `POST /v1/practice-payments` (1.11.0): a practice payment for an elderly customer
/// learning to pay, out of the practice wallet the core keeps for `holder` (made on first use,
/// with [`PRACTICE_OPENING_BALANCE_FEN`] of play money). A practice wallet has the practice
/// flag: it is never in the change feed, the reports or a real wallet's limits. The payment
/// password is checked as a real one (the sandbox's is [`SANDBOX_PAYMENT_PASSWORD`]) and 5
/// wrong in a row freeze the practice wallet's payments, as they would a real wallet's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PracticePaymentRequest {
    /// Whose practice wallet: the core's customer id, or a console's reference for a customer
    /// it has not sent yet (letters, digits, `-`, `:`).
    #[schema(pattern = r"^[A-Za-z0-9:-]{1,64}$")]
    pub holder: String,
    /// Decimal string in CNY, more than 0, at most two places.
    #[schema(pattern = r"^(?=[0-9.]*[1-9])[0-9]{1,12}(?:\.[0-9]{1,2})?$")]
    pub amount: String,
    /// The payee as typed or scanned (the text of a payment code).
    #[schema(
        pattern = r"^\s*[^\s\x00-\x1F\x7F-\x9F](?:[^\x00-\x1F\x7F-\x9F]{0,62}[^\s\x00-\x1F\x7F-\x9F])?\s*$"
    )]
    pub counterparty: String,
    #[schema(min_length = 1, max_length = 32)]
    pub payment_password: String,
}

/// A practice payment (1.11.0): what `POST /v1/practice-payments` made and its reversal
/// undoes. Always `practice: true`: no real money moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PracticePayment {
    pub id: String,
    pub wallet_id: String,
    pub holder: String,
    pub practice: bool,
    #[schema(pattern = r"^[0-9]{1,12}\.[0-9]{2}$")]
    pub amount: String,
    pub counterparty: String,
    #[schema(format = DateTime)]
    pub at: String,
    /// The practice wallet's play-money balance after this payment (or its reversal).
    #[schema(pattern = r"^[0-9]{1,12}\.[0-9]{2}$")]
    pub practice_balance: String,
    /// When it was reversed; absent while it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub reversed_at: Option<String>,
}
