import { ElderPanel } from '../elder/ElderPanel';
import {
  ArrowLeftOutlined,
  CreditCardOutlined,
  PrinterOutlined,
  EyeOutlined,
  IdcardOutlined,
  RiseOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, List, Modal, Radio, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { isApiError } from '../../backend/errors';
import type { Attribution } from '../../bindings/Attribution';
import type { AuditEntry } from '../../bindings/AuditEntry';
import type { CardSummary } from '../../bindings/CardSummary';
import type { ConsentSummary } from '../../bindings/ConsentSummary';
import type { CustomerProfile } from '../../bindings/CustomerProfile';
import type { IdCardStatus } from '../../bindings/IdCardStatus';
import type { LiveWallet } from '../../bindings/LiveWallet';
import type { QueuedChange } from '../../bindings/QueuedChange';
import type { WalletSummary } from '../../bindings/WalletSummary';
import { actionLabel } from '../audit/actions';
import { useErrorText } from '../../shell/errors';
import { formatMoney } from '../../shell/money';
import { KnowledgeLink } from '../knowledge/KnowledgeLink';
import { download } from '../complaints/shared';
import { AttributionDialog } from './AttributionDialog';
import { CustomerCases, DisputeTransactionButton, useWorksDisputes } from '../disputes/CustomerCases';

const profileKey = (id: string) => ['customer', id, 'profile'] as const;
const liveKey = (id: string) => ['customer', id, 'live'] as const;

interface Props {
  customerId: string;
  onBack: () => void;
}

type Dialog =
  | { kind: 'reveal' }
  | { kind: 'renew' }
  | { kind: 'tier'; wallet: WalletSummary }
  | { kind: 'card'; wallet: WalletSummary }
  | { kind: 'withdraw'; consent: ConsentSummary }
  | { kind: 'attribution' };

/**
 * The Customer 360: everything the console knows about one customer, readable offline, with the
 * counter work a teller does for them. Limits and today's use come live from the core.
 */
export function CustomerView({ customerId, onBack }: Props) {
  const { t, i18n } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const worksDisputes = useWorksDisputes();

  // Read afresh on every opening (the sync engine may have brought news since) and audited
  // once per opening, not on every refocus of the window. Nothing about the customer stays
  // cached once the teller has moved on (gcTime 0).
  const profile = useQuery({
    queryKey: profileKey(customerId),
    queryFn: () => backend.customerProfile(customerId),
    refetchOnMount: 'always',
    refetchOnWindowFocus: false,
    gcTime: 0,
  });
  const live = useQuery({
    queryKey: liveKey(customerId),
    queryFn: () => backend.customerLive(customerId),
    retry: false,
    refetchOnWindowFocus: false,
    gcTime: 0,
  });
  useEffect(() => {
    if (profile.data !== undefined) heading.current?.focus({ preventScroll: true });
  }, [profile.data]);

  const timeFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  const when = (at: string | null) => (at === null || at === '' ? t('common.none') : timeFormat.format(new Date(at)));

  const back = (
    <Button className="c360-back" icon={<ArrowLeftOutlined aria-hidden />} onClick={onBack} data-testid="c360-back">
      {t('c360.back')}
    </Button>
  );
  if (profile.isError) {
    return (
      <section data-testid="c360">
        {back}
        <Alert type="error" showIcon role="alert" className="form-alert" message={errorText(profile.error)} />
      </section>
    );
  }
  const p = profile.data;
  if (p === undefined) {
    return (
      <section data-testid="c360" aria-busy="true">
        {back}
        <p className="field-note">{t('c360.loading')}</p>
      </section>
    );
  }
  const closeDialog = (queued?: QueuedChange | string) => {
    setDialog(null);
    if (queued !== undefined) setDone(typeof queued === 'string' ? queued : t('c360.queued', { summary: queued.summary }));
  };
  const liveWallet = (id: string): LiveWallet | undefined => live.data?.wallets.find((w) => w.id === id);
  const offline = live.isError && isApiError(live.error) && live.error.code === 'core_unavailable';

  return (
    <section data-testid="c360" aria-labelledby="c360-title" className="c360">
      {back}
      <h2 id="c360-title" ref={heading} tabIndex={-1} className="c360-title">
        {t('c360.title', { name: p.name })}
      </h2>
      <p className="field-note" data-testid="c360-synced">
        {t('c360.syncedAt', { at: when(p.syncedAt) })}
      </p>
      {done !== null && (
        <Alert type="success" showIcon role="status" className="form-alert" data-testid="c360-done" message={done} closable onClose={() => { setDone(null); }} />
      )}

      <Card title={<h3 className="card-heading">{t('c360.profile')}</h3>} size="small" className="c360-card">
        <Descriptions column={{ xs: 1, sm: 2 }} size="small" bordered>
          <Descriptions.Item label={t('c360.residentId')}>
            <Space wrap>
              <span data-testid="c360-masked-id">{p.maskedResidentId}</span>
              {p.canReveal && (
                <Button size="small" icon={<EyeOutlined aria-hidden />} data-testid="c360-reveal" onClick={() => { setDialog({ kind: 'reveal' }); }}>
                  {t('c360.reveal')}
                </Button>
              )}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('c360.mobile')}>{p.maskedMobile}</Descriptions.Item>
          <Descriptions.Item label={t('c360.ageSex')}>
            {t('c360.ageValue', { age: p.age ?? t('c360.ageUnknown'), sex: t(`c360.sex.${p.sex}`, { defaultValue: p.sex }) })}
          </Descriptions.Item>
          <Descriptions.Item label={t('c360.since')}>{when(p.customerSince)}</Descriptions.Item>
          {(p.attribution !== null || p.canChangeAttribution) && (
            <Descriptions.Item label={t('c360.attribution')}>
              <Space wrap>
                <span data-testid="c360-attribution">
                  {p.attribution === null ? t('c360.attributionNobody') : attributionText(t, p.attribution)}
                </span>
                {p.canChangeAttribution && (
                  <Button size="small" data-testid="c360-attribution-change" onClick={() => { setDialog({ kind: 'attribution' }); }}>
                    {t('c360.attributionChange')}
                  </Button>
                )}
              </Space>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('c360.idCardLabel')}>
            <Space wrap>
              <span data-testid="c360-id-card">{idCardShort(t, p.idCard)}</span>
              {p.canServe && (
                <Button size="small" icon={<IdcardOutlined aria-hidden />} data-testid="c360-renew" onClick={() => { setDialog({ kind: 'renew' }); }}>
                  {t('c360.renewId')}
                </Button>
              )}
            </Space>
          </Descriptions.Item>
        </Descriptions>
        <IdCardAlert t={t} status={p.idCard} />
      </Card>

      {p.elderOffered && p.age !== null && (
        <ElderPanel who={{ customerName: p.name, age: p.age, draftId: null, customerId: p.id }} offered />
      )}
      {p.elderCalls.length > 0 && (
        <Card title={<h3 className="card-heading">{t('elder.calls.title')}</h3>} size="small" className="c360-card" data-testid="c360-elder-calls">
          <ul>
            {p.elderCalls.map((c) => (
              <li key={c.id}>
                {c.dueOn} · {c.outcome === null ? t('elder.calls.pending') : t(`elder.calls.outcomes.${c.outcome}`)}
                {c.note !== null && c.note !== '' ? ` · ${c.note}` : ''}
              </li>
            ))}
          </ul>
        </Card>
      )}

      {p.pending.length > 0 && (
        <Alert
          type="info"
          showIcon
          className="form-alert"
          data-testid="c360-pending"
          message={t('c360.pendingTitle')}
          description={
            <ul className="plain-list">
              {p.pending.map((c) => (
                <li key={c.id}>
                  {c.summary}
                  {c.state === 'attention' && ` — ${t('c360.pendingAttention', { reason: c.attentionReason ?? '' })}`}
                </li>
              ))}
            </ul>
          }
        />
      )}

      <h3 className="section-heading">{t('c360.wallets')}</h3>
      {offline && <Alert type="warning" showIcon className="form-alert" data-testid="c360-offline" message={t('c360.limitsOffline')} />}
      {live.isError && !offline && <Alert type="error" showIcon className="form-alert" message={errorText(live.error)} />}
      {p.wallets.length === 0 && <p className="empty-note">{t('c360.noWallets')}</p>}
      {p.wallets.map((w) => (
        <WalletCard
          key={w.id}
          customerId={customerId}
          wallet={w}
          live={liveWallet(w.id)}
          loading={live.isPending}
          canServe={p.canServe}
          onTier={() => { setDialog({ kind: 'tier', wallet: w }); }}
          onCard={() => { setDialog({ kind: 'card', wallet: w }); }}
        />
      ))}

      <h3 className="section-heading">{t('c360.cards')}</h3>
      <CardsTable cards={p.cards} when={when} />

      <h3 className="section-heading">{t('c360.consents')}</h3>
      <Table<ConsentSummary>
        size="small"
        rowKey="id"
        pagination={false}
        data-testid="c360-consents"
        dataSource={p.consents}
        locale={{ emptyText: <p className="empty-note">{t('c360.noConsents')}</p> }}
        columns={[
          { title: t('c360.col.scope'), key: 'scope', render: (_: unknown, c) => scopeLabel(t, c) },
          { title: t('c360.col.version'), dataIndex: 'version', key: 'version' },
          {
            title: t('c360.col.status'),
            key: 'status',
            render: (_: unknown, c) => (
              <Tag color={c.status === 'granted' ? 'success' : undefined}>{t(`c360.consentStatus.${c.status}`, { defaultValue: c.status })}</Tag>
            ),
          },
          { title: t('c360.col.since'), key: 'at', render: (_: unknown, c) => when(c.endedAt ?? c.grantedAt) },
          {
            title: t('c360.col.actions'),
            key: 'actions',
            render: (_: unknown, c) =>
              p.canWithdrawConsent && c.status === 'granted' ? (
                <Button size="small" danger data-testid={`c360-withdraw-${c.id}`} onClick={() => { setDialog({ kind: 'withdraw', consent: c }); }}>
                  {t('c360.withdraw')}
                  <span className="visually-hidden">{scopeLabel(t, c)}</span>
                </Button>
              ) : null,
          },
        ]}
      />

      <h3 className="section-heading">{t('c360.transactions')}</h3>
      {offline && p.transactions.length > 0 && <p className="field-note">{t('c360.transactionsLocal')}</p>}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        data-testid="c360-transactions"
        dataSource={live.data?.transactions ?? p.transactions}
        locale={{ emptyText: <p className="empty-note">{t('c360.noTransactions')}</p> }}
        columns={[
          { title: t('c360.col.at'), dataIndex: 'at', key: 'at', render: (at: string) => when(at) },
          {
            title: t('c360.col.amount'),
            key: 'amount',
            render: (_: unknown, x: { amount: string; direction: string }) =>
              `${t(`c360.direction.${x.direction}`, { defaultValue: x.direction })} ${formatMoney(x.amount)}`,
          },
          { title: t('c360.col.counterparty'), dataIndex: 'counterparty', key: 'counterparty' },
          { title: t('c360.col.memo'), dataIndex: 'memo', key: 'memo' },
          { title: t('c360.col.wallet'), dataIndex: 'walletId', key: 'wallet', render: (id: string) => `…${id.slice(-4)}` },
          ...(worksDisputes && live.data !== undefined
            ? [
                {
                  title: t('c360.col.dispute'),
                  key: 'dispute',
                  // Rows are the live list's (ids the core knows): the column shows only with it.
                  render: (_: unknown, x: { amount: string; direction: string }) =>
                    x.direction === 'out' ? (
                      <DisputeTransactionButton customerId={customerId} transactionId={(x as { id: string } & typeof x).id} />
                    ) : null,
                },
              ]
            : []),
        ]}
      />

      <h3 className="section-heading">{t('c360.cases')}</h3>
      <CustomerCases customerId={customerId} />

      <h3 className="section-heading">{t('c360.notes')}</h3>
      <Notes customerId={customerId} profile={p} when={when} />

      <h3 className="section-heading">{t('c360.history')}</h3>
      <Table<AuditEntry>
        size="small"
        rowKey="id"
        pagination={false}
        data-testid="c360-history"
        dataSource={p.history}
        locale={{ emptyText: <p className="empty-note">{t('c360.noHistory')}</p> }}
        columns={[
          { title: t('c360.col.at'), dataIndex: 'at', key: 'at', render: (at: string) => when(at) },
          { title: t('c360.col.who'), dataIndex: 'actor', key: 'actor' },
          { title: t('c360.col.action'), dataIndex: 'action', key: 'action', render: (a: string) => actionLabel(t, a) },
        ]}
      />

      {dialog?.kind === 'reveal' && <RevealDialog customerId={customerId} onClose={closeDialog} />}
      {dialog?.kind === 'renew' && <RenewDialog customerId={customerId} onClose={closeDialog} />}
      {dialog?.kind === 'tier' && <TierDialog customerId={customerId} wallet={dialog.wallet} onClose={closeDialog} />}
      {dialog?.kind === 'card' && <CardDialog customerId={customerId} wallet={dialog.wallet} onClose={closeDialog} />}
      {dialog?.kind === 'withdraw' && <WithdrawDialog customerId={customerId} consent={dialog.consent} onClose={closeDialog} />}
      {dialog?.kind === 'attribution' && <AttributionDialog customerId={customerId} current={p.attribution} onClose={closeDialog} />}
    </section>
  );
}

/** Campaign, booth (when there was one), staff member and channel; a counter sign-up outside a
 * campaign says so rather than showing blanks. */
function attributionText(t: TFunction, a: Attribution): string {
  const parts = [
    a.campaign === '' ? t('c360.attributionNoCampaign') : a.campaign,
    ...(a.booth === '' ? [] : [t('c360.attributionBoothPart', { booth: a.booth })]),
    a.staff,
    t(`c360.channel.${a.channel}`, { defaultValue: a.channel }),
  ];
  return parts.join(' · ');
}

function idCardShort(t: TFunction, s: IdCardStatus): string {
  switch (s.state) {
    case 'noExpiry':
      return t('c360.idCard.noExpiry');
    case 'valid':
    case 'expiresSoon':
    case 'expiredInGrace':
    case 'expiredLowered':
      return t('c360.idCard.valid', { date: s.expiresOn });
  }
}

function IdCardAlert({ t, status }: { t: TFunction; status: IdCardStatus }) {
  switch (status.state) {
    case 'expiresSoon':
      return (
        <Alert type="warning" showIcon className="form-alert" data-testid="c360-id-alert"
          message={t('c360.idCard.expiresSoon', { date: status.expiresOn, days: status.daysLeft })} />
      );
    case 'expiredInGrace':
      return (
        <Alert type="warning" showIcon className="form-alert" data-testid="c360-id-alert"
          message={t('c360.idCard.expiredInGrace', { date: status.expiresOn, lowers: status.lowersOn })} />
      );
    case 'expiredLowered':
      return (
        <Alert type="error" showIcon className="form-alert" data-testid="c360-id-alert"
          message={t('c360.idCard.expiredLowered', { date: status.expiresOn, lowered: status.loweredOn })} />
      );
    default:
      return null;
  }
}

function scopeLabel(t: TFunction, c: ConsentSummary): string {
  return t(`c360.scope.${c.scope}`, { party: c.thirdParty ?? '', defaultValue: c.scope });
}

interface WalletCardProps {
  customerId: string;
  wallet: WalletSummary;
  live: LiveWallet | undefined;
  loading: boolean;
  canServe: boolean;
  onTier: () => void;
  onCard: () => void;
}

function WalletCard({ customerId, wallet: w, live, loading, canServe, onTier, onCard }: WalletCardProps) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const client = useQueryClient();
  const receipt = useMutation({
    mutationFn: () => backend.walletReceipt({ customerId, walletId: w.id }),
    onSuccess: async (file) => {
      download(file.fileName, file.contentType, new Uint8Array(file.bytes));
      await client.invalidateQueries({ queryKey: profileKey(customerId) });
    },
  });
  const limit = (m: string | null) => (m === null ? t('c360.noLimit') : formatMoney(m));
  return (
    <Card
      size="small"
      className="c360-card"
      data-testid={`c360-wallet-${w.id}`}
      title={<h4 className="card-heading">{t('c360.walletTitle', { id: w.id })}</h4>}
      extra={
        canServe && (
          <Space wrap>
            <Button size="small" icon={<RiseOutlined aria-hidden />} data-testid={`c360-tier-${w.id}`} onClick={onTier}>
              {t('c360.changeTier')}
            </Button>
            <Button size="small" icon={<CreditCardOutlined aria-hidden />} data-testid={`c360-card-${w.id}`} onClick={onCard}>
              {t('c360.linkCard')}
            </Button>
            <Button
              size="small"
              icon={<PrinterOutlined aria-hidden />}
              data-testid={`c360-receipt-${w.id}`}
              loading={receipt.isPending}
              onClick={() => {
                receipt.mutate();
              }}
            >
              {t('c360.receipt')}
            </Button>
          </Space>
        )
      }
    >
      <Space wrap size="middle">
        <Tag data-testid={`c360-tier-tag-${w.id}`}>{t('c360.tierName', { tier: w.tier })}</Tag>
        <span>
          {t('c360.balance')}：<strong>{formatMoney(live?.balance ?? w.balance)}</strong>
        </span>
        <Tag color={w.status === 'active' ? 'success' : 'error'}>{t(`c360.status.${w.status}`, { defaultValue: w.status })}</Tag>
        {(live?.paymentsFrozen ?? w.paymentsFrozen) && <Tag color="error">{t('c360.paymentsFrozen')}</Tag>}
      </Space>
      {receipt.isSuccess && (
        <>
          <p role="status" className="field-note" data-testid={`c360-receipt-done-${w.id}`}>
            {t('c360.receiptSaved', { name: receipt.data.fileName })}
          </p>
          <KnowledgeLink category="fees" query="" label={t('knowledge.links.fees')} testId={`kb-link-fees-${w.id}`} />
        </>
      )}
      {receipt.isError && <Alert type="error" showIcon className="form-alert" message={errorText(receipt.error)} />}
      {loading && <p className="field-note">{t('c360.limitsLoading')}</p>}
      {live !== undefined && (
        <>
          {live.loweredBecause !== null && (
            <Alert type="error" showIcon className="form-alert" data-testid={`c360-lowered-${w.id}`} message={t('c360.lowered', { tier: live.appliedTier })} />
          )}
          <Descriptions size="small" column={{ xs: 1, sm: 3 }} title={t('c360.limits')} data-testid={`c360-limits-${w.id}`}>
            <Descriptions.Item label={t('c360.limit.balanceCap')}>{limit(live.balanceCap)}</Descriptions.Item>
            <Descriptions.Item label={t('c360.limit.onePayment')}>{limit(live.onePayment)}</Descriptions.Item>
            <Descriptions.Item label={t('c360.limit.perDay')}>{limit(live.perDay)}</Descriptions.Item>
            <Descriptions.Item label={t('c360.limit.perYear')}>{limit(live.perYear)}</Descriptions.Item>
            <Descriptions.Item label={t('c360.limit.usedToday')}>{formatMoney(live.usedToday)}</Descriptions.Item>
            <Descriptions.Item label={t('c360.limit.usedThisYear')}>{formatMoney(live.usedThisYear)}</Descriptions.Item>
          </Descriptions>
        </>
      )}
    </Card>
  );
}

function CardsTable({ cards, when }: { cards: CardSummary[]; when: (at: string | null) => string }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<CardSummary> = [
    { title: t('c360.col.card'), dataIndex: 'maskedNumber', key: 'card' },
    { title: t('c360.col.bank'), dataIndex: 'bankName', key: 'bank', render: (b: string | null) => b ?? t('common.none') },
    { title: t('c360.col.wallet'), dataIndex: 'walletId', key: 'wallet', render: (id: string) => `…${id.slice(-4)}` },
    { title: t('c360.col.status'), dataIndex: 'status', key: 'status', render: (s: string) => t(`c360.cardStatus.${s}`, { defaultValue: s }) },
    { title: t('c360.col.since'), dataIndex: 'linkedAt', key: 'since', render: (at: string) => when(at) },
  ];
  return (
    <Table<CardSummary>
      size="small"
      rowKey="id"
      pagination={false}
      data-testid="c360-cards"
      dataSource={cards}
      columns={columns}
      locale={{ emptyText: <p className="empty-note">{t('c360.noCards')}</p> }}
    />
  );
}

function Notes({ customerId, profile, when }: { customerId: string; profile: CustomerProfile; when: (at: string | null) => string }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<{ text: string }>();
  const add = useMutation({
    mutationFn: (text: string) => backend.customerAddNote({ customerId, text }),
    onSuccess: async () => {
      form.resetFields();
      await client.invalidateQueries({ queryKey: profileKey(customerId) });
    },
  });
  return (
    <>
      {profile.notes.length === 0 ? (
        <p className="empty-note">{t('c360.noNotes')}</p>
      ) : (
        <List
          size="small"
          bordered
          data-testid="c360-notes"
          dataSource={profile.notes}
          renderItem={(n) => (
            <List.Item>
              <List.Item.Meta title={n.text} description={t('c360.noteBy', { author: n.author, at: when(n.createdAt) })} />
            </List.Item>
          )}
        />
      )}
      {profile.canNote && (
        <Form form={form} layout="vertical" name="c360-note" className="c360-note-form" onFinish={(v) => { add.mutate(v.text.trim()); }}>
          <Form.Item label={t('c360.noteLabel')} name="text" extra={t('c360.noteHint')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input.TextArea rows={2} maxLength={1000} data-testid="c360-note-text" />
          </Form.Item>
          {add.isError && <Alert type="error" showIcon className="form-alert" message={errorText(add.error)} />}
          <Button htmlType="submit" loading={add.isPending} data-testid="c360-note-submit">
            {t('c360.noteSubmit')}
          </Button>
        </Form>
      )}
    </>
  );
}

/** After a counter action: the profile (pending list, audit) and the live part are re-read. */
function useRefresh(customerId: string) {
  const client = useQueryClient();
  return async () => {
    await client.invalidateQueries({ queryKey: ['customer', customerId] });
    await client.invalidateQueries({ queryKey: ['sync'] });
  };
}

interface DialogProps {
  customerId: string;
  onClose: (queued?: QueuedChange | string) => void;
}

function DialogError({ error, testId }: { error: unknown; testId: string }) {
  const errorText = useErrorText();
  return <Alert className="form-alert" type="error" showIcon role="alert" data-testid={testId} message={errorText(error)} />;
}

function RevealDialog({ customerId, onClose }: DialogProps) {
  const { t } = useTranslation();
  const backend = useBackend();
  const refresh = useRefresh(customerId);
  const reveal = useMutation({
    mutationFn: (reason: string) => backend.customerRevealId({ customerId, reason }),
    onSuccess: refresh,
    // The whole number leaves memory with the dialog: no cached copy outlives it.
    gcTime: 0,
  });
  return (
    <Modal open title={t('c360.revealTitle')} onCancel={() => { onClose(); }} footer={null} destroyOnHidden>
      {reveal.data === undefined ? (
        <>
          <p>{t('c360.revealNote')}</p>
          <Form<{ reason: string }> layout="vertical" name="c360-reveal" onFinish={(v) => { reveal.mutate(v.reason.trim()); }}>
            <Form.Item label={t('c360.revealReason')} name="reason" rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input maxLength={200} data-testid="c360-reveal-reason" />
            </Form.Item>
            {reveal.isError && <DialogError error={reveal.error} testId="c360-reveal-error" />}
            <Space wrap>
              <Button type="primary" htmlType="submit" loading={reveal.isPending} data-testid="c360-reveal-submit">
                {t('c360.revealSubmit')}
              </Button>
              <Button onClick={() => { onClose(); }}>{t('c360.cancel')}</Button>
            </Space>
          </Form>
        </>
      ) : (
        <>
          <p>{t('c360.revealed')}</p>
          <p className="revealed-id" data-testid="c360-revealed-id">{reveal.data.residentId}</p>
          <Button type="primary" data-testid="c360-reveal-close" onClick={() => { onClose(); }}>
            {t('c360.close')}
          </Button>
        </>
      )}
    </Modal>
  );
}

function RenewDialog({ customerId, onClose }: DialogProps) {
  const { t } = useTranslation();
  const backend = useBackend();
  const refresh = useRefresh(customerId);
  const [longTerm, setLongTerm] = useState(false);
  const renew = useMutation({
    mutationFn: (v: { expiresOn?: string; inPerson?: boolean }) =>
      backend.customerRenewId({ customerId, expiresOn: longTerm ? null : (v.expiresOn ?? '').trim(), idCheckedInPerson: v.inPerson === true }),
    onSuccess: async (queued) => {
      await refresh();
      onClose(queued);
    },
  });
  return (
    <Modal open title={t('c360.renewTitle')} onCancel={() => { onClose(); }} footer={null} destroyOnHidden>
      <p>{t('c360.renewNote')}</p>
      <Form<{ expiresOn?: string; inPerson?: boolean }> layout="vertical" name="c360-renew" onFinish={(v) => { renew.mutate(v); }}>
        <Checkbox checked={longTerm} onChange={(e) => { setLongTerm(e.target.checked); }} data-testid="c360-renew-long-term">
          {t('c360.renewLongTerm')}
        </Checkbox>
        {!longTerm && (
          <Form.Item label={t('c360.renewExpires')} name="expiresOn" rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input placeholder="2036-05-01" inputMode="numeric" maxLength={10} data-testid="c360-renew-expires" />
          </Form.Item>
        )}
        <Form.Item name="inPerson" valuePropName="checked">
          <Checkbox data-testid="c360-renew-in-person">{t('c360.renewInPerson')}</Checkbox>
        </Form.Item>
        {renew.isError && <DialogError error={renew.error} testId="c360-renew-error" />}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={renew.isPending} data-testid="c360-renew-submit">
            {t('c360.renewSubmit')}
          </Button>
          <Button onClick={() => { onClose(); }}>{t('c360.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}

function TierDialog({ customerId, wallet, onClose }: DialogProps & { wallet: WalletSummary }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const refresh = useRefresh(customerId);
  const [tier, setTier] = useState<number | null>(null);
  const [inPerson, setInPerson] = useState(false);
  const change = useMutation({
    mutationFn: (to: number) => backend.walletChangeTier({ customerId, walletId: wallet.id, tier: to, idCheckedInPerson: inPerson }),
    onSuccess: async (queued) => {
      await refresh();
      onClose(queued);
    },
  });
  // Core says what a change to each tier still needs here (nothing for a downgrade).
  const missingText = (tierNo: number) =>
    (wallet.tierOptions.find((o) => o.tier === tierNo)?.missing ?? []).map((m) => t(`onboarding.wallet.missing.${m}`)).join('；');
  return (
    <Modal open title={t('c360.tierTitle', { id: wallet.id })} onCancel={() => { onClose(); }} footer={null} destroyOnHidden>
      <p>{t('c360.tierNow', { tier: wallet.tier })}</p>
      <fieldset className="plain-fieldset">
        <legend>{t('c360.tierChoice')}</legend>
        <Radio.Group value={tier} onChange={(e) => { setTier(e.target.value as number); }} data-testid="c360-tier-choice">
          <Space direction="vertical">
            {[1, 2, 3, 4].map((n) => {
              const missing = missingText(n);
              return (
                <Radio key={n} value={n} disabled={n === wallet.tier || missing !== ''} data-testid={`c360-tier-option-${String(n)}`}>
                  {t(`onboarding.wallet.tier.${String(n)}`)}
                  {n === wallet.tier && t('c360.tierCurrent')}
                  {missing !== '' && <span className="field-note"> — {missing}</span>}
                </Radio>
              );
            })}
          </Space>
        </Radio.Group>
      </fieldset>
      <Checkbox checked={inPerson} onChange={(e) => { setInPerson(e.target.checked); }} data-testid="c360-tier-in-person">
        {t('c360.inPerson')}
      </Checkbox>
      <p className="field-note">{tier !== null && tier > wallet.tier ? t('c360.downgradeNote') : t('c360.inPersonNote')}</p>
      {change.isError && <DialogError error={change.error} testId="c360-tier-error" />}
      <Space wrap>
        <Button type="primary" disabled={tier === null} loading={change.isPending} data-testid="c360-tier-submit" onClick={() => { if (tier !== null) change.mutate(tier); }}>
          {t('c360.tierSubmit')}
        </Button>
        <Button onClick={() => { onClose(); }}>{t('c360.cancel')}</Button>
      </Space>
    </Modal>
  );
}

function CardDialog({ customerId, wallet, onClose }: DialogProps & { wallet: WalletSummary }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const refresh = useRefresh(customerId);
  const link = useMutation({
    mutationFn: (v: { number: string; bankName?: string }) =>
      backend.walletLinkCard({ customerId, walletId: wallet.id, number: v.number, bankName: v.bankName?.trim() ?? null }),
    onSuccess: async (queued) => {
      await refresh();
      onClose(queued);
    },
  });
  return (
    <Modal open title={t('c360.cardTitle', { id: wallet.id })} onCancel={() => { onClose(); }} footer={null} destroyOnHidden>
      <Form<{ number: string; bankName?: string }> layout="vertical" name="c360-card" onFinish={(v) => { link.mutate(v); }}>
        <Form.Item label={t('c360.cardNumber')} name="number" extra={t('c360.cardNote')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input inputMode="numeric" autoComplete="off" maxLength={23} data-testid="c360-card-number" />
        </Form.Item>
        <Form.Item label={t('c360.bankName')} name="bankName">
          <Input maxLength={40} data-testid="c360-card-bank" />
        </Form.Item>
        {link.isError && <DialogError error={link.error} testId="c360-card-error" />}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={link.isPending} data-testid="c360-card-submit">
            {t('c360.cardSubmit')}
          </Button>
          <Button onClick={() => { onClose(); }}>{t('c360.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}

function WithdrawDialog({ customerId, consent, onClose }: DialogProps & { consent: ConsentSummary }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const refresh = useRefresh(customerId);
  const withdraw = useMutation({
    mutationFn: (reason: string) => backend.consentWithdraw({ customerId, consentId: consent.id, reason: reason === '' ? null : reason }),
    onSuccess: async (queued) => {
      await refresh();
      onClose(queued);
    },
  });
  return (
    <Modal open title={t('c360.withdrawTitle', { scope: scopeLabel(t, consent) })} onCancel={() => { onClose(); }} footer={null} destroyOnHidden>
      <p>{t('c360.withdrawNote')}</p>
      <Form<{ reason?: string }> layout="vertical" name="c360-withdraw" onFinish={(v) => { withdraw.mutate((v.reason ?? '').trim()); }}>
        <Form.Item label={t('c360.withdrawReason')} name="reason">
          <Input maxLength={200} data-testid="c360-withdraw-reason" />
        </Form.Item>
        {withdraw.isError && <DialogError error={withdraw.error} testId="c360-withdraw-error" />}
        <Space wrap>
          <Button type="primary" danger htmlType="submit" loading={withdraw.isPending} data-testid="c360-withdraw-submit">
            {t('c360.withdrawSubmit')}
          </Button>
          <Button onClick={() => { onClose(); }}>{t('c360.cancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}
