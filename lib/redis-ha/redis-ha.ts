import { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheUser } from '@cdktf/provider-aws/lib/elasticache-user';
import { ElasticacheUserGroup } from '@cdktf/provider-aws/lib/elasticache-user-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Fn, TerraformOutput, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { reportFinding } from '../checks/report';
import { REDIS_BURSTABLE_NODE } from '../checks/rules/constructs/redis-burstable-node';
import { REDIS_NO_FAILOVER } from '../checks/rules/constructs/redis-no-failover';
import { REDIS_NO_FINAL_SNAPSHOT } from '../checks/rules/constructs/redis-no-final-snapshot';
import { REDIS_NO_SNAPSHOTS } from '../checks/rules/constructs/redis-no-snapshots';
import { REDIS_SINGLE_AZ } from '../checks/rules/constructs/redis-single-az';
import { REDIS_TOKEN_IN_STATE } from '../checks/rules/constructs/redis-token-in-state';
import { DataStoreConnection, DataStoreConnectRequest, IConnectable, IServiceDataStore } from '../core/connections';
import { EncryptionKey } from '../core/encryption-key';
import { GroundworkStack } from '../core/groundwork-stack';
import { EncryptedLogGroup } from '../core/log-group';
import { ResourceMoves } from '../core/moves';
import { Naming } from '../core/naming';
import { addressAt } from '../core/private/addresses';
import { describeValue, invalidCombination, invalidProp, isLiteral } from '../core/private/errors';
import { checkLogRetentionDays } from '../core/private/log-retention';
import { pathInStack as pathOf } from '../core/private/paths';
import { PeerIngressRules } from '../core/private/peer-ingress';
import { policyDocument } from '../core/private/policy';
import { checkSecurityGroupName } from '../core/private/security-group-name';
import { checkWindowsDoNotOverlap, parseDailyWindow, parseWeeklyWindow } from '../core/private/windows';
import { checkServiceInSameVpc } from '../vpc-stack/private/same-vpc';
import { IVpcStack, VpcStack } from '../vpc-stack/vpc-stack';
import {
  AUTH_TOKEN_PATTERN,
  DEFAULT_ENGINE_VERSIONS,
  DEFAULT_REDIS_PORT,
  ENGINE_VERSIONS,
  isBurstableNodeType,
  isSecretArn,
  isSnsTopicArn,
  isValidNodeType,
  isValidParameterName,
  isValidReplicationGroupId,
  isValidSecurityGroupDescription,
  isValidUserIdPart,
  MAX_NODES_PER_REPLICATION_GROUP,
  MAX_NODES_PER_SHARD,
  MAX_SHARDS,
  MAX_SNAPSHOT_RETENTION_DAYS,
  MIN_WINDOW_MINUTES,
  terraformIdentifier,
} from './private/rules';
import { RedisHAProps } from './redis-ha-props';

// The props live in a file of their own; this module still exports them.
export { RedisHAProps } from './redis-ha-props';

/** The engine of the RBAC users and user group, whatever the replication group's engine (see createUserGroup). */
const RBAC_USER_ENGINE = 'redis';

/** The props of a RedisHA after defaults, validated before any resource exists. */
interface ResolvedRedisProps {
  readonly replicationGroupId: string;
  readonly engine: CacheEngine;
  readonly engineVersion: string;
  /** The parameter group family of the engine version. */
  readonly family: string;
  readonly nodeType: string;
  readonly clusterMode: boolean;
  readonly nodesPerShard: number;
  readonly shards: number;
  readonly automaticFailover: boolean;
  readonly multiAz: boolean;
  readonly zones: string[];
  readonly subnetGroupName: string;
  readonly port: number;
  readonly auth: RedisAuth;
  readonly snapshotRetentionDays: number;
  readonly snapshotWindow: string;
  readonly maintenanceWindow: string;
  readonly parameters: { [name: string]: string };
  readonly logRetentionDays: number;
  readonly finalSnapshot: boolean;
  readonly preventDestroy: boolean;
}

/** The IDs ElastiCache gives the member clusters: `<group>-<shard>-<node>` in cluster mode, `<group>-<node>` otherwise. */
function memberClusterIdsOf(replicationGroupId: string, clusterMode: boolean, shards: number, nodesPerShard: number): string[] {
  return clusterMode
    ? Array.from({ length: shards * nodesPerShard }, (_, i) => {
        const shard = String(Math.floor(i / nodesPerShard) + 1).padStart(4, '0');
        const node = String((i % nodesPerShard) + 1).padStart(3, '0');
        return `${replicationGroupId}-${shard}-${node}`;
      })
    : Array.from({ length: nodesPerShard }, (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, '0')}`);
}

/**
 * The engine of a {@link RedisHA} replication group.
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html
 */
export enum CacheEngine {
  /** Redis OSS 7. */
  REDIS = 'redis',
  /** Valkey 7.2 or 8, the Redis-compatible engine AWS prices below Redis OSS. */
  VALKEY = 'valkey',
}

/** How clients authenticate to a {@link RedisHA}. */
export enum RedisAuthMode {
  /** An RBAC user group: a disabled `default` user plus users that authenticate with IAM. */
  IAM_USER_GROUP = 'IAM_USER_GROUP',
  /** A single AUTH token (Redis `AUTH <token>`), taken from a Secrets Manager secret. */
  AUTH_TOKEN = 'AUTH_TOKEN',
}

/**
 * How ElastiCache applies a changed AUTH token.
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html#auth-modifyng-token
 */
export enum RedisAuthTokenUpdateStrategy {
  /** Add the new token and keep accepting the old one, so clients can move over. */
  ROTATE = 'ROTATE',
  /** Accept only the current token; used after a ROTATE to retire the old one. */
  SET = 'SET',
}

/**
 * What Redis evicts when memory is full.
 *
 * @see https://redis.io/docs/latest/develop/reference/eviction/
 */
export enum RedisMaxMemoryPolicy {
  /** Evict the least recently used keys among all keys (the usual choice for a cache). */
  ALLKEYS_LRU = 'allkeys-lru',
  /** Evict the least frequently used keys among all keys. */
  ALLKEYS_LFU = 'allkeys-lfu',
  /** Evict random keys among all keys. */
  ALLKEYS_RANDOM = 'allkeys-random',
  /** Evict the least recently used keys among keys with a TTL (ElastiCache's own default). */
  VOLATILE_LRU = 'volatile-lru',
  /** Evict the least frequently used keys among keys with a TTL. */
  VOLATILE_LFU = 'volatile-lfu',
  /** Evict random keys among keys with a TTL. */
  VOLATILE_RANDOM = 'volatile-random',
  /** Evict the keys with the nearest expiry. */
  VOLATILE_TTL = 'volatile-ttl',
  /** Evict nothing: writes fail with an out-of-memory error when memory is full. */
  NO_EVICTION = 'noeviction',
}

/** An ElastiCache user that authenticates with IAM, for {@link RedisAuth.iamUserGroup}. */
export interface RedisIamUser {
  /**
   * Short name of the user: lowercase letters, digits and hyphens, starting with a letter.
   * The ElastiCache user ID (and, as IAM authentication requires, the user name) is
   * `<replication group id>-<name>`; "default" is reserved.
   */
  readonly name: string;

  /**
   * The Redis ACL rules of the user (no password rules: IAM users have none).
   *
   * @default "on ~* &* +@all" - all keys, all pub/sub channels, all commands ElastiCache allows
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
   */
  readonly accessString?: string;
}

/** Options of {@link RedisAuth.authTokenFromSecret}. */
export interface RedisAuthTokenOptions {
  /**
   * How ElastiCache applies a changed token. Rotate in two deployments: first the new token
   * with ROTATE (old and new both work while clients move over), then SET (only the new one).
   *
   * @default RedisAuthTokenUpdateStrategy.ROTATE
   */
  readonly updateStrategy?: RedisAuthTokenUpdateStrategy;
}

const DEFAULT_IAM_ACCESS_STRING = 'on ~* &* +@all';
const DISABLED_DEFAULT_USER_ACCESS_STRING = 'off -@all';
const DEFAULT_IAM_USERS: RedisIamUser[] = [{ name: 'app' }];

/**
 * How clients authenticate to a {@link RedisHA}: a typed choice between an RBAC user group
 * with IAM authentication (the default) and an AUTH token from Secrets Manager.
 *
 * Neither puts a secret into the synthesized Terraform JSON.
 *
 * @example
 * new RedisHA(stack, 'Cache', { vpc, auth: RedisAuth.iamUserGroup([{ name: 'web' }, { name: 'worker' }]) });
 * new RedisHA(stack, 'Legacy', { vpc, auth: RedisAuth.authTokenFromSecret(tokenSecretArn) });
 */
export class RedisAuth {
  /**
   * Role-based access control with IAM authentication (recommended, and the default).
   *
   * Creates an ElastiCache user group holding a disabled `default` user (so unauthenticated
   * connections can do nothing) and one IAM-authenticated user per entry. Clients sign a
   * short-lived token with their IAM role (`elasticache:Connect`, see
   * {@link RedisHA.connectPolicyJson}) and send it with `AUTH <user id> <token>`. There is no
   * password anywhere: nothing to store, leak or rotate.
   *
   * @param users the IAM users; when omitted, one user named "app" with access string "on ~* &* +@all"
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
   */
  public static iamUserGroup(users?: RedisIamUser[]): RedisAuth {
    return new RedisAuth(RedisAuthMode.IAM_USER_GROUP, [...(users ?? DEFAULT_IAM_USERS)], undefined, undefined);
  }

  /**
   * A Redis AUTH token whose value lives in an existing Secrets Manager secret (the secret
   * string is the token: 16-128 characters, letters, digits and `! & # $ ^ < > -`).
   *
   * Synth and offline plans never read the secret: the construct declares a sensitive
   * Terraform variable ({@link RedisHA.authTokenVariableName}) that the deploy pipeline sets
   * from the secret, e.g.
   * `TF_VAR_cache_auth_token="$(aws secretsmanager get-secret-value --secret-id <arn> --query SecretString --output text)"`.
   * Terraform stores the token in its state (as it does any `auth_token`), so the state
   * backend must be encrypted and access-controlled. Prefer {@link RedisAuth.iamUserGroup}.
   *
   * Rotation: put the new token in the secret, deploy with `updateStrategy` ROTATE (the
   * default: old and new tokens both work), roll the clients to the new token, then deploy
   * once more with SET to retire the old token. Start the next rotation with ROTATE again.
   *
   * @param secretArn ARN of the Secrets Manager secret that holds the token
   * @param options how a changed token is applied
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html
   */
  public static authTokenFromSecret(secretArn: string, options: RedisAuthTokenOptions = {}): RedisAuth {
    return new RedisAuth(
      RedisAuthMode.AUTH_TOKEN,
      [],
      secretArn,
      options.updateStrategy ?? RedisAuthTokenUpdateStrategy.ROTATE,
    );
  }

  /** Which kind of authentication this is. */
  public readonly mode: RedisAuthMode;
  /** The IAM users (empty for an AUTH token). */
  public readonly iamUsers: RedisIamUser[];
  /** The secret that holds the AUTH token (only for an AUTH token). */
  public readonly secretArn?: string;
  /** How a changed AUTH token is applied (only for an AUTH token). */
  public readonly tokenUpdateStrategy?: RedisAuthTokenUpdateStrategy;

  private constructor(
    mode: RedisAuthMode,
    iamUsers: RedisIamUser[],
    secretArn: string | undefined,
    tokenUpdateStrategy: RedisAuthTokenUpdateStrategy | undefined,
  ) {
    this.mode = mode;
    this.iamUsers = iamUsers;
    this.secretArn = secretArn;
    this.tokenUpdateStrategy = tokenUpdateStrategy;
  }
}


/**
 * An ElastiCache Redis replication group that survives the loss of a node or a zone.
 *
 * - Nodes (default 3 in production: a primary and 2 replicas) spread over the VPC's zones in
 *   its isolated subnets, with automatic failover and Multi-AZ; optional cluster mode.
 * - Encrypted at rest with a rotating customer-managed KMS key, TLS required in transit.
 * - Authentication without secrets in the Terraform JSON: an RBAC user group with IAM
 *   authentication by default, or an AUTH token from Secrets Manager ({@link RedisAuth}).
 * - Daily snapshots kept 30 days in production, a final snapshot on delete, windows that do
 *   not overlap.
 * - A parameter group of its own, slow log and engine log delivered as JSON to KMS-encrypted
 *   CloudWatch log groups, a security group with no rules until {@link allowConnectionsFrom}.
 *
 * Child IDs: `Resource` (the replication group), `Key`, `LogKey`, `SecurityGroup`, `ParameterGroup`,
 * `SlowLogGroup`, `EngineLogGroup`, `DefaultUser`, `User-<name>` and `UserGroup` (IAM user
 * group) or `AuthToken` (the Terraform variable of an AUTH token), `IngressFrom-<peer>`
 * (one per allowed peer: the security group ID, or the peer's description when the ID is a
 * token), and the outputs `PrimaryEndpointOutput`, `ReaderEndpointOutput`, `PortOutput`,
 * `SecurityGroupIdOutput`, `UserGroupIdOutput` or `AuthSecretArnOutput`. Terraform output
 * names are `<path>_primary_endpoint`, ... (`cache_primary_endpoint` for a construct `Cache`).
 *
 * The deploying role needs `logs:CreateLogDelivery` (and the related log delivery
 * permissions) for the log delivery, and use of the KMS key.
 *
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html
 */
export class RedisHA extends Construct implements IServiceDataStore {
  /** The replication group ID. */
  public readonly replicationGroupId: string;
  /** The replication group ARN. */
  public readonly replicationGroupArn: string;
  /**
   * The endpoint clients write to: the primary endpoint, or in cluster mode the
   * configuration endpoint.
   */
  public readonly primaryEndpoint: string;
  /**
   * The endpoint that spreads reads over the replicas; in cluster mode the configuration
   * endpoint (cluster clients route reads themselves).
   */
  public readonly readerEndpoint: string;
  /** The port clients connect to. */
  public readonly port: number;
  /** The ID of the replication group's security group. */
  public readonly securityGroupId: string;
  /** The ARN of the key that encrypts data at rest and snapshots. */
  public readonly kmsKeyArn: string;
  /** The parameter group name. */
  public readonly parameterGroupName: string;
  /** The slow log group name. */
  public readonly slowLogGroupName: string;
  /** The engine log group name. */
  public readonly engineLogGroupName: string;
  /** The engine version in effect. */
  public readonly engineVersion: string;
  /** The engine: Redis OSS or Valkey. */
  public readonly engine: CacheEngine;
  /** The node type in effect. */
  public readonly nodeType: string;
  /** Nodes per shard in effect. */
  public readonly nodesPerShard: number;
  /** Number of shards (1 without cluster mode). */
  public readonly shards: number;
  /** Whether cluster mode is on. */
  public readonly clusterMode: boolean;
  /**
   * The IDs of the member cache clusters (one per node), as ElastiCache names them: without
   * cluster mode `<replication group id>-001` to `-00<nodesPerShard>`; in cluster mode
   * `<replication group id>-<shard 0001...>-<node 001...>`. These are the `CacheClusterId`
   * dimension of the node's CloudWatch metrics. Which node is the primary changes with every
   * failover, so the list has no roles.
   *
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.html
   */
  public readonly memberClusterIds: string[];
  /** Whether automatic failover is on. */
  public readonly automaticFailover: boolean;
  /** Whether Multi-AZ is on. */
  public readonly multiAz: boolean;
  /** Snapshot retention in days (0: no automatic snapshots). */
  public readonly snapshotRetentionDays: number;
  /** How clients authenticate. */
  public readonly authMode: RedisAuthMode;
  /** The RBAC user group ID (IAM user group only). */
  public readonly userGroupId?: string;
  /**
   * ElastiCache user IDs (also the user names to authenticate with) by the short names given
   * in {@link RedisAuth.iamUserGroup} (IAM user group only).
   */
  public readonly iamUserIds?: { [name: string]: string };
  /** ARN of the secret that holds the AUTH token (AUTH token only). */
  public readonly authSecretArn?: string;
  /**
   * Name of the sensitive Terraform variable the deploy pipeline sets to the AUTH token
   * (`TF_VAR_<name>`; AUTH token only).
   */
  public readonly authTokenVariableName?: string;
  /** The underlying replication group resource. */
  public readonly resource: ElasticacheReplicationGroup;

  private readonly iamUsers = new Map<string, ElasticacheUser>();
  /** The VPC ID the replication group lives in. */
  public readonly vpcId: string;

  /** The prefix of its keys in a service's connection Secret (`REDIS_HOST`, ...). */
  public readonly connectionKeyPrefix: string = 'REDIS';

  private readonly ingress: PeerIngressRules;
  private readonly subnetCidrs: string[];
  private legacyPeerCounter = 0;

  constructor(scope: Construct, id: string, props: RedisHAProps) {
    super(scope, id);
    const stack = GroundworkStack.ofConstruct(this);
    const preset = stack.preset;
    const pathInStack = pathOf(this, stack);

    // ---- Validate everything before any resource exists ----
    const resolved = this.resolveProps(stack, pathInStack, props);
    const { replicationGroupId, clusterMode, nodesPerShard, shards, auth } = resolved;
    this.engine = resolved.engine;

    // ---- Advisory findings ----
    this.warnAboutRiskyChoices(preset.multiAz, preset.isProduction, {
      automaticFailover: resolved.automaticFailover,
      multiAz: resolved.multiAz,
      snapshotRetentionDays: resolved.snapshotRetentionDays,
      finalSnapshot: resolved.finalSnapshot,
      nodeType: resolved.nodeType,
      auth,
    });

    // ---- Resources ----
    const key = props.encryptionKey ?? this.createKey(resolved);
    const securityGroup = this.createSecurityGroup(props.vpc, replicationGroupId);
    const parameterGroup = this.createParameterGroup(resolved);
    const { slowLog, engineLog } = this.createLogGroups(resolved);
    const identifier = terraformIdentifier(pathInStack);
    const { userGroup, authTokenVariable } = this.createAuthentication(auth, replicationGroupId, identifier);
    this.resource = this.createReplicationGroup(stack, pathInStack, props, resolved, {
      key,
      securityGroup,
      parameterGroup,
      slowLog,
      engineLog,
      userGroup,
      authTokenVariable,
    });

    // ---- Attributes ----
    this.replicationGroupId = replicationGroupId;
    this.replicationGroupArn = this.resource.arn;
    this.vpcId = props.vpc.vpcId;
    // The isolated tier where a VpcStack gives its CIDR blocks; the whole VPC otherwise.
    this.subnetCidrs = props.vpc instanceof VpcStack && props.vpc.isolatedSubnetCidrs.length > 0 ? props.vpc.isolatedSubnetCidrs : [props.vpc.cidr];
    this.primaryEndpoint = clusterMode ? this.resource.configurationEndpointAddress : this.resource.primaryEndpointAddress;
    this.readerEndpoint = clusterMode ? this.resource.configurationEndpointAddress : this.resource.readerEndpointAddress;
    this.port = resolved.port;
    this.securityGroupId = securityGroup.id;
    this.ingress = new PeerIngressRules(this, securityGroup.id, resolved.port, 'Redis');
    this.kmsKeyArn = key.keyArn;
    this.parameterGroupName = parameterGroup.name;
    this.slowLogGroupName = slowLog.logGroupName;
    this.engineLogGroupName = engineLog.logGroupName;
    this.engineVersion = resolved.engineVersion;
    this.nodeType = resolved.nodeType;
    this.nodesPerShard = nodesPerShard;
    this.shards = shards;
    this.clusterMode = clusterMode;
    this.memberClusterIds = memberClusterIdsOf(replicationGroupId, clusterMode, shards, nodesPerShard);
    this.automaticFailover = resolved.automaticFailover;
    this.multiAz = resolved.multiAz;
    this.snapshotRetentionDays = resolved.snapshotRetentionDays;
    this.authMode = auth.mode;
    this.userGroupId = userGroup?.userGroupId;
    // Literal IDs rather than the users' attributes: they are known at synth, so a stack in
    // another provider (the cluster bootstrap) can use them without a cross-stack output.
    this.iamUserIds = userGroup
      ? Object.fromEntries([...this.iamUsers.keys()].map((name) => [name, `${replicationGroupId}-${name}`]))
      : undefined;
    this.authSecretArn = auth.secretArn;
    this.authTokenVariableName = authTokenVariable ? `${identifier}_auth_token` : undefined;

    // ---- Outputs for the deploy pipeline ----
    this.createOutputs(identifier, resolved, userGroup);
  }

  /**
   * Admits a service of an AppCluster: an ingress rule from its peer (pod security group or the
   * cluster's nodes) and its sign-in. With the IAM user group, the service signs in as
   * `request.user` (a short name from {@link RedisAuth.iamUserGroup}; by default the only IAM
   * user, when there is one) and the values are `HOST`, `PORT`, `TLS` ("true"), `USER` (the
   * ElastiCache user ID) and `IAM_AUTH` ("true"); with an AUTH token, `AUTH_SECRET_ARN` instead,
   * and the policy lets the role read that secret. Prefix `REDIS` by default. Called by
   * `AppService.connectTo(cache)`; call that instead.
   *
   * @param request who connects, from where, as which user
   */
  public connectService(request: DataStoreConnectRequest): DataStoreConnection {
    checkServiceInSameVpc(this, this.vpcId, request.serviceName, request.vpcId, 'this replication group');
    if (request.migrationUser !== undefined) {
      invalidProp(this, 'connectTo(options.migrationUser)', 'be left out: a Redis replication group has no schema to migrate (migration users are for PostgresWithBackups)', request.migrationUser);
    }
    if (request.throughProxy === true) {
      invalidProp(this, 'connectTo(options.throughProxy)', 'be left out: RDS Proxy fronts databases, not ElastiCache (clients connect to the replication group)', request.throughProxy);
    }
    const common = { HOST: this.primaryEndpoint, PORT: String(this.port), TLS: 'true' };
    let values: { [key: string]: string };
    let policyJson: string;
    if (this.authMode === RedisAuthMode.IAM_USER_GROUP) {
      const users = [...this.iamUsers.keys()];
      const user = request.user ?? (users.length === 1 ? users[0] : undefined);
      if (user === undefined) {
        invalidProp(this, 'connectTo(options.user)', `name one of the IAM users ${users.join(', ')} (there is more than one)`, request.user);
      }
      // Named after the option the consumer wrote (connectTo's `user`), not connectPolicyJson's parameter.
      if (!users.includes(user)) {
        invalidProp(this, 'connectTo(options.user)', `be one of the IAM users ${users.join(', ')}`, user);
      }
      policyJson = this.connectPolicyJson(user);
      values = { ...common, USER: this.iamUserIds![user], IAM_AUTH: 'true' };
    } else {
      if (request.user !== undefined) {
        invalidProp(this, 'connectTo(options.user)', 'be left out: this replication group signs in with an AUTH token, not users', request.user);
      }
      policyJson = policyDocument([
        { Sid: 'ReadRedisAuthToken', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: this.authSecretArn! },
      ]);
      values = { ...common, AUTH_SECRET_ARN: this.authSecretArn! };
    }
    this.allowConnectionsFrom(request.peer);
    return {
      description: `Redis ${this.replicationGroupId}`,
      values,
      policyJson,
      port: this.port,
      subnetCidrs: this.subnetCidrs,
      securityGroupId: this.securityGroupId,
    };
  }

  /**
   * Lets `peer` connect on the Redis port: one ingress rule from the peer's security group,
   * described as "Redis from <peer description>". Calling it again for the same security
   * group does nothing.
   *
   * The rule's construct ID is `IngressFrom-<key>`, in the scheme PostgresWithBackups uses:
   * `ruleId` when given, otherwise the peer's construct path, its literal security group ID or
   * its literal description; a peer whose ID and description are both tokens needs `ruleId`.
   * Rules named by the scheme of release 0.1 (security group ID, description, counter) move to
   * their new address through moved blocks.
   *
   * @param peer what connects, e.g. the application cluster or `SecurityGroupPeer.fromSecurityGroupId(...)`
   * @param ruleId a stable ID for the rule; by default derived from the peer as described above
   */
  public allowConnectionsFrom(peer: IConnectable, ruleId?: string): void {
    const description = `Redis from ${peer.connectionsDescription}`;
    if (isLiteral(peer.connectionsDescription) && !isValidSecurityGroupDescription(description)) {
      invalidProp(
        this,
        'allowConnectionsFrom(peer).connectionsDescription',
        'use only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* and fit a 255-character rule description',
        peer.connectionsDescription,
      );
    }
    // Releases up to 0.1 named a rule after the peer's security group ID or description, or a
    // counter: the key the old scheme gives this call, so the rule's state moves instead of
    // the rule being replaced.
    const sourceId = peer.connectionsSecurityGroupId;
    // 0.1 returned here before counting, so a repeated call must not advance the counter either.
    if (this.ingress.admits(sourceId)) return;
    const legacyKey = isLiteral(sourceId)
      ? sourceId
      : isLiteral(peer.connectionsDescription)
        ? Naming.resourceName([peer.connectionsDescription], 60)
        : String(++this.legacyPeerCounter);
    const rule = this.ingress.allow(peer, ruleId);
    if (rule === undefined || rule.node.id === `IngressFrom-${legacyKey}`) return;
    const ownPath = pathOf(this, GroundworkStack.ofConstruct(this));
    ResourceMoves.moveFrom(rule, addressAt('aws_vpc_security_group_ingress_rule', [...ownPath, `IngressFrom-${legacyKey}`]));
  }

  /**
   * An IAM policy document (JSON) that lets a role connect as one of the IAM users:
   * `elasticache:Connect` on this replication group and that user. Attach it to the role of
   * the workload (for example an EKS service account role).
   *
   * @param userName the short user name given in {@link RedisAuth.iamUserGroup}
   * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
   */
  public connectPolicyJson(userName: string): string {
    if (this.authMode !== RedisAuthMode.IAM_USER_GROUP) {
      invalidCombination(this, 'connectPolicyJson needs auth RedisAuth.iamUserGroup(...); this replication group uses an AUTH token');
    }
    const user = this.iamUsers.get(userName);
    if (!user) {
      invalidProp(this, 'connectPolicyJson(userName)', `be one of the IAM users ${[...this.iamUsers.keys()].join(', ')}`, userName);
    }
    return policyDocument([
      {
        Sid: 'ConnectToRedisWithIam',
        Effect: 'Allow',
        Action: 'elasticache:Connect',
        Resource: [this.replicationGroupArn, user.arn],
      },
    ]);
  }

  /** Every prop checked and given its default, in the order of the errors: before any resource exists. */
  private resolveProps(stack: GroundworkStack, pathInStack: string[], props: RedisHAProps): ResolvedRedisProps {
    const preset = stack.preset;
    const { replicationGroupId, engine, engineVersion, family } = this.resolveEngine(stack, pathInStack, props);

    const nodeType = props.nodeType ?? (preset.isProduction ? 'cache.r7g.large' : 'cache.t4g.medium');
    if (isLiteral(nodeType) && !isValidNodeType(nodeType)) {
      invalidProp(this, 'nodeType', 'be an ElastiCache node type such as cache.r7g.large', nodeType);
    }

    const { clusterMode, nodesPerShard, shards } = this.resolveShards(stack, props);
    const { automaticFailover, multiAz, zones } = this.resolveFailover(stack, props, clusterMode, nodesPerShard);
    const subnetGroupName = this.subnetGroupOf(props.vpc);

    const port = props.port ?? DEFAULT_REDIS_PORT;
    if (isLiteral(port) && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      invalidProp(this, 'port', 'be an integer from 1 to 65535', port);
    }

    const auth = props.auth ?? RedisAuth.iamUserGroup();
    this.validateAuth(auth);

    const { snapshotRetentionDays, snapshotWindow, maintenanceWindow } = this.resolveSnapshotsAndMaintenance(stack, props);

    const maxMemoryPolicy = props.maxMemoryPolicy ?? RedisMaxMemoryPolicy.ALLKEYS_LRU;
    if (!Object.values(RedisMaxMemoryPolicy).includes(maxMemoryPolicy)) {
      invalidProp(this, 'maxMemoryPolicy', `be one of ${Object.values(RedisMaxMemoryPolicy).join(', ')}`, maxMemoryPolicy);
    }
    const parameters = this.parametersOf(props.parameters ?? {}, maxMemoryPolicy, clusterMode);

    const logRetentionDays = props.logRetentionDays ?? preset.logRetentionDays;
    checkLogRetentionDays(this, 'logRetentionDays', logRetentionDays);

    if (isLiteral(props.notificationTopicArn) && !isSnsTopicArn(props.notificationTopicArn!)) {
      invalidProp(this, 'notificationTopicArn', 'be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)', props.notificationTopicArn);
    }

    return {
      replicationGroupId,
      engine,
      engineVersion,
      family,
      nodeType,
      clusterMode,
      nodesPerShard,
      shards,
      automaticFailover,
      multiAz,
      zones,
      subnetGroupName,
      port,
      auth,
      snapshotRetentionDays,
      snapshotWindow,
      maintenanceWindow,
      parameters,
      logRetentionDays,
      finalSnapshot: props.finalSnapshot ?? true,
      preventDestroy: props.preventDestroy ?? preset.preventDestroy,
    };
  }

  /** The replication group ID, and an engine version whose parameter group family is known. */
  private resolveEngine(
    stack: GroundworkStack,
    pathInStack: string[],
    props: RedisHAProps,
  ): Pick<ResolvedRedisProps, 'replicationGroupId' | 'engine' | 'engineVersion' | 'family'> {
    const replicationGroupId =
      props.replicationGroupId ?? Naming.resourceName([stack.namePrefix, ...pathInStack], 40);
    if (isLiteral(replicationGroupId) && !isValidReplicationGroupId(replicationGroupId)) {
      invalidProp(
        this,
        'replicationGroupId',
        'be 1-40 lowercase letters, digits or hyphens, start with a letter, and contain no "--" or trailing "-"',
        replicationGroupId,
      );
    }
    checkSecurityGroupName(this, 'replicationGroupId', replicationGroupId, `${replicationGroupId}-redis`);

    const engine = props.engine ?? CacheEngine.REDIS;
    if (!Object.values(CacheEngine).includes(engine)) {
      invalidProp(this, 'engine', `be one of ${Object.values(CacheEngine).join(', ')}`, engine);
    }
    const engineVersion = props.engineVersion ?? DEFAULT_ENGINE_VERSIONS[engine];
    const family = Object.prototype.hasOwnProperty.call(ENGINE_VERSIONS[engine], engineVersion) ? ENGINE_VERSIONS[engine][engineVersion] : undefined;
    if (family === undefined) {
      invalidProp(
        this,
        'engineVersion',
        `be one of ${Object.keys(ENGINE_VERSIONS[engine]).join(', ')} for engine ${engine} (as <major>.<minor>, the form the AWS provider accepts)`,
        engineVersion,
      );
    }
    return { replicationGroupId, engine, engineVersion, family };
  }

  /** Cluster mode, shards and nodes per shard, within ElastiCache's limits. */
  private resolveShards(stack: GroundworkStack, props: RedisHAProps): Pick<ResolvedRedisProps, 'clusterMode' | 'nodesPerShard' | 'shards'> {
    const preset = stack.preset;
    const clusterMode = props.clusterMode ?? false;
    const presetNodes = preset.multiAz ? (preset.isProduction ? 3 : 2) : 1;
    const nodesPerShard = props.nodesPerShard ?? (clusterMode ? Math.max(2, presetNodes) : presetNodes);
    if (!Number.isInteger(nodesPerShard) || nodesPerShard < 1 || nodesPerShard > MAX_NODES_PER_SHARD) {
      invalidProp(
        this,
        'nodesPerShard',
        `be an integer from 1 to ${MAX_NODES_PER_SHARD} (a primary and up to ${MAX_NODES_PER_SHARD - 1} replicas per shard)`,
        nodesPerShard,
      );
    }
    if (props.shards !== undefined && !clusterMode) {
      invalidCombination(
        this,
        `shards ${describeValue(props.shards)} needs clusterMode: true; without cluster mode a replication group has exactly one shard`,
      );
    }
    const shards = props.shards ?? 1;
    if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) {
      invalidProp(this, 'shards', `be an integer from 1 to ${MAX_SHARDS}`, shards);
    }
    if (shards * nodesPerShard > MAX_NODES_PER_REPLICATION_GROUP) {
      invalidCombination(
        this,
        `shards x nodesPerShard must be at most ${MAX_NODES_PER_REPLICATION_GROUP} nodes, got ${shards} x ${nodesPerShard} = ${shards * nodesPerShard}`,
      );
    }
    return { clusterMode, nodesPerShard, shards };
  }

  /** Automatic failover and Multi-AZ, which need replicas and zones to fail over to. */
  private resolveFailover(
    stack: GroundworkStack,
    props: RedisHAProps,
    clusterMode: boolean,
    nodesPerShard: number,
  ): Pick<ResolvedRedisProps, 'automaticFailover' | 'multiAz' | 'zones'> {
    const automaticFailover = props.automaticFailover ?? (clusterMode || nodesPerShard >= 2);
    if (clusterMode && !automaticFailover) {
      invalidCombination(
        this,
        'clusterMode needs automaticFailover (ElastiCache always fails over in cluster mode); remove automaticFailover: false or turn clusterMode off',
      );
    }
    if (automaticFailover && nodesPerShard < 2) {
      invalidCombination(
        this,
        `automaticFailover${clusterMode ? ' (always on in cluster mode)' : ''} needs at least 2 nodes per shard ` +
          `(a primary and a replica to promote), got nodesPerShard ${nodesPerShard}`,
      );
    }
    const multiAz = props.multiAz ?? (stack.preset.multiAz && automaticFailover);
    if (multiAz && !automaticFailover) {
      invalidCombination(
        this,
        'multiAz needs automaticFailover: ElastiCache moves the primary to another zone only by failing over; ' +
          'turn automaticFailover on (with at least 2 nodes per shard) or multiAz off',
      );
    }
    const zones = props.vpc.availabilityZones;
    if (multiAz && isLiteral(zones) && new Set(zones).size < 2) {
      invalidCombination(this, `multiAz needs a vpc with at least 2 availability zones, got ${describeValue(zones)}`);
    }
    return { automaticFailover, multiAz, zones };
  }

  /** Snapshot retention and the snapshot and maintenance windows, which must not overlap. */
  private resolveSnapshotsAndMaintenance(
    stack: GroundworkStack,
    props: RedisHAProps,
  ): Pick<ResolvedRedisProps, 'snapshotRetentionDays' | 'snapshotWindow' | 'maintenanceWindow'> {
    const snapshotRetentionDays = props.snapshotRetentionDays ?? Math.min(stack.preset.backupRetentionDays, MAX_SNAPSHOT_RETENTION_DAYS);
    if (
      isLiteral(snapshotRetentionDays) &&
      (!Number.isInteger(snapshotRetentionDays) || snapshotRetentionDays < 0 || snapshotRetentionDays > MAX_SNAPSHOT_RETENTION_DAYS)
    ) {
      invalidProp(
        this,
        'snapshotRetentionDays',
        `be an integer from 0 to ${MAX_SNAPSHOT_RETENTION_DAYS} (ElastiCache keeps automatic snapshots at most ${MAX_SNAPSHOT_RETENTION_DAYS} days; 0 turns them off)`,
        snapshotRetentionDays,
      );
    }
    const snapshotWindow = props.snapshotWindow ?? '03:00-04:00';
    const maintenanceWindow = isLiteral(props.maintenanceWindow)
      ? props.maintenanceWindow!.toLowerCase()
      : (props.maintenanceWindow ?? 'sun:05:00-sun:06:00');
    const parsedSnapshot = isLiteral(snapshotWindow)
      ? parseDailyWindow(this, 'snapshotWindow', snapshotWindow, MIN_WINDOW_MINUTES)
      : undefined;
    const parsedMaintenance = isLiteral(maintenanceWindow)
      ? parseWeeklyWindow(this, 'maintenanceWindow', maintenanceWindow, MIN_WINDOW_MINUTES)
      : undefined;
    if (parsedSnapshot && parsedMaintenance && snapshotRetentionDays !== 0) {
      checkWindowsDoNotOverlap(this, parsedSnapshot, 'snapshotWindow', parsedMaintenance, 'maintenanceWindow');
    }
    return { snapshotRetentionDays, snapshotWindow, maintenanceWindow };
  }

  /** The key of the replication group and its snapshots, unless one is given. */
  private createKey(resolved: ResolvedRedisProps): EncryptionKey {
    return new EncryptionKey(this, 'Key', {
      description: `Encrypts the ElastiCache Redis replication group ${resolved.replicationGroupId} and its snapshots`,
      preventDestroy: resolved.preventDestroy,
    });
  }

  /** The security group: no rules until allowConnectionsFrom. */
  private createSecurityGroup(vpc: IVpcStack, replicationGroupId: string): SecurityGroup {
    return new SecurityGroup(this, 'SecurityGroup', {
      name: `${replicationGroupId}-redis`,
      description: `ElastiCache Redis ${replicationGroupId}: Redis port only from allowed peers, no egress`,
      vpcId: vpc.vpcId,
      tags: { Name: `${replicationGroupId}-redis` },
    });
  }

  /** The replication group's own parameter group. */
  private createParameterGroup(resolved: ResolvedRedisProps): ElasticacheParameterGroup {
    const { replicationGroupId, family } = resolved;
    return new ElasticacheParameterGroup(this, 'ParameterGroup', {
      // The family is part of the name, so a major upgrade creates the new group before the
      // replication group moves to it and the old one is deleted.
      name: `${replicationGroupId}-${family}`,
      family,
      description: `Parameters of the ElastiCache Redis replication group ${replicationGroupId}`,
      parameter: Object.entries(resolved.parameters)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => ({ name, value })),
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: `${replicationGroupId}-${family}` },
    });
  }

  /** The slow log and engine log groups, and their key. */
  private createLogGroups(resolved: ResolvedRedisProps): { slowLog: EncryptedLogGroup; engineLog: EncryptedLogGroup } {
    const replicationGroupId = resolved.replicationGroupId;
    // /aws/vendedlogs/ names keep the CloudWatch Logs resource policy that log delivery
    // writes small: one wildcard statement covers every such group.
    // The slow and engine logs share one key.
    const logKey = new EncryptionKey(this, 'LogKey', {
      description: `Encrypts the slow and engine logs of Redis ${replicationGroupId}`,
      preventDestroy: resolved.preventDestroy,
    });
    const slowLog = new EncryptedLogGroup(this, 'SlowLogGroup', {
      logGroupName: `/aws/vendedlogs/elasticache/${replicationGroupId}/slow-log`,
      retentionDays: resolved.logRetentionDays,
      description: `Redis slow log of ${replicationGroupId}`,
      encryptionKey: logKey,
    });
    const engineLog = new EncryptedLogGroup(this, 'EngineLogGroup', {
      logGroupName: `/aws/vendedlogs/elasticache/${replicationGroupId}/engine-log`,
      retentionDays: resolved.logRetentionDays,
      description: `Redis engine log of ${replicationGroupId}`,
      encryptionKey: logKey,
    });
    return { slowLog, engineLog };
  }

  /** The IAM user group, or the Terraform variable of an AUTH token. */
  private createAuthentication(
    auth: RedisAuth,
    replicationGroupId: string,
    identifier: string,
  ): { userGroup?: ElasticacheUserGroup; authTokenVariable?: TerraformVariable } {
    let userGroup: ElasticacheUserGroup | undefined;
    let authTokenVariable: TerraformVariable | undefined;
    if (auth.mode === RedisAuthMode.IAM_USER_GROUP) {
      userGroup = this.createUserGroup(replicationGroupId, auth.iamUsers);
    } else {
      authTokenVariable = this.createAuthTokenVariable(replicationGroupId, `${identifier}_auth_token`);
    }
    return { userGroup, authTokenVariable };
  }

  /** The replication group. */
  private createReplicationGroup(
    stack: GroundworkStack,
    pathInStack: string[],
    props: RedisHAProps,
    resolved: ResolvedRedisProps,
    parts: {
      key: EncryptionKey;
      securityGroup: SecurityGroup;
      parameterGroup: ElasticacheParameterGroup;
      slowLog: EncryptedLogGroup;
      engineLog: EncryptedLogGroup;
      userGroup?: ElasticacheUserGroup;
      authTokenVariable?: TerraformVariable;
    },
  ): ElasticacheReplicationGroup {
    const { replicationGroupId, clusterMode, nodesPerShard, zones, snapshotRetentionDays, auth } = resolved;
    const { slowLog, engineLog, userGroup } = parts;
    const preferredZones =
      !clusterMode && isLiteral(zones) && zones.length > 0
        ? Array.from({ length: nodesPerShard }, (_, i) => zones[i % zones.length])
        : undefined;

    return new ElasticacheReplicationGroup(this, 'Resource', {
      replicationGroupId,
      description: `Redis for ${stack.namePrefix} (${pathInStack.join('/')})`,
      engine: this.engine,
      engineVersion: resolved.engineVersion,
      nodeType: resolved.nodeType,
      port: resolved.port,
      parameterGroupName: parts.parameterGroup.name,
      subnetGroupName: resolved.subnetGroupName,
      securityGroupIds: [parts.securityGroup.id],
      clusterMode: clusterMode ? 'enabled' : 'disabled',
      numCacheClusters: clusterMode ? undefined : nodesPerShard,
      numNodeGroups: clusterMode ? resolved.shards : undefined,
      replicasPerNodeGroup: clusterMode ? nodesPerShard - 1 : undefined,
      preferredCacheClusterAzs: preferredZones,
      automaticFailoverEnabled: resolved.automaticFailover,
      multiAzEnabled: resolved.multiAz,
      atRestEncryptionEnabled: 'true',
      kmsKeyId: parts.key.keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      userGroupIds: userGroup ? [userGroup.userGroupId] : undefined,
      authToken: parts.authTokenVariable?.stringValue,
      authTokenUpdateStrategy: auth.tokenUpdateStrategy,
      snapshotRetentionLimit: snapshotRetentionDays,
      snapshotWindow: snapshotRetentionDays === 0 ? undefined : resolved.snapshotWindow,
      maintenanceWindow: resolved.maintenanceWindow,
      finalSnapshotIdentifier: resolved.finalSnapshot ? `${replicationGroupId}-final` : undefined,
      autoMinorVersionUpgrade: String(props.autoMinorVersionUpgrade ?? true),
      applyImmediately: props.applyImmediately ?? false,
      notificationTopicArn: props.notificationTopicArn,
      logDeliveryConfiguration: [
        { logType: 'slow-log', destinationType: 'cloudwatch-logs', destination: slowLog.logGroupName, logFormat: 'json' },
        { logType: 'engine-log', destinationType: 'cloudwatch-logs', destination: engineLog.logGroupName, logFormat: 'json' },
      ],
      lifecycle: { preventDestroy: resolved.preventDestroy },
      tags: { Name: replicationGroupId },
      // Log delivery is checked at creation: the log groups (and their key policies) must exist.
      dependsOn: [slowLog.resource, engineLog.resource],
    });
  }

  /** The outputs the deploy pipeline reads, as `<path>_<name>`. */
  private createOutputs(identifier: string, resolved: ResolvedRedisProps, userGroup: ElasticacheUserGroup | undefined): void {
    const { replicationGroupId, clusterMode } = resolved;
    const output = (outputId: string, name: string, value: unknown, description: string) =>
      new TerraformOutput(this, outputId, { value, description }).overrideLogicalId(`${identifier}_${name}`);
    output(
      'PrimaryEndpointOutput',
      'primary_endpoint',
      this.primaryEndpoint,
      clusterMode
        ? `Configuration endpoint of the Redis cluster ${replicationGroupId} (TLS)`
        : `Primary (read/write) endpoint of Redis ${replicationGroupId} (TLS)`,
    );
    output(
      'ReaderEndpointOutput',
      'reader_endpoint',
      this.readerEndpoint,
      clusterMode
        ? `Configuration endpoint of the Redis cluster ${replicationGroupId} (TLS)`
        : `Reader endpoint of Redis ${replicationGroupId}, spread over the replicas (TLS)`,
    );
    output('PortOutput', 'port', resolved.port, `Port of Redis ${replicationGroupId}`);
    output('SecurityGroupIdOutput', 'security_group_id', this.securityGroupId, `Security group of Redis ${replicationGroupId}`);
    if (userGroup) {
      output(
        'UserGroupIdOutput',
        'user_group_id',
        userGroup.userGroupId,
        `RBAC user group of Redis ${replicationGroupId} (IAM authentication)`,
      );
    } else {
      output(
        'AuthSecretArnOutput',
        'auth_secret_arn',
        resolved.auth.secretArn,
        `Secrets Manager secret holding the AUTH token of Redis ${replicationGroupId}`,
      );
    }
  }

  private subnetGroupOf(vpc: IVpcStack): string {
    try {
      return vpc.cacheSubnetGroupName;
    } catch (e) {
      return invalidCombination(this, `vpc must have an ElastiCache subnet group (isolated subnets): ${(e as Error).message}`);
    }
  }

  private validateAuth(auth: RedisAuth): void {
    if (!(auth instanceof RedisAuth) || !Object.values(RedisAuthMode).includes(auth.mode)) {
      invalidProp(this, 'auth', 'be made with RedisAuth.iamUserGroup(...) or RedisAuth.authTokenFromSecret(...)', auth);
    }
    if (auth.mode === RedisAuthMode.AUTH_TOKEN) {
      if (isLiteral(auth.secretArn) && !isSecretArn(auth.secretArn!)) {
        invalidProp(this, 'auth.secretArn', 'be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)', auth.secretArn);
      }
      if (!Object.values(RedisAuthTokenUpdateStrategy).includes(auth.tokenUpdateStrategy!)) {
        invalidProp(
          this,
          'auth.updateStrategy',
          `be one of ${Object.values(RedisAuthTokenUpdateStrategy).join(', ')}`,
          auth.tokenUpdateStrategy,
        );
      }
      return;
    }
    if (auth.iamUsers.length === 0) {
      invalidProp(this, 'auth.iamUsers', 'list at least one IAM user (the default user is always disabled)', auth.iamUsers);
    }
    const seen = new Set<string>();
    auth.iamUsers.forEach((user, index) => {
      if (!isValidUserIdPart(user.name) || user.name === 'default') {
        invalidProp(
          this,
          `auth.iamUsers[${index}].name`,
          'be lowercase letters, digits or hyphens, start with a letter, contain no "--" or trailing "-", and not be "default"',
          user.name,
        );
      }
      if (seen.has(user.name)) {
        invalidProp(this, 'auth.iamUsers', 'not repeat a name', auth.iamUsers.map((u) => u.name));
      }
      seen.add(user.name);
      const access = user.accessString;
      if (access !== undefined && isLiteral(access)) {
        const rules = access.trim().split(/\s+/);
        const passwordRule = rules.find((r) => /^[<>#!]/.test(r) || ['nopass', 'resetpass'].includes(r.toLowerCase()));
        if (access.trim() === '' || passwordRule !== undefined) {
          invalidProp(
            this,
            `auth.iamUsers[${index}].accessString`,
            'be Redis ACL rules without password rules (> < # ! nopass resetpass; IAM users have no password), e.g. "on ~* &* +@all"',
            access,
          );
        }
      }
    });
  }

  private parametersOf(
    extra: { [name: string]: string },
    maxMemoryPolicy: RedisMaxMemoryPolicy,
    clusterMode: boolean,
  ): { [name: string]: string } {
    for (const [name, value] of Object.entries(extra)) {
      if (!isValidParameterName(name)) {
        invalidProp(this, 'parameters', 'have ElastiCache parameter names such as "notify-keyspace-events"', name);
      }
      if (name === 'maxmemory-policy') {
        invalidProp(this, 'parameters', 'not set "maxmemory-policy"; use the maxMemoryPolicy prop', name);
      }
      if (name === 'cluster-enabled') {
        invalidProp(this, 'parameters', 'not set "cluster-enabled"; it follows the clusterMode prop', name);
      }
      if (typeof value !== 'string' || value === '') {
        invalidProp(this, `parameters.${name}`, 'be a non-empty string', value);
      }
    }
    return {
      // Memory kept back for snapshots, replication buffers and failover; 25% is what AWS
      // recommends. Set explicitly so a changed service default never shrinks it.
      'reserved-memory-percent': '25',
      ...extra,
      'maxmemory-policy': maxMemoryPolicy,
      // Must match the replication group's cluster mode, or ElastiCache rejects the group.
      'cluster-enabled': clusterMode ? 'yes' : 'no',
    };
  }

  private warnAboutRiskyChoices(
    presetMultiAz: boolean,
    isProduction: boolean,
    choices: {
      automaticFailover: boolean;
      multiAz: boolean;
      snapshotRetentionDays: number;
      finalSnapshot: boolean;
      nodeType: string;
      auth: RedisAuth;
    },
  ): void {
    if (presetMultiAz && !choices.automaticFailover) {
      reportFinding(this, REDIS_NO_FAILOVER, 'automatic failover is off: losing the primary node stops writes until it is replaced by hand.');
    } else if (presetMultiAz && !choices.multiAz) {
      reportFinding(this, REDIS_SINGLE_AZ, 'Multi-AZ is off: replicas may share the primary\'s zone, so a zone outage can take the whole group down.');
    }
    if (choices.snapshotRetentionDays === 0) {
      reportFinding(this, REDIS_NO_SNAPSHOTS, 'snapshotRetentionDays is 0: there are no automatic snapshots to restore from.');
    }
    if (!choices.finalSnapshot) {
      reportFinding(this, REDIS_NO_FINAL_SNAPSHOT, 'finalSnapshot is off: deleting the replication group loses its data.');
    }
    if (isProduction && isLiteral(choices.nodeType) && isBurstableNodeType(choices.nodeType)) {
      reportFinding(
        this,
        REDIS_BURSTABLE_NODE,
        `nodeType ${choices.nodeType} is burstable: when its CPU credits run out, ` +
          'latency rises for every client. Prefer a cache.r* or cache.m* node in production.',
      );
    }
    if (choices.auth.mode === RedisAuthMode.AUTH_TOKEN) {
      reportFinding(
        this,
        REDIS_TOKEN_IN_STATE,
        'the AUTH token is stored in the Terraform state: keep the state backend encrypted ' +
          'and access-controlled, or use RedisAuth.iamUserGroup() (no password at all).',
      );
    }
  }

  /**
   * The users and the user group stay Redis OSS ones on Valkey too: a Valkey user group admits
   * only password and IAM users, not the disabled passwordless `default` user every group needs,
   * while Valkey replication groups accept Redis OSS user groups. So moving to Valkey changes
   * only the replication group (and its parameter group).
   */
  private createUserGroup(replicationGroupId: string, users: RedisIamUser[]): ElasticacheUserGroup {
    // Every user group must hold a user named "default"; this one is switched off, so a
    // connection that does not authenticate as an IAM user can do nothing.
    const defaultUser = new ElasticacheUser(this, 'DefaultUser', {
      userId: `${replicationGroupId}-default`,
      userName: 'default',
      engine: RBAC_USER_ENGINE,
      accessString: DISABLED_DEFAULT_USER_ACCESS_STRING,
      noPasswordRequired: true,
      tags: { Name: `${replicationGroupId}-default` },
    });
    for (const user of users) {
      // IAM authentication requires the user name to equal the user ID.
      const userId = `${replicationGroupId}-${user.name}`;
      this.iamUsers.set(
        user.name,
        new ElasticacheUser(this, `User-${user.name}`, {
          userId,
          userName: userId,
          engine: RBAC_USER_ENGINE,
          accessString: user.accessString ?? DEFAULT_IAM_ACCESS_STRING,
          authenticationMode: { type: 'iam' },
          tags: { Name: userId },
        }),
      );
    }
    return new ElasticacheUserGroup(this, 'UserGroup', {
      userGroupId: `${replicationGroupId}-users`,
      engine: RBAC_USER_ENGINE,
      userIds: [defaultUser.userId, ...[...this.iamUsers.values()].map((u) => u.userId)],
      tags: { Name: `${replicationGroupId}-users` },
    });
  }

  private createAuthTokenVariable(replicationGroupId: string, name: string): TerraformVariable {
    const variable = new TerraformVariable(this, 'AuthToken', {
      type: 'string',
      sensitive: true,
      nullable: false,
      description:
        `AUTH token of the ElastiCache Redis replication group ${replicationGroupId}. The deploy pipeline sets it ` +
        `from the Secrets Manager secret (output ${name.replace(/_auth_token$/, '')}_auth_secret_arn), e.g. ` +
        `TF_VAR_${name}=$(aws secretsmanager get-secret-value --secret-id <arn> --query SecretString --output text)`,
    });
    variable.overrideLogicalId(name);
    variable.addValidation({
      condition: Fn.can(Fn.regex(AUTH_TOKEN_PATTERN, variable.stringValue)),
      errorMessage:
        'The AUTH token must be 16-128 characters: letters, digits and ! & # $ ^ < > - only (ElastiCache rules).',
    });
    return variable;
  }
}
