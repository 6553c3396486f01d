//! The deployment's dispute configuration: its policy set and its reason codes, stored as
//! JSON in the `settings` table (`dispute_policy`, `dispute_reason_codes`), so a bank picks
//! China e-payment or Regulation E and edits its reason list without a release. A missing row
//! is the default (China e-payment, DOMAIN.md's reason codes); a row that does not parse is an
//! error, never silently the default, because deadlines would then follow the wrong law.

use super::policy::PolicySet;
use super::reasons::ReasonCodes;
use crate::error::{Error, Result};
use serde::Serialize;
use sqlx::SqliteConnection;
use ts_rs::TS;

pub const POLICY_KEY: &str = "dispute_policy";
pub const REASONS_KEY: &str = "dispute_reason_codes";

/// What the dispute desk works under, as the screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeConfig {
    pub policy: PolicySet,
    pub reasons: ReasonCodes,
}

impl DisputeConfig {
    /// Reads both settings; `None` for a row that is absent.
    pub fn parse(policy: Option<&str>, reasons: Option<&str>) -> Result<DisputeConfig> {
        let policy = match policy {
            Some(text) => {
                let set: PolicySet = serde_json::from_str(text).map_err(|e| {
                    Error::Internal(anyhow::anyhow!("the dispute_policy setting: {e}"))
                })?;
                set.validate().map_err(|e| {
                    Error::Internal(anyhow::anyhow!("the dispute_policy setting: {e}"))
                })?;
                set
            }
            None => PolicySet::default(),
        };
        let reasons = match reasons {
            Some(text) => ReasonCodes::from_json(text).map_err(|e| {
                Error::Internal(anyhow::anyhow!("the dispute_reason_codes setting: {e}"))
            })?,
            None => ReasonCodes::default(),
        };
        Ok(DisputeConfig { policy, reasons })
    }
}

pub async fn load(conn: &mut SqliteConnection) -> Result<DisputeConfig> {
    let get = |key: &'static str| {
        sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = ?").bind(key)
    };
    let policy = get(POLICY_KEY).fetch_optional(&mut *conn).await?;
    let reasons = get(REASONS_KEY).fetch_optional(&mut *conn).await?;
    DisputeConfig::parse(policy.as_deref(), reasons.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disputes::policy::RegEPolicy;

    /// A deployment with no dispute settings works under China e-payment and DOMAIN.md's
    /// reason codes; one that stores Regulation E gets it; a damaged row is an error.
    #[test]
    fn the_policy_set_is_chosen_per_deployment_in_configuration() {
        let default = DisputeConfig::parse(None, None).expect("defaults");
        assert!(matches!(default.policy, PolicySet::ChinaEPayment(_)));
        assert_eq!(default.reasons, ReasonCodes::default());
        let us =
            serde_json::to_string(&PolicySet::UsRegulationE(RegEPolicy::default())).expect("json");
        let chosen = DisputeConfig::parse(Some(&us), None).expect("reg e");
        assert!(matches!(chosen.policy, PolicySet::UsRegulationE(_)));
        assert!(DisputeConfig::parse(Some("{\"set\":\"mars\"}"), None).is_err());
        assert!(DisputeConfig::parse(None, Some("[]")).is_err());
    }
}
