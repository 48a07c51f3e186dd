import { CheckSeverity, ConstructRule } from '../../rule';

/** A workload behind an internal load balancer whose source addresses are the whole private subnets. */
export const K8S_INTERNAL_LB_SOURCE: ConstructRule = {
  kind: 'construct',
  id: 'GW-K8S-INTERNAL-LB-SOURCE',
  severity: CheckSeverity.WARNING,
  title: 'Internal load balancer sharing the private subnets with the pods',
  rationale: "The NetworkPolicy that admits the load balancer's addresses admits every pod in those subnets to the app port too.",
  fix: 'Give the load balancer subnets of its own, or narrow loadBalancerSourceCidrs on AppWorkloadChart to the addresses it sends from.',
};
