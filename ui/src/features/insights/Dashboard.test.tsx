import { fireEvent, screen, waitFor } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { renderApp, syncRound } from '../../test/render';

/** China's today, as core counts days. */
function chinaDay(offsetDays = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

function bytesOf(blob: Blob): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      resolve(reader.result as ArrayBuffer);
    };
    reader.onerror = () => {
      reject(new Error('unreadable blob'));
    };
    reader.readAsArrayBuffer(blob);
  });
}

async function openInsights() {
  const app = renderApp({ signedInAs: 'supervisor' });
  fireEvent.click(await screen.findByTestId('nav-insights'));
  await screen.findByTestId('page-insights');
  return app;
}

describe('insights dashboard', () => {
  it('draws the trend and the funnel from core, each with its numbers as text', async () => {
    await openInsights();
    const trend = await screen.findByTestId('insight-trend', {}, { timeout: 30_000 });
    // The chart is one image described by a sentence with every point; the table repeats it.
    expect(trend.getAttribute('role')).toBe('img');
    expect(trend.getAttribute('aria-label')).toMatch(/^签约数趋势：.+ \d+/);
    const trendTable = screen.getByRole('table', { name: '趋势：签约数' });
    // The default period (30 days) in core's buckets of 3 days.
    expect(trendTable.querySelectorAll('tbody tr')).toHaveLength(10);
    const funnel = await screen.findByTestId('insight-funnel');
    expect(funnel.getAttribute('aria-label')).toMatch(/^推广漏斗：线索（本机数据） \d+，签约 \d+，已实名（本机数据） \d+，已激活 \d+，活跃 \d+。$/);
    const funnelTable = screen.getByRole('table', { name: '推广漏斗' });
    expect(funnelTable.querySelectorAll('tbody tr')).toHaveLength(5);
    // Without a campaign, the before/after view says how to get it.
    expect(screen.getByText('填写活动代码后，显示该活动的前后对比。')).toBeTruthy();
  }, 120_000);

  it('shows a campaign before and after, and says when no campaign has the code', async () => {
    const { backend, world } = await openInsights();
    await backend.boothSave({ code: 'VT-MALL', name: '测试展位', mall: '万达广场', address: '建国路 93 号', branch: 'BJ-009', roster: ['booth'] });
    await backend.campaignSave({
      code: 'VT-SPRING',
      name: '测试活动',
      startsOn: chinaDay(-2),
      endsOn: chinaDay(30),
      branches: ['BJ-009'],
      booths: ['VT-MALL'],
      incentiveKind: 'cashback',
      incentiveAmount: '5.00',
      incentivePoints: null,
      incentiveCoupon: null,
      incentiveService: null,
      newCustomersOnly: true,
      budgetClaims: null,
      budgetAmount: null,
    });
    await syncRound(world);
    await syncRound(world);

    fireEvent.change(screen.getByTestId('insight-campaign'), { target: { value: 'VT-SPRING' } });
    const chart = await screen.findByTestId('insight-campaign-chart', {}, { timeout: 30_000 });
    // Three days so far (the first day to today) against the three before; nobody signed up.
    expect(chart.getAttribute('aria-label')).toBe('活动前后对比：开展网点·活动期 0，开展网点·活动前 0，未开展网点·活动期 0，本活动获客 0。');
    expect(screen.getByText(`测试活动：活动期 ${chinaDay(-2)} 至 ${chinaDay(0)}，活动前 ${chinaDay(-5)} 至 ${chinaDay(-3)}；开展网点：BJ-009。`)).toBeTruthy();
    expect(screen.getByRole('table', { name: '活动 VT-SPRING 前后对比：签约数' })).toBeTruthy();

    fireEvent.change(screen.getByTestId('insight-campaign'), { target: { value: 'NO-SUCH' } });
    expect(await screen.findByText('没有这个活动代码。', {}, { timeout: 30_000 })).toBeTruthy();
  }, 120_000);

  it('prints the campaign report as a PDF from core and saves it like the XLSX export', async () => {
    const { backend, world } = await openInsights();
    await backend.boothSave({ code: 'VT-PDF-MALL', name: '报告展位', mall: '万达广场', address: '建国路 93 号', branch: 'BJ-010', roster: ['booth'] });
    await backend.campaignSave({
      code: 'VT-PDF',
      name: '报告活动',
      startsOn: chinaDay(-1),
      endsOn: chinaDay(30),
      branches: ['BJ-010'],
      booths: ['VT-PDF-MALL'],
      incentiveKind: 'cashback',
      incentiveAmount: '5.00',
      incentivePoints: null,
      incentiveCoupon: null,
      incentiveService: null,
      newCustomersOnly: true,
      budgetClaims: null,
      budgetAmount: null,
    });
    await syncRound(world);
    await syncRound(world);
    fireEvent.change(screen.getByTestId('insight-campaign'), { target: { value: 'VT-PDF' } });
    await screen.findByTestId('insight-campaign-chart', {}, { timeout: 30_000 });

    const created: Blob[] = [];
    const saved: string[] = [];
    Object.assign(URL, {
      createObjectURL: vi.fn((blob: Blob) => {
        created.push(blob);
        return 'blob:report';
      }),
      revokeObjectURL: vi.fn(),
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const button = screen.getByRole('button', { name: '打印活动报告 (PDF)' });
    fireEvent.click(button);
    expect(await screen.findByTestId('insight-report-printed', {}, { timeout: 30_000 })).toBeTruthy();
    expect(saved).toEqual([`campaign-report-VT-PDF-${chinaDay(-1)}-${chinaDay(0)}.pdf`]);
    expect(created[0]?.type).toBe('application/pdf');
    const pdf = new Uint8Array(await bytesOf(created[0] ?? new Blob()));
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-');
    click.mockRestore();
  }, 120_000);

  it('has no axe violations with the charts drawn (contrast is checked in theme.ts, not in jsdom)', async () => {
    await openInsights();
    await screen.findByTestId('insight-trend', {}, { timeout: 30_000 });
    await screen.findByTestId('insight-funnel');
    await waitFor(() => {
      expect(screen.getByTestId('insight-ranking').querySelector('.ant-spin-spinning')).toBeNull();
    });
    const results = await axe.run(screen.getByTestId('page-insights'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'] },
      rules: { 'color-contrast': { enabled: false } },
    });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
  }, 120_000);
});
