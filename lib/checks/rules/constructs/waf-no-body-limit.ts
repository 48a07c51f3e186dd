import { CheckSeverity, ConstructRule } from '../../rule';

/** A web ACL that lets bodies larger than it inspects through. */
export const WAF_NO_BODY_LIMIT: ConstructRule = {
  kind: 'construct',
  id: 'GW-WAF-NO-BODY-LIMIT',
  severity: CheckSeverity.WARNING,
  title: 'Web ACL without a body size limit',
  rationale: 'Body content beyond what WAF inspects reaches the application uninspected.',
  fix: 'Leave bodySizeLimit on (the default) on WafRules, and raise maxRequestBodySizeBytes if the application takes larger bodies.',
};
