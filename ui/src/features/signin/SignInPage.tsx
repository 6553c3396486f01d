import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { AppStatus } from '../../bindings/AppStatus';
import type { SignInInput } from '../../bindings/SignInInput';
import { PasswordField } from '../../components/PasswordInput';
import { AuthLayout } from '../../shell/AuthLayout';
import { useErrorText } from '../../shell/errors';
import { useSessionUpdates } from '../../shell/session';

export function SignInPage({ status, setupDone }: { status: AppStatus; setupDone: boolean }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const updates = useSessionUpdates();
  const errorText = useErrorText();
  const [form] = Form.useForm<SignInInput>();
  const signIn = useMutation({
    mutationFn: (input: SignInInput) => backend.signIn(input),
    onSuccess: (session) => {
      updates.setActive(session);
      void updates.refreshStatus();
    },
    onError: () => {
      form.setFieldValue('password', '');
    },
  });

  return (
    <AuthLayout status={status}>
      <Card className="auth-card">
        <h1 className="page-title">{t('signin.title')}</h1>
        <p>{t('signin.intro')}</p>
        {setupDone && !signIn.isError && (
          <Alert className="form-alert" type="success" showIcon message={t('setup.done')} />
        )}
        {signIn.isError && (
          <Alert
            className="form-alert"
            type="error"
            showIcon
            data-testid="signin-error"
            message={errorText(signIn.error)}
          />
        )}
        <Form<SignInInput>
          form={form}
          name="signin"
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => {
            signIn.mutate({ username: v.username.trim(), password: v.password });
          }}
        >
          <Form.Item
            label={t('signin.username')}
            name="username"
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input data-testid="signin-username" autoComplete="username" autoFocus />
          </Form.Item>
          <PasswordField
            label={t('signin.password')}
            name="password"
            testId="signin-password"
            autoComplete="current-password"
          />
          <Button type="primary" htmlType="submit" block data-testid="signin-submit" loading={signIn.isPending}>
            {t('signin.submit')}
          </Button>
        </Form>
      </Card>
    </AuthLayout>
  );
}
