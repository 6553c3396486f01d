import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { openWorld, passwordOf, renderWorld, startEngine, type } from '../../test/render';
import { queueDemoWork } from '../../test/work';

/** The demo work (see queueDemoWork) made by the teller, then shown to `signedInAs`. */
async function openSync(signedInAs: string) {
  const opened = openWorld({ signedInAs: 'teller', manualSync: true });
  const work = await queueDemoWork(opened.backend, opened.world);
  if (signedInAs !== 'teller') {
    await opened.backend.signOut();
    await opened.backend.signIn({ username: signedInAs, password: await passwordOf(signedInAs) });
  }
  const app = renderWorld(opened);
  fireEvent.click(await screen.findByTestId('nav-sync'));
  await screen.findByTestId('page-sync');
  await screen.findByTestId(`sync-row-${work.attention}`);
  return { ...app, work };
}

const rows = (ids: number[]) => ids.map((id) => `sync-row-${id}`);

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
    const { work } = await openSync('teller');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('同步');
    expect(rowIds()).toEqual(rows(work.all));
    const attention = screen.getByTestId(`sync-row-${work.attention}`);
    expect(within(attention).getByText('开户 王** 138****5678')).toBeTruthy();
    expect(within(attention).getByText('开户')).toBeTruthy();
    expect(within(attention).getByText('需要处理')).toBeTruthy();
    expect(within(attention).getByText(/Customer already exists/)).toBeTruthy();
    expect(within(screen.getByTestId(`sync-row-${work.retrying}`)).getByText('重试中')).toBeTruthy();
    expect(within(screen.getByTestId(`sync-row-${work.retrying}`)).getByText(/Injected fault/)).toBeTruthy();
    expect(within(screen.getByTestId(`sync-row-${work.newest}`)).getByText('待发送')).toBeTruthy();
    expect(within(screen.getByTestId(`sync-row-${work.done}`)).getByText('已发送')).toBeTruthy();
    // The counters are a query of their own, which may answer after the list.
    expect((await screen.findByTestId('sync-count-attention')).textContent).toContain('需要处理：1');
    expect(screen.getByTestId('sync-filter').getAttribute('aria-label')).toBe('按状态筛选');
  });

  it('filters by state: needs attention, waiting to send', async () => {
    const { work } = await openSync('teller');
    chooseFilter('需要处理');
    await waitFor(() => {
      expect(rowIds()).toEqual(rows([work.attention]));
    });
    chooseFilter('待发送');
    // The two card links, and the refused customer's consents and wallet waiting behind it.
    await waitFor(() => {
      expect(rowIds()).toEqual(rows(work.all.filter((id) => id > work.attention)));
    });
  });

  it('filters by state: sent, given up (none), all', async () => {
    const { work } = await openSync('teller');
    chooseFilter('已发送');
    await waitFor(() => {
      expect(rowIds()).toEqual(rows(work.all.filter((id) => id <= work.done + 4)));
    });
    chooseFilter('已放弃');
    expect(await screen.findByText('没有符合条件的业务。')).toBeTruthy();
    chooseFilter('全部');
    await waitFor(() => {
      expect(rowIds()).toHaveLength(work.all.length);
    });
  });

  it('corrects and resends: the item goes back to the queue with only the changed fields', async () => {
    const { backend, work } = await openSync('teller');
    const resend = vi.spyOn(backend, 'syncResend');
    expect(screen.queryByTestId(`sync-resend-${work.retrying}`)).toBeNull();
    fireEvent.click(screen.getByTestId(`sync-resend-${work.attention}`));
    await screen.findByTestId('sync-fix-mobile');
    expect(screen.getByLabelText('手机号（更正后）')).toBe(screen.getByTestId('sync-fix-mobile'));
    expect(screen.getByLabelText('客户姓名（更正后）')).toBe(screen.getByTestId('sync-fix-name'));
    type('sync-fix-mobile', '13912345678');
    // A new mobile is verified again before anything is resent.
    fireEvent.click(await screen.findByTestId('sync-send-code'));
    const code = (await screen.findByTestId('sync-training-code')).textContent.match(/\d{6}/)?.[0] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    type('sync-fix-code', code);
    fireEvent.click(screen.getByTestId('sync-resend-submit'));

    await waitFor(() => {
      expect(resend).toHaveBeenCalledWith({ id: work.attention, corrected: { mobile: '13912345678' }, code });
    });
    expect(await screen.findByText('已重新发送：开户 王** 138****5678')).toBeTruthy();
    await waitFor(() => {
      expect(within(screen.getByTestId(`sync-row-${work.attention}`)).getByText('待发送')).toBeTruthy();
    });
    expect(screen.queryByTestId(`sync-resend-${work.attention}`)).toBeNull();
    const item = (await backend.syncList('pending')).find((i) => i.id === work.attention);
    expect(item?.attempts).toBe(0);
    expect(item?.attentionReason).toBeNull();
    await waitFor(() => {
      expect(screen.getByTestId('status-sync-attention').textContent).toContain('需要处理：0');
    });
    expect(screen.getByTestId('status-sync-queued').textContent).toContain('待发送：7');
  });

  it('resends with corrected null when nothing was changed', async () => {
    const { backend, work } = await openSync('teller');
    const resend = vi.spyOn(backend, 'syncResend');
    fireEvent.click(screen.getByTestId(`sync-resend-${work.attention}`));
    await screen.findByTestId('sync-fix-name');
    fireEvent.click(screen.getByTestId('sync-resend-submit'));
    await waitFor(() => {
      expect(resend).toHaveBeenCalledWith({ id: work.attention, corrected: null });
    });
  });

  it('shows a resend refused by the backend as a translated error', async () => {
    const { backend, work } = await openSync('teller');
    vi.spyOn(backend, 'syncResend').mockRejectedValue({ code: 'conflict', message: 'not in attention' });
    fireEvent.click(screen.getByTestId(`sync-resend-${work.attention}`));
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
  }, 120_000);

  it('offers resend and discard as core says per item, whatever the role', async () => {
    const opened = openWorld({ signedInAs: 'teller', manualSync: true });
    const work = await queueDemoWork(opened.backend, opened.world);
    const { backend } = opened;
    const real = backend.syncList.bind(backend);
    vi.spyOn(backend, 'syncList').mockImplementation(async (state) =>
      (await real(state)).map((item) => ({
        ...item,
        mayResend: item.id === work.attention,
        mayDiscard: item.id === work.retrying,
        correctable: [],
      })),
    );
    renderWorld(opened);
    fireEvent.click(await screen.findByTestId('nav-sync'));
    await screen.findByTestId(`sync-row-${work.attention}`);
    expect(screen.getByTestId(`sync-resend-${work.attention}`)).toBeTruthy();
    expect(screen.queryByTestId(`sync-discard-${work.attention}`)).toBeNull();
    expect(screen.queryByTestId(`sync-resend-${work.retrying}`)).toBeNull();
    expect(screen.getByTestId(`sync-discard-${work.retrying}`)).toBeTruthy();
    // No field core lists as correctable: the dialog offers none.
    fireEvent.click(screen.getByTestId(`sync-resend-${work.attention}`));
    await screen.findByTestId('sync-resend-submit');
    expect(screen.queryByTestId('sync-fix-mobile')).toBeNull();
  });

  it('shows a teller no discard button', async () => {
    const { work } = await openSync('teller');
    expect(screen.getByTestId(`sync-resend-${work.attention}`)).toBeTruthy();
    expect(screen.queryByTestId(`sync-discard-${work.attention}`)).toBeNull();
  });

  it('lets a supervisor discard with a reason, and translates a too-short one', async () => {
    const { backend, work } = await openSync('supervisor');
    fireEvent.click(screen.getByTestId(`sync-discard-${work.attention}`));
    await screen.findByTestId('sync-discard-reason');
    expect(screen.getByLabelText('放弃原因')).toBe(screen.getByTestId('sync-discard-reason'));

    type('sync-discard-reason', '重复');
    fireEvent.click(screen.getByTestId('sync-discard-submit'));
    expect((await screen.findByTestId('sync-discard-error')).textContent).toContain('请写明原因');
    expect((await backend.syncList('attention')).map((i) => i.id)).toEqual([work.attention]);

    type('sync-discard-reason', '客户已在他行开户，重复提交');
    fireEvent.click(screen.getByTestId('sync-discard-submit'));
    expect(await screen.findByText('已放弃：开户 王** 138****5678')).toBeTruthy();
    await waitFor(() => {
      expect(within(screen.getByTestId(`sync-row-${work.attention}`)).getByText('已放弃')).toBeTruthy();
    });
    expect((await backend.syncList('discarded')).map((i) => i.id)).toEqual([work.attention]);
    await waitFor(() => {
      expect(screen.getByTestId('status-sync-attention').textContent).toContain('需要处理：0');
    });
  });

  it('syncs now and updates the counters', async () => {
    const { work, world } = await openSync('teller');
    await startEngine(world);
    fireEvent.click(screen.getByTestId('sync-now'));
    expect(await screen.findByText('已开始同步，结果稍后显示。')).toBeTruthy();
    // The card links go; the refused customer's consents and wallet still wait behind it.
    await waitFor(() => {
      expect(screen.getByTestId('status-sync-queued').textContent).toContain('待发送：4');
    });
    expect(screen.getByTestId('status-sync-attention').textContent).toContain('需要处理：1');
    await waitFor(() => {
      expect(within(screen.getByTestId(`sync-row-${work.newest}`)).getByText('已发送')).toBeTruthy();
    });
  });
});
