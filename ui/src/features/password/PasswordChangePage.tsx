import { KeyOutlined, LogoutOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { AppStatus } from '../../bindings/AppStatus';
import type { PasswordChangeInput } from '../../bindings/PasswordChangeInput';
import type { StaffSession } from '../../bindings/StaffSession';
import { PasswordField, sameAs } from '../../components/PasswordInput';
import { AuthLayout } from '../../shell/AuthLayout';
import { useErrorText } from '../../shell/errors';
import { useSessionUpdates, useSignOut } from '../../shell/session';

interface ChangeForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/**
 * Shown instead of the app while an administrator's "set a new password" stands: the core
 * refuses every other command until the change is made, so there is nothing else to show.
 */
export function PasswordChangePage({ session, status }: { session: StaffSession; status: AppStatus }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const updates = useSessionUpdates();
  const errorText = useErrorText();
  const signOut = useSignOut();
  const [form] = Form.useForm<ChangeForm>();
  const change = useMutation({
    mutationFn: (input: PasswordChangeInput) => backend.passwordChange(input),
    onSuccess: (next) => {
      updates.setActive(next);
    },
    onError: () => {
      form.setFieldValue('currentPassword', '');
    },
  });

  return (
    <AuthLayout status={status}>
      <Card className="auth-card" data-testid="password-change">
        <h1 className="page-title">
          <KeyOutlined aria-hidden /> {t('passwordChange.title')}
        </h1>
        <p>{t('passwordChange.intro', { name: session.displayName })}</p>
        {change.isError && (
          <Alert
            className="form-alert"
            type="error"
            showIcon
            data-testid="password-change-error"
            message={errorText(change.error)}
          />
        )}
        <Form<ChangeForm>
          form={form}
          name="password-change"
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => {
            change.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword });
          }}
        >
          <PasswordField
            label={t('passwordChange.current')}
            name="currentPassword"
            testId="password-current"
            autoComplete="current-password"
            autoFocus
          />
          <PasswordField
            label={t('passwordChange.new')}
            name="newPassword"
            extra={t('passwordChange.hint')}
            testId="password-new"
            autoComplete="new-password"
          />
          <PasswordField
            label={t('passwordChange.confirm')}
            name="confirm"
            dependencies={['newPassword']}
            rules={[sameAs(t, 'newPassword')]}
            testId="password-confirm"
            autoComplete="new-password"
          />
          <Button type="primary" htmlType="submit" block data-testid="password-submit" loading={change.isPending}>
            {t('passwordChange.submit')}
          </Button>
          <Button
            className="lock-sign-out"
            icon={<LogoutOutlined aria-hidden />}
            block
            onClick={() => {
              signOut.mutate();
            }}
          >
            {t('passwordChange.signOut')}
          </Button>
        </Form>
      </Card>
    </AuthLayout>
  );
}
