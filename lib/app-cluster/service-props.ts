import type { ServiceRoute, WorkloadIdentity } from './service';

/** Properties of a service, for {@link AppCluster.addService}. */
export interface AppServiceProps {
  /**
   * The service's name: a DNS-1035 label of at most 40 characters. It names the Deployment, the
   * Kubernetes Service, the pods' `app.kubernetes.io/name` label, the connection Secret
   * (`<name>-connection`) and the IAM role (`<cluster>-app-<name>`), and must be unique in the
   * cluster.
   */
  readonly name: string;

  /**
   * The Kubernetes namespace (a DNS-1123 label). Services may share one.
   *
   * @default - the legacyAppName when given (release 0.1's namespace), otherwise the name
   */
  readonly namespace?: string;

  /**
   * The Kubernetes service account the pods run as, which the IAM role is bound to.
   *
   * @default - the legacyAppName when given (release 0.1's service account, which the running pods use), otherwise the name
   */
  readonly serviceAccountName?: string;

  /**
   * The port the pods listen on (the container port, the target group's port).
   *
   * @default 8080
   */
  readonly port?: number;

  /**
   * The port of the Kubernetes Service, which the TargetGroupBinding refers to.
   *
   * @default 80
   */
  readonly servicePort?: number;

  /**
   * How the pods get AWS credentials for the service's role.
   *
   * @default WorkloadIdentity.POD_IDENTITY
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Where requests come from.
   *
   * @default - ServiceRoute.none(): reached only from inside the cluster
   */
  readonly route?: ServiceRoute;

  /**
   * The HTTP path of the target group's health check (2xx is healthy). Only with a route.
   *
   * @default "/health"
   */
  readonly healthCheckPath?: string;

  /**
   * Seconds the target group lets a deregistered pod drain (0-3600). The workload chart checks
   * that its preStop sleep plus shutdown time covers it. Only with a route.
   *
   * @default 30
   */
  readonly deregistrationDelaySeconds?: number;

  /**
   * IAM managed policies to attach to the service's role, beyond what `connectTo` grants.
   *
   * @default - none
   */
  readonly managedPolicyArns?: string[];

  /**
   * Give the service's pods a security group of their own (EKS security groups for pods), so
   * that the data stores it is granted admit only its pods, not every node of the cluster. Needs
   * the cluster's `securityGroupsForPods` (see there for the instance type and CNI
   * requirements). The pods carry that group only; it exchanges in-cluster traffic with the
   * cluster security group (DNS, other services, Prometheus: NetworkPolicies decide which) and
   * reaches the VPC on 443 (interface endpoints). Add egress of your own to `podSecurityGroupId`
   * for anything else, such as the internet through NAT.
   *
   * @default false - isolation between services is IAM only; the network admits the cluster's nodes
   * @see https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html
   */
  readonly securityGroupsForPods?: boolean;

  /**
   * The `appName` this cluster had in release 0.1, when AppCluster carried one app: the service
   * takes over that app's IAM role (keeping its name `<cluster>-app-<legacyAppName>`), target
   * group and load balancer rules through `moved` blocks, so upgrading replaces nothing. The
   * bootstrap stack does the same for the app's namespace, service account, TargetGroupBinding,
   * Secret and ConfigMap. At most one service per cluster.
   *
   * @default - a new service with nothing to take over
   */
  readonly legacyAppName?: string;
}
