import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, List, Modal, Space, Tag } from 'antd';
import { NativeSelect } from '../../components/NativeSelect';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { Lead } from '../../bindings/Lead';
import type { LeadOutcome } from '../../bindings/LeadOutcome';
import { fieldCode, useErrorText, useFieldText } from '../../shell/errors';

const LEADS_KEY = ['booth', 'leads'] as const;

interface LeadValues {
  mobile: string;
  name?: string;
  interest?: string;
  followUpOn?: string;
  contactConsent?: boolean;
}

/**
 * Leads: people who stopped but did not sign up. Core keeps one only with the person's consent
 * to be contacted, sorts the staff member's follow-ups (overdue, due today, later), and deletes
 * those that do not become customers when the retention ends (the date each shows).
 */
export function LeadsPanel({ booth, campaign }: { booth: string; campaign: string }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const fieldText = useFieldText();
  const [form] = Form.useForm<LeadValues>();
  const leads = useQuery({ queryKey: LEADS_KEY, queryFn: () => backend.boothLeads() });
  const take = useMutation({
    mutationFn: (v: LeadValues) =>
      backend.leadTake({
        booth,
        campaign,
        mobile: v.mobile,
        name: v.name ?? '',
        interest: v.interest ?? '',
        contactConsent: v.contactConsent === true,
        followUpOn: v.followUpOn ?? '',
      }),
    onSuccess: async () => {
      form.resetFields();
      await client.invalidateQueries({ queryKey: LEADS_KEY });
    },
  });
  const marked = (field: string) => {
    const code = fieldCode(take.error, field);
    return code === null ? {} : { validateStatus: 'error' as const, help: fieldText(code) };
  };
  const data = leads.data;
  return (
    <Card title={t('booth.leads.title')} data-testid="booth-leads">
      <p>{t('booth.leads.hint')}</p>
      <Form<LeadValues> form={form} layout="vertical" name="booth-lead" onFinish={(v) => { take.mutate(v); }}>
        <Form.Item label={t('booth.mobile')} name="mobile" rules={[{ required: true, whitespace: true, message: t('validation.required') }]} {...marked('mobile')}>
          <Input inputMode="tel" autoComplete="off" maxLength={20} data-testid="booth-lead-mobile" />
        </Form.Item>
        <Form.Item label={t('booth.name')} name="name" {...marked('name')}>
          <Input maxLength={64} data-testid="booth-lead-name" />
        </Form.Item>
        <Form.Item label={t('booth.leads.interest')} name="interest" {...marked('interest')}>
          <Input maxLength={200} data-testid="booth-lead-interest" />
        </Form.Item>
        <Form.Item label={t('booth.leads.followUpOn')} name="followUpOn" extra={t('booth.leads.followUpNote')} {...marked('followUpOn')}>
          <Input placeholder="2026-12-31" inputMode="numeric" maxLength={10} data-testid="booth-lead-follow-up" />
        </Form.Item>
        <Form.Item name="contactConsent" valuePropName="checked" {...marked('contactConsent')}>
          <Checkbox data-testid="booth-lead-consent">{t('booth.leads.consent')}</Checkbox>
        </Form.Item>
        {take.isError && <Alert type="error" showIcon role="alert" className="form-alert" data-testid="booth-lead-error" message={errorText(take.error)} />}
        {take.data !== undefined && (
          <Alert type="success" showIcon role="status" className="form-alert" data-testid="booth-lead-done" message={t('booth.leads.taken', { mobile: take.data.maskedMobile, day: take.data.followUpOn ?? '' })} />
        )}
        <Button htmlType="submit" loading={take.isPending} data-testid="booth-lead-submit">
          {t('booth.leads.take')}
        </Button>
      </Form>
      {data !== undefined && (
        <>
          <LeadGroup title={t('booth.leads.overdue')} leads={data.overdue} testId="booth-leads-overdue" />
          <LeadGroup title={t('booth.leads.dueToday')} leads={data.dueToday} testId="booth-leads-today" />
          <LeadGroup title={t('booth.leads.later')} leads={data.later} testId="booth-leads-later" />
          <p className="field-note" data-testid="booth-leads-retention">{t('booth.leads.retention', { days: data.retentionDays })}</p>
        </>
      )}
    </Card>
  );
}

function LeadGroup({ title, leads, testId }: { title: string; leads: Lead[]; testId: string }) {
  const { t } = useTranslation();
  const [working, setWorking] = useState<Lead | null>(null);
  if (leads.length === 0) return null;
  return (
    <section aria-label={title} data-testid={testId}>
      <h3>{title}</h3>
      <List
        size="small"
        dataSource={leads}
        renderItem={(lead) => (
          <List.Item
            data-testid="booth-lead-row"
            actions={[
              <Button key="work" size="small" onClick={() => { setWorking(lead); }} data-testid="booth-lead-work">
                {t('booth.leads.work')}
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={`${lead.maskedMobile}${lead.name === '' ? '' : ` · ${lead.name}`}`}
              description={
                <Space wrap size="small">
                  {lead.interest !== '' && <span>{lead.interest}</span>}
                  <Tag>{t('booth.leads.followUpTag', { day: lead.followUpOn ?? '' })}</Tag>
                  <Tag>{t(`booth.leads.outcome.${lead.outcome}`)}</Tag>
                  {lead.deletedOn !== null && <span className="field-note">{t('booth.leads.deletedOn', { day: lead.deletedOn })}</span>}
                </Space>
              }
            />
          </List.Item>
        )}
      />
      {working !== null && <WorkLead lead={working} onClose={() => { setWorking(null); }} />}
    </section>
  );
}

interface OutcomeValues {
  outcome: LeadOutcome;
  note?: string;
  followUpOn?: string;
}

/** What came of a follow-up, or the sign-up it became (credited to the lead's booth and staff). */
function WorkLead({ lead, onClose }: { lead: Lead; onClose: () => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [general, setGeneral] = useState(false);
  const [sensitive, setSensitive] = useState(false);
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: LEADS_KEY });
    await client.invalidateQueries({ queryKey: ['booth', 'today'] });
  };
  const outcome = useMutation({
    mutationFn: (v: OutcomeValues) =>
      backend.leadOutcome({ id: lead.id, outcome: v.outcome, note: v.note ?? '', followUpOn: v.followUpOn ?? '' }),
    onSuccess: async () => {
      await refresh();
      onClose();
    },
  });
  const convert = useMutation({
    mutationFn: () =>
      backend.leadConvert({
        id: lead.id,
        consents: [
          { scope: 'general-processing', given: general },
          { scope: 'sensitive-financial', given: sensitive },
        ],
      }),
    onSuccess: async () => {
      await refresh();
      onClose();
    },
  });
  return (
    <Modal open title={t('booth.leads.workTitle', { mobile: lead.maskedMobile })} onCancel={onClose} footer={null} destroyOnHidden>
      <Form<OutcomeValues> layout="vertical" name="booth-lead-outcome" initialValues={{ outcome: 'contacted' }} onFinish={(v) => { outcome.mutate(v); }}>
        <Form.Item label={t('booth.leads.outcomeLabel')} name="outcome">
          <NativeSelect
            data-testid="booth-lead-outcome"
            placeholder={t('booth.leads.outcomeLabel')}
            options={(['contacted', 'not_interested', 'unreachable'] as const).map((o) => ({ value: o, label: t(`booth.leads.outcome.${o}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('booth.leads.nextFollowUp')} name="followUpOn">
          <Input placeholder="2026-12-31" inputMode="numeric" maxLength={10} data-testid="booth-lead-next" />
        </Form.Item>
        <Form.Item label={t('booth.leads.note')} name="note">
          <Input maxLength={200} data-testid="booth-lead-note" />
        </Form.Item>
        {outcome.isError && <Alert type="error" showIcon role="alert" className="form-alert" message={errorText(outcome.error)} />}
        <Button htmlType="submit" loading={outcome.isPending} data-testid="booth-lead-outcome-submit">
          {t('booth.leads.record')}
        </Button>
      </Form>
      <h3>{t('booth.leads.convertTitle')}</h3>
      <Space direction="vertical">
        <Checkbox checked={general} onChange={(e) => { setGeneral(e.target.checked); }} data-testid="booth-lead-convert-general">
          {t('booth.consentGeneral')}
        </Checkbox>
        <Checkbox checked={sensitive} onChange={(e) => { setSensitive(e.target.checked); }} data-testid="booth-lead-convert-sensitive">
          {t('booth.consentSensitive')}
        </Checkbox>
        {convert.isError && <Alert type="error" showIcon role="alert" className="form-alert" message={errorText(convert.error)} />}
        <Button type="primary" loading={convert.isPending} onClick={() => { convert.mutate(); }} data-testid="booth-lead-convert">
          {t('booth.leads.convert')}
        </Button>
      </Space>
    </Modal>
  );
}
