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
            // Campaigns and booths are the branch's promotion plan: set by the level that
            // answers for its budget, never by the staff paid per sign-up under it.
            ManageCampaigns => matches!(self, Supervisor),
            // Credit decides promotion figures (and pay): the staff credited never move it.
            ChangeAttribution => matches!(self, Supervisor),
            WorkComplaints => matches!(self, Complaints | Supervisor),
            LogComplaint => matches!(self, Teller | Complaints | Supervisor),
            ApproveComplaintExtension => matches!(self, Supervisor),
            DecideComplaintReview => matches!(self, Supervisor),
            ManageComplaintDesk => matches!(self, Supervisor),
            ViewComplaintStats => matches!(self, Supervisor),
            WorkDisputes => matches!(self, Disputes | Supervisor),
            // Four eyes on money: the level above, never the proposer (the command checks).
            ApproveDisputeCredit => matches!(self, Supervisor),
            // Front-line staff see their own numbers, a supervisor their branch or everything
            // (`insights::scope::Scope::of`); desks that win no customers see none.
            ViewInsights => matches!(self, Teller | Booth | Supervisor),
            ViewAudit => matches!(self, Supervisor | Admin),
            ManageSettings => matches!(self, Admin),
            // Accounts (create, deactivate, role, forced password change): the administrator's,
            // who serves no customer and so has no stake in whose account is on.
            ManageStaff => matches!(self, Admin),
            // One's own password, whatever the role (and the only thing a forced change allows).
            ChangeOwnPassword => true,
            // Everyone's work goes through the outbox, so everyone sees its state.
            ViewSync => true,
            // Correcting and resending what the core refused: the roles whose work is queued
            // (the command then narrows it to the operation's maker or a supervisor). An
            // administrator queues no customer work and corrects none.
            ResolveSync => matches!(self, Teller | Booth | Complaints | Disputes | Supervisor),
            DiscardSync => matches!(self, Supervisor | Admin),
            // Every staff member answers customers' questions, and may say an answer is wrong.
            ReadKnowledge => true,
            // Head office writes and publishes; the publisher is never the author (the
            // command and the core both refuse that).
            WriteKnowledge => matches!(self, Supervisor),
            // Elder-assisted setup (issue 13): front-line staff guide the customer; the
            // level above clears a "yes" (never the staff member who ran it) and sets the rules.
            AssistElder => matches!(self, Teller | Booth),
            ResolveElderEscalation => matches!(self, Supervisor),
            ManageElderRules => matches!(self, Supervisor),
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
    /// Create and edit campaigns and booths (queued for the core).
    ManageCampaigns,
    /// Correct who won a customer, with a reason (booth, issue 14).
    ChangeAttribution,
    WorkComplaints,
    /// Log a complaint at the counter into the team queue (team mode), and see team mode's state.
    LogComplaint,
    /// The level above approves a particularly complex extension (never the requester).
    ApproveComplaintExtension,
    /// The level above decides a review of a complaint decision.
    DecideComplaintReview,
    /// The category tree and suggestion rewards.
    ManageComplaintDesk,
    ViewComplaintStats,
    WorkDisputes,
    /// A supervisor who did not propose it approves a dispute's provisional credit.
    ApproveDisputeCredit,
    ViewInsights,
    ViewAudit,
    ManageSettings,
    ManageStaff,
    ChangeOwnPassword,
    ViewSync,
    /// Correct and resend an operation the core refused (the maker's own, or as supervisor).
    ResolveSync,
    DiscardSync,
    /// Search and read the knowledge base, and flag an article.
    ReadKnowledge,
    /// Write and publish knowledge-base articles (head office).
    WriteKnowledge,
    /// Run an elder-assisted setup with the customer (and its customer window's commands).
    AssistElder,
    /// Record the outcome of an anti-fraud "yes" (cleared, advised, referred to 110).
    ResolveElderEscalation,
    /// Change the elder setup's rules (age, questions, call days, undo window).
    ManageElderRules,
}

impl Permission {
    /// Every permission, for tests that must cover them all.
    pub const ALL: [Permission; 30] = [
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
        Permission::ApproveDisputeCredit,
        Permission::ViewInsights,
        Permission::ViewAudit,
        Permission::ManageSettings,
        Permission::ManageStaff,
        Permission::ChangeOwnPassword,
        Permission::ViewSync,
        Permission::ResolveSync,
        Permission::DiscardSync,
        Permission::ManageCampaigns,
        Permission::ReadKnowledge,
        Permission::WriteKnowledge,
        Permission::LogComplaint,
        Permission::AssistElder,
        Permission::ResolveElderEscalation,
        Permission::ManageElderRules,
        Permission::ChangeAttribution,
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
            Permission::ManageCampaigns => "manage_campaigns",
            Permission::ChangeAttribution => "change_attribution",
            Permission::WorkComplaints => "work_complaints",
            Permission::LogComplaint => "log_complaint",
            Permission::ApproveComplaintExtension => "approve_complaint_extension",
            Permission::DecideComplaintReview => "decide_complaint_review",
            Permission::ManageComplaintDesk => "manage_complaint_desk",
            Permission::ViewComplaintStats => "view_complaint_stats",
            Permission::WorkDisputes => "work_disputes",
            Permission::ApproveDisputeCredit => "approve_dispute_credit",
            Permission::ViewInsights => "view_insights",
            Permission::ViewAudit => "view_audit",
            Permission::ManageSettings => "manage_settings",
            Permission::ManageStaff => "manage_staff",
            Permission::ChangeOwnPassword => "change_own_password",
            Permission::ViewSync => "view_sync",
            Permission::ResolveSync => "resolve_sync",
            Permission::DiscardSync => "discard_sync",
            Permission::ReadKnowledge => "read_knowledge",
            Permission::WriteKnowledge => "write_knowledge",
            Permission::AssistElder => "assist_elder",
            Permission::ResolveElderEscalation => "resolve_elder_escalation",
            Permission::ManageElderRules => "manage_elder_rules",
        }
    }
}

/// What a command needs before it does anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Callable before anyone signs in: the start screen, first-run set-up, signing in.
    Public,
    /// Acts only on the caller's own session (ending, locking, unlocking it): no data.
    OwnSession,
    /// A signed-in, unlocked session whose role has this permission. A refusal is audited.
    Permission(Permission),
}

/// One command the shell registers, with what it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// The Tauri command's name, as registered in `src-tauri/src/main.rs`.
    pub name: &'static str,
    pub guard: Guard,
    /// A narrower rule the command applies after the guard (shown in docs/security.md).
    pub note: &'static str,
}

impl Command {
    /// Whether a signed-in, unlocked `role` gets past the guard.
    pub fn allows(&self, role: Role) -> bool {
        match self.guard {
            Guard::Public | Guard::OwnSession => true,
            Guard::Permission(permission) => role.may(permission),
        }
    }

    /// The guard in the words docs/security.md prints.
    pub fn needs(&self) -> &'static str {
        match self.guard {
            Guard::Public => "public",
            Guard::OwnSession => "own session",
            Guard::Permission(permission) => permission.as_str(),
        }
    }
}

/// Every command the shell registers and what it needs: the role x command matrix. A test
/// fails when `src-tauri/src/main.rs` registers a command missing here (or the reverse), and
/// another calls every command as every role, signed out and locked, against this table.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "app_status",
        guard: Guard::Public,
        note: "status bar; no personal data",
    },
    Command {
        name: "session_state",
        guard: Guard::Public,
        note: "who is signed in, if anyone",
    },
    Command {
        name: "setup_admin",
        guard: Guard::Public,
        note: "first run only: refused once an admin exists",
    },
    Command {
        name: "sign_in",
        guard: Guard::Public,
        note: "five wrong passwords lock the account",
    },
    Command {
        name: "sign_out",
        guard: Guard::OwnSession,
        note: "",
    },
    Command {
        name: "touch",
        guard: Guard::OwnSession,
        note: "a locked session stays locked",
    },
    Command {
        name: "lock",
        guard: Guard::OwnSession,
        note: "",
    },
    Command {
        name: "unlock",
        guard: Guard::OwnSession,
        note: "the same staff member's password",
    },
    Command {
        name: "audit_search",
        guard: Guard::Permission(Permission::ViewAudit),
        note: "",
    },
    Command {
        name: "audit_verify",
        guard: Guard::Permission(Permission::ViewAudit),
        note: "",
    },
    Command {
        name: "staff_list",
        guard: Guard::Permission(Permission::ManageStaff),
        note: "",
    },
    Command {
        name: "staff_create",
        guard: Guard::Permission(Permission::ManageStaff),
        note: "",
    },
    Command {
        name: "staff_deactivate",
        guard: Guard::Permission(Permission::ManageStaff),
        note: "never the last active administrator; its session ends at its next command",
    },
    Command {
        name: "staff_reactivate",
        guard: Guard::Permission(Permission::ManageStaff),
        note: "",
    },
    Command {
        name: "staff_set_role",
        guard: Guard::Permission(Permission::ManageStaff),
        note: "never demotes the last active administrator; applies at the next command",
    },
    Command {
        name: "staff_set_branch",
        guard: Guard::Permission(Permission::ManageStaff),
        note: "a supervisor's branch for Insights; supervisors only",
    },
    Command {
        name: "staff_require_password_change",
        guard: Guard::Permission(Permission::ManageStaff),
        note: "the owner can do nothing else until a new password is set",
    },
    Command {
        name: "password_change",
        guard: Guard::Permission(Permission::ChangeOwnPassword),
        note: "own password, proving the current one (failures count toward the lock-out)",
    },
    Command {
        name: "settings_get",
        guard: Guard::Permission(Permission::ManageSettings),
        note: "",
    },
    Command {
        name: "settings_update",
        guard: Guard::Permission(Permission::ManageSettings),
        note: "",
    },
    Command {
        name: "sync_status",
        guard: Guard::Permission(Permission::ViewSync),
        note: "",
    },
    Command {
        name: "sync_list",
        guard: Guard::Permission(Permission::ViewSync),
        note: "",
    },
    Command {
        name: "sync_now",
        guard: Guard::Permission(Permission::ViewSync),
        note: "",
    },
    Command {
        name: "sync_resend",
        guard: Guard::Permission(Permission::ResolveSync),
        note: "the operation's maker or a supervisor; listed fields only; a new name or ID is screened again, a new mobile needs a new code",
    },
    Command {
        name: "sync_resend_code",
        guard: Guard::Permission(Permission::ResolveSync),
        note: "the operation's maker or a supervisor",
    },
    Command {
        name: "sync_discard",
        guard: Guard::Permission(Permission::DiscardSync),
        note: "",
    },
    Command {
        name: "customer_search",
        guard: Guard::Permission(Permission::ViewCustomers),
        note: "",
    },
    Command {
        name: "customer_profile",
        guard: Guard::Permission(Permission::ViewCustomers),
        note: "audited",
    },
    Command {
        name: "customer_live",
        guard: Guard::Permission(Permission::ViewCustomers),
        note: "",
    },
    Command {
        name: "customer_reveal_id",
        guard: Guard::Permission(Permission::RevealIdentity),
        note: "with a reason; audited",
    },
    Command {
        name: "customer_add_note",
        guard: Guard::Permission(Permission::NoteCustomer),
        note: "",
    },
    Command {
        name: "wallet_change_tier",
        guard: Guard::Permission(Permission::ServeCustomer),
        note: "",
    },
    Command {
        name: "wallet_link_card",
        guard: Guard::Permission(Permission::ServeCustomer),
        note: "",
    },
    Command {
        name: "customer_renew_id",
        guard: Guard::Permission(Permission::ServeCustomer),
        note: "",
    },
    Command {
        name: "consent_withdraw",
        guard: Guard::Permission(Permission::WithdrawConsent),
        note: "",
    },
    Command {
        name: "wallet_receipt",
        guard: Guard::Permission(Permission::ServeCustomer),
        note: "",
    },
    Command {
        name: "complaint_letter",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "not to staff with an interest in the case",
    },
    Command {
        name: "onboarding_resume",
        guard: Guard::Permission(Permission::Onboard),
        note: "own drafts only",
    },
    Command {
        name: "onboarding_save",
        guard: Guard::Permission(Permission::Onboard),
        note: "own drafts only",
    },
    Command {
        name: "onboarding_discard",
        guard: Guard::Permission(Permission::Onboard),
        note: "own drafts only",
    },
    Command {
        name: "onboarding_evaluate",
        guard: Guard::Permission(Permission::Onboard),
        note: "",
    },
    Command {
        name: "onboarding_check_id",
        guard: Guard::Permission(Permission::Onboard),
        note: "",
    },
    Command {
        name: "onboarding_send_code",
        guard: Guard::Permission(Permission::Onboard),
        note: "own drafts only",
    },
    Command {
        name: "onboarding_verify_code",
        guard: Guard::Permission(Permission::Onboard),
        note: "own drafts only",
    },
    Command {
        name: "onboarding_screen",
        guard: Guard::Permission(Permission::Onboard),
        note: "own drafts only",
    },
    Command {
        name: "onboarding_submit",
        guard: Guard::Permission(Permission::Onboard),
        note: "own drafts only",
    },
    Command {
        name: "onboarding_receipt",
        guard: Guard::Permission(Permission::Onboard),
        note: "",
    },
    Command {
        name: "complaint_categories",
        guard: Guard::Permission(Permission::LogComplaint),
        note: "",
    },
    Command {
        name: "complaint_category_create",
        guard: Guard::Permission(Permission::ManageComplaintDesk),
        note: "",
    },
    Command {
        name: "complaint_calendar",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_calendar_set",
        guard: Guard::Permission(Permission::ManageComplaintDesk),
        note: "",
    },
    Command {
        name: "complaint_register",
        guard: Guard::Permission(Permission::LogComplaint),
        note: "the answer is the case just typed; opening it later needs work_complaints",
    },
    Command {
        name: "complaint_get",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "not to staff with an interest in the case",
    },
    Command {
        name: "complaint_queue",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_assign",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "never to staff with an interest",
    },
    Command {
        name: "complaint_declare_interest",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_add_note",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_log_contact",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_add_representative",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_pause",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_resume",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_extend_complex",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_new_facts",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_request_extension",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_pending_extensions",
        guard: Guard::Permission(Permission::ApproveComplaintExtension),
        note: "",
    },
    Command {
        name: "complaint_decide_extension",
        guard: Guard::Permission(Permission::ApproveComplaintExtension),
        note: "never the requester",
    },
    Command {
        name: "complaint_extension_notified",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_merge_repeat",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_withdraw",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_decide",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "a review case also needs decide_complaint_review",
    },
    Command {
        name: "complaint_request_review",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_record_survey",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_suggest",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_suggestions",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_grant_reward",
        guard: Guard::Permission(Permission::ManageComplaintDesk),
        note: "",
    },
    Command {
        name: "complaint_stats",
        guard: Guard::Permission(Permission::ViewComplaintStats),
        note: "",
    },
    Command {
        name: "complaint_stats_csv",
        guard: Guard::Permission(Permission::ViewComplaintStats),
        note: "export audited",
    },
    Command {
        name: "complaint_stats_xlsx",
        guard: Guard::Permission(Permission::ViewComplaintStats),
        note: "export audited",
    },
    Command {
        name: "complaint_regulator_report",
        guard: Guard::Permission(Permission::ViewComplaintStats),
        note: "export audited",
    }, // complaint desk, finished (issue 18 items 1-3)
    Command {
        name: "complaint_desk",
        guard: Guard::Permission(Permission::LogComplaint),
        note: "",
    },
    Command {
        name: "complaint_desk_settings_set",
        guard: Guard::Permission(Permission::ManageComplaintDesk),
        note: "validated in core; audited",
    },
    Command {
        name: "complaint_escalate",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "audited; refused to an interested handler",
    },
    Command {
        name: "complaint_pause_told",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "audited",
    },
    Command {
        name: "complaint_templates",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "complaint_template_save",
        guard: Guard::Permission(Permission::ManageComplaintDesk),
        note: "audited",
    },
    Command {
        name: "complaint_template_apply",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "refused to an interested handler",
    },
    Command {
        name: "complaint_category_update",
        guard: Guard::Permission(Permission::ManageComplaintDesk),
        note: "audited",
    },
    Command {
        name: "booth_catalogue",
        guard: Guard::Permission(Permission::WorkBooth),
        note: "booth staff see only the booths whose roster names them and their campaigns",
    },
    Command {
        name: "campaign_save",
        guard: Guard::Permission(Permission::ManageCampaigns),
        note: "",
    },
    Command {
        name: "booth_save",
        guard: Guard::Permission(Permission::ManageCampaigns),
        note: "",
    },
    Command {
        name: "booth_sign_up",
        guard: Guard::Permission(Permission::WorkBooth),
        note: "only at a booth whose roster names the staff member (a supervisor: any)",
    },
    Command {
        name: "booth_today",
        guard: Guard::Permission(Permission::WorkBooth),
        note: "only a booth whose roster names the staff member (a supervisor: any)",
    },
    Command {
        name: "dispute_config",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_open",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "one dispute per transaction",
    },
    Command {
        name: "dispute_get",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_queue",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_assign",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "to staff who work disputes",
    },
    Command {
        name: "dispute_add_evidence",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_propose_credit",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "approvals_inbox",
        guard: Guard::Permission(Permission::ApproveDisputeCredit),
        note: "",
    },
    Command {
        name: "dispute_decide_credit",
        guard: Guard::Permission(Permission::ApproveDisputeCredit),
        note: "never the proposer",
    },
    Command {
        name: "dispute_customer_told",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_extend",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_decide",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_chargeback",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_attach",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_attachment",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_letter",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_stats",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_stats_csv",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "dispute_stats_xlsx",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "customer_cases",
        guard: Guard::Permission(Permission::ViewCustomers),
        note: "case numbers and states only",
    },
    Command {
        name: "kb_search",
        guard: Guard::Permission(Permission::ReadKnowledge),
        note: "the local copy; works offline",
    },
    Command {
        name: "kb_article",
        guard: Guard::Permission(Permission::ReadKnowledge),
        note: "drafts and flags to head office only",
    },
    Command {
        name: "kb_flag",
        guard: Guard::Permission(Permission::ReadKnowledge),
        note: "",
    },
    Command {
        name: "kb_save_draft",
        guard: Guard::Permission(Permission::WriteKnowledge),
        note: "",
    },
    Command {
        name: "kb_publish",
        guard: Guard::Permission(Permission::WriteKnowledge),
        note: "never the draft's author (maker-checker; the core refuses it too)",
    },
    Command {
        name: "kb_desk",
        guard: Guard::Permission(Permission::WriteKnowledge),
        note: "",
    },
    // supervisor insights (issue 17)
    Command {
        name: "insights_report",
        guard: Guard::Permission(Permission::ViewInsights),
        note: "head office everything, a branch supervisor their branch",
    },
    Command {
        name: "insights_period",
        guard: Guard::Permission(Permission::ViewInsights),
        note: "the bank's calendar day, no data",
    },
    Command {
        name: "insights_customers",
        guard: Guard::Permission(Permission::ViewInsights),
        note: "masked; every list audited",
    },
    Command {
        name: "insights_export",
        guard: Guard::Permission(Permission::ViewInsights),
        note: "CSV or XLSX; audited",
    },
    Command {
        name: "insights_trend",
        guard: Guard::Permission(Permission::ViewInsights),
        note: "within the staff member's scope",
    },
    Command {
        name: "insights_funnel",
        guard: Guard::Permission(Permission::ViewInsights),
        note: "within the staff member's scope",
    },
    Command {
        name: "insights_campaign",
        guard: Guard::Permission(Permission::ViewInsights),
        note: "within the staff member's scope",
    },
    Command {
        name: "insights_campaign_report",
        guard: Guard::Permission(Permission::ViewInsights),
        note: "one-page PDF within the staff member's scope; audited",
    },
    // elder-assisted setup (issue 13)
    Command {
        name: "elder_rules",
        guard: Guard::Permission(Permission::ViewCustomers),
        note: "",
    },
    Command {
        name: "elder_rules_set",
        guard: Guard::Permission(Permission::ManageElderRules),
        note: "validated in core; audited",
    },
    Command {
        name: "elder_start",
        guard: Guard::Permission(Permission::AssistElder),
        note: "one open session per staff member; audited",
    },
    Command {
        name: "elder_current",
        guard: Guard::Permission(Permission::AssistElder),
        note: "own session only",
    },
    Command {
        name: "elder_get",
        guard: Guard::Permission(Permission::AssistElder),
        note: "own sessions only",
    },
    Command {
        name: "elder_next",
        guard: Guard::Permission(Permission::AssistElder),
        note: "own session; never past a question or a stop",
    },
    Command {
        name: "elder_end",
        guard: Guard::Permission(Permission::AssistElder),
        note: "own session; with a reason; audited",
    },
    Command {
        name: "elder_speech_rate",
        guard: Guard::Permission(Permission::AssistElder),
        note: "own session; audited",
    },
    Command {
        name: "elder_screen",
        guard: Guard::Permission(Permission::AssistElder),
        note: "customer window; the signed-in staff member's open session",
    },
    Command {
        name: "elder_answer",
        guard: Guard::Permission(Permission::AssistElder),
        note: "customer window; a yes stops and escalates; audited",
    },
    Command {
        name: "elder_repeat",
        guard: Guard::Permission(Permission::AssistElder),
        note: "customer window; speaks the step again",
    },
    Command {
        name: "elder_more_time",
        guard: Guard::Permission(Permission::AssistElder),
        note: "customer window; audited",
    },
    Command {
        name: "elder_resolve",
        guard: Guard::Permission(Permission::ResolveElderEscalation),
        note: "never the staff member who ran the session; audited",
    },
    Command {
        name: "elder_guide",
        guard: Guard::Permission(Permission::AssistElder),
        note: "own sessions, from the guide step; audited",
    },
    Command {
        name: "elder_follow_ups",
        guard: Guard::Permission(Permission::AssistElder),
        note: "this branch's calls",
    },
    Command {
        name: "elder_follow_up_record",
        guard: Guard::Permission(Permission::AssistElder),
        note: "once per call; a fraud concern escalates; audited",
    },
    // elder practice payment (issue 13 item 5). Customer window only: the customer types
    // their own payment password, which staff must never type or see (the anti-fraud rule
    // "never tell anyone a code"), so payee, amount, password and undo are all the customer's.
    Command {
        name: "elder_practice_enter",
        guard: Guard::Permission(Permission::AssistElder),
        note: "customer window; the practice payee or amount; audited",
    },
    Command {
        name: "elder_practice_pay",
        guard: Guard::Permission(Permission::AssistElder),
        note: "customer window; online; the password is never stored; audited",
    },
    Command {
        name: "elder_practice_undo",
        guard: Guard::Permission(Permission::AssistElder),
        note: "customer window; within the undo window; outbox; audited",
    },
    // booth (issue 14, remaining items)
    Command {
        name: "attribution_change",
        guard: Guard::Permission(Permission::ChangeAttribution),
        note: "with a reason; audited with the old and new credit",
    },
    Command {
        name: "lead_take",
        guard: Guard::Permission(Permission::WorkBooth),
        note: "only with the contact consent; only at a booth whose roster names the staff member",
    },
    Command {
        name: "booth_leads",
        guard: Guard::Permission(Permission::WorkBooth),
        note: "booth staff see their own leads; runs the retention sweep",
    },
    Command {
        name: "lead_outcome",
        guard: Guard::Permission(Permission::WorkBooth),
        note: "the lead's own staff member (a supervisor: any)",
    },
    Command {
        name: "lead_convert",
        guard: Guard::Permission(Permission::WorkBooth),
        note: "the lead's own staff member (a supervisor: any); credited to the lead's staff",
    },
    Command {
        name: "lead_retention_set",
        guard: Guard::Permission(Permission::ManageCampaigns),
        note: "7 to 365 days; audited",
    },
    Command {
        name: "booth_qr_poster",
        guard: Guard::Permission(Permission::WorkBooth),
        note: "booth staff: their own code at their booth; a supervisor: anyone on a booth's roster; audited",
    },
    // fees (issue 14 item 8)
    Command {
        name: "fee_quote",
        guard: Guard::Permission(Permission::ViewCustomers),
        note: "the core's schedule as last synced; no personal data",
    },
    Command {
        name: "team_status",
        guard: Guard::Permission(Permission::LogComplaint),
        note: "",
    },
    Command {
        name: "team_register",
        guard: Guard::Permission(Permission::LogComplaint),
        note: "",
    },
    Command {
        name: "team_queue",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "team_take",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "team_take_next",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "team_case",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "team_note",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "team_extend",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "team_decide",
        guard: Guard::Permission(Permission::WorkComplaints),
        note: "",
    },
    Command {
        name: "team_pending_extensions",
        guard: Guard::Permission(Permission::ApproveComplaintExtension),
        note: "",
    },
    Command {
        name: "team_decide_extension",
        guard: Guard::Permission(Permission::ApproveComplaintExtension),
        note: "never the requester",
    },
    // team mode: the dispute team's shared queue (issue 16)
    Command {
        name: "team_dispute_open",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "team_dispute_queue",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "team_dispute",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "team_dispute_take",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "team_dispute_evidence",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "team_dispute_propose_credit",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "team_dispute_pending_credits",
        guard: Guard::Permission(Permission::ApproveDisputeCredit),
        note: "",
    },
    Command {
        name: "team_dispute_decide_credit",
        guard: Guard::Permission(Permission::ApproveDisputeCredit),
        note: "never the proposer",
    },
    Command {
        name: "team_dispute_customer_told",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "team_dispute_extend",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "team_dispute_decide",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "team_dispute_chargeback",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "team_dispute_status",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "team_dispute_take_next",
        guard: Guard::Permission(Permission::WorkDisputes),
        note: "",
    },
    Command {
        name: "team_dispute_op_resend",
        guard: Guard::Permission(Permission::ApproveDisputeCredit),
        note: "an op that needs attention",
    },
    Command {
        name: "team_dispute_op_discard",
        guard: Guard::Permission(Permission::ApproveDisputeCredit),
        note: "an op that needs attention, with a reason",
    },
];

/// The table's entry for `name`.
pub fn command(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// The role x command matrix as the Markdown table docs/security.md prints.
pub fn matrix_markdown() -> String {
    let mut out = String::from("| command | needs |");
    for role in Role::ALL {
        out.push_str(&format!(" {} |", role.as_str()));
    }
    out.push_str(" also |\n|---|---|");
    for _ in Role::ALL {
        out.push_str(":-:|");
    }
    out.push_str("---|\n");
    for command in COMMANDS {
        out.push_str(&format!("| `{}` | {} |", command.name, command.needs()));
        for role in Role::ALL {
            out.push_str(if command.allows(role) {
                " ✓ |"
            } else {
                " · |"
            });
        }
        out.push_str(&format!(" {} |\n", command.note));
    }
    out
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
    Knowledge,
}

impl Area {
    pub const ALL: [Area; 10] = [
        Area::Customers,
        Area::Onboarding,
        Area::Booth,
        Area::Complaints,
        Area::Disputes,
        Area::Insights,
        Area::Audit,
        Area::Settings,
        Area::Sync,
        Area::Knowledge,
    ];

    /// The permission that opens this area.
    pub fn permission(self) -> Permission {
        match self {
            Area::Customers => Permission::ViewCustomers,
            Area::Onboarding => Permission::Onboard,
            Area::Booth => Permission::WorkBooth,
            // Tellers open it to log a complaint at the counter (the desk's counter pane).
            Area::Complaints => Permission::LogComplaint,
            Area::Disputes => Permission::WorkDisputes,
            Area::Insights => Permission::ViewInsights,
            Area::Audit => Permission::ViewAudit,
            Area::Settings => Permission::ManageSettings,
            Area::Sync => Permission::ViewSync,
            Area::Knowledge => Permission::ReadKnowledge,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teller_sees_customers_onboarding_the_complaint_counter_own_insights_sync_and_knowledge_only()
    {
        assert_eq!(
            Role::Teller.areas(),
            vec![
                Area::Customers,
                Area::Onboarding,
                Area::Complaints,
                Area::Insights,
                Area::Sync,
                Area::Knowledge
            ]
        );
    }

    #[test]
    fn admin_manages_but_does_not_serve_customers() {
        assert_eq!(
            Role::Admin.areas(),
            vec![Area::Audit, Area::Settings, Area::Sync, Area::Knowledge]
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
