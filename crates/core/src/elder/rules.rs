//! The elder-assisted setup's rules as configuration (DOMAIN.md "Elderly mode" and "Anti-fraud
//! at the counter"), and the session's steps as a pure state machine. Nothing here touches the
//! store: `session.rs` loads the rules, applies a transition and audits it.

use crate::error::{Error, FieldError, Result};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One anti-fraud question, in the words read to the customer. A "yes" is the risky answer
/// for every question, so the machine never needs to know which answer stops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FraudQuestion {
    /// Stable id, recorded with the answer (the wording may change later).
    pub id: String,
    pub zh: String,
    pub en: String,
}

/// Everything a bank may change about the assisted setup; defaults from DOMAIN.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ElderRules {
    /// Elder mode is offered (never forced) from this age.
    pub threshold_age: u32,
    pub questions: Vec<FraudQuestion>,
    /// Days after the setup on which a follow-up call is due, ascending.
    pub follow_up_days: Vec<u32>,
    /// A practice payment may be undone this many minutes after it was made.
    pub practice_undo_minutes: u32,
    /// How long the customer's window waits on a step before it asks "do you need more time?".
    pub step_timeout_secs: u32,
    /// How long before the timeout the window warns (and offers more time).
    pub warn_before_secs: u32,
    pub slogan: String,
    pub hotline: String,
    /// The branch's phone, printed on the take-home guide (empty: the guide says to ask).
    pub branch_phone: String,
}

pub const DEFAULT_THRESHOLD_AGE: u32 = 60;
pub const DEFAULT_FOLLOW_UP_DAYS: [u32; 2] = [3, 14];
pub const DEFAULT_PRACTICE_UNDO_MINUTES: u32 = 10;

impl Default for ElderRules {
    fn default() -> ElderRules {
        let q = |id: &str, zh: &str, en: &str| FraudQuestion {
            id: id.to_owned(),
            zh: zh.to_owned(),
            en: en.to_owned(),
        };
        ElderRules {
            threshold_age: DEFAULT_THRESHOLD_AGE,
            // DOMAIN.md's four checks, each worded so that "yes" is the warning sign: the
            // relative question asks whether the request is still unconfirmed.
            questions: vec![
                q(
                    "safe_account",
                    "有没有人自称是公安、检察院、法院、社保或银行的工作人员，让您把钱转到“安全账户”？",
                    "Has anyone claiming to be police, a prosecutor, a court, social security or bank staff asked you to move money to a \"safe account\"?",
                ),
                q(
                    "relative_in_trouble",
                    "有没有“亲属”说遇到了麻烦、急着要您打钱，而您还没有跟家里人核实过？",
                    "Has a relative \"in trouble\" asked you for urgent money that you have not yet confirmed with your family?",
                ),
                q(
                    "high_returns",
                    "有没有人向您许诺高额回报，或者让您购买保健品？",
                    "Were you promised high returns, or asked to buy health products?",
                ),
                q(
                    "code_or_screen",
                    "有没有人向您要过验证码、密码，或者让您共享手机屏幕？",
                    "Has anyone asked you for a code, a PIN, or to share your screen?",
                ),
            ],
            follow_up_days: DEFAULT_FOLLOW_UP_DAYS.to_vec(),
            practice_undo_minutes: DEFAULT_PRACTICE_UNDO_MINUTES,
            step_timeout_secs: 300,
            warn_before_secs: 60,
            slogan: "不轻信、不透露、不转账".to_owned(),
            hotline: "96110".to_owned(),
            branch_phone: String::new(),
        }
    }
}

/// Bounds a supervisor may set the rules within: an age below 50 would offer large print to
/// working-age staff's peers by default, above 80 would leave most elderly customers out.
pub const THRESHOLD_AGES: std::ops::RangeInclusive<u32> = 50..=80;
pub const MAX_QUESTIONS: usize = 10;
pub const FOLLOW_UP_DAY_RANGE: std::ops::RangeInclusive<u32> = 1..=90;
pub const UNDO_MINUTES: std::ops::RangeInclusive<u32> = 1..=60;
pub const STEP_TIMEOUT_SECS: std::ops::RangeInclusive<u32> = 60..=1800;

impl ElderRules {
    /// Checks a supervisor's edit; every problem at once, by field.
    pub fn validate(&self) -> Result<ElderRules> {
        let mut problems = Vec::new();
        if !THRESHOLD_AGES.contains(&self.threshold_age) {
            problems.push(FieldError::new("thresholdAge", "elder_threshold_range"));
        }
        let mut ids = std::collections::HashSet::new();
        let questions_ok = !self.questions.is_empty()
            && self.questions.len() <= MAX_QUESTIONS
            && self.questions.iter().all(|q| {
                valid_id(&q.id)
                    && ids.insert(q.id.as_str())
                    && (1..=200).contains(&q.zh.trim().chars().count())
                    && (1..=300).contains(&q.en.trim().chars().count())
            });
        if !questions_ok {
            problems.push(FieldError::new("questions", "elder_questions_invalid"));
        }
        let days = &self.follow_up_days;
        if days.is_empty()
            || days.len() > 4
            || !days.iter().all(|d| FOLLOW_UP_DAY_RANGE.contains(d))
            || !days.windows(2).all(|w| w[0] < w[1])
        {
            problems.push(FieldError::new(
                "followUpDays",
                "elder_follow_up_days_invalid",
            ));
        }
        if !UNDO_MINUTES.contains(&self.practice_undo_minutes) {
            problems.push(FieldError::new("practiceUndoMinutes", "elder_undo_range"));
        }
        if !STEP_TIMEOUT_SECS.contains(&self.step_timeout_secs)
            || self.warn_before_secs < 10
            || self.warn_before_secs >= self.step_timeout_secs
        {
            problems.push(FieldError::new("stepTimeoutSecs", "elder_timeout_range"));
        }
        if self.branch_phone.chars().count() > 30 {
            problems.push(FieldError::new("branchPhone", "text_length"));
        }
        if self.slogan.trim().is_empty() || self.hotline.trim().is_empty() {
            problems.push(FieldError::new("slogan", "text_length"));
        }
        if problems.is_empty() {
            Ok(self.clone())
        } else {
            Err(Error::InvalidFields(problems))
        }
    }

    /// Elder mode is offered from the threshold age; staff and customer decide.
    pub fn offers_elder_mode(&self, age: u32) -> bool {
        age >= self.threshold_age
    }

    /// The days follow-up calls fall due after a setup finished on `done_on`.
    pub fn follow_up_dates(&self, done_on: NaiveDate) -> Vec<NaiveDate> {
        self.follow_up_days
            .iter()
            .map(|d| done_on + Duration::days(i64::from(*d)))
            .collect()
    }

    /// Whether a practice payment made at `paid_at` may still be undone at `now`.
    pub fn practice_undo_open(&self, paid_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now >= paid_at && now - paid_at <= Duration::minutes(i64::from(self.practice_undo_minutes))
    }
}

fn valid_id(id: &str) -> bool {
    (1..=40).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

/// Where a session stands. The customer's window shows exactly one of these at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ElderStep {
    /// Staff explain what will happen; staff go on.
    Welcome,
    /// The customer answers question `question_index`.
    Question,
    /// A "yes": stopped until a supervisor records an outcome. No staff command moves it.
    Stopped,
    /// Staff open the wallet in the onboarding wizard; the customer waits.
    OpenWallet,
    Practice,
    Guide,
    Done,
    /// Ended early (the customer stopped, or the supervisor referred the case to 110).
    Ended,
}

impl ElderStep {
    pub fn as_str(self) -> &'static str {
        match self {
            ElderStep::Welcome => "welcome",
            ElderStep::Question => "question",
            ElderStep::Stopped => "stopped",
            ElderStep::OpenWallet => "open_wallet",
            ElderStep::Practice => "practice",
            ElderStep::Guide => "guide",
            ElderStep::Done => "done",
            ElderStep::Ended => "ended",
        }
    }

    pub fn parse(text: &str) -> Option<ElderStep> {
        [
            ElderStep::Welcome,
            ElderStep::Question,
            ElderStep::Stopped,
            ElderStep::OpenWallet,
            ElderStep::Practice,
            ElderStep::Guide,
            ElderStep::Done,
            ElderStep::Ended,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    pub fn is_open(self) -> bool {
        !matches!(self, ElderStep::Done | ElderStep::Ended)
    }
}

/// What a supervisor decides after a "yes".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EscalationOutcome {
    /// The supervisor found no fraud (a reason is recorded): the setup continues.
    Cleared,
    /// The customer was advised about the risk and chose, advised, to go on: the setup
    /// continues.
    Advised,
    /// Referred to the police (110): the setup ends here.
    #[serde(rename = "referred_110")]
    Referred110,
}

impl EscalationOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            EscalationOutcome::Cleared => "cleared",
            EscalationOutcome::Advised => "advised",
            EscalationOutcome::Referred110 => "referred_110",
        }
    }

    pub fn parse(text: &str) -> Option<EscalationOutcome> {
        match text {
            "cleared" => Some(EscalationOutcome::Cleared),
            "advised" => Some(EscalationOutcome::Advised),
            "referred_110" => Some(EscalationOutcome::Referred110),
            _ => None,
        }
    }
}

/// Who does what to a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElderEvent {
    /// Staff press "next" (welcome, open wallet, practice, guide).
    StaffNext,
    /// The customer answers the question on their screen.
    Answer { question_id: String, yes: bool },
    /// A supervisor's outcome on a stopped session.
    Outcome(EscalationOutcome),
    /// Staff end the session (the customer does not want to go on).
    End,
}

/// A session's position: the step and, on questions, which one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub step: ElderStep,
    pub question_index: usize,
}

/// Why a transition was refused: each is a stable code the UI translates.
pub const WAITS_FOR_CUSTOMER: &str = "elder_waits_for_customer";
pub const STOPPED_FOR_SUPERVISOR: &str = "elder_stopped_for_supervisor";
pub const NOT_ON_THIS_QUESTION: &str = "elder_not_on_this_question";
pub const NOT_STOPPED: &str = "elder_not_stopped";
pub const SESSION_CLOSED: &str = "elder_session_closed";

/// The one place that decides the next step. A "yes" stops at once; nothing but a
/// supervisor's outcome leaves `Stopped` (staff may end the session, never continue it).
pub fn transition(
    at: Position,
    event: &ElderEvent,
    questions: &[FraudQuestion],
) -> Result<Position> {
    use ElderStep::*;
    let refuse = |code: &str| Err(Error::ConflictOn(FieldError::new("step", code)));
    if !at.step.is_open() {
        return refuse(SESSION_CLOSED);
    }
    let go = |step| {
        Ok(Position {
            step,
            question_index: at.question_index,
        })
    };
    match event {
        ElderEvent::End => go(Ended),
        ElderEvent::StaffNext => match at.step {
            Welcome if questions.is_empty() => go(OpenWallet),
            Welcome => Ok(Position {
                step: Question,
                question_index: 0,
            }),
            Question => refuse(WAITS_FOR_CUSTOMER),
            Stopped => refuse(STOPPED_FOR_SUPERVISOR),
            OpenWallet => go(Practice),
            Practice => go(Guide),
            Guide => go(Done),
            Done | Ended => refuse(SESSION_CLOSED),
        },
        ElderEvent::Answer { question_id, yes } => {
            let current = questions.get(at.question_index);
            if at.step != Question || current.is_none_or(|q| &q.id != question_id) {
                return refuse(NOT_ON_THIS_QUESTION);
            }
            if *yes {
                return go(Stopped);
            }
            Ok(next_question(at.question_index + 1, questions))
        }
        ElderEvent::Outcome(outcome) => {
            if at.step != Stopped {
                return refuse(NOT_STOPPED);
            }
            match outcome {
                EscalationOutcome::Referred110 => go(Ended),
                // The remaining questions are still asked: one "yes" cleared says nothing
                // about the next question.
                EscalationOutcome::Cleared | EscalationOutcome::Advised => {
                    Ok(next_question(at.question_index + 1, questions))
                }
            }
        }
    }
}

fn next_question(index: usize, questions: &[FraudQuestion]) -> Position {
    if index < questions.len() {
        Position {
            step: ElderStep::Question,
            question_index: index,
        }
    } else {
        Position {
            step: ElderStep::OpenWallet,
            question_index: index,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(step: ElderStep, question_index: usize) -> Position {
        Position {
            step,
            question_index,
        }
    }

    fn answer(rules: &ElderRules, index: usize, yes: bool) -> ElderEvent {
        ElderEvent::Answer {
            question_id: rules.questions[index].id.clone(),
            yes,
        }
    }

    #[test]
    fn elder_mode_is_offered_from_age_60_by_default() {
        let rules = ElderRules::default();
        assert_eq!(rules.threshold_age, 60);
        assert!(rules.offers_elder_mode(60) && rules.offers_elder_mode(72));
        assert!(!rules.offers_elder_mode(59));
        let later = ElderRules {
            threshold_age: 65,
            ..ElderRules::default()
        };
        assert!(!later.offers_elder_mode(64) && later.offers_elder_mode(65));
    }

    #[test]
    fn the_anti_fraud_questions_are_domain_mds_four_with_the_slogan_and_96110() {
        let rules = ElderRules::default();
        let ids: Vec<&str> = rules.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "safe_account",
                "relative_in_trouble",
                "high_returns",
                "code_or_screen"
            ]
        );
        assert!(rules.questions[0].zh.contains("安全账户"));
        assert!(rules.questions[3].en.contains("share your screen"));
        assert_eq!(rules.slogan, "不轻信、不透露、不转账");
        assert_eq!(rules.hotline, "96110");
    }

    #[test]
    fn follow_up_calls_fall_due_on_day_3_and_day_14() {
        let rules = ElderRules::default();
        let done = NaiveDate::from_ymd_opt(2026, 12, 30).expect("date");
        assert_eq!(
            rules.follow_up_dates(done),
            vec![
                NaiveDate::from_ymd_opt(2027, 1, 2).expect("date"),
                NaiveDate::from_ymd_opt(2027, 1, 13).expect("date"),
            ]
        );
    }

    #[test]
    fn a_practice_payment_can_be_undone_within_10_minutes_only() {
        let rules = ElderRules::default();
        let paid = Utc
            .with_ymd_and_hms(2026, 12, 6, 2, 0, 0)
            .single()
            .expect("t");
        assert!(rules.practice_undo_open(paid, paid + Duration::minutes(10)));
        assert!(!rules.practice_undo_open(paid, paid + Duration::seconds(601)));
        assert!(!rules.practice_undo_open(paid, paid - Duration::seconds(1)));
    }

    #[test]
    fn elder_rules_outside_their_bounds_are_refused_by_field() {
        assert!(ElderRules::default().validate().is_ok());
        let bad = ElderRules {
            threshold_age: 30,
            questions: Vec::new(),
            follow_up_days: vec![14, 3],
            practice_undo_minutes: 0,
            step_timeout_secs: 30,
            ..ElderRules::default()
        };
        let Err(Error::InvalidFields(fields)) = bad.validate() else {
            panic!("refused");
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            names,
            [
                "thresholdAge",
                "questions",
                "followUpDays",
                "practiceUndoMinutes",
                "stepTimeoutSecs"
            ]
        );
    }

    #[test]
    fn all_no_answers_lead_to_opening_the_wallet() {
        let rules = ElderRules::default();
        let mut pos = transition(
            at(ElderStep::Welcome, 0),
            &ElderEvent::StaffNext,
            &rules.questions,
        )
        .expect("start");
        for i in 0..rules.questions.len() {
            assert_eq!(pos, at(ElderStep::Question, i));
            pos = transition(pos, &answer(&rules, i, false), &rules.questions).expect("no");
        }
        assert_eq!(pos.step, ElderStep::OpenWallet);
        for step in [ElderStep::Practice, ElderStep::Guide, ElderStep::Done] {
            pos = transition(pos, &ElderEvent::StaffNext, &rules.questions).expect("next");
            assert_eq!(pos.step, step);
        }
    }

    #[test]
    fn any_yes_stops_the_setup_and_staff_cannot_override_it() {
        let rules = ElderRules::default();
        let stopped = transition(
            at(ElderStep::Question, 2),
            &answer(&rules, 2, true),
            &rules.questions,
        )
        .expect("yes");
        assert_eq!(stopped, at(ElderStep::Stopped, 2));
        let Err(Error::ConflictOn(f)) =
            transition(stopped, &ElderEvent::StaffNext, &rules.questions)
        else {
            panic!("staff cannot go on");
        };
        assert_eq!(f.code, STOPPED_FOR_SUPERVISOR);
        // An answer from a stale screen does not move it either.
        assert!(transition(stopped, &answer(&rules, 3, false), &rules.questions).is_err());
    }

    #[test]
    fn only_a_supervisors_outcome_continues_a_stopped_setup_and_110_ends_it() {
        let rules = ElderRules::default();
        let stopped = at(ElderStep::Stopped, 1);
        for outcome in [EscalationOutcome::Cleared, EscalationOutcome::Advised] {
            assert_eq!(
                transition(stopped, &ElderEvent::Outcome(outcome), &rules.questions).expect("go"),
                at(ElderStep::Question, 2)
            );
        }
        let last = at(ElderStep::Stopped, 3);
        assert_eq!(
            transition(
                last,
                &ElderEvent::Outcome(EscalationOutcome::Cleared),
                &rules.questions
            )
            .expect("go")
            .step,
            ElderStep::OpenWallet
        );
        assert_eq!(
            transition(
                stopped,
                &ElderEvent::Outcome(EscalationOutcome::Referred110),
                &rules.questions
            )
            .expect("end")
            .step,
            ElderStep::Ended
        );
        assert!(
            transition(
                at(ElderStep::Question, 0),
                &ElderEvent::Outcome(EscalationOutcome::Cleared),
                &rules.questions
            )
            .is_err()
        );
    }

    #[test]
    fn an_answer_counts_only_for_the_question_on_screen() {
        let rules = ElderRules::default();
        let Err(Error::ConflictOn(f)) = transition(
            at(ElderStep::Question, 1),
            &answer(&rules, 0, false),
            &rules.questions,
        ) else {
            panic!("stale answer");
        };
        assert_eq!(f.code, NOT_ON_THIS_QUESTION);
        assert!(
            transition(
                at(ElderStep::Welcome, 0),
                &answer(&rules, 0, false),
                &rules.questions
            )
            .is_err()
        );
    }
}
