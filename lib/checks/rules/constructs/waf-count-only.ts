import { CheckSeverity, ConstructRule } from '../../rule';

/** A web ACL that counts matches and blocks nothing. */
export const WAF_COUNT_ONLY: ConstructRule = {
  kind: 'construct',
  id: 'GW-WAF-COUNT-ONLY',
  severity: CheckSeverity.WARNING,
  title: 'Web ACL in count-only mode',
  rationale: 'Every rule only counts its matches, so attacks reach the application unblocked.',
  fix: 'Turn countOnly off on WafRules once the logs show no false positives.',
};
