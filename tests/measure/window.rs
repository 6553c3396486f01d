//! Measures the app's quality bars in the real window (BRIEF.md): run by
//! scripts/measure-window.sh, which builds and names the binary (WALLETDESK_APP_BIN, the
//! release build) and gives the display. Prints the numbers; asserts none (a measurement, not
//! a test: speed is never asserted on a shared machine).
//!  1. first paint: process start (from /proc) to the page's first contentful paint
//!     (`performance` paint timing), on a first run and on a second start;
//!  2. idle memory: PSS of the app process and its WebKit child processes after 20 s on the
//!     first screen after sign-in (the teller's Customers screen);
//!  3. keystroke to paint on customer search over 1,000,000 customers in the read model: from
//!     the input event of each key (its timeStamp) to the first animation frame after the
//!     results for that text are in the DOM.
//!
//! Run: `scripts/measure-window.sh` (see there); `MEASURE_CUSTOMERS` changes the read model
//! size (0: the training sandbox's few hundred only), `MEASURE_KEYS` the number of keystrokes.
#![allow(clippy::print_stdout, reason = "a measurement prints its numbers")]
#![allow(
    clippy::float_arithmetic,
    reason = "times in milliseconds and percentiles"
)]

use anyhow::{Context, Result, anyhow, ensure};
use serde_json::Value;
use sqlx::{QueryBuilder, Sqlite};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::customers::{name_initials, name_pinyin};
use walletdesk_core::store::Store;
use walletdesk_core::sync::readmodel;
use walletdesk_e2e::App;

const ADMIN_PASSWORD: &str = "measure-admin-pass-2026";

#[tokio::main]
async fn main() -> Result<()> {
    let customers: u32 = env_number("MEASURE_CUSTOMERS", 1_000_000);
    let keys: usize = env_number("MEASURE_KEYS", 60);
    let bin = PathBuf::from(
        std::env::var_os("WALLETDESK_APP_BIN").context("WALLETDESK_APP_BIN: the app binary")?,
    )
    .canonicalize()?;

    // An hour's idle lock: the 20 s idle wait and the typing must not lock the screen.
    let app = App::launch("measure", Some(3600)).await?;
    let first_run = first_paint_ms(&app, &bin).await?;
    app.wait("setup-username").await?;
    app.fill("setup-username", "admin").await?;
    app.fill("setup-display-name", "Admin").await?;
    app.fill("setup-password", ADMIN_PASSWORD).await?;
    app.fill("setup-password-confirm", ADMIN_PASSWORD).await?;
    app.submit("setup-submit").await?;
    app.wait("signin-username").await?;

    // A second start on the same data folder: what a teller sees every morning. The million
    // customers are written while the app is down: the running app holds its store open.
    let mut app = app
        .relaunch_after(|dir| async move {
            if customers > 0 {
                let started = Instant::now();
                seed(&dir, customers).await?;
                println!(
                    "seeded {customers} customers into the app's read model in {:.0} s",
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(())
        })
        .await?;
    app.wait("signin-username").await?;
    let second_run = first_paint_ms(&app, &bin).await?;
    println!(
        "first paint (process start to first contentful paint): first run {first_run} ms, second start {second_run} ms"
    );

    let teller = app.demo("teller")?;
    app.fill("signin-username", &teller.username).await?;
    app.fill("signin-password", &teller.password).await?;
    app.submit("signin-submit").await?;
    app.wait("customer-search").await?;
    tokio::time::sleep(Duration::from_secs(20)).await;
    let pid = app_pid(&bin)?;
    let mut total = 0;
    for (p, name) in std::iter::once((pid, "walletdesk".to_owned())).chain(children(pid)) {
        let kb = pss_kb(p);
        println!("  pid {p} {name}: {} MB PSS", kb / 1024);
        total += kb;
    }
    println!(
        "idle memory, 20 s on the first screen after sign-in (PSS, app + WebKit): {} MB",
        total / 1024
    );

    if keys > 0 {
        keystrokes(&mut app, keys).await?;
    }
    finish(app).await
}

async fn finish(app: App) -> Result<()> {
    app.close().await?;
    Ok(())
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Milliseconds from the app process's start to the page's first contentful paint, both on
/// the wall clock: the page's time origin plus its paint entry, and the process's start
/// (clock ticks since boot, in /proc) placed on the wall clock through /proc/uptime.
async fn first_paint_ms(app: &App, bin: &Path) -> Result<i64> {
    let js = "const p = performance.getEntriesByName('first-contentful-paint')[0] \
              || performance.getEntriesByType('paint')[0]; \
              return [performance.timeOrigin, p ? p.startTime : null];";
    let mut painted = None;
    for _ in 0..100 {
        let v = app.script(js).await?;
        if let (Some(origin), Some(paint)) = (v[0].as_f64(), v[1].as_f64()) {
            painted = Some(origin + paint);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let painted = painted.ok_or_else(|| anyhow!("no paint timing entry"))?;
    let started = process_start_epoch_ms(app_pid(bin)?)?;
    #[allow(clippy::cast_possible_truncation, reason = "milliseconds")]
    Ok((painted - started) as i64)
}

fn process_start_epoch_ms(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Field 22 (starttime), counted after the command name in parentheses.
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let ticks: f64 = after
        .split_whitespace()
        .nth(19)
        .and_then(|s| s.parse().ok())
        .context("starttime")?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")?
        .split_whitespace()
        .next()
        .and_then(|s| s.parse().ok())
        .context("uptime")?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs_f64();
    // USER_HZ is 100 on Linux.
    Ok((now - uptime + ticks / 100.0) * 1000.0)
}

/// The app process: the one running this binary (WebKitWebDriver started it).
fn app_pid(bin: &Path) -> Result<u32> {
    procs()
        .filter(|&p| std::fs::read_link(format!("/proc/{p}/exe")).is_ok_and(|exe| exe == bin))
        .max()
        .ok_or_else(|| anyhow!("no process runs {}", bin.display()))
}

fn procs() -> impl Iterator<Item = u32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
}

/// The app's child processes (WebKit's web and network processes).
fn children(pid: u32) -> Vec<(u32, String)> {
    procs()
        .filter_map(|p| {
            let status = std::fs::read_to_string(format!("/proc/{p}/status")).ok()?;
            let field = |name: &str| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(name))
                    .map(|v| v.trim().to_owned())
            };
            (field("PPid:")? == pid.to_string()).then(|| (p, field("Name:").unwrap_or_default()))
        })
        .collect()
}

fn pss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Pss:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
];
const AREAS: &[&str] = &["110105", "310104", "440305", "330106", "510107"];

/// Writes `count` customers into the running app's read model (the encrypted store, opened
/// with the data key beside it), in one transaction, as crates/core/benches/search.rs does.
async fn seed(dir: &Path, count: u32) -> Result<()> {
    let key = DataKey::from_hex(&std::fs::read_to_string(dir.join("data.key"))?)
        .ok_or_else(|| anyhow!("data.key is not a 256-bit hex key"))?;
    let store = Store::open_encrypted(&dir.join("walletdesk.sqlite"), &key).await?;
    let sealer = Sealer::new(&key);
    let mut state: u64 = 42;
    let mut next = move |n: usize| {
        // A small LCG: the same customers every run, no dependency for it.
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap_or(0) % n
    };
    let mut tx = store.begin().await?;
    let batch = 1000u32;
    for start in (0..count).step_by(batch as usize) {
        let rows: Vec<(String, String, String, &str, String)> = (start..count.min(start + batch))
            .map(|n| {
                let name = format!(
                    "{}{}{}",
                    SURNAMES[next(SURNAMES.len())],
                    GIVEN[next(GIVEN.len())],
                    if next(2) == 0 {
                        GIVEN[next(GIVEN.len())]
                    } else {
                        ""
                    }
                );
                (
                    format!("9{n:09}"),
                    name,
                    format!("1{}{:09}", 3 + n % 7, 500_000_000 + n),
                    AREAS[next(AREAS.len())],
                    format!("{:04}", next(10_000)),
                )
            })
            .collect();
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO core_customers (id, name, masked_resident_id, id_first6, id_last4, \
             mobile, birth_date_sealed, sex, created_at, cursor, name_initials, name_pinyin) ",
        );
        let mut sealed = Vec::with_capacity(rows.len());
        for (id, ..) in &rows {
            sealed.push(
                readmodel::seal_birth_date(&sealer, id, "1980-01-01")?
                    .ok_or_else(|| anyhow!("sealing a birth date"))?,
            );
        }
        insert.push_values(
            rows.iter().zip(sealed),
            |mut row, ((id, name, mobile, first6, last4), sealed)| {
                row.push_bind(id.clone())
                    .push_bind(name.clone())
                    .push_bind(format!("{first6}********{last4}"))
                    .push_bind(*first6)
                    .push_bind(last4.clone())
                    .push_bind(mobile.clone())
                    .push_bind(sealed)
                    .push_bind("male")
                    .push_bind("2025-01-01T00:00:00Z")
                    .push_bind(id.clone())
                    .push_bind(name_initials(name))
                    .push_bind(name_pinyin(name));
            },
        );
        insert.build().execute(&mut *tx).await?;
    }
    // The planner's statistics, as the app's own migrations leave them; the read pool is
    // read-only, so on the write connection.
    sqlx::query("ANALYZE").execute(&mut *tx).await?;
    tx.commit().await?;
    // Checkpointed and closed, as the app leaves its store at exit: the app's next start must
    // not replay a WAL of a million rows first.
    store.close().await;
    Ok(())
}

/// Listens in the page: each input event on the search field notes the text and its time;
/// when the results section says it shows that text's hits (data-shown-query), the next
/// animation frame closes the measurement.
const PROBE: &str = r#"
const input = document.querySelector('[data-testid="customer-search"]');
const section = document.getElementById('customer-results');
window.__k2p = { done: [], pending: [] };
const check = () => {
  const shown = section.getAttribute('data-shown-query');
  const p = window.__k2p.pending;
  let last = -1;
  p.forEach((k, i) => { if (k.text === shown) last = i; });
  if (last < 0) return;
  // This text's hits are in the DOM: it and every key before it (whose own hits were
  // overtaken) are painted at the next frame.
  const keys = p.splice(0, last + 1);
  requestAnimationFrame(() => {
    const now = performance.now();
    keys.forEach((k) => window.__k2p.done.push(now - k.at));
  });
};
input.addEventListener('input', (e) => {
  // A cleared field shows no results: nothing to wait for.
  const text = e.target.value.trim();
  if (text !== '') window.__k2p.pending.push({ text, at: e.timeStamp });
}, true);
new MutationObserver(check).observe(section, { attributes: true, childList: true, subtree: true });
return true;
"#;

async fn keystrokes(app: &mut App, keys: usize) -> Result<()> {
    app.script(PROBE).await?;
    let field = app.wait("customer-search").await?;
    // Texts a teller types (the seeded mobiles are 1[3-9]5000…): mobile prefixes, names,
    // pinyin initials, ID fragments; each typed key by key, then cleared.
    let texts = [
        "1350001", "王芳", "wf", "zhl", "110105", "1750002", "李娜", "cj", "4421",
    ];
    let mut typed = 0;
    'outer: loop {
        for text in texts {
            for ch in text.chars() {
                field.send_keys(&ch.to_string()).await?;
                // A teller's pace (about 5 keys a second) gives each key its own answer.
                tokio::time::sleep(Duration::from_millis(200)).await;
                typed += 1;
                if typed >= keys {
                    break 'outer;
                }
            }
            field.send_keys("\u{E009}a\u{E000}\u{E003}").await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let done = app.script("return window.__k2p.done;").await?;
    let mut ms: Vec<f64> = done
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    ensure!(!ms.is_empty(), "no keystroke was measured");
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "an index into a short list"
        )]
        let i = ((ms.len() - 1) as f64 * p).round() as usize;
        ms[i]
    };
    println!(
        "keystroke to paint, customer search over the read model ({} of {typed} keys measured): \
         p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        ms.len(),
        at(0.5),
        at(0.95),
        ms[ms.len() - 1]
    );
    Ok(())
}
