import { CheckCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Input, Popconfirm } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { toApiError } from '../../backend/errors';
import { useErrorText } from '../../shell/errors';
import { PageFrame } from '../../shell/PageFrame';
import { download } from '../complaints/shared';
import { ChecksStep } from './ChecksStep';
import { ConsentsStep } from './ConsentsStep';
import { ActionError } from './Field';
import { IdentityStep } from './IdentityStep';
import { ElderPanel } from '../elder/ElderPanel';
import { FollowUpCalls } from '../elder/FollowUpCalls';
import { MobileStep } from './MobileStep';
import { STEPS, type Step } from './model';
import { PreviewStep } from './PreviewStep';
import { useOnboarding, type Wizard } from './useOnboarding';
import { KnowledgeLink } from '../knowledge/KnowledgeLink';
import { WalletStep } from './WalletStep';

const PANELS: Record<Step, (props: { w: Wizard }) => ReactNode> = {
  identity: IdentityStep,
  mobile: MobileStep,
  checks: ChecksStep,
  consents: ConsentsStep,
  wallet: WalletStep,
  preview: PreviewStep,
};

/** The counter's onboarding wizard: the steps render what core evaluates; the hook holds the draft. */
export function OnboardingPage() {
  const { t } = useTranslation();
  const w = useOnboarding();
  const { loaded, done, step, index, resumedAt, discarded, draftId, blocked, busy, stepHeading, blockedRef, problemText } = w;
  const [notes, setNotes] = useState('');
  const stepName = (s: Step) => t(`onboarding.step.${s}`);

  const notesField = (
    <div className="field onb-notes">
      <label htmlFor="onboarding-notes-input" className="field-label">
        {t('onboarding.notesLabel')}
      </label>
      <Input.TextArea
        id="onboarding-notes-input"
        data-testid="onboarding-notes"
        aria-describedby="onboarding-notes-note"
        rows={3}
        value={notes}
        onChange={(e) => {
          setNotes(e.target.value);
        }}
      />
      <p id="onboarding-notes-note" className="field-note">
        {t('onboarding.notesNote')}
      </p>
    </div>
  );

  const heading = (s: Step) => (
    <h2 ref={stepHeading} tabIndex={-1} id="onb-step-title" className="onb-step-title">
      {t('onboarding.stepHeading', { n: STEPS.indexOf(s) + 1, total: STEPS.length, name: stepName(s) })}
    </h2>
  );

  const Panel = PANELS[step];

  const progress = (
    <nav aria-label={t('onboarding.stepsLabel')}>
      <ol className="onb-steps">
        {STEPS.map((s, i) => {
          const state = done !== null || i < index ? 'done' : i === index ? 'current' : 'todo';
          return (
            <li key={s} className={`onb-steps-item onb-steps-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              {state === 'done' ? <CheckCircleOutlined aria-hidden /> : <span className="onb-steps-num">{i + 1}</span>}{' '}
              <span>{stepName(s)}</span> <span className="onb-steps-state">（{t(`onboarding.stepState.${state}`)}）</span>
            </li>
          );
        })}
      </ol>
    </nav>
  );

  let body: ReactNode;
  if (!loaded) {
    body = <p aria-live="polite">{t('onboarding.loading')}</p>;
  } else if (done !== null) {
    body = (
      <section data-testid="onboarding-step-done" aria-labelledby="onb-done-title" className="panel">
        <h2 ref={stepHeading} tabIndex={-1} id="onb-done-title" className="onb-step-title">
          <CheckCircleOutlined aria-hidden /> {t('onboarding.done.title')}
        </h2>
        <div data-testid="onb-done">
          <p data-testid="onb-customer-ref">{t('onboarding.done.ref', { ref: done.customerRef })}</p>
          <p>{t('onboarding.done.queued')}</p>
        </div>
        <ReceiptButton draftId={done.draftId} />
        <ElderPanel who={null} offered={false} />
        <Button type="primary" data-testid="onb-new" onClick={w.reset}>
          {t('onboarding.done.newCustomer')}
        </Button>
      </section>
    );
  } else {
    body = (
      <>
        {resumedAt !== null && (
          <Alert
            className="form-alert"
            type="info"
            showIcon
            data-testid="onb-resumed"
            message={t('onboarding.resumed', { step: stepName(resumedAt) })}
          />
        )}
        {discarded && draftId === null && step === 'identity' && (
          <Alert className="form-alert" type="info" showIcon data-testid="onb-discarded" message={t('onboarding.discarded')} />
        )}
        <section data-testid={`onboarding-step-${step}`} aria-labelledby="onb-step-title" className="onb-step">
          {heading(step)}
          <Panel w={w} />
        </section>
        {blocked.length > 0 && (
          <div ref={blockedRef} tabIndex={-1} role="alert" className="onb-blocked" data-testid="onb-blocked">
            <p>
              <ExclamationCircleOutlined aria-hidden /> {t('onboarding.fixFirst')}
            </p>
            <ul>
              {blocked.map((p) => (
                <li key={`${p.field}-${p.code}`}>{problemText(p.code)}</li>
              ))}
            </ul>
          </div>
        )}
        {w.ev?.id != null && (
          <ElderPanel
            who={{ customerName: w.data.name.trim(), age: w.ev.id.age, draftId, customerId: null }}
            offered={w.ev.id.elderOffered}
          />
        )}
        <ActionError w={w} where="next" />
        <ActionError w={w} where="discard" />
        <div className="onb-nav">
          <Button data-testid="onb-back" onClick={w.back} disabled={index === 0}>
            {t('onboarding.back')}
          </Button>
          {step !== 'preview' && (
            <Button type="primary" data-testid="onb-next" onClick={() => void w.next()} loading={busy === 'next'}>
              {t('onboarding.next')}
            </Button>
          )}
          <Popconfirm
            title={t('onboarding.discardConfirm')}
            okText={t('onboarding.discardOk')}
            cancelText={t('onboarding.discardCancel')}
            okButtonProps={{ danger: true, 'data-testid': 'onb-discard-confirm' }}
            onConfirm={() => void w.discard()}
          >
            <Button danger data-testid="onb-discard" loading={busy === 'discard'}>
              {t('onboarding.discard')}
            </Button>
          </Popconfirm>
        </div>
      </>
    );
  }

  return (
    <PageFrame area="onboarding" title={t('area.onboarding')} intro={t('onboarding.intro')}>
      <ActionError w={w} where="page" />
      {progress}
      {body}
      {notesField}
      <FollowUpCalls />
    </PageFrame>
  );
}

/** The customer's receipt, once the core has confirmed the wallet (its number comes from the core). */
function ReceiptButton({ draftId }: { draftId: number }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const receipt = useMutation({
    mutationFn: () => backend.onboardingReceipt(draftId),
    onSuccess: (file) => {
      download(file.fileName, file.contentType, new Uint8Array(file.bytes));
    },
  });
  return (
    <div className="onb-receipt">
      <Button
        data-testid="onb-receipt"
        loading={receipt.isPending}
        onClick={() => {
          receipt.mutate();
        }}
      >
        {t('onboarding.done.receipt')}
      </Button>
      {receipt.isSuccess && (
        <p role="status" data-testid="onb-receipt-done">
          {t('onboarding.done.receiptSaved', { name: receipt.data.fileName })}
        </p>
      )}
      {/* What the receipt's fee line and anti-fraud line mean, for the customer's questions. */}
      <p>
        <KnowledgeLink category="fees" query="" label={t('knowledge.links.fees')} testId="kb-link-fees" />{' '}
        <KnowledgeLink category="security" query="" label={t('knowledge.links.fraud')} testId="kb-link-fraud" />
      </p>
      {receipt.isError && (
        <Alert
          type="warning"
          showIcon
          data-testid="onb-receipt-error"
          message={toApiError(receipt.error).code === 'conflict' ? t('onboarding.done.receiptNotYet') : errorText(receipt.error)}
        />
      )}
    </div>
  );
}
