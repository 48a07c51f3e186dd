import { CheckSeverity, ConstructRule } from '../../rule';

/** A workload that no NetworkPolicy admits traffic to. */
export const K8S_NO_INGRESS_SOURCE: ConstructRule = {
  kind: 'construct',
  id: 'GW-K8S-NO-INGRESS-SOURCE',
  severity: CheckSeverity.WARNING,
  title: 'No NetworkPolicy admitting traffic to the app port',
  rationale: "Behind the namespace's default-deny policy nothing can reach the app, so it is unreachable.",
  fix: 'Set loadBalancerSourceCidrs (the ALB subnets), ingress or allowedIngressNamespaces on AppWorkloadChart.',
};
