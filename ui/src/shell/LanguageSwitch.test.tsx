import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_STORAGE_KEY } from '../i18n';
import { renderApp } from '../test/render';

describe('language switch', () => {
  it('switches between Chinese and English and remembers the choice', async () => {
    renderApp({ signedInAs: 'teller' });
    await screen.findByTestId('page-customers');
    const heading = () => screen.getByRole('heading', { level: 1 }).textContent;
    expect(heading()).toBe('客户');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(screen.getByTestId('lang-switch').textContent).toBe('English');

    fireEvent.click(screen.getByTestId('lang-switch'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Customers' })).toBeTruthy();
    expect(screen.getByTestId('lang-switch').textContent).toBe('中文');
    expect(screen.getByTestId('lock-now').textContent).toBe('Lock now');
    expect(screen.getByTestId('status-core').textContent).toContain('Core system: connected');
    expect(document.documentElement.lang).toBe('en');
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');

    fireEvent.click(screen.getByTestId('lang-switch'));
    expect(await screen.findByRole('heading', { level: 1, name: '客户' })).toBeTruthy();
    expect(window.localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('zh-CN');
  });

  it('is offered on the sign-in page and translates errors', async () => {
    renderApp();
    fireEvent.click(await screen.findByTestId('lang-switch'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Staff sign-in' })).toBeTruthy();
    fireEvent.change(screen.getByTestId('signin-username'), { target: { value: 'nobody' } });
    fireEvent.change(screen.getByTestId('signin-password'), { target: { value: 'whatever-pw' } });
    fireEvent.click(screen.getByTestId('signin-submit'));
    expect((await screen.findByTestId('signin-error')).textContent).toContain('Wrong username or password.');
  });
});
