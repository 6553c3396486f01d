//! The elder-assisted setup (长辈版, issue 13) with both of the app's windows open: the staff
//! window runs the onboarding wizard, the customer-facing window shows and reads aloud one step
//! at a time and takes the customer's answers.

use super::{click_first, first_run_setup, no_violations, sign_in};
use anyhow::{Result, bail, ensure};
use fantoccini::wd::WindowHandle;
use std::time::Duration;
use walletdesk_e2e::App;

/// A 72-year-old (born 1954-03-12) and a 68-year-old customer: valid numbers (MOD 11-2).
const ELDER_ID: &str = "110101195403121246";
const SECOND_ELDER_ID: &str = "110101195806151351";
const ELDER_MOBILE: &str = "19955507788";

/// DOMAIN.md "Elderly mode" and issue 13 item 2, measured in the real WebKit view on every
/// visible text and control of the customer window: body >= 18 pt, largest >= 30 pt, line
/// height >= 1.3, sans-serif, targets >= 60 x 60 CSS px, contrast >= 4.5:1 against the
/// nearest opaque background. Answers what broke a number, and the sizes seen.
const MEASURE: &str = r#"
const rgb = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); return m ? m[1].split(',').map(parseFloat) : null; };
const lum = (p) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(p[0]) + 0.7152 * f(p[1]) + 0.0722 * f(p[2]); };
const backdrop = (el) => { for (let e = el; e; e = e.parentElement) { const p = rgb(getComputedStyle(e).backgroundColor);
  if (p && (p.length < 4 || p[3] >= 0.99)) return p; } return [255, 255, 255]; };
const shown = (el) => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
  return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 1 && r.height > 1; };
const name = (el) => el.getAttribute('data-testid') || (el.textContent || '').trim().slice(0, 16) || el.tagName;
const out = { problems: [], minPt: 1e9, maxPt: 0, texts: 0, controls: 0 };
const holders = new Set();
const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walk.nextNode()) { if (walk.currentNode.textContent.trim() !== '') holders.add(walk.currentNode.parentElement); }
for (const el of holders) {
  if (!shown(el)) continue;
  const s = getComputedStyle(el);
  const px = parseFloat(s.fontSize), pt = px * 0.75;
  out.texts++; out.minPt = Math.min(out.minPt, pt); out.maxPt = Math.max(out.maxPt, pt);
  if (pt < 18) out.problems.push(`${name(el)}: ${pt} pt`);
  const spacing = s.lineHeight === 'normal' ? NaN : parseFloat(s.lineHeight) / px;
  // 1/64 px layout units: a 1.3 line height at 36 px measures 46.799999 px.
  if (!(spacing >= 1.3 - 0.001)) out.problems.push(`${name(el)}: line height ${s.lineHeight} at ${px}px`);
  if (!/sans-serif/.test(s.fontFamily) || /(^|,)\s*serif/.test(s.fontFamily)) out.problems.push(`${name(el)}: font ${s.fontFamily}`);
  const a = lum(rgb(s.color)), b = lum(backdrop(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) out.problems.push(`${name(el)}: contrast ${ratio.toFixed(2)}`);
}
for (const el of document.querySelectorAll('button, a[href], input, select, textarea, [role=button], [tabindex]:not([tabindex="-1"])')) {
  if (!shown(el)) continue;
  out.controls++;
  const r = el.getBoundingClientRect();
  if (r.width < 60 || r.height < 60) out.problems.push(`${name(el)}: target ${r.width.toFixed(0)}x${r.height.toFixed(0)}`);
}
if (out.maxPt < 30) out.problems.push(`largest text ${out.maxPt} pt`);
return out;
"#;

/// Measures the customer window as it is now (see [`MEASURE`]), then axe and the screenshot.
async fn measure_customer_window(app: &mut App, screen: &str) -> Result<()> {
    let m = app.script(MEASURE).await?;
    let problems: Vec<String> = m["problems"]
        .as_array()
        .map(|a| a.iter().map(|p| p.to_string()).collect())
        .unwrap_or_default();
    ensure!(
        m["texts"].as_u64().unwrap_or(0) > 0 && m["controls"].as_u64().unwrap_or(0) > 0,
        "{screen}: nothing measured: {m}"
    );
    ensure!(
        problems.is_empty(),
        "{screen}: the customer window breaks DOMAIN.md's numbers: {problems:?}"
    );
    eprintln!(
        "customer window {screen}: {} texts, {} controls, {:.1} to {:.1} pt",
        m["texts"],
        m["controls"],
        m["minPt"].as_f64().unwrap_or(0.0),
        m["maxPt"].as_f64().unwrap_or(0.0)
    );
    app.check_screen(&format!("customer-{screen}")).await
}

/// Records which marked element each click in the page landed on (`window.__clicks`).
const RECORD_CLICKS: &str = "window.__clicks = []; document.addEventListener('click', (e) => { \
    const el = e.target.closest('[data-testid]'); window.__clicks.push(el ? el.dataset.testid : e.target.tagName); \
    }, true); return 1;";

/// The clicks recorded, the session as core holds it now, and whether the page is visible.
const WHAT_CORE_HOLDS: &str = "return window.__TAURI_INTERNALS__.invoke('elder_current', {}).then( \
    (c) => JSON.stringify({ clicks: window.__clicks, coreStep: c ? c.step : null, \
      visibility: document.visibilityState, focused: document.hasFocus() }), \
    (e) => 'elder_current refused: ' + JSON.stringify(e));";

/// The customer window's step title, once it says `needle`.
async fn customer_sees(app: &App, needle: &str) -> Result<()> {
    app.wait_text("elder-title", needle).await.map(|_| ())
}

async fn staff_next(app: &App, staff: &WindowHandle, step: &str) -> Result<()> {
    app.show(staff).await?;
    app.click("elder-next").await?;
    wait_step(app, step).await
}

/// Waits (up to 15 s) for the staff window's session panel to show `step`.
async fn wait_step(app: &App, step: &str) -> Result<()> {
    for _ in 0..75 {
        let now = app
            .script(
                "const s = document.querySelector('[data-testid=\"elder-session\"]'); \
                 return s ? s.dataset.step : null;",
            )
            .await?;
        if now.as_str() == Some(step) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("the staff window never showed the step {step}")
}

async fn answer(app: &App, customer: &WindowHandle, button: &str, then: &str) -> Result<()> {
    app.show(customer).await?;
    app.click(button).await?;
    customer_sees(app, then).await
}

/// Types `value` into the practice payment's field once the customer's window asks for
/// `field` (the form marks which), and submits it.
async fn practice_type(app: &App, field: &str, value: &str) -> Result<()> {
    let mut asked = false;
    for _ in 0..75 {
        let now = app
            .script(
                "const f = document.querySelector('[data-testid=\"elder-practice\"]'); \
                 return f ? f.dataset.field : null;",
            )
            .await?;
        if now.as_str() == Some(field) {
            asked = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    ensure!(asked, "the customer window never asked for the {field}");
    app.fill("elder-practice-input", value).await?;
    app.click("elder-practice-submit").await
}

/// The wizard from the mobile step to the done panel (the teller's part of "open the wallet").
async fn finish_the_wizard(app: &App) -> Result<()> {
    app.fill("onb-mobile", ELDER_MOBILE).await?;
    app.submit("onb-next").await?;
    app.wait("onb-blocked").await?;
    app.submit("onb-send-code").await?;
    let shown = app.wait("onb-training-code").await?.text().await?;
    let code: String = shown.chars().filter(char::is_ascii_digit).collect();
    app.fill("onb-code", &code).await?;
    app.submit("onb-verify-code").await?;
    app.wait("onb-verified").await?;
    app.submit("onb-next").await?;
    app.wait("onboarding-step-checks").await?;
    app.submit("onb-screen").await?;
    app.wait("onb-screening-result").await?;
    app.submit("onb-next").await?;
    app.wait("onboarding-step-consents").await?;
    app.click("onb-consent-general-processing").await?;
    app.click("onb-consent-sensitive-financial").await?;
    app.submit("onb-next").await?;
    app.wait("onboarding-step-wallet").await?;
    app.click("onb-tier-3").await?;
    // The choice is taken once the tier's limits show (as in teller_onboards_a_customer):
    // going on before that left the wizard on this step under load.
    app.wait_text("onb-limits", "20,000").await?;
    app.submit("onb-next").await?;
    app.wait("onboarding-step-preview").await?;
    app.submit("onb-submit").await?;
    app.wait("onboarding-step-done").await?;
    Ok(())
}

#[tokio::test]
async fn elder_setup_with_the_customer_window() -> Result<()> {
    let mut app = App::launch("elder", None).await?;
    first_run_setup(&mut app, false).await?;
    let teller = app.demo("teller")?;
    sign_in(&app, &teller.username, &teller.password).await?;
    app.wait("page-customers").await?;
    app.click("nav-onboarding").await?;
    app.wait("onboarding-step-identity").await?;
    let staff = app.current_window().await?;

    // Elder mode is offered (not started) once the ID shows 72.
    app.fill("onb-name", "王秀英").await?;
    app.fill("onb-resident-id", ELDER_ID).await?;
    app.wait_text("onb-id-facts", "72").await?;
    app.wait_text("elder-panel", "72").await?;
    app.click("onb-id-checked").await?;
    app.click("elder-start").await?;
    wait_step(&app, "welcome").await?;
    app.check_screen("elder-staff-welcome").await?;

    // The second window, facing the customer.
    let customer = app.other_window(&staff).await?;
    app.show(&customer).await?;
    customer_sees(&app, "王秀英，您好").await?;
    measure_customer_window(&mut app, "welcome").await?;

    // The questionnaire: the staff window cannot answer, the customer says "no" four times.
    staff_next(&app, &staff, "question").await?;
    ensure!(
        !app.exists("elder-yes").await?,
        "the staff window has no answer buttons"
    );
    app.show(&customer).await?;
    customer_sees(&app, "第 1 题").await?;
    measure_customer_window(&mut app, "question").await?;
    answer(&app, &customer, "elder-no", "第 2 题").await?;
    answer(&app, &customer, "elder-no", "第 3 题").await?;
    answer(&app, &customer, "elder-no", "第 4 题").await?;
    answer(&app, &customer, "elder-no", "正在为您开通钱包").await?;

    // The teller opens the wallet in the wizard while the customer waits.
    app.show(&staff).await?;
    wait_step(&app, "open_wallet").await?;
    app.submit("onb-next").await?;
    app.wait("onboarding-step-mobile").await?;
    finish_the_wizard(&app).await?;
    staff_next(&app, &staff, "practice").await?;

    // The practice payment, on the customer's window, one field at a time: payee, amount,
    // a wrong password first (explained kindly with the sandbox's count), the right one,
    // then undo.
    app.show(&customer).await?;
    customer_sees(&app, "练习付款：收款人").await?;
    measure_customer_window(&mut app, "practice-payee").await?;
    practice_type(&app, "payee", "社区菜店").await?;
    customer_sees(&app, "练习付款：金额").await?;
    practice_type(&app, "amount", "1.50").await?;
    customer_sees(&app, "练习付款：支付密码").await?;
    measure_customer_window(&mut app, "practice-password").await?;
    practice_type(&app, "password", "000000").await?;
    app.wait_text("elder-customer", "您还可以再试 4 次").await?;
    measure_customer_window(&mut app, "practice-wrong-password").await?;
    ensure!(
        app.utterances()?
            .iter()
            .any(|s| s.contains("您还可以再试 4 次")),
        "the wrong password's kind words were read aloud"
    );
    practice_type(&app, "password", "147258").await?;
    customer_sees(&app, "付款成功（练习）").await?;
    measure_customer_window(&mut app, "practice-paid").await?;
    app.click("elder-practice-undo").await?;
    customer_sees(&app, "已撤销（练习）").await?;
    measure_customer_window(&mut app, "practice-undone").await?;
    // The staff window mirrors it (and has no field to type the customer's password in).
    app.show(&staff).await?;
    app.wait_text("elder-practice-staff", "已撤销").await?;
    ensure!(
        !app.exists("elder-practice-input").await?,
        "the staff window cannot type for the customer"
    );
    app.check_screen("elder-staff-practice").await?;
    staff_next(&app, &staff, "guide").await?;

    // The take-home guide.
    app.script(RECORD_CLICKS).await?;
    app.click("elder-guide").await?;
    let pdf = app.wait_download(".pdf").await?;
    let bytes = std::fs::read(&pdf)?;
    ensure!(bytes.starts_with(b"%PDF"), "the guide is a PDF");
    // Done: the setup is no longer running, so the staff panel goes; the customer sees it.
    app.click("elder-next").await?;
    if let Err(err) = app.wait_gone("elder-session").await {
        // Seen once in CI and a few times under load, not yet explained: say whether the
        // click reached the page and what core holds, so the next failure tells which it was.
        let seen = app.script(WHAT_CORE_HOLDS).await;
        return Err(err.context(format!("after finishing the guide step: {seen:?}")));
    }
    app.show(&customer).await?;
    customer_sees(&app, "办好了").await?;
    measure_customer_window(&mut app, "done").await?;

    // The follow-up calls are in the branch's queue (day 3 and day 14).
    // (The teller opens the queue: in this test the customer window covers the staff
    // window, whose page then does not re-read on its own.)
    app.show(&staff).await?;
    app.click("nav-customers").await?;
    app.wait("page-customers").await?;
    app.click("nav-onboarding").await?;
    app.wait_text("elder-calls", "王秀英").await?;
    app.check_screen("elder-staff-calls").await?;

    // Every step was read aloud.
    let said = app.utterances()?;
    for step in [
        "王秀英，您好",
        "第 1 题",
        "第 2 题",
        "第 3 题",
        "第 4 题",
        "正在为您开通钱包",
        "练习付款：收款人",
        "练习付款：金额",
        "练习付款：支付密码",
        "付款成功（练习）",
        "已撤销（练习）",
        "带回家的说明书",
        "办好了",
    ] {
        ensure!(
            said.iter().any(|s| s.contains(step)),
            "{step:?} was not read aloud: {said:?}"
        );
    }

    // The same journey with one "yes": it stops at once, and only a supervisor (not the
    // teller) lets it go on.
    if app.exists("onb-new").await? {
        app.click("onb-new").await?;
    }
    app.wait("onboarding-step-identity").await?;
    app.fill("onb-name", "李建国").await?;
    app.fill("onb-resident-id", SECOND_ELDER_ID).await?;
    app.wait_text("elder-panel", "68").await?;
    app.click("elder-start").await?;
    wait_step(&app, "welcome").await?;
    staff_next(&app, &staff, "question").await?;
    answer(&app, &customer, "elder-no", "第 2 题").await?;
    app.click("elder-yes").await?;
    customer_sees(&app, "请先暂停一下").await?;
    let stopped = app.text("elder-customer").await?;
    ensure!(
        stopped.contains("不轻信、不透露、不转账") && stopped.contains("96110"),
        "the slogan and the hotline on the stop: {stopped}"
    );
    ensure!(
        !app.exists("elder-no").await?,
        "nothing to answer while stopped"
    );
    measure_customer_window(&mut app, "stopped").await?;
    ensure!(
        app.utterances()?
            .iter()
            .any(|s| s.contains("请先暂停一下") && s.contains("96110")),
        "the stop and the hotline were read aloud"
    );
    app.show(&staff).await?;
    wait_step(&app, "stopped").await?;
    app.wait("elder-stopped").await?;
    let next_disabled = app
        .script("return document.querySelector('[data-testid=\"elder-next\"]').disabled")
        .await?;
    ensure!(
        next_disabled.as_bool() == Some(true),
        "the teller cannot go on past a stop"
    );
    app.check_screen("elder-staff-stopped").await?;

    // A supervisor records the outcome, with a reason, in the approvals inbox.
    app.click("sign-out").await?;
    app.wait("signin-username").await?;
    let supervisor = app.demo("supervisor")?;
    sign_in(&app, &supervisor.username, &supervisor.password).await?;
    app.click("nav-disputes").await?;
    app.wait("page-disputes").await?;
    app.click("disputes-view-approvals").await?;
    app.fill("approvals-note", "主管与顾客核实：是女儿借钱，已电话确认")
        .await?;
    click_first(&app, "elder-cleared-").await?;
    app.wait("approvals-done").await?;
    app.check_screen("elder-supervisor-resolved").await?;
    app.click("sign-out").await?;
    app.wait("signin-username").await?;

    // The teller's session goes on with the next question.
    sign_in(&app, &teller.username, &teller.password).await?;
    app.wait("page-customers").await?;
    app.show(&customer).await?;
    customer_sees(&app, "第 3 题").await?;
    ensure!(
        app.utterances()?
            .iter()
            .filter(|s| s.contains("第 3 题"))
            .count()
            >= 2,
        "the question after the outcome was read aloud"
    );
    no_violations(app.close().await?)
}
