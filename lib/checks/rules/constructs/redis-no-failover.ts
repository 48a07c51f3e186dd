import { CheckSeverity, ConstructRule } from '../../rule';

/** A replication group that does not fail over on its own, in a tier whose preset asks for Multi-AZ. */
export const REDIS_NO_FAILOVER: ConstructRule = {
  kind: 'construct',
  id: 'GW-REDIS-NO-FAILOVER',
  severity: CheckSeverity.WARNING,
  title: 'Redis replication group without automatic failover',
  rationale: 'When the primary node fails, writes stop until a replica is promoted or the node is replaced by hand.',
  fix: 'Set automaticFailover on RedisHA, with at least 2 nodesPerShard.',
};
