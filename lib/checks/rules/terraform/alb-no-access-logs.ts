import { CheckSeverity, TerraformRule } from '../../rule';
import { blocks } from './private/helpers';

/** GW-ALB-NO-ACCESS-LOGS: a load balancer without access logs. */
export const ALB_NO_ACCESS_LOGS: TerraformRule = {
  kind: 'terraform',
  id: 'GW-ALB-NO-ACCESS-LOGS',
  severity: CheckSeverity.WARNING,
  title: 'Load balancer without access logs',
  rationale: 'Without access logs there is no record of who sent which request, for incident response or debugging.',
  fix: 'Enable access_logs to an S3 bucket (AppLoadBalancer does).',
  equivalents: ['checkov CKV_AWS_91'],
  resourceTypes: ['aws_lb', 'aws_alb'],
  check(lb) {
    // Gateway Load Balancers have no access logs.
    if (lb.config.load_balancer_type === 'gateway') return undefined;
    return blocks(lb.config.access_logs).some((l) => l.enabled === true) ? undefined : 'access_logs is not enabled';
  },
};
