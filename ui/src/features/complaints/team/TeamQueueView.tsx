import { DownOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../../backend/context';
import type { TeamCase } from '../../../bindings/TeamCase';
import type { TeamQueue } from '../../../bindings/TeamQueue';
import { useErrorText } from '../../../shell/errors';
import { labelledTable } from '../shared';
import { TEAM_WORK_KEY } from './useTeam';

const QUEUES: TeamQueue[] = ['all', 'unassigned', 'mine'];
const PAGE = 50;

interface Props {
  team: string;
  onOpen: (caseId: number) => void;
  onNew: () => void;
}

/** The team's shared queue in due order: take a case, or the next most urgent one. */
export function TeamQueueView({ team, onOpen, onNew }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [queue, setQueue] = useState<TeamQueue>('all');
  const [notice, setNotice] = useState<string | null>(null);
  const pages = useInfiniteQuery({
    queryKey: [...TEAM_WORK_KEY, 'queue', team, queue],
    queryFn: ({ pageParam }) => backend.teamQueue({ team, queue, after: pageParam, limit: PAGE }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const cases = pages.data?.pages.flatMap((p) => p.cases) ?? [];
  const take = useMutation({
    mutationFn: (id: number) => backend.teamTake(id),
    onSuccess: (outcome) => {
      void client.invalidateQueries({ queryKey: TEAM_WORK_KEY });
      if (outcome.kind === 'taken') onOpen(outcome.case.id);
      else setNotice(t('team.takenBy', { caseNo: outcome.caseNo, name: outcome.byName }));
    },
  });
  const next = useMutation({
    mutationFn: () => backend.teamTakeNext(),
    onSuccess: (taken) => {
      void client.invalidateQueries({ queryKey: TEAM_WORK_KEY });
      if (taken === null) setNotice(t('team.nothingToTake'));
      else onOpen(taken.id);
    },
  });
  const error = pages.error ?? take.error ?? next.error;

  const columns: TableColumnsType<TeamCase> = [
    {
      title: t('complaints.col.caseNo'),
      key: 'caseNo',
      render: (_: unknown, row: TeamCase) => (
        <Button type="link" className="complaint-case-link" data-testid={`team-open-${row.caseNo}`} onClick={() => { onOpen(row.id); }}>
          {row.caseNo}
        </Button>
      ),
    },
    { title: t('team.col.product'), dataIndex: 'product', key: 'product' },
    { title: t('team.col.branch'), dataIndex: 'branch', key: 'branch' },
    { title: t('complaints.receivedOn'), dataIndex: 'receivedOn', key: 'receivedOn' },
    { title: t('complaints.col.due'), dataIndex: 'dueOn', key: 'dueOn' },
    {
      title: t('complaints.assignee'),
      key: 'assignee',
      render: (_: unknown, row: TeamCase) =>
        row.assigneeName ?? (
          <Button
            data-testid={`team-take-${row.caseNo}`}
            loading={take.isPending && take.variables === row.id}
            onClick={(e) => {
              e.stopPropagation();
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
    <section aria-labelledby="team-queue-title" data-testid="team-queue">
      <h2 id="team-queue-title">{t('team.queueTitle', { team })}</h2>
      <div className="complaints-toolbar">
        <div role="group" aria-label={t('complaints.queueLabel')} className="complaints-tabs">
          {QUEUES.map((q) => (
            <Button
              key={q}
              data-testid={`team-queue-${q}`}
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
            data-testid="team-take-next"
            icon={<ThunderboltOutlined aria-hidden />}
            loading={next.isPending}
            onClick={() => { setNotice(null); next.mutate(); }}
          >
            {t('team.takeNext')}
          </Button>
          <Button data-testid="complaint-new" icon={<PlusOutlined aria-hidden />} onClick={onNew}>
            {t('complaints.new')}
          </Button>
        </Space>
      </div>
      {notice !== null && <Alert className="form-alert" type="info" showIcon role="status" data-testid="team-notice" message={notice} />}
      {error !== null && <Alert className="form-alert" type="error" showIcon message={errorText(error)} />}
      <Table<TeamCase>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={cases}
        loading={pages.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <p className="empty-note">{t('complaints.empty')}</p> }}
        components={labelledTable(`team.queueTable.${queue}`)}
        onRow={(row) => ({ 'data-testid': `team-row-${row.caseNo}`, className: 'complaint-row' }) as HTMLAttributes<HTMLElement>}
      />
      {pages.hasNextPage && (
        <Space className="complaints-more">
          <Button
            data-testid="team-load-more"
            icon={<DownOutlined aria-hidden />}
            loading={pages.isFetchingNextPage}
            onClick={() => { void pages.fetchNextPage(); }}
          >
            {t('complaints.loadMore')}
          </Button>
        </Space>
      )}
    </section>
  );
}
