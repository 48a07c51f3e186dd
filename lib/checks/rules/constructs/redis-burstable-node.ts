import { CheckSeverity, ConstructRule } from '../../rule';

/** A production replication group on a burstable (cache.t*) node type. */
export const REDIS_BURSTABLE_NODE: ConstructRule = {
  kind: 'construct',
  id: 'GW-REDIS-BURSTABLE-NODE',
  severity: CheckSeverity.WARNING,
  title: 'Burstable Redis node type in production',
  rationale: 'When the CPU credits run out the node drops to its baseline and latency rises for every client.',
  fix: 'Set nodeType on RedisHA to a cache.m* or cache.r* node in production.',
};
