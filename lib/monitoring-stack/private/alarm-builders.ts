import { CloudwatchMetricAlarm, CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { formatBytes } from './alarm-thresholds';

/**
 * The alarms of each watched service as data ({@link AlarmSpec}), and the one function that
 * turns a spec into an `aws_cloudwatch_metric_alarm`. Every choice of statistic, period,
 * evaluation window and missing-data treatment is made here, once, with its reason.
 */

/** How an alarm treats periods without data. */
export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

/** How an alarm compares the metric with the threshold. */
export type Comparison =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

/** One metric, as CloudWatch identifies it. */
export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
}

/** Everything an alarm needs, before it becomes a resource. */
export interface AlarmSpec {
  /** The construct ID inside the watch scope, e.g. `CpuHigh-primary`. */
  readonly id: string;
  /** The alarm name, unique in the account and region. */
  readonly name: string;
  /** What is wrong and at which threshold, one or two sentences. */
  readonly summary: string;
  /** What the person who receives it should do. */
  readonly action: string;
  /** The runbook page, appended to the runbook base URL. */
  readonly runbookSlug: string;
  /** A single metric (with its statistic) — or `query` for metric math. */
  readonly metric?: MetricRef & { readonly statistic?: string; readonly extendedStatistic?: string; readonly period: number };
  /** Metric math: the queries, one of them returning data. */
  readonly query?: CloudwatchMetricAlarmMetricQuery[];
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
  readonly evaluateLowSampleCountPercentiles?: 'evaluate' | 'ignore';
}

/** CloudWatch's limit on `AlarmDescription`. */
const MAX_DESCRIPTION_LENGTH = 1024;

/** The alarm description: what, threshold, what to do, and the runbook link when there is one. */
export function alarmDescription(spec: AlarmSpec, runbookBaseUrl: string | undefined): string {
  const runbook = runbookBaseUrl === undefined ? '' : ` Runbook: ${runbookBaseUrl}/${spec.runbookSlug}`;
  const text = `${spec.summary} ${spec.action}${runbook}`;
  if (Token.isUnresolved(text) || text.length <= MAX_DESCRIPTION_LENGTH) return text;
  // Keep the runbook link and the summary; shorten the advice.
  const room = MAX_DESCRIPTION_LENGTH - spec.summary.length - runbook.length - 2;
  return `${spec.summary} ${spec.action.slice(0, Math.max(0, room - 1))}…${runbook}`;
}

/** Creates the alarm resource of a spec; every alarm notifies the topic when it fires and when it recovers. */
export function createAlarm(scope: Construct, spec: AlarmSpec, topicArn: string, runbookBaseUrl: string | undefined): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, spec.id, {
    alarmName: spec.name,
    alarmDescription: alarmDescription(spec, runbookBaseUrl),
    namespace: spec.metric?.namespace,
    metricName: spec.metric?.metricName,
    dimensions: spec.metric?.dimensions,
    statistic: spec.metric?.statistic,
    extendedStatistic: spec.metric?.extendedStatistic,
    period: spec.metric?.period,
    metricQuery: spec.query,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    treatMissingData: spec.treatMissingData,
    evaluateLowSampleCountPercentiles: spec.evaluateLowSampleCountPercentiles,
    actionsEnabled: true,
    alarmActions: [topicArn],
    okActions: [topicArn],
    tags: { Name: spec.name },
  });
}

// ---------------------------------------------------------------------------------------------
// RDS for PostgreSQL
// ---------------------------------------------------------------------------------------------

/** One DB instance to alarm on. */
export interface PostgresInstance {
  /** `primary`, `replica-1`, ...: the suffix of the alarm construct IDs. */
  readonly key: string;
  readonly identifier: string;
  readonly isReplica: boolean;
}

/** The resolved inputs of the PostgreSQL alarms. */
export interface PostgresAlarmInputs {
  readonly instances: PostgresInstance[];
  readonly instanceClass: string;
  readonly cpuPercent: number;
  readonly replicaLagSeconds: number;
  /** Undefined when the allocated storage is not known at synth time. */
  readonly freeStorage?: {
    readonly bytes: number;
    readonly percent: number;
    readonly allocatedGiB: number;
    /** The storage autoscaling limit; undefined without autoscaling. */
    readonly autoscalingLimitGiB?: number;
  };
  readonly freeableMemory: { readonly bytes: number; readonly percent?: number; readonly memoryBytes?: number };
  /** Undefined when max_connections cannot be known at synth time. */
  readonly connections?: { readonly threshold: number; readonly percent: number; readonly maxConnections: number; readonly source: string };
}

const RDS = 'AWS/RDS';

/** The PostgreSQL alarms of every instance: CPU, storage, memory, connections, and replica lag on replicas. */
export function postgresAlarmSpecs(inputs: PostgresAlarmInputs): AlarmSpec[] {
  const specs: AlarmSpec[] = [];
  for (const instance of inputs.instances) {
    const what = `PostgreSQL ${instance.isReplica ? 'read replica' : 'primary'} ${instance.identifier}`;
    const metric = (metricName: string, statistic: string, period: number) => ({
      namespace: RDS,
      metricName,
      dimensions: { DBInstanceIdentifier: instance.identifier },
      statistic,
      period,
    });

    // A stopped or replaced instance reports nothing; no data is no evidence of high CPU, low
    // memory or storage, so the saturation alarms keep their state ("missing").
    specs.push({
      id: `CpuHigh-${instance.key}`,
      name: `${instance.identifier}-cpu-high`,
      summary: `${what}: CPU above ${inputs.cpuPercent}% (5-minute average) for 15 minutes.`,
      action:
        'Find the expensive statements in Performance Insights (top SQL) and pg_stat_statements; if the load is ' +
        'legitimate, send reads to a replica or move to a larger instance class.',
      runbookSlug: 'rds-cpu-high',
      metric: metric('CPUUtilization', 'Average', 300),
      comparison: 'GreaterThanThreshold',
      threshold: inputs.cpuPercent,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: 'missing',
    });

    if (inputs.freeStorage) {
      const s = inputs.freeStorage;
      specs.push({
        id: `FreeStorageLow-${instance.key}`,
        name: `${instance.identifier}-free-storage-low`,
        summary:
          `${what}: free storage below ${formatBytes(s.bytes)} (${s.percent}% of the ${s.allocatedGiB} GiB allocated ` +
          'at creation) for 10 minutes.',
        action:
          (s.autoscalingLimitGiB !== undefined
            ? `Storage autoscaling (up to ${s.autoscalingLimitGiB} GiB) has not caught up: check whether it reached the limit ` +
              'or waits out its 6-hour cooldown, and raise maxAllocatedStorageGiB if needed. '
            : '') +
          'Find what grows (table and index bloat, WAL held by a replication slot, temporary files) and free space, ' +
          'or grow allocatedStorageGiB before the instance runs out and stops accepting writes.',
        runbookSlug: 'rds-free-storage-low',
        metric: metric('FreeStorageSpace', 'Minimum', 300),
        comparison: 'LessThanThreshold',
        threshold: s.bytes,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: 'missing',
      });
    }

    const m = inputs.freeableMemory;
    specs.push({
      id: `FreeableMemoryLow-${instance.key}`,
      name: `${instance.identifier}-freeable-memory-low`,
      summary:
        `${what}: freeable memory below ${formatBytes(m.bytes)}` +
        (m.memoryBytes !== undefined
          ? ` (${m.percent}% of the ${formatBytes(m.memoryBytes)} of ${inputs.instanceClass})`
          : ` (a fixed floor: the memory of ${inputs.instanceClass} is not known)`) +
        ' for 15 minutes.',
      action:
        'Look for many connections, large work_mem sorts and hashes, or an oversized shared_buffers; reduce them, ' +
        'pool connections, or move to a larger instance class before the instance swaps.',
      runbookSlug: 'rds-freeable-memory-low',
      metric: metric('FreeableMemory', 'Average', 300),
      comparison: 'LessThanThreshold',
      threshold: m.bytes,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: 'missing',
    });

    if (inputs.connections) {
      const c = inputs.connections;
      specs.push({
        id: `ConnectionsHigh-${instance.key}`,
        name: `${instance.identifier}-connections-high`,
        summary:
          `${what}: ${c.threshold} or more connections (${c.percent}% of max_connections ${c.maxConnections}, ${c.source}) ` +
          'for 10 minutes; new connections are refused at the limit.',
        action:
          'Look for connection leaks and idle sessions in pg_stat_activity, put a pooler (RDS Proxy, PgBouncer) in ' +
          'front of the database, or raise max_connections with the memory to match.',
        runbookSlug: 'rds-connections-high',
        metric: metric('DatabaseConnections', 'Maximum', 300),
        comparison: 'GreaterThanOrEqualToThreshold',
        threshold: c.threshold,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: 'missing',
      });
    }

    if (instance.isReplica) {
      specs.push({
        id: `ReplicaLagHigh-${instance.key}`,
        name: `${instance.identifier}-replica-lag-high`,
        summary: `${what}: replica lag above ${inputs.replicaLagSeconds} s for 5 minutes; readers see stale data.`,
        action:
          "Check the primary's write and WAL volume, the replica's CPU and I/O, and long queries on the replica that " +
          'hold back replay (max_standby_streaming_delay).',
        runbookSlug: 'rds-replica-lag-high',
        metric: metric('ReplicaLag', 'Average', 60),
        comparison: 'GreaterThanThreshold',
        threshold: inputs.replicaLagSeconds,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        // While the replica is rebooted or re-created it reports nothing; keep the last state
        // rather than flap to OK or page on every maintenance.
        treatMissingData: 'missing',
      });
    }
  }
  return specs;
}

/** The resolved inputs of the RDS Proxy alarms. */
export interface ProxyAlarmInputs {
  readonly proxyName: string;
  readonly borrowLatencyMilliseconds: number;
  readonly maxConnectionsPercent: number;
}

/**
 * Alarms of an RDS Proxy: its target unavailable (failover, or the proxy cannot sign in), its
 * pool exhausted (clients wait for a database connection), and clients refused at sign-in.
 * The proxy publishes its metrics from the first successful connection on; before, there is no
 * data, which is no evidence of a failure ("missing").
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.monitoring.html
 */
export function proxyAlarmSpecs(inputs: ProxyAlarmInputs): AlarmSpec[] {
  const what = `RDS Proxy ${inputs.proxyName}`;
  const metric = (metricName: string, statistic: string, period: number, dimensions: Record<string, string> = {}) => ({
    namespace: RDS,
    metricName,
    dimensions: { ProxyName: inputs.proxyName, ...dimensions },
    statistic,
    period,
  });
  return [
    {
      id: 'ProxyTargetUnavailable',
      name: `${inputs.proxyName}-proxy-target-unavailable`,
      summary: `${what}: its read/write target was available less than 95% of the time for 3 minutes; clients cannot reach the database through it.`,
      action:
        'Check the target health (aws rds describe-db-proxy-targets): AUTH_FAILURE means the proxy cannot sign in (has the ' +
        "database jobs' users Job run? are the users' secrets set?), CONNECTION_FAILED or PENDING_PROXY_CAPACITY a failover " +
        "or the database's state.",
      runbookSlug: 'rds-proxy-target-unavailable',
      metric: metric('AvailabilityPercentage', 'Average', 60, { TargetGroup: 'default', TargetRole: 'READ_WRITE' }),
      comparison: 'LessThanThreshold',
      threshold: 95,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: 'missing',
    },
    {
      id: 'ProxyBorrowLatencyHigh',
      name: `${inputs.proxyName}-proxy-borrow-latency-high`,
      summary:
        `${what}: clients waited more than ${inputs.borrowLatencyMilliseconds} ms on average for a database connection ` +
        `for 5 minutes; the pool (${inputs.maxConnectionsPercent}% of max_connections) is exhausted.`,
      action:
        'Look for long transactions and pinned sessions (DatabaseConnectionsCurrentlySessionPinned: SET, temporary tables, ' +
        'advisory locks), then raise maxConnectionsPercent or max_connections, or scale the database.',
      runbookSlug: 'rds-proxy-borrow-latency-high',
      // The metric is in microseconds.
      metric: metric('DatabaseConnectionsBorrowLatency', 'Average', 60),
      comparison: 'GreaterThanThreshold',
      threshold: inputs.borrowLatencyMilliseconds * 1000,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: 'missing',
    },
    {
      id: 'ProxyDatabaseSignInFailures',
      name: `${inputs.proxyName}-proxy-database-sign-in-failures`,
      summary: `${what}: it failed to open database connections 5 or more times in 5 minutes; clients wait or are refused.`,
      action:
        "Most often the proxy cannot sign in: has the database jobs' users Job run since the user was added (it sets the " +
        "password the proxy reads from the user's secret)? Then check the target health (aws rds describe-db-proxy-targets) " +
        "and the database's max_connections.",
      runbookSlug: 'rds-proxy-database-sign-in-failures',
      metric: metric('DatabaseConnectionsSetupFailed', 'Sum', 300),
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 5,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
    },
    {
      id: 'ProxyClientAuthFailures',
      name: `${inputs.proxyName}-proxy-client-auth-failures`,
      summary: `${what}: 10 or more client sign-ins failed in 5 minutes.`,
      action:
        "A service's role lacks rds-db:connect on the proxy, its token was made for another host, user or port, or the " +
        'user is not one the proxy knows (service.connectTo(database, { user })): compare the pod\'s DATABASE_* values ' +
        "with the proxy's auth entries.",
      runbookSlug: 'rds-proxy-client-auth-failures',
      metric: metric('ClientConnectionsSetupFailedAuth', 'Sum', 300),
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 10,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// ElastiCache for Redis
// ---------------------------------------------------------------------------------------------

/** The resolved inputs of the Redis alarms. */
export interface RedisAlarmInputs {
  /** Member cluster IDs with the suffix used in construct IDs (`001`, `0001-001`). */
  readonly members: Array<{ readonly id: string; readonly key: string }>;
  readonly nodeType: string;
  readonly vcpus?: number;
  readonly hasReplicas: boolean;
  readonly clusterMode: boolean;
  readonly cpuPercent: number;
  readonly hostCpuThreshold: number;
  readonly engineCpuPercent: number;
  readonly memoryPercent: number;
  readonly evictionsPerFiveMinutes: number;
  readonly replicationLagSeconds: number;
}

const ELASTICACHE = 'AWS/ElastiCache';

/** The Redis alarms of every member node: host and engine CPU, memory, evictions, and replication lag. */
export function redisAlarmSpecs(inputs: RedisAlarmInputs): AlarmSpec[] {
  const specs: AlarmSpec[] = [];
  const scaleOut = inputs.clusterMode ? 'add shards' : 'move to a larger node type';
  for (const member of inputs.members) {
    const what = `Redis node ${member.id}`;
    const metric = (metricName: string, statistic: string, period: number) => ({
      namespace: ELASTICACHE,
      metricName,
      // Each Redis cache cluster has exactly one node, so the cluster ID alone names it.
      dimensions: { CacheClusterId: member.id },
      statistic,
      period,
    });

    const vcpuText = inputs.vcpus === undefined ? `${inputs.nodeType}, vCPUs unknown` : `${inputs.nodeType}, ${inputs.vcpus} vCPUs`;
    const derived = inputs.hostCpuThreshold !== inputs.cpuPercent;
    specs.push({
      id: `CpuHigh-${member.key}`,
      name: `${member.id}-cpu-high`,
      summary:
        `${what} (${vcpuText}): host CPU above ${inputs.hostCpuThreshold}% for 15 minutes` +
        (derived
          ? ` (${inputs.cpuPercent}% of one vCPU: Redis runs commands on one thread, so on this node the host CPU ` +
            `reaches ${inputs.hostCpuThreshold}% when that thread is at ${inputs.cpuPercent}%).`
          : '.'),
      action:
        `If reads dominate, add replicas and read from them; if writes do, ${scaleOut}. Check the slow log for ` +
        'expensive commands first.',
      runbookSlug: 'elasticache-cpu-high',
      metric: metric('CPUUtilization', 'Average', 300),
      comparison: 'GreaterThanThreshold',
      threshold: inputs.hostCpuThreshold,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: 'missing',
    });

    specs.push({
      id: `EngineCpuHigh-${member.key}`,
      name: `${member.id}-engine-cpu-high`,
      summary:
        `${what}: Redis engine thread CPU above ${inputs.engineCpuPercent}% for 15 minutes; the single command ` +
        'thread is saturated and latency rises for every client.',
      action:
        'Find slow commands in the slow log (KEYS, large HGETALL or SMEMBERS, long Lua scripts) and bursts of new ' +
        `TLS connections; for read load add replicas, for write load ${scaleOut}.`,
      runbookSlug: 'elasticache-engine-cpu-high',
      metric: metric('EngineCPUUtilization', 'Average', 300),
      comparison: 'GreaterThanThreshold',
      threshold: inputs.engineCpuPercent,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: 'missing',
    });

    specs.push({
      id: `MemoryHigh-${member.key}`,
      name: `${member.id}-memory-high`,
      summary: `${what}: memory use above ${inputs.memoryPercent}% of maxmemory for 10 minutes; eviction or write errors come next.`,
      action:
        'Find big keys and keys without a TTL (redis-cli --bigkeys on a replica), shorten TTLs, or ' +
        `${inputs.clusterMode ? 'add shards' : 'move to a node type with more memory'}.`,
      runbookSlug: 'elasticache-memory-high',
      metric: metric('DatabaseMemoryUsagePercentage', 'Maximum', 300),
      comparison: 'GreaterThanThreshold',
      threshold: inputs.memoryPercent,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: 'missing',
    });

    specs.push({
      id: `Evictions-${member.key}`,
      name: `${member.id}-evictions`,
      summary:
        `${what}: more than ${inputs.evictionsPerFiveMinutes} keys evicted per 5 minutes, for 10 minutes; memory is ` +
        'full and Redis drops keys to make room.',
      action:
        'If this node holds data the application cannot rebuild (sessions, queues), treat it as data loss: add ' +
        'memory now. For a pure cache, check the hit rate and raise this threshold if evictions are expected.',
      runbookSlug: 'elasticache-evictions',
      metric: metric('Evictions', 'Sum', 300),
      comparison: 'GreaterThanThreshold',
      threshold: inputs.evictionsPerFiveMinutes,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // A count: a period without data had nothing to count.
      treatMissingData: 'notBreaching',
    });

    if (inputs.hasReplicas) {
      specs.push({
        id: `ReplicationLagHigh-${member.key}`,
        name: `${member.id}-replication-lag-high`,
        summary:
          `${what}: replication lag above ${inputs.replicationLagSeconds} s for 5 minutes while it is a replica; ` +
          'reads from it are stale and a failover to it loses the writes not yet replicated.',
        action:
          "Check the primary's write rate and network throughput (NetworkBytesOut) and the replica's CPU; a replica " +
          'that falls too far behind resynchronises in full.',
        runbookSlug: 'elasticache-replication-lag-high',
        metric: metric('ReplicationLag', 'Average', 60),
        comparison: 'GreaterThanThreshold',
        threshold: inputs.replicationLagSeconds,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        // Only replicas publish ReplicationLag, and which node is the replica changes with every
        // failover: the node that is primary now has no data, which is not lag.
        treatMissingData: 'notBreaching',
      });
    }
  }
  return specs;
}

// ---------------------------------------------------------------------------------------------
// Application Load Balancer
// ---------------------------------------------------------------------------------------------

/** The resolved inputs of the load balancer alarms. */
export interface LoadBalancerAlarmInputs {
  readonly name: string;
  readonly loadBalancerDimension: string;
  readonly targetGroupDimension: string;
  readonly serverErrorRatePercent: number;
  readonly minimumRequestsPerMinute: number;
  readonly p95ResponseTimeSeconds: number;
  readonly unhealthyTargets: number;
}

const ELB = 'AWS/ApplicationELB';

/** The load balancer alarms: 5xx rates (its own and the targets'), p95 response time, target health. */
export function loadBalancerAlarmSpecs(inputs: LoadBalancerAlarmInputs): AlarmSpec[] {
  const what = `Load balancer ${inputs.name}`;
  const lb = { LoadBalancer: inputs.loadBalancerDimension };
  const targets = { LoadBalancer: inputs.loadBalancerDimension, TargetGroup: inputs.targetGroupDimension };
  const min = inputs.minimumRequestsPerMinute;
  const sumOf = (id: string, metricName: string): CloudwatchMetricAlarmMetricQuery => ({
    id,
    metric: { namespace: ELB, metricName, dimensions: lb, period: 60, stat: 'Sum' },
    returnData: false,
  });
  return [
    {
      id: 'Elb5xxRateHigh',
      name: `${inputs.name}-elb-5xx-rate-high`,
      summary:
        `${what}: its own 5xx responses (502, 503, 504: no healthy target, connection errors or timeouts to the ` +
        `targets) above ${inputs.serverErrorRatePercent}% of requests for 5 minutes ${requestFloorNote(min)}.`,
      action:
        'Check target health and pod readiness, recent deployments, and whether requests outlast the idle ' +
        'timeout; the application may never have seen these requests.',
      runbookSlug: 'alb-5xx-rate-high',
      query: [
        sumOf('errors', 'HTTPCode_ELB_5XX_Count'),
        sumOf('requests', 'RequestCount'),
        {
          id: 'rate',
          // RequestCount leaves out requests rejected before a target was chosen (a 503 with no
          // healthy target), so they are added back: a total outage is a 100% rate, not 0/0.
          expression:
            `IF((FILL(requests, 0) + FILL(errors, 0)) >= ${min}, ` +
            '100 * FILL(errors, 0) / (FILL(requests, 0) + FILL(errors, 0)), 0)',
          label: 'Load balancer 5xx responses, % of requests',
          returnData: true,
        },
      ],
      ...rateAlarm(inputs.serverErrorRatePercent),
    },
    // The application's rates and target health of the default target group; over the whole
    // load balancer when it has none (other services' traffic would otherwise mix in).
    ...targetAlarmSpecs(what, inputs.name, inputs.targetGroupDimension ? targets : lb, targets, inputs),
  ];
}

/** The resolved inputs of a service's target group alarms. */
export interface TargetGroupAlarmInputs extends LoadBalancerAlarmInputs {
  /** The service, for alarm names and descriptions. */
  readonly serviceName: string;
}

/**
 * The alarms of one service's target group behind a load balancer: its 5xx rate, p95 response
 * time and target health, all on the target group's own metrics.
 */
export function targetGroupAlarmSpecs(inputs: TargetGroupAlarmInputs): AlarmSpec[] {
  const targets = { LoadBalancer: inputs.loadBalancerDimension, TargetGroup: inputs.targetGroupDimension };
  return targetAlarmSpecs(`Service ${inputs.serviceName} behind load balancer ${inputs.name}`, `${inputs.name}-${inputs.serviceName}`, targets, targets, inputs);
}

function requestFloorNote(min: number): string {
  return `(evaluated in minutes with at least ${min} requests, so a single failed request at night does not page)`;
}

/** ELB publishes the 5xx counts only in minutes that have some, and RequestCount only with traffic: a minute without data is a minute without errors. */
function rateAlarm(percent: number) {
  return { comparison: 'GreaterThanThreshold', threshold: percent, evaluationPeriods: 5, datapointsToAlarm: 5, treatMissingData: 'notBreaching' } as const;
}

/**
 * The application's alarms: its 5xx rate and p95 response time (measured over `traffic`: the
 * whole load balancer or one target group) and the health of the targets (`targets`).
 */
function targetAlarmSpecs(
  what: string,
  namePrefix: string,
  traffic: Record<string, string>,
  targets: Record<string, string>,
  inputs: LoadBalancerAlarmInputs,
): AlarmSpec[] {
  const min = inputs.minimumRequestsPerMinute;
  const sumOf = (id: string, metricName: string): CloudwatchMetricAlarmMetricQuery => ({
    id,
    metric: { namespace: ELB, metricName, dimensions: traffic, period: 60, stat: 'Sum' },
    returnData: false,
  });
  return [
    {
      id: 'Target5xxRateHigh',
      name: `${namePrefix}-target-5xx-rate-high`,
      summary:
        `${what}: 5xx responses from the application above ${inputs.serverErrorRatePercent}% of requests for ` +
        `5 minutes ${requestFloorNote(min)}.`,
      action:
        'The application is failing requests: check its logs and error tracking, and the last deployment; roll ' +
        'back if a release started it. Check the database and Redis alarms for a common cause.',
      runbookSlug: 'alb-target-5xx-rate-high',
      query: [
        sumOf('errors', 'HTTPCode_Target_5XX_Count'),
        sumOf('requests', 'RequestCount'),
        {
          id: 'rate',
          expression: `IF(FILL(requests, 0) >= ${min}, 100 * FILL(errors, 0) / FILL(requests, 0), 0)`,
          label: 'Application 5xx responses, % of requests',
          returnData: true,
        },
      ],
      ...rateAlarm(inputs.serverErrorRatePercent),
    },
    {
      id: 'TargetResponseTimeHigh',
      name: `${namePrefix}-target-response-time-high`,
      summary: `${what}: 95th percentile target response time above ${inputs.p95ResponseTimeSeconds} s for 10 minutes.`,
      action:
        'Check where the time goes (database, Redis, downstream calls) and whether the pods are saturated (CPU ' +
        'throttling, HPA at its maximum replicas).',
      runbookSlug: 'alb-target-response-time-high',
      metric: { namespace: ELB, metricName: 'TargetResponseTime', dimensions: traffic, extendedStatistic: 'p95', period: 60 },
      comparison: 'GreaterThanThreshold',
      threshold: inputs.p95ResponseTimeSeconds,
      evaluationPeriods: 10,
      datapointsToAlarm: 10,
      // No requests, no response times; and a p95 over a handful of requests is noise, so
      // minutes with too few samples leave the state as it is.
      treatMissingData: 'notBreaching',
      evaluateLowSampleCountPercentiles: 'ignore',
    },
    {
      id: 'UnhealthyTargets',
      name: `${namePrefix}-unhealthy-targets`,
      summary: `${what}: ${inputs.unhealthyTargets} or more unhealthy targets in the target group for 5 minutes.`,
      action:
        'Check the failing health checks (target health reasons in the console or describe-target-health), pod ' +
        'events and logs; the remaining targets carry the load meanwhile.',
      runbookSlug: 'alb-unhealthy-targets',
      metric: { namespace: ELB, metricName: 'UnHealthyHostCount', dimensions: targets, statistic: 'Maximum', period: 60 },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: inputs.unhealthyTargets,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      // No data means no registered targets, which NoHealthyTargets reports.
      treatMissingData: 'notBreaching',
    },
    {
      id: 'NoHealthyTargets',
      name: `${namePrefix}-no-healthy-targets`,
      summary: `${what}: no healthy target in the target group for 3 minutes; the service is down for every user.`,
      action:
        'Check that the application pods run and pass readiness, that the TargetGroupBinding registers them, and ' +
        'that the security groups let the load balancer reach the pods.',
      runbookSlug: 'alb-no-healthy-targets',
      metric: { namespace: ELB, metricName: 'HealthyHostCount', dimensions: targets, statistic: 'Minimum', period: 60 },
      comparison: 'LessThanThreshold',
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      // A target group with no data has no registered targets: nothing serves the traffic.
      treatMissingData: 'breaching',
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// WAF
// ---------------------------------------------------------------------------------------------

/** The resolved inputs of the WAF alarm. */
export interface WafAlarmInputs {
  readonly webAclName: string;
  readonly metricName: string;
  /** The Region dimension; undefined for CloudFront web ACLs, whose metrics have none. */
  readonly region?: string;
  readonly blockedRequestsPerFiveMinutes: number;
  readonly logGroupName?: string;
}

/** The WAF alarm: a spike of blocked requests over all rules. */
export function wafAlarmSpecs(inputs: WafAlarmInputs): AlarmSpec[] {
  const dimensions: Record<string, string> = { WebACL: inputs.metricName, Rule: 'ALL' };
  if (inputs.region !== undefined) dimensions.Region = inputs.region;
  return [
    {
      id: 'BlockedRequestsSpike',
      name: `${inputs.webAclName}-blocked-requests-spike`,
      summary:
        `Web ACL ${inputs.webAclName}: more than ${inputs.blockedRequestsPerFiveMinutes} requests blocked in 5 minutes ` +
        '(all rules): an attack or a scan, or real users blocked by a new rule.',
      action:
        'See which rule blocks and for whom in the sampled requests and the WAF logs' +
        (inputs.logGroupName === undefined ? '' : ` (log group ${inputs.logGroupName})`) +
        '; if real users are blocked, set that rule to count while you fix it.',
      runbookSlug: 'waf-blocked-requests-spike',
      metric: { namespace: 'AWS/WAFV2', metricName: 'BlockedRequests', dimensions, statistic: 'Sum', period: 300 },
      comparison: 'GreaterThanThreshold',
      threshold: inputs.blockedRequestsPerFiveMinutes,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // WAF publishes BlockedRequests only for periods in which it blocked something.
      treatMissingData: 'notBreaching',
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// ACM certificates
// ---------------------------------------------------------------------------------------------

/** The resolved inputs of the certificate expiry alarms. */
export interface CertificateAlarmInputs {
  /** The certificate's identifier in alarm names, e.g. `shop-production-certificate-<id>`. */
  readonly name: string;
  readonly certificateArn: string;
  readonly warningDays: number;
  readonly criticalDays: number;
}

/**
 * The certificate alarms: DaysToExpiry below the warning and below the critical number of
 * days, like the chart's CertificateExpiring for cert-manager. Two alarms rather than one, so
 * the topic hears once at the warning level and again when it becomes urgent.
 */
export function certificateAlarmSpecs(inputs: CertificateAlarmInputs): AlarmSpec[] {
  const what = `ACM certificate ${inputs.certificateArn}`;
  // ACM publishes DaysToExpiry daily, not every minute: a day is the shortest period sure to
  // hold a value, and its Minimum is the latest one.
  const metric = {
    namespace: 'AWS/CertificateManager',
    metricName: 'DaysToExpiry',
    dimensions: { CertificateArn: inputs.certificateArn },
    statistic: 'Minimum',
    period: 86400,
  };
  const renew =
    'ACM renews the certificates it issued by itself while they are in use and their DNS validation records ' +
    'still resolve: check the renewal status (aws acm describe-certificate, RenewalSummary) and the validation ' +
    'CNAME records. ACM never renews an imported certificate: reimport its successor under the same ARN, so the ' +
    'load balancer picks it up. If the certificate was replaced by a new one, watch the new ARN instead.';
  // ACM stops publishing DaysToExpiry once the certificate has expired, and never publishes it
  // for a deleted certificate or a wrong ARN: a whole day without a value needs a person as much
  // as a low value does. (A brand-new certificate may alarm once before its first value.)
  const expiryAlarm = { metric, comparison: 'LessThanThreshold', evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'breaching' } as const;
  const noData = 'or ACM has published no DaysToExpiry for it for a day (expired, deleted, or not this ARN).';
  return [
    {
      id: 'Expiring',
      name: `${inputs.name}-expiring`,
      summary: `${what}: expires in less than ${inputs.warningDays} days, ${noData}`,
      action: renew,
      runbookSlug: 'acm-certificate-expiring',
      threshold: inputs.warningDays,
      ...expiryAlarm,
    },
    {
      id: 'ExpiringCritical',
      name: `${inputs.name}-expiring-critical`,
      summary: `${what}: expires in less than ${inputs.criticalDays} days, ${noData} Clients refuse the connection once it has expired.`,
      action: renew,
      runbookSlug: 'acm-certificate-expiring',
      threshold: inputs.criticalDays,
      ...expiryAlarm,
    },
  ];
}
