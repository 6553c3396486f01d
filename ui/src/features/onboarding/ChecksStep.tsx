import { CheckCircleOutlined, ExclamationCircleOutlined, StopOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { ActionError } from './Field';
import type { Wizard } from './useOnboarding';

/** Whether the screening on file is for what is typed now, and what it found. */
export function screeningState(w: Wizard, t: TFunction): { kind: 'none' | 'stale' | 'clear' | 'hit'; text: string } {
  const { data, ev } = w;
  const s = data.screening;
  if (s === null) return { kind: 'none', text: t('onboarding.checks.notRun') };
  const stale = s.name !== data.name.trim() || (ev?.id != null && ev.id.masked !== s.maskedResidentId);
  if (stale) return { kind: 'stale', text: t('onboarding.checks.stale') };
  return s.result === 'clear'
    ? { kind: 'clear', text: t('onboarding.checks.clear') }
    : { kind: 'hit', text: t('onboarding.checks.hit') };
}

/** Step 3: the watchlist screening through the core, and possible duplicates in the local copy. */
export function ChecksStep({ w }: { w: Wizard }) {
  const { t } = useTranslation();
  const { busy, ev } = w;
  const state = screeningState(w, t);
  const duplicates = ev?.possibleDuplicates ?? [];
  return (
    <>
      <p>{t('onboarding.checks.intro')}</p>
      <Button data-testid="onb-screen" onClick={() => void w.screenNow()} loading={busy === 'screen'} disabled={state.kind === 'hit'}>
        {t('onboarding.checks.screen')}
      </Button>
      <ActionError w={w} where="screen" />
      <div aria-live="polite">
        {state.kind === 'hit' ? (
          <Alert
            className="form-alert"
            type="error"
            showIcon
            icon={<StopOutlined aria-hidden />}
            role="alert"
            data-testid="onb-screening-result"
            message={state.text}
          />
        ) : (
          <p data-testid="onb-screening-result" className={state.kind === 'clear' ? 'onb-state onb-state-ok' : 'onb-state'}>
            {state.kind === 'clear' ? <CheckCircleOutlined aria-hidden /> : <ExclamationCircleOutlined aria-hidden />}{' '}
            {state.text}
          </p>
        )}
      </div>
      <section aria-labelledby="onb-duplicates-title" data-testid="onb-duplicates">
        <h3 id="onb-duplicates-title">{t('onboarding.checks.duplicatesTitle')}</h3>
        {duplicates.length === 0 ? (
          <p>{t('onboarding.checks.noDuplicates')}</p>
        ) : (
          <>
            <p>
              <ExclamationCircleOutlined aria-hidden /> {t('onboarding.checks.duplicatesNote')}
            </p>
            <ul>
              {duplicates.map((hit) => (
                <li key={hit.id} data-testid={`onb-duplicate-${hit.id}`}>
                  {hit.name} · {hit.maskedResidentId} · {hit.maskedMobile} ·{' '}
                  {hit.age === null ? t('customers.ageUnknown') : t('customers.age', { age: hit.age })}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </>
  );
}
