//! Value types that parse at the edge, so the rest of the code never sees an invalid one.
pub mod card;
pub mod identity;
pub mod money;
pub mod typed;

pub use card::{CardNumber, CardNumberError};
pub use identity::{BirthDateProblem, IdentityError, Mobile, ResidentId, Sex};
pub use money::Money;
pub use typed::{fold_width, normalize_typed};
