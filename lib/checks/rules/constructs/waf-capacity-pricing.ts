import { CheckSeverity, ConstructRule } from '../../rule';

/** A web ACL whose rules need more WCUs than the base price covers. */
export const WAF_CAPACITY_PRICING: ConstructRule = {
  kind: 'construct',
  id: 'GW-WAF-CAPACITY-PRICING',
  severity: CheckSeverity.WARNING,
  title: 'Web ACL above the base-price capacity',
  rationale: 'Above 1500 WCUs AWS charges more for every million requests the web ACL inspects.',
  fix: 'Drop managed rule groups or rules the application does not need from WafRules, to fit the default capacityBudget of 1500 WCUs.',
};
