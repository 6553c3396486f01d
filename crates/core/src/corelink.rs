//! The seam between Walletdesk and a bank's core system.
//!
//! Core code talks to the core bank only through [`CoreLink`], so a bank can plug in its own
//! adapter; `walletdesk-corebank` provides the HTTP implementation of the v1 contract.

use async_trait::async_trait;
use serde::Serialize;
use ts_rs::TS;

/// Who answered on the other end: shown in the status bar so staff know which system they use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CoreIdentity {
    /// Human name of the system, e.g. "Walletdesk Sandbox Core Bank".
    pub name: String,
    /// Contract version it speaks, e.g. "v1".
    pub version: String,
    /// Instance label, e.g. "sandbox-seed-42"; lets staff tell two sandboxes apart.
    pub instance: String,
    /// True when the other end is a sandbox (training mode), never a real core.
    pub training: bool,
}

/// Why the core could not be used. `Unreachable` is retryable; `Refused` is final.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("core bank unreachable: {0}")]
    Unreachable(String),
    #[error("core bank refused the request: {0}")]
    Refused(String),
}

#[async_trait]
pub trait CoreLink: Send + Sync + std::fmt::Debug {
    /// Base address, for display (never carries credentials).
    fn url(&self) -> String;
    /// Ask the core who it is; used as the connectivity probe. Must time out quickly (a few
    /// seconds at most) because the status bar polls it.
    async fn identity(&self) -> Result<CoreIdentity, LinkError>;
}
