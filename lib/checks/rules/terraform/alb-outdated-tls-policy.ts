import { CheckSeverity, TerraformRule } from '../../rule';

/** GW-ALB-OUTDATED-TLS-POLICY: an HTTPS or TLS listener whose security policy allows TLS below 1.2. */
export const ALB_OUTDATED_TLS_POLICY: TerraformRule = {
  kind: 'terraform',
  id: 'GW-ALB-OUTDATED-TLS-POLICY',
  severity: CheckSeverity.WARNING,
  title: 'HTTPS listener allowing TLS below 1.2',
  rationale: 'TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow downgrade attacks on weak ciphers.',
  fix: 'Set ssl_policy to ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS13/TLS-1-2 policy.',
  equivalents: ['checkov CKV_AWS_103', 'trivy AVD-AWS-0047'],
  resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
  check(listener) {
    if (!['HTTPS', 'TLS'].includes(listener.config.protocol)) return undefined;
    const policy = listener.config.ssl_policy;
    // Without ssl_policy, AWS uses ELBSecurityPolicy-2016-08, which allows TLS 1.0.
    if (typeof policy !== 'string') return 'ssl_policy is not set, so the listener uses ELBSecurityPolicy-2016-08 (TLS 1.0+)';
    if (policy.startsWith('${')) return undefined;
    return /TLS13|TLS-1-2|FS-1-2/.test(policy) ? undefined : `ssl_policy ${policy} allows TLS below 1.2`;
  },
};
