import type { TFunction } from 'i18next';
import zhCN from '../../i18n/zh-CN.json';

/**
 * Every audit action core writes, as the locale files name them: crates/core/tests/words holds
 * the `actions` keys of both files to core's `audit::ACTIONS`, so this list is core's.
 */
export const KNOWN_ACTIONS: readonly string[] = Object.entries(zhCN.actions).flatMap(([area, verbs]) =>
  Object.keys(verbs).map((verb) => `${area}.${verb}`),
);

/** An action's words; a name the UI does not know (a newer core's) is shown as it is. */
export function actionLabel(t: TFunction, action: string): string {
  return KNOWN_ACTIONS.includes(action) ? t(`actions.${action}`) : action;
}
