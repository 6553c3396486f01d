//! Sync with the core bank, offline first.
//!
//! - [`outbox`]: every change that must reach the core is enqueued in the same transaction as
//!   the local change, with its idempotency key, sealed.
//! - [`engine`]: sends what is ready in batches, in order per aggregate, with backoff; a final
//!   refusal goes to "needs attention"; pulls the change feed into the local read model with
//!   the cursor in the same transaction.
//!
//! Crash safety comes from the order of commits, not from care at run time: an operation is
//! marked done only after the core answered, and resending an unmarked one is a replay at the
//! core (same key), so killing the process anywhere loses nothing and applies nothing twice.

pub mod console;
pub mod engine;
pub mod outbox;
pub mod readmodel;

pub use console::{DiscardInput, ResendCodeInput, ResendInput, correctable};
pub use engine::{Engine, EngineConfig, PullReport, PushReport};
pub use outbox::{NewOperation, OutboxItem, OutboxState, SyncStatus};
