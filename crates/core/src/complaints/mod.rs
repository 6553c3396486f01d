//! The complaint desk's rule engine (DOMAIN.md "Complaints"): pure values, no store, no I/O.

pub mod clock;

pub use clock::{
    ClockError, ClockStatus, ClosureKind, ComplaintClock, ComplaintPolicy, Extension,
    ExtensionKind, Pause,
};
