import { DownOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../../backend/context';
import type { TeamDisputeRow } from '../../../bindings/TeamDisputeRow';
import type { TeamQueue } from '../../../bindings/TeamQueue';
import { useErrorText } from '../../../shell/errors';
import { formatMoney } from '../../../shell/money';
import { labelledTable } from '../../complaints/shared';
import { reasonText } from '../shared';
import { TEAM_DISPUTES_KEY } from './keys';

const QUEUES: TeamQueue[] = ['all', 'unassigned', 'mine'];
const PAGE = 50;

interface Props {
  team: string;
  onOpen: (disputeId: number) => void;
  onNew: () => void;
}

/**
 * The dispute team's shared queue in due order, on the team store: take a dispute (a
 * colleague's hold is told by name), or the next most urgent one. It reloads when a colleague
 * changes the queue (the team status hook watches the queue version).
 */
export function TeamDisputeQueue({ team, onOpen, onNew }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [queue, setQueue] = useState<TeamQueue>('all');
  const [notice, setNotice] = useState<string | null>(null);
  const pages = useInfiniteQuery({
    queryKey: [...TEAM_DISPUTES_KEY, 'queue', team, queue],
    queryFn: ({ pageParam }) => backend.teamDisputeQueue({ team, queue, after: pageParam, limit: PAGE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = pages.data?.pages.flatMap((p) => p.disputes) ?? [];
  const take = useMutation({
    mutationFn: (id: number) => backend.teamDisputeTake(id),
    onSuccess: (outcome) => {
      void client.invalidateQueries({ queryKey: TEAM_DISPUTES_KEY });
      if (outcome.kind === 'taken') onOpen(outcome.dispute.id);
      else setNotice(t('team.takenBy', { caseNo: outcome.caseNo, name: outcome.byName }));
    },
  });
  const next = useMutation({
    mutationFn: () => backend.teamDisputeTakeNext(),
    onSuccess: (taken) => {
      void client.invalidateQueries({ queryKey: TEAM_DISPUTES_KEY });
      if (taken === null) setNotice(t('teamDisputes.nothingToTake'));
      else onOpen(taken.id);
    },
  });
  const error = pages.error ?? take.error ?? next.error;

  const columns: TableColumnsType<TeamDisputeRow> = [
    {
      title: t('disputes.col.caseNo'),
      key: 'caseNo',
      render: (_: unknown, row: TeamDisputeRow) => (
        <Button type="link" className="complaint-case-link" data-testid={`team-dispute-open-${row.caseNo}`} onClick={() => { onOpen(row.id); }}>
          {row.caseNo}
        </Button>
      ),
    },
    { title: t('disputes.col.customer'), dataIndex: 'customerId', key: 'customer' },
    { title: t('disputes.field.amount'), key: 'amount', render: (_: unknown, r: TeamDisputeRow) => formatMoney(r.amount) },
    { title: t('disputes.field.reason'), key: 'reason', render: (_: unknown, r: TeamDisputeRow) => reasonText(t, r.reason) },
    { title: t('disputes.field.dueOn'), dataIndex: 'dueOn', key: 'dueOn' },
    {
      title: t('complaints.assignee'),
      key: 'assignee',
      render: (_: unknown, row: TeamDisputeRow) =>
        row.assigneeName ?? (
          <Button
            data-testid={`team-dispute-take-${row.caseNo}`}
            aria-label={t('teamDisputes.takeCase', { caseNo: row.caseNo })}
            loading={take.isPending && take.variables === row.id}
            onClick={() => {
              setNotice(null);
              take.mutate(row.id);
            }}
          >
            {t('team.take')}
          </Button>
        ),
    },
  ];

  return (
    <section aria-labelledby="team-dispute-queue-title" data-testid="team-dispute-queue">
      <h2 id="team-dispute-queue-title">{t('teamDisputes.queueTitle', { team })}</h2>
      <div className="complaints-toolbar">
        <div role="group" aria-label={t('disputes.queueLabel')} className="complaints-tabs">
          {QUEUES.map((q) => (
            <Button
              key={q}
              data-testid={`team-dispute-queue-${q}`}
              type={q === queue ? 'primary' : 'default'}
              aria-pressed={q === queue}
              onClick={() => { setQueue(q); }}
            >
              {t(`team.queue.${q}`)}
            </Button>
          ))}
        </div>
        <Space wrap>
          <Button
            type="primary"
            data-testid="team-dispute-take-next"
            icon={<ThunderboltOutlined aria-hidden />}
            loading={next.isPending}
            onClick={() => { setNotice(null); next.mutate(); }}
          >
            {t('teamDisputes.takeNext')}
          </Button>
          <Button data-testid="dispute-new" icon={<PlusOutlined aria-hidden />} onClick={onNew}>
            {t('disputes.new')}
          </Button>
        </Space>
      </div>
      {notice !== null && <Alert className="form-alert" type="info" showIcon role="status" data-testid="team-dispute-notice" message={notice} />}
      {error !== null && <Alert className="form-alert" type="error" showIcon data-testid="team-dispute-queue-error" message={errorText(error)} />}
      <Table<TeamDisputeRow>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={pages.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <p className="empty-note">{t('disputes.empty')}</p> }}
        components={labelledTable(`teamDisputes.queueTable.${queue}`)}
        onRow={(row) => ({ 'data-testid': `team-dispute-row-${row.caseNo}` }) as HTMLAttributes<HTMLElement>}
      />
      {pages.hasNextPage && (
        <Space className="complaints-more">
          <Button
            data-testid="team-dispute-load-more"
            icon={<DownOutlined aria-hidden />}
            loading={pages.isFetchingNextPage}
            onClick={() => { void pages.fetchNextPage(); }}
          >
            {t('disputes.loadMore')}
          </Button>
        </Space>
      )}
    </section>
  );
}
