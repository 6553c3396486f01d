import { useQuery } from '@tanstack/react-query';
import { useBackend } from '../../backend/context';
import type { DeskView } from '../../bindings/DeskView';
import { COMPLAINTS_KEY } from './shared';

export const DESK_KEY = [...COMPLAINTS_KEY, 'desk'] as const;

/** The desk as core says the signed-in role sees it: panes, settings, whether it manages. */
export function useDesk(): DeskView | undefined {
  const backend = useBackend();
  return useQuery({ queryKey: DESK_KEY, queryFn: () => backend.complaintDesk() }).data;
}
