//! Walletdesk core: every business rule, the local store, staff and sessions, the audit trail.
//!
//! Nothing here knows about Tauri, windows or HTTP. The shell (`src-tauri`) calls
//! [`console::Console`]; the core bank is reached only through [`corelink::CoreLink`].

pub mod access;
pub mod audit;
pub mod booth;
pub mod calendar;
pub mod clock;
pub mod commands;
pub mod complaints;
pub mod console;
pub mod corelink;
pub mod credentials;
pub mod crypto;
pub mod customers;
pub mod disputes;
pub mod documents;
pub mod domain;
pub mod elder;
pub mod error;
pub mod fees;
pub mod insights;
pub mod knowledge;
pub mod limits;
pub mod onboarding;
pub mod settings;
pub mod staff;
pub mod staff_admin;
pub mod store;
pub mod sync;
pub mod team;

pub use console::Console;
pub use error::{ApiError, Code, Error, FieldError, Result};
