/**
 * Web ACL capacity (WCU) accounting. AWS rejects a web ACL whose rules need more WCUs than
 * its limit at apply time; the construct adds up the known costs at synth time and names the
 * rules that take the capacity, so the fix is obvious.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html
 */

/** The WCUs up to which a web ACL costs the base price. */
export const BASE_PRICE_CAPACITY = 1500;
/** The most WCUs a web ACL can hold. */
export const MAX_CAPACITY = 5000;

/** One rule's share of the capacity. */
export interface RuleCapacity {
  readonly ruleName: string;
  readonly priority: number;
  readonly capacity: number;
}

/** The sum of the rules' capacities. */
export function totalCapacity(rules: readonly RuleCapacity[]): number {
  return rules.reduce((sum, r) => sum + r.capacity, 0);
}

/** "AllowListedIps 2, RateLimitPerIp 2, AWS-AWSManagedRulesCommonRuleSet 700", in priority order. */
export function capacityBreakdown(rules: readonly RuleCapacity[]): string {
  return [...rules]
    .sort((a, b) => a.priority - b.priority)
    .map((r) => `${r.ruleName} ${r.capacity}`)
    .join(', ');
}
