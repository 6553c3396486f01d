import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Descriptions, Empty, Form, Input, List, Modal, Space, Tag } from 'antd';
import { NativeSelect } from '../../components/NativeSelect';
import { QrPosterButton } from './QrPosterButton';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import type { BoothCatalogue } from '../../bindings/BoothCatalogue';
import type { BoothToday } from '../../bindings/BoothToday';
import type { SignUpRow } from '../../bindings/SignUpRow';
import { fieldCode, useErrorText, useFieldText } from '../../shell/errors';
import { PageFrame } from '../../shell/PageFrame';
import { useMe } from '../complaints/shared';
import { FeePanel } from '../fees/FeePanel';
import { CampaignAdmin } from './CampaignAdmin';
import { LeadsPanel } from './LeadsPanel';

/** Which booth and campaign this laptop works today: the screen's own state, kept per tab. */
interface Opened {
  booth: string;
  campaign: string;
}

const OPENED_KEY = 'walletdesk.booth.opened';
const CATALOGUE_KEY = ['booth', 'catalogue'] as const;
const todayKey = (booth: string) => ['booth', 'today', booth] as const;

function readOpened(): Opened | null {
  try {
    const text = sessionStorage.getItem(OPENED_KEY);
    return text === null ? null : (JSON.parse(text) as Opened);
  } catch {
    return null;
  }
}

/**
 * The booth's day: open the booth (booth and campaign; the staff member is the one signed in),
 * sign people up with the mobile only (offline too: everything is queued and nothing here waits
 * for the network), watch the day's sign-ups be confirmed, and close the day with a summary.
 * The network state is the status bar's, always on screen.
 */
export function BoothPage() {
  const { t } = useTranslation();
  const backend = useBackend();
  const [opened, setOpened] = useState<Opened | null>(readOpened);
  const catalogue = useQuery({ queryKey: CATALOGUE_KEY, queryFn: () => backend.boothCatalogue() });
  // Core refuses the saves to anyone else; the panel is shown only to whoever may use it.
  const supervisor = useMe().role === 'supervisor';
  const open = (o: Opened | null) => {
    if (o === null) sessionStorage.removeItem(OPENED_KEY);
    else sessionStorage.setItem(OPENED_KEY, JSON.stringify(o));
    setOpened(o);
  };
  return (
    <PageFrame area="booth" title={t('area.booth')} intro={t('booth.intro')}>
      {catalogue.data === undefined ? null : opened === null ? (
        <OpenBooth catalogue={catalogue.data} onOpen={open} />
      ) : (
        <BoothDay catalogue={catalogue.data} opened={opened} onClose={() => { open(null); }} />
      )}
      {supervisor && catalogue.data !== undefined && <CampaignAdmin catalogue={catalogue.data} />}
    </PageFrame>
  );
}

function OpenBooth({ catalogue, onOpen }: { catalogue: BoothCatalogue; onOpen: (o: Opened) => void }) {
  const { t } = useTranslation();
  const [booth, setBooth] = useState<string | undefined>(catalogue.booths[0]?.code);
  if (catalogue.booths.length === 0) {
    return <Empty description={t('booth.noBooths')} data-testid="booth-none" />;
  }
  const campaigns = catalogue.campaigns.filter((c) => booth !== undefined && c.booths.includes(booth) && c.running);
  return (
    <Card title={t('booth.openTitle')} data-testid="booth-open">
      <Form<Opened>
        layout="vertical"
        name="booth-open"
        initialValues={{ booth, campaign: campaigns[0]?.code }}
        onValuesChange={(changed: Partial<Opened>) => {
          if (changed.booth !== undefined) setBooth(changed.booth);
        }}
        onFinish={onOpen}
      >
        <Form.Item label={t('booth.booth')} name="booth" rules={[{ required: true, message: t('validation.required') }]}>
          <NativeSelect
            data-testid="booth-open-booth"
            placeholder={t('booth.chooseBooth')}
            options={catalogue.booths.map((b) => ({ value: b.code, label: `${b.name} · ${b.mall}` }))}
          />
        </Form.Item>
        <Form.Item label={t('booth.campaign')} name="campaign" rules={[{ required: true, message: t('validation.required') }]}>
          <NativeSelect data-testid="booth-open-campaign" placeholder={t('booth.chooseCampaign')} options={campaigns.map((c) => ({ value: c.code, label: c.name }))} />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="booth-open-submit">
          {t('booth.open')}
        </Button>
      </Form>
    </Card>
  );
}

function BoothDay({ catalogue, opened, onClose }: { catalogue: BoothCatalogue; opened: Opened; onClose: () => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const [closing, setClosing] = useState(false);
  // Polled: the sync engine confirms sign-ups in the background, whenever the network allows.
  const today = useQuery({
    queryKey: todayKey(opened.booth),
    queryFn: () => backend.boothToday(opened.booth),
    refetchInterval: 3000,
  });
  const booth = catalogue.booths.find((b) => b.code === opened.booth);
  const campaign = catalogue.campaigns.find((c) => c.code === opened.campaign);
  return (
    <Space direction="vertical" size="large" className="booth-day">
      <Descriptions bordered size="small" column={1} data-testid="booth-opened">
        <Descriptions.Item label={t('booth.booth')}>{booth === undefined ? opened.booth : `${booth.name} · ${booth.mall}`}</Descriptions.Item>
        <Descriptions.Item label={t('booth.campaign')}>{campaign?.name ?? opened.campaign}</Descriptions.Item>
        {campaign !== undefined && (
          <Descriptions.Item label={t('booth.incentive')}>
            {t(`booth.incentiveKind.${campaign.incentive.kind}`)}
            {campaign.incentive.amount !== null ? ` ${campaign.incentive.amount}` : ''}
            {campaign.budgetExhausted ? ` · ${t('booth.budgetExhausted')}` : ''}
          </Descriptions.Item>
        )}
      </Descriptions>
      {booth !== undefined && <QrPosterButton campaign={opened.campaign} booth={opened.booth} roster={booth.roster} />}
      <SignUpForm opened={opened} />
      {/* A booth sign-up is a tier 4 wallet; the campaign's fee waiver, if it has one, shows. */}
      <FeePanel tier={4} campaign={opened.campaign} testId="booth-fees" />
      {today.data !== undefined && <TodayPanel today={today.data} />}
      <LeadsPanel booth={opened.booth} campaign={opened.campaign} />
      <Button onClick={() => { setClosing(true); }} data-testid="booth-close">
        {t('booth.close')}
      </Button>
      {closing && today.data !== undefined && (
        <Modal
          open
          title={t('booth.closeTitle')}
          onCancel={() => { setClosing(false); }}
          onOk={() => { setClosing(false); onClose(); }}
          okText={t('booth.closeConfirm')}
          cancelText={t('booth.closeCancel')}
          destroyOnHidden
        >
          <Summary today={today.data} />
          {today.data.waiting > 0 && <Alert type="warning" showIcon message={t('booth.closeWaiting', { count: today.data.waiting })} />}
        </Modal>
      )}
    </Space>
  );
}

interface SignUpValues {
  mobile: string;
  name?: string;
  generalProcessing?: boolean;
  sensitiveFinancial?: boolean;
}

function SignUpForm({ opened }: { opened: Opened }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const fieldText = useFieldText();
  const [form] = Form.useForm<SignUpValues>();
  const signUp = useMutation({
    mutationFn: (v: SignUpValues) =>
      backend.boothSignUp({
        booth: opened.booth,
        campaign: opened.campaign,
        mobile: v.mobile,
        name: v.name ?? '',
        // Each consent is its own tick (PIPL: separate consent), sent as given.
        consents: [
          { scope: 'general-processing', given: v.generalProcessing === true },
          { scope: 'sensitive-financial', given: v.sensitiveFinancial === true },
        ],
      }),
    onSuccess: async () => {
      form.resetFields();
      await client.invalidateQueries({ queryKey: todayKey(opened.booth) });
    },
  });
  const marked = (field: string) => {
    const code = fieldCode(signUp.error, field);
    return code === null ? {} : { validateStatus: 'error' as const, help: fieldText(code) };
  };
  return (
    <Card title={t('booth.signUpTitle')} data-testid="booth-signup">
      <p>{t('booth.signUpHint')}</p>
      <Form<SignUpValues> form={form} layout="vertical" name="booth-signup" onFinish={(v) => { signUp.mutate(v); }}>
        <Form.Item label={t('booth.mobile')} name="mobile" rules={[{ required: true, whitespace: true, message: t('validation.required') }]} {...marked('mobile')}>
          <Input inputMode="tel" autoComplete="off" maxLength={20} data-testid="booth-signup-mobile" />
        </Form.Item>
        <Form.Item label={t('booth.name')} name="name" {...marked('name')}>
          <Input maxLength={64} data-testid="booth-signup-name" />
        </Form.Item>
        <Form.Item name="generalProcessing" valuePropName="checked" {...marked('general-processing')}>
          <Checkbox data-testid="booth-signup-consent-general">{t('booth.consentGeneral')}</Checkbox>
        </Form.Item>
        <Form.Item name="sensitiveFinancial" valuePropName="checked" {...marked('sensitive-financial')}>
          <Checkbox data-testid="booth-signup-consent-sensitive">{t('booth.consentSensitive')}</Checkbox>
        </Form.Item>
        {signUp.isError && <Alert type="error" showIcon role="alert" className="form-alert" data-testid="booth-signup-error" message={errorText(signUp.error)} />}
        {signUp.data !== undefined && (
          <Alert type="success" showIcon role="status" className="form-alert" data-testid="booth-signup-done" message={t('booth.signedUp', { mobile: signUp.data.maskedMobile })} description={incentiveText(t, signUp.data)} />
        )}
        <Button type="primary" htmlType="submit" loading={signUp.isPending} data-testid="booth-signup-submit">
          {t('booth.signUp')}
        </Button>
      </Form>
    </Card>
  );
}

function incentiveText(t: (key: string) => string, row: SignUpRow): string {
  return t(`booth.incentiveState.${row.incentive}`);
}

function Summary({ today }: { today: BoothToday }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={2} data-testid="booth-summary">
      <Descriptions.Item label={t('booth.signUps')}>{today.signups.length}</Descriptions.Item>
      <Descriptions.Item label={t('booth.confirmed')}>{today.confirmed}</Descriptions.Item>
      <Descriptions.Item label={t('booth.waiting')}>{today.waiting}</Descriptions.Item>
      <Descriptions.Item label={t('booth.granted')}>{today.incentivesGranted}</Descriptions.Item>
      <Descriptions.Item label={t('booth.promised')}>{today.incentivesPromised}</Descriptions.Item>
    </Descriptions>
  );
}

function TodayPanel({ today }: { today: BoothToday }) {
  const { t } = useTranslation();
  return (
    <Card title={t('booth.todayTitle', { day: today.day })} data-testid="booth-today">
      <Summary today={today} />
      <List
        size="small"
        data-testid="booth-today-list"
        dataSource={today.signups}
        locale={{ emptyText: <p className="empty-note">{t('booth.noSignUps')}</p> }}
        renderItem={(row) => (
          <List.Item data-testid="booth-today-row">
            <List.Item.Meta
              title={`${row.maskedMobile}${row.name === '' ? '' : ` · ${row.name}`}`}
              description={
                <Space wrap size="small">
                  <Tag>{t(`booth.state.${row.state}`)}</Tag>
                  {!row.mobileVerified && <Tag>{t('booth.mobileUnverified')}</Tag>}
                  <Tag data-testid="booth-today-incentive">{incentiveText(t, row)}</Tag>
                </Space>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
