import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Space } from 'antd';
import { NativeSelect } from '../../components/NativeSelect';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { Attribution } from '../../bindings/Attribution';
import type { QueuedChange } from '../../bindings/QueuedChange';
import { useErrorText } from '../../shell/errors';

interface Props {
  customerId: string;
  current: Attribution | null;
  onClose: (queued?: QueuedChange) => void;
}

interface Values {
  campaign?: string;
  booth?: string;
  staff?: string;
  channel?: string;
  reason?: string;
}

/**
 * A supervisor corrects who won the customer. The choices are the campaigns and booths the core
 * sent; core checks the pair, the channel and the reason, queues the change and audits it.
 */
export function AttributionDialog({ customerId, current, onClose }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const campaign = Form.useWatch('campaign', form) ?? '';
  const catalogue = useQuery({ queryKey: ['booth', 'catalogue'], queryFn: () => backend.boothCatalogue() });
  const boothsOfCampaign = catalogue.data?.campaigns.find((c) => c.code === campaign)?.booths ?? [];
  const change = useMutation({
    mutationFn: (v: Values) =>
      backend.attributionChange({
        customerId,
        campaign: v.campaign ?? '',
        booth: v.booth ?? '',
        staff: (v.staff ?? '').trim(),
        channel: v.channel ?? 'counter',
        reason: v.reason ?? '',
      }),
    onSuccess: async (queued) => {
      await client.invalidateQueries({ queryKey: ['customer', customerId] });
      await client.invalidateQueries({ queryKey: ['sync'] });
      onClose(queued);
    },
  });
  return (
    <Modal open title={t('c360.attributionTitle')} onCancel={() => { onClose(); }} footer={null} destroyOnHidden>
      <p>{t('c360.attributionNote')}</p>
      <Form<Values>
        form={form}
        layout="vertical"
        name="c360-attribution"
        initialValues={{
          campaign: current?.campaign ?? '',
          booth: current?.booth ?? '',
          staff: current?.staff ?? '',
          channel: current?.channel ?? 'counter',
        }}
        onFinish={(v) => { change.mutate(v); }}
      >
        <Form.Item label={t('c360.attributionCampaign')} name="campaign">
          <NativeSelect
            data-testid="c360-attribution-campaign"
            placeholder={t('c360.attributionNone')}
            onChange={() => { form.setFieldValue('booth', ''); }}
            options={(catalogue.data?.campaigns ?? []).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }))}
          />
        </Form.Item>
        <Form.Item label={t('c360.attributionBooth')} name="booth">
          <NativeSelect
            data-testid="c360-attribution-booth"
            placeholder={t('c360.attributionNone')}
            options={boothsOfCampaign.map((b) => ({ value: b, label: b }))}
          />
        </Form.Item>
        <Form.Item label={t('c360.attributionStaff')} name="staff" rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={64} data-testid="c360-attribution-staff" />
        </Form.Item>
        <Form.Item label={t('c360.attributionChannel')} name="channel">
          <NativeSelect
            data-testid="c360-attribution-channel"
            placeholder={t('c360.attributionChannel')}
            options={['booth', 'counter', 'qr'].map((c) => ({ value: c, label: t(`c360.channel.${c}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('c360.attributionReason')} name="reason" rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea rows={2} maxLength={200} data-testid="c360-attribution-reason" />
        </Form.Item>
        {change.isError && (
          <Alert className="form-alert" type="error" showIcon role="alert" data-testid="c360-attribution-error" message={errorText(change.error)} />
        )}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="c360-attribution-submit">
            {t('c360.attributionSubmit')}
          </Button>
          <Button onClick={() => { onClose(); }}>{t('c360.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}
