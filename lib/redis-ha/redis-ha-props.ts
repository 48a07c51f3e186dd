import { EncryptionKey } from '../core/encryption-key';
import { IVpcStack } from '../vpc-stack/vpc-stack';
import type { CacheEngine, RedisAuth, RedisMaxMemoryPolicy } from './redis-ha';

/** Properties of a {@link RedisHA}. */
export interface RedisHAProps {
  /** The VPC: nodes go into its ElastiCache subnet group (isolated tier) and spread over its zones. */
  readonly vpc: IVpcStack;

  /**
   * The replication group ID: 1-40 lowercase letters, digits or hyphens, starting with a
   * letter, with no "--" and no trailing "-". Changing it replaces the replication group.
   *
   * @default - `<project>-<environment>-<construct path>`, shortened with a hash to 40 characters
   */
  readonly replicationGroupId?: string;

  /**
   * The engine: Redis OSS, or Valkey, AWS's Redis-compatible engine (the same protocol,
   * commands, RBAC, IAM authentication, logs and CloudWatch metrics, priced below Redis OSS).
   * Moving an existing Redis OSS group to Valkey is an in-place upgrade (see the README).
   *
   * @default CacheEngine.REDIS
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/VersionManagement.HowTo.html
   */
  readonly engine?: CacheEngine;

  /**
   * The engine version, as `<major>.<minor>`: Redis OSS "7.0" or "7.1"; Valkey "7.2", "8.0" or
   * "8.1". The parameter group family (`redis7`, `valkey7`, `valkey8`) follows from it.
   *
   * @default - "7.1" for Redis OSS, "8.0" for Valkey
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html
   */
  readonly engineVersion?: string;

  /**
   * The cache node type, e.g. `cache.r7g.large`.
   *
   * @default - cache.r7g.large in production, cache.t4g.medium otherwise
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html
   */
  readonly nodeType?: string;

  /**
   * Nodes in each shard: a primary and `nodesPerShard - 1` replicas, 1-6. Nodes are spread
   * over the VPC's zones in order.
   *
   * @default - 3 in production (a primary and 2 replicas), 2 in staging, 1 in development (2 in cluster mode)
   */
  readonly nodesPerShard?: number;

  /**
   * Cluster mode: data partitioned over `shards` shards, each with `nodesPerShard` nodes.
   * Cluster mode always uses automatic failover, so it needs at least 2 nodes per shard, and
   * clients must be cluster-aware. Changing it replaces the replication group.
   *
   * @default false
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
   */
  readonly clusterMode?: boolean;

  /**
   * Number of shards (node groups) in cluster mode, 1-500. Only with `clusterMode: true`.
   *
   * @default 1
   */
  readonly shards?: number;

  /**
   * Promote a replica automatically when the primary fails. Needs at least 2 nodes per shard.
   *
   * @default - true when there are at least 2 nodes per shard (always in cluster mode)
   */
  readonly automaticFailover?: boolean;

  /**
   * Multi-AZ: place replicas in other zones than the primary and fail over across zones.
   * Needs automatic failover.
   *
   * @default - the environment preset (on in staging and production) when automatic failover is on
   */
  readonly multiAz?: boolean;

  /**
   * The port clients connect to. Changing it replaces the replication group.
   *
   * @default 6379
   */
  readonly port?: number;

  /**
   * How clients authenticate.
   *
   * @default - RedisAuth.iamUserGroup(): an RBAC user group with a disabled default user and one IAM-authenticated user "app"
   */
  readonly auth?: RedisAuth;

  /**
   * The customer-managed key that encrypts the data at rest and the snapshots.
   *
   * @default - a new rotating key for this replication group
   */
  readonly encryptionKey?: EncryptionKey;

  /**
   * Days to keep automatic daily snapshots, 0-35. 0 turns automatic snapshots off (a warning
   * is recorded).
   *
   * @default - the environment preset (7 development, 14 staging, 30 production)
   */
  readonly snapshotRetentionDays?: number;

  /**
   * Daily UTC window in which the snapshot starts, `hh24:mi-hh24:mi`, at least 60 minutes,
   * not overlapping the maintenance window.
   *
   * @default "03:00-04:00"
   */
  readonly snapshotWindow?: string;

  /**
   * Weekly UTC maintenance window, `ddd:hh24:mi-ddd:hh24:mi`, at least 60 minutes, not
   * overlapping the snapshot window.
   *
   * @default "sun:05:00-sun:06:00"
   */
  readonly maintenanceWindow?: string;

  /**
   * Take a final snapshot (`<replication group id>-final`) when the replication group is
   * deleted. Turning it off records a warning.
   *
   * @default true
   */
  readonly finalSnapshot?: boolean;

  /**
   * What Redis evicts when memory is full.
   *
   * @default RedisMaxMemoryPolicy.ALLKEYS_LRU
   */
  readonly maxMemoryPolicy?: RedisMaxMemoryPolicy;

  /**
   * Extra parameters for the replication group's parameter group, by name (e.g.
   * `{ 'notify-keyspace-events': 'Ex' }`). They add to the defaults
   * (`maxmemory-policy` from `maxMemoryPolicy`, `reserved-memory-percent` 25 and
   * `cluster-enabled` from `clusterMode`) and may override `reserved-memory-percent`;
   * `maxmemory-policy` and `cluster-enabled` have their own props.
   *
   * @default - only the defaults
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
   */
  readonly parameters?: { [name: string]: string };

  /**
   * Retention of the slow log and engine log groups, in days (a value CloudWatch Logs accepts).
   *
   * @default - the environment preset (30 development, 90 staging, 365 production)
   */
  readonly logRetentionDays?: number;

  /**
   * An SNS topic for ElastiCache events of this replication group (failovers, snapshots, ...).
   *
   * @default - no notifications
   */
  readonly notificationTopicArn?: string;

  /**
   * Apply changes at once instead of in the next maintenance window.
   *
   * @default false
   */
  readonly applyImmediately?: boolean;

  /**
   * Apply minor engine upgrades automatically in the maintenance window.
   *
   * @default true
   */
  readonly autoMinorVersionUpgrade?: boolean;

  /**
   * Add `lifecycle.prevent_destroy` to the replication group and to the key this construct
   * creates.
   *
   * @default - the environment preset (true in production)
   */
  readonly preventDestroy?: boolean;
}
