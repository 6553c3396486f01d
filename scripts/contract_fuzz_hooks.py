"""Schemathesis hooks for scripts/contract-fuzz.sh (loaded through SCHEMATHESIS_HOOKS).

One check replaces Schemathesis's own `positive_data_acceptance` ("a request the schema calls
valid must not be refused"), identical except for the refusals listed here, each a rule the
contract documents that no JSON Schema can state:

* 422 `idempotency-key-reused`. Schemathesis draws each case's Idempotency-Key from the header's
  schema independently of the body, so it sends one key (often "!") with many bodies. A key names
  one operation; the same key with another request is refused so that a retry can never apply
  someone else's write. That is the rule working, not a disagreement.
* Refusals by a business rule, each with its own problem type (tier rules, one-time codes,
  limits, balances, a dispute's or complaint's state): they depend on stored data (the
  customer's age, the wallet's cards, the code sent) that a request's shape cannot show.
* `validation-failed` for the cross-field and data-dependent checks named in VALIDATION_RULES.

Any other refusal of a schema-valid request fails the run: a `validation-failed`,
`invalid-body` or `invalid-query` outside that list is a constraint the sandbox enforces and
the document does not state.
"""

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

BASE = "https://walletdesk.invalid/problems/"

# Problem types of business rules (crates/corebank/src/v1.rs, problem_types).
BUSINESS_RULES = {
    BASE + slug
    for slug in (
        "idempotency-key-reused",
        "tier-age-restricted",
        "tier-needs-in-person",
        "tier-needs-bank-card",
        "resident-id-expired",
        "balance-over-tier-cap",
        "unknown-operator-bank",
        "otp-expired",
        "otp-wrong-code",
        "otp-attempts-exhausted",
        "otp-already-used",
        "guardian-consent-required",
        "card-number-invalid",
        "wallet-frozen",
        "payments-frozen",
        "payment-password-wrong",
        "limit-one-payment",
        "limit-daily",
        "limit-yearly",
        "limit-balance-cap",
        "insufficient-funds",
        "dispute-decided",
        "nothing-to-reverse",
        "chargeback-window-closed",
        "not-eligible",  # a campaign's dates, booths and new-customers rule against stored data
        "invalid-link",  # a QR code's link: only one the core signed passes
        "practice-password-wrong",  # the practice wallet's password (1.11.0), like a real one
    )
}

# `validation-failed` refusals that are not about the request's form, by the start of their
# detail: each needs another field or stored data to decide.
VALIDATION_RULES = (
    "residentId: ",  # area code, birth date and check character of a well-formed number
    "receivedOn: not in the future",  # depends on today's date
    "thirdParty: ",  # required exactly when the scope is third-party sharing
    "guardianName: ",  # required when the customer (stored) is under 14
    "transactionId: ",  # only a stored payment out of a wallet can be disputed
    "customerId screens",  # a customer reference, or a name and ID, not both
    "name and residentId",  # screening without a customer: both or neither
    "status: ",  # a complaint's move from its stored status
    "a decided complaint",  # deciding needs decision and rootCause together
    "paymentPassword",  # required to pay out, not to top up
    "the rates add up to",  # the four fault rates together at most 1000 per mille
    "version: ",  # a flag names a version of the article that was published
    "endsOn: on or after startsOn",  # a campaign's two dates together
    "campaign: the core runs no campaign",  # a claim names a stored campaign
    "amount: campaign ",  # a cashback claim pays exactly the stored campaign's amount
    "booth: only with the campaign",  # an attribution's booth needs its campaign beside it
    "campaign: no campaign ",  # a QR code's link names a stored campaign
    'booth: "',  # ... and one of that campaign's booths
    "link: booth ",  # a signed link whose booth has since left the campaign
    # An incentive carries exactly the field its kind names (described, not in the schema).
    *(
        f"incentive.{field}: {rule}"
        for field in ("amount", "points", "coupon", "service")
        for rule in ("required for a", "only for a")
    ),
)


# `invalid-query` (400) refusals of a query's fields taken together, which a schema's
# per-parameter constraints cannot state.
QUERY_RULES = (
    "to: not before from",  # a report's period: its two dates in order
    "from..to: at most ",  # a report's period: its length
)


def _allowed(response, case):
    if response.status_code == 400:
        try:
            body = response.json()
        except ValueError:
            return False
        return (
            isinstance(body, dict)
            and body.get("type") == BASE + "invalid-query"
            and (body.get("detail") or "").startswith(QUERY_RULES)
        )
    if response.status_code != 422:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    kind = body.get("type")
    if kind in BUSINESS_RULES:
        return True
    detail = body.get("detail") or ""
    return kind == BASE + "validation-failed" and detail.startswith(VALIDATION_RULES)


@schemathesis.check
def positive_data_acceptance_but_documented_rules(ctx, response, case):
    if _allowed(response, case):
        return None
    return positive_data_acceptance(ctx, response, case)
