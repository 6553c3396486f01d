import { QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import type { Backend } from './backend';
import { BackendProvider } from './backend/context';
import { createQueryClient } from './backend/query';
import i18n from './i18n';
import { AppRoot } from './shell/AppRoot';
import { theme } from './theme';

function Themed() {
  const { t, i18n: current } = useTranslation();
  const english = current.language === 'en';
  return (
    <ConfigProvider
      locale={english ? enUS : zhCN}
      theme={theme}
      button={{ autoInsertSpace: false }}
      // antd's own empty state is light grey text (1.8:1, fails WCAG AA): plain text instead.
      renderEmpty={() => <p className="empty-note">{t('common.empty')}</p>}
    >
      <AppRoot />
    </ConfigProvider>
  );
}

export function App({ backend }: { backend: Backend }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <I18nextProvider i18n={i18n}>
      <BackendProvider backend={backend}>
        <QueryClientProvider client={queryClient}>
          <Themed />
        </QueryClientProvider>
      </BackendProvider>
    </I18nextProvider>
  );
}
