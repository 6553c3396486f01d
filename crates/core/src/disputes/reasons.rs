//! Dispute reason codes (DOMAIN.md "Dispute reason codes"): a list in configuration, each code
//! with its card chargeback window, so a bank adds a code or a scheme changes a window without
//! a release.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// Most reasons: a chargeback within 120 days of the transaction (DOMAIN.md).
pub const DEFAULT_CHARGEBACK_DAYS: u32 = 120;
/// Duplicate processing: 90 days (DOMAIN.md).
pub const DUPLICATE_CHARGEBACK_DAYS: u32 = 90;
/// No card scheme allows more than this; a longer window is a typo (e.g. 1200 for 120).
pub const MAX_CHARGEBACK_DAYS: u32 = 540;

/// One reason a customer disputes a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReasonCode {
    /// Stable code sent to the core (`NewDispute.reason`, `ChargebackRequest.reasonCode`):
    /// lowercase letters and `-`.
    pub code: String,
    /// Calendar days after the transaction in which a chargeback may be filed.
    pub chargeback_window_days: u32,
    /// Whether the customer says they did not make the payment at all: under the China
    /// e-payment set the provider then bears the loss unless it proves the user at fault.
    pub unauthorised: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReasonError {
    #[error("the reason code list is empty")]
    Empty,
    #[error("reason code {code:?} must be 1 to 32 lowercase letters or '-'")]
    BadCode { code: String },
    #[error("reason code {code:?} is listed more than once")]
    Duplicate { code: String },
    #[error("reason code {code:?}: a chargeback window of {days} days is outside 1 to {max}")]
    BadWindow { code: String, days: u32, max: u32 },
    #[error("the reason code list is not valid JSON: {0}")]
    Json(String),
}

/// The deployment's reason codes, in the order staff pick from. Invariant: non-empty, codes
/// unique and well-formed, every window within 1..=[`MAX_CHARGEBACK_DAYS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(transparent)]
pub struct ReasonCodes(Vec<ReasonCode>);

fn code(code: &str, days: u32, unauthorised: bool) -> ReasonCode {
    ReasonCode {
        code: code.to_owned(),
        chargeback_window_days: days,
        unauthorised,
    }
}

impl Default for ReasonCodes {
    /// DOMAIN.md's defaults: duplicate processing 90 days, every other reason 120.
    fn default() -> Self {
        ReasonCodes(vec![
            code("unauthorised", DEFAULT_CHARGEBACK_DAYS, true),
            code("duplicate", DUPLICATE_CHARGEBACK_DAYS, false),
            code("wrong-amount", DEFAULT_CHARGEBACK_DAYS, false),
            code("not-received", DEFAULT_CHARGEBACK_DAYS, false),
            code("refund-not-processed", DEFAULT_CHARGEBACK_DAYS, false),
            code("cash-not-dispensed", DEFAULT_CHARGEBACK_DAYS, false),
            code("other", DEFAULT_CHARGEBACK_DAYS, false),
        ])
    }
}

impl ReasonCodes {
    pub fn new(codes: Vec<ReasonCode>) -> Result<Self, ReasonError> {
        if codes.is_empty() {
            return Err(ReasonError::Empty);
        }
        let mut seen = std::collections::BTreeSet::new();
        for c in &codes {
            let well_formed = (1..=32).contains(&c.code.len())
                && c.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
            if !well_formed {
                return Err(ReasonError::BadCode {
                    code: c.code.clone(),
                });
            }
            if !seen.insert(c.code.as_str()) {
                return Err(ReasonError::Duplicate {
                    code: c.code.clone(),
                });
            }
            if !(1..=MAX_CHARGEBACK_DAYS).contains(&c.chargeback_window_days) {
                return Err(ReasonError::BadWindow {
                    code: c.code.clone(),
                    days: c.chargeback_window_days,
                    max: MAX_CHARGEBACK_DAYS,
                });
            }
        }
        Ok(ReasonCodes(codes))
    }

    /// The list as configuration holds it (a JSON array of [`ReasonCode`]).
    pub fn from_json(text: &str) -> Result<Self, ReasonError> {
        let codes: Vec<ReasonCode> =
            serde_json::from_str(text).map_err(|e| ReasonError::Json(e.to_string()))?;
        Self::new(codes)
    }

    pub fn get(&self, code: &str) -> Option<&ReasonCode> {
        self.0.iter().find(|c| c.code == code)
    }

    pub fn all(&self) -> &[ReasonCode] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DOMAIN.md "Dispute reason codes": the seven defaults, duplicates 90 days, the rest 120.
    #[test]
    fn default_reason_codes_duplicate_90_days_others_120() {
        let codes = ReasonCodes::default();
        let names: Vec<&str> = codes.all().iter().map(|c| c.code.as_str()).collect();
        assert_eq!(
            names,
            [
                "unauthorised",
                "duplicate",
                "wrong-amount",
                "not-received",
                "refund-not-processed",
                "cash-not-dispensed",
                "other"
            ]
        );
        for c in codes.all() {
            let want = if c.code == "duplicate" { 90 } else { 120 };
            assert_eq!(c.chargeback_window_days, want, "{}", c.code);
        }
        assert!(codes.get("unauthorised").is_some_and(|c| c.unauthorised));
        assert!(codes.get("duplicate").is_some_and(|c| !c.unauthorised));
        assert_eq!(ReasonCodes::new(codes.all().to_vec()), Ok(codes));
    }

    /// Reason codes are configuration: a bank's own list is read from JSON and checked.
    #[test]
    fn reason_codes_are_configuration_and_checked() {
        let own = ReasonCodes::from_json(
            r#"[{"code":"unauthorised","chargebackWindowDays":120,"unauthorised":true},
                {"code":"atm-fault","chargebackWindowDays":60,"unauthorised":false}]"#,
        )
        .expect("a valid list");
        assert_eq!(
            own.get("atm-fault").map(|c| c.chargeback_window_days),
            Some(60)
        );
        assert_eq!(ReasonCodes::from_json("[]"), Err(ReasonError::Empty));
        assert!(matches!(
            ReasonCodes::from_json(
                r#"[{"code":"A B","chargebackWindowDays":1,"unauthorised":false}]"#
            ),
            Err(ReasonError::BadCode { .. })
        ));
        assert!(matches!(
            ReasonCodes::from_json(
                r#"[{"code":"x","chargebackWindowDays":1200,"unauthorised":false}]"#
            ),
            Err(ReasonError::BadWindow { days: 1200, .. })
        ));
        assert!(matches!(
            ReasonCodes::from_json(
                r#"[{"code":"x","chargebackWindowDays":9,"unauthorised":false},
                    {"code":"x","chargebackWindowDays":9,"unauthorised":false}]"#
            ),
            Err(ReasonError::Duplicate { .. })
        ));
        assert!(matches!(
            ReasonCodes::from_json("{"),
            Err(ReasonError::Json(_))
        ));
    }
}
