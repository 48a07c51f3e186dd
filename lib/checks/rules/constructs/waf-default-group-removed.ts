import { CheckSeverity, ConstructRule } from '../../rule';

/** A managedRuleGroups list without one of the groups enabled by default. */
export const WAF_DEFAULT_GROUP_REMOVED: ConstructRule = {
  kind: 'construct',
  id: 'GW-WAF-DEFAULT-GROUP-REMOVED',
  severity: CheckSeverity.WARNING,
  title: 'Default managed rule group left out',
  rationale: 'Each default group blocks a class of common attacks, which the web ACL then lets through.',
  fix: 'List the missing default groups in managedRuleGroups on WafRules, count-only at first if one causes false positives.',
};
