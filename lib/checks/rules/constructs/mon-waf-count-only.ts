import { CheckSeverity, ConstructRule } from '../../rule';

/** A watched web ACL that only counts. */
export const MON_WAF_COUNT_ONLY: ConstructRule = {
  kind: 'construct',
  id: 'GW-MON-WAF-COUNT-ONLY',
  severity: CheckSeverity.WARNING,
  title: 'Watched web ACL in count-only mode',
  rationale: 'A web ACL that blocks nothing cannot raise the BlockedRequestsSpike alarm.',
  fix: 'Turn countOnly off on the WafRules once its logs show no false positives.',
};
