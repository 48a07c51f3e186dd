import { CheckSeverity, ConstructRule } from '../../rule';

/** A Spot node group that can draw on one instance type only. */
export const EKS_SPOT_SINGLE_TYPE: ConstructRule = {
  kind: 'construct',
  id: 'GW-EKS-SPOT-SINGLE-TYPE',
  severity: CheckSeverity.WARNING,
  title: 'Spot node group with a single instance type',
  rationale: 'When that Spot pool runs dry the group cannot replace reclaimed nodes, and their pods stay Pending.',
  fix: 'List several similar instanceTypes for the Spot node group in nodeGroups of AppCluster.',
};
