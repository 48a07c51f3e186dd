import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { Fn, TerraformOutput, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { invalidCombination, invalidProp } from '../core/private/errors';
import { IAM_DATABASE_USER_PATTERN } from '../postgres-with-backups/private/validation';
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
import {
  checkConfigKey,
  checkDns1035Label,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkPort,
  isToken,
} from './private/workload-validation';

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

/** Properties of a {@link ClusterBootstrapStack}. */
export interface ClusterBootstrapStackProps {
  /** Name of the EKS cluster (used by `aws eks get-token`). */
  readonly clusterName: string;

  /** The cluster's API server endpoint, `https://...`. */
  readonly clusterEndpoint: string;

  /** The cluster's certificate authority data, base64-encoded PEM as EKS returns it. */
  readonly clusterCertificateAuthorityData: string;

  /** The AWS region of the cluster. */
  readonly region: string;

  /** The app name: it must equal the AppWorkloadChart's appName (the Service and labels derive from it). */
  readonly appName: string;

  /** The namespace to create, with the Pod Security Admission `restricted` labels. */
  readonly namespace: string;

  /**
   * Name of the app's ServiceAccount; the IRSA role must trust
   * `system:serviceaccount:<namespace>:<serviceAccountName>`.
   *
   * @default - the appName
   */
  readonly serviceAccountName?: string;

  /**
   * ARN of the app's IAM role, written to the ServiceAccount's `eks.amazonaws.com/role-arn`
   * annotation (a token from the AWS stack is fine: it never enters YAML).
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
   */
  readonly serviceAccountRoleArn: string;

  /**
   * ARN of the ALB's IP target group. When given, a TargetGroupBinding registers the pods
   * behind the app's Service in it (the AWS Load Balancer Controller must be installed).
   *
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/targetgroupbinding/
   * @default - no TargetGroupBinding
   */
  readonly targetGroupArn?: string;

  /**
   * The app Service's port, which the TargetGroupBinding refers to; it must equal the chart's
   * servicePort.
   *
   * @default 80
   */
  readonly servicePort?: number;

  /**
   * Label the namespace so the AWS Load Balancer Controller injects pod readiness gates: a
   * rolling update then waits until new pods are healthy in the target group before old pods
   * go, so a rollout drops no requests. Only with targetGroupArn.
   *
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/
   * @default true
   */
  readonly podReadinessGate?: boolean;

  /**
   * The database endpoint, written to the connection Secret.
   *
   * @default - no database keys
   */
  readonly database?: DatabaseConnectionInfo;

  /**
   * The Redis endpoint, written to the connection Secret.
   *
   * @default - no Redis keys
   */
  readonly redis?: RedisConnectionInfo;

  /**
   * Name of the Secret with the database and Redis endpoints.
   *
   * @default - `<appName>-connection`
   */
  readonly connectionSecretName?: string;

  /**
   * Name of the ConfigMap with AWS_REGION and the Secrets Manager ARNs.
   *
   * @default - `<appName>-infrastructure`
   */
  readonly infrastructureConfigMapName?: string;

  /**
   * Further non-secret values from the AWS stack for the infrastructure ConfigMap (bucket
   * names, queue URLs, ...). Keys must not collide with the keys this stack writes.
   *
   * @default - none
   */
  readonly infrastructureSettings?: { [key: string]: string };
}

const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const IAM_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const TARGET_GROUP_ARN = /^arn:aws(-cn|-us-gov)?:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;
const SECRET_ARN = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const ELASTICACHE_USER = /^[A-Za-z][A-Za-z0-9-]*$/;

/** The keys this stack writes; infrastructureSettings may not reuse them. */
const RESERVED_CONFIG_KEYS = ['AWS_REGION', 'DATABASE_CREDENTIALS_SECRET_ARN', 'REDIS_AUTH_SECRET_ARN'];

/**
 * The in-cluster objects Terraform must own because they carry values from the AWS stack:
 * the app's Namespace, its IRSA ServiceAccount, the TargetGroupBinding that puts its pods
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
 * Construct IDs (frozen): `Kubernetes` (provider), `Namespace`, `ServiceAccount`,
 * `TargetGroupBinding`, `ConnectionSecret`, `InfrastructureConfigMap`; outputs `namespace`,
 * `service_account_name`.
 *
 * @example
 * const bootstrap = new ClusterBootstrapStack(app, 'shop-production-k8s', {
 *   clusterName: cluster.clusterName,
 *   clusterEndpoint: cluster.clusterEndpoint,
 *   clusterCertificateAuthorityData: cluster.clusterCertificateAuthorityData,
 *   region: 'eu-west-1',
 *   appName: 'shop-web',
 *   namespace: 'shop',
 *   serviceAccountRoleArn: cluster.appRoleArn,
 *   targetGroupArn: cluster.targetGroupArn,
 *   database: { host: db.address, port: db.port, databaseName: 'shop', credentialsSecretArn: db.masterSecretArn },
 * });
 */
export class ClusterBootstrapStack extends TerraformStack {
  /** The app name. */
  public readonly appName: string;
  /** The namespace this stack creates. */
  public readonly namespaceName: string;
  /** Name of the ServiceAccount this stack creates. */
  public readonly serviceAccountName: string;
  /** Name of the Secret with the database and Redis endpoints; undefined when there is neither. */
  public readonly connectionSecretName?: string;
  /** Name of the ConfigMap with AWS_REGION and Secrets Manager ARNs. */
  public readonly infrastructureConfigMapName: string;
  /** Name of the TargetGroupBinding; undefined without a target group. */
  public readonly targetGroupBindingName?: string;
  /** The kubernetes provider of this stack. */
  public readonly kubernetesProvider: KubernetesProvider;

  constructor(scope: Construct, id: string, props: ClusterBootstrapStackProps) {
    super(scope, id);

    // ---- Validate everything before any resource exists ----
    this.checkLiteral('clusterName', props.clusterName, EKS_CLUSTER_NAME, 'be 1-100 letters, digits, hyphens or underscores, starting with a letter or digit');
    this.checkLiteral('clusterEndpoint', props.clusterEndpoint, /^https:\/\/[^\s/]+\/?$/, 'be the cluster API endpoint, https://<host>');
    this.checkCertificateAuthorityData(props.clusterCertificateAuthorityData);
    this.checkLiteral('region', props.region, REGION, 'be an AWS region name such as eu-west-1');
    checkDns1035Label(this, 'appName', props.appName);
    checkDns1123Label(this, 'namespace', props.namespace);
    const serviceAccountName = props.serviceAccountName ?? props.appName;
    checkDns1123Subdomain(this, 'serviceAccountName', serviceAccountName);
    this.checkLiteral('serviceAccountRoleArn', props.serviceAccountRoleArn, IAM_ROLE_ARN, 'be an IAM role ARN (arn:aws:iam::<account>:role/<name>)');
    if (props.targetGroupArn !== undefined) {
      this.checkLiteral(
        'targetGroupArn',
        props.targetGroupArn,
        TARGET_GROUP_ARN,
        'be an ELBv2 target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)',
      );
    }
    const servicePort = props.servicePort ?? DEFAULT_SERVICE_PORT;
    checkPort(this, 'servicePort', servicePort);
    if (props.podReadinessGate !== undefined && props.targetGroupArn === undefined) {
      invalidProp(this, 'podReadinessGate', 'be set only together with targetGroupArn (readiness gates follow target group health)', props.podReadinessGate);
    }
    if (props.database) {
      this.checkHost('database.host', props.database.host);
      checkPort(this, 'database.port', props.database.port);
      if (props.database.credentialsSecretArn !== undefined) {
        this.checkLiteral('database.credentialsSecretArn', props.database.credentialsSecretArn, SECRET_ARN, 'be a Secrets Manager secret ARN');
      }
      if (props.database.iamUserName !== undefined) {
        this.checkLiteral('database.iamUserName', props.database.iamUserName, IAM_DATABASE_USER_PATTERN, 'be a PostgreSQL role name: 1-63 lowercase letters, digits or underscores, not starting with a digit');
        this.checkOneSignIn('database', 'credentialsSecretArn', props.database.credentialsSecretArn);
      }
    }
    if (props.redis) {
      this.checkHost('redis.host', props.redis.host);
      checkPort(this, 'redis.port', props.redis.port);
      if (props.redis.authSecretArn !== undefined) {
        this.checkLiteral('redis.authSecretArn', props.redis.authSecretArn, SECRET_ARN, 'be a Secrets Manager secret ARN');
      }
      if (props.redis.iamUserName !== undefined) {
        this.checkLiteral('redis.iamUserName', props.redis.iamUserName, ELASTICACHE_USER, 'be an ElastiCache user name: letters, digits or hyphens, starting with a letter');
        this.checkOneSignIn('redis', 'authSecretArn', props.redis.authSecretArn);
      }
    }
    const hasConnection = props.database !== undefined || props.redis !== undefined;
    const connectionSecretName = props.connectionSecretName ?? defaultConnectionSecretName(props.appName);
    checkDns1123Subdomain(this, 'connectionSecretName', connectionSecretName);
    if (props.connectionSecretName !== undefined && !hasConnection) {
      invalidProp(this, 'connectionSecretName', 'be set only with database or redis (there is nothing to put in the Secret)', props.connectionSecretName);
    }
    const infrastructureConfigMapName = props.infrastructureConfigMapName ?? defaultInfrastructureConfigMapName(props.appName);
    checkDns1123Subdomain(this, 'infrastructureConfigMapName', infrastructureConfigMapName);
    const extraSettings = props.infrastructureSettings ?? {};
    for (const key of Object.keys(extraSettings)) {
      checkConfigKey(this, 'infrastructureSettings', key);
      if (RESERVED_CONFIG_KEYS.includes(key)) {
        invalidProp(this, 'infrastructureSettings', `not use the keys this stack writes (${RESERVED_CONFIG_KEYS.join(', ')})`, key);
      }
    }

    // ---- Provider ----
    this.kubernetesProvider = new KubernetesProvider(this, 'Kubernetes', {
      host: props.clusterEndpoint,
      clusterCaCertificate: Fn.base64decode(props.clusterCertificateAuthorityData),
      // A short-lived token per Terraform run, from the caller's AWS credentials: nothing to store.
      exec: [
        {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'aws',
          args: ['eks', 'get-token', '--cluster-name', props.clusterName, '--region', props.region, '--output', 'json'],
        },
      ],
    });

    // ---- Objects ----
    this.appName = props.appName;
    this.serviceAccountName = serviceAccountName;
    this.infrastructureConfigMapName = infrastructureConfigMapName;
    const labels = { [APP_NAME_LABEL]: props.appName, [MANAGED_BY_LABEL]: 'terraform' };

    const readinessGate = props.targetGroupArn !== undefined && (props.podReadinessGate ?? true);
    const namespace = new NamespaceV1(this, 'Namespace', {
      metadata: {
        name: props.namespace,
        labels: {
          [MANAGED_BY_LABEL]: 'terraform',
          ...POD_SECURITY_LABELS,
          ...(readinessGate ? { [READINESS_GATE_LABEL]: 'enabled' } : {}),
        },
      },
    });
    // References to the namespace resource (not the literal name) order every object after it.
    const namespaceName = namespace.metadata.name;
    this.namespaceName = props.namespace;

    new ServiceAccountV1(this, 'ServiceAccount', {
      metadata: {
        name: serviceAccountName,
        namespace: namespaceName,
        labels,
        annotations: {
          [IRSA_ROLE_ANNOTATION]: props.serviceAccountRoleArn,
          'eks.amazonaws.com/sts-regional-endpoints': 'true',
        },
      },
      // The pods do not call the Kubernetes API; IRSA projects its own token.
      automountServiceAccountToken: false,
    });

    if (props.targetGroupArn !== undefined) {
      this.targetGroupBindingName = props.appName;
      new Manifest(this, 'TargetGroupBinding', {
        manifest: {
          apiVersion: 'elbv2.k8s.aws/v1beta1',
          kind: 'TargetGroupBinding',
          metadata: { name: props.appName, namespace: namespaceName, labels },
          spec: {
            targetGroupARN: props.targetGroupArn,
            // The ALB's target group registers pod IPs; stating it spares the controller an AWS lookup.
            targetType: 'ip',
            serviceRef: { name: props.appName, port: servicePort },
            // No `networking`: Terraform owns the security group rules between the ALB and the nodes.
          },
        },
      });
    }

    if (hasConnection) {
      this.connectionSecretName = connectionSecretName;
      const data: Record<string, string> = {};
      if (props.database) {
        data.DATABASE_HOST = props.database.host;
        data.DATABASE_PORT = portString(props.database.port);
        if (props.database.databaseName !== undefined) data.DATABASE_NAME = props.database.databaseName;
        if (props.database.iamUserName !== undefined) {
          data.DATABASE_USER = props.database.iamUserName;
          data.DATABASE_IAM_AUTH = 'true';
        }
      }
      if (props.redis) {
        data.REDIS_HOST = props.redis.host;
        data.REDIS_PORT = portString(props.redis.port);
        data.REDIS_TLS = String(props.redis.tls ?? true);
        if (props.redis.iamUserName !== undefined) {
          data.REDIS_USER = props.redis.iamUserName;
          data.REDIS_IAM_AUTH = 'true';
        }
      }
      new SecretV1(this, 'ConnectionSecret', {
        metadata: { name: connectionSecretName, namespace: namespaceName, labels },
        type: 'Opaque',
        data,
      });
    }

    const configData: Record<string, string> = { AWS_REGION: props.region };
    if (props.database?.credentialsSecretArn !== undefined) {
      configData.DATABASE_CREDENTIALS_SECRET_ARN = props.database.credentialsSecretArn;
    }
    if (props.redis?.authSecretArn !== undefined) {
      configData.REDIS_AUTH_SECRET_ARN = props.redis.authSecretArn;
    }
    new ConfigMapV1(this, 'InfrastructureConfigMap', {
      metadata: { name: infrastructureConfigMapName, namespace: namespaceName, labels },
      data: { ...extraSettings, ...configData },
    });

    // ---- Outputs for the pipeline that applies the YAML next ----
    new TerraformOutput(this, 'namespace', {
      description: 'Namespace of the app, created with Pod Security Admission "restricted"',
      value: namespaceName,
    });
    new TerraformOutput(this, 'service_account_name', {
      description: 'ServiceAccount of the app, annotated with its IAM role (IRSA)',
      value: serviceAccountName,
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

function portString(port: number): string {
  return Token.isUnresolved(port) ? Token.asString(port) : String(port);
}
