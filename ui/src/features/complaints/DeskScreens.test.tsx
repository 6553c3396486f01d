import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import type { Backend } from '../../backend';
import { openWorld, passwordOf, renderWorld, type } from '../../test/render';

/** The bank's date (China), as the core counts complaint days. */
function bankDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}
const year = bankDate(new Date()).slice(0, 4);
const no = (n: number) => `TS-${year}-${String(n).padStart(6, '0')}`;

function complaint(customerId: string) {
  return {
    channel: 'phone' as const,
    complainant: { kind: 'customer' as const, customerId },
    product: '数字钱包',
    categoryId: 2,
    whatHappened: '扣款两次',
    customerAsks: '退款',
    severity: 'low' as const,
    receivedOn: null,
    team: '总行营业部',
    representatives: [],
    interestedStaffIds: [],
    linkedId: null,
  };
}

/** The desk as `username`, after `seed` ran as the complaint handler. */
async function openDesk(username: string, seed: (b: Backend) => Promise<void> = async () => {}) {
  const opened = openWorld({ signedInAs: 'complaints' });
  await seed(opened.backend);
  if (username !== 'complaints') {
    await opened.backend.signOut();
    await opened.backend.signIn({ username, password: await passwordOf(username) });
  }
  const app = renderWorld(opened);
  fireEvent.click(await screen.findByTestId('nav-complaints'));
  await screen.findByTestId('page-complaints');
  return app;
}

async function switchUser(backend: Backend, username: string) {
  cleanup();
  await backend.signOut();
  await backend.signIn({ username, password: await passwordOf(username) });
  render(<App backend={backend} />);
  fireEvent.click(await screen.findByTestId('nav-complaints'));
  await screen.findByTestId('page-complaints');
}

async function openCase(caseNo: string) {
  fireEvent.click(await screen.findByTestId('complaints-queue-team'));
  fireEvent.click(await screen.findByTestId(`complaint-row-${caseNo}`));
  await waitFor(() => {
    expect(screen.getByTestId('complaint-case-no').textContent).toContain(caseNo);
  });
}

async function axeViolations(root: HTMLElement): Promise<string[]> {
  const results = await axe.run(root, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

describe('desk settings (supervisor)', () => {
  it('a handler sees no settings pane; a supervisor sets the representatives cap that intake then shows', async () => {
    const { backend } = await openDesk('complaints');
    await screen.findByTestId('complaints-view-suggestions');
    expect(screen.queryByTestId('complaints-view-settings')).toBeNull();

    await switchUser(backend, 'supervisor');
    fireEvent.click(await screen.findByTestId('complaints-view-settings'));
    await screen.findByTestId('complaint-settings');
    // Core refuses figures out of order, and says which field.
    type('desk-complexLimitDays', '10');
    fireEvent.click(screen.getByTestId('desk-settings-save'));
    expect(await screen.findByText('时限须依次不短于：一般 ≤ 复杂 ≤ 最长。')).toBeTruthy();
    type('desk-complexLimitDays', '30');
    type('desk-maxRepresentatives', '３');
    fireEvent.click(screen.getByTestId('desk-settings-save'));
    await screen.findByTestId('desk-settings-saved');
    expect((await backend.complaintDesk()).settings.maxRepresentatives).toBe(3);
    expect(await axeViolations(screen.getByTestId('page-complaints'))).toEqual([]);

    fireEvent.click(screen.getByTestId('complaints-view-queue'));
    fireEvent.click(await screen.findByTestId('complaint-new'));
    expect(await screen.findByText('集体投诉的代表（最多 3 人）')).toBeTruthy();
  }, 120_000);

  it('edits the working-day calendar and the category tree', async () => {
    const { backend } = await openDesk('supervisor');
    fireEvent.click(await screen.findByTestId('complaints-view-settings'));
    await waitFor(() => {
      expect(screen.getByTestId<HTMLTextAreaElement>('desk-calendar-text').value).toContain('holiday');
    });
    const text = screen.getByTestId<HTMLTextAreaElement>('desk-calendar-text').value;
    type('desk-calendar-text', `${text}\n${year}-12-31 holiday`);
    fireEvent.click(screen.getByTestId('desk-calendar-save'));
    expect((await screen.findByTestId('desk-calendar-saved')).textContent).toMatch(/日历已保存/);
    expect((await backend.complaintCalendar()).text).toContain(`${year}-12-31 holiday`);

    fireEvent.change(screen.getByTestId('desk-category-pick'), { target: { value: '1' } });
    fireEvent.click(screen.getByTestId('desk-category-active'));
    fireEvent.click(screen.getByTestId('desk-category-save'));
    // Retiring a parent with live children is refused in its own words.
    expect((await screen.findByTestId('desk-category-error')).textContent).toContain('还有启用的子分类');

    fireEvent.change(screen.getByTestId('desk-category-parent'), { target: { value: '1' } });
    type('desk-category-code', 'wallet.refund');
    type('desk-category-new-name', '退款');
    fireEvent.click(screen.getByTestId('desk-category-create'));
    expect((await screen.findByTestId('desk-category-created')).textContent).toContain('退款');
    expect((await backend.complaintCategories()).some((c) => c.code === 'wallet.refund' && c.parentId === 1)).toBe(true);
  }, 120_000);
});

describe('suggestion box', () => {
  it('a handler files a suggestion; a supervisor rewards it', async () => {
    const { backend } = await openDesk('complaints');
    fireEvent.click(await screen.findByTestId('complaints-view-suggestions'));
    await screen.findByTestId('complaint-suggestions');
    type('suggestion-idea', '扣款失败时短信提示客户。');
    type('suggestion-by', '客户王女士');
    fireEvent.click(screen.getByTestId('suggestion-submit'));
    await screen.findByTestId('suggestion-done');
    const row = await screen.findByText('扣款失败时短信提示客户。');
    expect(within(row.closest('tr') ?? document.body).getByText('未奖励')).toBeTruthy();
    expect(screen.queryByTestId(/^suggestion-reward-/)).toBeNull();

    await switchUser(backend, 'supervisor');
    fireEvent.click(await screen.findByTestId('complaints-view-suggestions'));
    fireEvent.click(await screen.findByTestId('suggestion-reward-1'));
    await screen.findByTestId('suggestion-rewarded-1');
    expect((await backend.complaintSuggestions())[0]?.rewardGranted).toBe(true);
    expect(await axeViolations(screen.getByTestId('page-complaints'))).toEqual([]);
  }, 120_000);
});

describe('repeat, new facts and recusal on a case', () => {
  it('merges a repeat into the first case, restarts on new facts, and declares an interest', async () => {
    const { backend } = await openDesk('complaints', async (b) => {
      await b.complaintRegister(complaint('220'));
      await b.complaintRegister(complaint('220'));
      await b.complaintRegister(complaint('35'));
    });
    await openCase(no(2));
    fireEvent.click(await screen.findByTestId('complaint-merge'));
    fireEvent.change(await screen.findByTestId('complaint-merge-into'), { target: { value: '1' } });
    expect(await axeViolations(document.body)).toEqual([]);
    fireEvent.click(screen.getByTestId('complaint-merge-submit'));
    await waitFor(() => {
      expect(screen.getByTestId('complaint-case-no').textContent).toContain(no(1));
    });
    expect((await backend.complaintGet(2)).status).toBe('merged');

    fireEvent.click(screen.getByTestId('complaint-new-facts'));
    type('complaint-text-input', '客户补充了第二笔扣款的凭证。');
    fireEvent.click(screen.getByTestId('complaint-text-submit'));
    expect(await screen.findByText('已记录新事实，期限重新计算。')).toBeTruthy();

    const me = await backend.sessionState();
    const staffId = me.state === 'active' ? me.session.staffId : -1;
    fireEvent.click(screen.getByTestId('complaint-interest'));
    type('complaint-interest-staff', String(staffId));
    type('complaint-interest-reason', '被投诉人');
    fireEvent.click(screen.getByTestId('complaint-interest-submit'));
    // Recused: the handler who declared their own interest can no longer work the case.
    expect(await screen.findByText('已登记利害关系，该员工回避本案。')).toBeTruthy();
    await expect(backend.complaintAddNote({ caseId: 1, text: 'x' })).rejects.toMatchObject({
      code: 'conflict',
      fields: [{ field: 'staffId', code: 'complaint_recused' }],
    });
    cleanup();
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByTestId('nav-complaints'));
    fireEvent.click(await screen.findByTestId('complaints-queue-team'));
    fireEvent.click(await screen.findByTestId(`complaint-row-${no(1)}`));
    // The case itself is closed to them, in the recusal's own words.
    expect(await screen.findByText('该员工与本投诉有直接利害关系，须回避，不能处理本案。')).toBeTruthy();
  }, 120_000);
});

describe('regulator report', () => {
  it('a supervisor downloads the periodic report for the period', async () => {
    const { backend } = await openDesk('supervisor', async (b) => {
      await b.complaintRegister(complaint('220'));
    });
    const report = vi.spyOn(backend, 'complaintRegulatorReport');
    fireEvent.click(await screen.findByTestId('complaints-view-stats'));
    await screen.findByTestId('complaint-stats');
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:report'), revokeObjectURL: vi.fn() });
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download);
    });
    fireEvent.click(screen.getByTestId('complaint-regulator-report'));
    expect((await screen.findByTestId('complaint-regulator-done')).textContent).toContain('.csv');
    expect(report).toHaveBeenCalledWith({ from: `${year}-01-01`, to: bankDate(new Date()) });
    expect(clicks).toHaveLength(1);
    click.mockRestore();
  }, 60_000);
});

describe('escalation (issue 18 item 2)', () => {
  it('a handler escalates by hand with a reason; a high-severity case escalates by rule; both in the escalated queue', async () => {
    const { backend } = await openDesk('complaints', async (b) => {
      await b.complaintRegister(complaint('220'));
      await b.complaintRegister({ ...complaint('35'), severity: 'high' });
    });
    await openCase(no(1));
    fireEvent.click(screen.getByTestId('complaint-escalate'));
    fireEvent.click(await screen.findByTestId('complaint-text-submit'));
    expect(await screen.findByText('请填写此项。')).toBeTruthy();
    type('complaint-text-input', '客户表示将向监管部门投诉');
    fireEvent.click(screen.getByTestId('complaint-text-submit'));
    expect(await screen.findByText('已升级至主管。')).toBeTruthy();
    expect(within(screen.getByTestId('complaint-escalations')).getByText(/人工升级/)).toBeTruthy();
    expect(screen.queryByTestId('complaint-escalate')).toBeNull();

    fireEvent.click(screen.getByTestId('complaint-back'));
    fireEvent.click(await screen.findByTestId('complaints-queue-escalated'));
    await screen.findByTestId(`complaint-row-${no(2)}`);
    expect(screen.getByTestId(`complaint-row-${no(1)}`)).toBeTruthy();
    expect(screen.getByRole('table', { name: '已升级至主管的投诉' })).toBeTruthy();
    expect(await axeViolations(screen.getByTestId('page-complaints'))).toEqual([]);
    expect((await backend.complaintGet(2)).escalations.map((e) => e.rule)).toEqual(['severity_high']);
  }, 120_000);

  it('records that the customer was told of an appraisal pause', async () => {
    const { backend } = await openDesk('complaints', async (b) => {
      await b.complaintRegister(complaint('220'));
      await b.complaintPause({ caseId: 1, text: '送第三方鉴定' });
    });
    await openCase(no(1));
    fireEvent.change(await screen.findByTestId('complaint-pause-told-kind'), { target: { value: 'sms' } });
    fireEvent.click(screen.getByTestId('complaint-pause-told-submit'));
    expect((await screen.findByTestId('complaint-pause-told')).textContent).toContain('短信');
    const pause = (await backend.complaintGet(1)).events.find((e) => e.kind === 'pause');
    expect(pause?.customerToldBy).toBe('sms');
  }, 60_000);
});

describe('reply templates (issue 18 item 3)', () => {
  it('a supervisor keeps a template; a handler applies it filled from the case, edits it and saves', async () => {
    const { backend } = await openDesk('supervisor');
    fireEvent.click(await screen.findByTestId('complaints-view-settings'));
    await screen.findByTestId('desk-template-save');
    expect(screen.getByText(/\{\{caseNo\}\} 案件编号/)).toBeTruthy();
    fireEvent.change(screen.getByTestId('desk-template-category'), { target: { value: '2' } });
    fireEvent.change(screen.getByTestId('desk-template-kind'), { target: { value: 'message' } });
    type('desk-template-title', '答复期限告知');
    type('desk-template-body', '您的投诉 {{caseNo}} 将于{{dueOn}}前答复。');
    fireEvent.click(screen.getByTestId('desk-template-save'));
    await screen.findByTestId('desk-template-saved');
    type('desk-template-body', '{{password}}');
    fireEvent.click(screen.getByTestId('desk-template-save'));
    expect((await screen.findByTestId('desk-template-error')).textContent).toContain('不认识的占位符');

    await switchUser(backend, 'complaints');
    await backend.complaintRegister(complaint('220'));
    const detail = await backend.complaintGet(1);
    await openCase(no(1));
    fireEvent.click(screen.getByTestId('complaint-add-note'));
    const saved = (await backend.complaintTemplates({ categoryId: 2, kind: 'message', includeRetired: false })).find(
      (x) => x.title === '答复期限告知',
    );
    fireEvent.change(await screen.findByTestId('complaint-template-pick'), { target: { value: String(saved?.id) } });
    const [y, m, d] = detail.dueOn.split('-').map(Number);
    const filled = `您的投诉 ${no(1)} 将于${y}年${m}月${d}日前答复。`;
    await waitFor(() => {
      expect(screen.getByTestId<HTMLTextAreaElement>('complaint-text-input').value).toBe(filled);
    });
    expect(await axeViolations(document.body)).toEqual([]);
    type('complaint-text-input', `${filled}（已短信发送）`);
    fireEvent.click(screen.getByTestId('complaint-text-submit'));
    expect((await screen.findByTestId('complaint-notes')).textContent).toContain('（已短信发送）');
  }, 120_000);
});
