import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../backend';
import { openWorld, passwordOf, renderWorld } from '../../test/render';

async function axeViolations(root: HTMLElement): Promise<string[]> {
  const results = await axe.run(root, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

/** A payment out that the world's sandbox core holds for one of the first customers. */
async function paymentOut(backend: Backend): Promise<{ customerId: string; transactionId: string }> {
  for (const customerId of ['1', '2', '3', '4', '5', '6', '7', '8']) {
    const live = await backend.customerLive(customerId);
    const out = live.transactions.find((x) => x.direction === 'out');
    if (out !== undefined) return { customerId, transactionId: out.id };
  }
  throw new Error('no payment out among the first customers');
}

/** The handler opens a dispute through the core and proposes a provisional credit. */
async function disputeWithProposal(backend: Backend): Promise<string> {
  const paid = await paymentOut(backend);
  const opened = await backend.disputeOpen({
    ...paid,
    reason: 'unauthorised',
    statementOn: null,
    accountOpenedOn: null,
    pointOfSale: false,
    foreign: false,
  });
  await backend.disputeProposeCredit({ disputeId: opened.id, text: '客户称未授权' });
  return opened.caseNo;
}

async function openDesk() {
  fireEvent.click(await screen.findByTestId('nav-disputes'));
  await screen.findByTestId('page-disputes');
}

describe('dispute desk', () => {
  it('lists a dispute the handler opened in the unassigned queue with its clock, axe clean', async () => {
    const opened = openWorld({ signedInAs: 'disputes' });
    const caseNo = await disputeWithProposal(opened.backend);
    renderWorld(opened);
    await openDesk();
    fireEvent.click(screen.getByTestId('disputes-queue-unassigned'));
    const row = await screen.findByTestId(`dispute-row-${caseNo}`);
    expect(within(row).getByText(/天|day/)).toBeTruthy();
    expect(await axeViolations(screen.getByTestId('page-disputes'))).toEqual([]);
    fireEvent.click(within(row).getByTestId(`dispute-open-${caseNo}`));
    await screen.findByTestId('dispute-case');
    expect(screen.getByTestId('dispute-proposal-pending')).toBeTruthy();
    expect(await axeViolations(screen.getByTestId('page-disputes'))).toEqual([]);
  }, 120_000);

  it('shows a second supervisor the credit to approve in the one approvals inbox, axe clean', async () => {
    const opened = openWorld({ signedInAs: 'disputes' });
    const caseNo = await disputeWithProposal(opened.backend);
    await opened.backend.signOut();
    await opened.backend.signIn({ username: 'supervisor', password: await passwordOf('supervisor') });
    renderWorld(opened);
    await openDesk();
    fireEvent.click(screen.getByTestId('disputes-view-approvals'));
    const approve = await screen.findByTestId(`approve-${caseNo}`);
    expect(await axeViolations(screen.getByTestId('page-disputes'))).toEqual([]);
    fireEvent.click(approve);
    await waitFor(() => {
      expect(screen.queryByTestId(`approve-${caseNo}`)).toBeNull();
    });
    expect((await screen.findByTestId('approvals-done')).textContent).toContain(caseNo);
  }, 120_000);
});
