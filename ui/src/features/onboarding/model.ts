import type { DraftData } from '../../bindings/DraftData';
import type { FieldProblem } from '../../bindings/FieldProblem';

/** The wizard's steps, in order. The name is what `onboardingSave` stores as the step. */
export const STEPS = ['identity', 'mobile', 'checks', 'consents', 'wallet', 'preview'] as const;
export type Step = (typeof STEPS)[number];

export function isStep(value: string): value is Step {
  return STEPS.some((s) => s === value);
}

/** The consents asked for, each separately (CONSENTS in crates/core/src/onboarding/console.rs). */
export const CONSENTS = [
  { scope: 'general-processing', version: '2026-01', required: true },
  { scope: 'sensitive-financial', version: '2026-01', required: true },
  { scope: 'third-party-sharing', version: '2026-01', required: false },
] as const;

/** Tier limits in CNY (DOMAIN.md default table); null: no limit. */
export interface TierLimits {
  balance: string | null;
  payment: string | null;
  day: string | null;
  year: string | null;
}

export const TIER_LIMITS: Record<number, TierLimits> = {
  1: { balance: null, payment: null, day: null, year: null },
  2: { balance: '500000.00', payment: '50000.00', day: '100000.00', year: null },
  3: { balance: '20000.00', payment: '5000.00', day: '10000.00', year: null },
  4: { balance: '10000.00', payment: '2000.00', day: '5000.00', year: '50000.00' },
};

export function emptyData(): DraftData {
  return {
    name: '',
    residentId: '',
    mobile: '',
    mobileVerified: false,
    idCheckedInPerson: false,
    cardNumber: '',
    consents: CONSENTS.map((c) => ({ scope: c.scope, version: c.version, given: false })),
    guardianName: '',
    tier: null,
    elderMode: false,
    otpChallenge: '',
    screening: null,
  };
}

/** Which problems keep the teller on a step (the preview needs all of them fixed). */
export function blocksStep(step: Step, problem: FieldProblem): boolean {
  switch (step) {
    case 'identity':
      return problem.field === 'name' || (problem.field === 'residentId' && problem.code !== 'possible_duplicate');
    case 'mobile':
      return problem.field === 'mobile';
    case 'checks':
      return problem.field === 'screening' || problem.code === 'possible_duplicate';
    case 'consents':
      return problem.field === 'consents' || problem.field === 'guardianName';
    case 'wallet':
      return problem.field === 'tier' || problem.field === 'cardNumber';
    case 'preview':
      return true;
  }
}

/** First 3 and last 4 digits of a mobile, or the text as typed when it is not 11 digits. */
export function maskMobile(text: string): string {
  let digits = text.replace(/\D/g, '');
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  return digits.length === 11 ? `${digits.slice(0, 3)}****${digits.slice(7)}` : text;
}

export function maskCard(text: string): string {
  const digits = text.replace(/\D/g, '');
  return digits === '' ? '' : `**** ${digits.slice(-4)}`;
}

/** The stable problem code inside an `invalid_input` message ("field: code (...)"), if any. */
export function problemCodeIn(message: string): string | null {
  const match = /(?:^|:\s*)([a-z][a-z0-9_-]*_[a-z0-9_-]+)/.exec(message);
  return match?.[1] ?? null;
}
