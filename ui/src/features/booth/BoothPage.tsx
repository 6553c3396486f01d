import { useTranslation } from 'react-i18next';
import { ComingSoon } from '../../shell/ComingSoon';
import { PageFrame } from '../../shell/PageFrame';

export function BoothPage() {
  const { t } = useTranslation();
  return (
    <PageFrame area="booth" title={t('area.booth')} intro={t('booth.intro')}>
      <ComingSoon items={[t('booth.coming1'), t('booth.coming2'), t('booth.coming3')]} />
    </PageFrame>
  );
}
