import type { Area } from '../bindings/Area';
import type { AuditEntry } from '../bindings/AuditEntry';
import type { AuditOutcome } from '../bindings/AuditOutcome';
import type { OutboxItem } from '../bindings/OutboxItem';
import type { Role } from '../bindings/Role';
import type { SessionState } from '../bindings/SessionState';
import type { Settings } from '../bindings/Settings';
import type { StaffSession } from '../bindings/StaffSession';
import type { StaffSummary } from '../bindings/StaffSummary';
import type { SyncStatus } from '../bindings/SyncStatus';
import type { Backend } from './index';
import { apiError, toApiError } from './errors';
import { searchDemoCustomers } from './memoryCustomers';
import { createMemoryComplaints } from './memoryComplaints';
import { TRAINING_CODE, createMemoryOnboarding, maskMobile, parseMobile } from './memoryOnboarding';
import { createMemoryCustomer360 } from './memoryCustomer360';

/** The backend's rule, copied for the fake only: the UI itself never decides areas. */
const AREAS_BY_ROLE: Record<Role, Area[]> = {
  teller: ['customers', 'onboarding', 'sync'],
  booth: ['booth', 'customers', 'sync'],
  complaints: ['complaints', 'customers', 'sync'],
  disputes: ['disputes', 'customers', 'sync'],
  supervisor: ['customers', 'booth', 'complaints', 'disputes', 'insights', 'audit', 'sync'],
  admin: ['audit', 'settings', 'sync'],
};

/** Only these roles may give up on an outbox item (the backend's DiscardSync). */
const DISCARD_ROLES: Role[] = ['supervisor', 'admin'];
const MIN_DISCARD_REASON = 4;

const MIN_PASSWORD = 10;
const MAX_FAILED_ATTEMPTS = 5;
const LOCKOUT_MS = 15 * 60 * 1000;

export const DEMO_PASSWORD = 'password123';

export interface MemoryOptions {
  /** Start at first-run setup with no staff at all. */
  needsSetup?: boolean;
  /** Start with this demo user already signed in. */
  signedInAs?: string | undefined;
  coreConnected?: boolean;
  trainingMode?: boolean;
  idleLockSecs?: number;
  branch?: string;
  /** Make audit_verify report a broken chain at this record. */
  brokenAt?: { id: number; reason: string } | undefined;
  /** How many demo audit records to start with. */
  auditSeed?: number;
  /** Start with demo outbox items (pending, failing, needing attention, done); default: in training. */
  syncSeed?: boolean;
  /** Start with demo complaint cases (one the demo handler's, others due soon or overdue); default: in training. */
  complaintSeed?: boolean;
}

/** An outbox row with its (in the real app sealed) body, whose top-level fields may be corrected. */
interface OutboxRecord {
  item: OutboxItem;
  body: Record<string, string>;
  /** Username of the staff member whose work queued it: only they or a supervisor correct it. */
  createdBy: string | null;
}

/** Mirrors the backend's `sync::correctable`: the fields a correction may change, per kind. */
const CORRECTABLE_FIELDS: Partial<Record<string, readonly string[]>> = {
  'customer.create': ['name', 'residentId', 'mobile'],
  'consent.record': ['guardianName'],
  'card.link': ['number', 'bankName'],
  'customer.update': ['idExpiresOn'],
  'consent.withdraw': ['reason'],
};
/** Mirrors ResolveSync: every role whose work is queued (not the administrator). */
const RESOLVE_ROLES: Role[] = ['teller', 'booth', 'complaints', 'disputes', 'supervisor'];

const MINUTE = 60_000;

/** The fake's own bounds (what its settingsUpdate accepts), sent as core sends its ranges. */
const SETTINGS_RANGES = { idleLockMinSecs: 60, idleLockMaxSecs: 4 * 3600, branchMaxChars: 60 };

interface StaffRecord {
  summary: StaffSummary;
  password: string;
  failed: number;
}

const DEMO_STAFF: { username: string; displayName: string; role: Role }[] = [
  { username: 'admin', displayName: '王管理', role: 'admin' },
  { username: 'teller', displayName: '李柜员', role: 'teller' },
  { username: 'booth', displayName: '赵推广', role: 'booth' },
  { username: 'complaints', displayName: '陈投诉', role: 'complaints' },
  { username: 'disputes', displayName: '孙争议', role: 'disputes' },
  { username: 'supervisor', displayName: '周主管', role: 'supervisor' },
];

const SEED_ACTIONS: { action: string; outcome: AuditOutcome; detail: string }[] = [
  { action: 'auth.sign_in', outcome: 'ok', detail: 'signed in' },
  { action: 'auth.sign_in_failed', outcome: 'refused', detail: 'wrong password' },
  { action: 'session.idle_locked', outcome: 'ok', detail: 'idle for 15 min' },
  { action: 'session.unlocked', outcome: 'ok', detail: 'unlocked' },
  { action: 'permission.refused', outcome: 'refused', detail: 'settings_update needs settings' },
  { action: 'customer.viewed', outcome: 'ok', detail: 'customer 360 opened' },
  { action: 'auth.sign_out', outcome: 'ok', detail: 'signed out' },
  { action: 'sync.push', outcome: 'failed', detail: 'core unavailable, will retry' },
];

export function createMemoryBackend(options: MemoryOptions = {}): Backend {
  let needsSetup = options.needsSetup ?? false;
  let settings: Settings = {
    idleLockSecs: options.idleLockSecs ?? 900,
    branch: options.branch ?? '演示支行 Demo Branch',
  };
  const coreConnected = options.coreConnected ?? true;
  const trainingMode = options.trainingMode ?? true;
  const staff: StaffRecord[] = [];
  const audit: AuditEntry[] = [];
  let session: { state: 'signed_out' } | { state: 'active' | 'locked'; staffId: number } = {
    state: 'signed_out',
  };

  const now = () => new Date();

  function addStaff(username: string, displayName: string, role: Role, password: string): StaffRecord {
    const record: StaffRecord = {
      summary: {
        staffId: staff.length + 1,
        username,
        displayName,
        role,
        active: true,
        lockedUntil: null,
        mustChangePassword: false,
      },
      password,
      failed: 0,
    };
    staff.push(record);
    return record;
  }

  function record(
    action: string,
    outcome: AuditOutcome,
    detail: string,
    actor: StaffRecord | null,
    extra: Partial<AuditEntry> = {},
  ): void {
    audit.push({
      id: audit.length + 1,
      at: now().toISOString(),
      actorId: actor?.summary.staffId ?? null,
      actor: actor?.summary.username ?? 'system',
      action,
      subjectKind: null,
      subjectId: null,
      customerId: null,
      outcome,
      detail,
      ...extra,
    });
  }

  if (!needsSetup) {
    for (const s of DEMO_STAFF) addStaff(s.username, s.displayName, s.role, DEMO_PASSWORD);
    const seed = options.auditSeed ?? 42;
    const start = now().getTime() - seed * 3_600_000;
    for (let i = 0; i < seed; i++) {
      const pick = SEED_ACTIONS[i % SEED_ACTIONS.length] ?? SEED_ACTIONS[0];
      const actor = staff[i % staff.length] ?? null;
      if (pick === undefined) break;
      audit.push({
        id: i + 1,
        at: new Date(start + i * 3_600_000).toISOString(),
        actorId: actor?.summary.staffId ?? null,
        actor: actor?.summary.username ?? 'system',
        action: pick.action,
        subjectKind: pick.action === 'customer.viewed' ? 'customer' : null,
        subjectId: pick.action === 'customer.viewed' ? `C${String(1000 + i)}` : null,
        customerId: pick.action === 'customer.viewed' ? `C${String(1000 + i)}` : null,
        outcome: pick.outcome,
        detail: pick.detail,
      });
    }
  }

  const outbox: OutboxRecord[] = [];
  let lastSyncedAt: string | null = null;
  let lastSyncError: string | null = coreConnected ? null : 'core unavailable: connection refused';

  if (!needsSetup && (options.syncSeed ?? trainingMode)) {
    const at = (minutesAgo: number) => new Date(now().getTime() - minutesAgo * MINUTE).toISOString();
    const item = (fields: Partial<OutboxItem> & Pick<OutboxItem, 'id' | 'kind' | 'summary' | 'state'>): OutboxItem => ({
      correctable: [],
      mayResend: false,
      mayDiscard: false,
      recordRef: null,
      attempts: 0,
      nextAttemptAt: at(0),
      lastError: null,
      attentionReason: null,
      createdAt: at(60),
      doneAt: null,
      ...fields,
    });
    outbox.push(
      {
        item: item({
          id: 1,
          kind: 'wallet.open',
          summary: '开立钱包 张** 139****2046',
          state: 'done',
          attempts: 1,
          createdAt: at(95),
          doneAt: at(94),
        }),
        body: { customerId: 'C1001', tier: 'tier3' },
        createdBy: 'teller',
      },
      {
        item: item({
          id: 2,
          kind: 'wallet.tier',
          summary: '钱包升级 刘** 三类→二类',
          state: 'pending',
          attempts: 3,
          lastError: 'core unavailable: connection timed out',
          nextAttemptAt: at(-2),
          createdAt: at(40),
        }),
        body: { walletId: 'W0042', tier: 'tier2' },
        createdBy: 'teller',
      },
      {
        item: item({
          id: 3,
          kind: 'customer.create',
          summary: '开户 王** 138****5678',
          state: 'attention',
          attempts: 1,
          attentionReason:
            'Customer already exists: a customer with this resident ID or mobile already exists',
          createdAt: at(25),
        }),
        body: { name: '王小明', residentId: '110101199003071234', mobile: '13812345678' },
        createdBy: 'teller',
      },
      {
        item: item({
          id: 4,
          kind: 'complaint.register',
          summary: '投诉登记 陈** 扣款未到账',
          state: 'pending',
          createdAt: at(3),
        }),
        body: { customerId: 'C1002', category: 'payment', text: '扣款未到账' },
        createdBy: 'complaints',
      },
    );
    lastSyncedAt = at(5);
  }

  function syncStatus(): SyncStatus {
    const pending = outbox.filter((r) => r.item.state === 'pending');
    return {
      queued: pending.length,
      failing: pending.filter((r) => r.item.attempts > 0).length,
      attention: outbox.filter((r) => r.item.state === 'attention').length,
      lastSyncedAt,
      lastError: lastSyncError,
    };
  }

  function outboxRecord(id: number): OutboxRecord | undefined {
    return outbox.find((r) => r.item.id === id);
  }

  /** Codes sent to a corrected mobile, by outbox id. */
  const resendCodes = new Map<number, { staffId: number; mobile: string }>();

  function requireResolve(): StaffRecord {
    const actor = requireArea('sync');
    if (!RESOLVE_ROLES.includes(actor.summary.role)) {
      record('permission.refused', 'refused', 'needs resolve_sync', actor);
      throw apiError('forbidden', 'needs resolve_sync');
    }
    return actor;
  }

  /** The item, if `actor` made it or supervises, and it needs attention. */
  function correctableRecord(id: number, actor: StaffRecord, refusal: string): OutboxRecord {
    const r = outboxRecord(id);
    if (r === undefined) throw apiError('not_found', `outbox item ${id}`);
    if (r.createdBy !== actor.summary.username && actor.summary.role !== 'supervisor') {
      record(refusal, 'refused', `outbox ${id}: not_the_maker`, actor);
      throw apiError('forbidden', 'only the operation\'s maker or a supervisor corrects it');
    }
    if (r.item.state !== 'attention') {
      throw apiError('conflict', 'only an item that needs attention can be resent');
    }
    return r;
  }

  if (options.signedInAs !== undefined) {
    const found = staff.find((s) => s.summary.username === options.signedInAs);
    if (found) session = { state: 'active', staffId: found.summary.staffId };
  }

  /** The signed-in account, read afresh like the backend does: a deactivated one's session ends. */
  function current(): StaffRecord | null {
    if (session.state === 'signed_out') return null;
    const id = session.staffId;
    const r = staff.find((s) => s.summary.staffId === id) ?? null;
    if (r === null || !r.summary.active) {
      session = { state: 'signed_out' };
      return null;
    }
    return r;
  }

  function toSession(r: StaffRecord): StaffSession {
    return {
      staffId: r.summary.staffId,
      username: r.summary.username,
      displayName: r.summary.displayName,
      role: r.summary.role,
      branch: settings.branch,
      areas: [...AREAS_BY_ROLE[r.summary.role]],
      idleLockSecs: settings.idleLockSecs,
      mustChangePassword: r.summary.mustChangePassword,
    };
  }

  function state(): SessionState {
    const r = current();
    if (session.state === 'signed_out' || r === null) return { state: 'signed_out' };
    return { state: session.state, session: toSession(r) };
  }

  /** The signed-in, unlocked staff member allowed into `area`, or a rejection. */
  function requireArea(area: Area | null): StaffRecord {
    const r = current();
    if (r === null) throw apiError('not_signed_in', 'not signed in');
    if (session.state === 'locked') throw apiError('session_locked', 'session is locked');
    if (r.summary.mustChangePassword) throw apiError('password_change_required', 'set a new password first');
    if (area !== null && !AREAS_BY_ROLE[r.summary.role].includes(area)) {
      record('permission.refused', 'refused', `needs area ${area}`, r);
      throw apiError('forbidden', `needs area ${area}`);
    }
    return r;
  }

  function checkPassword(password: string): void {
    if (password.length < MIN_PASSWORD) throw apiError('weak_password', 'password too short');
  }

  function staffById(id: number): StaffRecord {
    const r = staff.find((s) => s.summary.staffId === id);
    if (r === undefined) throw apiError('not_found', `staff ${id}`);
    return r;
  }

  /** The backend's last-administrator rule, copied for the fake. */
  function keepAnAdmin(target: StaffRecord): void {
    const activeAdmins = staff.filter((s) => s.summary.role === 'admin' && s.summary.active).length;
    if (target.summary.role === 'admin' && target.summary.active && activeAdmins <= 1) {
      throw apiError('conflict', 'conflict: staff: last_admin', [{ field: 'staff', code: 'last_admin' }]);
    }
  }

  function checkName(value: string, field: string): string {
    const v = value.trim();
    if (v.length === 0) throw apiError('invalid_input', `${field} is empty`);
    return v;
  }

  const complaints = createMemoryComplaints({
    handler: () => {
      const r = requireArea('complaints');
      return { staffId: r.summary.staffId, username: r.summary.username, role: r.summary.role };
    },
    supervisor: (what) => {
      const r = requireArea('complaints');
      if (r.summary.role !== 'supervisor') {
        record('permission.refused', 'refused', `needs ${what}`, r);
        throw apiError('forbidden', `needs ${what}`);
      }
      return { staffId: r.summary.staffId, username: r.summary.username, role: r.summary.role };
    },
    staff: () =>
      staff
        .filter((s) => s.summary.active)
        .map((s) => ({ staffId: s.summary.staffId, username: s.summary.username, role: s.summary.role })),
    now,
    team: () => settings.branch,
    audit: (action, outcome, detail, actor, caseNo) => {
      const r = staff.find((s) => s.summary.staffId === actor.staffId) ?? null;
      record(action, outcome, detail, r, caseNo === null ? {} : { subjectKind: 'complaint', subjectId: caseNo });
    },
    seed: !needsSetup && (options.complaintSeed ?? trainingMode),
  });

  const onboarding = createMemoryOnboarding({
    teller: () => {
      const r = requireArea('onboarding');
      return { staffId: r.summary.staffId, username: r.summary.username };
    },
    now,
    trainingMode,
    coreConnected,
    audit: (action, detail, actor) => {
      record(action, 'ok', detail, staff.find((s) => s.summary.staffId === actor.staffId) ?? null);
    },
    enqueue: (op) => {
      enqueueItem(op);
    },
  });

  function enqueueItem(op: { kind: string; summary: string; recordRef: string; body: Record<string, string> }): number {
    const at = now().toISOString();
    const id = outbox.reduce((max, r) => Math.max(max, r.item.id), 0) + 1;
    outbox.push({
      item: {
        id,
        kind: op.kind,
        summary: op.summary,
        state: 'pending',
        recordRef: op.recordRef,
        attempts: 0,
        nextAttemptAt: at,
        lastError: null,
        attentionReason: null,
        correctable: [],
        mayResend: false,
        mayDiscard: false,
        createdAt: at,
        doneAt: null,
      },
      body: op.body,
      createdBy: current()?.summary.username ?? null,
    });
    return id;
  }

  const customer360 = createMemoryCustomer360({
    viewer: () => {
      const r = requireArea('customers');
      return { staffId: r.summary.staffId, username: r.summary.username, displayName: r.summary.displayName, role: r.summary.role };
    },
    refuse: (what, actor) => {
      record('permission.refused', 'refused', `needs ${what}`, staff.find((s) => s.summary.staffId === actor.staffId) ?? null);
      throw apiError('forbidden', `needs ${what}`);
    },
    now,
    coreConnected,
    audit: (action, detail, actor, customerId) => {
      record(action, 'ok', detail, staff.find((s) => s.summary.staffId === actor.staffId) ?? null, {
        subjectKind: 'customer',
        subjectId: customerId,
        customerId,
      });
    },
    history: (customerId) =>
      audit
        .filter((e) => e.customerId === customerId)
        .sort((a, b) => b.id - a.id)
        .slice(0, 30),
    enqueue: enqueueItem,
    outboxState: (id) => outbox.find((r) => r.item.id === id)?.item.state ?? null,
    outboxItem: (id) => {
      const item = outbox.find((r) => r.item.id === id)?.item;
      return item === undefined
        ? null
        : { id: item.id, kind: item.kind, summary: item.summary, state: item.state, attentionReason: item.attentionReason, createdAt: item.createdAt };
    },
  });

  const ok = <T>(f: () => T): Promise<T> => {
    try {
      return Promise.resolve(structuredClone(f()));
    } catch (err) {
      return Promise.reject(toApiError(err));
    }
  };

  return {
    ...complaints,
    ...onboarding,
    ...customer360,

    appStatus: () =>
      ok(() => ({
        needsSetup,
        trainingMode,
        branch: settings.branch,
        idleLockSecs: settings.idleLockSecs,
        core: {
          connected: coreConnected,
          tokenRefused: false,
          url: 'http://127.0.0.1:8700',
          identity: coreConnected
            ? { name: 'Sandbox Core Bank', version: '0.1.0', instance: 'sandbox-1', training: trainingMode }
            : null,
          checkedAt: now().toISOString(),
        },
        sync: syncStatus(),
        version: '0.1.0',
      })),

    sessionState: () => ok(state),

    setupAdmin: (input) =>
      ok(() => {
        if (!needsSetup) throw apiError('conflict', 'already set up');
        const username = checkName(input.username, 'username');
        const displayName = checkName(input.displayName, 'displayName');
        checkPassword(input.password);
        const r = addStaff(username, displayName, 'admin', input.password);
        needsSetup = false;
        record('setup.admin_created', 'ok', `admin ${username}`, r);
        return { ...r.summary };
      }),

    signIn: (input) =>
      ok(() => {
        const r = staff.find((s) => s.summary.username === input.username.trim());
        if (r === undefined) {
          record('auth.sign_in_failed', 'refused', `unknown user ${input.username}`, null);
          throw apiError('bad_credentials', 'bad credentials');
        }
        const lockedUntil = r.summary.lockedUntil;
        if (lockedUntil !== null && new Date(lockedUntil) > now()) {
          throw apiError('account_locked', 'locked');
        }
        if (r.password !== input.password || !r.summary.active) {
          r.failed += 1;
          record('auth.sign_in_failed', 'refused', 'wrong password', r);
          if (r.failed >= MAX_FAILED_ATTEMPTS) {
            r.failed = 0;
            r.summary.lockedUntil = new Date(now().getTime() + LOCKOUT_MS).toISOString();
            record('auth.locked_out', 'refused', 'too many failed attempts', r);
            throw apiError('account_locked', 'locked');
          }
          throw apiError('bad_credentials', 'bad credentials');
        }
        r.failed = 0;
        r.summary.lockedUntil = null;
        session = { state: 'active', staffId: r.summary.staffId };
        record('auth.sign_in', 'ok', 'signed in', r);
        return toSession(r);
      }),

    signOut: () =>
      ok(() => {
        const r = current();
        if (r !== null) record('auth.sign_out', 'ok', 'signed out', r);
        session = { state: 'signed_out' };
        return null;
      }),

    touch: () => ok(state),

    lock: () =>
      ok(() => {
        const r = current();
        if (r === null) throw apiError('not_signed_in', 'not signed in');
        if (session.state === 'active') {
          session = { state: 'locked', staffId: r.summary.staffId };
          record('session.idle_locked', 'ok', 'locked', r);
        }
        return null;
      }),

    unlock: (input) =>
      ok(() => {
        const r = current();
        if (r === null) throw apiError('not_signed_in', 'not signed in');
        if (r.password !== input.password) {
          record('auth.sign_in_failed', 'refused', 'wrong password at unlock', r);
          throw apiError('bad_credentials', 'bad credentials');
        }
        session = { state: 'active', staffId: r.summary.staffId };
        record('session.unlocked', 'ok', 'unlocked', r);
        return toSession(r);
      }),

    auditSearch: (query) =>
      ok(() => {
        requireArea('audit');
        const text = query.text?.trim().toLowerCase() ?? '';
        const matches = audit
          .filter((e) => {
            if (query.action !== null && e.action !== query.action) return false;
            if (query.outcome !== null && e.outcome !== query.outcome) return false;
            const day = e.at.slice(0, 10);
            if (query.fromDate !== null && day < query.fromDate) return false;
            if (query.toDate !== null && day > query.toDate) return false;
            if (text === '') return true;
            return [e.actor, e.action, e.detail, e.subjectId ?? '', e.customerId ?? '']
              .join(' ')
              .toLowerCase()
              .includes(text);
          })
          .reverse();
        // By key, as the backend pages: start after the record the cursor ("<at>|<id>") names.
        const afterId = query.after === null ? null : Number(query.after.split('|').pop());
        const start = afterId === null ? 0 : matches.findIndex((e) => e.id === afterId) + 1;
        const entries = matches.slice(start, start + query.limit);
        const last = entries[entries.length - 1];
        const more = start + query.limit < matches.length && last !== undefined;
        return {
          entries,
          total: query.after === null ? matches.length : null,
          totalCapped: false,
          next: more ? `${last.at}|${last.id}` : null,
        };
      }),

    auditVerify: () =>
      ok(() => {
        const r = requireArea('audit');
        record('audit.verified', 'ok', 'chain verified', r);
        const broken = options.brokenAt;
        if (broken !== undefined) {
          return {
            ok: false,
            checked: broken.id,
            firstBroken: broken.id,
            reason: broken.reason,
            anchor: 'checked',
            anchoredSequence: audit.length,
          };
        }
        return {
          ok: true,
          checked: audit.length,
          firstBroken: null,
          reason: null,
          anchor: 'checked',
          anchoredSequence: audit.length,
        };
      }),

    staffList: () =>
      ok(() => {
        requireArea('settings');
        return staff.map((s) => s.summary);
      }),

    staffCreate: (input) =>
      ok(() => {
        const actor = requireArea('settings');
        const username = checkName(input.username, 'username');
        const displayName = checkName(input.displayName, 'displayName');
        if (staff.some((s) => s.summary.username === username)) {
          throw apiError('username_taken', 'username taken');
        }
        checkPassword(input.password);
        const r = addStaff(username, displayName, input.role, input.password);
        record('staff.created', 'ok', `${username} as ${input.role}`, actor);
        return r.summary;
      }),

    staffDeactivate: (staffId) =>
      ok(() => {
        const actor = requireArea('settings');
        const target = staffById(staffId);
        if (!target.summary.active) throw apiError('conflict', 'conflict: staff: already_inactive', [{ field: 'staff', code: 'already_inactive' }]);
        keepAnAdmin(target);
        target.summary.active = false;
        record('staff.deactivated', 'ok', target.summary.username, actor);
        return target.summary;
      }),

    staffReactivate: (staffId) =>
      ok(() => {
        const actor = requireArea('settings');
        const target = staffById(staffId);
        if (target.summary.active) throw apiError('conflict', 'conflict: staff: already_active', [{ field: 'staff', code: 'already_active' }]);
        target.summary.active = true;
        target.summary.lockedUntil = null;
        target.failed = 0;
        record('staff.reactivated', 'ok', target.summary.username, actor);
        return target.summary;
      }),

    staffSetRole: (input) =>
      ok(() => {
        const actor = requireArea('settings');
        const target = staffById(input.staffId);
        if (target.summary.role === input.role) throw apiError('conflict', 'conflict: role: role_unchanged', [{ field: 'role', code: 'role_unchanged' }]);
        keepAnAdmin(target);
        const from = target.summary.role;
        target.summary.role = input.role;
        record('staff.role_changed', 'ok', `${target.summary.username}: ${from} → ${input.role}`, actor);
        return target.summary;
      }),

    staffRequirePasswordChange: (staffId) =>
      ok(() => {
        const actor = requireArea('settings');
        const target = staffById(staffId);
        if (!target.summary.active) throw apiError('conflict', 'conflict: staff: already_inactive', [{ field: 'staff', code: 'already_inactive' }]);
        target.summary.mustChangePassword = true;
        record('staff.password_change_required', 'ok', target.summary.username, actor);
        return target.summary;
      }),

    passwordChange: (input) =>
      ok(() => {
        const r = current();
        if (r === null) throw apiError('not_signed_in', 'not signed in');
        if (session.state === 'locked') throw apiError('session_locked', 'session is locked');
        checkPassword(input.newPassword);
        if (input.newPassword === input.currentPassword) {
          throw apiError('weak_password', 'must differ from the current password');
        }
        if (input.currentPassword !== r.password) {
          record('staff.password_change_failed', 'failed', 'wrong current password', r);
          throw apiError('bad_credentials', 'bad credentials');
        }
        r.password = input.newPassword;
        r.summary.mustChangePassword = false;
        record('staff.password_changed', 'ok', 'password changed', r);
        return toSession(r);
      }),

    settingsGet: () =>
      ok(() => {
        requireArea('settings');
        return { values: settings, ranges: SETTINGS_RANGES };
      }),

    settingsUpdate: (input) =>
      ok(() => {
        const actor = requireArea('settings');
        if (!Number.isInteger(input.idleLockSecs) || input.idleLockSecs < 60 || input.idleLockSecs > 4 * 3600) {
          throw apiError('invalid_input', 'idleLockSecs out of range');
        }
        settings = { idleLockSecs: input.idleLockSecs, branch: checkName(input.branch, 'branch') };
        record('settings.updated', 'ok', `idle ${input.idleLockSecs}s, branch ${settings.branch}`, actor);
        return { values: settings, ranges: SETTINGS_RANGES };
      }),

    syncStatus: () =>
      ok(() => {
        requireArea('sync');
        return syncStatus();
      }),

    customerSearch: (query) =>
      ok(() => {
        requireArea('customers');
        return searchDemoCustomers(query.text);
      }),

    syncList: (state) =>
      ok(() => {
        const actor = requireArea('sync');
        const role = actor.summary.role;
        // What core's sync_list answers for the signed-in staff member (the fake's rules above).
        return outbox
          .filter((r) => state === null || r.item.state === state)
          .map((r) => {
            const attention = r.item.state === 'attention';
            return {
              ...r.item,
              correctable: [...(CORRECTABLE_FIELDS[r.item.kind] ?? [])],
              mayResend:
                attention && RESOLVE_ROLES.includes(role) && (r.createdBy === actor.summary.username || role === 'supervisor'),
              mayDiscard: attention && DISCARD_ROLES.includes(role),
            };
          })
          .sort((a, b) => b.id - a.id);
      }),

    // The fake's "round with the core": everything queued goes through, or fails and waits.
    syncNow: () =>
      ok(() => {
        requireArea('sync');
        const at = now().toISOString();
        for (const r of outbox.filter((x) => x.item.state === 'pending')) {
          r.item.attempts += 1;
          if (coreConnected) {
            r.item.state = 'done';
            r.item.doneAt = at;
            r.item.lastError = null;
          } else {
            r.item.lastError = 'core unavailable: connection refused';
            r.item.nextAttemptAt = new Date(now().getTime() + MINUTE).toISOString();
          }
        }
        if (coreConnected) {
          lastSyncedAt = at;
          lastSyncError = null;
        } else {
          lastSyncError = 'core unavailable: connection refused';
        }
        return syncStatus();
      }),

    syncResendCode: (input) =>
      ok(() => {
        const actor = requireResolve();
        const r = correctableRecord(input.id, actor, 'sync.resend_code_refused');
        if (!(CORRECTABLE_FIELDS[r.item.kind] ?? []).includes('mobile')) {
          throw apiError('invalid_input', 'mobile: not_correctable', [{ field: 'mobile', code: 'not_correctable' }]);
        }
        const mobile = parseMobile(input.mobile);
        if (mobile === null) throw apiError('invalid_input', 'mobile: mobile_invalid', [{ field: 'mobile', code: 'mobile_invalid' }]);
        if (!coreConnected) throw apiError('core_unavailable', 'core unavailable: connection refused');
        resendCodes.set(input.id, { staffId: actor.summary.staffId, mobile });
        record('sync.resend_code_sent', 'ok', `outbox ${input.id}, mobile ${maskMobile(mobile)}`, actor);
        return { maskedMobile: maskMobile(mobile), trainingCode: trainingMode ? TRAINING_CODE : null };
      }),

    syncResend: (input) =>
      ok(() => {
        const actor = requireResolve();
        const r = correctableRecord(input.id, actor, 'sync.resend_refused');
        const allowed = CORRECTABLE_FIELDS[r.item.kind] ?? [];
        const changes: Record<string, string> = {};
        for (const [name, value] of Object.entries(input.corrected ?? {})) {
          if (!allowed.includes(name)) throw apiError('invalid_input', `${name}: not_correctable`);
          const normalised = name === 'mobile' ? parseMobile(value) : value.trim();
          if (normalised === null || normalised === '') throw apiError('invalid_input', `${name}: invalid`);
          if (normalised !== r.body[name]) changes[name] = normalised;
        }
        if ('mobile' in changes) {
          const sent = resendCodes.get(input.id);
          if (sent?.staffId !== actor.summary.staffId || sent.mobile !== changes.mobile || !input.code) {
            throw apiError('invalid_input', 'code: code_required', [{ field: 'code', code: 'code_required' }]);
          }
          if (input.code.trim() !== TRAINING_CODE) {
            record('sync.resend_refused', 'refused', `outbox ${input.id}: code_wrong`, actor);
            throw apiError('invalid_input', 'code: code_wrong', [{ field: 'code', code: 'code_wrong' }]);
          }
          resendCodes.delete(input.id);
        }
        Object.assign(r.body, changes);
        r.item.state = 'pending';
        r.item.attempts = 0;
        r.item.nextAttemptAt = now().toISOString();
        r.item.lastError = null;
        r.item.attentionReason = null;
        // Field names only here: the values may be identity numbers (the backend masks them).
        record('sync.resent', 'ok', `outbox ${input.id}, corrected [${Object.keys(changes).join(', ')}]`, actor);
        return syncStatus();
      }),

    syncDiscard: (input) =>
      ok(() => {
        const actor = requireArea('sync');
        if (!DISCARD_ROLES.includes(actor.summary.role)) {
          record('permission.refused', 'refused', 'sync_discard needs discard_sync', actor);
          throw apiError('forbidden', 'needs discard_sync');
        }
        const reason = input.reason.trim();
        if (Array.from(reason).length < MIN_DISCARD_REASON) {
          throw apiError('invalid_input', 'reason: say why the operation is given up (at least 4 characters)');
        }
        const r = outboxRecord(input.id);
        if (r?.item.state !== 'attention') {
          throw apiError('conflict', 'only an item that needs attention can be discarded');
        }
        r.item.state = 'discarded';
        r.item.doneAt = now().toISOString();
        record('sync.discarded', 'ok', `outbox ${input.id}: ${reason}`, actor);
        return syncStatus();
      }),
  };
}
