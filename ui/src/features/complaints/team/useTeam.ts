import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useBackend } from '../../../backend/context';
import type { TeamStatus } from '../../../bindings/TeamStatus';
import { COMPLAINTS_KEY } from '../shared';

export const TEAM_KEY = [...COMPLAINTS_KEY, 'team'] as const;
/** The queries a colleague's change can make stale: queues, cases, the approvals list. */
export const TEAM_WORK_KEY = [...TEAM_KEY, 'work'] as const;
/**
 * How often the screen asks core for the queue's version. Core hears a colleague's change
 * at once (LISTEN/NOTIFY, a version poll under it); asking twice a second keeps the whole
 * path (notice, reload, paint) within issue 16's 2 s. The call reads a value core holds in
 * memory and one count from the local store.
 */
const VERSION_EVERY_MS = 500;

/**
 * Team mode as core reports it. While it is on, a new queue version (a colleague took,
 * worked or decided a case or a dispute) reloads every open team screen. `area` names whose
 * screens ask: core guards the complaint desk's status by logging complaints and the dispute
 * team's by working disputes (a dispute handler logs no complaints).
 */
export function useTeamStatus(area: 'complaints' | 'disputes' = 'complaints'): TeamStatus | undefined {
  const backend = useBackend();
  const client = useQueryClient();
  const status = useQuery({
    queryKey: [...TEAM_KEY, 'status', area],
    queryFn: () => (area === 'disputes' ? backend.teamDisputeStatus() : backend.teamStatus()),
    refetchInterval: (query) => (query.state.data?.enabled === true ? VERSION_EVERY_MS : false),
    // A handler's console is often behind another window; the queue must still be current
    // when they look at it.
    refetchIntervalInBackground: true,
  });
  const version = status.data?.version;
  const seen = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (version === undefined) return;
    if (seen.current !== undefined && seen.current !== version) {
      void client.invalidateQueries({ queryKey: TEAM_WORK_KEY });
    }
    seen.current = version;
  }, [version, client]);
  return status.data;
}
