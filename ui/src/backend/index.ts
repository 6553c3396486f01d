import type { AppStatus } from '../bindings/AppStatus';
import type { AuditPage } from '../bindings/AuditPage';
import type { AuditQuery } from '../bindings/AuditQuery';
import type { AuditVerify } from '../bindings/AuditVerify';
import type { NewStaffInput } from '../bindings/NewStaffInput';
import type { SessionState } from '../bindings/SessionState';
import type { SettingsView } from '../bindings/SettingsView';
import type { Settings } from '../bindings/Settings';
import type { SetupAdminInput } from '../bindings/SetupAdminInput';
import type { SignInInput } from '../bindings/SignInInput';
import type { StaffSession } from '../bindings/StaffSession';
import type { StaffSummary } from '../bindings/StaffSummary';
import type { PasswordChangeInput } from '../bindings/PasswordChangeInput';
import type { RoleChangeInput } from '../bindings/RoleChangeInput';
import type { UnlockInput } from '../bindings/UnlockInput';
import type { DiscardInput } from '../bindings/DiscardInput';
import type { OutboxItem } from '../bindings/OutboxItem';
import type { OutboxState } from '../bindings/OutboxState';
import type { ResendCodeInput } from '../bindings/ResendCodeInput';
import type { ResendInput } from '../bindings/ResendInput';
import type { SyncStatus } from '../bindings/SyncStatus';
import type { CustomerHit } from '../bindings/CustomerHit';
import type { SearchQuery } from '../bindings/SearchQuery';
import type { CardLinkInput } from '../bindings/CardLinkInput';
import type { ConsentWithdrawalInput } from '../bindings/ConsentWithdrawalInput';
import type { CustomerLive } from '../bindings/CustomerLive';
import type { CustomerNote } from '../bindings/CustomerNote';
import type { CustomerProfile } from '../bindings/CustomerProfile';
import type { IdRenewalInput } from '../bindings/IdRenewalInput';
import type { NoteInput } from '../bindings/NoteInput';
import type { QueuedChange } from '../bindings/QueuedChange';
import type { RevealedId } from '../bindings/RevealedId';
import type { RevealInput } from '../bindings/RevealInput';
import type { TierChangeInput } from '../bindings/TierChangeInput';
import type { WalletReceiptInput } from '../bindings/WalletReceiptInput';
import type { CodeSentView } from '../bindings/CodeSentView';
import type { Draft } from '../bindings/Draft';
import type { DraftData } from '../bindings/DraftData';
import type { Evaluation } from '../bindings/Evaluation';
import type { IdFacts } from '../bindings/IdFacts';
import type { SaveDraftInput } from '../bindings/SaveDraftInput';
import type { SubmitResult } from '../bindings/SubmitResult';
import type { VerifyCodeInput } from '../bindings/VerifyCodeInput';
import type { AddRepresentativeInput } from '../bindings/AddRepresentativeInput';
import type { AssignInput } from '../bindings/AssignInput';
import type { BinaryFile } from '../bindings/BinaryFile';
import type { LetterRequest } from '../bindings/LetterRequest';
import type { CaseTextInput } from '../bindings/CaseTextInput';
import type { Category } from '../bindings/Category';
import type { ComplaintDetail } from '../bindings/ComplaintDetail';
import type { ContactInput } from '../bindings/ContactInput';
import type { DecideInput } from '../bindings/DecideInput';
import type { ExtensionDecisionInput } from '../bindings/ExtensionDecisionInput';
import type { InterestInput } from '../bindings/InterestInput';
import type { MergeRepeatInput } from '../bindings/MergeRepeatInput';
import type { NewComplaintInput } from '../bindings/NewComplaintInput';
import type { PendingExtensionRow } from '../bindings/PendingExtensionRow';
import type { QueuePage } from '../bindings/QueuePage';
import type { QueueQuery } from '../bindings/QueueQuery';
import type { ReportFile } from '../bindings/ReportFile';
import type { ReviewRequestInput } from '../bindings/ReviewRequestInput';
import type { StatsQuery } from '../bindings/StatsQuery';
import type { StatsReport } from '../bindings/StatsReport';
import type { Suggestion } from '../bindings/Suggestion';
import type { SuggestionInput } from '../bindings/SuggestionInput';
import type { SurveyInput } from '../bindings/SurveyInput';
import type { WithdrawInput } from '../bindings/WithdrawInput';
import { createMemoryBackend } from './memory';
import { createTauriBackend } from './tauri';

export { apiError, isApiError, toApiError } from './errors';

/**
 * Everything the UI may ask of the app. Every method rejects with an `ApiError`
 * (`{code, message}`), never with anything else.
 */
export interface Backend {
  appStatus(): Promise<AppStatus>;
  sessionState(): Promise<SessionState>;
  setupAdmin(input: SetupAdminInput): Promise<StaffSummary>;
  signIn(input: SignInInput): Promise<StaffSession>;
  signOut(): Promise<null>;
  touch(): Promise<SessionState>;
  lock(): Promise<null>;
  unlock(input: UnlockInput): Promise<StaffSession>;
  auditSearch(query: AuditQuery): Promise<AuditPage>;
  auditVerify(): Promise<AuditVerify>;
  staffList(): Promise<StaffSummary[]>;
  staffCreate(input: NewStaffInput): Promise<StaffSummary>;
  /** Ends the account's sessions and sign-ins; it stays listed and in the audit trail. */
  staffDeactivate(staffId: number): Promise<StaffSummary>;
  staffReactivate(staffId: number): Promise<StaffSummary>;
  /** Takes effect at the account's next command. */
  staffSetRole(input: RoleChangeInput): Promise<StaffSummary>;
  /** The owner sets a new password at the next sign-in, before anything else. */
  staffRequirePasswordChange(staffId: number): Promise<StaffSummary>;
  /** The signed-in staff member's own password; lifts a required change. */
  passwordChange(input: PasswordChangeInput): Promise<StaffSession>;
  settingsGet(): Promise<SettingsView>;
  settingsUpdate(input: Settings): Promise<SettingsView>;
  syncStatus(): Promise<SyncStatus>;
  /** Newest first; `state` null lists every state. */
  syncList(state: OutboxState | null): Promise<OutboxItem[]>;
  syncNow(): Promise<SyncStatus>;
  /** Corrects and resends a refused operation; a changed mobile needs `code` (see syncResendCode). */
  syncResend(input: ResendInput): Promise<SyncStatus>;
  /** Sends a one-time code to the mobile a refused customer creation is corrected to. */
  syncResendCode(input: ResendCodeInput): Promise<CodeSentView>;
  syncDiscard(input: DiscardInput): Promise<SyncStatus>;
  /** Searches the local copy of the core's customers: works offline. */
  customerSearch(query: SearchQuery): Promise<CustomerHit[]>;
  /** The Customer 360 from the local copy (offline too); opening it is audited. */
  customerProfile(id: string): Promise<CustomerProfile>;
  /** Limits, usage and recent movements live from the core; `core_unavailable` offline. */
  customerLive(id: string): Promise<CustomerLive>;
  /** The whole resident ID, with a reason that goes into the audit trail. */
  customerRevealId(input: RevealInput): Promise<RevealedId>;
  customerAddNote(input: NoteInput): Promise<CustomerNote>;
  // Counter work, queued for the core through the outbox.
  walletChangeTier(input: TierChangeInput): Promise<QueuedChange>;
  walletLinkCard(input: CardLinkInput): Promise<QueuedChange>;
  customerRenewId(input: IdRenewalInput): Promise<QueuedChange>;
  consentWithdraw(input: ConsentWithdrawalInput): Promise<QueuedChange>;
  /** A receipt PDF for one of the customer's wallets (after an upgrade, or on request). */
  walletReceipt(input: WalletReceiptInput): Promise<BinaryFile>;
  /** The signed-in teller's unfinished onboarding, to resume after a restart. */
  onboardingResume(): Promise<Draft | null>;
  /** Saves the wizard's state; the mobile check and the screening are kept from the store. */
  onboardingSave(input: SaveDraftInput): Promise<Draft>;
  onboardingDiscard(id: number): Promise<null>;
  onboardingEvaluate(data: DraftData): Promise<Evaluation>;
  onboardingCheckId(text: string): Promise<IdFacts>;
  onboardingSendCode(id: number): Promise<CodeSentView>;
  onboardingVerifyCode(input: VerifyCodeInput): Promise<Draft>;
  onboardingScreen(id: number): Promise<Draft>;
  onboardingSubmit(id: number): Promise<SubmitResult>;
  /** The receipt PDF of a submitted onboarding; `conflict` until the core has confirmed it. */
  onboardingReceipt(id: number): Promise<BinaryFile>;
  // The complaint desk: every step returns the case as it now stands.
  complaintCategories(): Promise<Category[]>;
  complaintRegister(input: NewComplaintInput): Promise<ComplaintDetail>;
  complaintGet(caseId: number): Promise<ComplaintDetail>;
  complaintQueue(query: QueueQuery): Promise<QueuePage>;
  complaintAssign(input: AssignInput): Promise<ComplaintDetail>;
  complaintDeclareInterest(input: InterestInput): Promise<ComplaintDetail>;
  complaintAddNote(input: CaseTextInput): Promise<ComplaintDetail>;
  complaintLogContact(input: ContactInput): Promise<ComplaintDetail>;
  complaintAddRepresentative(input: AddRepresentativeInput): Promise<ComplaintDetail>;
  complaintPause(input: CaseTextInput): Promise<ComplaintDetail>;
  complaintResume(caseId: number): Promise<ComplaintDetail>;
  complaintExtendComplex(input: CaseTextInput): Promise<ComplaintDetail>;
  complaintNewFacts(input: CaseTextInput): Promise<ComplaintDetail>;
  complaintRequestExtension(input: CaseTextInput): Promise<ComplaintDetail>;
  complaintPendingExtensions(): Promise<PendingExtensionRow[]>;
  complaintDecideExtension(input: ExtensionDecisionInput): Promise<ComplaintDetail>;
  complaintExtensionNotified(extensionId: number): Promise<ComplaintDetail>;
  complaintMergeRepeat(input: MergeRepeatInput): Promise<ComplaintDetail>;
  complaintWithdraw(input: WithdrawInput): Promise<ComplaintDetail>;
  complaintDecide(input: DecideInput): Promise<ComplaintDetail>;
  complaintRequestReview(input: ReviewRequestInput): Promise<ComplaintDetail>;
  complaintRecordSurvey(input: SurveyInput): Promise<ComplaintDetail>;
  complaintSuggest(input: SuggestionInput): Promise<number>;
  complaintSuggestions(): Promise<Suggestion[]>;
  complaintStats(query: StatsQuery): Promise<StatsReport>;
  complaintStatsCsv(query: StatsQuery): Promise<ReportFile>;
  complaintStatsXlsx(query: StatsQuery): Promise<BinaryFile>;
  /** The decision letter of a decided case, as a PDF. */
  complaintLetter(request: LetterRequest): Promise<BinaryFile>;
}

export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

let instance: Backend | null = null;

/** The Tauri backend inside the app window; an in-memory one in a plain browser or a test. */
export function getBackend(): Backend {
  if (instance === null) {
    instance = inTauri() ? createTauriBackend() : createMemoryBackend(memoryOptionsFromUrl());
  }
  return instance;
}

/**
 * `npm run dev` helpers for the in-memory backend: `?fresh` starts at first-run setup,
 * `?user=admin` starts signed in, `?idle=60` sets the idle lock, `?offline`, `?live`.
 */
function memoryOptionsFromUrl() {
  const params = new URLSearchParams(window.location.search);
  const idle = Number(params.get('idle'));
  return {
    idleLockSecs: Number.isInteger(idle) && idle > 0 ? idle : undefined,
    needsSetup: params.has('fresh'),
    signedInAs: params.get('user') ?? undefined,
    coreConnected: !params.has('offline'),
    trainingMode: !params.has('live'),
  };
}
