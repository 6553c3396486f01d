import { SearchOutlined } from '@ant-design/icons';
import { Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ComingSoon } from '../../shell/ComingSoon';
import { PageFrame } from '../../shell/PageFrame';

export function CustomersPage() {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  return (
    <PageFrame area="customers" title={t('area.customers')} intro={t('customers.intro')}>
      <div className="field" role="search">
        <label htmlFor="customer-search-input" className="field-label">
          {t('customers.searchLabel')}
        </label>
        <Input
          id="customer-search-input"
          data-testid="customer-search"
          prefix={<SearchOutlined aria-hidden />}
          placeholder={t('customers.searchPlaceholder')}
          aria-describedby="customer-search-note"
          autoComplete="off"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
          }}
        />
        <p id="customer-search-note" className="field-note">
          {t('customers.searchNote')}
        </p>
      </div>
      <ComingSoon items={[t('customers.coming1'), t('customers.coming2'), t('customers.coming3')]} />
    </PageFrame>
  );
}
