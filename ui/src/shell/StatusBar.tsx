import { ApartmentOutlined, CheckCircleOutlined, DisconnectOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AppStatus } from '../bindings/AppStatus';
import type { StaffSession } from '../bindings/StaffSession';
import { SyncCounters } from '../features/sync/SyncCounters';

interface Props {
  status: AppStatus;
  session?: StaffSession | undefined;
}

/**
 * Bottom bar: who is signed in, where, whether the core system answers and what is waiting to
 * sync (text and icon).
 */
export function StatusBar({ status, session }: Props) {
  const { t } = useTranslation();
  const core = status.core;
  const coreText = core.tokenRefused
    ? t('status.coreTokenRefused')
    : !core.connected
      ? t('status.coreDown')
      : core.identity === null
      ? t('status.coreConnected')
      : t('status.coreConnectedAs', { name: core.identity.name, instance: core.identity.instance });
  return (
    <div className="status-bar">
      {session !== undefined && (
        <span data-testid="status-staff" className="status-item">
          <UserOutlined aria-hidden />{' '}
          {t('status.staff', { name: session.displayName, role: t(`role.${session.role}`) })}
        </span>
      )}
      <span data-testid="status-branch" className="status-item">
        <ApartmentOutlined aria-hidden /> {t('status.branch', { branch: status.branch })}
      </span>
      <span
        data-testid="status-core"
        role="status"
        className={core.connected ? 'status-item core-up' : 'status-item core-down'}
      >
        {core.connected ? <CheckCircleOutlined aria-hidden /> : <DisconnectOutlined aria-hidden />} {coreText}
      </span>
      <SyncCounters sync={status.sync} testIdPrefix="status-sync" />
      <span className="status-item status-version">{t('app.version', { version: status.version })}</span>
    </div>
  );
}
