import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-ALB-INVALID-HEADERS-KEPT: an ALB that forwards invalid HTTP header fields. */
export const ALB_INVALID_HEADERS_KEPT: TerraformRule = {
  kind: 'terraform',
  id: 'GW-ALB-INVALID-HEADERS-KEPT',
  severity: CheckSeverity.WARNING,
  title: 'ALB forwarding invalid HTTP headers',
  rationale: 'Malformed headers are a vector for request smuggling against the targets behind the load balancer.',
  fix: 'Set drop_invalid_header_fields = true.',
  equivalents: ['checkov CKV_AWS_131', 'trivy AVD-AWS-0052'],
  resourceTypes: ['aws_lb', 'aws_alb'],
  check(lb) {
    if ((lb.config.load_balancer_type ?? 'application') !== 'application') return undefined;
    return lb.config.drop_invalid_header_fields === true ? undefined : 'drop_invalid_header_fields is not true';
  },
};
