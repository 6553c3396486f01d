import type { Backend } from '../backend';
import type { DraftData } from '../bindings/DraftData';
import { setFaults, syncRound, type World } from './render';

/**
 * Work made through real commands on a test's world: no state here is written behind the
 * core's back.
 */

/**
 * Test data: a well-formed 18-character resident ID from its first 17 characters (area, birth
 * date, sequence). The core checks IDs; this only makes ones it will accept.
 */
export function withCheckChar(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + Number(first17.charAt(i)) * w, 0);
  return first17 + '10X98765432'.charAt(sum % 11);
}

/** A valid resident ID (born 1980-01-01 in Beijing Xicheng) for sequence `n`. */
export function residentId(n: number): string {
  return withCheckChar(`11010219800101${String(n % 1000).padStart(3, '0')}`);
}

/** Every consent given (test data: the scopes of the core's current consent texts). */
export const ALL_CONSENTS = ['general-processing', 'sensitive-financial', 'third-party-sharing'].map((scope) => ({
  scope,
  version: '2026-01',
  given: true,
}));

/** A teller's onboarding through every step, submitted: answers the draft id. */
export async function onboard(backend: Backend, who: { name: string; residentId: string; mobile: string }): Promise<number> {
  const data: DraftData = {
    name: who.name,
    residentId: who.residentId,
    mobile: who.mobile,
    mobileVerified: false,
    idCheckedInPerson: false,
    cardNumber: '',
    consents: ALL_CONSENTS,
    guardianName: '',
    tier: 3,
    elderMode: false,
    otpChallenge: '',
    screening: null,
    campaign: '',
  };
  const draft = await backend.onboardingSave({ id: null, step: 'identity', data });
  const sent = await backend.onboardingSendCode(draft.id);
  await backend.onboardingVerifyCode({ draftId: draft.id, code: sent.trainingCode ?? '' });
  await backend.onboardingScreen(draft.id);
  await backend.onboardingSubmit(draft.id);
  return draft.id;
}

/** The outbox items `queueDemoWork` made, by what became of them. */
export interface DemoWork {
  /** Sent and applied (the first customer's creation). */
  done: number;
  /** The second customer's creation, refused for good: its mobile is the first's. */
  attention: number;
  /** A card link the core failed (503) once; waiting to retry. */
  retrying: number;
  /** The newest: a card link not sent yet. */
  newest: number;
  /** Everything, newest first. */
  all: number[];
}

/**
 * In a `manualSync` world signed in as a teller: two onboardings with the same mobile sent
 * together (the first applied, the second refused: needs attention, its consents and wallet
 * wait behind it), a card link the core failed, and one not sent yet.
 */
export async function queueDemoWork(backend: Backend, world: Promise<World>): Promise<DemoWork> {
  await onboard(backend, { name: '王小明', residentId: residentId(777), mobile: '13812345678' });
  await onboard(backend, { name: '王大明', residentId: residentId(778), mobile: '13812345678' });
  await syncRound(world);
  const profile = await backend.customerProfile('220');
  const walletId = profile.wallets[0]?.id ?? '';
  await backend.walletLinkCard({ customerId: '220', walletId, number: '62220202001094321', bankName: null });
  await setFaults(world, { errorRate: 1000 });
  await syncRound(world);
  await setFaults(world, {});
  await backend.walletLinkCard({ customerId: '220', walletId, number: '6222020200112345679', bankName: null });
  const items = await backend.syncList(null);
  const find = (kind: string, state: string, nth = 0) => {
    const found = items.filter((i) => i.kind === kind && i.state === state)[nth];
    if (found === undefined) throw new Error(`no ${kind} ${state} in ${JSON.stringify(items)}`);
    return found.id;
  };
  const cards = items.filter((i) => i.kind === 'card.link');
  return {
    done: find('customer.create', 'done'),
    attention: find('customer.create', 'attention'),
    retrying: cards[1]?.id ?? -1,
    newest: cards[0]?.id ?? -1,
    all: items.map((i) => i.id),
  };
}

/**
 * A demo customer's whole resident ID, as core reveals it to a teller. The sandbox makes its
 * demo data as of the day it starts (China time), so birth dates, and the IDs that carry them,
 * move on by a day each day: a test reads the ID instead of naming one.
 */
export async function wholeIdOf(backend: Backend, customerId: string): Promise<string> {
  return (await backend.customerRevealId({ customerId, reason: '测试核对证件' })).residentId;
}

/** What a masked ID must show of `whole`: the area code and the last four, nothing between. */
export function maskOf(whole: string): string {
  return `${whole.slice(0, 6)}********${whole.slice(-4)}`;
}

/** The ways a screen could write the birth date an ID carries. */
export function birthDateForms(whole: string): string[] {
  const [y, m, d] = [whole.slice(6, 10), whole.slice(10, 12), whole.slice(12, 14)];
  return [`${y}-${m}-${d}`, `${y}${m}${d}`, `${y}年${Number(m)}月${Number(d)}日`, `${m}-${d}`, `${m}${d}`];
}
