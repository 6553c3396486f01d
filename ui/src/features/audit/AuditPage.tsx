import { LeftOutlined, RightOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { DateField } from '../../components/DateField';
import { NativeSelect } from '../../components/NativeSelect';
import type { AuditEntry } from '../../bindings/AuditEntry';
import type { AuditOutcome } from '../../bindings/AuditOutcome';
import type { AuditQuery } from '../../bindings/AuditQuery';
import type { AuditVerify } from '../../bindings/AuditVerify';
import { useErrorText } from '../../shell/errors';
import { PageFrame } from '../../shell/PageFrame';
import { KNOWN_ACTIONS, actionLabel } from './actions';
import { detailText } from './detail';
import { OutcomeTag } from './OutcomeTag';

export const AUDIT_PAGE_SIZE = 20;
const OUTCOMES: AuditOutcome[] = ['ok', 'refused', 'failed'];

type Filters = Omit<AuditQuery, 'after' | 'limit'>;
const NO_FILTERS: Filters = { text: null, action: null, outcome: null, fromDate: null, toDate: null };

/** Every field as typed; '' means "any". Dates are "YYYY-MM-DD" (DateField's wire text). */
interface FilterForm {
  text?: string;
  action?: string;
  outcome?: string;
  fromDate?: string;
  toDate?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function orNull(value: string | undefined): string | null {
  const v = value?.trim() ?? '';
  return v === '' ? null : v;
}

function toFilters(v: FilterForm): Filters {
  const outcome = OUTCOMES.find((o) => o === v.outcome) ?? null;
  return {
    text: orNull(v.text),
    action: orNull(v.action),
    outcome,
    fromDate: orNull(v.fromDate),
    toDate: orNull(v.toDate),
  };
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<FilterForm>();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  // Paging is by key: each page starts where the one before it ended. `starts[i]` is where
  // page i starts (null: the newest record), so going back needs no count from the start.
  const [starts, setStarts] = useState<(string | null)[]>([null]);
  const page = starts.length - 1;
  const restart = () => {
    setStarts([null]);
  };

  const query: AuditQuery = { ...filters, after: starts[page] ?? null, limit: AUDIT_PAGE_SIZE };
  const result = useQuery({
    queryKey: ['audit', query],
    queryFn: () => backend.auditSearch(query),
    placeholderData: keepPreviousData,
  });
  // Counted on the first page only; kept while paging through the same search.
  const first = useQuery({
    queryKey: ['audit', { ...query, after: null }],
    queryFn: () => backend.auditSearch({ ...query, after: null }),
    enabled: page > 0,
    placeholderData: keepPreviousData,
  });
  const counted = page === 0 ? result.data : first.data;
  const next = result.data?.next ?? null;
  const verify = useMutation({
    mutationFn: () => backend.auditVerify(),
    // Verifying is itself audited: show the new record.
    onSettled: () => client.invalidateQueries({ queryKey: ['audit'] }),
  });

  const timeFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });
  const none = t('common.none');
  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.col.time'),
      dataIndex: 'at',
      key: 'at',
      render: (at: string) => <time dateTime={at}>{timeFormat.format(new Date(at))}</time>,
    },
    { title: t('audit.col.staff'), dataIndex: 'actor', key: 'actor' },
    {
      title: t('audit.col.action'),
      dataIndex: 'action',
      key: 'action',
      render: (action: string) => actionLabel(t, action),
    },
    {
      title: t('audit.col.subject'),
      key: 'subject',
      render: (_: unknown, e: AuditEntry) =>
        e.subjectKind === null && e.subjectId === null
          ? none
          : [e.subjectKind, e.subjectId].filter((x) => x !== null).join(' '),
    },
    {
      title: t('audit.col.customer'),
      dataIndex: 'customerId',
      key: 'customerId',
      render: (id: string | null) => id ?? none,
    },
    {
      title: t('audit.col.outcome'),
      dataIndex: 'outcome',
      key: 'outcome',
      render: (outcome: AuditOutcome) => <OutcomeTag outcome={outcome} />,
    },
    {
      title: t('audit.col.detail'),
      dataIndex: 'detail',
      key: 'detail',
      render: (detail: string) => detailText(t, detail, none),
    },
  ];

  return (
    <PageFrame area="audit" title={t('area.audit')} intro={t('audit.intro')}>
      <section aria-labelledby="audit-filters-title" className="panel">
        <h2 id="audit-filters-title">{t('audit.filters')}</h2>
        <Form<FilterForm>
          form={form}
          name="audit"
          layout="vertical"
          className="filter-grid"
          onFinish={(values) => {
            setFilters(toFilters(values));
            restart();
          }}
        >
          <Form.Item label={t('audit.text')} name="text">
            <Input placeholder={t('audit.textPlaceholder')} data-testid="audit-text" />
          </Form.Item>
          <Form.Item label={t('audit.action')} name="action">
            <NativeSelect
              placeholder={t('audit.actionPlaceholder')}
              options={KNOWN_ACTIONS.map((a) => ({ value: a, label: actionLabel(t, a) }))}
            />
          </Form.Item>
          <Form.Item label={t('audit.outcome')} name="outcome">
            <NativeSelect
              placeholder={t('audit.outcomePlaceholder')}
              options={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcomes.${o}`) }))}
            />
          </Form.Item>
          <Form.Item
            label={t('audit.fromDate')}
            name="fromDate"
            rules={[{ pattern: DATE, message: t('validation.date') }]}
          >
            <DateField testId="audit-from" />
          </Form.Item>
          <Form.Item label={t('audit.toDate')} name="toDate" rules={[{ pattern: DATE, message: t('validation.date') }]}>
            <DateField testId="audit-to" />
          </Form.Item>
          <Form.Item className="filter-actions">
            <Space wrap>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined aria-hidden />}>
                {t('audit.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setFilters(NO_FILTERS);
                  restart();
                }}
              >
                {t('audit.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </section>

      <section aria-labelledby="audit-verify-title" className="panel">
        <h2 id="audit-verify-title" className="visually-hidden">
          {t('audit.verify')}
        </h2>
        <Button
          data-testid="audit-verify"
          icon={<SafetyCertificateOutlined aria-hidden />}
          loading={verify.isPending}
          onClick={() => {
            verify.mutate();
          }}
        >
          {t('audit.verify')}
        </Button>
        {verify.data !== undefined && (
          <Alert
            className="form-alert"
            data-testid="audit-verify-result"
            type={verify.data.ok ? 'success' : 'error'}
            showIcon
            message={verifyText(t, verify.data)}
          />
        )}
        {verify.isError && (
          <Alert
            className="form-alert"
            data-testid="audit-verify-result"
            type="error"
            showIcon
            message={errorText(verify.error)}
          />
        )}
      </section>

      <section aria-labelledby="audit-table-title">
        <h2 id="audit-table-title">{t('audit.tableLabel')}</h2>
        {result.isError && <Alert className="form-alert" type="error" showIcon message={errorText(result.error)} />}
        <Table<AuditEntry>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={result.data?.entries ?? []}
          loading={result.isFetching}
          scroll={{ x: 'max-content' }}
          pagination={false}
        />
        <nav aria-label={t('audit.pager')} className="audit-pager">
          <Space wrap>
            <span data-testid="audit-total">
              {counted?.total != null &&
                (counted.totalCapped
                  ? t('audit.totalMore', { total: counted.total })
                  : t('audit.total', { total: counted.total }))}
            </span>
            <Button
              icon={<LeftOutlined aria-hidden />}
              disabled={page === 0}
              onClick={() => {
                setStarts((s) => s.slice(0, -1));
              }}
            >
              {t('audit.newer')}
            </Button>
            <Button
              disabled={next === null || result.isFetching}
              onClick={() => {
                if (next !== null) setStarts((s) => [...s, next]);
              }}
            >
              {t('audit.older')}
              <RightOutlined aria-hidden />
            </Button>
          </Space>
        </nav>
      </section>
    </PageFrame>
  );
}

function verifyText(t: (key: string, opts?: Record<string, unknown>) => string, v: AuditVerify): string {
  const anchor = t(`audit.anchor.${v.anchor}`, { sequence: v.anchoredSequence });
  if (v.ok) return `${t('audit.verifyOk', { checked: v.checked })} ${anchor}`;
  const reason = v.reason ?? t('common.none');
  return v.firstBroken === null
    ? t('audit.verifyBrokenNoId', { reason })
    : t('audit.verifyBroken', { id: v.firstBroken, reason });
}
