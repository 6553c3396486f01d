import { SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { ComplaintPolicy } from '../../bindings/ComplaintPolicy';
import type { DeskSettings } from '../../bindings/DeskSettings';
import type { DeskView } from '../../bindings/DeskView';
import { NativeSelect } from '../../components/NativeSelect';
import { fieldCode, useErrorText, useFieldText } from '../../shell/errors';
import { TemplateEditor } from './Templates';
import { DESK_KEY } from './desk';
import { COMPLAINTS_KEY, categoryOptions } from './shared';

const POLICY_FIELDS: (keyof ComplaintPolicy)[] = [
  'decideWithinDays',
  'complexLimitDays',
  'particularlyComplexExtraDays',
  'maxLimitDays',
  'reviewRequestWithinDays',
  'reviewDecideWithinDays',
  'dueSoonWarningDays',
];

const RULE_DAYS: ('dueWithinDays' | 'repeatMinCases' | 'repeatWindowDays')[] = [
  'dueWithinDays',
  'repeatMinCases',
  'repeatWindowDays',
];

type SettingsValues = Record<
  keyof ComplaintPolicy | 'maxRepresentatives' | 'reviewTeam' | (typeof RULE_DAYS)[number],
  string
> & { highSeverity: boolean };

function toValues(s: DeskSettings): SettingsValues {
  const out = {
    maxRepresentatives: String(s.maxRepresentatives),
    reviewTeam: s.reviewTeam,
    highSeverity: s.escalation.highSeverity,
  } as SettingsValues;
  for (const f of POLICY_FIELDS) out[f] = String(s.policy[f]);
  for (const f of RULE_DAYS) out[f] = String(s.escalation[f]);
  return out;
}

/** Whole days as typed (full-width digits too); anything else goes to core as 0, which refuses it. */
function days(text: string | undefined): number {
  const n = Number((text ?? '').normalize('NFKC').trim());
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** Supervisors: the desk's figures, its working-day calendar and its category tree. */
export function DeskSettingsView({ desk }: { desk: DeskView }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="complaint-settings-title" data-testid="complaint-settings">
      <h2 id="complaint-settings-title">{t('complaintDesk.settings.title')}</h2>
      <FiguresForm settings={desk.settings} />
      <CalendarEditor />
      <CategoryEditor />
      <TemplateEditor />
    </section>
  );
}

function FiguresForm({ settings }: { settings: DeskSettings }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const fieldText = useFieldText();
  const [form] = Form.useForm<SettingsValues>();
  const save = useMutation({
    mutationFn: (v: SettingsValues) => {
      const policy = {} as ComplaintPolicy;
      for (const f of POLICY_FIELDS) policy[f] = days(v[f]);
      return backend.complaintDeskSettingsSet({
        policy,
        maxRepresentatives: days(v.maxRepresentatives),
        reviewTeam: v.reviewTeam,
        escalation: {
          dueWithinDays: days(v.dueWithinDays),
          highSeverity: v.highSeverity,
          repeatMinCases: days(v.repeatMinCases),
          repeatWindowDays: days(v.repeatWindowDays),
        },
      });
    },
    onSuccess: (view) => {
      client.setQueryData(DESK_KEY, view);
    },
  });
  // Core marks each figure it refused; the form shows its words beside that field.
  const status = (name: string) => {
    const code = fieldCode(save.error, name);
    return code === null ? {} : { validateStatus: 'error' as const, help: fieldText(code) };
  };
  return (
    <section aria-labelledby="complaint-figures-title" className="panel">
      <h3 id="complaint-figures-title">{t('complaintDesk.settings.figures')}</h3>
      <Form<SettingsValues>
        form={form}
        name="complaint-desk-settings"
        layout="vertical"
        initialValues={toValues(settings)}
        onFinish={(v) => {
          save.mutate(v);
        }}
      >
        {POLICY_FIELDS.map((f) => (
          <Form.Item key={f} label={t(`complaintDesk.policy.${f}`)} name={f} {...status(f)}>
            <Input data-testid={`desk-${f}`} inputMode="numeric" autoComplete="off" />
          </Form.Item>
        ))}
        <Form.Item label={t('complaintDesk.settings.maxRepresentatives')} name="maxRepresentatives" {...status('maxRepresentatives')}>
          <Input data-testid="desk-maxRepresentatives" inputMode="numeric" autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('complaintDesk.settings.reviewTeam')}
          name="reviewTeam"
          extra={t('complaintDesk.settings.reviewTeamHint')}
          {...status('reviewTeam')}
        >
          <Input data-testid="desk-reviewTeam" autoComplete="off" />
        </Form.Item>
        <fieldset className="complaint-escalation-rules">
          <legend>{t('complaintDesk.settings.escalation')}</legend>
          <p>{t('complaintDesk.settings.escalationHint')}</p>
          {RULE_DAYS.map((f) => (
            <Form.Item key={f} label={t(`complaintDesk.rules.${f}`)} name={f} {...status(`escalation.${f}`)}>
              <Input data-testid={`desk-rule-${f}`} inputMode="numeric" autoComplete="off" />
            </Form.Item>
          ))}
          <Form.Item name="highSeverity" valuePropName="checked">
            <Checkbox data-testid="desk-rule-highSeverity">{t('complaintDesk.rules.highSeverity')}</Checkbox>
          </Form.Item>
        </fieldset>
        {save.isError && <Alert className="form-alert" type="error" showIcon data-testid="desk-settings-error" message={errorText(save.error)} />}
        {save.isSuccess && <Alert className="form-alert" type="success" showIcon data-testid="desk-settings-saved" message={t('complaintDesk.settings.saved')} />}
        <Button type="primary" htmlType="submit" data-testid="desk-settings-save" icon={<SaveOutlined aria-hidden />} loading={save.isPending}>
          {t('complaintDesk.settings.save')}
        </Button>
      </Form>
    </section>
  );
}

function CalendarEditor() {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const calendar = useQuery({ queryKey: [...COMPLAINTS_KEY, 'calendar'], queryFn: () => backend.complaintCalendar() });
  const [text, setText] = useState<string | null>(null);
  const save = useMutation({ mutationFn: (value: string) => backend.complaintCalendarSet({ text: value }) });
  const shown = text ?? calendar.data?.text ?? '';
  return (
    <section aria-labelledby="complaint-calendar-title" className="panel">
      <h3 id="complaint-calendar-title">{t('complaintDesk.calendar.title')}</h3>
      <p id="complaint-calendar-hint">{t('complaintDesk.calendar.hint')}</p>
      <label htmlFor="complaint-calendar-text" className="field-label">
        {t('complaintDesk.calendar.label')}
      </label>
      <Input.TextArea
        id="complaint-calendar-text"
        aria-describedby="complaint-calendar-hint"
        data-testid="desk-calendar-text"
        rows={8}
        value={shown}
        onChange={(e) => {
          setText(e.target.value);
        }}
      />
      {save.isError && <Alert className="form-alert" type="error" showIcon data-testid="desk-calendar-error" message={errorText(save.error)} />}
      {save.isSuccess && (
        <Alert
          className="form-alert"
          type="success"
          showIcon
          data-testid="desk-calendar-saved"
          message={t('complaintDesk.calendar.saved', { entries: save.data.entries, moved: save.data.moved })}
        />
      )}
      <Button
        data-testid="desk-calendar-save"
        icon={<SaveOutlined aria-hidden />}
        loading={save.isPending}
        disabled={calendar.data === undefined}
        onClick={() => {
          save.mutate(shown);
        }}
      >
        {t('complaintDesk.calendar.save')}
      </Button>
    </section>
  );
}

function CategoryEditor() {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const key = [...COMPLAINTS_KEY, 'categories'];
  const categories = useQuery({ queryKey: key, queryFn: () => backend.complaintCategories() });
  const [editing, setEditing] = useState('');
  const [name, setName] = useState('');
  const [active, setActive] = useState(true);
  const [parent, setParent] = useState('');
  const [code, setCode] = useState('');
  const [newName, setNewName] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: key });
  const update = useMutation({
    mutationFn: () => backend.complaintCategoryUpdate({ id: Number(editing), name, active }),
    onSuccess: refresh,
  });
  const create = useMutation({
    mutationFn: () =>
      backend.complaintCategoryCreate({ parentId: parent === '' ? null : Number(parent), code: code.trim(), name: newName }),
    onSuccess: async () => {
      setCode('');
      setNewName('');
      await refresh();
    },
  });
  const all = categories.data ?? [];
  // Retired categories are listed too: the supervisor may bring one back.
  const every = all.map((c) => ({ value: String(c.id), label: c.active ? c.name : t('complaintDesk.categories.retiredName', { name: c.name }) }));
  return (
    <section aria-labelledby="complaint-categories-title" className="panel">
      <h3 id="complaint-categories-title">{t('complaintDesk.categories.title')}</h3>
      <div className="complaint-category-edit">
        <label htmlFor="desk-category-pick" className="field-label">
          {t('complaintDesk.categories.pick')}
        </label>
        <NativeSelect
          id="desk-category-pick"
          data-testid="desk-category-pick"
          placeholder={t('complaints.form.choose')}
          value={editing}
          options={every}
          onChange={(v) => {
            setEditing(v);
            const found = all.find((c) => String(c.id) === v);
            setName(found?.name ?? '');
            setActive(found?.active ?? true);
          }}
        />
        <label htmlFor="desk-category-name" className="field-label">
          {t('complaintDesk.categories.name')}
        </label>
        <Input
          id="desk-category-name"
          data-testid="desk-category-name"
          value={name}
          disabled={editing === ''}
          onChange={(e) => {
            setName(e.target.value);
          }}
        />
        <Checkbox
          data-testid="desk-category-active"
          checked={active}
          disabled={editing === ''}
          onChange={(e) => {
            setActive(e.target.checked);
          }}
        >
          {t('complaintDesk.categories.active')}
        </Checkbox>
        <Button
          data-testid="desk-category-save"
          disabled={editing === ''}
          loading={update.isPending}
          onClick={() => {
            update.mutate();
          }}
        >
          {t('complaintDesk.categories.save')}
        </Button>
        {update.isError && <Alert className="form-alert" type="error" showIcon data-testid="desk-category-error" message={errorText(update.error)} />}
        {update.isSuccess && <p role="status" data-testid="desk-category-saved">{t('complaintDesk.categories.saved')}</p>}
      </div>
      <h4>{t('complaintDesk.categories.add')}</h4>
      <div className="complaint-category-add">
        <label htmlFor="desk-category-parent" className="field-label">
          {t('complaintDesk.categories.parent')}
        </label>
        <NativeSelect
          id="desk-category-parent"
          data-testid="desk-category-parent"
          placeholder={t('complaintDesk.categories.topLevel')}
          value={parent}
          options={categoryOptions(all)}
          onChange={setParent}
        />
        <label htmlFor="desk-category-code" className="field-label">
          {t('complaintDesk.categories.code')}
        </label>
        <Input
          id="desk-category-code"
          data-testid="desk-category-code"
          value={code}
          autoComplete="off"
          onChange={(e) => {
            setCode(e.target.value);
          }}
        />
        <label htmlFor="desk-category-new-name" className="field-label">
          {t('complaintDesk.categories.name')}
        </label>
        <Input
          id="desk-category-new-name"
          data-testid="desk-category-new-name"
          value={newName}
          onChange={(e) => {
            setNewName(e.target.value);
          }}
        />
        <Button
          data-testid="desk-category-create"
          loading={create.isPending}
          onClick={() => {
            create.mutate();
          }}
        >
          {t('complaintDesk.categories.create')}
        </Button>
        {create.isError && <Alert className="form-alert" type="error" showIcon data-testid="desk-category-create-error" message={errorText(create.error)} />}
        {create.isSuccess && <p role="status" data-testid="desk-category-created">{t('complaintDesk.categories.created', { name: create.data.name })}</p>}
      </div>
    </section>
  );
}
