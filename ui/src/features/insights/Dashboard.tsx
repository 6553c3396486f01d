import { Alert } from 'antd';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { InsightCampaignView } from '../../bindings/InsightCampaignView';
import type { InsightFunnel } from '../../bindings/InsightFunnel';
import type { InsightTrend } from '../../bindings/InsightTrend';
import type { Metric } from '../../bindings/Metric';
import { useErrorText } from '../../shell/errors';
import { EChart, type ChartOption } from './EChart';
import { CampaignReportButton } from './CampaignReport';
import { plotted, useChangeText, useFormat } from './format';
import { useDashboard, type DashboardParams } from './useDashboard';

/** A visually hidden table: the chart's numbers for screen readers and keyboard users. */
function HiddenTable({ caption, head, rows }: { caption: string; head: [string, string]; rows: [string, string][] }) {
  return (
    <table className="visually-hidden">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{head[0]}</th>
          <th scope="col">{head[1]}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TrendChart({ trend, onPainted }: { trend: InsightTrend; onPainted: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const name = t(`insights.metric.${trend.metric}`);
  const rows: [string, string][] = trend.points.map((p) => [p.from === p.to ? p.from : `${p.from} – ${p.to}`, format(trend.metric, p.value)]);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: trend.points.map((p) => p.to.slice(5)) },
      yAxis: { type: 'value' },
      series: [{ type: 'line', data: trend.points.map((p) => plotted(p.value)), connectNulls: false }],
    }),
    [trend],
  );
  const title = t('insights.dash.trendTitle', { metric: name });
  return (
    <section aria-labelledby="insight-trend-title" className="insight-chart-box">
      <h3 id="insight-trend-title">{title}</h3>
      <EChart
        option={option}
        testId="insight-trend"
        label={t('insights.dash.trendSummary', { metric: name, points: rows.map(([k, v]) => `${k} ${v}`).join('；') })}
        onPainted={onPainted}
      />
      <HiddenTable caption={title} head={[t('insights.dash.period'), name]} rows={rows} />
    </section>
  );
}

function FunnelChart({ funnel, onPainted }: { funnel: InsightFunnel; onPainted: () => void }) {
  const { t } = useTranslation();
  const stage = (s: string, fromHere: boolean) => `${t(`insights.dash.stage.${s}`)}${fromHere ? t('insights.dash.fromConsole') : ''}`;
  const rows: [string, string][] = funnel.steps.map((s) => [stage(s.stage, s.fromThisConsole), String(s.count)]);
  const option = useMemo<ChartOption>(
    () => ({
      series: [
        {
          type: 'funnel',
          sort: 'none',
          left: 16,
          right: 16,
          label: { formatter: '{b}: {c}' },
          data: funnel.steps.map((s) => ({ name: t(`insights.dash.stage.${s.stage}`), value: s.count })),
        },
      ],
    }),
    [funnel, t],
  );
  const title = t('insights.dash.funnelTitle');
  return (
    <section aria-labelledby="insight-funnel-title" className="insight-chart-box">
      <h3 id="insight-funnel-title">{title}</h3>
      <EChart
        option={option}
        testId="insight-funnel"
        label={t('insights.dash.funnelSummary', { steps: rows.map(([k, v]) => `${k} ${v}`).join('，') })}
        onPainted={onPainted}
      />
      <HiddenTable caption={title} head={[t('insights.dash.step'), t('insights.dash.count')]} rows={rows} />
    </section>
  );
}

function CampaignChart({ view, activationDays, onPainted }: { view: InsightCampaignView; activationDays: number; onPainted: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const changeText = useChangeText();
  const metric: Metric = view.metric;
  const groups: [string, string | null][] = [
    [t('insights.dash.during'), view.during],
    [t('insights.dash.beforeCampaign'), view.before],
    [t('insights.dash.without'), view.without],
    [t('insights.dash.won'), view.won],
  ];
  const rows: [string, string][] = groups.map(([k, v]) => [k, format(metric, v)]);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: groups.map(([k]) => k) },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', data: groups.map(([, v]) => plotted(v)) }],
    }),
    // `groups` is derived from `view` and the language alone.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [view, t],
  );
  const title = t('insights.dash.campaignTitle', { campaign: view.campaign, metric: t(`insights.metric.${metric}`) });
  return (
    <section aria-labelledby="insight-campaign-title" className="insight-chart-box" data-testid="insight-before-after">
      <h3 id="insight-campaign-title">{title}</h3>
      <p className="page-intro">
        {t('insights.dash.campaignPeriods', {
          name: view.name,
          from: view.from,
          to: view.to,
          beforeFrom: view.beforeFrom,
          beforeTo: view.beforeTo,
          branches: view.branches.join('、'),
        })}
      </p>
      <p data-testid="insight-campaign-change">{t('insights.dash.campaignChange', { change: changeText(view.change) })}</p>
      <EChart
        option={option}
        testId="insight-campaign-chart"
        label={t('insights.dash.campaignSummary', { groups: rows.map(([k, v]) => `${k} ${v}`).join('，') })}
        onPainted={onPainted}
      />
      <HiddenTable caption={title} head={[t('insights.dash.group'), t(`insights.metric.${metric}`)]} rows={rows} />
      <CampaignReportButton campaign={view.campaign} metric={metric} activationDays={activationDays} />
    </section>
  );
}

/** The charts: the chosen metric's trend, the funnel, and one campaign before and after. */
export function Dashboard(params: DashboardParams) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { trend, funnel, campaignView, painted, firstPaintMs } = useDashboard(params);
  const trendPainted = useCallback(() => { painted('trend'); }, [painted]);
  const funnelPainted = useCallback(() => { painted('funnel'); }, [painted]);
  const campaignPainted = useCallback(() => { painted('campaign'); }, [painted]);
  const error = trend.error ?? funnel.error ?? (params.campaign === '' ? null : campaignView.error);
  return (
    <section
      aria-labelledby="insight-dashboard-title"
      data-testid="insight-dashboard"
      data-first-paint-ms={firstPaintMs ?? undefined}
      className="insight-dashboard"
    >
      <h2 id="insight-dashboard-title">{t('insights.dash.title')}</h2>
      {error !== null && <Alert className="form-alert" type="error" showIcon message={errorText(error)} />}
      {(trend.data?.offlineCopy === true || funnel.data?.offlineCopy === true) && (
        <p role="status">{t('insights.offlineCopy', { asOf: trend.data?.asOf ?? funnel.data?.asOf ?? '' })}</p>
      )}
      <div className="insight-charts">
        {trend.data !== undefined && <TrendChart trend={trend.data} onPainted={trendPainted} />}
        {funnel.data !== undefined && <FunnelChart funnel={funnel.data} onPainted={funnelPainted} />}
        {params.campaign !== '' && campaignView.data !== undefined && (
          <CampaignChart view={campaignView.data} activationDays={params.activationDays} onPainted={campaignPainted} />
        )}
      </div>
      {params.campaign === '' && <p className="page-intro">{t('insights.dash.campaignHint')}</p>}
    </section>
  );
}
