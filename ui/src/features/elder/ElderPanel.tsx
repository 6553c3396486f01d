import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Input, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../../backend/context';
import { inTauri, toApiError } from '../../backend';
import type { ElderSession } from '../../bindings/ElderSession';
import { PracticeMirror } from './PracticeMirror';
import { useErrorText } from '../../shell/errors';
import { download } from '../complaints/shared';
import { ELDER_CHANGED } from './CustomerWindow';

export const ELDER_KEY = ['elder'] as const;

/** Who the setup is for: from the onboarding wizard (a draft) or the Customer 360. */
export interface ElderFor {
  customerName: string;
  age: number;
  draftId: number | null;
  customerId: string | null;
}

/**
 * The staff side of the elder-assisted setup (长辈版): the entry point, then the session's
 * progress as core holds it. Staff cannot answer for the customer or step past a stop: those
 * buttons do not exist here, and core refuses them anyway.
 */
export function ElderPanel({ who, offered }: { who: ElderFor | null; offered: boolean }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [reason, setReason] = useState('');
  // Polled for the customer's answers; not while refused (a role that may not assist, e.g. a
  // supervisor on the Customer 360): each refusal is audited.
  const current = useQuery({
    queryKey: [...ELDER_KEY, 'current'],
    queryFn: () => backend.elderCurrent(),
    refetchInterval: (q) => (q.state.error !== null && toApiError(q.state.error).code === 'forbidden' ? false : 2000),
  });
  useEffect(() => {
    if (!inTauri()) return;
    let stop: (() => void) | undefined;
    void import('@tauri-apps/api/event').then(async ({ listen }) => {
      stop = await listen(ELDER_CHANGED, () => { void client.invalidateQueries({ queryKey: ELDER_KEY }); });
    });
    return () => stop?.();
  }, [client]);
  const done = () => { void client.invalidateQueries({ queryKey: ELDER_KEY }); };
  const start = useMutation({
    mutationFn: (w: ElderFor) => backend.elderStart({ ...w }),
    onSuccess: done,
  });
  const next = useMutation({ mutationFn: (id: number) => backend.elderNext(id), onSuccess: done });
  const end = useMutation({ mutationFn: (id: number) => backend.elderEnd({ sessionId: id, reason }), onSuccess: done });
  const guide = useMutation({
    mutationFn: (id: number) => backend.elderGuide(id),
    onSuccess: (file) => { download(file.fileName, file.contentType, new Uint8Array(file.bytes)); },
  });
  const rate = useMutation({ mutationFn: (v: { id: number; rate: number }) => backend.elderSpeechRate({ sessionId: v.id, ratePercent: v.rate }), onSuccess: done });
  const failed = start.error ?? next.error ?? end.error ?? rate.error ?? guide.error ?? current.error;
  const s: ElderSession | null | undefined = current.data;
  // Without a customer (the wizard's done panel) there is nothing to start: only a setup
  // already running is shown, so the teller can take it on to the practice and the guide.
  if (who === null && (s === null || s === undefined)) return null;

  return (
    <section className="panel elder-panel" aria-labelledby="elder-panel-title" data-testid="elder-panel">
      <h2 id="elder-panel-title">{t('elder.title')}</h2>
      {failed !== null && <Alert type="error" showIcon className="form-alert" message={errorText(failed)} />}
      {(s === null || s === undefined) && who !== null && (
        <>
          <p>{offered ? t('elder.offer', { age: who.age }) : t('elder.notOffered')}</p>
          <Button type={offered ? 'primary' : 'default'} data-testid="elder-start" loading={start.isPending}
            onClick={() => { start.mutate(who); }}>
            {t('elder.start')}
          </Button>
        </>
      )}
      {s !== null && s !== undefined && (
        <div data-testid="elder-session" data-step={s.step}>
          <p>
            <strong>{s.customerName}</strong> · {t('elder.stepNow')}: <span data-testid="elder-step">{t(`elder.steps.${s.step}`)}</span>
          </p>
          <p className="elder-staff-screen">{t('elder.customerSees')}: {s.screen.title.zh}</p>
          {s.screen.practice !== null && <PracticeMirror screen={s.screen} />}
          {s.step === 'stopped' && (
            <Alert type="warning" showIcon role="status" data-testid="elder-stopped" message={t('elder.stopped')} />
          )}
          {!s.screen.voice && <p data-testid="elder-no-voice-staff">{t('elder.noVoice')}</p>}
          {s.answers.length > 0 && (
            <ol className="elder-answers" aria-label={t('elder.answers')}>
              {s.answers.map((a) => (
                <li key={a.questionId}>{a.question} — <strong>{a.yes ? t('elder.yes') : t('elder.no')}</strong></li>
              ))}
            </ol>
          )}
          <Space wrap>
            <Button type="primary" data-testid="elder-next" disabled={!s.staffMayContinue} loading={next.isPending}
              onClick={() => { next.mutate(s.id); }}>
              {t('elder.next')}
            </Button>
            {s.step === 'guide' && (
              <Button data-testid="elder-guide" loading={guide.isPending} onClick={() => { guide.mutate(s.id); }}>
                {t('elder.guide')}
              </Button>
            )}
            <label htmlFor="elder-rate">{t('elder.rate')}</label>
            <Select id="elder-rate" data-testid="elder-rate" value={s.screen.speechRate} style={{ width: 120 }}
              options={[60, 80, 100, 120].map((v) => ({ value: v, label: `${v}%` }))}
              onChange={(v: number) => { rate.mutate({ id: s.id, rate: v }); }} />
          </Space>
          <div className="elder-end">
            <label className="field-label" htmlFor="elder-end-reason">{t('elder.endReason')}</label>
            <Input id="elder-end-reason" data-testid="elder-end-reason" value={reason} onChange={(e) => { setReason(e.target.value); }} />
            <Button data-testid="elder-end" loading={end.isPending} onClick={() => { end.mutate(s.id); }}>{t('elder.end')}</Button>
          </div>
        </div>
      )}
    </section>
  );
}
