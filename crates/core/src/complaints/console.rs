//! The complaint desk's commands. Each: authorize → rule → one transaction that also appends
//! the audit record. A step a desk rule refuses (recusal, group size, the clock, self-approval)
//! is rolled back and then audited as refused, so attempts show in the trail too.

use super::case::{self, CaseHead, ClockEvent};
use super::decision::{
    self, DecideInput, ReviewRequestInput, Suggestion, SuggestionInput, SurveyInput,
};
use super::intake::{self, Category, NewCategoryInput, NewComplaintInput};
use super::queue::{self, QueuePage, QueueQuery};
use super::stats::{self, ReportFile, StatsQuery, StatsReport};
use super::types::Text;
use super::work::{
    self, AddRepresentativeInput, AssignInput, CaseTextInput, ComplaintDetail, ContactInput,
    ExtensionDecisionInput, InterestInput, MergeRepeatInput, PendingExtensionRow, WithdrawInput,
};
use crate::access::Permission;
use crate::audit::{self, AuditOutcome, NewAudit};
use crate::clock::local_date;
use crate::console::{Actor, Console};
use crate::documents::BinaryFile;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::future::Future;
use ts_rs::TS;

/// A reporting period, both ends inclusive.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PeriodInput {
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
}

/// The working-day calendar as the supervisor edits it: one `YYYY-MM-DD holiday` or
/// `YYYY-MM-DD workday` line per listed day.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CalendarText {
    pub text: String,
}

/// What a calendar correction did to running deadlines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CalendarUpdate {
    pub entries: u32,
    /// Open cases whose due date moved.
    pub moved: u64,
}

fn record(actor: &Actor, action: &'static str, head: &CaseHead) -> NewAudit {
    let mut rec = NewAudit::new(Some(actor.staff_id), actor.username.clone(), action)
        .subject("complaint", head.case_no.clone());
    rec.customer_id = head.customer_id.clone();
    rec
}

impl Console {
    fn today(&self) -> NaiveDate {
        local_date(self.now())
    }

    /// Runs a step; if a desk rule refused it, audits the refusal after the step's transaction
    /// has been rolled back.
    async fn complaint_step<T>(
        &self,
        actor: &Actor,
        action: &'static str,
        case_id: Option<i64>,
        step: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        match step.await {
            Err(err @ Error::Complaint(_)) => {
                let mut tx = self.store().begin().await?;
                let mut rec = NewAudit::new(Some(actor.staff_id), actor.username.clone(), action)
                    .outcome(AuditOutcome::Refused)
                    .detail(json!({ "reason": err.to_string() }));
                if let Some(id) = case_id {
                    // The case number when the case exists, as every other record names it.
                    let case_no: Option<String> =
                        sqlx::query_scalar("SELECT case_no FROM complaints WHERE id = ?")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    rec = rec.subject("complaint", case_no.unwrap_or_else(|| id.to_string()));
                }
                audit::append(&mut tx, self.now(), rec).await?;
                tx.commit().await?;
                Err(err)
            }
            other => other,
        }
    }

    /// The case as `actor` sees it, with the steps `actor` may take on it now.
    async fn complaint_view(&self, actor: &Actor, id: i64) -> Result<ComplaintDetail> {
        let calendar = case::load_calendar_pool(self.store().read()).await?;
        work::detail(self.store().read(), id, self.today(), &calendar, actor).await
    }

    // ---- categories -------------------------------------------------------------------

    pub async fn complaint_categories(&self) -> Result<Vec<Category>> {
        // The counter's form picks a category too.
        self.authorize(Permission::LogComplaint).await?;
        intake::categories(self.store().read()).await
    }

    pub async fn complaint_category_create(&self, input: NewCategoryInput) -> Result<Category> {
        let actor = self.authorize(Permission::ManageComplaintDesk).await?;
        let mut tx = self.store().begin().await?;
        let category = intake::insert_category(&mut tx, &input).await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "complaint.category_created",
            )
            .subject("complaint_category", category.code.clone())
            .detail(json!({ "name": category.name, "parentId": category.parent_id })),
        )
        .await?;
        tx.commit().await?;
        Ok(category)
    }

    /// The calendar deadlines are counted with (holidays and make-up working days).
    pub async fn complaint_calendar(&self) -> Result<CalendarText> {
        self.authorize(Permission::WorkComplaints).await?;
        let calendar = case::load_calendar_pool(self.store().read()).await?;
        Ok(CalendarText {
            text: calendar.to_text(),
        })
    }

    /// Replaces the calendar; every running deadline moves with it in the same transaction.
    pub async fn complaint_calendar_set(&self, input: CalendarText) -> Result<CalendarUpdate> {
        let actor = self.authorize(Permission::ManageComplaintDesk).await?;
        let calendar = crate::calendar::BusinessCalendar::parse(&input.text)
            .map_err(|e| Error::InvalidInput(format!("calendar: {e}")))?;
        let entries = u32::try_from(calendar.entries().count()).unwrap_or(u32::MAX);
        let mut tx = self.store().begin().await?;
        case::save_calendar(&mut tx, &calendar).await?;
        let moved_complaints = case::recompute_open(&mut tx, &calendar).await?;
        // One calendar per deployment: the dispute desk's deadlines move with it.
        let moved_disputes = crate::disputes::desk::recompute_open_due(
            &mut tx,
            &calendar,
            &crate::sync::outbox::timestamp(self.now()),
        )
        .await?;
        let moved = moved_complaints + moved_disputes;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "complaint.calendar_updated",
            )
            .detail(json!({
                "entries": entries,
                "movedDueDates": moved_complaints,
                "movedDisputeDueDates": moved_disputes,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(CalendarUpdate { entries, moved })
    }

    // ---- intake and viewing -----------------------------------------------------------

    /// Registers a complaint: numbers it, starts its clock, records representatives and
    /// interested staff. The case lands unassigned in its team's queue.
    /// A complaint logged into this console's own desk. Tellers log them at the counter too
    /// (`LogComplaint`); working the case afterwards needs `WorkComplaints`.
    pub async fn complaint_register(&self, input: NewComplaintInput) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::LogComplaint).await?;
        let parsed = intake::parse(input, self.today())?;
        let branch = self.policy().await?.branch;
        let now = self.now();
        let id = self
            .complaint_step(&actor, "complaint.register_refused", None, async {
                let mut tx = self.store().begin().await?;
                let policy = case::load_policy(&mut tx).await?;
                let calendar = case::load_calendar(&mut tx).await?;
                let (id, case_no) = intake::insert(
                    &mut tx,
                    &parsed,
                    policy,
                    &calendar,
                    &branch,
                    actor.staff_id,
                    now,
                    None,
                )
                .await?;
                let head = case::head(&mut tx, id).await?;
                audit::append(
                    &mut tx,
                    now,
                    record(&actor, "complaint.registered", &head).detail(json!({
                        "caseNo": case_no.as_str(),
                        "channel": parsed.channel.as_str(),
                        "receivedOn": parsed.received_on,
                        "representatives": parsed.representatives.len(),
                        "interestedStaff": parsed.interested_staff_ids,
                    })),
                )
                .await?;
                // The bank's register at the core hears of it through the outbox, in this
                // transaction. The v1 register names a customer, so a complaint from someone
                // who is not yet a customer stays local.
                if let (Some(customer_id), Ok(engine)) = (&parsed.customer_id, self.engine()) {
                    let summary: String =
                        parsed.what_happened.as_str().chars().take(1000).collect();
                    crate::sync::outbox::enqueue(
                        &mut tx,
                        engine.sealer(),
                        crate::sync::NewOperation {
                            aggregate: format!("complaint:{case_no}"),
                            kind: "complaint.register".into(),
                            subject: None,
                            body: json!({
                                "caseNumber": case_no.as_str(),
                                "customerId": customer_id,
                                "category": parsed.product.as_str().chars().take(64).collect::<String>(),
                                "channel": parsed.channel.as_str(),
                                "summary": summary,
                                "receivedOn": parsed.received_on,
                            }),
                            summary: format!("投诉登记 {case_no}"),
                            record_ref: Some(format!("complaint:{id}")),
                        },
                        now,
                        Some(actor.staff_id),
                    )
                    .await?;
                }
                tx.commit().await?;
                Ok(id)
            })
            .await?;
        self.complaint_view(&actor, id).await
    }

    /// The full case. Refused to anyone with a direct interest in it.
    pub async fn complaint_get(&self, case_id: i64) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        self.complaint_step(&actor, "complaint.view_refused", Some(case_id), async {
            let mut conn = self.store().read().acquire().await?;
            let head = case::head(&mut conn, case_id).await?;
            case::check_not_interested(&mut conn, &head, actor.staff_id).await
        })
        .await?;
        self.complaint_view(&actor, case_id).await
    }

    pub async fn complaint_queue(&self, query: QueueQuery) -> Result<QueuePage> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        if query.queue == queue::QueueKind::Escalated {
            // The rules are applied when their queue is read, so it is never stale.
            self.complaint_escalation_sweep().await?;
        }
        let mut conn = self.store().read().acquire().await?;
        let policy = case::load_policy(&mut conn).await?;
        let calendar = case::load_calendar(&mut conn).await?;
        drop(conn);
        queue::page(
            self.store().read(),
            &query,
            actor.staff_id,
            self.today(),
            &policy,
            &calendar,
        )
        .await
    }

    // ---- working a case ---------------------------------------------------------------

    /// Shared shape of a step on one open case: load it for this handler (open, no interest),
    /// run `body` in the transaction, append the audit record `body` returns, commit. `actor`
    /// comes from the caller's `authorize`, which runs before anything else: a role without
    /// the permission learns nothing, not even whether the case exists or its input was valid.
    pub(super) async fn complaint_work<F>(
        &self,
        actor: Actor,
        action: &'static str,
        case_id: i64,
        body: F,
    ) -> Result<ComplaintDetail>
    where
        F: for<'a> FnOnce(
            &'a mut sqlx::SqliteConnection,
            &'a CaseHead,
            &'a Actor,
        ) -> std::pin::Pin<
            Box<dyn Future<Output = Result<serde_json::Value>> + Send + 'a>,
        >,
    {
        let now = self.now();
        self.complaint_step(&actor, action, Some(case_id), async {
            let mut tx = self.store().begin().await?;
            let head = work::open_case_for(&mut tx, case_id, actor.staff_id).await?;
            let detail = body(&mut tx, &head, &actor).await?;
            audit::append(&mut tx, now, record(&actor, action, &head).detail(detail)).await?;
            tx.commit().await?;
            Ok(())
        })
        .await?;
        self.complaint_view(&actor, case_id).await
    }

    /// Assigns (or unassigns) the case; refuses a handler with a direct interest (recusal).
    pub async fn complaint_assign(&self, input: AssignInput) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        self.complaint_work(actor, "complaint.assigned", input.case_id, |tx, head, _| {
            Box::pin(async move {
                work::assign(tx, head, &input).await?;
                Ok(json!({ "from": head.assignee_id, "to": input.assignee_id, "team": input.team }))
            })
        })
        .await
    }

    /// Records a staff member's direct interest; a case they hold returns to the unassigned queue.
    pub async fn complaint_declare_interest(
        &self,
        input: InterestInput,
    ) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let reason = Text::parse("reason", &input.reason, intake::SHORT_TEXT)?;
        self.complaint_work(
            actor,
            "complaint.interest_declared",
            input.case_id,
            |tx, head, _| {
                Box::pin(async move {
                    let unassigned =
                        work::declare_interest(tx, head, input.staff_id, &reason).await?;
                    Ok(json!({ "staffId": input.staff_id, "reason": reason.as_str(), "unassigned": unassigned }))
                })
            },
        )
        .await
    }

    pub async fn complaint_add_note(&self, input: CaseTextInput) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let body = Text::parse("text", &input.text, intake::LONG_TEXT)?;
        let now = self.now();
        self.complaint_work(
            actor,
            "complaint.note_added",
            input.case_id,
            |tx, head, actor| {
                Box::pin(async move {
                    let id = work::add_note(tx, head.id, actor.staff_id, &body, now).await?;
                    Ok(json!({ "noteId": id }))
                })
            },
        )
        .await
    }

    /// Contact log: a call, letter, visit or SMS and how it went.
    pub async fn complaint_log_contact(&self, input: ContactInput) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let now = self.now();
        self.complaint_work(
            actor,
            "complaint.contact_logged",
            input.case_id,
            |tx, _, actor| {
                Box::pin(async move {
                    let id = work::log_contact(tx, &input, actor.staff_id, now).await?;
                    Ok(json!({ "contactId": id, "kind": input.kind.as_str(), "outcome": input.outcome.as_str() }))
                })
            },
        )
        .await
    }

    /// Adds a group representative; refused beyond the maximum (5 by default).
    pub async fn complaint_add_representative(
        &self,
        input: AddRepresentativeInput,
    ) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let name = Text::parse("name", &input.name, intake::SHORT_TEXT)?;
        let contact = Text::parse("contact", &input.contact, intake::SHORT_TEXT)?;
        self.complaint_work(
            actor,
            "complaint.representative_added",
            input.case_id,
            |tx, head, _| {
                Box::pin(async move {
                    let id = work::add_representative(tx, head.id, &name, &contact).await?;
                    Ok(json!({ "representativeId": id }))
                })
            },
        )
        .await
    }

    /// A clock step on today's date (pause, resume, complex extension, new facts).
    async fn complaint_clock_step(
        &self,
        actor: Actor,
        action: &'static str,
        case_id: i64,
        event: ClockEvent,
        text: Option<Text>,
    ) -> Result<ComplaintDetail> {
        let now = self.now();
        let today = self.today();
        self.complaint_work(actor, action, case_id, |tx, head, actor| {
            Box::pin(async move {
                let calendar = case::load_calendar(tx).await?;
                let complex = matches!(event, ClockEvent::ExtendComplex { .. });
                let restart = matches!(event, ClockEvent::Restart { .. });
                let clock = if complex {
                    let reason = text.as_ref().map(Text::as_str).unwrap_or_default();
                    work::extend_complex(tx, head, &calendar, reason, actor.staff_id, now).await?;
                    case::replay(tx, head).await?
                } else {
                    case::apply_event(tx, head, &calendar, event, today, actor.staff_id, now)
                        .await?
                };
                if restart && let Some(facts) = &text {
                    work::add_note(tx, head.id, actor.staff_id, facts, now).await?;
                }
                let due = case::queue_due_on(&clock, &calendar)?;
                Ok(json!({
                    "on": today,
                    "text": text.as_ref().map(Text::as_str),
                    "limitDays": clock.limit_days(),
                    "dueOn": due,
                }))
            })
        })
        .await
    }

    /// Outside appraisal or testing starts: its days do not count. `text` says what and who.
    pub async fn complaint_pause(&self, input: CaseTextInput) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let reason = Text::parse("text", &input.text, intake::LONG_TEXT)?;
        self.complaint_clock_step(
            actor,
            "complaint.paused",
            input.case_id,
            ClockEvent::Pause {
                reason: reason.as_str().to_owned(),
            },
            Some(reason),
        )
        .await
    }

    pub async fn complaint_resume(&self, case_id: i64) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        self.complaint_clock_step(
            actor,
            "complaint.resumed",
            case_id,
            ClockEvent::Resume,
            None,
        )
        .await
    }

    /// Complex case: the limit becomes 30 days from receipt. Applies at once; the customer
    /// must then be told ([`Console::complaint_extension_notified`]).
    pub async fn complaint_extend_complex(&self, input: CaseTextInput) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let reason = Text::parse("text", &input.text, intake::LONG_TEXT)?;
        self.complaint_clock_step(
            actor,
            "complaint.extended_complex",
            input.case_id,
            ClockEvent::ExtendComplex {
                reason: reason.as_str().to_owned(),
            },
            Some(reason),
        )
        .await
    }

    /// New facts in a repeat: the clock restarts today with the ordinary limit; the facts are
    /// kept as a note.
    pub async fn complaint_new_facts(&self, input: CaseTextInput) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let facts = Text::parse("text", &input.text, intake::LONG_TEXT)?;
        self.complaint_clock_step(
            actor,
            "complaint.restarted_new_facts",
            input.case_id,
            ClockEvent::Restart {
                reason: facts.as_str().to_owned(),
            },
            Some(facts),
        )
        .await
    }

    /// Particularly complex: asks the level above for a further period (max 60 days in all).
    pub async fn complaint_request_extension(
        &self,
        input: CaseTextInput,
    ) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let reason = Text::parse("text", &input.text, intake::LONG_TEXT)?;
        let now = self.now();
        self.complaint_work(
            actor,
            "complaint.extension_requested",
            input.case_id,
            |tx, head, actor| {
                Box::pin(async move {
                    let id = work::request_particularly_complex(
                        tx,
                        head,
                        reason.as_str(),
                        actor.staff_id,
                        now,
                    )
                    .await?;
                    Ok(json!({ "extensionId": id, "reason": reason.as_str() }))
                })
            },
        )
        .await
    }

    /// Extension requests waiting for the level above, oldest first.
    pub async fn complaint_pending_extensions(&self) -> Result<Vec<PendingExtensionRow>> {
        self.authorize(Permission::ApproveComplaintExtension)
            .await?;
        work::pending_extensions(self.store().read()).await
    }

    /// A supervisor other than the requester approves (the clock extends) or refuses (with a note).
    pub async fn complaint_decide_extension(
        &self,
        input: ExtensionDecisionInput,
    ) -> Result<ComplaintDetail> {
        let actor = self
            .authorize(Permission::ApproveComplaintExtension)
            .await?;
        let case_id = {
            let mut conn = self.store().read().acquire().await?;
            work::extension(&mut conn, input.extension_id)
                .await?
                .complaint_id
        };
        let now = self.now();
        let action = if input.approve {
            "complaint.extension_approved"
        } else {
            "complaint.extension_refused"
        };
        self.complaint_work(actor, action, case_id, |tx, head, actor| {
            Box::pin(async move {
                let ext = work::extension(tx, input.extension_id).await?;
                let calendar = case::load_calendar(tx).await?;
                work::decide_extension(
                    tx,
                    &ext,
                    head,
                    &calendar,
                    input.approve,
                    input.note.as_deref(),
                    actor.staff_id,
                    &actor.username,
                    now,
                )
                .await?;
                Ok(json!({
                    "extensionId": ext.id,
                    "requestedBy": ext.requested_by,
                    "note": input.note,
                }))
            })
        })
        .await
    }

    /// Records that the customer was told of an extension in force.
    pub async fn complaint_extension_notified(&self, extension_id: i64) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let case_id = {
            let mut conn = self.store().read().acquire().await?;
            work::extension(&mut conn, extension_id).await?.complaint_id
        };
        let now = self.now();
        self.complaint_work(
            actor,
            "complaint.extension_notified",
            case_id,
            |tx, _, _| {
                Box::pin(async move {
                    let ext = work::extension(tx, extension_id).await?;
                    work::mark_extension_notified(tx, &ext, now).await?;
                    Ok(json!({ "extensionId": extension_id }))
                })
            },
        )
        .await
    }

    /// A repeat with no new facts: closed as merged into the first case, whose clock is kept.
    /// Returns the first case.
    pub async fn complaint_merge_repeat(&self, input: MergeRepeatInput) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let now = self.now();
        self.complaint_step(
            &actor,
            "complaint.merge_refused",
            Some(input.repeat_id),
            async {
                let mut tx = self.store().begin().await?;
                let repeat = work::open_case_for(&mut tx, input.repeat_id, actor.staff_id).await?;
                let into = case::head(&mut tx, input.into_id).await?;
                case::check_not_interested(&mut tx, &into, actor.staff_id).await?;
                let calendar = case::load_calendar(&mut tx).await?;
                work::merge_repeat(&mut tx, &repeat, &into, &calendar, actor.staff_id, now).await?;
                audit::append(
                    &mut tx,
                    now,
                    record(&actor, "complaint.merged_repeat", &repeat)
                        .detail(json!({ "into": into.case_no })),
                )
                .await?;
                tx.commit().await?;
                Ok(())
            },
        )
        .await?;
        self.complaint_view(&actor, input.into_id).await
    }

    /// Withdrawn: the case closes the day the withdrawal arrived.
    pub async fn complaint_withdraw(&self, input: WithdrawInput) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let today = self.today();
        let arrived_on = input.arrived_on.unwrap_or(today);
        if arrived_on > today {
            return Err(Error::InvalidInput(
                "arrived on: cannot be in the future".into(),
            ));
        }
        let note = match input.note.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => Some(Text::parse("note", n, intake::LONG_TEXT)?),
            _ => None,
        };
        let now = self.now();
        self.complaint_work(
            actor,
            "complaint.withdrawn",
            input.case_id,
            |tx, head, actor| {
                Box::pin(async move {
                    let calendar = case::load_calendar(tx).await?;
                    case::apply_event(
                        tx,
                        head,
                        &calendar,
                        ClockEvent::Withdraw,
                        arrived_on,
                        actor.staff_id,
                        now,
                    )
                    .await?;
                    if let Some(note) = &note {
                        work::add_note(tx, head.id, actor.staff_id, note, now).await?;
                    }
                    Ok(json!({ "arrivedOn": arrived_on }))
                })
            },
        )
        .await
    }

    // ---- decision and after -----------------------------------------------------------

    /// Decides the case: findings, reasons and root cause with its fix are required. A review
    /// case is decided by the level above only.
    pub async fn complaint_decide(&self, input: DecideInput) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let is_review = {
            let mut conn = self.store().read().acquire().await?;
            case::head(&mut conn, input.case_id)
                .await?
                .review_of_id
                .is_some()
        };
        if is_review && !actor.role.may(Permission::DecideComplaintReview) {
            // Audits the refusal and answers `forbidden`.
            self.authorize(Permission::DecideComplaintReview).await?;
        }
        let parsed = decision::parse(&input)?;
        let now = self.now();
        self.complaint_work(
            actor,
            "complaint.decided",
            input.case_id,
            |tx, head, actor| {
                Box::pin(async move {
                    let calendar = case::load_calendar(tx).await?;
                    decision::decide(tx, head, &calendar, &parsed, actor.staff_id, now).await?;
                    Ok(json!({
                        "rootCause": input.root_cause.as_str(),
                        "compensation": input.compensation.map(|m| m.to_string()),
                    }))
                })
            },
        )
        .await
    }

    /// A written request for review within the window opens a linked review case for the level
    /// above. Returns the review case.
    pub async fn complaint_request_review(
        &self,
        input: ReviewRequestInput,
    ) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let now = self.now();
        let today = self.today();
        let review_id = self
            .complaint_step(
                &actor,
                "complaint.review_refused",
                Some(input.case_id),
                async {
                    let mut tx = self.store().begin().await?;
                    let head = case::head(&mut tx, input.case_id).await?;
                    let calendar = case::load_calendar(&mut tx).await?;
                    let (id, case_no) = decision::open_review(
                        &mut tx,
                        &head,
                        &input,
                        today,
                        &calendar,
                        actor.staff_id,
                        now,
                    )
                    .await?;
                    audit::append(
                        &mut tx,
                        now,
                        record(&actor, "complaint.review_opened", &head).detail(json!({
                            "reviewCase": case_no.as_str(),
                            "requestedOn": input.requested_on.unwrap_or(today),
                        })),
                    )
                    .await?;
                    tx.commit().await?;
                    Ok(id)
                },
            )
            .await?;
        self.complaint_view(&actor, review_id).await
    }

    /// Satisfaction survey (1-5 and a comment), once, after the case is closed.
    pub async fn complaint_record_survey(&self, input: SurveyInput) -> Result<ComplaintDetail> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let now = self.now();
        self.complaint_step(
            &actor,
            "complaint.survey_refused",
            Some(input.case_id),
            async {
                let mut tx = self.store().begin().await?;
                let head = case::head(&mut tx, input.case_id).await?;
                decision::record_survey(&mut tx, &head, &input, actor.staff_id, now).await?;
                audit::append(
                    &mut tx,
                    now,
                    record(&actor, "complaint.survey_recorded", &head)
                        .detail(json!({ "score": input.score })),
                )
                .await?;
                tx.commit().await?;
                Ok(())
            },
        )
        .await?;
        self.complaint_view(&actor, input.case_id).await
    }

    pub async fn complaint_suggest(&self, input: SuggestionInput) -> Result<i64> {
        let actor = self.authorize(Permission::WorkComplaints).await?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let id = decision::add_suggestion(&mut tx, &input, actor.staff_id, now).await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "complaint.suggestion_added",
            )
            .subject("complaint_suggestion", id.to_string())
            .detail(json!({ "caseId": input.case_id })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn complaint_suggestions(&self) -> Result<Vec<Suggestion>> {
        self.authorize(Permission::WorkComplaints).await?;
        decision::suggestions(self.store().read()).await
    }

    pub async fn complaint_grant_reward(&self, suggestion_id: i64) -> Result<()> {
        let actor = self.authorize(Permission::ManageComplaintDesk).await?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        decision::grant_reward(&mut tx, suggestion_id, actor.staff_id, now).await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "complaint.suggestion_rewarded",
            )
            .subject("complaint_suggestion", suggestion_id.to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    // ---- statistics -------------------------------------------------------------------

    pub async fn complaint_stats(&self, query: StatsQuery) -> Result<StatsReport> {
        self.authorize(Permission::ViewComplaintStats).await?;
        stats::report(self.store().read(), &query, self.today()).await
    }

    /// The same table as a CSV file; the export is audited (data leaving the app).
    pub async fn complaint_stats_csv(&self, query: StatsQuery) -> Result<ReportFile> {
        let actor = self.authorize(Permission::ViewComplaintStats).await?;
        let report = stats::report(self.store().read(), &query, self.today()).await?;
        let file = stats::to_csv(&report);
        self.audit_export(
            &actor,
            "complaint.stats_exported",
            &file,
            query.from,
            query.to,
        )
        .await?;
        Ok(file)
    }

    /// The same table as an XLSX workbook; audited like the CSV export.
    pub async fn complaint_stats_xlsx(&self, query: StatsQuery) -> Result<BinaryFile> {
        let actor = self.authorize(Permission::ViewComplaintStats).await?;
        let report = stats::report(self.store().read(), &query, self.today()).await?;
        let file = stats::to_xlsx(&report)?;
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username,
                "complaint.stats_exported",
            )
            .detail(json!({
                "file": file.file_name,
                "from": query.from,
                "to": query.to,
                "bytes": file.bytes.len(),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(file)
    }

    /// The periodic report to the regulator (CSV; template assumed, see `stats::regulator_report`).
    pub async fn complaint_regulator_report(&self, period: PeriodInput) -> Result<ReportFile> {
        let actor = self.authorize(Permission::ViewComplaintStats).await?;
        if period.to < period.from {
            return Err(Error::field("to", "period_reversed"));
        }
        let institution = self.policy().await?.branch;
        let file = stats::regulator_report(
            self.store().read(),
            &institution,
            period.from,
            period.to,
            self.today(),
        )
        .await?;
        self.audit_export(
            &actor,
            "complaint.regulator_report_exported",
            &file,
            period.from,
            period.to,
        )
        .await?;
        Ok(file)
    }

    async fn audit_export(
        &self,
        actor: &Actor,
        action: &'static str,
        file: &ReportFile,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<()> {
        let mut tx = self.store().begin().await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(Some(actor.staff_id), actor.username.clone(), action).detail(json!({
                "file": file.file_name,
                "from": from,
                "to": to,
                "bytes": file.content.len(),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
