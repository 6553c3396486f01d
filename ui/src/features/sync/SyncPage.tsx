import {
  CheckCircleOutlined,
  CloudUploadOutlined,
  DeleteOutlined,
  EditOutlined,
  ExclamationCircleOutlined,
  StopOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Segmented, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import { useState, type HTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { APP_STATUS_KEY } from '../../backend/query';
import type { AppStatus } from '../../bindings/AppStatus';
import type { OutboxItem } from '../../bindings/OutboxItem';
import type { OutboxState } from '../../bindings/OutboxState';
import type { SyncStatus } from '../../bindings/SyncStatus';
import { fieldCode, useErrorText, useFieldText } from '../../shell/errors';
import { PageFrame } from '../../shell/PageFrame';
import { SyncCounters } from './SyncCounters';

/** How often the page re-reads the outbox while it is shown (paused when the window is hidden). */
export const SYNC_POLL_MS = 5_000;
const SYNC_KEY = ['sync'] as const;
const SYNC_STATUS_KEY = [...SYNC_KEY, 'status'] as const;

type Filter = 'all' | OutboxState;
const FILTERS: Filter[] = ['all', 'pending', 'attention', 'done', 'discarded'];

/** Kinds the UI has words for; any other kind is shown as it is. */
const KNOWN_KINDS = [
  'customer.create',
  'customer.update',
  'wallet.open',
  'wallet.tier',
  'wallet.freeze',
  'wallet.unfreeze',
  'card.link',
  'consent.record',
  'consent.withdraw',
  'complaint.register',
  'incentive.claim',
  'campaign.save',
  'booth.save',
  'booth.signup',
  'article.draft',
  'article.publish',
  'article.flag',
] as const;

/** Body fields this screen has inputs for; core says which a kind may correct (`correctable`). */
const FIELD_INPUTS = ['name', 'mobile'] as const;
type CorrectableField = (typeof FIELD_INPUTS)[number];

export function kindLabel(t: TFunction, kind: string): string {
  return KNOWN_KINDS.some((k) => k === kind) ? t(`sync.kinds.${kind}`) : kind;
}

type ShownState = 'pending' | 'retrying' | 'attention' | 'done' | 'discarded';

function shownState(item: OutboxItem): ShownState {
  return item.state === 'pending' && item.attempts > 0 ? 'retrying' : item.state;
}

const STATE_LOOK: Record<ShownState, { icon: ReactNode; color: string | undefined }> = {
  pending: { icon: <CloudUploadOutlined aria-hidden />, color: undefined },
  retrying: { icon: <SyncOutlined aria-hidden />, color: 'warning' },
  attention: { icon: <ExclamationCircleOutlined aria-hidden />, color: 'error' },
  done: { icon: <CheckCircleOutlined aria-hidden />, color: 'success' },
  discarded: { icon: <StopOutlined aria-hidden />, color: undefined },
};

/** The item's state as icon plus words, never colour alone. */
function StateTag({ item }: { item: OutboxItem }) {
  const { t } = useTranslation();
  const state = shownState(item);
  const look = STATE_LOOK[state];
  return (
    <Tag color={look.color} icon={look.icon} className={state === 'attention' ? 'sync-tag-attention' : undefined}>
      {t(`sync.state.${state}`)}
    </Tag>
  );
}

/** antd's Table takes no aria-label: name the <table> itself (a stable component, no remounts). */
function LabelledTable(props: HTMLAttributes<HTMLTableElement>) {
  const { t } = useTranslation();
  return <table {...props} aria-label={t('sync.tableLabel')} />;
}
const TABLE_COMPONENTS = { table: LabelledTable };

/** Puts the counters a command returned into the status bar at once. */
function useApplySyncStatus() {
  const client = useQueryClient();
  return (sync: SyncStatus) => {
    client.setQueryData(SYNC_STATUS_KEY, sync);
    client.setQueryData<AppStatus>(APP_STATUS_KEY, (old) => (old === undefined ? old : { ...old, sync }));
    return client.invalidateQueries({ queryKey: SYNC_KEY });
  };
}

export function SyncPage() {
  const { t, i18n } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const applyStatus = useApplySyncStatus();

  const [filter, setFilter] = useState<Filter>('all');
  const [resending, setResending] = useState<OutboxItem | null>(null);
  const [discarding, setDiscarding] = useState<OutboxItem | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const status = useQuery({
    queryKey: SYNC_STATUS_KEY,
    queryFn: () => backend.syncStatus(),
    refetchInterval: SYNC_POLL_MS,
  });
  const list = useQuery({
    queryKey: [...SYNC_KEY, 'list', filter],
    queryFn: () => backend.syncList(filter === 'all' ? null : filter),
    refetchInterval: SYNC_POLL_MS,
  });
  const syncNow = useMutation({
    mutationFn: () => backend.syncNow(),
    onSuccess: (sync) => {
      setDone(t('sync.nowDone'));
      return applyStatus(sync);
    },
  });

  const timeFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const none = t('common.none');
  const columns: TableColumnsType<OutboxItem> = [
    { title: t('sync.col.summary'), dataIndex: 'summary', key: 'summary' },
    { title: t('sync.col.kind'), dataIndex: 'kind', key: 'kind', render: (kind: string) => kindLabel(t, kind) },
    { title: t('sync.col.state'), key: 'state', render: (_: unknown, item: OutboxItem) => <StateTag item={item} /> },
    { title: t('sync.col.attempts'), dataIndex: 'attempts', key: 'attempts', align: 'right' },
    {
      title: t('sync.col.problem'),
      key: 'problem',
      className: 'sync-problem',
      render: (_: unknown, item: OutboxItem) => {
        if (item.attentionReason !== null) return t('sync.refused', { reason: item.attentionReason });
        if (item.lastError !== null && item.state === 'pending') return t('sync.failed', { error: item.lastError });
        return none;
      },
    },
    {
      title: t('sync.col.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      render: (at: string) => <time dateTime={at}>{timeFormat.format(new Date(at))}</time>,
    },
    {
      title: t('sync.col.actions'),
      key: 'actions',
      // Core says, per item, what the signed-in staff member may do with it now.
      render: (_: unknown, item: OutboxItem) =>
        !item.mayResend && !item.mayDiscard ? (
          none
        ) : (
          <Space wrap>
            {item.mayResend && (
              <Button
                data-testid={`sync-resend-${item.id}`}
                icon={<EditOutlined aria-hidden />}
                aria-label={t('sync.resendFor', { summary: item.summary })}
                onClick={() => {
                  setDone(null);
                  setResending(item);
                }}
              >
                {t('sync.resend')}
              </Button>
            )}
            {item.mayDiscard && (
              <Button
                danger
                data-testid={`sync-discard-${item.id}`}
                icon={<DeleteOutlined aria-hidden />}
                aria-label={t('sync.discardFor', { summary: item.summary })}
                onClick={() => {
                  setDone(null);
                  setDiscarding(item);
                }}
              >
                {t('sync.discard')}
              </Button>
            )}
          </Space>
        ),
    },
  ];

  return (
    <PageFrame area="sync" title={t('area.sync')} intro={t('sync.intro')}>
      <section aria-labelledby="sync-counters-title" className="panel">
        <h2 id="sync-counters-title">{t('sync.countersTitle')}</h2>
        {status.data !== undefined && (
          <div className="sync-counters">
            <SyncCounters sync={status.data} testIdPrefix="sync-count" />
          </div>
        )}
        {status.data !== undefined && status.data.lastError !== null && (
          <Alert
            className="form-alert"
            type="warning"
            showIcon
            data-testid="sync-last-error"
            message={t('sync.lastError', { error: status.data.lastError })}
          />
        )}
        {status.isError && <Alert className="form-alert" type="error" showIcon message={errorText(status.error)} />}
        <Button
          type="primary"
          data-testid="sync-now"
          icon={<SyncOutlined aria-hidden />}
          loading={syncNow.isPending}
          onClick={() => {
            syncNow.mutate();
          }}
        >
          {t('sync.now')}
        </Button>
        {syncNow.isError && <Alert className="form-alert" type="error" showIcon message={errorText(syncNow.error)} />}
      </section>

      <section aria-labelledby="sync-list-title">
        <h2 id="sync-list-title">{t('sync.listTitle')}</h2>
        <div className="sync-toolbar">
          <Segmented<Filter>
            data-testid="sync-filter"
            aria-label={t('sync.filterLabel')}
            name="sync-filter"
            value={filter}
            options={FILTERS.map((f) => ({ value: f, label: t(`sync.filter.${f}`) }))}
            onChange={(value) => {
              setFilter(value);
            }}
          />
        </div>
        <div aria-live="polite" aria-atomic="true">
          {done !== null && (
            <Alert className="form-alert" type="success" showIcon data-testid="sync-done" message={done} />
          )}
        </div>
        {list.isError && <Alert className="form-alert" type="error" showIcon message={errorText(list.error)} />}
        <Table<OutboxItem>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data ?? []}
          loading={list.isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <p className="empty-note">{t('sync.empty')}</p> }}
          components={TABLE_COMPONENTS}
          onRow={(item) => ({ 'data-testid': `sync-row-${item.id}` }) as HTMLAttributes<HTMLElement>}
        />
      </section>

      {resending !== null && (
        <ResendDialog
          item={resending}
          onClose={(message) => {
            setResending(null);
            if (message !== undefined) setDone(message);
          }}
        />
      )}
      {discarding !== null && (
        <DiscardDialog
          item={discarding}
          onClose={(message) => {
            setDiscarding(null);
            if (message !== undefined) setDone(message);
          }}
        />
      )}
    </PageFrame>
  );
}

interface DialogProps {
  item: OutboxItem;
  /** With a message when the command succeeded, without one when cancelled. */
  onClose: (message?: string) => void;
}

type ResendForm = Partial<Record<CorrectableField | 'code', string>>;

/** Only the fields staff filled in; null when nothing was corrected. */
function corrections(values: ResendForm, fields: readonly CorrectableField[]): Record<string, string> | null {
  const corrected: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field]?.trim() ?? '';
    if (value !== '') corrected[field] = value;
  }
  return Object.keys(corrected).length === 0 ? null : corrected;
}

function ResendDialog({ item, onClose }: DialogProps) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const applyStatus = useApplySyncStatus();
  const [form] = Form.useForm<ResendForm>();
  const fields = FIELD_INPUTS.filter((f) => item.correctable.includes(f));
  // A corrected mobile is verified again, as at sign-up: the code goes to the new number.
  const newMobile = Form.useWatch('mobile', form)?.trim() ?? '';
  const sendCode = useMutation({
    mutationFn: (mobile: string) => backend.syncResendCode({ id: item.id, mobile }),
  });
  const codeSentTo = sendCode.isSuccess ? sendCode.variables : null;
  const fieldText = useFieldText();
  const mobileCode = fieldCode(sendCode.error, 'mobile');
  const mobileError = mobileCode === null ? null : fieldText(mobileCode);
  const resend = useMutation({
    mutationFn: ({ corrected, code }: { corrected: Record<string, string> | null; code: string | null }) =>
      backend.syncResend(code === null ? { id: item.id, corrected } : { id: item.id, corrected, code }),
    onSuccess: (sync) => {
      onClose(t('sync.resent', { summary: item.summary }));
      return applyStatus(sync);
    },
  });
  return (
    <Modal
      open
      title={t('sync.resendTitle')}
      onCancel={() => {
        onClose();
      }}
      footer={null}
      destroyOnHidden
    >
      <p>
        <strong>{item.summary}</strong> · {kindLabel(t, item.kind)}
      </p>
      {item.attentionReason !== null && (
        <Alert
          className="form-alert"
          type="error"
          showIcon
          message={t('sync.refused', { reason: item.attentionReason })}
        />
      )}
      <p>{fields.length > 0 ? t('sync.resendHint') : t('sync.resendNoFields')}</p>
      <Form<ResendForm>
        form={form}
        name={`sync-resend-${item.id}`}
        layout="vertical"
        onFinish={(values) => {
          const code = values.code?.trim() ?? '';
          resend.mutate({ corrected: corrections(values, fields), code: code === '' ? null : code });
        }}
      >
        {fields.includes('name') && (
          <Form.Item label={t('sync.fixName')} name="name">
            <Input data-testid="sync-fix-name" autoComplete="off" />
          </Form.Item>
        )}
        {fields.includes('mobile') && (
          <Form.Item
            label={t('sync.fixMobile')}
            name="mobile"
            // Core parses the number; the field shows its answer, not a pattern of the UI's.
            validateStatus={mobileError === null ? undefined : 'error'}
            help={mobileError ?? undefined}
          >
            <Input data-testid="sync-fix-mobile" autoComplete="off" inputMode="tel" />
          </Form.Item>
        )}
        {fields.includes('mobile') && newMobile !== '' && (
          <div className="sync-code" aria-live="polite">
            <p className="field-note">{t('sync.codeNeeded')}</p>
            <Button
              data-testid="sync-send-code"
              loading={sendCode.isPending}
              onClick={() => {
                sendCode.mutate(newMobile);
              }}
            >
              {t('sync.sendCode')}
            </Button>
            {sendCode.isError && (
              <Alert className="form-alert" type="error" showIcon message={errorText(sendCode.error)} />
            )}
            {codeSentTo !== null && sendCode.data !== undefined && (
              <>
                <p>{t('sync.codeSent', { mobile: sendCode.data.maskedMobile })}</p>
                {sendCode.data.trainingCode !== null && (
                  <p>
                    <strong data-testid="sync-training-code">
                      {t('onboarding.mobile.trainingCode', { code: sendCode.data.trainingCode })}
                    </strong>
                  </p>
                )}
                <Form.Item label={t('sync.codeLabel')} name="code">
                  <Input data-testid="sync-fix-code" autoComplete="one-time-code" inputMode="numeric" />
                </Form.Item>
              </>
            )}
          </div>
        )}
        {resend.isError && <Alert className="form-alert" type="error" showIcon message={errorText(resend.error)} />}
        <Space wrap>
          <Button
            type="primary"
            htmlType="submit"
            data-testid="sync-resend-submit"
            icon={<CloudUploadOutlined aria-hidden />}
            loading={resend.isPending}
          >
            {t('sync.resendSubmit')}
          </Button>
          <Button
            onClick={() => {
              onClose();
            }}
          >
            {t('sync.cancel')}
          </Button>
        </Space>
      </Form>
    </Modal>
  );
}

interface DiscardForm {
  reason: string;
}

function DiscardDialog({ item, onClose }: DialogProps) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const applyStatus = useApplySyncStatus();
  const discard = useMutation({
    mutationFn: (reason: string) => backend.syncDiscard({ id: item.id, reason }),
    onSuccess: (sync) => {
      onClose(t('sync.discarded', { summary: item.summary }));
      return applyStatus(sync);
    },
  });
  return (
    <Modal
      open
      title={t('sync.discardTitle')}
      onCancel={() => {
        onClose();
      }}
      footer={null}
      destroyOnHidden
    >
      <p>
        <strong>{item.summary}</strong> · {kindLabel(t, item.kind)}
      </p>
      <Alert className="form-alert" type="warning" showIcon message={t('sync.discardWarning')} />
      <Form<DiscardForm>
        name={`sync-discard-${item.id}`}
        layout="vertical"
        onFinish={(values) => {
          discard.mutate(values.reason.trim());
        }}
      >
        <Form.Item
          label={t('sync.discardReason')}
          name="reason"
          extra={t('sync.discardReasonHint')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea data-testid="sync-discard-reason" rows={3} />
        </Form.Item>
        {discard.isError && (
          <Alert
            className="form-alert"
            type="error"
            showIcon
            data-testid="sync-discard-error"
            message={errorText(discard.error)}
          />
        )}
        <Space wrap>
          <Button
            danger
            type="primary"
            htmlType="submit"
            data-testid="sync-discard-submit"
            icon={<DeleteOutlined aria-hidden />}
            loading={discard.isPending}
          >
            {t('sync.discardSubmit')}
          </Button>
          <Button
            onClick={() => {
              onClose();
            }}
          >
            {t('sync.cancel')}
          </Button>
        </Space>
      </Form>
    </Modal>
  );
}
