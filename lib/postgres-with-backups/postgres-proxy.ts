import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbProxy } from '@cdktf/provider-aws/lib/db-proxy';
import { DbProxyDefaultTargetGroup } from '@cdktf/provider-aws/lib/db-proxy-default-target-group';
import { DbProxyTarget } from '@cdktf/provider-aws/lib/db-proxy-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, ITerraformDependable, Lazy, TerraformLocal, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { IConnectable } from '../core/connections';
import type { EncryptionKey } from '../core/encryption-key';
import { GroundworkStack } from '../core/groundwork-stack';
import { EncryptedLogGroup } from '../core/log-group';
import { Naming } from '../core/naming';
import { checkIntegerInRange, invalidProp } from '../core/private/errors';
import { PeerIngressRules } from '../core/private/peer-ingress';
import { policyDocument, serviceTrustPolicy, viaSecretsManager } from '../core/private/policy';

/**
 * Options of the RDS Proxy in front of a PostgresWithBackups primary (its `proxy` prop): services connect to
 * the proxy, which pools their connections onto a bounded number of database connections, so an
 * autoscaled fleet of pods no longer runs into `max_connections`, and fails over with the
 * Multi-AZ standby without dropping client connections.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.html
 */
export interface PostgresProxyOptions {
  /**
   * Seconds a client connection may sit idle before the proxy closes it (1-28800).
   *
   * @default 1800
   */
  readonly idleClientTimeoutSeconds?: number;

  /**
   * The share of the database's `max_connections` the proxy may open (1-100). Below 100, the
   * rest stays for what connects directly: the database jobs, the migrations and the metrics
   * exporter.
   *
   * @default 80
   */
  readonly maxConnectionsPercent?: number;

  /**
   * The share of `max_connections` the proxy keeps open while idle (0 to
   * `maxConnectionsPercent`).
   *
   * @default - 50, or `maxConnectionsPercent` when that is lower
   */
  readonly maxIdleConnectionsPercent?: number;

  /**
   * Seconds a client waits for a database connection from the pool before the proxy gives up
   * (1-3600).
   *
   * @default 120
   */
  readonly connectionBorrowTimeoutSeconds?: number;

  /**
   * Log the SQL statements that pass through the proxy, for debugging only: they may hold data
   * the logs should not.
   *
   * @default false
   */
  readonly debugLogging?: boolean;
}

/** What PostgresWithBackups hands the proxy it creates: checked options, network and the instance to front. */
export interface PostgresProxyProps {
  /** The primary's DB instance identifier: the proxy's name. */
  readonly identifier: string;
  /** The primary, the proxy's target (its replacement replaces the target registration). */
  readonly instance: DbInstance;
  /** The VPC the database lives in. */
  readonly vpcId: string;
  /** The subnets of the database (at least two zones). */
  readonly subnetIds: string[];
  /** PostgreSQL's port. */
  readonly port: number;
  /** The database's security group, which admits the proxy. */
  readonly databaseSecurityGroupId: string;
  /** The database's key: it encrypts the users' secrets the proxy signs in with. */
  readonly key: EncryptionKey;
  /** The key of the database's log groups, which the proxy's log group shares. */
  readonly logKey: EncryptionKey;
  /** Days the proxy's log group keeps its events. */
  readonly logRetentionDays: number;
  /** Seconds before an idle client connection closes. */
  readonly idleClientTimeoutSeconds: number;
  /** The share of `max_connections` the proxy may open. */
  readonly maxConnectionsPercent: number;
  /** The share of `max_connections` kept open while idle. */
  readonly maxIdleConnectionsPercent: number;
  /** Seconds a client waits for a pooled connection. */
  readonly connectionBorrowTimeoutSeconds: number;
  /** Log the SQL that passes through. */
  readonly debugLogging: boolean;
}

/**
 * The proxy options with their defaults, checked; errors name `scope` (the database) and the
 * option as the consumer wrote it (`proxy.maxConnectionsPercent`).
 */
export function resolveProxyOptions(
  scope: IConstruct,
  identifier: string,
  options: PostgresProxyOptions,
): Pick<PostgresProxyProps, 'idleClientTimeoutSeconds' | 'maxConnectionsPercent' | 'maxIdleConnectionsPercent' | 'connectionBorrowTimeoutSeconds' | 'debugLogging'> {
  const idleClientTimeoutSeconds = options.idleClientTimeoutSeconds ?? 1800;
  checkIntegerInRange(scope, 'proxy.idleClientTimeoutSeconds', idleClientTimeoutSeconds, 1, 28800);
  const maxConnectionsPercent = options.maxConnectionsPercent ?? 80;
  checkIntegerInRange(scope, 'proxy.maxConnectionsPercent', maxConnectionsPercent, 1, 100);
  const maxIdleConnectionsPercent = options.maxIdleConnectionsPercent ?? Math.min(50, maxConnectionsPercent);
  checkIntegerInRange(scope, 'proxy.maxIdleConnectionsPercent', maxIdleConnectionsPercent, 0, maxConnectionsPercent);
  const connectionBorrowTimeoutSeconds = options.connectionBorrowTimeoutSeconds ?? 120;
  checkIntegerInRange(scope, 'proxy.connectionBorrowTimeoutSeconds', connectionBorrowTimeoutSeconds, 1, 3600);
  // RDS Proxy names: a letter first, letters, digits and single hyphens, at most 60.
  if (!Token.isUnresolved(identifier) && (identifier.length > 60 || !/^[a-zA-Z](-?[a-zA-Z0-9])*$/.test(identifier))) {
    invalidProp(scope, 'identifier', 'be a valid RDS Proxy name with proxy set (at most 60 letters, digits or single hyphens, starting with a letter)', identifier);
  }
  return { idleClientTimeoutSeconds, maxConnectionsPercent, maxIdleConnectionsPercent, connectionBorrowTimeoutSeconds, debugLogging: options.debugLogging ?? false };
}

/**
 * The RDS Proxy of a PostgresWithBackups (`database.proxy`). Clients sign in with IAM only
 * (`iam_auth = REQUIRED`) over TLS (`require_tls`); the proxy signs in to PostgreSQL as each
 * user with a password it reads from Secrets Manager: hashicorp/aws 5.x has no end-to-end IAM
 * authentication for proxies (`default_auth_scheme` is 6.x). The password never reaches
 * Terraform: Terraform creates each user's secret empty, and the database jobs' users Job
 * generates the password, stores it and sets it in PostgreSQL. A user behind the proxy is a
 * password role without `rds_iam` (PostgreSQL on RDS refuses password sign-in to `rds_iam`
 * members), so it reaches the database through the proxy only: not the read replicas.
 *
 * Child IDs (frozen): `SecurityGroup`, `EgressToDatabase`, `Role`, `RolePolicy`, `LogGroup`,
 * `Resource`, `TargetGroup`, `Target`, `ResourceId` (a local), `UserSecret-<user>`, `IngressFrom-<peer>`.
 */
export class PostgresProxy extends Construct implements IConnectable {
  /** The proxy's name (the database's identifier). */
  public readonly proxyName: string;
  /** The proxy's ARN. */
  public readonly proxyArn: string;
  /** The resource ID (`prx-...`) that IAM sign-in policies name (`rds-db:connect`). */
  public readonly resourceId: string;
  /** The read/write endpoint services connect to. */
  public readonly endpoint: string;
  /** The proxy's security group. */
  public readonly securityGroupId: string;
  /** The share of `max_connections` the proxy may open. */
  public readonly maxConnectionsPercent: number;
  /** The Secrets Manager name prefix of the users' secrets: `<identifier>/proxy-users/`. */
  public readonly userSecretPrefix: string;
  /** The security group of traffic from the proxy (to the database). */
  public readonly connectionsSecurityGroupId: string;
  /** What the proxy is, for rule descriptions. */
  public readonly connectionsDescription: string;

  private readonly ingress: PeerIngressRules;
  private readonly passwordKeepers: Array<() => string[]> = [];
  private readonly secrets = new Map<string, { secret: SecretsmanagerSecret; who: string }>();
  private readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: PostgresProxyProps) {
    super(scope, id);
    const name = props.identifier;
    this.key = props.key;
    this.userSecretPrefix = `${name}/proxy-users/`;

    const securityGroup = this.createNetwork(props);
    const { role, rolePolicy } = this.createRole(props);
    // RDS Proxy writes to this group; created first, it is encrypted and expires its events.
    const logGroup = new EncryptedLogGroup(this, 'LogGroup', {
      logGroupName: `/aws/rds/proxy/${name}`,
      retentionDays: props.logRetentionDays,
      description: `RDS Proxy ${name}`,
      encryptionKey: props.logKey,
    });
    const proxy = this.createProxy(props, securityGroup, role, [logGroup.resource, rolePolicy]);
    this.node.addValidation({ validate: () => this.checkUsers(scope) });

    this.proxyName = name;
    this.proxyArn = proxy.arn;
    // arn:<partition>:rds:<region>:<account>:db-proxy:prx-0123456789abcdef0. A local, so the
    // policies that name it hold a plain reference, not an expression with quotes inside JSON.
    this.resourceId = new TerraformLocal(this, 'ResourceId', Fn.element(Fn.split(':', proxy.arn), 6)).asString;
    this.endpoint = proxy.endpoint;
    this.securityGroupId = securityGroup.id;
    this.maxConnectionsPercent = props.maxConnectionsPercent;
    this.connectionsSecurityGroupId = securityGroup.id;
    this.connectionsDescription = `RDS Proxy ${name}`;
    this.ingress = new PeerIngressRules(this, securityGroup.id, props.port, 'PostgreSQL through RDS Proxy');
  }

  /** The proxy's security group: services in (rules added per service), out to the database only. */
  private createNetwork(props: PostgresProxyProps): SecurityGroup {
    const name = props.identifier;
    const securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: `${name}-proxy`,
      description: `RDS Proxy ${name} - PostgreSQL from admitted services, out only to the database`,
      vpcId: props.vpcId,
      tags: { Name: `${name}-proxy` },
    });
    new VpcSecurityGroupEgressRule(this, 'EgressToDatabase', {
      securityGroupId: securityGroup.id,
      description: `PostgreSQL to the database ${name}`,
      ipProtocol: 'tcp',
      fromPort: props.port,
      toPort: props.port,
      referencedSecurityGroupId: props.databaseSecurityGroupId,
    });
    return securityGroup;
  }

  /** The role the proxy reads the users' secrets with: those secrets only, decrypted through Secrets Manager. */
  private createRole(props: PostgresProxyProps): { role: IamRole; rolePolicy: IamRolePolicy } {
    const stack = GroundworkStack.ofConstruct(this);
    const name = props.identifier;
    const secretsPattern = `arn:${stack.partition}:secretsmanager:${stack.region}:${stack.accountId}:secret:${this.userSecretPrefix}*`;
    const role = new IamRole(this, 'Role', {
      name: Naming.resourceName([name, 'proxy'], 64),
      description: `Lets RDS Proxy ${name} read the passwords of the users it signs in as`,
      // The trust AWS documents for RDS Proxy roles; whether RDS Proxy sends aws:SourceAccount
      // is not documented, and a condition it does not meet would only fail at runtime.
      assumeRolePolicy: serviceTrustPolicy('rds.amazonaws.com'),
    });
    const rolePolicy = new IamRolePolicy(this, 'RolePolicy', {
      role: role.id,
      name: 'read-user-secrets',
      policy: policyDocument([
        { Sid: 'ReadUserSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secretsPattern },
        {
          Sid: 'DecryptUserSecretsThroughSecretsManager',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: props.key.keyArn,
          Condition: viaSecretsManager(stack.region),
        },
      ]),
    });
    return { role, rolePolicy };
  }

  /** The proxy, its connection pool and its target, the primary. */
  private createProxy(props: PostgresProxyProps, securityGroup: SecurityGroup, role: IamRole, dependsOn: ITerraformDependable[]): DbProxy {
    const proxy = new DbProxy(this, 'Resource', {
      name: props.identifier,
      engineFamily: 'POSTGRESQL',
      requireTls: true,
      debugLogging: props.debugLogging,
      idleClientTimeout: props.idleClientTimeoutSeconds,
      roleArn: role.arn,
      vpcSubnetIds: props.subnetIds,
      vpcSecurityGroupIds: [securityGroup.id],
      // One entry per user, in user order: services sign in with IAM, the proxy with the secret.
      auth: Lazy.anyValue({
        produce: () =>
          [...this.secrets.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([user, { secret, who }]) => ({
              auth_scheme: 'SECRETS',
              iam_auth: 'REQUIRED',
              secret_arn: secret.arn,
              description: `${user}: ${who}`,
            })),
      }),
      // The log group first, and the role may read the secrets before the proxy first signs in.
      dependsOn,
      tags: { Name: props.identifier },
    });
    new DbProxyDefaultTargetGroup(this, 'TargetGroup', {
      dbProxyName: proxy.name,
      connectionPoolConfig: {
        maxConnectionsPercent: props.maxConnectionsPercent,
        maxIdleConnectionsPercent: props.maxIdleConnectionsPercent,
        connectionBorrowTimeout: props.connectionBorrowTimeoutSeconds,
      },
    });
    new DbProxyTarget(this, 'Target', {
      dbProxyName: proxy.name,
      targetGroupName: 'default',
      // A reference, so the target waits for the instance (registering a target retries only
      // minutes, and a Multi-AZ instance takes longer to create); a replaced instance
      // (same identifier) is registered again.
      dbInstanceIdentifier: props.instance.identifier,
      lifecycle: { replaceTriggeredBy: [`${DbInstance.tfResourceType}.${props.instance.friendlyUniqueId}.resource_id`] },
    });
    return proxy;
  }

  /**
   * At synth: a proxy without a user cannot be created (AWS requires an auth entry), and a user's
   * secret stays empty, so the proxy cannot sign in as it, until a users Job fills it.
   */
  private checkUsers(database: IConstruct): string[] {
    const label = `PostgresWithBackups ${database.node.path}`;
    if (this.secrets.size === 0) {
      return [`${label}: proxy must have a user: connect a service with connectTo(database, { user, throughProxy: true }), or leave proxy out, got no user`];
    }
    const kept = new Set(this.passwordKeepers.flatMap((keeper) => keeper()));
    const unkept = this.users.filter((user) => !kept.has(user));
    return unkept.length === 0
      ? []
      : [
        `${label}: proxy must have its users' passwords set by the database jobs of the clusters they run on: ` +
            `add cluster.addDatabaseJobs(id, { database }) there (their secrets stay empty otherwise, and the proxy cannot sign in), got ${JSON.stringify(unkept)}`,
      ];
  }

  /** The users the proxy signs in as, sorted. */
  public get users(): string[] {
    return [...this.secrets.keys()].sort();
  }

  /**
   * Allows connections to the proxy from a peer: one ingress rule on PostgreSQL's port from the
   * peer's security group, named like PostgresWithBackups' rules. Calling it again for the same
   * peer does nothing.
   *
   * @param peer what connects
   * @param ruleId a stable ID for the rule; by default derived from the peer
   */
  public allowConnectionsFrom(peer: IConnectable, ruleId?: string): void {
    this.ingress.allow(peer, ruleId);
  }

  /**
   * Admits a service's peer; returns the new rule, or undefined when the peer is admitted already.
   *
   * @internal
   */
  public _admit(peer: IConnectable): VpcSecurityGroupIngressRule | undefined {
    return this.ingress.allow(peer);
  }

  /**
   * Records database jobs whose users Job keeps the passwords of the users `users()` returns.
   *
   * @internal
   */
  public _passwordsKeptBy(users: () => string[]): void {
    this.passwordKeepers.push(users);
  }

  /**
   * Registers a user the proxy signs in as, creating its (empty) secret once; returns the
   * secret's ARN. `who` names the service, for the auth entry's description.
   *
   * @internal
   */
  public _addUser(user: string, who: string): string {
    const existing = this.secrets.get(user);
    if (existing !== undefined) return existing.secret.arn;
    const secretName = `${this.userSecretPrefix}${user}`;
    const secret = new SecretsmanagerSecret(this, `UserSecret-${user}`, {
      name: secretName,
      description:
        `Sign-in of ${user} for RDS Proxy ${this.proxyName} ({"username","password"}): set by the database jobs' users Job, ` +
        'never by Terraform',
      kmsKeyId: this.key.keyArn,
      // Deleted at once: the users Job generates a new password, and a secret in its recovery
      // window would block adding the user again.
      recoveryWindowInDays: 0,
      tags: { Name: secretName },
    });
    this.secrets.set(user, { secret, who });
    return secret.arn;
  }
}
