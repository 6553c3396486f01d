//! Whose numbers a staff member sees: staff their own, a branch supervisor their branch, head
//! office everything. Decided here, applied to every answer before it leaves core.

use super::metrics::Dims;
use crate::access::Role;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind", content = "code")]
pub enum Scope {
    /// Head office: every campaign, branch, booth and staff member.
    Everything,
    /// A branch supervisor: the customers won at this branch.
    Branch(String),
    /// Front-line staff: the customers they signed up themselves.
    Own(String),
}

impl Scope {
    /// The scope of a signed-in staff member; `branch` is the branch a supervisor answers for
    /// (none: head office). Roles that win no customers and supervise none see no numbers.
    pub fn of(role: Role, username: &str, branch: Option<&str>) -> Option<Scope> {
        match role {
            Role::Supervisor => Some(match branch.map(str::trim).filter(|b| !b.is_empty()) {
                None => Scope::Everything,
                Some(b) => Scope::Branch(b.to_owned()),
            }),
            Role::Teller | Role::Booth => Some(Scope::Own(username.to_owned())),
            Role::Complaints | Role::Disputes | Role::Admin => None,
        }
    }

    pub fn admits(&self, dims: &Dims) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Branch(b) => dims.branch == *b,
            Scope::Own(staff) => dims.staff.eq_ignore_ascii_case(staff),
        }
    }
}
