import { CheckCircleOutlined, CloseCircleOutlined } from '@ant-design/icons';
import { Button, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { ActionError, Field } from './Field';
import type { Wizard } from './useOnboarding';

/** Step 2: the mobile, verified with a one-time code the core sends. */
export function MobileStep({ w }: { w: Wizard }) {
  const { t } = useTranslation();
  const { data, update, fieldError, attempted, touched, setTouched, busy, codeSent, setCodeSent, code, setCode, actionError } = w;
  return (
    <>
      <Field
        id="onb-mobile"
        label={t('onboarding.mobile.label')}
        note={t('onboarding.mobile.note')}
        error={fieldError('mobile', attempted || Boolean(touched.mobile))}
      >
        {(describedBy, invalid) => (
          <Input
            id="onb-mobile"
            data-testid="onb-mobile"
            inputMode="tel"
            autoComplete="off"
            aria-describedby={describedBy}
            aria-invalid={invalid}
            value={data.mobile}
            onChange={(e) => {
              // A changed number loses its verification (the server does the same on save).
              setCodeSent(null);
              update({ mobile: e.target.value, mobileVerified: false });
            }}
            onBlur={() => {
              setTouched((x) => ({ ...x, mobile: true }));
            }}
          />
        )}
      </Field>
      <Button data-testid="onb-send-code" onClick={() => void w.sendCode()} loading={busy === 'send'}>
        {t('onboarding.mobile.send')}
      </Button>
      <ActionError w={w} where="send" />
      {codeSent !== null && (
        <div className="onb-sent" aria-live="polite">
          <p>{t('onboarding.mobile.sent', { mobile: codeSent.maskedMobile })}</p>
          {codeSent.trainingCode !== null && (
            <p className="onb-training-code">
              <strong data-testid="onb-training-code">
                {t('onboarding.mobile.trainingCode', { code: codeSent.trainingCode })}
              </strong>{' '}
              <span className="field-note">{t('onboarding.mobile.trainingNote')}</span>
            </p>
          )}
        </div>
      )}
      {codeSent !== null && !data.mobileVerified && (
        <div className="onb-code-row">
          <Field
            id="onb-code"
            label={t('onboarding.mobile.codeLabel')}
            note={t('onboarding.mobile.codeNote')}
            error={actionError?.where === 'verify' ? actionError.text : null}
          >
            {(describedBy, invalid) => (
              <Input
                id="onb-code"
                data-testid="onb-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={8}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                value={code}
                onChange={(e) => {
                  setCode(e.target.value);
                }}
                onPressEnter={() => void w.verifyCode()}
              />
            )}
          </Field>
          <Button type="primary" data-testid="onb-verify-code" onClick={() => void w.verifyCode()} loading={busy === 'verify'}>
            {t('onboarding.mobile.verify')}
          </Button>
        </div>
      )}
      <p data-testid="onb-verified" className={data.mobileVerified ? 'onb-state onb-state-ok' : 'onb-state'} aria-live="polite">
        {data.mobileVerified ? <CheckCircleOutlined aria-hidden /> : <CloseCircleOutlined aria-hidden />}{' '}
        {data.mobileVerified ? t('onboarding.mobile.verified') : t('onboarding.mobile.notVerified')}
      </p>
    </>
  );
}
