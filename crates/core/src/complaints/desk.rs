//! The desk as a role sees it (which views, which figures) and the supervisor's desk settings:
//! the complaint policy figures, the maximum of group representatives, and the team of the
//! level above that reviews decisions. The screen renders what this answers and holds no copy
//! of a rule: which tabs a role sees comes from the same table that guards the commands.

use super::case::{self, MAX_REPRESENTATIVES_KEY, POLICY_KEY};
use super::clock::ComplaintPolicy;
use crate::access::{Permission, Role};
use crate::error::{Error, FieldError, Result};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

/// Settings key of the team of the level above that reviews decisions.
pub const REVIEW_TEAM_KEY: &str = "complaint_review_team";
/// Head office's complaint review team: the level above every branch by default.
pub const DEFAULT_REVIEW_TEAM: &str = "总行消保复核组";
/// DOMAIN.md: at most 5 by default; a supervisor may set 1 to this many.
pub const MAX_REPRESENTATIVES_CEILING: u32 = 20;
/// No complaint period (in days) may be set beyond this: a year is far beyond any rule.
pub const MAX_POLICY_DAYS: u32 = 366;

/// A view of the complaint desk. Each is opened by the permission of the commands behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DeskPane {
    /// Log a complaint at the counter: for staff who do not work the queue (its "new" button
    /// is theirs).
    Counter,
    Queue,
    Suggestions,
    Pending,
    Stats,
    Settings,
}

impl DeskPane {
    pub const ALL: [DeskPane; 6] = [
        DeskPane::Counter,
        DeskPane::Queue,
        DeskPane::Suggestions,
        DeskPane::Pending,
        DeskPane::Stats,
        DeskPane::Settings,
    ];

    pub fn permission(self) -> Permission {
        match self {
            DeskPane::Counter => Permission::LogComplaint,
            DeskPane::Queue | DeskPane::Suggestions => Permission::WorkComplaints,
            DeskPane::Pending => Permission::ApproveComplaintExtension,
            DeskPane::Stats => Permission::ViewComplaintStats,
            DeskPane::Settings => Permission::ManageComplaintDesk,
        }
    }
}

/// The settings a supervisor keeps for the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeskSettings {
    /// The figures new cases start under (a running case keeps the ones it started with).
    pub policy: ComplaintPolicy,
    pub max_representatives: u32,
    /// Where a review request goes: the level above, never the branch that decided.
    pub review_team: String,
    /// The rules that escalate a case to a supervisor on their own.
    pub escalation: super::escalation::EscalationRules,
}

/// What the signed-in staff member's role may see of the desk, with the desk's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeskView {
    pub panes: Vec<DeskPane>,
    /// May reward a suggestion and edit the category tree, calendar and settings.
    pub may_manage: bool,
    pub settings: DeskSettings,
}

pub fn panes(role: Role) -> Vec<DeskPane> {
    DeskPane::ALL
        .into_iter()
        .filter(|p| role.may(p.permission()))
        .filter(|p| *p != DeskPane::Counter || !role.may(Permission::WorkComplaints))
        .collect()
}

async fn setting(conn: &mut SqliteConnection, key: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

async fn put_setting(conn: &mut SqliteConnection, key: &str, value: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn review_team(conn: &mut SqliteConnection) -> Result<String> {
    Ok(setting(conn, REVIEW_TEAM_KEY)
        .await?
        .unwrap_or_else(|| DEFAULT_REVIEW_TEAM.to_owned()))
}

pub async fn load(conn: &mut SqliteConnection) -> Result<DeskSettings> {
    Ok(DeskSettings {
        policy: case::load_policy(conn).await?,
        max_representatives: case::max_representatives(conn).await?,
        review_team: review_team(conn).await?,
        escalation: super::escalation::load_rules(conn).await?,
    })
}

/// Every refused figure at once, each marked on its own field, so the form shows them all.
pub fn validate(input: &DeskSettings) -> Result<DeskSettings> {
    let mut refused = Vec::new();
    let p = &input.policy;
    let days = [
        ("decideWithinDays", p.decide_within_days),
        ("complexLimitDays", p.complex_limit_days),
        (
            "particularlyComplexExtraDays",
            p.particularly_complex_extra_days,
        ),
        ("maxLimitDays", p.max_limit_days),
        ("reviewRequestWithinDays", p.review_request_within_days),
        ("reviewDecideWithinDays", p.review_decide_within_days),
    ];
    for (field, value) in days {
        if value == 0 || value > MAX_POLICY_DAYS {
            refused.push(FieldError::new(field, "policy_days_out_of_range"));
        }
    }
    if p.due_soon_warning_days > p.decide_within_days {
        refused.push(FieldError::new(
            "dueSoonWarningDays",
            "policy_warning_too_long",
        ));
    }
    if p.complex_limit_days < p.decide_within_days {
        refused.push(FieldError::new(
            "complexLimitDays",
            "policy_limits_out_of_order",
        ));
    }
    if p.max_limit_days < p.complex_limit_days {
        refused.push(FieldError::new(
            "maxLimitDays",
            "policy_limits_out_of_order",
        ));
    }
    if input.max_representatives == 0 || input.max_representatives > MAX_REPRESENTATIVES_CEILING {
        refused.push(FieldError::new(
            "maxRepresentatives",
            "max_representatives_out_of_range",
        ));
    }
    let team = input.review_team.trim();
    if team.is_empty() || team.chars().count() > super::intake::SHORT_TEXT {
        refused.push(FieldError::new("reviewTeam", "text_required"));
    }
    for mut f in input.escalation.validate() {
        f.field = format!("escalation.{}", f.field);
        refused.push(f);
    }
    if !refused.is_empty() {
        return Err(Error::InvalidFields(refused));
    }
    // What the clock itself demands of a policy, checked last (the fields above name the cause).
    p.validate()
        .map_err(|_| Error::field("maxLimitDays", "policy_limits_out_of_order"))?;
    Ok(DeskSettings {
        policy: *p,
        max_representatives: input.max_representatives,
        review_team: team.to_owned(),
        escalation: input.escalation,
    })
}

/// Stores valid settings; returns the ones they replaced (for the audit record).
pub async fn save(conn: &mut SqliteConnection, valid: &DeskSettings) -> Result<DeskSettings> {
    let before = load(conn).await?;
    let policy = serde_json::to_string(&valid.policy).map_err(anyhow::Error::from)?;
    put_setting(conn, POLICY_KEY, &policy).await?;
    put_setting(
        conn,
        MAX_REPRESENTATIVES_KEY,
        &valid.max_representatives.to_string(),
    )
    .await?;
    put_setting(conn, REVIEW_TEAM_KEY, &valid.review_team).await?;
    super::escalation::save_rules(conn, &valid.escalation).await?;
    Ok(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> DeskSettings {
        DeskSettings {
            policy: ComplaintPolicy::default(),
            max_representatives: 5,
            review_team: DEFAULT_REVIEW_TEAM.into(),
            escalation: crate::complaints::escalation::EscalationRules::default(),
        }
    }

    fn refused_fields(input: &DeskSettings) -> Vec<String> {
        match validate(input) {
            Err(Error::InvalidFields(f)) => f.into_iter().map(|f| f.field).collect(),
            other => panic!("expected refused fields, got {other:?}"),
        }
    }

    #[test]
    fn only_supervisors_see_the_pending_stats_and_settings_panes_and_tellers_the_counter() {
        assert_eq!(
            panes(Role::Complaints),
            vec![DeskPane::Queue, DeskPane::Suggestions]
        );
        assert_eq!(panes(Role::Supervisor), DeskPane::ALL[1..].to_vec());
        assert_eq!(panes(Role::Teller), vec![DeskPane::Counter]);
        assert!(panes(Role::Booth).is_empty());
    }

    #[test]
    fn desk_settings_defaults_are_valid() {
        assert_eq!(validate(&defaults()).ok(), Some(defaults()));
    }

    #[test]
    fn desk_settings_refuse_limits_out_of_order_and_zero_days() {
        let mut s = defaults();
        s.policy.complex_limit_days = 10;
        s.policy.review_decide_within_days = 0;
        let fields = refused_fields(&s);
        assert!(
            fields.contains(&"complexLimitDays".to_owned()),
            "{fields:?}"
        );
        assert!(
            fields.contains(&"reviewDecideWithinDays".to_owned()),
            "{fields:?}"
        );
    }

    #[test]
    fn desk_settings_refuse_zero_or_too_many_representatives() {
        for n in [0, MAX_REPRESENTATIVES_CEILING + 1] {
            let mut s = defaults();
            s.max_representatives = n;
            assert_eq!(refused_fields(&s), vec!["maxRepresentatives".to_owned()]);
        }
    }

    #[test]
    fn desk_settings_refuse_a_warning_longer_than_the_decision_period() {
        let mut s = defaults();
        s.policy.due_soon_warning_days = 16;
        assert_eq!(refused_fields(&s), vec!["dueSoonWarningDays".to_owned()]);
    }
}

/// Renames a category or retires it (`active: false`): codes stay, since statistics group by
/// them, and a retired category keeps its past cases but takes no new ones.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryUpdateInput {
    pub id: i64,
    pub name: String,
    pub active: bool,
}

pub async fn update_category(
    conn: &mut SqliteConnection,
    input: &CategoryUpdateInput,
) -> Result<super::intake::Category> {
    let name = super::types::Text::parse("name", &input.name, super::intake::SHORT_TEXT)?;
    let row: Option<(Option<i64>, String)> =
        sqlx::query_as("SELECT parent_id, code FROM complaint_categories WHERE id = ?")
            .bind(input.id)
            .fetch_optional(&mut *conn)
            .await?;
    let (parent_id, code) = row.ok_or_else(|| Error::NotFound(format!("category {}", input.id)))?;
    if !input.active {
        // A retired parent would leave active children unreachable in the intake tree.
        let live_children: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM complaint_categories WHERE parent_id = ? AND active = 1)",
        )
        .bind(input.id)
        .fetch_one(&mut *conn)
        .await?;
        if live_children {
            return Err(Error::conflict_on("active", "category_has_active_children"));
        }
    }
    sqlx::query("UPDATE complaint_categories SET name = ?, active = ? WHERE id = ?")
        .bind(name.as_str())
        .bind(input.active)
        .bind(input.id)
        .execute(&mut *conn)
        .await?;
    Ok(super::intake::Category {
        id: input.id,
        parent_id,
        code,
        name: name.into_string(),
        active: input.active,
    })
}

impl crate::console::Console {
    /// The desk as the signed-in role sees it: its panes and the desk's settings.
    pub async fn complaint_desk(&self) -> Result<DeskView> {
        let actor = self.authorize(Permission::LogComplaint).await?;
        let mut conn = self.store().read().acquire().await?;
        Ok(DeskView {
            panes: panes(actor.role),
            may_manage: actor.role.may(Permission::ManageComplaintDesk),
            settings: load(&mut conn).await?,
        })
    }

    /// Replaces the desk settings (validated here, audited with before and after). New cases
    /// start under the new figures; running cases keep theirs.
    pub async fn complaint_desk_settings_set(&self, input: DeskSettings) -> Result<DeskView> {
        let actor = self.authorize(Permission::ManageComplaintDesk).await?;
        let valid = validate(&input)?;
        let mut tx = self.store().begin().await?;
        let before = save(&mut tx, &valid).await?;
        crate::audit::append(
            &mut tx,
            self.now(),
            crate::audit::NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "complaint.desk_settings_updated",
            )
            .detail(serde_json::json!({ "before": before, "after": valid })),
        )
        .await?;
        tx.commit().await?;
        self.complaint_desk().await
    }

    pub async fn complaint_category_update(
        &self,
        input: CategoryUpdateInput,
    ) -> Result<super::intake::Category> {
        let actor = self.authorize(Permission::ManageComplaintDesk).await?;
        let mut tx = self.store().begin().await?;
        let category = update_category(&mut tx, &input).await?;
        crate::audit::append(
            &mut tx,
            self.now(),
            crate::audit::NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "complaint.category_updated",
            )
            .subject("complaint_category", category.code.clone())
            .detail(serde_json::json!({ "name": category.name, "active": category.active })),
        )
        .await?;
        tx.commit().await?;
        Ok(category)
    }
}
