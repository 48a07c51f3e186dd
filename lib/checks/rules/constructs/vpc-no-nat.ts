import { CheckSeverity, ConstructRule } from '../../rule';

/** Private subnets with no route to the internet. */
export const VPC_NO_NAT: ConstructRule = {
  kind: 'construct',
  id: 'GW-VPC-NO-NAT',
  severity: CheckSeverity.WARNING,
  title: 'Private subnets without a NAT gateway',
  rationale: 'Workloads in them cannot reach the internet: image registries, and AWS APIs without VPC endpoints, are out of reach.',
  fix: 'Set natGateways on VpcStack to NatGatewayMode.SINGLE or ONE_PER_AZ, or add interfaceEndpoints for the AWS APIs the workloads call.',
};
