import { Alert, Button, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PasswordChangePage } from '../features/password/PasswordChangePage';
import { SetupPage } from '../features/setup/SetupPage';
import { SignInPage } from '../features/signin/SignInPage';
import { AppShell } from './AppShell';
import { AuthLayout } from './AuthLayout';
import { useErrorText } from './errors';
import { useAppStatus, useSessionState } from './session';

/**
 * Chooses the screen from the backend's state: setup, sign-in, a required password change, or
 * the app (locked or not).
 */
export function AppRoot() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const status = useAppStatus();
  const session = useSessionState();
  const [setupDone, setSetupDone] = useState(false);

  if (status.data === undefined || session.data === undefined) {
    const failed = status.error ?? session.error;
    return (
      <AuthLayout status={status.data}>
        <div className="auth-card">
          <h1 className="page-title">{t('app.name')}</h1>
          {failed === null ? (
            <Spin tip={t('app.loading')} aria-live="polite">
              <div className="spin-space" />
            </Spin>
          ) : (
            <>
              <Alert
                className="form-alert"
                type="error"
                showIcon
                message={t('app.loadFailed')}
                description={errorText(failed)}
              />
              <Button
                onClick={() => {
                  void status.refetch();
                  void session.refetch();
                }}
              >
                {t('app.retry')}
              </Button>
            </>
          )}
        </div>
      </AuthLayout>
    );
  }

  if (status.data.needsSetup) {
    return (
      <SetupPage
        status={status.data}
        onDone={() => {
          setSetupDone(true);
        }}
      />
    );
  }
  const s = session.data;
  if (s.state === 'signed_out') return <SignInPage status={status.data} setupDone={setupDone} />;
  // The core refuses every other command until the new password is set.
  if (s.state === 'active' && s.session.mustChangePassword) {
    return <PasswordChangePage session={s.session} status={status.data} />;
  }
  return <AppShell session={s.session} status={status.data} locked={s.state === 'locked'} />;
}
