import { CheckCircleOutlined, CloseCircleOutlined, StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AuditOutcome } from '../../bindings/AuditOutcome';

const ICONS = { ok: CheckCircleOutlined, refused: StopOutlined, failed: CloseCircleOutlined } as const;

/** Outcome as icon plus words, never colour alone. */
export function OutcomeTag({ outcome }: { outcome: AuditOutcome }) {
  const { t } = useTranslation();
  const Icon = ICONS[outcome];
  return (
    <span className={`outcome-tag outcome-${outcome}`}>
      <Icon aria-hidden /> {t(`audit.outcomes.${outcome}`)}
    </span>
  );
}
