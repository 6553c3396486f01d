import { TEAM_WORK_KEY } from '../../complaints/team/useTeam';

/**
 * The team dispute queries. Under the team's work key, so a new queue version (a colleague
 * took, stepped or decided a dispute or a case: one version per team) reloads them too.
 */
export const TEAM_DISPUTES_KEY = [...TEAM_WORK_KEY, 'disputes'] as const;
