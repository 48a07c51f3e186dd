import { CheckSeverity, ConstructRule } from '../../rule';

/** A workload whose pods carry a Kubernetes API token. */
export const K8S_TOKEN_AUTOMOUNT: ConstructRule = {
  kind: 'construct',
  id: 'GW-K8S-TOKEN-AUTOMOUNT',
  severity: CheckSeverity.WARNING,
  title: 'Pods with an automounted Kubernetes API token',
  rationale: "An attacker in the container can call the Kubernetes API with the token and the service account's permissions.",
  fix: 'Leave automountServiceAccountToken off (the default) on AppWorkloadChart unless the app calls the Kubernetes API.',
  equivalents: ['checkov CKV_K8S_38', 'trivy KSV036'],
};
