//! Harness for the end-to-end suite: starts `tauri-driver` (which starts WebKitWebDriver, which
//! starts the real app binary), opens a WebDriver session on the app window, and offers the few
//! verbs the journeys need. Every WebDriver call has a deadline: without a display the driver
//! hangs instead of failing, and a hung suite is worse than a red one.

use anyhow::{Context, Result, anyhow, bail, ensure};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

const STEP: Duration = Duration::from_secs(15);

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

static NEXT_PORT: AtomicU16 = AtomicU16::new(0);

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
    screens: PathBuf,
    pub name: String,
    pub violations: Vec<String>,
    idle_lock_secs: Option<u32>,
}

impl App {
    /// Starts the app in training mode. `idle_lock_secs` overrides the idle lock.
    pub async fn launch(name: &str, idle_lock_secs: Option<u32>) -> Result<App> {
        let one_window = ONE_WINDOW.lock().await;
        let data_dir = tempfile::tempdir()?;
        App::start(one_window, name, idle_lock_secs, data_dir).await
    }

    /// Ends the app as a crash or a power cut would (its whole process group, no goodbye) and
    /// starts it again on the same data folder: what was saved must still be there. The axe
    /// violations found so far are carried over.
    pub async fn relaunch(mut self) -> Result<App> {
        let one_window = self.one_window.take();
        let data_dir = std::mem::replace(&mut self.data_dir, tempfile::tempdir()?);
        let name = self.name.clone();
        let idle_lock_secs = self.idle_lock_secs;
        let violations = std::mem::take(&mut self.violations);
        // Drop ends the driver, WebKitWebDriver and the app, and removes only the placeholder.
        drop(self);
        let one_window = match one_window {
            Some(guard) => guard,
            None => ONE_WINDOW.lock().await,
        };
        let mut app = App::start(one_window, &name, idle_lock_secs, data_dir).await?;
        app.violations = violations;
        Ok(app)
    }

    async fn start(
        one_window: tokio::sync::MutexGuard<'static, ()>,
        name: &str,
        idle_lock_secs: Option<u32>,
        data_dir: tempfile::TempDir,
    ) -> Result<App> {
        let app = app_binary()?;
        // Distinct ports per launch, so a driver that is slow to exit never blocks the next.
        let offset = NEXT_PORT.fetch_add(2, Ordering::SeqCst);
        let port = 4444 + offset + (std::process::id() % 1000) as u16 * 4;
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &(port + 1).to_string(),
        ])
        .env("WALLETDESK_DATA_DIR", data_dir.path())
        // WebKit keeps local storage (the chosen language) under the XDG folders: give each
        // launch its own, so no test inherits another's state.
        .env("XDG_DATA_HOME", data_dir.path().join("xdg-data"))
        .env("XDG_CACHE_HOME", data_dir.path().join("xdg-cache"))
        .env("XDG_CONFIG_HOME", data_dir.path().join("xdg-config"))
        .env_remove("WALLETDESK_CORE_URL")
        .env_remove("WALLETDESK_CORE_TOKEN")
        .env("RUST_LOG", "warn")
        // The driver's children inherit these: none may hold the test runner's output pipe
        // open after the journey, or whatever reads that pipe waits forever.
        .stdout(Stdio::null())
        .stderr(Stdio::from(std::fs::File::create(
            data_dir.path().join("tauri-driver.log"),
        )?))
        // Its own process group, so closing can end the driver, WebKitWebDriver and the app
        // together: tauri-driver does not take its children down when it is killed.
        .process_group(0);
        if let Some(secs) = idle_lock_secs {
            cmd.env("WALLETDESK_IDLE_LOCK_SECS", secs.to_string());
        }
        let driver = cmd.spawn().context(
            "starting tauri-driver (cargo install tauri-driver --locked --version 2.1.0)",
        )?;
        let url = format!("http://127.0.0.1:{port}");
        wait_for_port(port, Duration::from_secs(20)).await?;
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
                .connect(&url),
        )
        .await
        .map_err(|_| anyhow!("WebDriver session did not start in 90 s (is a display available? run under xvfb-run)"))?
        .context("WebDriver new session")?;
        let screens = repo_root().join("target/e2e-screens");
        std::fs::create_dir_all(&screens)?;
        Ok(App {
            one_window: Some(one_window),
            client,
            driver,
            data_dir,
            screens,
            name: name.to_owned(),
            violations: Vec::new(),
            idle_lock_secs,
        })
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
        tokio::time::timeout(STEP, async {
            el.send_keys(SELECT_ALL_AND_DELETE).await?;
            el.send_keys(text).await
        })
        .await
        .map_err(|_| anyhow!("timed out typing into {testid}"))?
        .with_context(|| format!("type into {testid}"))?;
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
            // A button that went away (the lock screen after unlocking) is done.
            let found =
                tokio::time::timeout(STEP, self.client.find_all(Locator::Css(&Self::css(testid))))
                    .await??;
            let Some(el) = found.into_iter().next() else {
                return Ok(());
            };
            let class = tokio::time::timeout(STEP, el.attr("class"))
                .await??
                .unwrap_or_default();
            if !class.contains("ant-btn-loading") {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("{testid} still busy after {STEP:?}");
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
                bail!("{testid} shows {text:?}, expected it to contain {needle:?}");
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    pub async fn wait_gone(&self, testid: &str) -> Result<()> {
        let deadline = Instant::now() + STEP;
        while self.exists(testid).await? {
            if Instant::now() > deadline {
                bail!("{testid} is still on screen");
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
        // Let fonts, transitions and antd's motion settle, so the screenshot shows the screen.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let violations = self.axe().await?;
        for v in &violations {
            self.violations.push(format!("{}/{screen}: {v}", self.name));
        }
        let png = tokio::time::timeout(STEP, self.client.screenshot()).await??;
        std::fs::write(
            self.screens.join(format!("{}-{screen}.png", self.name)),
            png,
        )?;
        Ok(())
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

    pub async fn close(mut self) -> Result<Vec<String>> {
        let violations = std::mem::take(&mut self.violations);
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
        Ok(violations)
    }
}

impl Drop for App {
    /// Ends the driver's whole process group (driver, WebKitWebDriver, app), politely first.
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let signal = |sig: &str| {
            let _ = Command::new("kill")
                .args([sig, "--", &group])
                .stderr(Stdio::null())
                .status();
        };
        signal("-TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        while matches!(self.driver.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        signal("-KILL");
        let _ = self.driver.wait();
    }
}

async fn wait_for_port(port: u16, limit: Duration) -> Result<()> {
    let deadline = Instant::now() + limit;
    loop {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("tauri-driver did not listen on {port}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
