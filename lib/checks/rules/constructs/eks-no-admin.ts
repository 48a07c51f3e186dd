import { CheckSeverity, ConstructRule } from '../../rule';

/** An AppCluster with no adminPrincipalArns and no cluster creator admin permissions. */
export const EKS_NO_ADMIN: ConstructRule = {
  kind: 'construct',
  id: 'GW-EKS-NO-ADMIN',
  severity: CheckSeverity.WARNING,
  title: 'EKS cluster without an administrator',
  rationale: 'Nobody, the bootstrap stack included, can use the Kubernetes API until an access entry is added by hand.',
  fix: 'Add the deploy pipeline role to adminPrincipalArns on AppCluster, or set bootstrapClusterCreatorAdminPermissions.',
};
