import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { goOffline, openWorld, passwordOf, renderApp, renderWorld, syncRound } from '../../test/render';
import { birthDateForms, maskOf, onboard, residentId, wholeIdOf } from '../../test/work';

// The sandbox's demo customers (seed 42, the same in every world): 薛青松 (287), whose ID
// expired more than 90 days ago, and 周雪芳 (220, initials zxf). Their IDs carry birth dates
// made as of the day the sandbox starts, so tests read them (`wholeIdOf`).
const XUE = '287';
const XUE_WALLET = '0099000000003436';
const ZHOU = '220';
const ZHOU_WALLET = '0099000000002610';

/** The engine does not run on its own, so counter work stays shown as waiting for the core. */
async function open360(customerId: string, search: string, signedInAs = 'teller') {
  const { backend } = renderApp({ signedInAs, manualSync: true });
  await openFrom(customerId, search);
  return backend;
}

async function openFrom(customerId: string, search: string) {
  fireEvent.click(await screen.findByTestId('nav-customers'));
  fireEvent.change(await screen.findByTestId('customer-search'), { target: { value: search } });
  fireEvent.click(await screen.findByTestId(`customer-open-${customerId}`));
  await screen.findByTestId('c360-masked-id');
}

/**
 * A customer onboarded at the counter with every consent and synced to the core (the demo
 * data has no consents): the 360 of 王小明, shown to `signedInAs`.
 */
async function openOnboarded(signedInAs = 'teller', offline = false) {
  const opened = openWorld({ signedInAs: 'teller', manualSync: true });
  await onboard(opened.backend, { name: '王小明', residentId: residentId(777), mobile: '13812345678' });
  await syncRound(opened.world);
  const [hit] = await opened.backend.customerSearch({ text: '王小明' });
  if (hit === undefined) throw new Error('the onboarded customer is not in the local copy');
  const profile = await opened.backend.customerProfile(hit.id);
  if (signedInAs !== 'teller') {
    await opened.backend.signOut();
    await opened.backend.signIn({ username: signedInAs, password: await passwordOf(signedInAs) });
  }
  if (offline) await goOffline(opened.world);
  renderWorld(opened);
  await openFrom(hit.id, '王小明');
  const consent = (scope: string) => profile.consents.find((c) => c.scope === scope)?.id ?? -1;
  return { backend: opened.backend, consent };
}

describe('customer 360', () => {
  it('shows the profile masked, the expired ID, the lowered limits and why an upgrade is closed', async () => {
    const backend = await open360(XUE, '薛青松');
    expect(screen.getByTestId('c360-masked-id').textContent).toBe(maskOf(await wholeIdOf(backend, XUE)));
    expect(screen.getByTestId('c360-id-alert').textContent).toMatch(/超过 90 天未换证/);
    const wallet = XUE_WALLET;
    expect(await screen.findByTestId(`c360-lowered-${wallet}`)).toBeTruthy();
    expect(within(screen.getByTestId(`c360-limits-${wallet}`)).getByText('¥10,000.00')).toBeTruthy();

    fireEvent.click(screen.getByTestId(`c360-tier-${wallet}`));
    // antd puts the test id on the radio's input; its label carries the reason.
    const one = await screen.findByTestId('c360-tier-option-1');
    expect(one).toHaveProperty('disabled', true);
    expect(one.closest('label')?.textContent).toMatch(/身份证已过期/);
  });

  it('shows the age beside the masked ID, never the birth date it hides', async () => {
    const backend = await open360(ZHOU, 'zxf');
    const whole = await wholeIdOf(backend, ZHOU);
    expect(screen.getByTestId('c360-masked-id').textContent).toBe(maskOf(whole));
    const page = document.body.textContent;
    // The mask hides the birth date: with the date on screen the mask protects nothing.
    for (const form of birthDateForms(whole).slice(0, 3)) expect(page).not.toContain(form);
    expect(page).toMatch(/\d+ 岁 \//);
  });

  it('reveals the whole ID only with a reason, and the trail records it', async () => {
    await open360(ZHOU, 'zxf');
    const masked = screen.getByTestId('c360-masked-id').textContent;
    fireEvent.click(screen.getByTestId('c360-reveal'));
    fireEvent.click(await screen.findByTestId('c360-reveal-submit'));
    expect(await screen.findByText('请填写此项。')).toBeTruthy();
    fireEvent.change(screen.getByTestId('c360-reveal-reason'), { target: { value: '客户办理挂失，核对证件' } });
    fireEvent.click(screen.getByTestId('c360-reveal-submit'));
    const whole = (await screen.findByTestId('c360-revealed-id')).textContent;
    expect(whole).toMatch(/^\d{17}[\dX]$/);
    expect(maskOf(whole)).toBe(masked);
    fireEvent.click(screen.getByTestId('c360-reveal-close'));
    await waitFor(() => {
      expect(within(screen.getByTestId('c360-history')).getByText('查看完整证件号')).toBeTruthy();
    });
    expect(screen.queryByText(whole)).toBeNull();
  });

  it('links a card (Luhn-checked), upgrades to tier 2 and shows both as waiting for the core', async () => {
    await open360(XUE, '薛青松');
    const wallet = XUE_WALLET;
    fireEvent.click(screen.getByTestId(`c360-card-${wallet}`));
    fireEvent.change(await screen.findByTestId('c360-card-number'), { target: { value: '6222 0212 3456 7890 127' } });
    fireEvent.click(screen.getByTestId('c360-card-submit'));
    expect((await screen.findByTestId('c360-card-error')).textContent).toBe('卡号校验位不对，请核对后重新输入。');
    fireEvent.change(screen.getByTestId('c360-card-number'), { target: { value: '6222 0212 3456 7890 128' } });
    fireEvent.click(screen.getByTestId('c360-card-submit'));
    expect((await screen.findByTestId('c360-done')).textContent).toMatch(/绑卡 \*{4} \*{4} \*{4} 0128/);
    expect(screen.getByTestId('c360-pending').textContent).toMatch(/0128/);
    expect(screen.getByTestId('c360-pending').textContent).not.toMatch(/6222021234/);
  });

  it('prints a wallet receipt from the 360, and the trail records it', async () => {
    await open360(ZHOU, 'zxf');
    fireEvent.click(screen.getByTestId(`c360-receipt-${ZHOU_WALLET}`));
    expect((await screen.findByTestId(`c360-receipt-done-${ZHOU_WALLET}`)).textContent).toMatch(
      new RegExp(`钱包回执-${ZHOU_WALLET}\\.pdf`),
    );
    await waitFor(() => {
      expect(within(screen.getByTestId('c360-history')).getByText('打印钱包回执')).toBeTruthy();
    });
  });

  it('records a renewed ID card, which reopens the upgrade', async () => {
    await open360(XUE, '薛青松');
    fireEvent.click(screen.getByTestId('c360-renew'));
    fireEvent.change(await screen.findByTestId('c360-renew-expires'), { target: { value: '2020-01-01' } });
    fireEvent.click(screen.getByTestId('c360-renew-in-person'));
    fireEvent.click(screen.getByTestId('c360-renew-submit'));
    expect((await screen.findByTestId('c360-renew-error')).textContent).toBe('新证件的有效期应晚于今天（年-月-日）。');
    fireEvent.change(screen.getByTestId('c360-renew-expires'), { target: { value: '2046-01-01' } });
    fireEvent.click(screen.getByTestId('c360-renew-submit'));
    expect((await screen.findByTestId('c360-done')).textContent).toMatch(/换证 薛\*\* 有效期至 2046-01-01/);
    // The queued renewal counts for an upgrade right away: what tier 2 still needs is the
    // customer's own card, no longer a valid ID.
    fireEvent.click(screen.getByTestId(`c360-tier-${XUE_WALLET}`));
    const label = (await screen.findByTestId('c360-tier-option-2')).closest('label')?.textContent ?? '';
    expect(label).toMatch(/银行卡/);
    expect(label).not.toMatch(/身份证已过期/);
  });

  it('withdraws a consent as easily as it was given', async () => {
    const { consent } = await openOnboarded();
    fireEvent.click(screen.getByTestId(`c360-withdraw-${consent('third-party-sharing')}`));
    fireEvent.change(await screen.findByTestId('c360-withdraw-reason'), { target: { value: '不再同意共享' } });
    fireEvent.click(screen.getByTestId('c360-withdraw-submit'));
    expect((await screen.findByTestId('c360-done')).textContent).toMatch(/撤回授权 王\*\* 向第三方提供/);
  });

  it('keeps working offline: the local copy shows, limits say why they are missing', async () => {
    await openOnboarded('teller', true);
    expect(await screen.findByTestId('c360-offline')).toBeTruthy();
    expect(screen.getByTestId('c360-consents').textContent).toMatch(/个人信息处理/);
  });

  it('shows a booth role no reveal and no counter work, but lets them note and withdraw', async () => {
    const { consent } = await openOnboarded('booth');
    expect(screen.queryByTestId('c360-reveal')).toBeNull();
    expect(screen.queryByTestId('c360-renew')).toBeNull();
    expect(screen.getByTestId(`c360-withdraw-${consent('general-processing')}`)).toBeTruthy();
    fireEvent.change(screen.getByTestId('c360-note-text'), { target: { value: '客户想了解老年模式' } });
    fireEvent.click(screen.getByTestId('c360-note-submit'));
    expect(await within(await screen.findByTestId('c360-notes')).findByText('客户想了解老年模式')).toBeTruthy();
  });

  it('has no axe violations (contrast is checked in theme.ts, not in jsdom)', async () => {
    await open360(ZHOU, 'zxf');
    await screen.findByTestId(`c360-limits-${ZHOU_WALLET}`);
    const results = await axe.run(screen.getByTestId('page-customers'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
      rules: { 'color-contrast': { enabled: false } },
    });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
  }, 120_000);
});
