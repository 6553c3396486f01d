//! Customers as the local read model knows them: search while typing, offline.

mod console;
pub mod search;

pub use search::{CustomerHit, SearchQuery, name_initials};
