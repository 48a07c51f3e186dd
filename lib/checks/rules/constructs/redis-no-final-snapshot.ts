import { CheckSeverity, ConstructRule } from '../../rule';

/** A replication group that keeps no snapshot when it is deleted. */
export const REDIS_NO_FINAL_SNAPSHOT: ConstructRule = {
  kind: 'construct',
  id: 'GW-REDIS-NO-FINAL-SNAPSHOT',
  severity: CheckSeverity.WARNING,
  title: 'Redis replication group deleted without a final snapshot',
  rationale: 'Deleting the group, on purpose or through a plan that replaces it, loses its data.',
  fix: 'Leave finalSnapshot on (the default) on RedisHA.',
};
