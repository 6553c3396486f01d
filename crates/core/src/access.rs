//! Roles, what each may do, and which areas of the app each sees.
//!
//! This table is the only place that decides access. The UI shows the areas it is given and
//! hides nothing on its own; every command re-checks its permission here.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Teller,
    Booth,
    Complaints,
    Disputes,
    Supervisor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Teller,
        Role::Booth,
        Role::Complaints,
        Role::Disputes,
        Role::Supervisor,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Teller => "teller",
            Role::Booth => "booth",
            Role::Complaints => "complaints",
            Role::Disputes => "disputes",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Areas of the app this role sees, in navigation order.
    pub fn areas(self) -> Vec<Area> {
        Area::ALL
            .into_iter()
            .filter(|area| self.may(area.permission()))
            .collect()
    }

    pub fn may(self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match permission {
            ViewCustomers => matches!(self, Teller | Booth | Complaints | Disputes | Supervisor),
            // DOMAIN.md: the whole ID only for a role that needs it: the teller comparing it
            // with the card, the supervisor answering for the branch.
            RevealIdentity => matches!(self, Teller | Supervisor),
            // Tier 1 is signed in person at a branch: a teller's job.
            ServeCustomer => matches!(self, Teller),
            // Withdrawal is as easy as consent: whoever the customer asks, face to face or
            // in a complaint, takes it.
            WithdrawConsent => matches!(self, Teller | Booth | Complaints | Supervisor),
            NoteCustomer => matches!(self, Teller | Booth | Complaints | Disputes | Supervisor),
            Onboard => matches!(self, Teller),
            WorkBooth => matches!(self, Booth | Supervisor),
            WorkComplaints => matches!(self, Complaints | Supervisor),
            ApproveComplaintExtension => matches!(self, Supervisor),
            DecideComplaintReview => matches!(self, Supervisor),
            ManageComplaintDesk => matches!(self, Supervisor),
            ViewComplaintStats => matches!(self, Supervisor),
            WorkDisputes => matches!(self, Disputes | Supervisor),
            ViewInsights => matches!(self, Supervisor),
            ViewAudit => matches!(self, Supervisor | Admin),
            ManageSettings => matches!(self, Admin),
            // Accounts (create, deactivate, role, forced password change): the administrator's,
            // who serves no customer and so has no stake in whose account is on.
            ManageStaff => matches!(self, Admin),
            // One's own password, whatever the role (and the only thing a forced change allows).
            ChangeOwnPassword => true,
            // Everyone's work goes through the outbox, so everyone sees its state and can
            // correct and resend what the core refused; only a supervisor gives up on an item.
            ViewSync | ResolveSync => true,
            DiscardSync => matches!(self, Supervisor | Admin),
        }
    }
}

/// A thing a command may need. Each command names exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    ViewCustomers,
    /// See a customer's whole resident ID, with a reason that is audited.
    RevealIdentity,
    /// Counter work on an existing customer: change a wallet's tier, link a card, record a
    /// renewed ID card. The customer is present with their ID.
    ServeCustomer,
    WithdrawConsent,
    NoteCustomer,
    Onboard,
    WorkBooth,
    WorkComplaints,
    /// The level above approves a particularly complex extension (never the requester).
    ApproveComplaintExtension,
    /// The level above decides a review of a complaint decision.
    DecideComplaintReview,
    /// The category tree and suggestion rewards.
    ManageComplaintDesk,
    ViewComplaintStats,
    WorkDisputes,
    ViewInsights,
    ViewAudit,
    ManageSettings,
    ManageStaff,
    ChangeOwnPassword,
    ViewSync,
    ResolveSync,
    DiscardSync,
}

impl Permission {
    /// Every permission, for tests that must cover them all.
    pub const ALL: [Permission; 21] = [
        Permission::ViewCustomers,
        Permission::RevealIdentity,
        Permission::ServeCustomer,
        Permission::WithdrawConsent,
        Permission::NoteCustomer,
        Permission::Onboard,
        Permission::WorkBooth,
        Permission::WorkComplaints,
        Permission::ApproveComplaintExtension,
        Permission::DecideComplaintReview,
        Permission::ManageComplaintDesk,
        Permission::ViewComplaintStats,
        Permission::WorkDisputes,
        Permission::ViewInsights,
        Permission::ViewAudit,
        Permission::ManageSettings,
        Permission::ManageStaff,
        Permission::ChangeOwnPassword,
        Permission::ViewSync,
        Permission::ResolveSync,
        Permission::DiscardSync,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ViewCustomers => "view_customers",
            Permission::RevealIdentity => "reveal_identity",
            Permission::ServeCustomer => "serve_customer",
            Permission::WithdrawConsent => "withdraw_consent",
            Permission::NoteCustomer => "note_customer",
            Permission::Onboard => "onboard",
            Permission::WorkBooth => "work_booth",
            Permission::WorkComplaints => "work_complaints",
            Permission::ApproveComplaintExtension => "approve_complaint_extension",
            Permission::DecideComplaintReview => "decide_complaint_review",
            Permission::ManageComplaintDesk => "manage_complaint_desk",
            Permission::ViewComplaintStats => "view_complaint_stats",
            Permission::WorkDisputes => "work_disputes",
            Permission::ViewInsights => "view_insights",
            Permission::ViewAudit => "view_audit",
            Permission::ManageSettings => "manage_settings",
            Permission::ManageStaff => "manage_staff",
            Permission::ChangeOwnPassword => "change_own_password",
            Permission::ViewSync => "view_sync",
            Permission::ResolveSync => "resolve_sync",
            Permission::DiscardSync => "discard_sync",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Customers,
    Onboarding,
    Booth,
    Complaints,
    Disputes,
    Insights,
    Audit,
    Settings,
    Sync,
}

impl Area {
    pub const ALL: [Area; 9] = [
        Area::Customers,
        Area::Onboarding,
        Area::Booth,
        Area::Complaints,
        Area::Disputes,
        Area::Insights,
        Area::Audit,
        Area::Settings,
        Area::Sync,
    ];

    /// The permission that opens this area.
    pub fn permission(self) -> Permission {
        match self {
            Area::Customers => Permission::ViewCustomers,
            Area::Onboarding => Permission::Onboard,
            Area::Booth => Permission::WorkBooth,
            Area::Complaints => Permission::WorkComplaints,
            Area::Disputes => Permission::WorkDisputes,
            Area::Insights => Permission::ViewInsights,
            Area::Audit => Permission::ViewAudit,
            Area::Settings => Permission::ManageSettings,
            Area::Sync => Permission::ViewSync,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teller_sees_customers_onboarding_and_sync_only() {
        assert_eq!(
            Role::Teller.areas(),
            vec![Area::Customers, Area::Onboarding, Area::Sync]
        );
    }

    #[test]
    fn admin_manages_but_does_not_serve_customers() {
        assert_eq!(
            Role::Admin.areas(),
            vec![Area::Audit, Area::Settings, Area::Sync]
        );
        assert!(!Role::Admin.may(Permission::ViewCustomers));
    }

    #[test]
    fn supervisor_sees_every_work_area_but_not_settings() {
        let areas = Role::Supervisor.areas();
        assert!(areas.contains(&Area::Insights) && areas.contains(&Area::Audit));
        assert!(!areas.contains(&Area::Settings) && !areas.contains(&Area::Onboarding));
    }

    #[test]
    fn only_supervisors_approve_extensions_decide_reviews_and_see_complaint_stats() {
        for role in Role::ALL {
            let supervisor = role == Role::Supervisor;
            assert_eq!(role.may(Permission::ApproveComplaintExtension), supervisor);
            assert_eq!(role.may(Permission::DecideComplaintReview), supervisor);
            assert_eq!(role.may(Permission::ManageComplaintDesk), supervisor);
            assert_eq!(role.may(Permission::ViewComplaintStats), supervisor);
        }
        assert!(Role::Complaints.may(Permission::WorkComplaints));
    }

    #[test]
    fn only_tellers_and_supervisors_reveal_ids_and_only_tellers_serve_at_the_counter() {
        for role in Role::ALL {
            assert_eq!(
                role.may(Permission::RevealIdentity),
                matches!(role, Role::Teller | Role::Supervisor),
                "{role:?}"
            );
            assert_eq!(role.may(Permission::ServeCustomer), role == Role::Teller);
        }
        assert!(Role::Booth.may(Permission::WithdrawConsent));
        assert!(!Role::Admin.may(Permission::NoteCustomer));
    }

    #[test]
    fn roles_round_trip_through_text() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
