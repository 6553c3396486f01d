import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../../backend/context';
import type { PendingTeamExtension } from '../../../bindings/PendingTeamExtension';
import { useErrorText } from '../../../shell/errors';
import { RefuseDialog } from '../PendingExtensions';
import { labelledTable } from '../shared';
import { TEAM_WORK_KEY } from './useTeam';

/** The team's extensions waiting for the level above; core refuses the requester's own. */
export function TeamPending({ onOpen }: { onOpen: (caseId: number) => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [done, setDone] = useState<string | null>(null);
  const [refusing, setRefusing] = useState<PendingTeamExtension | null>(null);
  const list = useQuery({ queryKey: [...TEAM_WORK_KEY, 'pending'], queryFn: () => backend.teamPendingExtensions() });
  const approve = useMutation({
    mutationFn: (row: PendingTeamExtension) =>
      backend.teamDecideExtension({ extensionId: row.id, approve: true, note: null }),
    onSuccess: (c) => {
      setDone(t('complaints.done.approved', { caseNo: c.caseNo, due: c.dueOn }));
      void client.invalidateQueries({ queryKey: TEAM_WORK_KEY });
    },
  });
  const columns: TableColumnsType<PendingTeamExtension> = [
    {
      title: t('complaints.col.caseNo'),
      key: 'caseNo',
      render: (_: unknown, row: PendingTeamExtension) => (
        <Button type="link" className="complaint-case-link" onClick={() => { onOpen(row.caseId); }}>
          {row.caseNo}
        </Button>
      ),
    },
    { title: t('complaints.pendingCol.reason'), dataIndex: 'reason', key: 'reason' },
    { title: t('complaints.pendingCol.requestedBy'), dataIndex: 'requestedByName', key: 'requestedBy' },
    {
      title: t('complaints.pendingCol.requestedAt'),
      dataIndex: 'requestedAt',
      key: 'requestedAt',
      render: (at: string) => <time dateTime={at}>{at.slice(0, 10)}</time>,
    },
    {
      title: t('complaints.pendingCol.actions'),
      key: 'actions',
      render: (_: unknown, row: PendingTeamExtension) => (
        <Space wrap>
          <Button
            type="primary"
            data-testid={`team-approve-${row.caseNo}`}
            icon={<CheckOutlined aria-hidden />}
            aria-label={t('complaints.approveFor', { caseNo: row.caseNo })}
            loading={approve.isPending && approve.variables.id === row.id}
            onClick={() => { setDone(null); approve.mutate(row); }}
          >
            {t('complaints.approve')}
          </Button>
          <Button
            danger
            data-testid={`team-refuse-${row.caseNo}`}
            icon={<CloseOutlined aria-hidden />}
            aria-label={t('complaints.refuseFor', { caseNo: row.caseNo })}
            onClick={() => { setDone(null); setRefusing(row); }}
          >
            {t('complaints.refuse')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <section aria-labelledby="team-pending-title" data-testid="team-pending">
      <h2 id="team-pending-title">{t('complaints.pendingTitle')}</h2>
      <p>{t('team.pendingHint')}</p>
      {done !== null && <p role="status" data-testid="team-pending-done">{done}</p>}
      {(list.error ?? approve.error) !== null && (
        <Alert className="form-alert" type="error" showIcon message={errorText(list.error ?? approve.error)} />
      )}
      <Table<PendingTeamExtension>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <p className="empty-note">{t('complaints.pendingEmpty')}</p> }}
        components={labelledTable('complaints.pendingTable')}
        onRow={(row) => ({ 'data-testid': `team-pending-${row.caseNo}` }) as HTMLAttributes<HTMLElement>}
      />
      {refusing !== null && (
        <RefuseDialog
          caseNo={refusing.caseNo}
          formName={`team-refuse-${refusing.id}`}
          refuse={async (note) => {
            const c = await backend.teamDecideExtension({ extensionId: refusing.id, approve: false, note });
            void client.invalidateQueries({ queryKey: TEAM_WORK_KEY });
            return c;
          }}
          onClose={(message) => {
            setRefusing(null);
            if (message !== undefined) setDone(message);
          }}
        />
      )}
    </section>
  );
}
