import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { DataStoreConnection, IConnectable, IServiceDataStore } from '../core/connections';
import { GroundworkStack } from '../core/groundwork-stack';
import { ResourceMoves } from '../core/moves';
import { Naming } from '../core/naming';
import { addressAt } from '../core/private/addresses';
import { checkIntegerInRange, checkPort, constructLabel, invalidCombination, invalidProp } from '../core/private/errors';
import { checkConfigKey, checkHttpPath } from '../core/private/kubernetes-checks';
import { checkDns1035Label, checkDns1123Label, checkDns1123Subdomain } from '../core/private/kubernetes-names';
import { ObservedList } from '../core/private/observed-list';
import { pathInStack } from '../core/private/paths';
import { policyDocument, PolicyStatement } from '../core/private/policy';
import type { AppCluster } from './app-cluster';
import { AppLoadBalancer } from './load-balancer';
import { idFromArn } from './private/eks-iam';
import { checkPolicyArns } from './private/eks-validation';
import { ResolvedRouteConditions, resolveRouteConditions } from './private/route-validation';
import { DEFAULT_SERVICE_PORT, defaultConnectionSecretName, defaultInfrastructureConfigMapName } from './private/workload-contract';
import { AppServiceProps } from './service-props';

// The props live in a file of their own; this module still exports them.
export { AppServiceProps } from './service-props';

/**
 * How a service's pods get AWS credentials for their IAM role.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/service-accounts.html#service-accounts-iam-compare
 */
export enum WorkloadIdentity {
  /**
   * EKS Pod Identity: an `aws_eks_pod_identity_association` binds the role to the service
   * account, the `eks-pod-identity-agent` add-on hands the pods their credentials, and the
   * service account carries no annotation. The role trusts `pods.eks.amazonaws.com` only for
   * this cluster, namespace and service account (session tag conditions).
   */
  POD_IDENTITY = 'POD_IDENTITY',
  /**
   * IAM roles for service accounts: the role trusts the cluster's OIDC provider for exactly this
   * service account, which carries the `eks.amazonaws.com/role-arn` annotation.
   */
  IRSA = 'IRSA',
}

/** How a {@link ServiceRoute} reaches the service. */
export enum ServiceRouteType {
  /** No load balancer: the service is reached only from inside the cluster. */
  NONE = 'NONE',
  /** The default action of the cluster's shared load balancer: every request no rule takes. */
  DEFAULT = 'DEFAULT',
  /** A host- and/or path-based listener rule on the cluster's shared load balancer. */
  SHARED_RULE = 'SHARED_RULE',
  /** A load balancer of the service's own. */
  OWN_LOAD_BALANCER = 'OWN_LOAD_BALANCER',
}

/** A listener rule on the cluster's shared load balancer, for {@link ServiceRoute.sharedLoadBalancer}. */
export interface SharedRouteOptions {
  /**
   * Host header patterns (at most 3), e.g. `["api.example.com"]`; `*` and `?` are wildcards and
   * matching is case-insensitive.
   *
   * @default - any host
   */
  readonly hosts?: string[];

  /**
   * Path patterns (at most 3), e.g. `["/api/orders", "/api/orders/*"]`; case-sensitive, `*` and
   * `?` are wildcards. Hosts and paths together take at most 5 patterns and 5 wildcards.
   *
   * @default - any path
   */
  readonly paths?: string[];

  /**
   * The rule's priority on the listener, 11-50000 (1-10 are the blocked paths' 404 rules). Lower
   * is evaluated first: give a more specific rule a lower number than a broader rule it overlaps.
   * Required, as in AWS CDK: a priority that followed the order of declaration would shift
   * whenever a service is added, and moving rules in place can collide.
   */
  readonly priority: number;
}

/** A load balancer of the service's own, for {@link ServiceRoute.ownLoadBalancer}. */
export interface OwnLoadBalancerOptions {
  /**
   * Put it on the internet, in the public subnets. Otherwise it is internal: in the private
   * subnets, reachable from the VPC (and what is routed to it) only.
   *
   * @default false
   */
  readonly internetFacing?: boolean;

  /**
   * ACM certificate of its HTTPS listener.
   *
   * @default - the cluster's certificateArn
   */
  readonly certificateArn?: string;

  /**
   * IPv4 CIDR blocks that may reach it on 80 and 443.
   *
   * @default - the VPC's CIDR block when internal, ["0.0.0.0/0"] when internet-facing
   */
  readonly ingressCidrs?: string[];

  /**
   * Its name (1-32 letters, digits and hyphens).
   *
   * @default - `<cluster>-<service>`, shortened with a hash to 32 characters
   */
  readonly loadBalancerName?: string;

  /**
   * Path patterns it answers with 404 (see AppLoadBalancer).
   *
   * @default ["/metrics", "/metrics/*"]
   */
  readonly blockedPaths?: string[];
}

/**
 * Where a service's requests come from: nothing, the cluster's shared load balancer (its
 * default action or a host/path rule), or a load balancer of its own. Made with the static
 * methods.
 *
 * @example
 * cluster.addService('Orders', { name: 'orders-api', route: ServiceRoute.sharedLoadBalancer({ paths: ['/api/orders/*'], priority: 100 }) });
 */
export class ServiceRoute {
  /** No load balancer: the service is reached only from inside the cluster (a worker, an internal API). */
  public static none(): ServiceRoute {
    return new ServiceRoute(ServiceRouteType.NONE);
  }

  /**
   * The shared load balancer's default action: the service gets every request that no other
   * service's rule takes (the web front end). At most one service per cluster.
   */
  public static defaultRoute(): ServiceRoute {
    return new ServiceRoute(ServiceRouteType.DEFAULT);
  }

  /**
   * A listener rule on the shared load balancer for requests that match the hosts and paths.
   *
   * @param options the rule's hosts, paths and priority
   */
  public static sharedLoadBalancer(options: SharedRouteOptions): ServiceRoute {
    return new ServiceRoute(ServiceRouteType.SHARED_RULE, options);
  }

  /**
   * A load balancer of the service's own, internal unless asked otherwise, whose default action
   * is the service. It gets the same TLS, logging and 404 rules as the shared one.
   *
   * @param options internet-facing or not, certificate, allowed sources, name
   */
  public static ownLoadBalancer(options: OwnLoadBalancerOptions = {}): ServiceRoute {
    return new ServiceRoute(ServiceRouteType.OWN_LOAD_BALANCER, undefined, options);
  }

  /** How the route reaches the service. */
  public readonly type: ServiceRouteType;
  /** The shared load balancer rule, for SHARED_RULE. */
  public readonly sharedRuleOptions?: SharedRouteOptions;
  /** The service's own load balancer, for OWN_LOAD_BALANCER. */
  public readonly ownLoadBalancerOptions?: OwnLoadBalancerOptions;

  private constructor(type: ServiceRouteType, sharedRule?: SharedRouteOptions, ownLoadBalancer?: OwnLoadBalancerOptions) {
    this.type = type;
    this.sharedRuleOptions = sharedRule;
    this.ownLoadBalancerOptions = ownLoadBalancer;
  }
}


/** Options of {@link AppService.connectTo}. */
export interface ServiceConnectOptions {
  /**
   * The user the service signs in as: a PostgreSQL role (required for a database); an
   * ElastiCache IAM user's short name (by default the only one).
   *
   * @default - the data store's default
   */
  readonly user?: string;

  /**
   * The name of the inline policy on the service's role. Give the name of a policy this grant
   * takes over (with `ResourceMoves.moveFrom(grant.policy, ...)`): IAM replaces a renamed inline
   * policy, which leaves the service without the permission for a moment.
   *
   * @default - `connect-<data store path>`
   */
  readonly policyName?: string;

  /**
   * The prefix of the connection keys in the service's Secret (`<prefix>_HOST`, ...). Two data
   * stores of one kind need distinct prefixes.
   *
   * @default - the data store's: DATABASE or REDIS
   */
  readonly keyPrefix?: string;

  /**
   * A PostgreSQL role of its own for the service's schema migrations (the workload chart's
   * `migration` Job signs in as it; databases only). The database jobs' users Job creates it
   * with CREATE on the `public` schema, and makes what it creates there readable and writable by
   * `user` (default privileges): the service's own user changes rows, never the schema. Only the
   * migrations' own identity may sign in as it: a service `<name>-migrate` in the same namespace
   * (service account, IAM role, pod security group when the service has one), see
   * `migrationService`. The service's Secret names it (`<prefix>_MIGRATION_USER`). It must
   * differ from `user`, the master user and every other user of the database.
   *
   * @default - no migration user: a migration signs in as `user`, which then needs DDL rights
   * granted by hand
   */
  readonly migrationUser?: string;

  /**
   * Connect through the database's RDS Proxy (PostgresWithBackups with `proxy`) instead of to the
   * primary and the read replicas directly. Through the proxy the service's pods share a bounded
   * pool of database connections and keep their connections through a failover, but reach the
   * primary only. A user connects one way only: through the proxy it is a password role the
   * proxy signs in as (the users Job takes it out of `rds_iam`), directly an `rds_iam` role. The
   * migrations always connect directly. Switching an existing service moves its ingress rule to
   * the proxy's security group; see the README.
   *
   * @default false
   */
  readonly throughProxy?: boolean;
}

/**
 * A data store granted to a service by {@link AppService.connectTo}: what the service's
 * Kubernetes side receives, and the IAM policy that was attached.
 */
export class ServiceConnection {
  /** The data store. */
  public readonly store: IServiceDataStore;
  /** The prefix of its keys in the connection Secret. */
  public readonly keyPrefix: string;
  /** The connection values by full key (`DATABASE_HOST`); tokens until Terraform applies them. */
  public readonly values: { [key: string]: string };
  /** The port the service connects to. */
  public readonly port: number;
  /** CIDR blocks of the data store's subnets, for the workload's egress NetworkPolicy. */
  public readonly subnetCidrs: string[];
  /** The data store's max_connections when known (PostgreSQL). */
  public readonly maxConnections?: number;
  /** What the data store is. */
  public readonly description: string;
  /** The inline policy on the service's role that lets it sign in (`ResourceMoves.moveFrom(grant.policy, ...)` carries an earlier address over). */
  public readonly policy: IamRolePolicy;

  /** @internal */
  constructor(store: IServiceDataStore, keyPrefix: string, connection: DataStoreConnection, policy: IamRolePolicy) {
    this.store = store;
    this.keyPrefix = keyPrefix;
    this.values = Object.fromEntries(Object.entries(connection.values).map(([k, v]) => [`${keyPrefix}_${k}`, v]));
    this.port = connection.port;
    this.subnetCidrs = connection.subnetCidrs;
    this.maxConnections = connection.maxConnections;
    this.description = connection.description;
    this.policy = policy;
  }

  /**
   * The connection value `key` without the prefix (`USER` for `DATABASE_USER`).
   *
   * @internal
   */
  public _value(key: string): string | undefined {
    return this.values[`${this.keyPrefix}_${key}`];
  }

  /**
   * True when the service signs in with IAM (`<prefix>_IAM_AUTH` "true"): as a user the users
   * Job of the database jobs creates, for a PostgreSQL database.
   *
   * @internal
   */
  public get _signsInWithIam(): boolean {
    return this._value('IAM_AUTH') === 'true';
  }
}

const SERVICE_NAME_MAX_LENGTH = 40;

/** The props of an AppService after defaults, validated before any resource exists. */
interface ResolvedServiceProps {
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly port: number;
  readonly servicePort: number;
  readonly identity: WorkloadIdentity;
  readonly route: ServiceRoute;
  /** Whether the service has a route (a target group). */
  readonly routed: boolean;
  readonly healthCheckPath: string;
  readonly deregistrationDelaySeconds: number;
  /** The listener rule's conditions, for a shared rule. */
  readonly sharedRule?: ResolvedRouteConditions;
  readonly managedPolicyArns: string[];
  /** Who owns the route, in messages about route conflicts. */
  readonly routeOwner: string;
}

/** The Terraform address release 0.1 gave a resource under the cluster. */
type LegacyAddress = (type: string, ...path: string[]) => string;
const KEY_PREFIX = /^[A-Z][A-Z0-9_]{0,39}$/;

/**
 * One service on an {@link AppCluster}, declared once: its namespace and service account, its
 * IAM role and how the pods get it (EKS Pod Identity by default), its route and target group,
 * and the data stores it may use. Created by `cluster.addService(id, props)`.
 *
 * The Kubernetes side is derived from the same declaration: a ClusterBootstrapStack given the
 * cluster writes each service's namespace, service account, TargetGroupBinding and connection
 * Secret, and `new AppWorkloadChart(app, id, { service, ... })` takes every name and port from
 * here, so the two trees agree by construction.
 *
 * - The role has no permissions but what `connectTo` and `managedPolicyArns` give: services
 *   on one cluster never share a role.
 * - The AWS Load Balancer Controller may register targets in this service's target group (the
 *   cluster's controller policy lists every service's target group, and no other).
 * - With `securityGroupsForPods`, the pods have a security group of their own, and the data
 *   stores admit that group instead of the cluster's nodes.
 *
 * Child IDs (frozen): `Role`, `ManagedPolicy-<policy>`, `PodIdentityAssociation`,
 * `TargetGroup`, `ListenerRule`, `LoadBalancer` (its own), `PodSecurityGroup`,
 * `PodIngressFromCluster`, `PodEgressToCluster`, `ClusterIngressFromPods`, `PodEgressHttps`,
 * `PodEgress-<store>`, `Connect-<store>` (inline policy per data store), and the outputs
 * `RoleArnOutput`, `TargetGroupArnOutput`.
 *
 * @example
 * const orders = cluster.addService('Orders', {
 *   name: 'orders-api',
 *   route: ServiceRoute.sharedLoadBalancer({ paths: ['/api/orders', '/api/orders/*'], priority: 100 }),
 * });
 * orders.connectTo(ordersDb, { user: 'orders_app' });
 */
export class AppService extends Construct implements IConnectable {
  /** The service's name (Deployment, Service, labels). */
  public readonly name: string;
  /** Its Kubernetes namespace. */
  public readonly namespace: string;
  /** Its service account. */
  public readonly serviceAccountName: string;
  /** The port the pods listen on. */
  public readonly port: number;
  /** The Kubernetes Service port. */
  public readonly servicePort: number;
  /** How the pods get credentials. */
  public readonly identity: WorkloadIdentity;
  /** How requests reach the service. */
  public readonly routeType: ServiceRouteType;
  /** The ARN of the service's IAM role. */
  public readonly roleArn: string;
  /** The name of the service's IAM role, to attach policies of your own. */
  public readonly roleName: string;
  /** The cluster the service runs on. */
  public readonly cluster: AppCluster;
  /** The VPC ID the service runs in. */
  public readonly vpcId: string;
  /** The target group its pods join, when it has a route. */
  public readonly targetGroupArn?: string;
  /** The `TargetGroup` dimension of the target group's CloudWatch metrics, when it has a route. */
  public readonly targetGroupArnSuffix?: string;
  /** The load balancer in front of it (the shared one or its own), when it has a route. */
  public readonly loadBalancer?: AppLoadBalancer;
  /** Seconds the target group drains a deregistered pod (0 without a route). */
  public readonly deregistrationDelaySeconds: number;
  /** The HTTP path of the health check. */
  public readonly healthCheckPath: string;
  /** The pods' own security group, with securityGroupsForPods. */
  public readonly podSecurityGroupId?: string;
  /** Name of the Secret with the connection values (written by the bootstrap stack). */
  public readonly connectionSecretName: string;
  /** Name of the ConfigMap with AWS_REGION and other infrastructure values (written by the bootstrap stack). */
  public readonly infrastructureConfigMapName: string;
  /** The `appName` of release 0.1 this service took over, if any. */
  public readonly legacyAppName?: string;
  /** Where connections to data stores come from: the pod security group, or the cluster's nodes (IConnectable). */
  public readonly connectionsSecurityGroupId: string;
  /** What connects, for rule descriptions (IConnectable). */
  public readonly connectionsDescription: string;

  private readonly role: IamRole;
  private readonly podSecurityGroup?: SecurityGroup;
  private migrationIdentity?: AppService;
  private readonly grants = new ObservedList<ServiceConnection>();

  /** @internal */
  constructor(cluster: AppCluster, id: string, props: AppServiceProps) {
    super(cluster, id);
    const stack = GroundworkStack.ofConstruct(this);

    // ---- Validate everything before any resource exists ----
    const resolved = this.resolveProps(cluster, props);
    const { namespace, serviceAccountName, route } = resolved;

    // ---- Attributes ----
    this.cluster = cluster;
    this.name = props.name;
    this.namespace = namespace;
    this.serviceAccountName = serviceAccountName;
    this.port = resolved.port;
    this.servicePort = resolved.servicePort;
    this.identity = resolved.identity;
    this.routeType = route.type;
    this.vpcId = cluster.vpcId;
    this.healthCheckPath = resolved.healthCheckPath;
    this.deregistrationDelaySeconds = resolved.routed ? resolved.deregistrationDelaySeconds : 0;
    this.connectionSecretName = defaultConnectionSecretName(props.name);
    this.infrastructureConfigMapName = defaultInfrastructureConfigMapName(props.name);
    this.legacyAppName = props.legacyAppName;
    const clusterPath = pathInStack(cluster, stack);
    const legacy: LegacyAddress = (type: string, ...path: string[]) => addressAt(type, [...clusterPath, ...path]);

    // ---- Identity: a role of its own, bound to the service account ----
    this.role = this.createRole(stack, props, resolved, legacy);
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.bindRole(props, resolved, legacy);

    // ---- Network identity ----
    if (props.securityGroupsForPods) {
      this.podSecurityGroup = this.createPodSecurityGroup(props.name);
      this.podSecurityGroupId = this.podSecurityGroup.id;
      this.connectionsSecurityGroupId = this.podSecurityGroup.id;
      this.connectionsDescription = `pods of service ${props.name}`;
      this.connectPodSecurityGroupToCluster(this.podSecurityGroup, props.name);
    } else {
      this.connectionsSecurityGroupId = cluster.connectionsSecurityGroupId;
      this.connectionsDescription = cluster.connectionsDescription;
    }

    // ---- Route ----
    if (resolved.routed) {
      const loadBalancer =
        route.type === ServiceRouteType.OWN_LOAD_BALANCER
          ? cluster._ownLoadBalancer(this, route.ownLoadBalancerOptions ?? {})
          : cluster.loadBalancer;
      this.loadBalancer = loadBalancer;
      const targetGroup = this.createTargetGroup(loadBalancer, props, resolved, legacy);
      this.targetGroupArn = targetGroup.arn;
      this.targetGroupArnSuffix = targetGroup.arnSuffix;
      this.routeThrough(loadBalancer, targetGroup, props, resolved, legacy);
    }

    this.createOutputs();
  }

  /** The props with their defaults, all checked (route conflicts too) before any resource exists. */
  private resolveProps(cluster: AppCluster, props: AppServiceProps): ResolvedServiceProps {
    checkDns1035Label(this, 'name', props.name);
    if (Token.isUnresolved(props.name) || props.name.length > SERVICE_NAME_MAX_LENGTH) {
      invalidProp(this, 'name', `be a literal of at most ${SERVICE_NAME_MAX_LENGTH} characters (Kubernetes and AWS names derive from it)`, props.name);
    }
    // Release 0.1 named the app's namespace and service account after appName.
    const namespace = props.namespace ?? props.legacyAppName ?? props.name;
    checkDns1123Label(this, 'namespace', namespace);
    const serviceAccountName = props.serviceAccountName ?? props.legacyAppName ?? props.name;
    checkDns1123Subdomain(this, 'serviceAccountName', serviceAccountName);
    const port = props.port ?? 8080;
    checkPort(this, 'port', port);
    const servicePort = props.servicePort ?? DEFAULT_SERVICE_PORT;
    checkPort(this, 'servicePort', servicePort);
    const identity = props.identity ?? WorkloadIdentity.POD_IDENTITY;
    if (!Object.values(WorkloadIdentity).includes(identity)) {
      invalidProp(this, 'identity', `be one of ${Object.values(WorkloadIdentity).join(', ')}`, identity);
    }
    const route = props.route ?? ServiceRoute.none();
    const routed = route.type !== ServiceRouteType.NONE;
    const healthCheckPath = props.healthCheckPath ?? '/health';
    checkHttpPath(this, 'healthCheckPath', healthCheckPath, { query: true });
    const deregistrationDelaySeconds = props.deregistrationDelaySeconds ?? 30;
    checkIntegerInRange(this, 'deregistrationDelaySeconds', deregistrationDelaySeconds, 0, 3600);
    // One message per prop, with the value received: the consumer sees which setting to remove.
    for (const targetGroupProp of ['healthCheckPath', 'deregistrationDelaySeconds'] as const) {
      if (!routed && props[targetGroupProp] !== undefined) {
        invalidProp(
          this,
          targetGroupProp,
          'be left out: it belongs to a target group, and this service has no route (give it a route or leave it out)',
          props[targetGroupProp],
        );
      }
    }
    const sharedRule =
      route.type === ServiceRouteType.SHARED_RULE
        ? resolveRouteConditions(this, 'route', route.sharedRuleOptions?.hosts, route.sharedRuleOptions?.paths, route.sharedRuleOptions?.priority as number)
        : undefined;
    if (route.type === ServiceRouteType.SHARED_RULE && route.sharedRuleOptions?.priority === undefined) {
      invalidProp(this, 'route.priority', 'be given (11-50000): rule order on a shared listener is explicit', undefined);
    }
    const managedPolicyArns = props.managedPolicyArns ?? [];
    checkPolicyArns(this, 'managedPolicyArns', managedPolicyArns);
    if (props.legacyAppName !== undefined) checkDns1035Label(this, 'legacyAppName', props.legacyAppName);
    cluster._claimServiceName(this, props.name, props.legacyAppName);
    checkDistinctFromOtherServices(this, cluster, props.name, namespace, serviceAccountName, props.legacyAppName);
    if (props.securityGroupsForPods && !cluster.securityGroupsForPods) {
      invalidProp(
        this,
        'securityGroupsForPods',
        "be set only on a cluster with securityGroupsForPods: true (a cluster-wide setting of the VPC CNI; see AppCluster's prop)",
        true,
      );
    }
    // Route conflicts are found now, before this service creates anything.
    const routeOwner = `${constructLabel(this)} ("${props.name}")`;
    if (route.type === ServiceRouteType.SHARED_RULE) cluster.loadBalancer._checkRoute(this, sharedRule!);
    if (route.type === ServiceRouteType.DEFAULT) cluster.loadBalancer._checkDefaultTargetGroupFree(this);
    return {
      namespace,
      serviceAccountName,
      port,
      servicePort,
      identity,
      route,
      routed,
      healthCheckPath,
      deregistrationDelaySeconds,
      sharedRule,
      managedPolicyArns,
      routeOwner,
    };
  }

  /** The service's IAM role, trusted by its service account (IRSA or Pod Identity). */
  private createRole(stack: GroundworkStack, props: AppServiceProps, resolved: ResolvedServiceProps, legacy: LegacyAddress): IamRole {
    const cluster = this.cluster;
    const { identity, namespace, serviceAccountName } = resolved;
    const what = `service ${props.name} (${namespace}/${serviceAccountName}) in EKS cluster ${cluster.clusterName}`;
    const role = new IamRole(this, 'Role', {
      name: cluster._roleName(`app-${props.legacyAppName ?? props.name}`),
      description: `${identity === WorkloadIdentity.IRSA ? 'IRSA' : 'Pod Identity'} role of ${what}`,
      assumeRolePolicy:
        identity === WorkloadIdentity.IRSA
          ? cluster._serviceAccountTrustPolicy(namespace, serviceAccountName)
          : policyDocument([
              podIdentityTrustStatement(stack.accountId, cluster.clusterArn, namespace, serviceAccountName),
              // Taking over release 0.1's IRSA app: its running pods keep assuming the role through
              // IRSA until the new ones (Pod Identity) replace them. Drop it with legacyAppName.
              ...(props.legacyAppName !== undefined ? cluster._serviceAccountTrustStatements(namespace, serviceAccountName) : []),
            ]),
    });
    if (props.legacyAppName !== undefined) ResourceMoves.moveFrom(role, legacy('aws_iam_role', 'AppServiceAccountRole'));
    return role;
  }

  /** The managed policies on the role, and with Pod Identity its association with the service account. */
  private bindRole(props: AppServiceProps, resolved: ResolvedServiceProps, legacy: LegacyAddress): void {
    const cluster = this.cluster;
    resolved.managedPolicyArns.forEach((policyArn, index) => {
      const unresolved = Token.isUnresolved(policyArn);
      const attachment = new IamRolePolicyAttachment(this, idFromArn('ManagedPolicy', policyArn, index, unresolved), {
        role: this.role.name,
        policyArn,
      });
      if (props.legacyAppName !== undefined) {
        ResourceMoves.moveFrom(attachment, legacy('aws_iam_role_policy_attachment', idFromArn('AppServiceAccountPolicy', policyArn, index, unresolved)));
      }
    });
    if (resolved.identity === WorkloadIdentity.POD_IDENTITY) {
      new EksPodIdentityAssociation(this, 'PodIdentityAssociation', {
        clusterName: cluster.resource.name,
        namespace: resolved.namespace,
        serviceAccount: resolved.serviceAccountName,
        roleArn: this.role.arn,
        dependsOn: [cluster._podIdentityAgent()].filter((agent) => agent !== undefined),
        tags: { Name: `${cluster.clusterName}-${props.name}` },
      });
    }
  }

  /** The pods' own security group, with securityGroupsForPods. */
  private createPodSecurityGroup(name: string): SecurityGroup {
    const cluster = this.cluster;
    const groupName = Naming.resourceName([cluster.clusterName, name, 'pods'], 255);
    return new SecurityGroup(this, 'PodSecurityGroup', {
      name: groupName,
      description: `Pods of service ${name} in EKS cluster ${cluster.clusterName}: what its data stores admit`,
      vpcId: cluster.vpcId,
      tags: { Name: groupName },
    });
  }

  /** The target group the pods join, on the load balancer in front of the service. */
  private createTargetGroup(
    loadBalancer: AppLoadBalancer,
    props: AppServiceProps,
    resolved: ResolvedServiceProps,
    legacy: LegacyAddress,
  ): LbTargetGroup {
    const targetGroup: LbTargetGroup = loadBalancer._createTargetGroup(this, 'TargetGroup', {
      port: resolved.port,
      healthCheckPath: resolved.healthCheckPath,
      deregistrationDelaySeconds: resolved.deregistrationDelaySeconds,
      nameTag: props.legacyAppName !== undefined ? `${loadBalancer.loadBalancerName}-app` : Naming.resourceName([loadBalancer.loadBalancerName, props.name], 255),
    });
    if (props.legacyAppName !== undefined) ResourceMoves.moveFrom(targetGroup, legacy('aws_lb_target_group', 'LoadBalancer', 'TargetGroup'));
    return targetGroup;
  }

  /** The target group registered with the cluster, traffic let through to the pods, and the listener's rule or default. */
  private routeThrough(
    loadBalancer: AppLoadBalancer,
    targetGroup: LbTargetGroup,
    props: AppServiceProps,
    resolved: ResolvedServiceProps,
    legacy: LegacyAddress,
  ): void {
    const cluster = this.cluster;
    const { route, routeOwner } = resolved;
    cluster._registerTargetGroup(targetGroup.arn);

    loadBalancer._allowTrafficTo(this.connectionsSecurityGroupId, resolved.port, this.podSecurityGroup ? `pods of service ${props.name}` : cluster.connectionsDescription, {
      movedFrom:
        props.legacyAppName !== undefined && loadBalancer === cluster.loadBalancer
          ? {
              egress: legacy('aws_vpc_security_group_egress_rule', 'LoadBalancer', 'EgressToTargets'),
              ingress: legacy('aws_vpc_security_group_ingress_rule', 'LoadBalancer', 'TargetIngress'),
            }
          : undefined,
    });
    if (route.type === ServiceRouteType.SHARED_RULE) {
      loadBalancer._addRoute(this, 'ListenerRule', {
        owner: routeOwner,
        targetGroupArn: targetGroup.arn,
        conditions: resolved.sharedRule!,
        nameTag: Naming.resourceName([loadBalancer.loadBalancerName, props.name], 255),
      });
    } else {
      loadBalancer._setDefaultTargetGroup(targetGroup, routeOwner);
    }
  }

  /**
   * Grants the service a data store: the IAM policy of its sign-in on the service's role, an
   * ingress rule in the data store's security group (from the pod security group, or the
   * cluster's nodes), and the connection values for the service's Secret. One call per data
   * store; the workload chart turns the grants into egress NetworkPolicies and checks its
   * connection pools against the database's max_connections.
   *
   * @param store a PostgresWithBackups or RedisHA in the same VPC
   * @param options the user to sign in as, and the key prefix
   * @returns the grant, whose `policy` is the attached inline policy
   */
  public connectTo(store: IServiceDataStore, options: ServiceConnectOptions = {}): ServiceConnection {
    if (this.grants.toArray().some((g) => g.store === store)) {
      invalidCombination(this, `connectTo: ${constructLabel(store)} is already granted to this service; grant each data store once`);
    }
    if (options.policyName !== undefined && (Token.isUnresolved(options.policyName) || !/^[\w+=,.@-]{1,128}$/.test(options.policyName))) {
      invalidProp(this, 'connectTo(options.policyName)', 'be 1-128 letters, digits or +=,.@_- (an IAM policy name)', options.policyName);
    }
    const keyPrefix = options.keyPrefix ?? store.connectionKeyPrefix;
    if (!KEY_PREFIX.test(keyPrefix)) {
      invalidProp(this, 'connectTo(options.keyPrefix)', 'be 1-40 uppercase letters, digits or "_", starting with a letter', keyPrefix);
    }
    const clash = this.grants.toArray().find((g) => g.keyPrefix === keyPrefix);
    if (clash) {
      invalidProp(
        this,
        'connectTo(options.keyPrefix)',
        `differ from the prefix of ${clash.description}, already granted: give one of them its own keyPrefix`,
        keyPrefix,
      );
    }
    const connection = store.connectService({
      // Without pod security groups the pods send from the nodes' group: the data store admits
      // the cluster once, whichever services it is granted to.
      peer: this.podSecurityGroup ? this : this.cluster,
      serviceName: this.name,
      vpcId: this.vpcId,
      user: options.user,
      migrationUser: options.migrationUser,
      throughProxy: options.throughProxy,
    });
    for (const key of Object.keys(connection.values)) checkConfigKey(this, 'connectTo(options.keyPrefix)', `${keyPrefix}_${key}`);
    const storeKey = store.node.path.slice(GroundworkStack.ofConstruct(this).node.path.length + 1).replace(/\//g, '-');
    const grant = this._addGrant(storeKey, store, keyPrefix, connection, options.policyName);
    if (options.migrationUser !== undefined) {
      // Only the migrations' own identity may sign in as the schema owner: the service's role,
      // which its running pods carry, may not.
      const migration = this.migrationIdentityFor(options.migrationUser);
      migration._addGrant(
        storeKey,
        store,
        keyPrefix,
        store.connectService({
          peer: migration.podSecurityGroup ? migration : this.cluster,
          serviceName: migration.name,
          vpcId: this.vpcId,
          user: options.migrationUser,
          // Schema changes hold their session; a pooler in between only pins it.
          throughProxy: false,
        }),
      );
    }
    return grant;
  }

  /**
   * The identity the service's migrations run as (`<name>-migrate`: a service account and IAM role
   * of their own, in the service's namespace, with the service's pod security group setting),
   * created by the first `connectTo` with a `migrationUser`. Its grants sign in as the migration
   * users only; the workload chart's migration Job runs as it.
   */
  public get migrationService(): AppService | undefined {
    return this.migrationIdentity;
  }

  private migrationIdentityFor(migrationUser: string): AppService {
    if (this.migrationIdentity === undefined) {
      const name = `${this.name}-migrate`;
      if (name.length > SERVICE_NAME_MAX_LENGTH) {
        invalidProp(
          this,
          'connectTo(options.migrationUser)',
          `be set only on a service whose name has at most ${SERVICE_NAME_MAX_LENGTH - '-migrate'.length} characters (its migrations run as a service named "${name}")`,
          migrationUser,
        );
      }
      this.migrationIdentity = this.cluster.addService(`${this.node.id}Migration`, {
        name,
        namespace: this.namespace,
        identity: this.identity,
        securityGroupsForPods: this.podSecurityGroup !== undefined,
      });
    }
    return this.migrationIdentity;
  }

  /**
   * Records a grant: the inline policy `Connect-<key>` on the service's role, the pod security
   * group's egress to the store (when the connection has a security group), and the values for
   * the connection Secret. `connectTo` and the library's own jobs (DatabaseJobs) share it.
   *
   * @internal
   */
  public _addGrant(key: string, store: IServiceDataStore, keyPrefix: string, connection: DataStoreConnection, policyName?: string): ServiceConnection {
    const policy = new IamRolePolicy(this, `Connect-${key}`, {
      role: this.role.id,
      name: policyName ?? `connect-${Naming.resourceName([key], 100)}`,
      policy: connection.policyJson,
    });
    if (this.podSecurityGroup && connection.securityGroupId !== '') {
      new VpcSecurityGroupEgressRule(this, `PodEgress-${key}`, {
        securityGroupId: this.podSecurityGroup.id,
        description: `${connection.description} on port ${connection.port}`,
        ipProtocol: 'tcp',
        fromPort: connection.port,
        toPort: connection.port,
        referencedSecurityGroupId: connection.securityGroupId,
      });
    }
    const grant = new ServiceConnection(store, keyPrefix, connection, policy);
    this.grants.add(grant);
    return grant;
  }

  /**
   * HTTPS from the pod security group to S3 only, through the VPC's gateway endpoint (its prefix
   * list): for jobs that read or write a bucket. Nothing without a pod security group: the
   * nodes' group already allows it.
   *
   * @internal
   */
  public _allowHttpsToS3(prefixListId: string, reason: string): void {
    if (!this.podSecurityGroup) return;
    new VpcSecurityGroupEgressRule(this, 'PodEgressS3', {
      securityGroupId: this.podSecurityGroup.id,
      description: `HTTPS from pods of service ${this.name} to S3 through the gateway endpoint: ${reason}`,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      prefixListId,
    });
  }

  /**
   * Calls `listener` for every grant, those made so far and those to come (the bootstrap stack
   * writes the connection Secret this way, whatever the order of declaration).
   *
   * @internal
   */
  public _onConnection(listener: (grant: ServiceConnection) => void): void {
    this.grants.observe(listener);
  }

  /** The data stores granted so far, in the order of `connectTo`. */
  public get connections(): ServiceConnection[] {
    return this.grants.toArray();
  }

  /**
   * The pods carry their own group only (the cluster security group would admit them wherever the
   * nodes are admitted, every data store of every service included), so the group gets what a pod
   * needs from the cluster: in-cluster traffic both ways with the cluster security group (DNS from
   * CoreDNS, calls to and from other services, Prometheus; NetworkPolicies decide which), and
   * HTTPS to the VPC for the AWS APIs' interface endpoints. Traffic to the node itself (kubelet
   * probes, the Pod Identity agent) is not filtered in the standard enforcing mode.
   */
  private connectPodSecurityGroupToCluster(group: SecurityGroup, name: string): void {
    const nodes = this.cluster.nodeSecurityGroupId;
    const what = `pods of service ${name}`;
    new VpcSecurityGroupIngressRule(this, 'PodIngressFromCluster', {
      securityGroupId: group.id,
      description: `In-cluster traffic to ${what} from the cluster's nodes and pods (NetworkPolicies decide which)`,
      ipProtocol: '-1',
      referencedSecurityGroupId: nodes,
    });
    new VpcSecurityGroupEgressRule(this, 'PodEgressToCluster', {
      securityGroupId: group.id,
      description: `In-cluster traffic from ${what} to the cluster's nodes and pods: DNS, other services (NetworkPolicies decide which)`,
      ipProtocol: '-1',
      referencedSecurityGroupId: nodes,
    });
    new VpcSecurityGroupIngressRule(this, 'ClusterIngressFromPods', {
      securityGroupId: nodes,
      description: `In-cluster traffic from ${what}: DNS, other services (NetworkPolicies decide which)`,
      ipProtocol: '-1',
      referencedSecurityGroupId: group.id,
    });
    new VpcSecurityGroupEgressRule(this, 'PodEgressHttps', {
      securityGroupId: group.id,
      description: `HTTPS from ${what} to the VPC: AWS APIs through its interface endpoints`,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: this.cluster.vpc.cidr,
    });
  }

  private createOutputs(): void {
    const prefix = `${this.cluster._outputPrefix()}_${this.name.replace(/-/g, '_')}`;
    new TerraformOutput(this, 'RoleArnOutput', {
      value: this.roleArn,
      description: `IAM role of service ${this.name} (${this.identity === WorkloadIdentity.IRSA ? 'IRSA' : 'EKS Pod Identity'})`,
      sensitive: false,
    }).overrideLogicalId(`${prefix}_role_arn`);
    if (this.targetGroupArn !== undefined) {
      new TerraformOutput(this, 'TargetGroupArnOutput', {
        value: this.targetGroupArn,
        description: `IP target group of service ${this.name}, for its TargetGroupBinding`,
        sensitive: false,
      }).overrideLogicalId(`${prefix}_target_group_arn`);
    }
  }
}

/**
 * What a service must not share with the services declared before it, beyond its name (which
 * AppCluster checks):
 * - its namespace and service account: EKS takes one Pod Identity association per service
 *   account, the bootstrap stack would write the ServiceAccount twice, and two services would
 *   share one identity;
 * - its IAM role name `<cluster>-app-<legacyAppName ?? name>`: a service named like the app of
 *   release 0.1 that another service took over would ask IAM for the same role name.
 */
function checkDistinctFromOtherServices(
  scope: AppService,
  cluster: AppCluster,
  name: string,
  namespace: string,
  serviceAccountName: string,
  legacyAppName: string | undefined,
): void {
  // Runs after AppCluster has refused a repeated name and a second legacyAppName.
  const others = cluster.services;
  const roleSuffix = legacyAppName ?? name;
  const sameRole = others.find((s) => (s.legacyAppName ?? s.name) === roleSuffix);
  if (sameRole !== undefined) {
    invalidProp(
      scope,
      legacyAppName !== undefined ? 'legacyAppName' : 'name',
      `not give the IAM role name "${cluster._roleName(`app-${roleSuffix}`)}" of ${constructLabel(sameRole)}, which has it already`,
      roleSuffix,
    );
  }
  const sameAccount = others.find((s) => s.namespace === namespace && s.serviceAccountName === serviceAccountName);
  if (sameAccount !== undefined) {
    invalidProp(
      scope,
      'serviceAccountName',
      `be unique in its namespace (one identity per service; EKS takes one Pod Identity association per service account), but ${constructLabel(sameAccount)} already runs as it`,
      `${namespace}/${serviceAccountName}`,
    );
  }
}

/**
 * The trust policy of an EKS Pod Identity role, limited by the session tags EKS sets to one
 * cluster, namespace and service account of this account: without the conditions, any Pod
 * Identity association in the account could hand the role to any pod.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
 */
function podIdentityTrustStatement(accountId: string, clusterArn: string, namespace: string, serviceAccount: string): PolicyStatement {
  return {
    Sid: 'EksPodIdentityForOneServiceAccount',
    Effect: 'Allow',
    Principal: { Service: 'pods.eks.amazonaws.com' },
    Action: ['sts:AssumeRole', 'sts:TagSession'],
    Condition: {
      StringEquals: {
        'aws:SourceAccount': accountId,
        // The ARN, not the name: cluster names repeat across regions of one account.
        'aws:RequestTag/eks-cluster-arn': clusterArn,
        'aws:RequestTag/kubernetes-namespace': namespace,
        'aws:RequestTag/kubernetes-service-account': serviceAccount,
      },
    },
  };
}
