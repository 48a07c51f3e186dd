import { CheckSeverity, ConstructRule } from '../../rule';

/** Pods that get SIGTERM at once while a load balancer targets them directly. */
export const K8S_NO_PRESTOP_SLEEP: ConstructRule = {
  kind: 'construct',
  id: 'GW-K8S-NO-PRESTOP-SLEEP',
  severity: CheckSeverity.WARNING,
  title: 'No preStop sleep while a load balancer sends to the pods directly',
  rationale: 'A terminating pod gets SIGTERM while the load balancer may still route new requests to it, so every rollout returns 502s.',
  fix: 'Leave preStopSleepSeconds on AppWorkloadChart above 0 (15 by default), covering the target deregistration delay.',
};
