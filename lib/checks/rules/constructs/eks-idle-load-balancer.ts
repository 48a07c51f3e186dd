import { CheckSeverity, ConstructRule } from '../../rule';

/** An AppCluster whose shared load balancer no service routes through. */
export const EKS_IDLE_LOAD_BALANCER: ConstructRule = {
  kind: 'construct',
  id: 'GW-EKS-IDLE-LOAD-BALANCER',
  severity: CheckSeverity.WARNING,
  title: 'Shared load balancer that routes to no service',
  rationale: 'The load balancer is billed and reachable while it answers every request with 404.',
  fix: 'Give a service of AppCluster.addService ServiceRoute.defaultRoute() or a sharedLoadBalancer rule.',
};
