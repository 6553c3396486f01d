import { IdcardOutlined, MobileOutlined, SearchOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Input, List } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { useErrorText } from '../../shell/errors';
import { PageFrame } from '../../shell/PageFrame';
import { CustomerView } from './CustomerView';

export function CustomersPage() {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const [query, setQuery] = useState('');
  // Every keystroke searches: core answers in well under a millisecond over a million
  // customers, so a pause before searching (150 ms here before) was the whole wait staff saw.
  // The previous hits stay on screen until the new ones arrive (placeholderData below).
  const settled = query.trim();
  // The 360 replaces the results; the typed search stays for the way back.
  const [openId, setOpenId] = useState<string | null>(null);
  const results = useQuery({
    queryKey: ['customerSearch', settled],
    queryFn: () => backend.customerSearch({ text: settled }),
    enabled: settled !== '',
    placeholderData: (previous) => previous,
  });

  const shownQuery = settled !== '' && results.data !== undefined && !results.isPlaceholderData ? settled : '';

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
      <section
        id="customer-results"
        aria-live="polite"
        aria-label={t('customers.resultsLabel')}
        // The text whose hits are shown (not a previous one's kept while loading): what
        // scripts/measure-window.sh waits for to time a keystroke to its painted results.
        data-shown-query={shownQuery}
      >
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
