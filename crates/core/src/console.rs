//! `Console`: the one object the shell talks to. Every public method is one command: it checks
//! the session and the permission first, does the work in a transaction, and audits it there.
//!
//! The desktop app has one staff member signed in at a time, so the session lives here in
//! memory; it is deliberately not persisted, and a restart means signing in again.

use crate::access::{Area, Permission, Role};
use crate::audit::{self, AuditOutcome, AuditPage, AuditQuery, AuditVerify, NewAudit};
use crate::clock::Clock;
use crate::corelink::{CoreIdentity, CoreLink};
use crate::error::{Error, Result};
use crate::settings::{self, Policy, Settings};
use crate::staff::{self, NewStaffInput, StaffRecord, StaffSummary};
use crate::store::Store;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetupAdminInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SignInInput {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct UnlockInput {
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StaffSession {
    #[ts(type = "number")]
    pub staff_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub branch: String,
    pub areas: Vec<Area>,
    pub idle_lock_secs: u32,
    /// An administrator asked for a new password: until it is set, every other command is
    /// refused with `password_change_required`.
    pub must_change_password: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SessionState {
    SignedOut,
    Active { session: StaffSession },
    Locked { session: StaffSession },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CoreStatus {
    pub connected: bool,
    /// The core answered but refused this console's token: not a network problem, an
    /// administrator has to provision a new token.
    pub token_refused: bool,
    pub url: String,
    pub identity: Option<CoreIdentity>,
    pub checked_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub needs_setup: bool,
    pub training_mode: bool,
    pub branch: String,
    pub idle_lock_secs: u32,
    pub core: CoreStatus,
    /// The outbox's counters for the status bar (all zero before anything was queued).
    pub sync: crate::sync::SyncStatus,
    pub version: String,
}

/// Start-up choices made by the shell (from the command line or environment, never secrets).
#[derive(Debug, Clone, Default)]
pub struct ConsoleConfig {
    pub training_mode: bool,
    /// Overrides the stored idle-lock time; the end-to-end suite uses a few seconds.
    pub idle_lock_override: Option<u32>,
    pub version: String,
}

/// Who is acting, as the audit trail records it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub staff_id: i64,
    pub username: String,
    pub role: Role,
}

/// A password that checked out: the account's failure count is already reset in `tx`, and the
/// caller writes its own change and audit record there before committing.
pub(crate) struct Verified {
    pub tx: crate::store::WriteTx,
    /// The account as it stands after the check (role and flags read afresh).
    pub staff: StaffRecord,
}

#[derive(Debug, Clone)]
struct Session {
    staff: StaffRecord,
    /// The last real input from staff (sign-in, unlock, `touch`), on the monotonic clock: a
    /// wall clock set back must not extend the session.
    last_activity: Instant,
    locked: bool,
}

#[derive(Debug)]
pub struct Console {
    store: Store,
    clock: Arc<dyn Clock>,
    link: Arc<dyn CoreLink>,
    config: ConsoleConfig,
    session: Mutex<Option<Session>>,
    /// The sync engine, when the shell started one (tests of other areas run without).
    sync: Option<crate::sync::Engine>,
    /// One-time codes sent to a corrected mobile before a refused operation is resent, by
    /// outbox id. In memory on purpose: a code lives minutes, and after a restart staff send
    /// a new one.
    pub(crate) resend_codes:
        Mutex<std::collections::HashMap<i64, crate::sync::console::ResendChallenge>>,
    /// The team store, in team mode (`WALLETDESK_TEAM_DB`); `None`: the console works alone.
    pub(crate) team: Option<crate::team::console::TeamLink>,
    /// The voice that reads the elder setup's steps aloud (none unless the shell gives one).
    speaker: Arc<dyn crate::elder::Speaker>,
}

/// A demo account created for training mode, with the password shown once.
#[derive(Debug, Clone)]
pub struct DemoCredential {
    pub username: String,
    pub role: Role,
    pub password: String,
}

impl Console {
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        link: Arc<dyn CoreLink>,
        config: ConsoleConfig,
    ) -> Console {
        Console {
            store,
            clock,
            link,
            config,
            session: Mutex::new(None),
            sync: None,
            resend_codes: Mutex::new(std::collections::HashMap::new()),
            team: None,
            speaker: Arc::new(crate::elder::NoVoice),
        }
    }

    /// Team mode: the complaint queue lives on the team's store (see `crate::team`).
    pub fn with_team(mut self, link: crate::team::console::TeamLink) -> Console {
        self.team = Some(link);
        self
    }

    /// Gives the console a voice for read-aloud (the shell's OS voice, or a test sink).
    pub fn with_speaker(mut self, speaker: Arc<dyn crate::elder::Speaker>) -> Console {
        self.speaker = speaker;
        self
    }

    pub(crate) fn speaker(&self) -> &dyn crate::elder::Speaker {
        self.speaker.as_ref()
    }

    /// Attaches the sync engine the shell runs, for the Sync screen and the status bar.
    pub fn with_sync(mut self, engine: crate::sync::Engine) -> Console {
        self.sync = Some(engine);
        self
    }

    /// True when the core is the training sandbox: practice aids (a one-time code shown on
    /// screen) are allowed only then.
    pub(crate) fn training_mode(&self) -> bool {
        self.config.training_mode
    }

    pub(crate) fn engine(&self) -> Result<&crate::sync::Engine> {
        self.sync
            .as_ref()
            .ok_or_else(|| Error::CoreUnavailable("sync is not running".to_owned()))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn monotonic(&self) -> Instant {
        self.clock.monotonic()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Session>> {
        // A panic elsewhere must not lock every staff member out: take the data as it is.
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) async fn policy(&self) -> Result<Policy> {
        let mut policy = settings::load(self.store.read()).await?;
        if let Some(secs) = self.config.idle_lock_override {
            policy.idle_lock_secs = secs;
        }
        Ok(policy)
    }

    pub(crate) async fn audit(&self, rec: NewAudit) -> Result<()> {
        let mut tx = self.store.begin().await?;
        audit::append(&mut tx, self.now(), rec).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) fn staff_session(&self, staff: &StaffRecord, policy: &Policy) -> StaffSession {
        StaffSession {
            staff_id: staff.id,
            username: staff.username.clone(),
            display_name: staff.display_name.clone(),
            role: staff.role,
            branch: policy.branch.clone(),
            areas: staff.role.areas(),
            idle_lock_secs: policy.idle_lock_secs,
            must_change_password: staff.must_change_password,
        }
    }

    /// Re-reads the signed-in account, so an administrator's change reaches a session at its
    /// next command: a new role decides that command; a deactivated account's session ends.
    async fn refresh_session(&self) -> Result<()> {
        let Some(id) = self.slot().as_ref().map(|s| s.staff.id) else {
            return Ok(());
        };
        let fresh = match staff::find_by_id(self.store.read(), id).await {
            Ok(record) => Some(record),
            Err(Error::NotFound(_)) => None,
            Err(other) => return Err(other),
        };
        let ended = {
            let mut slot = self.slot();
            // Someone may have signed out or in while the row was read.
            let ours = slot.as_ref().is_some_and(|s| s.staff.id == id);
            match fresh {
                Some(record) if ours && record.active => {
                    if let Some(s) = slot.as_mut() {
                        s.staff = record;
                    }
                    None
                }
                _ if ours => slot.take(),
                _ => None,
            }
        };
        if let Some(s) = ended {
            self.audit(
                NewAudit::new(Some(s.staff.id), s.staff.username, "session.ended")
                    .outcome(AuditOutcome::Refused)
                    .detail(json!({ "reason": "account_deactivated" })),
            )
            .await?;
        }
        Ok(())
    }

    /// Ends this console's session if it belongs to `staff_id` (that account was just
    /// deactivated here).
    pub(crate) fn end_session_of(&self, staff_id: i64) {
        let mut slot = self.slot();
        if slot.as_ref().is_some_and(|s| s.staff.id == staff_id) {
            *slot = None;
        }
    }

    /// Puts a freshly read account into the session (after a password change).
    pub(crate) fn update_session_staff(&self, record: StaffRecord) {
        if let Some(s) = self.slot().as_mut().filter(|s| s.staff.id == record.id) {
            s.staff = record;
        }
    }

    // ---- status -------------------------------------------------------------------------

    pub async fn status(&self) -> Result<AppStatus> {
        let policy = self.policy().await?;
        let needs_setup = !staff::admin_exists(self.store.read()).await?;
        let mut token_refused = false;
        let identity = match self.link.identity().await {
            Ok(identity) => Some(identity),
            Err(err) => {
                token_refused = matches!(err, crate::corelink::LinkError::Unauthorized(_));
                tracing::debug!(error = %err, "core bank probe failed");
                None
            }
        };
        Ok(AppStatus {
            needs_setup,
            training_mode: self.config.training_mode,
            branch: policy.branch,
            idle_lock_secs: policy.idle_lock_secs,
            core: CoreStatus {
                connected: identity.is_some(),
                token_refused,
                url: self.link.url(),
                identity,
                checked_at: audit::timestamp(self.now()),
            },
            sync: crate::sync::outbox::status(self.store.read()).await?,
            version: self.config.version.clone(),
        })
    }

    // ---- session ------------------------------------------------------------------------

    /// Locks the session if it has been idle for the policy's time. Returns the new state.
    async fn apply_idle(&self) -> Result<SessionState> {
        self.refresh_session().await?;
        let policy = self.policy().await?;
        let now = self.monotonic();
        let (state, newly_locked) = {
            let mut slot = self.slot();
            match slot.as_mut() {
                None => (SessionState::SignedOut, None),
                Some(s) => {
                    let idle = now.saturating_duration_since(s.last_activity);
                    let mut newly = None;
                    let limit = std::time::Duration::from_secs(u64::from(policy.idle_lock_secs));
                    if !s.locked && idle >= limit {
                        s.locked = true;
                        newly = Some((s.staff.id, s.staff.username.clone(), idle.as_secs()));
                    }
                    let session = self.staff_session(&s.staff, &policy);
                    let state = if s.locked {
                        SessionState::Locked { session }
                    } else {
                        SessionState::Active { session }
                    };
                    (state, newly)
                }
            }
        };
        if let Some((id, username, idle_secs)) = newly_locked {
            self.audit(
                NewAudit::new(Some(id), username, "session.idle_locked")
                    .detail(json!({ "idleSeconds": idle_secs })),
            )
            .await?;
        }
        Ok(state)
    }

    pub async fn session_state(&self) -> Result<SessionState> {
        self.apply_idle().await
    }

    /// Real input from staff (keys, pointer), reported by the UI at most every few seconds:
    /// the only thing besides signing in and unlocking that keeps a session open. A session
    /// already past its idle time stays locked (activity after the deadline does not undo it).
    pub async fn touch(&self) -> Result<SessionState> {
        let state = self.apply_idle().await?;
        if matches!(state, SessionState::Active { .. }) {
            let now = self.monotonic();
            if let Some(s) = self.slot().as_mut() {
                s.last_activity = now;
            }
        }
        Ok(state)
    }

    /// The UI's idle timer fired, or staff pressed "lock now".
    pub async fn lock(&self) -> Result<()> {
        let who = {
            let mut slot = self.slot();
            match slot.as_mut() {
                Some(s) if !s.locked => {
                    s.locked = true;
                    Some((s.staff.id, s.staff.username.clone()))
                }
                _ => None,
            }
        };
        if let Some((id, username)) = who {
            self.audit(NewAudit::new(Some(id), username, "session.locked"))
                .await?;
        }
        Ok(())
    }

    /// Checks that someone is signed in, not idle, and allowed `permission`. A refusal is
    /// audited. It is not activity: screens poll (the Sync page every few seconds), and a
    /// poll must not keep a walked-away session open; only `touch` (real input) does.
    pub async fn authorize(&self, permission: Permission) -> Result<Actor> {
        let session = match self.apply_idle().await? {
            SessionState::SignedOut => return Err(Error::NotSignedIn),
            SessionState::Locked { .. } => return Err(Error::SessionLocked),
            SessionState::Active { session } => session,
        };
        if session.must_change_password && permission != Permission::ChangeOwnPassword {
            return Err(Error::PasswordChangeRequired);
        }
        if !session.role.may(permission) {
            self.audit(
                NewAudit::new(
                    Some(session.staff_id),
                    session.username.clone(),
                    "permission.refused",
                )
                .outcome(AuditOutcome::Refused)
                .detail(
                    json!({ "permission": permission.as_str(), "role": session.role.as_str() }),
                ),
            )
            .await?;
            return Err(Error::Forbidden);
        }
        Ok(Actor {
            staff_id: session.staff_id,
            username: session.username,
            role: session.role,
        })
    }

    /// Verifies a password for `record`, counting failures toward the lock-out. The attempt
    /// is counted (reserved) before the argon2 work, which runs off the async threads and
    /// outside any transaction; a right password gives the place back in the returned
    /// transaction. Staff, tests and the bench call this through sign-in, unlock and the
    /// password change only.
    pub(crate) async fn check_password(
        &self,
        record: &StaffRecord,
        password: &str,
        policy: &Policy,
        action: &'static str,
    ) -> Result<Verified> {
        let now = self.now();
        let until = now + Duration::minutes(policy.lockout_minutes);
        let mut tx = self.store.begin().await?;
        let reserved =
            staff::reserve_attempt(&mut tx, record.id, now, policy.lockout_attempts, until).await?;
        let Some(attempt) = reserved else {
            audit::append(
                &mut tx,
                now,
                NewAudit::new(Some(record.id), record.username.clone(), action)
                    .outcome(AuditOutcome::Refused)
                    .detail(json!({ "reason": "account_locked" })),
            )
            .await?;
            tx.commit().await?;
            return Err(Error::AccountLocked);
        };
        // The reservation is committed before hashing: it is what parallel attempts see.
        tx.commit().await?;

        let (pw, phc) = (password.to_owned(), attempt.password_hash.clone());
        let valid = tokio::task::spawn_blocking(move || staff::verify_password(&pw, &phc))
            .await
            .map_err(anyhow::Error::from)?;
        let mut tx = self.store.begin().await?;
        if valid && attempt.active {
            // `None`: deactivated while the password was checked; refused like any failure.
            if let Some(staff) = staff::record_success(&mut tx, record.id).await? {
                return Ok(Verified { tx, staff });
            }
        }
        let reason = if attempt.active {
            "bad_credentials"
        } else {
            "account_inactive"
        };
        audit::append(
            &mut tx,
            now,
            NewAudit::new(Some(record.id), record.username.clone(), action)
                .outcome(AuditOutcome::Failed)
                .detail(json!({ "reason": reason })),
        )
        .await?;
        let result = if attempt.locks {
            audit::append(
                &mut tx,
                now,
                NewAudit::new(Some(record.id), record.username.clone(), "auth.locked_out")
                    .outcome(AuditOutcome::Refused)
                    .detail(json!({ "until": audit::timestamp(until) })),
            )
            .await?;
            Err(Error::AccountLocked)
        } else {
            Err(Error::BadCredentials)
        };
        tx.commit().await?;
        result
    }

    pub async fn sign_in(&self, input: SignInInput) -> Result<StaffSession> {
        let policy = self.policy().await?;
        let username = input.username.trim().to_ascii_lowercase();
        let Some(record) = staff::find_by_username(self.store.read(), &username).await? else {
            let pw = input.password.clone();
            tokio::task::spawn_blocking(move || staff::verify_against_dummy(&pw))
                .await
                .map_err(anyhow::Error::from)?;
            // The typed name is kept (it may be a typo of a real one); it is not a secret.
            let shown: String = username.chars().take(32).collect();
            self.audit(
                NewAudit::new(None, shown, "auth.sign_in_failed")
                    .outcome(AuditOutcome::Failed)
                    .detail(json!({ "reason": "unknown_username" })),
            )
            .await?;
            return Err(Error::BadCredentials);
        };
        let Verified {
            mut tx,
            staff: record,
        } = self
            .check_password(&record, &input.password, &policy, "auth.sign_in_failed")
            .await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(record.id), record.username.clone(), "auth.sign_in").detail(
                json!({ "role": record.role.as_str(), "mustChangePassword": record.must_change_password }),
            ),
        )
        .await?;
        tx.commit().await?;
        let session = self.staff_session(&record, &policy);
        *self.slot() = Some(Session {
            staff: record,
            last_activity: self.monotonic(),
            locked: false,
        });
        Ok(session)
    }

    pub async fn sign_out(&self) -> Result<()> {
        let previous = self.slot().take();
        if let Some(s) = previous {
            self.audit(NewAudit::new(
                Some(s.staff.id),
                s.staff.username,
                "auth.sign_out",
            ))
            .await?;
        }
        Ok(())
    }

    /// Unlocks an idle-locked session with the same staff member's password. Failures count
    /// toward the lock-out; reaching it ends the session.
    pub async fn unlock(&self, input: UnlockInput) -> Result<StaffSession> {
        // A session whose account was deactivated meanwhile ends here, not at the lock screen.
        self.refresh_session().await?;
        let policy = self.policy().await?;
        let staff_id = match self.slot().as_ref() {
            None => return Err(Error::NotSignedIn),
            Some(s) => s.staff.id,
        };
        let record = staff::find_by_id(self.store.read(), staff_id).await?;
        let Verified {
            mut tx,
            staff: record,
        } = match self
            .check_password(&record, &input.password, &policy, "session.unlock_failed")
            .await
        {
            Ok(verified) => verified,
            Err(Error::AccountLocked) => {
                self.end_session_of(staff_id);
                return Err(Error::AccountLocked);
            }
            Err(other) => return Err(other),
        };
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(record.id), record.username.clone(), "session.unlocked"),
        )
        .await?;
        tx.commit().await?;
        let session = self.staff_session(&record, &policy);
        if let Some(s) = self.slot().as_mut() {
            s.locked = false;
            s.last_activity = self.monotonic();
            s.staff = record;
        }
        Ok(session)
    }

    /// First run only: creates the first admin. It opens no session: the admin then signs in
    /// like everyone else, which proves the password was typed as meant.
    pub async fn setup_admin(&self, input: SetupAdminInput) -> Result<StaffSummary> {
        if staff::admin_exists(self.store.read()).await? {
            return Err(Error::Conflict("setup has already been done".into()));
        }
        let new = NewStaffInput {
            username: input.username,
            display_name: input.display_name,
            role: Role::Admin,
            password: input.password,
        };
        let prepared = tokio::task::spawn_blocking(move || staff::prepare(&new))
            .await
            .map_err(anyhow::Error::from)??;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        // Re-checked inside the write transaction: two first runs racing create one admin.
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM staff WHERE role = 'admin')")
                .fetch_one(&mut *tx)
                .await?;
        if exists {
            return Err(Error::Conflict("setup has already been done".into()));
        }
        let id = staff::insert(&mut tx, &prepared, now).await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(Some(id), prepared.username.clone(), "setup.admin_created")
                .subject("staff", id.to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(StaffSummary {
            staff_id: id,
            username: prepared.username,
            display_name: prepared.display_name,
            role: Role::Admin,
            active: true,
            locked_until: None,
            must_change_password: false,
            branch: None,
            branch_settable: false,
        })
    }

    // ---- staff and settings -------------------------------------------------------------

    pub async fn staff_list(&self) -> Result<Vec<StaffSummary>> {
        self.authorize(Permission::ManageStaff).await?;
        staff::list(self.store.read()).await
    }

    pub async fn staff_create(&self, input: NewStaffInput) -> Result<StaffSummary> {
        let actor = self.authorize(Permission::ManageStaff).await?;
        let prepared = tokio::task::spawn_blocking(move || staff::prepare(&input))
            .await
            .map_err(anyhow::Error::from)??;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let id = staff::insert(&mut tx, &prepared, now).await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(Some(actor.staff_id), actor.username, "staff.created")
                .subject("staff", id.to_string())
                .detail(json!({ "username": prepared.username, "role": prepared.role.as_str() })),
        )
        .await?;
        tx.commit().await?;
        Ok(StaffSummary {
            staff_id: id,
            username: prepared.username,
            display_name: prepared.display_name,
            role: prepared.role,
            active: true,
            locked_until: None,
            must_change_password: false,
            branch: None,
            branch_settable: staff::branch_settable(prepared.role),
        })
    }

    /// The settings and the range each may take (the screen shows the bounds core enforces).
    pub async fn settings_get(&self) -> Result<settings::SettingsView> {
        self.authorize(Permission::ManageSettings).await?;
        let policy = settings::load(self.store.read()).await?;
        Ok(settings::SettingsView::of(Settings {
            idle_lock_secs: policy.idle_lock_secs,
            branch: policy.branch,
        }))
    }

    pub async fn settings_update(&self, input: Settings) -> Result<settings::SettingsView> {
        let actor = self.authorize(Permission::ManageSettings).await?;
        let valid = settings::validate(&input)?;
        let before = settings::load(self.store.read()).await?;
        let mut tx = self.store.begin().await?;
        settings::save(&mut tx, &valid).await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username, "settings.updated").detail(json!({
                "idleLockSecs": [before.idle_lock_secs, valid.idle_lock_secs],
                "branch": [before.branch, valid.branch],
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(settings::SettingsView::of(valid))
    }

    // ---- audit --------------------------------------------------------------------------

    pub async fn audit_search(&self, query: AuditQuery) -> Result<AuditPage> {
        self.authorize(Permission::ViewAudit).await?;
        audit::search(self.store.read(), &query).await
    }

    pub async fn audit_verify(&self) -> Result<AuditVerify> {
        let actor = self.authorize(Permission::ViewAudit).await?;
        // The head the core holds is what shows a cut tail; without it the chain is still
        // checked, and the answer says the anchor could not be.
        let core = match &self.sync {
            Some(engine) => match engine.core().audit_anchor().await {
                Ok(Some(head)) => audit::CoreAnchor::Known(head),
                Ok(None) => audit::CoreAnchor::None,
                Err(err) => {
                    tracing::info!(error = %err, "audit verify: the core's anchor is unavailable");
                    audit::CoreAnchor::Unavailable
                }
            },
            None => audit::CoreAnchor::Unavailable,
        };
        let result = audit::verify(self.store.read(), self.store.audit_key(), core).await?;
        self.audit(
            NewAudit::new(Some(actor.staff_id), actor.username, "audit.verified")
                .outcome(if result.ok {
                    AuditOutcome::Ok
                } else {
                    AuditOutcome::Failed
                })
                .detail(json!({
                    "checked": result.checked,
                    "firstBroken": result.first_broken,
                    "anchoredSequence": result.anchored_sequence,
                })),
        )
        .await?;
        Ok(result)
    }

    // ---- training mode ------------------------------------------------------------------

    /// In training mode, creates one demo account per working role the first time, with random
    /// passwords returned to the caller to show once. Does nothing outside training mode or
    /// when demo staff already exist.
    pub async fn seed_training_staff(&self) -> Result<Vec<DemoCredential>> {
        if !self.config.training_mode {
            return Ok(Vec::new());
        }
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE role <> 'admin'")
            .fetch_one(self.store.read())
            .await?;
        if existing > 0 {
            return Ok(Vec::new());
        }
        let demo = [
            ("teller", "王柜员", Role::Teller),
            ("booth", "李推广", Role::Booth),
            ("complaints", "张投诉", Role::Complaints),
            ("disputes", "赵争议", Role::Disputes),
            ("supervisor", "陈主管", Role::Supervisor),
        ];
        let prepared = tokio::task::spawn_blocking(move || {
            demo.into_iter()
                .map(|(username, name, role)| {
                    let password = random_password();
                    let input = NewStaffInput {
                        username: username.to_owned(),
                        display_name: name.to_owned(),
                        role,
                        password: password.clone(),
                    };
                    staff::prepare(&input).map(|p| (p, password))
                })
                .collect::<Result<Vec<_>>>()
        })
        .await
        .map_err(anyhow::Error::from)??;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        let mut out = Vec::new();
        for (p, password) in prepared {
            let id = staff::insert(&mut tx, &p, now).await?;
            audit::append(
                &mut tx,
                now,
                NewAudit::new(None, "system", "training.staff_seeded")
                    .subject("staff", id.to_string())
                    .detail(json!({ "username": p.username, "role": p.role.as_str() })),
            )
            .await?;
            out.push(DemoCredential {
                username: p.username,
                role: p.role,
                password,
            });
        }
        tx.commit().await?;
        Ok(out)
    }
}

/// 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I), easy to read aloud.
fn random_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}
