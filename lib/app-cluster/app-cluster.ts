import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import { KmsGrant } from '@cdktf/provider-aws/lib/kms-grant';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, ITerraformDependable, Lazy, TerraformLocal, TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { reportFinding } from '../checks/report';
import { EKS_IDLE_LOAD_BALANCER } from '../checks/rules/constructs/eks-idle-load-balancer';
import { EKS_NO_ADMIN } from '../checks/rules/constructs/eks-no-admin';
import { EKS_NO_API_PATH } from '../checks/rules/constructs/eks-no-api-path';
import { EKS_POD_SG_INSTANCE_TYPE } from '../checks/rules/constructs/eks-pod-sg-instance-type';
import { EKS_PUBLIC_ENDPOINT_OPEN } from '../checks/rules/constructs/eks-public-endpoint-open';
import { EKS_SPOT_SINGLE_TYPE } from '../checks/rules/constructs/eks-spot-single-type';
import { EKS_VERSION_SUPPORT_ENDING } from '../checks/rules/constructs/eks-version-support-ending';
import { PG_USER_NOT_CREATED } from '../checks/rules/constructs/pg-user-not-created';
import { IConnectable } from '../core/connections';
import { EncryptionKey } from '../core/encryption-key';
import { GroundworkStack } from '../core/groundwork-stack';
import { EncryptedLogGroup } from '../core/log-group';
import { Naming } from '../core/naming';
import { cidrsOverlap, parseCidr } from '../core/private/cidr';
import { checkIpv4Cidrs } from '../core/private/cidr-checks';
import { checkIntegerInRange, constructLabel, invalidCombination, invalidProp } from '../core/private/errors';
import { isLabelValue, isQualifiedName } from '../core/private/kubernetes-labels';
import { checkDns1035Label, checkDns1123Label, checkDns1123Subdomain } from '../core/private/kubernetes-names';
import { checkLogRetentionDays } from '../core/private/log-retention';
import { ObservedList } from '../core/private/observed-list';
import { policyDocument, PolicyStatement, serviceTrustPolicy } from '../core/private/policy';
import { checkSecurityGroupName } from '../core/private/security-group-name';
import { DatabaseJobs, DatabaseJobsProps } from '../database-jobs/database-jobs';
import { PostgresWithBackups } from '../postgres-with-backups/postgres-with-backups';
import { IVpcStack } from '../vpc-stack/vpc-stack';
import { AppClusterProps } from './app-cluster-props';
import { AppLoadBalancer, AppLoadBalancerProps } from './load-balancer';
import { awsManagedPolicyArn, idFromArn, serviceAccountTrustPolicy } from './private/eks-iam';
import { architectureOf, INSTANCE_TYPE_PATTERN } from './private/eks-instance-types';
import { resolveLoadBalancerProps } from './private/eks-load-balancer-props';
import {
  checkAtLeastTwo,
  checkPolicyArns,
  checkPrincipalArns,
  EKS_CLUSTER_NAME_PATTERN,
  includesAnywhere,
  KUBERNETES_VERSION_PATTERN,
} from './private/eks-validation';
import { EKS_VERSION_SUPPORT, LAST_RETIRED_VERSION, minorOf, STANDARD_SUPPORT_WARNING_DAYS, TABLE_DATE } from './private/eks-versions';
import { AppService, AppServiceProps, OwnLoadBalancerOptions, ServiceRoute, WorkloadIdentity } from './service';

// The props live in a file of their own; this module still exports them.
export { AppClusterProps } from './app-cluster-props';

/** How a managed node group buys its EC2 capacity. */
export enum NodeCapacityType {
  /** On-Demand Instances: capacity that is not taken back. */
  ON_DEMAND = 'ON_DEMAND',
  /**
   * Spot Instances: much cheaper, but EC2 may reclaim them with two minutes' notice. Give
   * several instance types so the group can draw from several Spot pools.
   */
  SPOT = 'SPOT',
}

/**
 * The EKS-optimized AMI family of a managed node group.
 *
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html#AmazonEKS-Type-Nodegroup-amiType
 */
export enum NodeAmiType {
  /** Amazon Linux 2023 for x86_64 instance types. */
  AL2023_X86_64_STANDARD = 'AL2023_x86_64_STANDARD',
  /** Amazon Linux 2023 for AWS Graviton (arm64) instance types. */
  AL2023_ARM_64_STANDARD = 'AL2023_ARM_64_STANDARD',
  /**
   * Bottlerocket for x86_64: a minimal, read-only, container-only OS with atomic updates. Its
   * root volume holds only the OS; images and containers live on a second (data) volume, which
   * `diskSizeGiB` sizes.
   */
  BOTTLEROCKET_X86_64 = 'BOTTLEROCKET_x86_64',
  /** Bottlerocket for AWS Graviton (arm64) instance types. */
  BOTTLEROCKET_ARM_64 = 'BOTTLEROCKET_ARM_64',
}

/** The managed policies EKS Auto Mode needs on the cluster role. */
const AUTO_MODE_CLUSTER_POLICIES = ['AmazonEKSComputePolicy', 'AmazonEKSBlockStoragePolicy', 'AmazonEKSLoadBalancingPolicy', 'AmazonEKSNetworkingPolicy'];

/** The built-in node pools of EKS Auto Mode. */
export enum AutoModeNodePool {
  /** General-purpose capacity for the workloads (On-Demand, AMD64, C/M/R families). */
  GENERAL_PURPOSE = 'general-purpose',
  /** Capacity for cluster-critical add-ons only (tainted `CriticalAddonsOnly`). */
  SYSTEM = 'system',
}

/**
 * EKS Auto Mode on an AppCluster (its `autoMode` prop): AWS manages the nodes (scaling, patching,
 * replacing them every 21 days at most), their networking, block storage and load balancing.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/automode.html
 */
export interface AutoModeOptions {
  /**
   * The built-in node pools Auto Mode runs. Empty: no built-in pool, only the NodePools you
   * create in the cluster (with a NodeClass naming `nodeRoleName`).
   *
   * @default [GENERAL_PURPOSE, SYSTEM]
   */
  readonly nodePools?: AutoModeNodePool[];
}

/**
 * What a node taint does to pods that do not tolerate it.
 *
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
 */
export enum NodeTaintEffect {
  /** New pods without a toleration are not scheduled on the nodes. */
  NO_SCHEDULE = 'NO_SCHEDULE',
  /** Pods without a toleration are evicted, and new ones not scheduled. */
  NO_EXECUTE = 'NO_EXECUTE',
  /** The scheduler avoids the nodes for pods without a toleration, but may still use them. */
  PREFER_NO_SCHEDULE = 'PREFER_NO_SCHEDULE',
}

/** A Kubernetes taint on the nodes of a managed node group. */
export interface NodeTaint {
  /** The taint key, a qualified name (`[prefix/]name`), e.g. `dedicated` or `example.com/gpu`. */
  readonly key: string;

  /**
   * The taint value, a label value (at most 63 characters).
   *
   * @default - no value
   */
  readonly value?: string;

  /** What the taint does to pods without a toleration. */
  readonly effect: NodeTaintEffect;
}

/**
 * What EKS does with a cluster whose Kubernetes version leaves standard support.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/view-upgrade-policy.html
 */
export enum ClusterSupportType {
  /**
   * At the end of standard support EKS upgrades the control plane to the next version itself;
   * no extended support is billed.
   */
  STANDARD = 'STANDARD',
  /**
   * The cluster stays on its version in extended support for up to 12 more months, billed at a
   * higher hourly rate per cluster (the EKS default when nothing is set).
   */
  EXTENDED = 'EXTENDED',
}

/** One managed node group of an {@link AppCluster}. */
export interface NodeGroupOptions {
  /**
   * The group's name within the cluster: 1-36 letters, digits, hyphens or underscores, starting
   * with a letter or digit. EKS appends a unique suffix, so a change that replaces the group
   * (instance types, capacity type) creates the new group before the old one is drained.
   */
  readonly name: string;

  /**
   * EC2 instance types (1-20), all of one architecture.
   *
   * @default ["m6i.large"]
   */
  readonly instanceTypes?: string[];

  /**
   * Minimum number of nodes.
   *
   * @default - 3 where the environment preset is Multi-AZ (staging, production), otherwise 1
   */
  readonly minSize?: number;

  /**
   * Number of nodes at creation. Terraform ignores later changes of the desired size, so a
   * node autoscaler can scale the group.
   *
   * @default - the larger of `minSize` and the preset minimum
   */
  readonly desiredSize?: number;

  /**
   * Maximum number of nodes a node autoscaler may scale the group to. Neither this library nor
   * its deploy installs one: without the Kubernetes cluster autoscaler (its AWS auto-discovery
   * finds the group by the tags EKS puts on it) or `autoMode`, the group stays at its desired
   * size however far the services' autoscalers scale out.
   *
   * @default - the larger of `desiredSize` and twice the preset minimum
   */
  readonly maxSize?: number;

  /**
   * On-Demand or Spot capacity.
   *
   * @default NodeCapacityType.ON_DEMAND
   */
  readonly capacityType?: NodeCapacityType;

  /**
   * Nodes that may be unavailable at once during a node group update (1-100).
   *
   * @default 1
   */
  readonly maxUnavailable?: number;

  /**
   * Size of each node's encrypted gp3 root volume, in GiB (20-16384).
   *
   * @default 50
   */
  readonly diskSizeGiB?: number;

  /**
   * The AMI family.
   *
   * @default - Amazon Linux 2023 for the architecture of the instance types
   */
  readonly amiType?: NodeAmiType;

  /**
   * Kubernetes labels for the group's nodes.
   *
   * @default - none beyond the ones EKS sets
   */
  readonly labels?: { [key: string]: string };

  /**
   * Taints of the group's nodes (at most 50), for a group dedicated to the pods that tolerate
   * them. At least one group must have no NoSchedule / NoExecute taint: CoreDNS, the EBS CSI
   * controller and metrics-server tolerate none.
   *
   * @default - no taints
   */
  readonly taints?: NodeTaint[];

  /**
   * EKS node auto-repair: EKS replaces nodes that stay unhealthy (not Ready) instead of leaving
   * them NotReady. The finer conditions (kubelet, container runtime, networking, storage) come
   * from the EKS node monitoring agent add-on, which this construct does not install.
   *
   * @default true
   * @see https://docs.aws.amazon.com/eks/latest/userguide/node-health.html
   */
  readonly nodeAutoRepair?: boolean;
}


interface ResolvedNodeGroup {
  readonly name: string;
  readonly instanceTypes: string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly capacityType: NodeCapacityType;
  readonly maxUnavailable: number;
  readonly diskSizeGiB: number;
  readonly amiType: NodeAmiType;
  readonly labels?: { [key: string]: string };
  readonly taints: NodeTaint[];
  readonly nodeAutoRepair: boolean;
}

/** An AppCluster's props with their defaults, validated before any resource exists. */
interface ResolvedClusterProps {
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly supportType: ClusterSupportType;
  readonly publicCidrs: string[];
  readonly openToAnywhere: boolean;
  readonly privateEndpointCidrs: string[];
  readonly adminPrincipalArns: string[];
  readonly hopLimit: number;
  readonly logRetentionDays: number;
  readonly nodeGroups: ResolvedNodeGroup[];
  /** Auto Mode's built-in node pools, when Auto Mode is on. */
  readonly autoModeNodePools?: AutoModeNodePool[];
  readonly addonVersions: { [addonName: string]: string };
  /** The shared load balancer's props, checked under the cluster's prop names. */
  readonly loadBalancerProps: AppLoadBalancerProps;
}

/** The cluster's IAM role and its policies. */
interface ClusterRoleResources {
  readonly role: IamRole;
  /** The policies the cluster waits for. */
  readonly policies: ITerraformDependable[];
  /** With security groups for pods: the VPC resource controller's policy, which the VPC CNI waits for. */
  readonly vpcResourceControllerPolicy?: IamRolePolicyAttachment;
}

/** The nodes' IAM role and what the node groups wait for. */
interface NodeIamResources {
  readonly role: IamRole;
  readonly policies: ITerraformDependable[];
  readonly volumeKeyGrant: KmsGrant;
}

/** Bottlerocket's OS volume: its images need 2 GiB; a little room for updates. */
const BOTTLEROCKET_OS_VOLUME_GIB = 4;

function isBottlerocket(amiType: NodeAmiType): boolean {
  return amiType === NodeAmiType.BOTTLEROCKET_X86_64 || amiType === NodeAmiType.BOTTLEROCKET_ARM_64;
}

/**
 * Address ranges no internet client has: "this network", private (RFC 1918), shared (RFC 6598),
 * loopback, link-local, IETF protocol assignments, benchmarking, multicast and reserved.
 */
const NON_PUBLIC_RANGES = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '240.0.0.0/4',
];

const ADDON_NAMES = ['vpc-cni', 'kube-proxy', 'coredns', 'aws-ebs-csi-driver', 'eks-pod-identity-agent', 'metrics-server'];
const ADDON_VERSION_PATTERN = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
/** Props that only describe release 0.1's single app (appName). */
const APP_ONLY_PROPS = [
  'appNamespace',
  'appServiceAccountName',
  'appServiceAccountManagedPolicyArns',
  'appPort',
  'healthCheckPath',
  'deregistrationDelaySeconds',
] as const;
const NODE_GROUP_NAME_PATTERN = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,35}$/;

/**
 * An EKS cluster for the services of an application platform, with managed node groups (or
 * EKS Auto Mode) and the Application Load Balancer in front of it; the Terraform half of the
 * platform. Services are declared once with {@link AppCluster.addService}, and the Kubernetes
 * side (workload charts, bootstrap stack) takes its names and values from those declarations.
 *
 * - Control plane in the private subnets; Kubernetes Secrets envelope-encrypted with a rotating
 *   customer-managed key; all five control plane log types in an encrypted log group with
 *   retention; the API endpoint private unless `publicEndpointCidrs` is given (`0.0.0.0/0` needs
 *   `allowPublicEndpointFromAnywhere`).
 * - Upgrade policy STANDARD unless `supportType` says otherwise: a version that leaves standard
 *   support is upgraded by EKS rather than silently billed for extended support.
 * - Authentication by EKS access entries only (`API` mode); the admins are props, and the
 *   cluster creator gets no hidden admin access unless asked.
 * - An IAM OIDC provider for IRSA. The VPC CNI and the EBS CSI driver get their own IRSA roles
 *   (so the node role holds no network or volume permissions). Each service gets a role of its
 *   own, trusted for exactly its service account: through EKS Pod Identity by default, or IRSA
 *   (`identity`); so does the single app of release 0.1's `appName`, through IRSA.
 * - Managed node groups with a launch template each: IMDSv2 required, root volume gp3
 *   encrypted with the cluster key (Bottlerocket: its OS and data volumes), no public IP
 *   address, the EKS cluster security group, node auto-repair on, optional taints.
 * - Add-ons vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver and metrics-server (the resource
 *   metrics the services' autoscalers scale on) as EKS managed add-ons. No
 *   version is pinned unless `addonVersions` says so: EKS installs its default version for the
 *   cluster's Kubernetes version (versions this library cannot verify offline are not guessed).
 * - An {@link AppLoadBalancer} (child `LoadBalancer`) whose target group the pods join through
 *   a TargetGroupBinding; the nodes' security group admits it on the app port only. Deregistered
 *   pods drain for 30 s, and `/metrics` gets a 404 from the load balancer instead of the app's
 *   metrics.
 *
 * Implements {@link IConnectable}: `db.allowConnectionsFrom(cluster)` admits the nodes and pods.
 *
 * Child IDs: `Key`, `LogGroup`, `ClusterRole`, `ClusterRolePolicy`, `ClusterRoleKmsPolicy`,
 * `SecurityGroup`, `PrivateEndpointIngress-<cidr>`, `Resource` (the cluster), `OidcProvider`,
 * `OidcIssuerHostPath` (a local),
 * `AdminAccess-<principal>`, `AdminPolicy-<principal>`, `NodeRole`, `NodeRolePolicy-<policy>`,
 * `AutoScalingServiceLinkedRole`, `NodeVolumeKeyGrant`, `LaunchTemplate-<group>`,
 * `NodeGroup-<group>`, `VpcCniRole`, `VpcCniRolePolicy`, `VpcCniAddon`, `KubeProxyAddon`,
 * `CoreDnsAddon`, `MetricsServerAddon`, `EbsCsiDriverRole`, `EbsCsiDriverRolePolicy`, `EbsCsiDriverAddon`,
 * `AppServiceAccountRole`, `AppServiceAccountPolicy-<policy>`, `LoadBalancer`,
 * `LoadBalancerControllerRole`, `LoadBalancerControllerRolePolicy`, and the outputs
 * `ClusterNameOutput`, `ClusterEndpointOutput`, `ClusterCertificateAuthorityOutput`,
 * `OidcIssuerOutput`, `OidcProviderArnOutput`, `NodeSecurityGroupIdOutput`,
 * `TargetGroupArnOutput`, `AppServiceAccountRoleArnOutput`, `LoadBalancerArnOutput`,
 * `LoadBalancerDnsNameOutput`, `LoadBalancerControllerRoleArnOutput`, `VpcIdOutput`.
 *
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/introduction.html
 */
export class AppCluster extends Construct implements IConnectable {
  /**
   * The default Kubernetes version: the newest in EKS standard support when this release was
   * made (1.35, standard support until March 2027).
   */
  public static readonly DEFAULT_KUBERNETES_VERSION: string = '1.35';

  /** The cluster name, as a literal (safe to use in Kubernetes manifests). */
  public readonly clusterName: string;
  /** The cluster ARN. */
  public readonly clusterArn: string;
  /** The Kubernetes API endpoint URL. */
  public readonly clusterEndpoint: string;
  /** The base64-encoded certificate authority data of the cluster (for kubeconfig and the kubernetes provider). */
  public readonly clusterCertificateAuthorityData: string;
  /** The Kubernetes version requested. */
  public readonly kubernetesVersion: string;
  /** The upgrade policy in effect: what EKS does when the version leaves standard support. */
  public readonly supportType: ClusterSupportType;
  /** The OIDC issuer URL of the cluster (`https://oidc.eks.<region>.amazonaws.com/id/...`). */
  public readonly oidcIssuerUrl: string;
  /** The ARN of the IAM OIDC provider for IRSA. */
  public readonly oidcProviderArn: string;
  /** The ARN of the cluster's IAM role. */
  public readonly clusterRoleArn: string;
  /** The ARN of the nodes' IAM role. */
  public readonly nodeRoleArn: string;
  /** The name of the nodes' IAM role. */
  public readonly nodeRoleName: string;
  /**
   * The role of the EKS Auto Mode nodes, with `autoMode`: the role a NodeClass of one's own
   * names (`spec.role`). With managed node groups beside Auto Mode, `nodeRoleName` is theirs.
   */
  public readonly autoModeNodeRoleName?: string;
  /**
   * The security group of the nodes and pods: the cluster security group EKS creates, which
   * managed nodes use.
   */
  public readonly nodeSecurityGroupId: string;
  /** The additional security group of the control plane's network interfaces. */
  public readonly clusterSecurityGroupId: string;
  /** The ARN of the key that encrypts Kubernetes Secrets and the node volumes. */
  public readonly clusterKeyArn: string;
  /** The control plane log group name. */
  public readonly clusterLogGroupName: string;
  /** The load balancer's ARN (for WAF). */
  public readonly loadBalancerArn: string;
  /** The load balancer's DNS name. */
  public readonly loadBalancerDnsName: string;
  /** The load balancer's hosted zone ID, for Route 53 alias records. */
  public readonly loadBalancerZoneId: string;

  /** The load balancer's security group ID. */
  public readonly albSecurityGroupId: string;

  /**
   * ARN of the AWS Load Balancer Controller's IRSA role, for its service account annotation
   * (unless `loadBalancerControllerRole` is false).
   */
  public readonly loadBalancerControllerRoleArn?: string;
  /** The node groups' names as given (EKS adds a suffix to the real names). */
  public readonly nodeGroupNames: string[];
  /** CIDR blocks allowed to the public API endpoint (empty: no public endpoint). */
  public readonly publicEndpointCidrs: string[];
  /** CIDR blocks allowed to the private API endpoint on 443, besides the nodes. */
  public readonly privateEndpointAccessCidrs: string[];
  /**
   * Whether this stack creates the EC2 Auto Scaling service-linked role
   * (`createAutoScalingServiceLinkedRole`); otherwise the deploy pipeline makes sure it exists.
   */
  public readonly createsAutoScalingServiceLinkedRole: boolean;
  /** The load balancer. */
  public readonly loadBalancer: AppLoadBalancer;
  /** The underlying cluster resource. */
  public readonly resource: EksCluster;
  /** The nodes' security group, as the source of connections (IConnectable). */
  public readonly connectionsSecurityGroupId: string;
  /** "EKS nodes of <cluster>", for rule descriptions (IConnectable). */
  public readonly connectionsDescription: string;
  /** The VPC ID of the cluster. */
  public readonly vpcId: string;
  /** The service that release 0.1's `appName` became, in a single-app cluster. */
  public readonly legacyApp?: AppService;

  /** The VPC the cluster runs in. */
  public readonly vpc: IVpcStack;
  private readonly certificateArn: string;
  private readonly serviceList = new ObservedList<AppService>();
  private readonly serviceNames = new Map<string, string>();
  private readonly targetGroupArns: string[] = [];
  private readonly addonVersions: { [addonName: string]: string };
  private readonly issuerHostPath: string;
  private readonly oidcProvider: IamOpenidConnectProvider;
  private podIdentityAgent?: EksAddon;
  /** Whether managed node groups run (without them, Auto Mode runs every pod). */
  private readonly managedNodes: boolean;
  /** Whether services may have security groups for pods (the cluster's securityGroupsForPods). */
  public readonly securityGroupsForPods: boolean;

  constructor(scope: Construct, id: string, props: AppClusterProps) {
    super(scope, id);
    const stack = GroundworkStack.ofConstruct(this);

    // ---- Validate everything before any resource exists ----
    const resolved = this.resolveProps(stack, id, props);
    this.reportAdvisoryFindings(props, resolved);

    this.clusterName = resolved.clusterName;
    this.kubernetesVersion = resolved.kubernetesVersion;
    this.supportType = resolved.supportType;
    this.vpc = props.vpc;
    this.vpcId = props.vpc.vpcId;
    this.certificateArn = props.certificateArn;
    this.addonVersions = resolved.addonVersions;
    this.publicEndpointCidrs = resolved.publicCidrs;
    this.privateEndpointAccessCidrs = resolved.privateEndpointCidrs;
    this.createsAutoScalingServiceLinkedRole = props.createAutoScalingServiceLinkedRole ?? false;
    this.nodeGroupNames = resolved.nodeGroups.map((g) => g.name);
    this.securityGroupsForPods = props.securityGroupsForPods ?? false;

    // ---- The control plane ----
    const key = this.createKey();
    this.clusterKeyArn = key.keyArn;
    const logGroup = this.createLogGroup(resolved.logRetentionDays);
    this.clusterLogGroupName = logGroup.logGroupName;
    const autoMode = resolved.autoModeNodePools !== undefined;
    const clusterRole = this.createClusterRole(stack.partition, key, autoMode);
    this.clusterRoleArn = clusterRole.role.arn;
    const clusterSg = this.createControlPlaneSecurityGroup(props.vpc, resolved.privateEndpointCidrs);
    this.clusterSecurityGroupId = clusterSg.id;
    const autoModeNodes = autoMode ? this.createAutoModeNodeRole(stack.partition) : undefined;
    const autoModeNodeRole = autoModeNodes?.role;
    this.autoModeNodeRoleName = autoModeNodeRole?.name;
    this.resource = this.createCluster(stack, props, resolved, { key, logGroup, clusterRole, clusterSg, autoModeNodeRole, autoModeNodePolicies: autoModeNodes?.policies });
    if (autoModeNodeRole !== undefined && resolved.autoModeNodePools!.length === 0) this.createAutoModeNodeAccess(stack.partition, autoModeNodeRole);
    this.clusterArn = this.resource.arn;
    this.clusterEndpoint = this.resource.endpoint;
    this.clusterCertificateAuthorityData = this.resource.certificateAuthority.get(0).data;
    this.oidcIssuerUrl = this.resource.identity.get(0).oidc.get(0).issuer;
    this.nodeSecurityGroupId = this.resource.vpcConfig.clusterSecurityGroupId;
    this.connectionsSecurityGroupId = this.nodeSecurityGroupId;
    this.connectionsDescription = `EKS nodes of ${resolved.clusterName}`;

    // ---- Identities: IRSA and the admins' access entries ----
    const irsa = this.createOidcProvider();
    this.oidcProviderArn = irsa.provider.arn;
    this.issuerHostPath = irsa.issuerHostPath;
    this.oidcProvider = irsa.provider;
    this.createAdminAccess(stack.partition, resolved.adminPrincipalArns);

    // ---- Nodes, and the add-ons before and after them ----
    // Managed node groups need the VPC CNI, kube-proxy, CoreDNS and the EBS CSI driver as
    // add-ons; Auto Mode's nodes run their own, so a cluster of Auto Mode only has none of them.
    this.managedNodes = resolved.nodeGroups.length > 0;
    if (this.managedNodes) {
      const nodeIam = this.createNodeIam(stack, props.createAutoScalingServiceLinkedRole, key);
      this.nodeRoleArn = nodeIam.role.arn;
      this.nodeRoleName = nodeIam.role.name;
      const bootAddons = this.createBootAddons(stack.partition, clusterRole.vpcResourceControllerPolicy);
      const groups = this.createNodeGroups(stack, props.vpc, resolved, key, nodeIam.role, [...nodeIam.policies, nodeIam.volumeKeyGrant, ...bootAddons]);
      this.createWorkloadAddons(stack.partition, groups);
    } else {
      this.nodeRoleArn = autoModeNodeRole!.arn;
      this.nodeRoleName = autoModeNodeRole!.name;
      this.createAddon('MetricsServerAddon', 'metrics-server', { dependsOn: [this.resource] });
    }

    // ---- The public entry point ----
    this.loadBalancer = this.createSharedLoadBalancer(resolved.loadBalancerProps);
    this.loadBalancerArn = this.loadBalancer.loadBalancerArn;
    this.loadBalancerDnsName = this.loadBalancer.loadBalancerDnsName;
    this.loadBalancerZoneId = this.loadBalancer.loadBalancerZoneId;
    this.albSecurityGroupId = this.loadBalancer.securityGroupId;
    if (props.loadBalancerControllerRole ?? true) {
      this.loadBalancerControllerRoleArn = this.createLoadBalancerControllerRole().arn;
    }

    // ---- Release 0.1's single app, now a service ----
    if (props.appName !== undefined) {
      this.legacyApp = this.addLegacyApp(props.appName, props);
    }

    // ---- Outputs for the bootstrap stack and the deploy pipeline ----
    this.createOutputs();
    this.node.addValidation({ validate: () => [...this.checkSharedLoadBalancerIsUsed(), ...this.checkDatabaseUsersAreCreated()] });
  }

  /**
   * Declares a service on the cluster: its namespace, service account, IAM role (EKS Pod
   * Identity by default), route on the shared load balancer or a load balancer of its own, and,
   * through `connectTo`, the data stores it may use. Any number per cluster; names, and the
   * hosts and paths routes claim, must be unique.
   *
   * @param id the service's construct ID (frozen once released: its resources' addresses derive from it)
   * @param props the service's declaration
   */
  public addService(id: string, props: AppServiceProps): AppService {
    const service = new AppService(this, id, props);
    this.serviceList.add(service);
    return service;
  }

  /**
   * Declares the in-cluster jobs of a database: the users Job, the logical backup and the
   * restore verification (see {@link DatabaseJobs}). Render their Kubernetes side with a
   * `DatabaseJobsChart`; the bootstrap stack writes their namespace, service accounts and
   * Secrets.
   *
   * @param id the construct ID (frozen once released: the jobs' services are `<id>Backup`, `<id>Verify`, `<id>Users`)
   * @param props the database and the schedules
   */
  public addDatabaseJobs(id: string, props: DatabaseJobsProps): DatabaseJobs {
    return new DatabaseJobs(this, id, props);
  }

  /**
   * Calls `listener` for every service, those declared so far and those to come.
   *
   * @internal
   */
  public _onService(listener: (service: AppService) => void): void {
    this.serviceList.observe(listener);
  }

  /** The services declared so far, in the order of `addService`. */
  public get services(): AppService[] {
    return this.serviceList.toArray();
  }

  /** The namespace of release 0.1's single app (`appName`). Throws in a cluster without one. */
  public get appNamespace(): string {
    return this.requireLegacyApp('appNamespace').namespace;
  }

  /** The service account of release 0.1's single app. Throws in a cluster without one. */
  public get appServiceAccountName(): string {
    return this.requireLegacyApp('appServiceAccountName').serviceAccountName;
  }

  /** The IRSA role ARN of release 0.1's single app. Throws in a cluster without one. */
  public get appServiceAccountRoleArn(): string {
    return this.requireLegacyApp('appServiceAccountRoleArn').roleArn;
  }

  /** The IRSA role name of release 0.1's single app. Throws in a cluster without one. */
  public get appServiceAccountRoleName(): string {
    return this.requireLegacyApp('appServiceAccountRoleName').roleName;
  }

  /** The port of release 0.1's single app. Throws in a cluster without one. */
  public get appPort(): number {
    return this.requireLegacyApp('appPort').port;
  }

  /** The target group of release 0.1's single app. Throws in a cluster without one. */
  public get targetGroupArn(): string {
    return this.requireLegacyApp('targetGroupArn').targetGroupArn!;
  }

  /** @internal */
  public _claimServiceName(service: AppService, name: string, legacyAppName: string | undefined): void {
    const existing = this.serviceNames.get(name);
    if (existing !== undefined) {
      invalidProp(service, 'name', `be unique in the cluster, but ${existing} already has it`, name);
    }
    this.serviceNames.set(name, constructLabel(service));
    if (legacyAppName !== undefined) {
      const adopter = this.serviceList.toArray().find((s) => s.legacyAppName !== undefined);
      if (adopter !== undefined) {
        invalidProp(service, 'legacyAppName', `be set on one service only; ${constructLabel(adopter)} already took over the 0.1 app`, legacyAppName);
      }
    }
  }

  /** @internal */
  public _roleName(suffix: string): string {
    return Naming.resourceName([this.clusterName, suffix], 64);
  }

  /** @internal */
  public _serviceAccountTrustPolicy(namespace: string, serviceAccount: string): string {
    return serviceAccountTrustPolicy(this.oidcProvider.arn, this.issuerHostPath, namespace, serviceAccount);
  }

  /** The statements of an IRSA trust policy for one service account. @internal */
  public _serviceAccountTrustStatements(namespace: string, serviceAccount: string): PolicyStatement[] {
    return JSON.parse(this._serviceAccountTrustPolicy(namespace, serviceAccount)).Statement;
  }

  /** The `eks-pod-identity-agent` add-on, created with the first service that uses EKS Pod Identity. @internal */
  public _podIdentityAgent(): EksAddon | undefined {
    // Auto Mode's nodes run the agent themselves.
    if (!this.managedNodes) return undefined;
    if (this.podIdentityAgent === undefined) {
      this.podIdentityAgent = new EksAddon(this, 'PodIdentityAgentAddon', {
        clusterName: this.resource.name,
        addonName: 'eks-pod-identity-agent',
        addonVersion: this.addonVersions['eks-pod-identity-agent'],
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        tags: { Name: `${this.clusterName}-eks-pod-identity-agent` },
      });
    }
    return this.podIdentityAgent;
  }

  /** @internal */
  public _registerTargetGroup(targetGroupArn: string): void {
    this.targetGroupArns.push(targetGroupArn);
  }

  /** @internal */
  public _ownLoadBalancer(service: AppService, options: OwnLoadBalancerOptions): AppLoadBalancer {
    return new AppLoadBalancer(service, 'LoadBalancer', {
      vpc: this.vpc,
      certificateArn: options.certificateArn ?? this.certificateArn,
      internal: !(options.internetFacing ?? false),
      ingressCidrs: options.ingressCidrs,
      loadBalancerName: options.loadBalancerName ?? Naming.resourceName([this.clusterName, service.name], 32),
      blockedPaths: options.blockedPaths,
      targetDescription: service.connectionsDescription,
    });
  }

  /** `<construct path>` as a Terraform output prefix, e.g. `app`. @internal */
  public _outputPrefix(): string {
    const stack = GroundworkStack.ofConstruct(this);
    return this.node.path
      .slice(stack.node.path.length + 1)
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase();
  }

  private requireLegacyApp(attribute: string): AppService {
    if (this.legacyApp === undefined) {
      invalidCombination(
        this,
        `${attribute} belongs to the single app of appName, which this cluster does not have; read it from the service that addService returned`,
      );
    }
    return this.legacyApp;
  }

  private checkSharedLoadBalancerIsUsed(): string[] {
    if (!this.serviceList.toArray().some((s) => s.loadBalancer === this.loadBalancer)) {
      reportFinding(
        this,
        EKS_IDLE_LOAD_BALANCER,
        'no service routes through the cluster\'s shared load balancer, which answers every ' +
          'request with 404: give a service ServiceRoute.defaultRoute() or a sharedLoadBalancer rule.',
      );
    }
    return [];
  }

  /**
   * At synth, once every service and grant is declared: a service that signs in to a
   * PostgresWithBackups with IAM needs a user that only the database jobs of its cluster create
   * (Terraform has no connection to the database).
   */
  private checkDatabaseUsersAreCreated(): string[] {
    const jobs = this.node.children.filter((c): c is DatabaseJobs => c instanceof DatabaseJobs);
    const services = this.serviceList.toArray();
    // A migration identity's users are named, with its service's, in the service's finding.
    const migrationIdentities = new Set(services.map((s) => s.migrationService).filter((s) => s !== undefined));
    for (const service of services.filter((s) => !migrationIdentities.has(s))) {
      for (const grant of service.connections) {
        const user = grant._value('USER');
        if (!(grant.store instanceof PostgresWithBackups) || !grant._signsInWithIam || user === undefined) continue;
        if (jobs.some((j) => j.database === grant.store)) continue;
        const migrationUser = grant._value('MIGRATION_USER');
        const users = migrationUser === undefined ? `"${user}"` : `"${user}" (its migrations as "${migrationUser}")`;
        reportFinding(
          service,
          PG_USER_NOT_CREATED,
          `service ${service.name} signs in to PostgresWithBackups ${grant.store.node.path} as ${users}, which nothing creates: ` +
            `no cluster.addDatabaseJobs(id, { database }) on ${this.node.path} covers that database, so every sign-in fails until the user exists.`,
        );
      }
    }
    return [];
  }

  /** Every prop checked and given its default, in the order of the errors: before any resource exists. */
  private resolveProps(stack: GroundworkStack, id: string, props: AppClusterProps): ResolvedClusterProps {
    const preset = stack.preset;
    const vpc = props.vpc;
    checkAtLeastTwo(this, 'vpc.availabilityZones', vpc.availabilityZones, 'list at least 2 zones (EKS needs subnets in two zones or more)');
    checkAtLeastTwo(this, 'vpc.privateSubnetIds', vpc.privateSubnetIds, 'hold at least 2 private subnets in different zones (EKS needs two zones or more)');

    const clusterName = props.clusterName ?? `${stack.namePrefix}-${id}`.toLowerCase();
    if (!Token.isUnresolved(clusterName) && (clusterName.length > 100 || !EKS_CLUSTER_NAME_PATTERN.test(clusterName))) {
      invalidProp(
        this,
        'clusterName',
        'be 1-100 letters, digits, hyphens or underscores, starting with a letter or digit',
        clusterName,
      );
    }
    checkSecurityGroupName(this, 'clusterName', clusterName, `${clusterName}-control-plane`);
    const kubernetesVersion = props.kubernetesVersion ?? AppCluster.DEFAULT_KUBERNETES_VERSION;
    if (!Token.isUnresolved(kubernetesVersion) && !KUBERNETES_VERSION_PATTERN.test(kubernetesVersion)) {
      invalidProp(this, 'kubernetesVersion', 'be a Kubernetes minor version such as "1.35"', kubernetesVersion);
    }
    if (!Token.isUnresolved(kubernetesVersion)) this.checkVersionSupport(kubernetesVersion, props.allowUnlistedKubernetesVersion ?? false);
    const supportType = props.supportType ?? ClusterSupportType.STANDARD;
    if (!Object.values(ClusterSupportType).includes(supportType)) {
      invalidProp(this, 'supportType', `be one of ${Object.values(ClusterSupportType).join(', ')}`, supportType);
    }

    const { publicCidrs, openToAnywhere, privateEndpointCidrs } = this.resolveEndpointAccess(props);

    const adminPrincipalArns = props.adminPrincipalArns ?? [];
    checkPrincipalArns(this, 'adminPrincipalArns', adminPrincipalArns);

    const hopLimit = props.instanceMetadataHopLimit ?? 2;
    checkIntegerInRange(this, 'instanceMetadataHopLimit', hopLimit, 1, 64);
    const logRetentionDays = props.clusterLogRetentionDays ?? preset.logRetentionDays;
    checkLogRetentionDays(this, 'clusterLogRetentionDays', logRetentionDays);

    const autoModeNodePools = this.resolveAutoMode(props);
    // With Auto Mode, managed node groups are beside it when given, and none by default.
    const nodeGroups = autoModeNodePools !== undefined && (props.nodeGroups ?? []).length === 0 ? [] : this.resolveNodeGroups(props.nodeGroups, preset.multiAz);
    const repelling = (group: ResolvedNodeGroup) => group.taints.some((t) => t.effect !== NodeTaintEffect.PREFER_NO_SCHEDULE);
    if (autoModeNodePools === undefined && nodeGroups.every(repelling)) {
      invalidProp(
        this,
        'nodeGroups',
        'have at least one group without a NO_SCHEDULE or NO_EXECUTE taint: CoreDNS, the EBS CSI controller and metrics-server tolerate none, and would never run',
        nodeGroups.map((g) => ({ name: g.name, taints: g.taints.map((t) => `${t.key}:${t.effect}`) })),
      );
    }
    const addonVersions = props.addonVersions ?? {};
    for (const [addonName, version] of Object.entries(addonVersions)) {
      if (!ADDON_NAMES.includes(addonName)) {
        invalidProp(this, 'addonVersions', `only have the keys ${ADDON_NAMES.join(', ')}`, addonName);
      }
      if (!Token.isUnresolved(version) && !ADDON_VERSION_PATTERN.test(version)) {
        invalidProp(this, `addonVersions.${addonName}`, 'be an EKS add-on version such as "v1.20.4-eksbuild.1"', version);
      }
    }

    this.checkLegacyAppProps(props);
    const loadBalancerProps = this.resolveSharedLoadBalancerProps(stack, props, clusterName);

    return {
      clusterName,
      kubernetesVersion,
      supportType,
      publicCidrs,
      openToAnywhere,
      privateEndpointCidrs,
      adminPrincipalArns,
      hopLimit,
      logRetentionDays,
      nodeGroups,
      autoModeNodePools,
      addonVersions,
      loadBalancerProps,
    };
  }

  /**
   * Auto Mode's node pools, or undefined without Auto Mode; throws on the settings Auto Mode does
   * not take: security groups for pods (its networking has no pod ENIs) and the Auto Scaling
   * service-linked role without managed node groups (its nodes are not in Auto Scaling groups).
   */
  private resolveAutoMode(props: AppClusterProps): AutoModeNodePool[] | undefined {
    if (props.autoMode === undefined) return undefined;
    const pools = props.autoMode.nodePools ?? [AutoModeNodePool.GENERAL_PURPOSE, AutoModeNodePool.SYSTEM];
    pools.forEach((pool, index) => {
      if (!Object.values(AutoModeNodePool).includes(pool)) {
        invalidProp(this, `autoMode.nodePools[${index}]`, `be one of ${Object.values(AutoModeNodePool).join(', ')}`, pool);
      }
    });
    if (new Set(pools).size !== pools.length) invalidProp(this, 'autoMode.nodePools', 'not repeat a node pool', pools);
    if (props.securityGroupsForPods === true) {
      invalidProp(
        this,
        'securityGroupsForPods',
        'be left out with autoMode: EKS Auto Mode has no security groups for pods (its nodes run their own networking, without pod ENIs); ' +
          'isolate the services with NetworkPolicies, or run managed node groups without Auto Mode',
        props.securityGroupsForPods,
      );
    }
    const managedNodes = (props.nodeGroups ?? []).length > 0;
    if (props.createAutoScalingServiceLinkedRole === true && !managedNodes) {
      invalidProp(this, 'createAutoScalingServiceLinkedRole', 'be set only with managed node groups: Auto Mode nodes are not in Auto Scaling groups', true);
    }
    if (props.instanceMetadataHopLimit !== undefined && !managedNodes) {
      invalidProp(
        this,
        'instanceMetadataHopLimit',
        'be set only with managed node groups: Auto Mode nodes answer instance metadata within one hop, which no setting here changes',
        props.instanceMetadataHopLimit,
      );
    }
    // metrics-server (an add-on Terraform waits for) and the services need nodes that take any pod
    // as soon as the cluster exists: the general-purpose pool or a managed node group. The system
    // pool takes only CriticalAddonsOnly pods; NodePools of one's own come after the apply.
    if (!pools.includes(AutoModeNodePool.GENERAL_PURPOSE) && !managedNodes) {
      invalidProp(
        this,
        'autoMode.nodePools',
        'include GENERAL_PURPOSE, or come with nodeGroups: without either, no node takes the services or metrics-server (which the apply waits for)',
        pools,
      );
    }
    return pools;
  }

  /** The CIDR blocks that may reach the public and the private API endpoint. */
  private resolveEndpointAccess(props: AppClusterProps): { readonly publicCidrs: string[]; readonly openToAnywhere: boolean; readonly privateEndpointCidrs: string[] } {
    const publicCidrs = checkIpv4Cidrs(this, 'publicEndpointCidrs', props.publicEndpointCidrs ?? []);
    const openToAnywhere = includesAnywhere(publicCidrs);
    if (openToAnywhere && !props.allowPublicEndpointFromAnywhere) {
      invalidProp(
        this,
        'publicEndpointCidrs',
        'not contain 0.0.0.0/0 unless allowPublicEndpointFromAnywhere is true (it exposes the Kubernetes API to the whole internet); ' +
          'list the CIDR blocks of your offices, VPN or CI instead',
        publicCidrs,
      );
    }
    if (props.allowPublicEndpointFromAnywhere && !openToAnywhere) {
      invalidCombination(
        this,
        'allowPublicEndpointFromAnywhere is true but publicEndpointCidrs does not contain 0.0.0.0/0; remove the opt-in',
      );
    }
    publicCidrs.forEach((cidr, i) => {
      const parsed = Token.isUnresolved(cidr) ? undefined : parseCidr(cidr);
      // Inside a non-public range (0.0.0.0/0 overlaps them all, and is checked above).
      const reserved = parsed && NON_PUBLIC_RANGES.find((range) => parsed.prefix >= parseCidr(range)!.prefix && cidrsOverlap(parsed, parseCidr(range)!));
      if (reserved) {
        invalidProp(
          this,
          `publicEndpointCidrs[${i}]`,
          `be a public address range: the public endpoint never sees a source in ${reserved} (give networks inside or routed to the VPC to privateEndpointAccessCidrs)`,
          cidr,
        );
      }
    });
    const privateEndpointCidrs = checkIpv4Cidrs(this, 'privateEndpointAccessCidrs', props.privateEndpointAccessCidrs ?? []);
    if (Token.isUnresolved(privateEndpointCidrs)) {
      invalidProp(this, 'privateEndpointAccessCidrs', 'be a literal list (one described rule is created per CIDR block)', privateEndpointCidrs);
    }
    return { publicCidrs, openToAnywhere, privateEndpointCidrs };
  }

  /** The props of release 0.1's single app: only with appName, and then valid. */
  private checkLegacyAppProps(props: AppClusterProps): void {
    if (props.appName === undefined) {
      const appOnly = APP_ONLY_PROPS.filter((prop) => props[prop] !== undefined);
      if (appOnly.length > 0) {
        invalidProp(
          this,
          appOnly.join(', '),
          'be left out without appName (they describe the single app of release 0.1): give these settings to addService instead',
          Object.fromEntries(appOnly.map((prop) => [prop, props[prop]])),
        );
      }
    } else {
      checkDns1035Label(this, 'appName', props.appName);
      checkDns1123Label(this, 'appNamespace', props.appNamespace ?? props.appName);
      checkDns1123Subdomain(this, 'appServiceAccountName', props.appServiceAccountName ?? props.appName);
      checkPolicyArns(this, 'appServiceAccountManagedPolicyArns', props.appServiceAccountManagedPolicyArns ?? []);
    }
  }

  /** The shared load balancer's props, checked under the cluster's prop names. */
  private resolveSharedLoadBalancerProps(stack: GroundworkStack, props: AppClusterProps, clusterName: string): AppLoadBalancerProps {
    const loadBalancerName = props.loadBalancerName ?? Naming.resourceName([clusterName], 32);
    const loadBalancerProps = {
      vpc: props.vpc,
      certificateArn: props.certificateArn,
      targetSecurityGroupId: '',
      targetPort: props.appPort,
      healthCheckPath: props.healthCheckPath,
      ingressCidrs: props.ingressCidrs,
      deletionProtection: props.loadBalancerDeletionProtection,
      accessLogRetentionDays: props.accessLogRetentionDays,
      loadBalancerName,
      deregistrationDelaySeconds: props.deregistrationDelaySeconds,
      blockedPaths: props.blockedPaths,
    };
    resolveLoadBalancerProps(
      this,
      stack,
      loadBalancerProps,
      { targetPort: 'appPort', deletionProtection: 'loadBalancerDeletionProtection' },
      false,
    );
    return loadBalancerProps;
  }

  /** Legal but risky choices, reported as findings. */
  private reportAdvisoryFindings(props: AppClusterProps, resolved: ResolvedClusterProps): void {
    const { publicCidrs, privateEndpointCidrs, adminPrincipalArns, nodeGroups } = resolved;
    if (resolved.openToAnywhere) {
      reportFinding(
        this,
        EKS_PUBLIC_ENDPOINT_OPEN,
        'the Kubernetes API endpoint is reachable from the whole internet (0.0.0.0/0); ' +
          'only authentication stands between it and attackers.',
      );
    }
    if (publicCidrs.length === 0 && privateEndpointCidrs.length === 0) {
      reportFinding(
        this,
        EKS_NO_API_PATH,
        'the Kubernetes API endpoint is private and no network may reach it (publicEndpointCidrs and ' +
          'privateEndpointAccessCidrs are both empty): only the nodes can. Run the deploy on a runner in the VPC or routed ' +
          "to it with its CIDR in privateEndpointAccessCidrs, or open the public endpoint to the runners' egress addresses with publicEndpointCidrs.",
      );
    }
    if (adminPrincipalArns.length === 0 && !props.bootstrapClusterCreatorAdminPermissions) {
      reportFinding(
        this,
        EKS_NO_ADMIN,
        'no adminPrincipalArns and no bootstrapClusterCreatorAdminPermissions: nobody can use the ' +
          'Kubernetes API, including the bootstrap stack; add the deploy pipeline role to adminPrincipalArns.',
      );
    }
    const noTrunking = nodeGroups.flatMap((g) => g.instanceTypes).filter((type) => /^t\d/.test(type));
    if (props.securityGroupsForPods && noTrunking.length > 0) {
      reportFinding(
        this,
        EKS_POD_SG_INSTANCE_TYPE,
        'security groups for pods need instance types that support network interface trunking; ' +
          `${noTrunking.join(', ')} (t family) do not, so pods of services with securityGroupsForPods stay Pending on those nodes.`,
      );
    }
    for (const group of nodeGroups) {
      if (group.capacityType === NodeCapacityType.SPOT && group.instanceTypes.length < 2) {
        reportFinding(
          this,
          EKS_SPOT_SINGLE_TYPE,
          `node group "${group.name}" uses Spot with one instance type; when that Spot pool ` +
            'runs dry the group cannot replace reclaimed nodes. List several similar types.',
        );
      }
    }
  }

  /** The key of the Kubernetes Secrets and the node volumes. */
  private createKey(): EncryptionKey {
    return new EncryptionKey(this, 'Key', {
      description: `Encrypts the Kubernetes Secrets and node volumes of EKS cluster ${this.clusterName}`,
    });
  }

  /** The control plane log group. */
  private createLogGroup(retentionDays: number): EncryptedLogGroup {
    // EKS writes to /aws/eks/<name>/cluster; creating it first gives it retention and our key.
    return new EncryptedLogGroup(this, 'LogGroup', {
      logGroupName: `/aws/eks/${this.clusterName}/cluster`,
      retentionDays,
      description: `control plane logs of EKS cluster ${this.clusterName}`,
    });
  }

  /** The cluster's IAM role, with what EKS needs for Secrets encryption and pod ENIs. */
  private createClusterRole(partition: string, key: EncryptionKey, autoMode: boolean): ClusterRoleResources {
    const clusterRole = new IamRole(this, 'ClusterRole', {
      name: this._roleName('cluster'),
      description: `Lets EKS manage the control plane of ${this.clusterName}`,
      assumeRolePolicy: serviceTrustPolicy('eks.amazonaws.com', { tagSession: autoMode }),
    });
    const clusterRolePolicy = new IamRolePolicyAttachment(this, 'ClusterRolePolicy', {
      role: clusterRole.name,
      policyArn: awsManagedPolicyArn(partition, 'AmazonEKSClusterPolicy'),
    });
    // Envelope encryption of Secrets: EKS uses the key with the cluster role's permissions.
    const clusterRoleKmsPolicy = new IamRolePolicy(this, 'ClusterRoleKmsPolicy', {
      name: 'encrypt-kubernetes-secrets',
      role: clusterRole.id,
      policy: policyDocument([
        {
          Effect: 'Allow',
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
          Resource: key.keyArn,
        },
      ]),
    });
    let vpcResourceControllerPolicy: IamRolePolicyAttachment | undefined;
    if (this.securityGroupsForPods) {
      // The VPC resource controller creates and attaches the pods' branch network interfaces.
      vpcResourceControllerPolicy = new IamRolePolicyAttachment(this, 'ClusterRolePolicy-AmazonEKSVPCResourceController', {
        role: clusterRole.name,
        policyArn: awsManagedPolicyArn(partition, 'AmazonEKSVPCResourceController'),
      });
    }
    // Auto Mode runs the nodes, their volumes, networking and load balancers with the cluster role.
    const autoModePolicies = autoMode
      ? AUTO_MODE_CLUSTER_POLICIES.map(
        (policy) => new IamRolePolicyAttachment(this, `ClusterRolePolicy-${policy}`, { role: clusterRole.name, policyArn: awsManagedPolicyArn(partition, policy) }),
      )
      : [];
    return { role: clusterRole, policies: [clusterRolePolicy, clusterRoleKmsPolicy, ...autoModePolicies], vpcResourceControllerPolicy };
  }

  /**
   * The role of Auto Mode's nodes, with the minimal node policies (pulling images, joining the
   * cluster), which the cluster waits for (and outlives on destroy).
   */
  private createAutoModeNodeRole(partition: string): { role: IamRole; policies: IamRolePolicyAttachment[] } {
    const role = new IamRole(this, 'AutoModeNodeRole', {
      name: this._roleName('auto-node'),
      description: `Role of the EKS Auto Mode nodes of ${this.clusterName}`,
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
    });
    const policies = ['AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryPullOnly'].map(
      (policy) => new IamRolePolicyAttachment(this, `AutoModeNodeRolePolicy-${policy}`, { role: role.name, policyArn: awsManagedPolicyArn(partition, policy) }),
    );
    return { role, policies };
  }

  /**
   * Without a built-in node pool EKS creates no access entry for the nodes' role (it does for the
   * role in compute_config): the nodes of one's own NodePools, whose NodeClass names that role,
   * join only through this one.
   */
  private createAutoModeNodeAccess(partition: string, role: IamRole): void {
    const entry = new EksAccessEntry(this, 'AutoModeNodeAccess', {
      clusterName: this.resource.name,
      principalArn: role.arn,
      type: 'EC2',
    });
    new EksAccessPolicyAssociation(this, 'AutoModeNodePolicy', {
      clusterName: this.resource.name,
      principalArn: entry.principalArn,
      policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy`,
      accessScope: { type: 'cluster' },
    });
  }

  /** The additional security group of the control plane, open to privateEndpointAccessCidrs. */
  private createControlPlaneSecurityGroup(vpc: IVpcStack, privateEndpointCidrs: string[]): SecurityGroup {
    const clusterName = this.clusterName;
    const clusterSg = new SecurityGroup(this, 'SecurityGroup', {
      name: `${clusterName}-control-plane`,
      description: `Additional security group of the EKS control plane of ${clusterName}: private API access only`,
      vpcId: vpc.vpcId,
      tags: { Name: `${clusterName}-control-plane` },
    });
    for (const cidr of privateEndpointCidrs) {
      new VpcSecurityGroupIngressRule(this, `PrivateEndpointIngress-${cidr.replace(/\//g, '_')}`, {
        securityGroupId: clusterSg.id,
        description: `Kubernetes API (HTTPS) on the private endpoint from ${cidr}`,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    }
    return clusterSg;
  }

  /** The cluster itself. */
  private createCluster(
    stack: GroundworkStack,
    props: AppClusterProps,
    resolved: ResolvedClusterProps,
    parts: {
      key: EncryptionKey;
      logGroup: EncryptedLogGroup;
      clusterRole: ClusterRoleResources;
      clusterSg: SecurityGroup;
      autoModeNodeRole?: IamRole;
      autoModeNodePolicies?: IamRolePolicyAttachment[];
    },
  ): EksCluster {
    const { clusterName, publicCidrs } = resolved;
    return new EksCluster(this, 'Resource', {
      name: clusterName,
      version: resolved.kubernetesVersion,
      roleArn: parts.clusterRole.role.arn,
      vpcConfig: {
        subnetIds: props.vpc.privateSubnetIds,
        securityGroupIds: [parts.clusterSg.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
      },
      accessConfig: {
        authenticationMode: 'API',
        bootstrapClusterCreatorAdminPermissions: props.bootstrapClusterCreatorAdminPermissions ?? false,
      },
      // The add-ons below are EKS managed add-ons from the start, not self-managed copies.
      bootstrapSelfManagedAddons: false,
      // Auto Mode's three capabilities go together (EKS refuses one without the others).
      ...(parts.autoModeNodeRole === undefined
        ? {}
        : {
          computeConfig: {
            enabled: true,
            nodePools: resolved.autoModeNodePools,
            nodeRoleArn: resolved.autoModeNodePools!.length > 0 ? parts.autoModeNodeRole.arn : undefined,
          },
          storageConfig: { blockStorage: { enabled: true } },
          kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
        }),
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: parts.key.keyArn } },
      enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
      // Unset, EKS puts a cluster whose version leaves standard support into extended support
      // and bills it automatically.
      upgradePolicy: { supportType: resolved.supportType },
      tags: { Name: clusterName },
      lifecycle: { preventDestroy: props.preventDestroy ?? stack.preset.preventDestroy },
      dependsOn: [...parts.clusterRole.policies, ...(parts.autoModeNodePolicies ?? []), parts.logGroup.resource],
    });
  }

  /** IRSA: the cluster's IAM OIDC provider and its issuer as the trust policies' condition keys want it. */
  private createOidcProvider(): { provider: IamOpenidConnectProvider; issuerHostPath: string } {
    // AWS no longer checks the thumbprint for EKS issuers; the provider fills it in.
    const provider = new IamOpenidConnectProvider(this, 'OidcProvider', {
      url: this.oidcIssuerUrl,
      clientIdList: ['sts.amazonaws.com'],
      tags: { Name: `${this.clusterName}-irsa` },
    });
    // The IRSA condition keys start with the issuer without its scheme. A local keeps the
    // function call (and its quotes) out of the policy documents, which stay valid JSON.
    const issuerHostPath = new TerraformLocal(this, 'OidcIssuerHostPath', Fn.replace(this.oidcIssuerUrl, 'https://', '')).asString;
    return { provider, issuerHostPath };
  }

  /** An IRSA role, trusted by one service account of the cluster. */
  private createIrsaRole(roleId: string, suffix: string, namespace: string, serviceAccount: string, what: string): IamRole {
    return new IamRole(this, roleId, {
      name: this._roleName(suffix),
      description: `IRSA role of ${what} (service account ${namespace}/${serviceAccount}) in EKS cluster ${this.clusterName}`,
      assumeRolePolicy: this._serviceAccountTrustPolicy(namespace, serviceAccount),
    });
  }

  /** Access entries for the admins. */
  private createAdminAccess(partition: string, adminPrincipalArns: string[]): void {
    adminPrincipalArns.forEach((principalArn, index) => {
      const isToken = Token.isUnresolved(principalArn);
      const entry = new EksAccessEntry(this, idFromArn('AdminAccess', principalArn, index, isToken), {
        clusterName: this.resource.name,
        principalArn,
        type: 'STANDARD',
      });
      new EksAccessPolicyAssociation(this, idFromArn('AdminPolicy', principalArn, index, isToken), {
        clusterName: this.resource.name,
        principalArn: entry.principalArn,
        policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: 'cluster' },
      });
    });
  }

  /** The nodes' IAM role, and the grant that lets Auto Scaling launch them with encrypted volumes. */
  private createNodeIam(stack: GroundworkStack, createServiceLinkedRole: boolean | undefined, key: EncryptionKey): NodeIamResources {
    const partition = stack.partition;
    const clusterName = this.clusterName;
    const nodeRole = new IamRole(this, 'NodeRole', {
      name: this._roleName('node'),
      description: `Role of the managed nodes of EKS cluster ${clusterName}`,
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
    });
    // The VPC CNI's permissions live on its own IRSA role, not here (EKS best practice).
    const nodeRolePolicies: ITerraformDependable[] = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'].map(
      (policy) =>
        new IamRolePolicyAttachment(this, `NodeRolePolicy-${policy}`, {
          role: nodeRole.name,
          policyArn: awsManagedPolicyArn(partition, policy),
        }),
    );

    // Auto Scaling launches the nodes with its service-linked role, which must be able to use
    // the key of the encrypted root volumes.
    const autoScalingRoleArn = `arn:${partition}:iam::${stack.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    const autoScalingRole = createServiceLinkedRole
      ? new IamServiceLinkedRole(this, 'AutoScalingServiceLinkedRole', { awsServiceName: 'autoscaling.amazonaws.com' })
      : undefined;
    const volumeKeyGrant = new KmsGrant(this, 'NodeVolumeKeyGrant', {
      name: `${clusterName}-node-volumes`,
      keyId: key.keyArn,
      granteePrincipal: autoScalingRole?.arn ?? autoScalingRoleArn,
      operations: [
        'Encrypt',
        'Decrypt',
        'ReEncryptFrom',
        'ReEncryptTo',
        'GenerateDataKey',
        'GenerateDataKeyWithoutPlaintext',
        'DescribeKey',
        'CreateGrant',
      ],
    });
    return { role: nodeRole, policies: nodeRolePolicies, volumeKeyGrant };
  }

  /** An EKS managed add-on of the cluster. */
  private createAddon(
    addonId: string,
    addonName: string,
    extra: { serviceAccountRoleArn?: string; dependsOn?: ITerraformDependable[]; configurationValues?: string },
  ): EksAddon {
    return new EksAddon(this, addonId, {
      clusterName: this.resource.name,
      addonName,
      // Unpinned, EKS installs its default version for the cluster's Kubernetes version.
      addonVersion: this.addonVersions[addonName],
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      serviceAccountRoleArn: extra.serviceAccountRoleArn,
      configurationValues: extra.configurationValues,
      dependsOn: extra.dependsOn,
      tags: { Name: `${this.clusterName}-${addonName}` },
    });
  }

  /** The add-ons the nodes need to become Ready, created before the node groups. */
  private createBootAddons(partition: string, vpcResourceControllerPolicy: IamRolePolicyAttachment | undefined): EksAddon[] {
    const vpcCniRole = this.createIrsaRole('VpcCniRole', 'vpc-cni', 'kube-system', 'aws-node', 'the Amazon VPC CNI');
    const vpcCniRolePolicy = new IamRolePolicyAttachment(this, 'VpcCniRolePolicy', {
      role: vpcCniRole.name,
      policyArn: awsManagedPolicyArn(partition, 'AmazonEKS_CNI_Policy'),
    });
    const vpcCni = this.createAddon('VpcCniAddon', 'vpc-cni', {
      serviceAccountRoleArn: vpcCniRole.arn,
      // Pod ENIs need the VPC resource controller's permissions on the cluster role first.
      dependsOn: [vpcCniRolePolicy, ...(vpcResourceControllerPolicy ? [vpcResourceControllerPolicy] : [])],
      // Without this the VPC CNI ignores NetworkPolicy objects, and the workload chart's
      // default-deny and allow-lists would silently do nothing.
      // Security groups for pods turn on pod ENIs, in standard mode so that kubelet probes and
      // NetworkPolicies keep working for those pods.
      configurationValues: JSON.stringify({
        enableNetworkPolicy: 'true',
        ...(this.securityGroupsForPods ? { env: { ENABLE_POD_ENI: 'true', POD_SECURITY_GROUP_ENFORCING_MODE: 'standard' } } : {}),
      }),
    });
    const kubeProxy = this.createAddon('KubeProxyAddon', 'kube-proxy', {});
    return [vpcCni, kubeProxy];
  }

  /** The managed node groups, each with its launch template. */
  private createNodeGroups(
    stack: GroundworkStack,
    vpc: IVpcStack,
    resolved: ResolvedClusterProps,
    key: EncryptionKey,
    nodeRole: IamRole,
    nodeDependencies: ITerraformDependable[],
  ): EksNodeGroup[] {
    const clusterName = this.clusterName;
    return resolved.nodeGroups.map((group) => {
      const template = this.createLaunchTemplate(stack, group, resolved.hopLimit, key);
      return new EksNodeGroup(this, `NodeGroup-${group.name}`, {
        clusterName: this.resource.name,
        // Follows the cluster: raising kubernetesVersion upgrades the control plane, then the nodes.
        version: this.resource.version,
        nodeGroupNamePrefix: `${group.name}-`,
        nodeRoleArn: nodeRole.arn,
        subnetIds: vpc.privateSubnetIds,
        instanceTypes: group.instanceTypes,
        amiType: group.amiType,
        capacityType: group.capacityType,
        scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
        updateConfig: { maxUnavailable: group.maxUnavailable },
        launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
        labels: group.labels,
        taint: group.taints.length === 0 ? undefined : group.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
        nodeRepairConfig: { enabled: group.nodeAutoRepair },
        tags: { Name: `${clusterName}-${group.name}` },
        lifecycle: { createBeforeDestroy: true, ignoreChanges: ['scaling_config[0].desired_size'] },
        dependsOn: [...nodeDependencies],
      });
    });
  }

  /** A node group's launch template: IMDSv2, encrypted gp3 volumes, no public IP. */
  private createLaunchTemplate(stack: GroundworkStack, group: ResolvedNodeGroup, hopLimit: number, key: EncryptionKey): LaunchTemplate {
    const clusterName = this.clusterName;
    return new LaunchTemplate(this, `LaunchTemplate-${group.name}`, {
      name: Naming.resourceName([clusterName, group.name], 128),
      description: `Nodes of group ${group.name} in EKS cluster ${clusterName}`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: hopLimit,
      },
      // Amazon Linux boots and runs containers from /dev/xvda. Bottlerocket keeps only its OS
      // there and images and containers on the data volume /dev/xvdb: both encrypted.
      blockDeviceMappings: (isBottlerocket(group.amiType)
        ? [{ deviceName: '/dev/xvda', volumeSize: BOTTLEROCKET_OS_VOLUME_GIB }, { deviceName: '/dev/xvdb', volumeSize: group.diskSizeGiB }]
        : [{ deviceName: '/dev/xvda', volumeSize: group.diskSizeGiB }]
      ).map(({ deviceName, volumeSize }) => ({
          deviceName,
          ebs: {
            volumeSize,
            volumeType: 'gp3',
            encrypted: 'true',
            kmsKeyId: key.keyArn,
            deleteOnTermination: 'true',
          },
        })),
      // With a network interface in the template EKS no longer adds the cluster security
      // group itself, so it is named here; no public IP even in a subnet that maps them.
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: 'false',
          deleteOnTermination: 'true',
          securityGroups: [this.nodeSecurityGroupId],
        },
      ],
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
        resourceType,
        tags: { ...stack.commonTags, Name: `${clusterName}-${group.name}` },
      })),
      tags: { Name: `${clusterName}-${group.name}` },
    });
  }

  /** The add-ons that run as Deployments: they need nodes, or EKS reports them degraded. */
  private createWorkloadAddons(partition: string, groups: EksNodeGroup[]): void {
    this.createAddon('CoreDnsAddon', 'coredns', { dependsOn: groups });
    // The resource metrics API the services' autoscalers scale on: without it an HPA never acts.
    this.createAddon('MetricsServerAddon', 'metrics-server', { dependsOn: groups });
    const ebsCsiRole = this.createIrsaRole('EbsCsiDriverRole', 'ebs-csi', 'kube-system', 'ebs-csi-controller-sa', 'the EBS CSI driver');
    const ebsCsiRolePolicy = new IamRolePolicyAttachment(this, 'EbsCsiDriverRolePolicy', {
      role: ebsCsiRole.name,
      policyArn: awsManagedPolicyArn(partition, 'service-role/AmazonEBSCSIDriverPolicy'),
    });
    this.createAddon('EbsCsiDriverAddon', 'aws-ebs-csi-driver', {
      serviceAccountRoleArn: ebsCsiRole.arn,
      dependsOn: [...groups, ebsCsiRolePolicy],
    });
  }

  /** The load balancer the services share. */
  private createSharedLoadBalancer(loadBalancerProps: AppLoadBalancerProps): AppLoadBalancer {
    // Shared by the services: each adds its target group and listener rule (or takes the
    // default action); what no service claims gets a 404.
    const { targetSecurityGroupId: _none, targetPort: _port, healthCheckPath: _path, deregistrationDelaySeconds: _delay, ...sharedLoadBalancerProps } = loadBalancerProps;
    return new AppLoadBalancer(this, 'LoadBalancer', {
      ...sharedLoadBalancerProps,
      targetDescription: this.connectionsDescription,
    });
  }

  /** The IRSA role of the AWS Load Balancer Controller, which puts the pods into the target groups. */
  private createLoadBalancerControllerRole(): IamRole {
    const controllerRole = this.createIrsaRole(
      'LoadBalancerControllerRole',
      'lb-controller',
      'kube-system',
      'aws-load-balancer-controller',
      'the AWS Load Balancer Controller',
    );
    // The controller's documented subset for TargetGroupBinding only (plus ec2:DescribeVpcs,
    // which it calls too); writes are limited to the target groups of this cluster's services,
    // listed at synth, so the controller cannot touch any other load balancer in the account.
    const writes = () =>
      this.targetGroupArns.length === 0
        ? []
        : [
            {
              Sid: 'RegisterPodsInTheServicesTargetGroups',
              Effect: 'Allow' as const,
              Action: [
                'elasticloadbalancing:RegisterTargets',
                'elasticloadbalancing:DeregisterTargets',
                'elasticloadbalancing:ModifyTargetGroup',
                'elasticloadbalancing:ModifyTargetGroupAttributes',
              ],
              Resource: this.targetGroupArns.length === 1 ? this.targetGroupArns[0] : [...this.targetGroupArns],
            },
          ];
    new IamRolePolicy(this, 'LoadBalancerControllerRolePolicy', {
      role: controllerRole.name,
      name: 'target-group-binding',
      policy: Lazy.stringValue({ produce: () => policyDocument([
        ...writes(),
        {
          Sid: 'ResolveTargetGroupsAndTargets',
          Effect: 'Allow',
          Action: [
            'elasticloadbalancing:DescribeTargetGroups',
            'elasticloadbalancing:DescribeTargetHealth',
            'ec2:DescribeInstances',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeVpcs',
          ],
          // Describe calls support no resource-level permissions.
          Resource: '*',
        },
      ]) }),
    });
    return controllerRole;
  }

  /** Release 0.1's single app, now a service. */
  private addLegacyApp(appName: string, props: AppClusterProps): AppService {
    return this.addService(appName, {
      name: appName,
      namespace: props.appNamespace,
      serviceAccountName: props.appServiceAccountName,
      port: props.appPort,
      identity: WorkloadIdentity.IRSA,
      route: ServiceRoute.defaultRoute(),
      healthCheckPath: props.healthCheckPath,
      deregistrationDelaySeconds: props.deregistrationDelaySeconds,
      managedPolicyArns: props.appServiceAccountManagedPolicyArns,
      legacyAppName: appName,
    });
  }

  private createOutputs(): void {
    // Stable, readable output names (`<construct path>_cluster_name`), not hashed logical IDs,
    // so pipelines can run `terraform output -raw app_cluster_name`.
    const prefix = this._outputPrefix();
    const outputs: Array<[string, string, string, string]> = [
      ['ClusterNameOutput', 'cluster_name', this.resource.name, 'Name of the EKS cluster'],
      ['ClusterEndpointOutput', 'cluster_endpoint', this.clusterEndpoint, 'Kubernetes API endpoint of the EKS cluster'],
      [
        'ClusterCertificateAuthorityOutput',
        'cluster_certificate_authority_data',
        this.clusterCertificateAuthorityData,
        'Base64-encoded certificate authority data of the EKS cluster (public)',
      ],
      ['OidcIssuerOutput', 'oidc_issuer_url', this.oidcIssuerUrl, 'OIDC issuer URL of the EKS cluster'],
      ['OidcProviderArnOutput', 'oidc_provider_arn', this.oidcProviderArn, 'ARN of the IAM OIDC provider for IRSA'],
      ['NodeSecurityGroupIdOutput', 'node_security_group_id', this.nodeSecurityGroupId, 'Security group of the EKS nodes and pods'],
      ...(this.legacyApp === undefined
        ? []
        : ([
            ['TargetGroupArnOutput', 'target_group_arn', this.legacyApp.targetGroupArn!, 'IP target group for the TargetGroupBinding of the app'],
            [
              'AppServiceAccountRoleArnOutput',
              'app_service_account_role_arn',
              this.legacyApp.roleArn,
              "IRSA role ARN for the app's service account annotation",
            ],
          ] as Array<[string, string, string, string]>)),
      ...(this.loadBalancerControllerRoleArn === undefined
        ? []
        : ([
            [
              'LoadBalancerControllerRoleArnOutput',
              'load_balancer_controller_role_arn',
              this.loadBalancerControllerRoleArn,
              "IRSA role ARN for the AWS Load Balancer Controller's service account annotation",
            ],
          ] as Array<[string, string, string, string]>)),
      ['VpcIdOutput', 'vpc_id', this.vpcId, 'VPC of the cluster (the AWS Load Balancer Controller is given it: the pods cannot read instance metadata)'],
      ['LoadBalancerArnOutput', 'load_balancer_arn', this.loadBalancerArn, 'ARN of the public Application Load Balancer'],
      ['LoadBalancerDnsNameOutput', 'load_balancer_dns_name', this.loadBalancerDnsName, 'DNS name of the public Application Load Balancer'],
    ];
    for (const [outputId, name, value, description] of outputs) {
      const output = new TerraformOutput(this, outputId, { value, description, sensitive: false });
      output.overrideLogicalId(`${prefix}_${name}`);
    }
  }

  private resolveNodeGroups(groups: NodeGroupOptions[] | undefined, multiAz: boolean): ResolvedNodeGroup[] {
    const list = groups ?? [{ name: 'general' }];
    if (list.length === 0) {
      invalidProp(this, 'nodeGroups', 'contain at least one node group (CoreDNS and the EBS CSI controller need nodes)', list);
    }
    const presetMin = multiAz ? 3 : 1;
    const seen = new Set<string>();
    return list.map((group, index) => {
      const at = `nodeGroups[${index}]`;
      if (!NODE_GROUP_NAME_PATTERN.test(group.name)) {
        invalidProp(
          this,
          `${at}.name`,
          'be 1-36 letters, digits, hyphens or underscores, starting with a letter or digit',
          group.name,
        );
      }
      if (seen.has(group.name)) {
        invalidProp(this, 'nodeGroups', 'have unique names', list.map((g) => g.name));
      }
      seen.add(group.name);

      const instanceTypes = group.instanceTypes ?? ['m6i.large'];
      if (instanceTypes.length < 1 || instanceTypes.length > 20) {
        invalidProp(this, `${at}.instanceTypes`, 'list 1 to 20 instance types', instanceTypes);
      }
      for (const type of instanceTypes) {
        if (!INSTANCE_TYPE_PATTERN.test(type)) {
          invalidProp(this, `${at}.instanceTypes`, 'contain EC2 instance types such as "m6i.large"', type);
        }
      }
      const architectures = new Set(instanceTypes.map(architectureOf));
      if (architectures.size > 1) {
        invalidProp(
          this,
          `${at}.instanceTypes`,
          'be of one architecture (all AWS Graviton / arm64 or all x86_64), since a node group has one AMI',
          instanceTypes,
        );
      }
      const amiType =
        group.amiType ??
        (architectures.has('arm64') ? NodeAmiType.AL2023_ARM_64_STANDARD : NodeAmiType.AL2023_X86_64_STANDARD);
      if (!Object.values(NodeAmiType).includes(amiType)) {
        invalidProp(this, `${at}.amiType`, `be one of ${Object.values(NodeAmiType).join(', ')}`, amiType);
      }
      const amiArchitecture = amiType.includes('ARM_64') ? 'arm64' : 'x86_64';
      if (!architectures.has(amiArchitecture)) {
        invalidProp(this, `${at}.amiType`, `match the architecture of the instance types (${[...architectures].join(', ')})`, amiType);
      }
      const taints = this.checkTaints(at, group.taints ?? []);
      for (const [key, value] of Object.entries(group.labels ?? {})) {
        // Kubernetes' rule, and EKS's tighter one: 1-63 characters for a key, prefix included.
        if (Token.isUnresolved(key) || !isQualifiedName(key) || key.length > 63) {
          invalidProp(this, `${at}.labels`, 'have label keys of at most 63 characters, prefix included ([prefix/]name, as EKS and Kubernetes accept them)', key);
        }
        if (Token.isUnresolved(value) || value === '' || !isLabelValue(value)) {
          invalidProp(this, `${at}.labels.${key}`, 'be a label value EKS accepts (1-63 letters, digits, "-", "_" or ".", alphanumeric at both ends)', value);
        }
      }
      const capacityType = group.capacityType ?? NodeCapacityType.ON_DEMAND;
      if (!Object.values(NodeCapacityType).includes(capacityType)) {
        invalidProp(this, `${at}.capacityType`, `be one of ${Object.values(NodeCapacityType).join(', ')}`, capacityType);
      }

      checkIntegerInRange(this, `${at}.minSize`, group.minSize, 0, 1000);
      const minSize = group.minSize ?? presetMin;
      checkIntegerInRange(this, `${at}.desiredSize`, group.desiredSize, 0, 1000);
      const desiredSize = group.desiredSize ?? Math.max(minSize, presetMin);
      checkIntegerInRange(this, `${at}.maxSize`, group.maxSize, 1, 1000);
      const maxSize = group.maxSize ?? Math.max(desiredSize, 2 * presetMin);
      if (minSize > desiredSize || desiredSize > maxSize) {
        invalidCombination(
          this,
          `${at} "${group.name}": sizes must satisfy minSize <= desiredSize <= maxSize, ` +
            `got minSize ${minSize}, desiredSize ${desiredSize}, maxSize ${maxSize}`,
        );
      }
      const maxUnavailable = group.maxUnavailable ?? 1;
      checkIntegerInRange(this, `${at}.maxUnavailable`, maxUnavailable, 1, 100);
      const diskSizeGiB = group.diskSizeGiB ?? 50;
      checkIntegerInRange(this, `${at}.diskSizeGiB`, diskSizeGiB, 20, 16384);

      return {
        name: group.name,
        instanceTypes,
        minSize,
        desiredSize,
        maxSize,
        capacityType,
        maxUnavailable,
        diskSizeGiB,
        amiType,
        labels: group.labels,
        taints,
        nodeAutoRepair: group.nodeAutoRepair ?? true,
      };
    });
  }

  /** EKS's support window of the version, from the table of this release (never the clock). */
  private checkVersionSupport(version: string, allowUnlisted: boolean): void {
    const known = Object.keys(EKS_VERSION_SUPPORT).sort((a, b) => minorOf(a) - minorOf(b));
    const range = `${known[0]} to ${known[known.length - 1]}`;
    const support = EKS_VERSION_SUPPORT[version];
    if (support === undefined) {
      if (minorOf(version) < minorOf(known[0])) {
        invalidProp(
          this,
          'kubernetesVersion',
          `be a version EKS still supports (${range}; ${LAST_RETIRED_VERSION.version} left extended support on ${LAST_RETIRED_VERSION.extendedUntil}, older ones before)`,
          version,
        );
      }
      if (!allowUnlisted) {
        invalidProp(this, 'kubernetesVersion', `be one this release knows (${range}); set allowUnlistedKubernetesVersion for a newer version EKS offers`, version);
      }
      return;
    }
    const warnFrom = new Date(Date.parse(support.standardUntil) - STANDARD_SUPPORT_WARNING_DAYS * 86400000).toISOString().slice(0, 10);
    if (warnFrom <= TABLE_DATE) {
      const ended = support.standardUntil <= TABLE_DATE;
      reportFinding(
        this,
        EKS_VERSION_SUPPORT_ENDING,
        `Kubernetes ${version} ${ended ? 'left' : 'leaves'} EKS standard support on ${support.standardUntil}: then EKS upgrades the control plane ` +
          `(supportType STANDARD) or bills extended support until ${support.extendedUntil} (EXTENDED); raise kubernetesVersion.`,
      );
    }
  }

  private checkTaints(at: string, taints: NodeTaint[]): NodeTaint[] {
    if (taints.length > 50) invalidProp(this, `${at}.taints`, 'list at most 50 taints (the EKS limit per node group)', taints.length);
    const seen = new Set<string>();
    taints.forEach((taint, i) => {
      if (Token.isUnresolved(taint.key) || !isQualifiedName(taint.key) || taint.key.length > 63) {
        invalidProp(this, `${at}.taints[${i}].key`, 'be a qualified name of at most 63 characters, prefix included ([prefix/]name, as EKS accepts it)', taint.key);
      }
      if (taint.value !== undefined && (Token.isUnresolved(taint.value) || !isLabelValue(taint.value))) {
        invalidProp(this, `${at}.taints[${i}].value`, 'be a label value (at most 63 letters, digits, "-", "_" or ".", alphanumeric at both ends)', taint.value);
      }
      if (!Object.values(NodeTaintEffect).includes(taint.effect)) {
        invalidProp(this, `${at}.taints[${i}].effect`, `be one of ${Object.values(NodeTaintEffect).join(', ')}`, taint.effect);
      }
      // Kubernetes keys taints by key and effect: a second value for the pair would be dropped.
      const identity = `${taint.key}:${taint.effect}`;
      if (seen.has(identity)) invalidProp(this, `${at}.taints[${i}]`, 'not repeat a key with the same effect', identity);
      seen.add(identity);
    });
    return taints;
  }
}
