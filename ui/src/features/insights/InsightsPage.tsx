import { useTranslation } from 'react-i18next';
import { ComingSoon } from '../../shell/ComingSoon';
import { PageFrame } from '../../shell/PageFrame';

export function InsightsPage() {
  const { t } = useTranslation();
  return (
    <PageFrame area="insights" title={t('area.insights')} intro={t('insights.intro')}>
      <ComingSoon items={[t('insights.coming1'), t('insights.coming2')]} />
    </PageFrame>
  );
}
