import { invoke } from '@tauri-apps/api/core';
import type { Backend } from './index';
import { toApiError } from './errors';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (err) {
    throw toApiError(err);
  }
}

export function createTauriBackend(): Backend {
  return {
    appStatus: () => call('app_status'),
    sessionState: () => call('session_state'),
    setupAdmin: (input) => call('setup_admin', { input }),
    signIn: (input) => call('sign_in', { input }),
    signOut: () => call('sign_out'),
    touch: () => call('touch'),
    lock: () => call('lock'),
    unlock: (input) => call('unlock', { input }),
    auditSearch: (query) => call('audit_search', { query }),
    auditVerify: () => call('audit_verify'),
    staffList: () => call('staff_list'),
    staffCreate: (input) => call('staff_create', { input }),
    settingsGet: () => call('settings_get'),
    settingsUpdate: (input) => call('settings_update', { input }),
    syncStatus: () => call('sync_status'),
    syncList: (state) => call('sync_list', { state }),
    syncNow: () => call('sync_now'),
    syncResend: (input) => call('sync_resend', { input }),
    syncResendCode: (input) => call('sync_resend_code', { input }),
    syncDiscard: (input) => call('sync_discard', { input }),
    customerSearch: (query) => call('customer_search', { query }),
    customerProfile: (id) => call('customer_profile', { id }),
    customerLive: (id) => call('customer_live', { id }),
    customerRevealId: (input) => call('customer_reveal_id', { input }),
    customerAddNote: (input) => call('customer_add_note', { input }),
    walletChangeTier: (input) => call('wallet_change_tier', { input }),
    walletLinkCard: (input) => call('wallet_link_card', { input }),
    customerRenewId: (input) => call('customer_renew_id', { input }),
    consentWithdraw: (input) => call('consent_withdraw', { input }),
    walletReceipt: (input) => call('wallet_receipt', { input }),
    onboardingResume: () => call('onboarding_resume'),
    onboardingSave: (input) => call('onboarding_save', { input }),
    onboardingDiscard: (id) => call('onboarding_discard', { id }),
    onboardingEvaluate: (data) => call('onboarding_evaluate', { data }),
    onboardingCheckId: (text) => call('onboarding_check_id', { text }),
    onboardingSendCode: (id) => call('onboarding_send_code', { id }),
    onboardingVerifyCode: (input) => call('onboarding_verify_code', { input }),
    onboardingScreen: (id) => call('onboarding_screen', { id }),
    onboardingSubmit: (id) => call('onboarding_submit', { id }),
    onboardingReceipt: (id) => call('onboarding_receipt', { id }),
    complaintCategories: () => call('complaint_categories'),
    complaintRegister: (input) => call('complaint_register', { input }),
    complaintGet: (caseId) => call('complaint_get', { caseId }),
    complaintQueue: (query) => call('complaint_queue', { query }),
    complaintAssign: (input) => call('complaint_assign', { input }),
    complaintDeclareInterest: (input) => call('complaint_declare_interest', { input }),
    complaintAddNote: (input) => call('complaint_add_note', { input }),
    complaintLogContact: (input) => call('complaint_log_contact', { input }),
    complaintAddRepresentative: (input) => call('complaint_add_representative', { input }),
    complaintPause: (input) => call('complaint_pause', { input }),
    complaintResume: (caseId) => call('complaint_resume', { caseId }),
    complaintExtendComplex: (input) => call('complaint_extend_complex', { input }),
    complaintNewFacts: (input) => call('complaint_new_facts', { input }),
    complaintRequestExtension: (input) => call('complaint_request_extension', { input }),
    complaintPendingExtensions: () => call('complaint_pending_extensions'),
    complaintDecideExtension: (input) => call('complaint_decide_extension', { input }),
    complaintExtensionNotified: (extensionId) => call('complaint_extension_notified', { extensionId }),
    complaintMergeRepeat: (input) => call('complaint_merge_repeat', { input }),
    complaintWithdraw: (input) => call('complaint_withdraw', { input }),
    complaintDecide: (input) => call('complaint_decide', { input }),
    complaintRequestReview: (input) => call('complaint_request_review', { input }),
    complaintRecordSurvey: (input) => call('complaint_record_survey', { input }),
    complaintSuggest: (input) => call('complaint_suggest', { input }),
    complaintSuggestions: () => call('complaint_suggestions'),
    complaintStats: (query) => call('complaint_stats', { query }),
    complaintStatsCsv: (query) => call('complaint_stats_csv', { query }),
    complaintStatsXlsx: (query) => call('complaint_stats_xlsx', { query }),
    complaintLetter: (request) => call('complaint_letter', { request }),
  };
}
