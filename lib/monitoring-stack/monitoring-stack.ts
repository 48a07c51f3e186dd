import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { TerraformOutput, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AppLoadBalancer } from '../app-cluster/load-balancer';
import { AppService, ServiceRouteType } from '../app-cluster/service';
import { reportFinding } from '../checks/report';
import { MON_KEY_IN_ENDPOINT } from '../checks/rules/constructs/mon-key-in-endpoint';
import { MON_NO_SUBSCRIPTIONS } from '../checks/rules/constructs/mon-no-subscriptions';
import { MON_PG_MAX_CONNECTIONS_UNKNOWN } from '../checks/rules/constructs/mon-pg-max-connections-unknown';
import { MON_PG_STORAGE_UNKNOWN } from '../checks/rules/constructs/mon-pg-storage-unknown';
import { MON_PG_UNKNOWN_CLASS } from '../checks/rules/constructs/mon-pg-unknown-class';
import { MON_REDIS_UNKNOWN_NODE_TYPE } from '../checks/rules/constructs/mon-redis-unknown-node-type';
import { MON_WAF_COUNT_ONLY } from '../checks/rules/constructs/mon-waf-count-only';
import { EncryptionKey } from '../core/encryption-key';
import { GroundworkStack } from '../core/groundwork-stack';
import { Naming } from '../core/naming';
import { ACM_CERTIFICATE_ARN_PATTERN as ACM_CERTIFICATE_ARN } from '../core/private/aws-patterns';
import { checkIntegerInRange, constructLabel, describeValue, invalidCombination, invalidProp, isLiteral } from '../core/private/errors';
import { pathInStack as pathOf } from '../core/private/paths';
import { policyDocument, PolicyStatement } from '../core/private/policy';
import { PostgresWithBackups } from '../postgres-with-backups/postgres-with-backups';
import { RedisHA } from '../redis-ha/redis-ha';
import { WafRules, WafScope } from '../waf-rules/waf-rules';
import { MonitoringStackProps } from './monitoring-stack-props';
import {
  AlarmSpec,
  certificateAlarmSpecs,
  createAlarm,
  loadBalancerAlarmSpecs,
  PostgresAlarmInputs,
  postgresAlarmSpecs,
  proxyAlarmSpecs,
  redisAlarmSpecs,
  targetGroupAlarmSpecs,
  wafAlarmSpecs,
} from './private/alarm-builders';
import { cacheNodeVcpus, rdsInstanceMemoryBytes } from './private/alarm-instance-sizes';
import {
  CERTIFICATE_DEFAULTS,
  checkCount,
  checkPercent,
  checkPositive,
  connectionsThreshold,
  defaultPostgresMaxConnections,
  FALLBACK_FREEABLE_MEMORY_BYTES,
  GIB,
  literalMaxConnections,
  LOAD_BALANCER_DEFAULTS,
  percentOfBytes,
  POSTGRES_DEFAULTS,
  REDIS_DEFAULTS,
  redisHostCpuThreshold,
  WAF_DEFAULTS,
} from './private/alarm-thresholds';
import { RUNBOOK_BASE_URL } from './private/urls';

// The props live in a file of their own; this module still exports them.
export { MonitoringStackProps } from './monitoring-stack-props';

/**
 * Thresholds of the CloudWatch alarms {@link MonitoringStack.watchPostgres} creates for every
 * DB instance (the primary and each read replica).
 */
export interface PostgresAlarmThresholds {
  /**
   * CpuHigh: CPUUtilization (5-minute average) above this percentage for 15 minutes.
   *
   * @default 80
   */
  readonly cpuPercent?: number;

  /**
   * FreeStorageLow: FreeStorageSpace below this percentage of `allocatedStorageGiB` (the
   * storage allocated at creation) for 10 minutes. The threshold is absolute bytes: after
   * storage autoscaling has grown the volume, it is a smaller share of the larger volume.
   *
   * @default - 10 without storage autoscaling; 5 with it (RDS autoscaling acts below 10% free, so the alarm fires only when autoscaling did not rescue the instance)
   */
  readonly freeStoragePercent?: number;

  /**
   * FreeableMemoryLow: FreeableMemory below this percentage of the instance class memory
   * (from a table of db.m*, db.r*, db.x2g and db.t3/t4g classes) for 15 minutes. A class not
   * in the table gets a fixed 512 MiB floor and a warning.
   *
   * @default 10
   */
  readonly freeableMemoryPercent?: number;

  /**
   * ConnectionsHigh: DatabaseConnections at or above this percentage of `max_connections` for
   * 10 minutes. `max_connections` is the database's literal `max_connections` parameter when
   * it has one, otherwise RDS's default LEAST(DBInstanceClassMemory/9531392, 5000) computed
   * from the class memory (the nominal memory: RDS reserves a little for itself, so the real
   * limit is a few percent lower).
   *
   * @default 80
   */
  readonly connectionsPercent?: number;

  /**
   * ReplicaLagHigh (replicas only): ReplicaLag above this many seconds for 5 minutes.
   *
   * @default 30
   */
  readonly replicaLagSeconds?: number;

  /**
   * ProxyBorrowLatencyHigh (a database with an RDS Proxy): clients waited more than this many
   * milliseconds on average for a pooled connection, for 5 minutes. The proxy also gets
   * ProxyTargetUnavailable (availability below 95% for 3 minutes), ProxyDatabaseSignInFailures
   * (5 or more failed database connections in 5 minutes: mostly a password not yet set) and
   * ProxyClientAuthFailures (10 or more failed client sign-ins in 5 minutes).
   *
   * @default 100
   */
  readonly proxyBorrowLatencyMilliseconds?: number;
}

/**
 * Thresholds of the CloudWatch alarms {@link MonitoringStack.watchRedis} creates for every
 * member node of a replication group.
 */
export interface RedisAlarmThresholds {
  /**
   * CpuHigh: the Redis command thread's share of CPU, in percent, behind the host
   * CPUUtilization alarm (15 minutes). Redis runs commands on one thread, so on nodes with 2
   * vCPUs or fewer the host threshold is this divided by the vCPUs (AWS's "90 / cores": 45%
   * on a 2-vCPU cache.r7g.large); larger nodes are alarmed at this percentage of the host.
   *
   * @default 90
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
   */
  readonly cpuPercent?: number;

  /**
   * EngineCpuHigh: EngineCPUUtilization above this percentage for 15 minutes.
   *
   * @default 90
   */
  readonly engineCpuPercent?: number;

  /**
   * MemoryHigh: DatabaseMemoryUsagePercentage (used memory as a share of maxmemory) above this
   * percentage for 10 minutes.
   *
   * @default 90
   */
  readonly memoryPercent?: number;

  /**
   * Evictions: more than this many evicted keys per 5 minutes, in two consecutive 5-minute
   * periods. The default alarms on any sustained eviction; raise it for a pure cache that is
   * meant to evict.
   *
   * @default 0
   */
  readonly evictionsPerFiveMinutes?: number;

  /**
   * ReplicationLagHigh (groups with replicas): ReplicationLag above this many seconds for 5
   * minutes on whichever node is a replica at the time.
   *
   * @default 10
   */
  readonly replicationLagSeconds?: number;
}

/** Thresholds of the CloudWatch alarms {@link MonitoringStack.watchLoadBalancer} creates. */
export interface LoadBalancerAlarmThresholds {
  /**
   * Elb5xxRateHigh and Target5xxRateHigh: 5xx responses (of the load balancer itself, and of
   * the application) above this percentage of requests, every minute for 5 minutes.
   *
   * @default 5
   */
  readonly serverErrorRatePercent?: number;

  /**
   * The 5xx rates count only minutes with at least this many requests, so one failed request
   * in a quiet minute does not page.
   *
   * @default 10
   */
  readonly minimumRequestsPerMinute?: number;

  /**
   * TargetResponseTimeHigh: the 95th percentile of TargetResponseTime above this many seconds
   * every minute for 10 minutes.
   *
   * @default 2
   */
  readonly p95ResponseTimeSeconds?: number;

  /**
   * UnhealthyTargets: this many or more unhealthy targets for 5 minutes. (NoHealthyTargets,
   * which fires when no target is healthy for 3 minutes, has no threshold.)
   *
   * @default 1
   */
  readonly unhealthyTargets?: number;
}

/** Thresholds of the CloudWatch alarm {@link MonitoringStack.watchWaf} creates. */
export interface WafAlarmThresholds {
  /**
   * BlockedRequestsSpike: more than this many requests blocked by the web ACL (all rules) in
   * 5 minutes. A fixed threshold rather than an anomaly detection band: it works from the
   * first day (a band needs about two weeks of history), a long attack does not become the
   * new normal, and the number is reviewable.
   *
   * @default 1000
   */
  readonly blockedRequestsPerFiveMinutes?: number;
}

/** Thresholds of the CloudWatch alarms {@link MonitoringStack.watchCertificate} creates. */
export interface CertificateAlarmThresholds {
  /**
   * Expiring: the certificate's DaysToExpiry below this many days (2-365). The default is
   * MonitoringChart's `certificateExpiryWarningDays`, so ACM and cert-manager certificates
   * warn alike.
   *
   * @default 21
   */
  readonly expiryWarningDays?: number;

  /**
   * ExpiringCritical: DaysToExpiry below this many days (1-364, fewer than
   * `expiryWarningDays`). The default is MonitoringChart's `certificateExpiryCriticalDays`.
   *
   * @default 7
   */
  readonly expiryCriticalDays?: number;
}

/** Options of {@link MonitoringStack.watchCertificate}: thresholds, and a name for the alarms. */
export interface CertificateWatchOptions extends CertificateAlarmThresholds {
  /**
   * Names the alarms (`<project>-<environment>-certificate-<name>-expiring`) and their scope
   * (`Certificate-<name>`): 1-64 lowercase letters, digits and hyphens, starting and ending
   * with a letter or digit. Required when the ARN is a token (e.g. the `arn` of an
   * `AcmCertificate` created in the same stack), since the certificate ID is then unknown.
   *
   * @default - the certificate ID, the part of the ARN after `certificate/`
   */
  readonly name?: string;
}


/** The alarms on a default target group's health, which a load balancer without one cannot have. */
const TARGET_HEALTH_ALARMS = ['UnhealthyTargets', 'NoHealthyTargets'];
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const EMAIL = /^[^@\s"<>()[\],;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const HTTPS_ENDPOINT = /^https:\/\/([^/?#@\s]+)(\/[^?#\s]*)?(\?[^#\s]*)?$/;
/** A path segment or query that looks like a key: 20 or more letters and digits in a row. */
const KEY_LIKE = /[A-Za-z0-9]{20,}/;
const MAX_SECONDS = 86400;
const CERTIFICATE_NAME = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;

/** Every watched construct, by the MonitoringStack watching it: one watcher per construct, or alarm names collide. */
const WATCHERS = new WeakMap<IConstruct, MonitoringStack>();

/** Watched certificate ARNs per stack, by the MonitoringStack watching them (ARNs are strings, not constructs). */
const CERTIFICATE_WATCHERS = new WeakMap<GroundworkStack, Map<string, MonitoringStack>>();

/** The props of a MonitoringStack after defaults, validated before any resource exists. */
interface ResolvedMonitoringProps {
  readonly topicName: string;
  readonly emails: string[];
  readonly httpsEndpoint?: string;
  /** Without a trailing slash. */
  readonly runbookBaseUrl?: string;
}

/** The condition that admits only this account's CloudWatch alarms. */
function fromOwnAlarms(stack: GroundworkStack): { [operator: string]: { [key: string]: string } } {
  const alarmSourceArn = `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.accountId}:alarm:*`;
  return {
    StringEquals: { 'aws:SourceAccount': stack.accountId },
    ArnLike: { 'aws:SourceArn': alarmSourceArn },
  };
}

/**
 * CloudWatch alarms for the managed services of a stack, and the encrypted SNS topic they
 * notify: the Terraform half of the monitoring (the Kubernetes half is {@link MonitoringChart}).
 *
 * - An SNS topic encrypted with a rotating customer-managed key whose policy lets CloudWatch
 *   use it (`cloudwatch.amazonaws.com`, GenerateDataKey* and Decrypt, only for alarms of this
 *   account and region); a topic policy that lets only this account's CloudWatch alarms
 *   publish and refuses publishes without TLS; optional email and HTTPS subscriptions.
 * - `watchPostgres(db)`, `watchRedis(cache)`, `watchLoadBalancer(cluster.loadBalancer)`,
 *   `watchWaf(waf)` and `watchCertificate(certificateArn)` add the alarms of that resource.
 *   Every alarm notifies the topic when it fires and when it recovers (`alarm_actions` and
 *   `ok_actions`), explains what is wrong, at which threshold and what to do (with a runbook
 *   link when `runbookBaseUrl` is set), and treats missing data deliberately (see the alarm
 *   list below).
 *
 * Alarms (construct ID, metric, default threshold, missing data):
 * - PostgreSQL, per instance (`primary`, `replica-<n>`): `CpuHigh-<i>` CPUUtilization > 80%
 *   for 15 min; `FreeStorageLow-<i>` FreeStorageSpace < 10% of the allocated storage (5% with
 *   storage autoscaling) for 10 min; `FreeableMemoryLow-<i>` < 10% of the class memory for
 *   15 min; `ConnectionsHigh-<i>` >= 80% of max_connections for 10 min; on replicas
 *   `ReplicaLagHigh-<i>` > 30 s for 5 min. Missing data: keep the state.
 * - Redis, per member node (`001`, ... or `0001-001`, ... in cluster mode): `CpuHigh-<n>`
 *   (90% of one vCPU's share on nodes with 2 vCPUs or fewer, else 90%), `EngineCpuHigh-<n>`
 *   > 90%, both 15 min; `MemoryHigh-<n>` DatabaseMemoryUsagePercentage > 90% for 10 min
 *   (missing: keep the state); `Evictions-<n>` > 0 per 5 min for 10 min; with replicas
 *   `ReplicationLagHigh-<n>` > 10 s for 5 min (missing: OK — only replicas report it).
 * - Load balancer: `Elb5xxRateHigh` and `Target5xxRateHigh` (metric math: 5xx / requests
 *   > 5%, every minute for 5 min, only minutes with 10+ requests), `TargetResponseTimeHigh`
 *   (p95 > 2 s for 10 min), `UnhealthyTargets` (>= 1 for 5 min) — missing: OK; and
 *   `NoHealthyTargets` (HealthyHostCount < 1 for 3 min; missing: breaching, since a target
 *   group without data has no targets).
 * - WAF: `BlockedRequestsSpike` (BlockedRequests, Rule=ALL, > 1000 in 5 min; missing: OK).
 * - ACM certificate (`watchCertificate(arn)`, e.g. the load balancer's): `Expiring` and
 *   `ExpiringCritical` (DaysToExpiry, daily Minimum, < 21 and < 7 days — the chart's
 *   cert-manager thresholds; missing: breaching, since ACM stops publishing the metric once
 *   the certificate has expired and never publishes it for a deleted one or a wrong ARN).
 *
 * Thresholds derive from instance sizes where that matters: FreeableMemory and
 * max_connections from the DB instance class memory, free storage from the allocated
 * storage, the Redis host CPU from the node's vCPUs. A class or node type missing from the
 * size tables gets a fixed fallback and a warning.
 *
 * Alarm names are `<resource identifier>-<kind>` (e.g. `shop-production-database-cpu-high`),
 * unique per account and region; watch each construct from one MonitoringStack. Watching the
 * same construct again with the same thresholds does nothing; with other thresholds it
 * throws. The watched construct must be in the same account and region (CloudWatch alarms see
 * only their own region's metrics).
 *
 * Construct IDs: `Key`, `Resource` (the topic), `Policy`, `Email-<address>`, `Https`,
 * `TopicArnOutput`, and one scope per watched construct, `Postgres-<path>`, `Redis-<path>`,
 * `LoadBalancer-<path>`, `Waf-<path>` (the construct's path in its stack with `/` as `-`,
 * e.g. `Postgres-Database`, `LoadBalancer-App-LoadBalancer`), holding its alarms; and one per
 * watched certificate, `Certificate-<name>` (the certificate ID unless a name is given).
 *
 * @example
 * const monitoring = new MonitoringStack(aws, 'Monitoring', {
 *   alarmEmailAddresses: ['oncall@example.com'],
 *   runbookBaseUrl: 'https://runbooks.example.com/shop',
 * });
 * monitoring.watchPostgres(database);
 * monitoring.watchRedis(cache);
 * monitoring.watchLoadBalancer(cluster.loadBalancer);
 * monitoring.watchWaf(waf);
 * monitoring.watchCertificate(certificateArn);
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export class MonitoringStack extends Construct {
  /** The ARN of the alarm topic. */
  public readonly topicArn: string;
  /** The name of the alarm topic. */
  public readonly topicName: string;
  /** The ARN of the key that encrypts the alarm topic. */
  public readonly kmsKeyArn: string;
  /** The key that encrypts the alarm topic. */
  public readonly key: EncryptionKey;
  /** The runbook base URL in effect, without a trailing slash. */
  public readonly runbookBaseUrl?: string;
  /** The underlying SNS topic resource. */
  public readonly resource: SnsTopic;

  private readonly stack: GroundworkStack;
  private readonly defaults: {
    readonly postgres: PostgresAlarmThresholds;
    readonly redis: RedisAlarmThresholds;
    readonly loadBalancer: LoadBalancerAlarmThresholds;
    readonly waf: WafAlarmThresholds;
    readonly certificate: CertificateAlarmThresholds;
  };
  private readonly alarms: CloudwatchMetricAlarm[] = [];
  private readonly names: string[] = [];
  /** Watch scope ID → the thresholds it was created with (as JSON), for idempotent watch calls. */
  private readonly watched = new Map<string, string>();
  private restoreJobsRule?: CloudwatchEventRule;
  /** Watched certificate ARN → its scope ID and options (as JSON). */
  private readonly certificates = new Map<string, { readonly scopeId: string; readonly fingerprint: string }>();

  constructor(scope: Construct, id: string, props: MonitoringStackProps = {}) {
    super(scope, id);
    const stack = GroundworkStack.ofConstruct(this);
    this.stack = stack;
    const pathInStack = pathOf(this, stack);

    // ---- Validate everything before any resource exists ----
    const { topicName, emails, httpsEndpoint, runbookBaseUrl } = this.resolveProps(stack, pathInStack, props);
    this.checkPostgresThresholds('postgres', props.postgres);
    this.checkRedisThresholds('redis', props.redis);
    this.checkLoadBalancerThresholds('loadBalancer', props.loadBalancer);
    this.checkWafThresholds('waf', props.waf);
    this.checkCertificateThresholds('certificate', props.certificate, {});
    this.defaults = {
      postgres: props.postgres ?? {},
      redis: props.redis ?? {},
      loadBalancer: props.loadBalancer ?? {},
      waf: props.waf ?? {},
      certificate: props.certificate ?? {},
    };

    if (emails.length === 0 && httpsEndpoint === undefined) {
      reportFinding(
        this,
        MON_NO_SUBSCRIPTIONS,
        'the alarm topic has no subscription in this stack: alarms reach nobody until something ' +
          'subscribes to it (alarmEmailAddresses, alarmHttpsEndpoint, or an integration such as AWS Chatbot).',
      );
    }

    // ---- Key, topic, policy ----
    this.key = this.createKey(stack, topicName);
    this.resource = this.createTopic(stack, topicName);
    this.createTopicPolicy(stack);

    // ---- Subscriptions ----
    this.createSubscriptions(emails, httpsEndpoint);

    // ---- Attributes ----
    this.topicArn = this.resource.arn;
    this.topicName = topicName;
    this.kmsKeyArn = this.key.keyArn;
    this.runbookBaseUrl = runbookBaseUrl;

    // ---- Outputs ----
    this.createOutputs(pathInStack, topicName);
  }

  /** The names of all alarms created so far, in creation order. */
  public get alarmNames(): string[] {
    return [...this.names];
  }

  /** The ARNs of all alarms created so far, in creation order. */
  public get alarmArns(): string[] {
    return this.alarms.map((alarm) => alarm.arn);
  }

  /**
   * Adds the CloudWatch alarms of a PostgreSQL database: for the primary and every read
   * replica CpuHigh, FreeStorageLow, FreeableMemoryLow and ConnectionsHigh, and on replicas
   * ReplicaLagHigh (see {@link PostgresAlarmThresholds} for the thresholds and how they derive
   * from the instance class and storage). The alarms live under `Postgres-<path of database>`.
   * A database with an RDS Proxy (`proxy`) also gets ProxyTargetUnavailable,
   * ProxyBorrowLatencyHigh, ProxyDatabaseSignInFailures and ProxyClientAuthFailures.
   *
   * With AWS Backup on the database, failed, aborted or expired backup and copy jobs of the
   * database reach the alarm topic through an EventBridge rule (`BackupJobsFailed`), and so do
   * failed RDS restore jobs, restore tests included (`RestoreJobsFailed`, one per stack).
   *
   * @param database the database to watch
   * @param thresholds thresholds for this database, over the stack's `postgres` defaults
   */
  public watchPostgres(database: PostgresWithBackups, thresholds?: PostgresAlarmThresholds): void {
    const ticket = this.beginWatch('watchPostgres', 'Postgres', database, thresholds);
    if (ticket === undefined) return;
    this.checkPostgresThresholds('watchPostgres thresholds', thresholds);
    const t = { ...this.defaults.postgres, ...definedOnly(thresholds) };
    const label = constructLabel(database);

    const instanceClass = database.instanceClass;
    const classKnown = isLiteral(instanceClass);
    const memoryBytes = classKnown ? rdsInstanceMemoryBytes(instanceClass) : undefined;
    const freeableMemoryPercent = t.freeableMemoryPercent ?? POSTGRES_DEFAULTS.freeableMemoryPercent;
    const freeableMemory =
      memoryBytes === undefined
        ? { bytes: FALLBACK_FREEABLE_MEMORY_BYTES }
        : { bytes: percentOfBytes(memoryBytes, freeableMemoryPercent), percent: freeableMemoryPercent, memoryBytes };

    const connectionsPercent = t.connectionsPercent ?? POSTGRES_DEFAULTS.connectionsPercent;
    const maxConnectionsParameter = database.parameters.max_connections;
    const literalMax = literalMaxConnections(maxConnectionsParameter);
    let connections: PostgresAlarmInputs['connections'];
    if (literalMax !== undefined) {
      connections = {
        maxConnections: literalMax,
        threshold: connectionsThreshold(literalMax, connectionsPercent),
        percent: connectionsPercent,
        source: 'the max_connections parameter',
      };
    } else if (maxConnectionsParameter === undefined && memoryBytes !== undefined) {
      const max = defaultPostgresMaxConnections(memoryBytes);
      connections = {
        maxConnections: max,
        threshold: connectionsThreshold(max, connectionsPercent),
        percent: connectionsPercent,
        source: `the RDS default LEAST(DBInstanceClassMemory/9531392, 5000) for ${instanceClass}`,
      };
    }

    const allocated = database.allocatedStorageGiB;
    const maxAllocated = database.maxAllocatedStorageGiB;
    let freeStorage: PostgresAlarmInputs['freeStorage'];
    if (isLiteral(allocated)) {
      const autoscaling = !isLiteral(maxAllocated) || maxAllocated > allocated;
      const percent =
        t.freeStoragePercent ??
        (autoscaling ? POSTGRES_DEFAULTS.freeStoragePercentWithAutoscaling : POSTGRES_DEFAULTS.freeStoragePercent);
      freeStorage = {
        bytes: percentOfBytes(allocated * GIB, percent),
        percent,
        allocatedGiB: allocated,
        autoscalingLimitGiB: autoscaling ? maxAllocated : undefined,
      };
    }

    const specs = postgresAlarmSpecs({
      instances: [
        { key: 'primary', identifier: database.identifier, isReplica: false },
        ...database.replicaIdentifiers.map((identifier, index) => ({ key: `replica-${index + 1}`, identifier, isReplica: true })),
      ],
      instanceClass,
      cpuPercent: t.cpuPercent ?? POSTGRES_DEFAULTS.cpuPercent,
      replicaLagSeconds: t.replicaLagSeconds ?? POSTGRES_DEFAULTS.replicaLagSeconds,
      freeStorage,
      freeableMemory,
      connections,
    });

    if (memoryBytes === undefined) {
      reportFinding(
        this,
        MON_PG_UNKNOWN_CLASS,
        `${label}: instance class ${describeValue(instanceClass)} is not in the size table, so ` +
          `FreeableMemoryLow uses a fixed ${FALLBACK_FREEABLE_MEMORY_BYTES / 1024 ** 2} MiB floor` +
          (connections === undefined
            ? ' and there is no ConnectionsHigh alarm (set a numeric max_connections parameter on the database to get one).'
            : '.'),
      );
    } else if (connections === undefined) {
      reportFinding(
        this,
        MON_PG_MAX_CONNECTIONS_UNKNOWN,
        `${label}: the max_connections parameter ${describeValue(maxConnectionsParameter)} ` +
          'is not a plain number, so there is no ConnectionsHigh alarm; set it to a number to get one.',
      );
    }
    if (freeStorage === undefined) {
      reportFinding(
        this,
        MON_PG_STORAGE_UNKNOWN,
        `${label}: allocatedStorageGiB is not known at synth time, so there is no FreeStorageLow alarm.`,
      );
    }
    if (database.proxy !== undefined) {
      specs.push(
        ...proxyAlarmSpecs({
          proxyName: database.proxy.proxyName,
          borrowLatencyMilliseconds: t.proxyBorrowLatencyMilliseconds ?? POSTGRES_DEFAULTS.proxyBorrowLatencyMilliseconds,
          maxConnectionsPercent: database.proxy.maxConnectionsPercent,
        }),
      );
    }
    this.createAlarms(ticket, specs);
    if (database.backupVaultName !== undefined) this.routeBackupJobFailures(ticket.scopeId, database);
  }

  /**
   * Sends failed AWS Backup jobs to the alarm topic through EventBridge: the backup and copy
   * jobs of this database, and (one rule per stack) every failed RDS restore job, restore
   * tests included, whose events do not name the source database.
   */
  private routeBackupJobFailures(scopeId: string, database: PostgresWithBackups): void {
    const scope = this.node.findChild(scopeId);
    const target = (rule: CloudwatchEventRule, id: string) =>
      new CloudwatchEventTarget(scope, id, { rule: rule.name, arn: this.topicArn, targetId: 'alarm-topic' });
    const jobs = new CloudwatchEventRule(scope, 'BackupJobsFailed', {
      name: Naming.resourceName([database.identifier, 'backup-jobs-failed'], 64),
      description: `AWS Backup and copy jobs of PostgreSQL ${database.identifier} that failed, aborted or expired: to the alarm topic`,
      eventPattern: JSON.stringify({
        source: ['aws.backup'],
        'detail-type': ['Backup Job State Change', 'Copy Job State Change'],
        detail: { resourceArn: [database.instanceArn], state: ['FAILED', 'ABORTED', 'EXPIRED'] },
      }),
    });
    target(jobs, 'BackupJobsFailedTarget');
    if (this.restoreJobsRule === undefined) {
      this.restoreJobsRule = new CloudwatchEventRule(this, 'RestoreJobsFailed', {
        name: Naming.resourceName([this.stack.namePrefix, 'rds-restore-jobs-failed'], 64),
        description: 'AWS Backup restore jobs of RDS (restore tests included) that failed or were aborted: to the alarm topic',
        eventPattern: JSON.stringify({
          source: ['aws.backup'],
          'detail-type': ['Restore Job State Change'],
          // Restore jobs report "status", backup and copy jobs "state", as in the AWS Backup API.
          detail: { resourceType: ['RDS'], status: ['FAILED', 'ABORTED'] },
        }),
      });
      new CloudwatchEventTarget(this, 'RestoreJobsFailedTarget', { rule: this.restoreJobsRule.name, arn: this.topicArn, targetId: 'alarm-topic' });
    }
  }

  /**
   * Adds the CloudWatch alarms of a Redis replication group, for every member node:
   * CpuHigh, EngineCpuHigh, MemoryHigh, Evictions, and with replicas ReplicationLagHigh (see
   * {@link RedisAlarmThresholds}). The alarms live under `Redis-<path of cache>`.
   *
   * @param cache the replication group to watch
   * @param thresholds thresholds for this replication group, over the stack's `redis` defaults
   */
  public watchRedis(cache: RedisHA, thresholds?: RedisAlarmThresholds): void {
    const ticket = this.beginWatch('watchRedis', 'Redis', cache, thresholds);
    if (ticket === undefined) return;
    this.checkRedisThresholds('watchRedis thresholds', thresholds);
    const t = { ...this.defaults.redis, ...definedOnly(thresholds) };

    const nodeType = cache.nodeType;
    const vcpus = isLiteral(nodeType) ? cacheNodeVcpus(nodeType) : undefined;
    const cpuPercent = t.cpuPercent ?? REDIS_DEFAULTS.cpuPercent;
    const prefixLength = cache.replicationGroupId.length + 1;
    const specs = redisAlarmSpecs({
      members: cache.memberClusterIds.map((memberId) => ({ id: memberId, key: memberId.slice(prefixLength) })),
      nodeType,
      vcpus,
      hasReplicas: cache.nodesPerShard > 1,
      clusterMode: cache.clusterMode,
      cpuPercent,
      hostCpuThreshold: redisHostCpuThreshold(cpuPercent, vcpus),
      engineCpuPercent: t.engineCpuPercent ?? REDIS_DEFAULTS.engineCpuPercent,
      memoryPercent: t.memoryPercent ?? REDIS_DEFAULTS.memoryPercent,
      evictionsPerFiveMinutes: t.evictionsPerFiveMinutes ?? REDIS_DEFAULTS.evictionsPerFiveMinutes,
      replicationLagSeconds: t.replicationLagSeconds ?? REDIS_DEFAULTS.replicationLagSeconds,
    });
    if (vcpus === undefined) {
      reportFinding(
        this,
        MON_REDIS_UNKNOWN_NODE_TYPE,
        `${constructLabel(cache)}: node type ${describeValue(nodeType)} is not in the size ` +
          `table, so CpuHigh alarms at ${cpuPercent}% of the whole host instead of a share derived from its vCPUs.`,
      );
    }
    this.createAlarms(ticket, specs);
  }

  /**
   * Adds the CloudWatch alarms of an Application Load Balancer and its default target group:
   * Elb5xxRateHigh, Target5xxRateHigh, TargetResponseTimeHigh, UnhealthyTargets and
   * NoHealthyTargets (see {@link LoadBalancerAlarmThresholds}). Pass an AppCluster's
   * `loadBalancer`. The alarms live under `LoadBalancer-<path of the load balancer>`.
   *
   * The target health alarms are those of the default target group (the service with
   * `ServiceRoute.defaultRoute()`): call this after declaring it. A load balancer without one
   * gets the load balancer's own alarms only; watch each service's target group with
   * {@link MonitoringStack.watchService}.
   *
   * @param loadBalancer the load balancer to watch, e.g. `cluster.loadBalancer`
   * @param thresholds thresholds for this load balancer, over the stack's `loadBalancer` defaults
   */
  public watchLoadBalancer(loadBalancer: AppLoadBalancer, thresholds?: LoadBalancerAlarmThresholds): void {
    const ticket = this.beginWatch('watchLoadBalancer', 'LoadBalancer', loadBalancer, thresholds);
    if (ticket === undefined) return;
    this.checkLoadBalancerThresholds('watchLoadBalancer thresholds', thresholds);
    const withDefaultTarget = loadBalancer.hasDefaultTargetGroup;
    const specs = loadBalancerAlarmSpecs({
      name: loadBalancer.loadBalancerName,
      loadBalancerDimension: loadBalancer.loadBalancerArnSuffix,
      targetGroupDimension: withDefaultTarget ? loadBalancer.targetGroupArnSuffix : '',
      ...this.resolvedLoadBalancerThresholds(thresholds),
    }).filter((spec) => withDefaultTarget || !TARGET_HEALTH_ALARMS.includes(spec.id));
    if (!withDefaultTarget) {
      // A default target group declared after this call would have no target health alarms.
      this.node.addValidation({
        validate: () =>
          loadBalancer.hasDefaultTargetGroup
            ? [
                `${constructLabel(this)}: watchLoadBalancer(${constructLabel(loadBalancer)}) was called before a service took its ` +
                  'default route, so that target group has no target health alarms; call watchLoadBalancer after addService',
              ]
            : [],
      });
    }
    this.createAlarms(ticket, specs);
  }

  /**
   * Adds the CloudWatch alarms of a service's target group, on the target group's own metrics:
   * Target5xxRateHigh, TargetResponseTimeHigh, UnhealthyTargets and NoHealthyTargets (see
   * {@link LoadBalancerAlarmThresholds}; Elb5xxRateHigh belongs to the load balancer). For a
   * service with a host/path rule on the shared load balancer; the default route's target group,
   * and a service's own load balancer, are watched with `watchLoadBalancer`. The alarms live
   * under `Service-<path of the service>`.
   *
   * @param service a service of an AppCluster with a route
   * @param thresholds thresholds for this service, over the stack's `loadBalancer` defaults
   */
  public watchService(service: AppService, thresholds?: LoadBalancerAlarmThresholds): void {
    if (service.targetGroupArnSuffix === undefined || service.loadBalancer === undefined) {
      invalidProp(this, 'watchService(service)', 'have a route (a service without a load balancer has no target group to watch)', service.name);
    }
    if (service.routeType !== ServiceRouteType.SHARED_RULE) {
      invalidProp(
        this,
        'watchService(service)',
        "have a host/path rule on the shared load balancer: its load balancer's default target group is this service's, so watch " +
          'it with watchLoadBalancer(service.loadBalancer) (the alarms would page twice)',
        service.name,
      );
    }
    const ticket = this.beginWatch('watchService', 'Service', service, thresholds);
    if (ticket === undefined) return;
    this.checkLoadBalancerThresholds('watchService thresholds', thresholds);
    this.createAlarms(
      ticket,
      targetGroupAlarmSpecs({
        name: service.loadBalancer.loadBalancerName,
        serviceName: service.name,
        loadBalancerDimension: service.loadBalancer.loadBalancerArnSuffix,
        targetGroupDimension: service.targetGroupArnSuffix,
        ...this.resolvedLoadBalancerThresholds(thresholds),
      }),
    );
  }

  private resolvedLoadBalancerThresholds(thresholds: LoadBalancerAlarmThresholds | undefined) {
    const t = { ...this.defaults.loadBalancer, ...definedOnly(thresholds) };
    return {
      serverErrorRatePercent: t.serverErrorRatePercent ?? LOAD_BALANCER_DEFAULTS.serverErrorRatePercent,
      minimumRequestsPerMinute: t.minimumRequestsPerMinute ?? LOAD_BALANCER_DEFAULTS.minimumRequestsPerMinute,
      p95ResponseTimeSeconds: t.p95ResponseTimeSeconds ?? LOAD_BALANCER_DEFAULTS.p95ResponseTimeSeconds,
      unhealthyTargets: t.unhealthyTargets ?? LOAD_BALANCER_DEFAULTS.unhealthyTargets,
    };
  }

  /**
   * Adds the CloudWatch alarm of a WAF web ACL: BlockedRequestsSpike (see
   * {@link WafAlarmThresholds}). The alarm lives under `Waf-<path of the web ACL construct>`.
   *
   * @param waf the web ACL to watch
   * @param thresholds thresholds for this web ACL, over the stack's `waf` defaults
   */
  public watchWaf(waf: WafRules, thresholds?: WafAlarmThresholds): void {
    const ticket = this.beginWatch('watchWaf', 'Waf', waf, thresholds);
    if (ticket === undefined) return;
    this.checkWafThresholds('watchWaf thresholds', thresholds);
    const t = { ...this.defaults.waf, ...definedOnly(thresholds) };
    const specs = wafAlarmSpecs({
      webAclName: waf.webAclName,
      metricName: waf.webAclMetricName,
      // CloudFront web ACLs report their metrics without a Region dimension.
      region: waf.scope === WafScope.CLOUDFRONT ? undefined : this.stack.region,
      blockedRequestsPerFiveMinutes: t.blockedRequestsPerFiveMinutes ?? WAF_DEFAULTS.blockedRequestsPerFiveMinutes,
      logGroupName: waf.logGroupName,
    });
    if (waf.countOnly) {
      reportFinding(
        this,
        MON_WAF_COUNT_ONLY,
        `${constructLabel(waf)} only counts: it blocks nothing, so BlockedRequestsSpike cannot ` +
          'fire until countOnly is turned off.',
      );
    }
    this.createAlarms(ticket, specs);
  }

  /**
   * Adds the CloudWatch alarms of an ACM certificate, such as the load balancer's:
   * Expiring and ExpiringCritical on its DaysToExpiry (see {@link CertificateAlarmThresholds}).
   * They cover what MonitoringChart's CertificateExpiring covers for cert-manager, for the
   * certificates that ACM holds. The alarms live under `Certificate-<name>`.
   *
   * The certificate must be in this stack's account and region: ACM publishes DaysToExpiry
   * there, and CloudWatch alarms only see metrics of their own account and region (a
   * CloudFront certificate, in us-east-1, needs a MonitoringStack in a us-east-1 stack).
   *
   * @param certificateArn the ACM certificate ARN, e.g. the one given to AppCluster
   * @param options thresholds over the stack's `certificate` defaults, and the name of the alarms
   * @see https://docs.aws.amazon.com/acm/latest/userguide/cloudwatch-metrics.html
   */
  public watchCertificate(certificateArn: string, options?: CertificateWatchOptions): void {
    const method = 'watchCertificate';
    const o = options ?? {};
    if (typeof certificateArn !== 'string') {
      invalidProp(this, `${method}(certificateArn)`, 'be an ACM certificate ARN', certificateArn);
    }
    let certificateId: string | undefined;
    if (!Token.isUnresolved(certificateArn)) {
      const match = ACM_CERTIFICATE_ARN.exec(certificateArn);
      if (!match) {
        invalidProp(
          this,
          `${method}(certificateArn)`,
          'be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>); IAM server certificates have no DaysToExpiry metric',
          certificateArn,
        );
      }
      const [, partition, region, account, id] = match;
      if (partition !== this.stack.partition || region !== this.stack.region || account !== this.stack.accountId) {
        invalidProp(
          this,
          `${method}(certificateArn)`,
          `be an ACM certificate of this stack's account ${this.stack.accountId} and region ${this.stack.region}: ACM publishes ` +
            "DaysToExpiry in the certificate's own account and region, and CloudWatch alarms only see metrics of their own",
          certificateArn,
        );
      }
      certificateId = id.toLowerCase();
    }
    if (o.name !== undefined && (!isLiteral(o.name) || !CERTIFICATE_NAME.test(o.name))) {
      invalidProp(this, `${method}(options.name)`, 'be 1-64 lowercase letters, digits or hyphens, starting and ending with a letter or digit', o.name);
    }
    const name = o.name ?? certificateId;
    if (name === undefined) {
      invalidProp(this, `${method}(options.name)`, 'be given when certificateArn is a token: it names the alarms, since the certificate ID is unknown at synth time', o.name);
    }
    const t = { ...this.defaults.certificate, ...definedOnly({ expiryWarningDays: o.expiryWarningDays, expiryCriticalDays: o.expiryCriticalDays }) };
    this.checkCertificateThresholds(`${method} options`, o, t);

    // One watcher per certificate: the alarm names would collide otherwise.
    const label = certificateId === undefined ? `certificate "${name}"` : `certificate ${certificateArn}`;
    const fingerprint = JSON.stringify(sortedKeys(definedOnly(o)));
    const scopeId = `Certificate-${name}`;
    const watchers = CERTIFICATE_WATCHERS.get(this.stack) ?? new Map<string, MonitoringStack>();
    const watcher = watchers.get(certificateArn);
    if (watcher !== undefined && watcher !== this) {
      invalidCombination(
        this,
        `${method}: ${label} is already watched by ${constructLabel(watcher)}; watch each certificate from one MonitoringStack ` +
          '(the alarm names would collide)',
      );
    }
    const previous = this.certificates.get(certificateArn);
    if (previous !== undefined) {
      if (previous.fingerprint === fingerprint) return;
      invalidCombination(
        this,
        `${method}: ${label} is already watched with options ${previous.fingerprint}, got ${fingerprint}; ` +
          'call it once per certificate with the options you want',
      );
    }
    for (const [otherArn, other] of this.certificates) {
      if (other.scopeId === scopeId) {
        invalidCombination(this, `${method}: the name "${name}" already names the alarms of certificate ${otherArn}; give each certificate its own name`);
      }
    }

    const specs = certificateAlarmSpecs({
      name: Naming.resourceName([this.stack.namePrefix, 'certificate', name], 200),
      certificateArn,
      warningDays: t.expiryWarningDays ?? CERTIFICATE_DEFAULTS.expiryWarningDays,
      criticalDays: t.expiryCriticalDays ?? CERTIFICATE_DEFAULTS.expiryCriticalDays,
    });
    this.createAlarms(
      {
        scopeId,
        fingerprint,
        register: () => {
          this.certificates.set(certificateArn, { scopeId, fingerprint });
          watchers.set(certificateArn, this);
          CERTIFICATE_WATCHERS.set(this.stack, watchers);
        },
      },
      specs,
    );
  }

  /** The topic name, subscriptions and runbook base URL with their defaults, checked before any resource exists. */
  private resolveProps(stack: GroundworkStack, pathInStack: string[], props: MonitoringStackProps): ResolvedMonitoringProps {
    const topicName = props.topicName ?? Naming.resourceName([stack.namePrefix, ...pathInStack, 'alarms'], 256);
    if (isLiteral(topicName) && !TOPIC_NAME.test(topicName)) {
      invalidProp(this, 'topicName', 'be 1-256 letters, digits, hyphens or underscores', topicName);
    }

    const emails = props.alarmEmailAddresses ?? [];
    emails.forEach((address, index) => {
      if (!isLiteral(address)) {
        invalidProp(this, `alarmEmailAddresses[${index}]`, 'be a literal address (it names its subscription construct)', address);
      }
      if (!EMAIL.test(address)) {
        invalidProp(this, `alarmEmailAddresses[${index}]`, 'be an email address such as "oncall@example.com"', address);
      }
    });
    // Case-insensitively: mail domains ignore case, and the subscription IDs are lowercased.
    const lowercased = emails.map((address) => address.toLowerCase());
    const repeated = lowercased.filter((address, index) => lowercased.indexOf(address) !== index);
    if (repeated.length > 0) {
      invalidProp(this, 'alarmEmailAddresses', 'not repeat an address', emails);
    }

    const httpsEndpoint = props.alarmHttpsEndpoint;
    if (httpsEndpoint !== undefined && isLiteral(httpsEndpoint)) {
      const match = HTTPS_ENDPOINT.exec(httpsEndpoint);
      if (!match) {
        invalidProp(
          this,
          'alarmHttpsEndpoint',
          'be an https:// URL without user credentials or fragment, e.g. "https://events.example.com/sns"',
          httpsEndpoint,
        );
      }
      if (KEY_LIKE.test(`${match[2] ?? ''}${match[3] ?? ''}`)) {
        reportFinding(
          this,
          MON_KEY_IN_ENDPOINT,
          'alarmHttpsEndpoint is a literal URL with what looks like a key in its path or query: ' +
            'it is written to the synthesized Terraform JSON and the state. Pass it as a sensitive TerraformVariable instead.',
        );
      }
    }

    let runbookBaseUrl: string | undefined;
    if (props.runbookBaseUrl !== undefined) {
      if (!isLiteral(props.runbookBaseUrl) || !RUNBOOK_BASE_URL.test(props.runbookBaseUrl)) {
        invalidProp(
          this,
          'runbookBaseUrl',
          'be a literal https:// URL without query or fragment, e.g. "https://runbooks.example.com/shop"',
          props.runbookBaseUrl,
        );
      }
      runbookBaseUrl = props.runbookBaseUrl.replace(/\/+$/, '');
    }
    return { topicName, emails, httpsEndpoint, runbookBaseUrl };
  }

  /** The topic's key, which CloudWatch alarms and EventBridge rules of this account use to publish. */
  private createKey(stack: GroundworkStack, topicName: string): EncryptionKey {
    const cloudWatchUsesKey: PolicyStatement = {
      Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: fromOwnAlarms(stack),
    };
    // EventBridge rules (failed AWS Backup jobs) publish too. The key statement has no condition,
    // as the SNS guide for AWS service event sources writes it: which rules may publish is the
    // topic policy's to decide, by the rule ARN EventBridge passes as aws:SourceArn.
    const eventBridgeUsesKey: PolicyStatement = {
      Sid: 'EventBridgePublishesToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    };
    return new EncryptionKey(this, 'Key', {
      description: `Encrypts the CloudWatch alarm topic ${topicName}`,
      extraPolicyStatementsJson: [JSON.stringify(cloudWatchUsesKey), JSON.stringify(eventBridgeUsesKey)],
    });
  }

  /** The alarm topic, encrypted with {@link key}. */
  private createTopic(stack: GroundworkStack, topicName: string): SnsTopic {
    return new SnsTopic(this, 'Resource', {
      name: topicName,
      displayName: Naming.resourceName([stack.namePrefix, 'alarms'], 100),
      kmsMasterKeyId: this.key.keyArn,
      // SHA256 message signatures for HTTPS subscribers that verify them.
      signatureVersion: 2,
      tags: { Name: topicName },
    });
  }

  /** The topic policy: this account's alarms and rules publish, over TLS only. */
  private createTopicPolicy(stack: GroundworkStack): void {
    new SnsTopicPolicy(this, 'Policy', {
      arn: this.resource.arn,
      policy: policyDocument([
        {
          Sid: 'CloudWatchAlarmsOfThisAccountPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: this.resource.arn,
          Condition: fromOwnAlarms(stack),
        },
        {
          Sid: 'EventBridgeRulesOfThisAccountPublish',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: this.resource.arn,
          Condition: { ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:events:${stack.region}:${stack.accountId}:rule/*` } },
        },
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sns:Publish',
          Resource: this.resource.arn,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
    });
  }

  /** One email subscription per address, and the HTTPS one. */
  private createSubscriptions(emails: string[], httpsEndpoint: string | undefined): void {
    for (const address of emails) {
      new SnsTopicSubscription(this, `Email-${address.toLowerCase()}`, { topicArn: this.resource.arn, protocol: 'email', endpoint: address });
    }
    if (httpsEndpoint !== undefined) {
      new SnsTopicSubscription(this, 'Https', { topicArn: this.resource.arn, protocol: 'https', endpoint: httpsEndpoint });
    }
  }

  /** The topic ARN output, as `<path>_alarm_topic_arn`. */
  private createOutputs(pathInStack: string[], topicName: string): void {
    const outputPrefix = pathInStack
      .join('_')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_');
    new TerraformOutput(this, 'TopicArnOutput', {
      value: this.topicArn,
      description: `ARN of the SNS topic ${topicName} that the CloudWatch alarms notify (subscribe on-call tools to it)`,
    }).overrideLogicalId(/^[a-z_]/.test(outputPrefix) ? `${outputPrefix}_alarm_topic_arn` : `monitoring_${outputPrefix}_alarm_topic_arn`);
  }

  /**
   * Checks that `watched` may be watched from here and returns the ID of its alarm scope, or
   * undefined when it is already watched with the same thresholds (nothing to do). Records
   * nothing: {@link createAlarms} does, once the alarms are built.
   */
  private beginWatch(method: string, kind: string, watched: Construct, thresholds: object | undefined): WatchTicket | undefined {
    const watchedStack = GroundworkStack.ofConstruct(watched);
    if (watchedStack.region !== this.stack.region || watchedStack.accountId !== this.stack.accountId) {
      invalidCombination(
        this,
        `${method}: ${constructLabel(watched)} is in account ${watchedStack.accountId} region ${watchedStack.region}, this ` +
          `MonitoringStack in account ${this.stack.accountId} region ${this.stack.region}; CloudWatch alarms only see ` +
          'metrics of their own account and region, so watch it from a MonitoringStack in its stack',
      );
    }
    const path = watched.node.path.slice(watchedStack.node.path.length + 1);
    const key = watchedStack === this.stack ? path : `${watchedStack.node.id}/${path}`;
    const scopeId = `${kind}-${key.replace(/\//g, '-')}`;

    const fingerprint = JSON.stringify(sortedKeys(definedOnly(thresholds)));
    const watcher = WATCHERS.get(watched);
    if (watcher !== undefined && watcher !== this) {
      invalidCombination(
        this,
        `${method}: ${constructLabel(watched)} is already watched by ${constructLabel(watcher)}; watch each construct from ` +
          'one MonitoringStack (the alarm names would collide)',
      );
    }
    const previous = this.watched.get(scopeId);
    if (previous !== undefined) {
      if (previous === fingerprint) return undefined;
      invalidCombination(
        this,
        `${method}: ${constructLabel(watched)} is already watched with thresholds ${previous}, got ${fingerprint}; ` +
          'call it once per construct with the thresholds you want',
      );
    }
    return { scopeId, fingerprint, register: () => WATCHERS.set(watched, this) };
  }

  /** Creates the alarms of one watched construct under its scope and records the watch. */
  private createAlarms(ticket: WatchTicket, specs: AlarmSpec[]): void {
    const scope = new Construct(this, ticket.scopeId);
    for (const spec of specs) {
      this.alarms.push(createAlarm(scope, spec, this.topicArn, this.runbookBaseUrl));
      this.names.push(spec.name);
    }
    this.watched.set(ticket.scopeId, ticket.fingerprint);
    ticket.register();
  }

  private checkPostgresThresholds(prefix: string, t: PostgresAlarmThresholds | undefined): void {
    if (t === undefined) return;
    checkPercent(this, `${prefix}.cpuPercent`, t.cpuPercent);
    checkPercent(this, `${prefix}.freeStoragePercent`, t.freeStoragePercent);
    checkPercent(this, `${prefix}.freeableMemoryPercent`, t.freeableMemoryPercent);
    checkPercent(this, `${prefix}.connectionsPercent`, t.connectionsPercent);
    checkPositive(this, `${prefix}.replicaLagSeconds`, t.replicaLagSeconds, MAX_SECONDS);
    checkPositive(this, `${prefix}.proxyBorrowLatencyMilliseconds`, t.proxyBorrowLatencyMilliseconds, MAX_SECONDS * 1000);
  }

  private checkRedisThresholds(prefix: string, t: RedisAlarmThresholds | undefined): void {
    if (t === undefined) return;
    checkPercent(this, `${prefix}.cpuPercent`, t.cpuPercent);
    checkPercent(this, `${prefix}.engineCpuPercent`, t.engineCpuPercent);
    checkPercent(this, `${prefix}.memoryPercent`, t.memoryPercent);
    checkCount(this, `${prefix}.evictionsPerFiveMinutes`, t.evictionsPerFiveMinutes, 0);
    checkPositive(this, `${prefix}.replicationLagSeconds`, t.replicationLagSeconds, MAX_SECONDS);
  }

  private checkLoadBalancerThresholds(prefix: string, t: LoadBalancerAlarmThresholds | undefined): void {
    if (t === undefined) return;
    checkPercent(this, `${prefix}.serverErrorRatePercent`, t.serverErrorRatePercent);
    checkCount(this, `${prefix}.minimumRequestsPerMinute`, t.minimumRequestsPerMinute, 1);
    checkPositive(this, `${prefix}.p95ResponseTimeSeconds`, t.p95ResponseTimeSeconds, 3600);
    checkCount(this, `${prefix}.unhealthyTargets`, t.unhealthyTargets, 1);
  }

  private checkWafThresholds(prefix: string, t: WafAlarmThresholds | undefined): void {
    if (t === undefined) return;
    checkCount(this, `${prefix}.blockedRequestsPerFiveMinutes`, t.blockedRequestsPerFiveMinutes, 1);
  }

  /**
   * Checks the days given in `t` (ranges as in MonitoringChart), then that the critical level
   * comes before the warning one once merged over `base` and the defaults.
   */
  private checkCertificateThresholds(prefix: string, t: CertificateAlarmThresholds | undefined, base: CertificateAlarmThresholds): void {
    if (t === undefined) return;
    checkIntegerInRange(this, `${prefix}.expiryWarningDays`, t.expiryWarningDays, 2, 365);
    checkIntegerInRange(this, `${prefix}.expiryCriticalDays`, t.expiryCriticalDays, 1, 364);
    const warning = t.expiryWarningDays ?? base.expiryWarningDays ?? CERTIFICATE_DEFAULTS.expiryWarningDays;
    const critical = t.expiryCriticalDays ?? base.expiryCriticalDays ?? CERTIFICATE_DEFAULTS.expiryCriticalDays;
    if (isLiteral(warning) && isLiteral(critical) && critical >= warning) {
      invalidCombination(this, `${prefix}.expiryCriticalDays (${critical}) must be fewer than ${prefix}.expiryWarningDays (${warning})`);
    }
  }
}

/** A watch that passed its checks, to be recorded when its alarms exist. */
interface WatchTicket {
  readonly scopeId: string;
  readonly fingerprint: string;
  /** Records who watches the watched thing, once its alarms exist. */
  readonly register: () => void;
}

/** The members of `o` that are not undefined, so `{ ...defaults, ...definedOnly(o) }` keeps defaults. */
function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function sortedKeys(o: object): object {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
