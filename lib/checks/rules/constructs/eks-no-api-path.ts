import { CheckSeverity, ConstructRule } from '../../rule';

/** An AppCluster whose Kubernetes API is private, with no network allowed to reach it. */
export const EKS_NO_API_PATH: ConstructRule = {
  kind: 'construct',
  id: 'GW-EKS-NO-API-PATH',
  severity: CheckSeverity.WARNING,
  title: 'Private EKS API endpoint with no configured access path',
  rationale:
    'Only the nodes reach a private endpoint; a deploy pipeline on hosted runners (the bootstrap stack, kubectl, helm) times out on the first deploy.',
  fix:
    'Run the deploy on a runner in the VPC or a network routed to it and list its CIDR in privateEndpointAccessCidrs, ' +
    'or open the public endpoint to the runners\' egress addresses only with publicEndpointCidrs.',
};
