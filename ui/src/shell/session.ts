import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useBackend } from '../backend/context';
import { APP_STATUS_KEY, SESSION_KEY, markLocked } from '../backend/query';
import type { SessionState } from '../bindings/SessionState';
import type { StaffSession } from '../bindings/StaffSession';

export const APP_STATUS_POLL_MS = 10_000;

export function useAppStatus() {
  const backend = useBackend();
  return useQuery({
    queryKey: APP_STATUS_KEY,
    queryFn: () => backend.appStatus(),
    refetchInterval: APP_STATUS_POLL_MS,
  });
}

export const SESSION_POLL_MS = 10_000;

/**
 * The session as the backend sees it, re-read every 10 s and on window focus (the backend may
 * lock on its own). A screen locked here stays locked until `unlock` succeeds, even if the
 * backend still says active (say, the `lock` call failed).
 */
export function useSessionState() {
  const backend = useBackend();
  const client = useQueryClient();
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<SessionState> => {
      const next = await backend.sessionState();
      const prev = client.getQueryData<SessionState>(SESSION_KEY);
      if (prev?.state === 'locked' && next.state === 'active' && prev.session.staffId === next.session.staffId) {
        return prev;
      }
      return next;
    },
    refetchInterval: SESSION_POLL_MS,
    refetchOnWindowFocus: true,
  });
}

/** Cache updates for session changes; the screens follow the cached SessionState. */
export function useSessionUpdates() {
  const client = useQueryClient();
  return useMemo(
    () => ({
    setActive(session: StaffSession) {
      const next: SessionState = { state: 'active', session };
      client.setQueryData<SessionState>(SESSION_KEY, next);
    },
    setState(state: SessionState) {
      client.setQueryData<SessionState>(SESSION_KEY, state);
    },
    setLocked() {
      markLocked(client);
    },
    setSignedOut() {
      const next: SessionState = { state: 'signed_out' };
      client.setQueryData<SessionState>(SESSION_KEY, next);
      // Drop everything read under the old session; keep app status and session.
      client.removeQueries({
        predicate: (q) => q.queryKey[0] !== APP_STATUS_KEY[0] && q.queryKey[0] !== SESSION_KEY[0],
      });
    },
    refreshStatus() {
      return client.invalidateQueries({ queryKey: APP_STATUS_KEY });
    },
    refreshSession() {
      return client.invalidateQueries({ queryKey: SESSION_KEY });
    },
    }),
    [client],
  );
}

export function useSignOut() {
  const backend = useBackend();
  const updates = useSessionUpdates();
  return useMutation({
    mutationFn: () => backend.signOut(),
    // Signed out locally either way: a failed sign-out must not leave the screen open.
    onSettled: () => {
      updates.setSignedOut();
    },
  });
}

export function useLockNow() {
  const backend = useBackend();
  const updates = useSessionUpdates();
  return useMutation({
    mutationFn: () => backend.lock(),
    // Locked locally either way: the screen must close even if the call failed.
    onSettled: () => {
      updates.setLocked();
    },
  });
}
