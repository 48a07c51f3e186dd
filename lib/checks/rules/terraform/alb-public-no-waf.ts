import { CheckSeverity, TerraformRule } from '../../rule';
import { attachedTo } from './private/helpers';

/** GW-ALB-PUBLIC-NO-WAF: an internet-facing Application Load Balancer with no web ACL. */
export const ALB_PUBLIC_NO_WAF: TerraformRule = {
  kind: 'terraform',
  id: 'GW-ALB-PUBLIC-NO-WAF',
  severity: CheckSeverity.ERROR,
  title: 'Internet-facing ALB without a WAF web ACL',
  rationale: 'Every request from the internet reaches the application with no managed rules, rate limit or bad-input filtering in front of it.',
  fix: 'Protect it with WafRules (waf.protect(loadBalancerArn)), or add an aws_wafv2_web_acl_association.',
  equivalents: ['checkov CKV2_AWS_28'],
  resourceTypes: ['aws_lb', 'aws_alb'],
  check(lb, context) {
    if (lb.config.internal === true || (lb.config.load_balancer_type ?? 'application') !== 'application') return undefined;
    return attachedTo(context, 'aws_wafv2_web_acl_association', 'resource_arn', lb).length > 0
      ? undefined
      : 'the load balancer is internet-facing and no aws_wafv2_web_acl_association names it';
  },
};
