import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, List, Modal, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { Booth } from '../../bindings/Booth';
import type { BoothCatalogue } from '../../bindings/BoothCatalogue';
import type { Campaign } from '../../bindings/Campaign';
import type { IncentiveKind } from '../../bindings/IncentiveKind';
import { fieldCode, useErrorText, useFieldText } from '../../shell/errors';

type Editing = { kind: 'campaign'; campaign: Campaign | null } | { kind: 'booth'; booth: Booth | null };

/** Comma, 、 or space separated codes or usernames, as typed; core trims and checks them. */
const splitList = (text: string | undefined) =>
  (text ?? '')
    .split(/[,，、\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * A supervisor's campaigns and booths: created and edited here, queued for the core like every
 * write (core checks each rule before queueing), and back on every console through the feed.
 */
export function CampaignAdmin({ catalogue }: { catalogue: BoothCatalogue }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <Card title={t('booth.admin.title')} data-testid="booth-admin">
      <p>{t('booth.admin.hint')}</p>
      {done !== null && <Alert type="success" showIcon role="status" className="form-alert" data-testid="booth-admin-done" message={done} closable onClose={() => { setDone(null); }} />}
      <Space wrap>
        <Button onClick={() => { setEditing({ kind: 'campaign', campaign: null }); }} data-testid="booth-admin-new-campaign">
          {t('booth.admin.newCampaign')}
        </Button>
        <Button onClick={() => { setEditing({ kind: 'booth', booth: null }); }} data-testid="booth-admin-new-booth">
          {t('booth.admin.newBooth')}
        </Button>
      </Space>
      <h3>{t('booth.admin.campaigns')}</h3>
      <List
        size="small"
        dataSource={catalogue.campaigns}
        locale={{ emptyText: <p className="empty-note">{t('booth.admin.noCampaigns')}</p> }}
        renderItem={(c) => (
          <List.Item
            data-testid="booth-admin-campaign"
            actions={[
              <Button key="edit" size="small" onClick={() => { setEditing({ kind: 'campaign', campaign: c }); }}>
                {t('booth.admin.edit')}
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={`${c.code} · ${c.name}`}
              description={
                <Space wrap size="small">
                  <span>{`${c.startsOn} – ${c.endsOn}`}</span>
                  <Tag>{c.running ? t('booth.admin.running') : t('booth.admin.notRunning')}</Tag>
                  <span>{t('booth.admin.claims', { claims: c.claims, cap: c.budgetClaims ?? '∞' })}</span>
                  <span>{c.booths.join(', ')}</span>
                </Space>
              }
            />
          </List.Item>
        )}
      />
      <h3>{t('booth.admin.booths')}</h3>
      <List
        size="small"
        dataSource={catalogue.booths}
        locale={{ emptyText: <p className="empty-note">{t('booth.noBooths')}</p> }}
        renderItem={(b) => (
          <List.Item
            data-testid="booth-admin-booth"
            actions={[
              <Button key="edit" size="small" onClick={() => { setEditing({ kind: 'booth', booth: b }); }}>
                {t('booth.admin.edit')}
              </Button>,
            ]}
          >
            <List.Item.Meta title={`${b.code} · ${b.name} · ${b.mall}`} description={`${b.branch} · ${b.roster.join(', ')}`} />
          </List.Item>
        )}
      />
      {editing?.kind === 'campaign' && (
        <CampaignDialog campaign={editing.campaign} onClose={(summary) => { setEditing(null); if (summary !== undefined) setDone(t('booth.admin.queued', { summary })); }} />
      )}
      {editing?.kind === 'booth' && (
        <BoothDialog booth={editing.booth} onClose={(summary) => { setEditing(null); if (summary !== undefined) setDone(t('booth.admin.queued', { summary })); }} />
      )}
    </Card>
  );
}

interface CampaignValues {
  code: string;
  name: string;
  startsOn: string;
  endsOn: string;
  branches?: string;
  booths?: string;
  incentiveKind: IncentiveKind;
  incentiveAmount?: string;
  incentivePoints?: string;
  incentiveCoupon?: string;
  incentiveService?: string;
  newCustomersOnly?: boolean;
  budgetClaims?: string;
  budgetAmount?: string;
}

const KINDS: IncentiveKind[] = ['cashback', 'points', 'coupon', 'fee-waiver'];

function CampaignDialog({ campaign, onClose }: { campaign: Campaign | null; onClose: (summary?: string) => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const fieldText = useFieldText();
  const [form] = Form.useForm<CampaignValues>();
  // Undefined until the form has mounted, whatever the value type says.
  const watched = Form.useWatch('incentiveKind', form) as IncentiveKind | undefined;
  const kind = watched ?? campaign?.incentive.kind ?? 'cashback';
  const blank = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s.trim());
  const save = useMutation({
    mutationFn: (v: CampaignValues) =>
      backend.campaignSave({
        code: v.code,
        name: v.name,
        startsOn: v.startsOn,
        endsOn: v.endsOn,
        branches: splitList(v.branches),
        booths: splitList(v.booths),
        incentiveKind: v.incentiveKind,
        incentiveAmount: v.incentiveKind === 'cashback' ? blank(v.incentiveAmount) : null,
        incentivePoints: v.incentiveKind === 'points' && blank(v.incentivePoints) !== null ? Number(v.incentivePoints) : null,
        incentiveCoupon: v.incentiveKind === 'coupon' ? blank(v.incentiveCoupon) : null,
        incentiveService: v.incentiveKind === 'fee-waiver' ? blank(v.incentiveService) : null,
        newCustomersOnly: v.newCustomersOnly === true,
        budgetClaims: blank(v.budgetClaims) === null ? null : Number(v.budgetClaims),
        budgetAmount: blank(v.budgetAmount),
      }),
    onSuccess: async (queued) => {
      await client.invalidateQueries({ queryKey: ['sync'] });
      onClose(queued.summary);
    },
  });
  const marked = (field: string) => {
    const code = fieldCode(save.error, field);
    return code === null ? {} : { validateStatus: 'error' as const, help: fieldText(code) };
  };
  const required = [{ required: true, whitespace: true, message: t('validation.required') }];
  return (
    <Modal open title={campaign === null ? t('booth.admin.newCampaign') : t('booth.admin.editCampaign', { code: campaign.code })} onCancel={() => { onClose(); }} footer={null} destroyOnHidden>
      <Form<CampaignValues>
        form={form}
        layout="vertical"
        name="booth-admin-campaign"
        initialValues={{
          code: campaign?.code,
          name: campaign?.name,
          startsOn: campaign?.startsOn,
          endsOn: campaign?.endsOn,
          branches: campaign?.branches.join(', '),
          booths: campaign?.booths.join(', '),
          incentiveKind: campaign?.incentive.kind ?? 'cashback',
          incentiveAmount: campaign?.incentive.amount ?? undefined,
          incentivePoints: campaign?.incentive.points?.toString(),
          incentiveCoupon: campaign?.incentive.coupon ?? undefined,
          incentiveService: campaign?.incentive.service ?? undefined,
          newCustomersOnly: campaign?.newCustomersOnly ?? true,
          budgetClaims: campaign?.budgetClaims?.toString(),
          budgetAmount: campaign?.budgetAmount ?? undefined,
        }}
        onFinish={(v) => { save.mutate(v); }}
      >
        <Form.Item label={t('booth.admin.code')} name="code" rules={required} {...marked('code')}>
          <Input maxLength={32} disabled={campaign !== null} data-testid="booth-admin-campaign-code" />
        </Form.Item>
        <Form.Item label={t('booth.admin.name')} name="name" rules={required} {...marked('name')}>
          <Input maxLength={64} data-testid="booth-admin-campaign-name" />
        </Form.Item>
        <Form.Item label={t('booth.admin.startsOn')} name="startsOn" rules={required} {...marked('startsOn')}>
          <Input placeholder="2026-12-01" maxLength={10} inputMode="numeric" data-testid="booth-admin-campaign-starts" />
        </Form.Item>
        <Form.Item label={t('booth.admin.endsOn')} name="endsOn" rules={required} {...marked('endsOn')}>
          <Input placeholder="2026-12-31" maxLength={10} inputMode="numeric" data-testid="booth-admin-campaign-ends" />
        </Form.Item>
        <Form.Item label={t('booth.admin.branches')} name="branches" extra={t('booth.admin.listNote')} {...marked('branches')}>
          <Input data-testid="booth-admin-campaign-branches" />
        </Form.Item>
        <Form.Item label={t('booth.admin.boothCodes')} name="booths" extra={t('booth.admin.listNote')} {...marked('booths')}>
          <Input data-testid="booth-admin-campaign-booths" />
        </Form.Item>
        <Form.Item label={t('booth.admin.incentive')} name="incentiveKind">
          <Select aria-label={t('booth.admin.incentive')} data-testid="booth-admin-campaign-kind" options={KINDS.map((k) => ({ value: k, label: t(`booth.incentiveKind.${k}`) }))} />
        </Form.Item>
        {kind === 'cashback' && (
          <Form.Item label={t('booth.admin.amount')} name="incentiveAmount" {...marked('incentiveAmount')}>
            <Input inputMode="decimal" data-testid="booth-admin-campaign-amount" />
          </Form.Item>
        )}
        {kind === 'points' && (
          <Form.Item label={t('booth.admin.points')} name="incentivePoints" {...marked('incentivePoints')}>
            <Input inputMode="numeric" />
          </Form.Item>
        )}
        {kind === 'coupon' && (
          <Form.Item label={t('booth.admin.coupon')} name="incentiveCoupon" {...marked('incentiveCoupon')}>
            <Input maxLength={64} />
          </Form.Item>
        )}
        {kind === 'fee-waiver' && (
          <Form.Item label={t('booth.admin.service')} name="incentiveService" {...marked('incentiveService')}>
            <Input maxLength={32} />
          </Form.Item>
        )}
        <Form.Item name="newCustomersOnly" valuePropName="checked">
          <Checkbox>{t('booth.admin.newCustomersOnly')}</Checkbox>
        </Form.Item>
        <Form.Item label={t('booth.admin.budgetClaims')} name="budgetClaims" {...marked('budgetClaims')}>
          <Input inputMode="numeric" data-testid="booth-admin-campaign-budget" />
        </Form.Item>
        <Form.Item label={t('booth.admin.budgetAmount')} name="budgetAmount" {...marked('budgetAmount')}>
          <Input inputMode="decimal" />
        </Form.Item>
        {save.isError && <Alert type="error" showIcon role="alert" className="form-alert" data-testid="booth-admin-campaign-error" message={errorText(save.error)} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="booth-admin-campaign-submit">
            {t('booth.admin.save')}
          </Button>
          <Button onClick={() => { onClose(); }}>{t('booth.closeCancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}

interface BoothValues {
  code: string;
  name: string;
  mall: string;
  address: string;
  branch: string;
  roster?: string;
}

function BoothDialog({ booth, onClose }: { booth: Booth | null; onClose: (summary?: string) => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const fieldText = useFieldText();
  const save = useMutation({
    mutationFn: (v: BoothValues) =>
      backend.boothSave({ code: v.code, name: v.name, mall: v.mall, address: v.address, branch: v.branch, roster: splitList(v.roster) }),
    onSuccess: async (queued) => {
      await client.invalidateQueries({ queryKey: ['sync'] });
      onClose(queued.summary);
    },
  });
  const marked = (field: string) => {
    const code = fieldCode(save.error, field);
    return code === null ? {} : { validateStatus: 'error' as const, help: fieldText(code) };
  };
  const required = [{ required: true, whitespace: true, message: t('validation.required') }];
  return (
    <Modal open title={booth === null ? t('booth.admin.newBooth') : t('booth.admin.editBooth', { code: booth.code })} onCancel={() => { onClose(); }} footer={null} destroyOnHidden>
      <Form<BoothValues>
        layout="vertical"
        name="booth-admin-booth"
        initialValues={{ code: booth?.code, name: booth?.name, mall: booth?.mall, address: booth?.address, branch: booth?.branch, roster: booth?.roster.join(', ') }}
        onFinish={(v) => { save.mutate(v); }}
      >
        <Form.Item label={t('booth.admin.code')} name="code" rules={required} {...marked('code')}>
          <Input maxLength={32} disabled={booth !== null} data-testid="booth-admin-booth-code" />
        </Form.Item>
        <Form.Item label={t('booth.admin.name')} name="name" rules={required} {...marked('name')}>
          <Input maxLength={64} data-testid="booth-admin-booth-name" />
        </Form.Item>
        <Form.Item label={t('booth.admin.mall')} name="mall" rules={required} {...marked('mall')}>
          <Input maxLength={64} data-testid="booth-admin-booth-mall" />
        </Form.Item>
        <Form.Item label={t('booth.admin.address')} name="address" rules={required} {...marked('address')}>
          <Input maxLength={200} data-testid="booth-admin-booth-address" />
        </Form.Item>
        <Form.Item label={t('booth.admin.branch')} name="branch" rules={required} {...marked('branch')}>
          <Input maxLength={64} data-testid="booth-admin-booth-branch" />
        </Form.Item>
        <Form.Item label={t('booth.admin.roster')} name="roster" extra={t('booth.admin.listNote')} {...marked('roster')}>
          <Input data-testid="booth-admin-booth-roster" />
        </Form.Item>
        {save.isError && <Alert type="error" showIcon role="alert" className="form-alert" data-testid="booth-admin-booth-error" message={errorText(save.error)} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="booth-admin-booth-submit">
            {t('booth.admin.save')}
          </Button>
          <Button onClick={() => { onClose(); }}>{t('booth.closeCancel')}</Button>
        </Space>
      </Form>
    </Modal>
  );
}
