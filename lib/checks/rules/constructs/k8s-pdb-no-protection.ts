import { CheckSeverity, ConstructRule } from '../../rule';

/** A PodDisruptionBudget whose maxUnavailable is not below the minimum replica count. */
export const K8S_PDB_NO_PROTECTION: ConstructRule = {
  kind: 'construct',
  id: 'GW-K8S-PDB-NO-PROTECTION',
  severity: CheckSeverity.WARNING,
  title: 'Disruption budget that lets every pod be evicted at once',
  rationale: "At the autoscaler's minimum a node drain may evict every pod together and take the app down.",
  fix: 'Set disruptionBudgetMaxUnavailable on AppWorkloadChart below minReplicas.',
};
