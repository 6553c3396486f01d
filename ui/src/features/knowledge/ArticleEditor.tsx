import { SaveOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { KbArticle } from '../../bindings/KbArticle';
import { NativeSelect } from '../../components/NativeSelect';
import { fieldCode, useErrorText, useFieldText } from '../../shell/errors';
import { CATEGORIES, KB_KEY, LANGUAGES, categoryLabel } from './model';

interface Values {
  title: string;
  category: string;
  language: string;
  tags: string;
  body: string;
}

interface Props {
  /** The article whose draft is written; none: a new article. */
  article: KbArticle | null;
  onSaved: (article: KbArticle) => void;
  onCancel: () => void;
}

/** Head office writes a draft; another head-office colleague publishes it (core decides). */
export function ArticleEditor({ article, onSaved, onCancel }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const fieldText = useFieldText();
  const start = article?.draft ?? article?.published ?? null;
  const save = useMutation({
    mutationFn: (v: Values) =>
      backend.kbSaveDraft({
        id: article?.id ?? null,
        title: v.title,
        body: v.body,
        category: v.category,
        language: v.language,
        tags: v.tags
          .split(/[,，、]/)
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      }),
    onSuccess: async (saved) => {
      client.setQueryData([...KB_KEY, 'article', saved.id], saved);
      await client.invalidateQueries({ queryKey: KB_KEY });
      onSaved(saved);
    },
  });
  const marked = (field: string) => {
    const code = fieldCode(save.error, field);
    return code === null ? {} : { validateStatus: 'error' as const, help: fieldText(code) };
  };
  const fieldErrors = save.error !== null && ['title', 'body', 'category', 'language', 'tags'].some((f) => fieldCode(save.error, f) !== null);
  return (
    <section className="panel" aria-labelledby="kb-editor-title" data-testid="kb-editor">
      <h2 id="kb-editor-title">{article === null ? t('knowledge.editor.new') : t('knowledge.editor.edit')}</h2>
      <Form<Values>
        layout="vertical"
        initialValues={{
          title: start?.title ?? '',
          category: start?.category ?? '',
          language: start?.language ?? 'zh-CN',
          tags: start?.tags.join('，') ?? '',
          body: start?.body ?? '',
        }}
        onFinish={(v) => {
          save.mutate(v);
        }}
      >
        <Form.Item name="title" label={t('knowledge.editor.title')} {...marked('title')}>
          <Input maxLength={200} data-testid="kb-editor-title" />
        </Form.Item>
        <Form.Item name="category" label={t('knowledge.editor.category')} {...marked('category')}>
          <NativeSelect
            data-testid="kb-editor-category"
            placeholder={t('knowledge.editor.chooseCategory')}
            options={CATEGORIES.map((c) => ({ value: c, label: categoryLabel(t, c) }))}
          />
        </Form.Item>
        <Form.Item name="language" label={t('knowledge.editor.language')} {...marked('language')}>
          <NativeSelect
            data-testid="kb-editor-language"
            placeholder={t('knowledge.editor.chooseLanguage')}
            options={LANGUAGES.map((l) => ({ value: l, label: t(`knowledge.language.${l === 'en' ? 'en' : 'zh'}`) }))}
          />
        </Form.Item>
        <Form.Item name="tags" label={t('knowledge.editor.tags')} {...(marked('tags').help !== undefined ? marked('tags') : { help: t('knowledge.editor.tagsHelp') })}>
          <Input data-testid="kb-editor-tags" />
        </Form.Item>
        <Form.Item name="body" label={t('knowledge.editor.body')} {...marked('body')}>
          <Input.TextArea rows={12} maxLength={20000} data-testid="kb-editor-body" />
        </Form.Item>
        {save.isError && !fieldErrors && <Alert className="form-alert" type="error" showIcon message={errorText(save.error)} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined aria-hidden />} loading={save.isPending} data-testid="kb-editor-save">
            {t('knowledge.editor.save')}
          </Button>
          <Button onClick={onCancel}>{t('knowledge.cancel')}</Button>
        </Space>
      </Form>
    </section>
  );
}
