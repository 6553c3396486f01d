//! The shared case queue: intake, the queue page, taking a case (one wins), take-next, steps
//! under optimistic versioning, the extension approvals inbox and the decision.
//!
//! Concurrency, case by case:
//! - **Take**: `UPDATE … SET assignee_id = me WHERE id = $1 AND assignee_id IS NULL`. Two
//!   consoles at once: PostgreSQL makes the second UPDATE wait for the first's row lock and
//!   then re-checks the WHERE on the committed row, so it changes nothing; the loser is told
//!   who has the case ([`TakeOutcome::AlreadyTaken`]).
//! - **Take next**: the team's first unassigned case in due order, `FOR UPDATE SKIP LOCKED`:
//!   twenty handlers pressing it together each get a different case at once, none waiting
//!   behind another's transaction.
//! - **Steps** name the case version their screen showed; the write is
//!   `UPDATE … WHERE id = $1 AND version = $2`, and a case that moved on since is refused
//!   with `conflict` on `version` (`stale_version`): the screen reloads, never overwrites.

use super::audit::TeamAudit;
use super::{TeamStore, TeamTx, on_pool, on_tx};
use crate::access::Role;
use crate::calendar::{BusinessCalendar, china_2026};
use crate::complaints::case::{
    CALENDAR_KEY, ClockEvent, POLICY_KEY, StoredEvent, date_text, parse_date, parse_policy,
    queue_due_on, replay_events,
};
use crate::complaints::clock::{ClosureKind, ComplaintClock, ComplaintPolicy};
use crate::complaints::intake::{self, LONG_TEXT, NewComplaintInput};
use crate::complaints::types::{CaseNo, ComplaintError, ComplaintStatus, Text};
use crate::complaints::work::CaseAction;
use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

/// A member of the team as the team store knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct TeamMember {
    #[ts(type = "number")]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub team: String,
}

impl TeamMember {
    pub(super) fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }
}

#[derive(Debug, Clone)]
pub struct NewTeamMember {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: String,
}

/// A case as a queue row and as the case screen's head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct TeamCase {
    #[ts(type = "number")]
    pub id: i64,
    pub case_no: String,
    pub channel: String,
    pub customer_id: Option<String>,
    pub prospect_name: Option<String>,
    pub product: String,
    #[ts(type = "number")]
    pub category_id: i64,
    pub severity: String,
    pub branch: String,
    pub received_on: String,
    pub team: String,
    pub status: String,
    pub due_on: String,
    pub closed_on: Option<String>,
    pub on_time: Option<bool>,
    #[ts(type = "number | null")]
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    /// The version a step must name (optimistic versioning).
    #[ts(type = "number")]
    pub version: i64,
    /// The steps the asking member may take on it now, decided by core
    /// ([`super::steps::team_actions`]). Read for the case screen; a queue row carries none.
    #[sqlx(skip)]
    pub actions: Vec<CaseAction>,
    /// A particularly complex extension of it waits for a supervisor (read with `actions`).
    #[sqlx(skip)]
    pub extension_pending: bool,
}

pub(super) const CASE_COLUMNS: &str = "c.id, c.case_no, c.channel, c.customer_id, c.prospect_name, \
     c.product, c.category_id, c.severity, c.branch, c.received_on, c.team, c.status, c.due_on, \
     c.closed_on, c.on_time, c.assignee_id, s.display_name AS assignee_name, c.version";

/// A queue page's row: the case and the queue version read in the same statement.
#[derive(Debug, sqlx::FromRow)]
struct PageRow {
    #[sqlx(flatten)]
    case: TeamCase,
    queue_version: Option<i64>,
}

/// Which part of a team's open work a queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TeamQueue {
    /// Every open case of the team.
    All,
    /// Nobody holds it yet.
    Unassigned,
    /// Held by the asking member.
    Mine,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamQueueQuery {
    pub team: String,
    pub queue: TeamQueue,
    /// `next` of the previous page.
    pub after: Option<String>,
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamQueuePage {
    pub cases: Vec<TeamCase>,
    pub next: Option<String>,
    /// The queue version this page was read at: a watch reporting a higher one means reload.
    #[ts(type = "number")]
    pub version: i64,
}

/// What "take" answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TakeOutcome {
    Taken {
        case: Box<TeamCase>,
    },
    /// A colleague was first: who has it, so the handler can talk to them.
    #[serde(rename_all = "camelCase")]
    AlreadyTaken {
        case_no: String,
        #[ts(type = "number")]
        by_id: i64,
        by_name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct PendingTeamExtension {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub case_id: i64,
    pub case_no: String,
    pub reason: String,
    #[ts(type = "number")]
    pub requested_by: i64,
    pub requested_by_name: String,
    pub requested_at: String,
}

pub const MAX_PAGE: u32 = 200;

impl TeamStore {
    /// Adds or refreshes a member (by username): a console does this when its staff member
    /// first works the team queue.
    pub async fn enrol(&self, member: &NewTeamMember) -> Result<TeamMember> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "INSERT INTO team_staff (username, display_name, role, team) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, \
             role = excluded.role, team = excluded.team \
             RETURNING id, username, display_name, role, team",
        )
        .bind(&member.username)
        .bind(&member.display_name)
        .bind(member.role.as_str())
        .bind(&member.team)
        .fetch_one(p)
        .await?))
    }

    /// The team's calendar and the policy new cases start under, as on the console.
    pub async fn save_calendar(&self, calendar: &BusinessCalendar) -> Result<()> {
        on_pool!(self, p => sqlx::query(
            "INSERT INTO team_settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(CALENDAR_KEY)
        .bind(calendar.to_text())
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Registers a complaint in the team queue. `intake_key` is the counter's key of a
    /// complaint kept while the server was away: registering it again answers the case made
    /// the first time (exactly once), with its original receipt date.
    pub async fn register(
        &self,
        by: &TeamMember,
        input: NewComplaintInput,
        branch: &str,
        intake_key: Option<&str>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamCase> {
        let parsed = intake::parse(input, today)?;
        let branch = Text::parse("branch", branch, intake::SHORT_TEXT)?;
        let mut tx = self.begin(now).await?;
        if let Some(key) = intake_key {
            let existing: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
                "SELECT id FROM team_cases WHERE intake_key = $1",
            )
            .bind(key)
            .fetch_optional(c)
            .await?);
            if let Some(id) = existing {
                tx.commit().await?;
                return self.case(id).await;
            }
        }
        let active: Option<bool> = on_tx!(tx, c => sqlx::query_scalar(
            "SELECT active FROM team_categories WHERE id = $1",
        )
        .bind(parsed.category_id)
        .fetch_optional(c)
        .await?);
        match active {
            Some(true) => {}
            Some(false) => return Err(Error::field("categoryId", "category_retired")),
            None => return Err(Error::field("categoryId", "category_unknown")),
        }
        let (calendar, policy) = settings(&mut tx).await?;
        let clock = ComplaintClock::received_under(policy, parsed.received_on)
            .map_err(ComplaintError::from)?;
        let due = queue_due_on(&clock, &calendar)?;
        let year = parsed.received_on.year();
        let serial: i64 = on_tx!(tx, c => sqlx::query_scalar(
            "INSERT INTO team_case_numbers (year, last) VALUES ($1, 1) \
             ON CONFLICT (year) DO UPDATE SET last = team_case_numbers.last + 1 RETURNING last",
        )
        .bind(i64::from(year))
        .fetch_one(c)
        .await?);
        let case_no = CaseNo::new(year, serial);
        let policy_text = serde_json::to_string(&policy).map_err(anyhow::Error::from)?;
        let (prospect_name, prospect_contact) = match &parsed.prospect {
            Some((name, contact)) => (Some(name.as_str()), Some(contact.as_str())),
            None => (None, None),
        };
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
            "INSERT INTO team_cases (case_no, intake_key, channel, customer_id, prospect_name, \
             prospect_contact, product, category_id, what_happened, customer_asks, severity, \
             branch, received_on, team, status, policy, due_on, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open', $15, \
             $16, $17, $18) RETURNING id",
        )
        .bind(case_no.as_str())
        .bind(intake_key)
        .bind(parsed.channel.as_str())
        .bind(&parsed.customer_id)
        .bind(prospect_name)
        .bind(prospect_contact)
        .bind(parsed.product.as_str())
        .bind(parsed.category_id)
        .bind(parsed.what_happened.as_str())
        .bind(parsed.customer_asks.as_str())
        .bind(parsed.severity.as_str())
        .bind(branch.as_str())
        .bind(date_text(parsed.received_on))
        .bind(parsed.team.as_str())
        .bind(&policy_text)
        .bind(date_text(due))
        .bind(by.id)
        .bind(crate::audit::timestamp(now))
        .fetch_one(c)
        .await?);
        let action = if intake_key.is_some() {
            "team.case_forwarded"
        } else {
            "team.case_registered"
        };
        tx.audit(
            TeamAudit::new(by.id, &by.username, action)
                .case(case_no.as_str())
                .detail(json!({
                    "team": parsed.team.as_str(),
                    "receivedOn": date_text(parsed.received_on),
                    "dueOn": date_text(due),
                })),
        );
        tx.touch(parsed.team.as_str());
        tx.commit().await?;
        self.case(id).await
    }

    pub async fn case(&self, id: i64) -> Result<TeamCase> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM team_cases c LEFT JOIN team_staff s ON s.id = c.assignee_id \
             WHERE c.id = $1"
        );
        let case: Option<TeamCase> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        case.ok_or_else(|| Error::NotFound(format!("team case {id}")))
    }

    /// One page of a team's open work in due order (keyset: the page after `after`).
    ///
    /// The page and the queue version come from one statement, so from one snapshot: a change
    /// committed after it shows as a newer version, never as a missed one, and a page costs
    /// one round trip to the server. An empty page carries no row to read the version from:
    /// then the version is read first and the page again (a change in between means reload).
    pub async fn queue(&self, me: &TeamMember, q: &TeamQueueQuery) -> Result<TeamQueuePage> {
        let limit = i64::from(q.limit.clamp(1, MAX_PAGE));
        let (after_due, after_id) = match &q.after {
            Some(key) => parse_key(key)?,
            None => (String::new(), 0),
        };
        let filter = match q.queue {
            TeamQueue::All => "",
            TeamQueue::Unassigned => " AND c.assignee_id IS NULL",
            TeamQueue::Mine => " AND c.assignee_id = $5",
        };
        let sql = format!(
            "SELECT {CASE_COLUMNS}, \
             (SELECT v.version FROM team_queue_versions v WHERE v.team = $1) AS queue_version \
             FROM team_cases c LEFT JOIN team_staff s ON s.id = c.assignee_id \
             WHERE c.team = $1 AND c.status IN ('open','paused'){filter} \
             AND (c.due_on, c.id) > ($2, $3) \
             ORDER BY c.due_on, c.id LIMIT $4"
        );
        let page = || async {
            let rows: Vec<PageRow> = on_pool!(self, p => {
                let query = sqlx::query_as(&sql)
                    .bind(&q.team)
                    .bind(&after_due)
                    .bind(after_id)
                    .bind(limit + 1);
                let query = if q.queue == TeamQueue::Mine { query.bind(me.id) } else { query };
                query.fetch_all(p).await?
            });
            Ok::<_, Error>(rows)
        };
        let mut rows = page().await?;
        let version = match rows.first() {
            Some(row) => row.queue_version.unwrap_or(0),
            None => {
                let version = self.queue_version(&q.team).await?;
                rows = page().await?;
                version
            }
        };
        let mut cases: Vec<TeamCase> = rows.into_iter().map(|row| row.case).collect();
        let next = if cases.len() as i64 > limit {
            cases.truncate(limit as usize);
            cases.last().map(|c| format!("{}|{}", c.due_on, c.id))
        } else {
            None
        };
        Ok(TeamQueuePage {
            cases,
            next,
            version,
        })
    }

    /// Takes a case for `me`: exactly one of two handlers pressing "take" together wins.
    pub async fn take(
        &self,
        me: &TeamMember,
        case_id: i64,
        now: DateTime<Utc>,
    ) -> Result<TakeOutcome> {
        require_handler(me)?;
        let mut tx = self.begin(now).await?;
        let taken: Option<(String, String)> = on_tx!(tx, c => sqlx::query_as(
            "UPDATE team_cases SET assignee_id = $1, taken_at = $2, version = version + 1 \
             WHERE id = $3 AND assignee_id IS NULL AND status IN ('open','paused') \
             RETURNING case_no, team",
        )
        .bind(me.id)
        .bind(crate::audit::timestamp(now))
        .bind(case_id)
        .fetch_optional(c)
        .await?);
        let Some((case_no, team)) = taken else {
            tx.commit().await?;
            let case = self.case(case_id).await?;
            let status = ComplaintStatus::parse(&case.status)?;
            return match (status.is_open(), case.assignee_id, case.assignee_name) {
                (true, Some(by_id), Some(by_name)) => Ok(TakeOutcome::AlreadyTaken {
                    case_no: case.case_no,
                    by_id,
                    by_name,
                }),
                _ => Err(ComplaintError::NotOpen {
                    case_no: case.case_no,
                    status,
                }
                .into()),
            };
        };
        tx.audit(TeamAudit::new(me.id, &me.username, "team.case_taken").case(&case_no));
        tx.touch(&team);
        tx.commit().await?;
        Ok(TakeOutcome::Taken {
            case: Box::new(self.case(case_id).await?),
        })
    }

    /// Takes the team's most urgent unassigned case, passing over any a colleague's
    /// transaction is taking this instant. `None`: nothing left to take.
    pub async fn take_next(&self, me: &TeamMember, now: DateTime<Utc>) -> Result<Option<TeamCase>> {
        require_handler(me)?;
        let mut tx = self.begin(now).await?;
        let sql = format!(
            "SELECT id, case_no FROM team_cases WHERE team = $1 AND status IN ('open','paused') \
             AND assignee_id IS NULL ORDER BY due_on, id LIMIT 1{}",
            tx.skip_locked()
        );
        let next: Option<(i64, String)> =
            on_tx!(tx, c => sqlx::query_as(&sql).bind(&me.team).fetch_optional(c).await?);
        let Some((id, case_no)) = next else {
            tx.commit().await?;
            return Ok(None);
        };
        // The row is ours (locked, or SQLite's single writer): the guard cannot fail, and is
        // kept so a change of the locking above could not silently take a held case.
        let changed = on_tx!(tx, c => sqlx::query(
            "UPDATE team_cases SET assignee_id = $1, taken_at = $2, version = version + 1 \
             WHERE id = $3 AND assignee_id IS NULL",
        )
        .bind(me.id)
        .bind(crate::audit::timestamp(now))
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
        if changed != 1 {
            return Err(Error::Internal(anyhow::anyhow!(
                "take-next lost a locked case {case_no}"
            )));
        }
        tx.audit(
            TeamAudit::new(me.id, &me.username, "team.case_taken")
                .case(&case_no)
                .detail(json!({ "next": true })),
        );
        tx.touch(&me.team);
        tx.commit().await?;
        Ok(Some(self.case(id).await?))
    }

    /// A note on the case by its holder, at the version the screen showed.
    pub async fn add_note(
        &self,
        me: &TeamMember,
        case_id: i64,
        version: i64,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<TeamCase> {
        let text = Text::parse("text", text, LONG_TEXT)?;
        let mut tx = self.begin(now).await?;
        let head = claim(&mut tx, me, case_id, version).await?;
        head.require_open()?;
        step(&mut tx, case_id, "note", text.as_str(), me.id, now).await?;
        tx.audit(TeamAudit::new(me.id, &me.username, "team.note_added").case(&head.case_no));
        tx.touch(&head.team);
        tx.commit().await?;
        self.case(case_id).await
    }

    /// The first extension (complex) applies at once; a further one (particularly complex)
    /// goes to the approvals inbox for a supervisor who is not the requester.
    pub async fn extend(
        &self,
        me: &TeamMember,
        case_id: i64,
        version: i64,
        reason: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamCase> {
        let reason = Text::parse("text", reason, LONG_TEXT)?;
        let mut tx = self.begin(now).await?;
        let head = claim(&mut tx, me, case_id, version).await?;
        head.require_open()?;
        let clock = replay(&mut tx, &head).await?;
        if clock.extensions().is_empty() {
            let event = ClockEvent::ExtendComplex {
                reason: reason.as_str().to_owned(),
            };
            apply(&mut tx, &head, &clock, event, today, me.id, now).await?;
            tx.audit(
                TeamAudit::new(me.id, &me.username, "team.extended_complex").case(&head.case_no),
            );
        } else {
            // The rules of the approved extension, checked now so the inbox holds only
            // requests a supervisor can grant.
            clock
                .extend_particularly_complex(today, reason.as_str(), "-")
                .map_err(ComplaintError::from)?;
            if extension_pending(&mut tx, case_id).await? {
                return Err(Error::conflict_on("case", "extension_pending"));
            }
            on_tx!(tx, c => sqlx::query(
                "INSERT INTO team_extensions (case_id, reason, requested_by, requested_at, status) \
                 VALUES ($1, $2, $3, $4, 'pending')",
            )
            .bind(case_id)
            .bind(reason.as_str())
            .bind(me.id)
            .bind(crate::audit::timestamp(now))
            .execute(c)
            .await?
            .rows_affected());
            tx.audit(
                TeamAudit::new(me.id, &me.username, "team.extension_requested").case(&head.case_no),
            );
        }
        tx.touch(&head.team);
        tx.commit().await?;
        self.case(case_id).await
    }

    /// The approvals inbox: every pending extension of the team store, oldest first.
    pub async fn pending_extensions(&self) -> Result<Vec<PendingTeamExtension>> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT e.id, e.case_id, c.case_no, e.reason, e.requested_by, \
             s.display_name AS requested_by_name, e.requested_at \
             FROM team_extensions e JOIN team_cases c ON c.id = e.case_id \
             JOIN team_staff s ON s.id = e.requested_by \
             WHERE e.status = 'pending' ORDER BY e.requested_at, e.id",
        )
        .fetch_all(p)
        .await?))
    }

    /// A supervisor approves or refuses a pending extension, from any console of the team.
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_extension(
        &self,
        me: &TeamMember,
        extension_id: i64,
        approve: bool,
        note: Option<&str>,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamCase> {
        if me.role() != Some(Role::Supervisor) {
            return Err(Error::Forbidden);
        }
        let note = match (approve, note.map(str::trim).filter(|n| !n.is_empty())) {
            (false, None) => return Err(Error::field("note", "required")),
            (_, note) => note
                .map(|n| Text::parse("note", n, LONG_TEXT))
                .transpose()?,
        };
        let mut tx = self.begin(now).await?;
        let sql = format!(
            "SELECT case_id, reason, requested_by, status FROM team_extensions WHERE id = $1{}",
            tx.lock()
        );
        let found: Option<(i64, String, i64, String)> =
            on_tx!(tx, c => sqlx::query_as(&sql).bind(extension_id).fetch_optional(c).await?);
        let (case_id, reason, requested_by, status) =
            found.ok_or_else(|| Error::NotFound(format!("team extension {extension_id}")))?;
        if status != "pending" {
            return Err(Error::conflict_on("extension", "extension_already_decided"));
        }
        if requested_by == me.id {
            return Err(ComplaintError::SelfApproval.into());
        }
        let head = lock_head(&mut tx, case_id).await?;
        if approve {
            head.require_open()?;
            let clock = replay(&mut tx, &head).await?;
            let event = ClockEvent::ExtendParticularlyComplex {
                reason,
                approved_by: me.display_name.clone(),
            };
            apply(&mut tx, &head, &clock, event, today, me.id, now).await?;
        }
        on_tx!(tx, c => sqlx::query(
            "UPDATE team_extensions SET status = $1, decided_by = $2, decided_at = $3, note = $4 \
             WHERE id = $5",
        )
        .bind(if approve { "approved" } else { "refused" })
        .bind(me.id)
        .bind(crate::audit::timestamp(now))
        .bind(note.as_ref().map(Text::as_str))
        .bind(extension_id)
        .execute(c)
        .await?
        .rows_affected());
        on_tx!(tx, c => sqlx::query("UPDATE team_cases SET version = version + 1 WHERE id = $1")
            .bind(case_id)
            .execute(c)
            .await?
            .rows_affected());
        let action = if approve {
            "team.extension_approved"
        } else {
            "team.extension_refused"
        };
        tx.audit(TeamAudit::new(me.id, &me.username, action).case(&head.case_no));
        tx.touch(&head.team);
        tx.commit().await?;
        self.case(case_id).await
    }

    /// The holder decides the case: the clock closes, on time or not.
    #[allow(clippy::too_many_arguments)]
    pub async fn decide(
        &self,
        me: &TeamMember,
        case_id: i64,
        version: i64,
        findings: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamCase> {
        let findings = Text::parse("findings", findings, LONG_TEXT)?;
        let mut tx = self.begin(now).await?;
        let head = claim(&mut tx, me, case_id, version).await?;
        head.require_open()?;
        let clock = replay(&mut tx, &head).await?;
        apply(
            &mut tx,
            &head,
            &clock,
            ClockEvent::Decide,
            today,
            me.id,
            now,
        )
        .await?;
        on_tx!(tx, c => sqlx::query("UPDATE team_cases SET findings = $1 WHERE id = $2")
            .bind(findings.as_str())
            .bind(case_id)
            .execute(c)
            .await?
            .rows_affected());
        step(&mut tx, case_id, "decision", findings.as_str(), me.id, now).await?;
        tx.audit(TeamAudit::new(me.id, &me.username, "team.case_decided").case(&head.case_no));
        tx.touch(&head.team);
        tx.commit().await?;
        self.case(case_id).await
    }

    /// How many steps of each kind a case has (tests and the case screen's counts).
    pub async fn step_count(&self, case_id: i64) -> Result<i64> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM team_steps WHERE case_id = $1",
        )
        .bind(case_id)
        .fetch_one(p)
        .await?))
    }

    /// Replays a case's clock from its stored events (to check a stored due date).
    pub async fn replayed_due_on(&self, case_id: i64) -> Result<String> {
        let mut tx = self.begin(Utc::now()).await?;
        let head = lock_head(&mut tx, case_id).await?;
        let clock = replay(&mut tx, &head).await?;
        let (calendar, _) = settings(&mut tx).await?;
        let due = queue_due_on(&clock, &calendar)?;
        match tx.tx {
            super::Tx::Sqlite(t) => t.rollback().await?,
            super::Tx::Postgres(t) => t.rollback().await?,
        }
        Ok(date_text(due))
    }
}

fn parse_key(key: &str) -> Result<(String, i64)> {
    let bad = || Error::field("after", "invalid");
    let (due, id) = key.split_once('|').ok_or_else(bad)?;
    parse_date(due).map_err(|_| bad())?;
    Ok((due.to_owned(), id.parse().map_err(|_| bad())?))
}

fn require_handler(me: &TeamMember) -> Result<()> {
    match me.role() {
        Some(Role::Complaints | Role::Supervisor) => Ok(()),
        _ => Err(Error::Forbidden),
    }
}

/// What the rules need of a case, read under the transaction's lock.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct Head {
    id: i64,
    case_no: String,
    team: String,
    pub(super) status: String,
    received_on: String,
    policy: String,
    pub(super) assignee_id: Option<i64>,
    version: i64,
}

impl Head {
    fn require_open(&self) -> Result<()> {
        let status = ComplaintStatus::parse(&self.status)?;
        if status.is_open() {
            Ok(())
        } else {
            Err(ComplaintError::NotOpen {
                case_no: self.case_no.clone(),
                status,
            }
            .into())
        }
    }
}

async fn lock_head(tx: &mut TeamTx, case_id: i64) -> Result<Head> {
    let lock = tx.lock();
    read_head(tx, case_id, lock).await
}

/// The case's head, `lock` appended to the SELECT (`FOR UPDATE` for a step, "" to read).
pub(super) async fn read_head(tx: &mut TeamTx, case_id: i64, lock: &str) -> Result<Head> {
    let sql = format!(
        "SELECT id, case_no, team, status, received_on, policy, assignee_id, version \
         FROM team_cases WHERE id = $1{lock}"
    );
    let head: Option<Head> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(case_id).fetch_optional(c).await?);
    head.ok_or_else(|| Error::NotFound(format!("team case {case_id}")))
}

/// Locks the case for a step by its holder at `version`, and moves the version on. A case
/// someone else holds, or one that changed since the screen read it, is refused.
async fn claim(tx: &mut TeamTx, me: &TeamMember, case_id: i64, version: i64) -> Result<Head> {
    let mut head = lock_head(tx, case_id).await?;
    if head.assignee_id != Some(me.id) {
        return Err(Error::conflict_on("case", "held_by_other"));
    }
    if head.version != version {
        return Err(Error::conflict_on("version", "stale_version"));
    }
    on_tx!(tx, c => sqlx::query(
        "UPDATE team_cases SET version = version + 1 WHERE id = $1 AND version = $2",
    )
    .bind(case_id)
    .bind(version)
    .execute(c)
    .await?
    .rows_affected());
    head.version += 1;
    Ok(head)
}

async fn step(
    tx: &mut TeamTx,
    case_id: i64,
    kind: &str,
    body: &str,
    staff_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO team_steps (case_id, kind, body, staff_id, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(case_id)
    .bind(kind)
    .bind(body)
    .bind(staff_id)
    .bind(crate::audit::timestamp(now))
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

async fn settings(tx: &mut TeamTx) -> Result<(BusinessCalendar, ComplaintPolicy)> {
    let rows: Vec<(String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT key, value FROM team_settings WHERE key IN ($1, $2)",
    )
    .bind(CALENDAR_KEY)
    .bind(POLICY_KEY)
    .fetch_all(c)
    .await?);
    let mut calendar = china_2026();
    let mut policy = ComplaintPolicy::default();
    for (key, value) in rows {
        if key == CALENDAR_KEY {
            calendar = BusinessCalendar::parse(&value)
                .map_err(|e| Error::Internal(anyhow::anyhow!("team calendar is invalid: {e}")))?;
        } else {
            policy = parse_policy(&value)?;
        }
    }
    policy.validate().map_err(ComplaintError::from)?;
    Ok((calendar, policy))
}

/// A particularly complex extension of the case waits in the approvals inbox.
pub(super) async fn extension_pending(tx: &mut TeamTx, case_id: i64) -> Result<bool> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM team_extensions WHERE case_id = $1 \
         AND status = 'pending')",
    )
    .bind(case_id)
    .fetch_one(c)
    .await?))
}

pub(super) async fn replay(tx: &mut TeamTx, head: &Head) -> Result<ComplaintClock> {
    let rows: Vec<(String, String, Option<String>, Option<String>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT kind, on_date, reason, approved_by FROM team_clock_events \
         WHERE case_id = $1 ORDER BY id",
    )
    .bind(head.id)
    .fetch_all(c)
    .await?);
    let events = rows
        .into_iter()
        .map(|(kind, on, reason, approved_by)| {
            Ok(StoredEvent {
                complaint_id: head.id,
                on: parse_date(&on)?,
                event: ClockEvent::from_row(&kind, reason, approved_by)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    replay_events(
        &head.case_no,
        parse_policy(&head.policy)?,
        parse_date(&head.received_on)?,
        &events,
    )
}

/// Stores a clock event and the denormalised status, due date and on-time mark.
async fn apply(
    tx: &mut TeamTx,
    head: &Head,
    clock: &ComplaintClock,
    event: ClockEvent,
    on: NaiveDate,
    staff_id: i64,
    now: DateTime<Utc>,
) -> Result<ComplaintClock> {
    let next = event.apply(clock, on)?;
    let (calendar, _) = settings(tx).await?;
    let approved_by = match &event {
        ClockEvent::ExtendParticularlyComplex { approved_by, .. } => Some(approved_by.clone()),
        _ => None,
    };
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO team_clock_events (case_id, kind, on_date, reason, approved_by, \
         recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(head.id)
    .bind(event.kind())
    .bind(date_text(on))
    .bind(event.reason())
    .bind(&approved_by)
    .bind(staff_id)
    .bind(crate::audit::timestamp(now))
    .execute(c)
    .await?
    .rows_affected());
    let due = queue_due_on(&next, &calendar)?;
    let (status, closed_on, on_time) = match next.closed() {
        Some((on, kind)) => (
            match kind {
                ClosureKind::Decided => ComplaintStatus::Decided,
                ClosureKind::Withdrawn => ComplaintStatus::Withdrawn,
            },
            Some(date_text(on)),
            Some(on <= due),
        ),
        None if next.paused_since().is_some() => (ComplaintStatus::Paused, None, None),
        None => (ComplaintStatus::Open, None, None),
    };
    on_tx!(tx, c => sqlx::query(
        "UPDATE team_cases SET status = $1, due_on = $2, closed_on = $3, on_time = $4 WHERE id = $5",
    )
    .bind(status.as_str())
    .bind(date_text(due))
    .bind(&closed_on)
    .bind(on_time)
    .bind(head.id)
    .execute(c)
    .await?
    .rows_affected());
    Ok(next)
}
