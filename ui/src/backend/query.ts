import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import type { InvalidateOptions, InvalidateQueryFilters, QueryKey } from '@tanstack/react-query';
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
 * A client whose invalidation always reads again. TanStack reuses a fetch already in flight
 * when the query has no data yet (it cancels in-flight fetches only of queries that have data),
 * so a list opened a moment before a write, whose first read the core answered before the
 * write, kept that answer: the row just filed never appeared (seen as a flaky Vitest under
 * load). Such fetches are cancelled first, so the refetch starts after the write.
 */
export class FreshQueryClient extends QueryClient {
  override async invalidateQueries<TTaggedQueryKey extends QueryKey = QueryKey>(
    filters?: InvalidateQueryFilters<TTaggedQueryKey>,
    options?: InvalidateOptions,
  ): Promise<void> {
    const chosen = filters?.predicate;
    await this.cancelQueries(
      {
        ...filters,
        predicate: (query) =>
          query.state.data === undefined && query.state.fetchStatus === 'fetching' && (chosen?.(query) ?? true),
      },
      { silent: true },
    );
    return super.invalidateQueries(filters, options);
  }
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
  const client: QueryClient = new FreshQueryClient({
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
