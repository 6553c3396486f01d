//! Version 1 of the core-bank contract: the JSON shapes both sides agree on.
//!
//! Field names are camelCase on the wire. Every type here is shared by the client and the
//! sandbox, so the two cannot drift apart silently.

use serde::{Deserialize, Serialize};

/// Answer to `GET /v1/health`: who is answering, and how much data it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    /// "ok" when the core can serve requests.
    pub status: String,
    pub name: String,
    /// Contract version spoken, "v1".
    pub version: String,
    /// Label that tells two deployments apart, e.g. "sandbox-seed-42".
    pub instance: String,
    /// True only for a sandbox; staff must never mistake training data for real customers.
    pub training: bool,
    pub customers: u64,
    pub wallets: u64,
    pub transactions: u64,
}

/// RFC 9457 problem details, the body of every error response
/// (`Content-Type: application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// A URI naming the kind of problem; stable, so clients branch on it.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Media type of [`Problem`] bodies.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";
