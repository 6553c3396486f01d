//! How long the campaign report (one A4 page, issue 17) takes to build: loading the machine's
//! CJK font, wording the page, laying it out and writing the PDF with the font subset.
//! `cargo bench -p walletdesk-core --bench campaign_report`; numbers go to docs/performance.md.
//! A plain bench binary (no criterion), like the others; the data is a full page (7 tiles,
//! 12 trend points, 5 funnel steps) so nothing is cheaper than what staff print.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::float_arithmetic)]

use std::time::{Duration, Instant};
use walletdesk_core::documents::{self, CjkFont, FontSource};
use walletdesk_core::insights::Metric;
use walletdesk_core::insights::Scope;
use walletdesk_core::insights::dashboard::{
    FunnelStage, InsightCampaignView, InsightFunnel, InsightFunnelStep, InsightPoint, InsightTrend,
};
use walletdesk_core::insights::report::{ReportParts, report_input};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<44} n={:<6} p50={:>9.3?} p99={:>9.3?} max={:>9.3?}",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples[samples.len() - 1]
    );
}

fn view(metric: Metric, during: &str, before: &str) -> InsightCampaignView {
    InsightCampaignView {
        campaign: "DEMO-SPRING".into(),
        name: "春季商场推广".into(),
        metric,
        from: "2026-11-01".into(),
        to: "2026-12-06".into(),
        before_from: "2026-09-26".into(),
        before_to: "2026-10-31".into(),
        branches: vec!["总行营业部".into(), "BJ-001".into()],
        during: Some(during.into()),
        before: Some(before.into()),
        change: Some("12.5".into()),
        without: Some("310".into()),
        won: Some("412".into()),
        as_of: "2026-12-06T10:00:00Z".into(),
        offline_copy: false,
    }
}

fn parts() -> ReportParts {
    let tiles: Vec<_> = Metric::ALL
        .into_iter()
        .map(|m| view(m, "83.3", "74.1"))
        .collect();
    let step = |stage, count, from_this_console| InsightFunnelStep {
        stage,
        count,
        from_this_console,
    };
    ReportParts {
        view: tiles[0].clone(),
        tiles,
        trend: InsightTrend {
            metric: Metric::SignUps,
            from: "2026-11-01".into(),
            to: "2026-12-06".into(),
            as_of: "2026-12-06T10:00:00Z".into(),
            offline_copy: false,
            points: (1..=12)
                .map(|i| InsightPoint {
                    from: format!("2026-11-{i:02}"),
                    to: format!("2026-11-{i:02}"),
                    value: Some((i * 7).to_string()),
                })
                .collect(),
        },
        funnel: InsightFunnel {
            from: "2026-11-01".into(),
            to: "2026-12-06".into(),
            activation_days: 30,
            as_of: "2026-12-06T10:00:00Z".into(),
            offline_copy: false,
            steps: vec![
                step(FunnelStage::Lead, 903, true),
                step(FunnelStage::SignUp, 412, false),
                step(FunnelStage::Verified, 388, true),
                step(FunnelStage::Activated, 301, false),
                step(FunnelStage::Active, 287, false),
            ],
        },
        scope: Scope::Everything,
        printed_by: "王主管".into(),
        printed_at: chrono::Utc::now(),
    }
}

fn main() {
    let parts = parts();
    let mut load = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        CjkFont::load(&FontSource::System).unwrap();
        load.push(t.elapsed());
    }
    report("font: find, read and check the CJK face", load);

    let font = CjkFont::load(&FontSource::System).unwrap();
    let mut build = Vec::new();
    let mut size = 0;
    for _ in 0..100 {
        let t = Instant::now();
        let input = report_input(&parts).unwrap();
        size = documents::campaign_report_with(&input, &font)
            .unwrap()
            .len();
        build.push(t.elapsed());
    }
    report("report: word, lay out, write (font loaded)", build);

    // What the command does each time: the font is loaded per document, as for the letters.
    let mut whole = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let input = report_input(&parts).unwrap();
        documents::campaign_report(&input).unwrap();
        whole.push(t.elapsed());
    }
    report("report: as the command builds it (font too)", whole);
    println!("the PDF is {size} bytes");
    // To look at the page: `CAMPAIGN_REPORT_OUT=/tmp/report.pdf cargo bench … campaign_report`.
    if let Some(path) = std::env::var_os("CAMPAIGN_REPORT_OUT") {
        let input = report_input(&parts).unwrap();
        std::fs::write(&path, documents::campaign_report(&input).unwrap()).unwrap();
        println!("written to {}", std::path::Path::new(&path).display());
    }
}
