import { useEffect, useState } from 'react';
import { useBackend } from '../backend/context';
import { toApiError } from '../backend/errors';
import { useSessionUpdates } from './session';

export const TOUCH_EVERY_MS = 20_000;
/** With a short idle limit (tests, demos) input is reported more often than every 20 s. */
const TOUCH_SHARE_OF_IDLE = 0.25;
export const WARN_BEFORE_SECS = 30;
const TICK_MS = 1_000;
const MOVE_THROTTLE_MS = 1_000;

/**
 * Watches for activity while `enabled`. Reports input to the backend (`touch`) at most every
 * 20 s (or a quarter of the idle limit, if shorter): the backend counts only these reports as
 * activity, never the screens' polling. Input that was throttled is reported once the interval
 * is over, so the backend's idle timer never runs ahead of this one. After `idleLockSecs`
 * without activity it calls `lock` and marks the session locked. Returns the seconds left when
 * the 30 s warning is due, else null.
 */
export function useIdleLock(enabled: boolean, idleLockSecs: number): number | null {
  const backend = useBackend();
  const updates = useSessionUpdates();
  const [warnSecs, setWarnSecs] = useState<number | null>(null);

  useEffect(() => {
    if (!enabled) return undefined;
    const lockMs = Math.max(1, idleLockSecs) * 1000;
    // 30 s ahead; with a very short idle limit (tests, demos), half way.
    const warnAtMs = lockMs - Math.min(WARN_BEFORE_SECS * 1000, lockMs / 2);
    const touchEveryMs = Math.min(TOUCH_EVERY_MS, lockMs * TOUCH_SHARE_OF_IDLE);
    let lastActivity = Date.now();
    let lastTouch = lastActivity;
    let unreported = false;
    let lastMove = 0;
    let warned = false;
    let locking = false;

    const onCommandError = (err: unknown) => {
      const code = toApiError(err).code;
      if (code === 'session_locked') updates.setLocked();
      else if (code === 'not_signed_in') updates.setState({ state: 'signed_out' });
    };

    const report = (now: number) => {
      lastTouch = now;
      unreported = false;
      backend.touch().then((state) => {
        if (state.state !== 'active') updates.setState(state);
      }, onCommandError);
    };

    const activity = () => {
      if (locking) return;
      const now = Date.now();
      lastActivity = now;
      if (warned) {
        warned = false;
        setWarnSecs(null);
      }
      if (now - lastTouch >= touchEveryMs) report(now);
      else unreported = true;
    };

    const onMove = () => {
      const now = Date.now();
      if (now - lastMove < MOVE_THROTTLE_MS) return;
      lastMove = now;
      activity();
    };

    const tick = () => {
      if (locking) return;
      const now = Date.now();
      const idle = now - lastActivity;
      if (idle >= lockMs) {
        locking = true;
        // Locked on screen whatever the backend answers.
        backend
          .lock()
          .catch(() => null)
          .finally(() => {
            updates.setLocked();
          });
        return;
      }
      if (unreported && now - lastTouch >= touchEveryMs) report(now);
      if (idle >= warnAtMs && !warned) {
        warned = true;
        setWarnSecs(Math.ceil((lockMs - idle) / 1000));
      }
    };

    const opts: AddEventListenerOptions = { capture: true, passive: true };
    window.addEventListener('keydown', activity, opts);
    window.addEventListener('pointerdown', activity, opts);
    window.addEventListener('wheel', activity, opts);
    window.addEventListener('pointermove', onMove, opts);
    const timer = window.setInterval(tick, TICK_MS);
    return () => {
      window.removeEventListener('keydown', activity, opts);
      window.removeEventListener('pointerdown', activity, opts);
      window.removeEventListener('wheel', activity, opts);
      window.removeEventListener('pointermove', onMove, opts);
      window.clearInterval(timer);
      setWarnSecs(null);
    };
  }, [enabled, idleLockSecs, backend, updates]);

  return enabled ? warnSecs : null;
}
