//! A supervisor's Insights in the real window: the dashboard drawn from the core's numbers,
//! filtered to the training demo campaign, seen before and after, a number drilled into (the
//! customers behind it, masked), the table exported as XLSX and the campaign printed as its
//! one-page PDF report. Every screen is checked with axe (the charts carry text
//! alternatives) and for 44 px targets. The dashboard's first paint after its data arrives
//! is printed (docs/performance.md), not asserted.

use super::{first_run_setup, sign_in};
use anyhow::{Context, Result, bail, ensure};
use std::time::{Duration, Instant};
use walletdesk_e2e::{App, TrainingCore};

/// Training mode's demo campaign, its booth and that booth's branch (the sandbox's
/// `seed_demo`).
const CAMPAIGN: &str = "DEMO-SPRING";
const BOOTH: &str = "DEMO-MALL";
const BRANCH: &str = "总行营业部";
const MOBILE: &str = "13912347001";

/// A sign-up at the demo booth made straight at the core, as another booth's console would.
async fn sign_up_at_the_demo_booth(core: &TrainingCore) -> Result<()> {
    let person_key = walletdesk_core::booth::signups::person_key(
        CAMPAIGN,
        &walletdesk_core::domain::Mobile::parse(MOBILE)
            .map_err(|e| anyhow::anyhow!("{MOBILE}: {e:?}"))?,
    );
    let response = reqwest::Client::new()
        .post(format!("{}/v1/signups", core.url))
        .bearer_auth(&core.token)
        .header("Idempotency-Key", "e2e-insights-signup")
        .json(&serde_json::json!({
            "externalId": "7c1e2f6c-1d3a-4c8e-9f70-2a6b8c4d0e99",
            "mobile": MOBILE, "name": "赵洞察",
            "consents": [
                { "scope": "general-processing", "version": "2026-01" },
                { "scope": "sensitive-financial", "version": "2026-01" },
            ],
            "campaign": CAMPAIGN, "booth": BOOTH, "staffId": "booth", "channel": "booth",
            "claim": { "amount": "8.88", "personKey": person_key },
        }))
        .send()
        .await
        .context("POST /v1/signups")?;
    let status = response.status();
    ensure!(
        status.is_success(),
        "sign-up: {status} {}",
        response.text().await.unwrap_or_default()
    );
    Ok(())
}

/// The dashboard's first paint (ms from its last answer to the frame after every chart drew
/// it), once the screen marks it.
async fn first_paint_ms(app: &App) -> Result<f64> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let ms = app
            .script(
                "const d = document.querySelector('[data-testid=\"insight-dashboard\"]'); \
                 return d === null ? null : d.dataset.firstPaintMs ?? null;",
            )
            .await?;
        if let Some(ms) = ms.as_str().and_then(|t| t.parse::<f64>().ok()) {
            return Ok(ms);
        }
        if Instant::now() > deadline {
            bail!("the dashboard never marked its first paint");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The pages of the saved PDF, once WebKit has finished writing it (it starts with %PDF and
/// parses; a half-written file does not).
async fn saved_pdf_pages(app: &App) -> Result<usize> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let file = app.wait_download(".pdf").await?;
        let bytes = std::fs::read(&file)?;
        if bytes.starts_with(b"%PDF")
            && let Ok(doc) = lopdf::Document::load_mem(&bytes)
        {
            return Ok(doc.get_pages().len());
        }
        if Instant::now() > deadline {
            bail!("{} never became a whole PDF", file.display());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[allow(
    clippy::print_stdout,
    reason = "the issue asks for the measured first paint, reported, not asserted"
)]
async fn a_supervisor_sees_the_demo_campaign_before_and_after_drills_in_and_exports_xlsx_and_pdf()
-> Result<()> {
    let started = Instant::now();
    let mut app = App::launch("insights", None).await?;
    first_run_setup(&mut app, false).await?;
    sign_up_at_the_demo_booth(&app.training_core()?).await?;
    let supervisor = app.demo("supervisor")?;
    sign_in(&app, &supervisor.username, &supervisor.password).await?;
    app.click("nav-insights").await?;
    app.wait("page-insights").await?;
    let paint = first_paint_ms(&app).await?;
    println!("insights dashboard: first paint {paint:.1} ms after its data arrived");
    app.wait("insight-trend").await?;
    app.wait("insight-funnel").await?;
    app.check_screen("supervisor-insights").await?;

    app.fill("insight-campaign", CAMPAIGN).await?;
    app.wait("insight-campaign-chart").await?;
    // The demo campaign runs at the head office branch since the seeding day: its sign-up is
    // the one made above, against none the same number of days before.
    let chart = app.wait("insight-campaign-chart").await?;
    let label = chart.attr("aria-label").await?.unwrap_or_default();
    ensure!(
        label.contains("开展网点·活动期 1") && label.contains("开展网点·活动前 0"),
        "the before/after chart says {label:?}"
    );
    app.check_screen("supervisor-insights-campaign").await?;

    // The ranking by branch under the campaign: the head office branch's number, drilled into.
    app.click(&format!("insight-drill-{BRANCH}")).await?;
    app.wait("insight-drill").await?;
    app.wait_text("insight-drill", "139****7001").await?;
    app.check_screen("supervisor-insights-drill").await?;

    app.click("insight-export-xlsx").await?;
    let file = app.wait_download(".xlsx").await?;
    let bytes = std::fs::read(&file)?;
    ensure!(
        bytes.starts_with(b"PK"),
        "an XLSX is a zip: {}",
        file.display()
    );
    app.wait("insight-exported").await?;

    // The campaign's one-page report, saved the same way.
    app.click("insight-report-pdf").await?;
    app.wait("insight-report-printed").await?;
    let pages = saved_pdf_pages(&app).await?;
    ensure!(pages == 1, "the campaign report has {pages} pages");
    app.check_screen("supervisor-insights-report").await?;

    let violations = app.close().await?;
    super::no_violations(violations)?;
    println!("insights journey: {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
