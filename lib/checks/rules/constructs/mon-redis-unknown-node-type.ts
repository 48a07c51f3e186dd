import { CheckSeverity, ConstructRule } from '../../rule';

/** A watched replication group whose node type the alarm size table does not know. */
export const MON_REDIS_UNKNOWN_NODE_TYPE: ConstructRule = {
  kind: 'construct',
  id: 'GW-MON-REDIS-UNKNOWN-NODE-TYPE',
  severity: CheckSeverity.WARNING,
  title: 'Redis node type missing from the size table',
  rationale: "CpuHigh then alarms on the whole host's CPU, which on a multi-vCPU node stays low while the Redis engine thread is saturated.",
  fix: 'Use a nodeType on RedisHA that the table lists, or set the cpuPercent threshold of watchRedis for its vCPU count.',
};
