import { DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Form, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { Channel } from '../../bindings/Channel';
import type { ComplaintDetail } from '../../bindings/ComplaintDetail';
import type { CounterIntake } from '../../bindings/CounterIntake';
import type { NewComplaintInput } from '../../bindings/NewComplaintInput';
import type { Severity } from '../../bindings/Severity';
import { NativeSelect } from '../../components/NativeSelect';
import { toApiError } from '../../backend/errors';
import { useErrorText, useFieldText } from '../../shell/errors';
import { useDesk } from './desk';
import { KnowledgeLink } from '../knowledge/KnowledgeLink';
import { CHANNELS, COMPLAINTS_KEY, SEVERITIES, categoryOptions, options, useMe } from './shared';

export const DRAFT_KEY = 'walletdesk.complaintDraft';

type IntakeResult = { kind: 'desk'; detail: ComplaintDetail } | { kind: 'team'; intake: CounterIntake };

interface IntakeValues {
  channel?: Channel | '';
  notCustomer?: boolean;
  customerId?: string;
  name?: string;
  contact?: string;
  product?: string;
  categoryId?: string;
  whatHappened?: string;
  customerAsks?: string;
  severity?: Severity | '';
  representatives?: { name?: string; contact?: string }[];
}

/**
 * The draft kept between visits: contact details are left out, and so is the customer number
 * (staff sometimes type an ID or mobile number there, and identity numbers never sit in local
 * storage; core refuses one as a customer number, so the screen need not recognise it).
 */
function saveDraft(values: IntakeValues): void {
  const rest: IntakeValues = { ...values };
  delete rest.contact;
  delete rest.customerId;
  const representatives = values.representatives;
  const draft: IntakeValues = { ...rest, representatives: (representatives ?? []).map((r) => ({ name: r.name ?? '' })) };
  try {
    window.localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    // A full or disabled storage only loses the draft.
  }
}

function loadDraft(): IntakeValues {
  try {
    const raw = window.localStorage.getItem(DRAFT_KEY);
    if (raw === null) return {};
    const parsed = JSON.parse(raw) as IntakeValues | null;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

function clearDraft(): void {
  window.localStorage.removeItem(DRAFT_KEY);
}

function toInput(v: IntakeValues, team: string): NewComplaintInput {
  return {
    channel: (v.channel ?? 'counter') as Channel,
    complainant: v.notCustomer
      ? { kind: 'notACustomer', name: (v.name ?? '').trim(), contact: (v.contact ?? '').trim() }
      : { kind: 'customer', customerId: (v.customerId ?? '').trim() },
    product: (v.product ?? '').trim(),
    categoryId: Number(v.categoryId),
    whatHappened: (v.whatHappened ?? '').trim(),
    customerAsks: (v.customerAsks ?? '').trim(),
    severity: (v.severity ?? 'medium') as Severity,
    receivedOn: null,
    team,
    representatives: (v.representatives ?? []).map((r) => ({ name: (r.name ?? '').trim(), contact: (r.contact ?? '').trim() })),
    interestedStaffIds: [],
    linkedId: null,
  };
}

/** The inputs core's refusals may name (the intake's field names are the form's). */
const FORM_FIELDS = ['customerId', 'name', 'contact', 'product', 'categoryId', 'whatHappened', 'customerAsks'] as const;
type FormField = (typeof FORM_FIELDS)[number];

const BLANK: IntakeValues = {
  channel: 'counter',
  notCustomer: false,
  customerId: '',
  name: '',
  contact: '',
  product: '',
  categoryId: '',
  whatHappened: '',
  customerAsks: '',
  severity: 'medium',
  representatives: [],
};

/** Where a logged complaint goes: this console's own desk, or the team queue (team mode). */
export type IntakeTarget =
  | { kind: 'desk'; onCreated: (detail: ComplaintDetail) => void }
  | { kind: 'team'; team: string; onLogged: (intake: CounterIntake) => void };

interface Props {
  target: IntakeTarget;
  /** Absent: no cancel button (the counter's form stays). */
  onCancel?: () => void;
}

export function IntakeForm({ target, onCancel }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const me = useMe();
  const [form] = Form.useForm<IntakeValues>();
  const fieldText = useFieldText();
  // The supervisor's figure from core (which refuses a larger group anyway); until it arrives,
  // no cap is shown rather than a guessed one.
  const maxRepresentatives = useDesk()?.settings.maxRepresentatives;
  const repsFull = (n: number) => maxRepresentatives !== undefined && n >= maxRepresentatives;
  const notCustomer = Form.useWatch('notCustomer', form) ?? false;
  const categories = useQuery({
    queryKey: [...COMPLAINTS_KEY, 'categories'],
    queryFn: () => backend.complaintCategories(),
    staleTime: 5 * 60_000,
  });
  const register = useMutation({
    mutationFn: async (input: NewComplaintInput): Promise<IntakeResult> =>
      target.kind === 'team'
        ? { kind: 'team', intake: await backend.teamRegister(input) }
        : { kind: 'desk', detail: await backend.complaintRegister(input) },
    onError: (err) => {
      // Core names the fields it refused: each is marked where it is typed.
      const refused = toApiError(err).fields.filter((f) => FORM_FIELDS.some((n) => n === f.field));
      form.setFields(refused.map((f) => ({ name: f.field as FormField, errors: [fieldText(f.code)] })));
    },
    onSuccess: (result) => {
      clearDraft();
      void client.invalidateQueries({ queryKey: COMPLAINTS_KEY });
      if (result.kind === 'team' && target.kind === 'team') {
        form.resetFields();
        target.onLogged(result.intake);
      } else if (result.kind === 'desk' && target.kind === 'desk') {
        target.onCreated(result.detail);
      }
    },
  });
  const required = [{ required: true, whitespace: true, message: t('validation.required') }];

  return (
    <section aria-labelledby="complaint-form-title" className="panel">
      <h2 id="complaint-form-title">{t('complaints.form.title')}</h2>
      <p>{t('complaints.form.hint')}</p>
      <Form<IntakeValues>
        form={form}
        name="complaint-form"
        layout="vertical"
        initialValues={{ ...BLANK, ...loadDraft() }}
        onValuesChange={(_, all) => {
          saveDraft(all);
        }}
        onFinish={(values) => {
          register.mutate(toInput(values, target.kind === 'team' ? target.team : me.branch));
        }}
      >
        <Form.Item label={t('complaints.form.channel')} name="channel" rules={required}>
          <NativeSelect
            data-testid="complaint-form-channel"
            placeholder={t('complaints.form.choose')}
            options={options(t, 'complaints.channel', CHANNELS)}
          />
        </Form.Item>
        <Form.Item name="notCustomer" valuePropName="checked">
          <Checkbox data-testid="complaint-form-not-customer">{t('complaints.form.notCustomer')}</Checkbox>
        </Form.Item>
        {!notCustomer ? (
          <Form.Item
            label={t('complaints.form.customerId')}
            name="customerId"
            rules={required}
            extra={t('complaints.form.customerIdHint')}
          >
            <Input data-testid="complaint-form-customer-id" autoComplete="off" />
          </Form.Item>
        ) : (
          <>
            <Form.Item label={t('complaints.form.name')} name="name" rules={required}>
              <Input data-testid="complaint-form-name" autoComplete="off" />
            </Form.Item>
            <Form.Item label={t('complaints.form.contact')} name="contact" rules={required}>
              <Input data-testid="complaint-form-contact" autoComplete="off" />
            </Form.Item>
          </>
        )}
        <Form.Item label={t('complaints.form.product')} name="product" rules={required}>
          <Input data-testid="complaint-form-product" autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('complaints.form.category')} name="categoryId" rules={required}>
          <NativeSelect
            data-testid="complaint-form-category"
            placeholder={t('complaints.form.choose')}
            options={categoryOptions(categories.data ?? [])}
          />
        </Form.Item>
        <p>
          <KnowledgeLink category="complaints" query="" label={t('knowledge.links.complaints')} testId="kb-link-complaints" />
        </p>
        {categories.isError && (
          <Alert className="form-alert" type="error" showIcon message={errorText(categories.error)} />
        )}
        <Form.Item label={t('complaints.form.whatHappened')} name="whatHappened" rules={required}>
          <Input.TextArea data-testid="complaint-form-what-happened" rows={4} />
        </Form.Item>
        <Form.Item label={t('complaints.form.customerAsks')} name="customerAsks" rules={required}>
          <Input.TextArea data-testid="complaint-form-customer-asks" rows={2} />
        </Form.Item>
        <Form.Item label={t('complaints.form.severity')} name="severity" rules={required}>
          <NativeSelect
            data-testid="complaint-form-severity"
            placeholder={t('complaints.form.choose')}
            options={options(t, 'complaints.severity', SEVERITIES)}
          />
        </Form.Item>
        <fieldset className="complaint-reps">
          <legend>{t('complaints.form.representatives', { max: maxRepresentatives ?? '…' })}</legend>
          <Form.List name="representatives">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => (
                  <Space key={field.key} align="start" wrap>
                    <Form.Item
                      label={t('complaints.form.repName', { n: i + 1 })}
                      name={[field.name, 'name']}
                      rules={required}
                    >
                      <Input data-testid={`complaint-form-rep-name-${i}`} autoComplete="off" />
                    </Form.Item>
                    <Form.Item
                      label={t('complaints.form.repContact', { n: i + 1 })}
                      name={[field.name, 'contact']}
                      rules={required}
                    >
                      <Input data-testid={`complaint-form-rep-contact-${i}`} autoComplete="off" />
                    </Form.Item>
                    <Button
                      className="complaint-rep-remove"
                      data-testid={`complaint-form-rep-remove-${i}`}
                      icon={<DeleteOutlined aria-hidden />}
                      aria-label={t('complaints.form.repRemove', { n: i + 1 })}
                      onClick={() => {
                        remove(field.name);
                      }}
                    />
                  </Space>
                ))}
                <Button
                  data-testid="complaint-form-rep-add"
                  icon={<PlusOutlined aria-hidden />}
                  disabled={repsFull(fields.length)}
                  onClick={() => {
                    add({ name: '', contact: '' });
                  }}
                >
                  {repsFull(fields.length)
                    ? t('complaints.form.repFull', { max: maxRepresentatives })
                    : t('complaints.form.repAdd')}
                </Button>
              </>
            )}
          </Form.List>
        </fieldset>
        {register.isError && (
          <Alert
            className="form-alert"
            type="error"
            showIcon
            data-testid="complaint-form-error"
            message={errorText(register.error)}
          />
        )}
        <Space wrap>
          <Button
            type="primary"
            htmlType="submit"
            data-testid="complaint-form-submit"
            icon={<SaveOutlined aria-hidden />}
            loading={register.isPending}
          >
            {t('complaints.form.submit')}
          </Button>
          {onCancel !== undefined && (
            <Button data-testid="complaint-form-cancel" onClick={onCancel}>
              {t('complaints.form.back')}
            </Button>
          )}
          <Button
            data-testid="complaint-form-clear"
            onClick={() => {
              clearDraft();
              // Not resetFields: that would bring back the draft the form started from.
              form.setFieldsValue({ ...BLANK });
              register.reset();
            }}
          >
            {t('complaints.form.clear')}
          </Button>
        </Space>
      </Form>
    </section>
  );
}
