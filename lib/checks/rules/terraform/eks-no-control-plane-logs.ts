import { CheckSeverity, TerraformRule } from '../../rule';

const NEEDED = ['api', 'audit', 'authenticator'];

/** GW-EKS-NO-CONTROL-PLANE-LOGS: an EKS cluster that does not send its API, audit and authenticator logs. */
export const EKS_NO_CONTROL_PLANE_LOGS: TerraformRule = {
  kind: 'terraform',
  id: 'GW-EKS-NO-CONTROL-PLANE-LOGS',
  severity: CheckSeverity.WARNING,
  title: 'EKS control-plane logs off',
  rationale: 'Without the audit and authenticator logs nobody can tell who did what to the cluster.',
  fix: 'Use AppCluster, or set enabled_cluster_log_types to include api, audit and authenticator.',
  equivalents: ['checkov CKV_AWS_37', 'trivy AVD-AWS-0038'],
  resourceTypes: ['aws_eks_cluster'],
  check(cluster) {
    const enabled: unknown[] = Array.isArray(cluster.config.enabled_cluster_log_types) ? cluster.config.enabled_cluster_log_types : [];
    const missing = NEEDED.filter((t) => !enabled.includes(t));
    return missing.length > 0 ? `enabled_cluster_log_types lacks ${missing.join(', ')}` : undefined;
  },
};
