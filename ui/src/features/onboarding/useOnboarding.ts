import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
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
import { blocksStep, emptyData, isStep, STEPS, type Step } from './model';

/** The rules are checked as the teller types, after a short pause. */
const EVALUATE_DELAY_MS = 150;

/**
 * The wizard's state and steps: the draft as typed, core's evaluation of it, and the commands
 * that save, check and submit it. The step components render from this; none decides a rule.
 */
export function useOnboarding() {
  const { t, i18n } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
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


  return {
    loaded,
    draftId,
    data,
    setData,
    update,
    step,
    index,
    resumedAt,
    discarded,
    busy,
    actionError,
    blocked,
    attempted,
    touched,
    setTouched,
    codeSent,
    setCodeSent,
    code,
    setCode,
    done,
    ev,
    fieldError,
    problemText,
    stepHeading,
    blockedRef,
    next,
    back,
    sendCode,
    verifyCode,
    screenNow,
    submit,
    reset,
    discard,
  };
}

export type Wizard = ReturnType<typeof useOnboarding>;
