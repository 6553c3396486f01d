import { SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { TemplateKind } from '../../bindings/TemplateKind';
import { NativeSelect } from '../../components/NativeSelect';
import { useErrorText } from '../../shell/errors';
import { COMPLAINTS_KEY, categoryOptions } from './shared';

const TEMPLATES_KEY = [...COMPLAINTS_KEY, 'templates'] as const;
const KINDS: TemplateKind[] = ['contact', 'message', 'letter'];

/**
 * One click puts a template, filled by core from the case, into the text being written; the
 * handler edits it before saving.
 */
export function TemplatePicker({
  caseId,
  categoryId,
  kinds,
  onText,
}: {
  caseId: number;
  categoryId: number;
  kinds: TemplateKind[];
  onText: (text: string) => void;
}) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const [chosen, setChosen] = useState('');
  const list = useQuery({
    queryKey: [...TEMPLATES_KEY, 'for', categoryId],
    queryFn: () => backend.complaintTemplates({ categoryId, kind: null, includeRetired: false }),
  });
  const apply = useMutation({
    mutationFn: (templateId: number) => backend.complaintTemplateApply({ caseId, templateId }),
    onSuccess: (filled) => {
      onText(filled.text);
    },
  });
  const offered = (list.data ?? []).filter((x) => kinds.includes(x.kind));
  if (offered.length === 0) return null;
  return (
    <div className="complaint-template-picker">
      <label htmlFor={`complaint-template-${caseId}`} className="field-label">
        {t('complaintDesk.templates.apply')}
      </label>
      <NativeSelect
        id={`complaint-template-${caseId}`}
        data-testid="complaint-template-pick"
        placeholder={t('complaintDesk.templates.choose')}
        value={chosen}
        options={offered.map((x) => ({ value: String(x.id), label: `${t(`complaintDesk.templates.kind.${x.kind}`)} · ${x.title}` }))}
        onChange={(v) => {
          setChosen(v);
          if (v !== '') apply.mutate(Number(v));
        }}
      />
      {apply.isError && <Alert className="form-alert" type="error" showIcon message={errorText(apply.error)} />}
    </div>
  );
}

/** Supervisors: the templates per category, with the placeholders core fills. */
export function TemplateEditor() {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const templates = useQuery({
    queryKey: [...TEMPLATES_KEY, 'all'],
    queryFn: () => backend.complaintTemplates({ categoryId: null, kind: null, includeRetired: true }),
  });
  const categories = useQuery({ queryKey: [...COMPLAINTS_KEY, 'categories'], queryFn: () => backend.complaintCategories() });
  const [editing, setEditing] = useState('');
  const [category, setCategory] = useState('');
  const [kind, setKind] = useState<TemplateKind>('contact');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [active, setActive] = useState(true);
  const save = useMutation({
    mutationFn: () =>
      backend.complaintTemplateSave({
        id: editing === '' ? null : Number(editing),
        categoryId: category === '' ? null : Number(category),
        kind,
        title,
        body,
        active,
      }),
    onSuccess: async (saved) => {
      setEditing(String(saved.id));
      await client.invalidateQueries({ queryKey: TEMPLATES_KEY });
    },
  });
  const all = templates.data ?? [];
  return (
    <section aria-labelledby="complaint-templates-title" className="panel">
      <h3 id="complaint-templates-title">{t('complaintDesk.templates.title')}</h3>
      {/* The hint names the placeholders in their {{braces}}: shown as written, not interpolated. */}
      <p id="complaint-templates-hint">{t('complaintDesk.templates.hint', { skipInterpolation: true })}</p>
      <label htmlFor="desk-template-pick" className="field-label">
        {t('complaintDesk.templates.edit')}
      </label>
      <NativeSelect
        id="desk-template-pick"
        data-testid="desk-template-pick"
        placeholder={t('complaintDesk.templates.new')}
        value={editing}
        options={all.map((x) => ({
          value: String(x.id),
          label: `${t(`complaintDesk.templates.kind.${x.kind}`)} · ${x.title}${x.active ? '' : t('complaintDesk.templates.retired')}`,
        }))}
        onChange={(v) => {
          setEditing(v);
          const found = all.find((x) => String(x.id) === v);
          setCategory(found?.categoryId === null || found === undefined ? '' : String(found.categoryId));
          setKind(found?.kind ?? 'contact');
          setTitle(found?.title ?? '');
          setBody(found?.body ?? '');
          setActive(found?.active ?? true);
        }}
      />
      <label htmlFor="desk-template-category" className="field-label">
        {t('complaintDesk.templates.category')}
      </label>
      <NativeSelect
        id="desk-template-category"
        data-testid="desk-template-category"
        placeholder={t('complaintDesk.templates.everyCategory')}
        value={category}
        options={categoryOptions(categories.data ?? [])}
        onChange={setCategory}
      />
      <label htmlFor="desk-template-kind" className="field-label">
        {t('complaintDesk.templates.kindLabel')}
      </label>
      <NativeSelect
        id="desk-template-kind"
        data-testid="desk-template-kind"
        placeholder={t('complaints.form.choose')}
        value={kind}
        options={KINDS.map((k) => ({ value: k, label: t(`complaintDesk.templates.kind.${k}`) }))}
        onChange={(v) => {
          if (KINDS.some((k) => k === v)) setKind(v as TemplateKind);
        }}
      />
      <label htmlFor="desk-template-title" className="field-label">
        {t('complaintDesk.templates.titleLabel')}
      </label>
      <Input
        id="desk-template-title"
        data-testid="desk-template-title"
        value={title}
        onChange={(e) => {
          setTitle(e.target.value);
        }}
      />
      <label htmlFor="desk-template-body" className="field-label">
        {t('complaintDesk.templates.body')}
      </label>
      <Input.TextArea
        id="desk-template-body"
        aria-describedby="complaint-templates-hint"
        data-testid="desk-template-body"
        rows={4}
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
        }}
      />
      <Checkbox
        data-testid="desk-template-active"
        checked={active}
        onChange={(e) => {
          setActive(e.target.checked);
        }}
      >
        {t('complaintDesk.templates.active')}
      </Checkbox>
      {save.isError && <Alert className="form-alert" type="error" showIcon data-testid="desk-template-error" message={errorText(save.error)} />}
      {save.isSuccess && <p role="status" data-testid="desk-template-saved">{t('complaintDesk.templates.saved')}</p>}
      <Button
        data-testid="desk-template-save"
        icon={<SaveOutlined aria-hidden />}
        loading={save.isPending}
        onClick={() => {
          save.mutate();
        }}
      >
        {t('complaintDesk.templates.save')}
      </Button>
    </section>
  );
}
