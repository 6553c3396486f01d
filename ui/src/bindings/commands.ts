// Generated from walletdesk_core::for_each_command by crates/core/tests/bindings. Do not edit.
import type { AddRepresentativeInput } from './AddRepresentativeInput';
import type { AppStatus } from './AppStatus';
import type { ApplyTemplateInput } from './ApplyTemplateInput';
import type { ApprovalItem } from './ApprovalItem';
import type { AssignInput } from './AssignInput';
import type { AttachmentInput } from './AttachmentInput';
import type { AttributionChangeInput } from './AttributionChangeInput';
import type { AuditPage } from './AuditPage';
import type { AuditQuery } from './AuditQuery';
import type { AuditVerify } from './AuditVerify';
import type { BinaryFile } from './BinaryFile';
import type { BoothCatalogue } from './BoothCatalogue';
import type { BoothInput } from './BoothInput';
import type { BoothToday } from './BoothToday';
import type { BranchChangeInput } from './BranchChangeInput';
import type { CalendarText } from './CalendarText';
import type { CalendarUpdate } from './CalendarUpdate';
import type { CallOutcomeInput } from './CallOutcomeInput';
import type { CampaignInput } from './CampaignInput';
import type { CardLinkInput } from './CardLinkInput';
import type { CaseTextInput } from './CaseTextInput';
import type { Category } from './Category';
import type { CategoryUpdateInput } from './CategoryUpdateInput';
import type { CodeSentView } from './CodeSentView';
import type { ComplaintDetail } from './ComplaintDetail';
import type { ConsentWithdrawalInput } from './ConsentWithdrawalInput';
import type { ContactInput } from './ContactInput';
import type { CounterIntake } from './CounterIntake';
import type { CreditDecisionInput } from './CreditDecisionInput';
import type { CustomerCases } from './CustomerCases';
import type { CustomerHit } from './CustomerHit';
import type { CustomerLive } from './CustomerLive';
import type { CustomerNote } from './CustomerNote';
import type { CustomerProfile } from './CustomerProfile';
import type { DecideInput } from './DecideInput';
import type { DeskSettings } from './DeskSettings';
import type { DeskView } from './DeskView';
import type { DiscardInput } from './DiscardInput';
import type { DisputeAssignInput } from './DisputeAssignInput';
import type { DisputeConfig } from './DisputeConfig';
import type { DisputeDecisionInput } from './DisputeDecisionInput';
import type { DisputeDetail } from './DisputeDetail';
import type { DisputeLetterRequest } from './DisputeLetterRequest';
import type { DisputeQueuePage } from './DisputeQueuePage';
import type { DisputeQueueQuery } from './DisputeQueueQuery';
import type { DisputeStatsQuery } from './DisputeStatsQuery';
import type { DisputeStatsReport } from './DisputeStatsReport';
import type { DisputeTakeOutcome } from './DisputeTakeOutcome';
import type { DisputeTextInput } from './DisputeTextInput';
import type { Draft } from './Draft';
import type { DraftData } from './DraftData';
import type { ElderAnswerInput } from './ElderAnswerInput';
import type { ElderEndInput } from './ElderEndInput';
import type { ElderEscalation } from './ElderEscalation';
import type { ElderPracticeEnterInput } from './ElderPracticeEnterInput';
import type { ElderPracticePayInput } from './ElderPracticePayInput';
import type { ElderResolveInput } from './ElderResolveInput';
import type { ElderRules } from './ElderRules';
import type { ElderScreen } from './ElderScreen';
import type { ElderSession } from './ElderSession';
import type { ElderSpeechInput } from './ElderSpeechInput';
import type { ElderStartInput } from './ElderStartInput';
import type { EscalateInput } from './EscalateInput';
import type { Evaluation } from './Evaluation';
import type { EvidenceInput } from './EvidenceInput';
import type { ExtensionDecisionInput } from './ExtensionDecisionInput';
import type { FeeQuote } from './FeeQuote';
import type { FeeQuoteInput } from './FeeQuoteInput';
import type { FilledTemplate } from './FilledTemplate';
import type { FollowUpCall } from './FollowUpCall';
import type { FollowUpQueue } from './FollowUpQueue';
import type { IdFacts } from './IdFacts';
import type { IdRenewalInput } from './IdRenewalInput';
import type { InsightAnswer } from './InsightAnswer';
import type { InsightCampaignQuery } from './InsightCampaignQuery';
import type { InsightCampaignView } from './InsightCampaignView';
import type { InsightCustomers } from './InsightCustomers';
import type { InsightDrill } from './InsightDrill';
import type { InsightExportInput } from './InsightExportInput';
import type { InsightFunnel } from './InsightFunnel';
import type { InsightPeriod } from './InsightPeriod';
import type { InsightQuery } from './InsightQuery';
import type { InsightTrend } from './InsightTrend';
import type { InterestInput } from './InterestInput';
import type { KbArticle } from './KbArticle';
import type { KbDesk } from './KbDesk';
import type { KbDraftInput } from './KbDraftInput';
import type { KbFlagInput } from './KbFlagInput';
import type { KbPublishInput } from './KbPublishInput';
import type { KbQuery } from './KbQuery';
import type { KbResults } from './KbResults';
import type { Lead } from './Lead';
import type { LeadConvertInput } from './LeadConvertInput';
import type { LeadInput } from './LeadInput';
import type { LeadList } from './LeadList';
import type { LeadOutcomeInput } from './LeadOutcomeInput';
import type { LetterRequest } from './LetterRequest';
import type { MergeRepeatInput } from './MergeRepeatInput';
import type { NewCategoryInput } from './NewCategoryInput';
import type { NewComplaintInput } from './NewComplaintInput';
import type { NewStaffInput } from './NewStaffInput';
import type { NoteInput } from './NoteInput';
import type { OpenDisputeInput } from './OpenDisputeInput';
import type { OutboxItem } from './OutboxItem';
import type { OutboxState } from './OutboxState';
import type { PasswordChangeInput } from './PasswordChangeInput';
import type { PauseToldInput } from './PauseToldInput';
import type { PendingExtensionRow } from './PendingExtensionRow';
import type { PendingTeamCredit } from './PendingTeamCredit';
import type { PendingTeamExtension } from './PendingTeamExtension';
import type { PeriodInput } from './PeriodInput';
import type { QrPosterRequest } from './QrPosterRequest';
import type { QueuePage } from './QueuePage';
import type { QueueQuery } from './QueueQuery';
import type { QueuedChange } from './QueuedChange';
import type { QueuedSave } from './QueuedSave';
import type { ReportFile } from './ReportFile';
import type { ResendCodeInput } from './ResendCodeInput';
import type { ResendInput } from './ResendInput';
import type { RevealInput } from './RevealInput';
import type { RevealedId } from './RevealedId';
import type { ReviewRequestInput } from './ReviewRequestInput';
import type { RoleChangeInput } from './RoleChangeInput';
import type { SaveDraftInput } from './SaveDraftInput';
import type { SearchQuery } from './SearchQuery';
import type { SessionState } from './SessionState';
import type { Settings } from './Settings';
import type { SettingsView } from './SettingsView';
import type { SetupAdminInput } from './SetupAdminInput';
import type { SignInInput } from './SignInInput';
import type { SignUpInput } from './SignUpInput';
import type { SignUpRow } from './SignUpRow';
import type { StaffSession } from './StaffSession';
import type { StaffSummary } from './StaffSummary';
import type { StatsQuery } from './StatsQuery';
import type { StatsReport } from './StatsReport';
import type { SubmitResult } from './SubmitResult';
import type { Suggestion } from './Suggestion';
import type { SuggestionInput } from './SuggestionInput';
import type { SurveyInput } from './SurveyInput';
import type { SyncStatus } from './SyncStatus';
import type { TakeOutcome } from './TakeOutcome';
import type { TeamCase } from './TeamCase';
import type { TeamDispute } from './TeamDispute';
import type { TeamDisputeDecisionInput } from './TeamDisputeDecisionInput';
import type { TeamDisputeEvidenceInput } from './TeamDisputeEvidenceInput';
import type { TeamDisputeOpDiscardInput } from './TeamDisputeOpDiscardInput';
import type { TeamDisputeOpInput } from './TeamDisputeOpInput';
import type { TeamDisputePage } from './TeamDisputePage';
import type { TeamDisputeStepInput } from './TeamDisputeStepInput';
import type { TeamDisputeTextInput } from './TeamDisputeTextInput';
import type { TeamExtensionDecisionInput } from './TeamExtensionDecisionInput';
import type { TeamQueuePage } from './TeamQueuePage';
import type { TeamQueueQuery } from './TeamQueueQuery';
import type { TeamStatus } from './TeamStatus';
import type { TeamStepInput } from './TeamStepInput';
import type { Template } from './Template';
import type { TemplateInput } from './TemplateInput';
import type { TemplateQuery } from './TemplateQuery';
import type { TierChangeInput } from './TierChangeInput';
import type { UnlockInput } from './UnlockInput';
import type { VerifyCodeInput } from './VerifyCodeInput';
import type { WalletReceiptInput } from './WalletReceiptInput';
import type { WithdrawInput } from './WithdrawInput';

/**
 * Everything the UI may ask of the app, one method per command. Every method rejects with
 * an `ApiError` (`{code, message}`), never with anything else.
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
  staffList(): Promise<Array<StaffSummary>>;
  staffCreate(input: NewStaffInput): Promise<StaffSummary>;
  /** Ends the account's sessions and sign-ins; it stays listed and in the audit trail. */
  staffDeactivate(staffId: number): Promise<StaffSummary>;
  staffReactivate(staffId: number): Promise<StaffSummary>;
  /** Takes effect at the account's next command. */
  staffSetRole(input: RoleChangeInput): Promise<StaffSummary>;
  /** A supervisor's branch for Insights (empty: head office); supervisors only. */
  staffSetBranch(input: BranchChangeInput): Promise<StaffSummary>;
  /** The owner sets a new password at the next sign-in, before anything else. */
  staffRequirePasswordChange(staffId: number): Promise<StaffSummary>;
  /** The signed-in staff member's own password; lifts a required change. */
  passwordChange(input: PasswordChangeInput): Promise<StaffSession>;
  settingsGet(): Promise<SettingsView>;
  settingsUpdate(input: Settings): Promise<SettingsView>;
  syncStatus(): Promise<SyncStatus>;
  /** Newest first; `state` null lists every state. */
  syncList(state: OutboxState | null): Promise<Array<OutboxItem>>;
  syncNow(): Promise<SyncStatus>;
  /** Corrects and resends a refused operation; a changed mobile needs `code` (see syncResendCode). */
  syncResend(input: ResendInput): Promise<SyncStatus>;
  /** Sends a one-time code to the mobile a refused customer creation is corrected to. */
  syncResendCode(input: ResendCodeInput): Promise<CodeSentView>;
  syncDiscard(input: DiscardInput): Promise<SyncStatus>;
  /** Searches the local copy of the core's customers: works offline. */
  customerSearch(query: SearchQuery): Promise<Array<CustomerHit>>;
  /** The Customer 360 from the local copy (offline too); opening it is audited. */
  customerProfile(id: string): Promise<CustomerProfile>;
  /** Limits, usage and recent movements live from the core; `core_unavailable` offline. */
  customerLive(id: string): Promise<CustomerLive>;
  /** The whole resident ID, with a reason that goes into the audit trail. */
  customerRevealId(input: RevealInput): Promise<RevealedId>;
  customerAddNote(input: NoteInput): Promise<CustomerNote>;
  walletChangeTier(input: TierChangeInput): Promise<QueuedChange>;
  walletLinkCard(input: CardLinkInput): Promise<QueuedChange>;
  customerRenewId(input: IdRenewalInput): Promise<QueuedChange>;
  consentWithdraw(input: ConsentWithdrawalInput): Promise<QueuedChange>;
  /** A receipt PDF for one of the customer's wallets (after an upgrade, or on request). */
  walletReceipt(input: WalletReceiptInput): Promise<BinaryFile>;
  /** The decision letter of a decided case, as a PDF. */
  complaintLetter(request: LetterRequest): Promise<BinaryFile>;
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
  complaintCategories(): Promise<Array<Category>>;
  complaintCategoryCreate(input: NewCategoryInput): Promise<Category>;
  complaintCalendar(): Promise<CalendarText>;
  complaintCalendarSet(input: CalendarText): Promise<CalendarUpdate>;
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
  complaintPendingExtensions(): Promise<Array<PendingExtensionRow>>;
  complaintDecideExtension(input: ExtensionDecisionInput): Promise<ComplaintDetail>;
  complaintExtensionNotified(extensionId: number): Promise<ComplaintDetail>;
  complaintMergeRepeat(input: MergeRepeatInput): Promise<ComplaintDetail>;
  complaintWithdraw(input: WithdrawInput): Promise<ComplaintDetail>;
  complaintDecide(input: DecideInput): Promise<ComplaintDetail>;
  complaintRequestReview(input: ReviewRequestInput): Promise<ComplaintDetail>;
  complaintRecordSurvey(input: SurveyInput): Promise<ComplaintDetail>;
  complaintSuggest(input: SuggestionInput): Promise<number>;
  complaintSuggestions(): Promise<Array<Suggestion>>;
  complaintGrantReward(suggestionId: number): Promise<null>;
  complaintStats(query: StatsQuery): Promise<StatsReport>;
  complaintStatsCsv(query: StatsQuery): Promise<ReportFile>;
  complaintStatsXlsx(query: StatsQuery): Promise<BinaryFile>;
  complaintRegulatorReport(period: PeriodInput): Promise<ReportFile>;
  /** The deployment's policy set and reason codes. */
  disputeConfig(): Promise<DisputeConfig>;
  /** Pulls the transaction from the core (online); one dispute per transaction. */
  disputeOpen(input: OpenDisputeInput): Promise<DisputeDetail>;
  disputeGet(disputeId: number): Promise<DisputeDetail>;
  disputeQueue(query: DisputeQueueQuery): Promise<DisputeQueuePage>;
  disputeAssign(input: DisputeAssignInput): Promise<DisputeDetail>;
  disputeAddEvidence(input: EvidenceInput): Promise<DisputeDetail>;
  disputeProposeCredit(input: DisputeTextInput): Promise<DisputeDetail>;
  /** Complaint extensions and provisional credits waiting for the level above. */
  approvalsInbox(): Promise<Array<ApprovalItem>>;
  /** Never by the proposer. */
  disputeDecideCredit(input: CreditDecisionInput): Promise<DisputeDetail>;
  disputeCustomerTold(disputeId: number): Promise<DisputeDetail>;
  disputeExtend(disputeId: number): Promise<DisputeDetail>;
  disputeDecide(input: DisputeDecisionInput): Promise<DisputeDetail>;
  disputeChargeback(disputeId: number): Promise<DisputeDetail>;
  /** Evidence with a file: size-capped, type checked by content, sealed, hashed. */
  disputeAttach(input: AttachmentInput): Promise<DisputeDetail>;
  /** An attached file; opening it is audited. */
  disputeAttachment(attachmentId: number): Promise<BinaryFile>;
  /** The customer's disputes and complaints, for the Customer 360 (offline too). */
  customerCases(customerId: string): Promise<CustomerCases>;
  /** By reason: outcomes, on-time rate, amounts credited and recovered. */
  disputeStats(query: DisputeStatsQuery): Promise<DisputeStatsReport>;
  disputeStatsCsv(query: DisputeStatsQuery): Promise<ReportFile>;
  disputeStatsXlsx(query: DisputeStatsQuery): Promise<BinaryFile>;
  /** The provisional credit notice or the decision letter, as a PDF. */
  disputeLetter(request: DisputeLetterRequest): Promise<BinaryFile>;
  /** The booths and campaigns the signed-in staff member works, from the local copy (offline too). */
  boothCatalogue(): Promise<BoothCatalogue>;
  /** Queues a campaign for the core, created or replaced whole. */
  campaignSave(input: CampaignInput): Promise<QueuedSave>;
  /** Queues a booth for the core, created or replaced whole. */
  boothSave(input: BoothInput): Promise<QueuedSave>;
  /** A tier 4 sign-up with the mobile only, queued for the core (works offline). */
  boothSignUp(input: SignUpInput): Promise<SignUpRow>;
  /** The booth's sign-ups today and what the core has confirmed of them. */
  boothToday(booth: string): Promise<BoothToday>;
  /** The desk's panes for the signed-in role, and the desk's settings. */
  complaintDesk(): Promise<DeskView>;
  /** Policy figures, maximum representatives, review team; new cases start under them. */
  complaintDeskSettingsSet(input: DeskSettings): Promise<DeskView>;
  /** Escalates the case to a supervisor by hand, with a reason. */
  complaintEscalate(input: EscalateInput): Promise<ComplaintDetail>;
  /** Records that the customer was told of the appraisal pause, and how. */
  complaintPauseTold(input: PauseToldInput): Promise<ComplaintDetail>;
  /** Reply templates for a category (its own, its parents', the general ones). */
  complaintTemplates(query: TemplateQuery): Promise<Array<Template>>;
  /** Adds or replaces a reply template; placeholders checked. */
  complaintTemplateSave(input: TemplateInput): Promise<Template>;
  /** A template filled from the case, to edit before saving. */
  complaintTemplateApply(input: ApplyTemplateInput): Promise<FilledTemplate>;
  /** Renames or retires a category; its code stays. */
  complaintCategoryUpdate(input: CategoryUpdateInput): Promise<Category>;
  /** Searches the local copy of the knowledge base (Chinese and English): works offline. */
  kbSearch(query: KbQuery): Promise<KbResults>;
  /** One article; head office also gets the draft and the flags. */
  kbArticle(id: string): Promise<KbArticle>;
  /** Flags an article as wrong or out of date; the flag goes to head office through the outbox. */
  kbFlag(input: KbFlagInput): Promise<QueuedChange>;
  /** Head office writes a draft (no id: a new article). */
  kbSaveDraft(input: KbDraftInput): Promise<KbArticle>;
  /** Publishes the draft the checker read; never its author's. */
  kbPublish(input: KbPublishInput): Promise<KbArticle>;
  /** Head office's drafts waiting for a checker and staff's flags. */
  kbDesk(): Promise<KbDesk>;
  /** A promotion metric by dimension against the period before, within the staff member's scope; offline, the last answer kept. */
  insightsReport(query: InsightQuery): Promise<InsightAnswer>;
  /** The customers behind a number (masked), audited. */
  insightsCustomers(drill: InsightDrill): Promise<InsightCustomers>;
  /** Any Insights table as CSV or XLSX, audited. */
  insightsExport(input: InsightExportInput): Promise<BinaryFile>;
  /** The metric over the period in up to 12 buckets, for the trend line; offline, the last answer kept. */
  insightsTrend(query: InsightQuery): Promise<InsightTrend>;
  /** Lead, sign-up, verified, activated, active over the period, within the scope. */
  insightsFunnel(query: InsightQuery): Promise<InsightFunnel>;
  /** One campaign before and after: its branches before, during, and the branches without it. */
  insightsCampaign(query: InsightCampaignQuery): Promise<InsightCampaignView>;
  /** One campaign on one A4 page in zh-CN (tiles, before/after bars, trend, funnel) as a PDF, audited; offline, from the answers kept. */
  insightsCampaignReport(query: InsightCampaignQuery): Promise<BinaryFile>;
  /** The period the dashboard opens on: the last 30 days of the bank's calendar (Beijing), today included. */
  insightsPeriod(): Promise<InsightPeriod>;
  /** The assisted setup's rules: offer age, anti-fraud questions, call days, undo window. */
  elderRules(): Promise<ElderRules>;
  /** A supervisor changes the rules; validated in core. */
  elderRulesSet(input: ElderRules): Promise<ElderRules>;
  /** Starts an assisted setup with the customer beside the staff member. */
  elderStart(input: ElderStartInput): Promise<ElderSession>;
  /** The signed-in staff member's open assisted setup. */
  elderCurrent(): Promise<ElderSession | null>;
  elderGet(sessionId: number): Promise<ElderSession>;
  /** Staff go on; refused while the customer answers or a supervisor must decide. */
  elderNext(sessionId: number): Promise<ElderSession>;
  elderEnd(input: ElderEndInput): Promise<ElderSession>;
  elderSpeechRate(input: ElderSpeechInput): Promise<ElderSession>;
  /** Customer window: the step on screen, in plain words. */
  elderScreen(): Promise<ElderScreen | null>;
  /** Customer window: an answer; a yes stops the setup and escalates. */
  elderAnswer(input: ElderAnswerInput): Promise<ElderScreen>;
  /** Customer window: read it again. */
  elderRepeat(): Promise<ElderScreen>;
  /** Customer window: I need more time. */
  elderMoreTime(): Promise<ElderScreen>;
  /** A supervisor's outcome on a stopped setup, with a reason. */
  elderResolve(input: ElderResolveInput): Promise<ElderEscalation>;
  /** The take-home large-print guide PDF; printing is audited. */
  elderGuide(sessionId: number): Promise<BinaryFile>;
  /** This branch's follow-up calls due today and overdue. */
  elderFollowUps(): Promise<FollowUpQueue>;
  /** A call's outcome; a fraud concern escalates to a supervisor. */
  elderFollowUpRecord(input: CallOutcomeInput): Promise<FollowUpCall>;
  /** Customer window: the practice payment's payee or amount. */
  elderPracticeEnter(input: ElderPracticeEnterInput): Promise<ElderScreen>;
  /** Customer window: pay with the payment password (online; never stored). */
  elderPracticePay(input: ElderPracticePayInput): Promise<ElderScreen>;
  /** Customer window: undo the practice payment within the undo window (outbox). */
  elderPracticeUndo(): Promise<ElderScreen>;
  /** A supervisor corrects who won a customer (campaign, booth, staff, channel), with a reason. */
  attributionChange(input: AttributionChangeInput): Promise<QueuedChange>;
  /** Takes a lead at the booth: only with the person's separate consent to be contacted. */
  leadTake(input: LeadInput): Promise<Lead>;
  /** The staff member's leads: overdue, due today, later, closed (a supervisor: everyone's). */
  boothLeads(): Promise<LeadList>;
  /** Records what came of a follow-up: contacted (next day), not interested, unreachable. */
  leadOutcome(input: LeadOutcomeInput): Promise<Lead>;
  /** Signs the lead up, credited to the lead's campaign, booth and staff member. */
  leadConvert(input: LeadConvertInput): Promise<SignUpRow>;
  /** Sets how many days leads that do not become customers are kept. */
  leadRetentionSet(days: number): Promise<LeadList>;
  /** The poster and table card PDF of a core-signed self sign-up QR code for a campaign, booth and staff member. */
  boothQrPoster(input: QrPosterRequest): Promise<BinaryFile>;
  /** The fees of a wallet tier from the core's schedule (offline: the last copy), a campaign's waiver promised. */
  feeQuote(input: FeeQuoteInput): Promise<FeeQuote>;
  /** Whether this console works a team queue, the queue's version as last heard, complaints kept here. */
  teamStatus(): Promise<TeamStatus>;
  /** A complaint logged at the counter into the team queue, or kept here while the server is away. */
  teamRegister(input: NewComplaintInput): Promise<CounterIntake>;
  /** One page of the team's open cases in due order. */
  teamQueue(query: TeamQueueQuery): Promise<TeamQueuePage>;
  /** Takes a case; if a colleague holds it, says who. */
  teamTake(caseId: number): Promise<TakeOutcome>;
  /** Takes the team's first unassigned case in due order (none: the queue is empty). */
  teamTakeNext(): Promise<TeamCase | null>;
  teamCase(caseId: number): Promise<TeamCase>;
  /** A note on a case, at the version the screen showed. */
  teamNote(input: TeamStepInput): Promise<TeamCase>;
  /** Asks the level above for an extension, with the reason. */
  teamExtend(input: TeamStepInput): Promise<TeamCase>;
  /** Decides a case with the findings; the clock stops. */
  teamDecide(input: TeamStepInput): Promise<TeamCase>;
  /** Extensions waiting for the level above, never shown to their requester as theirs to approve. */
  teamPendingExtensions(): Promise<Array<PendingTeamExtension>>;
  /** Approves or refuses an extension (never the requester). */
  teamDecideExtension(input: TeamExtensionDecisionInput): Promise<TeamCase>;
  /** Opens a team dispute on a transaction the core lists (online); one per transaction across the team. */
  teamDisputeOpen(input: OpenDisputeInput): Promise<TeamDispute>;
  /** One page of the team's open disputes in due order. */
  teamDisputeQueue(query: TeamQueueQuery): Promise<TeamDisputePage>;
  teamDispute(disputeId: number): Promise<TeamDispute>;
  /** Takes a dispute; if a colleague holds it, says who. */
  teamDisputeTake(disputeId: number): Promise<DisputeTakeOutcome>;
  /** Text evidence, at the version the screen showed. */
  teamDisputeEvidence(input: TeamDisputeEvidenceInput): Promise<TeamDispute>;
  /** Proposes a provisional credit for a supervisor who is not the proposer. */
  teamDisputeProposeCredit(input: TeamDisputeTextInput): Promise<TeamDispute>;
  /** Provisional credits waiting in the team's approvals inbox. */
  teamDisputePendingCredits(): Promise<Array<PendingTeamCredit>>;
  /** Never by the proposer. */
  teamDisputeDecideCredit(input: CreditDecisionInput): Promise<TeamDispute>;
  teamDisputeCustomerTold(input: TeamDisputeStepInput): Promise<TeamDispute>;
  teamDisputeExtend(input: TeamDisputeStepInput): Promise<TeamDispute>;
  teamDisputeDecide(input: TeamDisputeDecisionInput): Promise<TeamDispute>;
  teamDisputeChargeback(input: TeamDisputeStepInput): Promise<TeamDispute>;
  /** Team mode for the dispute screens: whether this console works the team's dispute queue, and its version. */
  teamDisputeStatus(): Promise<TeamStatus>;
  /** Takes the team's first unassigned dispute in due order (none: nothing is free). */
  teamDisputeTakeNext(): Promise<TeamDispute | null>;
  /** Sends a core op that needs attention again (a dispute supervisor). */
  teamDisputeOpResend(input: TeamDisputeOpInput): Promise<TeamDispute>;
  /** Sets a core op that needs attention aside, with a reason (a dispute supervisor). */
  teamDisputeOpDiscard(input: TeamDisputeOpDiscardInput): Promise<TeamDispute>;
}

/** Each method's command and its argument names in order, camelCase as both transports take them. */
export const COMMANDS = {
  appStatus: { command: 'app_status', args: [] },
  sessionState: { command: 'session_state', args: [] },
  setupAdmin: { command: 'setup_admin', args: ['input'] },
  signIn: { command: 'sign_in', args: ['input'] },
  signOut: { command: 'sign_out', args: [] },
  touch: { command: 'touch', args: [] },
  lock: { command: 'lock', args: [] },
  unlock: { command: 'unlock', args: ['input'] },
  auditSearch: { command: 'audit_search', args: ['query'] },
  auditVerify: { command: 'audit_verify', args: [] },
  staffList: { command: 'staff_list', args: [] },
  staffCreate: { command: 'staff_create', args: ['input'] },
  staffDeactivate: { command: 'staff_deactivate', args: ['staffId'] },
  staffReactivate: { command: 'staff_reactivate', args: ['staffId'] },
  staffSetRole: { command: 'staff_set_role', args: ['input'] },
  staffSetBranch: { command: 'staff_set_branch', args: ['input'] },
  staffRequirePasswordChange: { command: 'staff_require_password_change', args: ['staffId'] },
  passwordChange: { command: 'password_change', args: ['input'] },
  settingsGet: { command: 'settings_get', args: [] },
  settingsUpdate: { command: 'settings_update', args: ['input'] },
  syncStatus: { command: 'sync_status', args: [] },
  syncList: { command: 'sync_list', args: ['state'] },
  syncNow: { command: 'sync_now', args: [] },
  syncResend: { command: 'sync_resend', args: ['input'] },
  syncResendCode: { command: 'sync_resend_code', args: ['input'] },
  syncDiscard: { command: 'sync_discard', args: ['input'] },
  customerSearch: { command: 'customer_search', args: ['query'] },
  customerProfile: { command: 'customer_profile', args: ['id'] },
  customerLive: { command: 'customer_live', args: ['id'] },
  customerRevealId: { command: 'customer_reveal_id', args: ['input'] },
  customerAddNote: { command: 'customer_add_note', args: ['input'] },
  walletChangeTier: { command: 'wallet_change_tier', args: ['input'] },
  walletLinkCard: { command: 'wallet_link_card', args: ['input'] },
  customerRenewId: { command: 'customer_renew_id', args: ['input'] },
  consentWithdraw: { command: 'consent_withdraw', args: ['input'] },
  walletReceipt: { command: 'wallet_receipt', args: ['input'] },
  complaintLetter: { command: 'complaint_letter', args: ['request'] },
  onboardingResume: { command: 'onboarding_resume', args: [] },
  onboardingSave: { command: 'onboarding_save', args: ['input'] },
  onboardingDiscard: { command: 'onboarding_discard', args: ['id'] },
  onboardingEvaluate: { command: 'onboarding_evaluate', args: ['data'] },
  onboardingCheckId: { command: 'onboarding_check_id', args: ['text'] },
  onboardingSendCode: { command: 'onboarding_send_code', args: ['id'] },
  onboardingVerifyCode: { command: 'onboarding_verify_code', args: ['input'] },
  onboardingScreen: { command: 'onboarding_screen', args: ['id'] },
  onboardingSubmit: { command: 'onboarding_submit', args: ['id'] },
  onboardingReceipt: { command: 'onboarding_receipt', args: ['id'] },
  complaintCategories: { command: 'complaint_categories', args: [] },
  complaintCategoryCreate: { command: 'complaint_category_create', args: ['input'] },
  complaintCalendar: { command: 'complaint_calendar', args: [] },
  complaintCalendarSet: { command: 'complaint_calendar_set', args: ['input'] },
  complaintRegister: { command: 'complaint_register', args: ['input'] },
  complaintGet: { command: 'complaint_get', args: ['caseId'] },
  complaintQueue: { command: 'complaint_queue', args: ['query'] },
  complaintAssign: { command: 'complaint_assign', args: ['input'] },
  complaintDeclareInterest: { command: 'complaint_declare_interest', args: ['input'] },
  complaintAddNote: { command: 'complaint_add_note', args: ['input'] },
  complaintLogContact: { command: 'complaint_log_contact', args: ['input'] },
  complaintAddRepresentative: { command: 'complaint_add_representative', args: ['input'] },
  complaintPause: { command: 'complaint_pause', args: ['input'] },
  complaintResume: { command: 'complaint_resume', args: ['caseId'] },
  complaintExtendComplex: { command: 'complaint_extend_complex', args: ['input'] },
  complaintNewFacts: { command: 'complaint_new_facts', args: ['input'] },
  complaintRequestExtension: { command: 'complaint_request_extension', args: ['input'] },
  complaintPendingExtensions: { command: 'complaint_pending_extensions', args: [] },
  complaintDecideExtension: { command: 'complaint_decide_extension', args: ['input'] },
  complaintExtensionNotified: { command: 'complaint_extension_notified', args: ['extensionId'] },
  complaintMergeRepeat: { command: 'complaint_merge_repeat', args: ['input'] },
  complaintWithdraw: { command: 'complaint_withdraw', args: ['input'] },
  complaintDecide: { command: 'complaint_decide', args: ['input'] },
  complaintRequestReview: { command: 'complaint_request_review', args: ['input'] },
  complaintRecordSurvey: { command: 'complaint_record_survey', args: ['input'] },
  complaintSuggest: { command: 'complaint_suggest', args: ['input'] },
  complaintSuggestions: { command: 'complaint_suggestions', args: [] },
  complaintGrantReward: { command: 'complaint_grant_reward', args: ['suggestionId'] },
  complaintStats: { command: 'complaint_stats', args: ['query'] },
  complaintStatsCsv: { command: 'complaint_stats_csv', args: ['query'] },
  complaintStatsXlsx: { command: 'complaint_stats_xlsx', args: ['query'] },
  complaintRegulatorReport: { command: 'complaint_regulator_report', args: ['period'] },
  disputeConfig: { command: 'dispute_config', args: [] },
  disputeOpen: { command: 'dispute_open', args: ['input'] },
  disputeGet: { command: 'dispute_get', args: ['disputeId'] },
  disputeQueue: { command: 'dispute_queue', args: ['query'] },
  disputeAssign: { command: 'dispute_assign', args: ['input'] },
  disputeAddEvidence: { command: 'dispute_add_evidence', args: ['input'] },
  disputeProposeCredit: { command: 'dispute_propose_credit', args: ['input'] },
  approvalsInbox: { command: 'approvals_inbox', args: [] },
  disputeDecideCredit: { command: 'dispute_decide_credit', args: ['input'] },
  disputeCustomerTold: { command: 'dispute_customer_told', args: ['disputeId'] },
  disputeExtend: { command: 'dispute_extend', args: ['disputeId'] },
  disputeDecide: { command: 'dispute_decide', args: ['input'] },
  disputeChargeback: { command: 'dispute_chargeback', args: ['disputeId'] },
  disputeAttach: { command: 'dispute_attach', args: ['input'] },
  disputeAttachment: { command: 'dispute_attachment', args: ['attachmentId'] },
  customerCases: { command: 'customer_cases', args: ['customerId'] },
  disputeStats: { command: 'dispute_stats', args: ['query'] },
  disputeStatsCsv: { command: 'dispute_stats_csv', args: ['query'] },
  disputeStatsXlsx: { command: 'dispute_stats_xlsx', args: ['query'] },
  disputeLetter: { command: 'dispute_letter', args: ['request'] },
  boothCatalogue: { command: 'booth_catalogue', args: [] },
  campaignSave: { command: 'campaign_save', args: ['input'] },
  boothSave: { command: 'booth_save', args: ['input'] },
  boothSignUp: { command: 'booth_sign_up', args: ['input'] },
  boothToday: { command: 'booth_today', args: ['booth'] },
  complaintDesk: { command: 'complaint_desk', args: [] },
  complaintDeskSettingsSet: { command: 'complaint_desk_settings_set', args: ['input'] },
  complaintEscalate: { command: 'complaint_escalate', args: ['input'] },
  complaintPauseTold: { command: 'complaint_pause_told', args: ['input'] },
  complaintTemplates: { command: 'complaint_templates', args: ['query'] },
  complaintTemplateSave: { command: 'complaint_template_save', args: ['input'] },
  complaintTemplateApply: { command: 'complaint_template_apply', args: ['input'] },
  complaintCategoryUpdate: { command: 'complaint_category_update', args: ['input'] },
  kbSearch: { command: 'kb_search', args: ['query'] },
  kbArticle: { command: 'kb_article', args: ['id'] },
  kbFlag: { command: 'kb_flag', args: ['input'] },
  kbSaveDraft: { command: 'kb_save_draft', args: ['input'] },
  kbPublish: { command: 'kb_publish', args: ['input'] },
  kbDesk: { command: 'kb_desk', args: [] },
  insightsReport: { command: 'insights_report', args: ['query'] },
  insightsCustomers: { command: 'insights_customers', args: ['drill'] },
  insightsExport: { command: 'insights_export', args: ['input'] },
  insightsTrend: { command: 'insights_trend', args: ['query'] },
  insightsFunnel: { command: 'insights_funnel', args: ['query'] },
  insightsCampaign: { command: 'insights_campaign', args: ['query'] },
  insightsCampaignReport: { command: 'insights_campaign_report', args: ['query'] },
  insightsPeriod: { command: 'insights_period', args: [] },
  elderRules: { command: 'elder_rules', args: [] },
  elderRulesSet: { command: 'elder_rules_set', args: ['input'] },
  elderStart: { command: 'elder_start', args: ['input'] },
  elderCurrent: { command: 'elder_current', args: [] },
  elderGet: { command: 'elder_get', args: ['sessionId'] },
  elderNext: { command: 'elder_next', args: ['sessionId'] },
  elderEnd: { command: 'elder_end', args: ['input'] },
  elderSpeechRate: { command: 'elder_speech_rate', args: ['input'] },
  elderScreen: { command: 'elder_screen', args: [] },
  elderAnswer: { command: 'elder_answer', args: ['input'] },
  elderRepeat: { command: 'elder_repeat', args: [] },
  elderMoreTime: { command: 'elder_more_time', args: [] },
  elderResolve: { command: 'elder_resolve', args: ['input'] },
  elderGuide: { command: 'elder_guide', args: ['sessionId'] },
  elderFollowUps: { command: 'elder_follow_ups', args: [] },
  elderFollowUpRecord: { command: 'elder_follow_up_record', args: ['input'] },
  elderPracticeEnter: { command: 'elder_practice_enter', args: ['input'] },
  elderPracticePay: { command: 'elder_practice_pay', args: ['input'] },
  elderPracticeUndo: { command: 'elder_practice_undo', args: [] },
  attributionChange: { command: 'attribution_change', args: ['input'] },
  leadTake: { command: 'lead_take', args: ['input'] },
  boothLeads: { command: 'booth_leads', args: [] },
  leadOutcome: { command: 'lead_outcome', args: ['input'] },
  leadConvert: { command: 'lead_convert', args: ['input'] },
  leadRetentionSet: { command: 'lead_retention_set', args: ['days'] },
  boothQrPoster: { command: 'booth_qr_poster', args: ['input'] },
  feeQuote: { command: 'fee_quote', args: ['input'] },
  teamStatus: { command: 'team_status', args: [] },
  teamRegister: { command: 'team_register', args: ['input'] },
  teamQueue: { command: 'team_queue', args: ['query'] },
  teamTake: { command: 'team_take', args: ['caseId'] },
  teamTakeNext: { command: 'team_take_next', args: [] },
  teamCase: { command: 'team_case', args: ['caseId'] },
  teamNote: { command: 'team_note', args: ['input'] },
  teamExtend: { command: 'team_extend', args: ['input'] },
  teamDecide: { command: 'team_decide', args: ['input'] },
  teamPendingExtensions: { command: 'team_pending_extensions', args: [] },
  teamDecideExtension: { command: 'team_decide_extension', args: ['input'] },
  teamDisputeOpen: { command: 'team_dispute_open', args: ['input'] },
  teamDisputeQueue: { command: 'team_dispute_queue', args: ['query'] },
  teamDispute: { command: 'team_dispute', args: ['disputeId'] },
  teamDisputeTake: { command: 'team_dispute_take', args: ['disputeId'] },
  teamDisputeEvidence: { command: 'team_dispute_evidence', args: ['input'] },
  teamDisputeProposeCredit: { command: 'team_dispute_propose_credit', args: ['input'] },
  teamDisputePendingCredits: { command: 'team_dispute_pending_credits', args: [] },
  teamDisputeDecideCredit: { command: 'team_dispute_decide_credit', args: ['input'] },
  teamDisputeCustomerTold: { command: 'team_dispute_customer_told', args: ['input'] },
  teamDisputeExtend: { command: 'team_dispute_extend', args: ['input'] },
  teamDisputeDecide: { command: 'team_dispute_decide', args: ['input'] },
  teamDisputeChargeback: { command: 'team_dispute_chargeback', args: ['input'] },
  teamDisputeStatus: { command: 'team_dispute_status', args: [] },
  teamDisputeTakeNext: { command: 'team_dispute_take_next', args: [] },
  teamDisputeOpResend: { command: 'team_dispute_op_resend', args: ['input'] },
  teamDisputeOpDiscard: { command: 'team_dispute_op_discard', args: ['input'] },
} as const satisfies Record<keyof Backend, { command: string; args: readonly string[] }>;
