//! The client against real servers over loopback: the sandbox core bank, and small hand-made
//! servers for the failures the sandbox does not produce.

use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use walletdesk_core::corelink::{CoreLink, LinkError};
use walletdesk_corebank::{Client, ClientError, v1};
use walletdesk_sandbox::SandboxConfig;

/// The console token the test sandboxes accept.
const TOKEN: &str = "client-test-console-token-01";

async fn sandbox(seed: u64) -> walletdesk_sandbox::RunningSandbox {
    walletdesk_sandbox::start(SandboxConfig {
        seed,
        customers: 20,
        tokens: vec![TOKEN.into()],
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts")
}

/// A port that was free a moment ago and has no listener now.
async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Serves one connection with a canned response and hands back the request it read.
async fn one_shot_server(
    status: &'static str,
    content_type: &'static str,
    body: &'static str,
) -> (String, JoinHandle<String>) {
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut request = Vec::new();
        let mut buf = [0_u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.expect("read");
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buf[..n]);
        }
        socket.write_all(response.as_bytes()).await.expect("write");
        socket.shutdown().await.expect("shutdown");
        String::from_utf8_lossy(&request).into_owned()
    });
    (url, task)
}

#[tokio::test]
async fn health_comes_from_the_sandbox() {
    let sandbox = sandbox(42).await;
    let client = Client::new(&sandbox.url(), Some(TOKEN.into())).expect("client");
    let health = client.health().await.expect("health");
    assert_eq!(health.status, "ok");
    assert_eq!(health.name, "Walletdesk Sandbox Core Bank");
    assert_eq!(health.version, "v1");
    assert_eq!(health.instance, "sandbox-seed-42");
    assert!(health.training);
    assert_eq!(health.customers, 20);
    assert!(health.wallets >= 20);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn identity_through_the_core_link() {
    let sandbox = sandbox(7).await;
    let link: Box<dyn CoreLink> =
        Box::new(Client::new(&format!("{}/", sandbox.url()), Some(TOKEN.into())).expect("client"));
    assert_eq!(link.url(), sandbox.url());
    let identity = link.identity().await.expect("identity");
    assert_eq!(identity.name, "Walletdesk Sandbox Core Bank");
    assert_eq!(identity.version, "v1");
    assert_eq!(identity.instance, "sandbox-seed-7");
    assert!(identity.training);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn nobody_listening_is_a_quick_retryable_unreachable() {
    let url = format!("http://127.0.0.1:{}", closed_port().await);
    let client = Client::new(&url, None).expect("client");

    let started = Instant::now();
    let err = client.health().await.expect_err("nobody listens");
    assert!(err.is_retryable(), "{err:?}");
    assert!(matches!(err, ClientError::Connect(_)), "{err:?}");

    let link_err = client.identity().await.expect_err("nobody listens");
    assert!(
        matches!(link_err, LinkError::Unreachable(_)),
        "{link_err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_missing_route_is_refused_not_retried() {
    let sandbox = sandbox(1).await;
    // The contract is not mounted under /elsewhere, so the sandbox answers 404.
    let client =
        Client::new(&format!("{}/elsewhere", sandbox.url()), Some(TOKEN.into())).expect("client");
    let err = client.health().await.expect_err("404");
    assert!(
        matches!(err, ClientError::Rejected { status: 404, .. }),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("Not found"), "{err}");
    let link_err = client.identity().await.expect_err("404");
    assert!(matches!(link_err, LinkError::Refused(_)), "{link_err:?}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_body_off_contract_is_final_and_the_token_is_sent() {
    let (url, server) = one_shot_server("200 OK", "application/json", r#"{"nope":1}"#).await;
    let client = Client::new(&url, Some("s3cret-token-0123456789".into())).expect("client");
    let err = client.health().await.expect_err("bad body");
    assert!(matches!(err, ClientError::BadBody(_)), "{err:?}");
    assert!(!err.is_retryable());
    let request = server.await.expect("server");
    assert!(
        request.starts_with("GET /v1/health HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request
            .to_ascii_lowercase()
            .contains("authorization: bearer s3cret-token-0123456789\r\n"),
        "{request}"
    );
}

#[tokio::test]
async fn a_server_error_is_retryable() {
    let (url, server) = one_shot_server(
        "503 Service Unavailable",
        "application/problem+json",
        r#"{"type":"https://x.invalid/p/down","title":"Down for upkeep","status":503}"#,
    )
    .await;
    let client = Client::new(&url, None).expect("client");
    let err = client.identity().await.expect_err("503");
    assert!(matches!(err, LinkError::Unreachable(_)), "{err:?}");
    assert!(err.to_string().contains("Down for upkeep"), "{err}");
    server.await.expect("server");
}

#[tokio::test]
async fn a_core_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    // Accepts and then says nothing, as a hung core would.
    let hold = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.expect("accept");
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(socket);
    });
    let client = Client::new(&url, None).expect("client");
    let started = Instant::now();
    let err = client.health().await.expect_err("timeout");
    let elapsed = started.elapsed();
    assert!(matches!(err, ClientError::Timeout), "{err:?}");
    assert!(err.is_retryable());
    assert!(
        elapsed >= Duration::from_millis(4_500) && elapsed < Duration::from_secs(8),
        "took {elapsed:?}"
    );
    hold.abort();
}

fn new_customer(mobile: &str) -> v1::NewCustomer {
    v1::NewCustomer {
        name: "李秀英".into(),
        resident_id: "11010519491231002X".into(),
        mobile: mobile.into(),
        ..v1::NewCustomer::default()
    }
}

#[tokio::test]
async fn create_customer_once_however_often_it_is_sent() {
    let sandbox = sandbox(3).await;
    let client = Client::new(&sandbox.url(), Some(TOKEN.into())).expect("client");
    let request = new_customer("+86 138 0013 8000");
    let created = client
        .create_customer("booth-7-op-1", &request)
        .await
        .expect("created");
    assert_eq!(created.id, "21", "after the 20 demo customers");
    assert_eq!(created.masked_resident_id, "110105********002X");
    assert_eq!(created.masked_mobile, "138****8000");
    // A retry after a lost answer: the same customer back, not a second one.
    let again = client
        .create_customer("booth-7-op-1", &request)
        .await
        .expect("replayed");
    assert_eq!(again, created);
    assert_eq!(client.get_customer("21").await.expect("read"), created);
    assert_eq!(client.health().await.expect("health").customers, 21);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn write_refusals_are_final() {
    let sandbox = sandbox(4).await;
    let client = Client::new(&sandbox.url(), Some(TOKEN.into())).expect("client");
    client
        .create_customer("first", &new_customer("13800138000"))
        .await
        .expect("created");

    let duplicate = client
        .create_customer("second", &new_customer("13900139000"))
        .await
        .expect_err("duplicate");
    assert!(
        matches!(duplicate, ClientError::Rejected { status: 409, .. }),
        "{duplicate:?}"
    );
    assert!(!duplicate.is_retryable());

    let reused = client
        .create_customer("first", &new_customer("13700137000"))
        .await
        .expect_err("key reused");
    assert!(
        matches!(reused, ClientError::Rejected { status: 422, .. }),
        "{reused:?}"
    );
    assert!(!reused.is_retryable());

    let bad_key = client
        .create_customer("has space", &new_customer("13700137000"))
        .await
        .expect_err("bad key");
    assert!(!bad_key.is_retryable(), "{bad_key:?}");

    let missing = client.get_customer("999").await.expect_err("missing");
    assert!(
        matches!(missing, ClientError::Rejected { status: 404, .. }),
        "{missing:?}"
    );
    let sneaky = client.get_customer("../health").await.expect_err("refused");
    assert!(!sneaky.is_retryable());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_write_still_in_flight_is_retryable_and_the_key_is_sent() {
    let (url, server) = one_shot_server(
        "409 Conflict",
        "application/problem+json",
        r#"{"type":"https://walletdesk.invalid/problems/idempotency-key-in-flight","title":"A request with this Idempotency-Key is still running","status":409}"#,
    )
    .await;
    let client = Client::new(&url, None).expect("client");
    let err = client
        .create_customer("op-42", &new_customer("13800138000"))
        .await
        .expect_err("409");
    assert!(err.is_retryable(), "{err:?}");
    let request = server.await.expect("server");
    assert!(
        request.starts_with("POST /v1/customers HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request
            .to_ascii_lowercase()
            .contains("idempotency-key: op-42\r\n"),
        "{request}"
    );
}

/// The resource methods of `resources.rs`, end to end: an offline-made customer named by its
/// external id, found by search, changed, and given a wallet.
#[tokio::test]
async fn resource_methods_speak_the_contract() {
    use walletdesk_corebank::resources::CustomerQuery;
    let sandbox = sandbox(4).await;
    let client = Client::new(&sandbox.url(), Some(TOKEN.into())).expect("client");
    let ext = "2c0f1f7e-58a4-4b0c-9d8e-6a1b2c3d4e5f";
    let created = client
        .create_customer(
            "res-1",
            &v1::NewCustomer {
                external_id: Some(ext.into()),
                ..new_customer("13800138000")
            },
        )
        .await
        .expect("create");
    let by_ext = client
        .get_customer_by_reference(&format!("ext:{ext}"))
        .await
        .expect("by external id");
    assert_eq!(by_ext, created);
    let page = client
        .search_customers(&CustomerQuery {
            mobile: Some("13800138000".into()),
            ..CustomerQuery::default()
        })
        .await
        .expect("search");
    assert_eq!(page.customers, vec![created.clone()]);
    let renamed = client
        .update_customer(
            "res-2",
            &format!("ext:{ext}"),
            &v1::CustomerUpdate {
                name: Some("李秀兰".into()),
                ..v1::CustomerUpdate::default()
            },
        )
        .await
        .expect("update");
    assert_eq!(renamed.name, "李秀兰");

    let wallet = client
        .open_wallet(
            "res-3",
            &v1::NewWallet {
                customer_id: format!("ext:{ext}"),
                tier: 4,
                ..v1::NewWallet::default()
            },
        )
        .await
        .expect("open");
    assert_eq!(wallet.customer_id, created.id);
    let upgraded = client
        .change_wallet_tier(
            "res-4",
            &wallet.id,
            &v1::TierChange {
                tier: 3,
                ..v1::TierChange::default()
            },
        )
        .await
        .expect("tier");
    assert_eq!(upgraded.tier, 3);
    let frozen = client
        .set_wallet_frozen(
            "res-5",
            &wallet.id,
            true,
            &v1::WalletHold {
                reason: "挂失".into(),
            },
        )
        .await
        .expect("freeze");
    assert_eq!(frozen.status, "frozen");
    assert_eq!(client.get_wallet(&wallet.id).await.expect("get"), frozen);
    let err = client.get_wallet("../health").await.expect_err("not an id");
    assert!(!err.is_retryable());
    sandbox.shutdown().await;
}

/// The rest of `resources.rs` end to end: identity, consents, cards, payments, history,
/// disputes, complaints and incentives, each call once against the sandbox.
#[tokio::test]
async fn the_remaining_resource_methods_speak_the_contract() {
    let sandbox = sandbox(5).await;
    let client = Client::new(&sandbox.url(), Some(TOKEN.into())).expect("client");
    let customer = client
        .create_customer("rest-1", &new_customer("13800138000"))
        .await
        .expect("customer");

    let challenge = client
        .send_otp(
            "rest-2",
            &v1::OtpRequest {
                mobile: "13800138000".into(),
                purpose: None,
            },
        )
        .await
        .expect("otp");
    let verified = client
        .verify_otp(
            "rest-3",
            &v1::OtpVerification {
                challenge_id: challenge.challenge_id.clone(),
                code: challenge.training_code.clone().expect("training code"),
            },
        )
        .await
        .expect("verify");
    assert_eq!(verified.challenge_id, challenge.challenge_id);
    let check = client
        .check_identity(
            "rest-4",
            &v1::IdentityCheckRequest {
                name: "李秀英".into(),
                resident_id: "11010519491231002X".into(),
            },
        )
        .await
        .expect("identity");
    assert_eq!(check.result, "match");
    let screening = client
        .screen(
            "rest-5",
            &v1::ScreeningRequest {
                customer_id: Some(customer.id.clone()),
                ..v1::ScreeningRequest::default()
            },
        )
        .await
        .expect("screen");
    assert_eq!(screening.result, "clear");

    let consent = client
        .grant_consent(
            "rest-6",
            &customer.id,
            &v1::NewConsent {
                scope: v1::consent_scopes::SENSITIVE_FINANCIAL.into(),
                version: "2025-03".into(),
                ..v1::NewConsent::default()
            },
        )
        .await
        .expect("consent");
    let withdrawn = client
        .withdraw_consent("rest-7", &consent.id, &v1::ConsentWithdrawal::default())
        .await
        .expect("withdraw");
    assert_eq!(withdrawn.status, "withdrawn");
    assert_eq!(
        client
            .list_consents(&customer.id)
            .await
            .expect("list")
            .consents,
        vec![withdrawn]
    );

    let wallet = client
        .open_wallet(
            "rest-8",
            &v1::NewWallet {
                customer_id: customer.id.clone(),
                tier: 2,
                bank_card: Some(v1::NewCard {
                    number: "6222021234561236".into(),
                    bank_name: None,
                }),
                ..v1::NewWallet::default()
            },
        )
        .await
        .expect("wallet");
    let cards = client.list_cards(&wallet.id).await.expect("cards").cards;
    assert_eq!(cards.len(), 1);
    let other = client
        .link_card(
            "rest-9",
            &wallet.id,
            &v1::NewCard {
                number: "6228480000000007".into(),
                bank_name: Some("示例银行".into()),
            },
        )
        .await
        .expect("link");
    let unlinked = client
        .unlink_card("rest-10", &wallet.id, &other.id, &v1::CardUnlink::default())
        .await
        .expect("unlink");
    assert_eq!(unlinked.status, "unlinked");

    let pay = |key: &'static str, direction: &str, amount: &str| {
        let client = &client;
        let request = v1::PaymentRequest {
            wallet_id: wallet.id.clone(),
            amount: amount.into(),
            direction: direction.into(),
            counterparty: "测试".into(),
            memo: None,
            payment_password: Some(v1::SANDBOX_PAYMENT_PASSWORD.into()),
        };
        async move { client.pay(key, &request).await }
    };
    pay("rest-11", "in", "100").await.expect("top up");
    let payment = pay("rest-12", "out", "30").await.expect("pay");
    assert_eq!(payment.balance_after.as_deref(), Some("70.00"));
    let page = client
        .list_transactions(&wallet.id, None, Some(1))
        .await
        .expect("history");
    assert_eq!(page.transactions[0].id, payment.id);
    let older = client
        .list_transactions(&wallet.id, page.next_cursor.as_deref(), Some(1))
        .await
        .expect("older");
    assert_eq!(older.transactions[0].direction, "in");
    assert_eq!(
        client
            .get_transaction(&payment.id)
            .await
            .expect("one")
            .amount,
        "30.00"
    );

    let dispute = client
        .open_dispute(
            "rest-13",
            &v1::NewDispute {
                transaction_id: payment.id.clone(),
                reason: "unauthorised".into(),
            },
        )
        .await
        .expect("dispute");
    client
        .add_dispute_evidence(
            "rest-14",
            &dispute.id,
            &v1::NewEvidence {
                kind: "statement".into(),
                description: "x".into(),
            },
        )
        .await
        .expect("evidence");
    client
        .file_chargeback(
            "rest-15",
            &dispute.id,
            &v1::ChargebackRequest {
                reason_code: "4837".into(),
            },
        )
        .await
        .expect("chargeback");
    client
        .give_provisional_credit("rest-16", &dispute.id)
        .await
        .expect("credit");
    client
        .decide_dispute(
            "rest-17",
            &dispute.id,
            &v1::DisputeDecision {
                in_favour_of: "bank".into(),
                findings: "x".into(),
            },
        )
        .await
        .expect("decide");
    let reversed = client
        .reverse_provisional_credit("rest-18", &dispute.id)
        .await
        .expect("reverse");
    assert_eq!(
        reversed,
        client.get_dispute(&dispute.id).await.expect("get")
    );
    assert_eq!(reversed.status, "reversed");

    let complaint = client
        .register_complaint(
            "rest-19",
            &v1::NewComplaint {
                case_number: "WD-1".into(),
                customer_id: customer.id.clone(),
                category: "payment".into(),
                channel: "counter".into(),
                summary: "x".into(),
                received_on: "2025-03-01".into(),
            },
        )
        .await
        .expect("complaint");
    let withdrawn = client
        .set_complaint_status(
            "rest-20",
            &complaint.id,
            &v1::ComplaintStatusChange {
                status: "withdrawn".into(),
                ..v1::ComplaintStatusChange::default()
            },
        )
        .await
        .expect("status");
    assert_eq!(
        client.get_complaint(&complaint.id).await.expect("get"),
        withdrawn
    );
    let campaign = client
        .save_campaign(
            "rest-20c",
            &v1::CampaignSave {
                code: "spring".into(),
                name: "春季推广".into(),
                starts_on: "2000-01-01".into(),
                ends_on: "2099-12-31".into(),
                booths: vec!["B1".into()],
                incentive: v1::CampaignIncentive {
                    kind: "cashback".into(),
                    amount: Some("8.80".into()),
                    ..v1::CampaignIncentive::default()
                },
                ..v1::CampaignSave::default()
            },
        )
        .await
        .expect("campaign");
    assert_eq!(campaign.claims, 0);
    let booth = client
        .save_booth(
            "rest-20b",
            &v1::BoothSave {
                code: "B1".into(),
                name: "展位".into(),
                mall: "万达广场".into(),
                address: "建国路 93 号".into(),
                branch: "BJ-001".into(),
                roster: vec!["T001".into()],
            },
        )
        .await
        .expect("booth");
    assert_eq!(booth.roster, ["T001"]);
    let claim = client
        .claim_incentive(
            "rest-21",
            &v1::NewIncentiveClaim {
                campaign: "spring".into(),
                booth: "B1".into(),
                staff_id: "T001".into(),
                customer_id: customer.id.clone(),
                amount: "8.80".into(),
                person_key: None,
            },
        )
        .await
        .expect("claim");
    assert_eq!(claim.amount, "8.80");
    let err = client
        .claim_incentive(
            "rest-22",
            &v1::NewIncentiveClaim {
                campaign: "spring".into(),
                booth: "B1".into(),
                staff_id: "T001".into(),
                customer_id: customer.id.clone(),
                amount: "8.80".into(),
                person_key: Some("ab".repeat(32)),
            },
        )
        .await
        .expect_err("one per campaign");
    assert!(!err.is_retryable(), "{err:?}");
    sandbox.shutdown().await;
}

/// Answers every request with a 401 problem and counts them, as a core that does not know
/// this console would.
async fn refusing_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let body = r#"{"type":"https://walletdesk.invalid/problems/unauthorized","title":"Unauthorized","status":401,"detail":"the bearer token is not one this core bank accepts"}"#;
    let response = format!(
        "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/problem+json\r\n\
         www-authenticate: Bearer realm=\"x\", error=\"invalid_token\"\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let count = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut request = Vec::new();
            let mut buf = [0_u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            seen.fetch_add(1, Ordering::SeqCst);
            // Best effort: the client may hang up first.
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, count)
}

#[tokio::test]
async fn a_refused_token_is_final_and_never_retried() {
    use std::sync::atomic::Ordering;
    let (url, requests) = refusing_server().await;
    let client = Client::with_options(
        &url,
        Some("revoked-console-token-0123".into()),
        walletdesk_corebank::ClientOptions {
            retries: 5,
            first_retry_after: Duration::from_millis(5),
            ..walletdesk_corebank::ClientOptions::default()
        },
    )
    .expect("client");

    let err = client.get_customer("1").await.expect_err("401");
    assert!(matches!(err, ClientError::Unauthorized(_)), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(
        requests.load(Ordering::SeqCst),
        1,
        "a retryable error would have been sent 6 times"
    );
    let err = client
        .create_customer("op-1", &new_customer("13800138000"))
        .await
        .expect_err("401");
    assert!(matches!(err, ClientError::Unauthorized(_)), "{err:?}");
    assert_eq!(requests.load(Ordering::SeqCst), 2);
    assert_eq!(
        err.to_string(),
        "this console is not authorised with the core bank (Unauthorized: the bearer token is \
         not one this core bank accepts)"
    );

    // Through the CoreLink seam: its own kind (final, never retried per operation), with
    // words staff and IT can act on.
    let link_err = client.identity().await.expect_err("401");
    assert!(
        matches!(link_err, LinkError::Unauthorized(_)),
        "{link_err:?}"
    );
    assert!(
        link_err
            .to_string()
            .contains("not authorised with the core bank"),
        "{link_err}"
    );
    assert_eq!(requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_wrong_token_is_refused_by_the_sandbox_and_never_shown() {
    use walletdesk_core::corelink::{CoreSync, CoreWrite};
    let sandbox = sandbox(8).await;
    let wrong = "wrong-console-token-abcdefgh";
    let client = Client::new(&sandbox.url(), Some(wrong.into())).expect("client");
    let before = client_with_token(&sandbox).health().await.expect("health");

    let err = client.get_customer("1").await.expect_err("401");
    assert!(matches!(err, ClientError::Unauthorized(_)), "{err:?}");
    // The status bar's probe sends the token too, so a wrong one shows at once.
    let probe = client.identity().await.expect_err("401 on health");
    assert!(matches!(probe, LinkError::Unauthorized(_)), "{probe:?}");

    // The sync engine's calls, alone and batched: an error for the whole call, never a
    // per-operation refusal that would park good operations as "needs attention".
    let write = |n: u32| CoreWrite {
        key: format!("auth-{n}"),
        kind: "customer.create".into(),
        subject: None,
        body: serde_json::to_value(new_customer(&format!("1380013800{n}"))).expect("json"),
    };
    for writes in [vec![write(1)], vec![write(2), write(3)]] {
        let err = client.submit(&writes).await.expect_err("401");
        assert!(matches!(err, LinkError::Unauthorized(_)), "{err:?}");
        assert!(err.to_string().contains("not authorised"), "{err}");
    }
    let err = client.changes(None, 10).await.expect_err("401");
    assert!(matches!(err, LinkError::Unauthorized(_)), "{err:?}");

    let after = client_with_token(&sandbox).health().await.expect("health");
    assert_eq!(after.customers, before.customers, "nothing was applied");
    let shown = format!("{client:?} {err:?} {err} {probe:?}");
    assert!(!shown.contains(wrong), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
    sandbox.shutdown().await;
}

fn client_with_token(sandbox: &walletdesk_sandbox::RunningSandbox) -> Client {
    Client::new(&sandbox.url(), Some(TOKEN.into())).expect("client")
}
