import { CheckCircleOutlined, KeyOutlined, LockOutlined, StopOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { NewStaffInput } from '../../bindings/NewStaffInput';
import type { Role } from '../../bindings/Role';
import type { StaffSummary } from '../../bindings/StaffSummary';
import { NativeSelect } from '../../components/NativeSelect';
import { PasswordField } from '../../components/PasswordInput';
import { useErrorText } from '../../shell/errors';
import { BranchCell } from './BranchCell';
import { useSessionUpdates } from '../../shell/session';

export const STAFF_KEY = ['staff'] as const;
const ROLES: Role[] = ['teller', 'booth', 'complaints', 'disputes', 'supervisor', 'admin'];
const MIN_PASSWORD = 10;

type Change =
  | { kind: 'deactivate'; staff: StaffSummary }
  | { kind: 'reactivate'; staff: StaffSummary }
  | { kind: 'role'; staff: StaffSummary; role: Role }
  | { kind: 'requireChange'; staff: StaffSummary };

/**
 * The administrator's staff screen: the accounts with their lifecycle actions, and a form for a
 * new one. Every rule (who may, the last administrator, when a change applies) is the core's;
 * the screen shows its answer.
 */
export function StaffAdmin() {
  return (
    <>
      <StaffList />
      <CreateStaff />
    </>
  );
}

function StaffList() {
  const { t, i18n } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const updates = useSessionUpdates();
  const errorText = useErrorText();
  const staff = useQuery({ queryKey: STAFF_KEY, queryFn: () => backend.staffList() });
  const [roles, setRoles] = useState<Record<number, Role>>({});
  const timeFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });

  const change = useMutation({
    mutationFn: (c: Change): Promise<StaffSummary> => {
      switch (c.kind) {
        case 'deactivate':
          return backend.staffDeactivate(c.staff.staffId);
        case 'reactivate':
          return backend.staffReactivate(c.staff.staffId);
        case 'role':
          return backend.staffSetRole({ staffId: c.staff.staffId, role: c.role });
        case 'requireChange':
          return backend.staffRequirePasswordChange(c.staff.staffId);
      }
    },
    onSuccess: () => {
      // The change may be the administrator's own (a step down, or a deactivation).
      void updates.refreshSession();
      return client.invalidateQueries({ queryKey: STAFF_KEY });
    },
  });

  function doneText(c: Change, after: StaffSummary): string {
    const name = after.displayName;
    switch (c.kind) {
      case 'deactivate':
        return t('staffAdmin.done.deactivated', { name });
      case 'reactivate':
        return t('staffAdmin.done.reactivated', { name });
      case 'role':
        return t('staffAdmin.done.roleChanged', { name, role: t(`role.${after.role}`) });
      case 'requireChange':
        return t('staffAdmin.done.passwordRequired', { name });
    }
  }

  const columns: TableColumnsType<StaffSummary> = [
    { title: t('staffAdmin.col.username'), dataIndex: 'username', key: 'username' },
    { title: t('staffAdmin.col.displayName'), dataIndex: 'displayName', key: 'displayName' },
    { title: t('staffAdmin.col.role'), dataIndex: 'role', key: 'role', render: (role: Role) => t(`role.${role}`) },
    {
      title: t('staffAdmin.col.state'),
      key: 'state',
      render: (_: unknown, row) => (
        <Space size={4} wrap>
          {row.active ? (
            <span>
              <CheckCircleOutlined aria-hidden /> {t('staffAdmin.active')}
            </span>
          ) : (
            <span>
              <StopOutlined aria-hidden /> {t('staffAdmin.inactive')}
            </span>
          )}
          {row.mustChangePassword && (
            <Tag icon={<KeyOutlined aria-hidden />} data-testid={`staff-must-change-${row.username}`}>
              {t('staffAdmin.mustChange')}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('staffAdmin.col.branch'),
      key: 'branch',
      render: (_: unknown, row) => <BranchCell row={row} queryKey={STAFF_KEY} />,
    },
    {
      title: t('staffAdmin.col.lockedUntil'),
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
    {
      title: t('staffAdmin.col.actions'),
      key: 'actions',
      render: (_: unknown, row) => {
        const chosen = roles[row.staffId] ?? row.role;
        const busy = change.isPending;
        return (
          <Space wrap>
            <NativeSelect
              aria-label={t('staffAdmin.roleOf', { name: row.displayName })}
              data-testid={`staff-role-${row.username}`}
              placeholder={t('settings.rolePlaceholder')}
              value={chosen}
              disabled={!row.active}
              options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))}
              onChange={(value) => {
                const role = ROLES.find((r) => r === value);
                if (role !== undefined) setRoles((prev) => ({ ...prev, [row.staffId]: role }));
              }}
            />
            <Button
              data-testid={`staff-set-role-${row.username}`}
              disabled={!row.active || chosen === row.role || busy}
              onClick={() => {
                change.mutate({ kind: 'role', staff: row, role: chosen });
              }}
            >
              {t('staffAdmin.setRole')}
            </Button>
            <Button
              icon={<KeyOutlined aria-hidden />}
              data-testid={`staff-require-change-${row.username}`}
              disabled={!row.active || row.mustChangePassword || busy}
              onClick={() => {
                change.mutate({ kind: 'requireChange', staff: row });
              }}
            >
              {t('staffAdmin.requireChange')}
            </Button>
            {row.active ? (
              <Button
                danger
                data-testid={`staff-deactivate-${row.username}`}
                disabled={busy}
                onClick={() => {
                  change.mutate({ kind: 'deactivate', staff: row });
                }}
              >
                {t('staffAdmin.deactivate')}
              </Button>
            ) : (
              <Button
                data-testid={`staff-reactivate-${row.username}`}
                disabled={busy}
                onClick={() => {
                  change.mutate({ kind: 'reactivate', staff: row });
                }}
              >
                {t('staffAdmin.reactivate')}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <section aria-labelledby="staff-admin-title" className="panel" data-testid="staff-admin">
      <h2 id="staff-admin-title">{t('staffAdmin.title')}</h2>
      <p>{t('staffAdmin.intro')}</p>
      {staff.isError && <Alert className="form-alert" type="error" showIcon message={errorText(staff.error)} />}
      {change.isSuccess && (
        <Alert
          className="form-alert"
          type="success"
          showIcon
          data-testid="staff-change-done"
          message={doneText(change.variables, change.data)}
        />
      )}
      {change.isError && (
        <Alert
          className="form-alert"
          type="error"
          showIcon
          data-testid="staff-change-error"
          message={errorText(change.error)}
        />
      )}
      <Table<StaffSummary>
        rowKey="staffId"
        size="middle"
        aria-label={t('staffAdmin.tableLabel')}
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
        <PasswordField
          label={t('settings.password')}
          name="password"
          extra={t('settings.passwordHint')}
          rules={[{ min: MIN_PASSWORD, message: t('validation.passwordLength') }]}
          autoComplete="new-password"
        />
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
