import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { QueueCursor } from '../../bindings/QueueCursor';
import type { QueueKind } from '../../bindings/QueueKind';
import type { QueueRow } from '../../bindings/QueueRow';
import { useErrorText } from '../../shell/errors';
import { COMPLAINTS_KEY, ClockText, labelledTable, useMe } from './shared';

export const QUEUES: { kind: QueueKind; id: string }[] = [
  { kind: 'mine', id: 'mine' },
  { kind: 'team', id: 'team' },
  { kind: 'unassigned', id: 'unassigned' },
  { kind: 'dueSoon', id: 'due-soon' },
  { kind: 'overdue', id: 'overdue' },
  { kind: 'escalated', id: 'escalated' },
];
export const QUEUE_PAGE = 50;

interface Props {
  queue: QueueKind;
  onQueue: (queue: QueueKind) => void;
  onOpen: (caseId: number) => void;
  onNew: () => void;
}

export function QueueView({ queue, onQueue, onOpen, onNew }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const me = useMe();
  const pages = useInfiniteQuery({
    queryKey: [...COMPLAINTS_KEY, 'queue', queue, me.branch],
    queryFn: ({ pageParam }) =>
      backend.complaintQueue({
        queue,
        team: queue === 'team' ? me.branch : null,
        status: null,
        channel: null,
        categoryId: null,
        after: pageParam,
        limit: QUEUE_PAGE,
      }),
    initialPageParam: null as QueueCursor | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = pages.data?.pages.flatMap((p) => p.rows) ?? [];

  const columns: TableColumnsType<QueueRow> = [
    {
      title: t('complaints.col.caseNo'),
      key: 'caseNo',
      render: (_: unknown, row: QueueRow) => (
        <Button
          type="link"
          className="complaint-case-link"
          data-testid={`complaint-open-${row.caseNo}`}
          onClick={(e) => {
            e.stopPropagation();
            onOpen(row.id);
          }}
        >
          {row.caseNo}
        </Button>
      ),
    },
    { title: t('complaints.col.customer'), dataIndex: 'complainant', key: 'complainant' },
    { title: t('complaints.col.category'), dataIndex: 'categoryName', key: 'category' },
    {
      title: t('complaints.col.channel'),
      dataIndex: 'channel',
      key: 'channel',
      render: (c: string) => t(`complaints.channel.${c}`),
    },
    { title: t('complaints.col.due'), dataIndex: 'dueOn', key: 'dueOn' },
    {
      title: t('complaints.col.clock'),
      key: 'clock',
      render: (_: unknown, row: QueueRow) => <ClockText clock={row.clock} />,
    },
  ];

  return (
    <section aria-labelledby="complaints-queue-title">
      <h2 id="complaints-queue-title">{t('complaints.queueTitle')}</h2>
      <div className="complaints-toolbar">
        <div role="group" aria-label={t('complaints.queueLabel')} className="complaints-tabs">
          {QUEUES.map((q) => (
            <Button
              key={q.kind}
              data-testid={`complaints-queue-${q.id}`}
              type={q.kind === queue ? 'primary' : 'default'}
              aria-pressed={q.kind === queue}
              onClick={() => {
                onQueue(q.kind);
              }}
            >
              {t(`complaints.queue.${q.kind}`)}
            </Button>
          ))}
        </div>
        <Button data-testid="complaint-new" icon={<PlusOutlined aria-hidden />} onClick={onNew}>
          {t('complaints.new')}
        </Button>
      </div>
      {pages.isError && <Alert className="form-alert" type="error" showIcon message={errorText(pages.error)} />}
      <Table<QueueRow>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={pages.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <p className="empty-note">{t('complaints.empty')}</p> }}
        components={labelledTable(`complaints.queueTable.${queue}`)}
        onRow={(row) =>
          ({
            'data-testid': `complaint-row-${row.caseNo}`,
            className: 'complaint-row',
            onClick: () => {
              onOpen(row.id);
            },
          }) as HTMLAttributes<HTMLElement>
        }
      />
      {pages.hasNextPage && (
        <Space className="complaints-more">
          <Button
            data-testid="complaints-load-more"
            icon={<DownOutlined aria-hidden />}
            loading={pages.isFetchingNextPage}
            onClick={() => {
              void pages.fetchNextPage();
            }}
          >
            {t('complaints.loadMore')}
          </Button>
        </Space>
      )}
    </section>
  );
}
