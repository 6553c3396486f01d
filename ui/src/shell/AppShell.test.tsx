import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp, signIn } from '../test/render';

const ALL_AREAS = ['customers', 'onboarding', 'booth', 'complaints', 'disputes', 'insights', 'audit', 'settings'];

function navAreas(): string[] {
  const nav = screen.getByRole('navigation');
  return within(nav)
    .getAllByRole('button')
    .map((b) => (b.getAttribute('data-testid') ?? '').replace('nav-', ''));
}

describe('app shell', () => {
  it('shows a teller only Customers and Onboarding', async () => {
    renderApp();
    await signIn('teller');
    await screen.findByTestId('page-customers');
    expect(navAreas()).toEqual(['customers', 'onboarding']);
    for (const area of ALL_AREAS.filter((a) => a !== 'customers' && a !== 'onboarding')) {
      expect(screen.queryByTestId(`nav-${area}`)).toBeNull();
    }
  });

  it('shows a supervisor the areas the backend gives, in its order', async () => {
    renderApp({ signedInAs: 'supervisor' });
    await screen.findByTestId('page-customers');
    expect(navAreas()).toEqual(['customers', 'booth', 'complaints', 'disputes', 'insights', 'audit']);
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
    expect(screen.getByTestId('status-staff').textContent).toContain('李柜员（柜员）');
    expect(screen.getByTestId('status-branch').textContent).toContain('城东支行');
    expect(screen.getByTestId('status-core').textContent).toContain('核心系统：已连接（Sandbox Core Bank · sandbox-1）');
    expect(screen.getByTestId('training-banner').textContent).toContain('培训模式 — 数据为演示数据');
  });

  it('says so in words when the core is unreachable, and hides the banner outside training', async () => {
    renderApp({ signedInAs: 'teller', coreConnected: false, trainingMode: false });
    await screen.findByTestId('page-customers');
    expect(screen.getByTestId('status-core').textContent).toContain('核心系统：无法连接');
    expect(screen.queryByTestId('training-banner')).toBeNull();
  });

  it('signs out to the sign-in page', async () => {
    renderApp({ signedInAs: 'teller' });
    fireEvent.click(await screen.findByTestId('sign-out'));
    expect(await screen.findByTestId('signin-username')).toBeTruthy();
  });
});
