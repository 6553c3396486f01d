import { QueryClientProvider, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { inTauri, toApiError, type Backend } from '../../backend';
import type { CustomerAction } from '../../bindings/CustomerAction';
import type { ElderScreen } from '../../bindings/ElderScreen';
import { createQueryClient } from '../../backend/query';
import { PracticeStep } from './PracticeStep';
import './customer.css';

/** Tauri event the shell sends after every elder command: both windows re-read core state. */
export const ELDER_CHANGED = 'elder-changed';

/**
 * The customer-facing window (长辈版): the step core says is on, in large print, one action at
 * a time. It holds no rule and no question of its own: everything on it is core's
 * `ElderScreen`. Its capability (src-tauri/capabilities/customer.json) grants only the
 * customer's commands (and the practice payment's, whose password only the customer types), so
 * nothing here can reach a staff command.
 */
const SCREEN_KEY = ['elder', 'screen'] as const;

export function CustomerWindow({ backend }: { backend: Backend }) {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <CustomerScreen backend={backend} />
    </QueryClientProvider>
  );
}

function CustomerScreen({ backend }: { backend: Backend }) {
  const client = useQueryClient();
  // A slow poll as well as the event: the staff window's wizard moves the session too. Not
  // while refused (someone who may not assist is signed in, e.g. the supervisor clearing a
  // stop): every refusal is audited; the shell's event after the next sign-in resumes it.
  const current = useQuery({
    queryKey: SCREEN_KEY,
    queryFn: () => backend.elderScreen(),
    refetchInterval: (q) => (q.state.error !== null && toApiError(q.state.error).code === 'forbidden' ? false : 2000),
  });
  useEffect(() => {
    if (!inTauri()) return;
    let stop: (() => void) | undefined;
    void import('@tauri-apps/api/event').then(async ({ listen }) => {
      stop = await listen(ELDER_CHANGED, () => { void client.invalidateQueries({ queryKey: SCREEN_KEY }); });
    });
    return () => stop?.();
  }, [client]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = window.setInterval(() => { setNow(Date.now()); }, 1000);
    return () => { window.clearInterval(tick); };
  }, []);
  const action = useMutation({
    mutationFn: (run: () => Promise<ElderScreen>) => run(),
    onSuccess: (next) => { client.setQueryData(SCREEN_KEY, next); },
    onError: () => { void client.invalidateQueries({ queryKey: SCREEN_KEY }); },
  });
  const busy = action.isPending;
  // A refusal stays on screen until the customer's next step (nothing changes before they are done).
  const failed: unknown = action.error;
  const act = (run: () => Promise<ElderScreen>) => { action.mutate(run); };
  const screen = current.data ?? null;
  const code = current.error === null ? null : toApiError(current.error).code;
  const problem = code === null ? null : ['session_locked', 'not_signed_in', 'forbidden'].includes(code) ? 'wait' : 'error';

  if (screen === null) {
    return (
      <main className="elder-customer" lang="zh-CN">
        <h1 className="elder-title">{problem === 'error' ? '请稍等，工作人员会来帮您' : '您好，请稍等'}</h1>
        <p className="elder-line">工作人员准备好后，这里会一步一步显示要做的事。</p>
      </main>
    );
  }
  const warn = !screen.timeUp && now >= Date.parse(screen.warnAt);
  const has = (a: CustomerAction) => screen.actions.some((x) => x === a);
  return (
    <main className="elder-customer" lang="zh-CN" data-testid="elder-customer" data-step={screen.step}>
      <h1 className="elder-title" data-testid="elder-title">{screen.title.zh}</h1>
      {screen.lines.map((l, i) => (
        <p key={i} className="elder-line">{l.zh}</p>
      ))}
      {!screen.voice && (
        <p className="elder-note" data-testid="elder-no-voice">这台电脑没有朗读声音，请看屏幕上的字，或请工作人员念给您听。</p>
      )}
      {(warn || screen.timeUp) && (
        <p className="elder-note" role="status" data-testid="elder-time">
          {screen.timeUp ? '时间到了。您不用着急，需要的话请按“我需要更多时间”。' : '时间快到了。需要的话请按“我需要更多时间”。'}
        </p>
      )}
      {problem === 'wait' && <p className="elder-note" role="status">工作人员暂时离开，请稍等。</p>}
      {screen.practice !== null && (
        <PracticeStep key={`${screen.practice.stage}-${String(screen.practice.triesRemaining)}`}
          practice={screen.practice} backend={backend} busy={busy} act={act} failed={failed} />
      )}
      <div className="elder-actions">
        {has('undo') && (
          <button type="button" className="elder-button" data-testid="elder-practice-undo" disabled={busy}
            onClick={() => { act(() => backend.elderPracticeUndo()); }}>
            撤销这笔付款
          </button>
        )}
        {screen.question !== null && has('answer_yes') && (
          <>
            <button type="button" className="elder-button" data-testid="elder-yes" disabled={busy}
              onClick={() => { const id = screen.question?.id ?? ''; act(() => backend.elderAnswer({ questionId: id, yes: true })); }}>
              有
            </button>
            <button type="button" className="elder-button" data-testid="elder-no" disabled={busy}
              onClick={() => { const id = screen.question?.id ?? ''; act(() => backend.elderAnswer({ questionId: id, yes: false })); }}>
              没有
            </button>
          </>
        )}
        {has('read_again') && (
          <button type="button" className="elder-button elder-secondary" data-testid="elder-repeat" disabled={busy}
            onClick={() => { act(() => backend.elderRepeat()); }}>
            再读一遍
          </button>
        )}
        {has('more_time') && (warn || screen.timeUp) && (
          <button type="button" className="elder-button elder-secondary" data-testid="elder-more-time" disabled={busy}
            onClick={() => { act(() => backend.elderMoreTime()); }}>
            我需要更多时间
          </button>
        )}
      </div>
    </main>
  );
}
