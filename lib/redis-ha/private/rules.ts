import { isElastiCacheUserId, SECRET_ARN_PATTERN } from '../../core/private/aws-patterns';

/**
 * What ElastiCache and the AWS provider 5.100.0 accept for a Redis replication group, as
 * data, so RedisHA can reject bad input at synth time instead of at apply time.
 */

/**
 * The versions ElastiCache offers per engine, with their parameter group family: Redis OSS 7,
 * and Valkey 7.2 and 8 (hashicorp/aws 5.100 accepts the `valkey` engine, the `valkey7` and
 * `valkey8` families: planned offline in the tests). From
 * Redis 6 on, the provider only accepts `<major>.<minor>` (it rejects "7.1.0" and "7.x").
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html
 */
export const ENGINE_VERSIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  redis: { '7.0': 'redis7', '7.1': 'redis7' },
  valkey: { '7.2': 'valkey7', '8.0': 'valkey8', '8.1': 'valkey8' },
};

/** The default version per engine: the latest Redis OSS 7 minor; Valkey 8.0. */
export const DEFAULT_ENGINE_VERSIONS: Readonly<Record<string, string>> = { redis: '7.1', valkey: '8.0' };

/** The Redis port ElastiCache uses unless told otherwise. */
export const DEFAULT_REDIS_PORT = 6379;

/** Nodes per shard (node group): a primary and up to 5 replicas. */
export const MAX_NODES_PER_SHARD = 6;

/** Shards of a cluster-mode replication group, and nodes in all shards together. */
export const MAX_SHARDS = 500;
export const MAX_NODES_PER_REPLICATION_GROUP = 500;

/** ElastiCache keeps automatic snapshots for at most 35 days (the provider enforces it too). */
export const MAX_SNAPSHOT_RETENTION_DAYS = 35;

/** ElastiCache rejects maintenance and snapshot windows shorter than 60 minutes. */
export const MIN_WINDOW_MINUTES = 60;

/**
 * Replication group IDs: 1-40 letters, digits or hyphens, starting with a letter, no "--",
 * no trailing "-". ElastiCache stores them lowercased; we require lowercase so the names
 * derived from the ID (users, parameter group, log groups) match what AWS shows.
 */
export function isValidReplicationGroupId(id: string): boolean {
  return /^[a-z][a-z0-9-]{0,39}$/.test(id) && !id.includes('--') && !id.endsWith('-');
}

/**
 * ElastiCache user IDs are lowercase letters, digits and hyphens, starting with a letter.
 * For IAM authentication the user name must equal the user ID, so the same rule applies to
 * names; we also refuse "--" and a trailing "-" like the other ElastiCache identifiers.
 */
export function isValidUserIdPart(name: string): boolean {
  return isElastiCacheUserId(name);
}

/** `cache.<family>.<size>`, e.g. `cache.r7g.large`. */
export function isValidNodeType(nodeType: string): boolean {
  return /^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(nodeType);
}

/** Burstable (T-family) node types run on CPU credits. */
export function isBurstableNodeType(nodeType: string): boolean {
  return /^cache\.t\d/.test(nodeType);
}

/** Parameter names as ElastiCache writes them: lowercase words joined by hyphens. */
export function isValidParameterName(name: string): boolean {
  return /^[a-z][a-z0-9-]*$/.test(name);
}

/** An AWS Secrets Manager secret ARN. */
export function isSecretArn(arn: string): boolean {
  return SECRET_ARN_PATTERN.test(arn);
}

/** An SNS topic ARN. */
export function isSnsTopicArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(arn);
}

/**
 * Characters EC2 accepts in security group and rule descriptions (at most 255 of them).
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html
 */
const SECURITY_GROUP_DESCRIPTION = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

export function isValidSecurityGroupDescription(text: string): boolean {
  return SECURITY_GROUP_DESCRIPTION.test(text);
}

// Output identifiers are the library's one naming rule for outputs (lib/core).
export { terraformIdentifier } from '../../core/private/output-names';

/**
 * The AUTH token rules of ElastiCache: 16-128 printable characters; of the non-alphanumeric
 * ones only ! & # $ ^ < > - are allowed. Used as a Terraform variable validation, so a bad
 * token fails the plan, not the apply.
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html
 */
export const AUTH_TOKEN_PATTERN = '^[A-Za-z0-9!&#$^<>-]{16,128}$';
