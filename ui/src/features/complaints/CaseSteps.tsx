import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { ComplaintDetail } from '../../bindings/ComplaintDetail';
import type { ContactKind } from '../../bindings/ContactKind';
import { NativeSelect } from '../../components/NativeSelect';
import { useErrorText } from '../../shell/errors';
import { CONTACT_KINDS, options } from './shared';

/** A repeat with no new facts: folded into one of the complainant's other open cases (core lists them). */
export function MergeDialog({
  detail,
  updated,
  onClose,
}: {
  detail: ComplaintDetail;
  /** Shows the case the core returned (CaseView's `useCaseUpdated`). */
  updated: (d: ComplaintDetail) => void;
  /** `opened`: the first case, which the merge returns. */
  onClose: (message?: string, opened?: number) => void;
}) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const merge = useMutation({
    mutationFn: (intoId: number) => backend.complaintMergeRepeat({ repeatId: detail.id, intoId }),
    onSuccess: (first) => {
      updated(first);
      onClose(t('complaintDesk.merge.done', { caseNo: first.caseNo }), first.id);
    },
  });
  return (
    <Modal open title={t('complaintDesk.merge.title')} onCancel={() => { onClose(); }} footer={null} destroyOnHidden>
      <p>{t('complaintDesk.merge.hint')}</p>
      {detail.related.length === 0 ? (
        <>
          <p data-testid="complaint-merge-none">{t('complaintDesk.merge.none')}</p>
          <Button data-testid="complaint-merge-cancel" onClick={() => { onClose(); }}>{t('sync.cancel')}</Button>
        </>
      ) : (
        <Form<{ into?: string }>
          name="complaint-merge"
          layout="vertical"
          onFinish={(v) => {
            if (v.into !== undefined && v.into !== '') merge.mutate(Number(v.into));
          }}
        >
          <Form.Item label={t('complaintDesk.merge.into')} name="into" rules={[{ required: true, message: t('validation.required') }]}>
            <NativeSelect
              data-testid="complaint-merge-into"
              placeholder={t('complaints.form.choose')}
              options={detail.related.map((r) => ({
                value: String(r.id),
                label: t('complaintDesk.merge.option', { caseNo: r.caseNo, on: r.receivedOn }),
              }))}
            />
          </Form.Item>
          {merge.isError && <Alert className="form-alert" type="error" showIcon data-testid="complaint-merge-error" message={errorText(merge.error)} />}
          <Space wrap>
            <Button type="primary" htmlType="submit" data-testid="complaint-merge-submit" loading={merge.isPending}>
              {t('complaintDesk.merge.submit')}
            </Button>
            <Button data-testid="complaint-merge-cancel" onClick={() => { onClose(); }}>{t('sync.cancel')}</Button>
          </Space>
        </Form>
      )}
    </Modal>
  );
}

/** Recusal: a staff member with a direct interest (say, the one complained about) is recorded. */
export function InterestDialog({
  detail,
  updated,
  onClose,
}: {
  detail: ComplaintDetail;
  updated: (d: ComplaintDetail) => void;
  onClose: (message?: string) => void;
}) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const required = [{ required: true, whitespace: true, message: t('validation.required') }];
  const declare = useMutation({
    mutationFn: (v: { staffId: number; reason: string }) => backend.complaintDeclareInterest({ caseId: detail.id, ...v }),
    onSuccess: (d) => {
      updated(d);
      onClose(t('complaintDesk.interest.done'));
    },
  });
  return (
    <Modal open title={t('complaintDesk.interest.title')} onCancel={() => { onClose(); }} footer={null} destroyOnHidden>
      <p>{t('complaintDesk.interest.hint')}</p>
      <Form<{ staffId?: string; reason?: string }>
        name="complaint-interest"
        layout="vertical"
        onFinish={(v) => {
          declare.mutate({ staffId: Number((v.staffId ?? '').normalize('NFKC').trim()), reason: (v.reason ?? '').trim() });
        }}
      >
        <Form.Item
          label={t('complaintDesk.interest.staffId')}
          name="staffId"
          rules={[...required, { pattern: /^\s*[0-9０-９]+\s*$/, message: t('complaintDesk.interest.staffIdDigits') }]}
        >
          <Input data-testid="complaint-interest-staff" inputMode="numeric" autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('complaintDesk.interest.reason')} name="reason" rules={required}>
          <Input.TextArea data-testid="complaint-interest-reason" rows={2} />
        </Form.Item>
        {declare.isError && <Alert className="form-alert" type="error" showIcon data-testid="complaint-interest-error" message={errorText(declare.error)} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" data-testid="complaint-interest-submit" loading={declare.isPending}>
            {t('complaintDesk.interest.submit')}
          </Button>
          <Button data-testid="complaint-interest-cancel" onClick={() => { onClose(); }}>{t('sync.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}

/** DOMAIN.md: time on an outside appraisal does not count, and the customer is told. */
export function PauseTold({
  detail,
  mayRecord,
  updated,
  onDone,
}: {
  detail: ComplaintDetail;
  mayRecord: boolean;
  updated: (d: ComplaintDetail) => void;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const [kind, setKind] = useState<ContactKind | ''>('');
  const record = useMutation({
    mutationFn: (how: ContactKind) => backend.complaintPauseTold({ caseId: detail.id, kind: how }),
    onSuccess: (d) => {
      updated(d);
      onDone(t('complaintDesk.pauseTold.done'));
    },
  });
  const pause = [...detail.events].reverse().find((e) => e.kind === 'pause');
  if (pause === undefined) return null;
  if (pause.customerToldAt !== null) {
    return (
      <p data-testid="complaint-pause-told">
        {t('complaintDesk.pauseTold.recorded', {
          at: pause.customerToldAt.slice(0, 10),
          how: t(`complaints.contactKind.${pause.customerToldBy ?? 'call'}`),
        })}
      </p>
    );
  }
  if (!mayRecord) return null;
  return (
    <div className="complaint-pause-told">
      <label htmlFor={`complaint-pause-told-kind-${detail.id}`} className="field-label">
        {t('complaintDesk.pauseTold.how')}
      </label>
      <NativeSelect
        id={`complaint-pause-told-kind-${detail.id}`}
        data-testid="complaint-pause-told-kind"
        placeholder={t('complaints.form.choose')}
        value={kind}
        options={options(t, 'complaints.contactKind', CONTACT_KINDS)}
        onChange={(v) => {
          setKind(v as ContactKind | '');
        }}
      />
      <Button
        data-testid="complaint-pause-told-submit"
        disabled={kind === ''}
        loading={record.isPending}
        onClick={() => {
          if (kind !== '') record.mutate(kind);
        }}
      >
        {t('complaintDesk.pauseTold.record')}
      </Button>
      {record.isError && <Alert className="form-alert" type="error" showIcon message={errorText(record.error)} />}
    </div>
  );
}
