import type { TFunction } from 'i18next';

export const DISPUTES_KEY = ['disputes'] as const;
export const EVIDENCE_KINDS = [
  'receipt',
  'statement',
  'merchantCorrespondence',
  'policeReport',
  'claimantId',
  'screenshot',
  'callRecord',
  'other',
] as const;

/** A reason code in words; a code the bank added without words shows as itself. */
export function reasonText(t: TFunction, code: string): string {
  return t(`disputes.reason.${code}`, { defaultValue: code });
}
