import { useQuery } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { useBackend } from '../../backend/context';
import type { InsightFilters } from '../../bindings/InsightFilters';
import type { InsightQuery } from '../../bindings/InsightQuery';
import type { Metric } from '../../bindings/Metric';

export type ChartName = 'trend' | 'funnel' | 'campaign';

export interface DashboardParams {
  metric: Metric;
  period: { from: string; to: string };
  activationDays: number;
  filters: InsightFilters;
  /** A campaign code for the before/after view; '' for none. */
  campaign: string;
}

/**
 * The dashboard's three answers from core, and its first paint: the time from the moment the
 * last answer arrived to the frame after every chart has drawn it, once per page visit
 * (`firstPaintMs`, also a `performance.measure` named "insights-first-paint").
 */
export function useDashboard({ metric, period, activationDays, filters, campaign }: DashboardParams) {
  const backend = useBackend();
  const arrived = useRef(0);
  const stamp = <T>(answer: Promise<T>): Promise<T> =>
    answer.then((value) => {
      arrived.current = performance.now();
      return value;
    });
  const query: InsightQuery = { metric, from: period.from, to: period.to, activationDays, filters };
  const trend = useQuery({
    queryKey: ['insights', 'trend', query],
    queryFn: () => stamp(backend.insightsTrend(query)),
  });
  const funnel = useQuery({
    queryKey: ['insights', 'funnel', { ...query, metric: 'sign-ups' }],
    queryFn: () => stamp(backend.insightsFunnel({ ...query, metric: 'sign-ups' })),
  });
  const campaignView = useQuery({
    queryKey: ['insights', 'campaign', campaign, metric, activationDays],
    queryFn: () => stamp(backend.insightsCampaign({ campaign, metric, activationDays })),
    enabled: campaign !== '',
  });

  const drawn = useRef(new Set<ChartName>());
  const [firstPaintMs, setFirstPaintMs] = useState<number | null>(null);
  const painted = useCallback(
    (chart: ChartName) => {
      drawn.current.add(chart);
      if (firstPaintMs !== null || !drawn.current.has('trend') || !drawn.current.has('funnel')) return;
      const end = performance.now();
      performance.measure('insights-first-paint', { start: arrived.current, end });
      setFirstPaintMs(Math.round((end - arrived.current) * 10) / 10);
    },
    [firstPaintMs],
  );
  return { trend, funnel, campaignView, painted, firstPaintMs };
}
