import { CheckSeverity, ConstructRule } from '../../rule';

/** A VPC that records no flow logs. */
export const VPC_NO_FLOW_LOGS: ConstructRule = {
  kind: 'construct',
  id: 'GW-VPC-NO-FLOW-LOGS',
  severity: CheckSeverity.WARNING,
  title: 'VPC without flow logs',
  rationale: 'There is no record of accepted or rejected traffic to investigate an incident with.',
  fix: 'Leave flowLogs on (the default) on VpcStack.',
  equivalents: ['checkov CKV2_AWS_11', 'trivy AVD-AWS-0178'],
};
