import { CheckCircleOutlined, CloseCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Input, Select } from 'antd';
import type { Evaluation } from '../../bindings/Evaluation';
import { formatMoney } from '../../shell/money';
import { useTranslation } from 'react-i18next';
import { FeePanel } from '../fees/FeePanel';
import { KnowledgeLink } from '../knowledge/KnowledgeLink';
import { Field } from './Field';
import type { Wizard } from './useOnboarding';

/** The tier's limits as core sent them (the core bank's scheme in force today). */
export function LimitsPanel({ ev, tier }: { ev: Evaluation | undefined; tier: number }) {
  const { t } = useTranslation();
  // Money is a decimal string end to end; it is never turned into a float to be shown.
  const limitText = (amount: string | null) => (amount === null ? t('onboarding.wallet.noLimit') : formatMoney(amount));
  if (ev === undefined) return null;
  const limits = ev.limits?.tiers.find((x) => x.tier === tier);
  return (
    <section aria-labelledby="onb-limits-title" className="panel" data-testid="onb-limits">
      <h3 id="onb-limits-title">{t('onboarding.wallet.limitsTitle', { tier })}</h3>
      {limits === undefined ? (
        <p data-testid="onb-limits-unknown">{t('onboarding.wallet.limitsUnknown')}</p>
      ) : (
        <dl className="onb-dl">
          <dt>{t('onboarding.wallet.limit.balance')}</dt>
          <dd>{limitText(limits.balanceCap)}</dd>
          <dt>{t('onboarding.wallet.limit.payment')}</dt>
          <dd>{limitText(limits.onePayment)}</dd>
          <dt>{t('onboarding.wallet.limit.day')}</dt>
          <dd>{limitText(limits.perDay)}</dd>
          <dt>{t('onboarding.wallet.limit.year')}</dt>
          <dd>{limitText(limits.perYear)}</dd>
        </dl>
      )}
      {ev.limits !== null && (
        <p className="field-note" data-testid="onb-limits-source">
          {t('onboarding.wallet.limitsSource', { bank: ev.limits.operatorBankName, from: ev.limits.effectiveFrom })}
        </p>
      )}
    </section>
  );
}

/** Step 5: the customer's own bank card and the tier, from the options core allows. */
export function WalletStep({ w }: { w: Wizard }) {
  const { t, i18n } = useTranslation();
  const { data, update, ev, fieldError, attempted, touched, setTouched } = w;
  return (
    <>
      <p>{t('onboarding.wallet.intro')}</p>
      <p>
        <KnowledgeLink category="limits" query="" label={t('knowledge.links.tiers')} testId="kb-link-tiers" />
      </p>
      <Field
        id="onb-card"
        label={t('onboarding.wallet.cardLabel')}
        note={t('onboarding.wallet.cardNote')}
        error={fieldError('cardNumber', attempted || Boolean(touched.card))}
      >
        {(describedBy, invalid) => (
          <Input
            id="onb-card"
            data-testid="onb-card"
            inputMode="numeric"
            autoComplete="off"
            aria-describedby={describedBy}
            aria-invalid={invalid}
            value={data.cardNumber}
            onChange={(e) => {
              update({ cardNumber: e.target.value });
            }}
            onBlur={() => {
              setTouched((x) => ({ ...x, card: true }));
            }}
          />
        )}
      </Field>
      <fieldset className="onb-tiers" aria-describedby={fieldError('tier', attempted) ? 'onb-tier-error' : undefined}>
        <legend className="field-label">{t('onboarding.wallet.tierLegend')}</legend>
        {(ev?.tiers ?? []).map((option) => {
          const id = `onb-tier-${option.tier}`;
          const open = option.missing.length === 0;
          return (
            <div key={option.tier} className={open ? 'onb-tier' : 'onb-tier onb-tier-closed'}>
              <input
                type="radio"
                name="onb-tier"
                id={id}
                data-testid={id}
                value={option.tier}
                disabled={!open}
                aria-describedby={`${id}-note`}
                checked={data.tier === option.tier}
                onChange={() => {
                  update({ tier: option.tier });
                }}
              />
              <label htmlFor={id}>{t(`onboarding.wallet.tier.${option.tier}`)}</label>
              <p id={`${id}-note`} data-testid={`${id}-note`} className="field-note">
                {open ? (
                  <>
                    <CheckCircleOutlined aria-hidden /> {t('onboarding.wallet.available')}
                  </>
                ) : (
                  <>
                    <CloseCircleOutlined aria-hidden /> {t('onboarding.wallet.missingPrefix')}
                    {option.missing.map((m) => t(`onboarding.wallet.missing.${m}`)).join(i18n.language === 'en' ? '; ' : '；')}
                  </>
                )}
              </p>
            </div>
          );
        })}
        {fieldError('tier', attempted) !== null && (
          <p id="onb-tier-error" className="field-error">
            <ExclamationCircleOutlined aria-hidden /> {fieldError('tier', attempted)}
          </p>
        )}
      </fieldset>
      {data.tier === null ? <p>{t('onboarding.wallet.chooseFirst')}</p> : <LimitsPanel ev={ev} tier={data.tier} />}
      {data.tier !== null && <FeePanel tier={data.tier} campaign={data.campaign} testId="onb-fees" />}
      {(ev?.campaigns.length ?? 0) > 0 && (
        <Field
          id="onb-campaign"
          label={t('onboarding.wallet.campaignLabel')}
          note={t('onboarding.wallet.campaignNote')}
          error={fieldError('campaign', true)}
        >
          {(describedBy, invalid) => (
            <Select
              id="onb-campaign"
              data-testid="onb-campaign"
              aria-describedby={describedBy}
              aria-invalid={invalid}
              value={data.campaign}
              onChange={(value: string) => {
                update({ campaign: value });
              }}
              options={[
                { value: '', label: t('onboarding.wallet.campaignNone') },
                ...(ev?.campaigns ?? []).map((c) => ({ value: c.code, label: `${c.name} (${c.code})` })),
              ]}
            />
          )}
        </Field>
      )}
    </>
  );
}
