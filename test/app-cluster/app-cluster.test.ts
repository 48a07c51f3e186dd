import { TerraformVariable } from 'cdktf';
import { EnvironmentTier, IConnectable, IVpcStack, VpcStack, VpcStackProps } from 'cdktf-groundwork';
import { AppCluster, AppClusterProps, ClusterSupportType, NodeAmiType, NodeCapacityType, NodeTaintEffect } from '../../lib/app-cluster/app-cluster';
import { AppLoadBalancer } from '../../lib/app-cluster/load-balancer';
import {
  onlyResourceOf,
  policyOf,
  refTo,
  resolveIn,
  resourceAt,
  resourcesByPath,
  resourcesOf,
  synthStack,
  SynthesizedStack,
  testStack,
  warningsOf,
} from '../support/util';

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const ADMIN_ROLE = 'arn:aws:iam::123456789012:role/platform-admin';
const PIPELINE_ROLE = 'arn:aws:iam::123456789012:role/ci/deploy-pipeline';

function build(
  props: Partial<AppClusterProps> = {},
  options: { environment?: EnvironmentTier; region?: string; vpc?: Partial<VpcStackProps> } = {},
) {
  const region = options.region ?? 'eu-west-1';
  const stack = testStack({ environment: options.environment ?? EnvironmentTier.PRODUCTION, region });
  const vpc = new VpcStack(stack, 'Network', {
    cidr: '10.0.0.0/16',
    availabilityZones: ['a', 'b', 'c'].map((l) => `${region}${l}`),
    ...options.vpc,
  });
  const cluster = new AppCluster(stack, 'Cluster', {
    vpc,
    appName: 'shop',
    certificateArn: CERTIFICATE_ARN.replace('eu-west-1', region),
    adminPrincipalArns: [ADMIN_ROLE],
    // The deploy runners' network (GW-EKS-NO-API-PATH otherwise).
    privateEndpointAccessCidrs: ['10.100.0.0/24'],
    ...props,
  });
  return { stack, vpc, cluster, synth: synthStack(stack) };
}

const clusterRef = (synth: SynthesizedStack, attribute: string) => refTo(synth, 'aws_eks_cluster', 'Cluster/Resource', attribute);
const nodeSgRef = (synth: SynthesizedStack) => clusterRef(synth, 'vpc_config[0].cluster_security_group_id');
/** `${local.x}`, the local that holds the issuer without `https://` (the prefix of the IRSA condition keys). */
const issuerHost = (synth: SynthesizedStack) => {
  const locals: Record<string, string> = (synth as any).locals ?? {};
  const issuer = clusterRef(synth, 'identity[0].oidc[0].issuer').slice(2, -1);
  const [name] = Object.entries(locals).find(([, value]) => value === `\${replace(${issuer}, "https://", "")}`) ?? [];
  if (!name) throw new Error('no local holds the issuer host path');
  return `\${local.${name}}`;
};
const logicalIdOf = (ref: string) => ref.slice(2, -1).split('.').slice(0, 2).join('.');

describe('AppCluster defaults (production)', () => {
  const { stack, vpc, cluster, synth } = build();
  const eks = () => onlyResourceOf(synth, 'aws_eks_cluster');

  test('creates the cluster in the private subnets with the newest standard-support Kubernetes version', () => {
    expect(AppCluster.DEFAULT_KUBERNETES_VERSION).toBe('1.35');
    expect(eks()).toMatchObject({
      name: 'shop-production-cluster',
      version: '1.35',
      role_arn: refTo(synth, 'aws_iam_role', 'Cluster/ClusterRole', 'arn'),
      vpc_config: {
        subnet_ids: ZONES.map((z) => refTo(synth, 'aws_subnet', `PrivateSubnet-${z}`, 'id')),
        security_group_ids: [refTo(synth, 'aws_security_group', 'Cluster/SecurityGroup', 'id')],
      },
    });
  });

  test('envelope-encrypts Kubernetes Secrets with a rotating customer-managed key that Terraform may not destroy', () => {
    expect(eks().encryption_config).toEqual({
      resources: ['secrets'],
      provider: { key_arn: refTo(synth, 'aws_kms_key', 'Cluster/Key/Resource', 'arn') },
    });
    expect(resourceAt(synth, 'aws_kms_key', 'Cluster/Key/Resource')).toMatchObject({
      enable_key_rotation: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('sends all five control plane log types to a pre-created encrypted log group with the preset retention', () => {
    expect(eks().enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const logGroup = resourceAt(synth, 'aws_cloudwatch_log_group', 'Cluster/LogGroup/Resource');
    expect(logGroup).toMatchObject({
      name: '/aws/eks/shop-production-cluster/cluster',
      retention_in_days: 365,
      kms_key_id: refTo(synth, 'aws_kms_key', 'Cluster/LogGroup/Key/Resource', 'arn'),
    });
    // EKS would otherwise create the group itself, without retention or our key.
    expect(eks().depends_on).toContain(logicalIdOf(refTo(synth, 'aws_cloudwatch_log_group', 'Cluster/LogGroup/Resource', 'arn')));
    expect(cluster.clusterLogGroupName).toBe('/aws/eks/shop-production-cluster/cluster');
  });

  test('keeps the Kubernetes API endpoint private', () => {
    expect(eks().vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(eks().vpc_config.public_access_cidrs).toBeUndefined();
  });

  test('authenticates with access entries only and gives the cluster creator no hidden admin access', () => {
    expect(eks().access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
  });

  test('gives each admin principal an access entry with the cluster admin policy for the whole cluster', () => {
    expect(onlyResourceOf(synth, 'aws_eks_access_entry')).toEqual({
      cluster_name: clusterRef(synth, 'name'),
      principal_arn: ADMIN_ROLE,
      type: 'STANDARD',
      tags: expect.any(Object),
    });
    expect(onlyResourceOf(synth, 'aws_eks_access_policy_association')).toEqual({
      cluster_name: clusterRef(synth, 'name'),
      principal_arn: refTo(synth, 'aws_eks_access_entry', 'Cluster/AdminAccess-role-platform-admin', 'principal_arn'),
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  test('opts out of billed extended support: the upgrade policy is STANDARD', () => {
    expect(eks().upgrade_policy).toEqual({ support_type: 'STANDARD' });
    expect(cluster.supportType).toBe(ClusterSupportType.STANDARD);
  });

  test('protects the cluster with prevent_destroy and installs the add-ons as managed add-ons only', () => {
    expect(eks().lifecycle).toEqual({ prevent_destroy: true });
    expect(eks().bootstrap_self_managed_addons).toBe(false);
  });

  test('lets the cluster role use only the AWS managed cluster policy and its own key', () => {
    const role = resourceAt(synth, 'aws_iam_role', 'Cluster/ClusterRole');
    expect(policyOf(role.assume_role_policy).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(resourceAt(synth, 'aws_iam_role_policy_attachment', 'Cluster/ClusterRolePolicy').policy_arn).toBe(
      'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
    );
    const kms = policyOf(resourceAt(synth, 'aws_iam_role_policy', 'Cluster/ClusterRoleKmsPolicy').policy);
    expect(kms.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
        Resource: refTo(synth, 'aws_kms_key', 'Cluster/Key/Resource', 'arn'),
      },
    ]);
  });

  test('creates an IAM OIDC provider for the cluster issuer with the STS audience and no pinned thumbprint', () => {
    expect(onlyResourceOf(synth, 'aws_iam_openid_connect_provider')).toMatchObject({
      url: clusterRef(synth, 'identity[0].oidc[0].issuer'),
      client_id_list: ['sts.amazonaws.com'],
    });
    expect(onlyResourceOf(synth, 'aws_iam_openid_connect_provider').thumbprint_list).toBeUndefined();
  });

  test('gives the node role the worker and ECR pull-only policies, and no VPC CNI permissions', () => {
    const attached = Object.entries(resourcesByPath(synth, 'aws_iam_role_policy_attachment'))
      .filter(([path]) => path.startsWith('Cluster/NodeRolePolicy-'))
      .map(([, a]) => a);
    expect(attached.map((a) => a.policy_arn).sort()).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
    ]);
    for (const a of attached) expect(a.role).toBe(refTo(synth, 'aws_iam_role', 'Cluster/NodeRole', 'name'));
    const trust = policyOf(resourceAt(synth, 'aws_iam_role', 'Cluster/NodeRole').assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: 'ec2.amazonaws.com' });
  });

  test('creates one on-demand Amazon Linux 2023 node group of 3-6 m6i.large nodes in the private subnets', () => {
    const group = onlyResourceOf(synth, 'aws_eks_node_group');
    expect(group).toMatchObject({
      cluster_name: clusterRef(synth, 'name'),
      node_group_name_prefix: 'general-',
      node_role_arn: refTo(synth, 'aws_iam_role', 'Cluster/NodeRole', 'arn'),
      subnet_ids: ZONES.map((z) => refTo(synth, 'aws_subnet', `PrivateSubnet-${z}`, 'id')),
      instance_types: ['m6i.large'],
      ami_type: 'AL2023_x86_64_STANDARD',
      capacity_type: 'ON_DEMAND',
      scaling_config: { min_size: 3, desired_size: 3, max_size: 6 },
      update_config: { max_unavailable: 1 },
      version: clusterRef(synth, 'version'),
      launch_template: {
        id: refTo(synth, 'aws_launch_template', 'Cluster/LaunchTemplate-general', 'id'),
        version: refTo(synth, 'aws_launch_template', 'Cluster/LaunchTemplate-general', 'latest_version'),
      },
    });
    expect(cluster.nodeGroupNames).toEqual(['general']);
  });

  test('lets the autoscaler own the desired size and replaces a node group before destroying the old one', () => {
    expect(onlyResourceOf(synth, 'aws_eks_node_group').lifecycle).toEqual({
      create_before_destroy: true,
      ignore_changes: ['scaling_config[0].desired_size'],
    });
  });

  test('launches nodes with IMDSv2 required, an encrypted gp3 root volume on the cluster key and no public IP', () => {
    const template = onlyResourceOf(synth, 'aws_launch_template');
    expect(template.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 2 });
    expect(template.block_device_mappings).toEqual([
      {
        device_name: '/dev/xvda',
        ebs: {
          volume_size: 50,
          volume_type: 'gp3',
          encrypted: 'true',
          kms_key_id: refTo(synth, 'aws_kms_key', 'Cluster/Key/Resource', 'arn'),
          delete_on_termination: 'true',
        },
      },
    ]);
    expect(template.network_interfaces).toEqual([
      { device_index: 0, associate_public_ip_address: 'false', delete_on_termination: 'true', security_groups: [nodeSgRef(synth)] },
    ]);
    expect(template.vpc_security_group_ids).toBeUndefined();
    expect(template.tag_specifications.map((t: any) => t.resource_type)).toEqual(['instance', 'volume', 'network-interface']);
    expect(template.tag_specifications[0].tags).toMatchObject({ Project: 'shop', Name: 'shop-production-cluster-general' });
  });

  test('grants the Auto Scaling service-linked role use of the key, before any node group launches', () => {
    const grant = onlyResourceOf(synth, 'aws_kms_grant');
    expect(grant).toMatchObject({
      key_id: refTo(synth, 'aws_kms_key', 'Cluster/Key/Resource', 'arn'),
      grantee_principal:
        'arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
    });
    expect(grant.operations).toEqual(expect.arrayContaining(['Decrypt', 'GenerateDataKeyWithoutPlaintext', 'CreateGrant']));
    expect(onlyResourceOf(synth, 'aws_eks_node_group').depends_on).toContain(
      logicalIdOf(refTo(synth, 'aws_kms_grant', 'Cluster/NodeVolumeKeyGrant', 'id')),
    );
    expect(resourcesOf(synth, 'aws_iam_service_linked_role')).toHaveLength(0);
  });

  test('installs the core add-ons and metrics-server without pinned versions, networking before the nodes and the rest after', () => {
    const addons = resourcesByPath(synth, 'aws_eks_addon');
    expect(Object.values(addons).map((a) => a.addon_name).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'kube-proxy', 'metrics-server', 'vpc-cni']);
    for (const addon of Object.values(addons)) {
      expect(addon.addon_version).toBeUndefined();
      expect(addon).toMatchObject({ cluster_name: clusterRef(synth, 'name'), resolve_conflicts_on_create: 'OVERWRITE' });
    }
    const nodeGroup = logicalIdOf(refTo(synth, 'aws_eks_node_group', 'Cluster/NodeGroup-general', 'id'));
    const addonId = (name: string) => logicalIdOf(refTo(synth, 'aws_eks_addon', `Cluster/${name}`, 'id'));
    expect(onlyResourceOf(synth, 'aws_eks_node_group').depends_on).toEqual(
      expect.arrayContaining([addonId('VpcCniAddon'), addonId('KubeProxyAddon')]),
    );
    expect(addons['Cluster/CoreDnsAddon'].depends_on).toContain(nodeGroup);
    expect(addons['Cluster/EbsCsiDriverAddon'].depends_on).toContain(nodeGroup);
    // The autoscalers' resource metrics: pods to run it need nodes.
    expect(addons['Cluster/MetricsServerAddon'].depends_on).toContain(nodeGroup);
  });

  test('turns on NetworkPolicy enforcement in the VPC CNI, so the workload chart\'s policies take effect', () => {
    const cni = resourceAt(synth, 'aws_eks_addon', 'Cluster/VpcCniAddon');
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
  });

  test('runs the VPC CNI with its own IRSA role for kube-system/aws-node', () => {
    const addon = resourceAt(synth, 'aws_eks_addon', 'Cluster/VpcCniAddon');
    expect(addon.service_account_role_arn).toBe(refTo(synth, 'aws_iam_role', 'Cluster/VpcCniRole', 'arn'));
    const condition = policyOf(resourceAt(synth, 'aws_iam_role', 'Cluster/VpcCniRole').assume_role_policy).Statement[0].Condition;
    expect(condition.StringEquals[`${issuerHost(synth)}:sub`]).toBe('system:serviceaccount:kube-system:aws-node');
    expect(resourceAt(synth, 'aws_iam_role_policy_attachment', 'Cluster/VpcCniRolePolicy').policy_arn).toBe(
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
    );
  });

  test('gives the AWS Load Balancer Controller an IRSA role that can only register targets in the app target group', () => {
    const role = resourceAt(synth, 'aws_iam_role', 'Cluster/LoadBalancerControllerRole');
    expect(policyOf(role.assume_role_policy).Statement[0].Condition.StringEquals).toEqual({
      [`${issuerHost(synth)}:sub`]: 'system:serviceaccount:kube-system:aws-load-balancer-controller',
      [`${issuerHost(synth)}:aud`]: 'sts.amazonaws.com',
    });
    const policy = resourceAt(synth, 'aws_iam_role_policy', 'Cluster/LoadBalancerControllerRolePolicy');
    expect(policy.role).toBe(refTo(synth, 'aws_iam_role', 'Cluster/LoadBalancerControllerRole', 'name'));
    const [writes, reads] = policyOf(policy.policy).Statement;
    expect(writes).toEqual({
      Sid: 'RegisterPodsInTheServicesTargetGroups',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:RegisterTargets',
        'elasticloadbalancing:DeregisterTargets',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
      ],
      Resource: refTo(synth, 'aws_lb_target_group', 'Cluster/shop/TargetGroup', 'arn'),
    });
    // Only read calls on '*': they support no resource-level permissions.
    expect(reads.Resource).toBe('*');
    for (const action of reads.Action) expect(action).toMatch(/^(elasticloadbalancing|ec2):Describe/);
    expect(synth.output!.cluster_load_balancer_controller_role_arn.value).toBe(
      refTo(synth, 'aws_iam_role', 'Cluster/LoadBalancerControllerRole', 'arn'),
    );
  });

  test('loadBalancerControllerRole false leaves the controller role to the consumer', () => {
    const { synth: without, cluster } = build({ loadBalancerControllerRole: false });
    expect(Object.keys(resourcesByPath(without, 'aws_iam_role'))).not.toContain('Cluster/LoadBalancerControllerRole');
    expect(resourcesOf(without, 'aws_iam_role_policy').map((p) => p.name)).not.toContain('target-group-binding');
    expect(cluster.loadBalancerControllerRoleArn).toBeUndefined();
    expect(without.output!.cluster_load_balancer_controller_role_arn).toBeUndefined();
  });

  test('trusts the EBS CSI driver role for exactly its controller service account and the STS audience', () => {
    const role = resourceAt(synth, 'aws_iam_role', 'Cluster/EbsCsiDriverRole');
    expect(policyOf(role.assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Federated: refTo(synth, 'aws_iam_openid_connect_provider', 'Cluster/OidcProvider', 'arn') },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${issuerHost(synth)}:sub`]: 'system:serviceaccount:kube-system:ebs-csi-controller-sa',
            [`${issuerHost(synth)}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ]);
    expect(resourceAt(synth, 'aws_iam_role_policy_attachment', 'Cluster/EbsCsiDriverRolePolicy').policy_arn).toBe(
      'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy',
    );
    expect(resourceAt(synth, 'aws_eks_addon', 'Cluster/EbsCsiDriverAddon').service_account_role_arn).toBe(
      refTo(synth, 'aws_iam_role', 'Cluster/EbsCsiDriverRole', 'arn'),
    );
  });

  test("trusts the app's IRSA role for exactly the app's service account, with no permissions attached", () => {
    const role = resourceAt(synth, 'aws_iam_role', 'Cluster/shop/Role');
    const condition = policyOf(role.assume_role_policy).Statement[0].Condition.StringEquals;
    expect(condition).toEqual({
      [`${issuerHost(synth)}:sub`]: 'system:serviceaccount:shop:shop',
      [`${issuerHost(synth)}:aud`]: 'sts.amazonaws.com',
    });
    expect(cluster.appNamespace).toBe('shop');
    expect(cluster.appServiceAccountName).toBe('shop');
    expect(Object.keys(resourcesByPath(synth, 'aws_iam_role_policy_attachment')).filter((p) => p.includes('shop/'))).toEqual([]);
  });

  test('gives the control plane an additional security group with a description and no rules', () => {
    // Without privateEndpointAccessCidrs, which adds one rule per network (tested below).
    const synth = synthStack(build({ privateEndpointAccessCidrs: [] }).stack);
    const sg = resourceAt(synth, 'aws_security_group', 'Cluster/SecurityGroup');
    expect(sg.description).toMatch(/Additional security group of the EKS control plane/);
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    const sgRef = refTo(synth, 'aws_security_group', 'Cluster/SecurityGroup', 'id');
    const rulesOnIt = [
      ...resourcesOf(synth, 'aws_vpc_security_group_ingress_rule'),
      ...resourcesOf(synth, 'aws_vpc_security_group_egress_rule'),
    ].filter((r) => r.security_group_id === sgRef);
    expect(rulesOnIt).toEqual([]);
  });

  test('is a connection peer through the EKS cluster security group of its nodes', () => {
    const peer: IConnectable = cluster;
    expect(resolveIn(stack, peer.connectionsSecurityGroupId)).toBe(nodeSgRef(synth));
    expect(resolveIn(stack, cluster.nodeSecurityGroupId)).toBe(nodeSgRef(synth));
    expect(cluster.connectionsDescription).toBe('EKS nodes of shop-production-cluster');
  });

  test('puts an internet-facing ALB that drops invalid headers and logs access into the public subnets', () => {
    const lb = onlyResourceOf(synth, 'aws_lb');
    expect(lb).toMatchObject({
      name: 'shop-production-cluster',
      load_balancer_type: 'application',
      internal: false,
      subnets: ZONES.map((z) => refTo(synth, 'aws_subnet', `PublicSubnet-${z}`, 'id')),
      security_groups: [refTo(synth, 'aws_security_group', 'LoadBalancer/SecurityGroup', 'id')],
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      access_logs: { bucket: refTo(synth, 'aws_s3_bucket', 'LoadBalancer/AccessLogs/Resource', 'bucket'), prefix: 'alb', enabled: true },
    });
    // ELB checks its write access when logging is turned on, so the bucket policy comes first.
    expect(lb.depends_on).toEqual([logicalIdOf(refTo(synth, 'aws_s3_bucket_policy', 'LoadBalancer/AccessLogs/Policy', 'id'))]);
  });

  test('terminates TLS 1.2+ with the ACM certificate and forwards to the target group', () => {
    const https = resourceAt(synth, 'aws_lb_listener', 'LoadBalancer/HttpsListener');
    expect(https).toMatchObject({
      load_balancer_arn: refTo(synth, 'aws_lb', 'LoadBalancer/Resource', 'arn'),
      port: 443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: CERTIFICATE_ARN,
      default_action: [{ type: 'forward', target_group_arn: refTo(synth, 'aws_lb_target_group', 'Cluster/shop/TargetGroup', 'arn') }],
    });
  });

  test('answers plain HTTP only with a permanent redirect to HTTPS', () => {
    const http = resourceAt(synth, 'aws_lb_listener', 'LoadBalancer/HttpListener');
    expect(http).toMatchObject({ port: 80, protocol: 'HTTP' });
    expect(http.default_action).toEqual([
      { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } },
    ]);
  });

  test('keeps access logs in an SSE-S3 bucket that only the regional ELB account may write to', () => {
    const bucket = resourceAt(synth, 'aws_s3_bucket', 'LoadBalancer/AccessLogs/Resource');
    expect(bucket.bucket).toBe('shop-production-cluster-access-logs-123456789012');
    const encryption = resourceAt(synth, 'aws_s3_bucket_server_side_encryption_configuration', 'LoadBalancer/AccessLogs/Encryption');
    expect(encryption.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
    const statements = policyOf(resourceAt(synth, 'aws_s3_bucket_policy', 'LoadBalancer/AccessLogs/Policy').policy).Statement;
    expect(statements).toContainEqual({
      Sid: 'ElasticLoadBalancingAccessLogDelivery',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::156460612806:root' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::shop-production-cluster-access-logs-123456789012/alb/AWSLogs/123456789012/*',
    });
    expect(statements.map((s: any) => s.Sid)).toContain('DenyInsecureTransport');
    const lifecycle = resourceAt(synth, 'aws_s3_bucket_lifecycle_configuration', 'LoadBalancer/AccessLogs/Lifecycle');
    expect(lifecycle.rule[0].expiration).toEqual([{ days: 365 }]);
  });

  test('opens the ALB security group only on 80 and 443, and lets it send only to the nodes on the app port', () => {
    const albSg = refTo(synth, 'aws_security_group', 'LoadBalancer/SecurityGroup', 'id');
    const ingress = resourcesOf(synth, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === albSg);
    expect(ingress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4]).sort()).toEqual([
      [443, 443, '0.0.0.0/0'],
      [80, 80, '0.0.0.0/0'],
    ]);
    for (const rule of ingress) expect(rule.description).toMatch(/HTTPS|redirected to HTTPS/);
    const egress = resourcesOf(synth, 'aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === albSg);
    expect(egress).toEqual([
      expect.objectContaining({ ip_protocol: 'tcp', from_port: 8080, to_port: 8080, referenced_security_group_id: nodeSgRef(synth) }),
    ]);
    expect(egress[0].description).toMatch(/EKS nodes of shop-production-cluster on port 8080/);
    expect(resourceAt(synth, 'aws_security_group', 'LoadBalancer/SecurityGroup').egress).toBeUndefined();
  });

  test('admits the ALB into the node security group on the app port only, with a description', () => {
    const intoNodes = resourcesOf(synth, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === nodeSgRef(synth));
    expect(intoNodes).toEqual([
      expect.objectContaining({
        ip_protocol: 'tcp',
        from_port: 8080,
        to_port: 8080,
        referenced_security_group_id: refTo(synth, 'aws_security_group', 'LoadBalancer/SecurityGroup', 'id'),
        description: expect.stringMatching(/from load balancer shop-production-cluster on port 8080/),
      }),
    ]);
  });

  test('registers pods by IP in a target group that health-checks /health', () => {
    expect(onlyResourceOf(synth, 'aws_lb_target_group')).toMatchObject({
      target_type: 'ip',
      protocol: 'HTTP',
      port: 8080,
      vpc_id: refTo(synth, 'aws_vpc', 'Network/Resource', 'id'),
      // 2xx only: a redirecting /health is not a healthy target.
      health_check: { enabled: true, path: '/health', port: 'traffic-port', protocol: 'HTTP', matcher: '200-299' },
      lifecycle: { create_before_destroy: true },
    });
  });

  test('lets deregistered pods drain for 30 s instead of the AWS default 300 s', () => {
    expect(onlyResourceOf(synth, 'aws_lb_target_group').deregistration_delay).toBe('30');
    expect(cluster.loadBalancer.deregistrationDelaySeconds).toBe(30);
  });

  test('answers /metrics with a 404 on the HTTPS listener, ahead of any forwarding', () => {
    expect(resourceAt(synth, 'aws_lb_listener_rule', 'LoadBalancer/BlockedPaths-1')).toEqual({
      listener_arn: refTo(synth, 'aws_lb_listener', 'LoadBalancer/HttpsListener', 'arn'),
      priority: 1,
      condition: [{ path_pattern: { values: ['/metrics', '/metrics/*'] } }],
      action: [
        { type: 'fixed-response', fixed_response: { content_type: 'text/plain', status_code: '404', message_body: 'Not Found' } },
      ],
      tags: expect.objectContaining({ Name: 'shop-production-cluster-blocked-paths-1' }),
    });
    expect(resourcesOf(synth, 'aws_lb_listener_rule')).toHaveLength(1);
    expect(cluster.loadBalancer.blockedPaths).toEqual(['/metrics', '/metrics/*']);
  });

  test('exposes typed attributes for wiring', () => {
    expect(cluster.clusterName).toBe('shop-production-cluster');
    expect(cluster.kubernetesVersion).toBe('1.35');
    expect(cluster.appPort).toBe(8080);
    expect(resolveIn(stack, cluster.clusterEndpoint)).toBe(clusterRef(synth, 'endpoint'));
    expect(resolveIn(stack, cluster.clusterCertificateAuthorityData)).toBe(clusterRef(synth, 'certificate_authority[0].data'));
    expect(resolveIn(stack, cluster.oidcIssuerUrl)).toBe(clusterRef(synth, 'identity[0].oidc[0].issuer'));
    expect(resolveIn(stack, cluster.oidcProviderArn)).toBe(refTo(synth, 'aws_iam_openid_connect_provider', 'OidcProvider', 'arn'));
    expect(resolveIn(stack, cluster.nodeRoleArn)).toBe(refTo(synth, 'aws_iam_role', 'Cluster/NodeRole', 'arn'));
    expect(resolveIn(stack, cluster.appServiceAccountRoleArn)).toBe(refTo(synth, 'aws_iam_role', 'Cluster/shop/Role', 'arn'));
    expect(resolveIn(stack, cluster.targetGroupArn)).toBe(refTo(synth, 'aws_lb_target_group', 'TargetGroup', 'arn'));
    expect(resolveIn(stack, cluster.loadBalancerArn)).toBe(refTo(synth, 'aws_lb', 'LoadBalancer/Resource', 'arn'));
    expect(resolveIn(stack, cluster.loadBalancerDnsName)).toBe(refTo(synth, 'aws_lb', 'LoadBalancer/Resource', 'dns_name'));
    expect(resolveIn(stack, cluster.albSecurityGroupId)).toBe(refTo(synth, 'aws_security_group', 'LoadBalancer/SecurityGroup', 'id'));
    expect(resolveIn(stack, cluster.clusterSecurityGroupId)).toBe(refTo(synth, 'aws_security_group', 'Cluster/SecurityGroup', 'id'));
    expect(resolveIn(stack, vpc.vpcId)).toBe(onlyResourceOf(synth, 'aws_lb_target_group').vpc_id);
  });

  test('outputs what the bootstrap stack and the pipeline need under stable names, none of them secret', () => {
    expect(Object.keys(synth.output ?? {}).sort()).toEqual([
      'cluster_app_service_account_role_arn',
      'cluster_cluster_certificate_authority_data',
      'cluster_cluster_endpoint',
      'cluster_cluster_name',
      'cluster_load_balancer_arn',
      'cluster_load_balancer_controller_role_arn',
      'cluster_load_balancer_dns_name',
      'cluster_node_security_group_id',
      'cluster_oidc_issuer_url',
      'cluster_oidc_provider_arn',
      'cluster_shop_role_arn',
      'cluster_shop_target_group_arn',
      'cluster_target_group_arn',
      'cluster_vpc_id',
    ]);
    expect(synth.output!.cluster_cluster_name.value).toBe(clusterRef(synth, 'name'));
    for (const output of Object.values(synth.output ?? {})) {
      expect(output.sensitive).toBe(false);
      expect(output.description).toEqual(expect.any(String));
    }
  });

  test('records no warnings in a production configuration with an admin', () => {
    expect(warningsOf(stack)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(synth).toMatchSnapshot();
  });
});

describe('AppCluster options', () => {
  test('clusterName and kubernetesVersion name the cluster, its log group, roles and load balancer', () => {
    const { synth } = build({ clusterName: 'shop_prod', kubernetesVersion: '1.34' });
    expect(onlyResourceOf(synth, 'aws_eks_cluster')).toMatchObject({ name: 'shop_prod', version: '1.34' });
    expect(resourceAt(synth, 'aws_cloudwatch_log_group', 'Cluster/LogGroup/Resource').name).toBe('/aws/eks/shop_prod/cluster');
    expect(resourceAt(synth, 'aws_iam_role', 'Cluster/NodeRole').name).toBe('shop-prod-node');
    expect(onlyResourceOf(synth, 'aws_lb').name).toBe('shop-prod');
  });

  test('publicEndpointCidrs opens the public endpoint to exactly those CIDR blocks', () => {
    const { stack, synth } = build({ publicEndpointCidrs: ['203.0.113.0/24', '198.51.100.7/32'] });
    expect(onlyResourceOf(synth, 'aws_eks_cluster').vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ['203.0.113.0/24', '198.51.100.7/32'],
    });
    expect(warningsOf(stack)).toEqual([]);
  });

  test('allowPublicEndpointFromAnywhere accepts 0.0.0.0/0 and records a warning', () => {
    const { stack, synth } = build({ publicEndpointCidrs: ['0.0.0.0/0'], allowPublicEndpointFromAnywhere: true });
    expect(onlyResourceOf(synth, 'aws_eks_cluster').vpc_config.public_access_cidrs).toEqual(['0.0.0.0/0']);
    expect(warningsOf(stack)).toEqual([expect.stringContaining('[GW-EKS-PUBLIC-ENDPOINT-OPEN]')]);
  });

  test('privateEndpointAccessCidrs admit those networks to the private endpoint on 443 with described rules', () => {
    const { synth } = build({ privateEndpointAccessCidrs: ['10.100.0.0/16'] });
    expect(resourceAt(synth, 'aws_vpc_security_group_ingress_rule', 'Cluster/PrivateEndpointIngress-10.100.0.0_16')).toMatchObject({
      security_group_id: refTo(synth, 'aws_security_group', 'Cluster/SecurityGroup', 'id'),
      ip_protocol: 'tcp',
      from_port: 443,
      to_port: 443,
      cidr_ipv4: '10.100.0.0/16',
      description: 'Kubernetes API (HTTPS) on the private endpoint from 10.100.0.0/16',
    });
  });

  test('bootstrapClusterCreatorAdminPermissions gives the creator admin access', () => {
    const { stack, synth } = build({ adminPrincipalArns: [], bootstrapClusterCreatorAdminPermissions: true });
    expect(onlyResourceOf(synth, 'aws_eks_cluster').access_config.bootstrap_cluster_creator_admin_permissions).toBe(true);
    expect(resourcesOf(synth, 'aws_eks_access_entry')).toHaveLength(0);
    expect(warningsOf(stack)).toEqual([]);
  });

  test('warns [GW-EKS-NO-API-PATH] when the private endpoint admits no network, naming both ways in', () => {
    const { stack } = build({ privateEndpointAccessCidrs: [] });
    const warnings = warningsOf(stack);
    expect(warnings).toEqual([expect.stringMatching(/^\[GW-EKS-NO-API-PATH\]/)]);
    expect(warnings[0]).toContain('privateEndpointAccessCidrs');
    expect(warnings[0]).toContain('publicEndpointCidrs');
    // Either way in silences it: a runner network on the private endpoint, or runners' addresses on the public one.
    expect(warningsOf(build({ privateEndpointAccessCidrs: ['10.100.0.0/24'] }).stack)).toEqual([]);
    expect(warningsOf(build({ privateEndpointAccessCidrs: [], publicEndpointCidrs: ['198.51.100.16/28'] }).stack)).toEqual([]);
  });

  test('Kubernetes versions: refuses those EKS no longer supports and unknown newer ones, warns near or past the end of standard support', () => {
    // The table of this release (EKS calendar, December 2026), not the clock: the same answer every day.
    expect(() => build({ kubernetesVersion: '1.31' })).toThrow(
      'AppCluster test/Cluster: kubernetesVersion must be a version EKS still supports (1.32 to 1.35; 1.31 left extended support on 2026-11-26, older ones before), got "1.31"',
    );
    expect(() => build({ kubernetesVersion: '1.24' })).toThrow(/must be a version EKS still supports/);
    expect(() => build({ kubernetesVersion: '1.36' })).toThrow(/must be one this release knows \(1\.32 to 1\.35\); set allowUnlistedKubernetesVersion/);
    const newer = build({ kubernetesVersion: '1.36', allowUnlistedKubernetesVersion: true });
    expect(newer.cluster.kubernetesVersion).toBe('1.36');
    expect(warningsOf(newer.stack)).toEqual([]);
    expect(() => build({ kubernetesVersion: '1.31', allowUnlistedKubernetesVersion: true })).toThrow(/must be a version EKS still supports/);
    // 1.33 is past standard support, 1.34 leaves it within 90 days, 1.35 is clear.
    expect(warningsOf(build({ kubernetesVersion: '1.33' }).stack)).toEqual([
      expect.stringMatching(/^\[GW-EKS-VERSION-SUPPORT-ENDING\] Kubernetes 1\.33 left EKS standard support on 2026-07-29: .* until 2027-07-29/),
    ]);
    expect(warningsOf(build({ kubernetesVersion: '1.34' }).stack)).toEqual([expect.stringContaining('Kubernetes 1.34 leaves EKS standard support on 2026-12-02')]);
    expect(warningsOf(build({ kubernetesVersion: '1.35' }).stack)).toEqual([]);
  });

  test('one rule for Kubernetes names: the cluster refuses the service account names the API server and the chart refuse', () => {
    // The cluster's own check used to accept "a..b" and "a.-b", which the chart and Kubernetes refuse.
    for (const name of ['a..b', 'a.-b', 'shop.', 'Shop']) {
      expect(() => build({ appName: 'shop', appServiceAccountName: name })).toThrow(/appServiceAccountName must be a DNS-1123 subdomain/);
    }
    expect(() => build({ appName: 'shop', appServiceAccountName: 'shop.web-1' })).not.toThrow();
    expect(() => build({ appName: 'shop', appNamespace: 'shop_web' })).toThrow(/appNamespace must be a DNS-1123 label: 1-63 lowercase letters/);
  });

  test('refuses a public endpoint allow-list that can never match, and node labels Kubernetes rejects', () => {
    expect(() => build({ publicEndpointCidrs: ['203.0.113.0/24', '10.20.0.0/16'] })).toThrow(
      /publicEndpointCidrs\[1\] must be a public address range: the public endpoint never sees a source in 10\.0\.0\.0\/8 .*got "10\.20\.0\.0\/16"/,
    );
    expect(() => build({ publicEndpointCidrs: ['100.64.1.0/24'] })).toThrow(/never sees a source in 100\.64\.0\.0\/10/);
    expect(() => build({ publicEndpointCidrs: ['198.18.0.0/16'] })).toThrow(/never sees a source in 198\.18\.0\.0\/15/);
    expect(() => build({ publicEndpointCidrs: ['239.1.0.0/16'] })).toThrow(/never sees a source in 224\.0\.0\.0\/4/);
    expect(() => build({ publicEndpointCidrs: ['0.0.0.0/0'], allowPublicEndpointFromAnywhere: true })).not.toThrow();
    expect(() => build({ nodeGroups: [{ name: 'general', labels: { 'team name': 'shop' } }] })).toThrow(/nodeGroups\[0\]\.labels must have label keys of at most 63 characters.*got "team name"/);
    // Kubernetes takes a 253-character prefix; EKS takes 63 characters for the whole key.
    expect(() => build({ nodeGroups: [{ name: 'general', labels: { [`${'a'.repeat(60)}.example.com/team`]: 'shop' } }] })).toThrow(/labels must have label keys of at most 63 characters/);
    expect(() => build({ nodeGroups: [{ name: 'general', labels: { team: '' } }] })).toThrow(/labels\.team must be a label value EKS accepts/);
    expect(() => build({ nodeGroups: [{ name: 'general', labels: { team: 'shop web' } }] })).toThrow(/nodeGroups\[0\]\.labels\.team must be a label value/);
  });

  test('warns when nobody could administer the cluster', () => {
    const { stack } = build({ adminPrincipalArns: [] });
    expect(warningsOf(stack)).toEqual([expect.stringContaining('[GW-EKS-NO-ADMIN]')]);
  });

  test('names access entries after the principal, so adding an admin never replaces another', () => {
    const { synth } = build({ adminPrincipalArns: [ADMIN_ROLE, PIPELINE_ROLE] });
    expect(Object.keys(resourcesByPath(synth, 'aws_eks_access_entry')).sort()).toEqual([
      'Cluster/AdminAccess-role-deploy-pipeline',
      'Cluster/AdminAccess-role-platform-admin',
    ]);
  });

  test('node groups take instance types, Spot capacity, sizes, update, disk and labels; Graviton types get the arm64 AMI', () => {
    const { synth } = build({
      nodeGroups: [
        {
          name: 'spot-arm',
          instanceTypes: ['m7g.large', 'm6g.large', 'c7gn.xlarge'],
          capacityType: NodeCapacityType.SPOT,
          minSize: 2,
          desiredSize: 4,
          maxSize: 10,
          maxUnavailable: 2,
          diskSizeGiB: 100,
          labels: { workload: 'batch' },
        },
      ],
    });
    expect(onlyResourceOf(synth, 'aws_eks_node_group')).toMatchObject({
      node_group_name_prefix: 'spot-arm-',
      instance_types: ['m7g.large', 'm6g.large', 'c7gn.xlarge'],
      ami_type: 'AL2023_ARM_64_STANDARD',
      capacity_type: 'SPOT',
      scaling_config: { min_size: 2, desired_size: 4, max_size: 10 },
      update_config: { max_unavailable: 2 },
      labels: { workload: 'batch' },
    });
    expect(onlyResourceOf(synth, 'aws_launch_template').block_device_mappings[0].ebs.volume_size).toBe(100);
  });

  test('several node groups each get their own launch template', () => {
    const { synth } = build({ nodeGroups: [{ name: 'general' }, { name: 'gpu', instanceTypes: ['g5.xlarge'], amiType: NodeAmiType.AL2023_X86_64_STANDARD }] });
    expect(Object.keys(resourcesByPath(synth, 'aws_eks_node_group')).sort()).toEqual(['Cluster/NodeGroup-general', 'Cluster/NodeGroup-gpu']);
    expect(resourceAt(synth, 'aws_eks_node_group', 'NodeGroup-gpu').launch_template.id).toBe(
      refTo(synth, 'aws_launch_template', 'LaunchTemplate-gpu', 'id'),
    );
    // g5 is an x86 GPU family, not Graviton
    expect(resourceAt(synth, 'aws_eks_node_group', 'NodeGroup-gpu').ami_type).toBe('AL2023_x86_64_STANDARD');
  });

  test('node auto-repair is on by default, and can be turned off per group', () => {
    const { synth } = build({ nodeGroups: [{ name: 'general' }, { name: 'batch', nodeAutoRepair: false }] });
    expect(resourceAt(synth, 'aws_eks_node_group', 'NodeGroup-general').node_repair_config).toEqual({ enabled: true });
    expect(resourceAt(synth, 'aws_eks_node_group', 'NodeGroup-batch').node_repair_config).toEqual({ enabled: false });
  });

  test('taints a dedicated group, next to a group the system add-ons can run on', () => {
    const { synth } = build({
      nodeGroups: [
        { name: 'general' },
        {
          name: 'gpu',
          instanceTypes: ['g5.xlarge'],
          taints: [
            { key: 'nvidia.com/gpu', effect: NodeTaintEffect.NO_SCHEDULE },
            { key: 'dedicated', value: 'ml', effect: NodeTaintEffect.NO_EXECUTE },
          ],
        },
      ],
    });
    expect(resourceAt(synth, 'aws_eks_node_group', 'NodeGroup-gpu').taint).toEqual([
      { key: 'nvidia.com/gpu', effect: 'NO_SCHEDULE' },
      { key: 'dedicated', value: 'ml', effect: 'NO_EXECUTE' },
    ]);
    expect(resourceAt(synth, 'aws_eks_node_group', 'NodeGroup-general').taint).toBeUndefined();
  });

  test('refuses taints that cannot work, naming the group and the taint', () => {
    const taintError = (taints: any[], message: RegExp) =>
      expect(() => build({ nodeGroups: [{ name: 'general' }, { name: 'gpu', taints }] })).toThrow(message);
    taintError([{ key: 'bad key', effect: NodeTaintEffect.NO_SCHEDULE }], /nodeGroups\[1\]\.taints\[0\]\.key must be a qualified name.*got "bad key"/);
    taintError([{ key: 'Example.com/gpu', effect: NodeTaintEffect.NO_SCHEDULE }], /taints\[0\]\.key must be a qualified name/);
    taintError([{ key: 'gpu', value: 'a'.repeat(64), effect: NodeTaintEffect.NO_SCHEDULE }], /taints\[0\]\.value must be a label value/);
    taintError([{ key: 'gpu', effect: 'NoSchedule' }], /taints\[0\]\.effect must be one of NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE, got "NoSchedule"/);
    taintError(
      [{ key: 'gpu', value: 'a', effect: NodeTaintEffect.NO_SCHEDULE }, { key: 'gpu', value: 'b', effect: NodeTaintEffect.NO_SCHEDULE }],
      /taints\[1\] must not repeat a key with the same effect, got "gpu:NO_SCHEDULE"/,
    );
    // Every group repelling pods: CoreDNS, the EBS CSI controller and metrics-server could not run.
    expect(() => build({ nodeGroups: [{ name: 'gpu', taints: [{ key: 'gpu', effect: NodeTaintEffect.NO_SCHEDULE }] }] })).toThrow(
      /nodeGroups must have at least one group without a NO_SCHEDULE or NO_EXECUTE taint/,
    );
    // PreferNoSchedule only steers: the add-ons still run.
    expect(() => build({ nodeGroups: [{ name: 'soft', taints: [{ key: 'gpu', effect: NodeTaintEffect.PREFER_NO_SCHEDULE }] }] })).not.toThrow();
  });

  test('Bottlerocket: encrypted OS and data volumes, the data volume sized by diskSizeGiB', () => {
    const { synth } = build({ nodeGroups: [{ name: 'general', amiType: NodeAmiType.BOTTLEROCKET_X86_64, diskSizeGiB: 80 }] });
    expect(onlyResourceOf(synth, 'aws_eks_node_group').ami_type).toBe('BOTTLEROCKET_x86_64');
    const volumes = onlyResourceOf(synth, 'aws_launch_template').block_device_mappings;
    expect(volumes.map((v: any) => [v.device_name, v.ebs.volume_size, v.ebs.encrypted])).toEqual([
      ['/dev/xvda', 4, 'true'],
      ['/dev/xvdb', 80, 'true'],
    ]);
    for (const v of volumes) expect(v.ebs.kms_key_id).toBe(refTo(synth, 'aws_kms_key', 'Cluster/Key/Resource', 'arn'));
    expect(() => build({ nodeGroups: [{ name: 'general', amiType: NodeAmiType.BOTTLEROCKET_ARM_64 }] })).toThrow(
      /nodeGroups\[0\]\.amiType must match the architecture of the instance types \(x86_64\), got "BOTTLEROCKET_ARM_64"/,
    );
  });

  test('warns when a Spot node group has a single instance type', () => {
    const { stack } = build({ nodeGroups: [{ name: 'spot', capacityType: NodeCapacityType.SPOT }] });
    expect(warningsOf(stack)).toEqual([expect.stringContaining('[GW-EKS-SPOT-SINGLE-TYPE] node group "spot"')]);
  });

  test('a larger minSize alone raises the desired and maximum sizes with it', () => {
    const { synth } = build({ nodeGroups: [{ name: 'general', minSize: 5 }] });
    expect(onlyResourceOf(synth, 'aws_eks_node_group').scaling_config).toEqual({ min_size: 5, desired_size: 5, max_size: 6 });
  });

  test('development: one to two nodes, 30-day logs, no deletion protection and nothing prevented from destruction', () => {
    const { stack, synth } = build({}, { environment: EnvironmentTier.DEVELOPMENT });
    expect(onlyResourceOf(synth, 'aws_eks_node_group').scaling_config).toEqual({ min_size: 1, desired_size: 1, max_size: 2 });
    expect(resourceAt(synth, 'aws_cloudwatch_log_group', 'Cluster/LogGroup/Resource').retention_in_days).toBe(30);
    expect(onlyResourceOf(synth, 'aws_lb').enable_deletion_protection).toBe(false);
    expect(onlyResourceOf(synth, 'aws_eks_cluster').lifecycle).toEqual({ prevent_destroy: false });
    expect(warningsOf(stack)).toEqual([]);
  });

  test('preventDestroy: false lets Terraform destroy the cluster', () => {
    expect(onlyResourceOf(build({ preventDestroy: false }).synth, 'aws_eks_cluster').lifecycle).toEqual({ prevent_destroy: false });
  });

  test('instanceMetadataHopLimit 1 keeps pods away from instance metadata', () => {
    const { synth } = build({ instanceMetadataHopLimit: 1 });
    expect(onlyResourceOf(synth, 'aws_launch_template').metadata_options.http_put_response_hop_limit).toBe(1);
  });

  test('clusterLogRetentionDays sets the control plane log retention', () => {
    const { synth } = build({ clusterLogRetentionDays: 90 });
    expect(resourceAt(synth, 'aws_cloudwatch_log_group', 'Cluster/LogGroup/Resource').retention_in_days).toBe(90);
  });

  test('createAutoScalingServiceLinkedRole creates the role and grants the key to it', () => {
    const { synth } = build({ createAutoScalingServiceLinkedRole: true });
    expect(onlyResourceOf(synth, 'aws_iam_service_linked_role').aws_service_name).toBe('autoscaling.amazonaws.com');
    expect(onlyResourceOf(synth, 'aws_kms_grant').grantee_principal).toBe(
      refTo(synth, 'aws_iam_service_linked_role', 'AutoScalingServiceLinkedRole', 'arn'),
    );
  });

  test('addonVersions pins the named add-ons only', () => {
    const { synth } = build({ addonVersions: { 'vpc-cni': 'v1.20.4-eksbuild.1' } });
    expect(resourceAt(synth, 'aws_eks_addon', 'VpcCniAddon').addon_version).toBe('v1.20.4-eksbuild.1');
    expect(resourceAt(synth, 'aws_eks_addon', 'CoreDnsAddon').addon_version).toBeUndefined();
  });

  test('appNamespace, appServiceAccountName and managed policies shape the app IRSA role', () => {
    const policy = 'arn:aws:iam::123456789012:policy/shop-read-secrets';
    const { synth, cluster } = build({ appNamespace: 'web', appServiceAccountName: 'shop-api', appServiceAccountManagedPolicyArns: [policy] });
    const role = resourceAt(synth, 'aws_iam_role', 'Cluster/shop/Role');
    expect(policyOf(role.assume_role_policy).Statement[0].Condition.StringEquals[`${issuerHost(synth)}:sub`]).toBe(
      'system:serviceaccount:web:shop-api',
    );
    expect(resourceAt(synth, 'aws_iam_role_policy_attachment', 'Cluster/shop/ManagedPolicy-policy-shop-read-secrets')).toEqual({
      role: refTo(synth, 'aws_iam_role', 'Cluster/shop/Role', 'name'),
      policy_arn: policy,
    });
    expect([cluster.appNamespace, cluster.appServiceAccountName]).toEqual(['web', 'shop-api']);
  });

  test('ingressCidrs, appPort and healthCheckPath shape the load balancer', () => {
    const { synth } = build({ ingressCidrs: ['198.51.100.0/24'], appPort: 3000, healthCheckPath: '/healthz' });
    const albSg = refTo(synth, 'aws_security_group', 'LoadBalancer/SecurityGroup', 'id');
    const ingress = resourcesOf(synth, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === albSg);
    expect(ingress.map((r) => r.cidr_ipv4)).toEqual(['198.51.100.0/24', '198.51.100.0/24']);
    expect(onlyResourceOf(synth, 'aws_lb_target_group')).toMatchObject({ port: 3000, health_check: { path: '/healthz' } });
    expect(onlyResourceOf(synth, 'aws_vpc_security_group_egress_rule')).toMatchObject({ from_port: 3000, to_port: 3000 });
  });

  test('loadBalancerDeletionProtection: false in production turns it off and warns', () => {
    const { stack, synth } = build({ loadBalancerDeletionProtection: false });
    expect(onlyResourceOf(synth, 'aws_lb').enable_deletion_protection).toBe(false);
    expect(warningsOf(stack)).toEqual([expect.stringContaining('[GW-ALB-NO-DELETION-PROTECTION] load balancer shop-production-cluster')]);
  });

  test('supportType EXTENDED keeps the version in extended support', () => {
    const { synth, cluster } = build({ supportType: ClusterSupportType.EXTENDED });
    expect(onlyResourceOf(synth, 'aws_eks_cluster').upgrade_policy).toEqual({ support_type: 'EXTENDED' });
    expect(cluster.supportType).toBe(ClusterSupportType.EXTENDED);
  });

  test('deregistrationDelaySeconds sets the target group drain, down to 0', () => {
    expect(onlyResourceOf(build({ deregistrationDelaySeconds: 120 }).synth, 'aws_lb_target_group').deregistration_delay).toBe('120');
    expect(onlyResourceOf(build({ deregistrationDelaySeconds: 0 }).synth, 'aws_lb_target_group').deregistration_delay).toBe('0');
  });

  test('blockedPaths are grouped in order into rules of at most three patterns, with consecutive priorities', () => {
    const paths = ['/metrics', '/metrics/*', '/internal/*', '/debug/pprof/*', '/actuator/*'];
    const { synth, cluster } = build({ blockedPaths: paths });
    const rules = resourcesOf(synth, 'aws_lb_listener_rule');
    expect(rules.map((r) => [r.priority, r.condition[0].path_pattern.values])).toEqual([
      [1, ['/metrics', '/metrics/*', '/internal/*']],
      [2, ['/debug/pprof/*', '/actuator/*']],
    ]);
    expect(resourceAt(synth, 'aws_lb_listener_rule', 'LoadBalancer/BlockedPaths-2').action[0].fixed_response.status_code).toBe('404');
    expect(cluster.loadBalancer.blockedPaths).toEqual(paths);
  });

  test('blockedPaths start a new rule when a rule would exceed five wildcards', () => {
    const { synth } = build({ blockedPaths: ['/a/*/*/*', '/b/*?', '/c/*'] });
    expect(resourcesOf(synth, 'aws_lb_listener_rule').map((r) => r.condition[0].path_pattern.values)).toEqual([
      ['/a/*/*/*', '/b/*?'],
      ['/c/*'],
    ]);
  });

  test('blockedPaths: [] forwards every path', () => {
    const { synth, cluster } = build({ blockedPaths: [] });
    expect(resourcesOf(synth, 'aws_lb_listener_rule')).toEqual([]);
    expect(cluster.loadBalancer.blockedPaths).toEqual([]);
  });

  test('accessLogRetentionDays and loadBalancerName are applied', () => {
    const { synth } = build({ accessLogRetentionDays: 30, loadBalancerName: 'shop-public' });
    expect(onlyResourceOf(synth, 'aws_lb').name).toBe('shop-public');
    expect(resourceAt(synth, 'aws_s3_bucket_lifecycle_configuration', 'AccessLogs/Lifecycle').rule[0].expiration).toEqual([{ days: 30 }]);
  });

  test('uses the documented ELB account of other older regions for access log delivery', () => {
    const { synth } = build({}, { region: 'us-east-1' });
    const statement = policyOf(onlyResourceOf(synth, 'aws_s3_bucket_policy').policy).Statement.find(
      (s: any) => s.Sid === 'ElasticLoadBalancingAccessLogDelivery',
    );
    expect(statement.Principal).toEqual({ AWS: 'arn:aws:iam::127311923021:root' });
  });

  test('uses the ELB log delivery service principal in regions launched since August 2022', () => {
    const { synth } = build({}, { region: 'eu-central-2' });
    const statement = policyOf(onlyResourceOf(synth, 'aws_s3_bucket_policy').policy).Statement.find(
      (s: any) => s.Sid === 'ElasticLoadBalancingAccessLogDelivery',
    );
    expect(statement.Principal).toEqual({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' });
  });
});

describe('AppLoadBalancer on its own', () => {
  test('names itself after its construct path and admits itself to the given target security group', () => {
    const stack = testStack();
    const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES });
    const lb = new AppLoadBalancer(stack, 'Web', { vpc, certificateArn: CERTIFICATE_ARN, targetSecurityGroupId: 'sg-0123456789abcdef0' });
    const synth = synthStack(stack);
    expect(onlyResourceOf(synth, 'aws_lb').name).toBe('shop-production-web');
    expect(resourceAt(synth, 'aws_vpc_security_group_ingress_rule', 'Web/TargetIngress')).toMatchObject({
      security_group_id: 'sg-0123456789abcdef0',
      from_port: 8080,
      description: expect.stringMatching(/from load balancer shop-production-web/),
    });
    expect(resourceAt(synth, 'aws_vpc_security_group_egress_rule', 'Web/EgressToTargets').description).toMatch(/to the targets on port 8080/);
    expect(lb.targetPort).toBe(8080);
    expect(lb.deletionProtection).toBe(true);
  });

  test('exposes its name and the ARN suffixes that are the dimensions of its CloudWatch metrics', () => {
    const stack = testStack();
    const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES });
    const lb = new AppLoadBalancer(stack, 'Web', { vpc, certificateArn: CERTIFICATE_ARN, targetSecurityGroupId: 'sg-0123456789abcdef0' });
    const synth = synthStack(stack);
    expect(lb.loadBalancerName).toBe(onlyResourceOf(synth, 'aws_lb').name);
    expect(resolveIn(stack, lb.loadBalancerArnSuffix)).toBe(refTo(synth, 'aws_lb', 'Web/Resource', 'arn_suffix'));
    expect(resolveIn(stack, lb.targetGroupArnSuffix)).toBe(refTo(synth, 'aws_lb_target_group', 'Web/TargetGroup', 'arn_suffix'));
  });

  test('throws with its own property names', () => {
    const stack = testStack();
    const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES });
    expect(
      () => new AppLoadBalancer(stack, 'Web', { vpc, certificateArn: CERTIFICATE_ARN, targetSecurityGroupId: 'sg-1', targetPort: 0 }),
    ).toThrow('AppLoadBalancer test/Web: targetPort must be an integer from 1 to 65535, got 0');
    expect(
      () => new AppLoadBalancer(stack, 'Web2', { vpc, certificateArn: CERTIFICATE_ARN, targetSecurityGroupId: 'sg-1', deregistrationDelaySeconds: 3601 }),
    ).toThrow('AppLoadBalancer test/Web2: deregistrationDelaySeconds must be an integer from 0 to 3600, got 3601');
    expect(
      () => new AppLoadBalancer(stack, 'Web3', { vpc, certificateArn: CERTIFICATE_ARN, targetSecurityGroupId: 'sg-1', blockedPaths: ['metrics'] }),
    ).toThrow(/^AppLoadBalancer test\/Web3: blockedPaths must contain ALB path patterns/);
  });

  test('drains 30 s and blocks /metrics by default, and takes a deregistration delay from a Terraform variable', () => {
    const stack = testStack();
    const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES });
    const plain = new AppLoadBalancer(stack, 'Web', { vpc, certificateArn: CERTIFICATE_ARN, targetSecurityGroupId: 'sg-0123456789abcdef0' });
    const delay = new TerraformVariable(stack, 'delay', { type: 'number' });
    new AppLoadBalancer(stack, 'Api', {
      vpc,
      certificateArn: CERTIFICATE_ARN,
      targetSecurityGroupId: 'sg-0123456789abcdef0',
      deregistrationDelaySeconds: delay.numberValue,
      blockedPaths: [],
    });
    const synth = synthStack(stack);
    expect([plain.deregistrationDelaySeconds, plain.blockedPaths]).toEqual([30, ['/metrics', '/metrics/*']]);
    expect(resourceAt(synth, 'aws_lb_target_group', 'Web/TargetGroup').deregistration_delay).toBe('30');
    expect(resourceAt(synth, 'aws_lb_target_group', 'Api/TargetGroup').deregistration_delay).toBe('${var.delay}');
    expect(resourcesOf(synth, 'aws_lb_listener_rule').map((r) => r.listener_arn)).toEqual([
      refTo(synth, 'aws_lb_listener', 'Web/HttpsListener', 'arn'),
    ]);
  });
});

describe('AppCluster validation', () => {
  const expectError = (props: Partial<AppClusterProps>, message: string | RegExp, options?: Parameters<typeof build>[1]) =>
    expect(() => build(props, options)).toThrow(message);

  const fakeVpc = (overrides: Partial<IVpcStack>): IVpcStack => ({
    vpcId: 'vpc-1',
    cidr: '10.0.0.0/16',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    publicSubnetIds: ['subnet-p1', 'subnet-p2'],
    privateSubnetIds: ['subnet-a', 'subnet-b'],
    isolatedSubnetIds: [],
    dbSubnetGroupName: 'db',
    cacheSubnetGroupName: 'cache',
    ...overrides,
  });

  test('throws when the VPC has fewer than two private subnets', () => {
    expectError(
      { vpc: fakeVpc({ privateSubnetIds: ['subnet-a'] }) },
      'AppCluster test/Cluster: vpc.privateSubnetIds must hold at least 2 private subnets in different zones (EKS needs two zones or more), got ["subnet-a"]',
    );
  });

  test('throws when the VPC spans fewer than two zones', () => {
    expectError({ vpc: fakeVpc({ availabilityZones: ['eu-west-1a'] }) }, /vpc.availabilityZones must list at least 2 zones/);
  });

  test('throws when the VPC has fewer than two public subnets for the load balancer', () => {
    expectError({}, /vpc.publicSubnetIds must hold at least 2 public subnets in different zones .*, got \[\]/, { vpc: { publicSubnets: false } });
  });

  test('throws on a cluster name EKS rejects', () => {
    expectError(
      { clusterName: '-shop' },
      'AppCluster test/Cluster: clusterName must be 1-100 letters, digits, hyphens or underscores, starting with a letter or digit, got "-shop"',
    );
    expectError({ clusterName: 'shop prod' }, /clusterName must be 1-100 letters/);
    expectError({ clusterName: 'a'.repeat(101) }, /clusterName must be 1-100 letters/);
    expect(() => build({ clusterName: 'a'.repeat(100), loadBalancerName: 'shop' })).not.toThrow();
  });

  test('throws on names that would give a security group the "sg-" prefix EC2 reserves', () => {
    // EC2 compares security group names case-insensitively.
    expectError({ clusterName: 'SG-shop' }, /clusterName must not start with "sg-": it names the security group "SG-shop-control-plane", .*got "SG-shop"/);
    expectError({ loadBalancerName: 'sg-public' }, /loadBalancerName must not start with "sg-": it names the security group "sg-public-alb", .*got "sg-public"/);
  });

  test('throws on a malformed Kubernetes version', () => {
    expectError({ kubernetesVersion: '1.35.2' }, 'AppCluster test/Cluster: kubernetesVersion must be a Kubernetes minor version such as "1.35", got "1.35.2"');
  });

  test('throws when the public endpoint is open to 0.0.0.0/0 without the opt-in', () => {
    expectError(
      { publicEndpointCidrs: ['203.0.113.0/24', '0.0.0.0/0'] },
      'AppCluster test/Cluster: publicEndpointCidrs must not contain 0.0.0.0/0 unless allowPublicEndpointFromAnywhere is true ' +
        '(it exposes the Kubernetes API to the whole internet); list the CIDR blocks of your offices, VPN or CI instead, ' +
        'got ["203.0.113.0/24","0.0.0.0/0"]',
    );
  });

  test('throws when the opt-in is given without 0.0.0.0/0', () => {
    expectError(
      { publicEndpointCidrs: ['203.0.113.0/24'], allowPublicEndpointFromAnywhere: true },
      /allowPublicEndpointFromAnywhere is true but publicEndpointCidrs does not contain 0.0.0.0\/0/,
    );
  });

  test('throws on malformed or repeated CIDR blocks', () => {
    expectError({ publicEndpointCidrs: ['203.0.113.1/24'] }, /publicEndpointCidrs must contain IPv4 CIDR blocks .*, got "203.0.113.1\/24"/);
    expectError({ privateEndpointAccessCidrs: ['10.0.0.0/8', '10.0.0.0/8'] }, /privateEndpointAccessCidrs must not repeat a CIDR block/);
    expectError({ ingressCidrs: ['anywhere'] }, /ingressCidrs must contain IPv4 CIDR blocks .*, got "anywhere"/);
    expectError({ ingressCidrs: [] }, /ingressCidrs must list at least one CIDR block/);
  });

  test('throws when min > desired or desired > max', () => {
    expectError(
      { nodeGroups: [{ name: 'general', minSize: 4, desiredSize: 3, maxSize: 6 }] },
      'AppCluster test/Cluster: nodeGroups[0] "general": sizes must satisfy minSize <= desiredSize <= maxSize, got minSize 4, desiredSize 3, maxSize 6',
    );
    expectError(
      { nodeGroups: [{ name: 'a' }, { name: 'b', desiredSize: 7, maxSize: 6 }] },
      /nodeGroups\[1\] "b": sizes must satisfy minSize <= desiredSize <= maxSize, got minSize 3, desiredSize 7, maxSize 6/,
    );
    expectError({ nodeGroups: [{ name: 'a', maxSize: 0 }] }, /nodeGroups\[0\].maxSize must be an integer from 1 to 1000, got 0/);
  });

  test('throws on bad node group names, instance types and settings', () => {
    expectError({ nodeGroups: [] }, /nodeGroups must contain at least one node group/);
    expectError({ nodeGroups: [{ name: 'bad name' }] }, /nodeGroups\[0\].name must be 1-36 letters, digits, hyphens or underscores/);
    expectError({ nodeGroups: [{ name: 'a'.repeat(37) }] }, /nodeGroups\[0\].name must be 1-36/);
    expectError({ nodeGroups: [{ name: 'a' }, { name: 'a' }] }, /nodeGroups must have unique names, got \["a","a"\]/);
    expectError({ nodeGroups: [{ name: 'a', instanceTypes: [] }] }, /nodeGroups\[0\].instanceTypes must list 1 to 20 instance types/);
    expectError({ nodeGroups: [{ name: 'a', instanceTypes: ['large'] }] }, /instanceTypes must contain EC2 instance types such as "m6i.large", got "large"/);
    expectError(
      { nodeGroups: [{ name: 'a', instanceTypes: ['m6i.large', 'm7g.large'] }] },
      /nodeGroups\[0\].instanceTypes must be of one architecture/,
    );
    expectError({ nodeGroups: [{ name: 'a', maxUnavailable: 0 }] }, /nodeGroups\[0\].maxUnavailable must be an integer from 1 to 100, got 0/);
    expectError({ nodeGroups: [{ name: 'a', diskSizeGiB: 8 }] }, /nodeGroups\[0\].diskSizeGiB must be an integer from 20 to 16384, got 8/);
  });

  test('throws on a certificate that is not from ACM in the stack region', () => {
    expectError(
      { certificateArn: 'arn:aws:iam::123456789012:server-certificate/shop' },
      'AppCluster test/Cluster: certificateArn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>); ' +
        'IAM server certificates are not supported, got "arn:aws:iam::123456789012:server-certificate/shop"',
    );
    expectError({ certificateArn: CERTIFICATE_ARN.replace('eu-west-1', 'us-east-1') }, /certificateArn must be an ACM certificate in the stack's region eu-west-1/);
  });

  test('throws on admin principals that access entries cannot take', () => {
    expectError(
      { adminPrincipalArns: ['arn:aws:sts::123456789012:assumed-role/admin/alice'] },
      /adminPrincipalArns must contain IAM role or user ARNs; use the role ARN .*not an STS assumed-role session/,
    );
    expectError({ adminPrincipalArns: ['admin'] }, /adminPrincipalArns must contain IAM role or user ARNs .*, got "admin"/);
    expectError({ adminPrincipalArns: [ADMIN_ROLE, ADMIN_ROLE] }, /adminPrincipalArns must not repeat a principal/);
  });

  test('throws on Kubernetes names the workload chart and the bootstrap stack would reject', () => {
    expectError({ appName: 'Shop_App' }, /appName must be a DNS-1035 label \(it names a Service\): .*, got "Shop_App"/);
    // A namespace may start with a digit, but the app's Service, named like the app, may not.
    expectError({ appName: '1shop' }, /appName must be a DNS-1035 label .*starting with a letter.*, got "1shop"/);
    expectError({ appNamespace: 'web-' }, /appNamespace must be a DNS-1123 label/);
    expectError({ appServiceAccountName: 'API' }, /appServiceAccountName must be a DNS-1123 subdomain/);
  });

  test('throws on a bad app port, health check path, hop limit or log retention', () => {
    expectError({ appPort: 70000 }, 'AppCluster test/Cluster: appPort must be an integer from 1 to 65535, got 70000');
    expectError({ healthCheckPath: 'health' }, /healthCheckPath must be an absolute HTTP path .*, got "health"/);
    expectError({ instanceMetadataHopLimit: 0 }, /instanceMetadataHopLimit must be an integer from 1 to 64, got 0/);
    expectError({ clusterLogRetentionDays: 42 }, /clusterLogRetentionDays must be one of 1, 3, 5, .*, got 42/);
    expectError({ accessLogRetentionDays: 0 }, /accessLogRetentionDays must be an integer from 1 to 36500, got 0/);
  });

  test('throws on unknown add-ons or malformed add-on versions', () => {
    expectError({ addonVersions: { 'aws-load-balancer-controller': 'v2.8.0-eksbuild.1' } }, /addonVersions must only have the keys vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver/);
    expectError({ addonVersions: { coredns: 'latest' } }, /addonVersions.coredns must be an EKS add-on version such as "v1.20.4-eksbuild.1", got "latest"/);
  });

  test('throws on a deregistration delay ELB rejects', () => {
    expectError({ deregistrationDelaySeconds: -1 }, 'AppCluster test/Cluster: deregistrationDelaySeconds must be an integer from 0 to 3600, got -1');
    expectError({ deregistrationDelaySeconds: 3601 }, /deregistrationDelaySeconds must be an integer from 0 to 3600, got 3601/);
    expectError({ deregistrationDelaySeconds: 1.5 }, /deregistrationDelaySeconds must be an integer from 0 to 3600, got 1.5/);
  });

  test('throws on blocked paths an ALB path pattern cannot express', () => {
    expectError(
      { blockedPaths: ['metrics'] },
      'AppCluster test/Cluster: blockedPaths must contain ALB path patterns: a "/" first, at most 128 characters of letters, digits, ' +
        '_ - . $ / ~ " \' @ : + and the wildcards * and ?, got "metrics"',
    );
    expectError({ blockedPaths: ['/metrics%2F'] }, /blockedPaths must contain ALB path patterns.*, got "\/metrics%2F"/);
    expectError({ blockedPaths: ['/a&b'] }, /blockedPaths must contain ALB path patterns.*, got "\/a&b"/);
    expectError({ blockedPaths: ['/metrics path'] }, /blockedPaths must contain ALB path patterns/);
    expectError({ blockedPaths: [`/${'a'.repeat(128)}`] }, /blockedPaths must contain ALB path patterns.*at most 128 characters/);
    expect(() => build({ blockedPaths: [`/${'a'.repeat(127)}`] })).not.toThrow();
  });

  test('throws on blocked paths that would block the whole application, repeat, or exceed the ALB rule limits', () => {
    expectError({ blockedPaths: ['/*'] }, /blockedPaths must not contain a pattern that matches every path .*, got "\/\*"/);
    expectError({ blockedPaths: ['/metrics', '/metrics'] }, /blockedPaths must not repeat a path pattern, got \["\/metrics","\/metrics"\]/);
    expectError({ blockedPaths: ['/*/*/*/*/*/*'] }, /blockedPaths must contain patterns of at most 5 wildcards/);
    const many = Array.from({ length: 31 }, (_, i) => `/p${i}`);
    expectError({ blockedPaths: many }, /blockedPaths must fit in 10 listener rules \(each takes at most 3 patterns and 5 wildcards\), but 31 patterns need 11/);
    expect(() => build({ blockedPaths: many.slice(0, 30) })).not.toThrow();
  });

  test('throws on an unknown support type', () => {
    expectError({ supportType: 'BASIC' as ClusterSupportType }, 'AppCluster test/Cluster: supportType must be one of STANDARD, EXTENDED, got "BASIC"');
  });

  test('throws on a load balancer name ELB rejects', () => {
    expectError({ loadBalancerName: 'internal-shop' }, /loadBalancerName must be 1-32 letters, digits or hyphens, .*not starting with "internal-", got "internal-shop"/);
    expectError({ appServiceAccountManagedPolicyArns: ['ReadOnlyAccess'] }, /appServiceAccountManagedPolicyArns must contain IAM managed policy ARNs/);
  });

  test('validates before creating resources, so a failed construct leaves nothing behind', () => {
    const stack = testStack();
    const vpc = new VpcStack(stack, 'Network', { cidr: '10.0.0.0/16', availabilityZones: ZONES });
    expect(() => new AppCluster(stack, 'Bad', { vpc, appName: 'shop', certificateArn: 'nope' })).toThrow(/certificateArn/);
    expect(stack.node.tryFindChild('Bad')?.node.children ?? []).toHaveLength(0);
  });
});

// Offline terraform plan: this construct's configuration is planned with the others in one
// stack, in test/offline/constructs-plan.test.ts.
