import type { CodeSentView } from '../bindings/CodeSentView';
import type { CustomerHit } from '../bindings/CustomerHit';
import type { Draft } from '../bindings/Draft';
import type { DraftData } from '../bindings/DraftData';
import type { Evaluation } from '../bindings/Evaluation';
import type { Evidence } from '../bindings/Evidence';
import type { FieldError } from '../bindings/FieldError';
import type { IdFacts } from '../bindings/IdFacts';
import type { Missing } from '../bindings/Missing';
import type { TierOption } from '../bindings/TierOption';
import type { Backend } from './index';
import { apiError, toApiError } from './errors';
import { DEMO_CUSTOMERS, searchDemoCustomers } from './memoryCustomers';
import { DEFAULT_SCHEME } from './memoryCustomer360';

/**
 * The onboarding wizard of the in-memory backend: a copy of crates/core/src/onboarding
 * (console.rs, rules.rs) and of the resident ID rules (domain/identity.rs), close enough for the
 * screens and their tests. The real rules live in Rust.
 */
export type OnboardingMethods = Pick<
  Backend,
  | 'onboardingResume'
  | 'onboardingSave'
  | 'onboardingDiscard'
  | 'onboardingEvaluate'
  | 'onboardingCheckId'
  | 'onboardingSendCode'
  | 'onboardingVerifyCode'
  | 'onboardingScreen'
  | 'onboardingSubmit'
  | 'onboardingReceipt'
>;

export interface OnboardingTeller {
  staffId: number;
  username: string;
}

export interface OnboardingContext {
  /** The signed-in, unlocked staff member with the onboarding area, or a rejection. */
  teller(): OnboardingTeller;
  now(): Date;
  trainingMode: boolean;
  coreConnected: boolean;
  audit(action: string, detail: string, actor: OnboardingTeller): void;
  /** Queues an operation for the core in the outbox. */
  enqueue(op: { kind: string; summary: string; recordRef: string; body: Record<string, string> }): void;
}

/** CONSENTS in console.rs: scope, version, required, third party. */
export const CONSENTS: { scope: string; version: string; required: boolean; thirdParty: string | null }[] = [
  { scope: 'general-processing', version: '2026-01', required: true, thirdParty: null },
  { scope: 'sensitive-financial', version: '2026-01', required: true, thirdParty: null },
  { scope: 'third-party-sharing', version: '2026-01', required: false, thirdParty: '中国银联 China UnionPay' },
];

/** The sandbox's one-time code (the memory backend's too). */
export const TRAINING_CODE = '246810';
/** The sandbox's watchlist sample: screening this name is a hit. */
export const WATCHLIST_SAMPLE = '制裁测试';

const POLICY = { minAgeAboveTier4: 16, guardianBelowAge: 14 };
const MAX_NAME_CHARS = 64;

// ---- Resident ID (GB 11643), as domain/identity.rs ----

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const PROVINCE_PREFIXES = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41',
  '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71',
  '81', '82', '83', '91',
];

export type IdProblemCode = 'id_length' | 'id_characters' | 'id_area_code' | 'id_birth_date' | 'id_check_character';

interface YMD {
  y: number;
  m: number;
  d: number;
}

export interface ParsedId {
  /** Always 18 characters, upper-case X. */
  value: string;
  birth: YMD;
}

/** The check character of 17 digits (ISO 7064 MOD 11-2), or null unless given 17 digits. */
export function idCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? null;
}

function cmp(a: YMD, b: YMD): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

function birthDate(yyyymmdd: string, today: YMD | null): YMD | IdProblemCode {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || d < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return 'id_birth_date';
  }
  const born = { y, m, d };
  if (y < 1900 || (today !== null && cmp(born, today) > 0)) return 'id_birth_date';
  return born;
}

/** Today's date in China Standard Time (the zone the birth date was written in). */
export function chinaToday(now: Date): YMD {
  const cst = new Date(now.getTime() + 8 * 3_600_000);
  return { y: cst.getUTCFullYear(), m: cst.getUTCMonth() + 1, d: cst.getUTCDate() };
}

export function parseResidentId(text: string, today: YMD): ParsedId | IdProblemCode {
  // Full-width digits and Ｘ fold to ASCII first, as normalize_typed does in core.
  const chars = Array.from(text.normalize('NFKC').trim());
  if (chars.length === 18) {
    const first17 = chars.slice(0, 17).join('');
    if (!/^\d{17}$/.test(first17)) return 'id_characters';
    const found = (chars[17] ?? '').toUpperCase();
    if (!/^[0-9X]$/.test(found)) return 'id_characters';
    if (!PROVINCE_PREFIXES.includes(first17.slice(0, 2))) return 'id_area_code';
    const birth = birthDate(first17.slice(6, 14), today);
    if (typeof birth === 'string') return birth;
    if (idCheckChar(first17) !== found) return 'id_check_character';
    return { value: first17 + found, birth };
  }
  if (chars.length === 15) {
    const old = chars.join('');
    if (!/^\d{15}$/.test(old)) return 'id_characters';
    if (!PROVINCE_PREFIXES.includes(old.slice(0, 2))) return 'id_area_code';
    const first17 = `${old.slice(0, 6)}19${old.slice(6)}`;
    const birth = birthDate(first17.slice(6, 14), null);
    if (typeof birth === 'string') return birth;
    return { value: first17 + (idCheckChar(first17) ?? ''), birth };
  }
  return 'id_length';
}

export function maskId(value: string): string {
  return `${value.slice(0, 6)}********${value.slice(14)}`;
}

function ageOn(born: YMD, today: YMD): number {
  let years = today.y - born.y;
  if (today.m < born.m || (today.m === born.m && today.d < born.d)) years -= 1;
  return Math.max(0, years);
}

function idFacts(id: ParsedId, typed: string, today: YMD): IdFacts {
  const sequenceLast = Number(id.value[16]);
  return {
    masked: maskId(id.value),
    sex: sequenceLast % 2 === 1 ? 'male' : 'female',
    age: ageOn(id.birth, today),
    convertedFrom15: Array.from(typed.normalize('NFKC').trim()).length === 15,
  };
}

// ---- Mobile and card ----

/** The bare 11 digits of a mainland mobile, or null (as Mobile::parse). */
export function parseMobile(text: string): string | null {
  const compact = text.normalize('NFKC').trim().replace(/[ -]/g, '');
  let national = compact;
  if (compact.startsWith('+86')) national = compact.slice(3);
  else if (compact.length === 13 && compact.startsWith('86')) national = compact.slice(2);
  return /^1[3-9]\d{9}$/.test(national) ? national : null;
}

export function maskMobile(mobile: string): string {
  return `${mobile.slice(0, 3)}****${mobile.slice(7)}`;
}

/** Luhn check of a bank card number (13 to 19 digits, spaces allowed). */
export function cardNumberValid(text: string): boolean {
  const compact = text.replace(/\s/g, '');
  if (!/^\d{13,19}$/.test(compact)) return false;
  let sum = 0;
  Array.from(compact)
    .reverse()
    .forEach((c, i) => {
      const d = Number(c);
      if (i % 2 === 1) sum += d * 2 > 9 ? d * 2 - 9 : d * 2;
      else sum += d;
    });
  return sum % 10 === 0;
}

// ---- Tiers (rules.rs) ----

function missingFor(tier: number, e: Evidence): Missing[] {
  const missing: Missing[] = [];
  if (!e.mobileVerified) missing.push('mobileCheck');
  if (tier <= 3) {
    if (!e.residentId) missing.push('residentId');
    if (e.age !== null && e.age < POLICY.minAgeAboveTier4) missing.push('tooYoung');
    if (e.idExpired) missing.push('idExpired');
  }
  if (tier <= 2 && !e.ownBankCard) missing.push('ownBankCard');
  if (tier === 1 && !e.idCheckedInPerson) missing.push('inPersonIdCheck');
  return missing;
}

export function tierOptions(e: Evidence): TierOption[] {
  return [1, 2, 3, 4].map((tier) => ({ tier, missing: missingFor(tier, e) }));
}

// ---- The store ----

interface StoredDraft {
  id: number;
  staffId: number;
  step: string;
  data: DraftData;
  updatedAt: string;
  submitted: boolean;
}

function emptyScreeningFields(data: DraftData): DraftData {
  return { ...data, mobileVerified: false, otpChallenge: '', screening: null };
}

export function createMemoryOnboarding(ctx: OnboardingContext): OnboardingMethods {
  const drafts: StoredDraft[] = [];
  let nextId = 1;
  let nextChallenge = 1;

  const ok = <T>(f: () => T): Promise<T> => {
    try {
      return Promise.resolve(structuredClone(f()));
    } catch (err) {
      return Promise.reject(toApiError(err));
    }
  };

  function open(staffId: number, id: number): StoredDraft {
    const found = drafts.find((d) => d.id === id && d.staffId === staffId && !d.submitted);
    if (found === undefined) throw apiError('not_found', `open draft ${id}`);
    return found;
  }

  function toDraft(d: StoredDraft): Draft {
    return { id: d.id, step: d.step, data: d.data, updatedAt: d.updatedAt };
  }

  function store(d: StoredDraft, step: string, data: DraftData): Draft {
    d.step = step;
    d.data = data;
    d.updatedAt = ctx.now().toISOString();
    return toDraft(d);
  }

  function requireCore(): void {
    if (!ctx.coreConnected) throw apiError('core_unavailable', 'core unavailable: connection refused');
  }

  function evaluate(data: DraftData): Evaluation {
    const today = chinaToday(ctx.now());
    const problems: FieldError[] = [];
    const problem = (field: string, code: string) => problems.push({ field, code });
    const name = data.name.trim();
    // eslint-disable-next-line no-control-regex
    if (name === '' || Array.from(name).length > MAX_NAME_CHARS || /[\u0000-\u001f\u007f-\u009f]/.test(name)) {
      problem('name', 'name_invalid');
    }
    let residentId: ParsedId | null = null;
    if (data.residentId.trim() !== '') {
      const parsed = parseResidentId(data.residentId, today);
      if (typeof parsed === 'string') problem('residentId', parsed);
      else residentId = parsed;
    }
    const mobile = parseMobile(data.mobile);
    if (mobile === null) problem('mobile', 'mobile_invalid');
    if (!data.mobileVerified) problem('mobile', 'mobile_not_verified');
    const card = data.cardNumber.trim() !== '';
    if (card && !cardNumberValid(data.cardNumber)) problem('cardNumber', 'card_invalid');
    const id = residentId === null ? null : idFacts(residentId, data.residentId, today);
    const evidence: Evidence = {
      mobileVerified: data.mobileVerified && mobile !== null,
      residentId: residentId !== null,
      idCheckedInPerson: data.idCheckedInPerson && residentId !== null,
      ownBankCard: card && cardNumberValid(data.cardNumber),
      age: id?.age ?? null,
      idExpired: false,
    };
    const tiers = tierOptions(evidence);
    const bestTier = tiers.find((t) => t.missing.length === 0)?.tier ?? null;
    const guardianRequired = evidence.age !== null && evidence.age < POLICY.guardianBelowAge;
    if (guardianRequired && data.guardianName.trim() === '') problem('guardianName', 'guardian_required');
    if (residentId === null && data.residentId.trim() === '') problem('residentId', 'id_required');
    for (const c of CONSENTS) {
      const given = data.consents.some((x) => x.scope === c.scope && x.version === c.version && x.given);
      if (c.required && !given) problem('consents', `consent_required_${c.scope}`);
    }
    if (residentId !== null) {
      const done = data.screening;
      if (done !== null && done.name === name && done.maskedResidentId === maskId(residentId.value)) {
        if (done.result !== 'clear') problem('screening', 'screening_hit');
      } else {
        problem('screening', 'screening_needed');
      }
    }
    if (data.tier === null) problem('tier', 'tier_not_chosen');
    else if (!tiers.some((t) => t.tier === data.tier && t.missing.length === 0)) problem('tier', 'tier_not_allowed');
    const possibleDuplicates: CustomerHit[] = [];
    if (mobile !== null) possibleDuplicates.push(...searchDemoCustomers(mobile));
    if (residentId !== null) {
      const masked = maskId(residentId.value);
      for (const c of DEMO_CUSTOMERS.filter((x) => x.maskedResidentId === masked)) {
        if (possibleDuplicates.every((h) => h.id !== c.id)) {
          possibleDuplicates.push(...searchDemoCustomers(masked.slice(-4)).filter((h) => h.id === c.id));
        }
      }
    }
    if (possibleDuplicates.length > 0) problem('residentId', 'possible_duplicate');
    return { id, evidence, tiers, bestTier, guardianRequired, possibleDuplicates, problems, consents: CONSENTS, limits: DEFAULT_SCHEME };
  }

  return {
    onboardingResume: () =>
      ok(() => {
        const actor = ctx.teller();
        const mine = drafts
          .filter((d) => d.staffId === actor.staffId && !d.submitted)
          .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id - a.id);
        const latest = mine[0];
        return latest === undefined ? null : toDraft(latest);
      }),

    onboardingSave: (input) =>
      ok(() => {
        const actor = ctx.teller();
        const step = input.step.trim();
        if (step === '' || step.length > 32) throw apiError('invalid_input', 'step: 1 to 32 characters');
        let data: DraftData = structuredClone(input.data);
        let draft: StoredDraft;
        if (input.id !== null) {
          draft = open(actor.staffId, input.id);
          const stored = draft.data;
          const sameMobile = stored.mobile.trim() === data.mobile.trim();
          data = {
            ...data,
            mobileVerified: stored.mobileVerified && sameMobile,
            otpChallenge: sameMobile ? stored.otpChallenge : '',
            screening: stored.screening,
          };
        } else {
          data = emptyScreeningFields(data);
          draft = { id: nextId++, staffId: actor.staffId, step, data, updatedAt: '', submitted: false };
          drafts.push(draft);
        }
        ctx.audit('onboarding.step_saved', `draft ${draft.id}, step ${step}`, actor);
        return store(draft, step, data);
      }),

    onboardingDiscard: (id) =>
      ok(() => {
        const actor = ctx.teller();
        const draft = open(actor.staffId, id);
        drafts.splice(drafts.indexOf(draft), 1);
        ctx.audit('onboarding.discarded', `draft ${id}`, actor);
        return null;
      }),

    onboardingEvaluate: (data) =>
      ok(() => {
        ctx.teller();
        return evaluate(data);
      }),

    onboardingCheckId: (text) =>
      ok(() => {
        ctx.teller();
        const today = chinaToday(ctx.now());
        const parsed = parseResidentId(text, today);
        if (typeof parsed === 'string') throw apiError('invalid_input', `residentId: ${parsed}`, [{ field: 'residentId', code: parsed }]);
        return idFacts(parsed, text, today);
      }),

    onboardingSendCode: (id) =>
      ok((): CodeSentView => {
        const actor = ctx.teller();
        const draft = open(actor.staffId, id);
        const mobile = parseMobile(draft.data.mobile);
        if (mobile === null) throw apiError('invalid_input', 'mobile: mobile_invalid', [{ field: 'mobile', code: 'mobile_invalid' }]);
        requireCore();
        store(draft, 'mobile', { ...draft.data, otpChallenge: `otp-${nextChallenge++}`, mobileVerified: false });
        ctx.audit('onboarding.code_sent', `draft ${id}, mobile ${maskMobile(mobile)}`, actor);
        return { maskedMobile: maskMobile(mobile), trainingCode: ctx.trainingMode ? TRAINING_CODE : null };
      }),

    onboardingVerifyCode: (input) =>
      ok(() => {
        const actor = ctx.teller();
        const draft = open(actor.staffId, input.draftId);
        if (draft.data.otpChallenge === '') throw apiError('conflict', 'send a code first');
        requireCore();
        const right = input.code.trim() === TRAINING_CODE;
        const saved = store(draft, 'mobile', { ...draft.data, mobileVerified: right });
        ctx.audit('onboarding.code_checked', `draft ${input.draftId}, right ${String(right)}`, actor);
        if (!right) throw apiError('invalid_input', 'code: code_wrong', [{ field: 'code', code: 'code_wrong' }]);
        return saved;
      }),

    onboardingScreen: (id) =>
      ok(() => {
        const actor = ctx.teller();
        const draft = open(actor.staffId, id);
        const parsed = parseResidentId(draft.data.residentId, chinaToday(ctx.now()));
        if (typeof parsed === 'string') throw apiError('invalid_input', `residentId: ${parsed}`, [{ field: 'residentId', code: parsed }]);
        requireCore();
        const name = draft.data.name.trim();
        const hit = name === WATCHLIST_SAMPLE;
        const saved = store(draft, 'checks', {
          ...draft.data,
          screening: {
            result: hit ? 'hit' : 'clear',
            reason: hit ? 'watchlist: sanctions list sample entry' : null,
            name,
            maskedResidentId: maskId(parsed.value),
          },
        });
        ctx.audit('onboarding.screened', `draft ${id}, result ${hit ? 'hit' : 'clear'}`, actor);
        return saved;
      }),

    onboardingReceipt: (id) =>
      ok(() => {
        ctx.teller();
        // Not a real PDF: the fake proves the download path; the Rust side makes the receipt.
        const text = `%PDF-1.7 fake receipt for draft ${id}`;
        return {
          fileName: `钱包回执-${id}.pdf`,
          contentType: 'application/pdf',
          bytes: Array.from(new TextEncoder().encode(text)),
        };
      }),

    onboardingSubmit: (id) =>
      ok(() => {
        const actor = ctx.teller();
        const draft = open(actor.staffId, id);
        const data = draft.data;
        const evaluation = evaluate(data);
        const first = evaluation.problems[0];
        if (first !== undefined) {
          throw apiError(
            'invalid_input',
            `${first.field}: ${first.code} (${evaluation.problems.length} problem(s) left)`,
            evaluation.problems,
          );
        }
        const tier = data.tier ?? 4;
        const externalId = crypto.randomUUID();
        const customerRef = `ext:${externalId}`;
        const recordRef = `onboarding:${id}`;
        const mobile = parseMobile(data.mobile) ?? '';
        const maskedName = Array.from(data.name.trim())
          .map((c, i) => (i === 0 ? c : '*'))
          .join('');
        const residentId = parseResidentId(data.residentId, chinaToday(ctx.now()));
        let operations = 0;
        ctx.enqueue({
          kind: 'customer.create',
          summary: `开户 ${maskedName} ${maskMobile(mobile)}`,
          recordRef,
          body: {
            externalId,
            name: data.name.trim(),
            residentId: typeof residentId === 'string' ? '' : residentId.value,
            mobile,
          },
        });
        operations++;
        for (const consent of data.consents.filter((c) => c.given)) {
          ctx.enqueue({
            kind: 'consent.record',
            summary: `授权 ${maskedName} ${consent.scope}`,
            recordRef,
            body: { scope: consent.scope, version: consent.version },
          });
          operations++;
        }
        const card = data.cardNumber.replace(/\D/g, '');
        ctx.enqueue({
          kind: 'wallet.open',
          summary: `开立${tier}类钱包 ${maskedName}${card === '' ? '' : ` 绑卡 **** ${card.slice(-4)}`}`,
          recordRef,
          body: { customerId: customerRef, tier: String(tier) },
        });
        operations++;
        draft.submitted = true;
        draft.step = 'submitted';
        ctx.audit('onboarding.submitted', `draft ${id}, ${customerRef}, tier ${tier}`, actor);
        return { customerRef, operations, tier };
      }),
  };
}
