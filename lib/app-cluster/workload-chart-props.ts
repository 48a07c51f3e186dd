import { EnvironmentTier } from '../core/environment';
import type { AppService } from './service';
import type { HttpProbeOptions, WorkloadIngressOptions, WorkloadMigrationOptions } from './workload-chart';

/** Properties of an {@link AppWorkloadChart}. */
export interface AppWorkloadChartProps {
  /**
   * The service of an AppCluster this workload runs (`cluster.addService`). Its declaration
   * gives the chart `appName`, `namespace`, `serviceAccountName`, `containerPort` and
   * `servicePort`; the bootstrap stack owns the namespace and service account; the pods read
   * the service's connection Secret and infrastructure ConfigMap; the NetworkPolicies admit its
   * load balancer's subnets and let the pods reach the data stores it was granted (and, with EKS
   * Pod Identity, the credentials agent). A value passed as well must agree with the service, and
   * synth fails when the drain does not cover the service's deregistration delay or the pools
   * exceed a database's max_connections.
   *
   * @default - a workload described by the props alone
   */
  readonly service?: AppService;

  /**
   * Name of the app: names the Deployment, Service, ServiceAccount, autoscaler, disruption
   * budget and Ingress, and labels the pods (`app.kubernetes.io/name`). A DNS-1035 label.
   *
   * It is part of the Deployment's immutable selector: renaming the app replaces it.
   *
   * @default - the service's name; required without service
   */
  readonly appName?: string;

  /**
   * The namespace the app runs in (a DNS-1123 label).
   *
   * @default - the service's namespace; required without service
   */
  readonly namespace?: string;

  /**
   * Connections each pod opens to each PostgreSQL database the service was granted (its pool
   * size), written to the settings as `<prefix>_POOL_MAX`. `maxReplicas` times this, summed over
   * the workloads of every service granted the database, must stay within its max_connections
   * less 5 reserved. Only with service.
   *
   * @default 10 - the default pool size of node-postgres and HikariCP
   */
  readonly databaseConnectionsPerPod?: number;

  /**
   * The environment tier. Production requires at least 2 replicas at the autoscaler's minimum.
   *
   * (cdk8s charts are not inside a GroundworkStack, so the tier is given explicitly.)
   */
  readonly environment: EnvironmentTier;

  /**
   * The container image, pinned: `registry/repository:tag` with a tag other than `latest`,
   * or `registry/repository@sha256:<digest>`.
   */
  readonly image: string;

  /**
   * The port the app listens on; probes, the Service and the NetworkPolicies use it.
   *
   * @default 8080
   */
  readonly containerPort?: number;

  /**
   * The Service port, which a TargetGroupBinding or the Ingress refers to.
   *
   * @default 80
   */
  readonly servicePort?: number;

  /**
   * A separate port on which the app serves its Prometheus metrics, named `metrics` on the
   * container and the Service. The load balancer forwards only to `containerPort`, so metrics
   * are unreachable from outside whatever the path; only `metricsNamespaces` may reach this
   * port. Point the monitoring chart at it with `appMetrics: { portName: chart.metricsPortName }`.
   *
   * @default - metrics are served on containerPort (the load balancer's `blockedPaths` then keep
   *   /metrics from the internet)
   */
  readonly metricsPort?: number;

  /**
   * Namespaces whose pods may reach `metricsPort` (the Prometheus that scrapes the app).
   * Only with metricsPort.
   *
   * @default ["monitoring"]
   */
  readonly metricsNamespaces?: string[];

  /**
   * Non-secret settings, written to the `<appName>-settings` ConfigMap and exposed to the
   * container as environment variables. Never put secrets here: they would be stored in
   * plain text in the YAML.
   *
   * @default - an empty settings ConfigMap
   */
  readonly settings?: { [key: string]: string };

  /**
   * Keys of `settings` whose names look like secrets (`…PASSWORD`, `…SECRET`, `…TOKEN`,
   * `…API_KEY`, `…PRIVATE_KEY`, `…ACCESS_KEY`, `…CREDENTIALS`, also dotted, dashed or camelCase)
   * but hold none, e.g. `TOKEN_AUDIENCE`. Names ending in what is about a secret rather than
   * the secret (`…_ARN`, `…_NAME`, `…_URL`, `…_TTL_SECONDS`, `…_LENGTH`, `…_FILE`) need no entry. Any other such key fails synth: a ConfigMap is readable by whoever reads
   * the namespace, and lands in the YAML in plain text. Put secrets in a Secret
   * (`envFromSecretNames`).
   *
   * @default - none
   */
  readonly nonSecretSettings?: string[];

  /**
   * Secrets, by name, whose keys become environment variables (`envFrom.secretRef`), such
   * as the bootstrap stack's connection Secret. Only the names appear in the YAML.
   *
   * @default - no Secret
   */
  readonly envFromSecretNames?: string[];

  /**
   * ConfigMaps, by name, whose keys become environment variables, such as the bootstrap
   * stack's infrastructure ConfigMap.
   *
   * @default - only the settings ConfigMap
   */
  readonly envFromConfigMapNames?: string[];

  /**
   * CPU request of the container (a Kubernetes quantity). The autoscaler's CPU target is a
   * percentage of it.
   *
   * @default "250m"
   */
  readonly cpuRequest?: string;

  /**
   * CPU limit of the container; must not be below the request.
   *
   * @default "1"
   */
  readonly cpuLimit?: string;

  /**
   * Memory request of the container. The autoscaler's memory target is a percentage of it.
   *
   * @default "512Mi"
   */
  readonly memoryRequest?: string;

  /**
   * Memory limit of the container; must not be below the request. Equal to the request by
   * default, so a node never overcommits the app's memory.
   *
   * @default "512Mi"
   */
  readonly memoryLimit?: string;

  /**
   * Local ephemeral storage request of the container (a Kubernetes quantity): what the scheduler
   * reserves on the node for the writable /tmp emptyDir, the container's logs and its writable
   * layer.
   *
   * @default "512Mi" - the default /tmp size limit (256Mi) plus room for logs
   * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage
   */
  readonly ephemeralStorageRequest?: string;

  /**
   * Local ephemeral storage limit of the container; must not be below the request, nor below
   * `tmpVolumeSizeLimit` (/tmp counts against it). A pod above it is evicted, so a runaway log
   * or temp file cannot fill the node's disk.
   *
   * @default "1Gi"
   */
  readonly ephemeralStorageLimit?: string;

  /**
   * The liveness probe: a failing container is restarted. Keep it cheap and independent of
   * downstream services.
   *
   * @default - GET /health every 10 s, 3 s timeout, 10 s initial delay, 3 failures
   */
  readonly livenessProbe?: HttpProbeOptions;

  /**
   * Longest time, in seconds, a starting container may take before its liveness probe path
   * first answers. A startup probe on that path (every 5 s) holds the liveness probe back
   * until then, so a slow cold start (migrations, cache warm-up, a JIT) is not killed in a
   * restart loop, while a hung running container is still restarted within the liveness
   * probe's ~30 s. 0 turns the startup probe off.
   *
   * @default 120
   */
  readonly startupTimeoutSeconds?: number;

  /**
   * The readiness probe: a failing pod receives no traffic. It must differ from the liveness
   * probe.
   *
   * @default - GET /ready every 5 s, 2 s timeout, 5 s initial delay, 3 failures
   */
  readonly readinessProbe?: HttpProbeOptions;

  /**
   * Numeric user ID the container runs as (not 0). Numeric, so the kubelet can verify
   * `runAsNonRoot` without trusting the image.
   *
   * @default 10001
   */
  readonly runAsUser?: number;

  /**
   * Numeric group ID of the container's processes and of the pod's volumes (fsGroup).
   *
   * @default 10001
   */
  readonly runAsGroup?: number;

  /**
   * Size limit of the writable emptyDir mounted at /tmp (the root filesystem is read-only). It
   * counts against the ephemeral storage limit, which it must not exceed.
   *
   * @default "256Mi"
   */
  readonly tmpVolumeSizeLimit?: string;

  /**
   * Seconds the container sleeps in its preStop hook before it gets SIGTERM, so that the load
   * balancer has stopped sending new requests to a terminating pod before the app starts shutting
   * down. (Deleting a pod and taking it out of the ALB's target group happen in parallel: the AWS
   * Load Balancer Controller sees the pod leave the Service's endpoints, deregisters its IP, and the
   * ALB takes a few more seconds to stop routing to it.) 0 turns the hook off.
   *
   * Uses the built-in `sleep` lifecycle action, so the image needs no `sleep` binary (it works
   * with read-only and distroless images); that action is on by default since Kubernetes 1.30.
   *
   * The sleep plus the app's own drain time after SIGTERM should cover the target group's
   * deregistration delay (AppCluster / AppLoadBalancer `deregistrationDelaySeconds`, 30 by
   * default), so the pod outlives every request the ALB may still have in flight to it. Built
   * from a service (`service:`), the chart fails the synth when `terminationGracePeriodSeconds`
   * (the sleep plus the shutdown time) does not cover the service's delay; without one nothing
   * can check it.
   *
   * @default 15 - a little more than the 10 s the EKS best practices guide suggests for the deregistration to take effect
   * @see https://docs.aws.amazon.com/eks/latest/best-practices/load-balancing.html
   * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-implementations
   */
  readonly preStopSleepSeconds?: number;

  /**
   * Seconds from the start of a pod's termination until it is killed: the preStop sleep runs
   * within it, then the app gets SIGTERM and has the rest to finish in-flight requests. Must be
   * greater than `preStopSleepSeconds`.
   *
   * @default - preStopSleepSeconds + 30 (45 by default)
   */
  readonly terminationGracePeriodSeconds?: number;

  /**
   * Emit the Namespace (with the Pod Security Admission labels). Set to false when a
   * ClusterBootstrapStack creates it; exactly one side may own it.
   *
   * @default true
   */
  readonly manageNamespace?: boolean;

  /**
   * Emit the app's ServiceAccount. Set to false when a ClusterBootstrapStack creates it (then
   * the IRSA role ARN stays in Terraform and never enters YAML); exactly one side may own it.
   *
   * @default true
   */
  readonly manageServiceAccount?: boolean;

  /**
   * Name of the app's ServiceAccount. The IRSA role must trust
   * `system:serviceaccount:<namespace>:<serviceAccountName>`.
   *
   * @default - the appName
   */
  readonly serviceAccountName?: string;

  /**
   * ARN of the IAM role for the ServiceAccount (IRSA), set as its `eks.amazonaws.com/role-arn`
   * annotation. A literal ARN; only with `manageServiceAccount`.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
   * @default - no IAM role
   */
  readonly serviceAccountRoleArn?: string;

  /**
   * Mount the Kubernetes API token into the pods. The app does not call the Kubernetes API,
   * so the token is only something to steal; IRSA does not need it (the EKS webhook projects
   * its own token). Turning it on records a warning.
   *
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;

  /**
   * The autoscaler's minimum number of replicas; at least 2 in production.
   *
   * @default 3
   */
  readonly minReplicas?: number;

  /**
   * The autoscaler's maximum number of replicas.
   *
   * @default 20
   */
  readonly maxReplicas?: number;

  /**
   * Average CPU use, in percent of the request, the autoscaler aims for.
   *
   * @default 70
   */
  readonly targetCpuUtilizationPercent?: number;

  /**
   * Average memory use, in percent of the request, the autoscaler aims for.
   *
   * @default 80
   */
  readonly targetMemoryUtilizationPercent?: number;

  /**
   * Seconds of recommendations the autoscaler considers before scaling up: it follows the
   * lowest recommendation in the window, so it scales up only for load that lasts. 0-3600.
   *
   * @default 30
   */
  readonly scaleUpStabilizationSeconds?: number;

  /**
   * Seconds of recommendations the autoscaler considers before scaling down, so a short dip
   * does not remove pods that are needed again a minute later. 0-3600.
   *
   * @default 300
   */
  readonly scaleDownStabilizationSeconds?: number;

  /**
   * Pods of the app that voluntary disruptions (node drains, upgrades) may take down at once.
   * At least 1, so a drain can always proceed.
   *
   * @default - 1, unless disruptionBudgetMinAvailable is set
   */
  readonly disruptionBudgetMaxUnavailable?: number;

  /**
   * Pods that must stay available during voluntary disruptions, instead of
   * disruptionBudgetMaxUnavailable. Must be below minReplicas, so at least one pod can be
   * evicted at the autoscaler's minimum.
   *
   * @default - disruptionBudgetMaxUnavailable is used
   */
  readonly disruptionBudgetMinAvailable?: number;

  /**
   * An Ingress with TLS for an in-cluster ingress controller.
   *
   * @default - no Ingress
   */
  readonly ingress?: WorkloadIngressOptions;

  /**
   * CIDR blocks a load balancer that targets pod IPs directly sends from, admitted to the app
   * port by a NetworkPolicy: the public subnets of the Terraform-owned ALB (or the VPC CIDR).
   *
   * @default - no load balancer source
   */
  readonly loadBalancerSourceCidrs?: string[];

  /**
   * Further namespaces whose pods may reach the app port (e.g. `monitoring` for scraping).
   *
   * @default - none
   */
  readonly allowedIngressNamespaces?: string[];

  /**
   * CIDR blocks of the database and cache (e.g. the isolated subnets), which the pods may
   * reach on dataStorePorts.
   *
   * @default - no egress to data stores
   */
  readonly dataStoreCidrs?: string[];

  /**
   * Ports the pods may reach in dataStoreCidrs (by default PostgreSQL's and Redis's).
   *
   * @default [5432, 6379]
   */
  readonly dataStorePorts?: number[];

  /**
   * CIDR blocks the pods may reach on TCP 443: AWS APIs (STS for IRSA, Secrets Manager),
   * through interface endpoints in the VPC (the VPC CIDR) or NAT (`0.0.0.0/0`).
   *
   * @default - no HTTPS egress
   */
  readonly httpsEgressCidrs?: string[];

  /**
   * The service's schema migration, run by the deploy pipeline before each release's pods roll
   * out (`scripts/deploy.mjs`): a Job named after its image and command, so a release migrates
   * once and running the same release again is a no-op.
   *
   * @default - no migration
   */
  readonly migration?: WorkloadMigrationOptions;
}
