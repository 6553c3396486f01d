//! The deadlines of a disputed transaction under the deployment's policy set (DOMAIN.md
//! "Disputed transactions"): China e-payment (E-Commerce Law arts. 55 and 57; PBOC 2015 No. 43)
//! or US Regulation E (12 CFR 1005.11). Every figure is a field of the set, so a bank or a
//! regulator change is configuration.
//!
//! Like the complaint clock, a [`DisputeClock`] is an immutable value and takes the calendar
//! per query: a supervisor's calendar correction moves every running deadline. "Business days"
//! are working days of the [`BusinessCalendar`] (holidays rest, make-up days work); a period
//! of calendar days ends as Civil Code arts. 201 and 203 count it (the start day not counted, a
//! last day on a rest day moves to the next working day), so no deadline falls on a rest day.

use super::reasons::ReasonCode;
use crate::calendar::{BusinessCalendar, CalendarError};
use crate::complaints::{ClockStatus, ClosureKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// China e-payment: act at once on notice; the provider bears unauthorised losses unless it
/// proves the user at fault; transactions of at least a year can be looked up free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChinaPolicy {
    /// Working days after the notice in which the provider must act. 0 is "at once": the day
    /// of the notice, or the first working day after a notice that arrives on a rest day.
    pub act_within_working_days: u32,
    /// Calendar days after the notice to decide. The law names no figure; the default is the
    /// complaint rule's 15 days (product owner, check with the bank's compliance team).
    pub decide_within_days: u32,
    /// How far back the customer may look up transactions free of charge (at least a year).
    pub free_lookup_days: u32,
    /// A clock with this many days or fewer left is "due soon".
    pub due_soon_warning_days: u32,
}

impl Default for ChinaPolicy {
    fn default() -> Self {
        ChinaPolicy {
            act_within_working_days: 0,
            decide_within_days: 15,
            free_lookup_days: 365,
            due_soon_warning_days: 3,
        }
    }
}

/// US Regulation E, 12 CFR 1005.11.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegEPolicy {
    /// The customer reports within this many days of the statement showing the error.
    pub report_within_days_of_statement: u32,
    /// Business days after the notice to investigate.
    pub investigate_business_days: u32,
    /// The same for an account opened less than `new_account_days` before the notice.
    pub investigate_business_days_new_account: u32,
    pub new_account_days: u32,
    /// Calendar days after the notice an extended investigation may take...
    pub extended_days: u32,
    /// ... and for a new account, a point-of-sale or a foreign transaction.
    pub extended_days_special: u32,
    /// Business days after a provisional credit in which the customer is told of it.
    pub notify_credit_business_days: u32,
    /// Business days after an error is confirmed in which it is corrected.
    pub correct_error_business_days: u32,
    /// Business days after the investigation ends in which the customer hears the results.
    pub report_results_business_days: u32,
    pub due_soon_warning_days: u32,
}

impl Default for RegEPolicy {
    fn default() -> Self {
        RegEPolicy {
            report_within_days_of_statement: 60,
            investigate_business_days: 10,
            investigate_business_days_new_account: 20,
            new_account_days: 30,
            extended_days: 45,
            extended_days_special: 90,
            notify_credit_business_days: 2,
            correct_error_business_days: 1,
            report_results_business_days: 3,
            due_soon_warning_days: 3,
        }
    }
}

/// The deployment's policy set: one per console, chosen in configuration (`settings` row
/// `dispute_policy`, see `disputes::config`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "set", rename_all = "camelCase")]
pub enum PolicySet {
    ChinaEPayment(ChinaPolicy),
    UsRegulationE(RegEPolicy),
}

impl Default for PolicySet {
    /// The console is built for mainland banks first.
    fn default() -> Self {
        PolicySet::ChinaEPayment(ChinaPolicy::default())
    }
}

impl PolicySet {
    /// Every period at least a day where a day is needed, and the extended periods no
    /// shorter than the first (an extension that shortens would be a trap for staff).
    pub fn validate(&self) -> Result<(), DisputeRuleError> {
        let fail = |reason: &str| {
            Err(DisputeRuleError::InvalidPolicy {
                reason: reason.to_owned(),
            })
        };
        match self {
            PolicySet::ChinaEPayment(p) => {
                if p.decide_within_days == 0 {
                    return fail("the decision period must be at least one day");
                }
                if p.free_lookup_days < 365 {
                    return fail("free look-up must reach at least a year back");
                }
            }
            PolicySet::UsRegulationE(p) => {
                if p.report_within_days_of_statement == 0
                    || p.investigate_business_days == 0
                    || p.notify_credit_business_days == 0
                    || p.correct_error_business_days == 0
                    || p.report_results_business_days == 0
                {
                    return fail("every Regulation E period must be at least one day");
                }
                if p.investigate_business_days_new_account < p.investigate_business_days {
                    return fail("the new-account period is shorter than the ordinary one");
                }
                if p.extended_days_special < p.extended_days {
                    return fail("the special extended period is shorter than the ordinary one");
                }
            }
        }
        Ok(())
    }

    fn due_soon_warning_days(&self) -> u32 {
        match self {
            PolicySet::ChinaEPayment(p) => p.due_soon_warning_days,
            PolicySet::UsRegulationE(p) => p.due_soon_warning_days,
        }
    }

    /// The oldest transaction date staff can look up and dispute for the customer free of
    /// charge: a year back under the China set; Regulation E sets no minimum, so the same year.
    pub fn lookup_from(&self, today: NaiveDate) -> NaiveDate {
        let days = match self {
            PolicySet::ChinaEPayment(p) => p.free_lookup_days,
            PolicySet::UsRegulationE(_) => 365,
        };
        today
            .checked_sub_days(chrono::Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MIN)
    }

    /// Whether a decision may go against the customer. Under the China set the provider bears
    /// an unauthorised loss unless it proves the user at fault, so a decision for the bank on
    /// an unauthorised reason needs that proof recorded.
    pub fn check_decision(
        &self,
        reason: &ReasonCode,
        for_customer: bool,
        user_fault_proven: bool,
    ) -> Result<(), DisputeRuleError> {
        match self {
            PolicySet::ChinaEPayment(_)
                if reason.unauthorised && !for_customer && !user_fault_proven =>
            {
                Err(DisputeRuleError::UserFaultNotProven)
            }
            _ => Ok(()),
        }
    }

    /// When an error confirmed on `confirmed_on` must be corrected: Regulation E within 1
    /// business day; China at once (that day, or the first working day after a rest day).
    pub fn correct_by(
        &self,
        confirmed_on: NaiveDate,
        cal: &BusinessCalendar,
    ) -> Result<NaiveDate, DisputeRuleError> {
        Ok(match self {
            PolicySet::UsRegulationE(p) => {
                cal.add_working_days(confirmed_on, p.correct_error_business_days)?
            }
            PolicySet::ChinaEPayment(_) => cal.next_working_day_on_or_after(confirmed_on)?,
        })
    }

    /// When the customer must hear the results of an investigation finished on
    /// `concluded_on`: Regulation E within 3 business days; China at once.
    pub fn report_results_by(
        &self,
        concluded_on: NaiveDate,
        cal: &BusinessCalendar,
    ) -> Result<NaiveDate, DisputeRuleError> {
        Ok(match self {
            PolicySet::UsRegulationE(p) => {
                cal.add_working_days(concluded_on, p.report_results_business_days)?
            }
            PolicySet::ChinaEPayment(_) => cal.next_working_day_on_or_after(concluded_on)?,
        })
    }
}

/// The last day a chargeback for `reason` on a transaction of `transaction_on` may be filed:
/// the window in calendar days from the transaction, moved back (never forward) to a working
/// day, because the card scheme counts calendar days and does not wait for our holidays.
pub fn chargeback_deadline(
    transaction_on: NaiveDate,
    reason: &ReasonCode,
    cal: &BusinessCalendar,
) -> Result<NaiveDate, DisputeRuleError> {
    let last = transaction_on
        .checked_add_days(chrono::Days::new(u64::from(reason.chargeback_window_days)))
        .ok_or(CalendarError::OutOfRange {
            from: transaction_on,
        })?;
    let mut day = last;
    while cal.is_rest_day(day) {
        day = day
            .pred_opt()
            .ok_or(CalendarError::OutOfRange { from: last })?;
    }
    Ok(day)
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DisputeRuleError {
    #[error("invalid dispute policy: {reason}")]
    InvalidPolicy { reason: String },
    #[error("the notice ({notice_on}) cannot come before the transaction ({transaction_on})")]
    NoticeBeforeTransaction {
        notice_on: NaiveDate,
        transaction_on: NaiveDate,
    },
    #[error("the dispute was decided on {on}")]
    Decided { on: NaiveDate },
    #[error("an event dated {on} cannot come before {earliest}")]
    OutOfOrder { on: NaiveDate, earliest: NaiveDate },
    #[error("a provisional credit was already given on {on}")]
    CreditAlreadyGiven { on: NaiveDate },
    #[error("the customer is told of a provisional credit only after it is given")]
    NoCreditToTell,
    #[error("this policy set has no extended investigation")]
    NoExtensionUnderPolicy,
    #[error("the investigation was already extended on {on}")]
    AlreadyExtended { on: NaiveDate },
    #[error(
        "an extension needs a provisional credit given by {credit_by} and the customer told \
         within the notice period"
    )]
    ExtensionNeedsCredit { credit_by: NaiveDate },
    #[error("the extension must be decided by {by}, the end of the first investigation period")]
    ExtensionTooLate { by: NaiveDate },
    #[error(
        "the provider bears an unauthorised loss unless it proves the user at fault: record the proof"
    )]
    UserFaultNotProven,
    #[error("a chargeback for this reason was due by {deadline}")]
    ChargebackWindowClosed { deadline: NaiveDate },
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// What the desk knows about the disputed transaction and the customer's notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeFacts {
    #[ts(type = "string")]
    pub transaction_on: NaiveDate,
    /// The day the customer told the bank: the day every period counts from.
    #[ts(type = "string")]
    pub notice_on: NaiveDate,
    /// The statement that first showed the transaction (Regulation E's 60 days).
    #[ts(type = "string | null")]
    pub statement_on: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub account_opened_on: Option<NaiveDate>,
    pub point_of_sale: bool,
    pub foreign: bool,
}

/// A dispute's deadlines as of its events (see the module's notes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeClock {
    policy: PolicySet,
    facts: DisputeFacts,
    credit_on: Option<NaiveDate>,
    told_on: Option<NaiveDate>,
    extended_on: Option<NaiveDate>,
    decided_on: Option<NaiveDate>,
}

impl DisputeClock {
    pub fn new(policy: PolicySet, facts: DisputeFacts) -> Result<Self, DisputeRuleError> {
        policy.validate()?;
        if facts.notice_on < facts.transaction_on {
            return Err(DisputeRuleError::NoticeBeforeTransaction {
                notice_on: facts.notice_on,
                transaction_on: facts.transaction_on,
            });
        }
        Ok(DisputeClock {
            policy,
            facts,
            credit_on: None,
            told_on: None,
            extended_on: None,
            decided_on: None,
        })
    }

    pub fn policy(&self) -> &PolicySet {
        &self.policy
    }

    pub fn facts(&self) -> &DisputeFacts {
        &self.facts
    }

    pub fn credit_on(&self) -> Option<NaiveDate> {
        self.credit_on
    }

    pub fn told_on(&self) -> Option<NaiveDate> {
        self.told_on
    }

    pub fn extended_on(&self) -> Option<NaiveDate> {
        self.extended_on
    }

    pub fn decided_on(&self) -> Option<NaiveDate> {
        self.decided_on
    }

    /// Regulation E: an account opened less than 30 days before the notice.
    pub fn is_new_account(&self) -> bool {
        let PolicySet::UsRegulationE(p) = self.policy else {
            return false;
        };
        self.facts.account_opened_on.is_some_and(|opened| {
            (self.facts.notice_on - opened).num_days() < i64::from(p.new_account_days)
        })
    }

    /// Regulation E: whether the notice came within 60 days of the statement (counted to a
    /// working day). A late notice is still worked, but outside the regulation's procedure.
    /// `None` without a statement date, and always under the China set.
    pub fn reported_in_time(
        &self,
        cal: &BusinessCalendar,
    ) -> Result<Option<bool>, DisputeRuleError> {
        match (self.policy, self.facts.statement_on) {
            (PolicySet::UsRegulationE(p), Some(statement)) => {
                let end = cal.period_end(statement, p.report_within_days_of_statement)?;
                Ok(Some(self.facts.notice_on <= end))
            }
            _ => Ok(None),
        }
    }

    /// The customer's last day to report under Regulation E (60 days from the statement).
    pub fn report_by(&self, cal: &BusinessCalendar) -> Result<Option<NaiveDate>, DisputeRuleError> {
        match (self.policy, self.facts.statement_on) {
            (PolicySet::UsRegulationE(p), Some(statement)) => Ok(Some(
                cal.period_end(statement, p.report_within_days_of_statement)?,
            )),
            _ => Ok(None),
        }
    }

    /// China: the day the provider must act on the notice ("at once").
    pub fn act_by(&self, cal: &BusinessCalendar) -> Result<Option<NaiveDate>, DisputeRuleError> {
        let PolicySet::ChinaEPayment(p) = self.policy else {
            return Ok(None);
        };
        let first = cal.next_working_day_on_or_after(self.facts.notice_on)?;
        Ok(Some(
            cal.add_working_days(first, p.act_within_working_days)?,
        ))
    }

    /// The first investigation period: Regulation E 10 business days (20 for a new account);
    /// China the decision period in calendar days.
    pub fn investigate_by(&self, cal: &BusinessCalendar) -> Result<NaiveDate, DisputeRuleError> {
        Ok(match self.policy {
            PolicySet::UsRegulationE(p) => {
                let days = if self.is_new_account() {
                    p.investigate_business_days_new_account
                } else {
                    p.investigate_business_days
                };
                cal.add_working_days(self.facts.notice_on, days)?
            }
            PolicySet::ChinaEPayment(p) => {
                cal.period_end(self.facts.notice_on, p.decide_within_days)?
            }
        })
    }

    /// Regulation E: the provisional credit that allows an extension is given within the
    /// first investigation period (10 business days, 20 for a new account).
    pub fn provisional_credit_by(
        &self,
        cal: &BusinessCalendar,
    ) -> Result<Option<NaiveDate>, DisputeRuleError> {
        match self.policy {
            PolicySet::UsRegulationE(_) => Ok(Some(self.investigate_by(cal)?)),
            PolicySet::ChinaEPayment(_) => Ok(None),
        }
    }

    /// Regulation E: when the customer must be told of the provisional credit (2 business days).
    pub fn tell_credit_by(
        &self,
        cal: &BusinessCalendar,
    ) -> Result<Option<NaiveDate>, DisputeRuleError> {
        match (self.policy, self.credit_on) {
            (PolicySet::UsRegulationE(p), Some(on)) => Ok(Some(
                cal.add_working_days(on, p.notify_credit_business_days)?,
            )),
            _ => Ok(None),
        }
    }

    /// Regulation E: the end of an extended investigation, 45 days (90 for a new account,
    /// point of sale or foreign). Never before the first period's end, so extending never
    /// shortens, whatever the calendar.
    pub fn extended_by(
        &self,
        cal: &BusinessCalendar,
    ) -> Result<Option<NaiveDate>, DisputeRuleError> {
        let PolicySet::UsRegulationE(p) = self.policy else {
            return Ok(None);
        };
        let special = self.is_new_account() || self.facts.point_of_sale || self.facts.foreign;
        let days = if special {
            p.extended_days_special
        } else {
            p.extended_days
        };
        let end = cal.period_end(self.facts.notice_on, days)?;
        Ok(Some(end.max(self.investigate_by(cal)?)))
    }

    /// The deadline in force: the extended one once extended, else the first period's.
    pub fn due_date(&self, cal: &BusinessCalendar) -> Result<NaiveDate, DisputeRuleError> {
        if self.extended_on.is_some()
            && let Some(end) = self.extended_by(cal)?
        {
            return Ok(end);
        }
        self.investigate_by(cal)
    }

    fn open_event(&self, on: NaiveDate) -> Result<Self, DisputeRuleError> {
        if let Some(decided) = self.decided_on {
            return Err(DisputeRuleError::Decided { on: decided });
        }
        if on < self.facts.notice_on {
            return Err(DisputeRuleError::OutOfOrder {
                on,
                earliest: self.facts.notice_on,
            });
        }
        Ok(self.clone())
    }

    /// A provisional credit given (posted by the core) on `on`. Once per dispute.
    pub fn credit_given(&self, on: NaiveDate) -> Result<Self, DisputeRuleError> {
        let mut next = self.open_event(on)?;
        if let Some(given) = self.credit_on {
            return Err(DisputeRuleError::CreditAlreadyGiven { on: given });
        }
        next.credit_on = Some(on);
        Ok(next)
    }

    /// The customer told of the provisional credit on `on`.
    pub fn customer_told(&self, on: NaiveDate) -> Result<Self, DisputeRuleError> {
        let mut next = self.open_event(on)?;
        let credit = self.credit_on.ok_or(DisputeRuleError::NoCreditToTell)?;
        if on < credit {
            return Err(DisputeRuleError::OutOfOrder {
                on,
                earliest: credit,
            });
        }
        next.told_on = Some(on);
        Ok(next)
    }

    /// Regulation E: extends the investigation, only with a provisional credit given within
    /// the first period and the customer told of it within 2 business days, decided before
    /// the first period ends.
    pub fn extend(&self, on: NaiveDate, cal: &BusinessCalendar) -> Result<Self, DisputeRuleError> {
        let mut next = self.open_event(on)?;
        let PolicySet::UsRegulationE(_) = self.policy else {
            return Err(DisputeRuleError::NoExtensionUnderPolicy);
        };
        if let Some(extended) = self.extended_on {
            return Err(DisputeRuleError::AlreadyExtended { on: extended });
        }
        let first_end = self.investigate_by(cal)?;
        if on > first_end {
            return Err(DisputeRuleError::ExtensionTooLate { by: first_end });
        }
        let credit_by = first_end;
        let credited_in_time = self.credit_on.is_some_and(|c| c <= credit_by);
        let told_in_time = match (self.told_on, self.tell_credit_by(cal)?) {
            (Some(told), Some(by)) => told <= by,
            _ => false,
        };
        if !credited_in_time || !told_in_time {
            return Err(DisputeRuleError::ExtensionNeedsCredit { credit_by });
        }
        next.extended_on = Some(on);
        Ok(next)
    }

    pub fn decide(&self, on: NaiveDate) -> Result<Self, DisputeRuleError> {
        let mut next = self.open_event(on)?;
        next.decided_on = Some(on);
        Ok(next)
    }

    /// Due soon, due today, overdue, or closed on time or late, like the complaint clock.
    pub fn status_on(
        &self,
        today: NaiveDate,
        cal: &BusinessCalendar,
    ) -> Result<ClockStatus, DisputeRuleError> {
        let due = self.due_date(cal)?;
        if let Some(on) = self.decided_on {
            return Ok(ClockStatus::Closed {
                on,
                kind: ClosureKind::Decided,
                on_time: on <= due,
            });
        }
        let left = (due - today).num_days();
        let warn = i64::from(self.policy.due_soon_warning_days());
        Ok(match left {
            0 => ClockStatus::DueToday,
            n if n < 0 => ClockStatus::Overdue {
                days_over: u32::try_from(-n).unwrap_or(u32::MAX),
            },
            n if n <= warn => ClockStatus::DueSoon {
                days_left: u32::try_from(n).unwrap_or(u32::MAX),
            },
            n => ClockStatus::OnTrack {
                days_left: u32::try_from(n).unwrap_or(u32::MAX),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::china_2026;
    use crate::disputes::reasons::ReasonCodes;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test fixture")
    }

    fn reg_e() -> PolicySet {
        PolicySet::UsRegulationE(RegEPolicy::default())
    }

    fn china() -> PolicySet {
        PolicySet::ChinaEPayment(ChinaPolicy::default())
    }

    fn facts(notice_on: NaiveDate) -> DisputeFacts {
        DisputeFacts {
            transaction_on: d(2026, 8, 20),
            notice_on,
            statement_on: None,
            account_opened_on: Some(d(2025, 1, 1)),
            point_of_sale: false,
            foreign: false,
        }
    }

    fn clock(policy: PolicySet, facts: DisputeFacts) -> DisputeClock {
        DisputeClock::new(policy, facts).expect("test fixture")
    }

    /// China e-payment: on notice the provider acts at once: that day, or the first working
    /// day after a notice on a holiday; a notice on a make-up Saturday is acted on that day.
    #[test]
    fn china_acts_at_once_on_notice_the_same_working_day() {
        let cal = china_2026();
        let act = |on| clock(china(), facts(on)).act_by(&cal).expect("in range");
        assert_eq!(act(d(2026, 10, 9)), Some(d(2026, 10, 9)));
        assert_eq!(act(d(2026, 10, 3)), Some(d(2026, 10, 8)));
        assert_eq!(act(d(2026, 10, 10)), Some(d(2026, 10, 10)));
        assert_eq!(clock(reg_e(), facts(d(2026, 10, 9))).act_by(&cal), Ok(None));
    }

    /// China e-payment: the provider bears unauthorised losses unless it proves the user at
    /// fault, so a decision for the bank on an unauthorised reason needs the proof; other
    /// reasons, decisions for the customer and Regulation E are not held to it.
    #[test]
    fn china_provider_bears_unauthorised_losses_unless_user_fault_proven() {
        let codes = ReasonCodes::default();
        let unauthorised = codes.get("unauthorised").expect("default");
        let duplicate = codes.get("duplicate").expect("default");
        assert_eq!(
            china().check_decision(unauthorised, false, false),
            Err(DisputeRuleError::UserFaultNotProven)
        );
        assert_eq!(china().check_decision(unauthorised, false, true), Ok(()));
        assert_eq!(china().check_decision(unauthorised, true, false), Ok(()));
        assert_eq!(china().check_decision(duplicate, false, false), Ok(()));
        assert_eq!(reg_e().check_decision(unauthorised, false, false), Ok(()));
    }

    /// China e-payment: free look-up of at least one year of transactions; a policy that
    /// reaches back less is refused.
    #[test]
    fn china_free_look_up_of_at_least_a_year_of_transactions() {
        assert_eq!(china().lookup_from(d(2026, 10, 9)), d(2025, 10, 9));
        let short = PolicySet::ChinaEPayment(ChinaPolicy {
            free_lookup_days: 180,
            ..ChinaPolicy::default()
        });
        assert!(matches!(
            short.validate(),
            Err(DisputeRuleError::InvalidPolicy { .. })
        ));
    }

    /// China e-payment: decided within 15 days of the notice (product owner default), counted
    /// like complaints: day 15 on National Day moves to the first working day after it.
    #[test]
    fn china_decides_within_15_days_counted_past_national_day() {
        let cal = china_2026();
        let c = clock(china(), facts(d(2026, 9, 16)));
        assert_eq!(c.due_date(&cal), Ok(d(2026, 10, 8)));
        assert_eq!(
            c.extend(d(2026, 9, 20), &cal),
            Err(DisputeRuleError::NoExtensionUnderPolicy)
        );
    }

    /// Regulation E: report within 60 days of the statement. Day 60 after 2026-08-02 is
    /// 2026-10-01, National Day, so the customer has until 2026-10-08; a day later is late.
    #[test]
    fn reg_e_report_within_60_days_of_the_statement_past_holidays() {
        let cal = china_2026();
        let with_statement = |notice| DisputeFacts {
            statement_on: Some(d(2026, 8, 2)),
            ..facts(notice)
        };
        let on_time = clock(reg_e(), with_statement(d(2026, 10, 8)));
        assert_eq!(on_time.report_by(&cal), Ok(Some(d(2026, 10, 8))));
        assert_eq!(on_time.reported_in_time(&cal), Ok(Some(true)));
        let late = clock(reg_e(), with_statement(d(2026, 10, 9)));
        assert_eq!(late.reported_in_time(&cal), Ok(Some(false)));
        let plain = BusinessCalendar::weekends_only();
        assert_eq!(on_time.report_by(&plain), Ok(Some(d(2026, 10, 1))));
    }

    /// Regulation E: investigate within 10 business days. From Wednesday 2026-09-30 the
    /// National Day block does not count and make-up Saturday 2026-10-10 does: 2026-10-20;
    /// on a weekends-only calendar 2026-10-14.
    #[test]
    fn reg_e_investigate_within_10_business_days_with_holidays_and_make_up_days() {
        let c = clock(reg_e(), facts(d(2026, 9, 30)));
        assert!(!c.is_new_account());
        assert_eq!(c.investigate_by(&china_2026()), Ok(d(2026, 10, 20)));
        assert_eq!(c.due_date(&china_2026()), Ok(d(2026, 10, 20)));
        assert_eq!(
            c.investigate_by(&BusinessCalendar::weekends_only()),
            Ok(d(2026, 10, 14))
        );
    }

    /// Regulation E: 20 business days for an account under 30 days old at the notice.
    #[test]
    fn reg_e_investigate_within_20_business_days_for_accounts_under_30_days() {
        let cal = china_2026();
        let young = DisputeFacts {
            account_opened_on: Some(d(2026, 9, 1)),
            ..facts(d(2026, 9, 30))
        };
        let c = clock(reg_e(), young);
        assert!(c.is_new_account());
        assert_eq!(c.investigate_by(&cal), Ok(d(2026, 11, 3)));
        // Exactly 30 days old is no longer new.
        let thirty = DisputeFacts {
            account_opened_on: Some(d(2026, 8, 31)),
            ..facts(d(2026, 9, 30))
        };
        assert!(!clock(reg_e(), thirty).is_new_account());
    }

    /// Regulation E: extend to 45 days only with a provisional credit given within the 10
    /// business days and the customer told within 2 business days of it (make-up Saturday
    /// 2026-10-10 counts as the first).
    #[test]
    fn reg_e_extend_to_45_days_only_with_provisional_credit_in_10_days_told_within_2() {
        let cal = china_2026();
        let c = clock(reg_e(), facts(d(2026, 9, 30)));
        assert_eq!(c.provisional_credit_by(&cal), Ok(Some(d(2026, 10, 20))));
        let need = DisputeRuleError::ExtensionNeedsCredit {
            credit_by: d(2026, 10, 20),
        };
        assert_eq!(c.extend(d(2026, 10, 12), &cal), Err(need.clone()));
        let credited = c.credit_given(d(2026, 10, 9)).expect("credit");
        assert_eq!(credited.tell_credit_by(&cal), Ok(Some(d(2026, 10, 12))));
        assert_eq!(
            credited.tell_credit_by(&BusinessCalendar::weekends_only()),
            Ok(Some(d(2026, 10, 13)))
        );
        // Credited but never told: no extension.
        assert_eq!(credited.extend(d(2026, 10, 12), &cal), Err(need.clone()));
        // Told too late (day 3): no extension.
        let told_late = credited.customer_told(d(2026, 10, 13)).expect("told");
        assert_eq!(told_late.extend(d(2026, 10, 14), &cal), Err(need));
        // Told in time: 45 days, day 45 Saturday 2026-11-14 moves to Monday 2026-11-16.
        let told = credited.customer_told(d(2026, 10, 12)).expect("told");
        let extended = told.extend(d(2026, 10, 14), &cal).expect("extends");
        assert_eq!(extended.due_date(&cal), Ok(d(2026, 11, 16)));
        assert_eq!(
            extended.extend(d(2026, 10, 15), &cal),
            Err(DisputeRuleError::AlreadyExtended {
                on: d(2026, 10, 14)
            })
        );
        // The extension is decided within the first period, not after it.
        assert_eq!(
            told.extend(d(2026, 10, 21), &cal),
            Err(DisputeRuleError::ExtensionTooLate {
                by: d(2026, 10, 20)
            })
        );
        // A credit given after the 10 business days does not allow one.
        let late_credit = c
            .credit_given(d(2026, 10, 21))
            .and_then(|c| c.customer_told(d(2026, 10, 21)))
            .expect("late credit");
        assert!(late_credit.extend(d(2026, 10, 21), &cal).is_err());
    }

    /// Regulation E: 90 days instead of 45 for a new account, a point-of-sale or a foreign
    /// transaction. Day 90 after 2026-09-30 is Tuesday 2026-12-29.
    #[test]
    fn reg_e_extend_to_90_days_for_new_accounts_point_of_sale_and_foreign() {
        let cal = china_2026();
        let extend = |facts: DisputeFacts| {
            clock(reg_e(), facts)
                .credit_given(d(2026, 10, 9))
                .and_then(|c| c.customer_told(d(2026, 10, 9)))
                .and_then(|c| c.extend(d(2026, 10, 9), &cal))
                .and_then(|c| c.due_date(&cal))
        };
        let base = facts(d(2026, 9, 30));
        assert_eq!(extend(base), Ok(d(2026, 11, 16)));
        for special in [
            DisputeFacts {
                point_of_sale: true,
                ..base
            },
            DisputeFacts {
                foreign: true,
                ..base
            },
            DisputeFacts {
                account_opened_on: Some(d(2026, 9, 20)),
                ..base
            },
        ] {
            assert_eq!(extend(special), Ok(d(2026, 12, 29)), "{special:?}");
        }
    }

    /// Regulation E: a confirmed error is corrected within 1 business day (the day after
    /// National Day; a make-up Saturday counts); China corrects at once.
    #[test]
    fn reg_e_fix_a_confirmed_error_within_1_business_day() {
        let cal = china_2026();
        assert_eq!(reg_e().correct_by(d(2026, 9, 30), &cal), Ok(d(2026, 10, 8)));
        assert_eq!(
            reg_e().correct_by(d(2026, 10, 9), &cal),
            Ok(d(2026, 10, 10))
        );
        assert_eq!(china().correct_by(d(2026, 10, 9), &cal), Ok(d(2026, 10, 9)));
        assert_eq!(china().correct_by(d(2026, 10, 4), &cal), Ok(d(2026, 10, 8)));
    }

    /// Regulation E: the results reach the customer within 3 business days of the end of
    /// the investigation.
    #[test]
    fn reg_e_report_results_within_3_business_days() {
        let cal = china_2026();
        assert_eq!(
            reg_e().report_results_by(d(2026, 10, 9), &cal),
            Ok(d(2026, 10, 13))
        );
        assert_eq!(
            reg_e().report_results_by(d(2026, 9, 30), &cal),
            Ok(d(2026, 10, 10))
        );
        assert_eq!(
            china().report_results_by(d(2026, 10, 1), &cal),
            Ok(d(2026, 10, 8))
        );
    }

    /// Card chargebacks: 120 days from the transaction, duplicates 90; a window ending on a
    /// rest day ends on the working day before it (the scheme does not wait for holidays).
    #[test]
    fn chargeback_within_120_days_duplicates_90_ending_on_a_working_day() {
        let cal = china_2026();
        let codes = ReasonCodes::default();
        let unauthorised = codes.get("unauthorised").expect("default");
        let duplicate = codes.get("duplicate").expect("default");
        // 2026-06-03 + 120 = 2026-10-01 (National Day): back to Wednesday 2026-09-30.
        assert_eq!(
            chargeback_deadline(d(2026, 6, 3), unauthorised, &cal),
            Ok(d(2026, 9, 30))
        );
        // 2026-06-08 + 90 = Sunday 2026-09-06: back to Friday 2026-09-04.
        assert_eq!(
            chargeback_deadline(d(2026, 6, 8), duplicate, &cal),
            Ok(d(2026, 9, 4))
        );
        // 2026-06-03 + 90 = Tuesday 2026-09-01, a working day.
        assert_eq!(
            chargeback_deadline(d(2026, 6, 3), duplicate, &cal),
            Ok(d(2026, 9, 1))
        );
    }

    /// The dispute clock shows on track, due soon, due today, overdue, and closed on time or
    /// late, like the complaint clock.
    #[test]
    fn dispute_clock_shows_due_soon_overdue_and_closed() {
        let cal = china_2026();
        let c = clock(reg_e(), facts(d(2026, 9, 30))); // due 2026-10-20
        assert_eq!(
            c.status_on(d(2026, 10, 12), &cal),
            Ok(ClockStatus::OnTrack { days_left: 8 })
        );
        assert_eq!(
            c.status_on(d(2026, 10, 17), &cal),
            Ok(ClockStatus::DueSoon { days_left: 3 })
        );
        assert_eq!(
            c.status_on(d(2026, 10, 20), &cal),
            Ok(ClockStatus::DueToday)
        );
        assert_eq!(
            c.status_on(d(2026, 10, 22), &cal),
            Ok(ClockStatus::Overdue { days_over: 2 })
        );
        let late = c.decide(d(2026, 10, 21)).expect("decide");
        assert_eq!(
            late.status_on(d(2026, 10, 30), &cal),
            Ok(ClockStatus::Closed {
                on: d(2026, 10, 21),
                kind: ClosureKind::Decided,
                on_time: false
            })
        );
        assert_eq!(
            late.credit_given(d(2026, 10, 22)),
            Err(DisputeRuleError::Decided {
                on: d(2026, 10, 21)
            })
        );
    }

    /// Policy sets are configuration: the JSON a deployment stores names the set and its
    /// figures; a set whose extended period is shorter than the first is refused.
    #[test]
    fn policy_sets_are_chosen_in_configuration() {
        let text = r#"{"set":"usRegulationE","reportWithinDaysOfStatement":60,
            "investigateBusinessDays":10,"investigateBusinessDaysNewAccount":20,
            "newAccountDays":30,"extendedDays":45,"extendedDaysSpecial":90,
            "notifyCreditBusinessDays":2,"correctErrorBusinessDays":1,
            "reportResultsBusinessDays":3,"dueSoonWarningDays":3}"#;
        let set: PolicySet = serde_json::from_str(text).expect("valid");
        assert_eq!(set, reg_e());
        let china_text = serde_json::to_string(&china()).expect("json");
        assert!(
            china_text.contains(r#""set":"chinaEPayment""#),
            "{china_text}"
        );
        let bad = PolicySet::UsRegulationE(RegEPolicy {
            extended_days_special: 30,
            ..RegEPolicy::default()
        });
        assert!(bad.validate().is_err());
        assert!(DisputeClock::new(bad, facts(d(2026, 9, 30))).is_err());
    }

    fn random_calendar(holidays: &[u32], workdays: &[u32]) -> BusinessCalendar {
        let base = d(2026, 1, 1);
        let day = |n: u32| base + chrono::Days::new(u64::from(n));
        let holidays: std::collections::BTreeSet<NaiveDate> =
            holidays.iter().map(|&n| day(n)).collect();
        let workdays: std::collections::BTreeSet<NaiveDate> = workdays
            .iter()
            .map(|&n| day(n))
            .filter(|w| {
                use chrono::Datelike;
                matches!(w.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
                    && !holidays.contains(w)
            })
            .collect();
        BusinessCalendar::new(holidays, workdays).expect("disjoint, weekend make-up days")
    }

    proptest::proptest! {
        /// Whatever the calendar (random holidays and make-up days), the notice and the
        /// facts, under either policy set no dispute deadline lands on a rest day.
        #[test]
        fn no_dispute_deadline_lands_on_a_rest_day(
            holidays in proptest::collection::vec(0u32..600, 0..80),
            workdays in proptest::collection::vec(0u32..600, 0..30),
            notice in 0u64..400,
            opened_before in 0u64..60,
            statement_before in 0u64..40,
            pos in proptest::bool::ANY,
            credit_after in 0u64..20,
            us in proptest::bool::ANY,
            window in 1u32..200,
        ) {
            let cal = random_calendar(&holidays, &workdays);
            let notice_on = d(2026, 1, 20) + chrono::Days::new(notice);
            let facts = DisputeFacts {
                transaction_on: notice_on - chrono::Days::new(10),
                notice_on,
                statement_on: Some(notice_on - chrono::Days::new(statement_before)),
                account_opened_on: Some(notice_on - chrono::Days::new(opened_before)),
                point_of_sale: pos,
                foreign: false,
            };
            let policy = if us { reg_e() } else { china() };
            let c = clock(policy, facts);
            let credit = notice_on + chrono::Days::new(credit_after);
            let mut days = vec![
                c.investigate_by(&cal).expect("in range"),
                c.due_date(&cal).expect("in range"),
                policy.correct_by(credit, &cal).expect("in range"),
                policy.report_results_by(credit, &cal).expect("in range"),
            ];
            days.extend(c.act_by(&cal).expect("in range"));
            days.extend(c.report_by(&cal).expect("in range"));
            days.extend(c.extended_by(&cal).expect("in range"));
            let credited = c.credit_given(credit).expect("open");
            days.extend(credited.tell_credit_by(&cal).expect("in range"));
            let reason = ReasonCode {
                code: "x".into(),
                chargeback_window_days: window,
                unauthorised: false,
            };
            days.push(chargeback_deadline(facts.transaction_on, &reason, &cal).expect("in range"));
            for day in days {
                proptest::prop_assert!(cal.is_working_day(day), "{day} is a rest day");
            }
        }

        /// Extending never shortens a deadline: whatever the calendar and the facts, an
        /// extended investigation ends on or after the first period's end.
        #[test]
        fn extending_never_shortens_a_dispute_deadline(
            // Dense enough that 10 business days can outlast 45 calendar days.
            holidays in proptest::collection::vec(0u32..600, 0..1500),
            workdays in proptest::collection::vec(0u32..600, 0..30),
            notice in 0u64..400,
            opened_before in 0u64..60,
            pos in proptest::bool::ANY,
            foreign in proptest::bool::ANY,
        ) {
            let cal = random_calendar(&holidays, &workdays);
            let notice_on = d(2026, 1, 20) + chrono::Days::new(notice);
            let facts = DisputeFacts {
                transaction_on: notice_on,
                notice_on,
                statement_on: None,
                account_opened_on: Some(notice_on - chrono::Days::new(opened_before)),
                point_of_sale: pos,
                foreign,
            };
            let c = clock(reg_e(), facts);
            let before = c.due_date(&cal).expect("in range");
            let extended = c
                .credit_given(notice_on)
                .and_then(|c| c.customer_told(notice_on))
                .and_then(|c| c.extend(notice_on, &cal))
                .expect("credit and notice on the first day allow it");
            let after = extended.due_date(&cal).expect("in range");
            proptest::prop_assert!(after >= before, "{after} < {before}");
        }
    }
}
