//! The complaint desk (DOMAIN.md "Complaints").
//!
//! `clock` is the pure rule engine (deadlines, extensions, pauses, review window). The other
//! modules store cases and run the desk's steps on it: `intake` registers, `queue` lists work
//! in due order, `work` moves a case along, `decision` closes it and handles review, survey and
//! suggestions, `stats` reports. `console` holds the commands (`impl Console`).

pub mod case;
pub mod clock;
pub mod console;
pub mod decision;
pub mod desk;
pub mod escalation;
pub mod intake;
pub mod letter;
pub mod queue;
pub mod stats;
pub mod templates;
pub mod types;
pub mod work;

pub use clock::{
    ClockError, ClockStatus, ClosureKind, ComplaintClock, ComplaintPolicy, Extension,
    ExtensionKind, Pause,
};
pub use types::{
    CaseNo, Channel, ComplaintError, ComplaintStatus, ContactKind, ContactOutcome, ExtensionStatus,
    RootCause, Severity,
};
