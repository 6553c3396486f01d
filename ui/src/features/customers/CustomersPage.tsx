import { IdcardOutlined, MobileOutlined, SearchOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Input, List } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { useErrorText } from '../../shell/errors';
import { PageFrame } from '../../shell/PageFrame';

/** Results follow the typing, but not every keystroke: a short pause first. */
const SEARCH_DELAY_MS = 150;

export function CustomersPage() {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const [query, setQuery] = useState('');
  const [settled, setSettled] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setSettled(query.trim());
    }, SEARCH_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
    };
  }, [query]);

  const results = useQuery({
    queryKey: ['customerSearch', settled],
    queryFn: () => backend.customerSearch({ text: settled }),
    enabled: settled !== '',
    placeholderData: (previous) => previous,
  });

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
          aria-controls="customer-results"
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
      {results.isError && (
        <Alert type="error" showIcon role="alert" data-testid="customer-search-error" message={errorText(results.error)} />
      )}
      <section id="customer-results" aria-live="polite" aria-label={t('customers.resultsLabel')}>
        {settled !== '' && results.data !== undefined && (
          <>
            <p data-testid="customer-result-count" className="field-note">
              {results.data.length === 0
                ? t('customers.noMatch', { query: settled })
                : t('customers.resultCount', { count: results.data.length })}
            </p>
            {results.data.length > 0 && (
              <List
                bordered
                dataSource={results.data}
                renderItem={(hit) => (
                  <List.Item data-testid={`customer-hit-${hit.id}`}>
                    <List.Item.Meta
                      avatar={<UserOutlined aria-hidden />}
                      title={hit.name}
                      description={
                        <span>
                          <IdcardOutlined aria-hidden /> {hit.maskedResidentId} · <MobileOutlined aria-hidden />{' '}
                          {hit.maskedMobile} · {t('customers.born', { date: hit.birthDate })} ·{' '}
                          {t(`customers.matchedOn.${hit.matchedOn}`, { defaultValue: hit.matchedOn })}
                        </span>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </>
        )}
      </section>
    </PageFrame>
  );
}
