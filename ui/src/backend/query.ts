import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import type { ApiError } from '../bindings/ApiError';
import type { SessionState } from '../bindings/SessionState';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiError;
  }
}

export const APP_STATUS_KEY = ['appStatus'] as const;
export const SESSION_KEY = ['session'] as const;

/** Marks the session locked in the cache (the lock screen follows from it). */
export function markLocked(client: QueryClient): void {
  client.setQueryData<SessionState>(SESSION_KEY, (old) =>
    old?.state === 'active' ? { state: 'locked', session: old.session } : old,
  );
}

/**
 * One client per app. Any command rejected with `session_locked` locks the screen;
 * `not_signed_in` makes the app re-read the session (and so show the sign-in page), and so
 * does `password_change_required` (the session then says a new password must be set).
 */
export function createQueryClient(): QueryClient {
  const onError = (error: ApiError, isSessionQuery: boolean) => {
    if (error.code === 'session_locked') markLocked(client);
    else if ((error.code === 'not_signed_in' || error.code === 'password_change_required') && !isSessionQuery) {
      void client.invalidateQueries({ queryKey: SESSION_KEY });
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        onError(error, query.queryKey[0] === SESSION_KEY[0]);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error) => {
        onError(error, false);
      },
    }),
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
  return client;
}
