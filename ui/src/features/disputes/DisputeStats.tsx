import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { DateField } from '../../components/DateField';
import type { DisputeStatsRow } from '../../bindings/DisputeStatsRow';
import { useErrorText } from '../../shell/errors';
import { formatMoney } from '../../shell/money';
import { download, labelledTable } from '../complaints/shared';
import { DISPUTES_KEY, reasonText } from './shared';

function thisYear(): { from: string; to: string } {
  const y = new Date().getFullYear();
  return { from: `${y}-01-01`, to: `${y}-12-31` };
}

/** Disputes by reason: outcomes, on-time rate, amounts credited and recovered; CSV or XLSX. */
export function DisputeStats() {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const [period, setPeriod] = useState(thisYear);
  const report = useQuery({ queryKey: [...DISPUTES_KEY, 'stats', period], queryFn: () => backend.disputeStats(period) });
  const csv = useMutation({
    mutationFn: () => backend.disputeStatsCsv(period),
    onSuccess: (f) => { download(f.fileName, f.contentType, f.content); },
  });
  const xlsx = useMutation({
    mutationFn: () => backend.disputeStatsXlsx(period),
    onSuccess: (f) => { download(f.fileName, f.contentType, new Uint8Array(f.bytes)); },
  });
  return (
    <section aria-labelledby="dispute-stats-title">
      <h2 id="dispute-stats-title">{t('disputes.stats.title')}</h2>
      <Space wrap>
        <label className="field-label" htmlFor="dispute-stats-from">{t('disputes.stats.from')}</label>
        <DateField id="dispute-stats-from" value={period.from} onChange={(v) => { setPeriod({ ...period, from: v ?? '' }); }} />
        <label className="field-label" htmlFor="dispute-stats-to">{t('disputes.stats.to')}</label>
        <DateField id="dispute-stats-to" value={period.to} onChange={(v) => { setPeriod({ ...period, to: v ?? '' }); }} />
        <Button icon={<DownloadOutlined aria-hidden />} loading={csv.isPending} onClick={() => { csv.mutate(); }}>CSV</Button>
        <Button icon={<DownloadOutlined aria-hidden />} loading={xlsx.isPending} onClick={() => { xlsx.mutate(); }}>XLSX</Button>
      </Space>
      {(report.isError || csv.isError || xlsx.isError) && (
        <Alert className="form-alert" type="error" showIcon message={errorText(report.error ?? csv.error ?? xlsx.error)} />
      )}
      <Table<DisputeStatsRow>
        rowKey="reason"
        size="small"
        pagination={false}
        loading={report.isPending}
        dataSource={report.data?.rows ?? []}
        components={labelledTable('disputes.stats.title')}
        columns={[
          { title: t('disputes.field.reason'), key: 'reason', render: (_: unknown, r: DisputeStatsRow) => (r.reason === 'all' ? t('disputes.stats.all') : reasonText(t, r.reason)) },
          { title: t('disputes.stats.opened'), dataIndex: 'opened', key: 'opened' },
          { title: t('disputes.stats.open'), dataIndex: 'open', key: 'open' },
          { title: t('disputes.forCustomer'), dataIndex: 'decidedCustomer', key: 'decidedCustomer' },
          { title: t('disputes.forBank'), dataIndex: 'decidedBank', key: 'decidedBank' },
          { title: t('disputes.stats.onTimeRate'), key: 'rate', render: (_: unknown, r: DisputeStatsRow) => (r.onTimeRate === null ? '—' : `${r.onTimeRate}%`) },
          { title: t('disputes.stats.credited'), key: 'credited', render: (_: unknown, r: DisputeStatsRow) => formatMoney(r.credited) },
          { title: t('disputes.stats.recovered'), key: 'recovered', render: (_: unknown, r: DisputeStatsRow) => formatMoney(r.recovered) },
        ]}
      />
    </section>
  );
}
