import { EditOutlined, FlagOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Radio, Space, Spin, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { KbArticle } from '../../bindings/KbArticle';
import type { KbVersion } from '../../bindings/KbVersion';
import { fieldCode, useErrorText, useFieldText } from '../../shell/errors';
import { categoryLabel, FLAG_REASONS, KB_KEY, reasonKey } from './model';

interface Props {
  id: string;
  /** Head office edits the draft (the page opens its editor). */
  onEdit?: (article: KbArticle) => void;
  /** The heading level of the article's title: 2 on the page, 2 in a drawer too. */
  headingLevel?: 2 | 3;
}

function VersionText({ version, testId }: { version: KbVersion; testId: string }) {
  const { t, i18n } = useTranslation();
  return (
    <div data-testid={testId}>
      <p className="kb-meta">
        <Tag>{categoryLabel(t, version.category)}</Tag>
        <span>{t('knowledge.versionNo', { version: version.version })}</span>
        {version.publishedAt !== null && (
          <span>
            {' · '}
            {t('knowledge.publishedOn', {
              date: new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(new Date(version.publishedAt)),
            })}
          </span>
        )}
      </p>
      <div className="kb-body" lang={version.language}>
        {version.body}
      </div>
      {version.tags.length > 0 && (
        <p className="kb-tags">
          <span className="kb-tags-label">{t('knowledge.tags')}</span>
          {version.tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </p>
      )}
    </div>
  );
}

function FlagForm({ article, version, onDone }: { article: string; version: number; onDone: (summary: string) => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const fieldText = useFieldText();
  const [form] = Form.useForm<{ reason: string; note: string }>();
  const flag = useMutation({
    mutationFn: (values: { reason: string; note: string }) =>
      backend.kbFlag({ id: article, version, reason: values.reason, note: values.note }),
    onSuccess: (queued) => {
      onDone(queued.summary);
    },
  });
  const noteCode = fieldCode(flag.error, 'note');
  return (
    <Form
      form={form}
      layout="vertical"
      className="kb-flag-form"
      data-testid="kb-flag-form"
      initialValues={{ reason: 'out-of-date', note: '' }}
      onFinish={(values) => {
        flag.mutate(values);
      }}
    >
      <Form.Item name="reason" label={t('knowledge.flag.reason')}>
        <Radio.Group>
          {FLAG_REASONS.map((reason) => (
            <Radio key={reason} value={reason} data-testid={`kb-flag-reason-${reason}`}>
              {t(`knowledge.flag.reasons.${reasonKey(reason)}`)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item
        name="note"
        label={t('knowledge.flag.note')}
        validateStatus={noteCode !== null ? 'error' : undefined}
        help={noteCode !== null ? fieldText(noteCode) : t('knowledge.flag.noteHelp')}
      >
        <Input.TextArea rows={3} maxLength={1000} data-testid="kb-flag-note" />
      </Form.Item>
      {flag.isError && noteCode === null && <Alert className="form-alert" type="error" showIcon message={errorText(flag.error)} />}
      <Button type="primary" htmlType="submit" icon={<SendOutlined aria-hidden />} loading={flag.isPending} data-testid="kb-flag-send">
        {t('knowledge.flag.send')}
      </Button>
    </Form>
  );
}

/** One article as staff read it, with the flag form; head office also sees the draft. */
export function ArticleReader({ id, onEdit, headingLevel = 2 }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [flagging, setFlagging] = useState(false);
  const [flagged, setFlagged] = useState<string | null>(null);
  const article = useQuery({ queryKey: [...KB_KEY, 'article', id], queryFn: () => backend.kbArticle(id) });
  const publish = useMutation({
    mutationFn: (version: number) => backend.kbPublish({ id, version }),
    onSuccess: (next) => {
      client.setQueryData([...KB_KEY, 'article', id], next);
      return client.invalidateQueries({ queryKey: KB_KEY });
    },
  });

  if (article.isPending) return <Spin aria-label={t('app.loading')} />;
  if (article.isError) return <Alert type="error" showIcon message={errorText(article.error)} />;
  const a = article.data;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const SubHeading = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <article className="kb-article" data-testid={`kb-article-${a.id}`} aria-labelledby={`kb-title-${a.id}`}>
      <Heading id={`kb-title-${a.id}`} className="kb-title">
        {a.published?.title ?? a.draft?.title}
      </Heading>
      {a.published !== null ? (
        <VersionText version={a.published} testId="kb-published" />
      ) : (
        <p data-testid="kb-not-published">{t('knowledge.notPublished')}</p>
      )}
      {a.published !== null && (
        <div className="kb-flag">
          {flagged !== null ? (
            <Alert type="success" showIcon data-testid="kb-flagged" message={t('knowledge.flag.sent')} description={flagged} />
          ) : flagging ? (
            <FlagForm
              article={a.id}
              version={a.published.version}
              onDone={(summary) => {
                setFlagged(summary);
                setFlagging(false);
              }}
            />
          ) : (
            <Button
              icon={<FlagOutlined aria-hidden />}
              data-testid="kb-flag-open"
              onClick={() => {
                setFlagging(true);
              }}
            >
              {t('knowledge.flag.open')}
            </Button>
          )}
        </div>
      )}
      {a.mayWrite && (
        <section className="panel kb-draft" aria-labelledby={`kb-draft-${a.id}`} data-testid="kb-draft">
          <SubHeading id={`kb-draft-${a.id}`}>{t('knowledge.desk.draft')}</SubHeading>
          {a.draft === null ? (
            <p>{t('knowledge.desk.noDraft')}</p>
          ) : (
            <>
              <p className="kb-meta">
                {t('knowledge.desk.writtenBy', { who: a.draft.writtenBy })}
                {a.draftPending && ` · ${t('knowledge.desk.notAtCore')}`}
                {a.publishPending !== null && ` · ${t('knowledge.desk.publishPending')}`}
              </p>
              {a.draft.title !== a.published?.title && <p className="kb-draft-title">{a.draft.title}</p>}
              <VersionText version={a.draft} testId="kb-draft-text" />
              {!a.mayPublish && <p data-testid="kb-own-draft">{t('knowledge.desk.ownDraft')}</p>}
            </>
          )}
          {publish.isError && <Alert className="form-alert" type="error" showIcon message={errorText(publish.error)} />}
          <Space wrap>
            {onEdit !== undefined && (
              <Button
                icon={<EditOutlined aria-hidden />}
                data-testid="kb-edit"
                onClick={() => {
                  onEdit(a);
                }}
              >
                {a.draft === null ? t('knowledge.desk.newVersion') : t('knowledge.desk.editDraft')}
              </Button>
            )}
            {a.draft !== null && a.mayPublish && a.publishPending === null && (
              <Button
                type="primary"
                icon={<SendOutlined aria-hidden />}
                loading={publish.isPending}
                data-testid="kb-publish"
                onClick={() => {
                  if (a.draft !== null) publish.mutate(a.draft.version);
                }}
              >
                {t('knowledge.desk.publish', { version: a.draft.version })}
              </Button>
            )}
          </Space>
        </section>
      )}
      {a.flags.length > 0 && (
        <section className="panel" aria-labelledby={`kb-flags-${a.id}`}>
          <SubHeading id={`kb-flags-${a.id}`}>{t('knowledge.desk.flags')}</SubHeading>
          <ul className="kb-flag-list">
            {a.flags.map((f) => (
              <li key={f.id}>
                {t(`knowledge.flag.reasons.${reasonKey(f.reason)}`)} · {t('knowledge.versionNo', { version: f.version })} ·{' '}
                {f.staffId}: {f.note}
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
