import { IVpcStack } from '../vpc-stack/vpc-stack';
import type { AutoModeOptions, ClusterSupportType, NodeGroupOptions } from './app-cluster';

/** Properties of an {@link AppCluster}. */
export interface AppClusterProps {
  /** The VPC: the cluster and nodes go into its private subnets, the load balancer into its public ones. */
  readonly vpc: IVpcStack;

  /**
   * The one application of a single-app cluster, as release 0.1 took it (a DNS-1035 label). It
   * becomes a service (see {@link AppCluster.addService}) with IRSA, the shared load balancer's
   * default route and the `app*` props below; the resources release 0.1 created for it move
   * there through `moved` blocks, so upgrading replaces nothing. New code declares services with
   * `addService` instead.
   *
   * @default - no application: declare services with addService
   */
  readonly appName?: string;

  /**
   * ARN of the ACM certificate for the load balancer's HTTPS listener, in the stack's region.
   *
   * @see https://docs.aws.amazon.com/acm/latest/userguide/gs.html
   */
  readonly certificateArn: string;

  /**
   * The EKS cluster name: 1-100 letters, digits, hyphens or underscores, starting with a letter
   * or digit. Give the same name to the VPC's `eksClusterName`.
   *
   * @default - `<project>-<environment>-<construct id>`, lowercased
   */
  readonly clusterName?: string;

  /**
   * The Kubernetes minor version, e.g. `1.35`.
   *
   * @default "1.35" - AppCluster.DEFAULT_KUBERNETES_VERSION, the newest version in EKS standard support at release
   * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
   */
  readonly kubernetesVersion?: string;

  /**
   * Accept a `kubernetesVersion` newer than the versions this release knows (1.32 to 1.35),
   * for a version EKS released since. Versions EKS no longer supports are refused either way.
   *
   * @default false
   */
  readonly allowUnlistedKubernetesVersion?: boolean;

  /**
   * The cluster's upgrade policy: what happens when `kubernetesVersion` leaves EKS standard
   * support. With STANDARD, EKS upgrades the control plane to the next version at that date, and
   * Terraform's next plan would try to go back (which EKS refuses): raise `kubernetesVersion`
   * before standard support ends, or set it to the version EKS moved to. EXTENDED keeps the
   * version and bills extended support automatically.
   *
   * @default ClusterSupportType.STANDARD - no surprise extended-support charges (EKS itself defaults to EXTENDED)
   * @see https://docs.aws.amazon.com/eks/latest/userguide/extended-support-control.html
   */
  readonly supportType?: ClusterSupportType;

  /**
   * IPv4 CIDR blocks that may reach the Kubernetes API over the internet. Empty keeps the API
   * endpoint private (reachable only from inside the VPC); the private endpoint stays on either
   * way. `0.0.0.0/0` additionally needs `allowPublicEndpointFromAnywhere`.
   *
   * @default - no public endpoint
   */
  readonly publicEndpointCidrs?: string[];

  /**
   * Accept `0.0.0.0/0` in `publicEndpointCidrs`, exposing the Kubernetes API to the whole
   * internet (authentication still applies). A warning is recorded.
   *
   * @default false
   */
  readonly allowPublicEndpointFromAnywhere?: boolean;

  /**
   * IPv4 CIDR blocks (a VPN, CI runners in a peered network) that may reach the private API
   * endpoint on 443, through the cluster's additional security group. Nodes reach it anyway.
   *
   * @default - none
   */
  readonly privateEndpointAccessCidrs?: string[];

  /**
   * IAM roles or users that get cluster-admin access through an EKS access entry with
   * `AmazonEKSClusterAdminPolicy`: the deploy pipeline's role (the bootstrap stack needs it) and
   * the platform team's role.
   *
   * @default - none; a warning is recorded when nobody can administer the cluster
   * @see https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
   */
  readonly adminPrincipalArns?: string[];

  /**
   * Give the IAM principal that creates the cluster cluster-admin access (an access entry that
   * Terraform does not manage). Changing it replaces the cluster.
   *
   * @default false
   */
  readonly bootstrapClusterCreatorAdminPermissions?: boolean;

  /**
   * The managed node groups, in the private subnets. With `autoMode`, they run beside Auto
   * Mode's nodes (and the cluster keeps the add-ons they need); without groups, Auto Mode runs
   * every pod.
   *
   * @default - one group "general" with the defaults of {@link NodeGroupOptions}; none with `autoMode`
   */
  readonly nodeGroups?: NodeGroupOptions[];

  /**
   * EKS Auto Mode: AWS runs the nodes (its built-in node pools, in the private subnets), their
   * networking, EBS volumes and load balancing (`compute_config`, `storage_config`,
   * `kubernetes_network_config.elastic_load_balancing`). The cluster role gets Auto Mode's
   * policies, the nodes a role of their own with the minimal node policies, and the add-ons
   * Auto Mode runs itself (VPC CNI, kube-proxy, CoreDNS, EBS CSI driver, Pod Identity agent) are
   * not installed, unless managed `nodeGroups` run beside it. Not with `securityGroupsForPods`,
   * which Auto Mode does not support (synth fails). The services' TargetGroupBindings still go
   * to the AWS Load Balancer Controller the deploy installs. Auto Mode's default NodeClass
   * encrypts node volumes with the AWS managed EBS key, not the cluster's key.
   *
   * @default - no Auto Mode: managed node groups
   */
  readonly autoMode?: AutoModeOptions;

  /**
   * The instance metadata (IMDSv2) response hop limit of the nodes, 1-64. With 2, pods can still
   * read instance metadata (the EBS CSI driver and the AWS Load Balancer Controller look up the
   * region and instance there); with 1 only host-network pods can, which also keeps other pods
   * away from the node role's credentials. IMDSv2 is always required.
   *
   * @default 2
   * @see https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html
   */
  readonly instanceMetadataHopLimit?: number;

  /**
   * Retention of the control plane log group `/aws/eks/<cluster>/cluster`, in days (a value
   * CloudWatch Logs accepts).
   *
   * @default - the environment preset (30 development, 90 staging, 365 production)
   */
  readonly clusterLogRetentionDays?: number;

  /**
   * Add `lifecycle.prevent_destroy` to the cluster, so Terraform refuses to destroy it.
   *
   * @default - the environment preset (true in production)
   */
  readonly preventDestroy?: boolean;

  /**
   * Create the EC2 Auto Scaling service-linked role. The node volumes are encrypted with the
   * cluster key, and Auto Scaling launches the nodes with that role, so the role gets a KMS
   * grant on the key; it must exist first. It exists in every account that ever had an Auto
   * Scaling group: turn this on only in a fresh account (creating it twice fails). Left off, the
   * deploy pipeline (`scripts/deploy.mjs`, from the {@link DeployPlan}) creates the role before
   * the AWS stack when the account lacks it, so a new account works either way.
   *
   * @default false
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
   */
  readonly createAutoScalingServiceLinkedRole?: boolean;

  /**
   * Add-on versions to pin, by add-on name (`vpc-cni`, `kube-proxy`, `coredns`,
   * `aws-ebs-csi-driver`, `eks-pod-identity-agent`, `metrics-server`), e.g. `{ 'vpc-cni': 'v1.20.4-eksbuild.1' }`.
   *
   * An add-on without a version gets the default EKS lists for the cluster's Kubernetes version
   * when it is created, and Terraform leaves it there: after raising `kubernetesVersion`, pin the
   * versions EKS lists as compatible (`aws eks describe-addon-versions --kubernetes-version <v>`).
   *
   * @default - the EKS default version at creation, for every add-on
   * @see https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html
   */
  readonly addonVersions?: { [addonName: string]: string };

  /**
   * Turn on EKS security groups for pods, so that services declared with
   * `securityGroupsForPods` get a security group of their own that their data stores admit
   * instead of the whole cluster. The VPC CNI runs with `ENABLE_POD_ENI` in standard enforcing
   * mode (kubelet probes and NetworkPolicies keep working) and the cluster role gets
   * `AmazonEKSVPCResourceController`. A cluster-wide setting, so that declaring or removing one
   * service never restarts the CNI on every node.
   *
   * Requirements: nodes of Nitro instance types that support network interface trunking (m5, c5,
   * r5, m6i, m6g and later; no `t` family), Linux, VPC CNI 1.11 or later. Each such pod takes a
   * branch network interface, which counts against the node's branch interface limit.
   *
   * @default false
   * @see https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html
   */
  readonly securityGroupsForPods?: boolean;

  /**
   * The port the application's pods listen on (the target group's port).
   *
   * @default 8080
   */
  readonly appPort?: number;

  /**
   * The HTTP path of the load balancer's health check.
   *
   * @default "/health"
   */
  readonly healthCheckPath?: string;

  /**
   * IPv4 CIDR blocks allowed to reach the load balancer on 80 and 443.
   *
   * @default ["0.0.0.0/0"] - it is the public entry point
   */
  readonly ingressCidrs?: string[];

  /**
   * Create the IRSA role of the AWS Load Balancer Controller (service account
   * `kube-system/aws-load-balancer-controller`, the Helm chart's default), with only what a
   * TargetGroupBinding needs: register and deregister targets in this cluster's target group
   * (and modify that group), and the read calls the controller makes to resolve it. Install
   * the controller with `serviceAccount.annotations."eks.amazonaws.com/role-arn"` set to
   * `loadBalancerControllerRoleArn`. If the controller should also create load balancers from
   * Ingress or Service objects, give it the controller's full policy instead: set this to
   * false and bring your own role.
   *
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/
   * @default true
   */
  readonly loadBalancerControllerRole?: boolean;

  /**
   * Deletion protection of the load balancer.
   *
   * @default - the environment preset (on in staging and production)
   */
  readonly loadBalancerDeletionProtection?: boolean;

  /**
   * The load balancer's name (1-32 letters, digits and hyphens).
   *
   * @default - the cluster name, shortened with a hash to 32 characters
   */
  readonly loadBalancerName?: string;

  /**
   * Days the load balancer's access logs are kept.
   *
   * @default - the environment preset's log retention
   */
  readonly accessLogRetentionDays?: number;

  /**
   * Seconds the load balancer's target group lets a deregistered pod drain (0-3600). The workload
   * chart's `preStopSleepSeconds` plus the app's own drain time should cover it; the chart and
   * this stack meet only by these values.
   *
   * @default 30
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay
   */
  readonly deregistrationDelaySeconds?: number;

  /**
   * Path patterns the load balancer answers with 404 instead of forwarding them to the app, such
   * as the metrics endpoint the app serves on its traffic port for in-cluster scrapers. ALB path
   * patterns (a "/" first, `*` and `?` wildcards, at most 128 characters); the listener rules take
   * priorities 1 to 10. An empty list blocks nothing.
   *
   * @default ["/metrics", "/metrics/*"]
   */
  readonly blockedPaths?: string[];

  /**
   * The Kubernetes namespace of the application (a DNS-1123 label).
   *
   * @default - `appName`
   */
  readonly appNamespace?: string;

  /**
   * The name of the application's Kubernetes service account, which may assume the IRSA role.
   *
   * @default - `appName`
   */
  readonly appServiceAccountName?: string;

  /**
   * IAM managed policies to attach to the application's IRSA role.
   *
   * @default - none; attach inline policies to `appServiceAccountRoleName` as needed
   */
  readonly appServiceAccountManagedPolicyArns?: string[];
}
