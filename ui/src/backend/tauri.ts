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
    syncDiscard: (input) => call('sync_discard', { input }),
    customerSearch: (query) => call('customer_search', { query }),
    onboardingResume: () => call('onboarding_resume'),
    onboardingSave: (input) => call('onboarding_save', { input }),
    onboardingDiscard: (id) => call('onboarding_discard', { id }),
    onboardingEvaluate: (data) => call('onboarding_evaluate', { data }),
    onboardingCheckId: (text) => call('onboarding_check_id', { text }),
    onboardingSendCode: (id) => call('onboarding_send_code', { id }),
    onboardingVerifyCode: (input) => call('onboarding_verify_code', { input }),
    onboardingScreen: (id) => call('onboarding_screen', { id }),
    onboardingSubmit: (id) => call('onboarding_submit', { id }),
  };
}
