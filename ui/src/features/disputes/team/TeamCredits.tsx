import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../../backend/context';
import type { PendingTeamCredit } from '../../../bindings/PendingTeamCredit';
import { useErrorText } from '../../../shell/errors';
import { formatMoney } from '../../../shell/money';
import { labelledTable } from '../../complaints/shared';
import { RefuseDialog } from '../../complaints/PendingExtensions';
import { TEAM_DISPUTES_KEY } from './keys';

/**
 * The team's provisional credits waiting for a supervisor, from every console. Core marks
 * which this supervisor may decide (`mayDecide`: never their own proposal, four eyes).
 */
export function TeamCredits({ onOpen }: { onOpen: (disputeId: number) => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [done, setDone] = useState<string | null>(null);
  const [refusing, setRefusing] = useState<PendingTeamCredit | null>(null);
  const list = useQuery({ queryKey: [...TEAM_DISPUTES_KEY, 'credits'], queryFn: () => backend.teamDisputePendingCredits() });
  const approve = useMutation({
    mutationFn: (row: PendingTeamCredit) => backend.teamDisputeDecideCredit({ proposalId: row.id, approve: true, note: null }),
    onSuccess: (d) => {
      setDone(t('disputes.approvals.approved', { caseNo: d.caseNo }));
      void client.invalidateQueries({ queryKey: TEAM_DISPUTES_KEY });
    },
  });
  const columns: TableColumnsType<PendingTeamCredit> = [
    {
      title: t('disputes.col.caseNo'),
      key: 'caseNo',
      render: (_: unknown, row: PendingTeamCredit) => (
        <Button type="link" className="complaint-case-link" onClick={() => { onOpen(row.disputeId); }}>
          {row.caseNo}
        </Button>
      ),
    },
    { title: t('disputes.field.amount'), key: 'amount', render: (_: unknown, r: PendingTeamCredit) => formatMoney(r.amount) },
    { title: t('disputes.approvals.reason'), dataIndex: 'note', key: 'note' },
    { title: t('disputes.approvals.requestedBy'), dataIndex: 'proposedByName', key: 'proposedBy' },
    { title: t('disputes.field.dueOn'), dataIndex: 'dueOn', key: 'dueOn' },
    {
      title: t('disputes.approvals.actions'),
      key: 'actions',
      render: (_: unknown, row: PendingTeamCredit) =>
        row.mayDecide ? (
          <Space wrap>
            <Button
              type="primary"
              data-testid={`team-credit-approve-${row.caseNo}`}
              icon={<CheckOutlined aria-hidden />}
              aria-label={t('teamDisputes.approveFor', { caseNo: row.caseNo })}
              loading={approve.isPending && approve.variables.id === row.id}
              onClick={() => { setDone(null); approve.mutate(row); }}
            >
              {t('disputes.approvals.approve')}
            </Button>
            <Button
              danger
              data-testid={`team-credit-refuse-${row.caseNo}`}
              icon={<CloseOutlined aria-hidden />}
              aria-label={t('teamDisputes.refuseFor', { caseNo: row.caseNo })}
              onClick={() => { setDone(null); setRefusing(row); }}
            >
              {t('disputes.approvals.refuse')}
            </Button>
          </Space>
        ) : (
          <span data-testid={`team-credit-own-${row.caseNo}`}>{t('disputes.approvals.ownProposal')}</span>
        ),
    },
  ];
  return (
    <section aria-labelledby="team-credits-title" data-testid="team-credits">
      <h2 id="team-credits-title">{t('teamDisputes.creditsTitle')}</h2>
      <p>{t('teamDisputes.creditsHint')}</p>
      {done !== null && <p role="status" data-testid="team-credits-done">{done}</p>}
      {(list.error ?? approve.error) !== null && (
        <Alert className="form-alert" type="error" showIcon data-testid="team-credits-error" message={errorText(list.error ?? approve.error)} />
      )}
      <Table<PendingTeamCredit>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <p className="empty-note">{t('disputes.approvals.empty')}</p> }}
        components={labelledTable('teamDisputes.creditsTitle')}
        onRow={(row) => ({ 'data-testid': `team-credit-${row.caseNo}` }) as HTMLAttributes<HTMLElement>}
      />
      {refusing !== null && (
        <RefuseDialog
          caseNo={refusing.caseNo}
          formName={`team-credit-refuse-${refusing.id}`}
          refuse={async (note) => {
            const d = await backend.teamDisputeDecideCredit({ proposalId: refusing.id, approve: false, note });
            void client.invalidateQueries({ queryKey: TEAM_DISPUTES_KEY });
            return d;
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
