import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n';

/** Toggles zh-CN / en; its text is the other language's own name. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const next: Language = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <Button
      data-testid="lang-switch"
      icon={<GlobalOutlined aria-hidden />}
      onClick={() => {
        void setLanguage(next);
      }}
    >
      <span lang={next}>{t('lang.switchTo')}</span>
    </Button>
  );
}
