import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../backend';
import { openWorld, passwordOf, renderWorld, syncRound } from '../../test/render';

/**
 * A supervisor's audit screen over exactly 42 records, all made by real commands: Customer 360
 * views (customer 220 once, for the free-text filter), a refused settings read, a sign-out,
 * two wrong passwords and the sign-in again (newest), then a sync round, which anchors the
 * chain's head at the core.
 */
async function openAudit(override?: (backend: Backend) => Backend) {
  const opened = openWorld({ signedInAs: 'supervisor', manualSync: true });
  const { backend, world } = opened;
  await backend.customerProfile('220');
  // The five records below come after the views.
  const total = async () => ((await backend.auditSearch({ ...ALL, limit: 1 })).total ?? 0) + 5;
  for (let id = 100; (await total()) < 42; id++) await backend.customerProfile(String(id));
  await expect(backend.settingsGet()).rejects.toMatchObject({ code: 'forbidden' });
  await backend.signOut();
  for (let i = 0; i < 2; i++) {
    await expect(backend.signIn({ username: 'teller', password: 'not-the-password' })).rejects.toMatchObject({
      code: 'bad_credentials',
    });
  }
  await backend.signIn({ username: 'supervisor', password: await passwordOf('supervisor') });
  await syncRound(world);
  const app = renderWorld({ backend: override === undefined ? backend : override(backend), world });
  fireEvent.click(await screen.findByTestId('nav-audit'));
  await screen.findByTestId('page-audit');
  return app;
}

const ALL = { text: null, action: null, outcome: null, fromDate: null, toDate: null, after: null };

describe('audit', () => {
  it('lists entries with translated actions and pages on the server', async () => {
    await openAudit();
    const table = await screen.findByRole('table');
    expect((await within(table).findAllByText('登录')).length).toBeGreaterThan(0);
    expect(within(table).getAllByText('登录失败').length).toBeGreaterThan(0);
    expect(within(table).getAllByText('查看客户全景').length).toBeGreaterThan(0);
    expect(within(table).getAllByText('已拒绝').length).toBeGreaterThan(0);
    expect(within(table).getAllByRole('row')).toHaveLength(21); // header + 20
    expect(screen.getByText('共 42 条记录')).toBeTruthy();
    // Role queries over a whole table are slow in jsdom; rows and buttons by their markup.
    const button = (text: string) => screen.getByText(text).closest('button') as HTMLButtonElement;
    const ids = (): string[] =>
      Array.from(document.querySelectorAll('tr[data-row-key]')).map((row) => row.getAttribute('data-row-key') ?? '');
    expect(button('上一页').disabled).toBe(true);

    // Pages by key: each older page starts after the last record shown.
    const firstPage = ids();
    fireEvent.click(button('下一页'));
    await waitFor(() => {
      expect(ids()).not.toEqual(firstPage);
    });
    expect(ids()).toHaveLength(20);
    await waitFor(() => {
      expect(button('下一页').disabled).toBe(false);
    });
    fireEvent.click(button('下一页'));
    await waitFor(() => {
      expect(ids()).toHaveLength(2);
    });
    expect(button('下一页').disabled).toBe(true);
    // The count from the first page stays while paging.
    expect(screen.getByText('共 42 条记录')).toBeTruthy();
    fireEvent.click(button('上一页'));
    fireEvent.click(button('上一页'));
    await waitFor(() => {
      expect(ids()).toEqual(firstPage);
    });
  });

  it('filters by free text', async () => {
    await openAudit();
    await screen.findByText('共 42 条记录');
    fireEvent.change(screen.getByLabelText('关键字'), { target: { value: '220' } });
    fireEvent.click(screen.getByRole('button', { name: /查询/ }));
    expect(await screen.findByText('共 1 条记录')).toBeTruthy();
  });

  it('filters by action, outcome and dates', async () => {
    const { backend } = await openAudit();
    await screen.findByText('共 42 条记录');
    const search = vi.spyOn(backend, 'auditSearch');
    fireEvent.change(screen.getByLabelText('操作'), { target: { value: 'auth.sign_in_failed' } });
    fireEvent.change(screen.getByLabelText('结果'), { target: { value: 'failed' } });
    fireEvent.change(screen.getByLabelText('开始日期'), { target: { value: '2020-01-01' } });
    // Typed with a Chinese IME: full-width digits are folded as typed.
    fireEvent.change(screen.getByLabelText('结束日期'), { target: { value: '２０９９-１２-３１' } });
    fireEvent.click(screen.getByRole('button', { name: /查询/ }));
    expect(await screen.findByText(/^共 [1-9] 条记录$/)).toBeTruthy();
    expect(search).toHaveBeenLastCalledWith({
      text: null,
      action: 'auth.sign_in_failed',
      outcome: 'failed',
      fromDate: '2020-01-01',
      toDate: '2099-12-31',
      after: null,
      limit: 20,
    });
    const table = screen.getByRole('table');
    expect(within(table).queryAllByText('登录')).toHaveLength(0);
    expect(within(table).getAllByText('登录失败').length).toBeGreaterThan(0);
  });

  it('verifies the chain', async () => {
    await openAudit();
    fireEvent.click(screen.getByTestId('audit-verify'));
    const result = await screen.findByTestId('audit-verify-result');
    expect(result.textContent).toMatch(/审计链完整，已检查 4\d 条记录。/);
    // And says what the head anchored at the core was checked against.
    expect(result.textContent).toMatch(/已与核心系统存证的审计链头（第 #4\d 条记录）核对。/);
  });

  // Fixtures, not the core: a broken chain cannot be made through any command, and every action
  // the core writes has words; these check only how the screen renders such answers.
  it('reports a broken chain with the record and the reason', async () => {
    await openAudit((backend) => ({
      ...backend,
      auditVerify: () =>
        Promise.resolve({
          ok: false,
          checked: 42,
          firstBroken: 7,
          reason: 'hash mismatch',
          anchor: 'not_anchored',
          anchoredSequence: null,
        }),
    }));
    fireEvent.click(screen.getByTestId('audit-verify'));
    const result = await screen.findByTestId('audit-verify-result');
    expect(result.textContent).toContain('审计链在第 #7 条记录处断开：hash mismatch');
  });

  it('shows an action it has no words for by its raw name', async () => {
    await openAudit((backend) => ({
      ...backend,
      auditSearch: async (query) => {
        const page = await backend.auditSearch(query);
        const [first, ...rest] = page.entries;
        return first === undefined ? page : { ...page, entries: [{ ...first, action: 'sync.push' }, ...rest] };
      },
    }));
    const table = await screen.findByRole('table');
    expect(await within(table).findByText('sync.push')).toBeTruthy();
  });
});
