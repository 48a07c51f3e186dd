import { CheckSeverity, TerraformRule } from '../../rule';
import { refersTo } from './private/helpers';

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
    const associations = context.ofType('aws_wafv2_web_acl_association');
    if (associations.some((a) => refersTo(a.config.resource_arn, lb))) return undefined;
    // An association whose target this stack cannot name (a literal ARN, a data source, another
    // stack's output) may be this load balancer's: no finding rather than a false error.
    if (associations.some((a) => !context.ofType('aws_lb').concat(context.ofType('aws_alb')).some((l) => refersTo(a.config.resource_arn, l)))) return undefined;
    return 'the load balancer is internet-facing and no aws_wafv2_web_acl_association names it';
  },
};
