import type { CaseAction } from '../bindings/CaseAction';
import type { AuditOutcome } from '../bindings/AuditOutcome';
import type { Category } from '../bindings/Category';
import type { ClockStatus } from '../bindings/ClockStatus';
import type { ComplaintDetail } from '../bindings/ComplaintDetail';
import type { ExtensionView } from '../bindings/ExtensionView';
import type { QueueRow } from '../bindings/QueueRow';
import type { Role } from '../bindings/Role';
import type { StatsDimension } from '../bindings/StatsDimension';
import type { StatsRow } from '../bindings/StatsRow';
import type { Suggestion } from '../bindings/Suggestion';
import type { Backend } from './index';
import { apiError, toApiError } from './errors';

/**
 * The complaint desk of the in-memory backend: a copy of the core's rules (DOMAIN.md
 * "Complaints") close enough for the screens and their tests. Calendar days only (no holiday
 * calendar): the period starts the day after receipt; a last day on a weekend moves to Monday.
 */
export type ComplaintMethods = Pick<
  Backend,
  | 'complaintCategories'
  | 'complaintRegister'
  | 'complaintGet'
  | 'complaintQueue'
  | 'complaintAssign'
  | 'complaintDeclareInterest'
  | 'complaintAddNote'
  | 'complaintLogContact'
  | 'complaintAddRepresentative'
  | 'complaintPause'
  | 'complaintResume'
  | 'complaintExtendComplex'
  | 'complaintNewFacts'
  | 'complaintRequestExtension'
  | 'complaintPendingExtensions'
  | 'complaintDecideExtension'
  | 'complaintExtensionNotified'
  | 'complaintMergeRepeat'
  | 'complaintWithdraw'
  | 'complaintDecide'
  | 'complaintRequestReview'
  | 'complaintRecordSurvey'
  | 'complaintSuggest'
  | 'complaintSuggestions'
  | 'complaintStats'
  | 'complaintStatsCsv'
  | 'complaintStatsXlsx'
  | 'complaintLetter'
>;

export interface DeskStaff {
  staffId: number;
  username: string;
  role: Role;
}

export interface DeskContext {
  /** The signed-in, unlocked staff member with the complaints area, or a rejection. */
  handler(): DeskStaff;
  /** Same, and the role must be supervisor (approve extensions, statistics). */
  supervisor(what: string): DeskStaff;
  staff(): DeskStaff[];
  now(): Date;
  team: () => string;
  audit(action: string, outcome: AuditOutcome, detail: string, actor: DeskStaff, caseNo: string | null): void;
  /** Seed demo cases (received relative to today). */
  seed: boolean;
}

const LIMIT = { decide: 15, complex: 30, extra: 30, max: 60, reviewWithin: 30, dueSoon: 3 };
const MAX_REPRESENTATIVES = 5;
const HANDLER_ROLES: Role[] = ['complaints', 'supervisor'];

export const MEMORY_CATEGORIES: Category[] = [
  [1, null, 'wallet', '数字钱包'],
  [2, 1, 'wallet.payment', '支付交易'],
  [3, 1, 'wallet.limits', '钱包等级与限额'],
  [4, 1, 'wallet.frozen', '冻结与解冻'],
  [5, null, 'account', '账户管理'],
  [6, null, 'card', '银行卡'],
  [7, null, 'loan', '个人贷款'],
  [8, null, 'wealth', '理财与代销'],
  [9, null, 'service', '服务质量'],
  [10, 9, 'service.attitude', '服务态度'],
  [11, 9, 'service.waiting', '排队与效率'],
  [12, null, 'fees', '收费'],
  [13, null, 'privacy', '个人信息保护'],
  [14, null, 'other', '其他'],
].map(([id, parentId, code, name]) => ({
  id: id as number,
  parentId: parentId as number | null,
  code: code as string,
  name: name as string,
  active: true,
}));

const DAY = 86_400_000;

/** The bank's (Beijing) date of an instant, "YYYY-MM-DD". */
export function bankDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

/** A period's last day: a Saturday or Sunday moves to the Monday after. */
function workingDue(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 6) return addDays(date, 2);
  if (weekday === 0) return addDays(date, 1);
  return date;
}

function text(field: string, value: string | null | undefined, max: number): string {
  const v = (value ?? '').trim();
  if (v.length === 0) throw apiError('invalid_input', `${field}: required`);
  if (Array.from(v).length > max) throw apiError('invalid_input', `${field}: too long`);
  return v;
}

const SHORT = 120;
const LONG = 4000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONEY = /^\d+(\.\d{1,2})?$/;

interface CaseRecord {
  detail: ComplaintDetail;
  pausedSince: string | null;
}

export function createMemoryComplaints(ctx: DeskContext): ComplaintMethods {
  const cases: CaseRecord[] = [];
  const extensions: ExtensionView[] = [];
  const suggestions: Suggestion[] = [];
  let serial = 0;
  let noteId = 0;
  let contactId = 0;
  let repId = 0;

  const today = () => bankDate(ctx.now());
  const stamp = () => ctx.now().toISOString();

  function dueOf(c: CaseRecord): string {
    return workingDue(addDays(c.detail.receivedOn, c.detail.limitDays + c.detail.pausedDays));
  }

  function clockOf(c: CaseRecord): ClockStatus {
    const d = c.detail;
    if (d.closedOn !== null) {
      return { state: 'closed', on: d.closedOn, kind: d.status === 'decided' ? 'decided' : 'withdrawn', onTime: d.onTime ?? true };
    }
    if (c.pausedSince !== null) return { state: 'paused', since: c.pausedSince };
    const left = daysBetween(today(), d.dueOn);
    if (left < 0) return { state: 'overdue', daysOver: -left };
    if (left === 0) return { state: 'dueToday' };
    if (left <= LIMIT.dueSoon) return { state: 'dueSoon', daysLeft: left };
    return { state: 'onTrack', daysLeft: left };
  }

  /** What core's `work::allowed_actions` answers, as the fake knows the case. */
  function actionsOf(d: ComplaintDetail, me: DeskStaff | null): CaseAction[] {
    if (me === null || !HANDLER_ROLES.includes(me.role) || d.interestedParties.some((p) => p.staffId === me.staffId)) return [];
    const actions: CaseAction[] = [];
    const pending = d.extensions.some((e) => e.status === 'pending');
    if (d.status === 'open' || d.status === 'paused') {
      if (d.assigneeId !== me.staffId) actions.push('assignToMe');
      actions.push('addNote', 'logContact', d.status === 'paused' ? 'resume' : 'pause');
      if (d.limitDays < LIMIT.complex) actions.push('extendComplex');
      if (d.limitDays >= LIMIT.complex && d.limitDays < LIMIT.max && !pending) actions.push('requestExtension');
      actions.push('withdraw');
      if (d.status === 'open') actions.push('decide');
    }
    if (d.status === 'decided' && d.reviewCaseId === null && d.reviewOfId === null && d.reviewWindowEnd !== null && today() <= d.reviewWindowEnd) {
      actions.push('requestReview');
    }
    if ((d.status === 'decided' || d.status === 'withdrawn') && d.survey === null) actions.push('recordSurvey');
    return actions;
  }

  function view(c: CaseRecord): ComplaintDetail {
    c.detail.clock = clockOf(c);
    const open = c.detail.status === 'open' || c.detail.status === 'paused';
    c.detail.extensions = extensions
      .filter((e) => caseOfExtension(e.id) === c.detail.id)
      .map((e) => ({
        ...e,
        mayMarkNotified: open && e.customerNotifiedAt === null && (e.status === 'applied' || e.status === 'approved'),
      }));
    let me: DeskStaff | null = null;
    try {
      me = ctx.handler();
    } catch {
      me = null;
    }
    c.detail.actions = actionsOf(c.detail, me);
    return structuredClone(c.detail);
  }

  const extensionCase = new Map<number, number>();
  function caseOfExtension(id: number): number | undefined {
    return extensionCase.get(id);
  }

  function find(id: number): CaseRecord {
    const c = cases.find((x) => x.detail.id === id);
    if (c === undefined) throw apiError('not_found', `complaint ${id}`);
    return c;
  }

  function checkInterest(c: CaseRecord, staffId: number, actor: DeskStaff, action: string): void {
    if (c.detail.interestedParties.some((p) => p.staffId === staffId)) {
      ctx.audit(action, 'refused', `staff ${staffId} has a direct interest`, actor, c.detail.caseNo);
      throw apiError('conflict', `staff ${staffId} has a direct interest in case ${c.detail.caseNo}`);
    }
  }

  /** A step on an open case by a handler without interest, audited under `action`. */
  function work(caseId: number, action: string, actor: DeskStaff, step: (c: CaseRecord) => string): ComplaintDetail {
    const c = find(caseId);
    checkInterest(c, actor.staffId, actor, action);
    if (c.detail.status !== 'open' && c.detail.status !== 'paused') {
      ctx.audit(action, 'refused', `case is ${c.detail.status}`, actor, c.detail.caseNo);
      throw apiError('conflict', `case ${c.detail.caseNo} is ${c.detail.status}; the step needs an open case`);
    }
    let detail: string;
    try {
      detail = step(c);
    } catch (err) {
      if ((err as { code?: string }).code === 'conflict') {
        ctx.audit(action, 'refused', (err as { message: string }).message, actor, c.detail.caseNo);
      }
      throw err;
    }
    c.detail.dueOn = dueOf(c);
    ctx.audit(action, 'ok', detail, actor, c.detail.caseNo);
    return view(c);
  }

  function event(c: CaseRecord, kind: string, reason: string | null, actor: DeskStaff, approvedBy: string | null = null) {
    c.detail.events.push({ kind, on: today(), reason, approvedBy, recordedBy: actor.staffId });
  }

  function addExtension(c: CaseRecord, kind: ExtensionView['kind'], reason: string, actor: DeskStaff, status: ExtensionView['status']) {
    const ext: ExtensionView = {
      id: extensions.length + 1,
      kind,
      reason,
      requestedBy: actor.staffId,
      requestedAt: stamp(),
      status,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      customerNotifiedAt: null,
      mayMarkNotified: false,
    };
    extensions.push(ext);
    extensionCase.set(ext.id, c.detail.id);
    return ext;
  }

  interface NewCase {
    channel: ComplaintDetail['channel'];
    complainant: ComplaintDetail['complainant'];
    product: string;
    categoryId: number;
    whatHappened: string;
    customerAsks: string;
    severity: ComplaintDetail['severity'];
    receivedOn: string;
    team: string;
    representatives: { name: string; contact: string }[];
    interestedStaffIds: number[];
    linkedId: number | null;
    reviewOfId: number | null;
    limitDays: number;
  }

  function insert(n: NewCase): CaseRecord {
    serial += 1;
    const year = today().slice(0, 4);
    const c: CaseRecord = {
      pausedSince: null,
      detail: {
        id: serial,
        caseNo: `TS-${year}-${String(serial).padStart(6, '0')}`,
        channel: n.channel,
        complainant: n.complainant,
        product: n.product,
        categoryId: n.categoryId,
        whatHappened: n.whatHappened,
        customerAsks: n.customerAsks,
        severity: n.severity,
        branch: ctx.team(),
        receivedOn: n.receivedOn,
        assigneeId: null,
        team: n.team,
        status: 'open',
        dueOn: n.receivedOn,
        clock: { state: 'onTrack', daysLeft: 0 },
        limitDays: n.limitDays,
        pausedDays: 0,
        closedOn: null,
        onTime: null,
        linkedId: n.linkedId,
        mergedIntoId: null,
        reviewOfId: n.reviewOfId,
        reviewCaseId: null,
        reviewWindowEnd: null,
        decision: null,
        events: [],
        extensions: [],
        representatives: n.representatives.map((r) => ({ id: ++repId, ...r })),
        notes: [],
        contacts: [],
        interestedParties: n.interestedStaffIds.map((staffId) => ({ staffId, reason: 'declared at intake' })),
        survey: null,
        actions: [],
      },
    };
    c.detail.dueOn = dueOf(c);
    cases.push(c);
    return c;
  }

  function categoryName(id: number): string {
    return MEMORY_CATEGORIES.find((g) => g.id === id)?.name ?? String(id);
  }

  function subtree(root: number): number[] {
    const out = [root];
    for (const g of MEMORY_CATEGORIES) if (g.parentId !== null && out.includes(g.parentId)) out.push(g.id);
    return out;
  }

  function row(c: CaseRecord): QueueRow {
    const d = c.detail;
    d.clock = clockOf(c);
    return {
      id: d.id,
      caseNo: d.caseNo,
      channel: d.channel,
      complainant: d.complainant.kind === 'customer' ? d.complainant.customerId : d.complainant.name,
      product: d.product,
      categoryId: d.categoryId,
      categoryName: categoryName(d.categoryId),
      severity: d.severity,
      assigneeId: d.assigneeId,
      team: d.team,
      status: d.status,
      receivedOn: d.receivedOn,
      dueOn: d.dueOn,
      clock: structuredClone(d.clock),
    };
  }

  if (ctx.seed) {
    const handler = ctx.staff().find((s) => s.role === 'complaints');
    // The first weekday among today+2, +1 and today: "due soon" whatever today is.
    const soon = [2, 1, 0].find((k) => workingDue(addDays(today(), k)) === addDays(today(), k)) ?? 0;
    const seeds: [number, ComplaintDetail['channel'], string, number, string, boolean][] = [
      // due in (days), channel, customer, category, product, assigned to the demo handler
      [10, 'phone', 'C1001', 2, '数字钱包', true],
      [soon, 'counter', 'C1002', 12, '借记卡', false],
      [-4, 'online', 'C1003', 10, '网点服务', false],
      [13, 'letter', 'C1004', 3, '数字钱包', false],
    ];
    for (const [dueIn, channel, customerId, categoryId, product, mine] of seeds) {
      const c = insert({
        channel,
        complainant: { kind: 'customer', customerId },
        product,
        categoryId,
        whatHappened: '演示：客户反映扣款后未到账。',
        customerAsks: '演示：尽快退回款项。',
        severity: 'medium',
        receivedOn: addDays(today(), dueIn - LIMIT.decide),
        team: ctx.team(),
        representatives: [],
        interestedStaffIds: [],
        linkedId: null,
        reviewOfId: null,
        limitDays: LIMIT.decide,
      });
      if (mine && handler !== undefined) c.detail.assigneeId = handler.staffId;
    }
  }

  const ok = <T>(f: () => T): Promise<T> => {
    try {
      return Promise.resolve(structuredClone(f()));
    } catch (err) {
      return Promise.reject(toApiError(err));
    }
  };

  function stats(query: { from: string; to: string; by: StatsDimension }) {
    if (!DATE.test(query.from) || !DATE.test(query.to)) throw apiError('invalid_input', 'period: dates', [{ field: 'period', code: 'dates' }]);
    if (query.to < query.from) throw apiError('invalid_input', "period: 'to' is before 'from'");
    const groups = new Map<string, { label: string; cases: CaseRecord[] }>();
    const keyOf = (c: CaseRecord): [string, string] => {
      const d = c.detail;
      switch (query.by) {
        case 'category': {
          const g = MEMORY_CATEGORIES.find((x) => x.id === d.categoryId);
          return [g?.code ?? String(d.categoryId), g?.name ?? String(d.categoryId)];
        }
        case 'channel':
          return [d.channel, d.channel];
        case 'product':
          return [d.product, d.product];
        case 'cause':
          return [d.decision?.rootCause ?? 'none', d.decision?.rootCause ?? 'none'];
        case 'branch':
          return [d.branch, d.branch];
        case 'month':
          return [d.receivedOn.slice(0, 7), d.receivedOn.slice(0, 7)];
      }
    };
    const inPeriod = cases.filter((c) => c.detail.receivedOn >= query.from && c.detail.receivedOn <= query.to);
    for (const c of inPeriod) {
      const [key, label] = keyOf(c);
      const g = groups.get(key) ?? { label, cases: [] };
      g.cases.push(c);
      groups.set(key, g);
    }
    const tally = (key: string, label: string, list: CaseRecord[]): StatsRow => {
      const decided = list.filter((c) => c.detail.status === 'decided');
      const onTime = decided.filter((c) => c.detail.onTime === true).length;
      const fen = decided.reduce((sum, c) => sum + Math.round(Number(c.detail.decision?.compensation ?? '0') * 100), 0);
      return {
        key,
        label,
        received: list.length,
        decided: decided.length,
        decidedOnTime: onTime,
        withdrawn: list.filter((c) => c.detail.status === 'withdrawn').length,
        merged: list.filter((c) => c.detail.status === 'merged').length,
        open: list.filter((c) => c.detail.status === 'open' || c.detail.status === 'paused').length,
        openOverdue: list.filter((c) => clockOf(c).state === 'overdue').length,
        onTimeRate: decided.length === 0 ? null : ((onTime * 100) / decided.length).toFixed(1),
        compensation: (fen / 100).toFixed(2),
      };
    };
    const rows = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => tally(k, g.label, g.cases));
    return { by: query.by, from: query.from, to: query.to, rows, total: tally('total', 'total', inPeriod) };
  }

  return {
    complaintCategories: () =>
      ok(() => {
        ctx.handler();
        return MEMORY_CATEGORIES;
      }),

    complaintRegister: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const complainant =
          input.complainant.kind === 'customer'
            ? { kind: 'customer' as const, customerId: text('customer id', input.complainant.customerId, 64) }
            : {
                kind: 'notACustomer' as const,
                name: text('name', input.complainant.name, SHORT),
                contact: text('contact', input.complainant.contact, SHORT),
              };
        const receivedOn = input.receivedOn ?? today();
        if (receivedOn > today()) throw apiError('invalid_input', 'received on: cannot be in the future');
        const representatives = input.representatives.map((r) => ({
          name: text('representative name', r.name, SHORT),
          contact: text('representative contact', r.contact, SHORT),
        }));
        const parsed = {
          product: text('product', input.product, SHORT),
          whatHappened: text('what happened', input.whatHappened, LONG),
          customerAsks: text('what the customer asks', input.customerAsks, LONG),
          team: text('team', input.team, SHORT),
        };
        if (!MEMORY_CATEGORIES.some((g) => g.id === input.categoryId)) {
          throw apiError('invalid_input', `category ${input.categoryId} does not exist`);
        }
        if (representatives.length > MAX_REPRESENTATIVES) {
          ctx.audit('complaint.register_refused', 'refused', 'too many representatives', actor, null);
          throw apiError('conflict', `a group sends at most ${MAX_REPRESENTATIVES} representatives`);
        }
        const c = insert({
          channel: input.channel,
          complainant,
          ...parsed,
          categoryId: input.categoryId,
          severity: input.severity,
          receivedOn,
          representatives,
          interestedStaffIds: input.interestedStaffIds,
          linkedId: input.linkedId,
          reviewOfId: null,
          limitDays: LIMIT.decide,
        });
        ctx.audit('complaint.registered', 'ok', `${c.detail.caseNo} via ${input.channel}`, actor, c.detail.caseNo);
        return view(c);
      }),

    complaintGet: (caseId) =>
      ok(() => {
        const actor = ctx.handler();
        const c = find(caseId);
        checkInterest(c, actor.staffId, actor, 'complaint.view_refused');
        return view(c);
      }),

    complaintQueue: (query) =>
      ok(() => {
        const actor = ctx.handler();
        const limit = query.limit === 0 ? 50 : query.limit;
        if (limit > 200) throw apiError('invalid_input', 'limit: at most 200 rows a page');
        const team = query.team?.trim() ?? '';
        if (query.queue === 'team' && team === '') throw apiError('invalid_input', 'team: required for the team queue');
        const t = today();
        const soon = addDays(t, LIMIT.dueSoon);
        const categories = query.categoryId === null ? null : subtree(query.categoryId);
        const matching = cases
          .filter((c) => {
            const d = c.detail;
            if (d.status !== 'open' && d.status !== 'paused') return false;
            if (query.status !== null && d.status !== query.status) return false;
            if (query.channel !== null && d.channel !== query.channel) return false;
            if (categories !== null && !categories.includes(d.categoryId)) return false;
            switch (query.queue) {
              case 'mine':
                return d.assigneeId === actor.staffId;
              case 'team':
                return d.team === team;
              case 'unassigned':
                return d.assigneeId === null;
              case 'dueSoon':
                return d.status === 'open' && d.dueOn >= t && d.dueOn <= soon;
              case 'overdue':
                return d.status === 'open' && d.dueOn < t;
            }
          })
          .sort((a, b) => a.detail.dueOn.localeCompare(b.detail.dueOn) || a.detail.id - b.detail.id)
          .filter((c) => {
            const after = query.after;
            if (after === null) return true;
            return c.detail.dueOn > after.dueOn || (c.detail.dueOn === after.dueOn && c.detail.id > after.id);
          });
        const rows = matching.slice(0, limit).map(row);
        const last = rows[rows.length - 1];
        return { rows, next: matching.length > limit && last !== undefined ? { dueOn: last.dueOn, id: last.id } : null };
      }),

    complaintAssign: (input) =>
      ok(() => {
        const actor = ctx.handler();
        return work(input.caseId, 'complaint.assigned', actor, (c) => {
          if (input.assigneeId !== null) {
            const who = ctx.staff().find((s) => s.staffId === input.assigneeId);
            if (who === undefined || !HANDLER_ROLES.includes(who.role)) {
              throw apiError('conflict', `staff ${input.assigneeId} cannot handle complaints`);
            }
            checkInterest(c, input.assigneeId, actor, 'complaint.assigned');
          }
          const from = c.detail.assigneeId;
          c.detail.assigneeId = input.assigneeId;
          if (input.team !== null) c.detail.team = text('team', input.team, SHORT);
          return `from ${String(from)} to ${String(input.assigneeId)}`;
        });
      }),

    complaintDeclareInterest: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const reason = text('reason', input.reason, SHORT);
        return work(input.caseId, 'complaint.interest_declared', actor, (c) => {
          c.detail.interestedParties.push({ staffId: input.staffId, reason });
          if (c.detail.assigneeId === input.staffId) c.detail.assigneeId = null;
          return `staff ${input.staffId}`;
        });
      }),

    complaintAddNote: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const body = text('note', input.text, LONG);
        return work(input.caseId, 'complaint.note_added', actor, (c) => {
          c.detail.notes.push({ id: ++noteId, authorId: actor.staffId, at: stamp(), body });
          return `note ${noteId}`;
        });
      }),

    complaintLogContact: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const summary = text('summary', input.summary, LONG);
        return work(input.caseId, 'complaint.contact_logged', actor, (c) => {
          c.detail.contacts.push({
            id: ++contactId,
            staffId: actor.staffId,
            at: stamp(),
            kind: input.kind,
            outcome: input.outcome,
            summary,
          });
          return `${input.kind} ${input.outcome}`;
        });
      }),

    complaintAddRepresentative: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const name = text('name', input.name, SHORT);
        const contact = text('contact', input.contact, SHORT);
        return work(input.caseId, 'complaint.representative_added', actor, (c) => {
          if (c.detail.representatives.length >= MAX_REPRESENTATIVES) {
            throw apiError('conflict', `a group sends at most ${MAX_REPRESENTATIVES} representatives`);
          }
          c.detail.representatives.push({ id: ++repId, name, contact });
          return `representative ${repId}`;
        });
      }),

    complaintPause: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const reason = text('appraisal', input.text, LONG);
        return work(input.caseId, 'complaint.paused', actor, (c) => {
          if (c.pausedSince !== null) throw apiError('conflict', 'the clock is already paused');
          c.pausedSince = today();
          c.detail.status = 'paused';
          event(c, 'pause', reason, actor);
          return reason;
        });
      }),

    complaintResume: (caseId) =>
      ok(() => {
        const actor = ctx.handler();
        return work(caseId, 'complaint.resumed', actor, (c) => {
          if (c.pausedSince === null) throw apiError('conflict', 'the clock is not paused');
          c.detail.pausedDays += daysBetween(c.pausedSince, today());
          c.pausedSince = null;
          c.detail.status = 'open';
          event(c, 'resume', null, actor);
          return 'resumed';
        });
      }),

    complaintExtendComplex: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const reason = text('reason', input.text, LONG);
        return work(input.caseId, 'complaint.extended_complex', actor, (c) => {
          if (c.detail.limitDays >= LIMIT.complex) throw apiError('conflict', 'already extended');
          c.detail.limitDays = LIMIT.complex;
          event(c, 'extendComplex', reason, actor);
          addExtension(c, 'complex', reason, actor, 'applied');
          return reason;
        });
      }),

    complaintNewFacts: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const facts = text('new facts', input.text, LONG);
        return work(input.caseId, 'complaint.restarted_new_facts', actor, (c) => {
          c.detail.receivedOn = today();
          c.detail.limitDays = LIMIT.decide;
          c.detail.pausedDays = 0;
          event(c, 'restart', facts, actor);
          c.detail.notes.push({ id: ++noteId, authorId: actor.staffId, at: stamp(), body: facts });
          return facts;
        });
      }),

    complaintRequestExtension: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const reason = text('reason', input.text, LONG);
        return work(input.caseId, 'complaint.extension_requested', actor, (c) => {
          const mine = extensions.filter((e) => caseOfExtension(e.id) === c.detail.id);
          if (mine.some((e) => e.status === 'pending')) {
            throw apiError('conflict', `case ${c.detail.caseNo} already has an extension waiting for approval`);
          }
          if (c.detail.limitDays < LIMIT.complex) {
            throw apiError('conflict', 'a particularly complex extension needs the complex extension first');
          }
          if (c.detail.limitDays + LIMIT.extra > LIMIT.max) throw apiError('conflict', 'beyond the maximum');
          const ext = addExtension(c, 'particularlyComplex', reason, actor, 'pending');
          return `extension ${ext.id}`;
        });
      }),

    complaintPendingExtensions: () =>
      ok(() => {
        ctx.supervisor('approve_complaint_extension');
        return extensions
          .filter((e) => e.status === 'pending')
          .map((e) => {
            const c = find(caseOfExtension(e.id) ?? 0);
            return {
              extensionId: e.id,
              caseId: c.detail.id,
              caseNo: c.detail.caseNo,
              reason: e.reason,
              requestedBy: e.requestedBy,
              requestedAt: e.requestedAt,
              dueOn: c.detail.dueOn,
            };
          });
      }),

    complaintDecideExtension: (input) =>
      ok(() => {
        const ext = extensions.find((e) => e.id === input.extensionId);
        if (ext === undefined) throw apiError('not_found', `extension request ${input.extensionId}`);
        const action = input.approve ? 'complaint.extension_approved' : 'complaint.extension_refused';
        const actor = ctx.supervisor('approve_complaint_extension');
        return work(caseOfExtension(ext.id) ?? 0, action, actor, (c) => {
          if (ext.status !== 'pending') throw apiError('conflict', `extension request ${ext.id} was already ${ext.status}`);
          if (ext.requestedBy === actor.staffId) {
            throw apiError('conflict', 'an extension must be approved by a supervisor other than the one who asked for it');
          }
          const note = input.note?.trim() ?? '';
          if (!input.approve && note === '') throw apiError('invalid_input', 'note: say why the extension is refused');
          if (input.approve) {
            c.detail.limitDays = Math.min(LIMIT.max, c.detail.limitDays + LIMIT.extra);
            event(c, 'extendParticularlyComplex', ext.reason, actor, actor.username);
          }
          ext.status = input.approve ? 'approved' : 'refused';
          ext.decidedBy = actor.staffId;
          ext.decidedAt = stamp();
          ext.decisionNote = note === '' ? null : note;
          return `extension ${ext.id}`;
        });
      }),

    complaintExtensionNotified: (extensionId) =>
      ok(() => {
        const actor = ctx.handler();
        const ext = extensions.find((e) => e.id === extensionId);
        if (ext === undefined) throw apiError('not_found', `extension request ${extensionId}`);
        return work(caseOfExtension(ext.id) ?? 0, 'complaint.extension_notified', actor, () => {
          if (ext.status !== 'applied' && ext.status !== 'approved') {
            throw apiError('conflict', 'only an extension in force can be notified to the customer');
          }
          ext.customerNotifiedAt = stamp();
          return `extension ${ext.id}`;
        });
      }),

    complaintMergeRepeat: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const into = find(input.intoId);
        if (input.repeatId === input.intoId || into.detail.status === 'merged') {
          throw apiError('conflict', 'a repeat cannot be merged into itself or into a merged case');
        }
        work(input.repeatId, 'complaint.merged_repeat', actor, (c) => {
          c.detail.status = 'merged';
          c.detail.mergedIntoId = input.intoId;
          c.detail.closedOn = today();
          return `into ${into.detail.caseNo}`;
        });
        return view(into);
      }),

    complaintWithdraw: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const arrivedOn = input.arrivedOn ?? today();
        if (arrivedOn > today()) throw apiError('invalid_input', 'arrived on: cannot be in the future');
        const note = input.note?.trim() ?? '';
        return work(input.caseId, 'complaint.withdrawn', actor, (c) => {
          c.detail.status = 'withdrawn';
          c.detail.closedOn = arrivedOn;
          c.detail.onTime = arrivedOn <= c.detail.dueOn;
          c.pausedSince = null;
          event(c, 'withdraw', null, actor);
          if (note !== '') c.detail.notes.push({ id: ++noteId, authorId: actor.staffId, at: stamp(), body: note });
          return `arrived ${arrivedOn}`;
        });
      }),

    complaintDecide: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const c0 = find(input.caseId);
        if (c0.detail.reviewOfId !== null && actor.role !== 'supervisor') {
          throw apiError('forbidden', 'needs decide_complaint_review');
        }
        const compensation = input.compensation?.trim() ?? null;
        if (compensation !== null && !MONEY.test(compensation)) {
          throw apiError('invalid_input', 'compensation: not a decimal amount');
        }
        const findings = text('findings', input.findings, LONG);
        const reasons = text('reasons', input.reasons, LONG);
        const sourceFix = text('fix at the source', input.sourceFix, LONG);
        const remedy = input.remedy?.trim() ?? '';
        return work(input.caseId, 'complaint.decided', actor, (c) => {
          if (c.pausedSince !== null) throw apiError('conflict', 'the clock is paused');
          const t = today();
          c.detail.status = 'decided';
          c.detail.closedOn = t;
          c.detail.onTime = t <= c.detail.dueOn;
          c.detail.reviewWindowEnd = c.detail.reviewOfId === null ? addDays(t, LIMIT.reviewWithin) : null;
          c.detail.decision = {
            findings,
            reasons,
            remedy: remedy === '' ? null : remedy,
            compensation: compensation === null ? null : Number(compensation).toFixed(2),
            rootCause: input.rootCause,
            sourceFix,
            decidedBy: actor.staffId,
            options:
              c.detail.reviewOfId === null
                ? ['review', 'mediation', 'arbitration', 'court']
                : ['mediation', 'arbitration', 'court'],
          };
          event(c, 'decide', null, actor);
          return `root cause ${input.rootCause}`;
        });
      }),

    complaintRequestReview: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const c = find(input.caseId);
        const refuse = (message: string) => {
          ctx.audit('complaint.review_refused', 'refused', message, actor, c.detail.caseNo);
          return apiError('conflict', message);
        };
        const grounds = text('grounds', input.grounds, LONG);
        const team = text('team', input.team, SHORT);
        const requestedOn = input.requestedOn ?? today();
        if (c.detail.status !== 'decided') throw refuse('only a decided case can be reviewed');
        if (c.detail.reviewOfId !== null) throw refuse('a review case cannot itself be reviewed');
        if (c.detail.reviewCaseId !== null) throw refuse(`case ${c.detail.caseNo} already has a review case`);
        if (c.detail.reviewWindowEnd !== null && requestedOn > c.detail.reviewWindowEnd) {
          throw refuse('the review window has closed');
        }
        const review = insert({
          ...c.detail,
          receivedOn: requestedOn,
          team,
          whatHappened: grounds,
          representatives: [],
          interestedStaffIds: c.detail.interestedParties.map((p) => p.staffId),
          linkedId: null,
          reviewOfId: c.detail.id,
          limitDays: 30,
        });
        c.detail.reviewCaseId = review.detail.id;
        ctx.audit('complaint.review_opened', 'ok', `review ${review.detail.caseNo}`, actor, c.detail.caseNo);
        return view(review);
      }),

    complaintRecordSurvey: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const c = find(input.caseId);
        const closed = c.detail.status === 'decided' || c.detail.status === 'withdrawn';
        if (!closed || c.detail.survey !== null) {
          ctx.audit('complaint.survey_refused', 'refused', 'not closed or already taken', actor, c.detail.caseNo);
          throw apiError('conflict', 'the survey can be taken only once the case is closed, and only once');
        }
        if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) {
          throw apiError('invalid_input', 'score: 1 to 5');
        }
        c.detail.survey = { score: input.score, comment: input.comment.trim(), recordedBy: actor.staffId, at: stamp() };
        ctx.audit('complaint.survey_recorded', 'ok', `score ${input.score}`, actor, c.detail.caseNo);
        return view(c);
      }),

    complaintSuggest: (input) =>
      ok(() => {
        const actor = ctx.handler();
        const s: Suggestion = {
          id: suggestions.length + 1,
          caseId: input.caseId,
          idea: text('idea', input.idea, LONG),
          suggestedBy: text('suggested by', input.suggestedBy, SHORT),
          at: stamp(),
          rewardGranted: false,
          rewardGrantedBy: null,
        };
        suggestions.push(s);
        ctx.audit('complaint.suggestion_added', 'ok', `suggestion ${s.id}`, actor, null);
        return s.id;
      }),

    complaintSuggestions: () =>
      ok(() => {
        ctx.handler();
        return suggestions;
      }),

    complaintStats: (query) =>
      ok(() => {
        ctx.supervisor('view_complaint_stats');
        return stats(query);
      }),

    complaintStatsCsv: (query) =>
      ok(() => {
        const actor = ctx.supervisor('view_complaint_stats');
        const report = stats(query);
        const lines = ['key,label,received,decided,decided_on_time,on_time_rate,open_overdue,compensation'];
        for (const r of [...report.rows, report.total]) {
          lines.push(
            [r.key, r.label, r.received, r.decided, r.decidedOnTime, r.onTimeRate ?? '', r.openOverdue, r.compensation].join(','),
          );
        }
        const fileName = `complaints-${query.by}-${query.from}-${query.to}.csv`;
        ctx.audit('complaint.stats_exported', 'ok', fileName, actor, null);
        return { fileName, contentType: 'text/csv; charset=utf-8', content: `${lines.join('\n')}\n` };
      }),

    complaintLetter: (request) =>
      ok(() => {
        const actor = ctx.handler();
        const c = find(request.caseId);
        checkInterest(c, actor.staffId, actor, 'complaint.view_refused');
        const detail = view(c);
        if (detail.decision === null) throw apiError('conflict', 'the complaint is not decided yet');
        // Not a real PDF: the fake only proves the download path; the Rust side makes the PDF.
        const text = `%PDF-1.7 fake letter ${detail.caseNo} ${request.outcome}`;
        return {
          fileName: `${detail.caseNo}-答复函.pdf`,
          contentType: 'application/pdf',
          bytes: Array.from(new TextEncoder().encode(text)),
        };
      }),

    complaintStatsXlsx: (query) =>
      ok(() => {
        const actor = ctx.supervisor('view_complaint_stats');
        stats(query);
        const fileName = `complaints-${query.by}-${query.from}-${query.to}.xlsx`;
        ctx.audit('complaint.stats_exported', 'ok', fileName, actor, null);
        // Not a real workbook: the fake only proves the bytes reach the download.
        return {
          fileName,
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          bytes: [0x50, 0x4b, 0x03, 0x04],
        };
      }),
  };
}
