import { CheckSeverity, ConstructRule } from '../../rule';

/** An Ingress that lets every client send without a rate limit. */
export const K8S_NO_RATE_LIMIT: ConstructRule = {
  kind: 'construct',
  id: 'GW-K8S-NO-RATE-LIMIT',
  severity: CheckSeverity.WARNING,
  title: 'Ingress without a per-client rate limit',
  rationale: 'A single client can flood the app through the ingress controller.',
  fix: 'Leave ingress.rateLimitRequestsPerSecond on AppWorkloadChart above 0 (20 by default).',
};
