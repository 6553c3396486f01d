import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test/render';

async function openAudit(options: Parameters<typeof renderApp>[0] = {}) {
  const app = renderApp({ signedInAs: 'supervisor', auditSeed: 42, ...options });
  fireEvent.click(await screen.findByTestId('nav-audit'));
  await screen.findByTestId('page-audit');
  return app;
}

describe('audit', () => {
  it('lists entries with translated actions and pages on the server', async () => {
    await openAudit();
    const table = await screen.findByRole('table');
    expect((await within(table).findAllByText('登录')).length).toBeGreaterThan(0);
    expect(within(table).getAllByText('登录失败').length).toBeGreaterThan(0);
    expect(within(table).getAllByText('查看客户全景').length).toBeGreaterThan(0);
    // An action the UI has no words for shows its raw name.
    expect(within(table).getAllByText('sync.push').length).toBeGreaterThan(0);
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
    fireEvent.change(screen.getByLabelText('关键字'), { target: { value: 'C1005' } });
    fireEvent.click(screen.getByRole('button', { name: /查询/ }));
    expect(await screen.findByText('共 1 条记录')).toBeTruthy();
  });

  it('filters by action, outcome and dates', async () => {
    const { backend } = await openAudit();
    await screen.findByText('共 42 条记录');
    const search = vi.spyOn(backend, 'auditSearch');
    fireEvent.change(screen.getByLabelText('操作'), { target: { value: 'auth.sign_in_failed' } });
    fireEvent.change(screen.getByLabelText('结果'), { target: { value: 'refused' } });
    fireEvent.change(screen.getByLabelText('开始日期'), { target: { value: '2020-01-01' } });
    // Typed with a Chinese IME: full-width digits are folded as typed.
    fireEvent.change(screen.getByLabelText('结束日期'), { target: { value: '２０９９-１２-３１' } });
    fireEvent.click(screen.getByRole('button', { name: /查询/ }));
    expect(await screen.findByText(/^共 [1-9] 条记录$/)).toBeTruthy();
    expect(search).toHaveBeenLastCalledWith({
      text: null,
      action: 'auth.sign_in_failed',
      outcome: 'refused',
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

  it('reports a broken chain with the record and the reason', async () => {
    await openAudit({ brokenAt: { id: 7, reason: 'hash mismatch' } });
    fireEvent.click(screen.getByTestId('audit-verify'));
    const result = await screen.findByTestId('audit-verify-result');
    expect(result.textContent).toContain('审计链在第 #7 条记录处断开：hash mismatch');
  });
});
