import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Input, Tag } from 'antd';
import { useDeferredValue, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { NativeSelect } from '../../components/NativeSelect';
import { useErrorText } from '../../shell/errors';
import { CATEGORIES, KB_KEY, categoryLabel } from './model';

interface Props {
  text: string;
  category: string;
  onText: (text: string) => void;
  onCategory: (category: string) => void;
  onOpen: (id: string) => void;
  /** The article open now, marked in the list. */
  current: string | null;
}

/** The search box, the category filter and the ranked hits (the local copy: works offline). */
export function KnowledgeSearch({ text, category, onText, onCategory, onOpen, current }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const inputId = useId();
  const categoryId = useId();
  const query = useDeferredValue({ text, category });
  const results = useQuery({
    queryKey: [...KB_KEY, 'search', query.text, query.category],
    queryFn: () => backend.kbSearch({ text: query.text, category: query.category === '' ? null : query.category }),
    placeholderData: (previous) => previous,
  });
  const hits = results.data?.hits ?? [];
  // The list still shows the answer to an older query (typing ahead of the deferred value, or
  // the previous hits kept while the new search runs): say so, so that assistive technology and
  // the e2e wait for the list to settle instead of acting on rows about to move.
  const settling = query.text !== text || query.category !== category || results.isPlaceholderData || results.isPending;
  return (
    <div className="kb-search" role="search">
      <div className="kb-search-fields">
        <label htmlFor={inputId} className="kb-label">
          {t('knowledge.searchLabel')}
        </label>
        <Input
          id={inputId}
          data-testid="kb-search"
          prefix={<SearchOutlined aria-hidden />}
          value={text}
          placeholder={t('knowledge.searchPlaceholder')}
          onChange={(e) => {
            onText(e.target.value);
          }}
        />
        <label htmlFor={categoryId} className="kb-label">
          {t('knowledge.categoryLabel')}
        </label>
        <NativeSelect
          id={categoryId}
          data-testid="kb-category"
          placeholder={t('knowledge.allCategories')}
          value={category}
          options={CATEGORIES.map((c) => ({ value: c, label: categoryLabel(t, c) }))}
          onChange={onCategory}
        />
      </div>
      {results.isError && <Alert className="form-alert" type="error" showIcon message={errorText(results.error)} />}
      <p className="kb-count" aria-live="polite" data-testid="kb-count">
        {results.isSuccess && t('knowledge.found', { n: hits.length })}
      </p>
      <ul className="kb-hits" aria-label={t('knowledge.resultsLabel')} aria-busy={settling} data-testid="kb-hits">
        {hits.map((hit) => (
          <li key={hit.id}>
            <button
              type="button"
              className={hit.id === current ? 'kb-hit kb-hit-current' : 'kb-hit'}
              aria-current={hit.id === current ? 'true' : undefined}
              data-testid={`kb-hit-${hit.id}`}
              onClick={() => {
                onOpen(hit.id);
              }}
            >
              <span className="kb-hit-title" lang={hit.language}>
                {hit.title}
              </span>
              <span className="kb-hit-meta">
                <Tag>{categoryLabel(t, hit.category)}</Tag>
                {hit.language === 'en' ? t('knowledge.language.en') : t('knowledge.language.zh')}
              </span>
              <span className="kb-hit-excerpt" lang={hit.language}>
                {hit.excerpt}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Whether the signed-in staff member writes articles, as core answered the last search. */
export function useMayWrite(): boolean {
  const backend = useBackend();
  const probe = useQuery({
    queryKey: [...KB_KEY, 'search', '', ''],
    queryFn: () => backend.kbSearch({ text: '', category: null }),
  });
  return probe.data?.mayWrite ?? false;
}
