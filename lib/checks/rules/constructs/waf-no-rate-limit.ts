import { CheckSeverity, ConstructRule } from '../../rule';

/** A web ACL without the per-IP rate limit. */
export const WAF_NO_RATE_LIMIT: ConstructRule = {
  kind: 'construct',
  id: 'GW-WAF-NO-RATE-LIMIT',
  severity: CheckSeverity.WARNING,
  title: 'Web ACL without a per-IP rate limit',
  rationale: 'A single address can flood the application with requests.',
  fix: 'Leave rateLimit enabled (the default) on WafRules, and tune rateLimit.limit.',
};
