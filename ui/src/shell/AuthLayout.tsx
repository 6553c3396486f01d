import { WalletOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppStatus } from '../bindings/AppStatus';
import { LanguageSwitch } from './LanguageSwitch';
import { MAIN_ID, SkipLink } from './SkipLink';
import { StatusBar } from './StatusBar';
import { TrainingBanner } from './TrainingBanner';

/** Frame of the screens before sign-in: first-run setup and sign-in. */
export function AuthLayout({ status, children }: { status: AppStatus | undefined; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="auth-page">
      <SkipLink />
      <header className="app-header">
        {status?.trainingMode === true && <TrainingBanner />}
        <div className="app-header-bar">
          <span className="app-name">
            <WalletOutlined aria-hidden /> {t('app.name')}
          </span>
          <LanguageSwitch />
        </div>
      </header>
      <main id={MAIN_ID} tabIndex={-1} className="auth-main">
        {children}
      </main>
      {status !== undefined && (
        <footer className="app-footer">
          <StatusBar status={status} />
        </footer>
      )}
    </div>
  );
}
