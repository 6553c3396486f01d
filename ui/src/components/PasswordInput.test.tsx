import { fireEvent, render, screen } from '@testing-library/react';
import { Form } from 'antd';
import { describe, expect, it } from 'vitest';
import { PasswordField } from './PasswordInput';

describe('password field', () => {
  it('shows and hides the password from a keyboard-reachable, named button', () => {
    render(
      <Form>
        <PasswordField name="password" label="密码" testId="pw" autoComplete="current-password" />
      </Form>,
    );
    const input = screen.getByTestId<HTMLInputElement>('pw');
    expect(input.type).toBe('password');
    fireEvent.change(input, { target: { value: 'secret-1' } });
    // In the tab order: a real button, not an icon with tabindex -1 (antd's Input.Password).
    const toggle = screen.getByRole('button', { name: '显示密码' });
    expect(toggle.tagName).toBe('BUTTON');
    expect(toggle.tabIndex).toBe(0);
    toggle.focus();
    expect(document.activeElement).toBe(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    // Enter and Space on a focused button are a click.
    fireEvent.click(toggle);
    expect(input.type).toBe('text');
    expect(input.value).toBe('secret-1');
    expect(screen.getByRole('button', { name: '隐藏密码' }).getAttribute('aria-pressed')).toBe('true');
  });
});
