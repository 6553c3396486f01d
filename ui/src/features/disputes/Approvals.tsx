import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Input, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { ApprovalItem } from '../../bindings/ApprovalItem';
import type { EscalationOutcome } from '../../bindings/EscalationOutcome';
import { useErrorText } from '../../shell/errors';
import { formatMoney } from '../../shell/money';
import { labelledTable } from '../complaints/shared';
import { DISPUTES_KEY } from './shared';

/**
 * The one approvals inbox: provisional credits and complaint extensions waiting for the level
 * above. Core says which this supervisor may decide (never their own proposal).
 */
export function Approvals() {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const inbox = useQuery({ queryKey: [...DISPUTES_KEY, 'approvals'], queryFn: () => backend.approvalsInbox() });
  // Elder setups stopped by a "yes" (issue 13): one of three outcomes, the note its reason.
  const resolve = useMutation({
    mutationFn: async ({ item, outcome }: { item: ApprovalItem; outcome: EscalationOutcome }) => {
      await backend.elderResolve({ escalationId: item.id, outcome, reason: note.trim() });
      return item;
    },
    onSuccess: (item) => {
      setDone(t('elder.resolved', { caseNo: item.caseNo }));
      setNote('');
      void client.invalidateQueries({ queryKey: DISPUTES_KEY });
    },
  });
  const decide = useMutation({
    mutationFn: async ({ item, approve }: { item: ApprovalItem; approve: boolean }) => {
      const n = note.trim() === '' ? null : note.trim();
      if (item.kind === 'disputeCredit') {
        await backend.disputeDecideCredit({ proposalId: item.id, approve, note: n });
      } else {
        await backend.complaintDecideExtension({ extensionId: item.id, approve, note: n });
      }
      return { item, approve };
    },
    onSuccess: ({ item, approve }) => {
      setDone(t(approve ? 'disputes.approvals.approved' : 'disputes.approvals.refused', { caseNo: item.caseNo }));
      setNote('');
      void client.invalidateQueries({ queryKey: DISPUTES_KEY });
      void client.invalidateQueries({ queryKey: ['complaints'] });
    },
  });
  return (
    <section aria-labelledby="approvals-title">
      <h2 id="approvals-title">{t('disputes.approvals.title')}</h2>
      {done !== null && <Alert className="form-alert" type="success" showIcon role="status" data-testid="approvals-done" message={done} />}
      {(inbox.isError || decide.isError || resolve.isError) && (
        <Alert className="form-alert" type="error" showIcon message={errorText(inbox.error ?? decide.error ?? resolve.error)} />
      )}
      <label className="field-label" htmlFor="approvals-note">
        {t('disputes.approvals.note')}
      </label>
      <Input id="approvals-note" data-testid="approvals-note" value={note} onChange={(e) => { setNote(e.target.value); }} />
      <Table<ApprovalItem>
        rowKey={(r) => `${r.kind}-${r.id}`}
        size="middle"
        pagination={false}
        loading={inbox.isPending}
        dataSource={inbox.data ?? []}
        components={labelledTable('disputes.approvals.title')}
        locale={{ emptyText: <p className="empty-note">{t('disputes.approvals.empty')}</p> }}
        columns={[
          { title: t('disputes.approvals.kind'), key: 'kind', render: (_: unknown, r: ApprovalItem) => t(`disputes.approvals.kinds.${r.kind}`) },
          { title: t('disputes.col.caseNo'), dataIndex: 'caseNo', key: 'caseNo' },
          { title: t('disputes.approvals.reason'), dataIndex: 'reason', key: 'reason' },
          { title: t('disputes.field.amount'), key: 'amount', render: (_: unknown, r: ApprovalItem) => (r.amount === null ? '' : formatMoney(r.amount)) },
          { title: t('disputes.approvals.requestedBy'), dataIndex: 'requestedBy', key: 'requestedBy' },
          { title: t('disputes.field.dueOn'), dataIndex: 'dueOn', key: 'dueOn' },
          {
            title: t('disputes.approvals.actions'),
            key: 'actions',
            render: (_: unknown, r: ApprovalItem) =>
              r.kind === 'elderEscalation' && r.mayDecide ? (
                <Space wrap>
                  {(['cleared', 'advised', 'referred_110'] as const).map((outcome) => (
                    <Button
                      key={outcome}
                      data-testid={`elder-${outcome}-${r.caseNo}`}
                      disabled={note.trim() === ''}
                      loading={resolve.isPending}
                      onClick={() => { resolve.mutate({ item: r, outcome }); }}
                    >
                      {t(`elder.outcomes.${outcome}`)}
                    </Button>
                  ))}
                </Space>
              ) : r.mayDecide ? (
                <Space>
                  <Button
                    data-testid={`approve-${r.caseNo}`}
                    icon={<CheckOutlined aria-hidden />}
                    loading={decide.isPending}
                    onClick={() => { decide.mutate({ item: r, approve: true }); }}
                  >
                    {t('disputes.approvals.approve')}
                  </Button>
                  <Button
                    data-testid={`refuse-${r.caseNo}`}
                    icon={<CloseOutlined aria-hidden />}
                    disabled={note.trim() === ''}
                    onClick={() => { decide.mutate({ item: r, approve: false }); }}
                  >
                    {t('disputes.approvals.refuse')}
                  </Button>
                </Space>
              ) : (
                <span>{t('disputes.approvals.ownProposal')}</span>
              ),
          },
        ]}
      />
    </section>
  );
}
