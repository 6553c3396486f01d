import {
  CheckCircleOutlined,
  CloseCircleOutlined,
  ExclamationCircleOutlined,
  SoundOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Input, Popconfirm } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { toApiError } from '../../backend/errors';
import type { CodeSentView } from '../../bindings/CodeSentView';
import type { Draft } from '../../bindings/Draft';
import type { DraftData } from '../../bindings/DraftData';
import type { Evaluation } from '../../bindings/Evaluation';
import type { FieldError } from '../../bindings/FieldError';
import type { SubmitResult } from '../../bindings/SubmitResult';
import { useErrorText } from '../../shell/errors';
import { PageFrame } from '../../shell/PageFrame';
import { download } from '../complaints/shared';
import { formatMoney } from '../../shell/money';
import {
  blocksStep,
  emptyData,
  isStep,
  maskCard,
  maskMobile,
  STEPS,
  type Step,
} from './model';

/** The rules are checked as the teller types, after a short pause. */
const EVALUATE_DELAY_MS = 150;

function canSpeak(): boolean {
  return typeof window !== 'undefined' && 'speechSynthesis' in window && typeof SpeechSynthesisUtterance !== 'undefined';
}

/** A labelled form field with its note and error, both linked with aria-describedby. */
function Field({
  id,
  label,
  note,
  error,
  children,
}: {
  id: string;
  label: string;
  note?: string;
  error?: string | null;
  children: (describedBy: string, invalid: boolean) => ReactNode;
}) {
  const describedBy = [note === undefined ? null : `${id}-note`, error ? `${id}-error` : null]
    .filter((x) => x !== null)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children(describedBy, Boolean(error))}
      {note !== undefined && (
        <p id={`${id}-note`} className="field-note">
          {note}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" data-testid={`${id}-error`}>
          <ExclamationCircleOutlined aria-hidden /> {error}
        </p>
      )}
    </div>
  );
}

export function OnboardingPage() {
  const { t, i18n } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const [notes, setNotes] = useState('');
  const [loaded, setLoaded] = useState(false);
  const [draftId, setDraftId] = useState<number | null>(null);
  const [data, setData] = useState<DraftData>(emptyData);
  const [step, setStep] = useState<Step>('identity');
  const [resumedAt, setResumedAt] = useState<Step | null>(null);
  const [discarded, setDiscarded] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<{ where: string; text: string } | null>(null);
  const [blocked, setBlocked] = useState<FieldError[]>([]);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [codeSent, setCodeSent] = useState<CodeSentView | null>(null);
  const [code, setCode] = useState('');
  const [done, setDone] = useState<(SubmitResult & { draftId: number }) | null>(null);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const blockedRef = useRef<HTMLDivElement>(null);
  const firstStepRender = useRef(true);

  // Continue the teller's unfinished onboarding, if there is one.
  useEffect(() => {
    let cancelled = false;
    backend.onboardingResume().then(
      (draft) => {
        if (cancelled) return;
        if (draft !== null) {
          const at = isStep(draft.step) ? draft.step : 'identity';
          setDraftId(draft.id);
          setData({ ...emptyData(), ...draft.data });
          setStep(at);
          setResumedAt(at);
        }
        setLoaded(true);
      },
      (err: unknown) => {
        if (cancelled) return;
        setActionError({ where: 'page', text: errorText(err) });
        setLoaded(true);
      },
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per visit
  }, [backend]);

  // Each new step is announced by moving focus to its heading.
  useEffect(() => {
    if (firstStepRender.current) {
      firstStepRender.current = false;
      return;
    }
    stepHeading.current?.focus({ preventScroll: true });
  }, [step, done]);

  useEffect(() => {
    if (blocked.length > 0) blockedRef.current?.focus({ preventScroll: true });
  }, [blocked]);

  const [settled, setSettled] = useState<DraftData>(data);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setSettled(data);
    }, EVALUATE_DELAY_MS);
    return () => {
      window.clearTimeout(timer);
    };
  }, [data]);
  const evaluation = useQuery({
    queryKey: ['onboardingEvaluate', settled],
    queryFn: () => backend.onboardingEvaluate(settled),
    enabled: loaded && done === null,
    placeholderData: (previous) => previous,
  });
  const ev: Evaluation | undefined = evaluation.data;

  const problemText = (code: string) => t(`onboarding.problem.${code}`, { defaultValue: code });
  const messageFor = (err: unknown): string => {
    // The field core refused, with its reason code: never read out of the message.
    const code = toApiError(err).fields[0]?.code;
    if (code !== undefined && i18n.exists(`onboarding.problem.${code}`)) return problemText(code);
    return errorText(err);
  };

  /** The shown error of a field: after the teller left it, typed enough, or tried to go on. */
  const fieldError = (field: string, show: boolean): string | null => {
    // Not while the answer is for what was typed before: no flash of an old error.
    const current = settled === data && !evaluation.isPlaceholderData && !evaluation.isFetching;
    if (!show || ev === undefined || !current) return null;
    const p = ev.problems.find((x) => x.field === field && x.code !== 'possible_duplicate' && x.code !== 'mobile_not_verified');
    return p === undefined ? null : problemText(p.code);
  };
  const attempted = blocked.length > 0;

  const update = (patch: Partial<DraftData>) => {
    setData((d) => ({ ...d, ...patch }));
  };

  /** Keeps what only the server may set (mobile check, code challenge, screening). */
  const adopt = (draft: Draft) => {
    setDraftId(draft.id);
    setData((d) => ({
      ...d,
      mobileVerified: draft.data.mobileVerified,
      otpChallenge: draft.data.otpChallenge,
      screening: draft.data.screening,
    }));
  };

  const save = async (at: Step): Promise<Draft> => {
    const draft = await backend.onboardingSave({ id: draftId, step: at, data });
    adopt(draft);
    return draft;
  };

  const run = async (where: string, action: () => Promise<void>) => {
    setBusy(where);
    setActionError(null);
    try {
      await action();
    } catch (err) {
      setActionError({ where, text: messageFor(err) });
    } finally {
      setBusy(null);
    }
  };

  const index = STEPS.indexOf(step);

  const next = () =>
    run('next', async () => {
      const fresh = await backend.onboardingEvaluate(data);
      const stops = fresh.problems.filter((p) => blocksStep(step, p));
      const target = STEPS[index + 1];
      if (stops.length > 0 || target === undefined) {
        await save(step);
        setBlocked(stops);
        return;
      }
      await save(target);
      setBlocked([]);
      setTouched({});
      setResumedAt(null);
      setStep(target);
    });

  const back = () => {
    const target = STEPS[index - 1];
    if (target === undefined) return;
    setBlocked([]);
    setActionError(null);
    setStep(target);
  };

  const sendCode = () =>
    run('send', async () => {
      const draft = await save('mobile');
      const sent = await backend.onboardingSendCode(draft.id);
      setCodeSent(sent);
      setData((d) => ({ ...d, mobileVerified: false }));
    });

  const verifyCode = () =>
    run('verify', async () => {
      if (draftId === null) return;
      const draft = await backend.onboardingVerifyCode({ draftId, code });
      adopt(draft);
      setCode('');
    });

  const screenNow = () =>
    run('screen', async () => {
      const draft = await save('checks');
      adopt(await backend.onboardingScreen(draft.id));
    });

  const submit = () =>
    run('submit', async () => {
      const draft = await save('preview');
      const result = await backend.onboardingSubmit(draft.id);
      setDone({ ...result, draftId: draft.id });
    });

  const reset = () => {
    setDraftId(null);
    setData(emptyData());
    setStep('identity');
    setResumedAt(null);
    setBlocked([]);
    setTouched({});
    setCodeSent(null);
    setCode('');
    setDone(null);
    setActionError(null);
  };

  const discard = () =>
    run('discard', async () => {
      if (draftId !== null) await backend.onboardingDiscard(draftId);
      reset();
      setDiscarded(true);
    });

  const speak = (text: string) => {
    window.speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = i18n.language;
    window.speechSynthesis.speak(utterance);
  };

  const errorFor = (where: string) =>
    actionError?.where === where ? (
      <Alert
        className="form-alert"
        type="error"
        showIcon
        role="alert"
        data-testid={`onb-${where}-error`}
        message={actionError.text}
      />
    ) : null;

  // Money is a decimal string end to end; it is never turned into a float to be shown.
  const limitText = (amount: string | null) => (amount === null ? t('onboarding.wallet.noLimit') : formatMoney(amount));
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

  // ---- Steps ----

  const identityStep = () => (
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

  const mobileStep = () => (
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
      <Button data-testid="onb-send-code" onClick={() => void sendCode()} loading={busy === 'send'}>
        {t('onboarding.mobile.send')}
      </Button>
      {errorFor('send')}
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
                onPressEnter={() => void verifyCode()}
              />
            )}
          </Field>
          <Button type="primary" data-testid="onb-verify-code" onClick={() => void verifyCode()} loading={busy === 'verify'}>
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

  const screeningState = (): { kind: 'none' | 'stale' | 'clear' | 'hit'; text: string } => {
    const s = data.screening;
    if (s === null) return { kind: 'none', text: t('onboarding.checks.notRun') };
    const stale = s.name !== data.name.trim() || (ev?.id != null && ev.id.masked !== s.maskedResidentId);
    if (stale) return { kind: 'stale', text: t('onboarding.checks.stale') };
    return s.result === 'clear'
      ? { kind: 'clear', text: t('onboarding.checks.clear') }
      : { kind: 'hit', text: t('onboarding.checks.hit') };
  };

  const checksStep = () => {
    const state = screeningState();
    const duplicates = ev?.possibleDuplicates ?? [];
    return (
      <>
        <p>{t('onboarding.checks.intro')}</p>
        <Button data-testid="onb-screen" onClick={() => void screenNow()} loading={busy === 'screen'} disabled={state.kind === 'hit'}>
          {t('onboarding.checks.screen')}
        </Button>
        {errorFor('screen')}
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
  };

  const consentsStep = () => (
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

  /** The tier's limits as core sent them (the core bank's scheme in force today). */
  const limitsOf = (tier: number) => {
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
  };

  const walletStep = () => (
    <>
      <p>{t('onboarding.wallet.intro')}</p>
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
      {data.tier === null ? <p>{t('onboarding.wallet.chooseFirst')}</p> : limitsOf(data.tier)}
      <p data-testid="onb-fees">
        <CheckCircleOutlined aria-hidden /> {t('onboarding.wallet.fees')}
      </p>
    </>
  );

  const previewStep = () => {
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
          <dd>{screeningState().text}</dd>
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
        {data.tier !== null && limitsOf(data.tier)}
        <p>
          <CheckCircleOutlined aria-hidden /> {t('onboarding.wallet.fees')}
        </p>
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
        <Button type="primary" size="large" data-testid="onb-submit" onClick={() => void submit()} loading={busy === 'submit'}>
          {t('onboarding.preview.submit')}
        </Button>
        {errorFor('submit')}
      </>
    );
  };

  const panels: Record<Step, () => ReactNode> = {
    identity: identityStep,
    mobile: mobileStep,
    checks: checksStep,
    consents: consentsStep,
    wallet: walletStep,
    preview: previewStep,
  };

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
        <Button type="primary" data-testid="onb-new" onClick={reset}>
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
          {panels[step]()}
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
        {errorFor('next')}
        {errorFor('discard')}
        <div className="onb-nav">
          <Button data-testid="onb-back" onClick={back} disabled={index === 0}>
            {t('onboarding.back')}
          </Button>
          {step !== 'preview' && (
            <Button type="primary" data-testid="onb-next" onClick={() => void next()} loading={busy === 'next'}>
              {t('onboarding.next')}
            </Button>
          )}
          <Popconfirm
            title={t('onboarding.discardConfirm')}
            okText={t('onboarding.discardOk')}
            cancelText={t('onboarding.discardCancel')}
            okButtonProps={{ danger: true, 'data-testid': 'onb-discard-confirm' }}
            onConfirm={() => void discard()}
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
      {errorFor('page')}
      {progress}
      {body}
      {notesField}
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
