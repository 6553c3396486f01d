import { CheckCircleOutlined, ClockCircleOutlined, ExclamationCircleOutlined, MinusCircleOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Input, Modal, Space, Table } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../../backend/context';
import type { TeamCoreOp } from '../../../bindings/TeamCoreOp';
import type { TeamDispute } from '../../../bindings/TeamDispute';
import { useErrorText } from '../../../shell/errors';
import { labelledTable } from '../../complaints/shared';

const STATE_ICONS: Record<string, ReactNode> = {
  pending: <ClockCircleOutlined aria-hidden />,
  done: <CheckCircleOutlined aria-hidden />,
  attention: <ExclamationCircleOutlined aria-hidden />,
  discarded: <MinusCircleOutlined aria-hidden />,
};

/**
 * What the core is to hear of a team dispute, and how far each op got (`TeamDispute.coreOps`).
 * Which op may be resent or set aside is core's answer (`TeamCoreOp.actions`: a dispute
 * supervisor, an op that needs attention); this only renders it. Each action names the version
 * this screen shows, as the dispute's steps do.
 */
export function TeamCoreOps({ dispute, onChanged }: { dispute: TeamDispute; onChanged: (d: TeamDispute) => void }) {
  const { t, i18n } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const [discarding, setDiscarding] = useState<TeamCoreOp | null>(null);
  const [reason, setReason] = useState('');
  const kindText = (kind: string) => {
    const key = `teamDisputes.coreOps.kind.${kind.replace(/^dispute\./, '')}`;
    return i18n.exists(key) ? t(key) : kind;
  };
  // The code's words where the UI has them (`errors.detail`), else the core's own message.
  const problemText = (op: TeamCoreOp) => {
    if (op.lastError === null) return '';
    if (i18n.exists(`errors.detail.${op.lastError}`)) return t(`errors.detail.${op.lastError}`);
    return op.lastErrorDetail ?? op.lastError;
  };
  const resend = useMutation({
    mutationFn: (op: TeamCoreOp) => backend.teamDisputeOpResend({ disputeId: dispute.id, version: dispute.version, opId: op.id }),
    onSuccess: onChanged,
  });
  const discard = useMutation({
    mutationFn: ({ op, text }: { op: TeamCoreOp; text: string }) =>
      backend.teamDisputeOpDiscard({ disputeId: dispute.id, version: dispute.version, opId: op.id, reason: text }),
    onSuccess: (d) => {
      setDiscarding(null);
      setReason('');
      onChanged(d);
    },
  });
  const failed = resend.error ?? (discarding === null ? discard.error : null);
  return (
    <section aria-labelledby="team-core-ops-title" data-testid="team-core-ops">
      <h3 id="team-core-ops-title" className="section-heading">
        {t('teamDisputes.coreOps.title')}
      </h3>
      <p className="field-hint">{t('teamDisputes.coreOps.hint')}</p>
      {resend.isSuccess && <p role="status" data-testid="team-core-op-resent">{t('teamDisputes.coreOps.resent')}</p>}
      {discard.isSuccess && <p role="status" data-testid="team-core-op-discarded">{t('teamDisputes.coreOps.discarded')}</p>}
      {failed !== null && <Alert className="form-alert" type="error" showIcon data-testid="team-core-op-error" message={errorText(failed)} />}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={dispute.coreOps}
        components={labelledTable('teamDisputes.coreOps.table')}
        locale={{ emptyText: <p className="empty-note">{t('teamDisputes.coreOps.empty')}</p> }}
        columns={[
          { title: t('teamDisputes.coreOps.col.kind'), key: 'kind', render: (_: unknown, op: TeamCoreOp) => kindText(op.kind) },
          {
            title: t('teamDisputes.coreOps.col.state'),
            key: 'state',
            render: (_: unknown, op: TeamCoreOp) => (
              <span data-testid={`team-core-op-state-${String(op.id)}`} data-state={op.state}>
                {STATE_ICONS[op.state]} {i18n.exists(`teamDisputes.coreOps.state.${op.state}`) ? t(`teamDisputes.coreOps.state.${op.state}`) : op.state}
                {op.attempts > 0 && <span className="field-hint"> ({t('teamDisputes.coreOps.attempts', { count: op.attempts })})</span>}
              </span>
            ),
          },
          {
            title: t('teamDisputes.coreOps.col.problem'),
            key: 'problem',
            render: (_: unknown, op: TeamCoreOp) => (
              <span data-testid={`team-core-op-problem-${String(op.id)}`}>
                {problemText(op)}
                {op.discardReason !== null && t('teamDisputes.coreOps.discardReason', { reason: op.discardReason })}
              </span>
            ),
          },
          {
            title: t('teamDisputes.coreOps.col.actions'),
            key: 'actions',
            render: (_: unknown, op: TeamCoreOp) => (
              <Space wrap>
                {op.actions.includes('resend') && (
                  <Button
                    data-testid={`team-core-op-resend-${String(op.id)}`}
                    aria-label={t('teamDisputes.coreOps.resendFor', { kind: kindText(op.kind) })}
                    loading={resend.isPending && resend.variables.id === op.id}
                    onClick={() => { discard.reset(); resend.mutate(op); }}
                  >
                    {t('teamDisputes.coreOps.resend')}
                  </Button>
                )}
                {op.actions.includes('discard') && (
                  <Button
                    data-testid={`team-core-op-discard-${String(op.id)}`}
                    aria-label={t('teamDisputes.coreOps.discardFor', { kind: kindText(op.kind) })}
                    onClick={() => { resend.reset(); discard.reset(); setDiscarding(op); }}
                  >
                    {t('teamDisputes.coreOps.discard')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={discarding !== null}
        title={t('teamDisputes.coreOps.discardTitle')}
        footer={null}
        onCancel={() => { setDiscarding(null); discard.reset(); }}
        destroyOnHidden
      >
        {discarding !== null && (
          <div data-testid="team-core-op-discard-dialog">
            <p>
              {kindText(discarding.kind)}：{t('teamDisputes.coreOps.discardIntro')}
            </p>
            <label className="field-label" htmlFor="team-core-op-discard-reason">
              {t('teamDisputes.coreOps.discardReasonLabel')}
            </label>
            <Input.TextArea
              id="team-core-op-discard-reason"
              data-testid="team-core-op-discard-reason"
              rows={3}
              value={reason}
              onChange={(e) => { setReason(e.target.value); }}
            />
            {discard.isError && (
              <Alert className="form-alert" type="error" showIcon data-testid="team-core-op-discard-error" message={errorText(discard.error)} />
            )}
            <Space>
              <Button onClick={() => { setDiscarding(null); discard.reset(); }}>{t('teamDisputes.coreOps.cancel')}</Button>
              <Button
                type="primary"
                danger
                data-testid="team-core-op-discard-confirm"
                loading={discard.isPending}
                onClick={() => { discard.mutate({ op: discarding, text: reason }); }}
              >
                {t('teamDisputes.coreOps.discardConfirm')}
              </Button>
            </Space>
          </div>
        )}
      </Modal>
    </section>
  );
}
