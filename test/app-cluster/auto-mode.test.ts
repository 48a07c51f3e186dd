import { TerraformOutput, Testing } from 'cdktf';
import { AutoModeNodePool, ServiceRoute } from '../../lib/app-cluster';
import { testPlatform } from '../support/platform';
import { resourceAt, resourcesOf, synthStack } from '../support/util';

describe('AppCluster autoMode (EKS Auto Mode)', () => {
  test('AWS runs the nodes, their storage and load balancing: compute, storage and load balancing on together, the built-in pools on a node role of their own', () => {
    const p = testPlatform({ autoMode: {} });
    new TerraformOutput(p.stack, 'NodeRoleArn', { value: p.cluster.nodeRoleArn });
    const synth = synthStack(p.stack);
    const cluster = resourceAt(synth, 'aws_eks_cluster', 'App/Resource');
    expect(cluster.compute_config).toEqual({
      enabled: true,
      node_pools: ['general-purpose', 'system'],
      node_role_arn: expect.stringMatching(/^\$\{aws_iam_role\.App_AutoModeNodeRole_[0-9A-F]+\.arn\}$/),
    });
    expect(cluster.storage_config).toEqual({ block_storage: { enabled: true } });
    expect(cluster.kubernetes_network_config).toEqual({ elastic_load_balancing: { enabled: true } });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
    // The cluster waits for the nodes' role to hold its policies (and outlives them on destroy).
    expect(cluster.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_iam_role_policy_attachment\.App_AutoModeNodeRolePolicy-AmazonEKSWorkerNodeMinimalPolicy_/)]));
    expect(p.cluster.autoModeNodeRoleName).toBeDefined();
    // The cluster's nodeRoleArn (what a NodeClass of one's own names) is the Auto Mode nodes' role.
    expect(synth.output!.NodeRoleArn.value).toBe(cluster.compute_config.node_role_arn);
    // No managed node group, and none of the add-ons Auto Mode runs itself.
    expect(resourcesOf(synth, 'aws_eks_node_group')).toEqual([]);
    expect(resourcesOf(synth, 'aws_eks_addon').map((a) => a.addon_name)).toEqual(['metrics-server']);
    expect(resourcesOf(synth, 'aws_launch_template')).toEqual([]);
    expect(resourcesOf(synth, 'aws_kms_grant')).toEqual([]);
  });

  test('the cluster role may tag its sessions and holds the Auto Mode policies; the node role only the minimal ones', () => {
    const synth = synthStack(testPlatform({ autoMode: {} }).stack);
    const trust = JSON.parse(resourceAt(synth, 'aws_iam_role', 'App/ClusterRole').assume_role_policy).Statement[0];
    expect(trust).toMatchObject({ Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] });
    const attached = (role: string) =>
      resourcesOf(synth, 'aws_iam_role_policy_attachment')
        .filter((a) => a.role.includes(`aws_iam_role.${role}_`))
        .map((a) => a.policy_arn.replace('arn:aws:iam::aws:policy/', ''))
        .sort();
    expect(attached('App_ClusterRole')).toEqual([
      'AmazonEKSBlockStoragePolicy',
      'AmazonEKSClusterPolicy',
      'AmazonEKSComputePolicy',
      'AmazonEKSLoadBalancingPolicy',
      'AmazonEKSNetworkingPolicy',
    ]);
    expect(attached('App_AutoModeNodeRole')).toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodeMinimalPolicy']);
    // Without Auto Mode the cluster role trusts as before.
    const plain = JSON.parse(resourceAt(synthStack(testPlatform().stack), 'aws_iam_role', 'App/ClusterRole').assume_role_policy).Statement[0];
    expect(plain.Action).toBe('sts:AssumeRole');
  });

  test("a service's Pod Identity association needs no agent add-on: Auto Mode's nodes run it", () => {
    const p = testPlatform({ autoMode: {} });
    p.cluster.addService('Web', { name: 'web', route: ServiceRoute.none() });
    const synth = synthStack(p.stack);
    expect(resourceAt(synth, 'aws_eks_pod_identity_association', 'App/Web/PodIdentityAssociation').depends_on ?? []).toEqual([]);
    expect(resourcesOf(synth, 'aws_eks_addon').map((a) => a.addon_name)).not.toContain('eks-pod-identity-agent');
  });

  test('managed node groups beside Auto Mode keep the add-ons they need', () => {
    const p = testPlatform({ autoMode: { nodePools: [AutoModeNodePool.SYSTEM] }, nodeGroups: [{ name: 'gpu', instanceTypes: ['g5.xlarge'] }] });
    p.cluster.addService('Web', { name: 'web', route: ServiceRoute.none() });
    new TerraformOutput(p.stack, 'NodeRoleArn', { value: p.cluster.nodeRoleArn });
    const synth = synthStack(p.stack);
    expect(resourceAt(synth, 'aws_eks_cluster', 'App/Resource').compute_config.node_pools).toEqual(['system']);
    expect(resourcesOf(synth, 'aws_eks_node_group')).toHaveLength(1);
    expect(resourcesOf(synth, 'aws_eks_addon').map((a) => a.addon_name).sort()).toEqual(
      ['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'metrics-server', 'vpc-cni'],
    );
    // The cluster's nodeRoleArn is the managed groups' role.
    expect(synth.output!.NodeRoleArn.value).toMatch(/aws_iam_role\.App_NodeRole_/);
  });

  test("no built-in pool (NodePools of one's own, beside node groups): the nodes' role gets the access entry EKS would not create", () => {
    const p = testPlatform({ autoMode: { nodePools: [] }, nodeGroups: [{ name: 'general' }] });
    const synth = synthStack(p.stack);
    expect(resourceAt(synth, 'aws_eks_cluster', 'App/Resource').compute_config).toEqual({ enabled: true, node_pools: [] });
    const entry = resourceAt(synth, 'aws_eks_access_entry', 'App/AutoModeNodeAccess');
    expect(entry.type).toBe('EC2');
    expect(entry.principal_arn).toMatch(/aws_iam_role\.App_AutoModeNodeRole_/);
    expect(resourceAt(synth, 'aws_eks_access_policy_association', 'App/AutoModeNodePolicy')).toMatchObject({
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy',
      access_scope: { type: 'cluster' },
    });
    // With the built-in pools EKS creates that entry itself; a second one would fail the apply.
    expect(resourcesOf(synthStack(testPlatform({ autoMode: {} }).stack), 'aws_eks_access_entry').map((e) => e.type)).toEqual(['STANDARD']);
    // hashicorp/aws 5.100 takes the entry type and the Auto Mode blocks.
    expect(Testing.fullSynth(p.stack)).toBeValidTerraform();
  });

  test('settings Auto Mode does not take are synth errors', () => {
    expect(() => testPlatform({ autoMode: {}, securityGroupsForPods: true })).toThrow(
      /AppCluster test\/App: securityGroupsForPods must be left out with autoMode: EKS Auto Mode has no security groups for pods/,
    );
    expect(() => testPlatform({ autoMode: {}, createAutoScalingServiceLinkedRole: true })).toThrow(
      /createAutoScalingServiceLinkedRole must be set only with managed node groups/,
    );
    expect(() => testPlatform({ autoMode: { nodePools: ['gpu' as AutoModeNodePool] } })).toThrow(/autoMode\.nodePools\[0\] must be one of general-purpose, system, got "gpu"/);
    expect(() => testPlatform({ autoMode: { nodePools: [AutoModeNodePool.SYSTEM, AutoModeNodePool.SYSTEM] } })).toThrow(/autoMode\.nodePools must not repeat a node pool/);
    // No node would take the services or metrics-server, which the apply waits for.
    expect(() => testPlatform({ autoMode: { nodePools: [AutoModeNodePool.SYSTEM] } })).toThrow(/autoMode\.nodePools must include GENERAL_PURPOSE, or come with nodeGroups/);
    expect(() => testPlatform({ autoMode: { nodePools: [] } })).toThrow(/autoMode\.nodePools must include GENERAL_PURPOSE, or come with nodeGroups: .*, got \[\]$/);
    expect(() => testPlatform({ autoMode: {}, instanceMetadataHopLimit: 2 })).toThrow(/instanceMetadataHopLimit must be set only with managed node groups/);
  });
});
