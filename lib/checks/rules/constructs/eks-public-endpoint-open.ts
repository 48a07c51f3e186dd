import { CheckSeverity, ConstructRule } from '../../rule';

/** An EKS public API endpoint reachable from 0.0.0.0/0. */
export const EKS_PUBLIC_ENDPOINT_OPEN: ConstructRule = {
  kind: 'construct',
  id: 'GW-EKS-PUBLIC-ENDPOINT-OPEN',
  severity: CheckSeverity.ERROR,
  title: 'EKS API endpoint open to the whole internet',
  rationale: 'Only authentication stands between the Kubernetes API and anyone on the internet probing it for flaws or leaked credentials.',
  fix: 'Narrow publicEndpointCidrs on AppCluster to the ranges of operators and the deploy pipeline, and drop allowPublicEndpointFromAnywhere.',
  equivalents: ['checkov CKV_AWS_38', 'checkov CKV_AWS_39', 'trivy AVD-AWS-0040', 'trivy AVD-AWS-0041'],
};
