import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { Settings } from '../../bindings/Settings';
import { fieldCode, useErrorText } from '../../shell/errors';
import { PageFrame } from '../../shell/PageFrame';
import { useSessionUpdates } from '../../shell/session';
import { StaffAdmin } from '../staff/StaffAdmin';

const SETTINGS_KEY = ['settings'] as const;

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <PageFrame area="settings" title={t('area.settings')} intro={t('settings.intro')}>
      <GeneralSettings />
      <StaffAdmin />
    </PageFrame>
  );
}

interface GeneralForm {
  idleLockMinutes: number;
  branch: string;
}

function GeneralSettings() {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const updates = useSessionUpdates();
  const errorText = useErrorText();
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: () => backend.settingsGet() });
  // The bounds core enforces, in minutes as the field shows them.
  const ranges = settings.data?.ranges;
  const minMinutes = ranges === undefined ? undefined : Math.ceil(ranges.idleLockMinSecs / 60);
  const maxMinutes = ranges === undefined ? undefined : Math.floor(ranges.idleLockMaxSecs / 60);
  const save = useMutation({
    mutationFn: (input: Settings) => backend.settingsUpdate(input),
    onSuccess: (saved) => {
      client.setQueryData(SETTINGS_KEY, saved);
      void updates.refreshStatus();
    },
  });

  const idleRefused = fieldCode(save.error, 'idleLockSecs') !== null;

  return (
    <section aria-labelledby="settings-general-title" className="panel">
      <h2 id="settings-general-title">{t('settings.general')}</h2>
      {settings.isError && <Alert className="form-alert" type="error" showIcon message={errorText(settings.error)} />}
      {settings.data !== undefined && (
        <Form<GeneralForm>
          name="settings"
          layout="vertical"
          className="narrow-form"
          initialValues={{
            idleLockMinutes: Math.round(settings.data.values.idleLockSecs / 60),
            branch: settings.data.values.branch,
          }}
          onFinish={(values) => {
            save.mutate({ idleLockSecs: values.idleLockMinutes * 60, branch: values.branch.trim() });
          }}
        >
          <Form.Item
            label={t('settings.idleLockMinutes')}
            name="idleLockMinutes"
            extra={t('settings.idleLockRange', { min: minMinutes, max: maxMinutes })}
            rules={[{ required: true, message: t('validation.required') }]}
            validateStatus={idleRefused ? 'error' : undefined}
            help={idleRefused ? t('errors.detail.idle_lock_range', { min: minMinutes, max: maxMinutes }) : undefined}
          >
            <InputNumber
              data-testid="settings-idle-lock"
              aria-invalid={idleRefused}
              min={minMinutes}
              max={maxMinutes}
              precision={0}
              controls={false}
              className="full-width"
            />
          </Form.Item>
          <Form.Item
            label={t('settings.branch')}
            name="branch"
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('settings.save')}
          </Button>
          {save.isSuccess && <Alert className="form-alert" type="success" showIcon message={t('settings.saved')} />}
          {save.isError && <Alert className="form-alert" type="error" showIcon message={errorText(save.error)} />}
        </Form>
      )}
    </section>
  );
}
