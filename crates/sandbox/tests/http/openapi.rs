//! Conformance: every operation in the published v1 OpenAPI document answers on the real
//! sandbox, and only with statuses (and content types) the document lists for it. Each
//! operation is also asked once with a wrong token and once with none, which reaches its 401.

use super::small_sandbox as sandbox;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use walletdesk_corebank::{openapi, v1};

/// One request sent to an operation. `key` is the Idempotency-Key, if any.
struct Probe {
    path: &'static str,
    key: Option<&'static str>,
    body: Option<Value>,
    /// Run on the store before the request, to reach a state no request can make quickly.
    setup: Option<&'static str>,
    /// Plant the key as a first request still running would leave it (reaches the 409).
    in_flight: bool,
}

fn probe(path: &'static str) -> Probe {
    Probe {
        path,
        key: None,
        body: None,
        setup: None,
        in_flight: false,
    }
}

fn write(path: &'static str, key: Option<&'static str>, body: Value) -> Probe {
    Probe {
        path,
        key,
        body: Some(body),
        setup: None,
        in_flight: false,
    }
}

/// The same request as `write`, sent while its key is still held by a first request.
fn in_flight(path: &'static str, key: &'static str, body: Value) -> Probe {
    Probe {
        in_flight: true,
        ..write(path, Some(key), body)
    }
}

fn after_sql(setup: &'static str, probe: Probe) -> Probe {
    Probe {
        setup: Some(setup),
        ..probe
    }
}

/// Payments out (and one in) on the lowest seeded wallet for the dispute probes; 900004 is too
/// old for a chargeback.
const PLANT_PAYMENTS: &str = "INSERT INTO transactions \
    (id, wallet_id, at, amount_fen, direction, counterparty, memo) VALUES \
    (900001, '0099000000000010', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 100, 'out', 'x', 'x'), \
    (900002, '0099000000000010', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 100, 'in', 'x', 'x'), \
    (900003, '0099000000000010', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 100, 'out', 'x', 'x'), \
    (900004, '0099000000000010', '2020-01-01T00:00:00Z', 100, 'out', 'x', 'x'), \
    (900005, '0099000000000010', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 100, 'out', 'x', 'x')";

fn dispute(transaction: u32) -> Value {
    json!({"transactionId": transaction.to_string(), "reason": "unauthorised"})
}

fn decision(side: &str) -> Value {
    json!({"inFavourOf": side, "findings": "查明"})
}

fn evidence(kind: &str) -> Value {
    json!({"kind": kind, "description": "小票"})
}

/// The first wallet opened through the contract (prefix 0098, serial 1, Luhn digit).
const OPENED: &str = "/v1/wallets/0098000000000011";
const CLOSE_SECOND: &str = "UPDATE wallets SET status = 'closed' WHERE id = (SELECT MIN(id) \
    FROM wallets WHERE id LIKE '0099%')";

const OPENED_CARDS: &str = "/v1/wallets/0098000000000011/cards";
const OPENED_UNLINK: &str = "/v1/wallets/0098000000000011/cards/1/unlink";
const OPENED_TIER: &str = "/v1/wallets/0098000000000011/tier";
const OPENED_FREEZE: &str = "/v1/wallets/0098000000000011/freeze";
const OPENED_UNFREEZE: &str = "/v1/wallets/0098000000000011/unfreeze";
/// The lowest seeded wallet, closed by CLOSE_SECOND (ids are 0099 + serial + Luhn).
const SEEDED_TIER: &str = "/v1/wallets/0099000000000010/tier";
const SEEDED_FREEZE: &str = "/v1/wallets/0099000000000010/freeze";

/// Requests that between them reach each documented status of each operation, in order (the
/// duplicate comes after the create it duplicates).
/// The test console's audit head at record 1: the sandbox keys heads by the token's SHA-256.
fn plant_anchor() -> &'static str {
    use sha2::Digest;
    let console = hex::encode(sha2::Sha256::digest(super::TOKEN.as_bytes()));
    let sql = format!(
        "INSERT INTO audit_anchors (console, sequence, head_hash, anchored_at) \
         VALUES ('{console}', 1, '{}', '2026-01-01T00:00:00Z')",
        "a".repeat(64)
    );
    // A test's few probes: leaking the text is simpler than giving `Probe` an owned setup.
    Box::leak(sql.into_boxed_str())
}

/// A self sign-up through the link the core signs for qr-probe, B1 and T001 with the planted
/// all-zero key (HMAC-SHA256, the first 16 bytes).
fn self_signup() -> Value {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&[0u8; 32]).expect("key");
    mac.update(b"qr-probe\nB1\nT001");
    let sig = hex::encode(&mac.finalize().into_bytes()[..16]);
    json!({"link": format!("{}?c=qr-probe&b=B1&s=T001&sig={sig}",
            walletdesk_sandbox::links::LINK_BASE),
        "mobile": "13700137012", "name": "扫码客"})
}

fn article() -> Value {
    json!({"title": "开立钱包要多少钱", "body": "开立四类钱包免费。", "category": "fees",
        "tags": ["费用", "四类"], "language": "zh-CN", "authorId": "ho-a"})
}

fn flag(version: u32) -> Value {
    json!({"staffId": "teller1", "version": version, "reason": "out-of-date",
        "note": "限额已调整"})
}

fn probes(operation: &str) -> Vec<Probe> {
    let customer =
        json!({"name": "王小明", "residentId": "11010519491231002X", "mobile": "13800138000"});
    let same_mobile =
        json!({"name": "李四", "residentId": "440524198001010013", "mobile": "13800138000"});
    let bad_id =
        json!({"name": "李四", "residentId": "110105194912310021", "mobile": "13900139000"});
    let complaint = json!({"caseNumber": "C-1", "customerId": "1", "category": "wallet",
        "channel": "counter", "summary": "s", "receivedOn": "2025-03-01"});
    let claim = json!({"campaign": "spring", "booth": "B1", "staffId": "T001", "customerId": "1",
        "amount": "8.88"});
    let spring = json!({"code": "spring", "name": "春季", "startsOn": "2000-01-01",
        "endsOn": "2099-12-31", "booths": ["B1"],
        "incentive": {"kind": "cashback", "amount": "8.88"}});
    // The mobile of the customer the "/v1/customers" probes created: found, not created, so no
    // wallet is opened before the wallet probes count on theirs being the first.
    let signup = json!({"externalId": "1a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "mobile": "13800138000", "consents": [
            {"scope": "general-processing", "version": "2026-01"},
            {"scope": "sensitive-financial", "version": "2026-01"}],
        "campaign": "spring", "booth": "B1", "staffId": "T001", "channel": "booth"});
    let booth = json!({"code": "B1", "name": "展位", "mall": "万达广场", "address": "建国路 93 号",
        "branch": "BJ-001", "roster": ["T001"]});
    match operation {
        "GET /v1/health" => vec![probe("/v1/health")],
        "POST /v1/customers" => vec![
            write("/v1/customers", Some("conf-1"), customer.clone()),
            write("/v1/customers", Some("conf-1"), customer.clone()),
            write("/v1/customers", None, customer.clone()),
            write("/v1/customers", Some("conf-2"), json!({"name": 1})),
            write("/v1/customers", Some("conf-3"), same_mobile),
            write("/v1/customers", Some("conf-4"), bad_id),
            write(
                "/v1/customers",
                Some("conf-1"),
                json!({"name": "x", "residentId": "y", "mobile": "z"}),
            ),
        ],
        "GET /v1/customers/{id}" => vec![probe("/v1/customers/1"), probe("/v1/customers/999999")],
        "GET /v1/customers" => vec![
            probe("/v1/customers?name=王&limit=2"),
            probe("/v1/customers?limit=0"),
        ],
        // The batch probe (its path sorts first) created the customer with 13700137000.
        "PATCH /v1/customers/{id}" => vec![
            write("/v1/customers/2", Some("conf-p1"), json!({"name": "改名"})),
            write("/v1/customers/2", None, json!({"name": "改名"})),
            write(
                "/v1/customers/999999",
                Some("conf-p2"),
                json!({"name": "改名"}),
            ),
            write(
                "/v1/customers/2",
                Some("conf-p3"),
                json!({"mobile": "13700137000"}),
            ),
            write("/v1/customers/2", Some("conf-p4"), json!({"mobile": "1"})),
        ],
        "POST /v1/customers/{id}/resident-id/reveal" => vec![
            write(
                "/v1/customers/2/resident-id/reveal",
                Some("conf-r1"),
                json!({"reason": "核对证件", "staffId": "teller1"}),
            ),
            write(
                "/v1/customers/2/resident-id/reveal",
                None,
                json!({"reason": "核对证件", "staffId": "teller1"}),
            ),
            write(
                "/v1/customers/999999/resident-id/reveal",
                Some("conf-r2"),
                json!({"reason": "核对证件", "staffId": "teller1"}),
            ),
            in_flight(
                "/v1/customers/2/resident-id/reveal",
                "conf-r3",
                json!({"reason": "再核对", "staffId": "teller1"}),
            ),
            write(
                "/v1/customers/2/resident-id/reveal",
                Some("conf-r4"),
                json!({"reason": "", "staffId": "teller1"}),
            ),
        ],
        "GET /v1/changes" => vec![
            probe("/v1/changes?limit=2"),
            probe("/v1/changes?after=3&limit=1000"),
            probe("/v1/changes?after=not-a-cursor"),
        ],
        "POST /v1/batch" => vec![
            write(
                "/v1/batch",
                None,
                json!({"items": [{"idempotencyKey": "conf-b1", "method": "POST",
                    "path": "/v1/customers", "body": {"name": "赵六",
                    "residentId": "440524198001010013", "mobile": "13700137000"}}]}),
            ),
            write(
                "/v1/batch",
                None,
                json!({"items": [{"idempotencyKey": "conf-b2", "method": "GET",
                    "path": "/v1/health", "body": {}}]}),
            ),
            write("/v1/batch", None, json!({"items": "none"})),
        ],
        "GET /v1/audit-anchor" => vec![
            probe("/v1/audit-anchor"),
            after_sql(plant_anchor(), probe("/v1/audit-anchor")),
        ],
        "PUT /v1/audit-anchor" => {
            let head = |sequence: i64, fill: &str| json!({"sequence": sequence, "headHash": fill.repeat(64)});
            vec![
                write("/v1/audit-anchor", None, head(1, "a")),
                write("/v1/audit-anchor", None, json!("not a head")),
                write("/v1/audit-anchor", None, head(1, "b")),
                write("/v1/audit-anchor", None, head(0, "a")),
            ]
        }
        "GET /v1/admin/faults" => vec![probe("/v1/admin/faults")],
        "POST /v1/admin/faults" => vec![
            write("/v1/admin/faults", None, json!({"latencyMs": 0})),
            write("/v1/admin/faults", None, json!({"errorRate": "lots"})),
            write("/v1/admin/faults", None, json!({"errorRate": 2000})),
        ],
        "POST /v1/wallets" => vec![
            write(
                "/v1/wallets",
                Some("conf-w1"),
                json!({"customerId": "2", "tier": 4}),
            ),
            write("/v1/wallets", None, json!({"customerId": "2", "tier": 4})),
            write(
                "/v1/wallets",
                Some("conf-w2"),
                json!({"customerId": "99999", "tier": 4}),
            ),
            write(
                "/v1/wallets",
                Some("conf-w3"),
                json!({"customerId": "2", "tier": 1}),
            ),
            in_flight(
                "/v1/wallets",
                "conf-w4",
                json!({"customerId": "2", "tier": 4}),
            ),
        ],
        "GET /v1/wallets/{id}" => vec![probe(OPENED), probe("/v1/wallets/0000000000000000")],
        "POST /v1/wallets/{id}/tier" => vec![
            write(OPENED_TIER, Some("conf-t1"), json!({"tier": 3})),
            write(OPENED_TIER, None, json!({"tier": 3})),
            write("/v1/wallets/1/tier", Some("conf-t2"), json!({"tier": 3})),
            write(OPENED_TIER, Some("conf-t3"), json!({"tier": 1})),
            after_sql(
                CLOSE_SECOND,
                write(SEEDED_TIER, Some("conf-t4"), json!({"tier": 4})),
            ),
        ],
        "POST /v1/wallets/{id}/freeze" => vec![
            write(OPENED_FREEZE, Some("conf-f1"), json!({"reason": "测试"})),
            write(OPENED_FREEZE, None, json!({"reason": "测试"})),
            write(
                "/v1/wallets/1/freeze",
                Some("conf-f2"),
                json!({"reason": "测试"}),
            ),
            write(OPENED_FREEZE, Some("conf-f3"), json!({"reason": ""})),
            after_sql(
                CLOSE_SECOND,
                write(SEEDED_FREEZE, Some("conf-f4"), json!({"reason": "测试"})),
            ),
        ],
        "POST /v1/wallets/{id}/unfreeze" => vec![
            write(OPENED_UNFREEZE, Some("conf-u1"), json!({"reason": "测试"})),
            write(OPENED_UNFREEZE, None, json!({"reason": "测试"})),
            write(
                "/v1/wallets/1/unfreeze",
                Some("conf-u2"),
                json!({"reason": "测试"}),
            ),
            write(OPENED_UNFREEZE, Some("conf-u3"), json!({"reason": ""})),
            in_flight(OPENED_UNFREEZE, "conf-u4", json!({"reason": "再试"})),
        ],
        "POST /v1/otp" => vec![
            write("/v1/otp", Some("conf-o1"), json!({"mobile": "13800138000"})),
            write("/v1/otp", None, json!({"mobile": "13800138000"})),
            write("/v1/otp", Some("conf-o2"), json!({"mobile": "1"})),
            in_flight("/v1/otp", "conf-o3", json!({"mobile": "13800138000"})),
        ],
        // Challenge 1 was sent by the probe above ("/v1/otp" sorts first).
        "POST /v1/otp/verify" => vec![
            write(
                "/v1/otp/verify",
                Some("conf-v0"),
                json!({"challengeId": "1", "code": "x"}),
            ),
            after_sql(
                "UPDATE otp_challenges SET code_sha256 = \
                 '8d969eef6ecad3c29a3a629280e686cf0c3f5d5a86aff3ca12020c923adc6c92' WHERE id = 1",
                write(
                    "/v1/otp/verify",
                    Some("conf-v1"),
                    json!({"challengeId": "1", "code": "123456"}),
                ),
            ),
            write(
                "/v1/otp/verify",
                None,
                json!({"challengeId": "1", "code": "x"}),
            ),
            write(
                "/v1/otp/verify",
                Some("conf-v2"),
                json!({"challengeId": "99", "code": "1"}),
            ),
            in_flight(
                "/v1/otp/verify",
                "conf-v3",
                json!({"challengeId": "1", "code": "1"}),
            ),
        ],
        "POST /v1/identity-checks" => vec![
            write(
                "/v1/identity-checks",
                Some("conf-i1"),
                json!({"name": "王小明", "residentId": "11010519491231002X"}),
            ),
            write(
                "/v1/identity-checks",
                None,
                json!({"name": "x", "residentId": "y"}),
            ),
            write(
                "/v1/identity-checks",
                Some("conf-i2"),
                json!({"name": "x", "residentId": "y"}),
            ),
            in_flight(
                "/v1/identity-checks",
                "conf-i3",
                json!({"name": "x", "residentId": "z"}),
            ),
        ],
        "POST /v1/screenings" => vec![
            write(
                "/v1/screenings",
                Some("conf-s1"),
                json!({"name": "WATCHLIST TEST"}),
            ),
            write("/v1/screenings", None, json!({"name": "x"})),
            write(
                "/v1/screenings",
                Some("conf-s2"),
                json!({"customerId": "99999"}),
            ),
            write("/v1/screenings", Some("conf-s3"), json!({})),
            in_flight("/v1/screenings", "conf-s4", json!({"name": "y"})),
        ],
        // Runs before any grant (its path sorts first): a consent is planted.
        "POST /v1/consents/{id}/withdraw" => vec![
            after_sql(
                "INSERT INTO consents (id, customer_id, scope, version, status, granted_at) \
                 VALUES (100, 1, 'general-processing', 'v1', 'granted', '2025-01-01T00:00:00Z')",
                write("/v1/consents/100/withdraw", Some("conf-cw1"), json!({})),
            ),
            write("/v1/consents/100/withdraw", None, json!({})),
            write("/v1/consents/999/withdraw", Some("conf-cw2"), json!({})),
            write(
                "/v1/consents/100/withdraw",
                Some("conf-cw1"),
                json!({"reason": "x"}),
            ),
            in_flight("/v1/consents/100/withdraw", "conf-cw3", json!({})),
        ],
        // Customer 6 is the adult the batch probe created.
        "POST /v1/customers/{id}/consents" => vec![
            write(
                "/v1/customers/6/consents",
                Some("conf-c1"),
                json!({"scope": "general-processing", "version": "2025-03"}),
            ),
            write("/v1/customers/6/consents", None, json!({})),
            write(
                "/v1/customers/999/consents",
                Some("conf-c2"),
                json!({"scope": "general-processing", "version": "2025-03"}),
            ),
            write(
                "/v1/customers/6/consents",
                Some("conf-c3"),
                json!({"scope": "everything", "version": "2025-03"}),
            ),
            in_flight(
                "/v1/customers/6/consents",
                "conf-c4",
                json!({"scope": "general-processing", "version": "2025-04"}),
            ),
        ],
        "GET /v1/customers/{id}/consents" => vec![
            probe("/v1/customers/6/consents"),
            probe("/v1/customers/999/consents"),
        ],
        "POST /v1/wallets/{id}/cards" => vec![
            write(
                OPENED_CARDS,
                Some("conf-k1"),
                json!({"number": "6222021234561236"}),
            ),
            write(OPENED_CARDS, None, json!({"number": "6222021234561236"})),
            write(
                "/v1/wallets/1/cards",
                Some("conf-k2"),
                json!({"number": "6222021234561236"}),
            ),
            write(
                OPENED_CARDS,
                Some("conf-k3"),
                json!({"number": "6222021234561236"}),
            ),
            write(
                OPENED_CARDS,
                Some("conf-k4"),
                json!({"number": "6222021234561237"}),
            ),
        ],
        "GET /v1/wallets/{id}/cards" => vec![probe(OPENED_CARDS), probe("/v1/wallets/1/cards")],
        "POST /v1/wallets/{id}/cards/{cardId}/unlink" => vec![
            write(OPENED_UNLINK, Some("conf-l1"), json!({})),
            write(OPENED_UNLINK, None, json!({})),
            write(
                "/v1/wallets/0098000000000011/cards/99/unlink",
                Some("conf-l2"),
                json!({}),
            ),
            write(OPENED_UNLINK, Some("conf-l1"), json!({"reason": "x"})),
            in_flight(OPENED_UNLINK, "conf-l3", json!({})),
        ],
        // "/v1/payments" sorts before "/v1/wallets": the probes use the lowest seeded wallet,
        // topped up first so the payment out has the money.
        "POST /v1/payments" => vec![
            after_sql(
                "UPDATE wallets SET status = 'active', tier = 4, balance_fen = 0 WHERE id = '0099000000000010'",
                write(
                    "/v1/payments",
                    Some("conf-pay1"),
                    json!({"walletId": "0099000000000010",
                    "amount": "0.01", "direction": "in", "counterparty": "测试"}),
                ),
            ),
            write("/v1/payments", None, json!({})),
            write(
                "/v1/payments",
                Some("conf-pay2"),
                json!({"walletId": "0098999999999999",
                "amount": "1.00", "direction": "out", "counterparty": "测试",
                "paymentPassword": "147258"}),
            ),
            after_sql(
                "UPDATE wallets SET status = 'frozen' WHERE id = '0099000000000028'",
                write(
                    "/v1/payments",
                    Some("conf-pay3"),
                    json!({"walletId": "0099000000000028",
                    "amount": "1.00", "direction": "out", "counterparty": "测试",
                    "paymentPassword": "147258"}),
                ),
            ),
            write(
                "/v1/payments",
                Some("conf-pay4"),
                json!({"walletId": "0099000000000010",
                "amount": "0", "direction": "out", "counterparty": "测试"}),
            ),
        ],
        "POST /v1/practice-payments" => {
            let pay = |password: &str| {
                json!({"holder": "conf-holder", "amount": "1.00", "counterparty": "张三",
                    "paymentPassword": password})
            };
            vec![
                write(
                    "/v1/practice-payments",
                    Some("conf-pp1"),
                    pay(v1::SANDBOX_PAYMENT_PASSWORD),
                ),
                write("/v1/practice-payments", None, json!({})),
                write("/v1/practice-payments", Some("conf-pp2"), pay("000000")),
                in_flight("/v1/practice-payments", "conf-pp3", pay("000000")),
            ]
        }
        // The practice payment conf-pp1 made is the first: id 1.
        "POST /v1/practice-payments/{id}/reversal" => vec![
            write(
                "/v1/practice-payments/1/reversal",
                Some("conf-ppr1"),
                json!({}),
            ),
            write("/v1/practice-payments/1/reversal", None, json!({})),
            write(
                "/v1/practice-payments/999/reversal",
                Some("conf-ppr2"),
                json!({}),
            ),
            write(
                "/v1/practice-payments/1/reversal",
                Some("conf-ppr3"),
                json!({}),
            ),
            write(
                "/v1/practice-payments/1/reversal",
                Some("conf-pp1"),
                json!({}),
            ),
        ],
        "GET /v1/transactions/{id}" => {
            vec![probe("/v1/transactions/1"), probe("/v1/transactions/0")]
        }
        "GET /v1/wallets/{id}/transactions" => vec![
            probe("/v1/wallets/0099000000000010/transactions?limit=2"),
            probe("/v1/wallets/0099000000000010/transactions?after=nope"),
            probe("/v1/wallets/0098999999999999/transactions"),
        ],
        "POST /v1/complaints" => vec![
            write("/v1/complaints", Some("conf-q1"), complaint.clone()),
            write("/v1/complaints", None, json!({})),
            write(
                "/v1/complaints",
                Some("conf-q2"),
                json!({"caseNumber": "C-2", "customerId": "999999",
                "category": "c", "channel": "c", "summary": "s", "receivedOn": "2025-03-01"}),
            ),
            write("/v1/complaints", Some("conf-q3"), complaint.clone()),
            write(
                "/v1/complaints",
                Some("conf-q4"),
                json!({"caseNumber": "C-3", "customerId": "1",
                "category": "c", "channel": "c", "summary": "s", "receivedOn": "someday"}),
            ),
        ],
        "GET /v1/complaints/{id}" => vec![probe("/v1/complaints/1"), probe("/v1/complaints/9")],
        "POST /v1/complaints/{id}/status" => vec![
            write(
                "/v1/complaints/1/status",
                Some("conf-qs1"),
                json!({"status": "withdrawn"}),
            ),
            write("/v1/complaints/1/status", None, json!({})),
            write(
                "/v1/complaints/9/status",
                Some("conf-qs2"),
                json!({"status": "closed"}),
            ),
            write(
                "/v1/complaints/1/status",
                Some("conf-qs3"),
                json!({"status": "closed"}),
            ),
            write(
                "/v1/complaints/1/status",
                Some("conf-qs1"),
                json!({"status": "decided"}),
            ),
        ],
        "POST /v1/incentives/claims" => vec![
            write("/v1/incentives/claims", Some("conf-ic1"), claim.clone()),
            write("/v1/incentives/claims", None, json!({})),
            write(
                "/v1/incentives/claims",
                Some("conf-ic2"),
                json!({"campaign": "c", "booth": "b",
                "staffId": "s", "customerId": "999999", "amount": "8.88"}),
            ),
            write("/v1/incentives/claims", Some("conf-ic3"), claim.clone()),
            write(
                "/v1/incentives/claims",
                Some("conf-ic4"),
                json!({"campaign": "c", "booth": "b",
                "staffId": "s", "customerId": "1", "amount": "-1"}),
            ),
        ],
        // "/v1/disputes..." sorts before the other resources: payments out are planted.
        "POST /v1/disputes" => vec![
            after_sql(
                PLANT_PAYMENTS,
                write("/v1/disputes", Some("conf-d1"), dispute(900_001)),
            ),
            write("/v1/disputes", None, json!({})),
            write("/v1/disputes", Some("conf-d2"), dispute(999)),
            write("/v1/disputes", Some("conf-d3"), dispute(900_001)),
            write("/v1/disputes", Some("conf-d4"), dispute(900_002)),
            write("/v1/disputes", Some("conf-d5"), dispute(900_003)),
            write("/v1/disputes", Some("conf-d6"), dispute(900_004)),
            write("/v1/disputes", Some("conf-d7"), dispute(900_005)),
        ],
        "GET /v1/disputes/{id}" => vec![probe("/v1/disputes/1"), probe("/v1/disputes/99")],
        "POST /v1/disputes/{id}/chargeback" => vec![
            write(
                "/v1/disputes/1/chargeback",
                Some("conf-cb1"),
                json!({"reasonCode": "4837"}),
            ),
            write("/v1/disputes/1/chargeback", None, json!({})),
            write(
                "/v1/disputes/99/chargeback",
                Some("conf-cb2"),
                json!({"reasonCode": "4837"}),
            ),
            write(
                "/v1/disputes/1/chargeback",
                Some("conf-cb3"),
                json!({"reasonCode": "4837"}),
            ),
            write(
                "/v1/disputes/3/chargeback",
                Some("conf-cb4"),
                json!({"reasonCode": "4837"}),
            ),
        ],
        "POST /v1/disputes/{id}/decision" => vec![
            write(
                "/v1/disputes/2/decision",
                Some("conf-dd1"),
                decision("bank"),
            ),
            write("/v1/disputes/2/decision", None, json!({})),
            write(
                "/v1/disputes/99/decision",
                Some("conf-dd2"),
                decision("bank"),
            ),
            write(
                "/v1/disputes/2/decision",
                Some("conf-dd3"),
                decision("customer"),
            ),
            write(
                "/v1/disputes/3/decision",
                Some("conf-dd4"),
                decision("nobody"),
            ),
        ],
        "POST /v1/disputes/{id}/evidence" => vec![
            write(
                "/v1/disputes/1/evidence",
                Some("conf-de1"),
                evidence("receipt"),
            ),
            write("/v1/disputes/1/evidence", None, json!({})),
            write(
                "/v1/disputes/99/evidence",
                Some("conf-de2"),
                evidence("receipt"),
            ),
            write(
                "/v1/disputes/2/evidence",
                Some("conf-de3"),
                evidence("receipt"),
            ),
            write("/v1/disputes/1/evidence", Some("conf-de4"), evidence(" ")),
        ],
        "POST /v1/disputes/{id}/provisional-credit" => vec![
            write(
                "/v1/disputes/4/provisional-credit",
                Some("conf-pc1"),
                json!({}),
            ),
            write("/v1/disputes/4/provisional-credit", None, json!({})),
            write(
                "/v1/disputes/99/provisional-credit",
                Some("conf-pc2"),
                json!({}),
            ),
            write(
                "/v1/disputes/4/provisional-credit",
                Some("conf-pc3"),
                json!({}),
            ),
            // A key used on another path: reused.
            write(
                "/v1/disputes/4/provisional-credit",
                Some("conf-d1"),
                json!({}),
            ),
        ],
        "POST /v1/disputes/{id}/reverse" => vec![
            after_sql(
                "UPDATE disputes SET status = 'decided-bank', findings = 'x' WHERE id = 4",
                write("/v1/disputes/4/reverse", Some("conf-rv1"), json!({})),
            ),
            write("/v1/disputes/4/reverse", None, json!({})),
            write("/v1/disputes/99/reverse", Some("conf-rv2"), json!({})),
            write("/v1/disputes/1/reverse", Some("conf-rv3"), json!({})),
            write("/v1/disputes/4/reverse", Some("conf-d1"), json!({})),
        ],
        "GET /v1/customers/{id}/wallets" => vec![
            probe("/v1/customers/1/wallets"),
            probe("/v1/customers/999999/wallets"),
        ],
        "GET /v1/limit-schemes" => vec![probe("/v1/limit-schemes")],
        "GET /v1/fees" => vec![probe("/v1/fees")],
        "GET /v1/reports" => vec![
            probe(
                "/v1/reports?metric=activation&dimension=campaign&from=2026-01-01&to=2026-01-31&activationDays=7",
            ),
            probe("/v1/reports?metric=sign-ups&from=2026-01-01&to=2026-01-31&branch=BJ-001"),
            probe("/v1/reports?metric=satisfaction&from=2026-01-01&to=2026-01-31"),
            probe("/v1/reports?metric=sign-ups&from=2026-02-01&to=2026-01-31"),
            probe("/v1/reports?metric=sign-ups&from=2025-01-01&to=2026-12-31"),
        ],
        // "/v1/campaigns" sorts before "/v1/incentives/claims": the claims' campaign is
        // saved here.
        "POST /v1/campaigns" => vec![
            write("/v1/campaigns", Some("conf-ca1"), spring.clone()),
            write("/v1/campaigns", None, json!({})),
            in_flight("/v1/campaigns", "conf-ca2", spring.clone()),
            write(
                "/v1/campaigns",
                Some("conf-ca3"),
                json!({"code": "x", "name": "x", "startsOn": "2026-02-01",
                    "endsOn": "2026-01-01", "incentive": {"kind": "points", "points": 1}}),
            ),
        ],
        "POST /v1/customers/{id}/attribution" => {
            let change = json!({"campaign": "spring", "booth": "B1", "staffId": "T002",
                "channel": "booth", "reason": "signed up at the booth", "changedBy": "S001"});
            vec![
                write(
                    "/v1/customers/1/attribution",
                    Some("conf-at1"),
                    change.clone(),
                ),
                write("/v1/customers/1/attribution", None, json!({})),
                write(
                    "/v1/customers/999999/attribution",
                    Some("conf-at2"),
                    change.clone(),
                ),
                in_flight("/v1/customers/1/attribution", "conf-at3", change.clone()),
                write(
                    "/v1/customers/1/attribution",
                    Some("conf-at4"),
                    json!({"booth": "B1", "staffId": "T002", "channel": "booth",
                        "reason": "x", "changedBy": "S001"}),
                ),
            ]
        }
        // Sorts before the campaign probes: the campaign is planted, and the link signed with
        // a planted key, the way the core would sign it.
        "POST /v1/admin/self-signups" => vec![
            after_sql(
                "INSERT INTO link_keys (id, secret) VALUES (1, zeroblob(32))",
                write(
                    "/v1/admin/self-signups",
                    Some("conf-ss1"),
                    json!({"link": "https://evil.example/s?c=qr-probe&b=B1&s=T001&sig=00",
                        "mobile": "13700137011"}),
                ),
            ),
            after_sql(
                "INSERT INTO campaigns (code, name, starts_on, ends_on, branches, booths, \
                 incentive_kind, incentive_fen, new_customers_only, updated_at) VALUES \
                 ('qr-probe', '扫码', '2000-01-01', '2099-12-31', '[]', '[\"B1\"]', \
                 'cashback', 100, 0, '2026-01-01T00:00:00Z')",
                write("/v1/admin/self-signups", None, json!({})),
            ),
            // A seeded customer scans: found, not created, so no wallet is opened before the
            // wallet probes count on theirs being the first.
            after_sql(
                "UPDATE customers SET mobile = '13700137012' \
                 WHERE id = (SELECT MAX(id) FROM customers)",
                write("/v1/admin/self-signups", Some("conf-ss2"), self_signup()),
            ),
            in_flight("/v1/admin/self-signups", "conf-ss3", self_signup()),
        ],
        "POST /v1/sign-up-links" => vec![
            write(
                "/v1/sign-up-links",
                Some("conf-sl1"),
                json!({"campaign": "qr-probe", "booth": "B1", "staffId": "T001"}),
            ),
            write("/v1/sign-up-links", None, json!({})),
            in_flight(
                "/v1/sign-up-links",
                "conf-sl2",
                json!({"campaign": "qr-probe", "booth": "B1", "staffId": "T001"}),
            ),
            write(
                "/v1/sign-up-links",
                Some("conf-sl3"),
                json!({"campaign": "qr-probe", "booth": "B9", "staffId": "T001"}),
            ),
        ],
        "POST /v1/signups" => vec![
            write("/v1/signups", Some("conf-su1"), signup.clone()),
            write("/v1/signups", None, json!({})),
            in_flight("/v1/signups", "conf-su2", signup.clone()),
            write(
                "/v1/signups",
                Some("conf-su3"),
                json!({"externalId": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "mobile": "13700137001", "consents": [], "campaign": "spring",
                    "booth": "B1", "staffId": "T001", "channel": "booth"}),
            ),
        ],
        "POST /v1/booths" => vec![
            write("/v1/booths", Some("conf-bo1"), booth.clone()),
            write("/v1/booths", None, json!({})),
            in_flight("/v1/booths", "conf-bo2", booth.clone()),
            write(
                "/v1/booths",
                Some("conf-bo3"),
                json!({"code": "-", "name": "x", "mall": "x", "address": "x", "branch": "x"}),
            ),
        ],
        // Paths sort, so these run first: the GET plants a published article for the flags.
        "GET /v1/articles/{id}" => vec![
            after_sql(
                "INSERT INTO articles (id, created_at, updated_at) \
                 VALUES ('kb-plant', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                probe("/v1/articles/kb-plant"),
            ),
            after_sql(
                "INSERT INTO article_versions (article_id, version, title, body, category, \
                 tags, language, written_by, written_at, published_by, published_at) VALUES \
                 ('kb-plant', 1, '费用', '开立钱包免费', 'fees', '[\"费用\"]', 'zh-CN', 'ho-a', \
                 '2026-01-01T00:00:00Z', 'ho-b', '2026-01-01T00:00:00Z')",
                probe("/v1/articles/kb-plant"),
            ),
            probe("/v1/articles/kb-none"),
        ],
        "POST /v1/articles/{id}/draft" => vec![
            write("/v1/articles/kb-conf-1/draft", Some("conf-a1"), article()),
            write("/v1/articles/kb-conf-2/draft", Some("conf-a2"), article()),
            write("/v1/articles/kb-conf-1/draft", None, article()),
            write("/v1/articles/kb_bad/draft", Some("conf-a3"), article()),
            in_flight("/v1/articles/kb-conf-3/draft", "conf-a4", article()),
            write(
                "/v1/articles/kb-conf-1/draft",
                Some("conf-a5"),
                json!({"title": "t", "body": "b", "category": "gossip", "tags": [],
                    "language": "en", "authorId": "ho-a"}),
            ),
        ],
        "POST /v1/articles/{id}/flags" => vec![
            write("/v1/articles/kb-plant/flags", Some("conf-kf1"), flag(1)),
            write("/v1/articles/kb-plant/flags", None, flag(1)),
            write("/v1/articles/kb-none/flags", Some("conf-kf2"), flag(1)),
            in_flight("/v1/articles/kb-plant/flags", "conf-kf3", flag(1)),
            write("/v1/articles/kb-plant/flags", Some("conf-kf4"), flag(9)),
        ],
        "POST /v1/articles/{id}/publish" => vec![
            write(
                "/v1/articles/kb-conf-1/publish",
                Some("conf-pu1"),
                json!({"staffId": "ho-b", "version": 1}),
            ),
            write(
                "/v1/articles/kb-conf-1/publish",
                None,
                json!({"staffId": "ho-b", "version": 1}),
            ),
            write(
                "/v1/articles/kb-none/publish",
                Some("conf-pu2"),
                json!({"staffId": "ho-b", "version": 1}),
            ),
            // Maker-checker: the author of kb-conf-2's draft cannot publish it.
            write(
                "/v1/articles/kb-conf-2/publish",
                Some("conf-pu3"),
                json!({"staffId": "ho-a", "version": 1}),
            ),
            in_flight(
                "/v1/articles/kb-conf-2/publish",
                "conf-pu4",
                json!({"staffId": "ho-b", "version": 1}),
            ),
            write(
                "/v1/articles/kb-conf-2/publish",
                Some("conf-pu5"),
                json!({"staffId": "ho-b", "version": 0}),
            ),
        ],
        other => panic!("no probe for {other}: add requests that exercise it"),
    }
}

#[tokio::test]
async fn every_documented_operation_answers_as_documented() {
    let doc: Value = serde_json::from_str(&openapi::v1_json()).expect("document");
    let sandbox = sandbox().await;
    let http = crate::http();
    let anonymous = reqwest::Client::new();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let name = format!("{} {path}", method.to_uppercase());
            let responses = operation["responses"].as_object().expect("responses");
            let documented: BTreeSet<&str> = responses.keys().map(String::as_str).collect();
            let mut seen = BTreeSet::new();
            for probe in probes(&name) {
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
                if let Some(sql) = probe.setup {
                    sqlx::query(sql)
                        .execute(sandbox.store().pool())
                        .await
                        .expect(sql);
                }
                if probe.in_flight {
                    let body = probe.body.clone().unwrap_or(Value::Null);
                    let fingerprint = walletdesk_sandbox::idempotency::fingerprint(
                        &axum::http::Method::from_bytes(method.as_str().as_bytes())
                            .expect("method"),
                        probe.path,
                        &body,
                    );
                    sqlx::query(
                        "INSERT INTO idempotency_keys (key, request_sha256, state, created_at, \
                         claimed_at) VALUES (?, ?, 'in_flight', \
                         strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), \
                         strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                    )
                    .bind(probe.key)
                    .bind(fingerprint)
                    .execute(sandbox.store().pool())
                    .await
                    .expect("plant an in-flight key");
                }
                let mut request = http.request(method, format!("{}{}", sandbox.url(), probe.path));
                if let Some(key) = probe.key {
                    request = request.header(v1::IDEMPOTENCY_KEY_HEADER, key);
                }
                if let Some(body) = &probe.body {
                    request = request.json(body);
                }
                let response = request.send().await.expect("request");
                let status = response.status().as_u16().to_string();
                assert!(
                    documented.contains(status.as_str()),
                    "{name} ({}) answered {status}, the document lists {documented:?}",
                    probe.path
                );
                let content_type = response
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                assert!(
                    responses[&status]["content"].get(&content_type).is_some(),
                    "{name} {status}: content type {content_type:?} is not documented"
                );
                seen.insert(status);
            }
            // The token check, with the operation's first request: a wrong token, then none.
            let first = probes(&name)
                .into_iter()
                .next()
                .expect("every operation has a probe");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let url = format!("{}{}", sandbox.url(), first.path);
            for wrong_token in [true, false] {
                let mut request = anonymous.request(method.clone(), &url);
                if wrong_token {
                    request = request.bearer_auth("not-this-consoles-token-0123456789");
                }
                if let Some(key) = first.key {
                    request = request.header(v1::IDEMPOTENCY_KEY_HEADER, key);
                }
                if let Some(body) = &first.body {
                    request = request.json(body);
                }
                let response = request.send().await.expect("request");
                let status = response.status().as_u16().to_string();
                let open_probe = name == "GET /v1/health" && !wrong_token;
                let expected = if open_probe { "200" } else { "401" };
                assert_eq!(status, expected, "{name}, wrong token: {wrong_token}");
                assert!(
                    documented.contains(status.as_str()),
                    "{name} answered {status}, the document lists {documented:?}"
                );
                let content_type = response
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                assert!(
                    responses[&status]["content"].get(&content_type).is_some(),
                    "{name} {status}: content type {content_type:?} is not documented"
                );
                if !open_probe {
                    let body: Value = response.json().await.expect("problem");
                    assert_eq!(body["type"], v1::problem_types::UNAUTHORIZED, "{name}");
                }
                seen.insert(status);
            }
            // A body not sent as JSON, with the operation's first request: 415, before the
            // body or the key is looked at.
            if operation.get("requestBody").is_some() {
                let response = http
                    .request(method.clone(), &url)
                    .header("content-type", "text/plain")
                    .header(v1::IDEMPOTENCY_KEY_HEADER, "conf-not-json")
                    .body(first.body.clone().unwrap_or(Value::Null).to_string())
                    .send()
                    .await
                    .expect("request");
                let status = response.status().as_u16().to_string();
                assert_eq!(status, "415", "{name}, a text/plain body");
                let content_type = response
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                assert!(
                    responses[&status]["content"].get(&content_type).is_some(),
                    "{name} {status}: content type {content_type:?} is not documented"
                );
                let body: Value = response.json().await.expect("problem");
                assert_eq!(
                    body["type"],
                    v1::problem_types::UNSUPPORTED_MEDIA_TYPE,
                    "{name}"
                );
                seen.insert(status);
            }
            let unseen: Vec<&&str> = documented
                .iter()
                .filter(|status| !seen.contains(**status))
                .collect();
            assert!(unseen.is_empty(), "{name}: no probe reached {unseen:?}");
            operations += 1;
        }
    }
    assert_eq!(operations, 57);
    sandbox.shutdown().await;
}
