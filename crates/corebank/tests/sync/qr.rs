//! Booth QR codes: the console prints the link the core signed, and a person who signs up
//! through it reaches every console credited to that booth and staff member, by QR.

use super::booth::plan_shared;
use super::onboarding::counter_as;
use walletdesk_core::access::Role;
use walletdesk_core::booth::QrPosterRequest;
use walletdesk_core::customers::SearchQuery;
use walletdesk_core::store::Store;

fn request(booth: &str, staff: &str) -> QrPosterRequest {
    QrPosterRequest {
        campaign: "SPRING".into(),
        booth: booth.into(),
        staff: staff.into(),
    }
}

fn refused_field(result: walletdesk_core::Result<impl std::fmt::Debug>, field: &str, code: &str) {
    let err = result.expect_err("refused");
    let fields = err.fields();
    assert!(
        fields.iter().any(|f| f.field == field && f.code == code),
        "{field}/{code} expected: {err:?}"
    );
}

async fn kept_link(store: &Store) -> String {
    sqlx::query_scalar("SELECT url FROM booth_qr_links WHERE booth = 'B-07' AND staff = 'li.na'")
        .fetch_one(store.read())
        .await
        .expect("the signed link is kept")
}

#[tokio::test]
async fn a_qr_code_carries_the_core_signed_link_and_a_self_sign_up_reaches_the_360_credited_by_qr()
{
    let sandbox = super::sandbox(1).await;
    let url = sandbox.url();
    let (_s, supervisor, s_engine, s_store) = counter_as(&url, Role::Supervisor).await;
    plan_shared(&supervisor, &s_engine, &s_store).await;
    let (_b, booth, engine, store) = counter_as(&url, Role::Booth).await;
    engine.sync_now().await.expect("pull the booths");

    let poster = booth
        .booth_qr_poster(request("B-07", "li.na"))
        .await
        .expect("poster");
    assert!(poster.bytes.starts_with(b"%PDF"), "a PDF");
    assert_eq!(poster.content_type, "application/pdf");
    let link = kept_link(&store).await;
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'booth.qr_printed' AND subject_id = 'B-07'",
    )
    .fetch_one(store.read())
    .await
    .expect("audit");
    assert_eq!(audited, 1);

    // The person scans the code on their phone; the bank's page (the sandbox) signs them up.
    let answer = reqwest::Client::new()
        .post(format!("{url}/v1/admin/self-signups"))
        .bearer_auth(super::TOKEN)
        .header("Idempotency-Key", "scan-1")
        .json(&serde_json::json!({"link": link, "mobile": "13600007777", "name": "扫码客"}))
        .send()
        .await
        .expect("self sign-up");
    assert_eq!(answer.status(), 200);

    // The change feed brings them to the console, credited to the booth and staff by QR.
    engine.sync_now().await.expect("pull");
    let hits = booth
        .customer_search(SearchQuery {
            text: "13600007777".into(),
        })
        .await
        .expect("search");
    assert_eq!(hits.len(), 1);
    let profile = supervisor.customer_profile(hits[0].id.clone()).await;
    let profile = match profile {
        Ok(p) => p,
        // The supervisor's console pulls too.
        Err(_) => {
            s_engine.sync_now().await.expect("pull");
            supervisor
                .customer_profile(hits[0].id.clone())
                .await
                .expect("360")
        }
    };
    let a = profile.attribution.expect("attributed");
    assert_eq!(
        (
            a.campaign.as_str(),
            a.booth.as_str(),
            a.staff.as_str(),
            a.channel.as_str()
        ),
        ("SPRING", "B-07", "li.na", "qr")
    );

    // Printed again with the network gone: the kept link, the same code.
    super::set_faults_at(
        &url,
        walletdesk_corebank::v1::Faults {
            drop_rate: 1000,
            ..Default::default()
        },
    )
    .await;
    let again = booth
        .booth_qr_poster(request("B-07", "li.na"))
        .await
        .expect("reprinted offline");
    assert!(again.bytes.starts_with(b"%PDF"));
    assert_eq!(kept_link(&store).await, link);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn booth_staff_print_only_their_own_code_and_a_supervisor_only_for_someone_on_the_roster() {
    let sandbox = super::sandbox(1).await;
    let url = sandbox.url();
    let (_s, supervisor, s_engine, s_store) = counter_as(&url, Role::Supervisor).await;
    plan_shared(&supervisor, &s_engine, &s_store).await;
    let (_b, booth, engine, _store) = counter_as(&url, Role::Booth).await;
    engine.sync_now().await.expect("pull the booths");

    refused_field(
        booth.booth_qr_poster(request("B-07", "wang.wei")).await,
        "staff",
        "qr_staff_not_you",
    );
    refused_field(
        booth.booth_qr_poster(request("B-99", "li.na")).await,
        "booth",
        "booth_not_yours",
    );
    refused_field(
        supervisor
            .booth_qr_poster(request("B-07", "zhao.lei"))
            .await,
        "staff",
        "qr_staff_not_on_roster",
    );
    supervisor
        .booth_qr_poster(request("B-08", "li.na"))
        .await
        .expect("a supervisor prints for the roster");
    sandbox.shutdown().await;
}
