import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloudUploadOutlined,
  ExclamationCircleOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../bindings/SyncStatus';

interface Props {
  sync: SyncStatus;
  /** Test id prefix: `status-sync` in the status bar, `sync-count` on the Sync page. */
  testIdPrefix: string;
}

/**
 * The outbox counters as words plus icon, never colour alone. Retrying and needing attention
 * stand out as antd warning / error tags, whose theme colours are AA-checked (see theme.ts).
 */
export function SyncCounters({ sync, testIdPrefix }: Props) {
  const { t, i18n } = useTranslation();
  const timeFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const last = sync.lastSyncedAt;
  return (
    <>
      <span data-testid={`${testIdPrefix}-queued`} className="status-item">
        <CloudUploadOutlined aria-hidden /> {t('status.syncQueued', { count: sync.queued })}
      </span>
      {sync.failing > 0 ? (
        <Tag
          data-testid={`${testIdPrefix}-failing`}
          color="warning"
          icon={<SyncOutlined aria-hidden />}
          className="status-item sync-tag"
        >
          {t('status.syncFailing', { count: sync.failing })}
        </Tag>
      ) : (
        <span data-testid={`${testIdPrefix}-failing`} className="status-item">
          <SyncOutlined aria-hidden /> {t('status.syncFailing', { count: sync.failing })}
        </span>
      )}
      {sync.attention > 0 ? (
        <Tag
          data-testid={`${testIdPrefix}-attention`}
          color="error"
          icon={<ExclamationCircleOutlined aria-hidden />}
          className="status-item sync-tag sync-tag-attention"
        >
          {t('status.syncAttention', { count: sync.attention })}
        </Tag>
      ) : (
        <span data-testid={`${testIdPrefix}-attention`} className="status-item">
          <CheckCircleOutlined aria-hidden /> {t('status.syncAttention', { count: sync.attention })}
        </span>
      )}
      <span data-testid={`${testIdPrefix}-last`} className="status-item">
        <ClockCircleOutlined aria-hidden />{' '}
        {last === null ? (
          t('status.syncNever')
        ) : (
          <time dateTime={last}>{t('status.syncLast', { time: timeFormat.format(new Date(last)) })}</time>
        )}
      </span>
    </>
  );
}
