import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/renderMemory';

async function open360(customerId: string, search: string, signedInAs = 'teller', coreConnected = true) {
  const { backend } = renderApp({ signedInAs, coreConnected });
  fireEvent.click(await screen.findByTestId('nav-customers'));
  fireEvent.change(await screen.findByTestId('customer-search'), { target: { value: search } });
  fireEvent.click(await screen.findByTestId(`customer-open-${customerId}`));
  await screen.findByTestId('c360-masked-id');
  return backend;
}

describe('customer 360', () => {
  it('shows the profile masked, the expired ID, the lowered limits and why an upgrade is closed', async () => {
    await open360('2', '张三');
    expect(screen.getByTestId('c360-masked-id').textContent).toBe('440524********0013');
    expect(screen.getByTestId('c360-id-alert').textContent).toMatch(/超过 90 天未换证/);
    const wallet = '6000000000000002';
    expect(await screen.findByTestId(`c360-lowered-${wallet}`)).toBeTruthy();
    expect(within(screen.getByTestId(`c360-limits-${wallet}`)).getByText('¥10,000.00')).toBeTruthy();

    fireEvent.click(screen.getByTestId(`c360-tier-${wallet}`));
    // antd puts the test id on the radio's input; its label carries the reason.
    const one = await screen.findByTestId('c360-tier-option-1');
    expect(one).toHaveProperty('disabled', true);
    expect(one.closest('label')?.textContent).toMatch(/身份证已过期/);
  });

  it('shows the age beside the masked ID, never the birth date it hides', async () => {
    await open360('1', 'zsf');
    expect(screen.getByTestId('c360-masked-id').textContent).toBe('110105********002X');
    const page = document.body.textContent;
    // 110105********002X hides 19491231: with the date on screen the mask protects nothing.
    expect(page).not.toMatch(/1949-12-31|19491231|1949年12月31日/);
    expect(page).toMatch(/\d+ 岁 \//);
  });

  it('reveals the whole ID only with a reason, and the trail records it', async () => {
    await open360('1', 'zsf');
    fireEvent.click(screen.getByTestId('c360-reveal'));
    fireEvent.click(await screen.findByTestId('c360-reveal-submit'));
    expect(await screen.findByText('请填写此项。')).toBeTruthy();
    fireEvent.change(screen.getByTestId('c360-reveal-reason'), { target: { value: '客户办理挂失，核对证件' } });
    fireEvent.click(screen.getByTestId('c360-reveal-submit'));
    expect((await screen.findByTestId('c360-revealed-id')).textContent).toBe('11010519491231002X');
    fireEvent.click(screen.getByTestId('c360-reveal-close'));
    await waitFor(() => {
      expect(within(screen.getByTestId('c360-history')).getByText('查看完整证件号')).toBeTruthy();
    });
    expect(screen.queryByText('11010519491231002X')).toBeNull();
  });

  it('links a card (Luhn-checked), upgrades to tier 2 and shows both as waiting for the core', async () => {
    await open360('2', '张三');
    const wallet = '6000000000000002';
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
    await open360('3', '李四');
    fireEvent.click(screen.getByTestId('c360-receipt-6000000000000003'));
    expect((await screen.findByTestId('c360-receipt-done-6000000000000003')).textContent).toMatch(/钱包回执-6000000000000003\.pdf/);
    await waitFor(() => {
      expect(within(screen.getByTestId('c360-history')).getByText('打印钱包回执')).toBeTruthy();
    });
  });

  it('records a renewed ID card, which reopens the upgrade', async () => {
    await open360('2', '张三');
    fireEvent.click(screen.getByTestId('c360-renew'));
    fireEvent.change(await screen.findByTestId('c360-renew-expires'), { target: { value: '2020-01-01' } });
    fireEvent.click(screen.getByTestId('c360-renew-in-person'));
    fireEvent.click(screen.getByTestId('c360-renew-submit'));
    expect((await screen.findByTestId('c360-renew-error')).textContent).toBe('新证件的有效期应晚于今天（年-月-日）。');
    fireEvent.change(screen.getByTestId('c360-renew-expires'), { target: { value: '2046-01-01' } });
    fireEvent.click(screen.getByTestId('c360-renew-submit'));
    expect((await screen.findByTestId('c360-done')).textContent).toMatch(/换证 张\* 有效期至 2046-01-01/);
    // The queued renewal counts for an upgrade right away: what tier 2 still needs is the
    // customer's own card, no longer a valid ID.
    fireEvent.click(screen.getByTestId('c360-tier-6000000000000002'));
    const label = (await screen.findByTestId('c360-tier-option-2')).closest('label')?.textContent ?? '';
    expect(label).toMatch(/银行卡/);
    expect(label).not.toMatch(/身份证已过期/);
  });

  it('withdraws a consent as easily as it was given', async () => {
    await open360('3', '李四');
    fireEvent.click(screen.getByTestId('c360-withdraw-33'));
    fireEvent.change(await screen.findByTestId('c360-withdraw-reason'), { target: { value: '不再同意共享' } });
    fireEvent.click(screen.getByTestId('c360-withdraw-submit'));
    expect((await screen.findByTestId('c360-done')).textContent).toMatch(/撤回授权 李\* 向第三方提供/);
  });

  it('keeps working offline: the local copy shows, limits say why they are missing', async () => {
    await open360('3', '李四', 'teller', false);
    expect(await screen.findByTestId('c360-offline')).toBeTruthy();
    expect(screen.getByTestId('c360-consents').textContent).toMatch(/个人信息处理/);
  });

  it('shows a booth role no reveal and no counter work, but lets them note and withdraw', async () => {
    await open360('3', '李四', 'booth');
    expect(screen.queryByTestId('c360-reveal')).toBeNull();
    expect(screen.queryByTestId('c360-renew')).toBeNull();
    expect(screen.getByTestId('c360-withdraw-31')).toBeTruthy();
    fireEvent.change(screen.getByTestId('c360-note-text'), { target: { value: '客户想了解老年模式' } });
    fireEvent.click(screen.getByTestId('c360-note-submit'));
    expect(await within(await screen.findByTestId('c360-notes')).findByText('客户想了解老年模式')).toBeTruthy();
  });

  it('has no axe violations (contrast is checked in theme.ts, not in jsdom)', async () => {
    await open360('3', '李四');
    await screen.findByTestId('c360-limits-6000000000000003');
    const results = await axe.run(screen.getByTestId('page-customers'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
      rules: { 'color-contrast': { enabled: false } },
    });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
  }, 60_000);
});
