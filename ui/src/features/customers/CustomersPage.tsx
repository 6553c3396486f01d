import { IdcardOutlined, MobileOutlined, SearchOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Input, List } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { useErrorText } from '../../shell/errors';
import { PageFrame } from '../../shell/PageFrame';
import { CustomerView } from './CustomerView';

/** Results follow the typing, but not every keystroke: a short pause first. */
const SEARCH_DELAY_MS = 150;

export function CustomersPage() {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const [query, setQuery] = useState('');
  const [settled, setSettled] = useState('');
  // The 360 replaces the results; the typed search stays for the way back.
  const [openId, setOpenId] = useState<string | null>(null);
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

  if (openId !== null) {
    return (
      <PageFrame area="customers" title={t('area.customers')} intro={t('customers.intro')}>
        <CustomerView
          customerId={openId}
          onBack={() => {
            setOpenId(null);
          }}
        />
      </PageFrame>
    );
  }

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
                      title={
                        <Button
                          type="link"
                          className="hit-open"
                          data-testid={`customer-open-${hit.id}`}
                          aria-label={t('customers.open', { name: hit.name })}
                          onClick={() => {
                            setOpenId(hit.id);
                          }}
                        >
                          {hit.name}
                        </Button>
                      }
                      description={
                        <span>
                          <IdcardOutlined aria-hidden /> {hit.maskedResidentId} · <MobileOutlined aria-hidden />{' '}
                          {hit.maskedMobile} · {hit.age === null ? t('customers.ageUnknown') : t('customers.age', { age: hit.age })} ·{' '}
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
