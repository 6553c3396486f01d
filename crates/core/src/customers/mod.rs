//! Customers as the local read model knows them: search while typing and the Customer 360,
//! offline; counter work on an existing customer, queued for the core.

mod console;
pub mod profile;
mod receipt;
pub mod search;

pub use search::{CustomerHit, SearchQuery, name_initials, name_pinyin};
