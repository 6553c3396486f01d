import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { App } from '../../../App';
import type { Backend } from '../../../backend';
import { input, openWorld, passwordOf, type } from '../../../test/render';

const TEAM = '消保投诉处理组';

function complaint(customerId: string) {
  return {
    channel: 'counter' as const,
    complainant: { kind: 'customer' as const, customerId },
    product: '数字钱包',
    categoryId: 2,
    whatHappened: '扣款两次',
    customerAsks: '退款',
    severity: 'low' as const,
    receivedOn: null,
    team: TEAM,
    representatives: [],
    interestedStaffIds: [],
    linkedId: null,
  };
}

async function signInAs(backend: Backend, username: string) {
  await backend.signOut();
  await backend.signIn({ username, password: await passwordOf(username) });
}

async function openComplaints(backend: Backend) {
  render(<App backend={backend} />);
  fireEvent.click(await screen.findByTestId('nav-complaints'));
  await screen.findByTestId('page-complaints');
}

async function axeViolations(root: HTMLElement): Promise<string[]> {
  const results = await axe.run(root, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

function select(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

describe('team mode', () => {
  it('a teller logs a counter complaint into the team queue and sees its case number', async () => {
    const { backend } = openWorld({ team: true, signedInAs: 'teller' });
    await openComplaints(backend);
    // A teller's only pane is the counter: core lists it, the queue is not theirs.
    expect(screen.queryByTestId('complaints-view-queue')).toBeNull();
    await screen.findByTestId('team-banner');
    await waitFor(() => {
      expect(screen.getByTestId('complaint-form-category').querySelectorAll('option').length).toBeGreaterThan(10);
    });
    type('complaint-form-customer-id', 'C3001');
    type('complaint-form-product', '数字钱包');
    select('complaint-form-category', '2');
    type('complaint-form-what-happened', '同一笔付款被扣了两次。');
    type('complaint-form-customer-asks', '退回多扣的款项。');
    select('complaint-form-channel', 'counter');
    select('complaint-form-severity', 'high');
    fireEvent.click(screen.getByTestId('complaint-form-submit'));
    const logged = await screen.findByTestId('counter-logged', undefined, { timeout: 10_000 });
    expect(logged.textContent).toMatch(/TS-\d{4}-\d{6}/);
    expect(logged.textContent).toContain(TEAM);
    expect(await axeViolations(document.body)).toEqual([]);
  });

  it('a handler takes the next case from the shared queue; a case a colleague holds offers no take', async () => {
    const { backend } = openWorld({ team: true, signedInAs: 'teller' });
    const first = await backend.teamRegister(complaint('220'));
    const second = await backend.teamRegister(complaint('195'));
    if (first.kind !== 'registered' || second.kind !== 'registered') throw new Error('held');
    await signInAs(backend, 'supervisor');
    // The supervisor takes the second case first, as a colleague on another console would.
    await backend.teamTake(second.case.id);
    await signInAs(backend, 'complaints');
    await openComplaints(backend);
    await screen.findByTestId(`team-row-${first.case.caseNo}`);
    expect(await axeViolations(document.body)).toEqual([]);
    const row = screen.getByTestId(`team-row-${second.case.caseNo}`);
    expect(within(row).queryByTestId(`team-take-${second.case.caseNo}`)).toBeNull();
    fireEvent.click(screen.getByTestId('team-take-next'));
    await screen.findByTestId('team-case');
    expect(screen.getByTestId('team-case-assignee').textContent).not.toBe('');
    expect(within(screen.getByTestId('team-case')).getByRole('heading', { level: 2 }).textContent).toContain(first.case.caseNo);
    expect(await axeViolations(document.body)).toEqual([]);
  });

  it('a stale screen cannot overwrite a colleague step: core refuses and the screen reloads', async () => {
    const { backend } = openWorld({ team: true, signedInAs: 'complaints' });
    const logged = await backend.teamRegister(complaint('220'));
    if (logged.kind !== 'registered') throw new Error('held');
    const taken = await backend.teamTake(logged.case.id);
    if (taken.kind !== 'taken') throw new Error('not taken');
    await openComplaints(backend);
    fireEvent.click(await screen.findByTestId(`team-open-${logged.case.caseNo}`));
    await screen.findByTestId('team-case');
    // The case moves behind this screen's back (a note from the same handler's other window).
    await backend.teamNote({ caseId: taken.case.id, version: taken.case.version, text: '已致电客户' });
    type('team-step-text', '客户同意等待调查');
    fireEvent.click(screen.getByTestId('team-note'));
    await screen.findByTestId('team-step-error');
    fireEvent.click(screen.getByTestId('team-reload'));
    await waitFor(() => {
      expect(screen.queryByTestId('team-step-error')).toBeNull();
    });
    // The typed text is kept; on the fresh version the note goes through.
    expect(input('team-step-text').value).toBe('客户同意等待调查');
    fireEvent.click(screen.getByTestId('team-note'));
    await screen.findByTestId('team-step-done');
  });

  it('a supervisor approves an extension the handler asked for in the team inbox', async () => {
    const { backend } = openWorld({ team: true, signedInAs: 'complaints' });
    const logged = await backend.teamRegister(complaint('220'));
    if (logged.kind !== 'registered') throw new Error('held');
    const taken = await backend.teamTake(logged.case.id);
    if (taken.kind !== 'taken') throw new Error('not taken');
    // The first extension (complex, to 30 days) is the handler's own; a second, particularly
    // complex one waits for the level above.
    const complex = await backend.teamExtend({ caseId: taken.case.id, version: taken.case.version, text: '案情复杂' });
    await backend.teamExtend({ caseId: complex.id, version: complex.version, text: '需要调取商户监控' });
    await signInAs(backend, 'supervisor');
    await openComplaints(backend);
    fireEvent.click(await screen.findByTestId('complaints-view-pending'));
    fireEvent.click(await screen.findByTestId(`team-approve-${logged.case.caseNo}`));
    const done = await screen.findByTestId('team-pending-done');
    expect(done.textContent).toContain(logged.case.caseNo);
    expect(await axeViolations(document.body)).toEqual([]);
    cleanup();
  });

  it('a supervisor refuses a team extension only with a reason, as core requires', async () => {
    const { backend } = openWorld({ team: true, signedInAs: 'complaints' });
    const logged = await backend.teamRegister(complaint('195'));
    if (logged.kind !== 'registered') throw new Error('held');
    const taken = await backend.teamTake(logged.case.id);
    if (taken.kind !== 'taken') throw new Error('not taken');
    const complex = await backend.teamExtend({ caseId: taken.case.id, version: taken.case.version, text: '案情复杂' });
    await backend.teamExtend({ caseId: complex.id, version: complex.version, text: '需要调取商户监控' });
    await signInAs(backend, 'supervisor');
    await openComplaints(backend);
    fireEvent.click(await screen.findByTestId('complaints-view-pending'));
    fireEvent.click(await screen.findByTestId(`team-refuse-${logged.case.caseNo}`));
    // No reason: the dialog stays, nothing is sent.
    fireEvent.click(await screen.findByTestId('complaint-refuse-submit'));
    await screen.findByText('请填写此项。');
    expect(screen.queryByTestId('team-pending-done')).toBeNull();
    fireEvent.change(screen.getByTestId('complaint-refuse-note'), { target: { value: '材料已足够，按期处理' } });
    fireEvent.click(screen.getByTestId('complaint-refuse-submit'));
    const done = await screen.findByTestId('team-pending-done');
    expect(done.textContent).toContain(logged.case.caseNo);
    await waitFor(() => {
      expect(screen.queryByTestId(`team-pending-${logged.case.caseNo}`)).toBeNull();
    });
    expect(await axeViolations(document.body)).toEqual([]);
    cleanup();
  });
});
