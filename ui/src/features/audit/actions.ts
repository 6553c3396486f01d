import type { TFunction } from 'i18next';

/** Audit action names the UI has words for; any other name is shown as it is. */
export const KNOWN_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.locked_out',
  'auth.sign_out',
  'session.idle_locked',
  'session.unlocked',
  'setup.admin_created',
  'staff.created',
  'settings.updated',
  'permission.refused',
  'audit.verified',
  'sync.resent',
  'sync.discarded',
] as const;

export function actionLabel(t: TFunction, action: string): string {
  return KNOWN_ACTIONS.some((a) => a === action) ? t(`actions.${action}`) : action;
}
