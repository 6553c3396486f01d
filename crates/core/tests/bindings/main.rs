//! The UI's TypeScript types are generated from these Rust types and committed under
//! `ui/src/bindings/`. This test regenerates them into a temporary folder and fails if the
//! committed files differ, so a Rust change cannot silently leave the UI on stale types.
//!
//! To update: `UPDATE_BINDINGS=1 cargo test -p walletdesk-core --test bindings`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::{Config, TS};
use walletdesk_core::access::{Area, Role};
use walletdesk_core::audit::{
    AnchorCheck, AuditEntry, AuditOutcome, AuditPage, AuditQuery, AuditVerify,
};
use walletdesk_core::complaints::console::{CalendarText, CalendarUpdate, PeriodInput};
use walletdesk_core::complaints::decision::{
    DecideInput, ReviewRequestInput, Suggestion, SuggestionInput, SurveyInput,
};
use walletdesk_core::complaints::desk::{CategoryUpdateInput, DeskPane, DeskSettings, DeskView};
use walletdesk_core::complaints::escalation::{
    EscalateInput, Escalation, EscalationRules, PauseToldInput,
};
use walletdesk_core::complaints::intake::{Category, NewCategoryInput, NewComplaintInput};
use walletdesk_core::complaints::letter::LetterRequest;
use walletdesk_core::complaints::queue::{QueuePage, QueueQuery};
use walletdesk_core::complaints::stats::{ReportFile, StatsQuery, StatsReport};
use walletdesk_core::complaints::templates::{
    ApplyTemplateInput, FilledTemplate, Template, TemplateInput, TemplateQuery,
};
use walletdesk_core::complaints::work::{
    AddRepresentativeInput, AssignInput, CaseAction, CaseTextInput, ComplaintDetail, ContactInput,
    ExtensionDecisionInput, InterestInput, MergeRepeatInput, PendingExtensionRow, WithdrawInput,
};
use walletdesk_core::console::{
    AppStatus, CoreStatus, SessionState, SetupAdminInput, SignInInput, StaffSession, UnlockInput,
};
use walletdesk_core::corelink::CoreIdentity;
use walletdesk_core::customers::profile::{
    CardLinkInput, ConsentWithdrawalInput, CustomerLive, CustomerNote, CustomerProfile,
    IdRenewalInput, NoteInput, QueuedChange, RevealInput, RevealedId, TierChangeInput,
    WalletReceiptInput,
};
use walletdesk_core::customers::{CustomerHit, SearchQuery};
use walletdesk_core::documents::BinaryFile;
use walletdesk_core::documents::LetterOutcome;
use walletdesk_core::domain::Money;
use walletdesk_core::elder::{
    CallOutcome, CallOutcomeInput, CustomerAction, ElderAnswer, ElderAnswerInput, ElderEndInput,
    ElderEscalation, ElderResolveInput, ElderRules, ElderScreen, ElderSession, ElderSpeechInput,
    ElderStartInput, ElderStep, EscalationOutcome, FollowUpCall, FollowUpQueue, FraudQuestion,
    QuestionView, Words,
};
use walletdesk_core::insights::console::{
    InsightCustomer, InsightCustomers, InsightDrill, InsightFilters, InsightQuery, InsightRow,
};
use walletdesk_core::insights::export::{ExportFormat, InsightExportInput};
use walletdesk_core::insights::{Dimension, InsightAnswer, Metric, MetricConfig, Scope};
use walletdesk_core::knowledge::{
    KbArticle, KbDesk, KbDraftInput, KbFlagInput, KbHit, KbPublishInput, KbQuery, KbResults,
};
use walletdesk_core::limits::{LimitScheme, TierLimits};
use walletdesk_core::onboarding::{
    CodeSentView, ConsentChoice, ConsentOffer, Draft, DraftData, Evaluation, Evidence, IdFacts,
    Missing, SaveDraftInput, ScreeningState, SubmitResult, TierOption, VerifyCodeInput,
};
use walletdesk_core::settings::{Settings, SettingsRanges, SettingsView};
use walletdesk_core::staff::{NewStaffInput, StaffSummary};
use walletdesk_core::staff_admin::{BranchChangeInput, PasswordChangeInput, RoleChangeInput};
use walletdesk_core::sync::{
    DiscardInput, OutboxItem, OutboxState, ResendCodeInput, ResendInput, SyncStatus,
};
use walletdesk_core::{ApiError, Code, FieldError};

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings")
}

fn generate(out: &Path) {
    let cfg = Config::new().with_out_dir(out).with_large_int("number");
    macro_rules! export {
        ($($t:ty),* $(,)?) => {
            $( <$t as TS>::export_all(&cfg).expect(concat!("export ", stringify!($t))); )*
        };
    }
    export!(
        ApiError,
        Code,
        Role,
        Area,
        AppStatus,
        CoreStatus,
        CoreIdentity,
        SessionState,
        StaffSession,
        SetupAdminInput,
        SignInInput,
        UnlockInput,
        AnchorCheck,
        AuditEntry,
        AuditOutcome,
        AuditPage,
        AuditQuery,
        AuditVerify,
        NewStaffInput,
        StaffSummary,
        RoleChangeInput,
        BranchChangeInput,
        PasswordChangeInput,
        Settings,
        SettingsView,
        SettingsRanges,
        Money,
        SyncStatus,
        OutboxItem,
        OutboxState,
        ResendInput,
        ResendCodeInput,
        DiscardInput,
        SearchQuery,
        CustomerHit,
        CustomerProfile,
        CustomerLive,
        CustomerNote,
        RevealedId,
        RevealInput,
        NoteInput,
        TierChangeInput,
        CardLinkInput,
        IdRenewalInput,
        ConsentWithdrawalInput,
        QueuedChange,
        WalletReceiptInput,
        Draft,
        DraftData,
        ConsentChoice,
        SaveDraftInput,
        Evaluation,
        IdFacts,
        FieldError,
        ConsentOffer,
        LimitScheme,
        TierLimits,
        SubmitResult,
        CodeSentView,
        VerifyCodeInput,
        ScreeningState,
        TierOption,
        Missing,
        Evidence,
        LetterRequest,
        LetterOutcome,
        // The complaint desk (the types they use are exported with them).
        NewComplaintInput,
        Category,
        NewCategoryInput,
        QueueQuery,
        QueuePage,
        ComplaintDetail,
        CaseAction,
        AssignInput,
        InterestInput,
        CaseTextInput,
        ContactInput,
        AddRepresentativeInput,
        ExtensionDecisionInput,
        MergeRepeatInput,
        WithdrawInput,
        DecideInput,
        ReviewRequestInput,
        SurveyInput,
        SuggestionInput,
        Suggestion,
        StatsQuery,
        StatsReport,
        ReportFile,
        BinaryFile,
        PeriodInput,
        CalendarText,
        CalendarUpdate,
        PendingExtensionRow,
        walletdesk_core::disputes::DisputeConfig,
        walletdesk_core::disputes::desk::OpenDisputeInput,
        walletdesk_core::disputes::desk::DisputeDetail,
        walletdesk_core::disputes::desk::DisputeQueueQuery,
        walletdesk_core::disputes::desk::DisputeQueuePage,
        walletdesk_core::disputes::desk::DisputeAssignInput,
        walletdesk_core::disputes::desk::EvidenceInput,
        walletdesk_core::disputes::desk::DisputeTextInput,
        walletdesk_core::disputes::desk::ApprovalItem,
        walletdesk_core::disputes::desk::CreditDecisionInput,
        walletdesk_core::disputes::desk::DisputeDecisionInput,
        walletdesk_core::disputes::attachments::AttachmentInput,
        walletdesk_core::disputes::desk::DisputeLetterRequest,
        walletdesk_core::disputes::stats::DisputeStatsQuery,
        walletdesk_core::disputes::stats::DisputeStatsReport,
        walletdesk_core::disputes::cases::CustomerCases,
        walletdesk_core::booth::BoothCatalogue,
        walletdesk_core::booth::CampaignInput,
        walletdesk_core::booth::BoothInput,
        walletdesk_core::booth::QueuedSave,
        walletdesk_core::booth::SignUpInput,
        walletdesk_core::booth::SignUpRow,
        walletdesk_core::booth::BoothToday,
        // complaint desk, finished (issue 18 items 1-3)
        DeskView,
        DeskPane,
        DeskSettings,
        CategoryUpdateInput,
        EscalateInput,
        PauseToldInput,
        Escalation,
        EscalationRules,
        Template,
        TemplateInput,
        TemplateQuery,
        ApplyTemplateInput,
        FilledTemplate,
        // The knowledge base.
        KbQuery,
        KbHit,
        KbResults,
        KbArticle,
        KbDesk,
        KbDraftInput,
        KbPublishInput,
        KbFlagInput,
        // Supervisor insights.
        Metric,
        Dimension,
        MetricConfig,
        Scope,
        InsightFilters,
        InsightQuery,
        InsightRow,
        InsightAnswer,
        InsightDrill,
        InsightCustomer,
        InsightCustomers,
        ExportFormat,
        InsightExportInput,
        walletdesk_core::insights::dashboard::InsightPoint,
        walletdesk_core::insights::period::InsightPeriod,
        walletdesk_core::insights::dashboard::InsightTrend,
        walletdesk_core::insights::dashboard::FunnelStage,
        walletdesk_core::insights::dashboard::InsightFunnelStep,
        walletdesk_core::insights::dashboard::InsightFunnel,
        walletdesk_core::insights::dashboard::InsightCampaignQuery,
        walletdesk_core::insights::dashboard::InsightCampaignView,
        // team mode (issue 16)
        walletdesk_core::team::console::TeamStatus,
        walletdesk_core::team::console::TeamStepInput,
        walletdesk_core::team::console::TeamExtensionDecisionInput,
        walletdesk_core::team::counter::CounterIntake,
        walletdesk_core::team::TeamQueueQuery,
        walletdesk_core::team::TeamQueue,
        walletdesk_core::team::TeamQueuePage,
        walletdesk_core::team::TeamCase,
        walletdesk_core::team::TakeOutcome,
        walletdesk_core::team::PendingTeamExtension,
        // team mode: the dispute team's shared queue (issue 16)
        walletdesk_core::team::TeamDispute,
        walletdesk_core::team::TeamCoreOp,
        walletdesk_core::team::TeamDisputeRow,
        walletdesk_core::team::TeamDisputePage,
        walletdesk_core::team::DisputeTakeOutcome,
        walletdesk_core::team::PendingTeamCredit,
        walletdesk_core::team::dispute_console::TeamDisputeStepInput,
        walletdesk_core::team::dispute_console::TeamDisputeEvidenceInput,
        walletdesk_core::team::dispute_console::TeamDisputeTextInput,
        walletdesk_core::team::dispute_console::TeamDisputeDecisionInput,
        walletdesk_core::team::TeamDisputeAction,
        walletdesk_core::team::TeamCoreOpAction,
        walletdesk_core::team::dispute_console::TeamDisputeOpInput,
        walletdesk_core::team::dispute_console::TeamDisputeOpDiscardInput,
        // Elder-assisted setup (issue 13).
        ElderRules,
        FraudQuestion,
        ElderStep,
        EscalationOutcome,
        ElderScreen,
        ElderSession,
        ElderAnswer,
        ElderEscalation,
        CustomerAction,
        QuestionView,
        Words,
        ElderStartInput,
        ElderAnswerInput,
        ElderEndInput,
        ElderSpeechInput,
        ElderResolveInput,
        CallOutcome,
        CallOutcomeInput,
        FollowUpCall,
        FollowUpQueue,
        // elder practice payment (issue 13 item 5)
        walletdesk_core::elder::PracticeView,
        walletdesk_core::elder::PracticeStage,
        walletdesk_core::elder::PracticeField,
        walletdesk_core::elder::ElderPracticeEnterInput,
        walletdesk_core::elder::ElderPracticePayInput,
        // booth (issue 14, remaining items)
        walletdesk_core::booth::AttributionChangeInput,
        walletdesk_core::onboarding::CampaignChoice,
        walletdesk_core::booth::LeadInput,
        walletdesk_core::booth::QrPosterRequest,
        walletdesk_core::booth::LeadOutcome,
        walletdesk_core::booth::LeadOutcomeInput,
        walletdesk_core::booth::LeadConvertInput,
        walletdesk_core::booth::Lead,
        walletdesk_core::booth::LeadList,
        // fees (issue 14 item 8)
        walletdesk_core::fees::FeeQuoteInput,
        walletdesk_core::fees::FeeQuote,
    );
    std::fs::write(out.join("commands.ts"), commands_ts(&cfg)).expect("write commands.ts");
}

/// snake_case to camelCase, as Tauri renames command arguments and the UI names methods.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The generated types a TypeScript type name refers to (`Array<OutboxItem>`, `Draft | null`):
/// its capitalised identifiers other than TypeScript's own.
fn imports(ts_name: &str, into: &mut std::collections::BTreeSet<String>) {
    ts_name
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()) && *word != "Array")
        .for_each(|word| {
            into.insert(word.to_owned());
        });
}

/// `ui/src/bindings/commands.ts`: the UI's `Backend` interface (a camelCase method per
/// command) and the table from each method to its command name and argument names, both from
/// [`walletdesk_core::for_each_command`]; the transports (`ui/src/backend`) are one generic
/// function over the table.
fn commands_ts(cfg: &Config) -> String {
    struct Method {
        name: String,
        command: &'static str,
        args: Vec<(String, String)>,
        ret: String,
        doc: &'static str,
    }
    let mut types = std::collections::BTreeSet::new();
    let mut methods = Vec::new();
    macro_rules! describe {
        ($(($name:ident, $method:ident, [$($arg:ident : $ty:ty),*], $ret:ty, $doc:literal)),* $(,)?) => {
            $(
                $( imports(&<$ty as TS>::name(cfg), &mut types); )*
                imports(&<$ret as TS>::name(cfg), &mut types);
                methods.push(Method {
                    name: camel(stringify!($name)),
                    command: stringify!($name),
                    args: vec![$((camel(stringify!($arg)), <$ty as TS>::name(cfg))),*],
                    ret: <$ret as TS>::name(cfg),
                    doc: $doc,
                });
            )*
        };
    }
    walletdesk_core::for_each_command!(describe);

    let mut out = String::from(
        "// Generated from walletdesk_core::for_each_command by crates/core/tests/bindings. Do not edit.\n",
    );
    for t in &types {
        out.push_str(&format!("import type {{ {t} }} from './{t}';\n"));
    }
    out.push_str(
        "\n/**\n * Everything the UI may ask of the app, one method per command. Every method rejects with\n * an `ApiError` (`{code, message}`), never with anything else.\n */\nexport interface Backend {\n",
    );
    for m in &methods {
        if !m.doc.is_empty() {
            out.push_str(&format!("  /** {} */\n", m.doc));
        }
        let params: Vec<String> = m.args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        out.push_str(&format!(
            "  {}({}): Promise<{}>;\n",
            m.name,
            params.join(", "),
            m.ret
        ));
    }
    out.push_str(
        "}\n\n/** Each method's command and its argument names in order, camelCase as both transports take them. */\nexport const COMMANDS = {\n",
    );
    for m in &methods {
        let args: Vec<String> = m.args.iter().map(|(n, _)| format!("'{n}'")).collect();
        out.push_str(&format!(
            "  {}: {{ command: '{}', args: [{}] }},\n",
            m.name,
            m.command,
            args.join(", ")
        ));
    }
    out.push_str(
        "} as const satisfies Record<keyof Backend, { command: string; args: readonly string[] }>;\n",
    );
    out
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(e.path()).expect("read binding");
            (name, text)
        })
        .collect()
}

#[test]
fn committed_typescript_bindings_match_the_rust_types() {
    let fresh_dir = tempfile::tempdir().expect("tempdir");
    generate(fresh_dir.path());
    let fresh = read_dir(fresh_dir.path());
    assert!(
        fresh.len() >= 20,
        "expected every exported type, got {}",
        fresh.len()
    );

    let target = committed_dir();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(&target).expect("mkdir");
        for old in read_dir(&target).keys() {
            std::fs::remove_file(target.join(old)).expect("remove stale binding");
        }
        for (name, text) in &fresh {
            std::fs::write(target.join(name), text).expect("write binding");
        }
    }
    let committed = read_dir(&target);
    let stale: Vec<&String> = fresh
        .iter()
        .filter(|(name, text)| committed.get(*name) != Some(*text))
        .map(|(name, _)| name)
        .chain(committed.keys().filter(|name| !fresh.contains_key(*name)))
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/bindings is stale for {stale:?}; run UPDATE_BINDINGS=1 cargo test -p walletdesk-core --test bindings"
    );
}
