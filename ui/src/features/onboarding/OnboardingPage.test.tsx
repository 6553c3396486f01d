import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../App';
import type { Backend } from '../../backend';
import type { Evaluation } from '../../bindings/Evaluation';
import { emptyData } from './model';
import { input, renderApp, syncRound, type } from '../../test/render';
import { withCheckChar } from '../../test/work';

/** A valid resident ID (Beijing, Dongcheng) for someone born on `born`. */
function residentId(born: Date, sequence = '123'): string {
  const ymd = `${born.getFullYear()}${String(born.getMonth() + 1).padStart(2, '0')}${String(born.getDate()).padStart(2, '0')}`;
  return withCheckChar(`110101${ymd}${sequence}`);
}

/** Born `years` years and about a month ago. */
function aged(years: number): string {
  const born = new Date();
  born.setFullYear(born.getFullYear() - years);
  born.setDate(born.getDate() - 30);
  return residentId(born);
}

const ADULT_ID = '110101198505051238';
const NEW_MOBILE = '13912340000';

/** The engine does not run on its own, so a submitted onboarding stays queued for the core. */
async function openOnboarding(): Promise<Backend> {
  const { backend } = renderApp({ signedInAs: 'teller', manualSync: true });
  fireEvent.click(await screen.findByTestId('nav-onboarding'));
  await screen.findByTestId('onboarding-step-identity');
  return backend;
}

async function next(expected: string): Promise<void> {
  fireEvent.click(screen.getByTestId('onb-next'));
  await screen.findByTestId(`onboarding-step-${expected}`);
}

async function identity(name: string, id: string, checkedInPerson = false): Promise<void> {
  type('onb-name', name);
  type('onb-resident-id', id);
  if (checkedInPerson) fireEvent.click(screen.getByTestId('onb-id-checked'));
  await screen.findByTestId('onb-id-facts');
  await next('mobile');
}

async function verifyMobile(mobile = NEW_MOBILE): Promise<void> {
  type('onb-mobile', mobile);
  fireEvent.click(screen.getByTestId('onb-send-code'));
  // The sandbox's one-time code, shown on screen in training mode only.
  const shown = (await screen.findByTestId('onb-training-code')).textContent;
  expect(shown).toMatch(/^练习验证码：\d{6}$/);
  type('onb-code', shown.replace(/\D/g, ''));
  fireEvent.click(screen.getByTestId('onb-verify-code'));
  await waitFor(() => {
    expect(screen.getByTestId('onb-verified').textContent).toContain('手机号已验证');
  });
}

async function screenClear(): Promise<void> {
  fireEvent.click(screen.getByTestId('onb-screen'));
  await waitFor(() => {
    expect(screen.getByTestId('onb-screening-result').textContent).toContain('核查通过');
  });
}

function giveRequiredConsents(): void {
  fireEvent.click(screen.getByTestId('onb-consent-general-processing'));
  fireEvent.click(screen.getByTestId('onb-consent-sensitive-financial'));
}

function radio(testId: string): HTMLInputElement {
  return screen.getByTestId<HTMLInputElement>(testId);
}

async function noAxeViolations(): Promise<void> {
  const results = await axe.run(screen.getByTestId('page-onboarding'), {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
}

/** What core answers, made up so that nothing on screen can come from a copy in the UI. */
const CORE_SAYS: Evaluation = {
  id: null,
  evidence: { mobileVerified: true, residentId: true, idCheckedInPerson: false, ownBankCard: false, age: 40, idExpired: false },
  tiers: [1, 2, 3, 4].map((tier) => ({ tier, missing: tier === 3 || tier === 4 ? [] : ['ownBankCard' as const] })),
  bestTier: 3,
  guardianRequired: false,
  possibleDuplicates: [],
  problems: [],
  consents: [{ scope: 'trial-scope', version: '2031-07', required: true, thirdParty: null }],
  limits: {
    operatorBank: 'trial-bank',
    operatorBankName: '试点银行',
    isDefault: true,
    effectiveFrom: '2031-07-01',
    tiers: [3, 4].map((tier) => ({ tier, balanceCap: '12345.67', onePayment: null, perDay: '7.00', perYear: null })),
  },
  campaigns: [],
};

describe('onboarding wizard', () => {
  it('shows the limits and consents core sends, and none of its own', async () => {
    const { backend } = renderApp({ signedInAs: 'teller' });
    vi.spyOn(backend, 'onboardingResume').mockResolvedValue({
      id: 7,
      step: 'wallet',
      data: { ...emptyData(), tier: 3 },
      updatedAt: '2031-07-02T00:00:00Z',
    });
    vi.spyOn(backend, 'onboardingEvaluate').mockResolvedValue(CORE_SAYS);
    fireEvent.click(await screen.findByTestId('nav-onboarding'));
    await screen.findByTestId('onboarding-step-wallet');
    const limits = await screen.findByTestId('onb-limits');
    expect(limits.textContent).toContain('12,345.67');
    expect(limits.textContent).toContain('7.00');
    expect(within(limits).getAllByText('不限')).toHaveLength(2);
    expect(screen.getByTestId('onb-limits-source').textContent).toContain('试点银行');
    // A tier core sent no limits for says so, rather than showing a figure of the UI's.
    fireEvent.click(screen.getByTestId('onb-tier-4'));
    expect(screen.getByTestId('onb-limits').textContent).toContain('7.00');
    fireEvent.click(screen.getByTestId('onb-back'));
    await screen.findByTestId('onboarding-step-consents');
    expect(screen.getByTestId('onb-consent-trial-scope')).toBeTruthy();
    expect(screen.queryByTestId('onb-consent-general-processing')).toBeNull();
  });

  it('says the limits are not known yet before core sent any', async () => {
    const { backend } = renderApp({ signedInAs: 'teller' });
    vi.spyOn(backend, 'onboardingResume').mockResolvedValue({
      id: 7,
      step: 'wallet',
      data: { ...emptyData(), tier: 4 },
      updatedAt: '2031-07-02T00:00:00Z',
    });
    vi.spyOn(backend, 'onboardingEvaluate').mockResolvedValue({ ...CORE_SAYS, limits: null });
    fireEvent.click(await screen.findByTestId('nav-onboarding'));
    expect(await screen.findByTestId('onb-limits-unknown')).toBeTruthy();
    expect(screen.getByTestId('onb-limits').textContent).not.toContain('¥');
  });

  it('says the fees are not known yet before core sent its schedule', async () => {
    const { backend } = renderApp({ signedInAs: 'teller', manualSync: true, unsynced: true });
    vi.spyOn(backend, 'onboardingResume').mockResolvedValue({
      id: 7,
      step: 'wallet',
      data: { ...emptyData(), tier: 4 },
      updatedAt: '2031-07-02T00:00:00Z',
    });
    fireEvent.click(await screen.findByTestId('nav-onboarding'));
    expect((await screen.findByTestId('onb-fees-unknown')).textContent).toContain('尚未同步');
    // Never "free" on the UI's own say-so.
    expect(screen.getByTestId('onb-fees').textContent).not.toContain('免费');
  });

  it('goes from ID card to a submitted customer queued for the core', async () => {
    const { backend, world } = renderApp({ signedInAs: 'teller', manualSync: true });
    fireEvent.click(await screen.findByTestId('nav-onboarding'));
    await screen.findByTestId('onboarding-step-identity');
    type('onb-name', '林小雨');
    type('onb-resident-id', ADULT_ID);
    const facts = await screen.findByTestId('onb-id-facts');
    expect(facts.textContent).toContain('110101********1238');
    // The age, never the birth date: beside the mask it would be the whole number.
    expect(facts.textContent).toMatch(/\d+ 周岁/);
    expect(facts.textContent).not.toContain('1985');
    expect(facts.textContent).toContain('性别 男');
    fireEvent.click(screen.getByTestId('onb-id-checked'));
    await noAxeViolations();
    await next('mobile');
    await verifyMobile();
    await noAxeViolations();
    await next('checks');
    await screenClear();
    expect(screen.getByText('没有发现重复的客户。')).toBeTruthy();
    await next('consents');
    expect(screen.getAllByText(/中国银联/).length).toBeGreaterThan(0);
    giveRequiredConsents();
    fireEvent.click(screen.getByTestId('onb-consent-third-party-sharing'));
    expect(screen.queryByTestId('onb-guardian')).toBeNull();
    await noAxeViolations();
    await next('wallet');
    await waitFor(() => {
      expect(radio('onb-tier-3').disabled).toBe(false);
    });
    fireEvent.click(screen.getByTestId('onb-tier-3'));
    const limits = await screen.findByTestId('onb-limits');
    expect(limits.textContent).toContain('20,000');
    // The core's fee schedule for the tier (the sandbox's demo schedule): opening is free, the
    // hard wallet card is charged at opening, a cross-bank top-up per use.
    const fees = await screen.findByTestId('onb-fees-hard-wallet');
    expect(fees.textContent).toContain('¥20.00');
    expect(screen.getByTestId('onb-fees-opening').textContent).toContain('免费');
    expect(screen.getByTestId('onb-fees-cross-bank-top-up').textContent).toContain('¥1.00/次');
    expect(screen.getByTestId('onb-fees-due').textContent).toContain('开立时应付：¥20.00');
    await noAxeViolations();
    await next('preview');
    const preview = screen.getByTestId('onb-preview');
    expect(preview.textContent).toContain('110101********1238');
    expect(preview.textContent).toContain('139****0000');
    expect(preview.textContent).not.toContain(ADULT_ID);
    await waitFor(() => {
      expect(screen.getByTestId('onb-problems').textContent).toContain('信息已齐全');
    });
    await noAxeViolations();
    fireEvent.click(screen.getByTestId('onb-submit'));
    await screen.findByTestId('onboarding-step-done');
    expect(screen.getByTestId('onb-customer-ref').textContent).toMatch(/ext:/);
    expect(screen.getByTestId('onb-done').textContent).toContain('同步');
    const queued = await backend.syncList('pending');
    expect(queued.filter((i) => i.recordRef === 'onboarding:1').map((i) => i.kind)).toEqual([
      'wallet.open',
      'consent.record',
      'consent.record',
      'consent.record',
      'customer.create',
    ]);
    // The receipt is offered from the done panel (a PDF made by the core side), once the core
    // has confirmed the wallet.
    await syncRound(world);
    const createObjectURL = vi.fn(() => 'blob:receipt');
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    fireEvent.click(screen.getByTestId('onb-receipt'));
    expect((await screen.findByTestId('onb-receipt-done')).textContent).toContain('钱包回执-');
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(await backend.onboardingResume()).toBeNull();
    fireEvent.click(screen.getByTestId('onb-new'));
    await screen.findByTestId('onboarding-step-identity');
    expect(input('onb-name').value).toBe('');
  }, 60_000);

  it('says in plain words why an ID is not valid, linked to the field', async () => {
    await openOnboarding();
    type('onb-name', '林小雨');
    type('onb-resident-id', '110101198505051239');
    await waitFor(() => {
      expect(screen.getByTestId('onb-resident-id-error').textContent).toContain('最后一位校验不通过');
    });
    expect(input('onb-resident-id').getAttribute('aria-describedby')).toContain('onb-resident-id-error');
    expect(input('onb-resident-id').getAttribute('aria-invalid')).toBe('true');
    type('onb-resident-id', '110101198502301234');
    await waitFor(() => {
      expect(screen.getByTestId('onb-resident-id-error').textContent).toContain('出生日期不正确');
    });
    fireEvent.click(screen.getByTestId('onb-next'));
    expect(await screen.findByTestId('onb-blocked')).toBeTruthy();
    expect(screen.getByTestId('onboarding-step-identity')).toBeTruthy();
  }, 60_000);

  it('converts an old 15-digit ID', async () => {
    await openOnboarding();
    type('onb-resident-id', '110101850505123');
    const facts = await screen.findByTestId('onb-id-facts');
    // The age, never the birth date: beside the mask it would be the whole number.
    expect(facts.textContent).toMatch(/\d+ 周岁/);
    expect(facts.textContent).not.toContain('1985');
    expect(facts.textContent).toContain('15 位旧号码');
  }, 30_000);

  it('allows only tier 4 under 16, and asks for a guardian under 14', async () => {
    await openOnboarding();
    await identity('小明', aged(15), true);
    await verifyMobile();
    await next('checks');
    await screenClear();
    await next('consents');
    giveRequiredConsents();
    expect(screen.queryByTestId('onb-guardian')).toBeNull();
    await next('wallet');
    type('onb-card', '4111111111111111');
    await waitFor(() => {
      expect(radio('onb-tier-4').disabled).toBe(false);
    });
    for (const tier of [1, 2, 3]) expect(radio(`onb-tier-${tier}`).disabled).toBe(true);
    expect(screen.getByText(/未满 16 周岁，只能开立四类钱包/, { selector: '#onb-tier-3-note' })).toBeTruthy();
    cleanup();

    // A fresh world (no draft to resume) for a customer under 14.
    await openOnboarding();
    await identity('小红', aged(13));
    await verifyMobile();
    await next('checks');
    await screenClear();
    await next('consents');
    giveRequiredConsents();
    const guardian = await screen.findByTestId('onb-guardian');
    fireEvent.click(screen.getByTestId('onb-next'));
    const blocked = await screen.findByTestId('onb-blocked');
    expect(blocked.textContent).toContain('未满 14 周岁，请填写监护人姓名');
    expect(screen.getByTestId('onboarding-step-consents')).toBeTruthy();
    fireEvent.change(guardian, { target: { value: '小红妈妈' } });
    await next('wallet');
  }, 90_000);

  it('stops on a watchlist hit', async () => {
    await openOnboarding();
    await identity('制裁测试', ADULT_ID);
    await verifyMobile();
    await next('checks');
    fireEvent.click(screen.getByTestId('onb-screen'));
    await waitFor(() => {
      expect(screen.getByTestId('onb-screening-result').textContent).toContain('请立即停止办理');
    });
    expect(screen.getByTestId('onb-screening-result').getAttribute('role')).toBe('alert');
    fireEvent.click(screen.getByTestId('onb-next'));
    const blocked = await screen.findByTestId('onb-blocked');
    expect(blocked.textContent).toContain('名单核查命中：请停止办理并联系主管');
    expect(screen.getByTestId('onboarding-step-checks')).toBeTruthy();
  }, 60_000);

  it('shows a possible duplicate when the mobile is a known customer', async () => {
    await openOnboarding();
    await identity('张三丰', ADULT_ID);
    // 周雪芳's mobile (customer 220 of the sandbox's demo data).
    await verifyMobile('13568533378');
    await next('checks');
    expect(await screen.findByTestId('onb-duplicate-220')).toBeTruthy();
  }, 60_000);

  it('resumes at the saved step after the page is opened again', async () => {
    const backend = await openOnboarding();
    await identity('林小雨', ADULT_ID);
    cleanup();
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByTestId('nav-onboarding'));
    expect(await screen.findByTestId('onboarding-step-mobile')).toBeTruthy();
    expect(screen.getByTestId('onb-resumed').textContent).toContain('已恢复未完成的开户');
    fireEvent.click(screen.getByTestId('onb-back'));
    await screen.findByTestId('onboarding-step-identity');
    expect(input('onb-name').value).toBe('林小雨');
    expect(input('onb-resident-id').value).toBe(ADULT_ID);
  }, 60_000);

  it('discards the draft after a confirmation', async () => {
    const backend = await openOnboarding();
    await identity('林小雨', ADULT_ID);
    fireEvent.click(screen.getByTestId('onb-discard'));
    fireEvent.click(await screen.findByTestId('onb-discard-confirm'));
    await screen.findByTestId('onb-discarded');
    expect(input('onb-name').value).toBe('');
    expect(await backend.onboardingResume()).toBeNull();
  }, 60_000);

  it('opens tier 1 only with the ID checked in person and an own bank card', async () => {
    await openOnboarding();
    await identity('林小雨', ADULT_ID);
    await verifyMobile();
    await next('checks');
    await screenClear();
    await next('consents');
    giveRequiredConsents();
    await next('wallet');
    await waitFor(() => {
      expect(radio('onb-tier-3').disabled).toBe(false);
    });
    expect(radio('onb-tier-1').disabled).toBe(true);
    expect(radio('onb-tier-2').disabled).toBe(true);
    const note1 = screen.getByText(/暂不能开立/, { selector: '#onb-tier-1-note' });
    expect(note1.textContent).toContain('需要绑定客户本人的银行卡');
    expect(note1.textContent).toContain('需要柜员当面核验身份证');

    type('onb-card', '4111111111111112');
    fireEvent.blur(input('onb-card'));
    expect((await screen.findByTestId('onb-card-error')).textContent).toContain('银行卡号不正确');
    type('onb-card', '4111 1111 1111 1111');
    await waitFor(() => {
      expect(radio('onb-tier-2').disabled).toBe(false);
    });
    expect(radio('onb-tier-1').disabled).toBe(true);

    for (const step of ['consents', 'checks', 'mobile', 'identity']) {
      fireEvent.click(screen.getByTestId('onb-back'));
      await screen.findByTestId(`onboarding-step-${step}`);
    }
    fireEvent.click(screen.getByTestId('onb-id-checked'));
    for (const step of ['mobile', 'checks', 'consents', 'wallet']) await next(step);
    await waitFor(() => {
      expect(radio('onb-tier-1').disabled).toBe(false);
    });
    fireEvent.click(screen.getByTestId('onb-tier-1'));
    const limits = await screen.findByTestId('onb-limits');
    expect(within(limits).getAllByText('不限')).toHaveLength(4);
    await next('preview');
    expect(screen.getByTestId('onb-preview').textContent).toContain('**** 1111');
  }, 90_000);
});
