import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { apiError } from '../../backend/errors';
import { renderApp } from '../../test/render';

async function openSettings() {
  const app = renderApp({ signedInAs: 'admin', idleLockSecs: 900, branch: '城东支行' });
  fireEvent.click(await screen.findByTestId('nav-settings'));
  await screen.findByTestId('page-settings');
  return app;
}

describe('settings', () => {
  it('shows and saves idle lock minutes and branch', async () => {
    const { backend } = await openSettings();
    const minutes = await screen.findByLabelText<HTMLInputElement>('空闲锁屏时间（分钟）');
    expect(minutes.value).toBe('15');
    fireEvent.change(minutes, { target: { value: '5' } });
    fireEvent.change(screen.getByLabelText('网点名称'), { target: { value: '城西支行' } });
    fireEvent.click(screen.getByRole('button', { name: '保存设置' }));
    expect(await screen.findByText('设置已保存。')).toBeTruthy();
    expect((await backend.settingsGet()).values).toEqual({ idleLockSecs: 300, branch: '城西支行' });
  });

  it('shows the range core sends and marks the field core refuses', async () => {
    const { backend } = renderApp({ signedInAs: 'admin' });
    const ranges = { idleLockMinSecs: 120, idleLockMaxSecs: 600, branchMaxChars: 60 };
    vi.spyOn(backend, 'settingsGet').mockResolvedValue({ values: { idleLockSecs: 300, branch: '城东支行' }, ranges });
    vi.spyOn(backend, 'settingsUpdate').mockRejectedValue(
      apiError('invalid_input', 'invalid input: idleLockSecs: idle_lock_range', [{ field: 'idleLockSecs', code: 'idle_lock_range' }]),
    );
    fireEvent.click(await screen.findByTestId('nav-settings'));
    expect(await screen.findByText('可设 2 至 10 分钟。')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '保存设置' }));
    const minutes = await screen.findByLabelText<HTMLInputElement>('空闲锁屏时间（分钟）');
    expect(await screen.findByText('自动锁屏时间为 2 至 10 分钟。')).toBeTruthy();
    expect(minutes.getAttribute('aria-invalid')).toBe('true');
  });

  it('lists staff and refuses a taken username, translated', async () => {
    await openSettings();
    const table = await screen.findByRole('table');
    expect(await within(table).findByText('王柜员')).toBeTruthy();
    expect(within(table).getAllByText('柜员').length).toBeGreaterThan(0);

    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'teller' } });
    fireEvent.change(screen.getByLabelText('显示名称'), { target: { value: '另一个柜员' } });
    fireEvent.change(screen.getByLabelText('角色'), { target: { value: 'teller' } });
    fireEvent.change(screen.getByLabelText('初始密码'), { target: { value: 'long-enough-pw' } });
    fireEvent.click(screen.getByRole('button', { name: /创建员工/ }));
    expect(await screen.findByText('该用户名已被使用。')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('用户名'), { target: { value: 'newbie' } });
    fireEvent.click(screen.getByRole('button', { name: /创建员工/ }));
    expect(await screen.findByText('已创建员工 另一个柜员。')).toBeTruthy();
    expect(await within(screen.getByRole('table')).findByText('newbie')).toBeTruthy();
  }, 60_000);
});
