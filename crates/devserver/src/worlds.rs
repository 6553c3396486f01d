//! Worlds: one throwaway console each (store, sandbox core bank, sync engine, clock), so each
//! UI test has its own state and tests run in parallel.
//!
//! Making a world must be quick (the UI suite makes one per test), so the slow part is done
//! once at start in a [`Template`]: the store migrated, the demo staff made (argon2), the
//! sandbox seeded and its customer feed pulled into the store. A world copies those files
//! (whole: each was closed, its WAL folded in; an SQLCipher file copies fine under its key)
//! and opens them.

use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use walletdesk_core::Console;
use walletdesk_core::clock::{Clock, ManualClock, SystemClock};
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::corelink::CoreLink;
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::settings::{self, Settings};
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, EngineConfig};
use walletdesk_corebank::{Client, SecretString};
use walletdesk_sandbox::{RunningSandbox, SandboxConfig};

/// The data key of every dev-server store. Public on purpose: the data is throwaway demo
/// data, and a fixed key lets a world open the template's encrypted copy.
const DEV_DATA_KEY: [u8; 32] = [0x5a; 32];
/// The bearer token between each world's console and its sandbox (loopback, demo data).
const DEV_CORE_TOKEN: &str = "walletdesk-dev-server-training-token";
/// The sandbox's demo data: the same seed and size as the app's training mode.
const SANDBOX_SEED: u64 = 42;
const SANDBOX_CUSTOMERS: u32 = 300;
/// The administrator every world but a fresh one has (a fresh one is at first-run setup).
pub const ADMIN_USERNAME: &str = "admin";
const ADMIN_NAME: &str = "王管理";

/// What a new world starts as: the options the real core can honestly be put in.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Scenario {
    /// First-run setup: no administrator yet (the training demo staff exist, as in the app).
    pub fresh: bool,
    /// Signed in as this demo user (`admin`, `teller`, `booth`, `complaints`, `disputes`,
    /// `supervisor`).
    pub signed_in_as: Option<String>,
    /// The core bank cannot be reached: the link points at a closed port and no sandbox runs.
    pub offline: bool,
    /// The idle lock. Within the settings' range (60-3600 s) it is stored as the setting
    /// (the settings screen shows it); shorter, it overrides the setting, as the end-to-end
    /// suite's `WALLETDESK_IDLE_LOCK_SECS` does.
    pub idle_lock_secs: Option<u32>,
    /// The branch in the settings.
    pub branch: Option<String>,
    /// A clock that moves only through `POST /worlds/<id>/clock` (idle-lock tests).
    pub manual_clock: bool,
    /// Has never synced: no customers in the local copy, no last sync (the engine would sync
    /// at once: use with `manualSync` or `offline`).
    pub unsynced: bool,
    /// A console configured for a real core (not training), which it cannot reach: only with
    /// `offline`, since every world's sandbox is training.
    pub live: bool,
    /// The sync engine does not run on its own (`sync_now` only wakes a running engine): queued
    /// work stays as it is until the test runs a round (`POST /worlds/<id>/sync`) or starts
    /// the engine (`POST /worlds/<id>/engine`).
    pub manual_sync: bool,
    /// Team mode, on the team store's SQLite backend in the world's folder (the same API and
    /// tests as PostgreSQL, `walletdesk_core::team`), working the default team's queue.
    pub team: bool,
}

/// A world made: its id (the `x-walletdesk-world` header) and the demo staff's passwords.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MadeWorld {
    pub id: String,
    pub credentials: BTreeMap<String, String>,
}

/// The files every world starts from, made once at start.
#[derive(Debug)]
pub struct Template {
    dir: tempfile::TempDir,
    credentials: BTreeMap<String, String>,
}

impl Template {
    fn fresh_store(&self) -> PathBuf {
        self.dir.path().join("fresh.sqlite")
    }
    fn ready_store(&self) -> PathBuf {
        self.dir.path().join("ready.sqlite")
    }
    fn sandbox(&self) -> PathBuf {
        self.dir.path().join("sandbox.sqlite")
    }

    fn unsynced_store(&self) -> PathBuf {
        self.dir.path().join("unsynced.sqlite")
    }

    /// Seeds the sandbox; makes the store as at first-run setup (migrations, the demo staff)
    /// and pulls the customer feed into it (`fresh`); adds the administrator (`ready`); and
    /// keeps a copy with the administrator that never synced (`unsynced`). One audit chain
    /// runs through fresh and ready, so the head the sandbox holds is an ancestor of both.
    pub async fn build() -> anyhow::Result<Template> {
        let dir = tempfile::Builder::new()
            .prefix("walletdesk-dev-template-")
            .tempdir()?;
        let mut template = Template {
            dir,
            credentials: BTreeMap::new(),
        };
        let sandbox = start_sandbox(&template.sandbox()).await?;
        let staff_only = template.dir.path().join("staff-only.sqlite");
        let (store, console, _) = template_console(&staff_only, &closed_port_url()?).await?;
        for demo in console.seed_training_staff().await? {
            template.credentials.insert(demo.username, demo.password);
        }
        store.close().await;

        std::fs::copy(&staff_only, template.unsynced_store())?;
        let (store, console, _) =
            template_console(&template.unsynced_store(), &closed_port_url()?).await?;
        let password = format!("dev-admin-{}", uuid::Uuid::new_v4().simple());
        console
            .setup_admin(SetupAdminInput {
                username: ADMIN_USERNAME.to_owned(),
                display_name: ADMIN_NAME.to_owned(),
                password: password.clone(),
            })
            .await?;
        template
            .credentials
            .insert(ADMIN_USERNAME.to_owned(), password.clone());
        store.close().await;

        std::fs::copy(&staff_only, template.fresh_store())?;
        let (store, _, engine) = template_console(&template.fresh_store(), &sandbox.url()).await?;
        engine
            .sync_now()
            .await
            .context("pulling the sandbox's customers into the template store")?;
        store.close().await;
        sandbox.shutdown().await;

        std::fs::copy(template.fresh_store(), template.ready_store())?;
        let (store, console, _) =
            template_console(&template.ready_store(), &closed_port_url()?).await?;
        console
            .setup_admin(SetupAdminInput {
                username: ADMIN_USERNAME.to_owned(),
                display_name: ADMIN_NAME.to_owned(),
                password,
            })
            .await?;
        store.close().await;
        std::fs::remove_file(staff_only)?;
        Ok(template)
    }
}

/// A console on a template file, its core at `url`, its engine not running.
async fn template_console(path: &Path, url: &str) -> anyhow::Result<(Store, Console, Engine)> {
    let key = data_key();
    let store = Store::open_encrypted(path, &key).await?;
    let client = Arc::new(core_client(url)?);
    let engine = Engine::new(
        store.clone(),
        Sealer::new(&key),
        client.clone(),
        Arc::new(SystemClock),
        EngineConfig::default(),
    );
    let console = new_console(
        store.clone(),
        Arc::new(SystemClock),
        client,
        training(),
        engine.clone(),
    );
    Ok((store, console, engine))
}

/// One console and what it runs on. Dropped: its engine stops, its files are deleted.
#[derive(Debug)]
pub struct World {
    console: Console,
    store: Store,
    clock: Option<ManualClock>,
    sandbox: Mutex<Option<RunningSandbox>>,
    engine: Engine,
    /// Dropping it stops the sync engine's loop; `None` while the engine does not run.
    engine_stop: Mutex<Option<tokio::sync::watch::Sender<bool>>>,
    /// A team world's sender of team dispute ops to its sandbox (`team::core_ops`). It runs
    /// only when a test asks (`POST /worlds/<id>/team-deliver`), so what the core answers
    /// happens at a known moment, never behind the test's back.
    team_sender: Option<walletdesk_core::team::CoreOpSender>,
    _dir: tempfile::TempDir,
}

impl World {
    pub fn console(&self) -> &Console {
        &self.console
    }

    /// Moves a manual clock (wall and monotonic) forward.
    pub fn advance(&self, by: chrono::Duration) -> Result<(), &'static str> {
        match &self.clock {
            Some(clock) => {
                clock.advance(by);
                Ok(())
            }
            None => Err("this world runs on the system clock (scenario manualClock)"),
        }
    }

    /// Starts the engine's loop, as the app runs it, unless it runs already.
    pub fn start_engine(&self) {
        let mut stop = self.engine_stop.lock().unwrap_or_else(|p| p.into_inner());
        if stop.is_none() {
            let (sender, stopped) = tokio::sync::watch::channel(false);
            let engine = self.engine.clone();
            tokio::spawn(async move { engine.run(stopped).await });
            *stop = Some(sender);
        }
    }

    /// One whole sync round now (push until nothing is due, then pull): what it pushed, or why
    /// the round failed.
    pub async fn sync_round(&self) -> serde_json::Value {
        match self.engine.sync_now().await {
            Ok((pushed, pulled)) => serde_json::json!({
                "sent": pushed.sent,
                "applied": pushed.applied,
                "refused": pushed.refused,
                "retrying": pushed.retrying,
                "pulled": pulled,
            }),
            Err(err) => serde_json::json!({ "error": err.to_string() }),
        }
    }

    /// Stops the sandbox: from now on the core cannot be reached (the local copy stays).
    pub async fn go_offline(&self) {
        let sandbox = self
            .sandbox
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(sandbox) = sandbox {
            sandbox.shutdown().await;
        }
    }

    /// One delivery of the team's dispute ops to the sandbox now, until nothing more goes
    /// ([`walletdesk_core::team::CoreOpSender::deliver_now`]): what it did.
    pub async fn team_deliver(&self) -> anyhow::Result<serde_json::Value> {
        let sender = self
            .team_sender
            .as_ref()
            .context("this world is not in team mode (scenario team)")?;
        let report = sender
            .deliver_now()
            .await
            .map_err(|err| anyhow::anyhow!("{err}"))?;
        Ok(serde_json::json!({
            "sent": report.sent,
            "done": report.done,
            "attention": report.attention,
            "retrying": report.retrying,
        }))
    }

    /// Sets the sandbox's faults (the v1 admin endpoint, with this console's token).
    pub async fn set_faults(&self, faults: &serde_json::Value) -> anyhow::Result<()> {
        let url = self
            .sandbox
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(RunningSandbox::url)
            .context("this world is offline: no sandbox runs")?;
        reqwest::Client::new()
            .post(format!("{url}/v1/admin/faults"))
            .bearer_auth(DEV_CORE_TOKEN)
            .json(faults)
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }

    async fn end(&self) {
        let sandbox = self
            .sandbox
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(sandbox) = sandbox {
            sandbox.shutdown().await;
        }
        self.store.close().await;
    }
}

/// Every live world, and the default one (`npm run dev`, requests without a world header).
#[derive(Debug)]
pub struct Worlds {
    template: Template,
    worlds: Mutex<HashMap<String, Arc<World>>>,
    default: Mutex<Option<String>>,
}

impl Worlds {
    pub fn new(template: Template) -> Worlds {
        Worlds {
            template,
            worlds: Mutex::new(HashMap::new()),
            default: Mutex::new(None),
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<World>>> {
        self.worlds.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The world `id`, or the default world when `id` is `None`.
    pub fn get(&self, id: Option<&str>) -> Option<Arc<World>> {
        let id = match id {
            Some(id) => id.to_owned(),
            None => self
                .default
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone()?,
        };
        self.map().get(&id).cloned()
    }

    /// Makes `scenario` the world requests without a header go to.
    pub async fn create_default(&self, scenario: Scenario) -> anyhow::Result<MadeWorld> {
        let made = self.create(scenario).await?;
        *self.default.lock().unwrap_or_else(|p| p.into_inner()) = Some(made.id.clone());
        Ok(made)
    }

    pub async fn create(&self, scenario: Scenario) -> anyhow::Result<MadeWorld> {
        let world = self.open(&scenario).await?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        self.map().insert(id.clone(), Arc::new(world));
        Ok(MadeWorld {
            id,
            credentials: self.template.credentials.clone(),
        })
    }

    /// Ends the world `id`; false if there was none.
    pub async fn remove(&self, id: &str) -> bool {
        let world = self.map().remove(id);
        match world {
            Some(world) => {
                world.end().await;
                true
            }
            None => false,
        }
    }

    async fn open(&self, scenario: &Scenario) -> anyhow::Result<World> {
        let dir = tempfile::Builder::new()
            .prefix("walletdesk-dev-world-")
            .tempdir()?;
        let store_path = dir.path().join("walletdesk.sqlite");
        if scenario.live && !scenario.offline {
            anyhow::bail!("live (not training) only with offline: every sandbox is training");
        }
        let template = match (scenario.fresh, scenario.unsynced) {
            (true, false) => self.template.fresh_store(),
            (false, false) => self.template.ready_store(),
            (false, true) => self.template.unsynced_store(),
            (true, true) => anyhow::bail!("fresh and unsynced: pick one"),
        };
        std::fs::copy(&template, &store_path)?;
        let sandbox = if scenario.offline {
            None
        } else {
            let path = dir.path().join("sandbox.sqlite");
            std::fs::copy(self.template.sandbox(), &path)?;
            Some(start_sandbox(&path).await?)
        };
        let url = match &sandbox {
            Some(sandbox) => sandbox.url(),
            None => closed_port_url()?,
        };
        let key = data_key();
        let store = Store::open_encrypted(&store_path, &key).await?;
        if scenario.idle_lock_secs.is_some() || scenario.branch.is_some() {
            let current = settings::load(store.read()).await?;
            let stored = Settings {
                idle_lock_secs: scenario
                    .idle_lock_secs
                    .filter(|secs| (60..=3600).contains(secs))
                    .unwrap_or(current.idle_lock_secs),
                branch: scenario.branch.clone().unwrap_or(current.branch),
            };
            let stored = settings::validate(&stored)?;
            let mut tx = store.begin().await?;
            settings::save(&mut tx, &stored).await?;
            tx.commit().await?;
        }
        let override_secs = scenario.idle_lock_secs.filter(|secs| *secs < 60);

        let manual = scenario
            .manual_clock
            .then(|| ManualClock::new(chrono::Utc::now()));
        let clock: Arc<dyn Clock> = match &manual {
            Some(manual) => Arc::new(manual.clone()),
            None => Arc::new(SystemClock),
        };
        let client = Arc::new(core_client(&url)?);
        let mut team_sender = None;
        // The engine measures its retries on the system clock: a frozen manual clock would
        // hold every retry forever.
        let engine = Engine::new(
            store.clone(),
            Sealer::new(&key),
            client.clone(),
            Arc::new(SystemClock),
            EngineConfig::default(),
        );
        let console = new_console(
            store.clone(),
            clock.clone(),
            client.clone(),
            ConsoleConfig {
                training_mode: !scenario.live,
                idle_lock_override: override_secs,
                version: env!("CARGO_PKG_VERSION").to_owned(),
            },
            engine.clone(),
        );
        let console = if scenario.team {
            let team = walletdesk_core::team::TeamStore::open_sqlite(
                &dir.path().join("team.sqlite"),
                &key,
            )
            .await?;
            let link = walletdesk_core::team::console::TeamLink::new(
                team,
                walletdesk_core::team::settings::DEFAULT_TEAM,
                Sealer::new(&key),
                store.clone(),
                clock.clone(),
            )
            .await?;
            team_sender = Some(link.delivering_disputes_to(client.clone(), clock.clone()));
            console.with_team(link)
        } else {
            console
        };
        if let Some(username) = &scenario.signed_in_as {
            let password = self
                .template
                .credentials
                .get(username)
                .with_context(|| format!("no demo user {username}"))?;
            console
                .sign_in(SignInInput {
                    username: username.clone(),
                    password: password.clone(),
                })
                .await
                .map_err(|err| anyhow::anyhow!("signing in {username}: {err}"))?;
        }
        let world = World {
            console,
            store,
            clock: manual,
            sandbox: Mutex::new(sandbox),
            engine,
            engine_stop: Mutex::new(None),
            team_sender,
            _dir: dir,
        };
        if !scenario.manual_sync {
            world.start_engine();
        }
        Ok(world)
    }
}

fn data_key() -> DataKey {
    DataKey::from_bytes(DEV_DATA_KEY)
}

fn core_client(url: &str) -> anyhow::Result<Client> {
    Ok(Client::new(url, Some(SecretString::from(DEV_CORE_TOKEN)))?)
}

/// Training mode, as the app runs without a core URL.
fn training() -> ConsoleConfig {
    ConsoleConfig {
        training_mode: true,
        idle_lock_override: None,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

fn new_console(
    store: Store,
    clock: Arc<dyn Clock>,
    link: Arc<Client>,
    config: ConsoleConfig,
    engine: Engine,
) -> Console {
    let link: Arc<dyn CoreLink> = link;
    Console::new(store, clock, link, config).with_sync(engine)
}

async fn start_sandbox(path: &Path) -> anyhow::Result<RunningSandbox> {
    walletdesk_sandbox::start(SandboxConfig {
        port: 0,
        seed: SANDBOX_SEED,
        customers: SANDBOX_CUSTOMERS,
        db_path: Some(path.to_path_buf()),
        tokens: vec![SecretString::from(DEV_CORE_TOKEN)],
    })
    .await
}

/// A loopback address nothing listens on: a port the OS just handed out and took back.
fn closed_port_url() -> anyhow::Result<String> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
    let port = listener.local_addr()?.port();
    drop(listener);
    Ok(format!("http://127.0.0.1:{port}"))
}
