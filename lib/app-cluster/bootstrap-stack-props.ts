import type { AppCluster } from './app-cluster';
import type { DatabaseConnectionInfo, RedisConnectionInfo } from './bootstrap-stack';

/** Properties of a {@link ClusterBootstrapStack}. */
export interface ClusterBootstrapStackProps {
  /**
   * The cluster whose services this stack bootstraps: for every service of
   * `cluster.addService` (those declared later too), its namespace, service account, Pod
   * Identity or IRSA binding, TargetGroupBinding, connection Secret, infrastructure ConfigMap
   * and, with securityGroupsForPods, its SecurityGroupPolicy. The cluster's name, endpoint,
   * certificate authority and region come from it.
   *
   * @default - the single-app props below (release 0.1)
   */
  readonly cluster?: AppCluster;

  /**
   * Name of the EKS cluster (used by `aws eks get-token`).
   *
   * @default - the cluster's
   */
  readonly clusterName?: string;

  /**
   * The cluster's API server endpoint, `https://...`.
   *
   * @default - the cluster's
   */
  readonly clusterEndpoint?: string;

  /**
   * The cluster's certificate authority data, base64-encoded PEM as EKS returns it.
   *
   * @default - the cluster's
   */
  readonly clusterCertificateAuthorityData?: string;

  /**
   * The AWS region of the cluster.
   *
   * @default - the region of the cluster's stack
   */
  readonly region?: string;

  /**
   * The single app of release 0.1 (without `cluster`): it must equal the AppWorkloadChart's
   * appName (the Service and labels derive from it).
   *
   * @default - none: the services of `cluster`
   */
  readonly appName?: string;

  /**
   * The single app's namespace to create, with the Pod Security Admission `restricted` labels.
   * Required with appName.
   *
   * @default - none: the services of `cluster`
   */
  readonly namespace?: string;

  /**
   * Name of the app's ServiceAccount; the IRSA role must trust
   * `system:serviceaccount:<namespace>:<serviceAccountName>`.
   *
   * @default - the appName
   */
  readonly serviceAccountName?: string;

  /**
   * ARN of the app's IAM role, written to the ServiceAccount's `eks.amazonaws.com/role-arn`
   * annotation (a token from the AWS stack is fine: it never enters YAML). Required with appName.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
   * @default - none: the services of `cluster`
   */
  readonly serviceAccountRoleArn?: string;

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
