import { CheckSeverity, TerraformRule } from '../../rule';
import { blocks } from './private/helpers';

/** GW-ALB-HTTP-LISTENER: a plain-HTTP listener that serves traffic instead of redirecting to HTTPS. */
export const ALB_HTTP_LISTENER: TerraformRule = {
  kind: 'terraform',
  id: 'GW-ALB-HTTP-LISTENER',
  severity: CheckSeverity.ERROR,
  title: 'HTTP listener that does not redirect to HTTPS',
  rationale: 'Requests, cookies and credentials cross the network in clear text.',
  fix: 'Serve on HTTPS, and give port 80 a default action that redirects to HTTPS (as AppLoadBalancer does).',
  equivalents: ['checkov CKV_AWS_2', 'checkov CKV2_AWS_20', 'trivy AVD-AWS-0054'],
  resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
  check(listener, context) {
    // Gateway and network load balancers have no HTTP listeners; without a protocol, only an
    // Application Load Balancer's listener defaults to HTTP.
    const lb = context.referenced(listener.config.load_balancer_arn);
    if (lb && (lb.config.load_balancer_type ?? 'application') !== 'application') return undefined;
    if ((listener.config.protocol ?? (lb ? 'HTTP' : undefined)) !== 'HTTP') return undefined;
    const redirects = blocks(listener.config.default_action).every(
      (a) => a.type === 'redirect' && blocks(a.redirect).some((r) => r.protocol === 'HTTPS'),
    );
    return redirects ? undefined : `listener on port ${listener.config.port ?? 80} serves plain HTTP`;
  },
};
