import { CheckSeverity, ConstructRule } from '../../rule';

/** A managed rule group charged per request that inspects every request. */
export const WAF_PAID_GROUP_UNSCOPED: ConstructRule = {
  kind: 'construct',
  id: 'GW-WAF-PAID-GROUP-UNSCOPED',
  severity: CheckSeverity.WARNING,
  title: 'Paid managed rule group without a scope-down statement',
  rationale: 'The group is charged for every request it inspects, static assets that need no inspection included.',
  fix: "Give the group's entry in managedRuleGroups on WafRules a scopeDownStatement (e.g. away from static assets).",
};
