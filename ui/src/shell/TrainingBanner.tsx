import { ExperimentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export function TrainingBanner() {
  const { t } = useTranslation();
  return (
    <div className="training-banner" data-testid="training-banner">
      <ExperimentOutlined aria-hidden /> <strong>{t('status.training')}</strong>
    </div>
  );
}
