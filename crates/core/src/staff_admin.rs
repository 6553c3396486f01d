//! The staff lifecycle: deactivate and reactivate an account, change its role, make its owner
//! set a new password, and that password change itself.
//!
//! Each change is the administrator's (`ManageStaff`), is audited in its own transaction, and
//! reaches a signed-in session at its next command, because `Console::authorize` re-reads the
//! account every time. An account is never deleted: the audit trail keeps naming it.

use crate::access::{Permission, Role};
use crate::audit::{self, NewAudit};
use crate::console::{Actor, Console, StaffSession, Verified};
use crate::domain::typed::normalize_typed;
use crate::error::{Error, Result};
use crate::staff::{self, StaffRecord, StaffSummary};
use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::SqliteConnection;
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoleChangeInput {
    #[ts(type = "number")]
    pub staff_id: i64,
    pub role: Role,
}

/// A supervisor's branch, as an administrator types it: empty for head office.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BranchChangeInput {
    #[ts(type = "number")]
    pub staff_id: i64,
    pub branch: Option<String>,
}

/// The longest branch code kept (the core's codes are short: `SH-001`, `BJ01`).
const BRANCH_MAX: usize = 32;

/// A branch code as typed: full-width IME input folded to ASCII and trimmed; empty is head
/// office (`None`). Refused (`branch_invalid`): longer than [`BRANCH_MAX`], or holding a space
/// or a control character, which no core branch code has.
pub fn parse_branch(typed: Option<&str>) -> Result<Option<String>> {
    let text = typed.map(normalize_typed).unwrap_or_default();
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > BRANCH_MAX
        || text.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Error::field("branch", "branch_invalid"));
    }
    Ok(Some(text.to_owned()))
}

#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PasswordChangeInput {
    pub current_password: String,
    pub new_password: String,
}

/// Passwords never reach a log line through `{:?}`.
impl std::fmt::Debug for PasswordChangeInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordChangeInput { .. }")
    }
}

/// The rule that keeps the console manageable: a change that would leave no active
/// administrator is refused (nobody could then create, repair or reactivate an account).
async fn keep_an_admin(conn: &mut SqliteConnection, target: &StaffRecord) -> Result<()> {
    if target.role == Role::Admin && target.active && staff::active_admins(conn).await? <= 1 {
        return Err(Error::conflict_on("staff", "last_admin"));
    }
    Ok(())
}

enum Change {
    Deactivate,
    Reactivate,
    Role(Role),
    RequireNewPassword,
    Branch(Option<String>),
}

impl Console {
    pub async fn staff_deactivate(&self, staff_id: i64) -> Result<StaffSummary> {
        let actor = self.authorize(Permission::ManageStaff).await?;
        let summary = self
            .change_staff(&actor, staff_id, Change::Deactivate)
            .await?;
        // Deactivating oneself (allowed while another administrator is left) ends the session
        // now rather than at the next command.
        if staff_id == actor.staff_id {
            self.end_session_of(staff_id);
        }
        Ok(summary)
    }

    pub async fn staff_reactivate(&self, staff_id: i64) -> Result<StaffSummary> {
        let actor = self.authorize(Permission::ManageStaff).await?;
        self.change_staff(&actor, staff_id, Change::Reactivate)
            .await
    }

    pub async fn staff_set_role(&self, input: RoleChangeInput) -> Result<StaffSummary> {
        let actor = self.authorize(Permission::ManageStaff).await?;
        self.change_staff(&actor, input.staff_id, Change::Role(input.role))
            .await
    }

    /// The branch a supervisor answers for in Insights (none: head office, every branch).
    /// Only a supervisor has one: other roles' numbers are their own whatever their branch.
    pub async fn staff_set_branch(&self, input: BranchChangeInput) -> Result<StaffSummary> {
        let actor = self.authorize(Permission::ManageStaff).await?;
        let branch = parse_branch(input.branch.as_deref())?;
        self.change_staff(&actor, input.staff_id, Change::Branch(branch))
            .await
    }

    /// The owner must set a new password at their next sign-in (or next command, if signed
    /// in now) before anything else.
    pub async fn staff_require_password_change(&self, staff_id: i64) -> Result<StaffSummary> {
        let actor = self.authorize(Permission::ManageStaff).await?;
        self.change_staff(&actor, staff_id, Change::RequireNewPassword)
            .await
    }

    async fn change_staff(
        &self,
        actor: &Actor,
        staff_id: i64,
        change: Change,
    ) -> Result<StaffSummary> {
        let now = self.now();
        let mut tx = self.store().begin().await?;
        // Read inside the write transaction: the store's single writer makes the check and
        // the change one step (two administrators cannot each demote the other).
        let target = staff::find_by_id_in(&mut tx, staff_id).await?;
        let (action, detail): (&str, Value) = match change {
            Change::Deactivate => {
                if !target.active {
                    return Err(Error::conflict_on("staff", "already_inactive"));
                }
                keep_an_admin(&mut tx, &target).await?;
                staff::set_active(&mut tx, staff_id, false).await?;
                ("staff.deactivated", json!({ "role": target.role.as_str() }))
            }
            Change::Reactivate => {
                if target.active {
                    return Err(Error::conflict_on("staff", "already_active"));
                }
                staff::set_active(&mut tx, staff_id, true).await?;
                ("staff.reactivated", json!({ "role": target.role.as_str() }))
            }
            Change::Role(role) => {
                if role == target.role {
                    return Err(Error::conflict_on("role", "role_unchanged"));
                }
                keep_an_admin(&mut tx, &target).await?;
                staff::set_role(&mut tx, staff_id, role).await?;
                (
                    "staff.role_changed",
                    json!({ "from": target.role.as_str(), "to": role.as_str() }),
                )
            }
            Change::Branch(branch) => {
                if !target.summary().branch_settable {
                    return Err(Error::field("branch", "branch_only_for_supervisors"));
                }
                if branch == target.branch {
                    return Err(Error::conflict_on("branch", "branch_unchanged"));
                }
                staff::set_branch(&mut tx, staff_id, branch.as_deref()).await?;
                (
                    "staff.branch_set",
                    json!({ "from": target.branch, "to": branch }),
                )
            }
            Change::RequireNewPassword => {
                if !target.active {
                    return Err(Error::conflict_on("staff", "already_inactive"));
                }
                staff::require_password_change(&mut tx, staff_id).await?;
                ("staff.password_change_required", json!({}))
            }
        };
        audit::append(
            &mut tx,
            now,
            NewAudit::new(Some(actor.staff_id), actor.username.clone(), action)
                .subject("staff", staff_id.to_string())
                .detail(json!({ "username": target.username, "change": detail })),
        )
        .await?;
        let after = staff::find_by_id_in(&mut tx, staff_id).await?;
        tx.commit().await?;
        Ok(after.summary())
    }

    /// The signed-in staff member sets a new password, proving the current one (failures count
    /// toward the lock-out, which ends the session as at the lock screen). It lifts a required
    /// change, and is the only command such a session may run.
    pub async fn password_change(&self, input: PasswordChangeInput) -> Result<StaffSession> {
        let actor = self.authorize(Permission::ChangeOwnPassword).await?;
        let policy = self.policy().await?;
        let record = staff::find_by_id(self.store().read(), actor.staff_id).await?;
        let (username, current, new) = (
            record.username.clone(),
            input.current_password.clone(),
            input.new_password,
        );
        let prepared =
            tokio::task::spawn_blocking(move || staff::prepare_password(&username, &current, &new))
                .await
                .map_err(anyhow::Error::from)??;
        let Verified { mut tx, .. } = match self
            .check_password(
                &record,
                &input.current_password,
                &policy,
                "staff.password_change_failed",
            )
            .await
        {
            Ok(verified) => verified,
            Err(Error::AccountLocked) => {
                self.end_session_of(record.id);
                return Err(Error::AccountLocked);
            }
            Err(other) => return Err(other),
        };
        let now = self.now();
        staff::set_password(&mut tx, record.id, &prepared, now).await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(
                Some(record.id),
                record.username.clone(),
                "staff.password_changed",
            )
            .subject("staff", record.id.to_string())
            .detail(json!({ "wasRequired": record.must_change_password })),
        )
        .await?;
        let fresh = staff::find_by_id_in(&mut tx, record.id).await?;
        tx.commit().await?;
        let session = self.staff_session(&fresh, &policy);
        self.update_session_staff(fresh);
        Ok(session)
    }
}
