//! Creating customers over HTTP, and the idempotency rules every write follows.

use super::small_sandbox as sandbox;
use reqwest::StatusCode;
use serde_json::{Value, json};
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

/// Two valid resident IDs: a published one (check character X), and one built with the check rule.
const RESIDENT_ID: &str = "11010519491231002X";
const OTHER_RESIDENT_ID: &str = "440524198001010013";

fn body(resident_id: &str, mobile: &str) -> Value {
    json!({"name": "王小明", "residentId": resident_id, "mobile": mobile})
}

async fn post(sandbox: &RunningSandbox, key: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = crate::http()
        .post(format!("{}/v1/customers", sandbox.url()))
        .json(body);
    if let Some(key) = key {
        request = request.header(v1::IDEMPOTENCY_KEY_HEADER, key);
    }
    request.send().await.expect("request")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

async fn problem(response: reqwest::Response, status: StatusCode, kind: &str) {
    assert_eq!(response.status(), status);
    assert_eq!(
        header(&response, "content-type"),
        Some(v1::PROBLEM_CONTENT_TYPE)
    );
    let problem: v1::Problem = response.json().await.expect("problem json");
    assert_eq!(problem.kind, kind);
    assert_eq!(problem.status, status.as_u16());
}

async fn count(sandbox: &RunningSandbox, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(sandbox.store().pool())
        .await
        .expect(sql)
}

#[tokio::test]
async fn create_then_read_back_masked() {
    let sandbox = sandbox().await;
    let response = post(&sandbox, Some("k-1"), &body(RESIDENT_ID, "13800138000")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(header(&response, v1::IDEMPOTENCY_REPLAYED_HEADER), None);
    let created: v1::Customer = response.json().await.expect("customer");
    assert_eq!(created.id, "6", "after the 5 demo customers");
    assert_eq!(created.name, "王小明");
    assert_eq!(created.masked_resident_id, "110105********002X");
    assert_eq!(created.masked_mobile, "138****8000");
    assert!(created.created_at.ends_with('Z'), "{}", created.created_at);

    let read: v1::Customer = crate::get_url(format!("{}/v1/customers/6", sandbox.url()))
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(read, created);
    for missing in ["999", "06", "x", "0"] {
        let response = crate::get_url(format!("{}/v1/customers/{missing}", sandbox.url()))
            .await
            .expect("get");
        problem(
            response,
            StatusCode::NOT_FOUND,
            v1::problem_types::NOT_FOUND,
        )
        .await;
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_replay_returns_the_stored_answer_and_applies_nothing() {
    let sandbox = sandbox().await;
    let request = body(RESIDENT_ID, "13800138000");
    let first = post(&sandbox, Some("replay-me"), &request).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.expect("json");

    // The same body serialised differently is the same request.
    let reordered = json!({"mobile": "13800138000", "residentId": RESIDENT_ID, "name": "王小明"});
    for again in [&request, &reordered] {
        let replay = post(&sandbox, Some("replay-me"), again).await;
        assert_eq!(replay.status(), StatusCode::CREATED);
        assert_eq!(
            header(&replay, v1::IDEMPOTENCY_REPLAYED_HEADER),
            Some("true")
        );
        assert_eq!(header(&replay, "content-type"), Some("application/json"));
        assert_eq!(replay.json::<Value>().await.expect("json"), first);
    }
    assert_eq!(count(&sandbox, "SELECT COUNT(*) FROM customers").await, 6);
    assert_eq!(
        count(
            &sandbox,
            "SELECT COUNT(*) FROM applied_operations WHERE idempotency_key = 'replay-me' \
             AND operation = 'create-customer'"
        )
        .await,
        1
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_same_key_with_another_body_is_422() {
    let sandbox = sandbox().await;
    let first = post(&sandbox, Some("k"), &body(RESIDENT_ID, "13800138000")).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let other = post(&sandbox, Some("k"), &body(RESIDENT_ID, "13900139000")).await;
    problem(
        other,
        StatusCode::UNPROCESSABLE_ENTITY,
        v1::problem_types::IDEMPOTENCY_KEY_REUSED,
    )
    .await;
    assert_eq!(count(&sandbox, "SELECT COUNT(*) FROM customers").await, 6);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_write_without_a_good_key_is_400_and_applies_nothing() {
    let sandbox = sandbox().await;
    let request = body(RESIDENT_ID, "13800138000");
    problem(
        post(&sandbox, None, &request).await,
        StatusCode::BAD_REQUEST,
        v1::problem_types::IDEMPOTENCY_KEY_MISSING,
    )
    .await;
    let too_long = "k".repeat(129);
    for bad in ["", "with space", too_long.as_str()] {
        problem(
            post(&sandbox, Some(bad), &request).await,
            StatusCode::BAD_REQUEST,
            v1::problem_types::IDEMPOTENCY_KEY_INVALID,
        )
        .await;
    }
    let not_json = crate::http()
        .post(format!("{}/v1/customers", sandbox.url()))
        .header(v1::IDEMPOTENCY_KEY_HEADER, "k")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("request");
    problem(
        not_json,
        StatusCode::BAD_REQUEST,
        v1::problem_types::INVALID_BODY,
    )
    .await;
    // A body not sent as JSON is refused before it is read.
    for content_type in [None, Some("text/plain")] {
        let mut request = crate::http()
            .post(format!("{}/v1/customers", sandbox.url()))
            .header(v1::IDEMPOTENCY_KEY_HEADER, "k")
            .body(request.to_string());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        problem(
            request.send().await.expect("request"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            v1::problem_types::UNSUPPORTED_MEDIA_TYPE,
        )
        .await;
    }
    assert_eq!(count(&sandbox, "SELECT COUNT(*) FROM customers").await, 5);
    assert_eq!(
        count(&sandbox, "SELECT COUNT(*) FROM idempotency_keys").await,
        0
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_duplicate_customer_is_409_and_its_refusal_is_replayed() {
    let sandbox = sandbox().await;
    let first = post(&sandbox, Some("a"), &body(RESIDENT_ID, "13800138000")).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    // Same resident ID, another mobile; then another ID with the same mobile.
    problem(
        post(&sandbox, Some("b"), &body(RESIDENT_ID, "13900139000")).await,
        StatusCode::CONFLICT,
        v1::problem_types::DUPLICATE_CUSTOMER,
    )
    .await;
    problem(
        post(&sandbox, Some("c"), &body(OTHER_RESIDENT_ID, "13800138000")).await,
        StatusCode::CONFLICT,
        v1::problem_types::DUPLICATE_CUSTOMER,
    )
    .await;
    // A retry of a refused write is refused the same way, from the stored answer.
    let replay = post(&sandbox, Some("b"), &body(RESIDENT_ID, "13900139000")).await;
    assert_eq!(
        header(&replay, v1::IDEMPOTENCY_REPLAYED_HEADER),
        Some("true")
    );
    problem(
        replay,
        StatusCode::CONFLICT,
        v1::problem_types::DUPLICATE_CUSTOMER,
    )
    .await;
    assert_eq!(count(&sandbox, "SELECT COUNT(*) FROM customers").await, 6);
    assert_eq!(
        count(&sandbox, "SELECT COUNT(*) FROM applied_operations").await,
        1
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn refused_fields_are_422() {
    let sandbox = sandbox().await;
    for (i, bad) in [
        body("110105194912310021", "13800138000"),
        body(RESIDENT_ID, "12800138000"),
        json!({"name": "  ", "residentId": RESIDENT_ID, "mobile": "13800138000"}),
    ]
    .iter()
    .enumerate()
    {
        problem(
            post(&sandbox, Some(&format!("bad-{i}")), bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            v1::problem_types::VALIDATION_FAILED,
        )
        .await;
    }
    assert_eq!(count(&sandbox, "SELECT COUNT(*) FROM customers").await, 5);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn concurrent_requests_with_one_key_apply_once() {
    let sandbox = sandbox().await;
    let request = body(RESIDENT_ID, "13800138000");
    let url = format!("{}/v1/customers", sandbox.url());
    let responses = futures_join_all(
        (0..12)
            .map(|_| {
                crate::http()
                    .post(&url)
                    .header(v1::IDEMPOTENCY_KEY_HEADER, "race")
                    .json(&request)
                    .send()
            })
            .collect(),
    )
    .await;
    let mut fresh = 0;
    let mut bodies = Vec::new();
    for response in responses {
        let response = response.expect("request");
        match response.status() {
            StatusCode::CREATED => {
                if header(&response, v1::IDEMPOTENCY_REPLAYED_HEADER).is_none() {
                    fresh += 1;
                }
                bodies.push(response.json::<Value>().await.expect("json"));
            }
            StatusCode::CONFLICT => {
                assert_eq!(header(&response, "retry-after"), Some("1"));
                problem(
                    response,
                    StatusCode::CONFLICT,
                    v1::problem_types::IDEMPOTENCY_KEY_IN_FLIGHT,
                )
                .await;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(fresh, 1, "exactly one request runs the write");
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:?}");
    assert_eq!(count(&sandbox, "SELECT COUNT(*) FROM customers").await, 6);
    assert_eq!(
        count(&sandbox, "SELECT COUNT(*) FROM applied_operations").await,
        1
    );
    sandbox.shutdown().await;
}

/// All at once, each on its own task so they really race.
async fn futures_join_all<F>(futures: Vec<F>) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let tasks: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.expect("task"));
    }
    out
}

/// Plants a key as a first request that is still running (or crashed) leaves it.
async fn plant_in_flight(sandbox: &RunningSandbox, key: &str, body: &Value, claimed_at: &str) {
    let fingerprint =
        walletdesk_sandbox::idempotency::fingerprint(&reqwest::Method::POST, "/v1/customers", body);
    sqlx::query(
        "INSERT INTO idempotency_keys (key, request_sha256, state, created_at, claimed_at) \
         VALUES (?, ?, 'in_flight', ?, ?)",
    )
    .bind(key)
    .bind(fingerprint)
    .bind(claimed_at)
    .bind(claimed_at)
    .execute(sandbox.store().pool())
    .await
    .expect("plant key");
}

#[tokio::test]
async fn a_retry_while_the_first_is_running_is_409_retry_after() {
    let sandbox = sandbox().await;
    let request = body(RESIDENT_ID, "13800138000");
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    plant_in_flight(&sandbox, "slow", &request, &now).await;
    let response = post(&sandbox, Some("slow"), &request).await;
    assert_eq!(header(&response, "retry-after"), Some("1"));
    problem(
        response,
        StatusCode::CONFLICT,
        v1::problem_types::IDEMPOTENCY_KEY_IN_FLIGHT,
    )
    .await;
    // Another body under the running key is still a reused key, not a wait.
    problem(
        post(&sandbox, Some("slow"), &body(RESIDENT_ID, "13900139000")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        v1::problem_types::IDEMPOTENCY_KEY_REUSED,
    )
    .await;
    assert_eq!(count(&sandbox, "SELECT COUNT(*) FROM customers").await, 5);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_key_abandoned_by_a_crash_is_taken_over_after_the_lease() {
    let sandbox = sandbox().await;
    let request = body(RESIDENT_ID, "13800138000");
    // A crash mid-write rolls the write back but leaves the claim, here long past the lease.
    plant_in_flight(&sandbox, "crashed", &request, "2020-01-01T00:00:00Z").await;
    let response = post(&sandbox, Some("crashed"), &request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(header(&response, v1::IDEMPOTENCY_REPLAYED_HEADER), None);
    let replay = post(&sandbox, Some("crashed"), &request).await;
    assert_eq!(
        header(&replay, v1::IDEMPOTENCY_REPLAYED_HEADER),
        Some("true")
    );
    assert_eq!(count(&sandbox, "SELECT COUNT(*) FROM customers").await, 6);
    assert_eq!(
        count(&sandbox, "SELECT COUNT(*) FROM applied_operations").await,
        1
    );
    sandbox.shutdown().await;
}

/// Health reads counts the writes keep, not `COUNT(*)`: they must follow every create, and
/// neither a replay nor a refusal may move them.
#[tokio::test]
async fn health_counts_follow_customer_creation() {
    let sandbox = sandbox().await;
    let client = crate::client(&sandbox.url());
    let before = client.health().await.expect("health");
    assert_eq!(before.customers, 5);

    let request = body(RESIDENT_ID, "13800138000");
    let created = post(&sandbox, Some("count-me"), &request).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let replay = post(&sandbox, Some("count-me"), &request).await;
    assert_eq!(replay.status(), StatusCode::CREATED);
    let duplicate = post(&sandbox, Some("dup"), &body(RESIDENT_ID, "13900139000")).await;
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);
    let refused = post(
        &sandbox,
        Some("bad"),
        &body("110105194912310021", "13700137000"),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let after = client.health().await.expect("health");
    assert_eq!(after.customers, before.customers + 1);
    assert_eq!(after.wallets, before.wallets);
    assert_eq!(after.transactions, before.transactions);
    let exact = sandbox.store().recount().await.expect("recount");
    assert_eq!(
        (after.customers, after.wallets, after.transactions),
        (exact.customers, exact.wallets, exact.transactions)
    );
    sandbox.shutdown().await;
}

mod references_updates_and_search {
    use super::super::support::{assert_problem, get, post, send};
    use super::*;
    use reqwest::Method;

    const EXT: &str = "6f1c2b9e-3a4d-4e5f-8a7b-0c1d2e3f4a5b";

    fn with_ext(resident_id: &str, mobile: &str, ext: &str) -> Value {
        json!({"name": "王小明", "residentId": resident_id, "mobile": mobile, "externalId": ext})
    }

    #[tokio::test]
    async fn an_external_id_names_the_customer_everywhere() {
        let sandbox = sandbox().await;
        let created = post(
            &sandbox,
            "/v1/customers",
            "x-1",
            &json!({"name": "王小明", "residentId": RESIDENT_ID, "mobile": "13800138000",
                "externalId": EXT.to_uppercase(), "idExpiresOn": "2031-05-01"}),
        )
        .await;
        assert_eq!(created.0, StatusCode::CREATED, "{}", created.1);
        // Stored lower-case, so either spelling finds the same customer.
        assert_eq!(created.1["externalId"], EXT);
        assert_eq!(created.1["idExpiresOn"], "2031-05-01");
        for reference in [
            "6".to_owned(),
            format!("ext:{EXT}"),
            format!("ext:{}", EXT.to_uppercase()),
        ] {
            let read = get(&sandbox, &format!("/v1/customers/{reference}")).await;
            assert_eq!(read.0, StatusCode::OK, "{reference}");
            assert_eq!(read.1, created.1, "{reference}");
        }
        for missing in [
            "ext:00000000-0000-0000-0000-000000000000",
            "ext:not-a-uuid",
            "ext:",
        ] {
            assert_problem(
                &get(&sandbox, &format!("/v1/customers/{missing}")).await,
                404,
                "not-found",
            );
        }
        // The feed carries the external id, so a console can match its offline record.
        let page: v1::ChangePage =
            crate::get_url(format!("{}/v1/changes?limit=1000", sandbox.url()))
                .await
                .expect("feed")
                .json()
                .await
                .expect("page");
        let change = page
            .changes
            .iter()
            .find(|c| c.kind == "customer" && c.id == "6")
            .expect("change");
        assert_eq!(change.data["externalId"], EXT);
        assert_eq!(change.data["idExpiresOn"], "2031-05-01");
        sandbox.shutdown().await;
    }

    #[tokio::test]
    async fn external_ids_are_uuids_and_unique() {
        let sandbox = sandbox().await;
        let first = post(
            &sandbox,
            "/v1/customers",
            "x-1",
            &with_ext(RESIDENT_ID, "13800138000", EXT),
        )
        .await;
        assert_eq!(first.0, StatusCode::CREATED);
        assert_problem(
            &post(
                &sandbox,
                "/v1/customers",
                "x-2",
                &with_ext(OTHER_RESIDENT_ID, "13900139000", EXT),
            )
            .await,
            409,
            "duplicate-customer",
        );
        for bad in [
            "123",
            "6f1c2b9e3a4d4e5f8a7b0c1d2e3f4a5b",
            "zf1c2b9e-3a4d-4e5f-8a7b-0c1d2e3f4a5b",
        ] {
            assert_problem(
                &post(
                    &sandbox,
                    "/v1/customers",
                    &format!("x-{bad}"),
                    &with_ext(OTHER_RESIDENT_ID, "13900139000", bad),
                )
                .await,
                422,
                "validation-failed",
            );
        }
        assert_problem(
            &post(
                &sandbox,
                "/v1/customers",
                "x-date",
                &json!({"name": "李四", "residentId": OTHER_RESIDENT_ID, "mobile": "13900139000",
                    "idExpiresOn": "2031-02-30"}),
            )
            .await,
            422,
            "validation-failed",
        );
        sandbox.shutdown().await;
    }

    #[tokio::test]
    async fn patch_changes_only_the_fields_given() {
        let sandbox = sandbox().await;
        post(
            &sandbox,
            "/v1/customers",
            "x-1",
            &with_ext(RESIDENT_ID, "13800138000", EXT),
        )
        .await;
        let path = format!("/v1/customers/ext:{EXT}");
        let renamed = send(
            &sandbox,
            Method::PATCH,
            &path,
            "p-1",
            &json!({"name": " 王晓明 "}),
        )
        .await;
        assert_eq!(renamed.0, StatusCode::OK, "{}", renamed.1);
        assert_eq!(renamed.1["name"], "王晓明");
        assert_eq!(renamed.1["maskedMobile"], "138****8000");

        let moved = send(
            &sandbox,
            Method::PATCH,
            "/v1/customers/6",
            "p-2",
            &json!({"mobile": "+86 139 0013 9000", "idExpiresOn": "2020-01-31"}),
        )
        .await;
        assert_eq!(moved.0, StatusCode::OK, "{}", moved.1);
        assert_eq!(moved.1["name"], "王晓明");
        assert_eq!(moved.1["maskedMobile"], "139****9000");
        assert_eq!(moved.1["idExpiresOn"], "2020-01-31");

        // null clears the expiry; left out keeps it.
        let cleared = send(
            &sandbox,
            Method::PATCH,
            &path,
            "p-3",
            &json!({"idExpiresOn": null}),
        )
        .await;
        assert_eq!(cleared.0, StatusCode::OK);
        assert!(cleared.1.get("idExpiresOn").is_none(), "{}", cleared.1);

        // A replay is the stored answer, not a second rename.
        let replay = send(
            &sandbox,
            Method::PATCH,
            &path,
            "p-1",
            &json!({"name": " 王晓明 "}),
        )
        .await;
        assert_eq!(replay.1, renamed.1);
        sandbox.shutdown().await;
    }

    #[tokio::test]
    async fn patch_refusals() {
        let sandbox = sandbox().await;
        let taken: String = sqlx::query_scalar("SELECT mobile FROM customers WHERE id = 1")
            .fetch_one(sandbox.store().pool())
            .await
            .expect("mobile");
        assert_problem(
            &send(
                &sandbox,
                Method::PATCH,
                "/v1/customers/2",
                "r-1",
                &json!({"mobile": taken}),
            )
            .await,
            409,
            "duplicate-customer",
        );
        assert_problem(
            &send(
                &sandbox,
                Method::PATCH,
                "/v1/customers/2",
                "r-2",
                &json!({"mobile": "12345"}),
            )
            .await,
            422,
            "validation-failed",
        );
        assert_problem(
            &send(
                &sandbox,
                Method::PATCH,
                "/v1/customers/2",
                "r-3",
                &json!({"name": ""}),
            )
            .await,
            422,
            "validation-failed",
        );
        assert_problem(
            &send(
                &sandbox,
                Method::PATCH,
                "/v1/customers/2",
                "r-4",
                &json!({"age": 3}),
            )
            .await,
            400,
            "invalid-body",
        );
        assert_problem(
            &send(
                &sandbox,
                Method::PATCH,
                "/v1/customers/99",
                "r-5",
                &json!({"name": "x"}),
            )
            .await,
            404,
            "not-found",
        );
        let unkeyed = crate::http()
            .patch(format!("{}/v1/customers/2", sandbox.url()))
            .json(&json!({"name": "x"}))
            .send()
            .await
            .expect("request");
        assert_eq!(unkeyed.status(), StatusCode::BAD_REQUEST);
        sandbox.shutdown().await;
    }

    #[tokio::test]
    async fn search_by_mobile_last_four_and_name_pages_in_id_order() {
        let sandbox = start_with(40).await;
        let rows: Vec<(i64, String, String, String)> =
            sqlx::query_as("SELECT id, name, mobile, resident_id FROM customers ORDER BY id")
                .fetch_all(sandbox.store().pool())
                .await
                .expect("rows");

        let (id, _, mobile, _) = &rows[7];
        let found = get(&sandbox, &format!("/v1/customers?mobile={mobile}")).await;
        assert_eq!(found.0, StatusCode::OK);
        let page: v1::CustomerPage = serde_json::from_value(found.1).expect("page");
        assert_eq!(page.customers.len(), 1);
        assert_eq!(page.customers[0].id, id.to_string());
        assert_eq!(page.next_cursor, None);

        let last4 = &rows[3].3[14..];
        let expected: Vec<String> = rows
            .iter()
            .filter(|r| r.3.ends_with(last4))
            .map(|r| r.0.to_string())
            .collect();
        let page: v1::CustomerPage = serde_json::from_value(
            get(
                &sandbox,
                &format!("/v1/customers?residentIdLast4={}", last4.to_lowercase()),
            )
            .await
            .1,
        )
        .expect("page");
        let ids: Vec<String> = page.customers.iter().map(|c| c.id.clone()).collect();
        assert_eq!(ids, expected);

        let family: String = rows[0].1.chars().take(1).collect();
        let expected: Vec<String> = rows
            .iter()
            .filter(|r| r.1.starts_with(&family))
            .map(|r| r.0.to_string())
            .collect();
        let mut seen = Vec::new();
        let mut after = String::new();
        loop {
            let url = format!(
                "{}/v1/customers?name={}&limit=2&after={after}",
                sandbox.url(),
                family
            );
            let page: v1::CustomerPage = crate::get_url(url)
                .await
                .expect("get")
                .json()
                .await
                .expect("page");
            assert!(page.customers.len() <= 2);
            seen.extend(page.customers.iter().map(|c| c.id.clone()));
            match page.next_cursor {
                Some(next) => after = next,
                None => break,
            }
        }
        assert_eq!(seen, expected);

        // No filter: everyone, in id order.
        let page: v1::CustomerPage =
            serde_json::from_value(get(&sandbox, "/v1/customers?limit=200").await.1).expect("page");
        assert_eq!(page.customers.len(), 40);

        for bad in [
            "limit=0",
            "limit=201",
            "after=x",
            "mobile=123",
            "residentIdLast4=12",
        ] {
            assert_problem(
                &get(&sandbox, &format!("/v1/customers?{bad}")).await,
                400,
                "invalid-query",
            );
        }
        sandbox.shutdown().await;
    }

    async fn start_with(customers: u32) -> RunningSandbox {
        walletdesk_sandbox::start(walletdesk_sandbox::SandboxConfig {
            seed: 42,
            customers,
            ..crate::config()
        })
        .await
        .expect("sandbox")
    }
}
