import { createHash } from 'crypto';
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
// The generated Kubernetes API classes only: the cdk8s-plus-27 index loads its L2 classes too (about 30 ms).
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import { reportFinding } from '../checks/report';
import { K8S_NO_AWS_API_EGRESS } from '../checks/rules/constructs/k8s-no-aws-api-egress';
import { K8S_NO_INGRESS_SOURCE } from '../checks/rules/constructs/k8s-no-ingress-source';
import { K8S_NO_PRESTOP_SLEEP } from '../checks/rules/constructs/k8s-no-prestop-sleep';
import { K8S_NO_RATE_LIMIT } from '../checks/rules/constructs/k8s-no-rate-limit';
import { K8S_PDB_NO_PROTECTION } from '../checks/rules/constructs/k8s-pdb-no-protection';
import { K8S_SAME_PROBE_PATH } from '../checks/rules/constructs/k8s-same-probe-path';
import { K8S_TOKEN_AUTOMOUNT } from '../checks/rules/constructs/k8s-token-automount';
import { EnvironmentTier } from '../core/environment';
import { IAM_ROLE_ARN_PATTERN as IAM_ROLE_ARN } from '../core/private/aws-patterns';
import { checkIpv4Cidrs } from '../core/private/cidr-checks';
import { checkIntegerInRange, checkPort, constructLabel, invalidCombination, invalidProp, ValidationError } from '../core/private/errors';
import { checkConfigKey, checkHostName, checkImageReference, checkNoTerraformTokens } from '../core/private/kubernetes-checks';
import { checkDns1035Label, checkDns1123Label, checkDns1123Subdomain } from '../core/private/kubernetes-names';
import type { IMonitoredWorkload } from '../monitoring-stack/monitoring-chart';
import {
  APP_NAME_LABEL,
  DEFAULT_SERVICE_PORT,
  IRSA_ROLE_ANNOTATION,
  MANAGED_BY_LABEL,
  MIGRATION_LABEL,
  MIGRATION_OF_LABEL,
  POD_SECURITY_LABELS,
  settingsConfigMapName,
} from './private/workload-contract';
import { parseQuantity } from './private/workload-quantity';
import {
  checkConnectionBudget,
  checkDrainCoversDeregistration,
  DEFAULT_DATABASE_CONNECTIONS_PER_POD,
  deriveFromService,
  POD_IDENTITY_AGENT_CIDR,
  POD_IDENTITY_AGENT_PORT,
  ServiceDerivedProps,
} from './private/workload-service';
import type { AppService } from './service';
import { AppWorkloadChartProps } from './workload-chart-props';

// The props live in a file of their own; this module still exports them.
export { AppWorkloadChartProps } from './workload-chart-props';


/**
 * An HTTP GET probe on the app's container port.
 *
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export interface HttpProbeOptions {
  /**
   * The path to GET; any status from 200 to 399 counts as success.
   *
   * @default - "/health" for liveness, "/ready" for readiness
   */
  readonly path?: string;

  /**
   * Seconds after the container starts before the first probe.
   *
   * @default - 10 for liveness, 5 for readiness
   */
  readonly initialDelaySeconds?: number;

  /**
   * Seconds between probes.
   *
   * @default - 10 for liveness, 5 for readiness
   */
  readonly periodSeconds?: number;

  /**
   * Seconds after which a probe counts as failed.
   *
   * @default - 3 for liveness, 2 for readiness
   */
  readonly timeoutSeconds?: number;

  /**
   * Consecutive failures after which the container is restarted (liveness) or taken out of
   * the Service (readiness).
   *
   * @default 3
   */
  readonly failureThreshold?: number;
}

/**
 * An optional Ingress in front of the Service, for an in-cluster ingress controller
 * (ingress-nginx) with TLS certificates from cert-manager.
 *
 * The library's main entry point is the Terraform-owned ALB, which reaches the pods through
 * the bootstrap stack's TargetGroupBinding; use an Ingress instead or in addition when an
 * ingress controller fronts the app.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 */
export interface WorkloadIngressOptions {
  /** The host name the Ingress serves, e.g. `shop.example.com`. */
  readonly host: string;

  /** The cert-manager ClusterIssuer that issues the TLS certificate, e.g. `letsencrypt-production`. */
  readonly clusterIssuer: string;

  /**
   * The ingress class (the `spec.ingressClassName`).
   *
   * @default "nginx"
   */
  readonly ingressClassName?: string;

  /**
   * Name of the Secret cert-manager writes the certificate to.
   *
   * @default - `<appName>-tls`
   */
  readonly tlsSecretName?: string;

  /**
   * Namespace of the ingress controller pods; the NetworkPolicy admits traffic to the app
   * port from this namespace.
   *
   * @default "ingress-nginx"
   */
  readonly controllerNamespace?: string;

  /**
   * Requests per second each client IP may send (ingress-nginx `limit-rps`; bursts up to 5
   * times this are queued). 0 turns the limit off, which records a warning.
   *
   * @default 20
   */
  readonly rateLimitRequestsPerSecond?: number;
}


/**
 * A service's schema migration: a Job with the Deployment's hardening, identity, settings and
 * Secrets, and the same egress as its pods.
 *
 * It runs as the service's own identity and database user; a service granted a database with
 * `connectTo(db, { migrationUser })` runs its migrations as their own identity
 * (`service.migrationService`: service account, IAM role) and signs in as that user, which owns
 * the schema objects and holds the DDL rights the service's user lacks.
 *
 * Migrations are not rolled back with the workload: write them expand/contract (add columns and
 * tables the old release ignores; drop them a release later), so the previous release still runs
 * against the migrated schema.
 */
export interface WorkloadMigrationOptions {
  /** The command that migrates, e.g. `['npm', 'run', 'migrate']` or `['/app/migrate', 'up']`. */
  readonly command: string[];

  /**
   * Arguments to the command.
   *
   * @default - none
   */
  readonly args?: string[];

  /**
   * The image that runs the migration, pinned like the workload's.
   *
   * @default - the workload's image
   */
  readonly image?: string;

  /**
   * How long the migration may run, all attempts together (the Job's `activeDeadlineSeconds`);
   * the deploy script waits as long. At most 3600: longer would exceed the deploy job's deadline.
   *
   * @default 600
   */
  readonly timeoutSeconds?: number;

  /**
   * Further attempts after a failed one (the Job's `backoffLimit`), within the timeout. A failed
   * migration usually fails again the same way, and the deploy stops and prints its logs.
   *
   * @default 0
   */
  readonly retries?: number;
}

/** The longest migration the deploy pipeline waits for: the deploy job's own deadline is 90 minutes. */
const MAX_MIGRATION_TIMEOUT_SECONDS = 3600;
const DEFAULT_MIGRATION_TIMEOUT_SECONDS = 600;

interface ResolvedProbe {
  readonly path: string;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

const LIVENESS_DEFAULTS: ResolvedProbe = {
  path: '/health',
  initialDelaySeconds: 10,
  periodSeconds: 10,
  timeoutSeconds: 3,
  failureThreshold: 3,
};

const READINESS_DEFAULTS: ResolvedProbe = {
  path: '/ready',
  initialDelaySeconds: 5,
  periodSeconds: 5,
  timeoutSeconds: 2,
  failureThreshold: 3,
};

const STARTUP_PROBE_PERIOD_SECONDS = 5;
/**
 * Setting names that say they hold a credential, in SNAKE_CASE, dotted, dashed or camelCase
 * (`DB_PASSWORD`, `db.password`, `dbPassword`), unless a suffix says it is about the secret,
 * not the secret itself (`REDIS_AUTH_SECRET_ARN`, `TOKEN_TTL_SECONDS`, `PASSWORD_MIN_LENGTH`).
 */
function looksLikeSecretSetting(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[_.-]+/)
    .filter((w) => w.length > 0);
  const secret = /^(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|APIKEY|CREDENTIAL|CREDENTIALS)$/;
  const pairs = ['API KEY', 'PRIVATE KEY', 'ACCESS KEY', 'SECRET KEY', 'CLIENT SECRET'];
  const hit =
    words.some((w) => secret.test(w)) || words.slice(1).some((w, i) => pairs.includes(`${words[i]} ${w}`));
  const about = /^(ARN|NAME|ID|URL|URI|TTL|SECONDS|MINUTES|LENGTH|FILE|PATH|ENDPOINT|HEADER|ENABLED|TYPE)$/;
  return hit && !about.test(words[words.length - 1]);
}
const TMP_VOLUME = 'tmp';
const PORT_NAME = 'http';
const METRICS_PORT_NAME = 'metrics';

/** The props the chart works from: its own, or the service's with its own. */
type WorkloadProps = AppWorkloadChartProps & { readonly appName: string; readonly namespace: string };

/** A migration after defaults, checked. */
type ResolvedMigration = Required<Omit<WorkloadMigrationOptions, 'args'>> & { args?: string[] };

/** Requests and limits after defaults, checked. */
interface ResolvedResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
  readonly ephemeralStorageRequest: string;
  readonly ephemeralStorageLimit: string;
  readonly storageLimitBytes: number;
  readonly cpuLimitOverRequest: number;
  readonly memoryLimitOverRequest: number;
}

/** The autoscaler's settings after defaults, checked. */
interface ResolvedScaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  readonly scaleUpWindow: number;
  readonly scaleDownWindow: number;
}

/** The disruption budget: one of the two is set. */
interface ResolvedBudget {
  readonly minAvailable?: number;
  readonly maxUnavailable?: number;
}

/** Every prop of the chart after defaults, validated before any object exists. */
interface ResolvedWorkload {
  readonly containerPort: number;
  readonly servicePort: number;
  readonly metricsPort?: number;
  readonly metricsNamespaces: string[];
  readonly settings: { [key: string]: string };
  readonly secretNames: string[];
  readonly configMapNames: string[];
  readonly resources: ResolvedResources;
  readonly tmpSizeLimit: string;
  readonly liveness: ResolvedProbe;
  readonly readiness: ResolvedProbe;
  readonly startupTimeoutSeconds: number;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly preStopSleepSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  readonly manageNamespace: boolean;
  readonly manageServiceAccount: boolean;
  readonly serviceAccountName: string;
  readonly automountToken: boolean;
  readonly scaling: ResolvedScaling;
  readonly budget: ResolvedBudget;
  readonly loadBalancerCidrs: string[];
  readonly allowedNamespaces: string[];
  readonly dataStoreCidrs: string[];
  readonly dataStorePorts: number[];
  readonly httpsEgressCidrs: string[];
  readonly migration?: ResolvedMigration;
}

/** What the Deployment's pods and the migration Job's share: they run the same code under the same constraints. */
interface PodParts {
  readonly podSecurityContext: k8s.PodSecurityContext;
  readonly containerSecurityContext: k8s.SecurityContext;
  readonly envFrom: k8s.EnvFromSource[];
  readonly containerResources: k8s.ResourceRequirements;
  readonly tmpVolume: k8s.Volume;
}

/** The egress rules of the app's pods. */
interface EgressRules {
  readonly dns: k8s.NetworkPolicyEgressRule[];
  readonly dataStores: k8s.NetworkPolicyEgressRule[];
  readonly credentials: k8s.NetworkPolicyEgressRule[];
  readonly https: k8s.NetworkPolicyEgressRule[];
}

/**
 * The app's Kubernetes workload, as the production deployment guides run it, emitted as YAML
 * with cdk8s (GA APIs only: v1, apps/v1, autoscaling/v2, networking.k8s.io/v1, policy/v1).
 *
 * - Namespace with Pod Security Admission `restricted` (unless a bootstrap stack owns it).
 * - ConfigMap of non-secret settings; Secrets only by name (`envFrom`), never values.
 * - Deployment: rolling update with maxSurge 1 / maxUnavailable 0, distinct liveness and
 *   readiness probes, CPU, memory and ephemeral storage requests and limits, non-root numeric
 *   UID, read-only root filesystem with an emptyDir at /tmp, no privilege escalation, all
 *   capabilities dropped, seccomp RuntimeDefault, spread over zones and hosts (tainted nodes of a
 *   failed zone left out of the count), its own ServiceAccount (with the IRSA role annotation
 *   when given `serviceAccountRoleArn`) and no API token
 *   mounted.
 * - Graceful termination behind a load balancer: a preStop sleep (15 s) holds SIGTERM back until
 *   the load balancer has stopped routing to the pod, inside a grace period of sleep + 30 s.
 * - ClusterIP Service, optional TLS Ingress, HorizontalPodAutoscaler (3-20 replicas, CPU 70%,
 *   memory 80%, stabilized scale-up and scale-down), PodDisruptionBudget.
 * - NetworkPolicies: deny everything in the namespace, then admit the app port from the load
 *   balancer CIDRs and the ingress controller, and egress to DNS, the data stores and HTTPS.
 *
 * Bad input and inconsistent settings (HPA minimum in production, a disruption budget that
 * blocks drains, requests above limits, a grace period not longer than the preStop sleep,
 * identical probes, unpinned images, invalid names, a Terraform token anywhere) throw at
 * construction, naming the chart path and property.
 * Legal but risky choices are reported as findings with a stable ID (`[GW-K8S-...]`) to the
 * check pack, kept in the construct metadata; the cdk8s CLI does not print them, the pack does:
 * `Checks.of(manifests).add(new GroundworkPack())`.
 *
 * The Deployment has no `replicas`: the autoscaler owns the count (a fixed count would be reset
 * on every apply). A new Deployment starts with one pod until the autoscaler raises it to
 * `minReplicas`, within seconds.
 *
 * Object ownership when used with a {@link ClusterBootstrapStack}: the bootstrap stack
 * (Terraform) creates the Namespace, the ServiceAccount, the TargetGroupBinding and the
 * connection Secret / infrastructure ConfigMap; the chart (YAML) creates everything else. Set
 * `manageNamespace: false` and `manageServiceAccount: false` then.
 *
 * Construct IDs (frozen): `Namespace`, `Settings`, `ServiceAccount`, `Resource` (the
 * Deployment), `Service`, `Ingress`, `Autoscaler`, `DisruptionBudget`, `DefaultDenyPolicy`,
 * `IngressPolicy`, `MetricsPolicy`, `DnsEgressPolicy`, `DataStoreEgressPolicy`, `CredentialsEgressPolicy`,
 * `HttpsEgressPolicy`.
 *
 * @example
 * const k8sApp = new cdk8s.App({ outdir: 'cdktf.out/manifests' });
 * new AppWorkloadChart(k8sApp, 'shop-web', {
 *   appName: 'shop-web',
 *   namespace: 'shop',
 *   environment: EnvironmentTier.PRODUCTION,
 *   image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-web:1.4.2',
 * });
 * k8sApp.synth(); // cdktf.out/manifests/shop-web.k8s.yaml
 */
export class AppWorkloadChart extends Chart implements IMonitoredWorkload {
  /** The app name. */
  public readonly appName: string;
  /** The namespace the app's objects live in. */
  public readonly namespaceName: string;
  /** Name of the app's ServiceAccount (emitted here or by a bootstrap stack). */
  public readonly serviceAccountName: string;
  /** Name of the Deployment. */
  public readonly deploymentName: string;
  /** Name of the ClusterIP Service. */
  public readonly serviceName: string;
  /** The Service port. */
  public readonly servicePort: number;
  /** The container port. */
  public readonly containerPort: number;
  /** The metrics port, when the app serves metrics on a port of its own. */
  public readonly metricsPort?: number;
  /** Name of the Service port that serves the metrics: `metrics`, or `http` without metricsPort. */
  public readonly metricsPortName: string;
  /**
   * The namespaces whose pods this chart's NetworkPolicies admit to the metrics port:
   * `metricsNamespaces` with a metricsPort; without one, the namespaces admitted to the app
   * port (`allowedIngressNamespaces`, and the ingress controller's with `ingress`). A
   * MonitoringChart given this chart as its `workload` fails synth unless its Prometheus
   * namespace is among them. Undefined (not checked) when metrics share the app port and that
   * port also admits CIDR blocks that may hold pods: `loadBalancerSourceCidrs` given by hand,
   * or an internal load balancer's subnets, which the pods share.
   */
  public readonly metricsScraperNamespaces?: string[];
  /** Name of the ConfigMap of settings. */
  public readonly settingsConfigMapName: string;
  /** The labels that select the app's pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The autoscaler's minimum replicas, after defaults. */
  public readonly minReplicas: number;
  /** The autoscaler's maximum replicas, after defaults. */
  public readonly maxReplicas: number;
  /** The Deployment, for escape hatches (`addJsonPatch`). */
  public readonly deployment: ApiObject;
  /**
   * Name of this release's migration Job (`<app>-migrate-<hash of image, command and args>`);
   * undefined without `migration`.
   */
  public readonly migrationJobName?: string;
  /** How long the deploy pipeline waits for the migration Job; undefined without `migration`. */
  public readonly migrationTimeoutSeconds?: number;
  /**
   * The path the deploy pipeline checks through the Service after a rollout: the service's
   * load balancer health check path, or the liveness probe's without a service.
   */
  public readonly healthCheckPath: string;
  /**
   * Objects the bootstrap stack (Terraform) writes and the pods read at start, as
   * `<kind>/<name>` (`secret/shop-web-connection`): when one changes, the deploy pipeline
   * restarts the Deployment. Empty without a service.
   */
  public readonly terraformConfigObjects: string[];

  constructor(scope: Construct, id: string, input: AppWorkloadChartProps) {
    super(scope, id, { disableResourceNameHashes: true });

    // ---- Validate everything before any object exists ----
    const { service, ...ownProps } = input;
    const { props, derived } = this.resolveInput(service, ownProps);
    const resolved = this.resolveProps(props, service);

    // ---- Resolved attributes ----
    const appName = props.appName;
    this.appName = appName;
    this.namespaceName = props.namespace;
    this.serviceAccountName = resolved.serviceAccountName;
    this.deploymentName = appName;
    this.serviceName = appName;
    this.servicePort = resolved.servicePort;
    this.containerPort = resolved.containerPort;
    this.metricsPort = resolved.metricsPort;
    this.metricsPortName = resolved.metricsPort === undefined ? PORT_NAME : METRICS_PORT_NAME;
    this.metricsScraperNamespaces = this.resolveMetricsScraperNamespaces(props, resolved, service, ownProps.loadBalancerSourceCidrs);
    this.settingsConfigMapName = settingsConfigMapName(appName);
    this.selectorLabels = { [APP_NAME_LABEL]: appName };
    this.minReplicas = resolved.scaling.minReplicas;
    this.healthCheckPath = service?.healthCheckPath ?? resolved.liveness.path;
    this.terraformConfigObjects = service === undefined ? [] : [`configmap/${service.infrastructureConfigMapName}`];
    if (service !== undefined) this.followConnectionSecret(service);
    this.maxReplicas = resolved.scaling.maxReplicas;

    // ---- The objects ----
    this.createNamespaceSettingsAndIdentity(props, resolved);
    const pod = podParts(resolved, this.settingsConfigMapName);
    this.deployment = this.createDeployment(props, resolved, pod);
    this.createServiceAndIngress(props, resolved);
    this.createScaling(resolved);
    const egress = egressRules(resolved, derived);
    this.createIngressPolicies(props, resolved);
    this.createEgressPolicies(props, resolved, derived, egress);
    if (resolved.migration !== undefined) {
      const jobName = migrationJobName(appName, resolved.migration);
      this.migrationJobName = jobName;
      this.migrationTimeoutSeconds = resolved.migration.timeoutSeconds;
      this.createMigration(jobName, resolved.migration, service, resolved, pod, egress);
    }

    if (service !== undefined && derived !== undefined) this.checkNoLaterGrants(service, derived);
  }

  /** The chart's own props checked against the service's, and the props the chart works from. */
  private resolveInput(service: AppService | undefined, ownProps: Omit<AppWorkloadChartProps, 'service'>): { props: WorkloadProps; derived?: ServiceDerivedProps } {
    checkNoTerraformTokens(this, '', ownProps);
    checkIntegerInRange(this, 'databaseConnectionsPerPod', ownProps.databaseConnectionsPerPod, 1, 10000);
    if (service === undefined) {
      for (const required of ['appName', 'namespace'] as const) {
        if (ownProps[required] === undefined) invalidProp(this, required, 'be given, or come from service', undefined);
      }
      if (ownProps.databaseConnectionsPerPod !== undefined) {
        invalidProp(this, 'databaseConnectionsPerPod', 'be set only with service (it is checked against the databases the service was granted)', ownProps.databaseConnectionsPerPod);
      }
    }
    const derived = service === undefined ? undefined : deriveFromService(this, service, ownProps);
    const props = derived?.props ?? (ownProps as AppWorkloadChartProps & { appName: string; namespace: string });
    return { props, derived };
  }

  /** Every prop checked and given its default, in the order of the errors. */
  private resolveProps(props: WorkloadProps, service: AppService | undefined): ResolvedWorkload {
    const environment = props.environment;
    if (!Object.values(EnvironmentTier).includes(environment)) {
      invalidProp(this, 'environment', `be one of ${Object.values(EnvironmentTier).join(', ')}`, environment);
    }
    checkDns1035Label(this, 'appName', props.appName);
    checkDns1123Label(this, 'namespace', props.namespace);
    checkImageReference(this, 'image', props.image);
    const ports = this.resolvePorts(props);
    const env = this.resolveEnvironment(props);

    const resources = this.validateResources(props);
    const tmpSizeLimit = props.tmpVolumeSizeLimit ?? '256Mi';
    const tmpSizeBytes = this.checkQuantity('tmpVolumeSizeLimit', tmpSizeLimit, 'such as 256Mi or 1Gi');
    if (tmpSizeBytes > resources.storageLimitBytes) {
      invalidCombination(
        this,
        `tmpVolumeSizeLimit (${tmpSizeLimit}) must not exceed ephemeralStorageLimit (${resources.ephemeralStorageLimit}): ` +
          '/tmp counts against the ephemeral storage limit, so the pod would be evicted before /tmp reached its size',
      );
    }
    const [liveness, readiness] = this.validateProbes(props.livenessProbe, props.readinessProbe);
    const startupTimeoutSeconds = props.startupTimeoutSeconds ?? 120;
    // At most 100 failures of a 5 s probe: Kubernetes allows more, but a start longer than
    // ~8 minutes is a design problem, not a probe setting.
    checkIntegerInRange(this, 'startupTimeoutSeconds', startupTimeoutSeconds, 0, 100 * STARTUP_PROBE_PERIOD_SECONDS);

    const lifecycle = this.resolvePodLifecycle(props);
    if (service !== undefined) checkDrainCoversDeregistration(this, service, lifecycle.preStopSleepSeconds, lifecycle.terminationGracePeriodSeconds);
    const identity = this.resolveIdentity(props);

    const scaling = this.validateScaling(props, environment, resources);
    const budget = this.validateDisruptionBudget(props, scaling.minReplicas, scaling.maxReplicas);
    if (service !== undefined) {
      checkConnectionBudget(this, service, scaling.maxReplicas, props.databaseConnectionsPerPod ?? DEFAULT_DATABASE_CONNECTIONS_PER_POD);
    }

    const network = this.resolveNetwork(props);
    const migration = props.migration === undefined ? undefined : this.validateMigration(props.migration, props.image);
    return {
      ...ports,
      ...env,
      resources,
      tmpSizeLimit,
      liveness,
      readiness,
      startupTimeoutSeconds,
      ...lifecycle,
      ...identity,
      scaling,
      budget,
      ...network,
      migration,
    };
  }

  private resolvePorts(props: WorkloadProps): Pick<ResolvedWorkload, 'containerPort' | 'servicePort' | 'metricsPort' | 'metricsNamespaces'> {
    const containerPort = props.containerPort ?? 8080;
    const servicePort = props.servicePort ?? DEFAULT_SERVICE_PORT;
    checkPort(this, 'containerPort', containerPort);
    checkPort(this, 'servicePort', servicePort);
    const metricsPort = props.metricsPort;
    if (metricsPort !== undefined) {
      checkPort(this, 'metricsPort', metricsPort);
      if (metricsPort === containerPort) {
        invalidProp(this, 'metricsPort', `differ from containerPort ${containerPort} (the load balancer forwards to containerPort; leave metricsPort unset to share it)`, metricsPort);
      }
    }
    if (props.metricsNamespaces !== undefined && metricsPort === undefined) {
      invalidProp(this, 'metricsNamespaces', 'be set only with metricsPort (without it, allowedIngressNamespaces admits scrapers to the app port)', props.metricsNamespaces);
    }
    const metricsNamespaces = props.metricsNamespaces ?? ['monitoring'];
    metricsNamespaces.forEach((ns, i) => checkDns1123Label(this, `metricsNamespaces[${i}]`, ns));
    return { containerPort, servicePort, metricsPort, metricsNamespaces };
  }

  /** The container's environment: the settings (never a secret) and the Secrets and ConfigMaps it reads. */
  private resolveEnvironment(props: WorkloadProps): Pick<ResolvedWorkload, 'settings' | 'secretNames' | 'configMapNames'> {
    const settings = props.settings ?? {};
    for (const key of Object.keys(settings)) checkConfigKey(this, 'settings', key);
    const nonSecret = props.nonSecretSettings ?? [];
    for (const key of Object.keys(settings)) {
      if (looksLikeSecretSetting(key) && !nonSecret.includes(key)) {
        // The value is never echoed: it may be the very credential.
        invalidProp(
          this,
          `settings.${key}`,
          'not hold a secret: a ConfigMap is readable by whoever reads the namespace and lands in the YAML in plain text. Put it in a Secret ' +
            '(envFromSecretNames), or list the key in nonSecretSettings when it holds none',
          '(value not shown)',
        );
      }
    }
    nonSecret.forEach((key, i) => {
      if (!(key in settings)) invalidProp(this, `nonSecretSettings[${i}]`, 'name a key of settings', key);
    });
    const secretNames = props.envFromSecretNames ?? [];
    secretNames.forEach((name, i) => checkDns1123Subdomain(this, `envFromSecretNames[${i}]`, name));
    const configMapNames = props.envFromConfigMapNames ?? [];
    configMapNames.forEach((name, i) => checkDns1123Subdomain(this, `envFromConfigMapNames[${i}]`, name));
    return { settings, secretNames, configMapNames };
  }

  /** The pods' user and group, and how they stop: the preStop sleep inside the grace period. */
  private resolvePodLifecycle(
    props: WorkloadProps,
  ): Pick<ResolvedWorkload, 'runAsUser' | 'runAsGroup' | 'preStopSleepSeconds' | 'terminationGracePeriodSeconds'> {
    const runAsUser = props.runAsUser ?? 10001;
    const runAsGroup = props.runAsGroup ?? 10001;
    checkIntegerInRange(this, 'runAsUser', runAsUser, 1, 2147483647);
    checkIntegerInRange(this, 'runAsGroup', runAsGroup, 1, 2147483647);
    const preStopSleepSeconds = props.preStopSleepSeconds ?? 15;
    checkIntegerInRange(this, 'preStopSleepSeconds', preStopSleepSeconds, 0, 3600);
    const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? preStopSleepSeconds + 30;
    checkIntegerInRange(this, 'terminationGracePeriodSeconds', terminationGracePeriodSeconds, 1, 3600);
    if (terminationGracePeriodSeconds <= preStopSleepSeconds) {
      invalidCombination(
        this,
        `terminationGracePeriodSeconds (${terminationGracePeriodSeconds}) must be greater than preStopSleepSeconds ` +
          `(${preStopSleepSeconds}): the grace period includes the preStop sleep, so the app would be killed before it ` +
          'could drain; allow the sleep plus the app\'s shutdown time',
      );
    }
    return { runAsUser, runAsGroup, preStopSleepSeconds, terminationGracePeriodSeconds };
  }

  /** Who owns the namespace and the service account, and the account's IRSA role and token. */
  private resolveIdentity(
    props: WorkloadProps,
  ): Pick<ResolvedWorkload, 'manageNamespace' | 'manageServiceAccount' | 'serviceAccountName' | 'automountToken'> {
    const manageNamespace = props.manageNamespace ?? true;
    const manageServiceAccount = props.manageServiceAccount ?? true;
    const serviceAccountName = props.serviceAccountName ?? props.appName;
    checkDns1123Subdomain(this, 'serviceAccountName', serviceAccountName);
    if (props.serviceAccountRoleArn !== undefined) {
      if (!manageServiceAccount) {
        invalidCombination(
          this,
          'serviceAccountRoleArn is set but manageServiceAccount is false: the ServiceAccount (and its IRSA annotation) ' +
            'belongs to the bootstrap stack then; give the role ARN to the ClusterBootstrapStack instead',
        );
      }
      if (!IAM_ROLE_ARN.test(props.serviceAccountRoleArn)) {
        invalidProp(this, 'serviceAccountRoleArn', 'be an IAM role ARN (arn:aws:iam::<account>:role/<name>)', props.serviceAccountRoleArn);
      }
    }
    const automountToken = props.automountServiceAccountToken ?? false;
    return { manageNamespace, manageServiceAccount, serviceAccountName, automountToken };
  }

  /** Where traffic may come from and go to. */
  private resolveNetwork(
    props: WorkloadProps,
  ): Pick<ResolvedWorkload, 'loadBalancerCidrs' | 'allowedNamespaces' | 'dataStoreCidrs' | 'dataStorePorts' | 'httpsEgressCidrs'> {
    if (props.ingress) this.validateIngress(props.ingress);
    const loadBalancerCidrs = props.loadBalancerSourceCidrs ?? [];
    checkIpv4Cidrs(this, 'loadBalancerSourceCidrs', loadBalancerCidrs);
    const allowedNamespaces = props.allowedIngressNamespaces ?? [];
    allowedNamespaces.forEach((ns, i) => checkDns1123Label(this, `allowedIngressNamespaces[${i}]`, ns));
    const dataStoreCidrs = props.dataStoreCidrs ?? [];
    checkIpv4Cidrs(this, 'dataStoreCidrs', dataStoreCidrs);
    const dataStorePorts = props.dataStorePorts ?? [5432, 6379];
    dataStorePorts.forEach((port, i) => checkPort(this, `dataStorePorts[${i}]`, port));
    if (dataStoreCidrs.length > 0 && dataStorePorts.length === 0) {
      invalidProp(this, 'dataStorePorts', 'list at least one port when dataStoreCidrs is set', dataStorePorts);
    }
    const httpsEgressCidrs = props.httpsEgressCidrs ?? [];
    checkIpv4Cidrs(this, 'httpsEgressCidrs', httpsEgressCidrs);
    return { loadBalancerCidrs, allowedNamespaces, dataStoreCidrs, dataStorePorts, httpsEgressCidrs };
  }

  /** Adds the connection Secret to terraformConfigObjects once the service is granted a data store, before or after this chart. */
  private followConnectionSecret(service: AppService): void {
    const secret = `secret/${service.connectionSecretName}`;
    service._onConnection(() => {
      if (!this.terraformConfigObjects.includes(secret)) this.terraformConfigObjects.push(secret);
    });
  }

  /** An object's metadata: its name, the app's namespace and labels, and `extra` labels. */
  private objectMetadata(name: string, extra: Record<string, string> = {}): { name: string; namespace: string; labels: Record<string, string> } {
    return {
      name,
      namespace: this.namespaceName,
      labels: { ...this.selectorLabels, [MANAGED_BY_LABEL]: 'cdk8s', ...extra },
    };
  }

  // ---- Namespace, settings, identity ----
  private createNamespaceSettingsAndIdentity(props: WorkloadProps, resolved: ResolvedWorkload): void {
    if (resolved.manageNamespace) {
      new k8s.KubeNamespace(this, 'Namespace', {
        metadata: { name: props.namespace, labels: { [MANAGED_BY_LABEL]: 'cdk8s', ...POD_SECURITY_LABELS } },
      });
    }
    new k8s.KubeConfigMap(this, 'Settings', {
      // The migration Job reads the settings too: the deploy applies it with the Job (step 5).
      metadata: this.objectMetadata(this.settingsConfigMapName, props.migration === undefined ? {} : { [MIGRATION_OF_LABEL]: props.appName }),
      data: { ...resolved.settings },
    });
    if (resolved.manageServiceAccount) {
      new k8s.KubeServiceAccount(this, 'ServiceAccount', {
        metadata: {
          ...this.objectMetadata(resolved.serviceAccountName),
          annotations: props.serviceAccountRoleArn ? { [IRSA_ROLE_ANNOTATION]: props.serviceAccountRoleArn } : undefined,
        },
        automountServiceAccountToken: resolved.automountToken,
      });
    }
    if (resolved.automountToken) {
      reportFinding(
        this,
        K8S_TOKEN_AUTOMOUNT,
        'automountServiceAccountToken is on: every pod carries a Kubernetes API token that an ' +
          'attacker in the container can use; keep it off unless the app calls the Kubernetes API.',
      );
    }
  }

  // ---- Deployment ----
  private createDeployment(props: WorkloadProps, resolved: ResolvedWorkload, pod: PodParts): ApiObject {
    const { liveness, readiness, startupTimeoutSeconds, preStopSleepSeconds, containerPort, metricsPort } = resolved;
    const appName = props.appName;
    // The sleep action, not `exec: sleep`: the read-only (possibly distroless) image needs no binary.
    const newerFields =
      preStopSleepSeconds > 0
        ? [JsonPatch.add('/spec/template/spec/containers/0/lifecycle', { preStop: { sleep: { seconds: preStopSleepSeconds } } })]
        : [];
    const deployment = new AppDeployment(this, 'Resource', newerFields, {
      metadata: this.objectMetadata(appName),
      spec: {
        // No `replicas`: the autoscaler owns the count, and every apply would reset it otherwise.
        selector: { matchLabels: this.selectorLabels },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) },
        },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        template: {
          metadata: {
            labels: { ...this.selectorLabels, [MANAGED_BY_LABEL]: 'cdk8s' },
            // A change of settings rolls the pods, which read them only at start.
            annotations: { 'checksum/settings': checksumOf(resolved.settings) },
          },
          spec: {
            serviceAccountName: resolved.serviceAccountName,
            automountServiceAccountToken: resolved.automountToken,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: resolved.terminationGracePeriodSeconds,
            securityContext: pod.podSecurityContext,
            topologySpreadConstraints: [
              spreadOver('topology.kubernetes.io/zone', 'DoNotSchedule', this.selectorLabels),
              spreadOver('kubernetes.io/hostname', 'ScheduleAnyway', this.selectorLabels),
            ],
            containers: [
              {
                name: appName,
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                ports: [
                  { name: PORT_NAME, containerPort, protocol: 'TCP' },
                  ...(metricsPort === undefined ? [] : [{ name: METRICS_PORT_NAME, containerPort: metricsPort, protocol: 'TCP' }]),
                ],
                envFrom: pod.envFrom,
                resources: pod.containerResources,
                ...(startupTimeoutSeconds > 0
                  ? {
                      startupProbe: httpProbe({
                        ...liveness,
                        initialDelaySeconds: 0,
                        periodSeconds: STARTUP_PROBE_PERIOD_SECONDS,
                        failureThreshold: Math.ceil(startupTimeoutSeconds / STARTUP_PROBE_PERIOD_SECONDS),
                      }),
                    }
                  : {}),
                livenessProbe: httpProbe(liveness),
                readinessProbe: { ...httpProbe(readiness), successThreshold: 1 },
                securityContext: pod.containerSecurityContext,
                volumeMounts: [{ name: TMP_VOLUME, mountPath: '/tmp' }],
              },
            ],
            volumes: [pod.tmpVolume],
          },
        },
      },
    });
    if (preStopSleepSeconds === 0 && resolved.loadBalancerCidrs.length > 0) {
      reportFinding(
        this,
        K8S_NO_PRESTOP_SLEEP,
        'preStopSleepSeconds is 0 while a load balancer sends to the pods directly: a ' +
          'terminating pod gets SIGTERM while the load balancer may still route new requests to it (502s on every rollout).',
      );
    }
    return deployment;
  }

  // ---- Service and Ingress ----
  private createServiceAndIngress(props: WorkloadProps, resolved: ResolvedWorkload): void {
    const metricsPort = resolved.metricsPort;
    new k8s.KubeService(this, 'Service', {
      metadata: this.objectMetadata(props.appName),
      spec: {
        type: 'ClusterIP',
        selector: this.selectorLabels,
        ports: [
          { name: PORT_NAME, port: resolved.servicePort, targetPort: k8s.IntOrString.fromString(PORT_NAME), protocol: 'TCP' },
          ...(metricsPort === undefined
            ? []
            : [{ name: METRICS_PORT_NAME, port: metricsPort, targetPort: k8s.IntOrString.fromString(METRICS_PORT_NAME), protocol: 'TCP' }]),
        ],
      },
    });
    if (props.ingress) {
      this.createIngress(props.ingress, this.objectMetadata(props.appName));
    }
  }

  // ---- Scaling and disruption ----
  private createScaling(resolved: ResolvedWorkload): void {
    const { scaling, budget } = resolved;
    new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata: this.objectMetadata(this.appName),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.appName },
        minReplicas: scaling.minReplicas,
        maxReplicas: scaling.maxReplicas,
        metrics: [
          utilization('cpu', scaling.cpuPercent),
          utilization('memory', scaling.memoryPercent),
        ],
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: scaling.scaleUpWindow,
            selectPolicy: 'Max',
            policies: [
              { type: 'Percent', value: 100, periodSeconds: 60 },
              { type: 'Pods', value: 4, periodSeconds: 60 },
            ],
          },
          scaleDown: {
            stabilizationWindowSeconds: scaling.scaleDownWindow,
            selectPolicy: 'Min',
            policies: [
              { type: 'Percent', value: 10, periodSeconds: 60 },
              { type: 'Pods', value: 2, periodSeconds: 60 },
            ],
          },
        },
      },
    });
    new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: this.objectMetadata(this.appName),
      spec: {
        selector: { matchLabels: this.selectorLabels },
        ...(budget.minAvailable !== undefined
          ? { minAvailable: k8s.IntOrString.fromNumber(budget.minAvailable) }
          : { maxUnavailable: k8s.IntOrString.fromNumber(budget.maxUnavailable!) }),
        // A crash-looping pod must not block node drains.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }

  // ---- Network policies: deny all, then what may reach the pods ----
  private createIngressPolicies(props: WorkloadProps, resolved: ResolvedWorkload): void {
    const appName = props.appName;
    const metricsPort = resolved.metricsPort;
    new k8s.KubeNetworkPolicy(this, 'DefaultDenyPolicy', {
      metadata: { name: 'default-deny-all', namespace: props.namespace, labels: { [MANAGED_BY_LABEL]: 'cdk8s' } },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    const ingressPeers = [
      ...resolved.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })),
      ...this.appPortNamespaces(props, resolved).map((ns) => namespacePeer(ns)),
    ];
    if (ingressPeers.length > 0) {
      new k8s.KubeNetworkPolicy(this, 'IngressPolicy', {
        metadata: this.objectMetadata(`${appName}-allow-ingress`),
        spec: {
          podSelector: { matchLabels: this.selectorLabels },
          policyTypes: ['Ingress'],
          ingress: [{ from: ingressPeers, ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(resolved.containerPort) }] }],
        },
      });
    } else {
      reportFinding(
        this,
        K8S_NO_INGRESS_SOURCE,
        'no NetworkPolicy admits traffic to the app port: set loadBalancerSourceCidrs ' +
          '(the ALB subnets), ingress or allowedIngressNamespaces, or the app is unreachable.',
      );
    }
    if (metricsPort !== undefined) {
      // Scrapers only, and only on the metrics port: the load balancer's CIDRs never reach it.
      new k8s.KubeNetworkPolicy(this, 'MetricsPolicy', {
        metadata: this.objectMetadata(`${appName}-allow-metrics`),
        spec: {
          podSelector: { matchLabels: this.selectorLabels },
          policyTypes: ['Ingress'],
          ingress: [{ from: resolved.metricsNamespaces.map((ns) => namespacePeer(ns)), ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(metricsPort) }] }],
        },
      });
    }
  }

  /**
   * The namespaces admitted to the metrics port, when they are all that is: a metrics port admits
   * metricsNamespaces only. Metrics on the app port share its policy, which may also admit CIDR
   * blocks; pods (Prometheus's too) take their addresses from the private subnets, so only the
   * public subnets of a service's internet-facing load balancer (the CIDRs a service's chart
   * derives) are known to hold none. Other CIDRs may admit Prometheus: undefined, not checked.
   */
  private resolveMetricsScraperNamespaces(
    props: WorkloadProps,
    resolved: ResolvedWorkload,
    service: AppService | undefined,
    givenLoadBalancerCidrs: string[] | undefined,
  ): string[] | undefined {
    if (resolved.metricsPort !== undefined) return [...resolved.metricsNamespaces];
    const publicSubnetsOnly =
      resolved.loadBalancerCidrs.length === 0 ||
      (givenLoadBalancerCidrs === undefined && service?.loadBalancer !== undefined && !service.loadBalancer.internal);
    return publicSubnetsOnly ? this.appPortNamespaces(props, resolved) : undefined;
  }

  /** The namespaces admitted to the app port: the ingress controller's, then allowedIngressNamespaces. */
  private appPortNamespaces(props: WorkloadProps, resolved: ResolvedWorkload): string[] {
    return [...(props.ingress ? [props.ingress.controllerNamespace ?? 'ingress-nginx'] : []), ...resolved.allowedNamespaces];
  }

  // ---- Network policies: where the pods may go ----
  private createEgressPolicies(props: WorkloadProps, resolved: ResolvedWorkload, derived: ServiceDerivedProps | undefined, egress: EgressRules): void {
    const appName = props.appName;
    new k8s.KubeNetworkPolicy(this, 'DnsEgressPolicy', {
      metadata: this.objectMetadata(`${appName}-allow-dns`),
      spec: {
        podSelector: { matchLabels: this.selectorLabels },
        policyTypes: ['Egress'],
        egress: egress.dns,
      },
    });
    if (egress.dataStores.length > 0) {
      new k8s.KubeNetworkPolicy(this, 'DataStoreEgressPolicy', {
        metadata: this.objectMetadata(`${appName}-allow-data-stores`),
        spec: {
          podSelector: { matchLabels: this.selectorLabels },
          policyTypes: ['Egress'],
          egress: egress.dataStores,
        },
      });
    }
    if (egress.credentials.length > 0) {
      // EKS Pod Identity: the SDKs fetch the role's credentials from the node's agent.
      new k8s.KubeNetworkPolicy(this, 'CredentialsEgressPolicy', {
        metadata: this.objectMetadata(`${appName}-allow-pod-identity-agent`),
        spec: {
          podSelector: { matchLabels: this.selectorLabels },
          policyTypes: ['Egress'],
          egress: egress.credentials,
        },
      });
    }
    if (egress.https.length > 0) {
      new k8s.KubeNetworkPolicy(this, 'HttpsEgressPolicy', {
        metadata: this.objectMetadata(`${appName}-allow-https-egress`),
        spec: {
          podSelector: { matchLabels: this.selectorLabels },
          policyTypes: ['Egress'],
          egress: egress.https,
        },
      });
    } else if ((props.serviceAccountRoleArn !== undefined || !resolved.manageServiceAccount) && !derived?.podIdentityAgentEgress) {
      reportFinding(
        this,
        K8S_NO_AWS_API_EGRESS,
        'the pods use an IAM role but no NetworkPolicy lets them reach AWS APIs (STS, ' +
          'Secrets Manager) on 443: set httpsEgressCidrs to the VPC CIDR (interface endpoints) or 0.0.0.0/0 (NAT).',
      );
    }
  }

  // ---- Migration ----
  private createMigration(
    jobName: string,
    migration: ResolvedMigration,
    service: AppService | undefined,
    resolved: ResolvedWorkload,
    pod: PodParts,
    egress: EgressRules,
  ): void {
    const appName = this.appName;
    const namespace = this.namespaceName;
    // Not the app's name label: the Service, the autoscaler and the disruption budget select by
    // it, and a migration pod must never receive traffic or count as a replica.
    const migrationLabels = {
      [APP_NAME_LABEL]: `${appName.slice(0, 53)}-migration`,
      [MANAGED_BY_LABEL]: 'cdk8s',
      [MIGRATION_OF_LABEL]: appName,
      [MIGRATION_LABEL]: jobName,
    };
    new k8s.KubeNetworkPolicy(this, 'MigrationEgressPolicy', {
      metadata: { name: `${appName.slice(0, 46)}-migration-egress`, namespace, labels: migrationLabels },
      spec: {
        podSelector: { matchLabels: { [MIGRATION_OF_LABEL]: appName } },
        policyTypes: ['Egress'],
        egress: [...egress.dns, ...egress.dataStores, ...egress.credentials, ...egress.https],
      },
    });
    // With a migration user, the migrations' own identity: its service account (whose role alone
    // may sign in as that user) and its connection Secret in place of the service's.
    const migrationIdentity = service?.migrationService;
    const migrationEnvFrom =
      migrationIdentity === undefined
        ? pod.envFrom
        : pod.envFrom.map((source) => (source.secretRef?.name === service!.connectionSecretName ? { secretRef: { name: migrationIdentity.connectionSecretName } } : source));
    new k8s.KubeJob(this, 'Migration', {
      metadata: {
        name: jobName,
        namespace,
        labels: migrationLabels,
        annotations: {
          'ignore-check.kube-linter.io/job-ttl-seconds-after-finished':
            'kept on purpose: the deploy script reads the finished Job to skip a release already migrated, and deletes the older ones',
        },
      },
      spec: {
        backoffLimit: migration.retries,
        activeDeadlineSeconds: migration.timeoutSeconds,
        // No ttlSecondsAfterFinished: the deploy script reads the finished Job to skip a release
        // already migrated, and deletes the service's older migration Jobs itself.
        template: {
          metadata: { labels: migrationLabels },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: migrationIdentity?.serviceAccountName ?? resolved.serviceAccountName,
            automountServiceAccountToken: resolved.automountToken,
            enableServiceLinks: false,
            securityContext: pod.podSecurityContext,
            containers: [
              {
                name: 'migrate',
                image: migration.image,
                imagePullPolicy: 'IfNotPresent',
                command: migration.command,
                args: migration.args,
                envFrom: migrationEnvFrom,
                resources: pod.containerResources,
                securityContext: pod.containerSecurityContext,
                volumeMounts: [{ name: TMP_VOLUME, mountPath: '/tmp' }],
              },
            ],
            volumes: [pod.tmpVolume],
          },
        },
      },
    });
  }

  /** The Secret reference and egress rules follow the grants made before this chart: a later grant is reported. */
  private checkNoLaterGrants(service: AppService, derived: ServiceDerivedProps): void {
    this.node.addValidation({
      validate: () =>
        service.connections.length === derived.grantCount
          ? []
          : [
              `${constructLabel(this)}: ${constructLabel(service)} was granted ${service.connections.length - derived.grantCount} data ` +
                'store(s) after this chart was created, so its pods could not reach them; call connectTo before creating the workload chart',
            ],
    });
  }
  private validateMigration(migration: WorkloadMigrationOptions, workloadImage: string): ResolvedMigration {
    if (!Array.isArray(migration.command) || migration.command.length === 0 || migration.command.some((part) => typeof part !== 'string' || part.length === 0)) {
      invalidProp(this, 'migration.command', 'be a non-empty list of non-empty strings (the executable and its arguments)', migration.command);
    }
    const image = migration.image ?? workloadImage;
    if (migration.image !== undefined) checkImageReference(this, 'migration.image', migration.image);
    const timeoutSeconds = migration.timeoutSeconds ?? DEFAULT_MIGRATION_TIMEOUT_SECONDS;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 30 || timeoutSeconds > MAX_MIGRATION_TIMEOUT_SECONDS) {
      invalidProp(
        this,
        'migration.timeoutSeconds',
        `be a whole number of seconds from 30 to ${MAX_MIGRATION_TIMEOUT_SECONDS} (the deploy job, which waits for the migration, stops after 90 minutes)`,
        migration.timeoutSeconds,
      );
    }
    const retries = migration.retries ?? 0;
    checkIntegerInRange(this, 'migration.retries', retries, 0, 6);
    return { command: migration.command, args: migration.args, image, timeoutSeconds, retries };
  }

  private validateResources(props: AppWorkloadChartProps): ResolvedResources {
    const r = {
      cpuRequest: props.cpuRequest ?? '250m',
      cpuLimit: props.cpuLimit ?? '1',
      memoryRequest: props.memoryRequest ?? '512Mi',
      memoryLimit: props.memoryLimit ?? '512Mi',
      ephemeralStorageRequest: props.ephemeralStorageRequest ?? '512Mi',
      ephemeralStorageLimit: props.ephemeralStorageLimit ?? '1Gi',
    };
    const cpuRequest = this.checkQuantity('cpuRequest', r.cpuRequest, 'such as 250m, 0.5 or 2');
    const cpuLimit = this.checkQuantity('cpuLimit', r.cpuLimit, 'such as 250m, 0.5 or 2');
    const memoryRequest = this.checkQuantity('memoryRequest', r.memoryRequest, 'such as 512Mi or 1Gi');
    const memoryLimit = this.checkQuantity('memoryLimit', r.memoryLimit, 'such as 512Mi or 1Gi');
    if (cpuRequest > cpuLimit) {
      invalidProp(this, 'cpuRequest', `not exceed cpuLimit ${JSON.stringify(r.cpuLimit)} (Kubernetes rejects a request above its limit)`, r.cpuRequest);
    }
    if (memoryRequest > memoryLimit) {
      invalidProp(this, 'memoryRequest', `not exceed memoryLimit ${JSON.stringify(r.memoryLimit)} (Kubernetes rejects a request above its limit)`, r.memoryRequest);
    }
    const storageRequest = this.checkQuantity('ephemeralStorageRequest', r.ephemeralStorageRequest, 'such as 512Mi or 1Gi');
    const storageLimit = this.checkQuantity('ephemeralStorageLimit', r.ephemeralStorageLimit, 'such as 512Mi or 1Gi');
    if (storageRequest > storageLimit) {
      invalidProp(
        this,
        'ephemeralStorageRequest',
        `not exceed ephemeralStorageLimit ${JSON.stringify(r.ephemeralStorageLimit)} (Kubernetes rejects a request above its limit)`,
        r.ephemeralStorageRequest,
      );
    }
    return { ...r, storageLimitBytes: storageLimit, cpuLimitOverRequest: cpuLimit / cpuRequest, memoryLimitOverRequest: memoryLimit / memoryRequest };
  }

  private checkQuantity(property: string, value: string, example: string): number {
    const parsed = parseQuantity(value);
    if (parsed === undefined || parsed <= 0) {
      invalidProp(this, property, `be a positive Kubernetes quantity ${example}`, value);
    }
    return parsed;
  }

  private validateProbes(
    livenessProps: HttpProbeOptions | undefined,
    readinessProps: HttpProbeOptions | undefined,
  ): [ResolvedProbe, ResolvedProbe] {
    const resolve = (name: string, given: HttpProbeOptions | undefined, defaults: ResolvedProbe): ResolvedProbe => {
      const p: ResolvedProbe = {
        path: given?.path ?? defaults.path,
        initialDelaySeconds: given?.initialDelaySeconds ?? defaults.initialDelaySeconds,
        periodSeconds: given?.periodSeconds ?? defaults.periodSeconds,
        timeoutSeconds: given?.timeoutSeconds ?? defaults.timeoutSeconds,
        failureThreshold: given?.failureThreshold ?? defaults.failureThreshold,
      };
      if (!/^\/[^\s]*$/.test(p.path)) {
        invalidProp(this, `${name}.path`, 'be an absolute HTTP path starting with "/"', p.path);
      }
      checkIntegerInRange(this, `${name}.initialDelaySeconds`, p.initialDelaySeconds, 0, 3600);
      checkIntegerInRange(this, `${name}.periodSeconds`, p.periodSeconds, 1, 3600);
      checkIntegerInRange(this, `${name}.timeoutSeconds`, p.timeoutSeconds, 1, 3600);
      checkIntegerInRange(this, `${name}.failureThreshold`, p.failureThreshold, 1, 100);
      return p;
    };
    const liveness = resolve('livenessProbe', livenessProps, LIVENESS_DEFAULTS);
    const readiness = resolve('readinessProbe', readinessProps, READINESS_DEFAULTS);
    const identical = (Object.keys(liveness) as Array<keyof ResolvedProbe>).every((k) => liveness[k] === readiness[k]);
    if (identical) {
      invalidCombination(
        this,
        `livenessProbe and readinessProbe must not be identical, got both ${JSON.stringify(liveness)}: a pod that is ` +
          'briefly not ready would also be restarted; give readiness its own path (e.g. /ready) or its own timings',
      );
    }
    if (liveness.path === readiness.path) {
      reportFinding(
        this,
        K8S_SAME_PROBE_PATH,
        `liveness and readiness probes both GET ${liveness.path}: if that endpoint checks ` +
          'dependencies, an outage of a dependency restarts every pod; keep liveness to the process itself.',
      );
    }
    return [liveness, readiness];
  }

  private validateScaling(props: AppWorkloadChartProps, environment: EnvironmentTier, resources: { cpuLimitOverRequest: number; memoryLimitOverRequest: number; cpuLimit: string; cpuRequest: string; memoryLimit: string; memoryRequest: string }): ResolvedScaling {
    const s = {
      minReplicas: props.minReplicas ?? 3,
      maxReplicas: props.maxReplicas ?? 20,
      cpuPercent: props.targetCpuUtilizationPercent ?? 70,
      memoryPercent: props.targetMemoryUtilizationPercent ?? 80,
      scaleUpWindow: props.scaleUpStabilizationSeconds ?? 30,
      scaleDownWindow: props.scaleDownStabilizationSeconds ?? 300,
    };
    checkIntegerInRange(this, 'minReplicas', s.minReplicas, 1, 1000);
    checkIntegerInRange(this, 'maxReplicas', s.maxReplicas, 1, 1000);
    if (environment === EnvironmentTier.PRODUCTION && s.minReplicas < 2) {
      invalidProp(
        this,
        'minReplicas',
        'be at least 2 in production (a single pod is an outage during every node drain, upgrade or crash)',
        s.minReplicas,
      );
    }
    if (s.minReplicas > s.maxReplicas) {
      invalidProp(this, 'maxReplicas', `be at least minReplicas (${s.minReplicas})`, s.maxReplicas);
    }
    // Utilization is measured against the request, so a target above 100 % is legal (Kubernetes
    // sets no upper bound) and useful up to what the limit lets a pod use: beyond it, the pods
    // can never reach the target and the autoscaler never scales up.
    // The epsilon keeps 150m over 100m at 150, not 149.99999999999997.
    const cpuCeiling = Math.floor(resources.cpuLimitOverRequest * 100 + 1e-9);
    if (!Number.isInteger(s.cpuPercent) || s.cpuPercent < 1 || s.cpuPercent > cpuCeiling) {
      invalidProp(
        this,
        'targetCpuUtilizationPercent',
        `be a whole number from 1 to ${cpuCeiling} (cpuLimit ${resources.cpuLimit} over cpuRequest ${resources.cpuRequest}: above it the pods can never reach the target)`,
        s.cpuPercent,
      );
    }
    const memoryCeiling = Math.floor(resources.memoryLimitOverRequest * 100 + 1e-9);
    if (!Number.isInteger(s.memoryPercent) || s.memoryPercent < 1 || s.memoryPercent > memoryCeiling) {
      invalidProp(
        this,
        'targetMemoryUtilizationPercent',
        `be a whole number from 1 to ${memoryCeiling} (memoryLimit ${resources.memoryLimit} over memoryRequest ${resources.memoryRequest}: a pod past its limit is killed, not scaled)`,
        s.memoryPercent,
      );
    }
    checkIntegerInRange(this, 'scaleUpStabilizationSeconds', s.scaleUpWindow, 0, 3600);
    checkIntegerInRange(this, 'scaleDownStabilizationSeconds', s.scaleDownWindow, 0, 3600);
    return s;
  }

  private validateDisruptionBudget(props: AppWorkloadChartProps, minReplicas: number, maxReplicas: number): ResolvedBudget {
    const minAvailable = props.disruptionBudgetMinAvailable;
    if (minAvailable !== undefined) {
      if (props.disruptionBudgetMaxUnavailable !== undefined) {
        invalidCombination(
          this,
          'set either disruptionBudgetMinAvailable or disruptionBudgetMaxUnavailable, not both (a PodDisruptionBudget takes one)',
        );
      }
      checkIntegerInRange(this, 'disruptionBudgetMinAvailable', minAvailable, 0, maxReplicas);
      if (minAvailable >= minReplicas) {
        invalidProp(
          this,
          'disruptionBudgetMinAvailable',
          `be below minReplicas (${minReplicas}), so at least one pod can be evicted at the autoscaler's minimum ` +
            '(otherwise node drains and cluster upgrades block)',
          minAvailable,
        );
      }
      return { minAvailable, maxUnavailable: undefined };
    }
    const maxUnavailable = props.disruptionBudgetMaxUnavailable ?? 1;
    checkIntegerInRange(this, 'disruptionBudgetMaxUnavailable', maxUnavailable, 1, 1000);
    if (maxUnavailable >= minReplicas) {
      reportFinding(
        this,
        K8S_PDB_NO_PROTECTION,
        `disruptionBudgetMaxUnavailable ${maxUnavailable} is not below minReplicas ` +
          `${minReplicas}: at the autoscaler's minimum a node drain may evict every pod at once.`,
      );
    }
    return { minAvailable: undefined, maxUnavailable };
  }

  private validateIngress(ingress: WorkloadIngressOptions): void {
    checkHostName(this, 'ingress.host', ingress.host);
    checkDns1123Subdomain(this, 'ingress.clusterIssuer', ingress.clusterIssuer);
    checkDns1123Subdomain(this, 'ingress.ingressClassName', ingress.ingressClassName);
    checkDns1123Subdomain(this, 'ingress.tlsSecretName', ingress.tlsSecretName);
    checkDns1123Label(this, 'ingress.controllerNamespace', ingress.controllerNamespace);
    checkIntegerInRange(this, 'ingress.rateLimitRequestsPerSecond', ingress.rateLimitRequestsPerSecond, 0, 100000);
  }

  private createIngress(ingress: WorkloadIngressOptions, metadata: { name: string; namespace: string; labels: Record<string, string> }): void {
    const rateLimit = ingress.rateLimitRequestsPerSecond ?? 20;
    const annotations: Record<string, string> = {
      'cert-manager.io/cluster-issuer': ingress.clusterIssuer,
      'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
    };
    if (rateLimit > 0) {
      annotations['nginx.ingress.kubernetes.io/limit-rps'] = String(rateLimit);
    } else {
      reportFinding(
        this,
        K8S_NO_RATE_LIMIT,
        'the Ingress has no per-client rate limit (rateLimitRequestsPerSecond is 0).',
      );
    }
    new k8s.KubeIngress(this, 'Ingress', {
      metadata: { ...metadata, annotations },
      spec: {
        ingressClassName: ingress.ingressClassName ?? 'nginx',
        tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecretName ?? `${this.appName}-tls` }],
        rules: [
          {
            host: ingress.host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: this.serviceName, port: { number: this.servicePort } } },
                },
              ],
            },
          },
        ],
      },
    });
  }

  /**
   * The chart's manifests, checked as the last line of defence: nothing added to this chart after
   * construction may carry a Terraform token either. The check reads the documents synth writes
   * anyway, once per chart. (As a construct validation it would serialize every object again on
   * each validation pass, and cdk8s validates the whole app once per chart, which made synthesis
   * quadratic in the number of charts.)
   *
   * @stability stable
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdk8s's ApiObject.toJson returns any
  public toJson(): any[] {
    const documents = super.toJson();
    const errors = documents
      .filter((document) => JSON.stringify(document).includes('${'))
      .map(
        (document) =>
          `${constructLabel(this)}: ${document.kind} ${document.metadata?.name} must not contain "\${" (a Terraform token or ` +
          'interpolation); YAML carries names and literals only',
      );
    if (errors.length > 0) throw new ValidationError(errors.join('\n'));
    return documents;
  }
}

/**
 * The app's Deployment. The Kubernetes 1.27 types of cdk8s-plus-27 drop every field they do not
 * know when they serialize, including the preStop `sleep` action (Kubernetes 1.29+); such fields
 * are added to the finished JSON instead.
 */
class AppDeployment extends k8s.KubeDeployment {
  constructor(scope: Construct, id: string, private readonly newerFields: JsonPatch[], props: k8s.KubeDeploymentProps) {
    super(scope, id, props);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdk8s's ApiObject.toJson returns any
  public toJson(): any {
    return JsonPatch.apply(super.toJson(), ...this.newerFields);
  }
}

function httpProbe(p: ResolvedProbe) {
  return {
    httpGet: { path: p.path, port: k8s.IntOrString.fromString(PORT_NAME), scheme: 'HTTP' },
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds,
    timeoutSeconds: p.timeoutSeconds,
    failureThreshold: p.failureThreshold,
  };
}

function spreadOver(topologyKey: string, whenUnsatisfiable: string, selectorLabels: { [key: string]: string }) {
  return {
    topologyKey,
    maxSkew: 1,
    whenUnsatisfiable,
    labelSelector: { matchLabels: selectorLabels },
    // Spread each ReplicaSet on its own, so a rollout does not count the old pods.
    matchLabelKeys: ['pod-template-hash'],
    // Leave out nodes the pods cannot land on: the unreachable / not-ready (NoSchedule) taints
    // of a failed zone's nodes, cordoned nodes. Otherwise a dead zone still counts as a domain
    // with zero pods, and DoNotSchedule keeps the replacements Pending in the healthy zones.
    nodeTaintsPolicy: 'Honor',
  };
}

/** The pod settings the Deployment shares with the migration Job: it runs the same code under the same constraints. */
function podParts(resolved: ResolvedWorkload, settingsConfigMap: string): PodParts {
  const { runAsUser, runAsGroup, resources } = resolved;
  const podSecurityContext = {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup,
    fsGroup: runAsGroup,
    seccompProfile: { type: 'RuntimeDefault' },
  };
  const containerSecurityContext = {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
  const envFrom: k8s.EnvFromSource[] = [
    { configMapRef: { name: settingsConfigMap } },
    ...resolved.configMapNames.map((name) => ({ configMapRef: { name } })),
    ...resolved.secretNames.map((name) => ({ secretRef: { name } })),
  ];
  const containerResources = {
    requests: {
      'cpu': k8s.Quantity.fromString(resources.cpuRequest),
      'memory': k8s.Quantity.fromString(resources.memoryRequest),
      'ephemeral-storage': k8s.Quantity.fromString(resources.ephemeralStorageRequest),
    },
    limits: {
      'cpu': k8s.Quantity.fromString(resources.cpuLimit),
      'memory': k8s.Quantity.fromString(resources.memoryLimit),
      'ephemeral-storage': k8s.Quantity.fromString(resources.ephemeralStorageLimit),
    },
  };
  const tmpVolume = { name: TMP_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString(resolved.tmpSizeLimit) } };
  return { podSecurityContext, containerSecurityContext, envFrom, containerResources, tmpVolume };
}

/** Egress rules, each in a policy of its own for the app's pods, and all of them in one for its migration. */
function egressRules(resolved: ResolvedWorkload, derived: ServiceDerivedProps | undefined): EgressRules {
  const dns = [
    {
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        },
      ],
      ports: [
        { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
        { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
      ],
    },
  ];
  const credentials = derived?.podIdentityAgentEgress
    ? [{ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(POD_IDENTITY_AGENT_PORT) }] }]
    : [];
  const https =
    resolved.httpsEgressCidrs.length > 0
      ? [{ to: resolved.httpsEgressCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(443) }] }]
      : [];
  // Each granted data store on its own port only (with a service); the given CIDRs x ports otherwise.
  const dataStores = derived
    ? derived.dataStoreEgress.map((e) => ({ to: e.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(e.port) }] }))
    : resolved.dataStoreCidrs.length > 0
      ? [
          {
            to: resolved.dataStoreCidrs.map((cidr) => ({ ipBlock: { cidr } })),
            ports: resolved.dataStorePorts.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })),
          },
        ]
      : [];
  return { dns, dataStores, credentials, https };
}

function utilization(resource: string, averageUtilization: number) {
  return { type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization } } };
}

function namespacePeer(namespace: string) {
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } };
}

/**
 * `<app>-migrate-<8 hex>`: the hash covers exactly what makes a release's migration differ (the
 * image and the command line), so the name changes with them and only with them. At most 63
 * characters, as the Job's name labels its pods.
 */
function migrationJobName(appName: string, migration: { image: string; command: string[]; args?: string[] }): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([migration.image, migration.command, migration.args ?? []]))
    .digest('hex')
    .slice(0, 8);
  return `${appName.slice(0, 46)}-migrate-${hash}`;
}

function checksumOf(settings: Record<string, string>): string {
  const sorted = Object.keys(settings)
    .sort()
    .map((key) => [key, settings[key]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
