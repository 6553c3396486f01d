//! The dispute desk (DOMAIN.md "Disputed transactions").
//!
//! `reasons` is the configurable reason-code list with each code's chargeback window;
//! `policy` the deadlines of the deployment's policy set (China e-payment or US Regulation E)
//! on the business calendar; `config` where a deployment chooses both.

pub mod attachments;
pub mod cases;
pub mod config;
pub mod desk;
pub mod policy;
pub mod reasons;
pub mod stats;

pub use config::DisputeConfig;
pub use policy::{
    ChinaPolicy, DisputeClock, DisputeFacts, DisputeRuleError, PolicySet, RegEPolicy,
    chargeback_deadline,
};
pub use reasons::{ReasonCode, ReasonCodes, ReasonError};
