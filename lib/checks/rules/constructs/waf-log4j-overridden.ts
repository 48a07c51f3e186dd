import { CheckSeverity, ConstructRule } from '../../rule';

/** Log4JRCE rules of the Known Bad Inputs group overridden to an action other than block. */
export const WAF_LOG4J_OVERRIDDEN: ConstructRule = {
  kind: 'construct',
  id: 'GW-WAF-LOG4J-OVERRIDDEN',
  severity: CheckSeverity.WARNING,
  title: 'Log4j rules of the Known Bad Inputs group overridden',
  rationale: 'Log4Shell (CVE-2021-44228) exploit attempts are no longer blocked.',
  fix: 'Remove the ruleActionOverrides of the Log4JRCE rules from the AWSManagedRulesKnownBadInputsRuleSet entry of managedRuleGroups on WafRules.',
  equivalents: ['checkov CKV_AWS_192'],
};
