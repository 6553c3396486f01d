//! The command layer: each command checks nothing and decides nothing itself. It forwards to
//! [`Console`], which checks the session and permission, and maps the error to `{code, message}`.

use tauri::{AppHandle, Manager, State};
use walletdesk_core::audit::{AuditPage, AuditQuery, AuditVerify};
use walletdesk_core::complaints::console::{CalendarText, CalendarUpdate, PeriodInput};
use walletdesk_core::complaints::decision::{
    DecideInput, ReviewRequestInput, Suggestion, SuggestionInput, SurveyInput,
};
use walletdesk_core::complaints::intake::{Category, NewCategoryInput, NewComplaintInput};
use walletdesk_core::complaints::queue::{QueuePage, QueueQuery};
use walletdesk_core::complaints::stats::{ReportFile, StatsQuery, StatsReport};
use walletdesk_core::complaints::work::{
    AddRepresentativeInput, AssignInput, CaseTextInput, ComplaintDetail, ContactInput,
    ExtensionDecisionInput, InterestInput, MergeRepeatInput, PendingExtensionRow, WithdrawInput,
};
use walletdesk_core::console::{
    AppStatus, SessionState, SetupAdminInput, SignInInput, StaffSession, UnlockInput,
};
use walletdesk_core::customers::profile::{
    CardLinkInput, ConsentWithdrawalInput, CustomerLive, CustomerNote, CustomerProfile,
    IdRenewalInput, NoteInput, QueuedChange, RevealInput, RevealedId, TierChangeInput,
    WalletReceiptInput,
};
use walletdesk_core::customers::{CustomerHit, SearchQuery};
use walletdesk_core::documents::BinaryFile;
use walletdesk_core::onboarding::{
    CodeSentView, Draft, DraftData, Evaluation, IdFacts, SaveDraftInput, SubmitResult,
    VerifyCodeInput,
};
use walletdesk_core::settings::{Settings, SettingsView};
use walletdesk_core::staff::{NewStaffInput, StaffSummary};
use walletdesk_core::staff_admin::{PasswordChangeInput, RoleChangeInput};
use walletdesk_core::sync::{
    DiscardInput, OutboxItem, OutboxState, ResendCodeInput, ResendInput, SyncStatus,
};
use walletdesk_core::{ApiError, Console};

type Reply<T> = Result<T, ApiError>;

/// Start-up stopped for a reason staff must see (the store does not open with this key, the
/// key file is missing): no console runs, and the UI's first two calls answer this error,
/// which it shows translated in place of the app.
pub struct StartupFailure(pub ApiError);

fn started(app: &AppHandle) -> Result<State<'_, Console>, ApiError> {
    app.try_state::<Console>()
        .ok_or_else(|| match app.try_state::<StartupFailure>() {
            Some(failure) => failure.0.clone(),
            None => ApiError::from(walletdesk_core::Error::Internal(anyhow::anyhow!(
                "the console did not start"
            ))),
        })
}

#[tauri::command]
pub async fn app_status(app: AppHandle) -> Reply<AppStatus> {
    Ok(started(&app)?.status().await?)
}

#[tauri::command]
pub async fn session_state(app: AppHandle) -> Reply<SessionState> {
    Ok(started(&app)?.session_state().await?)
}

#[tauri::command]
pub async fn setup_admin(
    console: State<'_, Console>,
    input: SetupAdminInput,
) -> Reply<StaffSummary> {
    Ok(console.setup_admin(input).await?)
}

#[tauri::command]
pub async fn sign_in(console: State<'_, Console>, input: SignInInput) -> Reply<StaffSession> {
    Ok(console.sign_in(input).await?)
}

#[tauri::command]
pub async fn sign_out(console: State<'_, Console>) -> Reply<()> {
    Ok(console.sign_out().await?)
}

#[tauri::command]
pub async fn touch(console: State<'_, Console>) -> Reply<SessionState> {
    Ok(console.touch().await?)
}

#[tauri::command]
pub async fn lock(console: State<'_, Console>) -> Reply<()> {
    Ok(console.lock().await?)
}

#[tauri::command]
pub async fn unlock(console: State<'_, Console>, input: UnlockInput) -> Reply<StaffSession> {
    Ok(console.unlock(input).await?)
}

#[tauri::command]
pub async fn audit_search(console: State<'_, Console>, query: AuditQuery) -> Reply<AuditPage> {
    Ok(console.audit_search(query).await?)
}

#[tauri::command]
pub async fn audit_verify(console: State<'_, Console>) -> Reply<AuditVerify> {
    Ok(console.audit_verify().await?)
}

#[tauri::command]
pub async fn staff_list(console: State<'_, Console>) -> Reply<Vec<StaffSummary>> {
    Ok(console.staff_list().await?)
}

#[tauri::command]
pub async fn staff_create(
    console: State<'_, Console>,
    input: NewStaffInput,
) -> Reply<StaffSummary> {
    Ok(console.staff_create(input).await?)
}

#[tauri::command]
pub async fn staff_deactivate(console: State<'_, Console>, staff_id: i64) -> Reply<StaffSummary> {
    Ok(console.staff_deactivate(staff_id).await?)
}

#[tauri::command]
pub async fn staff_reactivate(console: State<'_, Console>, staff_id: i64) -> Reply<StaffSummary> {
    Ok(console.staff_reactivate(staff_id).await?)
}

#[tauri::command]
pub async fn staff_set_role(
    console: State<'_, Console>,
    input: RoleChangeInput,
) -> Reply<StaffSummary> {
    Ok(console.staff_set_role(input).await?)
}

#[tauri::command]
pub async fn staff_require_password_change(
    console: State<'_, Console>,
    staff_id: i64,
) -> Reply<StaffSummary> {
    Ok(console.staff_require_password_change(staff_id).await?)
}

#[tauri::command]
pub async fn password_change(
    console: State<'_, Console>,
    input: PasswordChangeInput,
) -> Reply<StaffSession> {
    Ok(console.password_change(input).await?)
}

#[tauri::command]
pub async fn settings_get(console: State<'_, Console>) -> Reply<SettingsView> {
    Ok(console.settings_get().await?)
}

#[tauri::command]
pub async fn settings_update(console: State<'_, Console>, input: Settings) -> Reply<SettingsView> {
    Ok(console.settings_update(input).await?)
}

#[tauri::command]
pub async fn sync_status(console: State<'_, Console>) -> Reply<SyncStatus> {
    Ok(console.sync_status().await?)
}

#[tauri::command]
pub async fn sync_list(
    console: State<'_, Console>,
    state: Option<OutboxState>,
) -> Reply<Vec<OutboxItem>> {
    Ok(console.sync_list(state).await?)
}

#[tauri::command]
pub async fn sync_now(console: State<'_, Console>) -> Reply<SyncStatus> {
    Ok(console.sync_now().await?)
}

#[tauri::command]
pub async fn sync_resend(console: State<'_, Console>, input: ResendInput) -> Reply<SyncStatus> {
    Ok(console.sync_resend(input).await?)
}

#[tauri::command]
pub async fn sync_resend_code(
    console: State<'_, Console>,
    input: ResendCodeInput,
) -> Reply<CodeSentView> {
    Ok(console.sync_resend_code(input).await?)
}

#[tauri::command]
pub async fn sync_discard(console: State<'_, Console>, input: DiscardInput) -> Reply<SyncStatus> {
    Ok(console.sync_discard(input).await?)
}

#[tauri::command]
pub async fn customer_search(
    console: State<'_, Console>,
    query: SearchQuery,
) -> Reply<Vec<CustomerHit>> {
    Ok(console.customer_search(query).await?)
}

#[tauri::command]
pub async fn customer_profile(console: State<'_, Console>, id: String) -> Reply<CustomerProfile> {
    Ok(console.customer_profile(id).await?)
}

#[tauri::command]
pub async fn customer_live(console: State<'_, Console>, id: String) -> Reply<CustomerLive> {
    Ok(console.customer_live(id).await?)
}

#[tauri::command]
pub async fn customer_reveal_id(
    console: State<'_, Console>,
    input: RevealInput,
) -> Reply<RevealedId> {
    Ok(console.customer_reveal_id(input).await?)
}

#[tauri::command]
pub async fn customer_add_note(
    console: State<'_, Console>,
    input: NoteInput,
) -> Reply<CustomerNote> {
    Ok(console.customer_add_note(input).await?)
}

#[tauri::command]
pub async fn wallet_change_tier(
    console: State<'_, Console>,
    input: TierChangeInput,
) -> Reply<QueuedChange> {
    Ok(console.wallet_change_tier(input).await?)
}

#[tauri::command]
pub async fn wallet_link_card(
    console: State<'_, Console>,
    input: CardLinkInput,
) -> Reply<QueuedChange> {
    Ok(console.wallet_link_card(input).await?)
}

#[tauri::command]
pub async fn customer_renew_id(
    console: State<'_, Console>,
    input: IdRenewalInput,
) -> Reply<QueuedChange> {
    Ok(console.customer_renew_id(input).await?)
}

#[tauri::command]
pub async fn wallet_receipt(
    console: State<'_, Console>,
    input: WalletReceiptInput,
) -> Reply<BinaryFile> {
    Ok(console.wallet_receipt(input).await?)
}

#[tauri::command]
pub async fn consent_withdraw(
    console: State<'_, Console>,
    input: ConsentWithdrawalInput,
) -> Reply<QueuedChange> {
    Ok(console.consent_withdraw(input).await?)
}

#[tauri::command]
pub async fn onboarding_resume(console: State<'_, Console>) -> Reply<Option<Draft>> {
    Ok(console.onboarding_resume().await?)
}

#[tauri::command]
pub async fn onboarding_save(console: State<'_, Console>, input: SaveDraftInput) -> Reply<Draft> {
    Ok(console.onboarding_save(input).await?)
}

#[tauri::command]
pub async fn onboarding_discard(console: State<'_, Console>, id: i64) -> Reply<()> {
    Ok(console.onboarding_discard(id).await?)
}

#[tauri::command]
pub async fn onboarding_evaluate(
    console: State<'_, Console>,
    data: DraftData,
) -> Reply<Evaluation> {
    Ok(console.onboarding_evaluate(data).await?)
}

#[tauri::command]
pub async fn onboarding_check_id(console: State<'_, Console>, text: String) -> Reply<IdFacts> {
    Ok(console.onboarding_check_id(text).await?)
}

#[tauri::command]
pub async fn onboarding_send_code(console: State<'_, Console>, id: i64) -> Reply<CodeSentView> {
    Ok(console.onboarding_send_code(id).await?)
}

#[tauri::command]
pub async fn onboarding_verify_code(
    console: State<'_, Console>,
    input: VerifyCodeInput,
) -> Reply<Draft> {
    Ok(console.onboarding_verify_code(input).await?)
}

#[tauri::command]
pub async fn onboarding_screen(console: State<'_, Console>, id: i64) -> Reply<Draft> {
    Ok(console.onboarding_screen(id).await?)
}

#[tauri::command]
pub async fn onboarding_submit(console: State<'_, Console>, id: i64) -> Reply<SubmitResult> {
    Ok(console.onboarding_submit(id).await?)
}

// ---- the complaint desk ----------------------------------------------------------------

#[tauri::command]
pub async fn complaint_categories(console: State<'_, Console>) -> Reply<Vec<Category>> {
    Ok(console.complaint_categories().await?)
}

#[tauri::command]
pub async fn complaint_category_create(
    console: State<'_, Console>,
    input: NewCategoryInput,
) -> Reply<Category> {
    Ok(console.complaint_category_create(input).await?)
}

#[tauri::command]
pub async fn complaint_calendar(console: State<'_, Console>) -> Reply<CalendarText> {
    Ok(console.complaint_calendar().await?)
}

#[tauri::command]
pub async fn complaint_calendar_set(
    console: State<'_, Console>,
    input: CalendarText,
) -> Reply<CalendarUpdate> {
    Ok(console.complaint_calendar_set(input).await?)
}

#[tauri::command]
pub async fn complaint_register(
    console: State<'_, Console>,
    input: NewComplaintInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_register(input).await?)
}

#[tauri::command]
pub async fn complaint_get(console: State<'_, Console>, case_id: i64) -> Reply<ComplaintDetail> {
    Ok(console.complaint_get(case_id).await?)
}

#[tauri::command]
pub async fn complaint_queue(console: State<'_, Console>, query: QueueQuery) -> Reply<QueuePage> {
    Ok(console.complaint_queue(query).await?)
}

#[tauri::command]
pub async fn complaint_assign(
    console: State<'_, Console>,
    input: AssignInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_assign(input).await?)
}

#[tauri::command]
pub async fn complaint_declare_interest(
    console: State<'_, Console>,
    input: InterestInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_declare_interest(input).await?)
}

#[tauri::command]
pub async fn complaint_add_note(
    console: State<'_, Console>,
    input: CaseTextInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_add_note(input).await?)
}

#[tauri::command]
pub async fn complaint_log_contact(
    console: State<'_, Console>,
    input: ContactInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_log_contact(input).await?)
}

#[tauri::command]
pub async fn complaint_add_representative(
    console: State<'_, Console>,
    input: AddRepresentativeInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_add_representative(input).await?)
}

#[tauri::command]
pub async fn complaint_pause(
    console: State<'_, Console>,
    input: CaseTextInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_pause(input).await?)
}

#[tauri::command]
pub async fn complaint_resume(console: State<'_, Console>, case_id: i64) -> Reply<ComplaintDetail> {
    Ok(console.complaint_resume(case_id).await?)
}

#[tauri::command]
pub async fn complaint_extend_complex(
    console: State<'_, Console>,
    input: CaseTextInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_extend_complex(input).await?)
}

#[tauri::command]
pub async fn complaint_new_facts(
    console: State<'_, Console>,
    input: CaseTextInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_new_facts(input).await?)
}

#[tauri::command]
pub async fn complaint_request_extension(
    console: State<'_, Console>,
    input: CaseTextInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_request_extension(input).await?)
}

#[tauri::command]
pub async fn complaint_pending_extensions(
    console: State<'_, Console>,
) -> Reply<Vec<PendingExtensionRow>> {
    Ok(console.complaint_pending_extensions().await?)
}

#[tauri::command]
pub async fn complaint_decide_extension(
    console: State<'_, Console>,
    input: ExtensionDecisionInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_decide_extension(input).await?)
}

#[tauri::command]
pub async fn complaint_extension_notified(
    console: State<'_, Console>,
    extension_id: i64,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_extension_notified(extension_id).await?)
}

#[tauri::command]
pub async fn complaint_merge_repeat(
    console: State<'_, Console>,
    input: MergeRepeatInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_merge_repeat(input).await?)
}

#[tauri::command]
pub async fn complaint_withdraw(
    console: State<'_, Console>,
    input: WithdrawInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_withdraw(input).await?)
}

#[tauri::command]
pub async fn complaint_decide(
    console: State<'_, Console>,
    input: DecideInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_decide(input).await?)
}

#[tauri::command]
pub async fn complaint_request_review(
    console: State<'_, Console>,
    input: ReviewRequestInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_request_review(input).await?)
}

#[tauri::command]
pub async fn complaint_record_survey(
    console: State<'_, Console>,
    input: SurveyInput,
) -> Reply<ComplaintDetail> {
    Ok(console.complaint_record_survey(input).await?)
}

#[tauri::command]
pub async fn complaint_suggest(console: State<'_, Console>, input: SuggestionInput) -> Reply<i64> {
    Ok(console.complaint_suggest(input).await?)
}

#[tauri::command]
pub async fn complaint_suggestions(console: State<'_, Console>) -> Reply<Vec<Suggestion>> {
    Ok(console.complaint_suggestions().await?)
}

#[tauri::command]
pub async fn complaint_grant_reward(console: State<'_, Console>, suggestion_id: i64) -> Reply<()> {
    Ok(console.complaint_grant_reward(suggestion_id).await?)
}

#[tauri::command]
pub async fn complaint_stats(console: State<'_, Console>, query: StatsQuery) -> Reply<StatsReport> {
    Ok(console.complaint_stats(query).await?)
}

#[tauri::command]
pub async fn complaint_stats_csv(
    console: State<'_, Console>,
    query: StatsQuery,
) -> Reply<ReportFile> {
    Ok(console.complaint_stats_csv(query).await?)
}

#[tauri::command]
pub async fn complaint_stats_xlsx(
    console: State<'_, Console>,
    query: StatsQuery,
) -> Reply<BinaryFile> {
    Ok(console.complaint_stats_xlsx(query).await?)
}

#[tauri::command]
pub async fn complaint_regulator_report(
    console: State<'_, Console>,
    period: PeriodInput,
) -> Reply<ReportFile> {
    Ok(console.complaint_regulator_report(period).await?)
}

#[tauri::command]
pub async fn complaint_letter(
    console: State<'_, Console>,
    request: walletdesk_core::complaints::letter::LetterRequest,
) -> Reply<walletdesk_core::documents::BinaryFile> {
    Ok(console.complaint_letter(request).await?)
}

#[tauri::command]
pub async fn onboarding_receipt(
    console: State<'_, Console>,
    id: i64,
) -> Reply<walletdesk_core::documents::BinaryFile> {
    Ok(console.onboarding_receipt(id).await?)
}
