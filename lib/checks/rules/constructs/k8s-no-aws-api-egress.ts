import { CheckSeverity, ConstructRule } from '../../rule';

/** Pods that use an IAM role while no NetworkPolicy lets them reach AWS APIs on 443. */
export const K8S_NO_AWS_API_EGRESS: ConstructRule = {
  kind: 'construct',
  id: 'GW-K8S-NO-AWS-API-EGRESS',
  severity: CheckSeverity.WARNING,
  title: 'Pods with an IAM role but no egress to AWS APIs',
  rationale: "The namespace's default-deny egress blocks STS and Secrets Manager, so the pods cannot use their role.",
  fix: 'Set httpsEgressCidrs on AppWorkloadChart to the VPC CIDR (interface endpoints) or 0.0.0.0/0 (through NAT).',
};
