//! The team queue's commands (`impl Console`): each authorises the signed-in staff member,
//! then calls the team store as that member. Without team mode (`WALLETDESK_TEAM_DB` unset)
//! each is refused as `conflict` on `team` (`team_mode_off`) and the console's own desk is
//! untouched.

use super::counter::{self, CounterIntake};
use super::live::QueueWatch;
use super::{
    NewTeamMember, PendingTeamExtension, TakeOutcome, TeamCase, TeamMember, TeamQueuePage,
    TeamQueueQuery, TeamStore,
};
use crate::access::Permission;
use crate::complaints::intake::NewComplaintInput;
use crate::console::{Actor, Console};
use crate::crypto::Sealer;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use ts_rs::TS;

/// The console's link to its team store: the store, the team this console works for, the
/// data key's sealer (held counter intake) and a live watch of the team's queue.
#[derive(Debug)]
pub struct TeamLink {
    store: TeamStore,
    team: String,
    sealer: Sealer,
    watch: QueueWatch,
    members: Mutex<HashMap<i64, TeamMember>>,
    forwarder: tokio::task::JoinHandle<()>,
}

impl Drop for TeamLink {
    fn drop(&mut self) {
        self.forwarder.abort();
    }
}

/// How often kept counter complaints are offered to the team server again.
pub const FORWARD_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

impl TeamLink {
    /// Starts watching `team`'s queue (LISTEN/NOTIFY and the version poll, see `live`) and
    /// forwarding counter complaints kept in `local` every [`FORWARD_EVERY`].
    pub async fn new(
        store: TeamStore,
        team: &str,
        sealer: Sealer,
        local: crate::store::Store,
        clock: std::sync::Arc<dyn crate::clock::Clock>,
    ) -> Result<TeamLink> {
        let watch = store.watch_queue(team).await?;
        let forwarder = {
            let (store, sealer) = (store.clone(), sealer.clone());
            tokio::spawn(async move {
                loop {
                    let now = clock.now();
                    let today = crate::clock::local_date(now);
                    match counter::forward_held(&local, &sealer, &store, today, now).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(n, "kept counter complaints sent to the team"),
                        Err(err) => tracing::warn!(error = %err, "forwarding kept complaints"),
                    }
                    tokio::time::sleep(FORWARD_EVERY).await;
                }
            })
        };
        Ok(TeamLink {
            store,
            team: team.to_owned(),
            sealer,
            watch,
            members: Mutex::new(HashMap::new()),
            forwarder,
        })
    }

    pub fn store(&self) -> &TeamStore {
        &self.store
    }

    /// The team this console works for.
    pub fn team(&self) -> &str {
        &self.team
    }
}

/// Connections a console keeps to the team server: a few handlers' screens and the forwarder.
const POOL_SIZE: u32 = 4;
/// How long a call waits for a connection before the server counts as away (a counter then
/// keeps the complaint rather than keep the customer waiting).
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Team mode as the environment asks for it at start-up (`team::settings`): `None` when
/// `WALLETDESK_TEAM_DB` is unset. The console opens even while the server is away; its
/// migrations run as soon as it answers.
///
/// Errors: a malformed or unverified server address, a missing secret, a bad team key or
/// team name — start-up stops and says which, rather than run a team console alone.
pub async fn link_from_env(
    local: crate::store::Store,
    sealer: Sealer,
    vault: Option<&dyn crate::credentials::SecretVault>,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
) -> anyhow::Result<Option<TeamLink>> {
    let Some(settings) = super::TeamSettings::from_env()? else {
        return Ok(None);
    };
    let (password, key) = settings.secrets(vault)?;
    let store = TeamStore::connect_postgres_lazy(
        settings.with_password(&password),
        &key,
        POOL_SIZE,
        ACQUIRE_TIMEOUT,
    );
    tracing::info!(server = %settings.label, team = %settings.team, "team mode");
    Ok(Some(
        TeamLink::new(store, &settings.team, sealer, local, clock).await?,
    ))
}

/// What the screens need to know about team mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamStatus {
    pub enabled: bool,
    pub team: Option<String>,
    /// The team queue's version as last heard: a screen showing an older one reloads.
    #[ts(type = "number")]
    pub version: i64,
    /// Counter complaints kept on this console until the team server answers.
    #[ts(type = "number")]
    pub held: i64,
}

/// A step on a case, at the version the screen showed.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamStepInput {
    #[ts(type = "number")]
    pub case_id: i64,
    #[ts(type = "number")]
    pub version: i64,
    /// The note, the extension's reason, or the findings.
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamExtensionDecisionInput {
    #[ts(type = "number")]
    pub extension_id: i64,
    pub approve: bool,
    pub note: Option<String>,
}

impl Console {
    pub(crate) fn team_link(&self) -> Result<&TeamLink> {
        self.team
            .as_ref()
            .ok_or_else(|| Error::conflict_on("team", "team_mode_off"))
    }

    /// The signed-in staff member as a member of the team (enrolled once per session).
    pub(crate) async fn team_member(&self, actor: &Actor) -> Result<TeamMember> {
        let link = self.team_link()?;
        if let Some(member) = link
            .members
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&actor.staff_id)
        {
            return Ok(member.clone());
        }
        let record = crate::staff::find_by_id(self.store().read(), actor.staff_id).await?;
        let member = link
            .store
            .enrol(&NewTeamMember {
                username: actor.username.clone(),
                display_name: record.display_name.clone(),
                role: actor.role,
                team: link.team.clone(),
            })
            .await?;
        link.members
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(actor.staff_id, member.clone());
        Ok(member)
    }

    pub async fn team_status(&self) -> Result<TeamStatus> {
        self.authorize(Permission::LogComplaint).await?;
        self.current_team_status().await
    }

    /// Team mode as it is now, for a caller already authorised (`team_status` for the
    /// complaint screens, `team_dispute_status` for the dispute team's).
    pub(crate) async fn current_team_status(&self) -> Result<TeamStatus> {
        let held = counter::held_count(self.store()).await?;
        Ok(match &self.team {
            Some(link) => TeamStatus {
                enabled: true,
                team: Some(link.team.clone()),
                version: *link.watch.receiver.borrow(),
                held,
            },
            None => TeamStatus {
                enabled: false,
                team: None,
                version: 0,
                held,
            },
        })
    }

    /// A complaint logged at the counter: into the team queue, or kept here while the team
    /// server is away (and forwarded by the link's task, [`FORWARD_EVERY`]).
    pub async fn team_register(&self, input: NewComplaintInput) -> Result<CounterIntake> {
        let actor = self.authorize(Permission::LogComplaint).await?;
        let link = self.team_link()?;
        let branch = self.policy().await?.branch;
        // Enrolling needs the server; when it is away the counter still takes the complaint,
        // filed under the member as this console knows them.
        let member = match self.team_member(&actor).await {
            Ok(member) => member,
            Err(err) if counter::unreachable(&err) => {
                let record = crate::staff::find_by_id(self.store().read(), actor.staff_id).await?;
                TeamMember {
                    id: 0,
                    username: actor.username.clone(),
                    display_name: record.display_name,
                    role: actor.role.as_str().to_owned(),
                    team: link.team.clone(),
                }
            }
            Err(err) => return Err(err),
        };
        counter::register_at_counter(
            self.store(),
            &link.sealer,
            &link.store,
            &actor,
            &member,
            input,
            &branch,
            crate::clock::local_date(self.now()),
            self.now(),
        )
        .await
    }

    pub async fn team_queue(&self, query: TeamQueueQuery) -> Result<TeamQueuePage> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let member = self.team_member(&actor).await?;
        self.team_link()?.store.queue(&member, &query).await
    }

    pub async fn team_take(&self, case_id: i64) -> Result<TakeOutcome> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let member = self.team_member(&actor).await?;
        let outcome = self
            .team_link()?
            .store
            .take(&member, case_id, self.now())
            .await?;
        Ok(match outcome {
            TakeOutcome::Taken { case } => TakeOutcome::Taken {
                case: Box::new(self.team_case_for(&member, case.id).await?),
            },
            other => other,
        })
    }

    pub async fn team_take_next(&self) -> Result<Option<TeamCase>> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let member = self.team_member(&actor).await?;
        let taken = self
            .team_link()?
            .store
            .take_next(&member, self.now())
            .await?;
        match taken {
            Some(case) => Ok(Some(self.team_case_for(&member, case.id).await?)),
            None => Ok(None),
        }
    }

    pub async fn team_case(&self, case_id: i64) -> Result<TeamCase> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let member = self.team_member(&actor).await?;
        self.team_case_for(&member, case_id).await
    }

    /// The case with the steps `member` may take today: what every step answers with, so the
    /// screen shows the next steps after each one.
    async fn team_case_for(&self, member: &TeamMember, case_id: i64) -> Result<TeamCase> {
        let today = crate::clock::local_date(self.now());
        self.team_link()?
            .store
            .case_for(member, case_id, today)
            .await
    }

    pub async fn team_note(&self, input: TeamStepInput) -> Result<TeamCase> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let member = self.team_member(&actor).await?;
        let case = self
            .team_link()?
            .store
            .add_note(
                &member,
                input.case_id,
                input.version,
                &input.text,
                self.now(),
            )
            .await?;
        self.team_case_for(&member, case.id).await
    }

    pub async fn team_extend(&self, input: TeamStepInput) -> Result<TeamCase> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let member = self.team_member(&actor).await?;
        let case = self
            .team_link()?
            .store
            .extend(
                &member,
                input.case_id,
                input.version,
                &input.text,
                crate::clock::local_date(self.now()),
                self.now(),
            )
            .await?;
        self.team_case_for(&member, case.id).await
    }

    pub async fn team_decide(&self, input: TeamStepInput) -> Result<TeamCase> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let member = self.team_member(&actor).await?;
        let case = self
            .team_link()?
            .store
            .decide(
                &member,
                input.case_id,
                input.version,
                &input.text,
                crate::clock::local_date(self.now()),
                self.now(),
            )
            .await?;
        self.team_case_for(&member, case.id).await
    }

    pub async fn team_pending_extensions(&self) -> Result<Vec<PendingTeamExtension>> {
        self.authorize(Permission::ApproveComplaintExtension)
            .await?;
        self.team_link()?.store.pending_extensions().await
    }

    pub async fn team_decide_extension(
        &self,
        input: TeamExtensionDecisionInput,
    ) -> Result<TeamCase> {
        let actor = self
            .authorize(Permission::ApproveComplaintExtension)
            .await?;
        let member = self.team_member(&actor).await?;
        let case = self
            .team_link()?
            .store
            .decide_extension(
                &member,
                input.extension_id,
                input.approve,
                input.note.as_deref(),
                crate::clock::local_date(self.now()),
                self.now(),
            )
            .await?;
        self.team_case_for(&member, case.id).await
    }
}
