import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { input, renderApp, signIn, type } from '../../test/render';

describe('first-run setup', () => {
  it('creates the first admin, then asks to sign in', async () => {
    renderApp({ fresh: true });
    await screen.findByTestId('setup-username');
    expect(input('setup-password').tagName).toBe('INPUT');
    expect(input('setup-password-confirm').tagName).toBe('INPUT');
    type('setup-username', 'boss');
    type('setup-display-name', '老板');
    type('setup-password', 'long-enough-pw');
    type('setup-password-confirm', 'long-enough-pw');
    fireEvent.click(screen.getByTestId('setup-submit'));
    expect(await screen.findByText('管理员账户已创建，请登录。')).toBeTruthy();

    await signIn('boss', 'long-enough-pw');
    expect(await screen.findByTestId('page-audit')).toBeTruthy();
    expect(screen.getByTestId('nav-settings')).toBeTruthy();
  });

  it('refuses mismatched passwords in the form', async () => {
    renderApp({ fresh: true });
    await screen.findByTestId('setup-username');
    type('setup-username', 'boss');
    type('setup-display-name', '老板');
    type('setup-password', 'long-enough-pw');
    type('setup-password-confirm', 'something-else');
    fireEvent.click(screen.getByTestId('setup-submit'));
    expect(await screen.findByText('两次输入的密码不一致。')).toBeTruthy();
  });
});
