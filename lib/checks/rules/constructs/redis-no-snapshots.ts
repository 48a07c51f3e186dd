import { CheckSeverity, ConstructRule } from '../../rule';

/** A replication group with a snapshot retention of 0 days. */
export const REDIS_NO_SNAPSHOTS: ConstructRule = {
  kind: 'construct',
  id: 'GW-REDIS-NO-SNAPSHOTS',
  severity: CheckSeverity.WARNING,
  title: 'Redis replication group without automatic snapshots',
  rationale: 'Without snapshots there is nothing to restore from after data loss.',
  fix: 'Set snapshotRetentionDays on RedisHA to 1 or more, or leave it to the environment preset.',
};
