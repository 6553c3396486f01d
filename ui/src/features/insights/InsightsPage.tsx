import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { Alert, Button, Input, Space, Spin, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { Dimension } from '../../bindings/Dimension';
import type { InsightAnswer } from '../../bindings/InsightAnswer';
import type { InsightCustomer } from '../../bindings/InsightCustomer';
import type { InsightFilters } from '../../bindings/InsightFilters';
import type { InsightPeriod } from '../../bindings/InsightPeriod';
import type { InsightQuery } from '../../bindings/InsightQuery';
import type { InsightRow } from '../../bindings/InsightRow';
import type { Metric } from '../../bindings/Metric';
import { NativeSelect } from '../../components/NativeSelect';
import { useErrorText } from '../../shell/errors';
import { PageFrame } from '../../shell/PageFrame';
import { useSettled } from '../../shell/useSettled';
import { download, labelledTable } from '../complaints/shared';
import { Dashboard } from './Dashboard';
import { useChangeText, useFormat } from './format';

const METRICS: Metric[] = [
  'sign-ups',
  'activation',
  'monthly-active',
  'transactions-per-active',
  'satisfaction',
  'complaint-rate',
  'incentive-cost-per-activated',
];
const DIMENSIONS: Dimension[] = ['campaign', 'booth', 'staff', 'branch', 'channel'];
const KEY = ['insights'];

function Tile({ metric, answer }: { metric: Metric; answer: InsightAnswer | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const changeText = useChangeText();
  const total = answer?.total;
  return (
    <div className="insight-tile" data-testid={`insight-tile-${metric}`}>
      <dt>{t(`insights.metric.${metric}`)}</dt>
      <dd className="insight-tile-value">{total === undefined ? '…' : format(metric, total.value)}</dd>
      <dd className="insight-tile-change">
        {total === undefined
          ? ''
          : t('insights.versusBefore', { before: format(metric, total.before), change: changeText(total.change) })}
      </dd>
    </div>
  );
}

/**
 * Insights: KPI tiles against the period before, a ranking by one dimension, drill-down. It
 * opens on the period core gives (the bank's last 30 days), never on this computer's clock.
 */
export function InsightsPage() {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const opening = useQuery({ queryKey: [...KEY, 'period'], queryFn: () => backend.insightsPeriod() });
  if (opening.data !== undefined) return <InsightsBody opening={opening.data} />;
  return (
    <PageFrame area="insights" title={t('area.insights')} intro={t('insights.intro')}>
      {opening.error !== null
        ? <Alert className="form-alert" type="error" showIcon message={errorText(opening.error)} />
        : <Spin aria-label={t('app.loading')} />}
    </PageFrame>
  );
}

function InsightsBody({ opening }: { opening: InsightPeriod }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const format = useFormat();
  const changeText = useChangeText();
  const [period, setPeriod] = useState(opening);
  const [campaign, setCampaign] = useState('');
  const [dimension, setDimension] = useState<Dimension>('branch');
  const [metric, setMetric] = useState<Metric>('sign-ups');
  const [activationDays, setActivationDays] = useState(30);
  const [drill, setDrill] = useState<InsightFilters | null>(null);

  const chosen = useSettled(campaign.trim(), 400);
  const filters: InsightFilters = chosen === '' ? {} : { campaign: chosen };
  const query = (m: Metric, d?: Dimension): InsightQuery => ({
    metric: m,
    dimension: d,
    from: period.from,
    to: period.to,
    activationDays,
    filters,
  });
  const tiles = useQueries({
    queries: METRICS.map((m) => ({
      queryKey: [...KEY, 'tile', m, period, activationDays, filters],
      queryFn: () => backend.insightsReport(query(m)),
    })),
  });
  const ranking = useQuery({
    queryKey: [...KEY, 'ranking', metric, dimension, period, activationDays, filters],
    queryFn: () => backend.insightsReport(query(metric, dimension)),
  });
  const customers = useQuery({
    queryKey: [...KEY, 'drill', drill, period],
    queryFn: () => backend.insightsCustomers({ from: period.from, to: period.to, filters: drill ?? {} }),
    enabled: drill !== null,
  });
  const exportFile = useMutation({
    mutationFn: (format: 'csv' | 'xlsx') => backend.insightsExport({ query: query(metric, dimension), format }),
    onSuccess: (f) => {
      download(f.fileName, f.contentType, new Uint8Array(f.bytes));
    },
  });

  const answers = [...tiles.map((q) => q.data), ranking.data].filter((a): a is InsightAnswer => a !== undefined);
  const offline = answers.find((a) => a.offlineCopy);
  const error = tiles.find((q) => q.isError)?.error ?? ranking.error ?? exportFile.error ?? customers.error;
  const rows = ranking.data?.rows ?? [];
  const top = Math.max(1, ...rows.map((r) => Number(r.value ?? '0')));

  return (
    <PageFrame area="insights" title={t('area.insights')} intro={t('insights.intro')}>
      <Space wrap className="insight-filters">
        <label className="field-label" htmlFor="insight-from">{t('insights.from')}</label>
        <Input id="insight-from" data-testid="insight-from" type="date" value={period.from} onChange={(e) => { setPeriod({ ...period, from: e.target.value }); }} />
        <label className="field-label" htmlFor="insight-to">{t('insights.to')}</label>
        <Input id="insight-to" data-testid="insight-to" type="date" value={period.to} onChange={(e) => { setPeriod({ ...period, to: e.target.value }); }} />
        <label className="field-label" htmlFor="insight-campaign">{t('insights.campaign')}</label>
        <Input id="insight-campaign" data-testid="insight-campaign" value={campaign} onChange={(e) => { setCampaign(e.target.value); }} />
        <label className="field-label" htmlFor="insight-activation">{t('insights.activationDays')}</label>
        <NativeSelect
          id="insight-activation"
          placeholder={t('insights.days', { n: 30 })}
          value={activationDays === 30 ? '' : String(activationDays)}
          options={[{ value: '7', label: t('insights.days', { n: 7 }) }]}
          onChange={(v) => { setActivationDays(v === '' ? 30 : Number(v)); }}
        />
      </Space>
      {offline !== undefined && (
        <Alert className="form-alert" type="warning" showIcon data-testid="insight-offline" message={t('insights.offlineCopy', { asOf: offline.asOf })} />
      )}
      {error !== null && <Alert className="form-alert" type="error" showIcon message={errorText(error)} />}

      <section aria-labelledby="insight-kpi-title">
        <h2 id="insight-kpi-title">
          {chosen === ''
            ? t('insights.kpiTitle')
            : t('insights.beforeAfterTitle', { campaign: chosen })}
        </h2>
        <p className="page-intro">
          {t('insights.periods', {
            from: period.from,
            to: period.to,
            beforeFrom: tiles[0]?.data?.beforeFrom ?? '…',
            beforeTo: tiles[0]?.data?.beforeTo ?? '…',
          })}
          {tiles[0]?.data !== undefined && ` ${t('insights.asOf', { asOf: tiles[0].data.asOf })}`}
        </p>
        <dl className="insight-tiles" data-testid="insight-tiles">
          {METRICS.map((m, i) => (
            <Tile key={m} metric={m} answer={tiles[i]?.data} />
          ))}
        </dl>
      </section>

      <Dashboard metric={metric} period={period} activationDays={activationDays} filters={filters} campaign={chosen} />

      <section aria-labelledby="insight-ranking-title">
        <h2 id="insight-ranking-title">{t('insights.rankingTitle')}</h2>
        <Space wrap>
          <label className="field-label" htmlFor="insight-metric">{t('insights.metricLabel')}</label>
          <NativeSelect
            id="insight-metric"
            data-testid="insight-metric"
            placeholder={t('insights.metric.sign-ups')}
            value={metric === 'sign-ups' ? '' : metric}
            options={METRICS.filter((m) => m !== 'sign-ups').map((m) => ({ value: m, label: t(`insights.metric.${m}`) }))}
            onChange={(v) => { setMetric(v === '' ? 'sign-ups' : (v as Metric)); }}
          />
          <label className="field-label" htmlFor="insight-dimension">{t('insights.dimensionLabel')}</label>
          <NativeSelect
            id="insight-dimension"
            data-testid="insight-dimension"
            placeholder={t('insights.dimension.branch')}
            value={dimension === 'branch' ? '' : dimension}
            options={DIMENSIONS.filter((d) => d !== 'branch').map((d) => ({ value: d, label: t(`insights.dimension.${d}`) }))}
            onChange={(v) => { setDimension(v === '' ? 'branch' : (v as Dimension)); }}
          />
          <Button data-testid="insight-export-csv" icon={<DownloadOutlined aria-hidden />} loading={exportFile.isPending && exportFile.variables === 'csv'} onClick={() => { exportFile.mutate('csv'); }}>CSV</Button>
          <Button data-testid="insight-export-xlsx" icon={<DownloadOutlined aria-hidden />} loading={exportFile.isPending && exportFile.variables === 'xlsx'} onClick={() => { exportFile.mutate('xlsx'); }}>XLSX</Button>
        </Space>
        {exportFile.isSuccess && <p role="status" data-testid="insight-exported">{t('insights.exported')}</p>}
        <Table<InsightRow>
          rowKey="key"
          size="small"
          pagination={false}
          loading={ranking.isPending}
          dataSource={rows}
          data-testid="insight-ranking"
          components={labelledTable('insights.rankingTitle')}
          columns={[
            {
              title: t(`insights.dimension.${dimension}`),
              key: 'key',
              render: (_: unknown, r: InsightRow) => (
                <Button
                  type="link"
                  data-testid={`insight-drill-${r.key}`}
                  onClick={() => { setDrill({ ...filters, [dimension]: r.key }); }}
                >
                  {r.key === '' ? t('insights.none') : r.key}
                </Button>
              ),
            },
            {
              title: t('insights.value'),
              key: 'value',
              render: (_: unknown, r: InsightRow) => (
                <span className="insight-bar-cell">
                  {/* The bar repeats the number beside it: hidden from assistive technology. */}
                  <span aria-hidden className="insight-bar" style={{ width: `${Math.round((Number(r.value ?? '0') / top) * 100)}%` }} />
                  {format(metric, r.value)}
                </span>
              ),
            },
            { title: t('insights.before'), key: 'before', render: (_: unknown, r: InsightRow) => format(metric, r.before) },
            { title: t('insights.change'), key: 'change', render: (_: unknown, r: InsightRow) => changeText(r.change) },
            { title: t('insights.fraction'), key: 'fraction', render: (_: unknown, r: InsightRow) => `${r.numerator} / ${r.denominator}` },
          ]}
        />
      </section>

      {drill !== null && (
        <section aria-labelledby="insight-drill-title" data-testid="insight-drill">
          <h2 id="insight-drill-title">{t('insights.drillTitle')}</h2>
          <Table<InsightCustomer>
            rowKey="id"
            size="small"
            loading={customers.isPending}
            dataSource={customers.data?.customers ?? []}
            components={labelledTable('insights.drillTitle')}
            columns={[
              { title: t('insights.customer'), dataIndex: 'name', key: 'name' },
              { title: t('insights.mobile'), dataIndex: 'maskedMobile', key: 'mobile' },
              { title: t('insights.signedUpOn'), dataIndex: 'signedUpOn', key: 'on' },
              { title: t('insights.dimension.campaign'), dataIndex: 'campaign', key: 'campaign' },
              { title: t('insights.dimension.booth'), dataIndex: 'booth', key: 'booth' },
              { title: t('insights.dimension.staff'), dataIndex: 'staff', key: 'staff' },
              { title: t('insights.dimension.channel'), dataIndex: 'channel', key: 'channel' },
            ]}
          />
        </section>
      )}
    </PageFrame>
  );
}
