import { CheckSeverity, TerraformRule } from '../../rule';
import { attachedTo } from './private/helpers';

/** GW-WAF-ACL-NO-LOGGING: a web ACL with no logging configuration. */
export const WAF_ACL_NO_LOGGING: TerraformRule = {
  kind: 'terraform',
  id: 'GW-WAF-ACL-NO-LOGGING',
  severity: CheckSeverity.WARNING,
  title: 'WAFv2 web ACL without logging',
  rationale: 'Without logs nobody can tell which requests were blocked or let through, during an attack or a false-positive hunt.',
  fix: 'Use WafRules (logging on by default), or add aws_wafv2_web_acl_logging_configuration.',
  equivalents: ['checkov CKV2_AWS_31'],
  resourceTypes: ['aws_wafv2_web_acl'],
  // WafRules says it with the reason (logging: false) when its own ACL has no logging.
  coveredBy: 'GW-WAF-NO-LOGGING',
  check(acl, context) {
    return attachedTo(context, 'aws_wafv2_web_acl_logging_configuration', 'resource_arn', acl).length > 0
      ? undefined
      : 'no aws_wafv2_web_acl_logging_configuration names this web ACL';
  },
};
