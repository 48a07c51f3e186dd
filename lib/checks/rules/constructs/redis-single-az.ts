import { CheckSeverity, ConstructRule } from '../../rule';

/** A replication group without Multi-AZ, in a tier whose preset asks for it. */
export const REDIS_SINGLE_AZ: ConstructRule = {
  kind: 'construct',
  id: 'GW-REDIS-SINGLE-AZ',
  severity: CheckSeverity.WARNING,
  title: 'Redis replication group without Multi-AZ',
  rationale: "Replicas may share the primary's zone, so one zone outage can take the whole group down.",
  fix: 'Set multiAz on RedisHA (with automaticFailover and a VPC of 2 or more zones).',
};
