import { AuditOutlined, BarChartOutlined, DownOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Table } from 'antd';
import { useState, type HTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { DisputeCursor } from '../../bindings/DisputeCursor';
import type { DisputeQueueKind } from '../../bindings/DisputeQueueKind';
import type { DisputeQueueRow } from '../../bindings/DisputeQueueRow';
import { useErrorText } from '../../shell/errors';
import { formatMoney } from '../../shell/money';
import { PageFrame } from '../../shell/PageFrame';
import { ClockText, labelledTable, useMe } from '../complaints/shared';
import { useTeamStatus } from '../complaints/team/useTeam';
import { Approvals } from './Approvals';
import { DisputeCase } from './DisputeCase';
import { DisputeStats } from './DisputeStats';
import { OpenDispute } from './OpenDispute';
import { DISPUTES_KEY, reasonText } from './shared';
import { TeamCredits } from './team/TeamCredits';
import { TeamDisputeCase } from './team/TeamDisputeCase';
import { TeamDisputeQueue } from './team/TeamDisputeQueue';

const QUEUES: DisputeQueueKind[] = ['mine', 'team', 'unassigned', 'dueSoon', 'overdue'];
const PAGE = 50;
/** Mirrors the core's ApproveDisputeCredit, only to show the inbox tab. */
const SUPERVISOR = 'supervisor';

type View = { name: 'queue' | 'new' | 'approvals' | 'stats' } | { name: 'case'; id: number };

function Queue({ queue, onQueue, onOpen, onNew }: { queue: DisputeQueueKind; onQueue: (q: DisputeQueueKind) => void; onOpen: (id: number) => void; onNew: () => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const pages = useInfiniteQuery({
    queryKey: [...DISPUTES_KEY, 'queue', queue],
    queryFn: ({ pageParam }) => backend.disputeQueue({ queue, after: pageParam, limit: PAGE }),
    initialPageParam: null as DisputeCursor | null,
    getNextPageParam: (last) => last.next,
  });
  const rows = pages.data?.pages.flatMap((p) => p.rows) ?? [];
  return (
    <section aria-labelledby="disputes-queue-title">
      <h2 id="disputes-queue-title">{t('disputes.queueTitle')}</h2>
      <div className="complaints-toolbar">
        <div role="group" aria-label={t('disputes.queueLabel')} className="complaints-tabs">
          {QUEUES.map((q) => (
            <Button
              key={q}
              data-testid={`disputes-queue-${q}`}
              type={q === queue ? 'primary' : 'default'}
              aria-pressed={q === queue}
              onClick={() => { onQueue(q); }}
            >
              {t(`disputes.queue.${q}`)}
            </Button>
          ))}
        </div>
        <Button data-testid="dispute-new" icon={<PlusOutlined aria-hidden />} onClick={onNew}>
          {t('disputes.new')}
        </Button>
      </div>
      {pages.isError && <Alert className="form-alert" type="error" showIcon message={errorText(pages.error)} />}
      <Table<DisputeQueueRow>
        rowKey="id"
        size="middle"
        dataSource={rows}
        loading={pages.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <p className="empty-note">{t('disputes.empty')}</p> }}
        components={labelledTable(`disputes.queue.${queue}`)}
        onRow={(row) =>
          ({ 'data-testid': `dispute-row-${row.caseNo}`, onClick: () => { onOpen(row.id); } }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t('disputes.col.caseNo'),
            key: 'caseNo',
            render: (_: unknown, row: DisputeQueueRow) => (
              <Button type="link" data-testid={`dispute-open-${row.caseNo}`} onClick={(e) => { e.stopPropagation(); onOpen(row.id); }}>
                {row.caseNo}
              </Button>
            ),
          },
          { title: t('disputes.col.customer'), dataIndex: 'customerId', key: 'customer' },
          { title: t('disputes.field.amount'), key: 'amount', render: (_: unknown, r: DisputeQueueRow) => formatMoney(r.amount) },
          { title: t('disputes.field.reason'), key: 'reason', render: (_: unknown, r: DisputeQueueRow) => reasonText(t, r.reason) },
          { title: t('disputes.field.dueOn'), dataIndex: 'dueOn', key: 'dueOn' },
          { title: t('disputes.col.clock'), key: 'clock', render: (_: unknown, r: DisputeQueueRow) => <ClockText clock={r.clock} /> },
        ]}
      />
      {pages.hasNextPage && (
        <Space className="complaints-more">
          <Button data-testid="disputes-load-more" icon={<DownOutlined aria-hidden />} loading={pages.isFetchingNextPage} onClick={() => { void pages.fetchNextPage(); }}>
            {t('disputes.loadMore')}
          </Button>
        </Space>
      )}
    </section>
  );
}

export function DisputesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const team = useTeamStatus('disputes');
  // Team mode: the queue, disputes and credit approvals live on the team's server (core says).
  const teamName = team?.enabled === true ? team.team : null;
  const [view, setView] = useState<View>({ name: 'queue' });
  const [queue, setQueue] = useState<DisputeQueueKind>('mine');
  const supervisor = me.role === SUPERVISOR;
  const open = (id: number) => { setView({ name: 'case', id }); };
  const tabs: { name: 'queue' | 'approvals' | 'stats'; icon: ReactNode; show: boolean }[] = [
    { name: 'queue', icon: <UnorderedListOutlined aria-hidden />, show: true },
    { name: 'approvals', icon: <AuditOutlined aria-hidden />, show: supervisor },
    { name: 'stats', icon: <BarChartOutlined aria-hidden />, show: true },
  ];
  const current = view.name === 'new' || view.name === 'case' ? 'queue' : view.name;
  return (
    <PageFrame area="disputes" title={t('area.disputes')} intro={t('disputes.intro')}>
      <nav aria-label={t('disputes.viewsLabel')} className="complaints-views">
        {tabs
          .filter((x) => x.show)
          .map((x) => (
            <Button
              key={x.name}
              data-testid={`disputes-view-${x.name}`}
              icon={x.icon}
              type={current === x.name ? 'primary' : 'default'}
              aria-current={current === x.name ? 'page' : undefined}
              onClick={() => { setView({ name: x.name }); }}
            >
              {t(`disputes.view.${x.name}`)}
            </Button>
          ))}
      </nav>
      {teamName !== null && (
        <p className="team-banner" data-testid="team-banner">
          {t('teamDisputes.banner', { team: teamName })}
        </p>
      )}
      {view.name === 'queue' && teamName !== null && (
        <TeamDisputeQueue team={teamName} onOpen={open} onNew={() => { setView({ name: 'new' }); }} />
      )}
      {view.name === 'queue' && teamName === null && (
        <Queue queue={queue} onQueue={setQueue} onOpen={open} onNew={() => { setView({ name: 'new' }); }} />
      )}
      {view.name === 'new' && (
        <section aria-labelledby="dispute-new-title">
          <h2 id="dispute-new-title">{t('disputes.open.title')}</h2>
          <OpenDispute team={teamName !== null} onOpened={(d) => { open(d.id); }} />
        </section>
      )}
      {view.name === 'case' && teamName !== null && (
        <TeamDisputeCase key={view.id} disputeId={view.id} onBack={() => { setView({ name: 'queue' }); }} />
      )}
      {view.name === 'case' && teamName === null && (
        <DisputeCase key={view.id} disputeId={view.id} onBack={() => { setView({ name: 'queue' }); }} />
      )}
      {view.name === 'approvals' && supervisor && teamName !== null && <TeamCredits onOpen={open} />}
      {view.name === 'approvals' && supervisor && teamName === null && <Approvals />}
      {view.name === 'stats' && <DisputeStats />}
    </PageFrame>
  );
}
