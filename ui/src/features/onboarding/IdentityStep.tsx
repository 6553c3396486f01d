import { CheckCircleOutlined } from '@ant-design/icons';
import { Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Field } from './Field';
import type { Wizard } from './useOnboarding';

/** Step 1: the customer's name and resident ID, and the teller's in-person check. */
export function IdentityStep({ w }: { w: Wizard }) {
  const { t } = useTranslation();
  const { data, update, ev, fieldError, attempted, touched, setTouched } = w;
  return (
    <>
      <Field
        id="onb-name"
        label={t('onboarding.identity.nameLabel')}
        note={t('onboarding.identity.nameNote')}
        error={fieldError('name', attempted || Boolean(touched.name))}
      >
        {(describedBy, invalid) => (
          <Input
            id="onb-name"
            data-testid="onb-name"
            autoComplete="off"
            aria-describedby={describedBy}
            aria-invalid={invalid}
            value={data.name}
            onChange={(e) => {
              update({ name: e.target.value });
            }}
            onBlur={() => {
              setTouched((x) => ({ ...x, name: true }));
            }}
          />
        )}
      </Field>
      <Field
        id="onb-resident-id"
        label={t('onboarding.identity.idLabel')}
        note={t('onboarding.identity.idNote')}
        error={fieldError('residentId', attempted || Boolean(touched.residentId) || data.residentId.trim().length >= 18)}
      >
        {(describedBy, invalid) => (
          <Input
            id="onb-resident-id"
            data-testid="onb-resident-id"
            autoComplete="off"
            maxLength={18}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            value={data.residentId}
            onChange={(e) => {
              update({ residentId: e.target.value.toUpperCase() });
            }}
            onBlur={() => {
              setTouched((x) => ({ ...x, residentId: true }));
            }}
          />
        )}
      </Field>
      <div aria-live="polite">
        {ev?.id != null && (
          <div className="panel onb-facts" data-testid="onb-id-facts">
            <strong>{t('onboarding.identity.factsTitle')}</strong>
            <p>
              <CheckCircleOutlined aria-hidden /> {ev.id.masked} ·{' '}
              {t('onboarding.identity.facts', {
                sex: t(`onboarding.identity.sex.${ev.id.sex}`),
                age: ev.id.age,
              })}
            </p>
            {ev.id.convertedFrom15 && <p>{t('onboarding.identity.converted')}</p>}
          </div>
        )}
      </div>
      <div className="field onb-check">
        <input
          type="checkbox"
          id="onb-id-checked"
          data-testid="onb-id-checked"
          aria-describedby="onb-id-checked-note"
          checked={data.idCheckedInPerson}
          onChange={(e) => {
            update({ idCheckedInPerson: e.target.checked });
          }}
        />
        <label htmlFor="onb-id-checked">{t('onboarding.identity.checkedLabel')}</label>
        <p id="onb-id-checked-note" className="field-note">
          {t('onboarding.identity.checkedNote')}
        </p>
      </div>
    </>
  );
}
