//! The desk's value types: closed vocabularies stored as text, and the desk's own errors.

use super::clock::ClockError;
use crate::error::Code;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Defines a text-stored enum: serde in snake_case, `as_str` for SQL, `parse` for rows read back.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> crate::error::Result<$name> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err(crate::error::Error::Internal(anyhow::anyhow!(
                        concat!("unknown ", stringify!($name), " {:?} in the store"), other
                    ))),
                }
            }
        }

        /// Read straight from a text column (`#[sqlx(try_from = "String")]`).
        impl TryFrom<String> for $name {
            type Error = crate::error::Error;

            fn try_from(text: String) -> crate::error::Result<$name> {
                $name::parse(&text)
            }
        }
    };
}

text_enum!(
    /// How the complaint reached the bank.
    Channel {
        Counter => "counter",
        Phone => "phone",
        Online => "online",
        Letter => "letter",
        Regulator => "regulator",
        Social => "social",
    }
);

text_enum!(Severity {
    Low => "low",
    Medium => "medium",
    High => "high",
    Critical => "critical",
});

text_enum!(
    /// `Merged`: a repeat without new facts, folded into the first case.
    ComplaintStatus {
        Open => "open",
        Paused => "paused",
        Decided => "decided",
        Withdrawn => "withdrawn",
        Merged => "merged",
    }
);

text_enum!(
    /// Root cause of a decided complaint, the axis along which repeated causes show up.
    RootCause {
        Process => "process",
        System => "system",
        StaffConduct => "staff_conduct",
        ProductDesign => "product_design",
        Disclosure => "disclosure",
        ThirdParty => "third_party",
        CustomerMisunderstanding => "customer_misunderstanding",
        NoFault => "no_fault",
        Other => "other",
    }
);

text_enum!(ContactKind {
    Call => "call",
    Letter => "letter",
    Visit => "visit",
    Sms => "sms",
});

text_enum!(ContactOutcome {
    Reached => "reached",
    NoAnswer => "no_answer",
    LeftMessage => "left_message",
    Sent => "sent",
    Refused => "refused",
});

text_enum!(ExtensionStatus {
    Applied => "applied",
    Pending => "pending",
    Approved => "approved",
    Refused => "refused",
});

impl ComplaintStatus {
    pub fn is_open(self) -> bool {
        matches!(self, ComplaintStatus::Open | ComplaintStatus::Paused)
    }
}

/// A case number as printed on letters: `TS-2026-000123`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, TS)]
#[ts(type = "string")]
pub struct CaseNo(String);

impl CaseNo {
    pub fn new(year: i32, serial: i64) -> CaseNo {
        CaseNo(format!("TS-{year:04}-{serial:06}"))
    }

    /// Reads a case number as staff type it: `ts-2026-000123` or in full width
    /// (`ＴＳ－２０２６－０００１２３`) is the same case.
    pub fn parse(text: &str) -> Option<CaseNo> {
        let normal = crate::domain::normalize_typed(text).to_ascii_uppercase();
        let rest = normal.strip_prefix("TS-")?;
        let (year, serial) = rest.split_once('-')?;
        let digits = |s: &str, n: usize| s.len() >= n && s.bytes().all(|b| b.is_ascii_digit());
        (year.len() == 4 && digits(year, 4) && digits(serial, 6)).then(|| CaseNo(normal.clone()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CaseNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Trimmed, non-empty text of bounded length: what every free-text field of a case must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(String);

impl Text {
    /// `field` is the input's name as the UI sends it (camelCase): the refusal marks it.
    pub fn parse(field: &str, value: &str, max_chars: usize) -> crate::error::Result<Text> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(crate::error::Error::field(field, "text_required"));
        }
        if trimmed.chars().count() > max_chars {
            return Err(crate::error::Error::field(field, "text_too_long"));
        }
        Ok(Text(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A rule of the desk refused the step. Each maps to a code the UI already translates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComplaintError {
    #[error(transparent)]
    Clock(#[from] ClockError),
    #[error("staff {staff_id} has a direct interest in case {case_no} and may not handle it")]
    Recused { case_no: String, staff_id: i64 },
    #[error("a group sends at most {max} representatives")]
    TooManyRepresentatives { max: u32 },
    #[error("an extension must be approved by a supervisor other than the one who asked for it")]
    SelfApproval,
    #[error("extension request {id} was already {status:?}")]
    ExtensionAlreadyDecided { id: i64, status: ExtensionStatus },
    #[error("case {case_no} is {status:?}; the step needs an open case")]
    NotOpen {
        case_no: String,
        status: ComplaintStatus,
    },
    #[error("a review case cannot itself be reviewed; mediation, arbitration or court remain")]
    ReviewOfReview,
    #[error("case {case_no} already has a review case")]
    AlreadyReviewed { case_no: String },
    #[error("a repeat cannot be merged into itself or into a case that was itself merged")]
    BadMerge,
    #[error("the survey can be taken only once the case is closed, and only once")]
    SurveyNotAllowed,
    #[error("staff {staff_id} cannot handle complaints (inactive, or a role without the desk)")]
    NotAHandler { staff_id: i64 },
    #[error("a review goes to the level above, not back to team {team}")]
    ReviewSameLevel { team: String },
    #[error("case {case_no} was already escalated by hand")]
    AlreadyEscalated { case_no: String },
}

impl ComplaintError {
    pub fn code(&self) -> Code {
        match self {
            ComplaintError::Clock(ClockError::MissingReason | ClockError::ApprovalRequired) => {
                Code::InvalidInput
            }
            _ => Code::Conflict,
        }
    }

    /// The input the refusal is about and the words for it (`errors.detail.<code>`), so a
    /// handler reads "you have an interest in this case", not a generic conflict.
    pub fn detail(&self) -> (&'static str, &'static str) {
        match self {
            ComplaintError::Recused { .. } => ("staffId", "complaint_recused"),
            ComplaintError::TooManyRepresentatives { .. } => {
                ("representatives", "too_many_representatives")
            }
            ComplaintError::SelfApproval => ("extensionId", "extension_self_approval"),
            ComplaintError::ExtensionAlreadyDecided { .. } => {
                ("extensionId", "extension_already_decided")
            }
            ComplaintError::NotOpen { .. } => ("caseId", "case_not_open"),
            ComplaintError::ReviewOfReview => ("caseId", "review_of_review"),
            ComplaintError::AlreadyReviewed { .. } => ("caseId", "already_reviewed"),
            ComplaintError::BadMerge => ("intoId", "merge_not_allowed"),
            ComplaintError::SurveyNotAllowed => ("caseId", "survey_not_allowed"),
            ComplaintError::NotAHandler { .. } => ("assigneeId", "not_a_handler"),
            ComplaintError::ReviewSameLevel { .. } => ("team", "review_same_level"),
            ComplaintError::AlreadyEscalated { .. } => ("caseId", "already_escalated"),
            ComplaintError::Clock(e) => ("caseId", e.detail_code()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_are_zero_padded_and_parse_back() {
        let no = CaseNo::new(2026, 123);
        assert_eq!(no.as_str(), "TS-2026-000123");
        assert_eq!(CaseNo::parse("TS-2026-000123"), Some(no));
        assert_eq!(CaseNo::parse("TS-26-000123"), None);
        assert_eq!(CaseNo::parse("TS-2026-12"), None);
    }

    #[test]
    fn full_width_case_number_is_normalised_not_refused() {
        let no = CaseNo::new(2026, 1);
        assert_eq!(
            CaseNo::parse("ＴＳ－２０２６－０００００１"),
            Some(no.clone())
        );
        assert_eq!(CaseNo::parse("　ts-2026-000001　"), Some(no));
        assert_eq!(CaseNo::parse("ＴＳ－２０２６－１２"), None);
    }

    #[test]
    fn text_enums_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()).ok(), Some(*c));
        }
        for c in RootCause::ALL {
            assert_eq!(RootCause::parse(c.as_str()).ok(), Some(*c));
        }
        assert!(Channel::parse("fax").is_err());
    }
}
