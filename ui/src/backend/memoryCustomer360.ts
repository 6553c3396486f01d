import type { LimitScheme } from '../bindings/LimitScheme';
import type { AuditEntry } from '../bindings/AuditEntry';
import type { CardSummary } from '../bindings/CardSummary';
import type { ConsentSummary } from '../bindings/ConsentSummary';
import type { CustomerNote } from '../bindings/CustomerNote';
import type { CustomerProfile } from '../bindings/CustomerProfile';
import type { IdCardStatus } from '../bindings/IdCardStatus';
import type { LiveTransaction } from '../bindings/LiveTransaction';
import type { LiveWallet } from '../bindings/LiveWallet';
import type { OutboxState } from '../bindings/OutboxState';
import type { PendingChange } from '../bindings/PendingChange';
import type { Role } from '../bindings/Role';
import type { Backend } from './index';
import { apiError, toApiError } from './errors';
import { DEMO_CUSTOMERS } from './memoryCustomers';
import { cardNumberValid, tierOptions } from './memoryOnboarding';

/**
 * The Customer 360 of the in-memory backend: a copy of crates/core/src/customers (profile.rs,
 * console.rs) over the demo customers, close enough for the screens and their tests. The real
 * rules live in Rust.
 */
export type Customer360Methods = Pick<
  Backend,
  | 'customerProfile'
  | 'customerLive'
  | 'customerRevealId'
  | 'customerAddNote'
  | 'walletChangeTier'
  | 'walletLinkCard'
  | 'customerRenewId'
  | 'consentWithdraw'
  | 'walletReceipt'
>;

export interface Customer360Staff {
  staffId: number;
  username: string;
  displayName: string;
  role: Role;
}

export interface Customer360Context {
  /** The signed-in, unlocked staff member with the customers area, or a rejection. */
  viewer(): Customer360Staff;
  /** Records a refusal and rejects with `forbidden`. */
  refuse(what: string, actor: Customer360Staff): never;
  now(): Date;
  coreConnected: boolean;
  audit(action: string, detail: string, actor: Customer360Staff, customerId: string): void;
  history(customerId: string): AuditEntry[];
  /** Queues an operation in the outbox; returns its id. */
  enqueue(op: { kind: string; summary: string; recordRef: string; body: Record<string, string> }): number;
  outboxState(id: number): OutboxState | null;
  outboxItem(id: number): PendingChange | null;
}

const MAY: Record<'reveal' | 'serve' | 'withdraw' | 'note', Role[]> = {
  reveal: ['teller', 'supervisor'],
  serve: ['teller'],
  withdraw: ['teller', 'booth', 'complaints', 'supervisor'],
  note: ['teller', 'booth', 'complaints', 'disputes', 'supervisor'],
};
const SCOPE_WORDS: Record<string, string> = {
  'general-processing': '个人信息处理',
  'sensitive-financial': '敏感个人信息',
  'third-party-sharing': '向第三方提供',
};
const GRACE_DAYS = 90;
const WARN_DAYS = 30;
const DAY = 86_400_000;

/** The demo core's whole IDs (only the reveal hands them out). */
const WHOLE_IDS: Record<string, string> = {
  '1': '11010519491231002X',
  '2': '440524198001010013',
  '3': '310104199206151234',
  '4': '330106195803085528',
  '5': '51010720120901004X',
};

interface WalletState {
  id: string;
  tier: number;
  balance: string;
  status: string;
  paymentsFrozen: boolean;
  openedAt: string;
}

interface CustomerState {
  idExpiresOn: string | null;
  since: string;
  sex: string;
  wallets: WalletState[];
  cards: CardSummary[];
  consents: ConsentSummary[];
  notes: CustomerNote[];
  /** Outbox ids of changes queued for this customer, with what they do once the core has them. */
  queued: { outboxId: number; kind: string; subject: string; apply: () => void; applied: boolean }[];
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY));
}

export function idCardStatus(expiresOn: string | null, today: string): IdCardStatus {
  if (expiresOn === null) return { state: 'noExpiry' };
  const lowers = addDays(expiresOn, GRACE_DAYS);
  if (today <= expiresOn) {
    const daysLeft = Math.round((Date.parse(expiresOn) - Date.parse(today)) / DAY);
    return daysLeft <= WARN_DAYS ? { state: 'expiresSoon', expiresOn, daysLeft } : { state: 'valid', expiresOn };
  }
  if (today <= lowers) return { state: 'expiredInGrace', expiresOn, lowersOn: addDays(lowers, 1) };
  return { state: 'expiredLowered', expiresOn, loweredOn: addDays(lowers, 1) };
}

/** Tier limits of the default scheme (DOMAIN.md), decimal strings; null = none. */
const LIMITS: Record<number, [string | null, string | null, string | null, string | null]> = {
  1: [null, null, null, null],
  2: ['500000.00', '50000.00', '100000.00', null],
  3: ['20000.00', '5000.00', '10000.00', null],
  4: ['10000.00', '2000.00', '5000.00', '50000.00'],
};

/** LIMITS as the scheme the onboarding evaluation carries (the sandbox's default operator bank). */
export const DEFAULT_SCHEME: LimitScheme = {
  operatorBank: 'central-bank-scheme',
  operatorBankName: 'Central bank institute scheme',
  isDefault: true,
  effectiveFrom: '2020-04-01',
  tiers: [1, 2, 3, 4].map((tier) => {
    const [balanceCap, onePayment, perDay, perYear] = LIMITS[tier] ?? [null, null, null, null];
    return { tier, balanceCap, onePayment, perDay, perYear };
  }),
};

function maskedName(name: string): string {
  return Array.from(name, (c, i) => (i === 0 ? c : '*')).join('');
}

export function createMemoryCustomer360(ctx: Customer360Context): Customer360Methods {
  const today = () => isoDay(new Date(ctx.now().getTime() + 8 * 3_600_000));
  const state = new Map<string, CustomerState>();
  DEMO_CUSTOMERS.forEach((c, i) => {
    const base = today();
    state.set(c.id, {
      // 张三 (2) has an ID card that expired long ago: his limits are lowered.
      idExpiresOn: c.id === '2' ? addDays(base, -200) : c.id === '1' ? null : addDays(base, 400 + i * 100),
      since: `202${String(i)}-03-0${String(i + 1)}T02:00:00Z`,
      sex: ['1', '2', '3'].includes(c.id) ? 'male' : 'female',
      wallets: c.wallets.map((id, k) => ({
        id,
        tier: c.id === '3' ? 2 : c.id === '5' ? 4 : 3,
        balance: ['1288.50', '356.00', '20450.75', '0.00', '88.00'][i] ?? '0.00',
        status: 'active',
        paymentsFrozen: false,
        openedAt: `202${String(i)}-03-0${String(i + 1 + k)}T02:10:00Z`,
      })),
      cards: c.cardsLast4.map((last4, k) => ({
        id: `card-${c.id}-${String(k)}`,
        walletId: c.wallets[0] ?? '',
        maskedNumber: `6222 **** **** ${last4}`,
        bankName: '工商银行',
        status: 'linked',
        linkedAt: `202${String(i)}-03-0${String(i + 1)}T02:20:00Z`,
      })),
      consents:
        c.id === '3'
          ? [
              { id: '31', scope: 'general-processing', version: '2026-01', thirdParty: null, guardianName: null, status: 'granted', grantedAt: '2024-03-04T02:15:00Z', endedAt: null },
              { id: '32', scope: 'sensitive-financial', version: '2026-01', thirdParty: null, guardianName: null, status: 'granted', grantedAt: '2024-03-04T02:15:00Z', endedAt: null },
              { id: '33', scope: 'third-party-sharing', version: '2026-01', thirdParty: '中国银联 China UnionPay', guardianName: null, status: 'granted', grantedAt: '2024-03-04T02:15:00Z', endedAt: null },
            ]
          : [],
      notes: [],
      queued: [],
    });
  });

  function find(id: string): { demo: (typeof DEMO_CUSTOMERS)[number]; s: CustomerState } {
    const demo = DEMO_CUSTOMERS.find((c) => c.id === id);
    const s = state.get(id);
    if (demo === undefined || s === undefined) throw apiError('not_found', `customer ${id}`);
    // What the core has confirmed reaches the "read model".
    for (const q of s.queued) {
      if (!q.applied && ctx.outboxState(q.outboxId) === 'done') {
        q.apply();
        q.applied = true;
      }
    }
    return { demo, s };
  }

  function may(what: keyof typeof MAY, actor: Customer360Staff): void {
    if (!MAY[what].includes(actor.role)) ctx.refuse(what, actor);
  }

  function queue(customerId: string, kind: string, subject: string, summary: string, body: Record<string, string>, apply: () => void) {
    const { s } = find(customerId);
    if (s.queued.some((q) => !q.applied && q.kind === kind && q.subject === subject && kind === 'consent.withdraw')) {
      throw apiError('conflict', 'withdrawal already queued');
    }
    const outboxId = ctx.enqueue({ kind, summary, recordRef: `customer:${customerId}`, body });
    s.queued.push({ outboxId, kind, subject, apply, applied: false });
    return { outboxId, summary };
  }

  const ok = <T>(f: () => T): Promise<T> => {
    try {
      return Promise.resolve(structuredClone(f()));
    } catch (err) {
      return Promise.reject(toApiError(err));
    }
  };

  function profile(id: string): CustomerProfile {
    const actor = ctx.viewer();
    const { demo, s } = find(id);
    const day = today();
    const age = Math.floor((Date.parse(day) - Date.parse(demo.birthDate)) / (365.2425 * DAY));
    const idCard = idCardStatus(s.idExpiresOn, day);
    const expired = idCard.state === 'expiredInGrace' || idCard.state === 'expiredLowered';
    ctx.audit('customer.viewed', `customer ${id}`, actor, id);
    const pending = s.queued
      .filter((q) => !q.applied)
      .map((q) => ctx.outboxItem(q.outboxId))
      .filter((p): p is PendingChange => p !== null && (p.state === 'pending' || p.state === 'attention'));
    return {
      id,
      name: demo.name,
      maskedResidentId: demo.maskedResidentId,
      maskedMobile: `${demo.mobile.slice(0, 3)}****${demo.mobile.slice(7)}`,
      age,
      sex: s.sex,
      customerSince: s.since,
      idCard,
      wallets: s.wallets.map((w) => ({
        ...w,
        operatorBank: 'central-bank-scheme',
        tierOptions: tierOptions({
          mobileVerified: true,
          residentId: true,
          idCheckedInPerson: true,
          ownBankCard:
            s.cards.some((c) => c.walletId === w.id && c.status === 'linked') ||
            s.queued.some((q) => !q.applied && q.kind === 'card.link' && q.subject === w.id),
          age,
          // A renewal queued before the upgrade reaches the core first.
          idExpired: expired && !s.queued.some((q) => !q.applied && q.kind === 'customer.update'),
        }).map((o) => ({
          // As core's `change_options`: a downgrade needs nothing; the dialog asks the in-person check.
          tier: o.tier,
          missing: o.tier >= w.tier ? [] : o.missing.filter((m) => m !== 'inPersonIdCheck'),
        })),
      })),
      cards: s.cards,
      consents: [...s.consents].sort((a, b) => b.grantedAt.localeCompare(a.grantedAt)),
      transactions: [],
      notes: s.notes,
      pending,
      history: ctx.history(id),
      canReveal: MAY.reveal.includes(actor.role),
      canServe: MAY.serve.includes(actor.role),
      canWithdrawConsent: MAY.withdraw.includes(actor.role),
      canNote: MAY.note.includes(actor.role),
      syncedAt: ctx.now().toISOString(),
    };
  }

  return {
    customerProfile: (id) => ok(() => profile(id)),

    customerLive: (id) =>
      ok(() => {
        ctx.viewer();
        const { s } = find(id);
        if (!ctx.coreConnected) throw apiError('core_unavailable', 'core unavailable: connection refused');
        const lowered = idCardStatus(s.idExpiresOn, today()).state === 'expiredLowered';
        const wallets: LiveWallet[] = s.wallets.map((w) => {
          const applied = lowered ? 4 : w.tier;
          const [balanceCap, onePayment, perDay, perYear] = LIMITS[applied] ?? LIMITS[4] ?? [null, null, null, null];
          return {
            id: w.id,
            tier: w.tier,
            balance: w.balance,
            status: w.status,
            paymentsFrozen: w.paymentsFrozen,
            operatorBank: 'central-bank-scheme',
            appliedTier: applied,
            balanceCap,
            onePayment,
            perDay,
            perYear,
            loweredBecause: lowered && w.tier < 4 ? 'resident-id-expired' : null,
            usedToday: '35.50',
            usedThisYear: '4210.00',
          };
        });
        const transactions: LiveTransaction[] = s.wallets.flatMap((w, k) => [
          { id: `t-${w.id}-1`, walletId: w.id, at: `2026-11-2${String(k)}T03:15:00Z`, amount: '35.50', direction: 'out', counterparty: '便利店', memo: '日用品' },
          { id: `t-${w.id}-2`, walletId: w.id, at: `2026-11-1${String(k)}T08:00:00Z`, amount: '500.00', direction: 'in', counterparty: '本人银行卡', memo: '充值' },
        ]);
        return { wallets, transactions };
      }),

    customerRevealId: (input) =>
      ok(() => {
        const actor = ctx.viewer();
        may('reveal', actor);
        const reason = input.reason.trim();
        if (reason.length < 2 || reason.length > 200) throw apiError('invalid_input', 'reason: reason_required', [{ field: 'reason', code: 'reason_required' }]);
        find(input.customerId);
        if (!ctx.coreConnected) throw apiError('core_unavailable', 'core unavailable: connection refused');
        ctx.audit('customer.id_revealed', JSON.stringify({ reason }), actor, input.customerId);
        return { residentId: WHOLE_IDS[input.customerId] ?? '' };
      }),

    customerAddNote: (input) =>
      ok(() => {
        const actor = ctx.viewer();
        may('note', actor);
        const text = input.text.trim();
        if (text === '' || text.length > 1000) throw apiError('invalid_input', 'text: note_length', [{ field: 'text', code: 'note_length' }]);
        const { s } = find(input.customerId);
        const note: CustomerNote = {
          id: s.notes.length + 1,
          author: actor.displayName,
          text,
          createdAt: ctx.now().toISOString(),
        };
        s.notes.unshift(note);
        ctx.audit('customer.note_added', JSON.stringify({ length: text.length }), actor, input.customerId);
        return note;
      }),

    walletChangeTier: (input) =>
      ok(() => {
        const actor = ctx.viewer();
        may('serve', actor);
        const current = profile(input.customerId);
        const wallet = current.wallets.find((w) => w.id === input.walletId);
        if (wallet === undefined) throw apiError('not_found', `wallet ${input.walletId}`);
        if (input.tier < 1 || input.tier > 4) throw apiError('invalid_input', 'tier: tier_range', [{ field: 'tier', code: 'tier_range' }]);
        if (wallet.tier === input.tier) throw apiError('invalid_input', 'tier: tier_unchanged', [{ field: 'tier', code: 'tier_unchanged' }]);
        if (input.tier < wallet.tier) {
          const option = wallet.tierOptions.find((o) => o.tier === input.tier);
          const missing = [...(option?.missing ?? [])];
          if (input.tier === 1 && !input.idCheckedInPerson) missing.push('inPersonIdCheck');
          const first = missing[0];
          if (first !== undefined) {
            const code = { mobileCheck: 'mobile_check', residentId: 'resident_id', ownBankCard: 'needs_bank_card', inPersonIdCheck: 'needs_in_person', tooYoung: 'too_young', idExpired: 'id_expired' }[first];
            throw apiError('invalid_input', `tier: ${code}`, [{ field: 'tier', code: code }]);
          }
        }
        const { s } = find(input.customerId);
        const result = queue(
          input.customerId,
          'wallet.tier',
          input.walletId,
          `${String(wallet.tier)}类→${String(input.tier)}类钱包 ${maskedName(current.name)} …${input.walletId.slice(-4)}`,
          { tier: String(input.tier) },
          () => {
            const w = s.wallets.find((x) => x.id === input.walletId);
            if (w !== undefined) w.tier = input.tier;
          },
        );
        ctx.audit('wallet.tier_change_queued', JSON.stringify({ from: wallet.tier, to: input.tier }), actor, input.customerId);
        return result;
      }),

    walletLinkCard: (input) =>
      ok(() => {
        const actor = ctx.viewer();
        may('serve', actor);
        const digits = input.number.replace(/[\s-]/g, '');
        if (!/^\d{13,19}$/.test(digits)) throw apiError('invalid_input', 'number: card_invalid', [{ field: 'number', code: 'card_invalid' }]);
        if (!cardNumberValid(digits)) throw apiError('invalid_input', 'number: card_check_digit', [{ field: 'number', code: 'card_check_digit' }]);
        const { demo, s } = find(input.customerId);
        if (!s.wallets.some((w) => w.id === input.walletId)) throw apiError('not_found', `wallet ${input.walletId}`);
        const masked = `**** **** **** ${digits.slice(-4)}`;
        const result = queue(
          input.customerId,
          'card.link',
          input.walletId,
          `绑卡 ${masked} ${maskedName(demo.name)} → …${input.walletId.slice(-4)}`,
          { number: digits },
          () => {
            s.cards.push({
              id: `card-${input.customerId}-${String(s.cards.length)}`,
              walletId: input.walletId,
              maskedNumber: `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`,
              bankName: input.bankName,
              status: 'linked',
              linkedAt: ctx.now().toISOString(),
            });
          },
        );
        ctx.audit('wallet.card_link_queued', JSON.stringify({ card: masked }), actor, input.customerId);
        return result;
      }),

    customerRenewId: (input) =>
      ok(() => {
        const actor = ctx.viewer();
        may('serve', actor);
        if (!input.idCheckedInPerson) throw apiError('invalid_input', 'idCheckedInPerson: in_person_required', [{ field: 'idCheckedInPerson', code: 'in_person_required' }]);
        const expires = input.expiresOn?.trim() ?? '';
        if (expires !== '' && (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(Date.parse(expires)) || expires <= today())) {
          throw apiError('invalid_input', 'expiresOn: expiry_not_future', [{ field: 'expiresOn', code: 'expiry_not_future' }]);
        }
        const { demo, s } = find(input.customerId);
        const result = queue(
          input.customerId,
          'customer.update',
          input.customerId,
          `换证 ${maskedName(demo.name)} 有效期至 ${expires === '' ? '长期' : expires}`,
          { idExpiresOn: expires },
          () => {
            s.idExpiresOn = expires === '' ? null : expires;
          },
        );
        ctx.audit('customer.id_renewal_queued', JSON.stringify({ expiresOn: expires }), actor, input.customerId);
        return result;
      }),

    walletReceipt: (input) =>
      ok(() => {
        const actor = ctx.viewer();
        may('serve', actor);
        const { s } = find(input.customerId);
        if (!s.wallets.some((w) => w.id === input.walletId)) throw apiError('not_found', `wallet ${input.walletId}`);
        ctx.audit('wallet.receipt_printed', `wallet ${input.walletId}`, actor, input.customerId);
        // Not a real PDF: the fake proves the download path; the Rust side makes the receipt.
        const text = `%PDF-1.7 fake receipt for wallet ${input.walletId}`;
        return {
          fileName: `钱包回执-${input.walletId}.pdf`,
          contentType: 'application/pdf',
          bytes: Array.from(new TextEncoder().encode(text)),
        };
      }),

    consentWithdraw: (input) =>
      ok(() => {
        const actor = ctx.viewer();
        may('withdraw', actor);
        const { demo, s } = find(input.customerId);
        const consent = s.consents.find((c) => c.id === input.consentId);
        if (consent === undefined) throw apiError('not_found', `consent ${input.consentId}`);
        if (consent.status !== 'granted') throw apiError('conflict', `consent is ${consent.status}`);
        const result = queue(
          input.customerId,
          'consent.withdraw',
          input.consentId,
          `撤回授权 ${maskedName(demo.name)} ${SCOPE_WORDS[consent.scope] ?? consent.scope}`,
          { reason: input.reason ?? '' },
          () => {
            consent.status = 'withdrawn';
            consent.endedAt = ctx.now().toISOString();
          },
        );
        ctx.audit('consent.withdrawal_queued', JSON.stringify({ scope: consent.scope }), actor, input.customerId);
        return result;
      }),
  };
}
