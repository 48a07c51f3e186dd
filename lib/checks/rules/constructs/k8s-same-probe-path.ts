import { CheckSeverity, ConstructRule } from '../../rule';

/** Liveness and readiness probes that GET the same path. */
export const K8S_SAME_PROBE_PATH: ConstructRule = {
  kind: 'construct',
  id: 'GW-K8S-SAME-PROBE-PATH',
  severity: CheckSeverity.WARNING,
  title: 'Liveness and readiness probes on the same path',
  rationale: 'If that endpoint checks dependencies, an outage of a dependency restarts every pod instead of only taking them out of rotation.',
  fix: 'Give livenessProbe and readinessProbe of AppWorkloadChart different paths, keeping liveness to the process itself.',
  equivalents: ['kube-score pod-probes'],
};
