import { CheckSeverity, ConstructRule } from '../../rule';

/** A managed rule group that only counts, in a web ACL that blocks. */
export const WAF_GROUP_COUNT_ONLY: ConstructRule = {
  kind: 'construct',
  id: 'GW-WAF-GROUP-COUNT-ONLY',
  severity: CheckSeverity.WARNING,
  title: 'Managed rule group in count-only mode',
  rationale: "The group's rules only count their matches and block nothing.",
  fix: "Turn countOnly off in the group's entry of managedRuleGroups on WafRules once its logs show no false positives.",
};
