import { CheckSeverity, ConstructRule } from '../../rule';

/** A web ACL that logs no requests. */
export const WAF_NO_LOGGING: ConstructRule = {
  kind: 'construct',
  id: 'GW-WAF-NO-LOGGING',
  severity: CheckSeverity.WARNING,
  title: 'Web ACL without logging',
  rationale: 'There is no record of blocked or allowed requests to investigate an incident or tune false positives with.',
  fix: 'Leave logging on (the default) on WafRules.',
  equivalents: ['checkov CKV2_AWS_31'],
};
