import { ExclamationCircleOutlined, SoundOutlined } from '@ant-design/icons';
import { Button, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Field } from './Field';
import type { Wizard } from './useOnboarding';

function canSpeak(): boolean {
  return typeof window !== 'undefined' && 'speechSynthesis' in window && typeof SpeechSynthesisUtterance !== 'undefined';
}

/** Step 4: each consent core asks for, separately, with its text read aloud on request. */
export function ConsentsStep({ w }: { w: Wizard }) {
  const { t, i18n } = useTranslation();
  const { data, setData, update, ev, fieldError, attempted, touched, setTouched } = w;
  const speak = (text: string) => {
    window.speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = i18n.language;
    window.speechSynthesis.speak(utterance);
  };
  return (
    <>
      <p>{t('onboarding.consents.intro')}</p>
      {(ev?.consents ?? []).map((c) => {
        const title = t(`onboarding.consents.title.${c.scope}`);
        const text = t(`onboarding.consents.text.${c.scope}`);
        const given = data.consents.some((x) => x.scope === c.scope && x.version === c.version && x.given);
        const inputId = `onb-consent-${c.scope}`;
        return (
          <div key={c.scope} className="panel onb-consent">
            <h3 id={`${inputId}-title`}>
              {title}（{c.required ? t('onboarding.consents.required') : t('onboarding.consents.optional')}）
            </h3>
            <p id={`${inputId}-text`}>{text}</p>
            <p className="field-note">{t('onboarding.consents.version', { version: c.version })}</p>
            <div className="onb-check">
              <input
                type="checkbox"
                id={inputId}
                data-testid={inputId}
                aria-describedby={`${inputId}-text`}
                checked={given}
                onChange={(e) => {
                  const checked = e.target.checked;
                  setData((d) => ({
                    ...d,
                    consents: [
                      ...d.consents.filter((x) => x.scope !== c.scope),
                      { scope: c.scope, version: c.version, given: checked },
                    ],
                  }));
                }}
              />
              <label htmlFor={inputId}>{t('onboarding.consents.agree', { title })}</label>
            </div>
            {canSpeak() && (
              <Button
                icon={<SoundOutlined aria-hidden />}
                data-testid={`onb-read-${c.scope}`}
                onClick={() => {
                  speak(`${title}。${text}`);
                }}
              >
                {t('onboarding.consents.readAloud', { title })}
              </Button>
            )}
          </div>
        );
      })}
      {fieldError('consents', attempted) !== null && (
        <p className="field-error">
          <ExclamationCircleOutlined aria-hidden /> {fieldError('consents', attempted)}
        </p>
      )}
      {ev?.guardianRequired === true && (
        <Field
          id="onb-guardian"
          label={t('onboarding.consents.guardianLabel')}
          note={t('onboarding.consents.guardianNote')}
          error={fieldError('guardianName', attempted || Boolean(touched.guardian))}
        >
          {(describedBy, invalid) => (
            <Input
              id="onb-guardian"
              data-testid="onb-guardian"
              autoComplete="off"
              aria-describedby={describedBy}
              aria-invalid={invalid}
              value={data.guardianName}
              onChange={(e) => {
                update({ guardianName: e.target.value });
              }}
              onBlur={() => {
                setTouched((x) => ({ ...x, guardian: true }));
              }}
            />
          )}
        </Field>
      )}
    </>
  );
}
