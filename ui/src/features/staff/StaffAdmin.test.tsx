import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { passwordOf, renderApp, signIn, type } from '../../test/render';

async function openStaffAdmin() {
  const app = renderApp({ signedInAs: 'admin' });
  fireEvent.click(await screen.findByTestId('nav-settings'));
  await screen.findByTestId('staff-admin');
  await within(screen.getByTestId('staff-admin')).findByText('王柜员');
  return app;
}

function row(displayName: string): HTMLElement {
  const cell = within(screen.getByTestId('staff-admin')).getByText(displayName);
  const tr = cell.closest('tr');
  if (tr === null) throw new Error(`no row for ${displayName}`);
  return tr;
}

async function noAxeViolations(root: HTMLElement) {
  const results = await axe.run(root, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
}

describe('staff admin', () => {
  it('has no axe violations (contrast is checked in theme.ts, not in jsdom)', async () => {
    await openStaffAdmin();
    await noAxeViolations(screen.getByTestId('page-settings'));
  }, 120_000);

  it('deactivates an account, which then cannot sign in, and reactivates it', async () => {
    const { backend } = await openStaffAdmin();
    fireEvent.click(screen.getByTestId('staff-deactivate-teller'));
    expect(await screen.findByText('已停用 王柜员。')).toBeTruthy();
    expect(await within(row('王柜员')).findByText('已停用')).toBeTruthy();
    await expect(backend.signIn({ username: 'teller', password: await passwordOf('teller') })).rejects.toMatchObject({
      code: 'bad_credentials',
    });
    // Still listed, and its deactivation is in the trail.
    const trail = await backend.auditSearch({
      text: 'teller',
      action: 'staff.deactivated',
      outcome: null,
      fromDate: null,
      toDate: null,
      after: null,
      limit: 10,
    });
    expect(trail.entries).toHaveLength(1);

    fireEvent.click(await screen.findByTestId('staff-reactivate-teller'));
    expect(await screen.findByText('已重新启用 王柜员。')).toBeTruthy();
  });

  it('changes a role with the chosen value only when asked', async () => {
    await openStaffAdmin();
    const setRole = screen.getByTestId('staff-set-role-teller');
    expect(setRole.hasAttribute('disabled')).toBe(true);
    fireEvent.change(screen.getByLabelText('王柜员 的新角色'), { target: { value: 'supervisor' } });
    expect(setRole.hasAttribute('disabled')).toBe(false);
    fireEvent.click(setRole);
    expect(await screen.findByText('王柜员 的角色已变更为：主管。')).toBeTruthy();
    expect(await within(row('王柜员')).findAllByText('主管')).not.toHaveLength(0);
  });

  it("sets a supervisor's branch as typed (full-width folded), refuses a bad code, and offers none for a teller", async () => {
    await openStaffAdmin();
    expect(within(row('王柜员')).getByText('不适用（仅主管设置网点）')).toBeTruthy();
    expect(within(row('王柜员')).queryByRole('textbox')).toBeNull();
    expect(screen.getByTestId('staff-branch-supervisor').textContent).toBe('总行：全部网点');
    fireEvent.change(screen.getByTestId('staff-branch-input-supervisor'), { target: { value: 'SH 001' } });
    fireEvent.click(screen.getByTestId('staff-set-branch-supervisor'));
    expect((await screen.findByTestId('staff-branch-error-supervisor')).textContent).toContain('网点代码不能含空格');
    fireEvent.change(screen.getByTestId('staff-branch-input-supervisor'), { target: { value: 'ＳＨ－００１' } });
    fireEvent.click(screen.getByTestId('staff-set-branch-supervisor'));
    await waitFor(() => {
      expect(screen.getByTestId('staff-branch-supervisor').textContent).toBe('SH-001');
    });
    await noAxeViolations(screen.getByTestId('staff-admin'));
  }, 120_000);

  it('refuses to deactivate or demote the last administrator, translated', async () => {
    await openStaffAdmin();
    fireEvent.click(screen.getByTestId('staff-deactivate-admin'));
    expect(await screen.findByText('这是最后一个在用的管理员账户：请先设置另一名管理员。')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('王管理 的新角色'), { target: { value: 'teller' } });
    fireEvent.click(screen.getByTestId('staff-set-role-admin'));
    expect(await screen.findByTestId('staff-change-error')).toBeTruthy();
    expect(within(row('王管理')).getAllByText('系统管理员')).not.toHaveLength(0);
  });

  it('makes the staff member set a new password before anything else', async () => {
    const { backend } = await openStaffAdmin();
    fireEvent.click(screen.getByTestId('staff-require-change-teller'));
    expect(await screen.findByTestId('staff-must-change-teller')).toBeTruthy();
    fireEvent.click(screen.getByTestId('sign-out'));

    await signIn('teller');
    const page = await screen.findByTestId('password-change');
    expect(screen.queryByTestId('page-customers')).toBeNull();
    await expect(backend.customerSearch({ text: '张' })).rejects.toMatchObject({ code: 'password_change_required' });
    await noAxeViolations(page);

    type('password-current', await passwordOf('teller'));
    type('password-new', 'short');
    type('password-confirm', 'short');
    fireEvent.click(screen.getByTestId('password-submit'));
    expect(await screen.findByTestId('password-change-error')).toBeTruthy();

    type('password-current', await passwordOf('teller'));
    type('password-new', 'counter-2027-new');
    type('password-confirm', 'counter-2027-new');
    fireEvent.click(screen.getByTestId('password-submit'));
    expect(await screen.findByTestId('page-customers')).toBeTruthy();
    await expect(backend.customerSearch({ text: '张' })).resolves.toBeDefined();
  }, 120_000);
});
