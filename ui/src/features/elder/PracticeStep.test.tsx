import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../backend';
import { openWorld } from '../../test/render';
import { CustomerWindow } from './CustomerWindow';
import { PracticeMirror } from './PracticeMirror';

/** A session taken to the practice step through real commands: every question answered "no". */
async function toPractice(backend: Backend): Promise<void> {
  const session = await backend.elderStart({ customerName: '王秀英', age: 72, draftId: null, customerId: null });
  await backend.elderNext(session.id);
  for (let s = await backend.elderScreen(); s?.question; s = await backend.elderScreen()) {
    await backend.elderAnswer({ questionId: s.question.id, yes: false });
  }
  await backend.elderNext(session.id);
}

async function type(value: string, field: string): Promise<void> {
  await waitFor(() => { expect(screen.getByTestId('elder-practice').dataset.field).toBe(field); });
  fireEvent.change(screen.getByTestId('elder-practice-input'), { target: { value } });
  fireEvent.click(screen.getByTestId('elder-practice-submit'));
}

describe('the practice payment on the customer window (长辈版)', () => {
  it('asks one field at a time, explains a wrong password with the core\'s count, pays and undoes', async () => {
    const { backend, world } = openWorld({ signedInAs: 'teller' });
    await world;
    await toPractice(backend);
    render(<CustomerWindow backend={backend} />);
    expect((await screen.findByTestId('elder-title')).textContent).toBe('练习付款：收款人');
    await type('社区菜店', 'payee');
    // Core refuses an amount the practice wallet cannot pay; the field's reason is shown.
    await type('5000', 'amount');
    expect((await screen.findByTestId('elder-practice-error')).textContent).toContain('1000.00');
    await type('1.50', 'amount');
    await waitFor(() => { expect(screen.getByTestId('elder-title').textContent).toBe('练习付款：支付密码'); });
    expect(screen.getByTestId('elder-practice-input').getAttribute('type')).toBe('password');
    await type('000000', 'password');
    // The sandbox counted it: 4 tries left, said kindly, and the password is asked again.
    await waitFor(() => { expect(screen.getByTestId('elder-customer').textContent).toContain('您还可以再试 4 次'); });
    expect(screen.getByTestId('elder-practice').dataset.field).toBe('password');
    const mirror = await backend.elderScreen();
    if (mirror === null) throw new Error('a screen');
    const staff = render(<PracticeMirror screen={mirror} />);
    expect(staff.getByTestId('elder-practice-tries').textContent).toBe('4');
    staff.unmount();
    await type('147258', 'password');
    await waitFor(() => { expect(screen.getByTestId('elder-title').textContent).toBe('付款成功（练习）'); });
    expect(screen.getByTestId('elder-customer').textContent).toContain('10 分钟内可以按“撤销”');
    const results = await axe.run(screen.getByTestId('elder-customer'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
      rules: { 'color-contrast': { enabled: false } },
    });
    expect(results.violations.map((v) => v.id)).toEqual([]);
    fireEvent.click(screen.getByTestId('elder-practice-undo'));
    await waitFor(() => { expect(screen.getByTestId('elder-title').textContent).toBe('已撤销（练习）'); });
    // Core offers no second undo.
    expect(screen.queryByTestId('elder-practice-undo')).toBeNull();
  }, 120_000);

  it('offline, the customer is told the payment did not go through and nothing was taken', async () => {
    const { backend, world } = openWorld({ signedInAs: 'teller', offline: true });
    await world;
    await toPractice(backend);
    render(<CustomerWindow backend={backend} />);
    await type('张三', 'payee');
    await type('1', 'amount');
    await type('147258', 'password');
    expect((await screen.findByTestId('elder-practice-error')).textContent).toContain('连不上银行');
    expect(screen.getByTestId('elder-practice').dataset.field).toBe('password');
  }, 120_000);
});
