import { useTranslation } from 'react-i18next';
import { ComingSoon } from '../../shell/ComingSoon';
import { PageFrame } from '../../shell/PageFrame';

export function DisputesPage() {
  const { t } = useTranslation();
  return (
    <PageFrame area="disputes" title={t('area.disputes')} intro={t('disputes.intro')}>
      <ComingSoon items={[t('disputes.coming1'), t('disputes.coming2')]} />
    </PageFrame>
  );
}
