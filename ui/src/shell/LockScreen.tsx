import { LockOutlined, LogoutOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../backend/context';
import { PasswordField } from '../components/PasswordInput';
import type { StaffSession } from '../bindings/StaffSession';
import { useErrorText } from './errors';
import { useSessionUpdates, useSignOut } from './session';

interface UnlockForm {
  password: string;
}

/**
 * Full-screen lock. The app underneath stays mounted (hidden and inert), so unsaved
 * text is still there after unlocking.
 */
export function LockScreen({ session }: { session: StaffSession }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const updates = useSessionUpdates();
  const errorText = useErrorText();
  const signOut = useSignOut();
  const [form] = Form.useForm<UnlockForm>();
  const unlock = useMutation({
    mutationFn: (password: string) => backend.unlock({ password }),
    onSuccess: (unlocked) => {
      updates.setActive(unlocked);
    },
    onError: () => {
      form.setFieldValue('password', '');
    },
  });

  return (
    <main className="lock-screen" data-testid="lock-screen" aria-labelledby="lock-title">
      <Card className="auth-card">
        <h1 id="lock-title" className="page-title">
          <LockOutlined aria-hidden /> {t('lock.title')}
        </h1>
        <p>{t('lock.intro', { name: session.displayName })}</p>
        {unlock.isError && (
          <Alert
            className="form-alert"
            type="error"
            showIcon
            data-testid="unlock-error"
            message={errorText(unlock.error)}
          />
        )}
        <Form<UnlockForm>
          form={form}
          name="unlock"
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => {
            unlock.mutate(values.password);
          }}
        >
          <PasswordField
            label={t('lock.password')}
            name="password"
            testId="unlock-password"
            autoComplete="current-password"
            autoFocus
          />
          <Button type="primary" htmlType="submit" block data-testid="unlock-submit" loading={unlock.isPending}>
            {t('lock.submit')}
          </Button>
          <Button
            className="lock-sign-out"
            icon={<LogoutOutlined aria-hidden />}
            block
            onClick={() => {
              signOut.mutate();
            }}
          >
            {t('lock.signOut')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
