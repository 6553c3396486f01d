import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../backend';
import { createMemoryBackend } from '../../backend/memory';
import { renderApp, type } from '../../test/render';

/** Seeded outbox (training): 4 pending new, 3 needs attention (customer.create), 2 retrying, 1 done. */
async function openSync(signedInAs: string) {
  const app = renderApp({ signedInAs });
  fireEvent.click(await screen.findByTestId('nav-sync'));
  await screen.findByTestId('page-sync');
  await screen.findByTestId('sync-row-3');
  return app;
}

function rowIds(): string[] {
  const table = screen.getByRole('table', { name: '待发送业务列表' });
  return within(table)
    .queryAllByTestId(/^sync-row-/)
    .map((r) => r.getAttribute('data-testid') ?? '');
}

function chooseFilter(label: string) {
  const filter = screen.getByTestId('sync-filter');
  fireEvent.click(within(filter).getByRole('radio', { name: label }));
}

describe('sync page', () => {
  it('lists the queued work newest first, translated, with state in words', async () => {
    await openSync('teller');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('同步');
    expect(rowIds()).toEqual(['sync-row-4', 'sync-row-3', 'sync-row-2', 'sync-row-1']);
    const attention = screen.getByTestId('sync-row-3');
    expect(within(attention).getByText('开户 王** 138****5678')).toBeTruthy();
    expect(within(attention).getByText('开户')).toBeTruthy();
    expect(within(attention).getByText('需要处理')).toBeTruthy();
    expect(within(attention).getByText(/Customer already exists/)).toBeTruthy();
    expect(within(screen.getByTestId('sync-row-2')).getByText('重试中')).toBeTruthy();
    expect(within(screen.getByTestId('sync-row-2')).getByText(/connection timed out/)).toBeTruthy();
    expect(within(screen.getByTestId('sync-row-4')).getByText('待发送')).toBeTruthy();
    expect(within(screen.getByTestId('sync-row-1')).getByText('已发送')).toBeTruthy();
    expect(screen.getByTestId('sync-count-attention').textContent).toContain('需要处理：1');
    expect(screen.getByTestId('sync-filter').getAttribute('aria-label')).toBe('按状态筛选');
  });

  it('filters by state: needs attention, waiting to send', async () => {
    await openSync('teller');
    chooseFilter('需要处理');
    await waitFor(() => {
      expect(rowIds()).toEqual(['sync-row-3']);
    });
    chooseFilter('待发送');
    await waitFor(() => {
      expect(rowIds()).toEqual(['sync-row-4', 'sync-row-2']);
    });
  });

  it('filters by state: sent, given up (none), all', async () => {
    await openSync('teller');
    chooseFilter('已发送');
    await waitFor(() => {
      expect(rowIds()).toEqual(['sync-row-1']);
    });
    chooseFilter('已放弃');
    expect(await screen.findByText('没有符合条件的业务。')).toBeTruthy();
    chooseFilter('全部');
    await waitFor(() => {
      expect(rowIds()).toHaveLength(4);
    });
  });

  it('corrects and resends: the item goes back to the queue with only the changed fields', async () => {
    const { backend } = await openSync('teller');
    const resend = vi.spyOn(backend, 'syncResend');
    expect(screen.queryByTestId('sync-resend-2')).toBeNull();
    fireEvent.click(screen.getByTestId('sync-resend-3'));
    await screen.findByTestId('sync-fix-mobile');
    expect(screen.getByLabelText('手机号（更正后）')).toBe(screen.getByTestId('sync-fix-mobile'));
    expect(screen.getByLabelText('客户姓名（更正后）')).toBe(screen.getByTestId('sync-fix-name'));
    type('sync-fix-mobile', '13912345678');
    // A new mobile is verified again before anything is resent.
    fireEvent.click(await screen.findByTestId('sync-send-code'));
    const code = await screen.findByTestId('sync-training-code');
    expect(code.textContent).toContain('246810');
    type('sync-fix-code', '246810');
    fireEvent.click(screen.getByTestId('sync-resend-submit'));

    await waitFor(() => {
      expect(resend).toHaveBeenCalledWith({ id: 3, corrected: { mobile: '13912345678' }, code: '246810' });
    });
    expect(await screen.findByText('已重新发送：开户 王** 138****5678')).toBeTruthy();
    await waitFor(() => {
      expect(within(screen.getByTestId('sync-row-3')).getByText('待发送')).toBeTruthy();
    });
    expect(screen.queryByTestId('sync-resend-3')).toBeNull();
    const item = (await backend.syncList('pending')).find((i) => i.id === 3);
    expect(item?.attempts).toBe(0);
    expect(item?.attentionReason).toBeNull();
    await waitFor(() => {
      expect(screen.getByTestId('status-sync-attention').textContent).toContain('需要处理：0');
    });
    expect(screen.getByTestId('status-sync-queued').textContent).toContain('待发送：3');
  });

  it('resends with corrected null when nothing was changed', async () => {
    const { backend } = await openSync('teller');
    const resend = vi.spyOn(backend, 'syncResend');
    fireEvent.click(screen.getByTestId('sync-resend-3'));
    await screen.findByTestId('sync-fix-name');
    fireEvent.click(screen.getByTestId('sync-resend-submit'));
    await waitFor(() => {
      expect(resend).toHaveBeenCalledWith({ id: 3, corrected: null });
    });
  });

  it('shows a resend refused by the backend as a translated error', async () => {
    const { backend } = await openSync('teller');
    vi.spyOn(backend, 'syncResend').mockRejectedValue({ code: 'conflict', message: 'not in attention' });
    fireEvent.click(screen.getByTestId('sync-resend-3'));
    await screen.findByTestId('sync-fix-name');
    fireEvent.click(screen.getByTestId('sync-resend-submit'));
    expect(await screen.findByText('数据已被他人修改，请刷新后重试。')).toBeTruthy();
  });

  it('has no axe violations (contrast is checked in theme.ts, not in jsdom)', async () => {
    await openSync('supervisor');
    const results = await axe.run(screen.getByTestId('page-sync'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
      rules: { 'color-contrast': { enabled: false } },
    });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
  }, 60_000);

  it('offers resend and discard as core says per item, whatever the role', async () => {
    const { backend } = renderApp({ signedInAs: 'teller' });
    const real = backend.syncList.bind(backend);
    vi.spyOn(backend, 'syncList').mockImplementation(async (state) =>
      (await real(state)).map((item) => ({ ...item, mayResend: item.id === 3, mayDiscard: item.id === 2, correctable: [] })),
    );
    fireEvent.click(await screen.findByTestId('nav-sync'));
    await screen.findByTestId('sync-row-3');
    expect(screen.getByTestId('sync-resend-3')).toBeTruthy();
    expect(screen.queryByTestId('sync-discard-3')).toBeNull();
    expect(screen.queryByTestId('sync-resend-2')).toBeNull();
    expect(screen.getByTestId('sync-discard-2')).toBeTruthy();
    // No field core lists as correctable: the dialog offers none.
    fireEvent.click(screen.getByTestId('sync-resend-3'));
    await screen.findByTestId('sync-resend-submit');
    expect(screen.queryByTestId('sync-fix-mobile')).toBeNull();
  });

  it('shows a teller no discard button', async () => {
    await openSync('teller');
    expect(screen.getByTestId('sync-resend-3')).toBeTruthy();
    expect(screen.queryByTestId('sync-discard-3')).toBeNull();
  });

  it('lets a supervisor discard with a reason, and translates a too-short one', async () => {
    const { backend } = await openSync('supervisor');
    fireEvent.click(screen.getByTestId('sync-discard-3'));
    await screen.findByTestId('sync-discard-reason');
    expect(screen.getByLabelText('放弃原因')).toBe(screen.getByTestId('sync-discard-reason'));

    type('sync-discard-reason', '重复');
    fireEvent.click(screen.getByTestId('sync-discard-submit'));
    expect((await screen.findByTestId('sync-discard-error')).textContent).toContain('输入内容无效，请检查后重试。');
    expect((await backend.syncList('attention')).map((i) => i.id)).toEqual([3]);

    type('sync-discard-reason', '客户已在他行开户，重复提交');
    fireEvent.click(screen.getByTestId('sync-discard-submit'));
    expect(await screen.findByText('已放弃：开户 王** 138****5678')).toBeTruthy();
    await waitFor(() => {
      expect(within(screen.getByTestId('sync-row-3')).getByText('已放弃')).toBeTruthy();
    });
    expect((await backend.syncList('discarded')).map((i) => i.id)).toEqual([3]);
    await waitFor(() => {
      expect(screen.getByTestId('status-sync-attention').textContent).toContain('需要处理：0');
    });
  });

  it('syncs now and updates the counters', async () => {
    await openSync('teller');
    fireEvent.click(screen.getByTestId('sync-now'));
    expect(await screen.findByText('已开始同步，结果稍后显示。')).toBeTruthy();
    await waitFor(() => {
      expect(screen.getByTestId('status-sync-queued').textContent).toContain('待发送：0');
    });
    expect(screen.getByTestId('status-sync-attention').textContent).toContain('需要处理：1');
    await waitFor(() => {
      expect(within(screen.getByTestId('sync-row-4')).getByText('已发送')).toBeTruthy();
    });
  });
});

describe('memory backend outbox', () => {
  function signedIn(username: string): Backend {
    return createMemoryBackend({ signedInAs: username });
  }

  it('keeps the backend rules: resend and discard only from attention, discard only for supervisors', async () => {
    const teller = signedIn('teller');
    await expect(teller.syncResend({ id: 2, corrected: null })).rejects.toMatchObject({ code: 'conflict' });
    await expect(teller.syncResend({ id: 99, corrected: null })).rejects.toMatchObject({ code: 'not_found' });
    await expect(teller.syncResend({ id: 3, corrected: { pin: '1' } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    // Which customer the operation is for is not correctable; a new mobile needs a new code.
    await expect(teller.syncResend({ id: 3, corrected: { externalId: 'x' } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(teller.syncResend({ id: 3, corrected: { mobile: '13912345678' } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    // Only the operation's maker or a supervisor corrects it.
    await expect(signedIn('booth').syncResend({ id: 3, corrected: null })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(signedIn('admin').syncResend({ id: 3, corrected: null })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(teller.syncDiscard({ id: 3, reason: '重复提交了' })).rejects.toMatchObject({ code: 'forbidden' });

    const admin = signedIn('admin');
    await expect(admin.syncDiscard({ id: 3, reason: ' 短 ' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(admin.syncDiscard({ id: 2, reason: '重复提交了' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await admin.syncDiscard({ id: 3, reason: '重复提交了' })).toMatchObject({ attention: 0 });
    const status = await admin.appStatus();
    expect(status.sync).toMatchObject({ queued: 2, failing: 1, attention: 0 });
  });
});
