import { ReadOutlined } from '@ant-design/icons';
import { Button, Drawer } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ArticleReader } from './ArticleReader';
import { KnowledgeSearch } from './KnowledgeSearch';
import type { Category } from './model';

interface Props {
  /** What the question is about: the search starts in this category... */
  category: Category;
  /** ...with these words (may be empty). */
  query: string;
  /** The link's words, e.g. "Tier limits explained". */
  label: string;
  testId: string;
}

/**
 * A link to the knowledge base from where a question comes up (the tier step, the fee line,
 * the anti-fraud checks, a complaint category). It opens the articles in a drawer over the
 * current screen, so what staff were doing stays as it was.
 */
export function KnowledgeLink({ category, query, label, testId }: Props) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const [text, setText] = useState(query);
  const [filter, setFilter] = useState<string>(category);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <Button
        type="link"
        className="kb-link"
        icon={<ReadOutlined aria-hidden />}
        data-testid={testId}
        onClick={() => {
          setShown(true);
        }}
      >
        {label}
      </Button>
      <Drawer
        open={shown}
        title={t('area.knowledge')}
        width={560}
        destroyOnHidden
        onClose={() => {
          setShown(false);
          setOpen(null);
        }}
      >
        <div data-testid={`${testId}-drawer`}>
          {open === null ? (
            <KnowledgeSearch
              text={text}
              category={filter}
              onText={setText}
              onCategory={setFilter}
              onOpen={setOpen}
              current={open}
            />
          ) : (
            <>
              <Button
                data-testid={`${testId}-back`}
                onClick={() => {
                  setOpen(null);
                }}
              >
                {t('knowledge.back')}
              </Button>
              <ArticleReader id={open} headingLevel={2} />
            </>
          )}
        </div>
      </Drawer>
    </>
  );
}
