//! The complaint decision deadline (NFRA consumer-complaint rules, 2020; Civil Code arts. 201
//! and 203 for counting).
//!
//! A [`ComplaintClock`] is an immutable value: each event (extension, pause, withdrawal, …)
//! returns a new clock or a [`ClockError`], so a refused event leaves the caller's clock as it
//! was and the desk can replay a complaint's history from its stored events. The calendar is
//! passed to queries rather than stored, because a supervisor may correct it after the fact and
//! every deadline must then follow the corrected calendar.

use crate::calendar::{BusinessCalendar, CalendarError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// Every figure of the complaint rules, so a bank or regulator change is configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintPolicy {
    /// Calendar days after receipt to decide an ordinary complaint.
    pub decide_within_days: u32,
    /// Total days (from receipt, not added to the first period) once a complaint is complex.
    pub complex_limit_days: u32,
    /// Days a particularly complex complaint adds on top of the current limit, with approval.
    pub particularly_complex_extra_days: u32,
    /// No chain of extensions may take the limit beyond this.
    pub max_limit_days: u32,
    /// Days after the decision in which the customer may ask in writing for a review.
    pub review_request_within_days: u32,
    /// Days after a review request in which the level above decides it (DOMAIN.md: check).
    pub review_decide_within_days: u32,
    /// A clock with this many days or fewer left reports [`ClockStatus::DueSoon`].
    pub due_soon_warning_days: u32,
}

impl Default for ComplaintPolicy {
    fn default() -> Self {
        Self {
            decide_within_days: 15,
            complex_limit_days: 30,
            particularly_complex_extra_days: 30,
            max_limit_days: 60,
            review_request_within_days: 30,
            review_decide_within_days: 30,
            due_soon_warning_days: 3,
        }
    }
}

impl ComplaintPolicy {
    /// The extension chain only ever lengthens the limit, so the limits must be ordered.
    pub fn validate(&self) -> Result<(), ClockError> {
        let fail = |reason: &str| {
            Err(ClockError::InvalidPolicy {
                reason: reason.to_owned(),
            })
        };
        if self.decide_within_days == 0 {
            return fail("the decision period must be at least one day");
        }
        if self.complex_limit_days < self.decide_within_days {
            return fail("the complex-case limit is shorter than the ordinary decision period");
        }
        if self.max_limit_days < self.complex_limit_days {
            return fail("the maximum limit is shorter than the complex-case limit");
        }
        if self.review_request_within_days == 0 || self.review_decide_within_days == 0 {
            return fail("review periods must be at least one day");
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ClockError {
    #[error("invalid complaint policy: {reason}")]
    InvalidPolicy { reason: String },
    #[error("the complaint was already closed ({kind:?}) on {on}")]
    Closed { on: NaiveDate, kind: ClosureKind },
    #[error("an event dated {on} cannot come before the complaint's last event on {last}")]
    OutOfOrder { on: NaiveDate, last: NaiveDate },
    #[error("a repeat dated {on} cannot come before the complaint was received on {received_on}")]
    BeforeReceipt {
        on: NaiveDate,
        received_on: NaiveDate,
    },
    #[error("an extension needs a reason the customer can be told")]
    MissingReason,
    #[error("the complex-case extension was already applied on {on}")]
    AlreadyExtended { on: NaiveDate },
    #[error("a particularly complex extension needs the complex-case extension first")]
    NotYetExtended,
    #[error("a particularly complex extension needs approval from the level above")]
    ApprovalRequired,
    #[error("extending to {requested} days would exceed the maximum of {max} days")]
    BeyondMaximum { requested: u32, max: u32 },
    #[error("the clock is already paused for appraisal since {since}")]
    AlreadyPaused { since: NaiveDate },
    #[error("the clock is not paused, so there is nothing to resume")]
    NotPaused,
    #[error("the clock is paused for appraisal since {since}; the due date is set on resuming")]
    Paused { since: NaiveDate },
    #[error("the complaint has no decision, so there is nothing to review")]
    NotDecided,
    #[error("a review request on {on} is outside the window, which ended on {window_end}")]
    ReviewWindowClosed {
        on: NaiveDate,
        window_end: NaiveDate,
    },
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl ClockError {
    /// The reason code the UI has words for (`errors.detail.<code>`).
    pub fn detail_code(&self) -> &'static str {
        match self {
            ClockError::InvalidPolicy { .. } => "policy_limits_out_of_order",
            ClockError::Closed { .. } => "case_not_open",
            ClockError::OutOfOrder { .. } | ClockError::BeforeReceipt { .. } => {
                "clock_date_out_of_order"
            }
            ClockError::MissingReason => "text_required",
            ClockError::AlreadyExtended { .. } => "clock_already_extended",
            ClockError::NotYetExtended => "clock_not_yet_extended",
            ClockError::ApprovalRequired => "clock_approval_required",
            ClockError::BeyondMaximum { .. } => "clock_beyond_maximum",
            ClockError::AlreadyPaused { .. } => "clock_already_paused",
            ClockError::NotPaused => "clock_not_paused",
            ClockError::Paused { .. } => "clock_paused",
            ClockError::NotDecided => "clock_not_decided",
            ClockError::ReviewWindowClosed { .. } => "review_window_closed",
            ClockError::Calendar(_) => "calendar_out_of_range",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ClosureKind {
    Decided,
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExtensionKind {
    Complex,
    ParticularlyComplex,
}

/// As stored (`complaint_extensions.kind`); anything else is a damaged row, not a guess.
impl TryFrom<String> for ExtensionKind {
    type Error = crate::error::Error;

    fn try_from(text: String) -> crate::error::Result<ExtensionKind> {
        match text.as_str() {
            "complex" => Ok(ExtensionKind::Complex),
            "particularly_complex" => Ok(ExtensionKind::ParticularlyComplex),
            other => Err(crate::error::Error::Internal(anyhow::anyhow!(
                "unknown extension kind {other:?} in the store"
            ))),
        }
    }
}

/// One extension as the customer is told of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    pub kind: ExtensionKind,
    #[ts(type = "string")]
    pub on: NaiveDate,
    pub reason: String,
    pub approved_by: Option<String>,
    /// The limit in days from the clock's start once this extension applies.
    pub limit_days: u32,
}

/// A finished appraisal pause; its days do not count towards the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Pause {
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
}

impl Pause {
    /// Calendar days excluded: pausing and resuming on the same day excludes none.
    pub fn days(&self) -> u32 {
        days_between(self.from, self.to)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum ClockStatus {
    OnTrack {
        #[serde(rename = "daysLeft")]
        days_left: u32,
    },
    DueSoon {
        #[serde(rename = "daysLeft")]
        days_left: u32,
    },
    DueToday,
    Overdue {
        #[serde(rename = "daysOver")]
        days_over: u32,
    },
    Paused {
        #[ts(type = "string")]
        since: NaiveDate,
    },
    Closed {
        #[ts(type = "string")]
        on: NaiveDate,
        kind: ClosureKind,
        #[serde(rename = "onTime")]
        on_time: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintClock {
    policy: ComplaintPolicy,
    received_on: NaiveDate,
    /// Receipt, or the latest restart on new facts; the period counts from the day after.
    started_on: NaiveDate,
    /// Invariant: every event is dated on or after this, so pauses and closure never precede
    /// what they depend on.
    last_event_on: NaiveDate,
    limit_days: u32,
    extensions: Vec<Extension>,
    pauses: Vec<Pause>,
    paused_since: Option<NaiveDate>,
    closed: Option<(NaiveDate, ClosureKind)>,
    restarts: Vec<NaiveDate>,
    merged_repeats: Vec<NaiveDate>,
}

impl ComplaintClock {
    /// A complaint received on `on` under the default policy.
    pub fn received(on: NaiveDate) -> Self {
        Self::start(ComplaintPolicy::default(), on)
    }

    pub fn received_under(policy: ComplaintPolicy, on: NaiveDate) -> Result<Self, ClockError> {
        policy.validate()?;
        Ok(Self::start(policy, on))
    }

    fn start(policy: ComplaintPolicy, on: NaiveDate) -> Self {
        Self {
            policy,
            received_on: on,
            started_on: on,
            last_event_on: on,
            limit_days: policy.decide_within_days,
            extensions: Vec::new(),
            pauses: Vec::new(),
            paused_since: None,
            closed: None,
            restarts: Vec::new(),
            merged_repeats: Vec::new(),
        }
    }

    pub fn policy(&self) -> &ComplaintPolicy {
        &self.policy
    }

    pub fn received_on(&self) -> NaiveDate {
        self.received_on
    }

    pub fn started_on(&self) -> NaiveDate {
        self.started_on
    }

    pub fn limit_days(&self) -> u32 {
        self.limit_days
    }

    pub fn extensions(&self) -> &[Extension] {
        &self.extensions
    }

    pub fn pauses(&self) -> &[Pause] {
        &self.pauses
    }

    pub fn paused_since(&self) -> Option<NaiveDate> {
        self.paused_since
    }

    pub fn closed(&self) -> Option<(NaiveDate, ClosureKind)> {
        self.closed
    }

    pub fn restarts(&self) -> &[NaiveDate] {
        &self.restarts
    }

    pub fn merged_repeats(&self) -> &[NaiveDate] {
        &self.merged_repeats
    }

    /// Calendar days excluded by finished pauses.
    pub fn paused_days(&self) -> u32 {
        self.pauses
            .iter()
            .map(Pause::days)
            .fold(0, u32::saturating_add)
    }

    /// Common gate for events: an open clock and chronological order.
    fn next_event(&self, on: NaiveDate) -> Result<Self, ClockError> {
        if let Some((closed_on, kind)) = self.closed {
            return Err(ClockError::Closed {
                on: closed_on,
                kind,
            });
        }
        if on < self.last_event_on {
            return Err(ClockError::OutOfOrder {
                on,
                last: self.last_event_on,
            });
        }
        let mut next = self.clone();
        next.last_event_on = on;
        Ok(next)
    }

    /// Complex complaint: the limit becomes the complex-case limit (30 days from receipt).
    pub fn extend_complex(&self, on: NaiveDate, reason: &str) -> Result<Self, ClockError> {
        let mut next = self.next_event(on)?;
        let reason = required(reason).ok_or(ClockError::MissingReason)?;
        if let Some(first) = self.extensions.first() {
            return Err(ClockError::AlreadyExtended { on: first.on });
        }
        next.limit_days = self.policy.complex_limit_days.max(self.limit_days);
        next.extensions.push(Extension {
            kind: ExtensionKind::Complex,
            on,
            reason,
            approved_by: None,
            limit_days: next.limit_days,
        });
        Ok(next)
    }

    /// Particularly complex complaint: a further period on top of the complex-case limit, only
    /// with approval from the level above and never beyond the policy's maximum.
    pub fn extend_particularly_complex(
        &self,
        on: NaiveDate,
        reason: &str,
        approved_by: &str,
    ) -> Result<Self, ClockError> {
        let mut next = self.next_event(on)?;
        let reason = required(reason).ok_or(ClockError::MissingReason)?;
        let approver = required(approved_by).ok_or(ClockError::ApprovalRequired)?;
        if self.extensions.is_empty() {
            return Err(ClockError::NotYetExtended);
        }
        let requested = self
            .limit_days
            .saturating_add(self.policy.particularly_complex_extra_days);
        if requested > self.policy.max_limit_days {
            return Err(ClockError::BeyondMaximum {
                requested,
                max: self.policy.max_limit_days,
            });
        }
        next.limit_days = requested;
        next.extensions.push(Extension {
            kind: ExtensionKind::ParticularlyComplex,
            on,
            reason,
            approved_by: Some(approver),
            limit_days: requested,
        });
        Ok(next)
    }

    /// Outside appraisal or testing starts: the days until [`ComplaintClock::resume`] do not count.
    pub fn pause_for_appraisal(&self, from: NaiveDate) -> Result<Self, ClockError> {
        if let Some(since) = self.paused_since {
            return Err(ClockError::AlreadyPaused { since });
        }
        let mut next = self.next_event(from)?;
        next.paused_since = Some(from);
        Ok(next)
    }

    pub fn resume(&self, on: NaiveDate) -> Result<Self, ClockError> {
        let Some(from) = self.paused_since else {
            return Err(ClockError::NotPaused);
        };
        let mut next = self.next_event(on)?;
        next.paused_since = None;
        next.pauses.push(Pause { from, to: on });
        Ok(next)
    }

    /// A repeat complaint bringing new facts: the clock starts again from `on` with the ordinary
    /// limit; extensions and pauses belonged to the old facts and are dropped.
    pub fn restart_with_new_facts(&self, on: NaiveDate) -> Result<Self, ClockError> {
        let mut next = self.next_event(on)?;
        next.started_on = on;
        next.limit_days = self.policy.decide_within_days;
        next.extensions.clear();
        next.pauses.clear();
        next.paused_since = None;
        next.restarts.push(on);
        Ok(next)
    }

    /// A repeat complaint with no new facts is merged into the first: the deadline is unchanged,
    /// only the repeat is recorded. Allowed even after closure, since it changes nothing.
    pub fn merge_repeat(&self, on: NaiveDate) -> Result<Self, ClockError> {
        if on < self.received_on {
            return Err(ClockError::BeforeReceipt {
                on,
                received_on: self.received_on,
            });
        }
        let mut next = self.clone();
        next.merged_repeats.push(on);
        Ok(next)
    }

    /// Closed the day the withdrawal arrives.
    pub fn withdraw(&self, on: NaiveDate) -> Result<Self, ClockError> {
        self.close(on, ClosureKind::Withdrawn)
    }

    pub fn decide(&self, on: NaiveDate) -> Result<Self, ClockError> {
        self.close(on, ClosureKind::Decided)
    }

    fn close(&self, on: NaiveDate, kind: ClosureKind) -> Result<Self, ClockError> {
        let mut next = self.next_event(on)?;
        // Closing ends any appraisal pause that day, so the recorded due date stays computable.
        if let Some(from) = next.paused_since.take() {
            next.pauses.push(Pause { from, to: on });
        }
        next.closed = Some((on, kind));
        Ok(next)
    }

    /// The last day to decide: the limit plus paused days counted from the day after the start,
    /// moved off a rest day to the next working day.
    pub fn due_date(&self, calendar: &BusinessCalendar) -> Result<NaiveDate, ClockError> {
        if let Some(since) = self.paused_since {
            return Err(ClockError::Paused { since });
        }
        let days = self.limit_days.saturating_add(self.paused_days());
        Ok(calendar.period_end(self.started_on, days)?)
    }

    pub fn status_on(
        &self,
        date: NaiveDate,
        calendar: &BusinessCalendar,
    ) -> Result<ClockStatus, ClockError> {
        if let Some((on, kind)) = self.closed {
            let on_time = on <= self.due_date(calendar)?;
            return Ok(ClockStatus::Closed { on, kind, on_time });
        }
        if let Some(since) = self.paused_since {
            return Ok(ClockStatus::Paused { since });
        }
        let due = self.due_date(calendar)?;
        Ok(if date > due {
            ClockStatus::Overdue {
                days_over: days_between(due, date),
            }
        } else if date == due {
            ClockStatus::DueToday
        } else {
            let days_left = days_between(date, due);
            if days_left <= self.policy.due_soon_warning_days {
                ClockStatus::DueSoon { days_left }
            } else {
                ClockStatus::OnTrack { days_left }
            }
        })
    }

    fn decided_on(&self) -> Result<NaiveDate, ClockError> {
        match self.closed {
            Some((on, ClosureKind::Decided)) => Ok(on),
            _ => Err(ClockError::NotDecided),
        }
    }

    /// Last day the customer may ask in writing for a review, counted like every period.
    pub fn review_window_end(&self, calendar: &BusinessCalendar) -> Result<NaiveDate, ClockError> {
        let decided = self.decided_on()?;
        Ok(calendar.period_end(decided, self.policy.review_request_within_days)?)
    }

    /// `false` for a withdrawn or undecided complaint: there is no decision to review.
    pub fn can_request_review(
        &self,
        on: NaiveDate,
        calendar: &BusinessCalendar,
    ) -> Result<bool, ClockError> {
        let Ok(decided) = self.decided_on() else {
            return Ok(false);
        };
        Ok(on >= decided && on <= self.review_window_end(calendar)?)
    }

    /// When the level above must decide a review requested on `requested_on`.
    pub fn review_due_date(
        &self,
        requested_on: NaiveDate,
        calendar: &BusinessCalendar,
    ) -> Result<NaiveDate, ClockError> {
        let window_end = self.review_window_end(calendar)?;
        if !self.can_request_review(requested_on, calendar)? {
            return Err(ClockError::ReviewWindowClosed {
                on: requested_on,
                window_end,
            });
        }
        Ok(calendar.period_end(requested_on, self.policy.review_decide_within_days)?)
    }
}

fn required(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Whole days from `from` to `to`, zero if `to` is earlier; saturates rather than wrapping.
fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days().max(0)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::china_2026;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test fixture")
    }

    /// Defaults are the DOMAIN.md figures.
    #[test]
    fn policy_defaults_match_domain() {
        let p = ComplaintPolicy::default();
        assert_eq!(
            (
                p.decide_within_days,
                p.complex_limit_days,
                p.particularly_complex_extra_days
            ),
            (15, 30, 30)
        );
        assert_eq!((p.max_limit_days, p.review_request_within_days), (60, 30));
        assert_eq!(
            (p.review_decide_within_days, p.due_soon_warning_days),
            (30, 3)
        );
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn invalid_policy_is_refused() {
        let policy = ComplaintPolicy {
            complex_limit_days: 10,
            ..ComplaintPolicy::default()
        };
        assert!(matches!(
            ComplaintClock::received_under(policy, d(2026, 3, 2)),
            Err(ClockError::InvalidPolicy { .. })
        ));
    }

    /// Counting: day of receipt not counted; the 15th day (2026-10-01) is in the National Day
    /// holiday, so the deadline moves to the first working day after it, 2026-10-08.
    #[test]
    fn fifteenth_day_in_national_day_moves_to_first_working_day() {
        let clock = ComplaintClock::received(d(2026, 9, 16));
        assert_eq!(clock.due_date(&china_2026()), Ok(d(2026, 10, 8)));
    }

    /// Counting: receipt the day before a holiday (2026-09-30). The holiday days inside the
    /// period are still counted; only a last day on a rest day moves. Day 15 is Thursday
    /// 2026-10-15, a working day.
    #[test]
    fn receipt_the_day_before_national_day() {
        let clock = ComplaintClock::received(d(2026, 9, 30));
        assert_eq!(clock.due_date(&china_2026()), Ok(d(2026, 10, 15)));
    }

    /// Counting: receipt on Friday 2026-03-06; day 15 is Saturday 2026-03-21, a rest day, so the
    /// period ends on Monday 2026-03-23.
    #[test]
    fn receipt_on_a_friday_ends_on_monday() {
        let clock = ComplaintClock::received(d(2026, 3, 6));
        assert_eq!(clock.due_date(&china_2026()), Ok(d(2026, 3, 23)));
    }

    /// Counting: make-up working days count as working days. Day 15 after 2026-09-25 is
    /// Saturday 2026-10-10, a make-up working day: the deadline stays there.
    #[test]
    fn last_day_on_make_up_working_day_stays() {
        let clock = ComplaintClock::received(d(2026, 9, 25));
        assert_eq!(clock.due_date(&china_2026()), Ok(d(2026, 10, 10)));
        let plain = BusinessCalendar::weekends_only();
        assert_eq!(clock.due_date(&plain), Ok(d(2026, 10, 12)));
    }

    /// Decide within 15 days; complex: 30; particularly complex: a further 30 (max 60) with
    /// approval from the level above.
    #[test]
    fn extension_chain_15_30_60() {
        let cal = china_2026();
        let start = ComplaintClock::received(d(2026, 3, 2));
        assert_eq!(start.due_date(&cal), Ok(d(2026, 3, 17)));
        let complex = start
            .extend_complex(d(2026, 3, 10), "needs branch records")
            .expect("test fixture");
        assert_eq!(complex.limit_days(), 30);
        assert_eq!(complex.due_date(&cal), Ok(d(2026, 4, 1)));
        let particular = complex
            .extend_particularly_complex(d(2026, 3, 30), "three parties involved", "li.supervisor")
            .expect("test fixture");
        assert_eq!(particular.limit_days(), 60);
        // Day 60 is Friday 2026-05-01, Labour Day: moves past the block to Wednesday 05-06.
        assert_eq!(particular.due_date(&cal), Ok(d(2026, 5, 6)));
        assert_eq!(particular.extensions().len(), 2);
        assert_eq!(
            particular.extensions()[1].approved_by.as_deref(),
            Some("li.supervisor")
        );
    }

    /// Particularly complex needs approval, comes only after the complex extension, and never
    /// exceeds the maximum; the complex extension applies once and needs a reason.
    #[test]
    fn extension_refusals() {
        let start = ComplaintClock::received(d(2026, 3, 2));
        let on = d(2026, 3, 10);
        assert_eq!(
            start.extend_particularly_complex(on, "reason", "boss"),
            Err(ClockError::NotYetExtended)
        );
        assert_eq!(
            start.extend_complex(on, "  "),
            Err(ClockError::MissingReason)
        );
        let complex = start.extend_complex(on, "reason").expect("test fixture");
        assert_eq!(
            complex.extend_complex(on, "again"),
            Err(ClockError::AlreadyExtended { on })
        );
        assert_eq!(
            complex.extend_particularly_complex(on, "reason", ""),
            Err(ClockError::ApprovalRequired)
        );
        let max = complex
            .extend_particularly_complex(on, "reason", "boss")
            .expect("test fixture");
        assert_eq!(
            max.extend_particularly_complex(on, "more", "boss"),
            Err(ClockError::BeyondMaximum {
                requested: 90,
                max: 60
            })
        );
        assert_eq!(
            complex.extend_complex(d(2026, 3, 9), "x"),
            Err(ClockError::OutOfOrder {
                on: d(2026, 3, 9),
                last: on
            })
        );
    }

    /// Time on outside appraisal does not count: the deadline moves later by the paused days.
    #[test]
    fn pause_and_resume_move_the_deadline() {
        let cal = china_2026();
        let start = ComplaintClock::received(d(2026, 3, 2));
        let paused = start
            .pause_for_appraisal(d(2026, 3, 5))
            .expect("test fixture");
        assert_eq!(
            paused.due_date(&cal),
            Err(ClockError::Paused {
                since: d(2026, 3, 5)
            })
        );
        assert_eq!(
            paused.status_on(d(2026, 3, 20), &cal),
            Ok(ClockStatus::Paused {
                since: d(2026, 3, 5)
            })
        );
        let resumed = paused.resume(d(2026, 3, 12)).expect("test fixture");
        assert_eq!(resumed.paused_days(), 7);
        // 2026-03-17 + 7 = 2026-03-24 (Tuesday).
        assert_eq!(resumed.due_date(&cal), Ok(d(2026, 3, 24)));
    }

    #[test]
    fn double_pause_and_resume_without_pause_are_refused() {
        let start = ComplaintClock::received(d(2026, 3, 2));
        assert_eq!(start.resume(d(2026, 3, 3)), Err(ClockError::NotPaused));
        let paused = start
            .pause_for_appraisal(d(2026, 3, 5))
            .expect("test fixture");
        assert_eq!(
            paused.pause_for_appraisal(d(2026, 3, 6)),
            Err(ClockError::AlreadyPaused {
                since: d(2026, 3, 5)
            })
        );
        assert_eq!(
            paused.resume(d(2026, 3, 4)),
            Err(ClockError::OutOfOrder {
                on: d(2026, 3, 4),
                last: d(2026, 3, 5)
            })
        );
    }

    /// New facts restart the clock from the day they arrive.
    #[test]
    fn restart_on_new_facts() {
        let cal = china_2026();
        let clock = ComplaintClock::received(d(2026, 3, 2))
            .extend_complex(d(2026, 3, 5), "reason")
            .expect("test fixture")
            .restart_with_new_facts(d(2026, 3, 16))
            .expect("test fixture");
        assert_eq!(clock.received_on(), d(2026, 3, 2));
        assert_eq!(clock.started_on(), d(2026, 3, 16));
        assert_eq!(clock.limit_days(), 15);
        assert!(clock.extensions().is_empty());
        assert_eq!(clock.due_date(&cal), Ok(d(2026, 3, 31)));
    }

    /// A repeat with no new facts is merged into the first: the first clock is kept.
    #[test]
    fn merge_without_new_facts_keeps_the_clock() {
        let cal = china_2026();
        let first = ComplaintClock::received(d(2026, 3, 2));
        let merged = first.merge_repeat(d(2026, 3, 16)).expect("test fixture");
        assert_eq!(merged.due_date(&cal), first.due_date(&cal));
        assert_eq!(merged.started_on(), first.started_on());
        assert_eq!(merged.merged_repeats(), &[d(2026, 3, 16)]);
        assert_eq!(
            first.merge_repeat(d(2026, 3, 1)),
            Err(ClockError::BeforeReceipt {
                on: d(2026, 3, 1),
                received_on: d(2026, 3, 2)
            })
        );
    }

    /// Withdrawn: closed the day the withdrawal arrives; later events are refused.
    #[test]
    fn withdrawal_closes_that_day() {
        let cal = china_2026();
        let clock = ComplaintClock::received(d(2026, 3, 2))
            .withdraw(d(2026, 3, 4))
            .expect("test fixture");
        assert_eq!(
            clock.closed(),
            Some((d(2026, 3, 4), ClosureKind::Withdrawn))
        );
        assert_eq!(
            clock.status_on(d(2026, 4, 30), &cal),
            Ok(ClockStatus::Closed {
                on: d(2026, 3, 4),
                kind: ClosureKind::Withdrawn,
                on_time: true
            })
        );
        let closed = ClockError::Closed {
            on: d(2026, 3, 4),
            kind: ClosureKind::Withdrawn,
        };
        assert_eq!(clock.decide(d(2026, 3, 5)), Err(closed.clone()));
        assert_eq!(clock.restart_with_new_facts(d(2026, 3, 5)), Err(closed));
        assert_eq!(clock.can_request_review(d(2026, 3, 5), &cal), Ok(false));
    }

    /// Review: the customer may ask within 30 days of the decision; the level above decides
    /// within 30 days of the request.
    #[test]
    fn review_window_is_30_days_from_decision() {
        let cal = china_2026();
        let open = ComplaintClock::received(d(2026, 3, 2));
        assert_eq!(open.review_window_end(&cal), Err(ClockError::NotDecided));
        let decided = open.decide(d(2026, 3, 16)).expect("test fixture");
        // 2026-03-16 + 30 = Wednesday 2026-04-15.
        assert_eq!(decided.review_window_end(&cal), Ok(d(2026, 4, 15)));
        assert_eq!(decided.can_request_review(d(2026, 4, 15), &cal), Ok(true));
        assert_eq!(decided.can_request_review(d(2026, 4, 16), &cal), Ok(false));
        assert_eq!(
            decided.review_due_date(d(2026, 4, 1), &cal),
            Ok(d(2026, 5, 6))
        );
        assert_eq!(
            decided.review_due_date(d(2026, 4, 16), &cal),
            Err(ClockError::ReviewWindowClosed {
                on: d(2026, 4, 16),
                window_end: d(2026, 4, 15)
            })
        );
    }

    /// Review window, counted like every period: a decision on 2026-09-01 gives day 30 on
    /// 2026-10-01, in National Day, so the window runs to 2026-10-08.
    #[test]
    fn review_window_end_moves_off_holiday() {
        let decided = ComplaintClock::received(d(2026, 8, 20))
            .decide(d(2026, 9, 1))
            .expect("test fixture");
        assert_eq!(decided.review_window_end(&china_2026()), Ok(d(2026, 10, 8)));
    }

    /// Status transitions: on track, due soon (3-day warning), due today, overdue.
    #[test]
    fn status_transitions() {
        let cal = china_2026();
        let clock = ComplaintClock::received(d(2026, 3, 2)); // due 2026-03-17
        assert_eq!(
            clock.status_on(d(2026, 3, 3), &cal),
            Ok(ClockStatus::OnTrack { days_left: 14 })
        );
        assert_eq!(
            clock.status_on(d(2026, 3, 13), &cal),
            Ok(ClockStatus::OnTrack { days_left: 4 })
        );
        assert_eq!(
            clock.status_on(d(2026, 3, 14), &cal),
            Ok(ClockStatus::DueSoon { days_left: 3 })
        );
        assert_eq!(
            clock.status_on(d(2026, 3, 16), &cal),
            Ok(ClockStatus::DueSoon { days_left: 1 })
        );
        assert_eq!(
            clock.status_on(d(2026, 3, 17), &cal),
            Ok(ClockStatus::DueToday)
        );
        assert_eq!(
            clock.status_on(d(2026, 3, 19), &cal),
            Ok(ClockStatus::Overdue { days_over: 2 })
        );
    }

    #[test]
    fn due_soon_threshold_is_configurable() {
        let policy = ComplaintPolicy {
            due_soon_warning_days: 5,
            ..ComplaintPolicy::default()
        };
        let clock = ComplaintClock::received_under(policy, d(2026, 3, 2)).expect("test fixture");
        assert_eq!(
            clock.status_on(d(2026, 3, 12), &china_2026()),
            Ok(ClockStatus::DueSoon { days_left: 5 })
        );
    }

    /// Status after a decision: closed on time on the due date, late the day after.
    #[test]
    fn closed_on_time_and_late() {
        let cal = china_2026();
        let clock = ComplaintClock::received(d(2026, 3, 2));
        let on_time = clock.decide(d(2026, 3, 17)).expect("test fixture");
        assert_eq!(
            on_time.status_on(d(2026, 3, 30), &cal),
            Ok(ClockStatus::Closed {
                on: d(2026, 3, 17),
                kind: ClosureKind::Decided,
                on_time: true
            })
        );
        let late = clock.decide(d(2026, 3, 18)).expect("test fixture");
        assert_eq!(
            late.status_on(d(2026, 3, 30), &cal),
            Ok(ClockStatus::Closed {
                on: d(2026, 3, 18),
                kind: ClosureKind::Decided,
                on_time: false
            })
        );
    }

    /// Deciding during an appraisal pause ends the pause that day.
    #[test]
    fn decide_while_paused_ends_the_pause() {
        let cal = china_2026();
        let decided = ComplaintClock::received(d(2026, 3, 2))
            .pause_for_appraisal(d(2026, 3, 10))
            .expect("test fixture")
            .decide(d(2026, 3, 20))
            .expect("test fixture");
        assert_eq!(decided.paused_days(), 10);
        assert_eq!(decided.due_date(&cal), Ok(d(2026, 3, 27)));
        assert!(matches!(
            decided.status_on(d(2026, 3, 20), &cal),
            Ok(ClockStatus::Closed { on_time: true, .. })
        ));
    }

    #[test]
    fn status_serializes_camel_case_for_the_ui() {
        let json =
            serde_json::to_string(&ClockStatus::DueSoon { days_left: 2 }).expect("test fixture");
        assert_eq!(json, r#"{"state":"dueSoon","daysLeft":2}"#);
    }

    /// The UI reads these types through ts-rs: field names must match the camelCase JSON.
    #[test]
    fn typescript_declarations_use_camel_case() {
        let cfg = ts_rs::Config::new();
        let status = <ClockStatus as TS>::decl(&cfg);
        assert!(
            status.contains("daysLeft") && status.contains("onTime"),
            "{status}"
        );
        let policy = <ComplaintPolicy as TS>::decl(&cfg);
        assert!(policy.contains("decideWithinDays"), "{policy}");
    }

    proptest::proptest! {
        /// Counting: whatever the receipt date in 2026 and the extension stage, the deadline is
        /// a working day, never earlier than the plain count, and moved only past rest days.
        #[test]
        fn due_date_is_the_first_working_day_on_or_after_the_count(
            offset in 0u64..365,
            stage in 0usize..3,
        ) {
            let cal = china_2026();
            let received = d(2026, 1, 1) + chrono::Days::new(offset);
            let mut clock = ComplaintClock::received(received);
            if stage >= 1 {
                clock = clock.extend_complex(received, "complex").expect("first extension");
            }
            if stage >= 2 {
                clock = clock
                    .extend_particularly_complex(received, "particular", "boss")
                    .expect("approved extension");
            }
            let due = clock.due_date(&cal).expect("in range");
            let count = received + chrono::Days::new(u64::from(clock.limit_days()));
            proptest::prop_assert!(cal.is_working_day(due));
            proptest::prop_assert!(due >= count);
            let mut day = count;
            while day < due {
                proptest::prop_assert!(cal.is_rest_day(day));
                day = day.succ_opt().expect("in range");
            }
        }
    }
}
