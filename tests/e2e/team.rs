//! Team mode (issue 16): two consoles on one PostgreSQL server (the OS package's, started for
//! this journey), a teller logging a complaint at one counter and a complaints handler at the
//! other console seeing it in the shared queue within 2 s, taking it and asking for more time,
//! and a supervisor approving the extension; then a dispute opened on one console taken from
//! the team's dispute queue on the other.

use super::{choose, first_run_setup, no_violations, sign_in};
use anyhow::{Context, Result, ensure};
use serde_json::Value;
use std::time::{Duration, Instant};
use walletdesk_core::team::server::PgServer;
use walletdesk_e2e::{App, Texts, TrainingCore};

/// The team key both consoles are given (it keys the team's audit chain); a test value.
const TEAM_KEY: &str = "7e3a9c1f5b2d4e6a8c0f1e3d5b7a9c2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c";

/// A script that notes (`window.__firstSeen`, ms since the epoch) when `selector` first
/// matches; checked on every DOM change, so the moment is the paint's, not the test's poll.
fn first_seen(selector: &str) -> String {
    format!(
        "window.__firstSeen = null; \
         const seen = () => {{ if (window.__firstSeen === null && document.querySelector('{selector}')) \
           window.__firstSeen = Date.now(); }}; \
         new MutationObserver(seen).observe(document.body, {{ childList: true, subtree: true }}); \
         seen();"
    )
}

/// A payment out that `core` holds, as (customer, transaction): the newest one among the first
/// customers' wallets (not every demo customer has one).
async fn a_payment_out(core: &TrainingCore) -> Result<(String, String)> {
    let http = reqwest::Client::new();
    let get = |path: String| {
        let request = http
            .get(format!("{}{path}", core.url))
            .bearer_auth(&core.token);
        async move {
            let response = request
                .send()
                .await
                .with_context(|| format!("GET {path}"))?;
            ensure!(
                response.status().is_success(),
                "GET {path}: {}",
                response.status()
            );
            Ok::<Value, anyhow::Error>(response.json().await?)
        }
    };
    let customers = get("/v1/customers?limit=20".into()).await?;
    for customer in customers["customers"].as_array().into_iter().flatten() {
        let id = customer["id"].as_str().context("a customer id")?;
        let wallets = get(format!("/v1/customers/{id}/wallets")).await?;
        for wallet in wallets["wallets"].as_array().into_iter().flatten() {
            let wallet = wallet["id"].as_str().context("a wallet id")?;
            let page = get(format!("/v1/wallets/{wallet}/transactions?limit=10")).await?;
            let out = page["transactions"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|t| t["direction"] == "out");
            if let Some(t) = out {
                let transaction = t["id"].as_str().context("a transaction id")?;
                return Ok((id.to_owned(), transaction.to_owned()));
            }
        }
    }
    anyhow::bail!("no payment out among the core's first customers")
}

#[tokio::test]
async fn two_consoles_share_one_team_queue_on_postgresql() -> Result<()> {
    let server = PgServer::start().await.context("the team's PostgreSQL")?;
    let options = server.fresh_database().await?;
    let url = server.url(options.get_database().context("database name")?);
    let (mut counter, mut desk) = App::launch_pair(
        ["team-counter", "team-desk"],
        &[
            ("WALLETDESK_TEAM_DB", &url),
            // The test server trusts loopback; team mode still asks for the secret.
            (
                "WALLETDESK_TEAM_DB_PASSWORD",
                "not-checked-by-a-trust-server",
            ),
            ("WALLETDESK_TEAM_KEY", TEAM_KEY),
        ],
    )
    .await?;
    first_run_setup(&mut counter, false).await?;
    first_run_setup(&mut desk, false).await?;

    // The handler's console has the team queue open before the complaint exists.
    let handler = desk.demo("complaints")?;
    sign_in(&desk, &handler.username, &handler.password).await?;
    desk.click("nav-complaints").await?;
    desk.wait("team-queue").await?;
    desk.wait("team-banner").await?;
    desk.check_screen("team-queue-empty").await?;

    // A teller logs a complaint at the counter of the other console.
    let teller = counter.demo("teller")?;
    sign_in(&counter, &teller.username, &teller.password).await?;
    counter.click("nav-complaints").await?;
    counter.wait("team-banner").await?;
    choose(&counter, "complaint-form-channel", "counter").await?;
    counter.fill("complaint-form-customer-id", "C0001").await?;
    counter.fill("complaint-form-product", "数字钱包").await?;
    choose(&counter, "complaint-form-category", "2").await?;
    counter
        .fill("complaint-form-what-happened", "同一笔付款被扣了两次。")
        .await?;
    counter
        .fill("complaint-form-customer-asks", "退回多扣的款项。")
        .await?;
    choose(&counter, "complaint-form-severity", "high").await?;
    counter.check_screen("team-counter-intake").await?;
    // Each page notes the wall-clock moment its element first appears, so the time between the
    // counter's confirmation and the colleague's queue showing the case is the screens' own,
    // not WebDriver's round trips to two windows on a busy machine.
    desk.script(&first_seen("[data-testid^=\"team-row-\"]"))
        .await?;
    counter
        .script(&first_seen("[data-testid=\"counter-logged\"]"))
        .await?;
    counter.submit("complaint-form-submit").await?;
    let logged = counter.text("counter-logged").await?;
    let case_no = logged
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .find(|w| w.starts_with("TS-"))
        .map(str::to_owned)
        .with_context(|| format!("no case number in {logged:?}"))?;
    counter.check_screen("team-counter-logged").await?;

    // The handler's open queue shows it within 2 s (issue 16 item 4), untouched by anyone.
    desk.wait(&format!("team-row-{case_no}")).await?;
    let shown_at = desk.script("return window.__firstSeen").await?;
    let logged_at = counter.script("return window.__firstSeen").await?;
    let (Some(shown_at), Some(logged_at)) = (shown_at.as_f64(), logged_at.as_f64()) else {
        anyhow::bail!("the pages did not note their times: {shown_at:?}, {logged_at:?}");
    };
    let seen_after = Duration::from_secs_f64((shown_at - logged_at).max(0.0) / 1000.0);
    // Issue 16 asks for the measured time: in the test's output.
    eprintln!(
        "team queue: the counter's complaint shown on the other console after {seen_after:?}"
    );
    ensure!(
        seen_after < Duration::from_secs(2),
        "the team queue showed {case_no} {seen_after:?} after the counter logged it, not within 2 s"
    );
    desk.check_screen("team-queue").await?;
    desk.click(&format!("team-take-{case_no}")).await?;
    desk.wait("team-case").await?;
    // The training demo's complaints handler (`Console::seed_training_staff`).
    desk.wait_text("team-case-assignee", "张投诉").await?;
    desk.check_screen("team-case").await?;
    // The first extension (30 days, complex) is the handler's; a second waits for a supervisor.
    // Which one the button offers, and its words, is core's answer (`TeamCase::actions`).
    let zh = Texts::load("zh-CN")?;
    for (reason, offered) in [
        ("案情复杂，需核实商户流水", "extendComplex"),
        ("需调取商户监控录像", "requestExtension"),
    ] {
        desk.wait_state("team-extend", "data-extension", offered)
            .await
            .with_context(|| format!("the extension button offers {offered}"))?;
        ensure!(
            desk.text("team-extend").await? == zh.get(&format!("complaints.{offered}")),
            "the extension button does not say {offered}'s words"
        );
        desk.fill("team-step-text", reason).await?;
        desk.submit("team-extend").await?;
        desk.wait("team-step-done")
            .await
            .with_context(|| format!("extension step {offered}"))?;
    }
    // The request waits for a supervisor: the case says so and offers no third extension.
    desk.wait("team-extension-pending").await?;
    desk.wait_gone("team-extend").await?;

    // A supervisor approves it from the counter's console (either console will do).
    counter.click("sign-out").await?;
    counter.wait("signin-username").await?;
    let supervisor = counter.demo("supervisor")?;
    sign_in(&counter, &supervisor.username, &supervisor.password).await?;
    counter.click("nav-complaints").await?;
    counter.click("complaints-view-pending").await?;
    counter.wait(&format!("team-approve-{case_no}")).await?;
    counter.check_screen("team-pending").await?;
    let due_before = desk.text("team-case-due").await?;
    counter.submit(&format!("team-approve-{case_no}")).await?;
    counter.wait_text("team-pending-done", &case_no).await?;
    // The handler's open case moves to the new due date without a reload (the queue version).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let due = desk.text("team-case-due").await?;
        if due != due_before {
            break;
        }
        ensure!(
            Instant::now() < deadline,
            "the handler's case still shows due {due_before} after the approval"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    counter.click("complaints-view-queue").await?;
    counter.wait(&format!("team-row-{case_no}")).await?;

    // The dispute team shares its queue too. The dispute handler has the team's dispute queue
    // open on one console; the supervisor opens a dispute on the other, on a payment its core
    // holds; the open queue shows it without a reload (the team's queue version), and the
    // handler takes it.
    let disputes_from = Instant::now();
    desk.click("sign-out").await?;
    desk.wait("signin-username").await?;
    let disputes = desk.demo("disputes")?;
    sign_in(&desk, &disputes.username, &disputes.password).await?;
    desk.click("nav-disputes").await?;
    desk.wait("team-dispute-queue").await?;
    let (customer, transaction) = a_payment_out(&counter.training_core()?).await?;
    counter.click("nav-disputes").await?;
    counter.wait("team-dispute-queue").await?;
    counter.click("dispute-new").await?;
    counter.fill("dispute-open-customer", &customer).await?;
    counter.fill("dispute-open-reference", &transaction).await?;
    choose(&counter, "dispute-open-reason", "unauthorised").await?;
    desk.script(&first_seen("[data-testid^=\"team-dispute-row-\"]"))
        .await?;
    counter
        .script(&first_seen("[data-testid=\"team-dispute-title\"]"))
        .await?;
    counter.submit("dispute-open-submit").await?;
    let title = counter.wait_text("team-dispute-title", "TD-").await?;
    let dispute_no = title
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .find(|w| w.starts_with("TD-"))
        .map(str::to_owned)
        .with_context(|| format!("no dispute number in {title:?}"))?;
    counter.check_screen("team-dispute-opened").await?;
    desk.wait(&format!("team-dispute-row-{dispute_no}")).await?;
    let shown_at = desk.script("return window.__firstSeen").await?;
    let opened_at = counter.script("return window.__firstSeen").await?;
    let (Some(shown_at), Some(opened_at)) = (shown_at.as_f64(), opened_at.as_f64()) else {
        anyhow::bail!("the pages did not note their times: {shown_at:?}, {opened_at:?}");
    };
    let seen_after = Duration::from_secs_f64((shown_at - opened_at).max(0.0) / 1000.0);
    eprintln!("team disputes: the dispute shown in the other console's queue after {seen_after:?}");
    ensure!(
        seen_after < Duration::from_secs(2),
        "the team dispute queue showed {dispute_no} {seen_after:?} after it was opened, not within 2 s"
    );
    desk.check_screen("team-dispute-queue").await?;
    desk.click(&format!("team-dispute-take-{dispute_no}"))
        .await?;
    desk.wait("team-dispute-case").await?;
    // The training demo's dispute handler (`Console::seed_training_staff`).
    desk.wait_text("team-dispute-assignee", "赵争议").await?;
    desk.check_screen("team-dispute-case").await?;
    // What the dispute part adds to the journey (issue 16's e2e budget): in the test's output.
    eprintln!(
        "team disputes: the dispute part took {:?}",
        disputes_from.elapsed()
    );

    let mut violations = counter.close().await?;
    violations.extend(desk.close().await?);
    no_violations(violations)
}
