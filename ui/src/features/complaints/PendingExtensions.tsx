import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Space, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { PendingExtensionRow } from '../../bindings/PendingExtensionRow';
import { useErrorText } from '../../shell/errors';
import { useCaseUpdated } from './CaseView';
import { COMPLAINTS_KEY, labelledTable, staffName, useMe } from './shared';

/** The supervisor's list of particularly complex extensions waiting for the level above. */
export function PendingExtensions({ onOpen }: { onOpen: (caseId: number) => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const updated = useCaseUpdated();
  const me = useMe();
  const [refusing, setRefusing] = useState<PendingExtensionRow | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const list = useQuery({
    queryKey: [...COMPLAINTS_KEY, 'pending'],
    queryFn: () => backend.complaintPendingExtensions(),
  });
  const approve = useMutation({
    mutationFn: (row: PendingExtensionRow) =>
      backend.complaintDecideExtension({ extensionId: row.extensionId, approve: true, note: null }),
    onSuccess: (d) => {
      updated(d);
      setDone(t('complaints.done.approved', { caseNo: d.caseNo, due: d.dueOn }));
    },
  });

  const columns: TableColumnsType<PendingExtensionRow> = [
    {
      title: t('complaints.col.caseNo'),
      key: 'caseNo',
      render: (_: unknown, row: PendingExtensionRow) => (
        <Button type="link" className="complaint-case-link" onClick={() => { onOpen(row.caseId); }}>
          {row.caseNo}
        </Button>
      ),
    },
    { title: t('complaints.pendingCol.reason'), dataIndex: 'reason', key: 'reason' },
    {
      title: t('complaints.pendingCol.requestedBy'),
      key: 'requestedBy',
      render: (_: unknown, row: PendingExtensionRow) => staffName(t, row.requestedBy, me.staffId),
    },
    {
      title: t('complaints.pendingCol.requestedAt'),
      dataIndex: 'requestedAt',
      key: 'requestedAt',
      render: (at: string) => <time dateTime={at}>{at.slice(0, 10)}</time>,
    },
    { title: t('complaints.col.due'), dataIndex: 'dueOn', key: 'dueOn' },
    {
      title: t('complaints.pendingCol.actions'),
      key: 'actions',
      render: (_: unknown, row: PendingExtensionRow) => (
        <Space wrap>
          <Button
            type="primary"
            data-testid={`complaint-approve-${row.extensionId}`}
            icon={<CheckOutlined aria-hidden />}
            aria-label={t('complaints.approveFor', { caseNo: row.caseNo })}
            loading={approve.isPending && approve.variables.extensionId === row.extensionId}
            onClick={() => {
              setDone(null);
              approve.mutate(row);
            }}
          >
            {t('complaints.approve')}
          </Button>
          <Button
            danger
            data-testid={`complaint-refuse-${row.extensionId}`}
            icon={<CloseOutlined aria-hidden />}
            aria-label={t('complaints.refuseFor', { caseNo: row.caseNo })}
            onClick={() => {
              setDone(null);
              setRefusing(row);
            }}
          >
            {t('complaints.refuse')}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <section aria-labelledby="complaints-pending-title">
      <h2 id="complaints-pending-title">{t('complaints.pendingTitle')}</h2>
      <p>{t('complaints.pendingHint')}</p>
      <div aria-live="polite" aria-atomic="true">
        {done !== null && <Alert className="form-alert" type="success" showIcon data-testid="complaint-pending-done" message={done} />}
      </div>
      {list.isError && <Alert className="form-alert" type="error" showIcon message={errorText(list.error)} />}
      {approve.isError && (
        <Alert className="form-alert" type="error" showIcon data-testid="complaint-pending-error" message={errorText(approve.error)} />
      )}
      <Table<PendingExtensionRow>
        rowKey="extensionId"
        size="middle"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <p className="empty-note">{t('complaints.pendingEmpty')}</p> }}
        components={labelledTable('complaints.pendingTable')}
        onRow={(row) => ({ 'data-testid': `complaint-pending-${row.extensionId}` }) as HTMLAttributes<HTMLElement>}
      />
      {refusing !== null && (
        <RefuseDialog
          caseNo={refusing.caseNo}
          formName={`complaint-refuse-${refusing.extensionId}`}
          refuse={async (note) => {
            const d = await backend.complaintDecideExtension({ extensionId: refusing.extensionId, approve: false, note });
            updated(d);
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

/**
 * Refusing an extension, with the note core requires (`note` `required` when refused): the
 * desk's inbox and the team's share it. `refuse` sends the refusal; the dialog says it is done.
 */
export function RefuseDialog({
  caseNo,
  formName,
  refuse: send,
  onClose,
}: {
  caseNo: string;
  formName: string;
  refuse: (note: string) => Promise<{ caseNo: string }>;
  onClose: (message?: string) => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const refuse = useMutation({
    mutationFn: send,
    onSuccess: (d) => {
      onClose(t('complaints.done.refused', { caseNo: d.caseNo }));
    },
  });
  return (
    <Modal open title={t('complaints.refuseTitle', { caseNo })} onCancel={() => { onClose(); }} footer={null} destroyOnHidden>
      <Form<{ note?: string }>
        name={formName}
        layout="vertical"
        onFinish={(v) => {
          refuse.mutate((v.note ?? '').trim());
        }}
      >
        <Form.Item
          label={t('complaints.refuseNote')}
          name="note"
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea data-testid="complaint-refuse-note" rows={3} />
        </Form.Item>
        {refuse.isError && <Alert className="form-alert" type="error" showIcon message={errorText(refuse.error)} />}
        <Space wrap>
          <Button danger type="primary" htmlType="submit" data-testid="complaint-refuse-submit" loading={refuse.isPending}>
            {t('complaints.refuse')}
          </Button>
          <Button onClick={() => { onClose(); }}>{t('sync.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}
