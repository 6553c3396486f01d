import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Descriptions, Space, Spin, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../../backend/context';
import { toApiError } from '../../../backend/errors';
import type { EvidenceKind } from '../../../bindings/EvidenceKind';
import type { TeamDispute } from '../../../bindings/TeamDispute';
import type { TeamDisputeAction } from '../../../bindings/TeamDisputeAction';
import { NativeSelect } from '../../../components/NativeSelect';
import { useErrorText } from '../../../shell/errors';
import { formatMoney } from '../../../shell/money';
import { ClockText, labelledTable } from '../../complaints/shared';
import { Deadlines, TextStep } from '../DisputeCase';
import { EVIDENCE_KINDS, reasonText } from '../shared';
import { TEAM_DISPUTES_KEY } from './keys';
import { TeamCoreOps } from './TeamCoreOps';

/**
 * One team dispute. Which steps show is core's answer (`actions`): whether it can be taken,
 * whether a colleague's hold leaves anything to do, which of the desk's steps the clock allows
 * today. Each step names the version this screen shows: if a colleague moved the dispute
 * meanwhile core refuses it (`stale_version`) and the screen offers the fresh copy.
 */
export function TeamDisputeCase({ disputeId, onBack }: { disputeId: number; onBack: () => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const key = [...TEAM_DISPUTES_KEY, 'case', disputeId];
  const found = useQuery({ queryKey: key, queryFn: () => backend.teamDispute(disputeId) });
  const [kind, setKind] = useState<EvidenceKind | ''>('');
  const [forCustomer, setForCustomer] = useState<'' | 'customer' | 'bank'>('');
  const [faultProven, setFaultProven] = useState(false);
  const fresh = (d: TeamDispute) => {
    client.setQueryData(key, d);
    void client.invalidateQueries({ queryKey: TEAM_DISPUTES_KEY });
  };
  const take = useMutation({
    mutationFn: () => backend.teamDisputeTake(disputeId),
    onSuccess: (outcome) => {
      if (outcome.kind === 'taken') fresh(outcome.dispute);
      else void client.invalidateQueries({ queryKey: TEAM_DISPUTES_KEY });
    },
  });
  const step = useMutation({
    mutationFn: (run: (version: number) => Promise<TeamDispute>) => run(found.data?.version ?? 0),
    onSuccess: fresh,
  });

  if (found.isPending) return <Spin aria-label={t('app.loading')} />;
  if (found.isError) return <Alert type="error" showIcon message={errorText(found.error)} />;
  const d = found.data;
  const may = (action: TeamDisputeAction) => d.actions.includes(action);
  const stale = step.isError && toApiError(step.error).fields.some((f) => f.code === 'stale_version');
  const input = (version: number) => ({ disputeId, version });
  return (
    <article aria-labelledby="team-dispute-title" data-testid="team-dispute-case">
      <Button icon={<ArrowLeftOutlined aria-hidden />} data-testid="team-dispute-back" onClick={onBack}>
        {t('disputes.back')}
      </Button>
      <h2 id="team-dispute-title" data-testid="team-dispute-title">
        {t('disputes.caseTitle', { caseNo: d.caseNo })} <ClockText clock={d.clock} testId="team-dispute-clock" />
      </h2>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('disputes.field.transaction')}>{d.transactionId}</Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.amount')}>{formatMoney(d.amount)}</Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.counterparty')}>{d.counterparty}</Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.transactionOn')}>{d.facts.transactionOn}</Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.reason')}>{reasonText(t, d.reason)}</Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.policy')}>{t(`disputes.policy.${d.policy.set}`)}</Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.status')}>
          <span data-testid="team-dispute-status">{t(`disputes.status.${d.status}`)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.dueOn')}>{d.dueOn}</Descriptions.Item>
        <Descriptions.Item label={t('complaints.assignee')}>
          <span data-testid="team-dispute-assignee">{d.assigneeName ?? t('complaints.nobody')}</span>
        </Descriptions.Item>
      </Descriptions>
      {may('take') && (
        <Button type="primary" data-testid="team-dispute-case-take" loading={take.isPending} onClick={() => { take.mutate(); }}>
          {t('team.take')}
        </Button>
      )}
      {take.data?.kind === 'alreadyTaken' && (
        <p role="status" data-testid="team-dispute-taken-by">
          {t('team.takenBy', { caseNo: take.data.caseNo, name: take.data.byName })}
        </p>
      )}
      {take.isError && <Alert className="form-alert" type="error" showIcon message={errorText(take.error)} />}
      <Deadlines deadlines={d.deadlines} />
      {step.isSuccess && <p role="status" data-testid="team-dispute-step-done">{t('team.stepDone')}</p>}
      {step.isError && (
        <Alert
          className="form-alert"
          type="error"
          showIcon
          data-testid="team-dispute-step-error"
          message={errorText(step.error)}
          action={
            stale ? (
              <Button data-testid="team-dispute-reload" icon={<ReloadOutlined aria-hidden />} onClick={() => { void found.refetch().then(() => { step.reset(); }); }}>
                {t('team.reload')}
              </Button>
            ) : undefined
          }
        />
      )}

      <h3 className="section-heading">{t('disputes.evidence')}</h3>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={d.evidence}
        components={labelledTable('disputes.evidence')}
        locale={{ emptyText: <p className="empty-note">{t('disputes.noEvidence')}</p> }}
        columns={[
          { title: t('disputes.col.kind'), dataIndex: 'kind', key: 'kind', render: (k: string) => t(`disputes.evidenceKind.${k}`) },
          { title: t('disputes.col.description'), dataIndex: 'description', key: 'description' },
          { title: t('disputes.col.addedBy'), dataIndex: 'addedBy', key: 'addedBy' },
        ]}
      />
      {may('addEvidence') && (
        <>
          <label className="field-label" htmlFor="team-dispute-evidence-kind">
            {t('disputes.evidenceKindLabel')}
          </label>
          <NativeSelect
            id="team-dispute-evidence-kind"
            data-testid="team-dispute-evidence-kind"
            placeholder={t('disputes.chooseKind')}
            value={kind}
            options={EVIDENCE_KINDS.map((k) => ({ value: k, label: t(`disputes.evidenceKind.${k}`) }))}
            onChange={(v) => { setKind(v as EvidenceKind | ''); }}
          />
          <TextStep
            id="team-dispute-evidence-text"
            label={t('disputes.evidenceText')}
            button={t('disputes.addEvidence')}
            pending={step.isPending}
            onSubmit={(text) => {
              if (kind !== '') step.mutate((version) => backend.teamDisputeEvidence({ ...input(version), kind, description: text }));
            }}
          />
          <p className="field-hint">{t('teamDisputes.filesStayHere')}</p>
        </>
      )}

      <h3 className="section-heading">{t('disputes.credit')}</h3>
      <ul>
        {d.proposals.map((p) => (
          <li key={p.id} data-testid={`team-dispute-proposal-${p.status}`}>
            {t(`disputes.proposal.${p.status}`, { by: p.proposedBy, checker: p.decidedBy ?? '' })}：{p.note}
          </li>
        ))}
      </ul>
      {may('proposeCredit') && (
        <TextStep
          id="team-dispute-propose"
          label={t('disputes.proposeLabel')}
          button={t('disputes.propose')}
          pending={step.isPending}
          onSubmit={(text) => { step.mutate((version) => backend.teamDisputeProposeCredit({ ...input(version), text })); }}
        />
      )}
      <Space wrap>
        {may('recordTold') && (
          <Button data-testid="team-dispute-told" onClick={() => { step.mutate((version) => backend.teamDisputeCustomerTold(input(version))); }}>
            {t('disputes.told')}
          </Button>
        )}
        {may('extend') && (
          <Button data-testid="team-dispute-extend" onClick={() => { step.mutate((version) => backend.teamDisputeExtend(input(version))); }}>
            {t('disputes.extend')}
          </Button>
        )}
        {may('chargeback') && (
          <Button data-testid="team-dispute-chargeback" onClick={() => { step.mutate((version) => backend.teamDisputeChargeback(input(version))); }}>
            {t('disputes.chargeback')}
          </Button>
        )}
      </Space>

      {may('decide') && (
        <section aria-labelledby="team-dispute-decide-title">
          <h3 id="team-dispute-decide-title" className="section-heading">
            {t('disputes.decide')}
          </h3>
          <label className="field-label" htmlFor="team-dispute-decide-for">
            {t('disputes.decideFor')}
          </label>
          <NativeSelect
            id="team-dispute-decide-for"
            data-testid="team-dispute-decide-for"
            placeholder={t('disputes.chooseOutcome')}
            value={forCustomer}
            options={[
              { value: 'customer', label: t('disputes.forCustomer') },
              { value: 'bank', label: t('disputes.forBank') },
            ]}
            onChange={(v) => { setForCustomer(v as '' | 'customer' | 'bank'); }}
          />
          <Checkbox checked={faultProven} onChange={(e) => { setFaultProven(e.target.checked); }}>
            {t('disputes.userFaultProven')}
          </Checkbox>
          <TextStep
            id="team-dispute-findings"
            label={t('disputes.findings')}
            button={t('disputes.decideButton')}
            pending={step.isPending}
            onSubmit={(text) => {
              if (forCustomer !== '')
                step.mutate((version) =>
                  backend.teamDisputeDecide({ ...input(version), forCustomer: forCustomer === 'customer', findings: text, userFaultProven: faultProven }),
                );
            }}
          />
        </section>
      )}
      {d.findings !== null && (
        <p>
          {t('disputes.findings')}：{d.findings}
        </p>
      )}
      <TeamCoreOps dispute={d} onChanged={fresh} />
    </article>
  );
}
