import { IConstruct } from 'constructs';

/**
 * Something that reaches other resources from a security group: an EKS cluster's nodes, an
 * application's pods, a bastion. Data stores accept it in `allowConnectionsFrom(...)`, which
 * adds one described ingress rule from this security group on the data store's port.
 */
export interface IConnectable {
  /** The security group that traffic from this peer comes from. */
  readonly connectionsSecurityGroupId: string;
  /** What the peer is, used in the ingress rule description (e.g. "EKS nodes of shop-production"). */
  readonly connectionsDescription: string;
}

/**
 * An existing security group, as a peer for `allowConnectionsFrom(...)`.
 *
 * @example
 * db.allowConnectionsFrom(SecurityGroupPeer.fromSecurityGroupId('sg-0123456789abcdef0', 'bastion host'));
 */
export class SecurityGroupPeer implements IConnectable {
  /**
   * A peer for a security group that exists outside this construct tree, or any security
   * group ID (including a token from another resource).
   *
   * @param securityGroupId the security group ID
   * @param description what the peer is, used in the ingress rule description
   * @default description - "security group <id>"
   */
  public static fromSecurityGroupId(securityGroupId: string, description?: string): SecurityGroupPeer {
    return new SecurityGroupPeer(securityGroupId, description ?? `security group ${securityGroupId}`);
  }

  /** The security group ID. */
  public readonly connectionsSecurityGroupId: string;
  /** What the peer is, for rule descriptions. */
  public readonly connectionsDescription: string;

  private constructor(securityGroupId: string, description: string) {
    this.connectionsSecurityGroupId = securityGroupId;
    this.connectionsDescription = description;
  }
}

/**
 * What asks a data store for a connection: a service of an {@link AppCluster}. The data store
 * admits `peer` on its port and returns what the service needs to sign in.
 */
export interface DataStoreConnectRequest {
  /** Where the connections come from: the service's pod security group, or the cluster's nodes. */
  readonly peer: IConnectable;

  /** The service, by name, for descriptions and error messages. */
  readonly serviceName: string;

  /**
   * The VPC the service runs in; a data store in another VPC refuses the connection (security
   * group rules cannot reference groups across VPCs without peering, and pods would have no route).
   */
  readonly vpcId: string;

  /**
   * The user the service signs in as (a PostgreSQL role; an ElastiCache IAM user's short name).
   *
   * @default - the data store's default for services (see the data store's `connectService`)
   */
  readonly user?: string;

  /**
   * A second user the service's schema migrations sign in as (a PostgreSQL role; databases
   * only): it owns the schema objects, `user` reads and writes their rows.
   *
   * @default - none: the migrations, if any, sign in as `user`
   */
  readonly migrationUser?: string;

  /**
   * Connect through the data store's proxy (a database with an RDS Proxy) instead of to the
   * instances themselves.
   *
   * @default false
   */
  readonly throughProxy?: boolean;
}

/**
 * What a data store hands a service it admitted: the IAM policy of its sign-in, the connection
 * values for the Kubernetes side (non-secret: host, port, user; never a password) and what the
 * workload's NetworkPolicy must let out.
 */
export interface DataStoreConnection {
  /** What the data store is, for descriptions, e.g. `PostgreSQL shop-production-database`. */
  readonly description: string;

  /**
   * Connection values by key suffix (`HOST`, `PORT`, `USER`, `IAM_AUTH`, ...); the service
   * prefixes them (`DATABASE_HOST`). Tokens are fine: they reach Kubernetes through Terraform.
   */
  readonly values: { [key: string]: string };

  /** An IAM policy document (JSON) that lets the service's role sign in. */
  readonly policyJson: string;

  /** The port the service connects to. */
  readonly port: number;

  /** CIDR blocks of the subnets the data store lives in (literals), for the workload's egress NetworkPolicy. */
  readonly subnetCidrs: string[];

  /** The data store's security group, for an egress rule from a pod security group. */
  readonly securityGroupId: string;

  /**
   * Connections the data store accepts in all (PostgreSQL `max_connections`), when known at
   * synth; the workload chart checks the replicas' connection pools against it.
   *
   * @default - unknown, or not limited in a way the chart checks
   */
  readonly maxConnections?: number;
}

/**
 * A data store a service can be granted with `service.connectTo(store)`: PostgresWithBackups
 * and RedisHA implement it. One call gives the service's role the IAM sign-in, admits it in the
 * data store's security group, and hands its Kubernetes side the connection values.
 */
export interface IServiceDataStore extends IConstruct {
  /** The prefix of its connection keys in a service's Secret unless the service chooses another, e.g. `DATABASE`. */
  readonly connectionKeyPrefix: string;

  /**
   * Admits a service and returns what it needs to connect. Called by `AppService.connectTo`;
   * call that instead.
   *
   * @param request who connects, from where, as which user
   */
  connectService(request: DataStoreConnectRequest): DataStoreConnection;
}
