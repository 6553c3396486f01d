//! Harness for the end-to-end suite: starts `tauri-driver` (which starts WebKitWebDriver, which
//! starts the real app binary), opens a WebDriver session on the app window, and offers the few
//! verbs the journeys need. Every WebDriver call has a deadline: without a display the driver
//! hangs instead of failing, and a hung suite is worse than a red one.

use anyhow::{Context, Result, anyhow, bail, ensure};
use fantoccini::wd::WindowHandle;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const STEP: Duration = Duration::from_secs(15);
/// The recording sink's file in a launch's data folder: one JSON line per utterance.
const SPEECH_LOG: &str = "speech.jsonl";

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn app_binary() -> Result<PathBuf> {
    let path = match std::env::var_os("WALLETDESK_APP_BIN") {
        Some(p) => PathBuf::from(p),
        None => {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| repo_root().join("target"));
            target.join("debug").join("walletdesk")
        }
    };
    if !path.exists() {
        bail!(
            "app binary {} not found: build it first (cargo build -p walletdesk-app), or run scripts/test.sh",
            path.display()
        );
    }
    Ok(path)
}

fn tauri_driver() -> PathBuf {
    let home_bin = std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver"))
        .filter(|p| p.exists());
    home_bin.unwrap_or_else(|| PathBuf::from("tauri-driver"))
}

/// Texts from the UI's locale files, so assertions check the real translation, not a copy.
#[derive(Debug)]
pub struct Texts(Value);

impl Texts {
    pub fn load(locale: &str) -> Result<Texts> {
        let path = repo_root().join(format!("ui/src/i18n/{locale}.json"));
        let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
        Ok(Texts(serde_json::from_str(&text)?))
    }

    /// A dotted key such as "errors.bad_credentials"; interpolations like {{n}} are cut off
    /// at the first one, so the returned prefix can be matched with `contains`.
    pub fn get(&self, key: &str) -> String {
        let mut node = &self.0;
        for part in key.split('.') {
            node = &node[part];
        }
        let text = node
            .as_str()
            .unwrap_or_else(|| panic!("no text for key {key}"));
        text.split("{{").next().unwrap_or(text).trim().to_owned()
    }
}

#[derive(Debug, Clone)]
pub struct Credential {
    pub username: String,
    pub password: String,
}

/// The embedded sandbox core of a training-mode launch.
#[derive(Debug, Clone)]
pub struct TrainingCore {
    pub url: String,
    pub token: String,
}

/// One app window at a time: the journeys share one display and a 2-core machine, and the test
/// harness runs tests in parallel. (An async mutex: the guard lives across the whole journey, and
/// it does not poison, so a failed journey does not fail the rest.)
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// One running app with its own fresh data folder, driven over WebDriver.
#[derive(Debug)]
pub struct App {
    /// Held for the app's life; `relaunch` hands it on to the next app.
    one_window: Option<tokio::sync::MutexGuard<'static, ()>>,
    pub client: Client,
    driver: Child,
    pub data_dir: tempfile::TempDir,
    /// Where the app's downloads (letters, receipts, exports) land: inside the launch's own
    /// temporary folder, never the repository.
    pub downloads: PathBuf,
    screens: PathBuf,
    pub name: String,
    pub violations: Vec<String>,
    idle_lock_secs: Option<u32>,
    /// Extra environment for the app (team mode's server and secrets), kept for relaunches.
    env: Vec<(String, String)>,
}

impl App {
    /// Starts the app in training mode. `idle_lock_secs` overrides the idle lock.
    pub async fn launch(name: &str, idle_lock_secs: Option<u32>) -> Result<App> {
        let one_window = ONE_WINDOW.lock().await;
        let data_dir = tempfile::tempdir()?;
        App::start(Some(one_window), name, idle_lock_secs, data_dir, Vec::new()).await
    }

    /// Two apps at once, each with its own data folder, both given `env`: two consoles of one
    /// team (team mode). The pair holds the one-window lock together, so no other journey
    /// runs beside them.
    pub async fn launch_pair(names: [&str; 2], env: &[(&str, &str)]) -> Result<(App, App)> {
        let one_window = ONE_WINDOW.lock().await;
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let first = App::start(
            Some(one_window),
            names[0],
            None,
            tempfile::tempdir()?,
            env.clone(),
        )
        .await?;
        let second = App::start(None, names[1], None, tempfile::tempdir()?, env).await?;
        Ok((first, second))
    }

    /// Ends the app as a crash or a power cut would (its whole process group, no goodbye) and
    /// starts it again on the same data folder: what was saved must still be there. The axe
    /// violations found so far are carried over.
    pub async fn relaunch(self) -> Result<App> {
        self.relaunch_after(|_| async { Ok(()) }).await
    }

    /// [`App::relaunch`], with `between` run on the data folder while the app is down: for
    /// work on the store the running app holds open (seeding a large read model).
    pub async fn relaunch_after<F, Fut>(mut self, between: F) -> Result<App>
    where
        F: FnOnce(PathBuf) -> Fut,
        Fut: std::future::Future<Output = Result<()>>,
    {
        let one_window = self.one_window.take();
        let data_dir = std::mem::replace(&mut self.data_dir, tempfile::tempdir()?);
        let name = self.name.clone();
        let idle_lock_secs = self.idle_lock_secs;
        let env = std::mem::take(&mut self.env);
        let violations = std::mem::take(&mut self.violations);
        // Drop ends the driver, WebKitWebDriver and the app, and removes only the placeholder.
        drop(self);
        between(data_dir.path().to_path_buf()).await?;
        let one_window = match one_window {
            Some(guard) => guard,
            None => ONE_WINDOW.lock().await,
        };
        let mut app = App::start(Some(one_window), &name, idle_lock_secs, data_dir, env).await?;
        app.violations = violations;
        Ok(app)
    }

    async fn start(
        one_window: Option<tokio::sync::MutexGuard<'static, ()>>,
        name: &str,
        idle_lock_secs: Option<u32>,
        data_dir: tempfile::TempDir,
        env: Vec<(String, String)>,
    ) -> Result<App> {
        let app = app_binary()?;
        let downloads = data_dir.path().join("downloads");
        let xdg_config = data_dir.path().join("xdg-config");
        std::fs::create_dir_all(&downloads)?;
        std::fs::create_dir_all(&xdg_config)?;
        // WebKit saves a download to the XDG download folder (read from user-dirs.dirs, not
        // from the environment) or, without one, to the working directory: the test's, which
        // is tests/ in the repository. Both point into this launch's folder.
        std::fs::write(
            xdg_config.join("user-dirs.dirs"),
            format!("XDG_DOWNLOAD_DIR=\"{}\"\n", downloads.display()),
        )?;
        let mut last_error = None;
        // Later tries are for a driver that died at start-up for a reason outside this
        // harness; the known causes (a port taken, a WebKitWebDriver not listening yet) are
        // ruled out before the first. Once (CI, after 12 journeys) WebKitWebDriver reset the
        // new-session request twice in a row, a second apart, and answered nothing else: so
        // there are three tries, each after a longer pause, and each failure says which of the
        // chain's processes were still alive.
        for attempt in 1..=LAUNCH_ATTEMPTS {
            if attempt > 1 {
                tokio::time::sleep(Duration::from_secs(2 * u64::from(attempt))).await;
            }
            let mut driver = spawn_driver(data_dir.path(), &xdg_config, idle_lock_secs, &env)?;
            match new_session(&mut driver, &app, data_dir.path()).await {
                Ok(client) => {
                    let screens = repo_root().join("target/e2e-screens");
                    std::fs::create_dir_all(&screens)?;
                    return Ok(App {
                        one_window,
                        client,
                        driver: driver.child,
                        data_dir,
                        downloads,
                        screens,
                        name: name.to_owned(),
                        violations: Vec::new(),
                        idle_lock_secs,
                        env,
                    });
                }
                Err(err) => {
                    let alive = group_members(driver.child.id());
                    eprintln!(
                        "{name}: starting the app window, attempt {attempt} of \
                         {LAUNCH_ATTEMPTS}: {err:#} (still running: {alive})"
                    );
                    end_process_group(&mut driver.child);
                    last_error = Some(err);
                }
            }
        }
        Err(last_error.unwrap_or_else(|| anyhow!("the app window did not start")))
    }

    /// The demo staff the app created on first start (training mode).
    pub fn demo(&self, username: &str) -> Result<Credential> {
        let path = self.data_dir.path().join("training-credentials.txt");
        let text = std::fs::read_to_string(&path).context("training credentials file")?;
        text.lines()
            .filter_map(|line| {
                let cols: Vec<&str> = line.split_whitespace().collect();
                (cols.len() == 3 && cols[1] == username).then(|| Credential {
                    username: cols[1].to_owned(),
                    password: cols[2].to_owned(),
                })
            })
            .next()
            .ok_or_else(|| anyhow!("no demo account {username} in {}", path.display()))
    }

    /// The training core this launch started: its address and token, for a test that talks
    /// to it directly (fault injection, a sign-up at another booth).
    pub fn training_core(&self) -> Result<TrainingCore> {
        let path = self.data_dir.path().join("training-core.txt");
        let text = std::fs::read_to_string(&path).context("training core file")?;
        let mut cols = text.split_whitespace();
        match (cols.next(), cols.next()) {
            (Some(url), Some(token)) => Ok(TrainingCore {
                url: url.trim_end_matches('/').to_owned(),
                token: token.to_owned(),
            }),
            _ => Err(anyhow!("{} holds no address and token", path.display())),
        }
    }

    fn css(testid: &str) -> String {
        format!("[data-testid=\"{testid}\"]")
    }

    pub async fn wait(&self, testid: &str) -> Result<fantoccini::elements::Element> {
        let css = Self::css(testid);
        let found = tokio::time::timeout(
            STEP + Duration::from_secs(5),
            self.client
                .wait()
                .at_most(STEP)
                .every(Duration::from_millis(100))
                .for_element(Locator::Css(&css)),
        )
        .await
        .map_err(|_| anyhow!("timed out waiting for {testid}"))
        .and_then(|r| r.with_context(|| format!("element {testid} did not appear")));
        if found.is_err() {
            // What was on screen instead is the first thing anyone debugging this asks.
            if let Ok(Ok(png)) = tokio::time::timeout(STEP, self.client.screenshot()).await {
                let _ = std::fs::write(
                    self.screens
                        .join(format!("{}-FAILED-waiting-for-{testid}.png", self.name)),
                    png,
                );
            }
        }
        found
    }

    /// Waits until the element carries `attr="value"`: the state a screen marks (a list's
    /// `aria-busy`, a row's `aria-current`), so a step acts only once that state holds.
    pub async fn wait_state(&self, testid: &str, attr: &str, value: &str) -> Result<()> {
        let css = format!("{}[{attr}=\"{value}\"]", Self::css(testid));
        tokio::time::timeout(
            STEP + Duration::from_secs(5),
            self.client
                .wait()
                .at_most(STEP)
                .every(Duration::from_millis(100))
                .for_element(Locator::Css(&css)),
        )
        .await
        .map_err(|_| anyhow!("timed out waiting for {testid} to be {attr}={value}"))?
        .with_context(|| format!("{testid} never became {attr}={value}"))?;
        Ok(())
    }

    pub async fn exists(&self, testid: &str) -> Result<bool> {
        let found =
            tokio::time::timeout(STEP, self.client.find_all(Locator::Css(&Self::css(testid))))
                .await
                .map_err(|_| anyhow!("timed out looking for {testid}"))??;
        Ok(!found.is_empty())
    }

    pub async fn click(&self, testid: &str) -> Result<()> {
        let el = self.wait(testid).await?;
        tokio::time::timeout(STEP, el.click())
            .await
            .map_err(|_| anyhow!("timed out clicking {testid}"))?
            .with_context(|| format!("click {testid}"))
    }

    pub async fn fill(&self, testid: &str, text: &str) -> Result<()> {
        let el = self.wait(testid).await?;
        // Clear with keystrokes, as a person would: WebDriver's own "clear" changes the DOM
        // value behind React's back and the old text comes back on the next key.
        const SELECT_ALL_AND_DELETE: &str = "\u{E009}a\u{E000}\u{E003}";
        // An input can be in the page a moment before it takes focus (a screen still laying
        // out on a busy machine answers "Element is not focusable"): wait for it, as a person
        // would, within the step's time.
        let deadline = Instant::now() + STEP;
        let mut el = el;
        loop {
            let typed = tokio::time::timeout(STEP, async {
                el.send_keys(SELECT_ALL_AND_DELETE).await?;
                el.send_keys(text).await
            })
            .await
            .map_err(|_| anyhow!("timed out typing into {testid}"))?;
            match typed {
                Ok(()) => break,
                Err(err)
                    if Instant::now() < deadline && err.to_string().contains("not focusable") =>
                {
                    tokio::time::sleep(Duration::from_millis(150)).await;
                    el = self.wait(testid).await?;
                }
                Err(err) => return Err(err).with_context(|| format!("type into {testid}")),
            }
        }
        let now = self.value(testid).await?;
        ensure!(now == text, "{testid} holds {now:?} after typing {text:?}");
        Ok(())
    }

    /// Clicks a submit button and waits until its request has finished (antd shows a
    /// loading state meanwhile), so the next step sees this answer, not the previous one.
    pub async fn submit(&self, testid: &str) -> Result<()> {
        self.click(testid).await?;
        tokio::time::sleep(Duration::from_millis(250)).await;
        let deadline = Instant::now() + STEP;
        loop {
            // Looked up and read in one script: between a find and a separate read, the page
            // can replace the button (set-up becoming sign-in), and the read then fails on a
            // node that is gone. A button that went away (the lock screen after unlocking)
            // is done.
            let class = self
                .script(&format!(
                    "const b = document.querySelector({:?}); return b === null ? null : String(b.className);",
                    Self::css(testid)
                ))
                .await?;
            match class.as_str() {
                None => return Ok(()),
                Some(class) if !class.contains("ant-btn-loading") => return Ok(()),
                Some(_) => {}
            }
            if Instant::now() > deadline {
                bail!("{testid} still busy after {STEP:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until a download whose name ends with `suffix` has finished in this launch's
    /// download folder, and returns its path.
    pub async fn wait_download(&self, suffix: &str) -> Result<PathBuf> {
        let deadline = Instant::now() + STEP;
        loop {
            for entry in std::fs::read_dir(&self.downloads)? {
                let path = entry?.path();
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                // WebKit writes to a temporary name and renames when done.
                if name.ends_with(suffix) && std::fs::metadata(&path)?.len() > 0 {
                    return Ok(path);
                }
            }
            if Instant::now() > deadline {
                bail!(
                    "no {suffix} download in {} after {STEP:?}",
                    self.downloads.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn text(&self, testid: &str) -> Result<String> {
        let el = self.wait(testid).await?;
        Ok(tokio::time::timeout(STEP, el.text()).await??)
    }

    pub async fn value(&self, testid: &str) -> Result<String> {
        let el = self.wait(testid).await?;
        Ok(tokio::time::timeout(STEP, el.prop("value"))
            .await??
            .unwrap_or_default())
    }

    /// Waits until the element's text contains `needle`.
    pub async fn wait_text(&self, testid: &str, needle: &str) -> Result<String> {
        let deadline = Instant::now() + STEP;
        loop {
            let text = self.text(testid).await.unwrap_or_default();
            if text.contains(needle) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                let seen = self.on_failure(&format!("text-of-{testid}")).await;
                bail!("{testid} shows {text:?}, expected it to contain {needle:?}{seen}");
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// What a failed wait reports beyond its own words: a screenshot (saved beside the
    /// screens as `<name>-FAILED-<what>.png`) and the alerts the page shows, since an error
    /// message on screen is usually why the awaited state never came.
    async fn on_failure(&self, what: &str) -> String {
        if let Ok(Ok(png)) = tokio::time::timeout(STEP, self.client.screenshot()).await {
            let _ = std::fs::write(
                self.screens
                    .join(format!("{}-FAILED-{what}.png", self.name)),
                png,
            );
        }
        let alerts = self
            .script(
                "return Array.from(document.querySelectorAll('[role=alert], .ant-alert')) \
                 .map(a => a.textContent.trim()).filter(t => t).join(' | ');",
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        if alerts.is_empty() {
            String::new()
        } else {
            format!(" (alerts on screen: {alerts})")
        }
    }

    pub async fn wait_gone(&self, testid: &str) -> Result<()> {
        let deadline = Instant::now() + STEP;
        while self.exists(testid).await? {
            if Instant::now() > deadline {
                let seen = self.on_failure(&format!("gone-{testid}")).await;
                bail!("{testid} is still on screen{seen}");
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        Ok(())
    }

    pub async fn script(&self, js: &str) -> Result<Value> {
        tokio::time::timeout(STEP, self.client.execute(js, vec![]))
            .await
            .map_err(|_| anyhow!("script timed out"))?
            .context("execute script")
    }

    /// Runs axe-core (WCAG 2.0-2.2 A and AA rules) on the page as it is now, saves a
    /// screenshot named after the screen, and records any violation for the final verdict.
    pub async fn check_screen(&mut self, screen: &str) -> Result<()> {
        // Let fonts, transitions and antd's motion settle, so the screenshot shows the screen
        // and axe does not judge a colour half way through a transition (a hovered button
        // measured mid-fade on a busy machine). Spinners never end: the wait is bounded.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            // A read that fails ("Could not parse script result", seen once on a loaded
            // machine while the page re-rendered) counts as not settled yet: this is a bounded
            // wait, and axe and the screenshot below report what the screen really shows.
            let moving = self
                .script(
                    "return document.getAnimations().filter(a => a.playState === 'running' \
                     && !(a.effect && a.effect.getTiming && a.effect.getTiming().iterations === Infinity)).length",
                )
                .await;
            if matches!(moving, Ok(ref n) if n.as_u64() == Some(0)) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let violations = self.axe().await?;
        for v in &violations {
            self.violations.push(format!("{}/{screen}: {v}", self.name));
        }
        for small in self.small_targets().await? {
            self.violations.push(format!(
                "{}/{screen}: target under 44 x 44 px: {small}",
                self.name
            ));
        }
        let png = tokio::time::timeout(STEP, self.client.screenshot()).await??;
        std::fs::write(
            self.screens.join(format!("{}-{screen}.png", self.name)),
            png,
        )?;
        Ok(())
    }

    /// Every visible interactive element whose hit area is under 44 x 44 CSS px, measured in
    /// the real window (DOMAIN.md: 44 x 44 outside elder mode; axe checks only WCAG's 24).
    /// The hit area of a checkbox or radio includes its label, of an antd input its visible box.
    /// Skipped: what is inert or hidden (under the lock screen), screen-reader-only text
    /// (1 px), and links inside running text (WCAG 2.5.8's inline exception).
    pub async fn small_targets(&self) -> Result<Vec<String>> {
        let found = self
            .script(
                r#"
            const sel = 'button, a[href], input:not([type=hidden]), select, textarea, [role=button], ' +
              '[role=tab], [role=link], [role=menuitem], [role=switch], [role=checkbox], [role=radio], ' +
              '[role=option], [tabindex]:not([tabindex="-1"])';
            const boxes = '.ant-input-affix-wrapper, .ant-picker, .ant-select, .ant-input-number, ' +
              '.ant-checkbox-wrapper, .ant-radio-wrapper, .ant-segmented-item, label';
            const out = [];
            for (const el of document.querySelectorAll(sel)) {
              if (el.closest('[inert], [aria-hidden="true"], .ant-select-dropdown-hidden')) continue;
              const target = el.matches('input, [role=radio], [role=checkbox]') ? (el.closest(boxes) || el) : el;
              const style = getComputedStyle(target);
              if (style.visibility === 'hidden' || style.display === 'none') continue;
              let r = target.getBoundingClientRect();
              // A native checkbox or radio is also hit through its <label for>.
              if (target === el && el.matches('input[type=checkbox], input[type=radio]') && el.labels.length > 0) {
                const l = el.labels[0].getBoundingClientRect();
                const left = Math.min(r.left, l.left), top = Math.min(r.top, l.top);
                r = { width: Math.max(r.right, l.right) - left, height: Math.max(r.bottom, l.bottom) - top };
              }
              if (r.width <= 1 || r.height <= 1) continue;
              if (el.matches('a') && getComputedStyle(el).display === 'inline' && el.closest('p, li, td')) continue;
              if (r.width < 43.5 || r.height < 43.5) {
                const name = el.getAttribute('data-testid') || el.getAttribute('aria-label') ||
                  (el.textContent || '').trim().slice(0, 20) || el.className;
                out.push(`${el.tagName.toLowerCase()} "${name}" ${r.width.toFixed(0)}x${r.height.toFixed(0)}`);
              }
            }
            return out;
            "#,
            )
            .await?;
        Ok(found
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// axe-core's WCAG violations on the page as it is now.
    pub async fn axe(&self) -> Result<Vec<Value>> {
        let loaded = self.script("return typeof window.axe === 'object'").await?;
        if loaded != Value::Bool(true) {
            let axe =
                std::fs::read_to_string(repo_root().join("ui/node_modules/axe-core/axe.min.js"))
                    .context("axe-core (npm ci in ui/)")?;
            self.script(&axe).await?;
        }
        let run = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] })
              .then(r => done(JSON.stringify(r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\s+/g, ' '))
              })))))
              .catch(e => done(JSON.stringify([{ id: 'axe-error', help: String(e), nodes: [] }])));
        "#;
        let result = tokio::time::timeout(
            Duration::from_secs(60),
            self.client.execute_async(run, vec![]),
        )
        .await
        .map_err(|_| anyhow!("axe timed out"))??;
        let text = result
            .as_str()
            .ok_or_else(|| anyhow!("axe returned {result}"))?;
        Ok(serde_json::from_str(text)?)
    }

    /// Everything read aloud so far (the app's recording sink), oldest first.
    pub fn utterances(&self) -> Result<Vec<String>> {
        let path = self.data_dir.path().join(SPEECH_LOG);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(err).context("the speech log"),
        };
        text.lines()
            .map(|line| {
                let v: Value = serde_json::from_str(line).context("a speech log line")?;
                Ok(v["text"].as_str().unwrap_or_default().to_owned())
            })
            .collect()
    }

    /// The WebDriver's current window (each of the app's windows is one).
    pub async fn current_window(&self) -> Result<WindowHandle> {
        Ok(self.client.window().await?)
    }

    /// Waits (up to 15 s) for a window of the app other than `than` (the customer-facing
    /// window the elder setup opens) and answers its handle.
    pub async fn other_window(&self, than: &WindowHandle) -> Result<WindowHandle> {
        let deadline = Instant::now() + STEP;
        loop {
            let other = self.client.windows().await?.into_iter().find(|w| w != than);
            if let Some(other) = other {
                return Ok(other);
            }
            if Instant::now() > deadline {
                bail!("no second window opened");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Makes `window` the one every following step acts on.
    pub async fn show(&self, window: &WindowHandle) -> Result<()> {
        Ok(self.client.switch_to_window(window.clone()).await?)
    }

    pub async fn close(mut self) -> Result<Vec<String>> {
        let violations = std::mem::take(&mut self.violations);
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
        Ok(violations)
    }
}

impl Drop for App {
    fn drop(&mut self) {
        end_process_group(&mut self.driver);
    }
}

/// Ends the driver's whole process group (tauri-driver, WebKitWebDriver, the app and WebKit's
/// helper processes), politely first, and waits until every member is gone: the next journey
/// must not start while this one's processes still hold the display and the two cores.
fn end_process_group(driver: &mut Child) {
    let pgid = driver.id();
    let signal = |sig: &str| {
        let _ = Command::new("kill")
            .args([sig, "--", &format!("-{pgid}")])
            .stderr(Stdio::null())
            .status();
    };
    signal("-TERM");
    // tauri-driver exits at once on TERM (and kills WebKitWebDriver); the app and WebKit's
    // processes get the same TERM as members of the group and are given a moment for it.
    let deadline = Instant::now() + Duration::from_secs(5);
    while group_alive(pgid) && Instant::now() < deadline {
        let _ = driver.try_wait();
        std::thread::sleep(Duration::from_millis(50));
    }
    signal("-KILL");
    let _ = driver.wait();
    let deadline = Instant::now() + Duration::from_secs(10);
    while group_alive(pgid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// How many times `App::start` starts the driver chain before it gives up.
const LAUNCH_ATTEMPTS: u32 = 3;

/// The names of the group's live processes (tauri-driver, WebKitWebDriver, the app, WebKit's
/// helpers), for the message of a launch that failed: a chain member that died says where.
fn group_members(pgid: u32) -> String {
    let names: Vec<String> = group_processes(pgid)
        .into_iter()
        .map(|(pid, comm)| format!("{comm}[{pid}]"))
        .collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// True while a process of the group still runs. Read from /proc rather than `kill -0`, which
/// also answers for zombies that the container's init has not reaped yet.
fn group_alive(pgid: u32) -> bool {
    !group_processes(pgid).is_empty()
}

/// The group's live processes (zombies left out) as (pid, command name), from /proc.
fn group_processes(pgid: u32) -> Vec<(u32, String)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
            let (head, rest) = stat.rsplit_once(')')?;
            let comm = head.split_once('(').map(|(_, c)| c).unwrap_or_default();
            let mut fields = rest.split_whitespace();
            let state = fields.next().unwrap_or("Z");
            let pgrp = fields.nth(1).and_then(|f| f.parse::<u32>().ok());
            (pgrp == Some(pgid) && state != "Z" && state != "X").then(|| (pid, comm.to_owned()))
        })
        .collect()
}

/// A started tauri-driver and the two ports it was given.
struct Driver {
    child: Child,
    port: u16,
}

/// Two ports the OS says are free now. The old fixed formula (4444 + launch × 2 + pid × 4)
/// could hand a launch a port another process already held: tauri-driver then fails to bind
/// and exits quietly, or WebKitWebDriver does, and the session request goes nowhere.
fn free_ports() -> Result<(u16, u16)> {
    let a = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    let b = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    Ok((a.local_addr()?.port(), b.local_addr()?.port()))
}

fn spawn_driver(
    data_dir: &Path,
    xdg_config: &Path,
    idle_lock_secs: Option<u32>,
    env: &[(String, String)],
) -> Result<Driver> {
    let (port, native_port) = free_ports()?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(data_dir.join("tauri-driver.log"))?;
    let mut cmd = Command::new(tauri_driver());
    cmd.args([
        "--port",
        &port.to_string(),
        "--native-port",
        &native_port.to_string(),
    ])
    // Whatever the app or WebKit writes relative to the working directory stays in the
    // launch's folder.
    .current_dir(data_dir)
    .env("WALLETDESK_DATA_DIR", data_dir)
    // WebKit keeps local storage (the chosen language) under the XDG folders: give each
    // launch its own, so no test inherits another's state.
    .env("XDG_DATA_HOME", data_dir.join("xdg-data"))
    .env("XDG_CACHE_HOME", data_dir.join("xdg-cache"))
    .env("XDG_CONFIG_HOME", xdg_config)
    .env("XDG_DOWNLOAD_DIR", data_dir.join("downloads"))
    .env_remove("WALLETDESK_CORE_URL")
    .env_remove("WALLETDESK_CORE_TOKEN")
    // Alone unless a journey asks for team mode.
    .env_remove("WALLETDESK_TEAM_DB")
    .env_remove("WALLETDESK_TEAM_DB_CA")
    .env_remove("WALLETDESK_TEAM_DB_PASSWORD")
    .env_remove("WALLETDESK_TEAM_KEY")
    .env_remove("WALLETDESK_TEAM")
    // Read-aloud goes to a file (training mode's recording sink), never to a speaker or a
    // speech server on the test machine; the elder journey reads it (`App::utterances`).
    .env("WALLETDESK_SPEECH_LOG", data_dir.join(SPEECH_LOG))
    .env("RUST_LOG", "warn")
    // Where training mode writes its core's address and token (fault injection).
    .env(
        "WALLETDESK_TRAINING_CORE_FILE",
        data_dir.join("training-core.txt"),
    )
    // The driver's children inherit these: none may hold the test runner's output pipe
    // open after the journey, or whatever reads that pipe waits forever. tauri-driver prints
    // why it dropped a request on stdout, so both go to the log.
    .stdout(Stdio::from(log.try_clone()?))
    .stderr(Stdio::from(log))
    // Its own process group, so closing can end the driver, WebKitWebDriver and the app
    // together: tauri-driver does not take its children down when it is killed.
    .process_group(0);
    if let Some(secs) = idle_lock_secs {
        cmd.env("WALLETDESK_IDLE_LOCK_SECS", secs.to_string());
    }
    cmd.envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let child = cmd
        .spawn()
        .context("starting tauri-driver (cargo install tauri-driver --locked --version 2.1.0)")?;
    Ok(Driver { child, port })
}

/// Waits until the whole chain answers, then opens the WebDriver session.
///
/// tauri-driver listens at once but starts WebKitWebDriver beside it and forwards every
/// request to it; a request that comes before WebKitWebDriver listens is dropped without an
/// answer ("webdriver server did not respond"). On a busy machine, right after the previous
/// journey, WebKitWebDriver can take seconds to start: so the harness first asks /status
/// through tauri-driver until WebKitWebDriver itself answers ready.
async fn new_session(driver: &mut Driver, app: &Path, data_dir: &Path) -> Result<Client> {
    let port = driver.port;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = driver.child.try_wait()? {
            bail!(
                "tauri-driver exited ({status}) before it was ready: {}",
                driver_log(data_dir)
            );
        }
        match webdriver_status(port).await {
            Ok(true) => break,
            Ok(false) | Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Ok(false) => bail!("WebKitWebDriver on {port} never said ready"),
            Err(err) => {
                return Err(err.context(format!(
                    "WebKitWebDriver behind tauri-driver on {port} did not answer in 30 s: {}",
                    driver_log(data_dir)
                )));
            }
        }
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "tauri:options".into(),
        json!({ "application": app.to_string_lossy() }),
    );
    caps.insert("browserName".into(), json!("wry"));
    let client = tokio::time::timeout(
        Duration::from_secs(90),
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}")),
    )
    .await
    .map_err(|_| {
        anyhow!(
            "WebDriver session did not start in 90 s (is a display available? run under xvfb-run)"
        )
    })?
    .with_context(|| format!("WebDriver new session: {}", driver_log(data_dir)))?;
    Ok(client)
}

/// GET /status through tauri-driver: Ok(ready) when WebKitWebDriver answered, Err when the
/// request went unanswered.
async fn webdriver_status(port: u16) -> Result<bool> {
    // A plain blocking exchange on a worker thread: one short request, no client to set up.
    let answer = tokio::task::spawn_blocking(move || -> Result<String> {
        use std::io::{Read, Write};
        let limit = Duration::from_secs(5);
        let mut stream =
            std::net::TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), limit)?;
        stream.set_read_timeout(Some(limit))?;
        stream.set_write_timeout(Some(limit))?;
        write!(
            stream,
            "GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        )?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        Ok(answer)
    })
    .await??;
    ensure!(
        answer.starts_with("HTTP/1.1 200"),
        "/status answered {answer:?}"
    );
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    Ok(body.contains("\"ready\":true") || body.contains("\"ready\": true"))
}

/// The driver's own log, for an error message: what WebKitWebDriver said when it failed.
fn driver_log(data_dir: &Path) -> String {
    let text = std::fs::read_to_string(data_dir.join("tauri-driver.log")).unwrap_or_default();
    let tail: Vec<&str> = text.lines().rev().take(10).collect();
    if tail.is_empty() {
        "(the driver logged nothing)".to_owned()
    } else {
        tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
    }
}
