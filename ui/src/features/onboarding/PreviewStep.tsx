import { CheckCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { maskCard, maskMobile } from './model';
import { screeningState } from './ChecksStep';
import { FeePanel } from '../fees/FeePanel';
import { LimitsPanel } from './WalletStep';
import { useTranslation } from 'react-i18next';
import { ActionError } from './Field';
import type { Wizard } from './useOnboarding';

/** Step 6: everything at a glance, what core still finds wrong, and the submission. */
export function PreviewStep({ w }: { w: Wizard }) {
  const { t } = useTranslation();
  const { data, ev, busy, problemText } = w;
  const none = t('onboarding.preview.none');
  const problems = ev?.problems ?? [];
  return (
    <>
      <p>{t('onboarding.preview.intro')}</p>
      <dl className="onb-dl panel" data-testid="onb-preview">
        <dt>{t('onboarding.preview.name')}</dt>
        <dd>{data.name.trim() || none}</dd>
        <dt>{t('onboarding.preview.residentId')}</dt>
        <dd>{ev?.id?.masked ?? none}</dd>
        <dt>{t('onboarding.preview.idChecked')}</dt>
        <dd>{data.idCheckedInPerson ? t('onboarding.preview.yes') : t('onboarding.preview.no')}</dd>
        <dt>{t('onboarding.preview.mobile')}</dt>
        <dd>
          {maskMobile(data.mobile) || none} ·{' '}
          {data.mobileVerified ? t('onboarding.mobile.verified') : t('onboarding.mobile.notVerified')}
        </dd>
        <dt>{t('onboarding.preview.screening')}</dt>
        <dd>{screeningState(w, t).text}</dd>
        <dt>{t('onboarding.preview.consents')}</dt>
        <dd>
          <ul className="onb-plain-list">
            {(ev?.consents ?? []).map((c) => (
              <li key={c.scope}>
                {t(`onboarding.consents.title.${c.scope}`)}：
                {data.consents.some((x) => x.scope === c.scope && x.given)
                  ? t('onboarding.preview.given')
                  : t('onboarding.preview.notGiven')}
              </li>
            ))}
          </ul>
        </dd>
        {ev?.guardianRequired === true && (
          <>
            <dt>{t('onboarding.preview.guardian')}</dt>
            <dd>{data.guardianName.trim() || none}</dd>
          </>
        )}
        <dt>{t('onboarding.preview.card')}</dt>
        <dd>{maskCard(data.cardNumber) || none}</dd>
        <dt>{t('onboarding.preview.tier')}</dt>
        <dd>{data.tier === null ? none : t('onboarding.preview.tierValue', { tier: data.tier })}</dd>
      </dl>
      {data.tier !== null && <LimitsPanel ev={ev} tier={data.tier} />}
      {data.tier !== null && <FeePanel tier={data.tier} campaign={data.campaign} testId="onb-preview-fees" />}
      <div data-testid="onb-problems" aria-live="polite">
        {problems.length === 0 ? (
          <p className="onb-state onb-state-ok">
            <CheckCircleOutlined aria-hidden /> {t('onboarding.preview.ready')}
          </p>
        ) : (
          <>
            <p>
              <strong>{t('onboarding.preview.problemsTitle')}</strong>
            </p>
            <ul>
              {problems.map((p) => (
                <li key={`${p.field}-${p.code}`}>
                  <ExclamationCircleOutlined aria-hidden /> {problemText(p.code)}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <Button type="primary" size="large" data-testid="onb-submit" onClick={() => void w.submit()} loading={busy === 'submit'}>
        {t('onboarding.preview.submit')}
      </Button>
      <ActionError w={w} where="submit" />
    </>
  );
}
