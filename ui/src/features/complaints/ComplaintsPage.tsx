import { useTranslation } from 'react-i18next';
import { ComingSoon } from '../../shell/ComingSoon';
import { PageFrame } from '../../shell/PageFrame';

export function ComplaintsPage() {
  const { t } = useTranslation();
  return (
    <PageFrame area="complaints" title={t('area.complaints')} intro={t('complaints.intro')}>
      <ComingSoon items={[t('complaints.coming1'), t('complaints.coming2'), t('complaints.coming3')]} />
    </PageFrame>
  );
}
