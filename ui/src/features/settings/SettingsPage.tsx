import { CheckCircleOutlined, LockOutlined, StopOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, InputNumber, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { NativeSelect } from '../../components/NativeSelect';
import type { NewStaffInput } from '../../bindings/NewStaffInput';
import type { Role } from '../../bindings/Role';
import type { Settings } from '../../bindings/Settings';
import type { StaffSummary } from '../../bindings/StaffSummary';
import { useErrorText } from '../../shell/errors';
import { PageFrame } from '../../shell/PageFrame';
import { useSessionUpdates } from '../../shell/session';

const SETTINGS_KEY = ['settings'] as const;
const STAFF_KEY = ['staff'] as const;
const ROLES: Role[] = ['teller', 'booth', 'complaints', 'disputes', 'supervisor', 'admin'];
const MIN_PASSWORD = 10;

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <PageFrame area="settings" title={t('area.settings')} intro={t('settings.intro')}>
      <GeneralSettings />
      <StaffList />
      <CreateStaff />
    </PageFrame>
  );
}

interface GeneralForm {
  idleLockMinutes: number;
  branch: string;
}

function GeneralSettings() {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const updates = useSessionUpdates();
  const errorText = useErrorText();
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: () => backend.settingsGet() });
  const save = useMutation({
    mutationFn: (input: Settings) => backend.settingsUpdate(input),
    onSuccess: (saved) => {
      client.setQueryData(SETTINGS_KEY, saved);
      void updates.refreshStatus();
    },
  });

  return (
    <section aria-labelledby="settings-general-title" className="panel">
      <h2 id="settings-general-title">{t('settings.general')}</h2>
      {settings.isError && <Alert className="form-alert" type="error" showIcon message={errorText(settings.error)} />}
      {settings.data !== undefined && (
        <Form<GeneralForm>
          name="settings"
          layout="vertical"
          className="narrow-form"
          initialValues={{
            idleLockMinutes: Math.max(1, Math.round(settings.data.idleLockSecs / 60)),
            branch: settings.data.branch,
          }}
          onFinish={(values) => {
            save.mutate({ idleLockSecs: values.idleLockMinutes * 60, branch: values.branch.trim() });
          }}
        >
          <Form.Item
            label={t('settings.idleLockMinutes')}
            name="idleLockMinutes"
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <InputNumber min={1} max={240} precision={0} controls={false} className="full-width" />
          </Form.Item>
          <Form.Item
            label={t('settings.branch')}
            name="branch"
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('settings.save')}
          </Button>
          {save.isSuccess && <Alert className="form-alert" type="success" showIcon message={t('settings.saved')} />}
          {save.isError && <Alert className="form-alert" type="error" showIcon message={errorText(save.error)} />}
        </Form>
      )}
    </section>
  );
}

function StaffList() {
  const { t, i18n } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const staff = useQuery({ queryKey: STAFF_KEY, queryFn: () => backend.staffList() });
  const timeFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const columns: TableColumnsType<StaffSummary> = [
    { title: t('settings.col.username'), dataIndex: 'username', key: 'username' },
    { title: t('settings.col.displayName'), dataIndex: 'displayName', key: 'displayName' },
    { title: t('settings.col.role'), dataIndex: 'role', key: 'role', render: (role: Role) => t(`role.${role}`) },
    {
      title: t('settings.col.state'),
      dataIndex: 'active',
      key: 'active',
      render: (active: boolean) =>
        active ? (
          <span>
            <CheckCircleOutlined aria-hidden /> {t('settings.active')}
          </span>
        ) : (
          <span>
            <StopOutlined aria-hidden /> {t('settings.inactive')}
          </span>
        ),
    },
    {
      title: t('settings.col.lockedUntil'),
      dataIndex: 'lockedUntil',
      key: 'lockedUntil',
      render: (until: string | null) =>
        until === null ? (
          t('common.none')
        ) : (
          <time dateTime={until}>
            <LockOutlined aria-hidden /> {timeFormat.format(new Date(until))}
          </time>
        ),
    },
  ];
  return (
    <section aria-labelledby="settings-staff-title" className="panel">
      <h2 id="settings-staff-title">{t('settings.staffTitle')}</h2>
      {staff.isError && <Alert className="form-alert" type="error" showIcon message={errorText(staff.error)} />}
      <Table<StaffSummary>
        rowKey="staffId"
        size="middle"
        columns={columns}
        dataSource={staff.data ?? []}
        loading={staff.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
    </section>
  );
}

function CreateStaff() {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<NewStaffInput>();
  const create = useMutation({
    mutationFn: (input: NewStaffInput) => backend.staffCreate(input),
    onSuccess: () => {
      form.resetFields();
      return client.invalidateQueries({ queryKey: STAFF_KEY });
    },
  });
  return (
    <section aria-labelledby="settings-create-title" className="panel">
      <h2 id="settings-create-title">{t('settings.createTitle')}</h2>
      <Form<NewStaffInput>
        form={form}
        name="new-staff"
        layout="vertical"
        className="narrow-form"
        onFinish={(values) => {
          create.mutate({ ...values, username: values.username.trim(), displayName: values.displayName.trim() });
        }}
      >
        <Form.Item
          label={t('settings.username')}
          name="username"
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('settings.displayName')}
          name="displayName"
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('settings.role')}
          name="role"
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <NativeSelect
            placeholder={t('settings.rolePlaceholder')}
            options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))}
          />
        </Form.Item>
        <Form.Item
          label={t('settings.password')}
          name="password"
          extra={t('settings.passwordHint')}
          rules={[
            { required: true, message: t('validation.required') },
            { min: MIN_PASSWORD, message: t('validation.passwordLength') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<UserAddOutlined aria-hidden />} loading={create.isPending}>
          {t('settings.create')}
        </Button>
        {create.isSuccess && (
          <Alert
            className="form-alert"
            type="success"
            showIcon
            message={t('settings.created', { name: create.data.displayName })}
          />
        )}
        {create.isError && <Alert className="form-alert" type="error" showIcon message={errorText(create.error)} />}
      </Form>
    </section>
  );
}
