import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { KbArticle } from '../../bindings/KbArticle';
import { useErrorText } from '../../shell/errors';
import { PageFrame } from '../../shell/PageFrame';
import { ArticleEditor } from './ArticleEditor';
import { ArticleReader } from './ArticleReader';
import { KnowledgeSearch, useMayWrite } from './KnowledgeSearch';
import { KB_KEY, categoryLabel, reasonKey } from './model';

/** Head office's desk: drafts waiting for a checker, and flags from staff. */
function Desk({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const desk = useQuery({ queryKey: [...KB_KEY, 'desk'], queryFn: () => backend.kbDesk() });
  if (desk.isError) return <Alert type="error" showIcon message={errorText(desk.error)} />;
  const drafts = desk.data?.drafts ?? [];
  const flags = desk.data?.flags ?? [];
  return (
    <section className="panel" aria-labelledby="kb-desk-title" data-testid="kb-desk">
      <h2 id="kb-desk-title">{t('knowledge.desk.title')}</h2>
      <h3>{t('knowledge.desk.drafts')}</h3>
      {drafts.length === 0 ? (
        <p>{t('knowledge.desk.noDrafts')}</p>
      ) : (
        <ul className="kb-desk-list">
          {drafts.map((d) => (
            <li key={d.id}>
              <Button type="link" data-testid={`kb-desk-draft-${d.id}`} onClick={() => { onOpen(d.id); }}>
                {d.title}
              </Button>{' '}
              {categoryLabel(t, d.category)} · {t('knowledge.versionNo', { version: d.version })} ·{' '}
              {t('knowledge.desk.writtenBy', { who: d.writtenBy })}
              {!d.mayPublish && ` · ${t('knowledge.desk.ownDraftShort')}`}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('knowledge.desk.flags')}</h3>
      {flags.length === 0 ? (
        <p>{t('knowledge.desk.noFlags')}</p>
      ) : (
        <ul className="kb-desk-list">
          {flags.map(({ flag, title }) => (
            <li key={flag.id} data-testid={`kb-desk-flag-${flag.id}`}>
              <Button type="link" onClick={() => { onOpen(flag.articleId); }}>
                {title ?? flag.articleId}
              </Button>{' '}
              {t(`knowledge.flag.reasons.${reasonKey(flag.reason)}`)} · {flag.staffId}: {flag.note}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function KnowledgePage() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [category, setCategory] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  // undefined: not editing; null: a new article.
  const [editing, setEditing] = useState<KbArticle | null | undefined>(undefined);
  const mayWrite = useMayWrite();
  return (
    <PageFrame area="knowledge" title={t('area.knowledge')} intro={t('knowledge.intro')}>
      {mayWrite && editing === undefined && (
        <p>
          <Button icon={<PlusOutlined aria-hidden />} data-testid="kb-new" onClick={() => { setEditing(null); }}>
            {t('knowledge.editor.new')}
          </Button>
        </p>
      )}
      {editing !== undefined && (
        <ArticleEditor
          article={editing}
          onSaved={(saved) => {
            setEditing(undefined);
            setOpen(saved.id);
          }}
          onCancel={() => {
            setEditing(undefined);
          }}
        />
      )}
      <div className="kb-layout">
        <section className="panel kb-list" aria-label={t('knowledge.searchLabel')}>
          <KnowledgeSearch
            text={text}
            category={category}
            onText={setText}
            onCategory={setCategory}
            onOpen={setOpen}
            current={open}
          />
        </section>
        <section className="panel kb-reader" aria-label={t('knowledge.readerLabel')} aria-live="polite">
          {open === null ? (
            <p>{t('knowledge.pick')}</p>
          ) : (
            <ArticleReader key={open} id={open} onEdit={mayWrite ? (a) => { setEditing(a); } : undefined} />
          )}
        </section>
      </div>
      {mayWrite && <Desk onOpen={setOpen} />}
    </PageFrame>
  );
}
