import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { StatsDimension } from '../../bindings/StatsDimension';
import type { StatsQuery } from '../../bindings/StatsQuery';
import type { StatsRow } from '../../bindings/StatsRow';
import { DateField } from '../../components/DateField';
import { NativeSelect } from '../../components/NativeSelect';
import { useErrorText } from '../../shell/errors';
import { COMPLAINTS_KEY, download, labelledTable, options } from './shared';

const DIMENSIONS: StatsDimension[] = ['category', 'channel', 'product', 'cause', 'branch', 'month'];

function localDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Supervisors only (the core refuses anyone else): counts and on-time rate by one dimension. */
export function StatsView() {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const today = localDate(new Date());
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [by, setBy] = useState<StatsDimension>('category');
  const ids = { from: useId(), to: useId(), by: useId() };
  // Asked once both are typed in full (the field's YYYY-MM-DD is 10 characters); core decides
  // whether the period is one and says what is wrong with it.
  const valid = from.length === 10 && to.length === 10;
  const query: StatsQuery = { from, to, by };
  const report = useQuery({
    queryKey: [...COMPLAINTS_KEY, 'stats', from, to, by],
    queryFn: () => backend.complaintStats(query),
    enabled: valid,
  });
  const csv = useMutation({
    mutationFn: () => backend.complaintStatsCsv(query),
    onSuccess: (file) => {
      download(file.fileName, file.contentType, file.content);
    },
  });
  const xlsx = useMutation({
    mutationFn: () => backend.complaintStatsXlsx(query),
    onSuccess: (file) => {
      download(file.fileName, file.contentType, new Uint8Array(file.bytes));
    },
  });
  // The periodic report to the regulator, by category, channel, product and cause (core's template).
  const regulator = useMutation({
    mutationFn: () => backend.complaintRegulatorReport({ from, to }),
    onSuccess: (file) => {
      download(file.fileName, file.contentType, file.content);
    },
  });
  const label = (row: StatsRow) => {
    if (row.key === 'total') return t('complaints.stats.total');
    if (by === 'channel') return t(`complaints.channel.${row.key}`, { defaultValue: row.label });
    if (by === 'cause') return t(`complaints.rootCause.${row.key}`, { defaultValue: row.label });
    return row.label;
  };
  const columns: TableColumnsType<StatsRow> = [
    { title: t(`complaints.stats.by.${by}`), key: 'label', render: (_: unknown, r: StatsRow) => label(r) },
    { title: t('complaints.stats.received'), dataIndex: 'received', key: 'received', align: 'right' },
    { title: t('complaints.stats.decided'), dataIndex: 'decided', key: 'decided', align: 'right' },
    { title: t('complaints.stats.onTime'), dataIndex: 'decidedOnTime', key: 'decidedOnTime', align: 'right' },
    {
      title: t('complaints.stats.onTimeRate'),
      dataIndex: 'onTimeRate',
      key: 'onTimeRate',
      align: 'right',
      render: (rate: string | null) => (rate === null ? t('common.none') : `${rate}%`),
    },
    { title: t('complaints.stats.withdrawn'), dataIndex: 'withdrawn', key: 'withdrawn', align: 'right' },
    { title: t('complaints.stats.open'), dataIndex: 'open', key: 'open', align: 'right' },
    { title: t('complaints.stats.openOverdue'), dataIndex: 'openOverdue', key: 'openOverdue', align: 'right' },
    { title: t('complaints.stats.compensation'), dataIndex: 'compensation', key: 'compensation', align: 'right' },
  ];
  const rows = report.data === undefined ? [] : [...report.data.rows, report.data.total];
  const exportError = csv.error ?? xlsx.error ?? regulator.error;

  return (
    <section aria-labelledby="complaints-stats-title" data-testid="complaint-stats">
      <h2 id="complaints-stats-title">{t('complaints.stats.title')}</h2>
      <div className="complaints-stats-filters">
        <div>
          <label htmlFor={ids.from}>{t('complaints.stats.from')}</label>
          <DateField
            id={ids.from}
            testId="complaint-stats-from"
            value={from}
            onChange={(value) => {
              setFrom(value ?? '');
            }}
          />
        </div>
        <div>
          <label htmlFor={ids.to}>{t('complaints.stats.to')}</label>
          <DateField
            id={ids.to}
            testId="complaint-stats-to"
            value={to}
            onChange={(value) => {
              setTo(value ?? '');
            }}
          />
        </div>
        <div>
          <label htmlFor={ids.by}>{t('complaints.stats.dimension')}</label>
          <NativeSelect
            id={ids.by}
            data-testid="complaint-stats-by"
            placeholder={t('complaints.form.choose')}
            value={by}
            options={options(t, 'complaints.stats.by', DIMENSIONS)}
            onChange={(v) => {
              if (DIMENSIONS.some((d) => d === v)) setBy(v as StatsDimension);
            }}
          />
        </div>
      </div>
      {!valid && <Alert className="form-alert" type="warning" showIcon message={t('complaints.stats.badPeriod')} />}
      {report.isError && <Alert className="form-alert" type="error" showIcon message={errorText(report.error)} />}
      <Table<StatsRow>
        rowKey="key"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={valid && report.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <p className="empty-note">{t('complaints.stats.empty')}</p> }}
        components={labelledTable('complaints.stats.tableLabel')}
      />
      <Space wrap className="complaints-more">
        <Button
          data-testid="complaint-stats-csv"
          icon={<DownloadOutlined aria-hidden />}
          disabled={!valid}
          loading={csv.isPending}
          onClick={() => {
            csv.mutate();
          }}
        >
          {t('complaints.stats.csv')}
        </Button>
        <Button
          data-testid="complaint-stats-xlsx"
          icon={<DownloadOutlined aria-hidden />}
          disabled={!valid}
          loading={xlsx.isPending}
          onClick={() => {
            xlsx.mutate();
          }}
        >
          {t('complaints.stats.xlsx')}
        </Button>
        <Button
          data-testid="complaint-regulator-report"
          icon={<DownloadOutlined aria-hidden />}
          disabled={!valid}
          loading={regulator.isPending}
          onClick={() => {
            regulator.mutate();
          }}
        >
          {t('complaintDesk.regulatorReport')}
        </Button>
      </Space>
      {regulator.isSuccess && (
        <p role="status" data-testid="complaint-regulator-done">
          {t('complaintDesk.regulatorDone', { name: regulator.data.fileName })}
        </p>
      )}
      {exportError !== null && <Alert className="form-alert" type="error" showIcon message={errorText(exportError)} />}
    </section>
  );
}
