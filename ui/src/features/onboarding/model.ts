import type { DraftData } from '../../bindings/DraftData';
import type { FieldError } from '../../bindings/FieldError';

/** The wizard's steps, in order. The name is what `onboardingSave` stores as the step. */
export const STEPS = ['identity', 'mobile', 'checks', 'consents', 'wallet', 'preview'] as const;
export type Step = (typeof STEPS)[number];

export function isStep(value: string): value is Step {
  return STEPS.some((s) => s === value);
}

export function emptyData(): DraftData {
  return {
    name: '',
    residentId: '',
    mobile: '',
    mobileVerified: false,
    idCheckedInPerson: false,
    cardNumber: '',
    // Core sends the consents to ask for with each evaluation; none is given yet.
    consents: [],
    guardianName: '',
    tier: null,
    elderMode: false,
    otpChallenge: '',
    screening: null,
    campaign: '',
  };
}

/** Which problems keep the teller on a step (the preview needs all of them fixed). */
export function blocksStep(step: Step, problem: FieldError): boolean {
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
      return problem.field === 'tier' || problem.field === 'cardNumber' || problem.field === 'campaign';
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
