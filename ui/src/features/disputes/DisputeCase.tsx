import { ArrowLeftOutlined, FilePdfOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Descriptions, Input, Space, Table } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { DisputeDeadlines } from '../../bindings/DisputeDeadlines';
import type { DisputeDetail } from '../../bindings/DisputeDetail';
import type { DisputeLetterKind } from '../../bindings/DisputeLetterKind';
import type { EvidenceKind } from '../../bindings/EvidenceKind';
import { NativeSelect } from '../../components/NativeSelect';
import { useErrorText } from '../../shell/errors';
import { formatMoney } from '../../shell/money';
import { ClockText, download, labelledTable } from '../complaints/shared';
import { DISPUTES_KEY, EVIDENCE_KINDS, reasonText } from './shared';

const detailKey = (id: number) => [...DISPUTES_KEY, 'case', id] as const;

/** One step's form: a labelled text area and a button; core decides, the error says why. */
export function TextStep({
  id,
  label,
  button,
  onSubmit,
  pending,
}: {
  id: string;
  label: string;
  button: string;
  onSubmit: (text: string) => void;
  pending: boolean;
}) {
  const [text, setText] = useState('');
  return (
    <div className="dispute-step">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <Input.TextArea id={id} data-testid={id} rows={2} value={text} onChange={(e) => { setText(e.target.value); }} />
      <Button data-testid={`${id}-submit`} disabled={text.trim() === ''} loading={pending} onClick={() => { onSubmit(text); }}>
        {button}
      </Button>
    </div>
  );
}

/** The deadlines core worked out for a dispute, those that apply under its rule set. */
export function Deadlines({ deadlines: dl }: { deadlines: DisputeDeadlines }) {
  const { t } = useTranslation();
  const deadlines: [string, ReactNode][] = [
    ['actBy', dl.actBy],
    ['reportBy', dl.reportBy],
    ['investigateBy', dl.investigateBy],
    ['provisionalCreditBy', dl.provisionalCreditBy],
    ['tellCreditBy', dl.tellCreditBy],
    ['extendedBy', dl.extendedBy],
    ['chargebackBy', dl.chargebackBy],
  ];
  return (
    <>
      <h3 className="section-heading">{t('disputes.deadlines')}</h3>
      <ul className="dispute-deadlines">
        {deadlines
          .filter(([, v]) => v !== null)
          .map(([k, v]) => (
            <li key={k}>
              {t(`disputes.deadline.${k}`)}：{v}
            </li>
          ))}
        {dl.reportedInTime === false && <li>{t('disputes.reportedLate')}</li>}
      </ul>
    </>
  );
}

/** A dispute: its clock and deadlines, evidence and files, the credit, the decision, letters. */
export function DisputeCase({ disputeId, onBack }: { disputeId: number; onBack: () => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const client = useQueryClient();
  const detail = useQuery({ queryKey: detailKey(disputeId), queryFn: () => backend.disputeGet(disputeId) });
  const [kind, setKind] = useState<EvidenceKind | ''>('');
  const [forCustomer, setForCustomer] = useState<'' | 'customer' | 'bank'>('');
  const [faultProven, setFaultProven] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const step = useMutation({
    mutationFn: (run: () => Promise<DisputeDetail>) => run(),
    onSuccess: (d) => {
      client.setQueryData(detailKey(disputeId), d);
      void client.invalidateQueries({ queryKey: DISPUTES_KEY });
    },
  });
  const letter = useMutation({
    mutationFn: (k: DisputeLetterKind) => backend.disputeLetter({ disputeId, kind: k }),
    onSuccess: (file) => {
      download(file.fileName, file.contentType, new Uint8Array(file.bytes));
    },
  });
  if (detail.isPending) return <p>{t('app.loading')}</p>;
  if (detail.isError) return <Alert type="error" showIcon message={errorText(detail.error)} />;
  const d = detail.data;
  const attach = (file: File | undefined) => {
    setFileError(null);
    if (file === undefined || kind === '') return;
    void file.arrayBuffer().then((buffer) => {
      step.mutate(() =>
        backend.disputeAttach({
          disputeId,
          kind,
          description: file.name,
          fileName: file.name,
          bytes: Array.from(new Uint8Array(buffer)),
        }),
      );
    });
  };
  return (
    <article aria-labelledby="dispute-case-title" data-testid="dispute-case">
      <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={onBack}>
        {t('disputes.back')}
      </Button>
      <h2 id="dispute-case-title">
        {t('disputes.caseTitle', { caseNo: d.caseNo })} <ClockText clock={d.clock} testId="dispute-clock" />
      </h2>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('disputes.field.transaction')}>{d.transactionId}</Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.amount')}>{formatMoney(d.amount)}</Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.counterparty')}>{d.counterparty}</Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.transactionOn')}>{d.transactionOn}</Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.reason')}>{reasonText(t, d.reason)}</Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.policy')}>{t(`disputes.policy.${d.policy.set}`)}</Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.status')}>
          <span data-testid="dispute-status">{t(`disputes.status.${d.status}`)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('disputes.field.dueOn')}>{d.dueOn}</Descriptions.Item>
      </Descriptions>
      <Deadlines deadlines={d.deadlines} />
      {step.isError && <Alert className="form-alert" type="error" showIcon message={errorText(step.error)} />}
      {fileError !== null && <Alert className="form-alert" type="error" showIcon message={fileError} />}

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
      {d.attachments.length > 0 && (
        <ul className="dispute-files" data-testid="dispute-files">
          {d.attachments.map((a) => (
            <li key={a.id}>
              <PaperClipOutlined aria-hidden /> {a.fileName} ({a.mediaType}, {a.sizeBytes} B, {t('disputes.addedBy', { who: a.addedBy })}){' '}
              <code>{a.sha256.slice(0, 12)}</code>
            </li>
          ))}
        </ul>
      )}
      {d.steps.addEvidence && (
        <>
          <label className="field-label" htmlFor="dispute-evidence-kind">
            {t('disputes.evidenceKindLabel')}
          </label>
          <NativeSelect
            id="dispute-evidence-kind"
            data-testid="dispute-evidence-kind"
            placeholder={t('disputes.chooseKind')}
            value={kind}
            options={EVIDENCE_KINDS.map((k) => ({ value: k, label: t(`disputes.evidenceKind.${k}`) }))}
            onChange={(v) => { setKind(v as EvidenceKind | ''); }}
          />
          <TextStep
            id="dispute-evidence-text"
            label={t('disputes.evidenceText')}
            button={t('disputes.addEvidence')}
            pending={step.isPending}
            onSubmit={(text) => {
              if (kind !== '') step.mutate(() => backend.disputeAddEvidence({ disputeId, kind, description: text }));
            }}
          />
          <label className="field-label" htmlFor="dispute-file">
            {t('disputes.attachFile')}
          </label>
          <input
            id="dispute-file"
            className="dispute-file-input"
            data-testid="dispute-file"
            type="file"
            disabled={kind === ''}
            accept=".pdf,.png,.jpg,.jpeg,.webp"
            onChange={(e) => {
              attach(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </>
      )}

      <h3 className="section-heading">{t('disputes.credit')}</h3>
      <ul>
        {d.proposals.map((p) => (
          <li key={p.id} data-testid={`dispute-proposal-${p.status}`}>
            {t(`disputes.proposal.${p.status}`, { by: p.proposedBy, checker: p.decidedBy ?? '' })}：{p.note}
          </li>
        ))}
        {d.moneySteps.map((m, i) => (
          <li key={i} data-testid={`dispute-money-${m.kind}`}>
            {t(`disputes.money.${m.kind.replace('dispute.', '')}`)}：{t(`sync.state.${m.state}`, { defaultValue: m.state })}
            {m.advice !== null && <Alert className="form-alert" type="warning" showIcon message={t(`disputes.advice.${m.advice}`)} />}
          </li>
        ))}
      </ul>
      {d.steps.proposeCredit && (
        <TextStep
          id="dispute-propose"
          label={t('disputes.proposeLabel')}
          button={t('disputes.propose')}
          pending={step.isPending}
          onSubmit={(text) => { step.mutate(() => backend.disputeProposeCredit({ disputeId, text })); }}
        />
      )}
      <Space wrap>
        {d.steps.recordTold && (
          <Button data-testid="dispute-told" onClick={() => { step.mutate(() => backend.disputeCustomerTold(disputeId)); }}>
            {t('disputes.told')}
          </Button>
        )}
        {d.steps.extend && (
          <Button data-testid="dispute-extend" onClick={() => { step.mutate(() => backend.disputeExtend(disputeId)); }}>
            {t('disputes.extend')}
          </Button>
        )}
        {d.steps.chargeback && (
          <Button data-testid="dispute-chargeback" onClick={() => { step.mutate(() => backend.disputeChargeback(disputeId)); }}>
            {t('disputes.chargeback')}
          </Button>
        )}
        {d.creditOn !== null && (
          <Button data-testid="dispute-letter-credit" icon={<FilePdfOutlined aria-hidden />} loading={letter.isPending} onClick={() => { letter.mutate('creditNotice'); }}>
            {t('disputes.letter.creditNotice')}
          </Button>
        )}
        {d.decidedOn !== null && (
          <Button data-testid="dispute-letter-decision" icon={<FilePdfOutlined aria-hidden />} loading={letter.isPending} onClick={() => { letter.mutate('decision'); }}>
            {t('disputes.letter.decision')}
          </Button>
        )}
      </Space>
      {letter.isError && <Alert className="form-alert" type="error" showIcon message={errorText(letter.error)} />}
      {letter.isSuccess && <p role="status" data-testid="dispute-letter-made">{t('disputes.letter.made')}</p>}

      {d.steps.decide && (
        <section aria-labelledby="dispute-decide-title">
          <h3 id="dispute-decide-title" className="section-heading">
            {t('disputes.decide')}
          </h3>
          <label className="field-label" htmlFor="dispute-decide-for">
            {t('disputes.decideFor')}
          </label>
          <NativeSelect
            id="dispute-decide-for"
            data-testid="dispute-decide-for"
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
            id="dispute-findings"
            label={t('disputes.findings')}
            button={t('disputes.decideButton')}
            pending={step.isPending}
            onSubmit={(text) => {
              if (forCustomer !== '')
                step.mutate(() =>
                  backend.disputeDecide({ disputeId, forCustomer: forCustomer === 'customer', findings: text, userFaultProven: faultProven }),
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
    </article>
  );
}
