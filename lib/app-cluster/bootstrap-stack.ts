import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { DataResource, Fn, Lazy, TerraformOutput, TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { GroundworkStack } from '../core/groundwork-stack';
import { ResourceMoves } from '../core/moves';
import { EKS_CLUSTER_NAME_PATTERN as EKS_CLUSTER_NAME, IAM_DATABASE_USER_PATTERN, IAM_ROLE_ARN_PATTERN as IAM_ROLE_ARN, isElastiCacheUserId, REGION_PATTERN as REGION, SECRET_ARN_PATTERN as SECRET_ARN } from '../core/private/aws-patterns';
import { checkPort, describeValue, invalidCombination, invalidProp } from '../core/private/errors';
import { checkConfigKey, isToken } from '../core/private/kubernetes-checks';
import { checkDns1035Label, checkDns1123Label, checkDns1123Subdomain } from '../core/private/kubernetes-names';
import type { AppCluster } from './app-cluster';
import { ClusterBootstrapStackProps } from './bootstrap-stack-props';
import {
  APP_NAME_LABEL,
  DEFAULT_SERVICE_PORT,
  defaultConnectionSecretName,
  defaultInfrastructureConfigMapName,
  IRSA_ROLE_ANNOTATION,
  MANAGED_BY_LABEL,
  POD_SECURITY_LABELS,
  READINESS_GATE_LABEL,
} from './private/workload-contract';
import { AppService, WorkloadIdentity } from './service';

// The props live in a file of their own; this module still exports them.
export { ClusterBootstrapStackProps } from './bootstrap-stack-props';

/** A map the provider takes, here filled at synth by a Lazy value. */
type StringMap = { [key: string]: string };

/** The single app's props, once the required ones are known to be there. */
type SingleAppProps = ClusterBootstrapStackProps & { appName: string; namespace: string; serviceAccountRoleArn: string };

/** How the kubernetes provider reaches the cluster. */
interface ClusterAccess {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  readonly certificateAuthorityData: string;
  readonly region: string;
}

/** The single app's props after defaults, validated. */
interface ResolvedSingleApp {
  readonly serviceAccountName: string;
  readonly servicePort: number;
  readonly hasConnection: boolean;
  readonly connectionSecretName: string;
  readonly infrastructureConfigMapName: string;
  readonly extraSettings: StringMap;
}

/**
 * Where the app finds its PostgreSQL database. Endpoints and names only: the password stays
 * in Secrets Manager, and only the ARN of that secret is passed on.
 */
export interface DatabaseConnectionInfo {
  /** Host name of the database, without the port (the RDS `address`, not its `endpoint`). */
  readonly host: string;

  /** Port of the database. */
  readonly port: number;

  /**
   * Name of the database to connect to.
   *
   * @default - no DATABASE_NAME key
   */
  readonly databaseName?: string;

  /**
   * ARN of the Secrets Manager secret with the credentials (e.g. the RDS-managed master user
   * secret); the app reads it with its IRSA role.
   *
   * @default - no DATABASE_CREDENTIALS_SECRET_ARN key
   */
  readonly credentialsSecretArn?: string;

  /**
   * The database user the app signs in as with IAM database authentication (a token from
   * its IRSA role, no password): written as DATABASE_USER, with DATABASE_IAM_AUTH "true".
   * Grant the role `PostgresWithBackups.connectPolicyJson(user)`. Give this or
   * credentialsSecretArn, not both.
   *
   * @default - no DATABASE_USER key
   */
  readonly iamUserName?: string;
}

/** Where the app finds its Redis replication group. Endpoints only, never the auth token. */
export interface RedisConnectionInfo {
  /** Host name of the primary endpoint, without the port. */
  readonly host: string;

  /** Port of the primary endpoint. */
  readonly port: number;

  /**
   * Whether the endpoint requires TLS (in-transit encryption); exposed as REDIS_TLS.
   *
   * @default true
   */
  readonly tls?: boolean;

  /**
   * ARN of the Secrets Manager secret with the Redis auth token, if the cluster uses one.
   *
   * @default - no REDIS_AUTH_SECRET_ARN key
   */
  readonly authSecretArn?: string;

  /**
   * The ElastiCache user the app signs in as with IAM authentication (`RedisHA.iamUserIds`):
   * written as REDIS_USER, with REDIS_IAM_AUTH "true". Grant the role
   * `RedisHA.connectPolicyJson(name)`. Give this or authSecretArn, not both.
   *
   * @default - no REDIS_USER key
   */
  readonly iamUserName?: string;
}


const TARGET_GROUP_ARN = /^arn:aws(-cn|-us-gov)?:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** Props of the single-app mode, which a stack given a cluster refuses. */
const SINGLE_APP_PROPS = [
  'appName',
  'namespace',
  'serviceAccountName',
  'serviceAccountRoleArn',
  'targetGroupArn',
  'servicePort',
  'podReadinessGate',
  'database',
  'redis',
  'connectionSecretName',
  'infrastructureConfigMapName',
  'infrastructureSettings',
] as const;

/** The keys this stack writes; infrastructureSettings may not reuse them. */
const RESERVED_CONFIG_KEYS = ['AWS_REGION', 'DATABASE_CREDENTIALS_SECRET_ARN', 'REDIS_AUTH_SECRET_ARN'];

/**
 * The in-cluster objects Terraform must own because they carry values from the AWS stack:
 * each service's Namespace, its ServiceAccount (with the IRSA role annotation when the service
 * uses IRSA; Pod Identity needs none), the TargetGroupBinding that puts its pods
 * behind the Terraform-owned ALB, and the Secret / ConfigMap with the database and Redis
 * endpoints.
 *
 * A second Terraform stack (kubernetes provider only) next to the GroundworkStack: pass it
 * the AWS stack's attributes and cdktf turns them into cross-stack references (outputs of the
 * AWS stack, read at apply time), so the cluster exists before this stack plans, and no
 * Terraform value ever has to enter YAML.
 *
 * The kubernetes provider authenticates with `aws eks get-token` (the AWS CLI must be on the
 * PATH of whoever runs Terraform, with credentials allowed by the cluster's access entries).
 * The TargetGroupBinding is a `kubernetes_manifest`, which needs the AWS Load Balancer
 * Controller's CRD in the cluster at plan time.
 *
 * Ownership: this stack creates the Namespace (Pod Security Admission `restricted`), the
 * ServiceAccount, the TargetGroupBinding, the connection Secret and the infrastructure
 * ConfigMap; the AppWorkloadChart creates everything else, with `manageNamespace: false` and
 * `manageServiceAccount: false`, and refers to these objects by name.
 *
 * Two ways to use it:
 * - **With `cluster`** (services): for every service of the cluster, its Namespace (once per
 *   namespace, Pod Security Admission `restricted`, with the readiness gate label when a service
 *   in it has a target group), its ServiceAccount (with the role annotation for IRSA only; EKS
 *   Pod Identity needs none), its TargetGroupBinding, its connection Secret (the values of its
 *   `connectTo` grants, no password ever) and infrastructure ConfigMap, and its
 *   SecurityGroupPolicy with securityGroupsForPods. Services added to the cluster after this
 *   stack, and grants made later, are included: everything comes from the service declaration.
 * - **Single app** (release 0.1): `appName`, `namespace`, `serviceAccountRoleArn` and the
 *   endpoints passed by hand.
 *
 * Construct IDs (frozen): `Kubernetes` (provider); with `cluster`, `Namespace-<namespace>` and,
 * per service, `<service id>/ServiceAccount`, `/TargetGroupBinding`, `/TargetGroupIdentity`, `/ConnectionSecret`,
 * `/InfrastructureConfigMap`, `/SecurityGroupPolicy`; single app: `Namespace`, `ServiceAccount`,
 * `TargetGroupBinding`, `TargetGroupIdentity`, `ConnectionSecret`, `InfrastructureConfigMap`, outputs `namespace`,
 * `service_account_name`. A service that took over release 0.1's app (`legacyAppName`) takes
 * over the single-app objects through moved blocks.
 *
 * @example
 * const bootstrap = new ClusterBootstrapStack(app, 'shop-production-k8s', { cluster });
 */
export class ClusterBootstrapStack extends TerraformStack {
  /** The kubernetes provider of this stack. */
  public readonly kubernetesProvider: KubernetesProvider;
  /** The cluster whose services this stack bootstraps, when given. */
  public readonly cluster?: AppCluster;
  /** Name of the Secret with the database and Redis endpoints (single app); undefined when there is neither. */
  public readonly connectionSecretName?: string;
  /** Name of the TargetGroupBinding (single app); undefined without a target group. */
  public readonly targetGroupBindingName?: string;

  private readonly singleApp?: { appName: string; namespaceName: string; serviceAccountName: string; infrastructureConfigMapName: string };
  private readonly region: string;
  private readonly namespaces = new Map<string, { resource: NamespaceV1; services: AppService[] }>();

  constructor(scope: Construct, id: string, props: ClusterBootstrapStackProps) {
    super(scope, id);

    // ---- Validate everything before any resource exists ----
    const access = this.resolveClusterAccess(props);
    this.region = access.region;
    this.checkMode(props);

    // ---- Provider ----
    this.kubernetesProvider = this.createProvider(access);

    // ---- With cluster: every service's objects, as the services are declared ----
    const cluster = props.cluster;
    if (cluster !== undefined) {
      this.cluster = cluster;
      cluster._onService((service) => this.addService(service));
      return;
    }

    // ---- Single app (release 0.1): validation, then its objects ----
    const single = props as SingleAppProps;
    const app = this.resolveSingleApp(single);
    this.singleApp = {
      appName: single.appName,
      namespaceName: single.namespace,
      serviceAccountName: app.serviceAccountName,
      infrastructureConfigMapName: app.infrastructureConfigMapName,
    };
    const labels = { [APP_NAME_LABEL]: single.appName, [MANAGED_BY_LABEL]: 'terraform' };
    const namespaceName = this.createSingleAppNamespace(single);
    this.createSingleAppServiceAccount(single, app.serviceAccountName, namespaceName, labels);
    if (single.targetGroupArn !== undefined) {
      this.targetGroupBindingName = single.appName;
      this.createSingleAppTargetGroupBinding(single.appName, single.targetGroupArn, app.servicePort, namespaceName, labels);
    }
    if (app.hasConnection) {
      this.connectionSecretName = app.connectionSecretName;
      this.createSingleAppConnectionSecret(single, app.connectionSecretName, namespaceName, labels);
    }
    this.createSingleAppConfigMap(single, app, namespaceName, labels);

    // ---- Outputs for the pipeline that applies the YAML next ----
    new TerraformOutput(this, 'namespace', {
      description: 'Namespace of the app, created with Pod Security Admission "restricted"',
      value: namespaceName,
    });
    new TerraformOutput(this, 'service_account_name', {
      description: 'ServiceAccount of the app, annotated with its IAM role (IRSA)',
      value: app.serviceAccountName,
    });
  }

  /** The single app's name. Throws with `cluster` (read the services instead). */
  public get appName(): string {
    return this.requireSingleApp('appName').appName;
  }

  /** The single app's namespace. Throws with `cluster`. */
  public get namespaceName(): string {
    return this.requireSingleApp('namespaceName').namespaceName;
  }

  /** The single app's ServiceAccount. Throws with `cluster`. */
  public get serviceAccountName(): string {
    return this.requireSingleApp('serviceAccountName').serviceAccountName;
  }

  /** The single app's infrastructure ConfigMap. Throws with `cluster`. */
  public get infrastructureConfigMapName(): string {
    return this.requireSingleApp('infrastructureConfigMapName').infrastructureConfigMapName;
  }

  private requireSingleApp(attribute: string) {
    if (this.singleApp === undefined) {
      invalidCombination(this, `${attribute} belongs to the single app of release 0.1; this stack bootstraps the services of a cluster, read the service's instead`);
    }
    return this.singleApp;
  }

  /**
   * Writes one service's objects. Called for every service of the cluster, including those
   * declared after this stack; the Secret follows the service's grants, made before or after.
   */
  private addService(service: AppService): void {
    const scope = new Construct(this, service.node.id);
    const labels = { [APP_NAME_LABEL]: service.name, [MANAGED_BY_LABEL]: 'terraform' };
    // Moved blocks from the single-app objects of release 0.1, for the service that took it over.
    const adopt = (resource: TerraformResource, address: string) => {
      if (service.legacyAppName !== undefined) ResourceMoves.moveFrom(resource, address);
    };

    const namespace = this.namespaceFor(service, adopt);
    const namespaceName = namespace.metadata.name;

    const serviceAccount = new ServiceAccountV1(scope, 'ServiceAccount', {
      metadata: {
        name: service.serviceAccountName,
        namespace: namespaceName,
        labels,
        // EKS Pod Identity binds the role in AWS (the association); only IRSA needs the annotation.
        annotations:
          service.identity === WorkloadIdentity.IRSA
            ? { [IRSA_ROLE_ANNOTATION]: service.roleArn, 'eks.amazonaws.com/sts-regional-endpoints': 'true' }
            : undefined,
      },
      // The pods do not call the Kubernetes API; IRSA and Pod Identity project their own tokens.
      automountServiceAccountToken: false,
    });
    adopt(serviceAccount, 'kubernetes_service_account_v1.ServiceAccount');

    if (service.targetGroupArn !== undefined) {
      const binding = new Manifest(scope, 'TargetGroupBinding', {
        lifecycle: { replaceTriggeredBy: [targetGroupIdentity(scope, service.targetGroupArn)] },
        manifest: {
          apiVersion: 'elbv2.k8s.aws/v1beta1',
          kind: 'TargetGroupBinding',
          metadata: { name: service.name, namespace: namespaceName, labels },
          spec: {
            targetGroupARN: service.targetGroupArn,
            targetType: 'ip',
            serviceRef: { name: service.name, port: service.servicePort },
            // No `networking`: Terraform owns the security group rules between the ALB and the pods.
          },
        },
      });
      adopt(binding, 'kubernetes_manifest.TargetGroupBinding');
    }

    if (service.podSecurityGroupId !== undefined) {
      new Manifest(scope, 'SecurityGroupPolicy', {
        manifest: {
          apiVersion: 'vpcresources.k8s.aws/v1beta1',
          kind: 'SecurityGroupPolicy',
          metadata: { name: service.name, namespace: namespaceName, labels },
          spec: {
            // By identity, not by pod label: the group follows the service account the service's
            // role is bound to.
            serviceAccountSelector: { matchLabels: { [APP_NAME_LABEL]: service.name } },
            // Its own group only: with the cluster security group as well, the pods would be
            // admitted wherever the nodes are, every data store included. The pod group reaches
            // the cluster through rules of its own (AppService).
            securityGroups: { groupIds: [service.podSecurityGroupId] },
          },
        },
      });
    }

    const configMap = new ConfigMapV1(scope, 'InfrastructureConfigMap', {
      metadata: { name: service.infrastructureConfigMapName, namespace: namespaceName, labels },
      data: { AWS_REGION: this.region },
    });
    adopt(configMap, 'kubernetes_config_map_v1.InfrastructureConfigMap');

    let secret: SecretV1 | undefined;
    service._onConnection(() => {
      if (secret !== undefined) return;
      secret = new SecretV1(scope, 'ConnectionSecret', {
        metadata: { name: service.connectionSecretName, namespace: namespaceName, labels },
        type: 'Opaque',
        // Endpoints and user names only: the services sign in with IAM or read a secret's ARN.
        data: Lazy.anyValue({ produce: () => Object.assign({}, ...service.connections.map((c) => c.values)) }) as unknown as StringMap,
      });
      adopt(secret, 'kubernetes_secret_v1.ConnectionSecret');
    });
  }

  private namespaceFor(service: AppService, adopt: (resource: NamespaceV1, address: string) => void): NamespaceV1 {
    const existing = this.namespaces.get(service.namespace);
    if (existing !== undefined) {
      existing.services.push(service);
      if (service.legacyAppName !== undefined) adopt(existing.resource, 'kubernetes_namespace_v1.Namespace');
      return existing.resource;
    }
    const services = [service];
    const resource = new NamespaceV1(this, `Namespace-${service.namespace}`, {
      metadata: {
        name: service.namespace,
        labels: Lazy.anyValue({
          produce: () => ({
            [MANAGED_BY_LABEL]: 'terraform',
            ...POD_SECURITY_LABELS,
            // Rollouts wait for new pods to be healthy in their target group before old ones go.
            ...(services.some((s) => s.targetGroupArn !== undefined) ? { [READINESS_GATE_LABEL]: 'enabled' } : {}),
          }),
        }) as unknown as StringMap,
      },
    });
    this.namespaces.set(service.namespace, { resource, services });
    adopt(resource, 'kubernetes_namespace_v1.Namespace');
    return resource;
  }

  /** How to reach the cluster: its name, endpoint and certificate authority, and the region; given, or from cluster. */
  private resolveClusterAccess(props: ClusterBootstrapStackProps): ClusterAccess {
    const cluster = props.cluster;
    const clusterName = props.clusterName ?? cluster?.clusterName;
    const clusterEndpoint = props.clusterEndpoint ?? cluster?.clusterEndpoint;
    const certificateAuthorityData = props.clusterCertificateAuthorityData ?? cluster?.clusterCertificateAuthorityData;
    const region = props.region ?? (cluster ? GroundworkStack.ofConstruct(cluster).region : undefined);
    const required: Array<[string, unknown]> = [
      ['clusterName', clusterName],
      ['clusterEndpoint', clusterEndpoint],
      ['clusterCertificateAuthorityData', certificateAuthorityData],
      ['region', region],
    ];
    for (const [property, value] of required) {
      if (value === undefined) invalidProp(this, property, 'be given, or come from cluster', value);
    }
    this.checkLiteral('clusterName', clusterName!, EKS_CLUSTER_NAME, 'be 1-100 letters, digits, hyphens or underscores, starting with a letter or digit');
    this.checkLiteral('clusterEndpoint', clusterEndpoint!, /^https:\/\/[^\s/]+\/?$/, 'be the cluster API endpoint, https://<host>');
    this.checkCertificateAuthorityData(certificateAuthorityData!);
    this.checkLiteral('region', region!, REGION, 'be an AWS region name such as eu-west-1');
    return { clusterName: clusterName!, clusterEndpoint: clusterEndpoint!, certificateAuthorityData: certificateAuthorityData!, region: region! };
  }

  /** With cluster, none of the single app's props; without, the single app's required ones. */
  private checkMode(props: ClusterBootstrapStackProps): void {
    if (props.cluster !== undefined) {
      const singleAppProps = SINGLE_APP_PROPS.filter((prop) => props[prop] !== undefined);
      if (singleAppProps.length > 0) {
        // The values too, so the consumer sees which of their settings to move to addService.
        invalidCombination(
          this,
          `${singleAppProps.join(', ')} describe a single app, but cluster is given: the services of the cluster are bootstrapped from ` +
            `their declarations (cluster.addService); leave these out, got ${describeValue(Object.fromEntries(singleAppProps.map((prop) => [prop, props[prop]])))}`,
        );
      }
    } else {
      for (const prop of ['appName', 'namespace', 'serviceAccountRoleArn'] as const) {
        if (props[prop] === undefined) invalidProp(this, prop, 'be given without cluster (the single app of release 0.1), or give cluster', undefined);
      }
    }
  }

  /** The kubernetes provider, signed in with `aws eks get-token`. */
  private createProvider(access: ClusterAccess): KubernetesProvider {
    return new KubernetesProvider(this, 'Kubernetes', {
      host: access.clusterEndpoint,
      clusterCaCertificate: Fn.base64decode(access.certificateAuthorityData),
      // A short-lived token per Terraform run, from the caller's AWS credentials: nothing to store.
      exec: [
        {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'aws',
          args: ['eks', 'get-token', '--cluster-name', access.clusterName, '--region', this.region, '--output', 'json'],
        },
      ],
    });
  }

  /** The single app's props checked and given their defaults. */
  private resolveSingleApp(single: SingleAppProps): ResolvedSingleApp {
    checkDns1035Label(this, 'appName', single.appName);
    checkDns1123Label(this, 'namespace', single.namespace);
    const serviceAccountName = single.serviceAccountName ?? single.appName;
    checkDns1123Subdomain(this, 'serviceAccountName', serviceAccountName);
    this.checkLiteral('serviceAccountRoleArn', single.serviceAccountRoleArn, IAM_ROLE_ARN, 'be an IAM role ARN (arn:aws:iam::<account>:role/<name>)');
    if (single.targetGroupArn !== undefined) {
      this.checkLiteral(
        'targetGroupArn',
        single.targetGroupArn,
        TARGET_GROUP_ARN,
        'be an ELBv2 target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)',
      );
    }
    const servicePort = single.servicePort ?? DEFAULT_SERVICE_PORT;
    checkPort(this, 'servicePort', servicePort);
    if (single.podReadinessGate !== undefined && single.targetGroupArn === undefined) {
      invalidProp(this, 'podReadinessGate', 'be set only together with targetGroupArn (readiness gates follow target group health)', single.podReadinessGate);
    }
    this.checkSingleAppDataStores(single);
    const hasConnection = single.database !== undefined || single.redis !== undefined;
    const connectionSecretName = single.connectionSecretName ?? defaultConnectionSecretName(single.appName);
    checkDns1123Subdomain(this, 'connectionSecretName', connectionSecretName);
    if (single.connectionSecretName !== undefined && !hasConnection) {
      invalidProp(this, 'connectionSecretName', 'be set only with database or redis (there is nothing to put in the Secret)', single.connectionSecretName);
    }
    const infrastructureConfigMapName = single.infrastructureConfigMapName ?? defaultInfrastructureConfigMapName(single.appName);
    checkDns1123Subdomain(this, 'infrastructureConfigMapName', infrastructureConfigMapName);
    const extraSettings = single.infrastructureSettings ?? {};
    for (const key of Object.keys(extraSettings)) {
      checkConfigKey(this, 'infrastructureSettings', key);
      if (RESERVED_CONFIG_KEYS.includes(key)) {
        invalidProp(this, 'infrastructureSettings', `not use the keys this stack writes (${RESERVED_CONFIG_KEYS.join(', ')})`, key);
      }
    }
    return { serviceAccountName, servicePort, hasConnection, connectionSecretName, infrastructureConfigMapName, extraSettings };
  }

  /** The single app's database and Redis endpoints, and one way to sign in to each. */
  private checkSingleAppDataStores(single: SingleAppProps): void {
    if (single.database) {
      this.checkHost('database.host', single.database.host);
      checkPort(this, 'database.port', single.database.port);
      if (single.database.credentialsSecretArn !== undefined) {
        this.checkLiteral('database.credentialsSecretArn', single.database.credentialsSecretArn, SECRET_ARN, 'be a Secrets Manager secret ARN');
      }
      if (single.database.iamUserName !== undefined) {
        this.checkLiteral('database.iamUserName', single.database.iamUserName, IAM_DATABASE_USER_PATTERN, 'be a PostgreSQL role name: 1-63 lowercase letters, digits or underscores, not starting with a digit');
        this.checkOneSignIn('database', 'credentialsSecretArn', single.database.credentialsSecretArn);
      }
    }
    if (single.redis) {
      this.checkHost('redis.host', single.redis.host);
      checkPort(this, 'redis.port', single.redis.port);
      if (single.redis.authSecretArn !== undefined) {
        this.checkLiteral('redis.authSecretArn', single.redis.authSecretArn, SECRET_ARN, 'be a Secrets Manager secret ARN');
      }
      if (single.redis.iamUserName !== undefined) {
        // The rule RedisHA creates its users by: IAM sign-in needs the user name to equal the ID.
        if (!isToken(single.redis.iamUserName) && !isElastiCacheUserId(single.redis.iamUserName)) {
          invalidProp(this, 'redis.iamUserName', 'be an ElastiCache user ID: lowercase letters, digits or hyphens, starting with a letter, no "--" and no trailing "-"', single.redis.iamUserName);
        }
        this.checkOneSignIn('redis', 'authSecretArn', single.redis.authSecretArn);
      }
    }
  }

  /** The single app's Namespace; returns its name as a reference to the resource. */
  private createSingleAppNamespace(single: SingleAppProps): string {
    const readinessGate = single.targetGroupArn !== undefined && (single.podReadinessGate ?? true);
    const namespace = new NamespaceV1(this, 'Namespace', {
      metadata: {
        name: single.namespace,
        labels: {
          [MANAGED_BY_LABEL]: 'terraform',
          ...POD_SECURITY_LABELS,
          ...(readinessGate ? { [READINESS_GATE_LABEL]: 'enabled' } : {}),
        },
      },
    });
    // References to the namespace resource (not the literal name) order every object after it.
    return namespace.metadata.name;
  }

  /** The single app's ServiceAccount, with its IRSA role. */
  private createSingleAppServiceAccount(single: SingleAppProps, serviceAccountName: string, namespaceName: string, labels: StringMap): void {
    new ServiceAccountV1(this, 'ServiceAccount', {
      metadata: {
        name: serviceAccountName,
        namespace: namespaceName,
        labels,
        annotations: {
          [IRSA_ROLE_ANNOTATION]: single.serviceAccountRoleArn,
          'eks.amazonaws.com/sts-regional-endpoints': 'true',
        },
      },
      // The pods do not call the Kubernetes API; IRSA projects its own token.
      automountServiceAccountToken: false,
    });
  }

  /** The TargetGroupBinding that puts the single app's pods into its target group. */
  private createSingleAppTargetGroupBinding(appName: string, targetGroupArn: string, servicePort: number, namespaceName: string, labels: StringMap): void {
    new Manifest(this, 'TargetGroupBinding', {
      lifecycle: { replaceTriggeredBy: [targetGroupIdentity(this, targetGroupArn)] },
      manifest: {
        apiVersion: 'elbv2.k8s.aws/v1beta1',
        kind: 'TargetGroupBinding',
        metadata: { name: appName, namespace: namespaceName, labels },
        spec: {
          targetGroupARN: targetGroupArn,
          // The ALB's target group registers pod IPs; stating it spares the controller an AWS lookup.
          targetType: 'ip',
          serviceRef: { name: appName, port: servicePort },
          // No `networking`: Terraform owns the security group rules between the ALB and the nodes.
        },
      },
    });
  }

  /** The Secret with the database and Redis endpoints and user names (never a password). */
  private createSingleAppConnectionSecret(single: SingleAppProps, connectionSecretName: string, namespaceName: string, labels: StringMap): void {
    const data: Record<string, string> = {};
    if (single.database) {
      data.DATABASE_HOST = single.database.host;
      data.DATABASE_PORT = portString(single.database.port);
      if (single.database.databaseName !== undefined) data.DATABASE_NAME = single.database.databaseName;
      if (single.database.iamUserName !== undefined) {
        data.DATABASE_USER = single.database.iamUserName;
        data.DATABASE_IAM_AUTH = 'true';
      }
    }
    if (single.redis) {
      data.REDIS_HOST = single.redis.host;
      data.REDIS_PORT = portString(single.redis.port);
      data.REDIS_TLS = String(single.redis.tls ?? true);
      if (single.redis.iamUserName !== undefined) {
        data.REDIS_USER = single.redis.iamUserName;
        data.REDIS_IAM_AUTH = 'true';
      }
    }
    new SecretV1(this, 'ConnectionSecret', {
      metadata: { name: connectionSecretName, namespace: namespaceName, labels },
      type: 'Opaque',
      data,
    });
  }

  /** The ConfigMap with the region, the credentials secrets' ARNs and the infrastructure settings. */
  private createSingleAppConfigMap(single: SingleAppProps, app: ResolvedSingleApp, namespaceName: string, labels: StringMap): void {
    const configData: Record<string, string> = { AWS_REGION: this.region };
    if (single.database?.credentialsSecretArn !== undefined) {
      configData.DATABASE_CREDENTIALS_SECRET_ARN = single.database.credentialsSecretArn;
    }
    if (single.redis?.authSecretArn !== undefined) {
      configData.REDIS_AUTH_SECRET_ARN = single.redis.authSecretArn;
    }
    new ConfigMapV1(this, 'InfrastructureConfigMap', {
      metadata: { name: app.infrastructureConfigMapName, namespace: namespaceName, labels },
      data: { ...app.extraSettings, ...configData },
    });
  }

  private checkLiteral(property: string, value: string, pattern: RegExp, rule: string): void {
    if (isToken(value)) return;
    if (!pattern.test(value)) invalidProp(this, property, rule, value);
  }

  /** IAM sign-in and a credentials secret are two answers to one question; the app could only use one. */
  private checkOneSignIn(store: string, secretProperty: string, secretArn: string | undefined): void {
    if (secretArn !== undefined) {
      invalidCombination(
        this,
        `${store}.iamUserName and ${store}.${secretProperty} are both set; give one: IAM authentication or the credentials secret`,
      );
    }
  }

  private checkHost(property: string, host: string): void {
    this.checkLiteral(property, host, HOST, 'be a host name without scheme or port (for RDS the `address`, not the `endpoint`)');
  }

  private checkCertificateAuthorityData(data: string): void {
    if (isToken(data)) return;
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(data) ? Buffer.from(data, 'base64').toString('utf8') : '';
    if (!decoded.startsWith('-----BEGIN CERTIFICATE-----')) {
      invalidProp(
        this,
        'clusterCertificateAuthorityData',
        'be the base64-encoded PEM certificate EKS returns (certificate_authority[0].data)',
        data.length > 40 ? `${data.slice(0, 40)}...` : data,
      );
    }
  }
}

/**
 * The target group a TargetGroupBinding points at, as a resource of this stack. Its ARN changes
 * when the AWS stack replaces the group, and the binding's `targetGroupARN` is immutable (the
 * controller's webhook denies the update): the binding is replaced with this resource
 * (`replace_triggered_by`), never updated in place, so the pods join the new group.
 */
function targetGroupIdentity(scope: Construct, targetGroupArn: string): string {
  const identity = new DataResource(scope, 'TargetGroupIdentity', { triggersReplace: { targetGroupArn } });
  // The bare address: cdktf renders a resource given here as "${terraform_data.x}", which
  // Terraform rejects in replace_triggered_by ("Expected the start of an expression").
  return `${DataResource.tfResourceType}.${identity.friendlyUniqueId}`;
}

function portString(port: number): string {
  return Token.isUnresolved(port) ? Token.asString(port) : String(port);
}
