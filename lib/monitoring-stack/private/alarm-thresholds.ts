import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { invalidProp } from '../../core/private/errors';

/**
 * Threshold defaults, their validation, and the arithmetic that derives thresholds from
 * instance sizes. Kept apart from the construct so the numbers can be read (and tested) as
 * data.
 */

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

/** Defaults of the PostgreSQL alarms (PostgresAlarmThresholds). */
export const POSTGRES_DEFAULTS = {
  cpuPercent: 80,
  /** Without storage autoscaling. */
  freeStoragePercent: 10,
  /**
   * With storage autoscaling: RDS grows storage itself when free space stays below 10% for 5
   * minutes, so the alarm waits for a lower level and fires only when autoscaling did not
   * rescue the instance (limit reached, 6-hour cooldown, or growth faster than autoscaling).
   */
  freeStoragePercentWithAutoscaling: 5,
  freeableMemoryPercent: 10,
  /** RDS Proxy: a pooled connection in 100 ms on average is a pool under strain. */
  proxyBorrowLatencyMilliseconds: 100,
  connectionsPercent: 80,
  replicaLagSeconds: 30,
} as const;

/** Defaults of the Redis alarms (RedisAlarmThresholds). */
export const REDIS_DEFAULTS = {
  cpuPercent: 90,
  engineCpuPercent: 90,
  memoryPercent: 90,
  evictionsPerFiveMinutes: 0,
  replicationLagSeconds: 10,
} as const;

/** Defaults of the load balancer alarms (LoadBalancerAlarmThresholds). */
export const LOAD_BALANCER_DEFAULTS = {
  serverErrorRatePercent: 5,
  minimumRequestsPerMinute: 10,
  p95ResponseTimeSeconds: 2,
  unhealthyTargets: 1,
} as const;

/** Defaults of the WAF alarms (WafAlarmThresholds). */
export const WAF_DEFAULTS = {
  blockedRequestsPerFiveMinutes: 1000,
} as const;

/**
 * Defaults of the certificate alarms (CertificateAlarmThresholds): the same days as the
 * chart's cert-manager CertificateExpiring, so both kinds of certificate warn alike.
 */
export const CERTIFICATE_DEFAULTS = {
  expiryWarningDays: 21,
  expiryCriticalDays: 7,
} as const;

/**
 * Freeable memory floor for an instance class missing from the size table: half a GiB, where
 * PostgreSQL starts to swap on the smallest classes we allow in production.
 */
export const FALLBACK_FREEABLE_MEMORY_BYTES = 512 * MIB;

/** RDS for PostgreSQL's default `max_connections`: LEAST({DBInstanceClassMemory/9531392}, 5000). */
export const POSTGRES_BYTES_PER_CONNECTION = 9531392;
export const POSTGRES_MAX_CONNECTIONS_CAP = 5000;

/** `max_connections` as RDS computes it by default from the class memory. */
export function defaultPostgresMaxConnections(memoryBytes: number): number {
  return Math.min(Math.floor(memoryBytes / POSTGRES_BYTES_PER_CONNECTION), POSTGRES_MAX_CONNECTIONS_CAP);
}

/** The smallest whole number of connections that is at least `percent` of `maxConnections`. */
export function connectionsThreshold(maxConnections: number, percent: number): number {
  return Math.ceil((maxConnections * percent) / 100);
}

/** `percent` of `bytes`, rounded down to whole bytes. */
export function percentOfBytes(bytes: number, percent: number): number {
  return Math.floor((bytes * percent) / 100);
}

/**
 * The host CPUUtilization threshold of a Redis node. Redis runs commands on one thread, so on
 * nodes with 2 vCPUs or fewer the host CPU is the engine's CPU divided by the vCPUs (AWS:
 * "90 / number of cores"); larger nodes have an EngineCPUUtilization that says more, and their
 * host CPU is alarmed at the plain percentage (I/O threads saturating the host).
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
 */
export function redisHostCpuThreshold(percent: number, vcpus: number | undefined): number {
  if (vcpus === undefined || vcpus > 2) return percent;
  return Math.round((percent / vcpus) * 100) / 100;
}

/** A plain, positive integer from a `max_connections` parameter value, or undefined for a formula. */
export function literalMaxConnections(value: string | undefined): number | undefined {
  if (value === undefined || !/^[1-9]\d{0,5}$/.test(value)) return undefined;
  return Number(value);
}

/** Bytes as the largest unit that keeps a readable number: "1.6 GiB", "512 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${trim(bytes / GIB)} GiB`;
  return `${trim(bytes / MIB)} MiB`;
}

function trim(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** Throws unless `value` (when given and not a token) is a number from 1 to 100. */
export function checkPercent(scope: IConstruct, property: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 100) {
    invalidProp(scope, property, 'be a percentage from 1 to 100', value);
  }
}

/** Throws unless `value` (when given and not a token) is a number above 0 and at most `max`. */
export function checkPositive(scope: IConstruct, property: string, value: number | undefined, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    invalidProp(scope, property, `be a number above 0 and at most ${max}`, value);
  }
}

/** Throws unless `value` (when given and not a token) is an integer of at least `min`. */
export function checkCount(scope: IConstruct, property: string, value: number | undefined, min: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    invalidProp(scope, property, `be a whole number of at least ${min}`, value);
  }
}
