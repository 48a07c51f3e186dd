/**
 * The names and labels the workload chart (cdk8s) and the bootstrap stack (Terraform) agree on.
 * The two halves never share values, only these names: keep them in one place so they cannot
 * drift apart.
 */

/** Label that selects the app's pods; part of the Deployment's immutable selector. */
export const APP_NAME_LABEL = 'app.kubernetes.io/name';

/** Label that says which tool owns an object (cdk8s YAML or Terraform). */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/** Pod Security Admission labels: the namespace admits only pods meeting the "restricted" profile. */
export const POD_SECURITY_LABELS: Record<string, string> = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
};

/** Annotation that binds a service account to an IAM role (IRSA). */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** Namespace label that makes the AWS Load Balancer Controller inject pod readiness gates. */
export const READINESS_GATE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

/** Default name of the Secret with the database and Redis endpoints (written by the bootstrap stack). */
export function defaultConnectionSecretName(appName: string): string {
  return `${appName}-connection`;
}

/** Default name of the ConfigMap with the AWS resource ARNs (written by the bootstrap stack). */
export function defaultInfrastructureConfigMapName(appName: string): string {
  return `${appName}-infrastructure`;
}

/** Name of the ConfigMap of the app's own settings (written by the chart). */
export function settingsConfigMapName(appName: string): string {
  return `${appName}-settings`;
}

/** Default Service port, the port a TargetGroupBinding or an Ingress refers to. */
export const DEFAULT_SERVICE_PORT = 80;

/**
 * Label on a migration Job and its NetworkPolicy, valued with the Job's name: the deploy script
 * applies exactly these objects (`kubectl apply --selector`) before the workload.
 */
export const MIGRATION_LABEL = 'groundwork.dev/migration';

/** Label on every migration Job (and its pods) of a service, valued with the service's name. */
export const MIGRATION_OF_LABEL = 'groundwork.dev/migration-of';
