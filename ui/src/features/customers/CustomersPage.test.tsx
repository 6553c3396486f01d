import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/renderMemory';

async function openCustomers() {
  renderApp({ signedInAs: 'teller' });
  fireEvent.click(await screen.findByTestId('nav-customers'));
  await screen.findByTestId('page-customers');
  return screen.getByTestId('customer-search');
}

function type(input: HTMLElement, text: string) {
  fireEvent.change(input, { target: { value: text } });
}

describe('customer search', () => {
  it('finds customers by name, initials, mobile, ID fragment and card, masked', async () => {
    const input = await openCustomers();
    type(input, '张三');
    expect(await screen.findByTestId('customer-hit-2')).toBeTruthy();
    expect(screen.getByTestId('customer-hit-1')).toBeTruthy();
    expect(screen.getByTestId('customer-result-count').textContent).toBe('找到 2 位客户。');

    type(input, 'zsf');
    await waitFor(() => {
      expect(screen.queryByTestId('customer-hit-2')).toBeNull();
    });
    const hit = screen.getByTestId('customer-hit-1');
    expect(within(hit).getByText(/110105\*{8}002X/)).toBeTruthy();
    expect(within(hit).getByText(/138\*{4}5678/)).toBeTruthy();
    expect(within(hit).getByText(/按拼音首字母匹配/)).toBeTruthy();

    type(input, '138 1234 5678');
    expect(await screen.findByText(/按手机号匹配/)).toBeTruthy();

    type(input, '4321');
    expect(await screen.findByText(/按银行卡后 4 位匹配/)).toBeTruthy();
    expect(screen.getByTestId('customer-hit-3')).toBeTruthy();
  });

  it('shows the age, never the birth date the masked ID hides', async () => {
    const input = await openCustomers();
    type(input, 'zsf');
    const hit = await screen.findByTestId('customer-hit-1');
    // 110105********002X hides 19491231: beside the mask the date would be the whole number.
    expect(hit.textContent).toMatch(/\d+ 岁/);
    expect(hit.textContent).not.toMatch(/1949|12-31|1231/);
  });

  it('finds a customer typed with full-width digits', async () => {
    const input = await openCustomers();
    type(input, '１３８　１２３４　５６７８');
    expect(await screen.findByTestId('customer-hit-1')).toBeTruthy();
  });

  it('says plainly when nobody matches', async () => {
    const input = await openCustomers();
    type(input, '赵');
    expect(await screen.findByText('没有找到与“赵”匹配的客户。')).toBeTruthy();
  });
});
