import { FileSearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Modal, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { CaseLine } from '../../bindings/CaseLine';
import { useErrorText } from '../../shell/errors';
import { useSessionState } from '../../shell/session';
import { labelledTable } from '../complaints/shared';
import { useTeamStatus } from '../complaints/team/useTeam';
import { OpenDispute } from './OpenDispute';

/** Whether the signed-in role has the dispute desk (core's areas; core still decides). */
export function useWorksDisputes(): boolean {
  const data = useSessionState().data;
  return data !== undefined && data.state !== 'signed_out' && data.session.areas.includes('disputes');
}

/** "Dispute" on a payment out in the Customer 360's transaction list. */
export function DisputeTransactionButton({ customerId, transactionId }: { customerId: string; transactionId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState<string | null>(null);
  // Team mode: the dispute opens in the team's shared queue, as from the Disputes area.
  const team = useTeamStatus('disputes');
  return (
    <>
      <Button size="small" data-testid={`c360-dispute-${transactionId}`} icon={<FileSearchOutlined aria-hidden />} onClick={() => { setOpen(true); }}>
        {t('disputes.fromTransaction')}
      </Button>
      <Modal open={open} title={t('disputes.open.title')} footer={null} onCancel={() => { setOpen(false); }} destroyOnHidden>
        {opened === null ? (
          <OpenDispute customerId={customerId} transactionId={transactionId} team={team?.enabled === true} onOpened={(d) => { setOpened(d.caseNo); }} />
        ) : (
          <p role="status" data-testid="c360-dispute-opened">
            {t('disputes.openedFrom360', { caseNo: opened })}
          </p>
        )}
      </Modal>
    </>
  );
}

/** The customer's disputes and complaints, as the Customer 360 lists them. */
export function CustomerCases({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const cases = useQuery({ queryKey: ['customer', customerId, 'cases'], queryFn: () => backend.customerCases(customerId) });
  if (cases.isError) return <Alert type="error" showIcon message={errorText(cases.error)} />;
  const rows = [...(cases.data?.disputes ?? []), ...(cases.data?.complaints ?? [])];
  return (
    <Table<CaseLine>
      size="small"
      rowKey={(r) => `${r.kind}-${r.id}`}
      pagination={false}
      loading={cases.isPending}
      data-testid="c360-cases"
      dataSource={rows}
      components={labelledTable('c360.cases')}
      locale={{ emptyText: <p className="empty-note">{t('c360.noCases')}</p> }}
      columns={[
        { title: t('c360.caseCol.kind'), key: 'kind', render: (_: unknown, r: CaseLine) => t(`c360.caseKind.${r.kind}`) },
        { title: t('c360.caseCol.caseNo'), dataIndex: 'caseNo', key: 'caseNo' },
        { title: t('c360.caseCol.status'), key: 'status', render: (_: unknown, r: CaseLine) => t(`c360.caseStatus.${r.status}`, { defaultValue: r.status }) },
        { title: t('c360.caseCol.openedOn'), dataIndex: 'openedOn', key: 'openedOn' },
        { title: t('c360.caseCol.dueOn'), dataIndex: 'dueOn', key: 'dueOn' },
      ]}
    />
  );
}
