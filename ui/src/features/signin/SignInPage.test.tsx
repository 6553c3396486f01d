import { fireEvent, screen, waitFor, waitForElementToBeRemoved, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { input, renderApp, signIn } from '../../test/render';

describe('sign-in', () => {
  it('shows a wrong password as a translated alert', async () => {
    renderApp();
    await signIn('teller', 'not-the-password');
    const alert = await screen.findByTestId('signin-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('用户名或密码错误。');
    expect(alert.textContent).not.toContain('bad credentials');
  });

  it('says the account is locked after five failures', async () => {
    renderApp();
    for (let i = 0; i < 5; i++) {
      // Each attempt's answer before the next (the core counts every one): the previous
      // alert goes while the attempt is in flight, and the new one comes with its answer.
      const previous = screen.queryByTestId('signin-error');
      await signIn('teller', 'wrong-password');
      if (previous !== null) await waitForElementToBeRemoved(previous);
      await screen.findByTestId('signin-error');
    }
    expect(await screen.findByText('登录失败次数过多，账户已锁定 15 分钟。')).toBeTruthy();
  });

  it('puts the test hooks on the real inputs and signs in', async () => {
    renderApp();
    await screen.findByTestId('signin-username');
    expect(input('signin-username').tagName).toBe('INPUT');
    expect(input('signin-password').type).toBe('password');
    await signIn('teller');
    expect(await screen.findByTestId('page-customers')).toBeTruthy();
    expect(within(screen.getByTestId('page-customers')).getAllByRole('heading', { level: 1 })).toHaveLength(1);
  });

  it('validates empty fields before calling the backend', async () => {
    renderApp();
    fireEvent.click(await screen.findByTestId('signin-submit'));
    await waitFor(() => {
      expect(screen.getAllByText('请填写此项。')).toHaveLength(2);
    });
    expect(screen.queryByTestId('signin-error')).toBeNull();
  });
});
