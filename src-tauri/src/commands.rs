//! The command layer: each command checks nothing and decides nothing itself. It forwards to
//! [`Console`], which checks the session and permission, and maps the error to `{code, message}`.

use tauri::State;
use walletdesk_core::audit::{AuditPage, AuditQuery, AuditVerify};
use walletdesk_core::console::{
    AppStatus, SessionState, SetupAdminInput, SignInInput, StaffSession, UnlockInput,
};
use walletdesk_core::customers::{CustomerHit, SearchQuery};
use walletdesk_core::onboarding::{
    CodeSentView, Draft, DraftData, Evaluation, IdFacts, SaveDraftInput, SubmitResult,
    VerifyCodeInput,
};
use walletdesk_core::settings::Settings;
use walletdesk_core::staff::{NewStaffInput, StaffSummary};
use walletdesk_core::sync::{DiscardInput, OutboxItem, OutboxState, ResendInput, SyncStatus};
use walletdesk_core::{ApiError, Console};

type Reply<T> = Result<T, ApiError>;

#[tauri::command]
pub async fn app_status(console: State<'_, Console>) -> Reply<AppStatus> {
    Ok(console.status().await?)
}

#[tauri::command]
pub async fn session_state(console: State<'_, Console>) -> Reply<SessionState> {
    Ok(console.session_state().await?)
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
pub async fn settings_get(console: State<'_, Console>) -> Reply<Settings> {
    Ok(console.settings_get().await?)
}

#[tauri::command]
pub async fn settings_update(console: State<'_, Console>, input: Settings) -> Reply<Settings> {
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
