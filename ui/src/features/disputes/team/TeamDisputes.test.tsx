import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { App } from '../../../App';
import type { Backend } from '../../../backend';
import { openWorld, passwordOf, syncRound, teamDeliver, type } from '../../../test/render';

async function axeViolations(root: HTMLElement): Promise<string[]> {
  const results = await axe.run(root, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

async function signInAs(backend: Backend, username: string) {
  await backend.signOut();
  await backend.signIn({ username, password: await passwordOf(username) });
}

/** Payments out that the world's sandbox core holds, from the first customers. */
async function paymentsOut(backend: Backend, n: number): Promise<{ customerId: string; transactionId: string }[]> {
  const found: { customerId: string; transactionId: string }[] = [];
  for (const customerId of ['1', '2', '3', '4', '5', '6', '7', '8']) {
    const live = await backend.customerLive(customerId);
    for (const x of live.transactions.filter((tx) => tx.direction === 'out')) {
      found.push({ customerId, transactionId: x.id });
      if (found.length === n) return found;
    }
  }
  throw new Error(`fewer than ${String(n)} payments out among the first customers`);
}

/** Team disputes opened through the core on the team store, one per payment. */
async function openTeamDisputes(backend: Backend, n: number) {
  const paid = await paymentsOut(backend, n);
  const opened = [];
  for (const p of paid) {
    opened.push(
      await backend.teamDisputeOpen({ ...p, reason: 'unauthorised', statementOn: null, accountOpenedOn: null, pointOfSale: false, foreign: false }),
    );
  }
  return opened;
}

/**
 * A team dispute whose opening the core refuses for good: the console's own desk disputed the
 * same payment at the core first, so the sandbox answers `dispute-exists` and the op needs
 * attention once the team's sender has sent it.
 */
async function refusedOpening(backend: Backend, world: Parameters<typeof teamDeliver>[0]) {
  const [paid] = await paymentsOut(backend, 1);
  if (paid === undefined) throw new Error('one payment');
  const opening = { ...paid, reason: 'unauthorised', statementOn: null, accountOpenedOn: null, pointOfSale: false, foreign: false };
  await backend.disputeOpen(opening);
  await syncRound(world);
  const opened = await backend.teamDisputeOpen(opening);
  const delivered = await teamDeliver(world);
  expect(delivered.attention).toBe(1);
  return opened;
}

async function openDisputes(backend: Backend) {
  render(<App backend={backend} />);
  fireEvent.click(await screen.findByTestId('nav-disputes'));
  await screen.findByTestId('page-disputes');
}

describe('team disputes', () => {
  it('a handler sees the team dispute queue, a colleague hold by name, and takes the next dispute', async () => {
    const { backend } = openWorld({ team: true, signedInAs: 'disputes' });
    const [first, second] = await openTeamDisputes(backend, 2);
    if (first === undefined || second === undefined) throw new Error('two disputes');
    // A colleague (the supervisor, on another console) takes the second one.
    await signInAs(backend, 'supervisor');
    const held = await backend.teamDisputeTake(second.id);
    if (held.kind !== 'taken') throw new Error('not taken');
    await signInAs(backend, 'disputes');
    await openDisputes(backend);
    await screen.findByTestId('team-banner');
    const free = await screen.findByTestId(`team-dispute-row-${first.caseNo}`);
    expect(within(free).getByTestId(`team-dispute-take-${first.caseNo}`)).toBeTruthy();
    const colleague = screen.getByTestId(`team-dispute-row-${second.caseNo}`);
    expect(within(colleague).queryByTestId(`team-dispute-take-${second.caseNo}`)).toBeNull();
    expect(colleague.textContent).toContain(held.dispute.assigneeName ?? 'a name');
    expect(await axeViolations(document.body)).toEqual([]);
    fireEvent.click(screen.getByTestId('team-dispute-take-next'));
    await screen.findByTestId('team-dispute-case');
    expect(within(screen.getByTestId('team-dispute-case')).getByRole('heading', { level: 2 }).textContent).toContain(first.caseNo);
    expect(screen.getByTestId('team-dispute-assignee').textContent).not.toBe('');
    // Core offers the holder the steps: a decision among them, no take.
    expect(screen.queryByTestId('team-dispute-case-take')).toBeNull();
    await screen.findByTestId('team-dispute-findings');
    expect(await axeViolations(document.body)).toEqual([]);
    // Nothing left to take: the queue says so.
    fireEvent.click(screen.getByTestId('team-dispute-back'));
    fireEvent.click(await screen.findByTestId('team-dispute-take-next'));
    await screen.findByTestId('team-dispute-notice');
  }, 120_000);

  it('the holder adds evidence and proposes a credit; core then offers no second proposal', async () => {
    const { backend } = openWorld({ team: true, signedInAs: 'disputes' });
    const [opened] = await openTeamDisputes(backend, 1);
    if (opened === undefined) throw new Error('one dispute');
    await openDisputes(backend);
    fireEvent.click(await screen.findByTestId(`team-dispute-open-${opened.caseNo}`));
    // Not held yet: the only step core offers is to take it.
    fireEvent.click(await screen.findByTestId('team-dispute-case-take'));
    await screen.findByTestId('team-dispute-evidence-text');
    fireEvent.change(screen.getByTestId('team-dispute-evidence-kind'), { target: { value: 'statement' } });
    type('team-dispute-evidence-text', '二月对账单');
    fireEvent.click(screen.getByTestId('team-dispute-evidence-text-submit'));
    // Saved (the step's status), then listed with its kind; a step's button waits meanwhile.
    await screen.findByTestId('team-dispute-step-done');
    expect(screen.getByRole('table', { name: '证据' }).textContent).toContain('二月对账单');
    type('team-dispute-propose', '客户称未授权');
    fireEvent.click(screen.getByTestId('team-dispute-propose-submit'));
    await screen.findByTestId('team-dispute-proposal-pending');
    expect(screen.queryByTestId('team-dispute-propose')).toBeNull();
    expect(await axeViolations(document.body)).toEqual([]);
  }, 120_000);

  it('a stale dispute screen cannot overwrite a step: core refuses and the screen reloads', async () => {
    const { backend } = openWorld({ team: true, signedInAs: 'disputes' });
    const [opened] = await openTeamDisputes(backend, 1);
    if (opened === undefined) throw new Error('one dispute');
    const taken = await backend.teamDisputeTake(opened.id);
    if (taken.kind !== 'taken') throw new Error('not taken');
    await openDisputes(backend);
    fireEvent.click(await screen.findByTestId(`team-dispute-open-${opened.caseNo}`));
    await screen.findByTestId('team-dispute-propose');
    // The dispute moves behind this screen's back (the holder's other window).
    await backend.teamDisputeEvidence({ disputeId: opened.id, version: taken.dispute.version, kind: 'other', description: '另一窗口' });
    type('team-dispute-propose', '客户称未授权');
    fireEvent.click(screen.getByTestId('team-dispute-propose-submit'));
    await screen.findByTestId('team-dispute-step-error');
    fireEvent.click(screen.getByTestId('team-dispute-reload'));
    await waitFor(() => {
      expect(screen.queryByTestId('team-dispute-step-error')).toBeNull();
    });
    fireEvent.click(screen.getByTestId('team-dispute-propose-submit'));
    await screen.findByTestId('team-dispute-proposal-pending');
  }, 120_000);

  it('a supervisor who did not propose a team credit approves it; the proposer may not', async () => {
    const { backend } = openWorld({ team: true, signedInAs: 'supervisor' });
    const [own, theirs] = await openTeamDisputes(backend, 2);
    if (own === undefined || theirs === undefined) throw new Error('two disputes');
    // The supervisor proposes one credit themself; a handler proposes the other.
    const mine = await backend.teamDisputeTake(own.id);
    if (mine.kind !== 'taken') throw new Error('not taken');
    await backend.teamDisputeProposeCredit({ disputeId: own.id, version: mine.dispute.version, text: '客户称未授权' });
    await signInAs(backend, 'disputes');
    const held = await backend.teamDisputeTake(theirs.id);
    if (held.kind !== 'taken') throw new Error('not taken');
    await backend.teamDisputeProposeCredit({ disputeId: theirs.id, version: held.dispute.version, text: '客户称未授权' });
    await signInAs(backend, 'supervisor');
    await openDisputes(backend);
    fireEvent.click(await screen.findByTestId('disputes-view-approvals'));
    await screen.findByTestId(`team-credit-own-${own.caseNo}`);
    expect(screen.queryByTestId(`team-credit-approve-${own.caseNo}`)).toBeNull();
    expect(await axeViolations(document.body)).toEqual([]);
    fireEvent.click(screen.getByTestId(`team-credit-approve-${theirs.caseNo}`));
    expect((await screen.findByTestId('team-credits-done')).textContent).toContain(theirs.caseNo);
    await waitFor(() => {
      expect(screen.queryByTestId(`team-credit-${theirs.caseNo}`)).toBeNull();
    });
  }, 120_000);

  it('an op the core refused shows on the case in words; only a supervisor resends it', async () => {
    const { backend, world } = openWorld({ team: true, signedInAs: 'disputes' });
    const opened = await refusedOpening(backend, world);
    const [op] = opened.coreOps;
    if (op === undefined) throw new Error('the opening op');
    // The handler sees what went wrong, and is offered nothing to do about it.
    await openDisputes(backend);
    fireEvent.click(await screen.findByTestId(`team-dispute-open-${opened.caseNo}`));
    const section = await screen.findByTestId('team-core-ops');
    expect(within(section).getByRole('heading', { level: 3 }).textContent).toBe('与核心系统同步');
    await waitFor(() => {
      expect(screen.getByTestId(`team-core-op-state-${String(op.id)}`).textContent).toContain('需要处理');
    });
    expect(within(section).getByRole('table', { name: '与核心系统同步的操作' }).textContent).toContain('登记争议');
    expect(screen.getByTestId(`team-core-op-problem-${String(op.id)}`).textContent).toBe('核心系统中该交易已有争议。');
    expect(screen.queryByTestId(`team-core-op-resend-${String(op.id)}`)).toBeNull();
    expect(screen.queryByTestId(`team-core-op-discard-${String(op.id)}`)).toBeNull();
    cleanup();
    // The supervisor resends it: pending again, nothing left to press.
    await signInAs(backend, 'supervisor');
    await openDisputes(backend);
    fireEvent.click(await screen.findByTestId(`team-dispute-open-${opened.caseNo}`));
    fireEvent.click(await screen.findByTestId(`team-core-op-resend-${String(op.id)}`));
    await screen.findByTestId('team-core-op-resent');
    expect(screen.getByTestId(`team-core-op-state-${String(op.id)}`).textContent).toContain('等待发送');
    expect(screen.queryByTestId(`team-core-op-resend-${String(op.id)}`)).toBeNull();
    expect(await axeViolations(document.body)).toEqual([]);
    // The sender sends it again at once (and the core, unchanged, refuses it again).
    expect(await teamDeliver(world)).toMatchObject({ sent: 1, attention: 1 });
  }, 120_000);

  it('a supervisor sets a refused op aside with a reason; core refuses it without one', async () => {
    const { backend, world } = openWorld({ team: true, signedInAs: 'supervisor' });
    const opened = await refusedOpening(backend, world);
    const [op] = opened.coreOps;
    if (op === undefined) throw new Error('the opening op');
    await openDisputes(backend);
    fireEvent.click(await screen.findByTestId(`team-dispute-open-${opened.caseNo}`));
    fireEvent.click(await screen.findByTestId(`team-core-op-discard-${String(op.id)}`));
    await screen.findByTestId('team-core-op-discard-dialog');
    expect(await axeViolations(document.body)).toEqual([]);
    // No reason: core refuses, the dialog says why and stays.
    fireEvent.click(screen.getByTestId('team-core-op-discard-confirm'));
    expect((await screen.findByTestId('team-core-op-discard-error')).textContent).toContain('请输入1至2000个字符');
    type('team-core-op-discard-reason', '本行已在核心系统的原争议中处理');
    fireEvent.click(screen.getByTestId('team-core-op-discard-confirm'));
    await screen.findByTestId('team-core-op-discarded');
    expect(screen.getByTestId(`team-core-op-state-${String(op.id)}`).textContent).toContain('已搁置');
    expect(screen.getByTestId(`team-core-op-problem-${String(op.id)}`).textContent).toContain('本行已在核心系统的原争议中处理');
    expect(screen.queryByTestId(`team-core-op-discard-${String(op.id)}`)).toBeNull();
    expect(await axeViolations(document.body)).toEqual([]);
  }, 120_000);
});
