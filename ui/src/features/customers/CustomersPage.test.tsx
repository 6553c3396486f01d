import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';
import { birthDateForms, maskOf, wholeIdOf } from '../../test/work';

// The sandbox's demo customers (seed 42, the same in every world): 周雪芳 (customer 220,
// initials zxf, mobile 135 6853 3378) and 周雪松 (195). Their IDs carry birth dates made as of
// the day the sandbox starts, so tests read them (`wholeIdOf`).
const ZHOU_XUEFANG = '220';
const ZHOU_XUESONG = '195';

async function openCustomers() {
  const app = renderApp({ signedInAs: 'teller' });
  fireEvent.click(await screen.findByTestId('nav-customers'));
  await screen.findByTestId('page-customers');
  return { ...app, input: screen.getByTestId('customer-search') };
}

function type(input: HTMLElement, text: string) {
  fireEvent.change(input, { target: { value: text } });
}

describe('customer search', () => {
  it('finds customers by name, initials, mobile, ID fragment and card, masked', async () => {
    const { backend, input } = await openCustomers();
    // A card linked at the counter reaches the local copy through the core.
    const profile = await backend.customerProfile(ZHOU_XUEFANG);
    await backend.walletLinkCard({
      customerId: ZHOU_XUEFANG,
      walletId: profile.wallets[0]?.id ?? '',
      number: '62220202001094321',
      bankName: '工商银行',
    });
    await backend.syncNow();

    type(input, '周雪');
    expect(await screen.findByTestId(`customer-hit-${ZHOU_XUESONG}`)).toBeTruthy();
    expect(screen.getByTestId(`customer-hit-${ZHOU_XUEFANG}`)).toBeTruthy();
    expect(screen.getByTestId('customer-result-count').textContent).toBe('找到 2 位客户。');

    type(input, 'zxf');
    await waitFor(() => {
      expect(screen.queryByTestId(`customer-hit-${ZHOU_XUESONG}`)).toBeNull();
    });
    const hit = screen.getByTestId(`customer-hit-${ZHOU_XUEFANG}`);
    const masked = maskOf(await wholeIdOf(backend, ZHOU_XUEFANG));
    expect(within(hit).getByText((text) => text.includes(masked))).toBeTruthy();
    expect(within(hit).getByText(/135\*{4}3378/)).toBeTruthy();
    expect(within(hit).getByText(/按拼音首字母匹配/)).toBeTruthy();

    type(input, '135 6853 3378');
    expect(await screen.findByText(/按手机号匹配/)).toBeTruthy();

    type(input, '4321');
    expect(await screen.findByText(/按银行卡后 4 位匹配/)).toBeTruthy();
    expect(screen.getByTestId(`customer-hit-${ZHOU_XUEFANG}`)).toBeTruthy();
  });

  it('shows the age, never the birth date the masked ID hides', async () => {
    const { backend, input } = await openCustomers();
    const whole = await wholeIdOf(backend, ZHOU_XUEFANG);
    type(input, 'zxf');
    const hit = await screen.findByTestId(`customer-hit-${ZHOU_XUEFANG}`);
    // The mask hides the birth date: beside the mask the date would be the whole number.
    expect(hit.textContent).toMatch(/\d+ 岁/);
    for (const form of [whole.slice(6, 10), ...birthDateForms(whole)]) expect(hit.textContent).not.toContain(form);
  });

  it('finds a customer typed with full-width digits', async () => {
    const { input } = await openCustomers();
    type(input, '１３５　６８５３　３３７８');
    expect(await screen.findByTestId(`customer-hit-${ZHOU_XUEFANG}`)).toBeTruthy();
  });

  it('says plainly when nobody matches', async () => {
    const { input } = await openCustomers();
    type(input, '司马');
    expect(await screen.findByText('没有找到与“司马”匹配的客户。')).toBeTruthy();
  });
});
