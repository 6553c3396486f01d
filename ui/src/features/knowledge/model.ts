import type { TFunction } from 'i18next';

/** The contract's categories, for their words on screen (core refuses any other). */
export const CATEGORIES = ['fees', 'limits', 'security', 'how-to', 'complaints'] as const;
export type Category = (typeof CATEGORIES)[number];
export const LANGUAGES = ['zh-CN', 'en'] as const;
export const FLAG_REASONS = ['wrong', 'out-of-date'] as const;

export const KB_KEY = ['knowledge'] as const;

export function categoryLabel(t: TFunction, category: string): string {
  return CATEGORIES.some((c) => c === category) ? t(`knowledge.category.${category}`) : category;
}

/** "fees" → "fees"; "how-to" → "howTo": i18n keys without dashes. */
export function reasonKey(reason: string): string {
  return reason === 'out-of-date' ? 'outOfDate' : reason;
}
