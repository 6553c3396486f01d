import { Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ComingSoon } from '../../shell/ComingSoon';
import { PageFrame } from '../../shell/PageFrame';

export function OnboardingPage() {
  const { t } = useTranslation();
  const [notes, setNotes] = useState('');
  return (
    <PageFrame area="onboarding" title={t('area.onboarding')} intro={t('onboarding.intro')}>
      <div className="field">
        <label htmlFor="onboarding-notes-input" className="field-label">
          {t('onboarding.notesLabel')}
        </label>
        <Input.TextArea
          id="onboarding-notes-input"
          data-testid="onboarding-notes"
          aria-describedby="onboarding-notes-note"
          rows={4}
          value={notes}
          onChange={(e) => {
            setNotes(e.target.value);
          }}
        />
        <p id="onboarding-notes-note" className="field-note">
          {t('onboarding.notesNote')}
        </p>
      </div>
      <ComingSoon items={[t('onboarding.coming1'), t('onboarding.coming2'), t('onboarding.coming3')]} />
    </PageFrame>
  );
}
