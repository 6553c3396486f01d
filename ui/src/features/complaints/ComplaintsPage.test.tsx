import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import type { Backend } from '../../backend';
import { apiError } from '../../backend/errors';
import { openWorld, passwordOf, renderWorld, type } from '../../test/render';
import { DRAFT_KEY } from './IntakeForm';

/** The bank's date (China), as the core counts complaint days. */
function bankDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}
const DAY = 86_400_000;
const daysAgo = (n: number) => bankDate(new Date(Date.now() - n * DAY));

const year = bankDate(new Date()).slice(0, 4);
const no = (n: number) => `TS-${year}-${String(n).padStart(6, '0')}`;

/** A complaint about a payment taken twice (category 2, 支付交易) from customer `customerId`. */
function complaint(customerId: string, receivedOn: string | null, channel: 'phone' | 'counter' = 'phone') {
  return {
    channel,
    complainant: { kind: 'customer' as const, customerId },
    product: '数字钱包',
    categoryId: 2,
    whatHappened: '扣款两次',
    customerAsks: '退款',
    severity: 'low' as const,
    receivedOn,
    team: '总行营业部',
    representatives: [],
    interestedStaffIds: [],
    linkedId: null,
  };
}

/**
 * Four open cases registered by the handler through the core, received on past days so the
 * core's clock puts them where the old seeds were: 000001 the handler's own (received 5 days
 * ago), 000002 due soon (14 days ago; a rest day at its end moves it at most a few days),
 * 000003 overdue (25 days ago), 000004 received 2 days ago.
 */
async function seedCases(backend: Backend) {
  const me = await backend.sessionState();
  const handler = me.state === 'active' ? me.session.staffId : -1;
  await backend.complaintRegister(complaint('220', daysAgo(5)));
  await backend.complaintRegister(complaint('195', daysAgo(14), 'counter'));
  await backend.complaintRegister(complaint('287', daysAgo(25)));
  await backend.complaintRegister(complaint('35', daysAgo(2)));
  await backend.complaintAssign({ caseId: 1, assigneeId: handler, team: null });
}

/** The complaint desk as `signedInAs`, over the four cases the handler registered. */
async function openComplaints(signedInAs: string, backend?: Backend) {
  let app: { backend: Backend };
  if (backend === undefined) {
    const opened = openWorld({ signedInAs: 'complaints' });
    await seedCases(opened.backend);
    if (signedInAs !== 'complaints') {
      await opened.backend.signOut();
      await opened.backend.signIn({ username: signedInAs, password: await passwordOf(signedInAs) });
    }
    app = renderWorld(opened);
  } else {
    app = { backend };
    render(<App backend={backend} />);
  }
  fireEvent.click(await screen.findByTestId('nav-complaints'));
  await screen.findByTestId('page-complaints');
  // The panes come from core (the desk); the queue is the first for whoever works cases.
  await screen.findByTestId('complaints-queue-mine');
  return app;
}

function queueRows(): string[] {
  return screen
    .queryAllByTestId(/^complaint-row-/)
    .map((r) => (r.getAttribute('data-testid') ?? '').replace('complaint-row-', ''));
}

async function categoriesLoaded() {
  await waitFor(() => {
    expect(screen.getByTestId('complaint-form-category').querySelectorAll('option').length).toBeGreaterThan(10);
  });
}

function select(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

async function openCase(caseNo: string) {
  fireEvent.click(await screen.findByTestId(`complaint-row-${caseNo}`));
  await screen.findByTestId('complaint-case');
  await waitFor(() => {
    expect(screen.getByTestId('complaint-case-no').textContent).toContain(caseNo);
  });
}

/** Opens a one-text dialog with `button`, fills it, submits, waits for the success message. */
async function textStep(button: string, text: string, done: string) {
  fireEvent.click(screen.getByTestId(button));
  await screen.findByTestId('complaint-text-input');
  type('complaint-text-input', text);
  fireEvent.click(screen.getByTestId('complaint-text-submit'));
  expect(await screen.findByText(done)).toBeTruthy();
}

async function switchUser(backend: Backend, username: string) {
  cleanup();
  await backend.signOut();
  await backend.signIn({ username, password: await passwordOf(username) });
  await openComplaints(username, backend);
}

/** A Blob's bytes (jsdom's Blob has no `arrayBuffer`). */
function bytesOf(blob: Blob): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      resolve(reader.result as ArrayBuffer);
    };
    reader.onerror = () => {
      reject(new Error('unreadable blob'));
    };
    reader.readAsArrayBuffer(blob);
  });
}

async function axeViolations(root: HTMLElement): Promise<string[]> {
  const results = await axe.run(root, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

describe('complaint queue', () => {
  it('shows my cases first, and each tab its own queue in due order', async () => {
    await openComplaints('complaints');
    await waitFor(() => {
      expect(queueRows()).toEqual([no(1)]);
    });
    expect(screen.getByTestId('complaints-queue-mine').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('table', { name: '我的投诉' })).toBeTruthy();
    const mine = screen.getByTestId(`complaint-row-${no(1)}`);
    expect(within(mine).getByText('220')).toBeTruthy();
    expect(within(mine).getByText('支付交易')).toBeTruthy();
    expect(within(mine).getByText('电话')).toBeTruthy();
    expect(within(mine).getByText(/^剩余 \d+ 天$/)).toBeTruthy();

    fireEvent.click(screen.getByTestId('complaints-queue-unassigned'));
    await waitFor(() => {
      expect(queueRows()).toEqual([no(3), no(2), no(4)]);
    });
    fireEvent.click(screen.getByTestId('complaints-queue-team'));
    await waitFor(() => {
      expect(queueRows()).toEqual([no(3), no(2), no(1), no(4)]);
    });
    fireEvent.click(screen.getByTestId('complaints-queue-due-soon'));
    await waitFor(() => {
      expect(queueRows()).toEqual([no(2)]);
    });
    expect(within(screen.getByTestId(`complaint-row-${no(2)}`)).getByText(/即将到期|今天到期/)).toBeTruthy();

    fireEvent.click(screen.getByTestId('complaints-queue-overdue'));
    await waitFor(() => {
      expect(queueRows()).toEqual([no(3)]);
    });
    // Overdue in words (with an icon), not by colour alone.
    const overdue = within(screen.getByTestId(`complaint-row-${no(3)}`)).getByText(/^已超期 \d+ 天$/);
    expect(overdue.closest('.complaint-overdue')).not.toBeNull();
    expect(screen.getByRole('table', { name: '已超期的投诉' })).toBeTruthy();
  }, 60_000);

  it('pages with "load more" (keyset)', async () => {
    const { backend } = await openComplaints('complaints');
    for (let i = 0; i < 50; i++) {
      await backend.complaintRegister(complaint(String(100 + i), null));
    }
    fireEvent.click(screen.getByTestId('complaints-queue-unassigned'));
    await waitFor(() => {
      expect(queueRows()).toHaveLength(50);
    });
    fireEvent.click(await screen.findByTestId('complaints-load-more'));
    await waitFor(() => {
      expect(queueRows()).toHaveLength(53);
    });
    expect(screen.queryByTestId('complaints-load-more')).toBeNull();
  }, 60_000);

  it('has no axe violations on the queue', async () => {
    await openComplaints('supervisor');
    fireEvent.click(screen.getByTestId('complaints-queue-team'));
    await screen.findByTestId(`complaint-row-${no(3)}`);
    expect(await axeViolations(screen.getByTestId('page-complaints'))).toEqual([]);
  }, 120_000);

  it('has no axe violations on the intake form', async () => {
    await openComplaints('complaints');
    fireEvent.click(screen.getByTestId('complaint-new'));
    await screen.findByTestId('complaint-form-customer-id');
    await categoriesLoaded();
    fireEvent.click(screen.getByTestId('complaint-form-rep-add'));
    await screen.findByTestId('complaint-form-rep-name-0');
    expect(await axeViolations(screen.getByTestId('page-complaints'))).toEqual([]);
  }, 120_000);

  it('has no axe violations on the supervisor views', async () => {
    const { backend } = await openComplaints('complaints');
    await backend.complaintExtendComplex({ caseId: 1, text: '复杂' });
    await backend.complaintRequestExtension({ caseId: 1, text: '特别复杂' });
    await switchUser(backend, 'supervisor');
    fireEvent.click(await screen.findByTestId('complaints-view-pending'));
    await screen.findByTestId('complaint-approve-2');
    expect(await axeViolations(screen.getByTestId('page-complaints'))).toEqual([]);
    fireEvent.click(await screen.findByTestId('complaints-view-stats'));
    await screen.findByRole('table', { name: '投诉统计表' });
    await screen.findByText('合计');
    expect(await axeViolations(screen.getByTestId('page-complaints'))).toEqual([]);
  }, 120_000);

  it('has no axe violations on a case', async () => {
    await openComplaints('complaints');
    await openCase(no(1));
    expect(await axeViolations(screen.getByTestId('page-complaints'))).toEqual([]);
  }, 120_000);
});

describe('complaint intake', () => {
  it('refuses an empty form, then logs the complaint and opens it', async () => {
    const { backend } = await openComplaints('complaints');
    const register = vi.spyOn(backend, 'complaintRegister');
    fireEvent.click(screen.getByTestId('complaint-new'));
    await screen.findByTestId('complaint-form-customer-id');
    expect(screen.getByLabelText('客户号')).toBe(screen.getByTestId('complaint-form-customer-id'));
    await waitFor(() => {
      expect(screen.getByTestId('complaint-form-category').querySelectorAll('option').length).toBeGreaterThan(10);
    });
    // The tree as indented options: a child sits under its parent, before the next parent.
    const labels = Array.from(screen.getByTestId('complaint-form-category').querySelectorAll('option')).map(
      (o) => o.textContent,
    );
    const parent = labels.indexOf('数字钱包');
    const children = labels.slice(parent + 1).findIndex((l) => !l.startsWith('\u3000'));
    expect(labels.slice(parent + 1, parent + 1 + children)).toContain('\u3000└ 支付交易');

    fireEvent.click(screen.getByTestId('complaint-form-submit'));
    await waitFor(() => {
      expect(screen.getAllByText('请填写此项。').length).toBeGreaterThanOrEqual(5);
    });
    expect(register).not.toHaveBeenCalled();

    type('complaint-form-customer-id', 'C3001');
    type('complaint-form-product', '数字钱包');
    select('complaint-form-category', '2');
    type('complaint-form-what-happened', '同一笔付款被扣了两次。');
    type('complaint-form-customer-asks', '退回多扣的款项。');
    select('complaint-form-channel', 'counter');
    select('complaint-form-severity', 'high');
    fireEvent.click(screen.getByTestId('complaint-form-submit'));

    await screen.findByTestId('complaint-case');
    expect(register).toHaveBeenCalledWith(
      expect.objectContaining({
        channel: 'counter',
        complainant: { kind: 'customer', customerId: 'C3001' },
        categoryId: 2,
        severity: 'high',
        representatives: [],
        receivedOn: null,
      }),
    );
    await waitFor(() => {
      expect(screen.getByTestId('complaint-case-no').textContent).toContain(no(5));
    });
    expect(screen.getByTestId('complaint-status').textContent).toBe('处理中');
    expect(screen.getByTestId('complaint-clock').textContent).toMatch(/剩余 \d+ 天/);
    expect(window.localStorage.getItem(DRAFT_KEY)).toBeNull();
  }, 60_000);

  it('takes a non-customer and up to five representatives', async () => {
    const { backend } = await openComplaints('complaints');
    const register = vi.spyOn(backend, 'complaintRegister');
    fireEvent.click(screen.getByTestId('complaint-new'));
    fireEvent.click(await screen.findByTestId('complaint-form-not-customer'));
    await screen.findByTestId('complaint-form-name');
    await categoriesLoaded();
    expect(screen.queryByTestId('complaint-form-customer-id')).toBeNull();
    type('complaint-form-name', '刘先生');
    type('complaint-form-contact', '13800001111');
    type('complaint-form-product', '理财产品');
    select('complaint-form-category', '8');
    type('complaint-form-what-happened', '销售时未说明风险。');
    type('complaint-form-customer-asks', '赎回并赔偿。');
    for (let i = 0; i < 5; i++) {
      fireEvent.click(screen.getByTestId('complaint-form-rep-add'));
      await screen.findByTestId(`complaint-form-rep-name-${i}`);
      type(`complaint-form-rep-name-${i}`, `代表${i + 1}`);
      type(`complaint-form-rep-contact-${i}`, `1390000000${i}`);
    }
    expect(screen.getByTestId<HTMLButtonElement>('complaint-form-rep-add').disabled).toBe(true);
    expect(screen.getByTestId('complaint-form-rep-add').textContent).toContain('已达 5 名代表上限');
    fireEvent.click(screen.getByTestId('complaint-form-submit'));
    await screen.findByTestId('complaint-case');
    const input = register.mock.calls[0]?.[0];
    expect(input?.complainant).toEqual({ kind: 'notACustomer', name: '刘先生', contact: '13800001111' });
    expect(input?.representatives).toHaveLength(5);
  }, 60_000);

  it('keeps the draft across navigation, without contact details', async () => {
    await openComplaints('complaints');
    fireEvent.click(screen.getByTestId('complaint-new'));
    fireEvent.click(await screen.findByTestId('complaint-form-not-customer'));
    await screen.findByTestId('complaint-form-name');
    type('complaint-form-name', '刘先生');
    type('complaint-form-contact', '13800001111');
    type('complaint-form-what-happened', '柜台排队两小时。');

    fireEvent.click(screen.getByTestId('nav-sync'));
    await screen.findByTestId('page-sync');
    expect(window.localStorage.getItem(DRAFT_KEY)).not.toContain('13800001111');
    fireEvent.click(screen.getByTestId('nav-complaints'));
    fireEvent.click(await screen.findByTestId('complaint-new'));
    expect((await screen.findByTestId<HTMLInputElement>('complaint-form-name')).value).toBe('刘先生');
    expect(screen.getByTestId<HTMLTextAreaElement>('complaint-form-what-happened').value).toBe('柜台排队两小时。');
    expect(screen.getByTestId<HTMLInputElement>('complaint-form-contact').value).toBe('');

    // An identity number typed as the customer number is not kept either.
    fireEvent.click(screen.getByTestId('complaint-form-not-customer'));
    type(`complaint-form-customer-id`, '11010119900307123X');
    expect(window.localStorage.getItem(DRAFT_KEY)).not.toContain('11010119900307123X');
    fireEvent.click(screen.getByTestId('complaint-form-not-customer'));
    await screen.findByTestId('complaint-form-name');

    fireEvent.click(screen.getByTestId('complaint-form-clear'));
    await waitFor(() => {
      expect(screen.queryByTestId('complaint-form-name')).toBeNull();
    });
    expect(window.localStorage.getItem(DRAFT_KEY)).toBeNull();
  }, 60_000);

  it('shows a refusal from the core translated', async () => {
    const { backend } = await openComplaints('complaints');
    vi.spyOn(backend, 'complaintRegister').mockRejectedValue({ code: 'conflict', message: 'at most 5' });
    fireEvent.click(screen.getByTestId('complaint-new'));
    await screen.findByTestId('complaint-form-customer-id');
    await categoriesLoaded();
    type('complaint-form-customer-id', 'C3001');
    type('complaint-form-product', '数字钱包');
    select('complaint-form-category', '2');
    type('complaint-form-what-happened', '扣款两次');
    type('complaint-form-customer-asks', '退款');
    fireEvent.click(screen.getByTestId('complaint-form-submit'));
    expect((await screen.findByTestId('complaint-form-error')).textContent).toContain('数据已被他人修改');
  }, 60_000);

  it('marks the field core refused, with the reason core gives', async () => {
    const { backend } = await openComplaints('complaints');
    vi.spyOn(backend, 'complaintRegister').mockRejectedValue(
      apiError('invalid_input', 'invalid input: customerId: identity_number_not_reference', [
        { field: 'customerId', code: 'identity_number_not_reference' },
      ]),
    );
    fireEvent.click(screen.getByTestId('complaint-new'));
    await screen.findByTestId('complaint-form-customer-id');
    await categoriesLoaded();
    // Whatever is typed: the screen does not judge it, core does.
    type('complaint-form-customer-id', 'C3001');
    type('complaint-form-product', '数字钱包');
    select('complaint-form-category', '2');
    type('complaint-form-what-happened', '扣款两次');
    type('complaint-form-customer-asks', '退款');
    fireEvent.click(screen.getByTestId('complaint-form-submit'));
    expect(await screen.findByText('这是身份证号或手机号：请填写客户编号（见“客户”页）。')).toBeTruthy();
    expect(screen.getByTestId('complaint-form-customer-id').getAttribute('aria-invalid')).toBe('true');
  }, 60_000);
});

describe('working a case', () => {
  it('offers exactly the steps core lists for the signed-in staff member', async () => {
    const { backend } = await openComplaints('complaints');
    const real = backend.complaintGet.bind(backend);
    vi.spyOn(backend, 'complaintGet').mockImplementation(async (id) => ({ ...(await real(id)), actions: ['addNote', 'requestExtension'] }));
    await openCase(no(1));
    expect(screen.getByTestId('complaint-add-note')).toBeTruthy();
    // Offered because core says so, whatever the limit days read: the screen has no 30 or 60.
    expect(screen.getByTestId('complaint-request-extension')).toBeTruthy();
    for (const hidden of ['assign-me', 'log-contact', 'pause', 'resume', 'extend-complex', 'withdraw']) {
      expect(screen.queryByTestId(`complaint-${hidden}`)).toBeNull();
    }
    expect(screen.getByTestId<HTMLButtonElement>('complaint-decide').disabled).toBe(true);
  }, 60_000);

  it('a handler extends and asks for more time; a supervisor approves it', async () => {
    const { backend } = await openComplaints('complaints');
    await openCase(no(1));
    expect(screen.getByText('15 天')).toBeTruthy();
    expect(screen.queryByTestId('complaint-request-extension')).toBeNull();

    await textStep('complaint-extend-complex', '需要调取第三方支付机构的记录。', '已延期至 30 天。');
    expect(screen.getByText('30 天')).toBeTruthy();
    // The customer is told, and that is recorded.
    fireEvent.click(await screen.findByTestId('complaint-notified-1'));
    expect(await screen.findByText('已记录：已告知客户延期。')).toBeTruthy();

    await textStep('complaint-request-extension', '涉及跨境清算，需境外机构回函。', '延期申请已提交，等待上级审批。');
    expect(screen.getByTestId('complaint-extension-pending').textContent).toBe('延期申请等待上级审批');
    expect(within(screen.getByTestId('complaint-extension-2')).getByText(/等待上级审批/)).toBeTruthy();
    expect(screen.queryByTestId('complaint-request-extension')).toBeNull();
    // A handler has no approval list.
    expect(screen.queryByTestId('complaints-view-pending')).toBeNull();
    await expect(backend.complaintPendingExtensions()).rejects.toMatchObject({ code: 'forbidden' });

    await switchUser(backend, 'supervisor');
    fireEvent.click(await screen.findByTestId('complaints-view-pending'));
    const row = await screen.findByTestId('complaint-pending-2');
    expect(within(row).getByText(no(1))).toBeTruthy();
    expect(screen.getByRole('table', { name: '待审批的延期申请' })).toBeTruthy();
    fireEvent.click(screen.getByTestId('complaint-approve-2'));
    expect((await screen.findByTestId('complaint-pending-done')).textContent).toContain(`已批准 ${no(1)} 的延期`);
    await waitFor(() => {
      expect(screen.queryByTestId('complaint-pending-2')).toBeNull();
    });
    const detail = await backend.complaintGet(1);
    expect(detail.limitDays).toBe(60);
    expect(detail.extensions.map((e) => e.status)).toEqual(['applied', 'approved']);
  }, 60_000);

  it('a supervisor refuses with a reason; without one the form asks for it', async () => {
    const { backend } = await openComplaints('complaints');
    await backend.complaintExtendComplex({ caseId: 4, text: '复杂' });
    await backend.complaintRequestExtension({ caseId: 4, text: '特别复杂' });
    await switchUser(backend, 'supervisor');
    fireEvent.click(await screen.findByTestId('complaints-view-pending'));
    fireEvent.click(await screen.findByTestId('complaint-refuse-2'));
    await screen.findByTestId('complaint-refuse-note');
    fireEvent.click(screen.getByTestId('complaint-refuse-submit'));
    expect(await screen.findByText('请填写此项。')).toBeTruthy();
    type('complaint-refuse-note', '材料已齐全，30 天内可以完成。');
    fireEvent.click(screen.getByTestId('complaint-refuse-submit'));
    expect(await screen.findByText(`已拒绝 ${no(4)} 的延期申请。`)).toBeTruthy();
    expect((await backend.complaintGet(4)).extensions[1]?.status).toBe('refused');
  }, 60_000);

  it('notes, contacts, pause and resume, assign to me', async () => {
    await openComplaints('complaints');
    fireEvent.click(screen.getByTestId('complaints-queue-unassigned'));
    await openCase(no(4));
    fireEvent.click(screen.getByTestId('complaint-assign-me'));
    expect(await screen.findByText('已分派给我。')).toBeTruthy();
    expect(screen.queryByTestId('complaint-assign-me')).toBeNull();

    await textStep('complaint-add-note', '已调取交易流水。', '备注已添加。');
    expect(within(screen.getByTestId('complaint-notes')).getByText(/已调取交易流水。/)).toBeTruthy();

    fireEvent.click(screen.getByTestId('complaint-log-contact'));
    await screen.findByTestId('complaint-contact-summary');
    select('complaint-contact-kind', 'call');
    select('complaint-contact-outcome', 'no_answer');
    type('complaint-contact-summary', '上午十点致电，无人接听。');
    fireEvent.click(screen.getByTestId('complaint-contact-submit'));
    expect(await screen.findByText('联系已记录。')).toBeTruthy();
    expect(within(screen.getByTestId('complaint-contacts')).getByText(/无人接听 · 上午十点致电/)).toBeTruthy();

    await textStep('complaint-pause', '送司法鉴定中心鉴定签名。', '已暂停计时。');
    expect(screen.getByTestId('complaint-status').textContent).toBe('暂停计时');
    expect(screen.getByTestId('complaint-clock').textContent).toMatch(/已暂停计时/);
    expect(screen.getByTestId<HTMLButtonElement>('complaint-decide').disabled).toBe(true);
    fireEvent.click(screen.getByTestId('complaint-resume'));
    expect(await screen.findByText('已恢复计时。')).toBeTruthy();
    expect(screen.getByTestId('complaint-status').textContent).toBe('处理中');
  }, 60_000);

  it('decides with findings, reasons, a decimal compensation and the root cause; then the survey', async () => {
    const { backend } = await openComplaints('complaints');
    const decide = vi.spyOn(backend, 'complaintDecide');
    await openCase(no(1));
    fireEvent.click(screen.getByTestId('complaint-decide'));
    await screen.findByTestId('complaint-decide-findings');
    expect(screen.getByLabelText('补偿金额（元，如有）')).toBe(screen.getByTestId('complaint-decide-compensation'));
    fireEvent.click(screen.getByTestId('complaint-decide-submit'));
    await waitFor(() => {
      expect(screen.getAllByText('请填写此项。').length).toBe(4);
    });

    type('complaint-decide-findings', '重试导致重复扣款。');
    type('complaint-decide-reasons', '重试前未检查第一次的结果。');
    type('complaint-decide-remedy', '退回重复扣款。');
    type('complaint-decide-compensation', '12.345');
    select('complaint-decide-root-cause', 'system');
    type('complaint-decide-source-fix', '重试带幂等键。');
    fireEvent.click(screen.getByTestId('complaint-decide-submit'));
    expect(await screen.findByText('请填写金额，例如 12.50（最多两位小数）。')).toBeTruthy();
    expect(decide).not.toHaveBeenCalled();

    type('complaint-decide-compensation', '12.5');
    fireEvent.click(screen.getByTestId('complaint-decide-submit'));
    await screen.findByTestId('complaint-decision');
    expect(decide).toHaveBeenCalledWith({
      caseId: 1,
      findings: '重试导致重复扣款。',
      reasons: '重试前未检查第一次的结果。',
      remedy: '退回重复扣款。',
      compensation: '12.5',
      rootCause: 'system',
      sourceFix: '重试带幂等键。',
    });
    expect(screen.getByTestId('complaint-status').textContent).toBe('已处理');
    const decision = screen.getByTestId('complaint-decision');
    expect(within(decision).getByText('12.50 元')).toBeTruthy();
    expect(within(decision).getByText('系统问题')).toBeTruthy();
    expect(within(decision).getByText('申请复核、调解、仲裁、诉讼')).toBeTruthy();
    expect(screen.getByTestId('complaint-clock').textContent).toMatch(/按期/);
    expect(screen.queryByTestId('complaint-decide')).toBeNull();

    // Survey, once.
    fireEvent.click(screen.getByTestId('complaint-survey-submit'));
    expect(await screen.findByText('请填写此项。')).toBeTruthy();
    select('complaint-survey-score', '4');
    type('complaint-survey-comment', '处理及时。');
    fireEvent.click(screen.getByTestId('complaint-survey-submit'));
    expect((await screen.findByTestId('complaint-survey-result')).textContent).toBe('满意度：4 分（满意） · 处理及时。');
    expect(screen.queryByTestId('complaint-survey-submit')).toBeNull();
    await expect(backend.complaintRecordSurvey({ caseId: 1, score: 5, comment: '' })).rejects.toMatchObject({
      code: 'conflict',
    });

    // Review: the customer asks in writing; a review case opens for the level above.
    fireEvent.click(screen.getByTestId('complaint-request-review'));
    await screen.findByTestId('complaint-text-input');
    type('complaint-text-input', '不同意补偿金额。');
    fireEvent.click(screen.getByTestId('complaint-text-submit'));
    await waitFor(() => {
      expect(screen.getByTestId('complaint-case-no').textContent).toContain(no(5));
    });
  }, 60_000);

  it('shows a step refused by the core as a translated error', async () => {
    const { backend } = await openComplaints('complaints');
    vi.spyOn(backend, 'complaintAssign').mockRejectedValue({ code: 'conflict', message: 'recused' });
    fireEvent.click(screen.getByTestId('complaints-queue-unassigned'));
    await openCase(no(2));
    fireEvent.click(screen.getByTestId('complaint-assign-me'));
    expect((await screen.findByTestId('complaint-error')).textContent).toContain('数据已被他人修改，请刷新后重试。');
  }, 60_000);
});

describe('complaint statistics', () => {
  it('are hidden from a handler, and the core refuses them too', async () => {
    const { backend } = await openComplaints('complaints');
    await screen.findByTestId('complaints-view-suggestions');
    expect(screen.queryByTestId('complaints-view-stats')).toBeNull();
    expect(screen.queryByTestId('complaints-view-pending')).toBeNull();
    const today = bankDate(new Date());
    await expect(backend.complaintStats({ from: `${year}-01-01`, to: today, by: 'channel' })).rejects.toMatchObject({
      code: 'forbidden',
    });
  }, 60_000);

  it('show a supervisor counts and on-time rate by dimension, and download as CSV', async () => {
    const { backend } = await openComplaints('supervisor');
    const csv = vi.spyOn(backend, 'complaintStatsCsv');
    fireEvent.click(await screen.findByTestId('complaints-view-stats'));
    await screen.findByTestId('complaint-stats');
    const from = bankDate(new Date(Date.now() - 60 * 86_400_000));
    fireEvent.change(screen.getByTestId('complaint-stats-from'), { target: { value: from } });
    select('complaint-stats-by', 'channel');
    const table = await screen.findByRole('table', { name: '投诉统计表' });
    await waitFor(() => {
      expect(within(table).getByText('合计')).toBeTruthy();
    });
    expect(within(table).getByText('柜台')).toBeTruthy();
    expect(within(table).getByText('电话')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: '按期率' })).toBeTruthy();

    const created: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:stats';
    });
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    fireEvent.click(screen.getByTestId('complaint-stats-csv'));
    await waitFor(() => {
      expect(clicks).toEqual([`complaints-by-channel-${from}-${bankDate(new Date())}.csv`]);
    });
    expect(csv).toHaveBeenCalledWith({ from, to: bankDate(new Date()), by: 'channel' });
    expect(created[0]?.type).toContain('text/csv');
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:stats');
    fireEvent.click(screen.getByTestId('complaint-stats-xlsx'));
    await waitFor(() => {
      expect(clicks).toHaveLength(2);
    });
    expect(clicks[1]).toMatch(/\.xlsx$/);
    // The core's workbook: an XLSX is a zip file ("PK").
    const xlsx = new Uint8Array(await bytesOf(created[1] ?? new Blob()));
    expect([xlsx[0], xlsx[1]]).toEqual([0x50, 0x4b]);
    click.mockRestore();
  }, 60_000);
});
