import { CheckSeverity, ConstructRule } from '../../rule';

/** Security groups for pods on a cluster whose node groups include t-family instance types. */
export const EKS_POD_SG_INSTANCE_TYPE: ConstructRule = {
  kind: 'construct',
  id: 'GW-EKS-POD-SG-INSTANCE-TYPE',
  severity: CheckSeverity.WARNING,
  title: 'Security groups for pods on instance types without network interface trunking',
  rationale: 'Pods of services with securityGroupsForPods cannot get a branch network interface on t-family nodes and stay Pending there.',
  fix: 'Give the node groups of AppCluster (nodeGroups) instance types outside the t family, or turn securityGroupsForPods off.',
};
