/**
 * The AWS managed rule groups WafRules knows, with the web ACL capacity units (WCUs) AWS
 * publishes for them. WCUs are fixed by AWS per group, so the construct can add them up at
 * synth time and reject a web ACL over its budget before AWS does at apply time.
 *
 * Sources (AWS WAF Developer Guide, "AWS Managed Rules rule groups list"):
 * - baseline groups: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
 * - use-case groups: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-use-case.html
 * - IP reputation groups (not versioned):
 *   https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-ip-rep.html
 * - Bot Control: https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-bot.html
 */
export interface ManagedRuleGroupSpec {
  /** The rule group name, e.g. AWSManagedRulesCommonRuleSet. */
  readonly name: string;
  /** The vendor, `AWS` for every group here. */
  readonly vendorName: string;
  /** Web ACL capacity units the group consumes. */
  readonly capacity: number;
  /** Whether the group has static versions that can be pinned. */
  readonly versioned: boolean;
  /** Whether WafRules evaluates the group when `managedRuleGroups` is not given. */
  readonly enabledByDefault: boolean;
  /** Whether AWS charges for the group beyond basic WAF pricing. */
  readonly paid: boolean;
}

export const MANAGED_RULE_GROUP_CATALOGUE: readonly ManagedRuleGroupSpec[] = [
  { name: 'AWSManagedRulesCommonRuleSet', vendorName: 'AWS', capacity: 700,
    versioned: true, enabledByDefault: true, paid: false },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', vendorName: 'AWS', capacity: 200,
    versioned: true, enabledByDefault: true, paid: false },
  { name: 'AWSManagedRulesSQLiRuleSet', vendorName: 'AWS', capacity: 200,
    versioned: true, enabledByDefault: true, paid: false },
  { name: 'AWSManagedRulesAmazonIpReputationList', vendorName: 'AWS', capacity: 25,
    versioned: false, enabledByDefault: true, paid: false },
  { name: 'AWSManagedRulesAnonymousIpList', vendorName: 'AWS', capacity: 50,
    versioned: false, enabledByDefault: false, paid: false },
  { name: 'AWSManagedRulesBotControlRuleSet', vendorName: 'AWS', capacity: 50,
    versioned: true, enabledByDefault: false, paid: true },
  { name: 'AWSManagedRulesLinuxRuleSet', vendorName: 'AWS', capacity: 200,
    versioned: true, enabledByDefault: false, paid: false },
  { name: 'AWSManagedRulesUnixRuleSet', vendorName: 'AWS', capacity: 100,
    versioned: true, enabledByDefault: false, paid: false },
  { name: 'AWSManagedRulesWindowsRuleSet', vendorName: 'AWS', capacity: 200,
    versioned: true, enabledByDefault: false, paid: false },
  { name: 'AWSManagedRulesPHPRuleSet', vendorName: 'AWS', capacity: 100,
    versioned: true, enabledByDefault: false, paid: false },
  { name: 'AWSManagedRulesWordPressRuleSet', vendorName: 'AWS', capacity: 100,
    versioned: true, enabledByDefault: false, paid: false },
];

/** The catalogue entry for a vendor and name, or undefined when the group is not known. */
export function findManagedRuleGroup(vendorName: string, name: string): ManagedRuleGroupSpec | undefined {
  return MANAGED_RULE_GROUP_CATALOGUE.find((g) => g.vendorName === vendorName && g.name === name);
}

export const BOT_CONTROL_GROUP_NAME = 'AWSManagedRulesBotControlRuleSet';
export const KNOWN_BAD_INPUTS_GROUP_NAME = 'AWSManagedRulesKnownBadInputsRuleSet';

/** Rules of KnownBadInputsRuleSet that stop Log4Shell (CVE-2021-44228); never turned off silently. */
export const LOG4J_RULE_PREFIX = 'Log4JRCE';
