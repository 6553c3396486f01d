import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { AppStatus } from '../../bindings/AppStatus';
import type { SetupAdminInput } from '../../bindings/SetupAdminInput';
import { PasswordField, sameAs } from '../../components/PasswordInput';
import { AuthLayout } from '../../shell/AuthLayout';
import { useErrorText } from '../../shell/errors';
import { useSessionUpdates } from '../../shell/session';

const MIN_PASSWORD = 10;

interface SetupForm extends SetupAdminInput {
  confirm: string;
}

/** First run: create the first administrator, then sign in. */
export function SetupPage({ status, onDone }: { status: AppStatus; onDone: () => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const updates = useSessionUpdates();
  const errorText = useErrorText();
  const setup = useMutation({
    mutationFn: (input: SetupAdminInput) => backend.setupAdmin(input),
    onSuccess: async () => {
      onDone();
      await Promise.all([updates.refreshStatus(), updates.refreshSession()]);
    },
  });

  return (
    <AuthLayout status={status}>
      <Card className="auth-card auth-card-wide">
        <h1 className="page-title">{t('setup.title')}</h1>
        <p>{t('setup.intro')}</p>
        {setup.isError && (
          <Alert className="form-alert" type="error" showIcon data-testid="setup-error" message={errorText(setup.error)} />
        )}
        <Form<SetupForm>
          name="setup"
          layout="vertical"
          onFinish={(v) => {
            setup.mutate({ username: v.username.trim(), displayName: v.displayName.trim(), password: v.password });
          }}
        >
          <Form.Item
            label={t('setup.username')}
            name="username"
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input data-testid="setup-username" autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t('setup.displayName')}
            name="displayName"
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input data-testid="setup-display-name" autoComplete="name" />
          </Form.Item>
          <PasswordField
            label={t('setup.password')}
            name="password"
            extra={t('setup.passwordHint')}
            rules={[{ min: MIN_PASSWORD, message: t('validation.passwordLength') }]}
            testId="setup-password"
            autoComplete="new-password"
          />
          <PasswordField
            label={t('setup.passwordConfirm')}
            name="confirm"
            dependencies={['password']}
            rules={[sameAs(t, 'password')]}
            testId="setup-password-confirm"
            autoComplete="new-password"
          />
          <Button type="primary" htmlType="submit" block data-testid="setup-submit" loading={setup.isPending}>
            {t('setup.submit')}
          </Button>
        </Form>
      </Card>
    </AuthLayout>
  );
}
