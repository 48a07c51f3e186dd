import { CheckSeverity, ConstructRule } from '../../rule';

/** A load balancer whose deletion protection is off where the environment preset turns it on. */
export const ALB_NO_DELETION_PROTECTION: ConstructRule = {
  kind: 'construct',
  id: 'GW-ALB-NO-DELETION-PROTECTION',
  severity: CheckSeverity.WARNING,
  title: 'Load balancer without deletion protection in a tier that protects it',
  rationale: 'One mistaken apply can delete the public entry point and, with it, the DNS name that clients and records point at.',
  fix: 'Leave deletionProtection (loadBalancerDeletionProtection on AppCluster) at the environment preset, which turns it on.',
  equivalents: ['checkov CKV_AWS_150'],
};
