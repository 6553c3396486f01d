import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openWorld, renderApp, renderWorld, signIn } from '../test/render';
import { queueDemoWork } from '../test/work';

const ALL_AREAS = ['customers', 'onboarding', 'booth', 'complaints', 'disputes', 'insights', 'audit', 'settings', 'sync', 'knowledge'];

function navAreas(): string[] {
  const nav = screen.getByRole('navigation');
  return within(nav)
    .getAllByRole('button')
    .map((b) => (b.getAttribute('data-testid') ?? '').replace('nav-', ''));
}

describe('app shell', () => {
  it('shows a teller only Customers, Onboarding, Complaints (the counter), their own Insights, Sync and the knowledge base', async () => {
    renderApp();
    await signIn('teller');
    await screen.findByTestId('page-customers');
    const teller = ['customers', 'onboarding', 'complaints', 'insights', 'sync', 'knowledge'];
    expect(navAreas()).toEqual(teller);
    for (const area of ALL_AREAS.filter((a) => !teller.includes(a))) {
      expect(screen.queryByTestId(`nav-${area}`)).toBeNull();
    }
  });

  it('shows a supervisor the areas the backend gives, in its order', async () => {
    renderApp({ signedInAs: 'supervisor' });
    await screen.findByTestId('page-customers');
    expect(navAreas()).toEqual(['customers', 'booth', 'complaints', 'disputes', 'insights', 'audit', 'sync', 'knowledge']);
  });

  it('navigates, marks the current page and has one h1 per page', async () => {
    renderApp({ signedInAs: 'teller' });
    await screen.findByTestId('page-customers');
    fireEvent.click(screen.getByTestId('nav-onboarding'));
    const page = await screen.findByTestId('page-onboarding');
    expect(screen.getByTestId('nav-onboarding').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('nav-customers').getAttribute('aria-current')).toBeNull();
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
    expect(within(page).getByRole('heading', { level: 1 }).textContent).toBe('开户');
    expect(screen.getByTestId('onboarding-notes').tagName).toBe('TEXTAREA');
  });

  it('has the landmarks and a status bar with staff, branch, core and training mode', async () => {
    renderApp({ signedInAs: 'teller', branch: '城东支行' });
    await screen.findByTestId('page-customers');
    expect(screen.getByRole('banner')).toBeTruthy();
    expect(screen.getByRole('main')).toBeTruthy();
    expect(screen.getByRole('contentinfo')).toBeTruthy();
    expect(screen.getByTestId('status-staff').textContent).toContain('王柜员（柜员）');
    expect(screen.getByTestId('status-branch').textContent).toContain('城东支行');
    expect(screen.getByTestId('status-core').textContent).toContain('核心系统：已连接（Walletdesk Sandbox Core Bank · sandbox-seed-42）');
    expect(screen.getByTestId('training-banner').textContent).toContain('培训模式 — 数据为演示数据');
  });

  it('says so in words when the core is unreachable, and hides the banner outside training', async () => {
    renderApp({ signedInAs: 'teller', offline: true, live: true });
    await screen.findByTestId('page-customers');
    expect(screen.getByTestId('status-core').textContent).toContain('核心系统：无法连接');
    expect(screen.queryByTestId('training-banner')).toBeNull();
  });

  it('shows the sync counters in the status bar, in words and with an icon', async () => {
    const opened = openWorld({ signedInAs: 'teller', manualSync: true });
    await queueDemoWork(opened.backend, opened.world);
    renderWorld(opened);
    await screen.findByTestId('page-customers');
    // Two card links and the refused customer's consents and wallet; one link failed once.
    expect(screen.getByTestId('status-sync-queued').textContent).toContain('待发送：6');
    expect(screen.getByTestId('status-sync-failing').textContent).toContain('重试中：1');
    const attention = screen.getByTestId('status-sync-attention');
    expect(attention.textContent).toContain('需要处理：1');
    expect(attention.querySelector('[aria-hidden]')).not.toBeNull();
    expect(screen.getByTestId('status-sync-last').textContent).toMatch(/^\s*上次同步：\S/);
    expect(screen.getByTestId('status-sync-last').querySelector('time')).not.toBeNull();
  });

  it('shows zero counters and "never" before anything was queued', async () => {
    renderApp({ signedInAs: 'teller', unsynced: true, manualSync: true });
    await screen.findByTestId('page-customers');
    expect(screen.getByTestId('status-sync-queued').textContent).toContain('待发送：0');
    expect(screen.getByTestId('status-sync-failing').textContent).toContain('重试中：0');
    expect(screen.getByTestId('status-sync-attention').textContent).toContain('需要处理：0');
    expect(screen.getByTestId('status-sync-last').textContent).toContain('上次同步：还没有同步过');
  });

  it('signs out to the sign-in page', async () => {
    renderApp({ signedInAs: 'teller' });
    fireEvent.click(await screen.findByTestId('sign-out'));
    expect(await screen.findByTestId('signin-username')).toBeTruthy();
  });
});
